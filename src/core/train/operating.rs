//! Stages 4 and 5, calibrate and threshold: the selected family's out-of-fold probabilities
//! are calibrated, and the alert threshold, the risk bands, the out-of-fold metrics and the
//! model page's curves are chosen and computed on the calibrated out-of-fold risks.

use crate::core::Result;
use crate::core::bundle::{Curves, RiskHistogram, ThresholdOption, ThresholdPolicy};
use crate::core::calibration::Calibrator;
use crate::core::config::{CalibrationMethod, ThresholdRule, TrainConfig};
use crate::core::metrics::{self, BinStrategy, Metrics, RiskBand};
use crate::core::utility::{self, IcuEvaluation, UtilityParams, UtilityThreshold};

use super::rows::PatientPart;
use super::split::Development;

/// The rule text of the utility threshold.
const UTILITY_RULE: &str = "The threshold with the highest out-of-fold normalized utility score of the PhysioNet/CinC 2019 challenge (rewards alerts 12 to 3 hours before onset, penalises late and missed detections and, lightly, false alarms).";

/// The calibrator fitted on out-of-fold probabilities, and those probabilities calibrated.
#[derive(Debug, Clone, PartialEq)]
pub struct Calibrated {
    /// The fitted calibrator.
    pub calibrator: Calibrator,
    /// The calibrated out-of-fold probabilities, one per development row.
    pub oof: Vec<f64>,
}

/// Fits the calibrator of `method` on the out-of-fold probabilities `oof_raw` (labels `y`).
pub fn calibrate(method: CalibrationMethod, oof_raw: &[f64], y: &[bool]) -> Result<Calibrated> {
    let calibrator = match method {
        CalibrationMethod::Platt => Calibrator::fit_platt(oof_raw, y)?,
        CalibrationMethod::Isotonic => Calibrator::fit_isotonic(oof_raw, y)?,
        CalibrationMethod::None => Calibrator::Identity,
    };
    let oof = oof_raw.iter().map(|&p| calibrator.apply(p)).collect();
    Ok(Calibrated { calibrator, oof })
}

/// At most `n` distinct candidate thresholds spread over the quantiles of `p`.
pub fn quantile_thresholds(p: &[f64], n: usize) -> Vec<f64> {
    let mut v: Vec<f64> = p.iter().copied().filter(|x| x.is_finite()).collect();
    v.sort_unstable_by(f64::total_cmp);
    let mut out: Vec<f64> = (0..n)
        .filter_map(|k| v.get(k * v.len() / n.max(1)).copied())
        .collect();
    out.dedup();
    out
}

/// Best normalized utility of `all` (split into `parts` by patient) over 1000 thresholds at
/// its quantiles.
pub fn best_utility(
    parts: &[PatientPart],
    all: &[f64],
    params: &UtilityParams,
) -> Result<UtilityThreshold> {
    let pairs: Vec<(&[bool], &[f64])> = parts.iter().map(|(l, s, _)| (*l, *s)).collect();
    utility::threshold_for_utility(&pairs, &quantile_thresholds(all, 1000), params)
}

/// The operating point of the shipped model: threshold and its policy, risk bands, and what
/// the out-of-fold risks give.
#[derive(Debug, Clone, PartialEq)]
pub struct OperatingPoint {
    /// The shipped alert threshold.
    pub threshold: f64,
    /// How it was chosen, and the alternatives offered.
    pub policy: ThresholdPolicy,
    /// Low / intermediate / high risk bands.
    pub risk_bands: Vec<RiskBand>,
    /// Out-of-fold metrics at the threshold.
    pub oof_metrics: Metrics,
    /// Out-of-fold curves for the model page.
    pub curves: Curves,
    /// The thresholds of the model page's table (also those of the utility curve).
    pub sweep: Vec<f64>,
    /// Time-series data only: out-of-fold patient-level evaluation at the threshold.
    pub icu: Option<IcuEvaluation>,
}

