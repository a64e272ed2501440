use indexmap::IndexMap;
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::error::Result;
use crate::num::{NonNeg, Positive};
use crate::source::{Document, FileKind, KeyPath};
use crate::suggest;

/// Where a price was read and when.
///
/// A source is checkable when `url` is an AWS page, or when it is an AWS Price List offer file
/// (`offer` and `published` set) and each price citing it names its SKU and usage type.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// URL or document the price was copied from.
    pub url: String,
    /// Date the source was read or published (YYYY-MM-DD).
    pub as_of: String,
    #[serde(default)]
    pub note: Option<String>,
    /// AWS Price List offer code (`AmazonRDS`, `AmazonEC2`, ...) when the source is an offer file
    /// or a copy of its records.
    #[serde(default)]
    pub offer: Option<String>,
    /// The offer file's version (`20260904172716`), when known.
    #[serde(default)]
    pub version: Option<String>,
    /// The offer file's publication date (YYYY-MM-DD).
    #[serde(default)]
    pub published: Option<String>,
    /// `low` when the source is doubtful; every price citing it is low trust.
    #[serde(default)]
    pub trust: Option<Trust>,
}

/// How far a price can be relied on. Low-trust prices say so on every cost line that uses them.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Trust {
    #[default]
    Normal,
    Low,
}

/// Where one price sits in the AWS Price List: enough to find its record again.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Record {
    pub sku: Option<String>,
    pub usage_type: Option<String>,
    pub rate_code: Option<String>,
}

/// One tier: `price` applies to quantity up to `up_to` (cumulative, in the price's unit);
/// the last tier has no `up_to`, or, where no rate above it is sourced, ends: a phase using
/// more than that is an error (`tiers::SplitError::BeyondTiers`), never units left unpriced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tier {
    pub up_to: Option<Decimal>,
    pub price: Decimal,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FreeTierKind {
    /// Never expires (Lambda, CloudFront, CloudWatch, ...).
    Always,
    /// First 12 months of accounts created before 2025-07-15 (EC2, RDS, S3, ...).
    #[serde(rename = "12-month")]
    TwelveMonth,
}

/// A monthly free allowance, in the price's unit.
///
/// AWS shares some allowances across several prices (30 GB of EBS across gp2 and gp3, 400,000
/// Lambda GB-s across x86 and Arm, 750 RDS hours across the micro classes, ...). Those prices
/// name the same `group`; the allowance is then credited once per phase across all of them
/// (see `estimate::apply_free_tier`). Every member of a group must state the same quantity,
/// kind and unit; the book is rejected otherwise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FreeAllowance {
    pub quantity: Decimal,
    pub kind: FreeTierKind,
    /// Name of an allowance shared with other prices; `None` when it is this price's own.
    pub group: Option<String>,
}

/// A unit price (flat or tiered) with its unit, source and date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Price {
    pub key: String,
    /// Unit the price is quoted in: "hour", "GB-month", "1M requests".
    pub unit: String,
    /// Base units per priced unit: usage is divided by this (1,000,000 for "1M requests").
    pub per: Decimal,
    pub tiers: Vec<Tier>,
    pub source: String,
    pub as_of: String,
    pub free: Option<FreeAllowance>,
    pub note: Option<String>,
    /// The Price List record the price was read from, when known.
    pub record: Record,
    /// Low when the price or its source is marked `trust = "low"`.
    pub trust: Trust,
}

impl Price {
    /// The first tier's price (the whole price when flat).
    pub fn first(&self) -> Decimal {
        self.tiers[0].price
    }

    /// Split `quantity` (in the price's unit) across tiers: (tier index, quantity, price).
    pub fn split(&self, quantity: Decimal) -> Vec<(usize, Decimal, Decimal)> {
        self.split_range(Decimal::ZERO, quantity)
    }

    /// Index of the tier the unit just after `offset` falls in.
    pub fn tier_at(&self, offset: Decimal) -> usize {
        self.tiers
            .iter()
            .position(|t| t.up_to.is_none_or(|u| u > offset))
            .unwrap_or(self.tiers.len() - 1)
    }

