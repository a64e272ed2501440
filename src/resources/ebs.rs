//! EBS volumes: gp3 (with IOPS above 3,000 and throughput above 125 MB/s), gp2, io1 and io2
//! (provisioned IOPS; io2's in three per-volume tiers), st1, sc1 and magnetic `standard` (with
//! I/O requests); snapshots in the standard and archive tiers; volumes that exist only part of
//! the month (`hours`). [`price_volume`] is shared with the root volumes of EC2 and NAT
//! instances.

use rust_decimal::Decimal;
use serde::Deserialize;

use super::{within, Ctx, FieldError, Limit, Resource, Usage};
use crate::num::{div, mul, Count, NonNeg, Overflow, Positive};
use crate::pricing::{Catalog, PriceError};

/// Root volume types of EC2 and NAT instances: the bootable general-purpose ones (st1 and sc1
/// cannot boot; io1/io2 need IOPS, which the instance kinds do not take).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum VolumeType {
    #[default]
    Gp3,
    Gp2,
}

/// Every volume type the `ebs` kind prices (the EC2 API names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum EbsType {
    #[default]
    Gp3,
    Gp2,
    Io1,
    Io2,
    St1,
    Sc1,
    /// Magnetic (previous generation): storage plus I/O requests.
    Standard,
}

impl EbsType {
    fn name(self) -> &'static str {
        match self {
            EbsType::Gp3 => "gp3",
            EbsType::Gp2 => "gp2",
            EbsType::Io1 => "io1",
            EbsType::Io2 => "io2",
            EbsType::St1 => "st1",
            EbsType::Sc1 => "sc1",
            EbsType::Standard => "standard",
        }
    }
}

impl From<VolumeType> for EbsType {
    fn from(t: VolumeType) -> Self {
        match t {
            VolumeType::Gp3 => EbsType::Gp3,
            VolumeType::Gp2 => EbsType::Gp2,
        }
    }
}

#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Ebs {
    #[serde(default)]
    pub volume_type: EbsType,
    pub size_gb: Positive,
    #[serde(default)]
    pub count: Option<Count>,
    /// Provisioned IOPS per volume (gp3: 3,000 included; io1 and io2: required, all billed).
    #[serde(default)]
    pub iops: Option<NonNeg>,
    /// Provisioned throughput in MB/s per volume (gp3 only; 125 included).
    #[serde(default)]
    pub throughput_mbps: Option<NonNeg>,
    /// I/O requests a month, all volumes together (magnetic `standard` only).
    #[serde(default)]
    pub monthly_io_requests: Option<NonNeg>,
    /// Snapshot data stored in the standard tier, GB-month, all volumes together.
    #[serde(default)]
    pub snapshot_gb: Option<NonNeg>,
    /// Snapshot data stored in the archive tier, GB-month, all volumes together.
    #[serde(default)]
    pub snapshot_archive_gb: Option<NonNeg>,
    /// Hours each volume exists this month (default: the whole month); storage, IOPS and
    /// throughput are billed for that share of the month.
    #[serde(default)]
    pub hours: Option<NonNeg>,
}

const GP3_FREE_IOPS: u32 = 3000;
const GP3_FREE_THROUGHPUT: u32 = 125;
/// io2 IOPS tiers, per volume: "IOPS tiering is applied at a volume level" (EBS pricing page,
/// Example 3).
const IO2_TIER1_TOP: u32 = 32_000;
const IO2_TIER2_TOP: u32 = 64_000;

/// `count` volumes of one type, existing `hours` of the month (all of it when `None`).
pub struct Volumes {
    pub volume_type: EbsType,
    pub size_gb: Decimal,
    pub count: Decimal,
    pub iops: Option<Decimal>,
    pub throughput: Option<Decimal>,
    pub hours: Option<Decimal>,
}

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
    price_volumes(
        ctx,
        label,
        &Volumes {
            volume_type: volume_type.into(),
            size_gb,
            count,
            iops,
            throughput,
            hours: None,
        },
    )
}

/// `amount` a volume for the whole month -> for all the volumes over the hours they exist
/// (multiplied before dividing, so 12 h of a 720 h month is exactly 1/60).
fn scaled(v: &Volumes, month_hours: Decimal, amount: Decimal) -> Result<Decimal, Overflow> {
    let all = mul(amount, v.count)?;
    match v.hours {
        Some(h) => div(mul(all, h)?, month_hours),
        None => Ok(all),
    }
}

/// The per-volume io2 IOPS in each tier: up to 32,000, 32,001-64,000, above 64,000.
fn io2_tiers(iops: Decimal) -> [(&'static str, &'static str, Decimal); 3] {
    let (t1, t2) = (Decimal::from(IO2_TIER1_TOP), Decimal::from(IO2_TIER2_TOP));
    [
        ("up to 32,000", "ebs.io2.iops.tier1", iops.min(t1)),
        (
            "32,001-64,000",
            "ebs.io2.iops.tier2",
            iops.min(t2) - iops.min(t1),
        ),
        ("above 64,000", "ebs.io2.iops.tier3", iops.max(t2) - t2),
    ]
}

