//! The training pipeline shared by the CLI (and, later, a browser worker):
//! split -> per-fold preprocessing and balancing -> search of every model family with
//! cross-validation -> selection -> calibration on out-of-fold predictions -> threshold and
//! risk bands -> final fit on the development rows -> held-out test -> [`ModelBundle`].
//!
//! Deterministic: every random step derives its seed from [`TrainConfig::seed`], and nothing
//! depends on time or on the order of hash maps, so the same data and configuration give a
//! byte-identical bundle.

use serde::{Deserialize, Serialize};

use crate::core::bundle::{
    Curves, FORMAT, FORMAT_VERSION, FamilyComparison, FeatureImportance, ModelBundle, ModelCard,
    NOT_A_MEDICAL_DEVICE, RiskHistogram, ThresholdPolicy, TrainingInfo,
};
use crate::core::calibration::Calibrator;
use crate::core::dataset::Dataset;
use crate::core::metrics::{self, BinStrategy};
use crate::core::models::{Family, Model, ModelParams};
use crate::core::preprocess::{Pipeline, PreprocessConfig};
use crate::core::rng::Rng;
use crate::core::sampling::{self, Balance};
use crate::core::search::{self, FamilySearch, FoldData, Metric, SearchSpace, Strategy};
use crate::core::{Error, Matrix, Result};

/// How out-of-fold probabilities are calibrated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum CalibrationMethod {
    /// Platt scaling (logistic on the log-odds).
    #[default]
    Platt,
    /// Isotonic regression.
    Isotonic,
    /// No calibration.
    None,
}

impl std::str::FromStr for CalibrationMethod {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "platt" | "sigmoid" => Ok(CalibrationMethod::Platt),
            "isotonic" => Ok(CalibrationMethod::Isotonic),
            "none" => Ok(CalibrationMethod::None),
            other => Err(Error::param(
                "calibration",
                format!("unknown method `{other}` (expected platt, isotonic or none)"),
            )),
        }
    }
}

/// How the shipped family is chosen among the searched ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Selection {
    /// The highest mean cross-validated metric (the default).
    #[default]
    Best,
    /// The one-standard-error rule: the simplest family whose mean is within one standard
    /// error (fold sd / sqrt(folds)) of the best mean. Simplicity: logistic regression, then
    /// gradient boosting, then random forest.
    OneStandardError,
}

impl std::str::FromStr for Selection {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "best" => Ok(Selection::Best),
            "one-se" | "one_se" | "1se" => Ok(Selection::OneStandardError),
            other => Err(Error::param(
                "selection",
                format!("unknown rule `{other}` (expected best or one-se)"),
            )),
        }
    }
}

/// Simplicity rank of a family (lower is simpler: fewer parameters, exact explanations).
fn simplicity(f: Family) -> u8 {
    match f {
        Family::Logistic => 0,
        Family::Boosting => 1,
        Family::Forest => 2,
    }
}

/// Index of the family to ship (see [`Selection`]); ties go to the earlier search.
pub fn select_family(searches: &[FamilySearch], rule: Selection, folds: usize) -> Result<usize> {
    let best = searches
        .iter()
        .enumerate()
        .fold(None::<(usize, f64)>, |best, (i, s)| {
            let m = s.best_candidate().mean;
            match best {
                Some((_, bm)) if bm >= m => best,
                _ => Some((i, m)),
            }
        })
        .ok_or_else(|| Error::param("families", "nothing was searched"))?;
    match rule {
        Selection::Best => Ok(best.0),
        Selection::OneStandardError => {
            let top = searches[best.0].best_candidate();
            let bar = top.mean - top.sd / (folds as f64).sqrt();
            Ok(searches
                .iter()
                .enumerate()
                .filter(|(_, s)| s.best_candidate().mean >= bar)
                .min_by_key(|(i, s)| (simplicity(s.family), *i))
                .map_or(best.0, |(i, _)| i))
        }
    }
}

