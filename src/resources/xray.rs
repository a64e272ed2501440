//! AWS X-Ray: traces recorded, traces retrieved or scanned, and traces processed by X-Ray
//! Insights.

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
    /// Traces processed by X-Ray Insights a month (the traces recorded in the groups that have
    /// Insights enabled; no free allowance).
    #[serde(default)]
    pub insights_traces: Option<NonNeg>,
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
        if self.insights_traces.is_some() {
            ctx.usage(
                "Insights traces processed",
                "xray.insights_traces",
                Usage::of(self.insights_traces),
            )?;
        }
        Ok(())
    }
}

impl super::Kind for XRay {}

#[cfg(test)]
mod tests {
    //! Hand-checked figures; where their unit prices come from: `crate::testkit`.

    use crate::testkit::{cost, dec, lines, total, us, us_with};

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

    #[test]
    fn xray_aws_example_1_with_insights() {
        // AWS's Example 1 (https://aws.amazon.com/xray/pricing/, stored copies /cn/ and /de/):
        // "2,000 requests per hour x 24 hours x 31 days x 10% = 148,800 traces" recorded;
        // scanned 100 queries x 200 traces x 31 days = 620,000, retrieved 100 x 50 x 31 =
        // 155,000, together 775,000, all within the free 1,000,000; "148,800 traces *
        // 0.000001 USD = 0.15 USD" for Insights traces processed; total "0.24 USD + 0.15 USD =
        // 0.39 USD".
        let e = us_with(
            r#"free_tier = "always""#,
            r#"kind = "xray"
traces_recorded = 148_800
traces_retrieved = 775_000
insights_traces = 148_800"#,
        );
        // recorded 0.1488 x $5.00 = $0.744, free 0.1 x $5.00 = -$0.50: $0.244 (AWS: 48,800 x
        // $0.000005 = $0.24)
        assert_eq!(cost(&e, "Traces recorded"), dec("0.744"));
        assert_eq!(cost(&e, "Free tier: Traces recorded"), dec("-0.50"));
        // retrieved/scanned 0.775 x $0.50 = $0.3875, all free
        assert_eq!(cost(&e, "Traces retrieved or scanned"), dec("0.3875"));
        assert_eq!(
            cost(&e, "Free tier: Traces retrieved or scanned"),
            dec("-0.3875")
        );
        // Insights 0.1488 x $1.00 = $0.1488 (AWS rounds to $0.15), no free allowance
        assert_eq!(cost(&e, "Insights traces processed"), dec("0.1488"));
        // 0.244 + 0.1488 = 0.3928 (AWS: $0.39)
        assert_eq!(total(&e), dec("0.3928"));
    }

    #[test]
    fn xray_insights_line_only_when_stated() {
        let e = us(r#"kind = "xray"
traces_recorded = 1_000_000"#);
        assert_eq!(lines(&e).len(), 1);
    }
}
