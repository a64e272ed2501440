//! RDS for PostgreSQL, MySQL and MariaDB: instance-hours (Multi-AZ bills the standby too),
//! storage (doubled for Multi-AZ), backup beyond the free 100 % of storage, read replicas.

use rust_decimal::Decimal;
use serde::Deserialize;

use super::KindRole;
use super::{
    check_class, instance_hours, running_hours, Ctx, FieldError, Resource, Schedule, Usage,
};
use crate::capacity::Role;
use crate::num::{mul, Count, NonNeg, Positive};
use crate::pricing::{Catalog, Family, PriceError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Engine {
    Postgres,
    Mysql,
    Mariadb,
}

impl Engine {
    pub fn key(self) -> &'static str {
        match self {
            Engine::Postgres => "postgres",
            Engine::Mysql => "mysql",
            Engine::Mariadb => "mariadb",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StorageType {
    #[default]
    Gp3,
    Gp2,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rds {
    pub engine: Engine,
    pub instance_class: String,
    #[serde(default)]
    pub multi_az: bool,
    #[serde(default)]
    pub storage_type: StorageType,
    /// Allocated storage per instance, GB (20 GB minimum for gp2/gp3).
    pub storage_gb: Positive,
    /// gp3 IOPS provisioned above the included 3,000.
    #[serde(default)]
    pub extra_iops: Option<NonNeg>,
    /// Total backup storage, GB; the first 100 % of the primary's storage is free.
    #[serde(default)]
    pub backup_gb: Option<NonNeg>,
    /// Read replicas of the same class (Single-AZ each, own storage).
    #[serde(default)]
    pub read_replicas: Option<Count>,
    #[serde(default)]
    pub schedule: Option<Schedule>,
    /// Overrides the engine's default max_connections (capacity model).
    #[serde(default)]
    pub max_connections: Option<Count>,
}

impl Resource for Rds {
    fn role(&self, catalog: &Catalog) -> Role {
        use crate::capacity::{DbEngine, DbSize};
        let engine = match self.engine {
            Engine::Postgres => DbEngine::Postgres,
            Engine::Mysql => DbEngine::Mysql,
            Engine::Mariadb => DbEngine::Mariadb,
        };
        let memory = catalog
            .rds
            .get(&self.instance_class)
            .map_or(0.0, |s| crate::capacity::to_f64(s.memory_gib));
        Role::Database {
            engine,
            size: DbSize::Class {
                class: self.instance_class.clone(),
                memory_gib: memory,
            },
            max_connections: self.max_connections.map(|c| c.0),
        }
    }

    fn validate(&self, catalog: &Catalog) -> Result<(), FieldError> {
        check_class(catalog, Family::Rds, "instance_class", &self.instance_class)?;
        if self.storage_gb.0 < Decimal::from(20) {
            return Err(FieldError::new(
                "storage_gb",
                format!(
                    "RDS gp2/gp3 storage starts at 20 GB, got {}",
                    self.storage_gb.0
                ),
            ));
        }
        Ok(())
    }

    fn price(&self, ctx: &mut Ctx) -> Result<(), PriceError> {
        let hours = running_hours(self.schedule.as_ref(), ctx.hours_per_month);
        let az = if self.multi_az {
            Decimal::TWO
        } else {
            Decimal::ONE
        };
        let replicas = self.read_replicas.map_or(Decimal::ZERO, |c| c.dec());
        let key = format!("rds.{}.{}", self.engine.key(), self.instance_class);
        instance_hours(
            ctx,
            &format!("Instance ({})", self.instance_class),
            &key,
            az,
            hours,
        )?;
        if self.multi_az {
            // AWS's RDS free tier is 750 h of Single-AZ micro instances: a Multi-AZ deployment's
            // hours (primary and standby) get no credit.
            ctx.note("Multi-AZ: primary + standby billed (2 x instance-hours, 2 x storage)")
                .no_free_tier("the RDS free tier covers Single-AZ instances only");
        }
        if replicas > Decimal::ZERO {
            instance_hours(
                ctx,
                &format!("Read replicas ({})", self.instance_class),
                &key,
                replicas,
                hours,
            )?;
        }
        // Storage is billed while an instance is stopped, so it ignores the schedule.
        let (skey, label) = match self.storage_type {
            StorageType::Gp3 => ("rds.storage.gp3", "Storage (gp3)"),
            StorageType::Gp2 => ("rds.storage.gp2", "Storage (gp2)"),
        };
        ctx.baseline(label, skey, mul(self.storage_gb.0, az + replicas)?)?;
        if let Some(iops) = self.extra_iops.filter(|i| i.0 > Decimal::ZERO) {
            ctx.baseline(
                "Provisioned IOPS above 3,000",
                "rds.storage.gp3_iops",
                mul(iops.0, az + replicas)?,
            )?;
        }
        let backup = Usage::stated(
            self.backup_gb
                .map(|b| (b.0 - self.storage_gb.0).max(Decimal::ZERO)),
        );
        ctx.usage("Backup storage beyond free", "rds.backup", backup)?;
        Ok(())
    }
}

impl super::Kind for Rds {
    const SCHEDULABLE: bool = true;
    const ROLE: KindRole = KindRole::Database;
}

#[cfg(test)]
mod tests {
    //! Hand-checked figures; where their unit prices come from: `crate::testkit`.

    use crate::estimate::UsageSource;
    use crate::testkit::{cost, dec, err, has_note, line, qty, scenario, tokyo, total, us};
    use rust_decimal::Decimal;

    #[test]
    fn rds_single_az_instance_and_storage() {
        let e = us(r#"kind = "rds"
engine = "postgres"
instance_class = "db.t3.micro"
storage_gb = 20"#);
        // 730 h x $0.018 (rds.postgres.db.t3.micro) = $13.14
        assert_eq!(cost(&e, "Instance (db.t3.micro)"), dec("13.14"));
        // 20 GB x $0.115 (rds.storage.gp3) = $2.30
        assert_eq!(cost(&e, "Storage (gp3)"), dec("2.30"));
        // no backup_gb: a "depends on usage" line at $0
        let b = line(&e, "Backup storage beyond free");
        assert_eq!(b.usage_source, UsageSource::None);
        assert!(b.notes[0].starts_with("depends on usage"), "{:?}", b.notes);
        assert_eq!(total(&e), dec("15.44"));
    }

    #[test]
    fn rds_multi_az_doubles_hours_and_storage_and_backup_beyond_free() {
        let e = us(r#"kind = "rds"
engine = "postgres"
instance_class = "db.m6g.large"
multi_az = true
storage_gb = 100
backup_gb = 250"#);
        // primary + standby: 2 x 730 h = 1,460 h x $0.154 (rds.postgres.db.m6g.large) = $224.84
        let i = line(&e, "Instance (db.m6g.large)");
        assert_eq!(i.quantity, dec("1460"));
        assert_eq!(i.monthly_cost, dec("224.84"));
        assert!(has_note(i, "Multi-AZ"));
        // 2 x 100 GB = 200 GB-month x $0.115 = $23.00
        assert_eq!(qty(&e, "Storage (gp3)"), dec("200"));
        assert_eq!(cost(&e, "Storage (gp3)"), dec("23.00"));
        // backup 250 GB - 100 GB free (100 % of storage) = 150 GB x $0.095 (rds.backup) = $14.25
        assert_eq!(qty(&e, "Backup storage beyond free"), dec("150"));
        assert_eq!(cost(&e, "Backup storage beyond free"), dec("14.25"));
    }

    #[test]
    fn rds_backup_within_free_costs_nothing() {
        let e = us(r#"kind = "rds"
engine = "mysql"
instance_class = "db.t3.micro"
storage_gb = 50
backup_gb = 40"#);
        // 40 GB backup <= 50 GB storage: max(40 - 50, 0) = 0 GB
        assert_eq!(qty(&e, "Backup storage beyond free"), Decimal::ZERO);
        assert_eq!(cost(&e, "Backup storage beyond free"), Decimal::ZERO);
        // 730 h x $0.017 (rds.mysql.db.t3.micro) = $12.41
        assert_eq!(cost(&e, "Instance (db.t3.micro)"), dec("12.41"));
    }

    #[test]
    fn rds_read_replicas_and_extra_iops() {
        let e = us(r#"kind = "rds"
engine = "mysql"
instance_class = "db.t3.small"
storage_gb = 50
read_replicas = 2
extra_iops = 1000"#);
        // primary 730 h x $0.034 (rds.mysql.db.t3.small) = $24.82
        assert_eq!(cost(&e, "Instance (db.t3.small)"), dec("24.82"));
        // 2 replicas x 730 h = 1,460 h x $0.034 = $49.64
        assert_eq!(cost(&e, "Read replicas (db.t3.small)"), dec("49.64"));
        // storage on 3 instances: 150 GB x $0.115 = $17.25
        assert_eq!(cost(&e, "Storage (gp3)"), dec("17.25"));
        // 1,000 IOPS x 3 = 3,000 IOPS-month x $0.02 (rds.storage.gp3_iops) = $60
        assert_eq!(cost(&e, "Provisioned IOPS above 3,000"), dec("60"));
    }

    #[test]
    fn rds_schedule_applies_to_hours_not_storage() {
        let e = us(r#"kind = "rds"
engine = "postgres"
instance_class = "db.t3.micro"
storage_gb = 20
schedule = "200h""#);
        // 200 h x $0.018 = $3.60
        assert_eq!(cost(&e, "Instance (db.t3.micro)"), dec("3.60"));
        // storage all month: 20 GB x $0.115 = $2.30
        assert_eq!(cost(&e, "Storage (gp3)"), dec("2.30"));
    }

    #[test]
    fn rds_unknown_instance_class_suggests_the_closest() {
        let msg = err(&scenario(
            "us-east-1",
            "",
            r#"kind = "rds"
engine = "postgres"
instance_class = "db.t3.mirco"
storage_gb = 20"#,
        ));
        assert!(msg.contains("did you mean `db.t3.micro`"), "{msg}");
    }

    #[test]
    fn rds_missing_tokyo_price_is_an_error() {
        let msg = err(&scenario(
            "ap-northeast-1",
            "",
            r#"kind = "rds"
engine = "postgres"
instance_class = "db.r6g.large"
storage_gb = 100"#,
        ));
        assert!(msg.contains("no price for"), "{msg}");
        assert!(msg.contains("rds.postgres.db.r6g.large"), "{msg}");
        assert!(msg.contains("ap-northeast-1"), "{msg}");
    }

    #[test]
    fn rds_tokyo_price() {
        let e = tokyo(
            r#"kind = "rds"
engine = "postgres"
instance_class = "db.t4g.micro"
storage_gb = 20"#,
        );
        // ap-northeast-1: 730 h x $0.025 (rds.postgres.db.t4g.micro) = $18.25
        assert_eq!(cost(&e, "Instance (db.t4g.micro)"), dec("18.25"));
        // 20 GB x $0.138 (rds.storage.gp3) = $2.76
        assert_eq!(cost(&e, "Storage (gp3)"), dec("2.76"));
    }
}
