//! Stage 1, features: the rows training uses, in the model's input space. Rows with errors or
//! without a label are left out here (and counted in the bundle's training information).
//! Time-series data gets its time-aware features ([`temporal`]) and, per row, its patient and
//! hour in the ICU.

use crate::core::dataset::Dataset;
use crate::core::schema::Schema;
use crate::core::temporal;
use crate::core::{Error, Matrix, Result};

/// The rows training uses, in the model's input space.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainingRows {
    /// Model inputs of the usable rows (valid and labelled).
    pub x: Matrix,
    /// Their labels.
    pub y: Vec<bool>,
    /// The schema of `x`'s columns.
    pub model_schema: Schema,
    /// Time-series data only: per usable row, its patient and its hour in the ICU.
    pub series: Option<Series>,
    /// Per usable row, its index in [`Dataset::rows`].
    pub source_rows: Vec<usize>,
}

/// Per-row patient and hour of time-series data (rows of a patient are contiguous and in time
/// order).
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// The row's patient (index in patient order).
    pub patient: Vec<usize>,
    /// The row's hour in the ICU ([`temporal::patient_hours`]).
    pub hours: Vec<f64>,
    /// Number of time-aware features.
    pub features: usize,
}

impl TrainingRows {
    /// Number of positive rows.
    pub fn positives(&self) -> usize {
        self.y.iter().filter(|&&v| v).count()
    }
}

/// The row's label when the row is usable for training (valid and labelled).
fn usable(ds: &Dataset, i: usize) -> Option<bool> {
    let r = &ds.rows[i];
    if r.is_valid() { r.label } else { None }
}

/// The usable rows of `ds` in the model's input space.
pub fn training_rows(ds: &Dataset) -> Result<TrainingRows> {
    let Some(spec) = &ds.schema.temporal else {
        let (x, y, source_rows) = ds.training_data();
        return Ok(TrainingRows {
            x,
            y,
            model_schema: ds.schema.clone(),
            series: None,
            source_rows,
        });
    };
    let (mut features, order, patients) = temporal::dataset_features(ds)?;
    let time = ds
        .schema
        .feature_index(&spec.time_column)
        .ok_or_else(|| Error::param("schema", format!("no time column `{}`", spec.time_column)))?;
    let mut keep = Vec::new();
    let mut source_rows = Vec::new();
    let mut y = Vec::new();
    let mut patient = Vec::new();
    let mut hours = Vec::new();
    for (p, range) in patients.iter().enumerate() {
        let rows = &order[range.rows.clone()];
        let ward_hours =
            temporal::patient_hours(rows.iter().map(|&r| ds.rows[r].values.as_slice()), time);
        for (i, hour) in range.rows.clone().zip(ward_hours) {
            if let Some(label) = usable(ds, order[i]) {
                keep.push(i);
                source_rows.push(order[i]);
                y.push(label);
                patient.push(p);
                hours.push(hour);
            }
        }
    }
    let model_schema = temporal::feature_schema(&ds.schema)?;
    features.retain_rows(&keep);
    Ok(TrainingRows {
        x: features,
        y,
        series: Some(Series {
            patient,
            hours,
            features: model_schema.features.len(),
        }),
        model_schema,
        source_rows,
    })
}

/// One patient's labels, scores and hours.
pub type PatientPart<'a> = (&'a [bool], &'a [f64], &'a [f64]);

/// Splits row-aligned labels, scores and hours into patients (`patient` is contiguous).
pub fn per_patient<'a>(
    patient: &[usize],
    y: &'a [bool],
    p: &'a [f64],
    hours: &'a [f64],
) -> Vec<PatientPart<'a>> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..=patient.len() {
        if i == patient.len() || patient[i] != patient[start] {
            out.push((&y[start..i], &p[start..i], &hours[start..i]));
            start = i;
        }
    }
    out
}
