//! Chart rendering for reports: stacked bars, line charts and vertically stacked panels.
//!
//! The module knows nothing about the rest of the crate: callers pass plain data and get PNG and
//! SVG bytes back in memory ([`ChartFiles`]), so they can write both files atomically.
//!
//! - Text is drawn with DejaVu Sans embedded in the binary (the `dejavu` crate), registered once
//!   with plotters under the `"sans-serif"` family; no system fonts or fontconfig are needed.
//! - Output is deterministic: the same input gives byte-identical PNG and SVG (no timestamps,
//!   no hash-map iteration, colours from a fixed palette in series order).
//! - Empty input (no categories, no series, no points) and all-zero values draw an empty chart
//!   with a note instead of failing; malformed input (lengths that do not match, NaN or infinite
//!   values, x <= 0 on a log axis, negative stacked bars) is a [`ChartError`].

use std::ops::Range;
use std::sync::OnceLock;

use plotters::coord::ranged1d::{AsRangedCoord, ValueFormatter};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{register_font, FontStyle};

/// Default image width in pixels.
pub const DEFAULT_WIDTH: u32 = 1200;
/// Default image height in pixels.
pub const DEFAULT_HEIGHT: u32 = 800;

/// The only font family used; plotters' own defaults also ask for it.
const FAMILY: &str = "sans-serif";

/// Series colours, in order (Tableau 10). Series beyond ten reuse them from the start.
const PALETTE: [RGBColor; 10] = [
    RGBColor(0x4E, 0x79, 0xA7),
    RGBColor(0xF2, 0x8E, 0x2B),
    RGBColor(0xE1, 0x57, 0x59),
    RGBColor(0x76, 0xB7, 0xB2),
    RGBColor(0x59, 0xA1, 0x4F),
    RGBColor(0xED, 0xC9, 0x48),
    RGBColor(0xB0, 0x7A, 0xA1),
    RGBColor(0xFF, 0x9D, 0xA7),
    RGBColor(0x9C, 0x75, 0x5F),
    RGBColor(0xBA, 0xB0, 0xAC),
];

/// Reference-line colours, dark so they stand apart from the series palette.
const REF_PALETTE: [RGBColor; 3] = [
    RGBColor(0xB2, 0x18, 0x2B),
    RGBColor(0x33, 0x33, 0x33),
    RGBColor(0x5E, 0x3C, 0x99),
];

const TEXT: RGBColor = RGBColor(0x22, 0x22, 0x22);
const NOTE: RGBColor = RGBColor(0x77, 0x77, 0x77);
const GRID_LIGHT: RGBColor = RGBColor(0xF2, 0xF2, 0xF2);
const GRID_BOLD: RGBColor = RGBColor(0xD4, 0xD4, 0xD4);

/// Rendered chart, both formats, in memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartFiles {
    pub png: Vec<u8>,
    pub svg: String,
}

/// Image size in pixels (PNG) and user units (SVG).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChartSize {
    pub width: u32,
    pub height: u32,
}

impl Default for ChartSize {
    fn default() -> Self {
        ChartSize {
            width: DEFAULT_WIDTH,
            height: DEFAULT_HEIGHT,
        }
    }
}

/// Why a chart could not be rendered.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ChartError {
    #[error("chart size {width}x{height} is outside the supported range 400x300 to 8000x8000")]
    InvalidSize { width: u32, height: u32 },
    #[error("chart series `{series}` has {got} values but there are {expected} categories")]
    SeriesLength {
        series: String,
        got: usize,
        expected: usize,
    },
    #[error("chart {what} has a value that is NaN or infinite")]
    NonFinite { what: String },
    #[error("stacked bar series `{series}` has a negative value ({value}) for `{category}`")]
    NegativeBar {
        series: String,
        category: String,
        value: f64,
    },
    #[error("log-scale x axis needs x > 0, but {what} has x = {x}")]
    NonPositiveLogX { what: String, x: f64 },
    #[error("the embedded chart font could not be loaded")]
    Font,
    #[error("drawing the chart failed: {0}")]
    Draw(String),
    #[error("encoding the chart PNG failed: {0}")]
    Png(String),
}

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
    pub size: ChartSize,
}

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
    /// Logarithmic x axis; every x must then be > 0.
    pub log_x: bool,
    pub size: ChartSize,
}

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

