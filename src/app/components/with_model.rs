//! The one "is the model ready?" branch of the pages that need the selected model.

use leptos::prelude::*;

use crate::app::components::error_banner::ErrorBanner;
use crate::app::context::{AppState, ModelState};
use crate::core::bundle::ModelBundle;

/// Renders `children(bundle)` with the selected model's bundle once it is available; while
/// the ICU bundle loads, "Loading the ICU model…" (`data-testid="model-loading"`); when the
/// model could not be loaded, the error banner. `heading`, when given, is the page's `<h1>`
/// above the loading and error states (the ready view brings its own).
#[component]
pub fn WithModel<F, V>(
    /// The page title shown with the loading and error states.
    #[prop(optional)]
    heading: Option<&'static str>,
    /// The page for a bundle (`let:bundle`).
    children: F,
) -> impl IntoView
where
    F: Fn(&'static ModelBundle) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let state = expect_context::<AppState>();
    let heading = move || heading.map(|h| view! { <h1>{h}</h1> });
    move || match state.model_state() {
        ModelState::Ready(bundle) => children(bundle).into_any(),
        ModelState::Loading => view! {
            {heading()}
            <p class="status" data-testid="model-loading">"Loading the ICU model…"</p>
        }
        .into_any(),
        ModelState::Failed { title, error } => view! {
            {heading()}
            <ErrorBanner title=title>{error}</ErrorBanner>
        }
        .into_any(),
    }
}
