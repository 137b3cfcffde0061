//! ROC and precision-recall curves (one point per distinct score, as scikit-learn), their
//! areas, and downsampling of any curve for storage and drawing.

use serde::{Deserialize, Serialize};

use super::{check_inputs, check_probabilities, require_both_classes, require_positives};
use crate::core::{Error, Result};

/// One step of the cumulative curve: at `threshold` (a distinct score), `tps` positives and
/// `fps` negatives score `>= threshold`.
#[derive(Debug, Clone, Copy)]
pub(super) struct Step {
    pub(super) threshold: f64,
    pub(super) tps: usize,
    pub(super) fps: usize,
}

/// Cumulative counts at every distinct score, in decreasing score order (scikit-learn's
/// `_binary_clf_curve`). Inputs must already be validated.
pub(super) fn cumulative_steps(y: &[bool], p: &[f64]) -> Vec<Step> {
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
pub(super) fn start_threshold(max_score: f64) -> f64 {
    // `f64::next_up` needs Rust 1.86 (MSRV is 1.85): for a positive finite value the next
    // representable `f64` is the next bit pattern.
    let t = f64::from_bits(max_score.max(1.0).to_bits() + 1);
    if t.is_finite() { t } else { f64::MAX }
}

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
    Ok(area_under_roc(cumulative_steps(y, p), pos, neg))
}

/// The ROC area from the steps in decreasing threshold order, `pos` positives and `neg`
/// negatives in all.
fn area_under_roc(steps: impl IntoIterator<Item = Step>, pos: usize, neg: usize) -> f64 {
    // Twice the area in units of 1 / (pos * neg).
    let mut twice: u128 = 0;
    let (mut prev_tps, mut prev_fps) = (0u128, 0u128);
    for s in steps {
        let (tps, fps) = (s.tps as u128, s.fps as u128);
        twice += (fps - prev_fps) * (tps + prev_tps);
        prev_tps = tps;
        prev_fps = fps;
    }
    twice as f64 / (2.0 * pos as f64 * neg as f64)
}

/// The average precision from the steps in decreasing threshold order, `pos` positives in
/// all.
fn precision_area(steps: impl IntoIterator<Item = Step>, pos: usize) -> f64 {
    let mut ap = 0.0;
    let mut prev_tps = 0usize;
    for s in steps {
        if s.tps > prev_tps {
            let recall_gain = (s.tps - prev_tps) as f64 / pos as f64;
            ap += recall_gain * (s.tps as f64 / (s.tps + s.fps) as f64);
        }
        prev_tps = s.tps;
    }
    ap.clamp(0.0, 1.0)
}

/// [`roc_auc`] and [`average_precision`] of probabilities the call may consume, bit for bit
/// the same, in 8 bytes a sample where those two take up to 40 (an index array and a step per
/// distinct score): each probability becomes a sort key in its own buffer (its bits shifted
/// left by one, the label in the lowest bit; `-0.0` counted as `0.0`, which it equals), the
/// keys are sorted in place and walked in decreasing score order, once per area. For
/// evaluations of millions of rows (`sepsis-risk evaluate` on a streamed file).
///
/// Errors unless both classes are present, on mismatched lengths and on scores outside
/// `[0, 1]`.
pub fn ranking_areas(y: &[bool], p: Vec<f64>) -> Result<(f64, f64)> {
    check_probabilities(y, &p)?;
    let (pos, neg) = require_both_classes(y)?;
    // Collected in place: the keys reuse the probabilities' buffer.
    let mut keys: Vec<u64> = p
        .into_iter()
        .zip(y)
        .map(|(v, &label)| ((v + 0.0).to_bits() << 1) | u64::from(label))
        .collect();
    keys.sort_unstable();
    Ok((
        area_under_roc(key_steps(&keys), pos, neg),
        precision_area(key_steps(&keys), pos),
    ))
}

/// The steps of [`cumulative_steps`] from [`ranking_areas`]'s keys sorted increasingly.
fn key_steps(keys: &[u64]) -> impl Iterator<Item = Step> + '_ {
    let (mut tps, mut fps, mut end) = (0usize, 0usize, keys.len());
    std::iter::from_fn(move || {
        let score = keys[..end].last()? >> 1;
        while let Some(&k) = keys[..end].last().filter(|&&k| k >> 1 == score) {
            if k & 1 == 1 {
                tps += 1;
            } else {
                fps += 1;
            }
            end -= 1;
        }
        Some(Step {
            threshold: f64::from_bits(score),
            tps,
            fps,
        })
    })
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
    Ok(precision_area(cumulative_steps(y, p), pos))
}

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
