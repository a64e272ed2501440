//! Stroking a series' polyline: dash patterns, and thick lines on the bitmap without plotters'
//! join artefacts.
//!
//! plotters turns a thick polyline into one polygon with mitred joins and caps only the outer
//! side of a sharp turn: where a line doubles back (the 10-minute means of a simulated week do,
//! every few pixels) the inner miter point lands far from the line and the polygon draws a
//! stroke down past zero or up past the data. On the bitmap each segment is therefore drawn on
//! its own, with round joins; the SVG keeps one polyline per dash, which viewers join correctly.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::render::draw_err;
use super::ChartError;

/// Which backend a chart is being drawn on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Target {
    Svg,
    Bitmap,
}

/// Dash patterns (on, off, ... lengths at the 1200x800 scale) by series index, so series whose
/// lines coincide stay distinguishable: the first solid, then long dashes, dots, dash-dot.
const PATTERNS: [&[u32]; 4] = [&[], &[14, 6], &[3, 5], &[14, 5, 3, 5]];

/// The dash pattern of series `i`, scaled by `px`.
pub(super) fn pattern(i: usize, px: impl Fn(u32) -> u32) -> Vec<u32> {
    PATTERNS[i % PATTERNS.len()]
        .iter()
        .map(|v| px(*v).max(1))
        .collect()
}

/// Stroke the polyline `pts` (backend pixels) with `pattern` (empty: solid).
pub(super) fn stroke<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    pts: &[(i32, i32)],
    colour: RGBColor,
    width: u32,
    pattern: &[u32],
    target: Target,
) -> Result<(), ChartError> {
    let mut line: Vec<(i32, i32)> = pts.to_vec();
    line.dedup();
    let pieces = if pattern.is_empty() {
        vec![line]
    } else {
        dashes(&line, pattern)
    };
    let style = colour.stroke_width(width);
    for piece in pieces {
        match target {
            Target::Svg => {
                if piece.len() >= 2 {
                    root.draw(&PathElement::new(piece, style))
                        .map_err(draw_err)?;
                }
            }
            Target::Bitmap => {
                // Only a turn of more than 90 degrees puts the miter point far from the line:
                // break the polyline there (runs between such turns are drawn whole) and round
                // the break with a dot.
                let mut start = 0;
                for i in 1..piece.len().saturating_sub(1) {
                    if doubles_back(piece[i - 1], piece[i], piece[i + 1]) {
                        root.draw(&PathElement::new(piece[start..=i].to_vec(), style))
                            .map_err(draw_err)?;
                        if width > 2 {
                            root.draw(&Circle::new(piece[i], width / 2, colour.filled()))
                                .map_err(draw_err)?;
                        }
                        start = i;
                    }
                }
                if piece.len() - start >= 2 {
                    root.draw(&PathElement::new(piece[start..].to_vec(), style))
                        .map_err(draw_err)?;
                }
            }
        }
    }
    Ok(())
}

/// Whether the path a -> b -> c turns by more than 90 degrees at `b`.
fn doubles_back(a: (i32, i32), b: (i32, i32), c: (i32, i32)) -> bool {
    let (ux, uy) = (i64::from(b.0 - a.0), i64::from(b.1 - a.1));
    let (vx, vy) = (i64::from(c.0 - b.0), i64::from(c.1 - b.1));
    ux * vx + uy * vy < 0
}

/// The "on" stretches of `line` under a repeating on/off `pattern`, measured along the line.
fn dashes(line: &[(i32, i32)], pattern: &[u32]) -> Vec<Vec<(i32, i32)>> {
    let to_i = |p: (f64, f64)| (p.0.round() as i32, p.1.round() as i32);
    let mut out = Vec::new();
    let Some(first) = line.first() else {
        return out;
    };
    let mut at = (f64::from(first.0), f64::from(first.1));
    let (mut k, mut left) = (0usize, f64::from(pattern[0]));
    let mut current = vec![*first];
    for p in &line[1..] {
        let end = (f64::from(p.0), f64::from(p.1));
        loop {
            let d = (end.0 - at.0).hypot(end.1 - at.1);
            let on = k % 2 == 0;
            if d <= left {
                left -= d;
                at = end;
                if on {
                    current.push(*p);
                }
                break;
            }
            let t = left / d;
            at = (at.0 + (end.0 - at.0) * t, at.1 + (end.1 - at.1) * t);
            if on {
                current.push(to_i(at));
                out.push(std::mem::take(&mut current));
            } else {
                current = vec![to_i(at)];
            }
            k = (k + 1) % pattern.len().max(2);
            left = f64::from(pattern[k % pattern.len()]);
        }
    }
    if k % 2 == 0 && current.len() >= 2 {
        out.push(current);
    }
    out.retain(|piece| piece.len() >= 2);
    out
}

#[cfg(test)]
mod tests {
    use super::dashes;

    #[test]
    fn dashes_follow_the_pattern_along_the_line() {
        // 0..30 on a horizontal line with 10 on, 5 off: [0,10], [15,25], [30,30] (empty, dropped).
        let pieces = dashes(&[(0, 0), (30, 0)], &[10, 5]);
        assert_eq!(pieces, vec![vec![(0, 0), (10, 0)], vec![(15, 0), (25, 0)]]);
        // Around a corner, a dash keeps the corner point.
        let pieces = dashes(&[(0, 0), (6, 0), (6, 6)], &[10, 5]);
        assert_eq!(pieces[0], vec![(0, 0), (6, 0), (6, 4)]);
    }
}
