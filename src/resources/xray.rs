//! AWS X-Ray: traces recorded and traces retrieved or scanned.

use serde::Deserialize;

use super::{Ctx, Resource, Usage};
use crate::num::NonNeg;
use crate::pricing::PriceError;

#[derive(Debug, Clone, Deserialize)]
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
