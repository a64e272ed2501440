//! Hand-checked prices for the pricing rules that are about no single resource kind: price
//! overrides, discounts, several kinds in one phase, free allowances shared across resources,
//! free-tier exclusions, volume tiers counted across resources, and environments. Each kind's
//! own figures live in a `mod tests` at the end of `src/resources/<kind>.rs`.
//!
//! Every expected figure below is worked out by hand in the comment next to the assertion,
//! with the unit price copied from `pricing/us-east-1.toml` (or `pricing/ap-northeast-1.toml`
//! for the Tokyo tests). Nothing here was derived by running the program.

use costplan::estimate::{CostLine, Estimate};
use rust_decimal::Decimal;

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

fn dec(s: &str) -> Decimal {
    s.parse::<Decimal>()
        .unwrap_or_else(|e| panic!("bad decimal {s}: {e}"))
}

/// A scenario with one phase `p` holding one resource `r` described by `body`; `top` goes
/// before the phase (free_tier, [discounts], [overrides]).
fn scenario(region: &str, top: &str, body: &str) -> String {
    format!("region = \"{region}\"\n{top}\n\n[phases.p.resources.r]\n{body}\n")
}

fn est(toml: &str) -> Estimate {
    costplan::estimate_toml("test.toml", toml).unwrap_or_else(|e| panic!("{e}\n---\n{toml}"))
}

/// One resource in us-east-1, no free tier.
fn us(body: &str) -> Estimate {
    est(&scenario("us-east-1", "", body))
}

/// One resource in us-east-1 with top-level settings.
fn us_with(top: &str, body: &str) -> Estimate {
    est(&scenario("us-east-1", top, body))
}

/// One resource in Tokyo.
fn tokyo(body: &str) -> Estimate {
    est(&scenario("ap-northeast-1", "", body))
}

/// The error message of a scenario that must fail.
fn err(toml: &str) -> String {
    match costplan::estimate_toml("test.toml", toml) {
        Ok(e) => panic!("expected an error, got {:#?}", e.phases[0].lines),
        Err(e) => e.to_string(),
    }
}

fn lines(e: &Estimate) -> &[CostLine] {
    &e.phases[0].lines
}

/// The line named `component` in the first phase.
fn line<'a>(e: &'a Estimate, component: &str) -> &'a CostLine {
    lines(e)
        .iter()
        .find(|l| l.component == component)
        .unwrap_or_else(|| {
            let names: Vec<&str> = lines(e).iter().map(|l| l.component.as_str()).collect();
            panic!("no line `{component}`; lines: {names:?}")
        })
}

fn has_line(e: &Estimate, component: &str) -> bool {
    lines(e).iter().any(|l| l.component == component)
}

fn cost(e: &Estimate, component: &str) -> Decimal {
    line(e, component).monthly_cost
}

fn total(e: &Estimate) -> Decimal {
    e.phases[0].monthly_total()
}

fn has_note(l: &CostLine, text: &str) -> bool {
    l.notes.iter().any(|n| n.contains(text))
}

// ---------------------------------------------------------------------------------------------
// Price overrides and discounts
// ---------------------------------------------------------------------------------------------

/// AWS Lambda pricing page, Ephemeral Storage Pricing, Example 1 (the same scenario as in
/// `src/resources/lambda.rs`).
const LAMBDA_AWS_EXAMPLE_1: &str = r#"kind = "lambda"
memory_mb = 1536
monthly_requests = 3_000_000
avg_duration_ms = 120"#;

#[test]
fn lambda_price_override_is_used_and_noted() {
    let e = us_with(
        r#"[overrides."lambda.requests"]
price = "0.25"
reason = "negotiated rate""#,
        LAMBDA_AWS_EXAMPLE_1,
    );
    let l = line(&e, "Requests");
    // 3M / 1M = 3 x $0.25 (override; per 1M kept from the book) = $0.75
    assert_eq!(l.unit_price, dec("0.25"));
    assert_eq!(l.monthly_cost, dec("0.75"));
    assert!(
        has_note(l, "price override: negotiated rate"),
        "{:?}",
        l.notes
    );
    // other lines keep book prices: 540,000 x $0.0000166667 = $9.000018
    assert_eq!(cost(&e, "Duration"), dec("9.000018"));
}

