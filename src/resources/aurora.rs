//! Aurora PostgreSQL/MySQL: provisioned instances or Serverless v2 ACU-hours, storage, I/O
//! (Standard) or I/O-Optimized, backup beyond the cluster size, backtrack change records
//! (Aurora MySQL), snapshot export to S3.

use rust_decimal::Decimal;
use serde::Deserialize;

use super::KindRole;
use super::{check_class, running_hours, Ctx, FieldError, Resource, Schedule, Usage};
use super::{Derived, UnitVolume, UsageKey, Volume};
use crate::capacity::Role;
use crate::money::fmt_number;
use crate::num::{mul, Count, NonNeg, Positive};
use crate::pricing::{Catalog, Family, PriceError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum AuroraEngine {
    Postgres,
    Mysql,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum StorageConfig {
    #[default]
    Standard,
    IoOptimized,
}

#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Aurora {
    pub engine: AuroraEngine,
    /// Provisioned class (e.g. db.r6g.large); omit for Serverless v2.
    #[serde(default)]
    pub instance_class: Option<String>,
    /// Serverless v2 capacity range and monthly average, in ACU (0.5 steps).
    #[serde(default)]
    pub min_acu: Option<NonNeg>,
    #[serde(default)]
    pub max_acu: Option<Positive>,
    #[serde(default)]
    pub avg_acu: Option<NonNeg>,
    /// Serverless v2 load model with `[traffic]`: ACU per request/s; each hour runs at
    /// clamp(min_acu, max_acu, acu_per_rps x the hour's mean request rate).
    #[serde(default)]
    pub acu_per_rps: Option<Positive>,
    /// Writer + readers; default 1.
    #[serde(default)]
    pub instances: Option<Count>,
    #[serde(default)]
    pub storage_config: StorageConfig,
    /// Cluster volume, GB-month.
    #[serde(default)]
    pub storage_gb: Option<NonNeg>,
    /// I/O requests per month (Standard only).
    #[serde(default)]
    pub monthly_io_requests: Option<NonNeg>,
    /// Total backup storage, GB; up to the cluster size is free.
    #[serde(default)]
    pub backup_gb: Option<NonNeg>,
    /// Aurora MySQL backtrack: change records stored, on average over the month.
    #[serde(default)]
    pub backtrack_change_records: Option<NonNeg>,
    /// Snapshot data exported to Amazon S3 a month, GB.
    #[serde(default)]
    pub snapshot_export_gb: Option<NonNeg>,
    #[serde(default)]
    pub schedule: Option<Schedule>,
    #[serde(default)]
    pub max_connections: Option<Count>,
    /// Provisioned instances on Reserved Instances (`{ term, payment }`; see `commitment`).
    #[serde(default)]
    pub reserved: super::commitment::ReservedKey,
}

impl Aurora {
    fn engine_key(&self) -> &'static str {
        match self.engine {
            AuroraEngine::Postgres => "postgres",
            AuroraEngine::Mysql => "mysql",
        }
    }
}

fn half_steps(v: Decimal) -> bool {
    (v * Decimal::TWO).fract().is_zero()
}

impl Resource for Aurora {
    fn role(&self, catalog: &Catalog) -> Role {
        use crate::capacity::{to_f64, DbEngine, DbSize};
        let engine = match self.engine {
            AuroraEngine::Postgres => DbEngine::AuroraPostgres,
            AuroraEngine::Mysql => DbEngine::AuroraMysql,
        };
        let size = match (&self.instance_class, self.max_acu) {
            (Some(class), _) => DbSize::Class {
                class: class.clone(),
                memory_gib: catalog.rds.get(class).map_or(0.0, |s| to_f64(s.memory_gib)),
            },
            (None, max) => DbSize::Serverless {
                min_acu: self.min_acu.map_or(0.5, |m| to_f64(m.0)),
                max_acu: max.map_or(1.0, |m| to_f64(m.0)),
            },
        };
        Role::Database {
            engine,
            size,
            max_connections: self.max_connections.map(|c| c.0),
        }
    }

