//! The bulk JSON: `products` by SKU with their attributes, `terms.OnDemand` and
//! `terms.Reserved` by SKU with price dimensions (and, for reservations, the term's attributes).
//! Parsed as a stream with serde visitors: a product is kept only when its usage type is one the
//! mapping looks for, terms only for kept products, and everything else is skipped as it is
//! read. Memory follows the matching
//! records, not the file (AWS writes `offerCode` and `products` before `terms`; a file in another
//! order is still read, keeping every product and term).

use std::collections::{HashMap, HashSet};
use std::path::Path;

use indexmap::IndexMap;
use serde::Deserialize;

use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, Visitor};

use super::mapping::{norm, Attrs, Mapping, Matcher, Region};
use super::{progress, Collector, FileMeta, Imported, Row};
use crate::error::{InputError, Result};

/// What is kept of an offer file: its header, the products the mapping may want, their
/// on-demand terms and the reservations of those a `reserved` entry prices.
#[derive(Default)]
struct Offer {
    offer_code: Option<String>,
    version: Option<String>,
    publication_date: Option<String>,
    products: HashMap<String, Product>,
    on_demand: BySku,
    reserved: BySku,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Product {
    #[serde(default)]
    product_family: Option<String>,
    #[serde(default)]
    attributes: HashMap<String, String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Term {
    offer_term_code: String,
    price_dimensions: IndexMap<String, Dim>,
    /// A reservation's `LeaseContractLength`, `PurchaseOption` and `OfferingClass`.
    #[serde(default)]
    term_attributes: HashMap<String, String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Dim {
    rate_code: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    begin_range: String,
    #[serde(default)]
    end_range: String,
    unit: String,
    price_per_unit: IndexMap<String, String>,
}

struct JsonAttrs(HashMap<String, String>);

impl Product {
    /// The attributes by normalised name, the product family among them.
    fn attrs(&self) -> JsonAttrs {
        let mut attrs: HashMap<String, String> = self
            .attributes
            .iter()
            .map(|(k, v)| (norm(k), v.clone()))
            .collect();
        if let Some(f) = &self.product_family {
            attrs.insert("productfamily".into(), f.clone());
        }
        JsonAttrs(attrs)
    }

    /// Whether an entry marked `reserved` prices this product (its reservations are kept).
    fn reservable(&self, m: &Matcher) -> bool {
        let attrs = self.attrs();
        let usage = m.strip(attrs.get("usagetype").unwrap_or(""));
        let priced = m
            .candidates(usage)
            .any(|e| e.reserved && e.key_for(&attrs, usage).is_some());
        priced
    }
}

impl Attrs for JsonAttrs {
    fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }
}

pub(super) fn read(
    mapping: &Mapping,
    region: &str,
    path: &Path,
    name: &str,
    missing: &mut Vec<String>,
) -> Result<(FileMeta, Vec<Imported>)> {
    let (reader, pb) = progress::open(path, name)?;
    let seed = OfferSeed {
        mapping,
        region: mapping.region(region)?,
    };
    let mut de = serde_json::Deserializer::from_reader(reader);
    let offer = serde::de::DeserializeSeed::deserialize(seed, &mut de)
        .and_then(|o| de.end().map(|_| o))
        .map_err(|e| {
            let mut ie = InputError::new(format!("not a bulk offer file: {e}"));
            ie.file = Some(name.to_string());
            if e.line() > 0 {
                ie.position = Some((e.line(), e.column()));
            }
            ie
        })?;
    pb.finish_and_clear();
    let field = |v: &Option<String>, what: &str| -> Result<String> {
        v.clone().ok_or_else(|| {
            InputError::new(format!("{name}: not a bulk offer file: no `{what}`")).into()
        })
    };
    let fm = FileMeta::new(
        name,
        field(&offer.offer_code, "offerCode")?,
        field(&offer.version, "version")?,
        &field(&offer.publication_date, "publicationDate")?,
        "json",
    )
    .map_err(|m| InputError::new(format!("{name}: {m}")))?;
    let mut c = Collector::new(mapping, &fm.offer, region, name)?;
    let by_type = [
        ("OnDemand", &offer.on_demand),
        ("Reserved", &offer.reserved),
    ];
    for (term_type, sku, terms) in by_type
        .iter()
        .flat_map(|(t, by)| by.iter().map(move |(sku, terms)| (*t, sku, terms)))
    {
        let Some(product) = offer.products.get(sku) else {
            return Err(InputError::new(format!(
                "{name}: terms.{term_type} has SKU {sku}, which is not in `products`"
            ))
            .into());
        };
        let attrs = product.attrs();
        let usage = attrs.get("usagetype").unwrap_or("");
        for (term_key, term) in terms {
            let term_attr = |k: &str| term.term_attributes.get(k).map_or("", String::as_str);
            for (dim_key, d) in &term.price_dimensions {
                let (currency, price) = d
                    .price_per_unit
                    .first()
                    .map_or(("", ""), |(c, p)| (c.as_str(), p.as_str()));
                let row = Row {
                    sku,
                    term_type,
                    term_code: &term.offer_term_code,
                    rate_code: &d.rate_code,
                    description: &d.description,
                    begin: &d.begin_range,
                    end: &d.end_range,
                    unit: &d.unit,
                    price,
                    currency,
                    usage,
                    region_code: attrs.get("regioncode"),
                    location: attrs.get("location"),
                    lease: term_attr("LeaseContractLength"),
                    purchase_option: term_attr("PurchaseOption"),
                    offering_class: term_attr("OfferingClass"),
                };
                let at = || {
                    format!("{name}: terms.{term_type}.{sku}.{term_key}.priceDimensions.{dim_key}")
                };
                c.row(&row, &attrs, &at)?;
            }
        }
    }
    let source = fm.source_id();
    Ok((fm, c.finish(&source, missing)?))
}

/// Reads the top-level object, filtering `products` and `terms` as they stream past.
struct OfferSeed<'m> {
    mapping: &'m Mapping,
    region: &'m Region,
}

impl<'de> DeserializeSeed<'de> for OfferSeed<'_> {
    type Value = Offer;
    fn deserialize<D: serde::Deserializer<'de>>(
        self,
        d: D,
    ) -> std::result::Result<Offer, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for OfferSeed<'_> {
    type Value = Offer;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an offer object with offerCode, version, publicationDate, products and terms")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Offer, A::Error> {
        let mut o = Offer::default();
        // Known once `offerCode` is read; `None` keeps everything.
        let mut matcher: Option<Matcher> = None;
        let mut products_seen = false;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "offerCode" => {
                    let code: String = map.next_value()?;
                    matcher = Some(Matcher::new(self.mapping, &code, self.region));
                    o.offer_code = Some(code);
                }
                "version" => o.version = Some(map.next_value()?),
                "publicationDate" => o.publication_date = Some(map.next_value()?),
                "products" => {
                    o.products = map.next_value_seed(Products(matcher.as_ref()))?;
                    products_seen = true;
                }
                "terms" => {
                    // An offer sells a dozen reservations per instance SKU: keep only those a
                    // `reserved` entry prices.
                    let reservable: HashSet<&str> = match &matcher {
                        Some(m) if products_seen => o
                            .products
                            .iter()
                            .filter(|(_, p)| p.reservable(m))
                            .map(|(sku, _)| sku.as_str())
                            .collect(),
                        _ => HashSet::new(),
                    };
                    let products = &o.products;
                    let on_demand = |sku: &str| products.contains_key(sku);
                    let reserved = |sku: &str| reservable.contains(sku);
                    let keep: [Option<Keep>; 2] = if products_seen {
                        [Some(&on_demand), Some(&reserved)]
                    } else {
                        [None, None]
                    };
                    let terms = map.next_value_seed(Terms(keep))?;
                    (o.on_demand, o.reserved) = terms;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        if let Some(m) = &matcher {
            // Terms read before products kept every SKU: drop those of skipped products.
            o.on_demand.retain(|sku, _| o.products.contains_key(sku));
            let products = &o.products;
            o.reserved
                .retain(|sku, _| products.get(sku).is_some_and(|p| p.reservable(m)));
        }
        Ok(o)
    }
}

