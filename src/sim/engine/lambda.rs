//! Lambda's rules: the concurrency cap and the requests it throttles (Erlang-B), the
//! environments kept warm and the cold starts beyond them, and the connections busy and idle
//! environments hold.

// The step passes read and write several per-step arrays at the same index; zipping them
// would say less than `for i in 0..len`.
#![allow(clippy::needless_range_loop)]

use super::chunk::{Chunk, Durations, StepSums, Steps, Sum, UnitDemand, CHUNK};
use super::ComputeTotals;
/// Erlang-B loss probability for `c` servers at offered load `a` (iterative, stable).
pub fn erlang_b(c: u32, a: f64) -> f64 {
    let mut b = 1.0;
    for k in 1..=c {
        b = a * b / (f64::from(k) + a * b);
    }
    b
}

/// Erlang-B results by offered load, for one Lambda's cap. Each costs `cap` dependent
/// divisions (a thousand for the account's default cap). While a Lambda throttles, a step's load
/// often repeats (arrivals are whole counts), so a small direct-mapped table keeps the last
/// result per slot; the loads it lacks are computed eight at a time, in independent lanes the
/// CPU overlaps. A hit, or a lane, returns exactly what `erlang_b` would.
pub(super) struct ErlangMemo {
    cap: u32,
    /// (load's bits, B(cap, load)); empty until the first throttled step.
    slots: Vec<(u64, f64)>,
}

impl ErlangMemo {
    const SLOTS_LOG2: u32 = 10;

    pub(super) fn new(cap: u32) -> ErlangMemo {
        ErlangMemo {
            cap,
            slots: Vec::new(),
        }
    }

    fn slot(bits: u64) -> usize {
        (bits.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - Self::SLOTS_LOG2)) as usize
    }

    /// `out[i] = erlang_b(cap, loads[i])`.
    pub(super) fn losses(&mut self, loads: &[f64], out: &mut [f64]) {
        if self.slots.is_empty() {
            // Filled with a load no step has (the all-ones NaN) and its true result.
            let none = f64::from_bits(u64::MAX);
            self.slots = vec![(u64::MAX, erlang_b(self.cap, none)); 1 << Self::SLOTS_LOG2];
        }
        let mut missing: Vec<usize> = Vec::new();
        for (i, (a, o)) in loads.iter().zip(out.iter_mut()).enumerate() {
            let (bits, b) = self.slots[Self::slot(a.to_bits())];
            if bits == a.to_bits() {
                *o = b;
            } else {
                missing.push(i);
            }
        }
        for group in missing.chunks(LANES) {
            let mut a = [0.0; LANES];
            for (lane, &i) in group.iter().enumerate() {
                a[lane] = loads[i];
            }
            let b = erlang_b_lanes(self.cap, &a);
            for (lane, &i) in group.iter().enumerate() {
                out[i] = b[lane];
                self.slots[Self::slot(loads[i].to_bits())] = (loads[i].to_bits(), b[lane]);
            }
        }
    }
}

/// Whether B(c, a) is below 1e-15, so a step at load `a` throttles nothing worth counting:
/// B(c, a) = (a^c / c!) / sum_{k <= c} a^k / k! <= a^c / c! <= (e a / c)^c, as the sum is at
/// least 1 and c! >= (c / e)^c; ln 1e-15 = -34.54. One logarithm, where B costs c divisions.
#[inline(always)]
pub fn loss_negligible(c: f64, a: f64) -> bool {
    // First without the logarithm: e a / c <= 1/2 and c >= 50 give at most 2^-50 < 1e-15
    // (the same verdict the logarithm gives, as it implies c ln(e a / c) <= -34.66).
    let x = std::f64::consts::E * a;
    a <= 0.0 || (c >= 50.0 && x <= 0.5 * c) || (c > 0.0 && c * (x / c).ln() < -34.54)
}

/// Loads whose Erlang-B is computed together.
const LANES: usize = 8;

/// [`erlang_b`] of `c` servers for each of `a`: the same steps per lane, in lanes side by side.
#[inline(always)]
fn erlang_b_lanes(c: u32, a: &[f64; LANES]) -> [f64; LANES] {
    let mut b = [1.0; LANES];
    for k in 1..=c {
        let k = f64::from(k);
        for (b, a) in b.iter_mut().zip(a) {
            *b = a * *b / (k + a * *b);
        }
    }
    b
}

