//! The Recalibrate page: the selected model checked and recalibrated on the loaded labelled
//! data, with the figures before and after, the new model to keep or download.

use std::sync::Arc;

use leptos::prelude::*;

use crate::app::components::error_banner::ErrorBanner;
use crate::app::components::job_progress::{JobProgress, JobRun};
use crate::app::components::model_library::DownloadModel;
use crate::app::components::need_data::WithData;
use crate::app::components::recalibration_view::RecalibrationView;
use crate::app::components::with_model::WithModel;
use crate::app::context::AppState;
use crate::app::jobs::Job;
use crate::app::library::{Added, LocalModel, Origin};
use crate::app::recalibration::{self, RecalibrateForm};
use crate::app::state::Loaded;
use crate::core::bundle::ModelBundle;

/// The page: an explanation, then (with data loaded and the model ready) the form and result.
#[component]
pub fn RecalibratePage() -> impl IntoView {
    view! {
        <h1>"Recalibrate a model on your data"</h1>
        <p class="lead">
            "A model that moves to another hospital often keeps its ranking of patients but loses
            its calibration: its risks run too high or too low, and its alert threshold no longer
            gives the sensitivity it was chosen for. Load labelled data from your hospital (the
            outcome recorded), then refit the selected model's calibration and threshold on it.
            The work happens in this browser; the data never leaves it."
        </p>
        <WithData let:data>
            <WithModel let:bundle>
                <Recalibrator data=data.clone() bundle/>
            </WithModel>
        </WithData>
    }
}

