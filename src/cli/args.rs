//! The command line as clap parses it: subcommands, their arguments, and their typed choices.
//! clap is native-only, so the core's types derive no clap traits; a choice is parsed by the
//! core's own `FromStr` (one list of spellings, in the core) through [`CoreChoice`], which
//! gives clap the canonical names for `--help` and for its errors.

use std::ffi::OsStr;
use std::marker::PhantomData;
use std::path::PathBuf;
use std::str::FromStr;

use clap::builder::{PossibleValue, TypedValueParser};
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::core::config::{CalibrationMethod, Selection, ThresholdRule, TrainConfig};
use crate::core::models::Family;
use crate::core::sampling::Balance;
use crate::core::schema::Schema;
use crate::core::search::{Metric, Strategy};

use super::{CliError, CliResult};

#[derive(Parser, Debug)]
#[command(
    name = "sepsis-risk",
    version,
    about = "Train, evaluate and run the sepsis-risk models (research software, not a medical device)",
    long_about = None
)]
pub(super) struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
// Parsed once per run: the size difference between the subcommands' arguments is irrelevant.
#[allow(clippy::large_enum_variant)]
pub(super) enum Command {
    /// Train a model bundle: EDA, split, folds, search of every model family, calibration,
    /// threshold, and a JSON bundle.
    Train(TrainArgs),
    /// Predict every row of a CSV file; writes the input columns plus the results.
    Predict(PredictArgs),
    /// Evaluate a bundle on labelled data at its threshold.
    Evaluate(EvaluateArgs),
    /// Exploratory data analysis of a CSV file.
    Eda(EdaArgs),
    /// Write synthetic demonstration data (invented values, not patients) in a schema's format.
    Demo(DemoArgs),
    /// Recalibrate a bundle on local labelled data: the model's scores are kept, its
    /// calibrator, threshold and risk bands are fitted again (cross-fitted figures before and
    /// after); writes a new bundle that records its parent.
    Recalibrate(RecalibrateArgs),
    /// Fit one model with fixed hyperparameters on an exported feature matrix, without search
    /// or calibration, and report its fit time and held-out AUROC (the engine benchmark,
    /// scripts/bench-engine.sh).
    Fit(FitArgs),
}

