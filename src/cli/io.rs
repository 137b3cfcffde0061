//! File reading and writing for the CLI, with messages that name the file.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::core::bundle::ModelBundle;
use crate::core::dataset::Dataset;
use crate::core::files;
use crate::core::schema::{self, Schema};

use super::{CliError, CliResult};

/// Reads a whole file.
pub fn read_bytes(path: &Path) -> CliResult<Vec<u8>> {
    fs::read(path).map_err(|e| CliError(format!("{}: cannot read: {e}", path.display())))
}

/// The file name without directories (for messages and provenance).
pub fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// The files named by `paths`, in reading order: files as given, directories searched
/// recursively for per-patient files ([`files::is_patient_file`]); sorted.
pub fn input_files(paths: &[PathBuf]) -> CliResult<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut stack = vec![p.clone()];
            while let Some(dir) = stack.pop() {
                let entries = fs::read_dir(&dir)
                    .map_err(|e| CliError(format!("{}: cannot list: {e}", dir.display())))?;
                for entry in entries {
                    let path = entry
                        .map_err(|e| CliError(format!("{}: cannot list: {e}", dir.display())))?
                        .path();
                    if path.is_dir() {
                        stack.push(path);
                    } else if files::is_patient_file(&file_name(&path)) {
                        out.push(path);
                    }
                }
            }
        } else {
            out.push(p.clone());
        }
    }
    out.sort();
    if out.is_empty() {
        let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        return Err(CliError(format!(
            "{}: no .psv files found",
            names.join(", ")
        )));
    }
    Ok(out)
}

/// Input data as the core reads it ([`files::read_files`]): one CSV/PSV table, or one file per
/// patient (directories and `.psv` files), the patient ID taken from the file name.
pub struct Input {
    /// `(path, bytes)` of every file, in reading order ([`input_files`]).
    pub files: Vec<(String, Vec<u8>)>,
    /// The paths as given, for messages and [`Dataset::source`].
    pub label: String,
}

impl Input {
    /// Reads every file named by `paths` ([`input_files`]).
    pub fn read(paths: &[PathBuf]) -> CliResult<Input> {
        if paths.is_empty() {
            return Err(CliError("no input files given".into()));
        }
        let label = paths
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ");
        let files = input_files(paths)?
            .iter()
            .map(|f| Ok((f.display().to_string(), read_bytes(f)?)))
            .collect::<CliResult<_>>()?;
        Ok(Input { files, label })
    }

    /// Parses and validates the files against a schema.
    pub fn dataset(&self, schema: &Schema) -> CliResult<Dataset> {
        Ok(files::read_files(&self.files, schema, &self.label)?)
    }

    /// The bytes of every file, in reading order (for the training data's SHA-256).
    pub fn bytes(&self) -> Vec<u8> {
        let mut all = Vec::with_capacity(self.files.iter().map(|(_, b)| b.len()).sum());
        for (_, bytes) in &self.files {
            all.extend_from_slice(bytes);
        }
        all
    }
}

/// A built-in schema by name, or a schema JSON file.
pub fn load_schema(name_or_path: &str) -> CliResult<Schema> {
    if let Some(s) = schema::builtin(name_or_path) {
        return Ok(s);
    }
    let path = Path::new(name_or_path);
    if path.extension().is_some_and(|e| e == "json") || path.exists() {
        let bytes = read_bytes(path)?;
        let text = String::from_utf8(bytes)
            .map_err(|_| CliError(format!("{}: not UTF-8 text", path.display())))?;
        return Schema::from_json(&text).map_err(|e| CliError(format!("{}: {e}", path.display())));
    }
    Err(CliError(format!(
        "unknown schema `{name_or_path}` (built-in: {}; or give a schema JSON file)",
        schema::BUILTIN_NAMES.join(", ")
    )))
}

/// Loads and checks a model bundle.
pub fn load_bundle(path: &Path) -> CliResult<ModelBundle> {
    let bytes = read_bytes(path)?;
    let text = String::from_utf8(bytes).map_err(|_| {
        CliError(format!(
            "{}: not a model bundle (not UTF-8 text)",
            path.display()
        ))
    })?;
    ModelBundle::from_json(&text).map_err(|e| CliError(format!("{}: {e}", path.display())))
}

/// Writes a file atomically enough for our purposes (write then rename).
pub fn write_file(path: &Path, contents: &[u8]) -> CliResult {
    let tmp = path.with_extension("tmp-sepsis-risk");
    fs::write(&tmp, contents)
        .and_then(|()| fs::rename(&tmp, path))
        .map_err(|e| {
            let _ = fs::remove_file(&tmp);
            CliError(format!("{}: cannot write: {e}", path.display()))
        })
}

/// Writes to standard output, treating a closed pipe as success.
pub fn write_stdout(contents: &[u8]) -> CliResult {
    let mut out = std::io::stdout().lock();
    match out.write_all(contents).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(CliError(format!("standard output: {e}"))),
    }
}
