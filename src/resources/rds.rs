//! RDS for PostgreSQL, MySQL, MariaDB, Oracle (SE2, EE) and SQL Server (Express, Web, Standard,
//! Enterprise) with their license model: instance-hours; storage (gp3 with the IOPS above what
//! it includes at the volume's size, gp2, io1 and io2 with every provisioned IOPS billed,
//! magnetic with its I/O requests); backup beyond the free 100 % of storage; read replicas;
//! Performance Insights retention and Database Insights Advanced; RDS Extended Support (MySQL,
//! PostgreSQL) by the engine version's calendar and the month priced; CPU credits of burstable
//! classes in unlimited mode.
//! Multi-AZ (one standby) is priced at AWS's published Multi-AZ rates (`rds.<engine>.multi_az.
//! <class>`, `rds.storage.multi_az.*`), which are not always 2 x Single-AZ; a class or storage
//! type without one in the book is a missing price, never 2 x.

use rust_decimal::Decimal;
use serde::Deserialize;

use super::KindRole;
use super::{check_class, running_hours, Ctx, FieldError, Resource, Schedule, Usage};
use crate::capacity::Role;
use crate::num::{mul, Count, NonNeg, Positive};
use crate::pricing::{Catalog, Family, PriceError};

/// The database engine, by its RDS API name (`Engine`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Engine {
    Postgres,
    Mysql,
    Mariadb,
    /// Oracle Database Standard Edition Two: license included or bring your own license.
    #[serde(rename = "oracle-se2")]
    OracleSe2,
    /// Oracle Database Enterprise Edition: bring your own license only.
    #[serde(rename = "oracle-ee")]
    OracleEe,
    /// SQL Server Express Edition (license included).
    #[serde(rename = "sqlserver-ex")]
    SqlserverEx,
    /// SQL Server Web Edition (license included).
    #[serde(rename = "sqlserver-web")]
    SqlserverWeb,
    /// SQL Server Standard Edition (license included).
    #[serde(rename = "sqlserver-se")]
    SqlserverSe,
    /// SQL Server Enterprise Edition (license included).
    #[serde(rename = "sqlserver-ee")]
    SqlserverEe,
}

/// The engine families whose rules differ (storage sizes, licenses, Multi-AZ storage records).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EngineFamily {
    OpenSource,
    Oracle,
    SqlServer,
}

impl Engine {
    /// The API name (`oracle-se2`), as the scenario writes it.
    pub fn api_name(self) -> &'static str {
        match self {
            Engine::Postgres => "postgres",
            Engine::Mysql => "mysql",
            Engine::Mariadb => "mariadb",
            Engine::OracleSe2 => "oracle-se2",
            Engine::OracleEe => "oracle-ee",
            Engine::SqlserverEx => "sqlserver-ex",
            Engine::SqlserverWeb => "sqlserver-web",
            Engine::SqlserverSe => "sqlserver-se",
            Engine::SqlserverEe => "sqlserver-ee",
        }
    }

    /// The engine's name in messages.
    pub fn label(self) -> &'static str {
        match self {
            Engine::Postgres => "for PostgreSQL",
            Engine::Mysql => "for MySQL",
            Engine::Mariadb => "for MariaDB",
            Engine::OracleSe2 => "for Oracle SE2",
            Engine::OracleEe => "for Oracle EE",
            Engine::SqlserverEx => "for SQL Server Express",
            Engine::SqlserverWeb => "for SQL Server Web",
            Engine::SqlserverSe => "for SQL Server Standard",
            Engine::SqlserverEe => "for SQL Server Enterprise",
        }
    }

    fn family(self) -> EngineFamily {
        match self {
            Engine::Postgres | Engine::Mysql | Engine::Mariadb => EngineFamily::OpenSource,
            Engine::OracleSe2 | Engine::OracleEe => EngineFamily::Oracle,
            _ => EngineFamily::SqlServer,
        }
    }

    /// The license models RDS offers the engine (none for the open-source engines).
    fn license_models(self) -> &'static [LicenseModel] {
        match self {
            Engine::Postgres | Engine::Mysql | Engine::Mariadb => &[],
            Engine::OracleSe2 => &[LicenseModel::LicenseIncluded, LicenseModel::Byol],
            Engine::OracleEe => &[LicenseModel::Byol],
            _ => &[LicenseModel::LicenseIncluded],
        }
    }
}

/// CloudWatch Database Insights mode (`DatabaseInsightsMode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum DatabaseInsights {
    /// Standard mode: free with 7 days of history; longer retention at Performance Insights'
    /// flexible-retention rates (`performance_insights_retention_months`).
    Standard,
    /// Advanced mode: per vCPU-hour, 15 months of history included.
    Advanced,
}

/// How the engine is licensed, by the RDS API names (`LicenseModel`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
pub enum LicenseModel {
    /// The license is in the hourly price (Oracle SE2, every SQL Server edition).
    #[serde(rename = "license-included")]
    LicenseIncluded,
    /// Bring your own license: the hourly price is the infrastructure only (Oracle SE2, EE).
    #[serde(rename = "bring-your-own-license")]
    Byol,
}

impl LicenseModel {
    fn api_name(self) -> &'static str {
        match self {
            LicenseModel::LicenseIncluded => "license-included",
            LicenseModel::Byol => "bring-your-own-license",
        }
    }
}

/// RDS storage types, by their API names (`StorageType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum StorageType {
    /// General Purpose SSD gp3: 3,000 IOPS included below 400 GB, 12,000 from 400 GB.
    #[default]
    Gp3,
    /// General Purpose SSD gp2: IOPS come with the size; nothing provisioned.
    Gp2,
    /// Provisioned IOPS SSD io1: storage plus every provisioned IOPS.
    Io1,
    /// Provisioned IOPS SSD io2 Block Express: storage plus every provisioned IOPS.
    Io2,
    /// Magnetic (previous generation, AWS's `standard`): storage plus I/O requests.
    #[serde(alias = "magnetic")]
    Standard,
}

impl StorageType {
    /// The book's name for it (`rds.storage.<name>`).
    pub fn key(self) -> &'static str {
        match self {
            StorageType::Gp3 => "gp3",
            StorageType::Gp2 => "gp2",
            StorageType::Io1 => "io1",
            StorageType::Io2 => "io2",
            StorageType::Standard => "magnetic",
        }
    }

    /// Provisioned IOPS SSD: io1 or io2, whose every provisioned IOPS is billed.
    fn is_piops(self) -> bool {
        matches!(self, StorageType::Io1 | StorageType::Io2)
    }
}

#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Rds {
    pub engine: Engine,
    /// Oracle and SQL Server only: `license-included` or `bring-your-own-license`, as RDS
    /// offers them (Oracle SE2 both, which must be said; Oracle EE bring-your-own only; SQL
    /// Server license-included only).
    #[serde(default)]
    pub license_model: Option<LicenseModel>,
    pub instance_class: String,
    #[serde(default)]
    pub multi_az: bool,
    #[serde(default)]
    pub storage_type: StorageType,
    /// Allocated storage per instance, GB (gp2/gp3 from 20 GB, io1/io2 from 100 GB, magnetic
    /// 5 GB to 3,072 GB).
    pub storage_gb: Positive,
    /// IOPS provisioned per instance, in total (what the console and API call `Iops`): gp3 bills
    /// those above what it includes; io1 and io2 need it and bill all of them (1,000 and up).
    #[serde(default)]
    pub iops: Option<NonNeg>,
    /// gp3 IOPS provisioned above 3,000 (the older way to say `iops = 3000 + extra_iops`).
    #[serde(default)]
    pub extra_iops: Option<NonNeg>,
    /// Magnetic storage only: I/O requests a month, this resource's instances together (as
    /// the bill counts them); unstated, the line depends on usage.
    #[serde(default)]
    pub monthly_io_requests: Option<NonNeg>,
    /// Total backup storage, GB; the first 100 % of the primary's storage is free.
    #[serde(default)]
    pub backup_gb: Option<NonNeg>,
    /// Read replicas of the same class (Single-AZ each, own storage).
    #[serde(default)]
    pub read_replicas: Option<Count>,
    #[serde(default)]
    pub schedule: Option<Schedule>,
    /// Performance Insights history kept beyond the free 7 days, months (1-24): billed per vCPU
    /// of every instance (primary, standby, replicas) at the flexible-retention rates, which
    /// Database Insights' Standard mode keeps.
    #[serde(default)]
    pub performance_insights_retention_months: Option<Count>,
    /// CloudWatch Database Insights mode; `advanced` is billed per vCPU-hour of every instance
    /// (and includes 15 months of history). Standard is free beyond the retention above.
    #[serde(default)]
    pub database_insights: Option<DatabaseInsights>,
    /// Burstable classes (db.t3, db.t4g), which RDS runs in unlimited mode: the surplus
    /// vCPU-hours a month above the baseline that AWS bills as CPU credits, this resource's
    /// instances together (the bill's `CPUCredits` vCPU-hours).
    #[serde(default)]
    pub cpu_credit_vcpu_hours: Option<NonNeg>,
    /// MySQL and PostgreSQL: the engine version (`"12"`, `"12.22"`, `"5.7.44"`, `"8.0"`); its
    /// major version decides whether it is in RDS Extended Support, and which year, in the
    /// month `billing_month` names.
    #[serde(default)]
    pub engine_version: Option<String>,
    /// The month this scenario prices, `"YYYY-MM"`: with `engine_version`, which Extended
    /// Support year (if any) applies.
    #[serde(default)]
    pub billing_month: Option<String>,
    /// The RDS Extended Support year (1-3) to price, stated instead of `billing_month`.
    #[serde(default)]
    pub extended_support_year: Option<Count>,
    /// Overrides the engine's default max_connections (capacity model): MariaDB, MySQL and
    /// PostgreSQL default to their memory formulas, Oracle to its `processes` formula, SQL Server
    /// to its engine maximum (32,767; memory runs out first: state it).
    #[serde(default)]
    pub max_connections: Option<Count>,
    /// The instance (and its read replicas) on Reserved Instances (`{ term, payment }`; a
    /// Multi-AZ instance on Multi-AZ ones; see `commitment`).
    #[serde(default)]
    pub reserved: super::commitment::ReservedKey,
}

