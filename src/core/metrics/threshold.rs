//! Choosing and tabulating alert thresholds: the threshold for a target sensitivity, the
//! threshold table of the model page, and the default grid.

use serde::{Deserialize, Serialize};

use super::curves::{Step, cumulative_steps};
use super::{Confusion, GRID_STEPS, check_inputs, require_positives};
use crate::core::stats::check_threshold;
use crate::core::{Error, Result};

/// The operating point chosen by [`threshold_for_sensitivity`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ThresholdChoice {
    /// Alert iff `score >= threshold`; one of the observed scores.
    pub threshold: f64,
    /// Sensitivity at the threshold (`>=` the requested target).
    pub sensitivity: f64,
    /// Specificity at the threshold.
    pub specificity: f64,
    /// Precision (PPV) at the threshold.
    pub precision: f64,
    /// Fraction of all samples that alert.
    pub alert_rate: f64,
}

/// The highest candidate threshold (candidates are the distinct scores) whose sensitivity is
/// at least `target`: the fewest alerts that still reach the target. The next higher
/// candidate, if any, has sensitivity below `target`.
///
/// Errors if `target` is not in `(0, 1]`, if there are no positives, or on invalid input.
pub fn threshold_for_sensitivity(y: &[bool], p: &[f64], target: f64) -> Result<ThresholdChoice> {
    check_inputs(y, p)?;
    if !(target > 0.0 && target <= 1.0) {
        return Err(Error::param(
            "target",
            format!("sensitivity target must be in (0, 1], got {target}"),
        ));
    }
    let (pos, neg) = require_positives(y)?;
    let steps = cumulative_steps(y, p);
    // Sensitivity is non-decreasing along `steps`; the lowest score reaches 1.0 >= target.
    let s = steps
        .iter()
        .find(|s| s.tps as f64 / pos as f64 >= target)
        .copied()
        .unwrap_or(Step {
            threshold: steps[steps.len() - 1].threshold,
            tps: pos,
            fps: neg,
        });
    let c = Confusion {
        tp: s.tps,
        fp: s.fps,
        tn: neg - s.fps,
        fn_: pos - s.tps,
    };
    Ok(ThresholdChoice {
        threshold: s.threshold,
        sensitivity: c.sensitivity(),
        specificity: c.specificity(),
        precision: c.precision(),
        alert_rate: c.alerts() as f64 / c.n() as f64,
    })
}

/// One row of a threshold table (the app's threshold slider).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ThresholdRow {
    /// Alert iff `score >= threshold`.
    pub threshold: f64,
    /// True positives.
    pub tp: usize,
    /// False positives.
    pub fp: usize,
    /// True negatives.
    pub tn: usize,
    /// False negatives (serialised as `"fn"`).
    #[serde(rename = "fn")]
    pub fn_: usize,
    /// Sensitivity (`0.0` without positives).
    pub sensitivity: f64,
    /// Specificity (`0.0` without negatives).
    pub specificity: f64,
    /// Precision / PPV (`0.0` without alerts).
    pub precision: f64,
    /// Negative predictive value (`0.0` without predicted negatives).
    pub npv: f64,
    /// Alerts per 100 samples.
    pub alerts_per_100: f64,
}

impl ThresholdRow {
    /// The row's confusion matrix.
    pub fn confusion(&self) -> Confusion {
        Confusion {
            tp: self.tp,
            fp: self.fp,
            tn: self.tn,
            fn_: self.fn_,
        }
    }
}

/// Confusion counts and rates at each of `thresholds` (in the given order). Sorts the scores
/// once, so a table costs `O((n + t) log n)`.
///
/// Errors on invalid input or a non-finite threshold. Both classes need not be present
/// (missing-class rates are `0.0`).
pub fn threshold_table(y: &[bool], p: &[f64], thresholds: &[f64]) -> Result<Vec<ThresholdRow>> {
    check_inputs(y, p)?;
    for &t in thresholds {
        check_threshold("thresholds", t)?;
    }
    let mut pos_scores: Vec<f64> = Vec::new();
    let mut neg_scores: Vec<f64> = Vec::new();
    for (&yi, &pi) in y.iter().zip(p) {
        if yi {
            pos_scores.push(pi);
        } else {
            neg_scores.push(pi);
        }
    }
    pos_scores.sort_unstable_by(f64::total_cmp);
    neg_scores.sort_unstable_by(f64::total_cmp);
    let at_or_above = |v: &[f64], t: f64| v.len() - v.partition_point(|&s| s < t);
    let n = y.len() as f64;
    Ok(thresholds
        .iter()
        .map(|&t| {
            let tp = at_or_above(&pos_scores, t);
            let fp = at_or_above(&neg_scores, t);
            let c = Confusion {
                tp,
                fp,
                tn: neg_scores.len() - fp,
                fn_: pos_scores.len() - tp,
            };
            ThresholdRow {
                threshold: t,
                tp: c.tp,
                fp: c.fp,
                tn: c.tn,
                fn_: c.fn_,
                sensitivity: c.sensitivity(),
                specificity: c.specificity(),
                precision: c.precision(),
                npv: c.npv(),
                alerts_per_100: 100.0 * c.alerts() as f64 / n,
            }
        })
        .collect())
}

/// The evenly spaced thresholds `i / steps` for `i = 0..=steps` (`steps = 100` gives
/// `0.00, 0.01, ..., 1.00`, each the `f64` nearest the decimal). Errors if `steps == 0`.
pub fn threshold_grid(steps: usize) -> Result<Vec<f64>> {
    if steps == 0 {
        return Err(Error::param("steps", "must be at least 1"));
    }
    Ok((0..=steps).map(|i| i as f64 / steps as f64).collect())
}

/// [`threshold_table`] on the default grid `0.00, 0.01, ..., 1.00` ([`GRID_STEPS`]), as used
/// by the app's threshold slider.
pub fn threshold_sweep(y: &[bool], p: &[f64]) -> Result<Vec<ThresholdRow>> {
    threshold_table(y, p, &threshold_grid(GRID_STEPS)?)
}
