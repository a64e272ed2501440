//! The random numbers a simulation uses, shared between simulations.
//!
//! A simulation draws one uniform per step from a generator seeded with the scenario's seed, so
//! the sequence depends on the seed alone: every simulation of a `run` (all phases, all trigger
//! searches) and of a sweep (every point) draws the same uniforms. They, and the normal
//! quantiles the Poisson inversion takes at high rates, are computed once per seed (the
//! quantiles as first needed) and shared.
//! This is the same arithmetic in the same order as drawing them in the step loop, so results
//! are bit for bit what they were; it saves the simulator its costliest per-step work.

use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;

use super::poisson::normal_quantile;

/// One uniform per step and its standard normal quantile.
#[derive(Debug)]
pub struct Draws {
    pub seed: u64,
    /// In (0, 1), never exactly 0 or 1: each step's arrivals.
    pub u: Vec<f64>,
    /// The Gumbel coordinate (`peak::gumbel`) of a second uniform per step, from a stream of
    /// its own: where the step's peak in flight falls in its law.
    pub g: Vec<f64>,
    /// `normal_quantile(u[i])` by blocks of steps, each computed the first time a step in it
    /// needs one (only rates of 40+ arrivals a step do; a quiet month needs none).
    z: Vec<OnceLock<Box<[f64]>>>,
}

/// Seeds the peaks' stream apart from the arrivals' (an arbitrary odd constant).
const PEAK_STREAM: u64 = 0x9E37_79B9_7F4A_7C15;

/// Steps per block of normal quantiles (a multiple of the simulator's chunk, so a chunk's
/// quantiles lie in one block).
pub const Z_BLOCK: usize = 120;

impl Draws {
    /// Draw `steps` uniforms from `seed`.
    pub fn new(seed: u64, steps: usize) -> Draws {
        let mut rng = Pcg64Mcg::seed_from_u64(seed);
        let u: Vec<f64> = (0..steps).map(|_| unit_uniform(&mut rng)).collect();
        let mut peaks = Pcg64Mcg::seed_from_u64(seed ^ PEAK_STREAM);
        let g = (0..steps)
            .map(|_| super::peak::gumbel(unit_uniform(&mut peaks)))
            .collect();
        let z = (0..steps.div_ceil(Z_BLOCK))
            .map(|_| OnceLock::new())
            .collect();
        Draws { seed, u, g, z }
    }

    /// `normal_quantile(u[i])`.
    pub fn z(&self, i: usize) -> f64 {
        self.block(i / Z_BLOCK)[i % Z_BLOCK]
    }

    /// `normal_quantile(u[i])` for the steps of `range`, which lies within one block.
    pub fn zs(&self, range: std::ops::Range<usize>) -> &[f64] {
        let b = range.start / Z_BLOCK;
        &self.block(b)[range.start - b * Z_BLOCK..range.end - b * Z_BLOCK]
    }

    fn block(&self, b: usize) -> &[f64] {
        self.z[b].get_or_init(|| {
            let end = ((b + 1) * Z_BLOCK).min(self.u.len());
            self.u[b * Z_BLOCK..end]
                .iter()
                .map(|&u| normal_quantile(u))
                .collect()
        })
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
        for i in (0..100).rev() {
            assert_eq!(short.z(i), long.z(i));
            assert_eq!(short.z(i), normal_quantile(short.u[i]));
        }
        assert_eq!(long.z(999), normal_quantile(long.u[999]));
        assert_eq!(long.zs(840..870)[5], long.z(845));
        assert!(Arc::ptr_eq(&long, &for_seed(7, 10)));
        assert!(long.u.iter().all(|u| *u > 0.0 && *u < 1.0));
    }
}
