//! `costplan forecast` (issue 17 §1): months, phases, costs and trigger months against a hand
//! computation on a small scenario.

use serde_json::Value;

use crate::common::{dec, run};

/// 1 req/s flat, growing 10 % a month. Phase `a` has one rule: the daily average above
/// 1.5 req/s. Its costs are all stated, so they do not depend on the traffic:
///   NAT Gateway 730 h x $0.045 = 32.85
///   Lambda 1M requests x $0.20/M = 0.20; 1M x 0.1 s x 0.125 GB = 12,500 GB-s x
///   $0.0000166667 = 0.20833375
///   a = 33.25833375; b = a + a second NAT Gateway = 66.10833375.
const GROWING: &str = r#"region = "us-east-1"
[traffic]
avg_rps = 1
duration_ms = 100

[growth]
phases = ["a", "b"]
monthly_percent = 10
LEAD

[phases.a.resources.nat]
kind = "nat_gateway"

[phases.a.resources.f]
kind = "lambda"
memory_mb = 128
monthly_requests = 1000000
avg_duration_ms = 100

[[phases.a.triggers]]
name = "busy"
metric = "rps"
above = 1.5
statistic = "average"
period_minutes = 1440

[phases.b]
extends = "a"
triggers = []

[phases.b.resources.nat2]
kind = "nat_gateway"
"#;

fn forecast(lead: &str, args: &[&str]) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("growing.toml");
    std::fs::write(&path, GROWING.replace("LEAD", lead)).unwrap();
    let mut a = vec!["forecast", path.to_str().unwrap()];
    a.extend_from_slice(args);
    a.extend_from_slice(&["--format", "json"]);
    let o = run(&a);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

fn phases(f: &Value) -> Vec<String> {
    f["months"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["phase"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn months_follow_the_growth_and_the_first_phase_that_holds() {
    // Traffic 1.1^(m-1): M5 1.4641 (a holds, below 1.5), M6 1.61051 (a's rule fires: b).
    let f = forecast("", &["--months", "8", "--start", "2027-11"]);
    assert_eq!(phases(&f), ["a", "a", "a", "a", "a", "b", "b", "b"]);
    let m = &f["months"].as_array().unwrap();
    assert_eq!(m[0]["label"], "2027-11");
    assert_eq!(m[2]["label"], "2028-01");
    assert!((m[4]["avg_rps"].as_f64().unwrap() - 1.4641).abs() < 1e-9);
    assert_eq!(
        dec(m[0]["monthly_cost"].as_str().unwrap()),
        dec("33.25833375")
    );
    assert_eq!(
        dec(m[5]["monthly_cost"].as_str().unwrap()),
        dec("66.10833375")
    );
    // 5 x 33.25833375 + 3 x 66.10833375 = 166.29166875 + 198.32500125 = 364.61667.
    assert_eq!(dec(f["total"].as_str().unwrap()), dec("364.61667"));
    assert_eq!(
        dec(m[7]["cumulative_cost"].as_str().unwrap()),
        dec("364.61667")
    );
    let busy = f["triggers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["phase"] == "a" && !t["builtin"].as_bool().unwrap())
        .unwrap();
    assert_eq!(busy["first_fires_month"], 6);
    assert_eq!(busy["first_fires_label"], "2028-04");
    let spans = f["phases"].as_array().unwrap();
    assert_eq!(
        (&spans[0]["first_month"], &spans[0]["last_month"]),
        (&1.into(), &5.into())
    );
    assert_eq!(
        (&spans[1]["first_month"], &spans[1]["last_month"]),
        (&6.into(), &8.into())
    );
}

#[test]
fn lead_time_moves_the_switch_earlier() {
    // With one month's lead, M5 already looks at M6's 1.61051.
    let f = forecast("lead_months = 1", &["--months", "8"]);
    assert_eq!(phases(&f), ["a", "a", "a", "a", "b", "b", "b", "b"]);
    assert_eq!(f["months"][0]["label"], "M1");
}

#[test]
fn a_forecast_needs_growth_and_a_valid_start() {
    let o = run(&["forecast", "scenarios/prod.toml", "--months", "3"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("[growth]"));
    let o = run(&[
        "forecast",
        "scenarios/lambda-rds.toml",
        "--months",
        "3",
        "--start",
        "2027-13",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("YYYY-MM"));
}

#[test]
fn every_format_renders_and_the_table_names_the_phases() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = run(&[
        "forecast",
        "scenarios/lambda-rds.toml",
        "--months",
        "36",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("phase4") && text.contains("When each rule first fires"),
        "{text}"
    );
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "lambda-rds-forecast.csv",
            "lambda-rds-forecast.json",
            "lambda-rds-forecast.md",
            "lambda-rds-forecast.png",
            "lambda-rds-forecast.svg"
        ]
    );
}
