//! A job in the Web Worker as the pages run it ([`JobRun`]: start, progress, Cancel) and its
//! view ([`JobProgress`]): stage, steps, percent, time left and time so far, with a Cancel
//! button that ends the worker at once, and the note of a cancelled run.

use leptos::prelude::*;

use std::cell::RefCell;
use std::rc::Rc;

use crate::app::jobs::{self, Event, Job, Tracker};
use crate::app::searching::{self, Dealer};
use crate::app::training::{HeldOutComparison, TrainForm, TrainSchema};
use crate::app::web;
use crate::app::worker::{self, Running};

/// What a finished job sent.
#[derive(Debug, Clone)]
pub struct Done {
    /// The new bundle's JSON.
    pub bundle: String,
    /// Training: the comparison on the held-out part.
    pub comparison: Option<Result<Box<HeldOutComparison>, String>>,
    /// Milliseconds in the worker.
    pub ms: f64,
    /// The largest peak WebAssembly memory of the job's workers, bytes.
    pub memory_bytes: f64,
}

/// A page's job (one at a time): one worker, or for a training searched in parallel, one
/// worker per share of the candidates and then one that finishes the training.
#[derive(Debug, Clone, Copy)]
pub struct JobRun {
    /// A job is running.
    pub busy: RwSignal<bool>,
    /// The progress of each worker running now.
    pub trackers: RwSignal<Vec<Tracker>>,
    /// The note after a Cancel.
    pub cancelled: RwSignal<Option<String>>,
    /// The job's workers by slot (a search worker's slot empties once it has sent its parts).
    running: StoredValue<Vec<Option<Running>>, LocalStorage>,
    /// Counts the jobs begun and stopped: a finished job's result, handed over in a later
    /// task, arrives only if no other job has begun meanwhile.
    generation: StoredValue<u64>,
}

type OnDone = Rc<dyn Fn(Result<Done, String>)>;

impl JobRun {
    /// Nothing running.
    pub fn new() -> Self {
        JobRun {
            busy: RwSignal::new(false),
            trackers: RwSignal::new(Vec::new()),
            cancelled: RwSignal::new(None),
            running: StoredValue::new_local(Vec::new()),
            generation: StoredValue::new(0),
        }
    }

    /// Takes in an event of the worker `slot`.
    fn track(self, slot: usize, event: &Event) {
        self.trackers.update(|t| {
            if let Some(t) = t.get_mut(slot) {
                t.update(event)
            }
        });
    }

    fn begin(self, workers: usize) {
        self.generation.update_value(|g| *g += 1);
        self.cancelled.set(None);
        self.trackers.set(vec![Tracker::default(); workers]);
        self.busy.set(true);
    }

    /// Ends every worker of the job (also from inside one of their events).
    fn stop(self) {
        self.generation.update_value(|g| *g += 1);
        self.end_workers();
        self.busy.set(false);
    }

    fn end_workers(self) {
        let running = self
            .running
            .try_update_value(std::mem::take)
            .unwrap_or_default();
        for r in running.iter().flatten() {
            r.cancel();
        }
    }

    /// Ends the job now (its workers, its progress bar and Cancel) and hands `end` to
    /// `on_done` in a task of its own (reading the new bundle and drawing its figures is the
    /// page's biggest step of a job), unless another job has begun meanwhile.
    fn finish(self, on_done: &OnDone, end: Result<Done, String>) {
        self.stop();
        let (on_done, generation) = (on_done.clone(), self.generation.get_value());
        wasm_bindgen_futures::spawn_local(async move {
            web::next_frame().await;
            if self.generation.try_get_value() == Some(generation) {
                on_done(end);
            }
        });
    }

    /// Starts `job` on `files` in a new worker; `on_done` hears how it ended (not after a
    /// Cancel).
    pub fn start(
        self,
        job: &Job,
        files: &[(String, web_sys::Blob)],
        on_done: impl Fn(Result<Done, String>) + 'static,
    ) {
        self.begin(1);
        self.spawn((job, &[]), files, 0, Rc::new(on_done));
    }

