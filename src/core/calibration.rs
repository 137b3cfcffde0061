//! Probability calibration: maps a model's raw probabilities to calibrated ones.
//!
//! - [`Calibrator::fit_platt`]: Platt scaling on the logit of the score, with Platt's target
//!   smoothing and the Newton / backtracking algorithm of Lin, Lin & Weng (2007).
//! - [`Calibrator::fit_isotonic`]: isotonic regression (pool-adjacent-violators), predicting
//!   like scikit-learn's `IsotonicRegression(out_of_bounds="clip")`.
//!
//! A fitted calibrator is plain data and serialises (tagged by `"kind"`) into the model
//! bundle. [`Calibrator::apply`] is monotone non-decreasing and returns values in `[0, 1]`.

use crate::core::num;
use serde::{Deserialize, Serialize};

use super::{Error, Result};

/// Scores are clipped to `[LOGIT_CLIP, 1 - LOGIT_CLIP]` before taking the logit in Platt
/// scaling, so probabilities of exactly 0 or 1 map to about `-/+ 27.6`.
pub const LOGIT_CLIP: f64 = 1e-12;

/// Maximum Newton iterations of [`Calibrator::fit_platt`] (Lin et al. use 100).
const PLATT_MAX_ITER: usize = 100;
/// Smallest line-search step before giving up (Lin et al.).
const PLATT_MIN_STEP: f64 = 1e-10;
/// Hessian ridge for numerical stability (Lin et al.).
const PLATT_SIGMA: f64 = 1e-12;
/// Gradient tolerance for convergence (Lin et al.).
const PLATT_EPS: f64 = 1e-5;

/// A fitted probability calibrator.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", try_from = "CalibratorRepr")]
pub enum Calibrator {
    /// No calibration: `apply(p) = p` (clamped to `[0, 1]`). The default.
    #[default]
    Identity,
    /// Platt scaling: `apply(p) = 1 / (1 + exp(a * logit(p) + b))`, with `p` clipped to
    /// `[LOGIT_CLIP, 1 - LOGIT_CLIP]`. `a <= 0` keeps the map non-decreasing.
    Platt {
        /// Slope on `logit(p)` (Platt's `A`; negative for informative scores).
        a: f64,
        /// Intercept (Platt's `B`).
        b: f64,
    },
    /// Isotonic regression: piecewise-linear interpolation through `(x[i], y[i])`, constant
    /// outside `[x[0], x[last]]`.
    Isotonic {
        /// Strictly increasing knot positions (scores).
        x: Vec<f64>,
        /// Non-decreasing calibrated probabilities at the knots.
        y: Vec<f64>,
    },
}

/// The serial form of a [`Calibrator`] when reading: the tag and every variant's fields
/// (`crate::core::tagged`: no buffering, any field order).
#[derive(Deserialize)]
struct CalibratorRepr {
    kind: String,
    a: Option<f64>,
    b: Option<f64>,
    x: Option<Vec<f64>>,
    y: Option<Vec<f64>>,
}

impl TryFrom<CalibratorRepr> for Calibrator {
    type Error = String;

    fn try_from(r: CalibratorRepr) -> std::result::Result<Self, String> {
        let need = |f: &str| format!("missing field `{f}`");
        Ok(match r.kind.as_str() {
            "identity" => Calibrator::Identity,
            "platt" => Calibrator::Platt {
                a: r.a.ok_or_else(|| need("a"))?,
                b: r.b.ok_or_else(|| need("b"))?,
            },
            "isotonic" => Calibrator::Isotonic {
                x: r.x.ok_or_else(|| need("x"))?,
                y: r.y.ok_or_else(|| need("y"))?,
            },
            other => return Err(format!("unknown calibrator kind `{other}`")),
        })
    }
}

fn logit_clipped(p: f64) -> f64 {
    let q = p.clamp(LOGIT_CLIP, 1.0 - LOGIT_CLIP);
    num::ln(q / (1.0 - q))
}

/// Labels and scores have equal non-zero length, scores are probabilities and both classes
/// occur. Returns `(positives, negatives)`.
fn check_fit_inputs(scores: &[f64], y: &[bool]) -> Result<(usize, usize)> {
    if scores.len() != y.len() {
        return Err(Error::param(
            "scores",
            format!(
                "{} scores for {} labels (lengths must match)",
                scores.len(),
                y.len()
            ),
        ));
    }
    if let Some(i) = scores
        .iter()
        .position(|v| !(v.is_finite() && (0.0..=1.0).contains(v)))
    {
        return Err(Error::param(
            "scores",
            format!(
                "score at index {i} is not a probability in [0, 1] ({})",
                scores[i]
            ),
        ));
    }
    let pos = y.iter().filter(|&&b| b).count();
    let neg = y.len() - pos;
    if pos == 0 || neg == 0 {
        return Err(Error::InsufficientData(format!(
            "only one class present ({pos} positives, {neg} negatives)"
        )));
    }
    Ok((pos, neg))
}

/// Platt's objective: cross-entropy of targets `t` against `1 / (1 + exp(a f + b))`, in the
/// overflow-safe form of Lin et al.
fn platt_objective(f: &[f64], t: &[f64], a: f64, b: f64) -> f64 {
    f.iter()
        .zip(t)
        .map(|(&fi, &ti)| {
            let z = fi * a + b;
            if z >= 0.0 {
                ti * z + num::ln_1p(num::exp(-z))
            } else {
                (ti - 1.0) * z + num::ln_1p(num::exp(z))
            }
        })
        .sum()
}

