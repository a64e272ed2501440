//! CloudFront: data transfer out (tiered by the region's edge pricing) and requests.

use serde::Deserialize;

use super::{Ctx, Resource, Usage};
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
    fn price(&self, ctx: &mut Ctx) -> Result<(), PriceError> {
        let data_out = ctx.stated_or_derived(self.data_out_gb, "data_out_gb");
        ctx.usage("Data transfer out", "cloudfront.data_out", data_out)?;
        let https = ctx.stated_or_derived(self.https_requests, "https_requests");
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
