//! Shared machinery of the tree ensembles ([`super::forest`], [`super::boosting`]).
//!
//! - [`Binner`] maps each feature to at most 255 ordered bins plus one bin for NaN, so growth
//!   works on a compact column-major `u8` matrix with per-node histograms.
//! - [`Tree`] is a flat vector of [`Node`]s. Prediction walks raw `f64` rows (thresholds are
//!   real values, not bin numbers), so a fitted tree does not need the binner.
//! - Growth is depth-first and deterministic, with two split criteria: weighted Gini (random
//!   forest; node value = weighted fraction of positives) and the second-order gradient gain
//!   `G²/(H+λ)` (gradient boosting; node value = `-G/(H+λ)`). Each split learns where NaN goes.
//! - [`Tree::contributions`] gives path ("Saabas") attributions; growth also returns the
//!   impurity decrease (or loss reduction) per feature, from which the ensembles compute their
//!   feature importances once (trees do not store per-node gains or covers: bundles are
//!   embedded in the browser build).
//!
//! Files: `binner.rs` (feature binning), `node.rs` (the fitted tree: prediction, attributions,
//! column-wise JSON), `grow.rs` (criteria, tree parameters and the depth-first growth with
//! pooled histogram buffers), `split.rs` (the per-node split search: node values, leaf rules,
//! split scoring and the histogram scan); this file holds the parameter types and checks shared
//! with the ensembles and re-exports the public items, so every `tree::X` path is unchanged.

mod binner;
mod grow;
mod node;
mod split;
#[cfg(test)]
pub(crate) mod test_data;

pub use binner::{Binned, Binner};
pub(crate) use grow::{Criterion, Grower, TrainData, TreeParams};
pub use node::{Node, Tree};

use serde::{Deserialize, Serialize};

use crate::core::{Error, Matrix, Result};

/// Largest number of non-missing bins per feature (the NaN bin comes on top, so every bin
/// index fits in a `u8`).
pub const MAX_BINS: usize = 255;

/// Minimum hessian sum on each side of a gradient split (scikit-learn's
/// `min_hessian_to_split`).
const MIN_HESSIAN: f64 = 1e-3;

/// Guard added to `H + λ` in gradient node values, as scikit-learn does.
const HESSIAN_EPS: f64 = 1e-15;

// ---------------------------------------------------------------------------------------------
// Shared parameter types
// ---------------------------------------------------------------------------------------------

/// How many features are candidates at each split.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub enum MaxFeatures {
    /// Every feature at every split.
    #[default]
    All,
    /// `max(1, floor(sqrt(n_features)))` features per split.
    Sqrt,
    /// `max(1, floor(fraction * n_features))` features per split; `fraction` in `(0, 1]`.
    Fraction(f64),
}

impl MaxFeatures {
    /// Number of candidate features per split for `n_features` features; errors on a fraction
    /// outside `(0, 1]`.
    pub fn resolve(&self, n_features: usize) -> Result<usize> {
        let k = match *self {
            MaxFeatures::All => n_features,
            MaxFeatures::Sqrt => (n_features as f64).sqrt().floor() as usize,
            MaxFeatures::Fraction(f) => {
                if !(f > 0.0 && f <= 1.0) {
                    return Err(Error::param(
                        "max_features",
                        format!("fraction must be in (0, 1], got {f}"),
                    ));
                }
                (f * n_features as f64).floor() as usize
            }
        };
        Ok(k.clamp(1, n_features.max(1)))
    }
}

/// Class re-weighting applied on top of any sample weights.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum ClassWeight {
    /// Sample weights are used as given.
    #[default]
    None,
    /// Each class gets weight `n / (2 * n_class)` (scikit-learn's `"balanced"`, computed from
    /// row counts), multiplied into the sample weights.
    Balanced,
}

/// Validates training inputs shared by both ensembles and returns the effective per-row
/// weights (sample weights times class weights).
pub(crate) fn training_weights(
    x: &Matrix,
    y: &[bool],
    weights: Option<&[f64]>,
    class_weight: ClassWeight,
) -> Result<Vec<f64>> {
    training_weights_for((x.rows(), x.cols()), y, weights, class_weight)
}

