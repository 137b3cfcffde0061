//! Binary classification metrics: confusion matrices, ROC / precision-recall curves and their
//! areas, Brier score, log loss, calibration curves, threshold selection, threshold tables and
//! risk bands, one file per concept:
//!
//! - [`confusion`]: the confusion matrix at a threshold and the summary [`Metrics`];
//! - [`curves`]: ROC and precision-recall curves, their areas, and curve downsampling;
//! - [`calibration`]: Brier score, log loss and the calibration (reliability) curve;
//! - [`threshold`]: threshold choice by sensitivity, threshold tables and grids;
//! - [`bands`]: risk bands.
//!
//! Conventions shared by the whole module:
//! - labels are `&[bool]` (`true` = positive, i.e. sepsis) and scores are `&[f64]`;
//! - a sample is predicted positive ("alert") iff `score >= threshold`;
//! - a ratio whose denominator is zero is reported as `0.0` (scikit-learn's
//!   `zero_division=0`), so every result is finite and serialises to JSON (which has no
//!   `NaN` or infinity);
//! - every public function validates its input and returns an [`Error`] rather than
//!   panicking: labels and scores must have the same, non-zero length and scores must be
//!   finite. Functions that interpret scores as probabilities ([`brier`], [`log_loss`],
//!   [`calibration_curve`], [`evaluate`], [`risk_bands`]) also require them in `[0, 1]`.
//!
//! The curve and area functions reproduce scikit-learn (`roc_curve(drop_intermediate=False)`,
//! `roc_auc_score`, `precision_recall_curve`, `average_precision_score`, `brier_score_loss`,
//! `log_loss`, `calibration.calibration_curve`), including its handling of tied scores.
mod bands;
mod calibration;
mod confusion;
mod curves;
mod threshold;

pub use bands::*;
pub use calibration::*;
pub use confusion::*;
pub use curves::*;
pub use threshold::*;

use super::{Error, Result};

/// Probability clipping used by [`log_loss`]: scores are clipped to `[eps, 1 - eps]` with
/// `eps = f64::EPSILON`, as scikit-learn >= 1.5 does for float64 input.
pub const LOG_LOSS_EPS: f64 = f64::EPSILON;

/// Two-sided 95% standard-normal quantile used for Wilson intervals.
pub const Z_95: f64 = 1.959_963_984_540_054;

/// Number of steps of the default threshold grid (`0.00, 0.01, ..., 1.00`).
pub const GRID_STEPS: usize = 100;

/// `a / b` with the `0 / 0 = 0` convention (any zero denominator gives `0.0`).
fn ratio(a: f64, b: f64) -> f64 {
    if b == 0.0 { 0.0 } else { a / b }
}

// ---------------------------------------------------------------------------------------------
// Validation helpers
// ---------------------------------------------------------------------------------------------

/// Labels and scores have equal non-zero length and every score is finite.
pub(super) fn check_inputs(y: &[bool], p: &[f64]) -> Result<()> {
    if y.len() != p.len() {
        return Err(Error::param(
            "scores",
            format!(
                "{} scores for {} labels (lengths must match)",
                p.len(),
                y.len()
            ),
        ));
    }
    if y.is_empty() {
        return Err(Error::InsufficientData("no samples".into()));
    }
    if let Some(i) = p.iter().position(|v| !v.is_finite()) {
        return Err(Error::param(
            "scores",
            format!("score at index {i} is not finite ({})", p[i]),
        ));
    }
    Ok(())
}

/// Like [`check_inputs`] and additionally every score is a probability in `[0, 1]`.
pub(super) fn check_probabilities(y: &[bool], p: &[f64]) -> Result<()> {
    check_inputs(y, p)?;
    if let Some(i) = p.iter().position(|v| !(0.0..=1.0).contains(v)) {
        return Err(Error::param(
            "scores",
            format!(
                "score at index {i} is not a probability in [0, 1] ({})",
                p[i]
            ),
        ));
    }
    Ok(())
}

/// `(positives, negatives)`.
pub(super) fn class_counts(y: &[bool]) -> (usize, usize) {
    let pos = y.iter().filter(|&&b| b).count();
    (pos, y.len() - pos)
}

pub(super) fn require_both_classes(y: &[bool]) -> Result<(usize, usize)> {
    let (pos, neg) = class_counts(y);
    if pos == 0 || neg == 0 {
        return Err(Error::InsufficientData(format!(
            "only one class present ({pos} positives, {neg} negatives)"
        )));
    }
    Ok((pos, neg))
}

pub(super) fn require_positives(y: &[bool]) -> Result<(usize, usize)> {
    let (pos, neg) = class_counts(y);
    if pos == 0 {
        return Err(Error::InsufficientData("no positive samples".into()));
    }
    Ok((pos, neg))
}

#[cfg(test)]
mod tests;
