//! The bulk CSV: five metadata lines, a header, then one row per price dimension. Read as a
//! stream (one reused record), so memory stays flat however large the file is.

use std::collections::HashMap;
use std::path::Path;

use super::mapping::{norm, Attrs, Mapping};
use super::{progress, Collector, FileMeta, Imported, Row};
use crate::error::{InputError, Result};

struct CsvAttrs<'a> {
    rec: &'a ::csv::StringRecord,
    cols: &'a HashMap<String, usize>,
}

impl Attrs for CsvAttrs<'_> {
    fn get(&self, name: &str) -> Option<&str> {
        self.cols.get(name).and_then(|&i| self.rec.get(i))
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
    let mut rdr = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(reader);
    let mut rec = ::csv::StringRecord::new();
    let line = |rec: &::csv::StringRecord| rec.position().map_or(0, |p| p.line());
    let bad =
        |l: u64, m: String| -> crate::Error { InputError::new(format!("{name}:{l}: {m}")).into() };
    let mut next = |rec: &mut ::csv::StringRecord| -> Result<bool> {
        rdr.read_record(rec).map_err(|e| {
            let l = e.position().map_or(0, |p| p.line());
            bad(l, format!("unreadable CSV: {e}"))
        })
    };
    // Metadata: `"Key","Value"` lines up to the header row (which starts with `SKU`).
    let mut meta: HashMap<String, String> = HashMap::new();
    loop {
        if !next(&mut rec)? {
            return Err(bad(
                line(&rec),
                "no header row (`SKU`, `OfferTermCode`, ...) found".into(),
            ));
        }
        if rec.get(0) == Some("SKU") {
            break;
        }
        if line(&rec) > 10 {
            return Err(bad(
                line(&rec),
                "no header row starting with `SKU` in the first 10 lines".into(),
            ));
        }
        if let (Some(k), Some(v)) = (rec.get(0), rec.get(1)) {
            meta.insert(k.trim_start_matches('\u{feff}').to_string(), v.to_string());
        }
    }
    let header_line = line(&rec);
    let cols: HashMap<String, usize> = rec.iter().enumerate().map(|(i, h)| (norm(h), i)).collect();
    let col = |h: &str| -> Result<usize> {
        cols.get(&norm(h))
            .copied()
            .ok_or_else(|| bad(header_line, format!("the header has no `{h}` column")))
    };
    let [sku, term_code, rate_code, term_type, desc, begin, end, unit, price, currency, usage] = [
        "SKU",
        "OfferTermCode",
        "RateCode",
        "TermType",
        "PriceDescription",
        "StartingRange",
        "EndingRange",
        "Unit",
        "PricePerUnit",
        "Currency",
        "usageType",
    ]
    .map(col);
    let (sku, term_code, rate_code, term_type, desc) =
        (sku?, term_code?, rate_code?, term_type?, desc?);
    let (begin, end, unit, price, currency, usage) =
        (begin?, end?, unit?, price?, currency?, usage?);
    let region_code = cols.get("regioncode").copied();
    let location = cols.get("location").copied();
    // A Reserved row's term, in offers that sell reservations.
    let [lease, purchase, class] =
        ["leasecontractlength", "purchaseoption", "offeringclass"].map(|c| cols.get(c).copied());
    let field = |m: &str| -> Result<String> {
        meta.get(m)
            .cloned()
            .ok_or_else(|| bad(1, format!("no `{m}` line in the metadata")))
    };
    let published = field("Publication Date")?;
    let fm = FileMeta {
        name: name.to_string(),
        offer: field("OfferCode")?,
        version: field("Version")?,
        published: published.get(..10).unwrap_or(&published).to_string(),
        format: "csv",
    };
    if !crate::pricing::book::check_date(&fm.published) {
        return Err(bad(
            3,
            format!("publication date `{published}` is not a date"),
        ));
    }
    let mut c = Collector::new(mapping, &fm.offer, region, name)?;
    while next(&mut rec)? {
        let get = |i: usize| rec.get(i).unwrap_or("");
        let row = Row {
            sku: get(sku),
            term_type: get(term_type),
            term_code: get(term_code),
            rate_code: get(rate_code),
            description: get(desc),
            begin: get(begin),
            end: get(end),
            unit: get(unit),
            price: get(price),
            currency: get(currency),
            usage: get(usage),
            region_code: region_code.and_then(|i| rec.get(i)),
            location: location.and_then(|i| rec.get(i)),
            lease: lease.map_or("", get),
            purchase_option: purchase.map_or("", get),
            offering_class: class.map_or("", get),
        };
        let l = line(&rec);
        let at = move || format!("{name}:{l}");
        c.row(
            &row,
            &CsvAttrs {
                rec: &rec,
                cols: &cols,
            },
            &at,
        )?;
    }
    pb.finish_and_clear();
    let source = fm.source_id();
    Ok((fm, c.finish(&source, missing)?))
}
