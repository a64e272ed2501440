//! NAT Gateway: per gateway-hour (one per AZ) plus per GB processed in either direction.

use serde::Deserialize;

use super::Gauge;
use super::{Ctx, FieldError, Resource};
use super::{Derived, UnitVolume, UsageKey, Volume};
use crate::num::{Count, NonNeg};
use crate::pricing::PriceError;

#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NatGateway {
    /// Gateways (one per AZ for availability); default 1.
    #[serde(default)]
    pub count: Option<Count>,
    /// GB processed per month, all gateways together.
    #[serde(default)]
    pub data_processed_gb: Option<NonNeg>,
}

impl Resource for NatGateway {
    fn derive_usage(&self, month: &Volume, _: Option<&UnitVolume>) -> Derived {
        let mut d = Derived::new();
        if month.nat_bytes_per_request > 0.0 {
            d.amount(
                UsageKey::DataProcessedGb,
                month.gb(month.nat_bytes_per_request),
            );
        }
        d
    }

    fn validate(&self, _: &crate::pricing::Catalog) -> Result<(), FieldError> {
        super::usage_without_units(
            self.count,
            "gateways",
            &[("data_processed_gb", self.data_processed_gb)],
        )
    }

    fn price(&self, ctx: &mut Ctx) -> Result<(), PriceError> {
        let count = self.count.map_or(rust_decimal::Decimal::ONE, |c| c.dec());
        let hours = ctx.hours_per_month;
        ctx.baseline(
            "Gateway hours",
            "nat_gateway.hour",
            crate::num::mul(count, hours)?,
        )?;
        let data = ctx.stated_or_derived(self.data_processed_gb, UsageKey::DataProcessedGb);
        ctx.usage("Data processed", "nat_gateway.data", data)?
            .note_stated_over_derived(
                self.data_processed_gb,
                UsageKey::DataProcessedGb,
                "nat_bytes_per_request",
            );
        Ok(())
    }
}

impl super::Kind for NatGateway {
    const GAUGE: Option<Gauge> = Some(Gauge::Nat);
    const GB_AXIS: Option<UsageKey> = Some(UsageKey::DataProcessedGb);
}

#[cfg(test)]
mod tests {
    //! Hand-checked figures; where their unit prices come from: `crate::testkit`.

    use crate::testkit::{cost, dec, total, us};

    #[test]
    fn nat_gateway_hours_and_data() {
        let e = us(r#"kind = "nat_gateway"
count = 2
data_processed_gb = 1000"#);
        // 2 x 730 h = 1,460 h x $0.045 (nat_gateway.hour) = $65.70
        assert_eq!(cost(&e, "Gateway hours"), dec("65.70"));
        // 1,000 GB x $0.045 (nat_gateway.data) = $45.00
        assert_eq!(cost(&e, "Data processed"), dec("45.00"));
        assert_eq!(total(&e), dec("110.70"));
    }

    #[test]
    fn nat_gateway_usage_on_no_gateways_is_refused() {
        // Usage stated for `count = 0` would be dropped or billed for nothing: refused.
        crate::testkit::assert_refused(
            "us-east-1",
            "kind = \"nat_gateway\"\ncount = 0\ndata_processed_gb = 100",
            "resources.r.data_processed_gb`: `data_processed_gb` is stated for `count = 0`: there are no gateways",
        );
        // no units and no usage: nothing to bill, and nothing dropped
        let e = crate::testkit::us("kind = \"nat_gateway\"\ncount = 0");
        assert_eq!(crate::testkit::total(&e), crate::testkit::dec("0"));
    }
}
