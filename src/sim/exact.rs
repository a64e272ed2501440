//! An exact event-driven simulation of requests under a concurrency cap, for checking the
//! per-step engine against: Poisson arrivals one by one, each request's own duration (fixed,
//! exponential or lognormal), departures one by one, and a request that finds `cap` requests in
//! flight rejected (a loss system, M/G/c/c; without a cap, M/G/∞). Slow by design: every
//! arrival is an event. Used by tests, and by the accuracy table in `tests/it/exact.rs`.
//!
//! What it measures is what CloudWatch would show for Lambda's `ConcurrentExecutions` at a
//! 1-minute period: each minute's maximum of the requests in flight; plus the time-average in
//! flight (the carried load) and the share of requests rejected.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;

use super::poisson::normal_quantile;
use crate::scenario::traffic::Duration;

/// The outcome of an exact simulation.
#[derive(Debug, Clone, PartialEq)]
pub struct Exact {
    pub arrivals: u64,
    /// Rejected by the cap.
    pub rejected: u64,
    /// ∫ requests in flight dt over the run, request-seconds.
    pub busy_seconds: f64,
    pub seconds: f64,
    /// Each minute's largest number of requests in flight.
    pub minute_peaks: Vec<u32>,
}

impl Exact {
    /// Time-average requests in flight (the carried load).
    pub fn mean_in_flight(&self) -> f64 {
        self.busy_seconds / self.seconds
    }

    /// Share of arrivals rejected.
    pub fn rejected_share(&self) -> f64 {
        if self.arrivals == 0 {
            0.0
        } else {
            self.rejected as f64 / self.arrivals as f64
        }
    }

    /// The largest minute peak.
    pub fn max_peak(&self) -> u32 {
        self.minute_peaks.iter().copied().max().unwrap_or(0)
    }
}

/// The `q`-quantile of `values` by nearest rank (the smallest value with at least `q` of them
/// at or below it), as CloudWatch's percentile statistics take it; 0 for no values.
pub fn nearest_rank(values: &[f64], q: f64) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let rank = ((q * v.len() as f64).ceil() as usize).clamp(1, v.len());
    v[rank - 1]
}

/// A uniform in (0, 1).
fn uniform(rng: &mut Pcg64Mcg) -> f64 {
    ((rng.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
}

/// One request's duration, seconds.
fn draw_duration(d: &Duration, rng: &mut Pcg64Mcg) -> f64 {
    match *d {
        Duration::Fixed { ms } => ms / 1000.0,
        Duration::Exponential { mean_ms } => -(mean_ms / 1000.0) * uniform(rng).ln(),
        Duration::LogNormal { mu, sigma, .. } => {
            (mu + sigma * normal_quantile(uniform(rng))).exp() / 1000.0
        }
    }
}

/// Simulate `seconds` of Poisson arrivals at `rate` per second with durations `d`, at most
/// `cap` in flight (none: no limit), from `seed`.
pub fn simulate(rate: f64, d: &Duration, cap: Option<u32>, seconds: f64, seed: u64) -> Exact {
    let mut rng = Pcg64Mcg::seed_from_u64(seed);
    let minutes = (seconds / 60.0).ceil() as usize;
    let mut out = Exact {
        arrivals: 0,
        rejected: 0,
        busy_seconds: 0.0,
        seconds,
        minute_peaks: vec![0; minutes],
    };
    // Departure times of the requests in flight, earliest first (positive f64s order as their
    // bits do).
    let mut departures: BinaryHeap<Reverse<u64>> = BinaryHeap::new();
    let mut now = 0.0;
    let mut minute = 0;
    let gap = |rng: &mut Pcg64Mcg| -uniform(rng).ln() / rate;
    let mut next_arrival = if rate > 0.0 {
        gap(&mut rng)
    } else {
        f64::INFINITY
    };
    loop {
        let next_departure = departures
            .peek()
            .map_or(f64::INFINITY, |Reverse(b)| f64::from_bits(*b));
        // A departure at the same instant as an arrival leaves first.
        let t = next_arrival.min(next_departure).min(seconds);
        let in_flight = departures.len() as u32;
        // Minutes passed with `in_flight` unchanged start with it as their peak.
        let until = ((t / 60.0) as usize).min(minutes.saturating_sub(1));
        while minute < until {
            minute += 1;
            out.minute_peaks[minute] = out.minute_peaks[minute].max(in_flight);
        }
        out.busy_seconds += f64::from(in_flight) * (t - now);
        now = t;
        if t >= seconds {
            break;
        }
        if next_departure <= next_arrival {
            departures.pop();
        } else {
            out.arrivals += 1;
            if cap.is_some_and(|c| in_flight >= c) {
                out.rejected += 1;
            } else {
                let end = now + draw_duration(d, &mut rng);
                departures.push(Reverse(end.to_bits()));
                let peak = &mut out.minute_peaks[minute];
                *peak = (*peak).max(in_flight + 1);
            }
            next_arrival = now + gap(&mut rng);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_quantiles() {
        let v: Vec<f64> = (1..=20).map(f64::from).collect();
        assert_eq!(nearest_rank(&v, 0.95), 19.0);
        assert_eq!(nearest_rank(&v, 1.0), 20.0);
        assert_eq!(nearest_rank(&v, 0.0), 1.0);
        assert_eq!(nearest_rank(&[], 0.5), 0.0);
    }

    #[test]
    fn one_request_at_a_time_by_hand() {
        // Rate 0: nothing happens.
        let e = simulate(0.0, &Duration::Fixed { ms: 100.0 }, None, 120.0, 1);
        assert_eq!((e.arrivals, e.max_peak(), e.busy_seconds), (0, 0, 0.0));
        // A cap of 0 rejects every arrival.
        let e = simulate(1.0, &Duration::Fixed { ms: 100.0 }, Some(0), 600.0, 1);
        assert!(e.arrivals > 0);
        assert_eq!(e.rejected, e.arrivals);
        assert_eq!(e.busy_seconds, 0.0);
    }
}
