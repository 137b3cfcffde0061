//! Placeholder for pages that need a loaded dataset.

use leptos::prelude::*;
use leptos_router::components::A;

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