#[test]
fn fargate_discount_applies_to_unit_price() {
    let e = us_with(
        "[discounts]\nfargate = 30",
        r#"kind = "fargate"
cpu = 2
memory_gb = 4
tasks = 2"#,
    );
    let v = line(&e, "vCPU");
    // $0.04048 x 0.70 = $0.028336; 2,920 vCPU-h x $0.028336 = $82.74112
    assert_eq!(v.unit_price, dec("0.028336"));
    assert_eq!(v.monthly_cost, dec("82.74112"));
    assert!(has_note(v, "30% discount off $0.04048"), "{:?}", v.notes);
    // $0.004445 x 0.70 = $0.0031115; 5,840 GB-h x $0.0031115 = $18.17116
    assert_eq!(line(&e, "Memory").unit_price, dec("0.0031115"));
    assert_eq!(cost(&e, "Memory"), dec("18.17116"));
}

/// Production discounted, its environments not: the shape of seed 002's "本番環境ECS/RDS: 30%削減".
const PER_PHASE_DISCOUNTS: &str = r#"region = "us-east-1"

[phases.prod.discounts]
fargate = 30

[phases.prod.resources.api]
kind = "fargate"
cpu = 2
memory_gb = 4
tasks = 2

[phases.big]
extends = "prod"

[phases.ondemand]
extends = "prod"
discounts = {}

[environments.staging]
phase = "prod"

[environments.dev]
phase = "prod"
discounts = { fargate = 10 }
"#;

#[test]
fn phase_discounts_inherit_down_the_chain_and_an_own_table_replaces_them() {
    let e = est(PER_PHASE_DISCOUNTS);
    let vcpu = |name: &str| {
        let p = e.phases.iter().find(|p| p.name == name).unwrap();
        p.lines
            .iter()
            .find(|l| l.component.starts_with("vCPU"))
            .unwrap()
            .clone()
    };
    // prod: $0.04048 x 0.70 = $0.028336; 2,920 vCPU-h x $0.028336 = $82.74112 (as with the
    // scenario-wide [discounts] above)
    assert_eq!(vcpu("prod").monthly_cost, dec("82.74112"));
    assert!(has_note(&vcpu("prod"), "30% discount off $0.04048"));
    // `big` extends prod and states no discounts: it inherits prod's 30 %.
    assert_eq!(vcpu("big").monthly_cost, dec("82.74112"));
    // `ondemand` says `discounts = {}`: list price, 2,920 x $0.04048 = $118.2016
    assert_eq!(vcpu("ondemand").monthly_cost, dec("118.2016"));
    assert!(vcpu("ondemand")
        .notes
        .iter()
        .all(|n| !n.contains("discount")));
    // staging inherits its phase's table; dev's own replaces it: $0.04048 x 0.90 = $0.036432,
    // 2,920 x $0.036432 = $106.38144
    assert_eq!(vcpu("staging").monthly_cost, dec("82.74112"));
    assert_eq!(vcpu("dev").monthly_cost, dec("106.38144"));
    assert!(has_note(&vcpu("dev"), "10% discount off $0.04048"));
}

#[test]
fn a_kind_discounted_scenario_wide_and_per_phase_is_a_located_error() {
    let toml = PER_PHASE_DISCOUNTS.replace(
        "region = \"us-east-1\"\n",
        "region = \"us-east-1\"\n[discounts]\nfargate = 20\n",
    );
    let msg = err(&toml);
    // Located at the phase's key (line 6), naming the scenario-wide one (line 3).
    assert!(
        msg.contains("test.toml:6:1: `phases.prod.discounts.fargate`: `fargate` is discounted twice for phase `prod`: 30% here and 20% by the scenario-wide `discounts.fargate` (test.toml:3:1)"),
        "{msg}"
    );
}

#[test]
fn a_per_phase_discount_of_an_unknown_kind_is_a_located_error() {
    let msg = err(&PER_PHASE_DISCOUNTS.replace(
        "discounts = { fargate = 10 }",
        "discounts = { fargat = 10 }",
    ));
    assert!(
        msg.contains(
            "`environments.dev.discounts.fargat`: unknown service `fargat` for a discount"
        ),
        "{msg}"
    );
    assert!(msg.contains("did you mean `fargate`?"), "{msg}");
}

// ---------------------------------------------------------------------------------------------
// Several kinds in one phase
// ---------------------------------------------------------------------------------------------

