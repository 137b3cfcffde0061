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
pub mod recalibrate;
pub mod rows;
pub mod split;

use crate::core::bundle::ModelBundle;
use crate::core::config::{ThresholdRule, TrainConfig};
use crate::core::dataset::Dataset;
use crate::core::error::CALIBRATING;
use crate::core::models::ModelParams;
use crate::core::search::{self, FamilySearch, SearchShare};
use crate::core::utility::UtilityParams;
use crate::core::{Error, Result};

pub use cv::{preprocess_for, select_family};
pub use recalibrate::{RecalibrateConfig, operating_summary, recalibrate};

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
    /// The held-out test rows, as indices in the dataset's rows (in dataset order): with
    /// [`held_out`], the part of the data on which another model can be compared with this
    /// one.
    pub test_rows: Vec<usize>,
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

/// The held-out part of `ds` given its test rows ([`TrainOutcome::test_rows`]): those rows,
/// and for time-series data every row of their patients (errors included, since a patient's
/// earlier rows shape the features of later hours), so that any model of the schema can be
/// scored on exactly the rows the trained model was tested on.
pub fn held_out(ds: &Dataset, test_rows: &[usize]) -> Result<Dataset> {
    let Some(spec) = &ds.schema.temporal else {
        return Ok(ds.subset(test_rows));
    };
    let time = ds
        .schema
        .feature_index(&spec.time_column)
        .ok_or_else(|| Error::param("schema", format!("no time column `{}`", spec.time_column)))?;
    let (order, patients) = crate::core::temporal::patient_order(ds, time);
    let mut patient_of = vec![0; ds.rows.len()];
    for (p, range) in patients.iter().enumerate() {
        for &r in &order[range.rows.clone()] {
            patient_of[r] = p;
        }
    }
    let mut held = vec![false; patients.len()];
    for &r in test_rows {
        held[patient_of[r]] = true;
    }
    let rows: Vec<usize> = (0..ds.rows.len())
        .filter(|&r| held[patient_of[r]])
        .collect();
    Ok(ds.subset(&rows))
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
    train_rows(&facts, &rows, source, config, None, progress)
}

/// Stages 1 and 2 of a training (the features, the split and its folds), kept for searches
/// run one candidate at a time ([`SearchData::searches`]): in parallel workers, each given
/// candidates as it comes free. Each candidate's cross-validation depends only on the data,
/// the seed, the family and the candidate (seeds `derive(seed, 1000 + family)`, folds
/// `derive(seed, 100 + fold)`), so the workers' parts, merged ([`merge_searches`]), equal the
/// searches of one run whoever ran which candidate.
pub struct SearchData {
    rows: rows::TrainingRows,
    dev: split::Development,
}

impl SearchData {
    /// The features and folds of `ds` under `config`, checked as [`train`] checks them.
    pub fn new(
        ds: &Dataset,
        config: &TrainConfig,
        progress: &mut dyn FnMut(&Progress),
    ) -> Result<Self> {
        let (facts, rows) = features(ds, config, progress)?;
        let rule = config.effective_threshold_rule(&facts.schema);
        check_trainable(&facts, &rows, rule, config)?;
        let dev = split::split(&rows, config)?;
        Ok(SearchData { rows, dev })
    }

    /// The searches of `config` (the configuration this data was made with) on this data,
    /// nothing run yet.
    pub fn searches<'a>(&'a self, config: &'a TrainConfig) -> Result<cv::Searches<'a>> {
        cv::Searches::new(&self.rows.x, &self.dev, &self.rows.model_schema, config)
    }
}

/// The families' searches from the parts of every worker ([`cv::Searches`], any order): one
/// [`FamilySearch`] per family of `config`, in its order, for [`train_with_searches`].
pub fn merge_searches(config: &TrainConfig, shares: Vec<SearchShare>) -> Result<Vec<FamilySearch>> {
    let mut by_family: Vec<Vec<SearchShare>> = vec![Vec::new(); config.families.len()];
    for s in shares {
        let Some(k) = config.families.iter().position(|&f| f == s.family) else {
            return Err(Error::param(
                "searches",
                format!(
                    "a search of {:?}, which this training does not train",
                    s.family
                ),
            ));
        };
        by_family[k].push(s);
    }
    by_family.into_iter().map(search::merge_shares).collect()
}

