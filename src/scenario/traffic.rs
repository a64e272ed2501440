//! The traffic profile of a scenario (`[traffic]`) and the simulation settings
//! (`[simulation]`): what rate of requests arrives at each moment of the month.
//!
//! rate(t) = base × daily(hour) × weekly(day) × norm × growth(t) × spikes(t), where `norm`
//! makes the time-weighted mean of daily × weekly over the month's own hours exactly 1, so
//! `avg_rps` is the month's average before growth and spikes for any shape and month length. Day 0 of the month is a Monday; times are the system's local time.

use rust_decimal::Decimal;
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::Deserialize;

use crate::capacity::to_f64;
use crate::num::{Count, NonNeg, Positive};
use crate::source::{FieldError, KeyPath};

/// A daily or weekly shape: a named preset or explicit weights.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    Named(String),
    Weights(Vec<Decimal>),
}

impl<'de> Deserialize<'de> for Shape {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Shape;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a shape name (\"flat\", \"business-hours\", \"weekdays\") or a list of weights")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Shape, E> {
                Ok(Shape::Named(v.to_string()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Shape, A::Error> {
                let mut w = Vec::new();
                while let Some(x) = seq.next_element::<NonNeg>()? {
                    w.push(x.0);
                }
                Ok(Shape::Weights(w))
            }
        }
        d.deserialize_any(V)
    }
}

/// A shape's schema: "flat", one of `named`, or `n` weights.
fn shape_schema(
    generator: &mut schemars::SchemaGenerator,
    names: &[&str],
    n: usize,
    description: &str,
) -> schemars::Schema {
    let weight = generator.subschema_for::<NonNeg>();
    let mut all = vec!["flat"];
    all.extend_from_slice(names);
    schemars::json_schema!({
        "description": description,
        "anyOf": [
            { "enum": all },
            { "type": "array", "items": weight, "minItems": n, "maxItems": n }
        ]
    })
}

fn daily_shape_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
    let names: Vec<&str> = DAILY_SHAPES.iter().map(|(n, _)| *n).collect();
    shape_schema(
        generator,
        &names,
        24,
        "How traffic varies over the day: a named shape, or 24 relative weights (00:00 first).",
    )
}

fn weekly_shape_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
    let names: Vec<&str> = WEEKLY_SHAPES.iter().map(|(n, _)| *n).collect();
    shape_schema(
        generator,
        &names,
        7,
        "How traffic varies over the week: a named shape, or 7 relative weights (Monday first).",
    )
}

/// Request duration: a fixed value or a distribution.
#[derive(Debug, Clone, PartialEq)]
pub enum DurationSpec {
    Fixed(Decimal),
    Dist(RawDist),
}

impl schemars::JsonSchema for DurationSpec {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Duration".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let fixed = generator.subschema_for::<Positive>();
        let dist = generator.subschema_for::<RawDist>();
        schemars::json_schema!({
            "description": "Milliseconds per request: a fixed number, or a distribution `{ mean, p95, distribution }`.",
            "anyOf": [fixed, dist]
        })
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawDist {
    pub mean: Positive,
    #[serde(default)]
    pub p95: Option<Positive>,
    /// "lognormal" (default when p95 is given) or "exponential".
    #[serde(default)]
    #[schemars(extend("enum" = ["lognormal", "exponential", "fixed"]))]
    pub distribution: Option<String>,
}

impl<'de> Deserialize<'de> for DurationSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = toml::Value::deserialize(d)?;
        match v {
            toml::Value::Table(_) => RawDist::deserialize(v)
                .map(DurationSpec::Dist)
                .map_err(de::Error::custom),
            other => Positive::deserialize(other)
                .map(|p| DurationSpec::Fixed(p.0))
                .map_err(de::Error::custom),
        }
    }
}

#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawSpike {
    /// Day of the month, 1-31.
    pub day: Count,
    /// Start, "HH:MM".
    pub at: String,
    pub minutes: Positive,
    pub multiplier: Positive,
}

