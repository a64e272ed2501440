//! `ceil` and `round` for the simulator's step loop. Baseline x86-64 has no rounding
//! instruction (that came with SSE4.1), so there `f64::ceil` and `f64::round` are libm calls,
//! which took a sixth of the simulator's time; [`Soft`] does them inline with an integer
//! conversion instead. Where the CPU has the instruction (x86-64 with AVX2, checked at run time;
//! aarch64 always) [`Native`] uses it. Both give the same result for every f64, sign of zero
//! included, so which one runs never changes an output.

/// A way to round; see the module documentation.
pub trait Rounding {
    fn ceil(x: f64) -> f64;
    fn round(x: f64) -> f64;
}

/// Integer conversion: for CPUs without a rounding instruction.
pub struct Soft;

/// The standard functions, for code compiled where they are one instruction.
pub struct Native;

impl Rounding for Soft {
    #[inline(always)]
    fn ceil(x: f64) -> f64 {
        ceil(x)
    }
    #[inline(always)]
    fn round(x: f64) -> f64 {
        round(x)
    }
}

impl Rounding for Native {
    #[inline(always)]
    fn ceil(x: f64) -> f64 {
        x.ceil()
    }
    #[inline(always)]
    fn round(x: f64) -> f64 {
        x.round()
    }
}

/// 2^52: from here on every f64 is an integer.
const INTEGRAL: f64 = 4_503_599_627_370_496.0;

/// Same as `x.ceil()`.
#[inline(always)]
pub fn ceil(x: f64) -> f64 {
    if x.abs() < INTEGRAL {
        // The cast truncates toward zero and is exact here.
        let t = x as i64 as f64;
        let c = if t < x { t + 1.0 } else { t };
        // ceil(-0.5) is -0.0: the result always has the sign of x.
        c.copysign(x)
    } else {
        x
    }
}

/// Same as `x.round()` (half away from zero).
#[inline(always)]
pub fn round(x: f64) -> f64 {
    if x.abs() < INTEGRAL {
        let t = x as i64 as f64;
        // Exact: x and its truncation are within 1 of each other below 2^52.
        let r = if (x - t).abs() >= 0.5 {
            t + 1.0_f64.copysign(x)
        } else {
            t
        };
        r.copysign(x)
    } else {
        x
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(a: f64, b: f64) -> bool {
        a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
    }

    #[test]
    fn agree_with_std_on_edges_and_a_sweep_of_values() {
        let mut xs = vec![
            0.0,
            -0.0,
            0.5,
            -0.5,
            0.49999999999999994,
            -0.49999999999999994,
            1.5,
            -1.5,
            2.5,
            1.0 - f64::EPSILON,
            INTEGRAL - 0.5,
            -(INTEGRAL - 0.5),
            INTEGRAL,
            INTEGRAL * 3.0,
            f64::MAX,
            f64::MIN,
            f64::MIN_POSITIVE,
            -f64::MIN_POSITIVE,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
        ];
        // A deterministic spread over many magnitudes and fractions.
        let mut s: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..200_000 {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            xs.push(f64::from_bits(s));
            xs.push((s >> 11) as f64 / (1u64 << 40) as f64 - 4096.0);
        }
        for x in xs {
            assert!(same(ceil(x), x.ceil()), "ceil({x:e})");
            assert!(same(round(x), x.round()), "round({x:e})");
        }
    }
}
