//! Route 53: hosted zones per month (tiered) and standard queries.

use rust_decimal::Decimal;
use serde::Deserialize;

use super::{Ctx, Resource, Usage};
use crate::num::{Count, NonNeg};
use crate::pricing::PriceError;

#[derive(Debug, Clone, Deserialize)]
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
