//! API Gateway: REST and HTTP APIs (requests per month, tiered; a REST stage's cache by size),
//! and WebSocket APIs (messages and connection minutes).
//!
//! How the traffic becomes usage: REST and HTTP requests are the simulated requests when
//! `monthly_requests` is not stated. WebSocket usage is stated only (`monthly_messages`,
//! `connection_minutes` or `avg_connections`): a simulated request says nothing about how long
//! clients stay connected or how many messages a connection carries, so the traffic is not
//! turned into WebSocket usage, and the messages line says so when a traffic profile exists.
//! Unstated usage gives "depends on usage" lines, never $0.

use rust_decimal::Decimal;
use serde::Deserialize;

use super::{Ctx, FieldError, Resource, Usage};
use super::{Derived, UnitVolume, UsageKey, Volume};
use crate::num::{NonNeg, Positive};
use crate::pricing::{Catalog, PriceError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ApiType {
    Rest,
    Http,
    Websocket,
}

impl ApiType {
    fn name(self) -> &'static str {
        match self {
            ApiType::Rest => "rest",
            ApiType::Http => "http",
            ApiType::Websocket => "websocket",
        }
    }
}

/// The cache sizes a REST API stage can provision, in GB (API Gateway's `cacheClusterSize`,
/// Terraform's `cache_cluster_size`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
pub enum CacheSize {
    #[serde(rename = "0.5")]
    Gb0_5,
    #[serde(rename = "1.6")]
    Gb1_6,
    #[serde(rename = "6.1")]
    Gb6_1,
    #[serde(rename = "13.5")]
    Gb13_5,
    #[serde(rename = "28.4")]
    Gb28_4,
    #[serde(rename = "58.2")]
    Gb58_2,
    #[serde(rename = "118")]
    Gb118,
    #[serde(rename = "237")]
    Gb237,
}

impl CacheSize {
    /// The size as written in the scenario ("1.6").
    fn gb(self) -> &'static str {
        match self {
            CacheSize::Gb0_5 => "0.5",
            CacheSize::Gb1_6 => "1.6",
            CacheSize::Gb6_1 => "6.1",
            CacheSize::Gb13_5 => "13.5",
            CacheSize::Gb28_4 => "28.4",
            CacheSize::Gb58_2 => "58.2",
            CacheSize::Gb118 => "118",
            CacheSize::Gb237 => "237",
        }
    }

    /// Price key: `api_gateway.cache.1_6gb`.
    fn key(self) -> String {
        format!("api_gateway.cache.{}gb", self.gb().replace('.', "_"))
    }
}

/// HTTP API requests are metered in 512 KB increments.
const HTTP_METER_KB: u32 = 512;
/// WebSocket messages are metered in 32 KB increments, up to 128 KB a message.
const WS_METER_KB: u32 = 32;
const WS_MAX_KB: u32 = 128;

#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ApiGateway {
    /// `rest`, `http` or `websocket`.
    pub api_type: ApiType,
    /// REST and HTTP: API calls a month (default: the simulated requests).
    #[serde(default)]
    pub monthly_requests: Option<NonNeg>,
    /// HTTP: average request size, KB; each 512 KB increment is metered as one request
    /// (default: every request within 512 KB).
    #[serde(default)]
    pub avg_request_kb: Option<Positive>,
    /// REST: the stage's cache size in GB, one of "0.5", "1.6", "6.1", "13.5", "28.4", "58.2",
    /// "118", "237" (as a string, like Terraform's `cache_cluster_size`).
    #[serde(default)]
    pub cache_size_gb: Option<CacheSize>,
    /// REST: hours the cache is provisioned this month (default: the whole month).
    #[serde(default)]
    pub cache_hours: Option<NonNeg>,
    /// WebSocket: messages sent and received a month.
    #[serde(default)]
    pub monthly_messages: Option<NonNeg>,
    /// WebSocket: average message size, KB (at most 128); each 32 KB increment is metered as
    /// one message (default: every message within 32 KB).
    #[serde(default)]
    pub avg_message_kb: Option<Positive>,
    /// WebSocket: connection minutes a month (clients × minutes each is connected).
    #[serde(default)]
    pub connection_minutes: Option<NonNeg>,
    /// WebSocket: clients connected on average over the month; connection minutes are this ×
    /// the month's minutes. Not with `connection_minutes`.
    #[serde(default)]
    pub avg_connections: Option<NonNeg>,
}

