//! Scenario files: region, hours, free tier, discounts, price overrides, phases and
//! environments.
//!
//! A phase may `extends` another and then `remove` inherited resources, `patch` some of their
//! keys, or define resources (new names are added, existing names replaced whole). An
//! environment is a phase derived from a named base phase (`phase = "prod"`) the same way,
//! typically smaller or on a schedule. Resources stay raw TOML tables until every inheritance
//! step is applied; then each is parsed by its kind's model, and errors point at the file,
//! line and column where the offending key was written (which may be in a patch).

pub mod growth;
mod resolve;
pub mod schema;
pub mod traffic;
pub mod trigger;
pub mod workload;

use std::path::Path;

use indexmap::IndexMap;
use rust_decimal::Decimal;
use serde::Deserialize;
use toml::Value;

use crate::error::{InputError, Result};
use crate::num::{Percent, Positive};
use crate::pricing::Catalog;
use crate::resources::{self, Resource};
use crate::source::{Document, KeyPath};
use crate::suggest;

pub use crate::pricing::FreeTier;

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawScenario {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    description: Option<String>,
    region: String,
    #[serde(default)]
    hours_per_month: Option<Positive>,
    #[serde(default)]
    currency: Option<String>,
    #[serde(default)]
    free_tier: FreeTier,
    /// USD of credits for `free_tier = "credits"` (default and at most 200).
    #[serde(default)]
    free_tier_credits: Option<Positive>,
    /// The growth sequence and the traffic's growth (forecasts).
    #[serde(default)]
    growth: Option<growth::RawGrowth>,
    #[serde(default)]
    discounts: IndexMap<String, Percent>,
    #[serde(default)]
    overrides: IndexMap<String, crate::pricing::book::RawOverride>,
    #[serde(default)]
    budget: Option<Positive>,
    phases: IndexMap<String, RawPhase>,
    #[serde(default)]
    environments: IndexMap<String, RawPhase>,
    /// Traffic profile; without it there is no simulation and usage must be stated.
    #[serde(default)]
    traffic: Option<traffic::RawTraffic>,
    #[serde(default)]
    simulation: Option<traffic::RawSimulation>,
    /// Show money in another currency (`[display] currency`, `rate`, `rate_date`).
    #[serde(default)]
    display: Option<RawDisplay>,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawDisplay {
    currency: String,
    #[serde(default)]
    rate: Option<Positive>,
    #[serde(default)]
    rate_date: Option<String>,
}

/// A phase or environment as written.
#[derive(Debug, Clone, Deserialize, Default, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPhase {
    #[serde(default)]
    description: Option<String>,
    /// Phase this one starts from (phases only).
    #[serde(default)]
    extends: Option<String>,
    /// Base phase (environments only).
    #[serde(default)]
    phase: Option<String>,
    #[serde(default)]
    remove: Vec<String>,
    /// Keys to change on inherited resources, by resource name.
    #[serde(default)]
    #[schemars(schema_with = "schema::patches")]
    patch: IndexMap<String, toml::Table>,
    /// Resources by name, each with its `kind`.
    #[serde(default)]
    #[schemars(schema_with = "schema::resources")]
    resources: IndexMap<String, toml::Table>,
    /// Default schedule for every resource billed by the hour that does not set its own.
    #[serde(default)]
    schedule: Option<String>,
    /// When to move on from this phase. Absent: the base's (`extends` or `phase`) apply;
    /// `triggers = []` says the phase has none of its own.
    #[serde(default)]
    triggers: Option<Vec<trigger::RawTrigger>>,
    /// Share of the scenario's `[traffic]` this phase or environment sees (staging and dev see a
    /// fraction of production's requests); 0 < share <= 1, default 1. Not inherited.
    #[serde(default)]
    traffic_share: Option<Positive>,
    /// Scale the usage stated on its resources by `traffic_share` too (not inherited).
    #[serde(default)]
    scale_stated_usage: Option<bool>,
    /// Percent off per resource kind in this phase or environment, like the top-level
    /// `[discounts]`. Absent: the base's (`extends` or `phase`) apply; `discounts = {}` says the
    /// phase has none. A kind may not also be in the top-level `[discounts]`.
    #[serde(default)]
    discounts: Option<IndexMap<String, Percent>>,
}

/// One resource of a resolved phase.
#[derive(Debug)]
pub struct ResourceEntry {
    pub name: String,
    pub kind: &'static str,
    pub model: Box<dyn Resource>,
    /// Capacity keys (traffic share, connection pool, autoscaling); not priced.
    pub workload: workload::Workload,
    /// Where the resource was defined (for errors found while pricing).
    pub origin: KeyPath,
}

