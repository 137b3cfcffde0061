//! End-to-end tests of the `sepsis-risk` binary with fixtures the tests write themselves
//! (synthetic demo data; the real data sets are never needed).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use sepsis_risk::core::{demo, schema};

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

#[test]
fn train_is_deterministic_and_bundle_predicts_and_evaluates() {
    let dir = workdir("train");
    let data = demo_file(&dir, 400, 1);
    let a = dir.join("a.json");
    let b = dir.join("b.json");
    let c = dir.join("c.json");
    let report = train(&data, &a, 7, &[]);
    assert!(report.contains("Logistic regression"), "{report}");
    assert!(report.contains("Gradient boosting"), "{report}");
    train(&data, &b, 7, &[]);
    train(&data, &c, 8, &[]);
    let (ja, jb, jc) = (
        std::fs::read(&a).unwrap(),
        std::fs::read(&b).unwrap(),
        std::fs::read(&c).unwrap(),
    );
    assert_eq!(
        ja, jb,
        "same data and seed must give a byte-identical bundle"
    );
    assert_ne!(ja, jc, "another seed gives another bundle");

    // predict: every input column unchanged, then the four result columns.
    let test = demo_file(&dir, 50, 2);
    let out = dir.join("pred.csv");
    ok(bin()
        .args(["predict", "--model"])
        .arg(&a)
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
    // Without --output the same CSV goes to standard output.
    let stdout = ok(bin()
        .args(["predict", "--model"])
        .arg(&a)
        .arg("--input")
        .arg(&test));
    assert_eq!(stdout, written);

    // evaluate --json has the documented keys.
    let json = ok(bin()
        .args(["evaluate", "--json", "--model"])
        .arg(&a)
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
    let table = ok(bin()
        .args(["evaluate", "--model"])
        .arg(&a)
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
fn eda_prints_tables_and_json() {
    let dir = workdir("eda");
    let data = demo_file(&dir, 120, 4);
    let text = ok(bin().args(["eda", "--input"]).arg(&data));
    assert!(text.contains("schema `seed`"), "{text}");
    assert!(text.contains("Class balance"), "{text}");
    let json = ok(bin()
        .args(["eda", "--json", "--schema", "seed", "--input"])
        .arg(&data));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["columns"].as_array().unwrap().len(), 9);
}

#[test]
fn bad_input_gives_one_clear_line_and_status_2() {
    let dir = workdir("bad");
    let data = demo_file(&dir, 200, 5);
    let model = dir.join("m.json");
    train(&data, &model, 1, &["--families", "logistic"]);

    let missing = dir.join("nope.csv");
    let e = fails(bin().args(["eda", "--input"]).arg(&missing));
    assert!(e.contains("nope.csv"), "{e}");

    let unterminated = dir.join("quote.csv");
    std::fs::write(&unterminated, "ID,PRG\n1,\"2\n").unwrap();
    let e = fails(
        bin()
            .args(["eda", "--schema", "seed", "--input"])
            .arg(&unterminated),
    );
    assert!(e.contains("quote.csv") && e.contains("line 2"), "{e}");

    let wrong = dir.join("wrong.csv");
    std::fs::write(&wrong, "ID,PRG,PL\n1,2,3\n").unwrap();
    let e = fails(
        bin()
            .args(["predict", "--model"])
            .arg(&model)
            .arg("--input")
            .arg(&wrong),
    );
    assert!(
        e.contains("wrong.csv") && e.contains("PR") && e.contains("missing"),
        "{e}"
    );

    let corrupt = dir.join("corrupt.json");
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
            .arg(&data),
    );
    assert!(
        e.contains("corrupt.json") && e.contains("model bundle"),
        "{e}"
    );

    let json = std::fs::read_to_string(&model).unwrap();
    let future = dir.join("future.json");
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
            .arg(&data),
    );
    assert!(e.contains("format version 99"), "{e}");

    let truncated = dir.join("truncated.json");
    std::fs::write(&truncated, &json[..json.len() / 2]).unwrap();
    let e = fails(
        bin()
            .args(["evaluate", "--model"])
            .arg(&truncated)
            .arg("--input")
            .arg(&data),
    );
    assert!(e.contains("truncated.json"), "{e}");

    let e = fails(
        bin()
            .args(["train", "--data"])
            .arg(&data)
            .arg("--out")
            .arg(dir.join("x.json"))
            .args(["--folds", "1"]),
    );
    assert!(e.contains("folds"), "{e}");
    let e = fails(
        bin()
            .args(["train", "--schema", "nosuch", "--data"])
            .arg(&data)
            .arg("--out")
            .arg(dir.join("x.json")),
    );
    assert!(e.contains("nosuch"), "{e}");

    let unlabelled = dir.join("unlabelled.csv");
    std::fs::write(
        &unlabelled,
        "PRG,PL,PR,SK,TS,M11,BD2,Age\n1,100,70,20,80,30,0.4,30\n",
    )
    .unwrap();
    let e = fails(
        bin()
            .args(["evaluate", "--model"])
            .arg(&model)
            .arg("--input")
            .arg(&unlabelled),
    );
    assert!(e.contains("unlabelled.csv") && e.contains("label"), "{e}");
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

#[test]
fn icu_train_predict_evaluate_on_generated_psv_files() {
    use sepsis_risk::core::bundle::ModelBundle;
    use sepsis_risk::core::csv;

    let dir = workdir("icu");
    let data = icu_demo_dir(&dir, 90, 11);
    let a = dir.join("a.json");
    let b = dir.join("b.json");
    let report: serde_json::Value = serde_json::from_str(&train_icu(&data, &a)).unwrap();
    train_icu(&data, &b);
    let json = std::fs::read_to_string(&a).unwrap();
    assert_eq!(json, std::fs::read_to_string(&b).unwrap(), "deterministic");

    // Patient-level split: every patient is either developed on or held out, never both.
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

    // The model page's threshold table and utility curve share their thresholds.
    let full: serde_json::Value = serde_json::from_str(&json).unwrap();
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

    // predict: patient ID and ICULOS first, one output row per input row, probabilities
    // equal to the library's per-patient series prediction.
    let bundle = ModelBundle::from_json(&json).unwrap();
    let csv_out = ok(bin()
        .args(["predict", "--model"])
        .arg(&a)
        .arg("--input")
        .arg(&data));
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

    // The same patients as one CSV with a patient_id column give the same output.
    let one = dir.join("icu.csv");
    std::fs::write(&one, demo::demo_icu_csv(&icu, 90, 11).unwrap()).unwrap();
    let csv_one = ok(bin()
        .args(["predict", "--model"])
        .arg(&a)
        .arg("--input")
        .arg(&one));
    assert_eq!(csv_one, csv_out);

    // evaluate --json: the core's keys plus the patient-level ones.
    let eval: serde_json::Value = serde_json::from_str(&ok(bin()
        .args(["evaluate", "--json", "--model"])
        .arg(&a)
        .arg("--input")
        .arg(&data)))
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
    // The generated data carries a strong signal: the model must find it.
    assert!(eval["roc_auc"].as_f64().unwrap() > 0.85, "{eval}");
    assert!(eval["utility"].as_f64().unwrap() > 0.3, "{eval}");
    assert!(
        eval["auroc_vs_non_septic"].as_f64().unwrap() > 0.85,
        "{eval}"
    );
    let within = eval["auroc_within_septic"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&within), "{eval}");
}
