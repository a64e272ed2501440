//! `sweep`: the monthly cost and capacity headroom of every phase across a range of traffic
//! (req/s, through the simulator) or of data volume (GB/month through NAT Gateways, NAT
//! instances and VPC endpoints), and the break-even points where one phase's cost crosses
//! another's.
//!
//! Break-even points are found precisely: the grid brackets each change of order, then the
//! bracket is bisected until it is narrower than [`X_TOLERANCE`] (relative); the reported point
//! is where the cost difference interpolates to zero inside the final bracket. Costs between
//! price tiers are linear in GB, so on the GB axis that point is exact to the tolerance; on the
//! req/s axis costs move in steps (whole requests, whole tasks), and the point is where the
//! cheaper option changes.
//!
//! Every (point, phase) evaluation is independent and runs on rayon's pool; results are
//! collected in grid order, so output does not depend on the number of threads.

use std::str::FromStr;
use std::sync::atomic::{AtomicUsize, Ordering};

use indexmap::IndexMap;
use rayon::prelude::*;
use rust_decimal::Decimal;

use crate::error::{Error, InputError, Result};
use crate::estimate::estimate_overridden;
use crate::pricing::PriceBook;
use crate::scenario::workload::ComputeDetail;
use crate::scenario::{Phase, Scenario};
use crate::sim::{self, Metric, PhaseModel, SimResult, Traffic};
use crate::usage::Demand;

/// Relative width at which break-even bisection stops (0.01 % of the point).
pub const X_TOLERANCE: f64 = 1e-4;
/// Most points a sweep may have.
pub const MAX_STEPS: usize = 100_000;
/// Whether the GB axis sets a usage of this kind (kinds that bill data processed).
fn gb_axis(kind: &str) -> bool {
    crate::resources::kind_info(kind).is_some_and(|k| k.gb_axis.is_some())
}

/// What is swept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Axis {
    /// Average requests per second the phase serves (simulated).
    Rps,
    /// GB per month through NAT and VPC endpoints (stated usage, priced exactly).
    Gb,
}

impl Axis {
    pub fn unit(self) -> &'static str {
        match self {
            Axis::Rps => "req/s",
            Axis::Gb => "GB/month",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Axis::Rps => "Average traffic (req/s)",
            Axis::Gb => "Data through NAT / endpoints (GB/month)",
        }
    }

    /// Decimal places x is shown with.
    pub fn dp(self) -> usize {
        match self {
            Axis::Rps => 2,
            Axis::Gb => 3,
        }
    }
}

/// An inclusive range `FROM..TO` as written on the command line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Span {
    pub from: f64,
    pub to: f64,
}

impl FromStr for Span {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, String> {
        let (a, b) = s
            .split_once("..")
            .ok_or_else(|| format!("expected FROM..TO (e.g. 1..2000), got `{s}`"))?;
        let num = |t: &str| {
            t.trim()
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| format!("`{t}` is not a number (in `{s}`)"))
        };
        let (from, to) = (num(a)?, num(b)?);
        if from < 0.0 || to <= from {
            return Err(format!(
                "the range must satisfy 0 <= FROM < TO, got {from}..{to}"
            ));
        }
        if to > 1e9 {
            return Err(format!("{to} is beyond what costplan sweeps (at most 1e9)"));
        }
        Ok(Span { from, to })
    }
}

/// A sweep request.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepSpec {
    pub axis: Axis,
    pub span: Span,
    /// Number of grid points, both ends included (>= 2).
    pub steps: usize,
    /// Geometric spacing (needs FROM > 0).
    pub log: bool,
}

impl SweepSpec {
    /// The grid, both ends exact.
    pub fn points(&self) -> Vec<f64> {
        let n = self.steps;
        let Span { from, to } = self.span;
        (0..n)
            .map(|i| {
                if i == 0 {
                    return from;
                }
                if i == n - 1 {
                    return to;
                }
                let f = i as f64 / (n - 1) as f64;
                if self.log {
                    from * (to / from).powf(f)
                } else {
                    from + (to - from) * f
                }
            })
            .collect()
    }
}

