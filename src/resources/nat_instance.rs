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

#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
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
            None,
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

#[cfg(test)]
mod tests {
    //! Hand-checked figures; where their unit prices come from: `crate::testkit`.

    use crate::testkit::{cost, dec, has_note, line, lines, total, us};

    #[test]
    fn nat_instance_default_t4g_nano() {
        let e = us(r#"kind = "nat_instance"
count = 2
data_processed_gb = 1000"#);
        // 2 x 730 h = 1,460 h x $0.0042 (ec2.instance.t4g.nano) = $6.132
        let l = line(&e, "Instance (t4g.nano)");
        assert_eq!(l.monthly_cost, dec("6.132"));
        // 2 x 8 GB = 16 GB x $0.08 = $1.28
        assert_eq!(cost(&e, "Root volume gp3 storage"), dec("1.28"));
        // no processing charge for the 1,000 GB
        assert_eq!(total(&e), dec("7.412"));
        assert!(lines(&e)
            .iter()
            .any(|l| has_note(l, "no processing charge")));
    }
}
