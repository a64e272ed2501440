//! Display currencies: USD amounts shown in another currency at a stated rate.
//!
//! Prices and totals stay exact USD `Decimal`s; a display currency only changes how they are
//! written. Conversion is `usd × rate` in `Decimal` (exact for every amount a price book can
//! produce), then rounding to the currency's minor unit (whole yen, cents) half away from zero,
//! the rule costplan uses for cents. There is no built-in rate: a currency without a rate is an
//! error, never a guess.

use rust_decimal::{Decimal, RoundingStrategy};

/// ISO 4217 codes costplan writes, with their minor-unit digits (JPY and KRW have none).
/// A code not listed is refused rather than written with a guessed number of decimals.
pub const CURRENCIES: [(&str, u32); 14] = [
    ("USD", 2),
    ("JPY", 0),
    ("EUR", 2),
    ("GBP", 2),
    ("AUD", 2),
    ("CAD", 2),
    ("CHF", 2),
    ("CNY", 2),
    ("HKD", 2),
    ("INR", 2),
    ("KRW", 0),
    ("NZD", 2),
    ("SGD", 2),
    ("SEK", 2),
];

/// The currency amounts are displayed in: a code, units of it per USD, and the rate's date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayCurrency {
    pub code: String,
    /// Units of `code` per 1 USD (150 for JPY at 150 yen to the dollar).
    pub rate: Decimal,
    /// The day the rate was taken (`YYYY-MM-DD`), printed with every converted figure.
    pub rate_date: Option<String>,
    /// Digits after the decimal point the currency is written with.
    pub decimals: u32,
}

impl DisplayCurrency {
    /// USD itself: rate 1, cents, no conversion note.
    pub fn usd() -> DisplayCurrency {
        DisplayCurrency {
            code: "USD".into(),
            rate: Decimal::ONE,
            rate_date: None,
            decimals: 2,
        }
    }

    /// A checked display currency; the error says what to write instead.
    pub fn new(
        code: &str,
        rate: Option<Decimal>,
        rate_date: Option<&str>,
    ) -> Result<DisplayCurrency, String> {
        let upper = code.trim().to_ascii_uppercase();
        let Some(&(code, decimals)) = CURRENCIES.iter().find(|(c, _)| *c == upper) else {
            let known: Vec<&str> = CURRENCIES.iter().map(|(c, _)| *c).collect();
            return Err(format!(
                "unknown display currency `{code}` (known: {})",
                known.join(", ")
            ));
        };
        if let Some(d) = rate_date {
            check_date(d)?;
        }
        let rate = match rate {
            Some(r) if r > Decimal::ZERO => r,
            Some(r) => return Err(format!("a rate must be above 0, got {r}")),
            None if code == "USD" => Decimal::ONE,
            None => {
                return Err(format!(
                    "display currency {code} needs a rate in {code} per USD (--rate 150, or \
                     `rate = 150` under [display]): costplan has no built-in exchange rates"
                ))
            }
        };
        if code == "USD" && rate != Decimal::ONE {
            return Err(format!(
                "USD is the currency of the price books; its rate is 1, not {rate}"
            ));
        }
        Ok(DisplayCurrency {
            code: code.into(),
            rate: rate.normalize(),
            rate_date: rate_date.map(str::to_string),
            decimals,
        })
    }

    pub fn is_usd(&self) -> bool {
        self.code == "USD"
    }

    /// `usd × rate`, exact unless the product needs more than 28 significant digits (then the
    /// last digits, far below the minor unit, are rounded by `Decimal`); `None` on overflow.
    pub fn convert(&self, usd: Decimal) -> Option<Decimal> {
        usd.checked_mul(self.rate)
    }

    /// A converted amount rounded to the minor unit, half away from zero.
    pub fn round(&self, amount: Decimal) -> Decimal {
        let r =
            amount.round_dp_with_strategy(self.decimals, RoundingStrategy::MidpointAwayFromZero);
        if r.is_zero() {
            Decimal::ZERO
        } else {
            r
        }
    }

    /// An already converted amount, rounded and written with thousands separators and the
    /// currency's decimals (`1,234.50`, `185,176`).
    pub fn fmt(&self, amount: Decimal) -> String {
        let r = self.round(amount);
        let s = format!("{:.*}", self.decimals as usize, r.abs());
        let (int, frac) = s
            .split_once('.')
            .map_or((s.as_str(), None), |(i, f)| (i, Some(f)));
        let sign = if r.is_sign_negative() { "-" } else { "" };
        match frac {
            Some(f) => format!("{sign}{}.{f}", group(int)),
            None => format!("{sign}{}", group(int)),
        }
    }

