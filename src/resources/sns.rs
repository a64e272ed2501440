//! Amazon SNS: publish requests per month (deliveries to SQS and Lambda are free; email/SMS/HTTP
//! deliveries are not modelled yet).

use serde::Deserialize;

use super::{Ctx, Resource, Usage};
use crate::num::NonNeg;
use crate::pricing::PriceError;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sns {
    #[serde(default)]
    pub monthly_publishes: Option<NonNeg>,
}

impl Resource for Sns {
    fn price(&self, ctx: &mut Ctx) -> Result<(), PriceError> {
        ctx.usage(
            "Publish requests",
            "sns.requests",
            Usage::of(self.monthly_publishes),
        )?;
        Ok(())
    }
}

impl super::Kind for Sns {}
