//! Markdown report: a summary, then each phase's breakdown.

use super::View;
use super::{change, cost_cell, kind_label};
use crate::money::fmt_number;
use crate::plan::Plan;

pub(crate) fn esc(s: &str) -> String {
    s.replace('|', "\\|")
}

/// What a full `--out` report adds to the plain Markdown rendering.
#[derive(Debug, Default)]
pub struct Extras<'a> {
    /// The scenario's header comment (its sources and assumptions), as written.
    pub assumptions: Option<&'a str>,
    /// Extra sections after the capacity ones (sweep grid, break-even points).
    pub sections: Vec<super::capacity::Section>,
    /// Charts to embed: (title, image file name relative to the report).
    pub charts: Vec<(String, String)>,
}

pub fn render(plan: &Plan, v: &View) -> String {
    render_with(plan, &Extras::default(), v)
}

/// The Markdown report, with the assumptions, sweep sections and charts of `x`.
pub fn render_with(plan: &Plan, x: &Extras, v: &View) -> String {
    let e = &plan.estimate;
    let mut out = format!("# Cost estimate: {}\n\n", esc(&e.scenario));
    match v.currency_note() {
        None => out.push_str(&format!(
            "Region `{}`, prices in {}, {} hours per month. Amounts are rounded to cents for \
             display; each table's lines add up to its total.\n\n",
            e.region,
            e.currency,
            fmt_number(e.hours_per_month)
        )),
        Some(note) => out.push_str(&format!(
            "Region `{}`, prices in {}, {} hours per month. {note}.\n\n",
            e.region,
            e.currency,
            fmt_number(e.hours_per_month)
        )),
    }
    if let Some(a) = x.assumptions.filter(|a| !a.trim().is_empty()) {
        out.push_str(&format!(
            "## Scenario and assumptions\n\nFrom the scenario file's header:\n\n```text\n{}\n```\n\n",
            a.trim_end()
        ));
    }
    if !v.currency.is_usd() {
        out.push_str(&format!("Amounts below are in {}.\n\n", v.code()));
    }
    out.push_str("## Summary\n\n| Phase | Monthly | Annual | Baseline | Usage | Change vs previous |\n|---|--:|--:|--:|--:|--:|\n");
    let mut prev = None;
    for p in &e.phases {
        let total = p.monthly_total();
        let delta = if p.environment_of.is_some() {
            "-".into()
        } else {
            change(prev, total, v)
        };
        let name = p
            .environment_of
            .as_ref()
            .map_or(p.name.clone(), |b| format!("{} (env of {b})", p.name));
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} |\n",
            esc(&name),
            v.money(total),
            v.money(p.annual_total()),
            v.money(p.baseline_monthly()),
            v.money(p.usage_monthly()),
            delta
        ));
        if p.environment_of.is_none() {
            prev = Some(total);
        }
    }
    for g in e.with_environments() {
        out.push_str(&format!(
            "| {} (with environments) | {} | {} | {} | {} | - |\n",
            esc(&g.label()),
            v.money(g.monthly_total),
            v.money(g.annual_total()),
            v.money(g.baseline_monthly),
            v.money(g.usage_monthly),
        ));
    }
    for s in super::capacity::sections(plan, v).iter().chain(&x.sections) {
        out.push('\n');
        out.push_str(&s.to_markdown());
    }
    if !x.charts.is_empty() {
        out.push_str("\n## Charts\n");
        for (title, file) in &x.charts {
            out.push_str(&format!(
                "\n### {}\n\n![{}]({file})\n",
                esc(title),
                esc(title)
            ));
        }
    }
    for p in &e.phases {
        out.push_str(&format!("\n## Phase {}\n\n", esc(&p.name)));
        if let Some(d) = &p.description {
            out.push_str(&format!("{}\n\n", esc(d)));
        }
        out.push_str("| Service | Resource | Component | Quantity | Unit | Unit price | Monthly | Type | Notes |\n");
        out.push_str("|---|---|---|--:|---|--:|--:|---|---|\n");
        let (rounded, adjustment) =
            v.round_lines(&p.lines.iter().map(|l| l.monthly_cost).collect::<Vec<_>>());
        for (l, r) in p.lines.iter().zip(&rounded) {
            let qty = if l.usage_source == crate::cost::UsageSource::None {
                "-".into()
            } else {
                fmt_number(l.quantity.round_dp(4))
            };
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
                esc(&l.service),
                esc(&l.resource),
                esc(&l.component),
                qty,
                esc(&l.unit),
                if l.unit.is_empty() {
                    "-".into()
                } else {
                    v.unit_price(l.unit_price)
                },
                cost_cell(l, *r, v),
                kind_label(l.kind),
                esc(&l.notes.join("; "))
            ));
        }
        if !adjustment.is_zero() {
            out.push_str(&format!(
                "| Rounding | | | | | | {} | | lines rounded to {}; total is exact |\n",
                v.fmt(adjustment),
                v.rounded_to()
            ));
        }
        out.push_str(&format!(
            "| **Total** | | | | | | **{}** | | |\n",
            v.money(p.monthly_total())
        ));
    }
    out
}