/// Billed units per item of `kb`, metered in `step` KB increments (1 when no size is given).
fn increments(kb: Option<Positive>, step: u32) -> Decimal {
    kb.map_or(Decimal::ONE, |k| {
        (k.0 / Decimal::from(step)).ceil().max(Decimal::ONE)
    })
}

impl ApiGateway {
    /// The first stated key that `api_type` does not bill, with the types that take it.
    fn inapplicable_key(&self) -> Option<(&'static str, &'static [ApiType])> {
        use ApiType::*;
        let given: [(&str, bool, &'static [ApiType]); 8] = [
            (
                "monthly_requests",
                self.monthly_requests.is_some(),
                &[Rest, Http],
            ),
            ("avg_request_kb", self.avg_request_kb.is_some(), &[Http]),
            ("cache_size_gb", self.cache_size_gb.is_some(), &[Rest]),
            ("cache_hours", self.cache_hours.is_some(), &[Rest]),
            (
                "monthly_messages",
                self.monthly_messages.is_some(),
                &[Websocket],
            ),
            (
                "avg_message_kb",
                self.avg_message_kb.is_some(),
                &[Websocket],
            ),
            (
                "connection_minutes",
                self.connection_minutes.is_some(),
                &[Websocket],
            ),
            (
                "avg_connections",
                self.avg_connections.is_some(),
                &[Websocket],
            ),
        ];
        given
            .into_iter()
            .find(|(_, set, takes)| *set && !takes.contains(&self.api_type))
            .map(|(key, _, takes)| (key, takes))
    }
}

impl Resource for ApiGateway {
    fn validate(&self, _: &Catalog) -> Result<(), FieldError> {
        if let Some((key, takes)) = self.inapplicable_key() {
            return Err(FieldError::new(
                key,
                format!(
                    "`{key}` does not apply to api_type = \"{}\": it is billed for {} APIs only",
                    self.api_type.name(),
                    takes
                        .iter()
                        .map(|t| t.name())
                        .collect::<Vec<_>>()
                        .join(" and ")
                ),
            ));
        }
        if self.cache_hours.is_some() && self.cache_size_gb.is_none() {
            return Err(FieldError::new(
                "cache_hours",
                "`cache_hours` needs `cache_size_gb`: the hourly price depends on the cache size",
            ));
        }
        if let Some(kb) = self
            .avg_message_kb
            .filter(|k| k.0 > Decimal::from(WS_MAX_KB))
        {
            return Err(FieldError::new(
                "avg_message_kb",
                format!(
                    "WebSocket messages are at most {WS_MAX_KB} KB, got {}",
                    crate::money::fmt_number(kb.0)
                ),
            ));
        }
        if self.connection_minutes.is_some() && self.avg_connections.is_some() {
            return Err(FieldError::new(
                "avg_connections",
                "give `connection_minutes` or `avg_connections`, not both",
            ));
        }
        Ok(())
    }

    fn derive_usage(&self, month: &Volume, _: Option<&UnitVolume>) -> Derived {
        // Also for WebSocket APIs, so its messages line can say the traffic was not used.
        let mut d = Derived::new();
        d.count(UsageKey::MonthlyRequests, month.requests);
        d
    }

    fn price(&self, ctx: &mut Ctx) -> Result<(), PriceError> {
        match self.api_type {
            ApiType::Rest | ApiType::Http => self.price_requests(ctx),
            ApiType::Websocket => self.price_websocket(ctx),
        }
    }
}

impl ApiGateway {
    fn price_requests(&self, ctx: &mut Ctx) -> Result<(), PriceError> {
        let (label, key) = match self.api_type {
            ApiType::Http => ("HTTP API requests", "api_gateway.http.requests"),
            _ => ("REST API requests", "api_gateway.rest.requests"),
        };
        let calls = ctx.stated_or_derived(self.monthly_requests, UsageKey::MonthlyRequests);
        let per_call = increments(self.avg_request_kb, HTTP_METER_KB);
        ctx.usage(label, key, calls.try_map(|c| crate::num::mul(c, per_call))?)?;
        if per_call > Decimal::ONE {
            ctx.note(format!(
                "each request carries more than {HTTP_METER_KB} KB: metered as {per_call} requests ({HTTP_METER_KB} KB increments)"
            ));
        }
        if let Some(size) = self.cache_size_gb {
            let hours = self.cache_hours.map_or(ctx.hours_per_month, |h| h.0);
            ctx.baseline(
                &format!("REST API cache ({} GB)", size.gb()),
                &size.key(),
                hours,
            )?
            .no_free_tier("API Gateway caching is not in the free tier");
        }
        Ok(())
    }

