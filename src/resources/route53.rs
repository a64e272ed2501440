//! Route 53: hosted zones per month (tiered), queries by routing policy, and health checks
//! (AWS or other endpoints, plus their optional features).

use rust_decimal::Decimal;
use serde::Deserialize;

use super::{Ctx, FieldError, Resource, Usage};
use crate::num::{Count, NonNeg};
use crate::pricing::PriceError;

#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Route53 {
    #[serde(default)]
    pub hosted_zones: Option<Count>,
    /// Standard queries per month (alias queries to AWS resources are free: leave them out).
    #[serde(default)]
    pub monthly_queries: Option<NonNeg>,
    /// Latency-based routing queries per month.
    #[serde(default)]
    pub latency_queries: Option<NonNeg>,
    /// Geolocation and geoproximity routing queries per month.
    #[serde(default)]
    pub geo_queries: Option<NonNeg>,
    /// IP-based (CIDR) routing queries per month.
    #[serde(default)]
    pub ip_based_queries: Option<NonNeg>,
    /// Health checks of AWS endpoints (the first 50 are free).
    #[serde(default)]
    pub health_checks_aws: Option<Count>,
    /// Health checks of endpoints outside AWS.
    #[serde(default)]
    pub health_checks_non_aws: Option<Count>,
    /// Optional features (HTTPS, string matching, fast interval, latency measurement) summed
    /// over the health checks of AWS endpoints: two checks with two features each are 4.
    #[serde(default)]
    pub health_check_features_aws: Option<Count>,
    /// Optional features summed over the health checks of endpoints outside AWS.
    #[serde(default)]
    pub health_check_features_non_aws: Option<Count>,
}

impl Resource for Route53 {
    fn validate(&self, _: &crate::pricing::Catalog) -> Result<(), FieldError> {
        // Optional features are billed per health check that has them: features summed over no
        // checks of their endpoint type would be a charge for checks that do not exist.
        for (features_key, features, checks_key, checks) in [
            (
                "health_check_features_aws",
                self.health_check_features_aws,
                "health_checks_aws",
                self.health_checks_aws,
            ),
            (
                "health_check_features_non_aws",
                self.health_check_features_non_aws,
                "health_checks_non_aws",
                self.health_checks_non_aws,
            ),
        ] {
            if features.is_some_and(|f| f.0 > 0) && checks.is_none_or(|c| c.0 == 0) {
                return Err(FieldError::new(
                    features_key,
                    format!(
                        "optional features are billed per health check, and `{checks_key}` gives none"
                    ),
                )
                .help(Some(format!(
                    "state the health checks that have the features in `{checks_key}`"
                ))));
            }
        }
        Ok(())
    }

    fn price(&self, ctx: &mut Ctx) -> Result<(), PriceError> {
        ctx.baseline(
            "Hosted zones",
            "route53.hosted_zone",
            self.hosted_zones.map_or(Decimal::ONE, |c| c.dec()),
        )?;
        if self.monthly_queries.is_some() {
            ctx.usage(
                "Standard queries",
                "route53.queries.standard",
                Usage::of(self.monthly_queries),
            )?;
        }
        ctx.stated_usages(&[
            (
                "Latency-based queries",
                "route53.queries.latency",
                self.latency_queries,
            ),
            ("Geo queries", "route53.queries.geo", self.geo_queries),
            (
                "IP-based queries",
                "route53.queries.ip_based",
                self.ip_based_queries,
            ),
        ])?;
        for (label, key, n) in [
            (
                "Health checks (AWS endpoints)",
                "route53.health_check.aws",
                self.health_checks_aws,
            ),
            (
                "Health checks (other endpoints)",
                "route53.health_check.non_aws",
                self.health_checks_non_aws,
            ),
            (
                "Health check features (AWS endpoints)",
                "route53.health_check.option.aws",
                self.health_check_features_aws,
            ),
            (
                "Health check features (other endpoints)",
                "route53.health_check.option.non_aws",
                self.health_check_features_non_aws,
            ),
        ] {
            if let Some(n) = n.filter(|n| n.0 > 0) {
                ctx.baseline(label, key, n.dec())?;
            }
        }
        Ok(())
    }
}

