//! The loaded dataset shared by every page, as plain data: read bytes with the core's CSV
//! parser, match a schema, validate, summarise, predict and (with labels) evaluate, once per
//! upload.

use crate::app::model::{ModelId, ModelKind};
use crate::app::results::{self, ResultRow};
use crate::core::bundle::{ModelBundle, Prediction, RiskHistogram};
use crate::core::dataset::Dataset;
use crate::core::eda::{self, EdaReport, PatientSummary};
use crate::core::files::{self, ReadStep};
use crate::core::metrics::{self, Metrics, RocPoint};
use crate::core::predict;
use crate::core::schema::{self, Schema, SchemaChoice};
use crate::core::utility::IcuEvaluation;

/// Most points of a drawn ROC curve.
const ROC_POINTS: usize = 400;
/// Bins of the predicted-risk histogram.
const RISK_BINS: usize = 20;

/// A stage of an upload, as the page times it (User Timing measures named by
/// [`UploadStage::measure_name`], in the browser's performance panel).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UploadStage {
    /// The browser reading the picked files' bytes.
    Read,
    /// The text parsed into cells.
    Parse,
    /// The cells validated against the schema into rows and issues.
    Validate,
    /// The summaries of the Explore page (and of the patients, for hourly data).
    Eda,
    /// The model's predictions for every row (what `predict_proba` is to scikit-learn).
    Score,
    /// The results table's rows, the risk histogram and, with labels, the local evaluation.
    Results,
    /// The page built from the result, until its next task.
    Render,
}

impl UploadStage {
    /// Every stage, in the order they run.
    pub const ALL: [UploadStage; 7] = [
        UploadStage::Read,
        UploadStage::Parse,
        UploadStage::Validate,
        UploadStage::Eda,
        UploadStage::Score,
        UploadStage::Results,
        UploadStage::Render,
    ];

    /// The stage's short name (`"parse"`).
    pub fn name(self) -> &'static str {
        match self {
            UploadStage::Read => "read",
            UploadStage::Parse => "parse",
            UploadStage::Validate => "validate",
            UploadStage::Eda => "eda",
            UploadStage::Score => "score",
            UploadStage::Results => "results",
            UploadStage::Render => "render",
        }
    }

    /// The User Timing measure's name: `"sepsis-risk:upload-parse"`.
    pub fn measure_name(self) -> String {
        format!("sepsis-risk:upload-{}", self.name())
    }
}

/// When a stage ran, by [`StageTimes`]' clock (ms): from its first start to its last end,
/// and the time spent in it. The two differ when the stage alternates with another, as
/// parsing and validating do file by file in a folder of patient files.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StageSpan {
    /// The first start.
    pub start: f64,
    /// The last end.
    pub end: f64,
    /// Time spent in the stage, ms.
    pub busy_ms: f64,
}

/// The stages of one upload, timed with a clock in ms (the browser's `performance.now()`).
#[derive(Debug, Clone)]
pub struct StageTimes {
    now: fn() -> f64,
    spans: Vec<(UploadStage, StageSpan)>,
    open: Vec<(UploadStage, f64)>,
}

impl StageTimes {
    /// Nothing timed yet, with the clock `now`.
    pub fn new(now: fn() -> f64) -> Self {
        StageTimes {
            now,
            spans: Vec::new(),
            open: Vec::new(),
        }
    }

    /// `stage` starts (again).
    pub fn start(&mut self, stage: UploadStage) {
        let at = (self.now)();
        self.open.retain(|(s, _)| *s != stage);
        self.open.push((stage, at));
    }

    /// `stage` ends; nothing when it had not started.
    pub fn end(&mut self, stage: UploadStage) {
        let at = (self.now)();
        let Some(k) = self.open.iter().position(|(s, _)| *s == stage) else {
            return;
        };
        let (_, started) = self.open.remove(k);
        match self.spans.iter_mut().find(|(s, _)| *s == stage) {
            Some((_, span)) => {
                span.end = at;
                span.busy_ms += at - started;
            }
            None => self.spans.push((
                stage,
                StageSpan {
                    start: started,
                    end: at,
                    busy_ms: at - started,
                },
            )),
        }
    }

