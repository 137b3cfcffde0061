//! Input files, already read by the caller (name and bytes), as one dataset: the rule shared by
//! the CLI (files from disk) and the browser app (files the user picked).
//!
//! One file that is not a `.psv` file is one table ([`Dataset::from_table`]); anything else
//! (several files, or `.psv` files) is one file per patient, the patient ID taken from the
//! file name ([`PatientTablesBuilder`]). Files are read in the order given.

use crate::core::csv::{self, CsvChunks, CsvTable};
use crate::core::dataset::{Dataset, PatientTablesBuilder, RepeatedIds, TableBuilder, base_name};
use crate::core::schema::Schema;
use crate::core::{Error, Result};

/// Whether `name` is a per-patient file (extension `.psv`, any case).
pub fn is_patient_file(name: &str) -> bool {
    name.rsplit_once('.')
        .is_some_and(|(_, ext)| ext.eq_ignore_ascii_case("psv"))
}

/// Whether `names` are read as one table: exactly one name, not a `.psv` file.
pub fn is_single_table<S: AsRef<str>>(names: &[S]) -> bool {
    matches!(names, [one] if !is_patient_file(one.as_ref()))
}

/// Parses one file's bytes; an error names the file.
pub fn parse_file(name: &str, bytes: &[u8]) -> Result<CsvTable> {
    csv::parse(bytes).map_err(|e| in_file(name, e.into()))
}

fn in_file(name: &str, e: Error) -> Error {
    Error::Header(format!("{name}: {e}"))
}

/// The header that decides the schema: the single table's, or the first patient file's (a
/// patient file has no ID column: the ID comes from its name). Errors when `files` is empty
/// or the first file is not readable.
pub fn first_header<B: AsRef<[u8]>>(files: &[(String, B)]) -> Result<Vec<String>> {
    let (name, bytes) = files
        .first()
        .ok_or_else(|| Error::InsufficientData("no input files".into()))?;
    Ok(parse_file(name, bytes.as_ref())?.header)
}

/// Reads `files` (`(name, bytes)`, in order) as one dataset validated against `schema` (see
/// the module documentation). `source` names the whole input in messages and in
/// [`Dataset::source`]. A file that cannot be parsed, or whose header does not fit, is an
/// error naming the file (`name: reason`); row-level problems are in the dataset's issues.
/// Each patient file's rows carry the file's base name (no directories).
pub fn read_files<B: AsRef<[u8]>>(
    files: &[(String, B)],
    schema: &Schema,
    source: &str,
) -> Result<Dataset> {
    read(files, schema, source, true, &mut |_, _| {})
}

/// The two steps of reading a file: parsing its text into cells, and validating the cells
/// against the schema into rows and issues.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadStep {
    /// Text to cells ([`parse_file`]).
    Parse,
    /// Cells to validated rows ([`Dataset::from_table`], or a patient file's rows).
    Validate,
}

/// [`read_files`], telling `step(s, true)` when a step starts and `step(s, false)` when it
/// ends (once each for one table; for one file per patient, for every file in turn), so that
/// a caller with a clock can time them.
pub fn read_files_stepped<B: AsRef<[u8]>>(
    files: &[(String, B)],
    schema: &Schema,
    source: &str,
    step: &mut dyn FnMut(ReadStep, bool),
) -> Result<Dataset> {
    read(files, schema, source, true, step)
}

/// [`read_files`] without the rows' raw fields ([`Dataset::drop_fields`]; one file per patient
/// never holds them beyond its own file): for training and summaries, which never write rows
/// back out.
pub fn read_files_without_fields<B: AsRef<[u8]>>(
    files: &[(String, B)],
    schema: &Schema,
    source: &str,
) -> Result<Dataset> {
    read(files, schema, source, false, &mut |_, _| {})
}

fn read<B: AsRef<[u8]>>(
    files: &[(String, B)],
    schema: &Schema,
    source: &str,
    keep_fields: bool,
    step: &mut dyn FnMut(ReadStep, bool),
) -> Result<Dataset> {
    use ReadStep::{Parse, Validate};
    match files {
        [] => Err(Error::InsufficientData("no input files".into())),
        [(name, bytes)] if !is_patient_file(name) => {
            let table = timed(step, Parse, || parse_file(name, bytes.as_ref()))?;
            let mut ds = timed(step, Validate, || {
                Dataset::from_table(&table, schema, source)
            })?;
            if !keep_fields {
                drop(table);
                ds.drop_fields();
            }
            Ok(ds)
        }
        _ => {
            let mut builder = PatientTablesBuilder::new(schema, source)?;
            if !keep_fields {
                builder = builder.without_fields();
            }
            for (name, bytes) in files {
                let table = timed(step, Parse, || parse_file(name, bytes.as_ref()))?;
                timed(step, Validate, || {
                    builder
                        .add(base_name(name), &table)
                        .map_err(|e| in_file(name, e))
                })?;
            }
            timed(step, Validate, || builder.finish())
        }
    }
}