impl super::Kind for Route53 {}

#[cfg(test)]
mod tests {
    //! Hand-checked figures; where their unit prices come from: `crate::testkit`.

    use crate::testkit::{cost, dec, err, lines, scenario, total, us};

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

    #[test]
    fn route53_routing_queries_and_health_checks() {
        // Rates from the AmazonRoute53 Price List descriptions (pl-route53-2026-10-01):
        // LBR-Queries '$0.60 per 1,000,000', Geo-Queries '$0.70', Cidr-Queries '$0.80';
        // Health-Check-AWS 'First 50 ... free of charge', '$0.50 per Health Check for
        // additional'; Health-Check-Non-AWS '$0.75'; options $1.00 (AWS) / $2.00 (non-AWS).
        let e = us(r#"kind = "route53"
latency_queries = 10_000_000
geo_queries = 5_000_000
ip_based_queries = 2_000_000
health_checks_aws = 60
health_checks_non_aws = 4
health_check_features_aws = 3
health_check_features_non_aws = 2"#);
        // 10 x $0.60 = $6; 5 x $0.70 = $3.50; 2 x $0.80 = $1.60
        assert_eq!(cost(&e, "Latency-based queries"), dec("6"));
        assert_eq!(cost(&e, "Geo queries"), dec("3.50"));
        assert_eq!(cost(&e, "IP-based queries"), dec("1.60"));
        // 50 free, then 10 x $0.50 = $5
        assert_eq!(cost(&e, "Health checks (AWS endpoints) (tier 1)"), dec("0"));
        assert_eq!(cost(&e, "Health checks (AWS endpoints) (tier 2)"), dec("5"));
        // 4 x $0.75 = $3; 3 x $1.00 = $3; 2 x $2.00 = $4
        assert_eq!(cost(&e, "Health checks (other endpoints)"), dec("3"));
        assert_eq!(cost(&e, "Health check features (AWS endpoints)"), dec("3"));
        assert_eq!(
            cost(&e, "Health check features (other endpoints)"),
            dec("4")
        );
        // zone $0.50 + 6 + 3.50 + 1.60 + 5 + 3 + 3 + 4 = 26.60
        assert_eq!(total(&e), dec("26.60"));

        // more than the 1B latency queries a month the rate is sourced for: an error
        let msg = err(&scenario(
            "us-east-1",
            "",
            "kind = \"route53\"\nlatency_queries = 1_500_000_000",
        ));
        assert!(msg.contains("known only up to 1,000 1M queries"), "{msg}");
        let e = us(r#"kind = "route53"
health_checks_aws = 50"#);
        // within the 50 free AWS-endpoint checks: zone only
        assert_eq!(total(&e), dec("0.50"));
    }

    #[test]
    fn route53_features_without_their_checks_are_refused() {
        // Features are billed per check that has them: none on no checks.
        for (body, key) in [
            ("health_check_features_aws = 2", "health_check_features_aws"),
            (
                "health_checks_aws = 3\nhealth_check_features_non_aws = 1",
                "health_check_features_non_aws",
            ),
            (
                "health_checks_non_aws = 0\nhealth_check_features_non_aws = 1",
                "health_check_features_non_aws",
            ),
        ] {
            let msg = err(&scenario(
                "us-east-1",
                "",
                &format!("kind = \"route53\"\n{body}"),
            ));
            assert!(msg.contains(&format!("resources.r.{key}`")), "{msg}");
            assert!(msg.contains("billed per health check"), "{msg}");
        }
        // no features on no checks is fine
        let e = us("kind = \"route53\"\nhealth_check_features_aws = 0");
        assert_eq!(total(&e), dec("0.50"));
    }
}
