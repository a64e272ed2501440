//! Panel chart: line plots stacked vertically over one shared x axis.

use std::ops::Range;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::axes::{validate_xy, x_extent, y_extent, y_label_width};
use super::legend::{draw_legend, legend_width, xy_legend, LegendEntry};
use super::plot::{draw_panel, PanelSpec};
use super::render::render_files;
use super::stroke::Target;
use super::style::Scale;
use super::text::title_area;
use super::{ChartError, ChartFiles, ChartSize, LineSeries, Marker, ReferenceLine};

/// One panel of a [`PanelChart`]; the x axis is shared with the other panels.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Panel {
    /// Y-axis title with unit.
    pub y_title: String,
    pub series: Vec<LineSeries>,
    pub reference_lines: Vec<ReferenceLine>,
    pub markers: Vec<Marker>,
}

/// Line-chart panels stacked vertically over one shared x axis, under one title.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PanelChart {
    pub title: String,
    /// Title of the shared x axis (shown under the bottom panel), with unit.
    pub x_title: String,
    /// Panels, top to bottom.
    pub panels: Vec<Panel>,
    pub log_x: bool,
    pub size: ChartSize,
}

impl PanelChart {
    /// Render as PNG and SVG.
    pub fn render(&self) -> Result<ChartFiles, ChartError> {
        for p in &self.panels {
            validate_xy(&p.series, &p.reference_lines, &p.markers, self.log_x)?;
        }
        render_files(self)
    }

    pub(super) fn draw_chart<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        target: Target,
    ) -> Result<(), ChartError> {
        let k = Scale::of(self.size);
        let body = title_area(root, &self.title, k)?;
        if self.panels.is_empty() {
            let empty = [Panel::default()];
            return self.draw_panels(root, &body, &empty, k, target);
        }
        self.draw_panels(root, &body, &self.panels, k, target)
    }

    pub(super) fn draw_panels<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        body: &DrawingArea<DB, Shift>,
        panels: &[Panel],
        k: Scale,
        target: Target,
    ) -> Result<(), ChartError> {
        let entries: Vec<Vec<LegendEntry>> = panels
            .iter()
            .map(|p| xy_legend(&p.series, &p.reference_lines))
            .collect();
        let refs: Vec<&[LegendEntry]> = entries.iter().map(|e| e.as_slice()).collect();
        let legend_w = legend_width(root, &refs, k);
        let (w, h) = body.dim_in_pixel();
        let (plots, legends) = body.split_horizontally(w - legend_w);

        // Equal plot heights: the bottom panel also carries the shared x labels and title.
        let x_label_h = k.px(72);
        let n = panels.len() as u32;
        let each = h.saturating_sub(x_label_h) / n;
        let breaks: Vec<u32> = (1..n).map(|i| i * each).collect();
        let plot_areas = plots.split_by_breakpoints::<u32, u32, _, _>([], breaks.clone());
        let legend_areas = legends.split_by_breakpoints::<u32, u32, _, _>([], breaks);

        let x = x_extent(
            panels.iter().map(|p| (&p.series[..], &p.markers[..])),
            self.log_x,
        );
        let ys: Vec<Range<f64>> = panels
            .iter()
            .map(|p| {
                y_extent(
                    &p.series,
                    &p.reference_lines,
                    &p.markers,
                    each - k.px(16),
                    k,
                )
            })
            .collect();
        let y_label_w = ys
            .iter()
            .map(|y| y_label_width(root, y.clone(), k))
            .max()
            .unwrap_or(0);

        for (i, p) in panels.iter().enumerate() {
            let last = i + 1 == panels.len();
            let spec = PanelSpec {
                y_title: &p.y_title,
                x_title: last.then_some(self.x_title.as_str()),
                series: &p.series,
                refs: &p.reference_lines,
                markers: &p.markers,
                y_label_w,
                margin_top: k.px(if i == 0 { 10 } else { 16 }),
                target,
                vlines: &[],
                log_y: false,
            };
            let top = draw_panel(
                root,
                &plot_areas[i],
                x.clone(),
                ys[i].clone(),
                self.log_x,
                &spec,
                k,
            )?;
            draw_legend(root, &legend_areas[i], &entries[i], top, k)?;
        }
        Ok(())
    }
}