/// [`train`] with the searches already done (by [`cv::Searches`] in workers, in
/// `config.families` order): the same bundle as [`train`].
pub fn train_with_searches(
    ds: &Dataset,
    source: &SourceInfo,
    config: &TrainConfig,
    searches: Vec<FamilySearch>,
    progress: &mut dyn FnMut(&Progress),
) -> Result<TrainOutcome> {
    let families: Vec<_> = searches.iter().map(|s| s.family).collect();
    if families != config.families {
        return Err(Error::param(
            "families",
            format!(
                "the searches are of {families:?}, the configuration trains {:?}",
                config.families
            ),
        ));
    }
    let (facts, rows) = features(ds, config, progress)?;
    train_rows(&facts, &rows, source, config, Some(searches), progress)
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
    train_rows(&facts, &rows, source, config, None, progress)
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

/// Stages 2 to 8 on the training rows (the search skipped when `searched` gives its results).
/// A failure after the search keeps the search's results ([`Error::AfterSearch`]).
fn train_rows(
    facts: &assemble::DataFacts,
    rows: &rows::TrainingRows,
    source: &SourceInfo,
    config: &TrainConfig,
    searched: Option<Vec<FamilySearch>>,
    progress: &mut dyn FnMut(&Progress),
) -> Result<TrainOutcome> {
    let rule = config.effective_threshold_rule(&facts.schema);
    check_trainable(facts, rows, rule, config)?;

    let dev = split::split(rows, config)?;
    let searches = match searched {
        Some(s) => {
            if s.iter().any(|f| f.best_oof.len() != dev.y.len()) {
                return Err(Error::param(
                    "searches",
                    "the searches were run on other development rows",
                ));
            }
            s
        }
        None => cv::search_families(&rows.x, &dev, &rows.model_schema, config, progress)?,
    };
    let mut stage = "selecting the family";
    let mut selected = None;
    let after = AfterSearch {
        facts,
        rows,
        source,
        config,
        dev: &dev,
        searches: &searches,
        rule,
    };
    match after.run(&mut stage, &mut selected, progress) {
        Ok(bundle) => {
            let mut test_rows: Vec<usize> = dev.test.iter().map(|&i| rows.source_rows[i]).collect();
            test_rows.sort_unstable();
            Ok(TrainOutcome {
                bundle,
                searches,
                test_rows,
            })
        }
        Err(cause) => Err(Error::AfterSearch {
            stage: stage.to_string(),
            cause: Box::new(cause),
            searches,
            selected,
            metric: config.metric,
        }),
    }
}

/// What the stages after the search (selection to bundle) read.
struct AfterSearch<'a> {
    facts: &'a assemble::DataFacts,
    rows: &'a rows::TrainingRows,
    source: &'a SourceInfo,
    config: &'a TrainConfig,
    dev: &'a split::Development,
    searches: &'a [FamilySearch],
    rule: ThresholdRule,
}

