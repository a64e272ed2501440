//! Schedules for resources that do not run all month: `"always"`, `"weekdays 09-19"`,
//! `"daily 08-20"`, `"weekends"`, or a number of hours per month (`"200h"`).
//!
//! A weekly schedule runs `active hours per week / 168` of the scenario's month (730 h by
//! default), so "weekdays 09-19" is 50/168 x 730 = 217.26 h. This is the average month; a real
//! calendar month has 20-23 weekdays.

use rust_decimal::Decimal;
use serde::{de, Deserialize, Deserializer};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Schedule {
    /// Days of the week (Monday first) and the hours of each, `from..to`.
    Weekly { days: [bool; 7], from: u32, to: u32 },
    /// Fixed hours per month.
    Hours(Decimal),
}

/// The hours of a week a schedule is on, Monday 00:00-01:00 first.
pub type Week = [bool; 168];

impl Schedule {
    pub fn parse(s: &str) -> Result<Schedule, String> {
        let t = s.trim().to_ascii_lowercase();
        if t == "always" {
            return Ok(Schedule::ALWAYS);
        }
        if let Some(h) = t.strip_suffix('h') {
            return crate::num::parse_decimal(h.trim())
                .ok()
                .filter(|v| *v >= Decimal::ZERO)
                .map(Schedule::Hours)
                .ok_or_else(|| {
                    format!("`{s}`: hours must be a non-negative number like \"200h\"")
                });
        }
        let (days, window) = t
            .split_once(' ')
            .map_or((t.as_str(), None), |(d, w)| (d, Some(w.trim())));
        let days = match days {
            "daily" => [true; 7],
            "weekdays" => [true, true, true, true, true, false, false],
            "weekends" => [false, false, false, false, false, true, true],
            _ => return Err(format!("unknown schedule `{s}`: expected \"always\", \"weekdays 09-19\", \"daily 08-20\", \"weekends\" or \"200h\"")),
        };
        let (from, to) = match window {
            None => (0, 24),
            Some(w) => {
                let (a, b) = w
                    .split_once('-')
                    .ok_or_else(|| format!("`{s}`: time window must look like 09-19"))?;
                let (a, b): (u32, u32) = (
                    a.trim()
                        .parse()
                        .map_err(|_| format!("`{s}`: `{a}` is not an hour"))?,
                    b.trim()
                        .parse()
                        .map_err(|_| format!("`{s}`: `{b}` is not an hour"))?,
                );
                if a >= b || b > 24 {
                    return Err(format!(
                        "`{s}`: the window must start before it ends, within 00-24"
                    ));
                }
                (a, b)
            }
        };
        Ok(Schedule::Weekly { days, from, to })
    }

    const ALWAYS: Schedule = Schedule::Weekly {
        days: [true; 7],
        from: 0,
        to: 24,
    };

    pub fn monthly_hours(&self, hours_per_month: Decimal) -> Decimal {
        match self {
            Schedule::Weekly { days, from, to } => {
                let per_week = days.iter().filter(|d| **d).count() as u32 * (to - from);
                hours_per_month * Decimal::from(per_week) / Decimal::from(168)
            }
            Schedule::Hours(h) => *h,
        }
    }

    /// The hours of the week it is on; `None` when it runs all the time, or for a number of
    /// hours a month (which says how long but not when).
    pub fn week(&self) -> Option<Week> {
        match *self {
            Schedule::Weekly { days, from, to } if *self != Schedule::ALWAYS => {
                Some(std::array::from_fn(|h| {
                    let hour = (h % 24) as u32;
                    days[h / 24] && hour >= from && hour < to
                }))
            }
            _ => None,
        }
    }

    /// The hours of the week it is on, `"always"` included; `None` for a number of hours.
    pub fn every_hour(&self) -> Option<Week> {
        match *self {
            Schedule::ALWAYS => Some([true; 168]),
            _ => self.week(),
        }
    }
}

impl<'de> Deserialize<'de> for Schedule {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Schedule::parse(&s).map_err(de::Error::custom)
    }
}

/// Any letter case, as [`Schedule::parse`] lower-cases: `always` -> `[aA][lL]...`.
fn any_case(word: &str) -> String {
    word.chars()
        .map(|c| format!("[{c}{}]", c.to_ascii_uppercase()))
        .collect()
}

impl schemars::JsonSchema for Schedule {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Schedule".into()
    }

    /// The forms [`Schedule::parse`] reads; that the window starts before it ends, within
    /// 00-24, is left to costplan.
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let days = ["daily", "weekdays", "weekends"].map(any_case).join("|");
        let number = crate::num::UNSIGNED_DECIMAL_STRING
            .trim_start_matches(r"^\s*")
            .trim_end_matches(r"\s*$");
        let pattern = format!(
            r"^\s*({always}|({days})( \s*\+?[0-9]+\s*-\s*\+?[0-9]+)?|{number}\s*[hH])\s*$",
            always = any_case("always")
        );
        schemars::json_schema!({
            "description": "When it runs: \"always\", \"weekdays 09-19\", \"daily 08-20\", \"weekends\", or hours a month (\"200h\").",
            "type": "string",
            "pattern": pattern,
            "examples": ["always", "weekdays 09-19", "daily 08-20", "weekends", "200h"]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekday_business_hours() {
        // 5 days x 10 h = 50 h/week; 730 x 50 / 168 = 217.2619...
        let h = Schedule::parse("weekdays 09-19")
            .unwrap()
            .monthly_hours(Decimal::from(730));
        assert_eq!(h.round_dp(4), "217.2619".parse().unwrap());
        assert_eq!(
            Schedule::parse("always")
                .unwrap()
                .monthly_hours(Decimal::from(730)),
            Decimal::from(730)
        );
    }

    #[test]
    fn a_weekly_schedule_knows_its_hours_of_the_week() {
        let w = Schedule::parse("weekdays 09-19").unwrap().week().unwrap();
        // Monday 09:00-10:00 on, Monday 19:00 off, Saturday noon off, Friday 18:00 on.
        assert!(w[9] && !w[19] && !w[5 * 24 + 12] && w[4 * 24 + 18]);
        assert_eq!(w.iter().filter(|h| **h).count(), 50);
        assert_eq!(Schedule::parse("always").unwrap().week(), None);
        assert_eq!(Schedule::parse("200h").unwrap().week(), None);
    }

    #[test]
    fn rejects_bad_windows() {
        assert!(Schedule::parse("weekdays 19-09").is_err());
        assert!(Schedule::parse("sometimes").is_err());
    }
}
