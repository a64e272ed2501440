//! The bad-input corpus: every file in `tests/bad/` must fail with the exit code and the stderr
//! fragment that `tests/bad/expected.toml` gives for it, never panic, and print nothing on
//! stdout; so must every price book in `tests/bad/books/` and instance catalog in
//! `tests/bad/catalogs/`, loaded through `--pricing-dir`. Inputs too big to commit (10,000
//! resources, 50 MB, 15 MB values, a 5,000-phase cycle), special files (FIFOs, devices) and the
//! I/O failures (a missing file, a directory) are generated here.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Output;

use crate::common::bin;

const CORPUS: &str = "tests/bad";

/// One expected outcome from `tests/bad/expected.toml`.
struct Case {
    file: String,
    exit: i32,
    stderr: String,
}

/// The cases of one section of `expected.toml`: `files` (scenarios in `tests/bad/`), `books`
/// (`tests/bad/books/`) or `catalogs` (`tests/bad/catalogs/`).
fn manifest_of(section: &str) -> Vec<Case> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(CORPUS)
        .join("expected.toml");
    let text = std::fs::read_to_string(&path).expect("tests/bad/expected.toml");
    let doc: toml::Table = text.parse().expect("expected.toml is TOML");
    let files = doc[section].as_table().expect("[SECTION.\"NAME\"] tables");
    files
        .iter()
        .map(|(file, v)| Case {
            file: file.clone(),
            exit: v["exit"].as_integer().expect("exit") as i32,
            stderr: v["stderr"].as_str().expect("stderr").to_string(),
        })
        .collect()
}

fn manifest() -> Vec<Case> {
    manifest_of("files")
}

fn run_path(path: &str) -> Output {
    bin().args(["run", path]).output().expect("binary runs")
}

/// What every bad input must give: the exact exit code, the message, no panic, no report.
fn check(label: &str, o: &Output, exit: i32, fragment: &str) -> Result<(), String> {
    let err = String::from_utf8_lossy(&o.stderr);
    let out = String::from_utf8_lossy(&o.stdout);
    let mut problems = Vec::new();
    if o.status.code() != Some(exit) {
        problems.push(format!("exit code {:?}, expected {exit}", o.status.code()));
    }
    if !err.contains(fragment) {
        problems.push(format!("stderr lacks {fragment:?}"));
    }
    if err.contains("panicked") || err.contains("overflowed its stack") {
        problems.push("panicked".into());
    }
    if !out.trim().is_empty() {
        problems.push(format!(
            "stdout not empty: {:?}",
            &out[..out.len().min(200)]
        ));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{label}: {}\n--- stderr:\n{err}",
            problems.join("; ")
        ))
    }
}

fn assert_ok(results: Vec<Result<(), String>>) {
    let failures: Vec<String> = results.into_iter().filter_map(Result::err).collect();
    assert!(
        failures.is_empty(),
        "{} bad input(s) not handled as expected:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

/// File names in `dir` (directories left out).
fn files_in(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != "expected.toml")
        .collect()
}

#[test]
fn manifest_lists_every_book_and_catalog_of_the_corpus() {
    for (section, min) in [("books", 20), ("catalogs", 8)] {
        let on_disk = files_in(
            &Path::new(env!("CARGO_MANIFEST_DIR"))
                .join(CORPUS)
                .join(section),
        );
        let listed: BTreeSet<String> = manifest_of(section).into_iter().map(|c| c.file).collect();
        assert_eq!(
            on_disk, listed,
            "tests/bad/{section} and [{section}] in expected.toml"
        );
        assert!(listed.len() >= min, "{section}: {}", listed.len());
    }
}

#[test]
fn manifest_lists_every_file_of_the_corpus() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(CORPUS);
    let on_disk = files_in(&dir);
    let listed: BTreeSet<String> = manifest().into_iter().map(|c| c.file).collect();
    assert_eq!(
        on_disk.difference(&listed).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "files in tests/bad without an entry in expected.toml"
    );
    assert_eq!(
        listed.difference(&on_disk).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "entries in expected.toml without a file"
    );
    assert!(
        listed.len() >= 140,
        "the corpus needs at least 140 files, has {}",
        listed.len()
    );
}

