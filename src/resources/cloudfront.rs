//! CloudFront: data transfer out (tiered by the region's edge pricing) and requests.

use serde::Deserialize;

use super::{Ctx, Resource, Usage};
use super::{Derived, UnitVolume, UsageKey, Volume};
use crate::num::NonNeg;
use crate::pricing::PriceError;

#[derive(Debug, Clone, Deserialize)]
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
