//! What changed between two scenarios, phase by phase (matched by name) and
//! line by line (matched by resource and component).

use indexmap::IndexMap;
use rust_decimal::Decimal;

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::estimate::{CostLine, Estimate, PhaseEstimate};
use crate::money::{exact, fmt_number};
use crate::report::View;
use crate::report::{Grid, Render};

/// How a line or phase changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Added,
    Removed,
    Changed,
    Unchanged,
}

impl Change {
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Added => "added",
            Change::Removed => "removed",
            Change::Changed => "changed",
            Change::Unchanged => "unchanged",
        }
    }
}

#[derive(Debug, Clone)]
pub struct LineDiff {
    pub change: Change,
    sides: Sides,
}

/// The line before and after: at least one side exists by construction.
#[derive(Debug, Clone)]
enum Sides {
    Removed(CostLine),
    Added(CostLine),
    /// Boxed: two lines make this variant twice the others' size.
    Changed(Box<(CostLine, CostLine)>),
}

impl LineDiff {
    fn any(&self) -> &CostLine {
        match &self.sides {
            Sides::Removed(l) | Sides::Added(l) => l,
            Sides::Changed(both) => &both.1,
        }
    }
    pub fn before(&self) -> Option<&CostLine> {
        match &self.sides {
            Sides::Removed(l) => Some(l),
            Sides::Changed(both) => Some(&both.0),
            Sides::Added(_) => None,
        }
    }
    pub fn after(&self) -> Option<&CostLine> {
        match &self.sides {
            Sides::Added(l) => Some(l),
            Sides::Changed(both) => Some(&both.1),
            Sides::Removed(_) => None,
        }
    }
    pub fn delta(&self) -> Decimal {
        self.after().map_or(Decimal::ZERO, |l| l.monthly_cost)
            - self.before().map_or(Decimal::ZERO, |l| l.monthly_cost)
    }
}

#[derive(Debug, Clone)]
pub struct PhaseDiff {
    pub name: String,
    pub change: Change,
    pub old_total: Decimal,
    pub new_total: Decimal,
    /// Added, removed and changed lines (unchanged lines are left out).
    pub lines: Vec<LineDiff>,
}

impl PhaseDiff {
    pub fn delta(&self) -> Decimal {
        self.new_total - self.old_total
    }
}

fn diff_phase(name: &str, old: Option<&PhaseEstimate>, new: Option<&PhaseEstimate>) -> PhaseDiff {
    type Key = (String, String);
    let group = |p: Option<&PhaseEstimate>| {
        let mut m: IndexMap<Key, Vec<CostLine>> = IndexMap::new();
        for l in p.map_or(&[][..], |p| &p.lines) {
            m.entry((l.resource.clone(), l.component.clone()))
                .or_default()
                .push(l.clone());
        }
        m
    };
    let mut o = group(old);
    let mut n = group(new);
    let mut lines = Vec::new();
    // Old order first (changed and removed), then lines only in the new one.
    for (key, olds) in o.iter_mut() {
        let news = n.get_mut(key);
        let mut news_iter = news.map(std::mem::take).unwrap_or_default().into_iter();
        for ol in olds.drain(..) {
            match news_iter.next() {
                Some(nl) => {
                    let same = ol.quantity == nl.quantity
                        && ol.unit_price == nl.unit_price
                        && ol.monthly_cost == nl.monthly_cost
                        && ol.unit == nl.unit;
                    if !same {
                        lines.push(LineDiff {
                            change: Change::Changed,
                            sides: Sides::Changed(Box::new((ol, nl))),
                        });
                    }
                }
                None => lines.push(LineDiff {
                    change: Change::Removed,
                    sides: Sides::Removed(ol),
                }),
            }
        }
        for nl in news_iter {
            lines.push(LineDiff {
                change: Change::Added,
                sides: Sides::Added(nl),
            });
        }
    }
    for (_, news) in n {
        for nl in news {
            lines.push(LineDiff {
                change: Change::Added,
                sides: Sides::Added(nl),
            });
        }
    }
    let change = match (old, new) {
        (None, _) => Change::Added,
        (_, None) => Change::Removed,
        _ if lines.is_empty() => Change::Unchanged,
        _ => Change::Changed,
    };
    PhaseDiff {
        name: name.to_string(),
        change,
        old_total: old.map_or(Decimal::ZERO, PhaseEstimate::monthly_total),
        new_total: new.map_or(Decimal::ZERO, PhaseEstimate::monthly_total),
        lines,
    }
}

