//! The traffic simulator, capacity model and triggers: hand-computed expectations, determinism,
//! and the seed-000 scenario end to end.

use crate::common::run as bin;
use costplan::capacity::{connection_limit, DbEngine, DbSize};
use costplan::plan::Plan;
use costplan::sim::PhaseCapacity;

fn plan(text: &str) -> Plan {
    costplan::plan_toml("test", text, None).unwrap_or_else(|e| panic!("{e}"))
}

fn cap<'a>(e: &'a Plan, phase: &str) -> &'a PhaseCapacity {
    e.capacity
        .as_ref()
        .and_then(|c| c.phase(phase))
        .expect("capacity for the phase")
}

fn within(actual: f64, expected: f64, rel: f64) -> bool {
    (actual - expected).abs() <= expected.abs() * rel
}

const LAMBDA_FLAT: &str = r#"
region = "us-east-1"
[traffic]
avg_rps = 100
duration_ms = 500
[phases.p.resources.fn]
kind = "lambda"
memory_mb = 1024
"#;

#[test]
fn littles_law_flat_100_rps_at_half_a_second_gives_50() {
    // L = lambda x W = 100 req/s x 0.5 s = 50 concurrent executions.
    let e = plan(LAMBDA_FLAT);
    let l = cap(&e, "p").lambda.as_ref().expect("lambda stats");
    assert!(within(l.mean, 50.0, 0.02), "mean concurrency {}", l.mean);
    // Peaks sit above the mean but nowhere near the account limit.
    assert!(l.max > 50.0 && l.max < 100.0, "max {}", l.max);
    assert_eq!(l.throttled_requests, 0.0);
}

#[test]
fn derived_lambda_usage_feeds_the_price_model() {
    // 100 req/s x 730 h x 3600 s = 262,800,000 requests (Poisson: within 0.1 %).
    // Duration: 500 ms fixed, billed as 500 ms; 1 GB -> 0.5 GB-s per request.
    let e = plan(LAMBDA_FLAT);
    let lines = &e.estimate.phases[0].lines;
    let req = lines.iter().find(|l| l.component == "Requests").unwrap();
    assert_eq!(req.usage_source.as_str(), "derived");
    let millions: f64 = req.quantity.to_string().parse().unwrap();
    assert!(within(millions, 262.8, 0.001), "{millions} M requests");
    let gbs: f64 = lines
        .iter()
        .filter(|l| l.component.starts_with("Duration"))
        .map(|l| l.quantity.to_string().parse::<f64>().unwrap())
        .sum();
    // Cold starts add 400 ms each at most a few hundred times: negligible at this volume.
    assert!(within(gbs, 262_800_000.0 * 0.5, 0.002), "{gbs} GB-s");
}

#[test]
fn max_connections_against_hand_computation() {
    // DBInstanceClassMemory = nominal − (0.22 GiB + 2.2 % of nominal), in bytes (README).
    // db.t3.micro, 1 GiB: 0.758 GiB = 813,896,302.6 B. PostgreSQL /9,531,392 = 85.39 -> 85,
    // usable 85 − 5 = 80. MySQL /12,582,880 = 64.68 -> 64, usable 64.
    // db.t4g.medium, 4 GiB: 3.692 GiB = 3,964,254,814.2 B. PostgreSQL 415.92 -> 415 (usable
    // 410); MySQL 315.05 -> 315.
    // db.r6g.large, 16 GiB: 15.428 GiB = 16,565,688,860.7 B. PostgreSQL 1,738.01 -> 1,738
    // (usable 1,733); MySQL 1,316.53 -> 1,316 (AWS: "around 1,300" for 16 GiB).
    let class = |c: &str, gib: f64| DbSize::Class {
        class: c.into(),
        memory_gib: gib,
    };
    let cases = [
        (DbEngine::Postgres, "db.t3.micro", 1.0, 85, 80),
        (DbEngine::Mysql, "db.t3.micro", 1.0, 64, 64),
        (DbEngine::Postgres, "db.t4g.medium", 4.0, 415, 410),
        (DbEngine::Mysql, "db.t4g.medium", 4.0, 315, 315),
        (DbEngine::Postgres, "db.r6g.large", 16.0, 1738, 1733),
        (DbEngine::Mysql, "db.r6g.large", 16.0, 1316, 1316),
    ];
    for (engine, c, gib, max, usable) in cases {
        let l = connection_limit(engine, &class(c, gib), None);
        assert_eq!(
            (l.max_connections, l.usable),
            (max, usable),
            "{engine:?} {c}"
        );
    }
}

