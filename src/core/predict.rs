//! Batch prediction over a validated dataset, the results CSV shared by the CLI and the app,
//! and evaluation on labelled data.

use crate::core::bundle::{ModelBundle, Prediction};
use crate::core::csv::write_record;
#[cfg(doc)]
use crate::core::dataset::Row;
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
/// that hour (see [`temporal::dataset_features`]); rows with errors, and rows below the
/// schema's minimum evidence ([`Row::is_scorable`]; their issues say why), get no
/// prediction, but their readable cells still count as history for the patient's later hours.
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
            if ds.rows[r].is_scorable() {
                out[r] = Some(bundle.predict_features(features.row(i))?);
            }
        }
        return Ok(out);
    }
    bundle.predict_rows(
        ds.rows
            .iter()
            .map(|r| r.is_scorable().then_some(r.values.as_slice())),
    )
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
    ResultsWriter::new(bundle).write(ds, predictions, &mut out);
    out
}

/// [`results_csv`] in parts, for data that arrives in parts (one patient file at a time, or
/// chunks of rows): the header with the first part, then every part's rows. Writing the
/// parts of a dataset one after another gives exactly [`results_csv`] of the whole, as long
/// as every part has the same header (as [`crate::core::dataset::PatientTablesBuilder`]
/// guarantees).
#[derive(Debug)]
pub struct ResultsWriter<'b> {
    bundle: &'b ModelBundle,
    /// The input columns' order, fixed by the first part.
    columns: Option<Vec<usize>>,
    /// Rows written so far.
    rows: usize,
}

impl<'b> ResultsWriter<'b> {
    /// A writer for results of `bundle`.
    pub fn new(bundle: &'b ModelBundle) -> Self {
        ResultsWriter {
            bundle,
            columns: None,
            rows: 0,
        }
    }

