//! A training's searches shared by parallel Web Workers, as plain data and logic (natively
//! tested; `src/worker.rs` and `components/job_progress.rs` only move the messages):
//!
//! 1. every search worker reads the upload, computes the features and folds, and posts
//!    [`Event::Candidates`] (how many candidates each family has);
//! 2. the page's [`Dealer`] hands each free worker the next candidate ([`Command::Candidate`],
//!    family by family, in order); the worker cross-validates it, posts [`Event::Candidate`]
//!    and is handed the next, so a worker given cheap candidates simply gets more of them and
//!    the workers finish together (dealing them out in turn beforehand left one worker
//!    idle for a third of an ICU training);
//! 3. when every candidate is dealt, a free worker gets [`Command::Finish`] (with a channel
//!    to the final worker, `app::worker`), sends its parts of the searches into it and posts
//!    [`Event::Searched`] to the page without them; the final worker merges the parts.
//!
//! A candidate's result depends only on the data, the seed, the family and the candidate, so
//! the bundle is the same whichever worker ran which ([`crate::core::train::SearchData`]).

use std::cell::RefCell;
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use serde::{Deserialize, Serialize};

use crate::app::jobs::{self, Event, Job, Output};
use crate::core::train::{self, Progress};

/// What the page tells a search worker after its [`Event::Candidates`] and after each
/// [`Event::Candidate`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Command {
    /// Cross-validate candidate `index` of family `family` (its position in the training's
    /// families); `done` of `total` candidates of the training are finished so far (for the
    /// progress bar).
    Candidate {
        /// The family's position.
        family: usize,
        /// The candidate's index in the family's search.
        index: usize,
        /// Candidates finished so far, by every worker.
        done: usize,
        /// Candidates in the training.
        total: usize,
    },
    /// No candidates are left: post the searches.
    Finish,
}

impl Command {
    /// The command as the JSON text the page posts.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{\"kind\":\"finish\"}".into())
    }

    /// A command from the page's text, or why it cannot be read.
    pub fn from_json(text: &str) -> Result<Command, String> {
        serde_json::from_str(text).map_err(|e| format!("unreadable message from the page: {e}"))
    }
}

/// What the progress bar calls the search stage of a shared training.
pub const SEARCH_STAGE: &str = "searching the candidates";

/// The page's queue of a shared training's candidates: every family's candidates in order,
/// dealt one at a time to whichever worker is free.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Dealer {
    totals: Option<Vec<usize>>,
    /// The next candidate to deal: family, index.
    next: (usize, usize),
    done: usize,
}

impl Dealer {
    /// Takes a worker's [`Event::Candidates`]: the first one sets the searches; every other
    /// worker must have found the same (it read the same files with the same options).
    pub fn agree(&mut self, totals: &[usize]) -> Result<(), String> {
        match &self.totals {
            None => {
                self.totals = Some(totals.to_vec());
                Ok(())
            }
            Some(t) if t.as_slice() == totals => Ok(()),
            Some(t) => Err(format!(
                "the background workers disagree about the searches ({t:?} and {totals:?} candidates)"
            )),
        }
    }

    /// Candidates in the training (0 before [`Dealer::agree`]).
    pub fn total(&self) -> usize {
        self.totals.iter().flatten().sum()
    }

    /// Candidates finished so far.
    pub fn done(&self) -> usize {
        self.done
    }

    /// A worker finished the candidate it was dealt.
    pub fn finished(&mut self) {
        self.done += 1;
    }

    /// The command for a free worker: the next candidate, or [`Command::Finish`] once every
    /// candidate has been dealt.
    pub fn deal(&mut self) -> Command {
        let totals = self.totals.as_deref().unwrap_or_default();
        let (mut family, mut index) = self.next;
        while family < totals.len() && index >= totals[family] {
            family += 1;
            index = 0;
        }
        if family >= totals.len() {
            self.next = (family, 0);
            return Command::Finish;
        }
        self.next = (family, index + 1);
        Command::Candidate {
            family,
            index,
            done: self.done,
            total: self.total(),
        }
    }
}

