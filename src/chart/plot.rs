//! One line plot in a drawing area: mesh, reference lines, series, markers and their labels.
//! Shared by [`super::LineChart`] (one plot) and [`super::PanelChart`] (stacked plots).

use std::ops::Range;

use plotters::coord::ranged1d::{AsRangedCoord, ValueFormatter};
use plotters::coord::Shift;
use plotters::prelude::*;

use super::labels::{label_box, place, Rect};
use super::render::draw_err;
use super::stroke::{pattern, stroke, Target};
use super::style::NOTE;
use super::style::{colour, ref_colour, Scale, GRID_BOLD, GRID_LIGHT, TEXT};
use super::text::{draw_note, family, fit_text, fmt_num, text_width, FAMILY};
use super::{ChartError, LineSeries, Marker, ReferenceLine, VerticalLine};

pub(super) struct PanelSpec<'a> {
    pub(super) y_title: &'a str,
    /// Shared x-axis title; `None` hides the x tick labels too (upper panels).
    pub(super) x_title: Option<&'a str>,
    pub(super) series: &'a [LineSeries],
    pub(super) refs: &'a [ReferenceLine],
    pub(super) markers: &'a [Marker],
    pub(super) y_label_w: u32,
    pub(super) margin_top: u32,
    pub(super) target: Target,
    pub(super) vlines: &'a [VerticalLine],
    pub(super) log_y: bool,
}

/// Draw one line panel in `area`; returns the top pixel row of its plot (for the legend).
pub(super) fn draw_panel<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    area: &DrawingArea<DB, Shift>,
    x: Range<f64>,
    y: Range<f64>,
    log_x: bool,
    spec: &PanelSpec,
    k: Scale,
) -> Result<i32, ChartError> {
    match (log_x, spec.log_y) {
        (true, true) => draw_panel_on(
            root,
            area,
            x.clone().log_scale(),
            y.clone().log_scale(),
            (x, y.clone()),
            spec,
            k,
        ),
        (true, false) => draw_panel_on(
            root,
            area,
            x.clone().log_scale(),
            y.clone(),
            (x, y.clone()),
            spec,
            k,
        ),
        (false, true) => draw_panel_on(
            root,
            area,
            x.clone(),
            y.clone().log_scale(),
            (x, y.clone()),
            spec,
            k,
        ),
        (false, false) => draw_panel_on(root, area, x.clone(), y.clone(), (x, y.clone()), spec, k),
    }
}

