//! Legend, drawn in its own column right of the plot so it never covers data.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::render::draw_err;
use super::stroke::{pattern, stroke, Target};
use super::style::{colour, ref_colour, Scale, NOTE, TEXT};
use super::text::{draw_text, fit_width, text_width};
use super::{ChartError, LineSeries, ReferenceLine};

#[derive(Debug, Clone, Copy)]
pub(super) enum Swatch {
    Fill(RGBColor),
    /// A series line: its colour and its index (for the dash pattern).
    Line(RGBColor, usize),
    Dashed(RGBColor),
}

pub(super) struct LegendEntry {
    pub(super) label: String,
    pub(super) swatch: Swatch,
}

impl LegendEntry {
    pub(super) fn new(label: &str, swatch: Swatch) -> Self {
        let label = if label.trim().is_empty() {
            "(unnamed)".to_string()
        } else {
            label.to_string()
        };
        LegendEntry { label, swatch }
    }
}

pub(super) fn xy_legend(series: &[LineSeries], refs: &[ReferenceLine]) -> Vec<LegendEntry> {
    let lines = series
        .iter()
        .enumerate()
        .map(|(i, s)| LegendEntry::new(&s.name, Swatch::Line(colour(i), i)));
    let dashed = refs
        .iter()
        .enumerate()
        .map(|(i, r)| LegendEntry::new(&r.label, Swatch::Dashed(ref_colour(i))));
    lines.chain(dashed).collect()
}

pub(super) const SWATCH_W: u32 = 30;

/// Legend column width: fits the longest label, within 14% to 30% of the image width.
pub(super) fn legend_width<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    groups: &[&[LegendEntry]],
    k: Scale,
) -> u32 {
    let (w, _) = root.dim_in_pixel();
    let widest = groups
        .iter()
        .flat_map(|g| g.iter())
        .map(|e| text_width(root, &e.label, k.font(16.0)))
        .max();
    let Some(widest) = widest else {
        return k.px(20);
    };
    (widest + k.px(SWATCH_W + 40)).clamp(w * 14 / 100, w * 30 / 100)
}

pub(super) fn draw_legend<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    area: &DrawingArea<DB, Shift>,
    entries: &[LegendEntry],
    top: i32,
    k: Scale,
) -> Result<(), ChartError> {
    if entries.is_empty() {
        return Ok(());
    }
    let (ax, ay) = area.get_base_pixel();
    let (aw, ah) = area.dim_in_pixel();
    let row = k.px(26) as i32;
    let size = k.font(16.0);
    let x0 = ax + k.px(8) as i32;
    let text_x = x0 + k.px(SWATCH_W + 8) as i32;
    let max_text = (ax + aw as i32 - text_x - k.px(8) as i32).max(10) as u32;
    let bottom = ay + ah as i32;
    let fits = ((bottom - top - row / 2) / row).max(1) as usize;
    let (shown, hidden) = if entries.len() > fits {
        (fits - 1, entries.len() - (fits - 1))
    } else {
        (entries.len(), 0)
    };
    for (j, e) in entries.iter().take(shown).enumerate() {
        let cy = top + row / 2 + j as i32 * row;
        let sw = k.px(SWATCH_W) as i32;
        match e.swatch {
            Swatch::Fill(c) => {
                let hgt = k.px(8) as i32;
                root.draw(&Rectangle::new(
                    [(x0 + 4, cy - hgt), (x0 + sw - 4, cy + hgt)],
                    c.filled(),
                ))
                .map_err(draw_err)?;
            }
            Swatch::Line(c, i) => {
                // A straight swatch has no joins: one path on either backend.
                let dash = pattern(i, |v| k.px(v));
                stroke(
                    root,
                    &[(x0, cy), (x0 + sw, cy)],
                    c,
                    k.px(3),
                    &dash,
                    Target::Svg,
                )?;
            }
            Swatch::Dashed(c) => {
                let dash = sw / 4;
                for d in 0..2 {
                    let sx = x0 + d * 2 * dash + dash / 2;
                    root.draw(&PathElement::new(
                        vec![(sx, cy), (sx + dash + dash / 2, cy)],
                        c.stroke_width(k.px(2)),
                    ))
                    .map_err(draw_err)?;
                }
            }
        }
        let label = fit_width(root, &e.label, size, max_text);
        draw_text(
            root,
            &label,
            (text_x, cy),
            size,
            TEXT,
            HPos::Left,
            VPos::Center,
        )?;
    }
    if hidden > 0 {
        let cy = top + row / 2 + shown as i32 * row;
        let label = format!("+ {hidden} more");
        draw_text(
            root,
            &label,
            (text_x, cy),
            size,
            NOTE,
            HPos::Left,
            VPos::Center,
        )?;
    }
    Ok(())
}
