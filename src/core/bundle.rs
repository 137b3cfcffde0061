//! The model bundle: one versioned JSON document with everything needed to predict, explain
//! and describe a trained model (schema, fitted pipeline, model, calibration, threshold, risk
//! bands, cross-validated metrics, curves, model card and training provenance).

use serde::{Deserialize, Serialize};

use crate::core::calibration::Calibrator;
use crate::core::config::TrainConfig;
use crate::core::lineage::Recalibration;
use crate::core::metrics::{
    self, CalibrationPoint, Metrics, PrPoint, RiskBand, RocPoint, ThresholdRow,
};
use crate::core::models::{Family, Hyperparameters, Model};
use crate::core::preprocess::Pipeline;
use crate::core::schema::Schema;
use crate::core::temporal;
use crate::core::utility::IcuEvaluation;
use crate::core::{Error, Result};

/// The `format` field of every bundle.
pub const FORMAT: &str = "sepsis-risk-model";
/// The bundle format version this software reads and writes.
pub const FORMAT_VERSION: u32 = 2;
/// The notice shown with every prediction.
pub const NOT_A_MEDICAL_DEVICE: &str = "Research and education software, not a medical device. \
Do not use it to make or delay clinical decisions.";

/// The model card: what the model is, what it was trained on, and its limits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelCard {
    /// Title, e.g. "Seed data model (gradient boosting)".
    pub title: String,
    /// Intended use and non-use.
    pub intended_use: String,
    /// The training data and its provenance.
    pub training_data: String,
    /// What the label means.
    pub label_definition: String,
    /// Known limits.
    pub caveats: Vec<String>,
    /// Licence attribution, when the data requires it.
    pub attribution: Option<String>,
    /// The regulatory notice.
    pub notice: String,
}

/// How the shipped threshold was chosen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThresholdPolicy {
    /// Human description.
    pub rule: String,
    /// Target sensitivity on out-of-fold predictions.
    pub target_sensitivity: f64,
    /// The chosen threshold on the calibrated probability.
    pub threshold: f64,
    /// Every threshold the training offered (for time-series models: by target sensitivity
    /// and by the challenge's utility), the shipped one marked `default`. Empty for bundles
    /// with one rule only.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<ThresholdOption>,
}

/// One candidate alert threshold and what it gives on the out-of-fold predictions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThresholdOption {
    /// Short key: `sensitivity` or `utility`.
    pub name: String,
    /// Human description of the rule.
    pub rule: String,
    /// The threshold on the calibrated probability.
    pub threshold: f64,
    /// Out-of-fold row-level sensitivity at the threshold.
    pub sensitivity: f64,
    /// Out-of-fold row-level specificity at the threshold.
    pub specificity: f64,
    /// Out-of-fold patient-level evaluation at the threshold (time-series models).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icu: Option<IcuEvaluation>,
    /// Whether this is the shipped threshold.
    pub default: bool,
}

/// What a time-series (per patient and hour) training adds to the bundle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimeSeriesReport {
    /// Time-aware features the model sees (computed from the schema's variables).
    pub features: usize,
    /// Patients with at least one usable row.
    pub patients: usize,
    /// Of those, patients with a positive label.
    pub septic_patients: usize,
    /// Patients in the development part (patient-level cross-validation).
    pub development_patients: usize,
    /// Patients held out for the final test.
    pub test_patients: usize,
    /// Out-of-fold evaluation at the shipped threshold (development patients).
    pub oof: IcuEvaluation,
    /// Evaluation of the final model on the held-out test patients at the shipped threshold.
    pub test: Option<IcuEvaluation>,
    /// Out-of-fold normalized utility by threshold (calibrated probability), for the model
    /// page: `(threshold, utility)`, at the same thresholds and in the same order as
    /// `curves.thresholds`.
    pub utility_curve: Vec<(f64, f64)>,
}

