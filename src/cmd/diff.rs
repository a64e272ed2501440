//! `costplan diff`.

use super::Outcome;
use crate::cli::DiffArgs;
use crate::diff::Diff;
use crate::error::Result;
use crate::estimate::Estimate;
use crate::plan::PlanOptions;
use crate::scenario::Scenario;

/// Diff: the rendered differences (never a failed check).
pub fn run(args: &DiffArgs) -> Result<Outcome> {
    let estimate = |path: &std::path::Path| -> Result<(Estimate, Scenario)> {
        let (scenario, book) = super::run::load(path, &args.books)?;
        let opts = PlanOptions {
            only: args.phase.as_deref(),
            ..Default::default()
        };
        Ok((
            crate::plan::plan(&scenario, &book, opts)?.estimate,
            scenario,
        ))
    };
    let (old, old_s) = estimate(&args.old)?;
    let (new, new_s) = estimate(&args.new)?;
    let view = super::view(&args.view, &[&old_s, &new_s])?;
    let diff = Diff::new(old, new);
    Ok(Outcome::text(crate::report::render(
        &diff,
        &crate::report::formats(&args.format),
        &view,
    )?))
}