#[test]
fn aurora_serverless_v2_follows_the_aws_table() {
    // AWS table (aurora-serverless-v2.setting-capacity): max ACU -> MySQL / PostgreSQL.
    let table = [
        (1.0, 90, 189),
        (4.0, 135, 823),
        (8.0, 1000, 1669),
        (16.0, 2000, 3360),
        (32.0, 3000, 5000),
        (64.0, 4000, 5000),
        (128.0, 5000, 5000),
    ];
    for (acu, mysql, pg) in table {
        // Min 1 ACU: the 2,000 cap for a lower minimum on PostgreSQL does not apply.
        let s = DbSize::Serverless {
            min_acu: 1.0,
            max_acu: acu,
        };
        assert_eq!(
            connection_limit(DbEngine::AuroraMysql, &s, None).max_connections,
            mysql
        );
        assert_eq!(
            connection_limit(DbEngine::AuroraPostgres, &s, None).max_connections,
            pg
        );
    }
}

#[test]
fn same_seed_same_bytes_other_seed_same_means() {
    let a = bin(&["run", "scenarios/lambda-rds.toml", "--format", "json"]);
    let b = bin(&["run", "scenarios/lambda-rds.toml", "--format", "json"]);
    assert!(a.status.success(), "{}", String::from_utf8_lossy(&a.stderr));
    assert_eq!(a.stdout, b.stdout, "same seed, same bytes");

    let e1 = costplan::plan_toml("t", LAMBDA_FLAT, Some(1)).unwrap();
    let e2 = costplan::plan_toml("t", LAMBDA_FLAT, Some(2)).unwrap();
    let (c1, c2) = (cap(&e1, "p"), cap(&e2, "p"));
    assert_ne!(
        c1.sim.requests, c2.sim.requests,
        "another seed draws other samples"
    );
    assert!(within(c1.avg_rps, c2.avg_rps, 0.001));
    let (l1, l2) = (c1.lambda.as_ref().unwrap(), c2.lambda.as_ref().unwrap());
    assert!(within(l1.mean, l2.mean, 0.01));
}

#[test]
fn fargate_autoscaling_follows_the_target() {
    // Flat 100 req/s, target 10 req/s per task: ceil(count x metric / target) needs 10 tasks,
    // and 11 whenever a minute's Poisson noise lifts the metric above 10 (target tracking keeps
    // the metric at or below target). So 10 <= mean <= 11: 7,300-8,030 task-hours, i.e.
    // 3,650-4,015 vCPU-hours at 0.5 vCPU, priced as derived usage.
    let e = plan(
        r#"
region = "us-east-1"
[traffic]
avg_rps = 100
duration_ms = 50
[phases.p.resources.api]
kind = "fargate"
cpu = 0.5
memory_gb = 1
autoscaling = { min = 1, max = 20, target_rps_per_task = 10 }
"#,
    );
    let t = cap(&e, "p").tasks.as_ref().expect("task stats");
    assert!(t.min >= 1.0 && t.max <= 20.0, "{t:?}");
    assert!((10.0..=11.0).contains(&t.mean), "mean tasks {}", t.mean);
    let vcpu = e.estimate.phases[0]
        .lines
        .iter()
        .find(|l| l.component == "vCPU")
        .unwrap();
    assert_eq!(vcpu.usage_source.as_str(), "derived");
    let q: f64 = vcpu.quantity.to_string().parse().unwrap();
    assert!((3650.0..=4015.0).contains(&q), "{q} vCPU-hours");
}

