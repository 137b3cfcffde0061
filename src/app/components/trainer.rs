//! The training run of the Train page: options, Train (a job in the Web Worker, with progress
//! and Cancel), and the result: the new model to keep or download, and its comparison with
//! the shipped model on the same held-out part of the data.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::components::A;

use crate::app::components::error_banner::ErrorBanner;
use crate::app::components::held_out_view::HeldOutView;
use crate::app::components::job_progress::{JobProgress, JobRun};
use crate::app::components::model_library::DownloadModel;
use crate::app::components::train_options::{TrainFields, TrainOptions};
use crate::app::context::AppState;
use crate::app::jobs::{self, Job};
use crate::app::library::{Added, LocalModel, Origin};
use crate::app::training::{HeldOutComparison, TrainSchema};
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

type Finished = (
    LocalModel,
    Option<Result<Box<HeldOutComparison>, String>>,
    f64,
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
        let train = Job::Train {
            schema,
            form: fields.form(),
            compare_with: compare_with.as_ref().and_then(|f| f()),
        };
        let source = label.get_untracked();
        job.start(&train, &files.get_value(), move |end| {
            match end.and_then(|(json, comparison, ms)| {
                ModelBundle::from_json(&json)
                    .map(|b| (b, comparison, ms))
                    .map_err(|e| format!("The new model cannot be read: {e}"))
            }) {
                Ok((b, comparison, ms)) => result.set(Some((
                    LocalModel::new(b, Origin::Trained, &source, js_sys::Date::now()),
                    comparison,
                    ms,
                ))),
                Err(e) => problems.set(vec![e]),
            }
        });
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
        {move || result.get().map(|(m, comparison, ms)| {
            let bundle = m.bundle;
            view! {
                <section class="card" data-testid="train-result" data-ms=ms.to_string()>
                    <h2>"The trained model"</h2>
                    <p>{
                        let chosen = bundle.comparison.iter().find(|c| c.selected);
                        format!(
                            "{} (trained in {}). Family shipped: {} (cross-validated {} {:.3}). It is not kept until you choose to:",
                            bundle.model_card.title,
                            jobs::seconds(ms),
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
