//! The simulator's model, stated step by step for a reader. Slow and plain: one step at a time,
//! every unit's rules in one place, no chunks, buffers or vectorised passes. The fast engine
//! ([`super::engine`]) computes the same model; a property test (`tests/it/reference.rs`) holds
//! the two to the same bits on random scenarios, so a change to the model is made here first
//! and the engine follows.
//!
//! Per step of `dt` seconds (a minute holds `60 / dt` steps):
//! 1. **Arrivals** `n`: the Poisson quantile of the step's uniform draw at mean rate × dt, the rate
//!    being the hour's rate (shapes, growth) times any spike's multiplier at the step's middle.
//! 2. **Demand** of a compute unit with traffic share `s`: arrivals `a = n·s`, mean in flight
//!    `m = a·E[d]/dt` (Little's law), peak in flight `ceil(m + z·√m)` within `1 ..= ceil(a) +
//!    ceil(m)` (from 0 for a unit with a share of the arrivals), where `z` is the normal quantile seen once per mean duration in the step.
//! 3. **Lambda**: the cap (reserved concurrency, or the account's less what the phase's
//!    functions reserve) serves `min(peak, cap)`; at every step whose loss is not negligible
//!    (below 1e-15), the Erlang-B loss at load `m` of the arrivals is throttled, and the mean
//!    carried concurrency is `m (1 - B)`. Several unreserved functions share that pool: each
//!    throttles the Erlang-B loss of the pool at their summed load `Σm`, and where the sum of
//!    their peaks is over the pool, its cap is the pool × its peak / the sum of peaks.
//!    Environments stay warm for `keep_warm` minutes counting the minute they were last busy
//!    in (provisioned ones always; the first step of the next minute still finds them warm);
//!    busy environments beyond the warm ones are cold starts (at most one per served request, or the rise of the peak where that is more). An environment runs one request at a time and opens
//!    connections lazily: busy, it holds `min(connections_per_request, pool + overflow)`; idle
//!    and warm, `min(connections_per_request, pool)`. The step's p95 latency adds the cold-start time when 5 % or more of
//!    its requests start cold.
//! 4. **Fleets** (Fargate, EC2): `count` units; with autoscaling, each minute's average metric
//!    (req/s per unit, or CPU %) sets `desired = ceil(count × metric / target)` within min..max,
//!    applied at the minute's end if the cooldowns allow. A unit holds `pool` connections, plus
//!    `overflow` for units busy at the peak. On a weekly schedule (the month starts on a Monday
//!    at 00:00), the fleet has no units outside it and the requests arriving then are unserved;
//!    when it starts again it starts at its initial count, with no cooldown pending.
//! 5. **Database**: the clients' connections plus fixed ones; through a proxy, the busy
//!    transactions (and pinned clients) up to the proxy's cap, the rest waiting.
//!
//! The step's time-average of the database connections (RDS samples them as a count open at an
//! instant): the connections with the mean in flight in place of the peak, a Lambda's busy
//! environments being `min(m, cap)` (what `lambda_mean` averages) and its idle warm ones
//! `warm - min(m, cap)`, at least 0; through a proxy, the same from the mean transactions.
//!
//! Each minute stores the sum and the maximum of each metric's step values, and the sum of the
//! sampled metrics' time-averages, as f32.

use super::draws::Draws;
use super::engine::{erlang_b, loss_negligible, ComputeTotals, Metric};
use super::poisson;
use crate::scenario::traffic::{Duration, SimSettings, TrafficProfile};
use crate::scenario::workload::{ComputeDetail, PhaseModel, Scaling, Target};

