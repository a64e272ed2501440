//! The performance budget of issue 5 §4, as criterion benchmarks.
//!
//! * `sim_vs_poisson`: one simulated month at 60 s steps (43,800 steps) of a Lambda phase and of
//!   an autoscaled-fleet phase, at the expected traffic and at 100x, measured in the same group
//!   (same run, same machine load) as the floor: drawing one Poisson sample per step with
//!   rand_distr at the means the simulator draws at. Criterion prints elements/s for both, so
//!   "simulator steps/s >= half the Poisson draws/s" can be read off one run. A simulation
//!   reuses its seed's uniforms and their normal quantiles once drawn (`sim::draws`; every
//!   simulation of a run or sweep has the same seed); `simulate_month_60s_fresh_draws` times a
//!   month that draws them itself, as a process's first simulation does.
//! * `sweep`: a small req/s sweep over the 4 phases of ec2-phases.toml (all on rayon's pool),
//!   to watch the per-(point, phase) cost; `benches/time-run.sh` times the full 1,000-point
//!   sweep and the whole `run` process.
//! * `exact`: the event-by-event simulator behind `run --exact` (`sim::exact`), one simulated
//!   hour of flat traffic at mean loads 5 and 50 (200 ms exponential durations, 10-minute
//!   keep-warm), with elements = requests, so criterion prints requests/s: what a month of a
//!   phase's traffic costs `run --exact`.
//!
//! `cargo bench --bench simulate` (about a minute); `-- sim_vs_poisson` for one group.

use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use rand::SeedableRng;
use rand_distr::{Distribution, Poisson};
use rand_pcg::Pcg64Mcg;

use costplan::scenario::Scenario;
use costplan::sim::{simulate, Traffic};

const MONTH_S: f64 = 730.0 * 3600.0;

fn scenario(file: &str) -> Scenario {
    let books = costplan::pricing::BookSource::Embedded;
    let catalog = books.catalog().expect("catalog");
    let path = format!("{}/scenarios/{file}", env!("CARGO_MANIFEST_DIR"));
    Scenario::load(std::path::Path::new(&path), &catalog).expect("scenario")
}

fn phase(file: &str, name: &str) -> (costplan::sim::PhaseModel, Traffic) {
    let s = scenario(file);
    let phase = s.phases.iter().find(|p| p.name == name).expect("phase");
    let traffic = s
        .traffic
        .clone()
        .expect("traffic")
        .shared(phase.traffic_share);
    (phase.model.clone().expect("traffic model"), traffic)
}

fn sim_vs_poisson(c: &mut Criterion) {
    let mut g = c.benchmark_group("sim_vs_poisson");
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    let cases = [
        ("lambda-rds.toml", "phase3", "lambda"),
        ("ec2-phases.toml", "phase3", "fleet"),
    ];
    for (file, name, label) in cases {
        let (model, t) = phase(file, name);
        assert_eq!(t.settings.step_seconds, 60);
        let steps = (MONTH_S / 60.0) as u64;
        g.throughput(Throughput::Elements(steps));
        for scale in [1.0, 100.0] {
            let id = BenchmarkId::new(format!("simulate_month_60s/{label}"), scale);
            g.bench_function(id, |b| {
                b.iter(|| simulate(&model, &t.profile, &t.settings, MONTH_S, scale))
            });
        }
        // The same month with the seed's uniforms and normal quantiles drawn afresh each time
        // (a process's first simulation; every later one with the seed reuses them).
        let id = BenchmarkId::new(format!("simulate_month_60s_fresh_draws/{label}"), 1.0);
        g.bench_function(id, |b| {
            b.iter(|| {
                costplan::sim::draws::clear_cache();
                simulate(&model, &t.profile, &t.settings, MONTH_S, 1.0)
            })
        });
    }
    // The floor: one Poisson draw per step is the least a per-step simulator can do. Means: a
    // step's arrivals at low traffic (0.5), at the phases above (about 30), and at 100x (3000).
    const N: u64 = 100_000;
    g.throughput(Throughput::Elements(N));
    for mean in [0.5f64, 30.0, 3000.0] {
        let dist = Poisson::new(mean).expect("valid mean");
        g.bench_with_input(BenchmarkId::new("poisson_draws", mean), &dist, |b, d| {
            let mut rng = Pcg64Mcg::seed_from_u64(1);
            b.iter(|| {
                let mut s = 0.0f64;
                for _ in 0..N {
                    s += d.sample(&mut rng);
                }
                s
            })
        });
    }
    g.finish();
}

fn sweep(c: &mut Criterion) {
    let s = scenario("ec2-phases.toml");
    let books = costplan::pricing::BookSource::Embedded;
    let book = books.load(&s.region).expect("book");
    let mut g = c.benchmark_group("sweep");
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    let points = 25;
    let phases = s
        .phases
        .iter()
        .filter(|p| p.environment_of.is_none())
        .count();
    g.throughput(Throughput::Elements((points * phases) as u64));
    let spec = costplan::sweep::SweepSpec {
        axis: costplan::sweep::Axis::Rps,
        span: costplan::sweep::Span {
            from: 1.0,
            to: 2000.0,
        },
        steps: points,
        log: false,
    };
    g.bench_function(BenchmarkId::new("ec2-phases_rps", points), |b| {
        b.iter(|| costplan::sweep::sweep(&s, &book, &spec, None, None, None).expect("sweep"))
    });
    g.finish();
}

fn exact(c: &mut Criterion) {
    use costplan::scenario::traffic::Duration as Law;
    let mut g = c.benchmark_group("exact");
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    let d = Law::Exponential { mean_ms: 200.0 };
    const HOUR_S: f64 = 3600.0;
    for a in [5.0f64, 50.0] {
        let rate = a / 0.2;
        g.throughput(Throughput::Elements((rate * HOUR_S) as u64));
        g.bench_with_input(BenchmarkId::new("simulate_hour", a), &rate, |b, &r| {
            b.iter(|| costplan::sim::exact::simulate_warm(r, &d, None, 600.0, HOUR_S, 2026))
        });
    }
    g.finish();
}

criterion_group!(benches, sim_vs_poisson, sweep, exact);
criterion_main!(benches);
