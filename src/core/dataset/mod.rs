//! A CSV table validated against a schema: typed feature values, labels, IDs, passthrough
//! columns, and every problem found, with line and column.
//!
//! Policy (applies to every file and every shell):
//! - every record becomes a [`Row`]; none is dropped;
//! - *errors* (a feature that is not a number or not an accepted level, a record with the
//!   wrong number of fields) make the row unusable for scoring and training: it is kept, shown
//!   and explained;
//! - *warnings* (a value outside the plausible range, treated as missing; a blank or unknown
//!   label; a duplicate ID; for time-series schemas, a blank or non-increasing time) leave the
//!   row usable.
//!
//! Time-series schemas (those with a [`crate::core::schema::TemporalSpec`]) have many rows per
//! ID: there the ID is not checked for duplicates; instead each row's time must be later than
//! the previous row's of the same ID. Such data can also come as one table per patient
//! ([`Dataset::from_patient_tables`], [`PatientTablesBuilder`]): the patient ID is then taken
//! from the file name and every row and issue names its file.

use std::collections::HashMap;

mod patients;
mod table;
pub use patients::PatientTablesBuilder;
pub use table::{RepeatedIds, TableBuilder};

use serde::{Deserialize, Serialize};

use super::csv::CsvTable;
use super::format::{clip, clip_to};
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
    /// The file of the row, when the dataset was read from several files (one per patient).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
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
        if let Some(file) = &self.file {
            write!(f, "{file}, ")?;
        }
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
    /// The file the record was read from, when the dataset was read from several files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
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
    /// Whether the row meets the schema's minimum evidence for a prediction
    /// ([`crate::core::schema::EvidenceRule`]; always true without a rule). A row without it
    /// is not scored (its issues say why) but is still used for training.
    #[serde(default = "yes")]
    pub has_evidence: bool,
}

fn yes() -> bool {
    true
}

impl Row {
    /// Whether the row is free of errors (then it can be used for training).
    pub fn is_valid(&self) -> bool {
        !self.has_error
    }

    /// Whether the row gets a prediction: no errors and the minimum evidence.
    pub fn is_scorable(&self) -> bool {
        !self.has_error && self.has_evidence
    }
}

/// A validated dataset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dataset {
    /// Where the data came from (file name), for messages.
    pub source: String,
    /// The schema the data was validated against.
    pub schema: Schema,
    /// The file's header, as read. For data read from one file per patient: the schema's ID
    /// column name followed by the files' common header.
    pub header: Vec<String>,
    /// The delimiter of the file.
    pub delimiter: u8,
    /// Whether the file has the label column.
    pub has_label_column: bool,
    /// Whether the file has the ID column (always true for one file per patient).
    pub has_id_column: bool,
    /// Every record, in file order.
    pub rows: Vec<Row>,
    /// Every problem found, in file order.
    pub issues: Vec<RowIssue>,
    /// Problems of the whole input rather than of a row (e.g. feature columns absent from the
    /// header, so never measured), one message each.
    #[serde(default)]
    pub warnings: Vec<String>,
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
        let t = raw.trim();
        // `1e309` reads as a number but not as a finite one.
        let why = if matches!(col.kind, ColumnKind::Numeric)
            && t.parse::<f64>().is_ok_and(f64::is_infinite)
            && t.bytes().any(|b| b.is_ascii_digit())
        {
            format!("\"{}\" is out of range (too large to be a number)", clip(t))
        } else {
            format!("\"{}\" is not {expected}", clip(t))
        };
        return (f64::NAN, Cell::Invalid, Some(why));
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

