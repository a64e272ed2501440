//! The whole `run` pipeline for one scenario: simulate every phase that has a traffic model,
//! price it with the derived usage, and build the phase ladder (how far each phase holds and
//! what it, and the next phase, cost at that traffic). The result is one [`Plan`], built once.

use indexmap::IndexMap;
use rayon::prelude::*;
use rust_decimal::Decimal;

use crate::error::Result;
use crate::estimate::{estimate_with, Estimate, PhaseEstimate};
use crate::pricing::PriceBook;
use crate::resources;
use crate::scenario::Phase;
use crate::scenario::Scenario;
use crate::sim::{self, PhaseCapacity};
use crate::usage::{Demand, Gauges, UnitVolume, Volume};

/// One rung of the ladder: a phase, how far it holds and what it costs there.
#[derive(Debug, Clone, PartialEq)]
pub struct LadderRow {
    pub phase: String,
    pub holds_up_to_rps: Option<f64>,
    pub holds_up_to_mau: Option<f64>,
    pub limited_by: Option<String>,
    /// This phase's monthly cost at the traffic where it stops holding.
    pub monthly_cost_at_limit: Option<Decimal>,
    pub next_phase: Option<String>,
    /// The next phase's monthly cost at that same traffic.
    pub next_phase_monthly_cost: Option<Decimal>,
    /// Not in the growth sequence (`[growth] phases`): an alternative design, shown for
    /// comparison and never the next phase of another.
    pub alternative: bool,
}

/// Capacity results of a run.
#[derive(Debug, Clone, PartialEq)]
pub struct CapacityReport {
    pub seed: u64,
    pub step_seconds: u32,
    pub phases: Vec<PhaseCapacity>,
    pub ladder: Vec<LadderRow>,
}

impl CapacityReport {
    pub fn phase(&self, name: &str) -> Option<&PhaseCapacity> {
        self.phases.iter().find(|p| p.phase == name)
    }

    /// Triggers (scenario rules and built-in limits) that fire at the expected traffic.
    pub fn firing(&self) -> Vec<(String, String)> {
        self.phases
            .iter()
            .flat_map(|p| {
                p.triggers
                    .iter()
                    .filter(|t| t.fires)
                    .map(|t| (p.phase.clone(), t.rule.clone()))
            })
            .collect()
    }
}

/// Everything a run of one scenario answers: the estimate, the simulated capacity and ladder,
/// the seed they came from, and the budget the checks hold the phases to.
#[derive(Debug, Clone)]
pub struct Plan {
    pub estimate: Estimate,
    /// Simulated capacity, triggers and the phase ladder (scenarios with `[traffic]`).
    pub capacity: Option<CapacityReport>,
    /// Seed of the traffic simulation (the scenario's, the caller's, or the fixed default).
    pub seed: u64,
    /// Monthly budget per phase (the caller's, else the scenario's `budget`).
    pub budget: Option<Decimal>,
}

/// What a plan is asked for beyond the scenario: one phase, a seed, a budget.
#[derive(Debug, Clone, Copy, Default)]
pub struct PlanOptions<'a> {
    pub only: Option<&'a str>,
    pub seed: Option<u64>,
    pub budget: Option<Decimal>,
}

impl Plan {
    /// The checks a user can ask for, as failure messages: phases over the budget and, with
    /// `fail_on_trigger`, every trigger or built-in limit that fires at the expected traffic.
    pub fn failed_checks(&self, fail_on_trigger: bool) -> Vec<String> {
        let mut failures = Vec::new();
        if let Some(budget) = self.budget {
            for p in &self.estimate.phases {
                let total = p.monthly_total();
                if total > budget {
                    failures.push(format!(
                        "phase `{}` costs {}/month, over the budget of {}",
                        p.name,
                        crate::money::fmt_money(total),
                        crate::money::fmt_money(budget)
                    ));
                }
            }
        }
        if fail_on_trigger {
            for (phase, rule) in self.capacity.iter().flat_map(|c| c.firing()) {
                failures.push(format!(
                    "phase `{phase}`: trigger fires at the expected traffic: {rule}"
                ));
            }
        }
        failures
    }
}

/// Simulate phase `p` for a month at `scale` x its share of `traffic`, and price it with the
/// usage that derives: its monthly total and the simulated month. `None` when the phase has no
/// traffic model. Shared by the ladder and by sweeps.
pub fn priced_at(
    scenario: &Scenario,
    book: &PriceBook,
    traffic: &sim::Traffic,
    p: &crate::scenario::Phase,
    hours: f64,
    scale: f64,
) -> Result<Option<(Decimal, sim::SimResult)>> {
    Ok(
        priced_many_at(scenario, book, traffic, &[(p, scale)], hours)?
            .into_iter()
            .next()
            .flatten(),
    )
}