impl Resource for Rds {
    fn role(&self, catalog: &Catalog) -> Role {
        use crate::capacity::{DbEngine, DbSize};
        let engine = match self.engine {
            Engine::Postgres => DbEngine::Postgres,
            Engine::Mysql => DbEngine::Mysql,
            Engine::Mariadb => DbEngine::Mariadb,
            Engine::OracleSe2 | Engine::OracleEe => DbEngine::Oracle,
            Engine::SqlserverEx
            | Engine::SqlserverWeb
            | Engine::SqlserverSe
            | Engine::SqlserverEe => DbEngine::SqlServer,
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
        self.check_engine()?;
        self.check_insights()?;
        self.extended_support().map_err(|e| *e)?;
        self.check_cpu_credits()?;
        self.check_storage()
    }

    fn price(&self, ctx: &mut Ctx) -> Result<(), PriceError> {
        let hours = running_hours(self.schedule.as_ref(), ctx.hours_per_month);
        let replicas = self.read_replicas.map_or(Decimal::ZERO, |c| c.dec());
        let engine = self.price_engine();
        let class = &self.instance_class;
        if self.multi_az {
            // AWS publishes Multi-AZ rates per class (primary + standby), which differ from
            // 2 x Single-AZ in places (Tokyo db.t4g.small: $0.05 vs $0.101).
            super::commitment::instance_hours(
                ctx,
                &format!("Instance ({class}, Multi-AZ)"),
                &format!("rds.{engine}.multi_az.{class}"),
                Decimal::ONE,
                hours,
                self.reserved.get(),
            )?;
            // AWS's RDS free tier is 750 h of Single-AZ micro instances.
            ctx.note("Multi-AZ (primary + standby) at the published Multi-AZ rate")
                .no_free_tier("the RDS free tier covers Single-AZ instances only");
        } else {
            super::commitment::instance_hours(
                ctx,
                &format!("Instance ({class})"),
                &format!("rds.{engine}.{class}"),
                Decimal::ONE,
                hours,
                self.reserved.get(),
            )?;
        }
        if let Some(note) = self.license_note() {
            ctx.note(note);
        }
        // A version in standard support, or one the calendar lacks: said on the instance line.
        if let Ok(ExtendedSupport::None(Some(note))) = self.extended_support() {
            ctx.note(note);
        }
        if replicas > Decimal::ZERO {
            super::commitment::instance_hours(
                ctx,
                &format!("Read replicas ({class})"),
                &format!("rds.{engine}.{class}"),
                replicas,
                hours,
                self.reserved.get(),
            )?;
        }
        self.price_storage(ctx, replicas)?;
        self.price_insights(ctx, replicas, hours)?;
        self.price_extended_support(ctx, replicas, hours)?;
        if self.cpu_credit_vcpu_hours.is_some() {
            let key = match self.engine.family() {
                EngineFamily::OpenSource => "rds.cpu_credits",
                EngineFamily::Oracle => "rds.cpu_credits.oracle",
                EngineFamily::SqlServer => "rds.cpu_credits.sqlserver",
            };
            ctx.usage(
                "CPU credits (unlimited mode)",
                key,
                Usage::of(self.cpu_credit_vcpu_hours),
            )?;
            ctx.note("surplus vCPU-hours above the class's baseline, as stated; RDS runs db.t3/db.t4g in unlimited mode");
        }
        let backup = Usage::stated(
            self.backup_gb
                .map(|b| (b.0 - self.storage_gb.0).max(Decimal::ZERO)),
        );
        ctx.usage("Backup storage beyond free", "rds.backup", backup)?;
        Ok(())
    }
}

/// IOPS RDS gp3 storage includes at `storage_gb` (MariaDB, MySQL, PostgreSQL): 3,000 below
/// 400 GB, 12,000 from 400 GB (with 125 and 500 MiB/s of throughput). AWS:
/// https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/CHAP_Storage.html#gp3-storage
pub fn gp3_included_iops(storage_gb: Decimal) -> Decimal {
    if storage_gb >= Decimal::from(400) {
        Decimal::from(12_000)
    } else {
        Decimal::from(3_000)
    }
}

/// The storage sizes RDS allows, GB (CreateDBInstance `AllocatedStorage`): MariaDB, MySQL and
/// PostgreSQL gp2/gp3 20-65,536, io1/io2 100-65,536, magnetic 5-3,072; Oracle the same but
/// magnetic from 10; SQL Server up to 16,384 (magnetic 1,024), from 20 GB here for every type
/// and edition (older API texts put Standard/Enterprise at 200 GB, io1 at 100 GB: the lower
/// bound is kept permissive rather than refuse a size RDS takes).
/// https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html
fn storage_range(engine: Engine, storage: StorageType) -> (u32, u32) {
    match (engine.family(), storage) {
        (EngineFamily::SqlServer, StorageType::Standard) => (20, 1_024),
        (EngineFamily::SqlServer, _) => (20, 16_384),
        (_, StorageType::Gp3 | StorageType::Gp2) => (20, 65_536),
        (_, StorageType::Io1 | StorageType::Io2) => (100, 65_536),
        (EngineFamily::Oracle, StorageType::Standard) => (10, 3_072),
        (_, StorageType::Standard) => (5, 3_072),
    }
}

/// Graviton classes (db.t4g, db.m6g, db.r7g, db.x2g, ...): the family letter-and-digits end
/// in `g` (with an optional suffix such as `gd`).
fn is_graviton(class: &str) -> bool {
    class
        .split('.')
        .nth(1)
        .map(|f| f.trim_start_matches(|c: char| c.is_ascii_alphabetic()))
        .map(|f| f.trim_start_matches(|c: char| c.is_ascii_digit()))
        .is_some_and(|rest| rest.starts_with('g'))
}

/// A month, `(year, month)`, ordered.
type Month = (i32, u32);

/// `"YYYY-MM"` as a month.
fn parse_month(s: &str) -> Option<Month> {
    let digits = |t: &str, n: usize| t.len() == n && t.bytes().all(|b| b.is_ascii_digit());
    let (ys, ms) = s.split_once('-')?;
    if !(digits(ys, 4) && digits(ms, 2)) {
        return None;
    }
    let (y, m) = (ys.parse::<i32>().ok()?, ms.parse::<u32>().ok()?);
    (1..=12).contains(&m).then_some((y, m))
}

/// `n` months after `m`.
fn add_months(m: Month, n: u32) -> Month {
    let total = m.0 * 12 + (m.1 as i32 - 1) + n as i32;
    (total.div_euclid(12), total.rem_euclid(12) as u32 + 1)
}

fn fmt_month((y, m): Month) -> String {
    format!("{y}-{m:02}")
}

/// RDS Extended Support: the month its charges start (year 1) and the month year 3's rate
/// starts, per major version; each version has three years (year 2 at year 1's rate), after
/// which RDS upgrades it. The dates of AWS's release calendars (RDS for MySQL "Supported MySQL
/// major versions", RDS for PostgreSQL release calendar) as Infracost's RDS model tabulates
/// them, citing those pages; PostgreSQL 11's charges started on 2024-04-01, a month after its
/// Extended Support began (RDS-UG "Amazon RDS Extended Support charges"). MariaDB has no RDS
/// Extended Support (the API returns only standard support for it).
const EXTENDED_SUPPORT: &[(Engine, &str, Month, Month)] = &[
    (Engine::Mysql, "5.7", (2024, 3), (2026, 3)),
    (Engine::Mysql, "8.0", (2026, 8), (2028, 8)),
    (Engine::Postgres, "11", (2024, 4), (2026, 4)),
    (Engine::Postgres, "12", (2025, 3), (2027, 3)),
    (Engine::Postgres, "13", (2026, 3), (2028, 3)),
    (Engine::Postgres, "14", (2027, 3), (2029, 3)),
    (Engine::Postgres, "15", (2028, 3), (2030, 3)),
    (Engine::Postgres, "16", (2029, 3), (2031, 3)),
];

/// What Extended Support means for a resource: nothing, a year to price (with why), or no
/// calendar entry (said on the line).
#[derive(Debug, PartialEq)]
enum ExtendedSupport {
    None(Option<String>),
    Year(u32, String),
}

/// The fewest IOPS io1 and io2 provision (RDS `ValidStorageOptions`: "1000-256,000").
const PIOPS_MIN: u32 = 1_000;

impl Rds {
    /// The engine's price-key segment: the engine, with the license model for Oracle
    /// (`rds.oracle_se2_li.<class>`, `rds.oracle_ee_byol.<class>`, `rds.sqlserver_se.<class>`).
    fn price_engine(&self) -> &'static str {
        match (self.engine, self.license()) {
            (Engine::Postgres, _) => "postgres",
            (Engine::Mysql, _) => "mysql",
            (Engine::Mariadb, _) => "mariadb",
            (Engine::OracleSe2, Some(LicenseModel::Byol)) => "oracle_se2_byol",
            (Engine::OracleSe2, _) => "oracle_se2_li",
            (Engine::OracleEe, _) => "oracle_ee_byol",
            (Engine::SqlserverEx, _) => "sqlserver_ex",
            (Engine::SqlserverWeb, _) => "sqlserver_web",
            (Engine::SqlserverSe, _) => "sqlserver_se",
            (Engine::SqlserverEe, _) => "sqlserver_ee",
        }
    }

