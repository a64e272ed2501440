//! CloudTrail: the first copy of management events is free; additional copies and data events
//! are charged per 100,000 events.

use serde::Deserialize;

use super::{Ctx, Resource, Usage};
use crate::num::NonNeg;
use crate::pricing::PriceError;

#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CloudTrail {
    /// Management events delivered by additional trails (beyond the free first copy).
    #[serde(default)]
    pub additional_management_events: Option<NonNeg>,
    /// Data events (S3 object-level, Lambda invoke) per month.
    #[serde(default)]
    pub data_events: Option<NonNeg>,
}

impl Resource for CloudTrail {
    fn price(&self, ctx: &mut Ctx) -> Result<(), PriceError> {
        if self.additional_management_events.is_some() {
            ctx.usage(
                "Additional management event copies",
                "cloudtrail.management_copy",
                Usage::of(self.additional_management_events),
            )?;
        }
        ctx.usage(
            "Data events",
            "cloudtrail.data_events",
            Usage::of(self.data_events),
        )?;
        Ok(())
    }
}

impl super::Kind for CloudTrail {}

#[cfg(test)]
mod tests {
    //! Hand-checked figures; where their unit prices come from: `crate::testkit`.

    use crate::testkit::{cost, dec, qty, us};

    #[test]
    fn cloudtrail_additional_copies_and_data_events() {
        let e = us(r#"kind = "cloudtrail"
additional_management_events = 1_000_000
data_events = 5_000_000"#);
        // 1M / 100K = 10 x $2.00 (cloudtrail.management_copy) = $20
        assert_eq!(cost(&e, "Additional management event copies"), dec("20"));
        // 5M / 100K = 50 x $0.10 (cloudtrail.data_events) = $5
        assert_eq!(qty(&e, "Data events"), dec("50"));
        assert_eq!(cost(&e, "Data events"), dec("5"));
    }
}
