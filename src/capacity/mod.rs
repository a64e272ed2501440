//! Database connection capacity: the engine's default `max_connections` per instance class, the
//! connections left for applications after the reserved superuser slots, and headroom.
//!
//! Sources (see `shared/research/aws_facts.md` §1):
//! - RDS/Aurora PostgreSQL: `LEAST({DBInstanceClassMemory/9531392}, 5000)`;
//! - RDS MySQL and MariaDB before 10.5: `{DBInstanceClassMemory/12582880}`;
//! - RDS MariaDB 10.5+: `LEAST({DBInstanceClassMemory/25165760}, 12000)`;
//! - Aurora PostgreSQL / MySQL provisioned: AWS's published default tables; Aurora MySQL classes
//!   the table lacks: AWS's default formula
//!   `GREATEST({log(DBInstanceClassMemory/805306368)*45},{log(DBInstanceClassMemory/8187281408)*1000})`;
//! - Aurora Serverless v2: AWS's table by maximum ACU (fixed while the instance scales);
//! - RDS for Oracle: `processes` = `LEAST({DBInstanceClassMemory/9868951}, 20000)` (Oracle has no
//!   max_connections; each dedicated-server connection is a process, and Oracle's own
//!   background processes take some of them);
//! - RDS for SQL Server: `user connections` defaults to 0, unlimited up to the engine's 32,767
//!   (no memory formula: memory runs out first, so a scenario should state `max_connections`).
//!   Both from RDS-UG `CHAP_Limits` ("Maximum number of database connections").
//!
//! Parameter-formula division truncates to an integer (AWS "DB parameter formula operators").

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

/// Bytes in a GiB.
const GIB: f64 = 1_073_741_824.0;

/// Memory RDS keeps for the OS and its own processes, so DBInstanceClassMemory < nominal memory.
///
/// AWS documents that the difference exists but not its size. Fitted to the observed PostgreSQL
/// defaults in aws_facts §1.2 (db.t2.small 198, db.t2.medium 413, 8 GiB classes 856,
/// db.r4.large 1660) and AWS's own 16 GiB MySQL example ("around 1,300"): reserved =
/// 0.22 GiB + 2.2 % of nominal. It gives 85 on db.t3.micro, in line with "about 80" in seed 000.
pub fn instance_class_memory_bytes(nominal_gib: f64) -> f64 {
    let reserved_gib = 0.22 + 0.022 * nominal_gib;
    ((nominal_gib - reserved_gib).max(0.0)) * GIB
}

/// The database engine family, for formulas and reserved slots.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DbEngine {
    Postgres,
    Mysql,
    /// MariaDB 10.5 and later (the current RDS default versions).
    Mariadb,
    AuroraPostgres,
    AuroraMysql,
    /// RDS for Oracle (SE2, EE): `processes` bounds the dedicated-server connections.
    Oracle,
    /// RDS for SQL Server (every edition): `user connections`, unlimited by default.
    SqlServer,
}

/// SQL Server's largest `user connections` (its default 0 means this maximum).
pub const SQL_SERVER_MAX_CONNECTIONS: u32 = 32_767;

impl DbEngine {
    /// Connections reserved for superusers and RDS automation, not usable by applications.
    /// PostgreSQL: `superuser_reserved_connections` (3) + `rds.rds_superuser_reserved_connections`
    /// (2). Aurora PostgreSQL: "at least 3 more" for AWS automation. MySQL/MariaDB keep one
    /// extra slot for SUPER beyond max_connections, so nothing is subtracted.
    pub fn reserved_slots(self) -> u32 {
        match self {
            DbEngine::Postgres => 5,
            DbEngine::AuroraPostgres => 3,
            // Oracle's background processes count against `processes`, by a number that depends
            // on the configuration: none is subtracted, the basis line says so.
            DbEngine::Mysql
            | DbEngine::Mariadb
            | DbEngine::AuroraMysql
            | DbEngine::Oracle
            | DbEngine::SqlServer => 0,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            DbEngine::Postgres => "RDS PostgreSQL",
            DbEngine::Mysql => "RDS MySQL",
            DbEngine::Mariadb => "RDS MariaDB",
            DbEngine::AuroraPostgres => "Aurora PostgreSQL",
            DbEngine::AuroraMysql => "Aurora MySQL",
            DbEngine::Oracle => "RDS Oracle",
            DbEngine::SqlServer => "RDS SQL Server",
        }
    }
}