/// Storage, and the provisioned IOPS and throughput the type bills, of `v`.
pub fn price_volumes(ctx: &mut Ctx, label: &str, v: &Volumes) -> Result<(), PriceError> {
    let month = ctx.hours_per_month;
    let name = v.volume_type.name();
    let storage_label = match v.volume_type {
        EbsType::Standard => format!("{label} magnetic storage"),
        _ => format!("{label} {name} storage"),
    };
    ctx.baseline(
        &storage_label,
        &format!("ebs.{name}.storage"),
        scaled(v, month, v.size_gb)?,
    )?;
    let iops = v.iops.unwrap_or(Decimal::ZERO);
    // Each (line, key, IOPS or MB/s a volume) the type bills on top of storage.
    let mut extra: Vec<(String, &str, Decimal)> = Vec::new();
    match v.volume_type {
        EbsType::Gp3 => {
            extra.push((
                format!("{label} gp3 IOPS above 3,000"),
                "ebs.gp3.iops",
                iops - Decimal::from(GP3_FREE_IOPS),
            ));
            if let Some(t) = v.throughput {
                extra.push((
                    format!("{label} gp3 throughput above 125 MB/s"),
                    "ebs.gp3.throughput",
                    t - Decimal::from(GP3_FREE_THROUGHPUT),
                ));
            }
        }
        EbsType::Io1 => extra.push((format!("{label} io1 IOPS"), "ebs.io1.iops", iops)),
        EbsType::Io2 => {
            for (what, key, amount) in io2_tiers(iops) {
                extra.push((format!("{label} io2 IOPS {what}"), key, amount));
            }
        }
        EbsType::Gp2 | EbsType::St1 | EbsType::Sc1 | EbsType::Standard => {}
    }
    for (line, key, amount) in extra {
        if amount > Decimal::ZERO {
            ctx.baseline(&line, key, scaled(v, month, amount)?)?;
        }
    }
    Ok(())
}

impl Ebs {
    /// The error for a key that `volume_type` does not bill, or for io1/io2 without `iops`.
    fn inapplicable_key(&self) -> Option<FieldError> {
        let t = self.volume_type;
        let name = t.name();
        if self.iops.is_some()
            && matches!(
                t,
                EbsType::Gp2 | EbsType::St1 | EbsType::Sc1 | EbsType::Standard
            )
        {
            let why = match t {
                EbsType::Gp2 => {
                    "their IOPS come with the size (3 per GB); use gp3 to provision IOPS"
                }
                EbsType::Standard => {
                    "magnetic volumes bill I/O requests instead (`monthly_io_requests`)"
                }
                _ => "HDD volumes get their throughput from the size",
            };
            return Some(
                FieldError::new(
                    "iops",
                    format!("{name} volumes have no provisioned IOPS: {why}"),
                )
                .help(Some(
                    "provisioned IOPS are billed on gp3 (above 3,000), io1 and io2".to_string(),
                )),
            );
        }
        if self.throughput_mbps.is_some() && t != EbsType::Gp3 {
            return Some(FieldError::new(
                "throughput_mbps",
                format!(
                    "{name} volumes have no provisioned throughput; only gp3 bills it (above 125 MB/s)"
                ),
            ));
        }
        if t == EbsType::Gp3 {
            // A gp3 volume always has its baseline: a figure below it cannot be provisioned and
            // would bill the same as the baseline, so it is refused rather than read as one.
            for (key, stated, floor, unit) in [
                ("iops", self.iops, GP3_FREE_IOPS, "IOPS"),
                (
                    "throughput_mbps",
                    self.throughput_mbps,
                    GP3_FREE_THROUGHPUT,
                    "MB/s",
                ),
            ] {
                if let Some(v) = stated.filter(|v| v.0 < Decimal::from(floor)) {
                    return Some(
                        FieldError::new(
                            key,
                            format!(
                                "a gp3 volume has at least {} {unit} (its included baseline), got {}",
                                crate::money::fmt_number(Decimal::from(floor)),
                                v.0
                            ),
                        )
                        .help(Some(format!(
                            "leave `{key}` out for the baseline, or give {floor} or more"
                        ))),
                    );
                }
            }
        }
        if self.monthly_io_requests.is_some() && t != EbsType::Standard {
            return Some(FieldError::new(
                "monthly_io_requests",
                format!(
                    "{name} volumes do not bill I/O requests; only magnetic `standard` volumes do"
                ),
            ));
        }
        if matches!(t, EbsType::Io1 | EbsType::Io2) && self.iops.is_none() {
            return Some(
                FieldError::new(
                    "volume_type",
                    format!(
                        "{name} volumes need `iops`: their provisioned IOPS are billed per IOPS-month"
                    ),
                )
                .help(Some(format!("add `iops = ...` (IOPS per volume) to this {name} volume"))),
            );
        }
        None
    }
}

