//! Amazon SNS (standard topics): publish requests and notification deliveries by protocol.
//!
//! Publishes and deliveries are billed apart. Deliveries are priced per protocol: HTTP/S,
//! email/email-JSON and mobile push each have a price and an always-free monthly allowance;
//! deliveries to SQS queues and Lambda functions cost nothing on the SNS side (the queue's
//! requests and the function's invocations are billed by those kinds); SMS is priced per
//! message part and per destination country (`sns.sms.<country>`), and a country the book has
//! no price for is refused (a price override for that key supplies it). Each 64 KB chunk of a
//! publish is one request, and each 64 KB chunk of a delivered notification one delivery.
//!
//! Usage is stated: `monthly_publishes`, and per protocol either the `subscriptions` each
//! publish fans out to (deliveries = publishes × subscriptions) or the `deliveries` a month.
//! The traffic profile does not say how many notifications a request causes, so SNS derives
//! nothing from it; unstated usage gives "depends on usage" lines, never $0.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Deserialize;

use super::{within, Ctx, FieldError, Limit, Resource, Usage};
use crate::num::{Count, NonNeg, Positive};
use crate::pricing::{Catalog, PriceError};

/// A subscription protocol (an SNS endpoint type).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Protocol {
    /// HTTP and HTTPS endpoints.
    Http,
    /// Email and email-JSON.
    Email,
    /// Mobile push (APNs, FCM, ADM, ... platform application endpoints).
    MobilePush,
    /// SMS text messages: priced per message part and destination country (`sms_country`).
    Sms,
    /// Amazon SQS queues (no SNS delivery charge).
    Sqs,
    /// AWS Lambda functions (no SNS delivery charge).
    Lambda,
}

impl Protocol {
    fn key(self) -> &'static str {
        match self {
            Protocol::Http => "http",
            Protocol::Email => "email",
            Protocol::MobilePush => "mobile_push",
            Protocol::Sms => "sms",
            Protocol::Sqs => "sqs",
            Protocol::Lambda => "lambda",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Protocol::Http => "HTTP/S deliveries",
            Protocol::Email => "Email/Email-JSON deliveries",
            Protocol::MobilePush => "Mobile push deliveries",
            Protocol::Sms => "SMS messages",
            Protocol::Sqs => "SQS deliveries",
            Protocol::Lambda => "Lambda deliveries",
        }
    }
}

#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Sns {
    #[serde(default)]
    pub monthly_publishes: Option<NonNeg>,
    /// Average payload of a publish, KB: each 64 KB chunk is billed as one request, and each
    /// 64 KB chunk of a delivered notification as one delivery.
    #[serde(default)]
    pub avg_payload_kb: Option<Positive>,
    /// Subscriptions per protocol that every publish is delivered to (no filter policy), e.g.
    /// `{ sqs = 3, email = 1 }`: deliveries = `monthly_publishes` × subscriptions.
    #[serde(default)]
    pub subscriptions: Option<BTreeMap<Protocol, Count>>,
    /// Deliveries a month per protocol, stated (after filter policies, retries included), e.g.
    /// `{ http = 2_000_000 }`; for `sms`, message parts. Not with `subscriptions` of the same
    /// protocol.
    #[serde(default)]
    pub deliveries: Option<BTreeMap<Protocol, NonNeg>>,
    /// Destination country of the SMS messages, ISO 3166 two-letter code (`US`, `JP`): SMS is
    /// priced per country. Required with SMS subscriptions or deliveries.
    #[serde(default)]
    pub sms_country: Option<String>,
}

impl Sns {
    /// The protocols stated, in order, with their deliveries (`Unknown` when a subscription
    /// count has no `monthly_publishes` to multiply).
    fn deliveries(&self) -> Result<Vec<(Protocol, Usage)>, crate::num::Overflow> {
        let mut out: BTreeMap<Protocol, Usage> = BTreeMap::new();
        for (p, n) in self.subscriptions.iter().flatten() {
            let fan_out = Usage::of(self.monthly_publishes)
                .try_map(|publishes| crate::num::mul(publishes, n.dec()))?;
            out.insert(*p, fan_out);
        }
        for (p, n) in self.deliveries.iter().flatten() {
            out.insert(*p, Usage::Stated(n.0));
        }
        Ok(out.into_iter().collect())
    }

