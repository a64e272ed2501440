//! An exact event-driven simulation of requests under a concurrency cap, for checking the
//! per-step engine against: Poisson arrivals one by one, each request's own duration (fixed,
//! exponential or lognormal), departures one by one, and a request that finds `cap` requests in
//! flight rejected (a loss system, M/G/c/c; without a cap, M/G/∞). Slow by design: every
//! arrival is an event. Used by tests, and by the accuracy table in `tests/it/exact.rs`.
//!
//! What it measures is what CloudWatch would show for Lambda's `ConcurrentExecutions` at a
//! 1-minute period: each minute's maximum of the requests in flight; plus the time-average in
//! flight (the carried load) and the share of requests rejected.
//!
//! Execution environments: each request runs in an environment of its own for its duration.
//! An arrival takes an idle warm environment if there is one, else a new one is created (a cold
//! start); an environment idle for `keep_warm` seconds is reclaimed. The model's assumption is
//! that the idle environment taken is the most recently used one (last freed, first reused),
//! which is what Lambda is observed to do. It makes the environments a stack: ranked by
//! recency, the one of rank k is busy exactly while k or more requests are in flight, and it is
//! reclaimed once fewer than k have been in flight for `keep_warm`; so the environments alive
//! at t are the most requests in flight over [t - keep_warm, t], and an arrival starts cold
//! exactly when it raises the requests in flight to a level not reached for `keep_warm`.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

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
    /// Arrivals served by a newly created environment (none idle and warm).
    pub cold_starts: u64,
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
/// `cap` in flight (none: no limit), from `seed`; environments are never reclaimed.
pub fn simulate(rate: f64, d: &Duration, cap: Option<u32>, seconds: f64, seed: u64) -> Exact {
    simulate_warm(rate, d, cap, f64::INFINITY, seconds, seed)
}

/// [`simulate`], with idle environments reclaimed after `keep_warm` seconds (infinity: never;
/// 0: at once, so every served arrival starts cold). The draws are the same whatever
/// `keep_warm` is, so only `cold_starts` depends on it.
pub fn simulate_warm(
    rate: f64,
    d: &Duration,
    cap: Option<u32>,
    keep_warm: f64,
    seconds: f64,
    seed: u64,
) -> Exact {
    simulate_rates(&|_| rate, seconds, d, cap, keep_warm, seconds, seed)
}

/// [`simulate_warm`] with a rate that changes: `rates(k)` requests per second over the `k`-th
/// piece of `piece` seconds ([k·piece, (k+1)·piece)). Poisson arrivals are memoryless, so a gap
/// that would cross into the next piece is dropped and drawn again from the boundary at the
/// new rate: exact for a piecewise-constant rate (a scenario's rate is constant within a
/// minute). One piece of `seconds` draws exactly as [`simulate_warm`].
pub fn simulate_rates(
    rates: &dyn Fn(usize) -> f64,
    piece: f64,
    d: &Duration,
    cap: Option<u32>,
    keep_warm: f64,
    seconds: f64,
    seed: u64,
) -> Exact {
    let mut rng = Pcg64Mcg::seed_from_u64(seed);
    let minutes = (seconds / 60.0).ceil() as usize;
    let mut out = Exact {
        arrivals: 0,
        rejected: 0,
        busy_seconds: 0.0,
        seconds,
        cold_starts: 0,
        minute_peaks: vec![0; minutes],
    };
    // The idle environments by the time they were freed, earliest first. Departures come in
    // time order and an arrival takes the latest (the back), so the deque stays sorted, and
    // the ones idle longest, at the front, are the ones reclaimed.
    let mut idle: VecDeque<f64> = VecDeque::new();
    // Departure times of the requests in flight, earliest first (positive f64s order as their
    // bits do).
    let mut departures: BinaryHeap<Reverse<u64>> = BinaryHeap::new();
    let mut now = 0.0;
    let mut minute = 0;
    // The piece the next arrival is drawn in, and the next arrival after `from`.
    let mut k = 0usize;
    let next_after = |from: f64, k: &mut usize, rng: &mut Pcg64Mcg| -> f64 {
        let mut from = from;
        loop {
            let end = (*k + 1) as f64 * piece;
            let rate = rates(*k);
            if rate > 0.0 {
                let t = from - uniform(rng).ln() / rate;
                if t < end || end >= seconds {
                    return if t < seconds { t } else { f64::INFINITY };
                }
            } else if end >= seconds {
                return f64::INFINITY;
            }
            *k += 1;
            from = end;
        }
    };
    let mut next_arrival = next_after(0.0, &mut k, &mut rng);
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
            idle.push_back(now);
        } else {
            out.arrivals += 1;
            if cap.is_some_and(|c| in_flight >= c) {
                out.rejected += 1;
            } else {
                while idle.front().is_some_and(|&freed| freed + keep_warm <= now) {
                    idle.pop_front();
                }
                if idle.pop_back().is_none() {
                    out.cold_starts += 1;
                }
                let end = now + draw_duration(d, &mut rng);
                departures.push(Reverse(end.to_bits()));
                let peak = &mut out.minute_peaks[minute];
                *peak = (*peak).max(in_flight + 1);
            }
            next_arrival = next_after(now, &mut k, &mut rng);
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

    #[test]
    fn keep_warm_zero_makes_every_served_arrival_cold() {
        for d in [
            Duration::Fixed { ms: 200.0 },
            Duration::Exponential { mean_ms: 200.0 },
        ] {
            for cap in [None, Some(3)] {
                let e = simulate_warm(25.0, &d, cap, 0.0, 600.0, 3);
                assert!(e.arrivals > 10_000);
                assert_eq!(e.cold_starts, e.arrivals - e.rejected, "{d:?} {cap:?}");
            }
        }
    }

    #[test]
    fn keep_warm_forever_creates_the_most_ever_in_flight() {
        for d in [
            Duration::Fixed { ms: 200.0 },
            Duration::Exponential { mean_ms: 200.0 },
        ] {
            for (rate, cap) in [(2.5, None), (25.0, None), (250.0, None), (25.0, Some(4))] {
                let e = simulate_warm(rate, &d, cap, f64::INFINITY, 3600.0, 5);
                assert_eq!(u64::from(e.max_peak()), e.cold_starts, "{d:?} {rate}");
                // The same draws as without environments.
                assert_eq!(e, simulate(rate, &d, cap, 3600.0, 5));
            }
        }
    }

    #[test]
    fn a_longer_keep_warm_never_adds_cold_starts() {
        let d = Duration::Exponential { mean_ms: 200.0 };
        let mut last = u64::MAX;
        for keep in [0.0, 0.1, 1.0, 10.0, 60.0, 600.0, 3600.0] {
            let e = simulate_warm(25.0, &d, None, keep, 7200.0, 9);
            assert!(e.cold_starts <= last, "{keep}: {} > {last}", e.cold_starts);
            last = e.cold_starts;
        }
    }
}
