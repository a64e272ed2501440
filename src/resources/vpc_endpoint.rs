//! VPC endpoints: interface endpoints per endpoint per AZ-hour plus per GB; gateway endpoints
//! (S3, DynamoDB) are free and shown at $0 so the choice stays visible.
//!
//! With `[traffic]`, the GB the interface endpoints process is derived from the same
//! per-request bytes a NAT Gateway's is (`nat_bytes_per_request`: what the backend sends out
//! of its private subnets), so a NAT-vs-endpoints comparison prices the same traffic on both
//! sides; `bytes_per_request` on the endpoint states its own share instead.

use rust_decimal::Decimal;
use serde::Deserialize;

use super::{Ctx, FieldError, Resource};
use super::{Derived, UnitVolume, Usage, UsageKey, Volume};
use crate::num::{Count, NonNeg};
use crate::pricing::PriceError;

#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VpcEndpoint {
    /// Interface endpoints (e.g. Secrets Manager, ECR API, ECR DKR, CloudWatch Logs).
    #[serde(default)]
    pub interface_endpoints: Option<Count>,
    /// AZs each interface endpoint is placed in; default 2.
    #[serde(default)]
    pub azs: Option<Count>,
    /// GB processed by interface endpoints per month.
    #[serde(default)]
    pub data_processed_gb: Option<NonNeg>,
    /// Bytes per simulated request through the interface endpoints (default: the traffic's
    /// `nat_bytes_per_request`).
    #[serde(default)]
    pub bytes_per_request: Option<NonNeg>,
    /// Gateway endpoints (S3, DynamoDB): no charge.
    #[serde(default)]
    pub gateway_endpoints: Option<Count>,
}

impl Resource for VpcEndpoint {
    fn validate(&self, _: &crate::pricing::Catalog) -> Result<(), FieldError> {
        if self.bytes_per_request.is_some() && self.data_processed_gb.is_some() {
            return Err(FieldError::new(
                "bytes_per_request",
                "give `data_processed_gb` (GB a month) or `bytes_per_request` (derived from the traffic), not both",
            ));
        }
        if self.interface_endpoints.is_none_or(|n| n.0 == 0) {
            // AZ-hours and data processed are interface-endpoint charges; gateway endpoints
            // have neither, so these keys would change nothing.
            for (key, set) in [
                ("azs", self.azs.is_some()),
                ("data_processed_gb", self.data_processed_gb.is_some()),
                ("bytes_per_request", self.bytes_per_request.is_some()),
            ] {
                if set {
                    return Err(FieldError::new(
                        key,
                        format!("`{key}` is for interface endpoints, and `interface_endpoints` gives none (gateway endpoints are billed for neither AZ-hours nor data)"),
                    )
                    .help(Some(
                        "state `interface_endpoints`, or leave the key out".to_string(),
                    )));
                }
            }
        } else if self.azs.is_some_and(|a| a.0 == 0) {
            return Err(FieldError::new(
                "azs",
                "an interface endpoint has a network interface in at least one Availability Zone: `azs` must be 1 or more",
            ));
        }
        if let Some(b) = self.bytes_per_request {
            if b.0 > rust_decimal::Decimal::from(1_000_000_000_000u64) {
                return Err(FieldError::new(
                    "bytes_per_request",
                    format!(
                        "bytes_per_request must be at most 10^12 (a terabyte per request), got {}",
                        b.0
                    ),
                ));
            }
        }
        Ok(())
    }

    fn derive_usage(&self, month: &Volume, _: Option<&UnitVolume>) -> Derived {
        let mut d = Derived::new();
        let bytes = self
            .bytes_per_request
            .map_or(month.nat_bytes_per_request, |b| {
                crate::capacity::to_f64(b.0)
            });
        if bytes > 0.0 {
            d.amount(UsageKey::DataProcessedGb, month.gb(bytes));
        }
        d
    }

    fn price(&self, ctx: &mut Ctx) -> Result<(), PriceError> {
        let n = self.interface_endpoints.map_or(Decimal::ZERO, |c| c.dec());
        if n > Decimal::ZERO {
            let azs = self.azs.map_or(Decimal::TWO, |c| c.dec());
            let hours = ctx.hours_per_month;
            ctx.baseline(
                "Interface endpoint AZ-hours",
                "vpc_endpoint.interface.hour",
                crate::num::mul(crate::num::mul(n, azs)?, hours)?,
            )?;
            let data = ctx.stated_or_derived(self.data_processed_gb, UsageKey::DataProcessedGb);
            ctx.usage(
                "Interface data processed",
                "vpc_endpoint.interface.data",
                data,
            )?
            .note_stated_over_derived(
                self.data_processed_gb,
                UsageKey::DataProcessedGb,
                "nat_bytes_per_request",
            );
            if matches!(data, Usage::Derived(_)) {
                ctx.note(if self.bytes_per_request.is_some() {
                    "from the traffic: requests x bytes_per_request"
                } else {
                    "from the traffic: requests x nat_bytes_per_request, the bytes a NAT would process"
                });
            }
        }
        if let Some(g) = self.gateway_endpoints.filter(|g| g.0 > 0) {
            ctx.baseline("Gateway endpoints", "vpc_endpoint.gateway", g.dec())?;
        }
        Ok(())
    }
}

impl super::Kind for VpcEndpoint {
    const GB_AXIS: Option<UsageKey> = Some(UsageKey::DataProcessedGb);
}

#[cfg(test)]
mod tests {
    //! Hand-checked figures; where their unit prices come from: `crate::testkit`.

    use crate::testkit::{cost, dec, qty, us};

