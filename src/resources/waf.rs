//! AWS WAF: web ACLs and rules per month, plus requests inspected.

use rust_decimal::Decimal;
use serde::Deserialize;

use super::{Ctx, Resource};
use super::{Derived, UnitVolume, UsageKey, Volume};
use crate::num::{Count, NonNeg};
use crate::pricing::PriceError;

#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Waf {
    #[serde(default)]
    pub web_acls: Option<Count>,
    /// Rules and rule groups (a managed rule group counts as one).
    #[serde(default)]
    pub rules: Option<Count>,
    #[serde(default)]
    pub monthly_requests: Option<NonNeg>,
}

impl Resource for Waf {
    fn derive_usage(&self, month: &Volume, _: Option<&UnitVolume>) -> Derived {
        let mut d = Derived::new();
        d.count(UsageKey::MonthlyRequests, month.requests);
        d
    }

    fn price(&self, ctx: &mut Ctx) -> Result<(), PriceError> {
        ctx.baseline(
            "Web ACLs",
            "waf.web_acl",
            self.web_acls.map_or(Decimal::ONE, |c| c.dec()),
        )?;
        if let Some(r) = self.rules.filter(|r| r.0 > 0) {
            ctx.baseline("Rules", "waf.rule", r.dec())?;
        }
        ctx.usage(
            "Requests inspected",
            "waf.requests",
            ctx.stated_or_derived(self.monthly_requests, UsageKey::MonthlyRequests),
        )?;
        Ok(())
    }
}

impl super::Kind for Waf {}

#[cfg(test)]
mod tests {
    //! Hand-checked figures; where their unit prices come from: `crate::testkit`.

    use crate::testkit::{cost, dec, total, us};

    #[test]
    fn waf_acls_rules_and_requests() {
        let e = us(r#"kind = "waf"
web_acls = 2
rules = 10
monthly_requests = 20_000_000"#);
        // 2 x $5.00 (waf.web_acl) = $10
        assert_eq!(cost(&e, "Web ACLs"), dec("10"));
        // 10 x $1.00 (waf.rule) = $10
        assert_eq!(cost(&e, "Rules"), dec("10"));
        // 20M / 1M = 20 x $0.60 (waf.requests) = $12
        assert_eq!(cost(&e, "Requests inspected"), dec("12"));
        assert_eq!(total(&e), dec("32"));
    }
}
