//! The largest number of requests in flight within one step.
//!
//! With Poisson arrivals the requests in flight at any instant are Poisson(m), m = arrivals x
//! mean duration / step, whatever the durations' distribution (M/G/∞). The step's maximum is a
//! scan statistic: it exceeds k when some arrival finds k in flight (rate: arrivals x P(N = k),
//! by PASTA), and such up-crossings come in clumps; counting one per clump (a share
//! (k + 1 - m) / (k + 1) of them, the chance the count then drifts down rather than up again),
//!
//!   P(max <= k) = P(N <= k) x exp(-a x P(N = k) x (k + 1 - m) / (k + 1)),   a = arrivals.
//!
//! Each step draws its own quantile of that law (a uniform of its own, independent of the
//! arrivals'), so the per-minute peaks vary as the real ones do: against the exact event
//! simulation (`sim::exact`, 200 ms requests over a day) the p95 of the minute peaks is
//! 5 / 17 / 82 / 598 at mean loads 0.5 / 5 / 50 / 500 where the exact ones are 5 / 16 / 83 / 598.
//!
//! The quantile depends on m and the uniform alone once a / m (the step over the mean duration)
//! is fixed for the month, so it is tabulated per month: rows of m (16 per octave), columns of
//! the uniform's Gumbel coordinate g = -ln(-ln u) (fine in the upper tail, where the month's
//! maximum lives), interpolated bilinearly on a continuous version of the quantile (linear
//! between the CDF's integer levels, so rounding up gives the discrete quantile at the nodes).
//! Rows are built the first time a step needs them.

use std::sync::{Arc, Mutex, OnceLock, PoisonError};

/// Rows per doubling of m.
const PER_OCTAVE: f64 = 16.0;
/// The smallest m with a row (below it, the first row). A function with a small share of a
/// quiet environment's traffic has m of 10^-5 to 10^-7 in a minute: read off a row at a
/// larger m, its steps would have a request in flight several times as often as it gets
/// requests.
const LOG2_M_MIN: f64 = -30.0;
/// Rows: m from 2^-30 (10^-9) to 2^24 (16.7 million in flight).
const ROWS: usize = (54.0 * PER_OCTAVE) as usize + 2;
/// Gumbel coordinates of the columns: g0, g0 + dg, ...
const G0: f64 = -3.0;
const DG: f64 = 0.25;
const COLS: usize = 98;

/// The per-step peak quantiles for one ratio of arrivals to mean in flight.
#[derive(Debug)]
pub struct PeakTable {
    /// Arrivals per request in flight: the step over the mean duration.
    looks: f64,
    rows: Vec<OnceLock<Box<[f64; COLS]>>>,
}

/// The Gumbel coordinate of a uniform: the column axis of the table.
pub fn gumbel(u: f64) -> f64 {
    -(-u.ln()).ln()
}

impl PeakTable {
    fn new(looks: f64) -> PeakTable {
        PeakTable {
            looks,
            rows: (0..ROWS).map(|_| OnceLock::new()).collect(),
        }
    }

    /// The peak in flight (a continuous value; round it up) at mean in flight `m` for the
    /// step's uniform with Gumbel coordinate `g`.
    pub fn quantile(&self, m: f64, g: f64) -> f64 {
        Cursor::new(self).quantile(m, Col::of(g))
    }

    fn row(&self, r: usize) -> &[f64; COLS] {
        self.rows[r].get_or_init(|| {
            let m = row_mean(r);
            Box::new(row(m, m * self.looks))
        })
    }
}

static EMPTY: [f64; COLS] = [0.0; COLS];

/// Where a step's uniform falls among the table's columns: the column below and the fraction
/// of the way to the next (the same for every simulation of a seed, so worked out once).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Col {
    c: u32,
    s: f64,
}

impl Col {
    /// The column of Gumbel coordinate `g`.
    pub fn of(g: f64) -> Col {
        let y = ((g - G0) / DG).clamp(0.0, (COLS - 2) as f64);
        let c = y as u32;
        Col {
            c,
            s: y - f64::from(c),
        }
    }
}

/// Looks up a table step after step, keeping the last pair of rows: the steps of an hour have
/// nearly the same mean in flight, so most lookups stay between the same two rows.
pub struct Cursor<'a> {
    table: &'a PeakTable,
    r: usize,
    lo: &'a [f64; COLS],
    hi: &'a [f64; COLS],
}

