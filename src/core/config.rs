//! Everything that controls a training run: [`TrainConfig`] and the choices it names
//! (calibration method, family selection rule, threshold rule). The bundle records the
//! configuration it was trained with, so this module depends on neither training nor bundles.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::core::models::{Family, Hyperparameter, hyper};
use crate::core::preprocess::PreprocessConfig;
use crate::core::sampling::Balance;
use crate::core::schema::Schema;
use crate::core::search::{Metric, Strategy};
use crate::core::{Error, Result};

/// How out-of-fold probabilities are calibrated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum CalibrationMethod {
    /// Platt scaling (logistic on the log-odds).
    #[default]
    Platt,
    /// Isotonic regression.
    Isotonic,
    /// No calibration.
    None,
}

impl CalibrationMethod {
    /// The canonical names `FromStr` reads (it also takes `sigmoid` for Platt).
    pub const NAMES: &'static [&'static str] = &["platt", "isotonic", "none"];

    /// Display text: "Platt scaling", "isotonic regression", "no calibration".
    pub fn title(self) -> &'static str {
        match self {
            CalibrationMethod::Platt => "Platt scaling",
            CalibrationMethod::Isotonic => "isotonic regression",
            CalibrationMethod::None => "no calibration",
        }
    }
}

impl std::str::FromStr for CalibrationMethod {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "platt" | "sigmoid" => Ok(CalibrationMethod::Platt),
            "isotonic" => Ok(CalibrationMethod::Isotonic),
            "none" => Ok(CalibrationMethod::None),
            other => Err(Error::param(
                "calibration",
                format!("unknown method `{other}` (expected platt, isotonic or none)"),
            )),
        }
    }
}

/// How the shipped family is chosen among the searched ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Selection {
    /// The highest mean cross-validated metric (the default).
    #[default]
    Best,
    /// The one-standard-error rule: the simplest family whose mean is within one standard
    /// error (fold sd / sqrt(folds)) of the best mean. Simplicity: logistic regression, then
    /// gradient boosting, then random forest.
    OneStandardError,
}

impl Selection {
    /// The canonical names `FromStr` reads (it also takes `one_se` and `1se`).
    pub const NAMES: &'static [&'static str] = &["best", "one-se"];
}

impl std::str::FromStr for Selection {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "best" => Ok(Selection::Best),
            "one-se" | "one_se" | "1se" => Ok(Selection::OneStandardError),
            other => Err(Error::param(
                "selection",
                format!("unknown rule `{other}` (expected best or one-se)"),
            )),
        }
    }
}

/// Which out-of-fold rule sets the shipped alert threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ThresholdRule {
    /// The highest threshold whose sensitivity reaches [`TrainConfig::target_sensitivity`].
    Sensitivity,
    /// The threshold with the best normalized utility of the PhysioNet/CinC 2019 challenge
    /// (time-series data only).
    Utility,
}

impl ThresholdRule {
    /// The names `FromStr` reads.
    pub const NAMES: &'static [&'static str] = &["sensitivity", "utility"];
}

impl std::str::FromStr for ThresholdRule {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "sensitivity" => Ok(ThresholdRule::Sensitivity),
            "utility" => Ok(ThresholdRule::Utility),
            other => Err(Error::param(
                "threshold-rule",
                format!("unknown rule `{other}` (expected sensitivity or utility)"),
            )),
        }
    }
}

/// Negative hours kept per positive hour in training folds of time-series data (see
/// [`TrainConfig::for_schema`]).
pub const TIME_SERIES_NEGATIVES_PER_POSITIVE: usize = 10;

