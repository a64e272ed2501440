//! Fargate services and EC2 groups: a fixed count, or target-tracking autoscaling decided at
//! the end of each minute on that minute's average metric, within min/max and the cooldowns.
//! The connections a fleet holds: its pool per unit, plus overflow for units busy at the peak.
//! A fleet on a weekly schedule has no units outside it: the requests that arrive then are not
//! served (counted as unserved), and each time it starts it starts afresh at its initial count.

// The step passes read and write several per-step arrays at the same index; zipping them
// would say less than `for i in 0..len`.
#![allow(clippy::needless_range_loop)]

use super::chunk::{Chunk, Durations, StepSums, Sum, UnitDemand, CHUNK};
use super::ComputeTotals;
use crate::scenario::workload::{Scaling, Target};
use crate::sim::round::Rounding;

/// A fleet's state from step to step.
pub(super) struct FleetState {
    count: u32,
    /// The count it starts with (at the month's start, and each time its schedule starts it).
    initial: u32,
    /// Running (always, without a schedule).
    on: bool,
    /// When it last scaled out, and last scaled either way (seconds into the month).
    last_out: f64,
    last_change: f64,
    /// The current minute's metric so far, and its steps.
    metric_sum: f64,
    metric_steps: u32,
    /// At max size with the last minute's metric above target: it cannot scale further.
    saturated: bool,
}

impl FleetState {
    /// `count` units to start with (within the autoscaling range, if it scales).
    pub(super) fn new(count: u32, scaling: Option<&Scaling>) -> FleetState {
        let initial = scaling.map_or(count, |s| count.clamp(s.min.max(1), s.max));
        FleetState {
            count: initial,
            initial,
            on: true,
            last_out: f64::NEG_INFINITY,
            last_change: f64::NEG_INFINITY,
            metric_sum: 0.0,
            metric_steps: 0,
            saturated: false,
        }
    }

    /// Stop (no units) or start again (the initial count, cooldowns and metric afresh) as its
    /// schedule says at this step.
    #[inline(always)]
    fn follow_schedule(&mut self, on: bool) {
        if on != self.on {
            *self = FleetState {
                count: if on { self.initial } else { 0 },
                on,
                ..FleetState::new(self.initial, None)
            };
        }
    }
}

/// The hour of the week (Monday 00:00 first, as the month starts) step `step` falls in.
#[inline(always)]
fn hour_of_week(step: usize, dt: f64) -> usize {
    (step as f64 * dt / 3600.0) as usize % 168
}

/// One fleet's settings, as its pass over a chunk reads them.
pub(super) struct FleetUnit<'a> {
    pub(super) vcpu: f64,
    /// vCPU-ms per request when the fleet has a CPU model (scaled on CPU or not).
    pub(super) cpu_ms: Option<f64>,
    pub(super) scaling: Option<&'a Scaling>,
    /// Its weekly schedule (hours of the week it runs), if any.
    pub(super) week: Option<&'a [bool; 168]>,
    pub(super) pool: f64,
    pub(super) overflow: f64,
}