/// Per-ID bookkeeping while rows are validated: first line of each ID (one-row-per-person
/// schemas: duplicate IDs are reported) or the last time of each ID (time-series schemas:
/// the time must increase).
#[derive(Debug, Default)]
struct IdTracker {
    /// For time-series schemas, the feature index of the time column.
    time: Option<usize>,
    /// Whether the schema is a time-series schema (IDs repeat by design).
    temporal: bool,
    /// One-row-per-person schemas: the first line of each ID.
    first_line: HashMap<String, usize>,
    /// Time-series schemas: the last (time, line) of each ID.
    last_time: HashMap<String, (f64, usize)>,
    /// The evidence rule, resolved once: `so_far` and the feature indices of its columns.
    evidence: Option<(bool, Vec<usize>)>,
    /// Evidence rule `so_far`: the IDs with a measurement of an evidence column so far.
    evidenced: std::collections::HashSet<String>,
    /// One-row-per-person schemas read in parts: only IDs whose [`id_hash`] is here can
    /// repeat ([`RepeatedIds`]), so only they are remembered.
    only: Option<std::collections::HashSet<u64>>,
}

/// A 64-bit hash of an ID for [`RepeatedIds`] (the same in every run of a program).
fn id_hash(id: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    id.hash(&mut h);
    h.finish()
}

/// Where a row's issues are: its file (for per-patient files) and line.
struct IssueAt<'a> {
    file: Option<&'a str>,
    line: usize,
}

impl IssueAt<'_> {
    fn issue(
        &self,
        column: Option<String>,
        value: Option<String>,
        severity: Severity,
        reason: String,
    ) -> RowIssue {
        RowIssue {
            file: self.file.map(str::to_string),
            line: self.line,
            column,
            value,
            severity,
            reason,
        }
    }
}

/// The row's schema features: values and cell states, with an issue per problem cell.
/// Returns whether a cell is an error.
fn parse_features(
    schema: &Schema,
    m: &HeaderMatch,
    fields: &[String],
    delimiter: u8,
    at: &IssueAt,
    issues: &mut Vec<RowIssue>,
) -> (Vec<f64>, Vec<Cell>, bool) {
    let n = schema.features.len();
    let mut values = Vec::with_capacity(n);
    let mut cells = Vec::with_capacity(n);
    let mut has_error = false;
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
        let (v, cell, why) = parse_cell(schema, j, raw, delimiter);
        if let Some(reason) = why {
            let severity = if cell == Cell::Invalid {
                Severity::Error
            } else {
                Severity::Warning
            };
            has_error |= severity == Severity::Error;
            issues.push(at.issue(
                Some(col.name.clone()),
                Some(clip(raw.trim()).into_owned()),
                severity,
                reason,
            ));
        }
        values.push(v);
        cells.push(cell);
    }
    (values, cells, has_error)
}

/// The row's label from its raw text; a blank or unrecognised label is a warning and no label.
fn parse_row_label(
    schema: &Schema,
    raw: &str,
    at: &IssueAt,
    issues: &mut Vec<RowIssue>,
) -> Option<bool> {
    let label = schema.parse_label(raw);
    if label.is_none() {
        let reason = if is_missing_token(raw) {
            "the label is blank; the row has no label".to_string()
        } else {
            format!(
                "\"{}\" is not a recognised label (expected {} or {}); the row has no label",
                clip(raw.trim()),
                schema.label.positive.join("/"),
                schema.label.negative.join("/")
            )
        };
        issues.push(at.issue(
            Some(schema.label.name.clone()),
            Some(clip(raw.trim()).into_owned()),
            Severity::Warning,
            reason,
        ));
    }
    label
}

impl IdTracker {
    /// Whether the row (schema-ordered `values`) meets the schema's evidence rule; with
    /// `so_far`, a measurement in an earlier row of the same ID counts (file order).
    fn has_evidence(&mut self, id: Option<&str>, values: &[f64]) -> bool {
        let Some((so_far, cols)) = &self.evidence else {
            return true;
        };
        let here = crate::core::schema::measures_any(cols, values);
        if !so_far {
            return here;
        }
        let id = id.unwrap_or_default();
        if here {
            if !self.evidenced.contains(id) {
                self.evidenced.insert(id.to_string());
            }
            return true;
        }
        self.evidenced.contains(id)
    }

