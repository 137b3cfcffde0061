//! Long work that runs in the page's Web Worker (`src/worker.rs`), as plain data: the
//! [`Job`] the page posts, the [`Event`]s the worker posts back, and [`run`], the work itself
//! on files already read (natively tested; the worker only reads the files and moves
//! messages).
//!
//! The page sends the job as JSON together with the upload's files (the browser's `File`
//! objects, in reading order, with the names the page read them under), so the worker reads
//! the same bytes as the page did and nothing is copied into the page's memory twice. One
//! worker runs one job and is ended afterwards (or at Cancel), so a failed or cancelled job
//! never leaves anything behind for the next one.

use serde::{Deserialize, Serialize};

use crate::app::recalibration::RecalibrateForm;
use crate::app::state;
use crate::app::training::{HeldOutComparison, TrainForm, TrainSchema};
use crate::core::bundle::ModelBundle;
use crate::core::config::TrainConfig;
use crate::core::dataset::Dataset;
use crate::core::files;
use crate::core::schema::Schema;
use crate::core::search::SearchShare;
use crate::core::train::{self, Progress, SourceInfo};

/// What the worker is asked to do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Job {
    /// Recalibrate the parent bundle (its JSON) on the labelled files with the form's options,
    /// as `sepsis-risk recalibrate` does.
    Recalibrate {
        /// The parent bundle, as JSON.
        parent: String,
        /// The options, as typed in the page.
        form: RecalibrateForm,
    },
    /// Train a model on the labelled files with the form's options, as `sepsis-risk train`
    /// does, and score `compare_with` (a bundle's JSON, normally the shipped model of the
    /// format) on the same held-out part.
    Train {
        /// The data's format.
        schema: TrainSchema,
        /// The options, as typed in the page.
        form: TrainForm,
        /// The model to compare with, as JSON.
        compare_with: Option<String>,
        /// The searches, when other workers ran them: every worker's [`Job::Search`] shares,
        /// each as its JSON, in any order; this worker merges them
        /// ([`train::merge_searches`]) and does not search again. In the browser they arrive
        /// straight from the search workers over message channels ([`Inbox::push_part`]): the
        /// page never holds them (tens of megabytes of out-of-fold scores on all of set A,
        /// whose copies and garbage collection made tasks of 100 to 300 ms on its thread).
        #[serde(default)]
        searches: Option<Vec<String>>,
    },
    /// The searches only (stages 1 to 3 of training), one candidate at a time as the page
    /// hands them out: one worker's part of a training searched in parallel workers
    /// ([`crate::app::searching`]).
    Search {
        /// The data's format.
        schema: TrainSchema,
        /// The options.
        form: TrainForm,
    },
}

/// What a job produces.
#[derive(Debug, Clone, PartialEq)]
pub enum Output {
    /// A new model.
    Model {
        /// The new bundle.
        bundle: Box<ModelBundle>,
        /// Training only: the comparison with the other model on the held-out part, or why
        /// there is none.
        comparison: Option<Result<Box<HeldOutComparison>, String>>,
    },
    /// [`Job::Search`]'s shares of the searches.
    Searches(Vec<SearchShare>),
}

/// The slots of large texts (model files, searches) in a job or an event, in order.
fn text_slots_of_job(job: &mut Job) -> Vec<&mut String> {
    match job {
        Job::Recalibrate { parent, .. } => vec![parent],
        Job::Train {
            compare_with,
            searches,
            ..
        } => compare_with
            .iter_mut()
            .chain(searches.iter_mut().flatten())
            .collect(),
        Job::Search { .. } => Vec::new(),
    }
}

fn text_slots_of_event(event: &mut Event) -> Vec<&mut String> {
    match event {
        Event::Finished { bundle, .. } => vec![bundle],
        Event::Searched { searches, .. } => searches.iter_mut().collect(),
        _ => Vec::new(),
    }
}

/// Moves the texts out of `slots` (leaving them empty).
fn take(slots: Vec<&mut String>) -> Vec<String> {
    slots.into_iter().map(std::mem::take).collect()
}

/// Puts `texts` back into `slots`; an error when their numbers differ.
fn put(slots: Vec<&mut String>, texts: Vec<String>) -> Result<(), String> {
    if slots.len() != texts.len() {
        return Err(format!(
            "the message has {} texts where {} were expected",
            texts.len(),
            slots.len()
        ));
    }
    for (slot, text) in slots.into_iter().zip(texts) {
        *slot = text;
    }
    Ok(())
}

impl Job {
    /// Moves the job's large texts (model files, searches) out, leaving them empty: they travel
    /// beside the job's JSON as strings of their own, never escaped into it (which would take
    /// the page's thread for a long moment with megabytes of them). [`Job::put_texts`] puts
    /// them back.
    pub fn take_texts(&mut self) -> Vec<String> {
        take(text_slots_of_job(self))
    }

    /// Puts back what [`Job::take_texts`] took.
    pub fn put_texts(&mut self, texts: Vec<String>) -> Result<(), String> {
        put(text_slots_of_job(self), texts)
    }

