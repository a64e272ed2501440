//! Amazon ECR, private repositories: image storage (GB-month) and data transferred out to other
//! regions (pulls from another region, cross-region replication). Pulls within the region are
//! free; transfer to the internet is the `data_transfer` kind's.

use serde::Deserialize;

use super::{Ctx, Resource, Usage};
use crate::num::NonNeg;
use crate::pricing::PriceError;

#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Ecr {
    /// Images stored, GB-month (compressed layers, after de-duplication).
    #[serde(default)]
    pub storage_gb: Option<NonNeg>,
    /// GB transferred out to other AWS regions in the month.
    #[serde(default)]
    pub cross_region_transfer_gb: Option<NonNeg>,
}

impl Resource for Ecr {
    fn price(&self, ctx: &mut Ctx) -> Result<(), PriceError> {
        ctx.usage("Image storage", "ecr.storage", Usage::of(self.storage_gb))?;
        if let Some(gb) = self.cross_region_transfer_gb {
            ctx.usage(
                "Transfer to other regions",
                "ecr.transfer.inter_region",
                Usage::Stated(gb.0),
            )?;
        }
        Ok(())
    }
}

impl super::Kind for Ecr {}

#[cfg(test)]
mod tests {
    //! Hand-checked figures; unit prices from the books' `ecr.*` entries.

    use crate::testkit::{cost, dec, err, has_line, line, scenario, tokyo, total, us};

    #[test]
    fn storage_and_cross_region_us_east_1() {
        let e = us("kind = \"ecr\"\nstorage_gb = 250\ncross_region_transfer_gb = 100");
        // 250 GB x $0.10 = $25; 100 GB x $0.02 = $2
        assert_eq!(cost(&e, "Image storage"), dec("25"));
        assert_eq!(cost(&e, "Transfer to other regions"), dec("2"));
        assert_eq!(total(&e), dec("27"));
        // Both us-east-1 prices come from third-party copies and say so.
        let l = line(&e, "Image storage");
        assert!(
            l.notes.iter().any(|n| n.contains("low-trust")),
            "{:?}",
            l.notes
        );
    }

    #[test]
    fn tokyo_storage_and_transfer_to_other_regions() {
        // 30 GB x $0.10 (APN1-TimedStorage-ByteHrs) = $3
        let e = tokyo("kind = \"ecr\"\nstorage_gb = 30");
        assert_eq!(cost(&e, "Image storage"), dec("3"));
        assert!(!has_line(&e, "Transfer to other regions"));
        // 10 GB out of Tokyo x $0.09 (ecr.transfer.inter_region, Tokyo) = $0.90; 3 + 0.90
        let e = tokyo("kind = \"ecr\"\nstorage_gb = 30\ncross_region_transfer_gb = 10");
        assert_eq!(cost(&e, "Transfer to other regions"), dec("0.9"));
        assert_eq!(total(&e), dec("3.9"));
    }

    #[test]
    fn negative_storage_is_refused() {
        let e = err(&scenario(
            "us-east-1",
            "",
            "kind = \"ecr\"\nstorage_gb = -1",
        ));
        assert!(e.contains("storage_gb"), "{e}");
    }
}
