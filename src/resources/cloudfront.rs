//! CloudFront: data transfer out (tiered by the region's edge pricing) and requests.

use serde::Deserialize;

use super::{Ctx, Resource, Usage};
use super::{Derived, UnitVolume, UsageKey, Volume};
use crate::num::NonNeg;
use crate::pricing::PriceError;

#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CloudFront {
    /// GB delivered to viewers per month.
    #[serde(default)]
    pub data_out_gb: Option<NonNeg>,
    #[serde(default)]
    pub https_requests: Option<NonNeg>,
    #[serde(default)]
    pub http_requests: Option<NonNeg>,
}

impl Resource for CloudFront {
    fn derive_usage(&self, month: &Volume, _: Option<&UnitVolume>) -> Derived {
        let mut d = Derived::new();
        d.count(UsageKey::HttpsRequests, month.requests);
        if month.response_bytes > 0.0 {
            d.amount(UsageKey::DataOutGb, month.gb(month.response_bytes));
        }
        d
    }

    fn price(&self, ctx: &mut Ctx) -> Result<(), PriceError> {
        let data_out = ctx.stated_or_derived(self.data_out_gb, UsageKey::DataOutGb);
        ctx.usage("Data transfer out", "cloudfront.data_out", data_out)?;
        let https = ctx.stated_or_derived(self.https_requests, UsageKey::HttpsRequests);
        ctx.usage("HTTPS requests", "cloudfront.requests.https", https)?;
        if self.http_requests.is_some() {
            ctx.usage(
                "HTTP requests",
                "cloudfront.requests.http",
                Usage::of(self.http_requests),
            )?;
        }
        Ok(())
    }
}

impl super::Kind for CloudFront {}

#[cfg(test)]
mod tests {
    //! Hand-checked figures; where their unit prices come from: `crate::testkit`.

    use crate::testkit::{cost, dec, qty, total, us, us_with};

    #[test]
    fn cloudfront_data_out_crosses_first_tier() {
        let e = us(r#"kind = "cloudfront"
data_out_gb = 12000
https_requests = 50_000_000
http_requests = 1_000_000"#);
        // first 10 TB = 10,240 GB x $0.085 = $870.40
        assert_eq!(qty(&e, "Data transfer out (tier 1)"), dec("10240"));
        assert_eq!(cost(&e, "Data transfer out (tier 1)"), dec("870.40"));
        // remaining 12,000 - 10,240 = 1,760 GB x $0.080 = $140.80
        assert_eq!(qty(&e, "Data transfer out (tier 2)"), dec("1760"));
        assert_eq!(cost(&e, "Data transfer out (tier 2)"), dec("140.80"));
        // 50M / 10K = 5,000 x $0.0100 (cloudfront.requests.https) = $50
        assert_eq!(cost(&e, "HTTPS requests"), dec("50"));
        // 1M / 10K = 100 x $0.0075 (cloudfront.requests.http) = $0.75
        assert_eq!(cost(&e, "HTTP requests"), dec("0.75"));
    }

    #[test]
    fn cloudfront_always_free_tier() {
        let e = us_with(
            r#"free_tier = "always""#,
            r#"kind = "cloudfront"
data_out_gb = 2000
https_requests = 50_000_000"#,
        );
        // 2,000 GB x $0.085 = $170; free 1 TB = 1,024 GB x $0.085 = -$87.04
        assert_eq!(cost(&e, "Data transfer out"), dec("170"));
        assert_eq!(cost(&e, "Free tier: Data transfer out"), dec("-87.04"));
        // free 10M requests = 1,000 (10K) x $0.01 = -$10
        assert_eq!(cost(&e, "Free tier: HTTPS requests"), dec("-10"));
        // 170 + 50 - 87.04 - 10 = 122.96
        assert_eq!(total(&e), dec("122.96"));
    }

    #[test]
    fn cloudfront_request_allowance_is_shared_by_http_and_https() {
        let e = us_with(
            r#"free_tier = "always""#,
            r#"kind = "cloudfront"
https_requests = 5_000_000
http_requests = 20_000_000"#,
        );
        // HTTPS 500 (10K) x $0.01 = $5; HTTP 2,000 x $0.0075 = $15
        // 10M free requests = 1,000 (10K) once, HTTPS first: -500 x $0.01 = -$5;
        // HTTP the other 500: -500 x $0.0075 = -$3.75
        assert_eq!(cost(&e, "Free tier: HTTPS requests"), dec("-5"));
        assert_eq!(cost(&e, "Free tier: HTTP requests"), dec("-3.75"));
        // 5 + 15 - 5 - 3.75 = 11.25 (data out: depends on usage, $0)
        assert_eq!(total(&e), dec("11.25"));
    }
}
