//! `costplan pricing show REGION [SERVICE]`.

use comfy_table::{presets::UTF8_FULL_CONDENSED, Table};

use crate::cli::BookArgs;
use crate::error::{InputError, Result};
use crate::money::fmt_number;
use crate::suggest;

pub fn show(region: &str, service: Option<&str>, books: &BookArgs) -> Result<String> {
    let book = super::book_source(books)?.load(region)?;
    if let Some(s) = service {
        let services = book.services();
        if !services.contains(&s) {
            return Err(
                InputError::new(format!("no prices for service `{s}` in {region}"))
                    .with_help(
                        suggest::did_you_mean(s, services.iter().copied())
                            .or_else(|| Some(format!("services: {}", services.join(", ")))),
                    )
                    .into(),
            );
        }
    }
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED);
    t.set_header(["Key", "Price (USD)", "Unit", "Free", "As of", "Source"]);
    let prefix = service.map(|s| format!("{s}."));
    for p in book.prices.values() {
        if prefix
            .as_ref()
            .is_some_and(|pre| !p.key.starts_with(pre.as_str()))
        {
            continue;
        }
        let price = if p.tiers.len() == 1 {
            fmt_number(p.first())
        } else {
            p.tiers
                .iter()
                .map(|t| match t.up_to {
                    Some(u) => format!("{} up to {}", fmt_number(t.price), fmt_number(u)),
                    None => format!("{} above", fmt_number(t.price)),
                })
                .collect::<Vec<_>>()
                .join("\n")
        };
        let free = p.free.as_ref().map_or(String::new(), |f| {
            format!(
                "{} ({})",
                fmt_number(f.quantity),
                match f.kind {
                    crate::pricing::FreeTierKind::Always => "always",
                    crate::pricing::FreeTierKind::TwelveMonth => "12-month",
                }
            )
        });
        let src = provenance(&book, p);
        t.add_row(vec![
            p.key.clone(),
            price,
            p.unit.clone(),
            free,
            p.as_of.clone(),
            src,
        ]);
    }
    Ok(format!(
        "Price book {} ({}, {} prices)\n{t}\n",
        book.region,
        book.file,
        book.prices.len()
    ))
}

/// The source of `p` as a reader can check it: the URL, then the Price List offer and record.
fn provenance(book: &crate::pricing::PriceBook, p: &crate::pricing::Price) -> String {
    let Some(s) = book.sources.get(&p.source) else {
        return p.source.clone();
    };
    let mut out = vec![s.url.clone()];
    if let Some(offer) = &s.offer {
        let mut o = format!("offer {offer}");
        if let Some(v) = &s.version {
            o.push_str(&format!(" version {v}"));
        }
        if let Some(d) = &s.published {
            o.push_str(&format!(" published {d}"));
        }
        out.push(o);
    }
    let r = &p.record;
    let record: Vec<String> = [
        ("SKU", &r.sku),
        ("usage type", &r.usage_type),
        ("rate code", &r.rate_code),
    ]
    .into_iter()
    .filter_map(|(name, v)| v.as_ref().map(|v| format!("{name} {v}")))
    .collect();
    if !record.is_empty() {
        out.push(record.join(", "));
    }
    if p.trust == crate::pricing::Trust::Low {
        out.push("low trust".into());
    }
    out.join("\n")
}