#[test]
fn every_bad_file_fails_with_its_message_and_exit_code() {
    let cases = manifest();
    // Two workers: the machine has two cores, and each run is a short process.
    let (a, b) = cases.split_at(cases.len() / 2);
    let work = |part: &[Case]| -> Vec<Result<(), String>> {
        part.iter()
            .map(|c| {
                let path = format!("{CORPUS}/{}", c.file);
                let o = run_path(&path);
                check(&c.file, &o, c.exit, &c.stderr.replace("{file}", &path))
            })
            .collect()
    };
    let results = std::thread::scope(|s| {
        let h = s.spawn(|| work(a));
        let mut r = work(b);
        r.extend(h.join().unwrap());
        r
    });
    assert_ok(results);
}

/// A `--pricing-dir` folder holding the shipped book and catalog, and a small us-east-1
/// scenario beside it. `replace(name, bytes)` puts a bad file in the folder.
struct BookDir {
    root: tempfile::TempDir,
}

const SMALL_SCENARIO: &str =
    "region = \"us-east-1\"\n\n[phases.prod.resources.q]\nkind = \"sqs\"\nmonthly_requests = 1000\n";

impl BookDir {
    fn new() -> BookDir {
        let root = tempfile::tempdir().unwrap();
        let pricing = root.path().join("pricing");
        std::fs::create_dir(&pricing).unwrap();
        let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("pricing");
        for f in ["us-east-1.toml", "instances.toml"] {
            std::fs::copy(shipped.join(f), pricing.join(f)).unwrap();
        }
        std::fs::write(root.path().join("s.toml"), SMALL_SCENARIO).unwrap();
        BookDir { root }
    }

    fn pricing(&self) -> std::path::PathBuf {
        self.root.path().join("pricing")
    }

    fn file(&self, name: &str) -> String {
        self.pricing().join(name).to_str().unwrap().to_string()
    }

    fn replace(&self, name: &str, bytes: &[u8]) -> String {
        let path = self.pricing().join(name);
        let _ = std::fs::remove_file(&path);
        std::fs::write(&path, bytes).unwrap();
        self.file(name)
    }

    /// `costplan run s.toml --pricing-dir pricing`, killed after 20 s (a FIFO used to block).
    fn run(&self) -> Output {
        run_with_deadline(bin().args([
            "run",
            self.root.path().join("s.toml").to_str().unwrap(),
            "--pricing-dir",
            self.pricing().to_str().unwrap(),
        ]))
    }
}

