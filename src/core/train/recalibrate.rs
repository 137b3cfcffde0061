//! Recalibration on a hospital's own labelled data: the model's scores are kept as they are
//! (its ranking, hence its AUROC, does not change); its calibrator is fitted again on the local
//! data and its alert threshold, risk bands and figures are chosen again by the rules of
//! training (target sensitivity; the challenge's utility for time-series data).
//!
//! The figures "after" are honest: they are cross-fitted. The local rows are split into folds
//! (by patient for time-series data, so no patient's hours inform their own calibration);
//! each fold is scored by a calibrator fitted on the other folds, and the threshold is chosen
//! on those out-of-fold risks, as training does. The calibrator shipped in the new bundle is
//! then fitted on every local row. The bundle records its parent (hash), the local data's
//! summary and the method ([`Recalibration`]).

use crate::core::bundle::{ModelBundle, Prediction};
use crate::core::calibration::Calibrator;
use crate::core::config::{CalibrationMethod, ThresholdRule, TrainConfig};
use crate::core::dataset::Dataset;
use crate::core::lineage::{LocalData, OperatingSummary, Recalibration};
use crate::core::metrics::{self, BinStrategy};
use crate::core::predict;
use crate::core::rng::Rng;
use crate::core::sampling;
use crate::core::temporal;
use crate::core::utility::{self, UtilityParams};
use crate::core::{Error, Result};

use super::operating::{self, Calibrated};
use super::rows::per_patient;
use super::split::{Development, PatientHours};
use super::{SourceInfo, sha256_hex};

/// What a recalibration does.
#[derive(Debug, Clone, PartialEq)]
pub struct RecalibrateConfig {
    /// The calibrator to fit (Platt or isotonic; `none` keeps the model's raw scores).
    pub method: CalibrationMethod,
    /// Cross-fitting folds (2 to 50).
    pub folds: usize,
    /// Seed of the folds.
    pub seed: u64,
    /// The rule of the new threshold; None: the parent's rule.
    pub threshold_rule: Option<ThresholdRule>,
    /// Target sensitivity of the sensitivity rule; None: the parent's.
    pub target_sensitivity: Option<f64>,
}

impl Default for RecalibrateConfig {
    fn default() -> Self {
        RecalibrateConfig {
            method: CalibrationMethod::Platt,
            folds: 5,
            seed: 42,
            threshold_rule: None,
            target_sensitivity: None,
        }
    }
}

/// The scored, labelled local rows: label, the model's raw probability, the parent's
/// calibrated probability, and for time-series data each row's patient and hour (rows in
/// patient order, each patient's rows in time order).
struct Scored {
    y: Vec<bool>,
    raw: Vec<f64>,
    before: Vec<f64>,
    series: Option<PatientHours>,
}

impl Scored {
    fn collect(parent: &ModelBundle, ds: &Dataset, preds: &[Option<Prediction>]) -> Result<Self> {
        let mut s = Scored {
            y: Vec::new(),
            raw: Vec::new(),
            before: Vec::new(),
            series: None,
        };
        let push = |s: &mut Scored, r: usize| -> bool {
            match (ds.rows[r].label, &preds[r]) {
                (Some(label), Some(p)) => {
                    s.y.push(label);
                    s.raw.push(p.model_probability);
                    s.before.push(p.probability);
                    true
                }
                _ => false,
            }
        };
        let Some(spec) = &parent.schema.temporal else {
            for r in 0..ds.rows.len() {
                push(&mut s, r);
            }
            return Ok(s);
        };
        let time = parent
            .schema
            .feature_index(&spec.time_column)
            .ok_or_else(|| Error::Bundle(format!("no time column `{}`", spec.time_column)))?;
        let (order, patients) = temporal::patient_order(ds, time);
        let (mut patient, mut hours) = (Vec::new(), Vec::new());
        let mut used = 0;
        for p in &patients {
            let rows = &order[p.rows.clone()];
            let h =
                temporal::patient_hours(rows.iter().map(|&r| ds.rows[r].values.as_slice()), time);
            let before = s.y.len();
            for (&r, hour) in rows.iter().zip(h) {
                if push(&mut s, r) {
                    patient.push(used);
                    hours.push(hour);
                }
            }
            if s.y.len() > before {
                used += 1;
            }
        }
        s.series = Some((patient, hours));
        Ok(s)
    }

