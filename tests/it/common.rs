//! Helpers shared by the integration tests: run the real binary, read its JSON.
#![allow(dead_code)] // each test file uses a different subset

use std::process::{Command, Output};

use rust_decimal::Decimal;
use serde_json::Value;

/// The binary with the crate root as working directory (scenario paths are relative to it).
pub fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_costplan"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    // Tables fit $COLUMNS when it is set: tests see the default width (100) unless they ask.
    c.env_remove("COLUMNS");
    c
}

pub fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("binary runs")
}

pub fn dec(s: &str) -> Decimal {
    s.parse()
        .unwrap_or_else(|_| panic!("`{s}` is a decimal string"))
}

/// `costplan run PATH --format json`, which must succeed.
pub fn json_of(path: &str) -> Value {
    let o = run(&["run", path, "--format", "json"]);
    assert!(
        o.status.success(),
        "{path}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).expect("valid JSON")
}

pub fn phase<'a>(e: &'a Value, name: &str) -> &'a Value {
    e["phases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == name)
        .unwrap_or_else(|| panic!("phase {name}"))
}

pub fn total(e: &Value, name: &str) -> Decimal {
    dec(phase(e, name)["monthly_total"].as_str().unwrap())
}