impl<'a> Cursor<'a> {
    pub fn new(table: &'a PeakTable) -> Cursor<'a> {
        Cursor {
            table,
            r: usize::MAX,
            lo: &EMPTY,
            hi: &EMPTY,
        }
    }

    /// `PeakTable::quantile`, with the uniform's column worked out beforehand.
    #[inline(always)]
    pub fn quantile(&mut self, m: f64, col: Col) -> f64 {
        // max/min rather than clamp: no bounds assertion in the step loop (m is never NaN).
        let x = ((pseudo_log2(m) - LOG2_M_MIN) * PER_OCTAVE)
            .max(0.0)
            .min((ROWS - 2) as f64);
        let r = x as usize;
        let t = x - r as f64;
        let (c, s) = ((col.c as usize).min(COLS - 2), col.s);
        if r != self.r {
            (self.lo, self.hi, self.r) = (self.table.row(r), self.table.row(r + 1), r);
        }
        let at = |row: &[f64; COLS]| row[c] + s * (row[c + 1] - row[c]);
        at(self.lo) + t * (at(self.hi) - at(self.lo))
    }
}

/// log2 read off the float's bits: the exponent plus the mantissa's fraction, exact at powers
/// of two and linear between them. Rows sit where it is a multiple of 1/16 (`row_mean`), so
/// interpolating along it is interpolating linearly in m between neighbouring rows; and it
/// costs a few instructions where `log2` took a tenth of a run.
#[inline]
fn pseudo_log2(m: f64) -> f64 {
    let bits = m.to_bits();
    let exponent = ((bits >> 52) & 0x7ff) as f64 - 1023.0;
    let fraction = (bits & ((1u64 << 52) - 1)) as f64 / (1u64 << 52) as f64;
    exponent + fraction
}

/// The mean in flight of row `r`: 2^octave × (1 + sixteenths).
fn row_mean(r: usize) -> f64 {
    let x = LOG2_M_MIN + r as f64 / PER_OCTAVE;
    let octave = x.floor();
    octave.exp2() * (1.0 + (x - octave))
}

/// ln k! (exact sums below 32, Stirling's series above: error below 1e-12).
fn ln_factorial(k: f64) -> f64 {
    if k < 32.0 {
        (2..=k as u32).map(|i| f64::from(i).ln()).sum()
    } else {
        let n = k + 1.0;
        (n - 0.5) * n.ln() - n + 0.5 * (2.0 * std::f64::consts::PI).ln() + 1.0 / (12.0 * n)
            - 1.0 / (360.0 * n * n * n)
    }
}

/// The law at each level from `k0` up, made a distribution function: the clumping law is
/// meant for levels above the mean, and below it (where its declumping share is 0) it would
/// read as the plain Poisson CDF; the step's maximum is at most `k` only if it is at most every
/// level above, so each level takes the smallest law at or above it.
fn law(m: f64, a: f64, top: f64) -> (f64, Vec<f64>) {
    // Start far enough below the mean that the mass under it is negligible.
    let k0 = (m - 12.0 * m.sqrt() - 12.0).max(0.0).floor();
    let mut k = k0;
    let mut pmf = (k * m.ln() - m - ln_factorial(k)).exp();
    let mut cdf = pmf;
    let mut out = Vec::new();
    loop {
        let declump = ((k + 1.0 - m) / (k + 1.0)).max(0.0);
        let f = cdf * (-a * pmf * declump).exp();
        out.push(f);
        // Past the mean the law only rises; stop once it passes the highest target, or once
        // the mass above and the clumping term are both below what the targets resolve.
        if k > m + 1.0 && (f >= top || (pmf < 1e-16 && a * pmf < 1e-12)) {
            break;
        }
        k += 1.0;
        pmf *= m / k;
        cdf += pmf;
    }
    // The summed Poisson mass from k0 misses a little below k0 and rounding: rescale to 1.
    for f in &mut out {
        *f /= cdf;
    }
    for i in (0..out.len() - 1).rev() {
        out[i] = out[i].min(out[i + 1]);
    }
    (k0, out)
}

/// The continuous quantiles of the step maximum at mean `m` and `a` arrivals, one per column:
/// linear between the levels k - 1 and k of the distribution function, so rounding up gives
/// the discrete quantile.
fn row(m: f64, a: f64) -> [f64; COLS] {
    let targets: [f64; COLS] = std::array::from_fn(|j| (-(-(G0 + j as f64 * DG)).exp()).exp());
    let (k0, f) = law(m, a, targets[COLS - 1]);
    let mut out = [0.0; COLS];
    let mut i = 0;
    for (o, &t) in out.iter_mut().zip(&targets) {
        while i + 1 < f.len() && f[i] < t {
            i += 1;
        }
        let prev = if i == 0 { 0.0 } else { f[i - 1] };
        let frac = if f[i] > prev {
            ((t - prev) / (f[i] - prev)).clamp(0.0, 1.0)
        } else {
            1.0
        };
        *o = (k0 + i as f64 - 1.0 + frac).max(0.0);
    }
    out
}

/// How many tables are kept (one per ratio of step to mean duration; a run uses one).
const KEEP: usize = 4;

static CACHE: Mutex<Vec<Arc<PeakTable>>> = Mutex::new(Vec::new());

/// The table for `looks` arrivals per request in flight, shared by every simulation of the
/// process with the same step and mean duration.
pub fn table(looks: f64) -> Arc<PeakTable> {
    let mut cache = CACHE.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(t) = cache.iter().find(|t| t.looks.to_bits() == looks.to_bits()) {
        return Arc::clone(t);
    }
    let t = Arc::new(PeakTable::new(looks));
    if cache.len() >= KEEP {
        cache.remove(0);
    }
    cache.push(Arc::clone(&t));
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Direct inversion of the law at one uniform: the smallest level whose distribution
    /// function reaches it.
    fn direct(m: f64, a: f64, u: f64) -> f64 {
        let (k0, f) = law(m, a, u);
        k0 + f.iter().position(|&x| x >= u).unwrap() as f64
    }

    #[test]
    fn rows_sit_where_the_pseudo_log_says() {
        for r in 0..ROWS {
            let x = (pseudo_log2(row_mean(r)) - LOG2_M_MIN) * PER_OCTAVE;
            assert!((x - r as f64).abs() < 1e-9, "{r}: {x}");
        }
        assert_eq!(pseudo_log2(8.0), 3.0);
        assert_eq!(pseudo_log2(12.0), 3.5);
    }

    #[test]
    fn ln_factorial_is_exact_enough() {
        let mut exact = 0.0;
        for k in 1..200 {
            exact += f64::from(k).ln();
            assert!((ln_factorial(f64::from(k)) - exact).abs() < 1e-9, "{k}");
        }
    }

    #[test]
    fn the_table_rounds_up_to_the_direct_quantile_at_its_nodes() {
        let looks = 300.0; // 60 s steps, 200 ms requests
        let t = PeakTable::new(looks);
        for r in [0usize, 100, 190, 200, 250, 300] {
            let m = row_mean(r);
            for c in [0usize, 10, 20, 40, 60, 97] {
                let g = G0 + c as f64 * DG;
                let u = (-(-g).exp()).exp();
                let want = direct(m, m * looks, u);
                let got = t.quantile(m, g).ceil();
                assert_eq!(got, want, "m {m} g {g}");
            }
        }
    }

    #[test]
    fn a_quiet_step_has_a_request_in_flight_as_often_as_it_gets_one() {
        // m = 10^-5 in a 60 s step of 200 ms requests: a = 300 m = 0.003 arrivals, so
        // P(peak >= 1) = 1 - P(N = 0) exp(-a P(N = 0)) = 1 - exp(-m - a e^-m) = 0.00301.
        // The step's uniforms below 1 - 0.00301 give a peak of 0; the 99.9th percentile
        // (above it) gives 1. Read off a row at a larger m, 0.999 would round up to 1 too.
        let t = PeakTable::new(300.0);
        let m: f64 = 1e-5;
        let p1 = 1.0 - (-m - 300.0 * m * (-m).exp()).exp();
        assert!((p1 - 0.00301).abs() < 1e-5, "{p1}");
        assert_eq!(t.quantile(m, gumbel(0.99)).ceil(), 0.0);
        assert_eq!(t.quantile(m, gumbel(0.9995)).ceil(), 1.0);
    }

    #[test]
    fn reproduces_the_exact_simulations_minute_peaks() {
        // p95 of the per-minute peaks at a = 0.5 / 5 / 50 / 500 (200 ms, 60 s): the exact
        // event simulation gives 5 / 16 / 83 / 598 (tests/it/exact.rs); within 1 or 0.5 %.
        let t = PeakTable::new(300.0);
        let g95 = gumbel(0.95);
        for (m, exact) in [(0.5, 5.0), (5.0, 16.0), (50.0, 83.0), (500.0, 598.0)] {
            let q: f64 = t.quantile(m, g95).ceil();
            assert!(
                (q - exact).abs() <= f64::max(1.0, exact * 0.005),
                "m {m}: {q} vs {exact}"
            );
        }
    }

    #[test]
    fn monotone_in_load_and_in_the_uniform() {
        let t = PeakTable::new(60.0);
        let mut last = 0.0;
        for i in 0..400 {
            let m = 0.01 * 1.05f64.powi(i);
            let q = t.quantile(m, 2.0);
            assert!(q >= last - 1e-9, "m {m}");
            last = q;
        }
        let mut last = 0.0;
        for i in 0..100 {
            let q = t.quantile(40.0, -3.0 + 0.24 * f64::from(i));
            assert!(q >= last - 1e-9);
            last = q;
        }
    }
}