    /// The license model priced: the stated one, or the only one RDS offers the engine.
    fn license(&self) -> Option<LicenseModel> {
        match self.engine.license_models() {
            [only] => Some(self.license_model.unwrap_or(*only)),
            _ => self.license_model,
        }
    }

    /// What the instance line says of the license, for the commercial engines.
    fn license_note(&self) -> Option<String> {
        let engine = self.engine.api_name();
        match (self.license()?, self.license_model.is_some()) {
            (LicenseModel::Byol, _) => Some(format!(
                "{engine}: bring your own license; the rate is RDS's infrastructure only, the Oracle license is yours to hold"
            )),
            (LicenseModel::LicenseIncluded, true) => {
                Some(format!("{engine}: license included in the hourly rate"))
            }
            (LicenseModel::LicenseIncluded, false) => Some(format!(
                "{engine}: license included in the hourly rate (the only model RDS offers it)"
            )),
        }
    }

    /// The major version of `engine_version`: PostgreSQL's first number, MySQL's first two.
    fn major_version(&self) -> Option<String> {
        let v = self.engine_version.as_deref()?;
        let parts: Vec<&str> = v.split('.').collect();
        Some(match self.engine {
            Engine::Mysql => parts.iter().take(2).copied().collect::<Vec<_>>().join("."),
            _ => parts[0].to_string(),
        })
    }

    /// Whether Extended Support is priced and for which year, or the located reason it cannot
    /// be decided (a version with a calendar entry and neither the month nor the year stated).
    fn extended_support(&self) -> Result<ExtendedSupport, Box<FieldError>> {
        let engine = self.engine.api_name();
        let any = self.engine_version.is_some()
            || self.billing_month.is_some()
            || self.extended_support_year.is_some();
        if !any {
            return Ok(ExtendedSupport::None(None));
        }
        if !matches!(self.engine, Engine::Mysql | Engine::Postgres) {
            let field = if self.extended_support_year.is_some() {
                "extended_support_year"
            } else if self.engine_version.is_some() {
                "engine_version"
            } else {
                "billing_month"
            };
            return Err(Box::new(FieldError::new(
                field,
                format!("RDS Extended Support is for MySQL and PostgreSQL; {engine} has none to price"),
            ).help(Some("remove `engine_version`, `billing_month` and `extended_support_year`".into()))));
        }
        let month = match self.billing_month.as_deref() {
            None => None,
            Some(m) => Some(parse_month(m).ok_or_else(|| {
                Box::new(FieldError::new(
                    "billing_month",
                    format!("`{m}` is not a month; write it \"YYYY-MM\", e.g. \"2027-03\""),
                ))
            })?),
        };
        if let Some(y) = self.extended_support_year {
            if !(1..=3).contains(&y.0) {
                return Err(Box::new(FieldError::new(
                    "extended_support_year",
                    format!("RDS Extended Support has years 1, 2 and 3, got {}", y.0),
                )));
            }
            if month.is_some() {
                return Err(Box::new(FieldError::new(
                    "extended_support_year",
                    "give `billing_month` (the year follows from engine_version's calendar) or `extended_support_year`, not both",
                )));
            }
            return Ok(ExtendedSupport::Year(
                y.0,
                format!(
                    "Extended Support year {} as stated (extended_support_year)",
                    y.0
                ),
            ));
        }
        let Some(major) = self.major_version() else {
            return Err(Box::new(
                FieldError::new(
                    "billing_month",
                    "`billing_month` decides the Extended Support year of `engine_version`, which is not given",
                )
                .help(Some("add engine_version = \"...\" (the major version is enough)".into())),
            ));
        };
        let Some(&(_, _, year1, year3)) = EXTENDED_SUPPORT
            .iter()
            .find(|(e, v, _, _)| *e == self.engine && *v == major)
        else {
            return Ok(ExtendedSupport::None(Some(format!(
                "{engine} {major}: no RDS Extended Support date in costplan's calendar, none priced"
            ))));
        };
        let year2 = add_months(year1, 12);
        let end = add_months(year3, 12);
        let Some(m) = month else {
            return Err(Box::new(
                FieldError::new(
                    "engine_version",
                    format!(
                        "{engine} {major} is in RDS Extended Support from {} (year 3 from {}, until {}); say which month this scenario prices",
                        fmt_month(year1),
                        fmt_month(year3),
                        fmt_month(add_months(year3, 11))
                    ),
                )
                .help(Some(
                    "add billing_month = \"YYYY-MM\", or extended_support_year = 1, 2 or 3".into(),
                )),
            ));
        };
        let at = |y: u32| {
            format!(
                "{engine} {major} in {}: Extended Support year {y} (year 1 from {}, year 3 from {})",
                fmt_month(m),
                fmt_month(year1),
                fmt_month(year3)
            )
        };
        Ok(if m < year1 {
            ExtendedSupport::None(Some(format!(
                "{engine} {major} in {}: in RDS standard support; Extended Support charges start {}",
                fmt_month(m),
                fmt_month(year1)
            )))
        } else if m < year2 {
            ExtendedSupport::Year(1, at(1))
        } else if m < year3 {
            ExtendedSupport::Year(2, at(2))
        } else if m < end {
            ExtendedSupport::Year(3, at(3))
        } else {
            return Err(Box::new(
                FieldError::new(
                    "billing_month",
                    format!(
                        "{engine} {major}'s RDS Extended Support ends before {} (its last month is {}); RDS upgrades it to a supported major version",
                        fmt_month(m),
                        fmt_month(add_months(year3, 11))
                    ),
                )
                .help(Some("price a supported engine_version".into())),
            ));
        })
    }

    /// The vCPUs of one instance of the class, and the instances that bill per vCPU: the
    /// primary, a Multi-AZ standby and the replicas.
    fn vcpus_and_instances(&self, ctx: &Ctx, replicas: Decimal) -> (u32, Decimal) {
        let per_instance = ctx
            .catalog
            .rds
            .get(&self.instance_class)
            .map_or(0, |s| s.vcpu);
        let primary = if self.multi_az {
            Decimal::TWO
        } else {
            Decimal::ONE
        };
        (per_instance, replicas + primary)
    }

    /// RDS Extended Support, per vCPU-hour of every instance running the version (the primary,
    /// a Multi-AZ standby, the replicas); year 2 is at year 1's rate.
    fn price_extended_support(
        &self,
        ctx: &mut Ctx,
        replicas: Decimal,
        hours: Decimal,
    ) -> Result<(), PriceError> {
        let Ok(ExtendedSupport::Year(year, why)) = self.extended_support() else {
            return Ok(());
        };
        let (per_instance, instances) = self.vcpus_and_instances(ctx, replicas);
        let key = if year == 3 {
            "rds.extended_support.year3"
        } else {
            "rds.extended_support.year1_2"
        };
        ctx.baseline(
            &format!("Extended Support (year {year})"),
            key,
            mul(mul(Decimal::from(per_instance), instances)?, hours)?,
        )?;
        ctx.note(format!(
            "{why}; {per_instance} vCPU x {} instance(s), per vCPU-hour while running",
            crate::money::fmt_number(instances)
        ));
        Ok(())
    }

    /// CPU credits are billed only on the burstable classes RDS runs in unlimited mode.
    fn check_cpu_credits(&self) -> Result<(), FieldError> {
        if self.cpu_credit_vcpu_hours.is_none() {
            return Ok(());
        }
        let family = self.instance_class.split('.').nth(1).unwrap_or("");
        if family == "t2" {
            return Err(FieldError::new(
                "cpu_credit_vcpu_hours",
                format!("{} runs in standard mode (held to its baseline once its credits run out): it bills no CPU credits", self.instance_class),
            ).help(Some("remove `cpu_credit_vcpu_hours`, or use a db.t3 or db.t4g class".into())));
        }
        if !matches!(family, "t3" | "t4g") {
            return Err(FieldError::new(
                "cpu_credit_vcpu_hours",
                format!(
                    "{} is not burstable: CPU credits are billed on db.t3 and db.t4g only",
                    self.instance_class
                ),
            ));
        }
        Ok(())
    }

