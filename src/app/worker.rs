//! The page's side of the Web Worker (`src/worker.rs`): [`start`] one job on the upload's
//! files in a fresh worker, hear its [`Event`]s, and end it with [`Running::cancel`] (or by
//! dropping the handle). A worker runs one job only: a failed, finished or cancelled job takes
//! its worker (and all the memory it used) with it, so the next job always starts clean.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{ErrorEvent, MessageEvent, Worker};

use crate::app::jobs::{Event, Job};

/// Where Trunk puts the worker's loader (index.html's `data-type="worker"` link with
/// `data-loader-shim`; worker files are not hashed).
pub const WORKER_URL: &str = "/sepsis-risk-worker_loader.js";

type Handlers = (Closure<dyn Fn(MessageEvent)>, Closure<dyn Fn(ErrorEvent)>);

/// A job running in its worker. Dropping it ends the worker.
pub struct Running {
    worker: Worker,
    handlers: Rc<RefCell<Option<Handlers>>>,
}

impl Running {
    /// Ends the worker at once (the browser stops its thread; nothing it would still have
    /// posted arrives).
    pub fn cancel(&self) {
        self.worker.terminate();
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        // The handlers may be the ones running now (cancel from inside an event): free them
        // after this task.
        let handlers = self.handlers.borrow_mut().take();
        wasm_bindgen_futures::spawn_local(async move { drop(handlers) });
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.cancel();
    }
}

/// Starts `job` on `files` (`(name, file)` in reading order, named as the page read them) in
/// a new worker; `on_event` hears every event, the last one [`Event::Finished`] or
/// [`Event::Failed`] (also when the worker cannot start or crashes).
pub fn start(
    job: &Job,
    files: &[(String, web_sys::Blob)],
    on_event: impl Fn(Event) + 'static,
) -> Result<Running, String> {
    let message = job_message(job, files)?;
    let worker = Worker::new(WORKER_URL)
        .map_err(|e| format!("the background worker cannot start ({})", describe(&e)))?;
    let on_event = Rc::new(on_event);
    let on_message = {
        let on_event = on_event.clone();
        let worker = worker.clone();
        Closure::<dyn Fn(MessageEvent)>::new(move |m: MessageEvent| {
            let event = read_event(&m.data()).unwrap_or_else(|message| Event::Failed { message });
            // The worker is running: send it the job.
            if event == Event::Ready
                && let Err(e) = {
                    crate::app::web::mark("sepsis-risk:job-posting");
                    let posted = worker.post_message(&message);
                    crate::app::web::mark("sepsis-risk:job-posted");
                    posted
                }
            {
                on_event(Event::Failed {
                    message: format!("the job cannot be sent ({})", describe(&e)),
                });
                return;
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
    })
}

/// An event from the worker's message `{event, texts}` ([`Event::take_texts`]).
fn read_event(data: &JsValue) -> Result<Event, String> {
    let get = |key: &str| js_sys::Reflect::get(data, &JsValue::from_str(key)).ok();
    let text = get("event")
        .and_then(|v| v.as_string())
        .ok_or("the background worker sent a message without an event")?;
    let mut event = Event::from_json(&text)?;
    let texts: Vec<String> = get("texts")
        .and_then(|v| v.dyn_into::<js_sys::Array>().ok())
        .map(|a| {
            a.iter()
                .map(|t| t.as_string().unwrap_or_default())
                .collect()
        })
        .unwrap_or_default();
    event.put_texts(texts)?;
    Ok(event)
}

/// The message `{job, texts, names, files}` the worker reads: the job's JSON without its
/// large texts, which travel as strings of their own ([`Job::take_texts`]).
fn job_message(job: &Job, files: &[(String, web_sys::Blob)]) -> Result<JsValue, String> {
    let mut job = job.clone();
    let texts = js_sys::Array::new();
    for t in job.take_texts() {
        texts.push(&JsValue::from_str(&t));
    }
    let job = serde_json::to_string(&job).map_err(|e| format!("the job cannot be sent: {e}"))?;
    let names = js_sys::Array::new();
    let blobs = js_sys::Array::new();
    for (name, blob) in files {
        names.push(&JsValue::from_str(name));
        blobs.push(blob);
    }
    let message = js_sys::Object::new();
    for (key, value) in [
        ("job", JsValue::from_str(&job)),
        ("texts", texts.into()),
        ("names", names.into()),
        ("files", blobs.into()),
    ] {
        js_sys::Reflect::set(&message, &JsValue::from_str(key), &value)
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
