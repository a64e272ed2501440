//! The report's charts, built from an estimate, its capacity results and a traffic sweep:
//! 1. monthly cost per phase, stacked by service;
//! 2. DB connection demand vs traffic per phase, usable max_connections and trigger points;
//! 3. monthly cost vs traffic per phase, break-even points marked;
//! 4. a simulated week: requests/s, Lambda concurrency or tasks, DB connections.
//!
//! Charts whose data the scenario does not have (no traffic, no database) are left out.

use rayon::prelude::*;

use rust_decimal::Decimal;

use crate::capacity::to_f64;
use crate::chart::{
    BarSeries, ChartError, ChartFiles, ChartSize, LineChart, LineSeries, Marker, Panel, PanelChart,
    ReferenceLine, StackedBarChart, VerticalLine,
};
use crate::currency::DisplayCurrency;
use crate::estimate::Estimate;
use crate::money::fmt_float;
use crate::plan::{CapacityReport, Plan};
use crate::sim::Metric;
use crate::sweep::{Axis, Sweep};

// The chart library is a leaf that knows nothing of the crate's errors; this layer, which uses
// both, maps a drawing failure to the output error (exit 3).
impl From<ChartError> for crate::Error {
    fn from(e: ChartError) -> Self {
        crate::Error::Chart(Box::new(e))
    }
}

/// A rendered chart and the file stem it is written under.
pub struct NamedChart {
    /// File name without extension, e.g. `cost-by-phase`.
    pub slug: &'static str,
    pub title: String,
    pub files: ChartFiles,
}

