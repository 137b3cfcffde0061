//! Model families behind one interface.
//!
//! - [`logistic`]: L2 logistic regression (smartcore's solver, our serialisable model).
//! - [`forest`]: random forest with probability estimates (our tree module).
//! - [`boosting`]: gradient boosting with the logistic loss (our tree module).
//! - [`tree`]: the shared histogram tree learner.
//!
//! The choice of building our own tree ensembles is explained in `docs/decisions.md`.

pub mod boosting;
pub mod forest;
pub mod logistic;
pub mod tree;

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::core::{Error, Matrix, Result};
use boosting::{BoostingParams, GradientBoosting};
use forest::{ForestParams, RandomForest};
use logistic::{LogisticParams, LogisticRegression};
use tree::MaxFeatures;

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

/// Hyperparameters as named numbers, the form in which search spaces and bundles hold them.
pub type Hyperparameters = BTreeMap<String, f64>;

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

fn take(h: &Hyperparameters, name: &str) -> Option<f64> {
    h.get(name).copied()
}

fn take_usize(h: &Hyperparameters, name: &str) -> Result<Option<usize>> {
    match h.get(name) {
        None => Ok(None),
        Some(&v) if v.is_finite() && v >= 0.0 && v.fract() == 0.0 => Ok(Some(v as usize)),
        Some(&v) => Err(Error::param(
            name,
            format!("must be a whole number, got {v}"),
        )),
    }
}

impl ModelParams {
    /// Builds parameters for `family` from named values, starting from the defaults. Unknown
    /// names are an error. Names: logistic `c`; forest `n_trees`, `max_depth` (0 = unlimited),
    /// `min_samples_leaf`, `max_features` (fraction of columns per split; 0 = square root);
    /// boosting `n_estimators`, `learning_rate`, `max_depth`, `min_samples_leaf`,
    /// `l2_regularization`, `subsample`.
    pub fn from_hyperparameters(family: Family, h: &Hyperparameters) -> Result<Self> {
        let allowed: &[&str] = match family {
            Family::Logistic => &["c"],
            Family::Forest => &["n_trees", "max_depth", "min_samples_leaf", "max_features"],
            Family::Boosting => &[
                "n_estimators",
                "learning_rate",
                "max_depth",
                "min_samples_leaf",
                "l2_regularization",
                "subsample",
            ],
        };
        if let Some(bad) = h.keys().find(|k| !allowed.contains(&k.as_str())) {
            return Err(Error::param(
                bad.clone(),
                format!(
                    "not a hyperparameter of {} (allowed: {})",
                    family.key(),
                    allowed.join(", ")
                ),
            ));
        }
        Ok(match family {
            Family::Logistic => {
                let mut p = LogisticParams::default();
                if let Some(c) = take(h, "c") {
                    p = p.with_c(c);
                }
                p.validate()?;
                ModelParams::Logistic(p)
            }
            Family::Forest => {
                let mut p = ForestParams::default();
                if let Some(n) = take_usize(h, "n_trees")? {
                    p = p.with_n_trees(n);
                }
                if let Some(d) = take_usize(h, "max_depth")? {
                    p = p.with_max_depth(if d == 0 { None } else { Some(d) });
                }
                if let Some(m) = take_usize(h, "min_samples_leaf")? {
                    p = p.with_min_samples_leaf(m);
                }
                if let Some(f) = take(h, "max_features") {
                    p = p.with_max_features(if f == 0.0 {
                        MaxFeatures::Sqrt
                    } else {
                        MaxFeatures::Fraction(f)
                    });
                }
                ModelParams::Forest(p)
            }
            Family::Boosting => {
                let mut p = BoostingParams::default();
                if let Some(n) = take_usize(h, "n_estimators")? {
                    p = p.with_n_estimators(n);
                }
                if let Some(v) = take(h, "learning_rate") {
                    p = p.with_learning_rate(v);
                }
                if let Some(d) = take_usize(h, "max_depth")? {
                    p = p.with_max_depth(if d == 0 { None } else { Some(d) });
                }
                if let Some(m) = take_usize(h, "min_samples_leaf")? {
                    p = p.with_min_samples_leaf(m);
                }
                if let Some(v) = take(h, "l2_regularization") {
                    p = p.with_l2_regularization(v);
                }
                if let Some(v) = take(h, "subsample") {
                    p = p.with_subsample(v);
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
