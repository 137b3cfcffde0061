//! A CSV table validated against a schema: typed feature values, labels, IDs, passthrough
//! columns, and every problem found, with line and column.
//!
//! Policy (applies to every file and every shell):
//! - every record becomes a [`Row`]; none is dropped;
//! - *errors* (a feature that is not a number or not an accepted level, a record with the
//!   wrong number of fields) make the row unusable for scoring and training: it is kept, shown
//!   and explained;
//! - *warnings* (a value outside the plausible range, treated as missing; a blank or unknown
//!   label; a duplicate ID) leave the row usable.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::csv::CsvTable;
use super::schema::{ColumnKind, HeaderMatch, MISSING_TOKENS, Schema};
use super::{Error, Matrix, Result};

/// State of one feature cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Cell {
    /// A usable value.
    Present,
    /// An explicit missing token (empty, NA, NaN, ...).
    Blank,
    /// A value the schema declares as "not measured" (e.g. 0 for glucose).
    Disguised,
    /// A value outside the plausible range: reported, then treated as missing.
    OutOfRange,
    /// A value that could not be parsed (row is unusable).
    Invalid,
    /// The column is optional and absent from the file.
    Absent,
}

impl Cell {
    /// Whether the cell holds no usable value (everything but `Present`).
    pub fn is_missing(self) -> bool {
        self != Cell::Present
    }
}

/// How serious a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Severity {
    /// The row is kept and used; the value concerned is treated as missing or ignored.
    Warning,
    /// The row is kept and shown but cannot be scored or used for training.
    Error,
}

/// A problem with one row (and usually one column).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RowIssue {
    /// 1-based physical line in the file (the header is line 1).
    pub line: usize,
    /// Column name as in the schema, when the problem concerns one column.
    pub column: Option<String>,
    /// The offending raw value, when there is one.
    pub value: Option<String>,
    /// Error or warning.
    pub severity: Severity,
    /// Human explanation.
    pub reason: String,
}

impl std::fmt::Display for RowIssue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}", self.line)?;
        if let Some(c) = &self.column {
            write!(f, ", column {c}")?;
        }
        write!(f, ": {}", self.reason)
    }
}

/// One validated record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// 1-based physical line in the file.
    pub line: usize,
    /// Value of the ID column, if the file has one.
    pub id: Option<String>,
    /// One value per schema feature, in schema order; `NaN` whenever the cell is missing.
    pub values: Vec<f64>,
    /// State of each feature cell.
    pub cells: Vec<Cell>,
    /// The label, when the file has a label column and the value is recognised.
    pub label: Option<bool>,
    /// The raw fields exactly as read (for passthrough to outputs).
    pub fields: Vec<String>,
    /// Whether the row has an error (then it is not scored or used for training).
    pub has_error: bool,
}

impl Row {
    /// Whether the row can be scored (no errors).
    pub fn is_valid(&self) -> bool {
        !self.has_error
    }
}

/// A validated dataset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dataset {
    /// Where the data came from (file name), for messages.
    pub source: String,
    /// The schema the data was validated against.
    pub schema: Schema,
    /// The file's header, as read.
    pub header: Vec<String>,
    /// The delimiter of the file.
    pub delimiter: u8,
    /// Whether the file has the label column.
    pub has_label_column: bool,
    /// Whether the file has the ID column.
    pub has_id_column: bool,
    /// Every record, in file order.
    pub rows: Vec<Row>,
    /// Every problem found, in file order.
    pub issues: Vec<RowIssue>,
}

/// Parses a numeric cell, accepting a decimal comma when the file's delimiter is not a comma.
fn parse_number(raw: &str, delimiter: u8) -> Option<f64> {
    let t = raw.trim();
    let v = t.parse::<f64>().ok().or_else(|| {
        (delimiter != b',' && t.matches(',').count() == 1)
            .then(|| t.replace(',', ".").parse::<f64>().ok())
            .flatten()
    })?;
    v.is_finite().then_some(v)
}

