//! The traffic/concurrency simulator: from a scenario's traffic profile to the demand each phase
//! sees (Lambda concurrency, fleet sizes, DB connections), the usage that feeds the price models,
//! the phase's triggers, and the traffic at which each trigger starts to fire.
//!
//! Simulation runs in f64. What a month measured leaves as a [`Volume`] ([`volume`]); each
//! resource kind turns it into its usage (see `crate::usage`), where quantities cross into
//! `Decimal`.

pub mod check;
pub mod draws;
pub mod engine;
pub mod exact;
pub mod peak;
pub mod poisson;
pub mod reference;
mod round;
pub mod trigger;

use indexmap::IndexMap;
use rayon::prelude::*;

pub use crate::scenario::traffic::{SimSettings, Traffic, TrafficProfile};
use crate::scenario::workload::ComputeDetail;
pub use crate::scenario::workload::{PhaseModel, Workload};
use crate::usage::{Demand, Gauges, UnitVolume, Volume};
pub use engine::{simulate, simulate_many, Metric, SimResult};
pub use trigger::Trigger;

/// The q-quantile of a request duration, ms (the simulator's per-step latency).
impl crate::scenario::traffic::Duration {
    pub fn quantile_ms(&self, q: f64) -> f64 {
        use crate::scenario::traffic::Duration;
        match *self {
            Duration::Fixed { ms } => ms,
            Duration::LogNormal { mu, sigma, .. } => {
                (mu + sigma * poisson::normal_quantile(q)).exp()
            }
            Duration::Exponential { mean_ms } => -mean_ms * (1.0 - q).ln(),
        }
    }
}

/// What a simulated month measured, for the resources' usage derivation: the phase's volume,
/// and what each compute resource served, by name.
pub fn volume(
    model: &PhaseModel,
    sim: &SimResult,
    profile: &TrafficProfile,
    hours_per_month: f64,
) -> (Volume, IndexMap<String, UnitVolume>) {
    let month = Volume {
        requests: sim.requests,
        month_seconds: sim.month_seconds,
        hours_per_month,
        mean_duration_ms: profile.duration.mean_ms(),
        request_bytes: profile.request_bytes,
        response_bytes: profile.response_bytes,
        nat_bytes_per_request: profile.nat_bytes_per_request,
        mau: profile.mau_at(sim.scale),
        hourly_rps: hourly_rps(sim),
    };
    let units = model
        .compute
        .iter()
        .zip(&sim.compute)
        .map(|(unit, totals)| {
            let (autoscaled, week) = match &unit.detail {
                ComputeDetail::Fleet { scaling, week, .. } => (scaling.is_some(), week.as_deref()),
                ComputeDetail::Lambda { .. } => (false, None),
            };
            (
                unit.name.clone(),
                UnitVolume {
                    requests: totals.requests,
                    billed_ms: totals.billed_ms,
                    unit_seconds: totals.unit_seconds
                        * week.map_or(1.0, |w| average_month_share(w, sim.month_seconds)),
                    unserved: totals.unserved,
                    provisioned_requests: totals.provisioned_requests,
                    autoscaled,
                },
            )
        })
        .collect();
    (month, units)
}

/// The simulated month starts on a Monday at 00:00, so it holds a little more or less of a
/// weekly schedule than the average month the bill uses (221 h of "weekdays 09-19" in 730 h,
/// where the average month has 730 x 50 / 168 = 217.26 h). A scheduled fleet's simulated
/// unit-seconds are scaled by average / simulated on-time, so a fleet that autoscaling holds
/// at N units costs what N fixed units on the same schedule cost.
fn average_month_share(week: &[bool; 168], month_seconds: f64) -> f64 {
    let on_per_week = week.iter().filter(|h| **h).count() as f64;
    let average = month_seconds * on_per_week / 168.0;
    let hours = (month_seconds / 3600.0).ceil() as usize;
    let simulated: f64 = (0..hours)
        .filter(|h| week[h % 168])
        .map(|h| (month_seconds - h as f64 * 3600.0).min(3600.0))
        .sum();
    if simulated > 0.0 {
        average / simulated
    } else {
        0.0
    }
}

/// The mean request rate of each hour (of each 60 minutes; the last hour may be shorter).
fn hourly_rps(sim: &SimResult) -> Vec<f64> {
    let minutes = sim.series.sums(Metric::Rps).len();
    (0..minutes)
        .collect::<Vec<_>>()
        .chunks(60)
        .map(|h| {
            h.iter()
                .map(|&i| sim.series.mean(Metric::Rps, i))
                .sum::<f64>()
                / h.len() as f64
        })
        .collect()
}

