//! A NAT instance: an EC2 instance (default t4g.nano) doing NAT, priced like EC2. Its traffic
//! has no processing charge; internet egress is priced by `data_transfer`.

use rust_decimal::Decimal;
use serde::Deserialize;

use super::ebs::VolumeType;
use super::ec2::{price_instances, DEFAULT_ROOT_GB};
use super::Gauge;
use super::{check_class, Ctx, FieldError, Resource};
use super::{Derived, UnitVolume, UsageKey, Volume};
use crate::num::{Count, NonNeg};
use crate::pricing::{Catalog, Family, PriceError};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NatInstance {
    #[serde(default = "default_type")]
    pub instance_type: String,
    /// One per AZ for availability; default 1.
    #[serde(default)]
    pub count: Option<Count>,
    #[serde(default)]
    pub root_volume_gb: Option<NonNeg>,
    /// GB through the instance per month (no charge; shown for comparison with NAT Gateway).
    #[serde(default)]
    pub data_processed_gb: Option<NonNeg>,
}

fn default_type() -> String {
    "t4g.nano".into()
}

impl Resource for NatInstance {
    fn derive_usage(&self, month: &Volume, _: Option<&UnitVolume>) -> Derived {
        let mut d = Derived::new();
        if month.nat_bytes_per_request > 0.0 {
            d.amount(
                UsageKey::DataProcessedGb,
                month.gb(month.nat_bytes_per_request),
            );
        }
        d
    }

    fn validate(&self, catalog: &Catalog) -> Result<(), FieldError> {
        check_class(catalog, Family::Ec2, "instance_type", &self.instance_type).map(|_| ())
    }

    fn price(&self, ctx: &mut Ctx) -> Result<(), PriceError> {
        let count = self.count.map_or(Decimal::ONE, |c| c.dec());
        let root = self
            .root_volume_gb
            .map_or(Decimal::from(DEFAULT_ROOT_GB), |g| g.0);
        let hours = ctx.hours_per_month;
        price_instances(
            ctx,
            &self.instance_type,
            count,
            hours,
            root,
            VolumeType::Gp3,
        )?;
        let data = ctx.stated_or_derived(self.data_processed_gb, UsageKey::DataProcessedGb);
        if let super::Usage::Stated(gb) | super::Usage::Derived(gb) = data {
            ctx.note(format!(
                "{} GB/month through the instance: no processing charge",
                crate::money::fmt_number(gb.round_dp(2))
            ));
        }
        Ok(())
    }
}

impl super::Kind for NatInstance {
    const GAUGE: Option<Gauge> = Some(Gauge::Nat);
    const GB_AXIS: Option<UsageKey> = Some(UsageKey::DataProcessedGb);
}
