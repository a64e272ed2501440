//! S3: storage per class (GB-month, tiered where AWS tiers it) and requests.

use serde::Deserialize;

use super::{Ctx, Resource, Usage};
use crate::num::NonNeg;
use crate::pricing::PriceError;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct S3 {
    #[serde(default)]
    pub standard_gb: Option<NonNeg>,
    #[serde(default)]
    pub standard_ia_gb: Option<NonNeg>,
    #[serde(default)]
    pub glacier_ir_gb: Option<NonNeg>,
    #[serde(default)]
    pub glacier_flexible_gb: Option<NonNeg>,
    #[serde(default)]
    pub deep_archive_gb: Option<NonNeg>,
    /// PUT, COPY, POST and LIST requests per month.
    #[serde(default)]
    pub put_requests: Option<NonNeg>,
    /// GET and other requests per month.
    #[serde(default)]
    pub get_requests: Option<NonNeg>,
}

impl Resource for S3 {
    fn price(&self, ctx: &mut Ctx) -> Result<(), PriceError> {
        ctx.usage(
            "Standard storage",
            "s3.standard.storage",
            Usage::of(self.standard_gb),
        )?;
        for (label, key, v) in [
            (
                "Standard-IA storage",
                "s3.standard_ia.storage",
                self.standard_ia_gb,
            ),
            (
                "Glacier Instant Retrieval storage",
                "s3.glacier_ir.storage",
                self.glacier_ir_gb,
            ),
            (
                "Glacier Flexible Retrieval storage",
                "s3.glacier_flexible.storage",
                self.glacier_flexible_gb,
            ),
            (
                "Glacier Deep Archive storage",
                "s3.deep_archive.storage",
                self.deep_archive_gb,
            ),
        ] {
            // Colder classes are shown only when used: most buckets have none.
            if v.is_some() {
                ctx.usage(label, key, Usage::of(v))?;
            }
        }
        ctx.usage(
            "PUT/COPY/POST/LIST requests",
            "s3.requests.put",
            Usage::of(self.put_requests),
        )?;
        ctx.usage(
            "GET requests",
            "s3.requests.get",
            Usage::of(self.get_requests),
        )?;
        Ok(())
    }
}

impl super::Kind for S3 {}
