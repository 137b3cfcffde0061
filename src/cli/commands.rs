//! The five subcommands (train, predict, evaluate, eda, demo): each reads its inputs, calls
//! the core, and presents the result ([`render`]).

use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};

use crate::core::dataset::patient_file_name;
use crate::core::demo::{demo_csv, demo_icu_patients};
use crate::core::eda;
use crate::core::files;
use crate::core::predict;
use crate::core::schema::{self, Schema, SchemaChoice};
use crate::core::train::{self, Progress, SourceInfo};

use super::args::{
    DemoArgs, EdaArgs, EvaluateArgs, FitArgs, PredictArgs, RecalibrateArgs, TrainArgs,
};
use super::io::{self, Input};
use super::render;
use super::{CliError, CliResult};

/// What a bundle records of the files it was trained or recalibrated on: their names
/// (without directories) and the SHA-256 of their bytes.
fn source_info(data: &[std::path::PathBuf], input: &Input) -> SourceInfo {
    SourceInfo {
        name: source_name(data),
        sha256: input.sha256(),
    }
}

/// The data's names without directories, as bundles and model cards record them.
fn source_name(data: &[std::path::PathBuf]) -> String {
    data.iter()
        .map(|p| io::file_name(p))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `sepsis-risk train`.
pub fn train(a: &TrainArgs) -> CliResult {
    let started = Instant::now();
    // Refused before minutes of training, not after.
    io::check_output(&a.out)?;
    // A built-in or JSON schema (and the options) are checked before the data is read; a
    // roles file needs the data's header and values first.
    let roles = a.roles.as_deref().map(io::read_roles).transpose()?;
    let early = match roles {
        None => {
            let s = io::load_schema(&a.schema)?;
            let c = a.config(&s)?;
            Some((s, c))
        }
        Some(_) => None,
    };
    let mut input = Input::read(&a.data)?;
    let (schema, config) = match (early, &roles, &a.roles) {
        (Some(sc), _, _) => sc,
        (None, Some(r), Some(path)) => {
            // The model card names the data as the bundle records it (file names, no
            // directories), as the page does.
            let s = io::roles_schema(r, path, &input, &source_name(&a.data))?;
            let c = a.config(&s)?;
            (s, c)
        }
        _ => return Err(CliError("no schema".into())),
    };
    let ds = input.dataset_without_fields(&schema)?;
    print_warnings(&ds.warnings);
    let source = source_info(&a.data, &input);
    // The files' bytes are parsed and hashed: training needs only the dataset.
    input.files = Vec::new();
    if !a.json {
        eprintln!(
            "Read {} rows from {} in {:.1} s.",
            ds.rows.len(),
            input.label,
            started.elapsed().as_secs_f64()
        );
        print!("{}", render::eda(&eda::summarize(&ds), &ds, 5));
        println!();
    }
    let bar = ProgressBar::new(1);
    bar.set_style(
        ProgressStyle::with_template("{msg:<32} [{bar:30}] {pos}/{len} {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let mut stage = String::new();
    // Without a terminal (CI logs, redirected output) the bar is hidden: each stage's start
    // is logged on stderr instead, with the time since the command started.
    let log_stages = bar.is_hidden();
    // The dataset is dropped inside once its training rows are built.
    let outcome = train::train_owned(ds, &source, &config, &mut |p: &Progress| {
        if p.stage != stage {
            stage = p.stage.clone();
            if log_stages {
                eprintln!("[{:7.1} s] {stage}", started.elapsed().as_secs_f64());
            }
            bar.set_message(stage.clone());
            bar.set_length(p.total as u64);
        }
        bar.set_position(p.done as u64);
    });
    bar.finish_and_clear();
    let outcome = outcome.map_err(|e| {
        let advice = render::after_search_advice(&e).unwrap_or_default();
        CliError(format!("{}: {e}{advice}", input.label))
    })?;
    let b = &outcome.bundle;
    let json = b.to_json()?;
    io::write_file(&a.out, json.as_bytes())?;
    let seconds = started.elapsed().as_secs_f64();
    if a.json {
        let summary = render::training_json(b, &a.out, seconds);
        println!("{}", serde_json::to_string_pretty(&summary)?);
    } else {
        print!("{}", render::training(b));
        println!(
            "\nWrote {} ({} bytes) in {seconds:.1} s.",
            a.out.display(),
            json.len()
        );
    }
    Ok(())
}

/// `sepsis-risk recalibrate`.
pub fn recalibrate(a: &RecalibrateArgs) -> CliResult {
    let started = Instant::now();
    io::check_output(&a.out)?;
    if let (Ok(m), Ok(o)) = (a.model.canonicalize(), a.out.canonicalize())
        && m == o
    {
        return Err(CliError(format!(
            "{}: --out is the input bundle: refusing to replace it (choose another output path)",
            a.out.display()
        )));
    }
    let parent = io::load_bundle(&a.model)?;
    let mut input = Input::read(&a.data)?;
    let ds = input.dataset_without_fields(&parent.schema)?;
    print_warnings(&ds.warnings);
    let source = source_info(&a.data, &input);
    input.files = Vec::new();
    let config = train::RecalibrateConfig {
        method: a.method,
        folds: a.folds,
        seed: a.seed,
        threshold_rule: a.threshold_rule.0,
        target_sensitivity: a.target_sensitivity,
    };
    let b = train::recalibrate(&parent, &ds, &source, &config)
        .map_err(|e| CliError(format!("{}: {e}", input.label)))?;
    let json = b.to_json()?;
    io::write_file(&a.out, json.as_bytes())?;
    let seconds = started.elapsed().as_secs_f64();
    let r = b
        .recalibration
        .as_ref()
        .ok_or_else(|| CliError("the recalibrated bundle has no recalibration record".into()))?;
    if a.json {
        let mut v = serde_json::to_value(r)?;
        v["out"] = serde_json::json!(a.out.display().to_string());
        v["seconds"] = serde_json::json!(seconds);
        println!("{}", serde_json::to_string_pretty(&v)?);
    } else {
        print!("{}", render::recalibration(r));
        println!(
            "\nWrote {} ({} bytes) in {seconds:.1} s. {}",
            a.out.display(),
            json.len(),
            crate::core::bundle::NOT_A_MEDICAL_DEVICE
        );
    }
    Ok(())
}

/// `sepsis-risk predict`. One file per patient (a directory of `.psv` files) is streamed: one
/// patient is read, scored and written at a time ([`files::PatientFileStream`]), so memory
/// follows the largest patient, not the input; the output is the same as for the whole.
pub fn predict(a: &PredictArgs) -> CliResult {
    let bundle = io::load_bundle(&a.model)?;
    let mut out = io::Output::create(a.output.as_deref())?;
    let mut writer = predict::ResultsWriter::new(&bundle);
    let mut tally = Tally::default();
    let mut buf = String::new();
    let input_warnings = for_each_part(&a.input, &bundle.schema, true, &mut |ds| {
        let preds = predict::predict_dataset(&bundle, ds)?;
        buf.clear();
        writer.write(ds, &preds, &mut buf);
        tally.add(ds, &preds);
        out.write(buf.as_bytes())
    })?;
    out.commit()?;
    print_warnings(&input_warnings);
    let Tally {
        rows,
        predicted,
        errors,
        warnings,
    } = tally;
    eprintln!(
        "{}: {rows} rows, {predicted} predicted, {} without prediction (rows with errors or below the minimum evidence); {errors} errors, {warnings} warnings (see the issues column). {}",
        a.input.display(),
        rows - predicted,
        crate::core::bundle::NOT_A_MEDICAL_DEVICE
    );
    Ok(())
}

/// Row and issue counts over the parts of an input.
#[derive(Debug, Default)]
struct Tally {
    rows: usize,
    predicted: usize,
    errors: usize,
    warnings: usize,
}

impl Tally {
    fn add(
        &mut self,
        ds: &crate::core::dataset::Dataset,
        preds: &[Option<crate::core::bundle::Prediction>],
    ) {
        let (e, w) = ds.issue_counts();
        self.rows += ds.rows.len();
        self.predicted += preds.iter().filter(|p| p.is_some()).count();
        self.errors += e;
        self.warnings += w;
    }
}

/// Reads `input` against `schema` and hands it to `f` in parts: one table in blocks
/// ([`files::TableStream`]), or one patient file at a time ([`files::PatientFileStream`]). Errors name the file. Returns the
/// input-wide warnings, for the caller to show after success (a failure is one line).
fn for_each_part(
    input: &std::path::Path,
    schema: &Schema,
    keep_fields: bool,
    f: &mut dyn FnMut(&crate::core::dataset::Dataset) -> CliResult,
) -> CliResult<Vec<String>> {
    let paths = io::input_files(std::slice::from_ref(&input.to_path_buf()))?;
    let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    let label = input.display().to_string();
    if files::is_single_table(&names) {
        return for_each_table_part(&paths[0], &names[0], schema, &label, keep_fields, f);
    }
    let mut stream = files::PatientFileStream::new(schema, &label, keep_fields)?;
    let mut warnings = Vec::new();
    for (path, name) in paths.iter().zip(&names) {
        let bytes = io::read_bytes(path)?;
        let ds = stream.next_file(name, &bytes)?;
        drop(bytes);
        f(&ds)?;
        warnings.extend(ds.warnings);
    }
    Ok(warnings)
}

/// Bytes read from a table at a time by [`for_each_table_part`]: 4 MiB, or
/// `SEPSIS_RISK_BLOCK_BYTES` (tests use small blocks to cross many part boundaries).
fn table_block() -> usize {
    std::env::var("SEPSIS_RISK_BLOCK_BYTES")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .filter(|&n| n > 0)
        .unwrap_or(4 << 20)
}

/// One table read in blocks of [`table_block`] bytes, each block's complete rows handed to
/// `f` ([`files::TableStream`]): memory follows the block, not the file (one-row-per-person
/// data with IDs is read twice: [`files::IdScan`] first). Returns the warnings.
fn for_each_table_part(
    path: &std::path::Path,
    name: &str,
    schema: &Schema,
    label: &str,
    keep_fields: bool,
    f: &mut dyn FnMut(&crate::core::dataset::Dataset) -> CliResult,
) -> CliResult<Vec<String>> {
    let mut block = vec![0u8; table_block()];
    let mut stream = files::TableStream::new(name, schema, label, keep_fields);
    if files::needs_id_scan(schema) {
        // First pass: which IDs repeat (the duplicate check then remembers only those).
        let mut scan = files::IdScan::new(schema);
        read_blocks(path, &mut block, &mut |bytes| {
            scan.push(bytes);
            Ok(())
        })?;
        stream = stream.with_repeated_ids(scan.finish());
    }
    let mut warnings = Vec::new();
    read_blocks(path, &mut block, &mut |bytes| {
        if let Some(ds) = stream.push(bytes)? {
            f(&ds)?;
            warnings.extend(ds.warnings);
        }
        Ok(())
    })?;
    let ds = stream.finish()?;
    f(&ds)?;
    warnings.extend(ds.warnings);
    Ok(warnings)
}

/// The file at `path` in blocks of `block`'s size, each handed to `f`.
fn read_blocks(
    path: &std::path::Path,
    block: &mut [u8],
    f: &mut dyn FnMut(&[u8]) -> CliResult,
) -> CliResult {
    use std::io::Read;
    let cannot = |e: std::io::Error| CliError(format!("{}: cannot read: {e}", path.display()));
    let mut file = std::fs::File::open(path).map_err(cannot)?;
    loop {
        match file.read(block) {
            Ok(0) => return Ok(()),
            Ok(n) => f(&block[..n])?,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(cannot(e)),
        }
    }
}

/// Prints input-wide warnings (e.g. absent columns) on stderr.
fn print_warnings(warnings: &[String]) {
    for w in warnings {
        eprintln!("sepsis-risk: warning: {w}");
    }
}

/// `sepsis-risk evaluate`. Patient files are streamed as in [`predict`].
pub fn evaluate(a: &EvaluateArgs) -> CliResult {
    let bundle = io::load_bundle(&a.model)?;
    let mut eval = predict::Evaluation::default();
    let input_warnings = for_each_part(&a.input, &bundle.schema, false, &mut |ds| {
        let preds = predict::predict_dataset(&bundle, ds)?;
        Ok(eval.add(&bundle, ds, &preds)?)
    })?;
    let label = a.input.display().to_string();
    let done = eval
        .finish(&bundle, &label)
        .map_err(|e| CliError(format!("{label}: {e}")))?;
    let (m, icu) = (&done.metrics, done.icu.as_ref());
    print_warnings(&input_warnings);
    if a.json {
        let v = render::evaluation_json(m, done.calibration_error, icu)?;
        println!("{}", serde_json::to_string_pretty(&v)?);
    } else {
        let excluded = done.rows - m.n;
        println!(
            "{label}: {} labelled valid rows evaluated ({excluded} excluded: errors or no label)\n",
            m.n
        );
        print!("{}", render::metrics(m));
        println!(
            "expected calibration error (10 bins): {:.4}",
            done.calibration_error
        );
        if let Some(e) = icu {
            print!("{}", render::patient_level(e));
        }
    }
    Ok(())
}

/// `sepsis-risk eda`. Without `--schema`, the schema is the built-in one that fits the first
/// file's header ([`files::first_header`], [`schema::choose`]), as the app chooses it for an
/// upload when no model is loaded.
pub fn eda(a: &EdaArgs) -> CliResult {
    let input = Input::read(std::slice::from_ref(&a.input))?;
    let schema = match &a.schema {
        Some(s) => io::load_schema(s)?,
        None => detect_schema(&input, a)?,
    };
    let ds = input.dataset_without_fields(&schema)?;
    print_warnings(&ds.warnings);
    let report = eda::summarize(&ds);
    if a.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", render::eda(&report, &ds, 20));
    }
    Ok(())
}

fn detect_schema(input: &Input, a: &EdaArgs) -> CliResult<Schema> {
    let header = files::first_header(&input.files)?;
    match schema::choose(&header, None)? {
        SchemaChoice::Fits(s) => Ok(*s),
        SchemaChoice::NoneFits(missing) => {
            let why: Vec<String> = missing
                .iter()
                .map(|(title, cols)| format!("\"{title}\" misses {}", cols.join(", ")))
                .collect();
            Err(CliError(format!(
                "{}: the header matches no built-in schema ({}); pass --schema",
                a.input.display(),
                why.join("; ")
            )))
        }
    }
}

/// Most rows `demo` generates for a one-row-per-person schema (about 0.5 GB of CSV).
const DEMO_MAX_ROWS: usize = 10_000_000;
/// Most patients `demo` generates for a time-series schema (about 4 million hours).
const DEMO_MAX_PATIENTS: usize = 100_000;

/// `sepsis-risk demo`.
pub fn demo(a: &DemoArgs) -> CliResult {
    let schema = io::load_schema(&a.schema)?;
    // Demo data is generated in memory: bounded so that a typo cannot ask for terabytes.
    let (limit, what) = if schema.temporal.is_some() {
        (DEMO_MAX_PATIENTS, "patients (about 40 hours each)")
    } else {
        (DEMO_MAX_ROWS, "rows (about 50 bytes each)")
    };
    if a.rows > limit {
        return Err(CliError(format!(
            "--rows {}: at most {limit} {what} for schema `{}`",
            a.rows, schema.name
        )));
    }
    if let Some(dir) = &a.psv_dir {
        let patients = demo_icu_patients(&schema, a.rows, a.seed).ok_or_else(|| {
            CliError(format!(
                "--psv-dir needs a time-series schema with a demo generator (icu), not `{}`",
                schema.name
            ))
        })?;
        std::fs::create_dir_all(dir)
            .map_err(|e| CliError(format!("{}: cannot create directory: {e}", dir.display())))?;
        for p in &patients {
            io::write_file(&dir.join(patient_file_name(&p.id)), p.psv.as_bytes())?;
        }
        eprintln!(
            "Wrote {} patient files to {}.",
            patients.len(),
            dir.display()
        );
        return Ok(());
    }
    let csv = demo_csv(&schema, a.rows, a.seed).ok_or_else(|| {
        CliError(format!(
            "no demo data generator for schema `{}`",
            schema.name
        ))
    })?;
    io::write_output(a.output.as_deref(), csv.as_bytes())
}

/// `sepsis-risk fit`: one model with fixed hyperparameters on an exported feature matrix,
/// fitted on every labelled row outside `--holdout-fold` and scored on the labelled rows in it.
/// Prints one JSON object: rows, columns, threads, load / fit / predict seconds and the
/// held-out AUROC.
pub fn fit(a: &FitArgs) -> CliResult {
    use crate::core::metrics;
    use crate::core::models::{Hyperparameters, Model, ModelParams};
    use crate::core::parallel;

    let named = super::args::parse_named_numbers("--param", &a.params)?;
    let h = Hyperparameters::from_numbers(named.iter().map(|(n, v)| (n.as_str(), *v)))?;
    let params = ModelParams::from_hyperparameters(a.family, &h)?;
    let started = Instant::now();
    let data = io::read_feature_export(&a.matrix, a.holdout_fold)?;
    let load = started.elapsed().as_secs_f64();
    if data.y_train.is_empty() || data.y_test.is_empty() {
        return Err(CliError(format!(
            "{}: --holdout-fold {} leaves {} training and {} held-out labelled rows",
            a.matrix.display(),
            a.holdout_fold,
            data.y_train.len(),
            data.y_test.len()
        )));
    }
    let t = Instant::now();
    let model = Model::fit(&params, &data.x_train, &data.y_train, a.seed)?;
    let fit_seconds = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let p = model.predict_proba(&data.x_test)?;
    let predict_seconds = t.elapsed().as_secs_f64();
    let auroc = metrics::roc_auc(&data.y_test, &p)?;
    if let Some(out) = &a.out {
        io::write_file(out, serde_json::to_string(&model)?.as_bytes())?;
    }
    let report = serde_json::json!({
        "family": a.family.key(),
        "hyperparameters": h.to_string(),
        "train_rows": data.y_train.len(),
        "test_rows": data.y_test.len(),
        "columns": data.x_train.cols(),
        "threads": parallel::threads(),
        "load_seconds": load,
        "fit_seconds": fit_seconds,
        "predict_seconds": predict_seconds,
        "test_roc_auc": auroc,
    });
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(())
}
