//! The JSON contract: money and quantities as decimal strings at full precision.

use serde::{Deserialize, Serialize};

use crate::estimate::Estimate;
use crate::money::exact;

#[derive(Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct JsonEstimate {
    pub scenario: String,
    pub region: String,
    pub currency: String,
    pub hours_per_month: String,
    pub phases: Vec<JsonPhase>,
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct JsonPhase {
    pub name: String,
    pub monthly_total: String,
    pub annual_total: String,
    pub baseline_monthly: String,
    pub usage_monthly: String,
    pub lines: Vec<JsonLine>,
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
    /// `stated`, `derived` or `none`.
    pub usage_source: String,
    pub notes: Vec<String>,
}

pub fn to_json(e: &Estimate) -> JsonEstimate {
    JsonEstimate {
        scenario: e.scenario.clone(),
        region: e.region.clone(),
        currency: e.currency.clone(),
        hours_per_month: exact(e.hours_per_month),
        phases: e
            .phases
            .iter()
            .map(|p| JsonPhase {
                name: p.name.clone(),
                monthly_total: exact(p.monthly_total()),
                annual_total: exact(p.annual_total()),
                baseline_monthly: exact(p.baseline_monthly()),
                usage_monthly: exact(p.usage_monthly()),
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
                        usage_source: l.usage_source.as_str().into(),
                        notes: l.notes.clone(),
                    })
                    .collect(),
            })
            .collect(),
    }
}

pub fn render(e: &Estimate) -> String {
    let mut s = serde_json::to_string_pretty(&to_json(e)).unwrap_or_default();
    s.push('\n');
    s
}
