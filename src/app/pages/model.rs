//! The model card and the model's out-of-fold performance.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::components::A;

use crate::app::chart_spec::{ChartSpec, cal_points};
use crate::app::components::chart::Chart;
use crate::app::components::model_library::{DownloadModel, ModelLibrary};
use crate::app::components::recalibration_view::RecalibrationView;
use crate::app::components::table::{Column, Region, Table};
use crate::app::components::with_model::WithModel;
use crate::app::threshold::{self, SliderStats};
use crate::core::bundle::{FamilyComparison, ModelBundle, ThresholdOption};
use crate::core::format::{count, number, percent};
use crate::core::metrics::Metrics;
use crate::core::utility::IcuEvaluation;

/// The Model page: model card (intended use, training data and its caveat, label, family and
/// hyperparameters, comparison of families, cross-validated and held-out metrics), ROC and PR
/// curves, calibration, feature importance, and the threshold slider; the model's download and
/// the user's own models (import, use, download, remove).
#[component]
pub fn ModelPage() -> impl IntoView {
    view! {
        <WithModel heading="Model" let:bundle>
            <ModelCard bundle/>
        </WithModel>
        <ModelLibrary/>
    }
}

/// The time-series part of a model card: patients, patient-level results, and the threshold
/// options (utility vs sensitivity) with their patient-level figures.
#[component]
fn TimeSeriesCard(bundle: &'static ModelBundle) -> impl IntoView {
    let Some(ts) = bundle.time_series.as_ref() else {
        return ().into_any();
    };
    type EvalRow = (&'static str, Option<&'static IcuEvaluation>);
    let cell = |f: fn(&IcuEvaluation) -> String| {
        move |&(_, e): &EvalRow| e.map_or_else(|| "–".to_string(), f)
    };
    let eval_columns = vec![
        Column::row_header("At the shipped threshold", |&(name, _): &EvalRow| name),
        Column::num("Patients", cell(|e| e.patients.to_string())),
        Column::num("Septic", cell(|e| e.septic_patients.to_string())),
        Column::num("Utility", cell(|e| number(Some(e.utility), 3))),
        Column::num("Detected", cell(detected)),
        Column::num("Alert-hours per patient-day", cell(alert_hours)),
        Column::num(
            "Median hours early",
            cell(|e| {
                e.median_hours_early
                    .map_or_else(|| "–".to_string(), |h| format!("{h} h"))
            }),
        ),
    ];
    let eval_rows: Vec<EvalRow> = vec![
        ("Out of fold (development)", Some(&ts.oof)),
        ("Held-out test", ts.test.as_ref()),
    ];
    let icu = |f: fn(&IcuEvaluation) -> String| {
        move |o: &&'static ThresholdOption| o.icu.as_ref().map_or_else(|| "–".to_string(), f)
    };
    let option_columns = vec![
        Column::row_header("Option", |o: &&'static ThresholdOption| {
            format!("By {}{}", o.name, if o.default { " (shipped)" } else { "" })
        }),
        Column::text("Rule", |o: &&'static ThresholdOption| o.rule.clone()),
        Column::num("Threshold", |o: &&'static ThresholdOption| {
            percent(o.threshold)
        }),
        Column::num("Sensitivity (hours)", |o: &&'static ThresholdOption| {
            percent(o.sensitivity)
        }),
        Column::num("Specificity (hours)", |o: &&'static ThresholdOption| {
            percent(o.specificity)
        }),
        Column::num("Utility", icu(|e| number(Some(e.utility), 3))),
        Column::num("Detected patients", icu(detected)),
        Column::num("Alert-hours per patient-day", icu(alert_hours)),
    ];
    let options: Vec<&'static ThresholdOption> = bundle.threshold_policy.options.iter().collect();
    let selected = Arc::new(|o: &&'static ThresholdOption| if o.default { "selected" } else { "" });
    view! {
        <section aria-labelledby="ts-h" class="card" data-testid="time-series-card">
            <h2 id="ts-h">"Patients and early warning"</h2>
            <p>
                {format!(
                    "Trained on {} patients ({} septic): {} for development (patient-level cross-validation), {} held out. The model sees {} time-aware features computed from each patient's hours so far.",
                    count(ts.patients), count(ts.septic_patients), count(ts.development_patients), count(ts.test_patients), ts.features
                )}
                " Utility is the PhysioNet/CinC 2019 normalized utility (1 = perfect, 0 = never alert); a septic patient counts as detected when the first alert comes at most 3 hours after onset."
            </p>
            <Table testid="icu-eval-table" columns=eval_columns rows=Signal::stored(eval_rows)
                region=Region::label("Patient-level results")/>
            {ranking_text(&ts.oof, ts.test.as_ref()).map(|t| view! { <p data-testid="hour-ranking">{t}</p> })}
            <h3>"Threshold options"</h3>
            <Table testid="threshold-options" columns=option_columns rows=Signal::stored(options)
                region=Region::label("Threshold options") row_class=selected/>
        </section>
    }
    .into_any()
}