/// Lin, Lin & Weng's Algorithm 1 on logits `f` and targets `t`, from `a = 0, b = b0`:
/// `Some((a, b))` when its gradient test passes, `None` when it runs out of iterations or its
/// line search cannot make progress with a gradient that is not negligible.
fn platt_lin(f: &[f64], t: &[f64], b0: f64) -> Option<(f64, f64)> {
    let mut a = 0.0;
    let mut b = b0;
    let mut fval = platt_objective(f, t, a, b);
    for _ in 0..PLATT_MAX_ITER {
        let [h11, h22, h21, g1, g2] = platt_sums(f, t, a, b, PLATT_SIGMA);
        if g1.abs() < PLATT_EPS && g2.abs() < PLATT_EPS {
            return (a.is_finite() && b.is_finite()).then_some((a, b));
        }
        let det = h11 * h22 - h21 * h21;
        let da = -(h22 * g1 - h21 * g2) / det;
        let db = -(-h21 * g1 + h11 * g2) / det;
        let gd = g1 * da + g2 * db;
        let mut step = 1.0;
        let mut accepted = false;
        while step >= PLATT_MIN_STEP {
            let (na, nb) = (a + step * da, b + step * db);
            let nf = platt_objective(f, t, na, nb);
            if nf < fval + 1e-4 * step * gd {
                a = na;
                b = nb;
                fval = nf;
                accepted = true;
                break;
            }
            step /= 2.0;
        }
        if !accepted {
            // The line search cannot improve: accept if the gradient is negligible
            // relative to the sample size (rounding in the sums), else give up.
            let tol = PLATT_EPS.max(1e-9 * f.len() as f64);
            let ok = g1.abs() < tol && g2.abs() < tol && a.is_finite() && b.is_finite();
            return ok.then_some((a, b));
        }
    }
    None
}

/// Platt's targets `t` (smoothed labels), logits `f` of the clipped scores, and Lin et al.'s
/// starting intercept, for labels `y` with `pos` positives and `neg` negatives.
fn platt_problem(scores: &[f64], y: &[bool], pos: usize, neg: usize) -> (Vec<f64>, Vec<f64>, f64) {
    let (prior1, prior0) = (pos as f64, neg as f64);
    let hi = (prior1 + 1.0) / (prior1 + 2.0);
    let lo = 1.0 / (prior0 + 2.0);
    let t = y.iter().map(|&b| if b { hi } else { lo }).collect();
    let f = scores.iter().map(|&s| logit_clipped(s)).collect();
    (t, f, num::ln((prior0 + 1.0) / (prior1 + 1.0)))
}

/// The Hessian and gradient sums of Platt's objective at `(a, b)`:
/// `[h11, h22, h21, g1, g2]`, the Hessian's diagonal starting from `ridge`.
fn platt_sums(f: &[f64], t: &[f64], a: f64, b: f64, ridge: f64) -> [f64; 5] {
    let (mut h11, mut h22, mut h21) = (ridge, ridge, 0.0);
    let (mut g1, mut g2) = (0.0, 0.0);
    for (&fi, &ti) in f.iter().zip(t) {
        let (p, q) = sigmoid_pair(fi * a + b);
        let d2 = p * q;
        h11 += fi * fi * d2;
        h22 += d2;
        h21 += fi * d2;
        let d1 = ti - p;
        g1 += fi * d1;
        g2 += d1;
    }
    [h11, h22, h21, g1, g2]
}

/// `(P(y = 1), P(y = 0)) = (1 / (1 + exp(z)), exp(z) / (1 + exp(z)))`, overflow-safe.
fn sigmoid_pair(z: f64) -> (f64, f64) {
    if z >= 0.0 {
        let e = num::exp(-z);
        (e / (1.0 + e), 1.0 / (1.0 + e))
    } else {
        let e = num::exp(z);
        (1.0 / (1.0 + e), e / (1.0 + e))
    }
}

/// Iterations of [`platt_robust`].
const ROBUST_MAX_ITER: usize = 500;

