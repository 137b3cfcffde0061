//! The page's Web Worker (built for wasm32 by Trunk as a second binary, index.html's
//! `data-type="worker"` link; started by `app::worker` for each job): receives the message
//! `{job, texts, count, ports}` (the [`Job`] as JSON, its large texts, how many files follow,
//! and for a training searched in parallel one `MessagePort` per search worker; the page sends
//! it when the worker posts [`Event::Ready`]), then the upload's `File` objects in batches
//! `{names, files}` (with the names the page read them under), reads each batch as it comes,
//! and once all `count` files (and every port's `{texts}`) are in runs [`jobs::run`] and posts
//! [`Event`]s back as JSON text. A search job ([`Job::Search`]) instead runs
//! [`searching::search`], which then waits for the page's commands `{command}` (the next
//! candidate, or finish) between candidates; the finish command carries a `port`, over which
//! the worker sends its parts `{texts}` straight to the final worker (the page sees only the
//! [`Event::Searched`] without them). After its last event the worker closes itself (its
//! memory is freed on its own thread); the page ends it at a Cancel.

#[cfg(target_arch = "wasm32")]
mod browser {
    use std::cell::RefCell;

    use sepsis_risk::app::jobs::{self, Event, Inbox, Job};
    use sepsis_risk::app::searching::{self, Command, Mailbox};
    use sepsis_risk::core::train::Progress;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::*;
    use web_sys::{DedicatedWorkerGlobalScope, MessageEvent, MessagePort};

    /// Milliseconds since the worker started.
    fn now_ms(scope: &DedicatedWorkerGlobalScope) -> f64 {
        scope.performance().map_or(0.0, |p| p.now())
    }

    /// Posts `{event, texts}`: the event's JSON, and its large texts (the bundle, the
    /// searches) as strings of their own ([`Event::take_texts`]).
    fn post(scope: &DedicatedWorkerGlobalScope, event: &Event) {
        let mut event = event.clone();
        let texts = js_sys::Array::new();
        for t in event.take_texts() {
            texts.push(&JsValue::from_str(&t));
        }
        let message = js_sys::Object::new();
        let _ = js_sys::Reflect::set(
            &message,
            &"event".into(),
            &JsValue::from_str(&event.to_json()),
        );
        let _ = js_sys::Reflect::set(&message, &"texts".into(), &texts);
        let _ = scope.post_message(&message);
    }

    /// Posts the job's last event and closes the worker: it frees its memory (gigabytes on
    /// all of set A) on its own thread, and the page's later `terminate` has nothing left to
    /// do (ending a worker that still held 2 GB cost the page's thread about 100 ms).
    fn post_last(scope: &DedicatedWorkerGlobalScope, event: &Event) {
        post(scope, event);
        scope.close();
    }

    /// The strings of the message's `texts`.
    fn texts(data: &JsValue) -> Result<Vec<String>, String> {
        let list: js_sys::Array = field(data, "texts")?
            .dyn_into()
            .map_err(|_| "the job's texts are not a list".to_string())?;
        Ok(list
            .iter()
            .map(|t| t.as_string().unwrap_or_default())
            .collect())
    }

    fn field(data: &JsValue, name: &str) -> Result<JsValue, String> {
        js_sys::Reflect::get(data, &JsValue::from_str(name))
            .map_err(|_| format!("the job has no {name}"))
    }

    /// Where the worker's one job stands between messages.
    enum State {
        /// No job yet.
        Waiting,
        /// The job, its files arriving.
        Collecting(Box<Inbox>),
        /// A search, waiting for or running the page's commands.
        Searching(Mailbox<Result<Command, String>>),
        /// The job has run or failed: later messages are ignored.
        Over,
    }

    thread_local! {
        static STATE: RefCell<State> = const { RefCell::new(State::Waiting) };
        /// A search's channel to the final worker, from the page's finish command.
        static FINISH_PORT: RefCell<Option<MessagePort>> = const { RefCell::new(None) };
    }

