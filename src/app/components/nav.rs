//! The site navigation.

use leptos::prelude::*;
use leptos_router::components::A;

/// The app title and the links to every page (the current one marked with
/// `aria-current="page"` by the router).
#[component]
pub fn Nav() -> impl IntoView {
    view! {
        <nav class="nav" aria-label="Main">
            <A href="/" attr:class="brand">"sepsis-risk"</A>
            <ul>
                <li><A href="/">"Data"</A></li>
                <li><A href="/explore">"Explore"</A></li>
                <li><A href="/predict">"Predict"</A></li>
                <li><A href="/bedside">"Bedside"</A></li>
                <li><A href="/model">"Model"</A></li>
                <li><A href="/recalibrate">"Recalibrate"</A></li>
                <li><A href="/train">"Train"</A></li>
            </ul>
        </nav>
    }
}
