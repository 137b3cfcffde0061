//! The root component: shared state in context, page layout and the client-side router.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::app::components::error_banner::ErrorBanner;
use crate::app::components::footer::Footer;
use crate::app::components::model_picker::ModelPicker;
use crate::app::components::nav::Nav;
use crate::app::components::notice::Notice;
use crate::app::icu_bedside::IcuForm;
use crate::app::model::{self, ModelKind};
use crate::app::pages::{
    bedside::BedsidePage, explore::ExplorePage, model::ModelPage, not_found::NotFound,
    patient::PatientPage, predict::PredictPage, upload::UploadPage,
};
use crate::app::state::{LoadError, Loaded};
use crate::app::web;
use crate::core::bundle::ModelBundle;

/// Where the on-demand ICU bundle is.
#[derive(Debug, Clone, PartialEq)]
pub enum IcuStatus {
    /// Not requested yet.
    NotLoaded,
    /// Being fetched and parsed.
    Loading,
    /// In memory ([`model::icu_bundle`]).
    Ready,
    /// The fetch or the parse failed: why.
    Failed(String),
}

/// State shared by every page (in context): the loaded dataset, the last load error, and the
/// bedside form's text (kept while the user visits other pages).
#[derive(Debug, Clone, Copy)]
pub struct AppState {
    /// The current upload, until replaced.
    pub data: RwSignal<Option<Arc<Loaded>>>,
    /// Why the last upload failed.
    pub load_error: RwSignal<Option<LoadError>>,
    /// One text per schema feature of the model.
    pub bedside: RwSignal<Vec<String>>,
    /// Milliseconds the last load took in the browser (read, validate, summarise, predict).
    pub load_ms: RwSignal<f64>,
    /// The selected model (the picker in the header; an upload selects its data's model).
    pub model: RwSignal<ModelKind>,
    /// The ICU bundle's loading state.
    pub icu: RwSignal<IcuStatus>,
    /// The ICU bedside form's text.
    pub icu_form: RwSignal<IcuForm>,
}

impl AppState {
    /// Fresh state with nothing loaded.
    pub fn new() -> Self {
        let n = model::seed_bundle().map_or(0, |b| b.schema.features.len());
        Self {
            data: RwSignal::new(None),
            load_error: RwSignal::new(None),
            bedside: RwSignal::new(vec![String::new(); n]),
            load_ms: RwSignal::new(0.0),
            model: RwSignal::new(ModelKind::Seed),
            icu: RwSignal::new(if model::icu_bundle().is_some() {
                IcuStatus::Ready
            } else {
                IcuStatus::NotLoaded
            }),
            icu_form: RwSignal::new(
                crate::core::schema::builtin("icu")
                    .map(|s| IcuForm::new(&s))
                    .unwrap_or_default(),
            ),
        }
    }

    /// The selected model's bundle, when available (`None` while the ICU bundle loads).
    pub fn bundle(&self) -> Option<&'static ModelBundle> {
        let kind = self.model.get();
        if kind == ModelKind::Icu {
            // Re-run when the ICU bundle arrives.
            self.icu.track();
        }
        model::bundle(kind)
    }
}

/// The ICU bundle: from memory, or fetched from the same origin ([`model::ICU_BUNDLE_PATH`])
/// and parsed once; the status signal says where it is. While a fetch is in flight, other
/// callers wait for it instead of fetching again.
pub async fn ensure_icu(state: AppState) -> Result<&'static ModelBundle, String> {
    if let Some(b) = model::icu_bundle() {
        state.icu.set(IcuStatus::Ready);
        return Ok(b);
    }
    if state.icu.get_untracked() == IcuStatus::Loading {
        while state.icu.get_untracked() == IcuStatus::Loading {
            web::next_frame().await;
        }
        return match state.icu.get_untracked() {
            IcuStatus::Failed(e) => Err(e),
            _ => model::icu_bundle().ok_or_else(|| "The ICU model is not available.".into()),
        };
    }
    state.icu.set(IcuStatus::Loading);
    let result = match web::fetch_text(model::ICU_BUNDLE_PATH).await {
        Ok(text) => {
            web::next_frame().await;
            model::parse_icu(&text).map(model::set_icu_bundle)
        }
        Err(e) => Err(format!("The ICU model could not be downloaded: {e}")),
    };
    state.icu.set(match &result {
        Ok(_) => IcuStatus::Ready,
        Err(e) => IcuStatus::Failed(e.clone()),
    });
    result
}

/// Selects a model; the ICU bundle starts loading if needed.
pub fn select_model(state: AppState, kind: ModelKind) {
    state.model.set(kind);
    if kind == ModelKind::Icu && model::icu_bundle().is_none() {
        leptos::task::spawn_local(async move {
            let _ = ensure_icu(state).await;
        });
    }
}

impl Default for AppState {
    fn default() -> Self {
        Self::new()
    }
}

/// Puts a fresh [`AppState`] into context (the app and the component tests call this).
pub fn provide_app_state() -> AppState {
    let state = AppState::new();
    provide_context(state);
    state
}

/// The whole app: header with navigation and the not-a-medical-device notice, the routed
/// page, and the footer.
#[component]
pub fn App() -> impl IntoView {
    provide_app_state();
    let bundle_error = model::seed_bundle().err();
    view! {
        <Router>
            <a class="skip-link" href="#main">"Skip to content"</a>
            <header class="site-header">
                <Nav/>
                <ModelPicker/>
                <Notice/>
            </header>
            {bundle_error.map(|e| view! { <ErrorBanner title="The model is not available">{e}</ErrorBanner> })}
            <main id="main" tabindex="-1">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=UploadPage/>
                    <Route path=path!("/explore") view=ExplorePage/>
                    <Route path=path!("/predict") view=PredictPage/>
                    <Route path=path!("/bedside") view=BedsidePage/>
                    <Route path=path!("/model") view=ModelPage/>
                    <Route path=path!("/patient/:id") view=PatientPage/>
                </Routes>
            </main>
            <Footer/>
        </Router>
    }
}
