//! The month driver: the arrivals of each chunk of steps, the demand of each traffic share,
//! then each phase's pass; and the choice, at run time, of the build of that loop the CPU
//! runs best (the crate's one `unsafe`).

use super::chunk::{Chunk, Durations, MinuteClock, UnitDemand, CHUNK};
use super::phase::PhaseRun;
use crate::scenario::traffic::{Duration, SimSettings, TrafficProfile};
use crate::sim::poisson;
#[cfg(target_arch = "x86_64")]
use crate::sim::round::Soft;
use crate::sim::round::{ceil, Native, Rounding};
use crate::sim::{draws, peak};

/// Asked after each chunk of a month: the runs so far, and the minutes complete.
pub(super) type Stop<'s> = dyn FnMut(&[PhaseRun], usize) -> bool + 's;

/// A month of steps under one traffic profile.
pub(super) struct Month<'a> {
    profile: &'a TrafficProfile,
    settings: &'a SimSettings,
    month_seconds: f64,
    dt: f64,
    steps: usize,
    pub(super) spm: usize,
    pub(super) minutes: usize,
}

impl<'a> Month<'a> {
    pub(super) fn new(
        profile: &'a TrafficProfile,
        settings: &'a SimSettings,
        month_seconds: f64,
    ) -> Self {
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

    /// The profile's rate of each hour at the expected traffic (which hours are busiest).
    pub(super) fn base_rates(&self) -> Vec<f64> {
        self.profile.hourly_rates(self.month_seconds, 1.0)
    }

    /// Run every phase through the month at traffic `scale`; returns the requests that arrived.
    /// The same code is compiled twice: for the baseline CPU, and with AVX2 (rounding
    /// instructions, wider vectors) for CPUs that have it, chosen at run time. Both give the same
    /// bits: the compiler never fuses or reorders floating-point operations either way.
    pub(super) fn run(&self, runs: &mut [PhaseRun], scale: f64) -> f64 {
        self.run_until(runs, scale, &mut |_, _| false)
    }

    /// [`Month::run`], asking `stop` after each chunk (with the minutes complete so far)
    /// whether to stop there; the runs are then complete only that far.
    // The crate's one `unsafe`: calling the AVX2 build, on a CPU that has AVX2.
    #[allow(unsafe_code)]
    pub(super) fn run_until(&self, runs: &mut [PhaseRun], scale: f64, stop: &mut Stop) -> f64 {
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
    fn run_avx2(&self, runs: &mut [PhaseRun], scale: f64, stop: &mut Stop) -> f64 {
        self.run_with::<Native>(runs, scale, stop)
    }

    #[inline(always)]
    pub(super) fn run_with<R: Rounding>(
        &self,
        runs: &mut [PhaseRun],
        scale: f64,
        stop: &mut Stop,
    ) -> f64 {
        let (profile, dt, steps, spm) = (self.profile, self.dt, self.steps, self.spm);
        let draws = draws::for_seed(self.settings.seed, steps);
        let mut arrivals_of = poisson::Sampler::default();

        let d_mean_s = profile.duration.mean_ms() / 1000.0;
        let durations = Durations {
            d_mean_s,
            peak: peak::table(dt / d_mean_s.max(1e-6)),
            // Lambda bills each request's duration rounded up to 1 ms: a fixed duration rounds
            // once; a spread of durations adds half a millisecond on average.
            billed_ms_per_request: match profile.duration {
                Duration::Fixed { ms } => ceil(ms),
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
                d.fill::<R>(n, &draws.g[start..start + c.len], &durations, dt);
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
