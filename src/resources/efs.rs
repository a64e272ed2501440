//! Amazon EFS, one file system: storage by class (Regional: Standard, Infrequent Access,
//! Archive; One Zone: One Zone, One Zone-IA), IA/Archive access charges, and the throughput
//! mode: bursting (included in storage), elastic (per GB read and written) or provisioned
//! (per MiB/s-month).

use serde::Deserialize;

use super::{Ctx, FieldError, Resource, Usage};
use crate::num::NonNeg;
use crate::pricing::{Catalog, PriceError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Availability {
    /// Data stored across several Availability Zones.
    #[default]
    Regional,
    /// Data in one Availability Zone: cheaper, no Archive class.
    OneZone,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ThroughputMode {
    /// Throughput scales with Standard storage and is included in its price.
    #[default]
    Bursting,
    /// Pay per GB read and written.
    Elastic,
    /// Pay per MiB/s provisioned, all month.
    Provisioned,
}

impl ThroughputMode {
    fn name(self) -> &'static str {
        match self {
            ThroughputMode::Bursting => "bursting",
            ThroughputMode::Elastic => "elastic",
            ThroughputMode::Provisioned => "provisioned",
        }
    }
}

#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Efs {
    #[serde(default)]
    pub availability: Availability,
    /// Standard (Regional) or One Zone storage, GB-month.
    #[serde(default)]
    pub standard_gb: Option<NonNeg>,
    /// Infrequent Access (or One Zone-IA) storage, GB-month.
    #[serde(default)]
    pub ia_gb: Option<NonNeg>,
    /// Archive storage (Regional only), GB-month.
    #[serde(default)]
    pub archive_gb: Option<NonNeg>,
    /// GB read from or tiered into IA in the month (IA access charge).
    #[serde(default)]
    pub ia_access_gb: Option<NonNeg>,
    /// GB read from Archive in the month.
    #[serde(default)]
    pub archive_access_gb: Option<NonNeg>,
    #[serde(default)]
    pub throughput_mode: ThroughputMode,
    /// Elastic: GB read in the month.
    #[serde(default)]
    pub elastic_read_gb: Option<NonNeg>,
    /// Elastic: GB written in the month.
    #[serde(default)]
    pub elastic_write_gb: Option<NonNeg>,
    /// Provisioned: MiB/s provisioned all month.
    #[serde(default)]
    pub provisioned_mibps: Option<NonNeg>,
}

impl Resource for Efs {
    fn validate(&self, _: &Catalog) -> Result<(), FieldError> {
        let elastic = [
            ("elastic_read_gb", self.elastic_read_gb.is_some()),
            ("elastic_write_gb", self.elastic_write_gb.is_some()),
        ];
        let provisioned = [("provisioned_mibps", self.provisioned_mibps.is_some())];
        let (wrong, needs): (&[(&str, bool)], &str) = match self.throughput_mode {
            ThroughputMode::Bursting => (&[elastic[0], elastic[1], provisioned[0]], ""),
            ThroughputMode::Elastic => (&provisioned, "provisioned"),
            ThroughputMode::Provisioned => (&elastic, "elastic"),
        };
        if let Some((field, _)) = wrong.iter().find(|(_, set)| *set) {
            let mode = if needs.is_empty() {
                if field.starts_with("elastic") {
                    "elastic"
                } else {
                    "provisioned"
                }
            } else {
                needs
            };
            return Err(FieldError::new(
                field,
                format!(
                    "`{field}` applies to {mode} throughput, but this file system's `throughput_mode` is {}",
                    self.throughput_mode.name()
                ),
            )
            .help(Some(format!("set `throughput_mode = \"{mode}\"`, or remove `{field}`"))));
        }
        if self.availability == Availability::OneZone {
            for (field, set) in [
                ("archive_gb", self.archive_gb.is_some()),
                ("archive_access_gb", self.archive_access_gb.is_some()),
            ] {
                if set {
                    return Err(FieldError::new(
                        field,
                        format!("One Zone file systems have no Archive class; `{field}` needs `availability = \"regional\"`"),
                    ));
                }
            }
        }
        if self.throughput_mode == ThroughputMode::Provisioned && self.provisioned_mibps.is_none() {
            return Err(FieldError::new(
                "provisioned_mibps",
                "provisioned throughput needs `provisioned_mibps` (MiB/s)",
            ));
        }
        Ok(())
    }

