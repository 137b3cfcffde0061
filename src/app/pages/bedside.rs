//! The bedside calculator: one patient typed in, risk updated as the user types.

use std::sync::Arc;

use leptos::prelude::*;

use crate::app::app::AppState;
use crate::app::bedside::{self, FieldStatus};
use crate::app::chart_spec::ChartSpec;
use crate::app::components::chart::Chart;
use crate::app::components::error_banner::ErrorBanner;
use crate::app::format::percent;
use crate::app::{model, web};
use crate::core::bundle::{Explanation, ModelBundle};

/// The Bedside page: a form with every model feature (label, unit, plausible range, help),
/// inline validation, and the live result: probability, risk band, threshold, imputed inputs
/// and the contribution chart. "Print" gives a one-page summary.
#[component]
pub fn BedsidePage() -> impl IntoView {
    view! {
        <h1>"Bedside calculator"</h1>
        {match model::seed_bundle() {
            Ok(b) => view! { <Bedside bundle=b/> }.into_any(),
            Err(e) => view! { <ErrorBanner title="The model is not available">{e}</ErrorBanner> }.into_any(),
        }}
    }
}

#[component]
fn Bedside(bundle: &'static ModelBundle) -> impl IntoView {
    let state = expect_context::<AppState>();
    let schema = &bundle.schema;
    let raw = state.bedside;
    let check = Memo::new(move |_| raw.with(|r| bedside::check_form(schema, r)));
    let explanation = Memo::new(move |_| {
        check.with(|c| {
            c.values()
                .map(|v| bundle.explain(&v).map_err(|e| e.to_string()))
        })
    });

    let fields = schema
        .features
        .iter()
        .enumerate()
        .map(|(j, col)| {
            let id = format!("field-{}", col.name);
            let help_id = format!("help-{}", col.name);
            let msg_id = format!("msg-{}", col.name);
            let unit = (!col.unit.is_empty()).then(|| format!(" ({})", col.unit));
            let range = bedside::range_text(col);
            let mut help = vec![format!("Enter {}.", bedside::expected_text(col))];
            if let Some(r) = &range {
                help.push(format!("Plausible range {r}."));
            }
            if !col.description.is_empty() {
                help.push(col.description.clone());
            }
            help.push("Leave empty if unknown.".into());
            let message = move || {
                check.with(|c| match &c.fields[j].status {
                    FieldStatus::Ok => None,
                    FieldStatus::Empty => Some(("msg-info", "Unknown: will be imputed.".to_string())),
                    FieldStatus::NotMeasured => {
                        Some(("msg-info", "Means “not measured”: will be imputed.".to_string()))
                    }
                    FieldStatus::Warning(m) => Some(("msg-warning", format!("Warning: {m}."))),
                    FieldStatus::Error(m) => Some(("msg-error", format!("Error: {m}."))),
                })
            };
            let invalid = move || check.with(|c| matches!(c.fields[j].status, FieldStatus::Error(_)));
            view! {
                <div class="field" class:has-error=invalid>
                    <label for=id.clone()>{col.label.clone()} {unit}</label>
                    <input
                        id=id.clone()
                        name=col.name.clone()
                        type="text"
                        inputmode="decimal"
                        autocomplete="off"
                        data-testid=id
                        aria-describedby=format!("{help_id} {msg_id}")
                        aria-invalid=move || if invalid() { "true" } else { "false" }
                        prop:value=move || raw.with(|r| r.get(j).cloned().unwrap_or_default())
                        on:input=move |ev| {
                            let v = event_target_value(&ev);
                            raw.update(|r| {
                                if r.len() <= j {
                                    r.resize(j + 1, String::new());
                                }
                                r[j] = v;
                            });
                        }
                    />
                    <p class="help" id=help_id>{help.join(" ")}</p>
                    <p class="msg" id=msg_id data-testid=format!("msg-{}", col.name) aria-live="polite">
                        {move || message().map(|(class, text)| view! { <span class=class>{text}</span> })}
                    </p>
                </div>
            }
        })
        .collect_view();

    let clear = move |_| raw.update(|r| r.iter_mut().for_each(String::clear));

    view! {
        <p class="lead">
            "Type one patient's values. The risk updates as you type. Empty fields are unknown
            and are imputed the way the model was trained to impute them."
        </p>
        <div class="bedside">
            <form class="card bedside-form" data-testid="bedside-form" aria-labelledby="inputs-h"
                on:submit=move |ev| ev.prevent_default()>
                <h2 id="inputs-h">"Inputs"</h2>
                {fields}
                <div class="form-actions no-print">
                    <button type="button" on:click=clear>"Clear all"</button>
                    <button type="button" on:click=move |_| web::print()>"Print summary"</button>
                </div>
            </form>
            <section class="card result" aria-labelledby="result-h" data-testid="bedside-result">
                <h2 id="result-h">"Result"</h2>
                {move || match explanation.get() {
                    None => {
                        let n = check.with(|c| c.error_count());
                        view! {
                            <p class="risk" data-testid="risk-probability">"–"</p>
                            <p class="msg-error" role="alert">
                                {format!("Fix the field{} marked as an error to see the risk.", if n == 1 { "" } else { "s" })}
                            </p>
                        }.into_any()
                    }
                    Some(Err(e)) => view! {
                        <p class="risk" data-testid="risk-probability">"–"</p>
                        <ErrorBanner title="No prediction">{e}</ErrorBanner>
                    }.into_any(),
                    Some(Ok(e)) => view! { <BedsideResult bundle explanation=Arc::new(e)/> }.into_any(),
                }}
            </section>
            // Phones: the form is long, so a bar at the bottom of the screen repeats the risk
            // while the user types (decorative; the result section is the accessible one).
            <p class="risk-sticky" aria-hidden="true">
                {move || match explanation.get() {
                    Some(Ok(e)) => format!(
                        "Risk {} · {} band",
                        percent(e.prediction.probability),
                        bundle.band_name(e.prediction.band)
                    ),
                    Some(Err(_)) => "No prediction".to_string(),
                    None => "Fix the fields marked as errors to see the risk".to_string(),
                }}
            </p>
        </div>
    }
}

