//! The pricing boundary's rules (issue 13 §1 and §5): overrides keep or convert the book's unit
//! and scale, every missing price of a run is named at once, `--phase` prices that phase only,
//! and totals are the exact sums of the lines as written. Figures are worked out in comments.

use crate::common::{dec, json_of, phase, run};
use rust_decimal::Decimal;
use serde_json::Value;

const DIR: &str = "tests/fixtures/pricing-rules";

fn lines<'a>(e: &'a Value, ph: &str) -> &'a Vec<Value> {
    phase(e, ph)["lines"].as_array().unwrap()
}

fn line<'a>(e: &'a Value, ph: &str, resource: &str, component: &str) -> &'a Value {
    lines(e, ph)
        .iter()
        .find(|l| l["resource"] == resource && l["component"] == component)
        .unwrap_or_else(|| panic!("{ph}: line {resource} / {component}"))
}

fn num(v: &Value) -> Decimal {
    dec(v.as_str().unwrap_or_else(|| panic!("{v} is a string")))
}

fn notes(l: &Value) -> String {
    l["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap().to_string())
        .collect::<Vec<_>>()
        .join(" | ")
}

#[test]
fn override_per_request_converts_usage_and_the_free_allowance() {
    let e = json_of(&format!("{DIR}/override-scale.toml"));
    // HTTP API, override per request: 79,600,000 requests x $0.0000011 = $87.56 (today: the
    // book's per 1,000,000 was kept, so the line read 79.6 "requests").
    let http = line(&e, "p", "http", "HTTP API requests");
    assert_eq!(num(&http["quantity"]), dec("79600000"));
    assert_eq!(http["unit"], "requests");
    assert_eq!(num(&http["monthly_cost"]), dec("87.56"));
    assert!(notes(http).contains("usage converted"), "{}", notes(http));
    // The book's 1 (1M requests) free for 12 months = 1,000,000 requests, credited at the
    // override's price: -1,000,000 x $0.0000011 = -$1.10 (today: "1 request", -$0.0000011).
    let free = line(&e, "p", "http", "Free tier: HTTP API requests");
    assert_eq!(num(&free["quantity"]), dec("-1000000"));
    assert_eq!(num(&free["monthly_cost"]), dec("-1.10"));
    assert!(
        notes(http).contains(
            "free allowance converted to the override's scale: 1 1M requests = 1,000,000 requests"
        ),
        "{}",
        notes(http)
    );
}

#[test]
fn override_without_unit_keeps_the_book_unit_and_says_so() {
    let e = json_of(&format!("{DIR}/override-scale.toml"));
    // REST API, override "3.00" with no unit: per 1M requests (the book's), 2,000,000 / 1M = 2
    // x $3.00 = $6.00; the line says the unit is the book's.
    let rest = line(&e, "p", "rest", "REST API requests");
    assert_eq!(num(&rest["quantity"]), dec("2"));
    assert_eq!(rest["unit"], "1M requests");
    assert_eq!(num(&rest["monthly_cost"]), dec("6"));
    assert!(
        notes(rest).contains("override price per 1M requests (book unit)"),
        "{}",
        notes(rest)
    );
}

#[test]
fn override_in_another_unit_is_refused_with_the_book_unit_and_a_complete_example() {
    let o = run(&["run", &format!("{DIR}/override-wrong-unit.toml")]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("override-wrong-unit.toml:4:12"), "{err}");
    assert!(
        err.contains(
            "the book prices it per 1M requests (`unit = \"1M requests\"`, `per = \"1000000\"`)"
        ),
        "{err}"
    );
    for want in [
        "a complete override:",
        "price = \"...\"",
        "unit = \"1M requests\"",
        "per = \"1000000\"",
        "reason = ",
    ] {
        assert!(err.contains(want), "{want}: {err}");
    }
}

#[test]
fn every_missing_price_is_named_in_one_run() {
    let o = run(&["run", &format!("{DIR}/missing-prices.toml")]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    // Located at the first resource that needs one (phase b, db: its table at line 11).
    assert!(err.contains("missing-prices.toml:11:"), "{err}");
    for want in [
        "3 prices are missing",
        "no price for `rds.postgres.db.x2g.large` in ap-northeast-1 (phase `b`, resource `db`)",
        "no price for `rds.mariadb.db.m6g.xlarge` in ap-northeast-1 (phase `b`, resource `db2`)",
        // Multi-AZ has its own price; the Tokyo book has none for MySQL db.m6g.large (never 2 x).
        "no price for `rds.mysql.multi_az.db.m6g.large` in ap-northeast-1 (phase `c`, resource `db`)",
    ] {
        assert!(err.contains(want), "{want}: {err}");
    }
}

#[test]
fn phase_option_prices_that_phase_only() {
    let path = format!("{DIR}/missing-next-phase.toml");
    // Every phase: phase2's price is missing.
    let all = run(&["run", &path]);
    assert_eq!(all.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&all.stderr).contains("rds.postgres.db.r7g.large"));
    // Only phase1: the ladder's next-phase cost (phase2) is not priced, so it runs.
    let one = run(&["run", &path, "--phase", "phase1", "--format", "json"]);
    assert!(
        one.status.success(),
        "{}",
        String::from_utf8_lossy(&one.stderr)
    );
    let e: Value = serde_json::from_slice(&one.stdout).unwrap();
    // 730 h x $0.018 (rds.postgres.db.t3.micro) = $13.14
    assert_eq!(
        num(&line(&e, "phase1", "db", "Instance (db.t3.micro)")["monthly_cost"]),
        dec("13.14")
    );
}

/// Every phase's `monthly_total` in the JSON is exactly the sum of its lines' `monthly_cost`
/// as written, and every line has at most 10 decimal places (the pricing boundary's rule).
fn assert_exact_totals(path: &str) {
    let e = json_of(path);
    for p in e["phases"].as_array().unwrap() {
        let mut sum = Decimal::ZERO;
        for l in p["lines"].as_array().unwrap() {
            let c = num(&l["monthly_cost"]);
            assert!(c.scale() <= 10, "{path}: {l}");
            assert!(num(&l["quantity"]).scale() <= 10, "{path}: {l}");
            sum += c;
        }
        assert_eq!(num(&p["monthly_total"]), sum, "{path}: phase {}", p["name"]);
    }
}

#[test]
fn weekday_schedule_total_is_the_exact_sum_of_its_lines() {
    // 730 / 168 x 50 = 217.2619047619 h (10 places, half to even); db.t3.micro at $0.018:
    // 217.2619047619 x 0.018 = 3.9107142857142 -> 3.9107142857.
    let path = format!("{DIR}/weekday-dev.toml");
    let e = json_of(&path);
    let db = line(&e, "dev", "db", "Instance (db.t3.micro)");
    assert_eq!(num(&db["quantity"]), dec("217.2619047619"));
    assert_eq!(num(&db["monthly_cost"]), dec("3.9107142857"));
    assert_exact_totals(&path);
}

#[test]
fn library_totals_are_exact_sums_of_the_json_lines() {
    let mut files: Vec<_> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    assert!(files.len() >= 9);
    for f in files {
        assert_exact_totals(f.to_str().unwrap());
    }
}
