//! Volume tiers across a phase: AWS counts a tiered price's usage per account per month, so the
//! components of every resource that use one price key share its tiers. Likewise a fee due once
//! per hour in the account is charged once for the phase ([`merge_hourly_fees`]).

use indexmap::IndexMap;
use rust_decimal::Decimal;

use crate::cost::{CostKind, CostLine, UsageSource};

/// Why components could not become lines.
#[derive(Debug, Clone, PartialEq)]
pub enum SplitError {
    Overflow(crate::num::Overflow),
    /// The phase's usage of a price runs past its last tier, above which the book knows no
    /// rate: an error rather than units left off the line.
    BeyondTiers {
        key: String,
        last: Decimal,
        total: Decimal,
        unit: String,
    },
}

impl std::fmt::Display for SplitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SplitError::Overflow(o) => o.fmt(f),
            SplitError::BeyondTiers {
                key,
                last,
                total,
                unit,
            } => write!(
                f,
                "the phase uses {} {unit} of `{key}`, but its price is known only up to {} {unit}; no rate above that is sourced",
                crate::money::fmt_number(*total),
                crate::money::fmt_number(*last)
            ),
        }
    }
}

impl From<crate::num::Overflow> for SplitError {
    fn from(o: crate::num::Overflow) -> Self {
        SplitError::Overflow(o)
    }
}

/// A [`SplitError`], and the resource whose line it was.
pub type SplitErrorIn = (String, SplitError);

/// One priced component of one resource before tiers are applied: what a model asked for
/// through `resources::Ctx`. [`split_components`] turns a phase's components into cost lines.
#[derive(Debug, Clone)]
pub struct PricedComponent {
    pub service: String,
    pub resource: String,
    pub component: String,
    pub price_key: String,
    /// The price as it applies (book or override); `None` when the price is missing and the
    /// usage unknown (a zero line that says what is missing).
    pub price: Option<super::Price>,
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
    /// A one-time payment this monthly component spreads over its term (USD), when it is one
    /// (`resources::Ctx::amortised`).
    pub upfront: Option<Decimal>,
    /// An hourly fee due once per hour in which any resource of the phase needs it, not once
    /// per resource (the Dedicated Instances region fee), with the hours this one needs it.
    pub once_per_hour: Option<FeeHours>,
}

/// When a resource needs a once-per-hour fee ([`PricedComponent::once_per_hour`]).
#[derive(Debug, Clone, PartialEq)]
pub enum FeeHours {
    /// The hours of the week, Monday 00:00-01:00 first.
    Week(Box<[bool; 168]>),
    /// Only how many hours (`hours_per_month`, a `"200h"` schedule): not when.
    Count,
}

/// One component per once-per-hour fee key: the first resource's, charged for the hours in which
/// any of them needs it, and noted with the others, which are folded into it. When every one
/// runs on a weekly schedule that is the union of their weeks; when one only states a number
/// of hours, their sum at most the month (an upper bound, said on the line).
pub fn merge_hourly_fees(components: &mut Vec<PricedComponent>, hours_per_month: Decimal) {
    let mut groups: IndexMap<&str, Vec<usize>> = IndexMap::new();
    for (i, c) in components.iter().enumerate() {
        if c.once_per_hour.is_some() && c.price.is_some() {
            groups.entry(c.price_key.as_str()).or_default().push(i);
        }
    }
    let mut merged: Vec<(usize, Decimal, String)> = Vec::new();
    let mut folded = vec![false; components.len()];
    for members in groups.values().filter(|m| m.len() > 1) {
        let of = |i: &usize| &components[*i];
        let mut names: Vec<&str> = Vec::new();
        for c in members.iter().map(of) {
            if !names.contains(&c.resource.as_str()) {
                names.push(&c.resource);
            }
        }
        let names = names
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let weeks: Option<Vec<&[bool; 168]>> = members
            .iter()
            .map(|i| match &of(i).once_per_hour {
                Some(FeeHours::Week(w)) => Some(&**w),
                _ => None,
            })
            .collect();
        let per = of(&members[0])
            .price
            .as_ref()
            .map_or(Decimal::ONE, |p| p.per);
        let month = hours_per_month / per;
        let (quantity, note) = match weeks {
            Some(weeks) => {
                let on = (0..168).filter(|&h| weeks.iter().any(|w| w[h])).count();
                (
                    month * Decimal::from(on) / Decimal::from(168),
                    format!(
                        "charged once for the phase: the hours in which any of {names} runs ({on} of the week's 168)"
                    ),
                )
            }
            None => {
                let sum: Decimal = members.iter().map(|i| of(i).quantity).sum();
                (
                    sum.min(month),
                    format!(
                        "charged once for the phase for {names}: their hours added up, at most the month; an upper bound, as one of them states only how many hours it runs, not when"
                    ),
                )
            }
        };
        merged.push((members[0], quantity, note));
        for &i in &members[1..] {
            folded[i] = true;
        }
    }
    for (i, quantity, note) in merged {
        components[i].quantity = quantity;
        components[i].notes.push(note);
    }
    let mut i = 0;
    components.retain(|_| {
        i += 1;
        !folded[i - 1]
    });
}