/// A phase (or environment) with its inheritance applied.
#[derive(Debug)]
pub struct Phase {
    pub name: String,
    pub description: Option<String>,
    /// `Some(base)` for an environment derived from phase `base`.
    pub environment_of: Option<String>,
    pub resources: Vec<ResourceEntry>,
    pub triggers: Vec<trigger::Trigger>,
    /// How the phase serves the scenario's traffic (present when the scenario has `[traffic]`).
    pub model: Option<workload::PhaseModel>,
    /// Fraction of the scenario's traffic this phase sees (1 unless `traffic_share` is set).
    pub traffic_share: f64,
    /// With `scale_stated_usage = true`: the exact `traffic_share` every stated usage quantity
    /// is multiplied by.
    pub stated_usage_scale: Option<Decimal>,
    /// Fraction off per resource kind for this phase's lines: the top-level `[discounts]` and
    /// the phase's own (or inherited) `discounts` together.
    pub discounts: IndexMap<String, Decimal>,
}

/// A loaded, validated scenario.
#[derive(Debug)]
pub struct Scenario {
    pub doc: Document,
    pub name: String,
    pub description: Option<String>,
    pub region: String,
    pub hours_per_month: Decimal,
    pub currency: String,
    pub free_tier: FreeTier,
    /// The credit plan's credits, USD (with `free_tier = "credits"`).
    pub free_tier_credits: Option<Decimal>,
    /// The growth sequence (the ladder's rungs) and the traffic's growth.
    pub growth: growth::Growth,
    /// The top-level `[discounts]`: fraction off per resource kind (0.30 = 30 %). Each phase's
    /// `discounts` holds these and its own.
    pub discounts: IndexMap<String, Decimal>,
    pub overrides: IndexMap<String, crate::pricing::book::RawOverride>,
    pub budget: Option<Decimal>,
    pub phases: Vec<Phase>,
    /// The traffic profile and simulation settings, if the scenario has `[traffic]`.
    pub traffic: Option<traffic::Traffic>,
    /// Instance hardware used to validate classes and by models that need vCPU/memory.
    pub catalog: Catalog,
    /// `[display]`: the currency amounts are shown in (the estimate stays in USD).
    pub display: Option<crate::currency::DisplayCurrency>,
}

pub const DEFAULT_HOURS_PER_MONTH: Decimal = Decimal::from_parts(730, 0, 0, false, 0);

impl Scenario {
    /// Read, parse and validate a scenario file.
    pub fn load(path: &Path, catalog: &Catalog) -> Result<Scenario> {
        let doc = Document::read(path)?;
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("scenario")
            .to_string();
        Ok(Scenario::from_document(doc, &stem, catalog)?)
    }

