//! What the simulator needs from a phase: which resources serve traffic and how (share,
//! connection pool, autoscaling), the database they connect to, a proxy, fixed clients.
//!
//! The capacity keys (`traffic_percent`, `pool_size`, `max_overflow`, `autoscaling`, ...) sit on
//! the resources in the scenario file but are not priced; the loader takes them off the resource
//! table before the kind's model parses it, so models stay about money.

use serde::Deserialize;

use crate::capacity::{connection_limit, to_f64, ConnectionLimit, DbEngine, Role};
use crate::num::{Count, NonNeg, Percent, Positive};
use crate::pricing::Catalog;
use crate::resources::{kind_info, kinds_where, KindRole};
use crate::scenario::Phase;
use crate::source::FieldError;

/// Keys of a resource read by the capacity model rather than the price model.
pub const WORKLOAD_KEYS: &[&str] = &[
    "traffic_percent",
    "pool_size",
    "max_overflow",
    "connections_per_request",
    "autoscaling",
    "cpu_ms_per_request",
    "cold_start_ms",
    "keep_warm_minutes",
    "database",
    "fixed_connections",
];

/// The registry's role of a kind (every kind in a phase is registered).
fn role_of(kind: &str) -> KindRole {
    kind_info(kind).map_or(KindRole::Other, |k| k.role)
}

/// Target-tracking autoscaling of a Fargate service or an EC2 Auto Scaling group.
#[derive(Debug, Clone, Deserialize, PartialEq, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawAutoscaling {
    pub min: Count,
    pub max: Count,
    /// Target requests/s per task or instance (ALBRequestCountPerTarget / 60).
    #[serde(default)]
    pub target_rps_per_task: Option<Positive>,
    /// Target average CPU utilisation, %; needs `cpu_ms_per_request`.
    #[serde(default)]
    pub target_cpu_percent: Option<Percent>,
    /// vCPU-milliseconds one request uses.
    #[serde(default)]
    pub cpu_ms_per_request: Option<Positive>,
    /// Seconds after a scale-out before the next one (default 60).
    #[serde(default)]
    pub scale_out_cooldown_s: Option<NonNeg>,
    /// Seconds after any scaling before a scale-in (default 300).
    #[serde(default)]
    pub scale_in_cooldown_s: Option<NonNeg>,
}

/// The capacity keys of one resource, as written.
#[derive(Debug, Clone, Deserialize, Default, PartialEq, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Workload {
    /// Share of the traffic this compute resource serves (default: all, if it is the only one).
    #[serde(default)]
    pub traffic_percent: Option<Percent>,
    /// Connections each unit keeps open (SQLAlchemy `pool_size`; default 0 = no database).
    #[serde(default)]
    pub pool_size: Option<Count>,
    /// Extra connections a busy unit opens (SQLAlchemy `max_overflow`; default 0).
    #[serde(default)]
    pub max_overflow: Option<Count>,
    /// Connections one request uses at once (default 1): a Lambda environment runs one
    /// request at a time and its pool opens connections lazily, so it holds this many, capped
    /// by its pool.
    #[serde(default)]
    pub connections_per_request: Option<Count>,
    #[serde(default)]
    pub autoscaling: Option<RawAutoscaling>,
    /// vCPU-milliseconds one request uses on a fleet: gives a fixed-count fleet the CPU model
    /// an autoscaled one has (`cpu_percent` = requests x this / (count x vCPU)).
    #[serde(default)]
    pub cpu_ms_per_request: Option<Positive>,
    /// Lambda cold-start (init) time added to a request that starts an environment (default 400).
    #[serde(default)]
    pub cold_start_ms: Option<NonNeg>,
    /// Minutes an idle Lambda environment stays warm (default 10).
    #[serde(default)]
    pub keep_warm_minutes: Option<Positive>,
    /// The database this resource connects to, when the phase has several.
    #[serde(default)]
    pub database: Option<String>,
    /// Connections held by tools outside the simulated compute (admin, migrations), on a
    /// database resource.
    #[serde(default)]
    pub fixed_connections: Option<Count>,
}