/// Everything that controls a training run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainConfig {
    /// Seed of every random step.
    pub seed: u64,
    /// Number of cross-validation folds.
    pub folds: usize,
    /// Grid or random search.
    pub strategy: Strategy,
    /// Class balancing applied inside training folds only.
    pub balance: Balance,
    /// Target sensitivity for the alert threshold.
    pub target_sensitivity: f64,
    /// Sensitivity kept above the "low" risk band's upper edge.
    pub rule_out_sensitivity: f64,
    /// Fraction of rows held out as a final test set (0 = none).
    pub test_fraction: f64,
    /// Calibration method.
    pub calibration: CalibrationMethod,
    /// Metric optimised by the search.
    pub metric: Metric,
    /// Families tried.
    pub families: Vec<Family>,
    /// How the shipped family is chosen.
    pub selection: Selection,
    /// Preprocessing.
    pub preprocess: PreprocessConfig,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            seed: 42,
            folds: 5,
            strategy: Strategy::Grid,
            balance: Balance::None,
            target_sensitivity: 0.8,
            rule_out_sensitivity: 0.95,
            test_fraction: 0.2,
            calibration: CalibrationMethod::Platt,
            metric: Metric::RocAuc,
            families: Family::ALL.to_vec(),
            selection: Selection::Best,
            preprocess: PreprocessConfig::default(),
        }
    }
}

impl TrainConfig {
    /// Checks the configuration once, before any work.
    pub fn validate(&self) -> Result<()> {
        if !(2..=50).contains(&self.folds) {
            return Err(Error::param(
                "folds",
                format!("must be 2 to 50, got {}", self.folds),
            ));
        }
        for (name, v) in [
            ("target-sensitivity", self.target_sensitivity),
            ("rule-out-sensitivity", self.rule_out_sensitivity),
        ] {
            if !(v > 0.0 && v <= 1.0) {
                return Err(Error::param(name, format!("must be in (0, 1], got {v}")));
            }
        }
        if !(0.0..0.9).contains(&self.test_fraction) {
            return Err(Error::param(
                "test-fraction",
                format!("must be in [0, 0.9), got {}", self.test_fraction),
            ));
        }
        if self.families.is_empty() {
            return Err(Error::param(
                "families",
                "at least one model family is needed",
            ));
        }
        Ok(())
    }
}

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
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The preprocessing used for a family: tree ensembles are invariant to monotone rescaling, so
/// they get unscaled inputs (split thresholds stay in clinical units, which keeps bundles small
/// and readable); logistic regression gets standardised inputs.
pub fn preprocess_for(family: Family, base: &PreprocessConfig) -> PreprocessConfig {
    match family {
        Family::Logistic => base.clone(),
        Family::Forest | Family::Boosting => base.clone().with_scale(false),
    }
}

fn prepare_fold(
    x: &Matrix,
    y: &[bool],
    fold: &sampling::Fold,
    ds_schema: &crate::core::schema::Schema,
    pre: &PreprocessConfig,
    balance: Balance,
    fold_seed: u64,
) -> Result<FoldData> {
    let xt = x.select_rows(&fold.train);
    let yt: Vec<bool> = fold.train.iter().map(|&i| y[i]).collect();
    let pipe = Pipeline::fit(&xt, ds_schema, pre)?;
    let xt = pipe.transform(&xt)?;
    let (x_train, y_train) = sampling::balance(&xt, &yt, balance, fold_seed)?;
    let x_valid = pipe.transform(&x.select_rows(&fold.valid))?;
    Ok(FoldData {
        x_train,
        y_train,
        x_valid,
        y_valid: fold.valid.iter().map(|&i| y[i]).collect(),
        valid_index: fold.valid.clone(),
    })
}

fn calibrate(method: CalibrationMethod, p: &[f64], y: &[bool]) -> Result<Calibrator> {
    match method {
        CalibrationMethod::Platt => Calibrator::fit_platt(p, y),
        CalibrationMethod::Isotonic => Calibrator::fit_isotonic(p, y),
        CalibrationMethod::None => Ok(Calibrator::Identity),
    }
}

