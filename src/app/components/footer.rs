//! The page footer.

use leptos::prelude::*;

/// Footer with the notice, the privacy statement and the version.
#[component]
pub fn Footer() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <p>
                "sepsis-risk " {env!("CARGO_PKG_VERSION")}
                " · Research and education software, not a medical device."
                " · Your data stays in this browser: after loading, the app's only request is fetching the ICU model from this server, once, if you choose it."
            </p>
        </footer>
    }
}