impl StackedBarChart {
    /// Render as PNG and SVG.
    pub fn render(&self) -> Result<ChartFiles, ChartError> {
        self.validate()?;
        render_files(self)
    }

    fn validate(&self) -> Result<(), ChartError> {
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
        Ok(())
    }

    fn draw_chart<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
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
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(0)
            .y_labels(8)
            .y_label_formatter(&|v| fmt_num(*v))
            .x_desc(self.x_title.as_str())
            .y_desc(y_title)
            .label_style((FAMILY, k.font(16.0)).into_font().color(&TEXT))
            .axis_desc_style((FAMILY, y_title_size).into_font().color(&TEXT))
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
                let label = fmt_num(totals[c]);
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

impl LineChart {
    /// Render as PNG and SVG.
    pub fn render(&self) -> Result<ChartFiles, ChartError> {
        validate_xy(
            &self.series,
            &self.reference_lines,
            &self.markers,
            self.log_x,
        )?;
        render_files(self)
    }

    fn draw_chart<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
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
        let panel = PanelSpec {
            y_title: &self.y_title,
            x_title: Some(&self.x_title),
            series: &self.series,
            refs: &self.reference_lines,
            markers: &self.markers,
            y_label_w: y_label_width(root, y.clone(), k),
            margin_top: k.px(10),
        };
        let plot_top = draw_panel(root, &plot_area, x, y, self.log_x, &panel, k)?;
        draw_legend(root, &legend_area, &entries, plot_top, k)
    }
}

impl PanelChart {
    /// Render as PNG and SVG.
    pub fn render(&self) -> Result<ChartFiles, ChartError> {
        for p in &self.panels {
            validate_xy(&p.series, &p.reference_lines, &p.markers, self.log_x)?;
        }
        render_files(self)
    }

    fn draw_chart<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), ChartError> {
        let k = Scale::of(self.size);
        let body = title_area(root, &self.title, k)?;
        if self.panels.is_empty() {
            let empty = [Panel::default()];
            return self.draw_panels(root, &body, &empty, k);
        }
        self.draw_panels(root, &body, &self.panels, k)
    }

    fn draw_panels<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        body: &DrawingArea<DB, Shift>,
        panels: &[Panel],
        k: Scale,
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

// ---------------------------------------------------------------------------------------------
// Shared machinery.

/// Pixel scale relative to the 1200x800 default, so other sizes keep the same proportions.
#[derive(Debug, Clone, Copy)]
struct Scale(f64);

impl Scale {
    fn of(size: ChartSize) -> Scale {
        let k = (size.width as f64 / DEFAULT_WIDTH as f64)
            .min(size.height as f64 / DEFAULT_HEIGHT as f64);
        Scale(k.clamp(0.5, 3.0))
    }
    fn px(self, v: u32) -> u32 {
        (v as f64 * self.0).round() as u32
    }
    /// Fonts shrink less than the layout so small images stay readable.
    fn font(self, v: f64) -> f64 {
        (v * self.0.max(0.85)).round()
    }
}

fn draw_err<E: std::fmt::Display>(e: E) -> ChartError {
    ChartError::Draw(e.to_string())
}

/// Register the embedded font with plotters, once per process.
fn ensure_font() -> Result<(), ChartError> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED.get_or_init(|| {
        register_font(FAMILY, FontStyle::Normal, dejavu::sans::regular()).is_ok()
            && register_font(FAMILY, FontStyle::Bold, dejavu::sans::bold()).is_ok()
    });
    if ok {
        Ok(())
    } else {
        Err(ChartError::Font)
    }
}

/// A chart that can draw itself on any plotters backend.
trait Chart {
    fn size(&self) -> ChartSize;
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError>;
}

macro_rules! impl_chart {
    ($($t:ty),*) => {$(
        impl Chart for $t {
            fn size(&self) -> ChartSize {
                self.size
            }
            fn draw<DB: DrawingBackend>(
                &self,
                root: &DrawingArea<DB, Shift>,
            ) -> Result<(), ChartError> {
                self.draw_chart(root)
            }
        }
    )*};
}

