//! The embedded font, titles, notes, text measurement and fitting, number labels.

use std::ops::Range;
use std::sync::OnceLock;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{register_font, FontStyle};

use super::render::draw_err;
use super::style::{Scale, NOTE, TEXT};
use super::ChartError;

/// The family of Latin text (DejaVu Sans); plotters' own defaults also ask for it.
pub(super) const FAMILY: &str = "sans-serif";

/// The family of text with Japanese characters (a subset of Noto Sans CJK JP, see
/// `assets/fonts/`). Registered under a CSS font list so the SVG, which carries text rather
/// than glyphs, asks the viewer for the same face and falls back to its sans-serif.
pub(super) const JP_FAMILY: &str = "Noto Sans CJK JP, sans-serif";

static JP_REGULAR: &[u8] = include_bytes!("../../assets/fonts/NotoSansCJKjp-Regular.subset.otf");
static JP_BOLD: &[u8] = include_bytes!("../../assets/fonts/NotoSansCJKjp-Bold.subset.otf");

/// The family to draw `text` in: the Japanese face when the text has a character from the
/// CJK blocks onwards (kana, kanji, CJK punctuation, full-width forms), which DejaVu lacks;
/// DejaVu otherwise, so Latin-only charts stay as they were.
pub(super) fn family(text: &str) -> &'static str {
    if text.chars().any(|c| c >= '\u{2E80}') {
        JP_FAMILY
    } else {
        FAMILY
    }
}

/// Register the embedded fonts with plotters, once per process.
pub(super) fn ensure_font() -> Result<(), ChartError> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED.get_or_init(|| {
        register_font(FAMILY, FontStyle::Normal, dejavu::sans::regular()).is_ok()
            && register_font(FAMILY, FontStyle::Bold, dejavu::sans::bold()).is_ok()
            && register_font(JP_FAMILY, FontStyle::Normal, JP_REGULAR).is_ok()
            && register_font(JP_FAMILY, FontStyle::Bold, JP_BOLD).is_ok()
    });
    if ok {
        Ok(())
    } else {
        Err(ChartError::Font)
    }
}

/// Draw the title (if any) and return the area under it.
pub(super) fn title_area<DB: DrawingBackend>(
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
        let style = (family(&text), size, FontStyle::Bold)
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

pub(super) fn draw_text<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    text: &str,
    at: (i32, i32),
    size: f64,
    colour: RGBColor,
    h: HPos,
    v: VPos,
) -> Result<(), ChartError> {
    let style = (family(text), size)
        .into_font()
        .color(&colour)
        .pos(Pos::new(h, v));
    root.draw(&Text::new(text.to_string(), at, style))
        .map_err(draw_err)
}

pub(super) fn draw_note<DB: DrawingBackend>(
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

pub(super) fn text_width<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    text: &str,
    size: f64,
) -> u32 {
    root.estimate_text_size(text, &TextStyle::from((family(text), size).into_font()))
        .map(|(w, _)| w)
        .unwrap_or_else(|_| (text.chars().count() as f64 * size * 0.6) as u32)
}

/// Largest font size from `start` down to `min` at which `text` fits in `max_w` pixels.
pub(super) fn fit_size<DB: DrawingBackend>(
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
pub(super) fn fit_width<DB: DrawingBackend>(
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
pub(super) fn fit_text<DB: DrawingBackend>(
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
pub(super) fn fit_lines<DB: DrawingBackend>(
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
pub(super) fn fmt_num(v: f64) -> String {
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