#[test]
fn lambda_rds_phase3_is_limited_by_concurrency_not_by_its_connection_alarm() {
    let o = bin(&["run", "scenarios/lambda-rds.toml"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("RDS Proxy (connection alarm)"), "{text}");
    assert!(text.contains("Phase ladder"));

    let o = bin(&["run", "scenarios/lambda-rds.toml", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v["seed"].is_u64());
    let phase3 = v["phases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "phase3")
        .unwrap();
    let alarm = phase3["triggers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["rule"].as_str().unwrap().contains("connection alarm"))
        .unwrap();
    // A Lambda environment runs one request at a time and its pool opens connections lazily,
    // so it holds one connection (busy or warm), whatever pool_size 1 + max_overflow 4 allow.
    // With reserved concurrency 20, at most 20 environments + 2 fixed clients = 22 connections:
    // the document's "RDS connections above 50" alarm can never fire in Phase 3.
    assert!(alarm["first_fires_at_rps"].is_null(), "{alarm}");
    // Phase 3 -> 4: the ladder prices Phase 4 at the traffic where Phase 3 stops holding,
    // which is the concurrency rule (lambda_concurrency above 15), before throttling at 20.
    let rung = v["ladder"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["phase"] == "phase3")
        .unwrap();
    assert_eq!(rung["next_phase"], "phase4");
    assert!(rung["next_phase_monthly_cost"].is_string());
    assert!(
        rung["limited_by"]
            .as_str()
            .unwrap()
            .contains("lambda_concurrency"),
        "{rung}"
    );
    let p3cap = &phase3["capacity"]["db_connections"];
    assert_eq!(p3cap["usable"], 80);
}

#[test]
fn fail_on_trigger_exits_1_when_a_rule_fires_at_the_expected_traffic() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("busy.toml");
    std::fs::write(
        &path,
        format!(
            "{LAMBDA_FLAT}\n[[phases.p.triggers]]\nmetric = \"lambda_concurrency\"\nabove = 10\n"
        ),
    )
    .unwrap();
    let p = path.to_str().unwrap();
    let ok = bin(&["run", p]);
    assert_eq!(ok.status.code(), Some(0), "report only without the flag");
    let fail = bin(&["run", p, "--fail-on-trigger"]);
    assert_eq!(fail.status.code(), Some(1));
    let err = String::from_utf8_lossy(&fail.stderr);
    assert!(err.contains("lambda_concurrency max/1 min > 10"), "{err}");
    assert!(!fail.stdout.is_empty(), "the report is still printed");
}

#[test]
fn capacity_input_errors_are_located() {
    let two_compute = r#"region = "us-east-1"
[traffic]
avg_rps = 1
duration_ms = 100
[phases.p.resources.a]
kind = "lambda"
memory_mb = 128
[phases.p.resources.b]
kind = "lambda"
memory_mb = 128
"#;
    let e = costplan::plan_toml("t.toml", two_compute, None)
        .unwrap_err()
        .to_string();
    assert!(e.contains("set `traffic_percent` on each"), "{e}");

    let bad_metric =
        format!("{LAMBDA_FLAT}[[phases.p.triggers]]\nmetric = \"db_conections\"\nabove = 1\n");
    let e = costplan::plan_toml("t.toml", &bad_metric, None)
        .unwrap_err()
        .to_string();
    assert!(e.contains("t.toml:10:1"), "{e}");
    assert!(e.contains("did you mean `db_connections`"), "{e}");

    let misplaced = LAMBDA_FLAT.replace(
        "memory_mb = 1024",
        "memory_mb = 1024\nautoscaling = { min = 1, max = 2, target_rps_per_task = 1 }",
    );
    let e = costplan::plan_toml("t.toml", &misplaced, None)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("`autoscaling` does not apply to a `lambda` resource"),
        "{e}"
    );

    let bad_peak = LAMBDA_FLAT.replace(
        "duration_ms = 500",
        "duration_ms = 500\npeak_multiplier = 2",
    );
    let e = costplan::plan_toml("t.toml", &bad_peak, None)
        .unwrap_err()
        .to_string();
    assert!(e.contains("daily shape is flat"), "{e}");
}

#[test]
fn a_fleet_at_max_size_above_target_limits_the_phase() {
    // Flat 10 req/s, at most 4 tasks at 10 req/s per task: the fleet can carry 4 x 10 = 40 req/s.
    // Above that it is saturated (at max, metric above target), a built-in limit. Per-minute
    // Poisson noise (sd of a 40 req/s minute average = sqrt(2,400)/60 = 0.82 req/s, over 43,800
    // minutes about 4 sd at worst) makes some minute cross 40 from about 36.7 req/s on.
    let e = plan(
        r#"
region = "us-east-1"
[traffic]
avg_rps = 10
duration_ms = 50
[phases.p.resources.api]
kind = "fargate"
cpu = 0.5
memory_gb = 1
autoscaling = { min = 1, max = 4, target_rps_per_task = 10 }
"#,
    );
    let c = cap(&e, "p");
    let t = c
        .triggers
        .iter()
        .find(|t| t.rule.starts_with("fleet saturated"))
        .expect("built-in fleet limit");
    assert!(!t.fires, "10 req/s fits in 4 tasks");
    let rps = t.first_fires_at_rps.expect("fires below 1024x");
    assert!((36.0..=40.2).contains(&rps), "{rps} req/s");
    let limit = c.limit.as_ref().expect("the phase has a limit");
    assert!(limit.limited_by.starts_with("fleet saturated"));
}

/// A scenario of `scenarios/`, loaded with the embedded price books.
fn library_scenario(file: &str) -> costplan::scenario::Scenario {
    let catalog = costplan::pricing::BookSource::Embedded
        .catalog()
        .expect("catalog");
    let path = format!("{}/scenarios/{file}", env!("CARGO_MANIFEST_DIR"));
    costplan::scenario::Scenario::load(std::path::Path::new(&path), &catalog).expect("scenario")
}

/// Phases simulated together (as sweeps do) get exactly what each gets simulated alone: the
/// shared arrivals and per-share demand change nothing, in any order, at any traffic.
#[test]
fn simulating_phases_together_is_bit_identical_to_one_at_a_time() {
    for file in [
        "ec2-phases.toml",
        "prod.toml",
        "lambda-rds.toml",
        "compute-choice.toml",
    ] {
        let s = library_scenario(file);
        let t = s.traffic.clone().expect("traffic");
        let mut models: Vec<&costplan::sim::PhaseModel> =
            s.phases.iter().filter_map(|p| p.model.as_ref()).collect();
        models.reverse();
        for scale in [0.3, 1.0, 17.0] {
            let month = 730.0 * 3600.0;
            let together =
                costplan::sim::simulate_many(&models, &t.profile, &t.settings, month, scale);
            assert_eq!(together.len(), models.len());
            for (m, got) in models.iter().zip(&together) {
                let alone = costplan::sim::simulate(m, &t.profile, &t.settings, month, scale);
                assert!(alone == *got, "{file} at {scale}x differs");
            }
        }
    }
}

/// The trigger searches' early-stopping simulations give the verdicts `fires` gives on the
/// whole month, for every rule of every phase of the library's traffic scenarios.
#[test]
fn stopping_once_rules_fire_gives_the_whole_month_verdicts() {
    let mut checked = 0;
    for file in [
        "lambda-rds.toml",
        "prod.toml",
        "ec2-phases.toml",
        "compute-choice.toml",
    ] {
        let s = library_scenario(file);
        let t = s.traffic.clone().expect("traffic");
        for p in &s.phases {
            let Some(model) = &p.model else { continue };
            let t = t.shared(p.traffic_share);
            let rules = costplan::sim::phase_rules(model, &p.triggers);
            let usable = model.db.as_ref().map_or(0, |d| d.limit.usable);
            let month = 730.0 * 3600.0;
            for scale in [0.25, 1.0, 6.0, 40.0] {
                let full = costplan::sim::simulate(model, &t.profile, &t.settings, month, scale);
                let whole: Vec<bool> = rules.iter().map(|r| r.fires(&full, usable)).collect();
                let early = costplan::sim::engine::fires_at(
                    model,
                    &t.profile,
                    &t.settings,
                    month,
                    scale,
                    &rules,
                    usable,
                );
                assert_eq!(early, whole, "{file} {} at {scale}x", p.name);
                checked += 1;
            }
        }
    }
    assert!(checked >= 40, "{checked}");
}

#[test]
fn reserved_concurrency_must_leave_100_unreserved() {
    // AWS: a region's functions can reserve at most the account concurrency minus 100 ("you can
    // reserve up to the unreserved account concurrency minus 100", Lambda DG
    // configuration-concurrency). Default account concurrency 1,000 -> at most 900.
    let with = |reserved: &str, extra: &str| {
        format!(
            "region = \"us-east-1\"\n[traffic]\navg_rps = 10\nduration_ms = 200\n{extra}\
             [phases.p.resources.a]\nkind = \"lambda\"\nmemory_mb = 512\ntraffic_percent = 50\n\
             reserved_concurrency = {reserved}\n\
             [phases.p.resources.b]\nkind = \"lambda\"\nmemory_mb = 512\ntraffic_percent = 50\n"
        )
    };
    let refused = |text: &str| match costplan::plan_toml("t", text, None) {
        Ok(_) => panic!("accepted:\n{text}"),
        Err(e) => e.to_string(),
    };
    // 1,000 = the account limit (accepted before): refused, naming the key and the 900.
    let e = refused(&with("1000", ""));
    assert!(
        e.contains("reserved_concurrency") && e.contains("at most 900"),
        "{e}"
    );
    // 901 leaves 99: refused; 900 leaves exactly 100: accepted.
    refused(&with("901", ""));
    plan(&with("900", ""));
    // Summed over the phase's functions: 500 + 401 = 901 > 900.
    let both = with("500", "") + "reserved_concurrency = 401\n";
    let e = refused(&both);
    assert!(
        e.contains("with 500 reserved by the phase's other functions"),
        "{e}"
    );
    // A larger quota: account 3,000 -> up to 2,900.
    let quota = "[simulation]\naccount_concurrency = 3000\n";
    plan(&with("2900", quota));
    refused(&with("2901", quota));
    // The binary exits 2 (bad input).
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.toml");
    std::fs::write(&path, with("1000", "")).unwrap();
    let o = bin(&["run", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn a_fixed_fleet_has_the_cpu_model_of_an_autoscaled_one() {
    // Issue 13 §3: a CPU trigger on a fixed-count instance could never fire. One t3.micro
    // (2 vCPU) at a flat 10 req/s x 100 vCPU-ms per request: 10 x 0.1 / 2 = 50 % CPU.
    let e = plan(
        r#"
region = "us-east-1"
[traffic]
avg_rps = 10
duration_ms = 50
[phases.p.resources.app]
kind = "ec2"
instance_type = "t3.micro"
cpu_ms_per_request = 100
[[phases.p.triggers]]
name = "cpu"
metric = "cpu_percent"
above = 40
statistic = "average"
period_minutes = 60
"#,
    );
    let c = cap(&e, "p");
    let cpu = c.sim.series.max_of(costplan::sim::Metric::CpuPercent);
    // the busiest minute's Poisson count lifts the max a little above 50 %
    assert!((50.0..60.0).contains(&cpu), "cpu max {cpu}");
    let t = c
        .triggers
        .iter()
        .find(|t| t.rule.contains("cpu_percent"))
        .unwrap_or_else(|| panic!("{:?}", c.triggers));
    assert!(t.fires, "{t:?}");
    // 40 % is reached at 40/50 = 0.8 x the traffic: the search brackets it within 0.5 %
    let at = t.first_fires_at_scale.expect("fires somewhere");
    assert!((0.75..=0.85).contains(&at), "{at}");

    // Fargate the same: 0.5 vCPU at 2 req/s x 100 ms = 40 %.
    let e = plan(
        r#"
region = "us-east-1"
[traffic]
avg_rps = 2
duration_ms = 50
[phases.p.resources.api]
kind = "fargate"
cpu = 0.5
memory_gb = 1
tasks = 1
cpu_ms_per_request = 100
"#,
    );
    let cpu = cap(&e, "p")
        .sim
        .series
        .max_of(costplan::sim::Metric::CpuPercent);
    assert!((40.0..60.0).contains(&cpu), "cpu max {cpu}");
}

#[test]
fn cpu_ms_per_request_given_twice_is_refused() {
    let e = costplan::estimate_toml(
        "t.toml",
        r#"region = "us-east-1"
[traffic]
avg_rps = 10
duration_ms = 50
[phases.p.resources.app]
kind = "ec2"
instance_type = "t3.micro"
cpu_ms_per_request = 100
autoscaling = { min = 1, max = 4, target_cpu_percent = 60, cpu_ms_per_request = 100 }
"#,
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("cpu_ms_per_request") && e.contains("give it once"),
        "{e}"
    );
}

/// A Lambda with 20 provisioned environments, each holding one idle connection to the
/// database, at almost no traffic: the connections show when the environments are warm.
fn pc_lambda(hours: &str) -> String {
    format!(
        r#"
region = "us-east-1"
[traffic]
avg_rps = 0.01
duration_ms = 100
[phases.p.resources.fn]
kind = "lambda"
memory_mb = 512
provisioned_concurrency = 20
{hours}
pool_size = 1
[phases.p.resources.db]
kind = "rds"
engine = "postgres"
instance_class = "db.t4g.micro"
storage_gb = 20
"#
    )
}

fn mean_db_connections(e: &Plan) -> f64 {
    let sim = &cap(e, "p").sim;
    let sums = sim.series.sums(costplan::sim::Metric::DbConnections);
    let spm = f64::from(60 / sim.step_seconds);
    sums.iter().map(|s| f64::from(*s) / spm).sum::<f64>() / sums.len() as f64
}

#[test]
fn provisioned_environments_are_warm_only_in_their_hours() {
    // All month: 20 idle environments hold 20 connections every minute.
    let all = mean_db_connections(&plan(&pc_lambda("")));
    assert!((all - 20.0).abs() < 0.1, "{all}");
    // 73 of 730 hours (10 %): 20 connections in those hours, about none in the rest (a
    // request every 100 s keeps one environment warm for 10 minutes): 2 + at most 1.
    let part = mean_db_connections(&plan(&pc_lambda("provisioned_hours = 73")));
    assert!((2.0..3.0).contains(&part), "{part}");
}

#[test]
fn the_share_of_invocations_on_provisioned_concurrency_comes_from_the_simulated_hours() {
    // Traffic only in hours 00-07 of each day; PC on for 240 h, the busiest 240 hours (ties
    // go to the earlier hour): hours 00-07 of days 1-30. The month's 730 h hold 31 x 8 = 248
    // busy hours (day 31 runs to 10:00), so about 240/248 = 96.8 % of invocations arrive while
    // PC is on, where spreading them evenly would say 240/730 = 32.9 %.
    let e = plan(
        r#"
region = "us-east-1"
[traffic]
avg_rps = 1
duration_ms = 100
daily_shape = [1,1,1,1,1,1,1,1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0]
[phases.p.resources.fn]
kind = "lambda"
memory_mb = 512
provisioned_concurrency = 10
provisioned_hours = 240
"#,
    );
    let line = |c: &str| {
        e.estimate.phases[0]
            .lines
            .iter()
            .find(|l| l.component == c)
            .unwrap_or_else(|| panic!("{c}"))
            .clone()
    };
    let on_pc = costplan::capacity::to_f64(line("Duration on provisioned concurrency").quantity);
    let rest = costplan::capacity::to_f64(line("Duration").quantity);
    let share = on_pc / (on_pc + rest);
    assert!((share - 240.0 / 248.0).abs() < 0.005, "{share}");
}

/// Two Lambda functions splitting the traffic, under an account concurrency of `account`;
/// `a` and `b` are extra lines for each.
fn two_functions(rps: u32, account: u32, a: &str, b: &str) -> String {
    format!(
        "region = \"us-east-1\"\n[traffic]\navg_rps = {rps}\nduration_ms = 1000\n\
         [simulation]\naccount_concurrency = {account}\n\
         [phases.p.resources.a]\nkind = \"lambda\"\nmemory_mb = 512\n{a}\n\
         [phases.p.resources.b]\nkind = \"lambda\"\nmemory_mb = 512\n{b}\n"
    )
}

/// Throttled share of the requests each function was sent, by name.
fn throttled_share(e: &Plan, name: &str) -> f64 {
    let c = cap(e, "p")
        .sim
        .compute
        .iter()
        .find(|c| c.name == name)
        .expect("function");
    c.throttled / (c.requests + c.throttled)
}

#[test]
fn unreserved_functions_share_the_account_concurrency() {
    // 200 req/s of 1 s requests split evenly: each function has 100 in flight on average
    // (Little's law), its per-minute peaks near 125, well under an account limit of 200; alone,
    // neither throttles more than Erlang-B's B(200, 100) < P(N = 200) for N ~ Poisson(100),
    // about 1e-20.
    let alone = plan(&two_functions(
        200,
        200,
        "traffic_percent = 50",
        "traffic_percent = 0",
    ));
    assert!(throttled_share(&alone, "a") < 1e-15);
    // Together they ask for 200 on average from one regional pool of 200: the pool is a loss
    // system with 200 servers at offered load 200, and every arrival (at either function) is
    // throttled with the Erlang-B probability B(200, 200) = 5.4 %. Before, each function had
    // the account's 200 to itself and nothing was throttled.
    let both = plan(&two_functions(
        200,
        200,
        "traffic_percent = 50",
        "traffic_percent = 50",
    ));
    let b = costplan::sim::engine::erlang_b(200, 200.0);
    assert!((b - 0.0543).abs() < 0.001, "B(200, 200) = {b}");
    for f in ["a", "b"] {
        let share = throttled_share(&both, f);
        assert!(within(share, b, 0.03), "{f}: {share} against {b}");
    }
    // The built-in throttling limit fires at the expected traffic.
    let throttling = cap(&both, "p")
        .triggers
        .iter()
        .find(|t| t.rule.starts_with("throttling"))
        .expect("throttling limit");
    assert!(throttling.fires, "{throttling:?}");
}

#[test]
fn reserved_concurrency_is_carved_out_of_the_shared_pool() {
    // 250 req/s of 1 s requests: `u` (90 %) has 225 in flight on average, `r` (10 %) 25.
    // Reserving 800 for `r` leaves 1,000 - 800 = 200 for `u`: B(200, 225) of its requests are
    // throttled, while `r` keeps its own 800 and throttles nothing.
    let reserved = plan(&two_functions(
        250,
        1000,
        "traffic_percent = 10\nreserved_concurrency = 800",
        "traffic_percent = 90",
    ));
    let expected = costplan::sim::engine::erlang_b(200, 225.0);
    let u = throttled_share(&reserved, "b");
    assert!(within(u, expected, 0.03), "{u} against {expected}");
    assert_eq!(throttled_share(&reserved, "a"), 0.0);
    // Without the reservation both share the whole 1,000: nothing is throttled.
    let pooled = plan(&two_functions(
        250,
        1000,
        "traffic_percent = 10",
        "traffic_percent = 90",
    ));
    assert_eq!(throttled_share(&pooled, "a"), 0.0);
    assert_eq!(throttled_share(&pooled, "b"), 0.0);
}

/// A flat `rps` of 1 s requests on a fleet of 500 tasks, each request holding one database
/// connection while in flight (no idle pool), with the same threshold under Average, p95 and
/// Max; and a Lambda function's concurrency under Average.
const CONNECTIONS_BY_STATISTIC: &str = r#"
region = "us-east-1"
[traffic]
avg_rps = 10
duration_ms = 1000
[phases.p.resources.api]
kind = "fargate"
cpu = 0.5
memory_gb = 1
tasks = 500
pool_size = 0
max_overflow = 1
[[phases.p.triggers]]
name = "mean"
metric = "db_connections"
above = 50
statistic = "average"
period_minutes = 5
more_than_percent_of_periods = 50
[[phases.p.triggers]]
name = "p95"
metric = "db_connections"
above = 50
statistic = "p95"
period_minutes = 5
more_than_percent_of_periods = 50
[[phases.p.triggers]]
name = "peak"
metric = "db_connections"
above = 50
period_minutes = 5
more_than_percent_of_periods = 50
[phases.f.resources.fn]
kind = "lambda"
memory_mb = 512
[[phases.f.triggers]]
name = "mean"
metric = "lambda_concurrency"
above = 50
statistic = "average"
period_minutes = 5
more_than_percent_of_periods = 50
"#;

/// The expected largest number in flight within a minute at `m` in flight on average, for 1 s
/// requests (60 m arrivals a minute), from the scan-statistic law the README states:
/// L(k) = P(N <= k) exp(-a P(N = k) max(0, (k + 1 - m) / (k + 1))), N ~ Poisson(m), a = 60 m,
/// made a distribution function as `sim::peak` does (P(peak <= k) = the smallest L(j), j >= k:
/// the peak is at most k only if it is at most every level above); E[peak] = sum over k >= 0 of
/// P(peak > k).
fn expected_minute_peak(m: f64) -> f64 {
    let a = 60.0 * m;
    let (mut pmf, mut cdf) = ((-m).exp(), (-m).exp());
    let mut law = Vec::new();
    for k in 0..(10.0 * m + 100.0) as u32 {
        let k1 = f64::from(k + 1);
        let declump = ((k1 - m) / k1).max(0.0);
        law.push(cdf * (-a * pmf * declump).exp());
        pmf *= m / k1;
        cdf += pmf;
    }
    let (mut below, mut mean) = (1.0f64, 0.0);
    for l in law.iter().rev() {
        below = below.min(*l);
        mean += 1.0 - below;
    }
    mean
}

#[test]
fn statistics_read_each_metrics_cloudwatch_data_points() {
    let e = plan(CONNECTIONS_BY_STATISTIC);
    let onset = |phase: &str, name: &str| {
        cap(&e, phase)
            .triggers
            .iter()
            .find(|t| t.rule.starts_with(name))
            .and_then(|t| t.first_fires_at_rps)
            .expect("fires")
    };
    // db_connections: RDS samples the connections open, so a minute's data point is the
    // time-average occupancy. The requests in flight are M/G/inf, mean lambda x E[S] exactly
    // (Little's law): at r req/s of 1 s requests, r connections on average. "Average over 5
    // minutes above 50 in more than half the periods" first fires at 50 req/s (the search
    // narrows to 0.5 %). Averaging the per-step peaks instead (about m + 2.4 sqrt(m)) fired
    // near 38 req/s.
    let mean = onset("p", "mean:");
    assert!(within(mean, 50.0, 0.015), "average onset {mean} req/s");
    // p95 of 5 one-minute points by nearest rank is the largest of the 5 (ceil(0.95 x 5) = 5).
    // A minute's point is its arrivals / 60 (each holds 1 s): Poisson(60 r) / 60, close to
    // normal with sd sqrt(r / 60). The largest of 5 is above 50 in more than half the periods
    // once Phi(z)^5 < 1/2 at z = (50 - r) / sqrt(r / 60): Phi(z) = 0.5^(1/5) = 0.8706, z = 1.129,
    // r = 50 - 1.129 sqrt(50 / 60) = 48.97 req/s.
    let p95 = onset("p", "p95:");
    let expected = 50.0 - 1.129 * (50.0f64 / 60.0).sqrt();
    assert!((expected - 48.97).abs() < 0.01, "{expected}");
    assert!(
        within(p95, expected, 0.007),
        "p95 onset {p95} req/s against {expected}"
    );
    assert!(p95 < mean, "p95 {p95} against average {mean}");
    // Max still reads each minute's peak, which passes 50 well before the mean does.
    let peak = onset("p", "peak:");
    assert!(peak < 0.85 * mean, "max onset {peak} req/s");
    // At the expected traffic the month's mean connections are 10 (10 req/s x 1 s): the
    // time-average channel, where the step values (peaks) average higher.
    let s = &cap(&e, "p").sim.series;
    let m = costplan::sim::Metric::DbConnections;
    let avg = |v: &[f32]| v.iter().map(|x| f64::from(*x)).sum::<f64>() / v.len() as f64;
    assert!(
        within(avg(s.mean_sums(m)), 10.0, 0.01),
        "{}",
        avg(s.mean_sums(m))
    );
    assert!(avg(s.sums(m)) > 12.0, "{}", avg(s.sums(m)));

    // lambda_concurrency: Lambda publishes ConcurrentExecutions as a per-minute Maximum, so
    // Average over 5 minutes is the mean of 5 minute peaks. It passes 50 where the expected
    // minute peak does: bisect E[peak](r) = 50, r = 31.86 req/s (the engine's peaks come from a
    // table interpolated in m and the uniform, hence 1.5 %).
    let (mut lo, mut hi) = (10.0, 50.0);
    for _ in 0..60 {
        let mid = 0.5 * (lo + hi);
        if expected_minute_peak(mid) > 50.0 {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    let expected = 0.5 * (lo + hi);
    let lambda = onset("f", "mean:");
    assert!((expected - 31.86).abs() < 0.01, "{expected}");
    assert!(
        within(lambda, expected, 0.015),
        "Lambda average onset {lambda} against {expected}"
    );
    // At the expected 10 req/s the month's mean minute peak is E[peak](10) = 20.43 (against
    // 10 in flight on average).
    let sf = &cap(&e, "f").sim.series;
    let lc = costplan::sim::Metric::LambdaConcurrency;
    let peaks = avg(sf.maxes(lc));
    assert!((expected_minute_peak(10.0) - 20.43).abs() < 0.01);
    assert!(within(peaks, 20.43, 0.01), "{peaks}");
    assert!(lambda < 0.85 * mean, "{lambda}");
}