#[test]
fn free_items_show_at_zero() {
    // Gateway endpoints and standard parameters are free (AWS docs): 2 x $0 and 10 x $0.
    let e = est(
        "region = \"ap-northeast-1\"\n[phases.p.resources.vpce]\nkind = \"vpc_endpoint\"\ngateway_endpoints = 2\n\
         [phases.p.resources.ssm]\nkind = \"ssm_parameter\"\nstandard_parameters = 10\n",
    );
    assert_eq!(line(&e, "Gateway endpoints").monthly_cost, dec("0"));
    assert_eq!(line(&e, "Standard parameters").quantity, dec("10"));
    assert_eq!(e.phases[0].monthly_total(), dec("0"));
}

// ---------------------------------------------------------------------------------------------
// Phase-level rules: shared free allowances, free-tier exclusions, volume tiers across resources
// ---------------------------------------------------------------------------------------------

/// A scenario with one phase `p` whose resources are given as raw TOML (`[phases.p.resources.X]`
/// tables), `top` before it.
fn phase(region: &str, top: &str, resources: &str) -> Estimate {
    est(&format!("region = \"{region}\"\n{top}\n\n{resources}\n"))
}

/// The line of `resource` named `component`.
fn line_of<'a>(e: &'a Estimate, resource: &str, component: &str) -> &'a CostLine {
    lines(e)
        .iter()
        .find(|l| l.resource == resource && l.component == component)
        .unwrap_or_else(|| {
            let names: Vec<String> = lines(e)
                .iter()
                .map(|l| format!("{} / {}", l.resource, l.component))
                .collect();
            panic!("no line `{resource} / {component}`; lines: {names:?}")
        })
}

#[test]
fn shared_ebs_allowance_is_credited_once_highest_price_first() {
    let e = phase(
        "us-east-1",
        r#"free_tier = "legacy-12-month""#,
        r#"[phases.p.resources.data]
kind = "ebs"
size_gb = 20
[phases.p.resources.legacy]
kind = "ebs"
volume_type = "gp2"
size_gb = 20"#,
    );
    // gp3 20 GB x $0.08 = $1.60; gp2 20 GB x $0.10 = $2.00
    assert_eq!(cost(&e, "Volume gp3 storage"), dec("1.60"));
    assert_eq!(cost(&e, "Volume gp2 storage"), dec("2.00"));
    // One 30 GB allowance for gp2 + gp3 (group ebs-general-purpose-30gb), highest price first:
    // gp2 takes 20 GB: -20 x $0.10 = -$2.00; gp3 gets the other 10 GB: -10 x $0.08 = -$0.80
    // (before: 20 GB each, -$3.60 in all)
    let gp2 = line(&e, "Free tier: Volume gp2 storage");
    assert_eq!(gp2.quantity, dec("-20"));
    assert_eq!(gp2.monthly_cost, dec("-2.00"));
    assert!(
        has_note(gp2, "shared by ebs.gp3.storage, ebs.gp2.storage"),
        "{:?}",
        gp2.notes
    );
    let gp3 = line(&e, "Free tier: Volume gp3 storage");
    assert_eq!(gp3.quantity, dec("-10"));
    assert_eq!(gp3.monthly_cost, dec("-0.80"));
    // 1.60 + 2.00 - 2.00 - 0.80 = 0.80
    assert_eq!(total(&e), dec("0.80"));
}

/// Every EBS volume type in one phase: the io2 tiers are counted per volume, the sc1 volume
/// exists half the month, the magnetic volume's I/O and the snapshots are stated for the
/// resource. Tokyo has no magnetic price, so the same phase fails naming both keys.
const EBS_FLEET: &str = r#"[phases.p.resources.root]
kind = "ebs"
size_gb = 50
[phases.p.resources.db]
kind = "ebs"
volume_type = "io2"
size_gb = 1000
iops = 40000
[phases.p.resources.logs]
kind = "ebs"
volume_type = "st1"
size_gb = 2000
[phases.p.resources.cold]
kind = "ebs"
volume_type = "sc1"
size_gb = 4000
hours = 365"#;

const EBS_LEGACY: &str = r#"
[phases.p.resources.legacy]
kind = "ebs"
volume_type = "standard"
size_gb = 200
monthly_io_requests = 10_000_000
snapshot_gb = 100
snapshot_archive_gb = 400"#;