/// How a database's connection limit was obtained.
#[derive(Debug, Clone, PartialEq)]
pub struct ConnectionLimit {
    pub max_connections: u32,
    /// `max_connections` minus reserved slots.
    pub usable: u32,
    /// One line saying where the number comes from.
    pub basis: String,
}

/// What the capacity model needs to know about a database instance.
#[derive(Debug, Clone, PartialEq)]
pub enum DbSize {
    /// A provisioned class with its nominal memory.
    Class { class: String, memory_gib: f64 },
    /// Aurora Serverless v2 with its capacity range, ACU.
    Serverless { min_acu: f64, max_acu: f64 },
}

/// Default `max_connections` for `engine` on `size`, or the scenario's override.
pub fn connection_limit(
    engine: DbEngine,
    size: &DbSize,
    override_max: Option<u32>,
) -> ConnectionLimit {
    let (max, basis) = match override_max {
        Some(m) => (m, "set in the scenario".to_string()),
        None => default_max_connections(engine, size),
    };
    ConnectionLimit {
        max_connections: max,
        usable: max.saturating_sub(engine.reserved_slots()),
        basis,
    }
}

fn formula(memory_gib: f64, divisor: f64, cap: Option<u32>) -> u32 {
    let raw = (instance_class_memory_bytes(memory_gib) / divisor).floor();
    let v = raw.min(f64::from(u32::MAX)) as u32;
    cap.map_or(v, |c| v.min(c))
}

fn default_max_connections(engine: DbEngine, size: &DbSize) -> (u32, String) {
    match (engine, size) {
        (
            DbEngine::AuroraPostgres | DbEngine::AuroraMysql,
            DbSize::Serverless { min_acu, max_acu },
        ) => {
            let v = serverless_v2_table(engine, *max_acu);
            let acu = |a: f64| crate::money::fmt_number(Decimal::try_from(a).unwrap_or_default());
            let basis = format!("AWS Serverless v2 table for max {} ACU", acu(*max_acu));
            // "When you specify a minimum capacity of 0 or 0.5 ACUs on PostgreSQL-compatible DB
            // instances, the maximum value of max_connections is capped at 2,000" (AUR-UG
            // aurora-serverless-v2.setting-capacity).
            if engine == DbEngine::AuroraPostgres && *min_acu < 1.0 && v > SERVERLESS_PG_LOW_MIN_CAP
            {
                return (
                    SERVERLESS_PG_LOW_MIN_CAP,
                    format!("{basis}, capped at 2,000 by min {} ACU", acu(*min_acu)),
                );
            }
            (v, basis)
        }
        (_, DbSize::Serverless { .. }) => (0, "Serverless v2 is Aurora only".into()),
        (_, DbSize::Class { class, memory_gib }) => {
            if let Some(v) = aurora_table(engine, class) {
                return (v, format!("AWS default table for {class}"));
            }
            let m = *memory_gib;
            match engine {
                DbEngine::Postgres | DbEngine::AuroraPostgres => (
                    formula(m, 9_531_392.0, Some(5000)),
                    format!("LEAST(DBInstanceClassMemory/9531392, 5000) on {class}"),
                ),
                DbEngine::AuroraMysql => (
                    aurora_mysql_formula(m),
                    format!(
                        "GREATEST(log2(memory/805306368)*45, log2(memory/8187281408)*1000) on {class}"
                    ),
                ),
                DbEngine::Mysql => (
                    formula(m, 12_582_880.0, None),
                    format!("DBInstanceClassMemory/12582880 on {class}"),
                ),
                DbEngine::Mariadb => (
                    formula(m, 25_165_760.0, Some(12_000)),
                    format!("LEAST(DBInstanceClassMemory/25165760, 12000) on {class}"),
                ),
                DbEngine::Oracle => (
                    formula(m, 9_868_951.0, Some(20_000)),
                    format!(
                        "Oracle processes LEAST(DBInstanceClassMemory/9868951, 20000) on {class}; its background processes use some"
                    ),
                ),
                DbEngine::SqlServer => (
                    SQL_SERVER_MAX_CONNECTIONS,
                    "SQL Server user connections 0 (unlimited): the engine maximum 32,767, no memory formula; memory runs out first, so state max_connections".to_string(),
                ),
            }
        }
    }
}