/// EC2 API reference, CreateVolume `Size` (AWS SDK for Kotlin, `CreateVolumeRequest.size`),
/// https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/ec2/aws.sdk.kotlin.services.ec2.model/-create-volume-request/size.html:
/// "gp2: 1 - 16,384 GiB, gp3: 1 - 65,536 GiB, io1: 4 - 16,384 GiB, io2: 4 - 65,536 GiB, st1
/// and sc1: 125 - 16,384 GiB, standard: 1 - 1024 GiB".
const SIZE_SOURCE: &str =
    "the EC2 API's CreateVolume `Size` (docs.aws.amazon.com, AWS SDK for Kotlin reference: CreateVolumeRequest.size)";

/// The sizes a volume of type `t` can have, GiB.
fn size_limit(t: EbsType) -> Limit {
    let (min, max, what) = match t {
        EbsType::Gp2 => (1, 16_384, "gp2 volumes are 1-16,384 GiB"),
        EbsType::Gp3 => (1, 65_536, "gp3 volumes are 1-65,536 GiB"),
        EbsType::Io1 => (4, 16_384, "io1 volumes are 4-16,384 GiB"),
        EbsType::Io2 => (4, 65_536, "io2 volumes are 4-65,536 GiB"),
        EbsType::St1 => (125, 16_384, "st1 volumes are 125-16,384 GiB"),
        EbsType::Sc1 => (125, 16_384, "sc1 volumes are 125-16,384 GiB"),
        EbsType::Standard => (1, 1_024, "magnetic (`standard`) volumes are 1-1,024 GiB"),
    };
    Limit {
        min,
        max,
        unit: "GiB",
        what,
        source: SIZE_SOURCE,
    }
}

/// The provisioned IOPS of io1 and io2 volumes. EC2 API reference, CreateVolume `Iops`
/// (`EbsBlockDevice.iops`),
/// https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/ec2/aws.sdk.kotlin.services.ec2.model/-ebs-block-device/iops.html:
/// "io1: 100 - 64,000 IOPS, io2: 100 - 256,000 IOPS". gp3's maximum is not enforced: the
/// stored AWS pages give 16,000, which AWS has since raised, and no AWS page with the new
/// figure was found (its floor, the 3,000 baseline, is checked in `inapplicable_key`).
fn iops_limit(t: EbsType) -> Option<Limit> {
    const SOURCE: &str =
        "the EC2 API's `Iops` of a volume (docs.aws.amazon.com, AWS SDK for Kotlin reference: EbsBlockDevice.iops)";
    let (max, what) = match t {
        EbsType::Io1 => (64_000, "io1 volumes have 100-64,000 IOPS"),
        EbsType::Io2 => (256_000, "io2 Block Express volumes have 100-256,000 IOPS"),
        _ => return None,
    };
    Some(Limit {
        min: 100,
        max,
        unit: "IOPS",
        what,
        source: SOURCE,
    })
}

/// gp3 throughput. EC2 API reference, ModifyVolume `Throughput`,
/// https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/ec2/aws.sdk.kotlin.services.ec2.model/-modify-volume-request/throughput.html:
/// "valid only for gp3 volumes. The maximum value is 2,000 ... Minimum value of 125".
const GP3_THROUGHPUT: Limit = Limit {
    min: GP3_FREE_THROUGHPUT,
    max: 2_000,
    unit: "MB/s",
    what: "gp3 volumes have 125-2,000 MiB/s of throughput",
    source: "the EC2 API's ModifyVolume `Throughput` (docs.aws.amazon.com, AWS SDK for Kotlin reference: ModifyVolumeRequest.throughput)",
};

impl Resource for Ebs {
    fn validate(&self, _: &Catalog) -> Result<(), FieldError> {
        if let Some(e) = self.inapplicable_key() {
            return Err(e);
        }
        let t = self.volume_type;
        within("size_gb", self.size_gb.0, &size_limit(t))?;
        if let (Some(i), Some(limit)) = (self.iops, iops_limit(t)) {
            within("iops", i.0, &limit)?;
        }
        if let Some(m) = self.throughput_mbps {
            within("throughput_mbps", m.0, &GP3_THROUGHPUT)?;
        }
        Ok(())
    }

