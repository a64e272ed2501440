//! Phase triggers evaluated over a simulated month, the way a CloudWatch alarm is (a statistic
//! per period, a threshold, a number of consecutive periods), or as a share of periods
//! ("concurrency > 20 in more than 5 % of minutes").
//!
//! CloudWatch computes a period's statistic from the metric's data points. Each metric here has
//! one data point a minute, standing for what AWS publishes for its counterpart:
//!
//! - **sampled occupancy** (`db_connections`, `db_connections_percent`: RDS
//!   `DatabaseConnections`, the connections open when it samples): the minute's time-average
//!   of the connections open, the expected value of a sample at a random instant. So `average`
//!   over a period is the time-average occupancy (by Little's law, mean requests in flight x
//!   connections each, plus idle pools and fixed ones), not the mean of the peaks.
//! - **per-minute maximum** (`lambda_concurrency`: Lambda `ConcurrentExecutions`, a count at a
//!   point in time, published each minute and meant to be read with Maximum; `lambda_demand`
//!   the same before the caps): the minute's peak busy environments. `average` over a period is
//!   the mean of the minutes' peaks.
//! - **count** (`throttles`: Lambda `Throttles`; `cold_starts`): how many happened in the
//!   minute, as Sum per minute reads them. `average` is the mean count per minute.
//! - **gauge** (`rps`, `p95_latency_ms`, `tasks`, `cpu_percent`, `proxy_waits`,
//!   `fleet_saturated`): the mean of the minute's step values (at one step a minute, the value).
//!
//! The statistics over a period of `n` minutes: `average` is the mean of its `n` data points;
//! `p95` the 95th percentile of them by nearest rank (the `ceil(0.95 n)`-th smallest, so the
//! largest of up to 19 points); `max` the largest step value in the period (for occupancy, the
//! peak in flight: at least any sample can read, and what a connection or concurrency limit
//! meets); `sum` the sum of the step values (for counts, how many in the period). With the
//! default `step_seconds = 60` a step is the minute, so `max` and `sum` read the data points
//! too, except for the occupancy metrics, whose `max` stays the peak. Sources:
//! <https://docs.aws.amazon.com/lambda/latest/dg/monitoring-concurrency.html> (concurrency
//! metrics: a count at a given point in time, 1-minute granularity, viewed with MAX),
//! <https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html> (invocation
//! metrics such as `Throttles` are counts, summed) and
//! <https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-metrics.html>
//! (`DatabaseConnections`: the client network connections to the instance, each minute).

use super::engine::{Series, SimResult};
pub use crate::scenario::trigger::{
    metric_names, Metric, Persistence, RawTrigger, Statistic, Threshold, Trigger,
};

impl Trigger {
    /// The absolute threshold, given the database's usable connections.
    fn limit(&self, usable: u32) -> f64 {
        match self.threshold {
            Threshold::Absolute(v) => v,
            Threshold::PercentOfUsable(p) => f64::from(usable) * p / 100.0,
        }
    }

    /// Whether the rule fires anywhere in the simulated month.
    pub fn fires(&self, sim: &SimResult, usable: u32) -> bool {
        let limit = self.limit(usable);
        let s = &sim.series;
        let per = self.period_minutes as usize;
        let periods = s.minutes / per;
        if periods == 0 {
            return false;
        }
        if per == 1 && matches!(self.statistic, Statistic::Max | Statistic::Sum) {
            // One-minute periods: a period's max or sum is the minute's own (every built-in
            // limit is one); a plain scan, no per-period slicing.
            let values = match self.statistic {
                Statistic::Max => s.maxes(self.metric),
                _ => s.sums(self.metric),
            };
            let values = &values[..periods];
            let over = |v: &f32| f64::from(*v) > limit;
            // The two common persistences as whole-slice scans, in blocks the compiler runs
            // on vectors (the general walk below goes a minute at a time).
            return match self.persistence {
                Persistence::Consecutive(1) => values
                    .chunks(64)
                    .any(|b| b.iter().fold(false, |any, v| any | over(v))),
                Persistence::ShareOfPeriods(share) => {
                    let breaches: usize = values
                        .chunks(64)
                        .map(|b| b.iter().map(|v| usize::from(over(v))).sum::<usize>())
                        .sum();
                    breaches as f64 / periods as f64 > share
                }
                Persistence::Consecutive(_) => self.persists(periods, values.iter().map(over)),
            };
        }
        self.persists(periods, (0..periods).map(|p| self.breaches_in(s, p, limit)))
    }

    /// Whether period `p` of the series breaches `limit`.
    fn breaches_in(&self, s: &Series, p: usize, limit: f64) -> bool {
        let per = self.period_minutes as usize;
        let range = p * per..(p + 1) * per;
        let value = match self.statistic {
            Statistic::Max => s.maxes(self.metric)[range]
                .iter()
                .fold(0.0, |a: f64, b| a.max(f64::from(*b))),
            Statistic::Sum => s.sums(self.metric)[range]
                .iter()
                .map(|v| f64::from(*v))
                .sum(),
            Statistic::Average => points(s, self.metric, range).sum::<f64>() / per as f64,
            Statistic::P95 => {
                let points: Vec<f64> = points(s, self.metric, range).collect();
                crate::sim::exact::nearest_rank(&points, 0.95)
            }
        };
        value > limit
    }

