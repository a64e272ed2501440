//! The time-stepped simulation of one month of one phase.
//!
//! Per step: the arrivals are a Poisson count around the profile's rate (one uniform draw,
//! inverted, see `poisson`). The concurrency they create follows M/G/∞ theory: at any instant
//! the number of requests in flight is Poisson with mean λ·E[d] whatever the duration
//! distribution, so the step's mean concurrency is arrivals × E[d] / step (Little's law) and
//! its within-step peak is the Poisson quantile seen once per request duration in the step.
//! Reserved concurrency caps Lambda; the share of requests throttled is the Erlang-B loss
//! (insensitive to the duration distribution too). Fleets scale by target tracking, evaluated
//! each minute on the last minute's average.

// The step passes read and write several per-step arrays at the same index; zipping five
// iterators would say less than `for i in 0..len`.
#![allow(clippy::needless_range_loop)]

use super::draws;
use super::model::{ComputeDetail, PhaseModel, Scaling, Target};
use super::poisson;
use super::profile::{SimSettings, TrafficProfile};
use super::round::{ceil, Native, Rounding, Soft};
use super::trigger::{Trigger, Watch};

pub use crate::scenario::trigger::Metric;

// A month of per-minute metrics is ~2-4 MB. Allocating and freeing that per simulation made
// the allocator map and unmap it each time, and the unmaps cost TLB shoot-downs across rayon's
// threads (a quarter of `run`'s time in perf). Finished series hand their buffers back to a
// small per-thread pool instead.
const POOL_MAX: usize = 8;

thread_local! {
    static POOL: std::cell::RefCell<Vec<Vec<f32>>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// A buffer of length `n`, reusing a pooled allocation when there is one. With `zero`, every
/// element is 0; without, the caller overwrites every element before reading any.
fn buffer(n: usize, zero: bool) -> Vec<f32> {
    // Prefer a buffer of exactly this length: phases store different numbers of metrics, and
    // growing a shorter one would zero its new part.
    let pooled = POOL.with(|p| {
        let mut p = p.borrow_mut();
        let at = p.iter().position(|v| v.len() == n);
        match at {
            Some(i) => Some(p.swap_remove(i)),
            None => p.pop(),
        }
    });
    match pooled {
        Some(mut v) => {
            if zero {
                v.clear();
            }
            v.truncate(n);
            v.resize(n, 0.0);
            v
        }
        None => vec![0.0; n],
    }
}

impl Drop for Series {
    fn drop(&mut self) {
        let bufs = [std::mem::take(&mut self.sum), std::mem::take(&mut self.max)];
        // `try_with`: a series dropped while its thread shuts down just frees its memory.
        let _ = POOL.try_with(|p| {
            let mut p = p.borrow_mut();
            for b in bufs {
                if p.len() < POOL_MAX && b.capacity() > 0 {
                    p.push(b);
                }
            }
        });
    }
}

/// Sum and maximum of each metric over each minute.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub minutes: usize,
    pub steps_per_minute: usize,
    /// Where each metric's minutes start in `sum`/`max`, or `None` for a metric the phase
    /// cannot move (no Lambda, no database, ...): it is zero throughout and is not stored.
    at: [Option<usize>; Metric::ALL.len()],
    /// The stored metrics' minutes one metric after another. f32 halves the memory a month of
    /// minutes takes; per-minute figures need no more than 7 digits.
    sum: Vec<f32>,
    /// Empty when a minute is one step: its maximum is then its sum.
    max: Vec<f32>,
}

/// Longest month whose zero series can be lent out (31 days, as `hours_per_month` allows,
/// plus a day); a longer one stores every metric.
const ZERO_MINUTES: usize = 32 * 24 * 60;
static ZEROS: [f32; ZERO_MINUTES] = [0.0; ZERO_MINUTES];

impl Series {
    /// Series for the metrics in `live` (all of them when the month is too long to lend out
    /// zeros for the others).
    fn new(minutes: usize, steps_per_minute: usize, live: [bool; Metric::ALL.len()]) -> Series {
        let mut at = [None; Metric::ALL.len()];
        let mut stored = 0;
        for (slot, live) in at.iter_mut().zip(live) {
            if live || minutes > ZERO_MINUTES {
                *slot = Some(stored * minutes);
                stored += 1;
            }
        }
        let n = stored * minutes;
        if steps_per_minute == 1 {
            // Every stored (metric, minute) is set exactly once by the step loop.
            Series {
                minutes,
                steps_per_minute,
                at,
                sum: buffer(n, false),
                max: Vec::new(),
            }
        } else {
            Series {
                minutes,
                steps_per_minute,
                at,
                sum: buffer(n, true),
                max: buffer(n, true),
            }
        }
    }

    #[inline]
    fn record(&mut self, m: Metric, minute: usize, v: f64) {
        let Some(at) = self.at[m.index()] else {
            return;
        };
        let i = at + minute;
        let v = v as f32;
        if self.max.is_empty() {
            self.sum[i] = v;
            return;
        }
        self.sum[i] += v;
        if v > self.max[i] {
            self.max[i] = v;
        }
    }

    /// Sum of the step values in each minute (counts: throttles, cold starts).
    pub fn sums(&self, m: Metric) -> &[f32] {
        match self.at[m.index()] {
            Some(at) => &self.sum[at..at + self.minutes],
            None => &ZEROS[..self.minutes],
        }
    }

    /// Largest step value in each minute.
    pub fn maxes(&self, m: Metric) -> &[f32] {
        match self.at[m.index()] {
            Some(at) if !self.max.is_empty() => &self.max[at..at + self.minutes],
            _ => self.sums(m),
        }
    }

    /// Largest step value over the month (at least 0).
    pub fn max_of(&self, m: Metric) -> f64 {
        // Eight running maxima side by side (one is a chain the CPU waits on at every minute);
        // the largest of a set does not depend on the order it is taken in.
        let mut lanes = [0.0f32; 8];
        let values = self.maxes(m);
        let mut blocks = values.chunks_exact(8);
        for b in &mut blocks {
            for (l, v) in lanes.iter_mut().zip(b) {
                *l = l.max(*v);
            }
        }
        let tail = blocks.remainder().iter();
        let top = lanes.iter().chain(tail).fold(0.0f32, |a, b| a.max(*b));
        f64::from(top)
    }

