//! `costplan forecast`.

use super::Outcome;
use crate::cli::ForecastArgs;
use crate::error::{InputError, Result};
use crate::forecast::{ForecastSpec, MonthStart};
use crate::plan::PlanOptions;

pub fn run(args: &ForecastArgs) -> Result<Outcome> {
    let start = match &args.start {
        Some(s) => Some(
            s.parse::<MonthStart>()
                .map_err(|e| InputError::new(format!("--start: {e}")))?,
        ),
        None => None,
    };
    let (scenario, book) = super::run::load(&args.scenario, &args.books)?;
    let plan = crate::plan::plan(
        &scenario,
        &book,
        PlanOptions {
            seed: args.seed,
            ..Default::default()
        },
    )?;
    let spec = ForecastSpec {
        months: args.months,
        start,
    };
    let f = crate::forecast::forecast(&scenario, &book, &plan, spec)?;
    let view = super::view(&args.view, &[&scenario])?;
    let Some(dir) = &args.out else {
        return Ok(Outcome::text(crate::report::render(
            &f,
            &crate::report::formats(&args.format),
            &view,
        )?));
    };
    let formats = crate::report::formats_or(&args.format, &crate::report::OUT_FORMATS);
    let stem = crate::report::bundle::file_stem(&f.scenario);
    let files = crate::report::forecast::files(&f, &formats, &stem, &view.full())?;
    let notes = crate::report::write_files(dir, files)?;
    Ok(Outcome {
        stdout: crate::report::Format::Table.render_view(&f, &view)?,
        notes,
        failed: None,
    })
}