/// `[traffic]` as written.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawTraffic {
    #[serde(default)]
    pub avg_rps: Option<NonNeg>,
    #[serde(default)]
    pub monthly_active_users: Option<NonNeg>,
    #[serde(default)]
    pub requests_per_user_per_day: Option<NonNeg>,
    #[serde(default)]
    #[schemars(schema_with = "daily_shape_schema")]
    pub daily_shape: Option<Shape>,
    #[serde(default)]
    #[schemars(schema_with = "weekly_shape_schema")]
    pub weekly_shape: Option<Shape>,
    #[serde(default)]
    pub peak_multiplier: Option<Positive>,
    #[serde(default)]
    pub spikes: Vec<RawSpike>,
    #[serde(default)]
    pub monthly_growth_percent: Option<crate::num::Dec>,
    pub duration_ms: DurationSpec,
    #[serde(default)]
    pub request_bytes: Option<NonNeg>,
    #[serde(default)]
    pub response_bytes: Option<NonNeg>,
    #[serde(default)]
    pub nat_bytes_per_request: Option<NonNeg>,
}

/// `[simulation]` as written.
#[derive(Debug, Clone, Deserialize, Default, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawSimulation {
    #[serde(default)]
    pub step_seconds: Option<Count>,
    #[serde(default)]
    pub seed: Option<u64>,
    /// Regional Lambda concurrency quota (default 1,000).
    #[serde(default)]
    pub account_concurrency: Option<Count>,
}

/// The highest request rate simulated, requests/s (see `TrafficProfile::from_raw`).
pub const MAX_RPS: f64 = 1e9;
/// The longest mean request duration, ms (a day).
pub const MAX_DURATION_MS: f64 = 86_400_000.0;
/// The most bytes per request (a terabyte).
pub const MAX_BYTES_PER_REQUEST: f64 = 1e12;

/// The seed used when neither the scenario nor `--seed` gives one.
pub const DEFAULT_SEED: u64 = 20_251_209;

/// Simulation settings after defaults.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SimSettings {
    pub step_seconds: u32,
    pub seed: u64,
    pub account_concurrency: u32,
}

impl SimSettings {
    pub fn from_raw(raw: &RawSimulation) -> Result<SimSettings, FieldError> {
        let step = raw.step_seconds.map_or(60, |c| c.0);
        if step == 0 || step > 60 || 60 % step != 0 {
            return Err(FieldError::new(
                "step_seconds",
                format!("step_seconds must divide a minute (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30 or 60), got {step}"),
            ));
        }
        // A regional quota of 0 would throttle every request and price Lambda at $0.
        if raw.account_concurrency.is_some_and(|c| c.0 == 0) {
            return Err(FieldError::new(
                "account_concurrency",
                "account_concurrency must be at least 1 (the default regional quota is 1000)",
            ));
        }
        Ok(SimSettings {
            step_seconds: step,
            seed: raw.seed.unwrap_or(DEFAULT_SEED),
            account_concurrency: raw.account_concurrency.map_or(1000, |c| c.0),
        })
    }
}

/// How request durations are distributed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Duration {
    Fixed {
        ms: f64,
    },
    /// ln(d) ~ Normal(mu, sigma²), fitted to a mean and a p95.
    LogNormal {
        mean_ms: f64,
        mu: f64,
        sigma: f64,
    },
    Exponential {
        mean_ms: f64,
    },
}

impl Duration {
    pub fn mean_ms(&self) -> f64 {
        match *self {
            Duration::Fixed { ms } => ms,
            Duration::LogNormal { mean_ms, .. } | Duration::Exponential { mean_ms } => mean_ms,
        }
    }
}

/// z for the 95th percentile.
const Z95: f64 = 1.644_853_626_951_472_2;

