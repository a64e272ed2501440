//! `costplan run`.

use super::Outcome;
use crate::cli::RunArgs;
use crate::error::{Error, Result};
use crate::plan::{Plan, PlanOptions};
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

fn plan(args: &RunArgs, scenario: &Scenario, book: &crate::pricing::PriceBook) -> Result<Plan> {
    crate::plan::plan(
        scenario,
        book,
        PlanOptions {
            only: args.phase.as_deref(),
            seed: args.seed,
            budget: args.budget,
        },
    )
}

fn checks(args: &RunArgs, plan: &Plan) -> Option<Error> {
    let failures = plan.failed_checks(args.fail_on_trigger);
    (!failures.is_empty()).then(|| Error::CheckFailed(failures.join("\n")))
}

/// Run: what to print on stdout, the notes for stderr, and any failed check.
pub fn run(args: &RunArgs) -> Result<Outcome> {
    let (scenario, book) = load(&args.scenario, &args.books)?;
    let view = super::view(&args.view, &[&scenario])?;
    let (stdout, notes, failed) = match &args.out {
        None => {
            let plan = plan(args, &scenario, &book)?;
            let stdout =
                crate::report::render(&plan, &crate::report::formats(&args.format), &view)?;
            (stdout, Vec::new(), checks(args, &plan))
        }
        Some(dir) => {
            // The report's sweep does not depend on the plan: run them side by side (the
            // plan's trigger searches leave a core idle part of the time).
            let (plan, sweep) = rayon::join(
                || plan(args, &scenario, &book),
                || bundle::report_sweep(&scenario, &book, args.phase.as_deref(), args.seed),
            );
            let plan = plan?;
            let full = view.full();
            let mut files =
                bundle::run_files(&args.format, &scenario, &plan, sweep?.as_ref(), &full)?;
            // With a growth rate or series, the report includes the forecast (whole scenario).
            if scenario.growth.rate.is_some() && args.phase.is_none() {
                let spec = crate::forecast::ForecastSpec {
                    months: crate::forecast::default_months(&scenario),
                    start: None,
                };
                let f = crate::forecast::forecast(&scenario, &book, &plan, spec)?;
                let formats = crate::report::formats_or(&args.format, &crate::report::OUT_FORMATS);
                let stem = bundle::file_stem(&plan.estimate.scenario);
                files.extend(crate::report::forecast::files(&f, &formats, &stem, &full)?);
            }
            let notes = bundle::write_all(dir, files)?;
            (
                Format::Table.render_view(&plan, &view)?,
                notes,
                checks(args, &plan),
            )
        }
    };
    let (stdout, failed) = if args.exact {
        let checks = crate::plan::exact_check(&scenario, args.phase.as_deref(), args.seed)?;
        // The simulator check's failures join the budget and trigger ones.
        let mut lines: Vec<String> = failed.map(|e| e.to_string()).into_iter().collect();
        lines.extend(crate::report::check::failures(&checks));
        let failed = (!lines.is_empty()).then(|| Error::CheckFailed(lines.join("\n")));
        let table = crate::report::check::table(&checks, &view);
        (format!("{stdout}\n{table}"), failed)
    } else {
        (stdout, failed)
    };
    Ok(Outcome {
        stdout,
        notes,
        failed,
    })
}
