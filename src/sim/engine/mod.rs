//! The time-stepped simulation of one month of one phase: the fast engine. The model it
//! computes is stated plainly, step by step, in [`super::reference`]; a property test holds the
//! two to the same bits.
//!
//! Per step: the arrivals are a Poisson count around the profile's rate (one uniform draw,
//! inverted, see `poisson`). The concurrency they create follows M/G/∞ theory: at any instant
//! the number of requests in flight is Poisson with mean λ·E[d] whatever the duration
//! distribution, so the step's mean concurrency is arrivals × E[d] / step (Little's law) and
//! its within-step peak is the Poisson quantile seen once per request duration in the step.
//! Reserved concurrency caps Lambda, and the functions without it share what the account has
//! left; the share of requests throttled is the Erlang-B loss (insensitive to the duration
//! distribution too). The database connections keep each step's time-average besides its
//! peak, for their CloudWatch data points (`sim::trigger`). Fleets scale by target tracking,
//! evaluated each minute on the last minute's average.
//!
//! By concern:
//! - [`series`]: the per-minute metric series and the buffer pool behind them;
//! - [`chunk`]: the steps simulated together, the per-step demand and the per-step sums;
//! - [`lambda`]: Lambda's rules (cap and Erlang-B throttling, keep-warm, cold starts,
//!   connections held by busy and idle environments);
//! - [`fleet`]: Fargate/EC2 fleets and target-tracking autoscaling;
//! - [`phase`]: one phase through a chunk (its units, then the database side, then the series);
//! - [`month`]: the month driver (arrivals, chunking, the AVX2 dispatch with the crate's one
//!   `unsafe`).

mod chunk;
mod fleet;
mod lambda;
mod month;
mod phase;
mod series;

pub use lambda::{erlang_b, loss_negligible, LambdaConns};
pub use series::{Metric, Series};

use super::trigger::{Trigger, Watch};
use crate::scenario::traffic::{SimSettings, TrafficProfile};
use crate::scenario::workload::PhaseModel;
use month::Month;
use phase::PhaseRun;

/// Totals for one compute resource over the month (feeds the price models).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ComputeTotals {
    pub name: String,
    /// Requests served (not throttled).
    pub requests: f64,
    pub throttled: f64,
    /// Requests that arrived while its fleet was off (outside its schedule).
    pub unserved: f64,
    pub cold_starts: f64,
    /// Billed milliseconds: served × mean duration + cold starts × init time.
    pub billed_ms: f64,
    /// Task- or instance-seconds.
    pub unit_seconds: f64,
    /// Requests served while provisioned concurrency was on (Lambda).
    pub provisioned_requests: f64,
    pub min_units: u32,
    pub max_units: u32,
}

/// The outcome of simulating one phase at one traffic scale.
#[derive(Debug, Clone, PartialEq)]
pub struct SimResult {
    pub scale: f64,
    pub seed: u64,
    pub step_seconds: u32,
    pub month_seconds: f64,
    pub series: Series,
    pub compute: Vec<ComputeTotals>,
    pub requests: f64,
    /// Mean Lambda concurrency over the month (time average).
    pub lambda_mean: f64,
    pub db_peak: f64,
}

/// Simulate `model` under `profile` × `scale` for one month of `month_seconds`.
pub fn simulate(
    model: &PhaseModel,
    profile: &TrafficProfile,
    settings: &SimSettings,
    month_seconds: f64,
    scale: f64,
) -> SimResult {
    let month = Month::new(profile, settings, month_seconds);
    let mut run = PhaseRun::new(model, &month);
    let requests = month.run(std::slice::from_mut(&mut run), scale);
    run.finish(scale, settings, month_seconds, requests)
}

/// Whether each of `rules` fires when `model` is simulated as [`simulate`] does, stopping the
/// month as soon as every rule has fired (the trigger searches ask only this, and a rule over
/// its threshold usually fires in the month's first busy hours). The same verdicts as
/// `rule.fires` on the whole month.
pub fn fires_at(
    model: &PhaseModel,
    profile: &TrafficProfile,
    settings: &SimSettings,
    month_seconds: f64,
    scale: f64,
    rules: &[Trigger],
    usable: u32,
) -> Vec<bool> {
    // Rules on the arriving traffic alone read no unit, so neither is simulated (a trigger
    // search's bisection of a request-rate rule is arrivals only).
    let arrivals_only = PhaseModel {
        compute: Vec::new(),
        db: None,
        proxy: None,
    };
    let model = if rules.iter().all(|r| r.metric == Metric::Rps) {
        &arrivals_only
    } else {
        model
    };
    let month = Month::new(profile, settings, month_seconds);
    let mut run = PhaseRun::new(model, &month);
    let mut watches: Vec<Watch> = rules
        .iter()
        .map(|r| Watch::new(r, usable, month.minutes))
        .collect();
    month.run_until(
        std::slice::from_mut(&mut run),
        scale,
        &mut |runs, minutes| {
            let Some(run) = runs.first() else {
                return true;
            };
            for w in &mut watches {
                w.advance(&run.series, minutes);
            }
            watches.iter().all(Watch::fired)
        },
    );
    watches.iter().map(Watch::verdict).collect()
}

