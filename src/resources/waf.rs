//! AWS WAF: web ACLs and rules per month, plus requests inspected; the paid AWS Managed Rules
//! groups (Bot Control at its common or targeted inspection level, Fraud Control account
//! takeover prevention and account creation fraud prevention), each a subscription per web
//! ACL plus a fee per request it evaluates; and the per-request surcharge of a web ACL above
//! the 1,500 WCU the base request price covers. Shield Advanced (which waives WAF charges on
//! the resources it protects) is not modelled.

use rust_decimal::Decimal;
use serde::Deserialize;

use super::{within, Ctx, FieldError, Limit, Resource, Usage};
use super::{Derived, UnitVolume, UsageKey, Volume};
use crate::num::{Count, NonNeg};
use crate::pricing::{Catalog, PriceError};

/// The inspection level of the Bot Control managed rule group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum BotControlLevel {
    /// Self-identifying bots (static request analysis).
    Common,
    /// Common plus bots that do not identify themselves (rate limits, challenges).
    Targeted,
}

impl BotControlLevel {
    fn name(self) -> &'static str {
        match self {
            BotControlLevel::Common => "common",
            BotControlLevel::Targeted => "targeted",
        }
    }
}

#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Waf {
    #[serde(default)]
    pub web_acls: Option<Count>,
    /// Rules and rule groups (a managed rule group counts as one, the paid ones included).
    #[serde(default)]
    pub rules: Option<Count>,
    #[serde(default)]
    pub monthly_requests: Option<NonNeg>,
    /// Bot Control managed rule group: `common` or `targeted` inspection level.
    #[serde(default)]
    pub bot_control: Option<BotControlLevel>,
    /// Web ACLs with the Bot Control group, each paying its subscription (default: all).
    #[serde(default)]
    pub bot_control_web_acls: Option<Count>,
    /// Requests the Bot Control group evaluates a month, after any scope-down statement
    /// (default: every request the web ACLs inspect).
    #[serde(default)]
    pub bot_control_requests: Option<NonNeg>,
    /// Web ACLs with the Fraud Control account takeover prevention (ATP) group (default 1 when
    /// `atp_login_attempts` is given).
    #[serde(default)]
    pub atp_web_acls: Option<Count>,
    /// Login requests ATP analyses a month (requests to the login path it is configured for).
    #[serde(default)]
    pub atp_login_attempts: Option<NonNeg>,
    /// Web ACLs with the Fraud Control account creation fraud prevention (ACFP) group
    /// (default 1 when `acfp_account_creation_attempts` is given).
    #[serde(default)]
    pub acfp_web_acls: Option<Count>,
    /// Account creation requests ACFP analyses a month.
    #[serde(default)]
    pub acfp_account_creation_attempts: Option<NonNeg>,
    /// Web ACL capacity units of each web ACL: above 1,500 every request inspected pays a
    /// surcharge per started 500 WCU.
    #[serde(default)]
    pub wcu: Option<Count>,
}

/// The capacity the base request price covers, and the step of the surcharge above it ("If a
/// protection pack ... has more than 1,500 WCU, the per-request cost increases in 500-WCU
/// increments": AWS's WAF cost guide).
const BASE_WCU: u32 = 1500;
const WCU_STEP: u32 = 500;
/// "Maximum protection pack (web ACL) capacity units (WCU) per protection pack (web ACL): 5,000",
/// a fixed quota that cannot be changed (AWS WAF quotas,
/// https://docs.aws.amazon.com/waf/latest/developerguide/limits.html; the limit went from 1,500
/// to 5,000 on 2023-04-11, https://aws.amazon.com/about-aws/whats-new/2023/04/aws-waf-web-acl-capacity-units-limits/).
const MAX_WCU: Limit = Limit {
    min: 0,
    max: 5_000,
    unit: "WCU",
    what: "a web ACL has at most 5,000 WCU (a fixed AWS WAF quota)",
    source: "AWS WAF quotas, https://docs.aws.amazon.com/waf/latest/developerguide/limits.html",
};

impl Waf {
    fn acls(&self) -> u32 {
        self.web_acls.map_or(1, |c| c.0)
    }

    /// Started 500-WCU steps above 1,500 (1,501 is one step, 2,700 three).
    fn wcu_steps(&self) -> u32 {
        self.wcu
            .map_or(0, |w| w.0.saturating_sub(BASE_WCU).div_ceil(WCU_STEP))
    }