    pub fn from_document(
        doc: Document,
        default_name: &str,
        catalog: &Catalog,
    ) -> Result<Scenario, InputError> {
        let root = KeyPath::root();
        // The old name (or a near miss of it) is refused rather than mapped: it meant the
        // 12-month allowances, which new accounts no longer get.
        let old_name = doc
            .value
            .get("free_tier")
            .and_then(Value::as_str)
            .filter(|v| v.to_ascii_lowercase().replace('_', "-") == "new-account");
        if let Some(v) = old_name {
            return Err(doc
                .error_at(
                    &root.key("free_tier"),
                    format!("`free_tier = \"{v}\"` no longer says which free tier: since 2025-07-15 it depends on when the account was created"),
                )
                .with_help(Some(
                    "accounts created before 2025-07-15: `legacy-12-month` (the 12-month allowances + always free); from that date: `credits` (up to $200 of credits on a 6-month free plan + always free)".into(),
                )));
        }
        let raw: RawScenario = doc.deserialize(doc.value.clone(), &root)?;
        let free_tier_credits = free_credits(&doc, raw.free_tier, raw.free_tier_credits)?;
        let growth = growth::build(
            &doc,
            raw.growth.as_ref(),
            &raw.phases,
            &raw.environments,
            raw.traffic.is_some(),
            raw.traffic
                .as_ref()
                .is_some_and(|t| t.monthly_active_users.is_some()),
        )?;
        let currency = raw.currency.clone().unwrap_or_else(|| "USD".into());
        if currency != "USD" {
            return Err(doc
                .error_at(
                    &root.key("currency"),
                    format!("unsupported currency `{currency}`: price books are in USD"),
                )
                .with_help(Some(
                    "costplan prices in USD only; remove `currency` or set it to \"USD\" (there is no conversion)".into(),
                )));
        }
        known_discount_kinds(&doc, &raw)?;
        // A month has at most 31 x 24 = 744 hours. The bound also keeps schedules'
        // `hours_per_month x active hours / 168` far from Decimal overflow (a panic).
        if let Some(h) = raw.hours_per_month.filter(|h| h.0 > Decimal::from(744)) {
            return Err(doc
                .error_at(
                    &root.key("hours_per_month"),
                    format!(
                        "hours_per_month must be at most 744 (31 days x 24 h), got {}",
                        h.0
                    ),
                )
                .with_help(Some("AWS bills a month as 730 hours (the default)".into())));
        }
        if raw.phases.is_empty() {
            return Err(doc.error_at(&root.key("phases"), "a scenario needs at least one phase"));
        }
        let display = match &raw.display {
            None => None,
            Some(d) => Some(
                crate::currency::DisplayCurrency::new(
                    &d.currency,
                    d.rate.map(|r| r.0),
                    d.rate_date.as_deref(),
                )
                .map_err(|e| doc.error_at(&root.key("display"), e))?,
            ),
        };
        let hours = raw.hours_per_month.map_or(DEFAULT_HOURS_PER_MONTH, |h| h.0);
        let month = Month {
            hours,
            simulated: raw.traffic.is_some(),
        };
        let mut phases = Vec::new();
        let mut cache = resolve::Resolved::new();
        for name in raw.phases.keys() {
            let resolved = resolve::resolve(
                &doc,
                &raw.phases,
                &raw.environments,
                name,
                false,
                &mut cache,
            )?;
            let discounts = phase_discounts(&doc, &raw, name, false)?;
            let mut phase = build_phase(
                &doc,
                name,
                raw.phases[name].description.clone(),
                None,
                resolved,
                catalog,
                month,
                &discounts,
            )?;
            phase.triggers = inherited_triggers(&doc, &raw.phases, name, hours)?;
            (phase.traffic_share, phase.stated_usage_scale) =
                traffic_share(&doc, &root.key("phases").key(name), &raw.phases[name])?;
            phases.push(phase);
        }
        for (name, env) in &raw.environments {
            let at = root.key("environments").key(name);
            if raw.phases.contains_key(name) {
                return Err(doc.error_at(
                    &at,
                    format!("environment `{name}` has the same name as a phase"),
                ));
            }
            let Some(base) = &env.phase else {
                // `extends` is the phase spelling; say so rather than only "needs `phase`".
                let help = env.extends.as_ref().map(|e| {
                    format!("environments name their base with `phase = \"{e}\"`, not `extends`")
                });
                return Err(doc
                    .error_at(&at, "an environment needs `phase = \"<base phase>\"`")
                    .with_help(help));
            };
            let resolved =
                resolve::resolve(&doc, &raw.phases, &raw.environments, name, true, &mut cache)?;
            let discounts = phase_discounts(&doc, &raw, name, true)?;
            let mut phase = build_phase(
                &doc,
                name,
                env.description.clone(),
                Some(base.clone()),
                resolved,
                catalog,
                month,
                &discounts,
            )?;
            phase.triggers = match &env.triggers {
                None => inherited_triggers(&doc, &raw.phases, base, hours)?,
                Some(own) => triggers(&doc, &at, own, hours)?,
            };
            (phase.traffic_share, phase.stated_usage_scale) = traffic_share(&doc, &at, env)?;
            phases.push(phase);
        }
        let traffic = match &raw.traffic {
            Some(t) => Some(traffic(&doc, t, raw.simulation.as_ref(), hours)?),
            None => {
                no_traffic_but(&doc, &raw)?;
                None
            }
        };
        if let Some(t) = &traffic {
            for phase in &mut phases {
                let model =
                    workload::PhaseModel::build(phase, catalog, t.settings.account_concurrency)
                        .map_err(|(res, e)| {
                            match phase.resources.iter().find(|r| r.name == res) {
                                Some(r) => doc.locate(&r.origin, e),
                                None => doc.error_at(&root.key("phases"), e.message),
                            }
                        })?;
                phase.model = Some(model);
            }
        }
        Ok(Scenario {
            name: raw.name.unwrap_or_else(|| default_name.to_string()),
            description: raw.description,
            region: raw.region,
            hours_per_month: hours,
            currency,
            free_tier: raw.free_tier,
            free_tier_credits,
            growth,
            discounts: raw
                .discounts
                .into_iter()
                .map(|(k, v)| (k, v.fraction()))
                .collect(),
            overrides: raw.overrides,
            budget: raw.budget.map(|b| b.0),
            phases,
            traffic,
            doc,
            catalog: catalog.clone(),
            display,
        })
    }

