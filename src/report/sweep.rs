//! Renderers for a [`Sweep`]: the grid (cost and headroom of every phase at every point), the
//! break-even points, and the first point at which each phase hits a limit.

use serde::Serialize;

use super::capacity::Section;
use super::{Grid, View};
use crate::error::Result;
use crate::money::{exact, fmt_float as num};
use crate::sweep::Sweep;

fn headroom(h: Option<f64>) -> String {
    h.map_or("-".into(), |h| format!("{}%", num(h, 1)))
}

/// The grid: x, then cost and headroom per phase.
pub fn grid_section(s: &Sweep, v: &View) -> Section {
    let unit = s.axis.unit();
    let mut header = vec![unit.to_string()];
    let mut right = vec![true];
    for p in &s.phases {
        header.push(format!("{} {}/month", p.name, v.code()));
        right.push(true);
        if s.axis == crate::sweep::Axis::Rps {
            header.push(format!("{} headroom", p.name));
            right.push(true);
        }
    }
    let rows = s
        .rows
        .iter()
        .map(|r| {
            let mut row = vec![num(r.x, s.axis.dp() as u32)];
            for p in &r.phases {
                row.push(v.money(p.monthly));
                if s.axis == crate::sweep::Axis::Rps {
                    let mark = if p.fires.is_some() { " *" } else { "" };
                    row.push(format!("{}{mark}", headroom(p.headroom_pct)));
                }
            }
            row
        })
        .collect();
    Section {
        title: format!(
            "Monthly cost ({}) and capacity headroom by {unit}{}",
            v.code(),
            if s.axis == crate::sweep::Axis::Rps {
                " (* = a trigger or limit fires there)"
            } else {
                ""
            }
        ),
        grid: Grid {
            header,
            right,
            rows,
        },
    }
}

/// Break-even points: where one phase stops being the cheaper of a pair.
pub fn break_even_section(s: &Sweep, v: &View) -> Section {
    let unit = s.axis.unit();
    let rows = if s.break_evens.is_empty() {
        let (from, to) = (
            s.rows.first().map_or(0.0, |r| r.x),
            s.rows.last().map_or(0.0, |r| r.x),
        );
        vec![vec![
            "-".into(),
            format!(
                "no crossing between {} and {} {unit}",
                num(from, 2),
                num(to, 2)
            ),
            "-".into(),
            "-".into(),
            "-".into(),
        ]]
    } else {
        s.break_evens
            .iter()
            .map(|b| {
                vec![
                    format!("{} / {}", b.cheaper_below, b.cheaper_above),
                    num(b.x, s.axis.dp() as u32),
                    v.money(b.monthly),
                    b.cheaper_below.clone(),
                    b.cheaper_above.clone(),
                ]
            })
            .collect()
    };
    Section {
        title: format!(
            "Break-even points ({unit}; found by bisection, not the nearest grid point)"
        ),
        grid: Grid {
            header: vec![
                "Pair".into(),
                format!("Break-even ({unit})"),
                "Monthly cost there".into(),
                "Cheaper below".into(),
                "Cheaper above".into(),
            ],
            right: vec![false, true, true, false, false],
            rows,
        },
    }
}

/// For each phase, the first grid point at which a trigger or limit fires.
pub fn limits_section(s: &Sweep) -> Option<Section> {
    if s.axis != crate::sweep::Axis::Rps {
        return None;
    }
    let rows = s
        .phases
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let first = s
                .rows
                .iter()
                .find_map(|r| r.phases[i].fires.as_ref().map(|f| (r.x, f)));
            match first {
                Some((x, f)) => vec![p.name.clone(), num(x, 2), f.clone()],
                None => vec![
                    p.name.clone(),
                    "-".into(),
                    "nothing fires in the range".into(),
                ],
            }
        })
        .collect();
    Some(Section {
        title: "First grid point where a trigger or limit fires".into(),
        grid: Grid {
            header: vec!["Phase".into(), "From (req/s)".into(), "Rule".into()],
            right: vec![false, true, false],
            rows,
        },
    })
}

fn sections(s: &Sweep, v: &View) -> Vec<Section> {
    let mut out = vec![grid_section(s, v), break_even_section(s, v)];
    out.extend(limits_section(s));
    out
}

fn heading(s: &Sweep) -> String {
    format!(
        "Sweep of {} by {}{}",
        s.scenario,
        s.axis.unit(),
        s.seed
            .map_or(String::new(), |seed| format!(" (simulation seed {seed})"))
    )
}

pub fn table(s: &Sweep, v: &View) -> String {
    let mut out = format!("{}\n{}", v.wrap(&heading(s), 2), v.currency_line());
    for sec in sections(s, v) {
        out.push('\n');
        out.push_str(&sec.to_table(v));
    }
    out
}

pub fn markdown(s: &Sweep, v: &View) -> String {
    let mut out = format!("# {}\n", heading(s));
    if let Some(n) = v.currency_note() {
        out.push_str(&format!("\n{n}.\n"));
    }
    for sec in sections(s, v) {
        out.push('\n');
        out.push_str(&sec.to_markdown());
    }
    out
}

