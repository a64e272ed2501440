//! `costplan forecast`: month by month, the traffic from the scenario's `[growth]`, the phase
//! of the growth sequence that month needs, its monthly cost and the cumulative spend.
//!
//! It re-uses the plan's searches rather than simulating every month's triggers: the ladder
//! already knows, per phase, the lowest traffic scale at which one of its triggers or built-in
//! limits fires (`first_fires_at_scale`). A month's phase is the first phase of the sequence
//! that holds (nothing fires) at that month's scale (or, with `lead_months`, at the highest scale of
//! that month and the next `lead_months`): the phases' limits are computed once, not once a
//! month. Each month is then priced by one simulation of that phase at that month's traffic
//! (cached by phase and traffic point, run in parallel).

use std::str::FromStr;

use indexmap::IndexMap;
use rayon::prelude::*;
use rust_decimal::Decimal;

use crate::error::{InputError, Result};
use crate::plan::Plan;
use crate::pricing::{FreeTier, PriceBook};
use crate::scenario::growth::GrowthRate;
use crate::scenario::Scenario;

/// The first month of a forecast, `YYYY-MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonthStart {
    pub year: i32,
    pub month: u32,
}

impl FromStr for MonthStart {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        let bad = || format!("`{s}` is not a month: write YYYY-MM, e.g. 2027-01");
        let (y, m) = s.trim().split_once('-').ok_or_else(bad)?;
        let year: i32 = y.parse().map_err(|_| bad())?;
        let month: u32 = m.parse().map_err(|_| bad())?;
        if y.len() != 4 || m.len() != 2 || !(1..=12).contains(&month) {
            return Err(bad());
        }
        Ok(MonthStart { year, month })
    }
}

impl MonthStart {
    /// The label of forecast month `n` (1 = this month).
    fn label(self, n: u32) -> String {
        let i = (self.month - 1) + (n - 1);
        format!("{:04}-{:02}", self.year + (i / 12) as i32, i % 12 + 1)
    }
}

/// The most months a forecast covers (100 years).
pub const MAX_MONTHS: u32 = 1200;

/// Months `run --out` forecasts: a stated series' length, else two years.
pub fn default_months(scenario: &Scenario) -> u32 {
    match &scenario.growth.rate {
        Some(GrowthRate::Mau(v)) | Some(GrowthRate::Rps(v)) => {
            u32::try_from(v.len()).unwrap_or(MAX_MONTHS).min(MAX_MONTHS)
        }
        _ => 24,
    }
}

/// What a forecast is asked for.
#[derive(Debug, Clone, Copy)]
pub struct ForecastSpec {
    pub months: u32,
    pub start: Option<MonthStart>,
}

/// One month of a forecast.
#[derive(Debug, Clone, PartialEq)]
pub struct ForecastMonth {
    /// 1-based.
    pub month: u32,
    /// `M1`, or `2027-01` with a start month.
    pub label: String,
    /// Traffic as a multiple of the scenario's `[traffic]`.
    pub scale: f64,
    pub avg_rps: f64,
    pub mau: Option<f64>,
    pub phase: String,
    /// No phase of the sequence holds at this month's traffic: the last one is priced anyway.
    pub over_limit: bool,
    pub monthly_cost: Decimal,
    /// The credit plan's credits used this month (`free_tier = "credits"`), already deducted.
    pub credits_used: Decimal,
    pub cumulative: Decimal,
}

/// When one of a sequence phase's rules first fires.
#[derive(Debug, Clone, PartialEq)]
pub struct TriggerOnset {
    pub phase: String,
    pub rule: String,
    pub builtin: bool,
    /// First forecast month whose traffic reaches where the rule fires; `None` within the
    /// horizon.
    pub month: Option<u32>,
    pub label: Option<String>,
}

/// The months a phase is the one needed.
#[derive(Debug, Clone, PartialEq)]
pub struct PhaseSpan {
    pub phase: String,
    /// Traffic scale up to which it holds (the ladder's `holds_up_to_scale`), `None` when
    /// nothing fires up to the search cap.
    pub holds_up_to_scale: Option<f64>,
    pub first_month: Option<u32>,
    pub last_month: Option<u32>,
}