    /// Average step value in minute `i`.
    pub fn mean(&self, m: Metric, i: usize) -> f64 {
        f64::from(self.sums(m)[i]) / self.steps_per_minute as f64
    }
}

/// The metrics a phase can move. Every other one is exactly zero at every step (nothing adds
/// to it, or it is a share of a whole that is zero), so it need not be recorded.
fn live_metrics(model: &PhaseModel) -> [bool; Metric::ALL.len()] {
    let lambda = model
        .compute
        .iter()
        .any(|c| matches!(c.detail, ComputeDetail::Lambda { .. }));
    let fleet = model
        .compute
        .iter()
        .any(|c| matches!(c.detail, ComputeDetail::Fleet { .. }));
    let scaled = model.compute.iter().any(|c| {
        matches!(
            c.detail,
            ComputeDetail::Fleet {
                scaling: Some(_),
                ..
            }
        )
    });
    // Clients hold connections only through a pool, and fixed ones come with a database.
    let connections = model.db.is_some()
        || model.proxy.is_some()
        || model
            .compute
            .iter()
            .any(|c| c.pool_size > 0 || c.max_overflow > 0);
    Metric::ALL.map(|m| match m {
        Metric::Rps => true,
        Metric::LambdaConcurrency
        | Metric::LambdaDemand
        | Metric::Throttles
        | Metric::ColdStarts => lambda,
        Metric::P95LatencyMs => !model.compute.is_empty(),
        Metric::Tasks | Metric::CpuPercent => fleet,
        Metric::DbConnections => connections,
        Metric::DbConnectionsPercent => model.db.is_some(),
        Metric::ProxyWaits => model.proxy.is_some(),
        Metric::FleetSaturated => scaled,
    })
}

/// Totals for one compute resource over the month (feeds the price models).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ComputeTotals {
    pub name: String,
    /// Requests served (not throttled).
    pub requests: f64,
    pub throttled: f64,
    pub cold_starts: f64,
    /// Billed milliseconds: served × mean duration + cold starts × init time.
    pub billed_ms: f64,
    /// Task- or instance-seconds.
    pub unit_seconds: f64,
    pub min_units: u32,
    pub max_units: u32,
}

/// The outcome of simulating one phase at one traffic scale.
#[derive(Debug, Clone, PartialEq)]
pub struct SimResult {
    pub scale: f64,
    pub seed: u64,
    pub step_seconds: u32,
    pub month_seconds: f64,
    pub series: Series,
    pub compute: Vec<ComputeTotals>,
    pub requests: f64,
    /// Mean Lambda concurrency over the month (time average).
    pub lambda_mean: f64,
    pub db_peak: f64,
}

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
struct ErlangMemo {
    cap: u32,
    /// (load's bits, B(cap, load)); empty until the first throttled step.
    slots: Vec<(u64, f64)>,
}

impl ErlangMemo {
    const SLOTS_LOG2: u32 = 10;

    fn slot(bits: u64) -> usize {
        (bits.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - Self::SLOTS_LOG2)) as usize
    }

    /// `out[i] = erlang_b(cap, loads[i])`.
    fn losses(&mut self, loads: &[f64], out: &mut [f64]) {
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

struct FleetState {
    count: u32,
    last_out: f64,
    last_change: f64,
    metric_sum: f64,
    metric_steps: u32,
    /// At max size with the last minute's metric above target: it cannot scale further.
    saturated: bool,
}

enum UnitState {
    Lambda(LambdaState),
    Fleet(FleetState),
}

/// Environments kept warm: the largest per-minute busy count over the last `keep_warm` minutes,
/// as a sliding-window maximum (a deque of minutes whose maximum no later minute has beaten),
/// so a step costs the same whether the window is 10 minutes or a day.
struct LambdaState {
    keep_warm: usize,
    provisioned: f64,
    /// (minute, its maximum busy environments), maxima decreasing front to back.
    window: std::collections::VecDeque<(usize, f64)>,
    /// The current minute's maximum so far.
    minute_max: f64,
    warm: f64,
    loss: ErlangMemo,
}

impl LambdaState {
    /// A new minute starts: close the last one and forget those that left the window.
    #[inline(always)]
    fn next_minute(&mut self, minute: usize) {
        if minute > 0 {
            let m = self.minute_max;
            while self.window.back().is_some_and(|&(_, v)| v <= m) {
                self.window.pop_back();
            }
            self.window.push_back((minute - 1, m));
        }
        self.minute_max = 0.0;
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
    fn busy(&mut self, served_peak: f64) {
        self.minute_max = self.minute_max.max(served_peak);
        self.warm = self.warm.max(served_peak);
    }
}

/// Steps simulated together. The loop runs in passes over a chunk of steps (arrivals, then
/// each compute unit, then the database and the series) rather than all the work of one step at
/// a time: each pass is a short loop the CPU overlaps well (the one-step-at-a-time loop was a
/// long chain of divisions and square roots per step) with no per-step dispatch on the unit's
/// kind, and the series are written a chunk at a time. The arithmetic, and the order of every
/// sum, is the same as one step at a time. A multiple of every steps-per-minute (1 to 60), so a
/// chunk starts on a minute.
const CHUNK: usize = 120;
const _: () = assert!(
    draws::Z_BLOCK.is_multiple_of(CHUNK),
    "a chunk's quantiles must lie in one block"
);

/// Steps of a chunk, one per f64.
type Steps = [f64; CHUNK];

/// Where a chunk sits in the month.
struct Chunk<'a> {
    /// First step; a minute's first step.
    start: usize,
    len: usize,
    dt: f64,
    /// The chunk's first minute.
    minute: usize,
    clock: &'a MinuteClock,
}

/// Which minute of its chunk each step falls in, and whether it starts or ends it (the same
/// for every chunk, as chunks start on a minute).
struct MinuteClock {
    /// A minute is one step.
    single: bool,
    of: [usize; CHUNK],
    first: [bool; CHUNK],
    last: [bool; CHUNK],
}

impl MinuteClock {
    fn new(spm: usize) -> MinuteClock {
        MinuteClock {
            single: spm == 1,
            of: std::array::from_fn(|i| i / spm),
            first: std::array::from_fn(|i| i % spm == 0),
            last: std::array::from_fn(|i| (i + 1) % spm == 0),
        }
    }
}

/// One compute unit's demand over a chunk: arrivals, mean requests in flight, peak in flight.
/// It depends on the unit's share of the traffic alone, so units (of any phase simulated
/// together) with the same share use the same one.
struct UnitDemand {
    share: f64,
    arrivals: Steps,
    inflight: Steps,
    peak: Steps,
}

/// What every compute unit shares: the request duration, and the quantile of the peak.
struct Durations {
    d_mean_s: f64,
    z_peak: f64,
    billed_ms_per_request: f64,
    d_p95: f64,
}

impl UnitDemand {
    #[inline(always)]
    fn fill<R: Rounding>(&mut self, n: &[f64], d: &Durations, dt: f64) {
        let share = self.share;
        for (i, &n) in n.iter().enumerate() {
            let a = n * share;
            let mi = a * d.d_mean_s / dt;
            self.arrivals[i] = a;
            self.inflight[i] = mi;
            self.peak[i] = if a > 0.0 {
                R::ceil(mi + d.z_peak * mi.sqrt()).clamp(1.0, R::ceil(a) + R::ceil(mi))
            } else {
                0.0
            };
        }
    }
}

/// A per-step sum over a phase's compute units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sum {
    Demand,
    Saturated,
    Conc,
    Throttled,
    Cold,
    P95,
    Units,
    VcpuBusy,
    VcpuTotal,
    ClientConns,
    BusyTx,
}

