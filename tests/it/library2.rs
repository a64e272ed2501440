//! Scenario library, part 2 (ec2-phases, compute-choice, nat-choice): the real binary on the real
//! files with `--format json`, key figures checked against hand calculations from the price book
//! values. The expected numbers are worked out in the comments, not copied from the output.

use crate::common::{dec, json_of, phase, total};
use rust_decimal::Decimal;
use serde_json::Value;

fn lines_sum(p: &Value, resource: &str, prefix: &str) -> Decimal {
    p["lines"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["resource"] == resource)
        .filter(|l| l["component"].as_str().unwrap().starts_with(prefix))
        .map(|l| dec(l["monthly_cost"].as_str().unwrap()))
        .sum()
}

#[test]
fn nat_choice_phase_totals_from_the_tokyo_book() {
    let e = json_of("scenarios/nat-choice.toml");
    assert_eq!(e["region"], "ap-northeast-1");
    // NAT Gateway: 730 h x $0.062 = 45.26, + 50 GB x $0.062 = 3.10 -> 48.36.
    assert_eq!(total(&e, "nat_gateway"), dec("48.36"));
    // NAT instance t4g.nano: 730 h x $0.0054 = 3.942, + 8 GB gp3 x $0.096 = 0.768 -> 4.71;
    // no processing charge.
    assert_eq!(total(&e, "nat_instance"), dec("4.71"));
    // 2 interface endpoints x 2 AZs x 730 h x $0.014 = 40.88, + 50 GB x $0.01 = 0.50,
    // S3 gateway endpoint free -> 41.38.
    assert_eq!(total(&e, "vpc_endpoints"), dec("41.38"));
    // Seed 000 section 4.5: the NAT Gateway's fixed cost is "月額$45".
    let gw = phase(&e, "nat_gateway");
    assert_eq!(lines_sum(gw, "nat", "Gateway hours"), dec("45.26"));
}

#[test]
fn ec2_phases_free_tier_credit_in_phase_1() {
    let e = json_of("scenarios/ec2-phases.toml");
    assert_eq!(e["region"], "us-east-1");
    let p1 = phase(&e, "phase1");
    // t3.micro: 730 h x $0.0104 = 7.592, all inside the 750 h 12-month allowance.
    assert_eq!(lines_sum(p1, "app", "Instance"), dec("7.592"));
    assert_eq!(lines_sum(p1, "app", "Free tier: Instance"), dec("-7.592"));
    // db.t4g.micro: 730 h x $0.016 = 11.68, credited whole; 20 GB gp3 x $0.115 = 2.30 likewise.
    assert_eq!(lines_sum(p1, "db", "Free tier: Instance"), dec("-11.68"));
    assert_eq!(lines_sum(p1, "db", "Free tier: Storage"), dec("-2.30"));
    // What is left: public IPv4 730 h x $0.005 = 3.65, Route 53 zone 0.50, S3 beyond its free
    // allowance (0 GB, 8K PUT x $0.005/1K = 0.04, 80K GET x $0.0004/1K = 0.032) -> 4.222.
    assert_eq!(total(&e, "phase1"), dec("4.222"));
}

#[test]
fn ec2_phases_phase_2_endpoints_and_multi_az() {
    let e = json_of("scenarios/ec2-phases.toml");
    let p2 = phase(&e, "phase2");
    // 4 interface endpoints x 2 AZs x 730 h x $0.01 = 58.40.
    assert_eq!(
        lines_sum(p2, "endpoints", "Interface endpoint"),
        dec("58.40")
    );
    // Multi-AZ db.t4g.micro at the published Multi-AZ rate: 730 h x $0.032 = 23.36 (here
    // exactly 2 x $0.016), no free credit (Multi-AZ excluded).
    assert_eq!(lines_sum(p2, "db", "Instance"), dec("23.36"));
    // Storage: primary (both copies) 20 GB x $0.23 (rds.storage.multi_az.gp3) = 4.60, the
    // replica 20 GB x $0.115 = 2.30, which takes the 20 GB free tier: -2.30.
    assert_eq!(lines_sum(p2, "db", "Storage (gp3), Multi-AZ"), dec("4.60"));
    assert_eq!(
        lines_sum(p2, "db", "Storage (gp3), read replicas"),
        dec("2.30")
    );
    assert_eq!(lines_sum(p2, "db", "Free tier: Instance"), Decimal::ZERO);
    // The ASG stays at its minimum of 2 at 0.17 req/s.
    assert_eq!(p2["capacity"]["tasks"]["min"].as_f64(), Some(2.0));
}

#[test]
fn ec2_phases_user_count_triggers_report_mau() {
    let e = json_of("scenarios/ec2-phases.toml");
    // Rules at 100 users (0.05787 req/s) and 500 users (0.28935 req/s) at 50 requests per user
    // per day: the search finds them within 0.5 % plus the daily Poisson noise (~1-2 %).
    for (ph, users) in [("phase1", 100.0), ("phase2", 500.0)] {
        let t = phase(&e, ph)["triggers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["builtin"] == false)
            .unwrap_or_else(|| panic!("{ph} has a user trigger"));
        let mau = t["first_fires_at_mau"]
            .as_f64()
            .unwrap_or_else(|| panic!("{ph}: first_fires_at_mau"));
        assert!(
            (mau - users).abs() / users < 0.05,
            "{ph}: fires at {mau} MAU, expected about {users}"
        );
    }
    // The profile (300 MAU) is past Phase 1's threshold but not Phase 2's.
    let fires = |ph: &str| phase(&e, ph)["triggers"][0]["fires"].as_bool().unwrap();
    assert!(fires("phase1"));
    assert!(!fires("phase2"));
}

#[test]
fn ec2_phases_fargate_matches_the_documents_30_to_40() {
    let e = json_of("scenarios/ec2-phases.toml");
    let p3 = phase(&e, "phase3");
    // Two 0.5 vCPU / 1 GB tasks all month: 730 vCPU-h x $0.04048 = 29.5504,
    // 1,460 GB-h x $0.004445 = 6.4897 -> 36.0401, inside seed 003's "$30-40/月".
    let fargate = lines_sum(p3, "api", "");
    assert_eq!(fargate, dec("36.0401"));
}

#[test]
fn compute_choice_runs_and_lambda_is_priced_from_the_traffic() {
    let e = json_of("scenarios/compute-choice.toml");
    for ph in ["ec2", "fargate", "lambda"] {
        assert!(total(&e, ph) > Decimal::ZERO, "{ph}");
    }
    let l = phase(&e, "lambda");
    // 50,000 MAU x 40 / 86,400 = 23.148 req/s on average (before the weekly shape).
    let avg = l["capacity"]["avg_rps"].as_f64().unwrap();
    assert!((avg - 23.148).abs() / 23.148 < 0.02, "avg_rps {avg}");
    // HTTP API: $1.00 per million, Lambda requests $0.20 per million: the two request lines are
    // in the ratio 5:1 for the same request count.
    let api = lines_sum(l, "api", "");
    let req = lines_sum(l, "backend", "Requests");
    assert_eq!(api, req * Decimal::from(5));
    // Both ALB phases pay the same fixed hours: 730 x $0.0225 = 16.425.
    for ph in ["ec2", "fargate"] {
        assert_eq!(
            lines_sum(phase(&e, ph), "alb", "Load balancer"),
            dec("16.425")
        );
    }
}
