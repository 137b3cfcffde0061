//! How well scores work as probabilities: Brier score, log loss, and the calibration
//! (reliability) curve with Wilson intervals.

use serde::{Deserialize, Serialize};

use super::{CurvePoint, LOG_LOSS_EPS, Z_95, check_probabilities};
use crate::core::num;
use crate::core::stats::quantile_sorted;
use crate::core::{Error, Result};

/// Brier score, the mean squared difference between probability and outcome (scikit-learn's
/// `brier_score_loss`). Scores must be probabilities.
pub fn brier(y: &[bool], p: &[f64]) -> Result<f64> {
    check_probabilities(y, p)?;
    let sum: f64 = y
        .iter()
        .zip(p)
        .map(|(&yi, &pi)| {
            let d = pi - if yi { 1.0 } else { 0.0 };
            d * d
        })
        .sum();
    Ok(sum / y.len() as f64)
}

/// Mean negative log-likelihood (scikit-learn's `log_loss`), with probabilities clipped to
/// `[LOG_LOSS_EPS, 1 - LOG_LOSS_EPS]` so the result is always finite. Scores must be
/// probabilities.
pub fn log_loss(y: &[bool], p: &[f64]) -> Result<f64> {
    check_probabilities(y, p)?;
    let sum: f64 = y
        .iter()
        .zip(p)
        .map(|(&yi, &pi)| {
            let q = pi.clamp(LOG_LOSS_EPS, 1.0 - LOG_LOSS_EPS);
            if yi { -num::ln(q) } else { -num::ln(1.0 - q) }
        })
        .sum();
    Ok(sum / y.len() as f64)
}

/// How [`calibration_curve`] places its bin edges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BinStrategy {
    /// Equal-width bins over `[0, 1]`.
    Uniform,
    /// Bins with (about) equally many samples: edges at the score quantiles.
    Quantile,
}

/// One non-empty bin of a calibration (reliability) curve.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CalibrationPoint {
    /// Mean predicted probability of the samples in the bin.
    pub mean_predicted: f64,
    /// Fraction of positives among the samples in the bin.
    pub observed_rate: f64,
    /// Samples in the bin (always at least one).
    pub count: usize,
    /// Lower end of the 95% Wilson interval of `observed_rate`.
    pub lower: f64,
    /// Upper end of the 95% Wilson interval of `observed_rate`.
    pub upper: f64,
}

impl CurvePoint for CalibrationPoint {
    /// `(mean_predicted, observed_rate)`.
    fn xy(&self) -> (f64, f64) {
        (self.mean_predicted, self.observed_rate)
    }
}

/// 95% Wilson score interval for a binomial proportion `successes / n`, clamped to
/// `[0, 1]` and always containing `successes / n`. Returns `(0, 1)` for `n = 0` (no information) and `successes` is capped at `n`.
pub fn wilson_interval(successes: usize, n: usize) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let nf = n as f64;
    let phat = successes.min(n) as f64 / nf;
    let z2 = Z_95 * Z_95;
    let denom = 1.0 + z2 / nf;
    let centre = (phat + z2 / (2.0 * nf)) / denom;
    let half = Z_95 / denom * (phat * (1.0 - phat) / nf + z2 / (4.0 * nf * nf)).sqrt();
    // Mathematically lower <= phat <= upper, with equality at 0 and 1; rounding can miss
    // by an ulp, so enforce it.
    (
        (centre - half).max(0.0).min(phat),
        (centre + half).min(1.0).max(phat),
    )
}

/// numpy's `linspace(0, 1, n + 1)` bit for bit: `i * (1 / n)`, last element exactly `1`.
fn unit_linspace(n_bins: usize) -> Vec<f64> {
    let step = 1.0 / n_bins as f64;
    let mut v: Vec<f64> = (0..=n_bins).map(|i| i as f64 * step).collect();
    v[n_bins] = 1.0;
    v
}

/// Calibration (reliability) curve as in scikit-learn's `calibration_curve`, plus counts and
/// 95% Wilson intervals. Empty bins are omitted. Like scikit-learn, a score equal to an inner
/// bin edge falls into the lower bin (`searchsorted(edges, p, side="left")`).
///
/// Errors if `n_bins == 0` or scores are not probabilities.
pub fn calibration_curve(
    y: &[bool],
    p: &[f64],
    n_bins: usize,
    strategy: BinStrategy,
) -> Result<Vec<CalibrationPoint>> {
    check_probabilities(y, p)?;
    if n_bins == 0 {
        return Err(Error::param("n_bins", "must be at least 1"));
    }
    let edges = match strategy {
        BinStrategy::Uniform => unit_linspace(n_bins),
        BinStrategy::Quantile => {
            let mut sorted = p.to_vec();
            sorted.sort_unstable_by(f64::total_cmp);
            unit_linspace(n_bins)
                .into_iter()
                .map(|q| quantile_sorted(&sorted, q).unwrap_or(1.0))
                .collect()
        }
    };
    let inner = &edges[1..n_bins];
    let mut sums = vec![0.0; n_bins];
    let mut positives = vec![0usize; n_bins];
    let mut counts = vec![0usize; n_bins];
    for (&yi, &pi) in y.iter().zip(p) {
        let b = inner.partition_point(|&e| e < pi);
        sums[b] += pi;
        counts[b] += 1;
        positives[b] += usize::from(yi);
    }
    Ok((0..n_bins)
        .filter(|&b| counts[b] > 0)
        .map(|b| {
            let (lower, upper) = wilson_interval(positives[b], counts[b]);
            CalibrationPoint {
                mean_predicted: sums[b] / counts[b] as f64,
                observed_rate: positives[b] as f64 / counts[b] as f64,
                count: counts[b],
                lower,
                upper,
            }
        })
        .collect())
}

/// Expected calibration error: the row-weighted mean of |mean predicted − observed rate| over
/// `n_bins` equal-width bins of [0, 1] (empty bins contribute nothing), as in Guo et al. 2017.
pub fn expected_calibration_error(y: &[bool], p: &[f64], n_bins: usize) -> Result<f64> {
    let curve = calibration_curve(y, p, n_bins, BinStrategy::Uniform)?;
    let n = y.len() as f64;
    Ok(curve
        .iter()
        .map(|b| b.count as f64 / n * (b.mean_predicted - b.observed_rate).abs())
        .sum())
}
