//! CSV: one row per line, numbers unformatted at full precision.

use crate::error::Result;
use crate::estimate::Estimate;
use crate::money::exact;

/// `phase_group` is the phase for a phase's lines and the base phase for an environment's:
/// summing `monthly_cost` by it gives a phase's total with its environments.
pub const HEADER: [&str; 12] = [
    "phase",
    "service",
    "resource",
    "component",
    "quantity",
    "unit",
    "unit_price",
    "monthly_cost",
    "usage_source",
    "cost_type",
    "notes",
    "phase_group",
];

pub fn render(e: &Estimate, v: &super::View) -> Result<String> {
    let c = &v.currency;
    let mut header: Vec<&str> = HEADER.to_vec();
    if !c.is_usd() {
        header.extend(super::view::DISPLAY_CSV_HEADER);
    }
    let rows = e.phases.iter().flat_map(|p| {
        p.lines.iter().map(move |l| {
            let mut row = vec![
                p.name.clone(),
                l.service.clone(),
                l.resource.clone(),
                l.component.clone(),
                exact(l.quantity),
                l.unit.clone(),
                exact(l.unit_price),
                exact(l.monthly_cost),
                l.usage_source.as_str().to_string(),
                super::kind_label(l.kind).to_string(),
                l.notes.join("; "),
                p.environment_of.clone().unwrap_or_else(|| p.name.clone()),
            ];
            if !c.is_usd() {
                row.extend(super::view::display_cells(c, l.monthly_cost));
            }
            row
        })
    });
    super::csv_text(&header, rows)
}
