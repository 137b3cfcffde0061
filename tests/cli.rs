//! End-to-end tests of the `sepsis-risk` binary with fixtures the tests write themselves
//! (synthetic demo data; the real data sets are never needed). One test per case; the
//! trained models the cases share are trained once per run ([`seed_model`], [`small_model`],
//! [`icu_model`]).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use sepsis_risk::core::bundle::ModelBundle;
use sepsis_risk::core::{csv, demo, schema};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_sepsis-risk"))
}

fn workdir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("cli-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn demo_file(dir: &Path, n: usize, seed: u64) -> PathBuf {
    let s = schema::builtin("seed").unwrap();
    let path = dir.join(format!("demo-{n}-{seed}.csv"));
    std::fs::write(&path, demo::demo_csv(&s, n, seed).unwrap()).unwrap();
    path
}

fn run(cmd: &mut Command) -> Output {
    let out = cmd.output().expect("binary runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "panic: {stderr}");
    out
}

fn ok(cmd: &mut Command) -> String {
    let out = run(cmd);
    assert!(
        out.status.success(),
        "failed: {}\n{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Runs the command, expects exit status 2 and one line on stderr; returns that line.
fn fails(cmd: &mut Command) -> String {
    let out = run(cmd);
    assert_eq!(
        out.status.code(),
        Some(2),
        "stdout: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        stderr.trim_end().lines().count(),
        1,
        "one line expected: {stderr}"
    );
    stderr
}

fn train(data: &Path, out: &Path, seed: u64, extra: &[&str]) -> String {
    let mut c = bin();
    c.args(["train", "--schema", "seed", "--data"])
        .arg(data)
        .arg("--out")
        .arg(out)
        .args([
            "--seed",
            &seed.to_string(),
            "--folds",
            "3",
            "--families",
            "logistic,boosting",
        ])
        .args(["--search", "random", "--n-iter", "2"])
        .args(extra);
    ok(&mut c)
}

/// A model trained once per test run and shared by the tests that only read it.
struct Trained {
    dir: PathBuf,
    data: PathBuf,
    model: PathBuf,
    report: String,
}

/// The seed-schema bundle of the determinism, predict and evaluate tests: 400 demo rows
/// (seed 1), training seed 7, logistic regression and gradient boosting.
fn seed_model() -> &'static Trained {
    static MODEL: OnceLock<Trained> = OnceLock::new();
    MODEL.get_or_init(|| {
        let dir = workdir("train");
        let data = demo_file(&dir, 400, 1);
        let model = dir.join("a.json");
        let report = train(&data, &model, 7, &[]);
        Trained {
            dir,
            data,
            model,
            report,
        }
    })
}

/// The bundle of the bad-input tests: 200 demo rows (seed 5), logistic regression only.
fn small_model() -> &'static Trained {
    static MODEL: OnceLock<Trained> = OnceLock::new();
    MODEL.get_or_init(|| {
        let dir = workdir("bad");
        let data = demo_file(&dir, 200, 5);
        let model = dir.join("m.json");
        let report = train(&data, &model, 1, &["--families", "logistic"]);
        Trained {
            dir,
            data,
            model,
            report,
        }
    })
}

/// 50 demo rows (seed 2) to predict and evaluate with [`seed_model`], in the test's own
/// directory.
fn seed_test_data(name: &str) -> (PathBuf, PathBuf) {
    let dir = workdir(name);
    let test = demo_file(&dir, 50, 2);
    (dir, test)
}

#[test]
fn train_reports_every_family_tried() {
    let report = &seed_model().report;
    assert!(report.contains("Logistic regression"), "{report}");
    assert!(report.contains("Gradient boosting"), "{report}");
}

#[test]
fn train_is_deterministic_for_a_seed() {
    let m = seed_model();
    let b = m.dir.join("b.json");
    let c = m.dir.join("c.json");
    train(&m.data, &b, 7, &[]);
    train(&m.data, &c, 8, &[]);
    let (ja, jb, jc) = (
        std::fs::read(&m.model).unwrap(),
        std::fs::read(&b).unwrap(),
        std::fs::read(&c).unwrap(),
    );
    assert_eq!(
        ja, jb,
        "same data and seed must give a byte-identical bundle"
    );
    assert_ne!(ja, jc, "another seed gives another bundle");
}

/// `predict --output`: every input column unchanged, then the four result columns.
#[test]
fn predict_writes_the_input_columns_then_the_results() {
    let (dir, test) = seed_test_data("predict-output");
    let out = dir.join("pred.csv");
    ok(bin()
        .args(["predict", "--model"])
        .arg(&seed_model().model)
        .arg("--input")
        .arg(&test)
        .arg("--output")
        .arg(&out));
    let written = std::fs::read_to_string(&out).unwrap();
    let input = std::fs::read_to_string(&test).unwrap();
    assert_eq!(written.lines().count(), input.lines().count());
    let header = written.lines().next().unwrap();
    assert_eq!(
        header,
        format!(
            "{},sepsis_probability,sepsis_predicted,risk_band,issues",
            input.lines().next().unwrap()
        )
    );
    for (o, i) in written.lines().zip(input.lines()).skip(1) {
        assert!(o.starts_with(i), "{o} / {i}");
        let rest: Vec<&str> = o[i.len() + 1..].split(',').collect();
        let p: f64 = rest[0].parse().unwrap();
        assert!((0.0..=1.0).contains(&p));
        assert!(rest[1] == "0" || rest[1] == "1");
        assert!(!rest[2].is_empty());
    }
}

/// Without `--output` the same CSV goes to standard output.
#[test]
fn predict_without_output_writes_the_same_csv_to_stdout() {
    let (dir, test) = seed_test_data("predict-stdout");
    let model = &seed_model().model;
    let out = dir.join("pred.csv");
    ok(bin()
        .args(["predict", "--model"])
        .arg(model)
        .arg("--input")
        .arg(&test)
        .arg("--output")
        .arg(&out));
    let written = std::fs::read_to_string(&out).unwrap();
    let stdout = ok(bin()
        .args(["predict", "--model"])
        .arg(model)
        .arg("--input")
        .arg(&test));
    assert_eq!(stdout, written);
}

#[test]
fn evaluate_json_has_the_documented_keys() {
    let (_dir, test) = seed_test_data("evaluate-json");
    let json = ok(bin()
        .args(["evaluate", "--json", "--model"])
        .arg(&seed_model().model)
        .arg("--input")
        .arg(&test));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    for key in [
        "roc_auc",
        "pr_auc",
        "sensitivity",
        "specificity",
        "precision",
        "npv",
        "f1",
        "brier",
        "threshold",
        "n",
    ] {
        assert!(
            v.get(key).is_some_and(|x| x.is_number()),
            "missing {key} in {json}"
        );
    }
    for key in ["tp", "fp", "tn", "fn"] {
        assert!(
            v["confusion"].get(key).is_some_and(|x| x.is_u64()),
            "missing confusion.{key}"
        );
    }
    assert_eq!(v["n"].as_u64(), Some(50));
}

#[test]
fn evaluate_prints_a_metrics_table() {
    let (_dir, test) = seed_test_data("evaluate-table");
    let table = ok(bin()
        .args(["evaluate", "--model"])
        .arg(&seed_model().model)
        .arg("--input")
        .arg(&test));
    assert!(table.contains("sensitivity"), "{table}");
}

#[test]
fn predict_keeps_rows_with_problems_and_explains_them() {
    let dir = workdir("problems");
    let data = demo_file(&dir, 300, 3);
    let model = dir.join("m.json");
    train(&data, &model, 1, &["--families", "logistic"]);
    let input = dir.join("bad.csv");
    std::fs::write(
        &input,
        "ID,PRG,PL,PR,SK,TS,M11,BD2,Age,Insurance,Sepssis,ward\n\
         a1,2,abc,70,20,0,30.1,0.5,40,1,Negative,W1\n\
         a2,2,130,70,20,0,300,0.5,40,1,Positive,W2\n\
         a3,2,130,70\n\
         a4,1,99,0,0,0,25,0.2,22,0,Negative,W3\n",
    )
    .unwrap();
    let out = ok(bin()
        .args(["predict", "--model"])
        .arg(&model)
        .arg("--input")
        .arg(&input));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 5, "{out}");
    assert!(
        lines[0].ends_with("Sepssis,ward,sepsis_probability,sepsis_predicted,risk_band,issues")
    );
    assert!(
        lines[1].starts_with("a1,2,abc,70,20,0,30.1,0.5,40,1,Negative,W1,,,,"),
        "{}",
        lines[1]
    );
    assert!(
        lines[1].contains("PL") && lines[1].contains("not a number"),
        "{}",
        lines[1]
    );
    assert!(
        lines[2].contains("M11") && lines[2].contains("plausible range"),
        "{}",
        lines[2]
    );
    let p: f64 = lines[2].split(',').nth(12).unwrap().parse().unwrap();
    assert!(
        (0.0..=1.0).contains(&p),
        "out-of-range value is imputed, row still scored"
    );
    assert!(lines[3].contains("fields"), "{}", lines[3]);
    assert!(
        lines[4].split(',').nth(15).unwrap().is_empty(),
        "clean row has no issues: {}",
        lines[4]
    );
}

