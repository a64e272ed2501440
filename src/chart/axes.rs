//! Axis ranges and label areas of the line plots, and validation of their input.

use std::ops::Range;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::style::Scale;
use super::text::{fmt_num, text_width};
use super::{ChartError, LineSeries, Marker, ReferenceLine};

/// Width of the y label area: widest likely tick label plus room for the rotated axis title.
pub(super) fn y_label_width<DB: DrawingBackend>(
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

pub(super) fn validate_xy(
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
pub(super) fn x_extent<'a>(
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
pub(super) fn y_extent(
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

/// Every y of a log-y plot must be > 0.
pub(super) fn validate_log_y(
    series: &[LineSeries],
    refs: &[ReferenceLine],
    markers: &[Marker],
) -> Result<(), ChartError> {
    let bad = |what: String, y: f64| Err(ChartError::NonPositiveLogY { what, y });
    for s in series {
        if let Some(p) = s.points.iter().find(|p| p.1 <= 0.0) {
            return bad(format!("series `{}`", s.name), p.1);
        }
    }
    if let Some(r) = refs.iter().find(|r| r.y <= 0.0) {
        return bad(format!("reference line `{}`", r.label), r.y);
    }
    if let Some(m) = markers.iter().find(|m| m.y <= 0.0) {
        return bad(format!("marker `{}`", m.label), m.y);
    }
    Ok(())
}

/// Y range of a log-y plot: the values' range widened to whole decades below and a third of a
/// decade above (room for labels).
pub(super) fn log_y_extent(
    series: &[LineSeries],
    refs: &[ReferenceLine],
    markers: &[Marker],
) -> Range<f64> {
    let ys = series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.1))
        .chain(refs.iter().map(|r| r.y))
        .chain(markers.iter().map(|m| m.y));
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for y in ys {
        lo = lo.min(y);
        hi = hi.max(y);
    }
    if lo > hi {
        return 1.0..10.0;
    }
    let lo = 10f64.powf(lo.log10().floor());
    let hi = hi * 10f64.powf(1.0 / 3.0);
    lo..hi.max(lo * 10.0)
}
