//! `costplan sweep`.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::chart::ChartSize;
use crate::cli::SweepArgs;
use crate::error::{Error, Result};
use crate::sweep::{Axis, Sweep, SweepSpec};

/// Sweeps shorter than this show no progress bar.
const PROGRESS_AFTER: Duration = Duration::from_secs(1);

/// Run the sweep: stdout text and notes for stderr.
pub fn run(args: &SweepArgs) -> Result<super::Outcome> {
    let (scenario, book) = super::run::load(&args.scenario, &args.books)?;
    let view = super::view(&args.view, &[&scenario])?;
    let (axis, span) = match (args.rps, args.gb) {
        (Some(r), _) => (Axis::Rps, r),
        (None, Some(g)) => (Axis::Gb, g),
        (None, None) => {
            return Err(Error::from(crate::InputError::new(
                "sweep needs --rps FROM..TO or --gb FROM..TO",
            )))
        }
    };
    let spec = SweepSpec {
        axis,
        span,
        steps: args.steps,
        log: args.log,
    };
    let done = AtomicUsize::new(0);
    let sweep = with_progress(&done, args.steps, || {
        crate::sweep::sweep(
            &scenario,
            &book,
            &spec,
            args.phase.as_deref(),
            args.seed,
            Some(&done),
        )
    })?;
    let expected = scenario.traffic.as_ref().map(|t| t.profile.avg_rps);
    let (stdout, notes) = render(
        args,
        &sweep,
        expected.filter(|_| axis == Axis::Rps),
        &view,
    )?;
    Ok(super::Outcome {
        stdout,
        notes,
        failed: None,
    })
}

/// Run `work` while a thread draws a progress bar on stderr, only if stderr is a terminal and
/// the work is still going after [`PROGRESS_AFTER`]. `done` counts finished evaluations; the
/// total is not known up front (phases x points), so the bar shows the count and the rate.
fn with_progress<T>(done: &AtomicUsize, points: usize, work: impl FnOnce() -> T) -> T {
    if !std::io::stderr().is_terminal() {
        return work();
    }
    let finished = AtomicBool::new(false);
    std::thread::scope(|scope| {
        scope.spawn(|| {
            let start = Instant::now();
            let mut drawn = false;
            while !finished.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(100));
                if start.elapsed() < PROGRESS_AFTER || finished.load(Ordering::Relaxed) {
                    continue;
                }
                let n = done.load(Ordering::Relaxed);
                let mut err = std::io::stderr().lock();
                let _ = write!(
                    err,
                    "\rsweep: {n} evaluations ({points} points), {:.1} s",
                    start.elapsed().as_secs_f64()
                );
                let _ = err.flush();
                drawn = true;
            }
            if drawn {
                // Clear the line so the table starts clean.
                let _ = write!(std::io::stderr().lock(), "\r\x1b[2K");
            }
        });
        let out = work();
        finished.store(true, Ordering::Relaxed);
        out
    })
}

fn render(
    args: &SweepArgs,
    sweep: &Sweep,
    expected: Option<f64>,
    view: &crate::report::View,
) -> Result<(String, Vec<String>)> {
    let Some(dir) = &args.out else {
        let out = crate::report::render(sweep, &crate::report::formats(&args.format), view)?;
        return Ok((out, Vec::new()));
    };
    let formats = crate::report::formats_or(&args.format, &crate::report::OUT_FORMATS);
    let stem = format!(
        "{}-sweep",
        crate::report::bundle::file_stem(&sweep.scenario)
    );
    let full = crate::report::View {
        width: None,
        no_notes: false,
        ..view.clone()
    };
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for f in formats {
        files.push((
            format!("{stem}.{}", f.extension()),
            f.render_view(sweep, &full)?.into_bytes(),
        ));
    }
    let marks = crate::report::charts::CostMarks {
        expected,
        capacity: None,
        log_y: args.log_y,
    };
    let chart = crate::report::charts::cost_vs_x(sweep, &marks, ChartSize::default())
        .render()
        .map_err(Error::from)?;
    files.push((format!("{stem}-cost.png"), chart.png));
    files.push((format!("{stem}-cost.svg"), chart.svg.into_bytes()));
    let notes = crate::report::write_files(dir, files)?;
    Ok((crate::report::sweep::table(sweep, view), notes))
}