    /// Split the units from `offset` to `offset + quantity` across tiers: (tier index, quantity,
    /// price), in tier order. Used when several lines share one price key and AWS counts the
    /// tiers on their total: each line takes the slice after the lines before it. A zero
    /// quantity gives one empty slice in the tier at `offset` (its marginal price).
    pub fn split_range(
        &self,
        offset: Decimal,
        quantity: Decimal,
    ) -> Vec<(usize, Decimal, Decimal)> {
        let end = offset + quantity;
        if quantity.is_zero() {
            let i = self.tier_at(offset);
            return vec![(i, Decimal::ZERO, self.tiers[i].price)];
        }
        let mut out = Vec::new();
        let mut below = Decimal::ZERO;
        for (i, t) in self.tiers.iter().enumerate() {
            let top = t.up_to.map_or(end, |u| u.min(end));
            let from = below.max(offset);
            if top > from {
                out.push((i, top - from, t.price));
            }
            match t.up_to {
                Some(u) if u < end => below = u,
                _ => break,
            }
        }
        out
    }

    /// "0.20 per 1M requests" or "0.114 per GB (first tier)".
    pub fn describe(&self) -> String {
        let tiers = if self.tiers.len() > 1 {
            " (first tier)"
        } else {
            ""
        };
        format!(
            "${} per {}{tiers}",
            crate::money::fmt_number(self.first()),
            self.unit
        )
    }
}

/// All prices of one region.
#[derive(Debug, Clone)]
pub struct PriceBook {
    pub file: String,
    pub region: String,
    pub currency: String,
    pub sources: IndexMap<String, Source>,
    pub prices: IndexMap<String, Price>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBook {
    region: String,
    currency: String,
    sources: IndexMap<String, Source>,
    prices: IndexMap<String, RawPrice>,
}

#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawTier {
    #[serde(default)]
    up_to: Option<Positive>,
    price: NonNeg,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFree {
    quantity: NonNeg,
    kind: FreeTierKind,
    #[serde(default)]
    group: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPrice {
    unit: String,
    #[serde(default)]
    per: Option<Positive>,
    #[serde(default)]
    price: Option<NonNeg>,
    #[serde(default)]
    tiers: Option<Vec<RawTier>>,
    source: String,
    /// Overrides the source's date for this price.
    #[serde(default)]
    as_of: Option<String>,
    #[serde(default)]
    free: Option<RawFree>,
    #[serde(default)]
    note: Option<String>,
    /// AWS Price List SKU of the record.
    #[serde(default)]
    sku: Option<String>,
    /// The record's usage type (`APN1-InstanceUsage:db.t4g.small`).
    #[serde(default)]
    usage_type: Option<String>,
    /// The record's rate code (`SKU.OFFERTERM.RATE`).
    #[serde(default)]
    rate_code: Option<String>,
    #[serde(default)]
    trust: Option<Trust>,
}

/// Check tiers ascend and only the last may be open-ended.
pub(crate) fn build_tiers(raw: Vec<RawTier>) -> Result<Vec<Tier>, String> {
    let n = raw.len();
    let mut prev = Decimal::ZERO;
    let mut out = Vec::with_capacity(n);
    for (i, t) in raw.into_iter().enumerate() {
        match (t.up_to, i + 1 == n) {
            (Some(Positive(u)), _) if u <= prev => {
                return Err(format!(
                    "tier {} ends at {u}, not above the previous tier's {prev}",
                    i + 1
                ))
            }
            (Some(Positive(u)), _) => prev = u,
            (None, false) => {
                return Err(format!(
                    "tier {} has no `up_to` but is not the last tier",
                    i + 1
                ))
            }
            (None, true) => {}
        }
        out.push(Tier {
            up_to: t.up_to.map(|p| p.0),
            price: t.price.0,
        });
    }
    Ok(out)
}

pub(crate) fn check_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && s.chars()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
        && (1..=12).contains(&s[5..7].parse::<u32>().unwrap_or(0))
        && (1..=31).contains(&s[8..10].parse::<u32>().unwrap_or(0))
}

impl PriceBook {
    pub fn parse(file: &str, text: &str) -> Result<PriceBook> {
        PriceBook::parse_for(file, text, None)
    }

