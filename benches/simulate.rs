//! One simulated month of the seed-000 Phase 3 (Lambda + RDS) at 1-minute and 1-second steps,
//! next to the floor: drawing Poisson samples with rand_distr on the same machine.
//!
//! `cargo bench --bench simulate`; steps/s = steps per month / time per iteration
//! (43,800 steps at 60 s, 2,628,000 at 1 s for a 730-hour month).

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use rand::SeedableRng;
use rand_distr::{Distribution, Poisson};
use rand_pcg::Pcg64Mcg;

use costplan::scenario::Scenario;
use costplan::sim::{simulate, Traffic};

fn phase3() -> (costplan::sim::PhaseModel, Traffic) {
    let books = costplan::pricing::BookSource::Embedded;
    let catalog = books.catalog().expect("catalog");
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/lambda-rds.toml");
    let s = Scenario::load(std::path::Path::new(path), &catalog).expect("scenario");
    let phase = s
        .phases
        .iter()
        .find(|p| p.name == "phase3")
        .expect("phase3");
    (
        phase.model.clone().expect("traffic model"),
        s.traffic.clone().expect("traffic"),
    )
}

fn bench(c: &mut Criterion) {
    let (model, traffic) = phase3();
    let month = 730.0 * 3600.0;
    let mut g = c.benchmark_group("simulate_month");
    g.sample_size(10);
    for step in [60u32, 1] {
        let mut t = traffic.clone();
        t.settings.step_seconds = step;
        let steps = (month / f64::from(step)) as u64;
        g.throughput(Throughput::Elements(steps));
        g.bench_with_input(BenchmarkId::new("step_seconds", step), &t, |b, t| {
            b.iter(|| simulate(&model, &t.profile, &t.settings, month, 1.0))
        });
    }
    g.finish();

    // The floor: one Poisson draw per step is the least a per-step simulator can do.
    let mut g = c.benchmark_group("poisson_draws");
    const N: u64 = 1_000_000;
    g.throughput(Throughput::Elements(N));
    for mean in [0.5f64, 50.0] {
        let dist = Poisson::new(mean).expect("valid mean");
        g.bench_with_input(BenchmarkId::new("rand_distr", mean), &dist, |b, d| {
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

criterion_group!(benches, bench);
criterion_main!(benches);
