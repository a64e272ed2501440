//! Amazon DynamoDB, one table: on-demand request units or provisioned capacity unit-hours,
//! storage (25 GB free per account), point-in-time recovery, on-demand backups and restores.
//!
//! Request units as AWS counts them: a write of up to 1 KB is one write request unit (WRU); a
//! strongly consistent read of up to 4 KB is one read request unit (RRU), an eventually
//! consistent one half. With `[traffic]`, an on-demand table's request units follow the
//! simulated requests through `reads_per_request` / `writes_per_request`.

use serde::Deserialize;

use super::{Ctx, FieldError, Resource, Usage};
use super::{Derived, UnitVolume, UsageKey, Volume};
use crate::num::{mul, NonNeg};
use crate::pricing::{Catalog, PriceError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum CapacityMode {
    /// Pay per request unit.
    #[default]
    OnDemand,
    /// Pay per provisioned capacity unit-hour, whatever the traffic.
    Provisioned,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum TableClass {
    #[default]
    Standard,
    /// Standard-Infrequent Access: cheaper storage, dearer requests, no free storage.
    StandardIa,
}

#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DynamoDb {
    #[serde(default)]
    pub capacity_mode: CapacityMode,
    #[serde(default)]
    pub table_class: TableClass,
    /// On-demand: write request units per month.
    #[serde(default)]
    pub write_request_units: Option<NonNeg>,
    /// On-demand: read request units per month.
    #[serde(default)]
    pub read_request_units: Option<NonNeg>,
    /// On-demand with `[traffic]`: write request units each simulated request makes.
    #[serde(default)]
    pub writes_per_request: Option<NonNeg>,
    /// On-demand with `[traffic]`: read request units each simulated request makes.
    #[serde(default)]
    pub reads_per_request: Option<NonNeg>,
    /// Provisioned: write capacity units, all month.
    #[serde(default)]
    pub write_capacity_units: Option<NonNeg>,
    /// Provisioned: read capacity units, all month.
    #[serde(default)]
    pub read_capacity_units: Option<NonNeg>,
    /// Table size, GB-month (items plus indexes).
    #[serde(default)]
    pub storage_gb: Option<NonNeg>,
    /// Point-in-time recovery, billed on the table size.
    #[serde(default)]
    pub pitr: bool,
    /// On-demand backups kept, GB-month.
    #[serde(default)]
    pub backup_gb: Option<NonNeg>,
    /// Data restored from backups in the month, GB.
    #[serde(default)]
    pub restore_gb: Option<NonNeg>,
}

impl DynamoDb {
    fn class_prefix(&self) -> &'static str {
        match self.table_class {
            TableClass::Standard => "dynamodb",
            TableClass::StandardIa => "dynamodb.ia",
        }
    }
}

impl Resource for DynamoDb {
    fn validate(&self, _: &Catalog) -> Result<(), FieldError> {
        let stated_and_per_request = [
            (
                "write_request_units",
                self.write_request_units.is_some() && self.writes_per_request.is_some(),
            ),
            (
                "read_request_units",
                self.read_request_units.is_some() && self.reads_per_request.is_some(),
            ),
        ];
        if let Some((field, _)) = stated_and_per_request.iter().find(|(_, both)| *both) {
            return Err(FieldError::new(
                field,
                format!("give `{field}` (a monthly total) or the per-request rate, not both"),
            ));
        }
        let on_demand_keys = [
            ("write_request_units", self.write_request_units.is_some()),
            ("read_request_units", self.read_request_units.is_some()),
            ("writes_per_request", self.writes_per_request.is_some()),
            ("reads_per_request", self.reads_per_request.is_some()),
        ];
        let provisioned_keys = [
            ("write_capacity_units", self.write_capacity_units.is_some()),
            ("read_capacity_units", self.read_capacity_units.is_some()),
        ];
        let (wrong, mode, other) = match self.capacity_mode {
            CapacityMode::OnDemand => (&provisioned_keys[..], "on-demand", "provisioned"),
            CapacityMode::Provisioned => (&on_demand_keys[..], "provisioned", "on-demand"),
        };
        match wrong.iter().find(|(_, set)| *set) {
            Some((field, _)) => Err(FieldError::new(
                field,
                format!("`{field}` applies to {other} capacity, but this table is {mode}"),
            )
            .help(Some(format!(
                "set `capacity_mode = \"{other}\"`, or remove `{field}`"
            )))),
            None => Ok(()),
        }
    }

    fn derive_usage(&self, month: &Volume, _: Option<&UnitVolume>) -> Derived {
        let mut d = Derived::new();
        let per = |r: Option<NonNeg>| r.map(|r| crate::capacity::to_f64(r.0) * month.requests);
        if let Some(w) = per(self.writes_per_request) {
            d.amount(UsageKey::WriteRequestUnits, w);
        }
        if let Some(r) = per(self.reads_per_request) {
            d.amount(UsageKey::ReadRequestUnits, r);
        }
        d
    }

