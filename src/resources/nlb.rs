//! Network Load Balancer: hours plus NLCU-hours, where an hour's NLCUs are the highest of
//! three dimensions, whose sizes depend on the protocol (AWS ELB pricing page, "Network Load
//! Balancer", as transcribed in the book's `apiev-elb` source):
//!
//! | protocol | new connections or flows/s | active connections or flows | processed |
//! |---|---|---|---|
//! | TCP | 800 | 100,000 | 1 GB/h |
//! | UDP | 400 | 50,000 | 1 GB/h |
//! | TLS | 50 | 3,000 | 1 GB/h |
//!
//! Active connections are sampled per minute; the NLB's figure is the number open at once.

use rust_decimal::Decimal;
use serde::Deserialize;

use super::Gauge;
use super::{Ctx, FieldError, Resource, Usage};
use super::{Derived, UnitVolume, UsageKey, Volume};
use crate::num::{mul, Count, NonNeg};
use crate::pricing::{Catalog, PriceError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Protocol {
    #[default]
    Tcp,
    Udp,
    Tls,
}

impl Protocol {
    /// (new per second, active) that one NLCU covers.
    fn per_nlcu(self) -> (u32, u32) {
        match self {
            Protocol::Tcp => (800, 100_000),
            Protocol::Udp => (400, 50_000),
            Protocol::Tls => (50, 3_000),
        }
    }
}

#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Nlb {
    #[serde(default)]
    pub count: Option<Count>,
    #[serde(default)]
    pub protocol: Protocol,
    /// Average NLCUs, if known directly (instead of the three dimensions).
    #[serde(default)]
    pub nlcu: Option<NonNeg>,
    /// New connections (TCP, TLS) or flows (UDP) per second.
    #[serde(default)]
    pub new_connections_per_sec: Option<NonNeg>,
    /// Connections or flows open at once (AWS samples them per minute).
    #[serde(default)]
    pub active_connections: Option<NonNeg>,
    #[serde(default)]
    pub processed_gb_per_hour: Option<NonNeg>,
}

impl Nlb {
    fn dimensions(&self) -> Vec<(&'static str, Decimal)> {
        let (new, active) = self.protocol.per_nlcu();
        let mut d = Vec::new();
        if let Some(v) = self.new_connections_per_sec {
            d.push(("new connections", v.0 / Decimal::from(new)));
        }
        if let Some(v) = self.active_connections {
            d.push(("active connections", v.0 / Decimal::from(active)));
        }
        if let Some(v) = self.processed_gb_per_hour {
            // 1 GB/h per NLCU for every protocol.
            d.push(("processed bytes", v.0));
        }
        d
    }
}

impl Resource for Nlb {
    fn derive_usage(&self, month: &Volume, _: Option<&UnitVolume>) -> Derived {
        super::load_balancer_usage(month)
    }

    fn validate(&self, _: &Catalog) -> Result<(), FieldError> {
        if self.nlcu.is_some() && !self.dimensions().is_empty() {
            return Err(FieldError::new(
                "nlcu",
                "give `nlcu` or the NLCU dimensions, not both",
            ));
        }
        super::usage_without_units(
            self.count,
            "load balancers",
            &[
                ("nlcu", self.nlcu),
                ("new_connections_per_sec", self.new_connections_per_sec),
                ("active_connections", self.active_connections),
                ("processed_gb_per_hour", self.processed_gb_per_hour),
            ],
        )?;
        Ok(())
    }

    fn price(&self, ctx: &mut Ctx) -> Result<(), PriceError> {
        let count = self.count.map_or(Decimal::ONE, |c| c.dec());
        let hours = ctx.hours_per_month;
        ctx.baseline("Load balancer hours", "nlb.hour", mul(count, hours)?)?;
        let stated = self.dimensions();
        let (dims, as_usage): (_, fn(Decimal) -> Usage) =
            if self.nlcu.is_none() && stated.is_empty() {
                // The simulator's ALB-shaped figures: in-flight requests are the open connections.
                let get = |k: UsageKey| match ctx.derived(k) {
                    Usage::Derived(v) => Some(NonNeg(v)),
                    _ => None,
                };
                let from_traffic = Nlb {
                    new_connections_per_sec: get(UsageKey::NewConnectionsPerSec),
                    active_connections: get(UsageKey::ActiveConnectionsPerMin),
                    processed_gb_per_hour: get(UsageKey::ProcessedGbPerHour),
                    ..self.clone()
                };
                (from_traffic.dimensions(), Usage::Derived)
            } else {
                (stated, Usage::Stated)
            };
        super::capacity_unit_hours(
            ctx,
            "NLCU-hours",
            "nlb.nlcu",
            count,
            self.nlcu.map(|l| l.0),
            &dims,
            as_usage,
        )
    }
}