#[test]
fn eda_detects_the_schema_and_prints_tables() {
    let dir = workdir("eda-tables");
    let data = demo_file(&dir, 120, 4);
    let text = ok(bin().args(["eda", "--input"]).arg(&data));
    assert!(text.contains("schema `seed`"), "{text}");
    assert!(text.contains("Class balance"), "{text}");
}

#[test]
fn eda_json_with_a_given_schema_summarises_every_feature() {
    let dir = workdir("eda-json");
    let data = demo_file(&dir, 120, 4);
    let json = ok(bin()
        .args(["eda", "--json", "--schema", "seed", "--input"])
        .arg(&data));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["columns"].as_array().unwrap().len(), 9);
}

/// The schema of a directory of patient files comes from the first file's header, as for
/// one CSV file.
#[test]
fn eda_detects_the_schema_of_a_directory_of_patient_files() {
    let dir = workdir("eda-psv");
    let data = icu_demo_dir(&dir, 5, 3);
    let text = ok(bin().args(["eda", "--input"]).arg(&data));
    assert!(text.contains("schema `icu`"), "{text}");
    let files = std::fs::read_dir(&data).unwrap().count();
    assert_eq!(files, 5);
}

#[test]
fn eda_of_a_missing_file_names_it() {
    let dir = workdir("bad-missing");
    let e = fails(bin().args(["eda", "--input"]).arg(dir.join("nope.csv")));
    assert!(e.contains("nope.csv"), "{e}");
}

#[test]
fn eda_of_an_unterminated_quote_names_the_file_and_line() {
    let dir = workdir("bad-quote");
    let unterminated = dir.join("quote.csv");
    std::fs::write(&unterminated, "ID,PRG\n1,\"2\n").unwrap();
    let e = fails(
        bin()
            .args(["eda", "--schema", "seed", "--input"])
            .arg(&unterminated),
    );
    assert!(e.contains("quote.csv") && e.contains("line 2"), "{e}");
}

#[test]
fn eda_of_a_header_that_fits_no_schema_asks_for_one() {
    let dir = workdir("bad-header");
    let other = dir.join("other.csv");
    std::fs::write(&other, "a,b\n1,2\n").unwrap();
    let e = fails(bin().args(["eda", "--input"]).arg(&other));
    assert!(e.contains("other.csv") && e.contains("--schema"), "{e}");
}

#[test]
fn predict_with_missing_columns_names_them() {
    let m = small_model();
    let wrong = m.dir.join("wrong.csv");
    std::fs::write(&wrong, "ID,PRG,PL\n1,2,3\n").unwrap();
    let e = fails(
        bin()
            .args(["predict", "--model"])
            .arg(&m.model)
            .arg("--input")
            .arg(&wrong),
    );
    assert!(
        e.contains("wrong.csv") && e.contains("PR") && e.contains("missing"),
        "{e}"
    );
}

