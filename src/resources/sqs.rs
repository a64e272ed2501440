//! Amazon SQS: requests per month (each 64 KB chunk of a payload is one request).

use serde::Deserialize;

use super::{Ctx, Resource, Usage};
use crate::num::NonNeg;
use crate::pricing::PriceError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QueueType {
    #[default]
    Standard,
    Fifo,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sqs {
    #[serde(default)]
    pub queue_type: QueueType,
    /// API requests per month (send, receive, delete each count).
    #[serde(default)]
    pub monthly_requests: Option<NonNeg>,
}

impl Resource for Sqs {
    fn price(&self, ctx: &mut Ctx) -> Result<(), PriceError> {
        let key = match self.queue_type {
            QueueType::Standard => "sqs.requests.standard",
            QueueType::Fifo => "sqs.requests.fifo",
        };
        ctx.usage("Requests", key, Usage::of(self.monthly_requests))?;
        Ok(())
    }
}

impl super::Kind for Sqs {}

#[cfg(test)]
mod tests {
    //! Hand-checked figures; where their unit prices come from: `crate::testkit`.

    use crate::testkit::{cost, dec, us, us_with};

    #[test]
    fn sqs_standard_tiers_and_fifo() {
        let e = us(r#"kind = "sqs"
monthly_requests = 150_000_000_000"#);
        // 150B = 150,000 (1M): first 100,000 x $0.40 = $40,000; next 50,000 x $0.30 = $15,000
        assert_eq!(cost(&e, "Requests (tier 1)"), dec("40000"));
        assert_eq!(cost(&e, "Requests (tier 2)"), dec("15000"));

        let e = us_with(
            r#"free_tier = "always""#,
            r#"kind = "sqs"
queue_type = "fifo"
monthly_requests = 10_000_000"#,
        );
        // 10 x $0.50 (sqs.requests.fifo) = $5; free 1M = -$0.50
        assert_eq!(cost(&e, "Requests"), dec("5"));
        assert_eq!(cost(&e, "Free tier: Requests"), dec("-0.50"));
    }
}
