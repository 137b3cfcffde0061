//! The bedside calculator: one patient typed in, risk updated as the user types.

use std::sync::Arc;

use leptos::prelude::*;

use crate::app::app::{AppState, IcuStatus};
use crate::app::bedside::{self, FieldStatus};
use crate::app::chart_spec::ChartSpec;
use crate::app::components::chart::Chart;
use crate::app::components::error_banner::ErrorBanner;
use crate::app::format::percent;
use crate::app::icu_bedside::{self, IcuForm};
use crate::app::model::ModelKind;
use crate::app::{model, web};
use crate::core::bundle::{Explanation, ModelBundle};
use crate::core::schema::Column;

/// The Bedside page: a form with every model feature (label, unit, plausible range, help),
/// inline validation, and the live result: probability, risk band, threshold, imputed inputs
/// and the contribution chart. "Print" gives a one-page summary.
#[component]
pub fn BedsidePage() -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <h1>"Bedside calculator"</h1>
        {move || match state.model.get() {
            ModelKind::Seed => match model::seed_bundle() {
                Ok(b) => view! { <Bedside bundle=b/> }.into_any(),
                Err(e) => view! { <ErrorBanner title="The model is not available">{e}</ErrorBanner> }.into_any(),
            },
            ModelKind::Icu => match (state.bundle(), state.icu.get()) {
                (Some(b), _) => view! { <IcuBedside bundle=b/> }.into_any(),
                (None, IcuStatus::Failed(e)) => view! { <ErrorBanner title="The ICU model is not available">{e}</ErrorBanner> }.into_any(),
                (None, _) => view! { <p class="status" data-testid="model-loading">"Loading the ICU model…"</p> }.into_any(),
            },
        }}
    }
}

/// One labelled text input of a bedside form with its help and inline message.
fn field_input(
    col: &Column,
    id: String,
    label: String,
    help: Option<String>,
    value: Signal<String>,
    status: Signal<FieldStatus>,
    set: impl Fn(String) + 'static,
) -> impl IntoView {
    let help_id = format!("help-{id}");
    let msg_id = format!("msg-{id}");
    let message = move || match status.get() {
        FieldStatus::Ok => None,
        FieldStatus::Empty => None,
        FieldStatus::NotMeasured => {
            Some(("msg-info", "Means “not measured”: unknown.".to_string()))
        }
        FieldStatus::Warning(m) => Some(("msg-warning", format!("Warning: {m}."))),
        FieldStatus::Error(m) => Some(("msg-error", format!("Error: {m}."))),
    };
    let invalid = move || matches!(status.get(), FieldStatus::Error(_));
    let range = bedside::range_text(col);
    let help = help.unwrap_or_else(|| {
        let mut h = vec![format!("Enter {}.", bedside::expected_text(col))];
        if let Some(r) = &range {
            h.push(format!("Plausible range {r}."));
        }
        h.push("Empty means unknown.".into());
        h.join(" ")
    });
    view! {
        <div class="field" class:has-error=invalid>
            <label for=id.clone()>{label}</label>
            <input
                id=id.clone()
                type="text"
                inputmode="decimal"
                autocomplete="off"
                data-testid=id.clone()
                aria-describedby=format!("{help_id} {msg_id}")
                aria-invalid=move || if invalid() { "true" } else { "false" }
                prop:value=move || value.get()
                on:input=move |ev| set(event_target_value(&ev))
            />
            <p class="help" id=help_id>{help}</p>
            <p class="msg" id=msg_id aria-live="polite">
                {move || message().map(|(class, text)| view! { <span class=class>{text}</span> })}
            </p>
        </div>
    }
}

