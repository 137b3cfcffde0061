//! The state every page shares, in context, and its operations: the loaded dataset, the
//! selected model and the one loading path of the ICU bundle.
//!
//! Pages and components read this module, never the router (`app::app`). The ICU bundle
//! (about 1 MB) is fetched from the same origin ([`model::ICU_BUNDLE_PATH`]) the first time it
//! is needed (picked, or ICU data uploaded) and parsed with [`model::parse_icu`]; its status
//! signal is the one place the bundle lives ([`IcuStatus::Ready`]). Callers that need the
//! bundle itself await [`AppState::icu_bundle`]: the first call starts the download, later
//! calls await the same promise, so there is one request and no polling. A failed load is one
//! state, [`IcuStatus::Failed`]: shown by the model picker and by the pages that need the
//! model ([`crate::app::components::with_model::WithModel`]); the next request tries again.
//!
//! The user's own models ([`Library`]: imported or recalibrated) live here too; each change
//! is written to the browser's storage ([`storage`], IndexedDB) and [`AppState::restore_library`]
//! reads them back when the app starts.

use std::sync::Arc;

use leptos::prelude::*;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::{JsFuture, future_to_promise};

use crate::app::icu_bedside::IcuForm;
use crate::app::library::{Added, Library, LocalModel, StoredModel};
use crate::app::model::{self, ModelId, ModelKind};
use crate::app::state::{LoadError, Loaded};
use crate::app::storage;
use crate::app::web;
use crate::core::bundle::ModelBundle;

/// Where the on-demand ICU bundle is.
#[derive(Clone)]
pub enum IcuStatus {
    /// Not requested yet.
    NotLoaded,
    /// Being fetched and parsed.
    Loading,
    /// In memory for the rest of the session.
    Ready(&'static ModelBundle),
    /// The fetch or the parse failed: why.
    Failed(String),
}

impl IcuStatus {
    /// Stable key (the model picker's `data-state`): `notloaded`, `loading`, `ready` or
    /// `failed`.
    pub fn key(&self) -> &'static str {
        match self {
            IcuStatus::NotLoaded => "notloaded",
            IcuStatus::Loading => "loading",
            IcuStatus::Ready(_) => "ready",
            IcuStatus::Failed(_) => "failed",
        }
    }
}

impl std::fmt::Debug for IcuStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IcuStatus::Failed(e) => write!(f, "Failed({e:?})"),
            other => f.write_str(other.key()),
        }
    }
}

/// The selected model as a page needs it.
#[derive(Debug, Clone)]
pub enum ModelState {
    /// Available.
    Ready(&'static ModelBundle),
    /// The ICU bundle is not in memory yet.
    Loading,
    /// The model could not be loaded: a banner title and the reason.
    Failed {
        /// Banner title.
        title: &'static str,
        /// Why.
        error: String,
    },
}

/// State shared by every page (in context): the loaded dataset, the last load error, the
/// forms' text (kept while the user visits other pages), and the models.
#[derive(Debug, Clone, Copy)]
pub struct AppState {
    /// The current upload, until replaced.
    pub data: RwSignal<Option<Arc<Loaded>>>,
    /// The current upload's files (`(name, file)` in reading order, named as read), which a
    /// worker job reads again: the browser's own `File` objects (the page keeps no second copy
    /// of the bytes), or blobs of generated demo data. Replaced with [`AppState::data`].
    pub sources: StoredValue<Vec<(String, web_sys::Blob)>, LocalStorage>,
    /// Why the last upload failed.
    pub load_error: RwSignal<Option<LoadError>>,
    /// One text per schema feature of the seed model.
    pub bedside: RwSignal<Vec<String>>,
    /// Milliseconds the last load took in the browser (read, validate, summarise, predict).
    pub load_ms: RwSignal<f64>,
    /// The last upload's stages and their times (`state::StageTimes::describe`), once the
    /// page has rendered it.
    pub upload_times: RwSignal<String>,
    /// The selected model (the picker in the header; an upload selects its data's model
    /// unless the selected one reads it). Set it with [`AppState::select_model`], which also
    /// starts loading the ICU bundle.
    pub model: RwSignal<ModelId>,
    /// The user's own models.
    pub library: RwSignal<Library>,
    /// Problems with the browser's storage of the user's models: the key of a kept record that
    /// cannot be used (so that it can be removed), and the message.
    pub storage_problems: RwSignal<Vec<(Option<String>, String)>>,
    /// The ICU bedside form's text.
    pub icu_form: RwSignal<IcuForm>,
    /// The ICU bundle's status (the bundle itself once ready).
    icu: RwSignal<IcuStatus>,
    /// The download in flight, shared by every caller waiting for it.
    icu_load: StoredValue<Option<js_sys::Promise>, LocalStorage>,
}

impl AppState {
    /// Fresh state with nothing loaded (the seed model selected, the ICU bundle not loaded).
    pub fn new() -> Self {
        let n = model::seed_bundle().map_or(0, |b| b.schema.features.len());
        Self {
            data: RwSignal::new(None),
            sources: StoredValue::new_local(Vec::new()),
            load_error: RwSignal::new(None),
            bedside: RwSignal::new(vec![String::new(); n]),
            load_ms: RwSignal::new(0.0),
            upload_times: RwSignal::new(String::new()),
            model: RwSignal::new(ModelKind::Seed.into()),
            library: RwSignal::new(Library::default()),
            storage_problems: RwSignal::new(Vec::new()),
            icu_form: RwSignal::new(
                crate::core::schema::builtin("icu")
                    .map(|s| IcuForm::new(&s))
                    .unwrap_or_default(),
            ),
            icu: RwSignal::new(IcuStatus::NotLoaded),
            icu_load: StoredValue::new_local(None),
        }
    }