/// Arguments of `recalibrate`.
#[derive(Args, Debug)]
pub struct RecalibrateArgs {
    /// The bundle to recalibrate (JSON).
    #[arg(long)]
    pub model: PathBuf,
    /// Labelled local data in the bundle's schema: CSV files, `.psv` files or directories of
    /// per-patient `.psv` files (read as one dataset).
    #[arg(long, num_args = 1.., required = true)]
    pub data: Vec<PathBuf>,
    /// Output bundle (JSON); must not be the input bundle.
    #[arg(long)]
    pub out: PathBuf,
    /// Calibration method.
    #[arg(long, default_value = "platt", value_parser = CoreChoice::<CalibrationMethod>::new(CalibrationMethod::NAMES))]
    pub method: CalibrationMethod,
    /// Cross-fitting folds (by patient for time-series data).
    #[arg(long, default_value_t = 5)]
    pub folds: usize,
    /// Seed of the folds.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Rule of the new threshold (auto: the bundle's own rule).
    #[arg(long, default_value = "auto", value_parser = CoreChoice::<AutoOr<ThresholdRule>>::new(&["auto", "sensitivity", "utility"]))]
    pub threshold_rule: AutoOr<ThresholdRule>,
    /// Target sensitivity of the sensitivity rule (default: the bundle's).
    #[arg(long)]
    pub target_sensitivity: Option<f64>,
    /// Print the before/after report as JSON instead of tables.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `fit`.
#[derive(Args, Debug)]
pub struct FitArgs {
    /// Prefix of a matrix written by `examples/export_icu_features.rs`: reads
    /// PREFIX.features.f32, PREFIX.features.txt and PREFIX.rows.csv.
    #[arg(long)]
    pub matrix: PathBuf,
    /// Model family.
    #[arg(long, value_parser = CoreChoice::<Family>::new(Family::NAMES))]
    pub family: Family,
    /// A hyperparameter as name=value (repeatable; the rest stay at the family's defaults),
    /// e.g. --param n_estimators=300 --param max_depth=3.
    #[arg(long = "param")]
    pub params: Vec<String>,
    /// The patient fold (0-4, column `fold` of PREFIX.rows.csv) held out for the AUROC; the
    /// model is fitted on the other four.
    #[arg(long, default_value_t = 0)]
    pub holdout_fold: usize,
    /// Seed of the model's random steps.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Also write the fitted model as JSON here.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// Arguments of `demo`.
#[derive(Args, Debug)]
pub struct DemoArgs {
    /// Built-in schema (seed or icu).
    #[arg(long, default_value = "seed")]
    pub schema: String,
    /// Number of rows (of patients for the time-series schema `icu`).
    #[arg(long, default_value_t = 300)]
    pub rows: usize,
    /// Time-series schemas only: write one `.psv` file per patient into this directory
    /// (created if needed) instead of one CSV.
    #[arg(long)]
    pub psv_dir: Option<PathBuf>,
    /// Seed of the generator.
    #[arg(long, default_value_t = 7)]
    pub seed: u64,
    /// Output CSV (standard output when omitted).
    #[arg(long)]
    pub output: Option<PathBuf>,
}

/// Arguments of `train`.
#[derive(Args, Debug)]
pub struct TrainArgs {
    /// Schema: a built-in name (seed or icu) or a schema JSON file.
    #[arg(long, default_value = "seed")]
    pub schema: String,
    /// A roles file (column-role mapping: label and its positive values, ID, features,
    /// "not measured" codes, hourly patient and hour columns) for data in neither built-in
    /// format; in place of --schema. The page's role mapping exports the same file.
    #[arg(long, conflicts_with = "schema")]
    pub roles: Option<PathBuf>,
    /// Training data: a CSV file, or per-patient `.psv` files and directories of them.
    #[arg(long, num_args = 1.., required = true)]
    pub data: Vec<PathBuf>,
    /// Where to write the model bundle (JSON).
    #[arg(long)]
    pub out: PathBuf,
    /// Seed of every random step.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Cross-validation folds (2 to 50).
    #[arg(long, default_value_t = 5)]
    pub folds: usize,
    /// Hyperparameter search.
    #[arg(long, value_enum, default_value = "grid")]
    pub search: SearchArg,
    /// Draws per family for random search.
    #[arg(long, default_value_t = 20)]
    pub n_iter: usize,
    /// Class balancing inside training folds: auto, none, over, under, under:R (at most R
    /// negatives per positive), smote or smote:K (K nearest neighbours). auto: none, or
    /// under:10 for time-series data (ICU hours).
    #[arg(long, default_value = "auto", value_parser = |s: &str| s.parse::<AutoOr<Balance>>())]
    pub balance: AutoOr<Balance>,
    /// Sensitivity the alert threshold must reach on out-of-fold predictions.
    #[arg(long, default_value_t = 0.8)]
    pub target_sensitivity: f64,
    /// Fraction of rows held out as a final test set (0 for none).
    #[arg(long, default_value_t = 0.2)]
    pub test_fraction: f64,
    /// Calibration of the out-of-fold probabilities.
    #[arg(long, default_value = "platt", value_parser = CoreChoice::<CalibrationMethod>::new(CalibrationMethod::NAMES))]
    pub calibration: CalibrationMethod,
    /// Metric optimised by the search.
    #[arg(long, default_value = "roc_auc", value_parser = CoreChoice::<Metric>::new(Metric::NAMES))]
    pub metric: Metric,
    /// Model families to try (comma-separated).
    #[arg(
        long,
        default_value = "logistic,forest,boosting",
        value_delimiter = ',',
        value_parser = CoreChoice::<Family>::new(Family::NAMES)
    )]
    pub families: Vec<Family>,
    /// Which family to ship.
    #[arg(long, default_value = "best", value_parser = CoreChoice::<Selection>::new(Selection::NAMES))]
    pub selection: Selection,
    /// Rule of the shipped alert threshold. Time-series bundles record both thresholds.
    #[arg(long, default_value = "auto", value_parser = CoreChoice::<AutoOr<ThresholdRule>>::new(&["auto", "sensitivity", "utility"]))]
    pub threshold_rule: AutoOr<ThresholdRule>,
    /// Fix a hyperparameter to one value as name=value (repeatable), in every family that
    /// has it, e.g. --fix max_depth=3. Fixing all of a family's searched values skips its
    /// search: how a run that failed after its search is finished (the message says how).
    #[arg(long = "fix", value_name = "NAME=VALUE")]
    pub fix: Vec<String>,
    /// Print the training report as JSON instead of tables.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `predict`.
#[derive(Args, Debug)]
pub struct PredictArgs {
    /// Model bundle (JSON).
    #[arg(long)]
    pub model: PathBuf,
    /// Input: a CSV file, a `.psv` file, or a directory of per-patient `.psv` files.
    #[arg(long)]
    pub input: PathBuf,
    /// Output CSV (standard output when omitted).
    #[arg(long)]
    pub output: Option<PathBuf>,
}

/// Arguments of `evaluate`.
#[derive(Args, Debug)]
pub struct EvaluateArgs {
    /// Model bundle (JSON).
    #[arg(long)]
    pub model: PathBuf,
    /// Labelled input: a CSV file, a `.psv` file, or a directory of per-patient `.psv` files.
    #[arg(long)]
    pub input: PathBuf,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `eda`.
#[derive(Args, Debug)]
pub struct EdaArgs {
    /// Input: a CSV file, a `.psv` file, or a directory of per-patient `.psv` files.
    #[arg(long)]
    pub input: PathBuf,
    /// Schema: a built-in name (seed or icu) or a schema JSON file (detected from the header
    /// when omitted).
    #[arg(long)]
    pub schema: Option<String>,
    /// Print JSON instead of tables.
    #[arg(long)]
    pub json: bool,
}

impl TrainArgs {
    /// The training configuration: the schema's defaults ([`TrainConfig::for_schema`]) with
    /// every option given here, checked once ([`TrainConfig::validate`]).
    pub fn config(&self, schema: &Schema) -> CliResult<TrainConfig> {
        let base = TrainConfig::for_schema(schema);
        let config = TrainConfig {
            seed: self.seed,
            folds: self.folds,
            strategy: match self.search {
                SearchArg::Grid => Strategy::Grid,
                SearchArg::Random => Strategy::Random {
                    n_iter: self.n_iter,
                },
            },
            balance: self.balance.0.unwrap_or(base.balance),
            threshold_rule: self.threshold_rule.0,
            target_sensitivity: self.target_sensitivity,
            test_fraction: self.test_fraction,
            calibration: self.calibration,
            metric: self.metric,
            selection: self.selection,
            families: self.families.clone(),
            fixed: parse_named_numbers("--fix", &self.fix)?
                .into_iter()
                .collect(),
            ..base
        };
        config.validate()?;
        Ok(config)
    }
}

/// `name=value` pairs of a repeatable option (`--fix`, `--param`), values as numbers; a name
/// given twice is an error.
pub fn parse_named_numbers(option: &str, given: &[String]) -> CliResult<Vec<(String, f64)>> {
    let mut out: Vec<(String, f64)> = Vec::with_capacity(given.len());
    for p in given {
        let (name, value) = p
            .split_once('=')
            .ok_or_else(|| CliError(format!("{option} {p}: expected name=value")))?;
        let v: f64 = value
            .trim()
            .parse()
            .map_err(|_| CliError(format!("{option} {p}: `{value}` is not a number")))?;
        let name = name.trim().to_string();
        if out.iter().any(|(n, _)| *n == name) {
            return Err(CliError(format!("{option} {name} is given twice")));
        }
        out.push((name, v));
    }
    Ok(out)
}

/// `--search`.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchArg {
    /// Every combination of each family's grid.
    Grid,
    /// --n-iter draws per family.
    Random,
}

/// `auto` (the schema's default, decided by [`TrainConfig::for_schema`]) or a value in the
/// core's syntax (its `FromStr`: one list of spellings, any case, blanks ignored).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AutoOr<T>(pub Option<T>);

impl<T: FromStr<Err = crate::core::Error>> FromStr for AutoOr<T> {
    type Err = crate::core::Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.trim().eq_ignore_ascii_case("auto") {
            Ok(AutoOr(None))
        } else {
            s.parse().map(|v| AutoOr(Some(v)))
        }
    }
}

