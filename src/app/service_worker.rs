//! Offline use: registers the service worker (`/sw.js`, written by
//! `scripts/service-worker.sh` from `assets/sw.js`), says when this version is saved for
//! offline use, and when a new deployment's version is waiting, offers to reload into it.
//!
//! The flow: the first visit installs the worker, which caches every file of the build; later
//! loads are served from that cache, network or not. On each load the browser checks
//! `/sw.js`; a new deployment has a new one, which installs next to the running version and
//! waits. [`update_ready`] then turns true and the page shows a notice; its Reload button
//! ([`reload_into_update`]) tells the waiting worker to take over and reloads when it has.

use std::cell::Cell;

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    ServiceWorker, ServiceWorkerContainer, ServiceWorkerRegistration, ServiceWorkerState,
};

thread_local! {
    static UPDATE_READY: RwSignal<bool> = RwSignal::new(false);
    static OFFLINE_READY: RwSignal<bool> = RwSignal::new(false);
    static RELOAD_REQUESTED: Cell<bool> = const { Cell::new(false) };
}

/// True when a new version of the app is installed and waiting for a reload.
pub fn update_ready() -> RwSignal<bool> {
    UPDATE_READY.with(|s| *s)
}

/// True when this version is in the browser's cache and works without network.
pub fn offline_ready() -> RwSignal<bool> {
    OFFLINE_READY.with(|s| *s)
}

fn container() -> Option<ServiceWorkerContainer> {
    let window = web_sys::window()?;
    // Service workers need a secure context (https, or http on localhost); elsewhere the app
    // works as before, online only.
    if !window.is_secure_context() {
        return None;
    }
    let navigator = window.navigator();
    // Browsers without service workers (or with them disabled) have no `serviceWorker`.
    if !js_sys::Reflect::has(&navigator, &JsValue::from_str("serviceWorker")).unwrap_or(false) {
        return None;
    }
    Some(navigator.service_worker())
}

/// Registers `/sw.js` and watches for updates. Failures (no support, a server without
/// `sw.js`) leave the app as it is: online only, which it says nowhere else.
pub fn register() {
    let Some(sw) = container() else {
        return;
    };
    // Reload once the waiting version has taken over, if the user asked for it (the first
    // install also takes control, without a reload).
    let on_change = Closure::<dyn FnMut()>::new(|| {
        if RELOAD_REQUESTED.with(Cell::get) {
            reload();
        }
    });
    sw.set_oncontrollerchange(Some(on_change.as_ref().unchecked_ref()));
    on_change.forget();
    let promise = sw.register("/sw.js");
    wasm_bindgen_futures::spawn_local(async move {
        let Ok(reg) = JsFuture::from(promise).await else {
            return;
        };
        let Ok(reg) = reg.dyn_into::<ServiceWorkerRegistration>() else {
            return;
        };
        watch(&sw, &reg);
        if let Ok(ready) = sw.ready()
            && JsFuture::from(ready).await.is_ok()
        {
            offline_ready().set(true);
        }
    });
}

/// Marks an update as ready when a worker is waiting while another controls the page (a
/// worker installed on an earlier visit), or when one finishes installing now.
fn watch(sw: &ServiceWorkerContainer, reg: &ServiceWorkerRegistration) {
    if reg.waiting().is_some() && sw.controller().is_some() {
        update_ready().set(true);
    }
    let reg_in = reg.clone();
    let sw_in = sw.clone();
    let on_found = Closure::<dyn FnMut()>::new(move || {
        let Some(installing) = reg_in.installing() else {
            return;
        };
        let sw = sw_in.clone();
        let worker = installing.clone();
        let on_state = Closure::<dyn FnMut()>::new(move || {
            if worker.state() == ServiceWorkerState::Installed && sw.controller().is_some() {
                update_ready().set(true);
            }
        });
        installing.set_onstatechange(Some(on_state.as_ref().unchecked_ref()));
        on_state.forget();
    });
    reg.set_onupdatefound(Some(on_found.as_ref().unchecked_ref()));
    on_found.forget();
}

/// Activates the waiting version and reloads the page into it.
pub fn reload_into_update() {
    let Some(sw) = container() else {
        return;
    };
    RELOAD_REQUESTED.with(|r| r.set(true));
    wasm_bindgen_futures::spawn_local(async move {
        let waiting: Option<ServiceWorker> = match JsFuture::from(sw.get_registration()).await {
            Ok(reg) => reg
                .dyn_into::<ServiceWorkerRegistration>()
                .ok()
                .and_then(|r| r.waiting()),
            Err(_) => None,
        };
        match waiting {
            Some(w) => {
                if w.post_message(&JsValue::from_str("skip-waiting")).is_err() {
                    reload();
                }
            }
            // Already activated (another tab took it): the page only needs a reload.
            None => reload(),
        }
    });
}

fn reload() {
    if let Some(w) = web_sys::window() {
        let _ = w.location().reload();
    }
}