/// The form (method, folds, seed, threshold rule, target sensitivity), the run and its result.
#[component]
fn Recalibrator(data: Arc<Loaded>, bundle: &'static ModelBundle) -> impl IntoView {
    if let Some(why) = recalibration::unusable(bundle, &data) {
        return view! {
            <ErrorBanner title="This data cannot recalibrate the selected model">
                <p data-testid="recalibrate-unusable">{why}</p>
            </ErrorBanner>
        }
        .into_any();
    }
    let state = expect_context::<AppState>();
    let defaults = RecalibrateForm::default();
    let method = RwSignal::new(defaults.method);
    let folds = RwSignal::new(defaults.folds);
    let seed = RwSignal::new(defaults.seed);
    let rule = RwSignal::new(defaults.rule);
    let target = RwSignal::new(defaults.target);
    let job = JobRun::new();
    let problems = RwSignal::new(Vec::<String>::new());
    let result = RwSignal::new(None::<(LocalModel, f64)>);
    let kept = RwSignal::new(None::<String>);
    let time_series = bundle.is_time_series();
    let file_name = data.file_name.clone();
    let run = move |_| {
        let form = RecalibrateForm {
            method: method.get_untracked(),
            folds: folds.get_untracked(),
            seed: seed.get_untracked(),
            rule: rule.get_untracked(),
            target: target.get_untracked(),
        };
        if let Err(p) = form.config() {
            problems.set(p);
            return;
        }
        let parent = match state.bundle_json(bundle) {
            Ok(json) => json,
            Err(e) => {
                problems.set(vec![format!("The model cannot be sent to the worker: {e}")]);
                return;
            }
        };
        problems.set(Vec::new());
        result.set(None);
        kept.set(None);
        let file_name = file_name.clone();
        job.start(
            &Job::Recalibrate { parent, form },
            &state.sources.get_value(),
            move |end| match end.and_then(|done| {
                ModelBundle::from_json(&done.bundle)
                    .map(|b| (b, done.ms))
                    .map_err(|e| format!("The new model cannot be read: {e}"))
            }) {
                Ok((b, ms)) => result.set(Some((
                    LocalModel::new(b, Origin::Recalibrated, &file_name, js_sys::Date::now()),
                    ms,
                ))),
                Err(e) => problems.set(vec![e]),
            },
        );
    };
    let keep = move |_| {
        if let Some((m, _)) = result.get_untracked() {
            let title = m.title();
            kept.set(Some(match state.add_model(m) {
                Added::New => format!("Kept in your models and selected: {title}."),
                Added::Existing => "This model is already in your models; it is selected.".into(),
            }));
        }
    };
    let parent_rule = bundle.threshold_policy.rule.clone();
    let rows = data.dataset.rows.len();
    view! {
        <section aria-labelledby="recal-form-h" class="card" data-testid="recalibrate-form">
            <h2 id="recal-form-h">"Options"</h2>
            <p>
                {format!(
                    "Model: {}. Data: {} ({} rows). The same options as `sepsis-risk recalibrate` \
                     give the same model file.",
                    bundle.model_card.title, data.file_name, rows
                )}
            </p>
            <div class="form-grid">
                <label for="recal-method">"Calibration method"</label>
                <select id="recal-method" data-testid="recal-method"
                    on:change=move |ev| method.set(event_target_value(&ev))>
                    <option value="platt" selected=move || method.get() == "platt">"Platt scaling (logistic)"</option>
                    <option value="isotonic" selected=move || method.get() == "isotonic">"Isotonic regression"</option>
                </select>
                <label for="recal-folds">"Cross-fitting folds (2 to 50)"</label>
                <input id="recal-folds" data-testid="recal-folds" inputmode="numeric"
                    prop:value=move || folds.get() on:input=move |ev| folds.set(event_target_value(&ev))/>
                <label for="recal-seed">"Seed of the folds"</label>
                <input id="recal-seed" data-testid="recal-seed" inputmode="numeric"
                    prop:value=move || seed.get() on:input=move |ev| seed.set(event_target_value(&ev))/>
                <label for="recal-rule">"Threshold rule"</label>
                <select id="recal-rule" data-testid="recal-rule"
                    on:change=move |ev| rule.set(event_target_value(&ev))>
                    <option value="auto" selected=move || rule.get() == "auto">{format!("The model's: {parent_rule}")}</option>
                    <option value="sensitivity" selected=move || rule.get() == "sensitivity">"Target sensitivity"</option>
                    {time_series.then(|| view! {
                        <option value="utility" selected=move || rule.get() == "utility">"Best utility (PhysioNet 2019)"</option>
                    })}
                </select>
                <label for="recal-target">"Target sensitivity (empty: the model's)"</label>
                <input id="recal-target" data-testid="recal-target" inputmode="decimal"
                    placeholder=format!("{}", bundle.threshold_policy.target_sensitivity)
                    prop:value=move || target.get() on:input=move |ev| target.set(event_target_value(&ev))/>
            </div>
            <p>
                <button type="button" data-testid="run-recalibration" on:click=run disabled=move || job.busy.get()>
                    "Recalibrate"
                </button>
            </p>
            <JobProgress title="Recalibrating" run=job/>
            {move || {
                let p = problems.get();
                (!p.is_empty()).then(|| view! {
                    <ErrorBanner title="The model could not be recalibrated">
                        <ul data-testid="recalibrate-error">{p.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}</ul>
                    </ErrorBanner>
                })
            }}
        </section>
        {move || result.get().map(|(m, ms)| {
            let bundle = m.bundle;
            bundle.recalibration.as_ref().map(|r| view! {
                <section class="card" data-testid="recalibrate-result" data-ms=ms.to_string()>
                    <h2>"The recalibrated model"</h2>
                    <p>{format!("{} (in {ms:.0} ms). It is not kept until you choose to:", bundle.model_card.title)}</p>
                    <p>
                        <button type="button" data-testid="keep-recalibrated" on:click=keep>
                            "Keep it in your models and use it"
                        </button>
                    </p>
                    <p class="status" aria-live="polite" data-testid="kept-note">{move || kept.get()}</p>
                    <DownloadModel bundle/>
                </section>
                <RecalibrationView r/>
            })
        })}
    }
    .into_any()
}
