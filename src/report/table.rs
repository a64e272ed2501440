//! Terminal tables (comfy-table).

use comfy_table::{presets::UTF8_FULL_CONDENSED, Cell, CellAlignment, Table};

use super::{change, cost_cell, kind_label};
use crate::estimate::{Estimate, PhaseEstimate};
use crate::money::{fmt_money, fmt_number, fmt_price, round_lines};
use crate::plan::Plan;

fn right(s: impl Into<String>) -> Cell {
    Cell::new(s.into()).set_alignment(CellAlignment::Right)
}

pub fn phase_table(p: &PhaseEstimate) -> Table {
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED);
    t.set_header([
        "Service",
        "Resource",
        "Component",
        "Quantity",
        "Unit",
        "Unit price",
        "Monthly",
        "Type",
        "Notes",
    ]);
    let (rounded, adjustment) =
        round_lines(&p.lines.iter().map(|l| l.monthly_cost).collect::<Vec<_>>());
    for (l, r) in p.lines.iter().zip(&rounded) {
        t.add_row(vec![
            Cell::new(&l.service),
            Cell::new(&l.resource),
            Cell::new(&l.component),
            right(if l.usage_source == crate::cost::UsageSource::None {
                "-".into()
            } else {
                fmt_number(l.quantity.round_dp(4))
            }),
            Cell::new(&l.unit),
            right(if l.unit.is_empty() {
                "-".into()
            } else {
                format!("${}", fmt_price(l.unit_price))
            }),
            right(cost_cell(l, *r)),
            Cell::new(kind_label(l.kind)),
            Cell::new(l.notes.join("; ")),
        ]);
    }
    if !adjustment.is_zero() {
        t.add_row(vec![
            Cell::new("Rounding"),
            Cell::new(""),
            Cell::new(""),
            Cell::new(""),
            Cell::new(""),
            Cell::new(""),
            right(fmt_money(adjustment)),
            Cell::new(""),
            Cell::new("lines rounded to cents; total is exact"),
        ]);
    }
    t.add_row(vec![
        Cell::new("Total"),
        Cell::new(""),
        Cell::new(""),
        Cell::new(""),
        Cell::new(""),
        Cell::new(""),
        right(fmt_money(p.monthly_total())),
        Cell::new(""),
        Cell::new(format!(
            "baseline {} + usage {}",
            fmt_money(p.baseline_monthly()),
            fmt_money(p.usage_monthly())
        )),
    ]);
    t
}

pub fn summary_table(e: &Estimate) -> Table {
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED);
    t.set_header([
        "Phase",
        "Monthly",
        "Annual",
        "Baseline",
        "Usage",
        "Change vs previous",
    ]);
    let mut prev = None;
    for p in &e.phases {
        let total = p.monthly_total();
        let name = match &p.environment_of {
            Some(base) => format!("{} (env of {base})", p.name),
            None => p.name.clone(),
        };
        let delta = if p.environment_of.is_some() {
            "-".into()
        } else {
            change(prev, total)
        };
        t.add_row(vec![
            Cell::new(name),
            right(fmt_money(total)),
            right(fmt_money(p.annual_total())),
            right(fmt_money(p.baseline_monthly())),
            right(fmt_money(p.usage_monthly())),
            right(delta),
        ]);
        if p.environment_of.is_none() {
            prev = Some(total);
        }
    }
    for g in e.with_environments() {
        t.add_row(vec![
            Cell::new(format!("{} (with environments)", g.label())),
            right(fmt_money(g.monthly_total)),
            right(fmt_money(g.annual_total())),
            right(fmt_money(g.baseline_monthly)),
            right(fmt_money(g.usage_monthly)),
            right("-"),
        ]);
    }
    t
}

pub fn render(plan: &Plan) -> String {
    let e = &plan.estimate;
    let mut out = format!(
        "{} — {} — {} — {} h/month\n",
        e.scenario,
        e.region,
        e.currency,
        fmt_number(e.hours_per_month)
    );
    for p in &e.phases {
        out.push_str(&format!("\nPhase {}", p.name));
        if let Some(d) = &p.description {
            out.push_str(&format!(": {d}"));
        }
        out.push('\n');
        out.push_str(&phase_table(p).to_string());
        out.push('\n');
    }
    out.push_str("\nSummary (USD per month; annual = 12 x monthly)\n");
    out.push_str(&summary_table(e).to_string());
    out.push('\n');
    for s in super::capacity::sections(plan) {
        out.push('\n');
        out.push_str(&s.to_table());
    }
    out
}
