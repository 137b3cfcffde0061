//! The PhysioNet/Computing in Cardiology Challenge 2019 clinical utility score, as defined by
//! the challenge's official `evaluate_sepsis_score.py` (`compute_prediction_utility` and the
//! normalisation in `evaluate_scores`), plus threshold choice by utility and the ICU
//! evaluation figures reported by `evaluate --json`.
//!
//! # Definition
//!
//! One patient is a time series of hourly rows `t = 0..n` with a label and a binary prediction
//! (alert) per row. The patient is septic iff any label is `true`. The challenge's labels are
//! shifted 6 hours early, so the onset row is
//! `t_sepsis = (index of the first true label) - dt_optimal` (with the default
//! `dt_optimal = -6`: first positive label + 6); see [`onset_row`]. With
//!
//! ```text
//! m_1 = max_u_tp / (dt_optimal - dt_early)   b_1 = -m_1 * dt_early
//! m_2 = -max_u_tp / (dt_late - dt_optimal)   b_2 = -m_2 * dt_late
//! m_3 = min_u_fn / (dt_late - dt_optimal)    b_3 = -m_3 * dt_optimal
//! ```
//!
//! and `d = t - t_sepsis`, the utility of row `t` is
//!
//! | patient | row | alert | no alert |
//! |---|---|---|---|
//! | not septic | any | `u_fp` | `u_tn` |
//! | septic | `d <= dt_optimal` | `max(m_1 d + b_1, u_fp)` | `0` |
//! | septic | `dt_optimal < d <= dt_late` | `m_2 d + b_2` | `m_3 d + b_3` |
//! | septic | `d > dt_late` | `0` | `0` |
//!
//! (every comparison inclusive exactly as in the official script) and a patient's utility is
//! the sum over its rows ([`patient_utility`]). With the challenge's parameters
//! ([`UtilityParams::default`]): an alert earns `0` at 12 h before onset rising linearly to
//! `1` at 6 h before onset, then falls linearly to `0` at 3 h after onset; alerts earlier than
//! 12 h before onset (and every alert in a non-septic patient) cost `0.05`; a missing alert
//! costs nothing up to 6 h before onset, then linearly more, up to `2` at 3 h after onset;
//! nothing after 3 h past onset counts.
//!
//! Over a cohort ([`normalized_utility`]):
//! `normalized = (observed - inaction) / (best - inaction)` where `observed` sums the
//! patients' utilities of the given predictions, `inaction` of all-`false` predictions and
//! `best` of the best predictions ([`best_predictions`]: in a septic patient alert exactly on
//! rows `t_sepsis + dt_early ..= t_sepsis + dt_late` clipped to the series, Python's
//! `best[max(0, t_sepsis + dt_early) : min(t_sepsis + dt_late + 1, n)] = 1`; never alert in a
//! non-septic patient). So the best predictions score `1` and no alerts score `0`.
//!
//! Time in the utility score is the *row index*, as in the challenge (its rows are hourly).
//! Only [`evaluate_icu`]'s detection figures use the rows' ICU hours (`ICULOS`).
//!
//! # Conventions
//!
//! A row alerts iff `score >= threshold` (as in [`crate::core::metrics`]). Patients are passed
//! as tuples of anything that views as slices (`&[bool]`, `Vec<bool>`, ...), in the order
//! `(labels, predictions)`, `(labels, scores)` or `(labels, scores, iculos_hours)`. Every
//! function validates its input and returns an [`Error`] instead of panicking; every returned
//! number is finite.

use serde::{Deserialize, Serialize};

use super::stats::{check_threshold, median};
use super::{Error, Result, metrics};

/// Hours of the challenge's label shift: the label turns positive 6 h before onset
/// (`-dt_optimal` with the default parameters).
pub const LABEL_SHIFT_HOURS: f64 = 6.0;

// ---------------------------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------------------------

/// The utility function's parameters. Times are in rows (hours) relative to the onset row
/// `t_sepsis`; they are whole numbers because the series is hourly and the official best
/// predictions are a slice of rows. [`Default`] gives the challenge's values.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct UtilityParams {
    /// Earliest beneficial alert, relative to onset (challenge: `-12`).
    pub dt_early: i32,
    /// Optimal alert time relative to onset (challenge: `-6`); also the label shift:
    /// `t_sepsis = first positive label - dt_optimal`.
    pub dt_optimal: i32,
    /// Latest beneficial alert relative to onset (challenge: `3`).
    pub dt_late: i32,
    /// Reward of an alert at the optimal time (challenge: `1`).
    pub max_u_tp: f64,
    /// Penalty of a missed alert at `dt_late` (challenge: `-2`).
    pub min_u_fn: f64,
    /// Utility of a false alarm (challenge: `-0.05`); also the floor of a too-early alert.
    pub u_fp: f64,
    /// Utility of a true negative row (challenge: `0`).
    pub u_tn: f64,
}

impl Default for UtilityParams {
    /// The PhysioNet/CinC 2019 challenge's values: `dt_early = -12`, `dt_optimal = -6`,
    /// `dt_late = 3`, `max_u_tp = 1`, `min_u_fn = -2`, `u_fp = -0.05`, `u_tn = 0`.
    fn default() -> Self {
        UtilityParams {
            dt_early: -12,
            dt_optimal: -6,
            dt_late: 3,
            max_u_tp: 1.0,
            min_u_fn: -2.0,
            u_fp: -0.05,
            u_tn: 0.0,
        }
    }
}

impl UtilityParams {
    /// Checks the official script's conditions (`dt_early < dt_optimal < dt_late`) and that
    /// every utility is finite.
    pub fn validate(&self) -> Result<()> {
        if self.dt_early >= self.dt_optimal {
            return Err(Error::param(
                "dt_early",
                format!(
                    "must be before dt_optimal ({} >= {})",
                    self.dt_early, self.dt_optimal
                ),
            ));
        }
        if self.dt_optimal >= self.dt_late {
            return Err(Error::param(
                "dt_optimal",
                format!(
                    "must be before dt_late ({} >= {})",
                    self.dt_optimal, self.dt_late
                ),
            ));
        }
        for (name, v) in [
            ("max_u_tp", self.max_u_tp),
            ("min_u_fn", self.min_u_fn),
            ("u_fp", self.u_fp),
            ("u_tn", self.u_tn),
        ] {
            if !v.is_finite() {
                return Err(Error::param(name, format!("must be finite, got {v}")));
            }
        }
        Ok(())
    }
}

