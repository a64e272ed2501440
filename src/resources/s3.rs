//! S3: storage per class (GB-month, tiered where AWS tiers it) and requests.

use serde::Deserialize;

use super::{Ctx, Resource, Usage};
use crate::num::NonNeg;
use crate::pricing::PriceError;

#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
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

#[cfg(test)]
mod tests {
    //! Hand-checked figures; where their unit prices come from: `crate::testkit`.

    use crate::testkit::{cost, dec, has_line, qty, total, us, us_with};

    #[test]
    fn s3_storage_classes_and_requests() {
        let e = us(r#"kind = "s3"
standard_gb = 1000
glacier_flexible_gb = 500
deep_archive_gb = 1000
put_requests = 100_000
get_requests = 1_000_000"#);
        // 1,000 GB x $0.023 (s3.standard.storage) = $23
        assert_eq!(cost(&e, "Standard storage"), dec("23"));
        // 500 GB x $0.0036 (s3.glacier_flexible.storage) = $1.80
        assert_eq!(cost(&e, "Glacier Flexible Retrieval storage"), dec("1.80"));
        // 1,000 GB x $0.00099 (s3.deep_archive.storage) = $0.99
        assert_eq!(cost(&e, "Glacier Deep Archive storage"), dec("0.99"));
        // 100,000 / 1,000 = 100 x $0.005 (s3.requests.put) = $0.50
        assert_eq!(qty(&e, "PUT/COPY/POST/LIST requests"), dec("100"));
        assert_eq!(cost(&e, "PUT/COPY/POST/LIST requests"), dec("0.50"));
        // 1,000,000 / 1,000 = 1,000 x $0.0004 (s3.requests.get) = $0.40
        assert_eq!(cost(&e, "GET requests"), dec("0.40"));
        // classes not given are not shown
        assert!(!has_line(&e, "Standard-IA storage"));
        assert_eq!(total(&e), dec("26.69"));
    }

    #[test]
    fn s3_new_account_free_tier() {
        let e = us_with(
            r#"free_tier = "legacy-12-month""#,
            r#"kind = "s3"
standard_gb = 1000
put_requests = 100_000
get_requests = 1_000_000"#,
        );
        // 5 GB free: -5 x $0.023 = -$0.115
        assert_eq!(cost(&e, "Free tier: Standard storage"), dec("-0.115"));
        // 2,000 PUT free = 2 (1K) x $0.005 = -$0.01
        assert_eq!(
            cost(&e, "Free tier: PUT/COPY/POST/LIST requests"),
            dec("-0.01")
        );
        // 20,000 GET free = 20 (1K) x $0.0004 = -$0.008
        assert_eq!(cost(&e, "Free tier: GET requests"), dec("-0.008"));
        // 23 + 0.50 + 0.40 - 0.115 - 0.01 - 0.008 = 23.767
        assert_eq!(total(&e), dec("23.767"));
    }
}
