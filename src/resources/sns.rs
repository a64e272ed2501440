//! Amazon SNS: publish requests per month (deliveries to SQS and Lambda are free; email/SMS/HTTP
//! deliveries are not modelled yet).

use serde::Deserialize;

use super::{Ctx, Resource, Usage};
use crate::num::NonNeg;
use crate::pricing::PriceError;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sns {
    #[serde(default)]
    pub monthly_publishes: Option<NonNeg>,
}

impl Resource for Sns {
    fn price(&self, ctx: &mut Ctx) -> Result<(), PriceError> {
        ctx.usage(
            "Publish requests",
            "sns.requests",
            Usage::of(self.monthly_publishes),
        )?;
        Ok(())
    }
}

impl super::Kind for Sns {}

#[cfg(test)]
mod tests {
    //! Hand-checked figures; where their unit prices come from: `crate::testkit`.

    use crate::testkit::{cost, dec, total, us, us_with};

    #[test]
    fn sns_publishes_with_free_tier() {
        let body = r#"kind = "sns"
monthly_publishes = 5_000_000"#;
        // 5 x $0.50 (sns.requests) = $2.50
        assert_eq!(cost(&us(body), "Publish requests"), dec("2.50"));
        let e = us_with(r#"free_tier = "always""#, body);
        // free 1M: -1 x $0.50 = -$0.50 -> $2.00
        assert_eq!(cost(&e, "Free tier: Publish requests"), dec("-0.50"));
        assert_eq!(total(&e), dec("2.00"));
    }
}
