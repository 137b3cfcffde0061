//! The regulatory notice shown on every page.

use leptos::prelude::*;

/// "Research and education software, not a medical device", visible on every page.
#[component]
pub fn Notice() -> impl IntoView {
    view! {
        <p class="notice" data-testid="notice">
            <strong>"Research and education software, not a medical device."</strong>
            " Do not use it to make or delay clinical decisions."
        </p>
    }
}