/// `f()` between `step(s, true)` and `step(s, false)`.
fn timed<T>(step: &mut dyn FnMut(ReadStep, bool), s: ReadStep, f: impl FnOnce() -> T) -> T {
    step(s, true);
    let out = f();
    step(s, false);
    out
}

/// One file per patient, read one file at a time ([`PatientFileStream::next_file`]): each
/// file's rows come back as a dataset of their own and are then forgotten, so memory follows
/// one patient, not the whole input. The rules are those of [`read_files`] for patient files
/// (one header, no patient ID twice, names in messages), checked across every file read so
/// far; the parts' rows, issues and predictions, put end to end, are those of [`read_files`]
/// over the same files.
#[derive(Debug)]
pub struct PatientFileStream {
    builder: PatientTablesBuilder,
}

impl PatientFileStream {
    /// A stream for `schema`; `source` names the whole input in messages. Without
    /// `keep_fields` the rows hold no raw fields ([`read_files_without_fields`]).
    pub fn new(schema: &Schema, source: &str, keep_fields: bool) -> Result<Self> {
        let mut builder = PatientTablesBuilder::new(schema, source)?;
        if !keep_fields {
            builder = builder.without_fields();
        }
        Ok(PatientFileStream { builder })
    }

    /// Parses and validates the next file (`name`, `bytes`): its rows as a dataset. An error
    /// names the file.
    pub fn next_file(&mut self, name: &str, bytes: &[u8]) -> Result<Dataset> {
        let table = parse_file(name, bytes)?;
        self.builder
            .add(base_name(name), &table)
            .map_err(|e| in_file(name, e))?;
        drop(table);
        self.builder.take_rows()
    }

    /// Number of files read so far.
    pub fn files(&self) -> usize {
        self.builder.patients()
    }
}

/// One table read in parts as its bytes come ([`TableStream::push`] for each block of the
/// file, then [`TableStream::finish`]): each part's complete rows come back as a dataset of
/// their own, so memory follows the block, not the file. The parts' rows, issues and
/// warnings, put end to end, are [`read_files`]'s for the same file ([`CsvChunks`],
/// [`TableBuilder`]); for time-series schemas each patient's rows must be together in the
/// file (otherwise an error names the line; [`read_files`] reads such a file).
#[derive(Debug)]
pub struct TableStream {
    name: String,
    chunks: CsvChunks,
    builder: TableBuilder,
}

impl TableStream {
    /// A stream for the file `name` read against `schema`; `source` names the input in
    /// messages. Without `keep_fields` the rows hold no raw fields.
    pub fn new(name: &str, schema: &Schema, source: &str, keep_fields: bool) -> Self {
        let builder = TableBuilder::new(schema, source);
        TableStream {
            name: name.to_string(),
            chunks: CsvChunks::new(),
            builder: if keep_fields {
                builder
            } else {
                builder.without_fields()
            },
        }
    }

    /// The stream of the second pass over a one-row-per-person table whose first pass found
    /// `repeated` ([`TableBuilder::with_repeated_ids`]).
    pub fn with_repeated_ids(mut self, repeated: RepeatedIds) -> Self {
        self.builder = self.builder.with_repeated_ids(repeated);
        self
    }

    /// The next bytes of the file: the rows they complete, if any. An error names the file.
    pub fn push(&mut self, bytes: &[u8]) -> Result<Option<Dataset>> {
        match self.chunks.push(bytes) {
            Ok(Some(table)) => self.builder.add(&table).map(Some),
            Ok(None) => Ok(None),
            Err(e) => Err(in_file(&self.name, e.into())),
        }
    }

    /// The end of the file: the rows left.
    pub fn finish(&mut self) -> Result<Dataset> {
        let last = match self.chunks.finish() {
            Ok(Some(table)) => Some(self.builder.add(&table)?),
            Ok(None) => None,
            Err(e) => return Err(in_file(&self.name, e.into())),
        };
        let rest = self.builder.finish()?;
        Ok(match last {
            None => rest,
            Some(mut ds) => {
                ds.rows.extend(rest.rows);
                ds.issues.extend(rest.issues);
                ds.warnings.extend(rest.warnings);
                ds
            }
        })
    }