    /// The phase named `name`, or an error listing near names.
    pub fn phase(&self, name: &str) -> Result<&Phase, InputError> {
        self.phases.iter().find(|p| p.name == name).ok_or_else(|| {
            InputError::new(format!(
                "no phase or environment named `{name}` in {}",
                self.doc.name
            ))
            .with_help(suggest::did_you_mean(
                name,
                self.phases.iter().map(|p| p.name.as_str()),
            ))
        })
    }
}

/// One kind's discount as it applies to a phase, and where it was written.
#[derive(Debug, Clone)]
struct Discount {
    fraction: Decimal,
    at: KeyPath,
}

/// Every `discounts` table (top level, phases, environments) names known kinds.
fn known_discount_kinds(doc: &Document, raw: &RawScenario) -> Result<(), InputError> {
    let root = KeyPath::root();
    let mut tables: Vec<(KeyPath, &IndexMap<String, Percent>)> =
        vec![(root.key("discounts"), &raw.discounts)];
    for (section, all) in [("phases", &raw.phases), ("environments", &raw.environments)] {
        for (name, p) in all {
            if let Some(d) = &p.discounts {
                tables.push((root.key(section).key(name).key("discounts"), d));
            }
        }
    }
    for (at, table) in tables {
        for kind in table.keys() {
            if resources::kind_info(kind).is_none() {
                return Err(doc
                    .error_at(
                        &at.key(kind),
                        format!("unknown service `{kind}` for a discount"),
                    )
                    .with_help(suggest::did_you_mean(kind, resources::kind_names())));
            }
        }
    }
    Ok(())
}

/// `file:line:column` of `path`, for a message that names a second place.
fn place(doc: &Document, path: &KeyPath) -> String {
    doc.span_of(path)
        .map(|s| {
            let (line, col) = crate::source::line_col(&doc.text, s.start);
            format!(" ({}:{line}:{col})", doc.name)
        })
        .unwrap_or_default()
}

/// The discounts that apply to phase (or environment) `name`: the top-level `[discounts]` and
/// the nearest own `discounts` table up its chain (the environment's, else its phase's, else
/// the phase it `extends`, ...), which replaces any further up whole, as `triggers` do. A kind
/// in both the top-level table and that one is an error naming both: no silent winner.
fn phase_discounts(
    doc: &Document,
    raw: &RawScenario,
    name: &str,
    is_env: bool,
) -> Result<IndexMap<String, Discount>, InputError> {
    let root = KeyPath::root();
    let mut own: Option<(KeyPath, &IndexMap<String, Percent>)> = None;
    let mut cur = name;
    if is_env {
        let env = &raw.environments[name];
        if let Some(d) = &env.discounts {
            own = Some((root.key("environments").key(name).key("discounts"), d));
        }
        cur = env.phase.as_deref().unwrap_or(name);
    }
    // The chain was checked for unknown names and cycles when resources were resolved; the
    // walk is bounded anyway.
    for _ in 0..=raw.phases.len() {
        if own.is_some() {
            break;
        }
        let Some(spec) = raw.phases.get(cur) else {
            break;
        };
        if let Some(d) = &spec.discounts {
            own = Some((root.key("phases").key(cur).key("discounts"), d));
        }
        match &spec.extends {
            Some(base) => cur = base,
            None => break,
        }
    }
    let mut out: IndexMap<String, Discount> = raw
        .discounts
        .iter()
        .map(|(k, v)| {
            let at = root.key("discounts").key(k);
            (
                k.clone(),
                Discount {
                    fraction: v.fraction(),
                    at,
                },
            )
        })
        .collect();
    if let Some((at, table)) = own {
        for (kind, pct) in table {
            let here = at.key(kind);
            if let Some(top) = out.get(kind) {
                let section = if is_env { "environment" } else { "phase" };
                return Err(doc
                    .error_at(
                        &here,
                        format!(
                            "`{kind}` is discounted twice for {section} `{name}`: {}% here and {}% by the scenario-wide `{}`{}; both would apply to the same lines",
                            crate::money::fmt_number(pct.0),
                            crate::money::fmt_number(top.fraction * Decimal::ONE_HUNDRED),
                            top.at,
                            place(doc, &top.at)
                        ),
                    )
                    .with_help(Some(format!(
                        "keep one: remove `{kind}` from the top-level [discounts] and give it per phase, or remove it here"
                    ))));
            }
            out.insert(
                kind.clone(),
                Discount {
                    fraction: pct.fraction(),
                    at: here,
                },
            );
        }
    }
    Ok(out)
}

