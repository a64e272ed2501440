//! Amazon Cognito user pools: monthly active users (tiers and free MAUs in the price book).

use serde::Deserialize;

use super::{Ctx, Resource};
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
    fn price(&self, ctx: &mut Ctx) -> Result<(), PriceError> {
        let mau = ctx.stated_or_derived(self.mau, "mau");
        ctx.usage("Monthly active users", "cognito.mau", mau)?;
        Ok(())
    }
}