    /// What the progress bar calls the job.
    pub fn title(&self) -> &'static str {
        match self {
            Job::Recalibrate { .. } => "Recalibrating",
            Job::Train { .. } => "Training",
            Job::Search { .. } => "Searching",
        }
    }
}

/// A message from the worker to the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Event {
    /// The worker has loaded and waits for its job (messages posted to a worker before its
    /// WebAssembly is running would be lost, so the page posts the job on this event).
    Ready,
    /// The worker has the job and reads its files.
    Started,
    /// `done` of `total` steps of `stage`, `elapsed_ms` after the job started.
    Progress {
        /// What is being done.
        stage: String,
        /// Steps done in this stage.
        done: usize,
        /// Steps in this stage.
        total: usize,
        /// Milliseconds since the job started.
        elapsed_ms: f64,
    },
    /// The job's bundle (JSON) and how long the job took.
    Finished {
        /// The new bundle, as JSON ([`ModelBundle::to_json`]).
        bundle: String,
        /// Training only: [`Output::comparison`].
        #[serde(default)]
        comparison: Option<Result<Box<HeldOutComparison>, String>>,
        /// Milliseconds the job took in the worker (reading included).
        ms: f64,
        /// The worker's WebAssembly memory at the end, in bytes: its peak, since wasm memory
        /// only grows.
        #[serde(default)]
        memory_bytes: f64,
    },
    /// A search worker has its data: how many candidates each family of the training has
    /// (it now waits for [`crate::app::searching::Command`]s).
    Candidates {
        /// Per family, in the training's order.
        totals: Vec<usize>,
    },
    /// A search worker finished the candidate it was given.
    Candidate {
        /// The family's position in the training.
        family: usize,
        /// The candidate's index in the family's search.
        index: usize,
    },
    /// [`Job::Search`]'s searches and how long they took.
    Searched {
        /// One per family of the job, in its order, each as its JSON.
        searches: Vec<String>,
        /// Milliseconds in the worker.
        ms: f64,
        /// The worker's peak WebAssembly memory, bytes.
        #[serde(default)]
        memory_bytes: f64,
    },
    /// Why the job failed (naming the file, as the CLI would).
    Failed {
        /// The message for the page.
        message: String,
    },
}

impl Event {
    /// [`Job::take_texts`] for an event (the bundle, the searches).
    pub fn take_texts(&mut self) -> Vec<String> {
        take(text_slots_of_event(self))
    }

    /// Puts back what [`Event::take_texts`] took.
    pub fn put_texts(&mut self, texts: Vec<String>) -> Result<(), String> {
        put(text_slots_of_event(self), texts)
    }

    /// The event as the JSON text the worker posts.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|e| {
            format!(
                "{{\"kind\":\"failed\",\"message\":\"cannot encode the worker's message: {e}\"}}"
            )
        })
    }

    /// An event from the worker's text, or why it cannot be read.
    pub fn from_json(text: &str) -> Result<Event, String> {
        serde_json::from_str(text).map_err(|e| format!("unreadable message from the worker: {e}"))
    }
}

/// The last event of a job that produced `out` in `ms`, its worker's memory at
/// `memory_bytes`.
pub fn finished(out: Output, ms: f64, memory_bytes: f64) -> Result<Event, String> {
    Ok(match out {
        Output::Model { bundle, comparison } => Event::Finished {
            bundle: bundle
                .to_json()
                .map_err(|e| format!("the new model cannot be written: {e}"))?,
            comparison,
            ms,
            memory_bytes,
        },
        Output::Searches(searches) => Event::Searched {
            searches: searches
                .iter()
                .map(serde_json::to_string)
                .collect::<Result<_, _>>()
                .map_err(|e| format!("the searches cannot be written: {e}"))?,
            ms,
            memory_bytes,
        },
    })
}

/// Most workers one training searches in: each holds its own copy of the data.
pub const MAX_SEARCH_WORKERS: usize = 4;

/// How many workers search a training's candidates together when the browser offers
/// `workers` (each takes the next candidate when it is free, [`crate::app::searching`]): 1 to
/// [`MAX_SEARCH_WORKERS`].
pub fn search_workers(workers: usize) -> usize {
    workers.clamp(1, MAX_SEARCH_WORKERS)
}

/// A worker's job while its files arrive in batches (`src/worker.rs`): the job, when it
/// arrived (ms), how many files it has and those read so far, and for a training searched in
/// parallel, the search workers' parts as they arrive (each over a channel of its own, straight
/// from its worker: the page never holds them).
#[derive(Debug)]
pub struct Inbox {
    job: Job,
    start: f64,
    count: usize,
    files: Vec<(String, Vec<u8>)>,
    parts: Vec<Option<Vec<String>>>,
}

impl Inbox {
    /// The job, arrived at `start` ms, with `count` files to come.
    pub fn new(job: Job, start: f64, count: usize) -> Self {
        Inbox {
            job,
            start,
            count,
            files: Vec::with_capacity(count),
            parts: Vec::new(),
        }
    }

