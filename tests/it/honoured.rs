//! Inputs that used to be silently ignored are refused with a located message (issue 13 §2).

use crate::common::{self, run};

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

fn plan(text: &str) -> costplan::plan::Plan {
    costplan::plan_toml("t.toml", text, None).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

fn line<'a>(p: &'a costplan::plan::Plan, component: &str) -> &'a costplan::cost::CostLine {
    p.estimate.phases[0]
        .lines
        .iter()
        .find(|l| l.component == component)
        .unwrap_or_else(|| panic!("no line `{component}`"))
}

/// Traffic only on weekdays 09:00-19:00 (the month starts on a Monday).
const OFFICE_TRAFFIC: &str = "region = \"us-east-1\"\n[traffic]\navg_rps = 1\nduration_ms = 100\ndaily_shape = [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0]\nweekly_shape = [1, 1, 1, 1, 1, 0, 0]\n";

#[test]
fn an_autoscaled_fleet_runs_and_bills_only_in_its_schedule() {
    let p = plan(&format!(
        "{OFFICE_TRAFFIC}[phases.p.resources.api]\nkind = \"fargate\"\ncpu = 1\nmemory_gb = 2\nschedule = \"weekdays 09-19\"\nautoscaling = {{ min = 2, max = 2, target_rps_per_task = 100 }}\n"
    ));
    // Held at 2 tasks while on: 2 x 50/168 x 730 = 434.5238095... task-hours (the average
    // month's share of the schedule, as `tasks = 2` bills it), x 1 vCPU, to 6 places. Ignoring
    // the schedule billed 2 x 730 = 1,460.
    let vcpu = line(&p, "vCPU");
    assert_eq!(vcpu.quantity, common::dec("434.52381"), "{vcpu:?}");
    // x $0.04048 (fargate.vcpu.x86_64) = $17.5895238...
    assert_eq!(vcpu.monthly_cost.round_dp(4), common::dec("17.5895"));
    assert!(
        !vcpu.notes.iter().any(|n| n.contains("not served")),
        "{vcpu:?}"
    );
    // The simulated month (from a Monday 00:00, 730 h) holds 22 weekdays and Wednesday's
    // 09:00-10:00: 221 on-hours of 730, so 2 x 221 / 730 = 0.6055 tasks on average, 0 off.
    let cap = &p.capacity.as_ref().unwrap().phases[0];
    let t = cap.tasks.as_ref().unwrap();
    assert_eq!((t.min, t.max), (0.0, 2.0));
    assert!((t.mean - 2.0 * 221.0 / 730.0).abs() < 1e-9, "{t:?}");
}

#[test]
fn requests_arriving_while_a_scheduled_fleet_is_off_are_reported_unserved() {
    // Traffic all week, instances only on weekdays 09-19.
    let p = plan("region = \"us-east-1\"\n[traffic]\navg_rps = 1\nduration_ms = 100\n[phases.p.resources.app]\nkind = \"ec2\"\ninstance_type = \"t3.micro\"\nschedule = \"weekdays 09-19\"\n");
    let inst = line(&p, "Instance (t3.micro)");
    // 730 x 50 / 168 = 217.2619... h, as before.
    assert_eq!(inst.quantity.round_dp(4), common::dec("217.2619"));
    // (730 - 221) h x 3,600 s x 1 req/s = 1,832,400 requests arrive while it is off.
    let note = inst
        .notes
        .iter()
        .find(|n| n.contains("not served"))
        .unwrap_or_else(|| panic!("{inst:?}"));
    assert!(note.contains("outside its schedule"), "{note}");
    let cap = &p.capacity.as_ref().unwrap().phases[0];
    let t = cap.tasks.as_ref().unwrap();
    assert!((t.mean - 221.0 / 730.0).abs() < 1e-9, "{t:?}");
}

#[test]
fn a_fleet_count_with_autoscaling_is_refused() {
    let e = err(&format!("{OFFICE_TRAFFIC}[phases.p.resources.app]\nkind = \"ec2\"\ninstance_type = \"t3.micro\"\ncount = 3\nautoscaling = {{ min = 1, max = 4, target_rps_per_task = 10 }}\n"));
    assert!(
        e.contains("phases.p.resources.app.count") && e.contains("autoscaling"),
        "{e}"
    );
    let e = err(&format!("{OFFICE_TRAFFIC}[phases.p.resources.api]\nkind = \"fargate\"\ncpu = 1\nmemory_gb = 2\ntasks = 3\nautoscaling = {{ min = 1, max = 4, target_rps_per_task = 10 }}\n"));
    assert!(
        e.contains("phases.p.resources.api.tasks") && e.contains("autoscaling"),
        "{e}"
    );
}

#[test]
fn autoscaling_without_traffic_is_refused() {
    let e = err("region = \"us-east-1\"\n[phases.p.resources.app]\nkind = \"ec2\"\ninstance_type = \"t3.micro\"\nautoscaling = { min = 1, max = 4, target_rps_per_task = 10 }\n");
    assert!(
        e.contains("phases.p.resources.app.autoscaling") && e.contains("no `[traffic]`"),
        "{e}"
    );
}