/// Simulate several phases under the same traffic: the same as [`simulate`] for each, with
/// the arrivals (and the demand of units with the same traffic share) computed once.
pub fn simulate_many(
    models: &[&PhaseModel],
    profile: &TrafficProfile,
    settings: &SimSettings,
    month_seconds: f64,
    scale: f64,
) -> Vec<SimResult> {
    let month = Month::new(profile, settings, month_seconds);
    let mut runs: Vec<PhaseRun> = models.iter().map(|m| PhaseRun::new(m, &month)).collect();
    let requests = month.run(&mut runs, scale);
    runs.into_iter()
        .map(|r| r.finish(scale, settings, month_seconds, requests))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::round::{Native, Soft};

    const SCENARIOS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios");

    /// A scenario file, loaded with the embedded price books.
    fn library(path: &std::path::Path) -> crate::scenario::Scenario {
        let catalog = crate::pricing::BookSource::Embedded
            .catalog()
            .expect("catalog");
        crate::scenario::Scenario::load(path, &catalog).expect("scenario")
    }

    /// The metrics `live_metrics` leaves out are zero at every step of every phase of every
    /// scenario in the library, at low and high traffic: storing them all changes nothing.
    #[test]
    fn metrics_left_out_are_zero_throughout() {
        let mut checked = 0;
        for entry in std::fs::read_dir(SCENARIOS).expect("scenarios") {
            let s = library(&entry.expect("entry").path());
            let Some(t) = &s.traffic else { continue };
            for model in s.phases.iter().filter_map(|p| p.model.as_ref()) {
                for scale in [0.5, 40.0] {
                    let month = Month::new(&t.profile, &t.settings, 730.0 * 3600.0);
                    let mut sparse = PhaseRun::new(model, &month);
                    let mut full = PhaseRun::new(model, &month);
                    full.series = Series::new(month.minutes, month.spm, [true; 12]);
                    month.run(std::slice::from_mut(&mut sparse), scale);
                    month.run(std::slice::from_mut(&mut full), scale);
                    for m in Metric::ALL {
                        assert_eq!(sparse.series.sums(m), full.series.sums(m), "{m:?}");
                        assert_eq!(sparse.series.maxes(m), full.series.maxes(m), "{m:?}");
                        let means = (sparse.series.mean_sums(m), full.series.mean_sums(m));
                        assert_eq!(means.0, means.1, "{m:?}");
                    }
                    checked += 1;
                }
            }
        }
        assert!(checked > 20, "only {checked} phases checked");
    }

    /// `fires_at` stops the month once every rule has fired, and simulates only the arrivals
    /// for request-rate rules; its verdicts are still each rule's on the whole simulated month,
    /// for every phase of the library, its rules together and one at a time.
    #[test]
    fn early_verdicts_are_the_whole_months() {
        let (mut checked, mut rate_rules, mut others_fired) = (0, 0, 0);
        for entry in std::fs::read_dir(SCENARIOS).expect("scenarios") {
            let s = library(&entry.expect("entry").path());
            let Some(t) = &s.traffic else { continue };
            for p in &s.phases {
                let Some(model) = &p.model else { continue };
                let t = t.shared(p.traffic_share);
                let rules = crate::sim::phase_rules(model, &p.triggers);
                let usable = model.db.as_ref().map_or(0, |d| d.limit.usable);
                let month_s = 730.0 * 3600.0;
                for scale in [0.5, 6.0, 40.0] {
                    let sim = simulate(model, &t.profile, &t.settings, month_s, scale);
                    let whole: Vec<bool> = rules.iter().map(|r| r.fires(&sim, usable)).collect();
                    let at = |rules: &[Trigger]| {
                        fires_at(
                            model,
                            &t.profile,
                            &t.settings,
                            month_s,
                            scale,
                            rules,
                            usable,
                        )
                    };
                    assert_eq!(at(&rules), whole, "{} at {scale}x", p.name);
                    for (r, w) in rules.iter().zip(&whole) {
                        assert_eq!(
                            at(std::slice::from_ref(r)),
                            [*w],
                            "{}: {}",
                            p.name,
                            r.rule()
                        );
                        rate_rules += usize::from(r.metric == Metric::Rps);
                        others_fired += usize::from(r.metric != Metric::Rps && *w);
                    }
                    checked += 1;
                }
            }
        }
        assert!(
            checked > 20 && rate_rules > 4 && others_fired > 0,
            "{checked} phases, {rate_rules} rate rules, {others_fired} other rules firing"
        );
    }

    /// The baseline build (inline integer rounding) and the AVX2 one (rounding instructions)
    /// simulate the same bits; whichever this machine runs, both code paths are checked here.
    #[test]
    fn every_build_of_the_month_loop_gives_the_same_bits() {
        for file in ["lambda-rds.toml", "ec2-phases.toml", "prod.toml"] {
            let s = library(&std::path::Path::new(SCENARIOS).join(file));
            let t = s.traffic.as_ref().expect("traffic");
            let models: Vec<&PhaseModel> =
                s.phases.iter().filter_map(|p| p.model.as_ref()).collect();
            for scale in [1.0, 30.0] {
                let month = Month::new(&t.profile, &t.settings, 730.0 * 3600.0);
                let runs = || -> Vec<PhaseRun> {
                    models.iter().map(|m| PhaseRun::new(m, &month)).collect()
                };
                let (mut soft, mut native, mut chosen) = (runs(), runs(), runs());
                let r1 = month.run_with::<Soft>(&mut soft, scale, &mut |_, _| false);
                let r2 = month.run_with::<Native>(&mut native, scale, &mut |_, _| false);
                let r3 = month.run(&mut chosen, scale);
                assert_eq!(r1.to_bits(), r2.to_bits());
                assert_eq!(r1.to_bits(), r3.to_bits());
                for ((a, b), c) in soft.into_iter().zip(native).zip(chosen) {
                    let (a, b, c) = (
                        a.finish(scale, &t.settings, 730.0 * 3600.0, r1),
                        b.finish(scale, &t.settings, 730.0 * 3600.0, r1),
                        c.finish(scale, &t.settings, 730.0 * 3600.0, r1),
                    );
                    assert!(a == b && b == c, "{file} at {scale}x");
                }
            }
        }
    }
}