/// Validated parameters with the slopes and intercepts of the three utility lines.
#[derive(Debug, Clone, Copy)]
struct Scorer {
    p: UtilityParams,
    m1: f64,
    b1: f64,
    m2: f64,
    b2: f64,
    m3: f64,
    b3: f64,
}

/// Sums of one patient's (or a cohort's) row utilities.
#[derive(Debug, Clone, Copy, Default)]
struct Totals {
    observed: f64,
    best: f64,
    inaction: f64,
}

impl Totals {
    fn add(&mut self, o: Totals) {
        self.observed += o.observed;
        self.best += o.best;
        self.inaction += o.inaction;
    }
}

impl Scorer {
    fn new(p: &UtilityParams) -> Result<Self> {
        p.validate()?;
        let (early, optimal, late) = (
            f64::from(p.dt_early),
            f64::from(p.dt_optimal),
            f64::from(p.dt_late),
        );
        // The official script's expressions, in the same order.
        let m1 = p.max_u_tp / (optimal - early);
        let b1 = -m1 * early;
        let m2 = -p.max_u_tp / (late - optimal);
        let b2 = -m2 * late;
        let m3 = p.min_u_fn / (late - optimal);
        let b3 = -m3 * optimal;
        Ok(Scorer {
            p: *p,
            m1,
            b1,
            m2,
            b2,
            m3,
            b3,
        })
    }

    /// Utility of row `t` given the onset row (`None` = not septic) and the prediction.
    fn row(&self, t_sepsis: Option<i64>, t: i64, pred: bool) -> f64 {
        let Some(ts) = t_sepsis else {
            return if pred { self.p.u_fp } else { self.p.u_tn };
        };
        let d = t - ts;
        if d > i64::from(self.p.dt_late) {
            0.0
        } else if d <= i64::from(self.p.dt_optimal) {
            if pred {
                (self.m1 * d as f64 + self.b1).max(self.p.u_fp)
            } else {
                0.0
            }
        } else if pred {
            self.m2 * d as f64 + self.b2
        } else {
            self.m3 * d as f64 + self.b3
        }
    }

    /// Whether the best predictions alert on row `t`.
    fn best(&self, t_sepsis: Option<i64>, t: i64) -> bool {
        t_sepsis.is_some_and(|ts| {
            let d = t - ts;
            d >= i64::from(self.p.dt_early) && d <= i64::from(self.p.dt_late)
        })
    }

    fn t_sepsis(&self, labels: &[bool]) -> Option<i64> {
        onset_row(labels, &self.p)
    }

    /// Observed, best and inaction utilities of one patient. `preds` yields one prediction
    /// per label (lengths are checked by the callers).
    fn totals(&self, labels: &[bool], preds: impl Iterator<Item = bool>) -> Totals {
        let ts = self.t_sepsis(labels);
        let mut out = Totals::default();
        for (t, pred) in preds.take(labels.len()).enumerate() {
            let t = t as i64;
            out.observed += self.row(ts, t, pred);
            out.best += self.row(ts, t, self.best(ts, t));
            out.inaction += self.row(ts, t, false);
        }
        out
    }
}

// ---------------------------------------------------------------------------------------------
// Validation helpers
// ---------------------------------------------------------------------------------------------

fn check_len(what: &str, patient: Option<usize>, labels: usize, got: usize) -> Result<()> {
    if labels == got {
        return Ok(());
    }
    let whose = match patient {
        Some(i) => format!("patient {i}: "),
        None => String::new(),
    };
    Err(Error::param(
        what,
        format!("{whose}{got} {what} for {labels} labels (lengths must match)"),
    ))
}

fn check_finite(what: &str, patient: usize, values: &[f64]) -> Result<()> {
    match values.iter().position(|v| !v.is_finite()) {
        None => Ok(()),
        Some(i) => Err(Error::param(
            what,
            format!(
                "patient {patient}: value at row {i} is not finite ({})",
                values[i]
            ),
        )),
    }
}

