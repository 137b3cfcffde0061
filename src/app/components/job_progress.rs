//! A running worker job's progress: stage, steps, percent, time left and time so far, with a
//! Cancel button that ends the worker at once.

use leptos::prelude::*;

use crate::app::jobs::Tracker;

/// The progress bar of a job (`tracker`), and Cancel (calls `on_cancel`).
#[component]
pub fn JobProgress(
    /// What the job is ("Recalibrating").
    title: &'static str,
    /// The job's progress, from its events.
    tracker: RwSignal<Tracker>,
    /// Ends the job.
    on_cancel: Callback<()>,
) -> impl IntoView {
    view! {
        <div class="job-progress" data-testid="job-progress" role="group" aria-label=title>
            <label for="job-progress-bar">{title}</label>
            <progress id="job-progress-bar" max="100"
                value=move || format!("{:.0}", tracker.with(|t| t.fraction()) * 100.0)></progress>
            <span class="status" aria-live="polite" data-testid="job-status">
                {move || tracker.with(|t| t.describe())}
            </span>
            " "
            <button type="button" data-testid="cancel-job" on:click=move |_| on_cancel.run(())>
                "Cancel"
            </button>
            <p class="hint">"This runs in the background: the page stays usable meanwhile."</p>
        </div>
    }
}
