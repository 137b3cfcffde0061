//! The page's side of the Web Worker (`src/worker.rs`): [`start`] one job on the upload's
//! files in a fresh worker, hear its [`Event`]s, and end it with [`Running::cancel`] (or by
//! dropping the handle). A worker runs one job only: a failed, finished or cancelled job takes
//! its worker (and all the memory it used) with it, so the next job always starts clean.
//!
//! The job travels as one message `{job, texts, count, ports}` and then its files in batches
//! `{names, files}`, each batch posted in a task of its own and sized by what the last one
//! cost ([`jobs::next_file_batch`]): the first structured clone of an upload's `File` objects
//! costs the page's thread 0.3 to 0.7 ms per file (1.3 s for 5,000 ICU stays in one message),
//! so one message would be one long task.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{ErrorEvent, MessageChannel, MessageEvent, MessagePort, Worker};

use crate::app::jobs::{self, Event, Job};
use crate::app::searching::Command;

/// Where Trunk puts the worker's loader (index.html's `data-type="worker"` link with
/// `data-loader-shim`; worker files are not hashed).
pub const WORKER_URL: &str = "/sepsis-risk-worker_loader.js";

type Handlers = (Closure<dyn Fn(MessageEvent)>, Closure<dyn Fn(ErrorEvent)>);

/// A job running in its worker. Dropping it ends the worker.
pub struct Running {
    worker: Worker,
    handlers: Rc<RefCell<Option<Handlers>>>,
    /// Set by [`Running::cancel`]: the batches not yet posted stay unsent.
    stopped: Rc<Cell<bool>>,
}

impl Running {
    /// Ends the worker at once (the browser stops its thread; nothing it would still have
    /// posted arrives).
    pub fn cancel(&self) {
        self.stopped.set(true);
        self.worker.terminate();
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        // The handlers may be the ones running now (cancel from inside an event): free them
        // after this task.
        let handlers = self.handlers.borrow_mut().take();
        wasm_bindgen_futures::spawn_local(async move { drop(handlers) });
    }

    /// Posts a search's command `{command}` ([`crate::app::searching`]); for
    /// [`Command::Finish`] with one end of a new channel (`{command, port}`), over which the
    /// worker sends its parts of the searches: the other end, returned, goes to the final
    /// worker ([`start`]), which the parts then reach without passing through the page.
    pub fn command(&self, command: &Command) -> Result<Option<MessagePort>, String> {
        if self.stopped.get() {
            return Ok(None);
        }
        let cannot =
            |e: JsValue| format!("the background worker cannot be told ({})", describe(&e));
        let text = ("command", JsValue::from_str(&command.to_json()));
        if *command != Command::Finish {
            return object(&[text])
                .and_then(|m| self.worker.post_message(&m).map_err(cannot))
                .map(|()| None);
        }
        let channel = MessageChannel::new().map_err(cannot)?;
        let transfer = js_sys::Array::of1(&channel.port1());
        object(&[text, ("port", channel.port1().into())])
            .and_then(|m| {
                self.worker
                    .post_message_with_transfer(&m, &transfer)
                    .map_err(cannot)
            })
            .map(|()| Some(channel.port2()))
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.cancel();
    }
}