#[test]
fn predict_with_a_corrupt_bundle_names_the_bundle() {
    let m = small_model();
    let corrupt = m.dir.join("corrupt.json");
    std::fs::write(
        &corrupt,
        "{\"format\": \"sepsis-risk-model\", \"format_version\": 2}",
    )
    .unwrap();
    let e = fails(
        bin()
            .args(["predict", "--model"])
            .arg(&corrupt)
            .arg("--input")
            .arg(&m.data),
    );
    assert!(
        e.contains("corrupt.json") && e.contains("model bundle"),
        "{e}"
    );
}

#[test]
fn predict_with_a_future_bundle_format_names_the_version() {
    let m = small_model();
    let json = std::fs::read_to_string(&m.model).unwrap();
    let future = m.dir.join("future.json");
    std::fs::write(
        &future,
        json.replacen("\"format_version\":2", "\"format_version\":99", 1),
    )
    .unwrap();
    let e = fails(
        bin()
            .args(["predict", "--model"])
            .arg(&future)
            .arg("--input")
            .arg(&m.data),
    );
    assert!(e.contains("format version 99"), "{e}");
}

#[test]
fn evaluate_with_a_truncated_bundle_names_it() {
    let m = small_model();
    let json = std::fs::read_to_string(&m.model).unwrap();
    let truncated = m.dir.join("truncated.json");
    std::fs::write(&truncated, &json[..json.len() / 2]).unwrap();
    let e = fails(
        bin()
            .args(["evaluate", "--model"])
            .arg(&truncated)
            .arg("--input")
            .arg(&m.data),
    );
    assert!(e.contains("truncated.json"), "{e}");
}

#[test]
fn evaluate_of_unlabelled_data_says_the_label_is_missing() {
    let m = small_model();
    let unlabelled = m.dir.join("unlabelled.csv");
    std::fs::write(
        &unlabelled,
        "PRG,PL,PR,SK,TS,M11,BD2,Age\n1,100,70,20,80,30,0.4,30\n",
    )
    .unwrap();
    let e = fails(
        bin()
            .args(["evaluate", "--model"])
            .arg(&m.model)
            .arg("--input")
            .arg(&unlabelled),
    );
    assert!(e.contains("unlabelled.csv") && e.contains("label"), "{e}");
}

#[test]
fn train_with_one_fold_names_the_folds_option() {
    let dir = workdir("bad-folds");
    let data = demo_file(&dir, 200, 5);
    let e = fails(
        bin()
            .args(["train", "--data"])
            .arg(&data)
            .arg("--out")
            .arg(dir.join("x.json"))
            .args(["--folds", "1"]),
    );
    assert!(e.contains("folds"), "{e}");
}

#[test]
fn train_with_an_unknown_schema_names_it() {
    let dir = workdir("bad-schema");
    let data = demo_file(&dir, 200, 5);
    let e = fails(
        bin()
            .args(["train", "--schema", "nosuch", "--data"])
            .arg(&data)
            .arg("--out")
            .arg(dir.join("x.json")),
    );
    assert!(e.contains("nosuch"), "{e}");
}

/// An unknown choice is clap's error (message, usage, exit status 2): nothing is read or
/// written.
#[test]
fn train_with_an_unknown_choice_is_an_argument_error() {
    let dir = workdir("bad-choice");
    let out = dir.join("x.json");
    for (option, value) in [
        ("--metric", "accuracy"),
        ("--balance", "smote:0"),
        ("--families", "logistic,svm"),
    ] {
        let o = run(bin()
            .args(["train", "--data", "nope.csv", "--out"])
            .arg(&out)
            .args([option, value]));
        assert_eq!(o.status.code(), Some(2));
        let stderr = String::from_utf8(o.stderr).unwrap();
        assert!(
            stderr.contains("invalid value") && stderr.contains(option),
            "{stderr}"
        );
        assert!(!out.exists());
    }
}

#[test]
fn train_help_lists_the_choices() {
    let help = ok(bin().args(["train", "--help"]));
    for text in [
        "roc_auc", "pr_auc", "one-se", "isotonic", "smote:K", "under:R",
    ] {
        assert!(help.contains(text), "{text} not in\n{help}");
    }
}

/// Writes `n` generated ICU stays as one `.psv` file per patient with the CLI's demo command.
fn icu_demo_dir(dir: &Path, n: usize, seed: u64) -> PathBuf {
    let out = dir.join(format!("icu-{n}-{seed}"));
    ok(bin()
        .args(["demo", "--schema", "icu", "--rows", &n.to_string()])
        .args(["--seed", &seed.to_string(), "--psv-dir"])
        .arg(&out));
    out
}

fn train_icu(data: &Path, out: &Path) -> String {
    ok(bin()
        .args(["train", "--schema", "icu", "--data"])
        .arg(data)
        .arg("--out")
        .arg(out)
        .args(["--folds", "3", "--families", "logistic,boosting"])
        .args(["--search", "random", "--n-iter", "1", "--json"]))
}

/// 90 generated ICU stays (seed 11) as `.psv` files, and the bundle trained on them.
struct Icu {
    dir: PathBuf,
    data: PathBuf,
    model: PathBuf,
    /// The bundle's JSON.
    json: String,
    /// `train --json`'s report.
    report: serde_json::Value,
}

fn icu_model() -> &'static Icu {
    static ICU: OnceLock<Icu> = OnceLock::new();
    ICU.get_or_init(|| {
        let dir = workdir("icu");
        let data = icu_demo_dir(&dir, 90, 11);
        let model = dir.join("a.json");
        let report = serde_json::from_str(&train_icu(&data, &model)).unwrap();
        let json = std::fs::read_to_string(&model).unwrap();
        Icu {
            dir,
            data,
            model,
            json,
            report,
        }
    })
}

fn icu_predict(input: &Path) -> String {
    ok(bin()
        .args(["predict", "--model"])
        .arg(&icu_model().model)
        .arg("--input")
        .arg(input))
}

#[test]
fn icu_training_is_deterministic() {
    let icu = icu_model();
    let b = icu.dir.join("b.json");
    train_icu(&icu.data, &b);
    assert_eq!(
        icu.json,
        std::fs::read_to_string(&b).unwrap(),
        "deterministic"
    );
}