    /// `f()` timed as `stage`.
    pub fn time<T>(&mut self, stage: UploadStage, f: impl FnOnce() -> T) -> T {
        self.start(stage);
        let out = f();
        self.end(stage);
        out
    }

    /// When `stage` ran, if it did.
    pub fn span(&self, stage: UploadStage) -> Option<StageSpan> {
        self.spans
            .iter()
            .find(|(s, _)| *s == stage)
            .map(|(_, span)| *span)
    }

    /// Every stage that ran, in the order they first ended.
    pub fn spans(&self) -> &[(UploadStage, StageSpan)] {
        &self.spans
    }

    /// One line for the page: `"read 12 ms · parse 40 ms · validate 31 ms · …"`.
    pub fn describe(&self) -> String {
        UploadStage::ALL
            .iter()
            .filter_map(|&s| {
                self.span(s)
                    .map(|span| format!("{} {}", s.name(), ms_text(span.busy_ms)))
            })
            .collect::<Vec<_>>()
            .join(" · ")
    }
}

/// `"12 ms"`, `"1.5 s"`.
fn ms_text(ms: f64) -> String {
    if ms < 1000.0 {
        format!("{:.0} ms", ms.max(0.0))
    } else {
        format!("{:.1} s", ms / 1000.0)
    }
}

/// A loaded, validated, summarised and scored upload.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The file name (no directories), or a summary of the file names for several files.
    pub file_name: String,
    /// Number of files read.
    pub files: usize,
    /// The model the data was scored with: the built-in model of its schema, unless the page
    /// scored it with another model that reads the schema (one of the user's models).
    pub model: ModelId,
    /// Patient-level summary, for time-series data.
    pub patients: Option<PatientSummary>,
    /// Milliseconds the scoring took (by the clock of [`load_files`]'s [`StageTimes`]).
    pub score_ms: f64,
    /// When each stage of the upload ran (the page's reading of the files and the stages of
    /// [`load_files`]).
    pub times: StageTimes,
    /// The detected delimiter.
    pub delimiter: u8,
    /// The validated rows and their problems.
    pub dataset: Dataset,
    /// Statistics for the Explore page.
    pub eda: EdaReport,
    /// Predictions, or why there are none (schema of another model, model not loaded).
    pub scoring: Result<Scored, String>,
}

impl Loaded {
    /// The results CSV, exactly as `sepsis-risk predict` writes it for the same file and
    /// `bundle` (the one the upload was scored with); built on demand, when downloaded.
    pub fn results_csv(&self, bundle: &ModelBundle) -> Option<String> {
        let scored = self.scoring.as_ref().ok()?;
        Some(predict::results_csv(
            bundle,
            &self.dataset,
            &scored.predictions,
        ))
    }
}

/// The model's output on an upload.
#[derive(Debug, Clone)]
pub struct Scored {
    /// One prediction per row (None for rows with errors).
    pub predictions: Vec<Option<Prediction>>,
    /// The results table.
    pub rows: Vec<ResultRow>,
    /// Histogram of the predicted risks (by label when the file has labels).
    pub histogram: RiskHistogram,
    /// Whether `histogram` is split by label.
    pub histogram_by_label: bool,
    /// Local validation, when the file has a label column: the metrics or why there are none.
    pub validation: Option<Result<Validation, String>>,
    /// Patient-level evaluation of a time-series model (utility, detected patients), when the
    /// data has labels.
    pub time_series: Option<Result<IcuEvaluation, String>>,
}

/// Metrics of the model on the upload's valid labelled rows.
#[derive(Debug, Clone)]
pub struct Validation {
    /// Everything at the bundle's threshold.
    pub metrics: Metrics,
    /// ROC curve (downsampled for drawing).
    pub roc: Vec<RocPoint>,
}

