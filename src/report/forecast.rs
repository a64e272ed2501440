//! A forecast in every format, and its chart (monthly cost stacked by phase).

use serde::Serialize;

use super::capacity::Section;
use super::{Grid, View};
use crate::chart::{BarSeries, ChartSize, StackedBarChart};
use crate::currency::DisplayCurrency;
use crate::error::Result;
use crate::forecast::Forecast;
use crate::money::{exact, fmt_float};

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn traffic(rps: f64, mau: Option<f64>) -> String {
    match mau {
        Some(u) => format!("{} req/s ({} MAU)", fmt_float(rps, 3), fmt_float(u, 0)),
        None => format!("{} req/s", fmt_float(rps, 3)),
    }
}

/// The month-by-month table, the trigger months and each phase's months.
pub fn sections(f: &Forecast, v: &View) -> Vec<Section> {
    let months = f
        .months
        .iter()
        .map(|m| {
            let mut note = Vec::new();
            if m.over_limit {
                note.push("past the last phase's limit".to_string());
            }
            if !m.credits_used.is_zero() {
                note.push(format!("credits {}", v.money(-m.credits_used)));
            }
            vec![
                m.label.clone(),
                traffic(m.avg_rps, m.mau),
                m.phase.clone(),
                v.money(m.monthly_cost),
                v.money(m.cumulative),
                note.join("; "),
            ]
        })
        .collect();
    let label = |n: Option<u32>| {
        n.and_then(|n| f.months.get(n as usize - 1))
            .map_or("-".to_string(), |m| m.label.clone())
    };
    let triggers = f
        .triggers
        .iter()
        .map(|t| {
            vec![
                t.phase.clone(),
                if t.builtin {
                    format!("{} (built-in)", t.rule)
                } else {
                    t.rule.clone()
                },
                t.label.clone().unwrap_or_else(|| "-".into()),
            ]
        })
        .collect();
    let phases = f
        .phases
        .iter()
        .map(|p| {
            vec![
                p.phase.clone(),
                p.holds_up_to_scale
                    .map_or("search cap".into(), |s| format!("{} x", fmt_float(s, 3))),
                label(p.first_month),
                label(p.last_month),
            ]
        })
        .collect();
    vec![
        Section {
            title: format!(
                "Forecast: {} ({}; {} per month, cumulative spend)",
                f.scenario,
                f.growth,
                v.code()
            ),
            grid: Grid {
                header: strings(&["Month", "Traffic", "Phase", "Monthly", "Cumulative", "Note"]),
                right: vec![false, true, false, true, true, false],
                rows: months,
            },
        },
        Section {
            title: "When each rule first fires (at the month's traffic)".into(),
            grid: Grid {
                header: strings(&["Phase", "Rule", "First fires"]),
                right: vec![false, false, false],
                rows: triggers,
            },
        },
        Section {
            title: "Phases over the forecast (holds up to x [traffic])".into(),
            grid: Grid {
                header: strings(&["Phase", "Holds up to", "First month", "Last month"]),
                right: vec![false, true, false, false],
                rows: phases,
            },
        },
    ]
}

fn footer(f: &Forecast, v: &View) -> String {
    let mut out = format!(
        "Total over {} months: {} (seed {})\n",
        f.months.len(),
        v.money(f.total()),
        f.seed
    );
    for n in &f.notes {
        out.push_str(&format!("Note: {n}\n"));
    }
    out
}

pub fn table(f: &Forecast, v: &View) -> String {
    let mut out = format!("{} — {} — {}\n", f.scenario, f.region, v.code());
    for s in sections(f, v) {
        out.push('\n');
        out.push_str(&s.to_table(v));
    }
    out.push('\n');
    out.push_str(&footer(f, v));
    out
}

pub fn markdown(f: &Forecast, v: &View) -> String {
    let mut out = format!(
        "# Forecast: {}\n\nRegion `{}`, prices in {}. Traffic: {}.\n",
        super::markdown::esc(&f.scenario),
        f.region,
        f.currency,
        super::markdown::esc(&f.growth)
    );
    if !v.currency.is_usd() {
        out.push_str(&format!("Amounts below are in {}.\n", v.code()));
    }
    for s in sections(f, v) {
        out.push('\n');
        out.push_str(&s.to_markdown());
    }
    out.push('\n');
    out.push_str(&footer(f, v));
    out
}

pub fn csv(f: &Forecast, v: &View) -> Result<String> {
    let c = &v.currency;
    let mut header = vec![
        "month",
        "label",
        "scale",
        "avg_rps",
        "mau",
        "phase",
        "over_limit",
        "monthly_cost",
        "credits_used",
        "cumulative_cost",
    ];
    if !c.is_usd() {
        header.extend(super::view::DISPLAY_CSV_HEADER);
    }
    let rows = f.months.iter().map(|m| {
        let mut row = vec![
            m.month.to_string(),
            m.label.clone(),
            m.scale.to_string(),
            m.avg_rps.to_string(),
            m.mau.map_or(String::new(), |u| u.to_string()),
            m.phase.clone(),
            m.over_limit.to_string(),
            exact(m.monthly_cost),
            exact(m.credits_used),
            exact(m.cumulative),
        ];
        if !c.is_usd() {
            row.extend(super::view::display_cells(c, m.monthly_cost));
        }
        row
    });
    super::csv_text(&header, rows)
}

