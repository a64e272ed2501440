//! EC2 on-demand Linux instances: type, count, hours or schedule, root EBS volume.
//! [`price_instances`] is shared with NAT instances.

use rust_decimal::Decimal;
use serde::Deserialize;

use super::ebs::{price_volume, VolumeType};
use super::KindRole;
use super::{
    check_class, instance_hours, running_hours, Ctx, FieldError, Resource, Schedule, Usage,
};
use super::{Derived, UnitVolume, UsageKey, Volume};
use crate::capacity::Role;
use crate::num::{Count, NonNeg};
use crate::pricing::{Catalog, Family, PriceError};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ec2 {
    pub instance_type: String,
    #[serde(default)]
    pub count: Option<Count>,
    /// Hours per month each instance runs (instead of `schedule`).
    #[serde(default)]
    pub hours_per_month: Option<NonNeg>,
    #[serde(default)]
    pub schedule: Option<Schedule>,
    /// Root volume size in GB (default 8, the Amazon Linux 2023 default).
    #[serde(default)]
    pub root_volume_gb: Option<NonNeg>,
    #[serde(default)]
    pub root_volume_type: VolumeType,
}

pub const DEFAULT_ROOT_GB: u32 = 8;

/// Instance-hours plus root volumes of `count` instances of `instance_type`.
pub fn price_instances(
    ctx: &mut Ctx,
    instance_type: &str,
    count: Decimal,
    hours: Decimal,
    root_gb: Decimal,
    root_type: VolumeType,
) -> Result<(), PriceError> {
    let label = format!("Instance ({instance_type})");
    let key = format!("ec2.instance.{instance_type}");
    // An autoscaled group: the simulator's instance-hours; volumes follow the average count.
    if let Usage::Derived(instance_hours_total) = ctx.derived(UsageKey::InstanceHours) {
        ctx.running(&label, &key, Usage::Derived(instance_hours_total))?;
        if root_gb > Decimal::ZERO && !ctx.hours_per_month.is_zero() {
            let avg = instance_hours_total / ctx.hours_per_month;
            price_volume(ctx, "Root volume", root_type, root_gb, avg, None, None)?;
        }
        return Ok(());
    }
    instance_hours(ctx, &label, &key, count, hours)?;
    if root_gb > Decimal::ZERO {
        price_volume(ctx, "Root volume", root_type, root_gb, count, None, None)?;
    }
    Ok(())
}

impl Ec2 {
    pub fn hours(&self, hours_per_month: Decimal) -> Decimal {
        self.hours_per_month.map_or_else(
            || running_hours(self.schedule.as_ref(), hours_per_month),
            |h| h.0,
        )
    }
}

impl Resource for Ec2 {
    fn derive_usage(&self, _: &Volume, unit: Option<&UnitVolume>) -> Derived {
        let mut d = Derived::new();
        if let Some(u) = unit.filter(|u| u.autoscaled) {
            d.amount(UsageKey::InstanceHours, u.unit_seconds / 3600.0);
        }
        d
    }

    fn role(&self, catalog: &Catalog) -> Role {
        Role::Fleet {
            unit: "instances",
            count: self.count.map_or(1, |c| c.0),
            vcpu_per_unit: catalog
                .ec2
                .get(&self.instance_type)
                .map_or(1.0, |s| f64::from(s.vcpu)),
        }
    }

    fn validate(&self, catalog: &Catalog) -> Result<(), FieldError> {
        if self.hours_per_month.is_some() && self.schedule.is_some() {
            return Err(FieldError::new(
                "schedule",
                "give either `hours_per_month` or `schedule`, not both",
            ));
        }
        check_class(catalog, Family::Ec2, "instance_type", &self.instance_type).map(|_| ())
    }

    fn price(&self, ctx: &mut Ctx) -> Result<(), PriceError> {
        let count = self.count.map_or(Decimal::ONE, |c| c.dec());
        let hours = self.hours(ctx.hours_per_month);
        let root = self
            .root_volume_gb
            .map_or(Decimal::from(DEFAULT_ROOT_GB), |g| g.0);
        price_instances(
            ctx,
            &self.instance_type,
            count,
            hours,
            root,
            self.root_volume_type,
        )
    }
}

impl super::Kind for Ec2 {
    const SCHEDULABLE: bool = true;
    const ROLE: KindRole = KindRole::Fleet;
    const FIXED_HOURS_KEY: Option<&'static str> = Some("hours_per_month");
}
