//! The fast engine computes the model the step-by-step reference (`sim::reference`) states:
//! on random small scenarios and traffic, every per-minute sum, maximum and time-average of every
//! metric and every monthly total agree bit for bit (the engine keeps the reference's arithmetic and the
//! order of every sum; f32 series compare with `==`, so 0.0 and -0.0 are the same value).

use costplan::sim::engine::{simulate, Metric, SimResult};
use costplan::sim::reference::{self, Outcome};
use proptest::prelude::*;

/// One compute resource of the generated phase.
#[derive(Debug, Clone)]
enum Unit {
    Lambda {
        reserved: Option<u32>,
        provisioned: u32,
        cold_start_ms: u32,
        keep_warm: u32,
    },
    Fleet {
        kind: &'static str,
        count: u32,
        /// (min, max, rps target or CPU target, cpu ms, out cooldown, in cooldown)
        scaling: Option<(u32, u32, bool, u32, u32, u32)>,
        /// A weekly schedule (the month starts on a Monday at 00:00).
        schedule: Option<&'static str>,
    },
}

fn unit() -> impl Strategy<Value = (Unit, u32, u32)> {
    let lambda = (prop::option::of(1u32..60), 0u32..5, 0u32..2000, 1u32..30).prop_map(
        |(reserved, provisioned, cold_start_ms, keep_warm)| Unit::Lambda {
            reserved,
            provisioned,
            cold_start_ms,
            keep_warm,
        },
    );
    let fleet = (
        prop::sample::select(vec!["fargate", "ec2"]),
        1u32..6,
        prop::option::of((
            1u32..4,
            0u32..20,
            any::<bool>(),
            1u32..200,
            0u32..400,
            0u32..900,
        )),
        prop::sample::select(vec![None, Some("daily 01-20"), Some("daily 00-01")]),
    )
        .prop_map(|(kind, count, scaling, schedule)| Unit::Fleet {
            kind,
            count,
            schedule,
            scaling: scaling
                .map(|(min, extra, rps, cpu, out, inn)| (min, min + extra, rps, cpu, out, inn)),
        });
    (prop_oneof![lambda, fleet], 0u32..4, 0u32..6)
}

#[derive(Debug, Clone)]
struct Case {
    step_seconds: u32,
    month_seconds: f64,
    seed: u64,
    avg_rps: f64,
    shapes: bool,
    growth: i32,
    spike: Option<(u32, u32, u32)>,
    duration: u32,
    duration_kind: u8,
    account: u32,
    units: Vec<(Unit, u32, u32)>,
    db: u8,
    proxy: bool,
    fixed: u32,
    scale: f64,
}

fn case() -> impl Strategy<Value = Case> {
    (
        prop::sample::select(vec![1u32, 5, 10, 15, 30, 60]),
        0u32..3600,
        0u64..(i64::MAX as u64),
        -2.0f64..3.3,
        any::<bool>(),
        -50i32..100,
        prop::option::of((0u32..6, 1u32..90, 2u32..8)),
        (1u32..3000, 0u8..3),
        1u32..1500,
        prop::collection::vec(unit(), 1..4),
        (0u8..3, any::<bool>(), 0u32..5),
        prop::sample::select(vec![0.5, 1.0, 3.0]),
    )
        .prop_map(
            |(step, extra, seed, rps, shapes, growth, spike, dur, account, units, db, scale)| {
                // Short months: 1 s steps over at most 2 h, 60 s steps over a day and a half.
                let hours = (u64::from(step) * 6 / 5).clamp(1, 36) as f64;
                Case {
                    step_seconds: step,
                    month_seconds: hours * 3600.0 + f64::from(extra),
                    seed,
                    avg_rps: if rps < -1.8 { 0.0 } else { 10f64.powf(rps) },
                    shapes,
                    growth,
                    spike,
                    duration: dur.0,
                    duration_kind: dur.1,
                    account,
                    units,
                    db: db.0,
                    proxy: db.1,
                    fixed: db.2,
                    scale,
                }
            },
        )
}