/// Patient-level split: every patient is either developed on or held out, never both; the
/// utility rule sets the shipped threshold; hours are under-sampled to 10 per positive.
#[test]
fn icu_training_splits_by_patient_and_ships_the_utility_threshold() {
    let report = &icu_model().report;
    let ts = &report["time_series"];
    assert_eq!(ts["patients"], 90);
    assert_eq!(
        ts["development_patients"].as_u64().unwrap() + ts["test_patients"].as_u64().unwrap(),
        90
    );
    assert_eq!(ts["features"], 212);
    let options = report["threshold_policy"]["options"].as_array().unwrap();
    let names: Vec<&str> = options
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["utility", "sensitivity"]);
    assert_eq!(options[0]["default"], true, "utility is the default rule");
    assert_eq!(report["threshold"], options[0]["threshold"]);
    assert_eq!(
        report["training"]["config"]["balance"]["UnderRatio"]["ratio"],
        10
    );
}

/// The model page's threshold table and utility curve share their thresholds.
#[test]
fn icu_threshold_table_and_utility_curve_share_thresholds() {
    let full: serde_json::Value = serde_json::from_str(&icu_model().json).unwrap();
    let table: Vec<f64> = full["curves"]["thresholds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["threshold"].as_f64().unwrap())
        .collect();
    let curve: Vec<f64> = full["time_series"]["utility_curve"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p[0].as_f64().unwrap())
        .collect();
    assert_eq!(table, curve);
    assert!(
        table.len() > 101,
        "quantile thresholds added to the 0.01 grid"
    );
}

/// predict: patient ID and ICULOS first, one output row per input row, probabilities equal
/// to the library's per-patient series prediction.
#[test]
fn icu_predict_matches_the_librarys_series_prediction() {
    let icu_fixture = icu_model();
    let bundle = ModelBundle::from_json(&icu_fixture.json).unwrap();
    let csv_out = icu_predict(&icu_fixture.data);
    let table = csv::parse(csv_out.as_bytes()).unwrap();
    assert_eq!(&table.header[..3], ["patient_id", "ICULOS", "HR"]);
    assert_eq!(
        &table.header[table.header.len() - 4..],
        [
            "sepsis_probability",
            "sepsis_predicted",
            "risk_band",
            "issues"
        ]
    );
    let icu = schema::builtin("icu").unwrap();
    let patients = demo::demo_icu_patients(&icu, 90, 11).unwrap();
    let total: usize = patients.iter().map(|p| p.psv.lines().count() - 1).sum();
    assert_eq!(table.records.len(), total);
    let p = &patients[7];
    let rows: Vec<Vec<f64>> = p
        .psv
        .lines()
        .skip(1)
        .map(|l| {
            l.split('|')
                .take(40)
                .map(|v| v.parse::<f64>().unwrap())
                .collect()
        })
        .collect();
    let refs: Vec<&[f64]> = rows.iter().map(Vec::as_slice).collect();
    let expected = bundle.predict_series(&refs).unwrap();
    let got: Vec<&Vec<String>> = table
        .records
        .iter()
        .map(|r| &r.fields)
        .filter(|f| f[0] == p.id)
        .collect();
    assert_eq!(got.len(), expected.len());
    let prob_col = table.header.len() - 4;
    for (f, e) in got.iter().zip(&expected) {
        assert_eq!(f[prob_col], format!("{:.6}", e.probability));
    }
}

/// The same patients as one CSV with a patient_id column give the same output.
#[test]
fn icu_predict_gives_the_same_output_for_patient_files_and_one_csv() {
    let icu_fixture = icu_model();
    let icu = schema::builtin("icu").unwrap();
    let dir = workdir("icu-one-csv");
    let one = dir.join("icu.csv");
    std::fs::write(&one, demo::demo_icu_csv(&icu, 90, 11).unwrap()).unwrap();
    assert_eq!(icu_predict(&one), icu_predict(&icu_fixture.data));
}

/// evaluate --json: the core's keys plus the patient-level ones; the generated data carries
/// a strong signal, which the model must find.
#[test]
fn icu_evaluate_reports_patient_level_results() {
    let icu = icu_model();
    let eval: serde_json::Value = serde_json::from_str(&ok(bin()
        .args(["evaluate", "--json", "--model"])
        .arg(&icu.model)
        .arg("--input")
        .arg(&icu.data)))
    .unwrap();
    for key in [
        "roc_auc",
        "sensitivity",
        "utility",
        "patients",
        "septic_patients",
        "detected_patients",
        "alerts_per_patient_day",
        "median_hours_early",
        "auroc_vs_non_septic",
        "auroc_within_septic",
    ] {
        assert!(eval.get(key).is_some(), "missing {key}: {eval}");
    }
    assert_eq!(eval["patients"], 90);
    assert!(eval["roc_auc"].as_f64().unwrap() > 0.85, "{eval}");
    assert!(eval["utility"].as_f64().unwrap() > 0.3, "{eval}");
    assert!(
        eval["auroc_vs_non_septic"].as_f64().unwrap() > 0.85,
        "{eval}"
    );
    let within = eval["auroc_within_septic"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&within), "{eval}");
}

/// A feature export in the format of `examples/export_icu_features.rs`: 400 rows of 3
/// features for 40 patients (10 hours each), labels from feature 0, folds by patient.
fn feature_export(dir: &Path) -> PathBuf {
    let prefix = dir.join("m");
    let mut x = Vec::new();
    let mut rows = String::new();
    for r in 0..400usize {
        let p = r / 10;
        let a = ((r * 37) % 101) as f32 / 10.0;
        let b = if r % 9 == 0 {
            f32::NAN
        } else {
            (r % 13) as f32
        };
        for v in [a, b, (p % 3) as f32] {
            x.extend_from_slice(&v.to_le_bytes());
        }
        let label = if r % 50 == 16 { -1 } else { i32::from(a > 6.0) };
        rows.push_str(&format!("{p},{label},{}\n", p % 5));
    }
    std::fs::write(prefix.with_extension("features.f32"), x).unwrap();
    std::fs::write(prefix.with_extension("features.txt"), "a\nb\nc").unwrap();
    std::fs::write(prefix.with_extension("rows.csv"), rows).unwrap();
    prefix
}