impl Sum {
    const COUNT: usize = 11;

    /// The stored metric that reads this sum (`None`: the connection sums, always read).
    fn metric(self) -> Option<Metric> {
        match self {
            Sum::Demand => Some(Metric::LambdaDemand),
            Sum::Saturated => Some(Metric::FleetSaturated),
            Sum::Conc => Some(Metric::LambdaConcurrency),
            Sum::Throttled => Some(Metric::Throttles),
            Sum::Cold => Some(Metric::ColdStarts),
            Sum::P95 => Some(Metric::P95LatencyMs),
            Sum::Units => Some(Metric::Tasks),
            Sum::VcpuBusy | Sum::VcpuTotal => Some(Metric::CpuPercent),
            Sum::ClientConns | Sum::BusyTx => None,
        }
    }
}

const SUMS: [Sum; Sum::COUNT] = [
    Sum::Demand,
    Sum::Saturated,
    Sum::Conc,
    Sum::Throttled,
    Sum::Cold,
    Sum::P95,
    Sum::Units,
    Sum::VcpuBusy,
    Sum::VcpuTotal,
    Sum::ClientConns,
    Sum::BusyTx,
];

/// The per-step sums of one chunk. Each starts at 0 and the units add to it in order; rather
/// than zeroing every sum for every chunk (5 % of a sweep), the first unit to add to a sum
/// writes `0.0 + v` (exactly what adding to a zero gives), and only sums no unit wrote are
/// zeroed, if something reads them.
struct StepSums {
    v: [Steps; Sum::COUNT],
    /// Not yet written this chunk.
    fresh: [bool; Sum::COUNT],
}

impl StepSums {
    fn new() -> StepSums {
        StepSums {
            v: [[0.0; CHUNK]; Sum::COUNT],
            fresh: [true; Sum::COUNT],
        }
    }

    fn begin(&mut self) {
        self.fresh = [true; Sum::COUNT];
    }

    /// `sum[i] += v(i)` for the chunk's `len` steps.
    #[inline(always)]
    fn add(&mut self, s: Sum, len: usize, v: impl Fn(usize) -> f64) {
        self.combine(s, len, |a, b| a + b, v);
    }

    /// `sum[i] = max(sum[i], v(i))`.
    #[inline(always)]
    fn max(&mut self, s: Sum, len: usize, v: impl Fn(usize) -> f64) {
        self.combine(s, len, f64::max, v);
    }

    /// `sum[i] = op(sum[i], v(i))`, the sum being 0 until written: a fresh sum gets
    /// `op(0.0, v(i))`, exactly what combining with a zeroed one would give.
    #[inline(always)]
    fn combine(
        &mut self,
        s: Sum,
        len: usize,
        op: impl Fn(f64, f64) -> f64,
        v: impl Fn(usize) -> f64,
    ) {
        let fresh = std::mem::replace(&mut self.fresh[s as usize], false);
        for (i, o) in self.v[s as usize][..len].iter_mut().enumerate() {
            let acc = if fresh { 0.0 } else { *o };
            *o = op(acc, v(i));
        }
    }

    /// Zero the sums no unit wrote that the database pass or `series` read.
    fn settle(&mut self, series: &Series, len: usize) {
        for s in SUMS {
            let read = s.metric().is_none_or(|m| series.at[m.index()].is_some());
            if self.fresh[s as usize] && read {
                self.v[s as usize][..len].fill(0.0);
            }
        }
    }

    fn get(&self, s: Sum) -> &Steps {
        &self.v[s as usize]
    }
}

/// One phase being simulated: its state from chunk to chunk and what it has recorded.
struct PhaseRun<'m> {
    model: &'m PhaseModel,
    series: Series,
    totals: Vec<ComputeTotals>,
    states: Vec<UnitState>,
    sums: Box<StepSums>,
    /// Each Lambda's time-weighted concurrency per step, added up step by step after the
    /// units (the order the one-step-at-a-time loop added them in).
    lambda_conc: Vec<Steps>,
    lambda_conc_sum: f64,
    db_peak: f64,
    db_usable: f64,
    db_fixed: f64,
}

