//! Savings Plans offer files (`AWSComputeSavingsPlan`, bulk JSON or CSV): each plan's
//! `discountedRate` for an on-demand SKU. They price no key on their own: a rate is joined, by
//! its `discountedSku`, to an on-demand price the same import read (from an entry marked
//! `savings_plans`), and prices `<that key>.savings_plan.<compute|ec2_instance>.<term>.<payment>`
//! in that key's unit (see `resources::commitment`). Only rates for those SKUs are kept while the
//! file streams past, so memory follows the matches, not the file.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use super::{progress, FileMeta, Imported};
use crate::error::{InputError, Result};

/// One plan's rate for one on-demand SKU.
#[derive(Debug, Clone)]
pub(super) struct PlanRate {
    /// The plan's product (`ComputeSP:1yrNoUpfront`, `APN1-EC2SP:c5.1yrNoUpfront`).
    pub plan_sku: String,
    pub discounted_sku: String,
    pub discounted_usage: String,
    pub discounted_operation: String,
    pub rate_code: String,
    pub unit: String,
    pub price: String,
    pub currency: String,
    /// Where the rate is, for messages.
    pub at: String,
}

/// A plan product: its family and purchase terms.
#[derive(Debug, Clone)]
pub(super) struct Plan {
    pub family: String,
    pub usage_type: String,
    pub purchase_option: String,
    /// `1yr` / `3yr`, from `purchaseTerm` or the lease's duration in years.
    pub term: String,
}

/// What is kept of a Savings Plans file.
pub(super) struct PlansFile {
    pub meta: FileMeta,
    pub plans: HashMap<String, Plan>,
    pub rates: Vec<PlanRate>,
}

/// The book's plan type of a product family.
fn plan_type(family: &str) -> Option<&'static str> {
    match family {
        "ComputeSavingsPlans" => Some("compute"),
        "EC2InstanceSavingsPlans" => Some("ec2_instance"),
        _ => None,
    }
}

fn payment(option: &str) -> Option<&'static str> {
    match option {
        "No Upfront" => Some("no_upfront"),
        "Partial Upfront" => Some("partial_upfront"),
        "All Upfront" => Some("all_upfront"),
        _ => None,
    }
}

/// `1yr` and `3yr` as the files write them (`purchaseTerm`, or a lease of 1 or 3 years).
fn term(purchase_term: &str, duration: &str, unit: &str) -> String {
    if !purchase_term.is_empty() {
        return purchase_term.to_string();
    }
    match (duration, unit.to_ascii_lowercase().trim_end_matches('s')) {
        (d, "year") => format!("{d}yr"),
        (d, u) => format!("{d} {u}"),
    }
}

/// Whether the first bytes of a bulk file are a Savings Plans file: its JSON `products` is an
/// array (an offer file's is an object), its CSV header has `DiscountedRate`.
pub(super) fn is_plans(head: &str) -> bool {
    let json = head.find("\"products\"").is_some_and(|i| {
        head[i + "\"products\"".len()..]
            .trim_start()
            .strip_prefix(':')
            .is_some_and(|rest| rest.trim_start().starts_with('['))
    });
    json || head.to_ascii_lowercase().contains("\"discountedrate\"")
}