    /// Bytes and rows read so far.
    pub fn progress(&self) -> (usize, usize) {
        (self.chunks.bytes(), self.builder.rows())
    }
}

/// Whether a table read in parts against `schema` needs the first pass of [`IdScan`]: one
/// row per person with an ID column (a time series' IDs repeat by design).
pub fn needs_id_scan(schema: &Schema) -> bool {
    schema.temporal.is_none() && schema.id.is_some()
}

/// The first pass over a table for [`TableStream::with_repeated_ids`]: the file's bytes in
/// blocks ([`IdScan::push`]), then [`IdScan::finish`]. Parse errors are left to the second
/// pass (they are the same).
#[derive(Debug)]
pub struct IdScan {
    schema: Schema,
    chunks: CsvChunks,
    ids: RepeatedIds,
    /// The bytes are not readable: the second pass says why.
    failed: bool,
}

impl IdScan {
    /// A first pass for `schema`.
    pub fn new(schema: &Schema) -> Self {
        IdScan {
            schema: schema.clone(),
            chunks: CsvChunks::new(),
            ids: RepeatedIds::new(),
            failed: false,
        }
    }

    /// The next bytes of the file.
    pub fn push(&mut self, bytes: &[u8]) {
        if self.failed {
            return;
        }
        match self.chunks.push(bytes) {
            Ok(Some(t)) => self.ids.add(&self.schema, &t),
            Ok(None) => {}
            Err(_) => self.failed = true,
        }
    }

