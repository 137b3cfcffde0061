//! L2-regularised logistic regression, fitted with smartcore's L-BFGS solver.
//!
//! smartcore minimises `sum(log-loss) + alpha/2 * ||w||²` (intercept not penalised), which is
//! scikit-learn's objective with `C = 1/alpha`. We keep only the fitted coefficients and
//! intercept, so the model is a plain serialisable struct and probability is
//! `sigmoid(intercept + w·x)`.

use serde::{Deserialize, Serialize};
use smartcore::optimization::first_order::FirstOrderOptimizer;
use smartcore::optimization::first_order::lbfgs::LBFGS;
use smartcore::optimization::line_search::{LineSearchMethod, LineSearchResult};

use crate::core::num;
use crate::core::{Error, Matrix, Result};

/// Hyperparameters of logistic regression.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LogisticParams {
    /// Inverse regularisation strength (scikit-learn's `C`); larger means less regularisation.
    pub c: f64,
}

impl Default for LogisticParams {
    fn default() -> Self {
        LogisticParams { c: 1.0 }
    }
}

impl LogisticParams {
    /// Sets `C`.
    pub fn with_c(mut self, c: f64) -> Self {
        self.c = c;
        self
    }

    /// Checks the parameters.
    pub fn validate(&self) -> Result<()> {
        if !(self.c.is_finite() && self.c > 0.0) {
            return Err(Error::param(
                "C",
                format!("must be a positive number, got {}", self.c),
            ));
        }
        Ok(())
    }
}

/// A fitted binary logistic regression.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogisticRegression {
    /// One coefficient per input column (log-odds per unit).
    pub coefficients: Vec<f64>,
    /// Intercept (log-odds when every input is 0).
    pub intercept: f64,
}

/// Numerically stable logistic function.
pub fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + num::exp(-z))
    } else {
        let e = num::exp(z);
        e / (1.0 + e)
    }
}

impl LogisticRegression {
    /// Fits the model. `x` must be free of NaN (impute first); both classes must be present.
    pub fn fit(x: &Matrix, y: &[bool], params: &LogisticParams) -> Result<Self> {
        params.validate()?;
        if x.rows() != y.len() {
            return Err(Error::ShapeMismatch {
                expected: x.rows(),
                got: y.len(),
            });
        }
        if x.rows() == 0 || x.cols() == 0 {
            return Err(Error::InsufficientData(
                "no rows or no columns to fit".into(),
            ));
        }
        let positives = y.iter().filter(|&&v| v).count();
        if positives == 0 || positives == y.len() {
            return Err(Error::InsufficientData(
                "logistic regression needs both classes in the training data".into(),
            ));
        }
        if x.as_slice().iter().any(|v| !v.is_finite()) {
            return Err(Error::Numerical(
                "logistic regression input contains missing or infinite values".into(),
            ));
        }
        let (coefficients, intercept) = minimize(x, y, 1.0 / params.c);
        if coefficients.len() != x.cols()
            || coefficients
                .iter()
                .chain([&intercept])
                .any(|v| !v.is_finite())
        {
            return Err(Error::Numerical(
                "logistic regression did not converge".into(),
            ));
        }
        Ok(LogisticRegression {
            coefficients,
            intercept,
        })
    }

    /// Number of input columns.
    pub fn n_features(&self) -> usize {
        self.coefficients.len()
    }

    fn check(&self, row: &[f64]) -> Result<()> {
        if row.len() != self.coefficients.len() {
            return Err(Error::ShapeMismatch {
                expected: self.coefficients.len(),
                got: row.len(),
            });
        }
        Ok(())
    }

    /// Log-odds for one row.
    pub fn decision_row(&self, row: &[f64]) -> Result<f64> {
        self.check(row)?;
        Ok(self.intercept
            + self
                .coefficients
                .iter()
                .zip(row)
                .map(|(w, v)| w * v)
                .sum::<f64>())
    }

    /// Probability of the positive class for one row.
    pub fn predict_row(&self, row: &[f64]) -> Result<f64> {
        self.decision_row(row).map(sigmoid)
    }

    /// Probabilities for every row of `x`.
    pub fn predict_proba(&self, x: &Matrix) -> Result<Vec<f64>> {
        x.iter_rows().map(|r| self.predict_row(r)).collect()
    }