/// One phase at one point.
#[derive(Debug, Clone, PartialEq)]
pub struct PhasePoint {
    pub monthly: Decimal,
    /// Smallest headroom left on the capacity limits (DB connections, Lambda concurrency,
    /// fleet maximum), in percent; `None` when the phase has none of them.
    pub headroom_pct: Option<f64>,
    /// Peak DB connections (1-minute maximum), when the phase has a database.
    pub db_peak: Option<f64>,
    /// The first of the phase's triggers and built-in limits that fires here.
    pub fires: Option<String>,
}

/// One grid point: x and every phase there.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepRow {
    pub x: f64,
    pub phases: Vec<PhasePoint>,
}

/// Where two phases' monthly costs cross.
#[derive(Debug, Clone, PartialEq)]
pub struct BreakEven {
    pub cheaper_below: String,
    pub cheaper_above: String,
    pub x: f64,
    /// The (equal) monthly cost there, from the cheaper-below phase at x.
    pub monthly: Decimal,
}

/// A phase as the sweep sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct SweptPhase {
    pub name: String,
    /// Usable DB connections (max_connections minus reserved), when it has a database.
    pub db_usable: Option<u32>,
}

/// The result of a sweep.
#[derive(Debug, Clone, PartialEq)]
pub struct Sweep {
    pub scenario: String,
    pub axis: Axis,
    pub seed: Option<u64>,
    pub phases: Vec<SweptPhase>,
    pub rows: Vec<SweepRow>,
    pub break_evens: Vec<BreakEven>,
}

/// Prices one phase at one x.
struct Evaluator<'a> {
    scenario: &'a Scenario,
    book: &'a PriceBook,
    axis: Axis,
    traffic: Option<Traffic>,
    hours: f64,
    /// GB axis: each phase's usage at the expected traffic (fixed across x).
    base_demand: IndexMap<String, Demand>,
}

impl Evaluator<'_> {
    /// Every phase of `phases` at `x`, in order. On the req/s axis the phases are simulated
    /// together (they see the same traffic, so they share its arrivals).
    fn at_all(&self, phases: &[&Phase], x: f64) -> Result<Vec<PhasePoint>> {
        match self.axis {
            Axis::Rps => self.at_rps(phases, x),
            Axis::Gb => phases.iter().map(|p| self.at_gb(p, x)).collect(),
        }
    }

    fn at_rps(&self, phases: &[&Phase], x: f64) -> Result<Vec<PhasePoint>> {
        let no_traffic = || Error::from(InputError::new("a req/s sweep needs a [traffic] section"));
        let traffic = self.traffic.as_ref().ok_or_else(no_traffic)?;
        // x is each phase's own average: scale its share of the scenario's traffic to it.
        let at: Vec<(&Phase, f64)> = phases
            .iter()
            .map(|p| {
                let avg = traffic.profile.avg_rps * p.traffic_share;
                (*p, if avg > 0.0 { x / avg } else { 0.0 })
            })
            .collect();
        let priced =
            crate::plan::priced_many_at(self.scenario, self.book, traffic, &at, self.hours)?;
        phases
            .iter()
            .zip(priced)
            .map(|(phase, priced)| {
                let (Some(model), Some((monthly, month))) = (&phase.model, priced) else {
                    return Err(no_traffic());
                };
                Ok(rps_point(phase, model, monthly, &month))
            })
            .collect()
    }

    fn at_gb(&self, phase: &Phase, x: f64) -> Result<PhasePoint> {
        // The point's volume replaces what the scenario states, on every resource of the kinds
        // that process data.
        let gb = crate::num::dec_from_f64(x, 6);
        let overrides: Demand = phase
            .resources
            .iter()
            .filter_map(|r| {
                let key = crate::resources::kind_info(r.kind)?.gb_axis?;
                let mut d = crate::resources::Derived::new();
                d.set(key, gb);
                Some((r.name.clone(), d))
            })
            .collect();
        let est = estimate_overridden(
            self.scenario,
            self.book,
            Some(&phase.name),
            &self.base_demand,
            &overrides,
        )?;
        let monthly = est
            .phases
            .first()
            .map_or(Decimal::ZERO, |p| p.monthly_total());
        Ok(PhasePoint {
            monthly,
            headroom_pct: None,
            db_peak: None,
            fires: None,
        })
    }
}

