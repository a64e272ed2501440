//! Scenario TOML -> parse, validate and price with the embedded price books, then render the
//! estimate in every report format.
//!
//! This is `costplan::estimate_toml` step by step, with the embedded catalog and price books
//! parsed once instead of on every input (they are constant and parsing them dominated the run
//! time). The traffic simulator (`plan_toml`) is left out: a month of steps per ladder point is
//! far too slow per input.
#![no_main]

use costplan::pricing::{BookSource, Catalog, PriceBook};
use costplan::report::Format;
use costplan::scenario::Scenario;
use costplan::source::Document;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // Errors are fine; panics, overflows, hangs and OOMs are not.
    if let Some(est) = estimate(text) {
        for f in [Format::Table, Format::Json, Format::Csv, Format::Markdown] {
            let _ = f.render(&est);
        }
    }
});

fn estimate(text: &str) -> Option<costplan::estimate::Estimate> {
    let (catalog, books) = embedded();
    let doc = Document::parse("fuzz.toml".to_string(), text.to_string()).ok()?;
    let scenario = Scenario::from_document(doc, "fuzz.toml", catalog).ok()?;
    let Some((_, book)) = books.iter().find(|(r, _)| *r == scenario.region) else {
        // Unknown region: the library's error path (with its suggestion).
        let _ = BookSource::Embedded.load(&scenario.region);
        return None;
    };
    costplan::estimate::estimate(&scenario, book, None).ok()
}

fn embedded() -> &'static (Catalog, Vec<(String, PriceBook)>) {
    static BOOKS: OnceLock<(Catalog, Vec<(String, PriceBook)>)> = OnceLock::new();
    BOOKS.get_or_init(|| {
        let src = BookSource::Embedded;
        let catalog = src.catalog().expect("embedded catalog");
        let books = src
            .regions()
            .into_iter()
            .map(|r| {
                let b = src.load(&r).expect("embedded book");
                (r, b)
            })
            .collect();
        (catalog, books)
    })
}
