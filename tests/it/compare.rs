//! `costplan compare` and `costplan diff` against `costplan run`, on the real binary.

use std::str::FromStr;

use crate::common::run as costplan;
use rust_decimal::Decimal;
use serde_json::Value;

fn json(args: &[&str]) -> Value {
    let out = costplan(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

fn dec(v: &Value) -> Decimal {
    Decimal::from_str(v.as_str().expect("decimal string")).expect("decimal")
}

/// `run`'s monthly total per phase, in order.
fn run_totals(scenario: &str) -> Vec<(String, Decimal)> {
    json(&["run", scenario, "--format", "json"])["phases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap().to_string(),
                dec(&p["monthly_total"]),
            )
        })
        .collect()
}

const FILES: [&str; 3] = [
    "scenarios/prod.toml",
    "scenarios/prod-reserved.toml",
    "scenarios/prod-doc-prices.toml",
];

#[test]
fn compare_totals_equal_run_totals() {
    let cmp = json(&["compare", FILES[0], FILES[1], FILES[2], "--format", "json"]);
    let mut expected = Vec::new();
    for f in FILES {
        let name = json(&["run", f, "--format", "json"])["scenario"]
            .as_str()
            .unwrap()
            .to_string();
        for (phase, total) in run_totals(f) {
            expected.push((format!("{name}/{phase}"), total));
        }
    }
    let columns: Vec<&str> = cmp["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    let totals: Vec<Decimal> = cmp["totals"].as_array().unwrap().iter().map(dec).collect();
    assert_eq!(
        columns,
        expected.iter().map(|e| e.0.as_str()).collect::<Vec<_>>()
    );
    assert_eq!(totals, expected.iter().map(|e| e.1).collect::<Vec<_>>());
    // Each column's services add up to its total exactly.
    for (i, t) in totals.iter().enumerate() {
        let sum: Decimal = cmp["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| dec(&r["values"][i]))
            .sum();
        assert_eq!(sum, *t, "column {}", columns[i]);
    }
    // Differences are against the first column.
    for (i, d) in cmp["differences"].as_array().unwrap().iter().enumerate() {
        assert_eq!(dec(d), totals[i] - totals[0]);
    }
}

#[test]
fn compare_one_file_labels_phases_only_and_csv_has_a_row_per_service() {
    let cmp = json(&["compare", FILES[0], "--format", "json"]);
    assert_eq!(
        cmp["columns"],
        serde_json::json!(["prod", "staging", "dev"])
    );
    let out = costplan(&["compare", FILES[0], "--format", "csv"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("service,prod,staging,dev"));
    assert_eq!(lines.count(), cmp["rows"].as_array().unwrap().len());
}

#[test]
fn compare_table_shows_totals_and_difference() {
    // Hand check (prod phase, USD/month): the document's stated usage totals 1,473.12
    // on-demand and 1,240.28 with the discounts; both files add the same simulated CloudFront
    // requests (315.34, same traffic and seed), so 1,788.45 and 1,555.62, and the difference
    // is 1,240.28 - 1,473.12 = -232.84. Most of it is Aurora: 1,460 instance-hours x
    // ($0.40 - $0.28) = 175.20 less; Fargate 179.93 -> 125.95.
    let out = costplan(&["compare", FILES[0], FILES[1], "--phase", "prod"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("prod/prod"), "{text}");
    assert!(text.contains("prod-reserved/prod"), "{text}");
    assert!(text.contains("1,788.45"), "{text}");
    assert!(text.contains("1,555.62"), "{text}");
    assert!(text.contains("-232.84"), "{text}");
    assert!(
        text.contains("-175.20") || text.contains("417.34"),
        "{text}"
    );
}

#[test]
fn diff_delta_equals_difference_of_run_totals() {
    for new in [FILES[1], FILES[2]] {
        let d = json(&["diff", FILES[0], new, "--format", "json"]);
        let old_run = run_totals(FILES[0]);
        let new_run = run_totals(new);
        let total = |v: &[(String, Decimal)]| v.iter().map(|p| p.1).sum::<Decimal>();
        assert_eq!(dec(&d["delta"]), total(&new_run) - total(&old_run));
        for p in d["phases"].as_array().unwrap() {
            let name = p["name"].as_str().unwrap();
            let get = |v: &[(String, Decimal)]| {
                v.iter()
                    .find(|x| x.0 == name)
                    .map_or(Decimal::ZERO, |x| x.1)
            };
            assert_eq!(dec(&p["delta"]), get(&new_run) - get(&old_run), "{name}");
            // The listed lines' deltas add up to the phase delta (unchanged lines add 0).
            let lines: Decimal = p["lines"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| dec(&l["delta"]))
                .sum();
            assert_eq!(lines, dec(&p["delta"]), "{name}");
        }
    }
}

#[test]
fn diff_of_a_file_with_itself_is_empty() {
    let d = json(&["diff", FILES[0], FILES[0], "--format", "json"]);
    assert_eq!(dec(&d["delta"]), Decimal::ZERO);
    for p in d["phases"].as_array().unwrap() {
        assert_eq!(p["change"], "unchanged");
        assert!(p["lines"].as_array().unwrap().is_empty());
    }
}

#[test]
fn diff_reports_changed_prices() {
    let d = json(&[
        "diff", FILES[0], FILES[1], "--phase", "prod", "--format", "json",
    ]);
    let lines = d["phases"][0]["lines"].as_array().unwrap();
    let inst = lines
        .iter()
        .find(|l| l["resource"] == "db" && l["component"].as_str().unwrap().starts_with("Instance"))
        .expect("db instance line changed");
    assert_eq!(inst["change"], "changed");
    assert_eq!(
        dec(&inst["old"]["unit_price"]),
        Decimal::from_str("0.40").unwrap()
    );
    assert_eq!(
        dec(&inst["new"]["unit_price"]),
        Decimal::from_str("0.28").unwrap()
    );
    assert_eq!(dec(&inst["delta"]), Decimal::from_str("-175.2").unwrap());
}

#[test]
fn budget_fails_with_exit_1_but_prints_the_table() {
    let out = costplan(&["compare", FILES[0], FILES[1], "--budget", "100"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Total"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("over the budget"));
    // Neither file sets a budget (both are over the document's 1,500 once CloudFront requests
    // are priced), so without --budget the comparison passes...
    let out = costplan(&["compare", FILES[0], FILES[1]]);
    assert_eq!(out.status.code(), Some(0));
    // ...and with the document's 1,500 it fails on prod/prod (1,788.45) and on
    // prod-reserved/prod (1,555.62), which is the finding the README reports.
    let out = costplan(&["compare", FILES[0], FILES[1], "--budget", "1500"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("1,788.45") && err.contains("1,555.62"),
        "{err}"
    );
    // prod-doc-prices.toml carries the document's own budget check, and passes (1,435.35).
    let out = costplan(&["run", "scenarios/prod-doc-prices.toml"]);
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn bad_files_exit_2_or_3() {
    let out = costplan(&["compare", FILES[0], "scenarios/no-such-file.toml"]);
    assert_eq!(out.status.code(), Some(3));
    let out = costplan(&["diff", "scenarios/no-such-file.toml", FILES[0]]);
    assert_eq!(out.status.code(), Some(3));
    let out = costplan(&["compare", FILES[0], "Cargo.toml"]);
    assert_eq!(out.status.code(), Some(2));
    let out = costplan(&["diff", FILES[0], FILES[1], "--phase", "nope"]);
    assert_eq!(out.status.code(), Some(2));
}

// The compare and diff JSON contracts, pinned independently of the library's own structs: an
// added, renamed or removed field fails here.
mod contract {
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct JComparison {
        columns: Vec<String>,
        rows: Vec<JRow>,
        totals: Vec<String>,
        differences: Vec<String>,
        budgets: Vec<Option<String>>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct JRow {
        service: String,
        values: Vec<String>,
        differences: Vec<String>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct JDiff {
        old: String,
        new: String,
        phases: Vec<JPhaseDiff>,
        old_monthly: String,
        new_monthly: String,
        delta: String,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct JPhaseDiff {
        name: String,
        change: String,
        old_monthly: String,
        new_monthly: String,
        delta: String,
        lines: Vec<JLineDiff>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct JLineDiff {
        change: String,
        service: String,
        resource: String,
        component: String,
        old: Option<JSide>,
        new: Option<JSide>,
        delta: String,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct JSide {
        quantity: String,
        unit: String,
        unit_price: String,
        monthly_cost: String,
    }

    fn stdout(args: &[&str]) -> Vec<u8> {
        let out = crate::common::run(args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    }

    #[test]
    fn compare_json_has_exactly_the_documented_fields() {
        let j: JComparison = serde_json::from_slice(&stdout(&[
            "compare",
            "scenarios/prod.toml",
            "scenarios/prod-reserved.toml",
            "--format",
            "json",
        ]))
        .expect("compare JSON matches the contract");
        let n = j.columns.len();
        assert!(n >= 2);
        assert_eq!(
            (j.totals.len(), j.differences.len(), j.budgets.len()),
            (n, n, n)
        );
        assert!(j
            .rows
            .iter()
            .all(|r| r.values.len() == n && r.differences.len() == n));
        assert!(j.rows.iter().any(|r| !r.service.is_empty()));
        assert_eq!(j.differences[0], "0", "the first column is the reference");
    }

    #[test]
    fn diff_json_has_exactly_the_documented_fields() {
        let j: JDiff = serde_json::from_slice(&stdout(&[
            "diff",
            "scenarios/prod.toml",
            "scenarios/prod-reserved.toml",
            "--format",
            "json",
        ]))
        .expect("diff JSON matches the contract");
        assert_eq!((j.old.as_str(), j.new.as_str()), ("prod", "prod-reserved"));
        assert!(!j.phases.is_empty());
        let changed: Vec<&JLineDiff> = j.phases.iter().flat_map(|p| &p.lines).collect();
        assert!(!changed.is_empty(), "reserved pricing changes lines");
        for l in changed {
            assert!(
                ["added", "removed", "changed"].contains(&l.change.as_str()),
                "{l:?}"
            );
            assert!(!l.service.is_empty() && !l.resource.is_empty() && !l.component.is_empty());
            assert_eq!(l.old.is_none(), l.change == "added");
            assert_eq!(l.new.is_none(), l.change == "removed");
            assert!(!l.delta.is_empty());
        }
        let p = &j.phases[0];
        assert!(!p.name.is_empty() && !p.change.is_empty());
        assert!(!(p.old_monthly.is_empty() || p.new_monthly.is_empty() || p.delta.is_empty()));
        assert!(!(j.old_monthly.is_empty() || j.new_monthly.is_empty() || j.delta.is_empty()));
    }
}
