//! Batch prediction over a validated dataset, the results CSV shared by the CLI and the app,
//! and evaluation on labelled data.

use crate::core::bundle::{ModelBundle, Prediction};
use crate::core::csv::write_record;
use crate::core::dataset::{Dataset, RowIssue, Severity};
use crate::core::metrics::{self, Metrics};
use crate::core::temporal;
use crate::core::utility::{self, IcuEvaluation, UtilityParams};
use crate::core::{Error, Result};

/// Columns appended to the input columns in the results CSV.
pub const RESULT_COLUMNS: [&str; 4] = [
    "sepsis_probability",
    "sepsis_predicted",
    "risk_band",
    "issues",
];

/// Predictions for every row of `ds` (None for rows with errors), in row order.
///
/// For a time-series model each row's prediction uses its patient's rows up to and including
/// that hour (see [`temporal::dataset_features`]); rows with errors get no prediction, but
/// their readable cells still count as history for the patient's later hours.
pub fn predict_dataset(bundle: &ModelBundle, ds: &Dataset) -> Result<Vec<Option<Prediction>>> {
    if ds.schema.name != bundle.schema.name {
        return Err(Error::Header(format!(
            "{}: the data was read with schema `{}` but the model expects `{}`",
            ds.source, ds.schema.name, bundle.schema.name
        )));
    }
    if bundle.is_time_series() {
        let (features, order, _) = temporal::dataset_features_for(&bundle.schema, ds)?;
        let mut out = vec![None; ds.rows.len()];
        for (i, &r) in order.iter().enumerate() {
            if ds.rows[r].is_valid() {
                out[r] = Some(bundle.predict_features(features.row(i))?);
            }
        }
        return Ok(out);
    }
    ds.rows
        .iter()
        .map(|r| {
            r.is_valid()
                .then(|| bundle.predict_values(&r.values))
                .transpose()
        })
        .collect()
}

