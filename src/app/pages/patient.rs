//! One patient's ICU stay: predicted risk and vital signs by ICU hour.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::app::chart_spec::ChartSpec;
use crate::app::components::chart::Chart;
use crate::app::components::error_banner::ErrorBanner;
use crate::app::components::need_data::WithData;
use crate::app::components::table::{Column, Region, Table};
use crate::app::context::AppState;
use crate::app::links;
use crate::app::state::Loaded;
use crate::app::timeline::{self, Timeline};
use crate::core::format::percent;

/// The patient page (`/patient/:id`, `data-testid="patient-timeline"`): the risk over ICU
/// hours with the alert threshold and, with labels, the onset marker; the vital signs below;
/// and the hour-by-hour numbers. Needs loaded time-series data with predictions.
#[component]
pub fn PatientPage() -> impl IntoView {
    let state = expect_context::<AppState>();
    let params = use_params_map();
    let id = move || links::decode_segment(&params.with(|p| p.get("id").unwrap_or_default()));
    view! {
        <h1>{move || format!("Patient {}", id())}</h1>
        <p><A href="/predict">"Back to all patients"</A></p>
        <WithData let:data>
            {patient_view(state, data, &id())}
        </WithData>
    }
}

fn patient_view(state: AppState, d: Arc<Loaded>, id: &str) -> AnyView {
    let Some(bundle) = state.bundle_for(&d.model).filter(|b| b.is_time_series()) else {
        return view! {
            <ErrorBanner title="No timeline">
                "The loaded data is not ICU time-series data scored by the ICU model."
            </ErrorBanner>
        }
        .into_any();
    };
    let Ok(scored) = &d.scoring else {
        return view! { <ErrorBanner title="No predictions">"The data has no predictions."</ErrorBanner> }.into_any();
    };
    match timeline::build(bundle, &d.dataset, &scored.predictions, id) {
        Some(t) => view! { <PatientTimeline t=Arc::new(t)/> }.into_any(),
        None => view! {
            <ErrorBanner title="Unknown patient">{format!("The loaded data has no patient \"{id}\".")}</ErrorBanner>
        }
        .into_any(),
    }
}

#[component]
fn PatientTimeline(t: Arc<Timeline>) -> impl IntoView {
    let spec = ChartSpec::Timeline {
        risk: Arc::new(t.risk.clone()),
        threshold: Some(t.threshold),
        onset: t.onset,
        vitals: Arc::new(
            t.vitals
                .iter()
                .map(|v| (v.label.clone(), v.points.clone()))
                .collect(),
        ),
    };
    let last = t.risk.last().copied();
    let onset_text = match (t.labelled, t.onset) {
        (false, _) => "The data has no labels, so no onset is marked.".to_string(),
        (true, None) => {
            "The labels say this patient did not become septic during the stay.".to_string()
        }
        (true, Some(o)) => format!(
            "Onset (from the labels: first positive hour + 6) at ICU hour {o}; the dashed vermillion line."
        ),
    };
    let threshold = t.threshold;
    let columns = vec![
        Column::num("ICU hour", |&(h, _): &(f64, f64)| h),
        Column::num("Risk", |&(_, p): &(f64, f64)| {
            view! { <span data-probability=p.to_string()>{percent(p)}</span> }
        }),
        Column::text("Threshold", move |&(_, p): &(f64, f64)| {
            if p >= threshold {
                "at or above"
            } else {
                "below"
            }
        }),
    ];
    let alert = Arc::new(move |&(_, p): &(f64, f64)| if p >= threshold { "alert" } else { "" });
    view! {
        <section class="patient-timeline" data-testid="patient-timeline" aria-labelledby="timeline-h"
            data-hours=t.hours.to_string()>
            <h2 id="timeline-h">"Risk and vital signs by ICU hour"</h2>
            <dl class="facts">
                <dt>"Hours"</dt><dd>{t.hours}</dd>
                <dt>"Latest risk"</dt><dd>{last.map_or_else(|| "–".to_string(), |(h, p)| format!("{} at hour {h}", percent(p)))}</dd>
                <dt>"Alert threshold"</dt><dd>{percent(t.threshold)}</dd>
                <dt>"First alert"</dt><dd>{t.first_alert.map_or_else(|| "none".to_string(), |h| format!("hour {h}"))}</dd>
            </dl>
            <p>{onset_text}</p>
            <div>
                <Chart spec=Signal::stored(spec) name=format!("patient-{}-timeline", t.id)
                    label="Predicted risk with the alert threshold and the onset, and the vital signs, by ICU hour"
                    testid="timeline-chart"/>
            </div>
            <details>
                <summary>"Risk hour by hour"</summary>
                <Table testid="timeline-table" columns rows=Signal::stored(t.risk.clone())
                    region=Region::label("Risk hour by hour").long() row_class=alert/>
            </details>
        </section>
    }
}