/// "3 of 5" detected septic patients.
fn detected(e: &IcuEvaluation) -> String {
    format!("{} of {}", e.detected_patients, e.septic_patients)
}

/// Alert-hours per patient-day, one decimal.
fn alert_hours(e: &IcuEvaluation) -> String {
    format!("{:.1}", e.alerts_per_patient_day)
}

/// What the hour-level AUROC is made of (out of fold, and on the held-out patients when
/// known): septic hours against never-septic patients, and the timing within septic stays.
fn ranking_text(oof: &IcuEvaluation, test: Option<&IcuEvaluation>) -> Option<String> {
    let (between, within) = (oof.auroc_vs_non_septic?, oof.auroc_within_septic?);
    let held_out = test
        .and_then(|t| Some((t.auroc_vs_non_septic?, t.auroc_within_septic?)))
        .map_or_else(String::new, |(b, w)| {
            format!(" (held-out patients: {b:.3} and {w:.3})")
        });
    Some(format!(
        "Recognising the patient versus timing the onset: out of fold, an hour from 6 hours before onset on scores above an hour of a patient who never became septic with probability {between:.3} (AUROC), and above an earlier hour of the same septic patient with probability {within:.3}{held_out}. Septic patients' earlier hours already score higher than other patients' hours, so the model is better at telling which patients are at risk than at telling when sepsis begins; expect alerts hours to days before onset."
    ))
}

/// Most features in the importance chart (a time-series model has about 180).
const IMPORTANCE_SHOWN: usize = 25;

/// The model card: the caveat first, then the card's text and the model's facts, the
/// time-series results, the families compared, the threshold slider and the charts (which
/// mark the slider's threshold).
#[component]
fn ModelCard(bundle: &'static ModelBundle) -> impl IntoView {
    let rows = &bundle.curves.thresholds;
    let pos = RwSignal::new(threshold::nearest_index(rows, bundle.threshold));
    let stats = Memo::new(move |_| threshold::stats_at(rows, pos.get()));
    let card = &bundle.model_card;
    view! {
        <h1>{card.title.clone()}</h1>
        <DownloadModel bundle/>
        <div class="banner banner-warning caveat" data-testid="model-caveat">
            <h2>"Read this first: what this model predicts"</h2>
            <p><strong>{card.label_definition.clone()}</strong></p>
            <p>{card.intended_use.clone()}</p>
        </div>
        <div class="grid-2">
            <CardText bundle/>
            <ModelFacts bundle/>
        </div>
        {bundle.recalibration.as_ref().map(|r| view! { <RecalibrationView r/> })}
        <TimeSeriesCard bundle/>
        <FamiliesCompared bundle/>
        <ThresholdChooser bundle pos stats/>
        <ModelCharts bundle stats/>
    }
}