#[test]
fn ebs_every_volume_type_in_one_phase() {
    let e = phase("us-east-1", "", &format!("{EBS_FLEET}{EBS_LEGACY}"));
    let c = |r: &str, comp: &str| line_of(&e, r, comp).monthly_cost;
    // root: 50 GB x $0.08 = $4
    assert_eq!(c("root", "Volume gp3 storage"), dec("4"));
    // db: 1,000 GB x $0.125 = $125; 32,000 x $0.065 = $2,080; 8,000 x $0.0455 = $364
    assert_eq!(c("db", "Volume io2 storage"), dec("125"));
    assert_eq!(c("db", "Volume io2 IOPS up to 32,000"), dec("2080"));
    assert_eq!(c("db", "Volume io2 IOPS 32,001-64,000"), dec("364"));
    // logs: 2,000 GB x $0.045 = $90
    assert_eq!(c("logs", "Volume st1 storage"), dec("90"));
    // cold: 4,000 GB x 365 / 730 h = 2,000 GB-month x $0.015 = $30
    assert_eq!(
        line_of(&e, "cold", "Volume sc1 storage").quantity,
        dec("2000")
    );
    assert_eq!(c("cold", "Volume sc1 storage"), dec("30"));
    // legacy: 200 GB x $0.05 = $10; 10 x 1M I/O x $0.05 = $0.50; snapshots 100 GB x $0.05 =
    // $5 and 400 GB x $0.0125 = $5
    assert_eq!(c("legacy", "Volume magnetic storage"), dec("10"));
    assert_eq!(c("legacy", "Volume magnetic I/O requests"), dec("0.5"));
    assert_eq!(c("legacy", "Snapshots (standard tier)"), dec("5"));
    assert_eq!(c("legacy", "Snapshots (archive tier)"), dec("5"));
    // 4 + 125 + 2,080 + 364 + 90 + 30 + 10 + 0.50 + 5 + 5
    assert_eq!(total(&e), dec("2713.5"));

    // Tokyo: 50 x $0.096 = $4.80; 1,000 x $0.142 = $142; 32,000 x $0.074 = $2,368;
    // 8,000 x $0.0518 = $414.40; 2,000 x $0.054 = $108; 2,000 x $0.018 = $36
    let t = phase("ap-northeast-1", "", EBS_FLEET);
    assert_eq!(total(&t), dec("3073.2"));
    let msg = err(&format!(
        "region = \"ap-northeast-1\"\n\n{EBS_FLEET}{EBS_LEGACY}\n"
    ));
    // Tokyo prices magnetic storage ($0.08) but has no magnetic I/O price: the stated I/O
    // is the missing key.
    assert!(msg.contains("ebs.standard.io"), "{msg}");
    assert!(!msg.contains("ebs.standard.storage"), "{msg}");
    assert!(msg.contains("resource `legacy`"), "{msg}");
}

#[test]
fn shared_lambda_allowance_across_architectures() {
    let e = phase(
        "us-east-1",
        r#"free_tier = "always""#,
        r#"[phases.p.resources.x86]
kind = "lambda"
memory_mb = 1024
monthly_requests = 1_000_000
avg_duration_ms = 300
[phases.p.resources.arm]
kind = "lambda"
memory_mb = 1024
architecture = "arm64"
monthly_requests = 1_000_000
avg_duration_ms = 300"#,
    );
    // each: 1M x 0.3 s x 1 GB = 300,000 GB-s
    // x86: 300,000 x $0.0000166667 = $5.00001; arm: 300,000 x $0.0000133334 = $4.00002
    assert_eq!(line_of(&e, "x86", "Duration").monthly_cost, dec("5.00001"));
    assert_eq!(line_of(&e, "arm", "Duration").monthly_cost, dec("4.00002"));
    // 400,000 GB-s shared (group lambda-compute-400k-gb-s), x86 first (higher price):
    // x86 300,000 x $0.0000166667 = -$5.00001; arm the remaining 100,000 x $0.0000133334 = -$1.33334
    let fx = lines(&e)
        .iter()
        .find(|l| l.component == "Free tier: Duration" && l.price_key == "lambda.duration.x86_64")
        .unwrap();
    assert_eq!(fx.quantity, dec("-300000"));
    assert_eq!(fx.monthly_cost, dec("-5.00001"));
    let fa = lines(&e)
        .iter()
        .find(|l| l.component == "Free tier: Duration" && l.price_key == "lambda.duration.arm64")
        .unwrap();
    assert_eq!(fa.quantity, dec("-100000"));
    assert_eq!(fa.monthly_cost, dec("-1.33334"));
    // requests: one key, 2M at $0.20/M = $0.40, free 1M once: -$0.20 on the account
    let fr = line(&e, "Free tier: Requests");
    assert_eq!(fr.monthly_cost, dec("-0.20"));
    assert_eq!(fr.resource, "(account)");
    // 0.40 + 5.00001 + 4.00002 - 0.20 - 5.00001 - 1.33334 = 2.86668
    assert_eq!(total(&e), dec("2.86668"));
}

