//! Amazon Cognito user pools: monthly active users (tiers and free MAUs in the price book).

use serde::Deserialize;

use super::{Ctx, Resource};
use super::{Derived, UnitVolume, UsageKey, Volume};
use crate::num::NonNeg;
use crate::pricing::PriceError;

#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Cognito {
    /// Monthly active users.
    #[serde(default)]
    pub mau: Option<NonNeg>,
}

impl Resource for Cognito {
    fn derive_usage(&self, month: &Volume, _: Option<&UnitVolume>) -> Derived {
        let mut d = Derived::new();
        if let Some(mau) = month.mau {
            d.count(UsageKey::Mau, mau);
        }
        d
    }

    fn price(&self, ctx: &mut Ctx) -> Result<(), PriceError> {
        let mau = ctx.stated_or_derived(self.mau, UsageKey::Mau);
        ctx.usage("Monthly active users", "cognito.mau", mau)?;
        Ok(())
    }
}

impl super::Kind for Cognito {}

#[cfg(test)]
mod tests {
    //! Hand-checked figures; where their unit prices come from: `crate::testkit`.

    use crate::testkit::{cost, dec, total, us, us_with};

    #[test]
    fn cognito_mau_with_and_without_free_tier() {
        let body = r#"kind = "cognito"
mau = 50000"#;
        // 50,000 MAU x $0.015 (cognito.mau) = $750
        assert_eq!(cost(&us(body), "Monthly active users"), dec("750"));
        let e = us_with(r#"free_tier = "always""#, body);
        // always free 10,000 MAU: -10,000 x $0.015 = -$150; 750 - 150 = 600
        assert_eq!(cost(&e, "Free tier: Monthly active users"), dec("-150"));
        assert_eq!(total(&e), dec("600"));
    }
}
