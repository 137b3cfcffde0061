//! The Train page's logic on plain structs: the form's text read into a [`TrainConfig`] the
//! way `sepsis-risk train` reads its options (same defaults, same meaning; each bad field one
//! message naming it), the data's format (a built-in schema, or a roles file made in the
//! page), and the run in the worker ([`crate::app::jobs::Job::Train`]): the core's
//! `train::train` on the upload, then the shipped model and the new one scored on the same
//! held-out part ([`HeldOutComparison`]).

use serde::{Deserialize, Serialize};

use crate::core::bundle::ModelBundle;
use crate::core::config::{CalibrationMethod, Selection, ThresholdRule, TrainConfig};
use crate::core::dataset::Dataset;
use crate::core::files;
use crate::core::lineage::{self, ComparisonRow, OperatingSummary};
use crate::core::models::Family;
use crate::core::roles::Roles;
use crate::core::sampling::Balance;
use crate::core::schema::{self, Schema};
use crate::core::search::Strategy;
use crate::core::train;

/// The form's text, as typed (defaults as `sepsis-risk train`'s).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainForm {
    /// Families to try: `logistic`, `forest`, `boosting`.
    pub families: Vec<String>,
    /// `grid` or `random`.
    pub search: String,
    /// Draws per family for random search.
    pub draws: String,
    /// Cross-validation folds.
    pub folds: String,
    /// Seed of every random step.
    pub seed: String,
    /// `auto` or a balancing (`none`, `over`, `under`, `under:R`, `smote`, `smote:K`).
    pub balance: String,
    /// `platt`, `isotonic` or `none`.
    pub calibration: String,
    /// Target sensitivity of the alert threshold.
    pub target: String,
    /// Share of the rows (patients, for hourly data) held out for the final test.
    pub test_fraction: String,
    /// `best` or `one-se`.
    pub selection: String,
    /// `auto`, `sensitivity` or `utility`.
    pub rule: String,
}

impl Default for TrainForm {
    fn default() -> Self {
        let d = TrainConfig::default();
        TrainForm {
            families: Family::NAMES.iter().map(|s| s.to_string()).collect(),
            search: "grid".into(),
            draws: "20".into(),
            folds: d.folds.to_string(),
            seed: d.seed.to_string(),
            balance: "auto".into(),
            calibration: "platt".into(),
            target: d.target_sensitivity.to_string(),
            test_fraction: d.test_fraction.to_string(),
            selection: "best".into(),
            rule: "auto".into(),
        }
    }
}

fn number<T: std::str::FromStr>(
    text: &str,
    field: &str,
    what: &str,
    ok: impl Fn(&T) -> bool,
    problems: &mut Vec<String>,
) -> Option<T> {
    match text.trim().parse::<T>() {
        Ok(v) if ok(&v) => Some(v),
        _ => {
            problems.push(format!("{field}: \"{}\" is not {what}.", text.trim()));
            None
        }
    }
}

