//! Placeholder for pages that need a loaded dataset.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::components::A;

use crate::app::context::AppState;
use crate::app::state::Loaded;

/// "No data loaded yet", with a link to the data page.
#[component]
pub fn NeedData() -> impl IntoView {
    view! {
        <div class="banner banner-info" data-testid="need-data">
            <p>
                "No data loaded yet. "
                <A href="/">"Load a CSV file or the demo data"</A>
                " first."
            </p>
        </div>
    }
}

/// Renders `children(data)` with the loaded dataset, or [`NeedData`] while nothing is
/// loaded (the pages that show an upload: Explore, Predict, Patient).
#[component]
pub fn WithData<F, V>(
    /// The page for the upload (`let:data`).
    children: F,
) -> impl IntoView
where
    F: Fn(Arc<Loaded>) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let state = expect_context::<AppState>();
    move || match state.data.get() {
        Some(data) => children(data).into_any(),
        None => view! { <NeedData/> }.into_any(),
    }
}
