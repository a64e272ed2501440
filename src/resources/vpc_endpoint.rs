//! VPC endpoints: interface endpoints per endpoint per AZ-hour plus per GB; gateway endpoints
//! (S3, DynamoDB) are free and shown at $0 so the choice stays visible.

use rust_decimal::Decimal;
use serde::Deserialize;

use super::UsageKey;
use super::{Ctx, Resource};
use crate::num::{Count, NonNeg};
use crate::pricing::PriceError;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VpcEndpoint {
    /// Interface endpoints (e.g. Secrets Manager, ECR API, ECR DKR, CloudWatch Logs).
    #[serde(default)]
    pub interface_endpoints: Option<Count>,
    /// AZs each interface endpoint is placed in; default 2.
    #[serde(default)]
    pub azs: Option<Count>,
    /// GB processed by interface endpoints per month.
    #[serde(default)]
    pub data_processed_gb: Option<NonNeg>,
    /// Gateway endpoints (S3, DynamoDB): no charge.
    #[serde(default)]
    pub gateway_endpoints: Option<Count>,
}

impl Resource for VpcEndpoint {
    fn price(&self, ctx: &mut Ctx) -> Result<(), PriceError> {
        let n = self.interface_endpoints.map_or(Decimal::ZERO, |c| c.dec());
        if n > Decimal::ZERO {
            let azs = self.azs.map_or(Decimal::TWO, |c| c.dec());
            let hours = ctx.hours_per_month;
            ctx.baseline(
                "Interface endpoint AZ-hours",
                "vpc_endpoint.interface.hour",
                crate::num::mul(crate::num::mul(n, azs)?, hours)?,
            )?;
            ctx.usage(
                "Interface data processed",
                "vpc_endpoint.interface.data",
                ctx.stated_or_derived(self.data_processed_gb, UsageKey::DataProcessedGb),
            )?;
        }
        if let Some(g) = self.gateway_endpoints.filter(|g| g.0 > 0) {
            ctx.baseline("Gateway endpoints", "vpc_endpoint.gateway", g.dec())?;
        }
        Ok(())
    }
}

impl super::Kind for VpcEndpoint {
    const GB_AXIS: Option<UsageKey> = Some(UsageKey::DataProcessedGb);
}

#[cfg(test)]
mod tests {
    //! Hand-checked figures; where their unit prices come from: `crate::testkit`.

    use crate::testkit::{cost, dec, qty, us};

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
data_processed_gb = 6_000_000"#);
        // Tiers on GB per month (1 PB = 1,048,576 GB): first 1,048,576 x $0.01 = $10,485.76;
        // next 4 PB (to 5,242,880) x $0.006 = 4,194,304 x 0.006 = $25,165.824;
        // above 5 PB: 6,000,000 - 5,242,880 = 757,120 x $0.004 = $3,028.48
        assert_eq!(
            cost(&e, "Interface data processed (tier 1)"),
            dec("10485.76")
        );
        assert_eq!(
            cost(&e, "Interface data processed (tier 2)"),
            dec("25165.824")
        );
        assert_eq!(qty(&e, "Interface data processed (tier 3)"), dec("757120"));
        assert_eq!(
            cost(&e, "Interface data processed (tier 3)"),
            dec("3028.48")
        );

        let e = us(r#"kind = "vpc_endpoint"
interface_endpoints = 1
azs = 3"#);
        // 1 x 3 AZs x 730 h = 2,190 h x $0.01 = $21.90
        assert_eq!(cost(&e, "Interface endpoint AZ-hours"), dec("21.90"));
    }
}