    fn new(schema: &Schema) -> Self {
        IdTracker {
            time: schema.resolve_temporal().ok().map(|t| t.time),
            temporal: schema.temporal.is_some(),
            evidence: schema
                .evidence_columns()
                .map(|(rule, cols)| (rule.so_far, cols)),
            ..IdTracker::default()
        }
    }

    /// Time-series schemas: the row's time must move forward within its patient (one step back
    /// is reported once; a blank time is reported). Other schemas: a repeated ID is reported.
    fn check(
        &mut self,
        schema: &Schema,
        id: Option<&str>,
        values: &[f64],
        cells: &[Cell],
        at: &IssueAt,
        issues: &mut Vec<RowIssue>,
    ) {
        if let Some(tj) = self.time {
            // Without an ID column the whole table is one patient.
            let id = id.unwrap_or_default();
            let name = &schema.features[tj].name;
            let t = values[tj];
            match cells[tj] {
                Cell::Present => match self.last_time.get_mut(id) {
                    None => {
                        self.last_time.insert(id.to_string(), (t, at.line));
                    }
                    Some(last) if t > last.0 => *last = (t, at.line),
                    // The latest time seen is kept, so one step back is reported once.
                    Some(&mut (pt, pl)) => issues.push(at.issue(
                        Some(name.clone()),
                        Some(t.to_string()),
                        Severity::Warning,
                        format!(
                            "{name} {t} is not later than {pt} on line {pl} (same patient \
                             \"{}\"); time-aware features take the rows in time order",
                            clip(id)
                        ),
                    )),
                },
                Cell::Blank | Cell::Absent => issues.push(at.issue(
                    Some(name.clone()),
                    None,
                    Severity::Warning,
                    format!(
                        "{name} is blank: the row's time is unknown; time-aware features \
                         treat it as no later than the previous row"
                    ),
                )),
                _ => {}
            }
        } else if let Some(id) = id {
            if self.temporal || id.is_empty() {
                // Time series repeat IDs by design; an empty ID cannot be checked.
            } else if self
                .only
                .as_ref()
                .is_some_and(|only| !only.contains(&id_hash(id)))
            {
                // Seen once in the whole file: nothing to remember.
            } else if let Some(first) = self.first_line.get(id) {
                issues.push(at.issue(
                    Some(schema.id.as_ref().map_or("ID".into(), |c| c.name.clone())),
                    Some(clip(id).into_owned()),
                    Severity::Warning,
                    format!(
                        "duplicate ID: \"{}\" already appears on line {first}",
                        clip(id)
                    ),
                ));
            } else {
                self.first_line.insert(id.to_string(), at.line);
            }
        }
    }
}

/// The last path component of `name` (`data/p1.psv` -> `p1.psv`; `/` and `\\` both separate).
pub fn base_name(name: &str) -> &str {
    name.rsplit(['/', '\\']).next().unwrap_or(name)
}

/// The file name of one patient's stay: `{id}.psv`, read back by [`patient_id_from_file_name`].
pub fn patient_file_name(id: &str) -> String {
    format!("{id}.psv")
}

/// The patient ID a file name stands for: the last path component without its extension
/// (`data/p000123.psv` -> `p000123`). A name without an extension is used as it is.
pub fn patient_id_from_file_name(name: &str) -> String {
    let base = base_name(name);
    match base.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem.to_string(),
        _ => base.to_string(),
    }
}

impl Dataset {
    /// An empty dataset of `schema` named `source`, for the builders to fill (header,
    /// delimiter and columns set once the first table is read).
    fn empty(schema: &Schema, source: &str) -> Self {
        Dataset {
            source: source.to_string(),
            schema: schema.clone(),
            header: Vec::new(),
            delimiter: b',',
            has_label_column: false,
            has_id_column: false,
            rows: Vec::new(),
            issues: Vec::new(),
            warnings: Vec::new(),
        }
    }