/// The differences of every phase: old order first, then phases only in the new scenario.
pub fn diff(old: &Estimate, new: &Estimate) -> Vec<PhaseDiff> {
    let mut names: Vec<&str> = old.phases.iter().map(|p| p.name.as_str()).collect();
    for p in &new.phases {
        if !names.contains(&p.name.as_str()) {
            names.push(&p.name);
        }
    }
    names
        .into_iter()
        .map(|name| {
            diff_phase(
                name,
                old.phases.iter().find(|p| p.name == name),
                new.phases.iter().find(|p| p.name == name),
            )
        })
        .collect()
}

fn qty(l: Option<&CostLine>) -> String {
    l.map_or("-".into(), |l| {
        format!("{} {}", fmt_number(l.quantity.round_dp(4)), l.unit)
            .trim()
            .to_string()
    })
}

fn price(l: Option<&CostLine>, v: &View) -> String {
    l.map_or("-".into(), |l| {
        if l.unit.is_empty() {
            "-".into()
        } else {
            v.unit_price(l.unit_price)
        }
    })
}

fn arrow(a: String, b: String) -> String {
    if a == b {
        a
    } else {
        format!("{a} → {b}")
    }
}

fn phase_grid(p: &PhaseDiff, v: &View) -> Grid {
    let header: Vec<String> = [
        "Change",
        "Service",
        "Resource",
        "Component",
        "Quantity",
        "Unit price",
        "Old monthly",
        "New monthly",
        "Delta",
    ]
    .map(String::from)
    .to_vec();
    // Displayed delta of a line = displayed new - displayed old, so every row and the Delta
    // column add up; a Rounding row closes the column to the displayed phase delta.
    let cents = |l: Option<&CostLine>| l.map_or(Decimal::ZERO, |l| v.shown(l.monthly_cost));
    let rounded: Vec<Decimal> = p
        .lines
        .iter()
        .map(|d| cents(d.after()) - cents(d.before()))
        .collect();
    let shown_delta = v.shown(p.new_total) - v.shown(p.old_total);
    let adjustment = shown_delta - rounded.iter().copied().sum::<Decimal>();
    let mut rows = Vec::new();
    for (d, r) in p.lines.iter().zip(&rounded) {
        let l = d.any();
        rows.push(vec![
            d.change.as_str().to_string(),
            l.service.clone(),
            l.resource.clone(),
            l.component.clone(),
            arrow(qty(d.before()), qty(d.after())),
            arrow(price(d.before(), v), price(d.after(), v)),
            d.before().map_or("-".into(), |l| v.money(l.monthly_cost)),
            d.after().map_or("-".into(), |l| v.money(l.monthly_cost)),
            v.signed(*r),
        ]);
    }
    let blank = || vec![String::new(); 5];
    if !adjustment.is_zero() {
        let mut row = vec!["Rounding".to_string()];
        row.extend(blank());
        row.extend([String::new(), String::new(), v.signed(adjustment)]);
        rows.push(row);
    }
    let mut row = vec!["Phase total".to_string()];
    row.extend(blank());
    row.extend([
        v.money(p.old_total),
        v.money(p.new_total),
        v.signed(shown_delta),
    ]);
    rows.push(row);
    let right = (0..header.len()).map(|i| i >= 6).collect();
    Grid {
        header,
        rows,
        right,
    }
}