#[derive(Debug, Serialize)]
struct JsonForecast<'a> {
    scenario: &'a str,
    region: &'a str,
    currency: &'a str,
    growth: &'a str,
    lead_months: u32,
    seed: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    display: Option<super::view::JsonDisplay>,
    total: String,
    months: Vec<JsonMonth<'a>>,
    triggers: Vec<JsonOnset<'a>>,
    phases: Vec<JsonSpan<'a>>,
    notes: &'a [String],
}

#[derive(Debug, Serialize)]
struct JsonMonth<'a> {
    month: u32,
    label: &'a str,
    scale: f64,
    avg_rps: f64,
    mau: Option<f64>,
    phase: &'a str,
    over_limit: bool,
    monthly_cost: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    display_monthly_cost: Option<String>,
    credits_used: String,
    cumulative_cost: String,
}

#[derive(Debug, Serialize)]
struct JsonOnset<'a> {
    phase: &'a str,
    rule: &'a str,
    builtin: bool,
    first_fires_month: Option<u32>,
    first_fires_label: Option<&'a str>,
}

#[derive(Debug, Serialize)]
struct JsonSpan<'a> {
    phase: &'a str,
    holds_up_to_scale: Option<f64>,
    first_month: Option<u32>,
    last_month: Option<u32>,
}

pub fn json(f: &Forecast, v: &View) -> String {
    let j = JsonForecast {
        scenario: &f.scenario,
        region: &f.region,
        currency: &f.currency,
        growth: &f.growth,
        lead_months: f.lead_months,
        seed: f.seed,
        display: v.json_display(),
        total: exact(f.total()),
        months: f
            .months
            .iter()
            .map(|m| JsonMonth {
                month: m.month,
                label: &m.label,
                scale: m.scale,
                avg_rps: m.avg_rps,
                mau: m.mau,
                phase: &m.phase,
                over_limit: m.over_limit,
                monthly_cost: exact(m.monthly_cost),
                display_monthly_cost: v.json_amount(m.monthly_cost),
                credits_used: exact(m.credits_used),
                cumulative_cost: exact(m.cumulative),
            })
            .collect(),
        triggers: f
            .triggers
            .iter()
            .map(|t| JsonOnset {
                phase: &t.phase,
                rule: &t.rule,
                builtin: t.builtin,
                first_fires_month: t.month,
                first_fires_label: t.label.as_deref(),
            })
            .collect(),
        phases: f
            .phases
            .iter()
            .map(|p| JsonSpan {
                phase: &p.phase,
                holds_up_to_scale: p.holds_up_to_scale,
                first_month: p.first_month,
                last_month: p.last_month,
            })
            .collect(),
        notes: &f.notes,
    };
    super::pretty_json(&j)
}

impl super::Render for Forecast {
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

/// Monthly cost over the forecast, one stack layer per phase (so a phase switch is a change
/// of colour); the switch months are in the title.
pub fn chart(f: &Forecast, currency: &DisplayCurrency, size: ChartSize) -> StackedBarChart {
    let switches: Vec<String> = f
        .phases
        .iter()
        .filter_map(|p| {
            let m = f.months.get(p.first_month? as usize - 1)?;
            Some(format!("{} from {}", p.phase, m.label))
        })
        .collect();
    StackedBarChart {
        title: format!(
            "{}: monthly cost by phase ({})",
            f.scenario,
            switches.join(", ")
        ),
        x_title: "Month".into(),
        y_title: super::charts::money_title("Monthly cost", currency, false),
        categories: f.months.iter().map(|m| m.label.clone()).collect(),
        total_labels: f
            .months
            .iter()
            .map(|m| currency.money(m.monthly_cost))
            .collect(),
        series: f
            .phases
            .iter()
            .filter(|p| p.first_month.is_some())
            .map(|p| BarSeries {
                name: p.phase.clone(),
                values: f
                    .months
                    .iter()
                    .map(|m| {
                        if m.phase == p.phase {
                            super::charts::shown(currency, m.monthly_cost).max(0.0)
                        } else {
                            0.0
                        }
                    })
                    .collect(),
            })
            .collect(),
        size,
    }
}

/// The files `run --out` and `forecast --out` write: `STEM-forecast.EXT` per format and the
/// chart as PNG and SVG.
pub fn files(
    f: &Forecast,
    formats: &[super::Format],
    stem: &str,
    v: &View,
) -> Result<Vec<(String, Vec<u8>)>> {
    let mut files = Vec::new();
    for fmt in formats {
        files.push((
            format!("{stem}-forecast.{}", fmt.extension()),
            fmt.render_view(f, v)?.into_bytes(),
        ));
    }
    let c = chart(f, &v.currency, ChartSize::default()).render()?;
    files.push((format!("{stem}-forecast.png"), c.png));
    files.push((format!("{stem}-forecast.svg"), c.svg.into_bytes()));
    Ok(files)
}
