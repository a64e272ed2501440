//! Estimates: cost lines per phase, totals, free-tier credits.

use indexmap::IndexMap;
use rust_decimal::Decimal;

pub use crate::cost::{CostKind, CostLine, UsageSource};
use crate::error::{InputError, Result};
use crate::pricing::{PriceBook, Pricer};
use crate::resources::Ctx;
use crate::scenario::{Phase, Scenario};

/// All lines of one phase.
#[derive(Debug, Clone)]
pub struct PhaseEstimate {
    pub name: String,
    pub description: Option<String>,
    pub environment_of: Option<String>,
    pub lines: Vec<CostLine>,
}

impl PhaseEstimate {
    pub fn monthly_total(&self) -> Decimal {
        self.lines.iter().map(|l| l.monthly_cost).sum()
    }
    pub fn annual_total(&self) -> Decimal {
        self.monthly_total() * Decimal::from(12)
    }
    pub fn baseline_monthly(&self) -> Decimal {
        self.lines
            .iter()
            .filter(|l| l.kind == CostKind::Baseline)
            .map(|l| l.monthly_cost)
            .sum()
    }
    pub fn usage_monthly(&self) -> Decimal {
        self.lines
            .iter()
            .filter(|l| l.kind == CostKind::Usage)
            .map(|l| l.monthly_cost)
            .sum()
    }
    /// Monthly cost per service, in first-seen order.
    pub fn by_service(&self) -> IndexMap<String, Decimal> {
        let mut m: IndexMap<String, Decimal> = IndexMap::new();
        for l in &self.lines {
            *m.entry(l.service.clone()).or_default() += l.monthly_cost;
        }
        m
    }
}

/// The estimate of a whole scenario.
#[derive(Debug, Clone)]
pub struct Estimate {
    pub scenario: String,
    pub region: String,
    pub currency: String,
    pub hours_per_month: Decimal,
    pub phases: Vec<PhaseEstimate>,
    /// Price keys used, with their book entries' source and date (for reports).
    pub prices_used: Vec<String>,
}

/// A phase with its environments (prod + staging + dev): the sum of their totals.
#[derive(Debug, Clone, PartialEq)]
pub struct WithEnvironments {
    pub phase: String,
    pub environments: Vec<String>,
    pub monthly_total: Decimal,
    pub baseline_monthly: Decimal,
    pub usage_monthly: Decimal,
}