    /// The ICU bundle's status (tracked).
    pub fn icu_status(&self) -> IcuStatus {
        self.icu.get()
    }

    /// The bundle of model `id`, when available (tracked: re-runs when the ICU bundle arrives
    /// or the library changes). A model removed this session still resolves, so data scored
    /// with it keeps its results.
    pub fn bundle_for(&self, id: &ModelId) -> Option<&'static ModelBundle> {
        match id {
            ModelId::Builtin(ModelKind::Seed) => model::seed_bundle().ok(),
            ModelId::Builtin(ModelKind::Icu) => match self.icu.get() {
                IcuStatus::Ready(b) => Some(b),
                _ => None,
            },
            ModelId::Local(key) => self.library.with(|l| l.resolve(key).map(|m| m.bundle)),
        }
    }

    /// `bundle`'s JSON for a worker job: the shipped models' text as it came (no writing out
    /// on the page's thread), any other model written out.
    pub fn bundle_json(&self, bundle: &'static ModelBundle) -> Result<String, String> {
        if model::seed_bundle().is_ok_and(|b| std::ptr::eq(b, bundle)) {
            return Ok(model::SEED_BUNDLE_JSON.to_string());
        }
        if let (IcuStatus::Ready(b), Some(text)) = (self.icu.get_untracked(), icu_json()) {
            if std::ptr::eq(b, bundle) {
                return Ok(text.to_string());
            }
        }
        bundle.to_json().map_err(|e| e.to_string())
    }

    /// The picker's text for model `id` (tracked).
    pub fn model_title(&self, id: &ModelId) -> String {
        match id {
            ModelId::Builtin(k) => k.title().to_string(),
            ModelId::Local(key) => self.library.with(|l| match (l.get(key), l.resolve(key)) {
                (Some(m), _) => m.title(),
                (None, Some(m)) => format!("{} (removed from your models)", m.title()),
                (None, None) => "A removed model".to_string(),
            }),
        }
    }

    /// The selected model as a page needs it (tracked).
    pub fn model_state(&self) -> ModelState {
        match self.model.get() {
            ModelId::Builtin(ModelKind::Seed) => match model::seed_bundle() {
                Ok(b) => ModelState::Ready(b),
                Err(e) => ModelState::Failed {
                    title: "The model is not available",
                    error: e.to_string(),
                },
            },
            ModelId::Builtin(ModelKind::Icu) => match self.icu.get() {
                IcuStatus::Ready(b) => ModelState::Ready(b),
                IcuStatus::Failed(error) => ModelState::Failed {
                    title: "The ICU model is not available",
                    error,
                },
                IcuStatus::NotLoaded | IcuStatus::Loading => ModelState::Loading,
            },
            ModelId::Local(key) => match self.library.with(|l| l.get(&key).map(|m| m.bundle)) {
                Some(b) => ModelState::Ready(b),
                None => ModelState::Failed {
                    title: "The model is not available",
                    error: "It has been removed from your models. Pick another model.".into(),
                },
            },
        }
    }

    /// Selects a model; the ICU bundle starts loading if needed.
    pub fn select_model(self, id: ModelId) {
        let icu = id == ModelId::Builtin(ModelKind::Icu);
        self.model.set(id);
        if icu && !matches!(self.icu.get_untracked(), IcuStatus::Ready(_)) {
            leptos::task::spawn_local(async move {
                let _ = self.icu_bundle().await;
            });
        }
    }