    /// The job waits also for `n` search workers' parts ([`Inbox::push_part`]); an error for a
    /// job that takes none (only a [`Job::Train`] whose `searches` are `Some` and empty does).
    pub fn expect_parts(mut self, n: usize) -> Result<Self, String> {
        if n > 0 && !matches!(&self.job, Job::Train { searches: Some(s), .. } if s.is_empty()) {
            return Err("the job has no place for the search workers' parts".into());
        }
        self.parts = vec![None; n];
        Ok(self)
    }

    /// Adds the search worker `slot`'s parts (its [`Event::Searched`] texts); once every
    /// worker's are in, they become the job's searches, in the workers' order. An error for a
    /// slot the job does not have or one that sent twice.
    pub fn push_part(&mut self, slot: usize, texts: Vec<String>) -> Result<(), String> {
        match self.parts.get_mut(slot) {
            Some(p @ None) => *p = Some(texts),
            Some(Some(_)) => return Err(format!("search worker {slot} sent its part twice")),
            None => {
                return Err(format!(
                    "a part arrived from search worker {slot}, not one of the job's"
                ));
            }
        }
        if self.parts.iter().all(Option::is_some) {
            if let Job::Train {
                searches: Some(s), ..
            } = &mut self.job
            {
                s.extend(self.parts.drain(..).flatten().flatten());
            }
        }
        Ok(())
    }

    /// Adds a batch of files (`(name, bytes)`, in reading order); an error when the job has
    /// more files than it said.
    pub fn push(&mut self, batch: Vec<(String, Vec<u8>)>) -> Result<(), String> {
        if self.files.len() + batch.len() > self.count {
            return Err(format!(
                "{} files arrived for a job of {}",
                self.files.len() + batch.len(),
                self.count
            ));
        }
        self.files.extend(batch);
        Ok(())
    }

    /// Whether every file and every search worker's part is in.
    pub fn is_complete(&self) -> bool {
        self.files.len() == self.count && self.parts.is_empty()
    }

    /// The job.
    pub fn job(&self) -> &Job {
        &self.job
    }

    /// When the job arrived, ms.
    pub fn start(&self) -> f64 {
        self.start
    }

    /// The files read so far.
    pub fn files(&self) -> &[(String, Vec<u8>)] {
        &self.files
    }

    /// The job, when it arrived and its files, for a job that keeps them ([`Job::Search`]
    /// reads them and lets them go).
    pub fn into_parts(self) -> (Job, f64, Vec<(String, Vec<u8>)>) {
        (self.job, self.start, self.files)
    }
}

/// Files in the first message of files the page posts to a worker (`app::worker`).
pub const FIRST_FILE_BATCH: usize = 16;

/// Most files in one message: 64 first clones at the 0.3 to 0.7 ms a file measured on the
/// 2-core VM take at most about 45 ms.
pub const MAX_FILE_BATCH: usize = 64;

/// The page's time one message of files may take, in ms: well within the 100 ms a task may
/// take, since the workers, reading the files already sent, share the machine's cores.
pub const FILE_BATCH_MS: f64 = 40.0;

/// How many files the next message carries when the last one of `files` files took `ms` of
/// the page's thread (building and posting it): as many as fit [`FILE_BATCH_MS`] at the same
/// cost per file, but at most twice as many as the last, at least 1 and at most
/// [`MAX_FILE_BATCH`]. Cloning a `File` into a worker costs the page 0.3 to 0.7 ms the first
/// time and almost nothing after that, so a cheap batch (files cloned before, for another
/// worker) says little about the next one: the batches grow slowly and stay small.
pub fn next_file_batch(files: usize, ms: f64) -> usize {
    let most = (2 * files).clamp(1, MAX_FILE_BATCH);
    if files == 0 || ms.is_nan() || ms <= 0.0 {
        return most;
    }
    let fit = FILE_BATCH_MS / (ms / files as f64);
    (fit.floor() as usize).clamp(1, most)
}

/// What the page shows of a running job (its progress bar), kept up to date from the worker's
/// events with [`Tracker::update`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Tracker {
    /// The current stage ("" before the first progress report).
    pub stage: String,
    /// Steps done in the stage.
    pub done: usize,
    /// Steps in the stage.
    pub total: usize,
    /// Milliseconds since the job started, at the last report.
    pub elapsed_ms: f64,
    /// When the current stage started (milliseconds since the job started).
    stage_started_ms: f64,
}

impl Tracker {
    /// Takes in a progress event (others leave the tracker as it is).
    pub fn update(&mut self, event: &Event) {
        if let Event::Progress {
            stage,
            done,
            total,
            elapsed_ms,
        } = event
        {
            if *stage != self.stage {
                self.stage = stage.clone();
                self.stage_started_ms = *elapsed_ms;
            }
            self.done = *done;
            self.total = *total;
            self.elapsed_ms = *elapsed_ms;
        }
    }