/// Join the plans' rates to the on-demand prices they discount.
pub(super) fn join(
    prices: &[Imported],
    files: &[PlansFile],
) -> std::result::Result<Vec<Imported>, InputError> {
    let by_sku: HashMap<&str, Vec<&Imported>> =
        prices
            .iter()
            .filter(|p| p.savings_plans)
            .fold(HashMap::new(), |mut m, p| {
                m.entry(p.sku.as_str()).or_default().push(p);
                m
            });
    let mut out: Vec<Imported> = Vec::new();
    let mut seen: HashMap<String, String> = HashMap::new();
    for f in files {
        for r in &f.rates {
            let Some(ps) = by_sku.get(r.discounted_sku.as_str()) else {
                continue;
            };
            let bad = |m: String| InputError::new(format!("{}: {m}", r.at));
            let plan = f
                .plans
                .get(&r.plan_sku)
                .ok_or_else(|| bad(format!("plan SKU {} is not in `products`", r.plan_sku)))?;
            // Other families (SageMaker, ...) and purchase options price no key.
            let (Some(kind), Some(pay)) = (plan_type(&plan.family), payment(&plan.purchase_option))
            else {
                continue;
            };
            if !matches!(plan.term.as_str(), "1yr" | "3yr") {
                continue;
            }
            if r.currency != "USD" {
                return Err(bad(format!(
                    "rate in `{}`; costplan's books are in USD",
                    r.currency
                )));
            }
            let rate = crate::num::parse_decimal(&r.price)
                .map_err(|m| bad(format!("discountedRate: {m}")))?;
            for p in ps {
                // The plan discounts the SKU's own meter: its unit is the on-demand one.
                if r.unit != p.record_unit {
                    return Err(bad(format!(
                        "the rate is per `{}`, but SKU {}'s on-demand price (`{}`) is per `{}`",
                        r.unit, r.discounted_sku, p.key, p.record_unit
                    )));
                }
                let key = format!("{}.savings_plan.{kind}.{}.{pay}", p.key, plan.term);
                if let Some(prev) = seen.insert(key.clone(), r.at.clone()) {
                    return Err(bad(format!(
                        "a second rate for `{key}` (the first is at {prev})"
                    )));
                }
                out.push(Imported {
                    key,
                    unit: p.unit.clone(),
                    per: p.per,
                    tiers: vec![crate::pricing::Tier {
                        up_to: None,
                        price: (rate * p.factor).normalize(),
                    }],
                    source: f.meta.source_id(),
                    sku: r.plan_sku.clone(),
                    usage_type: plan.usage_type.clone(),
                    rate_codes: vec![r.rate_code.clone()],
                    description: format!(
                        "discountedUsageType {}, discountedOperation {}",
                        r.discounted_usage, r.discounted_operation
                    ),
                    note: Some(format!(
                        "the {} rate for on-demand SKU {}",
                        plan.family, r.discounted_sku
                    )),
                    savings_plans: false,
                    factor: p.factor,
                    record_unit: r.unit.clone(),
                });
            }
        }
    }
    out.sort_by(|a, b| a.key.cmp(&b.key));
    Ok(out)
}

/// Read a Savings Plans file (JSON or CSV, by its first bytes), keeping the rates of `wanted`.
pub(super) fn read(
    path: &Path,
    name: &str,
    head: &str,
    wanted: &HashSet<&str>,
) -> Result<PlansFile> {
    if head.trim_start().starts_with('{') {
        read_json(path, name, wanted)
    } else {
        read_csv(path, name, wanted)
    }
}

