//! Secrets Manager: per secret per month plus API calls.

use serde::Deserialize;

use super::{Ctx, Resource, Usage};
use crate::num::{Count, NonNeg};
use crate::pricing::PriceError;

#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
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

#[cfg(test)]
mod tests {
    //! Hand-checked figures; where their unit prices come from: `crate::testkit`.

    use crate::estimate::CostKind;
    use crate::testkit::{cost, dec, line, us};

    #[test]
    fn secrets_manager_secrets_and_api_calls() {
        let e = us(r#"kind = "secrets_manager"
secrets = 10
api_calls = 1_000_000"#);
        // 10 x $0.40 = $4; 1M / 10K = 100 x $0.05 = $5
        assert_eq!(cost(&e, "Secrets"), dec("4"));
        assert_eq!(cost(&e, "API calls"), dec("5"));
        assert_eq!(line(&e, "Secrets").kind, CostKind::Baseline);
    }
}