    fn price(&self, ctx: &mut Ctx) -> Result<(), PriceError> {
        let (standard, ia) = match self.availability {
            Availability::Regional => ("efs.standard.storage", "efs.ia.storage"),
            Availability::OneZone => ("efs.one_zone.storage", "efs.one_zone_ia.storage"),
        };
        ctx.usage("Standard storage", standard, Usage::of(self.standard_gb))?;
        if let Some(gb) = self.ia_gb {
            ctx.usage("Infrequent Access storage", ia, Usage::Stated(gb.0))?;
        }
        if let Some(gb) = self.archive_gb {
            ctx.usage(
                "Archive storage",
                "efs.archive.storage",
                Usage::Stated(gb.0),
            )?;
        }
        if let Some(gb) = self.ia_access_gb {
            ctx.usage("IA access", "efs.ia.access", Usage::Stated(gb.0))?;
        }
        if let Some(gb) = self.archive_access_gb {
            ctx.usage("Archive access", "efs.archive.access", Usage::Stated(gb.0))?;
        }
        match self.throughput_mode {
            ThroughputMode::Bursting => {}
            ThroughputMode::Elastic => {
                ctx.usage(
                    "Elastic throughput reads",
                    "efs.elastic.read",
                    Usage::of(self.elastic_read_gb),
                )?;
                ctx.usage(
                    "Elastic throughput writes",
                    "efs.elastic.write",
                    Usage::of(self.elastic_write_gb),
                )?;
            }
            ThroughputMode::Provisioned => {
                ctx.baseline(
                    "Provisioned throughput",
                    "efs.provisioned",
                    self.provisioned_mibps
                        .map_or(rust_decimal::Decimal::ZERO, |m| m.0),
                )?;
            }
        }
        Ok(())
    }
}

impl super::Kind for Efs {}

#[cfg(test)]
mod tests {
    //! Hand-checked figures; unit prices from the books' `efs.*` entries (us-east-1 Standard
    //! $0.30 per GB-month, elastic reads $0.03 and writes $0.06 per GB).

    use crate::testkit::{cost, dec, err, line, scenario, total, us};

    #[test]
    fn aws_storage_example() {
        // AWS EFS pricing page: 100 GB for 15 days and 250 GB for 16 days of a 744-hour March
        // = 132,000 GB-hours / 744 = 177 GB-months (rounded) x $0.30 = $53.10.
        let e = us("kind = \"efs\"\nstandard_gb = 177");
        assert_eq!(cost(&e, "Standard storage"), dec("53.10"));
    }

    #[test]
    fn elastic_throughput() {
        let e = us(r#"kind = "efs"
standard_gb = 100
throughput_mode = "elastic"
elastic_read_gb = 500
elastic_write_gb = 100"#);
        // 100 x $0.30 = $30; 500 GB read x $0.03 = $15; 100 GB written x $0.06 = $6
        assert_eq!(cost(&e, "Elastic throughput reads"), dec("15"));
        assert_eq!(cost(&e, "Elastic throughput writes"), dec("6"));
        assert_eq!(total(&e), dec("51"));
        let l = line(&e, "Elastic throughput reads");
        assert!(
            l.notes.iter().any(|n| n.contains("low-trust")),
            "{:?}",
            l.notes
        );
    }

    #[test]
    fn unsourced_classes_are_missing_prices() {
        // No checkable IA, One Zone, Archive or provisioned price yet: errors naming the key.
        for (body, key) in [
            ("ia_gb = 10", "efs.ia.storage"),
            (
                "availability = \"one-zone\"\nstandard_gb = 10",
                "efs.one_zone.storage",
            ),
            (
                "throughput_mode = \"provisioned\"\nprovisioned_mibps = 10",
                "efs.provisioned",
            ),
        ] {
            let e = err(&scenario(
                "us-east-1",
                "",
                &format!("kind = \"efs\"\n{body}"),
            ));
            assert!(e.contains(key), "{e}");
        }
        let e = err(&scenario(
            "ap-northeast-1",
            "",
            "kind = \"efs\"\nstandard_gb = 10",
        ));
        assert!(e.contains("efs.standard.storage"), "{e}");
    }

    #[test]
    fn keys_of_another_mode_are_refused() {
        let e = err(&scenario(
            "us-east-1",
            "",
            "kind = \"efs\"\nelastic_read_gb = 5",
        ));
        assert!(e.contains("applies to elastic throughput"), "{e}");
        let e = err(&scenario(
            "us-east-1",
            "",
            "kind = \"efs\"\nthroughput_mode = \"elastic\"\nprovisioned_mibps = 5",
        ));
        assert!(e.contains("applies to provisioned throughput"), "{e}");
        let e = err(&scenario(
            "us-east-1",
            "",
            "kind = \"efs\"\nthroughput_mode = \"provisioned\"",
        ));
        assert!(e.contains("needs `provisioned_mibps`"), "{e}");
        let e = err(&scenario(
            "us-east-1",
            "",
            "kind = \"efs\"\navailability = \"one-zone\"\narchive_gb = 5",
        ));
        assert!(e.contains("no Archive class"), "{e}");
    }
}
