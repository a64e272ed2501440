//! Phases, environments and the free tier (issue 13 §4): the growth sequence and its
//! alternatives, triggers inherited through `extends`, a phase's total with its environments,
//! stated usage that follows an environment's size, and the free-tier modes by account date.

use rust_decimal::Decimal;

use crate::common::{dec, json_of, run};

fn err(text: &str) -> String {
    match costplan::estimate_toml("t.toml", text) {
        Ok(_) => panic!("expected an error for\n{text}"),
        Err(e) => e.to_string(),
    }
}

fn total(text: &str, phase: &str) -> Decimal {
    let e = costplan::estimate_toml("t.toml", text).expect("prices");
    e.phases
        .iter()
        .find(|p| p.name == phase)
        .expect("phase")
        .monthly_total()
}

/// 1 req/s flat; phase `a` has one rule (rps above 2 on the hourly average), `b` extends it,
/// `c` is an alternative design that states nothing about triggers.
fn laddered(growth: &str, b_extra: &str) -> String {
    format!(
        r#"region = "us-east-1"
{growth}
[traffic]
avg_rps = 1
duration_ms = 100

[phases.a.resources.f]
kind = "lambda"
memory_mb = 128

[[phases.a.triggers]]
name = "busy"
metric = "rps"
above = 2
statistic = "average"
period_minutes = 60

[phases.b]
extends = "a"
{b_extra}
[phases.b.patch.f]
memory_mb = 256

[phases.c.resources.f]
kind = "lambda"
memory_mb = 1024
"#
    )
}

fn own_rules(p: &costplan::plan::Plan, phase: &str) -> Vec<String> {
    p.capacity
        .as_ref()
        .and_then(|c| c.phase(phase))
        .expect("capacity")
        .triggers
        .iter()
        .filter(|t| !t.builtin)
        .map(|t| t.rule.clone())
        .collect()
}

#[test]
fn extends_inherits_triggers_unless_the_phase_says_otherwise() {
    let p = costplan::plan_toml("t.toml", &laddered("", ""), None).expect("plan");
    // Before: `b` had no rule of its own, so it "held" to the search cap.
    assert_eq!(own_rules(&p, "b"), own_rules(&p, "a"));
    assert_eq!(own_rules(&p, "b").len(), 1);
    let p = costplan::plan_toml("t.toml", &laddered("", "triggers = []"), None).expect("plan");
    assert!(own_rules(&p, "b").is_empty());
}

#[test]
fn alternatives_are_compared_not_laddered() {
    let p = costplan::plan_toml(
        "t.toml",
        &laddered("[growth]\nphases = [\"a\", \"b\"]", ""),
        None,
    )
    .expect("plan");
    let ladder = &p.capacity.as_ref().expect("capacity").ladder;
    let names: Vec<(&str, bool, Option<&str>)> = ladder
        .iter()
        .map(|r| (r.phase.as_str(), r.alternative, r.next_phase.as_deref()))
        .collect();
    // Without [growth], c was laddered as b's next phase.
    assert_eq!(
        names,
        [
            ("a", false, Some("b")),
            ("b", false, None),
            ("c", true, None)
        ]
    );
    // The order is the sequence's, not the file's.
    let p = costplan::plan_toml(
        "t.toml",
        &laddered("[growth]\nphases = [\"b\", \"a\"]", ""),
        None,
    )
    .expect("plan");
    let ladder = &p.capacity.as_ref().expect("capacity").ladder;
    assert_eq!(ladder[0].phase, "b");
    assert_eq!(ladder[0].next_phase.as_deref(), Some("a"));
    // The ladder table says which rows are alternatives.
    let text = costplan::report::Format::Table.render(&p).expect("table");
    assert!(text.contains("c (alternative)"), "{text}");
}

#[test]
fn the_growth_sequence_names_phases() {
    let e = err(&laddered("[growth]\nphases = [\"a\", \"bb\"]", ""));
    assert!(
        e.contains("t.toml:3:") && e.contains("growth.phases[1]") && e.contains("did you mean `b`"),
        "{e}"
    );
    let e = err(&laddered("[growth]\nphases = [\"a\", \"a\"]", ""));
    assert!(e.contains("listed twice"), "{e}");
}

#[test]
fn the_summary_shows_a_phase_with_its_environments() {
    let e = json_of("scenarios/prod.toml");
    let g = &e["with_environments"][0];
    assert_eq!(g["phase"], "prod");
    assert_eq!(g["environments"], serde_json::json!(["staging", "dev"]));
    let sum = crate::common::total(&e, "prod")
        + crate::common::total(&e, "staging")
        + crate::common::total(&e, "dev");
    // Exact: every line is rounded to 10 places, so the sum of the lines shown is the total.
    assert_eq!(dec(g["monthly_total"].as_str().unwrap()), sum);
    // The full layout (no fitting to a terminal's width, which could wrap the label).
    let o = run(&["run", "scenarios/prod.toml", "--columns", "0"]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("prod + staging + dev (with environments)"),
        "{text}"
    );
    let o = run(&["run", "scenarios/prod.toml", "--format", "markdown"]);
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("| prod + staging + dev (with environments) |")
    );
    // CSV keeps one row per line; `phase_group` sums to the same total.
    let o = run(&["run", "scenarios/prod.toml", "--format", "csv"]);
    let mut r = csv::Reader::from_reader(&o.stdout[..]);
    let col = r
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "phase_group")
        .unwrap();
    let by_group: Decimal = r
        .records()
        .map(|x| x.unwrap())
        .filter(|x| &x[col] == "prod")
        .map(|x| dec(&x[7]))
        .sum();
    assert_eq!(by_group.round_dp(20), sum.round_dp(20));
}

