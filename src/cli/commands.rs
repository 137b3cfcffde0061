//! The four subcommands: each reads its inputs, calls the core, and presents the result.

use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};

use crate::core::bundle::{ModelBundle, TimeSeriesReport};
use crate::core::config::TrainConfig;
use crate::core::dataset::{Dataset, Severity};
use crate::core::eda::{self, EdaReport};
use crate::core::metrics::Metrics;
use crate::core::models::Family;
use crate::core::predict;
use crate::core::sampling::Balance;
use crate::core::schema;
use crate::core::search::Strategy;
use crate::core::train::{self, Progress, SourceInfo};
use crate::core::utility::IcuEvaluation;

use super::io;
use super::table::{Table, num};
use super::{CliError, CliResult, DemoArgs, EdaArgs, EvaluateArgs, PredictArgs, TrainArgs};

fn config_from(a: &TrainArgs, schema: &schema::Schema) -> CliResult<TrainConfig> {
    let families = a
        .families
        .iter()
        .map(|f| f.parse::<Family>())
        .collect::<Result<Vec<_>, _>>()?;
    let base = TrainConfig::for_schema(schema);
    let config = TrainConfig {
        seed: a.seed,
        folds: a.folds,
        strategy: if a.search == "random" {
            Strategy::Random { n_iter: a.n_iter }
        } else {
            Strategy::Grid
        },
        balance: if a.balance.trim().eq_ignore_ascii_case("auto") {
            base.balance
        } else {
            a.balance.parse::<Balance>()?
        },
        threshold_rule: if a.threshold_rule.trim().eq_ignore_ascii_case("auto") {
            None
        } else {
            Some(a.threshold_rule.parse()?)
        },
        target_sensitivity: a.target_sensitivity,
        test_fraction: a.test_fraction,
        calibration: a.calibration.parse()?,
        metric: a.metric.parse()?,
        selection: a.selection.parse()?,
        families,
        ..base
    };
    config.validate()?;
    Ok(config)
}

