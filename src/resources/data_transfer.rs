//! Data transfer: out to the internet (tiered, first 100 GB free across services) and between
//! AZs ($0.01/GB charged on each side, so each GB crossing is billed twice).

use rust_decimal::Decimal;
use serde::Deserialize;

use super::{Ctx, Resource, Usage};
use crate::num::{mul, NonNeg};
use crate::pricing::PriceError;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataTransfer {
    #[serde(default)]
    pub out_to_internet_gb: Option<NonNeg>,
    /// GB crossing AZ boundaries per month.
    #[serde(default)]
    pub cross_az_gb: Option<NonNeg>,
}

impl Resource for DataTransfer {
    fn price(&self, ctx: &mut Ctx) -> Result<(), PriceError> {
        ctx.usage(
            "Out to internet",
            "data_transfer.out",
            Usage::of(self.out_to_internet_gb),
        )?;
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
    fn data_transfer_tokyo() {
        let e = tokyo(
            r#"kind = "data_transfer"
out_to_internet_gb = 500"#,
        );
        // ap-northeast-1: 500 GB x $0.114 = $57
        assert_eq!(cost(&e, "Out to internet"), dec("57"));
    }
}
