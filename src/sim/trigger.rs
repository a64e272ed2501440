//! Phase triggers: rules over the simulated per-minute metrics, evaluated the way a CloudWatch
//! alarm is (a statistic per period, a threshold, a number of consecutive periods), or as a
//! share of periods ("concurrency > 20 in more than 5 % of minutes").

use serde::Deserialize;

use super::engine::{Metric, Series, SimResult};
use crate::capacity::to_f64;
use crate::money::fmt_float;
use crate::num::{Count, NonNeg, Percent};

/// A trigger as written in `[[phases.X.triggers]]`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RawTrigger {
    /// What to do when it fires ("add RDS Proxy").
    #[serde(default)]
    pub name: Option<String>,
    pub metric: String,
    #[serde(default)]
    pub above: Option<NonNeg>,
    /// For db_connections: a share of the usable max_connections.
    #[serde(default)]
    pub above_percent_of_usable: Option<Percent>,
    #[serde(default)]
    pub period_minutes: Option<Count>,
    /// "max" (default), "average" or "sum" over each period.
    #[serde(default)]
    pub statistic: Option<String>,
    /// Consecutive breaching periods needed (default 1).
    #[serde(default)]
    pub for_periods: Option<Count>,
    /// Instead of consecutive periods: fires when more than this share of periods breach.
    #[serde(default)]
    pub more_than_percent_of_periods: Option<Percent>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Statistic {
    Max,
    Average,
    Sum,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Threshold {
    Absolute(f64),
    PercentOfUsable(f64),
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Persistence {
    Consecutive(u32),
    ShareOfPeriods(f64),
}

/// A validated trigger rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Trigger {
    pub name: Option<String>,
    pub metric: Metric,
    pub threshold: Threshold,
    pub period_minutes: u32,
    pub statistic: Statistic,
    pub persistence: Persistence,
    /// A built-in capacity limit rather than a scenario rule.
    pub builtin: bool,
}

/// Metrics a trigger can name.
pub fn metric_names() -> impl Iterator<Item = &'static str> {
    Metric::ALL.iter().map(|m| m.name())
}

impl Trigger {
    /// Validate a written rule; errors are (key, message, help).
    pub fn from_raw(raw: &RawTrigger) -> Result<Trigger, (&'static str, String, Option<String>)> {
        let Some(metric) = Metric::ALL.iter().copied().find(|m| m.name() == raw.metric) else {
            return Err((
                "metric",
                format!("unknown trigger metric `{}`", raw.metric),
                crate::suggest::did_you_mean(&raw.metric, metric_names()).or_else(|| {
                    Some(format!(
                        "metrics: {}",
                        metric_names().collect::<Vec<_>>().join(", ")
                    ))
                }),
            ));
        };
        let threshold = match (raw.above, raw.above_percent_of_usable) {
            (Some(a), None) => Threshold::Absolute(to_f64(a.0)),
            (None, Some(p)) if metric == Metric::DbConnections => {
                Threshold::PercentOfUsable(to_f64(p.0))
            }
            (None, Some(_)) => {
                return Err((
                    "above_percent_of_usable",
                    "`above_percent_of_usable` applies to the `db_connections` metric only".into(),
                    None,
                ))
            }
            _ => {
                return Err((
                    "above",
                    "a trigger needs exactly one of `above` or `above_percent_of_usable`".into(),
                    None,
                ))
            }
        };
        let statistic = match raw.statistic.as_deref().unwrap_or("max") {
            "max" | "maximum" => Statistic::Max,
            "average" | "avg" | "mean" => Statistic::Average,
            "sum" => Statistic::Sum,
            other => {
                return Err((
                    "statistic",
                    format!("unknown statistic `{other}`"),
                    Some("use \"max\", \"average\" or \"sum\"".into()),
                ))
            }
        };
        let period_minutes = raw.period_minutes.map_or(1, |c| c.0);
        if period_minutes == 0 || period_minutes > 1440 {
            return Err((
                "period_minutes",
                format!("period_minutes must be 1-1440, got {period_minutes}"),
                None,
            ));
        }
        let persistence = match (raw.for_periods, raw.more_than_percent_of_periods) {
            (Some(_), Some(_)) => {
                return Err((
                    "for_periods",
                    "give `for_periods` or `more_than_percent_of_periods`, not both".into(),
                    None,
                ))
            }
            (None, Some(p)) => Persistence::ShareOfPeriods(to_f64(p.fraction())),
            (Some(c), None) if c.0 == 0 => {
                return Err(("for_periods", "for_periods must be at least 1".into(), None))
            }
            (c, None) => Persistence::Consecutive(c.map_or(1, |c| c.0)),
        };
        Ok(Trigger {
            name: raw.name.clone(),
            metric,
            threshold,
            period_minutes,
            statistic,
            persistence,
            builtin: false,
        })
    }

    /// Human-readable rule: "db_connections average/5 min > 50 for 2 consecutive periods".
    pub fn rule(&self) -> String {
        let stat = match self.statistic {
            Statistic::Max => "max",
            Statistic::Average => "average",
            Statistic::Sum => "sum",
        };
        let threshold = match self.threshold {
            Threshold::Absolute(v) => fmt_float(v, 4),
            Threshold::PercentOfUsable(p) => format!("{}% of usable", fmt_float(p, 4)),
        };
        let period = if self.period_minutes == 1 {
            "1 min".to_string()
        } else {
            format!("{} min", self.period_minutes)
        };
        let persist = match self.persistence {
            Persistence::Consecutive(1) => String::new(),
            Persistence::Consecutive(n) => format!(" for {n} consecutive periods"),
            Persistence::ShareOfPeriods(s) => {
                format!(" in more than {}% of periods", fmt_float(s * 100.0, 4))
            }
        };
        let base = format!(
            "{} {stat}/{period} > {threshold}{persist}",
            self.metric.name()
        );
        match &self.name {
            Some(n) => format!("{n}: {base}"),
            None => base,
        }
    }

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
        if per == 1 && self.statistic != Statistic::Average {
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
            Statistic::Average => {
                s.sums(self.metric)[range]
                    .iter()
                    .map(|v| f64::from(*v))
                    .sum::<f64>()
                    / (per * s.steps_per_minute) as f64
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
        if rule.period_minutes == 1 && rule.statistic != Statistic::Average {
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