    /// Exact additive explanation in log-odds: `intercept + sum(contributions) == decision`.
    pub fn contributions(&self, row: &[f64]) -> Result<(f64, Vec<f64>)> {
        self.check(row)?;
        Ok((
            self.intercept,
            self.coefficients
                .iter()
                .zip(row)
                .map(|(w, v)| w * v)
                .collect(),
        ))
    }

    /// Importance of each input: |coefficient| (inputs are standardised by the pipeline),
    /// normalised to sum to 1.
    pub fn feature_importances(&self) -> Vec<f64> {
        let total: f64 = self.coefficients.iter().map(|w| w.abs()).sum();
        self.coefficients
            .iter()
            .map(|w| if total > 0.0 { w.abs() / total } else { 0.0 })
            .collect()
    }
}

/// `log(1 + e^z)` exactly as smartcore's `FloatNumber::ln_1pe`.
#[inline]
fn ln_1pe(z: f64) -> f64 {
    if z > 15. { z } else { num::ln_1p(num::exp(z)) }
}

/// The sigmoid exactly as smartcore's `FloatNumber::sigmoid`.
#[inline]
fn smart_sigmoid(z: f64) -> f64 {
    if z < -40. {
        0.
    } else if z > 40. {
        1.
    } else {
        1. / (1. + num::exp(-z))
    }
}

/// `w·row + bias` of every row of `x` into `out`, each summed left to right as smartcore's
/// `partial_dot` does. Four rows are summed side by side: each row's additions keep their
/// order (so every value is bit-identical), but the four independent chains overlap in the
/// processor instead of waiting on one another.
fn dots(x: &Matrix, w: &[f64], out: &mut [f64]) {
    let p = x.cols();
    let (wp, bias) = (&w[..p], w[p]);
    let data = x.as_slice();
    let mut i = 0;
    while i + 4 <= x.rows() {
        let r = &data[i * p..(i + 4) * p];
        let (r0, rest) = r.split_at(p);
        let (r1, rest) = rest.split_at(p);
        let (r2, r3) = rest.split_at(p);
        let (mut s0, mut s1, mut s2, mut s3) = (0.0, 0.0, 0.0, 0.0);
        for j in 0..p {
            let wj = wp[j];
            s0 += r0[j] * wj;
            s1 += r1[j] * wj;
            s2 += r2[j] * wj;
            s3 += r3[j] * wj;
        }
        out[i] = s0 + bias;
        out[i + 1] = s1 + bias;
        out[i + 2] = s2 + bias;
        out[i + 3] = s3 + bias;
        i += 4;
    }
    for (o, row) in out[i..].iter_mut().zip(x.iter_rows().skip(i)) {
        let mut s = 0.0;
        for (a, b) in row.iter().zip(wp) {
            s += a * b;
        }
        *o = s + bias;
    }
}

/// Backtracking line search with cubic interpolation (the algorithm of smartcore's
/// `Backtracking` with `FunctionOrder::THIRD`: Armijo constant 1e-4, each step between 0.1 and
/// 0.5 of the previous one), written with plain products where smartcore calls `powf`, so the
/// steps are the same on every target (`powf` is the platform's; see [`crate::core::num`]),
/// and ending without a step instead of panicking when no step decreases the loss enough (then
/// L-BFGS stops: the loss did not change).
struct Backtrack;

impl Backtrack {
    const C1: f64 = 1e-4;
    const MAX_ITERATIONS: usize = 1000;
    /// Halvings tried while the loss is not finite: `-log2(f64::EPSILON)`.
    const MAX_INFINITE: usize = 52;
    const PHI: f64 = 0.5;
    const PLO: f64 = 0.1;
}