fn read_csv(path: &Path, name: &str, wanted: &HashSet<&str>) -> Result<PlansFile> {
    use super::csv::{line_of, open};
    let mut f = open(path, name)?;
    let cols: Vec<usize> = [
        "SKU",
        "RateCode",
        "Unit",
        "DiscountedRate",
        "Currency",
        "DiscountedSKU",
        "DiscountedUsageType",
        "DiscountedOperation",
        "PurchaseOption",
        "LeaseContractLength",
        "LeaseContractLengthUnit",
        "Product Family",
        "UsageType",
    ]
    .iter()
    .map(|h| f.col(name, h))
    .collect::<Result<_>>()?;
    let term_col = f.cols.get("purchaseterm").copied();
    let meta = f.file_meta(name)?;
    let (mut plans, mut rates) = (HashMap::new(), Vec::new());
    let mut rec = ::csv::StringRecord::new();
    while f.next(name, &mut rec)? {
        let get = |i: usize| rec.get(cols[i]).unwrap_or("").to_string();
        let sku = get(0);
        if !plans.contains_key(&sku) {
            let t = term_col.and_then(|i| rec.get(i)).unwrap_or("");
            plans.insert(
                sku.clone(),
                Plan {
                    family: get(11),
                    usage_type: get(12),
                    purchase_option: get(8),
                    term: term(t, &get(9), &get(10)),
                },
            );
        }
        if !wanted.contains(rec.get(cols[5]).unwrap_or("")) {
            continue;
        }
        rates.push(PlanRate {
            plan_sku: sku,
            rate_code: get(1),
            unit: get(2),
            price: get(3),
            currency: get(4),
            discounted_sku: get(5),
            discounted_usage: get(6),
            discounted_operation: get(7),
            at: format!("{name}:{}", line_of(rec.position())),
        });
    }
    f.pb.finish_and_clear();
    Ok(PlansFile { meta, plans, rates })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawProduct {
    sku: String,
    #[serde(default)]
    product_family: String,
    #[serde(default)]
    attributes: HashMap<String, String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawRate {
    discounted_sku: String,
    #[serde(default)]
    discounted_usage_type: String,
    #[serde(default)]
    discounted_operation: String,
    #[serde(default)]
    rate_code: String,
    unit: String,
    discounted_rate: RawPrice,
}

#[derive(Deserialize)]
struct RawPrice {
    price: String,
    currency: String,
}

#[derive(Deserialize, Default)]
struct RawLease {
    #[serde(default)]
    duration: serde_json::Value,
    #[serde(default)]
    unit: String,
}

fn read_json(path: &Path, name: &str, wanted: &HashSet<&str>) -> Result<PlansFile> {
    let (reader, pb) = progress::open(path, name)?;
    let mut de = serde_json::Deserializer::from_reader(reader);
    let top = FileSeed { wanted, name }
        .deserialize(&mut de)
        .and_then(|t| de.end().map(|_| t))
        .map_err(|e| {
            let mut ie = InputError::new(format!("not a Savings Plans file: {e}"));
            ie.file = Some(name.to_string());
            if e.line() > 0 {
                ie.position = Some((e.line(), e.column()));
            }
            ie
        })?;
    pb.finish_and_clear();
    let missing =
        |what: &str| InputError::new(format!("{name}: not a Savings Plans file: no `{what}`"));
    // The files name their offer only through the plans' service (`ComputeSavingsPlans`).
    let offer = match top.offer_code {
        Some(o) => o,
        None if top.products.iter().all(|p| {
            p.attributes.get("serviceCode").map(String::as_str) == Some("ComputeSavingsPlans")
        }) && !top.products.is_empty() =>
        {
            "AWSComputeSavingsPlan".to_string()
        }
        None => return Err(missing("offerCode").into()),
    };
    let meta = FileMeta::new(
        name,
        offer,
        top.version.ok_or_else(|| missing("version"))?,
        &top.publication_date
            .ok_or_else(|| missing("publicationDate"))?,
        "json",
    )
    .map_err(|m| InputError::new(format!("{name}: {m}")))?;
    let mut plans: HashMap<String, Plan> = top
        .products
        .into_iter()
        .map(|p| {
            let a = |k: &str| p.attributes.get(k).cloned().unwrap_or_default();
            let family = if p.product_family.is_empty() {
                a("productFamily")
            } else {
                p.product_family.clone()
            };
            (
                p.sku.clone(),
                Plan {
                    family,
                    usage_type: a("usageType"),
                    purchase_option: a("purchaseOption"),
                    term: a("purchaseTerm"),
                },
            )
        })
        .collect();
    // A plan without `purchaseTerm` takes its term's lease.
    for (sku, lease) in &top.leases {
        if let Some(p) = plans.get_mut(sku).filter(|p| p.term.is_empty()) {
            let d = match &lease.duration {
                serde_json::Value::String(s) => s.clone(),
                v => v.to_string(),
            };
            p.term = term("", &d, &lease.unit);
        }
    }
    Ok(PlansFile {
        meta,
        plans,
        rates: top.rates,
    })
}

#[derive(Default)]
struct Top {
    offer_code: Option<String>,
    version: Option<String>,
    publication_date: Option<String>,
    products: Vec<RawProduct>,
    leases: Vec<(String, RawLease)>,
    rates: Vec<PlanRate>,
}

struct FileSeed<'a> {
    wanted: &'a HashSet<&'a str>,
    name: &'a str,
}

impl<'de> DeserializeSeed<'de> for FileSeed<'_> {
    type Value = Top;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> std::result::Result<Top, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for FileSeed<'_> {
    type Value = Top;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a Savings Plans file with version, publicationDate, products and terms")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Top, A::Error> {
        let mut top = Top::default();
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "offerCode" => top.offer_code = Some(map.next_value()?),
                "version" => top.version = Some(map.next_value()?),
                "publicationDate" => top.publication_date = Some(map.next_value()?),
                "products" => top.products = map.next_value()?,
                "terms" => {
                    let (leases, rates) = map.next_value_seed(TermsSeed {
                        wanted: self.wanted,
                        name: self.name,
                    })?;
                    top.leases = leases;
                    top.rates = rates;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(top)
    }
}

type Terms = (Vec<(String, RawLease)>, Vec<PlanRate>);

/// `terms`: the `savingsPlan` array; other term types price nothing.
#[derive(Clone, Copy)]
struct TermsSeed<'a> {
    wanted: &'a HashSet<&'a str>,
    name: &'a str,
}

impl<'de> DeserializeSeed<'de> for TermsSeed<'_> {
    type Value = Terms;
    fn deserialize<D: serde::Deserializer<'de>>(
        self,
        d: D,
    ) -> std::result::Result<Terms, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for TermsSeed<'_> {
    type Value = Terms;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("terms with a savingsPlan array")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Terms, A::Error> {
        let mut out = Terms::default();
        while let Some(kind) = map.next_key::<String>()? {
            if kind == "savingsPlan" {
                out = map.next_value_seed(PlansSeed(self))?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(out)
    }
}

struct PlansSeed<'a>(TermsSeed<'a>);

