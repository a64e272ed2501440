//! Hand-checked prices for every resource model.
//!
//! Every expected figure below is worked out by hand in the comment next to the assertion,
//! with the unit price copied from `pricing/us-east-1.toml` (or `pricing/ap-northeast-1.toml`
//! for the Tokyo tests). Where AWS publishes a worked pricing example, the test reproduces it
//! and cites it. Nothing here was derived by running the program.
//!
//! Sources of the AWS examples:
//! - Lambda: https://aws.amazon.com/lambda/pricing/ ("Lambda Ephemeral Storage Pricing",
//!   Examples 1 and 3; "Provisioned Concurrency Pricing", Example 2).
//! - Fargate: https://aws.amazon.com/fargate/pricing/ ("Pricing Examples", Examples 1-3).
//! - ALB: https://aws.amazon.com/elasticloadbalancing/pricing/ (Application Load Balancer
//!   example: 1 new connection/s lasting 2 min, 5 requests/s, 300 KB/s, 60 rules).

use costplan::estimate::{CostKind, CostLine, Estimate, UsageSource};
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

fn qty(e: &Estimate, component: &str) -> Decimal {
    line(e, component).quantity
}

fn total(e: &Estimate) -> Decimal {
    e.phases[0].monthly_total()
}

fn has_note(l: &CostLine, text: &str) -> bool {
    l.notes.iter().any(|n| n.contains(text))
}

// ---------------------------------------------------------------------------------------------
// EC2
// ---------------------------------------------------------------------------------------------

