//! `costplan pricing import`: AWS Price List bulk offer files (CSV or JSON) to a price book.
//!
//! Records are matched to book keys by the declarative mapping (`mapping`); on-demand terms in
//! the requested region count, and the Standard Reserved Instance terms of entries marked
//! `reserved` (see [`reserved_key`]). A key must be priced by exactly one SKU: two SKUs are an
//! error naming both, and keys with no SKU are listed. Tiers come from the price dimensions'
//! ranges.

mod csv;
pub mod fetch;
mod json;
pub mod mapping;
mod progress;
mod savings;
mod write;

use std::path::Path;

use indexmap::IndexMap;
use rust_decimal::Decimal;

use crate::error::{InputError, Result};
use crate::pricing::Tier;
use mapping::{Attrs, Entry, Matcher};
pub use mapping::{Mapping, EMBEDDED_MAPPING};

/// Header facts of one offer file.
#[derive(Debug, Clone)]
pub struct FileMeta {
    /// The file as the user named it.
    pub name: String,
    pub offer: String,
    pub version: String,
    /// Publication date, YYYY-MM-DD.
    pub published: String,
    /// `csv` or `json`.
    pub format: &'static str,
}

impl FileMeta {
    /// The facts of a file's header; the publication date must start with a date.
    pub(crate) fn new(
        name: &str,
        offer: String,
        version: String,
        published: &str,
        format: &'static str,
    ) -> std::result::Result<FileMeta, String> {
        let day = published.get(..10).unwrap_or(published).to_string();
        if !crate::pricing::book::check_date(&day) {
            return Err(format!("publication date `{published}` is not a date"));
        }
        Ok(FileMeta {
            name: name.to_string(),
            offer,
            version,
            published: day,
            format,
        })
    }

    /// Where AWS publishes this exact version of the file: a URL a reader can open to check.
    pub fn url(&self, region: &str) -> String {
        // Savings Plans files are published beside the offers, under `savingsPlan/`.
        let tree = if self.is_plans() {
            "savingsPlan"
        } else {
            "offers"
        };
        format!(
            "https://pricing.us-east-1.amazonaws.com/{tree}/v1.0/aws/{}/{}/{region}/index.{}",
            self.offer, self.version, self.format
        )
    }

    /// A Savings Plans file (its rates price keys only joined to on-demand SKUs).
    pub fn is_plans(&self) -> bool {
        self.offer.eq_ignore_ascii_case(PLANS_OFFER)
    }

    pub fn source_id(&self) -> String {
        format!("aws-price-list-{}", self.offer.to_ascii_lowercase())
    }
}

/// One price dimension (rate) of an on-demand term.
#[derive(Debug, Clone)]
struct Dim {
    term: String,
    rate_code: String,
    description: String,
    begin: Decimal,
    end: Option<Decimal>,
    unit: String,
    price: Decimal,
}

#[derive(Debug, Default)]
struct SkuAcc {
    usage: String,
    /// Where the SKU was first seen (`file:line` or `file: SKU`).
    at: String,
    dims: Vec<Dim>,
}

#[derive(Debug)]
struct KeyAcc<'m> {
    entry: &'m Entry,
    /// The part of a Reserved term this key is, or `None` for the on-demand price.
    part: Option<Part>,
    skus: IndexMap<String, SkuAcc>,
}

/// A Standard Reserved Instance term's two price dimensions: the recurring rate per
/// instance-hour (`Hrs`) and the fee paid once per instance for the term (`Quantity`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Hourly,
    Upfront,
}

