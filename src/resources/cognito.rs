//! Amazon Cognito user pools: monthly active users (tiers and free MAUs in the price book).

use serde::Deserialize;

use super::{Ctx, Resource};
use super::{Derived, UnitVolume, UsageKey, Volume};
use crate::num::NonNeg;
use crate::pricing::PriceError;

#[derive(Debug, Clone, Deserialize)]
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