/// Why an upload could not be loaded.
#[derive(Debug, Clone, PartialEq)]
pub enum LoadError {
    /// The bytes are not readable CSV.
    Csv(String),
    /// No schema fits: the required columns each schema misses.
    Columns {
        /// The file (or files) read.
        file: String,
        /// The file's header.
        header: Vec<String>,
        /// `(schema title, missing required columns)` per candidate schema.
        missing: Vec<(String, Vec<String>)>,
    },
    /// The header fits but cannot be used (e.g. duplicated columns).
    Header(String),
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoadError::Csv(m) | LoadError::Header(m) => f.write_str(m),
            LoadError::Columns { file, missing, .. } => {
                let parts: Vec<String> = missing
                    .iter()
                    .map(|(title, cols)| {
                        format!(
                            "missing required column{} {} for \"{title}\"",
                            if cols.len() == 1 { "" } else { "s" },
                            cols.join(", ")
                        )
                    })
                    .collect();
                write!(
                    f,
                    "{file}: the columns match no known format: {}",
                    parts.join("; ")
                )
            }
        }
    }
}

/// The schema to read a file with ([`schema::choose`], preferring the model's own schema, as
/// `sepsis-risk predict` reads the file), or the page's error when none fits.
pub fn choose_schema(
    file: &str,
    header: &[String],
    bundle: Option<&ModelBundle>,
) -> Result<Schema, LoadError> {
    match schema::choose(header, bundle.map(|b| &b.schema)) {
        Ok(SchemaChoice::Fits(s)) => Ok(*s),
        Ok(SchemaChoice::NoneFits(missing)) => Err(LoadError::Columns {
            file: file.to_string(),
            header: header.to_vec(),
            missing,
        }),
        Err(e) => Err(LoadError::Header(format!("{file}: {e}"))),
    }
}

/// Reads, validates, summarises and scores one uploaded file with `bundle` (its schema is
/// preferred when the header fits).
pub fn load(
    file_name: &str,
    bytes: &[u8],
    bundle: Option<&ModelBundle>,
) -> Result<Loaded, LoadError> {
    let files = [(file_name.to_string(), bytes)];
    let schema = detect_schema(&files, bundle)?;
    load_files(&files, &schema, bundle, StageTimes::new(|| 0.0))
}

/// Sorts uploaded files by name (the order in which several patient files are read, as the
/// CLI reads a directory).
pub fn sort_files<B>(files: &mut [(String, B)]) {
    files.sort_by(|a, b| a.0.cmp(&b.0));
}

/// The schema of uploaded files, from the first file's header ([`choose_schema`]; for
/// `.psv` patient files the patient ID column comes from the file names).
pub fn detect_schema<B: AsRef<[u8]>>(
    files: &[(String, B)],
    bundle: Option<&ModelBundle>,
) -> Result<Schema, LoadError> {
    let header = files::first_header(files).map_err(|e| LoadError::Csv(e.to_string()))?;
    // The header is the first file's: name that file.
    choose_schema(&files_label(&files[..files.len().min(1)]), &header, bundle)
}

/// What the upload page calls the files read, and what a model recalibrated on them records
/// as its source: the folder's name when every file comes from one picked folder (names
/// `folder/...`, as the browser gives them for a folder pick), which is what
/// `sepsis-risk recalibrate --data folder` records; else the one file's name, or
/// `"12 files (p000001.psv … p000012.psv)"`.
pub fn files_label<B>(files: &[(String, B)]) -> String {
    if let Some(folder) = common_folder(files) {
        return folder.to_string();
    }
    match files {
        [] => String::new(),
        [(one, _)] => crate::core::dataset::base_name(one).to_string(),
        [(first, _), .., (last, _)] => format!(
            "{} files ({} … {})",
            files.len(),
            crate::core::dataset::base_name(first),
            crate::core::dataset::base_name(last)
        ),
    }
}

/// The first path segment every file name starts with (`folder/`), if there is one.
fn common_folder<B>(files: &[(String, B)]) -> Option<&str> {
    let (folder, _) = files.first()?.0.split_once('/')?;
    (!folder.is_empty()
        && files
            .iter()
            .all(|(n, _)| n.strip_prefix(folder).is_some_and(|r| r.starts_with('/'))))
    .then_some(folder)
}