    fn price(&self, ctx: &mut Ctx) -> Result<(), PriceError> {
        let class = self.class_prefix();
        match self.capacity_mode {
            CapacityMode::OnDemand => {
                let writes =
                    ctx.stated_or_derived(self.write_request_units, UsageKey::WriteRequestUnits);
                ctx.usage(
                    "Write request units",
                    &format!("{class}.on_demand.write"),
                    writes,
                )?;
                if self.writes_per_request.is_some() && writes == Usage::Unknown {
                    ctx.note("`writes_per_request` needs [traffic] to become request units");
                }
                let reads =
                    ctx.stated_or_derived(self.read_request_units, UsageKey::ReadRequestUnits);
                ctx.usage(
                    "Read request units",
                    &format!("{class}.on_demand.read"),
                    reads,
                )?;
                if self.reads_per_request.is_some() && reads == Usage::Unknown {
                    ctx.note("`reads_per_request` needs [traffic] to become request units");
                }
            }
            CapacityMode::Provisioned => {
                let hours = ctx.hours_per_month;
                let unit_hours = |u: Option<NonNeg>| -> Result<Usage, PriceError> {
                    Ok(match u {
                        Some(u) => Usage::Stated(mul(u.0, hours)?),
                        None => Usage::Unknown,
                    })
                };
                let wcu = unit_hours(self.write_capacity_units)?;
                ctx.usage(
                    "Write capacity unit-hours",
                    &format!("{class}.provisioned.wcu"),
                    wcu,
                )?;
                let rcu = unit_hours(self.read_capacity_units)?;
                ctx.usage(
                    "Read capacity unit-hours",
                    &format!("{class}.provisioned.rcu"),
                    rcu,
                )?;
            }
        }
        let storage = Usage::of(self.storage_gb);
        ctx.usage("Storage", &format!("{class}.storage"), storage)?;
        if self.pitr {
            ctx.usage("Point-in-time recovery", "dynamodb.backup.pitr", storage)?;
        }
        if let Some(gb) = self.backup_gb {
            ctx.usage(
                "On-demand backups",
                "dynamodb.backup.on_demand",
                Usage::Stated(gb.0),
            )?;
        }
        if let Some(gb) = self.restore_gb {
            ctx.usage("Restores", "dynamodb.restore", Usage::Stated(gb.0))?;
        }
        Ok(())
    }
}

impl super::Kind for DynamoDb {}

/// Hand-checked figures (prices from the books' DynamoDB sections).
#[cfg(test)]
mod tests {
    use rust_decimal::Decimal;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn scenario(region: &str, top: &str, body: &str) -> String {
        format!(
            "region = \"{region}\"\n{top}\n[phases.p.resources.t]\nkind = \"dynamodb\"\n{body}\n"
        )
    }

    fn total(toml: &str) -> Decimal {
        let e = crate::estimate_toml("t.toml", toml).unwrap_or_else(|e| panic!("{e}"));
        e.phases[0].monthly_total()
    }

    const ON_DEMAND: &str =
        "write_request_units = 10_000_000\nread_request_units = 25_000_000\nstorage_gb = 30";

    #[test]
    fn on_demand_us_east_1() {
        // 10M WRU x 0.625/M = 6.25; 50M eventually consistent reads = 25M RRU x 0.125/M =
        // 3.125; 30 GB x 0.25 = 7.50.
        assert_eq!(total(&scenario("us-east-1", "", ON_DEMAND)), d("16.875"));
        // Always free: 25 GB of storage, -25 x 0.25 = -6.25.
        let free = scenario("us-east-1", "free_tier = \"always\"", ON_DEMAND);
        assert_eq!(total(&free), d("10.625"));
    }

    #[test]
    fn on_demand_tokyo() {
        // 10 x 0.715 = 7.15; 25 x 0.1425 = 3.5625; 30 x 0.285 = 8.55; free -25 x 0.285.
        assert_eq!(
            total(&scenario("ap-northeast-1", "", ON_DEMAND)),
            d("19.2625")
        );
        let free = scenario("ap-northeast-1", "free_tier = \"always\"", ON_DEMAND);
        assert_eq!(total(&free), d("12.1375"));
    }

    #[test]
    fn provisioned_with_the_free_band() {
        // 100 WCU and 100 RCU x 730 h = 73,000 unit-hours each; 18,600 free each:
        // 54,400 x 0.00065 = 35.36 and 54,400 x 0.00013 = 7.072.
        let body = "capacity_mode = \"provisioned\"\nwrite_capacity_units = 100\nread_capacity_units = 100";
        let free = scenario("us-east-1", "free_tier = \"always\"", body);
        assert_eq!(total(&free), d("42.432"));
        // Tokyo: the same 54,400 billed unit-hours each x $0.000742 (dynamodb.provisioned.wcu) =
        // 40.3648 and x $0.0001484 (dynamodb.provisioned.rcu) = 8.07296; 40.3648 + 8.07296.
        let free = scenario("ap-northeast-1", "free_tier = \"always\"", body);
        assert_eq!(total(&free), d("48.43776"));
        // Without the free band: 73,000 x 0.000742 = 54.166 and 73,000 x 0.0001484 = 10.8332.
        assert_eq!(total(&scenario("ap-northeast-1", "", body)), d("64.9992"));
    }

