//! Binary classification metrics: confusion matrices, ROC / precision-recall curves and their
//! areas, Brier score, log loss, calibration curves, threshold selection, threshold tables and
//! risk bands.
//!
//! Conventions shared by the whole module:
//! - labels are `&[bool]` (`true` = positive, i.e. sepsis) and scores are `&[f64]`;
//! - a sample is predicted positive ("alert") iff `score >= threshold`;
//! - a ratio whose denominator is zero is reported as `0.0` (scikit-learn's
//!   `zero_division=0`), so every result is finite and serialises to JSON (which has no
//!   `NaN` or infinity);
//! - every public function validates its input and returns an [`Error`] rather than
//!   panicking: labels and scores must have the same, non-zero length and scores must be
//!   finite. Functions that interpret scores as probabilities ([`brier`], [`log_loss`],
//!   [`calibration_curve`], [`evaluate`], [`risk_bands`]) also require them in `[0, 1]`.
//!
//! The curve and area functions reproduce scikit-learn (`roc_curve(drop_intermediate=False)`,
//! `roc_auc_score`, `precision_recall_curve`, `average_precision_score`, `brier_score_loss`,
//! `log_loss`, `calibration.calibration_curve`), including its handling of tied scores.

use serde::{Deserialize, Serialize};

use super::{Error, Result};

/// Probability clipping used by [`log_loss`]: scores are clipped to `[eps, 1 - eps]` with
/// `eps = f64::EPSILON`, as scikit-learn >= 1.5 does for float64 input.
pub const LOG_LOSS_EPS: f64 = f64::EPSILON;

/// Two-sided 95% standard-normal quantile used for Wilson intervals.
pub const Z_95: f64 = 1.959_963_984_540_054;

/// Number of steps of the default threshold grid (`0.00, 0.01, ..., 1.00`).
pub const GRID_STEPS: usize = 100;

/// `a / b` with the `0 / 0 = 0` convention (any zero denominator gives `0.0`).
fn ratio(a: f64, b: f64) -> f64 {
    if b == 0.0 { 0.0 } else { a / b }
}

// ---------------------------------------------------------------------------------------------
// Validation helpers
// ---------------------------------------------------------------------------------------------

/// Labels and scores have equal non-zero length and every score is finite.
fn check_inputs(y: &[bool], p: &[f64]) -> Result<()> {
    if y.len() != p.len() {
        return Err(Error::param(
            "scores",
            format!(
                "{} scores for {} labels (lengths must match)",
                p.len(),
                y.len()
            ),
        ));
    }
    if y.is_empty() {
        return Err(Error::InsufficientData("no samples".into()));
    }
    if let Some(i) = p.iter().position(|v| !v.is_finite()) {
        return Err(Error::param(
            "scores",
            format!("score at index {i} is not finite ({})", p[i]),
        ));
    }
    Ok(())
}

/// Like [`check_inputs`] and additionally every score is a probability in `[0, 1]`.
fn check_probabilities(y: &[bool], p: &[f64]) -> Result<()> {
    check_inputs(y, p)?;
    if let Some(i) = p.iter().position(|v| !(0.0..=1.0).contains(v)) {
        return Err(Error::param(
            "scores",
            format!(
                "score at index {i} is not a probability in [0, 1] ({})",
                p[i]
            ),
        ));
    }
    Ok(())
}

fn check_threshold(name: &str, t: f64) -> Result<()> {
    if t.is_finite() {
        Ok(())
    } else {
        Err(Error::param(name, format!("must be finite, got {t}")))
    }
}

/// `(positives, negatives)`.
fn class_counts(y: &[bool]) -> (usize, usize) {
    let pos = y.iter().filter(|&&b| b).count();
    (pos, y.len() - pos)
}

fn require_both_classes(y: &[bool]) -> Result<(usize, usize)> {
    let (pos, neg) = class_counts(y);
    if pos == 0 || neg == 0 {
        return Err(Error::InsufficientData(format!(
            "only one class present ({pos} positives, {neg} negatives)"
        )));
    }
    Ok((pos, neg))
}

fn require_positives(y: &[bool]) -> Result<(usize, usize)> {
    let (pos, neg) = class_counts(y);
    if pos == 0 {
        return Err(Error::InsufficientData("no positive samples".into()));
    }
    Ok((pos, neg))
}

/// One step of the cumulative curve: at `threshold` (a distinct score), `tps` positives and
/// `fps` negatives score `>= threshold`.
#[derive(Debug, Clone, Copy)]
struct Step {
    threshold: f64,
    tps: usize,
    fps: usize,
}

/// Cumulative counts at every distinct score, in decreasing score order (scikit-learn's
/// `_binary_clf_curve`). Inputs must already be validated.
fn cumulative_steps(y: &[bool], p: &[f64]) -> Vec<Step> {
    let mut order: Vec<usize> = (0..p.len()).collect();
    // Unstable with the index as the last key: the same order as a stable sort, one sort
    // routine less in the browser build (D12).
    order.sort_unstable_by(|&a, &b| p[b].total_cmp(&p[a]).then(a.cmp(&b)));
    let mut steps: Vec<Step> = Vec::new();
    let (mut tps, mut fps) = (0usize, 0usize);
    for (k, &i) in order.iter().enumerate() {
        if y[i] {
            tps += 1;
        } else {
            fps += 1;
        }
        let last_of_group = order.get(k + 1).is_none_or(|&j| p[j] != p[i]);
        if last_of_group {
            steps.push(Step {
                threshold: p[i],
                tps,
                fps,
            });
        }
    }
    steps
}

/// The finite stand-in for scikit-learn's `+inf` first threshold: the smallest `f64` above
/// both `1.0` and the largest score (`1.0000000000000002` for probabilities).
fn start_threshold(max_score: f64) -> f64 {
    // `f64::next_up` needs Rust 1.86 (MSRV is 1.85): for a positive finite value the next
    // representable `f64` is the next bit pattern.
    let t = f64::from_bits(max_score.max(1.0).to_bits() + 1);
    if t.is_finite() { t } else { f64::MAX }
}

// ---------------------------------------------------------------------------------------------
// Confusion matrix
// ---------------------------------------------------------------------------------------------

/// A 2x2 confusion matrix. All ratio methods return `0.0` when their denominator is zero
/// (scikit-learn's `zero_division=0`), so they are always finite.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Confusion {
    /// True positives: positive and alerted.
    pub tp: usize,
    /// False positives: negative but alerted.
    pub fp: usize,
    /// True negatives: negative and not alerted.
    pub tn: usize,
    /// False negatives: positive but not alerted (serialised as `"fn"`).
    #[serde(rename = "fn")]
    pub fn_: usize,
}

impl Confusion {
    /// Number of samples, `tp + fp + tn + fn`.
    pub fn n(&self) -> usize {
        self.tp + self.fp + self.tn + self.fn_
    }

    /// Actual positives, `tp + fn`.
    pub fn positives(&self) -> usize {
        self.tp + self.fn_
    }

    /// Actual negatives, `tn + fp`.
    pub fn negatives(&self) -> usize {
        self.tn + self.fp
    }

    /// Alerts (predicted positives), `tp + fp`.
    pub fn alerts(&self) -> usize {
        self.tp + self.fp
    }

    /// Sensitivity (recall, true positive rate) `tp / (tp + fn)`; `0.0` without positives.
    pub fn sensitivity(&self) -> f64 {
        ratio(self.tp as f64, self.positives() as f64)
    }

    /// Specificity (true negative rate) `tn / (tn + fp)`; `0.0` without negatives.
    pub fn specificity(&self) -> f64 {
        ratio(self.tn as f64, self.negatives() as f64)
    }

    /// Precision (positive predictive value) `tp / (tp + fp)`; `0.0` without alerts.
    pub fn precision(&self) -> f64 {
        ratio(self.tp as f64, self.alerts() as f64)
    }

    /// Negative predictive value `tn / (tn + fn)`; `0.0` when nothing is predicted negative.
    pub fn npv(&self) -> f64 {
        ratio(self.tn as f64, (self.tn + self.fn_) as f64)
    }

    /// F1 score `2 tp / (2 tp + fp + fn)`; `0.0` when `tp + fp + fn = 0`.
    pub fn f1(&self) -> f64 {
        self.f_beta(1.0)
    }