/// The prediction for the typed values: probability, band, threshold, imputed inputs and the
/// contribution chart.
#[component]
fn BedsideResult(bundle: &'static ModelBundle, explanation: Arc<Explanation>) -> impl IntoView {
    let e = &explanation;
    let p = e.prediction.probability;
    let band = bundle.risk_bands.get(e.prediction.band);
    let band_name = bundle.band_name(e.prediction.band).to_string();
    let schema = &bundle.schema;
    let imputed: Vec<String> = e
        .contributions
        .iter()
        .zip(&schema.features)
        .filter_map(|(c, col)| c.imputed.map(|v| bedside::imputed_text(col, v)))
        .collect();
    let items = bedside::contribution_items(schema, e);
    // The chart writes "Contribution (<caption>)".
    let caption = if e.scale == "log-odds" {
        "log-odds"
    } else {
        "probability"
    };
    let spec = ChartSpec::Contributions {
        items: Arc::new(items),
        caption: caption.to_string(),
    };
    let above = e.prediction.predicted;
    view! {
        <p class="risk">
            <span class="risk-label">"Predicted probability "</span>
            <span data-testid="risk-probability" data-probability=p.to_string()>{percent(p)}</span>
        </p>
        <p>
            "Risk band: "
            <strong class=format!("band band-{}", e.prediction.band) data-testid="risk-band">{band_name}</strong>
            {band.map(|b| format!(
                " (out of fold, {} of the training patients in this band had the positive label)",
                percent(b.observed_rate)
            ))}
        </p>
        <p data-testid="risk-threshold" class=if above { "above" } else { "below" }>
            {if above { "At or above" } else { "Below" }}
            {format!(" the alert threshold of {}.", percent(bundle.threshold))}
        </p>
        {if imputed.is_empty() {
            view! { <p data-testid="imputed">"All inputs given; nothing imputed."</p> }.into_any()
        } else {
            view! {
                <div data-testid="imputed">
                    <p>"Unknown inputs, imputed:"</p>
                    <ul>{imputed.into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}</ul>
                </div>
            }.into_any()
        }}
        <h3>"What pushes the risk up or down"</h3>
        <p class="hint">
            "Vermillion bars raise the risk, blue bars lower it, relative to a typical patient
            of the training data."
        </p>
        <Chart spec=Signal::stored(spec) name="contributions" label="Contribution of each input to this prediction"/>
        <p class="notice print-only">
            "Research and education software, not a medical device. Do not use it to make or
            delay clinical decisions."
        </p>
    }
}