#[allow(clippy::too_many_arguments)]
fn build_phase(
    doc: &Document,
    name: &str,
    description: Option<String>,
    environment_of: Option<String>,
    resolved: IndexMap<String, resolve::RawResource>,
    catalog: &Catalog,
    month: Month,
    discounts: &IndexMap<String, Discount>,
) -> Result<Phase, InputError> {
    // A phase with nothing in it would print a $0 estimate: almost surely a mistake (a table
    // header with a typo, or `remove` taking every inherited resource).
    if resolved.is_empty() {
        let section = if environment_of.is_some() {
            "environments"
        } else {
            "phases"
        };
        return Err(doc
            .error_at(
                &KeyPath::root().key(section).key(name),
                format!("`{name}` has no resources"),
            )
            .with_help(Some(format!(
                "add one under [{section}.{name}.resources.NAME] with `kind = \"...\"`{}",
                if environment_of.is_some() {
                    ""
                } else {
                    ", or build on another phase with `extends`"
                }
            ))));
    }
    let mut out = Vec::with_capacity(resolved.len());
    for (res_name, raw) in resolved {
        let kind_value = raw.table.get("kind").cloned();
        let Some(Value::String(kind)) = kind_value else {
            return Err(doc
                .error_at(
                    &raw.origin,
                    format!("resource `{res_name}` needs `kind = \"...\"` (a string)"),
                )
                .with_help(Some(format!(
                    "kinds: {}",
                    resources::kind_names().collect::<Vec<_>>().join(", ")
                ))));
        };
        let Some(info) = resources::kind_info(&kind) else {
            return Err(doc
                .error_at(
                    &raw.key_origin("kind"),
                    format!("unknown resource kind `{kind}`"),
                )
                .with_help(
                    // No near miss: list the kinds, as for a missing `kind`.
                    suggest::did_you_mean(&kind, resources::kind_names()).or_else(|| {
                        Some(format!(
                            "kinds: {}",
                            resources::kind_names().collect::<Vec<_>>().join(", ")
                        ))
                    }),
                ));
        };
        let mut table = raw.table.clone();
        table.remove("kind");
        // Capacity keys go to the workload, the rest to the kind's price model.
        let mut workload_table = toml::Table::new();
        for key in workload::WORKLOAD_KEYS {
            if let Some(v) = table.remove(*key) {
                workload_table.insert((*key).to_string(), v);
            }
        }
        let locate = |e: crate::source::FieldError| {
            let key = match e.path.0.first() {
                Some(crate::source::Seg::Key(k)) => {
                    raw.key_origin(k).extend(&KeyPath(e.path.0[1..].to_vec()))
                }
                _ => raw.origin.clone(),
            };
            doc.error_at(&key, e.message).with_help(e.help)
        };
        let workload: workload::Workload =
            crate::source::deserialize_rel(Value::Table(workload_table)).map_err(locate)?;
        if let Some(e) = workload.misplaced(info.name) {
            return Err(locate(e));
        }
        running_time(info, &table, &workload, month).map_err(locate)?;
        commitment_fits(info, &table, &workload).map_err(locate)?;
        // `reserved = false` (turning off an inherited reservation) commits nothing.
        let commitments: Vec<&str> = resources::commitment::KEYS
            .iter()
            .copied()
            .filter(|k| table.get(*k).is_some_and(|v| v != &Value::Boolean(false)))
            .collect();
        // Two commitments would each claim the same hours.
        if let [first, second, ..] = commitments[..] {
            return Err(doc
                .error_at(
                    &raw.key_origin(second),
                    format!("`{res_name}` has both `{first}` and `{second}`: each would cover the same usage"),
                )
                .with_help(Some(format!(
                    "keep one; to turn off one inherited from the phase, give `{first} = false`"
                ))));
        }
        let committed = commitments.first().copied();
        let model = (info.parse)(Value::Table(table)).map_err(locate)?;
        model.validate(catalog).map_err(locate)?;
        // A commitment is already the discounted price: a percentage on top would discount
        // the same hours twice.
        if let (Some(key), Some(d)) = (committed, discounts.get(info.name)) {
            let here = raw.key_origin(key);
            return Err(doc
                .error_at(
                    &here,
                    format!(
                        "`{res_name}` has `{key}` and its kind `{}` is also discounted {}% by `{}`{}: that would discount it twice",
                        info.name,
                        crate::money::fmt_number(d.fraction * Decimal::ONE_HUNDRED),
                        d.at,
                        place(doc, &d.at)
                    ),
                )
                .with_help(Some(format!(
                    "a commitment is priced at its own rate; remove `{}` from that discounts table (give the phase's other resources of the kind their own commitments), or remove `{key}`",
                    info.name
                ))));
        }
        out.push(ResourceEntry {
            name: res_name,
            kind: info.name,
            model,
            workload,
            origin: raw.origin.clone(),
        });
    }
    let _ = name;
    Ok(Phase {
        name: name.to_string(),
        description,
        environment_of,
        resources: out,
        triggers: Vec::new(),
        model: None,
        traffic_share: 1.0,
        stated_usage_scale: None,
        discounts: discounts
            .iter()
            .map(|(k, d)| (k.clone(), d.fraction))
            .collect(),
    })
}