/// clap's parser of a choice that the core parses itself (`FromStr`, so the spellings it
/// accepts are written once, in the core): `--help` lists the canonical `names`, and anything
/// the core rejects is clap's "invalid value" error (exit status 2) naming them.
#[derive(Clone)]
struct CoreChoice<T> {
    names: &'static [&'static str],
    parsed: PhantomData<fn() -> T>,
}

impl<T> CoreChoice<T> {
    fn new(names: &'static [&'static str]) -> Self {
        CoreChoice {
            names,
            parsed: PhantomData,
        }
    }
}

impl<T: FromStr + Clone + Send + Sync + 'static> TypedValueParser for CoreChoice<T> {
    type Value = T;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<T, clap::Error> {
        let text = value.to_string_lossy();
        text.parse::<T>().map_err(|_| {
            let mut e = clap::Error::new(ErrorKind::InvalidValue).with_cmd(cmd);
            if let Some(arg) = arg {
                e.insert(
                    ContextKind::InvalidArg,
                    ContextValue::String(arg.to_string()),
                );
            }
            e.insert(
                ContextKind::InvalidValue,
                ContextValue::String(text.into_owned()),
            );
            e.insert(
                ContextKind::ValidValue,
                ContextValue::Strings(self.names.iter().map(|n| n.to_string()).collect()),
            );
            e
        })
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(self.names.iter().map(PossibleValue::new)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::schema;

    fn train_args(extra: &[&str]) -> Result<TrainArgs, clap::Error> {
        let mut argv = vec!["sepsis-risk", "train", "--data", "d.csv", "--out", "m.json"];
        argv.extend_from_slice(extra);
        match Cli::try_parse_from(argv)?.command {
            Command::Train(a) => Ok(a),
            other => panic!("not train: {other:?}"),
        }
    }

    fn config(extra: &[&str], schema_name: &str) -> TrainConfig {
        let s = schema::builtin(schema_name).unwrap();
        train_args(extra).unwrap().config(&s).unwrap()
    }

    #[test]
    fn defaults_are_the_schemas_training_defaults() {
        for name in schema::BUILTIN_NAMES {
            let s = schema::builtin(name).unwrap();
            assert_eq!(config(&[], name), TrainConfig::for_schema(&s), "{name}");
        }
    }

    #[test]
    fn every_option_reaches_the_config() {
        let c = config(
            &[
                "--seed",
                "3",
                "--folds",
                "4",
                "--search",
                "random",
                "--n-iter",
                "6",
                "--balance",
                "smote:3",
                "--target-sensitivity",
                "0.7",
                "--test-fraction",
                "0.1",
                "--calibration",
                "isotonic",
                "--metric",
                "log_loss",
                "--families",
                "boosting,logistic",
                "--selection",
                "one-se",
                "--threshold-rule",
                "utility",
            ],
            "seed",
        );
        assert_eq!(c.seed, 3);
        assert_eq!(c.folds, 4);
        assert_eq!(c.strategy, Strategy::Random { n_iter: 6 });
        assert_eq!(c.balance, Balance::Smote { k: 3 });
        assert_eq!(c.target_sensitivity, 0.7);
        assert_eq!(c.test_fraction, 0.1);
        assert_eq!(c.calibration, CalibrationMethod::Isotonic);
        assert_eq!(c.metric, Metric::LogLoss);
        assert_eq!(c.families, [Family::Boosting, Family::Logistic]);
        assert_eq!(c.selection, Selection::OneStandardError);
        assert_eq!(c.threshold_rule, Some(ThresholdRule::Utility));
    }

    /// Every spelling the core's `FromStr` accepts is accepted here, with the same meaning.
    #[test]
    fn the_cores_spellings_are_accepted() {
        for (spelling, want) in [
            ("platt", CalibrationMethod::Platt),
            ("sigmoid", CalibrationMethod::Platt),
            ("Isotonic", CalibrationMethod::Isotonic),
            (" none ", CalibrationMethod::None),
        ] {
            let c = config(&["--calibration", spelling], "seed");
            assert_eq!(c.calibration, want, "{spelling}");
            assert_eq!(spelling.parse::<CalibrationMethod>().unwrap(), want);
        }
        for (spelling, want) in [
            ("roc_auc", Metric::RocAuc),
            ("auc", Metric::RocAuc),
            ("AUROC", Metric::RocAuc),
            ("pr_auc", Metric::PrAuc),
            ("auprc", Metric::PrAuc),
            ("average_precision", Metric::PrAuc),
            ("brier", Metric::Brier),
            ("log_loss", Metric::LogLoss),
            ("logloss", Metric::LogLoss),
        ] {
            assert_eq!(config(&["--metric", spelling], "seed").metric, want);
            assert_eq!(spelling.parse::<Metric>().unwrap(), want);
        }
        let c = config(
            &[
                "--families",
                "lr, rf,GB,gbm,logistic_regression,random_forest,gradient_boosting",
            ],
            "seed",
        );
        use Family::*;
        let want = [
            Logistic, Forest, Boosting, Boosting, Logistic, Forest, Boosting,
        ];
        assert_eq!(c.families, want);
        for (spelling, want) in [
            ("best", Selection::Best),
            ("one-se", Selection::OneStandardError),
            ("one_se", Selection::OneStandardError),
            ("1se", Selection::OneStandardError),
        ] {
            assert_eq!(config(&["--selection", spelling], "seed").selection, want);
            assert_eq!(spelling.parse::<Selection>().unwrap(), want);
        }
        for (spelling, want) in [
            ("AUTO", None),
            ("sensitivity", Some(ThresholdRule::Sensitivity)),
            ("Utility", Some(ThresholdRule::Utility)),
        ] {
            let c = config(&["--threshold-rule", spelling], "seed");
            assert_eq!(c.threshold_rule, want);
        }
        for (spelling, want) in [
            ("none", Balance::None),
            ("Over", Balance::Over),
            ("under", Balance::Under),
            ("under:4", Balance::UnderRatio { ratio: 4 }),
            ("smote", "smote".parse().unwrap()),
            ("smote:2", Balance::Smote { k: 2 }),
        ] {
            assert_eq!(config(&["--balance", spelling], "icu").balance, want);
        }
        assert_eq!(
            config(&["--balance", " Auto "], "icu").balance,
            Balance::UnderRatio { ratio: 10 }
        );
        assert_eq!(
            config(&["--balance", "auto"], "seed").balance,
            Balance::None
        );
    }

    #[test]
    fn unknown_choices_are_claps_errors() {
        for (option, value) in [
            ("--search", "Random"),
            ("--search", "exhaustive"),
            ("--calibration", "beta"),
            ("--metric", "roc-auc"),
            ("--families", "logistic,svm"),
            ("--selection", "worst"),
            ("--threshold-rule", "specificity"),
            ("--balance", "under:0"),
            ("--balance", "smote:x"),
            ("--balance", "down"),
        ] {
            let e = train_args(&[option, value]).unwrap_err();
            assert!(
                matches!(
                    e.kind(),
                    ErrorKind::InvalidValue | ErrorKind::ValueValidation
                ),
                "{option} {value}: {e}"
            );
            assert_eq!(e.exit_code(), 2);
        }
    }

    #[test]
    fn help_lists_the_choices() {
        let mut cmd = <Cli as clap::CommandFactory>::command();
        let help = cmd
            .find_subcommand_mut("train")
            .unwrap()
            .render_help()
            .to_string();
        for choices in [
            "[possible values: grid, random]",
            "[possible values: platt, isotonic, none]",
            "[possible values: roc_auc, pr_auc, brier, log_loss]",
            "[possible values: logistic, forest, boosting]",
            "[possible values: best, one-se]",
            "[possible values: auto, sensitivity, utility]",
            "under:R",
            "smote:K",
        ] {
            assert!(help.contains(choices), "{choices} not in\n{help}");
        }
    }

    #[test]
    fn listed_names_are_what_the_core_reads() {
        for n in CalibrationMethod::NAMES {
            n.parse::<CalibrationMethod>().unwrap();
        }
        for n in Metric::NAMES {
            assert_eq!(n.parse::<Metric>().unwrap().key(), *n);
        }
        let keys: Vec<&str> = Family::ALL.iter().map(|f| f.key()).collect();
        assert_eq!(Family::NAMES, keys.as_slice());
        for n in Selection::NAMES {
            n.parse::<Selection>().unwrap();
        }
        for n in ThresholdRule::NAMES {
            n.parse::<ThresholdRule>().unwrap();
        }
    }

    #[test]
    fn the_command_line_is_consistent() {
        <Cli as clap::CommandFactory>::command().debug_assert();
    }

    #[test]
    fn the_advice_after_a_failed_stage_parses_to_the_selected_candidate() {
        use crate::core::Error;
        use crate::core::models::Hyperparameters;
        use crate::core::search::{CandidateResult, FamilySearch};

        let candidate = |h: &[(&str, f64)], mean: f64| CandidateResult {
            hyperparameters: Hyperparameters::from_numbers(h.iter().copied()).unwrap(),
            fold_scores: vec![mean; 3],
            mean,
            sd: 0.0,
        };
        let search = |family, c: Vec<CandidateResult>| FamilySearch {
            family,
            best: 0,
            candidates: c,
            best_oof: vec![0.5; 4],
        };
        let err = |stage: &str| Error::AfterSearch {
            stage: stage.into(),
            cause: Box::new(Error::Numerical("x".into())),
            searches: vec![
                search(Family::Logistic, vec![candidate(&[("c", 0.1)], 0.7)]),
                search(
                    Family::Forest,
                    vec![candidate(
                        &[
                            ("max_depth", 0.0),
                            ("min_samples_leaf", 5.0),
                            ("n_trees", 150.0),
                            ("max_features", 0.5),
                        ],
                        0.8,
                    )],
                ),
            ],
            selected: Some(1),
            metric: Metric::RocAuc,
        };
        let s = schema::builtin("seed").unwrap();
        for (stage, calibration) in [
            ("calibrating", CalibrationMethod::Isotonic),
            ("fitting final model", CalibrationMethod::Platt),
        ] {
            let advice = super::super::render::after_search_advice(&err(stage)).unwrap();
            let options = advice.rsplit(": ").next().unwrap();
            let argv: Vec<&str> = options.split(' ').collect();
            let c = train_args(&argv).unwrap().config(&s).unwrap();
            assert_eq!(c.families, vec![Family::Forest], "{advice}");
            assert_eq!(c.calibration, calibration, "{advice}");
            let fixed: Vec<(&str, f64)> = c.fixed.iter().map(|(k, v)| (k.as_str(), *v)).collect();
            assert_eq!(
                fixed,
                [
                    ("max_depth", 0.0),
                    ("max_features", 0.5),
                    ("min_samples_leaf", 5.0),
                    ("n_trees", 150.0)
                ]
            );
        }
        assert!(super::super::render::after_search_advice(&Error::Numerical("x".into())).is_none());
    }

    #[test]
    fn fix_values_are_checked() {
        let c = config(&["--fix", "max_depth=3", "--fix", " c = 0.5 "], "seed");
        assert_eq!(c.fixed.len(), 2);
        assert_eq!(c.fixed["c"], 0.5);
        let s = schema::builtin("seed").unwrap();
        for (bad, why) in [
            ("max_depth", "expected name=value"),
            ("max_depth=deep", "not a number"),
            ("depth=3", "not a hyperparameter"),
        ] {
            let e = train_args(&["--fix", bad]).unwrap().config(&s).unwrap_err();
            assert!(e.0.contains(why), "{bad}: {}", e.0);
        }
        let e = train_args(&["--fix", "c=1", "--fix", "c=2"])
            .unwrap()
            .config(&s)
            .unwrap_err();
        assert!(e.0.contains("given twice"), "{}", e.0);
        let e = train_args(&["--families", "logistic", "--fix", "max_depth=3"])
            .unwrap()
            .config(&s)
            .unwrap_err();
        assert!(e.0.contains("families trained (logistic)"), "{}", e.0);
    }
}
