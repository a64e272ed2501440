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
}

/// Price every phase (or only `only`) of `scenario` with `book`.
pub fn estimate(scenario: &Scenario, book: &PriceBook, only: Option<&str>) -> Result<Estimate> {
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
        phases.push(price_phase(scenario, &pricer, phase)?);
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

fn price_phase(
    scenario: &Scenario,
    pricer: &Pricer,
    phase: &Phase,
) -> Result<PhaseEstimate, InputError> {
    let mut lines = Vec::new();
    for r in &phase.resources {
        let info = crate::resources::kind_info(r.kind).expect("kind registered at parse time");
        let mut ctx = Ctx::new(
            pricer,
            &scenario.catalog,
            info,
            &r.name,
            scenario.hours_per_month,
        );
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
        lines.extend(ctx.into_lines());
    }
    apply_free_tier(scenario, pricer.book, &mut lines);
    Ok(PhaseEstimate {
        name: phase.name.clone(),
        description: phase.description.clone(),
        environment_of: phase.environment_of.clone(),
        lines,
    })
}

/// Free tier is per account: one credit line per price key, after all resources are priced,
/// at the first tier's price, never more than the usage it offsets.
fn apply_free_tier(scenario: &Scenario, book: &PriceBook, lines: &mut Vec<CostLine>) {
    let mut credits: IndexMap<String, (usize, Decimal)> = IndexMap::new();
    for (i, l) in lines.iter().enumerate() {
        if l.monthly_cost > Decimal::ZERO {
            credits
                .entry(l.price_key.clone())
                .or_insert((i, Decimal::ZERO))
                .1 += l.quantity;
        }
    }
    let mut extra = Vec::new();
    for (key, (first, qty)) in credits {
        let Some(free) = book.get(&key).and_then(|p| p.free.clone()) else {
            continue;
        };
        if !scenario.free_tier.covers(free.kind) {
            continue;
        }
        let credit = qty.min(free.quantity);
        if credit.is_zero() {
            continue;
        }
        let base = &lines[first];
        let kind = match free.kind {
            crate::pricing::FreeTierKind::Always => "always free",
            crate::pricing::FreeTierKind::TwelveMonth => "12-month free tier",
        };
        let shared = lines
            .iter()
            .filter(|l| l.price_key == key && l.monthly_cost > Decimal::ZERO)
            .count()
            > 1;
        extra.push(CostLine {
            service: base.service.clone(),
            resource: if shared {
                "(account)".into()
            } else {
                base.resource.clone()
            },
            component: format!("Free tier: {}", base.component),
            quantity: -credit,
            unit: base.unit.clone(),
            unit_price: base.unit_price,
            monthly_cost: -credit * base.unit_price,
            usage_source: base.usage_source,
            kind: base.kind,
            notes: vec![format!(
                "{kind}: {} {} per month",
                crate::money::fmt_number(free.quantity),
                base.unit
            )],
            price_key: key,
        });
    }
    lines.extend(extra);
}