    /// Parse a book loaded as the book of `region` (from its file name): it must say that region,
    /// since prices are never taken across regions, and be in USD, as every estimate is.
    pub fn parse_for(file: &str, text: &str, region: Option<&str>) -> Result<PriceBook> {
        let doc = Document::parse_as(file.to_string(), text.to_string(), FileKind::PriceBook)?;
        let raw: RawBook = doc.deserialize(doc.value.clone(), &KeyPath::root())?;
        let root = KeyPath::root();
        if let Some(want) = region.filter(|r| *r != raw.region) {
            return Err(doc
                .error_at(
                    &root.key("region"),
                    format!(
                        "this book is for region `{}`, but it was loaded as the book of `{want}` (its file name)",
                        crate::source::cap_chars(&raw.region, 80)
                    ),
                )
                .with_help(Some(format!(
                    "prices are never copied across regions: name the file {}.toml, or fix `region`",
                    crate::source::cap_chars(&raw.region, 80)
                )))
                .into());
        }
        if raw.currency != "USD" {
            return Err(doc
                .error_at(
                    &root.key("currency"),
                    format!(
                        "unsupported currency `{}`: costplan prices in USD",
                        crate::source::cap_chars(&raw.currency, 80)
                    ),
                )
                .into());
        }
        for (id, s) in &raw.sources {
            let dates = [
                ("as_of", Some(&s.as_of)),
                ("published", s.published.as_ref()),
            ];
            for (field, date) in dates {
                if let Some(date) = date.filter(|d| !check_date(d)) {
                    return Err(doc
                        .error_at(
                            &root.key("sources").key(id).key(field),
                            format!("`{date}` is not a YYYY-MM-DD date"),
                        )
                        .into());
                }
            }
        }
        let mut prices = IndexMap::with_capacity(raw.prices.len());
        for (key, p) in raw.prices {
            let at = root.key("prices").key(&key);
            let err = |k: &str, m: String| doc.error_at(&at.key(k), m);
            let tiers = match (p.price, p.tiers) {
                (Some(NonNeg(v)), None) => vec![Tier {
                    up_to: None,
                    price: v,
                }],
                (None, Some(t)) if !t.is_empty() => build_tiers(t).map_err(|m| err("tiers", m))?,
                (Some(_), Some(_)) => {
                    return Err(
                        err("tiers", "give either `price` or `tiers`, not both".into()).into(),
                    )
                }
                _ => {
                    return Err(doc
                        .error_at(&at, "a price needs `price` or a non-empty `tiers`")
                        .into())
                }
            };
            let Some(source) = raw.sources.get(&p.source) else {
                return Err(err("source", format!("unknown source `{}`", p.source))
                    .with_help(suggest::did_you_mean(
                        &p.source,
                        raw.sources.keys().map(String::as_str),
                    ))
                    .into());
            };
            let as_of = p.as_of.unwrap_or_else(|| source.as_of.clone());
            if !check_date(&as_of) {
                return Err(err("as_of", format!("`{as_of}` is not a YYYY-MM-DD date")).into());
            }
            let free = p.free.map(|f| FreeAllowance {
                quantity: f.quantity.0,
                kind: f.kind,
                group: f.group,
            });
            let trust = p.trust.or(source.trust).unwrap_or_default();
            prices.insert(
                key.clone(),
                Price {
                    key,
                    unit: p.unit,
                    per: p.per.map_or(Decimal::ONE, |p| p.0),
                    tiers,
                    source: p.source,
                    as_of,
                    free,
                    note: p.note,
                    record: Record {
                        sku: p.sku,
                        usage_type: p.usage_type,
                        rate_code: p.rate_code,
                    },
                    trust,
                },
            );
        }
        check_groups(&doc, &prices)?;
        Ok(PriceBook {
            file: file.to_string(),
            region: raw.region,
            currency: raw.currency,
            sources: raw.sources,
            prices,
        })
    }

    /// Keys whose free allowance belongs to `group`, in book order.
    pub fn group_members<'a>(&'a self, group: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.prices
            .values()
            .filter(move |p| {
                p.free
                    .as_ref()
                    .and_then(|f| f.group.as_deref())
                    .is_some_and(|g| g == group)
            })
            .map(|p| p.key.as_str())
    }

    pub fn get(&self, key: &str) -> Option<&Price> {
        self.prices.get(key)
    }

