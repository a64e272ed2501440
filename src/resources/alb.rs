//! Application Load Balancer: hours plus LCU-hours, where an hour's LCUs are the highest of four
//! dimensions (new connections/s, active connections/min, processed GB/h, rule evaluations/s),
//! plus mutual-TLS trust store hours.

use rust_decimal::Decimal;
use serde::Deserialize;

use super::Gauge;
use super::{Ctx, FieldError, Resource, Usage};
use super::{Derived, UnitVolume, UsageKey, Volume};
use crate::num::{mul, Count, NonNeg};
use crate::pricing::{Catalog, PriceError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum TargetType {
    /// EC2 instances, containers or IPs: 1 GB/h per LCU.
    #[default]
    Instance,
    /// Lambda targets: 0.4 GB/h per LCU.
    Lambda,
}

#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Alb {
    #[serde(default)]
    pub count: Option<Count>,
    #[serde(default)]
    pub target_type: TargetType,
    /// Average LCUs, if known directly (instead of the four dimensions).
    #[serde(default)]
    pub lcu: Option<NonNeg>,
    #[serde(default)]
    pub new_connections_per_sec: Option<NonNeg>,
    #[serde(default)]
    pub active_connections_per_min: Option<NonNeg>,
    #[serde(default)]
    pub processed_gb_per_hour: Option<NonNeg>,
    /// Rule evaluations per second beyond the 10 free rules per request.
    #[serde(default)]
    pub rule_evaluations_per_sec: Option<NonNeg>,
    /// Trust stores associated with this resource's load balancers (mutual TLS, verify mode),
    /// in all: each is billed per hour it is associated (`alb.trust_store`).
    #[serde(default)]
    pub trust_stores: Option<Count>,
    /// Mutual TLS on the listeners (verify or passthrough): an LCU then holds 1,500 active
    /// connections a minute instead of 3,000. Default: on when `trust_stores` is given.
    #[serde(default)]
    pub mutual_tls: Option<bool>,
}

/// LCU capacity of each dimension (AWS ELB pricing).
const NEW_CONN_PER_LCU: u32 = 25;
const ACTIVE_CONN_PER_LCU: u32 = 3000;
/// "3,000 active connections per minute or 1,500 active connections per minute while using
/// Mutual TLS" (AWS ELB pricing page, as transcribed in the book's apiev-elb source).
const ACTIVE_CONN_PER_LCU_MTLS: u32 = 1500;
const RULE_EVALS_PER_LCU: u32 = 1000;

impl Alb {
    fn mutual_tls(&self) -> bool {
        self.mutual_tls.unwrap_or(self.trust_stores.is_some())
    }

    fn dimensions(&self) -> Vec<(&'static str, Decimal)> {
        let active_per_lcu = if self.mutual_tls() {
            ACTIVE_CONN_PER_LCU_MTLS
        } else {
            ACTIVE_CONN_PER_LCU
        };
        let gb_per_lcu = match self.target_type {
            TargetType::Instance => Decimal::ONE,
            TargetType::Lambda => Decimal::new(4, 1),
        };
        let mut d = Vec::new();
        if let Some(v) = self.new_connections_per_sec {
            d.push(("new connections", v.0 / Decimal::from(NEW_CONN_PER_LCU)));
        }
        if let Some(v) = self.active_connections_per_min {
            d.push(("active connections", v.0 / Decimal::from(active_per_lcu)));
        }
        if let Some(v) = self.processed_gb_per_hour {
            d.push(("processed bytes", v.0 / gb_per_lcu));
        }
        if let Some(v) = self.rule_evaluations_per_sec {
            d.push(("rule evaluations", v.0 / Decimal::from(RULE_EVALS_PER_LCU)));
        }
        d
    }
}

impl Resource for Alb {
    fn derive_usage(&self, month: &Volume, _: Option<&UnitVolume>) -> Derived {
        super::load_balancer_usage(month)
    }

    fn validate(&self, _: &Catalog) -> Result<(), FieldError> {
        if self.lcu.is_some() && !self.dimensions().is_empty() {
            return Err(FieldError::new(
                "lcu",
                "give `lcu` or the LCU dimensions, not both",
            ));
        }
        super::usage_without_units(
            self.count,
            "load balancers",
            &[
                ("lcu", self.lcu),
                ("new_connections_per_sec", self.new_connections_per_sec),
                (
                    "active_connections_per_min",
                    self.active_connections_per_min,
                ),
                ("processed_gb_per_hour", self.processed_gb_per_hour),
                ("rule_evaluations_per_sec", self.rule_evaluations_per_sec),
            ],
        )?;
        if self.trust_stores.is_some_and(|n| n.0 > 0) && self.mutual_tls == Some(false) {
            return Err(FieldError::new(
                "mutual_tls",
                "a trust store is only used by mutual TLS: drop `trust_stores` or `mutual_tls = false`",
            ));
        }
        Ok(())
    }