impl<'m> PhaseRun<'m> {
    fn new(model: &'m PhaseModel, minutes: usize, spm: usize) -> PhaseRun<'m> {
        let totals = model
            .compute
            .iter()
            .map(|c| ComputeTotals {
                name: c.name.clone(),
                min_units: u32::MAX,
                ..Default::default()
            })
            .collect();
        // Per compute unit, the state its kind carries from step to step.
        let states: Vec<UnitState> = model
            .compute
            .iter()
            .map(|c| match &c.detail {
                ComputeDetail::Lambda {
                    keep_warm_minutes,
                    provisioned,
                    cap,
                    ..
                } => UnitState::Lambda(LambdaState {
                    keep_warm: *keep_warm_minutes,
                    provisioned: f64::from(*provisioned),
                    window: std::collections::VecDeque::new(),
                    minute_max: 0.0,
                    warm: f64::from(*provisioned),
                    loss: ErlangMemo {
                        cap: *cap,
                        slots: Vec::new(),
                    },
                }),
                ComputeDetail::Fleet { count, scaling, .. } => UnitState::Fleet(FleetState {
                    count: scaling
                        .as_ref()
                        .map_or(*count, |s| (*count).clamp(s.min.max(1), s.max)),
                    last_out: f64::NEG_INFINITY,
                    last_change: f64::NEG_INFINITY,
                    metric_sum: 0.0,
                    metric_steps: 0,
                    saturated: false,
                }),
            })
            .collect();
        let lambdas = states
            .iter()
            .filter(|s| matches!(s, UnitState::Lambda(_)))
            .count();
        let (db_usable, db_fixed) = model.db.as_ref().map_or((0.0, 0.0), |d| {
            (f64::from(d.limit.usable), f64::from(d.fixed))
        });
        PhaseRun {
            model,
            series: Series::new(minutes, spm, live_metrics(model)),
            totals,
            states,
            sums: Box::new(StepSums::new()),
            lambda_conc: vec![[0.0; CHUNK]; lambdas],
            lambda_conc_sum: 0.0,
            db_peak: 0.0,
            db_usable,
            db_fixed,
        }
    }

    /// Simulate one chunk, given its arrivals and the units' demand (by share).
    #[inline(always)]
    fn chunk<R: Rounding>(&mut self, c: &Chunk, n: &[f64], demand: &[UnitDemand], d: &Durations) {
        let len = c.len;
        let sums = &mut *self.sums;
        sums.begin();
        let mut lambda_i = 0;
        for ((unit, state), tot) in self
            .model
            .compute
            .iter()
            .zip(&mut self.states)
            .zip(&mut self.totals)
        {
            // The driver computed a demand for every share in the model.
            let Some(ud) = demand
                .iter()
                .find(|u| u.share.to_bits() == unit.share.to_bits())
            else {
                continue;
            };
            let pool = f64::from(unit.pool_size);
            let overflow = f64::from(unit.max_overflow);
            match (&unit.detail, state) {
                (
                    ComputeDetail::Lambda {
                        cap, cold_start_ms, ..
                    },
                    UnitState::Lambda(st),
                ) => {
                    let lambda = LambdaUnit {
                        cap: f64::from(*cap),
                        cold_start_ms: *cold_start_ms,
                        pool,
                        overflow,
                    };
                    let lc = &mut self.lambda_conc[lambda_i];
                    lambda_i += 1;
                    lambda.run(d, c, ud, st, tot, sums, lc);
                }
                (ComputeDetail::Fleet { vcpu, scaling, .. }, UnitState::Fleet(st)) => {
                    let fleet = FleetUnit {
                        vcpu: *vcpu,
                        scaling: scaling.as_ref(),
                        pool,
                        overflow,
                    };
                    fleet.run::<R>(d, c, ud, st, tot, sums);
                }
                // `states` is built from these same details, so the kinds always agree.
                _ => {}
            }
        }

        sums.settle(&self.series, len);
        let sums = &*sums;
        for i in 0..len {
            for lc in &self.lambda_conc {
                self.lambda_conc_sum += lc[i];
            }
        }
        // Database side: direct clients, or the proxy's multiplexed connections.
        let (mut db, mut waits) = ([0.0; CHUNK], [0.0; CHUNK]);
        let db_fixed = self.db_fixed;
        match &self.model.proxy {
            Some(p) => {
                let cap = f64::from(p.cap);
                for i in 0..len {
                    let wanted = sums.get(Sum::BusyTx)[i] * (1.0 - p.pinning)
                        + sums.get(Sum::ClientConns)[i] * p.pinning;
                    db[i] = wanted.min(cap) + db_fixed;
                    waits[i] = (wanted - cap).max(0.0);
                }
            }
            None => {
                for i in 0..len {
                    db[i] = sums.get(Sum::ClientConns)[i] + db_fixed;
                }
            }
        }
        for v in &db[..len] {
            self.db_peak = self.db_peak.max(*v);
        }

        let dt = c.dt;
        let usable = self.db_usable;
        let s = &mut self.series;
        s.put(Metric::Rps, c, |i| n[i] / dt);
        s.put(Metric::LambdaConcurrency, c, |i| sums.get(Sum::Conc)[i]);
        s.put(Metric::LambdaDemand, c, |i| sums.get(Sum::Demand)[i]);
        s.put(Metric::Throttles, c, |i| sums.get(Sum::Throttled)[i]);
        s.put(Metric::ColdStarts, c, |i| sums.get(Sum::Cold)[i]);
        s.put(Metric::P95LatencyMs, c, |i| sums.get(Sum::P95)[i]);
        s.put(Metric::Tasks, c, |i| sums.get(Sum::Units)[i]);
        s.put(Metric::CpuPercent, c, |i| {
            percent(sums.get(Sum::VcpuBusy)[i], sums.get(Sum::VcpuTotal)[i])
        });
        s.put(Metric::DbConnections, c, |i| db[i]);
        s.put(Metric::DbConnectionsPercent, c, |i| percent(db[i], usable));
        s.put(Metric::ProxyWaits, c, |i| waits[i]);
        s.put(Metric::FleetSaturated, c, |i| sums.get(Sum::Saturated)[i]);
    }

    fn finish(
        mut self,
        scale: f64,
        settings: &SimSettings,
        month_s: f64,
        requests: f64,
    ) -> SimResult {
        for t in &mut self.totals {
            if t.min_units == u32::MAX {
                t.min_units = 0;
            }
        }
        let dt = f64::from(settings.step_seconds);
        let steps = ceil(month_s / dt);
        SimResult {
            scale,
            seed: settings.seed,
            step_seconds: settings.step_seconds,
            month_seconds: month_s,
            series: self.series,
            compute: self.totals,
            requests,
            lambda_mean: self.lambda_conc_sum / (steps * dt),
            db_peak: self.db_peak,
        }
    }
}

impl Series {
    /// Record `v(i)` for each step `c.start + i` of the chunk.
    #[inline(always)]
    fn put(&mut self, m: Metric, c: &Chunk, v: impl Fn(usize) -> f64) {
        let Some(at) = self.at[m.index()] else {
            return;
        };
        if self.max.is_empty() {
            // A minute is a step: set the chunk's slice (a loop the compiler vectorises).
            let at = at + c.start;
            for (i, out) in self.sum[at..at + c.len].iter_mut().enumerate() {
                *out = v(i) as f32;
            }
        } else {
            for i in 0..c.len {
                self.record(m, c.minute + c.clock.of[i], v(i));
            }
        }
    }
}

/// Simulate `model` under `profile` × `scale` for one month of `month_seconds`.
pub fn simulate(
    model: &PhaseModel,
    profile: &TrafficProfile,
    settings: &SimSettings,
    month_seconds: f64,
    scale: f64,
) -> SimResult {
    let month = Month::new(profile, settings, month_seconds);
    let mut run = PhaseRun::new(model, month.minutes, month.spm);
    let requests = month.run(std::slice::from_mut(&mut run), scale);
    run.finish(scale, settings, month_seconds, requests)
}

/// Asked after each chunk of a month: the runs so far, and the minutes complete.
type Stop<'s> = dyn FnMut(&[PhaseRun], usize) -> bool + 's;

/// Whether each of `rules` fires when `model` is simulated as [`simulate`] does, stopping the
/// month as soon as every rule has fired (the trigger searches ask only this, and a rule over
/// its threshold usually fires in the month's first busy hours). The same verdicts as
/// `rule.fires` on the whole month.
pub fn fires_at(
    model: &PhaseModel,
    profile: &TrafficProfile,
    settings: &SimSettings,
    month_seconds: f64,
    scale: f64,
    rules: &[Trigger],
    usable: u32,
) -> Vec<bool> {
    let month = Month::new(profile, settings, month_seconds);
    let mut run = PhaseRun::new(model, month.minutes, month.spm);
    let mut watches: Vec<Watch> = rules
        .iter()
        .map(|r| Watch::new(r, usable, month.minutes))
        .collect();
    month.run_until(
        std::slice::from_mut(&mut run),
        scale,
        &mut |runs, minutes| {
            let Some(run) = runs.first() else {
                return true;
            };
            for w in &mut watches {
                w.advance(&run.series, minutes);
            }
            watches.iter().all(Watch::fired)
        },
    );
    watches.iter().map(Watch::verdict).collect()
}

/// Simulate several phases under the same traffic: the same as [`simulate`] for each, with
/// the arrivals (and the demand of units with the same traffic share) computed once.
pub fn simulate_many(
    models: &[&PhaseModel],
    profile: &TrafficProfile,
    settings: &SimSettings,
    month_seconds: f64,
    scale: f64,
) -> Vec<SimResult> {
    let month = Month::new(profile, settings, month_seconds);
    let mut runs: Vec<PhaseRun> = models
        .iter()
        .map(|m| PhaseRun::new(m, month.minutes, month.spm))
        .collect();
    let requests = month.run(&mut runs, scale);
    runs.into_iter()
        .map(|r| r.finish(scale, settings, month_seconds, requests))
        .collect()
}

/// A month of steps under one traffic profile.
struct Month<'a> {
    profile: &'a TrafficProfile,
    settings: &'a SimSettings,
    month_seconds: f64,
    dt: f64,
    steps: usize,
    spm: usize,
    minutes: usize,
}