/// [`training_weights`] for training data of `(rows, cols)` (e.g. already binned).
pub(crate) fn training_weights_for(
    (n, cols): (usize, usize),
    y: &[bool],
    weights: Option<&[f64]>,
    class_weight: ClassWeight,
) -> Result<Vec<f64>> {
    if n == 0 {
        return Err(Error::InsufficientData("no training rows".into()));
    }
    if cols == 0 {
        return Err(Error::InsufficientData("no features".into()));
    }
    if n > u32::MAX as usize {
        return Err(Error::InsufficientData(format!(
            "{n} rows exceed the supported maximum of {}",
            u32::MAX
        )));
    }
    if y.len() != n {
        return Err(Error::param(
            "y",
            format!("{} labels for {n} rows", y.len()),
        ));
    }
    let mut w = match weights {
        Some(w) => {
            if w.len() != n {
                return Err(Error::param(
                    "weights",
                    format!("{} weights for {n} rows", w.len()),
                ));
            }
            if let Some(bad) = w.iter().find(|v| !(v.is_finite() && **v >= 0.0)) {
                return Err(Error::param(
                    "weights",
                    format!("weights must be finite and non-negative, got {bad}"),
                ));
            }
            w.to_vec()
        }
        None => vec![1.0; n],
    };
    let n_pos = y.iter().filter(|&&v| v).count();
    if n_pos == 0 || n_pos == n {
        return Err(Error::InsufficientData(
            "training labels contain a single class".into(),
        ));
    }
    if class_weight == ClassWeight::Balanced {
        let wp = n as f64 / (2.0 * n_pos as f64);
        let wn = n as f64 / (2.0 * (n - n_pos) as f64);
        for (wi, &yi) in w.iter_mut().zip(y) {
            *wi *= if yi { wp } else { wn };
        }
    }
    let (mut sp, mut sn) = (0.0, 0.0);
    for (&wi, &yi) in w.iter().zip(y) {
        if yi {
            sp += wi;
        } else {
            sn += wi;
        }
    }
    if !(sp > 0.0 && sn > 0.0 && (sp + sn).is_finite()) {
        return Err(Error::InsufficientData(
            "both classes need a positive (finite) total weight".into(),
        ));
    }
    Ok(w)
}

/// Checks the stored feature importances of an ensemble read from JSON: one finite,
/// non-negative value per feature.
pub(crate) fn check_importances(importances: &[f64], n_features: usize) -> Result<()> {
    if importances.len() != n_features {
        return Err(Error::Bundle(format!(
            "{} feature importances for {n_features} features",
            importances.len()
        )));
    }
    if importances.iter().any(|v| !(v.is_finite() && *v >= 0.0)) {
        return Err(Error::Bundle(
            "feature importances must be finite and non-negative".into(),
        ));
    }
    Ok(())
}

/// Checks that `row` has `expected` entries.
pub(crate) fn check_width(expected: usize, got: usize) -> Result<()> {
    if expected == got {
        Ok(())
    } else {
        Err(Error::ShapeMismatch { expected, got })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn max_features_resolution() {
        assert_eq!(MaxFeatures::All.resolve(10).unwrap(), 10);
        assert_eq!(MaxFeatures::Sqrt.resolve(10).unwrap(), 3);
        assert_eq!(MaxFeatures::Sqrt.resolve(1).unwrap(), 1);
        assert_eq!(MaxFeatures::Fraction(0.05).resolve(10).unwrap(), 1);
        assert_eq!(MaxFeatures::Fraction(0.5).resolve(10).unwrap(), 5);
        assert!(MaxFeatures::Fraction(0.0).resolve(10).is_err());
        assert!(MaxFeatures::Fraction(f64::NAN).resolve(10).is_err());
        assert!(MaxFeatures::Fraction(1.5).resolve(10).is_err());
    }

    #[test]
    fn training_weights_validation() {
        let x = Matrix::from_rows(&[vec![1.0], vec![2.0], vec![3.0], vec![4.0]]).unwrap();
        let y = [true, false, false, false];
        let w = training_weights(&x, &y, None, ClassWeight::Balanced).unwrap();
        assert_eq!(w, vec![2.0, 2.0 / 3.0, 2.0 / 3.0, 2.0 / 3.0]);
        assert!(training_weights(&x, &[true; 4], None, ClassWeight::None).is_err());
        assert!(training_weights(&x, &y[..3], None, ClassWeight::None).is_err());
        assert!(training_weights(&x, &y, Some(&[1.0; 3]), ClassWeight::None).is_err());
        assert!(training_weights(&x, &y, Some(&[1.0, 1.0, -1.0, 1.0]), ClassWeight::None).is_err());
        assert!(training_weights(&x, &y, Some(&[0.0, 1.0, 1.0, 1.0]), ClassWeight::None).is_err());
        assert!(training_weights(&Matrix::zeros(0, 1), &[], None, ClassWeight::None).is_err());
    }
}
