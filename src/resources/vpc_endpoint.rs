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