impl<'a> Month<'a> {
    fn new(profile: &'a TrafficProfile, settings: &'a SimSettings, month_seconds: f64) -> Self {
        let dt = f64::from(settings.step_seconds);
        let steps = ceil(month_seconds / dt) as usize;
        let spm = (60 / settings.step_seconds) as usize;
        Month {
            profile,
            settings,
            month_seconds,
            dt,
            steps,
            spm,
            minutes: steps.div_ceil(spm),
        }
    }

    /// Run every phase through the month at traffic `scale`; returns the requests that arrived.
    /// The same code is compiled twice: for the baseline CPU, and with AVX2 (rounding
    /// instructions, wider vectors) for CPUs that have it, chosen at run time. Both give the same
    /// bits: the compiler never fuses or reorders floating-point operations either way.
    fn run(&self, runs: &mut [PhaseRun], scale: f64) -> f64 {
        self.run_until(runs, scale, &mut |_, _| false)
    }

    /// [`Month::run`], asking `stop` after each chunk (with the minutes complete so far)
    /// whether to stop there; the runs are then complete only that far.
    fn run_until(&self, runs: &mut [PhaseRun], scale: f64, stop: &mut Stop) -> f64 {
        #[cfg(target_arch = "x86_64")]
        {
            if std::arch::is_x86_feature_detected!("avx2") {
                // SAFETY: the CPU has AVX2, checked just above.
                return unsafe { self.run_avx2(runs, scale, stop) };
            }
            self.run_with::<Soft>(runs, scale, stop)
        }
        #[cfg(not(target_arch = "x86_64"))]
        self.run_with::<Native>(runs, scale, stop)
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn run_avx2(&self, runs: &mut [PhaseRun], scale: f64, stop: &mut Stop) -> f64 {
        self.run_with::<Native>(runs, scale, stop)
    }

    #[inline(always)]
    fn run_with<R: Rounding>(&self, runs: &mut [PhaseRun], scale: f64, stop: &mut Stop) -> f64 {
        let (profile, dt, steps, spm) = (self.profile, self.dt, self.steps, self.spm);
        let draws = draws::for_seed(self.settings.seed, steps);
        let mut arrivals_of = poisson::Sampler::default();

        let d_mean_s = profile.duration.mean_ms() / 1000.0;
        // How many independent looks at the in-flight count a step holds: one per mean
        // duration.
        let looks = (dt / d_mean_s.max(1e-6)).max(1.0);
        let durations = Durations {
            d_mean_s,
            z_peak: poisson::normal_quantile(1.0 - 1.0 / (looks + 1.0)),
            // Lambda bills each request's duration rounded up to 1 ms: a fixed duration rounds
            // once; a spread of durations adds half a millisecond on average.
            billed_ms_per_request: match profile.duration {
                super::profile::Duration::Fixed { ms } => ceil(ms),
                _ => profile.duration.mean_ms() + 0.5,
            },
            d_p95: profile.duration.quantile_ms(0.95),
        };
        // The distinct traffic shares of all units, each with its demand per chunk.
        let mut demand: Vec<UnitDemand> = Vec::new();
        for u in runs.iter().flat_map(|r| &r.model.compute) {
            if !demand
                .iter()
                .any(|d| d.share.to_bits() == u.share.to_bits())
            {
                demand.push(UnitDemand {
                    share: u.share,
                    arrivals: [0.0; CHUNK],
                    inflight: [0.0; CHUNK],
                    peak: [0.0; CHUNK],
                });
            }
        }

        let clock = MinuteClock::new(spm);
        let hourly = profile.hourly_rates(self.month_seconds, scale);
        let steps_per_hour = (3600 / self.settings.step_seconds) as usize;
        let spiky = !profile.spikes.is_empty();
        let (mut hour, mut left_in_hour) = (0, steps_per_hour);
        let mut requests = 0.0;
        let mut n = [0.0; CHUNK];
        let mut start = 0;
        while start < steps {
            let c = Chunk {
                start,
                len: CHUNK.min(steps - start),
                dt,
                minute: start / spm,
                clock: &clock,
            };
            let n = &mut n[..c.len];
            // The chunk's normal quantiles, fetched when a step first needs one.
            let mut z: Option<&[f64]> = None;
            for (i, n) in n.iter_mut().enumerate() {
                let step = start + i;
                let mut rate = hourly[hour.min(hourly.len() - 1)];
                if spiky {
                    rate *= profile.spike_factor(step as f64 * dt + dt / 2.0);
                }
                let z = || z.get_or_insert_with(|| draws.zs(start..start + c.len))[i];
                *n = arrivals_of.sample::<R>(draws.u[step], z, rate * dt);
                left_in_hour -= 1;
                if left_in_hour == 0 {
                    hour += 1;
                    left_in_hour = steps_per_hour;
                }
            }
            for n in n.iter() {
                requests += n;
            }
            for d in &mut demand {
                d.fill::<R>(n, &durations, dt);
            }
            for r in runs.iter_mut() {
                r.chunk::<R>(&c, n, &demand, &durations);
            }
            start += c.len;
            // The month's last minute may be short of steps; it is complete at the end.
            let minutes = if start >= steps {
                self.minutes
            } else {
                start / spm
            };
            if stop(runs, minutes) {
                break;
            }
        }
        requests
    }
}

struct LambdaUnit {
    cap: f64,
    cold_start_ms: f64,
    pool: f64,
    overflow: f64,
}

impl LambdaUnit {
    #[allow(clippy::too_many_arguments)]
    #[inline(always)]
    fn run(
        &self,
        d: &Durations,
        c: &Chunk,
        ud: &UnitDemand,
        st: &mut LambdaState,
        tot: &mut ComputeTotals,
        sums: &mut StepSums,
        lambda_conc: &mut Steps,
    ) {
        let (cap, pool) = (self.cap, self.pool);
        let busy_conns = pool + self.overflow;
        // What the cap serves and throttles: no step depends on another (the loss is looked up
        // only where the peak is over the cap).
        let (mut served_peak, mut throttled, mut served) =
            ([0.0; CHUNK], [0.0; CHUNK], [0.0; CHUNK]);
        for i in 0..c.len {
            served_peak[i] = ud.peak[i].min(cap);
        }
        let (mut over, mut loads, mut loss) = ([0usize; CHUNK], [0.0; CHUNK], [0.0; CHUNK]);
        let mut n_over = 0;
        for i in 0..c.len {
            if ud.peak[i] > cap {
                (over[n_over], loads[n_over]) = (i, ud.inflight[i]);
                n_over += 1;
            }
        }
        if n_over > 0 {
            st.loss.losses(&loads[..n_over], &mut loss[..n_over]);
            for (&i, b) in over[..n_over].iter().zip(&loss) {
                throttled[i] = ud.arrivals[i] * b;
            }
        }
        for i in 0..c.len {
            served[i] = ud.arrivals[i] - throttled[i];
        }
        // Warm environments carry from step to step.
        let (mut cold, mut idle) = ([0.0; CHUNK], [0.0; CHUNK]);
        for i in 0..c.len {
            cold[i] = (served_peak[i] - st.warm).max(0.0).min(served[i]);
            if c.clock.first[i] {
                st.next_minute(c.minute + c.clock.of[i]);
            }
            st.busy(served_peak[i]);
            idle[i] = st.warm - served_peak[i];
        }
        let len = c.len;
        // Busy environments hold pool + overflow, idle warm ones their pool.
        sums.add(Sum::ClientConns, len, |i| {
            served_peak[i] * busy_conns + idle[i] * pool
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
        for i in 0..len {
            lambda_conc[i] = ud.inflight[i].min(cap) * c.dt;
        }
        // The month's totals, added step by step.
        for i in 0..c.len {
            tot.requests += served[i];
            tot.throttled += throttled[i];
            tot.cold_starts += cold[i];
            tot.billed_ms += served[i] * d.billed_ms_per_request + cold[i] * self.cold_start_ms;
        }
    }
}

struct FleetUnit<'a> {
    vcpu: f64,
    scaling: Option<&'a Scaling>,
    pool: f64,
    overflow: f64,
}

impl FleetUnit<'_> {
    #[inline(always)]
    fn run<R: Rounding>(
        &self,
        d: &Durations,
        c: &Chunk,
        ud: &UnitDemand,
        st: &mut FleetState,
        tot: &mut ComputeTotals,
        sums: &mut StepSums,
    ) {
        // The count (after the step's scaling decision) and the saturation of each step.
        let mut counts = [0u32; CHUNK];
        let mut saturated = [false; CHUNK];
        match self.scaling {
            Some(s) if c.clock.single => {
                self.decide_each_step::<R>(s, c, ud, st, &mut counts, &mut saturated)
            }
            Some(s) => {
                for i in 0..c.len {
                    st.metric_sum += metric(s, ud.arrivals[i] / c.dt, st.count, self.vcpu);
                    st.metric_steps += 1;
                    if c.clock.last[i] {
                        let avg = st.metric_sum / f64::from(st.metric_steps);
                        autoscale::<R>(st, s, avg, (c.start + i) as f64 * c.dt + c.dt);
                        st.metric_sum = 0.0;
                        st.metric_steps = 0;
                    }
                    counts[i] = st.count;
                    saturated[i] = st.saturated;
                }
            }
            None => {
                counts.fill(st.count);
                saturated.fill(st.saturated);
            }
        }

        let cpu_ms = match self.scaling {
            Some(Scaling {
                target:
                    Target::CpuPercent {
                        cpu_ms_per_request, ..
                    },
                ..
            }) => Some(*cpu_ms_per_request),
            _ => None,
        };
        // The step sums: no step depends on another, so these loops run on vectors.
        let (pool, overflow, vcpu, dt, len) = (self.pool, self.overflow, self.vcpu, c.dt, c.len);
        let count = |i: usize| f64::from(counts[i]);
        sums.add(
            Sum::Saturated,
            len,
            |i| if saturated[i] { 1.0 } else { 0.0 },
        );
        sums.add(Sum::ClientConns, len, |i| {
            count(i) * pool + ud.peak[i].min(count(i)) * overflow
        });
        sums.add(Sum::Units, len, count);
        sums.add(Sum::VcpuTotal, len, |i| count(i) * vcpu);
        sums.max(Sum::P95, len, |_| d.d_p95);
        if pool + overflow > 0.0 {
            sums.add(Sum::BusyTx, len, |i| ud.peak[i]);
        }
        if let Some(cpu_ms_per_request) = cpu_ms {
            sums.add(Sum::VcpuBusy, len, |i| {
                ud.arrivals[i] / dt * cpu_ms_per_request / 1000.0
            });
        }
        // The month's totals, added step by step.
        for i in 0..c.len {
            let arrivals = ud.arrivals[i];
            tot.requests += arrivals;
            tot.billed_ms += arrivals * d.billed_ms_per_request;
            tot.unit_seconds += f64::from(counts[i]) * dt;
        }
        for &n in &counts[..c.len] {
            tot.min_units = tot.min_units.min(n);
            tot.max_units = tot.max_units.max(n);
        }
    }