#[test]
fn shared_sqs_allowance_standard_and_fifo() {
    let e = phase(
        "us-east-1",
        r#"free_tier = "always""#,
        r#"[phases.p.resources.events]
kind = "sqs"
monthly_requests = 600_000
[phases.p.resources.orders]
kind = "sqs"
queue_type = "fifo"
monthly_requests = 800_000"#,
    );
    // standard 0.6 (1M) x $0.40 = $0.24; FIFO 0.8 x $0.50 = $0.40
    // 1M free once (group sqs-1m-requests), FIFO first: -0.8 x $0.50 = -$0.40;
    // standard gets the remaining 0.2: -0.2 x $0.40 = -$0.08
    let credits: Vec<Decimal> = lines(&e)
        .iter()
        .filter(|l| l.component == "Free tier: Requests")
        .map(|l| l.monthly_cost)
        .collect();
    assert_eq!(credits, vec![dec("-0.08"), dec("-0.40")]);
    // 0.24 + 0.40 - 0.40 - 0.08 = 0.16
    assert_eq!(total(&e), dec("0.16"));
}

#[test]
fn shared_rds_micro_allowance_across_classes_and_engines() {
    let e = phase(
        "us-east-1",
        r#"free_tier = "legacy-12-month""#,
        r#"[phases.p.resources.pg]
kind = "rds"
engine = "postgres"
instance_class = "db.t3.micro"
storage_gb = 20
[phases.p.resources.my]
kind = "rds"
engine = "mysql"
instance_class = "db.t4g.micro"
storage_gb = 20"#,
    );
    // pg: 730 h x $0.018 = $13.14; my: 730 h x $0.016 = $11.68
    // 750 h shared by the micro classes (group rds-single-az-micro-750h), highest price first:
    // pg 730 h = -$13.14; my the remaining 20 h x $0.016 = -$0.32
    assert_eq!(cost(&e, "Free tier: Instance (db.t3.micro)"), dec("-13.14"));
    let my = line(&e, "Free tier: Instance (db.t4g.micro)");
    assert_eq!(my.quantity, dec("-20"));
    assert_eq!(my.monthly_cost, dec("-0.32"));
    // storage: one key, 40 GB x $0.115 = $4.60, 20 GB free once: -$2.30
    assert_eq!(cost(&e, "Free tier: Storage (gp3)"), dec("-2.30"));
    // 13.14 + 11.68 + 4.60 - 13.14 - 0.32 - 2.30 = 13.66
    assert_eq!(total(&e), dec("13.66"));
}

#[test]
fn multi_az_rds_gets_no_free_instance_hours() {
    let e = phase(
        "us-east-1",
        r#"free_tier = "legacy-12-month""#,
        r#"[phases.p.resources.ha]
kind = "rds"
engine = "postgres"
instance_class = "db.t4g.micro"
multi_az = true
storage_gb = 20
[phases.p.resources.single]
kind = "rds"
engine = "postgres"
instance_class = "db.t4g.micro"
storage_gb = 20"#,
    );
    // ha: 730 h x $0.032 (Multi-AZ rate) = $23.36, no credit (the free tier is Single-AZ
    // only: the Multi-AZ keys carry no allowance)
    let ha = line_of(&e, "ha", "Instance (db.t4g.micro, Multi-AZ)");
    assert_eq!(ha.monthly_cost, dec("23.36"));
    assert!(
        e.phases[0]
            .lines
            .iter()
            .all(|l| l.resource != "ha" || !l.component.starts_with("Free tier")),
        "{:?}",
        e.phases[0].lines
    );
    // single: 730 h x $0.016 = $11.68, fully credited: -730 h x $0.016 = -$11.68
    let f = line(&e, "Free tier: Instance (db.t4g.micro)");
    assert_eq!(f.quantity, dec("-730"));
    assert_eq!(f.monthly_cost, dec("-11.68"));
    // storage: ha 20 GB x $0.23 (Multi-AZ, no allowance) = $4.60; single 20 GB x $0.115 =
    // $2.30, free 20 GB: -$2.30
    assert_eq!(cost(&e, "Free tier: Storage (gp3)"), dec("-2.30"));
    // 23.36 + 4.60 + 11.68 + 2.30 - 11.68 - 2.30 = 27.96
    assert_eq!(total(&e), dec("27.96"));
}

