//! One field of the bedside forms (seed and ICU).

use leptos::prelude::*;

use crate::app::bedside::{self, FieldStatus, Unknown};

/// A labelled text input (`id`, `name` and `data-testid` = `field-<key>`) with its help
/// (`help-<key>`) and the inline message of its status (`msg-<key>`, announced), marked
/// `aria-invalid` while the text is an error.
#[component]
pub fn FieldInput(
    /// What names the field's elements: a column name, e.g. `PL`, or `HR-h2`.
    #[prop(into)]
    key: String,
    /// The label text.
    #[prop(into)]
    label: String,
    /// The help text.
    #[prop(into)]
    help: String,
    /// The field's text.
    #[prop(into)]
    value: Signal<String>,
    /// The checked text.
    #[prop(into)]
    status: Signal<FieldStatus>,
    /// What an empty field means (the messages' wording).
    unknown: Unknown,
    /// Called with the new text as the user types.
    on_input: Callback<String>,
) -> impl IntoView {
    let id = format!("field-{key}");
    let help_id = format!("help-{key}");
    let msg_id = format!("msg-{key}");
    let message = move || status.with(|s| bedside::field_message(s, unknown));
    let invalid = move || status.with(|s| matches!(s, FieldStatus::Error(_)));
    view! {
        <div class="field" class:has-error=invalid>
            <label for=id.clone()>{label}</label>
            <input
                id=id.clone()
                name=key
                type="text"
                inputmode="decimal"
                autocomplete="off"
                data-testid=id
                aria-describedby=format!("{help_id} {msg_id}")
                aria-invalid=move || if invalid() { "true" } else { "false" }
                prop:value=move || value.get()
                on:input=move |ev| on_input.run(event_target_value(&ev))
            />
            <p class="help" id=help_id>{help}</p>
            <p class="msg" id=msg_id.clone() data-testid=msg_id aria-live="polite">
                {move || message().map(|(class, text)| view! { <span class=class>{text}</span> })}
            </p>
        </div>
    }
}