/// Turns a simulated month into the phase's derived usage and its capacity volume figures
/// (supplied by the caller, which knows the resource kinds).
pub type Derive<'a> =
    dyn Fn(&Volume, &IndexMap<String, UnitVolume>) -> (Demand, Gauges) + Sync + 'a;

/// Lambda concurrency over the month.
#[derive(Debug, Clone, PartialEq)]
pub struct LambdaStats {
    /// Time-average concurrency (Little's law).
    pub mean: f64,
    /// 95th percentile of the per-minute maximum.
    pub p95: f64,
    pub max: f64,
    pub throttled_requests: f64,
    pub cold_starts: f64,
}

/// Tasks/instances chosen by the autoscaler (or fixed).
#[derive(Debug, Clone, PartialEq)]
pub struct TaskStats {
    pub min: f64,
    pub mean: f64,
    pub max: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DbStats {
    pub name: String,
    pub engine: &'static str,
    pub basis: String,
    pub max_connections: u32,
    pub usable: u32,
    pub peak: f64,
    pub headroom_pct: f64,
    /// The proxy between the compute and the database, if any.
    pub via_proxy: Option<String>,
}

/// One trigger's outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct TriggerResult {
    pub rule: String,
    pub builtin: bool,
    /// Fires at the expected traffic.
    pub fires: bool,
    /// Lowest traffic scale (× the profile) at which it fires; `None` if not up to the search cap.
    pub first_fires_at_scale: Option<f64>,
    pub first_fires_at_rps: Option<f64>,
    pub first_fires_at_mau: Option<f64>,
}

/// Where a phase stops holding: the first trigger or limit as traffic grows.
#[derive(Debug, Clone, PartialEq)]
pub struct PhaseLimit {
    /// Highest scale searched at which nothing fires.
    pub holds_up_to_scale: f64,
    pub holds_up_to_rps: f64,
    pub holds_up_to_mau: Option<f64>,
    pub limited_by: String,
}

/// Capacity of one phase at the expected traffic, and its triggers.
#[derive(Debug, Clone, PartialEq)]
pub struct PhaseCapacity {
    pub phase: String,
    pub avg_rps: f64,
    pub peak_rps: f64,
    pub mau: Option<f64>,
    pub lambda: Option<LambdaStats>,
    pub tasks: Option<TaskStats>,
    pub db: Option<DbStats>,
    /// GB/month through NAT and ALB (derived).
    pub nat_gb: Option<f64>,
    pub alb_gb: Option<f64>,
    pub triggers: Vec<TriggerResult>,
    pub limit: Option<PhaseLimit>,
    /// The simulated month at the expected traffic (charts).
    pub sim: SimResult,
    /// Usage derived from `sim`, by resource (what the phase is priced with).
    pub demand: Demand,
}

/// Largest scale the trigger search tries (× the expected traffic).
pub const MAX_SCALE: f64 = 1024.0;
/// Smallest scale the search tries; a rule firing there fires at (almost) any traffic.
pub const MIN_SCALE: f64 = 1.0 / 1024.0;
/// Search precision: the bracket is narrowed until hi/lo is below this.
const PRECISION: f64 = 1.005;

fn percentile(mut v: Vec<f64>, q: f64) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    let k = ((v.len() as f64 - 1.0) * q).round() as usize;
    let (_, x, _) = v.select_nth_unstable_by(k, |a, b| a.total_cmp(b));
    *x
}

/// Summaries of one simulated month.
fn summarise(
    model: &PhaseModel,
    sim: &SimResult,
) -> (
    f64,
    f64,
    Option<LambdaStats>,
    Option<TaskStats>,
    Option<DbStats>,
) {
    let s = &sim.series;
    let avg_rps = sim.requests / sim.month_seconds;
    let peak_rps = (0..s.minutes)
        .map(|i| s.mean(Metric::Rps, i))
        .fold(0.0, f64::max);
    let has_lambda = model
        .compute
        .iter()
        .any(|c| matches!(c.detail, ComputeDetail::Lambda { .. }));
    let lambda = has_lambda.then(|| LambdaStats {
        mean: sim.lambda_mean,
        p95: percentile(
            s.maxes(Metric::LambdaConcurrency)
                .iter()
                .map(|v| f64::from(*v))
                .collect(),
            0.95,
        ),
        max: s.max_of(Metric::LambdaConcurrency),
        throttled_requests: sim.compute.iter().map(|c| c.throttled).sum(),
        cold_starts: sim.compute.iter().map(|c| c.cold_starts).sum(),
    });
    let has_fleet = model
        .compute
        .iter()
        .any(|c| matches!(c.detail, ComputeDetail::Fleet { .. }));
    let tasks = has_fleet.then(|| {
        let total_s: f64 = sim.compute.iter().map(|c| c.unit_seconds).sum();
        TaskStats {
            // The lowest minute average: a fleet's count only changes at minute ends.
            min: (0..s.minutes)
                .map(|i| s.mean(Metric::Tasks, i))
                .fold(f64::MAX, f64::min),
            mean: total_s / sim.month_seconds,
            max: s.max_of(Metric::Tasks),
        }
    });
    let db = model.db.as_ref().map(|d| DbStats {
        name: d.name.clone(),
        engine: d.engine.label(),
        basis: d.limit.basis.clone(),
        max_connections: d.limit.max_connections,
        usable: d.limit.usable,
        peak: sim.db_peak,
        headroom_pct: crate::capacity::headroom_pct(d.limit.usable, sim.db_peak),
        via_proxy: model.proxy.as_ref().map(|p| p.name.clone()),
    });
    (avg_rps, peak_rps, lambda, tasks, db)
}

