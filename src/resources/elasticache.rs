//! ElastiCache node-based clusters (Redis OSS, Valkey, Memcached): node-hours of shards x
//! (1 + replicas); a Memcached cluster's nodes are its shards (Memcached has no replicas).

use rust_decimal::Decimal;
use serde::Deserialize;

use super::{
    check_class, instance_hours, running_hours, Ctx, FieldError, Resource, Schedule, Usage,
};
use crate::num::{Count, NonNeg};
use crate::pricing::{Catalog, Family, PriceError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum CacheEngine {
    /// Redis OSS.
    #[default]
    Redis,
    Valkey,
    Memcached,
}

impl CacheEngine {
    /// Price-key segment.
    fn key(self) -> &'static str {
        match self {
            CacheEngine::Redis => "redis",
            CacheEngine::Valkey => "valkey",
            CacheEngine::Memcached => "memcached",
        }
    }
}

#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ElastiCache {
    #[serde(default)]
    pub engine: CacheEngine,
    pub node_type: String,
    /// Shards (node groups); default 1. Memcached: the cluster's nodes.
    #[serde(default)]
    pub shards: Option<Count>,
    /// Replicas per shard; default 0. Not for Memcached.
    #[serde(default)]
    pub replicas_per_shard: Option<Count>,
    /// Snapshot storage beyond the one snapshot per cluster that is free, GB-month (Redis OSS
    /// and Valkey; Memcached takes no snapshots).
    #[serde(default)]
    pub snapshot_gb: Option<NonNeg>,
    #[serde(default)]
    pub schedule: Option<Schedule>,
}

impl Resource for ElastiCache {
    fn validate(&self, catalog: &Catalog) -> Result<(), FieldError> {
        // Memcached partitions data across its nodes and keeps no copies of it.
        if self.engine == CacheEngine::Memcached && self.replicas_per_shard.is_some() {
            return Err(FieldError::new(
                "replicas_per_shard",
                "Memcached has no replicas; give its nodes as `shards`",
            ));
        }
        if self.engine == CacheEngine::Memcached && self.snapshot_gb.is_some() {
            return Err(FieldError::new(
                "snapshot_gb",
                "Memcached takes no snapshots (backup and restore are Redis OSS and Valkey only)",
            ));
        }
        check_class(catalog, Family::ElastiCache, "node_type", &self.node_type).map(|_| ())
    }

    fn price(&self, ctx: &mut Ctx) -> Result<(), PriceError> {
        let shards = self.shards.map_or(Decimal::ONE, |c| c.dec());
        let replicas = self.replicas_per_shard.map_or(Decimal::ZERO, |c| c.dec());
        let nodes = shards * (Decimal::ONE + replicas);
        let engine = self.engine.key();
        let hours = running_hours(self.schedule.as_ref(), ctx.hours_per_month);
        instance_hours(
            ctx,
            &format!("Nodes ({})", self.node_type),
            &format!("elasticache.{engine}.{}", self.node_type),
            nodes,
            hours,
        )?;
        ctx.note(match self.engine {
            CacheEngine::Memcached => format!("{shards} node(s)"),
            _ => format!("{shards} shard(s) x (1 primary + {replicas} replica(s))"),
        });
        if let Some(gb) = self.snapshot_gb {
            ctx.usage(
                "Snapshot storage beyond free",
                &format!("elasticache.snapshot.{engine}"),
                Usage::Stated(gb.0),
            )?;
        }
        Ok(())
    }
}

impl super::Kind for ElastiCache {
    const SCHEDULABLE: bool = true;
}

#[cfg(test)]
mod tests {
    //! Hand-checked figures; where their unit prices come from: `crate::testkit`.

    use crate::testkit::{cost, dec, err, has_note, line, qty, scenario, us, us_with};

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

    #[test]
    fn elasticache_memcached_nodes_are_its_shards() {
        // No Memcached node rate has a checkable source yet: a missing price naming the key.
        let body = r#"kind = "elasticache"
engine = "memcached"
node_type = "cache.t4g.small"
shards = 3"#;
        let msg = err(&scenario("us-east-1", "", body));
        assert!(msg.contains("elasticache.memcached.cache.t4g.small"), "{msg}");

        // With the rate given as an override: 3 nodes x 730 h = 2,190 h x $0.032 = $70.08
        let e = us_with(
            r#"[overrides."elasticache.memcached.cache.t4g.small"]
price = "0.032"
unit = "hour"
reason = "test rate""#,
            body,
        );
        let l = line(&e, "Nodes (cache.t4g.small)");
        assert_eq!(l.quantity, dec("2190"));
        assert_eq!(l.monthly_cost, dec("70.08"));
        assert!(has_note(l, "3 node(s)"));
    }

    #[test]
    fn elasticache_memcached_replicas_are_refused() {
        let msg = err(&scenario(
            "us-east-1",
            "",
            r#"kind = "elasticache"
engine = "memcached"
node_type = "cache.t4g.small"
replicas_per_shard = 1"#,
        ));
        assert!(
            msg.contains("replicas_per_shard") && msg.contains("Memcached has no replicas"),
            "{msg}"
        );
    }

    #[test]
    fn elasticache_snapshot_storage_beyond_the_free_one() {
        // No checkable snapshot rate yet: a stated amount is a missing price naming the key.
        let body = r#"kind = "elasticache"
engine = "valkey"
node_type = "cache.t4g.micro"
snapshot_gb = 20"#;
        let msg = err(&scenario("us-east-1", "", body));
        assert!(msg.contains("elasticache.snapshot.valkey"), "{msg}");

        // At a stated (not sourced) rate: 20 GB-month x $0.10 = $2.00, on top of the node,
        // 730 h x $0.0128 = $9.344
        let e = us_with(
            r#"[overrides."elasticache.snapshot.valkey"]
price = "0.10"
unit = "GB-month"
reason = "test rate""#,
            body,
        );
        assert_eq!(cost(&e, "Snapshot storage beyond free"), dec("2.00"));
        assert_eq!(cost(&e, "Nodes (cache.t4g.micro)"), dec("9.344"));

        let msg = err(&scenario(
            "us-east-1",
            "",
            r#"kind = "elasticache"
engine = "memcached"
node_type = "cache.t4g.small"
snapshot_gb = 1"#,
        ));
        assert!(msg.contains("snapshot_gb") && msg.contains("no snapshots"), "{msg}");
    }
}
