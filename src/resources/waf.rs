//! AWS WAF: web ACLs and rules per month, plus requests inspected.

use rust_decimal::Decimal;
use serde::Deserialize;

use super::{Ctx, Resource};
use super::{Derived, UnitVolume, UsageKey, Volume};
use crate::num::{Count, NonNeg};
use crate::pricing::PriceError;

#[derive(Debug, Clone, Deserialize)]
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