/// Every chart the data allows, in the report's order.
/// `expected` is the scenario's expected traffic (req/s), marked on the cost-vs-traffic chart.
pub fn all(
    plan: &Plan,
    sweep: Option<&Sweep>,
    expected: Option<f64>,
    currency: &DisplayCurrency,
    size: ChartSize,
) -> Result<Vec<NamedChart>, ChartError> {
    let e = &plan.estimate;
    // Each chart as its slug, title and a way to draw it; they are drawn side by side.
    type Draw<'a> = Box<dyn Fn() -> Result<ChartFiles, ChartError> + Send + Sync + 'a>;
    let mut jobs: Vec<(&'static str, String, Draw)> = Vec::new();
    let bars = cost_by_phase(e, currency, size);
    jobs.push((
        "cost-by-phase",
        bars.title.clone(),
        Box::new(move || bars.render()),
    ));
    if let Some(s) = sweep {
        if let Some(c) = db_vs_traffic(s, plan.capacity.as_ref(), size) {
            jobs.push((
                "db-connections",
                c.title.clone(),
                Box::new(move || c.render()),
            ));
        }
        let marks = CostMarks {
            expected,
            capacity: plan.capacity.as_ref(),
            log_y: false,
            currency: Some(currency),
        };
        let c = cost_vs_x(s, &marks, size);
        jobs.push((
            "cost-vs-traffic",
            c.title.clone(),
            Box::new(move || c.render()),
        ));
    }
    if let Some(cap) = &plan.capacity {
        let c = simulated_week(cap, size);
        jobs.push((
            "simulated-week",
            c.title.clone(),
            Box::new(move || c.render()),
        ));
    }
    jobs.into_par_iter()
        .map(|(slug, title, draw)| {
            Ok(NamedChart {
                slug,
                title,
                files: draw()?,
            })
        })
        .collect()
}

/// A USD amount as a chart value in the display currency (exact conversion, then f64).
pub fn shown(currency: &DisplayCurrency, usd: Decimal) -> f64 {
    currency
        .convert(usd)
        .map_or_else(|| to_f64(usd) * to_f64(currency.rate), to_f64)
}

/// The y-axis title of a money chart: the display currency, and its rate when converted, so
/// a chart read on its own says what its numbers are.
pub fn money_title(what: &str, currency: &DisplayCurrency, log: bool) -> String {
    let scale = if log { ", log scale" } else { "" };
    if currency.is_usd() {
        return format!("{what} (USD{scale})");
    }
    let date = currency
        .rate_date
        .as_deref()
        .map_or(String::new(), |d| format!(", rate of {d}"));
    format!(
        "{what} ({code}{scale}; {rate} {code}/USD{date})",
        code = currency.code,
        rate = currency.rate
    )
}

/// Chart 1: one bar per phase, stacked by service (services in order of first appearance).
/// The label over each bar is the phase's exact total in the display currency's rounding.
pub fn cost_by_phase(e: &Estimate, currency: &DisplayCurrency, size: ChartSize) -> StackedBarChart {
    let per_phase: Vec<_> = e.phases.iter().map(|p| p.by_service()).collect();
    let mut services: Vec<String> = Vec::new();
    for m in &per_phase {
        for k in m.keys() {
            if !services.contains(k) {
                services.push(k.clone());
            }
        }
    }
    StackedBarChart {
        title: format!("{}: monthly cost per phase, by service", e.scenario),
        x_title: String::new(),
        y_title: money_title("Monthly cost", currency, false),
        categories: e.phases.iter().map(|p| p.name.clone()).collect(),
        total_labels: e
            .phases
            .iter()
            .map(|p| currency.money(p.monthly_total()))
            .collect(),
        series: services
            .iter()
            .map(|s| BarSeries {
                name: s.clone(),
                values: per_phase
                    .iter()
                    .map(|m| m.get(s).map_or(0.0, |v| shown(currency, *v).max(0.0)))
                    .collect(),
            })
            .collect(),
        size,
    }
}

/// y of a polyline at x (linear between points, clamped at the ends).
fn interpolate(points: &[(f64, f64)], x: f64) -> f64 {
    let Some(first) = points.first() else {
        return 0.0;
    };
    if x <= first.0 {
        return first.1;
    }
    for w in points.windows(2) {
        let ((x0, y0), (x1, y1)) = (w[0], w[1]);
        if x <= x1 {
            return if x1 > x0 {
                y0 + (y1 - y0) * (x - x0) / (x1 - x0)
            } else {
                y1
            };
        }
    }
    points.last().map_or(0.0, |p| p.1)
}

/// Chart 2: peak DB connections per phase across the sweep, each phase's usable limit, and
/// where its triggers start to fire (`None` when no phase has a database).
pub fn db_vs_traffic(
    s: &Sweep,
    cap: Option<&CapacityReport>,
    size: ChartSize,
) -> Option<LineChart> {
    if s.axis != Axis::Rps || s.phases.iter().all(|p| p.db_usable.is_none()) {
        return None;
    }
    let mut series = Vec::new();
    let mut reference_lines = Vec::new();
    let mut markers = Vec::new();
    for (i, p) in s.phases.iter().enumerate() {
        let Some(usable) = p.db_usable else { continue };
        let points: Vec<(f64, f64)> = s
            .rows
            .iter()
            .filter_map(|r| r.phases[i].db_peak.map(|d| (r.x, d)))
            .collect();
        reference_lines.push(ReferenceLine {
            label: format!("{}: usable max_connections {usable}", p.name),
            y: f64::from(usable),
        });
        let (lo, hi) = (
            s.rows.first().map_or(0.0, |r| r.x),
            s.rows.last().map_or(0.0, |r| r.x),
        );
        if let Some(pc) = cap.and_then(|c| c.phase(&p.name)) {
            for t in &pc.triggers {
                let Some(x) = t.first_fires_at_rps else {
                    continue;
                };
                if x < lo || x > hi || (t.builtin && !t.rule.starts_with("connection")) {
                    continue;
                }
                let label = t.rule.split(':').next().unwrap_or(&t.rule);
                markers.push(Marker {
                    label: format!("{}: {label} at {} req/s", p.name, fmt_float(x, 1)),
                    x,
                    y: interpolate(&points, x),
                });
            }
        }
        series.push(LineSeries {
            name: format!("{}: peak DB connections", p.name),
            points,
        });
    }
    Some(LineChart {
        title: format!("{}: DB connection demand vs traffic", s.scenario),
        x_title: Axis::Rps.title().into(),
        y_title: "Peak DB connections (1-minute max)".into(),
        series,
        reference_lines,
        markers,
        log_x: log_x(s),
        size,
        ..LineChart::default()
    })
}

/// A log x axis when the grid spans two decades or more.
fn log_x(s: &Sweep) -> bool {
    match (s.rows.first(), s.rows.last()) {
        (Some(a), Some(b)) => a.x > 0.0 && b.x / a.x >= 100.0,
        _ => false,
    }
}

/// What the cost-vs-traffic chart marks besides the phases' lines and break-even points.
#[derive(Debug, Clone, Copy, Default)]
pub struct CostMarks<'a> {
    /// The expected traffic (the scenario's average req/s): a vertical line, when in range.
    pub expected: Option<f64>,
    /// Trigger onsets (searched to 1 %); without it, the first sweep point where each of a
    /// phase's rules fires.
    pub capacity: Option<&'a CapacityReport>,
    /// A logarithmic cost axis; linear when a cost is zero (zero has no place on it).
    pub log_y: bool,
    /// The currency the costs are shown in; `None` for USD.
    pub currency: Option<&'a DisplayCurrency>,
}