impl_chart!(StackedBarChart, LineChart, PanelChart);

/// Draw the same chart on an SVG and a bitmap backend.
fn render_files<C: Chart>(chart: &C) -> Result<ChartFiles, ChartError> {
    let ChartSize { width, height } = chart.size();
    if !(400..=8000).contains(&width) || !(300..=8000).contains(&height) {
        return Err(ChartError::InvalidSize { width, height });
    }
    ensure_font()?;

    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        root.fill(&WHITE).map_err(draw_err)?;
        chart.draw(&root)?;
        root.present().map_err(draw_err)?;
    }
    let mut rgb = vec![0u8; width as usize * height as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, (width, height)).into_drawing_area();
        root.fill(&WHITE).map_err(draw_err)?;
        chart.draw(&root)?;
        root.present().map_err(draw_err)?;
    }
    let png = encode_png(&rgb, width, height)?;
    Ok(ChartFiles { png, svg })
}

/// Encode an RGB buffer as PNG bytes, in memory.
///
/// The same encoder call plotters' file backend makes (`image`'s `PngEncoder` with its defaults,
/// no timestamps), so the bytes depend only on the pixels and equal what it wrote. In memory, not
/// through a temporary file: a report must not depend on `TMPDIR` being writable.
fn encode_png(rgb: &[u8], width: u32, height: u32) -> Result<Vec<u8>, ChartError> {
    use image::ImageEncoder;
    let mut png = Vec::new();
    image::codecs::png::PngEncoder::new(&mut png)
        .write_image(rgb, width, height, image::ColorType::Rgb8)
        .map_err(|e| ChartError::Png(e.to_string()))?;
    Ok(png)
}

fn colour(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// Draw the title (if any) and return the area under it.
fn title_area<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    k: Scale,
) -> Result<DrawingArea<DB, Shift>, ChartError> {
    let (w, _) = root.dim_in_pixel();
    let title_h = k.px(56);
    let (top, body) = root.split_vertically(title_h);
    if !title.is_empty() {
        let size = fit_size(root, title, k.font(28.0), 14.0, w - k.px(40));
        let text = fit_width(root, title, size, w - k.px(40));
        let style = (FAMILY, size, FontStyle::Bold)
            .into_font()
            .color(&TEXT)
            .pos(Pos::new(HPos::Center, VPos::Center));
        top.draw(&Text::new(
            text,
            (w as i32 / 2, title_h as i32 / 2 + 2),
            style,
        ))
        .map_err(draw_err)?;
    }
    Ok(body)
}

fn draw_text<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    text: &str,
    at: (i32, i32),
    size: f64,
    colour: RGBColor,
    h: HPos,
    v: VPos,
) -> Result<(), ChartError> {
    let style = (FAMILY, size)
        .into_font()
        .color(&colour)
        .pos(Pos::new(h, v));
    root.draw(&Text::new(text.to_string(), at, style))
        .map_err(draw_err)
}

fn draw_note<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    xs: &Range<i32>,
    ys: &Range<i32>,
    note: &str,
    k: Scale,
) -> Result<(), ChartError> {
    let at = ((xs.start + xs.end) / 2, (ys.start + ys.end) / 2);
    draw_text(
        root,
        note,
        at,
        k.font(24.0),
        NOTE,
        HPos::Center,
        VPos::Center,
    )
}

fn text_width<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, text: &str, size: f64) -> u32 {
    root.estimate_text_size(text, &TextStyle::from((FAMILY, size).into_font()))
        .map(|(w, _)| w)
        .unwrap_or_else(|_| (text.chars().count() as f64 * size * 0.6) as u32)
}

/// Largest font size from `start` down to `min` at which `text` fits in `max_w` pixels.
fn fit_size<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    text: &str,
    start: f64,
    min: f64,
    max_w: u32,
) -> f64 {
    let mut size = start;
    while size > min && text_width(root, text, size) > max_w {
        size -= 1.0;
    }
    size
}

