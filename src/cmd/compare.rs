//! `costplan compare`.

use super::Outcome;
use crate::cli::CompareArgs;
use crate::compare::Comparison;
use crate::error::{Error, Result};
use crate::plan::PlanOptions;

/// Compare: the rendered comparison and, with a budget, the columns over it (exit 1).
pub fn compare(args: &CompareArgs) -> Result<Outcome> {
    let mut plans = Vec::with_capacity(args.scenarios.len());
    let mut loaded = Vec::with_capacity(args.scenarios.len());
    for s in &args.scenarios {
        let (scenario, book) = super::run::load(s, &args.books)?;
        let opts = PlanOptions {
            only: args.phase.as_deref(),
            seed: None,
            budget: args.budget,
        };
        plans.push(crate::plan::plan(&scenario, &book, opts)?);
        loaded.push(scenario);
    }
    let view = super::view(&args.view, &loaded.iter().collect::<Vec<_>>())?;
    let cmp = Comparison::new(&plans);
    let over = cmp.over_budget();
    Ok(Outcome {
        stdout: crate::report::render(&cmp, &crate::report::formats(&args.format), &view)?,
        notes: Vec::new(),
        failed: (!over.is_empty()).then(|| Error::CheckFailed(over.join("\n"))),
    })
}
