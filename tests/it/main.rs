//! The one integration-test binary: a module per feature, each running the real binary on real
//! scenario files (see `common`).

mod bad_inputs;
mod books;
mod cache_db;
mod charts;
mod cli;
mod common;
mod compare;
mod edge_extras;
mod exact;
mod forecast;
mod fuzz_regressions;
mod honoured;
mod import;
mod invariants;
mod library;
mod library2;
mod models;
mod output_safety;
mod phases;
mod pricing_rules;
mod properties;
mod reference;
mod schema;
mod security_kinds;
mod simulator;
mod sweep;
mod ux;