/// One row of the comparison of model families.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FamilyComparison {
    /// The family.
    pub family: Family,
    /// Its best hyperparameters.
    pub hyperparameters: Hyperparameters,
    /// Mean cross-validated metric of the best candidate.
    pub cv_mean: f64,
    /// Standard deviation over folds.
    pub cv_sd: f64,
    /// Metric per fold.
    pub fold_scores: Vec<f64>,
    /// Candidates tried.
    pub candidates: usize,
    /// Out-of-fold ROC AUC (uncalibrated probabilities).
    pub oof_roc_auc: f64,
    /// Out-of-fold average precision.
    pub oof_pr_auc: f64,
    /// Out-of-fold Brier score (uncalibrated).
    pub oof_brier: f64,
    /// Whether this family was selected.
    pub selected: bool,
    /// Best out-of-fold normalized utility over thresholds (time-series models).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oof_utility: Option<f64>,
}

/// Out-of-fold curve data for the app's model page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Curves {
    /// ROC curve of the calibrated out-of-fold probabilities.
    pub roc: Vec<RocPoint>,
    /// Precision-recall curve.
    pub pr: Vec<PrPoint>,
    /// Calibration curve after calibration.
    pub calibration: Vec<CalibrationPoint>,
    /// Calibration curve before calibration.
    pub calibration_uncalibrated: Vec<CalibrationPoint>,
    /// Confusion counts and rates over a grid of thresholds (for the threshold slider).
    pub thresholds: Vec<ThresholdRow>,
    /// Histogram of calibrated out-of-fold probabilities: 20 bins over [0, 1], by label.
    pub risk_histogram: RiskHistogram,
}

/// Counts of out-of-fold probabilities in equal-width bins, by label.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RiskHistogram {
    /// Bin edges (bins + 1 values from 0 to 1).
    pub edges: Vec<f64>,
    /// Positive rows per bin.
    pub positive: Vec<usize>,
    /// Negative rows per bin.
    pub negative: Vec<usize>,
}

impl RiskHistogram {
    /// Counts `p` (probabilities in [0, 1]) in `bins` equal-width bins over [0, 1] by label
    /// `y` (the last bin includes 1; values outside are clamped into the end bins). `bins` of
    /// 0 is treated as 1.
    pub fn from_scores(y: &[bool], p: &[f64], bins: usize) -> Self {
        let bins = bins.max(1);
        let mut positive = vec![0; bins];
        let mut negative = vec![0; bins];
        for (&l, &v) in y.iter().zip(p) {
            let b = ((v * bins as f64) as usize).min(bins - 1);
            if l {
                positive[b] += 1;
            } else {
                negative[b] += 1;
            }
        }
        RiskHistogram {
            edges: (0..=bins).map(|i| i as f64 / bins as f64).collect(),
            positive,
            negative,
        }
    }
}

/// Importance of one schema feature.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeatureImportance {
    /// Schema column name.
    pub column: String,
    /// Human label.
    pub label: String,
    /// Share of the model's importance (sums to 1 over features).
    pub importance: f64,
}

/// Provenance of the training run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainingInfo {
    /// File name of the training data (no directories).
    pub source: String,
    /// SHA-256 of the training file's bytes, hex.
    pub data_sha256: String,
    /// Records in the file.
    pub rows_in_file: usize,
    /// Rows used (valid and labelled).
    pub rows_used: usize,
    /// Rows not used, with the reason counts.
    pub rows_excluded: usize,
    /// Rows with errors (not usable).
    pub rows_with_errors: usize,
    /// Valid rows without a usable label.
    pub rows_unlabelled: usize,
    /// Positive rows used.
    pub positives: usize,
    /// Negative rows used.
    pub negatives: usize,
    /// Rows in the development part (cross-validation, calibration, threshold).
    pub development_rows: usize,
    /// Rows held out for the final test (0 when no test split).
    pub test_rows: usize,
    /// The full training configuration, seed included.
    pub config: TrainConfig,
}