fn check_patients(n: usize) -> Result<()> {
    if n == 0 {
        Err(Error::InsufficientData("no patients".into()))
    } else {
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// One patient
// ---------------------------------------------------------------------------------------------

/// The challenge's onset row `t_sepsis = (index of the first true label) - dt_optimal`, i.e.
/// with the default parameters 6 rows after the first positive label; `None` if the patient
/// is not septic (no true label). It may lie beyond the last row.
pub fn onset_row(labels: &[bool], params: &UtilityParams) -> Option<i64> {
    // A slice length is at most `isize::MAX`, so the index fits in `i64`.
    labels
        .iter()
        .position(|&b| b)
        .map(|f| f as i64 - i64::from(params.dt_optimal))
}

/// The utility of one patient's predictions (the official `compute_prediction_utility`):
/// the sum of the row utilities in the module documentation's table. An empty series scores
/// `0`.
///
/// Errors if the lengths differ or the parameters are invalid.
pub fn patient_utility(
    labels: &[bool],
    predictions: &[bool],
    params: &UtilityParams,
) -> Result<f64> {
    let scorer = Scorer::new(params)?;
    check_len("predictions", None, labels.len(), predictions.len())?;
    let u = scorer.totals(labels, predictions.iter().copied()).observed;
    if u.is_finite() {
        Ok(u)
    } else {
        Err(Error::Numerical("utility is not finite".into()))
    }
}

/// The official best predictions of one patient: `true` exactly on rows
/// `t_sepsis + dt_early ..= t_sepsis + dt_late` (clipped to the series) of a septic patient,
/// all `false` for a non-septic patient.
///
/// Errors if the parameters are invalid.
pub fn best_predictions(labels: &[bool], params: &UtilityParams) -> Result<Vec<bool>> {
    let scorer = Scorer::new(params)?;
    let ts = scorer.t_sepsis(labels);
    Ok((0..labels.len())
        .map(|t| scorer.best(ts, t as i64))
        .collect())
}

// ---------------------------------------------------------------------------------------------
// Cohort
// ---------------------------------------------------------------------------------------------

/// A cohort's normalized utility and the three sums it is made of.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct UtilityScore {
    /// `(observed - inaction) / (best - inaction)`: `1` for the best predictions, `0` for no
    /// alerts, negative when worse than never alerting.
    pub normalized: f64,
    /// Sum of the patients' utilities of the evaluated predictions.
    pub observed: f64,
    /// Sum of the patients' utilities of the best predictions.
    pub best: f64,
    /// Sum of the patients' utilities of all-`false` predictions.
    pub inaction: f64,
}

/// Builds the score; errors unless everything is finite and `best > inaction` (which with
/// the default parameters holds iff some patient is septic).
fn finish(observed: f64, best: f64, inaction: f64) -> Result<UtilityScore> {
    if !(observed.is_finite() && best.is_finite() && inaction.is_finite()) {
        return Err(Error::Numerical("utility sums are not finite".into()));
    }
    // Not NaN, as both terms are finite (an overflow to infinity is caught below).
    let denominator = best - inaction;
    if denominator <= 0.0 {
        return Err(Error::InsufficientData(format!(
            "the normalized utility is undefined: the best predictions ({best}) do not beat \
             inaction ({inaction}); is any patient septic?"
        )));
    }
    let normalized = (observed - inaction) / denominator;
    if !normalized.is_finite() {
        return Err(Error::Numerical("normalized utility is not finite".into()));
    }
    Ok(UtilityScore {
        normalized,
        observed,
        best,
        inaction,
    })
}

/// The challenge's normalized utility of a cohort; each patient is `(labels, predictions)`.
///
/// Errors if there are no patients, a patient's lengths differ, the parameters are invalid,
/// or the score is undefined (`best <= inaction`, e.g. no septic patient).
pub fn normalized_utility<L: AsRef<[bool]>, P: AsRef<[bool]>>(
    patients: &[(L, P)],
    params: &UtilityParams,
) -> Result<UtilityScore> {
    let scorer = Scorer::new(params)?;
    check_patients(patients.len())?;
    let mut sum = Totals::default();
    for (i, (labels, preds)) in patients.iter().enumerate() {
        let (labels, preds) = (labels.as_ref(), preds.as_ref());
        check_len("predictions", Some(i), labels.len(), preds.len())?;
        sum.add(scorer.totals(labels, preds.iter().copied()));
    }
    finish(sum.observed, sum.best, sum.inaction)
}

// ---------------------------------------------------------------------------------------------
// Threshold choice
// ---------------------------------------------------------------------------------------------

/// The normalized utility when alerting iff `score >= threshold`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct UtilityThreshold {
    /// Alert iff `score >= threshold`.
    pub threshold: f64,
    /// The cohort's utility at this threshold.
    pub score: UtilityScore,
}

/// Neumaier-compensated running sum.
#[derive(Debug, Clone, Copy, Default)]
struct Sum {
    sum: f64,
    comp: f64,
}

impl Sum {
    fn add(&mut self, x: f64) {
        let t = self.sum + x;
        if self.sum.abs() >= x.abs() {
            self.comp += (self.sum - t) + x;
        } else {
            self.comp += (x - t) + self.sum;
        }
        self.sum = t;
    }

    fn value(&self) -> f64 {
        self.sum + self.comp
    }
}

/// The cohort's normalized utility at every threshold in `thresholds` (same order); each
/// patient is `(labels, scores)` and a row alerts iff `score >= threshold`.
///
/// A row's utility depends only on its own prediction, so the observed utility is
/// `inaction + sum of (u(alert) - u(no alert))` over the alerting rows. The rows are sorted by
/// score once and those gains summed cumulatively (compensated), so the whole curve costs
/// `O(N log N + C log N)` for `N` rows and `C` thresholds. The values equal
/// [`normalized_utility`] of the thresholded predictions up to floating-point rounding, and
/// thresholds that give the same alerts give bit-identical values.
///
/// Errors if there are no patients or thresholds, a threshold or score is not finite, a
/// patient's lengths differ, the parameters are invalid, or the score is undefined.
pub fn utility_curve<L: AsRef<[bool]>, S: AsRef<[f64]>>(
    patients: &[(L, S)],
    thresholds: &[f64],
    params: &UtilityParams,
) -> Result<Vec<UtilityThreshold>> {
    let scorer = Scorer::new(params)?;
    check_patients(patients.len())?;
    if thresholds.is_empty() {
        return Err(Error::param("thresholds", "no candidate thresholds"));
    }
    for &t in thresholds {
        check_threshold("thresholds", t)?;
    }
    let n_rows: usize = patients.iter().map(|(l, _)| l.as_ref().len()).sum();
    // (score, gain of alerting) for every row whose gain is not zero.
    let mut rows: Vec<(f64, f64)> = Vec::with_capacity(n_rows);
    let mut inaction = 0.0;
    let mut best_gain = Sum::default();
    for (i, (labels, scores)) in patients.iter().enumerate() {
        let (labels, scores) = (labels.as_ref(), scores.as_ref());
        check_len("scores", Some(i), labels.len(), scores.len())?;
        check_finite("scores", i, scores)?;
        let ts = scorer.t_sepsis(labels);
        for (t, &s) in scores.iter().enumerate() {
            let t = t as i64;
            let no = scorer.row(ts, t, false);
            let gain = scorer.row(ts, t, true) - no;
            inaction += no;
            if scorer.best(ts, t) {
                best_gain.add(gain);
            }
            if gain != 0.0 {
                rows.push((s, gain));
            }
        }
    }
    rows.sort_unstable_by(|a, b| b.0.total_cmp(&a.0));
    // prefix[k] = total gain of the k highest-scoring rows.
    let mut prefix = Vec::with_capacity(rows.len() + 1);
    let mut acc = Sum::default();
    prefix.push(0.0);
    for &(_, g) in &rows {
        acc.add(g);
        prefix.push(acc.value());
    }
    let best_gain = best_gain.value();
    let best = inaction + best_gain;
    // Validates the denominator once (and reports it like `normalized_utility` does).
    finish(inaction, best, inaction)?;
    thresholds
        .iter()
        .map(|&threshold| {
            let k = rows.partition_point(|r| r.0 >= threshold);
            let gain = prefix[k];
            let normalized = gain / best_gain;
            let observed = inaction + gain;
            if !(normalized.is_finite() && observed.is_finite()) {
                return Err(Error::Numerical("utility is not finite".into()));
            }
            Ok(UtilityThreshold {
                threshold,
                score: UtilityScore {
                    normalized,
                    observed,
                    best,
                    inaction,
                },
            })
        })
        .collect()
}