    fn derive_usage(&self, month: &Volume, _: Option<&UnitVolume>) -> Derived {
        use crate::capacity::to_f64;
        let mut d = Derived::new();
        if let (Some(k), Some(max)) = (self.acu_per_rps, self.max_acu) {
            let (k, max) = (to_f64(k.0), to_f64(max.0));
            let min = self.min_acu.map_or(0.5, |m| to_f64(m.0));
            let hours = &month.hourly_rps;
            if !hours.is_empty() {
                let sum: f64 = hours.iter().map(|rps| (k * rps).clamp(min, max)).sum();
                d.amount(UsageKey::AvgAcu, sum / hours.len() as f64);
            }
        }
        d
    }

    fn validate(&self, catalog: &Catalog) -> Result<(), FieldError> {
        if self.reserved.get().is_some() && self.instance_class.is_none() {
            return Err(super::commitment::no_reserved_without_class("Aurora"));
        }
        if self.engine == AuroraEngine::Postgres && self.backtrack_change_records.is_some() {
            return Err(FieldError::new(
                "backtrack_change_records",
                "backtrack is Aurora MySQL only; Aurora PostgreSQL has no backtrack",
            ));
        }
        match (&self.instance_class, self.max_acu) {
            (Some(_), Some(_)) => Err(FieldError::new("max_acu", "give `instance_class` (provisioned) or `min_acu`/`max_acu` (Serverless v2), not both")),
            (None, None) => Err(FieldError::new("instance_class", "Aurora needs `instance_class` (provisioned) or `max_acu` (Serverless v2)")),
            (Some(class), None) => {
                if self.min_acu.is_some() || self.avg_acu.is_some() || self.acu_per_rps.is_some() {
                    return Err(FieldError::new("min_acu", "ACU settings are for Serverless v2; remove them or `instance_class`"));
                }
                check_class(catalog, Family::Rds, "instance_class", class).map(|_| ())
            }
            (None, Some(max)) => {
                let min = self.min_acu.map_or(Decimal::new(5, 1), |m| m.0);
                let avg = self.avg_acu.map_or(min, |a| a.0);
                for (field, v) in [("min_acu", min), ("max_acu", max.0), ("avg_acu", avg)] {
                    if !half_steps(v) || v > Decimal::from(256) {
                        return Err(FieldError::new(field, format!("ACU must be 0-256 in steps of 0.5, got {v}")));
                    }
                }
                if self.avg_acu.is_some() && self.acu_per_rps.is_some() {
                    return Err(FieldError::new("acu_per_rps", "give `avg_acu` (a stated average) or `acu_per_rps` (capacity follows the simulated load), not both"));
                }
                if min > max.0 {
                    return Err(FieldError::new("min_acu", format!("min_acu {min} is above max_acu {}", max.0)));
                }
                if avg < min || avg > max.0 {
                    return Err(FieldError::new("avg_acu", format!("avg_acu {avg} must lie between min_acu {min} and max_acu {}", max.0)));
                }
                Ok(())
            }
        }
    }

