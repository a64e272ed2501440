//! A stated monthly amount for something costplan does not price (a monitoring SaaS such as
//! DataDog or Sentry, an AWS Support plan, a licence): the scenario gives the amount and where
//! it comes from, so the total is complete and the line says it was stated, not priced.

use rust_decimal::Decimal;
use serde::Deserialize;

use super::{Ctx, FieldError, Resource};
use crate::num::{Count, NonNeg};
use crate::pricing::{Catalog, PriceError};

#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Fixed {
    /// The amount per unit per month, in the book's currency (USD).
    pub monthly_cost: NonNeg,
    /// Where the amount comes from: a pricing page URL, a quote, a contract.
    pub source: String,
    /// Units at `monthly_cost` each (seats, hosts); 1 by default.
    #[serde(default)]
    pub count: Option<Count>,
    /// The line's name ("DataDog Pro, 5 hosts"); "Stated monthly amount" by default.
    #[serde(default)]
    pub label: Option<String>,
}

impl Resource for Fixed {
    fn validate(&self, _: &Catalog) -> Result<(), FieldError> {
        // An amount nobody can check is the silent answer this kind exists to avoid.
        if self.source.trim().is_empty() {
            return Err(FieldError::new(
                "source",
                "a stated amount needs a source (a pricing page URL, a quote, a contract)",
            )
            .help(Some(
                "source = \"https://www.datadoghq.com/pricing/ (Pro, 2026-12)\"".to_string(),
            )));
        }
        if self.label.as_deref().is_some_and(|l| l.trim().is_empty()) {
            return Err(FieldError::new(
                "label",
                "`label` is empty; give a name or leave it out",
            ));
        }
        Ok(())
    }

    fn price(&self, ctx: &mut Ctx) -> Result<(), PriceError> {
        let count = self.count.map_or(Decimal::ONE, |c| c.dec());
        let label = self.label.as_deref().unwrap_or("Stated monthly amount");
        ctx.stated_amount(label, self.monthly_cost.0, count, self.source.trim());
        Ok(())
    }
}

impl super::Kind for Fixed {}

#[cfg(test)]
mod tests {
    //! Hand-checked figures: the amounts are the scenario's own, so the arithmetic is count x
    //! amount, and the rest of the phase is unchanged by them.

    use crate::estimate::UsageSource;
    use crate::testkit::{cost, dec, err, has_note, line, scenario, tokyo, total, us};

    #[test]
    fn a_stated_amount_is_one_line_that_says_so() {
        let e = us(r#"kind = "fixed"
label = "DataDog Pro"
monthly_cost = 23
count = 5
source = "https://www.datadoghq.com/pricing/ (Pro, billed annually, per host)""#);
        // 5 hosts x $23 = $115
        let l = line(&e, "DataDog Pro");
        assert_eq!(l.quantity, dec("5"));
        assert_eq!(l.unit_price, dec("23"));
        assert_eq!(l.monthly_cost, dec("115"));
        assert_eq!(l.usage_source, UsageSource::Stated);
        assert_eq!(l.service, "Stated");
        assert!(
            has_note(l, "stated in the scenario, not priced by costplan"),
            "{:?}",
            l.notes
        );
        assert!(has_note(l, "datadoghq.com"), "{:?}", l.notes);
        assert_eq!(total(&e), dec("115"));
    }

    #[test]
    fn the_amount_is_the_same_in_every_region() {
        // No price book is read: Tokyo gives the stated $26 too.
        let e = tokyo("kind = \"fixed\"\nmonthly_cost = 26\nsource = \"Sentry Team plan\"");
        assert_eq!(cost(&e, "Stated monthly amount"), dec("26"));
    }

    #[test]
    fn it_adds_to_priced_lines_and_takes_a_discount() {
        // A priced ALB (730 h x $0.0225 = $16.425) plus a $100 support plan = $116.425.
        let text = format!(
            "{}\n[phases.p.resources.support]\nkind = \"fixed\"\nmonthly_cost = 100\nsource = \"AWS Developer Support\"\n",
            scenario("us-east-1", "", "kind = \"alb\"")
        );
        let e = crate::testkit::est(&text);
        assert_eq!(total(&e), dec("116.425"));
        // A discount for the kind applies like any other: 10 % off $100 = $90.
        let text = format!(
            "{}\n[phases.p.resources.support]\nkind = \"fixed\"\nmonthly_cost = 100\nsource = \"quote\"\n",
            scenario("us-east-1", "[discounts]\nfixed = 10", "kind = \"alb\"")
        );
        let e = crate::testkit::est(&text);
        assert_eq!(total(&e), dec("106.425"));
    }

    #[test]
    fn an_amount_without_a_source_is_refused() {
        let e = err(&scenario(
            "us-east-1",
            "",
            "kind = \"fixed\"\nmonthly_cost = 50\nsource = \"  \"",
        ));
        assert!(e.contains("needs a source"), "{e}");
        let e = err(&scenario(
            "us-east-1",
            "",
            "kind = \"fixed\"\nmonthly_cost = 50",
        ));
        assert!(e.contains("source"), "{e}");
        let e = err(&scenario(
            "us-east-1",
            "",
            "kind = \"fixed\"\nmonthly_cost = -5\nsource = \"x\"",
        ));
        assert!(e.contains("monthly_cost"), "{e}");
    }
}
