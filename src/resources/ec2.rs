//! EC2 Linux instances, on demand or on Reserved Instances: type, count, hours or schedule,
//! root EBS volume. [`price_instances`] is shared with NAT instances.

use rust_decimal::Decimal;
use serde::Deserialize;

use super::commitment::Reserved;
use super::ebs::{price_volume, VolumeType};
use super::KindRole;
use super::{check_class, running_hours, Ctx, FieldError, Resource, Schedule, Usage};
use super::{Derived, UnitVolume, UsageKey, Volume};
use crate::capacity::Role;
use crate::num::{Count, NonNeg};
use crate::pricing::{Catalog, Family, PriceError};

#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
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
    /// Every instance on a Reserved Instance (`{ term, payment }`; see `commitment`).
    #[serde(default)]
    pub reserved: super::commitment::ReservedKey,
}

pub const DEFAULT_ROOT_GB: u32 = 8;

/// Instance-hours (on demand, or on `reserved` Reserved Instances) plus root volumes of
/// `count` instances of `instance_type`.
pub fn price_instances(
    ctx: &mut Ctx,
    instance_type: &str,
    count: Decimal,
    hours: Decimal,
    root_gb: Decimal,
    root_type: VolumeType,
    reserved: Option<&Reserved>,
) -> Result<(), PriceError> {
    let label = format!("Instance ({instance_type})");
    let key = format!("ec2.instance.{instance_type}");
    // An autoscaled group: the simulator's instance-hours; volumes follow the average count.
    if let Usage::Derived(instance_hours_total) = ctx.derived(UsageKey::InstanceHours) {
        ctx.running(&label, &key, Usage::Derived(instance_hours_total))?;
        super::note_unserved(ctx, "instances");
        if root_gb > Decimal::ZERO && !ctx.hours_per_month.is_zero() {
            let avg = instance_hours_total / ctx.hours_per_month;
            price_volume(ctx, "Root volume", root_type, root_gb, avg, None, None)?;
        }
        return Ok(());
    }
    super::commitment::instance_hours(ctx, &label, &key, count, hours, reserved)?;
    super::note_unserved(ctx, "instances");
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
        super::fleet_usage(unit, UsageKey::InstanceHours)
    }

    fn role(&self, catalog: &Catalog) -> Role {
        Role::Fleet {
            unit: "instances",
            count: self.count.map_or(1, |c| c.0),
            vcpu_per_unit: catalog
                .ec2
                .get(&self.instance_type)
                .map_or(1.0, |s| f64::from(s.vcpu)),
            week: self.schedule.and_then(|s| s.week()),
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
            self.reserved.get(),
        )
    }
}

impl super::Kind for Ec2 {
    const SCHEDULABLE: bool = true;
    const ROLE: KindRole = KindRole::Fleet;
    const FIXED_HOURS_KEY: Option<&'static str> = Some("hours_per_month");
    const COUNT_KEY: Option<&'static str> = Some("count");
    const MONTH_HOURS_KEYS: &'static [&'static str] = &["hours_per_month"];
    const COMMITMENTS: &'static [&'static str] = &["reserved"];
}

#[cfg(test)]
mod tests {
    //! Hand-checked figures; where their unit prices come from: `crate::testkit`.

    use crate::testkit::{cost, dec, has_line, has_note, line, qty, total, us, us_with};
    use rust_decimal::Decimal;

    #[test]
    fn ec2_instances_and_default_root_volume() {
        let e = us(r#"kind = "ec2"
instance_type = "t3.micro"
count = 2"#);
        // 2 instances x 730 h = 1,460 h x $0.0104 (ec2.instance.t3.micro) = $15.184
        assert_eq!(qty(&e, "Instance (t3.micro)"), dec("1460"));
        assert_eq!(cost(&e, "Instance (t3.micro)"), dec("15.184"));
        // default root volume 8 GB gp3 x 2 = 16 GB-month x $0.08 (ebs.gp3.storage) = $1.28
        assert_eq!(qty(&e, "Root volume gp3 storage"), dec("16"));
        assert_eq!(cost(&e, "Root volume gp3 storage"), dec("1.28"));
        // 15.184 + 1.28 = 16.464
        assert_eq!(total(&e), dec("16.464"));
    }

    #[test]
    fn ec2_weekday_schedule_bills_50_of_168_hours_but_root_volume_all_month() {
        let e = us(r#"kind = "ec2"
instance_type = "m6i.large"
schedule = "weekdays 09-19""#);
        // 5 days x 10 h = 50 h/week; 730 x 50 / 168 = 36,500 / 168 = 217.26190476190476... h
        // (a repeating decimal, so compared at 10 places)
        assert_eq!(
            qty(&e, "Instance (m6i.large)").round_dp(10),
            dec("217.2619047619")
        );
        // 36,500 / 168 x $0.096 (ec2.instance.m6i.large) = 3,504 / 168 = $20.857142857142...
        assert_eq!(
            cost(&e, "Instance (m6i.large)").round_dp(10),
            dec("20.8571428571")
        );
        // the root volume persists while stopped: 8 GB x $0.08 = $0.64, not scheduled
        assert_eq!(cost(&e, "Root volume gp3 storage"), dec("0.64"));
    }

    #[test]
    fn ec2_hours_per_month_and_gp2_root_volume() {
        let e = us(r#"kind = "ec2"
instance_type = "t4g.small"
hours_per_month = 100
root_volume_gb = 20
root_volume_type = "gp2""#);
        // 100 h x $0.0168 (ec2.instance.t4g.small) = $1.68
        assert_eq!(cost(&e, "Instance (t4g.small)"), dec("1.68"));
        // 20 GB x $0.10 (ebs.gp2.storage) = $2.00
        assert_eq!(cost(&e, "Root volume gp2 storage"), dec("2.00"));
    }

    #[test]
    fn ec2_new_account_free_tier_cancels_a_t3_micro() {
        let e = us_with(
            r#"free_tier = "legacy-12-month""#,
            r#"kind = "ec2"
instance_type = "t3.micro""#,
        );
        // 730 h x $0.0104 = $7.592; free 750 h/month (12-month) covers all 730 h
        assert_eq!(cost(&e, "Instance (t3.micro)"), dec("7.592"));
        let free = line(&e, "Free tier: Instance (t3.micro)");
        // credit = min(730, 750) = 730 h x $0.0104 = -$7.592
        assert_eq!(free.quantity, dec("-730"));
        assert_eq!(free.monthly_cost, dec("-7.592"));
        assert!(free.monthly_cost < Decimal::ZERO);
        assert!(has_note(free, "12-month free tier"));
        // root 8 GB x $0.08 = $0.64, free 30 GB covers it: -8 x $0.08 = -$0.64
        assert_eq!(cost(&e, "Free tier: Root volume gp3 storage"), dec("-0.64"));
        // 7.592 + 0.64 - 7.592 - 0.64 = 0
        assert_eq!(total(&e), Decimal::ZERO);
    }

    #[test]
    fn ec2_free_tier_is_off_by_default_and_always_does_not_cover_12_month() {
        let body = r#"kind = "ec2"
instance_type = "t3.micro""#;
        let none = us(body);
        let always = us_with(r#"free_tier = "always""#, body);
        // t3.micro's 750 h are a 12-month allowance: neither scenario gets a credit
        assert!(!has_line(&none, "Free tier: Instance (t3.micro)"));
        assert!(!has_line(&always, "Free tier: Instance (t3.micro)"));
        // 7.592 + 0.64
        assert_eq!(total(&always), dec("8.232"));
    }
}
