//! Placing labels in a plot so they avoid each other and, where they can, the lines.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::render::draw_err;
use super::text::draw_text;
use super::ChartError;

/// The candidate inside `bounds`, overlapping no placed label, that covers the least of the
/// weighted lines (the first such on ties); else the first candidate moved inside `bounds`.
pub(super) fn place(
    cands: &[Rect],
    bounds: &Rect,
    taken: &[Rect],
    lines: &[(&[(i32, i32)], u32)],
) -> Rect {
    let cost = |c: &Rect| -> u32 {
        lines
            .iter()
            .filter(|(l, _)| c.crosses(l))
            .map(|(_, w)| w)
            .sum()
    };
    let mut best: Option<(u32, Rect)> = None;
    for c in cands {
        if !bounds.contains(c) || taken.iter().any(|t| t.overlaps(c)) {
            continue;
        }
        let k = cost(c);
        if best.is_none_or(|(b, _)| k < b) {
            best = Some((k, *c));
            if k == 0 {
                break;
            }
        }
    }
    if let Some((_, c)) = best {
        return c;
    }
    let c = cands[0];
    let (w, h) = (c.x1 - c.x0, c.y1 - c.y0);
    let x0 = c.x0.min(bounds.x1 - w).max(bounds.x0);
    let y0 = c.y0.min(bounds.y1 - h).max(bounds.y0);
    Rect::new(x0, y0, x0 + w, y0 + h)
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Rect {
    pub(super) x0: i32,
    pub(super) y0: i32,
    pub(super) x1: i32,
    pub(super) y1: i32,
}

impl Rect {
    pub(super) fn new(x0: i32, y0: i32, x1: i32, y1: i32) -> Self {
        Rect { x0, y0, x1, y1 }
    }
    pub(super) fn contains(&self, o: &Rect) -> bool {
        o.x0 >= self.x0 && o.x1 <= self.x1 && o.y0 >= self.y0 && o.y1 <= self.y1
    }
    pub(super) fn overlaps(&self, o: &Rect) -> bool {
        self.x0 < o.x1 && o.x0 < self.x1 && self.y0 < o.y1 && o.y0 < self.y1
    }
    /// Whether the polyline passes through this box (sampled every 2 pixels).
    pub(super) fn crosses(&self, line: &[(i32, i32)]) -> bool {
        let inside = |x: f64, y: f64| {
            x > self.x0 as f64 - 1.0
                && x < self.x1 as f64 + 1.0
                && y > self.y0 as f64 - 1.0
                && y < self.y1 as f64 + 1.0
        };
        if line.len() == 1 {
            return inside(line[0].0 as f64, line[0].1 as f64);
        }
        line.windows(2).any(|w| {
            let ((ax, ay), (bx, by)) = (w[0], w[1]);
            let (lo_x, hi_x) = (ax.min(bx), ax.max(bx));
            let (lo_y, hi_y) = (ay.min(by), ay.max(by));
            if hi_x < self.x0 - 1 || lo_x > self.x1 + 1 || hi_y < self.y0 - 1 || lo_y > self.y1 + 1
            {
                return false;
            }
            let steps = ((bx - ax).abs().max((by - ay).abs()) / 2).max(1);
            (0..=steps).any(|i| {
                let t = i as f64 / steps as f64;
                inside(
                    ax as f64 + t * (bx - ax) as f64,
                    ay as f64 + t * (by - ay) as f64,
                )
            })
        })
    }
}

/// A label on a translucent white box so it stays readable over lines and grid.
pub(super) fn label_box<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: &Rect,
    text: &str,
    size: f64,
    colour: RGBColor,
) -> Result<(), ChartError> {
    root.draw(&Rectangle::new(
        [(r.x0, r.y0), (r.x1, r.y1)],
        WHITE.mix(0.85).filled(),
    ))
    .map_err(draw_err)?;
    let at = ((r.x0 + r.x1) / 2, (r.y0 + r.y1) / 2);
    draw_text(root, text, at, size, colour, HPos::Center, VPos::Center)
}