    fn price(&self, ctx: &mut Ctx) -> Result<(), PriceError> {
        let io_opt = self.storage_config == StorageConfig::IoOptimized;
        let instances = self.instances.map_or(Decimal::ONE, |c| c.dec());
        let hours = running_hours(self.schedule.as_ref(), ctx.hours_per_month);
        match &self.instance_class {
            Some(class) => {
                let key = if io_opt {
                    format!("aurora.{}.io_optimized.{class}", self.engine_key())
                } else {
                    format!("aurora.{}.{class}", self.engine_key())
                };
                let label = format!("Instance ({class})");
                let reserved = self.reserved.get();
                super::commitment::instance_hours(ctx, &label, &key, instances, hours, reserved)?;
            }
            None => {
                let min = self.min_acu.map_or(Decimal::new(5, 1), |m| m.0);
                let key = if io_opt {
                    "aurora.serverless_v2.io_optimized"
                } else {
                    "aurora.serverless_v2.standard"
                };
                // The average ACU: stated, else from the simulated load (`acu_per_rps`), else
                // min_acu; with a load model but no traffic it depends on usage.
                let avg = match (self.avg_acu, self.acu_per_rps) {
                    (Some(a), _) => Usage::Stated(a.0),
                    (None, Some(_)) => ctx.derived(UsageKey::AvgAcu),
                    (None, None) => Usage::Stated(min),
                };
                let acu_hours = avg.try_map(|a| mul(mul(a, instances)?, hours))?;
                ctx.running("Serverless v2 capacity", key, acu_hours)?;
                if let Usage::Stated(a) | Usage::Derived(a) = avg {
                    ctx.note(format!(
                        "{} ACU average x {} instance(s) x {} h{}",
                        fmt_number(a),
                        fmt_number(instances),
                        fmt_number(hours),
                        match (self.avg_acu, self.acu_per_rps) {
                            (None, None) => " (no avg_acu: assumes the cluster stays at min_acu)",
                            (None, Some(_)) => " (each hour clamp(min_acu, max_acu, acu_per_rps x its simulated req/s))",
                            _ => "",
                        }
                    ));
                }
            }
        }
        let storage_key = if io_opt {
            "aurora.storage.io_optimized"
        } else {
            "aurora.storage.standard"
        };
        ctx.usage("Storage", storage_key, Usage::of(self.storage_gb))?;
        if !io_opt {
            ctx.usage(
                "I/O requests",
                "aurora.io",
                Usage::of(self.monthly_io_requests),
            )?;
        } else if self.monthly_io_requests.is_some() {
            ctx.note("monthly_io_requests not billed: I/O-Optimized has no I/O charge");
        }
        let free = self.storage_gb.map_or(Decimal::ZERO, |s| s.0);
        let backup = Usage::stated(self.backup_gb.map(|b| (b.0 - free).max(Decimal::ZERO)));
        ctx.usage("Backup storage beyond free", "aurora.backup", backup)?;
        // Billed per change record stored per hour: the stored average over the whole month.
        if let Some(records) = self.backtrack_change_records {
            let record_hours = mul(records.0, ctx.hours_per_month)?;
            ctx.usage(
                "Backtrack change records",
                "aurora.backtrack",
                Usage::Stated(record_hours),
            )?;
            ctx.note(format!(
                "{} change records x {} h",
                fmt_number(records.0),
                fmt_number(ctx.hours_per_month)
            ));
        }
        if let Some(gb) = self.snapshot_export_gb {
            ctx.usage(
                "Snapshot export to S3",
                "aurora.snapshot_export",
                Usage::Stated(gb.0),
            )?;
        }
        Ok(())
    }
}

impl super::Kind for Aurora {
    const SCHEDULABLE: bool = true;
    const ROLE: KindRole = KindRole::Database;
    const COMMITMENTS: &'static [&'static str] = &["reserved"];
}

#[cfg(test)]
mod tests {
    //! Hand-checked figures; where their unit prices come from: `crate::testkit`.

    use crate::estimate::UsageSource;
    use crate::testkit::{cost, dec, has_line, has_note, line, qty, tokyo, total, us};
    use rust_decimal::Decimal;