/// What the free tier needs to know about a line besides the line itself.
#[derive(Debug, Clone)]
pub struct LineFree {
    /// Why the free tier must not credit the line (`None`: it may).
    pub reason: Option<String>,
    /// The first tier's unit price for this line, after its discount: what a free unit saves.
    /// Not the line's own price, which can be a later tier's when lines of other resources
    /// come first (so it would depend on the order of the resources).
    pub first_tier_price: Decimal,
}

/// Turn components into cost lines (quantities and costs rounded by `money::round_pricing`),
/// applying volume tiers the way AWS counts them: per account
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
pub fn split_components(
    components: Vec<PricedComponent>,
) -> Result<(Vec<CostLine>, Vec<LineFree>), SplitErrorIn> {
    use crate::money::{fmt_number, round_pricing};
    use crate::num::{add, mul};
    // The pricing boundary's rounding rule (see `money::round_pricing`): quantities here, each
    // line's cost below; tier bounds in the books have fewer places, so slices stay exact.
    let mut components = components;
    for c in &mut components {
        c.quantity = round_pricing(c.quantity);
    }
    // Running offset and total per tiered key, and how many components share it.
    let mut totals: IndexMap<String, (Decimal, usize)> = IndexMap::new();
    for c in &components {
        if c.price.as_ref().is_some_and(|p| p.tiers.len() > 1) {
            let e = totals.entry(c.price_key.clone()).or_default();
            e.0 = add(e.0, c.quantity).map_err(|o| (c.resource.clone(), o.into()))?;
            if !c.quantity.is_zero() {
                e.1 += 1;
            }
        }
    }
    // A price whose last tier ends covers usage only up to there (see `book::build_tiers`).
    let mut bounded: IndexMap<&str, (Decimal, &str)> = IndexMap::new();
    for c in &components {
        if let Some(p) = &c.price {
            if let Some(last) = p.tiers.last().and_then(|t| t.up_to) {
                let e = bounded
                    .entry(&c.price_key)
                    .or_insert((Decimal::ZERO, &c.resource));
                e.0 = add(e.0, c.quantity).map_err(|o| (c.resource.clone(), o.into()))?;
                if e.0 > last {
                    return Err((
                        e.1.to_string(),
                        SplitError::BeyondTiers {
                            key: c.price_key.clone(),
                            last,
                            total: e.0,
                            unit: p.unit.clone(),
                        },
                    ));
                }
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
                upfront: None,
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
                monthly_cost: round_pricing(
                    mul(qty, unit_price).map_err(|o| (c.resource.clone(), o.into()))?,
                ),
                usage_source: c.usage_source,
                kind: c.kind,
                notes: line_notes,
                price_key: c.price_key.clone(),
                upfront: c.upfront,
            });
        }
    }
    Ok((lines, no_free))
}
