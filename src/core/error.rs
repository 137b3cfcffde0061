//! The core's error type. Every fallible core function returns [`Result`]; nothing panics on
//! bad input.

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
}

impl Error {
    /// Shorthand for [`Error::InvalidParameter`].
    pub fn param(name: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::InvalidParameter {
            name: name.into(),
            reason: reason.into(),
        }
    }
}
