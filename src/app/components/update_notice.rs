//! The "new version available" notice.

use leptos::prelude::*;

use crate::app::service_worker;

/// Shown when a new deployment of the app is installed and waiting
/// (`data-testid="update-notice"`): says so, and its Reload button switches to it.
#[component]
pub fn UpdateNotice() -> impl IntoView {
    let ready = service_worker::update_ready();
    move || {
        ready.get().then(|| {
            view! {
                <div class="banner banner-info update-notice" role="status" data-testid="update-notice">
                    <strong>"A new version of sepsis-risk is available."</strong>
                    " Reload to use it; anything loaded in this page (files, results) will need loading again. "
                    <button type="button" data-testid="update-reload" on:click=move |_| service_worker::reload_into_update()>
                        "Reload"
                    </button>
                </div>
            }
        })
    }
}
