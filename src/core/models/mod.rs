//! Model families behind one interface.
//!
//! - [`logistic`]: L2 logistic regression (smartcore's solver, our serialisable model).
//! - [`forest`]: random forest with probability estimates (our tree module).
//! - [`boosting`]: gradient boosting with the logistic loss (our tree module).
//! - [`tree`]: the shared histogram tree learner.
//! - [`hyper`]: typed hyperparameters (what a search tries and a bundle records).
//!
//! The choice of building our own tree ensembles is explained in `docs/decisions.md`.

pub mod boosting;
pub mod forest;
pub mod hyper;
pub mod logistic;
pub mod tree;

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::core::{Error, Matrix, Result};
use boosting::{BoostingParams, GradientBoosting};
use forest::{ForestParams, RandomForest};
pub use hyper::{Hyperparameter, Hyperparameters};
use logistic::{LogisticParams, LogisticRegression};

/// A model family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Family {
    /// Logistic regression.
    Logistic,
    /// Random forest.
    Forest,
    /// Gradient boosting.
    Boosting,
}

impl Family {
    /// All families, in the order they are tried.
    pub const ALL: [Family; 3] = [Family::Logistic, Family::Forest, Family::Boosting];

    /// The canonical names `FromStr` reads, in the order of [`Family::ALL`] (it also takes
    /// `lr`, `rf`, `gb`, `gbm` and the long forms such as `random_forest`).
    pub const NAMES: &'static [&'static str] = &["logistic", "forest", "boosting"];

    /// Human name.
    pub fn title(self) -> &'static str {
        match self {
            Family::Logistic => "Logistic regression",
            Family::Forest => "Random forest",
            Family::Boosting => "Gradient boosting",
        }
    }

    /// Short machine name (`logistic`, `forest`, `boosting`).
    pub fn key(self) -> &'static str {
        match self {
            Family::Logistic => "logistic",
            Family::Forest => "forest",
            Family::Boosting => "boosting",
        }
    }

    /// Whether the model's additive explanation is in log-odds (else probability).
    pub fn explains_log_odds(self) -> bool {
        !matches!(self, Family::Forest)
    }
}

impl fmt::Display for Family {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

impl FromStr for Family {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "logistic" | "lr" | "logistic_regression" => Ok(Family::Logistic),
            "forest" | "rf" | "random_forest" => Ok(Family::Forest),
            "boosting" | "gb" | "gbm" | "gradient_boosting" => Ok(Family::Boosting),
            other => Err(Error::param(
                "family",
                format!("unknown model family `{other}` (expected logistic, forest or boosting)"),
            )),
        }
    }
}

/// Hyperparameters of one family, validated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "family", rename_all = "snake_case")]
pub enum ModelParams {
    /// Logistic regression.
    Logistic(LogisticParams),
    /// Random forest.
    Forest(ForestParams),
    /// Gradient boosting.
    Boosting(BoostingParams),
}

impl ModelParams {
    /// Builds parameters for `family` from a candidate's values, starting from the defaults.
    /// A value that does not belong to the family is an error, and so is a value out of range
    /// for it (checked by the family's own validation).
    pub fn from_hyperparameters(family: Family, h: &Hyperparameters) -> Result<Self> {
        if let Some(bad) = h.iter().find(|v| !hyper::names(family).contains(&v.name())) {
            return Err(Error::param(
                bad.name(),
                format!(
                    "not a hyperparameter of {} (allowed: {})",
                    family.key(),
                    hyper::names(family).join(", ")
                ),
            ));
        }
        Ok(match family {
            Family::Logistic => {
                let mut p = LogisticParams::default();
                for v in h.iter() {
                    if let Hyperparameter::C(c) = *v {
                        p = p.with_c(c);
                    }
                }
                p.validate()?;
                ModelParams::Logistic(p)
            }
            Family::Forest => {
                let mut p = ForestParams::default();
                for v in h.iter() {
                    p = match *v {
                        Hyperparameter::NTrees(n) => p.with_n_trees(n),
                        Hyperparameter::MaxDepth(d) => p.with_max_depth(d),
                        Hyperparameter::MinSamplesLeaf(m) => p.with_min_samples_leaf(m),
                        Hyperparameter::MaxFeatures(f) => p.with_max_features(f),
                        _ => p,
                    };
                }
                ModelParams::Forest(p)
            }
            Family::Boosting => {
                let mut p = BoostingParams::default();
                for v in h.iter() {
                    p = match *v {
                        Hyperparameter::NEstimators(n) => p.with_n_estimators(n),
                        Hyperparameter::LearningRate(r) => p.with_learning_rate(r),
                        Hyperparameter::MaxDepth(d) => p.with_max_depth(d),
                        Hyperparameter::MinSamplesLeaf(m) => p.with_min_samples_leaf(m),
                        Hyperparameter::L2Regularization(l) => p.with_l2_regularization(l),
                        Hyperparameter::Subsample(s) => p.with_subsample(s),
                        _ => p,
                    };
                }
                ModelParams::Boosting(p)
            }
        })
    }

