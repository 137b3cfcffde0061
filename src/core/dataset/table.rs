//! One table validated part by part ([`crate::core::csv::CsvChunks`] gives the parts), so
//! that a large CSV is scored and written as it is read.

use std::collections::HashSet;

use super::{Dataset, IdTracker, Row, RowIssue, absent_columns_warning, id_hash, match_header_for};
use crate::core::csv::CsvTable;
use crate::core::format::clip;
use crate::core::schema::{HeaderMatch, Schema};
use crate::core::{Error, Result};

/// Builds the parts of one table's dataset ([`TableBuilder::add`] for each part of the file,
/// then [`TableBuilder::finish`]). The rules are [`Dataset::from_table`]'s, checked across
/// every part (a repeated ID, a time that goes back, evidence so far), and the parts' rows and
/// issues, put end to end, are that function's for the whole file.
///
/// Time-series schemas: a patient's rows are handed out together, in one part, once the
/// patient's rows have ended (its time-aware features need all of them). The rows of each
/// patient must therefore be together in the file; where a patient's rows start again after
/// another patient's, [`TableBuilder::add`] errors (see [`TableBuilder::scattered`]); such a
/// file is read whole instead.
#[derive(Debug)]
pub struct TableBuilder {
    /// The header, delimiter and warnings of the parts (no rows).
    ds: Dataset,
    /// The header's columns, once the first part is read.
    m: Option<HeaderMatch>,
    ids: IdTracker,
    keep_fields: bool,
    /// Whether rows are held back by patient.
    by_patient: bool,
    /// The rows of the last patient so far, and their issues.
    held: (Vec<Row>, Vec<RowIssue>),
    /// Patients whose rows have ended.
    ended: HashSet<Option<String>>,
    /// Rows read.
    rows: usize,
    /// Where a patient's rows started again after another's: (line, patient).
    scattered: Option<(usize, String)>,
}

impl TableBuilder {
    /// A builder for `schema`; `source` names the input in messages.
    pub fn new(schema: &Schema, source: &str) -> Self {
        TableBuilder {
            ds: Dataset::empty(schema, source),
            m: None,
            ids: IdTracker::new(schema),
            keep_fields: true,
            by_patient: schema.temporal.is_some(),
            held: (Vec::new(), Vec::new()),
            ended: HashSet::new(),
            rows: 0,
            scattered: None,
        }
    }

    /// Remembers only the IDs that `repeated` found more than once in the file (a first
    /// pass, [`RepeatedIds`]): a one-row-per-person table's duplicate-ID check then needs
    /// memory for its repeated IDs only, not for every ID of the file.
    pub fn with_repeated_ids(mut self, repeated: RepeatedIds) -> Self {
        self.ids.only = Some(repeated.repeated());
        self
    }

    /// The rows keep no raw fields ([`Dataset::drop_fields`]).
    pub fn without_fields(mut self) -> Self {
        self.keep_fields = false;
        self
    }

    /// Validates the next part of the table (every part has the file's header). Returns the
    /// rows that are complete: all of them, or for time-series schemas every patient's but
    /// the last one's, which may go on in the next part. Errors when the header does not fit
    /// the schema (first part) or a patient's rows are not together.
    pub fn add(&mut self, table: &CsvTable) -> Result<Dataset> {
        if let Some((line, id)) = &self.scattered {
            return Err(scattered_error(&self.ds.source, *line, id));
        }
        let m = match &self.m {
            Some(m) => m.clone(),
            None => {
                let m = match_header_for(&self.ds.schema, &table.header, &self.ds.source)?;
                self.ds.header = table.header.clone();
                self.ds.delimiter = table.delimiter;
                self.ds.has_label_column = m.label.is_some();
                self.ds.has_id_column = m.id.is_some();
                self.ds.warnings = absent_columns_warning(&self.ds.schema, &m, &self.ds.source)
                    .into_iter()
                    .collect();
                self.m = Some(m.clone());
                m
            }
        };
        self.rows += table.records.len();
        let (mut rows, mut issues) = std::mem::take(&mut self.held);
        let first_new = rows.len();
        rows.reserve(table.records.len());
        for rec in &table.records {
            let mut row = self.ds.validate_record(
                &m,
                None,
                rec.line,
                rec.fields.clone(),
                table.delimiter,
                &mut self.ids,
            );
            if !self.keep_fields {
                row.fields = Vec::new();
            }
            rows.push(row);
        }
        issues.append(&mut self.ds.issues);
        if self.by_patient {
            self.check_together(&rows, first_new)?;
            // The last patient's rows (a suffix) wait for the next part.
            let last = rows.last().map(|r| r.id.clone());
            let keep = rows
                .iter()
                .rposition(|r| Some(&r.id) != last.as_ref())
                .map_or(0, |i| i + 1);
            let held_rows = rows.split_off(keep);
            let held_issues = match held_rows.first() {
                Some(first) => {
                    let at = issues.partition_point(|i| i.line < first.line);
                    issues.split_off(at)
                }
                None => Vec::new(),
            };
            self.held = (held_rows, held_issues);
        }
        Ok(self.part(rows, issues))
    }