    /// F-beta score `(1 + b^2) tp / ((1 + b^2) tp + b^2 fn + fp)` (`beta = 2` weights
    /// sensitivity higher, as the product wants). Only `beta^2` enters, so the sign of `beta`
    /// is irrelevant; `beta = 0` gives precision; an infinite `beta` gives the limit
    /// (sensitivity); a `NaN` `beta` gives `0.0`. A zero denominator gives `0.0`.
    pub fn f_beta(&self, beta: f64) -> f64 {
        if beta.is_nan() {
            return 0.0;
        }
        if beta.is_infinite() {
            return self.sensitivity();
        }
        let b2 = beta * beta;
        let tp = self.tp as f64;
        ratio(
            (1.0 + b2) * tp,
            (1.0 + b2) * tp + b2 * self.fn_ as f64 + self.fp as f64,
        )
    }

    /// Accuracy `(tp + tn) / n`; `0.0` for an empty matrix.
    pub fn accuracy(&self) -> f64 {
        ratio((self.tp + self.tn) as f64, self.n() as f64)
    }
}

/// Confusion matrix when a sample is predicted positive iff `p >= threshold`.
///
/// Errors on mismatched or empty input, non-finite scores or a non-finite threshold.
pub fn confusion_at(y: &[bool], p: &[f64], threshold: f64) -> Result<Confusion> {
    check_inputs(y, p)?;
    check_threshold("threshold", threshold)?;
    let mut c = Confusion::default();
    for (&yi, &pi) in y.iter().zip(p) {
        match (yi, pi >= threshold) {
            (true, true) => c.tp += 1,
            (true, false) => c.fn_ += 1,
            (false, true) => c.fp += 1,
            (false, false) => c.tn += 1,
        }
    }
    Ok(c)
}

// ---------------------------------------------------------------------------------------------
// ROC and precision-recall
// ---------------------------------------------------------------------------------------------

/// One point of a ROC curve.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RocPoint {
    /// Samples with `score >= threshold` are predicted positive.
    pub threshold: f64,
    /// False positive rate (1 - specificity).
    pub fpr: f64,
    /// True positive rate (sensitivity).
    pub tpr: f64,
}

/// One point of a precision-recall curve.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PrPoint {
    /// Samples with `score >= threshold` are predicted positive.
    pub threshold: f64,
    /// Precision (PPV) at this threshold.
    pub precision: f64,
    /// Recall (sensitivity) at this threshold.
    pub recall: f64,
}

/// A point that can be drawn in two dimensions; used by [`downsample_curve`].
pub trait CurvePoint {
    /// The point's `(x, y)` plot coordinates.
    fn xy(&self) -> (f64, f64);
}

impl CurvePoint for RocPoint {
    /// `(fpr, tpr)`.
    fn xy(&self) -> (f64, f64) {
        (self.fpr, self.tpr)
    }
}

impl CurvePoint for PrPoint {
    /// `(recall, precision)`.
    fn xy(&self) -> (f64, f64) {
        (self.recall, self.precision)
    }
}

/// ROC curve with one point per distinct score (scikit-learn's
/// `roc_curve(..., drop_intermediate=False)`), in decreasing threshold order.
///
/// The first point is `(fpr, tpr) = (0, 0)`; scikit-learn gives it the threshold `+inf`,
/// which JSON cannot hold, so here it is the smallest `f64` above both `1.0` and the largest
/// score (`1.0 + f64::EPSILON` for probabilities). The last point is `(1, 1)` at the lowest
/// score. Errors unless both classes are present.
pub fn roc_curve(y: &[bool], p: &[f64]) -> Result<Vec<RocPoint>> {
    check_inputs(y, p)?;
    let (pos, neg) = require_both_classes(y)?;
    let steps = cumulative_steps(y, p);
    let mut out = Vec::with_capacity(steps.len() + 1);
    out.push(RocPoint {
        threshold: start_threshold(steps[0].threshold),
        fpr: 0.0,
        tpr: 0.0,
    });
    out.extend(steps.iter().map(|s| RocPoint {
        threshold: s.threshold,
        fpr: s.fps as f64 / neg as f64,
        tpr: s.tps as f64 / pos as f64,
    }));
    Ok(out)
}

/// Area under the ROC curve, equal to scikit-learn's `roc_auc_score`: the trapezoidal area
/// over the distinct thresholds, so tied scores count one half. Computed in exact integer
/// arithmetic and divided once at the end.
///
/// Errors unless both classes are present, on mismatched lengths and on non-finite scores.
pub fn roc_auc(y: &[bool], p: &[f64]) -> Result<f64> {
    check_inputs(y, p)?;
    let (pos, neg) = require_both_classes(y)?;
    let steps = cumulative_steps(y, p);
    // Twice the area in units of 1 / (pos * neg).
    let mut twice: u128 = 0;
    let (mut prev_tps, mut prev_fps) = (0u128, 0u128);
    for s in &steps {
        let (tps, fps) = (s.tps as u128, s.fps as u128);
        twice += (fps - prev_fps) * (tps + prev_tps);
        prev_tps = tps;
        prev_fps = fps;
    }
    Ok(twice as f64 / (2.0 * pos as f64 * neg as f64))
}

/// Precision-recall curve in decreasing threshold order (the reverse of scikit-learn's
/// `precision_recall_curve`, which lists thresholds increasingly).
///
/// The first point is scikit-learn's closing point `(recall 0, precision 1)`, given the same
/// finite stand-in threshold as the first point of [`roc_curve`]; then one point per distinct
/// score. Errors if there are no positives (recall undefined); negatives may be absent.
pub fn pr_curve(y: &[bool], p: &[f64]) -> Result<Vec<PrPoint>> {
    check_inputs(y, p)?;
    let (pos, _) = require_positives(y)?;
    let steps = cumulative_steps(y, p);
    let mut out = Vec::with_capacity(steps.len() + 1);
    out.push(PrPoint {
        threshold: start_threshold(steps[0].threshold),
        precision: 1.0,
        recall: 0.0,
    });
    out.extend(steps.iter().map(|s| PrPoint {
        threshold: s.threshold,
        precision: s.tps as f64 / (s.tps + s.fps) as f64,
        recall: s.tps as f64 / pos as f64,
    }));
    Ok(out)
}

/// Average precision, equal to scikit-learn's `average_precision_score` (the step-function
/// integral `sum_k (R_k - R_{k-1}) P_k`, no interpolation). This is the product's "PR AUC".
///
/// Errors if there are no positives.
pub fn average_precision(y: &[bool], p: &[f64]) -> Result<f64> {
    check_inputs(y, p)?;
    let (pos, _) = require_positives(y)?;
    let mut ap = 0.0;
    let mut prev_tps = 0usize;
    for s in cumulative_steps(y, p) {
        if s.tps > prev_tps {
            let recall_gain = (s.tps - prev_tps) as f64 / pos as f64;
            ap += recall_gain * (s.tps as f64 / (s.tps + s.fps) as f64);
        }
        prev_tps = s.tps;
    }
    Ok(ap.clamp(0.0, 1.0))
}

/// Brier score, the mean squared difference between probability and outcome (scikit-learn's
/// `brier_score_loss`). Scores must be probabilities.
pub fn brier(y: &[bool], p: &[f64]) -> Result<f64> {
    check_probabilities(y, p)?;
    let sum: f64 = y
        .iter()
        .zip(p)
        .map(|(&yi, &pi)| {
            let d = pi - if yi { 1.0 } else { 0.0 };
            d * d
        })
        .sum();
    Ok(sum / y.len() as f64)
}

/// Mean negative log-likelihood (scikit-learn's `log_loss`), with probabilities clipped to
/// `[LOG_LOSS_EPS, 1 - LOG_LOSS_EPS]` so the result is always finite. Scores must be
/// probabilities.
pub fn log_loss(y: &[bool], p: &[f64]) -> Result<f64> {
    check_probabilities(y, p)?;
    let sum: f64 = y
        .iter()
        .zip(p)
        .map(|(&yi, &pi)| {
            let q = pi.clamp(LOG_LOSS_EPS, 1.0 - LOG_LOSS_EPS);
            if yi { -q.ln() } else { -(1.0 - q).ln() }
        })
        .sum();
    Ok(sum / y.len() as f64)
}

// ---------------------------------------------------------------------------------------------
// Calibration curve
// ---------------------------------------------------------------------------------------------

/// How [`calibration_curve`] places its bin edges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BinStrategy {
    /// Equal-width bins over `[0, 1]`.
    Uniform,
    /// Bins with (about) equally many samples: edges at the score quantiles.
    Quantile,
}