    /// The worker `slot` of the job, running `job` (with the search workers' channels `ports`,
    /// [`worker::start`]); its last event ends the job.
    fn spawn(
        self,
        (job, ports): (&Job, &[web_sys::MessagePort]),
        files: &[(String, web_sys::Blob)],
        slot: usize,
        on_done: OnDone,
    ) {
        let done = on_done.clone();
        let on_event = move |event: Event| {
            self.track(slot, &event);
            match event {
                Event::Finished {
                    bundle,
                    comparison,
                    ms,
                    memory_bytes,
                } => self.finish(&done, {
                    web::mark("sepsis-risk:job-finished");
                    Ok(Done {
                        bundle,
                        comparison,
                        ms,
                        memory_bytes,
                    })
                }),
                Event::Failed { message } => self.finish(&done, Err(message)),
                Event::Searched { .. } => self.finish(
                    &done,
                    Err("the background worker sent searches where a model was expected".into()),
                ),
                Event::Ready
                | Event::Started
                | Event::Progress { .. }
                | Event::Candidates { .. }
                | Event::Candidate { .. } => {}
            }
        };
        match worker::start(job, ports, files, on_event) {
            Ok(r) => self.running.update_value(|v| v.push(Some(r))),
            Err(e) => self.finish(&on_done, Err(e)),
        }
    }

    /// Starts a training. With `workers` above 1, that many workers
    /// ([`jobs::search_workers`]) search the candidates together, each handed the next one
    /// when it is free ([`searching::Dealer`]), then one worker finishes the training with all
    /// their parts: the same bundle as one worker ([`crate::core::train::SearchData`]).
    pub fn start_training(
        self,
        train: TrainParts,
        workers: usize,
        files: Vec<(String, web_sys::Blob)>,
        on_done: impl Fn(Result<Done, String>) + 'static,
    ) {
        let n = jobs::search_workers(workers);
        if n <= 1 {
            return self.start(&train.job(None), &files, on_done);
        }
        self.begin(n);
        let job = Job::Search {
            schema: train.schema.clone(),
            form: train.form.clone(),
        };
        let shared = Rc::new(SharedSearch {
            dealer: RefCell::new(Dealer::default()),
            ports: RefCell::new(vec![None; n]),
            searched: RefCell::new(vec![false; n]),
            peak: std::cell::Cell::new(0.0),
            context: Rc::new((train, files)),
            on_done: Rc::new(on_done),
        });
        for slot in 0..n {
            let on_event = {
                let shared = shared.clone();
                move |event: Event| self.search_event(slot, event, &shared)
            };
            match worker::start(&job, &[], &shared.context.1, on_event) {
                Ok(r) => self.running.update_value(|v| v.push(Some(r))),
                Err(e) => return self.finish(&shared.on_done, Err(e)),
            }
        }
    }

    /// Takes in an event of the search worker `slot`.
    fn search_event(self, slot: usize, event: Event, shared: &Rc<SharedSearch>) {
        self.track(slot, &event);
        let command = match event {
            Event::Candidates { totals } => {
                let mut d = shared.dealer.borrow_mut();
                d.agree(&totals).map(|()| d.deal())
            }
            Event::Candidate { .. } => {
                let mut d = shared.dealer.borrow_mut();
                d.finished();
                let done = d.done();
                // Every bar counts the candidates all the workers have finished.
                self.trackers.update(|t| {
                    for t in t.iter_mut().filter(|t| t.stage == searching::SEARCH_STAGE) {
                        t.done = t.done.max(done);
                    }
                });
                Ok(d.deal())
            }
            Event::Searched { memory_bytes, .. } => {
                return self.searched(slot, memory_bytes, shared);
            }
            Event::Failed { message } => return self.finish(&shared.on_done, Err(message)),
            Event::Finished { .. } => {
                Err("the background worker sent a model where searches were expected".to_string())
            }
            Event::Ready | Event::Started | Event::Progress { .. } => return,
        };
        let told = command.and_then(|c| {
            self.running
                .try_with_value(|r| r.get(slot).and_then(Option::as_ref).map(|w| w.command(&c)))
                .flatten()
                .unwrap_or(Ok(None))
        });
        match told {
            // The page's end of the channel the worker's parts will take (finish).
            Ok(port) => {
                if let Some(p) = port {
                    shared.ports.borrow_mut()[slot] = Some(p);
                }
            }
            Err(e) => self.finish(&shared.on_done, Err(e)),
        }
    }