/// The model card's text: intended use, training data, label, caveats, attribution, notice.
#[component]
fn CardText(bundle: &'static ModelBundle) -> impl IntoView {
    let card = &bundle.model_card;
    let t = &bundle.training;
    view! {
        <section aria-labelledby="card-h" class="card">
            <h2 id="card-h">"Model card"</h2>
            <h3>"Intended use"</h3>
            <p>{card.intended_use.clone()}</p>
            <h3>"Training data"</h3>
            <p>{card.training_data.clone()}</p>
            <p>
                {format!(
                    "{} rows used ({} positive, {} negative) of {} in the file; {} for development (cross-validation, calibration, threshold), {} held out for the final test.",
                    count(t.rows_used), count(t.positives), count(t.negatives), count(t.rows_in_file), count(t.development_rows), count(t.test_rows)
                )}
            </p>
            <h3>"Label"</h3>
            <p>{card.label_definition.clone()}</p>
            <h3>"Caveats"</h3>
            <ul>{card.caveats.iter().map(|c| view! { <li>{c.clone()}</li> }).collect_view()}</ul>
            {card.attribution.clone().map(|a| view! { <h3>"Attribution"</h3><p class="attribution" data-testid="attribution">{a}</p> })}
            <h3>"At your hospital"</h3>
            <p data-testid="own-hospital">
                "Check this model on your own labelled data before relying on its figures: a model
                moved to another hospital usually keeps much of its ranking of patients but not its
                risks or its alert rate. Load labelled data and open "<A href="/predict">"Predict"</A>
                " for the local validation; "<A href="/recalibrate">"Recalibrate"</A>
                " refits its calibration and threshold on your data; "<A href="/train">"Train"</A>
                " trains a model of your own and compares the two on data neither has seen. All of it
                runs in this browser."
            </p>
            <p class="notice">{card.notice.clone()}</p>
        </section>
    }
}

