//! Phase triggers as written and validated: a rule over one simulated per-minute metric (a
//! statistic per period, a threshold, a number of consecutive periods, or a share of periods).
//! `sim::trigger` evaluates them the way a CloudWatch alarm would.

use serde::Deserialize;

use crate::capacity::to_f64;
use crate::money::fmt_float;
use crate::num::{Count, NonNeg, Percent};
use crate::source::FieldError;

/// Per-minute series of the simulated metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Metric {
    /// Requests/s arriving.
    Rps,
    /// Lambda environments busy (all functions), as CloudWatch's ConcurrentExecutions shows.
    LambdaConcurrency,
    /// Lambda concurrency the traffic asks for, before reserved/account caps.
    LambdaDemand,
    /// Requests rejected by a concurrency cap.
    Throttles,
    ColdStarts,
    /// p95 request latency, ms.
    P95LatencyMs,
    /// Tasks + instances running.
    Tasks,
    /// Average CPU of the fleets, %.
    CpuPercent,
    /// Connections open on the database.
    DbConnections,
    /// DB connections as % of usable max_connections.
    DbConnectionsPercent,
    /// Connection requests the proxy could not serve at once (over its DB-side cap).
    ProxyWaits,
    /// Autoscaled fleets at their maximum size with the metric still above target.
    FleetSaturated,
}

impl Metric {
    pub const ALL: [Metric; 12] = [
        Metric::Rps,
        Metric::LambdaConcurrency,
        Metric::LambdaDemand,
        Metric::Throttles,
        Metric::ColdStarts,
        Metric::P95LatencyMs,
        Metric::Tasks,
        Metric::CpuPercent,
        Metric::DbConnections,
        Metric::DbConnectionsPercent,
        Metric::ProxyWaits,
        Metric::FleetSaturated,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Metric::Rps => "rps",
            Metric::LambdaConcurrency => "lambda_concurrency",
            Metric::LambdaDemand => "lambda_demand",
            Metric::Throttles => "throttles",
            Metric::ColdStarts => "cold_starts",
            Metric::P95LatencyMs => "p95_latency_ms",
            Metric::Tasks => "tasks",
            Metric::CpuPercent => "cpu_percent",
            Metric::DbConnections => "db_connections",
            Metric::DbConnectionsPercent => "db_connections_percent",
            Metric::ProxyWaits => "proxy_waits",
            Metric::FleetSaturated => "fleet_saturated",
        }
    }

    /// Position in [`Metric::ALL`] (the simulator's series index).
    pub(crate) fn index(self) -> usize {
        self as usize
    }
}

/// A trigger as written in `[[phases.X.triggers]]`.
#[derive(Debug, Clone, Deserialize, PartialEq, schemars::JsonSchema)]
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
    /// "max" (default), "average", "p95" or "sum" over each period.
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
    /// The 95th percentile of the period's one-minute data points (nearest rank).
    P95,
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
    /// Validate a written rule.
    pub fn from_raw(raw: &RawTrigger) -> Result<Trigger, FieldError> {
        let Some(metric) = Metric::ALL.iter().copied().find(|m| m.name() == raw.metric) else {
            return Err(FieldError::new(
                "metric",
                format!("unknown trigger metric `{}`", raw.metric),
            )
            .help(
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
                return Err(FieldError::new(
                    "above_percent_of_usable",
                    "`above_percent_of_usable` applies to the `db_connections` metric only",
                ))
            }
            _ => {
                return Err(FieldError::new(
                    "above",
                    "a trigger needs exactly one of `above` or `above_percent_of_usable`",
                ))
            }
        };
        let statistic = match raw.statistic.as_deref().unwrap_or("max") {
            "max" | "maximum" => Statistic::Max,
            "average" | "avg" | "mean" => Statistic::Average,
            "p95" => Statistic::P95,
            "sum" => Statistic::Sum,
            other => {
                return Err(
                    FieldError::new("statistic", format!("unknown statistic `{other}`"))
                        .help(Some("use \"max\", \"average\", \"p95\" or \"sum\"".into())),
                )
            }
        };
        let period_minutes = raw.period_minutes.map_or(1, |c| c.0);
        if period_minutes == 0 || period_minutes > 1440 {
            return Err(FieldError::new(
                "period_minutes",
                format!("period_minutes must be 1-1440, got {period_minutes}"),
            ));
        }
        let persistence = match (raw.for_periods, raw.more_than_percent_of_periods) {
            (Some(_), Some(_)) => {
                return Err(FieldError::new(
                    "for_periods",
                    "give `for_periods` or `more_than_percent_of_periods`, not both",
                ))
            }
            (None, Some(p)) => Persistence::ShareOfPeriods(to_f64(p.fraction())),
            (Some(c), None) if c.0 == 0 => {
                return Err(FieldError::new(
                    "for_periods",
                    "for_periods must be at least 1",
                ))
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

    /// A rule needing more consecutive periods than a month of `hours` holds could never fire.
    pub fn fits_month(&self, hours: rust_decimal::Decimal) -> Result<(), FieldError> {
        let Persistence::Consecutive(n) = self.persistence else {
            return Ok(());
        };
        let minutes = u64::from(n) * u64::from(self.period_minutes);
        let month = to_f64(hours) * 60.0;
        if minutes as f64 <= month {
            return Ok(());
        }
        let key = if n > 1 {
            "for_periods"
        } else {
            "period_minutes"
        };
        Err(FieldError::new(
            key,
            format!(
                "{n} consecutive period(s) of {} min is {} h, longer than the month ({} h): the rule could never fire",
                self.period_minutes,
                fmt_float(minutes as f64 / 60.0, 2),
                fmt_float(month / 60.0, 2)
            ),
        )
        .help(Some(
            "use fewer or shorter periods, or `more_than_percent_of_periods`".into(),
        )))
    }

    /// Human-readable rule: "db_connections average/5 min > 50 for 2 consecutive periods".
    pub fn rule(&self) -> String {
        let stat = match self.statistic {
            Statistic::Max => "max",
            Statistic::Average => "average",
            Statistic::P95 => "p95",
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
}
