//! Public IPv4 addresses (in use or idle), charged per IP-hour since 2024-02-01.

use rust_decimal::Decimal;
use serde::Deserialize;

use super::{Ctx, Resource};
use crate::num::{Count, NonNeg};
use crate::pricing::PriceError;

#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
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

impl super::Kind for PublicIpv4 {
    const MONTH_HOURS_KEYS: &'static [&'static str] = &["hours_per_month"];
}

#[cfg(test)]
mod tests {
    //! Hand-checked figures; where their unit prices come from: `crate::testkit`.

    use crate::testkit::{cost, dec, qty, us};

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
}