impl LineSearchMethod<f64> for Backtrack {
    fn search(
        &self,
        f: &dyn Fn(f64) -> f64,
        _: &dyn Fn(f64) -> f64,
        alpha: f64,
        f0: f64,
        df0: f64,
    ) -> LineSearchResult<f64> {
        let (mut a1, mut a2) = (alpha, alpha);
        let (mut fx0, mut fx1) = (f0, f(a1));
        let mut halvings = 0;
        while !fx1.is_finite() && halvings < Self::MAX_INFINITE {
            halvings += 1;
            a1 = a2;
            a2 = a1 / 2.0;
            fx1 = f(a2);
        }
        let mut iteration = 0;
        // A NaN loss also counts as "not decreased enough".
        let decreased = |fx: f64, a: f64| fx <= f0 + Self::C1 * a * df0;
        while !decreased(fx1, a2) {
            if iteration > Self::MAX_ITERATIONS
                || !fx1.is_finite() && halvings >= Self::MAX_INFINITE
            {
                return LineSearchResult {
                    alpha: 0.0,
                    f_x: f0,
                };
            }
            let step = if iteration == 0 {
                -(df0 * (a2 * a2)) / (2.0 * (fx1 - f0 - df0 * a2))
            } else {
                let (a1sq, a2sq) = (a1 * a1, a2 * a2);
                let div = 1.0 / (a1sq * a2sq * (a2 - a1));
                let r1 = fx1 - f0 - df0 * a2;
                let r0 = fx0 - f0 - df0 * a1;
                let a = (a1sq * r1 - a2sq * r0) * div;
                let b = (-(a1sq * a1) * r1 + a2sq * a2 * r0) * div;
                if (a * a).sqrt() <= f64::EPSILON {
                    df0 / (2.0 * b)
                } else {
                    let d = (b * b - 3.0 * a * df0).max(0.0);
                    (-b + d.sqrt()) / (3.0 * a)
                }
            };
            a1 = a2;
            a2 = step.min(a2 * Self::PHI).max(a2 * Self::PLO);
            fx0 = fx1;
            fx1 = f(a2);
            iteration += 1;
        }
        LineSearchResult {
            alpha: a2,
            f_x: fx1,
        }
    }
}

/// The dot products of the last weights asked for: the line search evaluates the loss and
/// its gradient at the same weights, which then share one pass over the data.
struct DotCache {
    w: Vec<f64>,
    wx: Vec<f64>,
}