/// A simulated month, as the reference computes it.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub requests: f64,
    pub compute: Vec<ComputeTotals>,
    /// Mean Lambda concurrency over the month (time average).
    pub lambda_mean: f64,
    pub db_peak: f64,
    /// Per metric (indexed by `Metric as usize`), each minute's sum of the step values.
    pub sums: Vec<Vec<f32>>,
    /// Per metric, each minute's largest step value (0 if none is above 0).
    pub maxes: Vec<Vec<f32>>,
    /// Per metric, each minute's sum of the steps' time-averages (for a metric that is not
    /// sampled as a count at an instant, the step values: `sums`).
    pub means: Vec<Vec<f32>>,
}

/// What a compute unit carries from step to step.
enum State {
    /// The largest number of busy environments in each minute so far.
    Lambda {
        busy: Vec<f64>,
        /// Whether provisioned concurrency is on in each hour.
        pc_on: Vec<bool>,
    },
    Fleet(Fleet),
}

struct Fleet {
    count: u32,
    initial: u32,
    on: bool,
    last_out: f64,
    last_change: f64,
    /// This minute's metric: sum and steps so far.
    metric_sum: f64,
    metric_steps: u32,
    saturated: bool,
}

/// Simulate `model` under `profile` × `scale` for one month of `month_seconds`, step by step.
pub fn simulate(
    model: &PhaseModel,
    profile: &TrafficProfile,
    settings: &SimSettings,
    month_seconds: f64,
    scale: f64,
) -> Outcome {
    let dt = f64::from(settings.step_seconds);
    let steps = (month_seconds / dt).ceil() as usize;
    let spm = (60 / settings.step_seconds) as usize;
    let minutes = steps.div_ceil(spm);
    let steps_per_hour = (3600 / settings.step_seconds) as usize;
    let draws = Draws::new(settings.seed, steps);
    let hourly = profile.hourly_rates(month_seconds, scale);

    let d_mean_s = profile.duration.mean_ms() / 1000.0;
    let peaks = crate::sim::peak::table(dt / d_mean_s.max(1e-6));
    // Lambda bills each request rounded up to 1 ms: a fixed duration once; a spread of
    // durations adds half a millisecond on average.
    let billed_ms = match profile.duration {
        Duration::Fixed { ms } => ms.ceil(),
        _ => profile.duration.mean_ms() + 0.5,
    };
    let p95 = profile.duration.quantile_ms(0.95);

    let mut states: Vec<State> = model
        .compute
        .iter()
        .map(|c| match &c.detail {
            ComputeDetail::Lambda {
                provisioned_hours, ..
            } => State::Lambda {
                busy: vec![0.0; minutes],
                pc_on: crate::scenario::workload::provisioned_mask(
                    *provisioned_hours,
                    &profile.hourly_rates(month_seconds, 1.0),
                ),
            },
            ComputeDetail::Fleet { count, scaling, .. } => State::Fleet(Fleet::new(
                scaling
                    .as_ref()
                    .map_or(*count, |s| (*count).clamp(s.min.max(1), s.max)),
            )),
        })
        .collect();
    let mut totals: Vec<ComputeTotals> = model
        .compute
        .iter()
        .map(|c| ComputeTotals {
            name: c.name.clone(),
            min_units: u32::MAX,
            ..Default::default()
        })
        .collect();
    let mut out = Outcome {
        requests: 0.0,
        compute: Vec::new(),
        lambda_mean: 0.0,
        db_peak: 0.0,
        sums: vec![vec![0.0; minutes]; Metric::ALL.len()],
        maxes: vec![vec![0.0; minutes]; Metric::ALL.len()],
        means: vec![vec![0.0; minutes]; Metric::ALL.len()],
    };
    // The phase's unreserved functions, sharing the account's pool when there are several.
    let unreserved: Vec<usize> = model.unreserved_lambdas();
    let shared = unreserved.len() > 1;
    let mut lambda_time = 0.0;

    for step in 0..steps {
        let minute = step / spm;
        let first_of_minute = step % spm == 0;
        let last_of_minute = (step + 1) % spm == 0;
        let mut rate = hourly[(step / steps_per_hour).min(hourly.len() - 1)];
        if !profile.spikes.is_empty() {
            rate *= profile.spike_factor(step as f64 * dt + dt / 2.0);
        }
        let n = poisson::quantile(draws.u[step], rate * dt);
        out.requests += n;

        // Each unit's demand: arrivals, mean in flight, peak in flight.
        let demand_of = |share: f64| {
            let a = n * share;
            let inflight = a * d_mean_s / dt;
            // A share of the arrivals is, on average, no arrival in most steps when small:
            // only a unit with all of them has one in flight whenever `n > 0`.
            let peak = if a > 0.0 {
                let p = crate::sim::peak::Cursor::new(&peaks)
                    .quantile(inflight, draws.peak[step])
                    .ceil();
                let p = if share >= 1.0 { p.max(1.0) } else { p };
                p.min(a.ceil() + inflight.ceil())
            } else {
                0.0
            };
            (a, inflight, peak)
        };
        // The shared pool: the unreserved functions' summed peak and load.
        let (mut pool_peak, mut pool_load) = (0.0, 0.0);
        if shared {
            for &u in &unreserved {
                let (_, inflight, peak) = demand_of(model.compute[u].share);
                pool_peak += peak;
                pool_load += inflight;
            }
        }

        // This step's sums over the compute units, in the model's order.
        let (mut conc, mut demand, mut throttles, mut colds, mut latency) =
            (0.0, 0.0, 0.0, 0.0, 0.0);
        let (mut units, mut saturated, mut vcpu_busy, mut vcpu_total) = (0.0, 0.0, 0.0, 0.0);
        let (mut conns, mut busy_tx) = (0.0, 0.0);
        let (mut conns_mean, mut busy_tx_mean) = (0.0, 0.0);
        for ((unit, state), tot) in model.compute.iter().zip(&mut states).zip(&mut totals) {
            let (a, inflight, peak) = demand_of(unit.share);
            let (pool, overflow) = (f64::from(unit.pool_size), f64::from(unit.max_overflow));
            match (&unit.detail, state) {
                (
                    ComputeDetail::Lambda {
                        cap,
                        provisioned,
                        cold_start_ms,
                        keep_warm_minutes,
                        reserved,
                        ..
                    },
                    State::Lambda { busy, pc_on },
                ) => {
                    // Provisioned environments are warm only in the hours they are on.
                    let pc_at = |m: usize| match pc_on.get((m / 60).min(pc_on.len() - 1)) {
                        Some(false) => 0.0,
                        _ => f64::from(*provisioned),
                    };
                    let (servers, limit) = (*cap, f64::from(*cap));
                    // Erlang-B at every step whose loss is not negligible (M/G/c/c).
                    let (cap, b) = if shared && !reserved {
                        // Its part of the shared pool, and the pool's loss.
                        let b = if loss_negligible(limit, pool_load) {
                            0.0
                        } else {
                            erlang_b(servers, pool_load)
                        };
                        let cap = if pool_peak > limit {
                            limit * peak / pool_peak
                        } else {
                            limit
                        };
                        (cap, b)
                    } else if loss_negligible(limit, inflight) {
                        (limit, 0.0)
                    } else {
                        (limit, erlang_b(servers, inflight))
                    };
                    let throttled = a * b;
                    let served_peak = peak.min(cap);
                    let served = a - throttled;
                    // Warm before this step: busy in the window of minutes that ends with this
                    // one (at a minute's first step, still the window ending with the last).
                    let keep = *keep_warm_minutes;
                    let warm_in = |busy: &[f64], last: usize| {
                        let first = (last + 1).saturating_sub(keep);
                        busy[first..=last]
                            .iter()
                            .fold(pc_at(last), |w, b| w.max(*b))
                    };
                    let warm_before = match (first_of_minute, minute) {
                        (true, 0) => pc_at(0),
                        (true, m) => warm_in(busy, m - 1),
                        (false, m) => warm_in(busy, m),
                    };
                    let cold = (served_peak - warm_before)
                        .max(0.0)
                        .min(served.max(served_peak));
                    busy[minute] = busy[minute].max(served_peak);
                    let warm = warm_in(busy, minute);
                    let idle = warm - served_peak;

                    let held = crate::sim::engine::LambdaConns::of(unit);
                    conns += served_peak * held.busy + idle * held.idle;
                    if pool + overflow > 0.0 {
                        busy_tx += served_peak;
                    }
                    // The step's time-averages: `mean_busy` environments busy on average.
                    let mean_busy = inflight * (1.0 - b);
                    conns_mean += mean_busy * held.busy + (warm - mean_busy).max(0.0) * held.idle;
                    if held.busy > 0.0 {
                        busy_tx_mean += mean_busy;
                    }
                    conc += served_peak;
                    demand += peak;
                    throttles += throttled;
                    colds += cold;
                    let cold_share = if served > 0.0 { cold / served } else { 0.0 };
                    latency = f64::max(
                        latency,
                        if cold_share >= 0.05 {
                            p95 + cold_start_ms
                        } else {
                            p95
                        },
                    );
                    lambda_time += mean_busy * dt;
                    if *provisioned > 0 && pc_at(minute) > 0.0 {
                        tot.provisioned_requests += served;
                    }
                    tot.requests += served;
                    tot.throttled += throttled;
                    tot.cold_starts += cold;
                    tot.billed_ms += served * billed_ms + cold * cold_start_ms;
                }
                (
                    ComputeDetail::Fleet {
                        vcpu,
                        scaling,
                        week,
                        cpu_ms_per_request,
                        ..
                    },
                    State::Fleet(f),
                ) => {
                    // Its schedule: off, no units; starting again, a fresh fleet.
                    let on = week
                        .as_ref()
                        .is_none_or(|w| w[(step as f64 * dt / 3600.0) as usize % 168]);
                    if on != f.on {
                        *f = Fleet::new(f.initial);
                        if !on {
                            f.count = 0;
                            f.on = false;
                        }
                    }
                    if !on {
                        tot.unserved += a;
                        tot.min_units = 0;
                        continue;
                    }
                    if let Some(s) = scaling {
                        f.metric_sum += fleet_metric(s, a / dt, f.count, *vcpu);
                        f.metric_steps += 1;
                        if last_of_minute {
                            let avg = f.metric_sum / f64::from(f.metric_steps);
                            autoscale(f, s, avg, step as f64 * dt + dt);
                            f.metric_sum = 0.0;
                            f.metric_steps = 0;
                        }
                    }
                    let count = f64::from(f.count);
                    conns += count * pool + peak.min(count) * overflow;
                    conns_mean += count * pool + inflight.min(count) * overflow;
                    if pool + overflow > 0.0 {
                        busy_tx += peak;
                        busy_tx_mean += inflight;
                    }
                    units += count;
                    saturated += if f.saturated { 1.0 } else { 0.0 };
                    vcpu_total += count * vcpu;
                    if let Some(cpu_ms_per_request) = cpu_ms_per_request {
                        vcpu_busy += a / dt * cpu_ms_per_request / 1000.0;
                    }
                    latency = f64::max(latency, p95);
                    tot.requests += a;
                    tot.billed_ms += a * billed_ms;
                    tot.unit_seconds += count * dt;
                    tot.min_units = tot.min_units.min(f.count);
                    tot.max_units = tot.max_units.max(f.count);
                }
                // `states` is built from these same details, so the kinds always agree.
                _ => {}
            }
        }

        // The database side: the clients' connections, or what the proxy multiplexes them to.
        let fixed = model.db.as_ref().map_or(0.0, |d| f64::from(d.fixed));
        let (db, waits, db_mean) = match &model.proxy {
            Some(p) => {
                let cap = f64::from(p.cap);
                let wanted = busy_tx * (1.0 - p.pinning) + conns * p.pinning;
                let mean = busy_tx_mean * (1.0 - p.pinning) + conns_mean * p.pinning;
                (
                    wanted.min(cap) + fixed,
                    (wanted - cap).max(0.0),
                    mean.min(cap) + fixed,
                )
            }
            None => (conns + fixed, 0.0, conns_mean + fixed),
        };
        out.db_peak = out.db_peak.max(db);
        let usable = model.db.as_ref().map_or(0.0, |d| f64::from(d.limit.usable));

        let values = Metric::ALL.map(|m| match m {
            Metric::Rps => n / dt,
            Metric::LambdaConcurrency => conc,
            Metric::LambdaDemand => demand,
            Metric::Throttles => throttles,
            Metric::ColdStarts => colds,
            Metric::P95LatencyMs => latency,
            Metric::Tasks => units,
            Metric::CpuPercent => percent(vcpu_busy, vcpu_total),
            Metric::DbConnections => db,
            Metric::DbConnectionsPercent => percent(db, usable),
            Metric::ProxyWaits => waits,
            Metric::FleetSaturated => saturated,
        });
        let means = Metric::ALL.map(|m| match m {
            Metric::DbConnections => db_mean,
            Metric::DbConnectionsPercent => percent(db_mean, usable),
            _ => values[m as usize],
        });
        for ((m, v), mean) in Metric::ALL.iter().zip(values).zip(means) {
            let v = v as f32;
            out.sums[*m as usize][minute] += v;
            let max = &mut out.maxes[*m as usize][minute];
            *max = max.max(v);
            out.means[*m as usize][minute] += mean as f32;
        }
    }

    for t in &mut totals {
        if t.min_units == u32::MAX {
            t.min_units = 0;
        }
    }
    out.compute = totals;
    out.lambda_mean = lambda_time / ((month_seconds / dt).ceil() * dt);
    out
}

