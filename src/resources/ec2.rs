//! EC2 instances, on demand, on Reserved Instances or on a Savings Plan: type, operating system,
//! tenancy, count, hours or schedule, root EBS volume, detailed monitoring, and the surplus CPU
//! credits of burstable (T) instances in unlimited mode.
//! [`price_instances`] is shared with NAT instances (always Linux, no credit keys).
//!
//! Price keys: `ec2.instance.{type}` (Linux), `ec2.instance.{type}.{windows|rhel|suse}`, with
//! `.dedicated` after them for Dedicated Instances (plus `ec2.dedicated_region_fee` per hour);
//! detailed monitoring at `cloudwatch.metrics`;
//! surplus credits `ec2.cpu_credits.{t2|t3|t3a|t4g}` (Linux, RHEL and SUSE pay the same rate)
//! and `ec2.cpu_credits.{family}.windows`, per vCPU-hour.

use rust_decimal::Decimal;
use serde::Deserialize;

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
    /// Operating system of the AMI: "linux" (default), "windows", "rhel" or "suse". The
    /// instance-hour price includes the OS licence. Windows is not sold on Graviton (arm64)
    /// types (t4g, m6g, m7g, c6g, c7g, r6g, ...).
    #[serde(default)]
    pub os: Os,
    /// Burstable (t2, t3, t3a, t4g) only: "unlimited" or "standard". AWS launches t3, t3a and
    /// t4g as unlimited and t2 as standard unless told otherwise.
    #[serde(default)]
    pub credit_specification: Option<CreditSpecification>,
    /// Unlimited mode only: surplus CPU credits each instance is billed for per month, in
    /// vCPU-hours (60 credits = 1 vCPU-hour): the CPU time above what the instance earned at
    /// its baseline, averaged over the rolling 24 hours (AWS's `CPUSurplusCreditsCharged`
    /// metric / 60). Priced at AWS's flat per-vCPU-hour credit rate for the family and OS.
    #[serde(default)]
    pub cpu_credit_surplus_vcpu_hours: Option<NonNeg>,
    /// Every instance on a Reserved Instance (`{ term, payment }`; see `commitment`).
    #[serde(default)]
    pub reserved: super::commitment::ReservedKey,
    /// The instance-hours on a Savings Plan (`{ type, term, payment }`; see `commitment`).
    #[serde(default)]
    pub savings_plan: super::commitment::SavingsPlanKey,
    /// CloudWatch detailed monitoring (1-minute metrics), billed as CloudWatch metrics.
    #[serde(default)]
    pub detailed_monitoring: bool,
    /// "default" (shared hardware) or "dedicated" (Dedicated Instances); "host" is refused.
    #[serde(default)]
    pub tenancy: Tenancy,
}

/// Where the instances run: shared hardware, or Dedicated Instances (single-tenant hardware,
/// their own instance-hour rate plus a fee per region-hour).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Tenancy {
    #[default]
    Default,
    Dedicated,
    /// Dedicated Hosts: billed per host, not modelled (refused).
    Host,
}

pub const DEFAULT_ROOT_GB: u32 = 8;

/// The operating system an instance runs; its licence is part of the instance-hour price.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Os {
    #[default]
    Linux,
    Windows,
    Rhel,
    Suse,
}

impl Os {
    /// The suffix of its price key after `ec2.instance.{type}` (none for Linux).
    pub fn key_suffix(self) -> &'static str {
        match self {
            Os::Linux => "",
            Os::Windows => ".windows",
            Os::Rhel => ".rhel",
            Os::Suse => ".suse",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Os::Linux => "Linux",
            Os::Windows => "Windows",
            Os::Rhel => "RHEL",
            Os::Suse => "SUSE",
        }
    }
}

/// The CPU credit option of a burstable instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum CreditSpecification {
    Unlimited,
    Standard,
}

/// What an instance runs beyond its type: OS and, for unlimited burstable instances, the
/// surplus credits each instance is billed per month. `default()` is a Linux instance with no
/// credit charge (what NAT instances use).
#[derive(Debug, Clone, Copy, Default)]
pub struct InstanceOptions {
    pub os: Os,
    /// Surplus vCPU-hours per instance-month (unlimited mode), priced at the credit rate.
    pub surplus_vcpu_hours: Option<Decimal>,
    /// The Reserved Instance every instance is on (`None`: on demand).
    pub reserved: Option<super::commitment::Reserved>,
    /// The Savings Plan the instance-hours are on (`None`: on demand).
    pub savings_plan: Option<super::commitment::SavingsPlan>,
    /// Detailed monitoring on: its metrics billed per instance.
    pub detailed_monitoring: bool,
    /// Dedicated Instances: their own instance-hour key and the per-region fee.
    pub dedicated: bool,
    /// The hours of the week the instances run, for that fee; `None` when only how many is
    /// known (`hours_per_month`, a `"200h"` schedule).
    pub week: Option<super::schedule::Week>,
}

/// Metrics detailed monitoring sends per instance at 1-minute frequency: CPU utilisation, disk
/// read and write bytes and operations, network in and out (sourced in the README).
pub const DETAILED_MONITORING_METRICS: u32 = 7;

/// The family of an instance type: `t3` of `t3.micro`.
pub fn family(instance_type: &str) -> &str {
    instance_type.split('.').next().unwrap_or(instance_type)
}

