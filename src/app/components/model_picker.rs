//! The model picker in the header.

use leptos::prelude::*;

use crate::app::context::{AppState, IcuStatus};
use crate::app::model::{ModelId, ModelKind};

/// A labelled `<select>` of the models (`data-testid="model-picker"`): the built-in ones, then
/// the user's own (imported, recalibrated), shared by every page, with the ICU bundle's loading
/// state and any error (`data-testid="model-status"`).
#[component]
pub fn ModelPicker() -> impl IntoView {
    let state = expect_context::<AppState>();
    let icu = ModelId::Builtin(ModelKind::Icu);
    let status = move || match (state.model.get() == icu, state.icu_status()) {
        (true, IcuStatus::Loading) => Some((
            "status",
            "Loading the ICU model (about 1 MB, once per session)…".to_string(),
        )),
        (true, IcuStatus::Failed(e)) => Some(("msg-error", e)),
        _ => None,
    };
    view! {
        <div class="model-picker">
            <label for="model-picker">"Model"</label>
            <select
                id="model-picker"
                data-testid="model-picker"
                on:change=move |ev| {
                    if let Some(id) = ModelId::from_key(&event_target_value(&ev)) {
                        state.select_model(id);
                    }
                }
            >
                {ModelKind::ALL
                    .into_iter()
                    .map(|k| {
                        let id = ModelId::from(k);
                        view! { <option value=id.key() selected=move || state.model.get() == id>{k.title()}</option> }
                    })
                    .collect_view()}
                {move || {
                    let own: Vec<(ModelId, String)> = state.library.with(|l| {
                        l.models()
                            .iter()
                            .map(|m| (ModelId::Local(m.key.clone()), m.title()))
                            .collect()
                    });
                    (!own.is_empty()).then(|| view! {
                        <optgroup label="Your models">
                            {own
                                .into_iter()
                                .map(|(id, title)| {
                                    let value = id.key();
                                    view! { <option value=value selected=move || state.model.get() == id>{title}</option> }
                                })
                                .collect_view()}
                        </optgroup>
                    })
                }}
            </select>
            <span class="model-status" data-testid="model-status" aria-live="polite"
                data-state=move || state.icu_status().key()>
                {move || status().map(|(class, text)| view! { <span class=class>{text}</span> })}
            </span>
        </div>
    }
}
