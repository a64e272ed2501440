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