/// A trained, self-describing model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelBundle {
    /// Always [`FORMAT`].
    pub format: String,
    /// Always [`FORMAT_VERSION`] for bundles this software writes.
    pub format_version: u32,
    /// Version of the software that trained the bundle.
    pub software_version: String,
    /// The data schema (inputs, units, ranges, label).
    pub schema: Schema,
    /// Preprocessing fitted on the development rows.
    pub pipeline: Pipeline,
    /// The fitted model.
    pub model: Model,
    /// The model's hyperparameters.
    pub hyperparameters: Hyperparameters,
    /// Calibration of the model's probabilities, fitted on out-of-fold predictions.
    pub calibrator: Calibrator,
    /// Alert threshold on the calibrated probability.
    pub threshold: f64,
    /// How the threshold was chosen.
    pub threshold_policy: ThresholdPolicy,
    /// Risk bands on the calibrated probability.
    pub risk_bands: Vec<RiskBand>,
    /// The metric optimised by the search.
    pub cv_metric: String,
    /// Comparison of every family tried.
    pub comparison: Vec<FamilyComparison>,
    /// Metrics of the calibrated out-of-fold predictions at the threshold.
    pub oof_metrics: Metrics,
    /// Metrics on the held-out test rows at the threshold, when there was a test split.
    pub test_metrics: Option<Metrics>,
    /// Curve data for the model page.
    pub curves: Curves,
    /// Importance per schema feature.
    pub feature_importances: Vec<FeatureImportance>,
    /// Training provenance.
    pub training: TrainingInfo,
    /// The model card.
    pub model_card: ModelCard,
    /// Patient-level results of a time-series model (None for one-row-per-patient data).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_series: Option<TimeSeriesReport>,
    /// A recalibrated bundle: its parent, the local data, the method and the figures before
    /// and after ([`crate::core::train::recalibrate`]). None for a trained bundle.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recalibration: Option<Recalibration>,
}

/// A prediction for one row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Prediction {
    /// Calibrated probability of the positive label.
    pub probability: f64,
    /// The model's probability before calibration.
    pub model_probability: f64,
    /// Whether the probability is at or above the threshold.
    pub predicted: bool,
    /// Index into the bundle's risk bands.
    pub band: usize,
}

/// One input's part in an explanation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeatureContribution {
    /// Schema column name.
    pub column: String,
    /// Human label.
    pub label: String,
    /// The value given (None when missing).
    pub value: Option<f64>,
    /// The value used when the input was missing.
    pub imputed: Option<f64>,
    /// Contribution to the model output (log-odds or probability, see [`Explanation::scale`]).
    pub contribution: f64,
}

/// An additive explanation of one prediction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Explanation {
    /// "log-odds" or "probability": the scale of `base`, `output` and contributions.
    pub scale: String,
    /// The model's output for a typical row.
    pub base: f64,
    /// The model's output for this row: `base + sum(contributions) == output`.
    pub output: f64,
    /// One entry per schema feature, in schema order.
    pub contributions: Vec<FeatureContribution>,
    /// The prediction itself.
    pub prediction: Prediction,
}

/// Rows scored together by [`ModelBundle::predict_rows`].
const BLOCK: usize = 256;

impl ModelBundle {
    /// Serialises to compact JSON (deterministic: same bundle, same bytes).
    pub fn to_json(&self) -> Result<String> {
        let mut s = serde_json::to_string(self)
            .map_err(|e| Error::Bundle(format!("cannot serialise: {e}")))?;
        s.push('\n');
        Ok(s)
    }

