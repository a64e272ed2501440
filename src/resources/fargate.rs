//! ECS/EKS on Fargate: vCPU-hours and GB-hours per architecture, only the CPU/memory pairs AWS
//! supports, ephemeral storage above the free 20 GB, optional Spot share.
//!
//! Running time is given once: `tasks` (default 1) running all month or on `schedule`, or
//! `task_hours`, a monthly total. `task_hours` with a `schedule` is an error rather than a
//! scaling: the total already says how long tasks run, and multiplying it by the schedule's
//! share of the month would count the off-hours twice (and silently ignoring the schedule, as
//! costplan once did, prices something the scenario did not say).

use rust_decimal::Decimal;
use serde::Deserialize;

use super::KindRole;
use super::{running_hours, Arch, Ctx, FieldError, Resource, Schedule, Usage};
use super::{Derived, UnitVolume, UsageKey, Volume};
use crate::capacity::Role;
use crate::money::fmt_number;
use crate::num::{mul, Count, NonNeg, Percent, Positive};
use crate::pricing::{Catalog, PriceError};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fargate {
    /// vCPU per task: 0.25, 0.5, 1, 2, 4, 8 or 16.
    pub cpu: Positive,
    /// Memory per task in GB, from the pairs AWS allows for `cpu`.
    pub memory_gb: Positive,
    #[serde(default)]
    pub architecture: Arch,
    /// Tasks running all month (or on `schedule`); default 1. Ignored when `task_hours` is set.
    #[serde(default)]
    pub tasks: Option<Count>,
    /// Task-hours per month (instead of `tasks`), e.g. from an autoscaling profile.
    #[serde(default)]
    pub task_hours: Option<NonNeg>,
    #[serde(default)]
    pub schedule: Option<Schedule>,
    /// Share of task-hours on Fargate Spot (0-100).
    #[serde(default)]
    pub spot_percent: Option<Percent>,
    /// Ephemeral storage per task in GB (20-200); the first 20 GB are free.
    #[serde(default)]
    pub ephemeral_storage_gb: Option<Positive>,
}

/// Ephemeral storage every task gets at no charge, GB (AWS Fargate pricing page).
const FREE_EPHEMERAL_GB: u32 = 20;
/// Most ephemeral storage a task can configure, GB (Amazon ECS task definition limit).
const MAX_EPHEMERAL_GB: u32 = 200;

/// Memory range (GB) and step allowed for a vCPU size (AWS Fargate task size table).
fn memory_options(cpu: Decimal) -> Option<Vec<Decimal>> {
    let d = |s: &str| s.parse::<Decimal>().unwrap_or_default();
    let range = |lo: i64, hi: i64, step: i64| {
        (lo..=hi)
            .step_by(step as usize)
            .map(Decimal::from)
            .collect::<Vec<_>>()
    };
    Some(match cpu.normalize().to_string().as_str() {
        "0.25" => vec![d("0.5"), d("1"), d("2")],
        "0.5" => range(1, 4, 1),
        "1" => range(2, 8, 1),
        "2" => range(4, 16, 1),
        "4" => range(8, 30, 1),
        "8" => range(16, 60, 4),
        "16" => range(32, 120, 8),
        _ => return None,
    })
}

impl Resource for Fargate {
    fn derive_usage(&self, _: &Volume, unit: Option<&UnitVolume>) -> Derived {
        let mut d = Derived::new();
        if let Some(u) = unit.filter(|u| u.autoscaled) {
            d.amount(UsageKey::TaskHours, u.unit_seconds / 3600.0);
        }
        d
    }

    fn role(&self, _: &Catalog) -> Role {
        Role::Fleet {
            unit: "tasks",
            count: self.tasks.map_or(1, |c| c.0),
            vcpu_per_unit: crate::capacity::to_f64(self.cpu.0),
        }
    }