/// [`priced_at`] for several (phase, scale) pairs at once: phases that see the same traffic (the
/// same share at the same scale) are simulated together, drawing their arrivals once.
pub fn priced_many_at(
    scenario: &Scenario,
    book: &PriceBook,
    traffic: &sim::Traffic,
    at: &[(&crate::scenario::Phase, f64)],
    hours: f64,
) -> Result<Vec<Option<(Decimal, sim::SimResult)>>> {
    Ok(estimated_many_at(scenario, book, traffic, at, hours)?
        .into_iter()
        .map(|o| o.map(|(e, month)| (e.monthly_total(), month)))
        .collect())
}

/// [`priced_many_at`] with each phase's whole estimate (its lines) rather than its total.
pub fn estimated_many_at(
    scenario: &Scenario,
    book: &PriceBook,
    traffic: &sim::Traffic,
    at: &[(&crate::scenario::Phase, f64)],
    hours: f64,
) -> Result<Vec<Option<(PhaseEstimate, sim::SimResult)>>> {
    let mut out: Vec<Option<(PhaseEstimate, sim::SimResult)>> = at.iter().map(|_| None).collect();
    let same_traffic = |a: &(&crate::scenario::Phase, f64), b: &(&crate::scenario::Phase, f64)| {
        a.0.traffic_share.to_bits() == b.0.traffic_share.to_bits() && a.1.to_bits() == b.1.to_bits()
    };
    for (first, key) in at.iter().enumerate() {
        if at[..first].iter().any(|k| same_traffic(k, key)) {
            continue;
        }
        let group: Vec<usize> = (first..at.len())
            .filter(|&i| same_traffic(&at[i], key) && at[i].0.model.is_some())
            .collect();
        let models: Vec<&sim::PhaseModel> = group
            .iter()
            .filter_map(|&i| at[i].0.model.as_ref())
            .collect();
        let traffic = traffic.shared(key.0.traffic_share);
        let months = sim::simulate_many(
            &models,
            &traffic.profile,
            &traffic.settings,
            hours * 3600.0,
            key.1,
        );
        for ((&i, model), month) in group.iter().zip(models).zip(months) {
            let p = at[i].0;
            let demand = demand_of(p, model, &month, &traffic.profile, hours);
            let one: IndexMap<String, Demand> = [(p.name.clone(), demand)].into_iter().collect();
            let e = estimate_with(scenario, book, Some(&p.name), &one)?;
            out[i] = e.phases.into_iter().next().map(|ph| (ph, month));
        }
    }
    Ok(out)
}

/// A phase's resources by name, as the usage derivation takes them.
fn named(p: &Phase) -> impl Iterator<Item = (&str, &dyn resources::Resource)> {
    p.resources.iter().map(|r| (r.name.as_str(), &*r.model))
}

/// The usage every resource of phase `p` derives from a month simulated with its `model`.
pub fn demand_of(
    p: &Phase,
    model: &sim::PhaseModel,
    month: &sim::SimResult,
    profile: &sim::TrafficProfile,
    hours: f64,
) -> Demand {
    let (volume, units) = sim::volume(model, month, profile, hours);
    resources::derive_demand(named(p), &volume, &units)
}

/// The scenario's traffic with the seed asked for on the command line, if any.
fn seeded(traffic: &crate::sim::Traffic, seed: Option<u64>) -> crate::sim::Traffic {
    let mut traffic = traffic.clone();
    if let Some(s) = seed {
        traffic.settings.seed = s;
    }
    traffic
}

/// `run --exact`: each selected phase's Lambda statistics, the fast engine against the exact
/// event-driven simulation of the same month (see [`sim::check`]). Phases run side by side.
pub fn exact_check(
    scenario: &Scenario,
    only: Option<&str>,
    seed: Option<u64>,
) -> Result<Vec<sim::check::PhaseCheck>> {
    let Some(traffic) = &scenario.traffic else {
        return Err(crate::Error::from(crate::InputError::new(format!(
            "{}: --exact compares the simulator with an exact simulation of the scenario's \
             traffic, and the scenario has no [traffic]",
            scenario.doc.name
        ))));
    };
    let traffic = seeded(traffic, seed);
    let month_s = crate::capacity::to_f64(scenario.hours_per_month) * 3600.0;
    Ok(scenario
        .phases
        .par_iter()
        .filter(|p| only.is_none_or(|o| o == p.name))
        .map(|p| match &p.model {
            Some(model) => {
                sim::check::check_phase(&p.name, model, &traffic.shared(p.traffic_share), month_s)
            }
            None => sim::check::skipped(
                &p.name,
                "no compute resource that serves the traffic".into(),
            ),
        })
        .collect())
}