/// Triggers that can say something about this phase: its own, plus the built-in limits of
/// what it has (a database, a capped Lambda, a proxy).
pub fn phase_rules(model: &PhaseModel, own: &[Trigger]) -> Vec<Trigger> {
    let mut rules = own.to_vec();
    for t in trigger::builtin_limits() {
        let relevant = match t.metric {
            Metric::DbConnections => model.db.is_some(),
            Metric::Throttles => model
                .compute
                .iter()
                .any(|c| matches!(c.detail, ComputeDetail::Lambda { .. })),
            Metric::ProxyWaits => model.proxy.is_some(),
            Metric::FleetSaturated => model.compute.iter().any(|c| {
                matches!(
                    c.detail,
                    ComputeDetail::Fleet {
                        scaling: Some(_),
                        ..
                    }
                )
            }),
            _ => false,
        };
        if relevant {
            rules.push(t);
        }
    }
    rules
}

/// The rungs of one side of the ladder: from scale 1 (where the rules give `at_one`), times
/// `factor` while the scale is `within` the search and the verdicts are still `open`. Two
/// rungs are simulated side by side, the second kept only if the ladder would have gone on to
/// it: the same rungs as one at a time, in about half the wall time when a core is free.
fn climb(
    at_one: &[bool],
    factor: f64,
    within: impl Fn(f64) -> bool,
    open: impl Fn(&[bool]) -> bool,
    fires: impl Fn(f64) -> Vec<bool> + Sync,
) -> Vec<(f64, Vec<bool>)> {
    let mut rungs = Vec::new();
    let (mut scale, mut last) = (1.0, at_one.to_vec());
    while within(scale) && open(&last) {
        let (s1, s2) = (scale * factor, scale * factor * factor);
        let (f1, f2) = if within(s1) {
            let (f1, f2) = rayon::join(|| fires(s1), || fires(s2));
            (f1, Some(f2))
        } else {
            (fires(s1), None)
        };
        let go_on = open(&f1);
        rungs.push((s1, f1.clone()));
        (scale, last) = (s1, f1);
        if let (true, Some(f2)) = (go_on, f2) {
            rungs.push((s2, f2.clone()));
            (scale, last) = (s2, f2);
        }
    }
    rungs
}

