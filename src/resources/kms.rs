//! AWS KMS: customer-managed keys per month plus requests (AWS-managed keys are free).

use serde::Deserialize;

use super::{Ctx, Resource, Usage};
use crate::num::{Count, NonNeg};
use crate::pricing::PriceError;

#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Kms {
    /// Customer-managed keys.
    pub keys: Count,
    #[serde(default)]
    pub requests: Option<NonNeg>,
}

impl Resource for Kms {
    fn price(&self, ctx: &mut Ctx) -> Result<(), PriceError> {
        ctx.baseline("Customer managed keys", "kms.key", self.keys.dec())?;
        ctx.usage("Requests", "kms.requests", Usage::of(self.requests))?;
        Ok(())
    }
}

impl super::Kind for Kms {}

#[cfg(test)]
mod tests {
    //! Hand-checked figures; where their unit prices come from: `crate::testkit`.

    use crate::testkit::{cost, dec, total, us_with};

    #[test]
    fn kms_keys_and_requests_with_free_tier() {
        let e = us_with(
            r#"free_tier = "always""#,
            r#"kind = "kms"
keys = 3
requests = 2_000_000"#,
        );
        // 3 x $1.00 = $3
        assert_eq!(cost(&e, "Customer managed keys"), dec("3"));
        // 2M / 10K = 200 x $0.03 = $6; free 20,000 = 2 x $0.03 = -$0.06
        assert_eq!(cost(&e, "Requests"), dec("6"));
        assert_eq!(cost(&e, "Free tier: Requests"), dec("-0.06"));
        assert_eq!(total(&e), dec("8.94"));
    }
}
