//! Secrets Manager: per secret per month plus API calls.

use serde::Deserialize;

use super::{Ctx, Resource, Usage};
use crate::num::{Count, NonNeg};
use crate::pricing::PriceError;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecretsManager {
    pub secrets: Count,
    #[serde(default)]
    pub api_calls: Option<NonNeg>,
}

impl Resource for SecretsManager {
    fn price(&self, ctx: &mut Ctx) -> Result<(), PriceError> {
        ctx.baseline("Secrets", "secrets_manager.secret", self.secrets.dec())?;
        ctx.usage(
            "API calls",
            "secrets_manager.api",
            Usage::of(self.api_calls),
        )?;
        Ok(())
    }
}

impl super::Kind for SecretsManager {}
