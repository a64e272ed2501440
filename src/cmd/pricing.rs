//! `costplan pricing show | import | fetch | coverage | diff`.

use std::path::{Path, PathBuf};

use crate::cli::{BookArgs, PricingCommand, TableOrJson};
use crate::error::{Error, InputError, Result};
use crate::money::fmt_number;
use crate::suggest;

/// Dispatch a `pricing` subcommand: (stdout, notes for stderr).
pub fn run(command: &PricingCommand) -> Result<super::Outcome> {
    let (stdout, notes) = pricing(command)?;
    Ok(super::Outcome {
        stdout,
        notes,
        failed: None,
    })
}

fn pricing(command: &PricingCommand) -> Result<(String, Vec<String>)> {
    use crate::pricing::import;
    match command {
        PricingCommand::Show {
            region,
            service,
            width,
            books,
        } => show(region, service.as_deref(), width, books).map(|s| (s, Vec::new())),
        PricingCommand::Import {
            region,
            files,
            out,
            mapping,
        } => {
            let mapping = load_mapping(mapping.as_deref())?;
            let paths: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
            let r = import::import(&mapping, region, &paths)?;
            emit(&r, out.as_deref())
        }
        PricingCommand::Fetch {
            region,
            services,
            cache,
            index_url,
            format,
            out,
            mapping,
        } => {
            let mapping = load_mapping(mapping.as_deref())?;
            let opts = import::fetch::FetchOptions {
                region: region.clone(),
                services: services.clone(),
                cache: cache.clone().unwrap_or_else(default_cache),
                index_url: index_url.clone(),
                format: format.clone(),
            };
            let paths = import::fetch::fetch(&mapping, &opts)?;
            let paths: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
            let r = import::import(&mapping, region, &paths)?;
            emit(&r, out.as_deref())
        }
        PricingCommand::Coverage {
            regions,
            scenarios,
            format,
            books,
        } => {
            let source = super::book_source(books)?;
            let files = crate::coverage::library_scenarios(scenarios);
            let c = crate::coverage::coverage(&source, regions, &files)?;
            Ok((
                match format {
                    TableOrJson::Table => c.table(),
                    TableOrJson::Json => {
                        serde_json::to_string_pretty(&c).unwrap_or_default() + "\n"
                    }
                },
                Vec::new(),
            ))
        }
        PricingCommand::Diff { old, new, format } => {
            let read = |p: &Path| -> Result<crate::pricing::PriceBook> {
                let text = std::fs::read_to_string(p).map_err(|e| Error::io("read", p, e))?;
                crate::pricing::PriceBook::parse(&p.display().to_string(), &text)
            };
            let d = crate::pricing::diff::diff(&read(old)?, &read(new)?);
            Ok((
                match format {
                    TableOrJson::Table => d.table(),
                    TableOrJson::Json => d.json(),
                },
                Vec::new(),
            ))
        }
    }
}

fn load_mapping(path: Option<&Path>) -> Result<crate::pricing::import::Mapping> {
    match path {
        None => crate::pricing::import::Mapping::embedded(),
        Some(p) => {
            let text = std::fs::read_to_string(p).map_err(|e| Error::io("read", p, e))?;
            crate::pricing::import::Mapping::parse(&p.display().to_string(), &text)
        }
    }
}

/// `$XDG_CACHE_HOME/costplan/price-list`, else `~/.cache/costplan/price-list`, else `./.costplan-cache`.
fn default_cache() -> PathBuf {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")));
    match base {
        Some(b) => b.join("costplan").join("price-list"),
        None => PathBuf::from(".costplan-cache"),
    }
}

/// The written book must load as a book; then it goes to `out` (atomically) or stdout.
fn emit(
    r: &crate::pricing::import::ImportResult,
    out: Option<&Path>,
) -> Result<(String, Vec<String>)> {
    use crate::pricing::import::{book_text, summary};
    let text = book_text(r);
    let name = out.map_or("(stdout)".to_string(), |p| p.display().to_string());
    crate::pricing::PriceBook::parse(&name, &text)?;
    match out {
        Some(p) => {
            let dir = p
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            let mut tmp =
                tempfile::NamedTempFile::new_in(dir).map_err(|e| Error::io("write", p, e))?;
            std::io::Write::write_all(&mut tmp, text.as_bytes())
                .map_err(|e| Error::io("write", p, e))?;
            tmp.persist(p).map_err(|e| Error::io("write", p, e.error))?;
            Ok((summary(r, Some(&name)), Vec::new()))
        }
        None => Ok((text, summary(r, None).lines().map(str::to_string).collect())),
    }
}

pub fn show(
    region: &str,
    service: Option<&str>,
    width: &crate::cli::WidthArgs,
    books: &BookArgs,
) -> Result<String> {
    let view = crate::report::View {
        width: super::width(width)?,
        ..Default::default()
    };
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
    let header = ["Key", "Price (USD)", "Unit", "Free", "As of", "Source"].map(String::from);
    let mut rows: Vec<Vec<(String, bool)>> = Vec::new();
    let mut sources = crate::report::view::Footnotes::default();
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
        // Fitted to a width, a source's URL and offer become a footnote shared by its prices.
        let src = if view.width.is_some() {
            let (shared, own) = provenance_parts(&book, p);
            let mark = sources.mark(&shared);
            if own.is_empty() {
                mark
            } else {
                format!("{mark} {own}")
            }
        } else {
            provenance(&book, p)
        };
        rows.push(
            [
                p.key.clone(),
                price,
                p.unit.clone(),
                free,
                p.as_of.clone(),
                src,
            ]
            .map(|c| (c, false))
            .to_vec(),
        );
    }
    // Keys, units and dates keep their width; prices (tiers), free allowances and sources wrap.
    let keep = [false, false, true, false, true, false];
    let t = view.grid_table(&header, &rows, Some(&keep));
    Ok(format!(
        "Price book {} ({}, {} prices)\n{t}{}",
        book.region,
        book.file,
        book.prices.len(),
        sources.render(&view)
    ))
}

/// The source of `p` as a reader can check it: the URL, then the Price List offer and record.
fn provenance(book: &crate::pricing::PriceBook, p: &crate::pricing::Price) -> String {
    let (shared, own) = provenance_parts(book, p);
    if own.is_empty() {
        shared
    } else {
        format!("{shared}\n{own}")
    }
}

/// [`provenance`] in two parts: the source's (URL, offer), shared by many prices, and the
/// price's own (record, trust).
fn provenance_parts(
    book: &crate::pricing::PriceBook,
    p: &crate::pricing::Price,
) -> (String, String) {
    let Some(s) = book.sources.get(&p.source) else {
        return (p.source.clone(), String::new());
    };
    let mut shared = vec![s.url.clone()];
    if let Some(offer) = &s.offer {
        let mut o = format!("offer {offer}");
        if let Some(v) = &s.version {
            o.push_str(&format!(" version {v}"));
        }
        if let Some(d) = &s.published {
            o.push_str(&format!(" published {d}"));
        }
        shared.push(o);
    }
    let mut out = Vec::new();
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
    (shared.join("; "), out.join("\n"))
}
