//! `costplan sweep`.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

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
    let phases = match &args.phase {
        Some(_) => 1,
        None => scenario
            .phases
            .iter()
            .filter(|p| p.environment_of.is_none())
            .count(),
    };
    let sweep = with_progress(&done, args.steps * phases, || {
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
    let (stdout, notes) = render(args, &sweep, expected.filter(|_| axis == Axis::Rps), &view)?;
    Ok(super::Outcome {
        stdout,
        notes,
        failed: None,
    })
}

/// Run `work` while a thread draws a progress bar on stderr (percent, count and ETA), only if
/// stderr is a terminal and the work is still going after [`PROGRESS_AFTER`]. `done` counts
/// finished evaluations of the grid, `total` of them (points x phases); the break-even
/// bisections after the grid are not counted, so the bar stays at 100 % while they run.
fn with_progress<T>(done: &AtomicUsize, total: usize, work: impl FnOnce() -> T) -> T {
    if !std::io::stderr().is_terminal() {
        return work();
    }
    let finished = AtomicBool::new(false);
    std::thread::scope(|scope| {
        scope.spawn(|| {
            let start = Instant::now();
            let mut bar: Option<ProgressBar> = None;
            while !finished.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(100));
                if start.elapsed() < PROGRESS_AFTER || finished.load(Ordering::Relaxed) {
                    continue;
                }
                let b = bar.get_or_insert_with(|| {
                    let b = ProgressBar::with_draw_target(
                        Some(total as u64),
                        ProgressDrawTarget::stderr(),
                    );
                    if let Ok(style) = ProgressStyle::with_template(
                        "sweep {wide_bar} {percent:>3}% {pos}/{len} evaluations, ETA {eta}",
                    ) {
                        b.set_style(style);
                    }
                    b
                });
                b.set_position(done.load(Ordering::Relaxed) as u64);
            }
            // Clear the bar so the table starts clean.
            if let Some(b) = bar {
                b.finish_and_clear();
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
    let full = view.full();
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
        currency: Some(&view.currency),
    };
    let chart = crate::report::charts::cost_vs_x(sweep, &marks, ChartSize::default())
        .render()
        .map_err(Error::from)?;
    files.push((format!("{stem}-cost.png"), chart.png));
    files.push((format!("{stem}-cost.svg"), chart.svg.into_bytes()));
    let notes = crate::report::write_files(dir, files)?;
    Ok((crate::report::sweep::table(sweep, view), notes))
}