const LOGS: &str = r#"region = "us-east-1"
[phases.prod.resources.logs]
kind = "cloudwatch"
log_ingest_gb = 10
[environments.staging]
phase = "prod"
traffic_share = 0.01
"#;

#[test]
fn stated_usage_follows_an_environments_size_when_asked() {
    // 10 GB x $0.50 = $5.00 in prod. Staging copies the stated 10 GB unless asked to scale.
    assert_eq!(total(LOGS, "prod"), dec("5"));
    assert_eq!(total(LOGS, "staging"), dec("5"));
    // With scale_stated_usage: 10 GB x 0.01 = 0.1 GB x $0.50 = $0.05.
    let scaled = format!("{LOGS}scale_stated_usage = true\n");
    assert_eq!(total(&scaled, "staging"), dec("0.05"));
    let e = err(&LOGS.replace("traffic_share = 0.01\n", "scale_stated_usage = true\n"));
    assert!(
        e.contains("environments.staging.scale_stated_usage") && e.contains("no `traffic_share`"),
        "{e}"
    );
}

const NAT: &str = "[phases.p.resources.nat]\nkind = \"nat_gateway\"\n";

#[test]
fn new_account_is_refused_with_the_date_rule() {
    let e = err(&format!(
        "region = \"us-east-1\"\nfree_tier = \"new-account\"\n{NAT}"
    ));
    assert!(
        e.contains("t.toml:2:") && e.contains("legacy-12-month") && e.contains("2025-07-15"),
        "{e}"
    );
    // `always` stays the older spelling of `always-free`.
    let a = total(
        &format!("region = \"us-east-1\"\nfree_tier = \"always\"\n{NAT}"),
        "p",
    );
    let b = total(
        &format!("region = \"us-east-1\"\nfree_tier = \"always-free\"\n{NAT}"),
        "p",
    );
    assert_eq!(a, b);
}

#[test]
fn the_credit_plan_is_a_capped_credit_line() {
    // One NAT Gateway: 730 h x $0.045 = $32.85, no allowance. $200 of credits cover it all.
    let e = costplan::estimate_toml(
        "t.toml",
        &format!("region = \"us-east-1\"\nfree_tier = \"credits\"\n{NAT}"),
    )
    .expect("prices");
    let p = &e.phases[0];
    let credit = p.lines.last().expect("line");
    assert_eq!(credit.component, "Free tier credits (credit plan)");
    assert_eq!(credit.monthly_cost, dec("-32.85"));
    assert!(credit.notes[0].contains("2025-07-15"), "{:?}", credit.notes);
    assert_eq!(p.monthly_total(), Decimal::ZERO);
    // $10 of credits: 32.85 - 10 = 22.85.
    let t = total(
        &format!("region = \"us-east-1\"\nfree_tier = \"credits\"\nfree_tier_credits = 10\n{NAT}"),
        "p",
    );
    assert_eq!(t, dec("22.85"));
    let e = err(&format!(
        "region = \"us-east-1\"\nfree_tier = \"credits\"\nfree_tier_credits = 250\n{NAT}"
    ));
    assert!(e.contains("free_tier_credits") && e.contains("200"), "{e}");
    let e = err(&format!(
        "region = \"us-east-1\"\nfree_tier = \"always-free\"\nfree_tier_credits = 10\n{NAT}"
    ));
    assert!(e.contains("only used with"), "{e}");
}

#[test]
fn the_credit_plan_keeps_the_always_free_allowances_only() {
    // 2M Lambda requests: 1M always free, so $0.20 before credits; the 12-month-only RDS
    // allowance does not apply under the credit plan.
    let lambda = "[phases.p.resources.f]\nkind = \"lambda\"\nmemory_mb = 128\nmonthly_requests = 2000000\navg_duration_ms = 1\n";
    let e = costplan::estimate_toml(
        "t.toml",
        &format!("region = \"us-east-1\"\nfree_tier = \"credits\"\nfree_tier_credits = \"0.05\"\n{lambda}"),
    )
    .expect("prices");
    let lines = &e.phases[0].lines;
    assert!(lines
        .iter()
        .any(|l| l.component.starts_with("Free tier: Requests")));
    let credit = lines.last().expect("line");
    assert_eq!(credit.monthly_cost, dec("-0.05"));
}