#[test]
fn fargate_tasks_with_task_hours_is_refused() {
    let e = err("region = \"us-east-1\"\n[phases.p.resources.api]\nkind = \"fargate\"\ncpu = 1\nmemory_gb = 2\ntasks = 2\ntask_hours = 300\n");
    assert!(
        e.contains("phases.p.resources.api.task_hours") && e.contains("`tasks`"),
        "{e}"
    );
}

#[test]
fn a_monthly_total_of_hours_on_a_simulated_fleet_is_refused() {
    // The simulator must know when the tasks run; a monthly total does not say.
    let e = err(&format!("{OFFICE_TRAFFIC}[phases.p.resources.api]\nkind = \"fargate\"\ncpu = 1\nmemory_gb = 2\ntask_hours = 300\n"));
    assert!(e.contains("phases.p.resources.api.task_hours"), "{e}");
    let e = err(&format!("{OFFICE_TRAFFIC}[phases.p.resources.app]\nkind = \"ec2\"\ninstance_type = \"t3.micro\"\nschedule = \"200h\"\n"));
    assert!(
        e.contains("phases.p.resources.app.schedule") && e.contains("weekdays 09-19"),
        "{e}"
    );
}

#[test]
fn a_resource_patched_and_redefined_in_one_phase_is_refused() {
    let e = err("region = \"us-east-1\"\n[phases.a.resources.app]\nkind = \"ec2\"\ninstance_type = \"t3.micro\"\n[phases.b]\nextends = \"a\"\n[phases.b.patch.app]\ncount = 2\n[phases.b.resources.app]\nkind = \"ec2\"\ninstance_type = \"t3.small\"\n");
    assert!(
        e.contains("t.toml:7:") && e.contains("phases.b.patch.app") && e.contains("defined again"),
        "{e}"
    );
}

#[test]
fn running_time_longer_than_the_month_is_refused() {
    let cases = [
        (
            "[phases.p.resources.app]\nkind = \"ec2\"\ninstance_type = \"t3.micro\"\nhours_per_month = 1000\n",
            "phases.p.resources.app.hours_per_month",
        ),
        (
            "[phases.p.resources.app]\nkind = \"ec2\"\ninstance_type = \"t3.micro\"\nschedule = \"800h\"\n",
            "phases.p.resources.app.schedule",
        ),
        (
            "[phases.p.resources.db]\nkind = \"rds\"\nengine = \"postgres\"\ninstance_class = \"db.t3.micro\"\nstorage_gb = 20\nschedule = \"731h\"\n",
            "phases.p.resources.db.schedule",
        ),
        (
            "[phases.p.resources.f]\nkind = \"lambda\"\nmemory_mb = 512\nprovisioned_concurrency = 2\nprovisioned_hours = 800\n",
            "phases.p.resources.f.provisioned_hours",
        ),
        (
            "[phases.p.resources.ip]\nkind = \"public_ipv4\"\ncount = 1\nhours_per_month = 900\n",
            "phases.p.resources.ip.hours_per_month",
        ),
    ];
    for (body, key) in cases {
        let e = err(&format!("region = \"us-east-1\"\n{body}"));
        assert!(e.contains(key) && e.contains("730 h"), "{e}");
    }
    // The whole month is fine, and a longer month (hours_per_month = 744) takes more.
    costplan::estimate_toml("t.toml", "region = \"us-east-1\"\n[phases.p.resources.app]\nkind = \"ec2\"\ninstance_type = \"t3.micro\"\nhours_per_month = 730\n").unwrap();
    costplan::estimate_toml("t.toml", "region = \"us-east-1\"\nhours_per_month = 744\n[phases.p.resources.app]\nkind = \"ec2\"\ninstance_type = \"t3.micro\"\nschedule = \"740h\"\n").unwrap();
}

#[test]
fn a_trigger_longer_than_the_month_is_refused() {
    // 31 consecutive daily periods need 31 days; the month has 30.42.
    let e = err(&format!(
        "region = \"us-east-1\"\n[traffic]\navg_rps = 1\nduration_ms = 100\n{LAMBDA}[[phases.p.triggers]]\nmetric = \"rps\"\nabove = 5\nperiod_minutes = 1440\nfor_periods = 31\n"
    ));
    assert!(
        e.contains("phases.p.triggers[0]") && e.contains("730 h"),
        "{e}"
    );
    // 30 fit.
    costplan::estimate_toml("t.toml", &format!(
        "region = \"us-east-1\"\n[traffic]\navg_rps = 1\nduration_ms = 100\n{LAMBDA}[[phases.p.triggers]]\nmetric = \"rps\"\nabove = 5\nperiod_minutes = 1440\nfor_periods = 30\n"
    )).unwrap();
}

#[test]
fn thirty_daily_spikes_that_never_overlap_are_accepted() {
    // Thirty 2x spikes at 1 req/s, one a day: the busiest moment is 2 req/s, not 2^30.
    let spikes: String = (1..=30)
        .map(|d| {
            format!("[[traffic.spikes]]\nday = {d}\nat = \"12:00\"\nminutes = 30\nmultiplier = 2\n")
        })
        .collect();
    let p = plan(&format!(
        "region = \"us-east-1\"\n[traffic]\navg_rps = 1\nduration_ms = 100\n{spikes}{LAMBDA}"
    ));
    let cap = &p.capacity.as_ref().unwrap().phases[0];
    assert!(cap.peak_rps < 10.0, "{}", cap.peak_rps);
}
