//! RDS Proxy: billed per vCPU-hour of the database instances it serves (minimum 2 vCPUs), or
//! per ACU-hour for Aurora Serverless v2 targets (minimum 8 ACUs).

use rust_decimal::Decimal;
use serde::Deserialize;

use super::{check_class, running_hours, Ctx, FieldError, Resource, Schedule};
use crate::capacity::Role;
use crate::money::fmt_number;
use crate::num::{mul, Count, NonNeg};
use crate::pricing::{Catalog, Family, PriceError};

#[derive(Debug, Clone, Deserialize)]
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