pub(super) fn draw_panel_on<DB, XS, YS>(
    root: &DrawingArea<DB, Shift>,
    area: &DrawingArea<DB, Shift>,
    x_spec: XS,
    y_spec: YS,
    (x, y): (Range<f64>, Range<f64>),
    spec: &PanelSpec,
    k: Scale,
) -> Result<i32, ChartError>
where
    DB: DrawingBackend,
    XS: AsRangedCoord<Value = f64>,
    XS::CoordDescType: ValueFormatter<f64>,
    YS: AsRangedCoord<Value = f64>,
    YS::CoordDescType: ValueFormatter<f64>,
{
    let x_label_h = match spec.x_title {
        Some(t) if !t.is_empty() => k.px(72),
        Some(_) => k.px(40),
        None => 0,
    };
    let mut chart = ChartBuilder::on(area)
        .margin_top(spec.margin_top)
        .margin_left(k.px(10))
        .margin_right(k.px(40))
        .x_label_area_size(x_label_h)
        .y_label_area_size(spec.y_label_w)
        .build_cartesian_2d(x_spec, y_spec)
        .map_err(draw_err)?;
    let (px, py) = chart.plotting_area().get_pixel_range();
    let (y_title, y_title_size) = fit_text(root, spec.y_title, k.font(20.0), 12.0, py.len() as u32);
    let fmt = |v: &f64| fmt_num(*v);
    // Both axis titles share one style: the Japanese face if either needs it.
    let axis_family = family(&format!("{}{}", spec.x_title.unwrap_or(""), spec.y_title));
    let mut mesh = chart.configure_mesh();
    mesh.x_labels(10)
        .y_labels(if py.len() < 300 { 5 } else { 8 })
        .x_label_formatter(&fmt)
        .y_label_formatter(&fmt)
        .y_desc(y_title)
        .label_style((FAMILY, k.font(16.0)).into_font().color(&TEXT))
        .axis_desc_style((axis_family, y_title_size).into_font().color(&TEXT))
        .light_line_style(GRID_LIGHT)
        .max_light_lines(1)
        .bold_line_style(GRID_BOLD)
        .axis_style(TEXT);
    if let Some(t) = spec.x_title {
        mesh.x_desc(t);
    }
    mesh.draw().map_err(draw_err)?;

    let has_points = spec.series.iter().any(|s| !s.points.is_empty());
    for (i, r) in spec.refs.iter().enumerate() {
        let style = ref_colour(i).stroke_width(k.px(2));
        chart
            .draw_series(DashedLineSeries::new(
                [(x.start, r.y), (x.end, r.y)],
                k.px(10),
                k.px(6),
                style,
            ))
            .map_err(draw_err)?;
    }
    let vline_px: Vec<i32> = spec
        .vlines
        .iter()
        .map(|v| chart.backend_coord(&(v.x, y.start)).0)
        .collect();
    for vx in &vline_px {
        stroke(
            root,
            &[(*vx, py.start), (*vx, py.end)],
            NOTE,
            k.px(2),
            &[k.px(3), k.px(4)],
            Target::Svg,
        )?;
    }
    for (i, s) in spec.series.iter().enumerate() {
        let mut pts = s.points.clone();
        pts.sort_by(|a, b| a.0.total_cmp(&b.0));
        let c = colour(i);
        let pixels: Vec<(i32, i32)> = pts.iter().map(|p| chart.backend_coord(p)).collect();
        let dash = pattern(i, |v| k.px(v));
        stroke(root, &pixels, c, k.px(3), &dash, spec.target)?;
        // Sparse series (sweeps, single points) show their samples.
        if pts.len() <= 40 {
            chart
                .draw_series(pts.iter().map(|p| Circle::new(*p, k.px(4), c.filled())))
                .map_err(draw_err)?;
        }
    }

    // Labels: reference lines at one end, markers next to their point; each label avoids other
    // labels, marker rings and (where it can) the plotted lines.
    let size = k.font(15.0);
    let text_h = (size * 1.05) as i32;
    let pad = k.px(4) as i32;
    let h = text_h + 2 * pad;
    let bounds = Rect::new(px.start, py.start, px.end, py.end);
    let mut lines: Vec<Vec<(i32, i32)>> = spec
        .series
        .iter()
        .map(|s| {
            let mut pts = s.points.clone();
            pts.sort_by(|a, b| a.0.total_cmp(&b.0));
            pts.iter().map(|p| chart.backend_coord(p)).collect()
        })
        .collect();
    let n_series = lines.len();
    for r in spec.refs {
        let (_, ry) = chart.backend_coord(&(x.start, r.y));
        lines.push(vec![(px.start, ry), (px.end, ry)]);
    }
    let outer = k.px(8);
    let ring = |m: &Marker| {
        let (mx, my) = chart.backend_coord(&(m.x, m.y));
        let o = outer as i32 + 2;
        Rect::new(mx - o, my - o, mx + o, my + o)
    };
    for vx in &vline_px {
        lines.push(vec![(*vx, py.start), (*vx, py.end)]);
    }
    let mut taken: Vec<Rect> = spec.markers.iter().map(ring).collect();
    // Vertical lines: labelled at the top, beside the line (right, else left).
    for (v, vx) in spec.vlines.iter().zip(&vline_px) {
        if v.label.is_empty() {
            continue;
        }
        let w = text_width(root, &v.label, size) as i32 + 2 * pad;
        let top = py.start + pad;
        let candidates = [
            Rect::new(vx + 4, top, vx + 4 + w, top + h),
            Rect::new(vx - 4 - w, top, vx - 4, top + h),
            Rect::new(vx + 4, top + h + 2, vx + 4 + w, top + 2 * h + 2),
            Rect::new(vx - 4 - w, top + h + 2, vx - 4, top + 2 * h + 2),
        ];
        let all: Vec<(&[(i32, i32)], u32)> =
            (0..n_series).map(|j| (lines[j].as_slice(), 10)).collect();
        let rect = place(&candidates, &bounds, &taken, &all);
        label_box(root, &rect, &v.label, size, NOTE)?;
        taken.push(rect);
    }
    for (i, r) in spec.refs.iter().enumerate() {
        let ry = lines[n_series + i][0].1;
        let w = text_width(root, &r.label, size) as i32 + 2 * pad;
        let (right, left) = (px.end - pad, px.start + pad);
        let candidates = [
            Rect::new(right - w, ry - h - 3, right, ry - 3),
            Rect::new(right - w, ry + 3, right, ry + h + 3),
            Rect::new(left, ry - h - 3, left + w, ry - 3),
            Rect::new(left, ry + 3, left + w, ry + h + 3),
        ];
        let others: Vec<(&[(i32, i32)], u32)> = (0..lines.len())
            .filter(|j| *j != n_series + i)
            .map(|j| (lines[j].as_slice(), if j < n_series { 10 } else { 1 }))
            .collect();
        let rect = place(&candidates, &bounds, &taken, &others);
        label_box(root, &rect, &r.label, size, ref_colour(i))?;
        taken.push(rect);
    }
    for m in spec.markers {
        let (mx, my) = chart.backend_coord(&(m.x, m.y));
        root.draw(&Circle::new((mx, my), outer, TEXT.filled()))
            .map_err(draw_err)?;
        root.draw(&Circle::new((mx, my), outer / 2, WHITE.filled()))
            .map_err(draw_err)?;
        if m.label.is_empty() {
            continue;
        }
        let w = text_width(root, &m.label, size) as i32 + 2 * pad;
        let gap = outer as i32 + pad;
        let mut candidates = Vec::new();
        for step in 0..8 {
            let lift = step * (h / 2 + 2);
            if step == 0 {
                // Beside the point, on its line: acceptable when only a reference line is there.
                candidates.extend([
                    Rect::new(mx + gap, my - h / 2, mx + gap + w, my + h - h / 2),
                    Rect::new(mx - gap - w, my - h / 2, mx - gap, my + h - h / 2),
                ]);
            }
            candidates.extend([
                Rect::new(mx + gap, my - gap - h - lift, mx + gap + w, my - gap - lift),
                Rect::new(mx - gap - w, my - gap - h - lift, mx - gap, my - gap - lift),
                Rect::new(mx + gap, my + gap + lift, mx + gap + w, my + gap + h + lift),
                Rect::new(mx - gap - w, my + gap + lift, mx - gap, my + gap + h + lift),
            ]);
        }
        let all: Vec<(&[(i32, i32)], u32)> = (0..lines.len())
            .map(|j| (lines[j].as_slice(), if j < n_series { 10 } else { 1 }))
            .collect();
        let rect = place(&candidates, &bounds, &taken, &all);
        label_box(root, &rect, &m.label, size, TEXT)?;
        taken.push(rect);
    }
    if !has_points {
        draw_note(root, &px, &py, "No data to chart", k)?;
    }
    Ok(py.start)
}
