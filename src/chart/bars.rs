//! Stacked bar chart: a bar per category, stacked by series.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::legend::{draw_legend, legend_width, LegendEntry, Swatch};
use super::render::{draw_err, render_files};
use super::stroke::Target;
use super::style::{colour, Scale, GRID_BOLD, GRID_LIGHT, TEXT};
use super::text::{
    draw_note, draw_text, family, fit_lines, fit_size, fit_text, fmt_num, title_area, FAMILY,
};
use super::{axes::y_label_width, ChartError, ChartFiles, ChartSize};

/// One stack layer of a [`StackedBarChart`]: a value per category.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BarSeries {
    pub name: String,
    /// One value per category, in category order; values must be finite and >= 0.
    pub values: Vec<f64>,
}

/// Bars per category, each stacked from its series (first series at the bottom).
///
/// The legend lists series top to bottom in the order they appear in the stack (last series first).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StackedBarChart {
    pub title: String,
    /// X-axis title; empty for none (the category names often say enough).
    pub x_title: String,
    /// Y-axis title with unit, e.g. "Monthly cost (USD)".
    pub y_title: String,
    pub categories: Vec<String>,
    pub series: Vec<BarSeries>,
    /// The label over each bar, in category order (the caller's exact, currency-rounded
    /// total); empty to label bars with their stacked sum.
    pub total_labels: Vec<String>,
    pub size: ChartSize,
}

impl StackedBarChart {
    /// Render as PNG and SVG.
    pub fn render(&self) -> Result<ChartFiles, ChartError> {
        self.validate()?;
        render_files(self)
    }

    pub(super) fn validate(&self) -> Result<(), ChartError> {
        for s in &self.series {
            if s.values.len() != self.categories.len() {
                return Err(ChartError::SeriesLength {
                    series: s.name.clone(),
                    got: s.values.len(),
                    expected: self.categories.len(),
                });
            }
            for (v, category) in s.values.iter().zip(&self.categories) {
                if !v.is_finite() {
                    return Err(ChartError::NonFinite {
                        what: format!("series `{}`", s.name),
                    });
                }
                if *v < 0.0 {
                    return Err(ChartError::NegativeBar {
                        series: s.name.clone(),
                        category: category.clone(),
                        value: *v,
                    });
                }
            }
        }
        if !self.total_labels.is_empty() && self.total_labels.len() != self.categories.len() {
            return Err(ChartError::SeriesLength {
                series: "total labels".into(),
                got: self.total_labels.len(),
                expected: self.categories.len(),
            });
        }
        Ok(())
    }

