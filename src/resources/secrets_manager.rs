//! Secrets Manager: per secret per month (replica secrets hosted in this region too) plus API
//! calls. The 30-day free trial of each new secret is not modelled: it depends on when each
//! secret was created, which a monthly estimate does not know.

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
    /// Replicas of other regions' secrets hosted in this region (a replica is a secret of
    /// its own region, with its own ARN).
    #[serde(default)]
    pub replica_secrets: Option<Count>,
}

impl Resource for SecretsManager {
    fn price(&self, ctx: &mut Ctx) -> Result<(), PriceError> {
        ctx.baseline("Secrets", "secrets_manager.secret", self.secrets.dec())?;
        if let Some(r) = self.replica_secrets.filter(|r| r.0 > 0) {
            ctx.baseline("Replica secrets", "secrets_manager.secret", r.dec())?
                .note(
                    "priced as a secret of the region that hosts it (third-party notes: $0.40 a replica-month; AWS's pricing page was not read)",
                );
        }
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
    use crate::testkit::{cost, dec, has_line, line, tokyo, total, us};

    #[test]
    fn secrets_manager_secrets_and_api_calls() {
        let e = us(r#"kind = "secrets_manager"
secrets = 10
api_calls = 1_000_000"#);
        // 10 x $0.40 = $4; 1M / 10K = 100 x $0.05 = $5
        assert_eq!(cost(&e, "Secrets"), dec("4"));
        assert_eq!(cost(&e, "API calls"), dec("5"));
        assert_eq!(line(&e, "Secrets").kind, CostKind::Baseline);
        assert!(!has_line(&e, "Replica secrets"));
    }

    #[test]
    fn secrets_manager_replicas_are_secrets_of_their_region() {
        let e = tokyo(
            r#"kind = "secrets_manager"
secrets = 3
replica_secrets = 5
api_calls = 20_000"#,
        );
        // ap-northeast-1: 3 x $0.40 = $1.20; 5 replicas x $0.40 = $2.00; 2 x $0.05 = $0.10
        assert_eq!(cost(&e, "Secrets"), dec("1.2"));
        assert_eq!(cost(&e, "Replica secrets"), dec("2"));
        assert_eq!(line(&e, "Replica secrets").kind, CostKind::Baseline);
        assert!(line(&e, "Replica secrets").notes[0].contains("priced as a secret"));
        assert_eq!(total(&e), dec("3.3"));
    }
}
