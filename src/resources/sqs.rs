//! Amazon SQS: requests per month; each 64 KB chunk of a payload is billed as one request.
//!
//! Standard and FIFO queues have their own request prices, each with its own volume tiers
//! (first 100 billion, next 100 billion, above 200 billion requests a month), counted per phase
//! across all queues of that type; the 1 million free requests a month are shared by both.
//! Usage is stated (`monthly_requests`): the traffic profile does not say how many queue calls
//! a request makes, so SQS derives nothing from it.

use serde::Deserialize;

use super::{within, Ctx, FieldError, Limit, Resource, Usage};
use crate::num::{NonNeg, Positive};
use crate::pricing::{Catalog, PriceError};

/// The largest SQS message: "The minimum message size is 1 byte (1 character). The maximum
/// is 1,048,576 bytes (1 MiB)" (Amazon SQS message quotas,
/// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-messages.html;
/// older copies of the page say 262,144 bytes). 1 MiB = 1,024 KB of the 64 KB chunks billed.
const MAX_PAYLOAD: Limit = Limit {
    min: 0,
    max: 1_024,
    unit: "KB",
    what: "SQS messages are at most 1 MiB (1,024 KB)",
    source: "Amazon SQS message quotas, https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-messages.html",
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum QueueType {
    #[default]
    Standard,
    Fifo,
}

#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Sqs {
    #[serde(default)]
    pub queue_type: QueueType,
    /// API requests per month (send, receive, delete each count).
    #[serde(default)]
    pub monthly_requests: Option<NonNeg>,
    /// Average payload of a request, KB: each 64 KB chunk is billed as one request.
    #[serde(default)]
    pub avg_payload_kb: Option<Positive>,
}

impl Resource for Sqs {
    fn validate(&self, _: &Catalog) -> Result<(), FieldError> {
        match self.avg_payload_kb {
            Some(kb) => within("avg_payload_kb", kb.0, &MAX_PAYLOAD),
            None => Ok(()),
        }
    }

    fn price(&self, ctx: &mut Ctx) -> Result<(), PriceError> {
        let key = match self.queue_type {
            QueueType::Standard => "sqs.requests.standard",
            QueueType::Fifo => "sqs.requests.fifo",
        };
        let (chunks, billed) =
            super::chunked_requests(Usage::of(self.monthly_requests), self.avg_payload_kb)?;
        ctx.usage("Requests", key, billed)?;
        if chunks > rust_decimal::Decimal::ONE {
            ctx.note(format!(
                "each request carries more than 64 KB: billed as {chunks} requests (64 KB chunks)"
            ));
        }
        Ok(())
    }
}

impl super::Kind for Sqs {}

#[cfg(test)]
mod tests {
    //! Hand-checked figures; where their unit prices come from: `crate::testkit`.

    use crate::testkit::{cost, dec, err, est, has_note, line, qty, scenario, total, us, us_with};

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

    #[test]
    fn sqs_payload_at_most_one_mib() {
        // 1,024 KB (1 MiB), the largest message: 16 chunks of 64 KB, 1M x 16 x $0.40 = $6.40
        let e = us("kind = \"sqs\"\nmonthly_requests = 1_000_000\navg_payload_kb = 1024");
        assert_eq!(cost(&e, "Requests"), dec("6.40"));
        // just above: refused at the key with the limit and its source
        let m = err(&scenario(
            "us-east-1",
            "",
            "kind = \"sqs\"\nmonthly_requests = 1_000_000\navg_payload_kb = 1024.5",
        ));
        assert!(
            m.contains("resources.r.avg_payload_kb`: 1,024.5 KB is above what AWS allows: SQS messages are at most 1 MiB (1,024 KB)"),
            "{m}"
        );
        assert!(m.contains("SQSDeveloperGuide/quotas-messages.html"), "{m}");
    }

    #[test]
    fn fifo_above_its_sourced_tier_is_an_error_not_a_guess() {
        // The book's FIFO rate is sourced for the first 100B requests a month only: 250B is an
        // error naming the key and the limit, located at the resource
        let msg = err(&scenario(
            "us-east-1",
            "",
            "kind = \"sqs\"\nqueue_type = \"fifo\"\nmonthly_requests = 250_000_000_000",
        ));
        assert!(
            msg.contains("uses 250,000 1M requests of `sqs.requests.fifo`, but its price is known only up to 100,000 1M requests"),
            "{msg}"
        );
        assert!(msg.contains("[overrides.\"sqs.requests.fifo\"]"), "{msg}");
        // exactly 100B is within it: 100,000 x $0.50 = $50,000
        let e = us("kind = \"sqs\"\nqueue_type = \"fifo\"\nmonthly_requests = 100_000_000_000");
        assert_eq!(total(&e), dec("50000"));
        // the limit is on the phase's total: two queues of 60B each are 120B
        let toml = r#"region = "us-east-1"

[phases.p.resources.a]
kind = "sqs"
queue_type = "fifo"
monthly_requests = 60_000_000_000

[phases.p.resources.b]
kind = "sqs"
queue_type = "fifo"
monthly_requests = 60_000_000_000
"#;
        let msg = err(toml);
        assert!(msg.contains("uses 120,000 1M requests"), "{msg}");
    }

    #[test]
    fn fifo_and_standard_tiers_are_counted_apart() {
        // Two queues in one phase: 150B Standard and 50B FIFO. Standard's tiers see 150B only
        // (100,000 x $0.40 + 50,000 x $0.30 = $55,000); FIFO's see 50B only, all in its first
        // tier (50,000 x $0.50 = $25,000). Together $80,000.
        let toml = r#"region = "us-east-1"

[phases.p.resources.std]
kind = "sqs"
monthly_requests = 150_000_000_000

[phases.p.resources.fifo]
kind = "sqs"
queue_type = "fifo"
monthly_requests = 50_000_000_000
"#;
        let e = est(toml);
        assert_eq!(total(&e), dec("80000"));
    }

    #[test]
    fn payloads_are_billed_in_64_kb_chunks() {
        // AWS: a 256 KB payload is billed as 4 requests. 2M x 4 = 8M x $0.40 = $3.20
        let e = us("kind = \"sqs\"\nmonthly_requests = 2_000_000\navg_payload_kb = 256");
        assert_eq!(qty(&e, "Requests"), dec("8"));
        assert_eq!(cost(&e, "Requests"), dec("3.20"));
        assert!(has_note(line(&e, "Requests"), "billed as 4 requests"));
        // 65 KB is 2 chunks; 10 KB is 1: 2M x 1 = $0.80
        let e = us("kind = \"sqs\"\nmonthly_requests = 2_000_000\navg_payload_kb = 65");
        assert_eq!(cost(&e, "Requests"), dec("1.60"));
        let e = us("kind = \"sqs\"\nmonthly_requests = 2_000_000\navg_payload_kb = 10");
        assert_eq!(cost(&e, "Requests"), dec("0.80"));
        let e = err(&scenario(
            "us-east-1",
            "",
            "kind = \"sqs\"\navg_payload_kb = 0",
        ));
        assert!(e.contains("avg_payload_kb"), "{e}");
    }
}
