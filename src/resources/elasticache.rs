//! ElastiCache node-based clusters (Redis OSS, Valkey, Memcached): node-hours of shards x
//! (1 + replicas); a Memcached cluster's nodes are its shards (Memcached has no replicas).
//! ElastiCache Serverless (`serverless = true`): data stored in GB-hours, metered at no less
//! than the engine's minimum, and ElastiCache Processing Units (ECPUs).

use rust_decimal::Decimal;
use serde::Deserialize;

use super::{check_class, running_hours, Ctx, FieldError, Resource, Schedule, Usage};
use crate::money::fmt_number;
use crate::num::{mul, Count, NonNeg};
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
    /// Node type (e.g. cache.r6g.large); omit with `serverless = true`.
    #[serde(default)]
    pub node_type: Option<String>,
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
    /// Every node on a reserved node (`{ term, payment }`; see `commitment`).
    #[serde(default)]
    pub reserved: super::commitment::ReservedKey,
    /// ElastiCache Serverless instead of nodes; default false.
    #[serde(default)]
    pub serverless: bool,
    /// Serverless: average data stored, GB.
    #[serde(default)]
    pub data_stored_gb: Option<NonNeg>,
    /// Serverless: ElastiCache Processing Units (ECPUs) a month.
    #[serde(default)]
    pub monthly_ecpus: Option<NonNeg>,
}

impl ElastiCache {
    /// The smallest amount of data ElastiCache Serverless meters per cache, GB: 100 MB for
    /// Valkey, 1 GB for Memcached and Redis OSS (AWS's ElastiCache pricing page, "minimum
    /// metered data stored", read in its stored Italian copy, aws.eu/it/elasticache/pricing;
    /// the same in the billing-code notes of cur.vantage.sh/aws/amazonelasticache).
    fn serverless_minimum(&self) -> (Decimal, &'static str) {
        match self.engine {
            CacheEngine::Valkey => (Decimal::new(1, 1), "100 MB"),
            CacheEngine::Redis | CacheEngine::Memcached => (Decimal::ONE, "1 GB"),
        }
    }

    fn validate_serverless(&self) -> Result<(), FieldError> {
        let node_keys = [
            ("node_type", self.node_type.is_some()),
            ("shards", self.shards.is_some()),
            ("replicas_per_shard", self.replicas_per_shard.is_some()),
            ("schedule", self.schedule.is_some()),
            ("reserved", self.reserved.get().is_some()),
        ];
        if let Some((field, _)) = node_keys.iter().find(|(_, set)| *set) {
            return Err(FieldError::new(
                field,
                format!("`{field}` is for node-based clusters; a serverless cache has no nodes (remove it or `serverless = true`)"),
            ));
        }
        if self.snapshot_gb.is_some() {
            return Err(FieldError::new(
                "snapshot_gb",
                "snapshot storage of a serverless cache is not modelled yet; `snapshot_gb` is for node-based clusters",
            ));
        }
        Ok(())
    }

    /// ElastiCache Serverless: data stored (GB-hours, at least the engine's minimum) and ECPUs.
    fn price_serverless(&self, ctx: &mut Ctx) -> Result<(), PriceError> {
        let engine = self.engine.key();
        let (min, min_label) = self.serverless_minimum();
        let hours = ctx.hours_per_month;
        let stated = self.data_stored_gb.map(|g| g.0);
        // The minimum is metered each hour; on a monthly average it is exact for a steady cache.
        let gb = stated.map_or(min, |g| g.max(min));
        ctx.usage(
            "Serverless data stored",
            &format!("elasticache.serverless.{engine}.storage"),
            Usage::Stated(mul(gb, hours)?),
        )?;
        ctx.note(format!("{} GB x {} h", fmt_number(gb), fmt_number(hours)));
        match stated {
            None => {
                ctx.note(format!(
                    "no data_stored_gb: billed at the {min_label} minimum per cache"
                ));
            }
            Some(g) if g < min => {
                ctx.note(format!(
                    "{} GB is below the {min_label} minimum ElastiCache Serverless meters per cache",
                    fmt_number(g)
                ));
            }
            Some(_) => {}
        }
        ctx.usage(
            "Serverless ECPUs",
            &format!("elasticache.serverless.{engine}.ecpu"),
            Usage::of(self.monthly_ecpus),
        )?;
        Ok(())
    }
}