    #[test]
    fn tokyo_provisioned_rates_from_the_offer_snapshot() {
        // ap-northeast-1 rows of the 2026-09-11 offer snapshot (commitcost-dynamodb-2026-09-11),
        // no free tier: 10 WCU x 730 h = 7,300 WCU-hours x $0.000742 = $5.4166;
        // 10 RCU x 730 h = 7,300 RCU-hours x $0.0001484 = $1.08332
        let e = crate::testkit::tokyo(
            "kind = \"dynamodb\"\ncapacity_mode = \"provisioned\"\n\
             write_capacity_units = 10\nread_capacity_units = 10",
        );
        for (component, want) in [
            ("Write capacity unit-hours", "5.4166"),
            ("Read capacity unit-hours", "1.08332"),
        ] {
            let l = crate::testkit::line(&e, component);
            assert_eq!(l.monthly_cost, d(want), "{component}");
            assert!(
                !crate::testkit::has_note(l, "low-trust price"),
                "{component}: {:?}",
                l.notes
            );
        }
    }

    #[test]
    fn backups() {
        // PITR on 40 GB x 0.20 = 8; on-demand backups 100 GB x 0.10 = 10; restore 5 x 0.15.
        let body = "storage_gb = 40\npitr = true\nbackup_gb = 100\nrestore_gb = 5";
        let e = crate::estimate_toml("t.toml", &scenario("us-east-1", "", body)).unwrap();
        let line = |c: &str| {
            e.phases[0]
                .lines
                .iter()
                .find(|l| l.component == c)
                .unwrap()
                .monthly_cost
        };
        assert_eq!(line("Point-in-time recovery"), d("8"));
        assert_eq!(line("On-demand backups"), d("10"));
        assert_eq!(line("Restores"), d("0.75"));
        // The undated backup prices say so on their lines.
        let notes = &e.phases[0]
            .lines
            .iter()
            .find(|l| l.component == "Restores")
            .unwrap()
            .notes;
        assert!(notes.iter().any(|n| n.contains("low-trust")), "{notes:?}");
    }

    #[test]
    fn conflicting_or_misplaced_inputs_are_refused() {
        let both = scenario(
            "us-east-1",
            "",
            "write_request_units = 5\nwrites_per_request = 1",
        );
        let e = crate::estimate_toml("t.toml", &both)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("write_request_units") && e.contains("not both"),
            "{e}"
        );
        let wrong = scenario(
            "us-east-1",
            "",
            "capacity_mode = \"provisioned\"\nread_request_units = 5",
        );
        let e = crate::estimate_toml("t.toml", &wrong)
            .unwrap_err()
            .to_string();
        assert!(e.contains("applies to on-demand capacity"), "{e}");
        let wrong = scenario("us-east-1", "", "write_capacity_units = 5");
        let e = crate::estimate_toml("t.toml", &wrong)
            .unwrap_err()
            .to_string();
        assert!(e.contains("applies to provisioned capacity"), "{e}");
    }

    #[test]
    fn request_units_follow_the_traffic() {
        let text = "region = \"us-east-1\"\n[traffic]\navg_rps = 5\nduration_ms = 100\n\
                    [phases.p.resources.api]\nkind = \"api_gateway\"\napi_type = \"http\"\n\
                    [phases.p.resources.t]\nkind = \"dynamodb\"\nreads_per_request = 2\nwrites_per_request = 0.5\n";
        let plan = crate::plan_toml("t.toml", text, None).unwrap();
        let lines = &plan.estimate.phases[0].lines;
        let qty = |c: &str| lines.iter().find(|l| l.component == c).unwrap().quantity;
        let requests = lines
            .iter()
            .find(|l| l.service == "API Gateway")
            .unwrap()
            .quantity;
        assert!(requests > Decimal::ZERO);
        // Both lines are in millions: RRU = 2 x requests, WRU = 0.5 x requests.
        let close = |a: Decimal, b: Decimal| (a - b).abs() < d("0.000001");
        assert!(close(qty("Read request units"), requests * d("2")));
        assert!(close(qty("Write request units"), requests * d("0.5")));
        // Without [traffic] the rate has nothing to multiply: "depends on usage", said why.
        let alone = scenario("us-east-1", "", "reads_per_request = 2");
        let e = crate::estimate_toml("t.toml", &alone).unwrap();
        let l = e.phases[0]
            .lines
            .iter()
            .find(|l| l.component == "Read request units")
            .unwrap();
        assert!(
            l.notes.iter().any(|n| n.contains("needs [traffic]")),
            "{:?}",
            l.notes
        );
    }
}
