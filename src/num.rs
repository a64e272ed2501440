//! Numbers from input files.
//!
//! Float literals arrive as their literal text (see `source`), so `Decimal` fields parse them
//! exactly. These serde helpers accept integers and decimal strings, reject NaN/inf and give a
//! message naming what was expected.

use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{de, Deserialize, Deserializer};

/// Parse a decimal literal or string (`"0.0000166667"`, `1_000_000`, `1e6`).
/// The pricing boundary for simulated figures: an f64 to a `Decimal` rounded to `dp` places,
/// half to even (non-finite or out-of-range values become 0; callers validate before).
pub fn dec_from_f64(v: f64, dp: u32) -> Decimal {
    use rust_decimal::prelude::FromPrimitive;
    Decimal::from_f64(v)
        .unwrap_or_default()
        .round_dp_with_strategy(dp, rust_decimal::RoundingStrategy::MidpointNearestEven)
}

pub fn parse_decimal(s: &str) -> Result<Decimal, String> {
    let t = s.trim().replace('_', "");
    Decimal::from_str(&t)
        .or_else(|_| Decimal::from_scientific(&t))
        .map_err(|_| {
            if ["nan", "inf", "+inf", "-inf"].contains(&t.to_ascii_lowercase().as_str()) {
                format!("`{s}` is not a finite number")
            } else {
                // TOML's hex, octal and binary integers reach here only when too large for
                // an integer (a valid one is parsed by the TOML reader).
                let radix = [("0x", 16), ("0o", 8), ("0b", 2)]
                    .into_iter()
                    .find_map(|(p, r)| t.strip_prefix(p).map(|d| (d, r)))
                    .filter(|(d, r)| !d.is_empty() && d.chars().all(|c| c.is_digit(*r)));
                let parsed = match radix {
                    Some(_) => Ok(f64::INFINITY),
                    None => t.parse::<f64>(),
                };
                match parsed {
                    // A number, but not one a `Decimal` holds: tiny ones (`1e-30`, `5e-324`)
                    // need more than 28 decimal places, big ones more than 28 digits.
                    Ok(f) if f != 0.0 && f.abs() < 1.0 => format!(
                        "`{s}` has too many decimal places: at most 28 (the smallest non-zero number is 1e-28)"
                    ),
                    Ok(_) => format!("`{s}` is too large: at most 28 significant digits"),
                    Err(_) => format!("`{s}` is not a number"),
                }
            }
        })
}

struct DecVisitor;

impl de::Visitor<'_> for DecVisitor {
    type Value = Decimal;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a number (integer, decimal, or a quoted decimal string)")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Decimal, E> {
        Ok(Decimal::from(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Decimal, E> {
        Ok(Decimal::from(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Decimal, E> {
        Decimal::from_str(&v.to_string())
            .map_err(|_| E::custom(format!("`{v}` is not a finite number")))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Decimal, E> {
        parse_decimal(v).map_err(E::custom)
    }
}

/// A `Decimal` read from a number or a string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Hash)]
pub struct Dec(pub Decimal);

impl<'de> Deserialize<'de> for Dec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(DecVisitor).map(Dec)
    }
}

impl serde::Serialize for Dec {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0.normalize().to_string())
    }
}

impl From<Dec> for Decimal {
    fn from(d: Dec) -> Decimal {
        d.0
    }
}

/// A non-negative decimal (usage quantities, sizes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Hash)]
pub struct NonNeg(pub Decimal);

impl<'de> Deserialize<'de> for NonNeg {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Dec::deserialize(d)?.0;
        if v.is_sign_negative() && !v.is_zero() {
            return Err(de::Error::custom(format!("must not be negative, got {v}")));
        }
        Ok(NonNeg(v))
    }
}

/// A strictly positive decimal (memory sizes, durations, counts given as decimals).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Positive(pub Decimal);

impl<'de> Deserialize<'de> for Positive {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Dec::deserialize(d)?.0;
        if v <= Decimal::ZERO {
            return Err(de::Error::custom(format!(
                "must be greater than zero, got {v}"
            )));
        }
        Ok(Positive(v))
    }
}

/// A whole count (instances, tasks, nodes); accepts `2`, rejects negatives and fractions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Count(pub u32);

impl<'de> Deserialize<'de> for Count {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Dec::deserialize(d)?.0;
        if v.is_sign_negative() && !v.is_zero() {
            return Err(de::Error::custom(format!("must not be negative, got {v}")));
        }
        if v.fract() != Decimal::ZERO {
            return Err(de::Error::custom(format!(
                "must be a whole number, got {v}"
            )));
        }
        u32::try_from(v.mantissa() / 10i128.pow(v.scale()))
            .map(Count)
            .map_err(|_| de::Error::custom(format!("is too large: {v} (at most {})", u32::MAX)))
    }
}

impl Count {
    pub fn dec(self) -> Decimal {
        Decimal::from(self.0)
    }
}

/// A percentage 0-100.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Percent(pub Decimal);

impl<'de> Deserialize<'de> for Percent {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Dec::deserialize(d)?.0;
        if v < Decimal::ZERO || v > Decimal::ONE_HUNDRED {
            return Err(de::Error::custom(format!(
                "must be a percentage between 0 and 100, got {v}"
            )));
        }
        Ok(Percent(v))
    }
}

impl Percent {
    /// As a fraction: 30 -> 0.30.
    pub fn fraction(self) -> Decimal {
        self.0 / Decimal::ONE_HUNDRED
    }
}

