//! Stage 8, bundle: everything the earlier stages produced, with the training data's
//! provenance and the schema's model card, as one checked [`ModelBundle`].

use crate::core::Result;
use crate::core::bundle::{
    FORMAT, FORMAT_VERSION, FamilyComparison, ModelBundle, ModelCard, NOT_A_MEDICAL_DEVICE,
    TimeSeriesReport, TrainingInfo,
};
use crate::core::config::TrainConfig;
use crate::core::dataset::Dataset;
use crate::core::models::{Family, Hyperparameters};
use crate::core::schema::Schema;
use crate::core::utility::{self, UtilityParams};

use super::SourceInfo;
use super::fit::{Fitted, TestEvaluation, feature_importances};
use super::operating::Calibrated;
use super::operating::OperatingPoint;
use super::rows::PatientPart;
use super::rows::TrainingRows;
use super::split::Development;

/// Number of distinct values in a sequence where equal values are adjacent.
fn count_runs(it: impl Iterator<Item = usize>) -> usize {
    let mut v: Vec<usize> = it.collect();
    v.dedup();
    v.len()
}

/// The time-series report: patients, out-of-fold and held-out patient-level evaluation, and
/// the out-of-fold utility curve over the model page's thresholds.
pub fn time_series_report(
    rows: &TrainingRows,
    dev: &Development,
    cal: &Calibrated,
    op: &OperatingPoint,
    test: &TestEvaluation,
    uparams: &UtilityParams,
) -> Result<Option<TimeSeriesReport>> {
    let (Some(s), Some((dev_patient, _)), Some(parts), Some(oof)) = (
        &rows.series,
        &dev.series,
        dev.patient_parts(&cal.oof),
        &op.icu,
    ) else {
        return Ok(None);
    };
    let septic = count_runs(
        s.patient
            .iter()
            .zip(&rows.y)
            .filter(|(_, y)| **y)
            .map(|(p, _)| *p),
    );
    let utility_curve = utility_curve(&parts, &op.sweep, uparams)?;
    Ok(Some(TimeSeriesReport {
        features: s.features,
        patients: count_runs(s.patient.iter().copied()),
        septic_patients: septic,
        development_patients: count_runs(dev_patient.iter().copied()),
        test_patients: count_runs(dev.test.iter().map(|&i| s.patient[i])),
        oof: oof.clone(),
        test: test.icu.clone(),
        utility_curve,
    }))
}

/// The normalized utility at each threshold of `sweep`, over the patients' risks `parts` (the
/// model page's utility curve).
pub fn utility_curve(
    parts: &[PatientPart],
    sweep: &[f64],
    uparams: &UtilityParams,
) -> Result<Vec<(f64, f64)>> {
    let pairs: Vec<(&[bool], &[f64])> = parts.iter().map(|(l, p, _)| (*l, *p)).collect();
    Ok(utility::utility_curve(&pairs, sweep, uparams)?
        .into_iter()
        .map(|u| (u.threshold, u.score.normalized))
        .collect())
}

/// What training keeps of the dataset once its training rows are built (so that the rows
/// themselves can be dropped): its source, schema and row counts.
#[derive(Debug, Clone)]
pub struct DataFacts {
    /// [`Dataset::source`].
    pub source: String,
    /// [`Dataset::schema`].
    pub schema: Schema,
    /// Every record.
    pub rows: usize,
    /// Records with an error.
    pub rows_with_errors: usize,
    /// Records without an error and without a label.
    pub rows_unlabelled: usize,
}

impl DataFacts {
    /// The facts of `ds`.
    pub fn of(ds: &Dataset) -> DataFacts {
        DataFacts {
            source: ds.source.clone(),
            schema: ds.schema.clone(),
            rows: ds.rows.len(),
            rows_with_errors: ds.rows.iter().filter(|r| !r.is_valid()).count(),
            rows_unlabelled: ds
                .rows
                .iter()
                .filter(|r| r.is_valid() && r.label.is_none())
                .count(),
        }
    }
}

/// What the stages produced, for [`assemble`].
pub struct Parts<'a> {
    /// What the bundle records of the dataset trained on.
    pub facts: &'a DataFacts,
    /// Its provenance.
    pub source: &'a SourceInfo,
    /// The configuration.
    pub config: &'a TrainConfig,
    /// The training rows.
    pub rows: &'a TrainingRows,
    /// The development / test split.
    pub dev: &'a Development,
    /// The selected family.
    pub family: Family,
    /// Its hyperparameters.
    pub hyperparameters: Hyperparameters,
    /// Every family's comparison row.
    pub comparison: Vec<FamilyComparison>,
    /// The calibration stage's result.
    pub calibrated: Calibrated,
    /// The threshold stage's result.
    pub operating: OperatingPoint,
    /// The final fit.
    pub fitted: Fitted,
    /// The held-out evaluation.
    pub test: TestEvaluation,
    /// The time-series report, if any.
    pub time_series: Option<TimeSeriesReport>,
}

/// The bundle, checked ([`ModelBundle::check`]).
pub fn assemble(p: Parts) -> Result<ModelBundle> {
    let (facts, schema) = (p.facts, &p.facts.schema);
    let positives = p.rows.positives();
    let used = p.rows.y.len();
    let card = &schema.model_card;
    let feature_importances = feature_importances(&p.fitted, &p.rows.model_schema);
    let bundle = ModelBundle {
        format: FORMAT.to_string(),
        format_version: FORMAT_VERSION,
        software_version: env!("CARGO_PKG_VERSION").to_string(),
        schema: schema.clone(),
        pipeline: p.fitted.pipeline,
        model: p.fitted.model,
        hyperparameters: p.hyperparameters,
        calibrator: p.calibrated.calibrator,
        threshold: p.operating.threshold,
        threshold_policy: p.operating.policy,
        risk_bands: p.operating.risk_bands,
        cv_metric: p.config.metric.key().to_string(),
        comparison: p.comparison,
        oof_metrics: p.operating.oof_metrics,
        test_metrics: p.test.metrics,
        curves: p.operating.curves,
        feature_importances,
        training: TrainingInfo {
            source: p.source.name.clone(),
            data_sha256: p.source.sha256.clone(),
            rows_in_file: facts.rows,
            rows_used: used,
            rows_excluded: facts.rows - used,
            rows_with_errors: facts.rows_with_errors,
            rows_unlabelled: facts.rows_unlabelled,
            positives,
            negatives: used - positives,
            development_rows: p.dev.dev.len(),
            test_rows: p.dev.test.len(),
            config: p.config.clone(),
        },
        model_card: ModelCard {
            title: format!("{} — {}", schema.title, p.family.title().to_lowercase()),
            intended_use: card.intended_use.clone(),
            training_data: card.training_data.clone(),
            label_definition: schema.label.description.clone(),
            caveats: card.caveats.clone(),
            attribution: card.attribution.clone(),
            notice: NOT_A_MEDICAL_DEVICE.to_string(),
        },
        time_series: p.time_series,
        recalibration: None,
    };
    bundle.check()?;
    Ok(bundle)
}