#[test]
fn lambda_with_provisioned_concurrency_gets_no_free_tier() {
    let e = phase(
        "us-east-1",
        r#"free_tier = "always""#,
        r#"[phases.p.resources.warm]
kind = "lambda"
memory_mb = 1024
monthly_requests = 10_000_000
avg_duration_ms = 500
provisioned_concurrency = 1
[phases.p.resources.plain]
kind = "lambda"
memory_mb = 1024
monthly_requests = 1_000_000
avg_duration_ms = 100"#,
    );
    // warm (as in lambda_provisioned_concurrency_overflow_goes_to_on_demand_duration):
    // requests 10 x $0.20 = $2.00, PC $10.9500876, PC duration $25.5499416,
    // on-demand duration 2,372,000 GB-s x $0.0000166667 = $39.5334124 -- none of it credited
    let warm = line_of(&e, "warm", "Requests");
    assert!(
        has_note(warm, "provisioned concurrency"),
        "{:?}",
        warm.notes
    );
    // plain: requests 1 x $0.20; duration 100,000 GB-s x $0.0000166667 = $1.66667
    // credits count plain's usage only: -1 (1M) x $0.20 and -100,000 GB-s x $0.0000166667
    let fr = line(&e, "Free tier: Requests");
    assert_eq!(fr.quantity, dec("-1"));
    assert_eq!(fr.resource, "plain");
    let fd = line(&e, "Free tier: Duration");
    assert_eq!(fd.quantity, dec("-100000"));
    assert_eq!(fd.monthly_cost, dec("-1.66667"));
    // 2.00 + 10.9500876 + 25.5499416 + 39.5334124 + 0.20 + 1.66667 - 0.20 - 1.66667
    //   = 78.0334416
    assert_eq!(total(&e), dec("78.0334416"));
}