    /// The bundle to read and score data with for model `id`: from memory, the ICU bundle
    /// downloaded if needed.
    pub async fn bundle_of(self, id: &ModelId) -> Option<&'static ModelBundle> {
        match id {
            ModelId::Builtin(ModelKind::Icu) => self.icu_bundle().await.ok(),
            other => untrack(|| self.bundle_for(other)),
        }
    }

    /// Adds `model` to the user's models, selects it and keeps it in the browser's storage
    /// (a storage failure is reported in [`AppState::storage_problems`]; the model stays
    /// usable for the session).
    pub fn add_model(self, model: LocalModel) -> Added {
        let key = model.key.clone();
        let stored = model.stored();
        let mut added = Added::Existing;
        self.library.update(|l| added = l.add(model));
        self.select_model(ModelId::Local(key.clone()));
        if added == Added::New {
            leptos::task::spawn_local(async move {
                let result = match stored {
                    Ok(s) => storage::put(&key, &s.to_json()).await,
                    Err(e) => Err(e),
                };
                if let Err(e) = result {
                    self.storage_problems.update(|p| {
                        p.push((
                            None,
                            format!(
                                "The model can be used until the page is closed, but not kept: {e}"
                            ),
                        ))
                    });
                }
            });
        }
        added
    }

    /// Removes model `key` from the user's models and from the browser's storage (the seed
    /// model is selected if it was the selected one).
    pub fn remove_model(self, key: String) {
        if self.model.get_untracked() == ModelId::Local(key.clone()) {
            self.select_model(ModelKind::Seed.into());
        }
        self.library.update(|l| {
            l.remove(&key);
        });
        self.storage_problems
            .update(|p| p.retain(|(k, _)| k.as_deref() != Some(key.as_str())));
        leptos::task::spawn_local(async move {
            if let Err(e) = storage::delete(&key).await {
                self.storage_problems.update(|p| p.push((None, e)));
            }
        });
    }

    /// Reads the models kept in the browser's storage into the library (once, when the app
    /// starts). Records that cannot be used are listed in [`AppState::storage_problems`].
    pub fn restore_library(self) {
        leptos::task::spawn_local(async move {
            match storage::load_all().await {
                Ok(records) => {
                    let mut problems = Vec::new();
                    self.library.update(|l| {
                        for r in &records {
                            match StoredModel::restore(r) {
                                Ok(m) => {
                                    l.add(m);
                                }
                                Err(p) => problems.push(p),
                            }
                        }
                    });
                    if !problems.is_empty() {
                        self.storage_problems.update(|p| p.extend(problems));
                    }
                }
                Err(e) => self.storage_problems.update(|p| {
                    p.push((
                        None,
                        format!("Models you import cannot be kept across reloads: {e}"),
                    ))
                }),
            }
        });
    }

    /// The ICU bundle: from memory, or downloaded and parsed once. While a download is in
    /// flight, callers await it instead of starting another.
    pub async fn icu_bundle(self) -> Result<&'static ModelBundle, String> {
        if let IcuStatus::Ready(b) = self.icu.get_untracked() {
            return Ok(b);
        }
        let pending = self.icu_load.with_value(Clone::clone);
        let promise = pending.unwrap_or_else(|| self.start_icu_load());
        let _ = JsFuture::from(promise).await;
        match self.icu.get_untracked() {
            IcuStatus::Ready(b) => Ok(b),
            IcuStatus::Failed(e) => Err(e),
            _ => Err("The ICU model is not available.".into()),
        }
    }

    /// Starts the download (status `Loading`); the promise settles when the status is `Ready`
    /// or `Failed`.
    fn start_icu_load(self) -> js_sys::Promise {
        self.icu.set(IcuStatus::Loading);
        let promise = future_to_promise(async move {
            self.icu.set(match fetch_icu().await {
                Ok(b) => IcuStatus::Ready(b),
                Err(e) => IcuStatus::Failed(e),
            });
            // Ready answers later calls; after a failure the next call downloads again.
            self.icu_load.set_value(None);
            Ok(JsValue::UNDEFINED)
        });
        self.icu_load.set_value(Some(promise.clone()));
        promise
    }

    /// Uses `bundle` as the ICU bundle without downloading it (the component tests, whose
    /// server does not serve the model files).
    pub fn set_icu_bundle(&self, bundle: &'static ModelBundle) {
        self.icu.set(IcuStatus::Ready(bundle));
    }
}

impl Default for AppState {
    fn default() -> Self {
        Self::new()
    }
}

/// Downloads and parses the ICU bundle. The parsed bundle is kept for the rest of the
/// session (leaked once: the pages hold `&'static` references to the models).
async fn fetch_icu() -> Result<&'static ModelBundle, String> {
    let text = web::fetch_text(model::ICU_BUNDLE_PATH)
        .await
        .map_err(|e| format!("The ICU model could not be downloaded: {e}"))?;
    // Let the page show "Loading…" before the parse.
    web::next_frame().await;
    let bundle = model::parse_icu(&text)?;
    // The text too: a worker job that compares with the ICU model gets it as it is (writing
    // the bundle out again would take the page's thread for a long moment).
    let _ = ICU_TEXT.set(text);
    Ok(Box::leak(Box::new(bundle)))
}

/// The ICU bundle's JSON as served, once loaded.
static ICU_TEXT: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// The ICU bundle's JSON as served (None until it is loaded).
pub fn icu_json() -> Option<&'static str> {
    ICU_TEXT.get().map(String::as_str)
}

/// Puts a fresh [`AppState`] into context (the app and the component tests call this).
pub fn provide_app_state() -> AppState {
    let state = AppState::new();
    provide_context(state);
    state
}
