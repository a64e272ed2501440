//! Exact money helpers.
//!
//! Costs are `Decimal`s from price book to total, with one rounding rule at the pricing
//! boundary ([`round_pricing`]: every line's quantity and cost to 10 decimal places, half to
//! even), so every total is the exact sum of its lines as shown and as written in JSON.
//! Otherwise rounding happens only for display:
//! to cents, half away from zero, and [`allocate_cents`] makes the rounded lines of a table add up
//! to the rounded total (largest-remainder method), so a reader summing a column gets the total.

use rust_decimal::{Decimal, RoundingStrategy};

pub const CENT: Decimal = Decimal::from_parts(1, 0, 0, false, 2);

/// Decimal places kept at the pricing boundary (a line's quantity and cost).
pub const PRICING_DP: u32 = 10;

/// The pricing boundary's one rounding rule: 10 decimal places, half to even.
///
/// Applied to each cost line's quantity and to its cost (`quantity x unit price`) when the line
/// is made. Ten places keep a thousandth of a cent on a per-request price times a billion
/// requests, and a line of up to about 7.9 x 10^18 USD fits `Decimal` at that scale, so sums of
/// lines (a phase's total, per service, per kind) are exact: no digit is lost the way a
/// 28-digit quotient (730 / 168 weeks of a weekday schedule) loses one in the 30th digit.
pub fn round_pricing(v: Decimal) -> Decimal {
    v.round_dp_with_strategy(PRICING_DP, RoundingStrategy::MidpointNearestEven)
}

/// Round to cents, half away from zero (the rule used for every displayed amount).
pub fn round_cents(v: Decimal) -> Decimal {
    v.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// Round each value to cents, plus the adjustment that makes the rounded lines add up to the
/// rounded total (zero unless rounding drifted). Tables show a non-zero adjustment as its own
/// "Rounding" row, so a reader who sums the column gets the total, and no line is mis-rounded.
pub fn round_lines(values: &[Decimal]) -> (Vec<Decimal>, Decimal) {
    let rounded: Vec<Decimal> = values.iter().map(|v| round_cents(*v)).collect();
    let total = round_cents(values.iter().copied().sum());
    let adjustment = total - rounded.iter().copied().sum::<Decimal>();
    (rounded, adjustment)
}

/// A unit price for display: full precision, at least two decimals (`$0.20`, `$0.0000166667`).
pub fn fmt_price(v: Decimal) -> String {
    let n = v.normalize();
    if n.scale() < 2 {
        format!("{:.2}", n)
    } else {
        n.to_string()
    }
}

/// `1234.5` -> `1,234.50` (always two decimals, thousands separated).
pub fn fmt_money(v: Decimal) -> String {
    let r = round_cents(v);
    let neg = r.is_sign_negative() && !r.is_zero();
    let s = format!("{:.2}", r.abs());
    let (int, frac) = s.split_once('.').unwrap_or((&s, "00"));
    format!(
        "{}{}.{}",
        if neg { "-" } else { "" },
        group_thousands(int),
        frac
    )
}

/// A quantity or unit price for display: full precision, trailing zeros trimmed, thousands
/// grouped in the integer part.
/// A simulated (f64) figure for display: at most `dp` decimals, thousands separators.
pub fn fmt_float(v: f64, dp: u32) -> String {
    Decimal::try_from(v)
        .map(|d| fmt_number(d.round_dp(dp)))
        .unwrap_or_else(|_| v.to_string())
}

pub fn fmt_number(v: Decimal) -> String {
    let s = v.normalize().to_string();
    let (sign, body) = s.strip_prefix('-').map_or(("", s.as_str()), |b| ("-", b));
    match body.split_once('.') {
        Some((int, frac)) => format!("{sign}{}.{frac}", group_thousands(int)),
        None => format!("{sign}{}", group_thousands(body)),
    }
}

fn group_thousands(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// Full-precision decimal string for JSON and CSV (no exponent, trailing zeros trimmed).
pub fn exact(v: Decimal) -> String {
    v.normalize().to_string()
}

/// `+1.23` / `-1.23` / `0.00`.
pub fn signed(v: Decimal) -> String {
    let r = round_cents(v);
    if r > Decimal::ZERO {
        format!("+{}", fmt_money(r))
    } else {
        fmt_money(r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn rounding_adjustment_closes_the_column() {
        // 3 x 0.333333.. rounds to 0.33 each (0.99) but the total 0.999999 rounds to 1.00.
        let v = vec![d("0.333333"), d("0.333333"), d("0.333333")];
        let (r, adj) = round_lines(&v);
        assert_eq!(r, vec![d("0.33"), d("0.33"), d("0.33")]);
        assert_eq!(adj, d("0.01"));
        assert_eq!(
            r.iter().copied().sum::<Decimal>() + adj,
            round_cents(v.iter().copied().sum())
        );
    }

    #[test]
    fn no_adjustment_when_exact() {
        // 118.2016 + 25.9588 = 144.1604 -> lines 118.20 + 25.96 = 144.16, total 144.16.
        let (_, adj) = round_lines(&[d("118.2016"), d("25.9588")]);
        assert_eq!(adj, Decimal::ZERO);
        assert_eq!(fmt_price(d("0.2")), "0.20");
        assert_eq!(fmt_price(d("0.0000166667")), "0.0000166667");
    }

    #[test]
    fn pricing_boundary_rounds_to_ten_places_half_even() {
        // 730 / 168 x 50 h (weekday 09-19) = 217.261904761904761904761904...
        let hours = d("730") / d("168") * d("50");
        assert_eq!(round_pricing(hours), d("217.2619047619"));
        // half to even at the 11th place
        assert_eq!(round_pricing(d("0.00000000005")), d("0"));
        assert_eq!(round_pricing(d("0.00000000015")), d("0.0000000002"));
    }

    #[test]
    fn formats() {
        assert_eq!(fmt_money(d("1451.705")), "1,451.71");
        assert_eq!(fmt_money(d("-0.004")), "0.00");
        assert_eq!(fmt_number(d("1000000.500")), "1,000,000.5");
        assert_eq!(fmt_number(d("0.0000166667")), "0.0000166667");
    }
}
