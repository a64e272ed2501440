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
