//! The four subcommands: each reads its inputs, calls the core, and presents the result.

use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};

use crate::core::bundle::ModelBundle;
use crate::core::dataset::{Dataset, Severity};
use crate::core::eda::{self, EdaReport};
use crate::core::metrics::Metrics;
use crate::core::models::Family;
use crate::core::predict;
use crate::core::sampling::Balance;
use crate::core::schema;
use crate::core::search::Strategy;
use crate::core::train::{self, Progress, SourceInfo, TrainConfig};

use super::io;
use super::table::{Table, num};
use super::{CliError, CliResult, DemoArgs, EdaArgs, EvaluateArgs, PredictArgs, TrainArgs};

fn config_from(a: &TrainArgs) -> CliResult<TrainConfig> {
    let families = a
        .families
        .iter()
        .map(|f| f.parse::<Family>())
        .collect::<Result<Vec<_>, _>>()?;
    let config = TrainConfig {
        seed: a.seed,
        folds: a.folds,
        strategy: if a.search == "random" {
            Strategy::Random { n_iter: a.n_iter }
        } else {
            Strategy::Grid
        },
        balance: a.balance.parse::<Balance>()?,
        target_sensitivity: a.target_sensitivity,
        test_fraction: a.test_fraction,
        calibration: a.calibration.parse()?,
        metric: a.metric.parse()?,
        selection: a.selection.parse()?,
        families,
        ..TrainConfig::default()
    };
    config.validate()?;
    Ok(config)
}

/// `sepsis-risk train`.
pub fn train(a: &TrainArgs) -> CliResult {
    let started = Instant::now();
    let schema = io::load_schema(&a.schema)?;
    let config = config_from(a)?;
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
    let m = predict::evaluate_dataset(&bundle, &ds)
        .map_err(|e| CliError(format!("{}: {e}", a.input.display())))?;
    if a.json {
        println!("{}", serde_json::to_string_pretty(&m)?);
    } else {
        let excluded = ds.rows.len() - m.n;
        println!(
            "{}: {} labelled valid rows evaluated ({excluded} excluded: errors or no label)\n",
            a.input.display(),
            m.n
        );
        print!("{}", render_metrics(&m));
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
            c.candidates.to_string(),
            hp,
        ]);
    }
    out.push_str(&t.render());
    out.push_str(&format!(
        "\n* selected ({}). Calibration: {}. Threshold {:.4}: {}\n",
        match b.training.config.selection {
            crate::core::train::Selection::Best => "highest mean CV metric",
            crate::core::train::Selection::OneStandardError =>
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