    fn price_websocket(&self, ctx: &mut Ctx) -> Result<(), PriceError> {
        let per_message = increments(self.avg_message_kb, WS_METER_KB);
        let messages = Usage::of(self.monthly_messages);
        ctx.usage(
            "WebSocket messages",
            "api_gateway.websocket.messages",
            messages.try_map(|m| crate::num::mul(m, per_message))?,
        )?;
        if per_message > Decimal::ONE {
            ctx.note(format!(
                "each message carries more than {WS_METER_KB} KB: metered as {per_message} messages ({WS_METER_KB} KB increments)"
            ));
        }
        if let (None, Usage::Derived(r)) = (
            self.monthly_messages,
            ctx.derived(UsageKey::MonthlyRequests),
        ) {
            ctx.note(format!(
                "the traffic's {} requests are not turned into WebSocket messages: state monthly_messages",
                crate::money::fmt_number(r)
            ));
        }
        let minutes = match (self.connection_minutes, self.avg_connections) {
            (Some(m), _) => Usage::Stated(m.0),
            (None, Some(c)) => Usage::Stated(crate::num::mul(
                c.0,
                crate::num::mul(ctx.hours_per_month, Decimal::from(60))?,
            )?),
            (None, None) => Usage::Unknown,
        };
        ctx.usage(
            "WebSocket connection minutes",
            "api_gateway.websocket.connection_minutes",
            minutes,
        )?;
        if let Some(c) = self.avg_connections {
            ctx.note(format!(
                "{} connections on average × {} minutes in the month",
                crate::money::fmt_number(c.0),
                crate::money::fmt_number(ctx.hours_per_month * Decimal::from(60))
            ));
        }
        Ok(())
    }
}

impl super::Kind for ApiGateway {
    const MONTH_HOURS_KEYS: &'static [&'static str] = &["cache_hours"];
}

#[cfg(test)]
mod tests {
    //! Hand-checked figures; where their unit prices come from: `crate::testkit`.
    //! AWS's worked examples are from https://aws.amazon.com/api-gateway/pricing/ ("Pricing
    //! Examples", US East), quoted next to each test.

    use crate::testkit::{
        cost, dec, err, has_note, line, qty, scenario, tokyo, total, us, us_with,
    };

