//! The steps simulated together: where a chunk sits in the month, the demand each compute unit
//! sees over it, and the per-step sums the units add to.

use super::series::{Metric, Series};
use crate::sim::draws;
use crate::sim::round::Rounding;

/// Steps simulated together. The loop runs in passes over a chunk of steps (arrivals, then
/// each compute unit, then the database and the series) rather than all the work of one step at
/// a time: each pass is a short loop the CPU overlaps well (all of one step at a time is a long
/// chain of divisions and square roots) with no per-step dispatch on the unit's kind, and the
/// series are written a chunk at a time. The arithmetic, and the order of every sum, is that of
/// one step at a time (`sim::reference`). A multiple of every steps-per-minute (1 to 60), so a
/// chunk starts on a minute.
pub(super) const CHUNK: usize = 120;
const _: () = assert!(
    draws::Z_BLOCK.is_multiple_of(CHUNK),
    "a chunk's quantiles must lie in one block"
);

/// Steps of a chunk, one per f64.
pub(super) type Steps = [f64; CHUNK];

/// Where a chunk sits in the month.
pub(super) struct Chunk<'a> {
    /// First step; a minute's first step.
    pub(super) start: usize,
    pub(super) len: usize,
    pub(super) dt: f64,
    /// The chunk's first minute.
    pub(super) minute: usize,
    pub(super) clock: &'a MinuteClock,
}

/// Which minute of its chunk each step falls in, and whether it starts or ends it (the same
/// for every chunk, as chunks start on a minute).
pub(super) struct MinuteClock {
    /// A minute is one step.
    pub(super) single: bool,
    pub(super) of: [usize; CHUNK],
    pub(super) first: [bool; CHUNK],
    pub(super) last: [bool; CHUNK],
}

impl MinuteClock {
    pub(super) fn new(spm: usize) -> MinuteClock {
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
pub(super) struct UnitDemand {
    pub(super) share: f64,
    pub(super) arrivals: Steps,
    pub(super) inflight: Steps,
    pub(super) peak: Steps,
}

/// What every compute unit shares: the request duration, and the law of the step's peak.
pub(super) struct Durations {
    pub(super) d_mean_s: f64,
    pub(super) peak: std::sync::Arc<crate::sim::peak::PeakTable>,
    pub(super) billed_ms_per_request: f64,
    pub(super) d_p95: f64,
}

impl UnitDemand {
    #[inline(always)]
    pub(super) fn fill<R: Rounding>(
        &mut self,
        n: &[f64],
        g: &[crate::sim::peak::Col],
        d: &Durations,
        dt: f64,
    ) {
        let share = self.share;
        let mut peaks = crate::sim::peak::Cursor::new(&d.peak);
        for (i, (&n, &g)) in n.iter().zip(g).enumerate() {
            let a = n * share;
            let mi = a * d.d_mean_s / dt;
            self.arrivals[i] = a;
            self.inflight[i] = mi;
            // A unit that gets every request has at least one in flight in a step with an
            // arrival. A unit with a share of them gets `a` on average, which is no arrival at
            // all in most steps when `a` is small: its peak is the unconditional law's.
            self.peak[i] = if a > 0.0 {
                let p = R::ceil(peaks.quantile(mi, g));
                let p = if share >= 1.0 { p.max(1.0) } else { p };
                p.min(R::ceil(a) + R::ceil(mi))
            } else {
                0.0
            };
        }
    }
}

/// A per-step sum over a phase's compute units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Sum {
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
    /// The step's time-averages of the two sums above (peaks within the step), for the
    /// database connections' Average (`sim::trigger`).
    ClientConnsMean,
    BusyTxMean,
}

impl Sum {
    const COUNT: usize = 13;

    /// The stored metric that reads this sum (`None`: the connection sums, always read).
    pub(super) fn metric(self) -> Option<Metric> {
        match self {
            Sum::Demand => Some(Metric::LambdaDemand),
            Sum::Saturated => Some(Metric::FleetSaturated),
            Sum::Conc => Some(Metric::LambdaConcurrency),
            Sum::Throttled => Some(Metric::Throttles),
            Sum::Cold => Some(Metric::ColdStarts),
            Sum::P95 => Some(Metric::P95LatencyMs),
            Sum::Units => Some(Metric::Tasks),
            Sum::VcpuBusy | Sum::VcpuTotal => Some(Metric::CpuPercent),
            Sum::ClientConns | Sum::BusyTx | Sum::ClientConnsMean | Sum::BusyTxMean => None,
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
    Sum::ClientConnsMean,
    Sum::BusyTxMean,
];

/// The per-step sums of one chunk. Each starts at 0 and the units add to it in order; rather
/// than zeroing every sum for every chunk (5 % of a sweep), the first unit to add to a sum
/// writes `0.0 + v` (exactly what adding to a zero gives), and only sums no unit wrote are
/// zeroed, if something reads them.
pub(super) struct StepSums {
    v: [Steps; Sum::COUNT],
    /// Not yet written this chunk.
    fresh: [bool; Sum::COUNT],
}

impl StepSums {
    pub(super) fn new() -> StepSums {
        StepSums {
            v: [[0.0; CHUNK]; Sum::COUNT],
            fresh: [true; Sum::COUNT],
        }
    }

    pub(super) fn begin(&mut self) {
        self.fresh = [true; Sum::COUNT];
    }

    /// `sum[i] += v(i)` for the chunk's `len` steps.
    #[inline(always)]
    pub(super) fn add(&mut self, s: Sum, len: usize, v: impl Fn(usize) -> f64) {
        self.combine(s, len, |a, b| a + b, v);
    }

    /// `sum[i] = max(sum[i], v(i))`.
    #[inline(always)]
    pub(super) fn max(&mut self, s: Sum, len: usize, v: impl Fn(usize) -> f64) {
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
        let out = &mut self.v[s as usize][..len];
        // Two loops, not one test per step, so each runs on vectors.
        if fresh {
            for (i, o) in out.iter_mut().enumerate() {
                *o = op(0.0, v(i));
            }
        } else {
            for (i, o) in out.iter_mut().enumerate() {
                *o = op(*o, v(i));
            }
        }
    }

    /// Zero the sums no unit wrote that the database pass or `series` read.
    pub(super) fn settle(&mut self, series: &Series, len: usize) {
        for s in SUMS {
            let read = s.metric().is_none_or(|m| series.stores(m));
            if self.fresh[s as usize] && read {
                self.v[s as usize][..len].fill(0.0);
            }
        }
    }

    pub(super) fn get(&self, s: Sum) -> &Steps {
        &self.v[s as usize]
    }
}

/// The largest of `start` and `values`. Four running maxima side by side: one would be a chain
/// the CPU waits on at every value, and the largest of a set does not depend on the order.
#[inline(always)]
pub(super) fn max_of(start: f64, values: &[f64]) -> f64 {
    let mut lanes = [start; 4];
    let mut blocks = values.chunks_exact(4);
    for b in &mut blocks {
        for (l, v) in lanes.iter_mut().zip(b) {
            *l = l.max(*v);
        }
    }
    let tail = blocks.remainder().iter();
    lanes.iter().chain(tail).fold(start, |a, b| a.max(*b))
}

/// `part` as a percentage of `whole`; 0 when there is no whole (no fleet, no database).
#[inline(always)]
pub(super) fn percent(part: f64, whole: f64) -> f64 {
    if whole > 0.0 {
        part / whole * 100.0
    } else {
        0.0
    }
}