/// What the resources' running time is checked against: the month's hours, and whether the
/// fleets are simulated (the scenario has `[traffic]`).
#[derive(Debug, Clone, Copy)]
struct Month {
    hours: Decimal,
    simulated: bool,
}

/// A resource's running time must fit the month, and a fleet's must be one the simulator can
/// follow: a count or autoscaling (not both), on a schedule that says when it runs.
fn running_time(
    info: &resources::KindInfo,
    table: &toml::Table,
    workload: &workload::Workload,
    month: Month,
) -> Result<(), crate::source::FieldError> {
    use crate::source::FieldError;
    let month_text = format!("{} h", crate::money::fmt_number(month.hours));
    let too_long = |key: &str, text: String| {
        FieldError::new(
            key,
            format!("{text} is longer than the month ({month_text}): nothing runs more than the whole month"),
        )
        .help(Some(format!(
            "the month is the scenario's `hours_per_month` ({month_text}); a resource running all month needs no hours at all"
        )))
    };
    for key in info.month_hours_keys {
        let Some(v) = table.get(*key) else { continue };
        if let Ok(h) = crate::source::deserialize_rel::<crate::num::NonNeg>(v.clone()) {
            if h.0 > month.hours {
                return Err(too_long(
                    key,
                    format!("`{key}` = {}", crate::money::fmt_number(h.0)),
                ));
            }
        }
    }
    let schedule = match table.get("schedule") {
        Some(Value::String(s)) if info.schedulable => resources::Schedule::parse(s).ok(),
        _ => None,
    };
    if let Some(resources::Schedule::Hours(h)) = schedule {
        if h > month.hours {
            return Err(too_long(
                "schedule",
                format!("schedule = \"{}h\"", crate::money::fmt_number(h)),
            ));
        }
    }
    if info.role != resources::KindRole::Fleet {
        return Ok(());
    }
    if workload.autoscaling.is_some() {
        if !month.simulated {
            return Err(FieldError::new(
                "autoscaling",
                "autoscaling follows simulated traffic, but the scenario has no `[traffic]`",
            )
            .help(Some(format!(
                "add [traffic] (see README, Traffic), or give the fleet's size with `{}`",
                info.count_key.unwrap_or("count")
            ))));
        }
        if let Some(key) = info.count_key.filter(|k| table.contains_key(*k)) {
            return Err(FieldError::new(
                key,
                format!("give either `{key}` or `autoscaling`, not both: autoscaling sets the count, between its `min` and `max`"),
            )
            .help(Some(format!(
                "remove `{key}`; an autoscaled fleet starts at `min` (at the month's start and each time its schedule starts it)"
            ))));
        }
    }
    if month.simulated {
        if let Some(key) = info.fixed_hours_key.filter(|k| table.contains_key(*k)) {
            return Err(FieldError::new(
                key,
                format!("`{key}` is a monthly total, but with [traffic] the simulator needs to know how many units serve the traffic, and when"),
            )
            .help(Some(format!(
                "give `{}` and a weekly `schedule` (e.g. \"weekdays 09-19\"), or `autoscaling`",
                info.count_key.unwrap_or("count")
            ))));
        }
        if let Some(resources::Schedule::Hours(h)) = schedule {
            return Err(FieldError::new(
                "schedule",
                format!("schedule = \"{}h\" says how long the fleet runs but not when, and with [traffic] the simulator needs to know when", crate::money::fmt_number(h)),
            )
            .help(Some(
                "use a weekly schedule such as \"weekdays 09-19\", \"daily 08-20\" or \"weekends\"".into(),
            )));
        }
    }
    Ok(())
}

