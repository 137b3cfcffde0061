//! The model card and the model's out-of-fold performance.

use std::sync::Arc;

use leptos::prelude::*;

use crate::app::app::{AppState, IcuStatus};
use crate::app::chart_spec::{ChartSpec, cal_points};
use crate::app::components::chart::Chart;
use crate::app::components::error_banner::ErrorBanner;
use crate::app::format::{count, number, percent};
use crate::app::model::{self, ModelKind};
use crate::app::threshold;
use crate::core::bundle::ModelBundle;
use crate::core::metrics::Metrics;
use crate::core::utility::IcuEvaluation;

/// The Model page: model card (intended use, training data and its caveat, label, family and
/// hyperparameters, comparison of families, cross-validated and held-out metrics), ROC and PR
/// curves, calibration, feature importance, and the threshold slider.
#[component]
pub fn ModelPage() -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        {move || match state.model.get() {
            ModelKind::Seed => match model::seed_bundle() {
                Ok(b) => view! { <ModelCard bundle=b/> }.into_any(),
                Err(e) => view! {
                    <h1>"Model"</h1>
                    <ErrorBanner title="The model is not available">{e}</ErrorBanner>
                }.into_any(),
            },
            ModelKind::Icu => match (state.bundle(), state.icu.get()) {
                (Some(b), _) => view! { <ModelCard bundle=b/> }.into_any(),
                (None, IcuStatus::Failed(e)) => view! {
                    <h1>"Model"</h1>
                    <ErrorBanner title="The ICU model is not available">{e}</ErrorBanner>
                }.into_any(),
                (None, _) => view! {
                    <h1>"Model"</h1>
                    <p class="status" data-testid="model-loading">"Loading the ICU model…"</p>
                }.into_any(),
            },
        }}
    }
}

/// The time-series part of a model card: patients, patient-level results, and the threshold
/// options (utility vs sensitivity) with their patient-level figures.
#[component]
fn TimeSeriesCard(bundle: &'static ModelBundle) -> impl IntoView {
    let Some(ts) = bundle.time_series.as_ref() else {
        return ().into_any();
    };
    let eval_row = |name: &'static str, e: Option<&IcuEvaluation>| {
        let cell = |f: &dyn Fn(&IcuEvaluation) -> String| e.map_or_else(|| "–".to_string(), f);
        view! {
            <tr>
                <th scope="row">{name}</th>
                <td class="num">{cell(&|e| e.patients.to_string())}</td>
                <td class="num">{cell(&|e| e.septic_patients.to_string())}</td>
                <td class="num">{cell(&|e| number(Some(e.utility), 3))}</td>
                <td class="num">{cell(&|e| format!("{} of {}", e.detected_patients, e.septic_patients))}</td>
                <td class="num">{cell(&|e| format!("{:.1}", e.alerts_per_patient_day))}</td>
                <td class="num">{cell(&|e| e.median_hours_early.map_or_else(|| "–".to_string(), |h| format!("{h} h")))}</td>
            </tr>
        }
    };
    let options = bundle
        .threshold_policy
        .options
        .iter()
        .map(|o| {
            let e = o.icu.as_ref();
            view! {
                <tr class:selected=o.default>
                    <th scope="row">{format!("By {}", o.name)} {o.default.then_some(" (shipped)")}</th>
                    <td>{o.rule.clone()}</td>
                    <td class="num">{percent(o.threshold)}</td>
                    <td class="num">{percent(o.sensitivity)}</td>
                    <td class="num">{percent(o.specificity)}</td>
                    <td class="num">{e.map_or_else(|| "–".to_string(), |e| number(Some(e.utility), 3))}</td>
                    <td class="num">{e.map_or_else(|| "–".to_string(), |e| format!("{} of {}", e.detected_patients, e.septic_patients))}</td>
                    <td class="num">{e.map_or_else(|| "–".to_string(), |e| format!("{:.1}", e.alerts_per_patient_day))}</td>
                </tr>
            }
        })
        .collect_view();
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
            <div class="table-scroll" role="region" aria-label="Patient-level results" tabindex="0">
                <table data-testid="icu-eval-table">
                    <thead>
                        <tr>
                            <th scope="col">"At the shipped threshold"</th>
                            <th scope="col">"Patients"</th>
                            <th scope="col">"Septic"</th>
                            <th scope="col">"Utility"</th>
                            <th scope="col">"Detected"</th>
                            <th scope="col">"Alert-hours per patient-day"</th>
                            <th scope="col">"Median hours early"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {eval_row("Out of fold (development)", Some(&ts.oof))}
                        {eval_row("Held-out test", ts.test.as_ref())}
                    </tbody>
                </table>
            </div>
            {ranking_text(&ts.oof, ts.test.as_ref()).map(|t| view! { <p data-testid="hour-ranking">{t}</p> })}
            <h3>"Threshold options"</h3>
            <div class="table-scroll" role="region" aria-label="Threshold options" tabindex="0">
                <table data-testid="threshold-options">
                    <thead>
                        <tr>
                            <th scope="col">"Option"</th>
                            <th scope="col">"Rule"</th>
                            <th scope="col">"Threshold"</th>
                            <th scope="col">"Sensitivity (hours)"</th>
                            <th scope="col">"Specificity (hours)"</th>
                            <th scope="col">"Utility"</th>
                            <th scope="col">"Detected patients"</th>
                            <th scope="col">"Alert-hours per patient-day"</th>
                        </tr>
                    </thead>
                    <tbody>{options}</tbody>
                </table>
            </div>
        </section>
    }
    .into_any()
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