/// Chart 3: monthly cost per phase across the sweep, break-even points and trigger onsets
/// marked, the expected traffic as a vertical line.
pub fn cost_vs_x(s: &Sweep, marks: &CostMarks, size: ChartSize) -> LineChart {
    let usd = DisplayCurrency::usd();
    let currency = marks.currency.unwrap_or(&usd);
    let series: Vec<LineSeries> = s
        .phases
        .iter()
        .enumerate()
        .map(|(i, p)| LineSeries {
            name: p.name.clone(),
            points: s
                .rows
                .iter()
                .map(|r| (r.x, shown(currency, r.phases[i].monthly)))
                .collect(),
        })
        .collect();
    let mut markers: Vec<Marker> = s
        .break_evens
        .iter()
        .map(|b| Marker {
            label: format!(
                "{} = {} at {} {}",
                b.cheaper_below,
                b.cheaper_above,
                fmt_float(b.x, 1),
                s.axis.unit()
            ),
            x: b.x,
            y: shown(currency, b.monthly),
        })
        .collect();
    let (lo, hi) = (
        s.rows.first().map_or(0.0, |r| r.x),
        s.rows.last().map_or(0.0, |r| r.x),
    );
    let short = |rule: &str| rule.split(':').next().unwrap_or(rule).to_string();
    for (i, p) in s.phases.iter().enumerate() {
        let points = &series[i].points;
        match marks.capacity.and_then(|c| c.phase(&p.name)) {
            Some(pc) if s.axis == Axis::Rps => {
                for t in &pc.triggers {
                    let Some(x) = t.first_fires_at_rps.filter(|x| (lo..=hi).contains(x)) else {
                        continue;
                    };
                    markers.push(Marker {
                        label: format!(
                            "{}: {} from {} req/s",
                            p.name,
                            short(&t.rule),
                            fmt_float(x, 1)
                        ),
                        x,
                        y: interpolate(points, x),
                    });
                }
            }
            _ => {
                let mut seen: Vec<&str> = Vec::new();
                for (r, pt) in s.rows.iter().zip(points) {
                    let Some(rule) = r.phases[i].fires.as_deref() else {
                        continue;
                    };
                    if seen.contains(&rule) {
                        continue;
                    }
                    seen.push(rule);
                    markers.push(Marker {
                        label: format!(
                            "{}: {} fires at {} {}",
                            p.name,
                            short(rule),
                            fmt_float(r.x, 1),
                            s.axis.unit()
                        ),
                        x: pt.0,
                        y: pt.1,
                    });
                }
            }
        }
    }
    let vertical_lines = marks
        .expected
        .filter(|x| s.axis == Axis::Rps && (lo..=hi).contains(x))
        .map(|x| VerticalLine {
            label: format!("expected {} req/s", fmt_float(x, 1)),
            x,
        })
        .into_iter()
        .collect();
    let positive = series.iter().all(|l| l.points.iter().all(|p| p.1 > 0.0))
        && markers.iter().all(|m| m.y > 0.0);
    LineChart {
        title: format!("{}: monthly cost vs {}", s.scenario, s.axis.unit()),
        x_title: s.axis.title().into(),
        y_title: money_title("Monthly cost", currency, marks.log_y && positive),
        series,
        reference_lines: Vec::new(),
        markers,
        vertical_lines,
        log_x: log_x(s),
        log_y: marks.log_y && positive,
        size,
    }
}

/// Minutes per point of the simulated-week chart (10-minute buckets keep the SVG small).
const BUCKET_MIN: usize = 10;

/// Chart 4: the first simulated week of every phase, in 10-minute buckets: mean requests/s,
/// peak Lambda concurrency or task count, peak DB connections.
pub fn simulated_week(cap: &CapacityReport, size: ChartSize) -> PanelChart {
    let bucketed = |p: &crate::sim::PhaseCapacity, m: Metric, peak: bool| -> Vec<(f64, f64)> {
        let s = &p.sim.series;
        let minutes = s.minutes.min(7 * 24 * 60);
        (0..minutes / BUCKET_MIN)
            .map(|b| {
                let r = b * BUCKET_MIN..(b + 1) * BUCKET_MIN;
                let y = if peak {
                    s.maxes(m)[r]
                        .iter()
                        .fold(0.0f64, |a, v| a.max(f64::from(*v)))
                } else {
                    r.map(|i| s.mean(m, i)).sum::<f64>() / BUCKET_MIN as f64
                };
                ((b * BUCKET_MIN) as f64 / 60.0, y)
            })
            .collect()
    };
    let panel =
        |y_title: &str, pick: &dyn Fn(&crate::sim::PhaseCapacity) -> Option<Metric>, peak| {
            let series: Vec<LineSeries> = cap
                .phases
                .iter()
                .filter_map(|p| {
                    let m = pick(p)?;
                    Some(LineSeries {
                        name: p.phase.clone(),
                        points: bucketed(p, m, peak),
                    })
                })
                .collect();
            (!series.is_empty()).then(|| Panel {
                y_title: y_title.into(),
                series,
                reference_lines: Vec::new(),
                markers: Vec::new(),
            })
        };
    let has_lambda = cap.phases.iter().any(|p| p.lambda.is_some());
    let panels = [
        panel("Requests/s (10-min mean)", &|_| Some(Metric::Rps), false),
        if has_lambda {
            panel(
                "Lambda concurrency (peak)",
                &|p| p.lambda.as_ref().map(|_| Metric::LambdaConcurrency),
                true,
            )
        } else {
            None
        },
        panel(
            "Tasks / instances (peak)",
            &|p| p.tasks.as_ref().map(|_| Metric::Tasks),
            true,
        ),
        panel(
            "DB connections (peak)",
            &|p| p.db.as_ref().map(|_| Metric::DbConnections),
            true,
        ),
    ];
    PanelChart {
        title: "A simulated week (first 7 days of the simulated month)".into(),
        x_title: "Time (hours from Monday 00:00)".into(),
        panels: panels.into_iter().flatten().collect(),
        log_x: false,
        size,
    }
}
