//! Public IPv4 addresses (in use or idle), charged per IP-hour since 2024-02-01.

use rust_decimal::Decimal;
use serde::Deserialize;

use super::{Ctx, Resource};
use crate::num::{Count, NonNeg};
use crate::pricing::PriceError;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublicIpv4 {
    pub count: Count,
    /// Hours each address is held per month (default: the whole month).
    #[serde(default)]
    pub hours_per_month: Option<NonNeg>,
}

impl Resource for PublicIpv4 {
    fn price(&self, ctx: &mut Ctx) -> Result<(), PriceError> {
        let hours = self.hours_per_month.map_or(ctx.hours_per_month, |h| h.0);
        ctx.baseline(
            "Public IPv4 address",
            "vpc.public_ipv4",
            crate::num::mul(self.count.dec(), hours)?,
        )?;
        let _ = Decimal::ZERO;
        Ok(())
    }
}

impl super::Kind for PublicIpv4 {}
