//! Subcommands: glue between the arguments and the library. Each returns an [`Outcome`];
//! `main` prints it and maps it to an exit code.

pub mod compare;
pub mod diff;
pub mod forecast;
pub mod pricing;
pub mod run;
pub mod sweep;

use crate::cli::BookArgs;
use crate::error::Result;
use crate::pricing::{dir_source, BookSource};

/// What a command produced: stdout text, notes for stderr, and a failed check (exit 1) if any.
#[derive(Debug, Default)]
pub struct Outcome {
    pub stdout: String,
    pub notes: Vec<String>,
    pub failed: Option<crate::Error>,
}

impl Outcome {
    pub fn text(stdout: String) -> Outcome {
        Outcome {
            stdout,
            ..Default::default()
        }
    }
}

/// Run one parsed command line.
pub fn dispatch(command: &crate::cli::Command) -> Result<Outcome> {
    use crate::cli::Command;
    match command {
        Command::Run(args) => run::run(args),
        Command::Compare(args) => compare::compare(args),
        Command::Diff(args) => diff::run(args),
        Command::Sweep(args) => sweep::run(args),
        Command::Forecast(args) => forecast::run(args),
        Command::Pricing { command } => pricing::run(command),
    }
}

pub(crate) fn book_source(args: &BookArgs) -> Result<BookSource> {
    match &args.pricing_dir {
        Some(dir) => dir_source(dir),
        None => Ok(BookSource::Embedded),
    }
}