/// Runs a [`Job::Search`] on `files` (`(name, bytes)`, dropped once read): reads them,
/// computes the features and folds, `tell`s [`Event::Candidates`], then cross-validates each
/// candidate `next` yields (telling [`Event::Candidate`] after each) until
/// [`Command::Finish`]: the parts of the searches it ran. `progress` hears each stage.
pub async fn search<F, Fut>(
    job: &Job,
    files: Vec<(String, Vec<u8>)>,
    mut next: F,
    tell: &mut dyn FnMut(Event),
    progress: &mut dyn FnMut(&Progress),
) -> Result<Output, String>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Command, String>>,
{
    let Job::Search { schema, form } = job else {
        return Err("this worker searches; it was sent another job".into());
    };
    let (ds, _, config, _) = jobs::training_input(schema, form, &files, progress)?;
    drop(files);
    let label = ds.source.clone();
    let at = |e: crate::core::Error| format!("{label}: {e}");
    let data = train::SearchData::new(&ds, &config, progress).map_err(at)?;
    // The features hold what the searches read: the dataset's own copy can go.
    drop(ds);
    let mut searches = data.searches(&config).map_err(at)?;
    tell(Event::Candidates {
        totals: searches.totals(),
    });
    loop {
        match next().await? {
            Command::Candidate {
                family,
                index,
                done,
                total,
            } => {
                progress(&Progress::new(SEARCH_STAGE, done, total));
                searches.run(family, index, progress).map_err(at)?;
                tell(Event::Candidate { family, index });
            }
            Command::Finish => return Ok(Output::Searches(searches.into_parts())),
        }
    }
}

/// Messages for a task that awaits them ([`Mailbox::recv`]) from the handler that receives
/// them ([`Mailbox::push`]), on one thread.
#[derive(Debug)]
pub struct Mailbox<T> {
    inner: Rc<RefCell<(VecDeque<T>, Option<Waker>)>>,
}

impl<T> Clone for Mailbox<T> {
    fn clone(&self) -> Self {
        Mailbox {
            inner: self.inner.clone(),
        }
    }
}

impl<T> Default for Mailbox<T> {
    fn default() -> Self {
        Mailbox {
            inner: Rc::new(RefCell::new((VecDeque::new(), None))),
        }
    }
}

impl<T> Mailbox<T> {
    /// Leaves `message` for the task, waking it if it waits.
    pub fn push(&self, message: T) {
        let waker = {
            let mut inner = self.inner.borrow_mut();
            inner.0.push_back(message);
            inner.1.take()
        };
        if let Some(w) = waker {
            w.wake();
        }
    }

    /// The next message, in arrival order, once there is one.
    pub fn recv(&self) -> Recv<T> {
        Recv {
            mailbox: self.clone(),
        }
    }
}

/// [`Mailbox::recv`]'s future.
#[derive(Debug)]
pub struct Recv<T> {
    mailbox: Mailbox<T>,
}

