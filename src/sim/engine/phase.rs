//! One phase through a chunk: each compute unit's pass (in the model's order), then the
//! database side (direct clients or a proxy's multiplexed connections), then the series.

// The step passes read and write several per-step arrays at the same index; zipping them
// would say less than `for i in 0..len`.
#![allow(clippy::needless_range_loop)]

use super::chunk::{percent, Chunk, Durations, StepSums, Steps, Sum, UnitDemand, CHUNK};
use super::fleet::{FleetState, FleetUnit};
use super::lambda::{loss_negligible, ErlangMemo, LambdaConns, LambdaState, LambdaUnit, Shared};
use super::series::{live_metrics, Metric, Series};
use super::{ComputeTotals, SimResult};
use crate::scenario::traffic::SimSettings;
use crate::scenario::workload::{provisioned_mask, ComputeDetail, PhaseModel};
use crate::sim::round::{ceil, Rounding};

/// What a compute unit carries from step to step, by kind.
pub(super) enum UnitState {
    Lambda(LambdaState),
    Fleet(FleetState),
}

/// The account's unreserved concurrency when several of the phase's functions share it (one
/// unreserved function has the pool to itself: its cap). Each step, the functions' combined
/// peak in flight (the sum that `lambda_concurrency` reports) beyond the pool is throttled: every
/// arrival at any of them sees the same pool, so each loses the Erlang-B share of the pool at
/// their combined load (the loss of a shared loss system is the same for every class), and the
/// pool is split between them in proportion to their peaks.
pub(super) struct SharedPool {
    pool: f64,
    /// Positions in the model's compute units of the functions sharing it.
    members: Vec<usize>,
    loss_of: ErlangMemo,
    /// This chunk's combined peak and the pool's loss per step (0 where the pool holds).
    peak: Steps,
    loss: Steps,
}

impl SharedPool {
    /// The pool of `model`'s unreserved functions, if more than one shares it.
    fn of(model: &PhaseModel) -> Option<SharedPool> {
        let members: Vec<usize> = model.unreserved_lambdas();
        let cap = match model.compute.get(*members.first()?)?.detail {
            ComputeDetail::Lambda { cap, .. } => cap,
            ComputeDetail::Fleet { .. } => return None,
        };
        (members.len() > 1).then(|| SharedPool {
            pool: f64::from(cap),
            members,
            loss_of: ErlangMemo::new(cap),
            peak: [0.0; CHUNK],
            loss: [0.0; CHUNK],
        })
    }

    /// The chunk's combined peak and loss, from the members' demand.
    #[inline(always)]
    fn fill(&mut self, model: &PhaseModel, demand: &[UnitDemand], len: usize) {
        let (mut load, mut over, mut loads) = ([0.0; CHUNK], [0usize; CHUNK], [0.0; CHUNK]);
        self.peak = [0.0; CHUNK];
        for &u in &self.members {
            let share = model.compute[u].share;
            let Some(ud) = demand.iter().find(|d| d.share.to_bits() == share.to_bits()) else {
                continue;
            };
            for i in 0..len {
                self.peak[i] += ud.peak[i];
                load[i] += ud.inflight[i];
            }
        }
        self.loss = [0.0; CHUNK];
        let mut n_over = 0;
        for i in 0..len {
            if !loss_negligible(self.pool, load[i]) {
                (over[n_over], loads[n_over]) = (i, load[i]);
                n_over += 1;
            }
        }
        if n_over > 0 {
            let mut loss = [0.0; CHUNK];
            self.loss_of.losses(&loads[..n_over], &mut loss[..n_over]);
            for (&i, b) in over[..n_over].iter().zip(&loss) {
                self.loss[i] = *b;
            }
        }
    }

    /// A member's share of the pool each step: all of it where the pool holds, else in
    /// proportion to its peak.
    #[inline(always)]
    fn caps(&self, ud: &UnitDemand, len: usize) -> Steps {
        let mut caps = [self.pool; CHUNK];
        for i in 0..len {
            if self.peak[i] > self.pool {
                caps[i] = self.pool * ud.peak[i] / self.peak[i];
            }
        }
        caps
    }
}

/// One phase being simulated: its state from chunk to chunk and what it has recorded.
pub(super) struct PhaseRun<'m> {
    pub(super) model: &'m PhaseModel,
    pub(super) series: Series,
    totals: Vec<ComputeTotals>,
    states: Vec<UnitState>,
    sums: Box<StepSums>,
    shared: Option<SharedPool>,
    /// Each Lambda's time-weighted concurrency per step of the chunk; the month's sum adds them
    /// step by step, units in order within a step.
    lambda_conc: Vec<Steps>,
    lambda_conc_sum: f64,
    db_peak: f64,
    db_usable: f64,
    db_fixed: f64,
}