    /// The error for a managed-group key that contradicts the others.
    fn conflicting_key(&self) -> Option<FieldError> {
        let acls = self.acls();
        if self.bot_control.is_none() {
            for (key, set) in [
                ("bot_control_web_acls", self.bot_control_web_acls.is_some()),
                ("bot_control_requests", self.bot_control_requests.is_some()),
            ] {
                if set {
                    return Some(
                        FieldError::new(key, "there is no Bot Control group to apply it to").help(
                            Some("add `bot_control = \"common\"` or `\"targeted\"`".to_string()),
                        ),
                    );
                }
            }
        }
        for (key, n, attempts) in [
            ("bot_control_web_acls", self.bot_control_web_acls, None),
            (
                "atp_web_acls",
                self.atp_web_acls,
                Some(("atp_login_attempts", self.atp_login_attempts)),
            ),
            (
                "acfp_web_acls",
                self.acfp_web_acls,
                Some((
                    "acfp_account_creation_attempts",
                    self.acfp_account_creation_attempts,
                )),
            ),
        ] {
            let Some(n) = n else { continue };
            if n.0 > acls {
                return Some(FieldError::new(
                    key,
                    format!("{} web ACLs with the group, but `web_acls` is {acls}", n.0),
                ));
            }
            if n.0 == 0 {
                if let Some((attempts_key, Some(_))) = attempts {
                    return Some(FieldError::new(
                        key,
                        format!("0 web ACLs with the group, but `{attempts_key}` is given"),
                    ));
                }
                if key == "bot_control_web_acls" {
                    return Some(FieldError::new(
                        key,
                        "0 web ACLs with Bot Control: leave `bot_control` out instead",
                    ));
                }
            }
        }
        if let (Some(bot), Some(all)) = (self.bot_control_requests, self.monthly_requests) {
            if bot.0 > all.0 {
                return Some(FieldError::new(
                    "bot_control_requests",
                    format!(
                        "Bot Control evaluates only requests the web ACLs inspect: {} is more than `monthly_requests` ({})",
                        crate::money::fmt_number(bot.0),
                        crate::money::fmt_number(all.0)
                    ),
                ));
            }
        }
        None
    }
}

impl Resource for Waf {
    fn validate(&self, _: &Catalog) -> Result<(), FieldError> {
        if let Some(e) = self.conflicting_key() {
            return Err(e);
        }
        match self.wcu {
            Some(w) => within("wcu", w.dec(), &MAX_WCU),
            None => Ok(()),
        }
    }

    fn derive_usage(&self, month: &Volume, _: Option<&UnitVolume>) -> Derived {
        let mut d = Derived::new();
        d.count(UsageKey::MonthlyRequests, month.requests);
        d
    }

    fn price(&self, ctx: &mut Ctx) -> Result<(), PriceError> {
        let acls = Decimal::from(self.acls());
        ctx.baseline("Web ACLs", "waf.web_acl", acls)?;
        if let Some(r) = self.rules.filter(|r| r.0 > 0) {
            ctx.baseline("Rules", "waf.rule", r.dec())?;
        }
        let requests = ctx.stated_or_derived(self.monthly_requests, UsageKey::MonthlyRequests);
        ctx.usage("Requests inspected", "waf.requests", requests)?;
        let steps = self.wcu_steps();
        if steps > 0 {
            let steps = Decimal::from(steps);
            ctx.usage(
                &format!("Requests above 1,500 WCU ({steps} x 500 WCU)"),
                "waf.requests.wcu",
                requests.try_map(|r| crate::num::mul(r, steps))?,
            )?;
        }
        if let Some(level) = self.bot_control {
            let name = level.name();
            ctx.baseline(
                &format!("Bot Control ({name}) subscription"),
                &format!("waf.bot_control.{name}"),
                self.bot_control_web_acls.map_or(acls, |c| c.dec()),
            )?;
            // Unscoped, the group evaluates every request the web ACLs inspect.
            let evaluated = match self.bot_control_requests {
                Some(n) => Usage::Stated(n.0),
                None => requests,
            };
            ctx.usage(
                &format!("Bot Control ({name}) requests"),
                &format!("waf.bot_control.{name}.requests"),
                evaluated,
            )?;
        }
        for (label, key, acls_key, attempts, what) in [
            (
                "Fraud Control ATP",
                "waf.atp",
                self.atp_web_acls,
                self.atp_login_attempts,
                "login attempts",
            ),
            (
                "Fraud Control ACFP",
                "waf.acfp",
                self.acfp_web_acls,
                self.acfp_account_creation_attempts,
                "account creation attempts",
            ),
        ] {
            if acls_key.is_none() && attempts.is_none() {
                continue;
            }
            ctx.baseline(
                &format!("{label} subscription"),
                key,
                acls_key.map_or(Decimal::ONE, |c| c.dec()),
            )?;
            ctx.usage(
                &format!("{label} {what}"),
                &format!("{key}.requests"),
                Usage::of(attempts),
            )?;
        }
        Ok(())
    }
}

