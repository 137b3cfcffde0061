//! Stage 2, split: development and held-out test rows (by patient for time-series data), and
//! the cross-validation folds of the development rows (stratified; by patient for time-series
//! data).

use crate::core::Result;
use crate::core::config::TrainConfig;
use crate::core::rng::Rng;
use crate::core::sampling::{self, Fold};

use super::rows::{PatientPart, TrainingRows, per_patient};

/// Patient and ICU hour of each row of a subset (time-series data).
pub type PatientHours = (Vec<usize>, Vec<f64>);

/// The held-out test rows: their positions in the training rows, labels and, for
/// time-series data, patients and hours.
#[derive(Debug, Clone, PartialEq)]
pub struct HeldOut {
    /// Positions of the rows in the training rows' inputs.
    pub rows: Vec<usize>,
    /// Labels.
    pub y: Vec<bool>,
    /// Time-series data only: patient and hour of each row.
    pub series: Option<PatientHours>,
}

/// The development rows (searched, calibrated and finally fitted on), their folds, and the
/// held-out test rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Development {
    /// Positions (in the training rows) of the development rows: their inputs are read from
    /// the training rows' matrix through these indices, never copied.
    pub dev: Vec<usize>,
    /// Positions of the held-out test rows (empty when `test_fraction` is 0).
    pub test: Vec<usize>,
    /// Labels of the development rows.
    pub y: Vec<bool>,
    /// Time-series data only: patient and hour of each development row.
    pub series: Option<PatientHours>,
    /// Cross-validation folds over the development rows.
    pub folds: Vec<Fold>,
}

impl Development {
    /// `p` (one score per development row) split into patients, for time-series data.
    pub fn patient_parts<'a>(&'a self, p: &'a [f64]) -> Option<Vec<PatientPart<'a>>> {
        self.series
            .as_ref()
            .map(|(patient, hours)| per_patient(patient, &self.y, p, hours))
    }
}

fn pick(idx: &[usize], v: &[f64]) -> Vec<f64> {
    idx.iter().map(|&i| v[i]).collect()
}

/// Splits the training rows into development and test rows, then the development rows into
/// `config.folds` folds. Seeds: `derive(seed, 1)` for the split, `derive(seed, 2)` for the
/// folds.
pub fn split(rows: &TrainingRows, config: &TrainConfig) -> Result<Development> {
    let y_all = &rows.y;
    let (dev, test) = match (&rows.series, config.test_fraction > 0.0) {
        (_, false) => ((0..y_all.len()).collect(), Vec::new()),
        (Some(s), true) => sampling::group_split(
            y_all,
            &s.patient,
            config.test_fraction,
            Rng::derive(config.seed, 1),
        )?,
        (None, true) => {
            sampling::stratified_split(y_all, config.test_fraction, Rng::derive(config.seed, 1))?
        }
    };
    let y: Vec<bool> = dev.iter().map(|&i| y_all[i]).collect();
    let series = rows.series.as_ref().map(|s| {
        (
            dev.iter().map(|&i| s.patient[i]).collect::<Vec<usize>>(),
            pick(&dev, &s.hours),
        )
    });
    let folds = match &series {
        Some((patient, _)) => sampling::stratified_group_kfold(
            &y,
            patient,
            config.folds,
            Rng::derive(config.seed, 2),
        )?,
        None => sampling::stratified_kfold(&y, config.folds, Rng::derive(config.seed, 2))?,
    };
    Ok(Development {
        dev,
        test,
        y,
        series,
        folds,
    })
}

/// The held-out test rows of `rows`.
pub fn test_rows(rows: &TrainingRows, test: &[usize]) -> HeldOut {
    let y = test.iter().map(|&i| rows.y[i]).collect();
    let series = rows.series.as_ref().map(|s| {
        (
            test.iter().map(|&i| s.patient[i]).collect(),
            pick(test, &s.hours),
        )
    });
    HeldOut {
        rows: test.to_vec(),
        y,
        series,
    }
}