impl super::Kind for Nlb {
    const GAUGE: Option<Gauge> = Some(Gauge::LoadBalancer);
}

#[cfg(test)]
mod tests {
    //! Hand-checked figures; unit prices from the books' `nlb.*` entries (us-east-1 $0.0225/h
    //! and $0.006 per NLCU-hour; Tokyo $0.0243/h and $0.006).

    use crate::estimate::UsageSource;
    use crate::testkit::{cost, dec, err, has_note, line, scenario, tokyo, total, us};

    #[test]
    fn tcp_highest_dimension_is_active_connections() {
        let e = us(r#"kind = "nlb"
new_connections_per_sec = 400
active_connections = 250000
processed_gb_per_hour = 1.5"#);
        // NLCUs: 400/800 = 0.5, 250,000/100,000 = 2.5, 1.5/1 = 1.5 -> 2.5
        // 2.5 x 730 h = 1,825 NLCU-h x $0.006 = $10.95
        let l = line(&e, "NLCU-hours");
        assert_eq!(l.quantity, dec("1825"));
        assert_eq!(l.monthly_cost, dec("10.95"));
        assert!(
            has_note(l, "2.5 NLCU set by active connections"),
            "{:?}",
            l.notes
        );
        // 730 h x $0.0225 = $16.425; total 27.375
        assert_eq!(cost(&e, "Load balancer hours"), dec("16.425"));
        assert_eq!(total(&e), dec("27.375"));
    }

    #[test]
    fn udp_and_tls_have_smaller_units() {
        let e = us(r#"kind = "nlb"
protocol = "tls"
new_connections_per_sec = 100
active_connections = 1500"#);
        // TLS: 100/50 = 2 NLCU beats 1,500/3,000 = 0.5; 2 x 730 = 1,460 NLCU-h x $0.006 = $8.76
        assert_eq!(cost(&e, "NLCU-hours"), dec("8.76"));
        let e = us(r#"kind = "nlb"
protocol = "udp"
new_connections_per_sec = 100
active_connections = 60000"#);
        // UDP: 100/400 = 0.25, 60,000/50,000 = 1.2 -> 1.2 x 730 = 876 NLCU-h x $0.006 = $5.256
        assert_eq!(cost(&e, "NLCU-hours"), dec("5.256"));
    }

    #[test]
    fn direct_nlcu_count_and_tokyo() {
        let e = tokyo("kind = \"nlb\"\ncount = 2\nnlcu = 3");
        // 2 x 730 h = 1,460 h x $0.0243 = $35.478; 3 x 2 x 730 = 4,380 NLCU-h x $0.006 = $26.28
        assert_eq!(cost(&e, "Load balancer hours"), dec("35.478"));
        assert_eq!(cost(&e, "NLCU-hours"), dec("26.28"));
        // Without usage: hours only, the NLCU line depends on usage.
        let e = us("kind = \"nlb\"");
        assert_eq!(line(&e, "NLCU-hours").usage_source, UsageSource::None);
        assert_eq!(total(&e), dec("16.425"));
    }

    #[test]
    fn nlcu_and_dimensions_together_are_refused() {
        let e = err(&scenario(
            "us-east-1",
            "",
            "kind = \"nlb\"\nnlcu = 2\nprocessed_gb_per_hour = 1",
        ));
        assert!(e.contains("not both"), "{e}");
        let e = err(&scenario(
            "us-east-1",
            "",
            "kind = \"nlb\"\nprotocol = \"http\"",
        ));
        assert!(e.contains("protocol"), "{e}");
    }

    #[test]
    fn nlb_usage_on_no_load_balancers_is_refused() {
        // Usage stated for `count = 0` would be dropped or billed for nothing: refused.
        crate::testkit::assert_refused(
            "us-east-1",
            "kind = \"nlb\"\ncount = 0\nnlcu = 3",
            "resources.r.nlcu`: `nlcu` is stated for `count = 0`: there are no load balancers",
        );
        // no units and no usage: nothing to bill, and nothing dropped
        let e = crate::testkit::us("kind = \"nlb\"\ncount = 0");
        assert_eq!(crate::testkit::total(&e), crate::testkit::dec("0"));
    }
}
