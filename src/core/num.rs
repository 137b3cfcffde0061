//! Transcendental functions with one implementation on every target.
//!
//! `f64::exp`, `ln` and friends call the platform's math library: glibc natively, a port of
//! musl's in wasm32. They differ in the last bit for about one argument in ten (measured on
//! 10 million arguments: `exp` 9.7 %, `ln` 6.6 %), and a last-bit difference in one
//! gradient changes a fitted model. Everything the core computes from data (features,
//! models, calibration, metrics, demo data) goes through these wrappers over the `libm`
//! crate instead, so the browser and the CLI produce byte-identical bundles and predictions
//! (docs/decisions.md D15). `sqrt` and the basic operations are correctly rounded by IEEE 754
//! everywhere and need no wrapper.

/// `e^x`.
#[inline]
pub fn exp(x: f64) -> f64 {
    libm::exp(x)
}

/// Natural logarithm.
#[inline]
pub fn ln(x: f64) -> f64 {
    libm::log(x)
}

/// `ln(1 + x)`, accurate near 0.
#[inline]
pub fn ln_1p(x: f64) -> f64 {
    libm::log1p(x)
}

/// Base-2 logarithm.
#[inline]
pub fn log2(x: f64) -> f64 {
    libm::log2(x)
}

/// Base-10 logarithm.
#[inline]
pub fn log10(x: f64) -> f64 {
    libm::log10(x)
}

/// `x^y`.
#[inline]
pub fn pow(x: f64, y: f64) -> f64 {
    libm::pow(x, y)
}

/// Cube root.
#[inline]
pub fn cbrt(x: f64) -> f64 {
    libm::cbrt(x)
}

/// Cosine.
#[inline]
pub fn cos(x: f64) -> f64 {
    libm::cos(x)
}

/// Sine.
#[inline]
pub fn sin(x: f64) -> f64 {
    libm::sin(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agree_with_std_to_the_last_bit_or_one_ulp() {
        let ulps = |a: f64, b: f64| (a.to_bits() as i64 - b.to_bits() as i64).unsigned_abs();
        for i in 1..2000 {
            let x = i as f64 * 0.0173 - 15.0;
            assert!(ulps(exp(x), x.exp()) <= 1, "exp({x})");
            let y = i as f64 * 0.011;
            assert!(ulps(ln(y), y.ln()) <= 1, "ln({y})");
            assert!(ulps(ln_1p(y), y.ln_1p()) <= 1, "ln_1p({y})");
            assert!(ulps(cos(x), x.cos()) <= 1 && ulps(sin(x), x.sin()) <= 1);
            assert!(ulps(cbrt(y), y.cbrt()) <= 1 && ulps(log2(y), y.log2()) <= 1);
        }
        assert_eq!(pow(10.0, 3.0), 1000.0);
        assert_eq!(log10(1000.0), 3.0);
    }
}