fn duration(spec: &DurationSpec) -> Result<Duration, String> {
    let dist = match spec {
        DurationSpec::Fixed(ms) => return Ok(Duration::Fixed { ms: to_f64(*ms) }),
        DurationSpec::Dist(d) => d,
    };
    let mean = to_f64(dist.mean.0);
    let kind = dist
        .distribution
        .as_deref()
        .unwrap_or(if dist.p95.is_some() {
            "lognormal"
        } else {
            "fixed"
        });
    match kind {
        "fixed" if dist.p95.is_some() => {
            Err("a fixed duration has no spread: remove `p95`, or use `distribution = \"lognormal\"`".into())
        }
        "fixed" => Ok(Duration::Fixed { ms: mean }),
        "exponential" => {
            if dist.p95.is_some() {
                return Err("an exponential duration is set by its mean alone (its p95 is 3.0 × the mean); remove `p95`".into());
            }
            Ok(Duration::Exponential { mean_ms: mean })
        }
        "lognormal" => {
            let Some(p95) = dist.p95 else {
                return Err("a lognormal duration needs `p95` as well as `mean`".into());
            };
            let p95 = to_f64(p95.0);
            // mean = e^(mu + s²/2), p95 = e^(mu + z s)  =>  s²/2 − z s + ln(p95/mean) = 0.
            let r = (p95 / mean).ln();
            if r <= 0.0 {
                return Err(format!(
                    "p95 ({p95} ms) must be above the mean ({mean} ms) for a lognormal duration"
                ));
            }
            let disc = Z95 * Z95 - 2.0 * r;
            if disc < 0.0 {
                return Err(format!(
                    "no lognormal has mean {mean} ms and p95 {p95} ms: p95 can be at most {:.2} × the mean",
                    (Z95 * Z95 / 2.0).exp()
                ));
            }
            let sigma = Z95 - disc.sqrt();
            let mu = mean.ln() - sigma * sigma / 2.0;
            Ok(Duration::LogNormal {
                mean_ms: mean,
                mu,
                sigma,
            })
        }
        other => Err(format!(
            "unknown duration distribution `{other}`; use \"lognormal\", \"exponential\" or \"fixed\""
        )),
    }
}

/// A spike: a multiplier over a window of the month.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spike {
    pub start_s: f64,
    pub end_s: f64,
    pub multiplier: f64,
}

/// A validated traffic profile.
#[derive(Debug, Clone, PartialEq)]
pub struct TrafficProfile {
    /// Average requests/s before growth and spikes.
    pub avg_rps: f64,
    /// Requests/s per monthly active user, when the profile is stated in users.
    pub rps_per_user: Option<f64>,
    pub daily: [f64; 24],
    pub weekly: [f64; 7],
    pub spikes: Vec<Spike>,
    /// Monthly growth as a fraction (0.10 = 10 %).
    pub growth: f64,
    pub duration: Duration,
    pub request_bytes: f64,
    pub response_bytes: f64,
    pub nat_bytes_per_request: f64,
}

/// Business hours: quiet at night, a morning ramp, full 09-18, an evening tail.
const BUSINESS_HOURS: [f64; 24] = [
    0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.3, 0.5, 0.8, 1.6, 1.8, 1.8, 1.6, 1.8, 1.8, 1.8, 1.6, 1.4, 1.0,
    0.7, 0.6, 0.5, 0.4, 0.3,
];
/// Weekdays busy, weekends at a third.
const WEEKDAYS: [f64; 7] = [1.0, 1.0, 1.0, 1.0, 1.0, 0.35, 0.35];

/// The named shapes besides "flat" (also listed in the schema).
const DAILY_SHAPES: &[(&str, [f64; 24])] = &[("business-hours", BUSINESS_HOURS)];
const WEEKLY_SHAPES: &[(&str, [f64; 7])] = &[("weekdays", WEEKDAYS)];

fn normalised<const N: usize>(w: [f64; N]) -> [f64; N] {
    let mean = w.iter().sum::<f64>() / N as f64;
    if mean <= 0.0 {
        return [1.0; N];
    }
    w.map(|x| x / mean)
}

fn shape<const N: usize>(
    s: Option<&Shape>,
    named: &[(&str, [f64; N])],
) -> Result<[f64; N], String> {
    match s {
        None => Ok([1.0; N]),
        Some(Shape::Named(n)) if n == "flat" => Ok([1.0; N]),
        Some(Shape::Named(n)) => named
            .iter()
            .find(|(name, _)| name == n)
            .map(|(_, w)| normalised(*w))
            .ok_or_else(|| {
                let mut names = vec!["flat"];
                names.extend(named.iter().map(|(n, _)| *n));
                format!(
                    "unknown shape `{n}`; use one of {} or a list of {N} weights",
                    names.join(", ")
                )
            }),
        Some(Shape::Weights(w)) => {
            if w.len() != N {
                return Err(format!("a shape here needs {N} weights, got {}", w.len()));
            }
            let mut out = [0.0; N];
            for (o, x) in out.iter_mut().zip(w) {
                *o = to_f64(*x);
            }
            if out.iter().all(|x| *x == 0.0) {
                return Err("the weights are all zero".into());
            }
            Ok(normalised(out))
        }
    }
}

