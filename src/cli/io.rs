//! File reading and writing for the CLI, with messages that name the file.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::core::bundle::ModelBundle;
use crate::core::dataset::Dataset;
use crate::core::files;
use crate::core::roles::Roles;
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
/// Files in the directories that are not per-patient files are left out and listed in one
/// warning on stderr (so that a misnamed file is never skipped without a word).
pub fn input_files(paths: &[PathBuf]) -> CliResult<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut skipped = Vec::new();
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
                    } else {
                        skipped.push(path);
                    }
                }
            }
        } else {
            out.push(p.clone());
        }
    }
    out.sort();
    skipped.sort();
    if out.is_empty() {
        let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        let also = if skipped.is_empty() {
            String::new()
        } else {
            format!(" ({})", skipped_message(&skipped))
        };
        return Err(CliError(format!(
            "{}: no .psv files found{also}",
            names.join(", ")
        )));
    }
    if !skipped.is_empty() {
        eprintln!("sepsis-risk: warning: {}", skipped_message(&skipped));
    }
    Ok(out)
}

/// The warning for files left out of a directory: how many, and the first ten by name.
fn skipped_message(skipped: &[PathBuf]) -> String {
    const SHOWN: usize = 10;
    let names: Vec<String> = skipped
        .iter()
        .take(SHOWN)
        .map(|p| crate::core::format::clip(&p.display().to_string()).into_owned())
        .collect();
    let more = skipped.len().saturating_sub(SHOWN);
    format!(
        "skipped {} file{} that {} not .psv patient file{}: {}{}",
        skipped.len(),
        if skipped.len() == 1 { "" } else { "s" },
        if skipped.len() == 1 { "is" } else { "are" },
        if skipped.len() == 1 { "" } else { "s" },
        names.join(", "),
        if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        }
    )
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

    /// Parses and validates the files against a schema, without the rows' raw fields: for
    /// training and summaries ([`files::read_files_without_fields`]).
    pub fn dataset_without_fields(&self, schema: &Schema) -> CliResult<Dataset> {
        Ok(files::read_files_without_fields(
            &self.files,
            schema,
            &self.label,
        )?)
    }

    /// SHA-256 of the bytes of every file, in reading order (the training data's hash).
    pub fn sha256(&self) -> String {
        crate::core::train::sha256_hex_of(self.files.iter().map(|(_, b)| b.as_slice()))
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

/// Reads a roles file (a column-role mapping, [`crate::core::roles`]).
pub fn read_roles(path: &Path) -> CliResult<Roles> {
    let bytes = read_bytes(path)?;
    let text = String::from_utf8(bytes).map_err(|_| {
        CliError(format!(
            "{}: not a roles file (not UTF-8 text)",
            path.display()
        ))
    })?;
    Roles::from_json(&text).map_err(|e| CliError(format!("{}: {e}", path.display())))
}

/// The schema `roles` (read from `path`) gives the input's files: the first file's header,
/// and every file's values for what the roles file leaves to the data. `source` names the
/// data in the model card (file names without directories).
pub fn roles_schema(roles: &Roles, path: &Path, input: &Input, source: &str) -> CliResult<Schema> {
    let mut tables = Vec::with_capacity(input.files.len());
    for (name, bytes) in &input.files {
        tables.push(
            crate::core::files::parse_file(name, bytes).map_err(|e| CliError(e.to_string()))?,
        );
    }
    let header = tables
        .first()
        .map(|t| t.header.clone())
        .ok_or_else(|| CliError(format!("{}: no input files", input.label)))?;
    let refs: Vec<&crate::core::csv::CsvTable> = tables.iter().collect();
    roles
        .schema(source, &header, &refs)
        .map_err(|e| CliError(format!("{}: {e}", path.display())))
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

/// Checks that `path` may be written as an output: it does not exist yet, or it is a regular
/// file that is not read-only. A symbolic link, a directory, a FIFO, a device node or a
/// read-only file is refused with a message naming it, before any work is done.
pub fn check_output(path: &Path) -> CliResult {
    let refuse = |what: &str| {
        Err(CliError(format!(
            "{}: {what}: refusing to replace it (choose another output path)",
            path.display()
        )))
    };
    match fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(CliError(format!("{}: cannot check: {e}", path.display()))),
        Ok(m) if m.file_type().is_symlink() => refuse("is a symbolic link"),
        Ok(m) if m.is_dir() => refuse("is a directory"),
        Ok(m) if !m.is_file() => refuse("is not a regular file (a FIFO, socket or device)"),
        Ok(m) if m.permissions().readonly() => refuse("is read-only"),
        Ok(_) => Ok(()),
    }
}

/// An output being written: standard output, or a uniquely named temporary file next to the
/// target that [`Output::commit`] renames over it once complete (a failed run leaves the
/// target as it was and removes the temporary file). Writes are buffered.
pub enum Output {
    /// Standard output (a closed pipe ends output quietly).
    Stdout {
        /// The buffered stream.
        out: std::io::BufWriter<std::io::Stdout>,
        /// Whether the reader has gone (further writes are dropped).
        closed: bool,
    },
    /// A file.
    File {
        /// The target.
        path: PathBuf,
        /// The temporary file being written.
        tmp: std::io::BufWriter<tempfile::NamedTempFile>,
    },
}

impl Output {
    /// Standard output when `path` is None, else a temporary file for `path` after
    /// [`check_output`].
    pub fn create(path: Option<&Path>) -> CliResult<Output> {
        let Some(path) = path else {
            return Ok(Output::Stdout {
                out: std::io::BufWriter::with_capacity(1 << 16, std::io::stdout()),
                closed: false,
            });
        };
        check_output(path)?;
        let cannot = |e: std::io::Error| CliError(format!("{}: cannot write: {e}", path.display()));
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let prefix = format!(".{}.", file_name(path));
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).suffix(".sepsis-risk-tmp");
        // The finished file gets the usual permissions of a new file (tempfile's default is
        // owner-only), or those of the file it replaces.
        #[cfg(unix)]
        let permissions = {
            use std::os::unix::fs::PermissionsExt;
            fs::metadata(path)
                .map(|m| m.permissions())
                .unwrap_or_else(|_| fs::Permissions::from_mode(0o644))
        };
        #[cfg(unix)]
        builder.permissions(permissions);
        let tmp = builder.tempfile_in(dir).map_err(cannot)?;
        Ok(Output::File {
            path: path.to_path_buf(),
            tmp: std::io::BufWriter::with_capacity(1 << 16, tmp),
        })
    }

    /// Appends `bytes`.
    pub fn write(&mut self, bytes: &[u8]) -> CliResult {
        match self {
            Output::Stdout { out, closed } => {
                if *closed {
                    return Ok(());
                }
                match out.write_all(bytes) {
                    Ok(()) => Ok(()),
                    Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                        *closed = true;
                        Ok(())
                    }
                    Err(e) => Err(CliError(format!("standard output: {e}"))),
                }
            }
            Output::File { path, tmp } => tmp
                .write_all(bytes)
                .map_err(|e| CliError(format!("{}: cannot write: {e}", path.display()))),
        }
    }

    /// Finishes the output: flushes standard output, or renames the complete temporary file
    /// over the target (checked again: it must still be replaceable).
    pub fn commit(self) -> CliResult {
        match self {
            Output::Stdout { mut out, closed } => {
                if closed {
                    return Ok(());
                }
                match out.flush() {
                    Ok(()) => Ok(()),
                    Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                    Err(e) => Err(CliError(format!("standard output: {e}"))),
                }
            }
            Output::File { path, tmp } => {
                let cannot =
                    |e: std::io::Error| CliError(format!("{}: cannot write: {e}", path.display()));
                let tmp = tmp.into_inner().map_err(|e| cannot(e.into_error()))?;
                tmp.as_file().sync_all().map_err(cannot)?;
                check_output(&path)?;
                tmp.persist(&path).map_err(|e| cannot(e.error))?;
                Ok(())
            }
        }
    }
}