    /// The rows, issues and warnings gathered so far as a dataset of their own (the same
    /// source, schema and header), leaving this one empty of them: a builder's next part.
    fn take_part(&mut self) -> Self {
        Dataset {
            rows: std::mem::take(&mut self.rows),
            issues: std::mem::take(&mut self.issues),
            warnings: std::mem::take(&mut self.warnings),
            header: self.header.clone(),
            schema: self.schema.clone(),
            source: self.source.clone(),
            ..*self
        }
    }

    /// Validates a parsed table against `schema`. Fails only when the header does not fit
    /// (required columns missing, duplicated columns); every row-level problem is recorded in
    /// [`Dataset::issues`] instead.
    pub fn from_table(table: &CsvTable, schema: &Schema, source: &str) -> Result<Self> {
        let m = match_header_for(schema, &table.header, source)?;
        let mut ds = Dataset {
            source: source.to_string(),
            schema: schema.clone(),
            header: table.header.clone(),
            delimiter: table.delimiter,
            has_label_column: m.label.is_some(),
            has_id_column: m.id.is_some(),
            rows: Vec::with_capacity(table.records.len()),
            issues: Vec::new(),
            warnings: absent_columns_warning(schema, &m, source)
                .into_iter()
                .chain(
                    table
                        .records
                        .is_empty()
                        .then(|| format!("{source}: the file has a header but no rows of data")),
                )
                .collect(),
        };
        let mut ids = IdTracker::new(schema);
        for rec in &table.records {
            let row = ds.validate_record(
                &m,
                None,
                rec.line,
                rec.fields.clone(),
                table.delimiter,
                &mut ids,
            );
            ds.rows.push(row);
        }
        Ok(ds)
    }

    /// Drops every row's raw fields ([`Row::fields`] empty), keeping the parsed values, cells,
    /// labels and issues: for training and summaries, which never write rows back out.
    pub fn drop_fields(&mut self) {
        for r in &mut self.rows {
            r.fields = Vec::new();
        }
    }

    /// Validates one table per patient (the PhysioNet layout: one `.psv` file per ICU stay)
    /// against `schema`, as one dataset. `tables` holds `(file name, table)` pairs; the
    /// patient ID is the file name without directories and extension
    /// ([`patient_id_from_file_name`]). See [`PatientTablesBuilder`] for the rules; this is
    /// that builder fed with every table in order.
    pub fn from_patient_tables(
        tables: &[(String, CsvTable)],
        schema: &Schema,
        source: &str,
    ) -> Result<Self> {
        let mut b = PatientTablesBuilder::new(schema, source)?;
        for (file, table) in tables {
            b.add(file, table)?;
        }
        b.finish()
    }

    fn validate_record(
        &mut self,
        m: &HeaderMatch,
        file: Option<&str>,
        line: usize,
        fields: Vec<String>,
        delimiter: u8,
        ids: &mut IdTracker,
    ) -> Row {
        let at = IssueAt { file, line };
        let mut issues = Vec::new();
        let mut has_error = false;
        if fields.len() != self.header.len() {
            has_error = true;
            issues.push(at.issue(
                None,
                None,
                Severity::Error,
                format!(
                    "the row has {} field{}, the header has {}",
                    fields.len(),
                    if fields.len() == 1 { "" } else { "s" },
                    self.header.len()
                ),
            ));
        }
        let (values, cells, cell_error) =
            parse_features(&self.schema, m, &fields, delimiter, &at, &mut issues);
        has_error |= cell_error;
        let id =
            m.id.and_then(|p| fields.get(p))
                .map(|s| s.trim().to_string());
        ids.check(
            &self.schema,
            id.as_deref(),
            &values,
            &cells,
            &at,
            &mut issues,
        );
        let label = m
            .label
            .and_then(|p| fields.get(p))
            .and_then(|raw| parse_row_label(&self.schema, raw, &at, &mut issues));
        let has_evidence = ids.has_evidence(id.as_deref(), &values);
        if !has_evidence && !has_error {
            issues.push(at.issue(
                None,
                None,
                Severity::Warning,
                self.schema.evidence_message(),
            ));
        }
        self.issues.extend(issues);
        Row {
            file: file.map(str::to_string),
            line,
            id,
            values,
            cells,
            label,
            fields,
            has_error,
            has_evidence,
        }
    }

