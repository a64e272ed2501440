//! `costplan run`.

use crate::cli::RunArgs;
use crate::error::Error;
use crate::error::Result;
use crate::estimate::Estimate;
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
                || report_sweep(args, &scenario, &book),
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
    est: &Estimate,
    sweep: Option<crate::sweep::Sweep>,
) -> Result<(String, Vec<String>)> {
    use crate::report::{capacity, charts, markdown, sweep as sw};
    let formats = crate::report::formats_or(&args.format, &crate::report::OUT_FORMATS);
    let stem = sanitize(&est.scenario);
    let expected = scenario.traffic.as_ref().map(|t| t.profile.avg_rps);
    let charts = charts::all(
        est,
        sweep.as_ref(),
        expected,
        crate::chart::ChartSize::default(),
    )?;
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
            markdown::render_with(est, &x)
        } else {
            f.render(est)?
        };
        files.push((format!("{stem}.{}", f.extension()), text.into_bytes()));
    }
    if let Some(c) = &est.capacity {
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
