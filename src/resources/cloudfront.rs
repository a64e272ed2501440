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
        let u = |v: Option<NonNeg>| Usage::stated(v.map(|x| x.0));
        ctx.usage(
            "Data transfer out",
            "cloudfront.data_out",
            u(self.data_out_gb),
        )?;
        ctx.usage(
            "HTTPS requests",
            "cloudfront.requests.https",
            u(self.https_requests),
        )?;
        if self.http_requests.is_some() {
            ctx.usage(
                "HTTP requests",
                "cloudfront.requests.http",
                u(self.http_requests),
            )?;
        }
        Ok(())
    }
}