    /// Reads a batch's files with the synchronous reader workers have; an error names the
    /// file.
    fn read_files(data: &JsValue) -> Result<Vec<(String, Vec<u8>)>, String> {
        let names: js_sys::Array = field(data, "names")?
            .dyn_into()
            .map_err(|_| "the job's names are not a list".to_string())?;
        let blobs: js_sys::Array = field(data, "files")?
            .dyn_into()
            .map_err(|_| "the job's files are not a list".to_string())?;
        let reader = web_sys::FileReaderSync::new()
            .map_err(|_| "this browser's workers cannot read files".to_string())?;
        if names.length() != blobs.length() {
            return Err("the job's files and their names do not match".into());
        }
        let mut files = Vec::with_capacity(blobs.length() as usize);
        for (name, blob) in names.iter().zip(blobs.iter()) {
            let name = name.as_string().unwrap_or_default();
            let blob: web_sys::Blob = blob.dyn_into().map_err(|_| format!("{name}: not a file"))?;
            let buffer = reader
                .read_as_array_buffer(&blob)
                .map_err(|_| format!("{name}: cannot read the file"))?;
            files.push((name, js_sys::Uint8Array::new(&buffer).to_vec()));
        }
        Ok(files)
    }

    /// Takes one message: the job, a batch of its files, or a search's command. Returns the
    /// job's last event once it has run (or failed), `None` while it goes on.
    fn handle(scope: &DedicatedWorkerGlobalScope, data: &JsValue) -> Option<Event> {
        let state = STATE.with(|s| std::mem::replace(&mut *s.borrow_mut(), State::Over));
        let inbox = match state {
            State::Over => return None,
            State::Searching(mailbox) => {
                if let Ok(port) = field(data, "port").and_then(|p| {
                    p.dyn_into::<MessagePort>()
                        .map_err(|_| "not a port".to_string())
                }) {
                    FINISH_PORT.with(|p| *p.borrow_mut() = Some(port));
                }
                mailbox.push(command(data));
                STATE.with(|s| *s.borrow_mut() = State::Searching(mailbox));
                return None;
            }
            State::Waiting => receive_job(scope, data),
            State::Collecting(mut inbox) => read_files(data)
                .and_then(|batch| inbox.push(batch))
                .map(|()| *inbox),
        };
        advance(scope, inbox)
    }

    /// Takes the search worker `slot`'s parts `{texts}` from its port.
    fn on_part(scope: &DedicatedWorkerGlobalScope, slot: usize, data: &JsValue) -> Option<Event> {
        let state = STATE.with(|s| std::mem::replace(&mut *s.borrow_mut(), State::Over));
        let inbox = match state {
            State::Collecting(mut inbox) => texts(data)
                .and_then(|t| inbox.push_part(slot, t))
                .map(|()| *inbox),
            other => {
                STATE.with(|s| *s.borrow_mut() = other);
                return None;
            }
        };
        advance(scope, inbox)
    }

    /// After a message to the job's inbox: runs the job once everything is in.
    fn advance(scope: &DedicatedWorkerGlobalScope, inbox: Result<Inbox, String>) -> Option<Event> {
        let event = match inbox {
            Ok(inbox) if inbox.is_complete() && matches!(inbox.job(), Job::Search { .. }) => {
                let mailbox = Mailbox::default();
                STATE.with(|s| *s.borrow_mut() = State::Searching(mailbox.clone()));
                wasm_bindgen_futures::spawn_local(search(inbox, mailbox));
                return None;
            }
            Ok(inbox) if inbox.is_complete() => run(scope, &inbox),
            Ok(inbox) => {
                STATE.with(|s| *s.borrow_mut() = State::Collecting(Box::new(inbox)));
                return None;
            }
            Err(e) => Err(e),
        };
        Some(event.unwrap_or_else(|message| Event::Failed { message }))
    }

    /// A search's command `{command}` (its JSON).
    fn command(data: &JsValue) -> Result<Command, String> {
        Command::from_json(
            &field(data, "command")?
                .as_string()
                .ok_or_else(|| "the page's command is not text".to_string())?,
        )
    }

