//! `costplan run`.

use super::Outcome;
use crate::cli::RunArgs;
use crate::error::{Error, Result};
use crate::plan::{Plan, PlanOptions};
use crate::report::Format;
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
    let (stdout, notes, failed) = match &args.out {
        None => {
            let plan = plan(args, &scenario, &book)?;
            let stdout = crate::report::render(&plan, &crate::report::formats(&args.format))?;
            (stdout, Vec::new(), checks(args, &plan))
        }
        Some(dir) => {
            // The report's sweep does not depend on the estimate: run them side by side (the
            // estimate's trigger searches leave a core idle part of the time).
            let (plan, sweep) = rayon::join(
                || plan(args, &scenario, &book),
                || report_sweep(args, &scenario, &book),
            );
            let plan = plan?;
            let (stdout, notes) = write_report(args, dir, &scenario, &plan, sweep?)?;
            (stdout, notes, checks(args, &plan))
        }
    };
    Ok(Outcome {
        stdout,
        notes,
        failed,
    })
}

/// Points of the traffic sweep in a `--out` report (0.1x to 10x the expected traffic).
const REPORT_SWEEP_STEPS: usize = 13;

/// The traffic sweep a report charts: every phase from a tenth of the expected traffic to ten
/// times it, geometric steps. `None` without `[traffic]` (or with `--phase` of an environment).
fn report_sweep(
    args: &RunArgs,
    scenario: &Scenario,
    book: &crate::pricing::PriceBook,
) -> Result<Option<crate::sweep::Sweep>> {
    let Some(t) = &scenario.traffic else {
        return Ok(None);
    };
    let avg = t.profile.avg_rps;
    if avg <= 0.0 || !avg.is_finite() {
        return Ok(None);
    }
    let spec = crate::sweep::SweepSpec {
        axis: crate::sweep::Axis::Rps,
        span: crate::sweep::Span {
            from: avg / 10.0,
            to: avg * 10.0,
        },
        steps: REPORT_SWEEP_STEPS,
        log: true,
    };
    crate::sweep::sweep(
        scenario,
        book,
        &spec,
        args.phase.as_deref(),
        args.seed,
        None,
    )
    .map(Some)
}

/// The leading comment block of the scenario file: its sources and assumptions.
fn header_comment(text: &str) -> String {
    text.lines()
        .take_while(|l| l.trim_start().starts_with('#') || l.trim().is_empty())
        .filter_map(|l| l.trim_start().strip_prefix('#'))
        .map(|l| l.strip_prefix(' ').unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `--out DIR`: the chosen formats (default JSON, CSV and the Markdown report), the capacity
/// and sweep CSV/JSON, and the charts as PNG and SVG, each written atomically.
fn write_report(
    args: &RunArgs,
    dir: &std::path::Path,
    scenario: &Scenario,
    plan: &Plan,
    sweep: Option<crate::sweep::Sweep>,
) -> Result<(String, Vec<String>)> {
    use crate::report::{capacity, charts, markdown, sweep as sw};
    let formats = crate::report::formats_or(&args.format, &crate::report::OUT_FORMATS);
    let stem = sanitize(&plan.estimate.scenario);
    let charts = charts::all(plan, sweep.as_ref(), crate::chart::ChartSize::default())?;
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let assumptions = header_comment(&scenario.doc.text);
    for f in formats {
        let text = if f == Format::Markdown {
            let mut x = markdown::Extras {
                assumptions: Some(&assumptions),
                ..Default::default()
            };
            if let Some(s) = &sweep {
                x.sections.push(sw::grid_section(s));
                x.sections.push(sw::break_even_section(s));
            }
            x.charts = charts
                .iter()
                .map(|c| (c.title.clone(), format!("{stem}-{}.png", c.slug)))
                .collect();
            markdown::render_with(plan, &x)
        } else {
            f.render(plan)?
        };
        files.push((format!("{stem}.{}", f.extension()), text.into_bytes()));
    }
    if let Some(c) = &plan.capacity {
        files.push((
            format!("{stem}-capacity.csv"),
            capacity::csv(c)?.into_bytes(),
        ));
    }
    if let Some(s) = &sweep {
        files.push((format!("{stem}-sweep.csv"), sw::csv(s)?.into_bytes()));
        files.push((format!("{stem}-sweep.json"), sw::json(s).into_bytes()));
        files.push((
            format!("{stem}-break-even.csv"),
            sw::break_even_csv(s)?.into_bytes(),
        ));
    }
    for c in charts {
        files.push((format!("{stem}-{}.png", c.slug), c.files.png));
        files.push((format!("{stem}-{}.svg", c.slug), c.files.svg.into_bytes()));
    }
    let notes = crate::report::write_files(dir, files)?;
    Ok((Format::Table.render(plan)?, notes))
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
