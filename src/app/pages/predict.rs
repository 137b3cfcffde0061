//! Batch predictions for the loaded data.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::components::A;

use crate::app::chart_spec::ChartSpec;
use crate::app::components::chart::Chart;
use crate::app::components::error_banner::ErrorBanner;
use crate::app::components::need_data::WithData;
use crate::app::components::results_table::ResultsTable;
use crate::app::components::table::{Column, Region, Table};
use crate::app::components::validation_panel::ValidationPanel;
use crate::app::context::AppState;
use crate::app::state::Loaded;
use crate::app::timeline::{self, PatientRow};
use crate::app::{links, web};
use crate::core::format::percent;
use crate::core::utility::IcuEvaluation;

/// The Predict page: the results table, the predicted-risk histogram, the results CSV
/// download, and (with labels) the local validation panel.
#[component]
pub fn PredictPage() -> impl IntoView {
    view! {
        <h1>"Predictions"</h1>
        <WithData let:data>
            <Predictions data/>
        </WithData>
    }
}

/// `name.csv` -> `name-results.csv`.
fn results_name(file_name: &str) -> String {
    let stem = file_name
        .rsplit_once('.')
        .map_or(file_name, |(stem, _)| stem);
    format!("{stem}-results.csv")
}

#[component]
fn Predictions(data: Arc<Loaded>) -> impl IntoView {
    let scored = match &data.scoring {
        Ok(s) => s.clone(),
        Err(e) => {
            let e = e.clone();
            return view! { <ErrorBanner title="No predictions">{e}</ErrorBanner> }.into_any();
        }
    };
    let bundle = expect_context::<AppState>().bundle_for(&data.model);
    let threshold = bundle.map(|b| b.threshold);
    let n = scored.rows.len();
    let scored_n = scored.predictions.iter().flatten().count();
    let alerts = scored
        .predictions
        .iter()
        .flatten()
        .filter(|p| p.predicted)
        .count();
    let name = results_name(&data.file_name);
    let error = RwSignal::new(None::<String>);
    let for_download = Arc::clone(&data);
    let download = move |_| {
        let csv = bundle
            .and_then(|b| for_download.results_csv(b))
            .ok_or_else(|| "There are no predictions to download.".to_string());
        error.set(
            csv.and_then(|text| web::download_text(&name, "text/csv;charset=utf-8", &text))
                .err(),
        );
    };
    let hist = ChartSpec::Risk {
        hist: Arc::new(scored.histogram.clone()),
        by_label: scored.histogram_by_label,
        threshold,
    };
    let hist_note = if scored.histogram_by_label {
        "Valid labelled rows, by label."
    } else {
        "All scored rows."
    };
    view! {
        <p class="lead">
            {format!(
                "{}: {scored_n} of {n} rows scored; {alerts} at or above the alert threshold ({}).",
                data.file_name,
                threshold.map_or_else(|| "–".into(), percent)
            )}
            " Rows with errors are kept and say why they have no prediction."
        </p>
        <p>
            <button type="button" class="primary" data-testid="download-results" on:click=download>
                "Download results (CSV)"
            </button>
            " The same columns and values as "
            <code>"sepsis-risk predict"</code>
            ": every input column, then sepsis_probability, sepsis_predicted, risk_band and issues."
        </p>
        {move || error.get().map(|e| view! { <ErrorBanner title="Download failed">{e}</ErrorBanner> })}
        {bundle.filter(|b| b.is_time_series()).map(|b| {
            let list = timeline::patient_list(b, &data.dataset, &scored.predictions);
            let eval = scored.time_series.clone();
            view! { <PatientList list eval/> }
        })}
        <section aria-labelledby="results-h">
            <h2 id="results-h">"Every row"</h2>
            <ResultsTable rows=Arc::new(scored.rows.clone()) has_id=data.dataset.has_id_column/>
        </section>
        <section aria-labelledby="risk-h">
            <h2 id="risk-h">"Predicted risk"</h2>
            <p>{hist_note} " The dashed line is the alert threshold."</p>
            <Chart spec=Signal::stored(hist) name="predicted-risk" label="Histogram of predicted risk"/>
        </section>
        {scored.validation.clone().map(|v| match v {
            Ok(v) => view! { <ValidationPanel validation=Arc::new(v)/> }.into_any(),
            Err(e) => view! {
                <section aria-labelledby="validation-h">
                    <h2 id="validation-h">"Local validation"</h2>
                    <p>{e}</p>
                </section>
            }.into_any(),
        })}
    }
    .into_any()
}

/// Time-series data: one row per patient with a link to the patient's timeline
/// (`data-testid="patient-link-<ID>"`), and the patient-level evaluation when labelled.
#[component]
fn PatientList(
    list: Vec<PatientRow>,
    eval: Option<Result<IcuEvaluation, String>>,
) -> impl IntoView {
    let n = list.len();
    let columns = vec![
        Column::row_header("Patient", |p: &PatientRow| {
            let (href, testid, id) = (
                links::patient_path(&p.id),
                format!("patient-link-{}", p.id),
                p.id.clone(),
            );
            view! { <A href=href attr:data-testid=testid>{id}</A> }
        }),
        Column::num("Hours", |p: &PatientRow| p.hours),
        Column::num("Highest risk", |p: &PatientRow| {
            p.max_risk.map_or_else(|| "–".to_string(), percent)
        }),
        Column::num("First alert", |p: &PatientRow| {
            p.first_alert
                .map_or_else(|| "none".to_string(), |h| format!("hour {h}"))
        }),
        Column::text("Label", |p: &PatientRow| match p.septic {
            Some(true) => "septic",
            Some(false) => "not septic",
            None => "–",
        }),
    ];
    let alert = Arc::new(|p: &PatientRow| if p.first_alert.is_some() { "alert" } else { "" });
    view! {
        <section aria-labelledby="patients-h">
            <h2 id="patients-h">"Patients"</h2>
            <p>{format!("{n} patients. Open a patient to see the risk and the vital signs hour by hour.")}</p>
            {eval.map(|e| match e {
                Ok(e) => view! {
                    <p data-testid="icu-evaluation">
                        {format!(
                            "On these labelled patients at the alert threshold: normalized utility {:.3}; {} of {} septic patients detected (first alert at most 3 hours after onset); {:.1} alert-hours per patient-day; median {} early.",
                            e.utility,
                            e.detected_patients,
                            e.septic_patients,
                            e.alerts_per_patient_day,
                            e.median_hours_early.map_or_else(|| "–".to_string(), |h| format!("{h} hours"))
                        )}
                        {e.auroc_vs_non_septic.zip(e.auroc_within_septic).map(|(b, w)| format!(
                            " Hour ranking (AUROC): positive hours vs never-septic patients' hours {b:.3}; within septic patients' stays {w:.3}."
                        ))}
                    </p>
                }.into_any(),
                Err(e) => view! { <p>{format!("No patient-level evaluation: {e}")}</p> }.into_any(),
            })}
            <Table testid="patient-table" columns rows=Signal::stored(list)
                region=Region::labelled_by("patients-h") row_class=alert/>
        </section>
    }
}