impl WithEnvironments {
    /// `prod + staging + dev`.
    pub fn label(&self) -> String {
        std::iter::once(self.phase.as_str())
            .chain(self.environments.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join(" + ")
    }
    pub fn annual_total(&self) -> Decimal {
        self.monthly_total * Decimal::from(12)
    }
}

impl Estimate {
    /// Every priced phase that has priced environments, with their summed totals (exact sums
    /// of the members' totals), in phase order.
    pub fn with_environments(&self) -> Vec<WithEnvironments> {
        self.phases
            .iter()
            .filter(|p| p.environment_of.is_none())
            .filter_map(|p| {
                let envs: Vec<&PhaseEstimate> = self
                    .phases
                    .iter()
                    .filter(|e| e.environment_of.as_deref() == Some(p.name.as_str()))
                    .collect();
                if envs.is_empty() {
                    return None;
                }
                let all = || std::iter::once(p).chain(envs.iter().copied());
                Some(WithEnvironments {
                    phase: p.name.clone(),
                    environments: envs.iter().map(|e| e.name.clone()).collect(),
                    monthly_total: all().map(PhaseEstimate::monthly_total).sum(),
                    baseline_monthly: all().map(PhaseEstimate::baseline_monthly).sum(),
                    usage_monthly: all().map(PhaseEstimate::usage_monthly).sum(),
                })
            })
            .collect()
    }
}

/// Price every phase (or only `only`) of `scenario` with `book`.
pub fn estimate(scenario: &Scenario, book: &PriceBook, only: Option<&str>) -> Result<Estimate> {
    estimate_with(scenario, book, only, &IndexMap::new())
}

/// Like [`estimate`], with the simulator's derived usage per phase and resource.
pub fn estimate_with(
    scenario: &Scenario,
    book: &PriceBook,
    only: Option<&str>,
    demands: &IndexMap<String, crate::usage::Demand>,
) -> Result<Estimate> {
    estimate_overridden(scenario, book, only, demands, &crate::usage::Demand::new())
}

/// Like [`estimate_with`], with usage fields set from outside the scenario (a sweep's point),
/// by resource name: they take the place of what the scenario states.
pub fn estimate_overridden(
    scenario: &Scenario,
    book: &PriceBook,
    only: Option<&str>,
    demands: &IndexMap<String, crate::usage::Demand>,
    overrides: &crate::usage::Demand,
) -> Result<Estimate> {
    let doc = &scenario.doc;
    let pricer = Pricer::new(book, &scenario.overrides)
        .map_err(|e| doc.locate(&crate::source::KeyPath::root().key("overrides"), e))?;
    let selected: Vec<&Phase> = match only {
        Some(name) => vec![scenario.phase(name)?],
        None => scenario.phases.iter().collect(),
    };
    let mut phases = Vec::with_capacity(selected.len());
    let mut missing: Vec<Missing> = Vec::new();
    for phase in selected {
        if let Some(p) = price_phase(
            scenario,
            &pricer,
            phase,
            demands.get(&phase.name),
            overrides,
            &mut missing,
        )? {
            phases.push(p);
        }
    }
    if let Some(e) = missing_prices(scenario, &pricer, &missing) {
        return Err(e.into());
    }
    if only.is_none() {
        if let Some(key) = pricer.unused_overrides().first() {
            return Err(doc
                .error_at(
                    &crate::source::KeyPath::root().key("overrides").key(key),
                    format!("override `{key}` is not used by any resource"),
                )
                .with_help(crate::suggest::did_you_mean(
                    key,
                    pricer.used_keys().iter().map(String::as_str),
                ))
                .into());
        }
    }
    Ok(Estimate {
        scenario: scenario.name.clone(),
        region: scenario.region.clone(),
        currency: scenario.currency.clone(),
        hours_per_month: scenario.hours_per_month,
        phases,
        prices_used: pricer.used_keys(),
    })
}

/// A price the book lacks, where it was needed.
struct Missing {
    key: String,
    phase: String,
    resource: String,
    origin: crate::source::KeyPath,
}

/// One error naming every missing price of the run (key, phase, resource), located at the
/// first resource that needs one; `None` when nothing is missing.
fn missing_prices(scenario: &Scenario, pricer: &Pricer, missing: &[Missing]) -> Option<InputError> {
    let first = missing.first()?;
    let mut distinct: Vec<&str> = missing.iter().map(|m| m.key.as_str()).collect();
    distinct.sort_unstable();
    distinct.dedup();
    let message = if missing.len() == 1 {
        format!(
            "phase `{}`, resource `{}`: no price for `{}` in {}; add it to {} or override it in the scenario",
            first.phase, first.resource, first.key, pricer.book.region, pricer.book.file
        )
    } else {
        let region = &pricer.book.region;
        let list: Vec<String> = missing
            .iter()
            .map(|m| {
                format!(
                    "  no price for `{}` in {region} (phase `{}`, resource `{}`)",
                    m.key, m.phase, m.resource
                )
            })
            .collect();
        format!(
            "{} prices are missing ({} distinct keys); add them to {} or override them in the scenario:\n{}",
            missing.len(),
            distinct.len(),
            pricer.book.file,
            list.join("\n")
        )
    };
    Some(
        scenario
            .doc
            .error_at(&first.origin, message)
            .with_help(Some(crate::pricing::missing_help(
                &first.key,
                &pricer.book.region,
            ))),
    )
}

/// Price one phase; `None` (and the keys added to `missing`) when prices are missing, so the
/// run goes on and names them all.
fn price_phase(
    scenario: &Scenario,
    pricer: &Pricer,
    phase: &Phase,
    demand: Option<&crate::usage::Demand>,
    overrides: &crate::usage::Demand,
    missing: &mut Vec<Missing>,
) -> Result<Option<PhaseEstimate>, InputError> {
    let missing_before = missing.len();
    let mut components = Vec::new();
    for r in &phase.resources {
        // Kinds are checked when the scenario is parsed; an unknown one here is a bug, reported
        // as an error rather than a panic.
        let Some(info) = crate::resources::kind_info(r.kind) else {
            return Err(InputError::new(format!(
                "internal error: resource kind `{}` is not registered",
                r.kind
            )));
        };
        let mut ctx = Ctx::new(
            pricer,
            &scenario.catalog,
            info,
            &r.name,
            scenario.hours_per_month,
        )
        .with_derived(demand.and_then(|d| d.get(&r.name)))
        .with_overrides(overrides.get(&r.name))
        .with_stated_scale(phase.stated_usage_scale)
        .with_discounts(&phase.discounts);
        r.model.price(&mut ctx).map_err(|e| {
            scenario
                .doc
                .error_at(
                    &r.origin,
                    format!(
                        "phase `{}`, resource `{}`: {}",
                        phase.name, r.name, e.message
                    ),
                )
                .with_help(e.help)
        })?;
        let (parts, lacking) = ctx.into_components();
        components.extend(parts);
        missing.extend(lacking.into_iter().map(|e| Missing {
            key: e.missing.unwrap_or_default(),
            phase: phase.name.clone(),
            resource: r.name.clone(),
            origin: r.origin.clone(),
        }));
    }
    if missing.len() > missing_before {
        return Ok(None);
    }
    let at = |res: &str| {
        phase
            .resources
            .iter()
            .find(|r| r.name == res)
            .map_or_else(crate::source::KeyPath::root, |r| r.origin.clone())
    };
    crate::pricing::merge_hourly_fees(&mut components, scenario.hours_per_month);
    let (mut lines, no_free) =
        crate::pricing::split_components(components).map_err(|(res, o)| {
            scenario
                .doc
                .error_at(
                    &at(&res),
                    format!("phase `{}`, resource `{res}`: {o}", phase.name),
                )
                .with_help(Some(match o {
                    crate::pricing::SplitError::Overflow(_) => OVERFLOW_HELP.into(),
                    crate::pricing::SplitError::BeyondTiers { key, .. } => format!(
                        "state the rate above that in `[overrides.\"{key}\"]` with `tiers` (and its source in `reason`)"
                    ),
                }))
        })?;
    check_phase_size(phase, &lines).map_err(|(res, msg)| {
        scenario
            .doc
            .error_at(&at(&res), msg)
            .with_help(Some(OVERFLOW_HELP.into()))
    })?;
    crate::pricing::apply_free_tier(scenario.free_tier, pricer, &mut lines, &no_free);
    if let Some(credit) = scenario.free_tier_credits {
        crate::pricing::apply_credit_plan(credit, &mut lines);
    }
    Ok(Some(PhaseEstimate {
        name: phase.name.clone(),
        description: phase.description.clone(),
        environment_of: phase.environment_of.clone(),
        lines,
    }))
}

const OVERFLOW_HELP: &str =
    "check the phase's counts, sizes and usage (and any price override) for extra digits or a wrong exponent";

/// The most a phase may cost per month (sum of its lines' absolute costs): 10^20 USD.
///
/// No real bill comes near it, and it keeps every later sum far from `Decimal`'s limit (about
/// 7.9 × 10^28), whose operators panic: annual totals (× 12), sums per service, and totals over
/// all phases and environments in `diff` and `compare`. A bigger phase is an input error that
/// names its largest line, instead of a panic somewhere in a report.
const MAX_PHASE_MONTHLY: Decimal = Decimal::from_parts(0x6310_0000, 0x6BC7_5E2D, 0x5, false, 0);

fn check_phase_size(phase: &Phase, lines: &[CostLine]) -> Result<(), (String, String)> {
    let mut sum = Decimal::ZERO;
    let mut largest: Option<&CostLine> = None;
    for l in lines {
        if largest.is_none_or(|m| l.monthly_cost.abs() > m.monthly_cost.abs()) {
            largest = Some(l);
        }
        sum = sum
            .checked_add(l.monthly_cost.abs())
            .unwrap_or(Decimal::MAX);
    }
    match largest {
        Some(l) if sum > MAX_PHASE_MONTHLY => Err((
            l.resource.clone(),
            format!(
                "phase `{}` costs more than 10^20 USD a month, beyond what costplan totals; its largest line is resource `{}`, {}: {} {} x ${} = {} USD",
                phase.name,
                l.resource,
                l.component,
                crate::money::fmt_number(l.quantity),
                l.unit,
                crate::money::fmt_price(l.unit_price),
                crate::money::fmt_number(l.monthly_cost.round_dp(2)),
            ),
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn max_phase_monthly_is_ten_to_the_twentieth() {
        assert_eq!(
            MAX_PHASE_MONTHLY,
            Decimal::from_i128_with_scale(10i128.pow(20), 0)
        );
    }
}
