//! The per-minute series of the simulated metrics, and the buffer pool they live in.

use super::chunk::Chunk;
use crate::scenario::workload::{ComputeDetail, PhaseModel};

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
        let bufs = [
            std::mem::take(&mut self.sum),
            std::mem::take(&mut self.max),
            std::mem::take(&mut self.mean),
        ];
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

/// The metrics whose step value is a peak of a count CloudWatch publishes as samples of the
/// occupancy (RDS `DatabaseConnections`): for them a series also keeps each step's
/// time-average, which their data points and Average read (the table in `sim::trigger`).
/// Lambda's concurrency is not among them: its data point is the minute's maximum.
pub const SAMPLED: [Metric; 2] = [Metric::DbConnections, Metric::DbConnectionsPercent];

/// Sum and maximum of each metric over each minute, and the sum of the steps' time-averages
/// of the [`SAMPLED`] ones.
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
    /// Where each stored [`SAMPLED`] metric's minutes start in `mean`.
    mean_at: [Option<usize>; Metric::ALL.len()],
    /// Per minute, the sum of the steps' time-averages (mean connections open).
    mean: Vec<f32>,
}

/// Longest month whose zero series can be lent out (31 days, as `hours_per_month` allows,
/// plus a day); a longer one stores every metric.
const ZERO_MINUTES: usize = 32 * 24 * 60;
static ZEROS: [f32; ZERO_MINUTES] = [0.0; ZERO_MINUTES];

impl Series {
    /// Series for the metrics in `live` (all of them when the month is too long to lend out
    /// zeros for the others).
    pub(super) fn new(
        minutes: usize,
        steps_per_minute: usize,
        live: [bool; Metric::ALL.len()],
    ) -> Series {
        let mut at = [None; Metric::ALL.len()];
        let mut stored = 0;
        for (slot, live) in at.iter_mut().zip(live) {
            if live || minutes > ZERO_MINUTES {
                *slot = Some(stored * minutes);
                stored += 1;
            }
        }
        let n = stored * minutes;
        let mut mean_at = [None; Metric::ALL.len()];
        let mut sampled = 0;
        for m in SAMPLED {
            if at[m.index()].is_some() {
                mean_at[m.index()] = Some(sampled * minutes);
                sampled += 1;
            }
        }
        let single = steps_per_minute == 1;
        // One step a minute: every stored (metric, minute) is set exactly once, by `put` and
        // `put_mean`.
        Series {
            minutes,
            steps_per_minute,
            at,
            sum: buffer(n, !single),
            max: if single { Vec::new() } else { buffer(n, true) },
            mean_at,
            mean: buffer(sampled * minutes, !single),
        }
    }

    /// Whether metric `m` is stored (a metric the phase cannot move is not).
    pub(super) fn stores(&self, m: Metric) -> bool {
        self.at[m.index()].is_some()
    }

    /// Record `v(i)` for each step `c.start + i` of the chunk.
    #[inline(always)]
    pub(super) fn put(&mut self, m: Metric, c: &Chunk, v: impl Fn(usize) -> f64) {
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
                let at = at + c.minute + c.clock.of[i];
                let v = v(i) as f32;
                self.sum[at] += v;
                if v > self.max[at] {
                    self.max[at] = v;
                }
            }
        }
    }

    /// Record the time-average `v(i)` of each step `c.start + i` for a [`SAMPLED`] metric.
    #[inline(always)]
    pub(super) fn put_mean(&mut self, m: Metric, c: &Chunk, v: impl Fn(usize) -> f64) {
        let Some(at) = self.mean_at[m.index()] else {
            return;
        };
        if self.max.is_empty() {
            let at = at + c.start;
            for (i, out) in self.mean[at..at + c.len].iter_mut().enumerate() {
                *out = v(i) as f32;
            }
        } else {
            for i in 0..c.len {
                self.mean[at + c.minute + c.clock.of[i]] += v(i) as f32;
            }
        }
    }

    /// Sum of the steps' time-averages in each minute: for a [`SAMPLED`] metric its own
    /// channel, for any other the step values (already an average over the step, or constant
    /// through it).
    pub fn mean_sums(&self, m: Metric) -> &[f32] {
        match self.mean_at[m.index()] {
            Some(at) => &self.mean[at..at + self.minutes],
            None => self.sums(m),
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
pub(super) fn live_metrics(model: &PhaseModel) -> [bool; Metric::ALL.len()] {
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
