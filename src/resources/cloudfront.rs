//! CloudFront: data transfer out (tiered by edge region), requests, data transfer to the
//! origin, invalidations, and the optional features: field-level encryption, real-time logs,
//! Origin Shield and dedicated-IP custom SSL certificates.
//!
//! CloudFront prices are global: they depend on where the viewers are (the edge location's
//! geographic region), not on the scenario's AWS region. Without `viewer_regions` the kind
//! prices all traffic at the book's own edge keys (`cloudfront.data_out`, ...: the edge region
//! near the book's AWS region, United States for us-east-1, Japan for ap-northeast-1). With
//! `viewer_regions`, each region's share of the traffic is priced at that region's keys
//! (`cloudfront.data_out.japan`, ...), each with its own volume tiers: AWS measures the tiers
//! separately per geographic region.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Deserialize;

use super::{Ctx, FieldError, Resource, Usage};
use super::{Derived, UnitVolume, UsageKey, Volume};
use crate::num::{Count, NonNeg, Percent};
use crate::pricing::{Catalog, PriceError};

/// A CloudFront geographic region (the columns of AWS's pricing table).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ViewerRegion {
    /// United States, Mexico and Canada.
    UnitedStates,
    /// Europe, Israel and Türkiye.
    Europe,
    /// South Africa, Kenya, Nigeria and the Middle East.
    MiddleEastAfrica,
    /// South America.
    SouthAmerica,
    /// Japan.
    Japan,
    /// Australia and New Zealand.
    Australia,
    /// Hong Kong, Indonesia, Philippines, Singapore, South Korea, Taiwan, Thailand (and, on the
    /// pricing page, Malaysia and Vietnam).
    AsiaPacific,
    /// India.
    India,
}

impl ViewerRegion {
    /// Price-key suffix.
    pub fn key(self) -> &'static str {
        match self {
            ViewerRegion::UnitedStates => "united_states",
            ViewerRegion::Europe => "europe",
            ViewerRegion::MiddleEastAfrica => "middle_east_africa",
            ViewerRegion::SouthAmerica => "south_america",
            ViewerRegion::Japan => "japan",
            ViewerRegion::Australia => "australia",
            ViewerRegion::AsiaPacific => "asia_pacific",
            ViewerRegion::India => "india",
        }
    }

    /// The name on cost lines.
    pub fn label(self) -> &'static str {
        match self {
            ViewerRegion::UnitedStates => "United States/Mexico/Canada",
            ViewerRegion::Europe => "Europe/Israel",
            ViewerRegion::MiddleEastAfrica => "South Africa/Kenya/Middle East",
            ViewerRegion::SouthAmerica => "South America",
            ViewerRegion::Japan => "Japan",
            ViewerRegion::Australia => "Australia/New Zealand",
            ViewerRegion::AsiaPacific => "Hong Kong/Singapore/South Korea/Taiwan/...",
            ViewerRegion::India => "India",
        }
    }
}

/// A distribution's price class: which edge regions serve it. Regions per
/// <https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/PriceClass.html>.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, schemars::JsonSchema)]
pub enum PriceClass {
    /// United States/Mexico/Canada, Europe/Israel.
    #[serde(rename = "PriceClass_100")]
    P100,
    /// PriceClass_100 plus South Africa/Kenya/Middle East, Japan, Hong Kong/Singapore/...
    /// and India (not South America, not Australia/New Zealand).
    #[serde(rename = "PriceClass_200")]
    P200,
    /// Every edge region (the default).
    #[default]
    #[serde(rename = "PriceClass_All")]
    All,
}

