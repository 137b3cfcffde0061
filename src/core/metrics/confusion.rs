//! The confusion matrix at a threshold and the summary metrics of a scored, labelled set.

use serde::{Deserialize, Serialize};

use super::{
    average_precision, brier, check_inputs, check_probabilities, log_loss, ratio,
    require_both_classes, roc_auc,
};
use crate::core::Result;
use crate::core::stats::check_threshold;

/// A 2x2 confusion matrix. All ratio methods return `0.0` when their denominator is zero
/// (scikit-learn's `zero_division=0`), so they are always finite.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Confusion {
    /// True positives: positive and alerted.
    pub tp: usize,
    /// False positives: negative but alerted.
    pub fp: usize,
    /// True negatives: negative and not alerted.
    pub tn: usize,
    /// False negatives: positive but not alerted (serialised as `"fn"`).
    #[serde(rename = "fn")]
    pub fn_: usize,
}

impl Confusion {
    /// Number of samples, `tp + fp + tn + fn`.
    pub fn n(&self) -> usize {
        self.tp + self.fp + self.tn + self.fn_
    }

    /// Actual positives, `tp + fn`.
    pub fn positives(&self) -> usize {
        self.tp + self.fn_
    }

    /// Actual negatives, `tn + fp`.
    pub fn negatives(&self) -> usize {
        self.tn + self.fp
    }

    /// Alerts (predicted positives), `tp + fp`.
    pub fn alerts(&self) -> usize {
        self.tp + self.fp
    }

    /// Sensitivity (recall, true positive rate) `tp / (tp + fn)`; `0.0` without positives.
    pub fn sensitivity(&self) -> f64 {
        ratio(self.tp as f64, self.positives() as f64)
    }

    /// Specificity (true negative rate) `tn / (tn + fp)`; `0.0` without negatives.
    pub fn specificity(&self) -> f64 {
        ratio(self.tn as f64, self.negatives() as f64)
    }

    /// Precision (positive predictive value) `tp / (tp + fp)`; `0.0` without alerts.
    pub fn precision(&self) -> f64 {
        ratio(self.tp as f64, self.alerts() as f64)
    }

    /// Negative predictive value `tn / (tn + fn)`; `0.0` when nothing is predicted negative.
    pub fn npv(&self) -> f64 {
        ratio(self.tn as f64, (self.tn + self.fn_) as f64)
    }

    /// F1 score `2 tp / (2 tp + fp + fn)`; `0.0` when `tp + fp + fn = 0`.
    pub fn f1(&self) -> f64 {
        self.f_beta(1.0)
    }

    /// F-beta score `(1 + b^2) tp / ((1 + b^2) tp + b^2 fn + fp)` (`beta = 2` weights
    /// sensitivity higher, as the product wants). Only `beta^2` enters, so the sign of `beta`
    /// is irrelevant; `beta = 0` gives precision; an infinite `beta` gives the limit
    /// (sensitivity); a `NaN` `beta` gives `0.0`. A zero denominator gives `0.0`.
    pub fn f_beta(&self, beta: f64) -> f64 {
        if beta.is_nan() {
            return 0.0;
        }
        if beta.is_infinite() {
            return self.sensitivity();
        }
        let b2 = beta * beta;
        let tp = self.tp as f64;
        ratio(
            (1.0 + b2) * tp,
            (1.0 + b2) * tp + b2 * self.fn_ as f64 + self.fp as f64,
        )
    }

    /// Accuracy `(tp + tn) / n`; `0.0` for an empty matrix.
    pub fn accuracy(&self) -> f64 {
        ratio((self.tp + self.tn) as f64, self.n() as f64)
    }
}

/// Confusion matrix when a sample is predicted positive iff `p >= threshold`.
///
/// Errors on mismatched or empty input, non-finite scores or a non-finite threshold.
pub fn confusion_at(y: &[bool], p: &[f64], threshold: f64) -> Result<Confusion> {
    check_inputs(y, p)?;
    check_threshold("threshold", threshold)?;
    let mut c = Confusion::default();
    for (&yi, &pi) in y.iter().zip(p) {
        match (yi, pi >= threshold) {
            (true, true) => c.tp += 1,
            (true, false) => c.fn_ += 1,
            (false, true) => c.fp += 1,
            (false, false) => c.tn += 1,
        }
    }
    Ok(c)
}

/// Every headline metric of a probabilistic classifier at one alert threshold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    /// Number of samples.
    pub n: usize,
    /// Number of positive samples.
    pub positives: usize,
    /// Confusion matrix at `threshold`.
    pub confusion: Confusion,
    /// Sensitivity at `threshold`.
    pub sensitivity: f64,
    /// Specificity at `threshold`.
    pub specificity: f64,
    /// Precision (PPV) at `threshold`.
    pub precision: f64,
    /// Negative predictive value at `threshold`.
    pub npv: f64,
    /// F1 at `threshold`.
    pub f1: f64,
    /// F2 (sensitivity-weighted) at `threshold`.
    pub f2: f64,
    /// Accuracy at `threshold`.
    pub accuracy: f64,
    /// Area under the ROC curve (threshold-free).
    pub roc_auc: f64,
    /// Average precision, the "PR AUC" (threshold-free).
    pub pr_auc: f64,
    /// Brier score (threshold-free).
    pub brier: f64,
    /// Log loss (threshold-free).
    pub log_loss: f64,
    /// The alert threshold the threshold-dependent metrics refer to.
    pub threshold: f64,
}

/// Computes [`Metrics`] at `threshold`. Requires both classes, probabilities in `[0, 1]` and
/// a finite threshold.
pub fn evaluate(y: &[bool], p: &[f64], threshold: f64) -> Result<Metrics> {
    let mut m = evaluate_at(y, p, threshold)?;
    m.roc_auc = roc_auc(y, p)?;
    m.pr_auc = average_precision(y, p)?;
    Ok(m)
}

/// [`evaluate`] and the expected calibration error (`ece_bins` equal-width bins,
/// [`super::expected_calibration_error`]) of probabilities the call may consume: the same
/// figures, bit for bit, with the ranking areas from [`super::ranking_areas`] (8 bytes a
/// sample rather than up to 40; for evaluations of millions of rows).
pub fn evaluate_owned(
    y: &[bool],
    p: Vec<f64>,
    threshold: f64,
    ece_bins: usize,
) -> Result<(Metrics, f64)> {
    let mut m = evaluate_at(y, &p, threshold)?;
    let ece = super::expected_calibration_error(y, &p, ece_bins)?;
    (m.roc_auc, m.pr_auc) = super::ranking_areas(y, p)?;
    Ok((m, ece))
}

/// [`Metrics`] without the ranking areas (left at 0).
fn evaluate_at(y: &[bool], p: &[f64], threshold: f64) -> Result<Metrics> {
    check_probabilities(y, p)?;
    let (positives, _) = require_both_classes(y)?;
    let confusion = confusion_at(y, p, threshold)?;
    Ok(Metrics {
        n: y.len(),
        positives,
        confusion,
        sensitivity: confusion.sensitivity(),
        specificity: confusion.specificity(),
        precision: confusion.precision(),
        npv: confusion.npv(),
        f1: confusion.f1(),
        f2: confusion.f_beta(2.0),
        accuracy: confusion.accuracy(),
        roc_auc: 0.0,
        pr_auc: 0.0,
        brier: brier(y, p)?,
        log_loss: log_loss(y, p)?,
        threshold,
    })
}