    fn price(&self, ctx: &mut Ctx) -> Result<(), PriceError> {
        // The scenario refuses `hours` above the month (MONTH_HOURS_KEYS).
        price_volumes(
            ctx,
            "Volume",
            &Volumes {
                volume_type: self.volume_type,
                size_gb: self.size_gb.0,
                count: self.count.map_or(Decimal::ONE, |c| c.dec()),
                iops: self.iops.map(|i| i.0),
                throughput: self.throughput_mbps.map(|t| t.0),
                hours: self.hours.map(|h| h.0),
            },
        )?;
        // Magnetic volumes always bill I/O: unstated, the line depends on usage.
        if self.volume_type == EbsType::Standard {
            ctx.usage(
                "Volume magnetic I/O requests",
                "ebs.standard.io",
                Usage::of(self.monthly_io_requests),
            )?;
        }
        // Snapshots are shown only when stated (many volumes have none), and not prorated by
        // `hours`: they outlive the volume they were taken of.
        ctx.stated_usages(&[
            (
                "Snapshots (standard tier)",
                "ebs.snapshot",
                self.snapshot_gb,
            ),
            (
                "Snapshots (archive tier)",
                "ebs.snapshot.archive",
                self.snapshot_archive_gb,
            ),
        ])?;
        Ok(())
    }
}

impl super::Kind for Ebs {
    const MONTH_HOURS_KEYS: &'static [&'static str] = &["hours"];
}

#[cfg(test)]
mod tests {
    //! Hand-checked figures; where their unit prices come from: `crate::testkit`.

    use crate::testkit::{cost, dec, err, has_line, lines, qty, scenario, total, us, us_with};

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

    // -----------------------------------------------------------------------------------------
    // AWS's worked examples (https://aws.amazon.com/ebs/pricing/, "Pricing examples"). Each
    // provisions "a 2,000 GB volume for 12 hours (43,200 seconds) in a 30-day month", so the
    // scenarios set `hours_per_month = 720` and `hours = 12`: 12 / 720 = 1/60 of the month.
    // The page gives three decimals; the books' prices are the page's except where noted.
    // -----------------------------------------------------------------------------------------

    /// A 30-day month (720 h), as in the EBS pricing page's examples.
    fn month30(body: &str) -> crate::estimate::Estimate {
        us_with("hours_per_month = 720", body)
    }

    fn dp3(d: rust_decimal::Decimal) -> rust_decimal::Decimal {
        d.round_dp(3)
    }

    #[test]
    fn ebs_aws_example_1_gp3_twelve_hours() {
        // "let's say that you provision a 2,000 GB volume for 12 hours (43,200 seconds) in a
        // 30-day month. Additionally, you provision 10,000 IOPS and 500 MB/s for your volume."
        let body = r#"kind = "ebs"
size_gb = 2000
iops = 10000
throughput_mbps = 500
hours = 12"#;
        let e = month30(body);
        // "($0.08 per GB-month * 2,000 GB * 43,200 seconds / (86,400 seconds/day * 30-day
        // month)) = $2.667": 2,000 x 12 / 720 = 33.33 GB-month x $0.08 = $2.6667
        assert_eq!(dp3(cost(&e, "Volume gp3 storage")), dec("2.667"));
        assert_eq!(qty(&e, "Volume gp3 storage").round_dp(4), dec("33.3333"));
        // "($0.005 per provisioned IOPS-month * (10,000 IOPS provisioned – 3,000 IOPS in the free
        // baseline performance) * 43,200 seconds /(86,400 seconds /day * 30-day month))= $0.583":
        // 7,000 / 60 = 116.67 IOPS-month x $0.005 = $0.5833
        assert_eq!(dp3(cost(&e, "Volume gp3 IOPS above 3,000")), dec("0.583"));
        // The page's throughput line uses "a region that charges $0.06 per provisioned
        // MB/s-month" and gets $0.375; us-east-1 charges $0.04 (ebs.gp3.throughput):
        // (500 - 125) / 60 = 6.25 MB/s-month x $0.04 = $0.25
        assert_eq!(qty(&e, "Volume gp3 throughput above 125 MB/s"), dec("6.25"));
        assert_eq!(
            cost(&e, "Volume gp3 throughput above 125 MB/s"),
            dec("0.25")
        );

        // At the page's $0.06 (an override), its total: "Total: $3.625 per 30-day month"
        // (2.667 + 0.583 + 0.375); unrounded 2.6667 + 0.5833 + 0.375 = 3.625.
        let at_page_rate = us_with(
            r#"hours_per_month = 720
[overrides."ebs.gp3.throughput"]
price = "0.06"
unit = "MB/s-month"
reason = "the EBS pricing page's Example 1 rate""#,
            body,
        );
        assert_eq!(
            cost(&at_page_rate, "Volume gp3 throughput above 125 MB/s"),
            dec("0.375")
        );
        assert_eq!(dp3(total(&at_page_rate)), dec("3.625"));
    }

    #[test]
    fn ebs_aws_example_2_gp2_twelve_hours() {
        // "you provision a 2,000 GB volume for 12 hours (43,200 seconds) in a 30-day month. In
        // a region that charges $0.10 per GB-month, you would be charged:($0.10 per GB-month *
        // 2,000 GB * 43,200 seconds / (86,400 seconds/day * 30 day-month)) = Total: $3.33"
        let e = month30(
            r#"kind = "ebs"
volume_type = "gp2"
size_gb = 2000
hours = 12"#,
        );
        // 2,000 / 60 = 33.33 GB-month x $0.10 (ebs.gp2.storage) = $3.333
        assert_eq!(dp3(cost(&e, "Volume gp2 storage")), dec("3.333"));
        assert_eq!(lines(&e).len(), 1);
    }

