//! Write an import as a price book in costplan's format (`PriceBook::parse` reads it back).

use std::fmt::Write as _;

use super::ImportResult;

/// A TOML string literal (quoted and escaped).
fn q(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

pub fn book_text(r: &ImportResult) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "# costplan price book — {}, imported from the AWS Price List by `costplan pricing import`.",
        r.region
    );
    o.push_str(
        "# On-demand list prices, Standard Reserved Instance terms for the mapping's `reserved`\n",
    );
    o.push_str("# entries and Savings Plans rates for its `savings_plans` entries. Every price names its file\n");
    o.push_str("# (source), SKU, usage type and rate code, so it can be found again in the published file.\n");
    for f in &r.files {
        let _ = writeln!(
            o,
            "# {} version {} (published {}), read from {}",
            f.offer, f.version, f.published, f.name
        );
    }
    if !r.missing.is_empty() {
        o.push_str("#\n# Mapped but not found in the files (no price written):\n");
        for m in &r.missing {
            let _ = writeln!(o, "#   {m}");
        }
    }
    let _ = write!(
        o,
        "\nregion = {}\ncurrency = {}\n",
        q(&r.region),
        q(&r.currency)
    );
    for f in &r.files {
        let _ = write!(
            o,
            "\n[sources.{}]\nurl = {}\nas_of = {}\nnote = {}\noffer = {}\nversion = {}\npublished = {}\n",
            f.source_id(),
            q(&f.url(&r.region)),
            q(&f.published),
            q(&if f.is_plans() {
                format!(
                    "AWS Price List Savings Plans file ({}): each plan's discountedRate for an on-demand SKU of this import; imported by costplan pricing import",
                    f.format.to_uppercase()
                )
            } else {
                format!(
                    "AWS Price List bulk offer file ({}), on-demand and Standard Reserved terms; imported by costplan pricing import",
                    f.format.to_uppercase()
                )
            }),
            q(&f.offer),
            q(&f.version),
            q(&f.published),
        );
    }
    for p in &r.prices {
        let _ = write!(o, "\n[prices.{}]\nunit = {}\n", q(&p.key), q(&p.unit));
        if p.per != rust_decimal::Decimal::ONE {
            let _ = writeln!(o, "per = {}", q(&p.per.normalize().to_string()));
        }
        if p.tiers.len() == 1 {
            let _ = writeln!(o, "price = {}", q(&p.tiers[0].price.to_string()));
        } else {
            o.push_str("tiers = [\n");
            for t in &p.tiers {
                match t.up_to {
                    Some(u) => {
                        let _ = writeln!(
                            o,
                            "  {{ up_to = {}, price = {} }},",
                            q(&u.to_string()),
                            q(&t.price.to_string())
                        );
                    }
                    None => {
                        let _ = writeln!(o, "  {{ price = {} }},", q(&t.price.to_string()));
                    }
                }
            }
            o.push_str("]\n");
        }
        let _ = write!(
            o,
            "source = {}\nsku = {}\nusage_type = {}\nrate_code = {}\n",
            q(&p.source),
            q(&p.sku),
            q(&p.usage_type),
            q(&p.rate_codes.join(", "))
        );
        let note = match &p.note {
            Some(n) => format!("{} — {n}", p.description),
            None => p.description.clone(),
        };
        if !note.is_empty() {
            let _ = writeln!(o, "note = {}", q(&note));
        }
    }
    o
}

/// What the import found, for the user (stderr when the book goes to stdout).
pub fn summary(r: &ImportResult, out: Option<&str>) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "imported {} prices for {} from {} offer file(s){}",
        r.prices.len(),
        r.region,
        r.files.len(),
        out.map(|p| format!(" into {p}")).unwrap_or_default()
    );
    if !r.missing.is_empty() {
        let _ = writeln!(o, "{} mapped keys not found in the files:", r.missing.len());
        for m in &r.missing {
            let _ = writeln!(o, "  {m}");
        }
    }
    if !r.offers_not_given.is_empty() {
        let _ = writeln!(
            o,
            "offers mapped but not given: {}",
            r.offers_not_given.join(", ")
        );
    }
    o
}