/// `sepsis-risk train`.
pub fn train(a: &TrainArgs) -> CliResult {
    let started = Instant::now();
    let schema = io::load_schema(&a.schema)?;
    let config = config_from(a, &schema)?;
    let (ds, bytes) = io::read_inputs(&a.data, &schema)?;
    let data_label = a
        .data
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let source = SourceInfo {
        name: a
            .data
            .iter()
            .map(|p| io::file_name(p))
            .collect::<Vec<_>>()
            .join(", "),
        sha256: train::sha256_hex(&bytes),
    };
    if !a.json {
        eprintln!(
            "Read {} rows from {data_label} in {:.1} s.",
            ds.rows.len(),
            started.elapsed().as_secs_f64()
        );
        let report = eda::summarize(&ds);
        print!("{}", render_eda(&report, &ds, 5));
        println!();
    }
    let bar = ProgressBar::new(1);
    bar.set_style(
        ProgressStyle::with_template("{msg:<32} [{bar:30}] {pos}/{len} {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let mut stage = String::new();
    let outcome = train::train(&ds, &source, &config, &mut |p: &Progress| {
        if p.stage != stage {
            stage = p.stage.clone();
            bar.set_message(stage.clone());
            bar.set_length(p.total as u64);
        }
        bar.set_position(p.done as u64);
    });
    bar.finish_and_clear();
    let outcome = outcome.map_err(|e| CliError(format!("{data_label}: {e}")))?;
    let b = &outcome.bundle;
    let json = b.to_json()?;
    io::write_file(&a.out, json.as_bytes())?;
    let seconds = started.elapsed().as_secs_f64();
    if a.json {
        let summary = serde_json::json!({
            "out": a.out.display().to_string(),
            "seconds": seconds,
            "selected": b.model.family(),
            "hyperparameters": b.hyperparameters,
            "threshold": b.threshold,
            "comparison": b.comparison,
            "oof_metrics": b.oof_metrics,
            "test_metrics": b.test_metrics,
            "risk_bands": b.risk_bands,
            "threshold_policy": b.threshold_policy,
            "time_series": b.time_series,
            "training": b.training,
        });
        println!("{}", serde_json::to_string_pretty(&summary)?);
    } else {
        print!("{}", render_training(b));
        println!(
            "\nWrote {} ({} bytes) in {seconds:.1} s.",
            a.out.display(),
            json.len()
        );
    }
    Ok(())
}

/// `sepsis-risk predict`.
pub fn predict(a: &PredictArgs) -> CliResult {
    let bundle = io::load_bundle(&a.model)?;
    let (ds, _) = io::read_inputs(std::slice::from_ref(&a.input), &bundle.schema)?;
    let preds = predict::predict_dataset(&bundle, &ds)?;
    let csv = predict::results_csv(&bundle, &ds, &preds);
    match &a.output {
        Some(path) => io::write_file(path, csv.as_bytes())?,
        None => io::write_stdout(csv.as_bytes())?,
    }
    let missing = preds.iter().filter(|p| p.is_none()).count();
    let (errors, warnings) = ds.issue_counts();
    eprintln!(
        "{}: {} rows, {} predicted, {missing} without prediction (rows with errors); {errors} errors, {warnings} warnings (see the issues column). {}",
        a.input.display(),
        ds.rows.len(),
        ds.rows.len() - missing,
        crate::core::bundle::NOT_A_MEDICAL_DEVICE
    );
    Ok(())
}

/// `sepsis-risk evaluate`.
pub fn evaluate(a: &EvaluateArgs) -> CliResult {
    let bundle = io::load_bundle(&a.model)?;
    let (ds, _) = io::read_inputs(std::slice::from_ref(&a.input), &bundle.schema)?;
    let at = |e: crate::core::Error| CliError(format!("{}: {e}", a.input.display()));
    let preds = predict::predict_dataset(&bundle, &ds).map_err(at)?;
    let m = predict::evaluate_predictions(&bundle, &ds, &preds).map_err(at)?;
    let icu = predict::evaluate_time_series(&bundle, &ds, &preds).map_err(at)?;
    if a.json {
        let mut v = serde_json::to_value(&m)?;
        if let (Some(e), Some(obj)) = (&icu, v.as_object_mut()) {
            if let Some(extra) = serde_json::to_value(e)?.as_object() {
                obj.extend(extra.clone());
            }
        }
        println!("{}", serde_json::to_string_pretty(&v)?);
    } else {
        let excluded = ds.rows.len() - m.n;
        println!(
            "{}: {} labelled valid rows evaluated ({excluded} excluded: errors or no label)\n",
            a.input.display(),
            m.n
        );
        print!("{}", render_metrics(&m));
        if let Some(e) = &icu {
            let mut t = Table::new(&[
                "utility",
                "patients",
                "detected",
                "alerts/patient-day",
                "median h early",
            ]);
            t.row(render_icu(e));
            println!("\nPatient level (PhysioNet/CinC 2019 definitions):");
            print!("{}", t.render());
            println!("{}", render_ranking(e));
        }
    }
    Ok(())
}

/// `sepsis-risk eda`.
pub fn eda(a: &EdaArgs) -> CliResult {
    let inputs = std::slice::from_ref(&a.input);
    // The header that decides the schema: the file's, or the first patient file's.
    let patient_input = io::is_patient_input(&a.input);
    let first = if patient_input {
        io::patient_files(inputs)?.swap_remove(0)
    } else {
        a.input.clone()
    };
    let (table, _) = io::read_table(&first)?;
    let schema = match &a.schema {
        Some(s) => io::load_schema(s)?,
        None => schema::detect(&table.header).ok_or_else(|| {
            CliError(format!(
                "{}: the header matches no built-in schema ({}); pass --schema",
                a.input.display(),
                schema::BUILTIN_NAMES.join(", ")
            ))
        })?,
    };
    let ds = if patient_input {
        io::read_inputs(inputs, &schema)?.0
    } else {
        Dataset::from_table(&table, &schema, &a.input.display().to_string())?
    };
    let report = eda::summarize(&ds);
    if a.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", render_eda(&report, &ds, 20));
    }
    Ok(())
}

/// `sepsis-risk demo`.
pub fn demo(a: &DemoArgs) -> CliResult {
    let schema = io::load_schema(&a.schema)?;
    if let Some(dir) = &a.psv_dir {
        let patients =
            crate::core::demo::demo_icu_patients(&schema, a.rows, a.seed).ok_or_else(|| {
                CliError(format!(
                    "--psv-dir needs a time-series schema with a demo generator (icu), not `{}`",
                    schema.name
                ))
            })?;
        std::fs::create_dir_all(dir)
            .map_err(|e| CliError(format!("{}: cannot create directory: {e}", dir.display())))?;
        for p in &patients {
            io::write_file(
                &dir.join(crate::core::dataset::patient_file_name(&p.id)),
                p.psv.as_bytes(),
            )?;
        }
        eprintln!(
            "Wrote {} patient files to {}.",
            patients.len(),
            dir.display()
        );
        return Ok(());
    }
    let csv = crate::core::demo::demo_csv(&schema, a.rows, a.seed).ok_or_else(|| {
        CliError(format!(
            "no demo data generator for schema `{}`",
            schema.name
        ))
    })?;
    match &a.output {
        Some(path) => io::write_file(path, csv.as_bytes()),
        None => io::write_stdout(csv.as_bytes()),
    }
}

fn render_eda(r: &EdaReport, ds: &Dataset, max_issues: usize) -> String {
    let mut out = String::new();
    let (errors, warnings) = ds.issue_counts();
    out.push_str(&format!(
        "{}: {} rows, schema `{}` ({}); {} valid rows, {errors} errors, {warnings} warnings\n\n",
        ds.source,
        ds.rows.len(),
        ds.schema.name,
        ds.schema.title,
        ds.valid_rows().count()
    ));
    let mut t = Table::new(&[
        "column",
        "unit",
        "n",
        "blank",
        "not meas.",
        "out rng",
        "invalid",
        "mean",
        "sd",
        "min",
        "q1",
        "median",
        "q3",
        "max",
    ]);
    for c in &r.columns {
        t.row(vec![
            c.name.clone(),
            c.unit.clone(),
            c.count.to_string(),
            c.blank.to_string(),
            c.disguised.to_string(),
            c.out_of_range.to_string(),
            c.invalid.to_string(),
            num(c.mean, 2),
            num(c.sd, 2),
            num(c.min, 2),
            num(c.q1, 2),
            num(c.median, 2),
            num(c.q3, 2),
            num(c.max, 2),
        ]);
    }
    out.push_str(&t.render());
    if let Some(cb) = &r.class_balance {
        out.push_str(&format!(
            "\nClass balance ({}): {} positive, {} negative, {} unlabelled ({:.1} % positive)\n",
            ds.schema.label.name,
            cb.positive,
            cb.negative,
            cb.unlabeled,
            100.0 * cb.positive_fraction
        ));
    }
    let names = &r.correlation.names;
    if !names.is_empty() {
        out.push_str("\nPearson correlation (pairwise complete):\n");
        let mut header = vec![""];
        header.extend(names.iter().map(String::as_str));
        let mut t = Table::new(&header);
        for (name, row) in names.iter().zip(&r.correlation.values) {
            let mut cells = vec![name.clone()];
            cells.extend(row.iter().map(|v| num(*v, 2)));
            t.row(cells);
        }
        out.push_str(&t.render());
    }
    if !ds.issues.is_empty() {
        out.push_str(&format!(
            "\nProblems (first {max_issues} of {}):\n",
            ds.issues.len()
        ));
        for i in ds.issues.iter().take(max_issues) {
            let sev = if i.severity == Severity::Error {
                "error"
            } else {
                "warning"
            };
            out.push_str(&format!("  {sev}: {i}\n"));
        }
    }
    out
}

fn render_metrics(m: &Metrics) -> String {
    let c = &m.confusion;
    let mut t = Table::new(&["metric", "value"]);
    for (name, v) in [
        ("threshold", m.threshold),
        ("sensitivity (recall)", m.sensitivity),
        ("specificity", m.specificity),
        ("precision (PPV)", m.precision),
        ("NPV", m.npv),
        ("F1", m.f1),
        ("F2", m.f2),
        ("accuracy", m.accuracy),
        ("ROC AUC", m.roc_auc),
        ("PR AUC (average precision)", m.pr_auc),
        ("Brier score", m.brier),
    ] {
        t.row(vec![name.to_string(), format!("{v:.3}")]);
    }
    let mut out = t.render();
    out.push_str(&format!(
        "\nConfusion at the threshold: TP {}  FP {}  TN {}  FN {}  (n = {})\n",
        c.tp, c.fp, c.tn, c.fn_, m.n
    ));
    out
}

fn render_training(b: &ModelBundle) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "Model families ({}-fold cross-validation on {} development rows, metric {}):\n",
        b.training.config.folds, b.training.development_rows, b.cv_metric
    ));
    let mut t = Table::new(&[
        "family",
        "CV mean",
        "CV sd",
        "OOF AUC",
        "OOF AP",
        "OOF Brier",
        "OOF utility",
        "tried",
        "best hyperparameters",
    ]);
    for c in &b.comparison {
        let hp = c
            .hyperparameters
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(" ");
        t.row(vec![
            format!("{}{}", c.family.title(), if c.selected { " *" } else { "" }),
            format!("{:.3}", c.cv_mean),
            format!("{:.3}", c.cv_sd),
            format!("{:.3}", c.oof_roc_auc),
            format!("{:.3}", c.oof_pr_auc),
            format!("{:.3}", c.oof_brier),
            c.oof_utility.map_or("-".into(), |u| format!("{u:.3}")),
            c.candidates.to_string(),
            hp,
        ]);
    }
    out.push_str(&t.render());
    out.push_str(&format!(
        "\n* selected ({}). Calibration: {}. Threshold {:.4}: {}\n",
        match b.training.config.selection {
            crate::core::config::Selection::Best => "highest mean CV metric",
            crate::core::config::Selection::OneStandardError =>
                "simplest family within one standard error of the best mean CV metric",
        },
        b.calibrator.name(),
        b.threshold,
        b.threshold_policy.rule
    ));
    out.push_str("\nOut-of-fold (calibrated) at the threshold:\n");
    out.push_str(&render_metrics(&b.oof_metrics));
    if let Some(m) = &b.test_metrics {
        out.push_str(&format!(
            "\nHeld-out test ({} rows) at the threshold:\n",
            b.training.test_rows
        ));
        out.push_str(&render_metrics(m));
    }
    if let Some(ts) = &b.time_series {
        out.push_str(&render_time_series(b, ts));
    }
    out.push_str("\nRisk bands (calibrated probability):\n");
    let mut t = Table::new(&["band", "from", "to", "OOF rows", "OOF event rate"]);
    for band in &b.risk_bands {
        t.row(vec![
            band.name.clone(),
            format!("{:.3}", band.lower),
            format!("{:.3}", band.upper),
            band.count.to_string(),
            format!("{:.3}", band.observed_rate),
        ]);
    }
    out.push_str(&t.render());
    out
}

