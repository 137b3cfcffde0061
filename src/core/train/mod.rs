//! The training pipeline shared by the CLI and the browser, as named stages (one file each)
//! that [`train`] runs in order:
//!
//! 1. features ([`rows`]): the usable rows in the model's input space (time-aware features
//!    for time-series data);
//! 2. split ([`split`]): development / held-out test rows, and cross-validation folds (by
//!    patient for time-series data);
//! 3. search ([`cv`]): every family's candidates on the same folds, selection, comparison;
//! 4. calibrate and 5. threshold ([`operating`]): calibrator on out-of-fold probabilities,
//!    alert threshold, risk bands, out-of-fold metrics and curves;
//! 6. final fit and 7. evaluate ([`fit`]): the selected family on all development rows, scored
//!    on the held-out rows;
//! 8. bundle ([`assemble`]): one checked [`ModelBundle`].
//!
//! Each stage is a function with typed inputs and outputs, so a caller can report progress
//! or stop between stages. Deterministic: every random step derives its seed from
//! [`TrainConfig::seed`], and nothing depends on time or on the order of hash maps, so the
//! same data and configuration give a byte-identical bundle.

pub mod assemble;
pub mod cv;
pub mod fit;
pub mod operating;
pub mod rows;
pub mod split;

use crate::core::bundle::ModelBundle;
use crate::core::config::{ThresholdRule, TrainConfig};
use crate::core::dataset::Dataset;
use crate::core::models::ModelParams;
use crate::core::search::FamilySearch;
use crate::core::utility::UtilityParams;
use crate::core::{Error, Result};

pub use cv::{preprocess_for, select_family};

/// A progress report: `stage` is a short description, `done` of `total` steps.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    /// What is being done.
    pub stage: String,
    /// Steps done in this stage.
    pub done: usize,
    /// Steps in this stage.
    pub total: usize,
}

impl Progress {
    /// `done` of `total` steps of `stage`.
    pub fn new(stage: &str, done: usize, total: usize) -> Self {
        Progress {
            stage: stage.to_string(),
            done,
            total,
        }
    }
}

/// What a training run produces: the bundle and the full search results (for reports).
#[derive(Debug, Clone)]
pub struct TrainOutcome {
    /// The bundle to ship.
    pub bundle: ModelBundle,
    /// Every family's search, with every candidate's fold scores.
    pub searches: Vec<FamilySearch>,
}

/// Metadata about the training file, supplied by the caller (the core does no I/O).
#[derive(Debug, Clone, PartialEq)]
pub struct SourceInfo {
    /// File name without directories.
    pub name: String,
    /// SHA-256 of the file's bytes, hex.
    pub sha256: String,
}

/// SHA-256 of bytes as lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    sha256_hex_of([bytes])
}

