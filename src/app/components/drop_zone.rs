//! The CSV drop zone and file picker.

use crate::app::web;
use leptos::prelude::*;

/// A drag-and-drop zone with a labelled file input (`data-testid="csv-input"`, several files
/// allowed: one CSV, or one `.psv` file per ICU patient) and a folder input (`folder-input`:
/// every file of a picked folder, named `folder/...`, so that the upload is named by the folder
/// as the CLI names a directory). Calls `on_files` with the dropped or chosen files.
#[component]
pub fn DropZone(
    /// Receives the dropped or chosen files (at least one).
    on_files: Callback<Vec<web_sys::File>>,
) -> impl IntoView {
    let active = RwSignal::new(false);
    let on_drop = move |ev: web_sys::DragEvent| {
        ev.prevent_default();
        active.set(false);
        let files = web::files_of(ev.data_transfer().and_then(|dt| dt.files()));
        if !files.is_empty() {
            on_files.run(files);
        }
    };
    let on_change = move |ev: web_sys::Event| {
        let files = web::picked_files(&ev);
        if !files.is_empty() {
            on_files.run(files);
        }
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
            <p class="drop-title">"Drop a CSV file (or ICU .psv files) here"</p>
            <label for="csv-input">"or choose a CSV file, or one .psv file per ICU patient, from this device"</label>
            <input
                id="csv-input"
                type="file"
                multiple
                accept=".csv,.psv,.tsv,.txt,text/csv,text/plain"
                data-testid="csv-input"
                on:change=on_change
            />
            <label for="folder-input">"or a folder of ICU .psv files (one per patient)"</label>
            <input
                id="folder-input"
                type="file"
                multiple
                prop:webkitdirectory=true
                data-testid="folder-input"
                on:change=on_change
            />
            <p class="hint">"Comma, semicolon, tab or pipe delimited, UTF-8, with a header row. Several .psv files are read as one file per patient (PhysioNet 2019 format)."</p>
        </div>
    }
}
