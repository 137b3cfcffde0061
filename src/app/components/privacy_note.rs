//! The statement that data never leaves the browser.

use leptos::prelude::*;

/// "Your data stays in this browser": files are read and scored locally, nothing is uploaded,
/// uploads are not stored; only models the user keeps are (IndexedDB).
#[component]
pub fn PrivacyNote() -> impl IntoView {
    view! {
        <p class="privacy" data-testid="privacy-note">
            <strong>"Your data stays in this browser."</strong>
            " Files are read, checked and scored on this device; nothing is sent to any server,
            and uploaded data is not stored: it is gone when you close the tab. Only models you
            choose to keep (Model page, \"Your models\") are saved in this browser, until you
            remove them."
        </p>
    }
}
