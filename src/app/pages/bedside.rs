//! The bedside calculator: one patient typed in, risk updated as the user types.

use std::sync::Arc;

use leptos::prelude::*;

use crate::app::bedside::{self, Unknown};
use crate::app::chart_spec::ChartSpec;
use crate::app::components::chart::Chart;
use crate::app::components::error_banner::ErrorBanner;
use crate::app::components::field_input::FieldInput;
use crate::app::components::with_model::WithModel;
use crate::app::context::AppState;
use crate::app::icu_bedside::{self, IcuCheck, IcuForm};
use crate::app::web;
use crate::core::Error;
use crate::core::bundle::{Explanation, ModelBundle};
use crate::core::format::percent;

/// The checked ICU form and its series (`None` while a field has an error).
type IcuChecked = (IcuCheck, Option<Vec<Vec<f64>>>);

/// The Bedside page: a form with every model feature (label, unit, plausible range, help),
/// inline validation, and the live result: probability, risk band, threshold, imputed inputs
/// and the contribution chart. "Print" gives a one-page summary.
#[component]
pub fn BedsidePage() -> impl IntoView {
    view! {
        <h1>"Bedside calculator"</h1>
        <WithModel let:bundle>
            {if bundle.is_time_series() {
                view! { <IcuBedside bundle/> }.into_any()
            } else {
                view! { <Bedside bundle/> }.into_any()
            }}
        </WithModel>
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
    let Ok(t) = schema.resolve_temporal() else {
        return view! { <ErrorBanner title="Not a time-series model">"The ICU model has no temporal section."</ErrorBanner> }.into_any();
    };
    let trends = icu_bedside::trend_columns(schema);
    let others: Vec<usize> = t
        .measured
        .iter()
        .copied()
        .filter(|j| !trends.contains(j))
        .collect();
    let statics: Vec<usize> = t.statics.iter().copied().filter(|&j| j != t.time).collect();
    let group = move |title: &'static str, id: &'static str, cols: Vec<usize>| {
        view! { <IcuFieldGroup bundle checked title id cols/> }
    };
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
                {group("Vital signs", "g-vitals", trends)}
                {group("Latest laboratory and other values", "g-labs", others)}
                {group("Demographics and stay", "g-static", statics)}
                <EarlierHours bundle checked/>
                <p class="hint" data-testid="hours-used">
                    {move || checked.with(|(c, _)| c.hours_text())}
                </p>
                {form_actions(clear)}
            </form>
            <IcuResult bundle checked/>
        </div>
    }
    .into_any()
}

/// A fieldset of current-hour fields of the ICU form (schema indices `cols`).
#[component]
fn IcuFieldGroup(
    bundle: &'static ModelBundle,
    checked: Memo<IcuChecked>,
    title: &'static str,
    id: &'static str,
    cols: Vec<usize>,
) -> impl IntoView {
    let form = expect_context::<AppState>().icu_form;
    let field = move |j: usize| {
        let col = &bundle.schema.features[j];
        view! {
            <FieldInput
                key=col.name.clone()
                label=bedside::field_label(col)
                help=bedside::help_text(col, Unknown::Unmeasured)
                value=Signal::derive(move || form.with(|f| f.current.get(j).cloned().unwrap_or_default()))
                status=Signal::derive(move || checked.with(|(c, _)| c.current.fields[j].status.clone()))
                unknown=Unknown::Unmeasured
                on_input=Callback::new(move |v: String| form.update(|f| f.set_current(j, v)))
            />
        }
    };
    view! {
        <fieldset class="field-group" aria-labelledby=id>
            <legend id=id>{title}</legend>
            {cols.into_iter().map(field).collect_view()}
        </fieldset>
    }
}