impl Workload {
    /// The first key set that does not apply to `kind`.
    pub fn misplaced(&self, kind: &str) -> Option<FieldError> {
        let role = role_of(kind);
        // In KEY_ROLES order.
        let set = [
            self.traffic_percent.is_some(),
            self.pool_size.is_some(),
            self.max_overflow.is_some(),
            self.connections_per_request.is_some(),
            self.autoscaling.is_some(),
            self.cpu_ms_per_request.is_some(),
            self.cold_start_ms.is_some(),
            self.keep_warm_minutes.is_some(),
            self.database.is_some(),
            self.fixed_connections.is_some(),
        ];
        let (key, wants) = KEY_ROLES
            .iter()
            .zip(set)
            .find(|((_, wants), set)| *set && !fits(role, *wants))
            .map(|(k, _)| *k)?;
        let applies = kinds_where(|k| fits(k.role, wants), "and");
        Some(FieldError::new(
            key,
            format!("`{key}` does not apply to a `{kind}` resource; it applies to {applies}"),
        ))
    }
}

/// Which kinds take each capacity key: any compute kind (`None`) or the one role named. The
/// loader and the schema (`scenario::schema`) both read it, so they agree.
const KEY_ROLES: [(&str, Option<KindRole>); 10] = [
    ("traffic_percent", None),
    ("pool_size", None),
    ("max_overflow", None),
    ("connections_per_request", Some(KindRole::Function)),
    ("autoscaling", Some(KindRole::Fleet)),
    ("cpu_ms_per_request", Some(KindRole::Fleet)),
    ("cold_start_ms", Some(KindRole::Function)),
    ("keep_warm_minutes", Some(KindRole::Function)),
    ("database", None),
    ("fixed_connections", Some(KindRole::Database)),
];

fn fits(role: KindRole, wants: Option<KindRole>) -> bool {
    wants.map_or(role.is_compute(), |w| role == w)
}

/// The capacity keys a kind of `role` accepts, in [`WORKLOAD_KEYS`] order.
pub fn keys_for(role: KindRole) -> impl Iterator<Item = &'static str> {
    KEY_ROLES
        .iter()
        .filter(move |(_, wants)| fits(role, *wants))
        .map(|(k, _)| *k)
}