    /// Retention of 1-24 months, and not with Advanced mode (which has its own 15 months).
    fn check_insights(&self) -> Result<(), FieldError> {
        let Some(months) = self.performance_insights_retention_months else {
            return Ok(());
        };
        if !(1..=24).contains(&months.0) {
            return Err(FieldError::new(
                "performance_insights_retention_months",
                format!(
                    "Performance Insights keeps 1-24 months beyond the free 7 days, got {}",
                    months.0
                ),
            ));
        }
        if self.database_insights == Some(DatabaseInsights::Advanced) {
            return Err(FieldError::new(
                "performance_insights_retention_months",
                "Database Insights' Advanced mode includes 15 months of history in its vCPU-hour rate; the retention months are Standard mode's",
            )
            .help(Some(
                "drop `performance_insights_retention_months`, or use database_insights = \"standard\""
                    .into(),
            )));
        }
        Ok(())
    }

    /// Performance Insights' paid retention (Standard mode) or Database Insights' Advanced mode,
    /// on the vCPUs of every instance: the primary, a Multi-AZ standby, the replicas.
    fn price_insights(
        &self,
        ctx: &mut Ctx,
        replicas: Decimal,
        hours: Decimal,
    ) -> Result<(), PriceError> {
        let retention = self.performance_insights_retention_months;
        let advanced = self.database_insights == Some(DatabaseInsights::Advanced);
        if retention.is_none() && !advanced {
            return Ok(());
        }
        let (per_instance, instances) = self.vcpus_and_instances(ctx, replicas);
        let vcpus = mul(Decimal::from(per_instance), instances)?;
        let who = format!(
            "{} vCPU x {} instance(s){}",
            per_instance,
            crate::money::fmt_number(instances),
            if self.multi_az {
                " (the Multi-AZ standby counts)"
            } else {
                ""
            }
        );
        if advanced {
            ctx.baseline(
                "Database Insights (Advanced)",
                "rds.database_insights.advanced",
                mul(vcpus, hours)?,
            )?;
            ctx.note(format!(
                "{who}, per vCPU-hour while running; includes 15 months of history"
            ));
        }
        if let Some(months) = retention {
            let months = Decimal::from(months.0);
            ctx.baseline(
                "Performance Insights retention, 1st month",
                "rds.performance_insights.retention_first_month",
                vcpus,
            )?;
            ctx.note(format!(
                "{who}: history beyond the free 7 days, flexible retention (kept at the same rates in Database Insights' Standard mode)"
            ));
            if months > Decimal::ONE {
                ctx.baseline(
                    &format!(
                        "Performance Insights retention, months 2-{}",
                        crate::money::fmt_number(months)
                    ),
                    "rds.performance_insights.retention_additional_month",
                    mul(vcpus, months - Decimal::ONE)?,
                )?;
            }
        }
        Ok(())
    }

    /// The license model RDS offers the engine, Graviton classes (which Oracle and SQL Server
    /// do not run on), and what the editions do not offer (SQL Server Express has no Multi-AZ;
    /// only the Enterprise editions have read replicas).
    fn check_engine(&self) -> Result<(), FieldError> {
        let engine = self.engine.api_name();
        let offered = self.engine.license_models();
        let names = |ms: &[LicenseModel]| {
            ms.iter()
                .map(|m| format!("`{}`", m.api_name()))
                .collect::<Vec<_>>()
                .join(" or ")
        };
        match (self.license_model, offered) {
            (Some(_), []) => {
                return Err(FieldError::new(
                    "license_model",
                    format!("{engine} has no license model to choose on RDS (it is open source)"),
                )
                .help(Some(
                    "remove `license_model`; it applies to Oracle and SQL Server".into(),
                )))
            }
            (Some(m), ms) if !ms.contains(&m) => {
                let why = match self.engine.family() {
                    EngineFamily::Oracle => {
                        "RDS sells Oracle Enterprise Edition only with your own license"
                    }
                    _ => {
                        "RDS for SQL Server is license-included only; SQL Server licenses you bring run on EC2 or RDS Custom for SQL Server"
                    }
                };
                return Err(FieldError::new(
                    "license_model",
                    format!("{engine} is not offered as `{}`: {why}", m.api_name()),
                )
                .help(Some(format!("use license_model = {}", names(ms)))));
            }
            (None, ms) if ms.len() > 1 => {
                return Err(FieldError::new(
                    "engine",
                    format!(
                        "{engine} is offered {}, at very different rates; say which",
                        names(ms)
                    ),
                )
                .help(Some(format!("add license_model = {}", names(ms)))))
            }
            _ => {}
        }
        if self.engine.family() != EngineFamily::OpenSource && is_graviton(&self.instance_class) {
            return Err(FieldError::new(
                "instance_class",
                format!(
                    "{engine} does not run on Graviton classes like {}",
                    self.instance_class
                ),
            )
            .help(Some(
                "use an Intel class: db.t3, db.m5, db.m6i, db.r5 or db.r6i".into(),
            )));
        }
        if self.engine == Engine::SqlserverEx && self.multi_az {
            return Err(FieldError::new(
                "multi_az",
                "SQL Server Express Edition has no Multi-AZ deployment on RDS",
            )
            .help(Some(
                "use sqlserver-web, sqlserver-se or sqlserver-ee for Multi-AZ".into(),
            )));
        }
        let replicas = self.read_replicas.is_some_and(|c| c.0 > 0);
        if replicas
            && matches!(
                self.engine,
                Engine::OracleSe2
                    | Engine::SqlserverEx
                    | Engine::SqlserverWeb
                    | Engine::SqlserverSe
            )
        {
            return Err(FieldError::new(
                "read_replicas",
                format!("{engine} has no read replicas on RDS; Oracle and SQL Server have them in Enterprise Edition"),
            )
            .help(Some(match self.engine.family() {
                EngineFamily::Oracle => "use engine = \"oracle-ee\" for read replicas".into(),
                _ => "use engine = \"sqlserver-ee\" for read replicas".into(),
            })));
        }
        Ok(())
    }

    /// Keys the storage type does not take, io1/io2 without `iops`, sizes RDS does not allow.
    fn check_storage(&self) -> Result<(), FieldError> {
        let t = self.storage_type;
        let name = t.key();
        if self.iops.is_some() && self.extra_iops.is_some() {
            return Err(FieldError::new(
                "extra_iops",
                "give `iops` (total provisioned) or `extra_iops` (above 3,000), not both",
            ));
        }
        if self.extra_iops.is_some() && t != StorageType::Gp3 {
            return Err(FieldError::new(
                "extra_iops",
                format!("`extra_iops` is gp3's (IOPS above 3,000); {name} storage takes `iops`, the total"),
            )
            .help(Some(if t.is_piops() {
                format!("give `iops` = every IOPS this {name} storage provisions")
            } else {
                "provisioned IOPS are billed on gp3 (above what it includes), io1 and io2".into()
            })));
        }
        if self.iops.is_some() && matches!(t, StorageType::Gp2 | StorageType::Standard) {
            let why = if t == StorageType::Gp2 {
                "gp2's IOPS come with the size; use storage_type = \"gp3\" (or io1/io2) to provision IOPS"
            } else {
                "magnetic storage bills I/O requests instead (`monthly_io_requests`)"
            };
            return Err(FieldError::new(
                "iops",
                format!("{name} storage has no provisioned IOPS: {why}"),
            )
            .help(Some(
                "provisioned IOPS are billed on gp3 (above what it includes), io1 and io2".into(),
            )));
        }
        if t.is_piops() {
            match self.iops {
                None => {
                    return Err(FieldError::new(
                        "storage_type",
                        format!("{name} storage needs `iops`: every provisioned IOPS is billed per IOPS-month"),
                    )
                    .help(Some(format!(
                        "add `iops = ...` (at least {}) to this {name} storage",
                        crate::money::fmt_number(Decimal::from(PIOPS_MIN))
                    ))))
                }
                Some(i) if i.0 < Decimal::from(PIOPS_MIN) => {
                    return Err(FieldError::new(
                        "iops",
                        format!(
                            "{name} storage provisions at least {} IOPS, got {}",
                            crate::money::fmt_number(Decimal::from(PIOPS_MIN)),
                            crate::money::fmt_number(i.0)
                        ),
                    ))
                }
                Some(_) => {}
            }
        }
        if self.monthly_io_requests.is_some() && t != StorageType::Standard {
            return Err(FieldError::new(
                "monthly_io_requests",
                format!(
                    "{name} storage does not bill I/O requests; only magnetic (`standard`) does"
                ),
            ));
        }
        let (min, max) = storage_range(self.engine, t);
        let gb = self.storage_gb.0;
        if gb < Decimal::from(min) || gb > Decimal::from(max) {
            return Err(FieldError::new(
                "storage_gb",
                format!(
                    "RDS {} {name} storage is {}-{} GB, got {}",
                    self.engine.label(),
                    crate::money::fmt_number(Decimal::from(min)),
                    crate::money::fmt_number(Decimal::from(max)),
                    crate::money::fmt_number(gb)
                ),
            ));
        }
        Ok(())
    }