fn render_icu(e: &IcuEvaluation) -> Vec<String> {
    vec![
        format!("{:.3}", e.utility),
        e.patients.to_string(),
        format!("{}/{}", e.detected_patients, e.septic_patients),
        format!("{:.2}", e.alerts_per_patient_day),
        e.median_hours_early
            .map_or("-".into(), |h| format!("{h:.1}")),
    ]
}

/// The hour-level AUROC split by the kind of negative hour (see [`IcuEvaluation`]).
fn render_ranking(e: &IcuEvaluation) -> String {
    let f = |v: Option<f64>| v.map_or("-".into(), |v| format!("{v:.3}"));
    format!(
        "Hour ranking (AUROC): positive hours vs never-septic patients' hours {}; within septic patients' stays {}",
        f(e.auroc_vs_non_septic),
        f(e.auroc_within_septic)
    )
}

fn render_time_series(b: &ModelBundle, ts: &TimeSeriesReport) -> String {
    let mut out = format!(
        "\nPatients: {} ({} septic); {} in cross-validation, {} held out; {} time-aware features.\n",
        ts.patients, ts.septic_patients, ts.development_patients, ts.test_patients, ts.features
    );
    out.push_str("Thresholds (out-of-fold, patient level):\n");
    let mut t = Table::new(&[
        "rule",
        "threshold",
        "sensitivity",
        "specificity",
        "utility",
        "patients",
        "detected",
        "alerts/patient-day",
        "median h early",
    ]);
    for o in &b.threshold_policy.options {
        let mut row = vec![
            format!("{}{}", o.name, if o.default { " *" } else { "" }),
            format!("{:.4}", o.threshold),
            format!("{:.3}", o.sensitivity),
            format!("{:.3}", o.specificity),
        ];
        if let Some(e) = &o.icu {
            row.extend(render_icu(e));
        }
        t.row(row);
    }
    if let Some(e) = &ts.test {
        let mut row = vec![
            "held-out test *".to_string(),
            format!("{:.4}", b.threshold),
            b.test_metrics
                .as_ref()
                .map_or("-".into(), |m| format!("{:.3}", m.sensitivity)),
            b.test_metrics
                .as_ref()
                .map_or("-".into(), |m| format!("{:.3}", m.specificity)),
        ];
        row.extend(render_icu(e));
        t.row(row);
    }
    out.push_str(&t.render());
    out.push_str("* shipped threshold\n");
    out.push_str(&format!("Out of fold: {}\n", render_ranking(&ts.oof)));
    if let Some(e) = &ts.test {
        out.push_str(&format!("Held-out test: {}\n", render_ranking(e)));
    }
    out
}