/// `text`, shortened with an ellipsis if needed to fit in `max_w` pixels.
fn fit_width<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    text: &str,
    size: f64,
    max_w: u32,
) -> String {
    if text_width(root, text, size) <= max_w {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    for n in (1..chars.len()).rev() {
        let s: String = chars[..n].iter().collect::<String>().trim_end().to_string() + "…";
        if text_width(root, &s, size) <= max_w {
            return s;
        }
    }
    "…".to_string()
}

/// Font size and (possibly shortened) text for a single line within `max_w` pixels.
fn fit_text<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    text: &str,
    start: f64,
    min: f64,
    max_w: u32,
) -> (String, f64) {
    let size = fit_size(root, text, start, min, max_w);
    (fit_width(root, text, size, max_w), size)
}

/// A category label in at most two lines within `max_w` pixels: shrink, then wrap, then shorten.
fn fit_lines<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    text: &str,
    start: f64,
    max_w: u32,
) -> (Vec<String>, f64) {
    let min = (start * 0.75).round();
    let size = fit_size(root, text, start, min, max_w);
    if text_width(root, text, size) <= max_w {
        return (vec![text.to_string()], size);
    }
    // Best two-line split at a space: the one with the narrower wider line.
    let mut best: Option<(u32, String, String)> = None;
    for (i, c) in text.char_indices() {
        if c == ' ' {
            let (a, b) = (text[..i].trim_end(), text[i + 1..].trim_start());
            let w = text_width(root, a, min).max(text_width(root, b, min));
            if best.as_ref().is_none_or(|(bw, _, _)| w < *bw) {
                best = Some((w, a.to_string(), b.to_string()));
            }
        }
    }
    match best {
        Some((_, a, b)) => (
            vec![
                fit_width(root, &a, min, max_w),
                fit_width(root, &b, min, max_w),
            ],
            min,
        ),
        None => (vec![fit_width(root, text, min, max_w)], min),
    }
}

/// Plain, readable tick and value labels: "0", "0.25", "12.5", "1,250", "3.2e-5".
fn fmt_num(v: f64) -> String {
    let a = v.abs();
    if a < 1e-9 {
        return "0".to_string();
    }
    if !(0.001..1e15).contains(&a) {
        return format!("{v:.1e}");
    }
    if a >= 1000.0 {
        let r = v.round() as i64;
        let digits = r.unsigned_abs().to_string();
        let mut out = String::new();
        for (i, ch) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(ch);
        }
        return if r < 0 { format!("-{out}") } else { out };
    }
    let s = if a >= 100.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.3}")
    };
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

/// Width of the y label area: widest likely tick label plus room for the rotated axis title.
fn y_label_width<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    y: Range<f64>,
    k: Scale,
) -> u32 {
    let probe = [y.start, y.end, (y.start + y.end) / 2.0, y.end * 0.95];
    let widest = probe
        .iter()
        .map(|v| text_width(root, &fmt_num(*v), k.font(16.0)))
        .max()
        .unwrap_or(0);
    // Ticks are "nice" numbers and may have one more decimal than the probes.
    widest + text_width(root, "0", k.font(16.0)) + k.px(42)
}

// ---------------------------------------------------------------------------------------------
// Legend, drawn in its own column right of the plot so it never covers data.

#[derive(Debug, Clone, Copy)]
enum Swatch {
    Fill(RGBColor),
    Line(RGBColor),
    Dashed(RGBColor),
}

struct LegendEntry {
    label: String,
    swatch: Swatch,
}

impl LegendEntry {
    fn new(label: &str, swatch: Swatch) -> Self {
        let label = if label.trim().is_empty() {
            "(unnamed)".to_string()
        } else {
            label.to_string()
        };
        LegendEntry { label, swatch }
    }
}

fn xy_legend(series: &[LineSeries], refs: &[ReferenceLine]) -> Vec<LegendEntry> {
    let lines = series
        .iter()
        .enumerate()
        .map(|(i, s)| LegendEntry::new(&s.name, Swatch::Line(colour(i))));
    let dashed = refs
        .iter()
        .enumerate()
        .map(|(i, r)| LegendEntry::new(&r.label, Swatch::Dashed(ref_colour(i))));
    lines.chain(dashed).collect()
}

fn ref_colour(i: usize) -> RGBColor {
    REF_PALETTE[i % REF_PALETTE.len()]
}

