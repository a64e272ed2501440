//! Price books: one TOML file per region under `pricing/`, every price with a unit, a source and
//! an as-of date; tiered prices where AWS tiers them. Lookups never fall back to another region.

pub(crate) mod book;
mod catalog;
pub mod diff;
mod free_tier;
pub mod import;
mod pricer;
mod tiers;

pub use book::{FreeAllowance, FreeTierKind, Price, PriceBook, Record, Source, Tier, Trust};
pub use catalog::{Catalog, Family, InstanceSpec};
pub use free_tier::{
    apply_credit_plan, apply_free_tier, FreeTier, CREDIT_LINE_SERVICE, CREDIT_PLAN_MAX_USD,
    CREDIT_PLAN_START,
};
pub use pricer::{missing_help, override_example, Looked, PriceError, Pricer};
pub use tiers::{
    merge_hourly_fees, split_components, FeeHours, LineFree, PricedComponent, SplitError,
    SplitErrorIn,
};

use crate::error::{Error, Result};
use crate::source::{read_text, FileKind};
use std::path::Path;

/// The price books compiled into the binary, so it runs offline from any directory.
/// `--pricing-dir` loads edited copies instead.
pub const EMBEDDED_BOOKS: &[(&str, &str)] = &[
    ("us-east-1", include_str!("../../pricing/us-east-1.toml")),
    (
        "ap-northeast-1",
        include_str!("../../pricing/ap-northeast-1.toml"),
    ),
];

pub const EMBEDDED_CATALOG: &str = include_str!("../../pricing/instances.toml");

/// Where price books come from.
#[derive(Debug, Clone, Default)]
pub enum BookSource {
    #[default]
    Embedded,
    Dir(std::path::PathBuf),
}

impl BookSource {
    /// Regions this source has a book for.
    pub fn regions(&self) -> Vec<String> {
        match self {
            BookSource::Embedded => EMBEDDED_BOOKS.iter().map(|(r, _)| r.to_string()).collect(),
            BookSource::Dir(dir) => {
                let mut v: Vec<String> = std::fs::read_dir(dir)
                    .map(|rd| {
                        rd.filter_map(|e| e.ok())
                            .filter_map(|e| e.file_name().to_str().map(str::to_string))
                            .filter_map(|n| n.strip_suffix(".toml").map(str::to_string))
                            .filter(|n| n != "instances")
                            .collect()
                    })
                    .unwrap_or_default();
                v.sort();
                v
            }
        }
    }

    /// Load the book for `region`; an unknown region is an input error with a suggestion.
    pub fn load(&self, region: &str) -> Result<PriceBook> {
        let regions = self.regions();
        if !regions.iter().any(|r| r == region) {
            return Err(crate::error::InputError::new(format!(
                "no price book for region `{}` (have: {})",
                crate::source::cap_chars(region, 80),
                regions.join(", ")
            ))
            .with_help(crate::suggest::did_you_mean(
                region,
                regions.iter().map(String::as_str),
            ))
            .into());
        }
        match self {
            BookSource::Embedded => {
                let text = EMBEDDED_BOOKS
                    .iter()
                    .find(|(r, _)| *r == region)
                    .map(|(_, t)| *t)
                    .unwrap_or("");
                PriceBook::parse_for(&format!("pricing/{region}.toml"), text, Some(region))
            }
            BookSource::Dir(dir) => {
                let path = dir.join(format!("{region}.toml"));
                let text = read_text(&path, FileKind::PriceBook)?;
                PriceBook::parse_for(&path.display().to_string(), &text, Some(region))
            }
        }
    }

    pub fn catalog(&self) -> Result<Catalog> {
        match self {
            BookSource::Embedded => Catalog::parse("pricing/instances.toml", EMBEDDED_CATALOG),
            BookSource::Dir(dir) => {
                let path = dir.join("instances.toml");
                let text = read_text(&path, FileKind::Catalog)?;
                Catalog::parse(&path.display().to_string(), &text)
            }
        }
    }
}

/// Load from a directory given on the command line, checking it exists.
pub fn dir_source(dir: &Path) -> Result<BookSource> {
    if !dir.is_dir() {
        return Err(Error::io(
            "open price book directory",
            dir,
            std::io::Error::other("not a directory"),
        ));
    }
    Ok(BookSource::Dir(dir.to_path_buf()))
}