/// The candidate threshold with the highest normalized utility (see [`utility_curve`]); ties
/// go to the higher threshold (fewer alerts). Each patient is `(labels, scores)`.
///
/// Errors as [`utility_curve`].
pub fn threshold_for_utility<L: AsRef<[bool]>, S: AsRef<[f64]>>(
    patients: &[(L, S)],
    candidates: &[f64],
    params: &UtilityParams,
) -> Result<UtilityThreshold> {
    let curve = utility_curve(patients, candidates, params)?;
    curve
        .into_iter()
        .reduce(|best, c| {
            let better = c.score.normalized > best.score.normalized
                || (c.score.normalized == best.score.normalized && c.threshold > best.threshold);
            if better { c } else { best }
        })
        .ok_or_else(|| Error::param("candidates", "no candidate thresholds"))
}

// ---------------------------------------------------------------------------------------------
// ICU evaluation
// ---------------------------------------------------------------------------------------------

/// The ICU figures `evaluate --json` adds at one alert threshold (see [`evaluate_icu`] for
/// the exact definitions).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IcuEvaluation {
    /// The challenge's normalized utility of alerting iff `score >= threshold`.
    pub utility: f64,
    /// Number of patients.
    pub patients: usize,
    /// Patients with at least one positive label.
    pub septic_patients: usize,
    /// Septic patients whose first alert is at or before onset + `dt_late` hours.
    pub detected_patients: usize,
    /// Alerting rows per 24 rows (hourly rows: alert-hours per patient-day), over all
    /// patients.
    pub alerts_per_patient_day: f64,
    /// Median over detected patients of onset hour minus the hour of the first alert
    /// (positive = before onset); `None` when no patient is detected.
    pub median_hours_early: Option<f64>,
    /// AUROC of the positive hours against every hour of the patients who never become septic.
    /// Does not depend on the threshold; `None` without both kinds of hours.
    #[serde(default)]
    pub auroc_vs_non_septic: Option<f64>,
    /// Within one septic patient's stay: the probability that a positive hour (from 6 h before
    /// onset on) scores above a negative hour of the same patient (with the challenge's labels,
    /// an earlier hour; ties count one half), over all such pairs of all septic patients; the
    /// question is "does the risk rise at the right time?". Does not depend on the threshold;
    /// `None` when no septic patient has both kinds of hours.
    #[serde(default)]
    pub auroc_within_septic: Option<f64>,
}

