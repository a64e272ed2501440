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

#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Fargate {
    /// vCPU per task: 0.25, 0.5, 1, 2, 4, 8 or 16.
    pub cpu: Positive,
    /// Memory per task in GB, from the pairs AWS allows for `cpu`.
    pub memory_gb: Positive,
    #[serde(default)]
    pub architecture: Arch,
    /// Tasks running all month (or on `schedule`); default 1. Not with `task_hours`.
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
    /// The on-demand vCPU and memory on a Compute Savings Plan (`{ type, term, payment }`;
    /// see `commitment`).
    #[serde(default)]
    pub savings_plan: super::commitment::SavingsPlanKey,
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
        super::fleet_usage(unit, UsageKey::TaskHours)
    }

    fn role(&self, _: &Catalog) -> Role {
        Role::Fleet {
            unit: "tasks",
            count: self.tasks.map_or(1, |c| c.0),
            vcpu_per_unit: crate::capacity::to_f64(self.cpu.0),
            week: self.schedule.and_then(|s| s.week()),
        }
    }

    fn validate(&self, _: &Catalog) -> Result<(), FieldError> {
        // Billed from one and simulated from the other, they would disagree.
        if self.tasks.is_some() && self.task_hours.is_some() {
            return Err(FieldError::new(
                "task_hours",
                "give either `tasks` (running all month or on `schedule`) or `task_hours` (task-hours per month), not both",
            )
            .help(Some(
                "`task_hours` is already the monthly total of all tasks: 2 tasks all month is tasks = 2 or task_hours = 1460".into(),
            )));
        }
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
        super::commitment::compute_only(&self.savings_plan, "Fargate")
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
        let plan = self.savings_plan.get();
        super::commitment::covered(
            ctx,
            "vCPU",
            &format!("fargate.vcpu.{arch}"),
            as_hours(mul(on_demand, self.cpu.0)?),
            plan,
            true,
        )?;
        ctx.note(format!(
            "{} task-hours x {size}",
            fmt_number(on_demand.round_dp(4))
        ));
        super::note_unserved(ctx, "tasks");
        super::commitment::covered(
            ctx,
            "Memory",
            &format!("fargate.memory.{arch}"),
            as_hours(mul(on_demand, self.memory_gb.0)?),
            plan,
            true,
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
    const COUNT_KEY: Option<&'static str> = Some("tasks");
    const COMMITMENTS: &'static [&'static str] = &["savings_plan"];
}

#[cfg(test)]
mod tests {
    //! Hand-checked figures; where their unit prices come from: `crate::testkit`.

    use crate::testkit::{cost, dec, err, has_line, line, qty, scenario, tokyo, total, us};