fn parse_binary(raw: &str) -> Option<f64> {
    match raw.trim().to_ascii_lowercase().as_str() {
        "1" | "1.0" | "yes" | "y" | "true" => Some(1.0),
        "0" | "0.0" | "no" | "n" | "false" => Some(0.0),
        other => match other.parse::<f64>() {
            Ok(v) if v == 0.0 || v == 1.0 => Some(v),
            _ => None,
        },
    }
}

/// Whether a raw cell is an explicit missing token.
pub fn is_missing_token(raw: &str) -> bool {
    let t = raw.trim();
    MISSING_TOKENS.iter().any(|m| m.eq_ignore_ascii_case(t))
}

/// Interprets one raw value for schema feature `j`: returns the value (NaN when missing), the
/// cell state, and an explanation for anything other than `Present`/`Blank`.
pub fn parse_cell(
    schema: &Schema,
    j: usize,
    raw: &str,
    delimiter: u8,
) -> (f64, Cell, Option<String>) {
    let col = &schema.features[j];
    if is_missing_token(raw) {
        return (f64::NAN, Cell::Blank, None);
    }
    let parsed = match &col.kind {
        ColumnKind::Numeric => parse_number(raw, delimiter),
        ColumnKind::Binary => parse_binary(raw),
        ColumnKind::Categorical { levels } => {
            let t = raw.trim();
            levels
                .iter()
                .position(|l| l.trim().eq_ignore_ascii_case(t))
                .map(|i| i as f64)
        }
    };
    let Some(v) = parsed else {
        let expected = match &col.kind {
            ColumnKind::Numeric => "a number".to_string(),
            ColumnKind::Binary => "0 or 1".to_string(),
            ColumnKind::Categorical { levels } => format!("one of {}", levels.join(", ")),
        };
        return (
            f64::NAN,
            Cell::Invalid,
            Some(format!("\"{}\" is not {expected}", raw.trim())),
        );
    };
    if col.missing_values.contains(&v) {
        return (f64::NAN, Cell::Disguised, None);
    }
    if let Some(r) = col.range
        && !r.contains(v)
    {
        let unit = if col.unit.is_empty() {
            String::new()
        } else {
            format!(" {}", col.unit)
        };
        return (
            f64::NAN,
            Cell::OutOfRange,
            Some(format!(
                "{v}{unit} is outside the plausible range {}–{}{unit}; treated as missing",
                r.min, r.max
            )),
        );
    }
    (v, Cell::Present, None)
}

impl Dataset {
    /// Validates a parsed table against `schema`. Fails only when the header does not fit
    /// (required columns missing, duplicated columns); every row-level problem is recorded in
    /// [`Dataset::issues`] instead.
    pub fn from_table(table: &CsvTable, schema: &Schema, source: &str) -> Result<Self> {
        let m = schema
            .match_header(&table.header)
            .map_err(|e| Error::Header(format!("{source}: {e}")))?;
        if !m.missing_required.is_empty() {
            return Err(Error::Header(format!(
                "{source}: missing required column{} {} for schema `{}` (found: {})",
                if m.missing_required.len() > 1 {
                    "s"
                } else {
                    ""
                },
                m.missing_required.join(", "),
                schema.name,
                table.header.join(", ")
            )));
        }
        let mut ds = Dataset {
            source: source.to_string(),
            schema: schema.clone(),
            header: table.header.clone(),
            delimiter: table.delimiter,
            has_label_column: m.label.is_some(),
            has_id_column: m.id.is_some(),
            rows: Vec::with_capacity(table.records.len()),
            issues: Vec::new(),
        };
        let mut first_line_of_id: HashMap<String, usize> = HashMap::new();
        for rec in &table.records {
            let row = ds.validate_record(&m, rec.line, &rec.fields, &mut first_line_of_id);
            ds.rows.push(row);
        }
        Ok(ds)
    }