/// A rate in a message: `12.5` or `1.000e27`.
fn rate_text(v: f64) -> String {
    if v < 1e6 {
        crate::money::fmt_float(v, 3)
    } else {
        format!("{v:.3e}")
    }
}

/// Parse "HH:MM" into seconds after midnight.
fn clock(s: &str) -> Option<f64> {
    let (h, m) = s.split_once(':')?;
    let (h, m): (u32, u32) = (h.trim().parse().ok()?, m.trim().parse().ok()?);
    (h < 24 && m < 60).then_some(f64::from(h * 3600 + m * 60))
}

/// The largest product of multipliers of spikes that are active at one moment, with the spike
/// whose start begins it; `None` without spikes.
fn busiest_spikes(spikes: &[Spike]) -> Option<(usize, f64)> {
    spikes
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let at = s.start_s;
            let product: f64 = spikes
                .iter()
                .filter(|o| o.start_s <= at && at < o.end_s)
                .map(|o| o.multiplier.max(1.0))
                .product();
            (i, product)
        })
        // The first of equal products: the earliest spike of the set is named.
        .fold(None, |best: Option<(usize, f64)>, x| match best {
            Some(b) if b.1.total_cmp(&x.1).is_ge() => Some(b),
            _ => Some(x),
        })
}

/// The shape weight (daily × weekly) of each hour of a month of `month_hours`, with the
/// fraction of the hour that falls inside the month (below 1 only for a last partial hour).
fn month_weights<'a>(
    daily: &'a [f64; 24],
    weekly: &'a [f64; 7],
    month_hours: f64,
) -> impl Iterator<Item = (f64, f64)> + 'a {
    let hours = month_hours.ceil() as usize;
    (0..hours).map(move |h| {
        let inside = (month_hours - h as f64).min(1.0);
        (daily[h % 24] * weekly[(h / 24) % 7], inside)
    })
}

/// The factor that makes the month's time-weighted mean of daily × weekly exactly 1: a month
/// is not a whole number of weeks (730 h is 30 days 10 h), so shapes normalised per day and
/// per week alone leave the month's average off `avg_rps` (101.81 for 100 with "weekdays").
fn month_norm(daily: &[f64; 24], weekly: &[f64; 7], month_hours: f64) -> f64 {
    let (weighted, time) = month_weights(daily, weekly, month_hours)
        .fold((0.0, 0.0), |(w, t), (x, f)| (w + x * f, t + f));
    if weighted > 0.0 {
        time / weighted
    } else {
        1.0
    }
}

/// The busiest hour of the month over the month's average, for these shapes.
fn peak_ratio(daily: &[f64; 24], weekly: &[f64; 7], month_hours: f64) -> f64 {
    let max = month_weights(daily, weekly, month_hours)
        .filter(|(_, f)| *f > 0.0)
        .map(|(x, _)| x)
        .fold(0.0, f64::max);
    max * month_norm(daily, weekly, month_hours)
}