/// Platt's objective minimised where Lin et al.'s iteration gives up, always returning a
/// finite `(a, b)` on the original logits:
/// - constant logits: `a = 0`, `b` = the logit-odds of the mean target (the optimum; every
///   fit of constant scores predicts one value);
/// - otherwise logits centred and scaled to unit spread, objective and gradient averaged
///   over rows (so tolerances do not grow with the row count), Newton steps on the 2×2
///   Hessian damped Levenberg-style when the line search fails, stopping when the gradient
///   or the Newton decrement is at rounding level, or when no step along a descent
///   direction lowers the objective any more (the optimum to the arithmetic's precision).
///   The objective is strictly convex with a finite optimum (Platt's targets are strictly
///   inside `(0, 1)`), so each accepted step brings the fit closer; the best iterate is
///   returned even if the iteration budget runs out.
fn platt_robust(f: &[f64], t: &[f64]) -> (f64, f64) {
    let n = f.len() as f64;
    let mean_t = t.iter().sum::<f64>() / n;
    let b_constant = num::ln((1.0 - mean_t) / mean_t);
    let m = f.iter().sum::<f64>() / n;
    let sd = (f.iter().map(|&x| (x - m) * (x - m)).sum::<f64>() / n).sqrt();
    if sd.is_nan() || sd <= 1e-9 * (1.0 + m.abs()) {
        return (0.0, b_constant);
    }
    let u: Vec<f64> = f.iter().map(|&x| (x - m) / sd).collect();
    let objective = |a: f64, b: f64| platt_objective(&u, t, a, b) / n;
    // Start from the constant fit (a = 0): its objective is finite and its gradient in b is 0.
    let (mut a, mut b) = (0.0, b_constant);
    let mut fval = objective(a, b);
    let mut damping = 0.0;
    for _ in 0..ROBUST_MAX_ITER {
        let [h11, h22, h21, g1, g2] = platt_sums(&u, t, a, b, 0.0).map(|v| v / n);
        if g1.abs().max(g2.abs()) < 1e-13 {
            break;
        }
        let mut improved = false;
        // Up to 30 damping levels: from the plain Newton step towards a short gradient step.
        for _ in 0..30 {
            let (k11, k22) = (h11 + damping + 1e-15, h22 + damping + 1e-15);
            let det = k11 * k22 - h21 * h21;
            if det.is_nan() || det <= 0.0 {
                damping = (damping * 10.0).max(1e-10);
                continue;
            }
            let da = -(k22 * g1 - h21 * g2) / det;
            let db = -(-h21 * g1 + k11 * g2) / det;
            let gd = g1 * da + g2 * db;
            if gd.is_nan() || gd >= 0.0 || -gd < 1e-30 {
                // The Newton decrement is at rounding level: converged.
                return back_to_logits(a, b, m, sd);
            }
            let mut step = 1.0;
            while step >= 1e-6 {
                let (na, nb) = (a + step * da, b + step * db);
                let nf = objective(na, nb);
                if nf.is_finite() && nf < fval + 1e-4 * step * gd {
                    a = na;
                    b = nb;
                    fval = nf;
                    improved = true;
                    break;
                }
                step /= 2.0;
            }
            if improved {
                damping /= 10.0;
                if damping < 1e-10 {
                    damping = 0.0;
                }
                break;
            }
            damping = (damping * 10.0).max(1e-10);
        }
        if !improved {
            // No descent step lowers the objective in floating point: the optimum.
            break;
        }
    }
    back_to_logits(a, b, m, sd)
}

/// `(a, b)` on centred, scaled logits `(f - m) / sd` as `(a', b')` on `f`.
fn back_to_logits(a: f64, b: f64, m: f64, sd: f64) -> (f64, f64) {
    (a / sd, b - a * m / sd)
}

