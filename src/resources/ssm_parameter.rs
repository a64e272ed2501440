//! Systems Manager Parameter Store: standard parameters are free; advanced parameters are
//! charged per parameter-month.

use serde::Deserialize;

use super::{Ctx, Resource};
use crate::num::Count;
use crate::pricing::PriceError;

#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
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

#[cfg(test)]
mod tests {
    //! Hand-checked figures; where their unit prices come from: `crate::testkit`.

    use crate::testkit::{cost, dec, us};

    #[test]
    fn ssm_advanced_parameters() {
        let e = us(r#"kind = "ssm_parameter"
advanced_parameters = 20"#);
        // 20 x $0.05 (ssm.advanced_parameter) = $1.00
        assert_eq!(cost(&e, "Advanced parameters"), dec("1.00"));
    }
}
