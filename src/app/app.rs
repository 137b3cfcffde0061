//! The root component: shared state in context, page layout and the client-side router.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::app::components::error_banner::ErrorBanner;
use crate::app::components::footer::Footer;
use crate::app::components::nav::Nav;
use crate::app::components::notice::Notice;
use crate::app::model;
use crate::app::pages::{
    bedside::BedsidePage, explore::ExplorePage, model::ModelPage, not_found::NotFound,
    predict::PredictPage, upload::UploadPage,
};
use crate::app::state::{LoadError, Loaded};

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
        }
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
                </Routes>
            </main>
            <Footer/>
        </Router>
    }
}