const SWATCH_W: u32 = 30;

/// Legend column width: fits the longest label, within 14% to 30% of the image width.
fn legend_width<DB: DrawingBackend>(
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

fn draw_legend<DB: DrawingBackend>(
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
            Swatch::Line(c) => {
                root.draw(&PathElement::new(
                    vec![(x0, cy), (x0 + sw, cy)],
                    c.stroke_width(k.px(3)),
                ))
                .map_err(draw_err)?;
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

// ---------------------------------------------------------------------------------------------
// Line panels.

fn validate_xy(
    series: &[LineSeries],
    refs: &[ReferenceLine],
    markers: &[Marker],
    log_x: bool,
) -> Result<(), ChartError> {
    for s in series {
        for &(x, y) in &s.points {
            if !x.is_finite() || !y.is_finite() {
                return Err(ChartError::NonFinite {
                    what: format!("series `{}`", s.name),
                });
            }
            if log_x && x <= 0.0 {
                return Err(ChartError::NonPositiveLogX {
                    what: format!("series `{}`", s.name),
                    x,
                });
            }
        }
    }
    for r in refs {
        if !r.y.is_finite() {
            return Err(ChartError::NonFinite {
                what: format!("reference line `{}`", r.label),
            });
        }
    }
    for m in markers {
        if !m.x.is_finite() || !m.y.is_finite() {
            return Err(ChartError::NonFinite {
                what: format!("marker `{}`", m.label),
            });
        }
        if log_x && m.x <= 0.0 {
            return Err(ChartError::NonPositiveLogX {
                what: format!("marker `{}`", m.label),
                x: m.x,
            });
        }
    }
    Ok(())
}

/// X range over all points and markers; a sensible non-empty range when there is one value or none.
fn x_extent<'a>(
    groups: impl Iterator<Item = (&'a [LineSeries], &'a [Marker])>,
    log_x: bool,
) -> Range<f64> {
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    for (series, markers) in groups {
        let xs = series
            .iter()
            .flat_map(|s| s.points.iter().map(|p| p.0))
            .chain(markers.iter().map(|m| m.x));
        for x in xs {
            lo = lo.min(x);
            hi = hi.max(x);
        }
    }
    if lo > hi {
        return if log_x { 1.0..10.0 } else { 0.0..1.0 };
    }
    if lo == hi {
        return if log_x {
            lo / 2.0..hi * 2.0
        } else if lo == 0.0 {
            -1.0..1.0
        } else {
            let d = lo.abs() * 0.5;
            lo - d..hi + d
        };
    }
    lo..hi
}

/// Y range from 0 (or the lowest negative value) to the highest value plus headroom: 8 % of the
/// range, or more when reference-line and marker labels need pixels above the top value
/// (`plot_h` is the expected plot height in pixels).
fn y_extent(
    series: &[LineSeries],
    refs: &[ReferenceLine],
    markers: &[Marker],
    plot_h: u32,
    k: Scale,
) -> Range<f64> {
    let ys = series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.1))
        .chain(refs.iter().map(|r| r.y))
        .chain(markers.iter().map(|m| m.y));
    let (mut lo, mut hi) = (0.0f64, 0.0f64);
    for y in ys {
        lo = lo.min(y);
        hi = hi.max(y);
    }
    if hi == lo {
        return lo..lo + 1.0;
    }
    let room_px = if !markers.is_empty() {
        k.px(64)
    } else if !refs.is_empty() {
        k.px(32)
    } else {
        0
    } as f64;
    // Fraction of the plot height to keep free above the top value, capped at 40 %.
    let free = (room_px / plot_h.max(1) as f64).clamp(0.08, 0.4);
    let pad = (hi - lo) * free / (1.0 - free);
    let lo = if lo < 0.0 { lo - (hi - lo) * 0.08 } else { lo };
    lo..hi + pad
}

struct PanelSpec<'a> {
    y_title: &'a str,
    /// Shared x-axis title; `None` hides the x tick labels too (upper panels).
    x_title: Option<&'a str>,
    series: &'a [LineSeries],
    refs: &'a [ReferenceLine],
    markers: &'a [Marker],
    y_label_w: u32,
    margin_top: u32,
}