    /// Provisioned IOPS billed per instance: gp3's above what it includes at this size, every
    /// io1/io2 IOPS; `None` when none.
    fn billed_iops(&self) -> Option<Decimal> {
        let total = match (self.iops, self.extra_iops) {
            (Some(i), _) => i.0,
            (None, Some(e)) => Decimal::from(3_000) + e.0,
            (None, None) => return None,
        };
        let billed = match self.storage_type {
            StorageType::Gp3 => total - gp3_included_iops(self.storage_gb.0),
            StorageType::Io1 | StorageType::Io2 => total,
            StorageType::Gp2 | StorageType::Standard => return None,
        };
        Some(billed).filter(|b| *b > Decimal::ZERO)
    }

    /// Storage is billed while an instance is stopped, so it ignores the schedule. Each instance
    /// has its own; a Multi-AZ primary's (both copies) is at the Multi-AZ rate, the replicas'
    /// at the Single-AZ rate.
    fn price_storage(&self, ctx: &mut Ctx, replicas: Decimal) -> Result<(), PriceError> {
        let t = self.storage_type;
        let kind = t.key();
        let label = format!("Storage ({kind})");
        let storage = self.storage_gb.0;
        let iops = self.billed_iops();
        let (iops_label, iops_kind) = match t {
            StorageType::Gp3 => (
                format!(
                    "Provisioned IOPS above {}",
                    crate::money::fmt_number(gp3_included_iops(storage))
                ),
                "gp3_iops",
            ),
            StorageType::Io1 => ("Provisioned IOPS (io1)".to_string(), "io1_iops"),
            _ => ("Provisioned IOPS (io2)".to_string(), "io2_iops"),
        };
        // Single-AZ instances: the primary unless it is Multi-AZ, and the replicas.
        let single = if self.multi_az {
            replicas
        } else {
            replicas + Decimal::ONE
        };
        if self.multi_az {
            // SQL Server's Multi-AZ storage has its own records (deployment option `Multi-AZ
            // (SQL Server Mirror)`, usage types `RDS:Mirror-*`).
            let multi = if self.engine.family() == EngineFamily::SqlServer {
                "rds.storage.sqlserver_multi_az"
            } else {
                "rds.storage.multi_az"
            };
            ctx.baseline(
                &format!("{label}, Multi-AZ"),
                &format!("{multi}.{kind}"),
                storage,
            )?;
            if let Some(iops) = iops {
                ctx.baseline(
                    &format!("{iops_label}, Multi-AZ"),
                    &format!("{multi}.{iops_kind}"),
                    iops,
                )?;
            }
        }
        if single > Decimal::ZERO {
            let suffix = if self.multi_az { ", read replicas" } else { "" };
            ctx.baseline(
                &format!("{label}{suffix}"),
                &format!("rds.storage.{kind}"),
                mul(storage, single)?,
            )?;
            if let Some(iops) = iops {
                ctx.baseline(
                    &format!("{iops_label}{suffix}"),
                    &format!("rds.storage.{iops_kind}"),
                    mul(iops, single)?,
                )?;
            }
        }
        // Magnetic storage always bills I/O: unstated, the line depends on usage.
        if t == StorageType::Standard {
            ctx.usage(
                "I/O requests (magnetic)",
                "rds.storage.magnetic_io",
                Usage::of(self.monthly_io_requests),
            )?;
        }
        Ok(())
    }
}

impl super::Kind for Rds {
    const SCHEDULABLE: bool = true;
    const ROLE: KindRole = KindRole::Database;
    const COMMITMENTS: &'static [&'static str] = &["reserved"];
}

#[cfg(test)]
mod tests {
    //! Hand-checked figures; where their unit prices come from: `crate::testkit`.