/// ICU evaluation at `threshold`; each patient is `(labels, scores, iculos_hours)`, one entry
/// per hourly row in time order, where `iculos_hours` is the row's hours since ICU admission
/// (PhysioNet's `ICULOS`). A row alerts iff `score >= threshold`.
///
/// Definitions:
/// - `utility`: [`normalized_utility`] of the alerts (time = row index, as in the challenge);
/// - onset hour of a septic patient = ICU hour of its first positive label + `-dt_optimal`
///   (6 h: the labels are shifted 6 h early), i.e. the hour of the challenge's `t_sepsis`;
/// - a septic patient is *detected* iff its first alert is at or before onset + `dt_late`
///   hours (3 h, the challenge's latest useful alert). There is no lower limit: an alert
///   more than `-dt_early` (12) hours before onset still counts as a detection (it gets no
///   reward in the utility score);
/// - hours early = onset hour - ICU hour of the first alert (positive = before onset, at least
///   `-dt_late`); `median_hours_early` is its median over detected patients;
/// - `alerts_per_patient_day` = alerting rows / all rows x 24, over all patients (septic
///   patients' rows after onset included): alert-hours per 24 patient-hours;
/// - `auroc_vs_non_septic` and `auroc_within_septic` split the hour-level AUROC by the kind of
///   negative hour (see their fields); they do not depend on the threshold.
///
/// Errors if there are no patients or no rows, lengths differ, a score or hour is not finite,
/// hours decrease within a patient, the threshold is not finite, the parameters are invalid,
/// or the utility is undefined (no septic patient).
pub fn evaluate_icu<L: AsRef<[bool]>, S: AsRef<[f64]>, H: AsRef<[f64]>>(
    patients: &[(L, S, H)],
    threshold: f64,
    params: &UtilityParams,
) -> Result<IcuEvaluation> {
    let scorer = Scorer::new(params)?;
    check_patients(patients.len())?;
    check_threshold("threshold", threshold)?;
    let mut sum = Totals::default();
    let (mut rows, mut alerts, mut septic) = (0usize, 0usize, 0usize);
    let mut early = Vec::new();
    // Hours for the AUROC against never-septic patients: positive hours and never-septic hours.
    let (mut between_y, mut between_p) = (Vec::new(), Vec::new());
    // Within septic patients: sum over patients of AUROC x pairs, and the pairs.
    let (mut within_sum, mut within_pairs) = (0.0_f64, 0.0_f64);
    for (i, (labels, scores, hours)) in patients.iter().enumerate() {
        let (labels, scores, hours) = (labels.as_ref(), scores.as_ref(), hours.as_ref());
        check_len("scores", Some(i), labels.len(), scores.len())?;
        check_len("hours", Some(i), labels.len(), hours.len())?;
        check_finite("scores", i, scores)?;
        check_finite("hours", i, hours)?;
        if let Some(r) = hours.windows(2).position(|w| w[1] < w[0]) {
            return Err(Error::param(
                "hours",
                format!(
                    "patient {i}: ICU hours decrease at row {} ({} after {})",
                    r + 1,
                    hours[r + 1],
                    hours[r]
                ),
            ));
        }
        sum.add(scorer.totals(labels, scores.iter().map(|&s| s >= threshold)));
        rows += labels.len();
        alerts += scores.iter().filter(|&&s| s >= threshold).count();
        let positives = labels.iter().filter(|&&b| b).count();
        let negatives = labels.len() - positives;
        if positives == 0 {
            between_y.extend_from_slice(labels);
            between_p.extend_from_slice(scores);
        } else {
            for (&l, &s) in labels.iter().zip(scores).filter(|(l, _)| **l) {
                between_y.push(l);
                between_p.push(s);
            }
            if negatives > 0 {
                let pairs = positives as f64 * negatives as f64;
                within_sum += metrics::roc_auc(labels, scores)? * pairs;
                within_pairs += pairs;
            }
        }
        if let Some(first_label) = labels.iter().position(|&b| b) {
            septic += 1;
            let onset = hours[first_label] - f64::from(params.dt_optimal);
            if let Some(first_alert) = scores.iter().position(|&s| s >= threshold) {
                let alert_hour = hours[first_alert];
                if alert_hour <= onset + f64::from(params.dt_late) {
                    early.push(onset - alert_hour);
                }
            }
        }
    }
    if rows == 0 {
        return Err(Error::InsufficientData("no rows".into()));
    }
    let score = finish(sum.observed, sum.best, sum.inaction)?;
    let detected = early.len();
    let median_hours_early = median(&mut early);
    if median_hours_early.is_some_and(|m| !m.is_finite()) {
        return Err(Error::Numerical("hours early are not finite".into()));
    }
    Ok(IcuEvaluation {
        utility: score.normalized,
        patients: patients.len(),
        septic_patients: septic,
        detected_patients: detected,
        alerts_per_patient_day: alerts as f64 / rows as f64 * 24.0,
        median_hours_early,
        auroc_vs_non_septic: if between_y.iter().any(|&b| b) && between_y.iter().any(|&b| !b) {
            Some(metrics::roc_auc(&between_y, &between_p)?)
        } else {
            None
        },
        auroc_within_septic: (within_pairs > 0.0).then(|| within_sum / within_pairs),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const EPS: f64 = 1e-12;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= EPS * (1.0 + b.abs())
    }

    macro_rules! assert_close {
        ($a:expr, $b:expr) => {{
            let (a, b) = ($a, $b);
            assert!(close(a, b), "{a} != {b}");
        }};
    }

    fn d() -> UtilityParams {
        UtilityParams::default()
    }

    /// `n` rows, alerting exactly on the rows in `on`.
    fn alerts(n: usize, on: impl IntoIterator<Item = usize>) -> Vec<bool> {
        let mut v = vec![false; n];
        for t in on {
            v[t] = true;
        }
        v
    }

    /// The hand-worked septic patient: 30 rows, labels true from index 14, so
    /// `t_sepsis = 14 + 6 = 20`.
    fn septic30() -> Vec<bool> {
        (0..30).map(|t| t >= 14).collect()
    }

    // With the default parameters (d = t - t_sepsis):
    //   m_1 = 1 / (-6 + 12) = 1/6,  b_1 = -(1/6)(-12) = 2
    //   m_2 = -1 / (3 + 6) = -1/9,  b_2 = (1/9)(3) = 1/3
    //   m_3 = -2 / 9,               b_3 = -(-2/9)(-6) = -4/3
    // alert,    d <= -6:      max(d/6 + 2, -0.05): d = -12 -> 0, -11 -> 1/6, ..., -6 -> 1;
    //                         d <= -13 -> -0.05
    // alert,    -6 < d <= 3:  (3 - d)/9:  d = -5 -> 8/9, ..., d = 3 -> 0
    // no alert, -6 < d <= 3:  -(2/9)(d + 6): d = -5 -> -2/9, ..., d = 3 -> -2
    // d > 3: 0 either way.
    // Missing everything: -(2/9)(1 + 2 + ... + 9) = -(2/9)(45) = -10.

    #[test]
    fn lines_match_the_hand_worked_values() {
        let s = Scorer::new(&d()).unwrap();
        assert_close!(s.m1, 1.0 / 6.0);
        assert_close!(s.b1, 2.0);
        assert_close!(s.m2, -1.0 / 9.0);
        assert_close!(s.b2, 1.0 / 3.0);
        assert_close!(s.m3, -2.0 / 9.0);
        assert_close!(s.b3, -4.0 / 3.0);
        assert_eq!(onset_row(&septic30(), &d()), Some(20));
        assert_eq!(onset_row(&[false; 5], &d()), None);
    }

    #[test]
    fn non_septic_patient() {
        let labels = vec![false; 20];
        // No alarms: 20 true negatives x 0 = 0.
        assert_eq!(patient_utility(&labels, &[false; 20], &d()).unwrap(), 0.0);
        // 10 false alarms: 10 x (-0.05) = -0.5.
        let p = alerts(20, 0..10);
        assert_close!(patient_utility(&labels, &p, &d()).unwrap(), -0.5);
        // Best predictions never alert.
        assert_eq!(best_predictions(&labels, &d()).unwrap(), vec![false; 20]);
    }

    #[test]
    fn septic_patient_hand_worked() {
        let y = septic30();
        let u = |p: &[bool]| patient_utility(&y, p, &d()).unwrap();
        // (a) alarms from the first positive label (t = 14, d = -6) onward:
        //     t = 14: 1; t = 15..=23: (8 + 7 + ... + 0)/9 = 36/9 = 4; t >= 24: 0  -> 5.
        assert_close!(u(&alerts(30, 14..30)), 5.0);
        // (b) one early alarm at t = 5 (d = -15): max(-15/6 + 2, -0.05) = -0.05,
        //     plus every missed row: -10  -> -10.05.
        assert_close!(u(&alerts(30, [5])), -10.05);
        // (c) one late alarm at t = 22 (d = 2): (3 - 2)/9 = 1/9 instead of the miss
        //     -(2/9)(8) = -16/9  -> -10 + 16/9 + 1/9 = -73/9.
        assert_close!(u(&alerts(30, [22])), -73.0 / 9.0);
        // (d) missed: -10.
        assert_close!(u(&[false; 30]), -10.0);
        // (e) alarms on every row: t = 0..=7 (d <= -13): 8 x -0.05 = -0.4;
        //     t = 8..=14: (0 + 1 + ... + 6)/6 = 3.5; t = 15..=23: 4; t >= 24: 0  -> 7.1.
        assert_close!(u(&[true; 30]), 7.1);
        // Best: rows t_sepsis - 12 ..= t_sepsis + 3 = 8..=23: 3.5 + 4 = 7.5.
        let best = best_predictions(&y, &d()).unwrap();
        assert_eq!(best, alerts(30, 8..24));
        assert_close!(u(&best), 7.5);
        // Alerting on the optimal row only (t = 14, d = -6): 1 + misses of t = 15..=23 = -9.
        assert_close!(u(&alerts(30, [14])), -9.0);
        // Inclusive boundaries: t = 23 (d = 3) alert 0 vs miss -2; t = 24 (d = 4) 0 either way.
        assert_close!(u(&alerts(30, [23])), -8.0);
        assert_close!(u(&alerts(30, [24])), -10.0);
    }

    #[test]
    fn best_window_is_clipped_to_the_series() {
        // First label at index 2 -> t_sepsis = 8, window 8 - 12 ..= 8 + 3 = -4..=11 -> rows
        // 0..=5 of a 6-row series.
        let y: Vec<bool> = (0..6).map(|t| t >= 2).collect();
        assert_eq!(best_predictions(&y, &d()).unwrap(), vec![true; 6]);
        // d = -8..=-3: alert utilities 4/6, 5/6, 1, 8/9, 7/9, 6/9 = 2.5 + 21/9.
        assert_close!(
            patient_utility(&y, &[true; 6], &d()).unwrap(),
            2.5 + 21.0 / 9.0
        );
        assert_eq!(
            patient_utility(&[], &[], &d()).unwrap(),
            0.0,
            "an empty series scores 0"
        );
    }

    #[test]
    fn cohort_normalized_utility() {
        let neg = vec![false; 20];
        let fa = alerts(20, 0..10);
        let y = septic30();
        let a = alerts(30, 14..30);
        let c = alerts(30, [22]);
        // Non-septic with 10 false alarms (-0.5; best 0, inaction 0) and septic (a)
        // (5; best 7.5, inaction -10): (4.5 + 10) / (7.5 + 10) = 14.5 / 17.5 = 29/35.
        let s = normalized_utility(&[(&neg, &fa), (&y, &a)], &d()).unwrap();
        assert_close!(s.observed, 4.5);
        assert_close!(s.best, 7.5);
        assert_close!(s.inaction, -10.0);
        assert_close!(s.normalized, 29.0 / 35.0);
        // Plus the late patient (c) (-73/9; best 7.5, inaction -10):
        //   observed = 4.5 - 73/9 = -32.5/9, best = 15, inaction = -20,
        //   normalized = (-32.5/9 + 20) / 35 = (147.5/9) / 35 = 59/126.
        let s = normalized_utility(&[(&neg, &fa), (&y, &a), (&y, &c)], &d()).unwrap();
        assert_close!(s.observed, -32.5 / 9.0);
        assert_close!(s.best, 15.0);
        assert_close!(s.inaction, -20.0);
        assert_close!(s.normalized, 59.0 / 126.0);
        // Best predictions give exactly 1, no alerts exactly 0.
        let cohort = [neg.clone(), y.clone(), (0..7).map(|t| t >= 1).collect()];
        let best: Vec<(Vec<bool>, Vec<bool>)> = cohort
            .iter()
            .map(|l| (l.clone(), best_predictions(l, &d()).unwrap()))
            .collect();
        assert_eq!(normalized_utility(&best, &d()).unwrap().normalized, 1.0);
        let none: Vec<(&[bool], Vec<bool>)> = cohort
            .iter()
            .map(|l| (l.as_slice(), vec![false; l.len()]))
            .collect();
        assert_eq!(normalized_utility(&none, &d()).unwrap().normalized, 0.0);
        // All alerts on the first two patients: (-1 + 7.1 + 10) / 17.5 = 16.1 / 17.5 = 0.92.
        let all = normalized_utility(&[(&neg, &vec![true; 20]), (&y, &vec![true; 30])], &d());
        assert_close!(all.unwrap().normalized, 0.92);
    }

    #[test]
    fn threshold_choice_by_utility() {
        // Septic patient: 0.9 on the best rows 8..=23, 0.2 elsewhere; non-septic: 0.5 always.
        let y = septic30();
        let s: Vec<f64> = (0..30)
            .map(|t| if (8..24).contains(&t) { 0.9 } else { 0.2 })
            .collect();
        let neg = vec![false; 30];
        let sn = vec![0.5; 30];
        let cohort = [(&y, &s), (&neg, &sn)];
        // 0.1:  all rows alert: 7.1 + 30 x -0.05 = 5.6  -> (5.6 + 10)/17.5 = 0.891428...
        // 0.3:  best rows + all non-septic rows: 7.5 - 1.5 = 6 -> 16/17.5 = 0.914285...
        // 0.6, 0.75, 0.9: best rows only -> 1 (0.9 included: alert iff score >= threshold)
        // 0.95: nothing -> 0
        let cands = [0.1, 0.3, 0.6, 0.75, 0.9, 0.95];
        let curve = utility_curve(&cohort, &cands, &d()).unwrap();
        let got: Vec<f64> = curve.iter().map(|c| c.score.normalized).collect();
        let want = [15.6 / 17.5, 16.0 / 17.5, 1.0, 1.0, 1.0, 0.0];
        for (g, w) in got.iter().zip(want) {
            assert_close!(*g, w);
        }
        assert_close!(curve[0].score.observed, 5.6);
        assert_close!(curve[0].score.best, 7.5);
        assert_close!(curve[0].score.inaction, -10.0);
        // Thresholds with the same alerts give identical values; the tie goes to the highest.
        assert_eq!(got[2], got[3]);
        assert_eq!(got[3], got[4]);
        let choice = threshold_for_utility(&cohort, &cands, &d()).unwrap();
        assert_eq!(choice.threshold, 0.9);
        assert_close!(choice.score.normalized, 1.0);
        // Order of the candidates does not matter.
        let rev: Vec<f64> = cands.iter().rev().copied().collect();
        assert_eq!(
            threshold_for_utility(&cohort, &rev, &d())
                .unwrap()
                .threshold,
            0.9
        );
        // Without the 1.0 plateau, 0.3 beats 0.1 and 0.95.
        let choice = threshold_for_utility(&cohort, &[0.95, 0.1, 0.3], &d()).unwrap();
        assert_eq!(choice.threshold, 0.3);
        // The curve agrees with normalized_utility of the thresholded predictions.
        for c in &curve {
            let preds: Vec<(Vec<bool>, Vec<bool>)> = cohort
                .iter()
                .map(|(l, p)| ((*l).clone(), p.iter().map(|&v| v >= c.threshold).collect()))
                .collect();
            let direct = normalized_utility(&preds, &d()).unwrap();
            assert_close!(c.score.normalized, direct.normalized);
            assert_close!(c.score.observed, direct.observed);
        }
    }

    #[test]
    fn icu_evaluation() {
        // Septic patients A-D have 30 hourly rows, first positive label at row 14.
        let y = septic30();
        let from = |start: usize| -> Vec<f64> {
            (0..30)
                .map(|t| if t >= start { 0.8 } else { 0.1 })
                .collect()
        };
        // A: ICU hours 10, 12, ..., 68 (two-hourly) -> label hour 10 + 28 = 38, onset 44;
        //    alerts from row 16 (hour 42): 2 h early.
        let ha: Vec<f64> = (0..30).map(|t| 10.0 + 2.0 * t as f64).collect();
        // B, C, D: ICU hours 1..=30 -> label hour 15, onset 21, limit 21 + 3 = 24.
        let h: Vec<f64> = (1..=30).map(f64::from).collect();
        // B: first alert row 23 = hour 24 = onset + 3 -> detected (inclusive), -3 h early.
        // C: first alert row 24 = hour 25 > 24 -> not detected.
        // D: a single alert at row 2 = hour 3 -> detected, 21 - 3 = 18 h early (earlier than
        //    12 h before onset still counts).
        let sd: Vec<f64> = (0..30).map(|t| if t == 2 { 0.8 } else { 0.1 }).collect();
        // E: not septic, 20 rows, 2 alerts.
        let ye = vec![false; 20];
        let se: Vec<f64> = (0..20)
            .map(|t| if t % 10 == 0 { 0.5 } else { 0.0 })
            .collect();
        let he: Vec<f64> = (1..=20).map(f64::from).collect();
        let (sa, sb, sc) = (from(16), from(23), from(24));
        let cohort: Vec<(&[bool], &[f64], &[f64])> = vec![
            (&y, &sa, &ha),
            (&y, &sb, &h),
            (&y, &sc, &h),
            (&y, &sd, &h),
            (&ye, &se, &he),
        ];
        let e = evaluate_icu(&cohort, 0.5, &d()).unwrap();
        assert_eq!(e.patients, 5);
        assert_eq!(e.septic_patients, 4);
        assert_eq!(e.detected_patients, 3);
        // Hours early of A, B, D: 2, -3, 18 -> median 2.
        assert_eq!(e.median_hours_early, Some(2.0));
        // Alert rows: A 14 + B 7 + C 6 + D 1 + E 2 = 30 of 4 x 30 + 20 = 140 rows:
        // 30 / 140 x 24 = 36/7 per patient-day.
        assert_close!(e.alerts_per_patient_day, 36.0 / 7.0);
        // The utility is the challenge's (row-indexed) normalized utility of the alerts.
        let preds: Vec<(&[bool], Vec<bool>)> = cohort
            .iter()
            .map(|(l, s, _)| (*l, s.iter().map(|&v| v >= 0.5).collect()))
            .collect();
        assert_eq!(
            e.utility,
            normalized_utility(&preds, &d()).unwrap().normalized
        );
        // Against never-septic hours: the 64 positive hours (27 at 0.8, 37 at 0.1) vs E's 20
        // hours (2 at 0.5, 18 at 0): 0.8 beats all 20, 0.1 beats the 18 zeros
        // -> (27 x 20 + 37 x 18) / (64 x 20) = 1206 / 1280.
        assert_close!(e.auroc_vs_non_septic.unwrap(), 1206.0 / 1280.0);
        // Within each septic patient, 16 positive x 14 negative hours (ties count one half):
        // A 14 x 14 + 2 x 14 / 2 = 210; B 7 x 14 + 9 x 7 = 161; C 6 x 14 + 10 x 7 = 154;
        // D (one negative hour at 0.8 above all its positives, ties with the other 13):
        // 16 x 13 / 2 = 104 -> 629 / 896.
        assert_close!(e.auroc_within_septic.unwrap(), 629.0 / 896.0);
        // The threshold does not change them.
        let e2 = evaluate_icu(&cohort, 0.05, &d()).unwrap();
        assert_eq!(e2.auroc_vs_non_septic, e.auroc_vs_non_septic);
        assert_eq!(e2.auroc_within_septic, e.auroc_within_septic);
        // Without D the detected hours are 2 and -3 -> median -0.5.
        let e = evaluate_icu(&cohort[..3], 0.5, &d()).unwrap();
        assert_eq!(e.detected_patients, 2);
        assert_eq!(e.median_hours_early, Some(-0.5));
        // Nobody detected -> None; serialises as null, everything finite.
        let e = evaluate_icu(&cohort[2..3], 0.5, &d()).unwrap();
        assert_eq!(e.median_hours_early, None);
        // C alone: no never-septic patient; within C 154 of 224 pairs.
        assert_eq!(e.auroc_vs_non_septic, None);
        assert_close!(e.auroc_within_septic.unwrap(), 154.0 / 224.0);
        // A septic patient without negative hours gives no within-patient pairs.
        let all_pos = vec![true; 5];
        let s5 = vec![0.5; 5];
        let h5: Vec<f64> = (1..=5).map(f64::from).collect();
        let e5 = evaluate_icu(&[(&all_pos, &s5, &h5), (&ye, &se, &he)], 0.5, &d()).unwrap();
        assert_eq!(e5.auroc_within_septic, None);
        // 5 positives at 0.5 vs 2 ties at 0.5 and 18 zeros: (5 x 18 + 5 x 2 / 2) / 100.
        assert_close!(e5.auroc_vs_non_septic.unwrap(), 0.95);
        let json = serde_json::to_string(&e).unwrap();
        assert!(json.contains("\"median_hours_early\":null"), "{json}");
        assert_eq!(serde_json::from_str::<IcuEvaluation>(&json).unwrap(), e);
    }

    #[test]
    fn median_of_even_and_odd_counts() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&mut [4.0, 1.0, 2.0, 10.0]), Some(3.0));
    }

    #[test]
    fn errors_on_bad_input() {
        let y = septic30();
        let p = vec![false; 29];
        let is_param = |r: Result<_>| matches!(r, Err(Error::InvalidParameter { .. }));
        let is_insufficient = |r: Result<_>| matches!(r, Err(Error::InsufficientData(_)));
        // Length mismatches.
        assert!(is_param(patient_utility(&y, &p, &d()).map(|_| ())));
        assert!(is_param(normalized_utility(&[(&y, &p)], &d()).map(|_| ())));
        let s29 = vec![0.5; 29];
        assert!(is_param(
            utility_curve(&[(&y, &s29)], &[0.5], &d()).map(|_| ())
        ));
        let s30 = vec![0.5; 30];
        let h29: Vec<f64> = (0..29).map(f64::from).collect();
        assert!(is_param(
            evaluate_icu(&[(&y, &s30, &h29)], 0.5, &d()).map(|_| ())
        ));
        // Non-finite scores, hours, thresholds; no candidates; decreasing hours.
        let mut bad = s30.clone();
        bad[3] = f64::NAN;
        assert!(is_param(
            threshold_for_utility(&[(&y, &bad)], &[0.5], &d()).map(|_| ())
        ));
        assert!(is_param(
            threshold_for_utility(&[(&y, &s30)], &[f64::NAN], &d()).map(|_| ())
        ));
        assert!(is_param(
            threshold_for_utility(&[(&y, &s30)], &[], &d()).map(|_| ())
        ));
        let h30: Vec<f64> = (0..30).map(f64::from).collect();
        let mut hbad = h30.clone();
        hbad[5] = f64::INFINITY;
        assert!(is_param(
            evaluate_icu(&[(&y, &s30, &hbad)], 0.5, &d()).map(|_| ())
        ));
        hbad[5] = 1.0;
        assert!(is_param(
            evaluate_icu(&[(&y, &s30, &hbad)], 0.5, &d()).map(|_| ())
        ));
        assert!(is_param(
            evaluate_icu(&[(&y, &s30, &h30)], f64::INFINITY, &d()).map(|_| ())
        ));
        // Invalid parameters.
        let bad_params = [
            UtilityParams {
                dt_early: -6,
                ..d()
            },
            UtilityParams { dt_late: -6, ..d() },
            UtilityParams {
                u_fp: f64::NAN,
                ..d()
            },
        ];
        for bp in &bad_params {
            assert!(is_param(patient_utility(&y, &y, bp).map(|_| ())));
            assert!(is_param(best_predictions(&y, bp).map(|_| ())));
        }
        // No patients, no septic patient, no rows.
        let empty: [(&[bool], &[bool]); 0] = [];
        assert!(is_insufficient(
            normalized_utility(&empty, &d()).map(|_| ())
        ));
        let neg = vec![false; 30];
        assert!(is_insufficient(
            normalized_utility(&[(&neg, &neg)], &d()).map(|_| ())
        ));
        assert!(is_insufficient(
            threshold_for_utility(&[(&neg, &s30)], &[0.5], &d()).map(|_| ())
        ));
        assert!(is_insufficient(
            evaluate_icu(&[(&neg, &s30, &h30)], 0.5, &d()).map(|_| ())
        ));
        let none: [(&[bool], &[f64], &[f64]); 1] = [(&[], &[], &[])];
        assert!(is_insufficient(evaluate_icu(&none, 0.5, &d()).map(|_| ())));
    }

    #[test]
    fn params_round_trip_and_default() {
        let p = d();
        assert_eq!(
            (p.dt_early, p.dt_optimal, p.dt_late),
            (-12, -6, 3),
            "challenge values"
        );
        assert_eq!(
            (p.max_u_tp, p.min_u_fn, p.u_fp, p.u_tn),
            (1.0, -2.0, -0.05, 0.0)
        );
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(serde_json::from_str::<UtilityParams>(&json).unwrap(), p);
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod props {
        use super::*;
        use proptest::prelude::*;

        /// A patient: 1..40 rows, septic with probability 1/2 (first label anywhere; labels
        /// after it random, as only the first one matters), plus scores in [0, 1].
        fn patient() -> impl Strategy<Value = (Vec<bool>, Vec<f64>)> {
            (1usize..40, any::<bool>(), any::<prop::sample::Index>()).prop_flat_map(
                |(n, septic, at)| {
                    let first = at.index(n);
                    (
                        prop::collection::vec(any::<bool>(), n).prop_map(move |mut l| {
                            for (t, v) in l.iter_mut().enumerate() {
                                if !septic || t < first {
                                    *v = false;
                                } else if t == first {
                                    *v = true;
                                }
                            }
                            l
                        }),
                        prop::collection::vec(
                            prop_oneof![Just(0.0), Just(0.5), Just(1.0), 0.0f64..1.0],
                            n,
                        ),
                    )
                },
            )
        }

        /// 1..8 patients, the first forced septic.
        fn cohort() -> impl Strategy<Value = Vec<(Vec<bool>, Vec<f64>)>> {
            prop::collection::vec(patient(), 1..8).prop_map(|mut c| {
                if !c[0].0.iter().any(|&b| b) {
                    let last = c[0].0.len() - 1;
                    c[0].0[last] = true;
                }
                c
            })
        }

        proptest! {
            #[test]
            fn best_is_one_and_inaction_is_zero(c in cohort()) {
                let p = UtilityParams::default();
                let best: Vec<(&[bool], Vec<bool>)> = c
                    .iter()
                    .map(|(l, _)| (l.as_slice(), best_predictions(l, &p).unwrap()))
                    .collect();
                prop_assert_eq!(normalized_utility(&best, &p).unwrap().normalized, 1.0);
                let none: Vec<(&[bool], Vec<bool>)> =
                    c.iter().map(|(l, _)| (l.as_slice(), vec![false; l.len()])).collect();
                prop_assert_eq!(normalized_utility(&none, &p).unwrap().normalized, 0.0);
            }

            #[test]
            fn curve_matches_direct_and_never_beats_best(
                c in cohort(),
                thresholds in prop::collection::vec(0.0f64..1.0, 1..6),
            ) {
                let p = UtilityParams::default();
                let curve = utility_curve(&c, &thresholds, &p).unwrap();
                for u in &curve {
                    let preds: Vec<(&[bool], Vec<bool>)> = c
                        .iter()
                        .map(|(l, s)| (l.as_slice(), s.iter().map(|&v| v >= u.threshold).collect()))
                        .collect();
                    let direct = normalized_utility(&preds, &p).unwrap();
                    prop_assert!((u.score.normalized - direct.normalized).abs() < 1e-9);
                    prop_assert!((u.score.observed - direct.observed).abs() < 1e-9);
                    prop_assert!(direct.normalized <= 1.0 + 1e-12);
                }
                let choice = threshold_for_utility(&c, &thresholds, &p).unwrap();
                prop_assert!(curve.iter().all(|u| u.score.normalized <= choice.score.normalized));
            }
        }
    }
}
