//! Data in neither built-in format, on the Train page: pick the file(s), map each column to
//! a role (label and its positive value, ID, numeric / binary / categorical features with
//! their not-measured codes, hourly patient and hour columns), download the roles file that
//! `sepsis-risk train --roles` reads, and train on it.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::app::components::error_banner::ErrorBanner;
use crate::app::components::roles_table::RolesTable;
use crate::app::components::trainer::{TrainInput, Trainer};
use crate::app::role_mapping::RoleMapping;
use crate::app::state;
use crate::app::training::TrainSchema;
use crate::app::web;
use crate::core::csv;

/// Bytes of the first file read to propose the roles.
const SAMPLE_BYTES: f64 = 1024.0 * 1024.0;

/// The start of `file` as a table (the last, possibly cut, line dropped).
async fn sample(file: &web_sys::File) -> Result<csv::CsvTable, String> {
    let name = file.name();
    let part = file
        .slice_with_f64_and_f64(0.0, SAMPLE_BYTES)
        .map_err(|_| format!("{name}: cannot read the file"))?;
    let bytes = gloo_file::futures::read_as_bytes(&gloo_file::Blob::from(part))
        .await
        .map_err(|e| format!("{name}: cannot read the file ({e})"))?;
    let end = if (file.size()) > SAMPLE_BYTES {
        bytes
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(bytes.len(), |i| i + 1)
    } else {
        bytes.len()
    };
    csv::parse(&bytes[..end]).map_err(|e| format!("{name}: {e}"))
}

/// The mapper.
#[component]
pub fn RoleMapper() -> impl IntoView {
    let mapping = RwSignal::new(None::<RoleMapping>);
    let files = StoredValue::new_local(Vec::<(String, web_sys::Blob)>::new());
    let label = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    // Counts file picks: a new pick draws the table afresh even with the same columns.
    let picks = RwSignal::new(0u32);
    let on_change = move |ev: leptos::ev::Event| {
        let mut picked = web::picked_files(&ev);
        picked.sort_by_key(|f| f.name());
        spawn_local(async move {
            let Some(first) = picked.first() else { return };
            match sample(first).await {
                Ok(table) => {
                    let named: Vec<(String, web_sys::Blob)> = picked
                        .iter()
                        .map(|f| (f.name(), web_sys::Blob::from(f.clone())))
                        .collect();
                    label.set(state::files_label(&named));
                    mapping.set(Some(RoleMapping::propose(&first.name(), &table)));
                    files.set_value(named);
                    picks.update(|n| *n += 1);
                    error.set(None);
                }
                Err(e) => {
                    mapping.set(None);
                    error.set(Some(e));
                }
            }
        });
    };
    let roles = Signal::derive(move || {
        mapping.with(|m| match m {
            Some(m) => m.roles(),
            None => Err(vec!["Choose the data file first.".to_string()]),
        })
    });
    let schema = Signal::derive(move || {
        roles
            .get()
            .map(|r| TrainSchema::Roles { roles: r.to_json() })
    });
    let download_error = RwSignal::new(None::<String>);
    let download = move |_| {
        download_error.set(match roles.get_untracked() {
            Ok(r) => web::download_text("roles.json", "application/json", &r.to_json()).err(),
            Err(p) => Some(p.join(" ")),
        })
    };
    // The table is drawn again only when the columns or the hourly choice change, so that
    // editing a field keeps the focus where it is.
    let shape = Memo::new(move |_| {
        let pick = picks.get();
        mapping.with(|m| {
            m.as_ref().map(|m| {
                (
                    pick,
                    m.columns
                        .iter()
                        .map(|c| c.column.clone())
                        .collect::<Vec<_>>(),
                    m.hourly,
                )
            })
        })
    });
    let has_mapping = Memo::new(move |_| shape.with(|s| s.is_some()));
    view! {
        <section aria-labelledby="roles-h" class="card" data-testid="role-mapper">
            <h2 id="roles-h">"Data in another format"</h2>
            <p>
                "A labelled CSV with any columns (any delimiter), or hourly patient files: say what
                each column is, and the page trains on it with the same pipeline. The mapping is
                a small file (roles.json) that "<code>"sepsis-risk train --roles roles.json"</code>
                " reads, so the same model can be trained again from the command line."
            </p>
            <label for="roles-csv-input">"Data file(s)"</label>
            <input id="roles-csv-input" data-testid="roles-csv-input" type="file" multiple
                accept=".csv,.tsv,.txt,.psv,text/csv" on:change=on_change/>
            {move || error.get().map(|e| view! {
                <ErrorBanner title="The file cannot be read"><p data-testid="roles-error">{e}</p></ErrorBanner>
            })}
            {move || shape.get().map(|_| view! { <RolesTable mapping/> })}
            {move || has_mapping.get().then(|| view! {
                {move || roles.get().err().map(|p| view! {
                    <ul class="msg-error" data-testid="roles-problems">{p.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}</ul>
                })}
                <p>
                    <button type="button" data-testid="download-roles" on:click=download>"Download roles.json"</button>
                    {move || download_error.get().map(|e| view! { <span class="msg-error" role="alert">{e}</span> })}
                </p>
                <Trainer input=TrainInput {
                    schema,
                    files,
                    label: label.into(),
                    compare_with: None,
                }/>
            })}
        </section>
    }
}