impl super::Kind for Waf {}

#[cfg(test)]
mod tests {
    //! Hand-checked figures; where their unit prices come from: `crate::testkit`.
    //!
    //! The managed-group tests reproduce the "core scenario" of AWS's WAF cost guide
    //! (aws/aws-security-services-best-practices, docs/en/guides/waf/waf-cost): "One (1)
    //! Protection pack, Five (5) custom rules ..., Common Rule Set (CRS), Known Bad Inputs
    //! (KBI), Ten million (10,000,000) requests", $18.00 a month before any paid group.

    use crate::testkit::{cost, dec, err, has_line, qty, scenario, tokyo, total, us};

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

    #[test]
    fn waf_aws_guide_core_scenario_plus_bot_control_targeted_scoped_to_5_percent() {
        // "Core scenario + Bot Control Targeted (5% requests in scope)": Protection pack $5.00;
        // Rules (5 custom + CRS + KBI + Bot Control Targeted) 8 x $1.00 = $8.00; Requests
        // 10,000,000 x $0.60/million = $6.00; "Bot Control Targeted subscription | 1 |
        // $10.00/month"; "Bot Control Targeted per-request (5% of traffic) | 500,000 |
        // $10.00/million | $5.00"; "Total $34.00"
        let e = us(r#"kind = "waf"
rules = 8
monthly_requests = 10_000_000
bot_control = "targeted"
bot_control_requests = 500_000"#);
        assert_eq!(cost(&e, "Bot Control (targeted) subscription"), dec("10"));
        assert_eq!(qty(&e, "Bot Control (targeted) requests"), dec("0.5"));
        assert_eq!(cost(&e, "Bot Control (targeted) requests"), dec("5"));
        assert_eq!(total(&e), dec("34"));
    }

    #[test]
    fn waf_aws_guide_bot_control_common_scoped_and_unscoped() {
        // "Core scenario + Bot Control Common (10% requests in scope)": 5 + 8 + 6 + $10.00
        // subscription + 1,000,000 x $1.00/million = $1.00; "Total $30.00"
        let scoped = us(r#"kind = "waf"
rules = 8
monthly_requests = 10_000_000
bot_control = "common"
bot_control_requests = 1_000_000"#);
        assert_eq!(cost(&scoped, "Bot Control (common) requests"), dec("1"));
        assert_eq!(total(&scoped), dec("30"));
        // "(100% requests in scope)": the group evaluates all 10,000,000 requests,
        // 10 x $1.00 = $10.00; "Total $39.00"
        let all = us(r#"kind = "waf"
rules = 8
monthly_requests = 10_000_000
bot_control = "common""#);
        assert_eq!(cost(&all, "Bot Control (common) requests"), dec("10"));
        assert_eq!(total(&all), dec("39"));
    }

    #[test]
    fn waf_aws_guide_fraud_control_atp_and_acfp() {
        // "Core scenario + ATP": "ATP subscription | 1 | $10.00/month"; "ATP per-request
        // (login path only) | 50,000 | $1.00/million | $0.05"; "Total $29.05"
        let atp = us(r#"kind = "waf"
rules = 8
monthly_requests = 10_000_000
atp_login_attempts = 50_000"#);
        assert_eq!(cost(&atp, "Fraud Control ATP subscription"), dec("10"));
        assert_eq!(cost(&atp, "Fraud Control ATP login attempts"), dec("0.05"));
        assert_eq!(total(&atp), dec("29.05"));
        // "Core scenario + ACFP": $10.00 subscription + 20,000 x $1.00/million = $0.02;
        // "Total $29.02"
        let acfp = us(r#"kind = "waf"
rules = 8
monthly_requests = 10_000_000
acfp_web_acls = 1
acfp_account_creation_attempts = 20_000"#);
        assert_eq!(
            cost(&acfp, "Fraud Control ACFP account creation attempts"),
            dec("0.02")
        );
        assert_eq!(total(&acfp), dec("29.02"));
    }

    #[test]
    fn waf_aws_guide_wcu_overage() {
        // "Custom rules + AMRs brings the Protection Pack to 1,501 WCU": "WCU overage (1 x 500
        // WCU increment) | 10,000,000 | $0.20/million | $2.00"; with the core scenario
        // "Total $20.00" (5 custom rules + CRS + KBI = 7 rules)
        let e = us(r#"kind = "waf"
rules = 7
monthly_requests = 10_000_000
wcu = 1501"#);
        assert_eq!(cost(&e, "Requests above 1,500 WCU (1 x 500 WCU)"), dec("2"));
        assert_eq!(total(&e), dec("20"));
        // "brings the Protection Pack to 2,700 WCU": "3 x 500 WCU increment ... $0.60/million
        // | $6.00": 10 x 3 x $0.20 = $6
        let big = us(r#"kind = "waf"
monthly_requests = 10_000_000
wcu = 2700"#);
        assert_eq!(
            cost(&big, "Requests above 1,500 WCU (3 x 500 WCU)"),
            dec("6")
        );
        // At 1,500 WCU the base price covers the web ACL: no surcharge line.
        let base = us(r#"kind = "waf"
monthly_requests = 10_000_000
wcu = 1500"#);
        assert!(!has_line(&base, "Requests above 1,500 WCU (1 x 500 WCU)"));
    }

    #[test]
    fn waf_wcu_at_most_5000() {
        // 5,000 WCU, the fixed quota: 7 started steps of 500 above 1,500, 10 x 7 x $0.20 = $14
        let e = us("kind = \"waf\"\nmonthly_requests = 10_000_000\nwcu = 5000");
        assert_eq!(
            cost(&e, "Requests above 1,500 WCU (7 x 500 WCU)"),
            dec("14")
        );
        let m = err(&scenario(
            "us-east-1",
            "",
            "kind = \"waf\"\nmonthly_requests = 10_000_000\nwcu = 5001",
        ));
        assert!(
            m.contains("resources.r.wcu`: 5,001 WCU is above what AWS allows: a web ACL has at most 5,000 WCU"),
            "{m}"
        );
        assert!(m.contains("waf/latest/developerguide/limits.html"), "{m}");
    }

    #[test]
    fn waf_bot_control_on_some_web_acls_in_tokyo() {
        // WAF is priced the same in every region: 3 web ACLs x $5 = $15; Bot Control common on
        // 2 of them: 2 x $10 = $20; 4M requests evaluated x $1.00/1M = $4
        let e = tokyo(
            r#"kind = "waf"
web_acls = 3
monthly_requests = 30_000_000
bot_control = "common"
bot_control_web_acls = 2
bot_control_requests = 4_000_000"#,
        );
        assert_eq!(cost(&e, "Bot Control (common) subscription"), dec("20"));
        assert_eq!(cost(&e, "Bot Control (common) requests"), dec("4"));
        // 15 + 30 x 0.60 = 18 + 20 + 4 = $57
        assert_eq!(total(&e), dec("57"));
    }

    #[test]
    fn waf_conflicting_managed_group_keys_are_refused_at_the_key() {
        let refused = |body: &str| err(&scenario("us-east-1", "", body));
        let m = refused(
            r#"kind = "waf"
bot_control_requests = 100"#,
        );
        assert!(m.contains("resources.r.bot_control_requests`"), "{m}");
        assert!(m.contains("no Bot Control group"), "{m}");
        let m = refused(
            r#"kind = "waf"
web_acls = 2
bot_control = "targeted"
bot_control_web_acls = 3"#,
        );
        assert!(m.contains("resources.r.bot_control_web_acls`"), "{m}");
        let m = refused(
            r#"kind = "waf"
monthly_requests = 1000
bot_control = "common"
bot_control_requests = 2000"#,
        );
        assert!(m.contains("more than `monthly_requests`"), "{m}");
        let m = refused(
            r#"kind = "waf"
atp_web_acls = 0
atp_login_attempts = 10"#,
        );
        assert!(m.contains("resources.r.atp_web_acls`"), "{m}");
        let m = refused(
            r#"kind = "waf"
bot_control = "rare""#,
        );
        assert!(m.contains("bot_control"), "{m}");
    }
}