/// A commitment key only on a kind that takes it, and on a fleet with a stated size: a
/// reservation is bought per instance, so autoscaling cannot say how many.
fn commitment_fits(
    info: &resources::KindInfo,
    table: &toml::Table,
    workload: &workload::Workload,
) -> Result<(), crate::source::FieldError> {
    use crate::source::FieldError;
    for key in resources::commitment::KEYS {
        if !table.contains_key(*key) {
            continue;
        }
        if !info.commitments.contains(key) {
            let takers = resources::kinds_where(|k| k.commitments.contains(key), "and");
            let what = if *key == "savings_plan" {
                "Savings Plans"
            } else {
                "Reserved Instances"
            };
            return Err(FieldError::new(
                key,
                format!("`{}` has no {what}: `{key}` is for {takers}", info.name),
            )
            .help(Some(format!(
                "remove `{key}`; for a percentage off (e.g. {}), give `discounts = {{ {} = 20 }}` in the phase",
                if *key == "savings_plan" { "a negotiated rate" } else { "a Savings Plan's" },
                info.name
            ))));
        }
        // A Savings Plan is a spend commitment, not per instance: an autoscaled fleet's usage
        // is covered as it comes.
        if *key == "reserved"
            && workload.autoscaling.is_some()
            && table.get(*key) != Some(&Value::Boolean(false))
        {
            return Err(FieldError::new(
                key,
                format!("`{key}` covers every instance of the resource, but `autoscaling` decides how many run"),
            )
            .help(Some(format!(
                "give `{}` (the instances the reservations cover) instead of `autoscaling`",
                info.count_key.unwrap_or("count")
            ))));
        }
    }
    Ok(())
}

/// Validate a phase's `traffic_share` (a fraction of the scenario's traffic, at most 1) and
/// `scale_stated_usage`: the share, and the exact scale for stated usage when asked for.
fn traffic_share(
    doc: &Document,
    at: &KeyPath,
    raw: &RawPhase,
) -> Result<(f64, Option<Decimal>), InputError> {
    let share = match raw.traffic_share {
        None => None,
        Some(Positive(v)) if v <= Decimal::ONE => Some(v),
        Some(Positive(v)) => {
            return Err(doc
                .error_at(
                    &at.key("traffic_share"),
                    format!("traffic_share is {v}, but it must be a fraction in (0, 1]"),
                )
                .with_help(Some(
                    "it is the share of the scenario's [traffic] this phase sees; raise [traffic] itself for more".into(),
                )))
        }
    };
    let scale = match (raw.scale_stated_usage, share) {
        (Some(true), Some(v)) => Some(v),
        // Asked for with nothing to scale by: the answer would not change, silently.
        (Some(true), None) => {
            return Err(doc
                .error_at(
                    &at.key("scale_stated_usage"),
                    "`scale_stated_usage = true` scales stated usage by `traffic_share`, but no `traffic_share` is set here",
                )
                .with_help(Some(
                    "add `traffic_share = 0.01` (the share of production this environment sees), or remove `scale_stated_usage`".into(),
                )))
        }
        _ => None,
    };
    Ok((share.map_or(1.0, crate::capacity::to_f64), scale))
}

/// A phase's triggers: its own, or (when it lists none) those of the phase it `extends`, and
/// so on up the chain. `triggers = []` stops the inheritance. (The chain was checked for
/// unknown names and cycles when the resources were resolved; the walk is bounded anyway.)
fn inherited_triggers(
    doc: &Document,
    phases: &IndexMap<String, RawPhase>,
    name: &str,
    hours: Decimal,
) -> Result<Vec<trigger::Trigger>, InputError> {
    let mut cur = name;
    for _ in 0..=phases.len() {
        let Some(spec) = phases.get(cur) else { break };
        if let Some(own) = &spec.triggers {
            return triggers(doc, &KeyPath::root().key("phases").key(cur), own, hours);
        }
        match &spec.extends {
            Some(base) => cur = base,
            None => break,
        }
    }
    Ok(Vec::new())
}