impl Calibrator {
    /// Short lower-case name: `"identity"`, `"platt"` or `"isotonic"`.
    pub fn name(&self) -> &'static str {
        match self {
            Calibrator::Identity => "identity",
            Calibrator::Platt { .. } => "platt",
            Calibrator::Isotonic { .. } => "isotonic",
        }
    }

    /// Fits Platt scaling on `f = logit(clip(score))` with Platt's smoothed targets
    /// `(N+ + 1) / (N+ + 2)` for positives and `1 / (N- + 2)` for negatives, by Newton's
    /// method with backtracking line search (Lin, Lin & Weng 2007, "A note on Platt's
    /// probabilistic outputs for support vector machines", Algorithm 1).
    ///
    /// If the unconstrained optimum has `a > 0` (scores anti-correlated with the outcome),
    /// the fit is constrained to `a = 0` (the optimum over `a <= 0` of the concave
    /// likelihood), so the calibrator stays monotone non-decreasing; it then predicts the
    /// smoothed prevalence everywhere.
    ///
    /// Lin et al.'s iteration runs first, verbatim (so fits it can do are unchanged). Where it
    /// stops short of its tolerance (the gradient is a sum over every row, so on hundreds of
    /// thousands of rows, near-separated or constant scores it may never get under `1e-5`),
    /// [`platt_robust`] finishes the job: same objective on centred and scaled logits,
    /// averaged over rows, with a damped Newton step and a convergence test that is
    /// relative to the arithmetic's precision. It always returns the best fit it found
    /// (issue 15: training on another hospital's export failed here).
    ///
    /// Errors if lengths differ, scores are not probabilities in `[0, 1]` or only one class
    /// is present.
    pub fn fit_platt(scores: &[f64], y: &[bool]) -> Result<Calibrator> {
        let (pos, neg) = check_fit_inputs(scores, y)?;
        let (t, f, start) = platt_problem(scores, y, pos, neg);
        let (a, b) = match platt_lin(&f, &t, start) {
            Some(ab) => ab,
            None => platt_robust(&f, &t),
        };
        if !a.is_finite() || !b.is_finite() {
            // Unreachable for finite logits (the objective is finite and the robust path
            // only accepts finite decreasing iterates); kept as a guard, not a fallback.
            return Err(Error::Numerical(format!(
                "Platt scaling produced a non-finite fit (a = {a}, b = {b})"
            )));
        }
        if a > 0.0 {
            // Constrained optimum on a = 0: the constant prediction mean(t).
            let m = t.iter().sum::<f64>() / t.len() as f64;
            return Ok(Calibrator::Platt {
                a: 0.0,
                b: num::ln((1.0 - m) / m),
            });
        }
        Ok(Calibrator::Platt { a, b })
    }

    /// Fits a non-decreasing isotonic regression of the outcome on the score by
    /// pool-adjacent-violators, as scikit-learn's `IsotonicRegression(increasing=True,
    /// out_of_bounds="clip")` does: samples are sorted by score, scores closer than `1e-15`
    /// to the first of their group are merged (outcome averaged, weight = count), PAVA runs
    /// on the merged points, and knots interior to a run of equal fitted values are dropped.
    /// Prediction interpolates linearly between the remaining knots (so it is flat across a
    /// pooled block and linear between adjacent blocks) and is constant outside the fitted
    /// score range.
    ///
    /// Errors if lengths differ, scores are not probabilities or only one class is present.
    pub fn fit_isotonic(scores: &[f64], y: &[bool]) -> Result<Calibrator> {
        check_fit_inputs(scores, y)?;
        let mut order: Vec<usize> = (0..scores.len()).collect();
        order.sort_unstable_by(|&i, &j| {
            // The index last: the order of a stable sort (D12).
            (scores[i].total_cmp(&scores[j]))
                .then(y[i].cmp(&y[j]))
                .then(i.cmp(&j))
        });

        // Merge (near-)duplicate scores like scikit-learn's `_make_unique`.
        const RESOLUTION: f64 = 1e-15;
        let mut ux: Vec<f64> = Vec::new();
        let mut uy: Vec<f64> = Vec::new();
        let mut uw: Vec<f64> = Vec::new();
        let (mut cur_x, mut sum_y, mut w) = (scores[order[0]], 0.0, 0.0);
        for &i in &order {
            let x = scores[i];
            if x - cur_x >= RESOLUTION {
                ux.push(cur_x);
                uy.push(sum_y / w);
                uw.push(w);
                cur_x = x;
                sum_y = 0.0;
                w = 0.0;
            }
            w += 1.0;
            sum_y += if y[i] { 1.0 } else { 0.0 };
        }
        ux.push(cur_x);
        uy.push(sum_y / w);
        uw.push(w);

        // Pool adjacent violators: blocks of (weighted mean, weight, length).
        let mut blocks: Vec<(f64, f64, usize)> = Vec::with_capacity(uy.len());
        for (&v, &wt) in uy.iter().zip(&uw) {
            blocks.push((v, wt, 1));
            while blocks.len() >= 2 {
                let (v2, w2, l2) = blocks[blocks.len() - 1];
                let (v1, w1, l1) = blocks[blocks.len() - 2];
                if v1 < v2 {
                    break;
                }
                let wsum = w1 + w2;
                blocks.truncate(blocks.len() - 2);
                blocks.push(((v1 * w1 + v2 * w2) / wsum, wsum, l1 + l2));
            }
        }
        let fitted: Vec<f64> = blocks
            .iter()
            .flat_map(|&(v, _, len)| std::iter::repeat_n(v.clamp(0.0, 1.0), len))
            .collect();

        // Drop knots whose value equals both neighbours (scikit-learn's trim_duplicates).
        let m = fitted.len();
        let mut x = Vec::new();
        let mut yv = Vec::new();
        for i in 0..m {
            let keep =
                i == 0 || i == m - 1 || fitted[i] != fitted[i - 1] || fitted[i] != fitted[i + 1];
            if keep {
                x.push(ux[i]);
                yv.push(fitted[i]);
            }
        }
        Ok(Calibrator::Isotonic { x, y: yv })
    }

    /// Checks that the parameters describe a valid monotone calibrator (useful after
    /// deserialising a bundle): Platt needs finite `a <= 0` and finite `b`; isotonic needs
    /// equally long, non-empty knot lists with finite, strictly increasing `x` and
    /// non-decreasing `y` in `[0, 1]`.
    pub fn validate(&self) -> Result<()> {
        match self {
            Calibrator::Identity => Ok(()),
            Calibrator::Platt { a, b } => {
                if !(a.is_finite() && b.is_finite()) {
                    return Err(Error::param("platt", "coefficients must be finite"));
                }
                if *a > 0.0 {
                    return Err(Error::param(
                        "platt",
                        "slope `a` must be <= 0 for a non-decreasing map",
                    ));
                }
                Ok(())
            }
            Calibrator::Isotonic { x, y } => {
                if x.is_empty() || x.len() != y.len() {
                    return Err(Error::param(
                        "isotonic",
                        "knot lists must be non-empty and of equal length",
                    ));
                }
                if x.iter().any(|v| !v.is_finite()) || x.windows(2).any(|w| w[0] >= w[1]) {
                    return Err(Error::param(
                        "isotonic",
                        "knot positions must be finite and strictly increasing",
                    ));
                }
                if y.iter().any(|v| !(0.0..=1.0).contains(v)) || y.windows(2).any(|w| w[0] > w[1]) {
                    return Err(Error::param(
                        "isotonic",
                        "knot values must be non-decreasing probabilities",
                    ));
                }
                Ok(())
            }
        }
    }

    /// Calibrated probability for score `p`.
    ///
    /// For a valid calibrator (as fitted, or checked by [`Calibrator::validate`]) the result
    /// is in `[0, 1]` and non-decreasing in `p`; every result is clamped to `[0, 1]`. Scores
    /// outside `[0, 1]` are treated like the nearest end for Platt and isotonic (which clip
    /// anyway). A `NaN` score gives `NaN`: no probability is invented for a missing score.
    pub fn apply(&self, p: f64) -> f64 {
        if p.is_nan() {
            return f64::NAN;
        }
        let out = match self {
            Calibrator::Identity => p,
            Calibrator::Platt { a, b } => {
                let z = a * logit_clipped(p) + b;
                1.0 / (1.0 + num::exp(z))
            }
            Calibrator::Isotonic { x, y } => interpolate_clipped(x, y, p),
        };
        if out.is_nan() {
            out
        } else {
            out.clamp(0.0, 1.0)
        }
    }

    /// [`Calibrator::apply`] to every score.
    pub fn apply_all(&self, p: &[f64]) -> Vec<f64> {
        p.iter().map(|&v| self.apply(v)).collect()
    }
}

