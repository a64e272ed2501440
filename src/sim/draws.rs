//! The random numbers a simulation uses, shared between simulations.
//!
//! A simulation draws one uniform per step from a generator seeded with the scenario's seed, so
//! the sequence depends on the seed alone: every simulation of a `run` (all phases, all trigger
//! searches) and of a sweep (every point) draws the same uniforms. They, and the normal
//! quantiles the Poisson inversion takes at high rates, are computed once per seed and shared.
//! This is the same arithmetic in the same order as drawing them in the step loop, so results
//! are bit for bit what they were; it saves the simulator its costliest per-step work.

use std::sync::{Arc, Mutex, PoisonError};

use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;

use super::poisson::normal_quantile;

/// One uniform per step and its standard normal quantile.
#[derive(Debug)]
pub struct Draws {
    pub seed: u64,
    /// In (0, 1), never exactly 0 or 1.
    pub u: Vec<f64>,
    /// `normal_quantile(u[i])`.
    pub z: Vec<f64>,
}

impl Draws {
    /// Draw `steps` uniforms from `seed`.
    pub fn new(seed: u64, steps: usize) -> Draws {
        let mut rng = Pcg64Mcg::seed_from_u64(seed);
        let u: Vec<f64> = (0..steps).map(|_| unit_uniform(&mut rng)).collect();
        let z = u.iter().map(|&u| normal_quantile(u)).collect();
        Draws { seed, u, z }
    }

    pub fn len(&self) -> usize {
        self.u.len()
    }

    pub fn is_empty(&self) -> bool {
        self.u.is_empty()
    }
}

/// A uniform in (0, 1) from the top 53 bits (never exactly 0 or 1, so the quantile is finite).
#[inline]
fn unit_uniform(rng: &mut impl Rng) -> f64 {
    ((rng.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
}

/// How many seeds' draws are kept; a process uses one, `compare` a few.
const KEEP: usize = 4;

static CACHE: Mutex<Vec<Arc<Draws>>> = Mutex::new(Vec::new());

/// The first `steps` draws of `seed` (or more: a longer sequence starts with the same ones).
/// Computed on first use; a thread asking while another computes waits for it.
pub fn for_seed(seed: u64, steps: usize) -> Arc<Draws> {
    // A panic elsewhere while holding the lock leaves the cache itself consistent.
    let mut cache = CACHE.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(d) = cache.iter().find(|d| d.seed == seed && d.len() >= steps) {
        return Arc::clone(d);
    }
    let d = Arc::new(Draws::new(seed, steps));
    cache.retain(|c| c.seed != seed);
    if cache.len() >= KEEP {
        cache.remove(0);
    }
    cache.push(Arc::clone(&d));
    d
}

/// Forget every cached sequence (for benchmarks that time a simulation from scratch).
#[doc(hidden)]
pub fn clear_cache() {
    CACHE.lock().unwrap_or_else(PoisonError::into_inner).clear();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_longer_sequence_starts_with_the_shorter_one() {
        let short = Draws::new(7, 100);
        let long = for_seed(7, 1000);
        assert_eq!(short.u[..], long.u[..100]);
        assert_eq!(short.z[..], long.z[..100]);
        assert!(Arc::ptr_eq(&long, &for_seed(7, 10)));
        assert!(long.u.iter().all(|u| *u > 0.0 && *u < 1.0));
    }
}