/// A whole forecast.
#[derive(Debug, Clone, PartialEq)]
pub struct Forecast {
    pub scenario: String,
    pub region: String,
    pub currency: String,
    /// How traffic grows, in words.
    pub growth: String,
    pub lead_months: u32,
    pub seed: u64,
    pub months: Vec<ForecastMonth>,
    pub triggers: Vec<TriggerOnset>,
    pub phases: Vec<PhaseSpan>,
    pub notes: Vec<String>,
}

impl Forecast {
    pub fn total(&self) -> Decimal {
        self.months.last().map_or(Decimal::ZERO, |m| m.cumulative)
    }
}

/// The traffic scale of month `m` (1-based) under `rate`, `None` past a stated series.
fn scale_of(rate: &GrowthRate, base_rps: f64, base_mau: Option<f64>, m: u32) -> Option<f64> {
    let i = (m - 1) as usize;
    match rate {
        GrowthRate::Monthly(r) => {
            Some((1.0 + crate::capacity::to_f64(*r)).powi(i32::try_from(i).ok()?))
        }
        GrowthRate::Mau(v) => Some(v.get(i)? / base_mau?),
        GrowthRate::Rps(v) => Some(v.get(i)? / base_rps),
    }
}

fn describe(rate: &GrowthRate, lead: u32) -> String {
    let mut s = match rate {
        GrowthRate::Monthly(r) => format!(
            "{} % a month, compounded, from [traffic]",
            crate::money::fmt_number(*r * Decimal::ONE_HUNDRED)
        ),
        GrowthRate::Mau(v) => format!("stated MAU for {} months", v.len()),
        GrowthRate::Rps(v) => format!("stated req/s for {} months", v.len()),
    };
    if lead > 0 {
        s.push_str(&format!(
            "; phases switch {lead} month{} before they are needed",
            if lead == 1 { "" } else { "s" }
        ));
    }
    s
}

