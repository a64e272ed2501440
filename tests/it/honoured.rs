//! Inputs that used to be silently ignored are refused with a located message (issue 13 §2).

use crate::common::run;

fn err(text: &str) -> String {
    match costplan::estimate_toml("t.toml", text) {
        Ok(_) => panic!("expected an error for\n{text}"),
        Err(e) => e.to_string(),
    }
}

const LAMBDA: &str = "[phases.p.resources.f]\nkind = \"lambda\"\nmemory_mb = 512\n";

#[test]
fn simulation_settings_without_traffic_are_refused_and_still_checked() {
    let e = err(&format!(
        "region = \"us-east-1\"\n[simulation]\nseed = 3\n{LAMBDA}"
    ));
    assert!(
        e.contains("t.toml:2:") && e.contains("no `[traffic]`"),
        "{e}"
    );
    let e = err(&format!(
        "region = \"us-east-1\"\n[simulation]\nstep_seconds = 7\n{LAMBDA}"
    ));
    assert!(
        e.contains("simulation.step_seconds") && e.contains("divide a minute"),
        "{e}"
    );
}

#[test]
fn triggers_without_traffic_are_refused() {
    let e = err(&format!(
        "region = \"us-east-1\"\n{LAMBDA}[[phases.p.triggers]]\nmetric = \"lambda_concurrency\"\nabove = 20\n"
    ));
    assert!(
        e.contains("phases.p.triggers[0]") && e.contains("no `[traffic]`"),
        "{e}"
    );
}

fn with_traffic(traffic: &str, resources: &str) -> String {
    format!("region = \"us-east-1\"\n[traffic]\navg_rps = 1\n{traffic}\n{resources}")
}

#[test]
fn a_p95_on_a_fixed_duration_is_refused() {
    let e = err(&with_traffic(
        "duration_ms = { mean = 200, p95 = 600, distribution = \"fixed\" }",
        LAMBDA,
    ));
    assert!(
        e.contains("traffic.duration_ms") && e.contains("remove `p95`"),
        "{e}"
    );
}

#[test]
fn a_spike_after_the_month_is_refused() {
    // 730 hours is 30.42 days: day 31 at 12:00 starts after the month's end.
    let e = err(&with_traffic(
        "duration_ms = 100\n[[traffic.spikes]]\nday = 31\nat = \"12:00\"\nminutes = 10\nmultiplier = 3",
        LAMBDA,
    ));
    assert!(
        e.contains("traffic.spikes[0]") && e.contains("after the month ends"),
        "{e}"
    );
    // Day 31 at 05:00 is still inside it.
    let ok = with_traffic(
        "duration_ms = 100\n[[traffic.spikes]]\nday = 31\nat = \"05:00\"\nminutes = 10\nmultiplier = 3",
        LAMBDA,
    );
    costplan::estimate_toml("t.toml", &ok).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn provisioned_concurrency_above_reserved_is_refused() {
    let e = err(&format!(
        "region = \"us-east-1\"\n{LAMBDA}provisioned_concurrency = 10\nreserved_concurrency = 5\n"
    ));
    assert!(
        e.contains("phases.p.resources.f.provisioned_concurrency"),
        "{e}"
    );
    assert!(e.contains("cannot exceed reserved concurrency"), "{e}");
}

#[test]
fn a_budget_of_zero_or_less_is_bad_input() {
    for b in ["0", "-5", "abc"] {
        let o = run(&["run", "scenarios/prod.toml", "--budget", b]);
        assert_eq!(o.status.code(), Some(2), "--budget {b}");
        let e = String::from_utf8_lossy(&o.stderr);
        assert!(e.contains("--budget"), "{e}");
    }
    let o = run(&["compare", "scenarios/prod.toml", "--budget", "0"]);
    assert_eq!(o.status.code(), Some(2));
    // A positive budget is a check: exit 1 when a phase costs more.
    let o = run(&["run", "scenarios/prod.toml", "--budget", "1"]);
    assert_eq!(o.status.code(), Some(1));
}
