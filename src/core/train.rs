//! The training pipeline shared by the CLI (and, later, a browser worker):
//! split -> per-fold preprocessing and balancing -> search of every model family with
//! cross-validation -> selection -> calibration on out-of-fold predictions -> threshold and
//! risk bands -> final fit on the development rows -> held-out test -> [`ModelBundle`].
//!
//! Deterministic: every random step derives its seed from [`TrainConfig::seed`], and nothing
//! depends on time or on the order of hash maps, so the same data and configuration give a
//! byte-identical bundle.

use crate::core::bundle::{
    Curves, FORMAT, FORMAT_VERSION, FamilyComparison, FeatureImportance, ModelBundle, ModelCard,
    NOT_A_MEDICAL_DEVICE, RiskHistogram, ThresholdOption, ThresholdPolicy, TimeSeriesReport,
    TrainingInfo,
};
use crate::core::calibration::Calibrator;
use crate::core::config::{CalibrationMethod, Selection, ThresholdRule, TrainConfig};
use crate::core::dataset::Dataset;
use crate::core::metrics::{self, BinStrategy};
use crate::core::models::{Family, Model, ModelParams};
use crate::core::preprocess::{Pipeline, PreprocessConfig};
use crate::core::rng::Rng;
use crate::core::sampling::{self, Balance};
use crate::core::schema::Schema;
use crate::core::search::{self, FamilySearch, FoldData, SearchSpace};
use crate::core::temporal;
use crate::core::utility::{self, IcuEvaluation, UtilityParams};
use crate::core::{Error, Matrix, Result};

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

/// The rows training uses, in the model's input space.
struct TrainingRows {
    /// Model inputs of the usable rows (valid and labelled).
    x: Matrix,
    /// Their labels.
    y: Vec<bool>,
    /// The schema of `x`'s columns.
    model_schema: Schema,
    /// Time-series data only: per usable row, its patient's index and its hour in the ICU
    /// (rows of a patient are contiguous and in time order).
    series: Option<Series>,
}

struct Series {
    patient: Vec<usize>,
    hours: Vec<f64>,
    features: usize,
}

fn usable(ds: &Dataset, i: usize) -> Option<bool> {
    let r = &ds.rows[i];
    if r.is_valid() { r.label } else { None }
}

fn training_rows(ds: &Dataset) -> Result<TrainingRows> {
    let Some(spec) = &ds.schema.temporal else {
        let (x, y, _) = ds.training_data();
        return Ok(TrainingRows {
            x,
            y,
            model_schema: ds.schema.clone(),
            series: None,
        });
    };
    let (features, order, patients) = temporal::dataset_features(ds)?;
    let time = ds
        .schema
        .feature_index(&spec.time_column)
        .ok_or_else(|| Error::param("schema", format!("no time column `{}`", spec.time_column)))?;
    let mut keep = Vec::new();
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
                y.push(label);
                patient.push(p);
                hours.push(hour);
            }
        }
    }
    let model_schema = temporal::feature_schema(&ds.schema)?;
    Ok(TrainingRows {
        x: features.select_rows(&keep),
        y,
        series: Some(Series {
            patient,
            hours,
            features: model_schema.features.len(),
        }),
        model_schema,
    })
}