    /// A USD amount converted and written (`fmt(convert(usd))`); `overflow` if it cannot be.
    pub fn money(&self, usd: Decimal) -> String {
        self.convert(usd)
            .map_or_else(|| "overflow".into(), |v| self.fmt(v))
    }

    /// The unit symbol put before unit prices (`$`, `¥`), or the code and a space.
    pub fn symbol(&self) -> String {
        match self.code.as_str() {
            "USD" => "$".into(),
            "JPY" => "¥".into(),
            "EUR" => "€".into(),
            "GBP" => "£".into(),
            c => format!("{c} "),
        }
    }

    /// Round each converted value, plus the adjustment that makes the rounded lines add up to
    /// the rounded converted total (see [`crate::money::round_lines`]): the total is always
    /// the exact USD total converted, never the sum of rounded lines.
    pub fn round_lines(&self, usd: &[Decimal]) -> (Vec<Decimal>, Decimal) {
        let conv = |v: Decimal| self.convert(v).unwrap_or_default();
        let rounded: Vec<Decimal> = usd.iter().map(|v| self.round(conv(*v))).collect();
        let total = self.round(conv(usd.iter().copied().sum()));
        let adjustment = total - rounded.iter().copied().sum::<Decimal>();
        (rounded, adjustment)
    }

    /// One sentence on the conversion for every output's header: the rate, its date and the
    /// rounding rule; `None` for USD.
    pub fn note(&self) -> Option<String> {
        if self.is_usd() {
            return None;
        }
        let date = self
            .rate_date
            .as_ref()
            .map_or("rate date not stated".to_string(), |d| {
                format!("rate of {d}")
            });
        let unit = if self.decimals == 0 {
            format!("whole {}", self.code)
        } else {
            format!("{} decimals", self.decimals)
        };
        Some(format!(
            "Amounts in {code} at {rate} {code} per USD ({date}), converted from the exact USD \
             figures and rounded to {unit}, half away from zero; a Rounding row closes each \
             column to its total",
            code = self.code,
            rate = self.rate,
        ))
    }
}

/// `YYYY-MM-DD` with a real month and day (not a full calendar check: February 30 passes).
fn check_date(d: &str) -> Result<(), String> {
    let bad = || format!("rate date `{d}` is not a date YYYY-MM-DD (e.g. 2026-12-01)");
    let parts: Vec<&str> = d.split('-').collect();
    let [y, m, day] = parts.as_slice() else {
        return Err(bad());
    };
    let num = |s: &str, len: usize| {
        (s.len() == len && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    match (num(y, 4), num(m, 2), num(day, 2)) {
        (Some(_), Some(1..=12), Some(1..=31)) => Ok(()),
        _ => Err(bad()),
    }
}

fn group(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn jpy() -> DisplayCurrency {
        DisplayCurrency::new("jpy", Some(d("150")), Some("2026-12-01")).unwrap()
    }

    #[test]
    fn yen_are_whole_and_rounded_half_away_from_zero() {
        let y = jpy();
        // 1,234.567 USD x 150 = 185,185.05 JPY -> 185,185.
        assert_eq!(y.money(d("1234.567")), "185,185");
        // 0.01 USD x 150 = 1.5 JPY -> 2 (half away from zero); -0.01 -> -2.
        assert_eq!(y.money(d("0.01")), "2");
        assert_eq!(y.money(d("-0.01")), "-2");
        // 0.003 USD x 150 = 0.45 JPY -> 0, never "-0".
        assert_eq!(y.money(d("-0.003")), "0");
        assert_eq!(DisplayCurrency::usd().money(d("1451.705")), "1,451.71");
    }

    #[test]
    fn yen_lines_close_to_the_converted_total() {
        // Three lines of 0.01 USD = 1.5 JPY each round to 2 JPY (6 in all), but the total
        // 0.03 USD = 4.5 JPY rounds to 5: the adjustment is -1 JPY.
        let (r, adj) = jpy().round_lines(&[d("0.01"), d("0.01"), d("0.01")]);
        assert_eq!(r, vec![d("2"), d("2"), d("2")]);
        assert_eq!(adj, d("-1"));
    }

    #[test]
    fn a_missing_or_bad_rate_is_refused() {
        assert!(DisplayCurrency::new("JPY", None, None)
            .unwrap_err()
            .contains("needs a rate"));
        assert!(DisplayCurrency::new("JPY", Some(d("0")), None).is_err());
        assert!(DisplayCurrency::new("XYZ", Some(d("1")), None)
            .unwrap_err()
            .contains("unknown display currency"));
        assert!(DisplayCurrency::new("JPY", Some(d("150")), Some("2026-13-01")).is_err());
        assert!(DisplayCurrency::new("USD", Some(d("2")), None).is_err());
        assert!(DisplayCurrency::new("USD", None, None).unwrap().is_usd());
    }
}