    #[test]
    fn ebs_aws_example_3_io2_tiers_per_volume() {
        // "you provision a 2,000 GB and 1,000 IOPS volume for 12 hours (43,200 seconds) in a
        // 30-day month. [...] In a region that charges $0.125 per GB-month, you would be
        // charged $4.167 for the storage [...] $0.065 per provisioned IOPS-month for the first
        // 32,000 IOPS, you would be charged $1.083 for the IOPS"
        let small = month30(
            r#"kind = "ebs"
volume_type = "io2"
size_gb = 2000
iops = 1000
hours = 12"#,
        );
        // 2,000 / 60 x $0.125 (ebs.io2.storage) = $4.1667
        assert_eq!(dp3(cost(&small, "Volume io2 storage")), dec("4.167"));
        // 1,000 / 60 x $0.065 (ebs.io2.iops.tier1) = $1.0833
        assert_eq!(
            dp3(cost(&small, "Volume io2 IOPS up to 32,000")),
            dec("1.083")
        );
        assert_eq!(lines(&small).len(), 2);

        // "Now, let's say you provision another io2 volume with 2,000 GB and 60,000 IOPS for
        // 12 hours in a 30-day month. [...] $0.065 per provisioned IOPS-month for the first
        // 32,000 IOPS and $0.046 per provisioned IOPS from 32,001 to 64,000 IOPS, you would be
        // charged $56.133". The Price List's second tier is $0.0455 (ebs.io2.iops.tier2), which
        // the page rounds to $0.046, so the book's figure is lower:
        let big = month30(
            r#"kind = "ebs"
volume_type = "io2"
size_gb = 2000
iops = 60000
hours = 12"#,
        );
        // tier 1: 32,000 / 60 = 533.33 IOPS-month x $0.065 = $34.6667
        assert_eq!(
            dp3(cost(&big, "Volume io2 IOPS up to 32,000")),
            dec("34.667")
        );
        // tier 2: (60,000 - 32,000) / 60 = 466.67 IOPS-month x $0.0455 = $21.2333
        // (at the page's $0.046: $21.4667, and 34.6667 + 21.4667 = $56.133)
        assert_eq!(
            dp3(cost(&big, "Volume io2 IOPS 32,001-64,000")),
            dec("21.233")
        );
        assert!(!has_line(&big, "Volume io2 IOPS above 64,000"));

        // "if you provision 10 io2 volumes 1,000 IOPS for 12 hours in a 30-day month, such that
        // cumulatively you have provisioned 100,000 IOPS [sic], your total IOPS charge will be
        // 10 times that in example 1 ($10.83). This is because each volume is provisioned with
        // less than 32,000 IOPS"
        let ten = month30(
            r#"kind = "ebs"
volume_type = "io2"
size_gb = 2000
count = 10
iops = 1000
hours = 12"#,
        );
        // 10 x 1,000 / 60 = 166.67 IOPS-month, all in tier 1, x $0.065 = $10.833
        assert_eq!(
            dp3(cost(&ten, "Volume io2 IOPS up to 32,000")),
            dec("10.833")
        );
        assert!(!has_line(&ten, "Volume io2 IOPS 32,001-64,000"));
    }

    #[test]
    fn ebs_aws_example_4_io1_twelve_hours() {
        // "you provision a 2,000 GB volume for 12 hours (43,200 seconds) in a 30-day month. In a
        // region that charges $0.125 per GB-month, you would be charged $4.167 for the volume
        // [...] you provision 1,000 IOPS for your volume. In a region that charges $0.065 per
        // provisioned IOPS-month, you would be charged $1.083 [...] $5.25 ($4.167 + $1.083)."
        let e = month30(
            r#"kind = "ebs"
volume_type = "io1"
size_gb = 2000
iops = 1000
hours = 12"#,
        );
        // 2,000 / 60 x $0.125 (ebs.io1.storage) = $4.1667
        assert_eq!(dp3(cost(&e, "Volume io1 storage")), dec("4.167"));
        // 1,000 / 60 x $0.065 (ebs.io1.iops) = $1.0833
        assert_eq!(dp3(cost(&e, "Volume io1 IOPS")), dec("1.083"));
        // 4.1667 + 1.0833 = 5.25 exactly (2,000 x 0.125 + 1,000 x 0.065 = 315; / 60 = 5.25)
        assert_eq!(total(&e), dec("5.25"));
    }