    /// The search worker `slot` has sent its parts of the searches into its channel; once
    /// every worker has, the search workers end and the final worker, given the channels'
    /// other ends, merges the parts and finishes the training.
    fn searched(self, slot: usize, memory_bytes: f64, shared: &Rc<SharedSearch>) {
        web::mark("sepsis-risk:searched");
        shared.peak.set(shared.peak.get().max(memory_bytes));
        // The worker's parts wait in its channel: it can go (with its copy of the data).
        let ended = self
            .running
            .try_update_value(|r| r.get_mut(slot).and_then(Option::take))
            .flatten();
        let all = {
            let mut s = shared.searched.borrow_mut();
            s[slot] = true;
            s.iter().all(|s| *s)
        };
        if !all {
            drop(ended);
            web::mark("sepsis-risk:search-worker-ended");
            return;
        }
        let ports: Option<Vec<web_sys::MessagePort>> = shared
            .ports
            .borrow_mut()
            .iter_mut()
            .map(Option::take)
            .collect();
        let Some(ports) = ports else {
            return self.finish(
                &shared.on_done,
                Err("a search worker sent its searches before it was told to finish".into()),
            );
        };
        self.trackers.set(vec![Tracker::default()]);
        let (done, peak) = (shared.on_done.clone(), shared.peak.get());
        let with_peak: OnDone = Rc::new(move |end: Result<Done, String>| {
            done(end.map(|d| Done {
                memory_bytes: d.memory_bytes.max(peak),
                ..d
            }))
        });
        let (train, files) = &*shared.context;
        self.spawn((&train.job(Some(Vec::new())), &ports), files, 0, with_peak);
        web::mark("sepsis-risk:final-job-sent");
        // The last search worker ends in a task of its own: ending a worker that holds
        // gigabytes (all of set A) takes the page's thread a moment.
        wasm_bindgen_futures::spawn_local(async move {
            web::next_frame().await;
            drop(ended);
            web::mark("sepsis-risk:search-worker-ended");
        });
    }

    /// Ends the running job's workers at once; nothing they would still send arrives.
    pub fn cancel(self) {
        let start = web::now_ms();
        self.stop();
        let ms = web::now_ms() - start;
        let so_far = self
            .trackers
            .with_untracked(|t| jobs::seconds(t.iter().map(|t| t.elapsed_ms).fold(0.0, f64::max)));
        self.cancelled.set(Some(format!(
            "Cancelled after {so_far}; the worker stopped in {ms:.0} ms. Nothing was kept."
        )));
    }
}

/// What the workers of a training searched in parallel share on the page.
struct SharedSearch {
    /// The candidates, dealt to the workers as they come free.
    dealer: RefCell<Dealer>,
    /// The page's end of each worker's channel to the final worker, once it is told to
    /// finish.
    ports: RefCell<Vec<Option<web_sys::MessagePort>>>,
    /// Which workers have sent their parts.
    searched: RefCell<Vec<bool>>,
    /// The largest memory of any search worker.
    peak: std::cell::Cell<f64>,
    /// The training and its files (for the final worker).
    context: Rc<(TrainParts, Vec<(String, web_sys::Blob)>)>,
    on_done: OnDone,
}

/// A training job's parts, before the searches are known.
#[derive(Debug, Clone)]
pub struct TrainParts {
    /// The data's format.
    pub schema: TrainSchema,
    /// The options.
    pub form: TrainForm,
    /// The model to compare with (JSON).
    pub compare_with: Option<String>,
}

impl TrainParts {
    fn job(&self, searches: Option<Vec<String>>) -> Job {
        Job::Train {
            schema: self.schema.clone(),
            form: self.form.clone(),
            compare_with: self.compare_with.clone(),
            searches,
        }
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
    let trackers = run.trackers;
    let fraction = move || {
        trackers.with(|t| {
            if t.is_empty() {
                0.0
            } else {
                t.iter().map(Tracker::fraction).sum::<f64>() / t.len() as f64
            }
        })
    };
    view! {
        {move || run.busy.get().then(|| view! {
            <div class="job-progress" data-testid="job-progress" role="group" aria-label=title>
                <label for="job-progress-bar">{title}</label>
                <progress id="job-progress-bar" max="100"
                    value=move || format!("{:.0}", fraction() * 100.0)></progress>
                <span class="status" aria-live="polite" data-testid="job-status">
                    {move || trackers.with(|t| jobs::describe_workers(t))}
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