fn hyperparameters_text(h: &crate::core::models::Hyperparameters) -> String {
    h.to_string()
}

/// A row of the metrics table.
fn metric_row(
    name: &'static str,
    oof: &Metrics,
    test: Option<&Metrics>,
    f: fn(&Metrics) -> String,
) -> impl IntoView {
    view! {
        <tr>
            <th scope="row">{name}</th>
            <td class="num">{f(oof)}</td>
            <td class="num">{test.map_or_else(|| "–".to_string(), f)}</td>
        </tr>
    }
}

#[component]
fn ModelCard(bundle: &'static ModelBundle) -> impl IntoView {
    let card = &bundle.model_card;
    let rows = &bundle.curves.thresholds;
    let selected = bundle.comparison.iter().find(|c| c.selected);
    let family = selected.map_or_else(|| bundle.model.family().title(), |c| c.family.title());
    let start = threshold::nearest_index(rows, bundle.threshold);
    let pos = RwSignal::new(start);
    let stats = Memo::new(move |_| threshold::stats_at(rows, pos.get()));
    let oof = &bundle.oof_metrics;
    let test = bundle.test_metrics.as_ref();
    let prevalence = (oof.n > 0).then(|| oof.positives as f64 / oof.n as f64);

    let roc_points = Arc::new(
        bundle
            .curves
            .roc
            .iter()
            .map(|p| (p.fpr, p.tpr))
            .collect::<Vec<_>>(),
    );
    let pr_points = Arc::new(
        bundle
            .curves
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
    let risk_hist = Arc::new(bundle.curves.risk_histogram.clone());
    let risk = Signal::derive(move || ChartSpec::Risk {
        hist: risk_hist.clone(),
        by_label: true,
        threshold: stats.get().map(|s| s.threshold),
    });
    let calibration = ChartSpec::Calibration {
        after: Arc::new(cal_points(&bundle.curves.calibration)),
        before: Some(Arc::new(cal_points(
            &bundle.curves.calibration_uncalibrated,
        ))),
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

    let has_utility = bundle.comparison.iter().any(|c| c.oof_utility.is_some());
    let utility_curve = bundle
        .time_series
        .as_ref()
        .map(|t| t.utility_curve.as_slice())
        .unwrap_or_default();
    let comparison = bundle
        .comparison
        .iter()
        .map(|c| {
            view! {
                <tr class:selected=c.selected>
                    <th scope="row">{c.family.title()} {c.selected.then_some(" (selected)")}</th>
                    <td class="num">{format!("{} ± {}", number(Some(c.cv_mean), 3), number(Some(c.cv_sd), 3))}</td>
                    <td class="num">{number(Some(c.oof_roc_auc), 3)}</td>
                    <td class="num">{number(Some(c.oof_pr_auc), 3)}</td>
                    <td class="num">{number(Some(c.oof_brier), 3)}</td>
                    {has_utility.then(|| view! { <td class="num">{number(c.oof_utility, 3)}</td> })}
                    <td class="num">{c.candidates}</td>
                    <td>{hyperparameters_text(&c.hyperparameters)}</td>
                </tr>
            }
        })
        .collect_view();
    let t = &bundle.training;

    view! {
        <h1>{card.title.clone()}</h1>
        <div class="banner banner-warning caveat" data-testid="model-caveat">
            <h2>"Read this first: what this model predicts"</h2>
            <p><strong>{card.label_definition.clone()}</strong></p>
            <p>{card.intended_use.clone()}</p>
        </div>
        <div class="grid-2">
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
                <p class="notice">{card.notice.clone()}</p>
            </section>
            <section aria-labelledby="family-h" class="card">
                <h2 id="family-h">"Model"</h2>
                <dl class="facts">
                    <dt>"Family"</dt><dd data-testid="model-family">{family}</dd>
                    <dt>"Hyperparameters"</dt><dd>{hyperparameters_text(&bundle.hyperparameters)}</dd>
                    <dt>"Calibration"</dt><dd>{format!("{:?}", t.config.calibration)}</dd>
                    <dt>"Alert threshold"</dt><dd>{percent(bundle.threshold)}</dd>
                    <dt>"Threshold rule"</dt><dd>{bundle.threshold_policy.rule.clone()}</dd>
                    <dt>"Training seed"</dt><dd>{t.config.seed}</dd>
                    <dt>"Software"</dt><dd>{format!("sepsis-risk {}", bundle.software_version)}</dd>
                </dl>
                <h3>"Metrics at the alert threshold"</h3>
                <div class="table-scroll" role="region" aria-label="Metrics" tabindex="0">
                    <table data-testid="metrics-table">
                        <thead>
                            <tr>
                                <th scope="col">"Metric"</th>
                                <th scope="col">"Cross-validated (out of fold)"</th>
                                <th scope="col">"Held-out test"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {metric_row("Rows", oof, test, |m| count(m.n))}
                            {metric_row("ROC AUC", oof, test, |m| number(Some(m.roc_auc), 3))}
                            {metric_row("PR AUC (average precision)", oof, test, |m| number(Some(m.pr_auc), 3))}
                            {metric_row("Sensitivity", oof, test, |m| percent(m.sensitivity))}
                            {metric_row("Specificity", oof, test, |m| percent(m.specificity))}
                            {metric_row("PPV (precision)", oof, test, |m| percent(m.precision))}
                            {metric_row("NPV", oof, test, |m| percent(m.npv))}
                            {metric_row("Brier score", oof, test, |m| number(Some(m.brier), 3))}
                        </tbody>
                    </table>
                </div>
            </section>
        </div>
        <TimeSeriesCard bundle/>
        <section aria-labelledby="comparison-h">
            <h2 id="comparison-h">"Model families compared"</h2>
            <p>{format!("Each family's best candidate by mean {} over {} cross-validation folds.", bundle.cv_metric, t.config.folds)}</p>
            <div class="table-scroll" role="region" aria-labelledby="comparison-h" tabindex="0">
                <table data-testid="comparison-table">
                    <thead>
                        <tr>
                            <th scope="col">"Family"</th>
                            <th scope="col">{format!("CV {} (mean ± SD)", bundle.cv_metric)}</th>
                            <th scope="col">"Out-of-fold ROC AUC"</th>
                            <th scope="col">"Out-of-fold PR AUC"</th>
                            <th scope="col">"Out-of-fold Brier"</th>
                            {has_utility.then(|| view! { <th scope="col">"Out-of-fold utility (best threshold)"</th> })}
                            <th scope="col">"Candidates"</th>
                            <th scope="col">"Best hyperparameters"</th>
                        </tr>
                    </thead>
                    <tbody>{comparison}</tbody>
                </table>
            </div>
        </section>
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