/// A phase's point on the req/s axis from its simulated month: cost, headroom, first rule.
fn rps_point(phase: &Phase, model: &PhaseModel, monthly: Decimal, month: &SimResult) -> PhasePoint {
    let usable = model.db.as_ref().map_or(0, |d| d.limit.usable);
    let fires = sim::phase_rules(model, &phase.triggers)
        .iter()
        .find(|r| r.fires(month, usable))
        .map(|r| r.rule());
    let mut headroom: Option<f64> = None;
    let mut take = |limit: f64, used: f64| {
        if limit > 0.0 {
            let h = 100.0 * (1.0 - used / limit);
            headroom = Some(headroom.map_or(h, |m| m.min(h)));
        }
    };
    if let Some(db) = &model.db {
        take(f64::from(db.limit.usable), month.db_peak);
    }
    for unit in &model.compute {
        match &unit.detail {
            ComputeDetail::Lambda { cap, .. } => take(
                f64::from(*cap),
                month.series.max_of(Metric::LambdaConcurrency),
            ),
            ComputeDetail::Fleet {
                scaling: Some(s), ..
            } => take(f64::from(s.max), month.series.max_of(Metric::Tasks)),
            ComputeDetail::Fleet { .. } => {}
        }
    }
    PhasePoint {
        monthly,
        headroom_pct: headroom,
        db_peak: model.db.as_ref().map(|_| month.db_peak),
        fires,
    }
}

/// Sweep `spec` over the phases of `scenario` (environments are left out: they are the same
/// system at another size, not an option to compare). `progress` counts finished evaluations.
pub fn sweep(
    scenario: &Scenario,
    book: &PriceBook,
    spec: &SweepSpec,
    only: Option<&str>,
    seed: Option<u64>,
    progress: Option<&AtomicUsize>,
) -> Result<Sweep> {
    if spec.steps < 2 || spec.steps > MAX_STEPS {
        return Err(Error::from(InputError::new(format!(
            "--steps must be between 2 and {MAX_STEPS}, got {}",
            spec.steps
        ))));
    }
    if spec.log && spec.span.from <= 0.0 {
        return Err(Error::from(
            InputError::new("a logarithmic sweep needs FROM > 0").with_help(Some(
                "start the range at a positive value, e.g. 1..2000".into(),
            )),
        ));
    }
    if let Some(o) = only {
        scenario.phase(o)?;
    }
    let phases: Vec<&Phase> = scenario
        .phases
        .iter()
        .filter(|p| only.map_or(p.environment_of.is_none(), |o| o == p.name))
        .collect();
    let mut traffic = scenario.traffic.clone();
    if let (Some(t), Some(s)) = (&mut traffic, seed) {
        t.settings.seed = s;
    }
    let hours = crate::capacity::to_f64(scenario.hours_per_month);
    // The GB axis prices the rest of each phase at the expected traffic (simulated once).
    let base_demand = match spec.axis {
        Axis::Rps => {
            if traffic.is_none() {
                return Err(Error::from(
                    InputError::new(format!(
                        "{} has no [traffic] section, so there is no req/s to sweep",
                        scenario.doc.name
                    ))
                    .with_help(Some(
                        "add [traffic] (see README, Traffic), or sweep --gb for data volume".into(),
                    )),
                ));
            }
            IndexMap::new()
        }
        Axis::Gb => {
            let has_gb = phases
                .iter()
                .any(|p| p.resources.iter().any(|r| gb_axis(r.kind)));
            if !has_gb {
                return Err(Error::from(
                    InputError::new(format!(
                        "no phase of {} has a {}, so there is no GB/month to sweep",
                        scenario.doc.name,
                        crate::resources::kinds_where(|k| k.gb_axis.is_some(), "or")
                    ))
                    .with_help(Some("sweep --rps for traffic instead".into())),
                ));
            }
            let base_demand = match &traffic {
                Some(t) => phases
                    .par_iter()
                    .filter_map(|p| {
                        let model = p.model.as_ref()?;
                        let t = t.shared(p.traffic_share);
                        let month =
                            sim::simulate(model, &t.profile, &t.settings, hours * 3600.0, 1.0);
                        Some((
                            p.name.clone(),
                            crate::plan::demand_of(p, model, &month, &t.profile, hours),
                        ))
                    })
                    .collect::<Vec<_>>()
                    .into_iter()
                    .collect(),
                None => IndexMap::new(),
            };
            base_demand
        }
    };
    let evaluator = Evaluator {
        scenario,
        book,
        axis: spec.axis,
        traffic,
        hours,
        base_demand,
    };

    let xs = spec.points();
    let np = phases.len();
    let rows: Vec<SweepRow> = xs
        .par_iter()
        .map(|&x| {
            let r = evaluator.at_all(&phases, x);
            if let Some(p) = progress {
                p.fetch_add(np, Ordering::Relaxed);
            }
            Ok(SweepRow { x, phases: r? })
        })
        .collect::<Result<_>>()?;

    // Every pair of phases, every stretch of the grid where their order flips: from a point
    // where one is cheaper to the next point where the other is. Points where they cost the
    // same lie inside such a stretch; a tie that ends with the same one cheaper again (or the
    // grid's end) is not a crossing.
    let mut brackets = Vec::new();
    for i in 0..np {
        for j in i + 1..np {
            let mut last: Option<(usize, bool)> = None; // (point, phase i cheaper)
            for (w, r) in rows.iter().enumerate() {
                let d = r.phases[i].monthly - r.phases[j].monthly;
                if d.is_zero() {
                    continue;
                }
                let i_cheaper = d < Decimal::ZERO;
                if let Some((lo, was)) = last {
                    if was != i_cheaper {
                        brackets.push((i, j, lo, w));
                    }
                }
                last = Some((w, i_cheaper));
            }
        }
    }
    let break_evens: Vec<BreakEven> = brackets
        .par_iter()
        .map(|&(i, j, lo, hi)| {
            refine(
                &evaluator,
                phases[i],
                phases[j],
                (rows[lo].x, &rows[lo].phases[i], &rows[lo].phases[j]),
                (rows[hi].x, &rows[hi].phases[i], &rows[hi].phases[j]),
            )
        })
        .collect::<Result<_>>()?;

    Ok(Sweep {
        scenario: scenario.name.clone(),
        axis: spec.axis,
        seed: evaluator.traffic.as_ref().map(|t| t.settings.seed),
        phases: phases
            .iter()
            .map(|p| SweptPhase {
                name: p.name.clone(),
                db_usable: p
                    .model
                    .as_ref()
                    .and_then(|m| m.db.as_ref())
                    .map(|d| d.limit.usable),
            })
            .collect(),
        rows,
        break_evens,
    })
}

