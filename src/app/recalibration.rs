//! The Recalibrate page's logic on plain structs: the form's text read into a
//! [`RecalibrateConfig`] (each bad field one message naming it) and whether the loaded upload
//! can recalibrate the selected model. The run itself is a worker job
//! ([`crate::app::jobs::Job::Recalibrate`]) calling the core's `train::recalibrate`, the same
//! function as `sepsis-risk recalibrate`: same data, same options, same seed give the same
//! bundle.

use crate::app::state::Loaded;
use crate::core::bundle::ModelBundle;
use crate::core::config::{CalibrationMethod, ThresholdRule};
use crate::core::train::RecalibrateConfig;

/// The form's text, as typed (defaults as `sepsis-risk recalibrate`'s); the page sends it to
/// the worker as it is ([`crate::app::jobs::Job::Recalibrate`]).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RecalibrateForm {
    /// `platt` or `isotonic`.
    pub method: String,
    /// Cross-fitting folds.
    pub folds: String,
    /// Seed of the folds.
    pub seed: String,
    /// `auto` (the model's rule), `sensitivity` or `utility`.
    pub rule: String,
    /// Target sensitivity (empty: the model's).
    pub target: String,
}

impl Default for RecalibrateForm {
    fn default() -> Self {
        let d = RecalibrateConfig::default();
        RecalibrateForm {
            method: "platt".into(),
            folds: d.folds.to_string(),
            seed: d.seed.to_string(),
            rule: "auto".into(),
            target: String::new(),
        }
    }
}

impl RecalibrateForm {
    /// The configuration, or every problem of the form (one message per field).
    pub fn config(&self) -> Result<RecalibrateConfig, Vec<String>> {
        let mut problems = Vec::new();
        let method = match self.method.as_str() {
            "platt" => CalibrationMethod::Platt,
            "isotonic" => CalibrationMethod::Isotonic,
            other => {
                problems.push(format!(
                    "Method: \"{other}\" is not one of Platt or isotonic."
                ));
                CalibrationMethod::Platt
            }
        };
        let folds = match self.folds.trim().parse::<usize>() {
            Ok(n) if (2..=50).contains(&n) => n,
            _ => {
                problems.push(format!(
                    "Folds: \"{}\" is not a whole number from 2 to 50.",
                    self.folds.trim()
                ));
                0
            }
        };
        let seed = match self.seed.trim().parse::<u64>() {
            Ok(s) => s,
            Err(_) => {
                problems.push(format!(
                    "Seed: \"{}\" is not a whole number from 0 to {}.",
                    self.seed.trim(),
                    u64::MAX
                ));
                0
            }
        };
        let threshold_rule = match self.rule.as_str() {
            "auto" => None,
            "sensitivity" => Some(ThresholdRule::Sensitivity),
            "utility" => Some(ThresholdRule::Utility),
            other => {
                problems.push(format!(
                    "Threshold rule: \"{other}\" is not one of the model's rule, sensitivity or utility."
                ));
                None
            }
        };
        let target = self.target.trim();
        let target_sensitivity = if target.is_empty() {
            None
        } else {
            match target.parse::<f64>() {
                Ok(t) if t > 0.0 && t < 1.0 => Some(t),
                _ => {
                    problems.push(format!(
                        "Target sensitivity: \"{target}\" is not a number between 0 and 1 (for example 0.8)."
                    ));
                    None
                }
            }
        };
        if problems.is_empty() {
            Ok(RecalibrateConfig {
                method,
                folds,
                seed,
                threshold_rule,
                target_sensitivity,
            })
        } else {
            Err(problems)
        }
    }
}

/// Why `parent` cannot be recalibrated on `data`, if it cannot: no label column, or data of
/// another format than the model reads.
pub fn unusable(parent: &ModelBundle, data: &Loaded) -> Option<String> {
    if data.dataset.schema.name != parent.schema.name {
        return Some(format!(
            "The loaded data is in the format \"{}\"; the selected model reads \"{}\". Load labelled data in the model's format, or pick the model for this data.",
            data.dataset.schema.title, parent.schema.title
        ));
    }
    if !data.dataset.has_label_column {
        return Some(format!(
            "{}: there is no label column ({}), so the model cannot be checked or recalibrated on it. Load data with the outcome recorded.",
            data.file_name, data.dataset.schema.label.name
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::model::seed_bundle;
    use crate::app::state;
    use crate::core::demo;

    #[test]
    fn the_default_form_is_the_cli_default() {
        let c = RecalibrateForm::default().config().unwrap();
        assert_eq!(c, RecalibrateConfig::default());
    }

    #[test]
    fn every_bad_field_is_named() {
        let form = RecalibrateForm {
            method: "magic".into(),
            folds: "1".into(),
            seed: "-3".into(),
            rule: "luck".into(),
            target: "1.2".into(),
        };
        let problems = form.config().unwrap_err();
        assert_eq!(problems.len(), 5, "{problems:?}");
        for (p, field) in problems.iter().zip([
            "Method",
            "Folds",
            "Seed",
            "Threshold rule",
            "Target sensitivity",
        ]) {
            assert!(p.starts_with(field), "{p}");
        }
        let ok = RecalibrateForm {
            method: "isotonic".into(),
            folds: " 10 ".into(),
            seed: "7".into(),
            rule: "sensitivity".into(),
            target: "0.9".into(),
        }
        .config()
        .unwrap();
        assert_eq!(ok.method, CalibrationMethod::Isotonic);
        assert_eq!(ok.folds, 10);
        assert_eq!(ok.threshold_rule, Some(ThresholdRule::Sensitivity));
        assert_eq!(ok.target_sensitivity, Some(0.9));
    }

    #[test]
    fn unlabelled_data_and_data_of_another_format_cannot_recalibrate() {
        let parent = seed_bundle().unwrap();
        let text = demo::demo_csv(&parent.schema, 300, 5).unwrap();
        let loaded = state::load("local.csv", text.as_bytes(), Some(parent)).unwrap();
        assert_eq!(unusable(parent, &loaded), None);

        // Without the label column.
        let header_end = text.find('\n').unwrap();
        let unlabelled: String = text
            .lines()
            .map(|l| l.rsplit_once(',').unwrap().0.to_string() + "\n")
            .collect();
        assert!(text[..header_end].ends_with("Sepssis"));
        let nolabel = state::load("nolabel.csv", unlabelled.as_bytes(), Some(parent)).unwrap();
        let e = unusable(parent, &nolabel).unwrap();
        assert!(
            e.starts_with("nolabel.csv: there is no label column"),
            "{e}"
        );

        // Data of another format.
        let icu = crate::app::model::test_icu_bundle();
        let e = unusable(icu, &loaded).unwrap();
        assert!(e.contains("the selected model reads"), "{e}");
    }
}