    fn patients(&self) -> Option<usize> {
        self.series
            .as_ref()
            .map(|(p, _)| p.last().map_or(0, |&last| last + 1))
    }
}

/// The figures of `p` (one probability per scored row) at `threshold`.
fn summary(s: &Scored, p: &[f64], threshold: f64) -> Result<OperatingSummary> {
    let icu = match &s.series {
        Some((patient, hours)) => Some(utility::evaluate_icu(
            &per_patient(patient, &s.y, p, hours),
            threshold,
            &UtilityParams::default(),
        )?),
        None => None,
    };
    Ok(OperatingSummary {
        threshold,
        metrics: metrics::evaluate(&s.y, p, threshold)?,
        ece: metrics::expected_calibration_error(&s.y, p, 10)?,
        calibration: metrics::calibration_curve(&s.y, p, 10, BinStrategy::Quantile)?,
        icu,
    })
}

/// How `bundle` does on the labelled dataset `ds` (validated against its schema) at its own
/// threshold: ECE, Brier score, sensitivity, specificity, PPV, AUROC, the calibration curve
/// and, for time-series data, utility and alerts per patient-day. Rows with errors, without a
/// label or below the minimum evidence are not counted (they have no score).
pub fn operating_summary(bundle: &ModelBundle, ds: &Dataset) -> Result<OperatingSummary> {
    let preds = predict::predict_dataset(bundle, ds)?;
    let s = Scored::collect(bundle, ds, &preds)?;
    if s.y.is_empty() {
        return Err(Error::InsufficientData(format!(
            "{}: no labelled row with a score",
            ds.source
        )));
    }
    summary(&s, &s.before, bundle.threshold)
}

fn pick<T: Copy>(idx: &[usize], v: &[T]) -> Vec<T> {
    idx.iter().map(|&i| v[i]).collect()
}