    fn has_sms(&self) -> bool {
        let sub = self
            .subscriptions
            .as_ref()
            .is_some_and(|m| m.contains_key(&Protocol::Sms));
        let del = self
            .deliveries
            .as_ref()
            .is_some_and(|m| m.contains_key(&Protocol::Sms));
        sub || del
    }
}

/// The largest SNS publish: "Amazon SNS supports message payloads up to 1 MiB (1,048,576
/// bytes) when you configure the `MaximumMessageSize` topic attribute. By default, topics
/// accept messages up to 256 KiB" (Publishing large messages with Amazon SNS,
/// https://docs.aws.amazon.com/sns/latest/dg/large-message-payloads.html). 1 MiB = 1,024 KB.
const MAX_PAYLOAD: Limit = Limit {
    min: 0,
    max: 1_024,
    unit: "KB",
    what: "SNS messages are at most 1 MiB (1,024 KB), with the topic's `MaximumMessageSize` raised from its 256 KiB default",
    source: "Publishing large messages with Amazon SNS, https://docs.aws.amazon.com/sns/latest/dg/large-message-payloads.html",
};

impl Resource for Sns {
    fn validate(&self, _: &Catalog) -> Result<(), FieldError> {
        if let Some(kb) = self.avg_payload_kb {
            within("avg_payload_kb", kb.0, &MAX_PAYLOAD)?;
        }
        if let (Some(subs), Some(dels)) = (&self.subscriptions, &self.deliveries) {
            if let Some(p) = dels.keys().find(|p| subs.contains_key(p)) {
                return Err(FieldError::at(
                    crate::source::KeyPath::root()
                        .key("deliveries")
                        .key(p.key()),
                    format!(
                        "`{0}` is given both as subscriptions.{0} and as deliveries.{0}: state one",
                        p.key()
                    ),
                )
                .help(Some(
                    "subscriptions multiply monthly_publishes (every publish to every subscription); deliveries state the month's count directly"
                        .into(),
                )));
            }
        }
        match (&self.sms_country, self.has_sms()) {
            (None, true) => Err(FieldError::new(
                "sms_country",
                "SMS is priced per destination country: state `sms_country`, its ISO 3166 two-letter code (e.g. \"US\")",
            )
            .help(Some(
                "SMS to several countries: one sns resource per country".into(),
            ))),
            (Some(_), false) => Err(FieldError::new(
                "sms_country",
                "`sms_country` needs SMS deliveries: add `sms` to subscriptions or deliveries, or remove it",
            )),
            (Some(c), true) if !(c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase())) => {
                Err(FieldError::new(
                    "sms_country",
                    format!(
                        "`{}` is not an ISO 3166 two-letter country code in capitals (e.g. \"US\", \"JP\")",
                        crate::source::cap_chars(c, 40)
                    ),
                ))
            }
            _ => Ok(()),
        }
    }

    fn price(&self, ctx: &mut Ctx) -> Result<(), PriceError> {
        let (chunks, billed) =
            super::chunked_requests(Usage::of(self.monthly_publishes), self.avg_payload_kb)?;
        ctx.usage("Publish requests", "sns.requests", billed)?;
        let chunk_note = |what: &str| {
            format!("each {what} carries more than 64 KB: billed as {chunks} (64 KB chunks)")
        };
        if chunks > Decimal::ONE {
            ctx.note(chunk_note("publish"));
        }
        for (protocol, usage) in self.deliveries()? {
            match protocol {
                Protocol::Sms => {
                    // validate() requires the country with SMS deliveries.
                    let country = self.sms_country.as_deref().unwrap_or("");
                    ctx.usage(
                        &format!("SMS messages ({country})"),
                        &format!("sns.sms.{}", country.to_ascii_lowercase()),
                        usage,
                    )?;
                    ctx.note(
                        "billed per message part (160 GSM-7 or 70 UCS-2 characters each): count parts, not messages",
                    );
                }
                _ => {
                    let usage = usage.try_map(|d| crate::num::mul(d, chunks))?;
                    ctx.usage(
                        protocol.label(),
                        &format!("sns.deliveries.{}", protocol.key()),
                        usage,
                    )?;
                    if chunks > Decimal::ONE {
                        ctx.note(chunk_note("notification"));
                    }
                    if matches!(protocol, Protocol::Sqs | Protocol::Lambda) {
                        ctx.note(format!(
                            "no SNS charge for deliveries to {}; the receiving side is billed by its own kind",
                            if protocol == Protocol::Sqs {
                                "SQS queues (their requests)"
                            } else {
                                "Lambda functions (their invocations)"
                            }
                        ));
                    }
                }
            }
        }
        Ok(())
    }
}

