//! Chart rendering for reports: stacked bars, line charts and vertically stacked panels.
//!
//! The module knows nothing about the rest of the crate: callers pass plain data and get PNG and
//! SVG bytes back in memory ([`ChartFiles`]), so they can write both files atomically.
//!
//! - Text is drawn with DejaVu Sans embedded in the binary (the `dejavu` crate), registered once
//!   with plotters under the `"sans-serif"` family; text with Japanese characters is drawn with
//!   a subset of Noto Sans CJK JP shipped in `assets/fonts/` (SIL OFL 1.1) and embedded with
//!   `include_bytes!`. No system fonts or fontconfig are needed.
//! - Output is deterministic: the same input gives byte-identical PNG and SVG (no timestamps,
//!   no hash-map iteration, colours from a fixed palette in series order).
//! - Empty input (no categories, no series, no points) and all-zero values draw an empty chart
//!   with a note instead of failing; malformed input (lengths that do not match, NaN or infinite
//!   values, x <= 0 on a log axis, negative stacked bars) is a [`ChartError`].
//!
//! Layout: one file per chart type ([`bars`], [`line`], [`panels`]); the line plot they share
//! (`plot`) with its label placement (`labels`), axis ranges (`axes`) and legend (`legend`);
//! text and the font (`text`); palette and scale (`style`); both backends and PNG (`render`).

mod axes;
mod bars;
mod labels;
mod legend;
mod line;
mod panels;
mod plot;
mod render;
mod stroke;
mod style;
mod text;

pub use bars::{BarSeries, StackedBarChart};
pub use line::{LineChart, LineSeries, Marker, ReferenceLine, VerticalLine};
pub use panels::{Panel, PanelChart};

/// Default image width in pixels.
pub const DEFAULT_WIDTH: u32 = 1200;
/// Default image height in pixels.
pub const DEFAULT_HEIGHT: u32 = 800;

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
    #[error("log-scale y axis needs y > 0, but {what} has y = {y}")]
    NonPositiveLogY { what: String, y: f64 },
    #[error("the embedded chart font could not be loaded")]
    Font,
    #[error("drawing the chart failed: {0}")]
    Draw(String),
    #[error("encoding the chart PNG failed: {0}")]
    Png(String),
}
