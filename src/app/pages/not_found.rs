//! The page for unknown routes.

use leptos::prelude::*;
use leptos_router::components::A;

/// "Page not found" with a link home.
#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <h1>"Page not found"</h1>
        <p>"There is no page at this address. " <A href="/">"Go to the data page"</A> "."</p>
    }
}
