//! Property tests: cost never decreases when usage grows; totals are the exact sum of lines.

use proptest::prelude::*;
use rust_decimal::Decimal;

/// A scenario touching tiered and flat usage prices across several services.
fn scenario(u: &[u64; 8], free_tier: bool) -> String {
    format!(
        r#"region = "us-east-1"
free_tier = "{ft}"
[phases.p.resources.fn]
kind = "lambda"
memory_mb = 1024
monthly_requests = {req}
avg_duration_ms = {ms}
[phases.p.resources.cdn]
kind = "cloudfront"
data_out_gb = {cdn}
[phases.p.resources.nat]
kind = "nat_gateway"
data_processed_gb = {nat}
[phases.p.resources.net]
kind = "data_transfer"
out_to_internet_gb = {out}
[phases.p.resources.s3]
kind = "s3"
standard_gb = {s3}
get_requests = {get}
[phases.p.resources.alb]
kind = "alb"
new_connections_per_sec = {conn}
"#,
        ft = if free_tier { "legacy-12-month" } else { "none" },
        req = u[0],
        // at most the 15-minute timeout `lambda` refuses beyond (min keeps the growth monotone)
        ms = (u[1] + 1).min(900_000),
        cdn = u[2],
        nat = u[3],
        out = u[4],
        s3 = u[5],
        get = u[6],
        conn = u[7],
    )
}

fn total(u: &[u64; 8], free_tier: bool) -> (Decimal, Decimal) {
    let e = costplan::estimate_toml("prop", &scenario(u, free_tier)).expect("valid scenario");
    let p = &e.phases[0];
    (
        p.monthly_total(),
        p.lines.iter().map(|l| l.monthly_cost).sum(),
    )
}

fn usage() -> impl Strategy<Value = [u64; 8]> {
    // Ranges cross the first tier boundaries (CloudFront 10 TB, transfer 10 TB, Lambda 6B GB-s).
    (
        0u64..5_000_000_000,
        0u64..2_000,
        0u64..60_000,
        0u64..50_000,
        0u64..60_000,
        0u64..100_000,
        0u64..100_000_000,
        0u64..1_000,
    )
        .prop_map(|(a, b, c, d, e, f, g, h)| [a, b, c, d, e, f, g, h])
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn cost_never_decreases_when_usage_grows(u in usage(), which in 0usize..8, extra in 1u64..1_000_000, ft in any::<bool>()) {
        let mut more = u;
        more[which] += extra;
        let (before, _) = total(&u, ft);
        let (after, _) = total(&more, ft);
        prop_assert!(after >= before, "usage[{which}] +{extra}: {before} -> {after}");
    }

    #[test]
    fn total_is_exact_sum_of_lines(u in usage(), ft in any::<bool>()) {
        let (t, sum) = total(&u, ft);
        prop_assert_eq!(t, sum);
        prop_assert!(t >= Decimal::ZERO);
    }
}

/// Cost of the lines for `key` in a one-phase scenario.
fn key_cost(toml: &str, key: &str) -> Decimal {
    let e = costplan::estimate_toml("prop", toml).expect("valid scenario");
    e.phases[0]
        .lines
        .iter()
        .filter(|l| l.price_key == key)
        .map(|l| l.monthly_cost)
        .sum()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// AWS counts volume tiers per account: splitting usage across resources must cost exactly
    /// what the same total costs on one resource (S3 Standard crosses 50 TB, CloudFront 10 TB,
    /// internet egress 10 TB within these ranges).
    #[test]
    fn tiers_count_the_phase_total_not_each_resource(a in 0u64..600_000, b in 0u64..600_000, free in any::<bool>()) {
        let ft = if free { "legacy-12-month" } else { "none" };
        for (kind, field, key) in [
            ("s3", "standard_gb", "s3.standard.storage"),
            ("cloudfront", "data_out_gb", "cloudfront.data_out"),
            ("data_transfer", "out_to_internet_gb", "data_transfer.out"),
        ] {
            let split = format!(
                "region = \"us-east-1\"\nfree_tier = \"{ft}\"\n\
                 [phases.p.resources.one]\nkind = \"{kind}\"\n{field} = {a}\n\
                 [phases.p.resources.two]\nkind = \"{kind}\"\n{field} = {b}\n"
            );
            let whole = format!(
                "region = \"us-east-1\"\nfree_tier = \"{ft}\"\n\
                 [phases.p.resources.one]\nkind = \"{kind}\"\n{field} = {}\n",
                a + b
            );
            prop_assert_eq!(key_cost(&split, key), key_cost(&whole, key), "{} {} + {}", kind, a, b);
        }
    }
}