/// Draw one line panel in `area`; returns the top pixel row of its plot (for the legend).
fn draw_panel<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    area: &DrawingArea<DB, Shift>,
    x: Range<f64>,
    y: Range<f64>,
    log_x: bool,
    spec: &PanelSpec,
    k: Scale,
) -> Result<i32, ChartError> {
    if log_x {
        draw_panel_on(root, area, x.clone().log_scale(), x, y, spec, k)
    } else {
        draw_panel_on(root, area, x.clone(), x, y, spec, k)
    }
}

fn draw_panel_on<DB, XS>(
    root: &DrawingArea<DB, Shift>,
    area: &DrawingArea<DB, Shift>,
    x_spec: XS,
    x: Range<f64>,
    y: Range<f64>,
    spec: &PanelSpec,
    k: Scale,
) -> Result<i32, ChartError>
where
    DB: DrawingBackend,
    XS: AsRangedCoord<Value = f64>,
    XS::CoordDescType: ValueFormatter<f64>,
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
        .build_cartesian_2d(x_spec, y.clone())
        .map_err(draw_err)?;
    let (px, py) = chart.plotting_area().get_pixel_range();
    let (y_title, y_title_size) = fit_text(root, spec.y_title, k.font(20.0), 12.0, py.len() as u32);
    let fmt = |v: &f64| fmt_num(*v);
    let mut mesh = chart.configure_mesh();
    mesh.x_labels(10)
        .y_labels(if py.len() < 300 { 5 } else { 8 })
        .x_label_formatter(&fmt)
        .y_label_formatter(&fmt)
        .y_desc(y_title)
        .label_style((FAMILY, k.font(16.0)).into_font().color(&TEXT))
        .axis_desc_style((FAMILY, y_title_size).into_font().color(&TEXT))
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
    for (i, s) in spec.series.iter().enumerate() {
        let mut pts = s.points.clone();
        pts.sort_by(|a, b| a.0.total_cmp(&b.0));
        let c = colour(i);
        chart
            .draw_series(plotters::series::LineSeries::new(
                pts.iter().copied(),
                c.stroke_width(k.px(3)),
            ))
            .map_err(draw_err)?;
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
    let mut taken: Vec<Rect> = spec.markers.iter().map(ring).collect();
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

/// The candidate inside `bounds`, overlapping no placed label, that covers the least of the
/// weighted lines (the first such on ties); else the first candidate moved inside `bounds`.
fn place(cands: &[Rect], bounds: &Rect, taken: &[Rect], lines: &[(&[(i32, i32)], u32)]) -> Rect {
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
struct Rect {
    x0: i32,
    y0: i32,
    x1: i32,
    y1: i32,
}

impl Rect {
    fn new(x0: i32, y0: i32, x1: i32, y1: i32) -> Self {
        Rect { x0, y0, x1, y1 }
    }
    fn contains(&self, o: &Rect) -> bool {
        o.x0 >= self.x0 && o.x1 <= self.x1 && o.y0 >= self.y0 && o.y1 <= self.y1
    }
    fn overlaps(&self, o: &Rect) -> bool {
        self.x0 < o.x1 && o.x0 < self.x1 && self.y0 < o.y1 && o.y0 < self.y1
    }
    /// Whether the polyline passes through this box (sampled every 2 pixels).
    fn crosses(&self, line: &[(i32, i32)]) -> bool {
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
fn label_box<DB: DrawingBackend>(
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

#[cfg(test)]
mod tests {
    use super::fmt_num;

    #[test]
    fn number_labels() {
        assert_eq!(fmt_num(0.0), "0");
        assert_eq!(fmt_num(-0.0), "0");
        assert_eq!(fmt_num(0.25), "0.25");
        assert_eq!(fmt_num(0.30000000000000004), "0.3");
        assert_eq!(fmt_num(12.5), "12.5");
        assert_eq!(fmt_num(250.0), "250");
        assert_eq!(fmt_num(1250.0), "1,250");
        assert_eq!(fmt_num(-1_234_567.0), "-1,234,567");
        assert_eq!(fmt_num(0.00003), "3.0e-5");
    }
}
