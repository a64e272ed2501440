//! The JSON contract: money and quantities as decimal strings at full precision.

use serde::{Deserialize, Serialize};

use crate::money::exact;
use crate::plan::Plan;

#[derive(Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct JsonEstimate {
    pub scenario: String,
    pub region: String,
    pub currency: String,
    pub hours_per_month: String,
    /// Seed of the traffic simulation (the same seed gives byte-identical output).
    pub seed: u64,
    /// The display currency the `display_*` amounts are in (absent in USD).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display: Option<super::view::JsonDisplay>,
    pub phases: Vec<JsonPhase>,
    /// Each phase that has environments, with their summed totals (prod + staging + dev).
    pub with_environments: Vec<JsonWithEnvironments>,
    /// How far each phase holds as traffic grows, and its cost there (scenarios with traffic).
    pub ladder: Vec<JsonLadderRow>,
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct JsonPhase {
    pub name: String,
    pub monthly_total: String,
    pub annual_total: String,
    pub baseline_monthly: String,
    pub usage_monthly: String,
    /// `monthly_total` in the display currency, exact (absent in USD).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_monthly_total: Option<String>,
    pub lines: Vec<JsonLine>,
    /// Simulated demand at the expected traffic; `null` without a traffic profile.
    pub capacity: Option<JsonCapacity>,
    pub triggers: Vec<JsonTrigger>,
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct JsonWithEnvironments {
    pub phase: String,
    pub environments: Vec<String>,
    pub monthly_total: String,
    pub annual_total: String,
    pub baseline_monthly: String,
    pub usage_monthly: String,
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct JsonCapacity {
    pub avg_rps: f64,
    pub peak_rps: f64,
    pub monthly_active_users: Option<f64>,
    pub db_connections: Option<JsonDb>,
    pub lambda_concurrency: Option<JsonLambda>,
    pub tasks: Option<JsonTasks>,
    pub nat_gb: Option<f64>,
    pub alb_gb: Option<f64>,
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct JsonDb {
    pub resource: String,
    pub engine: String,
    pub peak: f64,
    pub max_connections: u32,
    pub usable: u32,
    pub headroom_pct: f64,
    /// Where max_connections comes from (formula, AWS table, or the scenario).
    pub basis: String,
    pub via_proxy: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct JsonLambda {
    pub mean: f64,
    pub p95: f64,
    pub max: f64,
    pub throttled_requests: f64,
    pub cold_starts: f64,
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct JsonTasks {
    pub min: f64,
    pub mean: f64,
    pub max: f64,
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct JsonTrigger {
    pub rule: String,
    /// A capacity limit costplan always checks (connection errors, throttling, proxy).
    pub builtin: bool,
    pub fires: bool,
    pub first_fires_at_rps: Option<f64>,
    pub first_fires_at_mau: Option<f64>,
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct JsonLadderRow {
    pub phase: String,
    pub holds_up_to_rps: Option<f64>,
    pub holds_up_to_mau: Option<f64>,
    pub limited_by: Option<String>,
    pub monthly_cost_at_limit: Option<String>,
    pub next_phase: Option<String>,
    pub next_phase_monthly_cost: Option<String>,
    /// Not in the growth sequence: compared, never the next phase of another.
    pub alternative: bool,
}

/// Simulated figures to 3 decimals: enough for review, stable in text.
fn r3(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

fn capacity(c: &crate::sim::PhaseCapacity) -> JsonCapacity {
    JsonCapacity {
        avg_rps: r3(c.avg_rps),
        peak_rps: r3(c.peak_rps),
        monthly_active_users: c.mau.map(r3),
        db_connections: c.db.as_ref().map(|d| JsonDb {
            resource: d.name.clone(),
            engine: d.engine.to_string(),
            peak: r3(d.peak),
            max_connections: d.max_connections,
            usable: d.usable,
            headroom_pct: r3(d.headroom_pct),
            basis: d.basis.clone(),
            via_proxy: d.via_proxy.clone(),
        }),
        lambda_concurrency: c.lambda.as_ref().map(|l| JsonLambda {
            mean: r3(l.mean),
            p95: r3(l.p95),
            max: r3(l.max),
            throttled_requests: r3(l.throttled_requests),
            cold_starts: r3(l.cold_starts),
        }),
        tasks: c.tasks.as_ref().map(|t| JsonTasks {
            min: r3(t.min),
            mean: r3(t.mean),
            max: r3(t.max),
        }),
        nat_gb: c.nat_gb.map(r3),
        alb_gb: c.alb_gb.map(r3),
    }
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct JsonLine {
    pub service: String,
    pub resource: String,
    pub component: String,
    pub quantity: String,
    pub unit: String,
    pub unit_price: String,
    pub monthly_cost: String,
    /// `monthly_cost` in the display currency, exact (absent in USD).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_monthly_cost: Option<String>,
    /// `stated`, `derived` or `none`.
    pub usage_source: String,
    /// The one-time payment (USD, exact) this line is the monthly equivalent of: a Reserved
    /// Instance's upfront. Absent on every other line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upfront: Option<String>,
    pub notes: Vec<String>,
}

pub fn to_json(plan: &Plan, v: &super::View) -> JsonEstimate {
    let e = &plan.estimate;
    let cap = |name: &str| plan.capacity.as_ref().and_then(|c| c.phase(name));
    JsonEstimate {
        scenario: e.scenario.clone(),
        region: e.region.clone(),
        currency: e.currency.clone(),
        hours_per_month: exact(e.hours_per_month),
        seed: plan.seed,
        display: v.json_display(),
        with_environments: e
            .with_environments()
            .into_iter()
            .map(|g| JsonWithEnvironments {
                annual_total: exact(g.annual_total()),
                phase: g.phase,
                environments: g.environments,
                monthly_total: exact(g.monthly_total),
                baseline_monthly: exact(g.baseline_monthly),
                usage_monthly: exact(g.usage_monthly),
            })
            .collect(),
        ladder: plan
            .capacity
            .iter()
            .flat_map(|c| &c.ladder)
            .map(|r| JsonLadderRow {
                phase: r.phase.clone(),
                holds_up_to_rps: r.holds_up_to_rps.map(r3),
                holds_up_to_mau: r.holds_up_to_mau.map(r3),
                limited_by: r.limited_by.clone(),
                monthly_cost_at_limit: r.monthly_cost_at_limit.map(exact),
                next_phase: r.next_phase.clone(),
                next_phase_monthly_cost: r.next_phase_monthly_cost.map(exact),
                alternative: r.alternative,
            })
            .collect(),
        phases: e
            .phases
            .iter()
            .map(|p| JsonPhase {
                name: p.name.clone(),
                monthly_total: exact(p.monthly_total()),
                annual_total: exact(p.annual_total()),
                baseline_monthly: exact(p.baseline_monthly()),
                usage_monthly: exact(p.usage_monthly()),
                display_monthly_total: v.json_amount(p.monthly_total()),
                lines: p
                    .lines
                    .iter()
                    .map(|l| JsonLine {
                        service: l.service.clone(),
                        resource: l.resource.clone(),
                        component: l.component.clone(),
                        quantity: exact(l.quantity),
                        unit: l.unit.clone(),
                        unit_price: exact(l.unit_price),
                        monthly_cost: exact(l.monthly_cost),
                        display_monthly_cost: v.json_amount(l.monthly_cost),
                        usage_source: l.usage_source.as_str().into(),
                        upfront: l.upfront.map(exact),
                        notes: l.notes.clone(),
                    })
                    .collect(),
                capacity: cap(&p.name).map(capacity),
                triggers: cap(&p.name)
                    .map(|c| {
                        c.triggers
                            .iter()
                            .map(|t| JsonTrigger {
                                rule: t.rule.clone(),
                                builtin: t.builtin,
                                fires: t.fires,
                                first_fires_at_rps: t.first_fires_at_rps.map(r3),
                                first_fires_at_mau: t.first_fires_at_mau.map(r3),
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
            })
            .collect(),
    }
}

pub fn render(plan: &Plan, v: &super::View) -> String {
    super::pretty_json(&to_json(plan, v))
}