impl Resource for ElastiCache {
    fn validate(&self, catalog: &Catalog) -> Result<(), FieldError> {
        if self.serverless {
            return self.validate_serverless();
        }
        for (field, set) in [
            ("data_stored_gb", self.data_stored_gb.is_some()),
            ("monthly_ecpus", self.monthly_ecpus.is_some()),
        ] {
            if set {
                return Err(FieldError::new(
                    field,
                    format!("`{field}` is for ElastiCache Serverless; add `serverless = true` or remove it"),
                ));
            }
        }
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
        let Some(node_type) = &self.node_type else {
            return Err(FieldError::new(
                "node_type",
                "ElastiCache needs `node_type` (a node-based cluster) or `serverless = true`",
            ));
        };
        check_class(catalog, Family::ElastiCache, "node_type", node_type).map(|_| ())
    }

    fn price(&self, ctx: &mut Ctx) -> Result<(), PriceError> {
        let node_type = match &self.node_type {
            Some(n) if !self.serverless => n,
            _ => return self.price_serverless(ctx),
        };
        let shards = self.shards.map_or(Decimal::ONE, |c| c.dec());
        let replicas = self.replicas_per_shard.map_or(Decimal::ZERO, |c| c.dec());
        let nodes = shards * (Decimal::ONE + replicas);
        let engine = self.engine.key();
        let hours = running_hours(self.schedule.as_ref(), ctx.hours_per_month);
        super::commitment::instance_hours(
            ctx,
            &format!("Nodes ({node_type})"),
            &format!("elasticache.{engine}.{node_type}"),
            nodes,
            hours,
            self.reserved.get(),
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
    const COMMITMENTS: &'static [&'static str] = &["reserved"];
}

#[cfg(test)]
mod tests {
    //! Hand-checked figures; where their unit prices come from: `crate::testkit`.

    use crate::testkit::{
        cost, dec, err, has_line, has_note, line, qty, scenario, tokyo, us, us_with,
    };

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
        assert!(
            msg.contains("elasticache.memcached.cache.t4g.small"),
            "{msg}"
        );

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
        // AWS's ElastiCache for Redis guide: "Storage space for additional backups is charged
        // at a rate of $0.085/GB per month for all AWS Regions" (elasticache.snapshot.redis).
        let body = r#"kind = "elasticache"
node_type = "cache.t4g.micro"
snapshot_gb = 20"#;
        // 20 GB-month x $0.085 = $1.70, on top of the node, 730 h x $0.016 = $11.68
        let e = us(body);
        assert_eq!(qty(&e, "Snapshot storage beyond free"), dec("20"));
        assert_eq!(cost(&e, "Snapshot storage beyond free"), dec("1.70"));
        assert_eq!(cost(&e, "Nodes (cache.t4g.micro)"), dec("11.68"));
        // The same rate in Tokyo: 20 x $0.085 = $1.70; node 730 h x $0.025 = $18.25
        let e = tokyo(body);
        assert_eq!(cost(&e, "Snapshot storage beyond free"), dec("1.70"));
        assert_eq!(cost(&e, "Nodes (cache.t4g.micro)"), dec("18.25"));

        // No Valkey snapshot rate has a checkable source: a missing price naming the key.
        for region in ["us-east-1", "ap-northeast-1"] {
            let msg = err(&scenario(
                region,
                "",
                "kind = \"elasticache\"\nengine = \"valkey\"\nnode_type = \"cache.t4g.micro\"\nsnapshot_gb = 20",
            ));
            assert!(
                msg.contains("elasticache.snapshot.valkey"),
                "{region}: {msg}"
            );
        }

        let msg = err(&scenario(
            "us-east-1",
            "",
            r#"kind = "elasticache"
engine = "memcached"
node_type = "cache.t4g.small"
snapshot_gb = 1"#,
        ));
        assert!(
            msg.contains("snapshot_gb") && msg.contains("no snapshots"),
            "{msg}"
        );
    }