fn summary_grid(phases: &[PhaseDiff], v: &View) -> Grid {
    let header: Vec<String> = ["Phase", "Change", "Old monthly", "New monthly", "Delta"]
        .map(String::from)
        .to_vec();
    let rounded: Vec<Decimal> = phases
        .iter()
        .map(|p| v.shown(p.new_total) - v.shown(p.old_total))
        .collect();
    let (old, new) = totals(phases);
    let shown_delta = v.shown(new) - v.shown(old);
    let adjustment = shown_delta - rounded.iter().copied().sum::<Decimal>();
    let mut rows: Vec<Vec<String>> = phases
        .iter()
        .zip(&rounded)
        .map(|(p, r)| {
            vec![
                p.name.clone(),
                p.change.as_str().to_string(),
                v.money(p.old_total),
                v.money(p.new_total),
                v.signed(*r),
            ]
        })
        .collect();
    if !adjustment.is_zero() {
        rows.push(vec![
            "Rounding".into(),
            String::new(),
            String::new(),
            String::new(),
            v.signed(adjustment),
        ]);
    }
    rows.push(vec![
        "Total".into(),
        String::new(),
        v.money(old),
        v.money(new),
        v.signed(shown_delta),
    ]);
    Grid {
        header,
        rows,
        right: vec![false, false, true, true, true],
    }
}

fn totals(phases: &[PhaseDiff]) -> (Decimal, Decimal) {
    (
        phases.iter().map(|p| p.old_total).sum(),
        phases.iter().map(|p| p.new_total).sum(),
    )
}

fn line_json(l: Option<&CostLine>) -> Option<JsonDiffSide> {
    l.map(|l| JsonDiffSide {
        quantity: exact(l.quantity),
        unit: l.unit.clone(),
        unit_price: exact(l.unit_price),
        monthly_cost: exact(l.monthly_cost),
    })
}

