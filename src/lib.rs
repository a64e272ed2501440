//! costplan: an offline cost estimator and capacity planner for AWS architectures.
//!
//! Data flow (each step a pure function of its inputs):
//! scenario TOML -> [`scenario::Scenario`] -> with a [`pricing::PriceBook`] ->
//! [`estimate::Estimate`] (cost lines per phase) -> [`report`] renderers.

pub mod cli;
pub mod cmd;
pub mod error;
pub mod estimate;
pub mod money;
pub mod num;
pub mod pricing;
pub mod report;
pub mod resources;
pub mod scenario;
pub mod source;
pub mod suggest;

pub use error::{Error, InputError, Result};
