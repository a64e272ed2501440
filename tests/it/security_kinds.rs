//! The security and audit kinds' new keys (WAF managed rule groups and WCU, KMS request types,
//! Secrets Manager replicas, CloudTrail Insights, Parameter Store API interactions) through the
//! real binary. Every figure is worked out by hand from `pricing/us-east-1.toml`.

use crate::common::{dec, json_of, phase, total};
use rust_decimal::Decimal;
use serde_json::Value;

fn cost(e: &Value, resource: &str, component: &str) -> Decimal {
    let lines = phase(e, "prod")["lines"].as_array().unwrap();
    let l = lines
        .iter()
        .find(|l| l["resource"] == resource && l["component"] == component)
        .unwrap_or_else(|| panic!("no line {resource} / {component}"));
    dec(l["monthly_cost"].as_str().unwrap())
}

#[test]
fn security_kinds_new_keys_price_as_worked_by_hand() {
    let e = json_of("tests/fixtures/security-kinds.toml");
    // WAF: 1 x $5 + 9 x $1 + 10 x $0.60 = $20; 1,600 WCU is one 500-WCU step: 10 x $0.20 = $2;
    // Bot Control targeted $10 + 0.5 x $10.00 = $5; ATP $10 + 0.05 x $1.00 = $0.05 → $47.05
    assert_eq!(
        cost(&e, "edge_waf", "Requests above 1,500 WCU (1 x 500 WCU)"),
        dec("2")
    );
    assert_eq!(
        cost(&e, "edge_waf", "Bot Control (targeted) requests"),
        dec("5")
    );
    assert_eq!(
        cost(&e, "edge_waf", "Fraud Control ATP login attempts"),
        dec("0.05")
    );
    // KMS: 4 x $1 = $4; 100 x $0.03 = $3 (no free tier); 20 x $0.15 = $3;
    // 0.05 x $12.00 = $0.60 → $10.60
    assert_eq!(
        cost(&e, "keys", "Asymmetric requests (except RSA 2048)"),
        dec("3")
    );
    assert_eq!(
        cost(&e, "keys", "RSA GenerateDataKeyPair requests"),
        dec("0.6")
    );
    // Secrets Manager: 10 x $0.40 = $4; 2 replicas x $0.40 = $0.80; 10 x $0.05 = $0.50 → $5.30
    assert_eq!(cost(&e, "secrets", "Replica secrets"), dec("0.8"));
    // CloudTrail: 10 x $0.10 = $1; Insights 330,000 analysed (write twice, read once):
    // 3.3 x $0.35 = $1.155 → $2.155
    assert_eq!(cost(&e, "trail", "Insights events analyzed"), dec("1.155"));
    // Parameter Store: 4 x $0.05 = $0.20; 100 x $0.05 (override) = $5 → $5.20
    assert_eq!(
        cost(
            &e,
            "params",
            "Standard parameter API interactions (higher throughput)"
        ),
        dec("5")
    );
    // 47.05 + 10.60 + 5.30 + 2.155 + 5.20 = 70.305
    assert_eq!(total(&e, "prod"), dec("70.305"));
}
