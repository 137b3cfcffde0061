//! An error message in the page.

use leptos::prelude::*;

/// A visible, announced error message (`role="alert"`) with a title and details.
#[component]
pub fn ErrorBanner(
    /// Short summary.
    #[prop(into)]
    title: String,
    /// Details.
    children: Children,
) -> impl IntoView {
    view! {
        <div class="banner banner-error" role="alert" data-testid="error-banner">
            <strong>{title}</strong>
            <div>{children()}</div>
        </div>
    }
}