    fn price(&self, ctx: &mut Ctx) -> Result<(), PriceError> {
        let count = self.count.map_or(Decimal::ONE, |c| c.dec());
        let hours = ctx.hours_per_month;
        ctx.baseline("Load balancer hours", "alb.hour", mul(count, hours)?)?;
        let stated = self.dimensions();
        let derived = if self.lcu.is_none() && stated.is_empty() {
            derived_alb(self.target_type, self.mutual_tls(), ctx).dimensions()
        } else {
            Vec::new()
        };
        let (dims, as_usage): (_, fn(Decimal) -> Usage) = if derived.is_empty() {
            (stated, Usage::Stated)
        } else {
            (derived, Usage::Derived)
        };
        super::capacity_unit_hours(
            ctx,
            "LCU-hours",
            "alb.lcu",
            count,
            self.lcu.map(|l| l.0),
            &dims,
            as_usage,
        )?;
        if let Some(n) = self.trust_stores {
            ctx.baseline("Trust store hours", "alb.trust_store", mul(n.dec(), hours)?)?;
        }
        Ok(())
    }
}

impl super::Kind for Alb {
    const GAUGE: Option<Gauge> = Some(Gauge::LoadBalancer);
}

/// The LCU dimensions the simulator derived (same fields as the scenario's), if any.
fn derived_alb(target_type: TargetType, mutual_tls: bool, ctx: &Ctx) -> Alb {
    let get = |k: UsageKey| match ctx.derived(k) {
        Usage::Derived(v) => Some(NonNeg(v)),
        _ => None,
    };
    Alb {
        count: None,
        target_type,
        lcu: None,
        new_connections_per_sec: get(UsageKey::NewConnectionsPerSec),
        active_connections_per_min: get(UsageKey::ActiveConnectionsPerMin),
        processed_gb_per_hour: get(UsageKey::ProcessedGbPerHour),
        rule_evaluations_per_sec: get(UsageKey::RuleEvaluationsPerSec),
        trust_stores: None,
        mutual_tls: Some(mutual_tls),
    }
}

#[cfg(test)]
mod tests {
    //! Hand-checked figures; where their unit prices come from: `crate::testkit`.

    use crate::estimate::UsageSource;
    use crate::testkit::{cost, dec, err, has_note, line, qty, scenario, tokyo, total, us};