    /// The family of these parameters.
    pub fn family(&self) -> Family {
        match self {
            ModelParams::Logistic(_) => Family::Logistic,
            ModelParams::Forest(_) => Family::Forest,
            ModelParams::Boosting(_) => Family::Boosting,
        }
    }
}

/// A fitted model of any family. In JSON: `{"family": "forest", ...the model's fields}`, the
/// family first (deserialised without serde's buffering: [`crate::core::tagged`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "family", rename_all = "snake_case")]
pub enum Model {
    /// Logistic regression.
    Logistic(LogisticRegression),
    /// Random forest.
    Forest(RandomForest),
    /// Gradient boosting.
    Boosting(GradientBoosting),
}

crate::core::tagged::deserialize_tag_first!(Model, "family", |family, rest| {
    Ok(match family.as_str() {
        "logistic" => Model::Logistic(LogisticRegression::deserialize(rest)?),
        "forest" => Model::Forest(RandomForest::deserialize(rest)?),
        "boosting" => Model::Boosting(GradientBoosting::deserialize(rest)?),
        other => {
            return Err(serde::de::Error::unknown_variant(
                other,
                &["logistic", "forest", "boosting"],
            ));
        }
    })
});

/// An additive explanation of one model output, over the model's input columns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RawContributions {
    /// The model's output for an "average" row (intercept or root value).
    pub base: f64,
    /// One contribution per model input column; `base + sum == output`.
    pub values: Vec<f64>,
    /// The model's output for the row (log-odds or probability, see [`Family::explains_log_odds`]).
    pub output: f64,
}

impl Model {
    /// Fits a model of the family given by `params`. `seed` drives every random step.
    pub fn fit(params: &ModelParams, x: &Matrix, y: &[bool], seed: u64) -> Result<Model> {
        Ok(match params {
            ModelParams::Logistic(p) => Model::Logistic(LogisticRegression::fit(x, y, p)?),
            ModelParams::Forest(p) => Model::Forest(RandomForest::fit(x, y, None, p, seed)?),
            ModelParams::Boosting(p) => {
                Model::Boosting(GradientBoosting::fit(x, y, None, p, seed)?)
            }
        })
    }

    /// The model's family.
    pub fn family(&self) -> Family {
        match self {
            Model::Logistic(_) => Family::Logistic,
            Model::Forest(_) => Family::Forest,
            Model::Boosting(_) => Family::Boosting,
        }
    }

    /// Number of input columns the model expects.
    pub fn n_features(&self) -> usize {
        match self {
            Model::Logistic(m) => m.n_features(),
            Model::Forest(m) => m.n_features(),
            Model::Boosting(m) => m.n_features(),
        }
    }

    /// Probability of the positive class for one row.
    pub fn predict_row(&self, row: &[f64]) -> Result<f64> {
        match self {
            Model::Logistic(m) => m.predict_row(row),
            Model::Forest(m) => m.predict_row(row),
            Model::Boosting(m) => m.predict_row(row),
        }
    }

    /// Probabilities for every row of `x`.
    pub fn predict_proba(&self, x: &Matrix) -> Result<Vec<f64>> {
        match self {
            Model::Logistic(m) => m.predict_proba(x),
            Model::Forest(m) => m.predict_proba(x),
            Model::Boosting(m) => m.predict_proba(x),
        }
    }

    /// Additive explanation of one row (exact for logistic regression, path attribution for
    /// trees): in log-odds for logistic regression and boosting, in probability for forests.
    pub fn contributions(&self, row: &[f64]) -> Result<RawContributions> {
        let (base, values) = match self {
            Model::Logistic(m) => m.contributions(row)?,
            Model::Forest(m) => m.contributions(row)?,
            Model::Boosting(m) => m.contributions(row)?,
        };
        let output = base + values.iter().sum::<f64>();
        Ok(RawContributions {
            base,
            values,
            output,
        })
    }

    /// Importance of each input column, normalised to sum to 1 (absolute standardised
    /// coefficients for logistic regression, impurity decrease for trees).
    pub fn feature_importances(&self) -> Vec<f64> {
        match self {
            Model::Logistic(m) => m.feature_importances(),
            Model::Forest(m) => m.feature_importances(),
            Model::Boosting(m) => m.feature_importances(),
        }
    }
}