    /// Runs a search job, taking the page's commands from `mailbox`; posts its last event.
    async fn search(inbox: Inbox, mailbox: Mailbox<Result<Command, String>>) {
        let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
        let (job, start, files) = inbox.into_parts();
        let out = searching::search(
            &job,
            files,
            || mailbox.recv(),
            &mut |event| post(&scope, &event),
            &mut |p| post(&scope, &progress(&scope, p, start)),
        )
        .await;
        STATE.with(|s| *s.borrow_mut() = State::Over);
        let event = out
            .and_then(|out| jobs::finished(out, now_ms(&scope) - start, memory_bytes()))
            .and_then(send_parts);
        post_last(
            &scope,
            &event.unwrap_or_else(|message| Event::Failed { message }),
        );
    }

    /// Sends a search's parts `{texts}` over the finish command's port, straight to the final
    /// worker; the page hears the event without them.
    fn send_parts(mut event: Event) -> Result<Event, String> {
        if matches!(event, Event::Searched { .. }) {
            let port = FINISH_PORT
                .with(|p| p.borrow_mut().take())
                .ok_or("the page sent no channel for the searches")?;
            let texts = js_sys::Array::new();
            for t in event.take_texts() {
                texts.push(&JsValue::from_str(&t));
            }
            let message = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&message, &"texts".into(), &texts);
            port.post_message(&message)
                .map_err(|_| "the searches cannot be sent to the final worker".to_string())?;
        }
        Ok(event)
    }

    /// A stage's progress event, timed from `start`.
    fn progress(scope: &DedicatedWorkerGlobalScope, p: &Progress, start: f64) -> Event {
        Event::Progress {
            stage: p.stage.clone(),
            done: p.done,
            total: p.total,
            elapsed_ms: now_ms(scope) - start,
        }
    }

    /// The worker's WebAssembly memory now: its peak, since wasm memory only grows.
    fn memory_bytes() -> f64 {
        wasm_bindgen::memory()
            .unchecked_into::<js_sys::WebAssembly::Memory>()
            .buffer()
            .unchecked_into::<js_sys::ArrayBuffer>()
            .byte_length() as f64
    }

    /// The job message `{job, texts, count, ports}`: the job, waiting for its files and for a
    /// part from each port (which it listens to from now on).
    fn receive_job(scope: &DedicatedWorkerGlobalScope, data: &JsValue) -> Result<Inbox, String> {
        let start = now_ms(scope);
        let mut job: Job = serde_json::from_str(
            &field(data, "job")?
                .as_string()
                .ok_or_else(|| "the job is not text".to_string())?,
        )
        .map_err(|e| format!("the job cannot be read: {e}"))?;
        job.put_texts(texts(data)?)?;
        let count = field(data, "count")?
            .as_f64()
            .filter(|c| c.fract() == 0.0 && *c >= 0.0)
            .ok_or_else(|| "the job's file count is not a whole number".to_string())?
            as usize;
        let ports: js_sys::Array = field(data, "ports")?.dyn_into().unwrap_or_default();
        let inbox = Inbox::new(job, start, count).expect_parts(ports.length() as usize)?;
        for (slot, port) in ports.iter().enumerate() {
            let port: MessagePort = port
                .dyn_into()
                .map_err(|_| "the job's channels are not ports".to_string())?;
            let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |m: MessageEvent| {
                let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
                if let Some(event) = on_part(&scope, slot, &m.data()) {
                    post_last(&scope, &event);
                }
            });
            port.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
            // The handler lives as long as the worker (one job).
            on_message.forget();
        }
        post(scope, &Event::Started);
        Ok(inbox)
    }

    fn run(scope: &DedicatedWorkerGlobalScope, inbox: &Inbox) -> Result<Event, String> {
        let start = inbox.start();
        let out = jobs::run(inbox.job(), inbox.files(), &mut |p| {
            post(scope, &progress(scope, p, start))
        })?;
        jobs::finished(out, now_ms(scope) - start, memory_bytes())
    }

    /// Installs the message handler.
    pub fn start() {
        console_error_panic_hook::set_once();
        let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
        let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |m: MessageEvent| {
            let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
            if let Some(event) = handle(&scope, &m.data()) {
                post_last(&scope, &event);
            }
        });
        scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        // The handler lives as long as the worker.
        on_message.forget();
        post(&scope, &Event::Ready);
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {
    browser::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    println!(
        "sepsis-risk-worker is the browser app's Web Worker: `trunk build --release` builds it with the app (output in dist/)."
    );
}