/// Writes a whole output through [`Output`]: a file (`Some(path)`: the target is replaced
/// only by a complete file, and only if it is a regular writable file, [`check_output`]) or
/// standard output (`None`; a closed pipe is success).
pub fn write_output(path: Option<&Path>, contents: &[u8]) -> CliResult {
    let mut out = Output::create(path)?;
    out.write(contents)?;
    out.commit()
}

/// [`write_output`] to a file.
pub fn write_file(path: &Path, contents: &[u8]) -> CliResult {
    write_output(Some(path), contents)
}

/// A feature matrix exported by `examples/export_icu_features.rs`, split as `sepsis-risk
/// fit` uses it: the labelled rows outside one patient fold, and the labelled rows in it.
pub struct FeatureExport {
    /// Training rows (`f32` on disk, widened exactly to `f64`).
    pub x_train: crate::core::Matrix,
    /// Their labels.
    pub y_train: Vec<bool>,
    /// Held-out rows (the fold).
    pub x_test: crate::core::Matrix,
    /// Their labels.
    pub y_test: Vec<bool>,
}

/// Reads PREFIX.features.txt (names), PREFIX.rows.csv (`patient,label,fold`) and
/// PREFIX.features.f32 (row-major little-endian `f32`), streaming the matrix into the
/// training and held-out parts so only one `f64` copy of the rows is ever held. Rows with an
/// unknown label (-1) are left out of both.
pub fn read_feature_export(prefix: &Path, holdout_fold: usize) -> CliResult<FeatureExport> {
    use std::io::Read;
    let with = |ext: &str| PathBuf::from(format!("{}.{ext}", prefix.display()));
    let names_path = with("features.txt");
    let names = String::from_utf8_lossy(&read_bytes(&names_path)?).into_owned();
    let cols = names.lines().count();
    let rows_path = with("rows.csv");
    let text = String::from_utf8_lossy(&read_bytes(&rows_path)?).into_owned();
    // Per row: None (left out), Some((held out, label)).
    let mut route: Vec<Option<(bool, bool)>> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let bad = || {
            CliError(format!(
                "{}: line {}: expected `patient,label,fold` (label 1, 0 or -1; fold 0-4), got `{}`",
                rows_path.display(),
                i + 1,
                line.chars().take(80).collect::<String>()
            ))
        };
        let parts: Vec<&str> = line.trim().split(',').collect();
        let [_, l, f] = parts.as_slice() else {
            return Err(bad());
        };
        let label = match *l {
            "1" => Some(true),
            "0" => Some(false),
            "-1" => None,
            _ => return Err(bad()),
        };
        let fold = f.parse::<usize>().map_err(|_| bad())?;
        route.push(label.map(|l| (fold == holdout_fold, l)));
    }
    let x_path = with("features.f32");
    let file = fs::File::open(&x_path)
        .map_err(|e| CliError(format!("{}: cannot read: {e}", x_path.display())))?;
    let len = file
        .metadata()
        .map_err(|e| CliError(format!("{}: {e}", x_path.display())))?
        .len() as usize;
    if cols == 0 || len != route.len() * cols * 4 {
        return Err(CliError(format!(
            "{}: {len} bytes, expected {} rows x {cols} columns x 4 bytes ({} and {})",
            x_path.display(),
            route.len(),
            rows_path.display(),
            names_path.display()
        )));
    }
    let held = route
        .iter()
        .filter(|r| matches!(r, Some((true, _))))
        .count();
    let kept = route.iter().filter(|r| r.is_some()).count();
    let mut train = Vec::with_capacity((kept - held) * cols);
    let mut test = Vec::with_capacity(held * cols);
    let (mut y_train, mut y_test) = (Vec::new(), Vec::new());
    let mut reader = std::io::BufReader::new(file);
    let mut row = vec![0u8; cols * 4];
    for r in &route {
        reader
            .read_exact(&mut row)
            .map_err(|e| CliError(format!("{}: {e}", x_path.display())))?;
        let Some((held_out, label)) = *r else {
            continue;
        };
        let (out, y) = if held_out {
            (&mut test, &mut y_test)
        } else {
            (&mut train, &mut y_train)
        };
        out.extend(
            row.chunks_exact(4)
                .map(|b| f64::from(f32::from_le_bytes([b[0], b[1], b[2], b[3]]))),
        );
        y.push(label);
    }
    Ok(FeatureExport {
        x_train: crate::core::Matrix::new(y_train.len(), cols, train)?,
        y_train,
        x_test: crate::core::Matrix::new(y_test.len(), cols, test)?,
        y_test,
    })
}
