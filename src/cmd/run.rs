//! `costplan run`.

use crate::cli::RunArgs;
use crate::error::Error;
use crate::error::Result;
use crate::estimate::Estimate;
use crate::report::{write_atomic, Format};
use crate::scenario::Scenario;

/// Load and validate a scenario and its region's price book.
pub(crate) fn load(
    path: &std::path::Path,
    books: &crate::cli::BookArgs,
) -> Result<(Scenario, crate::pricing::PriceBook)> {
    let books = super::book_source(books)?;
    let catalog = books.catalog()?;
    let scenario = Scenario::load(path, &catalog)?;
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
    Ok((scenario, book))
}

/// Load, validate and price a scenario.
pub fn load_and_estimate(args: &RunArgs) -> Result<Estimate> {
    let (scenario, book) = load(&args.scenario, &args.books)?;
    let mut est = crate::plan::plan(&scenario, &book, args.phase.as_deref(), args.seed)?;
    est.budget = args.budget.or(scenario.budget);
    Ok(est)
}

/// What `run` produced: stdout text, notes for stderr, and a failed check (exit 1) if any.
pub struct Outcome {
    pub stdout: String,
    pub notes: Vec<String>,
    pub failed: Option<Error>,
}

/// The checks the user asked for: budget and, with `--fail-on-trigger`, triggers.
fn checks(args: &RunArgs, est: &Estimate) -> Option<Error> {
    let mut failures = Vec::new();
    if let Some(budget) = est.budget {
        for p in &est.phases {
            let total = p.monthly_total();
            if total > budget {
                failures.push(format!(
                    "phase `{}` costs {}/month, over the budget of {}",
                    p.name,
                    crate::money::fmt_money(total),
                    crate::money::fmt_money(budget)
                ));
            }
        }
    }
    if args.fail_on_trigger {
        if let Some(cap) = &est.capacity {
            for (phase, rule) in cap.firing() {
                failures.push(format!(
                    "phase `{phase}`: trigger fires at the expected traffic: {rule}"
                ));
            }
        }
    }
    (!failures.is_empty()).then(|| Error::CheckFailed(failures.join("\n")))
}

/// Run: what to print on stdout, the notes for stderr, and any failed check.
pub fn run(args: &RunArgs) -> Result<Outcome> {
    let est = load_and_estimate(args)?;
    let failed = checks(args, &est);
    let (stdout, notes) = render(args, &est)?;
    Ok(Outcome {
        stdout,
        notes,
        failed,
    })
}

fn render(args: &RunArgs, est: &Estimate) -> Result<(String, Vec<String>)> {
    let mut notes = Vec::new();
    let Some(dir) = &args.out else {
        let formats = if args.format.is_empty() {
            vec![Format::Table]
        } else {
            args.format.clone()
        };
        let mut out = String::new();
        for f in formats {
            out.push_str(&f.render(est)?);
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
            f.render(est)?.as_bytes(),
        )?;
        notes.push(format!("wrote {}", path.display()));
    }
    Ok((Format::Table.render(est)?, notes))
}

/// A file stem from a scenario name: letters, digits, `-`, `_` only.
pub(crate) fn sanitize(name: &str) -> String {
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
