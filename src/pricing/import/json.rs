//! The bulk JSON: `products` by SKU with their attributes, `terms.OnDemand` by SKU with price
//! dimensions. Parsed whole (not streamed): memory grows with the file, so prefer the CSV for
//! the largest offers (EC2). Reserved terms are skipped by serde without being kept.

use std::collections::HashMap;
use std::path::Path;

use indexmap::IndexMap;
use serde::Deserialize;

use super::mapping::{norm, Attrs, Mapping};
use super::{progress, Collector, FileMeta, Imported, Row};
use crate::error::{InputError, Result};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Offer {
    offer_code: String,
    version: String,
    publication_date: String,
    products: HashMap<String, Product>,
    terms: Terms,
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
struct Terms {
    #[serde(rename = "OnDemand", default)]
    on_demand: IndexMap<String, IndexMap<String, Term>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Term {
    offer_term_code: String,
    price_dimensions: IndexMap<String, Dim>,
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
    let file = std::fs::File::open(path).map_err(|e| crate::Error::io("read", path, e))?;
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    let pb = progress::bar(len, name);
    let reader = pb.wrap_read(std::io::BufReader::with_capacity(1 << 20, file));
    let offer: Offer = serde_json::from_reader(reader).map_err(|e| {
        let mut ie = InputError::new(format!("not a bulk offer file: {e}"));
        ie.file = Some(name.to_string());
        if e.line() > 0 {
            ie.position = Some((e.line(), e.column()));
        }
        ie
    })?;
    pb.finish_and_clear();
    let published = &offer.publication_date;
    let fm = FileMeta {
        name: name.to_string(),
        offer: offer.offer_code.clone(),
        version: offer.version.clone(),
        published: published.get(..10).unwrap_or(published).to_string(),
        format: "json",
    };
    if !crate::pricing::book::check_date(&fm.published) {
        return Err(InputError::new(format!(
            "{name}: publicationDate `{published}` is not a date"
        ))
        .into());
    }
    let mut c = Collector::new(mapping, &fm.offer, region, name)?;
    for (sku, terms) in &offer.terms.on_demand {
        let Some(product) = offer.products.get(sku) else {
            return Err(InputError::new(format!(
                "{name}: terms.OnDemand has SKU {sku}, which is not in `products`"
            ))
            .into());
        };
        let mut attrs: HashMap<String, String> = product
            .attributes
            .iter()
            .map(|(k, v)| (norm(k), v.clone()))
            .collect();
        if let Some(f) = &product.product_family {
            attrs.insert("productfamily".into(), f.clone());
        }
        let attrs = JsonAttrs(attrs);
        let usage = attrs.get("usagetype").unwrap_or("");
        for (term_key, term) in terms {
            for (dim_key, d) in &term.price_dimensions {
                let (currency, price) = d
                    .price_per_unit
                    .first()
                    .map_or(("", ""), |(c, p)| (c.as_str(), p.as_str()));
                let row = Row {
                    sku,
                    term_type: "OnDemand",
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
                };
                let at =
                    || format!("{name}: terms.OnDemand.{sku}.{term_key}.priceDimensions.{dim_key}");
                c.row(&row, &attrs, &at)?;
            }
        }
    }
    let source = fm.source_id();
    Ok((fm, c.finish(&source, missing)?))
}