    /// Number of rows written so far.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Appends the results of the part `ds` (`predictions` from [`predict_dataset`] of it) to
    /// `out`, preceded by the header if this is the first part.
    pub fn write(&mut self, ds: &Dataset, predictions: &[Option<Prediction>], out: &mut String) {
        let columns = self.columns.get_or_insert_with(|| {
            let columns = output_columns(ds);
            let mut header: Vec<&str> = columns.iter().map(|&i| ds.header[i].as_str()).collect();
            header.extend(RESULT_COLUMNS);
            write_record(out, &header, b',');
            columns
        });
        let per_row = ds.issues_per_row();
        let mut fields: Vec<String> = Vec::with_capacity(columns.len() + RESULT_COLUMNS.len());
        for ((row, pred), issues) in ds.rows.iter().zip(predictions).zip(per_row) {
            fields.clear();
            fields.extend(
                columns
                    .iter()
                    .map(|&i| row.fields.get(i).cloned().unwrap_or_default()),
            );
            match pred {
                Some(p) => {
                    fields.push(format_probability(p.probability));
                    fields.push(if p.predicted { "1" } else { "0" }.to_string());
                    fields.push(self.bundle.band_name(p.band).to_string());
                }
                None => fields.extend([String::new(), String::new(), String::new()]),
            }
            fields.push(format_issues(issues.iter()));
            let refs: Vec<&str> = fields.iter().map(String::as_str).collect();
            write_record(out, &refs, b',');
            self.rows += 1;
        }
    }
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

/// One patient's valid labelled hours: labels, calibrated probabilities and hours since
/// admission, in time order (the input of [`utility::evaluate_icu`]).
pub type PatientScores = (Vec<bool>, Vec<f64>, Vec<f64>);

/// Patient-level evaluation of a time-series model on `ds` at the bundle's threshold (the
/// PhysioNet/CinC 2019 utility and early-warning figures, see [`utility::evaluate_icu`]),
/// over the valid labelled rows. None for a model without a temporal section.
pub fn evaluate_time_series(
    bundle: &ModelBundle,
    ds: &Dataset,
    predictions: &[Option<Prediction>],
) -> Result<Option<IcuEvaluation>> {
    let Some(parts) = patient_scores(bundle, ds, predictions)? else {
        return Ok(None);
    };
    icu_evaluation(bundle, &parts, &ds.source).map(Some)
}

fn icu_evaluation(
    bundle: &ModelBundle,
    parts: &[PatientScores],
    source: &str,
) -> Result<IcuEvaluation> {
    if parts.is_empty() {
        return Err(Error::InsufficientData(format!(
            "{source}: no valid labelled rows"
        )));
    }
    utility::evaluate_icu(parts, bundle.threshold, &UtilityParams::default())
}

/// The valid labelled hours of every patient of `ds` with at least one, in the order of
/// [`temporal::patient_order`]; None for a model without a temporal section.
pub fn patient_scores(
    bundle: &ModelBundle,
    ds: &Dataset,
    predictions: &[Option<Prediction>],
) -> Result<Option<Vec<PatientScores>>> {
    let Some(spec) = &bundle.schema.temporal else {
        return Ok(None);
    };
    let time = bundle
        .schema
        .feature_index(&spec.time_column)
        .ok_or_else(|| Error::Bundle(format!("no time column `{}`", spec.time_column)))?;
    // The same patients and row order as the predictions (no features needed here).
    let (order, patients) = temporal::patient_order(ds, time);
    let mut parts: Vec<PatientScores> = Vec::new();
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
    Ok(Some(parts))
}

/// Evaluation of data that arrives in parts (one patient file at a time): what
/// [`evaluate_predictions`] and [`evaluate_time_series`] need of each part, kept as labels and
/// probabilities only. [`Evaluation::finish`] gives what those two give for the whole.
#[derive(Debug, Default)]
pub struct Evaluation {
    y: Vec<bool>,
    p: Vec<f64>,
    patients: Vec<PatientScores>,
    rows: usize,
}

impl Evaluation {
    /// Adds one part (`predictions` from [`predict_dataset`] of it).
    pub fn add(
        &mut self,
        bundle: &ModelBundle,
        ds: &Dataset,
        predictions: &[Option<Prediction>],
    ) -> Result<()> {
        check_labelled(bundle, ds)?;
        self.rows += ds.rows.len();
        let (y, p) = labelled_predictions(ds, predictions);
        self.y.extend(y);
        self.p.extend(p);
        if let Some(parts) = patient_scores(bundle, ds, predictions)? {
            self.patients.extend(parts);
        }
        Ok(())
    }

    /// Every metric at the bundle's threshold, the calibration error, and the patient-level
    /// figures for a time-series model; `source` names the whole input in messages. The
    /// figures are those of [`metrics::evaluate`] and
    /// [`metrics::expected_calibration_error`] (10 equal-width bins, as the model card and the
    /// recalibration figures compute it), computed without a copy of the probabilities
    /// ([`metrics::evaluate_owned`]).
    pub fn finish(self, bundle: &ModelBundle, source: &str) -> Result<Evaluated> {
        if self.y.is_empty() {
            return Err(Error::InsufficientData(format!(
                "{source}: no valid labelled rows"
            )));
        }
        let icu = if bundle.is_time_series() {
            Some(icu_evaluation(bundle, &self.patients, source)?)
        } else {
            None
        };
        drop(self.patients);
        let (metrics, calibration_error) =
            metrics::evaluate_owned(&self.y, self.p, bundle.threshold, 10)?;
        Ok(Evaluated {
            metrics,
            calibration_error,
            icu,
            rows: self.rows,
        })
    }
}

/// What [`Evaluation::finish`] gives.
#[derive(Debug, Clone)]
pub struct Evaluated {
    /// Every metric at the bundle's threshold, on the valid labelled rows.
    pub metrics: Metrics,
    /// Expected calibration error, 10 equal-width bins.
    pub calibration_error: f64,
    /// The patient-level figures of a time-series model.
    pub icu: Option<IcuEvaluation>,
    /// Rows added (labelled or not).
    pub rows: usize,
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