/// Minimises `sum(log-loss) + alpha/2 * ||w||²` with smartcore's L-BFGS and a backtracking line
/// search ([`Backtrack`]), as `smartcore::linear::logistic_regression` does for two classes.
/// The objective and its gradient are smartcore's arithmetic, operation for operation, over
/// our contiguous row-major rows instead of its generic matrix accessors (which cost two
/// thirds of an ICU training run): the fitted weights are bit-identical and no copy of the
/// data is made. Returns `(coefficients, intercept)`.
fn minimize(x: &Matrix, y: &[bool], alpha: f64) -> (Vec<f64>, f64) {
    let p = x.cols();
    let cache = std::cell::RefCell::new(DotCache {
        w: Vec::new(),
        wx: vec![0.0; x.rows()],
    });
    let with_dots = |w: &[f64], use_dots: &mut dyn FnMut(&[f64])| {
        let mut c = cache.borrow_mut();
        if c.w.as_slice() != w {
            let DotCache { w: cw, wx } = &mut *c;
            dots(x, w, wx);
            cw.clear();
            cw.extend_from_slice(w);
        }
        use_dots(&c.wx);
    };
    let f = |w: &Vec<f64>| -> f64 {
        let mut f = 0.0;
        with_dots(w, &mut |wx| {
            for (&wx, &yi) in wx.iter().zip(y) {
                f += ln_1pe(wx) - f64::from(u8::from(yi)) * wx;
            }
        });
        if alpha > 0.0 {
            let mut w_squared = 0.0;
            for wi in w.iter().take(p) {
                w_squared += *wi * *wi;
            }
            f += 0.5 * alpha * w_squared;
        }
        f
    };
    let df = |g: &mut Vec<f64>, w: &Vec<f64>| {
        g.iter_mut().for_each(|v| *v = 0.0);
        with_dots(w, &mut |wx| {
            for ((row, &yi), &wx) in x.iter_rows().zip(y).zip(wx) {
                let dyi = f64::from(u8::from(yi)) - smart_sigmoid(wx);
                for (gj, xj) in g[..p].iter_mut().zip(row) {
                    *gj -= dyi * *xj;
                }
                g[p] -= dyi;
            }
        });
        if alpha > 0.0 {
            for (gi, wi) in g[..p].iter_mut().zip(&w[..p]) {
                *gi += alpha * *wi;
            }
        }
    };
    let x0 = vec![0.0; p + 1];
    let result = LBFGS::default().optimize(&f, &df, &x0, &Backtrack);
    let mut w = result.x;
    let intercept = w.pop().unwrap_or(0.0);
    (w, intercept)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic dataset: two features, labels from a noisy linear rule.
    fn toy() -> (Matrix, Vec<bool>) {
        let mut rows = Vec::new();
        let mut y = Vec::new();
        for i in 0..40 {
            let a = (i as f64 * 0.37).sin() * 2.0;
            let b = ((i * 7 % 11) as f64 - 5.0) / 3.0;
            rows.push(vec![a, b]);
            y.push(a + 0.5 * b + ((i * 13 % 5) as f64 - 2.0) * 0.4 > 0.0);
        }
        (Matrix::from_rows(&rows).unwrap(), y)
    }

    // Reference from scikit-learn 1.9.1 (Python 3.11.7), scripts/reference/logistic.py:
    //   import numpy as np; from sklearn.linear_model import LogisticRegression
    //   i = np.arange(40); a = np.sin(i*0.37)*2; b = ((i*7 % 11) - 5)/3
    //   y = (a + 0.5*b + ((i*13 % 5) - 2)*0.4 > 0).astype(int)
    //   m = LogisticRegression(C=1.0, tol=1e-10, max_iter=10000).fit(np.c_[a, b], y)
    //   print(repr(m.coef_), repr(m.intercept_), m.predict_proba([[0.3, -0.2], [-1.0, 1.5]])[:, 1])
    // Tolerance 1e-4: both solvers stop at a gradient tolerance, not at the exact optimum.
    #[test]
    fn matches_scikit_learn() {
        let (x, y) = toy();
        let m = LogisticRegression::fit(&x, &y, &LogisticParams::default()).unwrap();
        let expected_coef = SKLEARN_COEF;
        for (c, e) in m.coefficients.iter().zip(expected_coef) {
            assert!((c - e).abs() < 1e-4, "coef {c} vs {e}");
        }
        assert!(
            (m.intercept - SKLEARN_INTERCEPT).abs() < 1e-4,
            "{}",
            m.intercept
        );
        let p = m
            .predict_proba(&Matrix::from_rows(&[vec![0.3, -0.2], vec![-1.0, 1.5]]).unwrap())
            .unwrap();
        for (a, e) in p.iter().zip(SKLEARN_PROBA) {
            assert!((a - e).abs() < 1e-5, "proba {a} vs {e}");
        }
    }

    const SKLEARN_COEF: [f64; 2] = [1.9837247013848902, 0.8596109304932044];
    const SKLEARN_INTERCEPT: f64 = 0.5732324617080209;
    const SKLEARN_PROBA: [f64; 2] = [0.7303556396051821, 0.46976796185644426];

    #[test]
    fn contributions_add_up_and_roundtrip_is_exact() {
        let (x, y) = toy();
        let m = LogisticRegression::fit(&x, &y, &LogisticParams::default().with_c(0.5)).unwrap();
        let (base, c) = m.contributions(x.row(3)).unwrap();
        let d = m.decision_row(x.row(3)).unwrap();
        assert!((base + c.iter().sum::<f64>() - d).abs() < 1e-12);
        let back: LogisticRegression =
            serde_json::from_str(&serde_json::to_string(&m).unwrap()).unwrap();
        assert_eq!(back, m);
    }

    #[test]
    fn bad_inputs_are_errors() {
        let (x, y) = toy();
        assert!(LogisticRegression::fit(&x, &y[..10], &LogisticParams::default()).is_err());
        assert!(LogisticRegression::fit(&x, &[true; 40], &LogisticParams::default()).is_err());
        assert!(LogisticRegression::fit(&x, &y, &LogisticParams::default().with_c(0.0)).is_err());
        let mut xn = x.clone();
        xn.set(0, 0, f64::NAN);
        assert!(LogisticRegression::fit(&xn, &y, &LogisticParams::default()).is_err());
        let m = LogisticRegression::fit(&x, &y, &LogisticParams::default()).unwrap();
        assert!(m.predict_row(&[1.0]).is_err());
    }
}
