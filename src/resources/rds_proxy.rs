//! RDS Proxy: billed per vCPU-hour of the database instances it serves (minimum 2 vCPUs), or
//! per ACU-hour for Aurora Serverless v2 targets (minimum 8 ACUs).

use rust_decimal::Decimal;
use serde::Deserialize;

use super::{check_class, running_hours, Ctx, FieldError, Resource, Schedule};
use crate::capacity::Role;
use crate::money::fmt_number;
use crate::num::{mul, Count, NonNeg};
use crate::pricing::{Catalog, Family, PriceError};

#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RdsProxy {
    /// Class of the target instances (provisioned RDS/Aurora).
    #[serde(default)]
    pub target_instance_class: Option<String>,
    /// Number of target instances (writer + readers); default 1.
    #[serde(default)]
    pub target_instances: Option<Count>,
    /// Aurora Serverless v2 target: average ACUs across the cluster.
    #[serde(default)]
    pub target_avg_acu: Option<NonNeg>,
    #[serde(default)]
    pub schedule: Option<Schedule>,
    /// Share of client sessions pinned to a DB connection (capacity model).
    #[serde(default)]
    pub pinning_percent: Option<crate::num::Percent>,
    /// MaxConnectionsPercent of the target's max_connections (capacity model; default 100).
    #[serde(default)]
    pub max_connections_percent: Option<crate::num::Percent>,
}

const MIN_VCPU: u32 = 2;
const MIN_ACU: u32 = 8;

impl Resource for RdsProxy {
    fn role(&self, _: &Catalog) -> Role {
        use crate::capacity::to_f64;
        Role::Proxy {
            max_connections_fraction: self
                .max_connections_percent
                .map_or(1.0, |p| to_f64(p.fraction())),
            pinning_fraction: self.pinning_percent.map_or(0.0, |p| to_f64(p.fraction())),
        }
    }

    fn validate(&self, catalog: &Catalog) -> Result<(), FieldError> {
        match (&self.target_instance_class, self.target_avg_acu) {
            (Some(c), None) => check_class(catalog, Family::Rds, "target_instance_class", c).map(|_| ()),
            (None, Some(_)) => Ok(()),
            _ => Err(FieldError::new(
                "target_instance_class",
                "RDS Proxy needs exactly one of `target_instance_class` (provisioned target) or `target_avg_acu` (Serverless v2 target)",
            )),
        }
    }

    fn price(&self, ctx: &mut Ctx) -> Result<(), PriceError> {
        let hours = running_hours(self.schedule.as_ref(), ctx.hours_per_month);
        if let Some(acu) = self.target_avg_acu {
            let billed = acu.0.max(Decimal::from(MIN_ACU));
            ctx.baseline(
                "Proxy (per target ACU)",
                "rds_proxy.acu",
                mul(billed, hours)?,
            )?
            .note(format!(
                "{} ACU billed (minimum {MIN_ACU})",
                fmt_number(billed)
            ));
            return Ok(());
        }
        let instances = self.target_instances.map_or(Decimal::ONE, |c| c.dec());
        let class = self.target_instance_class.as_deref().unwrap_or_default();
        let per_instance = ctx.catalog.rds.get(class).map_or(0, |s| s.vcpu);
        let vcpus = Decimal::from(per_instance) * instances;
        let billed = vcpus.max(Decimal::from(MIN_VCPU));
        ctx.baseline(
            "Proxy (per target vCPU)",
            "rds_proxy.vcpu",
            mul(billed, hours)?,
        )?
        .note(format!(
            "{} target vCPU billed (minimum {MIN_VCPU})",
            fmt_number(billed)
        ));
        Ok(())
    }
}

impl super::Kind for RdsProxy {
    const SCHEDULABLE: bool = true;
}

#[cfg(test)]
mod tests {
    //! Hand-checked figures; where their unit prices come from: `crate::testkit`.

    use crate::testkit::{cost, dec, has_note, line, qty, us, us_with};

    #[test]
    fn rds_proxy_per_target_vcpu() {
        let e = us(r#"kind = "rds_proxy"
target_instance_class = "db.t3.micro""#);
        // db.t3.micro has 2 vCPU: 2 x 730 h = 1,460 vCPU-h x $0.015 (rds_proxy.vcpu) = $21.90
        assert_eq!(qty(&e, "Proxy (per target vCPU)"), dec("1460"));
        assert_eq!(cost(&e, "Proxy (per target vCPU)"), dec("21.90"));

        let e = us(r#"kind = "rds_proxy"
target_instance_class = "db.r6g.large"
target_instances = 2"#);
        // db.r6g.large 2 vCPU x 2 instances = 4 vCPU x 730 h = 2,920 vCPU-h x $0.015 = $43.80
        assert_eq!(qty(&e, "Proxy (per target vCPU)"), dec("2920"));
        assert_eq!(cost(&e, "Proxy (per target vCPU)"), dec("43.80"));
    }

    #[test]
    fn rds_proxy_two_vcpu_minimum() {
        let e = us(r#"kind = "rds_proxy"
target_instance_class = "db.t2.micro""#);
        // db.t2.micro has 1 vCPU (pricing/instances.toml); billed at the 2-vCPU minimum:
        // 2 x 730 h = 1,460 vCPU-h x $0.015 = $21.90
        let l = line(&e, "Proxy (per target vCPU)");
        assert_eq!(l.quantity, dec("1460"));
        assert_eq!(l.monthly_cost, dec("21.90"));
        assert!(has_note(l, "2 target vCPU billed (minimum 2)"));
    }

    #[test]
    fn rds_proxy_serverless_target_with_override_and_8_acu_minimum() {
        // us-east-1 has no per-ACU proxy price, so the scenario overrides it.
        let top = r#"[overrides."rds_proxy.acu"]
price = "0.015"
unit = "ACU-hour"
reason = "test rate""#;
        let e = us_with(
            top,
            r#"kind = "rds_proxy"
target_avg_acu = 4"#,
        );
        // 4 ACU is below the 8-ACU minimum: 8 x 730 h = 5,840 ACU-h x $0.015 = $87.60
        let l = line(&e, "Proxy (per target ACU)");
        assert_eq!(l.quantity, dec("5840"));
        assert_eq!(l.monthly_cost, dec("87.60"));
        assert!(has_note(l, "price override: test rate"));

        let e = us_with(
            top,
            r#"kind = "rds_proxy"
target_avg_acu = 12"#,
        );
        // 12 ACU x 730 h = 8,760 ACU-h x $0.015 = $131.40
        assert_eq!(cost(&e, "Proxy (per target ACU)"), dec("131.40"));
    }

    #[test]
    fn rds_proxy_for_serverless_v2_per_acu_hour() {
        let e = us(r#"kind = "rds_proxy"
target_avg_acu = 4"#);
        // below the 8-ACU minimum: 8 x 730 h = 5,840 ACU-h x $0.015 (rds_proxy.acu) = $87.60
        assert_eq!(qty(&e, "Proxy (per target ACU)"), dec("5840"));
        assert_eq!(cost(&e, "Proxy (per target ACU)"), dec("87.60"));
        let e = us(r#"kind = "rds_proxy"
target_avg_acu = 10"#);
        // 10 x 730 = 7,300 ACU-h x $0.015 = $109.50
        assert_eq!(cost(&e, "Proxy (per target ACU)"), dec("109.50"));
    }
}