    /// Parses and checks a bundle: format name, format version, schema, and the consistency of
    /// pipeline, model, threshold and bands.
    pub fn from_json(json: &str) -> Result<Self> {
        let head: serde_json::Value = serde_json::from_str(json)
            .map_err(|e| Error::Bundle(format!("not valid JSON ({e})")))?;
        match head.get("format") {
            Some(serde_json::Value::String(f)) if f == FORMAT => {}
            Some(serde_json::Value::String(other)) => {
                return Err(Error::Bundle(format!(
                    "format is \"{}\", expected \"{FORMAT}\"",
                    crate::core::format::clip(other)
                )));
            }
            Some(other) => {
                return Err(Error::Bundle(format!(
                    "\"format\" has the wrong type: expected the text \"{FORMAT}\", found {}",
                    json_type(other)
                )));
            }
            None => {
                return Err(Error::Bundle(format!(
                    "not a {FORMAT} file (no \"format\" field)"
                )));
            }
        }
        match head.get("format_version") {
            Some(v) if v.as_u64() == Some(u64::from(FORMAT_VERSION)) => {}
            Some(v) if v.as_u64().is_some() => {
                return Err(Error::Bundle(format!(
                    "format version {v} is not supported (this software reads version {FORMAT_VERSION}); retrain the model or use a matching release"
                )));
            }
            Some(other) => {
                return Err(Error::Bundle(format!(
                    "\"format_version\" has the wrong type: expected a whole number ({FORMAT_VERSION}), found {}",
                    json_type(other)
                )));
            }
            None => return Err(Error::Bundle("missing \"format_version\"".into())),
        }
        drop(head);
        // Parsed again from the text rather than converted from `head`: deserialising from a
        // `serde_json::Value` would compile a second copy of every bundle type's deserialiser
        // into the browser build.
        let mut bundle: ModelBundle = serde_json::from_str(json)
            .map_err(|e| Error::Bundle(format!("malformed bundle: {e}")))?;
        // A bundle trained before schemas stated their minimum evidence takes the rule of the
        // built-in schema it was trained on (same name and variables): no risk without
        // evidence holds for old files too.
        if bundle.schema.evidence.is_none()
            && let Some(builtin) = crate::core::schema::builtin(&bundle.schema.name)
            && builtin.feature_names() == bundle.schema.feature_names()
        {
            bundle.schema.evidence = builtin.evidence;
        }
        bundle.check()?;
        Ok(bundle)
    }

    /// Whether the model scores hourly patient series (the schema has a temporal section):
    /// then the model's inputs are the time-aware features of [`temporal`], computed from the
    /// schema's variables.
    pub fn is_time_series(&self) -> bool {
        self.schema.temporal.is_some()
    }

    /// The schema of the model's inputs: the data schema itself, or for a time-series model
    /// its time-aware feature schema ([`temporal::feature_schema`]).
    pub fn model_schema(&self) -> Result<Schema> {
        if self.is_time_series() {
            temporal::feature_schema(&self.schema).map_err(|e| Error::Bundle(e.to_string()))
        } else {
            Ok(self.schema.clone())
        }
    }

    /// Internal consistency checks.
    pub fn check(&self) -> Result<()> {
        self.schema
            .validate()
            .map_err(|e| Error::Bundle(e.to_string()))?;
        let n_inputs = self.model_schema()?.features.len();
        if self.pipeline.n_inputs() != n_inputs {
            return Err(Error::Bundle(format!(
                "the pipeline expects {} inputs but the schema has {n_inputs} model features",
                self.pipeline.n_inputs()
            )));
        }
        if self.model.n_features() != self.pipeline.n_outputs() {
            return Err(Error::Bundle(format!(
                "the model expects {} features but the pipeline produces {}",
                self.model.n_features(),
                self.pipeline.n_outputs()
            )));
        }
        if !(0.0..=1.0).contains(&self.threshold) {
            return Err(Error::Bundle(format!(
                "threshold {} is outside [0, 1]",
                self.threshold
            )));
        }
        metrics::check_bands(&self.risk_bands, self.threshold)
            .map_err(|e| Error::Bundle(format!("risk bands: {e}")))?;
        self.calibrator
            .validate()
            .map_err(|e| Error::Bundle(e.to_string()))?;
        Ok(())
    }

    /// [`Error::NoEvidence`] when `rows` (a patient's rows up to the one to score, or one
    /// row) do not meet the schema's minimum evidence ([`Schema::evidence_gap`]).
    pub fn require_evidence(&self, rows: &[&[f64]]) -> Result<()> {
        match self.schema.evidence_gap(rows) {
            Some(why) => Err(Error::NoEvidence(why)),
            None => Ok(()),
        }
    }

    /// Predicts one row given as schema-ordered values (NaN = missing). For a time-series
    /// model the row is taken as a patient's only hour (nothing known before it); use
    /// [`ModelBundle::predict_series`] when earlier hours are known. [`Error::NoEvidence`]
    /// below the schema's minimum evidence.
    pub fn predict_values(&self, values: &[f64]) -> Result<Prediction> {
        self.require_evidence(&[values])?;
        if self.is_time_series() {
            return self
                .predict_series(&[values])?
                .pop()
                .ok_or_else(|| Error::InsufficientData("no row to predict".into()));
        }
        self.predict_features(values)
    }