/// Starts `job` on `files` (`(name, file)` in reading order, named as the page read them) in
/// a new worker; `on_event` hears every event, the last one [`Event::Finished`] or
/// [`Event::Failed`] (also when the worker cannot start or crashes). `ports` are the page's
/// ends of the search workers' channels ([`Running::command`]), for a [`Job::Train`] whose
/// `searches` are `Some` and empty: the search workers' parts (tens of megabytes of
/// out-of-fold scores on all of set A) go from worker to worker, never into the page's heap,
/// where copying them made tasks of 100 to 300 ms.
pub fn start(
    job: &Job,
    ports: &[MessagePort],
    files: &[(String, web_sys::Blob)],
    on_event: impl Fn(Event) + 'static,
) -> Result<Running, String> {
    let (message, transfer) = job_message(job, ports, files.len())?;
    let files: Rc<Vec<(String, web_sys::Blob)>> = Rc::new(files.to_vec());
    let worker = Worker::new(WORKER_URL)
        .map_err(|e| format!("the background worker cannot start ({})", describe(&e)))?;
    let on_event = Rc::new(on_event);
    let stopped = Rc::new(Cell::new(false));
    let on_message = {
        let on_event = on_event.clone();
        let worker = worker.clone();
        let stopped = stopped.clone();
        Closure::<dyn Fn(MessageEvent)>::new(move |m: MessageEvent| {
            let event = read_event(&m.data()).unwrap_or_else(|message| Event::Failed { message });
            // The worker is running: send it the job, then its files.
            if event == Event::Ready {
                crate::app::web::mark("sepsis-risk:job-posting");
                let posted = worker.post_message_with_transfer(&message, &transfer);
                crate::app::web::mark("sepsis-risk:job-posted");
                if let Err(e) = posted {
                    on_event(Event::Failed {
                        message: format!("the job cannot be sent ({})", describe(&e)),
                    });
                    return;
                }
                wasm_bindgen_futures::spawn_local(send_files(
                    worker.clone(),
                    files.clone(),
                    stopped.clone(),
                    on_event.clone(),
                ));
            }
            on_event(event);
        })
    };
    let on_error = Closure::<dyn Fn(ErrorEvent)>::new(move |e: ErrorEvent| {
        e.prevent_default();
        on_event(Event::Failed {
            message: format!(
                "the background worker stopped: {}",
                if e.message().is_empty() {
                    "it could not be loaded".to_string()
                } else {
                    e.message()
                }
            ),
        });
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    Ok(Running {
        worker,
        handlers: Rc::new(RefCell::new(Some((on_message, on_error)))),
        stopped,
    })
}

/// Posts the files in batches, each after a zero-delay timeout so that each clone is a task
/// of its own, until they are all sent or the job is cancelled; marks
/// `sepsis-risk:job-files-posted` after the last.
async fn send_files<F: Fn(Event) + 'static>(
    worker: Worker,
    files: Rc<Vec<(String, web_sys::Blob)>>,
    stopped: Rc<Cell<bool>>,
    on_event: Rc<F>,
) {
    let (mut at, mut size) = (0, jobs::FIRST_FILE_BATCH);
    while at < files.len() {
        crate::app::web::next_frame().await;
        if stopped.get() {
            return;
        }
        let end = (at + size).min(files.len());
        let start = crate::app::web::now_ms();
        if let Err(e) = file_batch(&files[at..end]).and_then(|batch| {
            worker
                .post_message(&batch)
                .map_err(|e| format!("the job's files cannot be sent ({})", describe(&e)))
        }) {
            on_event(Event::Failed { message: e });
            return;
        }
        size = jobs::next_file_batch(end - at, crate::app::web::now_ms() - start);
        at = end;
    }
    crate::app::web::mark("sepsis-risk:job-files-posted");
}

/// An event from the worker's message `{event, texts}` ([`Event::take_texts`]), with its
/// texts put back (a search's are empty: its parts went to the final worker).
fn read_event(data: &JsValue) -> Result<Event, String> {
    let get = |key: &str| js_sys::Reflect::get(data, &JsValue::from_str(key)).ok();
    let text = get("event")
        .and_then(|v| v.as_string())
        .ok_or("the background worker sent a message without an event")?;
    let mut event = Event::from_json(&text)?;
    let texts: js_sys::Array = get("texts")
        .and_then(|v| v.dyn_into::<js_sys::Array>().ok())
        .unwrap_or_default();
    event.put_texts(
        texts
            .iter()
            .map(|t| t.as_string().unwrap_or_default())
            .collect(),
    )?;
    Ok(event)
}

/// The message `{job, texts, count, ports}` the worker reads first, and its transfer list (the
/// ports): the job's JSON without its large texts, which travel as strings of their own
/// ([`Job::take_texts`]), how many files follow, and the channels its searches arrive on.
fn job_message(
    job: &Job,
    ports: &[MessagePort],
    count: usize,
) -> Result<(JsValue, js_sys::Array), String> {
    let mut job = job.clone();
    let texts = js_sys::Array::new();
    for t in job.take_texts() {
        texts.push(&JsValue::from_str(&t));
    }
    let transfer = js_sys::Array::new();
    for p in ports {
        transfer.push(p);
    }
    let job = serde_json::to_string(&job).map_err(|e| format!("the job cannot be sent: {e}"))?;
    let message = object(&[
        ("job", JsValue::from_str(&job)),
        ("texts", texts.into()),
        ("count", JsValue::from_f64(count as f64)),
        ("ports", transfer.clone().into()),
    ])?;
    Ok((message, transfer))
}

/// The message `{names, files}` that carries `batch`, in reading order.
fn file_batch(batch: &[(String, web_sys::Blob)]) -> Result<JsValue, String> {
    let names = js_sys::Array::new();
    let blobs = js_sys::Array::new();
    for (name, blob) in batch {
        names.push(&JsValue::from_str(name));
        blobs.push(blob);
    }
    object(&[("names", names.into()), ("files", blobs.into())])
}

fn object(fields: &[(&str, JsValue)]) -> Result<JsValue, String> {
    let message = js_sys::Object::new();
    for (key, value) in fields {
        js_sys::Reflect::set(&message, &JsValue::from_str(key), value)
            .map_err(|e| format!("the job cannot be sent ({})", describe(&e)))?;
    }
    Ok(message.into())
}

fn describe(v: &JsValue) -> String {
    v.as_string()
        .or_else(|| {
            v.dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
        })
        .unwrap_or_else(|| "unknown error".into())
}