/// Graviton (arm64) types: `a1`, and families whose generation digit is followed by `g`
/// (t4g, m6g, m7g, c6g, c7g, r6g, r7g, m6gd, c7gn, x2gd, ...).
pub fn is_graviton(instance_type: &str) -> bool {
    let f = family(instance_type);
    if f == "a1" {
        return true;
    }
    let rest = f.trim_start_matches(|c: char| c.is_ascii_lowercase());
    let after = rest.trim_start_matches(|c: char| c.is_ascii_digit());
    rest.len() != after.len() && after.starts_with('g')
}

/// The burstable families (CPU credits): t2, t3, t3a, t4g.
pub fn is_burstable(instance_type: &str) -> bool {
    matches!(family(instance_type), "t2" | "t3" | "t3a" | "t4g")
}

/// AWS's launch default: t2 standard, t3/t3a/t4g unlimited.
pub fn default_credits(instance_type: &str) -> CreditSpecification {
    if family(instance_type) == "t2" {
        CreditSpecification::Standard
    } else {
        CreditSpecification::Unlimited
    }
}

/// Instance-hours plus root volumes of `count` instances of `instance_type`.
pub fn price_instances(
    ctx: &mut Ctx,
    instance_type: &str,
    count: Decimal,
    hours: Decimal,
    root_gb: Decimal,
    root_type: VolumeType,
    opts: InstanceOptions,
) -> Result<(), PriceError> {
    let mut label = match opts.os {
        Os::Linux => format!("Instance ({instance_type}"),
        os => format!("Instance ({instance_type}, {}", os.label()),
    };
    label.push_str(if opts.dedicated { ", dedicated)" } else { ")" });
    let dedicated = if opts.dedicated { ".dedicated" } else { "" };
    let key = format!(
        "ec2.instance.{instance_type}{}{dedicated}",
        opts.os.key_suffix()
    );
    if opts.dedicated {
        region_fee(ctx, hours, opts.week)?;
    }
    // An autoscaled group: the simulator's instance-hours; volumes and surplus credits follow
    // the average count.
    let plan = opts.savings_plan.as_ref();
    if let Usage::Derived(instance_hours_total) = ctx.derived(UsageKey::InstanceHours) {
        let used = Usage::Derived(instance_hours_total);
        super::commitment::covered(ctx, &label, &key, used, plan, true)?;
        super::note_unserved(ctx, "instances");
        if !ctx.hours_per_month.is_zero() {
            let avg = instance_hours_total / ctx.hours_per_month;
            if root_gb > Decimal::ZERO {
                price_volume(ctx, "Root volume", root_type, root_gb, avg, None, None)?;
            }
            price_credits(ctx, instance_type, avg, opts, true)?;
            price_monitoring(ctx, avg, opts, true)?;
        }
        return Ok(());
    }
    if plan.is_some() {
        let used = Usage::Stated(crate::num::mul(count, hours)?);
        super::commitment::covered(ctx, &label, &key, used, plan, true)?;
    } else {
        let reserved = opts.reserved.as_ref();
        super::commitment::instance_hours(ctx, &label, &key, count, hours, reserved)?;
    }
    super::note_unserved(ctx, "instances");
    if root_gb > Decimal::ZERO {
        price_volume(ctx, "Root volume", root_type, root_gb, count, None, None)?;
    }
    price_credits(ctx, instance_type, count, opts, false)?;
    if !ctx.hours_per_month.is_zero() {
        // Metrics are billed for the hours they are sent: a scheduled instance's share.
        let months = crate::num::mul(count, hours)? / ctx.hours_per_month;
        price_monitoring(ctx, months, opts, false)?;
    }
    Ok(())
}

/// Dedicated Instances: AWS's fee for each hour in which at least one Dedicated Instance runs
/// in the region, here for the hours this resource's instances run; the phase pays it once
/// (`pricing::merge_hourly_fees`).
fn region_fee(
    ctx: &mut Ctx,
    hours: Decimal,
    week: Option<super::schedule::Week>,
) -> Result<(), PriceError> {
    ctx.baseline(
        "Dedicated Instances region fee",
        "ec2.dedicated_region_fee",
        hours,
    )?
    .once_per_hour(week)
    .note("charged once per region-hour however many Dedicated Instances run");
    Ok(())
}

/// Detailed monitoring: `instances` instance-months (an average count when autoscaled) each
/// sending [`DETAILED_MONITORING_METRICS`] metrics, at the CloudWatch metric price, so they
/// share its tiers and free allowance with the phase's custom metrics.
fn price_monitoring(
    ctx: &mut Ctx,
    instances: Decimal,
    opts: InstanceOptions,
    derived: bool,
) -> Result<(), PriceError> {
    if !opts.detailed_monitoring {
        return Ok(());
    }
    let per = Decimal::from(DETAILED_MONITORING_METRICS);
    let metrics = crate::num::mul(instances, per)?;
    let amount = if derived {
        Usage::Derived(metrics)
    } else {
        Usage::Stated(metrics)
    };
    ctx.running("Detailed monitoring metrics", "cloudwatch.metrics", amount)?
        .note(format!(
            "{DETAILED_MONITORING_METRICS} metrics per instance at 1-minute frequency, billed as CloudWatch metrics for the hours the instances run ({} instance-months)",
            crate::money::fmt_number(instances.round_dp(4))
        ));
    Ok(())
}

