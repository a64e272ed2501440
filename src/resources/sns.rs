//! Amazon SNS: publish requests per month (deliveries to SQS and Lambda are free; email/SMS/HTTP
//! deliveries are not modelled yet).

use serde::Deserialize;

use super::{Ctx, Resource, Usage};
use crate::num::{NonNeg, Positive};
use crate::pricing::PriceError;

#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Sns {
    #[serde(default)]
    pub monthly_publishes: Option<NonNeg>,
    /// Average payload of a publish, KB: each 64 KB chunk is billed as one request.
    #[serde(default)]
    pub avg_payload_kb: Option<Positive>,
}

impl Resource for Sns {
    fn price(&self, ctx: &mut Ctx) -> Result<(), PriceError> {
        let (chunks, billed) =
            super::chunked_requests(Usage::of(self.monthly_publishes), self.avg_payload_kb)?;
        ctx.usage("Publish requests", "sns.requests", billed)?;
        if chunks > rust_decimal::Decimal::ONE {
            ctx.note(format!(
                "each publish carries more than 64 KB: billed as {chunks} requests (64 KB chunks)"
            ));
        }
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

    #[test]
    fn publishes_are_billed_in_64_kb_chunks() {
        // 1M publishes of 200 KB = 4 chunks each (64 KB): 4M x $0.50 = $2.00
        let e = us("kind = \"sns\"\nmonthly_publishes = 1_000_000\navg_payload_kb = 200");
        assert_eq!(cost(&e, "Publish requests"), dec("2.00"));
    }
}