    /// Keys starting with `prefix.` (a service) in book order.
    pub fn keys_under<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.prices
            .keys()
            .map(String::as_str)
            .filter(move |k| k.starts_with(prefix))
    }

    /// Services (first key segment) in book order, without repeats.
    pub fn services(&self) -> Vec<&str> {
        let mut v: Vec<&str> = Vec::new();
        for k in self.prices.keys() {
            let s = k.split('.').next().unwrap_or(k);
            if !v.contains(&s) {
                v.push(s);
            }
        }
        v
    }
}

/// Members of a shared allowance must agree on quantity, kind, unit and `per`: the allowance is
/// one amount credited across them.
fn check_groups(doc: &Document, prices: &IndexMap<String, Price>) -> Result<()> {
    let mut first: IndexMap<&str, &Price> = IndexMap::new();
    for p in prices.values() {
        let Some(free) = &p.free else { continue };
        let Some(group) = free.group.as_deref() else {
            continue;
        };
        let Some(head) = first.get(group) else {
            first.insert(group, p);
            continue;
        };
        // The head was stored because it has an allowance in this group.
        let Some(hf) = head.free.as_ref() else {
            continue;
        };
        let differs = if hf.quantity != free.quantity || hf.kind != free.kind {
            Some("quantity and kind")
        } else if head.unit != p.unit || head.per != p.per {
            Some("unit and `per`")
        } else {
            None
        };
        if let Some(what) = differs {
            return Err(doc
                .error_at(
                    &KeyPath::root()
                        .key("prices")
                        .key(&p.key)
                        .key("free")
                        .key("group"),
                    format!(
                        "free allowance group `{group}` is shared with `{}`, which has a different {what}; a shared allowance is one amount in one unit",
                        head.key
                    ),
                )
                .into());
        }
    }
    Ok(())
}

/// A price given in a scenario's `[overrides]`, parsed like a book entry.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawOverride {
    #[serde(default)]
    pub price: Option<NonNeg>,
    #[serde(default)]
    pub tiers: Option<Vec<RawTier>>,
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(default)]
    pub per: Option<Positive>,
    /// Why the book's price is not used (shown on the line).
    pub reason: String,
}

/// A unit split into its scale and what is counted: `1M requests` -> (Some(1,000,000),
/// "request"), `GB-month` -> (None, "gb-month"). Names are compared lower-case and singular, so
/// `request`, `requests` and `1K requests` count the same thing.
fn unit_scale(unit: &str) -> (Option<Decimal>, String) {
    let unit = unit.trim();
    let (scale, base) = match unit.split_once(' ') {
        Some((head, rest)) => match parse_scale(head) {
            Some(s) => (Some(s), rest.trim()),
            None => (None, unit),
        },
        None => (None, unit),
    };
    let mut b = base.to_ascii_lowercase();
    if let Some(stem) = b.strip_suffix("ies") {
        b = format!("{stem}y");
    } else if b.len() > 1 && b.ends_with('s') && !b.ends_with("ss") {
        b.pop();
    }
    (scale, b)
}

/// `1K` -> 1,000; `10K` -> 10,000; `1M` -> 1,000,000; `1B` -> 10^9; `1000` -> 1,000.
fn parse_scale(s: &str) -> Option<Decimal> {
    let (num, mult) = match s.char_indices().last()? {
        (i, 'K' | 'k') => (&s[..i], 1_000u64),
        (i, 'M') => (&s[..i], 1_000_000),
        (i, 'B') => (&s[..i], 1_000_000_000),
        _ => (s, 1),
    };
    if num.is_empty() || !num.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    let n: Decimal = num.parse().ok()?;
    (n > Decimal::ZERO).then(|| n * Decimal::from(mult))
}

/// `quantity` of `unit` written in the unit's base: 1 of `1M requests` is `1,000,000 requests`
/// (a count of scaled units such as "1 1M requests" reads as a typo).
pub fn in_base_units(quantity: Decimal, unit: &str) -> String {
    match unit.trim().split_once(' ') {
        Some((head, rest)) => match parse_scale(head) {
            Some(scale) => format!(
                "{} {}",
                crate::money::fmt_number(quantity * scale),
                rest.trim()
            ),
            None => format!("{} {unit}", crate::money::fmt_number(quantity)),
        },
        None => format!("{} {unit}", crate::money::fmt_number(quantity)),
    }
}