#[test]
fn ec2_instances_and_default_root_volume() {
    let e = us(r#"kind = "ec2"
instance_type = "t3.micro"
count = 2"#);
    // 2 instances x 730 h = 1,460 h x $0.0104 (ec2.instance.t3.micro) = $15.184
    assert_eq!(qty(&e, "Instance (t3.micro)"), dec("1460"));
    assert_eq!(cost(&e, "Instance (t3.micro)"), dec("15.184"));
    // default root volume 8 GB gp3 x 2 = 16 GB-month x $0.08 (ebs.gp3.storage) = $1.28
    assert_eq!(qty(&e, "Root volume gp3 storage"), dec("16"));
    assert_eq!(cost(&e, "Root volume gp3 storage"), dec("1.28"));
    // 15.184 + 1.28 = 16.464
    assert_eq!(total(&e), dec("16.464"));
}

#[test]
fn ec2_weekday_schedule_bills_50_of_168_hours_but_root_volume_all_month() {
    let e = us(r#"kind = "ec2"
instance_type = "m6i.large"
schedule = "weekdays 09-19""#);
    // 5 days x 10 h = 50 h/week; 730 x 50 / 168 = 36,500 / 168 = 217.26190476190476... h
    // (a repeating decimal, so compared at 10 places)
    assert_eq!(
        qty(&e, "Instance (m6i.large)").round_dp(10),
        dec("217.2619047619")
    );
    // 36,500 / 168 x $0.096 (ec2.instance.m6i.large) = 3,504 / 168 = $20.857142857142...
    assert_eq!(
        cost(&e, "Instance (m6i.large)").round_dp(10),
        dec("20.8571428571")
    );
    // the root volume persists while stopped: 8 GB x $0.08 = $0.64, not scheduled
    assert_eq!(cost(&e, "Root volume gp3 storage"), dec("0.64"));
}

#[test]
fn ec2_hours_per_month_and_gp2_root_volume() {
    let e = us(r#"kind = "ec2"
instance_type = "t4g.small"
hours_per_month = 100
root_volume_gb = 20
root_volume_type = "gp2""#);
    // 100 h x $0.0168 (ec2.instance.t4g.small) = $1.68
    assert_eq!(cost(&e, "Instance (t4g.small)"), dec("1.68"));
    // 20 GB x $0.10 (ebs.gp2.storage) = $2.00
    assert_eq!(cost(&e, "Root volume gp2 storage"), dec("2.00"));
}

#[test]
fn ec2_new_account_free_tier_cancels_a_t3_micro() {
    let e = us_with(
        r#"free_tier = "new-account""#,
        r#"kind = "ec2"
instance_type = "t3.micro""#,
    );
    // 730 h x $0.0104 = $7.592; free 750 h/month (12-month) covers all 730 h
    assert_eq!(cost(&e, "Instance (t3.micro)"), dec("7.592"));
    let free = line(&e, "Free tier: Instance (t3.micro)");
    // credit = min(730, 750) = 730 h x $0.0104 = -$7.592
    assert_eq!(free.quantity, dec("-730"));
    assert_eq!(free.monthly_cost, dec("-7.592"));
    assert!(free.monthly_cost < Decimal::ZERO);
    assert!(has_note(free, "12-month free tier"));
    // root 8 GB x $0.08 = $0.64, free 30 GB covers it: -8 x $0.08 = -$0.64
    assert_eq!(cost(&e, "Free tier: Root volume gp3 storage"), dec("-0.64"));
    // 7.592 + 0.64 - 7.592 - 0.64 = 0
    assert_eq!(total(&e), Decimal::ZERO);
}

#[test]
fn ec2_free_tier_is_off_by_default_and_always_does_not_cover_12_month() {
    let body = r#"kind = "ec2"
instance_type = "t3.micro""#;
    let none = us(body);
    let always = us_with(r#"free_tier = "always""#, body);
    // t3.micro's 750 h are a 12-month allowance: neither scenario gets a credit
    assert!(!has_line(&none, "Free tier: Instance (t3.micro)"));
    assert!(!has_line(&always, "Free tier: Instance (t3.micro)"));
    // 7.592 + 0.64
    assert_eq!(total(&always), dec("8.232"));
}

// ---------------------------------------------------------------------------------------------
// EBS
// ---------------------------------------------------------------------------------------------

#[test]
fn ebs_gp3_storage_iops_and_throughput_above_included() {
    let e = us(r#"kind = "ebs"
size_gb = 500
count = 2
iops = 6000
throughput_mbps = 250"#);
    // 500 GB x 2 = 1,000 GB-month x $0.08 (ebs.gp3.storage) = $80
    assert_eq!(cost(&e, "Volume gp3 storage"), dec("80"));
    // (6,000 - 3,000 included) x 2 = 6,000 IOPS-month x $0.005 (ebs.gp3.iops) = $30
    assert_eq!(qty(&e, "Volume gp3 IOPS above 3,000"), dec("6000"));
    assert_eq!(cost(&e, "Volume gp3 IOPS above 3,000"), dec("30"));
    // (250 - 125 included) x 2 = 250 MB/s-month x $0.06 (ebs.gp3.throughput) = $15
    assert_eq!(qty(&e, "Volume gp3 throughput above 125 MB/s"), dec("250"));
    assert_eq!(cost(&e, "Volume gp3 throughput above 125 MB/s"), dec("15"));
    assert_eq!(total(&e), dec("125"));
}

#[test]
fn ebs_gp3_at_included_iops_has_no_iops_line_and_gp2_rejects_iops() {
    let e = us(r#"kind = "ebs"
size_gb = 100
iops = 3000
throughput_mbps = 125"#);
    // 100 GB x $0.08 = $8; 3,000 IOPS and 125 MB/s are included
    assert_eq!(lines(&e).len(), 1);
    assert_eq!(cost(&e, "Volume gp3 storage"), dec("8"));

    let gp2 = us(r#"kind = "ebs"
volume_type = "gp2"
size_gb = 100"#);
    // 100 GB x $0.10 (ebs.gp2.storage) = $10
    assert_eq!(cost(&gp2, "Volume gp2 storage"), dec("10"));

    let msg = err(&scenario(
        "us-east-1",
        "",
        r#"kind = "ebs"
volume_type = "gp2"
size_gb = 100
iops = 4000"#,
    ));
    assert!(
        msg.contains("gp2 volumes have no provisioned IOPS"),
        "{msg}"
    );
}

// ---------------------------------------------------------------------------------------------
// Public IPv4
// ---------------------------------------------------------------------------------------------

#[test]
fn public_ipv4_per_address_hour() {
    let e = us(r#"kind = "public_ipv4"
count = 3"#);
    // 3 addresses x 730 h = 2,190 h x $0.005 (vpc.public_ipv4) = $10.95 ($3.65 per address)
    assert_eq!(qty(&e, "Public IPv4 address"), dec("2190"));
    assert_eq!(cost(&e, "Public IPv4 address"), dec("10.95"));

    let part = us(r#"kind = "public_ipv4"
count = 2
hours_per_month = 100"#);
    // 2 x 100 h = 200 h x $0.005 = $1.00
    assert_eq!(cost(&part, "Public IPv4 address"), dec("1.00"));
}

// ---------------------------------------------------------------------------------------------
// Lambda
// ---------------------------------------------------------------------------------------------

const LAMBDA_AWS_EXAMPLE_1: &str = r#"kind = "lambda"
memory_mb = 1536
monthly_requests = 3_000_000
avg_duration_ms = 120"#;

#[test]
fn lambda_aws_example_1_before_free_tier() {
    // AWS Lambda pricing page, Ephemeral Storage Pricing, Example 1 (mobile backend):
    // 3M requests, 120 ms, 1536 MB, x86.
    let e = us(LAMBDA_AWS_EXAMPLE_1);
    // requests: 3,000,000 / 1M = 3 x $0.20 (lambda.requests) = $0.60
    assert_eq!(qty(&e, "Requests"), dec("3"));
    assert_eq!(cost(&e, "Requests"), dec("0.60"));
    // 3,000,000 x 0.120 s = 360,000 s x 1536/1024 GB = 540,000 GB-s
    assert_eq!(qty(&e, "Duration"), dec("540000"));
    // 540,000 x $0.0000166667 (lambda.duration.x86_64, tier 1) = $9.0000180
    assert_eq!(cost(&e, "Duration"), dec("9.0000180"));
    assert_eq!(line(&e, "Duration").unit_price, dec("0.0000166667"));
    assert_eq!(line(&e, "Duration").usage_source, UsageSource::Stated);
    assert_eq!(line(&e, "Duration").kind, CostKind::Usage);
}

#[test]
fn lambda_aws_example_1_with_always_free_tier() {
    let e = us_with(r#"free_tier = "always""#, LAMBDA_AWS_EXAMPLE_1);
    // free 400,000 GB-s: -400,000 x $0.0000166667 = -$6.66668
    assert_eq!(qty(&e, "Free tier: Duration"), dec("-400000"));
    assert_eq!(cost(&e, "Free tier: Duration"), dec("-6.66668"));
    // free 1M requests: -1 x $0.20 = -$0.20
    assert_eq!(qty(&e, "Free tier: Requests"), dec("-1"));
    assert_eq!(cost(&e, "Free tier: Requests"), dec("-0.20"));
    // AWS: compute 140,000 GB-s x $0.0000166667 = $2.33(3338), requests 2M x $0.20 = $0.40,
    // total $2.73. Exactly: 0.60 + 9.000018 - 0.20 - 6.66668 = 2.733338
    assert_eq!(total(&e), dec("2.733338"));
    assert_eq!(total(&e).round_dp(2), dec("2.73"));
}

#[test]
fn lambda_aws_example_3_ephemeral_storage() {
    // AWS Lambda pricing page, Ephemeral Storage Pricing, Example 3 (BERT on support tickets):
    // 6M requests, 280 ms, 4096 MB, 2048 MB ephemeral storage, x86, free tier applied.
    let e = us_with(
        r#"free_tier = "always""#,
        r#"kind = "lambda"
memory_mb = 4096
monthly_requests = 6_000_000
avg_duration_ms = 280
ephemeral_storage_mb = 2048"#,
    );
    // 6M x 0.28 s = 1,680,000 s x 4 GB = 6,720,000 GB-s x $0.0000166667 = $112.000224
    assert_eq!(qty(&e, "Duration"), dec("6720000"));
    assert_eq!(cost(&e, "Duration"), dec("112.000224"));
    // (2048 - 512) / 1024 = 1.5 GB x 1,680,000 s = 2,520,000 GB-s
    //   x $0.0000000309 (lambda.ephemeral_storage) = $0.077868 (AWS: $0.08)
    assert_eq!(qty(&e, "Ephemeral storage above 512 MB"), dec("2520000"));
    assert_eq!(cost(&e, "Ephemeral storage above 512 MB"), dec("0.077868"));
    // requests 6 x $0.20 = $1.20
    assert_eq!(cost(&e, "Requests"), dec("1.20"));
    // total: 112.000224 + 0.077868 + 1.20 - 6.66668 - 0.20 = 106.411412 (AWS: $106.41)
    assert_eq!(total(&e), dec("106.411412"));
    assert_eq!(total(&e).round_dp(2), dec("106.41"));
}

#[test]
fn lambda_duration_rounds_up_to_whole_ms() {
    let e = us(r#"kind = "lambda"
memory_mb = 512
monthly_requests = 1_000_000
avg_duration_ms = 200.2"#);
    // 200.2 ms bills 201 ms: 1,000,000 x 0.201 s = 201,000 s x 0.5 GB = 100,500 GB-s
    assert_eq!(qty(&e, "Duration"), dec("100500"));
    // 100,500 x $0.0000166667 = $1.67500335
    assert_eq!(cost(&e, "Duration"), dec("1.67500335"));
    // requests 1 x $0.20 = $0.20
    assert_eq!(cost(&e, "Requests"), dec("0.20"));
}

#[test]
fn lambda_duration_tiers_split_at_6_billion_gb_s() {
    let e = us(r#"kind = "lambda"
memory_mb = 10240
monthly_requests = 1_000_000_000
avg_duration_ms = 900"#);
    // 1e9 x 0.9 s x 10 GB = 9,000,000,000 GB-s: 6B in tier 1, 3B in tier 2
    // tier 1: 6,000,000,000 x $0.0000166667 = $100,000.20
    assert_eq!(qty(&e, "Duration (tier 1)"), dec("6000000000"));
    assert_eq!(cost(&e, "Duration (tier 1)"), dec("100000.2"));
    // tier 2: 3,000,000,000 x $0.000015 = $45,000
    assert_eq!(qty(&e, "Duration (tier 2)"), dec("3000000000"));
    assert_eq!(cost(&e, "Duration (tier 2)"), dec("45000"));
    assert!(!has_line(&e, "Duration"));
}

#[test]
fn lambda_arm64_duration_rate() {
    let e = us(r#"kind = "lambda"
memory_mb = 1024
architecture = "arm64"
monthly_requests = 10_000_000
avg_duration_ms = 100"#);
    // 10M x 0.1 s x 1 GB = 1,000,000 GB-s x $0.0000133334 (lambda.duration.arm64) = $13.3334
    assert_eq!(cost(&e, "Duration"), dec("13.3334"));
    // 10 x $0.20 = $2.00
    assert_eq!(cost(&e, "Requests"), dec("2.00"));
}

#[test]
fn lambda_aws_provisioned_concurrency_example_2() {
    // AWS Lambda pricing page, Provisioned Concurrency Pricing, Example 2 (Cyber Monday):
    // PC 7 for 24 h, 4096 MB, 2M requests of 280 ms all served by PC.
    let e = us(r#"kind = "lambda"
memory_mb = 4096
monthly_requests = 2_000_000
avg_duration_ms = 280
provisioned_concurrency = 7
provisioned_hours = 24"#);
    // 7 x 4 GB x 24 h x 3,600 s = 2,419,200 GB-s
    //   x $0.0000041667 (lambda.provisioned.x86_64) = $10.08008064 (AWS: $10.08)
    let pc = line(&e, "Provisioned concurrency");
    assert_eq!(pc.quantity, dec("2419200"));
    assert_eq!(pc.monthly_cost, dec("10.08008064"));
    assert_eq!(pc.kind, CostKind::Baseline);
    assert!(has_note(pc, "7 environments"));
    // 2M x 0.28 s x 4 GB = 2,240,000 GB-s (below the PC capacity, all on PC)
    //   x $0.0000097222 (lambda.provisioned_duration.x86_64) = $21.777728 (AWS: $21.78)
    assert_eq!(
        qty(&e, "Duration on provisioned concurrency"),
        dec("2240000")
    );
    assert_eq!(
        cost(&e, "Duration on provisioned concurrency"),
        dec("21.777728")
    );
    // nothing left for on-demand duration
    assert_eq!(qty(&e, "Duration"), Decimal::ZERO);
    assert_eq!(cost(&e, "Duration"), Decimal::ZERO);
    // requests 2 x $0.20 = $0.40
    assert_eq!(cost(&e, "Requests"), dec("0.40"));
    // 10.08008064 + 21.777728 + 0.40 = 32.25780864 (AWS: $32.26)
    assert_eq!(total(&e), dec("32.25780864"));
}

#[test]
fn lambda_provisioned_concurrency_overflow_goes_to_on_demand_duration() {
    let e = us(r#"kind = "lambda"
memory_mb = 1024
monthly_requests = 10_000_000
avg_duration_ms = 500
provisioned_concurrency = 1"#);
    // capacity: 1 x 1 GB x 730 h x 3,600 s = 2,628,000 GB-s x $0.0000041667 = $10.9500876
    assert_eq!(qty(&e, "Provisioned concurrency"), dec("2628000"));
    assert_eq!(cost(&e, "Provisioned concurrency"), dec("10.9500876"));
    // used: 10M x 0.5 s x 1 GB = 5,000,000 GB-s; 2,628,000 on PC x $0.0000097222 = $25.5499416
    assert_eq!(
        cost(&e, "Duration on provisioned concurrency"),
        dec("25.5499416")
    );
    // rest: 5,000,000 - 2,628,000 = 2,372,000 GB-s x $0.0000166667 = $39.5334124
    assert_eq!(qty(&e, "Duration"), dec("2372000"));
    assert_eq!(cost(&e, "Duration"), dec("39.5334124"));
}

#[test]
fn lambda_without_usage_shows_depends_on_usage_lines() {
    let e = us(r#"kind = "lambda"
memory_mb = 512"#);
    for c in ["Requests", "Duration"] {
        let l = line(&e, c);
        assert_eq!(l.usage_source, UsageSource::None);
        assert_eq!(l.monthly_cost, Decimal::ZERO);
        assert!(
            l.notes.iter().any(|n| n.starts_with("depends on usage")),
            "{:?}",
            l.notes
        );
    }
    // the unit price is still shown: $0.20 per 1M requests
    assert_eq!(line(&e, "Requests").unit_price, dec("0.20"));
}

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

// ---------------------------------------------------------------------------------------------
// Fargate
// ---------------------------------------------------------------------------------------------

#[test]
fn fargate_two_tasks_all_month() {
    let e = us(r#"kind = "fargate"
cpu = 2
memory_gb = 4
tasks = 2"#);
    // 2 tasks x 730 h x 2 vCPU = 2,920 vCPU-h x $0.04048 (fargate.vcpu.x86_64) = $118.2016
    assert_eq!(qty(&e, "vCPU"), dec("2920"));
    assert_eq!(cost(&e, "vCPU"), dec("118.2016"));
    // 2 x 730 h x 4 GB = 5,840 GB-h x $0.004445 (fargate.memory.x86_64) = $25.9588
    assert_eq!(qty(&e, "Memory"), dec("5840"));
    assert_eq!(cost(&e, "Memory"), dec("25.9588"));
    assert_eq!(total(&e), dec("144.1604"));
}

#[test]
fn fargate_aws_examples_1_and_3() {
    // AWS Fargate pricing, Example 3: 10 EKS pods x 1 h/day x 30 days = 300 pod-hours,
    // 0.25 vCPU, 1 GB.
    let e = us(r#"kind = "fargate"
cpu = 0.25
memory_gb = 1
task_hours = 300"#);
    // 300 h x 0.25 vCPU = 75 vCPU-h x $0.04048 = $3.036 (AWS: 10 x 0.25 x 0.000011244 x 3600
    // x 30 = $3.04)
    assert_eq!(cost(&e, "vCPU"), dec("3.036"));
    // 300 h x 1 GB = 300 GB-h x $0.004445 = $1.3335 (AWS: $1.33)
    assert_eq!(cost(&e, "Memory"), dec("1.3335"));
    // AWS total $4.37
    assert_eq!(total(&e).round_dp(2), dec("4.37"));

    // AWS Fargate pricing, Example 1: 5 tasks x 600 s/day x 30 days = 25 task-hours, 1 vCPU,
    // 2 GB (its 10 GB extra ephemeral storage is not modelled).
    let e = us(r#"kind = "fargate"
cpu = 1
memory_gb = 2
task_hours = 25"#);
    // 25 vCPU-h x $0.04048 = $1.012 (AWS: $1.01); 50 GB-h x $0.004445 = $0.22225 (AWS: $0.22)
    assert_eq!(cost(&e, "vCPU"), dec("1.012"));
    assert_eq!(cost(&e, "Memory"), dec("0.22225"));
}

#[test]
fn fargate_aws_example_2_arm64() {
    // AWS Fargate pricing, Example 2 (Graviton): 25 task-hours, 1 vCPU, 2 GB, Linux/ARM.
    let e = us(r#"kind = "fargate"
cpu = 1
memory_gb = 2
architecture = "arm64"
task_hours = 25"#);
    // 25 vCPU-h x $0.03238 (fargate.vcpu.arm64) = $0.8095 (AWS: $0.81)
    assert_eq!(cost(&e, "vCPU"), dec("0.8095"));
    // 50 GB-h x $0.00356 (fargate.memory.arm64) = $0.178 (AWS: $0.18)
    assert_eq!(cost(&e, "Memory"), dec("0.178"));
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

#[test]
fn fargate_tokyo_prices() {
    let e = tokyo(
        r#"kind = "fargate"
cpu = 1
memory_gb = 2"#,
    );
    // ap-northeast-1: 730 vCPU-h x $0.05056 = $36.9088
    assert_eq!(cost(&e, "vCPU"), dec("36.9088"));
    // 1,460 GB-h x $0.00553 = $8.0738
    assert_eq!(cost(&e, "Memory"), dec("8.0738"));
}

#[test]
fn fargate_invalid_cpu_memory_pair_is_an_error() {
    let msg = err(&scenario(
        "us-east-1",
        "",
        r#"kind = "fargate"
cpu = 1
memory_gb = 16"#,
    ));
    assert!(msg.contains("invalid Fargate CPU/memory pair"), "{msg}");
    // 1 vCPU allows 2-8 GB
    assert!(msg.contains("2, 3, 4, 5, 6, 7, 8"), "{msg}");
}

// ---------------------------------------------------------------------------------------------
// RDS
// ---------------------------------------------------------------------------------------------

#[test]
fn rds_single_az_instance_and_storage() {
    let e = us(r#"kind = "rds"
engine = "postgres"
instance_class = "db.t3.micro"
storage_gb = 20"#);
    // 730 h x $0.018 (rds.postgres.db.t3.micro) = $13.14
    assert_eq!(cost(&e, "Instance (db.t3.micro)"), dec("13.14"));
    // 20 GB x $0.115 (rds.storage.gp3) = $2.30
    assert_eq!(cost(&e, "Storage (gp3)"), dec("2.30"));
    // no backup_gb: a "depends on usage" line at $0
    let b = line(&e, "Backup storage beyond free");
    assert_eq!(b.usage_source, UsageSource::None);
    assert!(b.notes[0].starts_with("depends on usage"), "{:?}", b.notes);
    assert_eq!(total(&e), dec("15.44"));
}

#[test]
fn rds_multi_az_doubles_hours_and_storage_and_backup_beyond_free() {
    let e = us(r#"kind = "rds"
engine = "postgres"
instance_class = "db.m6g.large"
multi_az = true
storage_gb = 100
backup_gb = 250"#);
    // primary + standby: 2 x 730 h = 1,460 h x $0.154 (rds.postgres.db.m6g.large) = $224.84
    let i = line(&e, "Instance (db.m6g.large)");
    assert_eq!(i.quantity, dec("1460"));
    assert_eq!(i.monthly_cost, dec("224.84"));
    assert!(has_note(i, "Multi-AZ"));
    // 2 x 100 GB = 200 GB-month x $0.115 = $23.00
    assert_eq!(qty(&e, "Storage (gp3)"), dec("200"));
    assert_eq!(cost(&e, "Storage (gp3)"), dec("23.00"));
    // backup 250 GB - 100 GB free (100 % of storage) = 150 GB x $0.095 (rds.backup) = $14.25
    assert_eq!(qty(&e, "Backup storage beyond free"), dec("150"));
    assert_eq!(cost(&e, "Backup storage beyond free"), dec("14.25"));
}

#[test]
fn rds_backup_within_free_costs_nothing() {
    let e = us(r#"kind = "rds"
engine = "mysql"
instance_class = "db.t3.micro"
storage_gb = 50
backup_gb = 40"#);
    // 40 GB backup <= 50 GB storage: max(40 - 50, 0) = 0 GB
    assert_eq!(qty(&e, "Backup storage beyond free"), Decimal::ZERO);
    assert_eq!(cost(&e, "Backup storage beyond free"), Decimal::ZERO);
    // 730 h x $0.017 (rds.mysql.db.t3.micro) = $12.41
    assert_eq!(cost(&e, "Instance (db.t3.micro)"), dec("12.41"));
}

#[test]
fn rds_read_replicas_and_extra_iops() {
    let e = us(r#"kind = "rds"
engine = "mysql"
instance_class = "db.t3.small"
storage_gb = 50
read_replicas = 2
extra_iops = 1000"#);
    // primary 730 h x $0.034 (rds.mysql.db.t3.small) = $24.82
    assert_eq!(cost(&e, "Instance (db.t3.small)"), dec("24.82"));
    // 2 replicas x 730 h = 1,460 h x $0.034 = $49.64
    assert_eq!(cost(&e, "Read replicas (db.t3.small)"), dec("49.64"));
    // storage on 3 instances: 150 GB x $0.115 = $17.25
    assert_eq!(cost(&e, "Storage (gp3)"), dec("17.25"));
    // 1,000 IOPS x 3 = 3,000 IOPS-month x $0.02 (rds.storage.gp3_iops) = $60
    assert_eq!(cost(&e, "Provisioned IOPS above 3,000"), dec("60"));
}

#[test]
fn rds_schedule_applies_to_hours_not_storage() {
    let e = us(r#"kind = "rds"
engine = "postgres"
instance_class = "db.t3.micro"
storage_gb = 20
schedule = "200h""#);
    // 200 h x $0.018 = $3.60
    assert_eq!(cost(&e, "Instance (db.t3.micro)"), dec("3.60"));
    // storage all month: 20 GB x $0.115 = $2.30
    assert_eq!(cost(&e, "Storage (gp3)"), dec("2.30"));
}

#[test]
fn rds_unknown_instance_class_suggests_the_closest() {
    let msg = err(&scenario(
        "us-east-1",
        "",
        r#"kind = "rds"
engine = "postgres"
instance_class = "db.t3.mirco"
storage_gb = 20"#,
    ));
    assert!(msg.contains("did you mean `db.t3.micro`"), "{msg}");
}

#[test]
fn rds_missing_tokyo_price_is_an_error() {
    let msg = err(&scenario(
        "ap-northeast-1",
        "",
        r#"kind = "rds"
engine = "postgres"
instance_class = "db.r6g.large"
storage_gb = 100"#,
    ));
    assert!(msg.contains("no price for"), "{msg}");
    assert!(msg.contains("rds.postgres.db.r6g.large"), "{msg}");
    assert!(msg.contains("ap-northeast-1"), "{msg}");
}

#[test]
fn rds_tokyo_price() {
    let e = tokyo(
        r#"kind = "rds"
engine = "postgres"
instance_class = "db.t4g.micro"
storage_gb = 20"#,
    );
    // ap-northeast-1: 730 h x $0.025 (rds.postgres.db.t4g.micro) = $18.25
    assert_eq!(cost(&e, "Instance (db.t4g.micro)"), dec("18.25"));
    // 20 GB x $0.138 (rds.storage.gp3) = $2.76
    assert_eq!(cost(&e, "Storage (gp3)"), dec("2.76"));
}

// ---------------------------------------------------------------------------------------------
// Aurora
// ---------------------------------------------------------------------------------------------

#[test]
fn aurora_provisioned_standard_with_io_and_backup() {
    let e = us(r#"kind = "aurora"
engine = "postgres"
instance_class = "db.r6g.large"
instances = 2
storage_gb = 100
monthly_io_requests = 50_000_000
backup_gb = 150"#);
    // writer + reader: 2 x 730 h = 1,460 h x $0.260 (aurora.postgres.db.r6g.large) = $379.60
    assert_eq!(cost(&e, "Instance (db.r6g.large)"), dec("379.60"));
    // 100 GB-month x $0.10 (aurora.storage.standard) = $10
    assert_eq!(cost(&e, "Storage"), dec("10"));
    // 50M I/O / 1M = 50 x $0.20 (aurora.io) = $10
    assert_eq!(cost(&e, "I/O requests"), dec("10"));
    // backup 150 - 100 GB (cluster size free) = 50 GB x $0.021 (aurora.backup) = $1.05
    assert_eq!(cost(&e, "Backup storage beyond free"), dec("1.05"));
    assert_eq!(total(&e), dec("400.65"));
}

#[test]
fn aurora_serverless_v2_acu_hours() {
    let e = us(r#"kind = "aurora"
engine = "mysql"
min_acu = 0.5
max_acu = 16
avg_acu = 4
instances = 2
storage_gb = 10"#);
    // 4 ACU x 2 instances x 730 h = 5,840 ACU-h x $0.12 (aurora.serverless_v2.standard)
    //   = $700.80
    assert_eq!(qty(&e, "Serverless v2 capacity"), dec("5840"));
    assert_eq!(cost(&e, "Serverless v2 capacity"), dec("700.80"));
    // 10 GB x $0.10 = $1.00
    assert_eq!(cost(&e, "Storage"), dec("1.00"));
}

#[test]
fn aurora_serverless_v2_without_avg_assumes_min() {
    let e = us(r#"kind = "aurora"
engine = "postgres"
min_acu = 1
max_acu = 4"#);
    // 1 ACU (min) x 730 h = 730 ACU-h x $0.12 = $87.60
    let l = line(&e, "Serverless v2 capacity");
    assert_eq!(l.monthly_cost, dec("87.60"));
    assert!(has_note(l, "assumes the cluster stays at min_acu"));
}

#[test]
fn aurora_io_optimized_has_no_io_line() {
    let e = us(r#"kind = "aurora"
engine = "postgres"
max_acu = 8
avg_acu = 2
storage_config = "io_optimized"
storage_gb = 100
monthly_io_requests = 50_000_000"#);
    // 2 ACU x 730 h = 1,460 ACU-h x $0.156 (aurora.serverless_v2.io_optimized) = $227.76
    assert_eq!(cost(&e, "Serverless v2 capacity"), dec("227.76"));
    // 100 GB x $0.225 (aurora.storage.io_optimized) = $22.50
    assert_eq!(cost(&e, "Storage"), dec("22.50"));
    assert!(!has_line(&e, "I/O requests"));
}

#[test]
fn aurora_tokyo_io_optimized_instance_and_unpriced_usage() {
    let e = tokyo(
        r#"kind = "aurora"
engine = "postgres"
instance_class = "db.t4g.medium"
storage_config = "io_optimized""#,
    );
    // ap-northeast-1: 730 h x $0.147 (aurora.postgres.io_optimized.db.t4g.medium) = $107.31
    assert_eq!(cost(&e, "Instance (db.t4g.medium)"), dec("107.31"));
    // no storage given: a $0 line that quotes the Tokyo I/O-Optimized storage rate
    let s = line(&e, "Storage");
    assert_eq!(s.usage_source, UsageSource::None);
    assert_eq!(s.monthly_cost, Decimal::ZERO);
    assert_eq!(s.notes[0], "depends on usage: $0.27 per GB-month");
    // backup storage: no Tokyo price, so the $0 line names the missing key
    let b = line(&e, "Backup storage beyond free");
    assert_eq!(b.usage_source, UsageSource::None);
    assert_eq!(b.monthly_cost, Decimal::ZERO);
    assert!(
        b.notes[0].starts_with("depends on usage; no price for `aurora.backup`"),
        "{:?}",
        b.notes
    );
}

// ---------------------------------------------------------------------------------------------
// RDS Proxy
// ---------------------------------------------------------------------------------------------

#[test]
fn rds_proxy_per_target_vcpu() {
    let e = us(r#"kind = "rds_proxy"
target_instance_class = "db.t3.micro""#);
    // db.t3.micro has 2 vCPU: 2 x 730 h = 1,460 vCPU-h x $0.015 (rds_proxy.vcpu) = $21.90
    assert_eq!(qty(&e, "Proxy (per target vCPU)"), dec("1460"));
    assert_eq!(cost(&e, "Proxy (per target vCPU)"), dec("21.90"));

    let e = us(r#"kind = "rds_proxy"
target_instance_class = "db.r6g.large"
target_instances = 2"#);
    // db.r6g.large 2 vCPU x 2 instances = 4 vCPU x 730 h = 2,920 vCPU-h x $0.015 = $43.80
    assert_eq!(qty(&e, "Proxy (per target vCPU)"), dec("2920"));
    assert_eq!(cost(&e, "Proxy (per target vCPU)"), dec("43.80"));
}

#[test]
fn rds_proxy_two_vcpu_minimum() {
    let e = us(r#"kind = "rds_proxy"
target_instance_class = "db.t2.micro""#);
    // db.t2.micro has 1 vCPU (pricing/instances.toml); billed at the 2-vCPU minimum:
    // 2 x 730 h = 1,460 vCPU-h x $0.015 = $21.90
    let l = line(&e, "Proxy (per target vCPU)");
    assert_eq!(l.quantity, dec("1460"));
    assert_eq!(l.monthly_cost, dec("21.90"));
    assert!(has_note(l, "2 target vCPU billed (minimum 2)"));
}

#[test]
fn rds_proxy_serverless_target_with_override_and_8_acu_minimum() {
    // us-east-1 has no per-ACU proxy price, so the scenario overrides it.
    let top = r#"[overrides."rds_proxy.acu"]
price = "0.015"
unit = "ACU-hour"
reason = "test rate""#;
    let e = us_with(
        top,
        r#"kind = "rds_proxy"
target_avg_acu = 4"#,
    );
    // 4 ACU is below the 8-ACU minimum: 8 x 730 h = 5,840 ACU-h x $0.015 = $87.60
    let l = line(&e, "Proxy (per target ACU)");
    assert_eq!(l.quantity, dec("5840"));
    assert_eq!(l.monthly_cost, dec("87.60"));
    assert!(has_note(l, "price override: test rate"));

    let e = us_with(
        top,
        r#"kind = "rds_proxy"
target_avg_acu = 12"#,
    );
    // 12 ACU x 730 h = 8,760 ACU-h x $0.015 = $131.40
    assert_eq!(cost(&e, "Proxy (per target ACU)"), dec("131.40"));
}

// ---------------------------------------------------------------------------------------------
// ElastiCache
// ---------------------------------------------------------------------------------------------

#[test]
fn elasticache_shards_times_one_plus_replicas() {
    let e = us(r#"kind = "elasticache"
node_type = "cache.r6g.large"
shards = 2
replicas_per_shard = 1"#);
    // 2 shards x (1 + 1) = 4 nodes x 730 h = 2,920 h x $0.206 (elasticache.redis.cache.r6g.large)
    //   = $601.52
    let l = line(&e, "Nodes (cache.r6g.large)");
    assert_eq!(l.quantity, dec("2920"));
    assert_eq!(l.monthly_cost, dec("601.52"));
    assert!(has_note(l, "2 shard(s) x (1 primary + 1 replica(s))"));
}

#[test]
fn elasticache_valkey_and_schedule() {
    let e = us(r#"kind = "elasticache"
engine = "valkey"
node_type = "cache.t4g.micro""#);
    // 1 node x 730 h x $0.0128 (elasticache.valkey.cache.t4g.micro) = $9.344
    assert_eq!(cost(&e, "Nodes (cache.t4g.micro)"), dec("9.344"));

    let e = us(r#"kind = "elasticache"
node_type = "cache.r6g.large"
schedule = "daily 08-20""#);
    // 7 x 12 h = 84 h/week; 730 x 84 / 168 = 365 h x $0.206 = $75.19
    assert_eq!(qty(&e, "Nodes (cache.r6g.large)"), dec("365"));
    assert_eq!(cost(&e, "Nodes (cache.r6g.large)"), dec("75.19"));
}

// ---------------------------------------------------------------------------------------------
// ALB
// ---------------------------------------------------------------------------------------------

#[test]
fn alb_aws_example_highest_dimension_is_processed_bytes() {
    // AWS ELB pricing page, ALB example: 1 new connection/s lasting 2 minutes (120 active
    // connections/min), 300 KB/s processed (1.08 GB/h), 5 requests/s x (60 - 10 free) rules
    // = 250 rule evaluations/s.
    let e = us(r#"kind = "alb"
new_connections_per_sec = 1
active_connections_per_min = 120
processed_gb_per_hour = 1.08
rule_evaluations_per_sec = 250"#);
    // LCUs: 1/25 = 0.04, 120/3,000 = 0.04, 1.08/1 = 1.08, 250/1,000 = 0.25 -> 1.08
    // 1.08 LCU x 730 h = 788.4 LCU-h x $0.008 (alb.lcu) = $6.3072
    let l = line(&e, "LCU-hours");
    assert_eq!(l.quantity, dec("788.4"));
    assert_eq!(l.monthly_cost, dec("6.3072"));
    assert!(
        has_note(l, "1.08 LCU set by processed bytes"),
        "{:?}",
        l.notes
    );
    // 730 h x $0.0225 (alb.hour) = $16.425
    assert_eq!(cost(&e, "Load balancer hours"), dec("16.425"));
    // 16.425 + 6.3072 = 22.7322 (AWS: $16.43 + $6.31 = $22.74 after rounding each)
    assert_eq!(total(&e), dec("22.7322"));
}

#[test]
fn alb_new_connections_dimension_wins() {
    let e = us(r#"kind = "alb"
new_connections_per_sec = 100
processed_gb_per_hour = 2.22"#);
    // 100/25 = 4 LCU beats 2.22/1 = 2.22 LCU; 4 x 730 h = 2,920 LCU-h x $0.008 = $23.36
    let l = line(&e, "LCU-hours");
    assert_eq!(l.quantity, dec("2920"));
    assert_eq!(l.monthly_cost, dec("23.36"));
    assert!(has_note(l, "4 LCU set by new connections"), "{:?}", l.notes);
}

#[test]
fn alb_lambda_targets_and_direct_lcu_with_count() {
    let e = us(r#"kind = "alb"
target_type = "lambda"
processed_gb_per_hour = 1"#);
    // Lambda targets: 0.4 GB/h per LCU -> 1 / 0.4 = 2.5 LCU x 730 h = 1,825 LCU-h x $0.008
    //   = $14.60
    assert_eq!(qty(&e, "LCU-hours"), dec("1825"));
    assert_eq!(cost(&e, "LCU-hours"), dec("14.60"));

    let e = us(r#"kind = "alb"
count = 2
lcu = 3"#);
    // 2 ALBs x 730 h = 1,460 h x $0.0225 = $32.85
    assert_eq!(cost(&e, "Load balancer hours"), dec("32.85"));
    // 3 LCU x 2 x 730 h = 4,380 LCU-h x $0.008 = $35.04
    assert_eq!(cost(&e, "LCU-hours"), dec("35.04"));

    let e = us(r#"kind = "alb""#);
    // no traffic given: hours only, LCU depends on usage
    assert_eq!(line(&e, "LCU-hours").usage_source, UsageSource::None);
    assert_eq!(total(&e), dec("16.425"));
}

// ---------------------------------------------------------------------------------------------
// NAT gateway / NAT instance / VPC endpoints
// ---------------------------------------------------------------------------------------------

#[test]
fn nat_gateway_hours_and_data() {
    let e = us(r#"kind = "nat_gateway"
count = 2
data_processed_gb = 1000"#);
    // 2 x 730 h = 1,460 h x $0.045 (nat_gateway.hour) = $65.70
    assert_eq!(cost(&e, "Gateway hours"), dec("65.70"));
    // 1,000 GB x $0.045 (nat_gateway.data) = $45.00
    assert_eq!(cost(&e, "Data processed"), dec("45.00"));
    assert_eq!(total(&e), dec("110.70"));
}

#[test]
fn nat_instance_default_t4g_nano() {
    let e = us(r#"kind = "nat_instance"
count = 2
data_processed_gb = 1000"#);
    // 2 x 730 h = 1,460 h x $0.0042 (ec2.instance.t4g.nano) = $6.132
    let l = line(&e, "Instance (t4g.nano)");
    assert_eq!(l.monthly_cost, dec("6.132"));
    // 2 x 8 GB = 16 GB x $0.08 = $1.28
    assert_eq!(cost(&e, "Root volume gp3 storage"), dec("1.28"));
    // no processing charge for the 1,000 GB
    assert_eq!(total(&e), dec("7.412"));
    assert!(lines(&e)
        .iter()
        .any(|l| has_note(l, "no processing charge")));
}

#[test]
fn vpc_interface_endpoints_per_az_hour_and_data() {
    let e = us(r#"kind = "vpc_endpoint"
interface_endpoints = 3
data_processed_gb = 500"#);
    // 3 endpoints x 2 AZs (default) x 730 h = 4,380 h x $0.01 (vpc_endpoint.interface.hour)
    //   = $43.80
    assert_eq!(qty(&e, "Interface endpoint AZ-hours"), dec("4380"));
    assert_eq!(cost(&e, "Interface endpoint AZ-hours"), dec("43.80"));
    // 500 GB x $0.01 (vpc_endpoint.interface.data) = $5.00
    assert_eq!(cost(&e, "Interface data processed"), dec("5.00"));

    let e = us(r#"kind = "vpc_endpoint"
interface_endpoints = 1
azs = 3"#);
    // 1 x 3 AZs x 730 h = 2,190 h x $0.01 = $21.90
    assert_eq!(cost(&e, "Interface endpoint AZ-hours"), dec("21.90"));
}

// ---------------------------------------------------------------------------------------------
// S3
// ---------------------------------------------------------------------------------------------

#[test]
fn s3_storage_classes_and_requests() {
    let e = us(r#"kind = "s3"
standard_gb = 1000
glacier_flexible_gb = 500
deep_archive_gb = 1000
put_requests = 100_000
get_requests = 1_000_000"#);
    // 1,000 GB x $0.023 (s3.standard.storage) = $23
    assert_eq!(cost(&e, "Standard storage"), dec("23"));
    // 500 GB x $0.0036 (s3.glacier_flexible.storage) = $1.80
    assert_eq!(cost(&e, "Glacier Flexible Retrieval storage"), dec("1.80"));
    // 1,000 GB x $0.00099 (s3.deep_archive.storage) = $0.99
    assert_eq!(cost(&e, "Glacier Deep Archive storage"), dec("0.99"));
    // 100,000 / 1,000 = 100 x $0.005 (s3.requests.put) = $0.50
    assert_eq!(qty(&e, "PUT/COPY/POST/LIST requests"), dec("100"));
    assert_eq!(cost(&e, "PUT/COPY/POST/LIST requests"), dec("0.50"));
    // 1,000,000 / 1,000 = 1,000 x $0.0004 (s3.requests.get) = $0.40
    assert_eq!(cost(&e, "GET requests"), dec("0.40"));
    // classes not given are not shown
    assert!(!has_line(&e, "Standard-IA storage"));
    assert_eq!(total(&e), dec("26.69"));
}

#[test]
fn s3_new_account_free_tier() {
    let e = us_with(
        r#"free_tier = "new-account""#,
        r#"kind = "s3"
standard_gb = 1000
put_requests = 100_000
get_requests = 1_000_000"#,
    );
    // 5 GB free: -5 x $0.023 = -$0.115
    assert_eq!(cost(&e, "Free tier: Standard storage"), dec("-0.115"));
    // 2,000 PUT free = 2 (1K) x $0.005 = -$0.01
    assert_eq!(
        cost(&e, "Free tier: PUT/COPY/POST/LIST requests"),
        dec("-0.01")
    );
    // 20,000 GET free = 20 (1K) x $0.0004 = -$0.008
    assert_eq!(cost(&e, "Free tier: GET requests"), dec("-0.008"));
    // 23 + 0.50 + 0.40 - 0.115 - 0.01 - 0.008 = 23.767
    assert_eq!(total(&e), dec("23.767"));
}

// ---------------------------------------------------------------------------------------------
// CloudFront
// ---------------------------------------------------------------------------------------------

#[test]
fn cloudfront_data_out_crosses_first_tier() {
    let e = us(r#"kind = "cloudfront"
data_out_gb = 12000
https_requests = 50_000_000
http_requests = 1_000_000"#);
    // first 10 TB = 10,240 GB x $0.085 = $870.40
    assert_eq!(qty(&e, "Data transfer out (tier 1)"), dec("10240"));
    assert_eq!(cost(&e, "Data transfer out (tier 1)"), dec("870.40"));
    // remaining 12,000 - 10,240 = 1,760 GB x $0.080 = $140.80
    assert_eq!(qty(&e, "Data transfer out (tier 2)"), dec("1760"));
    assert_eq!(cost(&e, "Data transfer out (tier 2)"), dec("140.80"));
    // 50M / 10K = 5,000 x $0.0100 (cloudfront.requests.https) = $50
    assert_eq!(cost(&e, "HTTPS requests"), dec("50"));
    // 1M / 10K = 100 x $0.0075 (cloudfront.requests.http) = $0.75
    assert_eq!(cost(&e, "HTTP requests"), dec("0.75"));
}

#[test]
fn cloudfront_always_free_tier() {
    let e = us_with(
        r#"free_tier = "always""#,
        r#"kind = "cloudfront"
data_out_gb = 2000
https_requests = 50_000_000"#,
    );
    // 2,000 GB x $0.085 = $170; free 1 TB = 1,024 GB x $0.085 = -$87.04
    assert_eq!(cost(&e, "Data transfer out"), dec("170"));
    assert_eq!(cost(&e, "Free tier: Data transfer out"), dec("-87.04"));
    // free 10M requests = 1,000 (10K) x $0.01 = -$10
    assert_eq!(cost(&e, "Free tier: HTTPS requests"), dec("-10"));
    // 170 + 50 - 87.04 - 10 = 122.96
    assert_eq!(total(&e), dec("122.96"));
}

// ---------------------------------------------------------------------------------------------
// API Gateway
// ---------------------------------------------------------------------------------------------

#[test]
fn api_gateway_rest_tiers_and_http() {
    let e = us(r#"kind = "api_gateway"
api_type = "rest"
monthly_requests = 400_000_000"#);
    // 400M = 400 (1M): first 333 x $3.50 = $1,165.50
    assert_eq!(qty(&e, "REST API requests (tier 1)"), dec("333"));
    assert_eq!(cost(&e, "REST API requests (tier 1)"), dec("1165.50"));
    // next 67 x $2.80 = $187.60
    assert_eq!(qty(&e, "REST API requests (tier 2)"), dec("67"));
    assert_eq!(cost(&e, "REST API requests (tier 2)"), dec("187.60"));
    assert_eq!(total(&e), dec("1353.10"));

    let e = us(r#"kind = "api_gateway"
api_type = "http"
monthly_requests = 10_000_000"#);
    // 10 (1M) x $1.00 = $10
    assert_eq!(cost(&e, "HTTP API requests"), dec("10"));
}

// ---------------------------------------------------------------------------------------------
// WAF, Cognito, Route 53
// ---------------------------------------------------------------------------------------------

#[test]
fn waf_acls_rules_and_requests() {
    let e = us(r#"kind = "waf"
web_acls = 2
rules = 10
monthly_requests = 20_000_000"#);
    // 2 x $5.00 (waf.web_acl) = $10
    assert_eq!(cost(&e, "Web ACLs"), dec("10"));
    // 10 x $1.00 (waf.rule) = $10
    assert_eq!(cost(&e, "Rules"), dec("10"));
    // 20M / 1M = 20 x $0.60 (waf.requests) = $12
    assert_eq!(cost(&e, "Requests inspected"), dec("12"));
    assert_eq!(total(&e), dec("32"));
}

#[test]
fn cognito_mau_with_and_without_free_tier() {
    let body = r#"kind = "cognito"
mau = 50000"#;
    // 50,000 MAU x $0.015 (cognito.mau) = $750
    assert_eq!(cost(&us(body), "Monthly active users"), dec("750"));
    let e = us_with(r#"free_tier = "always""#, body);
    // always free 10,000 MAU: -10,000 x $0.015 = -$150; 750 - 150 = 600
    assert_eq!(cost(&e, "Free tier: Monthly active users"), dec("-150"));
    assert_eq!(total(&e), dec("600"));
}

#[test]
fn route53_zone_and_query_tiers() {
    let e = us(r#"kind = "route53"
hosted_zones = 30
monthly_queries = 1_500_000_000"#);
    // zones: 25 x $0.50 = $12.50, 5 x $0.10 = $0.50
    assert_eq!(cost(&e, "Hosted zones (tier 1)"), dec("12.50"));
    assert_eq!(cost(&e, "Hosted zones (tier 2)"), dec("0.50"));
    // queries 1.5B = 1,500 (1M): 1,000 x $0.40 = $400, 500 x $0.20 = $100
    assert_eq!(cost(&e, "Standard queries (tier 1)"), dec("400"));
    assert_eq!(cost(&e, "Standard queries (tier 2)"), dec("100"));

    let e = us(r#"kind = "route53""#);
    // default one zone: $0.50, no query line
    assert_eq!(cost(&e, "Hosted zones"), dec("0.50"));
    assert_eq!(lines(&e).len(), 1);
}

// ---------------------------------------------------------------------------------------------
// CloudWatch, CloudTrail, X-Ray
// ---------------------------------------------------------------------------------------------

#[test]
fn cloudwatch_logs_metrics_alarms_dashboards() {
    let body = r#"kind = "cloudwatch"
log_ingest_gb = 100
log_storage_gb = 500
custom_metrics = 50
alarms = 20
dashboards = 5"#;
    let e = us(body);
    // 100 GB x $0.50 = $50; 500 GB-month x $0.03 = $15; 50 x $0.30 = $15; 20 x $0.10 = $2;
    // 5 x $3.00 = $15
    assert_eq!(cost(&e, "Log ingestion"), dec("50"));
    assert_eq!(cost(&e, "Log storage"), dec("15"));
    assert_eq!(cost(&e, "Custom metrics"), dec("15"));
    assert_eq!(cost(&e, "Alarms"), dec("2"));
    assert_eq!(cost(&e, "Dashboards"), dec("15"));
    assert_eq!(total(&e), dec("97"));

    let e = us_with(r#"free_tier = "always""#, body);
    // free: 5 GB x $0.50 = -2.50; 10 metrics x $0.30 = -3; 10 alarms x $0.10 = -1;
    // 3 dashboards x $3 = -9
    assert_eq!(cost(&e, "Free tier: Log ingestion"), dec("-2.50"));
    assert_eq!(cost(&e, "Free tier: Custom metrics"), dec("-3"));
    assert_eq!(cost(&e, "Free tier: Alarms"), dec("-1"));
    assert_eq!(cost(&e, "Free tier: Dashboards"), dec("-9"));
    // 97 - 2.5 - 3 - 1 - 9 = 81.5
    assert_eq!(total(&e), dec("81.5"));
}

#[test]
fn cloudtrail_additional_copies_and_data_events() {
    let e = us(r#"kind = "cloudtrail"
additional_management_events = 1_000_000
data_events = 5_000_000"#);
    // 1M / 100K = 10 x $2.00 (cloudtrail.management_copy) = $20
    assert_eq!(cost(&e, "Additional management event copies"), dec("20"));
    // 5M / 100K = 50 x $0.10 (cloudtrail.data_events) = $5
    assert_eq!(qty(&e, "Data events"), dec("50"));
    assert_eq!(cost(&e, "Data events"), dec("5"));
}

#[test]
fn xray_traces_with_free_tier() {
    let e = us_with(
        r#"free_tier = "always""#,
        r#"kind = "xray"
traces_recorded = 2_000_000
traces_retrieved = 3_000_000"#,
    );
    // 2M recorded = 2 x $5.00 = $10; free 100,000 = 0.1 x $5 = -$0.50
    assert_eq!(cost(&e, "Traces recorded"), dec("10"));
    assert_eq!(cost(&e, "Free tier: Traces recorded"), dec("-0.50"));
    // 3M retrieved = 3 x $0.50 = $1.50; free 1M = -$0.50
    assert_eq!(cost(&e, "Traces retrieved or scanned"), dec("1.50"));
    assert_eq!(
        cost(&e, "Free tier: Traces retrieved or scanned"),
        dec("-0.50")
    );
    assert_eq!(total(&e), dec("10.50"));
}

// ---------------------------------------------------------------------------------------------
// Secrets Manager, KMS, Parameter Store
// ---------------------------------------------------------------------------------------------

#[test]
fn secrets_manager_secrets_and_api_calls() {
    let e = us(r#"kind = "secrets_manager"
secrets = 10
api_calls = 1_000_000"#);
    // 10 x $0.40 = $4; 1M / 10K = 100 x $0.05 = $5
    assert_eq!(cost(&e, "Secrets"), dec("4"));
    assert_eq!(cost(&e, "API calls"), dec("5"));
    assert_eq!(line(&e, "Secrets").kind, CostKind::Baseline);
}

#[test]
fn kms_keys_and_requests_with_free_tier() {
    let e = us_with(
        r#"free_tier = "always""#,
        r#"kind = "kms"
keys = 3
requests = 2_000_000"#,
    );
    // 3 x $1.00 = $3
    assert_eq!(cost(&e, "Customer managed keys"), dec("3"));
    // 2M / 10K = 200 x $0.03 = $6; free 20,000 = 2 x $0.03 = -$0.06
    assert_eq!(cost(&e, "Requests"), dec("6"));
    assert_eq!(cost(&e, "Free tier: Requests"), dec("-0.06"));
    assert_eq!(total(&e), dec("8.94"));
}

#[test]
fn ssm_advanced_parameters() {
    let e = us(r#"kind = "ssm_parameter"
advanced_parameters = 20"#);
    // 20 x $0.05 (ssm.advanced_parameter) = $1.00
    assert_eq!(cost(&e, "Advanced parameters"), dec("1.00"));
}

// ---------------------------------------------------------------------------------------------
// MWAA
// ---------------------------------------------------------------------------------------------

#[test]
fn mwaa_environment_and_extra_workers() {
    let e = us(r#"kind = "mwaa"
environment_class = "mw1.small"
avg_extra_workers = 2"#);
    // 730 h x $0.49 (mwaa.environment.mw1.small) = $357.70
    assert_eq!(cost(&e, "Environment (mw1.small)"), dec("357.70"));
    // 2 workers x 730 h = 1,460 h x $0.055 (mwaa.worker.mw1.small) = $80.30
    assert_eq!(qty(&e, "Additional workers"), dec("1460"));
    assert_eq!(cost(&e, "Additional workers"), dec("80.30"));

    let e = us(r#"kind = "mwaa"
environment_class = "mw1.medium"
schedule = "200h""#);
    // 200 h x $0.74 (mwaa.environment.mw1.medium) = $148
    assert_eq!(cost(&e, "Environment (mw1.medium)"), dec("148"));
}

// ---------------------------------------------------------------------------------------------
// SQS, SNS
// ---------------------------------------------------------------------------------------------

#[test]
fn sqs_standard_tiers_and_fifo() {
    let e = us(r#"kind = "sqs"
monthly_requests = 150_000_000_000"#);
    // 150B = 150,000 (1M): first 100,000 x $0.40 = $40,000; next 50,000 x $0.30 = $15,000
    assert_eq!(cost(&e, "Requests (tier 1)"), dec("40000"));
    assert_eq!(cost(&e, "Requests (tier 2)"), dec("15000"));

    let e = us_with(
        r#"free_tier = "always""#,
        r#"kind = "sqs"
queue_type = "fifo"
monthly_requests = 10_000_000"#,
    );
    // 10 x $0.50 (sqs.requests.fifo) = $5; free 1M = -$0.50
    assert_eq!(cost(&e, "Requests"), dec("5"));
    assert_eq!(cost(&e, "Free tier: Requests"), dec("-0.50"));
}

#[test]
fn sns_publishes_with_free_tier() {
    let body = r#"kind = "sns"
monthly_publishes = 5_000_000"#;
    // 5 x $0.50 (sns.requests) = $2.50
    assert_eq!(cost(&us(body), "Publish requests"), dec("2.50"));
    let e = us_with(r#"free_tier = "always""#, body);
    // free 1M: -1 x $0.50 = -$0.50 -> $2.00
    assert_eq!(cost(&e, "Free tier: Publish requests"), dec("-0.50"));
    assert_eq!(total(&e), dec("2.00"));
}

// ---------------------------------------------------------------------------------------------
// Data transfer
// ---------------------------------------------------------------------------------------------

#[test]
fn data_transfer_out_tiers_and_cross_az_both_ways() {
    let e = us_with(
        r#"free_tier = "always""#,
        r#"kind = "data_transfer"
out_to_internet_gb = 12000
cross_az_gb = 500"#,
    );
    // first 10 TB = 10,240 GB x $0.09 = $921.60
    assert_eq!(cost(&e, "Out to internet (tier 1)"), dec("921.60"));
    // 1,760 GB x $0.085 = $149.60
    assert_eq!(qty(&e, "Out to internet (tier 2)"), dec("1760"));
    assert_eq!(cost(&e, "Out to internet (tier 2)"), dec("149.60"));
    // free 100 GB at the first tier's price: -100 x $0.09 = -$9.00
    assert_eq!(
        cost(&e, "Free tier: Out to internet (tier 1)"),
        dec("-9.00")
    );
    // 500 GB crossing AZs is billed out and in: 1,000 GB x $0.01 = $10
    assert_eq!(qty(&e, "Cross-AZ (out + in)"), dec("1000"));
    assert_eq!(cost(&e, "Cross-AZ (out + in)"), dec("10"));
    // 921.60 + 149.60 + 10 - 9 = 1,072.20
    assert_eq!(total(&e), dec("1072.20"));
}

#[test]
fn data_transfer_tokyo() {
    let e = tokyo(
        r#"kind = "data_transfer"
out_to_internet_gb = 500"#,
    );
    // ap-northeast-1: 500 GB x $0.114 = $57
    assert_eq!(cost(&e, "Out to internet"), dec("57"));
}

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
        r#"free_tier = "new-account""#,
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
        r#"free_tier = "new-account""#,
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
        r#"free_tier = "new-account""#,
        r#"[phases.p.resources.ha]
kind = "rds"
engine = "postgres"
instance_class = "db.t3.micro"
multi_az = true
storage_gb = 20
[phases.p.resources.single]
kind = "rds"
engine = "postgres"
instance_class = "db.t4g.micro"
storage_gb = 20"#,
    );
    // ha: 2 x 730 h = 1,460 h x $0.018 = $26.28, no credit (the free tier is Single-AZ only)
    let ha = line_of(&e, "ha", "Instance (db.t3.micro)");
    assert_eq!(ha.monthly_cost, dec("26.28"));
    assert!(has_note(ha, "no free tier"), "{:?}", ha.notes);
    assert!(!has_line(&e, "Free tier: Instance (db.t3.micro)"));
    // single: 730 h x $0.016 = $11.68, fully credited: -730 h x $0.016 = -$11.68
    let f = line(&e, "Free tier: Instance (db.t4g.micro)");
    assert_eq!(f.quantity, dec("-730"));
    assert_eq!(f.monthly_cost, dec("-11.68"));
    // storage: (2 x 20 + 20) GB = 60 GB x $0.115 = $6.90; free 20 GB: -$2.30
    assert_eq!(cost(&e, "Free tier: Storage (gp3)"), dec("-2.30"));
    // 26.28 + 4.60 + 11.68 + 2.30 - 11.68 - 2.30 = 30.88
    assert_eq!(total(&e), dec("30.88"));
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
fn cloudfront_request_allowance_is_shared_by_http_and_https() {
    let e = us_with(
        r#"free_tier = "always""#,
        r#"kind = "cloudfront"
https_requests = 5_000_000
http_requests = 20_000_000"#,
    );
    // HTTPS 500 (10K) x $0.01 = $5; HTTP 2,000 x $0.0075 = $15
    // 10M free requests = 1,000 (10K) once, HTTPS first: -500 x $0.01 = -$5;
    // HTTP the other 500: -500 x $0.0075 = -$3.75
    assert_eq!(cost(&e, "Free tier: HTTPS requests"), dec("-5"));
    assert_eq!(cost(&e, "Free tier: HTTP requests"), dec("-3.75"));
    // 5 + 15 - 5 - 3.75 = 11.25 (data out: depends on usage, $0)
    assert_eq!(total(&e), dec("11.25"));
}

#[test]
fn cloudwatch_custom_metric_tiers() {
    let e = us(r#"kind = "cloudwatch"
custom_metrics = 300000"#);
    // 10,000 x $0.30 = $3,000; 240,000 x $0.10 = $24,000; 50,000 x $0.05 = $2,500
    assert_eq!(cost(&e, "Custom metrics (tier 1)"), dec("3000"));
    assert_eq!(cost(&e, "Custom metrics (tier 2)"), dec("24000"));
    assert_eq!(qty(&e, "Custom metrics (tier 3)"), dec("50000"));
    assert_eq!(cost(&e, "Custom metrics (tier 3)"), dec("2500"));
    // 3,000 + 24,000 + 2,500 = 29,500 (log ingestion: depends on usage)
    assert_eq!(total(&e), dec("29500"));
}

#[test]
fn fargate_task_hours_with_a_schedule_is_an_error() {
    let msg = err(&scenario(
        "us-east-1",
        "",
        r#"kind = "fargate"
cpu = 1
memory_gb = 2
task_hours = 300
schedule = "weekdays 09-19""#,
    ));
    assert!(msg.contains("give either `task_hours`"), "{msg}");
    assert!(msg.contains("test.toml:"), "{msg}");
}

#[test]
fn fargate_ephemeral_storage_aws_examples_1_and_2() {
    // AWS Fargate pricing, Example 1: 5 tasks x 600 s/day x 30 days = 25 task-hours, 1 vCPU,
    // 2 GB, 30 GB ephemeral storage (10 GB above the free 20).
    let e = us(r#"kind = "fargate"
cpu = 1
memory_gb = 2
task_hours = 25
ephemeral_storage_gb = 30"#);
    // 25 h x 10 GB = 250 GB-h x $0.000111 (fargate.ephemeral_storage, the Price List's
    // GB-hour rate) = $0.02775 (AWS page, per second: 5 x 10 x 0.0000000308 x 600 x 30 =
    // 0.02772 -> $0.03; the two agree to the cent)
    let st = line(&e, "Ephemeral storage above 20 GB");
    assert_eq!(st.quantity, dec("250"));
    assert_eq!(st.monthly_cost, dec("0.02775"));
    // 1.012 + 0.22225 + 0.02775 = 1.262 (AWS: $1.01 + $0.22 + $0.03 = $1.26)
    assert_eq!(total(&e), dec("1.262"));
    assert_eq!(total(&e).round_dp(2), dec("1.26"));

    // Example 2: the same on Linux/ARM; storage has one rate for both architectures.
    let e = us(r#"kind = "fargate"
cpu = 1
memory_gb = 2
architecture = "arm64"
task_hours = 25
ephemeral_storage_gb = 30"#);
    // 0.8095 + 0.178 + 0.02775 = 1.01525 (AWS: $0.81 + $0.18 + $0.03 = $1.02)
    assert_eq!(total(&e), dec("1.01525"));
    assert_eq!(total(&e).round_dp(2), dec("1.02"));

    // 20 GB is free: no storage line.
    let e = us(r#"kind = "fargate"
cpu = 1
memory_gb = 2
ephemeral_storage_gb = 20"#);
    assert!(!has_line(&e, "Ephemeral storage above 20 GB"));
}

#[test]
fn fargate_ephemeral_storage_range_tokyo_price_and_no_spot_price() {
    for gb in ["10", "300"] {
        let msg = err(&scenario(
            "us-east-1",
            "",
            &format!("kind = \"fargate\"\ncpu = 1\nmemory_gb = 2\nephemeral_storage_gb = {gb}"),
        ));
        assert!(msg.contains("20-200 GB"), "{msg}");
    }
    // Tokyo: 25 task-hours x 10 GB above the free 20 = 250 GB-h x $0.000133
    // (fargate.ephemeral_storage, APN1-Fargate-EphemeralStorage-GB-Hours) = $0.03325
    let e = tokyo(
        "kind = \"fargate\"\ncpu = 1\nmemory_gb = 2\ntask_hours = 25\nephemeral_storage_gb = 30",
    );
    assert_eq!(cost(&e, "Ephemeral storage above 20 GB"), dec("0.03325"));
    // Spot: no book has a Fargate Spot rate, so a Spot share is a "no price" error.
    for region in ["us-east-1", "ap-northeast-1"] {
        let msg = err(&scenario(
            region,
            "",
            "kind = \"fargate\"\ncpu = 1\nmemory_gb = 2\nspot_percent = 50",
        ));
        assert!(
            msg.contains(&format!(
                "no price for `fargate.spot.vcpu.x86_64` in {region}"
            )),
            "{msg}"
        );
    }
}

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
fn lambda_arm64_provisioned_concurrency_duration_rate() {
    let e = us(r#"kind = "lambda"
memory_mb = 1024
architecture = "arm64"
monthly_requests = 100_000
avg_duration_ms = 100
provisioned_concurrency = 1
provisioned_hours = 24"#);
    // PC: 1 x 1 GB x 24 h x 3,600 s = 86,400 GB-s x $0.0000033334 = $0.28800576
    assert_eq!(cost(&e, "Provisioned concurrency"), dec("0.28800576"));
    // 100,000 x 0.1 s x 1 GB = 10,000 GB-s on PC x $0.0000077778
    //   (lambda.provisioned_duration.arm64) = $0.077778
    assert_eq!(
        cost(&e, "Duration on provisioned concurrency"),
        dec("0.077778")
    );
    // requests 0.1 x $0.20 = $0.02; 0.28800576 + 0.077778 + 0.02 = 0.38578376
    assert_eq!(total(&e), dec("0.38578376"));
}

#[test]
fn rds_proxy_for_serverless_v2_per_acu_hour() {
    let e = us(r#"kind = "rds_proxy"
target_avg_acu = 4"#);
    // below the 8-ACU minimum: 8 x 730 h = 5,840 ACU-h x $0.015 (rds_proxy.acu) = $87.60
    assert_eq!(qty(&e, "Proxy (per target ACU)"), dec("5840"));
    assert_eq!(cost(&e, "Proxy (per target ACU)"), dec("87.60"));
    let e = us(r#"kind = "rds_proxy"
target_avg_acu = 10"#);
    // 10 x 730 = 7,300 ACU-h x $0.015 = $109.50
    assert_eq!(cost(&e, "Proxy (per target ACU)"), dec("109.50"));
}

#[test]
fn aurora_io_optimized_t3_medium_us_east_1() {
    let e = us(r#"kind = "aurora"
engine = "postgres"
instance_class = "db.t3.medium"
storage_config = "io_optimized"
storage_gb = 100"#);
    // 730 h x $0.107 (aurora.postgres.io_optimized.db.t3.medium) = $78.11
    assert_eq!(cost(&e, "Instance (db.t3.medium)"), dec("78.11"));
    // 100 GB x $0.225 = $22.50
    assert_eq!(cost(&e, "Storage"), dec("22.50"));
}

#[test]
fn mwaa_large_reproduces_the_infracost_golden_figures() {
    let e = us(r#"kind = "mwaa"
environment_class = "mw1.large"
avg_extra_workers = 2.5
extra_schedulers = 3"#);
    // 730 h x $0.99 = $722.70
    assert_eq!(cost(&e, "Environment (mw1.large)"), dec("722.70"));
    // 2.5 x 730 = 1,825 worker-h x $0.22 = $401.50
    assert_eq!(cost(&e, "Additional workers"), dec("401.50"));
    // 3 x 730 = 2,190 scheduler-h x $0.22 = $481.80
    assert_eq!(cost(&e, "Additional schedulers"), dec("481.80"));
    // 722.70 + 401.50 + 481.80 = 1,606.00
    assert_eq!(total(&e), dec("1606"));
    // mw1.medium: 730 h x $0.74 = $540.20
    let e = us(r#"kind = "mwaa"
environment_class = "mw1.medium""#);
    assert_eq!(total(&e), dec("540.20"));
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