impl super::Kind for Sns {}

#[cfg(test)]
mod tests {
    //! Hand-checked figures; where their unit prices come from: `crate::testkit`.

    use crate::testkit::{
        cost, dec, err, has_line, has_note, line, qty, scenario, total, us, us_with,
    };

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
    fn sns_payload_at_most_one_mib() {
        // 1,024 KB (1 MiB): 16 chunks, 1M x 16 x $0.50 = $8
        let e = us("kind = \"sns\"\nmonthly_publishes = 1_000_000\navg_payload_kb = 1024");
        assert_eq!(cost(&e, "Publish requests"), dec("8"));
        let m = err(&scenario(
            "us-east-1",
            "",
            "kind = \"sns\"\nmonthly_publishes = 1_000_000\navg_payload_kb = 1025",
        ));
        assert!(
            m.contains("resources.r.avg_payload_kb`: 1,025 KB is above what AWS allows: SNS messages are at most 1 MiB"),
            "{m}"
        );
        assert!(
            m.contains("sns/latest/dg/large-message-payloads.html"),
            "{m}"
        );
    }

    #[test]
    fn publishes_are_billed_in_64_kb_chunks() {
        // 1M publishes of 200 KB = 4 chunks each (64 KB): 4M x $0.50 = $2.00
        let e = us("kind = \"sns\"\nmonthly_publishes = 1_000_000\navg_payload_kb = 200");
        assert_eq!(cost(&e, "Publish requests"), dec("2.00"));
    }

