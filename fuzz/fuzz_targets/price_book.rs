//! Price book TOML -> `PriceBook::parse`; a book that loads is then used to price the bundled
//! scenarios of its region, so prices that pass the loader's checks reach the pricing code.
#![no_main]

use costplan::pricing::{BookSource, PriceBook};
use costplan::scenario::Scenario;
use costplan::source::Document;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

const SCENARIOS: &[(&str, &str)] = &[
    ("prod.toml", include_str!("../../scenarios/prod.toml")),
    ("dev-env.toml", include_str!("../../scenarios/dev-env.toml")),
    (
        "lambda-rds.toml",
        include_str!("../../scenarios/lambda-rds.toml"),
    ),
    (
        "fargate-aurora.toml",
        include_str!("../../scenarios/fargate-aurora.toml"),
    ),
    (
        "prod-reserved.toml",
        include_str!("../../scenarios/prod-reserved.toml"),
    ),
    (
        "nat-choice.toml",
        include_str!("../../scenarios/nat-choice.toml"),
    ),
];

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(book) = PriceBook::parse("fuzz.toml", text) else {
        return;
    };
    for scenario in scenarios() {
        let _ = costplan::estimate::estimate(scenario, &book, None);
    }
});

/// The bundled scenarios, parsed once.
fn scenarios() -> &'static [Scenario] {
    static PARSED: OnceLock<Vec<Scenario>> = OnceLock::new();
    PARSED.get_or_init(|| {
        let catalog = BookSource::Embedded.catalog().expect("embedded catalog");
        SCENARIOS
            .iter()
            .map(|(name, src)| {
                let doc = Document::parse(name.to_string(), src.to_string()).expect(name);
                Scenario::from_document(doc, name, &catalog).expect(name)
            })
            .collect()
    })
}