impl Case {
    fn toml(&self) -> String {
        let mut t = String::from("region = \"us-east-1\"\n[traffic]\n");
        t += &format!("avg_rps = {:.6}\n", self.avg_rps);
        if self.shapes {
            t += "daily_shape = \"business-hours\"\nweekly_shape = \"weekdays\"\npeak_multiplier = 3\n";
        }
        if self.growth != 0 {
            t += &format!("monthly_growth_percent = {}\n", self.growth);
        }
        t += &match self.duration_kind {
            0 => format!("duration_ms = {}\n", self.duration),
            1 => format!(
                "duration_ms = {{ mean = {}, p95 = {} }}\n",
                self.duration,
                self.duration * 3
            ),
            _ => format!(
                "duration_ms = {{ mean = {}, distribution = \"exponential\" }}\n",
                self.duration
            ),
        };
        if let Some((hour, minutes, mult)) = self.spike {
            t += &format!(
                "[[traffic.spikes]]\nday = 1\nat = \"{hour:02}:17\"\nminutes = {minutes}\nmultiplier = {mult}\n"
            );
        }
        t += &format!(
            "[simulation]\nstep_seconds = {}\nseed = {}\naccount_concurrency = {}\n",
            self.step_seconds, self.seed, self.account
        );
        let n = self.units.len();
        for (i, (u, pool, overflow)) in self.units.iter().enumerate() {
            t += &format!("[phases.p.resources.c{i}]\n");
            if n > 1 {
                // Shares that add up to at most 100 %.
                t += &format!("traffic_percent = {}\n", 100 / n as u32 - i as u32);
            }
            if self.db > 0 {
                t += &format!("pool_size = {pool}\nmax_overflow = {overflow}\n");
            }
            match u {
                Unit::Lambda {
                    reserved,
                    provisioned,
                    cold_start_ms,
                    keep_warm,
                } => {
                    t += "kind = \"lambda\"\nmemory_mb = 512\n";
                    // AWS keeps 100 of the account's concurrency unreserved: the phase's
                    // functions reserve at most account - 100 together.
                    let room = self.account.saturating_sub(100) / n as u32;
                    let reserved = reserved.filter(|_| room > 0).map(|r| r.min(room));
                    if let Some(r) = reserved {
                        t += &format!("reserved_concurrency = {r}\n");
                    }
                    // Provisioned concurrency cannot exceed reserved concurrency (AWS refuses it).
                    let provisioned = reserved.map_or(*provisioned, |r| (*provisioned).min(r));
                    if provisioned > 0 {
                        t += &format!("provisioned_concurrency = {provisioned}\n");
                        // Part-time PC (warm only in its busiest hours) on some cases: 0-3 h.
                        if cold_start_ms % 5 < 4 {
                            t += &format!("provisioned_hours = {}\n", cold_start_ms % 5);
                        }
                    }
                    t += &format!(
                        "cold_start_ms = {cold_start_ms}\nkeep_warm_minutes = {keep_warm}\n"
                    );
                }
                Unit::Fleet {
                    kind,
                    count,
                    scaling,
                    schedule,
                } => {
                    // Autoscaling sets the count: a fixed one is for fixed fleets only.
                    let key = if *kind == "fargate" { "tasks" } else { "count" };
                    let count_line = if scaling.is_some() {
                        String::new()
                    } else {
                        format!("{key} = {count}\n")
                    };
                    if *kind == "fargate" {
                        t += &format!("kind = \"fargate\"\ncpu = 0.5\nmemory_gb = 1\n{count_line}");
                    } else {
                        t += &format!("kind = \"ec2\"\ninstance_type = \"t3.small\"\n{count_line}");
                    }
                    if let Some(s) = schedule {
                        t += &format!("schedule = \"{s}\"\n");
                    }
                    // A fixed fleet with a CPU model (cpu_percent without autoscaling).
                    if scaling.is_none() && count % 2 == 1 {
                        t += &format!("cpu_ms_per_request = {}\n", count * 17);
                    }
                    if let Some((min, max, rps, cpu, out, inn)) = scaling {
                        let target = if *rps {
                            format!("target_rps_per_task = {}", cpu)
                        } else {
                            format!("target_cpu_percent = 60, cpu_ms_per_request = {cpu}")
                        };
                        t += &format!(
                            "autoscaling = {{ min = {min}, max = {}, {target}, scale_out_cooldown_s = {out}, scale_in_cooldown_s = {inn} }}\n",
                            max.max(&1)
                        );
                    }
                }
            }
        }
        match self.db {
            1 => t += &format!("[phases.p.resources.db]\nkind = \"rds\"\nengine = \"postgres\"\ninstance_class = \"db.t3.micro\"\nstorage_gb = 20\nfixed_connections = {}\n", self.fixed),
            2 => t += &format!("[phases.p.resources.db]\nkind = \"aurora\"\nengine = \"postgres\"\nmin_acu = 0.5\nmax_acu = 4\nstorage_gb = 10\nfixed_connections = {}\n", self.fixed),
            _ => {}
        }
        if self.db > 0 && self.proxy {
            t += "[phases.p.resources.proxy]\nkind = \"rds_proxy\"\ntarget_instance_class = \"db.t3.micro\"\nmax_connections_percent = 50\n";
        }
        t
    }
}

