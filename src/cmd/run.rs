//! `costplan run`.

use crate::cli::RunArgs;
use crate::error::Error;
use crate::error::Result;
use crate::estimate::Estimate;
use crate::report::{bundle, Format};
use crate::scenario::Scenario;

/// Load and validate a scenario and its region's price book.
pub(crate) fn load(
    path: &std::path::Path,
    books: &crate::cli::BookArgs,
) -> Result<(Scenario, crate::pricing::PriceBook)> {
    let books = super::book_source(books)?;
    let catalog = books.catalog()?;
    let scenario = Scenario::load(path, &catalog)?;
    // An unknown region is the scenario's error, at its `region` line; an error inside the book
    // already names the book's file, line and key and keeps them.
    let book = books.load(&scenario.region).map_err(|e| match e {
        crate::Error::Input(mut ie) if ie.file.is_none() => {
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
    estimate(args, &scenario, &book)
}

fn estimate(
    args: &RunArgs,
    scenario: &Scenario,
    book: &crate::pricing::PriceBook,
) -> Result<Estimate> {
    let mut est = crate::plan::plan(scenario, book, args.phase.as_deref(), args.seed)?;
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
    let (scenario, book) = load(&args.scenario, &args.books)?;
    let (stdout, notes, failed) = match &args.out {
        None => {
            let est = estimate(args, &scenario, &book)?;
            (stdout_formats(args, &est)?, Vec::new(), checks(args, &est))
        }
        Some(dir) => {
            // The report's sweep does not depend on the estimate: run them side by side (the
            // estimate's trigger searches leave a core idle part of the time).
            let (est, sweep) = rayon::join(
                || estimate(args, &scenario, &book),
                || bundle::report_sweep(&scenario, &book, args.phase.as_deref(), args.seed),
            );
            let est = est?;
            let (stdout, notes) = write_report(args, dir, &scenario, &est, sweep?)?;
            (stdout, notes, checks(args, &est))
        }
    };
    Ok(Outcome {
        stdout,
        notes,
        failed,
    })
}

fn stdout_formats(args: &RunArgs, est: &Estimate) -> Result<String> {
    let mut out = String::new();
    for f in crate::report::formats(&args.format) {
        out.push_str(&f.render(est)?);
    }
    Ok(out)
}

/// `--out DIR`: the report's files (see [`crate::report::bundle`]), written whole or not at
/// all; stdout gets the table.
fn write_report(
    args: &RunArgs,
    dir: &std::path::Path,
    scenario: &Scenario,
    est: &Estimate,
    sweep: Option<crate::sweep::Sweep>,
) -> Result<(String, Vec<String>)> {
    let files = bundle::run_files(&args.format, scenario, est, sweep.as_ref())?;
    let notes = bundle::write_all(dir, files)?;
    Ok((Format::Table.render(est)?, notes))
}