    /// Issues of `row` (same file and line).
    pub fn issues_for_row<'a>(&'a self, row: &'a Row) -> impl Iterator<Item = &'a RowIssue> {
        self.issues
            .iter()
            .filter(move |i| i.line == row.line && i.file == row.file)
    }

    /// The issues of every row, in row order, found in one pass (issues are recorded in row
    /// order). Unlike [`Dataset::issues_for_line`], this is correct when the dataset was read
    /// from several files, whose line numbers repeat.
    pub fn issues_per_row(&self) -> Vec<&[RowIssue]> {
        let mut out = Vec::with_capacity(self.rows.len());
        let mut k = 0;
        for row in &self.rows {
            let start = k;
            while self
                .issues
                .get(k)
                .is_some_and(|i| i.line == row.line && i.file == row.file)
            {
                k += 1;
            }
            out.push(&self.issues[start..k]);
        }
        out
    }
    /// Issues of the row on `line`.
    pub fn issues_for_line(&self, line: usize) -> impl Iterator<Item = &RowIssue> {
        self.issues.iter().filter(move |i| i.line == line)
    }

    /// Rows that can be scored (no errors).
    pub fn valid_rows(&self) -> impl Iterator<Item = &Row> {
        self.rows.iter().filter(|r| r.is_valid())
    }

    /// Rows that get a prediction ([`Row::is_scorable`]).
    pub fn scorable_rows(&self) -> usize {
        self.rows.iter().filter(|r| r.is_scorable()).count()
    }

    /// Rows free of errors but below the schema's minimum evidence: no risk is given.
    pub fn rows_without_evidence(&self) -> usize {
        self.rows
            .iter()
            .filter(|r| r.is_valid() && !r.has_evidence)
            .count()
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

    /// The dataset of rows `rows` only (indices in [`Dataset::rows`], in the order given), for
    /// scoring a part of the data: header, schema and warnings as they are, no issue list
    /// (each row keeps whether it is valid).
    pub fn subset(&self, rows: &[usize]) -> Dataset {
        Dataset {
            source: self.source.clone(),
            schema: self.schema.clone(),
            header: self.header.clone(),
            delimiter: self.delimiter,
            has_label_column: self.has_label_column,
            has_id_column: self.has_id_column,
            rows: rows.iter().map(|&r| self.rows[r].clone()).collect(),
            issues: Vec::new(),
            warnings: self.warnings.clone(),
        }
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

/// The warning for optional feature columns that the header does not have (so they are
/// never measured in this input), naming them; `None` when every column is there.
fn absent_columns_warning(schema: &Schema, m: &HeaderMatch, source: &str) -> Option<String> {
    let absent: Vec<&str> = schema
        .features
        .iter()
        .zip(&m.features)
        .filter(|(_, pos)| pos.is_none())
        .map(|(c, _)| c.name.as_str())
        .collect();
    match absent.as_slice() {
        [] => None,
        [one] => Some(format!(
            "{source}: column `{one}` is absent: it is treated as not measured in every row"
        )),
        many => Some(format!(
            "{source}: {} columns are absent ({}): they are treated as not measured in every row",
            many.len(),
            many.join(", ")
        )),
    }
}

/// Matches `header` against `schema` and checks that every required column is present.
fn match_header_for(schema: &Schema, header: &[String], source: &str) -> Result<HeaderMatch> {
    let m = schema
        .match_header(header)
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
            clip_to(&header.join(", "), 300)
        )));
    }
    Ok(m)
}

/// Describes the first difference between two headers, for messages.
fn header_difference(expected: &[String], got: &[String]) -> String {
    for (i, (e, g)) in expected.iter().zip(got).enumerate() {
        if e != g {
            return format!("column {} is `{}`, expected `{}`", i + 1, clip(g), clip(e));
        }
    }
    format!("it has {} columns, expected {}", got.len(), expected.len())
}