impl PriceClass {
    fn name(self) -> &'static str {
        match self {
            PriceClass::P100 => "PriceClass_100",
            PriceClass::P200 => "PriceClass_200",
            PriceClass::All => "PriceClass_All",
        }
    }

    /// Whether the class has edge locations in `region`.
    pub fn serves(self, region: ViewerRegion) -> bool {
        use ViewerRegion::*;
        match self {
            PriceClass::All => true,
            PriceClass::P200 => !matches!(region, SouthAmerica | Australia),
            PriceClass::P100 => matches!(region, UnitedStates | Europe),
        }
    }
}

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
    /// Share of the traffic (data out, requests, data to origin; stated or simulated) per
    /// viewer region, in percent, summing to 100, e.g. `{ japan = 70, united_states = 30 }`.
    /// Default: all traffic at the book's own edge keys (United States for us-east-1, Japan
    /// for ap-northeast-1).
    #[serde(default)]
    pub viewer_regions: Option<BTreeMap<ViewerRegion, Percent>>,
    /// `PriceClass_100`, `PriceClass_200` or `PriceClass_All` (default): a viewer region
    /// outside the class is an error.
    #[serde(default)]
    pub price_class: Option<PriceClass>,
    /// GB sent from the edge to the origin per month (POST/PUT bodies and the like).
    #[serde(default)]
    pub data_to_origin_gb: Option<NonNeg>,
    /// Paths requested for invalidation per month (the first 1,000 per account are free).
    #[serde(default)]
    pub invalidation_paths: Option<NonNeg>,
    /// HTTPS requests a month that CloudFront encrypts with field-level encryption (charged on
    /// top of the HTTPS request price). Stated only.
    #[serde(default)]
    pub field_level_encryption_requests: Option<NonNeg>,
    /// Real-time log lines published a month. Stated only (it depends on the sampling rate).
    #[serde(default)]
    pub realtime_log_lines: Option<NonNeg>,
    /// Requests a month that reach Origin Shield (about the edge caches' misses). Stated only:
    /// this kind models no cache hit ratio.
    #[serde(default)]
    pub origin_shield_requests: Option<NonNeg>,
    /// The AWS Region of the Origin Shield (e.g. `us-east-1`): its requests are priced at
    /// `cloudfront.origin_shield.<region>`. Required with `origin_shield_requests`.
    #[serde(default)]
    pub origin_shield_region: Option<String>,
    /// Custom SSL certificates served on dedicated IPs (certificate-months).
    #[serde(default)]
    pub dedicated_ip_certificates: Option<Count>,
}