/// Sharpen (or soften) the daily shape as w^k, renormalised, with k chosen so the busiest hour
/// of the month (daily × weekly) is `p` × the month's average: stays positive and keeps the
/// hours' order.
fn calibrate_peak(
    daily: [f64; 24],
    weekly: &[f64; 7],
    p: f64,
    month_hours: f64,
) -> Result<[f64; 24], FieldError> {
    let err = |m: String| FieldError::new("peak_multiplier", m);
    let max = daily.iter().cloned().fold(0.0, f64::max);
    if p < 1.0 {
        return Err(err(format!(
            "the peak hour cannot be below the average: peak_multiplier must be at least 1, got {p}"
        )));
    }
    if max <= 1.0 + 1e-12 {
        return Err(err(
            "peak_multiplier reshapes the daily shape, but the daily shape is flat; set `daily_shape` (\"business-hours\" or 24 weights)".into(),
        ));
    }
    let ratio = |k: f64| peak_ratio(&normalised(daily.map(|x| x.powf(k))), weekly, month_hours);
    // As k grows only the busiest daily hours keep weight: the ratio approaches this bound.
    let top = daily.map(|x| if x >= max - 1e-12 { 1.0 } else { 0.0 });
    let limit = peak_ratio(&top, weekly, month_hours);
    if p >= limit - 1e-9 {
        let hours_at_max = top.iter().filter(|x| **x > 0.0).count();
        return Err(err(format!(
            "with this daily shape the busiest hour can be at most {limit:.2} × the month's average (its {hours_at_max} busiest hours share the peak); got {p}"
        )));
    }
    let (mut lo, mut hi) = (0.0, 1.0);
    while ratio(hi) < p {
        hi *= 2.0;
    }
    for _ in 0..100 {
        let mid = (lo + hi) / 2.0;
        if ratio(mid) < p {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Ok(normalised(daily.map(|x| x.powf(hi))))
}

impl TrafficProfile {
    /// Validate `[traffic]`.
    /// Validate `[traffic]` for a month of `month_hours` (the shapes are normalised over it).
    pub fn from_raw(raw: &RawTraffic, month_hours: f64) -> Result<TrafficProfile, FieldError> {
        let err = |k: &str, m: String| FieldError::new(k, m);
        let (avg_rps, rps_per_user) = match (
            raw.avg_rps,
            raw.monthly_active_users,
            raw.requests_per_user_per_day,
        ) {
            // Users can still be reported when requests per user are known.
            (Some(r), None, _) => (
                to_f64(r.0),
                raw.requests_per_user_per_day
                    .map(|d| to_f64(d.0) / 86_400.0)
                    .filter(|per| *per > 0.0),
            ),
            (None, Some(mau), Some(per_day)) => {
                let per_user = to_f64(per_day.0) / 86_400.0;
                (to_f64(mau.0) * per_user, Some(per_user))
            }
            (Some(_), Some(_), _) => {
                return Err(err(
                    "avg_rps",
                    "give `avg_rps` or `monthly_active_users` with `requests_per_user_per_day`, not both".into(),
                ))
            }
            (None, Some(_), None) => {
                return Err(err(
                    "monthly_active_users",
                    "`monthly_active_users` needs `requests_per_user_per_day`".into(),
                ))
            }
            (None, None, _) => {
                return Err(err(
                    "avg_rps",
                    "the traffic profile needs `avg_rps`, or `monthly_active_users` with `requests_per_user_per_day`".into(),
                ))
            }
        };
        let mut daily =
            shape(raw.daily_shape.as_ref(), DAILY_SHAPES).map_err(|m| err("daily_shape", m))?;
        let weekly =
            shape(raw.weekly_shape.as_ref(), WEEKLY_SHAPES).map_err(|m| err("weekly_shape", m))?;
        if let Some(p) = raw.peak_multiplier {
            daily = calibrate_peak(daily, &weekly, to_f64(p.0), month_hours)?;
        }
        let mut spikes = Vec::new();
        for (i, s) in raw.spikes.iter().enumerate() {
            let key = KeyPath::root().key("spikes").index(i);
            if s.day.0 == 0 || s.day.0 > 31 {
                return Err(FieldError::at(
                    key,
                    format!("spike day must be 1-31, got {}", s.day.0),
                ));
            }
            let Some(at) = clock(&s.at) else {
                return Err(FieldError::at(
                    key,
                    format!("spike `at` must be \"HH:MM\", got `{}`", s.at),
                ));
            };
            let start = f64::from(s.day.0 - 1) * 86_400.0 + at;
            spikes.push(Spike {
                start_s: start,
                end_s: start + to_f64(s.minutes.0) * 60.0,
                multiplier: to_f64(s.multiplier.0),
            });
        }
        let growth = raw
            .monthly_growth_percent
            .map_or(0.0, |g| to_f64(g.0) / 100.0);
        if growth <= -1.0 {
            return Err(err(
                "monthly_growth_percent",
                "monthly_growth_percent must be above -100".into(),
            ));
        }
        let duration = duration(&raw.duration_ms).map_err(|m| err("duration_ms", m))?;
        let bytes = |v: Option<NonNeg>| v.map_or(0.0, |b| to_f64(b.0));
        // Upper bounds, so the simulated month (and the ladder's 1024x search above it) stays
        // inside what a Decimal can price: derived quantities out of its range became 0
        // silently (a $0 line). Each bound is far beyond any real system.
        if duration.mean_ms() > MAX_DURATION_MS {
            return Err(err(
                "duration_ms",
                format!(
                    "the mean request duration must be at most {MAX_DURATION_MS} ms (a day), got {}",
                    duration.mean_ms()
                ),
            ));
        }
        for (key, v) in [
            ("request_bytes", raw.request_bytes),
            ("response_bytes", raw.response_bytes),
            ("nat_bytes_per_request", raw.nat_bytes_per_request),
        ] {
            if bytes(v) > MAX_BYTES_PER_REQUEST {
                return Err(err(
                    key,
                    format!(
                        "{key} must be at most 10^12 (a terabyte per request), got {}",
                        bytes(v)
                    ),
                ));
            }
        }
        // The busiest moment: average x busiest hour x busiest day x a month's growth x every
        // spike at once (an upper bound). Blamed on the largest factor.
        let root = KeyPath::root();
        let avg_key = if raw.avg_rps.is_some() {
            "avg_rps"
        } else {
            "monthly_active_users"
        };
        let mut factors = vec![
            (root.key(avg_key), avg_rps),
            (
                root.key("daily_shape"),
                daily.iter().cloned().fold(0.0, f64::max),
            ),
            (
                root.key("weekly_shape"),
                weekly.iter().cloned().fold(0.0, f64::max),
            ),
            (root.key("monthly_growth_percent"), (1.0 + growth).max(1.0)),
        ];
        // Spikes multiply only where they overlap: the busiest moment is the largest product
        // of spikes active at once (checked at each spike's start, where such a set begins).
        if let Some((i, product)) = busiest_spikes(&spikes) {
            factors.push((root.key("spikes").index(i), product));
        }
        let peak: f64 = factors.iter().map(|f| f.1).product();
        if peak.is_nan() || peak > MAX_RPS {
            let blame = factors
                .iter()
                .max_by(|a, b| a.1.total_cmp(&b.1))
                .map_or(root.key("avg_rps"), |f| f.0.clone());
            return Err(FieldError::at(
                blame,
                format!(
                    "the traffic would peak at about {} requests/s (average {} x busiest hour x busiest day x growth x spikes); costplan simulates at most 10^9 requests/s",
                    rate_text(peak),
                    rate_text(avg_rps)
                ),
            ));
        }
        Ok(TrafficProfile {
            avg_rps,
            rps_per_user,
            daily,
            weekly,
            spikes,
            growth,
            duration,
            request_bytes: bytes(raw.request_bytes),
            response_bytes: bytes(raw.response_bytes),
            nat_bytes_per_request: bytes(raw.nat_bytes_per_request),
        })
    }

    /// Requests/s at `t` seconds into the month of `month_s` seconds, at traffic `scale`.
    pub fn rate(&self, t: f64, month_s: f64, scale: f64) -> f64 {
        let norm = month_norm(&self.daily, &self.weekly, month_s / 3600.0);
        self.base_rate(t, month_s, scale * norm) * self.spike_factor(t)
    }

    /// The rate at `t` without spikes: constant within an hour.
    fn base_rate(&self, t: f64, month_s: f64, scale: f64) -> f64 {
        let day = (t / 86_400.0) as usize;
        let hour = ((t % 86_400.0) / 3600.0) as usize;
        let mut r = self.avg_rps * scale * self.daily[hour.min(23)] * self.weekly[day % 7];
        if self.growth != 0.0 {
            // Growth is applied per hour (at the hour's midpoint), so the rate is constant
            // within an hour outside spikes; the simulator's Poisson tables rely on that.
            let mid = (t / 3600.0).floor() * 3600.0 + 1800.0;
            r *= (1.0 + self.growth).powf(mid / month_s);
        }
        r
    }

    /// The rate of each hour of the month without spikes; without growth their time-weighted
    /// mean is exactly `avg_rps` × `scale`.
    pub fn hourly_rates(&self, month_s: f64, scale: f64) -> Vec<f64> {
        let hours = (month_s / 3600.0).ceil() as usize;
        let scale = scale * month_norm(&self.daily, &self.weekly, month_s / 3600.0);
        (0..hours)
            .map(|h| self.base_rate(h as f64 * 3600.0 + 1800.0, month_s, scale))
            .collect()
    }

    /// The spike multiplier at `t` (1 outside spikes).
    pub fn spike_factor(&self, t: f64) -> f64 {
        self.spikes
            .iter()
            .filter(|s| t >= s.start_s && t < s.end_s)
            .map(|s| s.multiplier)
            .product()
    }

    /// Monthly active users at traffic `scale`, where the profile is stated in users.
    pub fn mau_at(&self, scale: f64) -> Option<f64> {
        self.rps_per_user.map(|per| self.avg_rps * scale / per)
    }
}

/// A scenario's traffic: the profile and the simulation settings.
#[derive(Debug, Clone, PartialEq)]
pub struct Traffic {
    pub profile: TrafficProfile,
    pub settings: SimSettings,
}

impl Traffic {
    /// The traffic a phase with `share` of the scenario's requests sees (users scale with it).
    pub fn shared(&self, share: f64) -> Traffic {
        let mut t = self.clone();
        t.profile.avg_rps *= share;
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    impl TrafficProfile {
        fn from_raw_730(raw: &RawTraffic) -> Result<TrafficProfile, FieldError> {
            TrafficProfile::from_raw(raw, 730.0)
        }
    }

    /// The time-weighted mean rate of a month of `hours`, from the simulator's hourly rates.
    fn month_mean(p: &TrafficProfile, hours: f64) -> f64 {
        let rates = p.hourly_rates(hours * 3600.0, 1.0);
        let total: f64 = rates
            .iter()
            .enumerate()
            .map(|(h, r)| r * (hours - h as f64).min(1.0))
            .sum();
        total / hours
    }

    #[test]
    fn avg_rps_is_the_months_exact_average_for_every_shape_and_length() {
        // 730 h = 30 days 10 h: 4 weeks + Mon, Tue (weekdays) + 10 h of Wednesday, so a
        // week-normalised "weekdays" shape alone would average 101.81 for 100.
        for shapes in [
            "weekly_shape = \"weekdays\"",
            "daily_shape = \"business-hours\"\nweekly_shape = \"weekdays\"",
            "daily_shape = \"business-hours\"\nweekly_shape = \"weekdays\"\npeak_multiplier = 3",
            "daily_shape = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]",
        ] {
            for hours in [672.0, 720.0, 730.0, 730.5, 744.0] {
                let raw: RawTraffic =
                    toml::from_str(&format!("avg_rps = 100\nduration_ms = 100\n{shapes}")).unwrap();
                let p = TrafficProfile::from_raw(&raw, hours).unwrap();
                let mean = month_mean(&p, hours);
                assert!((mean - 100.0).abs() < 1e-9, "{shapes} over {hours} h: {mean}");
            }
        }
    }

    #[test]
    fn peak_multiplier_is_the_busiest_hour_over_the_months_average() {
        // The README's meaning: with a weekly shape as well, the busiest hour of the month is
        // 3 × the average (it was 3 × 1.228 = 3.68 when only the daily shape was calibrated).
        let p = TrafficProfile::from_raw_730(&raw(
            "daily_shape = \"business-hours\"\nweekly_shape = \"weekdays\"\npeak_multiplier = 3",
        ))
        .unwrap();
        let rates = p.hourly_rates(730.0 * 3600.0, 1.0);
        let busiest = rates.iter().cloned().fold(0.0, f64::max);
        assert!((busiest / 10.0 - 3.0).abs() < 1e-9, "{busiest}");
    }

    fn raw(extra: &str) -> RawTraffic {
        let text = format!("avg_rps = 10\nduration_ms = 100\n{extra}");
        toml::from_str(&text).unwrap()
    }

    #[test]
    fn shapes_are_normalised_to_a_mean_of_one() {
        let p = TrafficProfile::from_raw_730(&raw(
            "daily_shape = \"business-hours\"\nweekly_shape = \"weekdays\"",
        ))
        .unwrap();
        assert!((p.daily.iter().sum::<f64>() / 24.0 - 1.0).abs() < 1e-12);
        assert!((p.weekly.iter().sum::<f64>() / 7.0 - 1.0).abs() < 1e-12);
    }

    #[test]
    fn peak_multiplier_sets_the_busiest_hour() {
        let p = TrafficProfile::from_raw_730(&raw(
            "daily_shape = \"business-hours\"\npeak_multiplier = 2.5",
        ))
        .unwrap();
        let busiest = p
            .hourly_rates(730.0 * 3600.0, 1.0)
            .into_iter()
            .fold(0.0, f64::max);
        assert!((busiest / 10.0 - 2.5).abs() < 1e-9, "{busiest}");
        let e = TrafficProfile::from_raw_730(&raw("peak_multiplier = 2")).unwrap_err();
        assert!(e.message.contains("flat"), "{e:?}");
    }

    #[test]
    fn lognormal_fit_reproduces_mean_and_p95() {
        let d = duration(&DurationSpec::Dist(RawDist {
            mean: Positive(Decimal::from(200)),
            p95: Some(Positive(Decimal::from(600))),
            distribution: None,
        }))
        .unwrap();
        let Duration::LogNormal { mu, sigma, .. } = d else {
            panic!()
        };
        assert!(((mu + sigma * sigma / 2.0).exp() - 200.0).abs() < 1e-9);
        assert!((d.quantile_ms(0.95) - 600.0).abs() < 1e-4);
    }

    #[test]
    fn users_and_spikes() {
        let t: RawTraffic = toml::from_str(
            "monthly_active_users = 1000\nrequests_per_user_per_day = 86.4\nduration_ms = 100\n[[spikes]]\nday = 2\nat = \"12:00\"\nminutes = 30\nmultiplier = 5",
        )
        .unwrap();
        let p = TrafficProfile::from_raw_730(&t).unwrap();
        // 1000 users x 86.4 requests/day / 86,400 s = 1 req/s.
        assert!((p.avg_rps - 1.0).abs() < 1e-12);
        assert!((p.mau_at(3.0).unwrap() - 3000.0).abs() < 1e-9);
        let noon_day2 = 86_400.0 + 12.0 * 3600.0 + 60.0;
        assert!((p.rate(noon_day2, 2_628_000.0, 1.0) - 5.0).abs() < 1e-12);
        assert!((p.rate(noon_day2 + 3600.0, 2_628_000.0, 1.0) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn only_overlapping_spikes_multiply_in_the_peak_check() {
        // Thirty daily 2x spikes that never overlap peak at 2 x 1 req/s, not 2^30.
        let daily: String = (1..=30)
            .map(|d| {
                format!("[[spikes]]\nday = {d}\nat = \"12:00\"\nminutes = 30\nmultiplier = 2\n")
            })
            .collect();
        let t: RawTraffic =
            toml::from_str(&format!("avg_rps = 1\nduration_ms = 100\n{daily}")).unwrap();
        assert!(TrafficProfile::from_raw_730(&t).is_ok());
        // Overlapping ones do multiply: 40 spikes of 2x at once on 1,000 req/s is 10^15.
        let stacked: String = (0..40)
            .map(|_| {
                "[[spikes]]\nday = 3\nat = \"09:00\"\nminutes = 10\nmultiplier = 2\n".to_string()
            })
            .collect();
        let t: RawTraffic =
            toml::from_str(&format!("avg_rps = 1000\nduration_ms = 100\n{stacked}")).unwrap();
        let e = TrafficProfile::from_raw_730(&t).unwrap_err();
        assert!(e.message.contains("would peak"), "{e:?}");
        assert_eq!(e.path, KeyPath::root().key("spikes").index(0));
    }
}
