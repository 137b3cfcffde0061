//! Batch prediction over a validated dataset, the results CSV shared by the CLI and the app,
//! and evaluation on labelled data.

use crate::core::bundle::{ModelBundle, Prediction};
use crate::core::csv::write_record;
use crate::core::dataset::{Dataset, RowIssue, Severity};
use crate::core::metrics::{self, Metrics};
use crate::core::{Error, Result};

/// Columns appended to the input columns in the results CSV.
pub const RESULT_COLUMNS: [&str; 4] = [
    "sepsis_probability",
    "sepsis_predicted",
    "risk_band",
    "issues",
];

/// Predictions for every row of `ds` (None for rows with errors), in row order.
pub fn predict_dataset(bundle: &ModelBundle, ds: &Dataset) -> Result<Vec<Option<Prediction>>> {
    if ds.schema.name != bundle.schema.name {
        return Err(Error::Header(format!(
            "{}: the data was read with schema `{}` but the model expects `{}`",
            ds.source, ds.schema.name, bundle.schema.name
        )));
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

/// The results CSV: every input column unchanged (comma-delimited, header as read), then
/// `sepsis_probability`, `sepsis_predicted` (1/0 at the bundle's threshold), `risk_band`, and
/// `issues` (empty for a clean row). Rows with errors keep their input and explain why they
/// have no prediction.
pub fn results_csv(
    bundle: &ModelBundle,
    ds: &Dataset,
    predictions: &[Option<Prediction>],
) -> String {
    let mut out = String::with_capacity(ds.rows.len() * 96);
    let width = ds.header.len();
    let mut header: Vec<&str> = ds.header.iter().map(String::as_str).collect();
    header.extend(RESULT_COLUMNS);
    write_record(&mut out, &header, b',');
    let per_row = ds.issues_per_row();
    for ((row, pred), issues) in ds.rows.iter().zip(predictions).zip(per_row) {
        let mut fields: Vec<String> = (0..width)
            .map(|i| row.fields.get(i).cloned().unwrap_or_default())
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

/// Every metric at the bundle's threshold, on the valid labelled rows of `ds`.
pub fn evaluate_dataset(bundle: &ModelBundle, ds: &Dataset) -> Result<Metrics> {
    if !ds.has_label_column {
        return Err(Error::Header(format!(
            "{}: no label column `{}`: evaluation needs labelled data",
            ds.source, bundle.schema.label.name
        )));
    }
    let preds = predict_dataset(bundle, ds)?;
    let (y, p) = labelled_predictions(ds, &preds);
    if y.is_empty() {
        return Err(Error::InsufficientData(format!(
            "{}: no valid labelled rows",
            ds.source
        )));
    }
    metrics::evaluate(&y, &p, bundle.threshold)
}