    #[test]
    fn fargate_two_tasks_all_month() {
        let e = us(r#"kind = "fargate"
cpu = 2
memory_gb = 4
tasks = 2"#);
        // 2 tasks x 730 h x 2 vCPU = 2,920 vCPU-h x $0.04048 (fargate.vcpu.x86_64) = $118.2016
        assert_eq!(qty(&e, "vCPU"), dec("2920"));
        assert_eq!(cost(&e, "vCPU"), dec("118.2016"));
        // 2 x 730 h x 4 GB = 5,840 GB-h x $0.004445 (fargate.memory.x86_64) = $25.9588
        assert_eq!(qty(&e, "Memory"), dec("5840"));
        assert_eq!(cost(&e, "Memory"), dec("25.9588"));
        assert_eq!(total(&e), dec("144.1604"));
    }

    #[test]
    fn fargate_aws_examples_1_and_3() {
        // AWS Fargate pricing, Example 3: 10 EKS pods x 1 h/day x 30 days = 300 pod-hours,
        // 0.25 vCPU, 1 GB.
        let e = us(r#"kind = "fargate"
cpu = 0.25
memory_gb = 1
task_hours = 300"#);
        // 300 h x 0.25 vCPU = 75 vCPU-h x $0.04048 = $3.036 (AWS: 10 x 0.25 x 0.000011244 x 3600
        // x 30 = $3.04)
        assert_eq!(cost(&e, "vCPU"), dec("3.036"));
        // 300 h x 1 GB = 300 GB-h x $0.004445 = $1.3335 (AWS: $1.33)
        assert_eq!(cost(&e, "Memory"), dec("1.3335"));
        // AWS total $4.37
        assert_eq!(total(&e).round_dp(2), dec("4.37"));

        // AWS Fargate pricing, Example 1: 5 tasks x 600 s/day x 30 days = 25 task-hours, 1 vCPU,
        // 2 GB (its 10 GB extra ephemeral storage is not modelled).
        let e = us(r#"kind = "fargate"
cpu = 1
memory_gb = 2
task_hours = 25"#);
        // 25 vCPU-h x $0.04048 = $1.012 (AWS: $1.01); 50 GB-h x $0.004445 = $0.22225 (AWS: $0.22)
        assert_eq!(cost(&e, "vCPU"), dec("1.012"));
        assert_eq!(cost(&e, "Memory"), dec("0.22225"));
    }

    #[test]
    fn fargate_aws_example_2_arm64() {
        // AWS Fargate pricing, Example 2 (Graviton): 25 task-hours, 1 vCPU, 2 GB, Linux/ARM.
        let e = us(r#"kind = "fargate"
cpu = 1
memory_gb = 2
architecture = "arm64"
task_hours = 25"#);
        // 25 vCPU-h x $0.03238 (fargate.vcpu.arm64) = $0.8095 (AWS: $0.81)
        assert_eq!(cost(&e, "vCPU"), dec("0.8095"));
        // 50 GB-h x $0.00356 (fargate.memory.arm64) = $0.178 (AWS: $0.18)
        assert_eq!(cost(&e, "Memory"), dec("0.178"));
    }

    #[test]
    fn fargate_tokyo_prices() {
        let e = tokyo(
            r#"kind = "fargate"
cpu = 1
memory_gb = 2"#,
        );
        // ap-northeast-1: 730 vCPU-h x $0.05056 = $36.9088
        assert_eq!(cost(&e, "vCPU"), dec("36.9088"));
        // 1,460 GB-h x $0.00553 = $8.0738
        assert_eq!(cost(&e, "Memory"), dec("8.0738"));
    }

    #[test]
    fn fargate_invalid_cpu_memory_pair_is_an_error() {
        let msg = err(&scenario(
            "us-east-1",
            "",
            r#"kind = "fargate"
cpu = 1
memory_gb = 16"#,
        ));
        assert!(msg.contains("invalid Fargate CPU/memory pair"), "{msg}");
        // 1 vCPU allows 2-8 GB
        assert!(msg.contains("2, 3, 4, 5, 6, 7, 8"), "{msg}");
    }

    #[test]
    fn fargate_task_hours_with_a_schedule_is_an_error() {
        let msg = err(&scenario(
            "us-east-1",
            "",
            r#"kind = "fargate"
cpu = 1
memory_gb = 2
task_hours = 300
schedule = "weekdays 09-19""#,
        ));
        assert!(msg.contains("give either `task_hours`"), "{msg}");
        assert!(msg.contains("test.toml:"), "{msg}");
    }

    #[test]
    fn fargate_tasks_with_task_hours_is_an_error() {
        // Billed from `task_hours` and simulated from `tasks`, the two would disagree.
        let msg = err(&scenario(
            "us-east-1",
            "",
            "kind = \"fargate\"\ncpu = 1\nmemory_gb = 2\ntasks = 2\ntask_hours = 300",
        ));
        assert!(msg.contains("give either `tasks`"), "{msg}");
    }

    #[test]
    fn fargate_ephemeral_storage_aws_examples_1_and_2() {
        // AWS Fargate pricing, Example 1: 5 tasks x 600 s/day x 30 days = 25 task-hours, 1 vCPU,
        // 2 GB, 30 GB ephemeral storage (10 GB above the free 20).
        let e = us(r#"kind = "fargate"
cpu = 1
memory_gb = 2
task_hours = 25
ephemeral_storage_gb = 30"#);
        // 25 h x 10 GB = 250 GB-h x $0.000111 (fargate.ephemeral_storage, the Price List's
        // GB-hour rate) = $0.02775 (AWS page, per second: 5 x 10 x 0.0000000308 x 600 x 30 =
        // 0.02772 -> $0.03; the two agree to the cent)
        let st = line(&e, "Ephemeral storage above 20 GB");
        assert_eq!(st.quantity, dec("250"));
        assert_eq!(st.monthly_cost, dec("0.02775"));
        // 1.012 + 0.22225 + 0.02775 = 1.262 (AWS: $1.01 + $0.22 + $0.03 = $1.26)
        assert_eq!(total(&e), dec("1.262"));
        assert_eq!(total(&e).round_dp(2), dec("1.26"));

        // Example 2: the same on Linux/ARM; storage has one rate for both architectures.
        let e = us(r#"kind = "fargate"
cpu = 1
memory_gb = 2
architecture = "arm64"
task_hours = 25
ephemeral_storage_gb = 30"#);
        // 0.8095 + 0.178 + 0.02775 = 1.01525 (AWS: $0.81 + $0.18 + $0.03 = $1.02)
        assert_eq!(total(&e), dec("1.01525"));
        assert_eq!(total(&e).round_dp(2), dec("1.02"));

        // 20 GB is free: no storage line.
        let e = us(r#"kind = "fargate"
cpu = 1
memory_gb = 2
ephemeral_storage_gb = 20"#);
        assert!(!has_line(&e, "Ephemeral storage above 20 GB"));
    }

    #[test]
    fn fargate_ephemeral_storage_range_tokyo_price_and_no_spot_price() {
        for gb in ["10", "300"] {
            let msg = err(&scenario(
                "us-east-1",
                "",
                &format!("kind = \"fargate\"\ncpu = 1\nmemory_gb = 2\nephemeral_storage_gb = {gb}"),
            ));
            assert!(msg.contains("20-200 GB"), "{msg}");
        }
        // Tokyo: 25 task-hours x 10 GB above the free 20 = 250 GB-h x $0.000133
        // (fargate.ephemeral_storage, APN1-Fargate-EphemeralStorage-GB-Hours) = $0.03325
        let e = tokyo(
        "kind = \"fargate\"\ncpu = 1\nmemory_gb = 2\ntask_hours = 25\nephemeral_storage_gb = 30",
    );
        assert_eq!(cost(&e, "Ephemeral storage above 20 GB"), dec("0.03325"));
        // Spot: no book has a Fargate Spot rate, so a Spot share is a "no price" error.
        for region in ["us-east-1", "ap-northeast-1"] {
            let msg = err(&scenario(
                region,
                "",
                "kind = \"fargate\"\ncpu = 1\nmemory_gb = 2\nspot_percent = 50",
            ));
            assert!(
                msg.contains(&format!(
                    "no price for `fargate.spot.vcpu.x86_64` in {region}"
                )),
                "{msg}"
            );
        }
    }
}