#[test]
fn fit_reports_one_fixed_candidate_on_an_exported_matrix() {
    let dir = workdir("fit");
    let prefix = feature_export(&dir);
    let out = dir.join("model.json");
    let fit = |family: &str, params: &[&str]| {
        let mut cmd = bin();
        cmd.args(["fit", "--matrix"]).arg(&prefix);
        cmd.args(["--family", family, "--holdout-fold", "1", "--out"])
            .arg(&out);
        for p in params {
            cmd.args(["--param", p]);
        }
        let json: serde_json::Value = serde_json::from_str(&ok(&mut cmd)).unwrap();
        json
    };
    let r = fit("boosting", &["n_estimators=20", "max_depth=2"]);
    // Fold 1 holds patients 1, 6, ..., 36: 80 rows, 8 of them unlabelled (left out).
    assert_eq!(r["test_rows"], 72);
    assert_eq!(r["train_rows"], 320);
    assert_eq!(r["columns"], 3);
    // The label is a threshold on feature 0: a separable problem.
    assert!(r["test_roc_auc"].as_f64().unwrap() > 0.99, "{r}");
    let model: sepsis_risk::core::models::Model =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(model.n_features(), 3);
    assert!(
        fit("forest", &["n_trees=5"])["test_roc_auc"]
            .as_f64()
            .unwrap()
            > 0.9
    );
    let mut bad = bin();
    bad.args(["fit", "--matrix"]).arg(&prefix);
    bad.args(["--family", "boosting", "--param", "depth=3"]);
    assert!(fails(&mut bad).contains("depth"));
    std::fs::write(prefix.with_extension("features.txt"), "a\nb").unwrap();
    let mut short = bin();
    short.args(["fit", "--matrix"]).arg(&prefix);
    short.args(["--family", "boosting"]);
    assert!(fails(&mut short).contains("m.features.f32"));
}

/// `sepsis-risk predict --model MODEL --input INPUT` (more arguments may follow).
fn predict_cmd(model: &Path, input: &Path) -> Command {
    let mut c = bin();
    c.args(["predict", "--model"])
        .arg(model)
        .arg("--input")
        .arg(input);
    c
}

/// `evaluate` streams one patient file at a time; the figures equal those of the same
/// patients read as one CSV (read whole).
#[test]
fn icu_evaluate_gives_the_same_figures_for_patient_files_and_one_csv() {
    let icu_fixture = icu_model();
    let icu = schema::builtin("icu").unwrap();
    let dir = workdir("icu-evaluate-one-csv");
    let one = dir.join("icu.csv");
    std::fs::write(&one, demo::demo_icu_csv(&icu, 90, 11).unwrap()).unwrap();
    let eval = |input: &Path| {
        ok(bin()
            .args(["evaluate", "--json", "--model"])
            .arg(&icu_fixture.model)
            .arg("--input")
            .arg(input))
    };
    assert_eq!(eval(&one), eval(&icu_fixture.data));
}

/// One CSV is read, scored and written in blocks: with blocks of a few hundred bytes (many
/// part boundaries, inside rows and quoted fields) predict and evaluate give what one block
/// gives, for one row per person (duplicates and bad rows included) and for hourly data.
#[test]
fn predict_and_evaluate_stream_one_csv_in_blocks() {
    let dir = workdir("blocks");
    let seed = schema::builtin("seed").unwrap();
    let text = demo::demo_csv(&seed, 300, 5).unwrap();
    let second = text.lines().nth(2).unwrap().to_string();
    let seed_csv = dir.join("seed.csv");
    std::fs::write(&seed_csv, format!("{text}{second}\n\"a,b\",1,2\n")).unwrap();
    let icu = schema::builtin("icu").unwrap();
    let icu_csv = dir.join("icu.csv");
    std::fs::write(&icu_csv, demo::demo_icu_csv(&icu, 30, 4).unwrap()).unwrap();
    for (model, csv) in [
        (&seed_model().model, &seed_csv),
        (&icu_model().model, &icu_csv),
    ] {
        let outputs: Vec<(String, String)> = ["4194304", "333", "17"]
            .iter()
            .map(|block| {
                let mut p = predict_cmd(model, csv);
                let mut e = bin();
                e.args(["evaluate", "--json", "--model"])
                    .arg(model)
                    .arg("--input")
                    .arg(csv);
                for c in [&mut p, &mut e] {
                    c.env("SEPSIS_RISK_BLOCK_BYTES", block);
                }
                (ok(&mut p), ok(&mut e))
            })
            .collect();
        assert!(outputs[0].0.contains("duplicate ID") || csv == &icu_csv);
        assert!(outputs[0].0.lines().count() > 30);
        assert_eq!(outputs[1], outputs[0]);
        assert_eq!(outputs[2], outputs[0]);
    }
    // Hourly rows of a patient that start again after another patient's: refused, named.
    let text = std::fs::read_to_string(&icu_csv).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    let moved = lines.remove(2);
    lines.push(moved);
    let scattered = dir.join("scattered.csv");
    std::fs::write(&scattered, lines.join("\n") + "\n").unwrap();
    let e = fails(&mut predict_cmd(&icu_model().model, &scattered));
    assert!(
        e.contains("start again") && e.contains("scattered.csv"),
        "{e}"
    );
}

fn predict_to(out: &Path) -> Output {
    let (_, test) = seed_test_data("predict-targets");
    run(bin()
        .args(["predict", "--model"])
        .arg(&seed_model().model)
        .arg("--input")
        .arg(&test)
        .arg("--output")
        .arg(out))
}