/// Surplus CPU credits of `instances` (an average count when autoscaled), each billed
/// `opts.surplus_vcpu_hours` per month.
fn price_credits(
    ctx: &mut Ctx,
    instance_type: &str,
    instances: Decimal,
    opts: InstanceOptions,
    derived: bool,
) -> Result<(), PriceError> {
    let Some(per_instance) = opts.surplus_vcpu_hours else {
        return Ok(());
    };
    let fam = family(instance_type);
    let key = match opts.os {
        Os::Windows => format!("ec2.cpu_credits.{fam}.windows"),
        _ => format!("ec2.cpu_credits.{fam}"),
    };
    let label = format!("CPU credits ({fam} unlimited surplus)");
    let vcpu_hours = crate::num::mul(instances, per_instance)?;
    let amount = if derived {
        Usage::Derived(vcpu_hours)
    } else {
        Usage::Stated(vcpu_hours)
    };
    ctx.usage(&label, &key, amount)?;
    ctx.note(format!(
        "{} surplus vCPU-hours per instance-month (cpu_credit_surplus_vcpu_hours)",
        crate::money::fmt_number(per_instance)
    ));
    if derived {
        ctx.note("per instance of the simulated average instance count");
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

    /// The credit option in force (burstable types only).
    pub fn credits(&self) -> Option<CreditSpecification> {
        is_burstable(&self.instance_type).then(|| {
            self.credit_specification
                .unwrap_or_else(|| default_credits(&self.instance_type))
        })
    }

    pub fn options(&self) -> InstanceOptions {
        InstanceOptions {
            os: self.os,
            surplus_vcpu_hours: match self.credits() {
                Some(CreditSpecification::Unlimited) => {
                    self.cpu_credit_surplus_vcpu_hours.map(|h| h.0)
                }
                _ => None,
            },
            reserved: self.reserved.get().copied(),
            savings_plan: self.savings_plan.get().copied(),
            detailed_monitoring: self.detailed_monitoring,
            dedicated: self.tenancy == Tenancy::Dedicated,
            week: match (self.hours_per_month, self.schedule) {
                (Some(_), _) => None,
                (None, None) => Some([true; 168]),
                (None, Some(s)) => s.every_hour(),
            },
        }
    }
}

/// Checks of `os` and the credit keys against the instance type.
fn check_options(e: &Ec2) -> Result<(), FieldError> {
    let t = &e.instance_type;
    if e.os == Os::Windows && is_graviton(t) {
        return Err(FieldError::new(
            "os",
            format!("AWS does not sell Windows on {t}: Graviton (arm64) types run Linux, RHEL or SUSE only"),
        )
        .help(Some(
            "choose an x86 type (e.g. t3, m6i, c6i, r6i) or os = \"linux\"".to_string(),
        )));
    }
    if !is_burstable(t) {
        for (set, key) in [
            (e.credit_specification.is_some(), "credit_specification"),
            (
                e.cpu_credit_surplus_vcpu_hours.is_some(),
                "cpu_credit_surplus_vcpu_hours",
            ),
        ] {
            if set {
                return Err(FieldError::new(
                    key,
                    format!("{t} is not a burstable type: CPU credits apply to t2, t3, t3a and t4g only"),
                ));
            }
        }
    }
    if e.cpu_credit_surplus_vcpu_hours.is_some()
        && e.credits() == Some(CreditSpecification::Standard)
    {
        let why = if e.credit_specification.is_some() {
            "credit_specification = \"standard\" never bills surplus credits".to_string()
        } else {
            format!(
                "{} launches in standard mode, which never bills surplus credits",
                family(t)
            )
        };
        return Err(
            FieldError::new("cpu_credit_surplus_vcpu_hours", why).help(Some(
                "set credit_specification = \"unlimited\", or drop cpu_credit_surplus_vcpu_hours"
                    .to_string(),
            )),
        );
    }
    Ok(())
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
        check_class(catalog, Family::Ec2, "instance_type", &self.instance_type)?;
        if self.tenancy == Tenancy::Host {
            return Err(FieldError::new(
                "tenancy",
                "Dedicated Hosts are billed per host, not per instance: costplan does not model them",
            )
            .help(Some(
                "use tenancy = \"dedicated\" (Dedicated Instances) or \"default\"".into(),
            )));
        }
        check_options(self)
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
            self.options(),
        )
    }
}

impl super::Kind for Ec2 {
    const SCHEDULABLE: bool = true;
    const ROLE: KindRole = KindRole::Fleet;
    const FIXED_HOURS_KEY: Option<&'static str> = Some("hours_per_month");
    const COUNT_KEY: Option<&'static str> = Some("count");
    const MONTH_HOURS_KEYS: &'static [&'static str] = &["hours_per_month"];
    const COMMITMENTS: &'static [&'static str] = &["reserved", "savings_plan"];
}

#[cfg(test)]
mod tests {
    //! Hand-checked figures; where their unit prices come from: `crate::testkit`.

    use crate::estimate::Estimate;
    use crate::testkit::{
        cost, dec, err, est, has_line, has_note, line, lines, plan, qty, scenario, tokyo, total,
        us, us_with,
    };
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

    fn us_err(body: &str) -> String {
        err(&scenario("us-east-1", "", body))
    }

