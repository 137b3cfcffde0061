//! The core's error type. Every fallible core function returns [`Result`]; nothing panics on
//! bad input.

use crate::core::search::{FamilySearch, Metric};

/// Result alias used throughout the core.
pub type Result<T> = std::result::Result<T, Error>;

/// Everything that can go wrong in the core, with enough context for a one-line message.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// The bytes could not be read as CSV at all (not UTF-8, no header, unterminated quote).
    #[error("{0}")]
    Csv(#[from] crate::core::csv::CsvError),
    /// The file's header does not fit the schema (required columns missing, duplicates).
    #[error("{0}")]
    Header(String),
    /// A parameter is outside its allowed range.
    #[error("invalid parameter `{name}`: {reason}")]
    InvalidParameter {
        /// Parameter name as the user sees it.
        name: String,
        /// Why it is invalid.
        reason: String,
    },
    /// A matrix or row has the wrong number of columns.
    #[error("shape mismatch: expected {expected} features, got {got}")]
    ShapeMismatch {
        /// Columns the model or pipeline was fitted on.
        expected: usize,
        /// Columns supplied.
        got: usize,
    },
    /// The data cannot support the requested work (no rows, one class only, too few rows per fold).
    #[error("insufficient data: {0}")]
    InsufficientData(String),
    /// A numeric routine failed (did not converge, produced non-finite values).
    #[error("numerical failure: {0}")]
    Numerical(String),
    /// A model bundle is malformed, of another format version, or inconsistent.
    #[error("model bundle: {0}")]
    Bundle(String),
    /// A schema definition is invalid.
    #[error("schema: {0}")]
    Schema(String),
    /// The input does not meet the schema's minimum evidence for a prediction
    /// ([`crate::core::schema::EvidenceRule`]); the message says what is missing.
    #[error("{0}")]
    NoEvidence(String),
    /// A stage after the hyperparameter search failed. The search's results are kept, so
    /// the message can say what was found and how to finish without searching again
    /// (another calibration method, the selected candidate's values fixed).
    #[error("{}", after_search_message(stage, cause, searches, *selected, *metric))]
    AfterSearch {
        /// The stage that failed (`calibrating`, `fitting final model`, ...).
        stage: String,
        /// Why it failed.
        cause: Box<Error>,
        /// Every family's search, as finished.
        searches: Vec<FamilySearch>,
        /// Index of the family selected for shipping, if selection got that far.
        selected: Option<usize>,
        /// The metric the search optimised.
        metric: Metric,
    },
}

/// The message of [`Error::AfterSearch`]: the failure, then one line per family (its best
/// candidate's mean and standard deviation over the folds, and values), then the way out.
fn after_search_message(
    stage: &str,
    cause: &Error,
    searches: &[FamilySearch],
    selected: Option<usize>,
    metric: Metric,
) -> String {
    use std::fmt::Write;
    let mut m = format!(
        "{stage} failed after the hyperparameter search had finished: {cause}\nSearch results (best candidate of each family, {} over {} folds):",
        metric.key(),
        searches
            .first()
            .map_or(0, |s| s.best_candidate().fold_scores.len())
    );
    for (i, s) in searches.iter().enumerate() {
        let c = s.best_candidate();
        let _ = write!(
            m,
            "\n  {:<9} {:.4} ± {:.4}  {}{}",
            s.family.key(),
            c.mean,
            c.sd,
            c.hyperparameters,
            if selected == Some(i) {
                "  (selected)"
            } else {
                ""
            }
        );
    }
    m.push_str(
        "\nNothing was written. To finish without searching again, train only the selected candidate (its values fixed)",
    );
    if stage == CALIBRATING {
        m.push_str(" with another calibration method (isotonic, or none)");
    }
    m.push('.');
    m
}

/// The stage name of calibration in [`Error::AfterSearch`] (and in progress reports).
pub const CALIBRATING: &str = "calibrating";

impl Error {
    /// Shorthand for [`Error::InvalidParameter`].
    pub fn param(name: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::InvalidParameter {
            name: name.into(),
            reason: reason.into(),
        }
    }
}
