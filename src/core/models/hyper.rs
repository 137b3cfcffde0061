//! Typed hyperparameters: the values a search tries and a bundle records.
//!
//! Each searched hyperparameter is a [`Hyperparameter`] with its own type (whole numbers,
//! rates, an optional depth, a feature-sampling rule). [`Hyperparameters`] is a candidate: one
//! value per name, in name order. Numbers become typed values at the edge, once
//! ([`Hyperparameter::parse`]: search spaces declare numbers, bundles store numbers); from
//! there on nothing decodes "0 means unlimited". In JSON a candidate stays what it always was,
//! an object of numbers (`{"max_depth": 0.0, "n_trees": 150.0}`), so bundles keep their format:
//! there, and only there, `max_depth` 0 means unlimited and `max_features` 0 the square root.

use std::fmt;

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::Family;
use super::tree::MaxFeatures;
use crate::core::{Error, Result};

/// One hyperparameter with its value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Hyperparameter {
    /// Logistic regression: inverse regularisation strength `C` (> 0).
    C(f64),
    /// Random forest: number of trees.
    NTrees(usize),
    /// Gradient boosting: number of boosting rounds.
    NEstimators(usize),
    /// Gradient boosting: shrinkage of every tree.
    LearningRate(f64),
    /// Trees: maximum depth; `None` for unlimited.
    MaxDepth(Option<usize>),
    /// Trees: minimum rows per leaf.
    MinSamplesLeaf(usize),
    /// Random forest: candidate features per split.
    MaxFeatures(MaxFeatures),
    /// Gradient boosting: L2 regularisation of leaf values.
    L2Regularization(f64),
    /// Gradient boosting: fraction of rows each tree sees.
    Subsample(f64),
}

/// The names a family accepts, in name order.
pub fn names(family: Family) -> &'static [&'static str] {
    match family {
        Family::Logistic => &["c"],
        Family::Forest => &["max_depth", "max_features", "min_samples_leaf", "n_trees"],
        Family::Boosting => &[
            "l2_regularization",
            "learning_rate",
            "max_depth",
            "min_samples_leaf",
            "n_estimators",
            "subsample",
        ],
    }
}

fn whole(name: &str, v: f64) -> Result<usize> {
    if v.is_finite() && v >= 0.0 && v.fract() == 0.0 {
        Ok(v as usize)
    } else {
        Err(Error::param(
            name,
            format!("must be a whole number, got {v}"),
        ))
    }
}

impl Hyperparameter {
    /// The value named `name` from its number, as search spaces declare and bundles store
    /// them (`max_depth` 0: unlimited; `max_features` 0: square root, else a fraction).
    /// Unknown names, and fractional counts, are errors. Ranges are checked when the family's
    /// parameters are built ([`super::ModelParams::from_hyperparameters`]).
    pub fn parse(name: &str, v: f64) -> Result<Hyperparameter> {
        Ok(match name {
            "c" => Hyperparameter::C(v),
            "n_trees" => Hyperparameter::NTrees(whole(name, v)?),
            "n_estimators" => Hyperparameter::NEstimators(whole(name, v)?),
            "learning_rate" => Hyperparameter::LearningRate(v),
            "max_depth" => Hyperparameter::MaxDepth(match whole(name, v)? {
                0 => None,
                d => Some(d),
            }),
            "min_samples_leaf" => Hyperparameter::MinSamplesLeaf(whole(name, v)?),
            "max_features" => Hyperparameter::MaxFeatures(if v == 0.0 {
                MaxFeatures::Sqrt
            } else {
                MaxFeatures::Fraction(v)
            }),
            "l2_regularization" => Hyperparameter::L2Regularization(v),
            "subsample" => Hyperparameter::Subsample(v),
            other => {
                return Err(Error::param(
                    other,
                    "not a hyperparameter (known: c, n_trees, n_estimators, learning_rate, max_depth, min_samples_leaf, max_features, l2_regularization, subsample)",
                ));
            }
        })
    }

    /// Its name (the key in search spaces and bundles).
    pub fn name(&self) -> &'static str {
        match self {
            Hyperparameter::C(_) => "c",
            Hyperparameter::NTrees(_) => "n_trees",
            Hyperparameter::NEstimators(_) => "n_estimators",
            Hyperparameter::LearningRate(_) => "learning_rate",
            Hyperparameter::MaxDepth(_) => "max_depth",
            Hyperparameter::MinSamplesLeaf(_) => "min_samples_leaf",
            Hyperparameter::MaxFeatures(_) => "max_features",
            Hyperparameter::L2Regularization(_) => "l2_regularization",
            Hyperparameter::Subsample(_) => "subsample",
        }
    }

    /// Its stored number (the inverse of [`Hyperparameter::parse`]).
    pub fn number(&self) -> f64 {
        match *self {
            Hyperparameter::C(v)
            | Hyperparameter::LearningRate(v)
            | Hyperparameter::L2Regularization(v)
            | Hyperparameter::Subsample(v) => v,
            Hyperparameter::NTrees(n)
            | Hyperparameter::NEstimators(n)
            | Hyperparameter::MinSamplesLeaf(n) => n as f64,
            Hyperparameter::MaxDepth(d) => d.map_or(0.0, |d| d as f64),
            Hyperparameter::MaxFeatures(m) => match m {
                MaxFeatures::Sqrt => 0.0,
                MaxFeatures::All => 1.0,
                MaxFeatures::Fraction(f) => f,
            },
        }
    }
}

