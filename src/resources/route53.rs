//! Route 53: hosted zones per month (tiered) and standard queries.

use rust_decimal::Decimal;
use serde::Deserialize;

use super::{Ctx, Resource, Usage};
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
}

impl Resource for Route53 {
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
        Ok(())
    }
}

impl super::Kind for Route53 {}

#[cfg(test)]
mod tests {
    //! Hand-checked figures; where their unit prices come from: `crate::testkit`.

    use crate::testkit::{cost, dec, lines, us};

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
}
