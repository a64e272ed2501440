//! Integration tests: the real binary on the real scenario files.

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::common::{dec, run};
use rust_decimal::Decimal;
use serde::Deserialize;

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn scenarios() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> =
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
    v.sort();
    assert!(v.len() >= 2, "scenario library present");
    v
}

// The JSON contract, pinned independently of the library's own structs.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct JEstimate {
    scenario: String,
    region: String,
    currency: String,
    hours_per_month: String,
    seed: u64,
    phases: Vec<JPhase>,
    with_environments: Vec<JWithEnvironments>,
    ladder: Vec<JLadder>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct JWithEnvironments {
    phase: String,
    environments: Vec<String>,
    monthly_total: String,
    annual_total: String,
    baseline_monthly: String,
    usage_monthly: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct JLadder {
    phase: String,
    holds_up_to_rps: Option<f64>,
    holds_up_to_mau: Option<f64>,
    limited_by: Option<String>,
    monthly_cost_at_limit: Option<String>,
    next_phase: Option<String>,
    next_phase_monthly_cost: Option<String>,
    alternative: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct JCapacity {
    avg_rps: f64,
    peak_rps: f64,
    monthly_active_users: Option<f64>,
    db_connections: Option<JDb>,
    lambda_concurrency: Option<JLambda>,
    tasks: Option<JTasks>,
    nat_gb: Option<f64>,
    alb_gb: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct JDb {
    resource: String,
    engine: String,
    peak: f64,
    max_connections: u32,
    usable: u32,
    headroom_pct: f64,
    basis: String,
    via_proxy: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct JLambda {
    mean: f64,
    p95: f64,
    max: f64,
    throttled_requests: f64,
    cold_starts: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct JTasks {
    min: f64,
    mean: f64,
    max: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct JTrigger {
    rule: String,
    builtin: bool,
    fires: bool,
    first_fires_at_rps: Option<f64>,
    first_fires_at_mau: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct JPhase {
    name: String,
    monthly_total: String,
    annual_total: String,
    baseline_monthly: String,
    usage_monthly: String,
    lines: Vec<JLine>,
    capacity: Option<JCapacity>,
    triggers: Vec<JTrigger>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct JLine {
    service: String,
    resource: String,
    component: String,
    quantity: String,
    unit: String,
    unit_price: String,
    monthly_cost: String,
    usage_source: String,
    /// Only on a Reserved Instance's upfront line.
    #[serde(default)]
    upfront: Option<String>,
    notes: Vec<String>,
}

impl JEstimate {
    fn phase(&self, name: &str) -> &JPhase {
        self.phases
            .iter()
            .find(|p| p.name == name)
            .unwrap_or_else(|| panic!("no phase {name}"))
    }

    /// The line named `component` in phase `phase`.
    fn line(&self, phase: &str, component: &str) -> &JLine {
        self.phase(phase)
            .lines
            .iter()
            .find(|l| l.component == component)
            .unwrap_or_else(|| panic!("{phase}: no line {component}"))
    }
}

fn json_of(path: &str) -> JEstimate {
    let o = run(&["run", path, "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    serde_json::from_slice(&o.stdout).expect("JSON matches the contract")
}

#[test]
fn every_scenario_runs_in_every_format() {
    for s in scenarios() {
        let path = s.to_str().unwrap();
        for f in ["table", "json", "csv", "markdown"] {
            let o = run(&["run", path, "--format", f]);
            assert!(o.status.success(), "{path} --format {f}: {}", stderr(&o));
            assert!(!o.stdout.is_empty());
        }
    }
}

/// The real binary on a scenario with Reserved Instances (tests/fixtures/reserved-tokyo.toml):
/// Tokyo rates from the book (pl-rds-/pl-elasticache-reserved-apn1-2026-09-27), one upfront pinned by the fixture.
#[test]
fn reserved_instances_in_json_with_the_upfront_as_its_own_figure() {
    let e = json_of("tests/fixtures/reserved-tokyo.toml");
    let line = |phase: &str, component: &str| e.line(phase, component);
    // prod: db 730 h x $0.1572 = 114.756; Valkey 2 nodes x 730 h x $0.0264 = 38.544;
    // bastion all upfront, $150 / 12 = $12.5 a month, the $150 on the line as `upfront`.
    let db = line("prod", "Instance (db.t4g.medium, Multi-AZ), reserved");
    assert_eq!(dec(&db.monthly_cost), dec("114.756"));
    assert_eq!(db.upfront, None);
    assert_eq!(
        dec(&line("prod", "Nodes (cache.t4g.small), reserved").monthly_cost),
        dec("38.544")
    );
    let up = line("prod", "Instance (t4g.small), reserved upfront");
    assert_eq!(
        (up.quantity.as_str(), up.unit.as_str()),
        ("1", "instance-month")
    );
    assert_eq!(dec(&up.monthly_cost), dec("12.5"));
    assert_eq!(up.upfront.as_deref(), Some("150"));
    // + storage 20 GB x $0.276 = 5.52 + root volume 8 GB x $0.096 = 0.768:
    // 114.756 + 5.52 + 38.544 + 12.5 + 0.768 = 172.088
    let total = |name: &str| dec(&e.phase(name).monthly_total);
    assert_eq!(total("prod"), dec("172.088"));
    // dev patches `reserved = false` on the database: on demand, 730 x $0.202 = 147.46, so
    // 172.088 - 114.756 + 147.46 = 204.792; the cache and bastion stay reserved.
    assert_eq!(
        dec(&line("dev", "Instance (db.t4g.medium, Multi-AZ)").monthly_cost),
        dec("147.46")
    );
    assert_eq!(total("dev"), dec("204.792"));
}

/// The real binary on us-east-1 Reserved Instances (tests/fixtures/reserved-us-east-1.toml):
/// the m5.large and c5.xlarge Standard rates from the book's 2020 Price List records.
#[test]
fn us_east_1_reserved_instances_in_json() {
    let e = json_of("tests/fixtures/reserved-us-east-1.toml");
    let phase = |name: &str| e.phase(name);
    let line = |p: &str, component: &str| e.line(p, component);
    // web, 1yr partial upfront: 2 x 730 h = 1,460 h x $0.029 = $42.34; the upfront $252 per
    // instance / 12 = $21 a month x 2 = $42, 2 x $252 = $504 paid upfront.
    assert_eq!(
        dec(&line("prod", "Instance (m5.large), reserved").monthly_cost),
        dec("42.34")
    );
    let up = line("prod", "Instance (m5.large), reserved upfront");
    assert_eq!(
        (up.quantity.as_str(), up.unit.as_str()),
        ("2", "instance-month")
    );
    assert_eq!(dec(&up.monthly_cost), dec("42"));
    assert_eq!(up.upfront.as_deref(), Some("504"));
    // worker, 3yr all upfront: $1,629 / 36 = $45.25 a month, no hourly line
    let w = line("prod", "Instance (c5.xlarge), reserved upfront");
    assert_eq!(dec(&w.monthly_cost), dec("45.25"));
    assert_eq!(w.upfront.as_deref(), Some("1629"));
    assert!(phase("prod")
        .lines
        .iter()
        .all(|l| l.component != "Instance (c5.xlarge), reserved"));
    // 42.34 + 42 + 45.25 = 129.59
    assert_eq!(dec(&phase("prod").monthly_total), dec("129.59"));
    // dev: the pair on demand, 1,460 h x $0.096 = $140.16; 140.16 + 45.25 = 185.41
    assert_eq!(
        dec(&line("dev", "Instance (m5.large)").monthly_cost),
        dec("140.16")
    );
    assert_eq!(dec(&phase("dev").monthly_total), dec("185.41"));
}

/// The real binary on Savings Plans (tests/fixtures/savings-plan-tokyo.toml): the Tokyo
/// c5.xlarge Windows Compute Savings Plan rate from the book (ec2-priceit-sp-apn1), a Lambda
/// rate pinned by the fixture, and dev patching the plan off.
#[test]
fn savings_plans_in_json_with_the_upfront_as_its_own_figure() {
    let e = json_of("tests/fixtures/savings-plan-tokyo.toml");
    let phase = |name: &str| e.phase(name);
    let line = |p: &str, component: &str| e.line(p, component);
    // 2 instances x 730 h = 1,460 h; partial upfront: half (730 h) monthly and half upfront,
    // each 730 x $0.352 = $256.96 a month; the upfront is 12 x $256.96 = $3,083.52.
    let h = line("prod", "Instance (c5.xlarge, Windows), savings plan");
    assert_eq!(dec(&h.monthly_cost), dec("256.96"));
    assert_eq!(h.upfront, None);
    let u = line(
        "prod",
        "Instance (c5.xlarge, Windows), savings plan upfront",
    );
    assert_eq!(dec(&u.monthly_cost), dec("256.96"));
    assert_eq!(u.upfront.as_deref(), Some("3083.52"));
    // Lambda: 1M x 0.1 s x 1 GB = 100,000 GB-s, half on each line at $0.00001 = $0.50, $6
    // upfront; requests are not covered: 1 x $0.20.
    let d = line("prod", "Duration, savings plan upfront");
    assert_eq!(dec(&d.monthly_cost), dec("0.5"));
    assert_eq!(d.upfront.as_deref(), Some("6"));
    assert_eq!(dec(&line("prod", "Requests").monthly_cost), dec("0.2"));
    // detailed monitoring: 2 instances x 7 metrics = 14 x $0.30 (cloudwatch.metrics) = $4.20
    let m = line("prod", "Detailed monitoring metrics");
    assert_eq!(
        (m.quantity.as_str(), dec(&m.monthly_cost)),
        ("14", dec("4.2"))
    );
    // 256.96 x 2 + 0.5 x 2 + 0.2 + 4.20 = 519.32
    assert_eq!(dec(&phase("prod").monthly_total), dec("519.32"));
    // dev: the fleet on demand, 1,460 h x $0.398 = $581.08; 581.08 + 1.0 + 0.2 + 4.20 = 586.48
    assert_eq!(
        dec(&line("dev", "Instance (c5.xlarge, Windows)").monthly_cost),
        dec("581.08")
    );
    assert_eq!(dec(&phase("dev").monthly_total), dec("586.48"));
}

#[test]
fn json_contract_and_exact_totals() {
    for s in scenarios() {
        let e = json_of(s.to_str().unwrap());
        assert_eq!(e.currency, "USD");
        for p in &e.phases {
            let sum: Decimal = p.lines.iter().map(|l| dec(&l.monthly_cost)).sum();
            assert_eq!(
                dec(&p.monthly_total),
                sum,
                "{}: total is the exact sum of lines",
                p.name
            );
            assert_eq!(dec(&p.annual_total), sum * Decimal::from(12));
            assert_eq!(dec(&p.baseline_monthly) + dec(&p.usage_monthly), sum);
            for l in &p.lines {
                assert!(["stated", "derived", "none"].contains(&l.usage_source.as_str()));
                // quantity x unit price at the pricing boundary's rounding (10 places, half even)
                assert_eq!(
                    costplan::money::round_pricing(dec(&l.quantity) * dec(&l.unit_price)),
                    dec(&l.monthly_cost),
                    "{} {}",
                    l.resource,
                    l.component
                );
            }
        }
    }
}

#[test]
fn prod_doc_prices_matches_hand_check() {
    // The document's table (seed 002) with its own unit prices, corrected arithmetic:
    // Fargate 2x2x730x0.04048 = 118.2016, 4x2x730x0.004445 = 25.9588
    // Lambda 1M x 0.2 s x 0.5 GB = 100,000 GB-s x 0.0000166667 = 1.66667; requests 0.20
    // Aurora 2 x 730 x 0.40 = 584; storage 100 x 0.10 = 10; I/O 0.20; backup 0 (100 GB <= cluster size)
    // ElastiCache 2 x 730 x 0.246 = 359.16; ALB 730 x 0.0243 = 17.739 + 10 x 730 x 0.008 = 58.4
    // NAT 2 x 730 x 0.062 = 90.52 + 500 x 0.062 = 31; CloudFront 500 x 0.114 = 57
    // S3 2.5 + 4.7 + 3.7; EBS 50 x 0.096 = 4.8; CloudWatch 7.6 + 30 + 1 + 9; CloudTrail 1; X-Ray 5
    // Secrets 2 + 5; KMS 2 + 3
    // Sum = 1435.34607
    let e = json_of("scenarios/prod-doc-prices.toml");
    assert_eq!(dec(&e.phases[0].monthly_total), dec("1435.34607"));
}

#[test]
fn csv_round_trips_json_numbers() {
    let e = json_of("scenarios/prod.toml");
    let o = run(&["run", "scenarios/prod.toml", "--format", "csv"]);
    let mut r = csv::Reader::from_reader(&o.stdout[..]);
    let headers = r.headers().unwrap().clone();
    assert_eq!(&headers[0], "phase");
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    let lines: Vec<(&str, &JLine)> = e
        .phases
        .iter()
        .flat_map(|p| p.lines.iter().map(move |l| (p.name.as_str(), l)))
        .collect();
    assert_eq!(rows.len(), lines.len());
    for (row, (phase, l)) in rows.iter().zip(lines) {
        assert_eq!(&row[0], phase);
        assert_eq!(&row[3], l.component);
        assert_eq!(dec(&row[4]), dec(&l.quantity));
        assert_eq!(dec(&row[6]), dec(&l.unit_price));
        assert_eq!(dec(&row[7]), dec(&l.monthly_cost));
    }
}

#[test]
fn table_columns_add_up_to_the_total() {
    // The full layout (no width limit): Monthly is the seventh column.
    let o = run(&[
        "run",
        "scenarios/prod.toml",
        "--phase",
        "prod",
        "--columns",
        "0",
    ]);
    let text = stdout(&o);
    let mut sum = Decimal::ZERO;
    let mut total = None;
    let breakdown = text.split("Summary").next().unwrap();
    for row in breakdown.lines().filter(|l| l.starts_with('│')) {
        let cells: Vec<&str> = row.trim_matches('│').split('┆').map(str::trim).collect();
        let money = cells[6].replace(',', "");
        match cells[0] {
            "Service" => {}
            "Total" => total = Some(dec(&money)),
            _ if money.parse::<Decimal>().is_ok() => sum += dec(&money),
            _ => {}
        }
    }
    assert_eq!(
        Some(sum),
        total,
        "displayed lines (and any Rounding row) sum to the displayed total"
    );
}

#[test]
fn out_dir_gets_complete_files_only() {
    let dir = tempfile::tempdir().unwrap();
    let o = run(&[
        "run",
        "scenarios/prod.toml",
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    // The three reports, capacity and sweep data, and four charts in two formats each.
    let mut expected = vec![
        "prod.csv".to_string(),
        "prod.json".into(),
        "prod.md".into(),
        "prod-capacity.csv".into(),
        "prod-sweep.csv".into(),
        "prod-sweep.json".into(),
        "prod-break-even.csv".into(),
    ];
    for chart in [
        "cost-by-phase",
        "db-connections",
        "cost-vs-traffic",
        "simulated-week",
    ] {
        expected.push(format!("prod-{chart}.png"));
        expected.push(format!("prod-{chart}.svg"));
    }
    expected.sort();
    assert_eq!(names, expected);
    // Reports get the mode any new file gets under the user's umask, not a 0600 temp file's.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        let plain = dir.path().join("plain");
        std::fs::File::create(&plain).unwrap();
        assert_eq!(mode(&dir.path().join("prod.md")), mode(&plain));
    }
    let json: JEstimate =
        serde_json::from_slice(&std::fs::read(dir.path().join("prod.json")).unwrap()).unwrap();
    assert_eq!(json.phases.len(), 3);
}

#[test]
fn phase_option_selects_and_suggests() {
    let e: JEstimate = serde_json::from_slice(
        &run(&[
            "run",
            "scenarios/prod.toml",
            "--phase",
            "staging",
            "--format",
            "json",
        ])
        .stdout,
    )
    .unwrap();
    assert_eq!(e.phases.len(), 1);
    assert_eq!(e.phases[0].name, "staging");
    let o = run(&["run", "scenarios/prod.toml", "--phase", "stagign"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("did you mean `staging`?"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn pricing_show_lists_sources() {
    let o = run(&[
        "pricing",
        "show",
        "ap-northeast-1",
        "lambda",
        "--columns",
        "0",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let s = stdout(&o);
    assert!(s.contains("lambda.requests") && s.contains("lambda.duration.x86_64"));
    assert!(!s.contains("fargate."), "filtered to one service");
    let o = run(&["pricing", "show", "ap-northeast-9"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("did you mean `ap-northeast-1`?"));
}

/// Write `text` to a temp scenario file and run it.
fn run_text(text: &str) -> Output {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.toml");
    std::fs::write(&path, text).unwrap();
    run(&["run", path.to_str().unwrap()])
}

const OK_HEAD: &str = "region = \"us-east-1\"\n";

#[test]
fn bad_input_gets_clear_errors_and_exit_2() {
    let cases: &[(&str, &str)] = &[
        ("region = \n", "bad.toml:1:"),
        ("", "file is empty"),
        ("regoin = \"us-east-1\"\n[phases.p]\n", "did you mean `region`?"),
        ("region = \"us-east-1\"\n[phases.p.resources.x]\nkind = \"lamda\"\n", "unknown resource kind `lamda`"),
        (
            "region = \"us-east-1\"\n[phases.p.resources.db]\nkind = \"rds\"\nengine = \"postgres\"\ninstance_class = \"db.t3.mirco\"\nstorage_gb = 20\n",
            "unknown instance class db.t3.mirco",
        ),
        ("region = \"us-east-1\"\n[phases.p.resources.x]\nkind = \"nat_gateway\"\ndata_processed_gb = -5\n", "must not be negative"),
        ("region = \"us-east-1\"\n[phases.p.resources.x]\nkind = \"fargate\"\ncpu = 0.25\nmemory_gb = 4\n", "invalid Fargate CPU/memory pair"),
        ("region = \"us-east-1\"\n[phases.p]\nextends = \"q\"\n", "unknown phase `q`"),
        ("region = \"us-east-1\"\n[phases.a]\nextends = \"b\"\n[phases.b]\nextends = \"a\"\n", "cycle"),
        // (a resource, since an empty phase is an error of its own)
        ("region = \"us-east-9\"\n[phases.p.resources.q]\nkind = \"sqs\"\n", "no price book for region `us-east-9`"),
        (
            "region = \"ap-northeast-1\"\n[phases.p.resources.db]\nkind = \"rds\"\nengine = \"postgres\"\ninstance_class = \"db.x2g.large\"\nstorage_gb = 20\n",
            "no price for `rds.postgres.db.x2g.large` in ap-northeast-1; add it to pricing/ap-northeast-1.toml or override it in the scenario",
        ),
        ("region = \"us-east-1\"\n[phases.p.resources.x]\nkind = \"lambda\"\nmemory_mb = 512\nmemry = 1\n", "unknown key `memry`"),
    ];
    for (text, fragment) in cases {
        let o = run_text(text);
        assert_eq!(
            o.status.code(),
            Some(2),
            "exit code for {text:?}: {}",
            stderr(&o)
        );
        let err = stderr(&o);
        assert!(
            err.contains(fragment),
            "expected {fragment:?} in error for {text:?}, got:\n{err}"
        );
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn errors_point_at_line_and_column() {
    let o = run_text(&format!(
        "{OK_HEAD}[phases.p.resources.x]\nkind = \"lambda\"\nmemory_mb = 64\n"
    ));
    // memory_mb is on line 4, column 1.
    assert!(
        stderr(&o).contains("bad.toml:4:1: `phases.p.resources.x.memory_mb`"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn directory_and_missing_files_are_io_errors() {
    assert_eq!(run(&["run", "scenarios"]).status.code(), Some(3));
    assert_eq!(run(&["run", "scenarios/nope.toml"]).status.code(), Some(3));
}

#[test]
fn twenty_digit_literals_stay_exact() {
    // A float literal with 20 significant digits must reach Decimal unchanged.
    let text = format!(
        "{OK_HEAD}[overrides.\"nat_gateway.data\"]\nprice = 0.12345678901234567890\nreason = \"test\"\n[phases.p.resources.n]\nkind = \"nat_gateway\"\ndata_processed_gb = 10\n"
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("exact.toml");
    std::fs::write(&path, text).unwrap();
    let e = json_of(path.to_str().unwrap());
    let l = e.phases[0]
        .lines
        .iter()
        .find(|l| l.component == "Data processed")
        .unwrap();
    assert_eq!(l.unit_price, "0.1234567890123456789");
    // 10 GB x 0.1234567890123456789 = 1.234567890123456789, rounded at the pricing boundary to
    // 10 places, half to even (README, Rounding rule): 1.2345678901.
    assert_eq!(l.monthly_cost, "1.2345678901");
}

#[test]
fn same_input_same_bytes() {
    let a = run(&[
        "run",
        "scenarios/prod.toml",
        "--format",
        "json,csv,markdown,table",
    ]);
    let b = run(&[
        "run",
        "scenarios/prod.toml",
        "--format",
        "json,csv,markdown,table",
    ]);
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn snapshot_table_and_markdown() {
    insta::assert_snapshot!("prod_table", stdout(&run(&["run", "scenarios/prod.toml"])));
    insta::assert_snapshot!(
        "prod_markdown",
        stdout(&run(&[
            "run",
            "scenarios/prod.toml",
            "--format",
            "markdown"
        ]))
    );
}