/// One non-empty bin of a calibration (reliability) curve.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CalibrationPoint {
    /// Mean predicted probability of the samples in the bin.
    pub mean_predicted: f64,
    /// Fraction of positives among the samples in the bin.
    pub observed_rate: f64,
    /// Samples in the bin (always at least one).
    pub count: usize,
    /// Lower end of the 95% Wilson interval of `observed_rate`.
    pub lower: f64,
    /// Upper end of the 95% Wilson interval of `observed_rate`.
    pub upper: f64,
}

impl CurvePoint for CalibrationPoint {
    /// `(mean_predicted, observed_rate)`.
    fn xy(&self) -> (f64, f64) {
        (self.mean_predicted, self.observed_rate)
    }
}

/// 95% Wilson score interval for a binomial proportion `successes / n`, clamped to
/// `[0, 1]` and always containing `successes / n`. Returns `(0, 1)` for `n = 0` (no information) and `successes` is capped at `n`.
pub fn wilson_interval(successes: usize, n: usize) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let nf = n as f64;
    let phat = successes.min(n) as f64 / nf;
    let z2 = Z_95 * Z_95;
    let denom = 1.0 + z2 / nf;
    let centre = (phat + z2 / (2.0 * nf)) / denom;
    let half = Z_95 / denom * (phat * (1.0 - phat) / nf + z2 / (4.0 * nf * nf)).sqrt();
    // Mathematically lower <= phat <= upper, with equality at 0 and 1; rounding can miss
    // by an ulp, so enforce it.
    (
        (centre - half).max(0.0).min(phat),
        (centre + half).min(1.0).max(phat),
    )
}

/// numpy's `linspace(0, 1, n + 1)` bit for bit: `i * (1 / n)`, last element exactly `1`.
fn unit_linspace(n_bins: usize) -> Vec<f64> {
    let step = 1.0 / n_bins as f64;
    let mut v: Vec<f64> = (0..=n_bins).map(|i| i as f64 * step).collect();
    v[n_bins] = 1.0;
    v
}

/// numpy's `percentile(values, q * 100)` with the default `linear` method, reproducing its
/// floating-point steps so that edges landing exactly on a score agree with numpy.
fn numpy_percentile(sorted: &[f64], q: f64) -> f64 {
    let n = sorted.len();
    let q = (q * 100.0) / 100.0;
    let virtual_index = (n - 1) as f64 * q;
    if virtual_index >= (n - 1) as f64 {
        return sorted[n - 1];
    }
    if virtual_index < 0.0 {
        return sorted[0];
    }
    let prev = virtual_index.floor();
    let i = prev as usize;
    let (a, b) = (sorted[i], sorted[i + 1]);
    let t = virtual_index - prev;
    let diff = b - a;
    if t >= 0.5 {
        b - diff * (1.0 - t)
    } else {
        a + diff * t
    }
}

/// Calibration (reliability) curve as in scikit-learn's `calibration_curve`, plus counts and
/// 95% Wilson intervals. Empty bins are omitted. Like scikit-learn, a score equal to an inner
/// bin edge falls into the lower bin (`searchsorted(edges, p, side="left")`).
///
/// Errors if `n_bins == 0` or scores are not probabilities.
pub fn calibration_curve(
    y: &[bool],
    p: &[f64],
    n_bins: usize,
    strategy: BinStrategy,
) -> Result<Vec<CalibrationPoint>> {
    check_probabilities(y, p)?;
    if n_bins == 0 {
        return Err(Error::param("n_bins", "must be at least 1"));
    }
    let edges = match strategy {
        BinStrategy::Uniform => unit_linspace(n_bins),
        BinStrategy::Quantile => {
            let mut sorted = p.to_vec();
            sorted.sort_unstable_by(f64::total_cmp);
            unit_linspace(n_bins)
                .into_iter()
                .map(|q| numpy_percentile(&sorted, q))
                .collect()
        }
    };
    let inner = &edges[1..n_bins];
    let mut sums = vec![0.0; n_bins];
    let mut positives = vec![0usize; n_bins];
    let mut counts = vec![0usize; n_bins];
    for (&yi, &pi) in y.iter().zip(p) {
        let b = inner.partition_point(|&e| e < pi);
        sums[b] += pi;
        counts[b] += 1;
        positives[b] += usize::from(yi);
    }
    Ok((0..n_bins)
        .filter(|&b| counts[b] > 0)
        .map(|b| {
            let (lower, upper) = wilson_interval(positives[b], counts[b]);
            CalibrationPoint {
                mean_predicted: sums[b] / counts[b] as f64,
                observed_rate: positives[b] as f64 / counts[b] as f64,
                count: counts[b],
                lower,
                upper,
            }
        })
        .collect())
}

// ---------------------------------------------------------------------------------------------
// Downsampling
// ---------------------------------------------------------------------------------------------

/// Reduces a curve to at most `max_points` points for storage and drawing, keeping the first
/// and last point and the visual shape (Largest-Triangle-Three-Buckets on the points'
/// [`CurvePoint::xy`] coordinates: the interior is split into equal-size buckets and from
/// each the point forming the largest triangle with its chosen neighbours is kept). Points
/// are returned in their original order; a curve that is already short enough is returned
/// unchanged.
///
/// Errors if `max_points < 2`.
pub fn downsample_curve<P: CurvePoint + Clone>(points: &[P], max_points: usize) -> Result<Vec<P>> {
    if max_points < 2 {
        return Err(Error::param("max_points", "must be at least 2"));
    }
    let n = points.len();
    if n <= max_points {
        return Ok(points.to_vec());
    }
    let buckets = max_points - 2;
    let mut out = Vec::with_capacity(max_points);
    out.push(points[0].clone());
    let interior = n - 2;
    // Bucket `b` covers interior indices [start(b), start(b + 1)), offset by one.
    let start = |b: usize| 1 + b * interior / buckets.max(1);
    let mut a = 0usize;
    for b in 0..buckets {
        let (lo, hi) = (start(b), start(b + 1));
        // Average of the next bucket (or the last point after the final bucket).
        let (nlo, nhi) = if b + 1 < buckets {
            (start(b + 1), start(b + 2))
        } else {
            (n - 1, n)
        };
        let (mut cx, mut cy) = (0.0, 0.0);
        for q in &points[nlo..nhi] {
            let (x, y) = q.xy();
            cx += x;
            cy += y;
        }
        let m = (nhi - nlo) as f64;
        let (cx, cy) = (cx / m, cy / m);
        let (ax, ay) = points[a].xy();
        let mut best = lo;
        let mut best_area = f64::NEG_INFINITY;
        for (i, q) in points.iter().enumerate().take(hi).skip(lo) {
            let (x, y) = q.xy();
            let area = ((ax - cx) * (y - ay) - (ax - x) * (cy - ay)).abs();
            // `>` keeps the first of equal areas; NaN coordinates never win.
            if area > best_area {
                best_area = area;
                best = i;
            }
        }
        out.push(points[best].clone());
        a = best;
    }
    out.push(points[n - 1].clone());
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Thresholds
// ---------------------------------------------------------------------------------------------

/// The operating point chosen by [`threshold_for_sensitivity`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ThresholdChoice {
    /// Alert iff `score >= threshold`; one of the observed scores.
    pub threshold: f64,
    /// Sensitivity at the threshold (`>=` the requested target).
    pub sensitivity: f64,
    /// Specificity at the threshold.
    pub specificity: f64,
    /// Precision (PPV) at the threshold.
    pub precision: f64,
    /// Fraction of all samples that alert.
    pub alert_rate: f64,
}

/// The highest candidate threshold (candidates are the distinct scores) whose sensitivity is
/// at least `target`: the fewest alerts that still reach the target. The next higher
/// candidate, if any, has sensitivity below `target`.
///
/// Errors if `target` is not in `(0, 1]`, if there are no positives, or on invalid input.
pub fn threshold_for_sensitivity(y: &[bool], p: &[f64], target: f64) -> Result<ThresholdChoice> {
    check_inputs(y, p)?;
    if !(target > 0.0 && target <= 1.0) {
        return Err(Error::param(
            "target",
            format!("sensitivity target must be in (0, 1], got {target}"),
        ));
    }
    let (pos, neg) = require_positives(y)?;
    let steps = cumulative_steps(y, p);
    // Sensitivity is non-decreasing along `steps`; the lowest score reaches 1.0 >= target.
    let s = steps
        .iter()
        .find(|s| s.tps as f64 / pos as f64 >= target)
        .copied()
        .unwrap_or(Step {
            threshold: steps[steps.len() - 1].threshold,
            tps: pos,
            fps: neg,
        });
    let c = Confusion {
        tp: s.tps,
        fp: s.fps,
        tn: neg - s.fps,
        fn_: pos - s.tps,
    };
    Ok(ThresholdChoice {
        threshold: s.threshold,
        sensitivity: c.sensitivity(),
        specificity: c.specificity(),
        precision: c.precision(),
        alert_rate: c.alerts() as f64 / c.n() as f64,
    })
}