/// `name = value`, with words for the special values (`max_depth = unlimited`,
/// `max_features = sqrt`).
impl fmt::Display for Hyperparameter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Hyperparameter::MaxDepth(None) => write!(f, "max_depth = unlimited"),
            Hyperparameter::MaxFeatures(MaxFeatures::Sqrt) => write!(f, "max_features = sqrt"),
            Hyperparameter::MaxFeatures(MaxFeatures::All) => write!(f, "max_features = all"),
            h => write!(f, "{} = {}", h.name(), h.number()),
        }
    }
}

/// One candidate's hyperparameters: at most one value per name, kept in name order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Hyperparameters(Vec<Hyperparameter>);

impl Hyperparameters {
    /// No values (every parameter at the family's default).
    pub fn new() -> Self {
        Hyperparameters(Vec::new())
    }

    /// Sets `h`, replacing a value of the same name.
    pub fn set(&mut self, h: Hyperparameter) {
        match self.0.binary_search_by(|x| x.name().cmp(h.name())) {
            Ok(i) => self.0[i] = h,
            Err(i) => self.0.insert(i, h),
        }
    }

    /// Parses named numbers (see [`Hyperparameter::parse`]).
    pub fn from_numbers<'a>(named: impl IntoIterator<Item = (&'a str, f64)>) -> Result<Self> {
        let mut out = Hyperparameters::new();
        for (name, v) in named {
            out.set(Hyperparameter::parse(name, v)?);
        }
        Ok(out)
    }

    /// The values, in name order.
    pub fn iter(&self) -> impl Iterator<Item = &Hyperparameter> {
        self.0.iter()
    }

    /// The stored number of `name`, if set.
    pub fn number(&self, name: &str) -> Option<f64> {
        self.0
            .iter()
            .find(|h| h.name() == name)
            .map(Hyperparameter::number)
    }

    /// Number of values set.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether no value is set.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The values separated by `, ` (`"max_depth = 8, n_trees = 150"`).
impl fmt::Display for Hyperparameters {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, h) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{h}")?;
        }
        Ok(())
    }
}

impl Serialize for Hyperparameters {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for h in &self.0 {
            map.serialize_entry(h.name(), &h.number())?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Hyperparameters {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct NumbersVisitor;
        impl<'de> Visitor<'de> for NumbersVisitor {
            type Value = Hyperparameters;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object of hyperparameter numbers")
            }
            fn visit_map<A: MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<Hyperparameters, A::Error> {
                let mut out = Hyperparameters::new();
                while let Some((name, v)) = map.next_entry::<String, f64>()? {
                    let h = Hyperparameter::parse(&name, v).map_err(serde::de::Error::custom)?;
                    out.set(h);
                }
                Ok(out)
            }
        }
        d.deserialize_map(NumbersVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_become_typed_values_and_back() {
        let h = Hyperparameters::from_numbers([
            ("n_trees", 150.0),
            ("max_depth", 0.0),
            ("max_features", 0.0),
            ("min_samples_leaf", 5.0),
        ])
        .unwrap();
        let v: Vec<_> = h.iter().copied().collect();
        assert_eq!(
            v,
            [
                Hyperparameter::MaxDepth(None),
                Hyperparameter::MaxFeatures(MaxFeatures::Sqrt),
                Hyperparameter::MinSamplesLeaf(5),
                Hyperparameter::NTrees(150),
            ]
        );
        assert_eq!(
            h.to_string(),
            "max_depth = unlimited, max_features = sqrt, min_samples_leaf = 5, n_trees = 150"
        );
        let json = serde_json::to_string(&h).unwrap();
        assert_eq!(
            json,
            r#"{"max_depth":0.0,"max_features":0.0,"min_samples_leaf":5.0,"n_trees":150.0}"#
        );
        assert_eq!(serde_json::from_str::<Hyperparameters>(&json).unwrap(), h);
        assert_eq!(h.number("n_trees"), Some(150.0));
        assert_eq!(h.number("c"), None);
    }

    #[test]
    fn bad_numbers_and_names_are_errors() {
        assert!(Hyperparameter::parse("n_trees", 1.5).is_err());
        assert!(Hyperparameter::parse("max_depth", -1.0).is_err());
        assert!(Hyperparameter::parse("depth", 3.0).is_err());
        assert!(serde_json::from_str::<Hyperparameters>(r#"{"depth": 3}"#).is_err());
        assert!(serde_json::from_str::<Hyperparameters>(r#"{"n_trees": 2.5}"#).is_err());
    }

    #[test]
    fn setting_a_name_again_replaces_it() {
        let mut h = Hyperparameters::new();
        h.set(Hyperparameter::C(1.0));
        h.set(Hyperparameter::C(0.1));
        assert_eq!(h.len(), 1);
        assert_eq!(h.number("c"), Some(0.1));
    }
}
