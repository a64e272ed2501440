//! Line chart: lines over a numeric x axis, reference lines and markers.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::axes::{log_y_extent, validate_log_y, validate_xy, x_extent, y_extent, y_label_width};
use super::legend::{draw_legend, legend_width, xy_legend};
use super::plot::{draw_panel, PanelSpec};
use super::render::render_files;
use super::stroke::Target;
use super::style::Scale;
use super::text::title_area;
use super::{ChartError, ChartFiles, ChartSize};

/// One line of a [`LineChart`] or [`Panel`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LineSeries {
    pub name: String,
    /// (x, y) points; drawn in ascending x order.
    pub points: Vec<(f64, f64)>,
}

/// A dashed horizontal line across the whole plot, labelled at its right end.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ReferenceLine {
    pub label: String,
    pub y: f64,
}

/// A dotted vertical line across the whole plot at `x` (the expected traffic), labelled at its
/// top.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct VerticalLine {
    pub label: String,
    pub x: f64,
}

/// A marked point with a text label (trigger point, break-even point).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Marker {
    pub label: String,
    pub x: f64,
    pub y: f64,
}

/// Lines over a numeric x axis, with optional reference lines and markers.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LineChart {
    pub title: String,
    /// X-axis title with unit, e.g. "Traffic (req/s)".
    pub x_title: String,
    /// Y-axis title with unit, e.g. "DB connections".
    pub y_title: String,
    pub series: Vec<LineSeries>,
    pub reference_lines: Vec<ReferenceLine>,
    pub markers: Vec<Marker>,
    pub vertical_lines: Vec<VerticalLine>,
    /// Logarithmic x axis; every x must then be > 0.
    pub log_x: bool,
    /// Logarithmic y axis; every y (points, reference lines, markers) must then be > 0.
    pub log_y: bool,
    pub size: ChartSize,
}

impl LineChart {
    /// Render as PNG and SVG.
    pub fn render(&self) -> Result<ChartFiles, ChartError> {
        validate_xy(
            &self.series,
            &self.reference_lines,
            &self.markers,
            self.log_x,
        )?;
        if self.log_y {
            validate_log_y(&self.series, &self.reference_lines, &self.markers)?;
        }
        for v in &self.vertical_lines {
            if !v.x.is_finite() || (self.log_x && v.x <= 0.0) {
                return Err(ChartError::NonFinite {
                    what: format!("vertical line `{}`", v.label),
                });
            }
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
        let entries = xy_legend(&self.series, &self.reference_lines);
        let legend_w = legend_width(root, &[&entries], k);
        let (plot_area, legend_area) = body.split_horizontally(body.dim_in_pixel().0 - legend_w);
        let x = x_extent(
            [(&self.series[..], &self.markers[..])].into_iter(),
            self.log_x,
        );
        let plot_h = plot_area.dim_in_pixel().1.saturating_sub(k.px(10 + 72));
        let y = y_extent(
            &self.series,
            &self.reference_lines,
            &self.markers,
            plot_h,
            k,
        );
        let y = if self.log_y {
            log_y_extent(&self.series, &self.reference_lines, &self.markers)
        } else {
            y
        };
        let panel = PanelSpec {
            y_title: &self.y_title,
            x_title: Some(&self.x_title),
            series: &self.series,
            refs: &self.reference_lines,
            markers: &self.markers,
            y_label_w: y_label_width(root, y.clone(), k),
            margin_top: k.px(10),
            target,
            vlines: &self.vertical_lines,
            log_y: self.log_y,
        };
        let plot_top = draw_panel(root, &plot_area, x, y, self.log_x, &panel, k)?;
        draw_legend(root, &legend_area, &entries, plot_top, k)
    }
}
