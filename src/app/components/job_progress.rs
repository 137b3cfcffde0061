//! A job in the Web Worker as the pages run it ([`JobRun`]: start, progress, Cancel) and its
//! view ([`JobProgress`]): stage, steps, percent, time left and time so far, with a Cancel
//! button that ends the worker at once, and the note of a cancelled run.

use leptos::prelude::*;

use crate::app::jobs::{self, Event, Job, Tracker};
use crate::app::training::HeldOutComparison;
use crate::app::web;
use crate::app::worker::{self, Running};

/// What a finished job sent: the bundle's JSON, the comparison (training), the worker's
/// milliseconds.
pub type Done = (String, Option<Result<Box<HeldOutComparison>, String>>, f64);

/// A page's job: at most one at a time.
#[derive(Debug, Clone, Copy)]
pub struct JobRun {
    /// A job is running.
    pub busy: RwSignal<bool>,
    /// Its progress.
    pub tracker: RwSignal<Tracker>,
    /// The note after a Cancel.
    pub cancelled: RwSignal<Option<String>>,
    running: StoredValue<Option<Running>, LocalStorage>,
}

impl JobRun {
    /// Nothing running.
    pub fn new() -> Self {
        JobRun {
            busy: RwSignal::new(false),
            tracker: RwSignal::new(Tracker::default()),
            cancelled: RwSignal::new(None),
            running: StoredValue::new_local(None),
        }
    }

    /// Starts `job` on `files` in a new worker; `on_done` hears how it ended (not after a
    /// Cancel).
    pub fn start(
        self,
        job: &Job,
        files: &[(String, web_sys::Blob)],
        on_done: impl Fn(Result<Done, String>) + 'static,
    ) {
        self.cancelled.set(None);
        self.tracker.set(Tracker::default());
        self.busy.set(true);
        let on_done = std::rc::Rc::new(on_done);
        let done = on_done.clone();
        let on_event = move |event: Event| {
            self.tracker.update(|t| t.update(&event));
            let end = match event {
                Event::Finished {
                    bundle,
                    comparison,
                    ms,
                } => Ok((bundle, comparison, ms)),
                Event::Failed { message } => Err(message),
                Event::Ready | Event::Started | Event::Progress { .. } => return,
            };
            self.running.set_value(None);
            self.busy.set(false);
            done(end);
        };
        match worker::start(job, files, on_event) {
            Ok(r) => self.running.set_value(Some(r)),
            Err(e) => {
                self.busy.set(false);
                on_done(Err(e));
            }
        }
    }

    /// Ends the running job's worker at once; nothing it would still send arrives.
    pub fn cancel(self) {
        let start = web::now_ms();
        if let Some(r) = self.running.try_update_value(|r| r.take()).flatten() {
            r.cancel();
        }
        self.busy.set(false);
        let ms = web::now_ms() - start;
        let so_far = self.tracker.with_untracked(|t| jobs::seconds(t.elapsed_ms));
        self.cancelled.set(Some(format!(
            "Cancelled after {so_far}; the worker stopped in {ms:.0} ms. Nothing was kept."
        )));
    }
}

impl Default for JobRun {
    fn default() -> Self {
        Self::new()
    }
}

/// The progress bar of `run` while it runs (titled `title`), with Cancel; the note after a
/// Cancel.
#[component]
pub fn JobProgress(
    /// What the job is ("Recalibrating").
    title: &'static str,
    /// The job.
    run: JobRun,
) -> impl IntoView {
    let tracker = run.tracker;
    view! {
        {move || run.busy.get().then(|| view! {
            <div class="job-progress" data-testid="job-progress" role="group" aria-label=title>
                <label for="job-progress-bar">{title}</label>
                <progress id="job-progress-bar" max="100"
                    value=move || format!("{:.0}", tracker.with(|t| t.fraction()) * 100.0)></progress>
                <span class="status" aria-live="polite" data-testid="job-status">
                    {move || tracker.with(|t| t.describe())}
                </span>
                " "
                <button type="button" data-testid="cancel-job" on:click=move |_| run.cancel()>
                    "Cancel"
                </button>
                <p class="hint">"This runs in the background: the page stays usable meanwhile."</p>
            </div>
        })}
        <p class="status" aria-live="polite" data-testid="job-cancelled">{move || run.cancelled.get()}</p>
    }
}
