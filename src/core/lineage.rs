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

/// One line of a before/after comparison: what, before, after (display text).
#[derive(Debug, Clone, PartialEq)]
pub struct ComparisonRow {
    /// What is compared ("ECE", "sensitivity", ...).
    pub name: &'static str,
    /// The parent on the local data.
    pub before: String,
    /// The recalibrated model (cross-fitted).
    pub after: String,
}

impl OperatingSummary {
    /// The mean predicted risk (from the calibration bins).
    pub fn mean_risk(&self) -> f64 {
        let sum: f64 = self
            .calibration
            .iter()
            .map(|c| c.mean_predicted * c.count as f64)
            .sum();
        sum / self.metrics.n.max(1) as f64
    }
}

impl Recalibration {
    /// One sentence: parent, method, folds, local data (rows, patients, positives).
    pub fn summary(&self) -> String {
        let l = &self.local;
        format!(
            "Recalibrated {} (sha256 {}) with {} over {} folds{} on {}: {} rows read, {} used{}, {} positive ({:.1} %).",
            self.parent_title,
            &self.parent_sha256[..self.parent_sha256.len().min(12)],
            self.method.title(),
            self.folds,
            if l.patients.is_some() {
                " by patient"
            } else {
                ""
            },
            l.source,
            l.rows_in_file,
            l.rows_used,
            l.patients
                .map_or(String::new(), |p| format!(" ({p} patients)")),
            l.positives,
            100.0 * l.prevalence
        )
    }

    /// The figures before and after, as the CLI prints them and the page shows them:
    /// threshold, ECE, Brier score, mean risk, sensitivity, specificity, PPV, ROC AUC, and for
    /// time-series data alerts per patient-day and utility.
    pub fn comparison(&self) -> Vec<ComparisonRow> {
        compare(&self.before, &self.after)
    }
}

/// The before/after table of two operating summaries: threshold, ECE, Brier score, mean
/// risk, sensitivity, specificity, PPV, ROC AUC and, for time-series data, alerts per
/// patient-day and utility.
pub fn compare(before: &OperatingSummary, after: &OperatingSummary) -> Vec<ComparisonRow> {
    let mut rows = Vec::new();
    let mut row = |name: &'static str, f: &dyn Fn(&OperatingSummary) -> String| {
        rows.push(ComparisonRow {
            name,
            before: f(before),
            after: f(after),
        });
    };
    row("threshold", &|s| format!("{:.4}", s.threshold));
    row("ECE", &|s| format!("{:.4}", s.ece));
    row("Brier score", &|s| format!("{:.4}", s.metrics.brier));
    row("mean risk", &|s| format!("{:.4}", s.mean_risk()));
    row("sensitivity", &|s| format!("{:.3}", s.metrics.sensitivity));
    row("specificity", &|s| format!("{:.3}", s.metrics.specificity));
    row("PPV", &|s| format!("{:.3}", s.metrics.precision));
    row("ROC AUC", &|s| format!("{:.3}", s.metrics.roc_auc));
    if before.icu.is_some() {
        row("alerts per patient-day", &|s| {
            s.icu
                .as_ref()
                .map_or("–".into(), |e| format!("{:.2}", e.alerts_per_patient_day))
        });
        row("utility (normalized)", &|s| {
            s.icu
                .as_ref()
                .map_or("–".into(), |e| format!("{:.3}", e.utility))
        });
    }
    rows
}
