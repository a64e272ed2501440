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
            Usage::stated(self.traces_recorded.map(|t| t.0)),
        )?;
        if self.traces_retrieved.is_some() {
            ctx.usage(
                "Traces retrieved or scanned",
                "xray.traces_retrieved",
                Usage::stated(self.traces_retrieved.map(|t| t.0)),
            )?;
        }
        Ok(())
    }
}
