//! The statement that data never leaves the browser.

use leptos::prelude::*;

/// "Your data stays in this browser": files are read and scored locally, nothing is uploaded.
#[component]
pub fn PrivacyNote() -> impl IntoView {
    view! {
        <p class="privacy" data-testid="privacy-note">
            <strong>"Your data stays in this browser."</strong>
            " Files are read, checked and scored on this device; nothing is sent to any server,
            and nothing is stored after you close the tab."
        </p>
    }
}
