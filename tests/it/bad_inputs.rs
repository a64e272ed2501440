//! The bad-input corpus: every file in `tests/bad/` must fail with the exit code and the stderr
//! fragment that `tests/bad/expected.toml` gives for it, never panic, and print nothing on
//! stdout. Inputs too big to commit (10,000 resources, 50 MB, a 5,000-phase cycle) and the I/O
//! failures (a missing file, a directory) are generated here.

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

fn manifest() -> Vec<Case> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(CORPUS)
        .join("expected.toml");
    let text = std::fs::read_to_string(&path).expect("tests/bad/expected.toml");
    let doc: toml::Table = text.parse().expect("expected.toml is TOML");
    let files = doc["files"].as_table().expect("[files.\"NAME\"] tables");
    files
        .iter()
        .map(|(file, v)| Case {
            file: file.clone(),
            exit: v["exit"].as_integer().expect("exit") as i32,
            stderr: v["stderr"].as_str().expect("stderr").to_string(),
        })
        .collect()
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

#[test]
fn manifest_lists_every_file_of_the_corpus() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(CORPUS);
    let on_disk: BTreeSet<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "expected.toml")
        .collect();
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
        listed.len() >= 40,
        "the corpus needs at least 40 files, has {}",
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
        "/dev/zero: file is larger than 16 MiB",
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