/// Simulate a phase at its expected traffic, evaluate its triggers, and search the traffic at
/// which each starts to fire.
pub fn analyze(
    phase: &str,
    model: &PhaseModel,
    own_triggers: &[Trigger],
    traffic: &Traffic,
    hours_per_month: f64,
    derive: &Derive,
) -> PhaseCapacity {
    let month_s = hours_per_month * 3600.0;
    let usable = model.db.as_ref().map_or(0, |d| d.limit.usable);
    let sim = simulate(model, &traffic.profile, &traffic.settings, month_s, 1.0);
    let rules = phase_rules(model, own_triggers);
    // The searches only ask whether rules fire: their simulations stop once all have.
    let fires = |scale: f64, rules: &[Trigger]| {
        engine::fires_at(
            model,
            &traffic.profile,
            &traffic.settings,
            month_s,
            scale,
            rules,
            usable,
        )
    };

    // Bracket every rule on a doubling ladder of scales shared by all rules, then bisect each.
    let at_one: Vec<bool> = rules.iter().map(|r| r.fires(&sim, usable)).collect();
    // Up until every rule fires (or the cap), down until none does (or the floor).
    let (ups, downs) = rayon::join(
        || {
            let not_all = |f: &[bool]| f.iter().any(|x| !x);
            climb(
                &at_one,
                2.0,
                |s| s < MAX_SCALE,
                not_all,
                |s| fires(s, &rules),
            )
        },
        || {
            let any = |f: &[bool]| f.iter().any(|x| *x);
            climb(&at_one, 0.5, |s| s > MIN_SCALE, any, |s| fires(s, &rules))
        },
    );
    let mut ladder: Vec<(f64, Vec<bool>)> = vec![(1.0, at_one.clone())];
    ladder.extend(ups);
    ladder.extend(downs);
    ladder.sort_by(|a, b| a.0.total_cmp(&b.0));

    let brackets: Vec<Option<(f64, f64)>> = (0..rules.len())
        .map(|i| {
            let hi = ladder.iter().find(|(_, f)| f[i]).map(|(s, _)| *s)?;
            let lo = ladder
                .iter()
                .filter(|(s, f)| *s < hi && !f[i])
                .map(|(s, _)| *s)
                .fold(0.0, f64::max);
            Some((lo, hi))
        })
        .collect();
    let found: Vec<Option<(f64, f64)>> = rules
        .par_iter()
        .zip(brackets.par_iter())
        .map(|(rule, br)| {
            let (mut lo, mut hi) = (*br)?;
            if lo == 0.0 {
                return Some((0.0, hi));
            }
            while hi / lo > PRECISION {
                let mid = (lo * hi).sqrt();
                if fires(mid, std::slice::from_ref(rule)).iter().all(|f| *f) {
                    hi = mid;
                } else {
                    lo = mid;
                }
            }
            Some((lo, hi))
        })
        .collect();

    let avg = traffic.profile.avg_rps;
    let triggers = rules
        .iter()
        .zip(&found)
        .zip(&at_one)
        .map(|((rule, f), fires)| TriggerResult {
            rule: rule.rule(),
            builtin: rule.builtin,
            fires: *fires,
            first_fires_at_scale: f.map(|(_, hi)| hi),
            first_fires_at_rps: f.map(|(_, hi)| hi * avg),
            first_fires_at_mau: f.and_then(|(_, hi)| traffic.profile.mau_at(hi)),
        })
        .collect();
    let first = rules
        .iter()
        .zip(&found)
        .filter_map(|(r, f)| f.map(|b| (r, b)))
        .min_by(|a, b| a.1 .1.total_cmp(&b.1 .1));
    let limit = first.map(|(rule, (lo, _))| PhaseLimit {
        holds_up_to_scale: lo,
        holds_up_to_rps: lo * avg,
        holds_up_to_mau: traffic.profile.mau_at(lo),
        limited_by: rule.rule(),
    });
    let (avg_rps, peak_rps, lambda, tasks, db) = summarise(model, &sim);
    let (month, units) = volume(model, &sim, &traffic.profile, hours_per_month);
    let (demand, gauges) = derive(&month, &units);
    PhaseCapacity {
        phase: phase.to_string(),
        avg_rps,
        peak_rps,
        mau: traffic.profile.mau_at(1.0),
        lambda,
        tasks,
        db,
        nat_gb: gauges.nat_gb,
        alb_gb: gauges.alb_gb,
        triggers,
        limit,
        sim,
        demand,
    }
}

#[cfg(test)]
mod ladder_tests {
    use super::*;
    use proptest::prelude::*;

    /// The ladder one rung at a time, as it was before rungs were paired.
    fn one_at_a_time(
        at_one: &[bool],
        factor: f64,
        within: impl Fn(f64) -> bool,
        open: impl Fn(&[bool]) -> bool,
        fires: impl Fn(f64) -> Vec<bool>,
    ) -> Vec<(f64, Vec<bool>)> {
        let (mut rungs, mut scale, mut last) = (Vec::new(), 1.0, at_one.to_vec());
        while within(scale) && open(&last) {
            scale *= factor;
            last = fires(scale);
            rungs.push((scale, last.clone()));
        }
        rungs
    }

    proptest! {
        // Rules that fire on any set of scales (not only above a threshold: a cold-start rule
        // may stop firing as traffic grows): paired rungs are exactly the single rungs.
        #[test]
        fn paired_rungs_are_the_rungs_one_at_a_time(masks in prop::collection::vec(0u32..(1 << 22), 1..4)) {
            // Rule i fires at 2^k (k in -10..=10) when bit k + 10 of its mask is set.
            let fires = |s: f64| -> Vec<bool> {
                let k = s.log2().round() as i32 + 10;
                masks.iter().map(|m| (0..22).contains(&k) && m & (1 << k) != 0).collect()
            };
            let at_one = fires(1.0);
            let not_all = |f: &[bool]| f.iter().any(|x| !x);
            let any = |f: &[bool]| f.iter().any(|x| *x);
            let up = |s: f64| s < MAX_SCALE;
            let down = |s: f64| s > MIN_SCALE;
            prop_assert_eq!(
                climb(&at_one, 2.0, up, not_all, fires),
                one_at_a_time(&at_one, 2.0, up, not_all, fires)
            );
            prop_assert_eq!(
                climb(&at_one, 0.5, down, any, fires),
                one_at_a_time(&at_one, 0.5, down, any, fires)
            );
        }
    }
}
