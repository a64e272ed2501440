//! `run --exact`: the fast engine's Lambda statistics for a scenario's phase against the exact
//! event-driven simulation ([`super::exact`]) of the same month: the same rate, minute by
//! minute (shape, spikes, growth, traffic shares), the same durations, cap and keep-warm.
//!
//! What it can check is what the exact simulator models: one Lambda function in the phase,
//! its reserved concurrency or the account pool as the cap, no provisioned concurrency. A
//! phase outside that is listed with the reason, never checked against something else.
//! Both sides are random (the engine by steps, the exact simulation arrival by arrival, from
//! different draws), so each statistic has a tolerance: the spread between seeds of the exact
//! simulation plus the engine's documented error (README, "How accurate is the simulator").

use super::exact::{nearest_rank, simulate_rates};
use super::{simulate, Metric, PhaseModel, Traffic};
use crate::scenario::workload::ComputeDetail;

/// One statistic, both ways.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckRow {
    pub statistic: &'static str,
    pub engine: f64,
    pub exact: f64,
    /// The largest difference accepted, in the statistic's unit.
    pub tolerance: f64,
}

impl CheckRow {
    pub fn ok(&self) -> bool {
        (self.engine - self.exact).abs() <= self.tolerance
    }
}

/// The check of one phase: its rows, or why it could not be checked.
#[derive(Debug, Clone, PartialEq)]
pub struct PhaseCheck {
    pub phase: String,
    pub function: Option<String>,
    pub rows: Vec<CheckRow>,
    pub skipped: Option<String>,
    /// Arrivals the exact simulation handled one by one.
    pub arrivals: u64,
}

impl PhaseCheck {
    pub fn failed(&self) -> Vec<&CheckRow> {
        self.rows.iter().filter(|r| !r.ok()).collect()
    }
}

/// A phase the exact simulator cannot check, and why.
pub fn skipped(phase: &str, why: String) -> PhaseCheck {
    PhaseCheck {
        phase: phase.to_string(),
        function: None,
        rows: Vec::new(),
        skipped: Some(why),
        arrivals: 0,
    }
}

/// Check `phase` (its model, and the traffic it sees) over a month of `month_s` seconds; the
/// exact simulation is seeded from the scenario's seed.
pub fn check_phase(phase: &str, model: &PhaseModel, traffic: &Traffic, month_s: f64) -> PhaseCheck {
    let lambdas: Vec<usize> = (0..model.compute.len())
        .filter(|&i| matches!(model.compute[i].detail, ComputeDetail::Lambda { .. }))
        .collect();
    let [i] = lambdas[..] else {
        return skipped(
            phase,
            match lambdas.len() {
                0 => "no Lambda function".into(),
                n => format!(
                    "{n} Lambda functions: the exact simulator models one function and its cap"
                ),
            },
        );
    };
    let unit = &model.compute[i];
    let ComputeDetail::Lambda {
        cap,
        provisioned,
        keep_warm_minutes,
        ..
    } = unit.detail
    else {
        unreachable!("filtered to Lambda above");
    };
    if provisioned > 0 {
        return skipped(
            phase,
            format!(
                "`{}` has provisioned concurrency, which the exact simulator does not model",
                unit.name
            ),
        );
    }

    let sim = simulate(model, &traffic.profile, &traffic.settings, month_s, 1.0);
    let share = unit.share;
    let profile = &traffic.profile;
    // The rate is constant within a minute (hours outside spikes, spikes start on minutes);
    // its value at the minute's midpoint is the minute's.
    let minutes: Vec<f64> = (0..(month_s / 60.0).ceil() as usize)
        .map(|k| profile.rate(k as f64 * 60.0 + 30.0, month_s, 1.0) * share)
        .collect();
    let rate = |k: usize| minutes.get(k).copied().unwrap_or(0.0);
    let keep_warm = keep_warm_minutes as f64 * 60.0;
    let exact = simulate_rates(
        &rate,
        60.0,
        &profile.duration,
        Some(cap),
        keep_warm,
        month_s,
        traffic.settings.seed,
    );

    let engine_peaks: Vec<f64> = sim
        .series
        .maxes(Metric::LambdaConcurrency)
        .iter()
        .map(|v| f64::from(*v))
        .collect();
    let exact_peaks: Vec<f64> = exact.minute_peaks.iter().map(|p| f64::from(*p)).collect();
    let totals = &sim.compute[i];
    let arrived = totals.requests + totals.throttled;
    let engine_throttled = if arrived > 0.0 {
        totals.throttled / arrived
    } else {
        0.0
    };
    let p95 = nearest_rank(&exact_peaks, 0.95);
    let max = f64::from(exact.max_peak());
    let mean = exact.mean_in_flight();
    let share_rejected = exact.rejected_share();
    // Three standard errors of a binomial share measured on this many arrivals.
    let share_se = if exact.arrivals > 0 {
        (share_rejected * (1.0 - share_rejected) / exact.arrivals as f64).sqrt()
    } else {
        0.0
    };
    let cold = exact.cold_starts as f64;
    let rows = vec![
        CheckRow {
            statistic: "p95 minute peak",
            engine: nearest_rank(&engine_peaks, 0.95),
            exact: p95,
            tolerance: f64::max(1.0, 0.03 * p95),
        },
        CheckRow {
            statistic: "largest minute peak",
            engine: engine_peaks.iter().copied().fold(0.0, f64::max),
            exact: max,
            tolerance: f64::max(2.0, 0.10 * max),
        },
        CheckRow {
            statistic: "mean (carried)",
            engine: sim.lambda_mean,
            exact: mean,
            tolerance: f64::max(0.01, 0.02 * mean),
        },
        CheckRow {
            statistic: "throttled share",
            engine: engine_throttled,
            exact: share_rejected,
            tolerance: f64::max(0.0005, f64::max(3.0 * share_se, 0.10 * share_rejected)),
        },
        CheckRow {
            statistic: "cold starts",
            engine: totals.cold_starts,
            exact: cold,
            tolerance: f64::max(15.0, 0.15 * cold),
        },
    ];
    PhaseCheck {
        phase: phase.to_string(),
        function: Some(unit.name.clone()),
        rows,
        skipped: None,
        arrivals: exact.arrivals,
    }
}