/// Aurora MySQL's default `max_connections` on a class of `memory_gib`:
/// `GREATEST({log(DBInstanceClassMemory/805306368)*45},{log(DBInstanceClassMemory/8187281408)*1000})`,
/// `log` being base 2 (AUR-UG `AuroraMySQL.Managing.Performance`, `USER_ParamValuesRef`; AWS
/// Database Blog "Best practices for Amazon Aurora MySQL database configuration", whose
/// db.r4.large example takes DBInstanceClassMemory as the nominal 15.25 GiB). Each logarithm is
/// rounded to a whole number: that is what AWS's table shows for every class it lists
/// (db.r5.12xlarge, 384 GiB: log2(50.36) = 5.65 -> 6,000, not 5,654; db.t3.large, 8 GiB:
/// log2(10.67) = 3.42 -> 135), and `aurora_mysql_formula_reproduces_the_aws_table` checks it.
fn aurora_mysql_formula(memory_gib: f64) -> u32 {
    if memory_gib <= 0.0 {
        return 0;
    }
    let bytes = memory_gib * GIB;
    let t = (bytes / 805_306_368.0).log2().round() * 45.0;
    let r = (bytes / 8_187_281_408.0).log2().round() * 1000.0;
    t.max(r).max(0.0) as u32
}

/// AWS's published Aurora defaults per class (AuroraPostgreSQL.Managing and
/// AuroraMySQL.Managing.Performance, 2023-06). Classes not listed fall back to the engine's
/// formula.
fn aurora_table(engine: DbEngine, class: &str) -> Option<u32> {
    let pg: &[(&str, u32)] = &[
        ("db.t3.medium", 420),
        ("db.t3.large", 844),
        ("db.t4g.medium", 405),
        ("db.t4g.large", 844),
        ("db.r4.large", 1600),
        ("db.r4.xlarge", 3200),
        ("db.r5.large", 1600),
        ("db.r5.xlarge", 3300),
        ("db.r6g.large", 1722),
        ("db.r6g.xlarge", 3479),
        ("db.x2g.large", 3479),
    ];
    // AUR-UG `AuroraMySQL.Managing.Performance` (2023-06 and the current page, which adds the
    // r3/r4/r5 sizes below).
    let my: &[(&str, u32)] = &[
        ("db.r3.large", 1000),
        ("db.r3.xlarge", 2000),
        ("db.r3.2xlarge", 3000),
        ("db.r3.4xlarge", 4000),
        ("db.r3.8xlarge", 5000),
        ("db.r4.2xlarge", 3000),
        ("db.r4.4xlarge", 4000),
        ("db.r4.8xlarge", 5000),
        ("db.r4.16xlarge", 6000),
        ("db.r5.2xlarge", 3000),
        ("db.r5.4xlarge", 4000),
        ("db.r5.8xlarge", 5000),
        ("db.r5.12xlarge", 6000),
        ("db.r5.16xlarge", 6000),
        ("db.r5.24xlarge", 7000),
        ("db.t2.small", 45),
        ("db.t3.small", 45),
        ("db.t2.medium", 90),
        ("db.t3.medium", 90),
        ("db.t4g.medium", 90),
        ("db.t3.large", 135),
        ("db.t4g.large", 135),
        ("db.r4.large", 1000),
        ("db.r5.large", 1000),
        ("db.r6g.large", 1000),
        ("db.r6i.large", 1000),
        ("db.r4.xlarge", 2000),
        ("db.r5.xlarge", 2000),
        ("db.r6g.xlarge", 2000),
        ("db.r6i.xlarge", 2000),
        ("db.x2g.large", 2000),
        ("db.r6g.2xlarge", 3000),
        ("db.r6g.4xlarge", 4000),
        ("db.r6g.8xlarge", 5000),
        ("db.r6g.12xlarge", 6000),
        ("db.r6g.16xlarge", 6000),
    ];
    let table = match engine {
        DbEngine::AuroraPostgres => pg,
        DbEngine::AuroraMysql => my,
        _ => return None,
    };
    if let Some((_, v)) = table.iter().find(|(c, _)| *c == class) {
        return Some(*v);
    }
    // "db.r6g.2xlarge … 16xlarge: 5000" and the same for r5/x2g 2xlarge and up.
    if engine == DbEngine::AuroraPostgres
        && ["db.r6g.", "db.r5.", "db.x2g."]
            .iter()
            .any(|p| class.starts_with(p))
        && class.ends_with("xlarge")
        && !class.ends_with(".xlarge")
    {
        return Some(5000);
    }
    None
}

/// Aurora PostgreSQL Serverless v2's `max_connections` ceiling when min capacity is below 1 ACU.
const SERVERLESS_PG_LOW_MIN_CAP: u32 = 2000;