/// The threshold by target sensitivity and, for time-series data, by utility; the shipped one
/// follows `rule`.
pub fn choose_threshold(
    dev: &Development,
    oof_raw: &[f64],
    cal: &Calibrated,
    rule: ThresholdRule,
    config: &TrainConfig,
    uparams: &UtilityParams,
) -> Result<OperatingPoint> {
    let (y, oof) = (&dev.y, &cal.oof);
    let by_sensitivity = metrics::threshold_for_sensitivity(y, oof, config.target_sensitivity)?;
    let sensitivity_rule = format!(
        "The highest threshold (fewest alerts) whose out-of-fold sensitivity is at least {:.2}.",
        config.target_sensitivity
    );
    let parts = dev.patient_parts(oof);
    let by_utility = match &parts {
        Some(parts) => Some(best_utility(parts, oof, uparams)?),
        None => None,
    };
    let threshold = match (rule, &by_utility) {
        (ThresholdRule::Utility, Some(u)) => u.threshold,
        _ => by_sensitivity.threshold,
    };
    let mut options = Vec::new();
    if let (Some(u), Some(parts)) = (&by_utility, &parts) {
        for (name, rule_text, t) in [
            ("utility", UTILITY_RULE.to_string(), u.threshold),
            (
                "sensitivity",
                sensitivity_rule.clone(),
                by_sensitivity.threshold,
            ),
        ] {
            let m = metrics::evaluate(y, oof, t)?;
            options.push(ThresholdOption {
                name: name.to_string(),
                rule: rule_text,
                threshold: t,
                sensitivity: m.sensitivity,
                specificity: m.specificity,
                icu: Some(utility::evaluate_icu(parts, t, uparams)?),
                default: t == threshold && (name == "utility") == (rule == ThresholdRule::Utility),
            });
        }
    }
    let sweep = threshold_sweep(oof, dev.series.is_some())?;
    let icu = match &parts {
        Some(parts) => Some(utility::evaluate_icu(parts, threshold, uparams)?),
        None => None,
    };
    Ok(OperatingPoint {
        threshold,
        policy: ThresholdPolicy {
            rule: match rule {
                ThresholdRule::Utility => UTILITY_RULE.to_string(),
                ThresholdRule::Sensitivity => sensitivity_rule,
            },
            target_sensitivity: config.target_sensitivity,
            threshold,
            options,
        },
        risk_bands: metrics::risk_bands(y, oof, threshold, config.rule_out_sensitivity)?,
        oof_metrics: metrics::evaluate(y, oof, threshold)?,
        curves: curves(y, oof_raw, oof, &sweep)?,
        sweep,
        icu,
    })
}

/// The threshold table of the model page: every 0.01, and for time-series data (whose
/// calibrated risks are mostly a few percent) also 200 quantiles of the out-of-fold risks.
fn threshold_sweep(oof: &[f64], time_series: bool) -> Result<Vec<f64>> {
    let mut sweep = metrics::threshold_grid(metrics::GRID_STEPS)?;
    if time_series {
        sweep.extend(quantile_thresholds(oof, 200));
        sweep.sort_unstable_by(f64::total_cmp);
        sweep.dedup();
    }
    Ok(sweep)
}

/// The model page's out-of-fold curves.
fn curves(y: &[bool], oof_raw: &[f64], oof: &[f64], sweep: &[f64]) -> Result<Curves> {
    Ok(Curves {
        roc: metrics::downsample_curve(&metrics::roc_curve(y, oof)?, 200)?,
        pr: metrics::downsample_curve(&metrics::pr_curve(y, oof)?, 200)?,
        calibration: metrics::calibration_curve(y, oof, 10, BinStrategy::Quantile)?,
        calibration_uncalibrated: metrics::calibration_curve(
            y,
            oof_raw,
            10,
            BinStrategy::Quantile,
        )?,
        thresholds: metrics::threshold_table(y, oof, sweep)?,
        risk_histogram: RiskHistogram::from_scores(y, oof, 20),
    })
}