/// Splits row-aligned labels, scores and hours into patients (`patient` is contiguous).
fn per_patient<'a>(
    patient: &[usize],
    y: &'a [bool],
    p: &'a [f64],
    hours: &'a [f64],
) -> Vec<(&'a [bool], &'a [f64], &'a [f64])> {
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

/// At most `n` distinct candidate thresholds spread over the quantiles of `p`.
fn quantile_thresholds(p: &[f64], n: usize) -> Vec<f64> {
    let mut v: Vec<f64> = p.iter().copied().filter(|x| x.is_finite()).collect();
    v.sort_unstable_by(f64::total_cmp);
    let mut out: Vec<f64> = (0..n)
        .filter_map(|k| v.get(k * v.len() / n.max(1)).copied())
        .collect();
    out.dedup();
    out
}

/// Best normalized utility of `p` over thresholds at its quantiles.
fn best_utility(
    parts: &[(&[bool], &[f64], &[f64])],
    all: &[f64],
    params: &UtilityParams,
) -> Result<utility::UtilityThreshold> {
    let pairs: Vec<(&[bool], &[f64])> = parts.iter().map(|(l, s, _)| (*l, *s)).collect();
    utility::threshold_for_utility(&pairs, &quantile_thresholds(all, 1000), params)
}

fn icu_evaluation(
    parts: &[(&[bool], &[f64], &[f64])],
    threshold: f64,
    params: &UtilityParams,
) -> Result<IcuEvaluation> {
    utility::evaluate_icu(parts, threshold, params)
}

/// Runs the whole pipeline on a validated dataset. Rows with errors or without a label are
/// excluded from training and counted in the bundle's [`TrainingInfo`].
///
/// Time-series data (a schema with a temporal section, e.g. hourly ICU records) is trained
/// on the time-aware features of [`temporal`] with patient-level splits: the test split and
/// every cross-validation fold keep each patient's hours together. The bundle then records
/// both thresholds (by target sensitivity and by the challenge's normalized utility) and a
/// [`TimeSeriesReport`].
pub fn train(
    ds: &Dataset,
    source: &SourceInfo,
    config: &TrainConfig,
    progress: &mut dyn FnMut(&Progress),
) -> Result<TrainOutcome> {
    config.validate()?;
    if !ds.has_label_column {
        return Err(Error::Header(format!(
            "{}: no label column `{}`: training needs labelled data",
            ds.source, ds.schema.label.name
        )));
    }
    let schema = &ds.schema;
    let rule = config.effective_threshold_rule(schema);
    progress(&Progress {
        stage: "computing features".into(),
        done: 0,
        total: 1,
    });
    let TrainingRows {
        x: x_all,
        y: y_all,
        model_schema,
        series,
    } = training_rows(ds)?;
    if rule == ThresholdRule::Utility && series.is_none() {
        return Err(Error::param(
            "threshold-rule",
            "the utility rule needs time-series data (one row per patient and hour)",
        ));
    }
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
    let uparams = UtilityParams::default();

    // 1. Development / test split (by patient for time-series data).
    let (dev, test) = match (&series, config.test_fraction > 0.0) {
        (_, false) => ((0..y_all.len()).collect(), Vec::new()),
        (Some(s), true) => sampling::group_split(
            &y_all,
            &s.patient,
            config.test_fraction,
            Rng::derive(config.seed, 1),
        )?,
        (None, true) => {
            sampling::stratified_split(&y_all, config.test_fraction, Rng::derive(config.seed, 1))?
        }
    };
    let x_dev = x_all.select_rows(&dev);
    let y_dev: Vec<bool> = dev.iter().map(|&i| y_all[i]).collect();
    let pick = |idx: &[usize], v: &[f64]| idx.iter().map(|&i| v[i]).collect::<Vec<f64>>();
    let dev_series = series.as_ref().map(|s| {
        (
            dev.iter().map(|&i| s.patient[i]).collect::<Vec<usize>>(),
            pick(&dev, &s.hours),
        )
    });

    // 2. Folds, each with preprocessing fitted on its training part only. Tree families get
    //    their own unscaled variant (see `preprocess_for`), so they are prepared per variant.
    let folds = match &dev_series {
        Some((patient, _)) => sampling::stratified_group_kfold(
            &y_dev,
            patient,
            config.folds,
            Rng::derive(config.seed, 2),
        )?,
        None => sampling::stratified_kfold(&y_dev, config.folds, Rng::derive(config.seed, 2))?,
    };
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
                    &model_schema,
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
        let space = if series.is_some() {
            SearchSpace::time_series_for(family)
        } else {
            SearchSpace::default_for(family)
        };
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
    drop(variants);
    let selected = select_family(&searches, config.selection, config.folds)?;

    let mut comparison = Vec::with_capacity(searches.len());
    for (i, s) in searches.iter().enumerate() {
        let b = s.best_candidate();
        let oof_utility = match &dev_series {
            Some((patient, hours)) => {
                let parts = per_patient(patient, &y_dev, &s.best_oof, hours);
                Some(
                    best_utility(&parts, &s.best_oof, &uparams)?
                        .score
                        .normalized,
                )
            }
            None => None,
        };
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
            oof_utility,
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
    let by_sensitivity =
        metrics::threshold_for_sensitivity(&y_dev, &oof, config.target_sensitivity)?;
    let sensitivity_rule = format!(
        "The highest threshold (fewest alerts) whose out-of-fold sensitivity is at least {:.2}.",
        config.target_sensitivity
    );
    let dev_parts = dev_series
        .as_ref()
        .map(|(patient, hours)| per_patient(patient, &y_dev, &oof, hours));
    let by_utility = match &dev_parts {
        Some(parts) => Some(best_utility(parts, &oof, &uparams)?),
        None => None,
    };
    let threshold = match (rule, &by_utility) {
        (ThresholdRule::Utility, Some(u)) => u.threshold,
        _ => by_sensitivity.threshold,
    };
    let utility_rule = "The threshold with the highest out-of-fold normalized utility score of the PhysioNet/CinC 2019 challenge (rewards alerts 12 to 3 hours before onset, penalises late and missed detections and, lightly, false alarms).";
    let mut options = Vec::new();
    if let (Some(u), Some(parts)) = (&by_utility, &dev_parts) {
        for (name, rule_text, t) in [
            ("utility", utility_rule.to_string(), u.threshold),
            (
                "sensitivity",
                sensitivity_rule.clone(),
                by_sensitivity.threshold,
            ),
        ] {
            let m = metrics::evaluate(&y_dev, &oof, t)?;
            options.push(ThresholdOption {
                name: name.to_string(),
                rule: rule_text,
                threshold: t,
                sensitivity: m.sensitivity,
                specificity: m.specificity,
                icu: Some(icu_evaluation(parts, t, &uparams)?),
                default: t == threshold && (name == "utility") == (rule == ThresholdRule::Utility),
            });
        }
    }
    // The threshold table of the model page: every 0.01, and for time-series data (whose
    // calibrated risks are mostly a few percent) also 200 quantiles of the out-of-fold risks.
    let mut sweep = metrics::threshold_grid(metrics::GRID_STEPS)?;
    if series.is_some() {
        sweep.extend(quantile_thresholds(&oof, 200));
        sweep.sort_unstable_by(f64::total_cmp);
        sweep.dedup();
    }
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
        thresholds: metrics::threshold_table(&y_dev, &oof, &sweep)?,
        risk_histogram: RiskHistogram::from_scores(&y_dev, &oof, 20),
    };

    // 5. Final fit on all development rows.
    progress(&Progress {
        stage: "fitting final model".into(),
        done: 0,
        total: 1,
    });
    let pipeline = Pipeline::fit(
        &x_dev,
        &model_schema,
        &preprocess_for(family, &config.preprocess),
    )?;
    let xt = pipeline.transform(&x_dev)?;
    drop(x_dev);
    let (xb, yb) = sampling::balance(&xt, &y_dev, config.balance, Rng::derive(config.seed, 3))?;
    drop(xt);
    let model = Model::fit(&params, &xb, &yb, Rng::derive(config.seed, 4))?;
    drop((xb, yb));

    // 6. Held-out test.
    let mut test_icu = None;
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
        if let Some(s) = &series {
            let patient: Vec<usize> = test.iter().map(|&i| s.patient[i]).collect();
            let hours = pick(&test, &s.hours);
            let parts = per_patient(&patient, &yt, &p, &hours);
            test_icu = Some(icu_evaluation(&parts, threshold, &uparams)?);
        }
        Some(metrics::evaluate(&yt, &p, threshold)?)
    };

    // 7. Importances folded back onto the model's input features.
    let mut imp = vec![0.0; model_schema.features.len()];
    for (j, v) in model.feature_importances().iter().enumerate() {
        imp[pipeline.source_column(j)] += v;
    }
    let feature_importances = model_schema
        .features
        .iter()
        .zip(imp)
        .map(|(c, importance)| FeatureImportance {
            column: c.name.clone(),
            label: c.label.clone(),
            importance,
        })
        .collect();

    let time_series = match (&series, &dev_series, &dev_parts) {
        (Some(s), Some((dev_patient, _)), Some(parts)) => {
            let count = |idx: &mut dyn Iterator<Item = usize>| {
                let mut v: Vec<usize> = idx.collect();
                v.dedup();
                v.len()
            };
            let septic = {
                let mut v: Vec<usize> = s
                    .patient
                    .iter()
                    .zip(&y_all)
                    .filter(|(_, y)| **y)
                    .map(|(p, _)| *p)
                    .collect();
                v.dedup();
                v.len()
            };
            let pairs: Vec<(&[bool], &[f64])> = parts.iter().map(|(l, p, _)| (*l, *p)).collect();
            let curve = utility::utility_curve(&pairs, &sweep, &uparams)?
                .into_iter()
                .map(|u| (u.threshold, u.score.normalized))
                .collect();
            Some(TimeSeriesReport {
                features: s.features,
                patients: count(&mut s.patient.iter().copied()),
                septic_patients: septic,
                development_patients: count(&mut dev_patient.iter().copied()),
                test_patients: count(&mut test.iter().map(|&i| s.patient[i])),
                oof: icu_evaluation(parts, threshold, &uparams)?,
                test: test_icu,
                utility_curve: curve,
            })
        }
        _ => None,
    };

    let rows_with_errors = ds.rows.iter().filter(|r| !r.is_valid()).count();
    let rows_unlabelled = ds
        .rows
        .iter()
        .filter(|r| r.is_valid() && r.label.is_none())
        .count();
    let card = &schema.model_card;
    let policy_rule = match rule {
        ThresholdRule::Utility => utility_rule.to_string(),
        ThresholdRule::Sensitivity => sensitivity_rule,
    };
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
            rule: policy_rule,
            target_sensitivity: config.target_sensitivity,
            threshold,
            options,
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
        time_series,
    };
    bundle.check()?;
    progress(&Progress {
        stage: "done".into(),
        done: 1,
        total: 1,
    });
    Ok(TrainOutcome { bundle, searches })
}
