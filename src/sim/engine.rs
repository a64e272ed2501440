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

use super::draws;
use super::model::{ComputeDetail, PhaseModel, Scaling, Target};
use super::poisson;
use super::profile::{SimSettings, TrafficProfile};
use super::round::ceil;

/// Per-minute series of the simulated metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Metric {
    /// Requests/s arriving.
    Rps,
    /// Lambda environments busy (all functions), as CloudWatch's ConcurrentExecutions shows.
    LambdaConcurrency,
    /// Lambda concurrency the traffic asks for, before reserved/account caps.
    LambdaDemand,
    /// Requests rejected by a concurrency cap.
    Throttles,
    ColdStarts,
    /// p95 request latency, ms.
    P95LatencyMs,
    /// Tasks + instances running.
    Tasks,
    /// Average CPU of the fleets, %.
    CpuPercent,
    /// Connections open on the database.
    DbConnections,
    /// DB connections as % of usable max_connections.
    DbConnectionsPercent,
    /// Connection requests the proxy could not serve at once (over its DB-side cap).
    ProxyWaits,
    /// Autoscaled fleets at their maximum size with the metric still above target.
    FleetSaturated,
}

impl Metric {
    pub const ALL: [Metric; 12] = [
        Metric::Rps,
        Metric::LambdaConcurrency,
        Metric::LambdaDemand,
        Metric::Throttles,
        Metric::ColdStarts,
        Metric::P95LatencyMs,
        Metric::Tasks,
        Metric::CpuPercent,
        Metric::DbConnections,
        Metric::DbConnectionsPercent,
        Metric::ProxyWaits,
        Metric::FleetSaturated,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Metric::Rps => "rps",
            Metric::LambdaConcurrency => "lambda_concurrency",
            Metric::LambdaDemand => "lambda_demand",
            Metric::Throttles => "throttles",
            Metric::ColdStarts => "cold_starts",
            Metric::P95LatencyMs => "p95_latency_ms",
            Metric::Tasks => "tasks",
            Metric::CpuPercent => "cpu_percent",
            Metric::DbConnections => "db_connections",
            Metric::DbConnectionsPercent => "db_connections_percent",
            Metric::ProxyWaits => "proxy_waits",
            Metric::FleetSaturated => "fleet_saturated",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

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
    match POOL.with(|p| p.borrow_mut().pop()) {
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
    /// Metric-major: metric i's minutes are `i * minutes .. (i + 1) * minutes`. f32 halves the
    /// memory a month of minutes takes; per-minute figures need no more than 7 digits.
    sum: Vec<f32>,
    /// Empty when a minute is one step: its maximum is then its sum.
    max: Vec<f32>,
}

impl Series {
    fn new(minutes: usize, steps_per_minute: usize) -> Series {
        let n = minutes * Metric::ALL.len();
        if steps_per_minute == 1 {
            // Every (metric, minute) is set exactly once by the step loop.
            Series {
                minutes,
                steps_per_minute,
                sum: buffer(n, false),
                max: Vec::new(),
            }
        } else {
            Series {
                minutes,
                steps_per_minute,
                sum: buffer(n, true),
                max: buffer(n, true),
            }
        }
    }

    #[inline]
    fn record(&mut self, m: Metric, minute: usize, v: f64) {
        let i = m.index() * self.minutes + minute;
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

    fn range(&self, m: Metric) -> std::ops::Range<usize> {
        m.index() * self.minutes..(m.index() + 1) * self.minutes
    }

    /// Sum of the step values in each minute (counts: throttles, cold starts).
    pub fn sums(&self, m: Metric) -> &[f32] {
        &self.sum[self.range(m)]
    }

    /// Largest step value in each minute.
    pub fn maxes(&self, m: Metric) -> &[f32] {
        if self.max.is_empty() {
            self.sums(m)
        } else {
            &self.max[self.range(m)]
        }
    }

    /// Largest step value over the month.
    pub fn max_of(&self, m: Metric) -> f64 {
        self.maxes(m)
            .iter()
            .fold(0.0, |a: f64, b| a.max(f64::from(*b)))
    }

    /// Average step value in minute `i`.
    pub fn mean(&self, m: Metric, i: usize) -> f64 {
        f64::from(self.sums(m)[i]) / self.steps_per_minute as f64
    }
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
}

impl LambdaState {
    /// A new minute starts: close the last one and forget those that left the window.
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

    fn busy(&mut self, served_peak: f64) {
        self.minute_max = self.minute_max.max(served_peak);
        self.warm = self.warm.max(served_peak);
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
    let dt = f64::from(settings.step_seconds);
    let steps = ceil(month_seconds / dt) as usize;
    let spm = (60 / settings.step_seconds) as usize;
    let minutes = steps.div_ceil(spm);
    let mut series = Series::new(minutes, spm);
    let draws = draws::for_seed(settings.seed, steps);
    let mut arrivals_of = poisson::Sampler::default();

    let d_mean_s = profile.duration.mean_ms() / 1000.0;
    // Lambda bills each request's duration rounded up to 1 ms: a fixed duration rounds once;
    // a spread of durations adds half a millisecond on average.
    let billed_ms_per_request = match profile.duration {
        super::profile::Duration::Fixed { ms } => ceil(ms),
        _ => profile.duration.mean_ms() + 0.5,
    };
    let d_p95 = profile.duration.quantile_ms(0.95);
    // How many independent looks at the in-flight count a step holds: one per mean duration.
    let looks = (dt / d_mean_s.max(1e-6)).max(1.0);
    let z_peak = poisson::normal_quantile(1.0 - 1.0 / (looks + 1.0));

    let mut totals: Vec<ComputeTotals> = model
        .compute
        .iter()
        .map(|c| ComputeTotals {
            name: c.name.clone(),
            min_units: u32::MAX,
            ..Default::default()
        })
        .collect();
    // Per compute unit, the state its kind carries from step to step.
    let mut states: Vec<UnitState> = model
        .compute
        .iter()
        .map(|c| match &c.detail {
            ComputeDetail::Lambda {
                keep_warm_minutes,
                provisioned,
                ..
            } => UnitState::Lambda(LambdaState {
                keep_warm: *keep_warm_minutes,
                provisioned: f64::from(*provisioned),
                window: std::collections::VecDeque::new(),
                minute_max: 0.0,
                warm: f64::from(*provisioned),
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

    let mut requests = 0.0;
    let mut lambda_conc_sum = 0.0;
    let mut db_peak: f64 = 0.0;
    let (db_usable, db_fixed) = model.db.as_ref().map_or((0.0, 0.0), |d| {
        (f64::from(d.limit.usable), f64::from(d.fixed))
    });

    let hourly = profile.hourly_rates(month_seconds, scale);
    let steps_per_hour = (3600 / settings.step_seconds) as usize;
    let spiky = !profile.spikes.is_empty();
    for step in 0..steps {
        let t = step as f64 * dt;
        let minute = step / spm;
        let new_minute = step % spm == 0;
        let mut rate = hourly[(step / steps_per_hour).min(hourly.len() - 1)];
        if spiky {
            rate *= profile.spike_factor(t + dt / 2.0);
        }
        let n = arrivals_of.sample(draws.u[step], draws.z[step], rate * dt);
        requests += n;
        series.record(Metric::Rps, minute, n / dt);

        let (mut demand_step, mut saturated_step) = (0.0, 0.0);
        let (mut conc_step, mut throttled_step, mut cold_step, mut p95_step) = (0.0, 0.0, 0.0, 0.0);
        let (mut units_step, mut vcpu_busy, mut vcpu_total) = (0.0, 0.0, 0.0);
        let (mut client_conns, mut busy_tx) = (0.0, 0.0);
        for ((unit, state), tot) in model.compute.iter().zip(&mut states).zip(&mut totals) {
            let arrivals = n * unit.share;
            let mean_inflight = arrivals * d_mean_s / dt;
            let peak = if arrivals > 0.0 {
                ceil(mean_inflight + z_peak * mean_inflight.sqrt())
                    .clamp(1.0, ceil(arrivals) + ceil(mean_inflight))
            } else {
                0.0
            };
            let pool = f64::from(unit.pool_size);
            let busy_conns = pool + f64::from(unit.max_overflow);
            match (&unit.detail, state) {
                (
                    ComputeDetail::Lambda {
                        cap, cold_start_ms, ..
                    },
                    UnitState::Lambda(st),
                ) => {
                    let cap = f64::from(*cap);
                    let (served_peak, throttled) = if peak > cap {
                        (cap, arrivals * erlang_b(cap as u32, mean_inflight))
                    } else {
                        (peak, 0.0)
                    };
                    let served = arrivals - throttled;
                    let cold = (served_peak - st.warm).max(0.0).min(served);
                    if new_minute {
                        st.next_minute(minute);
                    }
                    st.busy(served_peak);
                    // Busy environments hold pool + overflow, idle warm ones their pool.
                    client_conns += served_peak * busy_conns + (st.warm - served_peak) * pool;
                    if busy_conns > 0.0 {
                        busy_tx += served_peak;
                    }
                    tot.requests += served;
                    tot.throttled += throttled;
                    tot.cold_starts += cold;
                    tot.billed_ms += served * billed_ms_per_request + cold * cold_start_ms;
                    conc_step += served_peak;
                    demand_step += peak;
                    lambda_conc_sum += mean_inflight.min(cap) * dt;
                    throttled_step += throttled;
                    cold_step += cold;
                    let cold_share = if served > 0.0 { cold / served } else { 0.0 };
                    let p95 = if cold_share >= 0.05 {
                        d_p95 + cold_start_ms
                    } else {
                        d_p95
                    };
                    p95_step = f64::max(p95_step, p95);
                }
                (ComputeDetail::Fleet { vcpu, scaling, .. }, UnitState::Fleet(st)) => {
                    if let Some(s) = scaling {
                        st.metric_sum += metric(s, arrivals / dt, st.count, *vcpu);
                        st.metric_steps += 1;
                        if (step + 1) % spm == 0 {
                            let avg = st.metric_sum / f64::from(st.metric_steps);
                            autoscale(st, s, avg, t + dt);
                            st.metric_sum = 0.0;
                            st.metric_steps = 0;
                        }
                    }
                    if st.saturated {
                        saturated_step += 1.0;
                    }
                    let count = f64::from(st.count);
                    let busy_units = peak.min(count);
                    client_conns += count * pool + busy_units * f64::from(unit.max_overflow);
                    if busy_conns > 0.0 {
                        busy_tx += peak;
                    }
                    tot.requests += arrivals;
                    tot.billed_ms += arrivals * billed_ms_per_request;
                    tot.unit_seconds += count * dt;
                    tot.min_units = tot.min_units.min(st.count);
                    tot.max_units = tot.max_units.max(st.count);
                    units_step += count;
                    vcpu_total += count * vcpu;
                    if let Some(Scaling {
                        target:
                            Target::CpuPercent {
                                cpu_ms_per_request, ..
                            },
                        ..
                    }) = scaling
                    {
                        vcpu_busy += arrivals / dt * cpu_ms_per_request / 1000.0;
                    }
                    p95_step = f64::max(p95_step, d_p95);
                }
                // `states` is built from these same details, so the kinds always agree.
                _ => {}
            }
        }

        // Database side: direct clients, or the proxy's multiplexed connections.
        let (db_conns, waits) = match &model.proxy {
            Some(p) => {
                let wanted = busy_tx * (1.0 - p.pinning) + client_conns * p.pinning;
                let cap = f64::from(p.cap);
                (wanted.min(cap) + db_fixed, (wanted - cap).max(0.0))
            }
            None => (client_conns + db_fixed, 0.0),
        };
        db_peak = db_peak.max(db_conns);
        series.record(Metric::LambdaConcurrency, minute, conc_step);
        series.record(Metric::LambdaDemand, minute, demand_step);
        series.record(Metric::Throttles, minute, throttled_step);
        series.record(Metric::ColdStarts, minute, cold_step);
        series.record(Metric::P95LatencyMs, minute, p95_step);
        series.record(Metric::Tasks, minute, units_step);
        series.record(Metric::CpuPercent, minute, percent(vcpu_busy, vcpu_total));
        series.record(Metric::DbConnections, minute, db_conns);
        series.record(
            Metric::DbConnectionsPercent,
            minute,
            percent(db_conns, db_usable),
        );
        series.record(Metric::ProxyWaits, minute, waits);
        series.record(Metric::FleetSaturated, minute, saturated_step);
    }
    for t in &mut totals {
        if t.min_units == u32::MAX {
            t.min_units = 0;
        }
    }
    SimResult {
        scale,
        seed: settings.seed,
        step_seconds: settings.step_seconds,
        month_seconds,
        series,
        compute: totals,
        requests,
        lambda_mean: lambda_conc_sum / (steps as f64 * dt),
        db_peak,
    }
}

/// `part` as a percentage of `whole`; 0 when there is no whole (no fleet, no database).
fn percent(part: f64, whole: f64) -> f64 {
    if whole > 0.0 {
        part / whole * 100.0
    } else {
        0.0
    }
}

/// The fleet's scaling metric this step.
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
fn autoscale(st: &mut FleetState, s: &Scaling, avg: f64, now: f64) {
    let target = match s.target {
        Target::RpsPerUnit(r) => r,
        Target::CpuPercent { percent, .. } => percent,
    };
    st.saturated = st.count >= s.max && avg > target;
    let desired =
        (ceil(f64::from(st.count) * avg / target).max(0.0) as u32).clamp(s.min.max(1), s.max);
    if desired > st.count && now - st.last_out >= s.out_cooldown_s {
        st.count = desired;
        st.last_out = now;
        st.last_change = now;
    } else if desired < st.count && now - st.last_change >= s.in_cooldown_s {
        st.count = desired;
        st.last_change = now;
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
