//! Bytes -> a file in a `--pricing-dir` folder -> `costplan run` of a bundled scenario with
//! `--pricing-dir` (the path `load` takes: catalog, scenario, book, then the estimate and its
//! checks). The first byte picks the file the rest replaces: even the region's price book
//! (`ap-northeast-1.toml`, the scenario's region), odd the instance catalog (`instances.toml`); the other file is the
//! embedded one. Raw bytes, so non-UTF-8 books are tried too. The `price_book` target calls
//! `PriceBook::parse` directly and skips the file reading and error locating done here.
#![no_main]

use clap::Parser;
use costplan::cli::{Cli, Command};
use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;
use std::sync::OnceLock;

const REGION: &str = "ap-northeast-1";
/// A scenario of that region without `[traffic]`: a simulated month per input is too slow.
const SCENARIO: &str = include_str!("../../scenarios/fargate-aurora.toml");

struct Dirs {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
    scenario: PathBuf,
}

fn dirs() -> &'static Dirs {
    static DIRS: OnceLock<Dirs> = OnceLock::new();
    DIRS.get_or_init(|| {
        let tmp = tempfile::tempdir().expect("temp dir");
        let dir = tmp.path().join("pricing");
        std::fs::create_dir(&dir).expect("pricing dir");
        let scenario = tmp.path().join("fargate-aurora.toml");
        std::fs::write(&scenario, SCENARIO).expect("scenario");
        Dirs {
            dir,
            scenario,
            _tmp: tmp,
        }
    })
}

fn embedded_book() -> &'static str {
    costplan::pricing::EMBEDDED_BOOKS
        .iter()
        .find(|(r, _)| *r == REGION)
        .map(|(_, t)| *t)
        .expect("embedded book")
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, body)) = data.split_first() else {
        return;
    };
    let d = dirs();
    let (book, catalog): (&[u8], &[u8]) = if which % 2 == 0 {
        (body, costplan::pricing::EMBEDDED_CATALOG.as_bytes())
    } else {
        (embedded_book().as_bytes(), body)
    };
    std::fs::write(d.dir.join(format!("{REGION}.toml")), book).expect("write book");
    std::fs::write(d.dir.join("instances.toml"), catalog).expect("write catalog");
    let cli = Cli::try_parse_from([
        "costplan".as_ref(),
        "run".as_ref(),
        d.scenario.as_os_str(),
        "--pricing-dir".as_ref(),
        d.dir.as_os_str(),
    ])
    .expect("arguments");
    let Command::Run(args) = &cli.command else {
        return;
    };
    // Errors are fine (and must render); panics, overflows, hangs and OOMs are not.
    match costplan::cmd::run::run(args) {
        Ok(o) => drop(o.stdout),
        Err(e) => drop(e.to_string()),
    }
});