impl<'m> PhaseRun<'m> {
    pub(super) fn new(model: &'m PhaseModel, month: &super::month::Month) -> PhaseRun<'m> {
        let (minutes, spm) = (month.minutes, month.spm);
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
                    provisioned_hours,
                    cap,
                    ..
                } => {
                    // Provisioned environments are warm only in the hours they are on.
                    let on = match provisioned_hours {
                        Some(_) => provisioned_mask(*provisioned_hours, &month.base_rates()),
                        None => Vec::new(),
                    };
                    UnitState::Lambda(LambdaState::new(*keep_warm_minutes, *provisioned, *cap, on))
                }
                ComputeDetail::Fleet { count, scaling, .. } => {
                    UnitState::Fleet(FleetState::new(*count, scaling.as_ref()))
                }
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
            shared: SharedPool::of(model),
            lambda_conc: vec![[0.0; CHUNK]; lambdas],
            lambda_conc_sum: 0.0,
            db_peak: 0.0,
            db_usable,
            db_fixed,
        }
    }

    /// Simulate one chunk, given its arrivals and the units' demand (by share).
    #[inline(always)]
    pub(super) fn chunk<R: Rounding>(
        &mut self,
        c: &Chunk,
        n: &[f64],
        demand: &[UnitDemand],
        d: &Durations,
    ) {
        let len = c.len;
        let sums = &mut *self.sums;
        sums.begin();
        if let Some(sp) = &mut self.shared {
            sp.fill(self.model, demand, len);
        }
        let mut lambda_i = 0;
        for (u, ((unit, state), tot)) in self
            .model
            .compute
            .iter()
            .zip(&mut self.states)
            .zip(&mut self.totals)
            .enumerate()
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
                    let sp = self.shared.as_ref().filter(|sp| sp.members.contains(&u));
                    let caps = sp.map(|sp| sp.caps(ud, len));
                    let lambda = LambdaUnit {
                        cap: f64::from(*cap),
                        cold_start_ms: *cold_start_ms,
                        conns: LambdaConns::of(unit),
                        shared: sp.zip(caps.as_ref()).map(|(sp, cap)| Shared {
                            cap,
                            loss: &sp.loss,
                        }),
                    };
                    let lc = &mut self.lambda_conc[lambda_i];
                    lambda_i += 1;
                    lambda.run(d, c, ud, st, tot, sums, lc);
                }
                (
                    ComputeDetail::Fleet {
                        vcpu,
                        scaling,
                        week,
                        cpu_ms_per_request,
                        ..
                    },
                    UnitState::Fleet(st),
                ) => {
                    let fleet = FleetUnit {
                        vcpu: *vcpu,
                        cpu_ms: *cpu_ms_per_request,
                        scaling: scaling.as_ref(),
                        week: week.as_deref(),
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
        // The same for the step's mean connections.
        let (mut db, mut waits, mut db_mean) = ([0.0; CHUNK], [0.0; CHUNK], [0.0; CHUNK]);
        let db_fixed = self.db_fixed;
        match &self.model.proxy {
            Some(p) => {
                let cap = f64::from(p.cap);
                for i in 0..len {
                    let wanted = sums.get(Sum::BusyTx)[i] * (1.0 - p.pinning)
                        + sums.get(Sum::ClientConns)[i] * p.pinning;
                    db[i] = wanted.min(cap) + db_fixed;
                    waits[i] = (wanted - cap).max(0.0);
                    let wanted = sums.get(Sum::BusyTxMean)[i] * (1.0 - p.pinning)
                        + sums.get(Sum::ClientConnsMean)[i] * p.pinning;
                    db_mean[i] = wanted.min(cap) + db_fixed;
                }
            }
            None => {
                for i in 0..len {
                    db[i] = sums.get(Sum::ClientConns)[i] + db_fixed;
                    db_mean[i] = sums.get(Sum::ClientConnsMean)[i] + db_fixed;
                }
            }
        }
        self.db_peak = super::chunk::max_of(self.db_peak, &db[..len]);

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
        s.put_mean(Metric::DbConnections, c, |i| db_mean[i]);
        s.put_mean(Metric::DbConnectionsPercent, c, |i| {
            percent(db_mean[i], usable)
        });
    }

    pub(super) fn finish(
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