    #[test]
    fn ebs_aws_examples_5_and_6_hdd_twelve_hours() {
        // st1: "a 2,000 GB volume for 12 hours in a 30-day month. In a region that charges
        // $0.045 per GB-month, you would be charged $1.50 for the volume"
        let st1 = month30(
            r#"kind = "ebs"
volume_type = "st1"
size_gb = 2000
hours = 12"#,
        );
        // 2,000 / 60 x $0.045 (ebs.st1.storage) = $1.50
        assert_eq!(cost(&st1, "Volume st1 storage"), dec("1.5"));
        // sc1: "In a region that charges $0.015 per GB-month, you would be charged $0.50"
        let sc1 = month30(
            r#"kind = "ebs"
volume_type = "sc1"
size_gb = 2000
hours = 12"#,
        );
        // 2,000 / 60 x $0.015 (ebs.sc1.storage) = $0.50
        assert_eq!(cost(&sc1, "Volume sc1 storage"), dec("0.5"));
    }

    #[test]
    fn ebs_aws_example_10_snapshot_archive_and_standard_snapshots() {
        // "an archived snapshot that is 200 GB in size [...] In a Region that charges $0.0125
        // per GB-month for the EBS Snapshots Archive storage, you are charged $2.50 in storage
        // charges for the snapshot archive in a 30-day month. ($0.0125 per GB-month * 200 GB)."
        let e = us(r#"kind = "ebs"
size_gb = 100
snapshot_gb = 40
snapshot_archive_gb = 200
hours = 365"#);
        // 200 GB-month x $0.0125 (ebs.snapshot.archive) = $2.50
        assert_eq!(cost(&e, "Snapshots (archive tier)"), dec("2.5"));
        // 40 GB-month x $0.05 (ebs.snapshot) = $2.00: snapshots are not prorated by `hours`
        assert_eq!(cost(&e, "Snapshots (standard tier)"), dec("2"));
        // the volume is: 100 GB x 365 / 730 = 50 GB-month x $0.08 = $4
        assert_eq!(qty(&e, "Volume gp3 storage"), dec("50"));
        assert_eq!(cost(&e, "Volume gp3 storage"), dec("4"));
    }

    // -----------------------------------------------------------------------------------------
    // Hand-computed cases the page has no example for.
    // -----------------------------------------------------------------------------------------

    #[test]
    fn ebs_io2_all_three_tiers_per_volume_times_count() {
        let e = us(r#"kind = "ebs"
volume_type = "io2"
size_gb = 1000
count = 2
iops = 100000"#);
        // 1,000 GB x 2 = 2,000 GB-month x $0.125 = $250
        assert_eq!(cost(&e, "Volume io2 storage"), dec("250"));
        // per volume 32,000 in tier 1; x 2 = 64,000 IOPS-month x $0.065 = $4,160
        assert_eq!(qty(&e, "Volume io2 IOPS up to 32,000"), dec("64000"));
        assert_eq!(cost(&e, "Volume io2 IOPS up to 32,000"), dec("4160"));
        // per volume 32,000 in tier 2; x 2 = 64,000 x $0.0455 = $2,912
        assert_eq!(cost(&e, "Volume io2 IOPS 32,001-64,000"), dec("2912"));
        // per volume 100,000 - 64,000 = 36,000 in tier 3; x 2 = 72,000 x $0.03185 = $2,293.20
        assert_eq!(qty(&e, "Volume io2 IOPS above 64,000"), dec("72000"));
        assert_eq!(cost(&e, "Volume io2 IOPS above 64,000"), dec("2293.2"));
        // 250 + 4,160 + 2,912 + 2,293.20
        assert_eq!(total(&e), dec("9615.2"));
    }

    #[test]
    fn ebs_magnetic_storage_and_io_requests() {
        let e = us(r#"kind = "ebs"
volume_type = "standard"
size_gb = 100
count = 2
monthly_io_requests = 30_000_000"#);
        // 100 GB x 2 = 200 GB-month x $0.05 (ebs.standard.storage) = $10
        assert_eq!(cost(&e, "Volume magnetic storage"), dec("10"));
        // 30,000,000 requests = 30 x 1M x $0.05 (ebs.standard.io) = $1.50; stated for all the
        // volumes together, so not multiplied by `count`
        assert_eq!(cost(&e, "Volume magnetic I/O requests"), dec("1.5"));
        assert_eq!(total(&e), dec("11.5"));

        // Without `monthly_io_requests` the I/O line depends on usage: storage alone is known.
        let unstated = us(r#"kind = "ebs"
volume_type = "standard"
size_gb = 100"#);
        assert!(has_line(&unstated, "Volume magnetic I/O requests"));
        assert_eq!(total(&unstated), dec("5"));
    }

    #[test]
    fn ebs_magnetic_free_io_requests_in_the_legacy_free_tier() {
        let e = us_with(
            r#"free_tier = "legacy-12-month""#,
            r#"kind = "ebs"
volume_type = "standard"
size_gb = 10
monthly_io_requests = 5_000_000"#,
        );
        // "AWS Free Tier includes 30 GB of storage, 2 million I/Os, and 1 GB of snapshot
        // storage": 5M x $0.05 = $0.25 billed, then -2 x $0.05 = -$0.10 free
        assert_eq!(cost(&e, "Volume magnetic I/O requests"), dec("0.25"));
        assert_eq!(
            cost(&e, "Free tier: Volume magnetic I/O requests"),
            dec("-0.1")
        );
    }

    #[test]
    fn ebs_tokyo_io2_and_hdd() {
        let e = crate::testkit::tokyo(
            r#"kind = "ebs"
volume_type = "io2"
size_gb = 500
iops = 40000"#,
        );
        // ap-northeast-1: 500 GB x $0.142 (ebs.io2.storage) = $71
        assert_eq!(cost(&e, "Volume io2 storage"), dec("71"));
        // 32,000 x $0.074 (ebs.io2.iops.tier1) = $2,368
        assert_eq!(cost(&e, "Volume io2 IOPS up to 32,000"), dec("2368"));
        // 8,000 x $0.0518 (ebs.io2.iops.tier2) = $414.40
        assert_eq!(cost(&e, "Volume io2 IOPS 32,001-64,000"), dec("414.4"));

        let st1 = crate::testkit::tokyo(
            r#"kind = "ebs"
volume_type = "st1"
size_gb = 1000"#,
        );
        // 1,000 GB x $0.054 (ebs.st1.storage) = $54
        assert_eq!(total(&st1), dec("54"));
    }

    #[test]
    fn ebs_tokyo_magnetic_storage_priced_and_io_a_missing_price() {
        // 100 GB x $0.08 (ebs.standard.storage, Tokyo) = $8; unstated I/O depends on usage.
        let e = crate::testkit::tokyo(
            r#"kind = "ebs"
volume_type = "standard"
size_gb = 100"#,
        );
        assert_eq!(cost(&e, "Volume magnetic storage"), dec("8"));
        assert!(has_line(&e, "Volume magnetic I/O requests"));
        assert_eq!(total(&e), dec("8"));
        // The Tokyo book has no checkable magnetic I/O price: stated I/O is reported, not guessed.
        let msg = err(&scenario(
            "ap-northeast-1",
            "",
            r#"kind = "ebs"
volume_type = "standard"
size_gb = 100
monthly_io_requests = 1000000"#,
        ));
        assert!(!msg.contains("ebs.standard.storage"), "{msg}");
        assert!(msg.contains("ebs.standard.io"), "{msg}");
        assert!(msg.contains("ap-northeast-1"), "{msg}");
    }

    #[test]
    fn ebs_part_month_prorates_storage_iops_and_throughput() {
        let e = us(r#"kind = "ebs"
size_gb = 100
count = 3
iops = 5000
throughput_mbps = 225
hours = 146"#);
        // 146 / 730 = 0.2 of the month
        // storage: 100 x 3 x 0.2 = 60 GB-month x $0.08 = $4.80
        assert_eq!(qty(&e, "Volume gp3 storage"), dec("60"));
        assert_eq!(cost(&e, "Volume gp3 storage"), dec("4.8"));
        // IOPS: 2,000 x 3 x 0.2 = 1,200 IOPS-month x $0.005 = $6
        assert_eq!(qty(&e, "Volume gp3 IOPS above 3,000"), dec("1200"));
        assert_eq!(cost(&e, "Volume gp3 IOPS above 3,000"), dec("6"));
        // throughput: 100 x 3 x 0.2 = 60 MB/s-month x $0.04 = $2.40
        assert_eq!(cost(&e, "Volume gp3 throughput above 125 MB/s"), dec("2.4"));
    }

    #[test]
    fn ebs_gp3_below_its_baseline_is_refused() {
        // gp3 always has 3,000 IOPS and 125 MB/s: less cannot be provisioned, and would bill
        // the same as the baseline.
        let m = err(&scenario(
            "us-east-1",
            "",
            "kind = \"ebs\"\nsize_gb = 100\niops = 100",
        ));
        assert!(
            m.contains("resources.r.iops`: a gp3 volume has at least 3,000 IOPS"),
            "{m}"
        );
        let m = err(&scenario(
            "us-east-1",
            "",
            "kind = \"ebs\"\nsize_gb = 100\nthroughput_mbps = 10",
        ));
        assert!(
            m.contains("resources.r.throughput_mbps`: a gp3 volume has at least 125 MB/s"),
            "{m}"
        );
        // the baseline itself is fine: no line above it
        let e = us("kind = \"ebs\"\nsize_gb = 100\niops = 3000\nthroughput_mbps = 125");
        assert_eq!(total(&e), dec("8"));
    }

    #[test]
    fn ebs_sizes_iops_and_throughput_at_the_documented_limits() {
        // The largest of each, priced as any other: 65,536 GiB x $0.08 (ebs.gp3.storage) =
        // $5,242.88; 2,000 MB/s - 125 = 1,875 x $0.04 = $75
        let e = us("kind = \"ebs\"\nsize_gb = 65536\nthroughput_mbps = 2000");
        assert_eq!(cost(&e, "Volume gp3 storage"), dec("5242.88"));
        assert_eq!(cost(&e, "Volume gp3 throughput above 125 MB/s"), dec("75"));
        // io2 at 256,000 IOPS: 32,000 x $0.065 + 32,000 x $0.0455 + 192,000 x $0.03185
        let e = us("kind = \"ebs\"\nvolume_type = \"io2\"\nsize_gb = 4\niops = 256000");
        assert_eq!(qty(&e, "Volume io2 IOPS above 64,000"), dec("192000"));
        assert_eq!(cost(&e, "Volume io2 IOPS above 64,000"), dec("6115.2"));
        // io1 at 64,000 IOPS x $0.065 = $4,160; st1 at its 125 GiB floor x $0.045 = $5.625
        let e = us("kind = \"ebs\"\nvolume_type = \"io1\"\nsize_gb = 16384\niops = 64000");
        assert_eq!(cost(&e, "Volume io1 IOPS"), dec("4160"));
        let e = us("kind = \"ebs\"\nvolume_type = \"st1\"\nsize_gb = 125");
        assert_eq!(total(&e), dec("5.625"));

        // Just past each: refused at the key, with the limit and its source.
        for (body, key, what) in [
            ("size_gb = 65537", "size_gb", "gp3 volumes are 1-65,536 GiB"),
            (
                "volume_type = \"gp2\"\nsize_gb = 16385",
                "size_gb",
                "gp2 volumes are 1-16,384 GiB",
            ),
            (
                "volume_type = \"st1\"\nsize_gb = 124",
                "size_gb",
                "st1 volumes are 125-16,384 GiB",
            ),
            (
                "volume_type = \"standard\"\nsize_gb = 1025",
                "size_gb",
                "1-1,024 GiB",
            ),
            (
                "volume_type = \"io2\"\nsize_gb = 65537\niops = 100",
                "size_gb",
                "io2 volumes are 4-65,536 GiB",
            ),
            (
                "volume_type = \"io2\"\nsize_gb = 100\niops = 256001",
                "iops",
                "100-256,000 IOPS",
            ),
            (
                "volume_type = \"io1\"\nsize_gb = 100\niops = 64001",
                "iops",
                "io1 volumes have 100-64,000 IOPS",
            ),
            (
                "volume_type = \"io1\"\nsize_gb = 100\niops = 99",
                "iops",
                "100-64,000 IOPS",
            ),
            (
                "size_gb = 100\nthroughput_mbps = 2001",
                "throughput_mbps",
                "125-2,000 MiB/s",
            ),
        ] {
            let m = err(&scenario(
                "us-east-1",
                "",
                &format!("kind = \"ebs\"\n{body}"),
            ));
            assert!(m.contains(&format!("resources.r.{key}`: ")), "{m}");
            assert!(
                m.contains("is above what AWS allows") || m.contains("is below"),
                "{m}"
            );
            assert!(m.contains(what), "{m}");
            assert!(m.contains("docs.aws.amazon.com"), "{m}");
        }
    }

    #[test]
    fn ebs_keys_the_type_does_not_bill_are_refused_at_the_key() {
        let refused = |body: &str| err(&scenario("us-east-1", "", body));
        let m = refused(
            r#"kind = "ebs"
volume_type = "st1"
size_gb = 500
iops = 500"#,
        );
        assert!(m.contains("resources.r.iops`"), "{m}");
        assert!(m.contains("st1 volumes have no provisioned IOPS"), "{m}");
        let m = refused(
            r#"kind = "ebs"
volume_type = "io1"
size_gb = 500
iops = 1000
throughput_mbps = 500"#,
        );
        assert!(m.contains("resources.r.throughput_mbps`"), "{m}");
        assert!(m.contains("only gp3 bills it"), "{m}");
        let m = refused(
            r#"kind = "ebs"
size_gb = 500
monthly_io_requests = 1000"#,
        );
        assert!(m.contains("resources.r.monthly_io_requests`"), "{m}");
        let m = refused(
            r#"kind = "ebs"
volume_type = "io2"
size_gb = 500"#,
        );
        assert!(m.contains("resources.r.volume_type`"), "{m}");
        assert!(m.contains("io2 volumes need `iops`"), "{m}");
        let m = refused(
            r#"kind = "ebs"
volume_type = "standard"
size_gb = 100
iops = 100"#,
        );
        assert!(m.contains("monthly_io_requests"), "{m}");
    }

    #[test]
    fn ebs_hours_above_the_month_are_refused() {
        let m = err(&scenario(
            "us-east-1",
            "",
            r#"kind = "ebs"
size_gb = 100
hours = 731"#,
        ));
        assert!(m.contains("resources.r.hours`"), "{m}");
        assert!(m.contains("is longer than the month (730 h)"), "{m}");
    }
}
