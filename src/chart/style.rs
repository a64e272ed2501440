//! Palette, colours and the pixel scale every chart shares.

use plotters::prelude::*;

use super::{ChartSize, DEFAULT_HEIGHT, DEFAULT_WIDTH};

/// Series colours, in order: Tableau 10, then ten more chosen so that every pair of the 20 is
/// at least as far apart (CIE76 delta E 25.9) as Tableau 10's closest pair, with lightness 35-75
/// and moderate chroma so none is lost on white or mistaken for text. Series beyond twenty
/// reuse them from the start.
pub(super) const PALETTE: [RGBColor; 20] = [
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
    RGBColor(0x77, 0x66, 0xCC),
    RGBColor(0xAA, 0x22, 0x66),
    RGBColor(0x77, 0x66, 0x00),
    RGBColor(0x44, 0x66, 0x44),
    RGBColor(0x99, 0x44, 0x00),
    RGBColor(0xBB, 0xBB, 0x77),
    RGBColor(0x00, 0x99, 0xFF),
    RGBColor(0x00, 0xBB, 0xEE),
    RGBColor(0x00, 0xCC, 0xAA),
    RGBColor(0xEE, 0x88, 0xDD),
];

/// Reference-line colours, dark so they stand apart from the series palette.
pub(super) const REF_PALETTE: [RGBColor; 3] = [
    RGBColor(0xB2, 0x18, 0x2B),
    RGBColor(0x33, 0x33, 0x33),
    RGBColor(0x5E, 0x3C, 0x99),
];

pub(super) const TEXT: RGBColor = RGBColor(0x22, 0x22, 0x22);
pub(super) const NOTE: RGBColor = RGBColor(0x77, 0x77, 0x77);
pub(super) const GRID_LIGHT: RGBColor = RGBColor(0xF2, 0xF2, 0xF2);
pub(super) const GRID_BOLD: RGBColor = RGBColor(0xD4, 0xD4, 0xD4);

/// Pixel scale relative to the 1200x800 default, so other sizes keep the same proportions.
#[derive(Debug, Clone, Copy)]
pub(super) struct Scale(f64);

impl Scale {
    pub(super) fn of(size: ChartSize) -> Scale {
        let k = (size.width as f64 / DEFAULT_WIDTH as f64)
            .min(size.height as f64 / DEFAULT_HEIGHT as f64);
        Scale(k.clamp(0.5, 3.0))
    }
    pub(super) fn px(self, v: u32) -> u32 {
        (v as f64 * self.0).round() as u32
    }
    /// Fonts shrink less than the layout so small images stay readable.
    pub(super) fn font(self, v: f64) -> f64 {
        (v * self.0.max(0.85)).round()
    }
}

pub(super) fn colour(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

pub(super) fn ref_colour(i: usize) -> RGBColor {
    REF_PALETTE[i % REF_PALETTE.len()]
}
