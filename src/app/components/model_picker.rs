//! The model picker in the header.

use leptos::prelude::*;

use crate::app::context::{AppState, IcuStatus};
use crate::app::model::ModelKind;

/// A labelled `<select>` of the models (`data-testid="model-picker"`), shared by every page,
/// with the ICU bundle's loading state and any error (`data-testid="model-status"`).
#[component]
pub fn ModelPicker() -> impl IntoView {
    let state = expect_context::<AppState>();
    let status = move || match (state.model.get(), state.icu_status()) {
        (ModelKind::Icu, IcuStatus::Loading) => Some((
            "status",
            "Loading the ICU model (about 1 MB, once per session)…".to_string(),
        )),
        (ModelKind::Icu, IcuStatus::Failed(e)) => Some(("msg-error", e)),
        _ => None,
    };
    view! {
        <div class="model-picker">
            <label for="model-picker">"Model"</label>
            <select
                id="model-picker"
                data-testid="model-picker"
                on:change=move |ev| {
                    if let Some(k) = ModelKind::from_key(&event_target_value(&ev)) {
                        state.select_model(k);
                    }
                }
            >
                {ModelKind::ALL
                    .into_iter()
                    .map(|k| view! { <option value=k.key() selected=move || state.model.get() == k>{k.title()}</option> })
                    .collect_view()}
            </select>
            <span class="model-status" data-testid="model-status" aria-live="polite"
                data-state=move || state.icu_status().key()>
                {move || status().map(|(class, text)| view! { <span class=class>{text}</span> })}
            </span>
        </div>
    }
}
