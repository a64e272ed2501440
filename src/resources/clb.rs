//! Classic Load Balancer: hours plus every GB it processes (no capacity units).

use rust_decimal::Decimal;
use serde::Deserialize;

use super::Gauge;
use super::{Ctx, FieldError, Resource, Usage};
use super::{Derived, UnitVolume, UsageKey, Volume};
use crate::num::{mul, Count, NonNeg};
use crate::pricing::PriceError;

#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Clb {
    #[serde(default)]
    pub count: Option<Count>,
    /// GB processed in the month, all load balancers together.
    #[serde(default)]
    pub data_processed_gb: Option<NonNeg>,
}

impl Resource for Clb {
    fn derive_usage(&self, month: &Volume, _: Option<&UnitVolume>) -> Derived {
        let mut d = Derived::new();
        let bytes = month.request_bytes + month.response_bytes;
        if bytes > 0.0 {
            d.amount(UsageKey::DataProcessedGb, month.gb(bytes));
            // For the capacity report's load-balancer column.
            d.amount(
                UsageKey::ProcessedGbPerHour,
                month.gb(bytes) / month.hours_per_month,
            );
        }
        d
    }

    fn validate(&self, _: &crate::pricing::Catalog) -> Result<(), FieldError> {
        super::usage_without_units(
            self.count,
            "load balancers",
            &[("data_processed_gb", self.data_processed_gb)],
        )
    }

    fn price(&self, ctx: &mut Ctx) -> Result<(), PriceError> {
        let count = self.count.map_or(Decimal::ONE, |c| c.dec());
        let hours = ctx.hours_per_month;
        ctx.baseline("Load balancer hours", "clb.hour", mul(count, hours)?)?;
        let gb = ctx.stated_or_derived(self.data_processed_gb, UsageKey::DataProcessedGb);
        ctx.usage("Data processed", "clb.data_processed", gb)?;
        if gb == Usage::Unknown {
            ctx.note("set `data_processed_gb`, or give [traffic] request and response bytes");
        }
        Ok(())
    }
}

impl super::Kind for Clb {
    const GAUGE: Option<Gauge> = Some(Gauge::LoadBalancer);
}

#[cfg(test)]
mod tests {
    //! Hand-checked figures; unit prices from the books' `clb.*` entries (us-east-1 $0.025/h
    //! and $0.008/GB, the ELB pricing page's rates; Tokyo $0.027/h).

    use crate::testkit::{cost, dec, err, has_note, line, scenario, total, us};

    #[test]
    fn hours_plus_gb_us_east_1() {
        let e = us("kind = \"clb\"\ncount = 2\ndata_processed_gb = 1000");
        // 2 x 730 h = 1,460 h x $0.025 = $36.50; 1,000 GB x $0.008 = $8.00
        assert_eq!(cost(&e, "Load balancer hours"), dec("36.5"));
        assert_eq!(cost(&e, "Data processed"), dec("8"));
        assert_eq!(total(&e), dec("44.5"));
    }

    #[test]
    fn tokyo_hours_and_missing_gb_price() {
        // 730 h x $0.027 = $19.71; no usage: the GB line says what is missing.
        let e = crate::testkit::tokyo("kind = \"clb\"");
        assert_eq!(cost(&e, "Load balancer hours"), dec("19.71"));
        let l = line(&e, "Data processed");
        assert!(has_note(l, "depends on usage"), "{:?}", l.notes);
        // With usage, the missing Tokyo GB price is an error naming the key, not a guess.
        let e = err(&scenario(
            "ap-northeast-1",
            "",
            "kind = \"clb\"\ndata_processed_gb = 5",
        ));
        assert!(e.contains("clb.data_processed"), "{e}");
    }

    #[test]
    fn unknown_keys_are_refused() {
        let e = err(&scenario("us-east-1", "", "kind = \"clb\"\nlcu = 2"));
        assert!(e.contains("lcu"), "{e}");
    }

    #[test]
    fn clb_usage_on_no_load_balancers_is_refused() {
        // Usage stated for `count = 0` would be dropped or billed for nothing: refused.
        crate::testkit::assert_refused(
            "us-east-1",
            "kind = \"clb\"\ncount = 0\ndata_processed_gb = 100",
            "resources.r.data_processed_gb`: `data_processed_gb` is stated for `count = 0`: there are no load balancers",
        );
    }
}
