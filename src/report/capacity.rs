//! Capacity sections shared by the table and Markdown renderers: demand at the expected
//! traffic, triggers, and the phase ladder.

use super::Grid;
use super::View;
use crate::money::fmt_float as num;
use crate::plan::{CapacityReport, Plan};

/// A titled [`Grid`], rendered the same way by every text format ([`Section::to_table`],
/// [`Section::to_markdown`]).
#[derive(Debug, Clone)]
pub struct Section {
    pub title: String,
    pub grid: Grid,
}

impl Section {
    /// A terminal table, with its title on the line above.
    pub fn to_table(&self, v: &View) -> String {
        format!("{}\n{}", v.wrap(&self.title, 2), self.grid.table(v))
    }

    /// A Markdown table under a `##` heading.
    pub fn to_markdown(&self) -> String {
        format!(
            "## {}\n\n{}",
            super::markdown::esc(&self.title),
            self.grid.markdown()
        )
    }
}

fn traffic(rps: Option<f64>, mau: Option<f64>) -> String {
    match (rps, mau) {
        (None, _) => "beyond the search (1024x)".into(),
        (Some(r), Some(m)) => format!("{} req/s ({} MAU)", num(r, 2), num(m, 0)),
        (Some(r), None) => format!("{} req/s", num(r, 2)),
    }
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| (*s).to_string()).collect()
}

pub fn sections(plan: &Plan, v: &View) -> Vec<Section> {
    let Some(c) = &plan.capacity else {
        return Vec::new();
    };
    vec![demand(c), triggers(c), ladder(c, v)]
}

fn demand(c: &CapacityReport) -> Section {
    let rows = c
        .phases
        .iter()
        .map(|p| {
            let lambda = p.lambda.as_ref().map_or("-".into(), |l| {
                format!("{} / {} / {}", num(l.mean, 2), num(l.p95, 0), num(l.max, 0))
            });
            let throttled = p
                .lambda
                .as_ref()
                .map_or("-".into(), |l| num(l.throttled_requests, 0));
            let tasks = p.tasks.as_ref().map_or("-".into(), |t| {
                format!("{} / {} / {}", num(t.min, 0), num(t.mean, 2), num(t.max, 0))
            });
            let db = p.db.as_ref().map_or("-".into(), |d| {
                let via = d
                    .via_proxy
                    .as_ref()
                    .map_or(String::new(), |p| format!(" via {p}"));
                format!("{} / {}{via}", num(d.peak, 0), d.usable)
            });
            let headroom =
                p.db.as_ref()
                    .map_or("-".into(), |d| format!("{}%", num(d.headroom_pct, 1)));
            let gb = match (p.nat_gb, p.alb_gb) {
                (None, None) => "-".into(),
                (n, a) => format!(
                    "{} / {}",
                    n.map_or("-".into(), |v| num(v, 1)),
                    a.map_or("-".into(), |v| num(v, 1))
                ),
            };
            vec![
                p.phase.clone(),
                format!("{} / {}", num(p.avg_rps, 2), num(p.peak_rps, 2)),
                lambda,
                throttled,
                tasks,
                db,
                headroom,
                gb,
            ]
        })
        .collect();
    Section {
        title: format!(
            "Capacity at the expected traffic (simulated month, {} s steps, seed {})",
            c.step_seconds, c.seed
        ),
        grid: Grid {
            header: strings(&[
                "Phase",
                "Req/s avg / peak 1-min",
                "Lambda conc. mean / p95 / max",
                "Throttled",
                "Tasks min / mean / max",
                "DB conn. peak / usable",
                "DB headroom",
                "GB/month NAT / ALB",
            ]),
            right: vec![false, true, true, true, true, true, true, true],
            rows,
        },
    }
}

fn triggers(c: &CapacityReport) -> Section {
    let rows = c
        .phases
        .iter()
        .flat_map(|p| {
            p.triggers.iter().map(|t| {
                vec![
                    p.phase.clone(),
                    if t.builtin {
                        format!("{} (limit)", t.rule)
                    } else {
                        t.rule.clone()
                    },
                    if t.fires { "FIRES" } else { "no" }.into(),
                    traffic(t.first_fires_at_rps, t.first_fires_at_mau),
                ]
            })
        })
        .collect();
    Section {
        title: "Triggers (rules of the scenario, and limits costplan always checks)".into(),
        grid: Grid {
            header: strings(&["Phase", "Rule", "At expected traffic", "Starts to fire at"]),
            right: vec![false, false, false, true],
            rows,
        },
    }
}

fn ladder(c: &CapacityReport, v: &View) -> Section {
    let rows = c
        .ladder
        .iter()
        .map(|r| {
            vec![
                if r.alternative {
                    format!("{} (alternative)", r.phase)
                } else {
                    r.phase.clone()
                },
                traffic(r.holds_up_to_rps, r.holds_up_to_mau),
                r.limited_by.clone().unwrap_or_else(|| "-".into()),
                r.monthly_cost_at_limit.map_or("-".into(), |c| v.money(c)),
                match (&r.next_phase, r.next_phase_monthly_cost) {
                    (Some(n), Some(c)) => format!("{n}: {}", v.money(c)),
                    _ => "-".into(),
                },
            ]
        })
        .collect();
    Section {
        title: format!(
            "Phase ladder (how far each phase holds as traffic grows; {} per month there)",
            v.code()
        ),
        grid: Grid {
            header: strings(&[
                "Phase",
                "Holds up to",
                "Limited by",
                "Its cost there",
                "Next phase's cost there",
            ]),
            right: vec![false, true, false, true, true],
            rows,
        },
    }
}

/// Capacity per phase as CSV, numbers unformatted (empty when a phase lacks the resource).
pub const CSV_HEADER: [&str; 19] = [
    "phase",
    "avg_rps",
    "peak_rps",
    "mau",
    "lambda_mean",
    "lambda_p95",
    "lambda_max",
    "throttled_requests",
    "tasks_min",
    "tasks_mean",
    "tasks_max",
    "db",
    "db_max_connections",
    "db_usable",
    "db_peak",
    "db_headroom_pct",
    "holds_up_to_rps",
    "limited_by",
    "firing_triggers",
];

pub fn csv(c: &CapacityReport) -> crate::error::Result<String> {
    fn o(v: Option<f64>) -> String {
        v.map_or(String::new(), |v| v.to_string())
    }
    let rows = c.phases.iter().map(|p| {
        let l = p.lambda.as_ref();
        let t = p.tasks.as_ref();
        let d = p.db.as_ref();
        vec![
            p.phase.clone(),
            p.avg_rps.to_string(),
            p.peak_rps.to_string(),
            o(p.mau),
            o(l.map(|l| l.mean)),
            o(l.map(|l| l.p95)),
            o(l.map(|l| l.max)),
            o(l.map(|l| l.throttled_requests)),
            o(t.map(|t| t.min)),
            o(t.map(|t| t.mean)),
            o(t.map(|t| t.max)),
            d.map_or(String::new(), |d| d.name.clone()),
            o(d.map(|d| f64::from(d.max_connections))),
            o(d.map(|d| f64::from(d.usable))),
            o(d.map(|d| d.peak)),
            o(d.map(|d| d.headroom_pct)),
            o(p.limit.as_ref().map(|l| l.holds_up_to_rps)),
            p.limit
                .as_ref()
                .map_or(String::new(), |l| l.limited_by.clone()),
            p.triggers
                .iter()
                .filter(|t| t.fires)
                .map(|t| t.rule.clone())
                .collect::<Vec<_>>()
                .join("; "),
        ]
    });
    super::csv_text(&CSV_HEADER, rows)
}
