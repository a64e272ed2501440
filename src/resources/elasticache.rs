//! ElastiCache node-based clusters (Redis OSS, Valkey): node-hours of shards x (1 + replicas).

use rust_decimal::Decimal;
use serde::Deserialize;

use super::{check_class, running_hours, Ctx, FieldError, Resource, Schedule};
use crate::num::Count;
use crate::pricing::{Catalog, Family, PriceError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum CacheEngine {
    #[default]
    Redis,
    Valkey,
}

#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
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
    /// Every node on a reserved node (`{ term, payment }`; see `commitment`).
    #[serde(default)]
    pub reserved: super::commitment::ReservedKey,
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
        super::commitment::instance_hours(
            ctx,
            &format!("Nodes ({})", self.node_type),
            &format!("elasticache.{engine}.{}", self.node_type),
            nodes,
            hours,
            self.reserved.get(),
        )?;
        ctx.note(format!(
            "{shards} shard(s) x (1 primary + {replicas} replica(s))"
        ));
        Ok(())
    }
}

impl super::Kind for ElastiCache {
    const SCHEDULABLE: bool = true;
    const COMMITMENTS: &'static [&'static str] = &["reserved"];
}

#[cfg(test)]
mod tests {
    //! Hand-checked figures; where their unit prices come from: `crate::testkit`.

    use crate::testkit::{cost, dec, has_note, line, qty, us};

    #[test]
    fn elasticache_shards_times_one_plus_replicas() {
        let e = us(r#"kind = "elasticache"
node_type = "cache.r6g.large"
shards = 2
replicas_per_shard = 1"#);
        // 2 shards x (1 + 1) = 4 nodes x 730 h = 2,920 h x $0.206 (elasticache.redis.cache.r6g.large)
        //   = $601.52
        let l = line(&e, "Nodes (cache.r6g.large)");
        assert_eq!(l.quantity, dec("2920"));
        assert_eq!(l.monthly_cost, dec("601.52"));
        assert!(has_note(l, "2 shard(s) x (1 primary + 1 replica(s))"));
    }

    #[test]
    fn elasticache_valkey_and_schedule() {
        let e = us(r#"kind = "elasticache"
engine = "valkey"
node_type = "cache.t4g.micro""#);
        // 1 node x 730 h x $0.0128 (elasticache.valkey.cache.t4g.micro) = $9.344
        assert_eq!(cost(&e, "Nodes (cache.t4g.micro)"), dec("9.344"));

        let e = us(r#"kind = "elasticache"
node_type = "cache.r6g.large"
schedule = "daily 08-20""#);
        // 7 x 12 h = 84 h/week; 730 x 84 / 168 = 365 h x $0.206 = $75.19
        assert_eq!(qty(&e, "Nodes (cache.r6g.large)"), dec("365"));
        assert_eq!(cost(&e, "Nodes (cache.r6g.large)"), dec("75.19"));
    }
}