    /// The IDs that may repeat.
    pub fn finish(mut self) -> RepeatedIds {
        if !self.failed {
            if let Ok(Some(t)) = self.chunks.finish() {
                self.ids.add(&self.schema, &t);
            }
        }
        self.ids
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::demo;
    use crate::core::schema;

    #[test]
    fn names() {
        assert!(is_patient_file("a/p1.PSV"));
        assert!(!is_patient_file("p1.csv"));
        assert!(!is_patient_file("psv"));
        assert!(is_single_table(&["x.csv"]));
        assert!(!is_single_table(&["x.psv"]));
        assert!(!is_single_table(&["a.csv", "b.csv"]));
        assert!(!is_single_table::<&str>(&[]));
        assert_eq!(base_name("d/e\\p1.psv"), "p1.psv");
    }

    #[test]
    fn patient_files_and_one_table_give_the_same_rows() {
        let icu = schema::builtin("icu").unwrap();
        let patients = demo::demo_icu_patients(&icu, 6, 2).unwrap();
        let files: Vec<(String, Vec<u8>)> = patients
            .iter()
            .map(|p| (format!("dir/{}.psv", p.id), p.psv.clone().into_bytes()))
            .collect();
        assert_eq!(first_header(&files).unwrap()[0], "HR");
        let ds = read_files(&files, &icu, "dir").unwrap();
        assert_eq!(ds.source, "dir");
        assert_eq!(
            ds.rows[0].file.as_deref(),
            Some(format!("{}.psv", patients[0].id).as_str())
        );
        assert_eq!(ds.rows[0].id.as_deref(), Some(patients[0].id.as_str()));
        let csv = demo::demo_icu_csv(&icu, 6, 2).unwrap();
        let mut steps = Vec::new();
        let table = [("all.csv".to_string(), csv)];
        let one = read_files_stepped(&table, &icu, "all.csv", &mut |s, start| {
            steps.push((s, start))
        })
        .unwrap();
        assert_eq!(one.rows.len(), ds.rows.len());
        assert!(one.rows.iter().zip(&ds.rows).all(|(a, b)| a.id == b.id));
        use ReadStep::{Parse, Validate};
        assert_eq!(
            steps,
            [
                (Parse, true),
                (Parse, false),
                (Validate, true),
                (Validate, false)
            ]
        );
        // One file per patient: parsed and validated in turn, then put together; the same
        // rows as without the steps.
        steps.clear();
        let stepped =
            read_files_stepped(&files, &icu, "dir", &mut |s, start| steps.push((s, start)))
                .unwrap();
        assert_eq!(stepped.rows.len(), ds.rows.len());
        assert_eq!(steps.len(), 4 * files.len() + 2);
        assert_eq!(
            steps[..4],
            [
                (Parse, true),
                (Parse, false),
                (Validate, true),
                (Validate, false)
            ]
        );
        // A file that fails still ends every step it started.
        steps.clear();
        let bad = [("x.csv".to_string(), b"a,b\n\"1,2\n".to_vec())];
        assert!(
            read_files_stepped(&bad, &icu, "x.csv", &mut |s, start| steps.push((s, start)))
                .is_err()
        );
        assert!(!steps.is_empty());
        assert!(
            steps
                .chunks(2)
                .all(|w| w.len() == 2 && w[0].0 == w[1].0 && w[0].1 && !w[1].1)
        );
    }

    #[test]
    fn a_stream_of_patient_files_gives_the_parts_of_the_whole() {
        let icu = schema::builtin("icu").unwrap();
        let patients = demo::demo_icu_patients(&icu, 5, 3).unwrap();
        let mut files: Vec<(String, Vec<u8>)> = patients
            .iter()
            .map(|p| (format!("dir/{}.psv", p.id), p.psv.clone().into_bytes()))
            .collect();
        // An unreadable value and a repeated hour, so that issues are part of the comparison.
        let text = String::from_utf8(files[1].1.clone()).unwrap();
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        lines[2] = lines[2].replacen(|c: char| c.is_ascii_digit(), "x", 1);
        lines.push(lines[3].clone());
        files[1].1 = (lines.join("\n") + "\n").into_bytes();
        let whole = read_files(&files, &icu, "dir").unwrap();
        assert!(!whole.issues.is_empty());
        let mut stream = PatientFileStream::new(&icu, "dir", true).unwrap();
        let (mut rows, mut issues) = (Vec::new(), Vec::new());
        for (name, bytes) in &files {
            let part = stream.next_file(name, bytes).unwrap();
            assert_eq!(part.header, whole.header);
            assert_eq!(part.source, "dir");
            rows.extend(part.rows);
            issues.extend(part.issues);
        }
        assert_eq!(stream.files(), files.len());
        // Debug text compares NaN cells as equal (`==` on f64 does not).
        assert!(format!("{rows:?}") == format!("{:?}", whole.rows));
        assert!(format!("{issues:?}") == format!("{:?}", whole.issues));
        // The checks across files still hold: the same patient twice, another header.
        let again = format!("other/{}.psv", patients[0].id);
        let e = stream.next_file(&again, &files[0].1).unwrap_err();
        assert!(e.to_string().contains("already read from"), "{e}");
        let e = stream.next_file("b.psv", b"HR|O2Sat\n1|2\n").unwrap_err();
        assert!(e.to_string().starts_with("b.psv: "), "{e}");
        let mut lean = PatientFileStream::new(&icu, "dir", false).unwrap();
        assert!(
            lean.next_file(&files[0].0, &files[0].1).unwrap().rows[0]
                .fields
                .is_empty()
        );
    }

    /// `bytes` through a [`TableStream`] in blocks of `block` bytes, the parts end to end.
    fn streamed(bytes: &[u8], schema: &Schema, block: usize, keep: bool) -> Result<Dataset> {
        let mut s = TableStream::new("t.csv", schema, "t.csv", keep);
        if needs_id_scan(schema) && keep {
            let mut scan = IdScan::new(schema);
            for b in bytes.chunks(block) {
                scan.push(b);
            }
            s = s.with_repeated_ids(scan.finish());
        }
        let mut parts = Vec::new();
        for b in bytes.chunks(block) {
            parts.extend(s.push(b)?);
        }
        parts.push(s.finish()?);
        assert_eq!(s.progress().0, bytes.len());
        let mut whole = parts.remove(0);
        for p in parts {
            assert_eq!(p.header, whole.header);
            whole.rows.extend(p.rows);
            whole.issues.extend(p.issues);
            whole.warnings.extend(p.warnings);
        }
        Ok(whole)
    }

    fn assert_same(a: &Dataset, b: &Dataset) {
        // Debug text compares NaN cells as equal (`==` on f64 does not).
        assert!(format!("{:?}", a.rows) == format!("{:?}", b.rows));
        assert_eq!(a.issues, b.issues);
        assert_eq!(a.warnings, b.warnings);
        assert_eq!(
            (
                a.header.clone(),
                a.delimiter,
                a.has_label_column,
                a.has_id_column
            ),
            (
                b.header.clone(),
                b.delimiter,
                b.has_label_column,
                b.has_id_column
            )
        );
    }

    #[test]
    fn a_streamed_table_gives_the_parts_of_the_whole() {
        let seed = schema::builtin("seed").unwrap();
        let mut text = demo::demo_csv(&seed, 400, 7).unwrap();
        // A repeated ID, a ragged row, an impossible value and a blank line.
        let lines: Vec<&str> = text.lines().collect();
        let (first, second) = (lines[1].to_string(), lines[2].to_string());
        text.push_str(&format!("{first}\n\n{second},extra\n"));
        text.push_str(&second.replacen(',', ",-5,", 1));
        text.push('\n');
        let icu = schema::builtin("icu").unwrap();
        let hourly = demo::demo_icu_csv(&icu, 12, 3).unwrap();
        for (schema, text) in [(&seed, text.as_str()), (&icu, hourly.as_str())] {
            let bytes = text.as_bytes();
            for keep in [true, false] {
                let whole = if keep {
                    read_files(&[("t.csv".to_string(), bytes)], schema, "t.csv").unwrap()
                } else {
                    read_files_without_fields(&[("t.csv".to_string(), bytes)], schema, "t.csv")
                        .unwrap()
                };
                assert!(!whole.issues.is_empty() || schema.name == "icu");
                for block in [1, 97, 4096, 70_000, bytes.len()] {
                    assert_same(&streamed(bytes, schema, block, keep).unwrap(), &whole);
                }
            }
        }
        // A header only; an empty file; a header that does not fit.
        let header = text.lines().next().unwrap().to_string() + "\n";
        let only = streamed(header.as_bytes(), &seed, 5, true).unwrap();
        let whole =
            read_files(&[("t.csv".to_string(), header.as_bytes())], &seed, "t.csv").unwrap();
        assert_same(&only, &whole);
        assert!(only.warnings.iter().any(|w| w.contains("no rows")));
        let e = streamed(b"", &seed, 5, true).unwrap_err().to_string();
        assert!(e.starts_with("t.csv: "), "{e}");
        assert!(streamed(b"x,y\n1,2\n", &seed, 5, true).is_err());
    }

    #[test]
    fn a_streamed_time_series_keeps_each_patient_together() {
        let icu = schema::builtin("icu").unwrap();
        // More than the 64 KiB read before the first part.
        let text = demo::demo_icu_csv(&icu, 40, 5).unwrap();
        assert!(text.len() > 100_000);
        let mut lines: Vec<&str> = text.lines().collect();
        let header = lines.remove(0);
        // Each patient's rows come out in one part (its last rows wait for the next part).
        let mut s = TableStream::new("t.csv", &icu, "t.csv", true);
        let mut parts = Vec::new();
        for b in text.as_bytes().chunks(50) {
            parts.extend(s.push(b).unwrap());
        }
        parts.push(s.finish().unwrap());
        let mut seen = std::collections::HashSet::new();
        let mut total = 0;
        for part in &parts {
            let ids: std::collections::HashSet<_> =
                part.rows.iter().map(|r| r.id.clone()).collect();
            assert!(ids.is_disjoint(&seen), "a patient in two parts");
            total += part.rows.len();
            seen.extend(ids);
        }
        assert_eq!((seen.len(), total), (40, lines.len()));
        assert!(parts.len() > 2);
        // A patient whose rows start again later is refused, naming the line.
        let mut scattered = vec![header, lines[0]];
        scattered.extend(lines.iter().rev().take(2));
        scattered.push(lines[1]);
        let bytes = (scattered.join("\n") + "\n").into_bytes();
        let e = streamed(&bytes, &icu, 3, true).unwrap_err().to_string();
        assert!(e.contains("line 5") && e.contains("start again"), "{e}");
        assert!(read_files(&[("t.csv".to_string(), bytes)], &icu, "t.csv").is_ok());
    }

    #[test]
    fn errors_name_the_file() {
        let icu = schema::builtin("icu").unwrap();
        let p = demo::demo_icu_patients(&icu, 1, 1).unwrap().remove(0);
        let files = vec![
            ("a.psv".to_string(), p.psv.as_bytes().to_vec()),
            ("b.psv".to_string(), b"HR|O2Sat\n1|2\n".to_vec()),
        ];
        let e = read_files(&files, &icu, "x").unwrap_err().to_string();
        assert!(e.starts_with("b.psv: "), "{e}");
        let bad = vec![("c.csv".to_string(), Vec::new())];
        let e = read_files(&bad, &icu, "c.csv").unwrap_err().to_string();
        assert!(e.starts_with("c.csv: "), "{e}");
        assert!(read_files::<Vec<u8>>(&[], &icu, "none").is_err());
        assert!(first_header::<Vec<u8>>(&[]).is_err());
    }
}