/// `diff --format json`: exact amounts as strings; a side that does not exist is `null`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JsonDiff {
    pub old: String,
    pub new: String,
    pub phases: Vec<JsonPhaseDiff>,
    pub old_monthly: String,
    pub new_monthly: String,
    pub delta: String,
    /// The display currency of `display_delta` (absent in USD).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display: Option<crate::report::view::JsonDisplay>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_delta: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JsonPhaseDiff {
    pub name: String,
    /// `added`, `removed`, `changed` or `unchanged`.
    pub change: String,
    pub old_monthly: String,
    pub new_monthly: String,
    pub delta: String,
    pub lines: Vec<JsonLineDiff>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JsonLineDiff {
    pub change: String,
    pub service: String,
    pub resource: String,
    pub component: String,
    pub old: Option<JsonDiffSide>,
    pub new: Option<JsonDiffSide>,
    pub delta: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JsonDiffSide {
    pub quantity: String,
    pub unit: String,
    pub unit_price: String,
    pub monthly_cost: String,
}

/// Two estimates and what changed between them.
#[derive(Debug, Clone)]
pub struct Diff {
    pub old: Estimate,
    pub new: Estimate,
    pub phases: Vec<PhaseDiff>,
}

impl Diff {
    pub fn new(old: Estimate, new: Estimate) -> Diff {
        let phases = diff(&old, &new);
        Diff { old, new, phases }
    }

    pub fn to_json(&self, v: &View) -> JsonDiff {
        let (ot, nt) = totals(&self.phases);
        JsonDiff {
            old: self.old.scenario.clone(),
            new: self.new.scenario.clone(),
            phases: self
                .phases
                .iter()
                .map(|p| JsonPhaseDiff {
                    name: p.name.clone(),
                    change: p.change.as_str().into(),
                    old_monthly: exact(p.old_total),
                    new_monthly: exact(p.new_total),
                    delta: exact(p.delta()),
                    lines: p
                        .lines
                        .iter()
                        .map(|d| {
                            let l = d.any();
                            JsonLineDiff {
                                change: d.change.as_str().into(),
                                service: l.service.clone(),
                                resource: l.resource.clone(),
                                component: l.component.clone(),
                                old: line_json(d.before()),
                                new: line_json(d.after()),
                                delta: exact(d.delta()),
                            }
                        })
                        .collect(),
                })
                .collect(),
            old_monthly: exact(ot),
            new_monthly: exact(nt),
            delta: exact(nt - ot),
            display: v.json_display(),
            display_delta: v.json_amount(nt - ot),
        }
    }

    /// The table or Markdown text: a grid of changed lines per phase, then the summary.
    fn text(&self, md: bool, v: &View) -> String {
        let (old, new, phases) = (&self.old, &self.new, &self.phases);
        let render = |g: &Grid| if md { g.markdown() } else { g.table(v) };
        let mut out = if md {
            format!("# Diff: {} → {}\n", old.scenario, new.scenario)
        } else {
            format!(
                "{} → {} ({} per month)\n",
                old.scenario,
                new.scenario,
                v.code()
            )
        };
        if let Some(n) = v.currency_note() {
            out.push_str(&if md {
                format!("\n{n}.\n")
            } else {
                v.currency_line()
            });
        }
        for p in phases {
            out.push_str(&if md {
                format!("\n## Phase {} ({})\n\n", p.name, p.change.as_str())
            } else {
                format!("\nPhase {} ({})\n", p.name, p.change.as_str())
            });
            if p.lines.is_empty() {
                out.push_str("No line changed.\n");
            } else {
                out.push_str(
                    "Unchanged lines are not listed; the phase total row covers every line.\n",
                );
                if md {
                    out.push('\n');
                }
                out.push_str(&render(&phase_grid(p, v)));
            }
        }
        out.push_str(if md {
            "\n## Summary\n\n"
        } else {
            "\nSummary\n"
        });
        out.push_str(&render(&summary_grid(phases, v)));
        out
    }
}

impl Render for Diff {
    fn table(&self, v: &View) -> String {
        self.text(false, v)
    }
    fn markdown(&self, v: &View) -> String {
        self.text(true, v)
    }
    fn csv(&self, v: &View) -> Result<String> {
        csv(&self.phases, v)
    }
    fn json(&self, v: &View) -> String {
        crate::report::pretty_json(&self.to_json(v))
    }
}

fn csv(phases: &[PhaseDiff], v: &View) -> Result<String> {
    let mut records: Vec<Vec<String>> = vec![[
        "phase",
        "change",
        "service",
        "resource",
        "component",
        "old_quantity",
        "new_quantity",
        "old_unit",
        "new_unit",
        "old_unit_price",
        "new_unit_price",
        "old_monthly_cost",
        "new_monthly_cost",
        "delta",
    ]
    .map(String::from)
    .to_vec()];
    let c = &v.currency;
    if !c.is_usd() {
        let h = crate::report::view::DISPLAY_CSV_HEADER;
        records[0].extend(h[..3].iter().map(|s| s.to_string()));
        records[0].push("display_delta".into());
    }
    let opt = |l: Option<&CostLine>, f: fn(&CostLine) -> String| l.map_or(String::new(), f);
    for p in phases {
        for d in &p.lines {
            let l = d.any();
            let (o, n) = (d.before(), d.after());
            records.push(vec![
                p.name.clone(),
                d.change.as_str().into(),
                l.service.clone(),
                l.resource.clone(),
                l.component.clone(),
                opt(o, |l| exact(l.quantity)),
                opt(n, |l| exact(l.quantity)),
                opt(o, |l| l.unit.clone()),
                opt(n, |l| l.unit.clone()),
                opt(o, |l| exact(l.unit_price)),
                opt(n, |l| exact(l.unit_price)),
                opt(o, |l| exact(l.monthly_cost)),
                opt(n, |l| exact(l.monthly_cost)),
                exact(d.delta()),
            ]);
            if !c.is_usd() {
                if let Some(r) = records.last_mut() {
                    r.extend(crate::report::view::display_cells(c, d.delta()));
                }
            }
        }
    }
    crate::report::csv_records(&records)
}