/// CSV: one row per (point, phase), numbers at full precision.
pub const CSV_HEADER: [&str; 6] = [
    "x",
    "phase",
    "monthly_cost",
    "headroom_pct",
    "db_peak_connections",
    "fires",
];

pub fn csv(s: &Sweep, view: &View) -> Result<String> {
    let c = &view.currency;
    let mut header = CSV_HEADER.to_vec();
    if !c.is_usd() {
        header.extend(super::view::DISPLAY_CSV_HEADER);
    }
    let rows = s.rows.iter().flat_map(|r| {
        s.phases.iter().zip(&r.phases).map(move |(p, v)| {
            let mut row = vec![
                r.x.to_string(),
                p.name.clone(),
                exact(v.monthly),
                v.headroom_pct.map_or(String::new(), |h| h.to_string()),
                v.db_peak.map_or(String::new(), |h| h.to_string()),
                v.fires.clone().unwrap_or_default(),
            ];
            if !c.is_usd() {
                row.extend(super::view::display_cells(c, v.monthly));
            }
            row
        })
    });
    super::csv_text(&header, rows)
}

/// Break-even points as CSV.
pub const BREAK_EVEN_HEADER: [&str; 4] = ["cheaper_below", "cheaper_above", "x", "monthly_cost"];

pub fn break_even_csv(s: &Sweep, v: &View) -> Result<String> {
    let c = &v.currency;
    let mut header = BREAK_EVEN_HEADER.to_vec();
    if !c.is_usd() {
        header.extend(super::view::DISPLAY_CSV_HEADER);
    }
    let rows = s.break_evens.iter().map(|b| {
        let mut row = vec![
            b.cheaper_below.clone(),
            b.cheaper_above.clone(),
            b.x.to_string(),
            exact(b.monthly),
        ];
        if !c.is_usd() {
            row.extend(super::view::display_cells(c, b.monthly));
        }
        row
    });
    super::csv_text(&header, rows)
}

/// JSON contract of `sweep --format json`.
#[derive(Debug, Serialize, serde::Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct JsonSweep {
    pub scenario: String,
    /// `rps` or `gb`.
    pub axis: String,
    pub unit: String,
    pub seed: Option<u64>,
    /// The display currency the `display_*` amounts are in (absent in USD).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display: Option<super::view::JsonDisplay>,
    pub phases: Vec<String>,
    pub points: Vec<JsonPoint>,
    pub break_evens: Vec<JsonBreakEven>,
}

#[derive(Debug, Serialize, serde::Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct JsonPoint {
    pub x: f64,
    pub phase: String,
    /// Exact decimal string.
    pub monthly_cost: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_monthly_cost: Option<String>,
    pub headroom_pct: Option<f64>,
    pub db_peak_connections: Option<f64>,
    pub fires: Option<String>,
}

#[derive(Debug, Serialize, serde::Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct JsonBreakEven {
    pub cheaper_below: String,
    pub cheaper_above: String,
    pub x: f64,
    pub monthly_cost: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_monthly_cost: Option<String>,
}

pub fn to_json(s: &Sweep, view: &View) -> JsonSweep {
    JsonSweep {
        scenario: s.scenario.clone(),
        axis: match s.axis {
            crate::sweep::Axis::Rps => "rps".into(),
            crate::sweep::Axis::Gb => "gb".into(),
        },
        unit: s.axis.unit().into(),
        seed: s.seed,
        display: view.json_display(),
        phases: s.phases.iter().map(|p| p.name.clone()).collect(),
        points: s
            .rows
            .iter()
            .flat_map(|r| {
                s.phases.iter().zip(&r.phases).map(|(p, v)| JsonPoint {
                    x: r.x,
                    phase: p.name.clone(),
                    monthly_cost: exact(v.monthly),
                    display_monthly_cost: view.json_amount(v.monthly),
                    headroom_pct: v.headroom_pct,
                    db_peak_connections: v.db_peak,
                    fires: v.fires.clone(),
                })
            })
            .collect(),
        break_evens: s
            .break_evens
            .iter()
            .map(|b| JsonBreakEven {
                cheaper_below: b.cheaper_below.clone(),
                cheaper_above: b.cheaper_above.clone(),
                x: b.x,
                monthly_cost: exact(b.monthly),
                display_monthly_cost: view.json_amount(b.monthly),
            })
            .collect(),
    }
}

pub fn json(s: &Sweep, v: &View) -> String {
    // Serialising plain structs of strings and numbers cannot fail.
    serde_json::to_string_pretty(&to_json(s, v)).unwrap_or_default() + "\n"
}

/// Render `s` in `f`.
impl super::Render for Sweep {
    fn table(&self, v: &View) -> String {
        table(self, v)
    }
    fn markdown(&self, v: &View) -> String {
        markdown(self, v)
    }
    fn csv(&self, v: &View) -> Result<String> {
        csv(self, v)
    }
    fn json(&self, v: &View) -> String {
        json(self, v)
    }
}