/// Narrow a bracket in which `a - b` changes sign to [`X_TOLERANCE`], then interpolate.
fn refine(
    ev: &Evaluator,
    a: &Phase,
    b: &Phase,
    lo: (f64, &PhasePoint, &PhasePoint),
    hi: (f64, &PhasePoint, &PhasePoint),
) -> Result<BreakEven> {
    let diff = |pa: &PhasePoint, pb: &PhasePoint| crate::capacity::to_f64(pa.monthly - pb.monthly);
    let (mut x0, mut d0) = (lo.0, diff(lo.1, lo.2));
    let (mut x1, mut d1) = (hi.0, diff(hi.1, hi.2));
    // Both ends differ (ties are never bracket ends), so this says who is cheaper below.
    let a_cheaper_below = d0 < 0.0;
    // d0 stays non-zero; d1 becomes zero if a midpoint ties exactly.
    while d1 != 0.0 && (x1 - x0) > X_TOLERANCE * x1.abs().max(1e-3) {
        let mid = 0.5 * (x0 + x1);
        let dm = match ev.at_all(&[a, b], mid)?.as_slice() {
            [pa, pb] => diff(pa, pb),
            // `at_all` gives one point per phase.
            _ => 0.0,
        };
        if (dm < 0.0) == (d0 < 0.0) && dm != 0.0 {
            (x0, d0) = (mid, dm);
        } else {
            (x1, d1) = (mid, dm);
        }
    }
    let x = if d1 == 0.0 {
        x1
    } else {
        // Linear interpolation of the difference inside the (tiny) final bracket.
        x0 + (x1 - x0) * d0 / (d0 - d1)
    };
    let monthly = ev
        .at_all(&[a], x)?
        .first()
        .map_or(Decimal::ZERO, |p| p.monthly);
    let (below, above) = if a_cheaper_below { (a, b) } else { (b, a) };
    Ok(BreakEven {
        cheaper_below: below.name.clone(),
        cheaper_above: above.name.clone(),
        x,
        monthly,
    })
}
