//! What the subcommands print: tables of the core's reports, and the JSON summaries.

use std::path::Path;

use crate::core::Error;
use crate::core::bundle::{ModelBundle, TimeSeriesReport};
use crate::core::config::Selection;
use crate::core::dataset::{Dataset, Severity};
use crate::core::eda::EdaReport;
use crate::core::error::CALIBRATING;
use crate::core::metrics::Metrics;
use crate::core::utility::IcuEvaluation;

use super::CliResult;
use super::table::{Table, num};

/// The EDA report: one row per column, class balance, correlations and the first
/// `max_issues` problems.
pub fn eda(r: &EdaReport, ds: &Dataset, max_issues: usize) -> String {
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
            "\nClass balance ({}): {} positive, {} negative, {} unlabelled ({} positive)\n",
            ds.schema.label.name,
            cb.positive,
            cb.negative,
            cb.unlabeled,
            crate::core::format::percent(cb.positive_fraction)
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

/// Metrics at the threshold and the confusion counts.
pub fn metrics(m: &Metrics) -> String {
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

/// The training report: family comparison, selection, metrics, thresholds and risk bands.
pub fn training(b: &ModelBundle) -> String {
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
        let hp = c.hyperparameters.to_string();
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
            Selection::Best => "highest mean CV metric",
            Selection::OneStandardError =>
                "simplest family within one standard error of the best mean CV metric",
        },
        b.calibrator.name(),
        b.threshold,
        b.threshold_policy.rule
    ));
    out.push_str("\nOut-of-fold (calibrated) at the threshold:\n");
    out.push_str(&metrics(&b.oof_metrics));
    if let Some(m) = &b.test_metrics {
        out.push_str(&format!(
            "\nHeld-out test ({} rows) at the threshold:\n",
            b.training.test_rows
        ));
        out.push_str(&metrics(m));
    }
    if let Some(ts) = &b.time_series {
        out.push_str(&time_series(b, ts));
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

fn icu_cells(e: &IcuEvaluation) -> Vec<String> {
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
fn ranking(e: &IcuEvaluation) -> String {
    let f = |v: Option<f64>| v.map_or("-".into(), |v| format!("{v:.3}"));
    format!(
        "Hour ranking (AUROC): positive hours vs never-septic patients' hours {}; within septic patients' stays {}",
        f(e.auroc_vs_non_septic),
        f(e.auroc_within_septic)
    )
}

fn time_series(b: &ModelBundle, ts: &TimeSeriesReport) -> String {
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
            row.extend(icu_cells(e));
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
        row.extend(icu_cells(e));
        t.row(row);
    }
    out.push_str(&t.render());
    out.push_str("* shipped threshold\n");
    out.push_str(&format!("Out of fold: {}\n", ranking(&ts.oof)));
    if let Some(e) = &ts.test {
        out.push_str(&format!("Held-out test: {}\n", ranking(e)));
    }
    out
}

/// The patient-level evaluation of time-series data (after [`metrics`]).
pub fn patient_level(e: &IcuEvaluation) -> String {
    let mut t = Table::new(&[
        "utility",
        "patients",
        "detected",
        "alerts/patient-day",
        "median h early",
    ]);
    t.row(icu_cells(e));
    format!(
        "\nPatient level (PhysioNet/CinC 2019 definitions):\n{}{}\n",
        t.render(),
        ranking(e)
    )
}

/// `train --json`: the bundle's report without the model itself.
pub fn training_json(b: &ModelBundle, out: &Path, seconds: f64) -> serde_json::Value {
    serde_json::json!({
        "out": out.display().to_string(),
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
    })
}

/// `evaluate --json`: the metrics' keys, plus the patient-level ones for time-series data.
pub fn evaluation_json(
    m: &Metrics,
    ece: f64,
    icu: Option<&IcuEvaluation>,
) -> CliResult<serde_json::Value> {
    let mut v = serde_json::to_value(m)?;
    if let Some(obj) = v.as_object_mut() {
        obj.insert("ece".into(), serde_json::json!(ece));
    }
    if let (Some(e), Some(obj)) = (icu, v.as_object_mut()) {
        if let Some(extra) = serde_json::to_value(e)?.as_object() {
            obj.extend(extra.clone());
        }
    }
    Ok(v)
}

/// For a training that failed after its search ([`Error::AfterSearch`]): the options that
/// finish it without searching again (the selected candidate's values fixed, and for a
/// calibration failure isotonic calibration), to use in place of the options given.
pub fn after_search_advice(e: &Error) -> Option<String> {
    let Error::AfterSearch {
        stage,
        searches,
        selected,
        ..
    } = e
    else {
        return None;
    };
    let found = searches.get(selected.unwrap_or(0))?;
    let mut options = format!("--families {}", found.family.key());
    for h in found.best_candidate().hyperparameters.iter() {
        options.push_str(&format!(" --fix {}={}", h.name(), h.number()));
    }
    if stage == CALIBRATING {
        options.push_str(" --calibration isotonic");
    }
    Some(format!(
        "\nTo finish it, run the same command with these options in place of the ones given: {options}"
    ))
}

/// `recalibrate`: the local data, then the figures before (the parent at its threshold) and
/// after (cross-fitted, at the new threshold) side by side.
pub fn recalibration(r: &crate::core::lineage::Recalibration) -> String {
    let mut out = format!("{}\n\n", r.summary());
    let mut t = Table::new(&["", "before", "after (cross-fitted)"]);
    for row in r.comparison() {
        t.row(vec![row.name.to_string(), row.before, row.after]);
    }
    out.push_str(&t.render());
    out
}