    /// Whether the breaching periods (one bool per period, `periods` of them) persist enough.
    fn persists(&self, periods: usize, breach: impl Iterator<Item = bool>) -> bool {
        let mut tally = Tally::default();
        for b in breach.take(periods) {
            if tally.take(self.persistence, b) {
                return true;
            }
        }
        tally.verdict(self.persistence, periods)
    }
}

/// Each minute's data point of metric `m` over `range` (the module's list).
fn points(s: &Series, m: Metric, range: std::ops::Range<usize>) -> impl Iterator<Item = f64> + '_ {
    let spm = s.steps_per_minute as f64;
    let (values, per_step) = match m {
        // The minute's maximum.
        Metric::LambdaConcurrency | Metric::LambdaDemand => (s.maxes(m), 1.0),
        // How many in the minute.
        Metric::Throttles | Metric::ColdStarts => (s.sums(m), 1.0),
        // The mean over the minute's steps: of the occupancy for the sampled connections
        // (`mean_sums`), of the step values for the rest.
        _ => (s.mean_sums(m), spm),
    };
    values[range].iter().map(move |v| f64::from(*v) / per_step)
}

/// Breaching periods counted so far: the current run of them, and all of them.
#[derive(Debug, Clone, Copy, Default)]
struct Tally {
    run: u32,
    breaches: usize,
}

impl Tally {
    /// Count one more period; true when that settles it: the consecutive periods a rule needs.
    fn take(&mut self, persistence: Persistence, breach: bool) -> bool {
        if breach {
            self.run += 1;
            self.breaches += 1;
            matches!(persistence, Persistence::Consecutive(n) if self.run >= n)
        } else {
            self.run = 0;
            false
        }
    }

    /// The verdict once all `periods` are counted (and none settled it before).
    fn verdict(&self, persistence: Persistence, periods: usize) -> bool {
        match persistence {
            Persistence::ShareOfPeriods(share) => self.breaches as f64 / periods as f64 > share,
            Persistence::Consecutive(_) => false,
        }
    }
}

/// A rule's verdict built up as a simulation's minutes come in, so a simulation that only asks
/// "does it fire?" can stop as soon as it does. Gives what [`Trigger::fires`] gives on the
/// whole month: a rule fires once its consecutive periods are met, or once its share of the
/// month's periods has breached (breaches only grow).
#[derive(Debug, Clone)]
pub struct Watch<'a> {
    rule: &'a Trigger,
    limit: f64,
    /// Periods in the month, and the next one to look at.
    periods: usize,
    next: usize,
    tally: Tally,
    fired: bool,
}

impl<'a> Watch<'a> {
    pub fn new(rule: &'a Trigger, usable: u32, minutes: usize) -> Watch<'a> {
        Watch {
            rule,
            limit: rule.limit(usable),
            periods: minutes / rule.period_minutes as usize,
            next: 0,
            tally: Tally::default(),
            fired: false,
        }
    }

    /// Look at the periods complete in the first `minutes` minutes of `s`.
    pub fn advance(&mut self, s: &Series, minutes: usize) {
        let rule = self.rule;
        let end = (minutes / rule.period_minutes as usize).min(self.periods);
        if rule.period_minutes == 1 && matches!(rule.statistic, Statistic::Max | Statistic::Sum) {
            // One-minute periods: the minute's own value, read straight off the series.
            let values = match rule.statistic {
                Statistic::Max => s.maxes(rule.metric),
                _ => s.sums(rule.metric),
            };
            while !self.fired && self.next < end {
                let breach = f64::from(values[self.next]) > self.limit;
                self.fired = self.tally.take(rule.persistence, breach);
                self.next += 1;
            }
        }
        while !self.fired && self.next < end {
            let breach = rule.breaches_in(s, self.next, self.limit);
            self.fired = self.tally.take(rule.persistence, breach);
            self.next += 1;
        }
        if let Persistence::ShareOfPeriods(share) = self.rule.persistence {
            self.fired |= self.tally.breaches as f64 / self.periods as f64 > share;
        }
    }

    /// Fired already, whatever the rest of the month holds.
    pub fn fired(&self) -> bool {
        self.fired
    }

    /// The verdict once the whole month has been looked at.
    pub fn verdict(&self) -> bool {
        self.fired || (self.periods > 0 && self.tally.verdict(self.rule.persistence, self.periods))
    }
}

/// Limits every phase has, whether or not the scenario names them: past these, requests fail.
pub fn builtin_limits() -> Vec<Trigger> {
    let t = |name: &str, metric, threshold| Trigger {
        name: Some(name.into()),
        metric,
        threshold,
        period_minutes: 1,
        statistic: Statistic::Max,
        persistence: Persistence::Consecutive(1),
        builtin: true,
    };
    vec![
        t(
            "connection errors",
            Metric::DbConnections,
            Threshold::PercentOfUsable(100.0),
        ),
        t("throttling", Metric::Throttles, Threshold::Absolute(0.5)),
        t(
            "proxy saturated",
            Metric::ProxyWaits,
            Threshold::Absolute(0.5),
        ),
        t(
            "fleet saturated",
            Metric::FleetSaturated,
            Threshold::Absolute(0.5),
        ),
    ]
}