/// `products`: keep a product when its usage type (without the region prefix) is one an entry
/// of this offer looks for.
struct Products<'a, 'm>(Option<&'a Matcher<'m>>);

impl<'de> DeserializeSeed<'de> for Products<'_, '_> {
    type Value = HashMap<String, Product>;
    fn deserialize<D: serde::Deserializer<'de>>(
        self,
        d: D,
    ) -> std::result::Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Products<'_, '_> {
    type Value = HashMap<String, Product>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("products by SKU")
    }

    fn visit_map<A: MapAccess<'de>>(
        self,
        mut map: A,
    ) -> std::result::Result<Self::Value, A::Error> {
        let mut out = HashMap::new();
        while let Some(sku) = map.next_key::<String>()? {
            let p: Product = map.next_value()?;
            let wanted = match self.0 {
                None => true,
                Some(m) => {
                    let usage = p.attributes.get("usagetype").map_or("", String::as_str);
                    m.candidates(m.strip(usage)).next().is_some()
                }
            };
            if wanted {
                out.insert(sku, p);
            }
        }
        Ok(out)
    }
}

/// `terms`: `OnDemand` and `Reserved`, each only for the SKUs its filter keeps (all when
/// products come later).
struct Terms<'a>([Option<Keep<'a>>; 2]);

/// Which SKUs' terms to keep.
type Keep<'a> = &'a dyn Fn(&str) -> bool;

/// One term type's terms: by SKU, then by term key.
type BySku = IndexMap<String, IndexMap<String, Term>>;

impl<'de> DeserializeSeed<'de> for Terms<'_> {
    type Value = (BySku, BySku);
    fn deserialize<D: serde::Deserializer<'de>>(
        self,
        d: D,
    ) -> std::result::Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Terms<'_> {
    type Value = (BySku, BySku);

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("terms by type (OnDemand, Reserved)")
    }

    fn visit_map<A: MapAccess<'de>>(
        self,
        mut map: A,
    ) -> std::result::Result<Self::Value, A::Error> {
        let (mut on_demand, mut reserved) = (BySku::new(), BySku::new());
        while let Some(kind) = map.next_key::<String>()? {
            match kind.as_str() {
                "OnDemand" => on_demand = map.next_value_seed(TermsSeed(self.0[0]))?,
                "Reserved" => reserved = map.next_value_seed(TermsSeed(self.0[1]))?,
                // Any other term type prices no key.
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok((on_demand, reserved))
    }
}

struct TermsSeed<'a>(Option<Keep<'a>>);

impl<'de> DeserializeSeed<'de> for TermsSeed<'_> {
    type Value = BySku;
    fn deserialize<D: serde::Deserializer<'de>>(
        self,
        d: D,
    ) -> std::result::Result<BySku, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for TermsSeed<'_> {
    type Value = BySku;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("terms by SKU")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<BySku, A::Error> {
        let mut out = BySku::new();
        while let Some(sku) = map.next_key::<String>()? {
            if self.0.is_none_or(|keep| keep(&sku)) {
                out.insert(sku, map.next_value()?);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(out)
    }
}
