//! Subcommands. Each returns the text for stdout; `main` prints it.

pub mod compare;
pub mod diff;
pub mod pricing;
pub mod run;
pub mod sweep;

use crate::cli::BookArgs;
use crate::error::Result;
use crate::pricing::{dir_source, BookSource};

pub(crate) fn book_source(args: &BookArgs) -> Result<BookSource> {
    match &args.pricing_dir {
        Some(dir) => dir_source(dir),
        None => Ok(BookSource::Embedded),
    }
}