impl TrainForm {
    /// The configuration for data of `schema` (as `sepsis-risk train` builds it from the same
    /// options), or every problem of the form (one message per field).
    pub fn config(&self, schema: &Schema) -> Result<TrainConfig, Vec<String>> {
        let base = TrainConfig::for_schema(schema);
        let mut p = Vec::new();
        let mut families = Vec::new();
        for f in &self.families {
            match f.parse::<Family>() {
                Ok(f) if !families.contains(&f) => families.push(f),
                Ok(_) => {}
                Err(_) => p.push(format!("Families: \"{f}\" is not a model family.")),
            }
        }
        if self.families.is_empty() {
            p.push("Families: choose at least one model family.".into());
        }
        let draws = number::<usize>(
            &self.draws,
            "Draws",
            "a whole number from 1 to 500",
            |n| (1..=500).contains(n),
            &mut p,
        );
        let strategy = match self.search.as_str() {
            "grid" => Some(Strategy::Grid),
            "random" => draws.map(|n_iter| Strategy::Random { n_iter }),
            other => {
                p.push(format!("Search: \"{other}\" is not one of grid or random."));
                None
            }
        };
        let folds = number::<usize>(
            &self.folds,
            "Folds",
            "a whole number from 2 to 50",
            |n| (2..=50).contains(n),
            &mut p,
        );
        let seed = number::<u64>(&self.seed, "Seed", "a whole number", |_| true, &mut p);
        let balance = match self.balance.trim() {
            "auto" => Some(base.balance),
            other => match other.parse::<Balance>() {
                Ok(b) => Some(b),
                Err(e) => {
                    p.push(format!("Class balancing: {e}"));
                    None
                }
            },
        };
        let calibration = self
            .calibration
            .parse::<CalibrationMethod>()
            .ok()
            .or_else(|| {
                p.push(format!(
                    "Calibration: \"{}\" is not one of Platt, isotonic or none.",
                    self.calibration
                ));
                None
            });
        let target = number::<f64>(
            &self.target,
            "Target sensitivity",
            "a number between 0 and 1 (for example 0.8)",
            |t| *t > 0.0 && *t < 1.0,
            &mut p,
        );
        let test_fraction = number::<f64>(
            &self.test_fraction,
            "Held-out share",
            "a number from 0 to 0.5 (for example 0.2)",
            |t| (0.0..=0.5).contains(t),
            &mut p,
        );
        let selection = self.selection.parse::<Selection>().ok().or_else(|| {
            p.push(format!(
                "Selection: \"{}\" is not one of best or one-se.",
                self.selection
            ));
            None
        });
        let rule = match self.rule.as_str() {
            "auto" => Some(None),
            other => match other.parse::<ThresholdRule>() {
                Ok(r) => Some(Some(r)),
                Err(_) => {
                    p.push(format!(
                        "Threshold rule: \"{other}\" is not one of auto, sensitivity or utility."
                    ));
                    None
                }
            },
        };
        let (
            Some(strategy),
            Some(folds),
            Some(seed),
            Some(balance),
            Some(calibration),
            Some(target_sensitivity),
            Some(test_fraction),
            Some(selection),
            Some(threshold_rule),
            true,
        ) = (
            strategy,
            folds,
            seed,
            balance,
            calibration,
            target,
            test_fraction,
            selection,
            rule,
            p.is_empty(),
        )
        else {
            return Err(p);
        };
        let config = TrainConfig {
            seed,
            folds,
            strategy,
            balance,
            threshold_rule,
            target_sensitivity,
            test_fraction,
            calibration,
            selection,
            families,
            ..base
        };
        config.validate().map_err(|e| vec![e.to_string()])?;
        Ok(config)
    }
}

/// The upload's format for training: a built-in schema by name, or a roles file (its JSON)
/// made in the page's role mapping.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TrainSchema {
    /// `seed` or `icu`.
    Builtin {
        /// The built-in schema's name.
        name: String,
    },
    /// A roles file (`sepsis-risk train --roles`).
    Roles {
        /// Its JSON.
        roles: String,
    },
}

impl TrainSchema {
    /// The schema for `files` (`(name, bytes)` in reading order; `label` names them).
    pub fn resolve(&self, files: &[(String, Vec<u8>)], label: &str) -> Result<Schema, String> {
        match self {
            TrainSchema::Builtin { name } => {
                schema::builtin(name).ok_or_else(|| format!("\"{name}\" is not a built-in format"))
            }
            TrainSchema::Roles { roles } => {
                let roles = Roles::from_json(roles).map_err(|e| format!("roles.json: {e}"))?;
                let tables = files
                    .iter()
                    .map(|(name, bytes)| files::parse_file(name, bytes))
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|e| e.to_string())?;
                let header = tables
                    .first()
                    .map(|t| t.header.clone())
                    .ok_or_else(|| format!("{label}: no input files"))?;
                let refs: Vec<_> = tables.iter().collect();
                roles
                    .schema(label, &header, &refs)
                    .map_err(|e| format!("roles.json: {e}"))
            }
        }
    }
}

/// The shipped model and the model trained on the upload, scored on the same held-out part of
/// the upload (the rows, or whole patients, that training held out for its final test).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeldOutComparison {
    /// The other model's title.
    pub other_title: String,
    /// Rows of the held-out part.
    pub rows: usize,
    /// Patients of the held-out part (hourly data).
    pub patients: Option<usize>,
    /// The other model at its threshold.
    pub other: OperatingSummary,
    /// The trained model at its threshold.
    pub trained: OperatingSummary,
}