    pub(super) fn draw_chart<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        _target: Target,
    ) -> Result<(), ChartError> {
        let k = Scale::of(self.size);
        let body = title_area(root, &self.title, k)?;
        let n = self.categories.len();
        let totals: Vec<f64> = (0..n)
            .map(|i| self.series.iter().map(|s| s.values[i]).sum())
            .collect();
        let max_total = totals.iter().copied().fold(0.0, f64::max);
        let note = if n == 0 || self.series.is_empty() {
            Some("No data to chart")
        } else if max_total == 0.0 {
            Some("All values are zero")
        } else {
            None
        };
        let y_max = if max_total > 0.0 {
            max_total * 1.1
        } else {
            1.0
        };

        let entries: Vec<LegendEntry> = self
            .series
            .iter()
            .enumerate()
            .rev()
            .map(|(i, s)| LegendEntry::new(&s.name, Swatch::Fill(colour(i))))
            .collect();
        let legend_w = legend_width(root, &[&entries], k);
        let (plot_area, legend_area) = body.split_horizontally(body.dim_in_pixel().0 - legend_w);

        let x_range = -0.5..(n.max(1) as f64 - 0.5);
        let y_label_w = y_label_width(root, 0.0..y_max, k);
        let x_label_h = k.px(if self.x_title.is_empty() { 56 } else { 84 });
        let mut chart = ChartBuilder::on(&plot_area)
            .margin_top(k.px(10))
            .margin_left(k.px(10))
            .margin_right(k.px(30))
            .x_label_area_size(x_label_h)
            .y_label_area_size(y_label_w)
            .build_cartesian_2d(x_range, 0.0..y_max)
            .map_err(draw_err)?;
        let plot_h = chart.plotting_area().get_pixel_range().1.len() as u32;
        let (y_title, y_title_size) = fit_text(root, &self.y_title, k.font(20.0), 12.0, plot_h);
        // Both axis titles share one style: the Japanese face if either needs it.
        let axis_family = family(&format!("{}{}", self.x_title, self.y_title));
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(0)
            .y_labels(8)
            .y_label_formatter(&|v| fmt_num(*v))
            .x_desc(self.x_title.as_str())
            .y_desc(y_title)
            .label_style((FAMILY, k.font(16.0)).into_font().color(&TEXT))
            .axis_desc_style((axis_family, y_title_size).into_font().color(&TEXT))
            .light_line_style(GRID_LIGHT)
            .max_light_lines(1)
            .bold_line_style(GRID_BOLD)
            .axis_style(TEXT)
            .draw()
            .map_err(draw_err)?;

        // Bars fill 70 % of their slot, but no more than 160 px (one category would be a wall).
        let slot_px = chart.plotting_area().get_pixel_range().0.len() as f64 / n.max(1) as f64;
        let half = (k.px(80) as f64 / slot_px.max(1.0)).min(0.35);
        for (i, s) in self.series.iter().enumerate() {
            let fill = colour(i);
            let bars = s
                .values
                .iter()
                .enumerate()
                .filter(|(_, v)| **v > 0.0)
                .map(|(c, v)| {
                    let base: f64 = self.series[..i].iter().map(|t| t.values[c]).sum();
                    let x = c as f64;
                    Rectangle::new([(x - half, base), (x + half, base + v)], fill.filled())
                });
            chart.draw_series(bars).map_err(draw_err)?;
        }
        // Thin white separators between stacked segments.
        for (i, _) in self.series.iter().enumerate() {
            let edges = (0..n).filter(|c| self.series[i].values[*c] > 0.0).map(|c| {
                let base: f64 = self.series[..i].iter().map(|t| t.values[c]).sum();
                let x = c as f64;
                Rectangle::new(
                    [
                        (x - half, base),
                        (x + half, base + self.series[i].values[c]),
                    ],
                    WHITE.stroke_width(1),
                )
            });
            chart.draw_series(edges).map_err(draw_err)?;
        }

        // Category names under the axis and totals above the bars, placed by hand so long names
        // can shrink, wrap or be shortened to fit their slot.
        let (px_range, py_range) = chart.plotting_area().get_pixel_range();
        let slot = (px_range.len() as u32 / n.max(1) as u32).saturating_sub(k.px(8));
        for (c, name) in self.categories.iter().enumerate() {
            let (cx, _) = chart.backend_coord(&(c as f64, 0.0));
            let (lines, size) = fit_lines(root, name, k.font(16.0), slot);
            let line_h = (size * 1.15) as i32;
            for (j, line) in lines.iter().enumerate() {
                let y = py_range.end + k.px(8) as i32 + j as i32 * line_h;
                draw_text(root, line, (cx, y), size, TEXT, HPos::Center, VPos::Top)?;
            }
            if totals[c] > 0.0 {
                let (_, ty) = chart.backend_coord(&(c as f64, totals[c]));
                let label = self
                    .total_labels
                    .get(c)
                    .cloned()
                    .unwrap_or_else(|| fmt_num(totals[c]));
                let size = fit_size(root, &label, k.font(15.0), 11.0, slot);
                draw_text(
                    root,
                    &label,
                    (cx, ty - 4),
                    size,
                    TEXT,
                    HPos::Center,
                    VPos::Bottom,
                )?;
            }
        }
        if let Some(note) = note {
            draw_note(root, &px_range, &py_range, note, k)?;
        }
        draw_legend(root, &legend_area, &entries, py_range.start, k)
    }
}