/// Runs the whole pipeline on a validated dataset. Rows with errors or without a label are
/// excluded from training and counted in the bundle's [`TrainingInfo`].
pub fn train(
    ds: &Dataset,
    source: &SourceInfo,
    config: &TrainConfig,
    progress: &mut dyn FnMut(&Progress),
) -> Result<TrainOutcome> {
    config.validate()?;
    if ds.schema.temporal.is_some() {
        // Per-row training on raw hourly values would ignore patients and time (leakage
        // across folds, no look-back features): refuse rather than ship a misleading model.
        return Err(Error::param(
            "schema",
            format!(
                "`{}` is a time-series schema; training it needs patient-level folds and time-aware features, which this version does not have yet",
                ds.schema.name
            ),
        ));
    }
    if !ds.has_label_column {
        return Err(Error::Header(format!(
            "{}: no label column `{}`: training needs labelled data",
            ds.source, ds.schema.label.name
        )));
    }
    let schema = &ds.schema;
    let (x_all, y_all, _) = ds.training_data();
    let positives = y_all.iter().filter(|&&v| v).count();
    let negatives = y_all.len() - positives;
    let min_class = positives.min(negatives);
    if min_class < 2 * config.folds {
        return Err(Error::InsufficientData(format!(
            "{}: {} usable rows ({positives} positive, {negatives} negative); at least {} of each class are needed for {}-fold cross-validation",
            ds.source,
            y_all.len(),
            2 * config.folds,
            config.folds
        )));
    }

    // 1. Development / test split.
    let (dev, test) = if config.test_fraction > 0.0 {
        sampling::stratified_split(&y_all, config.test_fraction, Rng::derive(config.seed, 1))?
    } else {
        ((0..y_all.len()).collect(), Vec::new())
    };
    let x_dev = x_all.select_rows(&dev);
    let y_dev: Vec<bool> = dev.iter().map(|&i| y_all[i]).collect();

    // 2. Folds, each with preprocessing fitted on its training part only. Tree families get
    //    their own unscaled variant (see `preprocess_for`), so they are prepared per variant.
    let folds = sampling::stratified_kfold(&y_dev, config.folds, Rng::derive(config.seed, 2))?;
    let mut variants: Vec<(PreprocessConfig, Vec<FoldData>)> = Vec::new();
    let mut searches = Vec::with_capacity(config.families.len());
    for &family in &config.families {
        let pre = preprocess_for(family, &config.preprocess);
        let slot = if let Some(k) = variants.iter().position(|(c, _)| *c == pre) {
            k
        } else {
            let mut fold_data = Vec::with_capacity(folds.len());
            for (i, f) in folds.iter().enumerate() {
                progress(&Progress {
                    stage: "preparing folds".into(),
                    done: i,
                    total: folds.len(),
                });
                fold_data.push(prepare_fold(
                    &x_dev,
                    &y_dev,
                    f,
                    schema,
                    &pre,
                    config.balance,
                    Rng::derive(config.seed, 100 + i as u64),
                )?);
            }
            variants.push((pre, fold_data));
            variants.len() - 1
        };
        let fold_data = &variants[slot].1;

        // 3. Search every family on the same folds.
        let space = SearchSpace::default_for(family);
        let stage = format!("searching {}", family.title().to_lowercase());
        let s = search::search(
            &space,
            config.strategy,
            fold_data,
            y_dev.len(),
            config.metric,
            Rng::derive(config.seed, 1000 + family as u64),
            &mut |done, total| {
                progress(&Progress {
                    stage: stage.clone(),
                    done,
                    total,
                })
            },
        )?;
        searches.push(s);
    }
    let selected = select_family(&searches, config.selection, config.folds)?;

    let mut comparison = Vec::with_capacity(searches.len());
    for (i, s) in searches.iter().enumerate() {
        let b = s.best_candidate();
        comparison.push(FamilyComparison {
            family: s.family,
            hyperparameters: b.hyperparameters.clone(),
            cv_mean: b.mean,
            cv_sd: b.sd,
            fold_scores: b.fold_scores.clone(),
            candidates: s.candidates.len(),
            oof_roc_auc: metrics::roc_auc(&y_dev, &s.best_oof)?,
            oof_pr_auc: metrics::average_precision(&y_dev, &s.best_oof)?,
            oof_brier: metrics::brier(&y_dev, &s.best_oof)?,
            selected: i == selected,
        });
    }

    // 4. Calibration, threshold and bands from the selected family's out-of-fold predictions.
    progress(&Progress {
        stage: "calibrating".into(),
        done: 0,
        total: 1,
    });
    let chosen = &searches[selected];
    let family = chosen.family;
    let hyperparameters = chosen.best_candidate().hyperparameters.clone();
    let params = ModelParams::from_hyperparameters(family, &hyperparameters)?;
    let oof_raw = &chosen.best_oof;
    let calibrator = calibrate(config.calibration, oof_raw, &y_dev)?;
    let oof: Vec<f64> = oof_raw.iter().map(|&p| calibrator.apply(p)).collect();
    let choice = metrics::threshold_for_sensitivity(&y_dev, &oof, config.target_sensitivity)?;
    let threshold = choice.threshold;
    let risk_bands = metrics::risk_bands(&y_dev, &oof, threshold, config.rule_out_sensitivity)?;
    let oof_metrics = metrics::evaluate(&y_dev, &oof, threshold)?;
    let curves = Curves {
        roc: metrics::downsample_curve(&metrics::roc_curve(&y_dev, &oof)?, 200)?,
        pr: metrics::downsample_curve(&metrics::pr_curve(&y_dev, &oof)?, 200)?,
        calibration: metrics::calibration_curve(&y_dev, &oof, 10, BinStrategy::Quantile)?,
        calibration_uncalibrated: metrics::calibration_curve(
            &y_dev,
            oof_raw,
            10,
            BinStrategy::Quantile,
        )?,
        thresholds: metrics::threshold_sweep(&y_dev, &oof)?,
        risk_histogram: RiskHistogram::from_scores(&y_dev, &oof, 20),
    };

    // 5. Final fit on all development rows.
    progress(&Progress {
        stage: "fitting final model".into(),
        done: 0,
        total: 1,
    });
    let pipeline = Pipeline::fit(&x_dev, schema, &preprocess_for(family, &config.preprocess))?;
    let xt = pipeline.transform(&x_dev)?;
    let (xb, yb) = sampling::balance(&xt, &y_dev, config.balance, Rng::derive(config.seed, 3))?;
    let model = Model::fit(&params, &xb, &yb, Rng::derive(config.seed, 4))?;

    // 6. Held-out test.
    let test_metrics = if test.is_empty() {
        None
    } else {
        let xt = pipeline.transform(&x_all.select_rows(&test))?;
        let yt: Vec<bool> = test.iter().map(|&i| y_all[i]).collect();
        let p: Vec<f64> = model
            .predict_proba(&xt)?
            .into_iter()
            .map(|v| calibrator.apply(v))
            .collect();
        Some(metrics::evaluate(&yt, &p, threshold)?)
    };

    // 7. Importances folded back onto schema features.
    let mut imp = vec![0.0; schema.features.len()];
    for (j, v) in model.feature_importances().iter().enumerate() {
        imp[pipeline.source_column(j)] += v;
    }
    let feature_importances = schema
        .features
        .iter()
        .zip(imp)
        .map(|(c, importance)| FeatureImportance {
            column: c.name.clone(),
            label: c.label.clone(),
            importance,
        })
        .collect();

    let rows_with_errors = ds.rows.iter().filter(|r| !r.is_valid()).count();
    let rows_unlabelled = ds
        .rows
        .iter()
        .filter(|r| r.is_valid() && r.label.is_none())
        .count();
    let card = &schema.model_card;
    let bundle = ModelBundle {
        format: FORMAT.to_string(),
        format_version: FORMAT_VERSION,
        software_version: env!("CARGO_PKG_VERSION").to_string(),
        schema: schema.clone(),
        pipeline,
        model,
        hyperparameters,
        calibrator,
        threshold,
        threshold_policy: ThresholdPolicy {
            rule: format!(
                "The highest threshold (fewest alerts) whose out-of-fold sensitivity is at least {:.2}.",
                config.target_sensitivity
            ),
            target_sensitivity: config.target_sensitivity,
            threshold,
        },
        risk_bands,
        cv_metric: config.metric.key().to_string(),
        comparison,
        oof_metrics,
        test_metrics,
        curves,
        feature_importances,
        training: TrainingInfo {
            source: source.name.clone(),
            data_sha256: source.sha256.clone(),
            rows_in_file: ds.rows.len(),
            rows_used: y_all.len(),
            rows_excluded: ds.rows.len() - y_all.len(),
            rows_with_errors,
            rows_unlabelled,
            positives,
            negatives,
            development_rows: dev.len(),
            test_rows: test.len(),
            config: config.clone(),
        },
        model_card: ModelCard {
            title: format!("{} — {}", schema.title, family.title().to_lowercase()),
            intended_use: card.intended_use.clone(),
            training_data: card.training_data.clone(),
            label_definition: schema.label.description.clone(),
            caveats: card.caveats.clone(),
            attribution: card.attribution.clone(),
            notice: NOT_A_MEDICAL_DEVICE.to_string(),
        },
    };
    bundle.check()?;
    progress(&Progress {
        stage: "done".into(),
        done: 1,
        total: 1,
    });
    Ok(TrainOutcome { bundle, searches })
}