impl FleetUnit<'_> {
    #[inline(always)]
    pub(super) fn run<R: Rounding>(
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
        // Whether it runs at each step.
        let mut on = [true; CHUNK];
        if let Some(week) = self.week {
            for i in 0..c.len {
                on[i] = week[hour_of_week(c.start + i, c.dt)];
            }
        }
        match self.scaling {
            // On a schedule: step by step, scaling only while on.
            _ if self.week.is_some() => {
                for i in 0..c.len {
                    st.follow_schedule(on[i]);
                    if let (Some(s), true) = (self.scaling, on[i]) {
                        st.metric_sum += metric(s, ud.arrivals[i] / c.dt, st.count, self.vcpu);
                        st.metric_steps += 1;
                        if c.clock.last[i] {
                            let avg = st.metric_sum / f64::from(st.metric_steps);
                            autoscale::<R>(st, s, avg, (c.start + i) as f64 * c.dt + c.dt);
                            st.metric_sum = 0.0;
                            st.metric_steps = 0;
                        }
                    }
                    counts[i] = st.count;
                    saturated[i] = st.saturated;
                }
            }
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

        let cpu_ms = self.cpu_ms;
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
        // Time-averages: the overflow connections of the units busy on average.
        sums.add(Sum::ClientConnsMean, len, |i| {
            count(i) * pool + ud.inflight[i].min(count(i)) * overflow
        });
        sums.add(Sum::Units, len, count);
        sums.add(Sum::VcpuTotal, len, |i| count(i) * vcpu);
        // Off, it serves nothing: no latency, transactions or CPU.
        let served = |i: usize, v: f64| if on[i] { v } else { 0.0 };
        sums.max(Sum::P95, len, |i| served(i, d.d_p95));
        if pool + overflow > 0.0 {
            sums.add(Sum::BusyTx, len, |i| served(i, ud.peak[i]));
            sums.add(Sum::BusyTxMean, len, |i| served(i, ud.inflight[i]));
        }
        if let Some(cpu_ms_per_request) = cpu_ms {
            sums.add(Sum::VcpuBusy, len, |i| {
                served(i, ud.arrivals[i] / dt * cpu_ms_per_request / 1000.0)
            });
        }
        // The month's totals, added step by step (in locals: a running sum kept in memory
        // waits on its own store every step).
        let (mut requests, mut billed_ms, mut unserved, mut unit_seconds) =
            (tot.requests, tot.billed_ms, tot.unserved, tot.unit_seconds);
        for i in 0..c.len {
            let arrivals = ud.arrivals[i];
            if on[i] {
                requests += arrivals;
                billed_ms += arrivals * d.billed_ms_per_request;
            } else {
                unserved += arrivals;
            }
            unit_seconds += f64::from(counts[i]) * dt;
        }
        (tot.requests, tot.billed_ms, tot.unserved, tot.unit_seconds) =
            (requests, billed_ms, unserved, unit_seconds);
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
        // The target is matched outside the loops, so each runs on vectors.
        let mut load = [0.0f64; CHUNK];
        let loads = load[..c.len].iter_mut().zip(&ud.arrivals);
        match s.target {
            Target::RpsPerUnit(_) => loads.for_each(|(l, a)| *l = a / c.dt),
            Target::CpuPercent {
                cpu_ms_per_request, ..
            } => loads.for_each(|(l, a)| *l = a / c.dt * cpu_ms_per_request / 1000.0),
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
            // `metric`'s arithmetic in its order, with the count-free part from `load`. A minute
            // is one step, so its average is the step's metric.
            let unit = f64::from(count.max(1));
            let (loads, outs) = (&load[i..end], desired[i..end].iter_mut());
            let outs = outs.zip(saturated[i..end].iter_mut());
            match s.target {
                Target::RpsPerUnit(_) => {
                    for (x, (d, sat)) in loads.iter().zip(outs) {
                        (*d, *sat) = decision::<R>(s, count, x / unit);
                    }
                }
                Target::CpuPercent { .. } => {
                    let vcpus = unit * self.vcpu;
                    for (x, (d, sat)) in loads.iter().zip(outs) {
                        (*d, *sat) = decision::<R>(s, count, x / vcpus * 100.0);
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
    apply(st, s, desired as u32, now);
}

/// The count target tracking asks for at `count` and metric `avg`: ceil(count × avg / target)
/// within min..=max (a whole number, kept as an f64 so a stretch of steps runs on vectors; a
/// NaN ends at the minimum), and whether the fleet is saturated (at its maximum with the
/// metric still above target).
#[inline(always)]
fn decision<R: Rounding>(s: &Scaling, count: u32, avg: f64) -> (f64, bool) {
    let target = match s.target {
        Target::RpsPerUnit(r) => r,
        Target::CpuPercent { percent, .. } => percent,
    };
    let saturated = count >= s.max && avg > target;
    let desired = R::ceil(f64::from(count) * avg / target)
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
