//! The table of `run --exact`: per phase, each Lambda statistic from the fast engine and from
//! the exact event-driven simulation, their difference and the tolerance.

use super::{Grid, View};
use crate::money::fmt_float;
use crate::sim::check::{CheckRow, PhaseCheck};

/// Decimals a statistic is written with (shares are small fractions).
fn shown(r: &CheckRow, v: f64) -> String {
    if r.statistic == "throttled share" {
        format!("{:.4} %", v * 100.0)
    } else {
        fmt_float(v, 2)
    }
}

/// The check as a terminal table, a line per phase that was not checked, and a closing line.
pub fn table(checks: &[PhaseCheck], v: &View) -> String {
    let mut grid = Grid {
        header: [
            "Phase",
            "Function",
            "Statistic",
            "Engine",
            "Exact",
            "Difference",
            "Tolerance",
            "",
        ]
        .map(String::from)
        .to_vec(),
        rows: Vec::new(),
        right: vec![false, false, false, true, true, true, true, false],
    };
    let mut out = String::from(
        "Simulator check: the fast engine against an exact event-by-event simulation of the same \
         month (same rate minute by minute, durations, cap and keep-warm)\n",
    );
    for c in checks.iter().filter(|c| c.skipped.is_none()) {
        for r in &c.rows {
            grid.rows.push(vec![
                c.phase.clone(),
                c.function.clone().unwrap_or_default(),
                r.statistic.to_string(),
                shown(r, r.engine),
                shown(r, r.exact),
                shown(r, r.engine - r.exact),
                shown(r, r.tolerance),
                if r.ok() { "ok" } else { "OUTSIDE" }.into(),
            ]);
        }
    }
    if !grid.rows.is_empty() {
        out.push_str(&grid.table(v));
    }
    for c in checks {
        match &c.skipped {
            Some(why) => out.push_str(&format!("{}: not checked ({why})\n", c.phase)),
            None => out.push_str(&format!(
                "{}: {} arrivals simulated one by one\n",
                c.phase,
                fmt_float(c.arrivals as f64, 0)
            )),
        }
    }
    out
}

/// The failed rows, one line each, for the exit-1 message; empty when all agree.
pub fn failures(checks: &[PhaseCheck]) -> Vec<String> {
    checks
        .iter()
        .flat_map(|c| {
            c.failed().into_iter().map(move |r| {
                format!(
                    "simulator check, phase {}: {} is {} by the engine and {} exactly (tolerance {})",
                    c.phase,
                    r.statistic,
                    shown(r, r.engine),
                    shown(r, r.exact),
                    shown(r, r.tolerance)
                )
            })
        })
        .collect()
}