/// Every figure of the engine's month against the reference's.
fn agree(fast: &SimResult, slow: &Outcome) -> Result<(), String> {
    let bits = |a: f64, b: f64, what: &str| {
        if a.to_bits() == b.to_bits() {
            Ok(())
        } else {
            Err(format!("{what}: engine {a:e}, reference {b:e}"))
        }
    };
    bits(fast.requests, slow.requests, "requests")?;
    bits(fast.lambda_mean, slow.lambda_mean, "lambda_mean")?;
    bits(fast.db_peak, slow.db_peak, "db_peak")?;
    if fast.compute != slow.compute {
        return Err(format!(
            "totals: engine {:?}\nreference {:?}",
            fast.compute, slow.compute
        ));
    }
    for m in Metric::ALL {
        let pairs = [
            ("sum", fast.series.sums(m), &slow.sums[m as usize]),
            ("max", fast.series.maxes(m), &slow.maxes[m as usize]),
            ("mean", fast.series.mean_sums(m), &slow.means[m as usize]),
        ];
        for (what, a, b) in pairs {
            if a.len() != b.len() {
                return Err(format!("{m:?} {what}: {} vs {} minutes", a.len(), b.len()));
            }
            if let Some(i) = (0..a.len()).find(|&i| a[i] != b[i]) {
                return Err(format!(
                    "{m:?} {what} of minute {i}: engine {}, reference {}",
                    a[i], b[i]
                ));
            }
        }
    }
    Ok(())
}

fn check(c: &Case) -> Result<(), TestCaseError> {
    let text = c.toml();
    let books = costplan::pricing::BookSource::Embedded;
    let catalog = books.catalog().expect("catalog");
    let doc = costplan::source::Document::parse("case".into(), text.clone()).expect("parse");
    let s = match costplan::scenario::Scenario::from_document(doc, "case", &catalog) {
        Ok(s) => s,
        // The generator writes only valid scenarios; one the loader refuses is a bug in it.
        Err(e) => return Err(TestCaseError::fail(format!("{e}\n{text}"))),
    };
    let t = s.traffic.as_ref().expect("traffic");
    for model in s.phases.iter().filter_map(|p| p.model.as_ref()) {
        let fast = simulate(model, &t.profile, &t.settings, c.month_seconds, c.scale);
        let slow = reference::simulate(model, &t.profile, &t.settings, c.month_seconds, c.scale);
        agree(&fast, &slow).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn the_engine_computes_the_reference_model(c in case()) {
        check(&c)?;
    }
}

/// The library scenarios' phases over a full 730-hour month, at a quiet and a busy scale.
#[test]
fn the_engine_computes_the_reference_model_on_the_library() {
    let books = costplan::pricing::BookSource::Embedded;
    let catalog = books.catalog().expect("catalog");
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios");
    let mut checked = 0;
    for file in [
        "lambda-rds.toml",
        "ec2-phases.toml",
        "prod.toml",
        "compute-choice.toml",
    ] {
        let path = std::path::Path::new(dir).join(file);
        let s = costplan::scenario::Scenario::load(&path, &catalog).expect("scenario");
        let t = s.traffic.as_ref().expect("traffic");
        for model in s.phases.iter().filter_map(|p| p.model.as_ref()) {
            for scale in [1.0, 40.0] {
                let month = 730.0 * 3600.0;
                let fast = simulate(model, &t.profile, &t.settings, month, scale);
                let slow = reference::simulate(model, &t.profile, &t.settings, month, scale);
                if let Err(e) = agree(&fast, &slow) {
                    panic!("{file} at {scale}x: {e}");
                }
                checked += 1;
            }
        }
    }
    assert!(checked >= 16, "only {checked} phases checked");
}