    #[test]
    fn aurora_provisioned_standard_with_io_and_backup() {
        let e = us(r#"kind = "aurora"
engine = "postgres"
instance_class = "db.r6g.large"
instances = 2
storage_gb = 100
monthly_io_requests = 50_000_000
backup_gb = 150"#);
        // writer + reader: 2 x 730 h = 1,460 h x $0.260 (aurora.postgres.db.r6g.large) = $379.60
        assert_eq!(cost(&e, "Instance (db.r6g.large)"), dec("379.60"));
        // 100 GB-month x $0.10 (aurora.storage.standard) = $10
        assert_eq!(cost(&e, "Storage"), dec("10"));
        // 50M I/O / 1M = 50 x $0.20 (aurora.io) = $10
        assert_eq!(cost(&e, "I/O requests"), dec("10"));
        // backup 150 - 100 GB (cluster size free) = 50 GB x $0.021 (aurora.backup) = $1.05
        assert_eq!(cost(&e, "Backup storage beyond free"), dec("1.05"));
        assert_eq!(total(&e), dec("400.65"));
    }

    #[test]
    fn aurora_serverless_v2_acu_hours() {
        let e = us(r#"kind = "aurora"
engine = "mysql"
min_acu = 0.5
max_acu = 16
avg_acu = 4
instances = 2
storage_gb = 10"#);
        // 4 ACU x 2 instances x 730 h = 5,840 ACU-h x $0.12 (aurora.serverless_v2.standard)
        //   = $700.80
        assert_eq!(qty(&e, "Serverless v2 capacity"), dec("5840"));
        assert_eq!(cost(&e, "Serverless v2 capacity"), dec("700.80"));
        // 10 GB x $0.10 = $1.00
        assert_eq!(cost(&e, "Storage"), dec("1.00"));
    }

    #[test]
    fn aurora_serverless_v2_without_avg_assumes_min() {
        let e = us(r#"kind = "aurora"
engine = "postgres"
min_acu = 1
max_acu = 4"#);
        // 1 ACU (min) x 730 h = 730 ACU-h x $0.12 = $87.60
        let l = line(&e, "Serverless v2 capacity");
        assert_eq!(l.monthly_cost, dec("87.60"));
        assert!(has_note(l, "assumes the cluster stays at min_acu"));
    }

    #[test]
    fn aurora_io_optimized_has_no_io_line() {
        let e = us(r#"kind = "aurora"
engine = "postgres"
max_acu = 8
avg_acu = 2
storage_config = "io_optimized"
storage_gb = 100
monthly_io_requests = 50_000_000"#);
        // 2 ACU x 730 h = 1,460 ACU-h x $0.156 (aurora.serverless_v2.io_optimized) = $227.76
        assert_eq!(cost(&e, "Serverless v2 capacity"), dec("227.76"));
        // 100 GB x $0.225 (aurora.storage.io_optimized) = $22.50
        assert_eq!(cost(&e, "Storage"), dec("22.50"));
        assert!(!has_line(&e, "I/O requests"));
    }

    #[test]
    fn aurora_tokyo_io_optimized_instance_and_unpriced_usage() {
        let e = tokyo(
            r#"kind = "aurora"
engine = "postgres"
instance_class = "db.t4g.medium"
storage_config = "io_optimized""#,
        );
        // ap-northeast-1: 730 h x $0.147 (aurora.postgres.io_optimized.db.t4g.medium) = $107.31
        assert_eq!(cost(&e, "Instance (db.t4g.medium)"), dec("107.31"));
        // no storage given: a $0 line that quotes the Tokyo I/O-Optimized storage rate
        let s = line(&e, "Storage");
        assert_eq!(s.usage_source, UsageSource::None);
        assert_eq!(s.monthly_cost, Decimal::ZERO);
        assert_eq!(s.notes[0], "depends on usage: $0.27 per GB-month");
        // backup storage: no Tokyo price, so the $0 line names the missing key
        let b = line(&e, "Backup storage beyond free");
        assert_eq!(b.usage_source, UsageSource::None);
        assert_eq!(b.monthly_cost, Decimal::ZERO);
        assert!(
            b.notes[0].starts_with("depends on usage; no price for `aurora.backup`"),
            "{:?}",
            b.notes
        );
    }

    #[test]
    fn aurora_io_optimized_t3_medium_us_east_1() {
        let e = us(r#"kind = "aurora"
engine = "postgres"
instance_class = "db.t3.medium"
storage_config = "io_optimized"
storage_gb = 100"#);
        // 730 h x $0.107 (aurora.postgres.io_optimized.db.t3.medium) = $78.11
        assert_eq!(cost(&e, "Instance (db.t3.medium)"), dec("78.11"));
        // 100 GB x $0.225 = $22.50
        assert_eq!(cost(&e, "Storage"), dec("22.50"));
    }

    fn serverless_with_traffic(acu_per_rps: &str, daily: &str) -> crate::plan::Plan {
        crate::plan_toml(
            "t.toml",
            &format!(
                r#"region = "us-east-1"
[traffic]
avg_rps = 100
duration_ms = 20
daily_shape = {daily}
[phases.p.resources.db]
kind = "aurora"
engine = "postgres"
min_acu = 0.5
max_acu = 4
acu_per_rps = {acu_per_rps}"#
            ),
            None,
        )
        .unwrap()
    }

    fn capacity_line(p: &crate::plan::Plan) -> &crate::estimate::CostLine {
        crate::testkit::phase_line(&p.estimate, 0, "Serverless v2 capacity")
    }

    #[test]
    fn serverless_acu_follows_the_simulated_load() {
        // Flat 100 req/s x 0.02 ACU per req/s = 2 ACU every hour (inside 0.5-4): 2 x 730 h
        //   = 1,460 ACU-hours x $0.12 = $175.20; each hour's mean rate is a Poisson count of
        //   about 360,000 requests (0.2 % noise), so within 1 %.
        let p = serverless_with_traffic("0.02", "\"flat\"");
        let l = capacity_line(&p);
        assert_eq!(l.usage_source, UsageSource::Derived);
        let h = crate::capacity::to_f64(l.quantity);
        assert!((h - 1460.0).abs() < 14.6, "{h}");
        // 1 ACU per req/s asks for 100 ACU: clamped to max_acu 4 every hour
        //   = 4 x 730 = 2,920 ACU-hours exactly ($350.40)
        let p = serverless_with_traffic("1", "\"flat\"");
        assert_eq!(capacity_line(&p).quantity, dec("2920"));
        assert_eq!(capacity_line(&p).monthly_cost, dec("350.40"));
        // 0.001 ACU per req/s = 0.1 ACU: held at min_acu 0.5 = 365 ACU-hours ($43.80)
        let p = serverless_with_traffic("0.001", "\"flat\"");
        assert_eq!(capacity_line(&p).quantity, dec("365"));
    }

    #[test]
    fn serverless_acu_is_clamped_hour_by_hour() {
        // Hours 00-11 at 0 req/s, 12-23 at 200 (mean 100): 0.03 ACU per req/s gives 0 -> 0.5
        // (min_acu) and 6 -> 4 (max_acu), not the 3 ACU the month's mean rate would give.
        // 730 h = 30 days + hours 00-09 of day 31: 30 x 12 x 4 + (30 x 12 + 10) x 0.5 = 1,625
        // ACU-hours (the average, 1,625 / 730 = 2.226027 ACU to 6 places, x 730 = 1,624.99971).
        let day = "[0,0,0,0,0,0,0,0,0,0,0,0,1,1,1,1,1,1,1,1,1,1,1,1]";
        let p = serverless_with_traffic("0.03", day);
        assert_eq!(capacity_line(&p).quantity, dec("1624.99971"));
    }

    #[test]
    fn serverless_avg_acu_with_a_load_model_is_refused() {
        let e = crate::testkit::err(&crate::testkit::scenario(
            "us-east-1",
            "",
            r#"kind = "aurora"
engine = "postgres"
max_acu = 4
avg_acu = 1
acu_per_rps = 0.01"#,
        ));
        assert!(e.contains("acu_per_rps") && e.contains("not both"), "{e}");
    }

    #[test]
    fn aurora_large_classes() {
        // writer + reader: 2 x 730 h = 1,460 h x $1.106 (aurora.postgres.db.r7g.2xlarge)
        //   = $1,614.76
        let e = us(r#"kind = "aurora"
engine = "postgres"
instance_class = "db.r7g.2xlarge"
instances = 2"#);
        assert_eq!(cost(&e, "Instance (db.r7g.2xlarge)"), dec("1614.76"));
        // 730 h x $13.920 (aurora.mysql.db.r5.24xlarge) = $10,161.60
        let e = us(r#"kind = "aurora"
engine = "mysql"
instance_class = "db.r5.24xlarge""#);
        assert_eq!(cost(&e, "Instance (db.r5.24xlarge)"), dec("10161.60"));
        // 730 h x $0.164 (aurora.mysql.db.t3.large) = $119.72
        let e = us(r#"kind = "aurora"
engine = "mysql"
instance_class = "db.t3.large""#);
        assert_eq!(cost(&e, "Instance (db.t3.large)"), dec("119.72"));
        // Aurora PostgreSQL's own records (commitcost-snapshot-use1-2026-10):
        // 730 h x $0.29 (aurora.postgres.db.r5.large) = $211.70
        let e = us(r#"kind = "aurora"
engine = "postgres"
instance_class = "db.r5.large""#);
        assert_eq!(cost(&e, "Instance (db.r5.large)"), dec("211.70"));
        // 730 h x $1.16 (aurora.mysql.db.r6i.2xlarge) = $846.80
        let e = us(r#"kind = "aurora"
engine = "mysql"
instance_class = "db.r6i.2xlarge""#);
        assert_eq!(cost(&e, "Instance (db.r6i.2xlarge)"), dec("846.80"));
        // Tokyo: 2 x 730 h x $0.627 (aurora.postgres.db.r6g.xlarge) = $915.42
        let e = tokyo(
            r#"kind = "aurora"
engine = "postgres"
instance_class = "db.r6g.xlarge"
instances = 2"#,
        );
        assert_eq!(cost(&e, "Instance (db.r6g.xlarge)"), dec("915.42"));
        // I/O-Optimized has no source but db.t3.medium's: missing, not Standard x 1.3.
        let msg = crate::testkit::err(&crate::testkit::scenario(
            "us-east-1",
            "",
            "kind = \"aurora\"\nengine = \"postgres\"\ninstance_class = \"db.r5.large\"\nstorage_config = \"io_optimized\"",
        ));
        assert!(
            msg.contains("aurora.postgres.io_optimized.db.r5.large"),
            "{msg}"
        );
    }

    #[test]
    fn aurora_io_optimized_says_io_requests_are_not_billed() {
        let e = us(r#"kind = "aurora"
engine = "postgres"
max_acu = 8
avg_acu = 2
storage_config = "io_optimized"
storage_gb = 100
monthly_io_requests = 50_000_000"#);
        assert!(has_note(
            line(&e, "Storage"),
            "monthly_io_requests not billed: I/O-Optimized has no I/O charge"
        ));
    }

    #[test]
    fn aurora_backtrack_and_snapshot_export() {
        // Neither rate has a checkable source yet: each is a missing price naming its key.
        let body = r#"kind = "aurora"
engine = "mysql"
instance_class = "db.r6g.large"
backtrack_change_records = 10_000_000
snapshot_export_gb = 100"#;
        let msg = crate::testkit::err(&crate::testkit::scenario("us-east-1", "", body));
        assert!(
            msg.contains("aurora.backtrack") && msg.contains("aurora.snapshot_export"),
            "{msg}"
        );

        // At stated (not sourced) rates of $0.01 per 1M change-record-hours and $0.01 per GB:
        // 10M records x 730 h = 7,300M record-hours / 1M = 7,300 x $0.01 = $73.00;
        // 100 GB exported x $0.01 = $1.00.
        let e = crate::testkit::us_with(
            r#"[overrides."aurora.backtrack"]
price = "0.01"
unit = "1M change-record-hours"
per = "1000000"
reason = "test rate"
[overrides."aurora.snapshot_export"]
price = "0.01"
unit = "GB"
reason = "test rate""#,
            body,
        );
        let l = line(&e, "Backtrack change records");
        assert_eq!(l.quantity, dec("7300"));
        assert_eq!(l.monthly_cost, dec("73.00"));
        assert!(
            has_note(l, "10,000,000 change records x 730 h"),
            "{:?}",
            l.notes
        );
        assert_eq!(cost(&e, "Snapshot export to S3"), dec("1.00"));
    }

    #[test]
    fn aurora_postgres_backtrack_is_refused() {
        let msg = crate::testkit::err(&crate::testkit::scenario(
            "us-east-1",
            "",
            "kind = \"aurora\"\nengine = \"postgres\"\ninstance_class = \"db.r6g.large\"\nbacktrack_change_records = 1000",
        ));
        assert!(
            msg.contains("backtrack_change_records") && msg.contains("Aurora MySQL only"),
            "{msg}"
        );
    }
}