impl AfterSearch<'_> {
    /// Stages 3 (selection) to 8; `stage` names the stage running (for the error), and
    /// `selected` is set once the family is chosen.
    fn run(
        &self,
        stage: &mut &'static str,
        selected: &mut Option<usize>,
        progress: &mut dyn FnMut(&Progress),
    ) -> Result<ModelBundle> {
        let AfterSearch {
            facts,
            rows,
            source,
            config,
            dev,
            searches,
            rule,
        } = *self;
        let uparams = UtilityParams::default();
        let chosen_index = cv::select_family(searches, config.selection, config.folds)?;
        *selected = Some(chosen_index);
        *stage = "comparing the families";
        let comparison = cv::compare_families(searches, chosen_index, dev, &uparams)?;

        enter(stage, CALIBRATING, progress)?;
        let chosen = &searches[chosen_index];
        let hyperparameters = chosen.best_candidate().hyperparameters.clone();
        let params = ModelParams::from_hyperparameters(chosen.family, &hyperparameters)?;
        let calibrated = operating::calibrate(config.calibration, &chosen.best_oof, &dev.y)?;
        *stage = "choosing the threshold";
        let op = operating::choose_threshold(
            dev,
            &chosen.best_oof,
            &calibrated,
            rule,
            config,
            &uparams,
        )?;

        enter(stage, "fitting final model", progress)?;
        let fitted = fit::final_fit(
            &rows.x,
            &dev.dev,
            &dev.y,
            &rows.model_schema,
            &params,
            config,
        )?;
        *stage = "evaluating on the held-out rows";
        let test = fit::evaluate_test(
            &fitted,
            &calibrated.calibrator,
            &rows.x,
            split::test_rows(rows, &dev.test),
            op.threshold,
            &uparams,
        )?;
        let time_series =
            assemble::time_series_report(rows, dev, &calibrated, &op, &test, &uparams)?;
        *stage = "assembling the bundle";
        let bundle = assemble::assemble(assemble::Parts {
            facts,
            source,
            config,
            rows,
            dev,
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
        Ok(bundle)
    }
}

/// Enters stage `name`: reports it, and in tests fails where [`fail_at`] says.
fn enter(
    stage: &mut &'static str,
    name: &'static str,
    progress: &mut dyn FnMut(&Progress),
) -> Result<()> {
    *stage = name;
    progress(&Progress::new(name, 0, 1));
    #[cfg(test)]
    if FAIL_AT.with(|f| f.get()) == Some(name) {
        return Err(Error::Numerical(format!("injected failure at {name}")));
    }
    Ok(())
}

#[cfg(test)]
thread_local! {
    /// Tests only: the stage at which [`enter`] fails, to exercise [`Error::AfterSearch`].
    static FAIL_AT: std::cell::Cell<Option<&'static str>> = const { std::cell::Cell::new(None) };
}

/// Tests only: makes the next trainings on this thread fail on entering `stage`.
#[cfg(test)]
fn fail_at(stage: Option<&'static str>) {
    FAIL_AT.with(|f| f.set(stage));
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::core::config::CalibrationMethod;
    use crate::core::models::Family;
    use crate::core::{csv, demo, schema};

    fn seed_dataset() -> Dataset {
        let s = schema::builtin("seed").unwrap();
        let text = demo::demo_csv(&s, 240, 5).unwrap();
        Dataset::from_table(&csv::parse(text.as_bytes()).unwrap(), &s, "demo.csv").unwrap()
    }

    fn source() -> SourceInfo {
        SourceInfo {
            name: "demo.csv".into(),
            sha256: sha256_hex(b"demo"),
        }
    }

    #[test]
    fn searches_shared_between_workers_give_the_bundle_of_one_run() {
        let ds = seed_dataset();
        let config = TrainConfig {
            folds: 3,
            strategy: crate::core::search::Strategy::Random { n_iter: 3 },
            ..TrainConfig::default()
        };
        let whole = train(&ds, &source(), &config, &mut |_| {}).unwrap();
        // Two workers: the candidates dealt unevenly and out of order.
        let data = SearchData::new(&ds, &config, &mut |_| {}).unwrap();
        let (mut a, mut b) = (
            data.searches(&config).unwrap(),
            data.searches(&config).unwrap(),
        );
        let totals = a.totals();
        assert_eq!(totals.len(), config.families.len());
        for (k, &n) in totals.iter().enumerate().rev() {
            for i in (0..n).rev() {
                let worker = if (k + i) % 3 == 0 { &mut a } else { &mut b };
                worker.run(k, i, &mut |_| {}).unwrap();
            }
        }
        assert!(a.run(totals.len(), 0, &mut |_| {}).is_err());
        assert!(a.run(0, totals[0], &mut |_| {}).is_err());
        assert!(a.run(0, 0, &mut |_| {}).is_err(), "a candidate run twice");
        let mut shares = a.into_parts();
        shares.extend(b.into_parts());
        // A third worker that was given nothing.
        shares.extend(data.searches(&config).unwrap().into_parts());
        let searches = merge_searches(&config, shares.clone()).unwrap();
        let apart =
            train_with_searches(&ds, &source(), &config, searches.clone(), &mut |_| {}).unwrap();
        assert_eq!(
            apart.bundle.to_json().unwrap(),
            whole.bundle.to_json().unwrap()
        );
        // A share missing or twice is refused; so are searches of other families or rows.
        assert!(merge_searches(&config, shares[1..].to_vec()).is_err());
        let mut twice = shares.clone();
        twice.push(shares[0].clone());
        assert!(merge_searches(&config, twice).is_err());
        let mut wrong = searches.clone();
        wrong.reverse();
        assert!(train_with_searches(&ds, &source(), &config, wrong, &mut |_| {}).is_err());
        let mut short = searches;
        short[0].best_oof.pop();
        assert!(train_with_searches(&ds, &source(), &config, short, &mut |_| {}).is_err());
    }

    #[test]
    fn the_held_out_part_scores_the_trained_model_as_its_test_figures_say() {
        let ds = seed_dataset();
        let config = TrainConfig {
            families: vec![crate::core::models::Family::Logistic],
            folds: 3,
            ..TrainConfig::default()
        };
        let out = train(&ds, &source(), &config, &mut |_| {}).unwrap();
        let test = out.bundle.test_metrics.as_ref().unwrap();
        assert_eq!(out.test_rows.len(), out.bundle.training.test_rows);
        let held = held_out(&ds, &out.test_rows).unwrap();
        assert_eq!(held.rows.len(), out.test_rows.len());
        let s = operating_summary(&out.bundle, &held).unwrap();
        assert_eq!(s.metrics.n, test.n);
        assert!((s.metrics.roc_auc - test.roc_auc).abs() < 1e-9);
        assert!((s.metrics.sensitivity - test.sensitivity).abs() < 1e-9);

        // Time-series data: whole patients are held out, and the patient-level figures match.
        let icu = schema::builtin("icu").unwrap();
        let options = demo::IcuDemoOptions {
            septic_fraction: 0.4,
            ..demo::IcuDemoOptions::default()
        };
        let patients = demo::demo_icu_patients_with(&icu, 40, 3, &options).unwrap();
        let files: Vec<(String, Vec<u8>)> = patients
            .iter()
            .map(|p| {
                (
                    crate::core::dataset::patient_file_name(&p.id),
                    p.psv.clone().into_bytes(),
                )
            })
            .collect();
        let ds = crate::core::files::read_files(&files, &icu, "stays").unwrap();
        let config = TrainConfig {
            families: vec![crate::core::models::Family::Logistic],
            folds: 3,
            ..TrainConfig::for_schema(&icu)
        };
        let out = train(&ds, &source(), &config, &mut |_| {}).unwrap();
        let ts = out.bundle.time_series.as_ref().unwrap();
        let held = held_out(&ds, &out.test_rows).unwrap();
        let s = operating_summary(&out.bundle, &held).unwrap();
        let icu_eval = s.icu.as_ref().unwrap();
        let test = ts.test.as_ref().unwrap();
        assert_eq!(icu_eval.patients, ts.test_patients);
        assert_eq!(icu_eval.patients, test.patients);
        assert!(
            (icu_eval.utility - test.utility).abs() < 1e-9,
            "{} {}",
            icu_eval.utility,
            test.utility
        );
        let m = out.bundle.test_metrics.as_ref().unwrap();
        assert_eq!(s.metrics.n, m.n);
        assert!((s.metrics.roc_auc - m.roc_auc).abs() < 1e-9);
    }

    fn failing_at(stage: &'static str, ds: &Dataset, config: &TrainConfig) -> Error {
        fail_at(Some(stage));
        let r = train(ds, &source(), config, &mut |_| {});
        fail_at(None);
        r.expect_err("the injected failure")
    }

    #[test]
    fn a_failure_after_the_search_keeps_its_results_and_the_selected_candidate_finishes_the_run() {
        let ds = seed_dataset();
        let config = TrainConfig {
            folds: 3,
            families: vec![Family::Logistic, Family::Boosting],
            ..TrainConfig::default()
        };
        let err = failing_at(CALIBRATING, &ds, &config);
        let message = err.to_string();
        let Error::AfterSearch {
            stage,
            cause,
            searches,
            selected,
            metric,
        } = err
        else {
            panic!("not an AfterSearch error: {message}");
        };
        assert_eq!(stage, CALIBRATING);
        assert_eq!(
            *cause,
            Error::Numerical("injected failure at calibrating".into())
        );
        assert_eq!(metric, config.metric);
        assert_eq!(searches.len(), 2);
        assert!(searches[0].candidates.len() > 1 && searches[1].candidates.len() > 1);
        let selected = selected.expect("selection ran before calibration");
        for needle in [
            "calibrating failed after the hyperparameter search had finished",
            "injected failure at calibrating",
            "roc_auc over 3 folds",
            "logistic",
            "boosting",
            "(selected)",
            "isotonic, or none",
        ] {
            assert!(message.contains(needle), "`{needle}` not in:\n{message}");
        }
        assert_eq!(message.matches("(selected)").count(), 1);

        // The way out: the selected candidate's values fixed, another calibration. One
        // candidate is cross-validated, with the same folds and seeds: the same fold scores
        // and out-of-fold probabilities as in the failed run.
        let found = &searches[selected];
        let fixed: BTreeMap<String, f64> = found
            .best_candidate()
            .hyperparameters
            .iter()
            .map(|h| (h.name().to_string(), h.number()))
            .collect();
        let retry = TrainConfig {
            families: vec![found.family],
            fixed,
            calibration: CalibrationMethod::Isotonic,
            ..config.clone()
        };
        let mut stages = Vec::new();
        let out = train(&ds, &source(), &retry, &mut |p| {
            stages.push(p.stage.clone())
        })
        .unwrap();
        assert_eq!(out.searches.len(), 1);
        assert_eq!(
            out.searches[0].candidates,
            vec![found.best_candidate().clone()]
        );
        assert_eq!(out.searches[0].best_oof, found.best_oof);
        assert_eq!(out.bundle.model.family(), found.family);
        assert!(stages.iter().any(|s| s == "done"));
    }

    #[test]
    fn a_failure_in_a_later_stage_names_it_and_does_not_offer_another_calibration() {
        let ds = seed_dataset();
        let config = TrainConfig {
            folds: 3,
            families: vec![Family::Logistic],
            ..TrainConfig::default()
        };
        let err = failing_at("fitting final model", &ds, &config);
        let message = err.to_string();
        assert!(
            matches!(&err, Error::AfterSearch { stage, selected: Some(0), .. } if stage == "fitting final model")
        );
        assert!(
            message.starts_with("fitting final model failed after"),
            "{message}"
        );
        assert!(!message.contains("isotonic"), "{message}");
    }

    #[test]
    fn fixed_values_must_name_a_hyperparameter_of_a_trained_family() {
        let ds = seed_dataset();
        for (name, v, why) in [
            ("depth", 3.0, "not a hyperparameter"),
            ("max_depth", 2.5, "whole number"),
            (
                "n_estimators",
                100.0,
                "not a hyperparameter of the families trained (logistic)",
            ),
        ] {
            let config = TrainConfig {
                folds: 3,
                families: vec![Family::Logistic],
                fixed: BTreeMap::from([(name.to_string(), v)]),
                ..TrainConfig::default()
            };
            let err = train(&ds, &source(), &config, &mut |_| {}).unwrap_err();
            assert!(
                matches!(&err, Error::InvalidParameter { name, .. } if name == "fix"),
                "{name}: {err}"
            );
            assert!(err.to_string().contains(why), "{name}: {err}");
        }
    }
}
