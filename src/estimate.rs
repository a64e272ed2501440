//! Estimates: cost lines per phase, totals, free-tier credits.

use indexmap::IndexMap;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::error::{InputError, Result};
use crate::pricing::{PriceBook, Pricer};
use crate::resources::Ctx;
use crate::scenario::{Phase, Scenario};

/// Where a line's quantity came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum UsageSource {
    /// Written in the scenario (configuration or usage).
    Stated,
    /// Computed by the traffic simulator.
    Derived,
    /// No usage given: the line shows the unit price only.
    None,
}

impl UsageSource {
    /// The contract's name: `stated`, `derived` or `none`.
    pub fn as_str(self) -> &'static str {
        match self {
            UsageSource::Stated => "stated",
            UsageSource::Derived => "derived",
            UsageSource::None => "none",
        }
    }
}

/// Always-on cost vs cost that follows usage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CostKind {
    Baseline,
    Usage,
}

/// One priced component of one resource.
#[derive(Debug, Clone, PartialEq)]
pub struct CostLine {
    pub service: String,
    pub resource: String,
    pub component: String,
    /// Quantity in `unit` (usage divided by the price's `per`).
    pub quantity: Decimal,
    pub unit: String,
    pub unit_price: Decimal,
    /// `quantity * unit_price`, unrounded.
    pub monthly_cost: Decimal,
    pub usage_source: UsageSource,
    pub kind: CostKind,
    pub notes: Vec<String>,
    /// Price book key (for free-tier grouping and traceability).
    pub price_key: String,
}

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
    /// Simulated capacity, triggers and the phase ladder (scenarios with `[traffic]`).
    pub capacity: Option<crate::plan::CapacityReport>,
    /// Seed of the traffic simulation (the scenario's, `--seed`, or the fixed default).
    pub seed: u64,
    /// Monthly budget per phase (scenario `budget` or `--budget`), for reports and checks.
    pub budget: Option<Decimal>,
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
    demands: &IndexMap<String, crate::sim::Demand>,
) -> Result<Estimate> {
    estimate_overridden(scenario, book, only, demands, &crate::sim::Demand::new())
}

/// Like [`estimate_with`], with usage fields set from outside the scenario (a sweep's point),
/// by resource name: they take the place of what the scenario states.
pub fn estimate_overridden(
    scenario: &Scenario,
    book: &PriceBook,
    only: Option<&str>,
    demands: &IndexMap<String, crate::sim::Demand>,
    overrides: &crate::sim::Demand,
) -> Result<Estimate> {
    let doc = &scenario.doc;
    let pricer =
        Pricer::new(book, &scenario.overrides, &scenario.discounts).map_err(|(key, msg)| {
            doc.error_at(
                &crate::source::KeyPath::root().key("overrides").key(&key),
                msg,
            )
        })?;
    let selected: Vec<&Phase> = match only {
        Some(name) => vec![scenario.phase(name)?],
        None => scenario.phases.iter().collect(),
    };
    let mut phases = Vec::with_capacity(selected.len());
    for phase in selected {
        phases.push(price_phase(
            scenario,
            &pricer,
            phase,
            demands.get(&phase.name),
            overrides,
        )?);
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
        capacity: None,
        budget: scenario.budget,
        seed: scenario
            .traffic
            .as_ref()
            .map_or(crate::sim::profile::DEFAULT_SEED, |t| t.settings.seed),
    })
}

fn price_phase(
    scenario: &Scenario,
    pricer: &Pricer,
    phase: &Phase,
    demand: Option<&crate::sim::Demand>,
    overrides: &crate::sim::Demand,
) -> Result<PhaseEstimate, InputError> {
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
        .with_overrides(overrides.get(&r.name));
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
        components.extend(ctx.into_components());
    }
    let at = |res: &str| {
        phase
            .resources
            .iter()
            .find(|r| r.name == res)
            .map_or_else(crate::source::KeyPath::root, |r| r.origin.clone())
    };
    let (mut lines, no_free) = split_components(components).map_err(|(res, o)| {
        scenario
            .doc
            .error_at(
                &at(&res),
                format!("phase `{}`, resource `{res}`: {o}", phase.name),
            )
            .with_help(Some(OVERFLOW_HELP.into()))
    })?;
    check_phase_size(phase, &lines).map_err(|(res, msg)| {
        scenario
            .doc
            .error_at(&at(&res), msg)
            .with_help(Some(OVERFLOW_HELP.into()))
    })?;
    apply_free_tier(scenario, pricer.book, &mut lines, &no_free);
    Ok(PhaseEstimate {
        name: phase.name.clone(),
        description: phase.description.clone(),
        environment_of: phase.environment_of.clone(),
        lines,
    })
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