/// Piecewise-linear interpolation through `(xs, ys)`, constant beyond the ends (like
/// `np.interp`). Within a segment the value is clamped to the segment's end values, so
/// rounding can never break monotonicity at a knot. An empty knot list gives `NaN`.
fn interpolate_clipped(xs: &[f64], ys: &[f64], p: f64) -> f64 {
    let n = xs.len().min(ys.len());
    if n == 0 {
        return f64::NAN;
    }
    if p <= xs[0] {
        return ys[0];
    }
    if p >= xs[n - 1] {
        return ys[n - 1];
    }
    // First knot strictly greater than p; 1 <= j <= n - 1 here.
    let j = xs[..n].partition_point(|&v| v <= p);
    let (x0, x1, y0, y1) = (xs[j - 1], xs[j], ys[j - 1], ys[j]);
    let t = (p - x0) / (x1 - x0);
    let v = y0 + t * (y1 - y0);
    // `max`/`min` rather than `clamp`, which panics on NaN bounds from a corrupt bundle.
    v.max(y0.min(y1)).min(y0.max(y1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::metrics::brier;
    use crate::core::rng::Rng;

    // Platt reference. `scripts/reference/calibration.py` generated the data and ran
    // Lin, Lin & Weng's Algorithm 1 verbatim in Python on f = logit(clip(p, 1e-12)):
    //
    //   rng = np.random.default_rng(7); n = 30; y = rng.random(n) < 0.4
    //   z = 2.5 * (2*y - 1) * 0.8 + rng.normal(0, 1.6, n)
    //   p = np.round(1 / (1 + np.exp(-z)), 6)
    //   -> A = -1.0200046344374585, B = 0.5996955823458477 (5 Newton iterations)
    //
    // scikit-learn 1.9.1's `calibration._sigmoid_calibration(f, y)` (L-BFGS on the same
    // objective) gives A = -1.0200049086397078, B = 0.5996957754109339, i.e. the same optimum
    // to its looser tolerance. Python 3.11.7, numpy 2.4.6, scipy 1.17.1.
    // Tolerances: 1e-9 against the verbatim algorithm, 1e-5 against scikit-learn.
    const PY: [bool; 30] = [
        false, false, false, true, true, false, true, false, false, false, true, true, true, false,
        false, false, false, false, false, false, true, true, false, true, true, false, false,
        false, false, false,
    ];
    const PP: [f64; 30] = [
        0.011564, 0.059278, 0.027501, 0.669486, 0.975813, 0.035845, 0.875225, 0.357788, 0.05051,
        0.101677, 0.898141, 0.891102, 0.509976, 0.132599, 0.54342, 0.011257, 0.348648, 0.140755,
        0.046249, 0.768643, 0.961566, 0.520273, 0.1323, 0.948957, 0.845267, 0.287544, 0.108474,
        0.282437, 0.574842, 0.043895,
    ];

    #[test]
    fn platt_matches_python_reference() {
        let c = Calibrator::fit_platt(&PP, &PY).unwrap();
        let Calibrator::Platt { a, b } = c else {
            panic!("not Platt: {c:?}")
        };
        assert!((a - -1.0200046344374585).abs() < 1e-9, "a = {a}");
        assert!((b - 0.5996955823458477).abs() < 1e-9, "b = {b}");
        assert!((a - -1.0200049086397078).abs() < 1e-5);
        assert!((b - 0.5996957754109339).abs() < 1e-5);
        // 1 / (1 + exp(A * logit(clip(q)) + B)) from the same script.
        let q = [0.0, 0.01, 0.2, 0.5, 0.8, 0.99, 1.0];
        let expected = [
            3.158638353966833e-13,
            0.00503277074262753,
            0.11776968494899481,
            0.3544133428237168,
            0.693031664755206,
            0.9834933567268138,
            0.999999999998952,
        ];
        for (got, want) in c.apply_all(&q).iter().zip(expected) {
            assert!((got - want).abs() < 1e-9, "{got} vs {want}");
        }
        assert_eq!(c.name(), "platt");
        c.validate().unwrap();
    }

    #[test]
    fn isotonic_matches_sklearn() {
        // IsotonicRegression(out_of_bounds="clip").fit(xs, ys) in scikit-learn 1.9.1:
        //   X_thresholds_ = [0.1, 0.2, 0.3, 0.35, 0.7, 0.8, 0.9]
        //   y_thresholds_ = [0.0, 1/3, 1/3, 0.6, 0.6, 1.0, 1.0]
        // By hand: the tie at 0.2 averages to 0.5; PAVA pools {0.2: 0.5 (w 2), 0.3: 0} to
        // 1/3; {0.35: 1, 0.5: 0.5 (w 2), 0.6: 1, 0.7: 0} pools to 3/5; 0.8 and 0.9 stay 1.
        // Knots interior to a constant run (0.5, 0.6) are dropped.
        let xs = [0.1, 0.2, 0.2, 0.3, 0.35, 0.5, 0.5, 0.6, 0.7, 0.8, 0.9, 0.9];
        let ys = [
            false, true, false, false, true, false, true, true, false, true, true, true,
        ];
        let c = Calibrator::fit_isotonic(&xs, &ys).unwrap();
        let Calibrator::Isotonic { x, y } = &c else {
            panic!("not isotonic: {c:?}")
        };
        assert_eq!(x, &[0.1, 0.2, 0.3, 0.35, 0.7, 0.8, 0.9]);
        let third = 0.3333333333333333;
        let want_y = [0.0, third, third, 0.6, 0.6, 1.0, 1.0];
        for (g, w) in y.iter().zip(want_y) {
            assert!((g - w).abs() < 1e-12, "{y:?}");
        }
        // ir.predict(t)
        let t = [
            0.0, 0.1, 0.15, 0.2, 0.25, 0.33, 0.4, 0.55, 0.65, 0.75, 0.85, 0.9, 1.0,
        ];
        let want = [
            0.0,
            0.0,
            0.1666666666666666,
            0.3333333333333333,
            0.3333333333333333,
            0.4933333333333335,
            0.6,
            0.6,
            0.6,
            0.8,
            1.0,
            1.0,
            1.0,
        ];
        for (g, w) in c.apply_all(&t).iter().zip(want) {
            assert!((g - w).abs() < 1e-12, "{g} vs {w}");
        }
        assert_eq!(c.name(), "isotonic");
        c.validate().unwrap();
    }

    /// Labels drawn from true risks; the model reports deliberately over-confident scores
    /// `sigmoid(3 * logit(risk))`.
    fn miscalibrated(n: usize, seed: u64) -> (Vec<f64>, Vec<bool>) {
        let mut rng = Rng::new(seed);
        let mut scores = Vec::with_capacity(n);
        let mut y = Vec::with_capacity(n);
        for _ in 0..n {
            let risk = 0.02 + 0.6 * rng.next_f64() * rng.next_f64();
            y.push(rng.next_f64() < risk);
            let z = 3.0 * (risk / (1.0 - risk)).ln();
            scores.push(1.0 / (1.0 + (-z).exp()));
        }
        (scores, y)
    }

    #[test]
    fn calibration_improves_brier_on_miscalibrated_scores() {
        let (train_s, train_y) = miscalibrated(4000, 1);
        let (test_s, test_y) = miscalibrated(4000, 2);
        let raw = brier(&test_y, &test_s).unwrap();
        for c in [
            Calibrator::fit_platt(&train_s, &train_y).unwrap(),
            Calibrator::fit_isotonic(&train_s, &train_y).unwrap(),
        ] {
            let cal = brier(&test_y, &c.apply_all(&test_s)).unwrap();
            assert!(cal < raw - 0.005, "{}: {cal} vs raw {raw}", c.name());
        }
        // Platt recovers the 3x over-confidence: a close to -1/3.
        let Calibrator::Platt { a, .. } = Calibrator::fit_platt(&train_s, &train_y).unwrap() else {
            unreachable!()
        };
        assert!((a + 1.0 / 3.0).abs() < 0.08, "a = {a}");
    }

    #[test]
    fn platt_with_anticorrelated_scores_stays_monotone() {
        let scores = [0.9, 0.8, 0.7, 0.3, 0.2, 0.1];
        let y = [false, false, false, true, true, true];
        let c = Calibrator::fit_platt(&scores, &y).unwrap();
        assert_eq!(c, Calibrator::Platt { a: 0.0, b: 0.0 });
        assert!((c.apply(0.1) - 0.5).abs() < 1e-15);
        // Perfectly separated scores converge thanks to the target smoothing.
        let c = Calibrator::fit_platt(&[0.0, 0.0, 1.0, 1.0], &[false, false, true, true]).unwrap();
        assert!(c.apply(1.0) > 0.7 && c.apply(0.0) < 0.3);
    }

    /// Score sets that break naive Newton iterations (issue 15): every one must give a finite,
    /// monotone calibrator whose mean risk on the fitting data is close to the prevalence.
    /// A named score set: name, scores, labels.
    type ScoreSet = (&'static str, Vec<f64>, Vec<bool>);

    fn hard_score_sets() -> &'static [ScoreSet] {
        static SETS: std::sync::OnceLock<Vec<ScoreSet>> = std::sync::OnceLock::new();
        SETS.get_or_init(generate_hard_score_sets)
    }

    fn generate_hard_score_sets() -> Vec<ScoreSet> {
        let mut sets = Vec::new();
        let mut rng = Rng::new(7);
        // Near-perfect separation at hospital scale: 500,000 hours, 2 % positives, positives
        // scored near 1 and negatives near 0 with a handful of exceptions.
        let (mut s, mut y) = (Vec::new(), Vec::new());
        for i in 0..500_000 {
            let pos = rng.next_f64() < 0.02;
            let flip = i % 997 == 0;
            let hi = pos != flip;
            s.push(if hi {
                1.0 - 1e-9 * rng.next_f64()
            } else {
                1e-9 * rng.next_f64()
            });
            y.push(pos);
        }
        sets.push(("near-perfect separation, 500k rows", s, y));
        // Exact separation with exact 0 and 1 scores (logits at the clip).
        let n = 200_000;
        let y: Vec<bool> = (0..n).map(|i| i % 50 == 0).collect();
        let s: Vec<f64> = y.iter().map(|&b| if b { 1.0 } else { 0.0 }).collect();
        sets.push(("exact separation at the clip", s, y));
        // 1 % positives, weakly informative, many rows.
        let (mut s, mut y) = (Vec::new(), Vec::new());
        for _ in 0..200_000 {
            let pos = rng.next_f64() < 0.01;
            let z = if pos { 0.6 } else { 0.0 } + rng.next_f64() * 2.0 - 4.0;
            s.push(1.0 / (1.0 + (-z).exp()));
            y.push(pos);
        }
        sets.push(("1 % positives, 200k rows", s, y));
        // Heavy ties: a shallow tree ensemble gives only five distinct scores.
        let levels = [0.001, 0.01, 0.05, 0.2, 0.9];
        let (mut s, mut y) = (Vec::new(), Vec::new());
        for i in 0..300_000usize {
            let k = i % levels.len();
            s.push(levels[k]);
            y.push(rng.next_f64() < levels[k] * 0.5);
        }
        sets.push(("five distinct scores, 300k rows", s, y));
        // Hospital scale, 0.5 % positives, low and weakly separating scores on 40 levels
        // (tree ensembles): Lin et al.'s line search stalls with a gradient above its
        // tolerance, since the summed objective cannot resolve the last decrease.
        let mut r = Rng::new(11);
        let (mut s, mut y) = (Vec::new(), Vec::new());
        for _ in 0..500_000 {
            let pos = r.next_f64() < 0.005;
            let z = -5.0 + if pos { 2.0 } else { 0.0 } + 3.0 * (r.next_f64() - 0.5);
            let z = (z * 4.0).round() / 4.0;
            s.push(1.0 / (1.0 + (-z).exp()));
            y.push(pos);
        }
        sets.push(("0.5 % positives on 40 levels, 500k rows", s, y));
        // Constant scores, some at the clip.
        for c in [0.3, 0.0, 1.0] {
            let y: Vec<bool> = (0..100_000).map(|i| i % 30 == 0).collect();
            sets.push(("constant scores", vec![c; y.len()], y));
        }
        // Two rows.
        sets.push(("two rows", vec![0.2, 0.7], vec![false, true]));
        // One positive among many, scored lowest.
        let mut y = vec![false; 100_000];
        y[0] = true;
        let s: Vec<f64> = (0..y.len()).map(|i| i as f64 / y.len() as f64).collect();
        sets.push(("one positive scored lowest", s, y));
        sets
    }

    #[test]
    fn platt_converges_on_score_sets_that_break_naive_newton() {
        for (name, s, y) in hard_score_sets() {
            let c = Calibrator::fit_platt(s, y).unwrap_or_else(|e| panic!("{name}: {e}"));
            c.validate().unwrap_or_else(|e| panic!("{name}: {e}"));
            let Calibrator::Platt { a, b } = c else {
                unreachable!()
            };
            assert!(
                a.is_finite() && b.is_finite() && a <= 0.0,
                "{name}: a {a}, b {b}"
            );
            let mean_risk = c.apply_all(s).iter().sum::<f64>() / s.len() as f64;
            let prevalence = y.iter().filter(|&&v| v).count() as f64 / y.len() as f64;
            // Platt's smoothed targets move the mean by at most about 1 / n.
            assert!(
                (mean_risk - prevalence).abs() < 1e-3 + 2.0 / y.len() as f64,
                "{name}: mean risk {mean_risk} vs prevalence {prevalence}"
            );
        }
    }

    /// Platt's targets and logits of a score set, as `fit_platt` builds them.
    fn targets_and_logits(s: &[f64], y: &[bool]) -> (Vec<f64>, Vec<f64>, f64) {
        let (pos, neg) = check_fit_inputs(s, y).unwrap();
        platt_problem(s, y, pos, neg)
    }

    #[test]
    fn the_robust_platt_path_finds_the_optimum() {
        // On the Python reference it reaches scikit-learn's optimum (its L-BFGS tolerance is
        // tighter than Lin et al.'s 1e-5 gradient test, which stops 3e-7 short).
        let (t, f, _) = targets_and_logits(&PP, &PY);
        let (a, b) = platt_robust(&f, &t);
        assert!((a - -1.0200049086397078).abs() < 1e-7, "a = {a}");
        assert!((b - 0.5996957754109339).abs() < 1e-7, "b = {b}");
        let mut lin_failed = Vec::new();
        for (name, s, y) in hard_score_sets() {
            let (t, f, b0) = targets_and_logits(s, y);
            let (a, b) = platt_robust(&f, &t);
            let n = f.len() as f64;
            let at = |a: f64, b: f64| platt_objective(&f, &t, a, b) / n;
            let best = at(a, b);
            // No nearby point is better beyond rounding (a local, hence global, optimum of
            // the convex objective).
            for (da, db) in [
                (1e-4, 0.0),
                (-1e-4, 0.0),
                (0.0, 1e-4),
                (0.0, -1e-4),
                (1e-4, -1e-4),
            ] {
                assert!(
                    at(a + da, b + db) >= best - 1e-12,
                    "{name}: ({a}, {b}) not optimal"
                );
            }
            match platt_lin(&f, &t, b0) {
                Some((la, lb)) => {
                    let d = at(la, lb) - best;
                    assert!(
                        d.abs() < 1e-9,
                        "{name}: robust {best} vs Lin {}",
                        at(la, lb)
                    );
                }
                None => lin_failed.push(*name),
            }
        }
        // The sets include ones where the classic iteration gives up, so the robust path is
        // what `fit_platt` relied on there.
        for name in ["constant scores", "0.5 % positives on 40 levels, 500k rows"] {
            assert!(lin_failed.contains(&name), "{name}: {lin_failed:?}");
        }
    }

    #[test]
    fn errors_identity_and_serde() {
        for fit in [Calibrator::fit_platt, Calibrator::fit_isotonic] {
            assert!(fit(&[0.1, 0.2], &[true]).is_err());
            assert!(fit(&[0.1, 0.2], &[true, true]).is_err());
            assert!(fit(&[], &[]).is_err());
            assert!(fit(&[0.1, f64::NAN], &[true, false]).is_err());
            assert!(fit(&[0.1, 1.2], &[true, false]).is_err());
        }
        let id = Calibrator::default();
        assert_eq!(id.name(), "identity");
        assert_eq!(id.apply_all(&[-1.0, 0.3, 2.0]), [0.0, 0.3, 1.0]);
        assert!(id.apply(f64::NAN).is_nan());

        let c = Calibrator::Platt { a: -1.5, b: 0.25 };
        let json = serde_json::to_string(&c).unwrap();
        assert_eq!(json, r#"{"kind":"platt","a":-1.5,"b":0.25}"#);
        assert_eq!(serde_json::from_str::<Calibrator>(&json).unwrap(), c);
        let iso = Calibrator::Isotonic {
            x: vec![0.1, 0.5],
            y: vec![0.0, 1.0],
        };
        let back: Calibrator = serde_json::from_str(&serde_json::to_string(&iso).unwrap()).unwrap();
        assert_eq!(back, iso);
        assert_eq!(
            serde_json::to_string(&id).unwrap(),
            r#"{"kind":"identity"}"#
        );

        assert!(Calibrator::Platt { a: 0.5, b: 0.0 }.validate().is_err());
        assert!(
            Calibrator::Platt {
                a: f64::NAN,
                b: 0.0
            }
            .validate()
            .is_err()
        );
        let bad = Calibrator::Isotonic {
            x: vec![0.5, 0.1],
            y: vec![0.0, 1.0],
        };
        assert!(bad.validate().is_err());
        let bad = Calibrator::Isotonic {
            x: vec![0.1, 0.5],
            y: vec![0.9, 0.1],
        };
        assert!(bad.validate().is_err());
        // Corrupt knots never panic and still give values in [0, 1] or NaN.
        let corrupt = Calibrator::Isotonic {
            x: vec![0.1, 0.5],
            y: vec![f64::NAN, 2.0],
        };
        let v = corrupt.apply(0.3);
        assert!(v.is_nan() || (0.0..=1.0).contains(&v));
        let empty = Calibrator::Isotonic {
            x: vec![],
            y: vec![],
        };
        assert!(empty.validate().is_err());
        assert!(empty.apply(0.3).is_nan());
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod props {
        use super::super::*;
        use proptest::prelude::*;

        fn data() -> impl Strategy<Value = (Vec<f64>, Vec<bool>)> {
            (2usize..80).prop_flat_map(|n| {
                (
                    proptest::collection::vec(
                        prop_oneof![(0u32..=20).prop_map(|k| k as f64 / 20.0), 0.0f64..=1.0],
                        n,
                    ),
                    proptest::collection::vec(any::<bool>(), n).prop_filter("both classes", |y| {
                        y.iter().any(|&b| b) && !y.iter().all(|&b| b)
                    }),
                )
            })
        }

        proptest! {
            #[test]
            fn fitted_calibrators_are_monotone_and_bounded(
                (s, y) in data(),
                mut probes in proptest::collection::vec(-0.1f64..=1.1, 1..60),
            ) {
                probes.extend_from_slice(&s);
                probes.extend_from_slice(&[0.0, 1.0, 1e-300, 1.0 - 1e-16]);
                probes.sort_unstable_by(f64::total_cmp);
                for c in [
                    Calibrator::fit_platt(&s, &y).unwrap(),
                    Calibrator::fit_isotonic(&s, &y).unwrap(),
                    Calibrator::Identity,
                ] {
                    c.validate().unwrap();
                    let out = c.apply_all(&probes);
                    for v in &out {
                        prop_assert!((0.0..=1.0).contains(v), "{} gave {v}", c.name());
                    }
                    for w in out.windows(2) {
                        prop_assert!(w[0] <= w[1], "{} not monotone: {w:?}", c.name());
                    }
                }
            }

            #[test]
            fn isotonic_fit_is_non_decreasing_and_preserves_mean((s, y) in data()) {
                let c = Calibrator::fit_isotonic(&s, &y).unwrap();
                let Calibrator::Isotonic { x, y: fy } = &c else { unreachable!() };
                prop_assert!(x.windows(2).all(|w| w[0] < w[1]));
                prop_assert!(fy.windows(2).all(|w| w[0] <= w[1]));
                // PAVA preserves the mean outcome on the training points.
                let fitted: f64 = c.apply_all(&s).iter().sum();
                let observed = y.iter().filter(|&&b| b).count() as f64;
                prop_assert!((fitted - observed).abs() < 1e-9 * s.len() as f64);
            }
        }
    }
}
