//! Deterministic datasets shared by the ensembles' tests.

use crate::core::rng::Rng;
use crate::core::{Matrix, Result};

/// Shared deterministic dataset of the scikit-learn parity tests (see the script below).
pub(crate) fn parity_data() -> (Matrix, Vec<bool>, Vec<f64>) {
    let mut rows = Vec::new();
    let mut y = Vec::new();
    let mut w = Vec::new();
    for i in 0..64i64 {
        let a = (i * 37) % 61;
        let b = (i * 23 + 5) % 47;
        let c = (i * i * 7 + 3) % 29;
        rows.push(vec![a as f64 / 4.0, b as f64 / 8.0, c as f64 / 2.0]);
        let s = a + 2 * b - 3 * c + if i % 5 == 0 { 11 } else { 0 };
        y.push((s > 20) != (i % 9 == 0));
        w.push((16 + (i * 13) % 17) as f64 / 16.0);
    }
    (Matrix::from_rows(&rows).unwrap(), y, w)
}

pub(crate) fn parity_queries() -> Matrix {
    Matrix::from_rows(&[
        vec![3.3, 2.1, 7.0],
        vec![10.0, 4.0, 1.5],
        vec![7.3, 5.55, 12.2],
        vec![14.9, 0.3, 3.1],
        vec![1.1, 1.1, 1.1],
        vec![12.6, 3.4, 9.9],
    ])
    .unwrap()
}

/// Noisy but learnable synthetic problem with a NaN-predictive feature.
pub(crate) fn synthetic(n: usize, p: usize, seed: u64) -> (Matrix, Vec<bool>) {
    let mut rng = Rng::new(seed);
    let mut rows = Vec::with_capacity(n);
    let mut y = Vec::with_capacity(n);
    for _ in 0..n {
        let mut r: Vec<f64> = (0..p).map(|_| rng.next_f64() * 2.0 - 1.0).collect();
        let logit = 2.5 * r[0] - 2.0 * r[1] + 1.5 * r[2] * r[3 % p];
        let label = rng.next_f64() < 1.0 / (1.0 + (-logit).exp());
        if p > 4 && (rng.next_f64() < 0.1 || (label && rng.next_f64() < 0.3)) {
            r[4] = f64::NAN; // missingness of feature 4 is predictive
        }
        rows.push(r);
        y.push(label);
    }
    (Matrix::from_rows(&rows).unwrap(), y)
}

/// Checks a model fitted on `synthetic(_, 6, _)`: it separates the classes of a fresh
/// sample, its importances sum to 1 and rank the signal features above noise, and the
/// predictive missingness of feature 4 raises the risk.
pub(crate) fn assert_learns_signal_and_nan_routing(
    predict_proba: impl Fn(&Matrix) -> Result<Vec<f64>>,
    predict_row: impl Fn(&[f64]) -> Result<f64>,
    importances: &[f64],
) {
    let (xt, yt) = synthetic(400, 6, 99);
    let p = predict_proba(&xt).unwrap();
    let mean = |want: bool| {
        let v: Vec<f64> = p
            .iter()
            .zip(&yt)
            .filter(|(_, y)| **y == want)
            .map(|(p, _)| *p)
            .collect();
        v.iter().sum::<f64>() / v.len() as f64
    };
    assert!(
        mean(true) - mean(false) > 0.25,
        "{} vs {}",
        mean(true),
        mean(false)
    );
    assert!((importances.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    assert!(
        importances[0] > importances[5] && importances[1] > importances[5],
        "{importances:?}"
    );
    let mut row = vec![0.0; 6];
    let p_obs = predict_row(&row).unwrap();
    row[4] = f64::NAN;
    let p_nan = predict_row(&row).unwrap();
    assert!(p_nan > p_obs + 0.05, "{p_nan} vs {p_obs}");
}
