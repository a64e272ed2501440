//! AWS KMS: customer-managed keys per month plus requests (AWS-managed keys are free).

use serde::Deserialize;

use super::{Ctx, Resource, Usage};
use crate::num::{Count, NonNeg};
use crate::pricing::PriceError;

#[derive(Debug, Clone, Deserialize)]
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
