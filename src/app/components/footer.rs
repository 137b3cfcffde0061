//! The page footer.

use leptos::prelude::*;

use crate::app::service_worker;

/// Footer with the notice, the privacy statement, the version, and whether this version is
/// saved for offline use (`data-testid="offline-ready"`).
#[component]
pub fn Footer() -> impl IntoView {
    let offline = service_worker::offline_ready();
    view! {
        <footer class="site-footer">
            <p>
                "sepsis-risk " {env!("CARGO_PKG_VERSION")}
                " · Research and education software, not a medical device."
                " · Your data stays in this browser and is never sent anywhere: the app's only requests are for its own files and the ICU model, from this server, kept in the browser for offline use."
            </p>
            {move || offline.get().then(|| view! {
                <p data-testid="offline-ready">
                    "This version is saved in this browser and works without a network connection."
                </p>
            })}
        </footer>
    }
}