/// SHA-256 of the concatenation of `parts` as lower-case hex, without concatenating them
/// (the training data's hash over one file per patient).
pub fn sha256_hex_of<'a>(parts: impl IntoIterator<Item = &'a [u8]>) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for p in parts {
        h.update(p);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Checks the configuration against the dataset and the training rows, before any long work:
/// labels present, the utility rule only for time-series data, enough rows of each class for
/// the folds.
fn check_trainable(
    facts: &assemble::DataFacts,
    rows: &rows::TrainingRows,
    rule: ThresholdRule,
    config: &TrainConfig,
) -> Result<()> {
    if rule == ThresholdRule::Utility && rows.series.is_none() {
        return Err(Error::param(
            "threshold-rule",
            "the utility rule needs time-series data (one row per patient and hour)",
        ));
    }
    let positives = rows.positives();
    let negatives = rows.y.len() - positives;
    if positives.min(negatives) < 2 * config.folds {
        return Err(Error::InsufficientData(format!(
            "{}: {} usable rows ({positives} positive, {negatives} negative); at least {} of each class are needed for {}-fold cross-validation",
            facts.source,
            rows.y.len(),
            2 * config.folds,
            config.folds
        )));
    }
    Ok(())
}

/// Runs the whole pipeline on a validated dataset. Rows with errors or without a label are
/// excluded from training and counted in the bundle's training information.
///
/// Time-series data (a schema with a temporal section, e.g. hourly ICU records) is trained
/// on the time-aware features of [`crate::core::temporal`] with patient-level splits: the test
/// split and every cross-validation fold keep each patient's hours together. The bundle then
/// records both thresholds (by target sensitivity and by the challenge's normalized utility)
/// and a time-series report.
pub fn train(
    ds: &Dataset,
    source: &SourceInfo,
    config: &TrainConfig,
    progress: &mut dyn FnMut(&Progress),
) -> Result<TrainOutcome> {
    let (facts, rows) = features(ds, config, progress)?;
    train_rows(&facts, &rows, source, config, progress)
}

/// [`train`] taking the dataset, which is dropped as soon as its training rows are built:
/// the same bundle, with the rows' parsed values (about 0.4 GB for PhysioNet set A) no longer
/// held during the search.
pub fn train_owned(
    ds: Dataset,
    source: &SourceInfo,
    config: &TrainConfig,
    progress: &mut dyn FnMut(&Progress),
) -> Result<TrainOutcome> {
    let (facts, rows) = features(&ds, config, progress)?;
    drop(ds);
    train_rows(&facts, &rows, source, config, progress)
}

/// Stage 1: the checks that need only the dataset, the training rows, and what the bundle
/// records of the dataset.
fn features(
    ds: &Dataset,
    config: &TrainConfig,
    progress: &mut dyn FnMut(&Progress),
) -> Result<(assemble::DataFacts, rows::TrainingRows)> {
    config.validate()?;
    if !ds.has_label_column {
        return Err(Error::Header(format!(
            "{}: no label column `{}`: training needs labelled data",
            ds.source, ds.schema.label.name
        )));
    }
    progress(&Progress::new("computing features", 0, 1));
    let rows = rows::training_rows(ds)?;
    Ok((assemble::DataFacts::of(ds), rows))
}

/// Stages 2 to 8 on the training rows.
fn train_rows(
    facts: &assemble::DataFacts,
    rows: &rows::TrainingRows,
    source: &SourceInfo,
    config: &TrainConfig,
    progress: &mut dyn FnMut(&Progress),
) -> Result<TrainOutcome> {
    let rule = config.effective_threshold_rule(&facts.schema);
    check_trainable(facts, rows, rule, config)?;
    let uparams = UtilityParams::default();

    let dev = split::split(rows, config)?;
    let searches = cv::search_families(&rows.x, &dev, &rows.model_schema, config, progress)?;
    let selected = cv::select_family(&searches, config.selection, config.folds)?;
    let comparison = cv::compare_families(&searches, selected, &dev, &uparams)?;

    progress(&Progress::new("calibrating", 0, 1));
    let chosen = &searches[selected];
    let hyperparameters = chosen.best_candidate().hyperparameters.clone();
    let params = ModelParams::from_hyperparameters(chosen.family, &hyperparameters)?;
    let calibrated = operating::calibrate(config.calibration, &chosen.best_oof, &dev.y)?;
    let op =
        operating::choose_threshold(&dev, &chosen.best_oof, &calibrated, rule, config, &uparams)?;

    progress(&Progress::new("fitting final model", 0, 1));
    let fitted = fit::final_fit(
        &rows.x,
        &dev.dev,
        &dev.y,
        &rows.model_schema,
        &params,
        config,
    )?;
    let test = fit::evaluate_test(
        &fitted,
        &calibrated.calibrator,
        &rows.x,
        split::test_rows(rows, &dev.test),
        op.threshold,
        &uparams,
    )?;
    let time_series = assemble::time_series_report(rows, &dev, &calibrated, &op, &test, &uparams)?;
    let bundle = assemble::assemble(assemble::Parts {
        facts,
        source,
        config,
        rows,
        dev: &dev,
        family: chosen.family,
        hyperparameters,
        comparison,
        calibrated,
        operating: op,
        fitted,
        test,
        time_series,
    })?;
    progress(&Progress::new("done", 1, 1));
    Ok(TrainOutcome { bundle, searches })
}
