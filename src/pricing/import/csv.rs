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

/// A bulk CSV opened past its metadata: the reader at the first record, the metadata lines,
/// the header's columns by normalised name and the header's line.
pub(super) struct Opened {
    pub rdr: ::csv::Reader<Box<dyn std::io::Read>>,
    pub pb: indicatif::ProgressBar,
    pub meta: HashMap<String, String>,
    pub cols: HashMap<String, usize>,
    pub header_line: u64,
}

/// `name:line: message`, for errors in a CSV.
pub(super) fn bad(name: &str, l: u64, m: String) -> crate::Error {
    InputError::new(format!("{name}:{l}: {m}")).into()
}

/// The position's line of a record or error.
pub(super) fn line_of(p: Option<&::csv::Position>) -> u64 {
    p.map_or(0, |p| p.line())
}

/// Open `path` and read its metadata lines up to the header row (which starts with `SKU`).
pub(super) fn open(path: &Path, name: &str) -> Result<Opened> {
    let (reader, pb) = progress::open(path, name)?;
    let reader: Box<dyn std::io::Read> = Box::new(reader);
    let mut rdr = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(reader);
    let mut rec = ::csv::StringRecord::new();
    let mut meta: HashMap<String, String> = HashMap::new();
    loop {
        let more = rdr
            .read_record(&mut rec)
            .map_err(|e| bad(name, line_of(e.position()), format!("unreadable CSV: {e}")))?;
        let l = line_of(rec.position());
        if !more {
            return Err(bad(name, l, "no header row (`SKU`, ...) found".into()));
        }
        if rec.get(0).map(|c| c.trim_start_matches('\u{feff}')) == Some("SKU") {
            break;
        }
        if l > 10 {
            return Err(bad(
                name,
                l,
                "no header row starting with `SKU` in the first 10 lines".into(),
            ));
        }
        if let (Some(k), Some(v)) = (rec.get(0), rec.get(1)) {
            meta.insert(k.trim_start_matches('\u{feff}').to_string(), v.to_string());
        }
    }
    let header_line = line_of(rec.position());
    let cols = rec.iter().enumerate().map(|(i, h)| (norm(h), i)).collect();
    Ok(Opened {
        rdr,
        pb,
        meta,
        cols,
        header_line,
    })
}

impl Opened {
    /// Read the next record into `rec`; `false` at the end of the file.
    pub fn next(&mut self, name: &str, rec: &mut ::csv::StringRecord) -> Result<bool> {
        self.rdr
            .read_record(rec)
            .map_err(|e| bad(name, line_of(e.position()), format!("unreadable CSV: {e}")))
    }

    /// The column of header `h`, required.
    pub fn col(&self, name: &str, h: &str) -> Result<usize> {
        self.cols.get(&norm(h)).copied().ok_or_else(|| {
            bad(
                name,
                self.header_line,
                format!("the header has no `{h}` column"),
            )
        })
    }

    /// The file's facts from its metadata lines.
    pub fn file_meta(&self, name: &str) -> Result<FileMeta> {
        let field = |m: &str| -> Result<String> {
            self.meta
                .get(m)
                .cloned()
                .ok_or_else(|| bad(name, 1, format!("no `{m}` line in the metadata")))
        };
        FileMeta::new(
            name,
            field("OfferCode")?,
            field("Version")?,
            &field("Publication Date")?,
            "csv",
        )
        .map_err(|m| bad(name, 3, m))
    }
}

pub(super) fn read(
    mapping: &Mapping,
    region: &str,
    path: &Path,
    name: &str,
    missing: &mut Vec<String>,
) -> Result<(FileMeta, Vec<Imported>)> {
    let mut f = open(path, name)?;
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
    .map(|h| f.col(name, h));
    let (sku, term_code, rate_code, term_type, desc) =
        (sku?, term_code?, rate_code?, term_type?, desc?);
    let (begin, end, unit, price, currency, usage) =
        (begin?, end?, unit?, price?, currency?, usage?);
    let region_code = f.cols.get("regioncode").copied();
    let location = f.cols.get("location").copied();
    // A Reserved row's term, in offers that sell reservations.
    let [lease, purchase, class] =
        ["leasecontractlength", "purchaseoption", "offeringclass"].map(|c| f.cols.get(c).copied());
    let fm = f.file_meta(name)?;
    let mut c = Collector::new(mapping, &fm.offer, region, name)?;
    let mut rec = ::csv::StringRecord::new();
    while f.next(name, &mut rec)? {
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
        let l = line_of(rec.position());
        let at = move || format!("{name}:{l}");
        c.row(
            &row,
            &CsvAttrs {
                rec: &rec,
                cols: &f.cols,
            },
            &at,
        )?;
    }
    f.pb.finish_and_clear();
    let source = fm.source_id();
    Ok((fm, c.finish(&source, missing)?))
}