/// Run a command, killing it if it takes more than 20 s (the output then says so).
fn run_with_deadline(cmd: &mut std::process::Command) -> Output {
    use std::process::Stdio;
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary runs");
    let start = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > std::time::Duration::from_secs(20) {
            let _ = child.kill();
            let mut o = child.wait_with_output().unwrap();
            o.stderr
                .extend_from_slice(b"\n[killed after 20 s: it hung]");
            return o;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

#[test]
fn every_bad_book_and_catalog_fails_in_its_own_file() {
    let mut results = Vec::new();
    for (section, target) in [("books", "us-east-1.toml"), ("catalogs", "instances.toml")] {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(CORPUS)
            .join(section);
        for c in manifest_of(section) {
            let books = BookDir::new();
            let path = books.replace(target, &std::fs::read(dir.join(&c.file)).unwrap());
            let o = books.run();
            results.push(check(
                &format!("{section}/{}", c.file),
                &o,
                c.exit,
                &c.stderr.replace("{file}", &path),
            ));
        }
    }
    assert_ok(results);
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let st = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(st.success());
}

#[cfg(unix)]
#[test]
fn special_files_are_refused_at_once() {
    // A FIFO blocked forever (nothing writes to it); /dev/zero as a book read until memory ran
    // out. Anything that is not a regular file is refused before it is opened.
    let tmp = tempfile::tempdir().unwrap();
    let fifo = tmp.path().join("fifo.toml");
    mkfifo(&fifo);
    let fifo = fifo.to_str().unwrap().to_string();
    let start = std::time::Instant::now();
    let mut results = vec![
        check(
            "FIFO scenario",
            &run_with_deadline(bin().args(["run", &fifo])),
            2,
            &format!("{fifo}: is a FIFO (named pipe), not a regular file\n  help: give a scenario as a TOML file"),
        ),
        check(
            "/dev/null scenario",
            &run_with_deadline(bin().args(["run", "/dev/null"])),
            2,
            "/dev/null: is a character device, not a regular file",
        ),
    ];
    // The book and the catalog as a FIFO, and as links to /dev/zero and /dev/urandom.
    for target in ["us-east-1.toml", "instances.toml"] {
        let books = BookDir::new();
        let path = books.pricing().join(target);
        std::fs::remove_file(&path).unwrap();
        mkfifo(&path);
        let p = books.file(target);
        results.push(check(
            &format!("FIFO {target}"),
            &books.run(),
            2,
            &format!("{p}: is a FIFO (named pipe), not a regular file"),
        ));
        for dev in ["/dev/zero", "/dev/urandom"] {
            std::fs::remove_file(&path).unwrap();
            std::os::unix::fs::symlink(dev, &path).unwrap();
            results.push(check(
                &format!("{dev} as {target}"),
                &books.run(),
                2,
                &format!("{p}: is a character device, not a regular file"),
            ));
        }
    }
    assert_ok(results);
    assert!(start.elapsed().as_secs() < 20, "took {:?}", start.elapsed());
}

#[test]
fn a_book_above_16_mib_is_refused_and_a_missing_or_directory_book_is_io() {
    let books = BookDir::new();
    let mut big = std::fs::read(books.pricing().join("us-east-1.toml")).unwrap();
    let line = format!("# {}\n", "x".repeat(97));
    while big.len() < 17 << 20 {
        big.extend_from_slice(line.as_bytes());
    }
    let p = books.replace("us-east-1.toml", &big);
    let mut results = vec![check(
        "17 MiB book",
        &books.run(),
        2,
        &format!("{p}: file is larger than 16 MiB; a price book is under 100 KB"),
    )];
    std::fs::remove_file(&p).unwrap();
    std::fs::create_dir(&p).unwrap();
    results.push(check(
        "directory as the book",
        &books.run(),
        3,
        &format!("error: cannot read {p}: is a directory"),
    ));
    let books = BookDir::new();
    let cat = books.file("instances.toml");
    std::fs::remove_file(&cat).unwrap();
    results.push(check(
        "no catalog",
        &books.run(),
        3,
        &format!("error: cannot read {cat}: "),
    ));
    assert_ok(results);
}

#[test]
fn huge_values_are_refused_fast_with_short_messages() {
    // 15 MB values: the suggestion search took 55 s for an instance class and 12-18 s for a
    // kind, and the message repeated the whole value (15 MB of stderr).
    let cases = [
        (
            "instance_class",
            format!(
                "region = \"us-east-1\"\n[phases.prod.resources.db]\nkind = \"rds\"\nengine = \"postgres\"\nstorage_gb = 20\ninstance_class = \"{}\"\n",
                "db.t3.micro".repeat(1_400_000)
            ),
            "`phases.prod.resources.db.instance_class`: unknown instance class db.t3.microdb.t3.micro",
        ),
        (
            "kind",
            format!(
                "region = \"us-east-1\"\n[phases.prod.resources.q]\nkind = \"{}\"\n",
                "lambda".repeat(2_500_000)
            ),
            "`phases.prod.resources.q.kind`: unknown resource kind `lambdalambda",
        ),
        (
            "region",
            format!(
                "region = \"{}\"\n[phases.prod.resources.q]\nkind = \"sqs\"\n",
                "us-east-1".repeat(1_600_000)
            ),
            "`region`: no price book for region `us-east-1us-east-1",
        ),
        (
            "key",
            format!(
                "region = \"us-east-1\"\n[phases.prod.resources.q]\nkind = \"sqs\"\n{} = 1\n",
                "k".repeat(15_000_000)
            ),
            "… (15000002 characters)`",
        ),
        (
            "phase of an environment",
            format!(
                "region = \"us-east-1\"\n[phases.prod.resources.q]\nkind = \"sqs\"\n[environments.dev]\nphase = \"{}\"\n",
                "prod".repeat(3_500_000)
            ),
            "`dev` builds on unknown phase `prodprod",
        ),
    ];
    for (what, text, fragment) in cases {
        let (_dir, path) = temp_file("big.toml", text.as_bytes());
        let start = std::time::Instant::now();
        let o = run_path(&path);
        let took = start.elapsed();
        assert_ok(vec![check(what, &o, 2, fragment)]);
        assert!(took.as_secs() < 8, "{what}: took {took:?}");
        assert!(
            o.stderr.len() < 1500,
            "{what}: {} bytes of stderr",
            o.stderr.len()
        );
    }
}

/// Write `text` as `name` in a fresh temp dir; returns the dir (kept alive) and the path.
fn temp_file(name: &str, text: &[u8]) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    let p = path.to_str().unwrap().to_string();
    (dir, p)
}

#[test]
fn ten_thousand_resources_with_a_typo_in_the_last() {
    let mut s = String::from("region = \"us-east-1\"\n");
    for i in 0..9_999 {
        s.push_str(&format!(
            "[phases.prod.resources.q{i}]\nkind = \"sqs\"\nmonthly_requests = 1000\n"
        ));
    }
    // 1 + 3 x 9,999 lines, then the table header (29,999): the class is on line 30,003.
    s.push_str(
        "[phases.prod.resources.db]\nkind = \"rds\"\nengine = \"postgres\"\nstorage_gb = 20\ninstance_class = \"db.t3.mirco\"\n",
    );
    let (_dir, path) = temp_file("many.toml", s.as_bytes());
    let o = run_path(&path);
    assert_ok(vec![check(
        "10,000 resources",
        &o,
        2,
        &format!(
            "{path}:30003:1: `phases.prod.resources.db.instance_class`: unknown instance class db.t3.mirco\n  help: did you mean `db.t3.micro`?"
        ),
    )]);
}

#[test]
fn a_50_mb_file_is_refused_without_parsing_it() {
    let mut s = String::with_capacity(50 << 20);
    s.push_str("region = \"us-east-1\"\n[phases.prod.resources.q]\nkind = \"sqs\"\n");
    let line = format!("# {}\n", "x".repeat(97));
    while s.len() < 50 << 20 {
        s.push_str(&line);
    }
    let (_dir, path) = temp_file("huge.toml", s.as_bytes());
    let start = std::time::Instant::now();
    let o = run_path(&path);
    assert_ok(vec![check(
        "50 MB",
        &o,
        2,
        &format!("{path}: file is larger than 16 MiB"),
    )]);
    assert!(start.elapsed().as_secs() < 10, "took {:?}", start.elapsed());
}

#[cfg(unix)]
#[test]
fn an_endless_file_is_refused() {
    let o = run_path("/dev/zero");
    assert_ok(vec![check(
        "/dev/zero",
        &o,
        2,
        "/dev/zero: is a character device, not a regular file",
    )]);
}

/// `p0` extends `p{n-1}` (a cycle) or nothing (a chain); each `p{i}` extends `p{i-1}`.
fn phase_chain(n: usize, cycle: bool) -> String {
    let mut s = String::from("region = \"us-east-1\"\n[phases.p0]\n");
    if cycle {
        s.push_str(&format!("extends = \"p{}\"\n", n - 1));
    }
    s.push_str("[phases.p0.resources.q]\nkind = \"sqs\"\n");
    for i in 1..n {
        s.push_str(&format!("[phases.p{i}]\nextends = \"p{}\"\n", i - 1));
    }
    s
}

#[test]
fn deep_phase_cycles_and_chains_are_errors_not_stack_overflows() {
    // A cycle through 5,000 phases (resolving it recursively overflowed the stack).
    let (_d1, cycle) = temp_file("cycle.toml", phase_chain(5_000, true).as_bytes());
    // A valid chain 5,000 phases deep whose last phase patches a misspelt key.
    let mut chain = phase_chain(5_000, false);
    chain.push_str("[phases.p4999.patch.q]\nmonthly_requets = 5\n");
    let (_d2, deep) = temp_file("chain.toml", chain.as_bytes());
    // A chain 5,000 deep that ends on a phase that does not exist.
    let broken = phase_chain(5_000, false).replacen(
        "[phases.p1]\nextends = \"p0\"",
        "[phases.p1]\nextends = \"p00\"",
        1,
    );
    let (_d3, broken) = temp_file("broken.toml", broken.as_bytes());
    assert_ok(vec![
        check(
            "5,000-phase cycle",
            &run_path(&cycle),
            2,
            "phases extend each other in a cycle: p0 -> p4999 -> p4998 -> p4997 -> p4996 -> ... (4991 more) -> p4 -> p3 -> p2 -> p1 -> p0",
        ),
        check(
            "5,000-phase chain",
            &run_path(&deep),
            2,
            "`phases.p4999.patch.q.monthly_requets`: unknown key `monthly_requets`\n  help: did you mean `monthly_requests`?",
        ),
        check(
            "5,000-phase chain to an unknown phase",
            &run_path(&broken),
            2,
            "`phases.p1.extends`: `p1` builds on unknown phase `p00`\n  help: did you mean `p0`?",
        ),
    ]);
}

#[test]
fn a_missing_file_or_a_directory_is_an_io_error() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.toml");
    let missing = missing.to_str().unwrap();
    let d = dir.path().to_str().unwrap();
    assert_ok(vec![
        check(
            "missing file",
            &run_path(missing),
            3,
            &format!("error: cannot read {missing}: "),
        ),
        check(
            "directory",
            &run_path(d),
            3,
            &format!("error: cannot read {d}: is a directory, expected a TOML file"),
        ),
    ]);
}