/// Forecast `scenario` over `spec.months` from its `plan` (which holds the ladder's limits).
pub fn forecast(
    scenario: &Scenario,
    book: &PriceBook,
    plan: &Plan,
    spec: ForecastSpec,
) -> Result<Forecast> {
    let doc = &scenario.doc;
    let growth_at = crate::source::KeyPath::root().key("growth");
    let (Some(traffic), Some(capacity)) = (&scenario.traffic, &plan.capacity) else {
        return Err(InputError::new(format!(
            "{}: a forecast needs a `[traffic]` profile to grow",
            doc.name
        ))
        .with_help(Some(
            "add [traffic] and a [growth] table (see README, Forecast)".into(),
        ))
        .into());
    };
    let Some(rate) = &scenario.growth.rate else {
        return Err(InputError::new(format!(
            "{}: a forecast needs the traffic's growth: `[growth]` states no `monthly_percent`, `mau` or `rps`",
            doc.name
        ))
        .with_help(Some(
            "e.g. [growth] monthly_percent = 10, or mau = [1000, 1200, ...] (one per month)".into(),
        ))
        .into());
    };
    if spec.months == 0 || spec.months > MAX_MONTHS {
        return Err(InputError::new(format!(
            "--months must be between 1 and {MAX_MONTHS}, got {}",
            spec.months
        ))
        .into());
    }
    let (series_key, series_len) = match rate {
        GrowthRate::Mau(v) => ("mau", Some(v.len())),
        GrowthRate::Rps(v) => ("rps", Some(v.len())),
        GrowthRate::Monthly(_) => ("", None),
    };
    if let Some(len) = series_len.filter(|l| *l < spec.months as usize) {
        return Err(doc
            .error_at(
                &growth_at.key(series_key),
                format!(
                    "the `{series_key}` series has {len} months, but the forecast asks for {}",
                    spec.months
                ),
            )
            .with_help(Some(format!("use --months {len} or extend the series")))
            .into());
    }
    let lead = scenario.growth.lead_months;
    let profile = &traffic.profile;
    let base_mau = profile.mau_at(1.0);
    let scales: Vec<f64> = (1..=spec.months + lead)
        .map_while(|m| scale_of(rate, profile.avg_rps, base_mau, m))
        .collect();

    // The growth sequence with each phase's limit, from the plan's searches: the lowest scale at
    // which one of its rules fires (the top of the searched bracket, as the trigger months
    // below use, so a switch and the onset that causes it fall in the same month).
    let fires_from = |name: &str| {
        capacity.phase(name).and_then(|c| {
            c.triggers
                .iter()
                .filter_map(|t| t.first_fires_at_scale)
                .min_by(f64::total_cmp)
        })
    };
    let sequence: Vec<(&crate::scenario::Phase, Option<f64>)> = scenario
        .growth
        .sequence
        .iter()
        .filter_map(|n| scenario.phases.iter().find(|p| &p.name == n))
        .filter(|p| p.model.is_some())
        .map(|p| (p, fires_from(&p.name)))
        .collect();
    let Some(last) = sequence.last() else {
        return Err(InputError::new(format!(
            "{}: the growth sequence has no phase to forecast",
            doc.name
        ))
        .with_help(Some(
            "list the phases the system grows through in [growth] phases = [...]".into(),
        ))
        .into());
    };
    let holds = |fires: Option<f64>, need: f64| need < fires.unwrap_or(f64::INFINITY);
    // Month by month: the need (the highest scale within the lead window) and its phase.
    let mut chosen: Vec<(usize, bool)> = Vec::new();
    for m in 0..spec.months as usize {
        let end = (m + lead as usize + 1).min(scales.len());
        let need = scales[m..end].iter().copied().fold(0.0, f64::max);
        let found = sequence.iter().position(|(_, l)| holds(*l, need));
        chosen.push(match found {
            Some(i) => (i, false),
            None => (sequence.len() - 1, true),
        });
    }

    // Price each distinct (phase, traffic point) once, in parallel.
    let mut sim_traffic = traffic.clone();
    sim_traffic.settings.seed = plan.seed;
    let hours = crate::capacity::to_f64(scenario.hours_per_month);
    let mut points: Vec<(usize, u64)> = chosen
        .iter()
        .enumerate()
        .map(|(m, (i, _))| (*i, scales[m].to_bits()))
        .collect();
    points.sort_unstable();
    points.dedup();
    let priced: Vec<Result<((usize, u64), Decimal)>> = points
        .par_iter()
        .map(|&(i, bits)| {
            let phase = sequence[i].0;
            let out = crate::plan::estimated_many_at(
                scenario,
                book,
                &sim_traffic,
                &[(phase, f64::from_bits(bits))],
                hours,
            )?;
            // Without the credit line: the forecast spends the credits over the months.
            let cost = out
                .into_iter()
                .next()
                .flatten()
                .map_or(Decimal::ZERO, |(e, _)| {
                    e.lines
                        .iter()
                        .filter(|l| l.service != crate::pricing::CREDIT_LINE_SERVICE)
                        .map(|l| l.monthly_cost)
                        .sum()
                });
            Ok(((i, bits), cost))
        })
        .collect();
    let mut cost_at: IndexMap<(usize, u64), Decimal> = IndexMap::new();
    for p in priced {
        let (k, v) = p?;
        cost_at.insert(k, v);
    }

    let label = |n: u32| match spec.start {
        Some(s) => s.label(n),
        None => format!("M{n}"),
    };
    let mut credit_left = match scenario.free_tier {
        FreeTier::Credits => scenario.free_tier_credits.unwrap_or(Decimal::ZERO),
        _ => Decimal::ZERO,
    };
    let mut cumulative = Decimal::ZERO;
    let mut months = Vec::with_capacity(chosen.len());
    for (m, &(i, over)) in chosen.iter().enumerate() {
        let n = m as u32 + 1;
        let gross = cost_at
            .get(&(i, scales[m].to_bits()))
            .copied()
            .unwrap_or_default();
        // The credit plan: credits against the first 6 months' bills, until they run out.
        let credits_used = if n <= 6 {
            credit_left.min(gross.max(Decimal::ZERO))
        } else {
            Decimal::ZERO
        };
        credit_left -= credits_used;
        let cost = gross - credits_used;
        cumulative += cost;
        months.push(ForecastMonth {
            month: n,
            label: label(n),
            scale: scales[m],
            avg_rps: profile.avg_rps * scales[m],
            mau: profile.mau_at(scales[m]),
            phase: sequence[i].0.name.clone(),
            over_limit: over,
            monthly_cost: cost,
            credits_used,
            cumulative,
        });
    }

    let first_month_at = |scale: f64| {
        months
            .iter()
            .find(|m| m.scale >= scale)
            .map(|m| (m.month, m.label.clone()))
    };
    let mut triggers = Vec::new();
    for (p, _) in &sequence {
        for t in capacity.phase(&p.name).map_or(&[][..], |c| &c.triggers) {
            let at = t.first_fires_at_scale.and_then(first_month_at);
            triggers.push(TriggerOnset {
                phase: p.name.clone(),
                rule: t.rule.clone(),
                builtin: t.builtin,
                month: at.as_ref().map(|a| a.0),
                label: at.map(|a| a.1),
            });
        }
    }
    let phases = sequence
        .iter()
        .map(|(p, _)| {
            let mut here = months.iter().filter(|m| m.phase == p.name);
            let first = here.next().map(|m| m.month);
            let last = here.next_back().map(|m| m.month).or(first);
            PhaseSpan {
                phase: p.name.clone(),
                holds_up_to_scale: capacity
                    .phase(&p.name)
                    .and_then(|c| c.limit.as_ref())
                    .map(|l| l.holds_up_to_scale),
                first_month: first,
                last_month: last,
            }
        })
        .collect();
    let mut notes = Vec::new();
    if let Some(m) = months.iter().find(|m| m.scale > crate::sim::MAX_SCALE) {
        notes.push(format!(
            "from {} the traffic is above the trigger search's cap ({}x [traffic]): a phase whose rules never fired in the search is assumed to hold there",
            m.label,
            crate::sim::MAX_SCALE
        ));
    }
    if let Some(m) = months.iter().find(|m| m.over_limit) {
        notes.push(format!(
            "from {} no phase of the growth sequence holds: {} is priced past its limit",
            m.label, last.0.name
        ));
    }
    if scenario.free_tier == FreeTier::Credits {
        notes.push(format!(
            "credit plan: {} of credits spent against the first 6 months' bills (accounts created on or after {})",
            crate::money::fmt_money(scenario.free_tier_credits.unwrap_or_default()),
            crate::pricing::CREDIT_PLAN_START
        ));
    }
    if scenario.free_tier == FreeTier::Legacy12Month && spec.months > 12 {
        notes.push(
            "free_tier = \"legacy-12-month\" is applied to every month, also after the account's first 12 months".into(),
        );
    }
    Ok(Forecast {
        scenario: scenario.name.clone(),
        region: scenario.region.clone(),
        currency: scenario.currency.clone(),
        growth: describe(rate, lead),
        lead_months: lead,
        seed: plan.seed,
        months,
        triggers,
        phases,
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_labels_roll_over_the_year() {
        let s: MonthStart = "2026-11".parse().unwrap();
        assert_eq!(s.label(1), "2026-11");
        assert_eq!(s.label(3), "2027-01");
        assert_eq!(s.label(26), "2028-12");
        assert!("2026-13".parse::<MonthStart>().is_err());
        assert!("26-01".parse::<MonthStart>().is_err());
    }

    #[test]
    fn compound_growth_scales() {
        let r = GrowthRate::Monthly(Decimal::new(10, 2));
        assert_eq!(scale_of(&r, 1.0, None, 1), Some(1.0));
        assert!((scale_of(&r, 1.0, None, 3).unwrap() - 1.21).abs() < 1e-12);
        let s = GrowthRate::Mau(vec![1000.0, 2000.0]);
        assert_eq!(scale_of(&s, 1.0, Some(1000.0), 2), Some(2.0));
        assert_eq!(scale_of(&s, 1.0, Some(1000.0), 3), None);
    }
}