/// Recalibrates `parent` on the labelled dataset `ds` (validated against the parent's schema;
/// `source` names its files). Rows with errors, without a label or below the minimum evidence
/// are not used (they have no score). Deterministic: the same bundle, data and configuration
/// give a byte-identical bundle.
pub fn recalibrate(
    parent: &ModelBundle,
    ds: &Dataset,
    source: &SourceInfo,
    config: &RecalibrateConfig,
) -> Result<ModelBundle> {
    if !(2..=50).contains(&config.folds) {
        return Err(Error::param(
            "folds",
            format!("must be 2 to 50, got {}", config.folds),
        ));
    }
    if !ds.has_label_column {
        return Err(Error::Header(format!(
            "{}: no label column `{}`: recalibration needs labelled data",
            ds.source, ds.schema.label.name
        )));
    }
    let preds = predict::predict_dataset(parent, ds)?;
    let s = Scored::collect(parent, ds, &preds)?;
    let positives = s.y.iter().filter(|&&v| v).count();
    let insufficient = |e: Error| match e {
        Error::InsufficientData(m) => Error::InsufficientData(format!(
            "{}: {} scored labelled rows ({positives} positive): {m}",
            ds.source,
            s.y.len()
        )),
        other => other,
    };
    let fold_seed = Rng::derive(config.seed, 2);
    let folds = match &s.series {
        Some((patient, _)) => {
            sampling::stratified_group_kfold(&s.y, patient, config.folds, fold_seed)
        }
        None => sampling::stratified_kfold(&s.y, config.folds, fold_seed),
    }
    .map_err(insufficient)?;

    // Cross-fitted risks: each fold calibrated without its own rows.
    let mut after = vec![f64::NAN; s.y.len()];
    for f in &folds {
        let cal = operating::calibrate(
            config.method,
            &pick(&f.train, &s.raw),
            &pick(&f.train, &s.y),
        )
        .map_err(insufficient)?;
        for &i in &f.valid {
            after[i] = cal.calibrator.apply(s.raw[i]);
        }
    }
    let rule = config.threshold_rule.unwrap_or_else(|| {
        parent
            .training
            .config
            .effective_threshold_rule(&parent.schema)
    });
    let train_config = TrainConfig {
        target_sensitivity: config
            .target_sensitivity
            .unwrap_or(parent.threshold_policy.target_sensitivity),
        threshold_rule: Some(rule),
        ..parent.training.config.clone()
    };
    train_config.validate()?;
    let dev = Development {
        dev: (0..s.y.len()).collect(),
        test: Vec::new(),
        y: s.y.clone(),
        series: s.series.clone(),
        folds,
    };
    let oof = Calibrated {
        calibrator: Calibrator::Identity,
        oof: after,
    };
    let uparams = UtilityParams::default();
    let op = operating::choose_threshold(&dev, &s.raw, &oof, rule, &train_config, &uparams)?;
    let final_calibrator = operating::calibrate(config.method, &s.raw, &s.y)?.calibrator;

    let local = LocalData {
        source: source.name.clone(),
        sha256: source.sha256.clone(),
        rows_in_file: ds.rows.len(),
        rows_used: s.y.len(),
        patients: s.patients(),
        positives,
        prevalence: positives as f64 / s.y.len() as f64,
        dates: None,
    };
    let record = Recalibration {
        parent_sha256: sha256_hex(parent.to_json()?.as_bytes()),
        parent_title: parent.model_card.title.clone(),
        method: config.method,
        folds: config.folds,
        seed: config.seed,
        before: summary(&s, &s.before, parent.threshold)?,
        after: summary(&s, &oof.oof, op.threshold)?,
        local,
    };
    let mut b = parent.clone();
    b.calibrator = final_calibrator;
    b.threshold = op.threshold;
    b.threshold_policy = op.policy.clone();
    b.risk_bands = op.risk_bands.clone();
    b.oof_metrics = op.oof_metrics.clone();
    b.curves = op.curves.clone();
    // The parent's held-out figures describe its own calibrator on its own data.
    b.test_metrics = None;
    if let (Some(ts), Some(icu), Some(parts)) =
        (b.time_series.as_mut(), &op.icu, dev.patient_parts(&oof.oof))
    {
        ts.utility_curve = super::assemble::utility_curve(&parts, &op.sweep, &uparams)?;
        ts.patients = parts.len();
        ts.septic_patients = parts
            .iter()
            .filter(|(l, _, _)| l.iter().any(|&v| v))
            .count();
        ts.development_patients = parts.len();
        ts.test_patients = 0;
        ts.oof = icu.clone();
        ts.test = None;
    }
    b.model_card.title = format!(
        "{} — recalibrated on {}",
        parent.model_card.title, source.name
    );
    b.model_card.caveats.push(card_caveat(&record, parent));
    b.recalibration = Some(record);
    b.check()?;
    Ok(b)
}

