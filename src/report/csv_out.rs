//! CSV: one row per line, numbers unformatted at full precision.

use crate::error::{Error, Result};
use crate::estimate::Estimate;
use crate::money::exact;

pub const HEADER: [&str; 11] = [
    "phase",
    "service",
    "resource",
    "component",
    "quantity",
    "unit",
    "unit_price",
    "monthly_cost",
    "usage_source",
    "cost_type",
    "notes",
];

pub fn render(e: &Estimate) -> Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let err = |e: csv::Error| {
        Error::io(
            "write CSV",
            "<memory>",
            std::io::Error::other(e.to_string()),
        )
    };
    w.write_record(HEADER).map_err(err)?;
    for p in &e.phases {
        for l in &p.lines {
            w.write_record([
                p.name.as_str(),
                &l.service,
                &l.resource,
                &l.component,
                &exact(l.quantity),
                &l.unit,
                &exact(l.unit_price),
                &exact(l.monthly_cost),
                l.usage_source.as_str(),
                super::kind_label(l.kind),
                &l.notes.join("; "),
            ])
            .map_err(err)?;
        }
    }
    let bytes = w.into_inner().map_err(|e| {
        Error::io(
            "write CSV",
            "<memory>",
            std::io::Error::other(e.to_string()),
        )
    })?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