    /// Share of the stage done, 0 to 1 (0 before the first report).
    pub fn fraction(&self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            (self.done as f64 / self.total as f64).clamp(0.0, 1.0)
        }
    }

    /// Estimated milliseconds left in the stage ([`time_left_ms`]).
    pub fn time_left_ms(&self) -> Option<f64> {
        time_left_ms(
            self.done,
            self.total,
            self.elapsed_ms - self.stage_started_ms,
        )
    }

    /// One line for the page: `"recalibrating: 3 of 10 (30 %), about 4 s left · 12 s so far"`.
    pub fn describe(&self) -> String {
        if self.stage.is_empty() {
            return "starting…".to_string();
        }
        self.line(&self.stage, self.time_left_ms(), self.elapsed_ms)
    }

    /// `"<what>: 3 of 10 (30 %), about <left> left · <elapsed> so far"`.
    fn line(&self, what: &str, left_ms: Option<f64>, elapsed_ms: f64) -> String {
        let mut line = format!("{what}: {} of {}", self.done, self.total);
        if self.total > 0 {
            line.push_str(&format!(" ({:.0} %)", self.fraction() * 100.0));
        }
        if let Some(left) = left_ms.filter(|_| self.done < self.total) {
            line.push_str(&format!(", about {} left", seconds(left)));
        }
        line.push_str(&format!(" · {} so far", seconds(elapsed_ms)));
        line
    }
}

/// One line for the progress of a job's workers: [`Tracker::describe`] for one; for workers
/// at the same point of the same stage (searching a training's candidates together, each
/// counting them all) one line naming how many (the longest time left and so far); else each
/// worker's line.
pub fn describe_workers(trackers: &[Tracker]) -> String {
    match trackers {
        [] => String::new(),
        [one] => one.describe(),
        [first, rest @ ..]
            if !first.stage.is_empty()
                && rest.iter().all(|t| {
                    (t.stage.as_str(), t.done, t.total)
                        == (first.stage.as_str(), first.done, first.total)
                }) =>
        {
            let slowest = trackers
                .iter()
                .max_by(|a, b| {
                    let left = |t: &Tracker| t.time_left_ms().unwrap_or(0.0);
                    left(a).total_cmp(&left(b))
                })
                .unwrap_or(first);
            let elapsed = trackers.iter().map(|t| t.elapsed_ms).fold(0.0, f64::max);
            let what = format!("{} in {} workers", first.stage, trackers.len());
            first.line(&what, slowest.time_left_ms(), elapsed)
        }
        _ => format!(
            "{} workers: {}",
            trackers.len(),
            trackers
                .iter()
                .map(Tracker::describe)
                .collect::<Vec<_>>()
                .join(" | ")
        ),
    }
}

/// `"0.4 s"`, `"12 s"`, `"3 min 5 s"`.
pub fn seconds(ms: f64) -> String {
    let s = ms.max(0.0) / 1000.0;
    if s < 10.0 {
        format!("{s:.1} s")
    } else if s < 60.0 {
        format!("{s:.0} s")
    } else {
        let whole = s.round() as u64;
        format!("{} min {} s", whole / 60, whole % 60)
    }
}

/// The page's estimate of a stage's time left: linear in the steps done so far, None before
/// the first step or when the stage's size is unknown.
pub fn time_left_ms(done: usize, total: usize, stage_elapsed_ms: f64) -> Option<f64> {
    (done > 0 && total >= done && stage_elapsed_ms.is_finite())
        .then(|| stage_elapsed_ms / done as f64 * (total - done) as f64)
}

/// What training reads: the dataset, the source it records, the configuration and the schema.
type TrainingInput = (Dataset, SourceInfo, TrainConfig, Schema);

/// The dataset, source, configuration and schema of a training job's files.
pub(crate) fn training_input(
    schema: &TrainSchema,
    form: &TrainForm,
    files: &[(String, Vec<u8>)],
    progress: &mut dyn FnMut(&Progress),
) -> Result<TrainingInput, String> {
    let label = state::files_label(files);
    let schema = schema.resolve(files, &label)?;
    let config = form.config(&schema).map_err(|p| p.join(" "))?;
    progress(&Progress::new("validating rows", 0, 1));
    let ds = files::read_files_without_fields(files, &schema, &label).map_err(|e| e.to_string())?;
    let source = SourceInfo {
        name: label,
        sha256: train::sha256_hex_of(files.iter().map(|(_, b)| b.as_slice())),
    };
    Ok((ds, source, config, schema))
}

