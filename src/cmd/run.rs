//! `costplan run`.

use crate::cli::RunArgs;
use crate::error::Result;
use crate::estimate::{estimate, Estimate};
use crate::report::{write_atomic, Format};
use crate::scenario::Scenario;

/// Load, validate and price a scenario.
pub fn load_and_estimate(args: &RunArgs) -> Result<Estimate> {
    let books = super::book_source(&args.books)?;
    let catalog = books.catalog()?;
    let scenario = Scenario::load(&args.scenario, &catalog)?;
    let book = books.load(&scenario.region).map_err(|e| match e {
        crate::Error::Input(mut ie) => {
            let at = crate::source::KeyPath::root().key("region");
            let located = scenario.doc.error_at(&at, ie.message.clone());
            ie.file = located.file;
            ie.position = located.position;
            ie.key = located.key;
            crate::Error::Input(ie)
        }
        other => other,
    })?;
    estimate(&scenario, &book, args.phase.as_deref())
}

/// Run: returns what to print on stdout and the notes for stderr.
pub fn run(args: &RunArgs) -> Result<(String, Vec<String>)> {
    let est = load_and_estimate(args)?;
    let mut notes = Vec::new();
    let Some(dir) = &args.out else {
        let formats = if args.format.is_empty() {
            vec![Format::Table]
        } else {
            args.format.clone()
        };
        let mut out = String::new();
        for f in formats {
            out.push_str(&f.render(&est)?);
        }
        return Ok((out, notes));
    };
    let formats = if args.format.is_empty() {
        vec![Format::Json, Format::Csv, Format::Markdown]
    } else {
        args.format.clone()
    };
    let stem = sanitize(&est.scenario);
    for f in formats {
        let path = write_atomic(
            dir,
            &format!("{stem}.{}", f.extension()),
            f.render(&est)?.as_bytes(),
        )?;
        notes.push(format!("wrote {}", path.display()));
    }
    Ok((Format::Table.render(&est)?, notes))
}

/// A file stem from a scenario name: letters, digits, `-`, `_` only.
fn sanitize(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if s.is_empty() {
        "scenario".into()
    } else {
        s
    }
}