/// The key suffix a Reserved term's dimension prices (`reserved.1yr.partial_upfront.hourly`, as
/// `resources::commitment` reads it), `Ok(None)` for a term or dimension no book key holds: a
/// Convertible or legacy (utilisation) term, another length, the zero hourly rate of All Upfront
/// and the zero fee of No Upfront. A non-zero rate where the books expect none is an error, so
/// no charge is dropped unseen.
fn reserved_key(row: &Row, price: Decimal) -> std::result::Result<Option<(String, Part)>, String> {
    let standard =
        row.offering_class.is_empty() || row.offering_class.eq_ignore_ascii_case("standard");
    let term = match row.lease {
        "1yr" | "3yr" => row.lease,
        _ => return Ok(None),
    };
    let payment = match row.purchase_option {
        "No Upfront" => "no_upfront",
        "Partial Upfront" => "partial_upfront",
        "All Upfront" => "all_upfront",
        _ => return Ok(None),
    };
    if !standard {
        return Ok(None);
    }
    let part = match row.unit {
        "Hrs" => Part::Hourly,
        "Quantity" => Part::Upfront,
        other => {
            return Err(format!(
                "a Reserved term's dimension in `{other}`, expected `Hrs` (recurring) or `Quantity` (upfront fee)"
            ))
        }
    };
    let none_expected = match part {
        Part::Hourly => payment == "all_upfront",
        Part::Upfront => payment == "no_upfront",
    };
    if none_expected {
        return if price.is_zero() {
            Ok(None)
        } else {
            Err(format!(
                "{} {} Reserved term with a non-zero {} ({price}): costplan's books have no key for it",
                row.lease,
                row.purchase_option,
                if part == Part::Hourly { "hourly rate" } else { "upfront fee" }
            ))
        };
    }
    let last = if part == Part::Hourly {
        "hourly"
    } else {
        "upfront"
    };
    Ok(Some((format!("reserved.{term}.{payment}.{last}"), part)))
}

/// A price read from an offer file, with its record.
#[derive(Debug, Clone)]
pub struct Imported {
    pub key: String,
    pub unit: String,
    pub per: Decimal,
    pub tiers: Vec<Tier>,
    pub source: String,
    pub sku: String,
    pub usage_type: String,
    /// One rate code per tier.
    pub rate_codes: Vec<String>,
    pub description: String,
    pub note: Option<String>,
    /// Savings Plans rates for this SKU price keys of their own (on-demand prices only).
    pub savings_plans: bool,
    /// File units per book unit (the entry's conversion), and the file's unit.
    pub factor: Decimal,
    pub record_unit: String,
}

/// The outcome of an import: prices, their sources, and what the mapping could not find.
#[derive(Debug, Clone)]
pub struct ImportResult {
    pub region: String,
    pub currency: String,
    pub files: Vec<FileMeta>,
    pub prices: Vec<Imported>,
    /// Keys (or pattern entries) no record matched, with the offer they were looked for in.
    pub missing: Vec<String>,
    /// Mapped offers no file was given for.
    pub offers_not_given: Vec<String>,
}

/// One record row as the readers hand it over: the price fields plus the product's attributes.
pub(crate) struct Row<'a> {
    pub sku: &'a str,
    pub term_type: &'a str,
    pub term_code: &'a str,
    pub rate_code: &'a str,
    pub description: &'a str,
    pub begin: &'a str,
    pub end: &'a str,
    pub unit: &'a str,
    pub price: &'a str,
    pub currency: &'a str,
    pub usage: &'a str,
    pub region_code: Option<&'a str>,
    pub location: Option<&'a str>,
    /// A Reserved term's attributes (empty for on-demand): `1yr`, `Partial Upfront`, `standard`.
    pub lease: &'a str,
    pub purchase_option: &'a str,
    pub offering_class: &'a str,
}

/// Collects the matching records of one file.
pub(crate) struct Collector<'m> {
    matcher: Matcher<'m>,
    region: String,
    location: String,
    file: String,
    keys: IndexMap<String, KeyAcc<'m>>,
    currency: Option<String>,
}

fn range(s: &str) -> std::result::Result<Option<Decimal>, String> {
    if s.eq_ignore_ascii_case("inf") || s.is_empty() {
        return Ok(None);
    }
    crate::num::parse_decimal(s).map(Some)
}

impl<'m> Collector<'m> {
    pub fn new(mapping: &'m Mapping, offer: &str, region: &str, file: &str) -> Result<Self> {
        let r = mapping.region(region)?;
        Ok(Collector {
            matcher: Matcher::new(mapping, offer, r),
            region: region.to_string(),
            location: r.location.clone(),
            file: file.to_string(),
            keys: IndexMap::new(),
            currency: None,
        })
    }