/// Reads, validates, summarises and scores uploaded files (`(name, bytes)`, in the order to
/// read them; see [`files::read_files`]) against `schema`, with `bundle` when it is the
/// model for that schema, timing each stage in `times` (parse, validate, EDA, score, results).
pub fn load_files<B: AsRef<[u8]>>(
    files: &[(String, B)],
    schema: &Schema,
    bundle: Option<&ModelBundle>,
    mut times: StageTimes,
) -> Result<Loaded, LoadError> {
    let label = files_label(files);
    let dataset = files::read_files_stepped(files, schema, &label, &mut |step, start| {
        let stage = match step {
            ReadStep::Parse => UploadStage::Parse,
            ReadStep::Validate => UploadStage::Validate,
        };
        if start {
            times.start(stage)
        } else {
            times.end(stage)
        }
    })
    .map_err(|e| LoadError::Header(e.to_string()))?;
    let (eda, patients) = times.time(UploadStage::Eda, || {
        (eda::summarize(&dataset), eda::patient_summary(&dataset))
    });
    let model = ModelKind::for_schema(&schema.name).into();
    let scoring = match bundle {
        Some(b) if b.schema.name == schema.name => times
            .time(UploadStage::Score, || {
                predict::predict_dataset(b, &dataset).map_err(|e| e.to_string())
            })
            .and_then(|p| times.time(UploadStage::Results, || summarise(b, &dataset, p))),
        Some(b) => Err(format!(
            "The data is in the \"{}\" format; the model reads \"{}\", so there are no predictions.",
            schema.title, b.schema.title
        )),
        None => Err("The model is not available, so there are no predictions.".to_string()),
    };
    let score_ms = times.span(UploadStage::Score).map_or(0.0, |s| s.busy_ms);
    Ok(Loaded {
        file_name: label,
        files: files.len(),
        model,
        patients,
        score_ms,
        times,
        delimiter: dataset.delimiter,
        dataset,
        eda,
        scoring,
    })
}

/// What the pages show of `predictions` (of `ds`'s rows, by `bundle`): the results table, the
/// risk histogram and, with labels, the local validation.
pub fn summarise(
    bundle: &ModelBundle,
    ds: &Dataset,
    predictions: Vec<Option<Prediction>>,
) -> Result<Scored, String> {
    let rows = results::build_rows(bundle, ds, &predictions);
    let (y, p) = predict::labelled_predictions(ds, &predictions);
    let histogram_by_label = ds.has_label_column && !y.is_empty();
    let histogram = if histogram_by_label {
        RiskHistogram::from_scores(&y, &p, RISK_BINS)
    } else {
        // Without labels every scored row counts as "negative": drawn as one series.
        let all: Vec<f64> = predictions
            .iter()
            .flatten()
            .map(|p| p.probability)
            .collect();
        RiskHistogram::from_scores(&vec![false; all.len()], &all, RISK_BINS)
    };
    let validation = ds.has_label_column.then(|| validate(bundle, &y, &p));
    let time_series =
        (bundle.is_time_series() && ds.has_label_column).then(
            || match predict::evaluate_time_series(bundle, ds, &predictions) {
                Ok(Some(e)) => Ok(e),
                Ok(None) => Err("The model has no time-series evaluation.".to_string()),
                Err(e) => Err(e.to_string()),
            },
        );
    Ok(Scored {
        predictions,
        rows,
        histogram,
        histogram_by_label,
        validation,
        time_series,
    })
}

fn validate(bundle: &ModelBundle, y: &[bool], p: &[f64]) -> Result<Validation, String> {
    if y.is_empty() {
        return Err("No row is both valid and labelled.".to_string());
    }
    let metrics = metrics::evaluate(y, p, bundle.threshold).map_err(|e| e.to_string())?;
    let roc = metrics::roc_curve(y, p)
        .and_then(|c| metrics::downsample_curve(&c, ROC_POINTS))
        .map_err(|e| e.to_string())?;
    Ok(Validation { metrics, roc })
}

#[cfg(test)]
mod label_tests {
    use super::files_label;

