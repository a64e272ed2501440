//! ElastiCache node-based clusters (Redis OSS, Valkey): node-hours of shards x (1 + replicas).

use rust_decimal::Decimal;
use serde::Deserialize;

use super::{check_class, instance_hours, running_hours, Ctx, FieldError, Resource, Schedule};
use crate::num::Count;
use crate::pricing::{Catalog, Family, PriceError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CacheEngine {
    #[default]
    Redis,
    Valkey,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ElastiCache {
    #[serde(default)]
    pub engine: CacheEngine,
    pub node_type: String,
    /// Shards (node groups); default 1.
    #[serde(default)]
    pub shards: Option<Count>,
    /// Replicas per shard; default 0.
    #[serde(default)]
    pub replicas_per_shard: Option<Count>,
    #[serde(default)]
    pub schedule: Option<Schedule>,
}

impl Resource for ElastiCache {
    fn validate(&self, catalog: &Catalog) -> Result<(), FieldError> {
        check_class(catalog, Family::ElastiCache, "node_type", &self.node_type).map(|_| ())
    }

    fn price(&self, ctx: &mut Ctx) -> Result<(), PriceError> {
        let shards = self.shards.map_or(Decimal::ONE, |c| c.dec());
        let replicas = self.replicas_per_shard.map_or(Decimal::ZERO, |c| c.dec());
        let nodes = shards * (Decimal::ONE + replicas);
        let engine = match self.engine {
            CacheEngine::Redis => "redis",
            CacheEngine::Valkey => "valkey",
        };
        let hours = running_hours(self.schedule.as_ref(), ctx.hours_per_month);
        instance_hours(
            ctx,
            &format!("Nodes ({})", self.node_type),
            &format!("elasticache.{engine}.{}", self.node_type),
            nodes,
            hours,
        )?;
        ctx.note(format!(
            "{shards} shard(s) x (1 primary + {replicas} replica(s))"
        ));
        Ok(())
    }
}

impl super::Kind for ElastiCache {
    const SCHEDULABLE: bool = true;
}
