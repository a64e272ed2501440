//! Price look-up for one scenario: the region's book and the scenario's overrides (discounts
//! are per phase: `resources::Ctx`).

use std::cell::RefCell;
use std::collections::BTreeSet;

use indexmap::IndexMap;

use super::{Price, PriceBook};
use crate::pricing::book::{RawOverride, ResolvedOverride};

/// A price could not be found: names the key and region and says how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceError {
    pub message: String,
    pub help: Option<String>,
    /// The key, when the error is a price missing from the book (the estimate collects these
    /// across resources and phases and reports them all at once).
    pub missing: Option<String>,
}

/// Overflow while pricing a resource (`count × hours`, `quantity × price`) is bad input.
impl From<crate::num::Overflow> for PriceError {
    fn from(e: crate::num::Overflow) -> Self {
        PriceError {
            message: e.to_string(),
            help: Some(
                "check this resource's counts, sizes and usage (and any price override) for extra digits or a wrong exponent".into(),
            ),
            missing: None,
        }
    }
}

pub struct Pricer<'a> {
    pub book: &'a PriceBook,
    overrides: IndexMap<String, ResolvedOverride>,
    used: RefCell<BTreeSet<String>>,
}

/// A price as it applies to a line: possibly overridden.
pub struct Looked<'p> {
    pub price: &'p Price,
    pub overridden: bool,
    /// What the lines must say about an override (inherited unit, converted scale, free
    /// allowance converted or dropped); empty for a book price.
    pub notes: &'p [String],
}

/// A complete override for `key`, for help texts: with the book's unit and `per` when the book
/// has the key, else placeholders that say what goes there.
pub fn override_example(key: &str, book: Option<&Price>) -> String {
    let (unit, per) = match book {
        Some(b) => (
            format!("\"{}\"", b.unit),
            format!("\"{}\"", b.per.normalize()),
        ),
        None => (
            "\"...\"   # the unit AWS quotes, e.g. \"hour\", \"GB-month\", \"1M requests\""
                .to_string(),
            "\"...\"   # usage units per priced unit: \"1\", or \"1000000\" for \"1M requests\""
                .to_string(),
        ),
    };
    format!(
        "a complete override:\n  [overrides.\"{key}\"]\n  price = \"...\"\n  unit = {unit}\n  per = {per}\n  reason = \"where the price comes from\""
    )
}

/// The help for a key no book or override prices: a complete override, with the unit and `per`
/// of the AWS Price List entry that prices the key when the mapping has one, and how to import
/// that price.
pub fn missing_help(key: &str, region: &str) -> String {
    // Parsed once: a run may look up many missing keys.
    static MAPPING: std::sync::OnceLock<Option<super::import::Mapping>> =
        std::sync::OnceLock::new();
    let mapping = MAPPING.get_or_init(|| super::import::Mapping::embedded().ok());
    let Some((entry, unit, per)) = mapping.as_ref().and_then(|m| m.pricing(key)) else {
        return override_example(key, None);
    };
    format!(
        "the AWS Price List prices it: `costplan pricing fetch --region {region} --service {} --out {region}.toml` imports it (needs the network); copy its entry into the book, or a complete override:\n  [overrides.\"{key}\"]\n  price = \"...\"\n  unit = \"{unit}\"\n  per = \"{}\"\n  reason = \"where the price comes from\"",
        entry.offer,
        per.normalize(),
    )
}

impl<'a> Pricer<'a> {
    /// Resolve overrides against the book. Errors are at the override's key (relative to
    /// `[overrides]`).
    pub fn new(
        book: &'a PriceBook,
        overrides: &IndexMap<String, RawOverride>,
    ) -> Result<Self, crate::source::FieldError> {
        let mut resolved = IndexMap::new();
        for (key, o) in overrides {
            let p = o.resolve(key, book.get(key)).map_err(|m| {
                // A key the book lacks is most often a typo of one it has.
                let hint = book
                    .get(key)
                    .is_none()
                    .then(|| crate::suggest::did_you_mean(key, book.keys_under("")))
                    .flatten();
                let message = match hint {
                    Some(h) if m.ends_with("must give its `unit`") => format!(
                        "`{key}` is not in the price book; {h} (an override of a price the book lacks must also give its `unit`)"
                    ),
                    Some(h) => format!("{m}; {h}"),
                    None => m,
                };
                crate::source::FieldError::new(key, message)
                    .help(Some(override_example(key, book.get(key))))
            })?;
            resolved.insert(key.clone(), p);
        }
        Ok(Pricer {
            book,
            overrides: resolved,
            used: RefCell::new(BTreeSet::new()),
        })
    }

    pub fn get(&self, key: &str) -> Result<Looked<'_>, PriceError> {
        self.used.borrow_mut().insert(key.to_string());
        if let Some(o) = self.overrides.get(key) {
            return Ok(Looked {
                price: &o.price,
                overridden: true,
                notes: &o.notes,
            });
        }
        self.book
            .get(key)
            .map(|p| Looked {
                price: p,
                overridden: false,
                notes: &[],
            })
            .ok_or_else(|| PriceError {
                message: format!(
                    "no price for `{key}` in {}; add it to {} or override it in the scenario",
                    self.book.region, self.book.file
                ),
                help: Some(missing_help(key, &self.book.region)),
                missing: Some(key.to_string()),
            })
    }

    /// The price as it applies to `key` (the override, else the book's), without counting the
    /// key as used: for the phase-level passes (free tier) over lines already priced.
    pub fn applied(&self, key: &str) -> Option<&Price> {
        self.overrides
            .get(key)
            .map(|o| &o.price)
            .or_else(|| self.book.get(key))
    }

    /// Override keys that no line asked for (likely typos).
    pub fn unused_overrides(&self) -> Vec<&str> {
        let used = self.used.borrow();
        self.overrides
            .keys()
            .filter(|k| !used.contains(k.as_str()))
            .map(String::as_str)
            .collect()
    }

    /// Keys asked for so far.
    pub fn used_keys(&self) -> Vec<String> {
        self.used.borrow().iter().cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_missing_price_the_price_list_has_says_how_to_import_it() {
        // SQL Server SE db.m5.xlarge: mapped (offer AmazonRDS), priced per hour.
        let h = super::missing_help("rds.sqlserver_se.db.m5.xlarge", "us-east-1");
        assert!(
            h.contains("`costplan pricing fetch --region us-east-1 --service AmazonRDS --out us-east-1.toml`"),
            "{h}"
        );
        assert!(h.contains("unit = \"hour\"\n  per = \"1\""), "{h}");
        // An RI upfront fee is per instance.
        let h = super::missing_help(
            "rds.postgres.db.r6g.large.reserved.3yr.all_upfront.upfront",
            "ap-northeast-1",
        );
        assert!(h.contains("unit = \"instance\""), "{h}");
        // MWAA is not in the mapping: only the override, with placeholders.
        let h = super::missing_help("mwaa.environment.mw1.small", "us-east-1");
        assert!(
            !h.contains("pricing fetch") && h.contains("unit = \"...\""),
            "{h}"
        );
    }
}
