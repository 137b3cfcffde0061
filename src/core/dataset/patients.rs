//! One table per patient (the PhysioNet layout: one `.psv` file per ICU stay) validated as
//! one dataset, one table at a time.

use std::collections::HashMap;

use super::{
    Dataset, IdTracker, absent_columns_warning, header_difference, match_header_for,
    patient_id_from_file_name,
};
#[cfg(doc)]
use super::{Row, RowIssue};
use crate::core::csv::CsvTable;
use crate::core::format::clip;
use crate::core::schema::{HeaderMatch, Schema};
use crate::core::{Error, Result};

/// Builds a [`Dataset`] from one table per patient, one table at a time, so that a caller can
/// read, parse and drop files one by one (set A has 17,652 files).
///
/// Rules:
/// - the schema must have an ID column; the dataset's header is that column's name followed
///   by the first table's header, and every row's fields are the patient ID followed by the
///   record's fields, so outputs show the patient;
/// - every table must have exactly the first table's header (same names, same order), else
///   [`Error::Header`] naming the file; a table must not have an ID column of its own;
/// - rows are appended in the order the tables are added, each table's records in file order;
///   every [`Row`] and [`RowIssue`] carries its file name and its line in that file;
/// - two tables with the same patient ID are an error (their rows would be merged);
/// - each table's own delimiter is used to read decimal commas.
#[derive(Debug)]
pub struct PatientTablesBuilder {
    ds: Dataset,
    keep_fields: bool,
    id_name: String,
    file_header: Option<(String, Vec<String>, HeaderMatch)>,
    patients: HashMap<String, String>,
    ids: IdTracker,
}

impl PatientTablesBuilder {
    /// A builder for `schema`; `source` names the whole input (e.g. the directory) in
    /// messages. Errors when the schema has no ID column.
    pub fn new(schema: &Schema, source: &str) -> Result<Self> {
        let id_name = schema
            .id
            .as_ref()
            .map(|c| c.name.clone())
            .ok_or_else(|| {
                Error::Header(format!(
                    "{source}: schema `{}` has no patient ID column, so it cannot read one file per patient",
                    schema.name
                ))
            })?;
        Ok(PatientTablesBuilder {
            ds: Dataset {
                has_id_column: true,
                ..Dataset::empty(schema, source)
            },
            keep_fields: true,
            id_name,
            file_header: None,
            patients: HashMap::new(),
            ids: IdTracker::new(schema),
        })
    }

    /// Rows added from now on keep no raw fields ([`Row::fields`] empty): for training and
    /// summaries, which never write rows back out. Per ICU hour the raw strings cost several
    /// times the parsed values (about 1.6 GB for PhysioNet set A).
    pub fn without_fields(mut self) -> Self {
        self.keep_fields = false;
        self
    }

    /// Adds the table read from `file`; the patient ID is [`patient_id_from_file_name`].
    pub fn add(&mut self, file: &str, table: &CsvTable) -> Result<()> {
        self.add_patient(file, &patient_id_from_file_name(file), table)
    }

    /// Adds the table read from `file` as the rows of patient `patient_id`.
    pub fn add_patient(&mut self, file: &str, patient_id: &str, table: &CsvTable) -> Result<()> {
        let patient_id = patient_id.trim();
        if patient_id.is_empty() {
            return Err(Error::Header(format!("{file}: the patient ID is empty")));
        }
        match &self.file_header {
            None => {
                let mut header = Vec::with_capacity(table.header.len() + 1);
                header.push(self.id_name.clone());
                header.extend(table.header.iter().cloned());
                let m = match_header_for(&self.ds.schema, &header, file).map_err(|e| {
                    if self
                        .ds
                        .schema
                        .match_header(&table.header)
                        .is_ok_and(|m| m.id.is_some())
                    {
                        Error::Header(format!(
                            "{file}: the file has its own patient ID column; read it as one table \
                             with a patient ID column instead of one file per patient"
                        ))
                    } else {
                        e
                    }
                })?;
                self.ds
                    .warnings
                    .extend(absent_columns_warning(&self.ds.schema, &m, file));
                self.ds.header = header;
                self.ds.delimiter = table.delimiter;
                self.ds.has_label_column = m.label.is_some();
                self.file_header = Some((file.to_string(), table.header.clone(), m));
            }
            Some((first, expected, _)) => {
                if table.header != *expected {
                    return Err(Error::Header(format!(
                        "{file}: the header differs from the first file's ({first}): {}",
                        header_difference(expected, &table.header)
                    )));
                }
            }
        }
        if let Some(prev) = self.patients.get(patient_id) {
            return Err(Error::Header(format!(
                "{file}: patient ID \"{}\" was already read from {prev}",
                clip(patient_id)
            )));
        }
        self.patients
            .insert(patient_id.to_string(), file.to_string());
        let Some((_, _, m)) = &self.file_header else {
            return Ok(()); // set above
        };
        let m = m.clone();
        self.ds.rows.reserve(table.records.len());
        for rec in &table.records {
            let mut fields = Vec::with_capacity(rec.fields.len() + 1);
            fields.push(patient_id.to_string());
            fields.extend(rec.fields.iter().cloned());
            let mut row = self.ds.validate_record(
                &m,
                Some(file),
                rec.line,
                fields,
                table.delimiter,
                &mut self.ids,
            );
            if !self.keep_fields {
                row.fields = Vec::new();
            }
            self.ds.rows.push(row);
        }
        Ok(())
    }

    /// The rows and issues added since the last call, as a dataset of their own (same
    /// source, schema, header and delimiter as [`PatientTablesBuilder::finish`] gives), and
    /// forgets them: for streaming one patient file at a time. The checks across files (one
    /// header, no patient ID twice, increasing time per patient) still span every table added.
    /// Errors when no table was added.
    pub fn take_rows(&mut self) -> Result<Dataset> {
        if self.file_header.is_none() {
            return Err(Error::InsufficientData(format!(
                "{}: no patient files",
                self.ds.source
            )));
        }
        Ok(self.ds.take_part())
    }

    /// Number of tables added so far.
    pub fn patients(&self) -> usize {
        self.patients.len()
    }

    /// The dataset. Errors when no table was added.
    pub fn finish(self) -> Result<Dataset> {
        if self.file_header.is_none() {
            return Err(Error::InsufficientData(format!(
                "{}: no patient files",
                self.ds.source
            )));
        }
        Ok(self.ds)
    }
}