/// `--output` replaces only a regular writable file, through a uniquely named temporary file
/// in the same folder; anything else at the path is refused with a message naming it and left
/// as it was, and a file named like the old fixed temporary name is never touched.
#[cfg(unix)]
#[test]
fn output_replaces_only_regular_writable_files() {
    use std::os::unix::fs::PermissionsExt;
    let dir = workdir("output-targets");
    let refused = |path: &Path, what: &str| {
        let out = predict_to(path);
        assert_eq!(out.status.code(), Some(2), "{}", path.display());
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(err.contains(what) && err.contains("refusing"), "{err}");
        assert!(err.contains(&path.display().to_string()), "{err}");
    };
    // A symbolic link (to a file the user owns): neither the link nor its target changes.
    let target = dir.join("precious.txt");
    std::fs::write(&target, "keep me").unwrap();
    let link = dir.join("link.csv");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    refused(&link, "symbolic link");
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep me");
    // A read-only file.
    let ro = dir.join("read-only.csv");
    std::fs::write(&ro, "old").unwrap();
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o444)).unwrap();
    refused(&ro, "read-only");
    assert_eq!(std::fs::read_to_string(&ro).unwrap(), "old");
    // A directory and a FIFO.
    let sub = dir.join("folder.csv");
    std::fs::create_dir(&sub).unwrap();
    refused(&sub, "directory");
    let fifo = dir.join("fifo.csv");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if made.is_ok_and(|s| s.success()) {
        refused(&fifo, "not a regular file");
        assert!(!std::fs::symlink_metadata(&fifo).unwrap().is_file());
    }
    // A regular file is replaced; a file with the old fixed temporary name is left alone,
    // and no temporary file is left behind.
    let out = dir.join("pred.csv");
    std::fs::write(&out, "old").unwrap();
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o640)).unwrap();
    let bystander = dir.join("pred.tmp-sepsis-risk");
    std::fs::write(&bystander, "not ours").unwrap();
    assert!(predict_to(&out).status.success());
    assert!(std::fs::read_to_string(&out).unwrap().starts_with("ID,"));
    assert_eq!(std::fs::read_to_string(&bystander).unwrap(), "not ours");
    let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640, "the replaced file keeps its permissions");
    let left: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("sepsis-risk-tmp"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
    // A failed run (a model that does not load) leaves an existing output untouched.
    let bad = run(predict_cmd(&target, &target).arg("--output").arg(&out));
    assert_eq!(bad.status.code(), Some(2));
    assert!(std::fs::read_to_string(&out).unwrap().starts_with("ID,"));
}

/// The bad-input probe's findings (issue 16), one case each.
#[test]
fn exported_ids_and_labels_cannot_start_a_spreadsheet_formula() {
    let m = small_model();
    let input = m.dir.join("formulas.csv");
    std::fs::write(
        &input,
        "ID,PRG,PL,PR,SK,TS,M11,BD2,Age,Insurance,Sepssis\n\
         \"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",1,100,70,20,80,30,0.4,30,1,Positive\n\
         +1+1,1,100,70,20,80,30,0.4,30,1,Negative\n\
         -2+3,1,100,70,20,80,30,0.4,30,1,@SUM(A1)\n",
    )
    .unwrap();
    let out = ok(&mut predict_cmd(&m.model, &input));
    let t = csv::parse(out.as_bytes()).unwrap();
    let ids: Vec<&str> = t.records.iter().map(|r| r.fields[0].as_str()).collect();
    assert_eq!(ids, ["'=HYPERLINK(\"http://x\",\"y\")", "'+1+1", "'-2+3"]);
    assert_eq!(t.records[2].fields[10], "'@SUM(A1)");
    // Numbers stay numbers, negative ones included.
    assert_eq!(t.records[0].fields[1], "1");
    for r in &t.records {
        for f in &r.fields {
            assert!(
                !f.starts_with(['=', '+', '-', '@', '\t', '\r']) || f.parse::<f64>().is_ok(),
                "{f}"
            );
        }
    }
}

#[test]
fn a_number_too_large_is_out_of_range_not_not_a_number() {
    let m = small_model();
    let input = m.dir.join("huge.csv");
    std::fs::write(
        &input,
        "ID,PRG,PL,PR,SK,TS,M11,BD2,Age,Insurance\nx1,1e309,100,70,20,80,30,0.5,40,1\n",
    )
    .unwrap();
    let out = ok(&mut predict_cmd(&m.model, &input));
    assert!(out.contains("PRG: \"\"1e309\"\" is out of range"), "{out}");
}

#[test]
fn a_bundle_field_of_the_wrong_type_says_so() {
    let m = small_model();
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&m.model).unwrap()).unwrap();
    v["format_version"] = serde_json::json!("1");
    let path = m.dir.join("string-version.json");
    std::fs::write(&path, v.to_string()).unwrap();
    let e = fails(&mut predict_cmd(&path, &m.data));
    assert!(e.contains("\"format_version\" has the wrong type"), "{e}");
    assert!(e.contains("found a string"), "{e}");
}

#[test]
fn a_bundle_whose_bands_disagree_with_its_threshold_is_refused() {
    let m = small_model();
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&m.model).unwrap()).unwrap();
    // The alert threshold moved without its bands: "high" would no longer mean "alert".
    let t = v["threshold"].as_f64().unwrap();
    v["threshold"] = serde_json::json!(t / 2.0);
    let path = m.dir.join("bands.json");
    std::fs::write(&path, v.to_string()).unwrap();
    let e = fails(&mut predict_cmd(&path, &m.data));
    assert!(e.contains("bands.json") && e.contains("risk bands"), "{e}");
}

#[test]
fn demo_rows_are_bounded_with_a_clear_error() {
    for (schema, rows) in [("seed", "99999999999999"), ("icu", "100001")] {
        let e = fails(bin().args(["demo", "--schema", schema, "--rows", rows]));
        assert!(e.contains("--rows") && e.contains("at most"), "{e}");
    }
    let e = fails(bin().args(["demo", "--rows", "18446744073709551615"]));
    assert!(e.contains("at most"), "{e}");
}

#[test]
fn a_huge_header_gives_a_short_message() {
    let m = small_model();
    let input = m.dir.join("wide-header.csv");
    let header: Vec<String> = (0..200_000).map(|i| format!("column{i}")).collect();
    std::fs::write(&input, header.join(",") + "\n").unwrap();
    let e = fails(&mut predict_cmd(&m.model, &input));
    assert!(e.contains("missing required column"), "{e}");
    assert!(e.len() < 1000, "{} characters", e.len());
    assert!(e.contains("more characters"), "{e}");
}

