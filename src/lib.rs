//! costplan: an offline cost estimator and capacity planner for AWS architectures.
//!
//! Data flow (each step a pure function of its inputs):
//! scenario TOML -> [`scenario::Scenario`] -> with a [`pricing::PriceBook`] ->
//! [`estimate::Estimate`] (cost lines per phase) -> [`report`] renderers.

// Input-dependent paths return errors; a panic is a bug. Tests may unwrap (clippy.toml).
#![deny(clippy::unwrap_used, clippy::expect_used)]
// One `unsafe` in the crate: the simulator's AVX2 dispatch (`sim::engine::month`), allowed there.
#![deny(unsafe_code)]

pub mod capacity;
pub mod chart;
pub mod cli;
pub mod cmd;
pub mod compare;
pub mod cost;
pub mod coverage;
pub mod currency;
pub mod diff;
pub mod error;
pub mod estimate;
pub mod forecast;
pub mod money;
pub mod num;
pub mod plan;
pub mod pricing;
pub mod report;
pub mod resources;
pub mod scenario;
pub mod sim;
pub mod source;
pub mod suggest;
pub mod sweep;
/// Helpers for the kinds' hand-checked tests: whole one-resource scenarios, priced.
#[cfg(test)]
pub(crate) mod testkit;
pub mod usage;

pub use error::{Error, InputError, Result};

/// Price a scenario given as TOML text with the built-in price books (for tests and embedding).
pub fn estimate_toml(name: &str, text: &str) -> Result<estimate::Estimate> {
    let books = pricing::BookSource::Embedded;
    let catalog = books.catalog()?;
    let doc = source::Document::parse(name.to_string(), text.to_string())?;
    let scenario = scenario::Scenario::from_document(doc, name, &catalog)?;
    let book = books.load(&scenario.region)?;
    estimate::estimate(&scenario, &book, None)
}

/// Like [`estimate_toml`], running the traffic simulation when the scenario has `[traffic]`.
pub fn plan_toml(name: &str, text: &str, seed: Option<u64>) -> Result<plan::Plan> {
    let books = pricing::BookSource::Embedded;
    let catalog = books.catalog()?;
    let doc = source::Document::parse(name.to_string(), text.to_string())?;
    let scenario = scenario::Scenario::from_document(doc, name, &catalog)?;
    let book = books.load(&scenario.region)?;
    plan::plan(
        &scenario,
        &book,
        plan::PlanOptions {
            seed,
            ..Default::default()
        },
    )
}