    use crate::estimate::UsageSource;
    use crate::testkit::{
        assert_refused, cost, dec, err, has_note, line, lines, qty, scenario, stated_price, tokyo,
        total, us, us_with,
    };
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
    fn rds_multi_az_at_the_published_rate_and_backup_beyond_free() {
        let e = us(r#"kind = "rds"
engine = "postgres"
instance_class = "db.t4g.micro"
multi_az = true
storage_gb = 100
backup_gb = 250"#);
        // primary + standby at the Multi-AZ rate: 730 h x $0.032
        // (rds.postgres.multi_az.db.t4g.micro) = $23.36
        let i = line(&e, "Instance (db.t4g.micro, Multi-AZ)");
        assert_eq!(i.quantity, dec("730"));
        assert_eq!(i.monthly_cost, dec("23.36"));
        assert!(has_note(i, "Multi-AZ"));
        // 100 GB x $0.23 (rds.storage.multi_az.gp3, both copies) = $23.00
        assert_eq!(qty(&e, "Storage (gp3), Multi-AZ"), dec("100"));
        assert_eq!(cost(&e, "Storage (gp3), Multi-AZ"), dec("23.00"));
        // backup 250 GB - 100 GB free (100 % of storage) = 150 GB x $0.095 (rds.backup) = $14.25
        assert_eq!(qty(&e, "Backup storage beyond free"), dec("150"));
        assert_eq!(cost(&e, "Backup storage beyond free"), dec("14.25"));
    }

    #[test]
    fn rds_multi_az_tokyo_is_not_twice_single_az() {
        let e = tokyo(
            r#"kind = "rds"
engine = "postgres"
instance_class = "db.t4g.small"
multi_az = true
storage_gb = 20"#,
        );
        // 730 h x $0.101 (rds.postgres.multi_az.db.t4g.small) = $73.73, not 2 x 730 x $0.05 = $73.00
        assert_eq!(cost(&e, "Instance (db.t4g.small, Multi-AZ)"), dec("73.73"));
        // 20 GB x $0.276 (rds.storage.multi_az.gp3) = $5.52
        assert_eq!(cost(&e, "Storage (gp3), Multi-AZ"), dec("5.52"));
    }

    #[test]
    fn rds_multi_az_without_a_published_price_is_a_missing_price() {
        // The us-east-1 book has no Multi-AZ rate for MySQL db.m6g.large: an error, never
        // 2 x $0.154.
        let msg = err(&scenario(
            "us-east-1",
            "",
            r#"kind = "rds"
engine = "mysql"
instance_class = "db.m6g.large"
multi_az = true
storage_gb = 100"#,
        ));
        assert!(msg.contains("rds.mysql.multi_az.db.m6g.large"), "{msg}");
    }

    #[test]
    fn rds_gp3_from_400_gb_includes_12000_iops() {
        // 400 GB gp3 includes 12,000 IOPS: 14,000 - 12,000 = 2,000 IOPS x $0.02
        // (rds.storage.gp3_iops) = $40 (not (14,000 - 3,000) x $0.02 = $220).
        for field in ["iops = 14000", "extra_iops = 11000"] {
            let e = us(&format!(
                "kind = \"rds\"\nengine = \"postgres\"\ninstance_class = \"db.t3.micro\"\nstorage_gb = 400\n{field}"
            ));
            assert_eq!(
                qty(&e, "Provisioned IOPS above 12,000"),
                dec("2000"),
                "{field}"
            );
            assert_eq!(
                cost(&e, "Provisioned IOPS above 12,000"),
                dec("40"),
                "{field}"
            );
        }
        // 399 GB includes 3,000: 14,000 - 3,000 = 11,000 x $0.02 = $220
        let e = us(r#"kind = "rds"
engine = "postgres"
instance_class = "db.t3.micro"
storage_gb = 399
iops = 14000"#);
        assert_eq!(cost(&e, "Provisioned IOPS above 3,000"), dec("220"));
        // 12,000 IOPS on 400 GB: all included, no IOPS line
        let e = us(r#"kind = "rds"
engine = "postgres"
instance_class = "db.t3.micro"
storage_gb = 400
iops = 12000"#);
        assert!(e.phases[0]
            .lines
            .iter()
            .all(|l| !l.component.starts_with("Provisioned IOPS")));
        let msg = err(&scenario(
            "us-east-1",
            "",
            r#"kind = "rds"
engine = "postgres"
instance_class = "db.t3.micro"
storage_gb = 400
iops = 14000
extra_iops = 11000"#,
        ));
        assert!(msg.contains("not both"), "{msg}");
    }

    #[test]
    fn rds_io1_bills_storage_and_every_iops() {
        let e = us(r#"kind = "rds"
engine = "mysql"
instance_class = "db.t3.micro"
storage_type = "io1"
storage_gb = 100
iops = 1200"#);
        // 100 GB x $0.125 (rds.storage.io1) = $12.50; 1,200 IOPS x $0.10 (rds.storage.io1_iops)
        // = $120.00 (every io1 IOPS is billed; none is included)
        assert_eq!(cost(&e, "Storage (io1)"), dec("12.50"));
        assert_eq!(qty(&e, "Provisioned IOPS (io1)"), dec("1200"));
        assert_eq!(cost(&e, "Provisioned IOPS (io1)"), dec("120.00"));
    }

    #[test]
    fn rds_io2_with_a_read_replica() {
        let e = us(r#"kind = "rds"
engine = "postgres"
instance_class = "db.t3.micro"
storage_type = "io2"
storage_gb = 200
iops = 3000
read_replicas = 1"#);
        // primary + replica, each 200 GB and 3,000 IOPS: 400 GB x $0.125 (rds.storage.io2) = $50;
        // 6,000 IOPS x $0.10 (rds.storage.io2_iops, no tiers on RDS) = $600
        assert_eq!(cost(&e, "Storage (io2)"), dec("50"));
        assert_eq!(qty(&e, "Provisioned IOPS (io2)"), dec("6000"));
        assert_eq!(cost(&e, "Provisioned IOPS (io2)"), dec("600"));
    }

    #[test]
    fn rds_multi_az_io1_without_a_published_price_is_a_missing_price() {
        // No Multi-AZ io1 record in the us-east-1 book: an error naming the key, never 2 x.
        let msg = err(&scenario(
            "us-east-1",
            "",
            r#"kind = "rds"
engine = "postgres"
instance_class = "db.t4g.micro"
multi_az = true
storage_type = "io1"
storage_gb = 100
iops = 1000"#,
        ));
        assert!(msg.contains("rds.storage.multi_az.io1"), "{msg}");
    }

    #[test]
    fn rds_magnetic_and_multi_az_gp2_prices_are_missing_not_guessed() {
        // The book has no checkable source for magnetic storage, its I/O requests or Multi-AZ
        // gp2 yet (the one found was another tool's test output): each is a missing-price error
        // naming its key, never a figure borrowed from another storage type.
        let msg = err(&scenario(
            "us-east-1",
            "",
            r#"kind = "rds"
engine = "mysql"
instance_class = "db.t3.micro"
storage_type = "standard"
storage_gb = 40
monthly_io_requests = 25000000"#,
        ));
        assert!(msg.contains("rds.storage.magnetic"), "{msg}");
        assert!(msg.contains("rds.storage.magnetic_io"), "{msg}");
    }

    #[test]
    fn rds_multi_az_gp2_at_its_published_rate() {
        let body = r#"kind = "rds"
engine = "postgres"
instance_class = "db.t4g.micro"
storage_type = "gp2"
multi_az = true
storage_gb = 30"#;
        // us-east-1: 30 GB x $0.23 (rds.storage.multi_az.gp2, RDS:Multi-AZ-GP2-Storage) = $6.90
        assert_eq!(cost(&us(body), "Storage (gp2), Multi-AZ"), dec("6.90"));
        // Tokyo: 30 GB x $0.276 (APN1-RDS:Multi-AZ-GP2-Storage) = $8.28
        assert_eq!(cost(&tokyo(body), "Storage (gp2), Multi-AZ"), dec("8.28"));
    }

    #[test]
    fn rds_gp3_multi_az_iops_above_included() {
        let e = us(r#"kind = "rds"
engine = "postgres"
instance_class = "db.t4g.micro"
multi_az = true
storage_gb = 400
iops = 14000"#);
        // 400 GB x $0.23 = $92; (14,000 - 12,000) x $0.04 (rds.storage.multi_az.gp3_iops,
        // 2 x the Single-AZ $0.02) = $80
        assert_eq!(cost(&e, "Storage (gp3), Multi-AZ"), dec("92"));
        assert_eq!(
            cost(&e, "Provisioned IOPS above 12,000, Multi-AZ"),
            dec("80")
        );
    }

    #[test]
    fn rds_storage_keys_the_type_does_not_take_are_refused() {
        let body = |extra: &str| {
            format!("kind = \"rds\"\nengine = \"mysql\"\ninstance_class = \"db.t3.micro\"\n{extra}")
        };
        for (extra, want) in [
            (
                "storage_type = \"io1\"\nstorage_gb = 100",
                "io1 storage needs `iops`",
            ),
            (
                "storage_type = \"io2\"\nstorage_gb = 100\niops = 500",
                "at least 1,000 IOPS",
            ),
            (
                "storage_type = \"io1\"\nstorage_gb = 50\niops = 1000",
                "io1 storage is 100-65,536 GB",
            ),
            (
                "storage_type = \"gp2\"\nstorage_gb = 50\niops = 4000",
                "gp2 storage has no provisioned IOPS",
            ),
            (
                "storage_type = \"standard\"\nstorage_gb = 50\niops = 4000",
                "bills I/O requests instead",
            ),
            (
                "storage_type = \"standard\"\nstorage_gb = 4000",
                "magnetic storage is 5-3,072 GB",
            ),
            (
                "storage_type = \"io1\"\nstorage_gb = 100\nextra_iops = 1000",
                "`extra_iops` is gp3's",
            ),
            (
                "storage_gb = 50\nmonthly_io_requests = 1000",
                "only magnetic (`standard`) does",
            ),
            ("storage_gb = 10", "gp3 storage is 20-65,536 GB"),
        ] {
            let msg = err(&scenario("us-east-1", "", &body(extra)));
            assert!(msg.contains(want), "{extra}: {msg}");
        }
    }

    /// An override stating an hourly price the book lacks.
    fn stated(key: &str, price: &str) -> String {
        stated_price(key, price, "hour")
    }

    #[test]
    fn rds_sql_server_editions_license_included() {
        // No checkable price for the SQL Server editions in either book yet: each edition asks
        // for its own key; with the key overridden at $1.00/h, 730 h x $1.00 = $730.
        for (engine, class, key) in [
            (
                "sqlserver-ex",
                "db.t3.large",
                "rds.sqlserver_ex.db.t3.large",
            ),
            (
                "sqlserver-web",
                "db.t3.large",
                "rds.sqlserver_web.db.t3.large",
            ),
            (
                "sqlserver-se",
                "db.m5.xlarge",
                "rds.sqlserver_se.db.m5.xlarge",
            ),
            (
                "sqlserver-ee",
                "db.m5.xlarge",
                "rds.sqlserver_ee.db.m5.xlarge",
            ),
        ] {
            let body = format!(
                "kind = \"rds\"\nengine = \"{engine}\"\ninstance_class = \"{class}\"\nstorage_gb = 20"
            );
            // neither book has a source for any SQL Server edition's instance hours
            for region in ["us-east-1", "ap-northeast-1"] {
                assert_refused(region, &body, &format!("no price for `{key}`"));
            }
            let e = us_with(&stated(key, "1.00"), &body);
            let i = line(&e, &format!("Instance ({class})"));
            assert_eq!(i.monthly_cost, dec("730"), "{engine}");
            assert!(has_note(i, "license included"), "{engine}: {:?}", i.notes);
            // storage is the same record price for every engine: 20 GB x $0.115 = $2.30
            assert_eq!(cost(&e, "Storage (gp3)"), dec("2.30"), "{engine}");
        }
    }

    #[test]
    fn rds_oracle_license_models() {
        // No checkable Oracle price for these classes in either book yet: each engine and license
        // model asks for its own key; overridden at $0.50/h, 730 h x $0.50 = $365.
        for (engine, license, key, note) in [
            (
                "oracle-se2",
                "license_model = \"license-included\"",
                "rds.oracle_se2_li.db.t3.large",
                "license included",
            ),
            (
                "oracle-se2",
                "license_model = \"bring-your-own-license\"",
                "rds.oracle_se2_byol.db.t3.large",
                "bring your own license",
            ),
            // EE is bring-your-own only, so license_model may be left out
            (
                "oracle-ee",
                "",
                "rds.oracle_ee_byol.db.t3.large",
                "bring your own license",
            ),
        ] {
            let body = format!(
                "kind = \"rds\"\nengine = \"{engine}\"\n{license}\ninstance_class = \"db.t3.large\"\nstorage_gb = 20"
            );
            for region in ["us-east-1", "ap-northeast-1"] {
                assert_refused(region, &body, &format!("no price for `{key}`"));
            }
            let e = us_with(&stated(key, "0.50"), &body);
            let i = line(&e, "Instance (db.t3.large)");
            assert_eq!(i.monthly_cost, dec("365"), "{key}");
            assert!(has_note(i, note), "{key}: {:?}", i.notes);
        }
    }

    #[test]
    fn rds_oracle_ee_byol_multi_az_from_the_tokyo_record() {
        // Tokyo's one Oracle record (pl-rds-apn1-oracle-20240830, SKU 22GTWH3M7MMRFZQ9):
        // Oracle EE BYOL db.m5d.8xlarge Multi-AZ, 730 h x $8.851 = $6,461.23
        let body = r#"kind = "rds"
engine = "oracle-ee"
instance_class = "db.m5d.8xlarge"
multi_az = true
storage_gb = 100"#;
        let e = tokyo(body);
        let i = line(&e, "Instance (db.m5d.8xlarge, Multi-AZ)");
        assert_eq!(i.price_key, "rds.oracle_ee_byol.multi_az.db.m5d.8xlarge");
        assert_eq!(i.monthly_cost, dec("6461.23"));
        assert!(has_note(i, "low-trust price"), "{:?}", i.notes);
        assert!(has_note(i, "bring your own license"), "{:?}", i.notes);
        // storage at the Multi-AZ gp3 record: 100 GB x $0.276 = $27.60
        assert_eq!(cost(&e, "Storage (gp3), Multi-AZ"), dec("27.60"));
        // Single-AZ and us-east-1 have no record: missing, never half the Multi-AZ rate
        let single = body.replace("multi_az = true\n", "");
        assert_refused(
            "ap-northeast-1",
            &single,
            "no price for `rds.oracle_ee_byol.db.m5d.8xlarge`",
        );
        assert_refused(
            "us-east-1",
            body,
            "no price for `rds.oracle_ee_byol.multi_az.db.m5d.8xlarge`",
        );
    }

    #[test]
    fn rds_license_models_aws_does_not_offer_are_refused_with_the_valid_ones() {
        let body = |engine: &str, extra: &str| {
            format!("kind = \"rds\"\nengine = \"{engine}\"\ninstance_class = \"db.m5.large\"\nstorage_gb = 100\n{extra}")
        };
        for (engine, extra, want, help) in [
            (
                "oracle-ee",
                "license_model = \"license-included\"",
                "oracle-ee is not offered as `license-included`",
                "license_model = `bring-your-own-license`",
            ),
            (
                "sqlserver-se",
                "license_model = \"bring-your-own-license\"",
                "RDS for SQL Server is license-included only",
                "license_model = `license-included`",
            ),
            (
                "oracle-se2",
                "",
                "oracle-se2 is offered `license-included` or `bring-your-own-license`",
                "add license_model",
            ),
            (
                "mysql",
                "license_model = \"license-included\"",
                "mysql has no license model",
                "remove `license_model`",
            ),
        ] {
            let msg = err(&scenario("us-east-1", "", &body(engine, extra)));
            assert!(msg.contains(want), "{engine}: {msg}");
            assert!(msg.contains(help), "{engine}: {msg}");
            // located at the key
            assert!(msg.contains("test.toml:"), "{msg}");
        }
    }

    #[test]
    fn rds_commercial_engines_refuse_what_aws_does_not_offer() {
        let body = |engine: &str, class: &str, extra: &str| {
            format!("kind = \"rds\"\nengine = \"{engine}\"\ninstance_class = \"{class}\"\nstorage_gb = 100\n{extra}")
        };
        for (b, want) in [
            (
                body("sqlserver-se", "db.r6g.large", ""),
                "does not run on Graviton classes like db.r6g.large",
            ),
            (
                body("oracle-ee", "db.t4g.medium", ""),
                "does not run on Graviton",
            ),
            (
                body("sqlserver-ex", "db.t3.large", "multi_az = true"),
                "SQL Server Express Edition has no Multi-AZ",
            ),
            (
                body("sqlserver-se", "db.m5.large", "read_replicas = 1"),
                "sqlserver-se has no read replicas",
            ),
            (
                body(
                    "oracle-se2",
                    "db.m5.large",
                    "license_model = \"license-included\"\nread_replicas = 1",
                ),
                "use engine = \"oracle-ee\"",
            ),
            (
                "kind = \"rds\"\nengine = \"sqlserver-web\"\ninstance_class = \"db.m5.large\"\nstorage_type = \"standard\"\nstorage_gb = 2000".to_string(),
                "RDS for SQL Server Web magnetic storage is 20-1,024 GB",
            ),
        ] {
            let msg = err(&scenario("us-east-1", "", &b));
            assert!(msg.contains(want), "{b}: {msg}");
        }
        // what AWS offers passes: SQL Server Web, Single-AZ, on an Intel class, at its price
        // ($1.00/h stated: 730 h x $1.00 = $730)
        let e = us_with(
            &stated("rds.sqlserver_web.db.t3.large", "1.00"),
            r#"kind = "rds"
engine = "sqlserver-web"
instance_class = "db.t3.large"
storage_gb = 20"#,
        );
        assert_eq!(cost(&e, "Instance (db.t3.large)"), dec("730"));
    }

    #[test]
    fn rds_sql_server_multi_az_storage_uses_its_mirror_records() {
        // SQL Server Multi-AZ storage has its own key (`Multi-AZ (SQL Server Mirror)`), not the
        // other engines' Multi-AZ rate; no checkable price for it or the instance yet
        let body = r#"kind = "rds"
engine = "sqlserver-se"
instance_class = "db.m5.xlarge"
multi_az = true
storage_gb = 100"#;
        let msg = err(&scenario("us-east-1", "", body));
        assert!(
            msg.contains("rds.sqlserver_se.multi_az.db.m5.xlarge"),
            "{msg}"
        );
        assert!(msg.contains("rds.storage.sqlserver_multi_az.gp3"), "{msg}");
        assert!(!msg.contains("rds.storage.multi_az.gp3`"), "{msg}");
        // both stated: 100 GB x $0.30 = $30.00
        let top = format!(
            "{}\n{}",
            stated("rds.sqlserver_se.multi_az.db.m5.xlarge", "2.00"),
            stated_price("rds.storage.sqlserver_multi_az.gp3", "0.30", "GB-month")
        );
        let e = us_with(&top, body);
        let s = line(&e, "Storage (gp3), Multi-AZ");
        assert_eq!(s.price_key, "rds.storage.sqlserver_multi_az.gp3");
        assert_eq!(s.monthly_cost, dec("30.00"));
    }

    #[test]
    fn rds_more_classes_at_their_published_rates() {
        // PostgreSQL Graviton classes, Single-AZ and Multi-AZ (pl-rds-use1-20260728), 730 h each
        for (class, multi_az, rate) in [
            ("db.m6g.large", false, "0.159"),
            ("db.m6g.large", true, "0.318"),
            ("db.m6g.2xlarge", true, "1.272"),
            ("db.r6g.xlarge", true, "0.899"),  // not 2 x $0.450
            ("db.r7g.2xlarge", true, "1.913"), // not 2 x $0.956
        ] {
            let e = us(&format!(
                "kind = \"rds\"\nengine = \"postgres\"\ninstance_class = \"{class}\"\nmulti_az = {multi_az}\nstorage_gb = 100"
            ));
            let label = if multi_az {
                format!("Instance ({class}, Multi-AZ)")
            } else {
                format!("Instance ({class})")
            };
            assert_eq!(
                cost(&e, &label),
                dec("730") * dec(rate),
                "{class} {multi_az}"
            );
        }
    }

    #[test]
    fn rds_intel_classes_from_the_offer_file() {
        // commitcost-snapshot-use1-2026-10 (AmazonRDS of 2026-10-06), 730 h each:
        for (engine, class, multi_az, rate, want) in [
            ("mysql", "db.t3.large", false, "0.136", "99.28"), // 730 x 0.136
            ("mysql", "db.t3.large", true, "0.272", "198.56"), // 730 x 0.272
            ("mysql", "db.m5.large", false, "0.171", "124.83"), // 730 x 0.171
            ("postgres", "db.m6i.2xlarge", true, "1.424", "1039.52"), // 730 x 1.424
            ("postgres", "db.r6i.xlarge", false, "0.5", "365"), // 730 x 0.5
            ("postgres", "db.r6g.large", true, "0.45", "328.50"), // 730 x 0.45
            ("mariadb", "db.r5.2xlarge", true, "1.92", "1401.60"), // 730 x 1.92
        ] {
            let e = us(&format!(
                "kind = \"rds\"\nengine = \"{engine}\"\ninstance_class = \"{class}\"\nmulti_az = {multi_az}\nstorage_gb = 100"
            ));
            let label = if multi_az {
                format!("Instance ({class}, Multi-AZ)")
            } else {
                format!("Instance ({class})")
            };
            assert_eq!(cost(&e, &label), dec(want), "{engine} {class} {multi_az}");
            assert_eq!(dec("730") * dec(rate), dec(want));
        }
        // Tokyo, the same file's ap-northeast-1 block: 730 h x $0.235 (MySQL db.m6i.large)
        // = $171.55; PostgreSQL db.r5.large Multi-AZ 730 h x $0.6 = $438
        let e = tokyo(
            "kind = \"rds\"\nengine = \"mysql\"\ninstance_class = \"db.m6i.large\"\nstorage_gb = 20",
        );
        assert_eq!(cost(&e, "Instance (db.m6i.large)"), dec("171.55"));
        let e = tokyo(
            "kind = \"rds\"\nengine = \"postgres\"\ninstance_class = \"db.r5.large\"\nmulti_az = true\nstorage_gb = 20",
        );
        assert_eq!(cost(&e, "Instance (db.r5.large, Multi-AZ)"), dec("438"));
    }

    #[test]
    fn rds_performance_insights_retention_on_every_vcpu() {
        // Tokyo, Multi-AZ: the standby's vCPUs count, as in the source's example (db.m6i.xlarge
        // Multi-AZ = 4 vCPU x 2 AZ = 8 vCPU). 3 months of retention: the first month at $1.7561
        // (rds.performance_insights.retention_first_month), two more at $0.0739 (..._additional_month)
        let e = tokyo(
            r#"kind = "rds"
engine = "postgres"
instance_class = "db.t4g.medium"
multi_az = true
storage_gb = 20
performance_insights_retention_months = 3"#,
        );
        // db.t4g.medium: 2 vCPU x 2 instances = 4 vCPU
        let first = line(&e, "Performance Insights retention, 1st month");
        assert_eq!(first.quantity, dec("4"));
        assert_eq!(first.monthly_cost, dec("7.0244")); // 4 x $1.7561
        assert!(has_note(first, "standby counts"), "{:?}", first.notes);
        assert_eq!(
            qty(&e, "Performance Insights retention, months 2-3"),
            dec("8")
        );
        assert_eq!(
            cost(&e, "Performance Insights retention, months 2-3"),
            dec("0.5912") // 8 x $0.0739
        );
        // one month: no "months 2-" line
        let e = tokyo(
            r#"kind = "rds"
engine = "postgres"
instance_class = "db.t4g.medium"
storage_gb = 20
performance_insights_retention_months = 1"#,
        );
        assert!(lines(&e).iter().all(|l| !l
            .component
            .starts_with("Performance Insights retention, months")));
        assert_eq!(
            cost(&e, "Performance Insights retention, 1st month"),
            dec("3.5122")
        );
    }

    #[test]
    fn rds_database_insights_advanced_and_its_checks() {
        // No source for the Advanced mode's vCPU-hour rate in either book: a missing price
        let msg = err(&scenario(
            "us-east-1",
            "",
            r#"kind = "rds"
engine = "postgres"
instance_class = "db.t4g.micro"
storage_gb = 20
database_insights = "advanced""#,
        ));
        assert!(msg.contains("rds.database_insights.advanced"), "{msg}");
        for (extra, want) in [
            (
                "database_insights = \"advanced\"\nperformance_insights_retention_months = 6",
                "Advanced mode includes 15 months",
            ),
            ("performance_insights_retention_months = 25", "1-24 months"),
        ] {
            let msg = err(&scenario(
                "us-east-1",
                "",
                &format!("kind = \"rds\"\nengine = \"postgres\"\ninstance_class = \"db.t4g.micro\"\nstorage_gb = 20\n{extra}"),
            ));
            assert!(msg.contains(want), "{extra}: {msg}");
        }
        // Standard mode alone costs nothing (7 days free): no line
        let e = us(r#"kind = "rds"
engine = "postgres"
instance_class = "db.t4g.micro"
storage_gb = 20
database_insights = "standard""#);
        assert!(lines(&e).iter().all(|l| !l.component.contains("Insights")));
    }

    #[test]
    fn rds_extended_support_year_from_the_calendar_and_the_month() {
        let body = |version: &str, extra: &str| {
            format!("kind = \"rds\"\nengine = \"postgres\"\ninstance_class = \"db.m6g.large\"\nmulti_az = false\nstorage_gb = 20\nengine_version = \"{version}\"\n{extra}")
        };
        // PostgreSQL 12: year 1 from 2025-03, year 3 from 2027-03. db.m6g.large = 2 vCPU.
        for (month, year, rate, cost_) in [
            ("2025-03", 1, "0.10", "146"), // 2 x 730 = 1,460 vCPU-h x $0.10 (rds.extended_support.year1_2)
            ("2026-12", 2, "0.10", "146"), // year 2 at year 1's rate
            ("2027-03", 3, "0.20", "292"), // x $0.20 (rds.extended_support.year3)
        ] {
            let e = us(&body("12.22", &format!("billing_month = \"{month}\"")));
            let l = line(&e, &format!("Extended Support (year {year})"));
            assert_eq!(l.quantity, dec("1460"), "{month}");
            assert_eq!(l.monthly_cost, dec(cost_), "{month} at {rate}");
            assert!(
                has_note(l, &format!("postgres 12 in {month}")),
                "{:?}",
                l.notes
            );
        }
        // before year 1: no line, the instance line says so
        let e = us(&body("12", "billing_month = \"2025-02\""));
        assert!(lines(&e)
            .iter()
            .all(|l| !l.component.starts_with("Extended")));
        assert!(has_note(
            line(&e, "Instance (db.m6g.large)"),
            "standard support"
        ));
        // a stated year, without a month
        let e = us(&body("13", "extended_support_year = 3"));
        assert_eq!(cost(&e, "Extended Support (year 3)"), dec("292"));
        // MySQL majors are two numbers: 8.0.36 is 8.0 (year 1 from 2026-08); Multi-AZ counts
        // the standby: 2 vCPU x 2 instances x 730 h = 2,920 vCPU-h x $0.10 = $292
        let e = us(r#"kind = "rds"
engine = "mysql"
instance_class = "db.t3.large"
multi_az = true
storage_gb = 20
engine_version = "8.0.36"
billing_month = "2026-12""#);
        assert_eq!(qty(&e, "Extended Support (year 1)"), dec("2920"));
        assert_eq!(cost(&e, "Extended Support (year 1)"), dec("292"));
        // a version the calendar lacks: said, nothing priced
        let e = us(&body("17", "billing_month = \"2026-12\""));
        assert!(has_note(
            line(&e, "Instance (db.m6g.large)"),
            "no RDS Extended Support date"
        ));
    }

    #[test]
    fn rds_extended_support_is_never_silent() {
        let pg = |extra: &str| {
            format!("kind = \"rds\"\nengine = \"postgres\"\ninstance_class = \"db.t3.large\"\nstorage_gb = 20\n{extra}")
        };
        for (b, want) in [
            (
                pg("engine_version = \"12\""),
                "postgres 12 is in RDS Extended Support from 2025-03 (year 3 from 2027-03, until 2028-02); say which month",
            ),
            (
                pg("engine_version = \"11\"\nbilling_month = \"2027-04\""),
                "its last month is 2027-03",
            ),
            (pg("billing_month = \"2027-04\""), "`engine_version`, which is not given"),
            (pg("engine_version = \"12\"\nbilling_month = \"March 2027\""), "write it \"YYYY-MM\""),
            (pg("extended_support_year = 4"), "years 1, 2 and 3"),
            (
                pg("engine_version = \"12\"\nbilling_month = \"2027-04\"\nextended_support_year = 3"),
                "not both",
            ),
            (
                "kind = \"rds\"\nengine = \"mariadb\"\ninstance_class = \"db.t3.large\"\nstorage_gb = 20\nengine_version = \"10.6\"".to_string(),
                "RDS Extended Support is for MySQL and PostgreSQL",
            ),
        ] {
            let msg = err(&scenario("us-east-1", "", &b));
            assert!(msg.contains(want), "{b}: {msg}");
        }
    }

    #[test]
    fn rds_cpu_credits_on_burstable_classes() {
        // 25.035 surplus vCPU-hours (the AWS re:Post bill) x $0.075 (rds.cpu_credits) = $1.877625
        let e = us(r#"kind = "rds"
engine = "postgres"
instance_class = "db.t4g.micro"
storage_gb = 20
cpu_credit_vcpu_hours = 25.035"#);
        assert_eq!(cost(&e, "CPU credits (unlimited mode)"), dec("1.877625"));
        // SQL Server's rate: 25.035 x $0.144 (rds.cpu_credits.sqlserver) = $3.60504
        let e = us_with(
            &stated("rds.sqlserver_ex.db.t3.large", "1.00"),
            r#"kind = "rds"
engine = "sqlserver-ex"
instance_class = "db.t3.large"
storage_gb = 20
cpu_credit_vcpu_hours = 25.035"#,
        );
        assert_eq!(cost(&e, "CPU credits (unlimited mode)"), dec("3.60504"));
        // Tokyo: the same $0.075 (T4g PostgreSQL)
        let e = tokyo(
            r#"kind = "rds"
engine = "postgres"
instance_class = "db.t4g.micro"
storage_gb = 20
cpu_credit_vcpu_hours = 100"#,
        );
        assert_eq!(cost(&e, "CPU credits (unlimited mode)"), dec("7.5"));
        for (class, want) in [
            ("db.t2.micro", "standard mode"),
            ("db.m5.large", "not burstable"),
        ] {
            let msg = err(&scenario(
                "us-east-1",
                "",
                &format!("kind = \"rds\"\nengine = \"mysql\"\ninstance_class = \"{class}\"\nstorage_gb = 20\ncpu_credit_vcpu_hours = 10"),
            ));
            assert!(msg.contains(want), "{class}: {msg}");
        }
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
        // 50 GB includes 3,000 IOPS: 1,000 above x 3 instances = 3,000 IOPS-month x $0.02
        // (rds.storage.gp3_iops) = $60
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
instance_class = "db.x2g.large"
storage_gb = 100"#,
        ));
        assert!(msg.contains("no price for"), "{msg}");
        assert!(msg.contains("rds.postgres.db.x2g.large"), "{msg}");
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