/// One row of a threshold table (the app's threshold slider).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ThresholdRow {
    /// Alert iff `score >= threshold`.
    pub threshold: f64,
    /// True positives.
    pub tp: usize,
    /// False positives.
    pub fp: usize,
    /// True negatives.
    pub tn: usize,
    /// False negatives (serialised as `"fn"`).
    #[serde(rename = "fn")]
    pub fn_: usize,
    /// Sensitivity (`0.0` without positives).
    pub sensitivity: f64,
    /// Specificity (`0.0` without negatives).
    pub specificity: f64,
    /// Precision / PPV (`0.0` without alerts).
    pub precision: f64,
    /// Negative predictive value (`0.0` without predicted negatives).
    pub npv: f64,
    /// Alerts per 100 samples.
    pub alerts_per_100: f64,
}

impl ThresholdRow {
    /// The row's confusion matrix.
    pub fn confusion(&self) -> Confusion {
        Confusion {
            tp: self.tp,
            fp: self.fp,
            tn: self.tn,
            fn_: self.fn_,
        }
    }
}

/// Confusion counts and rates at each of `thresholds` (in the given order). Sorts the scores
/// once, so a table costs `O((n + t) log n)`.
///
/// Errors on invalid input or a non-finite threshold. Both classes need not be present
/// (missing-class rates are `0.0`).
pub fn threshold_table(y: &[bool], p: &[f64], thresholds: &[f64]) -> Result<Vec<ThresholdRow>> {
    check_inputs(y, p)?;
    for &t in thresholds {
        check_threshold("thresholds", t)?;
    }
    let mut pos_scores: Vec<f64> = Vec::new();
    let mut neg_scores: Vec<f64> = Vec::new();
    for (&yi, &pi) in y.iter().zip(p) {
        if yi {
            pos_scores.push(pi);
        } else {
            neg_scores.push(pi);
        }
    }
    pos_scores.sort_unstable_by(f64::total_cmp);
    neg_scores.sort_unstable_by(f64::total_cmp);
    let at_or_above = |v: &[f64], t: f64| v.len() - v.partition_point(|&s| s < t);
    let n = y.len() as f64;
    Ok(thresholds
        .iter()
        .map(|&t| {
            let tp = at_or_above(&pos_scores, t);
            let fp = at_or_above(&neg_scores, t);
            let c = Confusion {
                tp,
                fp,
                tn: neg_scores.len() - fp,
                fn_: pos_scores.len() - tp,
            };
            ThresholdRow {
                threshold: t,
                tp: c.tp,
                fp: c.fp,
                tn: c.tn,
                fn_: c.fn_,
                sensitivity: c.sensitivity(),
                specificity: c.specificity(),
                precision: c.precision(),
                npv: c.npv(),
                alerts_per_100: 100.0 * c.alerts() as f64 / n,
            }
        })
        .collect())
}

/// The evenly spaced thresholds `i / steps` for `i = 0..=steps` (`steps = 100` gives
/// `0.00, 0.01, ..., 1.00`, each the `f64` nearest the decimal). Errors if `steps == 0`.
pub fn threshold_grid(steps: usize) -> Result<Vec<f64>> {
    if steps == 0 {
        return Err(Error::param("steps", "must be at least 1"));
    }
    Ok((0..=steps).map(|i| i as f64 / steps as f64).collect())
}

/// [`threshold_table`] on the default grid `0.00, 0.01, ..., 1.00` ([`GRID_STEPS`]), as used
/// by the app's threshold slider.
pub fn threshold_sweep(y: &[bool], p: &[f64]) -> Result<Vec<ThresholdRow>> {
    threshold_table(y, p, &threshold_grid(GRID_STEPS)?)
}

// ---------------------------------------------------------------------------------------------
// Summary metrics
// ---------------------------------------------------------------------------------------------

/// Every headline metric of a probabilistic classifier at one alert threshold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    /// Number of samples.
    pub n: usize,
    /// Number of positive samples.
    pub positives: usize,
    /// Confusion matrix at `threshold`.
    pub confusion: Confusion,
    /// Sensitivity at `threshold`.
    pub sensitivity: f64,
    /// Specificity at `threshold`.
    pub specificity: f64,
    /// Precision (PPV) at `threshold`.
    pub precision: f64,
    /// Negative predictive value at `threshold`.
    pub npv: f64,
    /// F1 at `threshold`.
    pub f1: f64,
    /// F2 (sensitivity-weighted) at `threshold`.
    pub f2: f64,
    /// Accuracy at `threshold`.
    pub accuracy: f64,
    /// Area under the ROC curve (threshold-free).
    pub roc_auc: f64,
    /// Average precision, the "PR AUC" (threshold-free).
    pub pr_auc: f64,
    /// Brier score (threshold-free).
    pub brier: f64,
    /// Log loss (threshold-free).
    pub log_loss: f64,
    /// The alert threshold the threshold-dependent metrics refer to.
    pub threshold: f64,
}

/// Computes [`Metrics`] at `threshold`. Requires both classes, probabilities in `[0, 1]` and
/// a finite threshold.
pub fn evaluate(y: &[bool], p: &[f64], threshold: f64) -> Result<Metrics> {
    check_probabilities(y, p)?;
    let (positives, _) = require_both_classes(y)?;
    let confusion = confusion_at(y, p, threshold)?;
    Ok(Metrics {
        n: y.len(),
        positives,
        confusion,
        sensitivity: confusion.sensitivity(),
        specificity: confusion.specificity(),
        precision: confusion.precision(),
        npv: confusion.npv(),
        f1: confusion.f1(),
        f2: confusion.f_beta(2.0),
        accuracy: confusion.accuracy(),
        roc_auc: roc_auc(y, p)?,
        pr_auc: average_precision(y, p)?,
        brier: brier(y, p)?,
        log_loss: log_loss(y, p)?,
        threshold,
    })
}

// ---------------------------------------------------------------------------------------------
// Risk bands
// ---------------------------------------------------------------------------------------------

/// A probability band with the outcome rate observed in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RiskBand {
    /// `"low"`, `"moderate"` or `"high"`.
    pub name: String,
    /// Inclusive lower bound.
    pub lower: f64,
    /// Exclusive upper bound (inclusive for the last band, whose upper bound is `1.0`).
    pub upper: f64,
    /// Fraction of positives among the samples in the band (`0.0` if empty).
    pub observed_rate: f64,
    /// Fraction of all samples in the band.
    pub fraction: f64,
    /// Number of samples in the band.
    pub count: usize,
}

impl RiskBand {
    /// Whether `p` falls in this band (`last` marks the final band, closed above).
    fn contains(&self, p: f64, last: bool) -> bool {
        p >= self.lower && (p < self.upper || (last && p <= self.upper))
    }
}