/// Plan `scenario`: price it, simulating its traffic and building the ladder when it has a
/// profile.
pub fn plan(scenario: &Scenario, book: &PriceBook, opts: PlanOptions) -> Result<Plan> {
    let only = opts.only;
    let budget = opts.budget.or(scenario.budget);
    let Some(traffic) = &scenario.traffic else {
        return Ok(Plan {
            estimate: estimate_with(scenario, book, only, &IndexMap::new())?,
            capacity: None,
            seed: opts.seed.unwrap_or(crate::scenario::traffic::DEFAULT_SEED),
            budget,
        });
    };
    let traffic = seeded(traffic, opts.seed);
    let hours = crate::capacity::to_f64(scenario.hours_per_month);
    let selected: Vec<_> = scenario
        .phases
        .iter()
        .filter(|p| only.is_none_or(|o| o == p.name))
        .collect();
    let capacities: Vec<PhaseCapacity> = selected
        .par_iter()
        .filter_map(|p| {
            let model = p.model.as_ref()?;
            let traffic = traffic.shared(p.traffic_share);
            let derive =
                |month: &Volume, units: &IndexMap<String, UnitVolume>| -> (Demand, Gauges) {
                    let demand = resources::derive_demand(named(p), month, units);
                    let gauges = resources::gauges(
                        p.resources.iter().map(|r| (r.name.as_str(), r.kind)),
                        &demand,
                        hours,
                    );
                    (demand, gauges)
                };
            Some(sim::analyze(
                &p.name,
                model,
                &p.triggers,
                &traffic,
                hours,
                &derive,
            ))
        })
        .collect();
    let demands: IndexMap<String, Demand> = capacities
        .iter()
        .map(|c| (c.phase.clone(), c.demand.clone()))
        .collect();
    let estimate = estimate_with(scenario, book, only, &demands)?;

    // The ladder runs over the growth sequence (every phase in file order unless `[growth]
    // phases` lists it), then the alternatives, each on its own with no next phase.
    let modelled = |name: &str| {
        scenario
            .phases
            .iter()
            .find(|p| p.name == name && p.environment_of.is_none() && p.model.is_some())
    };
    let rungs: Vec<_> = scenario
        .growth
        .sequence
        .iter()
        .filter_map(|n| modelled(n))
        .collect();
    let alternatives: Vec<_> = scenario
        .phases
        .iter()
        .filter(|p| {
            p.environment_of.is_none() && p.model.is_some() && !scenario.growth.in_sequence(&p.name)
        })
        .collect();
    let mut ladder = Vec::new();
    for (i, phase) in rungs.iter().chain(&alternatives).enumerate() {
        let alternative = i >= rungs.len();
        let Some(cap) = capacities.iter().find(|c| c.phase == phase.name) else {
            continue;
        };
        let limit = cap.limit.as_ref();
        // Monthly cost of `p` re-simulated at the traffic scale where this phase stops holding.
        let cost_at_limit = |p: &crate::scenario::Phase| -> Result<Option<Decimal>> {
            match limit {
                Some(l) if l.holds_up_to_scale > 0.0 => {
                    Ok(
                        priced_at(scenario, book, &traffic, p, hours, l.holds_up_to_scale)?
                            .map(|(cost, _)| cost),
                    )
                }
                _ => Ok(None),
            }
        };
        let cost_here = cost_at_limit(phase)?;
        let next = rungs.get(i + 1).filter(|_| !alternative);
        // `--phase` prices that phase only: a missing price elsewhere must not stop it.
        let next_cost = match next {
            Some(n) if only.is_none() => cost_at_limit(n)?,
            _ => None,
        };
        ladder.push(LadderRow {
            phase: phase.name.clone(),
            holds_up_to_rps: limit.map(|l| l.holds_up_to_rps),
            holds_up_to_mau: limit.and_then(|l| l.holds_up_to_mau),
            limited_by: limit.map(|l| l.limited_by.clone()),
            monthly_cost_at_limit: cost_here,
            next_phase: next.map(|n| n.name.clone()),
            next_phase_monthly_cost: next_cost,
            alternative,
        });
    }
    Ok(Plan {
        estimate,
        capacity: Some(CapacityReport {
            seed: traffic.settings.seed,
            step_seconds: traffic.settings.step_seconds,
            phases: capacities,
            ladder,
        }),
        seed: traffic.settings.seed,
        budget,
    })
}