/// The label of `per` units of what `unit` counts: per 1 of `1M requests` is `requests`,
/// per 1,000 is `1K requests`.
fn scaled_label(unit: &str, per: Decimal) -> String {
    let base = match unit.trim().split_once(' ') {
        Some((head, rest)) if parse_scale(head).is_some() => rest.trim(),
        _ => unit.trim(),
    };
    if per == Decimal::ONE {
        return base.to_string();
    }
    let compact = [(1_000_000_000u64, "B"), (1_000_000, "M"), (1_000, "K")]
        .iter()
        .find_map(|(m, s)| {
            let q = per / Decimal::from(*m);
            (q >= Decimal::ONE && q.fract().is_zero()).then(|| format!("{}{s}", q.normalize()))
        })
        .unwrap_or_else(|| crate::money::fmt_number(per));
    format!("{compact} {base}")
}

/// A scenario override resolved against the book: the price as it applies, and what the lines
/// priced with it must say about it (inherited unit, a converted scale, the free allowance).
#[derive(Debug, Clone)]
pub struct ResolvedOverride {
    pub price: Price,
    pub notes: Vec<String>,
}

impl RawOverride {
    /// Resolve against the book's entry (if any).
    ///
    /// The override keeps the book's unit and `per` when it states neither (the lines say so),
    /// or states a unit that counts the same thing at another scale (`requests` or
    /// `1K requests` for a book price per `1M requests`), which is converted: usage is divided
    /// by the override's `per`, and the book's free allowance is re-expressed in the new scale
    /// (or dropped, saying so, when it is shared with other prices in the book's unit). A unit
    /// that counts something else is an error naming the book's unit and `per`.
    pub fn resolve(&self, key: &str, book: Option<&Price>) -> Result<ResolvedOverride, String> {
        // The reason is the override's provenance, shown on every line it prices.
        if self.reason.trim().is_empty() {
            return Err(
                "an override's `reason` is blank: say where the price comes from (a quote, the console, the Price List record)"
                    .into(),
            );
        }
        let tiers = match (&self.price, &self.tiers) {
            (Some(NonNeg(v)), None) => vec![Tier {
                up_to: None,
                price: *v,
            }],
            (None, Some(t)) if !t.is_empty() => build_tiers(t.clone())?,
            _ => {
                return Err(
                    "an override needs exactly one of `price` or a non-empty `tiers`".into(),
                )
            }
        };
        let stated_per = self.per.map(|p| p.0);
        // The scale a stated unit names (`1M requests`) must agree with a stated `per`.
        let label_scale = self.unit.as_deref().and_then(|u| unit_scale(u).0);
        if let (Some(s), Some(p)) = (label_scale, stated_per) {
            if s != p {
                return Err(format!(
                    "the override's `unit` `{}` counts {} per unit but its `per` is {}; give one or make them agree",
                    self.unit.as_deref().unwrap_or(""),
                    crate::money::fmt_number(s),
                    crate::money::fmt_number(p)
                ));
            }
        }
        let mut notes = Vec::new();
        let (unit, per, free) = match book {
            None => {
                let Some(u) = &self.unit else {
                    return Err(format!(
                        "`{key}` is not in the price book, so the override must give its `unit`"
                    ));
                };
                (
                    u.clone(),
                    stated_per.or(label_scale).unwrap_or(Decimal::ONE),
                    None,
                )
            }
            Some(b) => {
                if let Some(u) = &self.unit {
                    if unit_scale(u).1 != unit_scale(&b.unit).1 {
                        return Err(format!(
                            "the override's unit `{}` is not the book's unit for `{key}`: the book prices it per {} (`unit = \"{}\"`, `per = \"{}\"`), and costplan converts only the scale of the same unit",
                            crate::source::cap_chars(u, 80),
                            b.unit,
                            b.unit,
                            b.per.normalize()
                        ));
                    }
                }
                let per = match (stated_per, &self.unit) {
                    (Some(p), _) => p,
                    (None, Some(u)) if *u == b.unit => b.per,
                    (None, Some(_)) => label_scale.unwrap_or(Decimal::ONE),
                    (None, None) => b.per,
                };
                let unit = match &self.unit {
                    Some(u) => u.clone(),
                    None if per == b.per => b.unit.clone(),
                    None => scaled_label(&b.unit, per),
                };
                if self.unit.is_none() && self.per.is_none() {
                    notes.push(format!("override price per {} (book unit)", b.unit));
                } else if per != b.per {
                    notes.push(format!(
                        "override price per {unit}; the book's is per {}: usage converted to the override's scale",
                        b.unit
                    ));
                }
                let free = match &b.free {
                    Some(f) if per != b.per => {
                        if let Some(g) = &f.group {
                            notes.push(format!(
                                "free allowance dropped: the book's {} {} is shared with other prices (`{g}`) in the book's unit, and this override prices per {unit}",
                                crate::money::fmt_number(f.quantity),
                                b.unit
                            ));
                            None
                        } else {
                            let base =
                                crate::num::mul(f.quantity, b.per).map_err(|e| e.to_string())?;
                            let quantity = crate::money::round_pricing(
                                crate::num::div(base, per).map_err(|e| e.to_string())?,
                            );
                            notes.push(format!(
                                "free allowance converted to the override's scale: {} {} = {} {unit}",
                                crate::money::fmt_number(f.quantity),
                                b.unit,
                                crate::money::fmt_number(quantity)
                            ));
                            Some(FreeAllowance {
                                quantity,
                                ..f.clone()
                            })
                        }
                    }
                    other => other.clone(),
                };
                (unit, per, free)
            }
        };
        Ok(ResolvedOverride {
            price: Price {
                key: key.to_string(),
                unit,
                per,
                tiers,
                source: "scenario override".into(),
                as_of: String::new(),
                free,
                note: Some(self.reason.clone()),
                record: Record::default(),
                trust: Trust::Normal,
            },
            notes,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn tiered() -> Price {
        Price {
            key: "x".into(),
            unit: "GB".into(),
            per: Decimal::ONE,
            tiers: vec![
                Tier {
                    up_to: Some(d("10")),
                    price: d("0.1"),
                },
                Tier {
                    up_to: Some(d("50")),
                    price: d("0.08"),
                },
                Tier {
                    up_to: None,
                    price: d("0.06"),
                },
            ],
            source: "s".into(),
            as_of: "2026-01-01".into(),
            free: None,
            note: None,
            record: Record::default(),
            trust: Trust::Normal,
        }
    }

    #[test]
    fn quantities_of_scaled_units_are_written_in_base_units() {
        assert_eq!(in_base_units(d("1"), "1M requests"), "1,000,000 requests");
        assert_eq!(
            in_base_units(d("1000"), "10K requests"),
            "10,000,000 requests"
        );
        assert_eq!(in_base_units(d("0.5"), "1K requests"), "500 requests");
        assert_eq!(in_base_units(d("400000"), "GB-second"), "400,000 GB-second");
        assert_eq!(in_base_units(d("750"), "hour"), "750 hour");
    }

    #[test]
    fn split_across_tiers() {
        // 60 GB: 10 @ 0.1 + 40 @ 0.08 + 10 @ 0.06
        let s = tiered().split(d("60"));
        assert_eq!(
            s,
            vec![
                (0, d("10"), d("0.1")),
                (1, d("40"), d("0.08")),
                (2, d("10"), d("0.06"))
            ]
        );
    }

    #[test]
    fn split_within_first_tier() {
        assert_eq!(tiered().split(d("3")), vec![(0, d("3"), d("0.1"))]);
        assert_eq!(tiered().split(d("0")), vec![(0, d("0"), d("0.1"))]);
    }

    #[test]
    fn split_range_continues_where_earlier_lines_stopped() {
        // tiers 0-10 @ 0.1, 10-50 @ 0.08, over 50 @ 0.06
        // units 8..12: 2 in tier 1, 2 in tier 2
        assert_eq!(
            tiered().split_range(d("8"), d("4")),
            vec![(0, d("2"), d("0.1")), (1, d("2"), d("0.08"))]
        );
        // units 55..60: all in tier 3
        assert_eq!(
            tiered().split_range(d("55"), d("5")),
            vec![(2, d("5"), d("0.06"))]
        );
        // nothing at offset 10: the tier the next unit falls in (tier 2)
        assert_eq!(
            tiered().split_range(d("10"), d("0")),
            vec![(1, d("0"), d("0.08"))]
        );
        // two slices add up to the split of the total: 30 + 30 = 60
        let a: Decimal = tiered()
            .split_range(d("0"), d("30"))
            .iter()
            .map(|p| p.1 * p.2)
            .sum();
        let b: Decimal = tiered()
            .split_range(d("30"), d("30"))
            .iter()
            .map(|p| p.1 * p.2)
            .sum();
        let whole: Decimal = tiered().split(d("60")).iter().map(|p| p.1 * p.2).sum();
        assert_eq!(a + b, whole);
    }

    fn book(extra: &str) -> crate::error::Result<PriceBook> {
        PriceBook::parse(
            "t.toml",
            &format!(
                "region = \"r\"\ncurrency = \"USD\"\n[sources.s]\nurl = \"u\"\nas_of = \"2026-01-01\"\n\
                 [prices.a]\nunit = \"GB-month\"\nprice = \"0.1\"\nsource = \"s\"\n\
                 free = {{ quantity = \"30\", kind = \"12-month\", group = \"g\" }}\n{extra}"
            ),
        )
    }

    #[test]
    fn shared_allowance_members_must_agree() {
        let ok = book(
            "[prices.b]\nunit = \"GB-month\"\nprice = \"0.08\"\nsource = \"s\"\n\
             free = { quantity = \"30\", kind = \"12-month\", group = \"g\" }\n",
        )
        .unwrap();
        assert_eq!(ok.group_members("g").collect::<Vec<_>>(), vec!["a", "b"]);
        let err = book(
            "[prices.b]\nunit = \"GB-month\"\nprice = \"0.08\"\nsource = \"s\"\n\
             free = { quantity = \"20\", kind = \"12-month\", group = \"g\" }\n",
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("t.toml:"), "{err}");
        assert!(err.contains("group `g` is shared with `a`"), "{err}");
        let err = book(
            "[prices.b]\nunit = \"hour\"\nprice = \"0.08\"\nsource = \"s\"\n\
             free = { quantity = \"30\", kind = \"12-month\", group = \"g\" }\n",
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("unit"), "{err}");
    }

    #[test]
    fn dates() {
        assert!(check_date("2026-11-23"));
        assert!(!check_date("2026-13-01"));
        assert!(!check_date("23/11/2026"));
    }

    #[test]
    fn price_list_provenance_and_trust() {
        let b = book(
            "[sources.pl]\nurl = \"https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonRDS/current/ap-northeast-1/index.csv\"\n\
             as_of = \"2026-09-04\"\noffer = \"AmazonRDS\"\nversion = \"20260904172716\"\npublished = \"2026-09-04\"\n\
             [sources.weak]\nurl = \"u\"\nas_of = \"2026-01-01\"\ntrust = \"low\"\n\
             [prices.b]\nunit = \"hour\"\nprice = \"0.05\"\nsource = \"pl\"\nsku = \"5UQA7HSTK9DZMK4Z\"\n\
             usage_type = \"APN1-InstanceUsage:db.t4g.small\"\nrate_code = \"5UQA7HSTK9DZMK4Z.JRTCKXETXF.6YS6EN2CT7\"\n\
             [prices.c]\nunit = \"hour\"\nprice = \"0.05\"\nsource = \"weak\"\n",
        )
        .unwrap();
        let p = b.get("b").unwrap();
        assert_eq!(p.record.sku.as_deref(), Some("5UQA7HSTK9DZMK4Z"));
        assert_eq!(
            p.record.usage_type.as_deref(),
            Some("APN1-InstanceUsage:db.t4g.small")
        );
        assert_eq!(p.trust, Trust::Normal);
        assert_eq!(b.sources["pl"].offer.as_deref(), Some("AmazonRDS"));
        assert_eq!(b.get("c").unwrap().trust, Trust::Low);
        let err = book("[sources.x]\nurl = \"u\"\nas_of = \"2026-01-01\"\npublished = \"Sept\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("published") && err.contains("YYYY-MM-DD"),
            "{err}"
        );
    }

    fn per_million(group: Option<&str>) -> Price {
        Price {
            key: "api.requests".into(),
            unit: "1M requests".into(),
            per: d("1000000"),
            tiers: vec![Tier {
                up_to: None,
                price: d("1.00"),
            }],
            source: "s".into(),
            as_of: "2026-01-01".into(),
            free: Some(FreeAllowance {
                quantity: d("1"),
                kind: FreeTierKind::TwelveMonth,
                group: group.map(str::to_string),
            }),
            note: None,
            record: Record::default(),
            trust: Trust::Normal,
        }
    }

    fn over(toml_text: &str) -> RawOverride {
        toml::from_str(&format!("reason = \"r\"\n{toml_text}")).unwrap()
    }

    #[test]
    fn override_with_a_blank_reason_is_refused() {
        // An override without provenance would price lines with nothing to check them by.
        let r: RawOverride = toml::from_str("reason = \"  \"\nprice = \"1.29\"").unwrap();
        let e = r
            .resolve("api.requests", Some(&per_million(None)))
            .unwrap_err();
        assert!(e.contains("`reason` is blank"), "{e}");
    }

    #[test]
    fn override_without_unit_inherits_the_book_unit_and_scale_and_says_so() {
        let r = over("price = \"1.29\"")
            .resolve("api.requests", Some(&per_million(None)))
            .unwrap();
        assert_eq!(
            (r.price.unit.as_str(), r.price.per),
            ("1M requests", d("1000000"))
        );
        assert_eq!(r.notes, vec!["override price per 1M requests (book unit)"]);
        assert_eq!(r.price.free.unwrap().quantity, d("1"));
    }

    #[test]
    fn override_per_request_converts_the_scale_and_the_free_allowance() {
        for text in [
            "price = \"0.000001\"\nunit = \"requests\"",
            "price = \"0.000001\"\nper = \"1\"",
        ] {
            let r = over(text)
                .resolve("api.requests", Some(&per_million(None)))
                .unwrap();
            assert_eq!(r.price.per, Decimal::ONE, "{text}");
            assert_eq!(r.price.unit, "requests", "{text}");
            // 1 (1M requests) = 1,000,000 requests
            assert_eq!(
                r.price.free.as_ref().unwrap().quantity,
                d("1000000"),
                "{text}"
            );
            assert!(
                r.notes
                    .iter()
                    .any(|n| n.contains("1 1M requests = 1,000,000 requests")),
                "{:?}",
                r.notes
            );
        }
        // 1K requests: per 1,000; 1 (1M) free = 1,000 (1K)
        let r = over("price = \"0.001\"\nunit = \"1K requests\"")
            .resolve("api.requests", Some(&per_million(None)))
            .unwrap();
        assert_eq!(r.price.per, d("1000"));
        assert_eq!(r.price.free.unwrap().quantity, d("1000"));
        // A shared allowance is counted in the book's unit: dropped, saying so.
        let r = over("price = \"0.000001\"\nunit = \"request\"")
            .resolve("api.requests", Some(&per_million(Some("g"))))
            .unwrap();
        assert!(r.price.free.is_none());
        assert!(
            r.notes
                .iter()
                .any(|n| n.starts_with("free allowance dropped")),
            "{:?}",
            r.notes
        );
    }

    #[test]
    fn override_in_another_unit_or_with_a_contradicting_per_is_refused() {
        let e = over("price = \"1\"\nunit = \"GB\"")
            .resolve("api.requests", Some(&per_million(None)))
            .unwrap_err();
        assert!(
            e.contains("per 1M requests (`unit = \"1M requests\"`, `per = \"1000000\"`)"),
            "{e}"
        );
        let e = over("price = \"1\"\nunit = \"1M requests\"\nper = \"1\"")
            .resolve("api.requests", Some(&per_million(None)))
            .unwrap_err();
        assert!(e.contains("`per` is 1"), "{e}");
    }

    #[test]
    fn override_of_a_key_the_book_lacks_reads_the_scale_from_its_unit() {
        // `1M requests` without `per`: per 1,000,000, not 1 (79.6M requests would otherwise be
        // priced as 79.6M units).
        let r = over("price = \"1.29\"\nunit = \"1M requests\"")
            .resolve("x", None)
            .unwrap();
        assert_eq!(r.price.per, d("1000000"));
        let r = over("price = \"0.5\"\nunit = \"hour\"")
            .resolve("x", None)
            .unwrap();
        assert_eq!(r.price.per, Decimal::ONE);
    }
}
