//! The training run of the Train page: options, Train (a job in the Web Worker, with progress
//! and Cancel), and the result: the new model to keep or download, and its comparison with
//! the shipped model on the same held-out part of the data.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::components::A;

use crate::app::components::error_banner::ErrorBanner;
use crate::app::components::held_out_view::HeldOutView;
use crate::app::components::job_progress::{JobProgress, JobRun, TrainParts};
use crate::app::components::model_library::DownloadModel;
use crate::app::components::train_options::{TrainFields, TrainOptions};
use crate::app::context::AppState;
use crate::app::jobs;
use crate::app::library::{Added, LocalModel, Origin};
use crate::app::training::{HeldOutComparison, TrainSchema};
use crate::app::web;
use crate::core::bundle::ModelBundle;

/// What the trainer trains on.
#[derive(Clone)]
pub struct TrainInput {
    /// The data's format (a roles file may still have problems: shown, nothing runs).
    pub schema: Signal<Result<TrainSchema, Vec<String>>>,
    /// The files, in reading order, with their names.
    pub files: StoredValue<Vec<(String, web_sys::Blob)>, LocalStorage>,
    /// What the files are called (the model records it as its source).
    pub label: Signal<String>,
    /// The model to compare with: its JSON, fetched when training starts (None: no
    /// comparison).
    pub compare_with: Option<Arc<dyn Fn() -> Option<String> + Send + Sync>>,
}

/// The trained model, its comparison, and the worker's milliseconds and peak memory.
type Finished = (
    LocalModel,
    Option<Result<Box<HeldOutComparison>, String>>,
    (f64, f64),
);

/// The trainer.
#[component]
pub fn Trainer(input: TrainInput) -> impl IntoView {
    let state = expect_context::<AppState>();
    let fields = TrainFields::new();
    let job = JobRun::new();
    let problems = RwSignal::new(Vec::<String>::new());
    let result = RwSignal::new(None::<Finished>);
    let kept = RwSignal::new(None::<String>);
    let TrainInput {
        schema,
        files,
        label,
        compare_with,
    } = input;
    let run = move |_| {
        web::mark("sepsis-risk:train-click");
        let schema = match schema.get_untracked() {
            Ok(s) => s,
            Err(p) => {
                problems.set(p);
                return;
            }
        };
        problems.set(Vec::new());
        result.set(None);
        kept.set(None);
        let train = TrainParts {
            schema,
            form: fields.form(),
            compare_with: compare_with.as_ref().and_then(|f| f()),
        };
        let source = label.get_untracked();
        // Wall time from the click: with parallel workers, the searches and the final fit.
        let started = web::now_ms();
        job.start_training(
            train,
            fields.workers(),
            files.get_value(),
            move |end| match end.and_then(|done| {
                ModelBundle::from_json(&done.bundle)
                    .map(|b| (b, done))
                    .map_err(|e| format!("The new model cannot be read: {e}"))
            }) {
                Ok((b, done)) => result.set(Some((
                    LocalModel::new(b, Origin::Trained, &source, js_sys::Date::now()),
                    done.comparison,
                    (web::now_ms() - started, done.memory_bytes),
                ))),
                Err(e) => problems.set(vec![e]),
            },
        );
        web::mark("sepsis-risk:train-started");
    };
    let keep = move |_| {
        if let Some((m, _, _)) = result.get_untracked() {
            let title = m.title();
            kept.set(Some(match state.add_model(m) {
                Added::New => format!("Kept in your models and selected: {title}."),
                Added::Existing => "This model is already in your models; it is selected.".into(),
            }));
        }
    };
    view! {
        <TrainOptions fields/>
        <p>
            <button type="button" data-testid="run-training" on:click=run disabled=move || job.busy.get()>
                "Train"
            </button>
        </p>
        <JobProgress title="Training" run=job/>
        {move || {
            let p = problems.get();
            (!p.is_empty()).then(|| view! {
                <ErrorBanner title="The model could not be trained">
                    <ul data-testid="train-error">{p.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}</ul>
                </ErrorBanner>
            })
        }}
        {move || result.get().map(|(m, comparison, (ms, memory))| {
            let bundle = m.bundle;
            view! {
                <section class="card" data-testid="train-result" data-ms=ms.to_string()
                    data-memory=memory.to_string()>
                    <h2>"The trained model"</h2>
                    <p>{
                        let chosen = bundle.comparison.iter().find(|c| c.selected);
                        format!(
                            "{} (trained in {}, {:.0} MB of memory). Family shipped: {} (cross-validated {} {:.3}). It is not kept until you choose to:",
                            bundle.model_card.title,
                            jobs::seconds(ms),
                            memory / 1e6,
                            chosen.map_or("?", |c| c.family.title()),
                            bundle.cv_metric,
                            chosen.map_or(f64::NAN, |c| c.cv_mean),
                        )
                    }</p>
                    <p>
                        <button type="button" data-testid="keep-trained" on:click=keep>
                            "Keep it in your models and use it"
                        </button>
                    </p>
                    <p class="status" aria-live="polite" data-testid="kept-note">
                        {move || kept.get().map(|k| view! {
                            {k}" "<A href="/model">"See its model card, charts and family comparison"</A>
                        })}
                    </p>
                    <DownloadModel bundle/>
                </section>
                {comparison.map(|c| view! { <HeldOutView comparison=c/> })}
            }
        })}
    }
}