/// AWS's Serverless v2 table (aurora-serverless-v2.setting-capacity, 2023-06): the value for
/// the largest listed max ACU not above the setting. Below 1 ACU the 1-ACU row applies.
fn serverless_v2_table(engine: DbEngine, max_acu: f64) -> u32 {
    const ROWS: &[(f64, u32, u32)] = &[
        (1.0, 90, 189),
        (4.0, 135, 823),
        (8.0, 1000, 1669),
        (16.0, 2000, 3360),
        (32.0, 3000, 5000),
        (64.0, 4000, 5000),
        (128.0, 5000, 5000),
    ];
    let row = ROWS
        .iter()
        .rev()
        .find(|(acu, _, _)| max_acu >= *acu)
        .unwrap_or(&ROWS[0]);
    match engine {
        DbEngine::AuroraMysql => row.1,
        _ => row.2,
    }
}

/// What a priced resource means to the capacity model. Resources report it through
/// `Resource::role`; kinds that neither serve traffic nor hold connections return `None`.
#[derive(Debug, Clone, PartialEq)]
pub enum Role {
    None,
    /// A Lambda function: one request per environment at a time.
    Lambda {
        memory_mb: f64,
        reserved_concurrency: Option<u32>,
        provisioned_concurrency: u32,
        /// Hours a month provisioned concurrency is on (`None`: all month).
        provisioned_hours: Option<f64>,
    },
    /// Tasks or instances behind a load balancer.
    Fleet {
        /// "tasks" or "instances".
        unit: &'static str,
        /// Count when not autoscaled.
        count: u32,
        vcpu_per_unit: f64,
        /// The hours of the week (Monday 00:00 first) it runs, when on a weekly schedule.
        week: Option<[bool; 168]>,
    },
    /// A database instance (the writer, which takes application connections).
    Database {
        engine: DbEngine,
        size: DbSize,
        max_connections: Option<u32>,
    },
    /// RDS Proxy in front of the phase's database.
    Proxy {
        /// MaxConnectionsPercent as a fraction (default 1.0).
        max_connections_fraction: f64,
        /// Share of client sessions pinned to one DB connection.
        pinning_fraction: f64,
    },
    /// A fixed client of the database (MWAA workers, admin tools).
    DbClient {
        connections: u32,
    },
}

/// Concurrency AWS keeps unreserved in a region: functions may reserve at most the account's
/// limit minus this, in total ("you can reserve up to the unreserved account concurrency minus
/// 100", Lambda DG configuration-concurrency; aws_facts §3).
pub const UNRESERVED_CONCURRENCY: u32 = 100;

/// Refuse reserved concurrency that leaves less than [`UNRESERVED_CONCURRENCY`] of `account`
/// unreserved, summed over the phase's functions (name, reserved): (the function that crosses
/// it, message).
pub fn check_reserved_concurrency<'a>(
    reserved: impl IntoIterator<Item = (&'a str, u32)>,
    account: u32,
) -> Result<(), (String, String)> {
    let limit = account.saturating_sub(UNRESERVED_CONCURRENCY);
    let mut total: u64 = 0;
    for (name, cap) in reserved {
        total += u64::from(cap);
        if total > u64::from(limit) {
            let others = total - u64::from(cap);
            let also = if others > 0 {
                format!(" (with {others} reserved by the phase's other functions)")
            } else {
                String::new()
            };
            return Err((
                name.to_string(),
                format!(
                    "reserved_concurrency {cap}{also} leaves less than the {UNRESERVED_CONCURRENCY} that AWS keeps unreserved: with an account concurrency of {account}, the phase's functions can reserve at most {limit} in total; lower it, or set `[simulation] account_concurrency` to your region's quota"
                ),
            ));
        }
    }
    Ok(())
}

/// Headroom in percent: (usable − peak) / usable × 100; negative when demand exceeds the limit.
pub fn headroom_pct(usable: u32, peak: f64) -> f64 {
    if usable == 0 {
        return if peak > 0.0 { -100.0 } else { 0.0 };
    }
    (f64::from(usable) - peak) / f64::from(usable) * 100.0
}

