//! The browser's storage of the user's models: one IndexedDB database (`sepsis-risk`), one
//! object store (`models`), one record per model: the JSON text of a
//! [`crate::app::library::StoredModel`] under its key. Nothing here leaves the browser; the
//! user removes a model in the page (or clears the site's data in the browser).
//!
//! Every call opens the database, does one transaction and waits until it has completed (so a
//! model saved before a reload is there after it).

use js_sys::{Array, Function, Promise};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbRequest, IdbTransaction, IdbTransactionMode};

const DB_NAME: &str = "sepsis-risk";
const DB_VERSION: u32 = 1;
const STORE: &str = "models";

/// Why the storage failed, as a sentence for the page.
fn failure(what: &str, e: &JsValue) -> String {
    let detail = e
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "unknown error".into());
    format!("The browser's storage could not {what} ({detail}).")
}

/// Waits for a request's `success` (its result) or `error`.
async fn request(req: &IdbRequest, what: &str) -> Result<JsValue, String> {
    let promise = Promise::new(&mut |resolve: Function, reject: Function| {
        let r = req.clone();
        let ok = Closure::once_into_js(move || {
            let _ = resolve.call1(&JsValue::NULL, &r.result().unwrap_or(JsValue::UNDEFINED));
        });
        let r = req.clone();
        let err = Closure::once_into_js(move || {
            let e = r
                .error()
                .ok()
                .flatten()
                .map(|e| JsValue::from_str(&e.message()))
                .unwrap_or(JsValue::UNDEFINED);
            let _ = reject.call1(&JsValue::NULL, &e);
        });
        req.set_onsuccess(Some(ok.unchecked_ref()));
        req.set_onerror(Some(err.unchecked_ref()));
    });
    JsFuture::from(promise).await.map_err(|e| failure(what, &e))
}

/// Waits until a transaction has completed (or failed, or was aborted).
async fn completed(tx: &IdbTransaction, what: &str) -> Result<(), String> {
    let promise = Promise::new(&mut |resolve: Function, reject: Function| {
        let ok = Closure::once_into_js(move || {
            let _ = resolve.call0(&JsValue::NULL);
        });
        let t = tx.clone();
        let reject2 = reject.clone();
        let err = Closure::once_into_js(move || {
            let e = t
                .error()
                .map(|e| JsValue::from_str(&e.message()))
                .unwrap_or(JsValue::UNDEFINED);
            let _ = reject.call1(&JsValue::NULL, &e);
        });
        let abort = Closure::once_into_js(move || {
            let _ = reject2.call1(&JsValue::NULL, &JsValue::from_str("aborted"));
        });
        tx.set_oncomplete(Some(ok.unchecked_ref()));
        tx.set_onerror(Some(err.unchecked_ref()));
        tx.set_onabort(Some(abort.unchecked_ref()));
    });
    JsFuture::from(promise)
        .await
        .map(|_| ())
        .map_err(|e| failure(what, &e))
}

/// Opens the database, creating the store on first use.
async fn open() -> Result<IdbDatabase, String> {
    let what = "be opened";
    let factory = web_sys::window()
        .ok_or_else(|| failure(what, &JsValue::from_str("no window")))?
        .indexed_db()
        .map_err(|e| failure(what, &e))?
        .ok_or_else(|| failure(what, &JsValue::from_str("IndexedDB is not available")))?;
    let req = factory
        .open_with_u32(DB_NAME, DB_VERSION)
        .map_err(|e| failure(what, &e))?;
    let r = req.clone();
    let upgrade = Closure::once_into_js(move || {
        if let Ok(db) = r.result().and_then(|d| d.dyn_into::<IdbDatabase>()) {
            if !db.object_store_names().contains(STORE) {
                let _ = db.create_object_store(STORE);
            }
        }
    });
    req.set_onupgradeneeded(Some(upgrade.unchecked_ref()));
    let db = request(&req, what).await?;
    db.dyn_into::<IdbDatabase>().map_err(|e| failure(what, &e))
}

/// Every kept record's JSON text.
pub async fn load_all() -> Result<Vec<String>, String> {
    let what = "read the saved models";
    let db = open().await?;
    let tx = db
        .transaction_with_str(STORE)
        .map_err(|e| failure(what, &e))?;
    let store = tx.object_store(STORE).map_err(|e| failure(what, &e))?;
    let req = store.get_all().map_err(|e| failure(what, &e))?;
    let all = request(&req, what).await?;
    db.close();
    Ok(Array::from(&all)
        .iter()
        .filter_map(|v| v.as_string())
        .collect())
}

/// One read-write transaction on the store, `op` issuing its request, awaited to completion.
async fn write(
    what: &str,
    op: impl FnOnce(&web_sys::IdbObjectStore) -> Result<IdbRequest, JsValue>,
) -> Result<(), String> {
    let db = open().await?;
    let tx = db
        .transaction_with_str_and_mode(STORE, IdbTransactionMode::Readwrite)
        .map_err(|e| failure(what, &e))?;
    let store = tx.object_store(STORE).map_err(|e| failure(what, &e))?;
    op(&store).map_err(|e| failure(what, &e))?;
    let r = completed(&tx, what).await;
    db.close();
    r
}

/// Keeps `record` (JSON text) under `key`, replacing any record with that key.
pub async fn put(key: &str, record: &str) -> Result<(), String> {
    write("save the model", |s| {
        s.put_with_key(&JsValue::from_str(record), &JsValue::from_str(key))
    })
    .await
}

/// Removes the record under `key` (nothing happens if there is none).
pub async fn delete(key: &str) -> Result<(), String> {
    write("remove the model", |s| s.delete(&JsValue::from_str(key))).await
}
