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
