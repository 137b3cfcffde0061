//! Where a bundle comes from when it is not a fresh training run: the record a recalibrated
//! bundle carries of its parent, the local data it was recalibrated on, the method, and the
//! figures before and after ([`crate::core::train::recalibrate`]). Plain data, so that
//! [`crate::core::bundle`] can hold it without depending on training.

use serde::{Deserialize, Serialize};

use crate::core::config::CalibrationMethod;
use crate::core::metrics::{CalibrationPoint, Metrics};
use crate::core::utility::IcuEvaluation;

/// The labelled local data a bundle was recalibrated on: what it is, not the data itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LocalData {
    /// File name(s), without directories.
    pub source: String,
    /// SHA-256 of the files' bytes, hex.
    pub sha256: String,
    /// Records read.
    pub rows_in_file: usize,
    /// Rows used: valid, labelled and scored (rows below the minimum evidence get no score).
    pub rows_used: usize,
    /// Time-series data only: patients with at least one row used.
    pub patients: Option<usize>,
    /// Positive rows used.
    pub positives: usize,
    /// Positive fraction of the rows used.
    pub prevalence: f64,
    /// Whether the data says when it was recorded. The supported formats carry no dates (ICU
    /// files count hours since admission), so the period the data covers is not known.
    pub dates: Option<String>,
}

/// A model's operating figures on the local data at one threshold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OperatingSummary {
    /// The alert threshold.
    pub threshold: f64,
    /// Row-level metrics at the threshold (sensitivity, specificity, PPV as `precision`,
    /// Brier score, AUROC, ...).
    pub metrics: Metrics,
    /// Expected calibration error: 10 equal-width bins, weighted by their rows.
    pub ece: f64,
    /// Calibration curve (10 quantile bins).
    pub calibration: Vec<CalibrationPoint>,
    /// Time-series data only: patient-level figures (utility, alerts per patient-day).
    pub icu: Option<IcuEvaluation>,
}

/// How a bundle was recalibrated, with the figures before (the parent as shipped) and after
/// (the new calibrator and threshold, cross-fitted: every row scored by a calibrator fitted
/// without its fold, by patient for time-series data).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recalibration {
    /// SHA-256 of the parent bundle's JSON, hex.
    pub parent_sha256: String,
    /// The parent's model-card title.
    pub parent_title: String,
    /// The calibration method fitted.
    pub method: CalibrationMethod,
    /// Cross-fitting folds.
    pub folds: usize,
    /// Seed of the folds.
    pub seed: u64,
    /// The local data.
    pub local: LocalData,
    /// The parent on the local data, at its own threshold.
    pub before: OperatingSummary,
    /// The recalibrated model on the local data (cross-fitted), at the new threshold.
    pub after: OperatingSummary,
}