    fn validate(&self, _: &Catalog) -> Result<(), FieldError> {
        if self.task_hours.is_some() && self.schedule.is_some() {
            return Err(FieldError::new(
                "schedule",
                "give either `task_hours` (task-hours per month) or `schedule` (with `tasks`), not both",
            )
            .help(Some(
                "`task_hours` is already a monthly total; a schedule such as \"weekdays 09-19\" applies to `tasks`".into(),
            )));
        }
        if let Some(e) = self.ephemeral_storage_gb {
            if e.0 < Decimal::from(FREE_EPHEMERAL_GB) || e.0 > Decimal::from(MAX_EPHEMERAL_GB) {
                return Err(FieldError::new(
                    "ephemeral_storage_gb",
                    format!(
                        "Fargate ephemeral storage is {FREE_EPHEMERAL_GB}-{MAX_EPHEMERAL_GB} GB per task, got {}",
                        fmt_number(e.0)
                    ),
                ));
            }
        }
        let Some(options) = memory_options(self.cpu.0) else {
            return Err(FieldError::new(
                "cpu",
                format!("Fargate has no {} vCPU task size", self.cpu.0),
            )
            .help(Some("valid: 0.25, 0.5, 1, 2, 4, 8, 16".into())));
        };
        if !options.contains(&self.memory_gb.0.normalize()) {
            let list: Vec<String> = options.iter().map(|m| fmt_number(*m)).collect();
            return Err(FieldError::new(
                "memory_gb",
                format!(
                    "invalid Fargate CPU/memory pair: {} vCPU with {} GB",
                    fmt_number(self.cpu.0),
                    fmt_number(self.memory_gb.0)
                ),
            )
            .help(Some(format!(
                "with {} vCPU use one of: {} GB",
                fmt_number(self.cpu.0),
                list.join(", ")
            ))));
        }
        Ok(())
    }

    fn price(&self, ctx: &mut Ctx) -> Result<(), PriceError> {
        let arch = self.architecture.key();
        // Stated task-hours, else the simulated autoscaler's, else tasks x running hours.
        let hours = match (self.task_hours, ctx.derived(UsageKey::TaskHours)) {
            (Some(h), _) => Usage::Stated(h.0),
            (None, Usage::Derived(h)) => Usage::Derived(h),
            _ => Usage::Stated(mul(
                self.tasks.map_or(Decimal::ONE, |c| c.dec()),
                running_hours(self.schedule.as_ref(), ctx.hours_per_month),
            )?),
        };
        let (Usage::Stated(task_hours) | Usage::Derived(task_hours)) = hours else {
            return Ok(());
        };
        let spot = self.spot_percent.map_or(Decimal::ZERO, |p| p.fraction());
        let on_demand = task_hours * (Decimal::ONE - spot);
        let as_hours = |h: Decimal| hours.map(|_| h);
        let size = format!(
            "{} vCPU / {} GB",
            fmt_number(self.cpu.0),
            fmt_number(self.memory_gb.0)
        );
        ctx.running(
            "vCPU",
            &format!("fargate.vcpu.{arch}"),
            as_hours(mul(on_demand, self.cpu.0)?),
        )?
        .note(format!(
            "{} task-hours x {size}",
            fmt_number(on_demand.round_dp(4))
        ));
        ctx.running(
            "Memory",
            &format!("fargate.memory.{arch}"),
            as_hours(mul(on_demand, self.memory_gb.0)?),
        )?;
        // Per GB-hour above the free 20 GB, on every task-hour. The pricing page lists no separate
        // Spot storage rate, so Spot task-hours are charged this rate too (an assumption).
        if let Some(extra) = self
            .ephemeral_storage_gb
            .map(|e| e.0 - Decimal::from(FREE_EPHEMERAL_GB))
            .filter(|x| *x > Decimal::ZERO)
        {
            ctx.baseline(
                "Ephemeral storage above 20 GB",
                "fargate.ephemeral_storage",
                mul(task_hours, extra)?,
            )?
            .note(format!(
                "{} task-hours x {} GB above the free {FREE_EPHEMERAL_GB} GB",
                fmt_number(task_hours),
                fmt_number(extra)
            ));
        }
        if !spot.is_zero() {
            let spot_hours = task_hours * spot;
            ctx.usage(
                "Spot vCPU",
                &format!("fargate.spot.vcpu.{arch}"),
                Usage::Stated(mul(spot_hours, self.cpu.0)?),
            )?;
            ctx.usage(
                "Spot memory",
                &format!("fargate.spot.memory.{arch}"),
                Usage::Stated(mul(spot_hours, self.memory_gb.0)?),
            )?;
        }
        Ok(())
    }
}

impl super::Kind for Fargate {
    const SCHEDULABLE: bool = true;
    const ROLE: KindRole = KindRole::Fleet;
    const FIXED_HOURS_KEY: Option<&'static str> = Some("task_hours");
}