/// The ICU form: hours in ICU, this hour's vital signs, the latest other measurements
/// (laboratory values), demographics and stay, and optionally the vital signs of up to six
/// earlier hours; the risk is the ICU model's explanation of the series
/// (`ModelBundle::explain_series`, the current hour last).
#[component]
fn IcuBedside(bundle: &'static ModelBundle) -> impl IntoView {
    let state = expect_context::<AppState>();
    let schema = &bundle.schema;
    let form = state.icu_form;
    let checked = Memo::new(move |_| form.with(|f| icu_bedside::check(schema, f)));
    let result = Memo::new(move |_| {
        checked.with(|(_, rows)| {
            rows.as_ref().map(|rows| {
                let refs: Vec<&[f64]> = rows.iter().map(Vec::as_slice).collect();
                let start = web::now_ms();
                let e = bundle.explain_series(&refs).map_err(|e| e.to_string());
                (e, web::now_ms() - start, rows.len())
            })
        })
    });
    let Ok(t) = schema.resolve_temporal() else {
        return view! { <ErrorBanner title="Not a time-series model">"The ICU model has no temporal section."</ErrorBanner> }.into_any();
    };
    let trends = icu_bedside::trend_columns(schema);
    let current_field = move |j: usize| {
        let col = &schema.features[j];
        let unit = if col.unit.is_empty() {
            String::new()
        } else {
            format!(" ({})", col.unit)
        };
        field_input(
            col,
            format!("field-{}", col.name),
            format!("{}{unit}", col.label),
            None,
            Signal::derive(move || form.with(|f| f.current.get(j).cloned().unwrap_or_default())),
            Signal::derive(move || checked.with(|(c, _)| c.current.fields[j].status.clone())),
            move |v| {
                form.update(|f| {
                    if f.current.len() <= j {
                        f.current.resize(j + 1, String::new());
                    }
                    f.current[j] = v;
                })
            },
        )
    };
    let group = |title: &'static str, id: &'static str, cols: Vec<usize>| {
        view! {
            <fieldset class="field-group" aria-labelledby=id>
                <legend id=id>{title}</legend>
                {cols.into_iter().map(current_field).collect_view()}
            </fieldset>
        }
    };
    let others: Vec<usize> = t
        .measured
        .iter()
        .copied()
        .filter(|j| !trends.contains(j))
        .collect();
    let statics: Vec<usize> = t.statics.iter().copied().filter(|&j| j != t.time).collect();
    let earlier = (1..=icu_bedside::PREVIOUS_HOURS)
        .map(|k| {
            let cells = trends
                .iter()
                .enumerate()
                .map(|(i, &j)| {
                    let col = &schema.features[j];
                    field_input(
                        col,
                        format!("field-{}-h{k}", col.name),
                        format!("{}, {k} h earlier", col.name),
                        Some(format!(
                            "{} {k} hour{} before the current hour; empty means unknown.",
                            col.label,
                            if k == 1 { "" } else { "s" }
                        )),
                        Signal::derive(move || {
                            form.with(|f| {
                                f.previous
                                    .get(k - 1)
                                    .and_then(|h| h.get(i))
                                    .cloned()
                                    .unwrap_or_default()
                            })
                        }),
                        Signal::derive(move || {
                            checked.with(|(c, _)| c.previous[k - 1][i].status.clone())
                        }),
                        move |v| {
                            form.update(|f| {
                                if f.previous.len() < k {
                                    f.previous.resize(k, Vec::new());
                                }
                                let h = &mut f.previous[k - 1];
                                if h.len() <= i {
                                    h.resize(i + 1, String::new());
                                }
                                h[i] = v;
                            })
                        },
                    )
                })
                .collect_view();
            view! {
                <fieldset class="field-group earlier-hour">
                    <legend>{format!("{k} hour{} earlier", if k == 1 { "" } else { "s" })}</legend>
                    <div class="earlier-fields">{cells}</div>
                </fieldset>
            }
        })
        .collect_view();
    let clear = move |_| form.set(IcuForm::new(schema));
    view! {
        <p class="lead">
            "ICU model: type one patient's current hour. Empty fields are unknown (never
            measured); the model was trained on data where most laboratory values are missing
            most of the time. Earlier hours of the vital signs are optional and give the model
            their trends."
        </p>
        <div class="bedside">
            <form class="card bedside-form" data-testid="bedside-form" aria-labelledby="inputs-h"
                on:submit=move |ev| ev.prevent_default()>
                <h2 id="inputs-h">"Current hour"</h2>
                {group("Hours in ICU", "g-time", vec![t.time])}
                {group("Vital signs", "g-vitals", trends.clone())}
                {group("Latest laboratory and other values", "g-labs", others)}
                {group("Demographics and stay", "g-static", statics)}
                <details class="earlier">
                    <summary>"Earlier hours of the vital signs (optional)"</summary>
                    <p class="hint">"Each earlier hour k is ICU hour (current − k). Leave hours empty if unknown."</p>
                    {earlier}
                </details>
                <p class="hint" data-testid="hours-used">
                    {move || checked.with(|(c, _)| {
                        let mut s = format!("Hours used: the current hour and {} earlier.", c.hours_used);
                        for n in &c.notes {
                            s.push(' ');
                            s.push_str(n);
                        }
                        s
                    })}
                </p>
                {form_actions(clear)}
            </form>
            <section class="card result" aria-labelledby="result-h" data-testid="bedside-result">
                <h2 id="result-h">"Result"</h2>
                {move || match result.get() {
                    None => no_result(None, checked.with(|(c, _)| c.error_count())),
                    Some((Err(e), _, _)) => no_result(Some(e), 0),
                    Some((Ok(e), ms, hours)) => view! {
                        <p class="hint" data-testid="explain-ms" data-ms=ms.to_string() data-hours=hours.to_string()>
                            {format!("Scored {hours} hour{} in {ms:.1} ms.", if hours == 1 { "" } else { "s" })}
                        </p>
                        <BedsideResult bundle explanation=Arc::new(e)/>
                    }.into_any(),
                }}
            </section>
        </div>
    }
    .into_any()
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
                {form_actions(clear)}
            </form>
            <section class="card result" aria-labelledby="result-h" data-testid="bedside-result">
                <h2 id="result-h">"Result"</h2>
                {move || match explanation.get() {
                    None => no_result(None, check.with(|c| c.error_count())),
                    Some(Err(e)) => no_result(Some(e), 0),
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

/// The "Clear all" and "Print summary" buttons under both forms.
fn form_actions(clear: impl Fn(leptos::ev::MouseEvent) + 'static) -> impl IntoView {
    view! {
        <div class="form-actions no-print">
            <button type="button" on:click=clear>"Clear all"</button>
            <button type="button" on:click=move |_| web::print()>"Print summary"</button>
        </div>
    }
}

/// The result section when there is no risk to show: the model's `error`, or else the number
/// of fields with errors to fix.
fn no_result(error: Option<String>, error_fields: usize) -> AnyView {
    let why = match error {
        Some(e) => view! { <ErrorBanner title="No prediction">{e}</ErrorBanner> }.into_any(),
        None => view! {
            <p class="msg-error" role="alert">
                {format!(
                    "Fix the field{} marked as an error to see the risk.",
                    if error_fields == 1 { "" } else { "s" }
                )}
            </p>
        }
        .into_any(),
    };
    view! {
        <p class="risk" data-testid="risk-probability">"–"</p>
        {why}
    }
    .into_any()
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