/// An overflow while turning components into lines, and the resource whose line it was.
pub(crate) type OverflowIn = (String, crate::num::Overflow);

/// One priced component of one resource before tiers are applied: what a model asked for
/// through [`Ctx`]. [`split_components`] turns a phase's components into cost lines.
#[derive(Debug, Clone)]
pub(crate) struct PricedComponent {
    pub service: String,
    pub resource: String,
    pub component: String,
    pub price_key: String,
    /// The price as it applies (book or override); `None` when the price is missing and the
    /// usage unknown (a zero line that says what is missing).
    pub price: Option<crate::pricing::Price>,
    /// Quantity in the price's unit (usage divided by `per`).
    pub quantity: Decimal,
    pub usage_source: UsageSource,
    pub kind: CostKind,
    /// Fraction off the list price (a scenario discount for this resource kind).
    pub discount: Option<Decimal>,
    pub notes: Vec<String>,
    /// Why the free tier must not credit this component (Multi-AZ RDS, Lambda with
    /// provisioned concurrency); `None` when it may.
    pub no_free_tier: Option<String>,
}

/// Turn components into cost lines, applying volume tiers the way AWS counts them: per account
/// per month, so per price key across the whole phase, not per resource.
///
/// For each tiered price key the components using it are taken in line order and each one is
/// given the next slice of the key's running total: the first bucket fills the first tier, the
/// next starts where it ended, and so on. A component whose slice spans several tiers becomes
/// one line per tier (`Storage (tier 1)`, `Storage (tier 2)`); a component that lies wholly in
/// one tier other than the first is labelled with it too. So every line still shows the tier
/// and unit price it was billed at, each line's cost is exactly `quantity x unit price`, and
/// the key's lines add up to the tiered cost of the key's total. A key used by more than one
/// component gets a note on each of its lines naming the slice it was given.
///
/// Returns the lines and, per line, what the free tier needs to know about it ([`LineFree`]).
pub(crate) fn split_components(
    components: Vec<PricedComponent>,
) -> Result<(Vec<CostLine>, Vec<LineFree>), OverflowIn> {
    use crate::money::fmt_number;
    use crate::num::{add, mul};
    // Running offset and total per tiered key, and how many components share it.
    let mut totals: IndexMap<String, (Decimal, usize)> = IndexMap::new();
    for c in &components {
        if c.price.as_ref().is_some_and(|p| p.tiers.len() > 1) {
            let e = totals.entry(c.price_key.clone()).or_default();
            e.0 = add(e.0, c.quantity).map_err(|o| (c.resource.clone(), o))?;
            if !c.quantity.is_zero() {
                e.1 += 1;
            }
        }
    }
    let mut offsets: IndexMap<String, Decimal> = IndexMap::new();
    let mut lines = Vec::with_capacity(components.len());
    let mut no_free = Vec::with_capacity(components.len());
    for c in components {
        let Some(price) = &c.price else {
            no_free.push(LineFree {
                reason: c.no_free_tier.clone(),
                first_tier_price: Decimal::ZERO,
            });
            lines.push(CostLine {
                service: c.service,
                resource: c.resource,
                component: c.component,
                quantity: Decimal::ZERO,
                unit: String::new(),
                unit_price: Decimal::ZERO,
                monthly_cost: Decimal::ZERO,
                usage_source: c.usage_source,
                kind: c.kind,
                notes: c.notes,
                price_key: c.price_key,
            });
            continue;
        };
        let tiered = price.tiers.len() > 1;
        let offset = if tiered {
            let o = offsets.entry(c.price_key.clone()).or_default();
            let start = *o;
            *o += c.quantity;
            if c.quantity.is_zero() {
                // An empty line shows the marginal price: the tier of the phase's next unit,
                // not of wherever the resources listed before it stopped (which would make
                // the line depend on the order of the resources).
                totals.get(&c.price_key).map_or(start, |t| t.0)
            } else {
                start
            }
        } else {
            Decimal::ZERO
        };
        let parts = price.split_range(offset, c.quantity);
        let label_tiers = parts.len() > 1 || parts.first().is_some_and(|p| p.0 > 0);
        let mut notes = c.notes.clone();
        if let Some(&(total, _)) = totals.get(&c.price_key).filter(|t| t.1 > 1) {
            if !c.quantity.is_zero() {
                notes.push(format!(
                    "volume tiers count the phase's total of {} {} for `{}` across resources: this line is units {} to {}",
                    fmt_number(total),
                    price.unit,
                    c.price_key,
                    fmt_number(offset),
                    fmt_number(offset + c.quantity)
                ));
            }
        }
        for (tier, qty, list) in parts {
            let mut line_notes = notes.clone();
            let unit_price = match c.discount {
                Some(f) if !f.is_zero() => {
                    line_notes.push(format!(
                        "{}% discount off ${}",
                        fmt_number(f * Decimal::ONE_HUNDRED),
                        fmt_number(list)
                    ));
                    list * (Decimal::ONE - f)
                }
                _ => list,
            };
            let component = if label_tiers {
                format!("{} (tier {})", c.component, tier + 1)
            } else {
                c.component.clone()
            };
            no_free.push(LineFree {
                reason: c.no_free_tier.clone(),
                first_tier_price: match c.discount {
                    Some(f) => price.first() * (Decimal::ONE - f),
                    None => price.first(),
                },
            });
            lines.push(CostLine {
                service: c.service.clone(),
                resource: c.resource.clone(),
                component,
                quantity: qty,
                unit: price.unit.clone(),
                unit_price,
                monthly_cost: mul(qty, unit_price).map_err(|o| (c.resource.clone(), o))?,
                usage_source: c.usage_source,
                kind: c.kind,
                notes: line_notes,
                price_key: c.price_key.clone(),
            });
        }
    }
    Ok((lines, no_free))
}