/// Environments kept warm: the largest per-minute busy count over the last `keep_warm` minutes,
/// as a sliding-window maximum (a deque of minutes whose maximum no later minute has beaten),
/// so a step costs the same whether the window is 10 minutes or a day.
pub(super) struct LambdaState {
    keep_warm: usize,
    /// Provisioned environments warm now (0 in the hours provisioned concurrency is off).
    provisioned: f64,
    /// Configured provisioned concurrency, and whether it is on in each hour (empty: always).
    pc: f64,
    pc_on: Vec<bool>,
    /// (minute, its maximum busy environments), maxima decreasing front to back.
    window: std::collections::VecDeque<(usize, f64)>,
    /// The current minute's maximum so far.
    minute_max: f64,
    /// Environments warm now: provisioned, or busy within the window or this minute.
    warm: f64,
    loss: ErlangMemo,
}

impl LambdaState {
    pub(super) fn new(
        keep_warm: usize,
        provisioned: u32,
        cap: u32,
        pc_on: Vec<bool>,
    ) -> LambdaState {
        let pc = f64::from(provisioned);
        let mut st = LambdaState {
            keep_warm,
            provisioned: pc,
            pc,
            pc_on,
            window: std::collections::VecDeque::new(),
            minute_max: 0.0,
            warm: 0.0,
            loss: ErlangMemo::new(cap),
        };
        st.provisioned = st.provisioned_at(0);
        st.warm = st.provisioned;
        st
    }

    /// Provisioned environments in `minute` (a minute past the last hour counts as in it).
    #[inline(always)]
    pub(super) fn provisioned_at(&self, minute: usize) -> f64 {
        match self
            .pc_on
            .get((minute / 60).min(self.pc_on.len().saturating_sub(1)))
        {
            Some(false) => 0.0,
            _ => self.pc,
        }
    }

    /// A new minute starts: close the last one and forget those that left the window.
    #[inline(always)]
    pub(super) fn next_minute(&mut self, minute: usize) {
        if minute > 0 {
            let m = self.minute_max;
            while self.window.back().is_some_and(|&(_, v)| v <= m) {
                self.window.pop_back();
            }
            self.window.push_back((minute - 1, m));
        }
        self.minute_max = 0.0;
        if !self.pc_on.is_empty() {
            self.provisioned = self.provisioned_at(minute);
        }
        // The window is the `keep_warm - 1` minutes before this one (this one is counted as
        // it goes, below).
        while self
            .window
            .front()
            .is_some_and(|&(m, _)| m + self.keep_warm <= minute)
        {
            self.window.pop_front();
        }
        self.warm = self
            .window
            .front()
            .map_or(self.provisioned, |&(_, v)| self.provisioned.max(v));
    }

    #[inline(always)]
    pub(super) fn busy(&mut self, served_peak: f64) {
        self.minute_max = self.minute_max.max(served_peak);
        self.warm = self.warm.max(served_peak);
    }
}

/// One Lambda function's settings, as its pass over a chunk reads them.
pub(super) struct LambdaUnit<'a> {
    pub(super) cap: f64,
    pub(super) cold_start_ms: f64,
    pub(super) conns: LambdaConns,
    /// Sharing the account's unreserved pool with the phase's other unreserved functions
    /// (`phase::SharedPool`); `None`: its own cap, with its own Erlang-B.
    pub(super) shared: Option<Shared<'a>>,
}

/// A function's part of a shared pool over a chunk: its cap each step and the pool's loss.
pub(super) struct Shared<'a> {
    pub(super) cap: &'a Steps,
    pub(super) loss: &'a Steps,
}

/// The connections one Lambda environment holds. It runs one request at a time, and its pool
/// opens connections lazily: busy, it holds what its request uses (capped by pool + overflow);
/// idle and warm, what the pool keeps of those (overflow connections close when returned).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LambdaConns {
    pub busy: f64,
    pub idle: f64,
}

impl LambdaConns {
    pub fn of(unit: &crate::scenario::workload::ComputeUnit) -> LambdaConns {
        let (pool, overflow) = (f64::from(unit.pool_size), f64::from(unit.max_overflow));
        let uses = unit.connections_per_request;
        LambdaConns {
            busy: uses.min(pool + overflow),
            idle: uses.min(pool),
        }
    }
}