    /// Predicts from the model's own inputs (see [`ModelBundle::model_schema`]; for other
    /// models the same as [`ModelBundle::predict_values`]).
    pub fn predict_features(&self, features: &[f64]) -> Result<Prediction> {
        let row = self.pipeline.transform_row(features)?;
        let model_probability = self.model.predict_row(&row)?;
        Ok(self.finish(model_probability))
    }

    /// [`ModelBundle::predict_values`] for many rows (`None`: a row not to score, left
    /// `None`), with the evidence rule's columns found once and one buffer for the
    /// transformed row: the batch path of uploads and `predict`. A time-series model takes
    /// each row as a patient's only hour, as `predict_values` does.
    pub fn predict_rows<'r>(
        &self,
        rows: impl IntoIterator<Item = Option<&'r [f64]>>,
    ) -> Result<Vec<Option<Prediction>>> {
        if self.is_time_series() {
            return rows
                .into_iter()
                .map(|r| r.map(|v| self.predict_values(v)).transpose())
                .collect();
        }
        let evidence = self.schema.evidence_columns().map(|(_, cols)| cols);
        let mut buffer = Vec::with_capacity(self.pipeline.n_outputs());
        let one = |values: &[f64], buffer: &mut Vec<f64>| {
            if evidence
                .as_ref()
                .is_some_and(|cols| !crate::core::schema::measures_any(cols, values))
            {
                return Err(Error::NoEvidence(self.schema.evidence_message()));
            }
            self.pipeline.transform_row_into(values, buffer)?;
            Ok(self.finish(self.model.predict_row(buffer)?))
        };
        // Rows come in blocks copied together first: the copies' loads overlap, where scoring
        // each row where it lies waits on memory once per row (rows of a large upload are
        // scattered over the heap; 180 against 50 ns a row natively on a million rows).
        let mut rows = rows.into_iter();
        let mut out = Vec::with_capacity(rows.size_hint().0);
        let mut block = Vec::with_capacity(BLOCK * self.pipeline.n_inputs());
        let mut lengths = Vec::with_capacity(BLOCK);
        loop {
            block.clear();
            lengths.clear();
            for r in rows.by_ref().take(BLOCK) {
                lengths.push(r.map(|v| {
                    block.extend_from_slice(v);
                    v.len()
                }));
            }
            if lengths.is_empty() {
                return Ok(out);
            }
            let mut at = 0;
            for n in &lengths {
                out.push(match *n {
                    Some(n) => {
                        at += n;
                        Some(one(&block[at - n..at], &mut buffer)?)
                    }
                    None => None,
                });
            }
        }
    }

    /// Predicts every hour of one patient: `rows` are the patient's rows in time order, each
    /// with schema-ordered values (NaN = missing). Each hour's prediction uses that hour and
    /// the earlier ones only. For a model without a temporal section each row is predicted
    /// on its own. This is the model's output for every hour, without the evidence rule
    /// (hours before the rule is met are scored too): [`crate::core::predict::predict_dataset`]
    /// and the explanations apply it.
    pub fn predict_series(&self, rows: &[&[f64]]) -> Result<Vec<Prediction>> {
        if !self.is_time_series() {
            return rows.iter().map(|r| self.predict_features(r)).collect();
        }
        let features = temporal::patient_features(&self.schema, rows)?;
        (0..features.rows())
            .map(|i| self.predict_features(features.row(i)))
            .collect()
    }

    fn finish(&self, model_probability: f64) -> Prediction {
        let probability = self.calibrator.apply(model_probability);
        // Bands are checked non-empty on load; NaN cannot come out of a calibrated model.
        let band = metrics::band_index(&self.risk_bands, probability).unwrap_or(0);
        Prediction {
            probability,
            model_probability,
            predicted: probability >= self.threshold,
            band,
        }
    }

    /// Name of a band index.
    pub fn band_name(&self, band: usize) -> &str {
        self.risk_bands.get(band).map_or("", |b| b.name.as_str())
    }

    /// Explains one row: contributions per schema feature that add up to the model output.
    /// A feature's contribution includes its one-hot columns and missing indicator. For a
    /// time-series model the row is a patient's only hour (see [`ModelBundle::explain_series`]).
    pub fn explain(&self, values: &[f64]) -> Result<Explanation> {
        if self.is_time_series() {
            return self.explain_series(&[values]);
        }
        self.require_evidence(&[values])?;
        self.explain_features(values)
    }

    /// Explains the last hour of a patient series (`rows` in time order, the current hour
    /// last): contributions per schema variable, each the sum over the time-aware features
    /// computed from that variable (last value, time since measured, trends, ...). A
    /// variable's `value` is its last observed value; `imputed` is set when it was never
    /// observed. For a model without a temporal section this explains the last row.
    /// [`Error::NoEvidence`] below the schema's minimum evidence (for a time-series schema
    /// with `so_far`, over all of `rows`).
    pub fn explain_series(&self, rows: &[&[f64]]) -> Result<Explanation> {
        let last = rows
            .last()
            .ok_or_else(|| Error::InsufficientData("no row to explain".into()))?;
        self.require_evidence(rows)?;
        if !self.is_time_series() {
            return self.explain_features(last);
        }
        let features = temporal::latest_features(&self.schema, rows)?;
        let detailed = self.explain_features_with(&features, &self.model_schema()?)?;
        let sources = temporal::feature_sources(&self.schema)?;
        let n = self.schema.features.len();
        let mut total = vec![0.0; n];
        let mut imputed: Vec<Option<f64>> = vec![None; n];
        for (c, &src) in detailed.contributions.iter().zip(&sources) {
            total[src] += c.contribution;
            if imputed[src].is_none() {
                imputed[src] = c.imputed;
            }
        }
        let contributions = self
            .schema
            .features
            .iter()
            .enumerate()
            .map(|(i, col)| {
                let value = rows.iter().rev().map(|r| r[i]).find(|v| !v.is_nan());
                FeatureContribution {
                    column: col.name.clone(),
                    label: col.label.clone(),
                    value,
                    imputed: if value.is_none() { imputed[i] } else { None },
                    contribution: total[i],
                }
            })
            .collect();
        Ok(Explanation {
            contributions,
            ..detailed
        })
    }

    /// Explains one row of the model's own inputs (see [`ModelBundle::model_schema`]).
    pub fn explain_features(&self, features: &[f64]) -> Result<Explanation> {
        self.explain_features_with(features, &self.model_schema()?)
    }

    fn explain_features_with(&self, values: &[f64], schema: &Schema) -> Result<Explanation> {
        let row = self.pipeline.transform_row(values)?;
        let raw = self.model.contributions(&row)?;
        let mut per_input = vec![0.0; schema.features.len()];
        for (j, c) in raw.values.iter().enumerate() {
            per_input[self.pipeline.source_column(j)] += c;
        }
        let impute = self.pipeline.impute_values();
        let contributions = schema
            .features
            .iter()
            .enumerate()
            .map(|(i, col)| {
                let v = values[i];
                FeatureContribution {
                    column: col.name.clone(),
                    label: col.label.clone(),
                    value: (!v.is_nan()).then_some(v),
                    imputed: v.is_nan().then(|| impute[i]),
                    contribution: per_input[i],
                }
            })
            .collect();
        let model_probability = self.model.predict_row(&row)?;
        Ok(Explanation {
            scale: if self.model.family().explains_log_odds() {
                "log-odds"
            } else {
                "probability"
            }
            .to_string(),
            base: raw.base,
            output: raw.output,
            contributions,
            prediction: self.finish(model_probability),
        })
    }
}

/// The JSON type of a value, for messages ("a string", "a number", ...).
fn json_type(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "true/false",
        serde_json::Value::Number(_) => "a number that is not a whole number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "a list",
        serde_json::Value::Object(_) => "an object",
    }
}