/// Joins issues as in the `issues` column.
pub fn format_issues<'a>(issues: impl Iterator<Item = &'a RowIssue>) -> String {
    issues
        .map(|i| {
            let sev = if i.severity == Severity::Error {
                "error"
            } else {
                "warning"
            };
            match &i.column {
                Some(c) => format!("{sev}: {c}: {}", i.reason),
                None => format!("{sev}: {}", i.reason),
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Formats a probability for output (6 decimals; the CLI and the app use this one function).
pub fn format_probability(p: f64) -> String {
    format!("{p:.6}")
}

/// The order of the input columns in the results CSV: as read, except that for time-series
/// data the patient ID column and then the time column (e.g. `ICULOS`) come first.
fn output_columns(ds: &Dataset) -> Vec<usize> {
    let mut first = Vec::new();
    if let Some(spec) = &ds.schema.temporal {
        let norm = crate::core::schema::normalize_name;
        let find = |name: &str, aliases: &[String]| {
            ds.header.iter().position(|h| {
                let h = norm(h);
                h == norm(name) || aliases.iter().any(|a| h == norm(a))
            })
        };
        if let Some(id) = &ds.schema.id {
            first.extend(find(&id.name, &id.aliases));
        }
        if let Some(t) = ds
            .schema
            .features
            .iter()
            .find(|c| c.name == spec.time_column)
        {
            first.extend(find(&t.name, &t.aliases));
        }
    }
    let rest = (0..ds.header.len()).filter(|i| !first.contains(i));
    first.iter().copied().chain(rest).collect()
}

/// The results CSV: every input column unchanged (for time-series data the patient ID and
/// time columns first) (comma-delimited, header as read), then
/// `sepsis_probability`, `sepsis_predicted` (1/0 at the bundle's threshold), `risk_band`, and
/// `issues` (empty for a clean row). Rows with errors keep their input and explain why they
/// have no prediction.
pub fn results_csv(
    bundle: &ModelBundle,
    ds: &Dataset,
    predictions: &[Option<Prediction>],
) -> String {
    let mut out = String::with_capacity(ds.rows.len() * 96);
    let columns = output_columns(ds);
    let mut header: Vec<&str> = columns.iter().map(|&i| ds.header[i].as_str()).collect();
    header.extend(RESULT_COLUMNS);
    write_record(&mut out, &header, b',');
    let per_row = ds.issues_per_row();
    for ((row, pred), issues) in ds.rows.iter().zip(predictions).zip(per_row) {
        let mut fields: Vec<String> = columns
            .iter()
            .map(|&i| row.fields.get(i).cloned().unwrap_or_default())
            .collect();
        match pred {
            Some(p) => {
                fields.push(format_probability(p.probability));
                fields.push(if p.predicted { "1" } else { "0" }.to_string());
                fields.push(bundle.band_name(p.band).to_string());
            }
            None => fields.extend([String::new(), String::new(), String::new()]),
        }
        fields.push(format_issues(issues.iter()));
        let refs: Vec<&str> = fields.iter().map(String::as_str).collect();
        write_record(&mut out, &refs, b',');
    }
    out
}

/// Labels and calibrated probabilities of the rows that are valid and labelled.
pub fn labelled_predictions(
    ds: &Dataset,
    predictions: &[Option<Prediction>],
) -> (Vec<bool>, Vec<f64>) {
    ds.rows
        .iter()
        .zip(predictions)
        .filter_map(|(r, p)| Some((r.label?, p.as_ref()?.probability)))
        .unzip()
}

/// Patient-level evaluation of a time-series model on `ds` at the bundle's threshold (the
/// PhysioNet/CinC 2019 utility and early-warning figures, see [`utility::evaluate_icu`]),
/// over the valid labelled rows. None for a model without a temporal section.
pub fn evaluate_time_series(
    bundle: &ModelBundle,
    ds: &Dataset,
    predictions: &[Option<Prediction>],
) -> Result<Option<IcuEvaluation>> {
    let Some(spec) = &bundle.schema.temporal else {
        return Ok(None);
    };
    let time = bundle
        .schema
        .feature_index(&spec.time_column)
        .ok_or_else(|| Error::Bundle(format!("no time column `{}`", spec.time_column)))?;
    // The same patients and row order as the predictions (no features needed here).
    let (order, patients) = temporal::patient_order(ds, time);
    let mut parts: Vec<(Vec<bool>, Vec<f64>, Vec<f64>)> = Vec::new();
    for p in &patients {
        let (mut y, mut s, mut h) = (Vec::new(), Vec::new(), Vec::new());
        let rows = &order[p.rows.clone()];
        let hours =
            temporal::patient_hours(rows.iter().map(|&r| ds.rows[r].values.as_slice()), time);
        for (&r, hour) in rows.iter().zip(hours) {
            let row = &ds.rows[r];
            if let (Some(label), Some(pred)) = (row.label, &predictions[r]) {
                y.push(label);
                s.push(pred.probability);
                h.push(hour);
            }
        }
        if !y.is_empty() {
            parts.push((y, s, h));
        }
    }
    if parts.is_empty() {
        return Err(Error::InsufficientData(format!(
            "{}: no valid labelled rows",
            ds.source
        )));
    }
    utility::evaluate_icu(&parts, bundle.threshold, &UtilityParams::default()).map(Some)
}

/// Every metric at the bundle's threshold, on the valid labelled rows of `ds`.
pub fn evaluate_dataset(bundle: &ModelBundle, ds: &Dataset) -> Result<Metrics> {
    check_labelled(bundle, ds)?;
    evaluate_predictions(bundle, ds, &predict_dataset(bundle, ds)?)
}

fn check_labelled(bundle: &ModelBundle, ds: &Dataset) -> Result<()> {
    if ds.has_label_column {
        return Ok(());
    }
    Err(Error::Header(format!(
        "{}: no label column `{}`: evaluation needs labelled data",
        ds.source, bundle.schema.label.name
    )))
}

/// [`evaluate_dataset`] from predictions already made by [`predict_dataset`] for `ds`.
pub fn evaluate_predictions(
    bundle: &ModelBundle,
    ds: &Dataset,
    predictions: &[Option<Prediction>],
) -> Result<Metrics> {
    check_labelled(bundle, ds)?;
    let (y, p) = labelled_predictions(ds, predictions);
    if y.is_empty() {
        return Err(Error::InsufficientData(format!(
            "{}: no valid labelled rows",
            ds.source
        )));
    }
    metrics::evaluate(&y, &p, bundle.threshold)
}
