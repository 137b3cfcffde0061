//! The CSV drop zone and file picker.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// A drag-and-drop zone with a labelled file input (`data-testid="csv-input"`). Calls
/// `on_file` with the chosen `web_sys::File`.
#[component]
pub fn DropZone(
    /// Receives the dropped or chosen file.
    on_file: Callback<web_sys::File>,
) -> impl IntoView {
    let active = RwSignal::new(false);
    let on_drop = move |ev: web_sys::DragEvent| {
        ev.prevent_default();
        active.set(false);
        if let Some(file) = ev
            .data_transfer()
            .and_then(|dt| dt.files())
            .and_then(|files| files.get(0))
        {
            on_file.run(file);
        }
    };
    let on_change = move |ev: web_sys::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        if let Some(file) = input.files().and_then(|f| f.get(0)) {
            on_file.run(file);
        }
        // Choosing the same file again should load it again.
        input.set_value("");
    };
    view! {
        <div
            class="drop-zone"
            class:active=move || active.get()
            on:dragenter=move |ev: web_sys::DragEvent| {
                ev.prevent_default();
                active.set(true);
            }
            on:dragover=move |ev: web_sys::DragEvent| ev.prevent_default()
            on:dragleave=move |_| active.set(false)
            on:drop=on_drop
        >
            <p class="drop-title">"Drop a CSV file here"</p>
            <label for="csv-input">"or choose a CSV file from this device"</label>
            <input
                id="csv-input"
                type="file"
                accept=".csv,.tsv,.txt,text/csv,text/plain"
                data-testid="csv-input"
                on:change=on_change
            />
            <p class="hint">"Comma, semicolon, tab or pipe delimited, UTF-8, with a header row."</p>
        </div>
    }
}
