//! AWS KMS: customer-managed keys per month plus requests, priced by request type: symmetric
//! (the 20,000 free a month apply to these), asymmetric other than RSA 2048, RSA 2048, and the
//! ECC and RSA GenerateDataKeyPair calls. AWS-managed and AWS-owned keys are free.

use serde::Deserialize;

use super::{Ctx, Resource, Usage};
use crate::num::{Count, NonNeg};
use crate::pricing::PriceError;

#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Kms {
    /// Customer-managed keys: symmetric, asymmetric, HMAC, each multi-Region primary and
    /// replica, imported or in a custom key store, all $1 a key-month.
    pub keys: Count,
    /// Requests to symmetric keys (Encrypt, Decrypt, GenerateDataKey, ...).
    #[serde(default)]
    pub requests: Option<NonNeg>,
    /// Requests to asymmetric keys other than RSA 2048 (RSA 3072/4096, ECC).
    #[serde(default)]
    pub asymmetric_requests: Option<NonNeg>,
    /// Requests to RSA 2048 asymmetric keys.
    #[serde(default)]
    pub rsa_2048_requests: Option<NonNeg>,
    /// GenerateDataKeyPair(WithoutPlaintext) requests for ECC key pairs.
    #[serde(default)]
    pub ecc_data_key_pair_requests: Option<NonNeg>,
    /// GenerateDataKeyPair(WithoutPlaintext) requests for RSA key pairs.
    #[serde(default)]
    pub rsa_data_key_pair_requests: Option<NonNeg>,
}

impl Resource for Kms {
    fn price(&self, ctx: &mut Ctx) -> Result<(), PriceError> {
        ctx.baseline("Customer managed keys", "kms.key", self.keys.dec())?;
        ctx.usage("Requests", "kms.requests", Usage::of(self.requests))?;
        // The other request types are shown only when stated: most keys are symmetric.
        ctx.stated_usages(&[
            (
                "Asymmetric requests (except RSA 2048)",
                "kms.requests.asymmetric",
                self.asymmetric_requests,
            ),
            (
                "RSA 2048 requests",
                "kms.requests.rsa_2048",
                self.rsa_2048_requests,
            ),
            (
                "ECC GenerateDataKeyPair requests",
                "kms.requests.data_key_pair.ecc",
                self.ecc_data_key_pair_requests,
            ),
            (
                "RSA GenerateDataKeyPair requests",
                "kms.requests.data_key_pair.rsa",
                self.rsa_data_key_pair_requests,
            ),
        ])?;
        Ok(())
    }
}

impl super::Kind for Kms {}

#[cfg(test)]
mod tests {
    //! Hand-checked figures; where their unit prices come from: `crate::testkit`.

    use crate::testkit::{cost, dec, err, has_line, lines, scenario, total, us_with};

    #[test]
    fn kms_keys_and_requests_with_free_tier() {
        let e = us_with(
            r#"free_tier = "always""#,
            r#"kind = "kms"
keys = 3
requests = 2_000_000"#,
        );
        // 3 x $1.00 = $3
        assert_eq!(cost(&e, "Customer managed keys"), dec("3"));
        // 2M / 10K = 200 x $0.03 = $6; free 20,000 = 2 x $0.03 = -$0.06
        assert_eq!(cost(&e, "Requests"), dec("6"));
        assert_eq!(cost(&e, "Free tier: Requests"), dec("-0.06"));
        assert_eq!(total(&e), dec("8.94"));
    }

    #[test]
    fn kms_asymmetric_and_data_key_pair_requests_outside_the_free_tier() {
        let e = us_with(
            r#"free_tier = "always""#,
            r#"kind = "kms"
keys = 2
requests = 10_000
asymmetric_requests = 100_000
rsa_2048_requests = 50_000
ecc_data_key_pair_requests = 30_000
rsa_data_key_pair_requests = 1_000"#,
        );
        // 2 x $1.00 = $2
        assert_eq!(cost(&e, "Customer managed keys"), dec("2"));
        // symmetric: 10,000 / 10K = 1 x $0.03 = $0.03, all within the free 20,000: -$0.03
        assert_eq!(cost(&e, "Free tier: Requests"), dec("-0.03"));
        // 100,000 / 10K = 10 x $0.15 (kms.requests.asymmetric) = $1.50
        assert_eq!(
            cost(&e, "Asymmetric requests (except RSA 2048)"),
            dec("1.5")
        );
        // 50,000 / 10K = 5 x $0.03 (kms.requests.rsa_2048) = $0.15
        assert_eq!(cost(&e, "RSA 2048 requests"), dec("0.15"));
        // 30,000 / 10K = 3 x $0.10 (kms.requests.data_key_pair.ecc) = $0.30
        assert_eq!(cost(&e, "ECC GenerateDataKeyPair requests"), dec("0.3"));
        // 1,000 / 10K = 0.1 x $12.00 (kms.requests.data_key_pair.rsa) = $1.20
        assert_eq!(cost(&e, "RSA GenerateDataKeyPair requests"), dec("1.2"));
        // none of the asymmetric lines gets a free-tier credit (AWS excludes them)
        assert_eq!(
            lines(&e)
                .iter()
                .filter(|l| l.component.starts_with("Free tier"))
                .count(),
            1
        );
        // 2 + 0.03 - 0.03 + 1.50 + 0.15 + 0.30 + 1.20 = $5.15
        assert_eq!(total(&e), dec("5.15"));
    }

    #[test]
    fn kms_unstated_request_types_have_no_line_and_tokyo_asymmetric_is_missing() {
        let e = crate::testkit::us(
            r#"kind = "kms"
keys = 1"#,
        );
        assert!(!has_line(&e, "RSA 2048 requests"));
        // Tokyo has no checkable asymmetric price: reported, not guessed.
        let msg = err(&scenario(
            "ap-northeast-1",
            "",
            r#"kind = "kms"
keys = 1
asymmetric_requests = 10000"#,
        ));
        assert!(msg.contains("kms.requests.asymmetric"), "{msg}");
    }
}
