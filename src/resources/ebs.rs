//! EBS volumes: gp3 (with IOPS above 3,000 and throughput above 125 MB/s) and gp2.
//! [`price_volume`] is shared with the root volumes of EC2 and NAT instances.

use rust_decimal::Decimal;
use serde::Deserialize;

use super::{Ctx, FieldError, Resource};
use crate::num::{mul, Count, NonNeg, Positive};
use crate::pricing::{Catalog, PriceError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum VolumeType {
    #[default]
    Gp3,
    Gp2,
}

#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Ebs {
    #[serde(default)]
    pub volume_type: VolumeType,
    pub size_gb: Positive,
    #[serde(default)]
    pub count: Option<Count>,
    /// Provisioned IOPS (gp3; 3,000 included).
    #[serde(default)]
    pub iops: Option<NonNeg>,
    /// Provisioned throughput in MB/s (gp3; 125 included).
    #[serde(default)]
    pub throughput_mbps: Option<NonNeg>,
}

const GP3_FREE_IOPS: u32 = 3000;
const GP3_FREE_THROUGHPUT: u32 = 125;

/// Lines for `count` volumes of `size_gb`; storage is billed all month (volumes persist while
/// an instance is stopped).
pub fn price_volume(
    ctx: &mut Ctx,
    label: &str,
    volume_type: VolumeType,
    size_gb: Decimal,
    count: Decimal,
    iops: Option<Decimal>,
    throughput: Option<Decimal>,
) -> Result<(), PriceError> {
    match volume_type {
        VolumeType::Gp2 => {
            ctx.baseline(
                &format!("{label} gp2 storage"),
                "ebs.gp2.storage",
                mul(size_gb, count)?,
            )?;
        }
        VolumeType::Gp3 => {
            ctx.baseline(
                &format!("{label} gp3 storage"),
                "ebs.gp3.storage",
                mul(size_gb, count)?,
            )?;
            if let Some(extra) = iops
                .map(|i| i - Decimal::from(GP3_FREE_IOPS))
                .filter(|e| *e > Decimal::ZERO)
            {
                ctx.baseline(
                    &format!("{label} gp3 IOPS above 3,000"),
                    "ebs.gp3.iops",
                    mul(extra, count)?,
                )?;
            }
            if let Some(extra) = throughput
                .map(|t| t - Decimal::from(GP3_FREE_THROUGHPUT))
                .filter(|e| *e > Decimal::ZERO)
            {
                ctx.baseline(
                    &format!("{label} gp3 throughput above 125 MB/s"),
                    "ebs.gp3.throughput",
                    mul(extra, count)?,
                )?;
            }
        }
    }
    Ok(())
}

impl Resource for Ebs {
    fn validate(&self, _: &Catalog) -> Result<(), FieldError> {
        if self.volume_type == VolumeType::Gp2
            && (self.iops.is_some() || self.throughput_mbps.is_some())
        {
            return Err(FieldError::new(
                "iops",
                "gp2 volumes have no provisioned IOPS or throughput; use gp3",
            ));
        }
        Ok(())
    }

    fn price(&self, ctx: &mut Ctx) -> Result<(), PriceError> {
        let count = self.count.map_or(Decimal::ONE, |c| c.dec());
        price_volume(
            ctx,
            "Volume",
            self.volume_type,
            self.size_gb.0,
            count,
            self.iops.map(|i| i.0),
            self.throughput_mbps.map(|t| t.0),
        )
    }
}

impl super::Kind for Ebs {}

#[cfg(test)]
mod tests {
    //! Hand-checked figures; where their unit prices come from: `crate::testkit`.

    use crate::testkit::{cost, dec, err, lines, qty, scenario, total, us};

    #[test]
    fn ebs_gp3_storage_iops_and_throughput_above_included() {
        let e = us(r#"kind = "ebs"
size_gb = 500
count = 2
iops = 6000
throughput_mbps = 250"#);
        // 500 GB x 2 = 1,000 GB-month x $0.08 (ebs.gp3.storage) = $80
        assert_eq!(cost(&e, "Volume gp3 storage"), dec("80"));
        // (6,000 - 3,000 included) x 2 = 6,000 IOPS-month x $0.005 (ebs.gp3.iops) = $30
        assert_eq!(qty(&e, "Volume gp3 IOPS above 3,000"), dec("6000"));
        assert_eq!(cost(&e, "Volume gp3 IOPS above 3,000"), dec("30"));
        // (250 - 125 included) x 2 = 250 MB/s-month x $0.04 (ebs.gp3.throughput, AWS's
        // "125 MB/s free and $0.04/provisioned MB/s-month over 125") = $10
        assert_eq!(qty(&e, "Volume gp3 throughput above 125 MB/s"), dec("250"));
        assert_eq!(cost(&e, "Volume gp3 throughput above 125 MB/s"), dec("10"));
        // $80 + $30 + $10
        assert_eq!(total(&e), dec("120"));
    }

    #[test]
    fn ebs_gp3_throughput_tokyo() {
        let e = crate::testkit::tokyo(
            r#"kind = "ebs"
size_gb = 100
throughput_mbps = 1000"#,
        );
        // ap-northeast-1: (1,000 - 125) = 875 MB/s-month x $0.048 (ebs.gp3.throughput,
        // $49.152 per GiBps-month / 1,024) = $42.00
        assert_eq!(cost(&e, "Volume gp3 throughput above 125 MB/s"), dec("42"));
    }

    #[test]
    fn ebs_gp3_at_included_iops_has_no_iops_line_and_gp2_rejects_iops() {
        let e = us(r#"kind = "ebs"
size_gb = 100
iops = 3000
throughput_mbps = 125"#);
        // 100 GB x $0.08 = $8; 3,000 IOPS and 125 MB/s are included
        assert_eq!(lines(&e).len(), 1);
        assert_eq!(cost(&e, "Volume gp3 storage"), dec("8"));

        let gp2 = us(r#"kind = "ebs"
volume_type = "gp2"
size_gb = 100"#);
        // 100 GB x $0.10 (ebs.gp2.storage) = $10
        assert_eq!(cost(&gp2, "Volume gp2 storage"), dec("10"));

        let msg = err(&scenario(
            "us-east-1",
            "",
            r#"kind = "ebs"
volume_type = "gp2"
size_gb = 100
iops = 4000"#,
        ));
        assert!(
            msg.contains("gp2 volumes have no provisioned IOPS"),
            "{msg}"
        );
    }
}
