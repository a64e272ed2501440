//! Free-tier credits: negative lines, per phase, for the allowances the scenario's free-tier
//! mode covers.

use indexmap::IndexMap;
use rust_decimal::Decimal;
use serde::Deserialize;

use super::LineFree;
use super::{FreeTierKind, Pricer};
use crate::cost::CostLine;

/// The day AWS replaced the 12-month allowances for new accounts with credits.
pub const CREDIT_PLAN_START: &str = "2025-07-15";

/// The service name of the credit plan's line (its price key is empty: it is not a price).
pub const CREDIT_LINE_SERVICE: &str = "AWS credits";

/// The most the credit plan gives: $100 at sign-up plus up to $100 earned by activities.
pub const CREDIT_PLAN_MAX_USD: Decimal = Decimal::from_parts(200, 0, 0, false, 0);

/// Which free-tier allowances apply, named by the account they describe. Since 2025-07-15 an
/// account's free tier depends on when it was created: accounts created before that date keep
/// the 12-month allowances; accounts created from that date get credits (up to $200, on a free
/// plan of at most 6 months) instead; the always-free allowances apply to both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum FreeTier {
    /// No free tier (the default: estimates for a running business).
    #[default]
    None,
    /// Only the allowances that never expire (Lambda, CloudFront, CloudWatch, ...). `always`
    /// is the older spelling of the same thing.
    #[serde(alias = "always")]
    AlwaysFree,
    /// An account created before 2025-07-15, in its first 12 months: the 12-month allowances
    /// and the always-free ones.
    #[serde(rename = "legacy-12-month")]
    Legacy12Month,
    /// An account created on or after 2025-07-15, in its first 6 months: the always-free
    /// allowances, then the credits (a negative line, capped at the credit amount).
    Credits,
}

impl FreeTier {
    pub fn covers(self, kind: FreeTierKind) -> bool {
        match self {
            FreeTier::None => false,
            FreeTier::AlwaysFree | FreeTier::Credits => kind == FreeTierKind::Always,
            FreeTier::Legacy12Month => true,
        }
    }
}

/// The credit plan's line: `credit` USD off what the phase costs after its always-free
/// allowances, never more than that cost (a month's bill does not go below zero). Exact: one
/// line of `-used` x $1, so the total stays the sum of its lines.
pub fn apply_credit_plan(credit: Decimal, lines: &mut Vec<CostLine>) {
    let due: Decimal = lines.iter().map(|l| l.monthly_cost).sum();
    let used = credit.min(due.max(Decimal::ZERO));
    let mut notes = vec![
        format!(
            "credit plan (accounts created on or after {CREDIT_PLAN_START}): {} of credits ($100 at sign-up + up to $100 earned), used against this month's bill",
            crate::money::fmt_money(credit)
        ),
        "the free plan ends after 6 months or when the credits run out (and credits expire 12 months after sign-up): from then on the bill is the total without this line".into(),
    ];
    if used < credit {
        notes.push(format!(
            "{} of credit left after this month",
            crate::money::fmt_money(credit - used)
        ));
    }
    lines.push(CostLine {
        service: CREDIT_LINE_SERVICE.into(),
        resource: "(account)".into(),
        component: "Free tier credits (credit plan)".into(),
        quantity: -used,
        unit: "USD".into(),
        unit_price: Decimal::ONE,
        monthly_cost: -used,
        usage_source: crate::cost::UsageSource::Stated,
        kind: crate::cost::CostKind::Usage,
        notes,
        price_key: String::new(),
        upfront: None,
    });
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
///
/// Allowances are read from the prices as they apply (`Pricer::applied`): an override that
/// changed the scale of a price carries the allowance converted to its scale, or none.
pub fn apply_free_tier(
    mode: FreeTier,
    pricer: &Pricer,
    lines: &mut Vec<CostLine>,
    info: &[LineFree],
) {
    // Per key, in first-seen order: its eligible charged lines (index, first-tier price as
    // billed to that line, quantity).
    let mut usage: IndexMap<String, Vec<(usize, Decimal, Decimal)>> = IndexMap::new();
    let mut excluded = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if l.monthly_cost <= Decimal::ZERO {
            continue;
        }
        let Some(free) = pricer.applied(&l.price_key).and_then(|p| p.free.as_ref()) else {
            continue;
        };
        if !mode.covers(free.kind) {
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
        pricer
            .applied(key)
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
        let Some(free) = pricer.applied(key).and_then(|p| p.free.as_ref()) else {
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
        let Some(free) = pricer.applied(key).and_then(|p| p.free.as_ref()) else {
            continue;
        };
        let kind = match free.kind {
            FreeTierKind::Always => "always free",
            FreeTierKind::TwelveMonth => {
                "12-month free tier (accounts created before 2025-07-15, first 12 months)"
            }
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
                "{kind}: {} per month",
                super::book::in_base_units(free.quantity, &base.unit)
            )];
            if let Some(group) = &free.group {
                let members: Vec<&str> = pricer.book.group_members(group).collect();
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
                // The pricing boundary's rule, as for every line (`money::round_pricing`).
                monthly_cost: crate::money::round_pricing(-credit * price),
                usage_source: base.usage_source,
                kind: base.kind,
                notes,
                price_key: key.clone(),
                upfront: None,
            });
        }
    }
    lines.extend(extra);
}