/// What the free tier needs to know about a line besides the line itself.
#[derive(Debug, Clone)]
pub(crate) struct LineFree {
    /// Why the free tier must not credit the line (`None`: it may).
    pub reason: Option<String>,
    /// The first tier's unit price for this line, after its discount: what a free unit saves.
    /// Not the line's own price, which can be a later tier's when lines of other resources
    /// come first (so it would depend on the order of the resources).
    pub first_tier_price: Decimal,
}

/// Free tier is per account: credits are computed after all resources of a phase are priced,
/// as negative lines (one per price key credited, or per price when a `[discounts]` kind shares
/// the key with another), at the key's first-tier price as billed to the credited lines (with
/// their discount), and never for more units than the usage they offset.
///
/// An allowance belongs to one price key, or to a `group` of keys that share it (EBS gp2 + gp3,
/// Lambda x86 + Arm duration, SQS Standard + FIFO, the RDS micro classes, ...). A shared
/// allowance is credited once per phase: **greatest saving first**, i.e. to the member keys in
/// order of their unit price, highest first (ties in line order), each taking as much of what
/// is left as its usage needs. That is the most the allowance can save; AWS does not document
/// an order, and the order only matters when the members' prices differ.
///
/// Lines a model marked as not eligible (`info[i].reason`) are left out of the usage
/// the credit offsets, and get the reason as a note when the scenario's free tier would
/// otherwise have covered them.
fn apply_free_tier(
    scenario: &Scenario,
    book: &PriceBook,
    lines: &mut Vec<CostLine>,
    info: &[LineFree],
) {
    use crate::pricing::FreeTierKind;
    // Per key, in first-seen order: its eligible charged lines (index, first-tier price as
    // billed to that line, quantity).
    let mut usage: IndexMap<String, Vec<(usize, Decimal, Decimal)>> = IndexMap::new();
    let mut excluded = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if l.monthly_cost <= Decimal::ZERO {
            continue;
        }
        let Some(free) = book.get(&l.price_key).and_then(|p| p.free.as_ref()) else {
            continue;
        };
        if !scenario.free_tier.covers(free.kind) {
            continue;
        }
        let Some(line) = info.get(i) else { continue };
        if let Some(reason) = line.reason.clone() {
            excluded.push((i, format!("no free tier: {reason}")));
            continue;
        }
        usage
            .entry(l.price_key.clone())
            .or_default()
            .push((i, line.first_tier_price, l.quantity));
    }
    for (i, note) in excluded {
        lines[i].notes.push(note);
    }
    // Within a key, the units with the highest price first: lines of one key differ in price
    // only when a `[discounts]` kind shares the key with another (EC2 root volumes and EBS
    // volumes both use `ebs.gp3.storage`). Stable: equal prices keep line order.
    for v in usage.values_mut() {
        v.sort_by_key(|e| std::cmp::Reverse(e.1));
    }
    // Allowance left per group (a key without a group is its own group).
    let group_of = |key: &str| -> String {
        book.get(key)
            .and_then(|p| p.free.as_ref())
            .and_then(|f| f.group.clone())
            .unwrap_or_else(|| key.to_string())
    };
    let mut order: Vec<&String> = usage.keys().collect();
    // Stable sort: equal prices keep line order.
    let top_price = |key: &str| usage[key][0].1;
    order.sort_by_key(|k| std::cmp::Reverse(top_price(k)));
    let mut left: IndexMap<String, Decimal> = IndexMap::new();
    // Per key: (first line at that price, price, units credited), highest price first.
    let mut credit_of: IndexMap<String, Vec<(usize, Decimal, Decimal)>> = IndexMap::new();
    for key in order {
        // Only keys with an allowance are in `order` (filtered above).
        let Some(free) = book.get(key).and_then(|p| p.free.as_ref()) else {
            continue;
        };
        let remaining = left.entry(group_of(key)).or_insert(free.quantity);
        let mut credits: Vec<(usize, Decimal, Decimal)> = Vec::new();
        for &(i, price, qty) in &usage[key] {
            // Saturating: only min(usage, allowance) is used, and a key's lines (each within
            // the phase's cost limit) can still add up past Decimal's range when its price is
            // tiny.
            let take = qty.min(*remaining);
            if take.is_zero() {
                continue;
            }
            *remaining -= take;
            match credits.last_mut() {
                Some(c) if c.1 == price => c.2 = c.2.saturating_add(take),
                _ => credits.push((i, price, take)),
            }
        }
        credit_of.insert(key.clone(), credits);
    }
    let mut extra = Vec::new();
    for key in usage.keys() {
        let Some(free) = book.get(key).and_then(|p| p.free.as_ref()) else {
            continue;
        };
        let kind = match free.kind {
            FreeTierKind::Always => "always free",
            FreeTierKind::TwelveMonth => "12-month free tier",
        };
        let shared = usage[key]
            .iter()
            .map(|(i, _, _)| lines[*i].resource.as_str())
            .collect::<std::collections::BTreeSet<_>>()
            .len()
            > 1;
        let credits = &credit_of[key];
        for &(first, price, credit) in credits {
            let base = &lines[first];
            let mut notes = vec![format!(
                "{kind}: {} {} per month",
                crate::money::fmt_number(free.quantity),
                base.unit
            )];
            if let Some(group) = &free.group {
                let members: Vec<&str> = book.group_members(group).collect();
                notes.push(format!(
                    "one allowance shared by {} (`{group}`), credited to the highest unit price first",
                    members.join(", ")
                ));
            }
            if credits.len() > 1 {
                notes.push(
                    "the key's lines are billed at different discounted prices: credited to the highest first"
                        .into(),
                );
            }
            // The credit is at the first tier's price: name that tier even when the line it is
            // labelled after was billed at a later one.
            let component = match base.component.rfind(" (tier ") {
                Some(at) if base.component.ends_with(')') => {
                    format!("{} (tier 1)", &base.component[..at])
                }
                _ => base.component.clone(),
            };
            extra.push(CostLine {
                service: base.service.clone(),
                resource: if shared {
                    "(account)".into()
                } else {
                    base.resource.clone()
                },
                component: format!("Free tier: {component}"),
                quantity: -credit,
                unit: base.unit.clone(),
                unit_price: price,
                monthly_cost: -credit * price,
                usage_source: base.usage_source,
                kind: base.kind,
                notes,
                price_key: key.clone(),
            });
        }
    }
    lines.extend(extra);
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