/// The model's facts (family, hyperparameters, calibration, threshold, seed, software) and
/// its metrics at the alert threshold, out of fold and on the held-out test.
#[component]
fn ModelFacts(bundle: &'static ModelBundle) -> impl IntoView {
    let t = &bundle.training;
    let family = bundle
        .comparison
        .iter()
        .find(|c| c.selected)
        .map_or_else(|| bundle.model.family().title(), |c| c.family.title());
    let oof = &bundle.oof_metrics;
    let test = bundle.test_metrics.as_ref();
    type MetricRow = (&'static str, fn(&Metrics) -> String);
    let columns = vec![
        Column::row_header("Metric", |&(name, _): &MetricRow| name),
        Column::num(
            "Cross-validated (out of fold)",
            move |&(_, f): &MetricRow| f(oof),
        ),
        Column::num("Held-out test", move |&(_, f): &MetricRow| {
            test.map_or_else(|| "–".to_string(), f)
        }),
    ];
    let metrics: Vec<MetricRow> = vec![
        ("Rows", |m| count(m.n)),
        ("ROC AUC", |m| number(Some(m.roc_auc), 3)),
        ("PR AUC (average precision)", |m| number(Some(m.pr_auc), 3)),
        ("Sensitivity", |m| percent(m.sensitivity)),
        ("Specificity", |m| percent(m.specificity)),
        ("PPV (precision)", |m| percent(m.precision)),
        ("NPV", |m| percent(m.npv)),
        ("Brier score", |m| number(Some(m.brier), 3)),
    ];
    view! {
        <section aria-labelledby="family-h" class="card">
            <h2 id="family-h">"Model"</h2>
            <dl class="facts">
                <dt>"Family"</dt><dd data-testid="model-family">{family}</dd>
                <dt>"Hyperparameters"</dt><dd>{bundle.hyperparameters.to_string()}</dd>
                <dt>"Calibration"</dt><dd>{format!("{:?}", t.config.calibration)}</dd>
                <dt>"Alert threshold"</dt><dd>{percent(bundle.threshold)}</dd>
                <dt>"Threshold rule"</dt><dd>{bundle.threshold_policy.rule.clone()}</dd>
                <dt>"Training seed"</dt><dd>{t.config.seed}</dd>
                <dt>"Software"</dt><dd>{format!("sepsis-risk {}", bundle.software_version)}</dd>
            </dl>
            <h3>"Metrics at the alert threshold"</h3>
            <Table testid="metrics-table" columns rows=Signal::stored(metrics) region=Region::label("Metrics")/>
        </section>
    }
}

/// The model families compared: each family's best candidate by cross-validation.
#[component]
fn FamiliesCompared(bundle: &'static ModelBundle) -> impl IntoView {
    type Row = &'static FamilyComparison;
    let has_utility = bundle.comparison.iter().any(|c| c.oof_utility.is_some());
    let mut columns = vec![
        Column::row_header("Family", |c: &Row| {
            format!(
                "{}{}",
                c.family.title(),
                if c.selected { " (selected)" } else { "" }
            )
        }),
        Column::num(
            format!("CV {} (mean ± SD)", bundle.cv_metric),
            |c: &Row| {
                format!(
                    "{} ± {}",
                    number(Some(c.cv_mean), 3),
                    number(Some(c.cv_sd), 3)
                )
            },
        ),
        Column::num("Out-of-fold ROC AUC", |c: &Row| {
            number(Some(c.oof_roc_auc), 3)
        }),
        Column::num("Out-of-fold PR AUC", |c: &Row| {
            number(Some(c.oof_pr_auc), 3)
        }),
        Column::num("Out-of-fold Brier", |c: &Row| number(Some(c.oof_brier), 3)),
    ];
    if has_utility {
        columns.push(Column::num(
            "Out-of-fold utility (best threshold)",
            |c: &Row| number(c.oof_utility, 3),
        ));
    }
    columns.push(Column::num("Candidates", |c: &Row| c.candidates));
    columns.push(Column::text("Best hyperparameters", |c: &Row| {
        c.hyperparameters.to_string()
    }));
    let rows: Vec<Row> = bundle.comparison.iter().collect();
    let selected = Arc::new(|c: &Row| if c.selected { "selected" } else { "" });
    view! {
        <section aria-labelledby="comparison-h">
            <h2 id="comparison-h">"Model families compared"</h2>
            <p>{format!("Each family's best candidate by mean {} over {} cross-validation folds.", bundle.cv_metric, bundle.training.config.folds)}</p>
            <Table testid="comparison-table" columns rows=Signal::stored(rows)
                region=Region::labelled_by("comparison-h") row_class=selected/>
        </section>
    }
}

/// The threshold slider over the out-of-fold threshold table, with the figures at the chosen
/// threshold.
#[component]
fn ThresholdChooser(
    bundle: &'static ModelBundle,
    pos: RwSignal<usize>,
    stats: Memo<Option<SliderStats>>,
) -> impl IntoView {
    let rows = &bundle.curves.thresholds;
    let oof = &bundle.oof_metrics;
    let prevalence = (oof.n > 0).then(|| oof.positives as f64 / oof.n as f64);
    let utility_curve = bundle
        .time_series
        .as_ref()
        .map(|t| t.utility_curve.as_slice())
        .unwrap_or_default();
    view! {
        <section aria-labelledby="threshold-h" class="card threshold">
            <h2 id="threshold-h">"Choose a threshold"</h2>
            <p>
                "From the calibrated out-of-fold predictions of the development rows. PPV and
                alerts depend on how common the positive label is (here "
                {prevalence.map_or_else(|| "–".to_string(), percent)}
                ")."
            </p>
            <label for="threshold-slider">
                "Alert threshold: "
                <strong data-testid="threshold-value">{move || stats.get().map(|s| percent(s.threshold))}</strong>
            </label>
            <input
                id="threshold-slider"
                type="range"
                min="0"
                max=rows.len().saturating_sub(1).to_string()
                step="1"
                data-testid="threshold-slider"
                prop:value=move || pos.get().to_string()
                aria-valuetext=move || stats.get().map(|s| format!("threshold {}", percent(s.threshold)))
                on:input=move |ev| pos.set(threshold::parse_index(rows, &event_target_value(&ev)))
            />
            <dl class="stats" aria-live="polite">
                <dt>"Sensitivity"</dt><dd data-testid="slider-sensitivity">{move || stats.get().map(|s| percent(s.sensitivity))}</dd>
                <dt>"Specificity"</dt><dd data-testid="slider-specificity">{move || stats.get().map(|s| percent(s.specificity))}</dd>
                <dt>"PPV"</dt><dd data-testid="slider-ppv">{move || stats.get().map(|s| percent(s.ppv))}</dd>
                <dt>{if bundle.is_time_series() { "Alerts per 100 patient-hours" } else { "Alerts per 100 patients" }}</dt><dd data-testid="slider-alerts">{move || stats.get().map(|s| format!("{:.1}", s.alerts_per_100))}</dd>
                {(!utility_curve.is_empty()).then(|| view! {
                    <dt>"Utility (out of fold)"</dt>
                    <dd data-testid="slider-utility">{move || stats.get().and_then(|s| threshold::utility_at(utility_curve, s.threshold)).map(|u| number(Some(u), 3))}</dd>
                })}
                <dt>"Counts"</dt>
                <dd>{move || stats.get().map(|s| format!("TP {} · FP {} · TN {} · FN {}", s.tp, s.fp, s.tn, s.fn_))}</dd>
            </dl>
            <p class="hint">{format!("The shipped threshold is {}.", percent(bundle.threshold))}</p>
        </section>
    }
}

/// The out-of-fold curves (ROC and PR with the chosen threshold marked), calibration, the
/// risk histogram and the feature importance.
#[component]
fn ModelCharts(bundle: &'static ModelBundle, stats: Memo<Option<SliderStats>>) -> impl IntoView {
    let oof = &bundle.oof_metrics;
    let prevalence = (oof.n > 0).then(|| oof.positives as f64 / oof.n as f64);
    let curves = &bundle.curves;
    let roc_points = Arc::new(
        curves
            .roc
            .iter()
            .map(|p| (p.fpr, p.tpr))
            .collect::<Vec<_>>(),
    );
    let pr_points = Arc::new(
        curves
            .pr
            .iter()
            .map(|p| (p.recall, p.precision))
            .collect::<Vec<_>>(),
    );
    let roc = Signal::derive(move || ChartSpec::Roc {
        points: roc_points.clone(),
        auc: Some(oof.roc_auc),
        operating_point: stats.get().map(|s| (1.0 - s.specificity, s.sensitivity)),
    });
    let pr = Signal::derive(move || ChartSpec::Pr {
        points: pr_points.clone(),
        prevalence,
        average_precision: Some(oof.pr_auc),
        operating_point: stats.get().map(|s| (s.sensitivity, s.ppv)),
    });
    let risk_hist = Arc::new(curves.risk_histogram.clone());
    let risk = Signal::derive(move || ChartSpec::Risk {
        hist: risk_hist.clone(),
        by_label: true,
        threshold: stats.get().map(|s| s.threshold),
    });
    let calibration = ChartSpec::Calibration {
        after: Arc::new(cal_points(&curves.calibration)),
        before: Some(Arc::new(cal_points(&curves.calibration_uncalibrated))),
    };
    let mut importance: Vec<(String, f64)> = bundle
        .feature_importances
        .iter()
        .map(|f| (f.label.clone(), f.importance))
        .collect();
    importance.sort_by(|a, b| b.1.total_cmp(&a.1));
    importance.truncate(IMPORTANCE_SHOWN);
    let importance = ChartSpec::Importance {
        items: Arc::new(importance),
        x_label: "Share of the model's importance".into(),
    };
    view! {
        <div class="grid-2">
            <section aria-labelledby="roc-h">
                <h2 id="roc-h">"ROC curve"</h2>
                <Chart spec=roc name="roc-curve" label="ROC curve, out of fold, with the chosen threshold marked"/>
            </section>
            <section aria-labelledby="pr-h">
                <h2 id="pr-h">"Precision–recall curve"</h2>
                <Chart spec=pr name="pr-curve" label="Precision-recall curve, out of fold, with the chosen threshold marked"/>
            </section>
            <section aria-labelledby="cal-h">
                <h2 id="cal-h">"Calibration"</h2>
                <Chart spec=Signal::stored(calibration) name="calibration" label="Calibration plot before and after calibration"/>
            </section>
            <section aria-labelledby="risk-h">
                <h2 id="risk-h">"Predicted risk by label"</h2>
                <Chart spec=risk name="risk-histogram" label="Histogram of out-of-fold predicted risk by label, with the chosen threshold"/>
            </section>
        </div>
        <section aria-labelledby="imp-h">
            <h2 id="imp-h">"Feature importance"</h2>
            <Chart spec=Signal::stored(importance) name="feature-importance" label="Feature importance"/>
        </section>
    }
}
