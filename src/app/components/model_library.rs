//! The user's own models on the Model page: import model files, use, download or remove them;
//! and the download of any model.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::app::components::error_banner::ErrorBanner;
use crate::app::context::AppState;
use crate::app::library::{self, Added, LocalModel, Origin};
use crate::app::model::ModelId;
use crate::app::web;
use crate::core::bundle::ModelBundle;

/// Starts the download of `bundle` as JSON, exactly as `sepsis-risk` writes it.
fn download(bundle: &ModelBundle) -> Result<(), String> {
    let json = bundle.to_json().map_err(|e| e.to_string())?;
    web::download_text(&library::download_name(bundle), "application/json", &json)
}

/// "Download this model (JSON)" for `bundle` (`data-testid="download-model"`), with any error
/// shown next to it.
#[component]
pub fn DownloadModel(bundle: &'static ModelBundle) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    view! {
        <p class="download-model">
            <button type="button" data-testid="download-model"
                on:click=move |_| error.set(download(bundle).err())>
                "Download this model (JSON)"
            </button>
            " The file is the model bundle that "<code>"sepsis-risk predict --model"</code>
            " reads; it holds no patient data."
            {move || error.get().map(|e| view! { <span class="msg-error" role="alert">{e}</span> })}
        </p>
    }
}

/// Reads the chosen files as model files: each valid one joins the user's models (the last is
/// selected); each invalid one is a message naming the file.
fn import(
    state: AppState,
    list: Vec<web_sys::File>,
    errors: RwSignal<Vec<String>>,
    note: RwSignal<Option<String>>,
) {
    spawn_local(async move {
        let mut bad = Vec::new();
        let mut done = Vec::new();
        for file in list {
            let result = match web::read_file(file).await {
                Ok((name, bytes)) => library::read_model_file(&name, &bytes).map(|b| (name, b)),
                Err(e) => Err(e),
            };
            match result {
                Ok((name, bundle)) => {
                    let m = LocalModel::new(bundle, Origin::Imported, &name, js_sys::Date::now());
                    let title = m.title();
                    done.push(match state.add_model(m) {
                        Added::New => format!("Added: {title}."),
                        Added::Existing => {
                            format!("{name} is already in your models; it is selected.")
                        }
                    });
                }
                Err(e) => bad.push(e),
            }
        }
        errors.set(bad);
        note.set((!done.is_empty()).then(|| done.join(" ")));
    });
}

/// The "Your models" panel (`data-testid="model-library"`): a labelled file input to import
/// model files (`model-import`), the result (`model-import-note`, errors in
/// `model-import-error`), problems of the browser's storage, and one row per model with Use,
/// Download and Remove.
#[component]
pub fn ModelLibrary() -> impl IntoView {
    let state = expect_context::<AppState>();
    let errors = RwSignal::new(Vec::<String>::new());
    let note = RwSignal::new(None::<String>);
    let on_change = move |ev: leptos::ev::Event| {
        let list = web::picked_files(&ev);
        if !list.is_empty() {
            import(state, list, errors, note);
        }
    };
    let rows = move || {
        state.library.with(|l| {
            l.models()
                .iter()
                .map(|m| (m.key.clone(), m.title(), m.bundle, m.added_ms))
                .collect::<Vec<_>>()
        })
    };
    view! {
        <section aria-labelledby="library-h" class="card" data-testid="model-library">
            <h2 id="library-h">"Your models"</h2>
            <p>
                "Import a model file (JSON, as written by "<code>"sepsis-risk train"</code>" or "
                <code>"sepsis-risk recalibrate"</code>", or downloaded from this page). It is checked
                before it is used, kept in this browser (IndexedDB) until you remove it, and never
                sent anywhere. It joins the model picker; every page works with it."
            </p>
            <p>
                <label for="model-import">"Import model files "</label>
                <input id="model-import" type="file" accept=".json,application/json" multiple
                    data-testid="model-import" on:change=on_change/>
            </p>
            <p class="status" aria-live="polite" data-testid="model-import-note">{move || note.get()}</p>
            {move || {
                let e = errors.get();
                (!e.is_empty()).then(|| view! {
                    <ErrorBanner title="These files are not usable model files">
                        <ul data-testid="model-import-error">
                            {e.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}
                        </ul>
                    </ErrorBanner>
                })
            }}
            {move || {
                let problems = state.storage_problems.get();
                (!problems.is_empty()).then(|| view! {
                    <ul class="msg-warning" data-testid="storage-problems" role="status">
                        {problems
                            .into_iter()
                            .map(|(key, message)| view! {
                                <li>
                                    {message}
                                    {key.map(|k| view! {
                                        " "
                                        <button type="button" on:click=move |_| state.remove_model(k.clone())>
                                            "Remove it"
                                        </button>
                                    })}
                                </li>
                            })
                            .collect_view()}
                    </ul>
                })
            }}
            {move || {
                let rows = rows();
                if rows.is_empty() {
                    return view! { <p data-testid="no-own-models">"No models of your own yet."</p> }.into_any();
                }
                view! {
                    <div class="table-wrap" role="region" aria-label="Your models" tabindex="0">
                        <table data-testid="own-models">
                            <thead>
                                <tr>
                                    <th scope="col">"Model"</th>
                                    <th scope="col">"Format"</th>
                                    <th scope="col">"Added"</th>
                                    <th scope="col">"Actions"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {rows
                                    .into_iter()
                                    .map(|(key, title, bundle, added)| {
                                        let id = ModelId::Local(key.clone());
                                        let selected = {
                                            let id = id.clone();
                                            Memo::new(move |_| state.model.get() == id)
                                        };
                                        let added = js_sys::Date::new(&added.into())
                                            .to_locale_string("default", &wasm_bindgen::JsValue::UNDEFINED);
                                        let error = RwSignal::new(None::<String>);
                                        view! {
                                            <tr data-key=key.clone()>
                                                <th scope="row">{title}</th>
                                                <td>{bundle.schema.title.clone()}</td>
                                                <td>{String::from(added)}</td>
                                                <td class="actions">
                                                    <button type="button" data-testid="use-model"
                                                        disabled=selected
                                                        on:click={
                                                            let id = id.clone();
                                                            move |_| state.select_model(id.clone())
                                                        }>
                                                        {move || if selected.get() { "In use" } else { "Use" }}
                                                    </button>
                                                    " "
                                                    <button type="button" data-testid="download-own-model"
                                                        on:click=move |_| error.set(download(bundle).err())>
                                                        "Download"
                                                    </button>
                                                    " "
                                                    <button type="button" data-testid="remove-model"
                                                        on:click={
                                                            let key = key.clone();
                                                            move |_| state.remove_model(key.clone())
                                                        }>
                                                        "Remove"
                                                    </button>
                                                    {move || error.get().map(|e| view! { <span class="msg-error" role="alert">{e}</span> })}
                                                </td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    </div>
                }
                .into_any()
            }}
        </section>
    }
}