    #[test]
    fn deliveries_by_protocol_with_their_free_tiers() {
        let body = r#"kind = "sns"
monthly_publishes = 2_000_000
subscriptions = { http = 1, email = 1, mobile_push = 1, sqs = 2, lambda = 1 }"#;
        let e = us(body);
        // Each publish goes to every subscription: 2M deliveries per subscription.
        // HTTP/S: 2 (1M) x $0.60 = $1.20 (sns.deliveries.http)
        assert_eq!(cost(&e, "HTTP/S deliveries"), dec("1.20"));
        // Email: 2M = 20 (100K) x $2.00 = $40 (sns.deliveries.email)
        assert_eq!(qty(&e, "Email/Email-JSON deliveries"), dec("20"));
        assert_eq!(cost(&e, "Email/Email-JSON deliveries"), dec("40"));
        // Mobile push: 2 (1M) x $0.50 = $1.00 (sns.deliveries.mobile_push)
        assert_eq!(cost(&e, "Mobile push deliveries"), dec("1.00"));
        // SQS (2 queues: 4M) and Lambda (2M) deliveries: no SNS charge, lines kept visible.
        assert_eq!(qty(&e, "SQS deliveries"), dec("4"));
        assert_eq!(cost(&e, "SQS deliveries"), dec("0"));
        assert!(has_note(line(&e, "SQS deliveries"), "no SNS charge"));
        assert_eq!(cost(&e, "Lambda deliveries"), dec("0"));
        // publishes 2 x $0.50 = $1.00; total 1.00 + 1.20 + 40 + 1.00 = $43.20
        assert_eq!(total(&e), dec("43.20"));

        // Always free: 1M publishes (-$0.50), 100,000 HTTP/S (0.1 x $0.60 = -$0.06),
        // 1,000 email (0.01 x $2.00 = -$0.02), 1M mobile push (-$0.50):
        // 43.20 - 0.50 - 0.06 - 0.02 - 0.50 = $42.12
        let e = us_with(r#"free_tier = "always""#, body);
        assert_eq!(cost(&e, "Free tier: HTTP/S deliveries"), dec("-0.06"));
        assert_eq!(
            cost(&e, "Free tier: Email/Email-JSON deliveries"),
            dec("-0.02")
        );
        assert_eq!(cost(&e, "Free tier: Mobile push deliveries"), dec("-0.50"));
        assert_eq!(total(&e), dec("42.12"));
    }

    #[test]
    fn stated_deliveries_and_chunked_notifications() {
        // 10,000 publishes of 100 KB (2 chunks): 20,000 requests x $0.50/1M = $0.01.
        // 3M HTTP/S deliveries stated (after filters and retries), each 2 chunks: 6M x $0.60
        // = $3.60.
        let e = us(r#"kind = "sns"
monthly_publishes = 10_000
avg_payload_kb = 100
deliveries = { http = 3_000_000 }"#);
        assert_eq!(cost(&e, "Publish requests"), dec("0.01"));
        assert_eq!(qty(&e, "HTTP/S deliveries"), dec("6"));
        assert_eq!(cost(&e, "HTTP/S deliveries"), dec("3.60"));
        assert!(has_note(line(&e, "HTTP/S deliveries"), "billed as 2"));
    }

    #[test]
    fn unknown_publishes_leave_fan_out_deliveries_depending_on_usage() {
        let e = us("kind = \"sns\"\nsubscriptions = { http = 2 }");
        let l = line(&e, "HTTP/S deliveries");
        assert_eq!(l.monthly_cost, dec("0"));
        assert!(has_note(l, "depends on usage"), "{:?}", l.notes);
    }

    #[test]
    fn sms_is_priced_per_country_and_an_unknown_country_is_refused() {
        // No book has an SMS price yet: the country's key is reported missing.
        let e = err(&scenario(
            "us-east-1",
            "",
            "kind = \"sns\"\ndeliveries = { sms = 1000 }\nsms_country = \"US\"",
        ));
        assert!(e.contains("sns.sms.us"), "{e}");
        // A price override for the country supplies it: 1,000 parts x $0.00581 = $5.81.
        let e = us_with(
            r#"[overrides."sns.sms.us"]
price = "0.00581"
unit = "message part"
per = "1"
reason = "AWS End User Messaging SMS pricing, US toll-free, read 2026-11-30""#,
            "kind = \"sns\"\ndeliveries = { sms = 1000 }\nsms_country = \"US\"",
        );
        assert_eq!(cost(&e, "SMS messages (US)"), dec("5.81"));
        assert!(has_note(line(&e, "SMS messages (US)"), "per message part"));
        // SMS without a country, a country without SMS, and a malformed code are refused.
        for (body, want) in [
            (
                "deliveries = { sms = 10 }",
                "priced per destination country",
            ),
            ("sms_country = \"US\"", "needs SMS deliveries"),
            (
                "deliveries = { sms = 10 }\nsms_country = \"usa\"",
                "two-letter country code",
            ),
        ] {
            let e = err(&scenario(
                "us-east-1",
                "",
                &format!("kind = \"sns\"\n{body}"),
            ));
            assert!(e.contains("sms_country") && e.contains(want), "{e}");
        }
    }

    #[test]
    fn a_protocol_is_stated_once() {
        let e = err(&scenario(
            "us-east-1",
            "",
            "kind = \"sns\"\nmonthly_publishes = 10\nsubscriptions = { http = 1 }\ndeliveries = { http = 5 }",
        ));
        assert!(
            e.contains("deliveries.http") && e.contains("state one"),
            "{e}"
        );
        assert!(!has_line(
            &us("kind = \"sns\"\nmonthly_publishes = 10"),
            "HTTP/S deliveries"
        ));
    }
}