    #[test]
    fn alb_aws_example_highest_dimension_is_processed_bytes() {
        // AWS ELB pricing page, ALB example: 1 new connection/s lasting 2 minutes (120 active
        // connections/min), 300 KB/s processed (1.08 GB/h), 5 requests/s x (60 - 10 free) rules
        // = 250 rule evaluations/s.
        let e = us(r#"kind = "alb"
new_connections_per_sec = 1
active_connections_per_min = 120
processed_gb_per_hour = 1.08
rule_evaluations_per_sec = 250"#);
        // LCUs: 1/25 = 0.04, 120/3,000 = 0.04, 1.08/1 = 1.08, 250/1,000 = 0.25 -> 1.08
        // 1.08 LCU x 730 h = 788.4 LCU-h x $0.008 (alb.lcu) = $6.3072
        let l = line(&e, "LCU-hours");
        assert_eq!(l.quantity, dec("788.4"));
        assert_eq!(l.monthly_cost, dec("6.3072"));
        assert!(
            has_note(l, "1.08 LCU set by processed bytes"),
            "{:?}",
            l.notes
        );
        // 730 h x $0.0225 (alb.hour) = $16.425
        assert_eq!(cost(&e, "Load balancer hours"), dec("16.425"));
        // 16.425 + 6.3072 = 22.7322 (AWS: $16.43 + $6.31 = $22.74 after rounding each)
        assert_eq!(total(&e), dec("22.7322"));
    }

    #[test]
    fn alb_new_connections_dimension_wins() {
        let e = us(r#"kind = "alb"
new_connections_per_sec = 100
processed_gb_per_hour = 2.22"#);
        // 100/25 = 4 LCU beats 2.22/1 = 2.22 LCU; 4 x 730 h = 2,920 LCU-h x $0.008 = $23.36
        let l = line(&e, "LCU-hours");
        assert_eq!(l.quantity, dec("2920"));
        assert_eq!(l.monthly_cost, dec("23.36"));
        assert!(has_note(l, "4 LCU set by new connections"), "{:?}", l.notes);
    }

    #[test]
    fn alb_lambda_targets_and_direct_lcu_with_count() {
        let e = us(r#"kind = "alb"
target_type = "lambda"
processed_gb_per_hour = 1"#);
        // Lambda targets: 0.4 GB/h per LCU -> 1 / 0.4 = 2.5 LCU x 730 h = 1,825 LCU-h x $0.008
        //   = $14.60
        assert_eq!(qty(&e, "LCU-hours"), dec("1825"));
        assert_eq!(cost(&e, "LCU-hours"), dec("14.60"));

        let e = us(r#"kind = "alb"
count = 2
lcu = 3"#);
        // 2 ALBs x 730 h = 1,460 h x $0.0225 = $32.85
        assert_eq!(cost(&e, "Load balancer hours"), dec("32.85"));
        // 3 LCU x 2 x 730 h = 4,380 LCU-h x $0.008 = $35.04
        assert_eq!(cost(&e, "LCU-hours"), dec("35.04"));

        let e = us(r#"kind = "alb""#);
        // no traffic given: hours only, LCU depends on usage
        assert_eq!(line(&e, "LCU-hours").usage_source, UsageSource::None);
        assert_eq!(total(&e), dec("16.425"));
    }

    #[test]
    fn alb_mutual_tls_halves_active_connections_per_lcu() {
        // AWS ELB pricing: an LCU holds "3,000 active connections per minute or 1,500 active
        // connections per minute while using Mutual TLS".
        let e = us(r#"kind = "alb"
mutual_tls = true
active_connections_per_min = 3000"#);
        // 3,000 / 1,500 = 2 LCU (without mTLS: 1) x 730 h = 1,460 LCU-h x $0.008 = $11.68
        let l = line(&e, "LCU-hours");
        assert_eq!(l.quantity, dec("1460"));
        assert_eq!(l.monthly_cost, dec("11.68"));
        assert!(
            has_note(l, "2 LCU set by active connections"),
            "{:?}",
            l.notes
        );
        // 16.425 + 11.68 = 28.105
        assert_eq!(total(&e), dec("28.105"));
    }

    #[test]
    fn alb_trust_stores_are_hourly_and_imply_mutual_tls() {
        // Tokyo's Price List record: "$0.0054 per associated Application load balancer Trust
        // Store unit-hour" (alb.trust_store). 2 trust stores x 730 h = 1,460 h x $0.0054
        //   = $7.884
        let e = tokyo(
            r#"kind = "alb"
trust_stores = 2
active_connections_per_min = 3000"#,
        );
        let l = line(&e, "Trust store hours");
        assert_eq!(l.quantity, dec("1460"));
        assert_eq!(l.monthly_cost, dec("7.884"));
        // The trust stores turn mutual TLS on: 3,000 / 1,500 = 2 LCU x 730 h = 1,460 LCU-h
        //   x $0.008 = $11.68; 730 h x $0.0243 = $17.739; 17.739 + 11.68 + 7.884 = 37.303
        assert_eq!(cost(&e, "LCU-hours"), dec("11.68"));
        assert_eq!(total(&e), dec("37.303"));

        // No us-east-1 trust store record was found: the missing-price error names the key
        // rather than guessing one.
        let m = err(&scenario(
            "us-east-1",
            "",
            r#"kind = "alb"
trust_stores = 1"#,
        ));
        assert!(m.contains("alb.trust_store"), "{m}");
        let m = err(&scenario(
            "us-east-1",
            "",
            r#"kind = "alb"
trust_stores = 2
mutual_tls = false"#,
        ));
        assert!(m.contains("only used by mutual TLS"), "{m}");
    }

    #[test]
    fn alb_usage_on_no_load_balancers_is_refused() {
        // Usage stated for `count = 0` would be dropped or billed for nothing: refused.
        crate::testkit::assert_refused(
            "us-east-1",
            "kind = \"alb\"\ncount = 0\nnew_connections_per_sec = 50",
            "resources.r.new_connections_per_sec`: `new_connections_per_sec` is stated for `count = 0`: there are no load balancers",
        );
        // no units and no usage: nothing to bill, and nothing dropped
        let e = crate::testkit::us("kind = \"alb\"\ncount = 0\nlcu = 0");
        assert_eq!(crate::testkit::total(&e), crate::testkit::dec("0"));
    }
}