    #[test]
    fn vpc_interface_endpoints_per_az_hour_and_data() {
        let e = us(r#"kind = "vpc_endpoint"
interface_endpoints = 3
data_processed_gb = 500"#);
        // 3 endpoints x 2 AZs (default) x 730 h = 4,380 h x $0.01 (vpc_endpoint.interface.hour)
        //   = $43.80
        assert_eq!(qty(&e, "Interface endpoint AZ-hours"), dec("4380"));
        assert_eq!(cost(&e, "Interface endpoint AZ-hours"), dec("43.80"));
        // 500 GB x $0.01 (vpc_endpoint.interface.data) = $5.00
        assert_eq!(cost(&e, "Interface data processed"), dec("5.00"));

        let e = us(r#"kind = "vpc_endpoint"
interface_endpoints = 1
data_processed_gb = 6_000_000"#);
        // Tiers on GB per month (1 PB = 1,048,576 GB): first 1,048,576 x $0.01 = $10,485.76;
        // next 4 PB (to 5,242,880) x $0.006 = 4,194,304 x 0.006 = $25,165.824;
        // above 5 PB: 6,000,000 - 5,242,880 = 757,120 x $0.004 = $3,028.48
        assert_eq!(
            cost(&e, "Interface data processed (tier 1)"),
            dec("10485.76")
        );
        assert_eq!(
            cost(&e, "Interface data processed (tier 2)"),
            dec("25165.824")
        );
        assert_eq!(qty(&e, "Interface data processed (tier 3)"), dec("757120"));
        assert_eq!(
            cost(&e, "Interface data processed (tier 3)"),
            dec("3028.48")
        );

        let e = us(r#"kind = "vpc_endpoint"
interface_endpoints = 1
azs = 3"#);
        // 1 x 3 AZs x 730 h = 2,190 h x $0.01 = $21.90
        assert_eq!(cost(&e, "Interface endpoint AZ-hours"), dec("21.90"));
    }

    #[test]
    fn endpoint_gb_comes_from_the_same_traffic_as_the_nat() {
        // Two alternative designs under one traffic profile: the NAT Gateway and the interface
        // endpoints both process requests x nat_bytes_per_request.
        let p = crate::testkit::plan(
            r#"region = "us-east-1"
[traffic]
avg_rps = 10
duration_ms = 100
nat_bytes_per_request = 50000
[phases.nat.resources.nat]
kind = "nat_gateway"
[phases.endpoints.resources.ep]
kind = "vpc_endpoint"
interface_endpoints = 2
[phases.own.resources.ep]
kind = "vpc_endpoint"
interface_endpoints = 2
bytes_per_request = 25000"#,
        );
        let gb = |phase: usize, component: &str| {
            let l = crate::testkit::phase_line(&p.estimate, phase, component);
            assert_eq!(l.usage_source, crate::estimate::UsageSource::Derived);
            l.quantity
        };
        let nat = gb(0, "Data processed");
        // the same simulated requests x the same bytes: the same GB, to the last digit
        assert_eq!(gb(1, "Interface data processed"), nat);
        // about 26.28 M requests x 50,000 B / 2^30 = 1,223.8 GB (a Poisson draw, within 1 %)
        let n = crate::capacity::to_f64(nat);
        assert!((n - 1223.8).abs() < 12.3, "{n}");
        // an endpoint's own bytes_per_request: half the bytes, half the GB (to 6 places)
        let own = crate::capacity::to_f64(gb(2, "Interface data processed"));
        assert!((own - n / 2.0).abs() < 1e-5, "{own} vs {n}");
    }

    #[test]
    fn endpoint_bytes_and_gb_together_are_refused() {
        let e = crate::testkit::err(&crate::testkit::scenario(
            "us-east-1",
            "",
            r#"kind = "vpc_endpoint"
interface_endpoints = 1
data_processed_gb = 5
bytes_per_request = 100"#,
        ));
        assert!(
            e.contains("bytes_per_request") && e.contains("not both"),
            "{e}"
        );
    }

    #[test]
    fn a_stated_endpoint_gb_beside_a_derived_one_is_flagged() {
        let p = crate::testkit::plan(
            r#"region = "us-east-1"
[traffic]
avg_rps = 10
duration_ms = 100
nat_bytes_per_request = 50000
[phases.nat.resources.nat]
kind = "nat_gateway"
[phases.endpoints.resources.ep]
kind = "vpc_endpoint"
interface_endpoints = 2
data_processed_gb = 50"#,
        );
        let l = crate::testkit::phase_line(&p.estimate, 1, "Interface data processed");
        assert_eq!(l.usage_source, crate::estimate::UsageSource::Stated);
        assert!(
            l.notes
                .iter()
                .any(|n| n.starts_with("stated 50; the traffic derives")),
            "{:?}",
            l.notes
        );
    }

    #[test]
    fn vpc_endpoint_interface_keys_need_interface_endpoints() {
        // AZs and data processed without an interface endpoint would bill nothing: refused.
        for (body, key) in [
            ("gateway_endpoints = 1\nazs = 3", "azs"),
            (
                "gateway_endpoints = 1\ndata_processed_gb = 100",
                "data_processed_gb",
            ),
            (
                "interface_endpoints = 0\nbytes_per_request = 100",
                "bytes_per_request",
            ),
        ] {
            crate::testkit::assert_refused(
                "us-east-1",
                &format!("kind = \"vpc_endpoint\"\n{body}"),
                &format!("resources.r.{key}`: `{key}` is for interface endpoints"),
            );
        }
        // An interface endpoint in no AZ is not one.
        crate::testkit::assert_refused(
            "us-east-1",
            "kind = \"vpc_endpoint\"\ninterface_endpoints = 1\nazs = 0",
            "resources.r.azs`: an interface endpoint has a network interface in at least one",
        );
    }
}
