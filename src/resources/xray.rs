//! AWS X-Ray: traces recorded and traces retrieved or scanned.

use serde::Deserialize;

use super::{Ctx, Resource, Usage};
use crate::num::NonNeg;
use crate::pricing::PriceError;

#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct XRay {
    #[serde(default)]
    pub traces_recorded: Option<NonNeg>,
    #[serde(default)]
    pub traces_retrieved: Option<NonNeg>,
}

impl Resource for XRay {
    fn price(&self, ctx: &mut Ctx) -> Result<(), PriceError> {
        ctx.usage(
            "Traces recorded",
            "xray.traces_recorded",
            Usage::of(self.traces_recorded),
        )?;
        if self.traces_retrieved.is_some() {
            ctx.usage(
                "Traces retrieved or scanned",
                "xray.traces_retrieved",
                Usage::of(self.traces_retrieved),
            )?;
        }
        Ok(())
    }
}

impl super::Kind for XRay {}

#[cfg(test)]
mod tests {
    //! Hand-checked figures; where their unit prices come from: `crate::testkit`.

    use crate::testkit::{cost, dec, total, us_with};

    #[test]
    fn xray_traces_with_free_tier() {
        let e = us_with(
            r#"free_tier = "always""#,
            r#"kind = "xray"
traces_recorded = 2_000_000
traces_retrieved = 3_000_000"#,
        );
        // 2M recorded = 2 x $5.00 = $10; free 100,000 = 0.1 x $5 = -$0.50
        assert_eq!(cost(&e, "Traces recorded"), dec("10"));
        assert_eq!(cost(&e, "Free tier: Traces recorded"), dec("-0.50"));
        // 3M retrieved = 3 x $0.50 = $1.50; free 1M = -$0.50
        assert_eq!(cost(&e, "Traces retrieved or scanned"), dec("1.50"));
        assert_eq!(
            cost(&e, "Free tier: Traces retrieved or scanned"),
            dec("-0.50")
        );
        assert_eq!(total(&e), dec("10.50"));
    }
}