    #[test]
    fn ec2_os_linux_is_the_default_and_keeps_its_key() {
        let e = us(r#"kind = "ec2"
instance_type = "t3.micro"
os = "linux""#);
        // same line and price as without `os`: 730 h x $0.0104 = $7.592
        assert_eq!(cost(&e, "Instance (t3.micro)"), dec("7.592"));
    }

    #[test]
    fn ec2_windows_uses_its_own_key() {
        let e = us(r#"kind = "ec2"
instance_type = "m6i.large"
os = "windows""#);
        // 730 h x $0.188 (ec2.instance.m6i.large.windows) = $137.24
        assert_eq!(qty(&e, "Instance (m6i.large, Windows)"), dec("730"));
        assert_eq!(cost(&e, "Instance (m6i.large, Windows)"), dec("137.24"));
        // Linux is unchanged: 730 h x $0.096 = $70.08
        let l = us(r#"kind = "ec2"
instance_type = "m6i.large""#);
        assert_eq!(cost(&l, "Instance (m6i.large)"), dec("70.08"));
    }

    #[test]
    fn ec2_unsourced_os_prices_are_reported_missing_by_key() {
        // no RHEL, SUSE or t2.2xlarge Windows price is sourced: the key is named, never guessed
        for (t, os, key) in [
            ("t3.small", "rhel", "ec2.instance.t3.small.rhel"),
            ("m5.large", "suse", "ec2.instance.m5.large.suse"),
            ("t2.2xlarge", "windows", "ec2.instance.t2.2xlarge.windows"),
        ] {
            let m = us_err(&format!(
                "kind = \"ec2\"\ninstance_type = \"{t}\"\nos = \"{os}\""
            ));
            assert!(m.contains(key), "{m}");
        }
    }

    #[test]
    fn ec2_new_families_and_sizes() {
        // 730 h x $0.0725 (ec2.instance.c7g.large) = $52.925
        let e = us("kind = \"ec2\"\ninstance_type = \"c7g.large\"");
        assert_eq!(cost(&e, "Instance (c7g.large)"), dec("52.925"));
        // 730 h x $0.8064 (ec2.instance.r6g.4xlarge) = $588.672
        let e = us("kind = \"ec2\"\ninstance_type = \"r6g.4xlarge\"");
        assert_eq!(cost(&e, "Instance (r6g.4xlarge)"), dec("588.672"));
        // t3a is burstable: unlimited by default, but its credit rate is not on the AWS page read
        let e = us("kind = \"ec2\"\ninstance_type = \"t3a.small\"");
        assert_eq!(cost(&e, "Instance (t3a.small)"), dec("13.724"));
        // Tokyo, from the Price List read of 2026-09-09: 730 h x $0.0910 (c7g.large) = $66.43;
        // m7g.large 730 h x $0.1054 = $76.942
        let e = tokyo("kind = \"ec2\"\ninstance_type = \"c7g.large\"");
        assert_eq!(cost(&e, "Instance (c7g.large)"), dec("66.43"));
        let e = tokyo("kind = \"ec2\"\ninstance_type = \"m7g.large\"");
        assert_eq!(cost(&e, "Instance (m7g.large)"), dec("76.942"));
        // Tokyo m5.large and c6g.large are priced (see the next test); Windows m5.large has
        // no Tokyo source: missing, by key
        let m = err(&scenario(
            "ap-northeast-1",
            "",
            "kind = \"ec2\"\ninstance_type = \"m5.large\"\nos = \"windows\"",
        ));
        assert!(m.contains("ec2.instance.m5.large.windows"), "{m}");
    }

    #[test]
    fn ec2_tokyo_linux_rates_from_the_offer_file_snapshot() {
        // ap-northeast-1 AmazonEC2 block of the 2026-10-06 snapshot (commitcost-ec2-apn1-2026-10):
        // m5.large 730 h x $0.124 = $90.52; c6i.xlarge 730 h x $0.214 = $156.22;
        // r6g.large 730 h x $0.1216 = $88.768; c6g.large 730 h x $0.0856 = $62.488
        for (t, want) in [
            ("m5.large", "90.52"),
            ("c6i.xlarge", "156.22"),
            ("r6g.large", "88.768"),
            ("c6g.large", "62.488"),
        ] {
            let e = tokyo(&format!("kind = \"ec2\"\ninstance_type = \"{t}\""));
            let l = line(&e, &format!("Instance ({t})"));
            assert_eq!(l.monthly_cost, dec(want), "{t}");
            assert!(!has_note(l, "low-trust price"), "{t}: {:?}", l.notes);
        }
        // t3.micro moved off the third-party table at the same rate: 730 h x $0.0136 = $9.928
        let e = tokyo("kind = \"ec2\"\ninstance_type = \"t3.micro\"");
        let l = line(&e, "Instance (t3.micro)");
        assert_eq!(l.monthly_cost, dec("9.928"));
        assert!(!has_note(l, "low-trust price"), "{:?}", l.notes);
    }

    #[test]
    fn ec2_price_list_records_carry_no_low_trust_note() {
        // t3.small and m5.large are Price List records (pl-ec2-use1-20260320042925):
        // 730 h x $0.0208 = $15.184; 730 h x $0.096 = $70.08
        let e = us("kind = \"ec2\"\ninstance_type = \"t3.small\"");
        let l = line(&e, "Instance (t3.small)");
        assert_eq!(l.monthly_cost, dec("15.184"));
        assert!(!has_note(l, "low-trust price"), "{:?}", l.notes);
        let e = us("kind = \"ec2\"\ninstance_type = \"m5.large\"");
        let l = line(&e, "Instance (m5.large)");
        assert_eq!(l.monthly_cost, dec("70.08"));
        assert!(!has_note(l, "low-trust price"), "{:?}", l.notes);
    }

    #[test]
    fn ec2_us_east_1_snapshot_rates_carry_no_low_trust_note() {
        // t3.medium and r6i.4xlarge moved from third-party tables to the 2026-10-06 offer-file
        // snapshot (commitcost-ec2-use1-2026-10) at the same rates:
        // 730 h x $0.0416 = $30.368; 730 h x $1.008 = $735.84
        let e = us("kind = \"ec2\"\ninstance_type = \"t3.medium\"");
        let l = line(&e, "Instance (t3.medium)");
        assert_eq!(l.monthly_cost, dec("30.368"));
        assert!(!has_note(l, "low-trust price"), "{:?}", l.notes);
        let e = us("kind = \"ec2\"\ninstance_type = \"r6i.4xlarge\"");
        let l = line(&e, "Instance (r6i.4xlarge)");
        assert_eq!(l.monthly_cost, dec("735.84"));
        assert!(!has_note(l, "low-trust price"), "{:?}", l.notes);
        // Windows still rests on a third-party table: 730 h x $0.188 = $137.24, flagged
        let e = us("kind = \"ec2\"\ninstance_type = \"m5.large\"\nos = \"windows\"");
        let l = line(&e, "Instance (m5.large, Windows)");
        assert_eq!(l.monthly_cost, dec("137.24"));
        assert!(has_note(l, "low-trust price"), "{:?}", l.notes);
    }

    #[test]
    fn ec2_us_east_1_windows_burstable_from_the_dated_scrape() {
        // zeebrow-ec2-windows-use1-2023-01-06 (the AWS page's Windows table, us-east-1):
        // t3.micro 730 h x $0.0196 = $14.308, flagged low trust
        let e = us("kind = \"ec2\"\ninstance_type = \"t3.micro\"\nos = \"windows\"");
        let l = line(&e, "Instance (t3.micro, Windows)");
        assert_eq!(l.monthly_cost, dec("14.308"));
        assert!(has_note(l, "low-trust price"), "{:?}", l.notes);
        // t3a.large 730 h x $0.1028 = $75.044; t2.micro 730 h x $0.0162 = $11.826
        let e = us("kind = \"ec2\"\ninstance_type = \"t3a.large\"\nos = \"windows\"");
        assert_eq!(cost(&e, "Instance (t3a.large, Windows)"), dec("75.044"));
        let e = us("kind = \"ec2\"\ninstance_type = \"t2.micro\"\nos = \"windows\"");
        assert_eq!(cost(&e, "Instance (t2.micro, Windows)"), dec("11.826"));
    }

    #[test]
    fn ec2_tokyo_large_burstable_sizes_and_windows_burstable() {
        // 730 h x $0.2176 (ec2.instance.t3.xlarge, Tokyo offer-file snapshot 2026-10-06) = $158.848
        let e = tokyo("kind = \"ec2\"\ninstance_type = \"t3.xlarge\"");
        assert_eq!(cost(&e, "Instance (t3.xlarge)"), dec("158.848"));
        // 730 h x $0.3456 (ec2.instance.t4g.2xlarge) = $252.288
        let e = tokyo("kind = \"ec2\"\ninstance_type = \"t4g.2xlarge\"");
        assert_eq!(cost(&e, "Instance (t4g.2xlarge)"), dec("252.288"));
        // Windows t3.micro: 730 h x $0.0228 = $16.644, and its surplus credits at the Windows
        // rate: 10 vCPU-h x $0.096 (ec2.cpu_credits.t3.windows) = $0.96
        let e = tokyo(
            "kind = \"ec2\"\ninstance_type = \"t3.micro\"\nos = \"windows\"\ncpu_credit_surplus_vcpu_hours = 10",
        );
        let l = line(&e, "Instance (t3.micro, Windows)");
        assert_eq!(l.monthly_cost, dec("16.644"));
        assert!(has_note(l, "low-trust price"), "{:?}", l.notes);
        assert_eq!(cost(&e, "CPU credits (t3 unlimited surplus)"), dec("0.96"));
        // t2.micro Windows: 730 h x $0.0198 = $14.454; t3a.large Windows: 730 h x $0.1255 = $91.615
        let e = tokyo("kind = \"ec2\"\ninstance_type = \"t2.micro\"\nos = \"windows\"");
        assert_eq!(cost(&e, "Instance (t2.micro, Windows)"), dec("14.454"));
        let e = tokyo("kind = \"ec2\"\ninstance_type = \"t3a.large\"\nos = \"windows\"");
        assert_eq!(cost(&e, "Instance (t3a.large, Windows)"), dec("91.615"));
        // Linux t3a.large from the offer-file snapshot: 730 h x $0.0979 = $71.467
        let e = tokyo("kind = \"ec2\"\ninstance_type = \"t3a.large\"");
        assert_eq!(cost(&e, "Instance (t3a.large)"), dec("71.467"));
        // the Windows scrape has no t2.2xlarge: missing, by key
        let m = err(&scenario(
            "ap-northeast-1",
            "",
            "kind = \"ec2\"\ninstance_type = \"t2.2xlarge\"\nos = \"windows\"",
        ));
        assert!(m.contains("ec2.instance.t2.2xlarge.windows"), "{m}");
    }

    #[test]
    fn ec2_windows_on_graviton_is_refused_at_os() {
        for t in [
            "t4g.small",
            "m6g.large",
            "m7g.large",
            "c6g.large",
            "c7g.large",
            "r6g.large",
        ] {
            let m = us_err(&format!(
                "kind = \"ec2\"\ninstance_type = \"{t}\"\nos = \"windows\""
            ));
            assert!(m.contains("test.toml:7:1"), "{m}");
            assert!(m.contains("phases.p.resources.r.os"), "{m}");
            assert!(
                m.contains(&format!("AWS does not sell Windows on {t}")),
                "{m}"
            );
        }
        // RHEL and SUSE are sold on Graviton: only the (missing) price stops them
        let m = us_err(
            r#"kind = "ec2"
instance_type = "m7g.large"
os = "suse""#,
        );
        assert!(m.contains("ec2.instance.m7g.large.suse"), "{m}");
    }

    #[test]
    fn graviton_and_burstable_families() {
        use super::{is_burstable, is_graviton};
        for t in [
            "a1.large",
            "t4g.nano",
            "m6gd.large",
            "c7gn.large",
            "x2gd.large",
            "r7g.large",
        ] {
            assert!(is_graviton(t), "{t}");
        }
        for t in [
            "t3.micro",
            "m5.large",
            "g5.xlarge",
            "c6i.large",
            "m7i.large",
            "t3a.small",
        ] {
            assert!(!is_graviton(t), "{t}");
        }
        assert!(is_burstable("t2.micro") && is_burstable("t3a.nano") && is_burstable("t4g.large"));
        assert!(!is_burstable("m5.large") && !is_burstable("g5.xlarge"));
    }

    #[test]
    fn ec2_t3_is_unlimited_by_default_and_bills_stated_surplus() {
        let e = us(r#"kind = "ec2"
instance_type = "t3.micro"
count = 2
cpu_credit_surplus_vcpu_hours = 30"#);
        // 2 instances x 30 vCPU-h = 60 vCPU-h x $0.05 (ec2.cpu_credits.t3) = $3.00
        assert_eq!(qty(&e, "CPU credits (t3 unlimited surplus)"), dec("60"));
        assert_eq!(cost(&e, "CPU credits (t3 unlimited surplus)"), dec("3.00"));
        // 15.184 + 1.28 + 3.00
        assert_eq!(total(&e), dec("19.464"));
    }

    #[test]
    fn ec2_t4g_credit_rate_and_tokyo() {
        let e = tokyo(
            r#"kind = "ec2"
instance_type = "t4g.small"
credit_specification = "unlimited"
cpu_credit_surplus_vcpu_hours = 10"#,
        );
        // 10 vCPU-h x $0.04 (ec2.cpu_credits.t4g, same in every region) = $0.40
        assert_eq!(cost(&e, "CPU credits (t4g unlimited surplus)"), dec("0.40"));
    }

    #[test]
    fn ec2_no_surplus_no_credit_line() {
        let e = us(r#"kind = "ec2"
instance_type = "t3.micro"
credit_specification = "standard""#);
        assert!(!has_line(&e, "CPU credits (t3 unlimited surplus)"));
    }

    #[test]
    fn ec2_credit_keys_are_refused_where_they_cannot_apply() {
        let m = us_err(
            r#"kind = "ec2"
instance_type = "m6i.large"
credit_specification = "unlimited""#,
        );
        assert!(
            m.contains("test.toml:7:1") && m.contains("resources.r.credit_specification"),
            "{m}"
        );
        assert!(m.contains("m6i.large is not a burstable type"), "{m}");
        let m = us_err(
            r#"kind = "ec2"
instance_type = "c6g.large"
cpu_credit_surplus_vcpu_hours = 5"#,
        );
        assert!(
            m.contains("resources.r.cpu_credit_surplus_vcpu_hours"),
            "{m}"
        );
        assert!(m.contains("not a burstable type"), "{m}");
        let m = us_err(
            r#"kind = "ec2"
instance_type = "t3.micro"
credit_specification = "standard"
cpu_credit_surplus_vcpu_hours = 5"#,
        );
        assert!(
            m.contains("test.toml:8:1") && m.contains("never bills surplus credits"),
            "{m}"
        );
        // t2 launches standard: a surplus needs unlimited said out loud
        let m = us_err(
            r#"kind = "ec2"
instance_type = "t2.micro"
cpu_credit_surplus_vcpu_hours = 5"#,
        );
        assert!(m.contains("t2 launches in standard mode"), "{m}");
        assert!(m.contains("credit_specification = \"unlimited\""), "{m}");
    }

    #[test]
    fn ec2_autoscaled_fleet_bills_surplus_per_average_instance() {
        let p = plan(
            "region = \"us-east-1\"\n[traffic]\navg_rps = 1\nduration_ms = 100\n\
             [phases.p.resources.app]\nkind = \"ec2\"\ninstance_type = \"t3.micro\"\n\
             cpu_credit_surplus_vcpu_hours = 10\n\
             autoscaling = { min = 2, max = 2, target_rps_per_task = 100 }\n",
        );
        let e = &p.estimate;
        let inst = crate::testkit::phase_line(e, 0, "Instance (t3.micro)");
        let credits = crate::testkit::phase_line(e, 0, "CPU credits (t3 unlimited surplus)");
        // the average count is the simulated instance-hours / 730; each bills 10 vCPU-h
        let avg = inst.quantity / dec("730");
        assert_eq!(credits.quantity.round_dp(6), (avg * dec("10")).round_dp(6));
        assert_eq!(credits.quantity.round_dp(4), dec("20"));
        assert!(has_note(credits, "simulated average instance count"));
    }

    #[test]
    fn ec2_t2_and_t3_micro_share_one_750_hour_free_tier() {
        let e = crate::testkit::est(
            "region = \"us-east-1\"\nfree_tier = \"legacy-12-month\"\n\
             [phases.p.resources.a]\nkind = \"ec2\"\ninstance_type = \"t2.micro\"\n\
             [phases.p.resources.b]\nkind = \"ec2\"\ninstance_type = \"t3.micro\"\n",
        );
        // 730 + 730 = 1,460 h against one 750 h allowance: 750 h are credited in all
        let credited: Decimal = lines(&e)
            .iter()
            .filter(|l| l.component.starts_with("Free tier: Instance"))
            .map(|l| l.quantity)
            .sum();
        assert_eq!(credited, dec("-750"));
    }

    #[test]
    fn ec2_t3a_surplus_reports_its_unsourced_credit_rate() {
        let m = us_err(
            "kind = \"ec2\"\ninstance_type = \"t3a.small\"\ncpu_credit_surplus_vcpu_hours = 5",
        );
        assert!(m.contains("ec2.cpu_credits.t3a"), "{m}");
    }

    #[test]
    fn ec2_detailed_monitoring_bills_seven_metrics_per_instance() {
        let body =
            "kind = \"ec2\"\ninstance_type = \"t3.micro\"\ncount = 2\ndetailed_monitoring = true";
        let e = us(body);
        // 2 instances x 7 metrics = 14 metric-months x $0.30 (cloudwatch.metrics, tier 1) = $4.20
        let l = line(&e, "Detailed monitoring metrics");
        assert_eq!(l.quantity, dec("14"));
        assert_eq!(l.monthly_cost, dec("4.20"));
        assert_eq!(l.price_key, "cloudwatch.metrics");
        assert!(has_note(l, "7 metrics per instance at 1-minute frequency"));
        // 15.184 + 1.28 + 4.20
        assert_eq!(total(&e), dec("20.664"));
        // AWS's free tier: "10 Metrics (of Custom Metrics and Detailed Monitoring Metrics)":
        // -10 x $0.30 = -$3.00
        let f = us_with(r#"free_tier = "always""#, body);
        assert_eq!(
            cost(&f, "Free tier: Detailed monitoring metrics"),
            dec("-3.00")
        );
        // off by default: no line
        assert!(!has_line(
            &us("kind = \"ec2\"\ninstance_type = \"t3.micro\""),
            "Detailed monitoring metrics"
        ));
        // Tokyo: 7 x $0.30 = $2.10
        let t = tokyo("kind = \"ec2\"\ninstance_type = \"t3.micro\"\ndetailed_monitoring = true");
        assert_eq!(cost(&t, "Detailed monitoring metrics"), dec("2.10"));
    }

    #[test]
    fn ec2_detailed_monitoring_follows_the_schedule_and_shares_metric_tiers() {
        let e = us("kind = \"ec2\"\ninstance_type = \"t3.micro\"\nschedule = \"weekdays 09-19\"\ndetailed_monitoring = true");
        // 50 of 168 hours: 7 x 50 / 168 = 2.0833... metric-months x $0.30 = $0.625
        assert_eq!(cost(&e, "Detailed monitoring metrics"), dec("0.625"));
        // With 9,995 custom metrics in the phase, the instance's 7 cross the 10,000 tier:
        // 5 at $0.30 and 2 at $0.10 (cloudwatch.metrics tiers, counted per account)
        let e = crate::testkit::est(
            "region = \"us-east-1\"\n[phases.p.resources.cw]\nkind = \"cloudwatch\"\ncustom_metrics = 9995\n\
             [phases.p.resources.app]\nkind = \"ec2\"\ninstance_type = \"t3.micro\"\ndetailed_monitoring = true\n",
        );
        assert_eq!(
            cost(&e, "Detailed monitoring metrics (tier 1)"),
            dec("1.50")
        );
        assert_eq!(qty(&e, "Detailed monitoring metrics (tier 2)"), dec("2"));
        assert_eq!(
            cost(&e, "Detailed monitoring metrics (tier 2)"),
            dec("0.20")
        );
    }

    /// Dedicated rates pinned by override: no checkable source gives them (a test rate each).
    const DEDICATED: &str = "[overrides.\"ec2.instance.m5.large.dedicated\"]\nprice = \"0.2\"\nunit = \"hour\"\nreason = \"test rate\"\n\
        [overrides.\"ec2.dedicated_region_fee\"]\nprice = \"1.5\"\nunit = \"hour\"\nreason = \"test rate\"\n";

    #[test]
    fn ec2_dedicated_instances_bill_their_own_rate_and_the_region_fee() {
        let e = us_with(
            DEDICATED,
            "kind = \"ec2\"\ninstance_type = \"m5.large\"\ncount = 2\ntenancy = \"dedicated\"",
        );
        // 2 x 730 h = 1,460 h x $0.2 (ec2.instance.m5.large.dedicated) = $292
        assert_eq!(cost(&e, "Instance (m5.large, dedicated)"), dec("292"));
        // the fee is per region-hour, not per instance: 730 h x $1.5 = $1,095
        let f = line(&e, "Dedicated Instances region fee");
        assert_eq!(f.quantity, dec("730"));
        assert_eq!(f.monthly_cost, dec("1095"));
        // 292 + 1,095 + root volumes 16 GB x $0.08 = 1.28
        assert_eq!(total(&e), dec("1388.28"));
        // on a schedule the fee follows the hours the instances run: 36,500 / 168 h
        //   = 217.2619047619 h (10 places) x $1.5 = $325.89285714285 -> $325.8928571428 (half even)
        let e = us_with(
            DEDICATED,
            "kind = \"ec2\"\ninstance_type = \"m5.large\"\nschedule = \"weekdays 09-19\"\ntenancy = \"dedicated\"",
        );
        assert_eq!(
            cost(&e, "Dedicated Instances region fee").round_dp(10),
            dec("325.8928571428")
        );
        // default tenancy: the shared key, no fee
        let e = us("kind = \"ec2\"\ninstance_type = \"m5.large\"\ntenancy = \"default\"");
        assert!(has_line(&e, "Instance (m5.large)"));
        assert!(!has_line(&e, "Dedicated Instances region fee"));
    }

    /// Two dedicated resources in one phase (`a`, `b`), the fee's rate pinned by `DEDICATED`.
    fn two_dedicated(a: &str, b: &str) -> Estimate {
        est(&format!(
            "region = \"us-east-1\"\n{DEDICATED}\n[phases.p.resources.a]\nkind = \"ec2\"\ninstance_type = \"m5.large\"\ntenancy = \"dedicated\"\n{a}\n\
             [phases.p.resources.b]\nkind = \"ec2\"\ninstance_type = \"m5.large\"\ntenancy = \"dedicated\"\n{b}\n"
        ))
    }

    #[test]
    fn ec2_dedicated_region_fee_is_charged_once_for_the_phase() {
        let fees = |e: &Estimate| {
            lines(e)
                .iter()
                .filter(|l| l.component == "Dedicated Instances region fee")
                .cloned()
                .collect::<Vec<_>>()
        };
        // always-on and weekdays 09-19: the union is every hour, 730 h x $1.5 = $1,095 once
        let e = two_dedicated("", "schedule = \"weekdays 09-19\"");
        let f = fees(&e);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!((f[0].resource.as_str(), f[0].quantity), ("a", dec("730")));
        assert_eq!(f[0].monthly_cost, dec("1095"));
        assert!(has_note(
            &f[0],
            "any of `a`, `b` runs (168 of the week's 168)"
        ));
        // weekdays 09-19 (50 h a week) and weekends (48 h) do not overlap: 98 of 168 h,
        //   730 x 98 / 168 = 425.8333333333 h (10 places) x $1.5 = $638.74999999995
        //   -> $638.75 (half even at 10 places: the 5 rounds the odd 9 up)
        let e = two_dedicated("schedule = \"weekdays 09-19\"", "schedule = \"weekends\"");
        let f = fees(&e);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].quantity, dec("425.8333333333"));
        assert_eq!(f[0].monthly_cost, dec("638.75"));
        // the same schedule twice is its hours once
        let e = two_dedicated("schedule = \"daily 08-20\"", "schedule = \"daily 08-20\"");
        // daily 08-20 is 84 h a week: 730 x 84 / 168 = 365 h x $1.5 = $547.5
        assert_eq!(fees(&e)[0].quantity, dec("365"));
        assert_eq!(fees(&e)[0].monthly_cost, dec("547.5"));
        // a number of hours says nothing of when: 200 h + 600 h = 800 h, at most 730 h,
        //   an upper bound said on the line: 730 x $1.5 = $1,095
        let e = two_dedicated("hours_per_month = 200", "hours_per_month = 600");
        let f = fees(&e);
        assert_eq!((f.len(), f[0].quantity), (1, dec("730")));
        assert!(has_note(&f[0], "an upper bound"));
        // 200 h + 300 h = 500 h is under the month: 500 x $1.5 = $750
        let e = two_dedicated("hours_per_month = 200", "hours_per_month = 300");
        assert_eq!(fees(&e)[0].monthly_cost, dec("750"));
        // the instance lines stay per resource: 200 h and 300 h at $0.2 = $40 and $60, and two
        //   root volumes of 8 GB x $0.08 = $1.28
        assert_eq!(total(&e), dec("750") + dec("40") + dec("60") + dec("1.28"));
    }

    #[test]
    fn ec2_dedicated_prices_are_missing_by_key_and_hosts_are_refused() {
        let m = us_err("kind = \"ec2\"\ninstance_type = \"m5.large\"\nos = \"windows\"\ntenancy = \"dedicated\"");
        assert!(m.contains("ec2.instance.m5.large.windows.dedicated"), "{m}");
        assert!(m.contains("ec2.dedicated_region_fee"), "{m}");
        let m = us_err("kind = \"ec2\"\ninstance_type = \"m5.large\"\ntenancy = \"host\"");
        assert!(
            m.contains("resources.r.tenancy`: Dedicated Hosts are billed per host"),
            "{m}"
        );
    }
}