/// Splits `[0, 1]` into risk bands:
/// - `"low"`: `[0, low_cut)`, where `low_cut` is the threshold chosen by
///   [`threshold_for_sensitivity`] with `rule_out_sensitivity` (so at most a
///   `1 - rule_out_sensitivity` share of the positives score there);
/// - `"moderate"`: `[low_cut, alert_threshold)`;
/// - `"high"`: `[alert_threshold, 1]`.
///
/// If `low_cut >= alert_threshold` there are only `"low"` `[0, alert_threshold)` and
/// `"high"`. If `low_cut == 0` (no score is low enough to rule out) the empty-width
/// `"low"` band is omitted and `"moderate"` starts at 0. The bands are contiguous, ordered,
/// start at 0 and end at 1. Each band reports the samples of `(y, p)` falling in it.
///
/// Errors unless `alert_threshold` is in `(0, 1]` and `rule_out_sensitivity` in `(0, 1]`,
/// if there are no positives, or if scores are not probabilities.
pub fn risk_bands(
    y: &[bool],
    p: &[f64],
    alert_threshold: f64,
    rule_out_sensitivity: f64,
) -> Result<Vec<RiskBand>> {
    check_probabilities(y, p)?;
    if !(alert_threshold > 0.0 && alert_threshold <= 1.0) {
        return Err(Error::param(
            "alert_threshold",
            format!("must be in (0, 1], got {alert_threshold}"),
        ));
    }
    if !(rule_out_sensitivity > 0.0 && rule_out_sensitivity <= 1.0) {
        return Err(Error::param(
            "rule_out_sensitivity",
            format!("must be in (0, 1], got {rule_out_sensitivity}"),
        ));
    }
    let low_cut = threshold_for_sensitivity(y, p, rule_out_sensitivity)?.threshold;
    let mut cuts: Vec<(&str, f64, f64)> = Vec::with_capacity(3);
    if low_cut >= alert_threshold {
        cuts.push(("low", 0.0, alert_threshold));
    } else {
        if low_cut > 0.0 {
            cuts.push(("low", 0.0, low_cut));
        }
        cuts.push(("moderate", low_cut, alert_threshold));
    }
    cuts.push(("high", alert_threshold, 1.0));
    let last = cuts.len() - 1;
    let mut bands: Vec<RiskBand> = cuts
        .into_iter()
        .map(|(name, lower, upper)| RiskBand {
            name: name.to_string(),
            lower,
            upper,
            observed_rate: 0.0,
            fraction: 0.0,
            count: 0,
        })
        .collect();
    let mut positives = vec![0usize; bands.len()];
    for (&yi, &pi) in y.iter().zip(p) {
        if let Some(i) = (0..bands.len()).find(|&i| bands[i].contains(pi, i == last)) {
            bands[i].count += 1;
            positives[i] += usize::from(yi);
        }
    }
    let n = y.len() as f64;
    for (band, &pos) in bands.iter_mut().zip(&positives) {
        band.observed_rate = ratio(pos as f64, band.count as f64);
        band.fraction = band.count as f64 / n;
    }
    Ok(bands)
}

/// Index of the band containing `p`: `lower <= p < upper`, the last band also taking
/// `p == upper`. Scores below the first band go to the first band and scores above the last
/// to the last. `None` for an empty band list or a `NaN` score.
pub fn band_index(bands: &[RiskBand], p: f64) -> Option<usize> {
    if bands.is_empty() || p.is_nan() {
        return None;
    }
    let last = bands.len() - 1;
    Some(
        (0..bands.len())
            .find(|&i| bands[i].contains(p, i == last))
            .unwrap_or(if p < bands[0].lower { 0 } else { last }),
    )
}

/// The band containing `p` (see [`band_index`]).
pub fn band_for(bands: &[RiskBand], p: f64) -> Option<&RiskBand> {
    band_index(bands, p).map(|i| &bands[i])
}

// ---------------------------------------------------------------------------------------------
// Fold statistics
// ---------------------------------------------------------------------------------------------

