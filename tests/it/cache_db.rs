//! ElastiCache (Memcached, snapshots, Serverless) and Aurora (large classes, backtrack, snapshot
//! export, Serverless v2 on I/O-Optimized) through the real binary (issue 16).

use crate::common::{dec, json_of, phase, total};
use rust_decimal::Decimal;
use serde_json::Value;

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> String {
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

fn cost(p: &Value, resource: &str, component: &str) -> Decimal {
    let l = p["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["resource"] == resource && l["component"] == component)
        .unwrap_or_else(|| panic!("no line {resource}: {component}"));
    dec(l["monthly_cost"].as_str().unwrap())
}

#[test]
fn serverless_cache_and_large_aurora_classes_us_east_1() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        &dir,
        "cache-db.toml",
        r#"region = "us-east-1"

[phases.prod.resources.cache]
kind = "elasticache"
engine = "valkey"
serverless = true
data_stored_gb = 10
monthly_ecpus = 1_000_000_000

[phases.prod.resources.db]
kind = "aurora"
engine = "mysql"
instance_class = "db.r7g.16xlarge"
instances = 2
storage_gb = 500
monthly_io_requests = 100_000_000

[phases.prod.resources.events]
kind = "aurora"
engine = "postgres"
max_acu = 16
avg_acu = 4
storage_config = "io_optimized"
storage_gb = 200
"#,
    );
    let e = json_of(&path);
    let p = phase(&e, "prod");
    // 10 GB x 730 h = 7,300 GB-hours x $0.084 = $613.20; 1,000M ECPUs = 1,000 x $0.0023 = $2.30
    assert_eq!(cost(p, "cache", "Serverless data stored"), dec("613.2"));
    assert_eq!(cost(p, "cache", "Serverless ECPUs"), dec("2.3"));
    // 2 x 730 h = 1,460 h x $8.844 (Aurora MySQL db.r7g.16xlarge) = $12,912.24; 500 GB x $0.10
    // = $50; 100M I/O = 100 x $0.20 = $20
    assert_eq!(cost(p, "db", "Instance (db.r7g.16xlarge)"), dec("12912.24"));
    assert_eq!(cost(p, "db", "I/O requests"), dec("20"));
    // Serverless v2 on I/O-Optimized: 4 ACU x 730 h = 2,920 ACU-hours x $0.156 = $455.52;
    // 200 GB x $0.225 = $45; no I/O line
    assert_eq!(cost(p, "events", "Serverless v2 capacity"), dec("455.52"));
    assert_eq!(cost(p, "events", "Storage"), dec("45"));
    // 615.50 + 12,912.24 + 50 + 20 + 455.52 + 45 = 14,098.26
    assert_eq!(total(&e, "prod"), dec("14098.26"));
}

#[test]
fn serverless_cache_and_serverless_v2_io_optimized_in_tokyo() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        &dir,
        "cache-db-tokyo.toml",
        r#"region = "ap-northeast-1"

[phases.prod.resources.cache]
kind = "elasticache"
engine = "valkey"
serverless = true
data_stored_gb = 10

[phases.prod.resources.db]
kind = "aurora"
engine = "postgres"
max_acu = 8
avg_acu = 2
storage_config = "io_optimized"
storage_gb = 100
"#,
    );
    let e = json_of(&path);
    let p = phase(&e, "prod");
    // 10 GB x 730 h = 7,300 GB-hours x $0.101 = $737.30; ECPUs unstated: $0
    assert_eq!(cost(p, "cache", "Serverless data stored"), dec("737.3"));
    assert_eq!(cost(p, "cache", "Serverless ECPUs"), Decimal::ZERO);
    // 2 ACU x 730 h = 1,460 ACU-hours x $0.20 = $292; 100 GB x $0.27 = $27
    assert_eq!(cost(p, "db", "Serverless v2 capacity"), dec("292"));
    assert_eq!(cost(p, "db", "Storage"), dec("27"));
    // 737.30 + 292 + 27 = 1,056.30
    assert_eq!(total(&e, "prod"), dec("1056.3"));
}
