//! The Train page: a model trained on the loaded labelled data (seed or ICU format), or on
//! data in any other format through a column-role mapping, with the same pipeline as
//! `sepsis-risk train`, in the Web Worker; compared with the shipped model on the same
//! held-out part.

use std::sync::Arc;

use leptos::prelude::*;

use crate::app::components::error_banner::ErrorBanner;
use crate::app::components::need_data::WithData;
use crate::app::components::role_mapper::RoleMapper;
use crate::app::components::trainer::{TrainInput, Trainer};
use crate::app::context::{self, AppState};
use crate::app::model::{self, ModelKind};
use crate::app::state::Loaded;
use crate::app::training::TrainSchema;
use crate::core::schema;

/// The page.
#[component]
pub fn TrainPage() -> impl IntoView {
    // Which data: the loaded upload, or a file mapped with roles (one trainer at a time).
    let roles = RwSignal::new(false);
    view! {
        <h1>"Train a model on your data"</h1>
        <p class="lead">
            "A model trained on your own hospital's labelled data usually beats one brought from
            elsewhere. Training runs in this browser, in the background, with the same pipeline
            and the same options as "<code>"sepsis-risk train"</code>
            " (the same data, options and seed give the same model file); the data never leaves
            it. The new model is compared with the shipped one on a part of your data that
            training held out. Research software, not a medical device: a model trained here has
            not been validated anywhere else."
        </p>
        <fieldset class="train-source">
            <legend>"Train on"</legend>
            <label for="train-source-loaded">
                <input type="radio" name="train-source" id="train-source-loaded"
                    data-testid="train-source-loaded" prop:checked=move || !roles.get()
                    on:change=move |_| roles.set(false)/>
                "the loaded data (seed or ICU format)"
            </label>
            <label for="train-source-roles">
                <input type="radio" name="train-source" id="train-source-roles"
                    data-testid="train-source-roles" prop:checked=move || roles.get()
                    on:change=move |_| roles.set(true)/>
                "data in another format (map its columns)"
            </label>
        </fieldset>
        {move || if roles.get() {
            view! { <RoleMapper/> }.into_any()
        } else {
            view! {
                <section aria-labelledby="train-loaded-h" class="card" data-testid="train-loaded">
                    <h2 id="train-loaded-h">"The loaded data"</h2>
                    <WithData let:data>
                        <FromLoaded data=data.clone()/>
                    </WithData>
                </section>
            }
            .into_any()
        }}
    }
}

/// Training on the loaded upload, when it is labelled and in a built-in format.
#[component]
fn FromLoaded(data: Arc<Loaded>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let ds = &data.dataset;
    if !ds.has_label_column {
        let why = format!(
            "{}: there is no label column ({}). Training needs the outcome of each row.",
            data.file_name, ds.schema.label.name
        );
        return view! {
            <ErrorBanner title="This data cannot train a model">
                <p data-testid="train-unusable">{why}</p>
            </ErrorBanner>
        }
        .into_any();
    }
    if !schema::BUILTIN_NAMES.contains(&ds.schema.name.as_str()) {
        return view! {
            <p data-testid="train-unusable">
                "The loaded data was read in the format of one of your models. To train on data
                in a format of your own, use the role mapping below."
            </p>
        }
        .into_any();
    }
    let kind = ModelKind::for_schema(&ds.schema.name);
    if kind == ModelKind::Icu {
        // The comparison needs the shipped ICU model in memory.
        leptos::task::spawn_local(async move {
            let _ = state.icu_bundle().await;
        });
    }
    let compare_with: Arc<dyn Fn() -> Option<String> + Send + Sync> =
        Arc::new(move || match kind {
            ModelKind::Seed => Some(model::SEED_BUNDLE_JSON.to_string()),
            ModelKind::Icu => context::icu_json().map(str::to_string),
        });
    let input = TrainInput {
        schema: Signal::stored(Ok(TrainSchema::Builtin {
            name: ds.schema.name.clone(),
        })),
        files: state.sources,
        label: Signal::stored(data.file_name.clone()),
        compare_with: Some(compare_with),
    };
    let about = format!(
        "{} ({} rows, format \"{}\"). The model will be trained on its valid labelled rows{}.",
        data.file_name,
        ds.rows.len(),
        ds.schema.title,
        if ds.schema.temporal.is_some() {
            ", with cross-validation by patient"
        } else {
            ""
        }
    );
    view! {
        <p>{about}</p>
        <Trainer input/>
    }
    .into_any()
}