#[test]
fn two_s3_buckets_share_the_50_tb_tier() {
    let e = phase(
        "us-east-1",
        "",
        r#"[phases.p.resources.a]
kind = "s3"
standard_gb = 40000
[phases.p.resources.b]
kind = "s3"
standard_gb = 20000"#,
    );
    // S3 Standard tiers count per account: first 51,200 GB at $0.023, next 460,800 at $0.022.
    // a takes units 0-40,000: 40,000 x $0.023 = $920 (one tier, no label)
    assert_eq!(
        line_of(&e, "a", "Standard storage").monthly_cost,
        dec("920")
    );
    // b takes 40,000-60,000: 11,200 GB x $0.023 = $257.60, then 8,800 GB x $0.022 = $193.60
    let b1 = line_of(&e, "b", "Standard storage (tier 1)");
    assert_eq!(b1.quantity, dec("11200"));
    assert_eq!(b1.monthly_cost, dec("257.60"));
    assert!(has_note(b1, "units 40,000 to 60,000"), "{:?}", b1.notes);
    let b2 = line_of(&e, "b", "Standard storage (tier 2)");
    assert_eq!(b2.quantity, dec("8800"));
    assert_eq!(b2.unit_price, dec("0.022"));
    assert_eq!(b2.monthly_cost, dec("193.60"));
    // 920 + 257.60 + 193.60 = 1,371.20, the same as one 60,000 GB bucket
    // (51,200 x 0.023 = 1,177.60 + 8,800 x 0.022 = 193.60); priced per bucket it was 1,380.00
    assert_eq!(total(&e), dec("1371.20"));
    assert_eq!(
        total(&us(r#"kind = "s3"
standard_gb = 60000"#)),
        dec("1371.20")
    );

    // A bucket that lies wholly above the first tier says which tier it is in.
    let e = phase(
        "us-east-1",
        "",
        r#"[phases.p.resources.a]
kind = "s3"
standard_gb = 60000
[phases.p.resources.b]
kind = "s3"
standard_gb = 1000"#,
    );
    // b: units 60,000-61,000, all tier 2: 1,000 x $0.022 = $22
    assert_eq!(
        line_of(&e, "b", "Standard storage (tier 2)").monthly_cost,
        dec("22")
    );
    // 1,177.60 + 193.60 + 22 = 1,393.20
    assert_eq!(total(&e), dec("1393.20"));
}

#[test]
fn s3_intelligent_tiering_tiers_count_apart_from_standard() {
    let e = phase(
        "us-east-1",
        "",
        r#"[phases.p.resources.a]
kind = "s3"
standard_gb = 40000
intelligent_tiering_frequent_gb = 40000
[phases.p.resources.b]
kind = "s3"
intelligent_tiering_frequent_gb = 20000
standard_ia_gb = 1000
standard_ia_retrieval_gb = 100"#,
    );
    // a: Standard 40,000 x $0.023 = $920; Frequent Access is its own tier count (its own key),
    // so a's 40,000 GB are also all in the first band: 40,000 x $0.023 = $920
    assert_eq!(
        line_of(&e, "a", "Standard storage").monthly_cost,
        dec("920")
    );
    assert_eq!(
        line_of(&e, "a", "Intelligent-Tiering Frequent Access storage").monthly_cost,
        dec("920")
    );
    // b takes Frequent Access units 40,000-60,000: 11,200 x $0.023 = $257.60, 8,800 x $0.022 = $193.60
    let b1 = line_of(
        &e,
        "b",
        "Intelligent-Tiering Frequent Access storage (tier 1)",
    );
    assert_eq!(b1.quantity, dec("11200"));
    assert_eq!(b1.monthly_cost, dec("257.60"));
    let b2 = line_of(
        &e,
        "b",
        "Intelligent-Tiering Frequent Access storage (tier 2)",
    );
    assert_eq!(b2.unit_price, dec("0.022"));
    assert_eq!(b2.monthly_cost, dec("193.60"));
    // b: Standard-IA 1,000 x $0.0125 = $12.50; retrieval 100 GB x $0.01 = $1
    assert_eq!(
        line_of(&e, "b", "Standard-IA storage").monthly_cost,
        dec("12.50")
    );
    assert_eq!(
        line_of(&e, "b", "Standard-IA retrieval").monthly_cost,
        dec("1")
    );
    // 920 + 920 + 257.60 + 193.60 + 12.50 + 1 = 2,304.70
    assert_eq!(total(&e), dec("2304.70"));
}

#[test]
fn two_cloudfront_distributions_share_tiers_and_the_free_terabyte() {
    let e = phase(
        "us-east-1",
        r#"free_tier = "always""#,
        r#"[phases.p.resources.web]
kind = "cloudfront"
data_out_gb = 6000
[phases.p.resources.media]
kind = "cloudfront"
data_out_gb = 6000"#,
    );
    // web: 6,000 GB x $0.085 = $510
    assert_eq!(
        line_of(&e, "web", "Data transfer out").monthly_cost,
        dec("510")
    );
    // media: 4,240 GB left in the first 10 TB (10,240) x $0.085 = $360.40,
    // then 1,760 GB x $0.080 = $140.80
    assert_eq!(
        line_of(&e, "media", "Data transfer out (tier 1)").monthly_cost,
        dec("360.40")
    );
    assert_eq!(
        line_of(&e, "media", "Data transfer out (tier 2)").monthly_cost,
        dec("140.80")
    );
    // the free 1 TB once, on the account: -1,024 x $0.085 = -$87.04
    let f = line(&e, "Free tier: Data transfer out");
    assert_eq!(f.resource, "(account)");
    assert_eq!(f.monthly_cost, dec("-87.04"));
    // 510 + 360.40 + 140.80 - 87.04 = 924.16
    assert_eq!(total(&e), dec("924.16"));
}

#[test]
fn cloudfront_viewer_regions_count_tiers_per_region_across_distributions_in_tokyo() {
    // CloudFront prices are global: the Tokyo book carries the same per-region keys.
    let e = phase(
        "ap-northeast-1",
        r#"free_tier = "always""#,
        r#"[phases.p.resources.web]
kind = "cloudfront"
data_out_gb = 8000
viewer_regions = { japan = 50, united_states = 50 }
[phases.p.resources.media]
kind = "cloudfront"
data_out_gb = 8000
viewer_regions = { japan = 100 }"#,
    );
    // web: Japan 4,000 GB x $0.114 = $456; United States 4,000 GB x $0.085 = $340
    assert_eq!(
        line_of(&e, "web", "Data transfer out (Japan)").monthly_cost,
        dec("456")
    );
    assert_eq!(
        line_of(&e, "web", "Data transfer out (United States/Mexico/Canada)").monthly_cost,
        dec("340")
    );
    // media: Japan's first 10 TB has 10,240 - 4,000 = 6,240 GB left x $0.114 = $711.36,
    // then 1,760 GB x $0.089 = $156.64 (the US traffic does not count toward Japan's tiers)
    assert_eq!(
        line_of(&e, "media", "Data transfer out (Japan) (tier 1)").monthly_cost,
        dec("711.36")
    );
    assert_eq!(
        line_of(&e, "media", "Data transfer out (Japan) (tier 2)").monthly_cost,
        dec("156.64")
    );
    // the free 1 TB once for the account, across regions, dearest first:
    // -1,024 GB x $0.114 = -$116.736
    let free: Decimal = lines(&e)
        .iter()
        .filter(|l| l.component.starts_with("Free tier: Data transfer out"))
        .map(|l| l.monthly_cost)
        .sum();
    assert_eq!(free, dec("-116.736"));
    // 456 + 340 + 711.36 + 156.64 - 116.736 = 1,547.264 (+ HTTPS: depends on usage, $0)
    assert_eq!(total(&e), dec("1547.264"));
}

// ---------------------------------------------------------------------------------------------
// Environments and several kinds in Tokyo
// ---------------------------------------------------------------------------------------------

#[test]
fn environment_schedule_over_fixed_hours_is_a_located_error() {
    let toml = r#"region = "us-east-1"
[phases.prod.resources.batch]
kind = "ec2"
instance_type = "t3.micro"
hours_per_month = 100

[environments.dev]
phase = "prod"
schedule = "weekdays 09-19"
"#;
    let msg = err(toml);
    // points at the environment's schedule (line 9) and names the resource's own key (line 5)
    assert!(msg.starts_with("test.toml:9:"), "{msg}");
    assert!(msg.contains("`batch`"), "{msg}");
    assert!(msg.contains("`hours_per_month` = 100"), "{msg}");
    assert!(msg.contains("test.toml:5:"), "{msg}");
    assert!(msg.contains("schedule = \"100h\""), "{msg}");

    // The fix the message suggests: give the resource its own schedule in the environment.
    let fixed = format!(
        "{toml}\n[environments.dev.resources.batch]\nkind = \"ec2\"\ninstance_type = \"t3.micro\"\nschedule = \"100h\"\n"
    );
    let e = est(&fixed);
    let dev = e.phases.iter().find(|p| p.name == "dev").unwrap();
    let inst = dev
        .lines
        .iter()
        .find(|l| l.component == "Instance (t3.micro)")
        .unwrap();
    // 100 h x $0.0104 = $1.04
    assert_eq!(inst.monthly_cost, dec("1.04"));

    // Fargate's task_hours is the same case.
    let msg = err(r#"region = "us-east-1"
[phases.prod.resources.jobs]
kind = "fargate"
cpu = 1
memory_gb = 2
task_hours = 300

[environments.dev]
phase = "prod"
schedule = "weekdays 09-19"
"#);
    assert!(msg.contains("`task_hours` = 300"), "{msg}");
}

#[test]
fn tokyo_https_requests_secrets_and_rds_backup() {
    let e = est(&scenario(
        "ap-northeast-1",
        r#"free_tier = "always""#,
        r#"kind = "cloudfront"
https_requests = 50_000_000
http_requests = 5_000_000"#,
    ));
    // HTTPS 5,000 (10K) x $0.012 = $60; HTTP 500 x $0.009 = $4.50
    assert_eq!(cost(&e, "HTTPS requests"), dec("60"));
    // 10M free once, HTTPS first (dearer): -1,000 x $0.012 = -$12; nothing left for HTTP
    assert_eq!(cost(&e, "Free tier: HTTPS requests"), dec("-12"));
    assert!(!has_line(&e, "Free tier: HTTP requests"));
    // 60 + 4.50 - 12 = 52.50
    assert_eq!(total(&e), dec("52.50"));

    let e = tokyo(
        r#"kind = "secrets_manager"
secrets = 5
api_calls = 1_000_000"#,
    );
    // 5 x $0.40 = $2; 100 (10K) x $0.05 = $5
    assert_eq!(total(&e), dec("7"));

    let e = tokyo(
        r#"kind = "rds"
engine = "postgres"
instance_class = "db.t4g.micro"
storage_gb = 20
backup_gb = 50"#,
    );
    // (50 - 20) GB x $0.095 (rds.backup) = $2.85
    assert_eq!(cost(&e, "Backup storage beyond free"), dec("2.85"));
}