impl<T> Future for Recv<T> {
    type Output = T;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        let mut inner = self.mailbox.inner.borrow_mut();
        match inner.0.pop_front() {
            Some(m) => Poll::Ready(m),
            None => {
                inner.1 = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::training::{TrainForm, TrainSchema};
    use crate::core::{demo, schema};

    /// Polls `f` until it is ready (`step` runs between polls, to feed it).
    fn drive<T>(f: impl Future<Output = T>, mut step: impl FnMut()) -> T {
        let mut f = std::pin::pin!(f);
        let mut cx = Context::from_waker(Waker::noop());
        loop {
            if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
                return v;
            }
            step();
        }
    }

    #[test]
    fn the_dealer_hands_out_every_candidate_once_in_order_then_finish() {
        let mut d = Dealer::default();
        assert_eq!(
            d.deal(),
            Command::Finish,
            "nothing to deal before the totals"
        );
        d.agree(&[2, 0, 1]).unwrap();
        d.agree(&[2, 0, 1]).unwrap();
        assert!(d.agree(&[2, 1, 1]).unwrap_err().contains("disagree"));
        assert_eq!(d.total(), 3);
        let mut dealt = Vec::new();
        while let Command::Candidate {
            family,
            index,
            done,
            total,
        } = d.deal()
        {
            assert_eq!((done, total), (dealt.len(), 3));
            dealt.push((family, index));
            d.finished();
        }
        assert_eq!(dealt, [(0, 0), (0, 1), (2, 0)]);
        assert_eq!((d.deal(), d.done()), (Command::Finish, 3));
        let c = Command::Candidate {
            family: 1,
            index: 4,
            done: 2,
            total: 9,
        };
        assert_eq!(Command::from_json(&c.to_json()).unwrap(), c);
        assert!(Command::from_json("{}").is_err());
    }

    #[test]
    fn a_mailbox_delivers_in_order_and_wakes_its_task() {
        let m = Mailbox::default();
        m.push(1);
        let (pusher, mut sent) = (m.clone(), 2);
        let got = drive(
            async {
                let mut got = Vec::new();
                for _ in 0..3 {
                    got.push(m.recv().await);
                }
                got
            },
            || {
                pusher.push(sent);
                sent += 1;
            },
        );
        assert_eq!(got, [1, 2, 3]);
    }

    #[test]
    fn workers_fed_by_the_dealer_give_the_bundle_of_one_worker() {
        let seed = schema::builtin("seed").unwrap();
        let text = demo::demo_csv(&seed, 240, 3).unwrap();
        let files = vec![("local.csv".to_string(), text.into_bytes())];
        let schema = TrainSchema::Builtin {
            name: "seed".into(),
        };
        let form = TrainForm {
            families: vec!["logistic".into(), "forest".into(), "boosting".into()],
            search: "random".into(),
            draws: "2".into(),
            folds: "3".into(),
            ..TrainForm::default()
        };
        let train = |searches| Job::Train {
            schema: schema.clone(),
            form: form.clone(),
            compare_with: None,
            searches,
        };
        let one = jobs::run(&train(None), &files, &mut |_| {}).unwrap();
        let job = Job::Search {
            schema: schema.clone(),
            form: form.clone(),
        };
        // Three workers, one after another here: the first stops after two candidates, the
        // second takes the rest, the third is left none.
        let mut dealer = Dealer::default();
        let mut parts = Vec::new();
        for most in [Some(2), None, None] {
            let events = RefCell::new(Vec::new());
            let (inbox, mut taken) = (Mailbox::default(), 0);
            let out = drive(
                search(
                    &job,
                    files.clone(),
                    || inbox.recv(),
                    &mut |e| events.borrow_mut().push(e),
                    &mut |_| {},
                ),
                // The worker waits: it is ready, or it finished a candidate.
                || {
                    match events.borrow().last() {
                        Some(Event::Candidates { totals }) => dealer.agree(totals).unwrap(),
                        Some(Event::Candidate { .. }) => dealer.finished(),
                        other => panic!("the worker waits after {other:?}"),
                    }
                    let command = if most.is_some_and(|n| taken >= n) {
                        Command::Finish
                    } else {
                        dealer.deal()
                    };
                    taken += usize::from(command != Command::Finish);
                    inbox.push(Ok(command));
                },
            );
            let event = jobs::finished(out.unwrap(), 1.0, 2.0).unwrap();
            let Event::Searched { searches, .. } = Event::from_json(&event.to_json()).unwrap()
            else {
                panic!("not searches")
            };
            assert_eq!(searches.len(), 3, "one part per family");
            parts.push(searches);
        }
        assert_eq!(dealer.done(), dealer.total());
        // A worker's parts missing: an error, not another model.
        let short: Vec<String> = parts[1..].iter().flatten().cloned().collect();
        assert!(jobs::run(&train(Some(short)), &files, &mut |_| {}).is_err());
        let merged: Vec<String> = parts.into_iter().flatten().collect();
        let apart = jobs::run(&train(Some(merged)), &files, &mut |_| {}).unwrap();
        let (Output::Model { bundle: a, .. }, Output::Model { bundle: b, .. }) = (apart, one)
        else {
            panic!("not models")
        };
        assert_eq!(a.to_json().unwrap(), b.to_json().unwrap());
        // A command that fails to arrive ends the search with its message.
        let failed = drive(
            search(
                &job,
                files.clone(),
                || async { Err("the page went away".to_string()) },
                &mut |_| {},
                &mut |_| {},
            ),
            || {},
        );
        assert_eq!(failed.unwrap_err(), "the page went away");
    }
}
