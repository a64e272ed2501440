//! The declarative mapping (`pricing/mapping.toml`): which Price List records price which book key.
//!
//! Each entry names an offer, attribute filters that must select exactly one SKU, and the unit
//! conversion from the file's unit to the book's. A pattern entry (`expand`) binds a variable
//! from one attribute (an instance type, say) and yields one key per value that matches its globs.

use std::collections::HashMap;

use indexmap::IndexMap;
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::error::{InputError, Result};
use crate::num::Positive;
use crate::source::{Document, KeyPath};

/// The mapping shipped with costplan.
pub const EMBEDDED_MAPPING: &str = include_str!("../../../pricing/mapping.toml");

/// Attribute names are compared lowercased with only letters and digits kept, so the CSV header
/// `Instance Type` and the JSON attribute `instanceType` are one name.
pub fn norm(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMapping {
    regions: IndexMap<String, RawRegion>,
    #[serde(default)]
    defaults: RawDefaults,
    prices: Vec<RawEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRegion {
    location: String,
    usage_prefixes: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawDefaults {
    #[serde(default)]
    filters: IndexMap<String, String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    key: String,
    offer: String,
    unit: String,
    #[serde(default)]
    per: Option<Positive>,
    /// Unit the file must quote (checked, so a changed unit is an error, not a wrong price).
    #[serde(default)]
    file_unit: Option<String>,
    #[serde(default)]
    multiply: Option<Positive>,
    #[serde(default)]
    divide: Option<Positive>,
    filters: IndexMap<String, String>,
    #[serde(default)]
    expand: Option<RawExpand>,
    /// The SKU's Standard Reserved Instance terms price the key's `.reserved.*` keys too.
    #[serde(default)]
    reserved: bool,
    /// Savings Plans files' rates for the matched SKU price its `.savings_plan.*` keys too.
    #[serde(default)]
    savings_plans: bool,
    #[serde(default)]
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExpand {
    var: String,
    attribute: String,
    #[serde(rename = "match")]
    globs: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Region {
    pub location: String,
    pub usage_prefixes: Vec<String>,
}

/// A filter value: literal text, or text with one `{var}` slot filled per record.
#[derive(Debug, Clone)]
enum Want {
    /// Attribute absent or empty.
    Empty,
    Exact(String),
    /// `before{var}after`.
    Slot(String, String),
}

#[derive(Debug, Clone)]
pub struct Expand {
    pub var: String,
    /// Normalised attribute name.
    pub attribute: String,
    pub globs: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Entry {
    /// Book key, with `{var}` when the entry expands.
    pub key: String,
    pub offer: String,
    pub unit: String,
    pub per: Decimal,
    pub file_unit: Option<String>,
    /// File units per book unit: a file price times this is the book price; a file range
    /// divided by it is the book's `up_to`.
    pub factor: Decimal,
    filters: Vec<(String, Want)>,
    pub expand: Option<Expand>,
    /// Reserved terms of the matched SKU price `{key}.reserved.{term}.{payment}.{hourly,upfront}`.
    pub reserved: bool,
    /// Savings Plans rates for the matched SKU price
    /// `{key}.savings_plan.{compute,ec2_instance}.{term}.{payment}`.
    pub savings_plans: bool,
    pub note: Option<String>,
    /// Index in the mapping's `prices` array, for messages.
    pub index: usize,
}

/// What a record offers the matcher: attributes by normalised name.
pub trait Attrs {
    fn get(&self, norm_name: &str) -> Option<&str>;
}

impl Entry {
    /// The book key this record prices under this entry, if it matches.
    /// `usage` is the record's usage type with the region prefix removed.
    pub fn key_for(&self, rec: &dyn Attrs, usage: &str) -> Option<String> {
        let bound = match &self.expand {
            Some(x) => {
                let v = rec.get(&x.attribute)?;
                if !x.globs.iter().any(|g| glob(g, v)) {
                    return None;
                }
                Some(v)
            }
            None => None,
        };
        for (attr, want) in &self.filters {
            let got = if attr == "usagetype" {
                Some(usage)
            } else {
                rec.get(attr)
            };
            let ok = match want {
                Want::Empty => got.is_none_or(str::is_empty),
                Want::Exact(s) => got == Some(s.as_str()),
                Want::Slot(a, b) => match (got, bound) {
                    (Some(g), Some(v)) => g
                        .strip_prefix(a.as_str())
                        .and_then(|g| g.strip_suffix(b.as_str()))
                        .is_some_and(|slot| same_size(slot, v)),
                    _ => false,
                },
            };
            if !ok {
                return None;
            }
        }
        Some(match (bound, &self.expand) {
            (Some(v), Some(x)) => self.key.replace(&format!("{{{}}}", x.var), v),
            _ => self.key.clone(),
        })
    }

    /// Whether this entry's records price book `key` (for a pattern, a value its globs match).
    fn prices(&self, key: &str) -> bool {
        match &self.expand {
            None => self.key == key,
            Some(x) => self
                .bound_of(key)
                .is_some_and(|v| !v.is_empty() && x.globs.iter().any(|g| glob(g, v))),
        }
    }

    /// The value a pattern key was expanded with (`t3.micro` in `ec2.instance.t3.micro`).
    pub fn bound_of<'k>(&self, key: &'k str) -> Option<&'k str> {
        let x = self.expand.as_ref()?;
        let (a, b) = self.key.split_once(&format!("{{{}}}", x.var))?;
        key.strip_prefix(a)?.strip_suffix(b)
    }

    /// The usage-type filter: the literal to index by, or the text before the slot.
    fn usage_index(&self) -> (bool, &str) {
        for (attr, want) in &self.filters {
            if attr == "usagetype" {
                return match want {
                    Want::Exact(s) => (true, s),
                    Want::Slot(a, _) => (false, a),
                    Want::Empty => (true, ""),
                };
            }
        }
        (false, "")
    }
}

/// A usage type's instance name against the record's `instanceType`. RDS and Aurora usage
/// types shorten the `xlarge` sizes (`Multi-AZUsage:db.m5d.8xl` for `db.m5d.8xlarge`); EC2 and
/// ElastiCache write them out. Either form names the same class.
fn same_size(slot: &str, class: &str) -> bool {
    slot == class
        || slot.strip_suffix("xl").is_some_and(|head| {
            class
                .strip_prefix(head)
                .is_some_and(|rest| rest == "xlarge")
        })
}

/// `*` matches any run of characters; everything else matches itself.
pub fn glob(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == text;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !text.starts_with(first) || text.len() < first.len() + last.len() || !text.ends_with(last) {
        return false;
    }
    let mut rest = &text[first.len()..text.len() - last.len()];
    for p in &parts[1..parts.len() - 1] {
        match rest.find(p) {
            Some(i) => rest = &rest[i + p.len()..],
            None => return false,
        }
    }
    true
}

#[derive(Debug, Clone)]
pub struct Mapping {
    pub file: String,
    pub regions: IndexMap<String, Region>,
    pub entries: Vec<Entry>,
}

impl Mapping {
    pub fn embedded() -> Result<Mapping> {
        Mapping::parse("pricing/mapping.toml", EMBEDDED_MAPPING)
    }

    pub fn parse(file: &str, text: &str) -> Result<Mapping> {
        let doc = Document::parse(file.to_string(), text.to_string())?;
        let raw: RawMapping = doc.deserialize(doc.value.clone(), &KeyPath::root())?;
        let mut entries = Vec::with_capacity(raw.prices.len());
        let mut seen: HashMap<String, usize> = HashMap::new();
        for (i, e) in raw.prices.into_iter().enumerate() {
            let at = KeyPath::root().key("prices").index(i);
            let err = |k: &str, m: String| doc.error_at(&at.key(k), m);
            if let Some(prev) = seen.insert(e.key.clone(), i) {
                return Err(err(
                    "key",
                    format!("`{}` is mapped twice (also entry {})", e.key, prev + 1),
                )
                .into());
            }
            let var = e.expand.as_ref().map(|x| format!("{{{}}}", x.var));
            match &var {
                Some(v) if !e.key.contains(v.as_str()) => {
                    return Err(err("key", format!("a pattern key must contain `{v}`")).into())
                }
                None if e.key.contains('{') => {
                    return Err(err(
                        "key",
                        "`{...}` in a key needs an `expand` table naming the variable".into(),
                    )
                    .into())
                }
                _ => {}
            }
            let mut filters: IndexMap<String, String> = raw.defaults.filters.clone();
            filters.extend(e.filters);
            let mut compiled = Vec::with_capacity(filters.len());
            for (attr, value) in filters {
                let want = if value.is_empty() {
                    Want::Empty
                } else if let Some(v) = var.as_deref().filter(|v| value.contains(v)) {
                    let (a, b) = value.split_once(v).unwrap_or((&value, ""));
                    Want::Slot(a.to_string(), b.to_string())
                } else if value.contains('{') {
                    return Err(err(
                        "filters",
                        format!("`{value}` names a variable this entry does not expand"),
                    )
                    .into());
                } else {
                    Want::Exact(value)
                };
                compiled.push((norm(&attr), want));
            }
            if !compiled.iter().any(|(a, _)| a == "usagetype") {
                return Err(err(
                    "filters",
                    "every entry filters on `usagetype` (it is how records are found fast)".into(),
                )
                .into());
            }
            // A reservation is an instance-hour commitment: its rates follow the hourly key.
            if e.reserved && (e.unit != "hour" || e.file_unit.as_deref() != Some("Hrs")) {
                return Err(err(
                    "reserved",
                    "Reserved terms price instance-hours: the entry needs `unit = \"hour\"` and `file_unit = \"Hrs\"`".into(),
                )
                .into());
            }
            let per = e.per.map_or(Decimal::ONE, |p| p.0);
            let factor = per * e.multiply.map_or(Decimal::ONE, |p| p.0)
                / e.divide.map_or(Decimal::ONE, |p| p.0);
            entries.push(Entry {
                key: e.key,
                offer: e.offer,
                unit: e.unit,
                per,
                file_unit: e.file_unit,
                factor,
                filters: compiled,
                expand: e.expand.map(|x| Expand {
                    var: x.var,
                    attribute: norm(&x.attribute),
                    globs: x.globs,
                }),
                reserved: e.reserved,
                savings_plans: e.savings_plans,
                note: e.note,
                index: i,
            });
        }
        let regions = raw
            .regions
            .into_iter()
            .map(|(k, r)| {
                (
                    k,
                    Region {
                        location: r.location,
                        usage_prefixes: r.usage_prefixes,
                    },
                )
            })
            .collect();
        Ok(Mapping {
            file: file.to_string(),
            regions,
            entries,
        })
    }

    /// The entry whose records would price book `key` (a pattern's key with a value its globs
    /// match, or one of the `.reserved.*` / `.savings_plan.*` keys an entry adds), with the
    /// book unit and `per` such a price has.
    pub fn pricing(&self, key: &str) -> Option<(&Entry, &str, Decimal)> {
        // A commitment key names its on-demand key first (whose pattern would match it whole).
        let commitment = key
            .split_once(".reserved.")
            .or_else(|| key.split_once(".savings_plan."));
        self.entries.iter().find_map(|e| {
            let Some((base, rest)) = commitment else {
                return e.prices(key).then_some((e, e.unit.as_str(), e.per));
            };
            if !e.prices(base) {
                return None;
            }
            let parts: Vec<&str> = rest.split('.').collect();
            let reserved = key.contains(".reserved.");
            match (reserved, parts.as_slice()) {
                (true, [_, _, "upfront"]) if e.reserved => Some((e, "instance", Decimal::ONE)),
                (true, [_, _, "hourly"]) if e.reserved => Some((e, e.unit.as_str(), e.per)),
                (false, [_, _, _]) if e.savings_plans => Some((e, e.unit.as_str(), e.per)),
                _ => None,
            }
        })
    }

    pub fn region(&self, region: &str) -> Result<&Region> {
        self.regions.get(region).ok_or_else(|| {
            InputError::new(format!(
                "{}: no `[regions.\"{region}\"]` (usage-type prefixes and location) in the mapping",
                self.file
            ))
            .with_help(crate::suggest::did_you_mean(
                region,
                self.regions.keys().map(String::as_str),
            ))
            .into()
        })
    }

    /// Offer codes the mapping prices, in mapping order.
    pub fn offers(&self) -> Vec<&str> {
        let mut v: Vec<&str> = Vec::new();
        for e in &self.entries {
            if !v.contains(&e.offer.as_str()) {
                v.push(&e.offer);
            }
        }
        v
    }
}

/// The entries of one offer, indexed by usage type for a quick look-up per record.
pub struct Matcher<'m> {
    pub entries: Vec<&'m Entry>,
    by_usage: HashMap<&'m str, Vec<usize>>,
    by_prefix: Vec<(&'m str, usize)>,
    prefixes: Vec<String>,
}

impl<'m> Matcher<'m> {
    pub fn new(mapping: &'m Mapping, offer: &str, region: &Region) -> Matcher<'m> {
        let entries: Vec<&Entry> = mapping
            .entries
            .iter()
            .filter(|e| e.offer.eq_ignore_ascii_case(offer))
            .collect();
        let mut by_usage: HashMap<&str, Vec<usize>> = HashMap::new();
        let mut by_prefix = Vec::new();
        for (i, e) in entries.iter().enumerate() {
            match e.usage_index() {
                (true, u) => by_usage.entry(u).or_default().push(i),
                (false, p) => by_prefix.push((p, i)),
            }
        }
        // Longest prefix first: `ap-northeast-1-` is not mistaken for a shorter one.
        let mut prefixes = region.usage_prefixes.clone();
        prefixes.sort_by_key(|p| std::cmp::Reverse(p.len()));
        Matcher {
            entries,
            by_usage,
            by_prefix,
            prefixes,
        }
    }

    /// The usage type without the region's prefix (`APN1-BoxUsage:t3.micro` -> `BoxUsage:t3.micro`,
    /// `ap-northeast-1-KMS-Keys` -> `KMS-Keys`).
    pub fn strip<'a>(&self, usage: &'a str) -> &'a str {
        for p in &self.prefixes {
            if let Some(rest) = usage.strip_prefix(p.as_str()) {
                return rest;
            }
        }
        usage
    }

    /// Candidate entries for a record's stripped usage type.
    pub fn candidates<'a>(&'a self, usage: &'a str) -> impl Iterator<Item = &'m Entry> + 'a {
        self.by_usage
            .get(usage)
            .into_iter()
            .flatten()
            .copied()
            .chain(
                self.by_prefix
                    .iter()
                    .filter(move |(p, _)| usage.starts_with(p))
                    .map(|(_, i)| *i),
            )
            .map(move |i| self.entries[i])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob("t3.*", "t3.micro"));
        assert!(!glob("t3.*", "t3a.micro"));
        assert!(glob("db.*.large", "db.r6g.large"));
        assert!(!glob("db.*.large", "db.r6g.xlarge"));
        assert!(glob("exact", "exact"));
    }

    #[test]
    fn rds_usage_types_shorten_xlarge() {
        assert!(same_size("db.m5d.8xl", "db.m5d.8xlarge"));
        assert!(same_size("db.r6g.xl", "db.r6g.xlarge"));
        assert!(same_size("db.r6g.xlarge", "db.r6g.xlarge"));
        assert!(same_size("db.t3.large", "db.t3.large"));
        assert!(!same_size("db.m5.xl", "db.m5d.xlarge"));
        assert!(!same_size("db.m5.2xl", "db.m5.xlarge"));
        assert!(!same_size("db.m5.large", "db.m5.xlarge"));
    }

    struct Rec(Vec<(&'static str, &'static str)>);
    impl Attrs for Rec {
        fn get(&self, n: &str) -> Option<&str> {
            self.0.iter().find(|(k, _)| norm(k) == n).map(|(_, v)| *v)
        }
    }

    #[test]
    fn an_rds_record_with_a_shortened_usage_type_finds_its_key() {
        // The attributes of the AmazonRDS record SKU 22GTWH3M7MMRFZQ9 (Tokyo, 2024-08-30), as
        // pricing/ap-northeast-1.toml cites it: usage type APN1-Multi-AZUsage:db.m5d.8xl.
        let m = Mapping::embedded().unwrap();
        let rec = Rec(vec![
            ("productFamily", "Database Instance"),
            ("locationType", "AWS Region"),
            ("instanceType", "db.m5d.8xlarge"),
            ("databaseEngine", "Oracle"),
            ("databaseEdition", "Enterprise"),
            ("licenseModel", "Bring your own license"),
            ("deploymentOption", "Multi-AZ"),
        ]);
        let matcher = Matcher::new(&m, "AmazonRDS", m.region("ap-northeast-1").unwrap());
        let usage = matcher.strip("APN1-Multi-AZUsage:db.m5d.8xl");
        let keys: Vec<String> = matcher
            .candidates(usage)
            .filter_map(|e| e.key_for(&rec, usage))
            .collect();
        assert_eq!(keys, ["rds.oracle_ee_byol.multi_az.db.m5d.8xlarge"]);
    }

    #[test]
    fn reserved_terms_belong_to_instance_hour_entries() {
        let mapping = |unit: &str| {
            format!(
                "[regions.\"us-east-1\"]\nlocation = \"US East (N. Virginia)\"\nusage_prefixes = [\"USE1-\"]\n\n[[prices]]\nkey = \"x\"\noffer = \"AmazonEC2\"\nunit = \"{unit}\"\nfile_unit = \"Hrs\"\nreserved = true\nfilters = {{ usagetype = \"BoxUsage:m5.large\" }}\n"
            )
        };
        assert!(Mapping::parse("m.toml", &mapping("hour")).unwrap().entries[0].reserved);
        let e = Mapping::parse("m.toml", &mapping("GB-month"))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("m.toml:") && e.contains("prices[0].reserved"),
            "{e}"
        );
        assert!(e.contains("Reserved terms price instance-hours"), "{e}");
        // The shipped mapping reserves the instance entries, and nothing else.
        let m = Mapping::embedded().unwrap();
        let reserved: Vec<&str> = m
            .entries
            .iter()
            .filter(|e| e.reserved)
            .map(|e| e.key.as_str())
            .collect();
        assert!(reserved.contains(&"ec2.instance.{type}"), "{reserved:?}");
        assert!(
            reserved.contains(&"rds.postgres.multi_az.{class}"),
            "{reserved:?}"
        );
        assert!(reserved.contains(&"aurora.mysql.{class}"), "{reserved:?}");
        assert!(
            reserved.contains(&"elasticache.valkey.{node}"),
            "{reserved:?}"
        );
        assert!(
            !reserved.iter().any(|k| k.contains("storage")),
            "{reserved:?}"
        );
    }

    #[test]
    fn a_book_key_finds_the_entry_that_would_price_it() {
        let m = Mapping::embedded().unwrap();
        let (e, unit, per) = m.pricing("rds.sqlserver_se.db.m5.xlarge").unwrap();
        assert_eq!(
            (e.offer.as_str(), unit, per),
            ("AmazonRDS", "hour", Decimal::ONE)
        );
        let (e, unit, _) = m
            .pricing("ec2.instance.m5.large.reserved.3yr.partial_upfront.upfront")
            .unwrap();
        assert_eq!((e.key.as_str(), unit), ("ec2.instance.{type}", "instance"));
        let (_, unit, _) = m
            .pricing("fargate.vcpu.x86_64.savings_plan.compute.1yr.no_upfront")
            .unwrap();
        assert_eq!(unit, "vCPU-hour");
        // Not mapped: a family outside the globs, reservations of a non-reserved entry, MWAA.
        assert!(m.pricing("ec2.instance.x2idn.large").is_none());
        assert!(m
            .pricing("rds.storage.gp3.reserved.1yr.no_upfront.hourly")
            .is_none());
        assert!(m.pricing("mwaa.environment.mw1.small").is_none());
        // A pattern's own text is no key.
        assert!(m.pricing("ec2.instance.").is_none());
    }

    #[test]
    fn names_normalise() {
        assert_eq!(norm("Instance Type"), norm("instanceType"));
        assert_eq!(norm("Pre Installed S/W"), norm("preInstalledSw"));
        assert_eq!(norm("usageType"), "usagetype");
    }

    #[test]
    fn embedded_mapping_parses() {
        let m = Mapping::embedded().unwrap();
        assert!(m.entries.len() > 40);
        assert!(m.regions.contains_key("ap-northeast-1"));
        // gp3 throughput: the file's GiBps-month price / 1024 is the MiB/s-month price.
        let gp3 = m
            .entries
            .iter()
            .find(|e| e.key == "ebs.gp3.throughput")
            .unwrap();
        assert_eq!(gp3.factor, Decimal::ONE / Decimal::from(1024));
    }
}