impl LambdaUnit<'_> {
    #[allow(clippy::too_many_arguments)]
    #[inline(always)]
    pub(super) fn run(
        &self,
        d: &Durations,
        c: &Chunk,
        ud: &UnitDemand,
        st: &mut LambdaState,
        tot: &mut ComputeTotals,
        sums: &mut StepSums,
        lambda_conc: &mut Steps,
    ) {
        let cap = self.cap;
        let caps: Steps = self.shared.as_ref().map_or([cap; CHUNK], |s| *s.cap);
        let (busy_conns, idle_conns) = (self.conns.busy, self.conns.idle);
        // What the cap serves and throttles: no step depends on another. Erlang-B holds at
        // every load (M/G/c/c), not only where the drawn peak passes the cap, so every step
        // whose loss is not negligible is throttled by it.
        let (mut served_peak, mut throttled, mut served, mut step_b) =
            ([0.0; CHUNK], [0.0; CHUNK], [0.0; CHUNK], [0.0; CHUNK]);
        for i in 0..c.len {
            served_peak[i] = ud.peak[i].min(caps[i]);
        }
        let (mut over, mut loads, mut loss) = ([0usize; CHUNK], [0.0; CHUNK], [0.0; CHUNK]);
        let mut n_over = 0;
        if let Some(s) = &self.shared {
            // The shared pool's loss, worked out for all its functions.
            for i in 0..c.len {
                throttled[i] = ud.arrivals[i] * s.loss[i];
                step_b[i] = s.loss[i];
            }
        } else {
            for i in 0..c.len {
                if !loss_negligible(cap, ud.inflight[i]) {
                    (over[n_over], loads[n_over]) = (i, ud.inflight[i]);
                    n_over += 1;
                }
            }
        }
        if n_over > 0 {
            st.loss.losses(&loads[..n_over], &mut loss[..n_over]);
            for (&i, b) in over[..n_over].iter().zip(&loss) {
                throttled[i] = ud.arrivals[i] * b;
                step_b[i] = *b;
            }
        }
        for i in 0..c.len {
            served[i] = ud.arrivals[i] - throttled[i];
        }
        // Warm environments carry from step to step.
        let (mut cold, mut idle, mut warm) = ([0.0; CHUNK], [0.0; CHUNK], [0.0; CHUNK]);
        for i in 0..c.len {
            // A rise of the peak above the warm environments is that many arrivals starting
            // cold; at most the step's expected arrivals only where that is at least the rise
            // (a peak of 1 in a step that expects 0.2 arrivals is a step with one).
            cold[i] = (served_peak[i] - st.warm)
                .max(0.0)
                .min(served[i].max(served_peak[i]));
            if c.clock.first[i] {
                st.next_minute(c.minute + c.clock.of[i]);
            }
            st.busy(served_peak[i]);
            idle[i] = st.warm - served_peak[i];
            warm[i] = st.warm;
        }
        // Mean environments busy over the step: the carried load a (1 - B), so Little's law
        // holds on the requests served; also the connections' time-average.
        let mut mean_busy = [0.0; CHUNK];
        for i in 0..c.len {
            mean_busy[i] = ud.inflight[i] * (1.0 - step_b[i]);
        }
        let len = c.len;
        sums.add(Sum::ClientConns, len, |i| {
            served_peak[i] * busy_conns + idle[i] * idle_conns
        });
        sums.add(Sum::Conc, len, |i| served_peak[i]);
        sums.add(Sum::Demand, len, |i| ud.peak[i]);
        sums.add(Sum::Throttled, len, |i| throttled[i]);
        sums.add(Sum::Cold, len, |i| cold[i]);
        sums.max(Sum::P95, len, |i| {
            let cold_share = if served[i] > 0.0 {
                cold[i] / served[i]
            } else {
                0.0
            };
            if cold_share >= 0.05 {
                d.d_p95 + self.cold_start_ms
            } else {
                d.d_p95
            }
        });
        if busy_conns > 0.0 {
            sums.add(Sum::BusyTx, len, |i| served_peak[i]);
        }
        sums.add(Sum::ClientConnsMean, len, |i| {
            mean_busy[i] * busy_conns + (warm[i] - mean_busy[i]).max(0.0) * idle_conns
        });
        if busy_conns > 0.0 {
            sums.add(Sum::BusyTxMean, len, |i| mean_busy[i]);
        }
        for i in 0..len {
            lambda_conc[i] = mean_busy[i] * c.dt;
        }
        // The month's totals, added step by step.
        if st.pc > 0.0 {
            for i in 0..c.len {
                if st.provisioned_at(c.minute + c.clock.of[i]) > 0.0 {
                    tot.provisioned_requests += served[i];
                }
            }
        }
        // In locals, as in the fleet's: a running sum in memory waits on its own store.
        let (mut requests, mut throttles, mut cold_starts, mut billed_ms) =
            (tot.requests, tot.throttled, tot.cold_starts, tot.billed_ms);
        for i in 0..c.len {
            requests += served[i];
            throttles += throttled[i];
            cold_starts += cold[i];
            billed_ms += served[i] * d.billed_ms_per_request + cold[i] * self.cold_start_ms;
        }
        (tot.requests, tot.throttled, tot.cold_starts, tot.billed_ms) =
            (requests, throttles, cold_starts, billed_ms);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn erlang_b_reference() {
        // B(1, 1) = 1/2; B(2, 1) = (1/2)/(2 + 1/2) = 0.2.
        assert!((erlang_b(1, 1.0) - 0.5).abs() < 1e-12);
        assert!((erlang_b(2, 1.0) - 0.2).abs() < 1e-12);
        assert_eq!(erlang_b(0, 3.0), 1.0);
    }

    #[test]
    fn the_fast_path_gives_the_logarithms_verdict_and_b_is_below_1e_15_where_negligible() {
        let by_log = |c: f64, a: f64| {
            a <= 0.0 || (c > 0.0 && c * (std::f64::consts::E * a / c).ln() < -34.54)
        };
        for c in [1u32, 2, 10, 49, 50, 51, 100, 1000, 3000] {
            let cf = f64::from(c);
            for n in 0..=4000u32 {
                let a = cf * f64::from(n) / 2000.0;
                let fast = loss_negligible(cf, a);
                assert_eq!(fast, by_log(cf, a), "c {c} a {a}");
                if fast {
                    assert!(erlang_b(c, a) < 1e-15, "c {c} a {a}");
                }
            }
        }
    }

    #[test]
    fn the_erlang_memo_returns_what_erlang_b_computes() {
        let mut memo = ErlangMemo::new(20);
        // More distinct loads than slots, each asked twice, in an order that collides, in
        // batches of every size around the lane count.
        for round in 0..2u32 {
            let loads: Vec<f64> = (0..5000u32)
                .map(|n| f64::from((n * 7919 + round) % 5000) * 0.37 / 60.0)
                .collect();
            let mut at = 0;
            for size in (1..=20).cycle() {
                if at >= loads.len() {
                    break;
                }
                let batch = &loads[at..(at + size).min(loads.len())];
                let mut out = vec![0.0; batch.len()];
                memo.losses(batch, &mut out);
                for (a, b) in batch.iter().zip(&out) {
                    assert_eq!(b.to_bits(), erlang_b(20, *a).to_bits(), "load {a}");
                }
                at += size;
            }
        }
    }

    /// The sliding-window maximum gives what folding the whole keep-warm ring each minute gave.
    #[test]
    fn keep_warm_window_matches_a_ring_fold() {
        let mut x: u64 = 12345;
        for keep in [1usize, 2, 3, 10, 45] {
            for spm in [1usize, 3] {
                let provisioned = 2.0;
                let mut st = LambdaState::new(keep, 2, 1, Vec::new());
                let mut ring = vec![0.0f64; keep];
                let mut warm = provisioned;
                for step in 0..3000 {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    let peak = (x % 40) as f64;
                    let minute = step / spm;
                    let slot = minute % keep;
                    if step % spm == 0 {
                        ring[slot] = 0.0;
                        warm = ring.iter().cloned().fold(provisioned, f64::max);
                        st.next_minute(minute);
                    }
                    assert_eq!(st.warm, warm, "keep {keep} spm {spm} step {step}");
                    ring[slot] = ring[slot].max(peak);
                    warm = warm.max(peak);
                    st.busy(peak);
                    assert_eq!(st.warm, warm);
                }
            }
        }
    }
}