    #[test]
    fn files_from_one_picked_folder_are_named_by_the_folder() {
        let f = |names: &[&str]| -> Vec<(String, ())> {
            names.iter().map(|n| (n.to_string(), ())).collect()
        };
        assert_eq!(files_label(&f(&["stays/p1.psv", "stays/p2.psv"])), "stays");
        assert_eq!(files_label(&f(&["stays/sub/p1.psv"])), "stays");
        assert_eq!(
            files_label(&f(&["a/p1.psv", "b/p2.psv"])),
            "2 files (p1.psv … p2.psv)"
        );
        assert_eq!(
            files_label(&f(&["stay/p1.psv", "stays/p2.psv"])),
            "2 files (p1.psv … p2.psv)"
        );
        assert_eq!(files_label(&f(&["p1.psv"])), "p1.psv");
        assert_eq!(
            files_label(&f(&["/p1.psv", "/p2.psv"])),
            "2 files (p1.psv … p2.psv)"
        );
        assert_eq!(files_label::<()>(&[]), "");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::model::seed_bundle;
    use crate::core::demo;

    #[test]
    fn demo_data_loads_scores_and_validates() {
        let b = seed_bundle().unwrap();
        let text = demo::demo_csv(&b.schema, 300, 7).unwrap();
        let l = load("demo.csv", text.as_bytes(), Some(b)).unwrap();
        assert_eq!(l.dataset.rows.len(), 300);
        assert_eq!(l.delimiter, b',');
        assert_eq!(l.dataset.schema.name, "seed");
        let s = l.scoring.as_ref().unwrap();
        assert_eq!(s.rows.len(), 300);
        let v = s.validation.as_ref().unwrap().as_ref().unwrap();
        assert!(v.metrics.roc_auc > 0.5);
        assert!(s.histogram_by_label);
        let counted: usize = s
            .histogram
            .positive
            .iter()
            .chain(&s.histogram.negative)
            .sum();
        assert_eq!(counted, v.metrics.n);
        // The download is the core's results CSV.
        let ds = &l.dataset;
        let preds = predict::predict_dataset(b, ds).unwrap();
        assert_eq!(
            l.results_csv(b).unwrap(),
            predict::results_csv(b, ds, &preds)
        );
    }

    #[test]
    fn unlabelled_semicolon_file() {
        let b = seed_bundle().unwrap();
        let text = "PRG;PL;PR;SK;TS;M11;BD2;Age\n1;150;70;20;0;30,5;0,5;40\n2;;70;x;0;30;0,5;40\n";
        let l = load("s.csv", text.as_bytes(), Some(b)).unwrap();
        assert_eq!(l.delimiter, b';');
        let s = l.scoring.unwrap();
        assert!(s.validation.is_none());
        assert!(!s.histogram_by_label);
        assert_eq!(s.histogram.negative.iter().sum::<usize>(), 1);
        assert!(l.dataset.issues.iter().any(|i| i.line == 3));
    }

    #[test]
    fn missing_columns_are_named() {
        let b = seed_bundle().unwrap();
        let err = load("x.csv", b"PRG,PL,Age\n1,2,3\n", Some(b)).unwrap_err();
        match &err {
            LoadError::Columns { missing, .. } => {
                assert!(missing[0].1.contains(&"PR".to_string()));
                assert!(!missing[0].1.contains(&"PL".to_string()));
            }
            other => panic!("{other:?}"),
        }
        assert!(
            err.to_string().contains("missing required columns PR"),
            "{err}"
        );
        assert!(matches!(
            load("e.csv", b"", Some(b)),
            Err(LoadError::Csv(_))
        ));
        assert!(matches!(
            load("d.csv", b"PL,pl,PRG,PR,SK,TS,M11,BD2,Age\n", Some(b)),
            Err(LoadError::Header(_))
        ));
    }

    #[test]
    fn without_a_model_there_is_no_scoring() {
        let s = schema::builtin("seed").unwrap();
        let text = demo::demo_csv(&s, 10, 1).unwrap();
        let l = load("demo.csv", text.as_bytes(), None).unwrap();
        assert!(l.scoring.is_err());
        assert_eq!(l.eda.rows, 10);
    }
}

#[cfg(test)]
mod icu_tests {
    use super::*;
    use crate::app::model::{seed_bundle, test_icu_bundle};
    use crate::core::demo;