    #[test]
    fn api_gateway_rest_tiers_and_http() {
        let e = us(r#"kind = "api_gateway"
api_type = "rest"
monthly_requests = 400_000_000"#);
        // 400M = 400 (1M): first 333 x $3.50 = $1,165.50
        assert_eq!(qty(&e, "REST API requests (tier 1)"), dec("333"));
        assert_eq!(cost(&e, "REST API requests (tier 1)"), dec("1165.50"));
        // next 67 x $2.80 = $187.60
        assert_eq!(qty(&e, "REST API requests (tier 2)"), dec("67"));
        assert_eq!(cost(&e, "REST API requests (tier 2)"), dec("187.60"));
        assert_eq!(total(&e), dec("1353.10"));

        let e = us(r#"kind = "api_gateway"
api_type = "http"
monthly_requests = 10_000_000"#);
        // 10 (1M) x $1.00 = $10
        assert_eq!(cost(&e, "HTTP API requests"), dec("10"));
    }

    #[test]
    fn aws_rest_example_15_billion_calls() {
        // AWS: "An Edge Optimized or Regional API receives 15 billion API calls per month ...
        // 333 million * $3.50/million = $1,165.50; 667 million * $2.80/million = $1,867.60;
        // 14 billion * $2.38/million = $33,320.00; Total Amazon API call charges = $36,353.10"
        // (the example's data transfer is the data_transfer kind's).
        let e =
            us("kind = \"api_gateway\"\napi_type = \"rest\"\nmonthly_requests = 15_000_000_000");
        assert_eq!(cost(&e, "REST API requests (tier 1)"), dec("1165.50"));
        assert_eq!(cost(&e, "REST API requests (tier 2)"), dec("1867.60"));
        assert_eq!(cost(&e, "REST API requests (tier 3)"), dec("33320.00"));
        assert_eq!(total(&e), dec("36353.10"));
    }

    #[test]
    fn aws_http_examples() {
        // AWS Pricing Example 1: "10,000 page loads/minute * 60 minutes/hour * 24 hours/day * 30
        // days/month / 1,000,000 = 432 million requests per month. 300 million * $1.00/million =
        // $300; 132 million * $0.90/million = $118.8; Total = $418.8"
        let e = us("kind = \"api_gateway\"\napi_type = \"http\"\nmonthly_requests = 432_000_000");
        assert_eq!(cost(&e, "HTTP API requests (tier 1)"), dec("300"));
        assert_eq!(cost(&e, "HTTP API requests (tier 2)"), dec("118.8"));
        assert_eq!(total(&e), dec("418.8"));

        // AWS Pricing Example 2: "25 call/minute * 60 minutes/hour * 24 hours/day * 30
        // days/month * 4.5 MB/512 KB/request = 9,720,000 requests per month * $1/million =
        // $9.72". 25 x 60 x 24 x 30 = 1,080,000 calls of 4.5 MB = 4,608 KB = 9 increments.
        let e = us(r#"kind = "api_gateway"
api_type = "http"
monthly_requests = 1_080_000
avg_request_kb = 4608"#);
        assert_eq!(qty(&e, "HTTP API requests"), dec("9.72"));
        assert_eq!(cost(&e, "HTTP API requests"), dec("9.72"));
        assert!(has_note(
            line(&e, "HTTP API requests"),
            "metered as 9 requests"
        ));
        // "a request with 513 KB of data is metered as two requests"
        let e = us(r#"kind = "api_gateway"
api_type = "http"
monthly_requests = 1_000_000
avg_request_kb = 513"#);
        assert_eq!(cost(&e, "HTTP API requests"), dec("2"));
    }

    #[test]
    fn aws_rest_caching_example() {
        // AWS: "If your API needs 1.5 GB of cache for its data, you can provision a 1.6 GB
        // cache at $0.038/hr. $0.038 * 24 = $0.912/day"
        let e = us(r#"kind = "api_gateway"
api_type = "rest"
monthly_requests = 0
cache_size_gb = "1.6"
cache_hours = 24"#);
        assert_eq!(cost(&e, "REST API cache (1.6 GB)"), dec("0.912"));
        // All month (730 h): 0.5 GB 730 x $0.02 = $14.60; 237 GB 730 x $3.80 = $2,774
        for (size, want) in [("0.5", "14.60"), ("237", "2774")] {
            let e = us(&format!(
                "kind = \"api_gateway\"\napi_type = \"rest\"\ncache_size_gb = \"{size}\""
            ));
            assert_eq!(cost(&e, &format!("REST API cache ({size} GB)")), dec(want));
        }
        // The cache is not in the free tier: only the 1M requests are credited.
        let e = us_with(
            r#"free_tier = "legacy-12-month""#,
            "kind = \"api_gateway\"\napi_type = \"rest\"\nmonthly_requests = 1_000_000\ncache_size_gb = \"0.5\"",
        );
        assert_eq!(total(&e), dec("14.60"));
    }

    #[test]
    fn aws_websocket_chat_example() {
        // AWS: "Chat Application: 1000 users are connected to the chat application for 12
        // hours in a day. Each user sends 100 messages and receives 500 messages per day. Each
        // message size is 3KB. Total messages per month = (100 + 500) * 1000 * 30 = 18M ...
        // 18,000,000/1,000,000 * $1.00 = $18. Total connection minutes per month = 1000 * 12 *
        // 60 * 30 = 21,600,000 ... 21,600,000/1,000,000 * 0.25 = $5.40. Total Cost = $23.40"
        let e = us(r#"kind = "api_gateway"
api_type = "websocket"
monthly_messages = 18_000_000
avg_message_kb = 3
connection_minutes = 21_600_000"#);
        assert_eq!(cost(&e, "WebSocket messages"), dec("18"));
        assert_eq!(cost(&e, "WebSocket connection minutes"), dec("5.40"));
        assert_eq!(total(&e), dec("23.40"));

        // Free tier (12 months): 1M messages (-$1.00) and 750,000 minutes (0.75 x $0.25 =
        // -$0.1875): 23.40 - 1.00 - 0.1875 = $22.2125
        let e = us_with(
            r#"free_tier = "legacy-12-month""#,
            r#"kind = "api_gateway"
api_type = "websocket"
monthly_messages = 18_000_000
connection_minutes = 21_600_000"#,
        );
        assert_eq!(cost(&e, "Free tier: WebSocket messages"), dec("-1.00"));
        assert_eq!(
            cost(&e, "Free tier: WebSocket connection minutes"),
            dec("-0.1875")
        );
        assert_eq!(total(&e), dec("22.2125"));
    }

    #[test]
    fn websocket_messages_are_metered_in_32_kb_increments_and_tiered() {
        // AWS: "a 33 KB message is metered as two messages": 1M x 2 = 2 (1M) x $1.00 = $2
        let e = us(r#"kind = "api_gateway"
api_type = "websocket"
monthly_messages = 1_000_000
avg_message_kb = 33"#);
        assert_eq!(cost(&e, "WebSocket messages"), dec("2"));
        assert!(has_note(
            line(&e, "WebSocket messages"),
            "metered as 2 messages"
        ));
        // 1.5B messages: first 1,000 (1M) x $1.00 = $1,000; next 500 x $0.80 = $400
        let e = us(
            "kind = \"api_gateway\"\napi_type = \"websocket\"\nmonthly_messages = 1_500_000_000",
        );
        assert_eq!(cost(&e, "WebSocket messages (tier 1)"), dec("1000"));
        assert_eq!(cost(&e, "WebSocket messages (tier 2)"), dec("400"));
        // 200 clients connected all month: 200 x 730 h x 60 = 8,760,000 minutes x $0.25/1M
        // = $2.19
        let e = us("kind = \"api_gateway\"\napi_type = \"websocket\"\navg_connections = 200");
        assert_eq!(qty(&e, "WebSocket connection minutes"), dec("8.76"));
        assert_eq!(cost(&e, "WebSocket connection minutes"), dec("2.19"));
        // Nothing stated: both lines depend on usage.
        let e = us("kind = \"api_gateway\"\napi_type = \"websocket\"");
        for l in ["WebSocket messages", "WebSocket connection minutes"] {
            assert!(has_note(line(&e, l), "depends on usage"), "{l}");
        }
    }

    #[test]
    fn websocket_usage_is_not_taken_from_the_traffic() {
        let text = r#"region = "us-east-1"

[traffic]
avg_rps = 10
duration_ms = 100

[phases.p.resources.ws]
kind = "api_gateway"
api_type = "websocket"
"#;
        let plan = crate::testkit::plan(text);
        let e = &plan.estimate;
        let l = crate::testkit::phase_line(e, 0, "WebSocket messages");
        assert_eq!(l.monthly_cost, dec("0"));
        assert!(
            has_note(l, "not turned into WebSocket messages"),
            "{:?}",
            l.notes
        );
    }

    #[test]
    fn keys_of_another_api_type_are_refused() {
        for (api, body, key) in [
            ("websocket", "monthly_requests = 10", "monthly_requests"),
            ("http", "cache_size_gb = \"0.5\"", "cache_size_gb"),
            ("rest", "avg_request_kb = 600", "avg_request_kb"),
            ("rest", "connection_minutes = 10", "connection_minutes"),
            ("rest", "cache_hours = 10", "cache_hours"),
            ("websocket", "avg_message_kb = 129", "avg_message_kb"),
            (
                "websocket",
                "connection_minutes = 1\navg_connections = 1",
                "avg_connections",
            ),
        ] {
            let e = err(&scenario(
                "us-east-1",
                "",
                &format!("kind = \"api_gateway\"\napi_type = \"{api}\"\n{body}"),
            ));
            assert!(e.contains(key), "{api} {key}: {e}");
        }
        let e = err(&scenario(
            "us-east-1",
            "",
            "kind = \"api_gateway\"\napi_type = \"rest\"\ncache_size_gb = \"2\"",
        ));
        assert!(e.contains("cache_size_gb") && e.contains("1.6"), "{e}");
        let e = err(&scenario(
            "us-east-1",
            "",
            "kind = \"api_gateway\"\napi_type = \"rest\"\ncache_size_gb = \"0.5\"\ncache_hours = 800",
        ));
        assert!(e.contains("cache_hours"), "{e}");
    }

    #[test]
    fn tokyo_has_no_websocket_or_cache_prices_yet() {
        let e = err(&scenario(
            "ap-northeast-1",
            "",
            "kind = \"api_gateway\"\napi_type = \"websocket\"\nmonthly_messages = 1000",
        ));
        assert!(e.contains("api_gateway.websocket.messages"), "{e}");
        // Unstated usage with no price: a "depends on usage" line, not an error.
        let e = tokyo("kind = \"api_gateway\"\napi_type = \"websocket\"");
        assert!(has_note(line(&e, "WebSocket messages"), "depends on usage"));
    }
}