/// The model card's statement of what recalibration changed and on which data.
fn card_caveat(r: &Recalibration, parent: &ModelBundle) -> String {
    let method = match r.method {
        CalibrationMethod::Platt => "Platt scaling",
        CalibrationMethod::Isotonic => "isotonic regression",
        CalibrationMethod::None => "no calibration (the model's raw scores)",
    };
    let patients = r
        .local
        .patients
        .map_or(String::new(), |p| format!(", {p} patients"));
    format!(
        "Recalibrated with {method} on local data ({}: {} rows used{patients}, prevalence {:.1} %; dates not recorded in the data). The model's scores are those of the parent bundle (sha256 {}…, trained on {}): its ranking of patients, hence its AUROC, is unchanged. Calibration, threshold, risk bands and the out-of-fold figures of this card are from the local data, cross-fitted over {} folds{}.",
        r.local.source,
        r.local.rows_used,
        100.0 * r.local.prevalence,
        &r.parent_sha256[..12],
        parent.training.source,
        r.folds,
        if r.local.patients.is_some() {
            " by patient"
        } else {
            ""
        }
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::dataset::patient_file_name;
    use crate::core::demo::{self, IcuDemoOptions};
    use crate::core::models::Family;
    use crate::core::{csv, files, schema};

    fn source(name: &str) -> SourceInfo {
        SourceInfo {
            name: name.into(),
            sha256: sha256_hex(name.as_bytes()),
        }
    }

    fn seed_dataset(text: &str) -> Dataset {
        let s = schema::builtin("seed").unwrap();
        Dataset::from_table(&csv::parse(text.as_bytes()).unwrap(), &s, "local.csv").unwrap()
    }

    /// A seed-schema parent trained on demo data, and "another hospital": other demo rows
    /// with most negatives dropped, so the parent's risks are too low there.
    fn seed_case() -> (ModelBundle, Dataset) {
        let s = schema::builtin("seed").unwrap();
        let train_ds = seed_dataset(&demo::demo_csv(&s, 300, 3).unwrap());
        let config = TrainConfig {
            folds: 3,
            families: vec![Family::Logistic],
            ..TrainConfig::default()
        };
        let parent = super::super::train(&train_ds, &source("a.csv"), &config, &mut |_| {})
            .unwrap()
            .bundle;
        let text = demo::demo_csv(&s, 900, 8).unwrap();
        let mut lines = text.lines();
        let header = lines.next().unwrap();
        let label = header.split(',').position(|h| h == "Sepssis").unwrap();
        let mut kept = vec![header.to_string()];
        for (i, l) in lines.enumerate() {
            let positive = l.split(',').nth(label) == Some("Positive");
            if positive || i % 3 == 0 {
                kept.push(l.to_string());
            }
        }
        (parent, seed_dataset(&(kept.join("\n") + "\n")))
    }

    #[test]
    fn recalibration_fixes_calibration_on_shifted_data_and_keeps_the_model() {
        let (parent, local) = seed_case();
        let config = RecalibrateConfig::default();
        let b = recalibrate(&parent, &local, &source("local.csv"), &config).unwrap();
        let r = b.recalibration.as_ref().unwrap();
        // The model and its inputs are the parent's; only the operating part changed.
        assert_eq!(b.model, parent.model);
        assert_eq!(b.pipeline, parent.pipeline);
        assert_eq!(b.schema, parent.schema);
        assert_ne!(b.calibrator, parent.calibrator);
        assert_eq!(
            r.parent_sha256,
            sha256_hex(parent.to_json().unwrap().as_bytes())
        );
        assert_eq!(r.local.rows_used, local.scorable_rows());
        assert!(r.local.prevalence > 0.45, "{}", r.local.prevalence);
        assert_eq!(r.local.patients, None);
        // The parent under-estimates risk where positives are common; the cross-fitted
        // recalibration brings the mean risk to the local prevalence and the ECE down.
        let mean = |m: &metrics::Metrics| m.positives as f64 / m.n as f64;
        assert_eq!(mean(&r.before.metrics), r.local.prevalence);
        assert!(
            r.after.ece < r.before.ece / 2.0,
            "ECE {} -> {}",
            r.before.ece,
            r.after.ece
        );
        assert!(r.after.metrics.brier < r.before.metrics.brier);
        // The threshold follows the training rule: sensitivity ≥ the target, cross-fitted.
        assert!(r.after.metrics.sensitivity >= parent.threshold_policy.target_sensitivity);
        assert_eq!(b.threshold, r.after.threshold);
        assert!(b.model_card.title.ends_with("recalibrated on local.csv"));
        assert!(
            b.model_card
                .caveats
                .last()
                .unwrap()
                .contains("AUROC, is unchanged")
        );
        assert_eq!(b.test_metrics, None);
        // A valid, deterministic bundle that round-trips.
        let json = b.to_json().unwrap();
        assert_eq!(ModelBundle::from_json(&json).unwrap(), b);
        let again = recalibrate(&parent, &local, &source("local.csv"), &config).unwrap();
        assert_eq!(again.to_json().unwrap(), json);
        // Predictions use the new calibrator and threshold.
        let preds = predict::predict_dataset(&b, &local).unwrap();
        let p = preds.iter().flatten().next().unwrap();
        assert_eq!(p.probability, b.calibrator.apply(p.model_probability));
        // Isotonic is offered too, and another seed gives other folds.
        let iso = RecalibrateConfig {
            method: CalibrationMethod::Isotonic,
            ..config.clone()
        };
        let bi = recalibrate(&parent, &local, &source("local.csv"), &iso).unwrap();
        assert!(matches!(bi.calibrator, Calibrator::Isotonic { .. }));
        let other = RecalibrateConfig { seed: 7, ..config };
        let bo = recalibrate(&parent, &local, &source("local.csv"), &other).unwrap();
        assert_ne!(bo.recalibration.unwrap().after, r.after);
    }

    #[test]
    fn icu_recalibration_is_cross_fitted_by_patient_with_patient_level_figures() {
        let parent = crate::core::bundle::ModelBundle::from_json(include_str!(
            "../../../assets/models/icu.json"
        ))
        .unwrap();
        let options = IcuDemoOptions {
            septic_fraction: 0.5,
            ..IcuDemoOptions::default()
        };
        let patients = demo::demo_icu_patients_with(&parent.schema, 30, 5, &options).unwrap();
        let files: Vec<(String, Vec<u8>)> = patients
            .iter()
            .map(|p| (patient_file_name(&p.id), p.psv.clone().into_bytes()))
            .collect();
        let ds = files::read_files(&files, &parent.schema, "other-hospital").unwrap();
        let b = recalibrate(
            &parent,
            &ds,
            &source("other-hospital"),
            &RecalibrateConfig::default(),
        )
        .unwrap();
        let r = b.recalibration.as_ref().unwrap();
        assert_eq!(r.local.patients, Some(30));
        let (before, after) = (
            r.before.icu.as_ref().unwrap(),
            r.after.icu.as_ref().unwrap(),
        );
        assert_eq!(before.patients, 30);
        assert_eq!(after.patients, 30);
        assert!(after.utility.is_finite() && after.alerts_per_patient_day.is_finite());
        let ts = b.time_series.as_ref().unwrap();
        assert_eq!(
            (ts.patients, ts.test_patients, ts.test.is_none()),
            (30, 0, true)
        );
        assert_eq!(&ts.oof, after);
        // The shipped threshold follows the parent's rule (utility for ICU data).
        let default = b
            .threshold_policy
            .options
            .iter()
            .find(|o| o.default)
            .unwrap();
        assert_eq!(default.name, "utility");
        assert_eq!(default.threshold, b.threshold);
        assert!(b.model_card.caveats.last().unwrap().contains("30 patients"));
        assert!(b.model_card.caveats.last().unwrap().contains("by patient"));
    }

    #[test]
    fn recalibration_needs_labels_and_enough_of_each_class() {
        let (parent, local) = seed_case();
        let bad_folds = RecalibrateConfig {
            folds: 1,
            ..RecalibrateConfig::default()
        };
        let e = recalibrate(&parent, &local, &source("l.csv"), &bad_folds).unwrap_err();
        assert!(
            matches!(e, Error::InvalidParameter { ref name, .. } if name == "folds"),
            "{e}"
        );
        let s = schema::builtin("seed").unwrap();
        let text = demo::demo_csv(&s, 40, 2).unwrap();
        let unlabelled: String = text
            .lines()
            .map(|l| l.rsplit_once(',').map_or(l, |(a, _)| a).to_string() + "\n")
            .collect();
        let e = recalibrate(
            &parent,
            &seed_dataset(&unlabelled),
            &source("u.csv"),
            &RecalibrateConfig::default(),
        )
        .unwrap_err();
        assert!(
            e.to_string().contains("recalibration needs labelled data"),
            "{e}"
        );
        // Three positives cannot fill five folds: the message names the file and the counts.
        let mut lines: Vec<&str> = text.lines().collect();
        let header = lines.remove(0);
        let few: Vec<&str> = lines
            .iter()
            .copied()
            .filter(|l| l.ends_with("Negative"))
            .chain(
                lines
                    .iter()
                    .copied()
                    .filter(|l| l.ends_with("Positive"))
                    .take(3),
            )
            .collect();
        let ds = seed_dataset(&(format!("{header}\n{}\n", few.join("\n"))));
        let e = recalibrate(
            &parent,
            &ds,
            &source("few.csv"),
            &RecalibrateConfig::default(),
        )
        .unwrap_err();
        let m = e.to_string();
        assert!(m.contains("local.csv") && m.contains("3 positive"), "{m}");
    }
}
