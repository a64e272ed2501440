//! `costplan diff`.

use super::Outcome;
use crate::cli::DiffArgs;
use crate::diff::Diff;
use crate::error::Result;
use crate::estimate::Estimate;
use crate::plan::PlanOptions;

/// Diff: the rendered differences (never a failed check).
pub fn run(args: &DiffArgs) -> Result<Outcome> {
    let estimate = |path: &std::path::Path| -> Result<Estimate> {
        let (scenario, book) = super::run::load(path, &args.books)?;
        let opts = PlanOptions {
            only: args.phase.as_deref(),
            ..Default::default()
        };
        Ok(crate::plan::plan(&scenario, &book, opts)?.estimate)
    };
    let diff = Diff::new(estimate(&args.old)?, estimate(&args.new)?);
    Ok(Outcome::text(crate::report::render(
        &diff,
        &crate::report::formats(&args.format),
    )?))
}
