//! Data transfer: out to the internet (tiered, first 100 GB free across services) and between
//! AZs ($0.01/GB charged on each side, so each GB crossing is billed twice). With `[traffic]`,
//! data out to the internet not stated is the traffic's responses (`response_bytes` per request),
//! the same bytes CloudFront's data out is derived from.

use rust_decimal::Decimal;
use serde::Deserialize;

use super::{Ctx, Derived, Resource, UnitVolume, Usage, UsageKey, Volume};
use crate::num::{mul, NonNeg};
use crate::pricing::PriceError;

#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DataTransfer {
    #[serde(default)]
    pub out_to_internet_gb: Option<NonNeg>,
    /// GB crossing AZ boundaries per month.
    #[serde(default)]
    pub cross_az_gb: Option<NonNeg>,
}

impl Resource for DataTransfer {
    fn derive_usage(&self, month: &Volume, _: Option<&UnitVolume>) -> Derived {
        let mut d = Derived::new();
        if month.response_bytes > 0.0 {
            d.amount(UsageKey::OutToInternetGb, month.gb(month.response_bytes));
        }
        d
    }

    fn price(&self, ctx: &mut Ctx) -> Result<(), PriceError> {
        let out = ctx.stated_or_derived(self.out_to_internet_gb, UsageKey::OutToInternetGb);
        ctx.usage("Out to internet", "data_transfer.out", out)?;
        if matches!(out, Usage::Derived(_)) {
            ctx.note("from the traffic: requests x response_bytes");
        }
        if self.cross_az_gb.is_some() {
            ctx.usage(
                "Cross-AZ (out + in)",
                "data_transfer.cross_az",
                Usage::of(self.cross_az_gb).try_map(|g| mul(g, Decimal::TWO))?,
            )?
            .note("each GB is charged when it leaves one AZ and when it enters the other");
        }
        Ok(())
    }
}

impl super::Kind for DataTransfer {}

#[cfg(test)]
mod tests {
    //! Hand-checked figures; where their unit prices come from: `crate::testkit`.

    use crate::testkit::{cost, dec, qty, tokyo, total, us_with};

    #[test]
    fn data_transfer_out_tiers_and_cross_az_both_ways() {
        let e = us_with(
            r#"free_tier = "always""#,
            r#"kind = "data_transfer"
out_to_internet_gb = 12000
cross_az_gb = 500"#,
        );
        // first 10 TB = 10,240 GB x $0.09 = $921.60
        assert_eq!(cost(&e, "Out to internet (tier 1)"), dec("921.60"));
        // 1,760 GB x $0.085 = $149.60
        assert_eq!(qty(&e, "Out to internet (tier 2)"), dec("1760"));
        assert_eq!(cost(&e, "Out to internet (tier 2)"), dec("149.60"));
        // free 100 GB at the first tier's price: -100 x $0.09 = -$9.00
        assert_eq!(
            cost(&e, "Free tier: Out to internet (tier 1)"),
            dec("-9.00")
        );
        // 500 GB crossing AZs is billed out and in: 1,000 GB x $0.01 = $10
        assert_eq!(qty(&e, "Cross-AZ (out + in)"), dec("1000"));
        assert_eq!(cost(&e, "Cross-AZ (out + in)"), dec("10"));
        // 921.60 + 149.60 + 10 - 9 = 1,072.20
        assert_eq!(total(&e), dec("1072.20"));
    }

    #[test]
    fn data_transfer_out_is_derived_from_response_bytes() {
        // 10 req/s flat, 100,000 bytes per response: the same traffic that gives CloudFront
        // its data out gives the internet egress.
        let p = crate::testkit::plan(
            r#"region = "us-east-1"
[traffic]
avg_rps = 10
duration_ms = 100
response_bytes = 100000
[phases.p.resources.out]
kind = "data_transfer""#,
        );
        let l = crate::testkit::phase_line(&p.estimate, 0, "Out to internet");
        assert_eq!(l.usage_source, crate::estimate::UsageSource::Derived);
        // about 10 x 2,628,000 s = 26.28 M requests x 100,000 B / 2^30 = 2,447.5 GB; the
        // simulated count is a Poisson draw around that, so within 1 %
        let gb = crate::capacity::to_f64(l.quantity);
        assert!((gb - 2447.5).abs() < 24.5, "{gb}");
    }

    #[test]
    fn data_transfer_tokyo() {
        let e = tokyo(
            r#"kind = "data_transfer"
out_to_internet_gb = 500"#,
        );
        // ap-northeast-1: 500 GB x $0.114 = $57
        assert_eq!(cost(&e, "Out to internet"), dec("57"));
    }

    #[test]
    fn data_transfer_tokyo_tiers_above_50_tb() {
        let e = tokyo(
            r#"kind = "data_transfer"
out_to_internet_gb = 200000
cross_az_gb = 100"#,
        );
        // 10,240 GB x $0.114 = $1,167.36
        assert_eq!(cost(&e, "Out to internet (tier 1)"), dec("1167.36"));
        // 40,960 GB x $0.089 = $3,645.44
        assert_eq!(cost(&e, "Out to internet (tier 2)"), dec("3645.44"));
        // 102,400 GB x $0.086 = $8,806.40
        assert_eq!(cost(&e, "Out to internet (tier 3)"), dec("8806.40"));
        // 200,000 - 153,600 = 46,400 GB x $0.084 = $3,897.60
        assert_eq!(qty(&e, "Out to internet (tier 4)"), dec("46400"));
        assert_eq!(cost(&e, "Out to internet (tier 4)"), dec("3897.60"));
        // 100 GB across AZs, out and in: 200 GB x $0.01 = $2
        assert_eq!(cost(&e, "Cross-AZ (out + in)"), dec("2"));
        // 1,167.36 + 3,645.44 + 8,806.40 + 3,897.60 + 2 = 17,518.80
        assert_eq!(total(&e), dec("17518.80"));
    }
}