/// The optional earlier hours of the vital signs (hour `k` earlier is ICU hour current − k).
#[component]
fn EarlierHours(bundle: &'static ModelBundle, checked: Memo<IcuChecked>) -> impl IntoView {
    let form = expect_context::<AppState>().icu_form;
    let schema = &bundle.schema;
    let trends = icu_bedside::trend_columns(schema);
    let plural = |k: usize| if k == 1 { "" } else { "s" };
    let hour = move |k: usize| {
        let cells = trends
            .iter()
            .enumerate()
            .map(|(i, &j)| {
                let col = &schema.features[j];
                view! {
                    <FieldInput
                        key=format!("{}-h{k}", col.name)
                        label=format!("{}, {k} h earlier", col.name)
                        help=format!(
                            "{} {k} hour{} before the current hour; empty means unknown.",
                            col.label,
                            plural(k)
                        )
                        value=Signal::derive(move || form.with(|f| f.previous_text(k, i).to_string()))
                        status=Signal::derive(move || checked.with(|(c, _)| c.previous[k - 1][i].status.clone()))
                        unknown=Unknown::Unmeasured
                        on_input=Callback::new(move |v: String| form.update(|f| f.set_previous(k, i, v)))
                    />
                }
            })
            .collect_view();
        view! {
            <fieldset class="field-group earlier-hour">
                <legend>{format!("{k} hour{} earlier", plural(k))}</legend>
                <div class="earlier-fields">{cells}</div>
            </fieldset>
        }
    };
    view! {
        <details class="earlier">
            <summary>"Earlier hours of the vital signs (optional)"</summary>
            <p class="hint">"Each earlier hour k is ICU hour (current − k). Leave hours empty if unknown."</p>
            {(1..=icu_bedside::PREVIOUS_HOURS).map(hour).collect_view()}
        </details>
    }
}

/// The ICU form's result: the series scored (hours and milliseconds) and the prediction.
#[component]
fn IcuResult(bundle: &'static ModelBundle, checked: Memo<IcuChecked>) -> impl IntoView {
    let result = Memo::new(move |_| {
        checked.with(|(_, rows)| {
            rows.as_ref().map(|rows| {
                let refs: Vec<&[f64]> = rows.iter().map(Vec::as_slice).collect();
                let start = web::now_ms();
                let e = bundle.explain_series(&refs);
                (e, web::now_ms() - start, rows.len())
            })
        })
    });
    view! {
        <section class="card result" aria-labelledby="result-h" data-testid="bedside-result">
            <h2 id="result-h">"Result"</h2>
            {move || match result.get() {
                None => no_result(None, checked.with(|(c, _)| c.error_count())),
                Some((Err(Error::NoEvidence(why)), _, _)) => no_evidence(why),
                Some((Err(e), _, _)) => no_result(Some(e.to_string()), 0),
                Some((Ok(e), ms, hours)) => view! {
                    <p class="hint" data-testid="explain-ms" data-ms=ms.to_string() data-hours=hours.to_string()>
                        {format!("Scored {hours} hour{} in {ms:.1} ms.", if hours == 1 { "" } else { "s" })}
                    </p>
                    <BedsideResult bundle explanation=Arc::new(e)/>
                }.into_any(),
            }}
        </section>
    }
}

/// The seed form: one field per model feature, the live result, and (phones) the risk
/// repeated in a bar at the bottom of the screen.
#[component]
fn Bedside(bundle: &'static ModelBundle) -> impl IntoView {
    let state = expect_context::<AppState>();
    let schema = &bundle.schema;
    let raw = state.bedside;
    let check = Memo::new(move |_| raw.with(|r| bedside::check_form(schema, r)));
    let explanation = Memo::new(move |_| check.with(|c| c.values().map(|v| bundle.explain(&v))));

    let fields = schema
        .features
        .iter()
        .enumerate()
        .map(|(j, col)| {
            view! {
                <FieldInput
                    key=col.name.clone()
                    label=bedside::field_label(col)
                    help=bedside::help_text(col, Unknown::Imputed)
                    value=Signal::derive(move || raw.with(|r| r.get(j).cloned().unwrap_or_default()))
                    status=Signal::derive(move || check.with(|c| c.fields[j].status.clone()))
                    unknown=Unknown::Imputed
                    on_input=Callback::new(move |v: String| {
                        raw.update(|r| {
                            if r.len() <= j {
                                r.resize(j + 1, String::new());
                            }
                            r[j] = v;
                        })
                    })
                />
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
                    Some(Err(Error::NoEvidence(why))) => no_evidence(why),
                    Some(Err(e)) => no_result(Some(e.to_string()), 0),
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
                    Some(Err(Error::NoEvidence(_))) => "Enter a clinical value to see the risk".to_string(),
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

/// The result section when the inputs do not meet the schema's minimum evidence: no risk,
/// and what is needed (`why`, from the core), as information rather than an error.
fn no_evidence(why: String) -> AnyView {
    view! {
        <p class="risk" data-testid="risk-probability">"–"</p>
        <p class="msg-info" role="status" data-testid="no-evidence">
            {format!("No risk yet: {}.", why.trim_start_matches("no risk given: "))}
        </p>
    }
    .into_any()
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