/// A decimal written as a string: what [`parse_decimal`] reads (`"0.0000166667"`, `"1_000"`,
/// `"1e6"`), with an optional sign.
pub const DECIMAL_STRING: &str =
    r"^\s*[+-]?([0-9][0-9_]*(\.[0-9_]*)?|\.[0-9][0-9_]*)([eE][+-]?[0-9]+)?\s*$";
/// The same without a minus sign (zero and above; `Positive`'s "above zero" is checked by
/// costplan, not by this pattern).
pub const UNSIGNED_DECIMAL_STRING: &str =
    r"^\s*\+?([0-9][0-9_]*(\.[0-9_]*)?|\.[0-9][0-9_]*)([eE][+-]?[0-9]+)?\s*$";

/// JSON Schemas that accept what each type's `Deserialize` accepts: a number in range, or a
/// quoted decimal (bounds on quoted decimals are left to costplan).
mod schema {
    use std::borrow::Cow;

    use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};

    use super::*;

    fn number_or_string(number: serde_json::Value, pattern: &str, description: &str) -> Schema {
        json_schema!({
            "description": description,
            "anyOf": [number, { "type": "string", "pattern": pattern }]
        })
    }

    macro_rules! schema_for {
        ($ty:ty, $name:literal, $number:tt, $pattern:expr, $description:literal) => {
            impl JsonSchema for $ty {
                fn schema_name() -> Cow<'static, str> {
                    $name.into()
                }
                fn json_schema(_: &mut SchemaGenerator) -> Schema {
                    number_or_string(serde_json::json!($number), $pattern, $description)
                }
            }
        };
    }

    schema_for!(
        Dec,
        "Decimal",
        { "type": "number" },
        DECIMAL_STRING,
        "A number: an integer, a decimal, or a decimal in quotes."
    );
    schema_for!(
        NonNeg,
        "NonNegative",
        { "type": "number", "minimum": 0 },
        UNSIGNED_DECIMAL_STRING,
        "A number, zero or more (a decimal in quotes is read exactly)."
    );
    schema_for!(
        Positive,
        "Positive",
        { "type": "number", "exclusiveMinimum": 0 },
        UNSIGNED_DECIMAL_STRING,
        "A number greater than zero (a decimal in quotes is read exactly)."
    );
    schema_for!(
        Percent,
        "Percent",
        { "type": "number", "minimum": 0, "maximum": 100 },
        UNSIGNED_DECIMAL_STRING,
        "A percentage, 0-100."
    );
    schema_for!(
        Count,
        "Count",
        { "type": "integer", "minimum": 0, "maximum": u32::MAX },
        r"^\s*\+?[0-9][0-9_]*(\.0*)?\s*$",
        "A whole number, 0 to 4294967295."
    );
}

/// Decimal arithmetic on user-sized numbers overflowed (a `Decimal` holds about 7.9 × 10^28).
///
/// `Decimal`'s operators panic on overflow, and scenario numbers are unbounded (`count = 2` and
/// `storage_gb = 4e28` are both valid alone), so every product or sum of them that could
/// overflow goes through [`mul`] / [`add`] and becomes an input error naming the operands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overflow(pub String);

impl std::fmt::Display for Overflow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} is too large to compute (costplan's decimals hold at most about 7.9 × 10^28)",
            self.0
        )
    }
}

/// `a × b`, or [`Overflow`] instead of a panic.
pub fn mul(a: Decimal, b: Decimal) -> Result<Decimal, Overflow> {
    a.checked_mul(b)
        .ok_or_else(|| Overflow(format!("{} × {}", a.normalize(), b.normalize())))
}

/// `a + b`, or [`Overflow`] instead of a panic.
pub fn add(a: Decimal, b: Decimal) -> Result<Decimal, Overflow> {
    a.checked_add(b)
        .ok_or_else(|| Overflow(format!("{} + {}", a.normalize(), b.normalize())))
}

/// `a / b`, or [`Overflow`] instead of a panic (a tiny divisor; `b` is never zero here).
pub fn div(a: Decimal, b: Decimal) -> Result<Decimal, Overflow> {
    a.checked_div(b)
        .ok_or_else(|| Overflow(format!("{} / {}", a.normalize(), b.normalize())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overflow_is_an_error_naming_the_operands() {
        let e = mul(Decimal::MAX, Decimal::TWO).unwrap_err();
        assert!(e
            .to_string()
            .starts_with("79228162514264337593543950335 × 2 is too large"));
        assert!(add(Decimal::MAX, Decimal::ONE).is_err());
        assert!(div(Decimal::MAX, Decimal::new(1, 28)).is_err());
        assert_eq!(mul(Decimal::TWO, Decimal::TWO), Ok(Decimal::from(4)));
    }

    #[test]
    fn an_unparsable_number_says_which_problem_it_has() {
        // too small for 28 decimal places, not too large
        let e = parse_decimal("1e-30").unwrap_err();
        assert_eq!(
            e,
            "`1e-30` has too many decimal places: at most 28 (the smallest non-zero number is 1e-28)"
        );
        assert_eq!(parse_decimal("1e-28"), Ok(Decimal::new(1, 28)));
        assert_eq!(
            parse_decimal("1e40").unwrap_err(),
            "`1e40` is too large: at most 28 significant digits"
        );
        assert_eq!(
            parse_decimal("1e309").unwrap_err(),
            "`1e309` is too large: at most 28 significant digits"
        );
        assert_eq!(parse_decimal("12ab").unwrap_err(), "`12ab` is not a number");
        assert_eq!(
            parse_decimal("0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF").unwrap_err(),
            "`0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF` is too large: at most 28 significant digits"
        );
        assert_eq!(
            parse_decimal("nan").unwrap_err(),
            "`nan` is not a finite number"
        );
    }
}