/// The API's pattern for an Origin Shield region code (`OriginShieldRegion`: `[a-z]{2}-[a-z]+-\d`).
fn is_region_code(s: &str) -> bool {
    let mut parts = s.split('-');
    let (Some(a), Some(b), Some(c), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    a.len() == 2
        && a.bytes().all(|c| c.is_ascii_lowercase())
        && !b.is_empty()
        && b.bytes().all(|c| c.is_ascii_lowercase())
        && c.len() == 1
        && c.bytes().all(|c| c.is_ascii_digit())
}

impl CloudFront {
    /// The traffic split: each region with its fraction; `None` for the default (one edge).
    fn split(&self) -> Option<Vec<(ViewerRegion, Decimal)>> {
        self.viewer_regions
            .as_ref()
            .map(|m| m.iter().map(|(r, p)| (*r, p.fraction())).collect())
    }

    /// Price `usage` at `key` (default) or, with a split, at `key.<region>` for each region's
    /// share.
    fn split_usage(
        &self,
        ctx: &mut Ctx,
        component: &str,
        key: &str,
        usage: Usage,
    ) -> Result<(), PriceError> {
        match self.split() {
            None => {
                ctx.usage(component, key, usage)?;
            }
            Some(split) => {
                for (region, share) in split {
                    ctx.usage(
                        &format!("{component} ({})", region.label()),
                        &format!("{key}.{}", region.key()),
                        usage.map(|v| v * share),
                    )?;
                }
            }
        }
        Ok(())
    }
}

impl CloudFront {
    /// Without `viewer_regions` every viewer is at the book's own edge (United States for
    /// us-east-1, Japan for ap-northeast-1); a `price_class` without that edge would serve them
    /// from other edges, at other rates, so it is refused rather than priced at the own edge.
    fn check_own_edge(&self, book_region: &str) -> Result<(), PriceError> {
        let (Some(class), None) = (self.price_class, &self.viewer_regions) else {
            return Ok(());
        };
        let edge = match book_region {
            "us-east-1" => ViewerRegion::UnitedStates,
            "ap-northeast-1" => ViewerRegion::Japan,
            _ => return Ok(()),
        };
        if class.serves(edge) {
            return Ok(());
        }
        Err(PriceError {
            message: format!(
                "`price_class` = \"{}\" has no edge locations in `{}` ({}), the edge the {book_region} book prices when `viewer_regions` is not given",
                class.name(),
                edge.key(),
                edge.label()
            ),
            help: Some(format!(
                "give `viewer_regions` (the viewers' shares, in regions the class serves), or choose a price_class with `{}`",
                edge.key()
            )),
            missing: None,
        })
    }
}

impl CloudFront {
    fn validate_features(&self) -> Result<(), FieldError> {
        if let (Some(fle), Some(https)) =
            (self.field_level_encryption_requests, self.https_requests)
        {
            if fle.0 > https.0 {
                return Err(FieldError::new(
                    "field_level_encryption_requests",
                    format!(
                        "field-level encryption applies to HTTPS requests: {} is more than https_requests ({})",
                        fle.0, https.0
                    ),
                ));
            }
        }
        match (&self.origin_shield_requests, &self.origin_shield_region) {
            (Some(_), None) => Err(FieldError::new(
                "origin_shield_requests",
                "give `origin_shield_region` (e.g. \"us-east-1\"): Origin Shield requests are priced by the shield's region",
            )),
            (None, Some(_)) => Err(FieldError::new(
                "origin_shield_region",
                "give `origin_shield_requests` (requests a month that reach Origin Shield; they are not derived from traffic: this kind models no cache hit ratio)",
            )),
            (_, Some(r)) if !is_region_code(r) => Err(FieldError::new(
                "origin_shield_region",
                format!("`{r}` is not an AWS Region code (like \"us-east-1\")"),
            )),
            _ => Ok(()),
        }
    }
}

impl Resource for CloudFront {
    fn validate(&self, _: &Catalog) -> Result<(), FieldError> {
        self.validate_features()?;
        let Some(regions) = &self.viewer_regions else {
            return Ok(());
        };
        let sum: Decimal = regions.values().map(|p| p.0).sum();
        if sum != Decimal::ONE_HUNDRED {
            return Err(FieldError::new(
                "viewer_regions",
                format!("the viewer-region shares must sum to 100 (percent), got {sum}"),
            ));
        }
        let class = self.price_class.unwrap_or_default();
        if let Some(r) = regions.keys().find(|r| !class.serves(**r)) {
            return Err(FieldError::new(
                "viewer_regions",
                format!(
                    "{} has no edge locations in `{}` ({}); choose a wider price_class or move that share",
                    class.name(),
                    r.key(),
                    r.label()
                ),
            ));
        }
        Ok(())
    }

    fn derive_usage(&self, month: &Volume, _: Option<&UnitVolume>) -> Derived {
        let mut d = Derived::new();
        d.count(UsageKey::HttpsRequests, month.requests);
        if month.response_bytes > 0.0 {
            d.amount(UsageKey::DataOutGb, month.gb(month.response_bytes));
        }
        d
    }

    fn price(&self, ctx: &mut Ctx) -> Result<(), PriceError> {
        self.check_own_edge(ctx.region())?;
        let data_out = ctx.stated_or_derived(self.data_out_gb, UsageKey::DataOutGb);
        self.split_usage(ctx, "Data transfer out", "cloudfront.data_out", data_out)?;
        let https = ctx.stated_or_derived(self.https_requests, UsageKey::HttpsRequests);
        self.split_usage(ctx, "HTTPS requests", "cloudfront.requests.https", https)?;
        if self.http_requests.is_some() {
            self.split_usage(
                ctx,
                "HTTP requests",
                "cloudfront.requests.http",
                Usage::of(self.http_requests),
            )?;
        }
        if self.data_to_origin_gb.is_some() {
            self.split_usage(
                ctx,
                "Data transfer to origin",
                "cloudfront.data_to_origin",
                Usage::of(self.data_to_origin_gb),
            )?;
        }
        if self.invalidation_paths.is_some() {
            ctx.usage(
                "Invalidation paths",
                "cloudfront.invalidations",
                Usage::of(self.invalidation_paths),
            )?;
        }
        // The optional features have one global price each (not per viewer region), except
        // Origin Shield, priced by the shield's AWS Region.
        if self.field_level_encryption_requests.is_some() {
            ctx.usage(
                "Field-level encryption requests",
                "cloudfront.field_level_encryption",
                Usage::of(self.field_level_encryption_requests),
            )?;
        }
        if self.realtime_log_lines.is_some() {
            ctx.usage(
                "Real-time log lines",
                "cloudfront.realtime_logs",
                Usage::of(self.realtime_log_lines),
            )?;
        }
        if let (Some(n), Some(region)) = (self.origin_shield_requests, &self.origin_shield_region) {
            ctx.usage(
                &format!("Origin Shield requests ({region})"),
                &format!("cloudfront.origin_shield.{region}"),
                Usage::Stated(n.0),
            )?;
        }
        if let Some(n) = self.dedicated_ip_certificates {
            ctx.baseline(
                "Dedicated-IP custom SSL certificates",
                "cloudfront.dedicated_ip_certificate",
                n.dec(),
            )?;
        }
        Ok(())
    }
}

impl super::Kind for CloudFront {}
#[cfg(test)]
mod tests {
    //! Hand-checked figures; where their unit prices come from: `crate::testkit`.

    use crate::testkit::{cost, dec, err, has_line, qty, scenario, tokyo, total, us, us_with};

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

    #[test]
    fn cloudfront_viewer_regions_split_data_out_and_requests() {
        let e = us(r#"kind = "cloudfront"
data_out_gb = 20000
https_requests = 10_000_000
http_requests = 1_000_000
viewer_regions = { japan = 70, united_states = 30 }"#);
        // Japan 70%: 14,000 GB; first 10 TB = 10,240 GB x $0.114 = $1,167.36,
        // next 3,760 GB x $0.089 = $334.64 (cloudfront.data_out.japan)
        assert_eq!(qty(&e, "Data transfer out (Japan) (tier 1)"), dec("10240"));
        assert_eq!(
            cost(&e, "Data transfer out (Japan) (tier 1)"),
            dec("1167.36")
        );
        assert_eq!(qty(&e, "Data transfer out (Japan) (tier 2)"), dec("3760"));
        assert_eq!(
            cost(&e, "Data transfer out (Japan) (tier 2)"),
            dec("334.64")
        );
        // US 30%: 6,000 GB, all in the first tier (tiers are counted per region):
        // 6,000 x $0.085 = $510
        let us_out = "Data transfer out (United States/Mexico/Canada)";
        assert_eq!(qty(&e, us_out), dec("6000"));
        assert_eq!(cost(&e, us_out), dec("510"));
        // HTTPS: Japan 7M = 700 (10K) x $0.012 = $8.40; US 3M = 300 x $0.0100 = $3
        assert_eq!(cost(&e, "HTTPS requests (Japan)"), dec("8.4"));
        assert_eq!(
            cost(&e, "HTTPS requests (United States/Mexico/Canada)"),
            dec("3")
        );
        // HTTP: Japan 700K = 70 x $0.009 = $0.63; US 300K = 30 x $0.0075 = $0.225
        assert_eq!(cost(&e, "HTTP requests (Japan)"), dec("0.63"));
        assert_eq!(
            cost(&e, "HTTP requests (United States/Mexico/Canada)"),
            dec("0.225")
        );
        // 1167.36 + 334.64 + 510 + 8.40 + 3 + 0.63 + 0.225 = 2024.255
        assert_eq!(total(&e), dec("2024.255"));
        assert!(!has_line(&e, "Data transfer out"));
    }

    #[test]
    fn cloudfront_viewer_regions_apply_to_simulated_traffic() {
        // 10 req/s flat, 100,000 bytes per response: about 26.28M requests and 2,447.5 GB a
        // month (the draw is Poisson, so within 1 %), split 25 % Europe, 75 % Japan.
        let p = crate::testkit::plan(
            r#"region = "us-east-1"
[traffic]
avg_rps = 10
duration_ms = 100
response_bytes = 100000
[phases.p.resources.cdn]
kind = "cloudfront"
viewer_regions = { europe = 25, japan = 75 }"#,
        );
        let eu = crate::testkit::phase_line(&p.estimate, 0, "Data transfer out (Europe/Israel)");
        let jp = crate::testkit::phase_line(&p.estimate, 0, "Data transfer out (Japan)");
        assert_eq!(eu.usage_source, crate::estimate::UsageSource::Derived);
        let (eu_gb, jp_gb) = (
            crate::capacity::to_f64(eu.quantity),
            crate::capacity::to_f64(jp.quantity),
        );
        // 2,447.5 x 25 % = 611.9 GB; x 75 % = 1,835.6 GB
        assert!((eu_gb - 611.9).abs() < 6.2, "{eu_gb}");
        assert!((jp_gb - 1835.6).abs() < 18.4, "{jp_gb}");
        // the Japan share is three times the Europe share, exactly
        assert_eq!(jp.quantity, eu.quantity * dec("3"));
        // Japan's first tier: $0.114/GB (the cost is kept to 10 decimal places)
        assert!((jp.monthly_cost - jp.quantity * dec("0.114")).abs() < dec("0.000000001"));
        let https = crate::testkit::phase_line(&p.estimate, 0, "HTTPS requests (Japan)");
        assert_eq!(https.usage_source, crate::estimate::UsageSource::Derived);
    }

    #[test]
    fn cloudfront_free_terabyte_is_shared_across_regions() {
        let e = us_with(
            r#"free_tier = "always""#,
            r#"kind = "cloudfront"
data_out_gb = 1000
viewer_regions = { europe = 50, south_america = 50 }"#,
        );
        // Europe 500 GB x $0.085 = $42.50; South America 500 GB x $0.110 = $55
        assert_eq!(cost(&e, "Data transfer out (Europe/Israel)"), dec("42.5"));
        assert_eq!(cost(&e, "Data transfer out (South America)"), dec("55"));
        // One 1,024 GB allowance (group cloudfront-1tb-out) covers both regions' 1,000 GB:
        // 42.50 + 55 - 42.50 - 55 = 0
        assert_eq!(total(&e), dec("0"));
    }

    #[test]
    fn cloudfront_shares_must_sum_to_100() {
        let m = err(&scenario(
            "us-east-1",
            "",
            r#"kind = "cloudfront"
viewer_regions = { japan = 70, europe = 20 }"#,
        ));
        assert!(m.contains("must sum to 100"), "{m}");
        assert!(m.contains("got 90"), "{m}");
    }

    #[test]
    fn cloudfront_price_class_refuses_regions_outside_it() {
        let m = err(&scenario(
            "us-east-1",
            "",
            r#"kind = "cloudfront"
price_class = "PriceClass_100"
viewer_regions = { japan = 50, united_states = 50 }"#,
        ));
        assert!(
            m.contains("PriceClass_100 has no edge locations in `japan`"),
            "{m}"
        );
        let m = err(&scenario(
            "us-east-1",
            "",
            r#"kind = "cloudfront"
price_class = "PriceClass_200"
viewer_regions = { australia = 10, india = 90 }"#,
        ));
        assert!(m.contains("`australia`"), "{m}");
        // PriceClass_200 serves India, Japan and the Middle East: priced, not refused.
        let e = us(r#"kind = "cloudfront"
price_class = "PriceClass_200"
data_out_gb = 100
viewer_regions = { india = 50, middle_east_africa = 50 }"#);
        // India 50 GB x $0.109 = $5.45; Middle East 50 GB x $0.110 = $5.50
        assert_eq!(total(&e), dec("10.95"));
    }

    #[test]
    fn cloudfront_price_class_without_the_books_own_edge_is_refused() {
        // Without viewer_regions the Tokyo book prices Japan's edge, which PriceClass_100 does
        // not have: its viewers would be served (and billed) elsewhere.
        let m = err(&scenario(
            "ap-northeast-1",
            "",
            "kind = \"cloudfront\"\nprice_class = \"PriceClass_100\"\ndata_out_gb = 100",
        ));
        assert!(
            m.contains("`price_class` = \"PriceClass_100\" has no edge locations in `japan`"),
            "{m}"
        );
        // PriceClass_200 has Japan; every class has the United States.
        let e = tokyo("kind = \"cloudfront\"\nprice_class = \"PriceClass_200\"\ndata_out_gb = 100");
        // 100 GB x $0.114 (cloudfront.data_out, Japan) = $11.40
        assert_eq!(total(&e), dec("11.4"));
        let e = us("kind = \"cloudfront\"\nprice_class = \"PriceClass_100\"\ndata_out_gb = 100");
        // 100 GB x $0.085 (cloudfront.data_out, United States) = $8.50
        assert_eq!(total(&e), dec("8.5"));
    }

    #[test]
    fn cloudfront_data_to_origin_and_invalidations() {
        let e = us(r#"kind = "cloudfront"
data_to_origin_gb = 200
invalidation_paths = 3500
viewer_regions = { europe = 50, japan = 50 }"#);
        // to origin: Europe 100 GB x $0.020 = $2; Japan 100 GB x $0.060 = $6
        assert_eq!(
            cost(&e, "Data transfer to origin (Europe/Israel)"),
            dec("2")
        );
        assert_eq!(cost(&e, "Data transfer to origin (Japan)"), dec("6"));
        // invalidations: first 1,000 paths $0, the other 2,500 x $0.005 = $12.50
        assert_eq!(qty(&e, "Invalidation paths (tier 1)"), dec("1000"));
        assert_eq!(cost(&e, "Invalidation paths (tier 1)"), dec("0"));
        assert_eq!(qty(&e, "Invalidation paths (tier 2)"), dec("2500"));
        assert_eq!(cost(&e, "Invalidation paths (tier 2)"), dec("12.5"));
        // 2 + 6 + 12.50 = 20.50
        assert_eq!(total(&e), dec("20.5"));
    }

    #[test]
    fn cloudfront_default_data_to_origin_is_the_books_edge() {
        // Tokyo book: Japan edge, 50 GB x $0.060 = $3
        let e = tokyo(
            r#"kind = "cloudfront"
data_to_origin_gb = 50"#,
        );
        assert_eq!(cost(&e, "Data transfer to origin"), dec("3"));
    }

    #[test]
    fn cloudfront_unsourced_region_price_is_a_missing_price_error() {
        // No United States data-to-origin price could be sourced.
        let m = err(&scenario(
            "us-east-1",
            "",
            r#"kind = "cloudfront"
data_to_origin_gb = 10
viewer_regions = { united_states = 100 }"#,
        ));
        assert!(m.contains("cloudfront.data_to_origin.united_states"), "{m}");
    }

    #[test]
    fn cloudfront_field_level_encryption_and_realtime_logs() {
        let e = us(r#"kind = "cloudfront"
https_requests = 50_000_000
field_level_encryption_requests = 2_000_000
realtime_log_lines = 30_000_000"#);
        // AWS ('How AWS Pricing Works'): "$0.02 for every 10,000 requests that CloudFront
        // encrypts using field-level encryption in addition to the standard HTTPS request fee":
        // 2M / 10K = 200 x $0.02 = $4, on top of 50M / 10K = 5,000 x $0.0100 = $50 HTTPS
        assert_eq!(qty(&e, "Field-level encryption requests"), dec("200"));
        assert_eq!(cost(&e, "Field-level encryption requests"), dec("4"));
        assert_eq!(cost(&e, "HTTPS requests"), dec("50"));
        // "$0.01 for every 1,000,000 log lines": 30M / 1M = 30 x $0.01 = $0.30
        assert_eq!(qty(&e, "Real-time log lines"), dec("30"));
        assert_eq!(cost(&e, "Real-time log lines"), dec("0.3"));
        // 50 + 4 + 0.30 = 54.30 (data out: depends on usage, $0)
        assert_eq!(total(&e), dec("54.3"));
        // The same flat rates in the Tokyo book (a global service): 200 x $0.02 = $4
        let e = tokyo(
            r#"kind = "cloudfront"
field_level_encryption_requests = 2_000_000"#,
        );
        assert_eq!(cost(&e, "Field-level encryption requests"), dec("4"));
    }

    #[test]
    fn cloudfront_dedicated_ip_certificates() {
        let e = us(r#"kind = "cloudfront"
dedicated_ip_certificates = 2"#);
        // AWS: "$600 per month for each custom SSL certificate ... using the dedicated IP
        // version": 2 x $600 = $1,200
        assert_eq!(qty(&e, "Dedicated-IP custom SSL certificates"), dec("2"));
        assert_eq!(
            cost(&e, "Dedicated-IP custom SSL certificates"),
            dec("1200")
        );
        assert_eq!(total(&e), dec("1200"));
    }

    #[test]
    fn cloudfront_origin_shield_is_priced_by_its_region() {
        // No Origin Shield rate could be sourced: the key names the shield's region.
        let m = err(&scenario(
            "us-east-1",
            "",
            r#"kind = "cloudfront"
origin_shield_requests = 1_000_000
origin_shield_region = "ap-northeast-1""#,
        ));
        assert!(m.contains("cloudfront.origin_shield.ap-northeast-1"), "{m}");
    }

    #[test]
    fn cloudfront_feature_inputs_that_conflict_are_refused() {
        for (body, want) in [
            (
                "https_requests = 1000\nfield_level_encryption_requests = 2000",
                "more than https_requests",
            ),
            (
                "origin_shield_requests = 1000",
                "give `origin_shield_region`",
            ),
            (
                "origin_shield_region = \"us-east-1\"",
                "give `origin_shield_requests`",
            ),
            (
                "origin_shield_requests = 1\norigin_shield_region = \"Virginia\"",
                "not an AWS Region code",
            ),
        ] {
            let m = err(&scenario(
                "us-east-1",
                "",
                &format!("kind = \"cloudfront\"\n{body}"),
            ));
            assert!(m.contains(want), "{body}: {m}");
        }
    }
}