    /// Take one row. `at` says where it is, for messages (called only when needed).
    pub fn row(
        &mut self,
        row: &Row,
        attrs: &dyn Attrs,
        at: &dyn Fn() -> String,
    ) -> std::result::Result<(), InputError> {
        // Savings-plan and any other terms are not list prices of a key.
        let reserved = match row.term_type {
            "OnDemand" => false,
            "Reserved" => true,
            _ => return Ok(()),
        };
        let in_region = match row.region_code.filter(|c| !c.is_empty()) {
            Some(code) => code == self.region,
            None => row.location == Some(self.location.as_str()),
        };
        if !in_region {
            return Ok(());
        }
        let usage = self.matcher.strip(row.usage);
        let keys: Vec<(String, &'m Entry)> = self
            .matcher
            .candidates(usage)
            .filter(|e| e.reserved || !reserved)
            .filter_map(|e| e.key_for(attrs, usage).map(|k| (k, e)))
            .collect();
        if keys.is_empty() {
            return Ok(());
        }
        let bad = |m: String| InputError::new(format!("{}: {m}", at()));
        if row.currency != "USD" {
            return Err(bad(format!(
                "price in `{}`; costplan's books are in USD",
                row.currency
            )));
        }
        self.currency
            .get_or_insert_with(|| row.currency.to_string());
        let price =
            crate::num::parse_decimal(row.price).map_err(|m| bad(format!("PricePerUnit: {m}")))?;
        let begin = range(row.begin)
            .map_err(|m| bad(format!("StartingRange: {m}")))?
            .unwrap_or(Decimal::ZERO);
        let end = range(row.end).map_err(|m| bad(format!("EndingRange: {m}")))?;
        let part = if reserved {
            match reserved_key(row, price).map_err(bad)? {
                Some(p) => Some(p),
                None => return Ok(()),
            }
        } else {
            None
        };
        for (key, entry) in keys {
            let (key, part) = match &part {
                Some((suffix, p)) => (format!("{key}.{suffix}"), Some(*p)),
                None => (key, None),
            };
            let acc = self.keys.entry(key).or_insert_with(|| KeyAcc {
                entry,
                part,
                skus: IndexMap::new(),
            });
            let sku = acc
                .skus
                .entry(row.sku.to_string())
                .or_insert_with(|| SkuAcc {
                    usage: row.usage.to_string(),
                    at: at(),
                    dims: Vec::new(),
                });
            sku.dims.push(Dim {
                term: row.term_code.to_string(),
                rate_code: row.rate_code.to_string(),
                description: row.description.trim().to_string(),
                begin,
                end,
                unit: row.unit.to_string(),
                price,
            });
        }
        Ok(())
    }

    /// Check every key has one SKU with contiguous tiers; list keys nothing matched.
    pub fn finish(
        self,
        source: &str,
        missing: &mut Vec<String>,
    ) -> std::result::Result<Vec<Imported>, InputError> {
        let mut out: Vec<Imported> = Vec::new();
        for entry in &self.matcher.entries {
            let mut found: Vec<&String> = self
                .keys
                .iter()
                .filter(|(_, a)| std::ptr::eq(a.entry, *entry))
                .map(|(k, _)| k)
                .collect();
            match &entry.expand {
                None if found.is_empty() => {
                    missing.push(format!("{} ({})", entry.key, entry.offer))
                }
                Some(x) => {
                    // A pattern lists each glob that matched no record.
                    for g in &x.globs {
                        if !found
                            .iter()
                            .any(|k| entry.bound_of(k).is_some_and(|v| mapping::glob(g, v)))
                        {
                            missing.push(format!(
                                "{} for {} `{g}` ({})",
                                entry.key, x.var, entry.offer
                            ));
                        }
                    }
                }
                None => {}
            }
            found.sort();
            for key in found {
                out.push(self.build(key, &self.keys[key], source)?);
            }
        }
        Ok(out)
    }

    fn build(
        &self,
        key: &str,
        acc: &KeyAcc,
        source: &str,
    ) -> std::result::Result<Imported, InputError> {
        let e = acc.entry;
        let located = |m: String| {
            InputError::new(format!("{}: `{key}`: {m}", self.file)).with_help(Some(format!(
                "see entry {} of the mapping (`key = \"{}\"`); narrow its filters",
                e.index + 1,
                e.key
            )))
        };
        if acc.skus.len() > 1 {
            let names: Vec<String> = acc
                .skus
                .iter()
                .take(3)
                .map(|(sku, s)| format!("{sku} ({}, {})", s.usage, s.at))
                .collect();
            return Err(located(format!(
                "{} SKUs match, expected one: {}",
                acc.skus.len(),
                names.join(" and ")
            )));
        }
        let Some((sku, s)) = acc.skus.first() else {
            return Err(located("no SKU".into()));
        };
        let mut dims = s.dims.clone();
        let mut terms: Vec<&str> = s.dims.iter().map(|d| d.term.as_str()).collect();
        terms.sort();
        terms.dedup();
        if terms.len() > 1 {
            return Err(located(format!(
                "SKU {sku} has {} {} terms ({}), expected one",
                terms.len(),
                if acc.part.is_some() {
                    "matching Reserved"
                } else {
                    "on-demand"
                },
                terms.join(", ")
            )));
        }
        // An upfront fee is per instance, once for the term, in the file's `Quantity`.
        let (unit, per, factor, file_unit) = match acc.part {
            Some(Part::Upfront) => ("instance", Decimal::ONE, Decimal::ONE, None),
            _ => (e.unit.as_str(), e.per, e.factor, e.file_unit.as_ref()),
        };
        if let Some(want) = file_unit {
            if let Some(d) = dims.iter().find(|d| &d.unit != want) {
                return Err(located(format!(
                    "SKU {sku} is priced per `{}`, but the mapping converts from `{want}`",
                    d.unit
                )));
            }
        }
        dims.sort_by_key(|d| d.begin);
        let mut tiers = Vec::with_capacity(dims.len());
        let mut expect = Decimal::ZERO;
        for (i, d) in dims.iter().enumerate() {
            let last = i + 1 == dims.len();
            if d.begin != expect {
                return Err(located(format!(
                    "SKU {sku}: tier {} starts at {}, expected {expect} (ranges must follow on)",
                    i + 1,
                    d.begin
                )));
            }
            match (d.end, last) {
                (None, false) => {
                    return Err(located(format!(
                        "SKU {sku}: tier {} is open-ended but is not the last",
                        i + 1
                    )))
                }
                (Some(end), _) if end <= d.begin => {
                    return Err(located(format!(
                        "SKU {sku}: tier {} ends at {end}, not above its start {}",
                        i + 1,
                        d.begin
                    )))
                }
                (Some(end), _) => expect = end,
                (None, true) => {}
            }
            tiers.push(Tier {
                // The file's ranges are in its unit; the book's `up_to` in its own.
                up_to: match (d.end, last) {
                    (Some(end), false) => Some((end / factor).normalize()),
                    _ => None,
                },
                price: (d.price * factor).normalize(),
            });
        }
        let note = match acc.part {
            Some(part) => {
                let what = match part {
                    Part::Hourly => "the recurring rate per instance-hour",
                    Part::Upfront => "the upfront fee, paid once per instance for the term",
                };
                let term = &dims[0].term;
                Some(match &e.note {
                    Some(n) => {
                        format!("Standard Reserved Instance (offer term {term}): {what}; {n}")
                    }
                    None => format!("Standard Reserved Instance (offer term {term}): {what}"),
                })
            }
            None => e.note.clone(),
        };
        Ok(Imported {
            key: key.to_string(),
            unit: unit.to_string(),
            per,
            tiers,
            source: source.to_string(),
            sku: sku.clone(),
            usage_type: s.usage.clone(),
            rate_codes: dims.iter().map(|d| d.rate_code.clone()).collect(),
            description: dims[0].description.clone(),
            note,
            savings_plans: e.savings_plans && acc.part.is_none(),
            factor,
            record_unit: dims[0].unit.clone(),
        })
    }
}

/// The Savings Plans offer, read after the offers whose SKUs its rates discount.
const PLANS_OFFER: &str = "AWSComputeSavingsPlan";

/// Read each file (CSV or JSON, by content), match it against the mapping and gather the prices;
/// Savings Plans files last, joined to the on-demand prices read from the others.
pub fn import(mapping: &Mapping, region: &str, files: &[&Path]) -> Result<ImportResult> {
    mapping.region(region)?;
    let mut metas: Vec<FileMeta> = Vec::new();
    let mut prices: Vec<Imported> = Vec::new();
    let mut missing = Vec::new();
    let mut plan_files: Vec<(&Path, String)> = Vec::new();
    let takes_plans = mapping.entries.iter().any(|e| e.savings_plans);
    let mut offers = mapping.offers();
    if takes_plans {
        offers.push(PLANS_OFFER);
    }
    let add = |meta: FileMeta, metas: &mut Vec<FileMeta>| -> Result<()> {
        if let Some(prev) = metas.iter().find(|m| m.offer == meta.offer) {
            return Err(InputError::new(format!(
                "{}: a second {} offer file (the first was {})",
                meta.name, meta.offer, prev.name
            ))
            .into());
        }
        if !offers.iter().any(|o| o.eq_ignore_ascii_case(&meta.offer)) {
            return Err(InputError::new(format!(
                "{}: offer `{}` is not in the mapping (it maps {})",
                meta.name,
                meta.offer,
                offers.join(", ")
            ))
            .into());
        }
        metas.push(meta);
        Ok(())
    };
    for path in files {
        let head = head_of(path)?;
        if savings::is_plans(&head) {
            plan_files.push((path, head));
            continue;
        }
        let (meta, found) = read_file(mapping, region, path, &head, &mut missing)?;
        add(meta, &mut metas)?;
        prices.extend(found);
    }
    let mut plans = Vec::new();
    if !plan_files.is_empty() {
        let wanted: std::collections::HashSet<&str> = prices
            .iter()
            .filter(|p| p.savings_plans)
            .map(|p| p.sku.as_str())
            .collect();
        for (path, head) in &plan_files {
            let name = path.display().to_string();
            let f = savings::read(path, &name, head, &wanted)?;
            add(f.meta.clone(), &mut metas)?;
            plans.push(f);
        }
    }
    let joined = savings::join(&prices, &plans)?;
    prices.extend(joined);
    if prices.is_empty() {
        let help = if !plan_files.is_empty() && plan_files.len() == files.len() {
            "a Savings Plans file's rates price the keys of the on-demand SKUs they discount: give it with those offer files (AmazonEC2, AmazonECS, AWSLambda)"
        } else {
            "check the region and that the files are the offers the mapping names"
        };
        return Err(InputError::new(format!(
            "no price imported: nothing in {} matches an entry of the mapping for {region}",
            files
                .iter()
                .map(|f| f.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ))
        .with_help(Some(help.into()))
        .into());
    }
    let offers_not_given = offers
        .iter()
        .filter(|o| !metas.iter().any(|m| m.offer.eq_ignore_ascii_case(o)))
        .map(|o| o.to_string())
        .collect();
    // Book order: mapping order, whatever order the files came in.
    let order: IndexMap<&str, usize> = offers.iter().enumerate().map(|(i, o)| (*o, i)).collect();
    let rank = |p: &Imported| {
        metas
            .iter()
            .find(|m| m.source_id() == p.source)
            .and_then(|m| order.get(m.offer.as_str()).copied())
            .unwrap_or(usize::MAX)
    };
    prices.sort_by_key(|p| rank(p));
    metas.sort_by_key(|m| order.get(m.offer.as_str()).copied().unwrap_or(usize::MAX));
    Ok(ImportResult {
        region: region.to_string(),
        currency: "USD".into(),
        files: metas,
        prices,
        missing,
        offers_not_given,
    })
}

/// A file's first bytes (enough to tell the format and kind of file).
fn head_of(path: &Path) -> Result<String> {
    use std::io::Read;
    let mut f = std::fs::File::open(path).map_err(|e| crate::Error::io("read", path, e))?;
    let mut first = vec![0u8; 4096];
    let mut n = 0;
    while n < first.len() {
        match f.read(&mut first[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) => return Err(crate::Error::io("read", path, e)),
        }
    }
    let head = String::from_utf8_lossy(&first[..n]);
    Ok(head.trim_start_matches('\u{feff}').trim_start().to_string())
}

fn read_file(
    mapping: &Mapping,
    region: &str,
    path: &Path,
    head: &str,
    missing: &mut Vec<String>,
) -> Result<(FileMeta, Vec<Imported>)> {
    let name = path.display().to_string();
    if head.starts_with('{') {
        json::read(mapping, region, path, &name, missing)
    } else if head.starts_with("\"FormatVersion\"") || head.starts_with("FormatVersion") {
        csv::read(mapping, region, path, &name, missing)
    } else {
        Err(InputError::new(format!(
            "{name}: not an AWS Price List offer file (expected a bulk CSV starting with \"FormatVersion\" or a bulk JSON object)"
        ))
        .into())
    }
}

pub use write::{book_text, summary};

#[cfg(test)]
mod tests {
    use super::*;

    fn row<'a>(lease: &'a str, option: &'a str, class: &'a str, unit: &'a str) -> Row<'a> {
        Row {
            sku: "S",
            term_type: "Reserved",
            term_code: "T",
            rate_code: "S.T.R",
            description: "",
            begin: "0",
            end: "Inf",
            unit,
            price: "0",
            currency: "USD",
            usage: "BoxUsage:m5.large",
            region_code: Some("us-east-1"),
            location: None,
            lease,
            purchase_option: option,
            offering_class: class,
        }
    }

    fn key(r: &Row, price: &str) -> std::result::Result<Option<String>, String> {
        let price = crate::num::parse_decimal(price).unwrap();
        reserved_key(r, price).map(|k| k.map(|(k, _)| k))
    }

    #[test]
    fn reserved_dimensions_name_their_keys() {
        let k = |l, o, c, u, p| key(&row(l, o, c, u), p);
        assert_eq!(
            k("1yr", "Partial Upfront", "standard", "Hrs", "0.029"),
            Ok(Some("reserved.1yr.partial_upfront.hourly".into()))
        );
        assert_eq!(
            k("3yr", "All Upfront", "standard", "Quantity", "949"),
            Ok(Some("reserved.3yr.all_upfront.upfront".into()))
        );
        // RDS and ElastiCache sell one class; a term that leaves it out is Standard.
        assert_eq!(
            k("1yr", "No Upfront", "", "Hrs", "0.1572"),
            Ok(Some("reserved.1yr.no_upfront.hourly".into()))
        );
        // Terms no book key holds price nothing.
        assert_eq!(
            k("1yr", "No Upfront", "convertible", "Hrs", "0.071"),
            Ok(None)
        );
        assert_eq!(k("1yr", "Heavy Utilization", "", "Hrs", "0.02"), Ok(None));
        assert_eq!(k("5yr", "No Upfront", "standard", "Hrs", "0.02"), Ok(None));
        // The zero dimensions of All Upfront and No Upfront are skipped...
        assert_eq!(k("1yr", "All Upfront", "standard", "Hrs", "0"), Ok(None));
        assert_eq!(
            k("3yr", "No Upfront", "standard", "Quantity", "0.00"),
            Ok(None)
        );
        // ...and a charge there is an error, never dropped.
        let e = k("1yr", "All Upfront", "standard", "Hrs", "0.01").unwrap_err();
        assert!(e.contains("non-zero hourly rate (0.01)"), "{e}");
        let e = k("1yr", "No Upfront", "standard", "Quantity", "12").unwrap_err();
        assert!(e.contains("non-zero upfront fee (12)"), "{e}");
        let e = k("1yr", "No Upfront", "standard", "Months", "1").unwrap_err();
        assert!(e.contains("in `Months`, expected `Hrs`"), "{e}");
    }
}
