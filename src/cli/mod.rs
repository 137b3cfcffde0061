//! The native command-line shell around the core: argument parsing, file I/O, progress bars
//! and tables. No parsing, statistics or prediction logic lives here.
//!
//! Every failure is one line on stderr naming the file (and row and column where they apply)
//! and exit status 2.

mod commands;
mod io;
mod table;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

/// A failure to report: one line, exit status 2.
#[derive(Debug)]
pub struct CliError(pub String);

impl<E: std::fmt::Display> From<E> for CliError {
    fn from(e: E) -> Self {
        CliError(e.to_string())
    }
}

/// Result type of the CLI commands.
pub type CliResult<T = ()> = Result<T, CliError>;

#[derive(Parser, Debug)]
#[command(
    name = "sepsis-risk",
    version,
    about = "Train, evaluate and run the sepsis-risk models (research software, not a medical device)",
    long_about = None
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
// Parsed once per run: the size difference between the subcommands' arguments is irrelevant.
#[allow(clippy::large_enum_variant)]
enum Command {
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
}

/// Arguments of `demo`.
#[derive(Args, Debug)]
pub struct DemoArgs {
    /// Built-in schema.
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
    /// Schema: a built-in name (seed) or a schema JSON file.
    #[arg(long, default_value = "seed")]
    pub schema: String,
    /// Training data: a CSV file, or per-patient `.psv` files and directories of them.
    #[arg(long, num_args = 1.., required = true)]
    pub data: Vec<PathBuf>,
    /// Where to write the model bundle (JSON).
    #[arg(long)]
    pub out: PathBuf,
    /// Seed of every random step.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Cross-validation folds.
    #[arg(long, default_value_t = 5)]
    pub folds: usize,
    /// Hyperparameter search: grid or random.
    #[arg(long, default_value = "grid", value_parser = ["grid", "random"])]
    pub search: String,
    /// Draws per family for random search.
    #[arg(long, default_value_t = 20)]
    pub n_iter: usize,
    /// Class balancing inside training folds: auto, none, over, under, under:R (at most R
    /// negatives per positive), smote or smote:K. auto: none, or under:10 for time-series
    /// data (ICU hours).
    #[arg(long, default_value = "auto")]
    pub balance: String,
    /// Sensitivity the alert threshold must reach on out-of-fold predictions.
    #[arg(long, default_value_t = 0.8)]
    pub target_sensitivity: f64,
    /// Fraction of rows held out as a final test set (0 for none).
    #[arg(long, default_value_t = 0.2)]
    pub test_fraction: f64,
    /// Calibration: platt, isotonic or none.
    #[arg(long, default_value = "platt")]
    pub calibration: String,
    /// Metric optimised by the search: roc_auc, pr_auc, brier or log_loss.
    #[arg(long, default_value = "roc_auc")]
    pub metric: String,
    /// Model families to try (comma-separated: logistic,forest,boosting).
    #[arg(
        long,
        default_value = "logistic,forest,boosting",
        value_delimiter = ','
    )]
    pub families: Vec<String>,
    /// Which family to ship: best (the highest mean CV metric) or one-se (the simplest family
    /// within one standard error of the best mean).
    #[arg(long, default_value = "best")]
    pub selection: String,
    /// Rule of the shipped alert threshold: auto (utility for time-series data, sensitivity
    /// otherwise), sensitivity (--target-sensitivity) or utility (the PhysioNet 2019
    /// challenge's normalized utility; time-series data only). Time-series bundles record both.
    #[arg(long, default_value = "auto")]
    pub threshold_rule: String,
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
    /// Schema: a built-in name or a schema JSON file (detected from the header when omitted).
    #[arg(long)]
    pub schema: Option<String>,
    /// Print JSON instead of tables.
    #[arg(long)]
    pub json: bool,
}

/// Entry point of the `sepsis-risk` binary.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            // --help and --version are not errors.
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let result = match cli.command {
        Command::Train(a) => commands::train(&a),
        Command::Predict(a) => commands::predict(&a),
        Command::Evaluate(a) => commands::evaluate(&a),
        Command::Eda(a) => commands::eda(&a),
        Command::Demo(a) => commands::demo(&a),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(CliError(msg)) => {
            eprintln!("sepsis-risk: {msg}");
            ExitCode::from(2)
        }
    }
}