impl HeldOutComparison {
    /// Scores `other` and `trained` on the held-out part of `ds` (`test_rows` from training).
    pub fn of(
        other: &ModelBundle,
        trained: &ModelBundle,
        ds: &Dataset,
        test_rows: &[usize],
    ) -> Result<HeldOutComparison, String> {
        let held = train::held_out(ds, test_rows).map_err(|e| e.to_string())?;
        let score = |b: &ModelBundle| {
            train::operating_summary(b, &held)
                .map_err(|e| format!("{} on the held-out part: {e}", b.model_card.title))
        };
        let trained_summary = score(trained)?;
        Ok(HeldOutComparison {
            other_title: other.model_card.title.clone(),
            rows: held.rows.len(),
            patients: trained_summary.icu.as_ref().map(|e| e.patients),
            other: score(other)?,
            trained: trained_summary,
        })
    }

    /// The table's rows: the other model's figures ("before") and the trained model's
    /// ("after").
    pub fn rows(&self) -> Vec<ComparisonRow> {
        lineage::compare(&self.other, &self.trained)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_form_is_the_cli_default_for_every_builtin_format() {
        for name in schema::BUILTIN_NAMES {
            let s = schema::builtin(name).unwrap();
            assert_eq!(
                TrainForm::default().config(&s).unwrap(),
                TrainConfig::for_schema(&s),
                "{name}"
            );
        }
    }

    #[test]
    fn every_bad_field_is_named_and_good_ones_reach_the_config() {
        let s = schema::builtin("seed").unwrap();
        let bad = TrainForm {
            families: vec!["magic".into()],
            search: "random".into(),
            draws: "0".into(),
            folds: "1".into(),
            seed: "x".into(),
            balance: "sideways".into(),
            calibration: "vibes".into(),
            target: "1.5".into(),
            test_fraction: "0.9".into(),
            selection: "luck".into(),
            rule: "coin".into(),
        };
        let p = bad.config(&s).unwrap_err();
        let fields = [
            "Families",
            "Draws",
            "Folds",
            "Seed",
            "Class balancing",
            "Calibration",
            "Target sensitivity",
            "Held-out share",
            "Selection",
            "Threshold rule",
        ];
        assert_eq!(p.len(), fields.len(), "{p:?}");
        for (m, f) in p.iter().zip(fields) {
            assert!(m.starts_with(f), "{m}");
        }
        let none = TrainForm {
            families: vec![],
            ..TrainForm::default()
        };
        assert!(none.config(&s).unwrap_err()[0].contains("at least one"));

        let good = TrainForm {
            families: vec!["boosting".into(), "logistic".into()],
            search: "random".into(),
            draws: "7".into(),
            folds: "3".into(),
            seed: "9".into(),
            balance: "smote:3".into(),
            calibration: "isotonic".into(),
            target: "0.85".into(),
            test_fraction: "0.25".into(),
            selection: "one-se".into(),
            rule: "sensitivity".into(),
        }
        .config(&s)
        .unwrap();
        assert_eq!(good.families, [Family::Boosting, Family::Logistic]);
        assert_eq!(good.strategy, Strategy::Random { n_iter: 7 });
        assert_eq!((good.folds, good.seed), (3, 9));
        assert_eq!(good.balance, Balance::Smote { k: 3 });
        assert_eq!(good.calibration, CalibrationMethod::Isotonic);
        assert_eq!(good.target_sensitivity, 0.85);
        assert_eq!(good.test_fraction, 0.25);
        assert_eq!(good.selection, Selection::OneStandardError);
        assert_eq!(good.threshold_rule, Some(ThresholdRule::Sensitivity));
        // The utility rule needs hourly data: the core's own check.
        let p = TrainForm {
            rule: "utility".into(),
            ..TrainForm::default()
        }
        .config(&s);
        assert!(p.is_ok() || p.unwrap_err()[0].contains("utility"));
    }
}
