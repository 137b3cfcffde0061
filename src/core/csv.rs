//! CSV ingestion: sniffing (byte-order mark, line endings, delimiter) and parsing into a
//! header plus records, each record remembering the physical line it started on.
//!
//! Parsing never drops a record: ragged rows are kept as they are and reported later by
//! validation against a schema. Only problems that make the whole file unreadable are errors.

use serde::{Deserialize, Serialize};

/// Line-ending style found in a file (the first one seen).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LineEnding {
    /// `\n`
    Lf,
    /// `\r\n`
    CrLf,
    /// A bare `\r` (old Mac style).
    Cr,
    /// The file has a single line.
    None,
}

/// One data record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// 1-based physical line on which the record starts (the header is line 1).
    pub line: usize,
    /// The fields, unquoted, not trimmed.
    pub fields: Vec<String>,
}

/// A parsed CSV file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CsvTable {
    /// The delimiter used (`,` `;` `\t` or `|`).
    pub delimiter: u8,
    /// Whether the file started with a UTF-8 byte-order mark (which is removed).
    pub had_bom: bool,
    /// The line-ending style.
    pub line_ending: LineEnding,
    /// Header fields, unquoted and trimmed.
    pub header: Vec<String>,
    /// Data records in file order. Lines that are completely empty are skipped (they are not
    /// records); every other line is a record, even when it has the wrong number of fields.
    pub records: Vec<Record>,
}

/// Why a file cannot be read as CSV.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CsvError {
    /// The bytes are not UTF-8.
    #[error("line {line}: the file is not UTF-8 text (invalid byte at offset {offset})")]
    NotUtf8 {
        /// 1-based line of the invalid byte.
        line: usize,
        /// Byte offset of the invalid byte.
        offset: usize,
    },
    /// There is no header line.
    #[error("the file is empty (no header line)")]
    Empty,
    /// A quoted field is never closed.
    #[error("line {line}: a quoted field starting here is never closed")]
    UnterminatedQuote {
        /// 1-based line where the quoted field starts.
        line: usize,
    },
}