/// Decimal → f64 for capacity arithmetic (memory sizes, ACU); exact values are small.
pub fn to_f64(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class(name: &str, gib: f64) -> DbSize {
        DbSize::Class {
            class: name.into(),
            memory_gib: gib,
        }
    }

    #[test]
    fn postgres_t3_micro() {
        // 1 GiB: reserved 0.22 + 0.022 = 0.242 GiB -> 0.758 GiB = 813,896,302.6 bytes;
        // / 9,531,392 = 85.39 -> 85; usable 85 - 3 - 2 = 80 (seed 000: "about 80").
        let l = connection_limit(DbEngine::Postgres, &class("db.t3.micro", 1.0), None);
        assert_eq!((l.max_connections, l.usable), (85, 80));
    }

    #[test]
    fn mysql_16_gib_matches_aws_example() {
        // AWS: 16 GiB, MySQL formula, "around 1,300". 16 - (0.22 + 0.352) = 15.428 GiB
        // = 16,565,448,761 bytes / 12,582,880 = 1316.5 -> 1316.
        let l = connection_limit(DbEngine::Mysql, &class("db.r6g.large", 16.0), None);
        assert_eq!(l.max_connections, 1316);
        assert_eq!(l.usable, 1316);
    }

    #[test]
    fn aurora_tables_and_serverless() {
        let l = connection_limit(DbEngine::AuroraPostgres, &class("db.r6g.large", 16.0), None);
        assert_eq!((l.max_connections, l.usable), (1722, 1719));
        let l = connection_limit(
            DbEngine::AuroraPostgres,
            &class("db.r6g.4xlarge", 128.0),
            None,
        );
        assert_eq!(l.max_connections, 5000);
        let s = |acu| DbSize::Serverless {
            min_acu: 1.0,
            max_acu: acu,
        };
        assert_eq!(
            connection_limit(DbEngine::AuroraPostgres, &s(1.0), None).max_connections,
            189
        );
        assert_eq!(
            connection_limit(DbEngine::AuroraPostgres, &s(16.0), None).max_connections,
            3360
        );
        assert_eq!(
            connection_limit(DbEngine::AuroraMysql, &s(4.0), None).max_connections,
            135
        );
        // Between rows the lower row applies: max 6 ACU -> the 4-ACU row.
        assert_eq!(
            connection_limit(DbEngine::AuroraPostgres, &s(6.0), None).max_connections,
            823
        );
    }

    #[test]
    fn aurora_postgres_serverless_with_a_low_minimum_is_capped_at_2000() {
        // AWS: min capacity 0 or 0.5 ACU on Aurora PostgreSQL caps max_connections at 2,000.
        // Max 16 ACU: the table's 3,360 -> 2,000 (usable 2,000 - 3 = 1,997); max 32: 5,000 ->
        // 2,000. Max 8 (1,669) is under the cap; min 1 ACU is not capped (3,360); Aurora MySQL
        // is not capped (max 32: 3,000).
        let s = |min_acu, max_acu| DbSize::Serverless { min_acu, max_acu };
        let pg = |min, max| connection_limit(DbEngine::AuroraPostgres, &s(min, max), None);
        let l = pg(0.5, 16.0);
        assert_eq!((l.max_connections, l.usable), (2000, 1997));
        assert!(l.basis.contains("capped at 2,000"), "{}", l.basis);
        assert_eq!(pg(0.0, 32.0).max_connections, 2000);
        assert_eq!(pg(0.5, 8.0).max_connections, 1669);
        assert_eq!(pg(1.0, 16.0).max_connections, 3360);
        let my = connection_limit(DbEngine::AuroraMysql, &s(0.5, 32.0), None);
        assert_eq!(my.max_connections, 3000);
    }

    /// The formula, on AWS's nominal memory (Concepts.DBInstanceClass / the Aurora MySQL class
    /// table), gives every value of AWS's Aurora MySQL table.
    #[test]
    fn aurora_mysql_formula_reproduces_the_aws_table() {
        let rows = [
            (2.0, 45),     // t2/t3.small
            (4.0, 90),     // t2/t3/t4g.medium
            (8.0, 135),    // t3/t4g.large
            (15.25, 1000), // r3/r4.large
            (16.0, 1000),  // r5/r6g/r6i.large
            (30.5, 2000),  // r3/r4.xlarge
            (32.0, 2000),  // r5/r6g.xlarge, x2g.large
            (61.0, 3000),  // r3/r4.2xlarge
            (64.0, 3000),  // r5/r6g.2xlarge
            (122.0, 4000), // r3/r4.4xlarge
            (128.0, 4000), // r5/r6g.4xlarge
            (244.0, 5000), // r3/r4.8xlarge
            (256.0, 5000), // r5/r6g.8xlarge
            (384.0, 6000), // r5/r6g.12xlarge
            (488.0, 6000), // r4.16xlarge
            (512.0, 6000), // r5/r6g.16xlarge
            (768.0, 7000), // r5.24xlarge
        ];
        for (gib, expected) in rows {
            assert_eq!(aurora_mysql_formula(gib), expected, "{gib} GiB");
        }
        assert_eq!(aurora_mysql_formula(0.0), 0);
    }

    #[test]
    fn aurora_mysql_classes_missing_from_the_table_use_the_aurora_formula() {
        // db.r7g.large, 16 GiB = 17,179,869,184 B: /8,187,281,408 = 2.098, log2 = 1.07 -> 1
        // -> 1,000; /805,306,368 = 21.33, log2 = 4.42 -> 4 -> 180. GREATEST = 1,000 (the RDS
        // MySQL formula gave 1,316).
        let l = connection_limit(DbEngine::AuroraMysql, &class("db.r7g.large", 16.0), None);
        assert_eq!((l.max_connections, l.usable), (1000, 1000));
        // db.r7g.4xlarge, 128 GiB: /8,187,281,408 = 16.79, log2 = 4.07 -> 4 -> 4,000 (was 10,663
        // by the RDS MySQL formula). db.r5.4xlarge is in AWS's table: 4,000.
        let l = connection_limit(DbEngine::AuroraMysql, &class("db.r7g.4xlarge", 128.0), None);
        assert_eq!(l.max_connections, 4000);
        let l = connection_limit(DbEngine::AuroraMysql, &class("db.r5.4xlarge", 128.0), None);
        assert_eq!(l.max_connections, 4000);
        assert!(l.basis.contains("table"), "{}", l.basis);
        // RDS MySQL keeps its own formula: 1,316 on 16 GiB (`mysql_16_gib_matches_aws_example`).
        let l = connection_limit(DbEngine::Mysql, &class("db.r7g.large", 16.0), None);
        assert_eq!(l.max_connections, 1316);
    }

    #[test]
    fn oracle_uses_its_processes_formula_and_sql_server_its_engine_maximum() {
        // 8 GiB: DBInstanceClassMemory = (8 - 0.22 - 0.176) GiB = 8,164,799,430 bytes (see
        // instance_class_memory_bytes); / 9,868,951 = 827
        let l = connection_limit(DbEngine::Oracle, &class("db.m5.large", 8.0), None);
        assert_eq!(l.max_connections, 827);
        assert!(l.basis.contains("processes"), "{}", l.basis);
        // never the MySQL formula (8 GiB / 12,582,880 = 648)
        assert_ne!(l.max_connections, 648);
        let l = connection_limit(DbEngine::SqlServer, &class("db.m5.large", 8.0), None);
        assert_eq!(l.max_connections, 32_767);
        assert!(l.basis.contains("state max_connections"), "{}", l.basis);
        let l = connection_limit(DbEngine::SqlServer, &class("db.m5.large", 8.0), Some(400));
        assert_eq!((l.max_connections, l.usable), (400, 400));
    }

    #[test]
    fn large_aurora_classes() {
        // Aurora MySQL db.r6g.16xlarge and db.r5.24xlarge are in AWS's table (6,000, 7,000);
        // db.r7g.16xlarge is not: 512 GiB /8,187,281,408 = 67.15, log2 = 6.07 -> 6 -> 6,000.
        let my = |c, gib| connection_limit(DbEngine::AuroraMysql, &class(c, gib), None);
        assert_eq!(my("db.r6g.16xlarge", 512.0).max_connections, 6000);
        assert_eq!(my("db.r5.24xlarge", 768.0).max_connections, 7000);
        assert_eq!(my("db.r7g.16xlarge", 512.0).max_connections, 6000);
        // Aurora PostgreSQL db.r7g.8xlarge: LEAST(DBInstanceClassMemory/9531392, 5000), the
        // memory term about 28,000, so 5,000; db.r6g.8xlarge by the table's 2xlarge-and-up row.
        let pg = |c, gib| connection_limit(DbEngine::AuroraPostgres, &class(c, gib), None);
        assert_eq!(pg("db.r7g.8xlarge", 256.0).max_connections, 5000);
        assert_eq!(pg("db.r6g.8xlarge", 256.0).max_connections, 5000);
    }

    #[test]
    fn override_and_headroom() {
        let l = connection_limit(DbEngine::Postgres, &class("db.t3.micro", 1.0), Some(100));
        assert_eq!((l.max_connections, l.usable), (100, 95));
        assert!((headroom_pct(80, 60.0) - 25.0).abs() < 1e-12);
        assert!(headroom_pct(80, 100.0) < 0.0);
    }
}