impl Fleet {
    fn new(count: u32) -> Fleet {
        Fleet {
            count,
            initial: count,
            on: true,
            last_out: f64::NEG_INFINITY,
            last_change: f64::NEG_INFINITY,
            metric_sum: 0.0,
            metric_steps: 0,
            saturated: false,
        }
    }
}

/// `part` as a percentage of `whole`; 0 when there is no whole.
fn percent(part: f64, whole: f64) -> f64 {
    if whole > 0.0 {
        part / whole * 100.0
    } else {
        0.0
    }
}

/// The fleet's scaling metric at `rps`: req/s per unit, or CPU % of its vCPUs.
fn fleet_metric(s: &Scaling, rps: f64, count: u32, vcpu: f64) -> f64 {
    let count = f64::from(count.max(1));
    match s.target {
        Target::RpsPerUnit(_) => rps / count,
        Target::CpuPercent {
            cpu_ms_per_request, ..
        } => rps * cpu_ms_per_request / 1000.0 / (count * vcpu) * 100.0,
    }
}

/// Target tracking at the end of a minute whose average metric is `avg`, at time `now`.
fn autoscale(f: &mut Fleet, s: &Scaling, avg: f64, now: f64) {
    let target = match s.target {
        Target::RpsPerUnit(r) => r,
        Target::CpuPercent { percent, .. } => percent,
    };
    f.saturated = f.count >= s.max && avg > target;
    let desired = (f64::from(f.count) * avg / target)
        .ceil()
        .max(f64::from(s.min.max(1)))
        .min(f64::from(s.max)) as u32;
    // Scale out after the scale-out cooldown since the last scale-out; in, after the scale-in
    // cooldown since any change.
    if desired > f.count && now - f.last_out >= s.out_cooldown_s {
        f.count = desired;
        f.last_out = now;
        f.last_change = now;
    } else if desired < f.count && now - f.last_change >= s.in_cooldown_s {
        f.count = desired;
        f.last_change = now;
    }
}