#[test]
fn files_that_are_not_psv_in_an_icu_folder_are_listed() {
    let icu = icu_model();
    let dir = workdir("icu-with-strays");
    let data = icu_demo_dir(&dir, 3, 4);
    std::fs::write(data.join("notes.txt"), "not a stay").unwrap();
    std::fs::write(data.join("p9.csv"), "HR\n1\n").unwrap();
    let out = run(&mut predict_cmd(&icu.model, &data));
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("skipped 2 files that are not .psv patient files")
            && err.contains("notes.txt")
            && err.contains("p9.csv"),
        "{err}"
    );
    let empty = dir.join("only-strays");
    std::fs::create_dir_all(&empty).unwrap();
    std::fs::write(empty.join("a.txt"), "x").unwrap();
    let e = fails(&mut predict_cmd(&icu.model, &empty));
    assert!(
        e.contains("no .psv files found") && e.contains("a.txt"),
        "{e}"
    );
}

/// No risk without evidence, end to end: a seed row with every feature blank, and an ICU file
/// with only ICULOS, are written with no probability and the reason in the issues column;
/// the absent columns are a warning on stderr.
#[test]
fn rows_without_evidence_are_flagged_not_scored() {
    let m = small_model();
    let input = m.dir.join("blank-row.csv");
    std::fs::write(
        &input,
        "ID,PRG,PL,PR,SK,TS,M11,BD2,Age,Insurance\nb1,,,,,,,,,\nb2,1,120,70,20,80,30,0.5,40,1\n",
    )
    .unwrap();
    let out = ok(&mut predict_cmd(&m.model, &input));
    let t = csv::parse(out.as_bytes()).unwrap();
    let p = t
        .header
        .iter()
        .position(|h| h == "sepsis_probability")
        .unwrap();
    let issues = t.header.len() - 1;
    assert_eq!(t.records[0].fields[p], "");
    assert!(
        t.records[0].fields[issues].contains("no risk given"),
        "{out}"
    );
    assert!(!t.records[1].fields[p].is_empty());

    let icu = icu_model();
    let dir = workdir("icu-no-evidence");
    std::fs::write(dir.join("p1.psv"), "ICULOS|SepsisLabel\n1|0\n2|0\n").unwrap();
    let run_out = run(&mut predict_cmd(&icu.model, &dir));
    assert!(run_out.status.success());
    let err = String::from_utf8_lossy(&run_out.stderr);
    assert!(err.contains("39 columns are absent (HR, O2Sat"), "{err}");
    assert!(err.contains("0 predicted"), "{err}");
    let t = csv::parse(&run_out.stdout).unwrap();
    let p = t
        .header
        .iter()
        .position(|h| h == "sepsis_probability")
        .unwrap();
    assert!(t.records.iter().all(|r| r.fields[p].is_empty()));
    assert!(
        t.records
            .iter()
            .all(|r| r.fields.last().unwrap().contains("vital sign"))
    );
}

#[test]
fn recalibrate_writes_a_bundle_with_its_parent_and_the_figures_before_and_after() {
    let t = seed_model();
    let dir = workdir("recalibrate");
    let local = demo_file(&dir, 300, 9);
    let out = dir.join("local.json");
    let recal = |out: &Path, extra: &[&str]| {
        let mut c = bin();
        c.args(["recalibrate", "--model"])
            .arg(&t.model)
            .arg("--data")
            .arg(&local)
            .arg("--out")
            .arg(out)
            .args(extra);
        ok(&mut c)
    };
    let report = recal(&out, &[]);
    for needle in [
        "before",
        "after (cross-fitted)",
        "ECE",
        "Brier score",
        "sensitivity",
        "PPV",
        "300 rows read",
        "not a medical device",
    ] {
        assert!(report.contains(needle), "`{needle}` not in:\n{report}");
    }
    let parent_json = std::fs::read_to_string(&t.model).unwrap();
    let json = std::fs::read_to_string(&out).unwrap();
    let b = ModelBundle::from_json(&json).unwrap();
    let r = b.recalibration.as_ref().expect("a recalibration record");
    assert_eq!(
        r.parent_sha256,
        sepsis_risk::core::train::sha256_hex(parent_json.as_bytes())
    );
    assert_eq!(r.local.source, "demo-300-9.csv");
    assert_eq!(r.local.rows_in_file, 300);
    // The same bundle as the core's recalibration of the same data (the page's path).
    let parent = ModelBundle::from_json(&parent_json).unwrap();
    let bytes = std::fs::read(&local).unwrap();
    let ds = sepsis_risk::core::files::read_files(
        &[("demo-300-9.csv".to_string(), bytes.clone())],
        &parent.schema,
        "demo-300-9.csv",
    )
    .unwrap();
    let source = sepsis_risk::core::train::SourceInfo {
        name: "demo-300-9.csv".into(),
        sha256: sepsis_risk::core::train::sha256_hex(&bytes),
    };
    let core = sepsis_risk::core::train::recalibrate(
        &parent,
        &ds,
        &source,
        &sepsis_risk::core::train::RecalibrateConfig::default(),
    )
    .unwrap();
    assert_eq!(core.to_json().unwrap(), json, "CLI and core differ");
    // Deterministic; JSON report; the new bundle predicts.
    let again = dir.join("again.json");
    recal(&again, &[]);
    assert_eq!(std::fs::read_to_string(&again).unwrap(), json);
    let v: serde_json::Value = serde_json::from_str(&recal(
        &dir.join("iso.json"),
        &["--method", "isotonic", "--json"],
    ))
    .unwrap();
    for key in ["parent_sha256", "method", "local", "before", "after", "out"] {
        assert!(v.get(key).is_some(), "no `{key}` in {v}");
    }
    assert_eq!(v["method"], "isotonic");
    assert!(v["after"]["ece"].is_number() && v["before"]["metrics"]["sensitivity"].is_number());
    ok(bin()
        .args(["predict", "--model"])
        .arg(&out)
        .arg("--input")
        .arg(&local)
        .arg("--output")
        .arg(dir.join("results.csv")));
}