/// Mean and sample standard deviation (divisor `n - 1`) of fold statistics. A single value
/// has standard deviation `0.0`. Errors on an empty slice or non-finite values.
pub fn mean_sd(values: &[f64]) -> Result<(f64, f64)> {
    if values.is_empty() {
        return Err(Error::InsufficientData("no values for mean and sd".into()));
    }
    if values.iter().any(|v| !v.is_finite()) {
        return Err(Error::param("values", "must all be finite"));
    }
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    if values.len() == 1 {
        return Ok((mean, 0.0));
    }
    let ss: f64 = values.iter().map(|v| (v - mean) * (v - mean)).sum();
    Ok((mean, (ss / (n - 1.0)).sqrt()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    macro_rules! assert_close {
        ($a:expr, $b:expr) => {
            assert_close!($a, $b, 1e-12)
        };
        ($a:expr, $b:expr, $tol:expr) => {{
            let (a, b): (f64, f64) = ($a, $b);
            assert!(close(a, b, $tol), "{a} != {b} (tol {})", $tol);
        }};
    }

    fn assert_all_close(a: &[f64], b: &[f64]) {
        assert_eq!(a.len(), b.len(), "{a:?} vs {b:?}");
        for (x, y) in a.iter().zip(b) {
            assert_close!(*x, *y);
        }
    }

    // Hand-worked example: ten patients, sorted by score.
    //
    //   score  0.9  0.8  0.7  0.6  0.55 0.4  0.3  0.2  0.1  0.05
    //   label   P    P    N    P    N    P    N    N    N    N
    //
    // At threshold 0.5 (alert iff score >= 0.5) the alerts are 0.9 0.8 0.7 0.6 0.55:
    //   tp = 3 (0.9, 0.8, 0.6), fp = 2 (0.7, 0.55), fn = 1 (0.4), tn = 4 (0.3 .. 0.05).
    //   sensitivity 3/4, specificity 4/6, precision 3/5, npv 4/5, accuracy 7/10,
    //   F1 = 2*3 / (2*3 + 2 + 1) = 6/9, F2 = 5*3 / (5*3 + 4*1 + 2) = 15/21.
    // AUC = P(score of a positive > score of a negative) over 4*6 = 24 pairs:
    //   0.9 beats 6, 0.8 beats 6, 0.6 beats 5 (not 0.7), 0.4 beats 4 -> 21/24 = 0.875.
    // Average precision: positives reached at ranks 1, 2, 4, 6 with precision 1, 1, 3/4, 4/6,
    //   each adding recall 1/4 -> (1 + 1 + 3/4 + 2/3) / 4 = 41/48.
    // Brier: (0.1^2 + 0.2^2 + 0.7^2 + 0.4^2 + 0.55^2 + 0.6^2 + 0.3^2 + 0.2^2 + 0.1^2
    //   + 0.05^2) = (0.01 + 0.04 + 0.49 + 0.16 + 0.3025 + 0.36 + 0.09 + 0.04 + 0.01
    //   + 0.0025) / 10 = 1.505 / 10 = 0.1505.
    const HY: [bool; 10] = [
        true, true, false, true, false, true, false, false, false, false,
    ];
    const HP: [f64; 10] = [0.9, 0.8, 0.7, 0.6, 0.55, 0.4, 0.3, 0.2, 0.1, 0.05];

    #[test]
    fn hand_worked_confusion_and_rates() {
        let c = confusion_at(&HY, &HP, 0.5).unwrap();
        assert_eq!(
            c,
            Confusion {
                tp: 3,
                fp: 2,
                tn: 4,
                fn_: 1
            }
        );
        assert_eq!(
            (c.n(), c.alerts(), c.positives(), c.negatives()),
            (10, 5, 4, 6)
        );
        assert_close!(c.sensitivity(), 0.75);
        assert_close!(c.specificity(), 4.0 / 6.0);
        assert_close!(c.precision(), 0.6);
        assert_close!(c.npv(), 0.8);
        assert_close!(c.accuracy(), 0.7);
        assert_close!(c.f1(), 6.0 / 9.0);
        assert_close!(c.f_beta(2.0), 15.0 / 21.0);
        assert_close!(c.f_beta(0.0), c.precision());
        assert_close!(c.f_beta(f64::INFINITY), c.sensitivity());
        assert_eq!(c.f_beta(f64::NAN), 0.0);
        // Threshold equal to a score alerts on it.
        assert_eq!(confusion_at(&HY, &HP, 0.55).unwrap().fp, 2);
        assert_eq!(confusion_at(&HY, &HP, 0.5500001).unwrap().fp, 1);
    }

    #[test]
    fn hand_worked_areas_and_scores() {
        assert_close!(roc_auc(&HY, &HP).unwrap(), 0.875);
        assert_close!(average_precision(&HY, &HP).unwrap(), 41.0 / 48.0);
        assert_close!(brier(&HY, &HP).unwrap(), 0.1505);
        let m = evaluate(&HY, &HP, 0.5).unwrap();
        assert_eq!((m.n, m.positives, m.confusion.tp), (10, 4, 3));
        assert_close!(m.f2, 15.0 / 21.0);
        assert_close!(m.pr_auc, 41.0 / 48.0);
        assert_eq!(m.threshold, 0.5);
    }

    #[test]
    fn hand_worked_threshold_choice() {
        // Sensitivity by candidate: 0.9 -> 1/4, 0.8 -> 2/4, 0.6 -> 3/4, 0.4 -> 4/4.
        let c = threshold_for_sensitivity(&HY, &HP, 0.75).unwrap();
        assert_eq!(c.threshold, 0.6);
        assert_close!(c.sensitivity, 0.75);
        assert_close!(c.specificity, 5.0 / 6.0);
        assert_close!(c.precision, 0.75);
        assert_close!(c.alert_rate, 0.4);
        assert_eq!(
            threshold_for_sensitivity(&HY, &HP, 0.76).unwrap().threshold,
            0.4
        );
        assert_eq!(
            threshold_for_sensitivity(&HY, &HP, 1.0).unwrap().threshold,
            0.4
        );
        assert_eq!(
            threshold_for_sensitivity(&HY, &HP, 0.1).unwrap().threshold,
            0.9
        );
        for bad in [0.0, -0.1, 1.01, f64::NAN] {
            assert!(threshold_for_sensitivity(&HY, &HP, bad).is_err());
        }
        assert!(threshold_for_sensitivity(&[false, false], &[0.1, 0.2], 0.5).is_err());
    }

    #[test]
    fn confusion_conventions_and_json() {
        let empty = Confusion::default();
        for v in [
            empty.sensitivity(),
            empty.specificity(),
            empty.precision(),
            empty.npv(),
            empty.f1(),
            empty.f_beta(2.0),
            empty.accuracy(),
        ] {
            assert_eq!(v, 0.0);
        }
        let c = Confusion {
            tp: 1,
            fp: 2,
            tn: 3,
            fn_: 4,
        };
        let json = serde_json::to_string(&c).unwrap();
        assert_eq!(json, r#"{"tp":1,"fp":2,"tn":3,"fn":4}"#);
        assert_eq!(serde_json::from_str::<Confusion>(&json).unwrap(), c);
    }

    #[test]
    fn invalid_input_is_an_error_not_a_panic() {
        let y = [true, false];
        assert!(roc_auc(&y, &[0.1]).is_err());
        assert!(roc_auc(&[], &[]).is_err());
        assert!(roc_auc(&y, &[0.1, f64::NAN]).is_err());
        assert!(roc_auc(&y, &[0.1, f64::INFINITY]).is_err());
        assert!(matches!(
            roc_auc(&[true, true], &[0.1, 0.2]),
            Err(Error::InsufficientData(_))
        ));
        assert!(roc_curve(&[false, false], &[0.1, 0.2]).is_err());
        assert!(average_precision(&[false, false], &[0.1, 0.2]).is_err());
        assert!(pr_curve(&[false], &[0.1]).is_err());
        assert!(brier(&y, &[0.1, 1.5]).is_err());
        assert!(log_loss(&y, &[-0.1, 0.5]).is_err());
        assert!(confusion_at(&y, &[0.1, 0.2], f64::NAN).is_err());
        assert!(calibration_curve(&y, &[0.1, 0.2], 0, BinStrategy::Uniform).is_err());
        assert!(threshold_table(&y, &[0.1, 0.2], &[0.5, f64::INFINITY]).is_err());
        assert!(threshold_grid(0).is_err());
        assert!(evaluate(&[true, true], &[0.1, 0.2], 0.5).is_err());
        assert!(risk_bands(&y, &[0.1, 0.2], 0.0, 0.95).is_err());
        assert!(risk_bands(&y, &[0.1, 0.2], 0.5, 1.5).is_err());
        assert!(mean_sd(&[]).is_err());
        assert!(mean_sd(&[1.0, f64::NAN]).is_err());
        assert!(downsample_curve::<RocPoint>(&[], 1).is_err());
        // One class is fine where the metric is defined.
        assert_close!(brier(&[true], &[1.0]).unwrap(), 0.0);
        assert_close!(average_precision(&[true, true], &[0.3, 0.4]).unwrap(), 1.0);
    }

    // Reference values from scikit-learn. The data and numbers were produced by
    // `.scratch/ref.py` (not committed), essentially:
    //
    //   import numpy as np
    //   from sklearn.metrics import (roc_auc_score, average_precision_score,
    //       brier_score_loss, log_loss, roc_curve, precision_recall_curve)
    //   from sklearn.calibration import calibration_curve
    //   rng = np.random.default_rng(20240611); n = 41
    //   y = rng.random(n) < 0.35
    //   p = np.round(np.clip(0.3 + 0.35 * (y - 0.35) + rng.normal(0, 0.2, n), 0, 1), 1)
    //   roc_auc_score(y, p); average_precision_score(y, p); brier_score_loss(y, p)
    //   log_loss(y, p); roc_curve(y, p, drop_intermediate=False)
    //   precision_recall_curve(y, p)          # reversed to decreasing thresholds
    //   calibration_curve(y, p, n_bins=nb, strategy=s)  # nb in (5, 10), both strategies
    //   # counts: np.bincount(np.searchsorted(bins[1:-1], p), minlength=nb)
    //
    // Python 3.11.7, numpy 2.4.6, scikit-learn 1.9.1. Tolerance 1e-12 throughout.
    // Scores are rounded to one decimal, so there are many ties (and 0.0 / 1.0 occur),
    // and several scores sit exactly on bin edges.
    const RY: [bool; 41] = [
        true, false, false, false, true, true, false, false, false, false, true, false, false,
        false, true, false, false, false, false, true, false, false, true, false, false, true,
        false, true, false, true, true, true, false, true, true, false, false, false, true, false,
        false,
    ];
    const RP: [f64; 41] = [
        0.3, 0.1, 0.1, 0.0, 0.4, 0.5, 0.2, 0.0, 0.2, 0.1, 0.8, 0.0, 0.2, 0.1, 0.7, 0.0, 0.4, 0.0,
        0.0, 0.4, 0.2, 0.0, 0.4, 0.2, 0.2, 0.7, 0.3, 0.6, 0.4, 0.7, 0.3, 1.0, 0.2, 0.4, 0.6, 0.1,
        0.3, 0.0, 0.7, 0.0, 0.3,
    ];

    #[test]
    fn sklearn_reference_scores_with_ties() {
        assert_close!(roc_auc(&RY, &RP).unwrap(), 0.9717948717948718);
        assert_close!(average_precision(&RY, &RP).unwrap(), 0.9311111111111111);
        assert_close!(brier(&RY, &RP).unwrap(), 0.1051219512195122);
        assert_close!(log_loss(&RY, &RP).unwrap(), 0.33215204410113025);
        // log_loss([1, 0, 1, 0], [0, 1, 1, 0]) with eps clipping.
        assert_close!(
            log_loss(&[true, false, true, false], &[0.0, 1.0, 1.0, 0.0]).unwrap(),
            18.021826694558577
        );
    }

    #[test]
    fn sklearn_reference_scores_without_ties() {
        // rng = np.random.default_rng(99); m = 25; y2 = rng.random(m) < 0.4
        // p2 = np.round(1 / (1 + np.exp(-(1.2 * (2*y2 - 1) + rng.normal(0, 1.3, m)))), 9)
        let y2 = [
            false, false, false, false, false, false, true, false, false, false, false, true, true,
            true, true, true, false, true, false, true, true, false, false, false, false,
        ];
        let p2 = [
            0.040196495,
            0.089611578,
            0.633657386,
            0.275182022,
            0.213204969,
            0.513199674,
            0.898087745,
            0.220838584,
            0.115474138,
            0.794001306,
            0.425053143,
            0.300762057,
            0.908154367,
            0.900161599,
            0.905346351,
            0.662607684,
            0.671004247,
            0.556655827,
            0.592540182,
            0.829255837,
            0.96790832,
            0.153787937,
            0.426866135,
            0.474592163,
            0.165082319,
        ];
        assert_close!(roc_auc(&y2, &p2).unwrap(), 0.9027777777777777);
        assert_close!(average_precision(&y2, &p2).unwrap(), 0.8859840232389251);
        assert_close!(brier(&y2, &p2).unwrap(), 0.15183578805951745);
        assert_close!(log_loss(&y2, &p2).unwrap(), 0.4524191629083781);
    }

    #[test]
    fn sklearn_reference_curves() {
        let roc = roc_curve(&RY, &RP).unwrap();
        let fpr: Vec<f64> = roc.iter().map(|r| r.fpr).collect();
        let tpr: Vec<f64> = roc.iter().map(|r| r.tpr).collect();
        let thr: Vec<f64> = roc.iter().map(|r| r.threshold).collect();
        #[rustfmt::skip]
        assert_all_close(&fpr, &[0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.07692307692307693,
            0.19230769230769232, 0.46153846153846156, 0.6538461538461539, 1.0]);
        #[rustfmt::skip]
        let sk_tpr = [0.0, 0.06666666666666667, 0.13333333333333333, 0.4, 0.5333333333333333,
            0.6, 0.8666666666666667, 1.0, 1.0, 1.0, 1.0];
        assert_all_close(&tpr, &sk_tpr);
        // sklearn's first threshold is +inf; ours is the next f64 above 1.0.
        assert_eq!(thr[0], 1.0 + f64::EPSILON);
        assert_all_close(
            &thr[1..],
            &[1.0, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.0],
        );

        let pr = pr_curve(&RY, &RP).unwrap();
        let prec: Vec<f64> = pr.iter().map(|r| r.precision).collect();
        let rec: Vec<f64> = pr.iter().map(|r| r.recall).collect();
        #[rustfmt::skip]
        assert_all_close(&prec, &[1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.8666666666666667, 0.75,
            0.5555555555555556, 0.46875, 0.36585365853658536]);
        assert_all_close(&rec, &sk_tpr);
        assert_eq!(pr[0].threshold, thr[0]);
        assert_eq!(
            pr[1..].iter().map(|r| r.threshold).collect::<Vec<_>>(),
            thr[1..]
        );

        // No infinities or NaN reach JSON.
        let json = serde_json::to_string(&(roc, pr)).unwrap();
        assert!(!json.contains("null") && !json.contains("inf"));
    }

    #[test]
    fn sklearn_reference_calibration_curves() {
        type Case = (BinStrategy, usize, &'static [f64], &'static [f64]);
        #[rustfmt::skip]
        let cases: [Case; 4] = [
            (BinStrategy::Uniform, 5, &[0.0, 0.5454545454545454, 1.0, 1.0, 1.0],
                &[0.09047619047619049, 0.35454545454545444, 0.5666666666666668,
                  0.7200000000000001, 1.0]),
            (BinStrategy::Uniform, 10,
                &[0.0, 0.0, 0.4, 0.6666666666666666, 1.0, 1.0, 1.0, 1.0, 1.0],
                &[0.03571428571428571, 0.19999999999999998, 0.3, 0.39999999999999997, 0.5,
                  0.6, 0.7, 0.8, 1.0]),
            (BinStrategy::Quantile, 5, &[0.0, 0.0, 0.4, 0.7142857142857143, 1.0],
                &[0.0, 0.15833333333333335, 0.3, 0.41428571428571426, 0.725]),
            (BinStrategy::Quantile, 10,
                &[0.0, 0.0, 0.0, 0.4, 0.6666666666666666, 1.0, 1.0, 1.0],
                &[0.0, 0.1, 0.19999999999999998, 0.3, 0.39999999999999997, 0.5,
                  0.6666666666666666, 0.9]),
        ];
        for (strategy, nb, observed, predicted) in cases {
            let c = calibration_curve(&RY, &RP, nb, strategy).unwrap();
            let o: Vec<f64> = c.iter().map(|b| b.observed_rate).collect();
            let m: Vec<f64> = c.iter().map(|b| b.mean_predicted).collect();
            assert_all_close(&o, observed);
            assert_all_close(&m, predicted);
            assert_eq!(c.iter().map(|b| b.count).sum::<usize>(), RY.len());
            for b in &c {
                assert!(b.count > 0);
                assert!(b.lower <= b.observed_rate && b.observed_rate <= b.upper);
                assert!(b.lower >= 0.0 && b.upper <= 1.0);
            }
        }
        // Bin counts from np.bincount(np.searchsorted(bins[1:-1], p)).
        let counts = |s| -> Vec<usize> {
            calibration_curve(&RY, &RP, 5, s)
                .unwrap()
                .iter()
                .map(|b| b.count)
                .collect()
        };
        assert_eq!(counts(BinStrategy::Uniform), [21, 11, 3, 5, 1]);
        // Quantile edges are [0, 0, 0.2, 0.3, 0.5, 1]: scores of exactly 0 fill bin 0.
        assert_eq!(counts(BinStrategy::Quantile), [9, 12, 5, 7, 8]);
    }

    #[test]
    fn wilson_interval_known_values() {
        // Reference: scipy 1.17.1 `binomtest(k, 10).proportion_ci(method="wilson")` gives
        // (0.236593090512564, 0.7634069094874361) for k = 5 and (0.0, 0.27753279986288926)
        // for k = 0 (tolerance 1e-9: scipy's z differs in the last digits). By hand for
        // 5 / 10 the centre is (0.5 + z^2/20) / (1 + z^2/10) = 0.5.
        let (lo, hi) = wilson_interval(5, 10);
        assert_close!(lo, 0.236_593_090_5, 1e-9);
        assert_close!(hi, 0.763_406_909_5, 1e-9);
        let (lo, hi) = wilson_interval(0, 10);
        assert_eq!(lo, 0.0);
        assert_close!(hi, 0.277_532_799_9, 1e-9);
        assert_eq!(wilson_interval(0, 0), (0.0, 1.0));
    }

    #[test]
    fn threshold_table_and_grid() {
        let rows = threshold_table(&HY, &HP, &[0.5, 0.0, 2.0]).unwrap();
        assert_eq!(rows[0].confusion(), confusion_at(&HY, &HP, 0.5).unwrap());
        assert_close!(rows[0].alerts_per_100, 50.0);
        assert_close!(rows[0].npv, 0.8);
        assert_eq!(
            (rows[1].tp, rows[1].fp, rows[1].alerts_per_100),
            (4, 6, 100.0)
        );
        assert_eq!((rows[2].tp, rows[2].fp, rows[2].npv), (0, 0, 0.6));
        assert_eq!(rows[2].precision, 0.0);
        let grid = threshold_grid(GRID_STEPS).unwrap();
        assert_eq!(grid.len(), 101);
        assert_eq!(
            (grid[0], grid[1], grid[37], grid[100]),
            (0.0, 0.01, 0.37, 1.0)
        );
        let sweep = threshold_sweep(&RY, &RP).unwrap();
        assert_eq!(sweep.len(), 101);
        for row in &sweep {
            assert_eq!(
                row.confusion(),
                confusion_at(&RY, &RP, row.threshold).unwrap()
            );
        }
        let json = serde_json::to_value(sweep[0]).unwrap();
        assert!(json.get("fn").is_some() && json.get("fn_").is_none());
    }

    #[test]
    fn risk_bands_hand_worked() {
        // Rule-out at 75% sensitivity: low cut = 0.6 (see hand_worked_threshold_choice);
        // alert threshold 0.8 -> low [0, 0.6), moderate [0.6, 0.8), high [0.8, 1].
        let bands = risk_bands(&HY, &HP, 0.8, 0.75).unwrap();
        let names: Vec<&str> = bands.iter().map(|b| b.name.as_str()).collect();
        assert_eq!(names, ["low", "moderate", "high"]);
        assert_eq!(
            bands.iter().map(|b| (b.lower, b.upper)).collect::<Vec<_>>(),
            [(0.0, 0.6), (0.6, 0.8), (0.8, 1.0)]
        );
        // low: 0.55 0.4 0.3 0.2 0.1 0.05 (1 positive); moderate: 0.7 0.6; high: 0.9 0.8.
        assert_eq!(bands.iter().map(|b| b.count).collect::<Vec<_>>(), [6, 2, 2]);
        assert_close!(bands[0].observed_rate, 1.0 / 6.0);
        assert_close!(bands[1].observed_rate, 0.5);
        assert_close!(bands[2].observed_rate, 1.0);
        assert_close!(bands[0].fraction, 0.6);
        assert_eq!(band_for(&bands, 0.6).unwrap().name, "moderate");
        assert_eq!(band_for(&bands, 0.5999).unwrap().name, "low");
        assert_eq!(band_for(&bands, 1.0).unwrap().name, "high");
        assert_eq!(band_for(&bands, 1.5).unwrap().name, "high");
        assert_eq!(band_for(&bands, -0.5).unwrap().name, "low");
        assert!(band_for(&bands, f64::NAN).is_none());
        assert!(band_for(&[], 0.5).is_none());

        // Low cut above the alert threshold: two bands.
        let two = risk_bands(&HY, &HP, 0.5, 0.75).unwrap();
        assert_eq!(
            two.iter()
                .map(|b| (b.name.as_str(), b.lower, b.upper))
                .collect::<Vec<_>>(),
            [("low", 0.0, 0.5), ("high", 0.5, 1.0)]
        );
        // A positive at score 0 makes rule-out impossible: no empty "low" band.
        let none = risk_bands(&[true, false, true], &[0.0, 0.3, 0.9], 0.5, 0.95).unwrap();
        assert_eq!(
            none.iter().map(|b| b.name.as_str()).collect::<Vec<_>>(),
            ["moderate", "high"]
        );
        assert_eq!(none[0].lower, 0.0);
    }

    #[test]
    fn mean_sd_sample() {
        let (m, s) = mean_sd(&[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]).unwrap();
        assert_close!(m, 5.0);
        assert_close!(s, (32.0f64 / 7.0).sqrt());
        assert_eq!(mean_sd(&[3.0]).unwrap(), (3.0, 0.0));
    }

    #[test]
    fn downsample_keeps_ends_order_and_corners() {
        // A ROC-like step: 1000 points on the left edge, then 1000 on the top edge.
        let mut pts = Vec::new();
        for i in 0..=1000 {
            pts.push(RocPoint {
                threshold: 2.0 - i as f64 / 1000.0,
                fpr: 0.0,
                tpr: i as f64 / 1000.0,
            });
        }
        for i in 1..=1000 {
            pts.push(RocPoint {
                threshold: 1.0 - i as f64 / 1000.0,
                fpr: i as f64 / 1000.0,
                tpr: 1.0,
            });
        }
        let d = downsample_curve(&pts, 50).unwrap();
        assert_eq!(d.len(), 50);
        assert_eq!(d[0], pts[0]);
        assert_eq!(d[49], pts[pts.len() - 1]);
        assert!(d.windows(2).all(|w| w[0].threshold > w[1].threshold));
        // The corner (0, 1) is the shape-defining point and must survive.
        assert!(d.iter().any(|p| p.fpr == 0.0 && p.tpr == 1.0));
        assert_eq!(
            downsample_curve(&pts[..10], 50).unwrap(),
            pts[..10].to_vec()
        );
        assert_eq!(downsample_curve(&pts, 2).unwrap(), vec![pts[0], pts[2000]]);
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod props {
        use super::super::*;
        use proptest::prelude::*;

        /// Labels with both classes and scores from a coarse grid (so ties occur).
        fn labelled(tied: bool) -> impl Strategy<Value = (Vec<bool>, Vec<f64>)> {
            (2usize..60).prop_flat_map(move |n| {
                let score = if tied {
                    (0u32..=10).prop_map(|k| k as f64 / 10.0).boxed()
                } else {
                    (0.0f64..=1.0).boxed()
                };
                (
                    proptest::collection::vec(any::<bool>(), n).prop_filter("both classes", |y| {
                        y.iter().any(|&b| b) && !y.iter().all(|&b| b)
                    }),
                    proptest::collection::vec(score, n),
                )
            })
        }

        /// Brute-force AUC: P(pos > neg) + 0.5 P(pos == neg).
        fn pairwise_auc(y: &[bool], p: &[f64]) -> f64 {
            let (mut s, mut pairs) = (0.0, 0.0);
            for i in 0..y.len() {
                for j in 0..y.len() {
                    if y[i] && !y[j] {
                        pairs += 1.0;
                        s += if p[i] > p[j] {
                            1.0
                        } else if p[i] == p[j] {
                            0.5
                        } else {
                            0.0
                        };
                    }
                }
            }
            s / pairs
        }

        proptest! {
            #[test]
            fn auc_in_unit_interval_matches_pairs_and_flips((y, p) in labelled(true)) {
                let auc = roc_auc(&y, &p).unwrap();
                prop_assert!((0.0..=1.0).contains(&auc));
                prop_assert!((auc - pairwise_auc(&y, &p)).abs() < 1e-12);
                // 1 - p reverses the order exactly for these grid scores (ties stay ties).
                let q: Vec<f64> = p.iter().map(|v| 1.0 - v).collect();
                prop_assert!((roc_auc(&y, &q).unwrap() - (1.0 - auc)).abs() < 1e-12);
                let ap = average_precision(&y, &p).unwrap();
                prop_assert!((0.0..=1.0).contains(&ap));
            }

            #[test]
            fn auc_flip_without_ties((y, p) in labelled(false)) {
                let auc = roc_auc(&y, &p).unwrap();
                let q: Vec<f64> = p.iter().map(|v| 1.0 - v).collect();
                prop_assert!((roc_auc(&y, &q).unwrap() - (1.0 - auc)).abs() < 1e-12);
            }

            #[test]
            fn curves_are_monotone_and_end_at_one((y, p) in labelled(true)) {
                let roc = roc_curve(&y, &p).unwrap();
                prop_assert_eq!((roc[0].fpr, roc[0].tpr), (0.0, 0.0));
                let last = roc[roc.len() - 1];
                prop_assert_eq!((last.fpr, last.tpr), (1.0, 1.0));
                for w in roc.windows(2) {
                    prop_assert!(w[0].threshold > w[1].threshold);
                    prop_assert!(w[0].fpr <= w[1].fpr && w[0].tpr <= w[1].tpr);
                }
                let pr = pr_curve(&y, &p).unwrap();
                prop_assert_eq!(pr.len(), roc.len());
                for (a, b) in pr.iter().zip(&roc) {
                    prop_assert_eq!(a.threshold, b.threshold);
                    prop_assert_eq!(a.recall, b.tpr);
                }
            }

            #[test]
            fn threshold_for_sensitivity_is_tight(
                (y, p) in labelled(true),
                target in 0.01f64..=1.0,
            ) {
                let c = threshold_for_sensitivity(&y, &p, target).unwrap();
                let at = confusion_at(&y, &p, c.threshold).unwrap();
                prop_assert!(at.sensitivity() >= target);
                prop_assert_eq!(at.sensitivity(), c.sensitivity);
                prop_assert!(p.contains(&c.threshold));
                // The next higher candidate misses the target.
                let next = p.iter().copied().filter(|&v| v > c.threshold).fold(f64::NAN, f64::min);
                if !next.is_nan() {
                    prop_assert!(confusion_at(&y, &p, next).unwrap().sensitivity() < target);
                }
            }

            #[test]
            fn risk_bands_partition_unit_interval(
                (y, p) in labelled(true),
                alert in 0.01f64..=1.0,
                rule_out in 0.5f64..=1.0,
            ) {
                let bands = risk_bands(&y, &p, alert, rule_out).unwrap();
                prop_assert!(!bands.is_empty() && bands.len() <= 3);
                prop_assert_eq!(bands[0].lower, 0.0);
                prop_assert_eq!(bands[bands.len() - 1].upper, 1.0);
                prop_assert_eq!(bands[bands.len() - 1].name.as_str(), "high");
                prop_assert_eq!(bands[bands.len() - 1].lower, alert);
                for w in bands.windows(2) {
                    prop_assert_eq!(w[0].upper, w[1].lower);
                    prop_assert!(w[0].lower < w[0].upper);
                }
                prop_assert_eq!(bands.iter().map(|b| b.count).sum::<usize>(), y.len());
                let frac: f64 = bands.iter().map(|b| b.fraction).sum();
                prop_assert!((frac - 1.0).abs() < 1e-12);
                // Every score lands in exactly one band, the one band_for reports.
                for &v in &p {
                    let hits: Vec<usize> = (0..bands.len())
                        .filter(|&i| bands[i].lower <= v
                            && (v < bands[i].upper || (i == bands.len() - 1 && v <= 1.0)))
                        .collect();
                    prop_assert_eq!(hits.len(), 1);
                    prop_assert_eq!(band_index(&bands, v), Some(hits[0]));
                }
                // The low band holds at most (1 - rule_out) of the positives.
                if bands[0].name == "low" {
                    let pos = y.iter().filter(|&&b| b).count() as f64;
                    let low_pos = y.iter().zip(&p)
                        .filter(|&(&yi, &pi)| yi && pi < bands[0].upper).count() as f64;
                    prop_assert!(low_pos / pos <= 1.0 - rule_out + 1e-12);
                }
            }

            #[test]
            fn downsample_bounds(n in 0usize..300, max in 2usize..40) {
                let pts: Vec<PrPoint> = (0..n)
                    .map(|i| PrPoint { threshold: -(i as f64), precision: (i as f64).sin().abs(), recall: i as f64 })
                    .collect();
                let d = downsample_curve(&pts, max).unwrap();
                prop_assert_eq!(d.len(), n.min(max));
                if n > 0 {
                    prop_assert_eq!(d[0], pts[0]);
                    prop_assert_eq!(d[d.len() - 1], pts[n - 1]);
                }
                prop_assert!(d.windows(2).all(|w| w[0].threshold > w[1].threshold));
            }
        }
    }
}
