//! The traffic/concurrency simulator: from a scenario's traffic profile to the demand each phase
//! sees (Lambda concurrency, fleet sizes, DB connections), the usage that feeds the price models,
//! the phase's triggers, and the traffic at which each trigger starts to fire.
//!
//! Simulation runs in f64. Derived quantities cross into `Decimal` once, in [`derive_usage`]:
//! request counts rounded to whole requests, everything else to 6 decimal places, half to even.

pub mod draws;
pub mod engine;
pub mod exact;
pub mod model;
pub mod poisson;
pub mod profile;
pub mod reference;
mod round;
pub mod trigger;

use indexmap::IndexMap;
use rayon::prelude::*;
use rust_decimal::Decimal;

use crate::resources::Derived;
pub use engine::{simulate, simulate_many, Metric, SimResult};
pub use model::{PhaseModel, Workload};
pub use profile::{SimSettings, TrafficProfile};
pub use trigger::Trigger;

/// Bytes in the GB that AWS bills data by (2^30).
const GB: f64 = 1_073_741_824.0;

/// A scenario's traffic: the profile and the simulation settings.
#[derive(Debug, Clone, PartialEq)]
pub struct Traffic {
    pub profile: TrafficProfile,
    pub settings: SimSettings,
}

impl Traffic {
    /// The traffic a phase with `share` of the scenario's requests sees (users scale with it).
    pub fn shared(&self, share: f64) -> Traffic {
        let mut t = self.clone();
        t.profile.avg_rps *= share;
        t
    }
}

/// Derived usage of every resource of a phase, by resource name.
pub type Demand = IndexMap<String, Derived>;

fn dec(v: f64, dp: u32) -> Decimal {
    crate::num::dec_from_f64(v, dp)
}

/// Turn a simulated month into the usage fields of the phase's resources.
pub fn derive_usage(
    model: &PhaseModel,
    sim: &SimResult,
    profile: &TrafficProfile,
    hours_per_month: f64,
) -> Demand {
    let mut out = Demand::new();
    for (unit, totals) in model.compute.iter().zip(&sim.compute) {
        let mut d = Derived::new();
        match (&unit.detail, unit.kind) {
            (model::ComputeDetail::Lambda { .. }, _) => {
                d.insert("monthly_requests", dec(totals.requests, 0));
                if totals.requests > 0.0 {
                    d.insert(
                        "avg_duration_ms",
                        dec(totals.billed_ms / totals.requests, 6),
                    );
                }
            }
            (
                model::ComputeDetail::Fleet {
                    scaling: Some(_), ..
                },
                "fargate",
            ) => {
                d.insert("task_hours", dec(totals.unit_seconds / 3600.0, 6));
            }
            (
                model::ComputeDetail::Fleet {
                    scaling: Some(_), ..
                },
                _,
            ) => {
                d.insert("instance_hours", dec(totals.unit_seconds / 3600.0, 6));
            }
            _ => {}
        }
        out.insert(unit.name.clone(), d);
    }
    let total = sim.requests;
    let gb = |bytes_per_request: f64| total * bytes_per_request / GB;
    for edge in &model.edges {
        let mut d = Derived::new();
        match edge.kind {
            "api_gateway" | "waf" => {
                d.insert("monthly_requests", dec(total, 0));
            }
            "cloudfront" => {
                d.insert("https_requests", dec(total, 0));
                if profile.response_bytes > 0.0 {
                    d.insert("data_out_gb", dec(gb(profile.response_bytes), 6));
                }
            }
            "alb" => {
                let rps = total / sim.month_seconds;
                // One connection per request (no keep-alive assumed); active connections are
                // the requests in flight (Little's law).
                d.insert("new_connections_per_sec", dec(rps, 6));
                d.insert(
                    "active_connections_per_min",
                    dec(rps * profile.duration.mean_ms() / 1000.0, 6),
                );
                let bytes = profile.request_bytes + profile.response_bytes;
                if bytes > 0.0 {
                    d.insert("processed_gb_per_hour", dec(gb(bytes) / hours_per_month, 6));
                }
            }
            "cognito" => {
                if let Some(mau) = profile.mau_at(sim.scale) {
                    d.insert("mau", dec(mau, 0));
                }
            }
            "nat_gateway" | "nat_instance" if profile.nat_bytes_per_request > 0.0 => {
                d.insert(
                    "data_processed_gb",
                    dec(gb(profile.nat_bytes_per_request), 6),
                );
            }
            _ => {}
        }
        out.insert(edge.name.clone(), d);
    }
    out
}

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
        .any(|c| matches!(c.detail, model::ComputeDetail::Lambda { .. }));
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
        .any(|c| matches!(c.detail, model::ComputeDetail::Fleet { .. }));
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
                .any(|c| matches!(c.detail, model::ComputeDetail::Lambda { .. })),
            Metric::ProxyWaits => model.proxy.is_some(),
            Metric::FleetSaturated => model.compute.iter().any(|c| {
                matches!(
                    c.detail,
                    model::ComputeDetail::Fleet {
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

/// Simulate a phase at its expected traffic, evaluate its triggers, and search the traffic at
/// which each starts to fire.
pub fn analyze(
    phase: &str,
    model: &PhaseModel,
    own_triggers: &[Trigger],
    traffic: &Traffic,
    hours_per_month: f64,
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
    let mut ladder: Vec<(f64, Vec<bool>)> = Vec::new();
    let at_one: Vec<bool> = rules.iter().map(|r| r.fires(&sim, usable)).collect();
    ladder.push((1.0, at_one.clone()));
    // Up until every rule fires (or the cap), down until none does (or the floor).
    let (mut up, mut last) = (1.0, at_one.clone());
    while up < MAX_SCALE && last.iter().any(|x| !x) {
        up *= 2.0;
        last = fires(up, &rules);
        ladder.push((up, last.clone()));
    }
    let (mut down, mut last) = (1.0, at_one.clone());
    while down > MIN_SCALE && last.iter().any(|x| *x) {
        down /= 2.0;
        last = fires(down, &rules);
        ladder.push((down, last.clone()));
    }
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
    let demand = derive_usage(model, &sim, &traffic.profile, hours_per_month);
    // Only what the simulation derived: `None` (shown "-") when the volume is stated instead
    // (or the phase has no such resource), rather than a misleading 0.
    let gb_of = |kinds: &[&str], field: &str| {
        let derived: Vec<f64> = model
            .edges
            .iter()
            .filter(|e| kinds.contains(&e.kind))
            .filter_map(|e| demand.get(&e.name)?.get(field).copied())
            .map(crate::capacity::to_f64)
            .collect();
        (!derived.is_empty()).then(|| derived.iter().sum())
    };
    PhaseCapacity {
        phase: phase.to_string(),
        avg_rps,
        peak_rps,
        mau: traffic.profile.mau_at(1.0),
        lambda,
        tasks,
        db,
        nat_gb: gb_of(&["nat_gateway", "nat_instance"], "data_processed_gb"),
        alb_gb: gb_of(&["alb"], "processed_gb_per_hour").map(|g| g * hours_per_month),
        triggers,
        limit,
        sim,
        demand,
    }
}