#[cfg(test)]
mod conn_tests {
    use super::LambdaConns;
    use crate::scenario::workload::{ComputeDetail, ComputeUnit};

    fn unit(pool: u32, overflow: u32, per_request: f64) -> ComputeUnit {
        ComputeUnit {
            name: "fn".into(),
            share: 1.0,
            pool_size: pool,
            max_overflow: overflow,
            connections_per_request: per_request,
            detail: ComputeDetail::Lambda {
                memory_mb: 512.0,
                cap: 10,
                reserved: false,
                provisioned: 0,
                provisioned_hours: None,
                cold_start_ms: 0.0,
                keep_warm_minutes: 10,
            },
        }
    }

    #[test]
    fn an_environment_holds_what_its_one_request_opened() {
        // SQLAlchemy's defaults 5 + 10: one request at a time opens one connection.
        assert_eq!(
            LambdaConns::of(&unit(5, 10, 1.0)),
            LambdaConns {
                busy: 1.0,
                idle: 1.0
            }
        );
        // Three per request: busy holds 3; the pool keeps 1 of them when idle, closing the
        // overflow ones.
        assert_eq!(
            LambdaConns::of(&unit(1, 4, 3.0)),
            LambdaConns {
                busy: 3.0,
                idle: 1.0
            }
        );
        // Capped by pool + overflow.
        assert_eq!(
            LambdaConns::of(&unit(1, 1, 3.0)),
            LambdaConns {
                busy: 2.0,
                idle: 1.0
            }
        );
        // No pool: no database.
        assert_eq!(
            LambdaConns::of(&unit(0, 0, 1.0)),
            LambdaConns {
                busy: 0.0,
                idle: 0.0
            }
        );
    }
}
