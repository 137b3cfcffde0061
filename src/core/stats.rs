//! Small descriptive statistics shared by the core (EDA, preprocessing, metrics, search,
//! utility): one definition each of mean, median, sample standard deviation, numpy's linear
//! quantile, and the finite-threshold check.
//!
//! Conventions: functions that summarise a list return `None` for an empty list or a
//! non-finite result, so callers decide what "no value" means; [`mean_sd`] is the one that
//! errors, for fold statistics where an empty list is a bug in the caller's data.

use crate::core::{Error, Result};

/// `Some(v)` when `v` is finite.
fn finite(v: f64) -> Option<f64> {
    v.is_finite().then_some(v)
}

/// Arithmetic mean; `None` when empty or not finite.
pub fn mean(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    finite(values.iter().sum::<f64>() / values.len() as f64)
}

/// Median (mean of the two middle values for an even count), sorting `values` in place;
/// `None` when empty or not finite.
pub fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable_by(f64::total_cmp);
    let n = values.len();
    finite(if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    })
}

/// Sample standard deviation (divisor `n - 1`, two passes); `None` for fewer than two values
/// or a non-finite result.
pub fn sample_sd(values: &[f64]) -> Option<f64> {
    if values.len() < 2 {
        return None;
    }
    let m = mean(values)?;
    let ss: f64 = values.iter().map(|x| (x - m) * (x - m)).sum();
    finite((ss / (values.len() - 1) as f64).sqrt())
}

/// Mean and sample standard deviation of fold statistics. A single value has standard
/// deviation `0.0`. Errors on an empty slice or non-finite values.
pub fn mean_sd(values: &[f64]) -> Result<(f64, f64)> {
    if values.is_empty() {
        return Err(Error::InsufficientData("no values for mean and sd".into()));
    }
    if values.iter().any(|v| !v.is_finite()) {
        return Err(Error::param("values", "must all be finite"));
    }
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    if values.len() == 1 {
        return Ok((mean, 0.0));
    }
    let ss: f64 = values.iter().map(|v| (v - mean) * (v - mean)).sum();
    Ok((mean, (ss / (n - 1.0)).sqrt()))
}

/// numpy's `_lerp`: exact at both ends and monotone.
fn lerp(a: f64, b: f64, t: f64) -> f64 {
    let d = b - a;
    if t >= 0.5 {
        b - d * (1.0 - t)
    } else {
        a + d * t
    }
}

/// Quantile `q` (0..=1) of ascending `sorted`, as numpy's `percentile(values, q * 100)` with
/// the default `linear` method, reproducing its floating-point steps (so that a quantile that
/// lands exactly on a value agrees with numpy). `None` when empty or not finite.
pub fn quantile_sorted(sorted: &[f64], q: f64) -> Option<f64> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    let q = (q * 100.0) / 100.0;
    let virtual_index = (n - 1) as f64 * q;
    if virtual_index >= (n - 1) as f64 {
        return finite(sorted[n - 1]);
    }
    if virtual_index < 0.0 {
        return finite(sorted[0]);
    }
    let prev = virtual_index.floor();
    let i = prev as usize;
    finite(lerp(sorted[i], sorted[i + 1], virtual_index - prev))
}

/// A decision threshold must be a finite number (any finite value is allowed: scores need not
/// be probabilities); the error names the parameter.
pub fn check_threshold(name: &str, t: f64) -> Result<()> {
    if t.is_finite() {
        Ok(())
    } else {
        Err(Error::param(name, format!("must be finite, got {t}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mean_and_median() {
        assert_eq!(mean(&[]), None);
        assert_eq!(mean(&[1.0, 2.0, 6.0]), Some(3.0));
        assert_eq!(mean(&[f64::MAX, f64::MAX]), None);
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&mut [4.0, 1.0, 2.0, 10.0]), Some(3.0));
    }

    #[test]
    fn sd_and_fold_statistics() {
        // Sample sd of [2, 4, 4, 4, 5, 5, 7, 9]: mean 5, ss 32, sd = sqrt(32 / 7).
        let v = [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0];
        let sd = sample_sd(&v).unwrap();
        assert!((sd - (32.0f64 / 7.0).sqrt()).abs() < 1e-12);
        assert_eq!(sample_sd(&[1.0]), None);
        let (m, s) = mean_sd(&v).unwrap();
        assert_eq!(m, 5.0);
        assert!((s - sd).abs() < 1e-15);
        assert_eq!(mean_sd(&[0.7]).unwrap(), (0.7, 0.0));
        assert!(mean_sd(&[]).is_err());
        assert!(mean_sd(&[1.0, f64::NAN]).is_err());
    }

    #[test]
    fn quantiles_like_numpy() {
        // numpy-style quantiles of [1, 2, 3, 4]: q1 = 1.75, median 2.5, q3 = 3.25.
        let s = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(quantile_sorted(&s, 0.25), Some(1.75));
        assert_eq!(quantile_sorted(&s, 0.5), Some(2.5));
        assert_eq!(quantile_sorted(&s, 0.75), Some(3.25));
        assert_eq!(quantile_sorted(&s, 0.0), Some(1.0));
        assert_eq!(quantile_sorted(&s, 1.0), Some(4.0));
        assert_eq!(quantile_sorted(&[7.0], 0.75), Some(7.0));
        assert_eq!(quantile_sorted(&[], 0.5), None);
    }

    #[test]
    fn thresholds_must_be_finite() {
        assert!(check_threshold("t", 0.5).is_ok());
        assert!(check_threshold("t", -3.0).is_ok());
        let e = check_threshold("thresholds", f64::NAN).unwrap_err();
        assert!(e.to_string().contains("thresholds"), "{e}");
    }
}