/// How a fleet scales.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Target {
    RpsPerUnit(f64),
    CpuPercent {
        percent: f64,
        cpu_ms_per_request: f64,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Scaling {
    pub min: u32,
    pub max: u32,
    pub target: Target,
    pub out_cooldown_s: f64,
    pub in_cooldown_s: f64,
}

/// A compute resource in the simulation.
#[derive(Debug, Clone, PartialEq)]
pub struct ComputeUnit {
    pub name: String,
    pub share: f64,
    pub pool_size: u32,
    pub max_overflow: u32,
    /// Connections a request uses at once (Lambda).
    pub connections_per_request: f64,
    pub detail: ComputeDetail,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ComputeDetail {
    Lambda {
        memory_mb: f64,
        /// Reserved concurrency, or (unreserved) the account limit less what the phase's
        /// functions reserve: the pool the unreserved functions share.
        cap: u32,
        reserved: bool,
        provisioned: u32,
        /// Hours a month provisioned concurrency is on (`None`: all month); which hours,
        /// see [`provisioned_mask`].
        provisioned_hours: Option<f64>,
        cold_start_ms: f64,
        keep_warm_minutes: usize,
    },
    Fleet {
        unit: &'static str,
        count: u32,
        vcpu: f64,
        scaling: Option<Scaling>,
        /// The hours of the week (Monday 00:00 first) it runs, when on a weekly schedule; off,
        /// it has no units and serves nothing. `None`: all the time.
        week: Option<Box<[bool; 168]>>,
        /// vCPU-ms per request, when the fleet has a CPU model (a CPU target, or
        /// `cpu_ms_per_request` on a fixed or request-scaled fleet).
        cpu_ms_per_request: Option<f64>,
    },
}

/// Whether provisioned concurrency is on in each hour of the month, given the profile's hourly
/// rates (`rates`, one per hour): on for the `hours` busiest hours (whole hours, rounded up;
/// ties go to the earlier hour), the hours a schedule for the peaks would cover. `None` (or at
/// least the month): every hour.
pub fn provisioned_mask(hours: Option<f64>, rates: &[f64]) -> Vec<bool> {
    let n = rates.len();
    let Some(h) = hours.filter(|h| *h < n as f64) else {
        return vec![true; n];
    };
    let take = (h.max(0.0).ceil() as usize).min(n);
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| rates[b].total_cmp(&rates[a]).then(a.cmp(&b)));
    let mut on = vec![false; n];
    for &i in &order[..take] {
        on[i] = true;
    }
    on
}

/// The database the compute connects to.
#[derive(Debug, Clone, PartialEq)]
pub struct DbModel {
    pub name: String,
    pub engine: DbEngine,
    pub limit: ConnectionLimit,
    /// Fixed clients: `fixed_connections` plus MWAA and other declared clients.
    pub fixed: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ProxyModel {
    pub name: String,
    /// DB-side connection cap: MaxConnectionsPercent × max_connections.
    pub cap: u32,
    pub pinning: f64,
}

/// A phase as the simulator sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct PhaseModel {
    pub compute: Vec<ComputeUnit>,
    pub db: Option<DbModel>,
    pub proxy: Option<ProxyModel>,
}

/// A problem building the model: the resource and what is wrong with its capacity keys.
pub type ModelError = (String, FieldError);

impl PhaseModel {
    /// The Lambda functions without reserved concurrency: they share the account's pool.
    pub fn unreserved_lambdas(&self) -> Vec<usize> {
        (0..self.compute.len())
            .filter(|&i| {
                matches!(
                    self.compute[i].detail,
                    ComputeDetail::Lambda {
                        reserved: false,
                        ..
                    }
                )
            })
            .collect()
    }

    pub fn build(
        phase: &Phase,
        catalog: &Catalog,
        account_concurrency: u32,
    ) -> Result<PhaseModel, ModelError> {
        let err = |r: &str, k: &str, m: String| (r.to_string(), FieldError::new(k, m));
        let compute_entries: Vec<_> = phase
            .resources
            .iter()
            .filter(|r| role_of(r.kind).is_compute())
            .collect();
        let stated: Vec<_> = compute_entries
            .iter()
            .filter(|r| r.workload.traffic_percent.is_some())
            .collect();
        // Traffic split: explicit shares, or everything to the single compute resource.
        let shares: Vec<f64> = if stated.is_empty() {
            if compute_entries.len() > 1 {
                let names: Vec<_> = compute_entries.iter().map(|r| r.name.as_str()).collect();
                return Err(err(
                    names[0],
                    "traffic_percent",
                    format!(
                        "phase `{}` has {} compute resources ({}); set `traffic_percent` on each so the traffic can be split",
                        phase.name,
                        names.len(),
                        names.join(", ")
                    ),
                ));
            }
            vec![1.0; compute_entries.len()]
        } else {
            compute_entries
                .iter()
                .map(|r| {
                    r.workload
                        .traffic_percent
                        .map_or(0.0, |p| to_f64(p.fraction()))
                })
                .collect()
        };
        let total: f64 = shares.iter().sum();
        if !stated.is_empty() && total > 1.0 + 1e-9 {
            return Err(err(
                &stated[0].name,
                "traffic_percent",
                format!(
                    "the traffic_percent values in phase `{}` add up to {:.4}%, more than 100%",
                    phase.name,
                    total * 100.0
                ),
            ));
        }

        let dbs: Vec<_> = phase
            .resources
            .iter()
            .filter(|r| role_of(r.kind) == KindRole::Database)
            .collect();
        let mut compute = Vec::new();
        for (entry, share) in compute_entries.iter().zip(shares) {
            let w = &entry.workload;
            if let Some(db) = &w.database {
                if !dbs.iter().any(|d| &d.name == db) {
                    return Err(err(
                        &entry.name,
                        "database",
                        format!("no database resource `{db}` in phase `{}`", phase.name),
                    ));
                }
            }
            let detail = match entry.model.role(catalog) {
                Role::Lambda {
                    memory_mb,
                    reserved_concurrency,
                    provisioned_concurrency,
                    provisioned_hours,
                } => ComputeDetail::Lambda {
                    memory_mb,
                    cap: reserved_concurrency.unwrap_or(account_concurrency),
                    reserved: reserved_concurrency.is_some(),
                    provisioned: provisioned_concurrency,
                    provisioned_hours,
                    cold_start_ms: w.cold_start_ms.map_or(400.0, |c| to_f64(c.0)),
                    keep_warm_minutes: w
                        .keep_warm_minutes
                        .map_or(10, |m| to_f64(m.0).ceil().clamp(1.0, 1440.0) as usize),
                },
                Role::Fleet {
                    unit,
                    count,
                    vcpu_per_unit,
                    week,
                } => {
                    let stated = w.cpu_ms_per_request.map(|c| to_f64(c.0));
                    let scaling = w
                        .autoscaling
                        .as_ref()
                        .map(|a| scaling(a, stated).map_err(|e| (entry.name.clone(), e)))
                        .transpose()?;
                    let cpu_ms_per_request = match &scaling {
                        Some(Scaling {
                            target:
                                Target::CpuPercent {
                                    cpu_ms_per_request, ..
                                },
                            ..
                        }) => Some(*cpu_ms_per_request),
                        _ => stated,
                    };
                    ComputeDetail::Fleet {
                        unit,
                        count: count.max(1),
                        vcpu: vcpu_per_unit,
                        week: week.map(Box::new),
                        scaling,
                        cpu_ms_per_request,
                    }
                }
                _ => continue,
            };
            compute.push(ComputeUnit {
                name: entry.name.clone(),
                share,
                pool_size: w.pool_size.map_or(0, |c| c.0),
                max_overflow: w.max_overflow.map_or(0, |c| c.0),
                connections_per_request: match w.connections_per_request {
                    None => 1.0,
                    Some(Count(0)) => {
                        return Err(err(
                            &entry.name,
                            "connections_per_request",
                            "connections_per_request must be at least 1 (leave out pool_size for a function that uses no database)".into(),
                        ))
                    }
                    Some(Count(c)) => f64::from(c),
                },
                detail,
            });
        }
        let reserved = compute.iter().filter_map(|c| match c.detail {
            ComputeDetail::Lambda {
                cap,
                reserved: true,
                ..
            } => Some((c.name.as_str(), cap)),
            _ => None,
        });
        crate::capacity::check_reserved_concurrency(reserved, account_concurrency)
            .map_err(|(r, m)| err(&r, "reserved_concurrency", m))?;
        // The account's concurrency in a region is one pool for all its functions; reserved
        // concurrency carves a function's own cap out of it, and the functions without one share
        // what is left (https://docs.aws.amazon.com/lambda/latest/dg/lambda-concurrency.html).
        // A phase is one account and region: its unreserved functions get that remainder as
        // their cap, which the engine shares between them step by step when there are several.
        let reserved_total: u32 = compute
            .iter()
            .filter_map(|c| match c.detail {
                ComputeDetail::Lambda {
                    cap,
                    reserved: true,
                    ..
                } => Some(cap),
                _ => None,
            })
            .sum();
        for c in &mut compute {
            if let ComputeDetail::Lambda {
                cap,
                reserved: false,
                ..
            } = &mut c.detail
            {
                // The check above leaves at least 100 (or all of a smaller account) here.
                *cap = account_concurrency - reserved_total;
            }
        }

        // Not `pool_size + max_overflow > 0`: two u32s from the scenario can wrap to 0.
        let uses_db = compute
            .iter()
            .any(|c| c.pool_size > 0 || c.max_overflow > 0);
        let db_entry = match dbs.len() {
            0 => None,
            1 => Some(dbs[0]),
            _ => {
                let named: Vec<_> = compute_entries
                    .iter()
                    .filter_map(|r| r.workload.database.as_deref())
                    .collect();
                if let Some(first) = named.first() {
                    if named.iter().any(|n| n != first) {
                        return Err(err(
                            &compute_entries[0].name,
                            "database",
                            "compute resources in one phase connect to different databases; costplan models one application database per phase".into(),
                        ));
                    }
                    dbs.iter().find(|d| d.name == *first).copied()
                } else if uses_db {
                    let names: Vec<_> = dbs.iter().map(|d| d.name.as_str()).collect();
                    return Err(err(
                        compute_entries.first().map_or(names[0], |r| r.name.as_str()),
                        "database",
                        format!(
                            "phase `{}` has {} databases ({}); set `database = \"...\"` on the compute resources",
                            phase.name,
                            names.len(),
                            names.join(", ")
                        ),
                    ));
                } else {
                    Some(dbs[0])
                }
            }
        };
        let db = db_entry.and_then(|d| match d.model.role(catalog) {
            Role::Database {
                engine,
                size,
                max_connections,
            } => {
                let clients: u32 = phase
                    .resources
                    .iter()
                    .map(|r| match r.model.role(catalog) {
                        Role::DbClient { connections } => connections,
                        _ => 0,
                    })
                    // Saturating: more connections than a u32 holds is past every limit anyway.
                    .fold(0u32, u32::saturating_add);
                Some(DbModel {
                    name: d.name.clone(),
                    engine,
                    limit: connection_limit(engine, &size, max_connections),
                    fixed: clients.saturating_add(d.workload.fixed_connections.map_or(0, |c| c.0)),
                })
            }
            _ => None,
        });
        let proxy = phase
            .resources
            .iter()
            .find_map(|r| match r.model.role(catalog) {
                Role::Proxy {
                    max_connections_fraction,
                    pinning_fraction,
                } => Some(ProxyModel {
                    name: r.name.clone(),
                    cap: db.as_ref().map_or(0, |d| {
                        (f64::from(d.limit.max_connections) * max_connections_fraction).floor()
                            as u32
                    }),
                    pinning: pinning_fraction,
                }),
                _ => None,
            });
        Ok(PhaseModel { compute, db, proxy })
    }
}

/// The autoscaling settings; `cpu_ms` is the resource's own `cpu_ms_per_request`, which a CPU
/// target uses when the autoscaling table does not state one (stating both is an error).
fn scaling(a: &RawAutoscaling, cpu_ms: Option<f64>) -> Result<Scaling, FieldError> {
    if a.cpu_ms_per_request.is_some() && cpu_ms.is_some() {
        return Err(FieldError::new(
            "cpu_ms_per_request",
            "`cpu_ms_per_request` is given on the resource and in `autoscaling`; give it once",
        ));
    }
    if a.min.0 > a.max.0 {
        return Err(FieldError::new(
            "autoscaling",
            format!("autoscaling min ({}) is above max ({})", a.min.0, a.max.0),
        ));
    }
    if a.max.0 == 0 {
        return Err(FieldError::new(
            "autoscaling",
            "autoscaling max must be at least 1",
        ));
    }
    let target = match (a.target_rps_per_task, a.target_cpu_percent) {
        (Some(r), None) => Target::RpsPerUnit(to_f64(r.0)),
        (None, Some(c)) => {
            let Some(cpu) = a.cpu_ms_per_request.map(|c| to_f64(c.0)).or(cpu_ms) else {
                return Err(FieldError::new(
            "autoscaling",
            "`target_cpu_percent` needs `cpu_ms_per_request` (vCPU-ms per request) to turn traffic into CPU",
                ));
            };
            if c.0.is_zero() {
                return Err(FieldError::new(
                    "autoscaling",
                    "target_cpu_percent must be above 0",
                ));
            }
            Target::CpuPercent {
                percent: to_f64(c.0),
                cpu_ms_per_request: cpu,
            }
        }
        _ => {
            return Err(FieldError::new(
                "autoscaling",
                "autoscaling needs exactly one of `target_rps_per_task` or `target_cpu_percent`",
            ))
        }
    };
    Ok(Scaling {
        min: a.min.0,
        max: a.max.0,
        target,
        out_cooldown_s: a.scale_out_cooldown_s.map_or(60.0, |s| to_f64(s.0)),
        in_cooldown_s: a.scale_in_cooldown_s.map_or(300.0, |s| to_f64(s.0)),
    })
}
