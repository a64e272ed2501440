//! Inputs that crashed the `cargo fuzz` targets (see `fuzz/`), kept as regression tests: each
//! must now give an error (or an estimate), never a panic. The crashing inputs themselves are
//! under `tests/fuzz_regressions/`, named after the target and the artifact's hash.
//!
//! - `scenario-*`: scenario text, run through parse, validation, pricing and every renderer
//!   (the `scenario` fuzz target).
//! - `price_book-*`: price book text, loaded with `PriceBook::parse` and used to price the
//!   bundled scenarios (the `price_book` fuzz target).

use costplan::pricing::{BookSource, PriceBook};
use costplan::report::Format;
use costplan::scenario::Scenario;
use costplan::source::Document;

fn input(name: &str) -> String {
    let path = format!(
        "{}/tests/fuzz_regressions/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// What the `scenario` target does: plan, then render every format.
fn scenario_target(text: &str) -> costplan::Result<()> {
    let plan = costplan::plan_toml("fuzz.toml", text, None)?;
    for f in [Format::Table, Format::Json, Format::Csv, Format::Markdown] {
        f.render(&plan)?;
    }
    Ok(())
}

/// What the `price_book` target does: load the book, then price the bundled scenarios with it.
/// Returns each scenario's result message ("ok" or the error).
fn price_book_target(text: &str) -> Vec<String> {
    let book = match PriceBook::parse("fuzz.toml", text) {
        Ok(b) => b,
        Err(e) => return vec![e.to_string()],
    };
    let catalog = BookSource::Embedded.catalog().unwrap();
    let mut out = Vec::new();
    for name in [
        "prod",
        "dev-env",
        "lambda-rds",
        "fargate-aurora",
        "prod-reserved",
        "nat-choice",
    ] {
        let path = format!("{}/scenarios/{name}.toml", env!("CARGO_MANIFEST_DIR"));
        let src = std::fs::read_to_string(&path).unwrap();
        let doc = Document::parse(name.to_string(), src).unwrap();
        let scenario = Scenario::from_document(doc, name, &catalog).unwrap();
        out.push(match costplan::estimate::estimate(&scenario, &book, None) {
            Ok(_) => "ok".to_string(),
            Err(e) => e.to_string(),
        });
    }
    out
}

/// Overflow is caught either in the arithmetic ("too large to compute") or by the limit on a
/// phase's total ("more than 10^20 USD a month"); both are input errors.
fn assert_too_large(r: costplan::Result<()>) {
    let e = r.expect_err("expected an error");
    assert_eq!(e.exit_code(), 2, "{e}");
    let m = e.to_string();
    assert!(
        m.contains("too large to compute") || m.contains("more than 10^20 USD a month"),
        "{e}"
    );
}

fn assert_some_too_large(results: &[String]) {
    assert!(
        results.iter().any(|m| m.contains("too large to compute")),
        "{results:?}"
    );
}

/// `lcu = 7.9e28` on an ALB: LCU x count x hours overflowed (`resources::alb`).
#[test]
fn scenario_alb_lcu_overflow() {
    assert_too_large(scenario_target(&input("scenario-2f6987ea.toml")));
}

/// `size_gb = 7.9e28` on an EBS volume: size x count overflowed at the line cost
/// (`pricing::split_components`). Now refused before pricing, at `size_gb`: above the largest
/// volume AWS allows (`resources::ebs`); still an input error, never a panic.
#[test]
fn scenario_ebs_size_overflow() {
    let e = scenario_target(&input("scenario-3b74042c.toml")).expect_err("expected an error");
    assert_eq!(e.exit_code(), 2, "{e}");
    assert!(e.to_string().contains("is above what AWS allows"), "{e}");
}

/// A price book with prices near Decimal's maximum: quantity x price overflowed
/// (`pricing::split_components`).
#[test]
fn price_book_price_overflow_1() {
    assert_some_too_large(&price_book_target(&input("price_book-18375355.toml")));
}

#[test]
fn price_book_price_overflow_2() {
    assert_some_too_large(&price_book_target(&input("price_book-a85c8a2a.toml")));
}

/// A price book with a tiny `per`: usage / per overflowed (`resources::Ctx::push`).
#[test]
fn price_book_tiny_per_division_overflow_1() {
    assert_some_too_large(&price_book_target(&input("price_book-39c04563.toml")));
}

#[test]
fn price_book_tiny_per_division_overflow_2() {
    assert_some_too_large(&price_book_target(&input("price_book-cbdc8583.toml")));
}

// Found while fixing the above (same class of overflow, not yet hit by the fuzzer).

/// `hours_per_month` scales every hourly quantity (schedules, count x hours); a value beyond a
/// month is now rejected instead of overflowing later.
#[test]
fn hours_per_month_above_a_month_is_rejected() {
    let text = r#"
region = "us-east-1"
hours_per_month = 79228162514264337593543950335
[phases.p.resources.db]
kind = "rds"
engine = "postgres"
instance_class = "db.t3.micro"
storage_gb = 20
schedule = "weekdays 09-19"
"#;
    let e = scenario_target(text).expect_err("expected an error");
    assert!(e.to_string().contains("at most 744"), "{e}");
}

/// A phase whose total is tiny next to the following one: the table's and Markdown's
/// "change against the previous phase" percentage overflowed (`report::change`).
#[test]
fn change_against_a_tiny_previous_total() {
    let text = r#"
region = "us-east-1"
[phases.a.resources.bucket]
kind = "s3"
standard_gb = 0.0000000000000000000001
[phases.b.resources.bucket]
kind = "s3"
standard_gb = 100000000000000000000
"#;
    scenario_target(text).unwrap();
}
