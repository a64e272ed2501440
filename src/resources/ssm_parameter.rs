//! Systems Manager Parameter Store: standard parameters are free; advanced parameters are
//! charged per parameter-month.

use serde::Deserialize;

use super::{Ctx, Resource};
use crate::num::Count;
use crate::pricing::PriceError;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SsmParameter {
    #[serde(default)]
    pub standard_parameters: Option<Count>,
    #[serde(default)]
    pub advanced_parameters: Option<Count>,
}

impl Resource for SsmParameter {
    fn price(&self, ctx: &mut Ctx) -> Result<(), PriceError> {
        if let Some(a) = self.advanced_parameters.filter(|a| a.0 > 0) {
            ctx.baseline("Advanced parameters", "ssm.advanced_parameter", a.dec())?;
        }
        if let Some(s) = self.standard_parameters {
            ctx.baseline("Standard parameters", "ssm.standard_parameter", s.dec())?;
        }
        Ok(())
    }
}

impl super::Kind for SsmParameter {}
