//! Output safety: no partial report after a kill, no writes outside `--out`, quiet on a closed
//! pipe.

use std::process::Stdio;
use std::time::Duration;

use crate::common::{bin, run};

/// Every visible file in `dir` is complete: JSON parses, CSV has a header and whole rows, PNGs
/// end with IEND, SVGs close, Markdown ends with a newline. Hidden files may only be costplan's
/// own temporary files.
fn assert_only_complete_files(dir: &std::path::Path) {
    for e in std::fs::read_dir(dir).unwrap() {
        let path = e.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with('.') {
            assert!(
                name.starts_with(costplan::report::TEMP_PREFIX)
                    && name.ends_with(costplan::report::TEMP_SUFFIX),
                "unexpected hidden file {name}"
            );
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        match path.extension().and_then(|x| x.to_str()) {
            Some("json") => {
                serde_json::from_slice::<serde_json::Value>(&bytes)
                    .unwrap_or_else(|e| panic!("{name} is not whole JSON: {e}"));
            }
            Some("csv") => {
                let mut r = csv::Reader::from_reader(bytes.as_slice());
                let n = r.headers().unwrap().len();
                for rec in r.records() {
                    assert_eq!(rec.unwrap().len(), n, "{name} has a short row");
                }
                assert!(bytes.ends_with(b"\n"), "{name} ends mid-row");
            }
            Some("png") => assert!(bytes.ends_with(&[0xAE, 0x42, 0x60, 0x82]), "{name}"),
            Some("svg") => assert!(
                String::from_utf8_lossy(&bytes)
                    .trim_end()
                    .ends_with("</svg>"),
                "{name}"
            ),
            Some("md") => assert!(bytes.ends_with(b"\n"), "{name}"),
            _ => panic!("unexpected file {name}"),
        }
    }
}

#[test]
fn a_killed_sweep_leaves_no_partial_report() {
    // A large sweep (20,000 GB points x 3 phases: about 8 MB of JSON) killed at different
    // moments: before, during and after it writes. Whatever is visible must be complete.
    for delay_ms in [20, 60, 120, 200, 350, 600, 1000] {
        let dir = tempfile::tempdir().unwrap();
        let mut child = bin()
            .args([
                "sweep",
                "scenarios/nat-choice.toml",
                "--gb",
                "0..100000",
                "--steps",
                "20000",
                "--out",
                dir.path().to_str().unwrap(),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill(); // SIGKILL: no destructor runs
        let _ = child.wait();
        assert_only_complete_files(dir.path());
    }
}

#[test]
fn out_never_escapes_its_directory() {
    // A scenario whose name tries to climb out of --out.
    let root = tempfile::tempdir().unwrap();
    let scenario = root.path().join("evil.toml");
    std::fs::write(
        &scenario,
        "name = \"../../escaped/../x\"\nregion = \"us-east-1\"\n\
         [phases.p.resources.b]\nkind = \"s3\"\nstandard_gb = 1\n",
    )
    .unwrap();
    let out = root.path().join("out");
    let o = run(&[
        "run",
        scenario.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    // Every character outside [A-Za-z0-9_-] becomes `_`; nothing is written elsewhere.
    assert_eq!(
        names,
        [
            "______escaped____x-cost-by-phase.png",
            "______escaped____x-cost-by-phase.svg",
            "______escaped____x.csv",
            "______escaped____x.json",
            "______escaped____x.md"
        ]
    );
    let mut everything: Vec<String> = std::fs::read_dir(root.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    everything.sort();
    assert_eq!(everything, ["evil.toml", "out"]);
    assert_only_complete_files(&out);
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    // `costplan run ... | head -1`: the reader goes away before costplan writes.
    let mut child = bin()
        .args(["run", "scenarios/lambda-rds.toml"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take()); // close the read end
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!err.contains("panicked") && !err.contains("error"), "{err}");

    // The same through a real shell pipeline.
    // pipefail: the pipeline fails if costplan exits non-zero, not only if head does.
    let sh = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!(
            "set -o pipefail; '{}' run scenarios/prod.toml | head -1 >/dev/null",
            env!("CARGO_BIN_EXE_costplan")
        ))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(
        sh.status.success(),
        "{}",
        String::from_utf8_lossy(&sh.stderr)
    );
    assert!(
        sh.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&sh.stderr)
    );
}

/// Exit code and stderr of `bash -c script` run in the crate root, `$B` being the binary.
fn sh(script: &str) -> (Option<i32>, String) {
    let o = std::process::Command::new("bash")
        .arg("-c")
        .arg(script)
        .env("B", env!("CARGO_BIN_EXE_costplan"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[cfg(target_os = "linux")]
#[test]
fn an_unwritable_stderr_or_stdout_never_panics() {
    // `eprintln!` panicked (exit 101) when stderr could not be written.
    let (code, _) = sh(r#""$B" run tests/bad/012-unknown-kind.toml 2>/dev/full"#);
    assert_eq!(code, Some(2), "bad input with stderr on /dev/full");
    let (code, _) = sh(r#""$B" run scenarios/nat-choice.toml 2>/dev/full >/dev/null"#);
    assert_eq!(code, Some(0), "a good run with stderr on /dev/full");
    let dir = tempfile::tempdir().unwrap();
    let (code, _) = sh(&format!(
        r#""$B" run scenarios/nat-choice.toml --out '{}' 2>/dev/full >/dev/null"#,
        dir.path().display()
    ));
    assert_eq!(code, Some(0), "--out notes to a full stderr");
    assert!(dir.path().join("nat-choice.md").exists());
    // A full stdout is an I/O error with a message, for every command.
    for cmd in [
        "run scenarios/nat-choice.toml",
        "compare scenarios/nat-choice.toml scenarios/dev-env.toml",
        "diff scenarios/nat-choice.toml scenarios/dev-env.toml",
        "sweep scenarios/nat-choice.toml --gb 0..100 --steps 3",
        "pricing show us-east-1",
    ] {
        let (code, err) = sh(&format!(r#""$B" {cmd} >/dev/full"#));
        assert_eq!(code, Some(3), "{cmd} >/dev/full: {err}");
        assert!(err.contains("error: cannot write output: "), "{cmd}: {err}");
        assert!(!err.contains("panicked"), "{cmd}: {err}");
        // Both full: nothing can be said, but the status still tells.
        let (code, _) = sh(&format!(r#""$B" {cmd} >/dev/full 2>/dev/full"#));
        assert_eq!(code, Some(3), "{cmd} with stdout and stderr on /dev/full");
    }
}

#[test]
fn closed_stderr_and_stdout_end_quietly() {
    // `run --out d 2>&1 | head -1` exited 101 about one time in eight: the notes written after
    // head had gone panicked. Closing both pipes before costplan writes makes it certain.
    let dir = tempfile::tempdir().unwrap();
    let mut child = bin()
        .args([
            "run",
            "scenarios/nat-choice.toml",
            "--out",
            dir.path().to_str().unwrap(),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    drop(child.stderr.take());
    assert_eq!(child.wait().unwrap().code(), Some(0));
    // A bad input with both closed still says 2.
    let mut child = bin()
        .args(["run", "tests/bad/012-unknown-kind.toml"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    drop(child.stderr.take());
    assert_eq!(child.wait().unwrap().code(), Some(2));
    // The pipeline of the issue, a few times (it was a race).
    for _ in 0..8 {
        let d = tempfile::tempdir().unwrap();
        let (code, err) = sh(&format!(
            r#"set -o pipefail; "$B" run scenarios/nat-choice.toml --out '{}' 2>&1 | head -1 >/dev/null"#,
            d.path().display()
        ));
        assert_eq!(code, Some(0), "{err}");
    }
}

/// The names of the files in `dir`, sorted.
fn names_in(dir: &std::path::Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    v.sort();
    v
}

/// A scenario named `name` with `[traffic]`, a database and `[growth]` (so --out writes all 20
/// files: 15 of the run and 5 of the forecast).
fn named_scenario(dir: &std::path::Path, file: &str, name: &str) -> String {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/lambda-rds.toml"),
    )
    .unwrap();
    // The scenario's own `name` is its first (top-level) one.
    let body = text.replacen("name = \"lambda-rds\"", &format!("name = {name:?}"), 1);
    assert_ne!(body, text);
    let path = dir.join(file);
    std::fs::write(&path, body).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn a_long_scenario_name_gives_short_file_names_and_a_whole_report() {
    // 250 characters: exit 3 after writing 3 of the 15 files (names over 255 bytes). 20 files
    // since lambda-rds has a forecast.
    let root = tempfile::tempdir().unwrap();
    let name = format!("{}x", "a".repeat(249));
    let s = named_scenario(root.path(), "long.toml", &name);
    let out = root.path().join("out");
    let o = run(&["run", &s, "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let names = names_in(&out);
    assert_eq!(names.len(), 20, "{names:?}");
    for n in &names {
        assert!(n.len() <= 255, "{n}");
        assert!(n.starts_with(&"a".repeat(100)), "{n}");
    }
    // The same name gives the same files; a different one (same first 110 characters) others.
    let other = named_scenario(root.path(), "long2.toml", &format!("{}y", "a".repeat(249)));
    let o = run(&["run", &other, "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(names_in(&out).len(), 40);
    assert_only_complete_files(&out);
}

#[test]
fn non_ascii_scenario_names_give_distinct_readable_files() {
    // Both wrote `__API.json` and overwrote each other.
    let root = tempfile::tempdir().unwrap();
    let a = named_scenario(root.path(), "a.toml", "本番API");
    let b = named_scenario(root.path(), "b.toml", "検証API");
    let out = root.path().join("out");
    for s in [&a, &b] {
        let o = run(&["run", s, "--out", out.to_str().unwrap(), "--format", "json"]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let json: Vec<String> = names_in(&out)
        .into_iter()
        .filter(|n| n.ends_with(".json") && !n.contains("-sweep") && !n.contains("-forecast"))
        .collect();
    assert_eq!(json.len(), 2, "{json:?}");
    assert!(json.iter().any(|n| n.starts_with("本番API-")), "{json:?}");
    assert!(json.iter().any(|n| n.starts_with("検証API-")), "{json:?}");
}

#[test]
fn charts_need_no_tmpdir() {
    // With TMPDIR pointing nowhere, --out failed ("cannot draw a chart").
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("out");
    let o = bin()
        .args([
            "run",
            "scenarios/lambda-rds.toml",
            "--out",
            out.to_str().unwrap(),
        ])
        .env("TMPDIR", root.path().join("nowhere"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(names_in(&out).len(), 20);
    assert_only_complete_files(&out);
}

#[test]
fn out_on_a_file_or_a_taken_name_writes_nothing() {
    let root = tempfile::tempdir().unwrap();
    // --out naming an existing file said "File exists".
    let file = root.path().join("report.txt");
    std::fs::write(&file, "keep me").unwrap();
    let o = run(&[
        "run",
        "scenarios/nat-choice.toml",
        "--out",
        file.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(3));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains(&format!(
            "error: cannot write the report to {}: it exists and is not a directory",
            file.display()
        )),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep me");
    // A folder under a file.
    let under = file.join("sub");
    let o = run(&[
        "run",
        "scenarios/nat-choice.toml",
        "--out",
        under.to_str().unwrap(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    // A report file's name taken by a directory: refused before the first write, so nothing
    // of the report appears.
    let out = root.path().join("out");
    std::fs::create_dir_all(out.join("nat-choice.md")).unwrap();
    let o = run(&[
        "run",
        "scenarios/nat-choice.toml",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(names_in(&out), ["nat-choice.md"]);
    // --out into a place that cannot be created leaves nothing (and no temporary file).
    let o = run(&[
        "run",
        "scenarios/nat-choice.toml",
        "--out",
        "/proc/costplan-no/out",
    ]);
    assert_eq!(o.status.code(), Some(3));
    assert!(!String::from_utf8_lossy(&o.stderr).contains("panicked"));
}