    fn validate_record(
        &mut self,
        m: &HeaderMatch,
        line: usize,
        fields: &[String],
        first_line_of_id: &mut HashMap<String, usize>,
    ) -> Row {
        let schema = &self.schema;
        let mut issues = Vec::new();
        let mut has_error = false;
        if fields.len() != self.header.len() {
            has_error = true;
            issues.push(RowIssue {
                line,
                column: None,
                value: None,
                severity: Severity::Error,
                reason: format!(
                    "the row has {} field{}, the header has {}",
                    fields.len(),
                    if fields.len() == 1 { "" } else { "s" },
                    self.header.len()
                ),
            });
        }
        let n = schema.features.len();
        let mut values = Vec::with_capacity(n);
        let mut cells = Vec::with_capacity(n);
        for (j, pos) in m.features.iter().enumerate() {
            let col = &schema.features[j];
            let Some(pos) = *pos else {
                values.push(f64::NAN);
                cells.push(Cell::Absent);
                continue;
            };
            let Some(raw) = fields.get(pos) else {
                values.push(f64::NAN);
                cells.push(Cell::Invalid);
                has_error = true;
                continue;
            };
            let (v, cell, why) = parse_cell(schema, j, raw, self.delimiter);
            if let Some(reason) = why {
                let severity = if cell == Cell::Invalid {
                    Severity::Error
                } else {
                    Severity::Warning
                };
                has_error |= severity == Severity::Error;
                issues.push(RowIssue {
                    line,
                    column: Some(col.name.clone()),
                    value: Some(raw.trim().to_string()),
                    severity,
                    reason,
                });
            }
            values.push(v);
            cells.push(cell);
        }
        let id =
            m.id.and_then(|p| fields.get(p))
                .map(|s| s.trim().to_string());
        if let Some(id) = &id {
            if id.is_empty() {
                // An empty ID is allowed; it just cannot be checked for duplicates.
            } else if let Some(first) = first_line_of_id.get(id) {
                issues.push(RowIssue {
                    line,
                    column: Some(schema.id.as_ref().map_or("ID".into(), |c| c.name.clone())),
                    value: Some(id.clone()),
                    severity: Severity::Warning,
                    reason: format!("duplicate ID: \"{id}\" already appears on line {first}"),
                });
            } else {
                first_line_of_id.insert(id.clone(), line);
            }
        }
        let mut label = None;
        if let Some(raw) = m.label.and_then(|p| fields.get(p)) {
            label = schema.parse_label(raw);
            if label.is_none() {
                let reason = if is_missing_token(raw) {
                    "the label is blank; the row has no label".to_string()
                } else {
                    format!(
                        "\"{}\" is not a recognised label (expected {} or {}); the row has no label",
                        raw.trim(),
                        schema.label.positive.join("/"),
                        schema.label.negative.join("/")
                    )
                };
                issues.push(RowIssue {
                    line,
                    column: Some(schema.label.name.clone()),
                    value: Some(raw.trim().to_string()),
                    severity: Severity::Warning,
                    reason,
                });
            }
        }
        self.issues.extend(issues);
        Row {
            line,
            id,
            values,
            cells,
            label,
            fields: fields.to_vec(),
            has_error,
        }
    }

    /// Issues of the row on `line`.
    pub fn issues_for_line(&self, line: usize) -> impl Iterator<Item = &RowIssue> {
        self.issues.iter().filter(move |i| i.line == line)
    }

    /// Rows that can be scored (no errors).
    pub fn valid_rows(&self) -> impl Iterator<Item = &Row> {
        self.rows.iter().filter(|r| r.is_valid())
    }

    /// Number of issues of each severity: `(errors, warnings)`.
    pub fn issue_counts(&self) -> (usize, usize) {
        let errors = self
            .issues
            .iter()
            .filter(|i| i.severity == Severity::Error)
            .count();
        (errors, self.issues.len() - errors)
    }

    /// Feature matrix and labels of the rows usable for training (valid and labelled), plus
    /// the indices of those rows in [`Dataset::rows`].
    pub fn training_data(&self) -> (Matrix, Vec<bool>, Vec<usize>) {
        let mut x = Matrix::zeros(0, self.schema.features.len());
        let mut y = Vec::new();
        let mut idx = Vec::new();
        for (i, r) in self.rows.iter().enumerate() {
            if let (true, Some(l)) = (r.is_valid(), r.label) {
                // Row width always equals the schema's feature count.
                let _ = x.push_row(&r.values);
                y.push(l);
                idx.push(i);
            }
        }
        (x, y, idx)
    }
}
