//! Terminal tables (comfy-table), fitted to the view's width: long notes become numbered
//! footnotes under their table, and below [`COMPACT_BELOW`] columns a breakdown puts service,
//! resource and component in one column and the unit after the quantity.

use super::view::{Footnotes, View};
use super::{change, cost_cell, kind_label};
use crate::estimate::{Estimate, PhaseEstimate};
use crate::money::fmt_number;
use crate::plan::Plan;

/// Widths below this get the compact breakdown (nine columns need about this many).
pub const COMPACT_BELOW: u16 = 110;

type Row = Vec<(String, bool)>;

fn text(s: impl Into<String>) -> (String, bool) {
    (s.into(), false)
}

fn num(s: impl Into<String>) -> (String, bool) {
    (s.into(), true)
}

/// A phase's breakdown, with its footnotes under it when the notes are footnotes.
pub fn phase_table(p: &PhaseEstimate, v: &View) -> String {
    let compact = v.width.is_some_and(|w| w < COMPACT_BELOW);
    let mut notes = Footnotes::default();
    let mut header: Vec<String> = if compact {
        ["Line", "Quantity", "Unit price", "Monthly", "Type"]
            .map(String::from)
            .to_vec()
    } else {
        [
            "Service",
            "Resource",
            "Component",
            "Quantity",
            "Unit",
            "Unit price",
            "Monthly",
            "Type",
        ]
        .map(String::from)
        .to_vec()
    };
    if !v.no_notes {
        header.push("Notes".into());
    }
    let mut note = |t: String| -> Option<(String, bool)> {
        if v.no_notes {
            None
        } else if v.footnotes() {
            Some(text(notes.mark(&t)))
        } else {
            Some(text(t))
        }
    };
    // A row with only a label, an amount in the Monthly column and a note.
    let summary_row = |label: &str, amount: String, note: Option<(String, bool)>| -> Row {
        let before = if compact { 2 } else { 5 };
        let mut row = vec![text(label)];
        row.extend((0..before).map(|_| text("")));
        row.push(num(amount));
        row.push(text(""));
        row.extend(note);
        row
    };
    let costs: Vec<_> = p.lines.iter().map(|l| l.monthly_cost).collect();
    let (rounded, adjustment) = v.round_lines(&costs);
    let mut rows: Vec<Row> = Vec::new();
    for (l, r) in p.lines.iter().zip(&rounded) {
        let qty = if l.usage_source == crate::cost::UsageSource::None {
            "-".into()
        } else {
            fmt_number(l.quantity.round_dp(4))
        };
        let price = if l.unit.is_empty() {
            "-".into()
        } else {
            v.unit_price(l.unit_price)
        };
        let mut row = if compact {
            vec![
                text(format!("{} {}: {}", l.service, l.resource, l.component)),
                num(format!("{qty} {}", l.unit).trim().to_string()),
                num(price),
            ]
        } else {
            vec![
                text(&l.service),
                text(&l.resource),
                text(&l.component),
                num(qty),
                text(&l.unit),
                num(price),
            ]
        };
        row.push(num(cost_cell(l, *r, v)));
        row.push(text(kind_label(l.kind)));
        row.extend(note(l.notes.join("; ")));
        rows.push(row);
    }
    if !adjustment.is_zero() {
        let n = note(format!(
            "lines rounded to {}; total is exact",
            v.rounded_to()
        ));
        rows.push(summary_row("Rounding", v.fmt(adjustment), n));
    }
    let n = note(format!(
        "baseline {} + usage {}",
        v.money(p.baseline_monthly()),
        v.money(p.usage_monthly())
    ));
    rows.push(summary_row("Total", v.money(p.monthly_total()), n));
    // Amounts, prices, the type and the note numbers keep their width; names and quantities
    // (with their units) wrap.
    let keep: Vec<bool> = header
        .iter()
        .map(|h| {
            matches!(h.as_str(), "Unit price" | "Monthly" | "Type" | "Quantity")
                && !(compact && h == "Quantity")
                || (h == "Notes" && v.footnotes())
        })
        .collect();
    format!(
        "{}{}",
        v.grid_table(&header, &rows, Some(&keep)),
        notes.render(v)
    )
}

pub fn summary_table(e: &Estimate, v: &View) -> String {
    let header = [
        "Phase",
        "Monthly",
        "Annual",
        "Baseline",
        "Usage",
        "Change vs previous",
    ]
    .map(String::from);
    let mut prev = None;
    let mut rows: Vec<Row> = Vec::new();
    for p in &e.phases {
        let total = p.monthly_total();
        let name = match &p.environment_of {
            Some(base) => format!("{} (env of {base})", p.name),
            None => p.name.clone(),
        };
        let delta = if p.environment_of.is_some() {
            "-".into()
        } else {
            change(prev, total, v)
        };
        rows.push(vec![
            text(name),
            num(v.money(total)),
            num(v.money(p.annual_total())),
            num(v.money(p.baseline_monthly())),
            num(v.money(p.usage_monthly())),
            num(delta),
        ]);
        if p.environment_of.is_none() {
            prev = Some(total);
        }
    }
    for g in e.with_environments() {
        rows.push(vec![
            text(format!("{} (with environments)", g.label())),
            num(v.money(g.monthly_total)),
            num(v.money(g.annual_total())),
            num(v.money(g.baseline_monthly)),
            num(v.money(g.usage_monthly)),
            num("-"),
        ]);
    }
    v.grid_table(&header, &rows, None)
}

pub fn render(plan: &Plan, v: &View) -> String {
    let e = &plan.estimate;
    let mut out = format!(
        "{} — {} — {} — {} h/month\n",
        e.scenario,
        e.region,
        v.code(),
        fmt_number(e.hours_per_month)
    );
    out.push_str(&v.currency_line());
    for p in &e.phases {
        let mut title = format!("Phase {}", p.name);
        if let Some(d) = &p.description {
            title.push_str(&format!(": {d}"));
        }
        out.push_str(&format!("\n{}\n", v.wrap(&title, 2)));
        out.push_str(&phase_table(p, v));
    }
    out.push_str(&format!(
        "\nSummary ({} per month; annual = 12 x monthly)\n",
        v.code()
    ));
    out.push_str(&summary_table(e, v));
    for s in super::capacity::sections(plan, v) {
        out.push('\n');
        out.push_str(&s.to_table(v));
    }
    out
}