/// Everything that controls a training run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainConfig {
    /// Seed of every random step.
    pub seed: u64,
    /// Number of cross-validation folds.
    pub folds: usize,
    /// Grid or random search.
    pub strategy: Strategy,
    /// Class balancing applied inside training folds only.
    pub balance: Balance,
    /// Target sensitivity for the alert threshold.
    pub target_sensitivity: f64,
    /// Sensitivity kept above the "low" risk band's upper edge.
    pub rule_out_sensitivity: f64,
    /// Fraction of rows held out as a final test set (0 = none).
    pub test_fraction: f64,
    /// Calibration method.
    pub calibration: CalibrationMethod,
    /// Metric optimised by the search.
    pub metric: Metric,
    /// Families tried.
    pub families: Vec<Family>,
    /// How the shipped family is chosen.
    pub selection: Selection,
    /// Preprocessing.
    pub preprocess: PreprocessConfig,
    /// The rule of the shipped threshold; None: by utility for time-series data, by target
    /// sensitivity otherwise. Both thresholds are recorded for time-series data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold_rule: Option<ThresholdRule>,
    /// Hyper-parameters fixed to one value (name → number, as search spaces declare them) in
    /// every family that has them: `--fix name=value` in the CLI. Fixing every searched
    /// dimension of a family leaves one candidate, cross-validated only for the out-of-fold
    /// probabilities that calibration and the threshold need: how a run that failed after
    /// its search is finished without searching again ([`crate::core::Error::AfterSearch`]).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fixed: BTreeMap<String, f64>,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            seed: 42,
            folds: 5,
            strategy: Strategy::Grid,
            balance: Balance::None,
            target_sensitivity: 0.8,
            rule_out_sensitivity: 0.95,
            test_fraction: 0.2,
            calibration: CalibrationMethod::Platt,
            metric: Metric::RocAuc,
            families: Family::ALL.to_vec(),
            selection: Selection::Best,
            preprocess: PreprocessConfig::default(),
            threshold_rule: None,
            fixed: BTreeMap::new(),
        }
    }
}

impl TrainConfig {
    /// The defaults for a schema: for time-series data (a temporal section), negative hours
    /// under-sampled to 10 per positive hour inside training folds and no missing-value
    /// indicators (the time-aware features already say what was measured and when);
    /// otherwise [`TrainConfig::default`].
    pub fn for_schema(schema: &Schema) -> Self {
        let mut c = TrainConfig::default();
        if schema.temporal.is_some() {
            c.balance = Balance::UnderRatio {
                ratio: TIME_SERIES_NEGATIVES_PER_POSITIVE,
            };
            c.preprocess = c.preprocess.with_missing_indicators(false);
        }
        c
    }

    /// The threshold rule in effect for a schema (see [`TrainConfig::threshold_rule`]).
    pub fn effective_threshold_rule(&self, schema: &Schema) -> ThresholdRule {
        self.threshold_rule.unwrap_or(if schema.temporal.is_some() {
            ThresholdRule::Utility
        } else {
            ThresholdRule::Sensitivity
        })
    }

    /// Checks the configuration once, before any work.
    pub fn validate(&self) -> Result<()> {
        if !(2..=50).contains(&self.folds) {
            return Err(Error::param(
                "folds",
                format!("must be 2 to 50, got {}", self.folds),
            ));
        }
        for (name, v) in [
            ("target-sensitivity", self.target_sensitivity),
            ("rule-out-sensitivity", self.rule_out_sensitivity),
        ] {
            if !(v > 0.0 && v <= 1.0) {
                return Err(Error::param(name, format!("must be in (0, 1], got {v}")));
            }
        }
        if !(0.0..0.9).contains(&self.test_fraction) {
            return Err(Error::param(
                "test-fraction",
                format!("must be in [0, 0.9), got {}", self.test_fraction),
            ));
        }
        if self.families.is_empty() {
            return Err(Error::param(
                "families",
                "at least one model family is needed",
            ));
        }
        for (name, &v) in &self.fixed {
            Hyperparameter::parse(name, v).map_err(|e| Error::param("fix", e.to_string()))?;
            if !self
                .families
                .iter()
                .any(|&f| hyper::names(f).contains(&name.as_str()))
            {
                let trained: Vec<&str> = self.families.iter().map(|f| f.key()).collect();
                return Err(Error::param(
                    "fix",
                    format!(
                        "`{name}` is not a hyperparameter of the families trained ({})",
                        trained.join(", ")
                    ),
                ));
            }
        }
        Ok(())
    }
}