impl<'de> DeserializeSeed<'de> for PlansSeed<'_> {
    type Value = Terms;
    fn deserialize<D: serde::Deserializer<'de>>(
        self,
        d: D,
    ) -> std::result::Result<Terms, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for PlansSeed<'_> {
    type Value = Terms;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an array of plans")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Terms, A::Error> {
        let mut out = Terms::default();
        let mut i = 0;
        while let Some((sku, lease, rates)) = seq.next_element_seed(PlanSeed { t: self.0, i })? {
            out.0.push((sku, lease));
            out.1.extend(rates);
            i += 1;
        }
        Ok(out)
    }
}

/// One plan of `terms.savingsPlan`: its SKU, lease and the rates of wanted SKUs.
struct PlanSeed<'a> {
    t: TermsSeed<'a>,
    i: usize,
}

impl<'de> DeserializeSeed<'de> for PlanSeed<'_> {
    type Value = (String, RawLease, Vec<PlanRate>);
    fn deserialize<D: serde::Deserializer<'de>>(
        self,
        d: D,
    ) -> std::result::Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for PlanSeed<'_> {
    type Value = (String, RawLease, Vec<PlanRate>);
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a plan with sku, leaseContractLength and rates")
    }
    fn visit_map<A: MapAccess<'de>>(
        self,
        mut map: A,
    ) -> std::result::Result<Self::Value, A::Error> {
        let (mut sku, mut lease, mut raw) = (None, RawLease::default(), Vec::new());
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "sku" => sku = Some(map.next_value::<String>()?),
                "leaseContractLength" => lease = map.next_value()?,
                "rates" => raw = map.next_value_seed(RatesSeed(self.t.wanted))?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let sku = sku.ok_or_else(|| serde::de::Error::missing_field("sku"))?;
        let (name, i) = (self.t.name, self.i);
        let rates = raw
            .into_iter()
            .map(|(j, r)| PlanRate {
                plan_sku: sku.clone(),
                discounted_sku: r.discounted_sku,
                discounted_usage: r.discounted_usage_type,
                discounted_operation: r.discounted_operation,
                rate_code: r.rate_code,
                unit: r.unit,
                price: r.discounted_rate.price,
                currency: r.discounted_rate.currency,
                at: format!("{name}: terms.savingsPlan[{i}].rates[{j}]"),
            })
            .collect();
        Ok((sku, lease, rates))
    }
}

/// `rates`: only those whose `discountedSku` is wanted, with their index.
struct RatesSeed<'a>(&'a HashSet<&'a str>);

impl<'de> DeserializeSeed<'de> for RatesSeed<'_> {
    type Value = Vec<(usize, RawRate)>;
    fn deserialize<D: serde::Deserializer<'de>>(
        self,
        d: D,
    ) -> std::result::Result<Self::Value, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for RatesSeed<'_> {
    type Value = Vec<(usize, RawRate)>;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an array of rates")
    }
    fn visit_seq<A: SeqAccess<'de>>(
        self,
        mut seq: A,
    ) -> std::result::Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        let mut j = 0;
        while let Some(r) = seq.next_element::<RawRate>()? {
            if self.0.contains(r.discounted_sku.as_str()) {
                out.push((j, r));
            }
            j += 1;
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_files_are_told_from_offer_files_by_their_first_bytes() {
        assert!(is_plans("{\n  \"version\" : \"1\",\n  \"products\" : [ {"));
        assert!(!is_plans(
            "{\n  \"offerCode\" : \"AmazonEC2\",\n  \"products\" : {\n"
        ));
        assert!(is_plans("\"FormatVersion\",\"v1.0\"\n\"SKU\",\"RateCode\",\"Unit\",\"EffectiveDate\",\"DiscountedRate\""));
        assert!(!is_plans(
            "\"FormatVersion\",\"v1.0\"\n\"SKU\",\"OfferTermCode\",\"RateCode\""
        ));
    }

    #[test]
    fn terms_read_from_either_form() {
        assert_eq!(term("1yr", "", ""), "1yr");
        assert_eq!(term("", "3", "year"), "3yr");
        assert_eq!(term("", "1", "Years"), "1yr");
        assert_eq!(term("", "36", "month"), "36 month");
        assert_eq!(plan_type("ComputeSavingsPlans"), Some("compute"));
        assert_eq!(plan_type("EC2InstanceSavingsPlans"), Some("ec2_instance"));
        assert_eq!(plan_type("SageMakerSavingsPlans"), None);
        assert_eq!(payment("Partial Upfront"), Some("partial_upfront"));
        assert_eq!(payment("Heavy Utilization"), None);
    }
}