    fn psv_files(n: usize, seed: u64) -> Vec<(String, Vec<u8>)> {
        let icu = schema::builtin("icu").unwrap();
        let mut files: Vec<(String, Vec<u8>)> = demo::demo_icu_patients(&icu, n, seed)
            .unwrap()
            .into_iter()
            .rev()
            .map(|p| {
                (
                    crate::core::dataset::patient_file_name(&p.id),
                    p.psv.into_bytes(),
                )
            })
            .collect();
        sort_files(&mut files);
        files
    }

    #[test]
    fn psv_files_pick_the_icu_schema_and_score_like_the_core() {
        let files = psv_files(8, 5);
        assert!(files[0].0 < files[1].0, "sorted by name");
        let schema = detect_schema(&files, seed_bundle().ok()).unwrap();
        assert_eq!(schema.name, "icu");
        assert_eq!(ModelKind::for_schema(&schema.name), ModelKind::Icu);
        let icu = test_icu_bundle();
        let l = load_files(&files, &schema, Some(icu), StageTimes::new(|| 0.0)).unwrap();
        assert_eq!(l.model, ModelKind::Icu.into());
        assert_eq!(l.files, 8);
        assert!(l.file_name.starts_with("8 files ("), "{}", l.file_name);
        assert_eq!(l.patients.as_ref().unwrap().patients, 8);
        let s = l.scoring.as_ref().unwrap();
        assert!(s.time_series.as_ref().is_some());
        // The download is the core's results CSV for the same files.
        let ds = files::read_files(&files, &icu.schema, "x").unwrap();
        let preds = predict::predict_dataset(icu, &ds).unwrap();
        assert_eq!(
            l.results_csv(icu).unwrap(),
            predict::results_csv(icu, &ds, &preds)
        );
        assert!(
            l.results_csv(icu)
                .unwrap()
                .starts_with("patient_id,ICULOS,")
        );
    }

    thread_local! {
        static TICKS: std::cell::Cell<f64> = const { std::cell::Cell::new(0.0) };
    }

    /// A clock that moves 1 ms at each reading.
    fn tick() -> f64 {
        TICKS.with(|t| {
            t.set(t.get() + 1.0);
            t.get()
        })
    }

    #[test]
    fn every_stage_of_an_upload_is_timed_and_interleaved_steps_add_up() {
        let mut t = StageTimes::new(tick);
        t.end(UploadStage::Read);
        assert!(t.spans().is_empty(), "an end without a start is nothing");
        t.time(UploadStage::Read, || ());
        let files = psv_files(3, 5);
        let schema = detect_schema(&files, None).unwrap();
        let l = load_files(&files, &schema, Some(test_icu_bundle()), t).unwrap();
        let mut t = l.times.clone();
        t.time(UploadStage::Render, || ());
        let names: Vec<&str> = t.spans().iter().map(|(s, _)| s.name()).collect();
        assert_eq!(
            names,
            [
                "read", "parse", "validate", "eda", "score", "results", "render"
            ]
        );
        // Three files parsed and validated in turn (and the patients put together at the
        // end): each step is busy for less than its span.
        let parse = t.span(UploadStage::Parse).unwrap();
        let validate = t.span(UploadStage::Validate).unwrap();
        assert_eq!(parse.busy_ms, 3.0);
        assert_eq!(validate.busy_ms, 4.0);
        assert!(parse.start < validate.start && validate.end > parse.end);
        assert!(parse.end - parse.start > parse.busy_ms);
        let score = t.span(UploadStage::Score).unwrap();
        assert_eq!((score.busy_ms, l.score_ms), (1.0, 1.0));
        assert_eq!(
            t.describe(),
            "read 1 ms · parse 3 ms · validate 4 ms · eda 1 ms · score 1 ms · results 1 ms · render 1 ms"
        );
        assert_eq!(UploadStage::Eda.measure_name(), "sepsis-risk:upload-eda");
        // One table: each step once.
        let seed = schema::builtin("seed").unwrap();
        let text = crate::core::demo::demo_csv(&seed, 20, 1).unwrap();
        let l = load("demo.csv", text.as_bytes(), seed_bundle().ok()).unwrap();
        assert!(l.times.span(UploadStage::Parse).is_some());
    }

