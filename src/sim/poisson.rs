//! Poisson arrivals by inversion, so one uniform per step gives a count that never decreases
//! when the rate grows. The ladder search relies on that: with the same seed, scaling traffic up
//! can only add arrivals, so "does this trigger fire?" changes once along the scale.

use super::round::Rounding;

/// Exact inversion below this mean; a corrected normal quantile above it.
const EXACT_BELOW: f64 = 40.0;

/// The smallest k with P(X ≤ k) ≥ u for X ~ Poisson(mean).
pub fn quantile(u: f64, mean: f64) -> f64 {
    if mean <= 0.0 {
        return 0.0;
    }
    if mean < EXACT_BELOW {
        // Walk the CDF; e^-40 is far above f64's underflow.
        let mut p = (-mean).exp();
        let mut cdf = p;
        let mut k = 0.0;
        // Guard the walk at a point whose upper tail is below 1e-15 for means below 40.
        let limit = mean + 12.0 * mean.sqrt() + 30.0;
        while cdf < u && k < limit {
            k += 1.0;
            p *= mean / k;
            cdf += p;
        }
        return k;
    }
    cornish_fisher::<super::round::Soft>(normal_quantile(u), mean, mean.sqrt())
}

/// Cornish-Fisher: X ≈ mean + z√mean + (z² − 1)/6 (skewness term), rounded. Its error at mean 40
/// is below one count in the body of the distribution.
#[inline(always)]
fn cornish_fisher<R: Rounding>(z: f64, mean: f64, sqrt_mean: f64) -> f64 {
    let x = mean + z * sqrt_mean + (z * z - 1.0) / 6.0;
    R::round(x).max(0.0)
}

/// Inversion with the CDF of the current mean kept in a table: the rate is constant within an
/// hour, so the table is rebuilt about once an hour of simulated time and each draw is a binary
/// search. Above the table's range, the mean's square root is kept instead. Gives exactly the
/// same counts as [`quantile`] (same arithmetic in the same order).
#[derive(Debug, Default)]
pub struct Sampler {
    mean: f64,
    cdf: Vec<f64>,
    sqrt_of: f64,
    sqrt: f64,
}

impl Sampler {
    /// [`quantile`]`(u, mean)`, given `z()` = `normal_quantile(u)` (see `draws`), asked for only
    /// at high means.
    #[inline(always)]
    pub fn sample<R: Rounding>(&mut self, u: f64, z: impl FnOnce() -> f64, mean: f64) -> f64 {
        if mean <= 0.0 {
            return 0.0;
        }
        if mean >= EXACT_BELOW {
            if mean.to_bits() != self.sqrt_of.to_bits() {
                self.sqrt_of = mean;
                self.sqrt = mean.sqrt();
            }
            return cornish_fisher::<R>(z(), mean, self.sqrt);
        }
        if mean.to_bits() != self.mean.to_bits() || self.cdf.is_empty() {
            self.rebuild(mean);
        }
        let k = self.cdf.partition_point(|c| *c < u);
        if k < self.cdf.len() {
            k as f64
        } else {
            quantile(u, mean)
        }
    }

    fn rebuild(&mut self, mean: f64) {
        self.mean = mean;
        self.cdf.clear();
        let mut p = (-mean).exp();
        let mut cdf = p;
        let mut k = 0.0;
        let limit = mean + 12.0 * mean.sqrt() + 30.0;
        self.cdf.push(cdf);
        while k < limit {
            k += 1.0;
            p *= mean / k;
            cdf += p;
            self.cdf.push(cdf);
        }
    }
}

/// The standard normal quantile Φ⁻¹(p), Acklam's rational approximation (relative error
/// below 1.2e-9), for p in (0, 1); clamped at the ends.
pub fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    let p = p.clamp(1e-300, 1.0 - 1e-16);
    let low = 0.024_25;
    if p < low {
        let q = (-2.0 * p.ln()).sqrt();
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    } else if p <= 1.0 - low {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        let q = (-2.0 * (1.0 - p).ln()).sqrt();
        -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::round::{Native, Soft};

    #[test]
    fn normal_quantile_reference_values() {
        assert!(normal_quantile(0.5).abs() < 1e-9);
        assert!((normal_quantile(0.95) - 1.644_853_626_951).abs() < 1e-8);
        assert!((normal_quantile(0.025) + 1.959_963_984_540).abs() < 1e-8);
        assert!((normal_quantile(0.999) - 3.090_232_306_168).abs() < 1e-8);
    }

    #[test]
    fn small_mean_inversion_is_exact() {
        // Poisson(2): P(0) = 0.1353, P(≤1) = 0.4060, P(≤2) = 0.6767, P(≤3) = 0.8571.
        assert_eq!(quantile(0.10, 2.0), 0.0);
        assert_eq!(quantile(0.20, 2.0), 1.0);
        assert_eq!(quantile(0.50, 2.0), 2.0);
        assert_eq!(quantile(0.80, 2.0), 3.0);
        assert_eq!(quantile(0.5, 0.0), 0.0);
    }

    #[test]
    fn mean_and_variance_match_poisson() {
        for mean in [0.3, 5.0, 39.0, 41.0, 600.0, 6000.0] {
            let n = 20_000;
            let (mut s, mut s2) = (0.0, 0.0);
            for i in 0..n {
                let u = (i as f64 + 0.5) / n as f64;
                let x = quantile(u, mean);
                s += x;
                s2 += x * x;
            }
            let m = s / n as f64;
            let var = s2 / n as f64 - m * m;
            assert!((m - mean).abs() / mean < 0.01, "mean {mean}: got {m}");
            assert!((var - mean).abs() / mean < 0.03, "var {mean}: got {var}");
        }
    }

    #[test]
    fn the_table_sampler_matches_direct_inversion() {
        let mut s = Sampler::default();
        for i in 0..2000 {
            let u = (i as f64 + 0.37) / 2000.0;
            for mean in [0.01, 0.7, 3.0, 17.5, 39.9, 40.0, 250.0, 250.0, 6e4, 0.0] {
                let z = normal_quantile(u);
                assert_eq!(
                    s.sample::<Soft>(u, || z, mean),
                    quantile(u, mean),
                    "u {u} mean {mean}"
                );
                assert_eq!(s.sample::<Native>(u, || z, mean), quantile(u, mean));
            }
        }
    }

    #[test]
    fn monotone_in_the_mean_for_a_fixed_uniform() {
        for i in 1..200 {
            let u = i as f64 / 200.0;
            let mut last = 0.0;
            let mut mean = 0.05;
            while mean < 200.0 {
                let x = quantile(u, mean);
                assert!(x >= last, "u {u}: {x} < {last} at mean {mean}");
                last = x;
                mean *= 1.01;
            }
        }
    }
}