    #[test]
    fn elasticache_serverless_valkey_data_and_ecpus() {
        let e = us(r#"kind = "elasticache"
engine = "valkey"
serverless = true
data_stored_gb = 10
monthly_ecpus = 1_000_000_000"#);
        // 10 GB x 730 h = 7,300 GB-hours x $0.084 (elasticache.serverless.valkey.storage)
        //   = $613.20
        let l = line(&e, "Serverless data stored");
        assert_eq!(l.quantity, dec("7300"));
        assert_eq!(l.monthly_cost, dec("613.20"));
        // 1,000,000,000 ECPUs / 1M = 1,000 x $0.0023 (elasticache.serverless.valkey.ecpu)
        //   = $2.30
        assert_eq!(qty(&e, "Serverless ECPUs"), dec("1000"));
        assert_eq!(cost(&e, "Serverless ECPUs"), dec("2.30"));
        assert!(!has_line(&e, "Nodes (cache.r6g.large)"));
    }

    #[test]
    fn elasticache_serverless_meters_the_engine_minimum() {
        // Redis OSS meters at least 1 GB: 0.5 GB is billed as 1 GB x 730 h = 730 GB-hours
        //   x $0.125 = $91.25; no ECPUs stated: a "depends on usage" line.
        let e = us(r#"kind = "elasticache"
serverless = true
data_stored_gb = 0.5"#);
        let l = line(&e, "Serverless data stored");
        assert_eq!(l.quantity, dec("730"));
        assert_eq!(l.monthly_cost, dec("91.25"));
        assert!(has_note(l, "below the 1 GB"), "{:?}", l.notes);
        assert_eq!(cost(&e, "Serverless ECPUs"), dec("0"));
        assert!(has_note(line(&e, "Serverless ECPUs"), "depends on usage"));

        // Valkey meters at least 100 MB: nothing stated is 0.1 GB x 730 h = 73 GB-hours
        //   x $0.084 = $6.132.
        let e = us(r#"kind = "elasticache"
engine = "valkey"
serverless = true"#);
        let l = line(&e, "Serverless data stored");
        assert_eq!(l.quantity, dec("73"));
        assert_eq!(l.monthly_cost, dec("6.132"));
        assert!(has_note(l, "billed at the 100 MB minimum"), "{:?}", l.notes);

        // Memcached: Redis OSS's rates and minimum. 2 GB x 730 = 1,460 GB-hours x $0.125
        //   = $182.50; 500M ECPUs = 500 x $0.0034 = $1.70.
        let e = us(r#"kind = "elasticache"
engine = "memcached"
serverless = true
data_stored_gb = 2
monthly_ecpus = 500_000_000"#);
        assert_eq!(cost(&e, "Serverless data stored"), dec("182.50"));
        assert_eq!(cost(&e, "Serverless ECPUs"), dec("1.70"));
    }

    #[test]
    fn elasticache_serverless_tokyo() {
        // ap-northeast-1 Valkey: 10 GB x 730 h = 7,300 GB-hours x $0.101 = $737.30;
        //   200M ECPUs = 200 x $0.00276 = $0.552.
        let e = tokyo(
            r#"kind = "elasticache"
engine = "valkey"
serverless = true
data_stored_gb = 10
monthly_ecpus = 200_000_000"#,
        );
        assert_eq!(cost(&e, "Serverless data stored"), dec("737.30"));
        assert_eq!(cost(&e, "Serverless ECPUs"), dec("0.552"));

        // No Tokyo Redis OSS serverless rate has a checkable source: a missing price.
        let msg = err(&scenario(
            "ap-northeast-1",
            "",
            "kind = \"elasticache\"\nserverless = true\ndata_stored_gb = 1",
        ));
        assert!(
            msg.contains("elasticache.serverless.redis.storage"),
            "{msg}"
        );
    }

    #[test]
    fn elasticache_serverless_and_node_keys_do_not_mix() {
        for (body, key) in [
            (
                "serverless = true\nnode_type = \"cache.r6g.large\"",
                "node_type",
            ),
            ("serverless = true\nshards = 2", "shards"),
            ("serverless = true\nschedule = \"daily 08-20\"", "schedule"),
            ("serverless = true\nsnapshot_gb = 5", "snapshot_gb"),
            (
                "serverless = true\nreserved = { term = \"1yr\", payment = \"no_upfront\" }",
                "`reserved` is for node-based clusters",
            ),
            (
                "node_type = \"cache.r6g.large\"\ndata_stored_gb = 5",
                "data_stored_gb",
            ),
            (
                "node_type = \"cache.r6g.large\"\nmonthly_ecpus = 5",
                "monthly_ecpus",
            ),
            ("engine = \"valkey\"", "node_type"),
        ] {
            let msg = err(&scenario(
                "us-east-1",
                "",
                &format!("kind = \"elasticache\"\n{body}"),
            ));
            assert!(msg.contains(key), "{body}: {msg}");
        }
    }
}