    #[test]
    fn a_model_for_another_schema_gives_no_predictions() {
        let files = psv_files(2, 1);
        let schema = detect_schema(&files, None).unwrap();
        let l = load_files(&files, &schema, seed_bundle().ok(), StageTimes::new(|| 0.0)).unwrap();
        assert!(l.scoring.unwrap_err().contains("format"));
        let one = vec![("a.csv".to_string(), b"PRG,PL\n1,2\n".to_vec())];
        assert_eq!(files_label(&one), "a.csv");
    }

    /// Each class of bad input the CLI reports gets a message naming the file, and the row
    /// and column where there is one: the load error, or the warnings and row-level issues of
    /// a file that loads (the e2e test uploads the same classes in the page).
    #[test]
    fn every_class_of_bad_input_is_named() {
        let b = seed_bundle().unwrap();
        let header = "PRG,PL,PR,SK,TS,M11,BD2,Age,Insurance";
        let row = "1,150,70,20,0,30,0.5,40,1";
        let fails = |name: &str, bytes: &[u8], needles: &[&str]| {
            let e = load(name, bytes, Some(b)).expect_err(name).to_string();
            assert!(e.starts_with(&format!("{name}: ")), "{e}");
            for n in needles {
                assert!(e.contains(n), "{name}: `{n}` not in {e}");
            }
        };
        fails("empty.csv", b"", &["empty"]);
        fails(
            "unknown.csv",
            b"a,b,c\n1,2,3\n",
            &["no known format", "PRG, PL, PR"],
        );
        fails(
            "missing.csv",
            b"PRG,PR,SK,TS,M11,BD2,Age\n1,2,3,4,5,6,7\n",
            &["missing required column PL for"],
        );
        fails(
            "binary.csv",
            &(0u8..=255).cycle().take(3000).collect::<Vec<u8>>(),
            &["not text"],
        );
        let mut utf16 = vec![0xFF, 0xFE];
        for u in format!("{header}\n{row}\n").encode_utf16() {
            utf16.extend(u.to_le_bytes());
        }
        fails("utf16.csv", &utf16, &["UTF-16", "CSV UTF-8"]);
        fails("dup.csv", b"PL,pl,PRG,PR,SK,TS,M11,BD2,Age\n", &["PL"]);

        let loads = |name: &str, text: &str| load(name, text.as_bytes(), Some(b)).expect(name);
        let l = loads("header-only.csv", &format!("{header}\n"));
        assert_eq!(l.dataset.rows.len(), 0);
        assert_eq!(
            l.dataset.warnings,
            ["header-only.csv: the file has a header but no rows of data"]
        );
        // Another delimiter is detected, not an error.
        let l = loads(
            "semicolons.csv",
            &format!("{}\n{}\n", header.replace(',', ";"), row.replace(',', ";")),
        );
        assert_eq!(
            (l.delimiter, l.dataset.rows.len(), l.dataset.issues.len()),
            (b';', 1, 0)
        );
        let issue = |l: &Loaded, line: usize, column: Option<&str>, reason: &str| {
            assert!(
                l.dataset.issues.iter().any(|i| i.line == line
                    && i.column.as_deref() == column
                    && i.reason.contains(reason)),
                "no issue on line {line}, column {column:?}, `{reason}`: {:?}",
                l.dataset.issues
            );
        };
        let l = loads(
            "mixed.csv",
            &format!("{header}\n{}\n", row.replace(',', ";")),
        );
        issue(&l, 2, None, "the row has 1 field, the header has 9");
        let l = loads(
            "ragged.csv",
            &format!("{header}\n{row}\n1,150,70\n{row},9,9\n"),
        );
        assert_eq!(l.dataset.rows.len(), 3, "ragged rows are kept");
        issue(&l, 3, None, "the row has 3 fields, the header has 9");
        issue(&l, 4, None, "the row has 11 fields, the header has 9");
        let l = loads(
            "absurd.csv",
            &format!("{header}\n1,1e309,70,20,0,30,0.5,500,1\n-3,150,-70,20,0,30,0.5,40,1\n"),
        );
        issue(&l, 2, Some("PL"), "out of range");
        issue(&l, 2, Some("Age"), "outside the plausible range");
        issue(&l, 3, Some("PRG"), "outside the plausible range");
        issue(&l, 3, Some("PR"), "outside the plausible range");
    }
}