#[test]
fn recalibrate_refuses_to_replace_its_input_bundle_and_names_bad_options() {
    let t = small_model();
    let dir = workdir("recalibrate-bad");
    let model = dir.join("m.json");
    std::fs::copy(&t.model, &model).unwrap();
    let before = std::fs::read(&model).unwrap();
    let e = fails(
        bin()
            .args(["recalibrate", "--model"])
            .arg(&model)
            .arg("--data")
            .arg(&t.data)
            .arg("--out")
            .arg(&model),
    );
    assert!(
        e.contains("is the input bundle: refusing to replace it"),
        "{e}"
    );
    assert_eq!(std::fs::read(&model).unwrap(), before);
    let e = fails(
        bin()
            .args(["recalibrate", "--model"])
            .arg(&model)
            .arg("--data")
            .arg(&t.data)
            .arg("--out")
            .arg(dir.join("n.json"))
            .args(["--folds", "1"]),
    );
    assert!(e.contains("folds") && e.contains("2 to 50"), "{e}");
    assert!(!dir.join("n.json").exists());
}

/// A labelled CSV in a format of its own: an ID, age, lactate (-1 = not measured), a ward
/// (categorical, text) and a text outcome, with a learnable signal (deterministic).
fn own_format_csv(rows: usize) -> String {
    let mut s = String::from("mrn;age;lactate;ward;outcome\n");
    for i in 0..rows {
        let age = 20 + (i * 7) % 60;
        let lactate = ((i * 13) % 50) as f64 / 10.0;
        let noise = ((i * 37) % 11) as f64 / 5.0;
        let died = lactate + age as f64 / 30.0 + noise > 5.5;
        let lactate_text = if i % 17 == 0 {
            "-1".to_string()
        } else {
            format!("{lactate:.1}")
        };
        s.push_str(&format!(
            "H{i:04};{age};{lactate_text};{};{}\n",
            ["north", "south", "east"][i % 3],
            if died { "died" } else { "survived" }
        ));
    }
    s
}

const OWN_ROLES: &str = r#"{
  "format": "sepsis-risk-roles", "version": 1, "name": "ward-b", "title": "Ward B export",
  "label": { "column": "outcome", "positive": ["died"] },
  "id": "mrn",
  "features": [
    { "column": "age", "type": "numeric", "min": 0, "max": 120, "unit": "years" },
    { "column": "lactate", "type": "numeric", "missing": [-1], "unit": "mmol/L" },
    { "column": "ward", "type": "categorical" }
  ]
}
"#;

#[test]
fn train_with_a_roles_file_reads_a_csv_of_any_format_and_predict_uses_its_bundle() {
    let dir = workdir("roles");
    let data = dir.join("ward-b.csv");
    std::fs::write(&data, own_format_csv(300)).unwrap();
    let roles = dir.join("roles.json");
    std::fs::write(&roles, OWN_ROLES).unwrap();
    let out = dir.join("ward-b.json");
    let train = |out: &Path| {
        ok(bin()
            .args(["train", "--roles"])
            .arg(&roles)
            .arg("--data")
            .arg(&data)
            .arg("--out")
            .arg(out)
            .args(["--families", "logistic", "--folds", "3"]))
    };
    train(&out);
    let json = std::fs::read_to_string(&out).unwrap();
    let b = sepsis_risk::core::bundle::ModelBundle::from_json(&json).unwrap();
    assert_eq!(b.schema.name, "ward-b");
    assert_eq!(b.schema.label.negative, vec!["survived".to_string()]);
    assert!(b.oof_metrics.roc_auc > 0.7, "{}", b.oof_metrics.roc_auc);
    assert!(b.model_card.training_data.contains("ward-b.csv"));
    // Deterministic: the same roles, data and seed give the same bundle.
    let again = dir.join("again.json");
    train(&again);
    assert_eq!(std::fs::read(&again).unwrap(), json.as_bytes());
    // The bundle carries its schema: predict reads the same format without the roles file.
    let results = dir.join("results.csv");
    ok(bin()
        .args(["predict", "--model"])
        .arg(&out)
        .arg("--input")
        .arg(&data)
        .arg("--output")
        .arg(&results));
    let text = std::fs::read_to_string(&results).unwrap();
    assert_eq!(text.lines().count(), 301);
    assert!(text.lines().nth(1).unwrap().starts_with("H0000"));
}

#[test]
fn a_bad_roles_file_is_named_with_its_problem() {
    let dir = workdir("roles-bad");
    let data = dir.join("ward-b.csv");
    std::fs::write(&data, own_format_csv(40)).unwrap();
    for (name, text, expected) in [
        (
            "typo.json",
            OWN_ROLES.replace("\"lactate\", \"type\"", "\"lactat\", \"type\""),
            "column `lactat` is not in",
        ),
        (
            "version.json",
            OWN_ROLES.replace("\"version\": 1", "\"version\": 3"),
            "version 3",
        ),
        (
            "broken.json",
            OWN_ROLES[..40].to_string(),
            "not a valid roles file",
        ),
    ] {
        let roles = dir.join(name);
        std::fs::write(&roles, text).unwrap();
        let e = fails(
            bin()
                .args(["train", "--roles"])
                .arg(&roles)
                .arg("--data")
                .arg(&data)
                .arg("--out")
                .arg(dir.join("m.json")),
        );
        assert!(e.contains(name) && e.contains(expected), "{name}: {e}");
        assert!(!dir.join("m.json").exists());
    }
    // --roles and --schema together are refused (a usage error).
    let out = run(bin()
        .args(["train", "--schema", "seed", "--roles"])
        .arg(dir.join("typo.json"))
        .arg("--data")
        .arg(&data)
        .arg("--out")
        .arg(dir.join("m.json")));
    let e = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{e}");
    assert!(
        e.contains("'--schema <SCHEMA>' cannot be used with '--roles <ROLES>'"),
        "{e}"
    );
}