    /// Scaling decisions when a minute is one step, so one is taken every step. Step by step,
    /// each decision waits for the count the last one set (a chain of divisions, most of a
    /// sweep's time). But the count rarely changes: so the decisions of a stretch of steps are
    /// worked out for the count it starts with (independent steps, which the CPU overlaps), and
    /// the stretch is cut at the first step whose decision changes the count. Same arithmetic,
    /// same decisions.
    #[inline(always)]
    fn decide_each_step<R: Rounding>(
        &self,
        s: &Scaling,
        c: &Chunk,
        ud: &UnitDemand,
        st: &mut FleetState,
        counts: &mut [u32; CHUNK],
        saturated: &mut [bool; CHUNK],
    ) {
        // The metric's count-free part: req/s, or the vCPU-seconds per second they take.
        let mut load = [0.0f64; CHUNK];
        for (l, a) in load[..c.len].iter_mut().zip(&ud.arrivals) {
            *l = match s.target {
                Target::RpsPerUnit(_) => a / c.dt,
                Target::CpuPercent {
                    cpu_ms_per_request, ..
                } => a / c.dt * cpu_ms_per_request / 1000.0,
            };
        }
        let mut desired = [0.0f64; CHUNK];
        // Stretches start short and double while the count holds (a count that changes every
        // step would otherwise redo long stretches).
        let mut stretch = 8;
        let mut i = 0;
        while i < c.len {
            let count = st.count;
            let end = (i + stretch).min(c.len);
            // The metric's division by the fleet's size, one step after another (on vectors):
            // `metric`'s arithmetic in its order, with the count-free part from `load`.
            let unit = f64::from(count.max(1));
            let (loads, outs) = (&load[i..end], desired[i..end].iter_mut());
            let outs = outs.zip(saturated[i..end].iter_mut());
            match s.target {
                Target::RpsPerUnit(_) => {
                    for (x, (d, sat)) in loads.iter().zip(outs) {
                        // As the step-by-step loop does: a minute's sum starts at 0, 1 step.
                        let avg = (0.0 + x / unit) / 1.0;
                        (*d, *sat) = decision_f64::<R>(s, count, avg);
                    }
                }
                Target::CpuPercent { .. } => {
                    let vcpus = unit * self.vcpu;
                    for (x, (d, sat)) in loads.iter().zip(outs) {
                        let avg = (0.0 + x / vcpus * 100.0) / 1.0;
                        (*d, *sat) = decision_f64::<R>(s, count, avg);
                    }
                }
            }
            let mut j = i;
            let changed = loop {
                if j == end {
                    break false;
                }
                let now = (c.start + j) as f64 * c.dt + c.dt;
                st.saturated = saturated[j];
                if apply(st, s, desired[j] as u32, now) {
                    break true;
                }
                counts[j] = count;
                j += 1;
            };
            if changed {
                counts[j] = st.count;
                i = j + 1;
                stretch = 8;
            } else {
                i = end;
                stretch = (stretch * 2).min(CHUNK);
            }
        }
    }
}

/// `part` as a percentage of `whole`; 0 when there is no whole (no fleet, no database).
#[inline(always)]
fn percent(part: f64, whole: f64) -> f64 {
    if whole > 0.0 {
        part / whole * 100.0
    } else {
        0.0
    }
}

/// The fleet's scaling metric this step.
#[inline(always)]
fn metric(s: &Scaling, rps: f64, count: u32, vcpu: f64) -> f64 {
    let count = f64::from(count.max(1));
    match s.target {
        Target::RpsPerUnit(_) => rps / count,
        Target::CpuPercent {
            cpu_ms_per_request, ..
        } => rps * cpu_ms_per_request / 1000.0 / (count * vcpu) * 100.0,
    }
}

/// Target tracking: desired = ceil(count × metric / target), within min/max and cooldowns.
#[inline(always)]
fn autoscale<R: Rounding>(st: &mut FleetState, s: &Scaling, avg: f64, now: f64) {
    let desired;
    (desired, st.saturated) = decision::<R>(s, st.count, avg);
    apply(st, s, desired, now);
}

/// The count target tracking asks for at `count` and metric `avg`, and whether the fleet is
/// saturated (at its maximum with the metric still above target).
#[inline(always)]
fn decision<R: Rounding>(s: &Scaling, count: u32, avg: f64) -> (u32, bool) {
    let (desired, saturated) = decision_f64::<R>(s, count, avg);
    // A whole number within min..=max.
    (desired as u32, saturated)
}

/// [`decision`] with the count as an f64 (the loop over a stretch of steps runs on vectors):
/// ceil(count × avg / target), at least 0 (NaN counts as 0), within min..=max.
#[inline(always)]
fn decision_f64<R: Rounding>(s: &Scaling, count: u32, avg: f64) -> (f64, bool) {
    let target = match s.target {
        Target::RpsPerUnit(r) => r,
        Target::CpuPercent { percent, .. } => percent,
    };
    let saturated = count >= s.max && avg > target;
    let desired = R::ceil(f64::from(count) * avg / target)
        .max(0.0)
        .max(f64::from(s.min.max(1)))
        .min(f64::from(s.max));
    (desired, saturated)
}

/// Move to `desired` if the cooldowns allow; whether the count changed.
#[inline(always)]
fn apply(st: &mut FleetState, s: &Scaling, desired: u32, now: f64) -> bool {
    if desired > st.count && now - st.last_out >= s.out_cooldown_s {
        st.count = desired;
        st.last_out = now;
        st.last_change = now;
        true
    } else if desired < st.count && now - st.last_change >= s.in_cooldown_s {
        st.count = desired;
        st.last_change = now;
        true
    } else {
        false
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

    const SCENARIOS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios");

    /// A scenario file, loaded with the embedded price books.
    fn library(path: &std::path::Path) -> crate::scenario::Scenario {
        let catalog = crate::pricing::BookSource::Embedded
            .catalog()
            .expect("catalog");
        crate::scenario::Scenario::load(path, &catalog).expect("scenario")
    }

    /// The metrics `live_metrics` leaves out are zero at every step of every phase of every
    /// scenario in the library, at low and high traffic: storing them all changes nothing.
    #[test]
    fn metrics_left_out_are_zero_throughout() {
        let mut checked = 0;
        for entry in std::fs::read_dir(SCENARIOS).expect("scenarios") {
            let s = library(&entry.expect("entry").path());
            let Some(t) = &s.traffic else { continue };
            for model in s.phases.iter().filter_map(|p| p.model.as_ref()) {
                for scale in [0.5, 40.0] {
                    let month = Month::new(&t.profile, &t.settings, 730.0 * 3600.0);
                    let mut sparse = PhaseRun::new(model, month.minutes, month.spm);
                    let mut full = PhaseRun::new(model, month.minutes, month.spm);
                    full.series = Series::new(month.minutes, month.spm, [true; 12]);
                    month.run(std::slice::from_mut(&mut sparse), scale);
                    month.run(std::slice::from_mut(&mut full), scale);
                    for m in Metric::ALL {
                        assert_eq!(sparse.series.sums(m), full.series.sums(m), "{m:?}");
                        assert_eq!(sparse.series.maxes(m), full.series.maxes(m), "{m:?}");
                    }
                    checked += 1;
                }
            }
        }
        assert!(checked > 20, "only {checked} phases checked");
    }

    /// The baseline build (inline integer rounding) and the AVX2 one (rounding instructions)
    /// simulate the same bits; whichever this machine runs, both code paths are checked here.
    #[test]
    fn every_build_of_the_month_loop_gives_the_same_bits() {
        for file in ["lambda-rds.toml", "ec2-phases.toml", "prod.toml"] {
            let s = library(&std::path::Path::new(SCENARIOS).join(file));
            let t = s.traffic.as_ref().expect("traffic");
            let models: Vec<&PhaseModel> =
                s.phases.iter().filter_map(|p| p.model.as_ref()).collect();
            for scale in [1.0, 30.0] {
                let month = Month::new(&t.profile, &t.settings, 730.0 * 3600.0);
                let runs = || -> Vec<PhaseRun> {
                    models
                        .iter()
                        .map(|m| PhaseRun::new(m, month.minutes, month.spm))
                        .collect()
                };
                let (mut soft, mut native, mut chosen) = (runs(), runs(), runs());
                let r1 = month.run_with::<Soft>(&mut soft, scale, &mut |_, _| false);
                let r2 = month.run_with::<Native>(&mut native, scale, &mut |_, _| false);
                let r3 = month.run(&mut chosen, scale);
                assert_eq!(r1.to_bits(), r2.to_bits());
                assert_eq!(r1.to_bits(), r3.to_bits());
                for ((a, b), c) in soft.into_iter().zip(native).zip(chosen) {
                    let (a, b, c) = (
                        a.finish(scale, &t.settings, 730.0 * 3600.0, r1),
                        b.finish(scale, &t.settings, 730.0 * 3600.0, r1),
                        c.finish(scale, &t.settings, 730.0 * 3600.0, r1),
                    );
                    assert!(a == b && b == c, "{file} at {scale}x");
                }
            }
        }
    }

    #[test]
    fn the_erlang_memo_returns_what_erlang_b_computes() {
        let mut memo = ErlangMemo {
            cap: 20,
            slots: Vec::new(),
        };
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
                let mut st = LambdaState {
                    keep_warm: keep,
                    provisioned,
                    window: std::collections::VecDeque::new(),
                    minute_max: 0.0,
                    warm: provisioned,
                    loss: ErlangMemo {
                        cap: 1,
                        slots: Vec::new(),
                    },
                };
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
