//! CloudFront's optional features, ALB mutual TLS and S3 early deletion (issue 16) through the
//! real binary. Every figure is worked out by hand from `pricing/us-east-1.toml`.

use crate::common::{dec, json_of, phase, run, total};
use rust_decimal::Decimal;
use serde_json::Value;

fn line<'a>(e: &'a Value, resource: &str, component: &str) -> &'a Value {
    phase(e, "prod")["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["resource"] == resource && l["component"] == component)
        .unwrap_or_else(|| panic!("no line {resource} / {component}"))
}

fn cost(e: &Value, resource: &str, component: &str) -> Decimal {
    dec(line(e, resource, component)["monthly_cost"]
        .as_str()
        .unwrap())
}

#[test]
fn edge_extras_price_as_worked_by_hand() {
    let e = json_of("tests/fixtures/edge-extras.toml");
    // CloudFront: HTTPS 20M / 10K = 2,000 x $0.0100 = $20; field-level encryption on top:
    // 5M / 10K = 500 x $0.02 = $10; real-time logs 20M / 1M = 20 x $0.01 = $0.20;
    // one dedicated-IP certificate $600 → $630.20
    assert_eq!(cost(&e, "cdn", "HTTPS requests"), dec("20"));
    assert_eq!(
        cost(&e, "cdn", "Field-level encryption requests"),
        dec("10")
    );
    assert_eq!(cost(&e, "cdn", "Real-time log lines"), dec("0.2"));
    assert_eq!(
        cost(&e, "cdn", "Dedicated-IP custom SSL certificates"),
        dec("600")
    );
    // ALB with mutual TLS: 4,500 active/min / 1,500 = 3 LCU (1.5 without mTLS) x 730 h
    //   = 2,190 LCU-h x $0.008 = $17.52; 730 h x $0.0225 = $16.425 → $33.945
    let lcu = line(&e, "lb", "LCU-hours");
    assert_eq!(dec(lcu["quantity"].as_str().unwrap()), dec("2190"));
    assert_eq!(cost(&e, "lb", "LCU-hours"), dec("17.52"));
    // S3: 1,000 GB Standard-IA x $0.0125 = $12.50; 73 GB deleted at 20 days of the 30-day
    // minimum: 73 x 10 days x 24 / 730 = 24 GB-month x $0.0125 = $0.30 → $12.80
    let early = "Standard-IA early deletion (30-day minimum)";
    assert_eq!(
        dec(line(&e, "bucket", early)["quantity"].as_str().unwrap()),
        dec("24")
    );
    assert_eq!(cost(&e, "bucket", early), dec("0.3"));
    // 630.20 + 33.945 + 12.80 = 676.945
    assert_eq!(total(&e, "prod"), dec("676.945"));
}

#[test]
fn edge_extras_without_a_sourced_rate_name_the_missing_key() {
    let dir = tempfile::tempdir().unwrap();
    for (body, key) in [
        ("kind = \"alb\"\ntrust_stores = 1", "alb.trust_store"),
        (
            "kind = \"cloudfront\"\norigin_shield_requests = 1000\norigin_shield_region = \"us-east-1\"",
            "cloudfront.origin_shield.us-east-1",
        ),
        ("kind = \"s3\"\nselect_scanned_gb = 10", "s3.select.scanned"),
        ("kind = \"s3\"\nobject_tags = 10000", "s3.object_tags"),
    ] {
        let path = dir.path().join("s.toml");
        std::fs::write(
            &path,
            format!("region = \"us-east-1\"\n[phases.prod.resources.r]\n{body}\n"),
        )
        .unwrap();
        let o = run(&["run", path.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2), "{body}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(&format!("no price for `{key}`")), "{err}");
    }
}