/// Runs `job` on `files` (`(name, bytes)` in reading order, named as the page read them):
/// the new bundle, or the message for the page. `progress` hears each stage.
pub fn run(
    job: &Job,
    files: &[(String, Vec<u8>)],
    progress: &mut dyn FnMut(&Progress),
) -> Result<Output, String> {
    match job {
        Job::Search { .. } => Err(
            "a search runs one candidate at a time as the page hands them out (app::searching)"
                .into(),
        ),
        Job::Train {
            schema,
            form,
            compare_with,
            searches,
        } => {
            let (ds, source, config, schema) = training_input(schema, form, files, progress)?;
            let label = source.name.clone();
            let outcome = match searches {
                Some(texts) => {
                    let shares = texts
                        .iter()
                        .map(|t| serde_json::from_str::<SearchShare>(t))
                        .collect::<Result<Vec<_>, _>>()
                        .map_err(|e| format!("the other workers' searches cannot be read: {e}"))?;
                    train::merge_searches(&config, shares).and_then(|s| {
                        train::train_with_searches(&ds, &source, &config, s, progress)
                    })
                }
                None => train::train(&ds, &source, &config, progress),
            }
            .map_err(|e| format!("{label}: {e}"))?;
            let comparison = compare_with.as_ref().map(|json| {
                let other = ModelBundle::from_json(json)
                    .map_err(|e| format!("the model to compare with cannot be read: {e}"))?;
                if other.schema.name != schema.name {
                    return Err(format!(
                        "{} reads another format (\"{}\"), so it cannot be scored on this data.",
                        other.model_card.title, other.schema.title
                    ));
                }
                if outcome.test_rows.is_empty() {
                    return Err("No rows were held out (held-out share 0), so there is nothing to compare on.".into());
                }
                progress(&Progress::new("comparing on the held-out part", 0, 1));
                HeldOutComparison::of(&other, &outcome.bundle, &ds, &outcome.test_rows)
                    .map(Box::new)
            });
            Ok(Output::Model {
                bundle: Box::new(outcome.bundle),
                comparison,
            })
        }
        Job::Recalibrate { parent, form } => {
            let parent = ModelBundle::from_json(parent)
                .map_err(|e| format!("the model to recalibrate cannot be read: {e}"))?;
            let config = form.config().map_err(|p| p.join(" "))?;
            let label = state::files_label(files);
            progress(&Progress::new("validating rows", 0, 1));
            let ds = files::read_files_without_fields(files, &parent.schema, &label)
                .map_err(|e| e.to_string())?;
            if !ds.has_label_column {
                return Err(format!(
                    "{label}: there is no label column ({}), so the model cannot be recalibrated on it.",
                    parent.schema.label.name
                ));
            }
            let source = SourceInfo {
                name: label.clone(),
                sha256: train::sha256_hex_of(files.iter().map(|(_, b)| b.as_slice())),
            };
            progress(&Progress::new("recalibrating", 0, 1));
            let bundle = train::recalibrate(&parent, &ds, &source, &config)
                .map_err(|e| format!("{label}: {e}"))?;
            progress(&Progress::new("done", 1, 1));
            Ok(Output::Model {
                bundle: Box::new(bundle),
                comparison: None,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::model::seed_bundle;
    use crate::core::dataset::Dataset;
    use crate::core::{csv, demo, schema};

    #[test]
    fn an_inbox_is_complete_with_its_count_and_refuses_more() {
        let job = seed_job(RecalibrateForm::default());
        let file = |n: &str| (n.to_string(), vec![1u8]);
        assert!(Inbox::new(job.clone(), 0.0, 0).is_complete());
        let mut inbox = Inbox::new(job, 5.0, 3);
        inbox.push(vec![file("a")]).unwrap();
        assert!(!inbox.is_complete());
        inbox.push(vec![file("b"), file("c")]).unwrap();
        assert!(inbox.is_complete());
        assert_eq!(inbox.files().len(), 3);
        assert_eq!(inbox.files()[2].0, "c");
        assert_eq!(inbox.start(), 5.0);
        let e = inbox.push(vec![file("d")]).unwrap_err();
        assert_eq!(e, "4 files arrived for a job of 3");
        assert_eq!(inbox.files().len(), 3);
        let (job, start, files) = inbox.into_parts();
        assert_eq!((job.title(), start, files.len()), ("Recalibrating", 5.0, 3));
    }

    #[test]
    fn an_inbox_waits_for_every_search_workers_part_and_keeps_their_order() {
        let train = |searches| Job::Train {
            schema: TrainSchema::Builtin {
                name: "seed".into(),
            },
            form: TrainForm::default(),
            compare_with: None,
            searches,
        };
        assert!(
            Inbox::new(seed_job(RecalibrateForm::default()), 0.0, 0)
                .expect_parts(2)
                .is_err()
        );
        assert!(Inbox::new(train(None), 0.0, 0).expect_parts(2).is_err());
        assert!(
            Inbox::new(train(Some(vec!["x".into()])), 0.0, 0)
                .expect_parts(1)
                .is_err()
        );
        let mut inbox = Inbox::new(train(Some(Vec::new())), 0.0, 1)
            .expect_parts(2)
            .unwrap();
        inbox.push(vec![("a.csv".into(), vec![1])]).unwrap();
        assert!(!inbox.is_complete(), "the files are in, the parts are not");
        inbox.push_part(1, vec!["c".into(), "d".into()]).unwrap();
        assert_eq!(
            inbox.push_part(1, vec![]).unwrap_err(),
            "search worker 1 sent its part twice"
        );
        assert!(
            inbox
                .push_part(2, vec![])
                .unwrap_err()
                .contains("not one of the job's")
        );
        assert!(!inbox.is_complete());
        inbox.push_part(0, vec!["a".into(), "b".into()]).unwrap();
        assert!(inbox.is_complete());
        assert_eq!(
            inbox.job(),
            &train(Some(vec!["a".into(), "b".into(), "c".into(), "d".into()]))
        );
    }

    #[test]
    fn file_batches_follow_the_cost_of_the_last_one() {
        // 16 files in 8 ms: 0.5 ms a file, 80 would fit in 40 ms, but a batch at most
        // doubles.
        assert_eq!(next_file_batch(16, 8.0), 32);
        // 32 files in 20 ms: 0.625 ms a file, so 64 fit.
        assert_eq!(next_file_batch(32, 20.0), 64);
        // 64 files in 64 ms: 1 ms a file, 40 fit.
        assert_eq!(next_file_batch(64, 64.0), 40);
        // Slower than the budget per file: one at a time, never none.
        assert_eq!(next_file_batch(10, 500.0), 1);
        // Clones that cost nothing (files sent before): twice as many, at most the cap.
        assert_eq!(next_file_batch(16, 0.0), 32);
        assert_eq!(next_file_batch(64, 0.1), MAX_FILE_BATCH);
        assert_eq!(next_file_batch(0, 3.0), 1);
        assert_eq!(next_file_batch(5, f64::NAN), 10);
    }

    fn seed_job(form: RecalibrateForm) -> Job {
        Job::Recalibrate {
            parent: crate::app::model::SEED_BUNDLE_JSON.to_string(),
            form,
        }
    }

    #[test]
    fn a_job_and_its_events_survive_the_trip_as_json() {
        let job = seed_job(RecalibrateForm::default());
        let text = serde_json::to_string(&job).unwrap();
        assert!(text.starts_with("{\"kind\":\"recalibrate\""), "{text}");
        assert_eq!(serde_json::from_str::<Job>(&text).unwrap(), job);
        for e in [
            Event::Ready,
            Event::Started,
            Event::Progress {
                stage: "recalibrating".into(),
                done: 1,
                total: 3,
                elapsed_ms: 12.5,
            },
            Event::Finished {
                bundle: "{}".into(),
                comparison: Some(Err("none".into())),
                ms: 3.0,
                memory_bytes: 65536.0,
            },
            Event::Failed {
                message: "x.csv: bad \"quote\"".into(),
            },
        ] {
            assert_eq!(Event::from_json(&e.to_json()).unwrap(), e);
        }
        let e = Event::from_json("{\"kind\":\"nonsense\"}").unwrap_err();
        assert!(e.starts_with("unreadable message from the worker"), "{e}");
    }

    #[test]
    fn large_texts_travel_beside_the_json_and_come_back_in_place() {
        let mut job = Job::Train {
            schema: TrainSchema::Builtin {
                name: "seed".into(),
            },
            form: TrainForm::default(),
            compare_with: Some("{\"model\": 1}".into()),
            searches: Some(vec!["[1]".into(), "[2]".into()]),
        };
        let original = job.clone();
        let texts = job.take_texts();
        assert_eq!(texts, ["{\"model\": 1}", "[1]", "[2]"]);
        let wire = serde_json::to_string(&job).unwrap();
        assert!(!wire.contains("model"), "{wire}");
        let mut back: Job = serde_json::from_str(&wire).unwrap();
        assert!(back.put_texts(vec!["x".into()]).is_err());
        back.put_texts(texts).unwrap();
        assert_eq!(back, original);

        let mut e = Event::Searched {
            searches: vec!["a".into(), "b".into()],
            ms: 1.0,
            memory_bytes: 2.0,
        };
        let texts = e.take_texts();
        let mut back = Event::from_json(&e.to_json()).unwrap();
        back.put_texts(texts).unwrap();
        assert_eq!(
            back,
            Event::Searched {
                searches: vec!["a".into(), "b".into()],
                ms: 1.0,
                memory_bytes: 2.0,
            }
        );
        let mut ready = Event::Ready;
        assert!(ready.take_texts().is_empty());
    }

    #[test]
    fn the_worker_recalibrates_as_the_page_and_the_cli_do() {
        let parent = seed_bundle().unwrap();
        let text = demo::demo_csv(&parent.schema, 300, 5).unwrap();
        let files = vec![("local.csv".to_string(), text.as_bytes().to_vec())];
        let form = RecalibrateForm {
            method: "isotonic".into(),
            folds: "4".into(),
            ..RecalibrateForm::default()
        };
        let mut stages = Vec::new();
        let b = run(&seed_job(form.clone()), &files, &mut |p| {
            stages.push(p.stage.clone())
        })
        .unwrap();
        let Output::Model { bundle: b, .. } = b else {
            panic!("not a model")
        };
        assert_eq!(stages, ["validating rows", "recalibrating", "done"]);
        // The same as the core on the dataset the page loaded, as `sepsis-risk recalibrate`
        // reads the same bytes.
        let loaded = state::load("local.csv", text.as_bytes(), Some(parent)).unwrap();
        let source = SourceInfo {
            name: "local.csv".into(),
            sha256: train::sha256_hex(text.as_bytes()),
        };
        let expected =
            train::recalibrate(parent, &loaded.dataset, &source, &form.config().unwrap()).unwrap();
        assert_eq!(b.to_json().unwrap(), expected.to_json().unwrap());
        assert_eq!(
            b.recalibration.as_ref().unwrap().parent_sha256,
            train::sha256_hex(crate::app::model::SEED_BUNDLE_JSON.as_bytes())
        );
    }

    impl Output {
        fn bundle(&self) -> &ModelBundle {
            match self {
                Output::Model { bundle, .. } => bundle,
                Output::Searches(_) => panic!("not a model"),
            }
        }
        fn comparison(&self) -> Option<Result<Box<HeldOutComparison>, String>> {
            match self {
                Output::Model { comparison, .. } => comparison.clone(),
                Output::Searches(_) => panic!("not a model"),
            }
        }
    }

    fn quick_form() -> TrainForm {
        TrainForm {
            families: vec!["logistic".into(), "boosting".into()],
            search: "random".into(),
            draws: "2".into(),
            folds: "3".into(),
            ..TrainForm::default()
        }
    }

    #[test]
    fn the_worker_trains_as_the_core_does_and_compares_on_the_held_out_part() {
        let seed = schema::builtin("seed").unwrap();
        let text = demo::demo_csv(&seed, 300, 11).unwrap();
        let files = vec![("local.csv".to_string(), text.as_bytes().to_vec())];
        let job = Job::Train {
            schema: TrainSchema::Builtin {
                name: "seed".into(),
            },
            form: quick_form(),
            compare_with: Some(crate::app::model::SEED_BUNDLE_JSON.to_string()),
            searches: None,
        };
        let mut stages = Vec::new();
        let out = run(&job, &files, &mut |p| {
            if stages.last() != Some(&p.stage) {
                stages.push(p.stage.clone())
            }
        })
        .unwrap();
        assert_eq!(stages.first().map(String::as_str), Some("validating rows"));
        assert_eq!(
            stages.last().map(String::as_str),
            Some("comparing on the held-out part")
        );
        let ds =
            Dataset::from_table(&csv::parse(text.as_bytes()).unwrap(), &seed, "local.csv").unwrap();
        let source = SourceInfo {
            name: "local.csv".into(),
            sha256: train::sha256_hex(text.as_bytes()),
        };
        let config = quick_form().config(&seed).unwrap();
        let expected = train::train(&ds, &source, &config, &mut |_| {}).unwrap();
        assert_eq!(
            out.bundle().to_json().unwrap(),
            expected.bundle.to_json().unwrap()
        );
        let c = out.comparison().unwrap().unwrap();
        assert_eq!(c.rows, expected.test_rows.len());
        assert_eq!(c.other_title, seed_bundle().unwrap().model_card.title);
        // The trained model's side is its own held-out test.
        let test = expected.bundle.test_metrics.as_ref().unwrap();
        assert!((c.trained.metrics.roc_auc - test.roc_auc).abs() < 1e-9);
        assert_eq!(c.rows().len(), 8);

        // Nothing held out: no comparison, and it says why.
        let job = Job::Train {
            schema: TrainSchema::Builtin {
                name: "seed".into(),
            },
            form: TrainForm {
                test_fraction: "0".into(),
                ..quick_form()
            },
            compare_with: Some(crate::app::model::SEED_BUNDLE_JSON.to_string()),
            searches: None,
        };
        let e = run(&job, &files, &mut |_| {})
            .unwrap()
            .comparison()
            .unwrap()
            .unwrap_err();
        assert!(e.contains("No rows were held out"), "{e}");
    }

    #[test]
    fn search_workers_are_one_to_four_and_a_search_is_not_a_plain_job() {
        assert_eq!(
            (search_workers(0), search_workers(2), search_workers(64)),
            (1, 2, 4)
        );
        let job = Job::Search {
            schema: TrainSchema::Builtin {
                name: "seed".into(),
            },
            form: quick_form(),
        };
        assert!(run(&job, &[], &mut |_| {}).is_err());
        let event = Event::Candidates { totals: vec![3, 2] };
        assert_eq!(Event::from_json(&event.to_json()).unwrap(), event);
    }

    #[test]
    fn the_worker_trains_on_any_csv_with_a_roles_file() {
        let mut text = String::from("pid;age;lactate;ward;outcome\n");
        for i in 0..120 {
            let sick = i % 3 == 0;
            text.push_str(&format!(
                "p{i};{};{};{};{}\n",
                40 + (i * 7) % 45,
                if i % 11 == 0 {
                    "-1".to_string()
                } else {
                    format!("{:.1}", if sick { 3.5 } else { 1.2 } + (i % 5) as f64 * 0.3)
                },
                ["north", "south", "east"][(i / 7) % 3],
                if sick { "sepsis" } else { "no" }
            ));
        }
        let roles = r#"{"format":"sepsis-risk-roles","version":1,"name":"ward-data",
            "label":{"column":"outcome","positive":["sepsis"]},"id":"pid",
            "features":[{"column":"age","type":"numeric"},
                        {"column":"lactate","type":"numeric","missing":[-1]},
                        {"column":"ward","type":"categorical"}]}"#;
        let files = vec![("wards.csv".to_string(), text.into_bytes())];
        let job = Job::Train {
            schema: TrainSchema::Roles {
                roles: roles.to_string(),
            },
            form: TrainForm {
                families: vec!["logistic".into()],
                ..quick_form()
            },
            compare_with: Some(crate::app::model::SEED_BUNDLE_JSON.to_string()),
            searches: None,
        };
        let out = run(&job, &files, &mut |_| {}).unwrap();
        assert_eq!(out.bundle().schema.name, "ward-data");
        // The seed model reads another format: said, not scored.
        let e = out.comparison().unwrap().unwrap_err();
        assert!(e.contains("reads another format"), "{e}");
        // A bad roles file is named.
        let job = Job::Train {
            schema: TrainSchema::Roles {
                roles: roles.replace("\"outcome\"", "\"nope\""),
            },
            form: quick_form(),
            compare_with: None,
            searches: None,
        };
        let e = run(&job, &files, &mut |_| {}).unwrap_err();
        assert!(e.starts_with("roles.json:") && e.contains("nope"), "{e}");
    }

    #[test]
    fn a_bad_job_fails_with_a_message_naming_what_is_wrong() {
        let parent = seed_bundle().unwrap();
        let text = demo::demo_csv(&parent.schema, 100, 5).unwrap();
        let unlabelled: String = text
            .lines()
            .map(|l| l.rsplit_once(',').unwrap().0.to_string() + "\n")
            .collect();
        let files = vec![("nolabel.csv".to_string(), unlabelled.into_bytes())];
        let e = run(&seed_job(RecalibrateForm::default()), &files, &mut |_| {}).unwrap_err();
        assert!(
            e.starts_with("nolabel.csv: there is no label column"),
            "{e}"
        );

        let files = vec![("local.csv".to_string(), text.into_bytes())];
        let bad_form = RecalibrateForm {
            folds: "1".into(),
            ..RecalibrateForm::default()
        };
        let e = run(&seed_job(bad_form), &files, &mut |_| {}).unwrap_err();
        assert!(e.starts_with("Folds:"), "{e}");
        let broken = Job::Recalibrate {
            parent: "{\"format\":".into(),
            form: RecalibrateForm::default(),
        };
        let e = run(&broken, &files, &mut |_| {}).unwrap_err();
        assert!(
            e.starts_with("the model to recalibrate cannot be read"),
            "{e}"
        );

        let garbage = vec![("local.csv".to_string(), b"a,b\n1\n\"".to_vec())];
        let e = run(&seed_job(RecalibrateForm::default()), &garbage, &mut |_| {}).unwrap_err();
        assert!(e.contains("local.csv"), "{e}");
    }

    #[test]
    fn the_tracker_follows_stages_and_estimates_the_time_left() {
        let mut t = Tracker::default();
        assert_eq!(t.describe(), "starting…");
        let progress = |stage: &str, done, total, elapsed_ms| Event::Progress {
            stage: stage.into(),
            done,
            total,
            elapsed_ms,
        };
        t.update(&Event::Started);
        t.update(&progress("validating rows", 0, 1, 100.0));
        t.update(&progress("searching", 0, 10, 1000.0));
        assert_eq!(t.time_left_ms(), None);
        t.update(&progress("searching", 2, 10, 3000.0));
        // Two steps in the 2 s since the stage started: 8 more take 8 s.
        assert_eq!(t.time_left_ms(), Some(8000.0));
        assert_eq!(t.fraction(), 0.2);
        assert_eq!(
            t.describe(),
            "searching: 2 of 10 (20 %), about 8.0 s left · 3.0 s so far"
        );
        t.update(&progress("searching", 10, 10, 71000.0));
        assert_eq!(
            t.describe(),
            "searching: 10 of 10 (100 %) · 1 min 11 s so far"
        );
    }

    #[test]
    fn workers_at_the_same_point_share_one_line() {
        let at = |stage: &str, done, total, started, elapsed| {
            let mut t = Tracker::default();
            for (d, e) in [(0, started), (done, elapsed)] {
                t.update(&Event::Progress {
                    stage: stage.into(),
                    done: d,
                    total,
                    elapsed_ms: e,
                });
            }
            t
        };
        assert_eq!(describe_workers(&[]), "");
        let one = at("searching", 2, 10, 1000.0, 3000.0);
        assert_eq!(describe_workers(std::slice::from_ref(&one)), one.describe());
        // Two workers counting the same candidates: one line, the slower worker's time left
        // (8 s against 6 s) and the longer time so far.
        let other = at("searching", 2, 10, 2000.0, 3500.0);
        assert_eq!(
            describe_workers(&[one.clone(), other.clone()]),
            "searching in 2 workers: 2 of 10 (20 %), about 8.0 s left · 3.5 s so far"
        );
        // At different points: each worker's line.
        let apart = at("reading the files", 1, 3, 0.0, 500.0);
        assert_eq!(
            describe_workers(&[one.clone(), apart.clone()]),
            format!("2 workers: {} | {}", one.describe(), apart.describe())
        );
        assert!(
            describe_workers(&[Tracker::default(), Tracker::default()])
                .starts_with("2 workers: starting…")
        );
    }

    #[test]
    fn time_left_is_linear_in_the_steps_done() {
        assert_eq!(time_left_ms(0, 10, 100.0), None);
        assert_eq!(time_left_ms(2, 10, 100.0), Some(400.0));
        assert_eq!(time_left_ms(10, 10, 100.0), Some(0.0));
        assert_eq!(time_left_ms(11, 10, 100.0), None);
    }
}