    /// Checks that no row from `first_new` on belongs to a patient whose rows ended before;
    /// records the patients that end.
    fn check_together(&mut self, rows: &[Row], first_new: usize) -> Result<()> {
        for (k, row) in rows.iter().enumerate().skip(first_new.max(1)) {
            let before = &rows[k - 1].id;
            if row.id != *before {
                self.ended.insert(before.clone());
                if self.ended.contains(&row.id) {
                    let id = row.id.clone().unwrap_or_default();
                    self.scattered = Some((row.line, id.clone()));
                    return Err(scattered_error(&self.ds.source, row.line, &id));
                }
            }
        }
        Ok(())
    }

    /// A part with `rows` and their `issues` (and the warnings not handed out yet).
    fn part(&mut self, rows: Vec<Row>, issues: Vec<RowIssue>) -> Dataset {
        Dataset {
            rows,
            issues,
            ..self.ds.take_part()
        }
    }

    /// The rows still held back, after the last part (every part, the last one included,
    /// went through [`TableBuilder::add`]). Errors when no part was added.
    pub fn finish(&mut self) -> Result<Dataset> {
        if self.m.is_none() {
            return Err(Error::InsufficientData(format!(
                "{}: the file has no header",
                self.ds.source
            )));
        }
        if self.rows == 0 {
            self.ds.warnings.push(format!(
                "{}: the file has a header but no rows of data",
                self.ds.source
            ));
        }
        let (rows, issues) = std::mem::take(&mut self.held);
        Ok(self.part(rows, issues))
    }

    /// Where a patient's rows started again after another patient's rows (line, patient), if
    /// [`TableBuilder::add`] found that.
    pub fn scattered(&self) -> Option<(usize, &str)> {
        self.scattered.as_ref().map(|(l, id)| (*l, id.as_str()))
    }

    /// Rows read so far.
    pub fn rows(&self) -> usize {
        self.rows
    }
}

fn scattered_error(source: &str, line: usize, id: &str) -> Error {
    Error::Header(format!(
        "{source}: line {line}: the rows of patient \"{}\" start again after other patients' \
         rows; read in parts, each patient's rows must be together (sort the file by patient, \
         or use one file per patient)",
        clip(id)
    ))
}

/// The first pass over a one-row-per-person table read in parts: a 64-bit hash of every ID
/// ([`RepeatedIds::add`] for each part), then the hashes that occur more than once
/// ([`TableBuilder::with_repeated_ids`]). 8 bytes per row, dropped before the second pass,
/// instead of every ID with its line for the whole read. Two IDs with the same hash are
/// both remembered in the second pass, which compares the IDs themselves, so the duplicate
/// check is exact.
#[derive(Debug, Default)]
pub struct RepeatedIds {
    hashes: Vec<u64>,
    /// The ID column's position, once the header is seen (None: no ID column).
    column: Option<Option<usize>>,
}

impl RepeatedIds {
    /// An empty first pass.
    pub fn new() -> Self {
        Self::default()
    }

    /// The IDs of the next part of the table. A header that does not fit `schema` is left for
    /// the second pass to report.
    pub fn add(&mut self, schema: &Schema, table: &CsvTable) {
        let column = *self
            .column
            .get_or_insert_with(|| schema.match_header(&table.header).ok().and_then(|m| m.id));
        let Some(p) = column else { return };
        self.hashes.extend(
            table
                .records
                .iter()
                .filter_map(|r| r.fields.get(p))
                .map(|f| f.trim())
                .filter(|id| !id.is_empty())
                .map(id_hash),
        );
    }

    /// The hashes seen more than once.
    fn repeated(mut self) -> HashSet<u64> {
        self.hashes.sort_unstable();
        let mut out = HashSet::new();
        for w in self.hashes.windows(2) {
            if w[0] == w[1] {
                out.insert(w[0]);
            }
        }
        out
    }
}