/// The credit plan's amount: only with `free_tier = "credits"`, at most AWS's $200.
fn free_credits(
    doc: &Document,
    mode: FreeTier,
    raw: Option<Positive>,
) -> Result<Option<Decimal>, InputError> {
    let at = KeyPath::root().key("free_tier_credits");
    let max = crate::pricing::CREDIT_PLAN_MAX_USD;
    match (mode, raw) {
        (FreeTier::Credits, None) => Ok(Some(max)),
        (FreeTier::Credits, Some(Positive(v))) if v <= max => Ok(Some(v)),
        (FreeTier::Credits, Some(Positive(v))) => Err(doc
            .error_at(&at, format!("free_tier_credits is {v} USD, above the credit plan's 200"))
            .with_help(Some(
                "AWS gives at most $200: $100 at sign-up and up to $100 more for activities".into(),
            ))),
        (_, Some(_)) => Err(doc
            .error_at(&at, "`free_tier_credits` is only used with `free_tier = \"credits\"`")
            .with_help(Some(
                "set free_tier = \"credits\" (accounts created on or after 2025-07-15), or remove free_tier_credits".into(),
            ))),
        (_, None) => Ok(None),
    }
}

/// Validate the triggers written under `at` (a phase or environment), for a month of `hours`.
fn triggers(
    doc: &Document,
    at: &KeyPath,
    raw: &[trigger::RawTrigger],
    hours: Decimal,
) -> Result<Vec<trigger::Trigger>, InputError> {
    raw.iter()
        .enumerate()
        .map(|(i, t)| {
            trigger::Trigger::from_raw(t)
                .and_then(|t| t.fits_month(hours).map(|()| t))
                .map_err(|e| doc.locate(&at.key("triggers").index(i), e))
        })
        .collect()
}

/// Without `[traffic]` nothing is simulated: `[simulation]` settings and triggers would be
/// silently unused, so they are refused (settings are still checked, so a typo is named).
fn no_traffic_but(doc: &Document, raw: &RawScenario) -> Result<(), InputError> {
    let root = KeyPath::root();
    if let Some(sim) = &raw.simulation {
        traffic::SimSettings::from_raw(sim).map_err(|e| doc.locate(&root.key("simulation"), e))?;
        return Err(doc
            .error_at(
                &root.key("simulation"),
                "`[simulation]` has nothing to simulate: the scenario has no `[traffic]`",
            )
            .with_help(Some(
                "add [traffic] (see README, Traffic), or remove [simulation]".into(),
            )));
    }
    let with_triggers = raw
        .phases
        .iter()
        .map(|(n, p)| (root.key("phases").key(n), p))
        .chain(
            raw.environments
                .iter()
                .map(|(n, p)| (root.key("environments").key(n), p)),
        )
        .find(|(_, p)| p.triggers.as_ref().is_some_and(|t| !t.is_empty()));
    if let Some((at, _)) = with_triggers {
        return Err(doc
            .error_at(
                &at.key("triggers").index(0),
                "triggers are evaluated on simulated traffic, but the scenario has no `[traffic]`",
            )
            .with_help(Some(
                "add [traffic] (see README, Traffic), or remove the triggers".into(),
            )));
    }
    Ok(())
}

/// Validate `[traffic]` and `[simulation]`, for a month of `hours`.
fn traffic(
    doc: &Document,
    raw: &traffic::RawTraffic,
    sim: Option<&traffic::RawSimulation>,
    hours: Decimal,
) -> Result<traffic::Traffic, InputError> {
    let root = KeyPath::root();
    let profile = traffic::TrafficProfile::from_raw(raw, crate::capacity::to_f64(hours))
        .map_err(|e| doc.locate(&root.key("traffic"), e))?;
    // A spike that starts after the month ends would never happen.
    let month_s = crate::capacity::to_f64(hours) * 3600.0;
    if let Some(i) = profile.spikes.iter().position(|s| s.start_s >= month_s) {
        return Err(doc
            .error_at(
                &root.key("traffic").key("spikes").index(i),
                format!(
                    "this spike starts after the month ends ({} hours, {:.2} days)",
                    crate::money::fmt_number(hours),
                    month_s / 86_400.0
                ),
            )
            .with_help(Some("spike days count from 1 at the month's start".into())));
    }
    let settings = traffic::SimSettings::from_raw(&sim.cloned().unwrap_or_default())
        .map_err(|e| doc.locate(&root.key("simulation"), e))?;
    Ok(traffic::Traffic { profile, settings })
}
