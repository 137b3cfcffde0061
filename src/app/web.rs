//! Browser helpers used by the components: downloads, file reading, yielding to the browser,
//! timing, printing, and the panic banner.

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

fn document() -> Option<web_sys::Document> {
    web_sys::window()?.document()
}

/// Installs a panic hook that logs to the console and shows an error banner with a Reload
/// link instead of leaving a dead page. The banner is plain DOM built inside the hook (the app
/// cannot render after a panic); the Reload link needs no script.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        let msg = info.to_string();
        let _ = show_panic_banner(&msg);
    }));
}

fn show_panic_banner(message: &str) -> Option<()> {
    let doc = document()?;
    if doc.get_element_by_id("panic-banner").is_some() {
        return Some(());
    }
    let body = doc.body()?;
    let banner = doc.create_element("div").ok()?;
    banner.set_id("panic-banner");
    banner.set_class_name("banner banner-error panic-banner");
    banner.set_attribute("role", "alert").ok()?;
    let title = doc.create_element("strong").ok()?;
    title.set_text_content(Some("Something went wrong and the app stopped."));
    let text = doc.create_element("p").ok()?;
    text.set_text_content(Some(&format!(
        "Your data has not left this browser. Reload the page to start again. Details: {message}"
    )));
    let link = doc.create_element("a").ok()?;
    link.set_class_name("button");
    let href = web_sys::window()?
        .location()
        .href()
        .unwrap_or_else(|_| "/".into());
    link.set_attribute("href", &href).ok()?;
    link.set_text_content(Some("Reload"));
    banner.append_child(&title).ok()?;
    banner.append_child(&text).ok()?;
    banner.append_child(&link).ok()?;
    body.prepend_with_node_1(&banner).ok()?;
    Some(())
}

/// Starts a download of `url` saved as `file_name`.
pub fn download_url(file_name: &str, url: &str) -> Result<(), String> {
    let doc = document().ok_or("no document")?;
    let a: web_sys::HtmlAnchorElement = doc
        .create_element("a")
        .map_err(|_| "cannot create a link")?
        .dyn_into()
        .map_err(|_| "cannot create a link")?;
    a.set_href(url);
    a.set_download(file_name);
    a.set_attribute("hidden", "").ok();
    let body = doc.body().ok_or("no body")?;
    body.append_child(&a).map_err(|_| "cannot add the link")?;
    a.click();
    a.remove();
    Ok(())
}

/// Starts a download of `text` as a file of MIME type `mime` (a Blob: nothing leaves the
/// browser).
pub fn download_text(file_name: &str, mime: &str, text: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts)
        .map_err(|_| "cannot create the file")?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)
        .map_err(|_| "cannot create the download")?;
    let r = download_url(file_name, &url);
    // The click has started the download synchronously; the URL is no longer needed.
    let _ = web_sys::Url::revoke_object_url(&url);
    r
}

/// Reads a file's bytes, with its name: the path under the picked folder
/// (`folder/p000001.psv`, the browser's `webkitRelativePath`) for a folder pick, else the
/// file's name.
pub async fn read_file(file: web_sys::File) -> Result<(String, Vec<u8>), String> {
    let name = js_sys::Reflect::get(&file, &JsValue::from_str("webkitRelativePath"))
        .ok()
        .and_then(|v| v.as_string())
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| file.name());
    let bytes = gloo_file::futures::read_as_bytes(&gloo_file::File::from(file))
        .await
        .map_err(|e| format!("{name}: cannot read the file ({e})"))?;
    Ok((name, bytes))
}

/// A blob holding `bytes` (generated data that worker jobs read like an uploaded file).
pub fn blob_of(bytes: &[u8]) -> Result<web_sys::Blob, String> {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    web_sys::Blob::new_with_u8_array_sequence(&parts)
        .map_err(|e| format!("cannot hold the generated data ({})", js_text(&e)))
}

/// Lets the browser render (a zero-delay timeout) before long synchronous work.
pub async fn next_frame() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
        } else {
            let _ = resolve.call0(&JsValue::NULL);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// The files of a file list (a drop's or an input's), in the list's order.
pub fn files_of(list: Option<web_sys::FileList>) -> Vec<web_sys::File> {
    list.map(|l| (0..l.length()).filter_map(|i| l.get(i)).collect())
        .unwrap_or_default()
}

/// The files chosen in the file input that `ev` (a change event) comes from, after which the
/// input is cleared so that choosing the same file again is a change again.
pub fn picked_files(ev: &web_sys::Event) -> Vec<web_sys::File> {
    let Some(input) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
    else {
        return Vec::new();
    };
    let files = files_of(input.files());
    input.set_value("");
    files
}

/// Milliseconds since the page started (`performance.now()`), 0 when unavailable.
pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Logical processors the browser reports (`navigator.hardwareConcurrency`; 1 if unknown).
pub fn cores() -> usize {
    web_sys::window()
        .map(|w| w.navigator().hardware_concurrency())
        .filter(|n| n.is_finite() && *n >= 1.0)
        .map_or(1, |n| n as usize)
}

/// A User Timing mark `name` (the browser's performance panel shows it).
pub fn mark(name: &str) {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let _ = p.mark(name);
    }
}

/// Records a User Timing measure `name` from `start` to `end` (ms, `performance.now()`'s
/// clock) with `detail: {busy_ms}`, shown in the browser's performance panel. Through
/// `Reflect`, since the options form of `performance.measure` is not in web-sys's
/// bindings.
pub fn measure(name: &str, start: f64, end: f64, busy_ms: f64) {
    let Some(p) = web_sys::window().and_then(|w| w.performance()) else {
        return;
    };
    let options = js_sys::Object::new();
    let detail = js_sys::Object::new();
    let set = |o: &js_sys::Object, k: &str, v: f64| {
        let _ = js_sys::Reflect::set(o, &JsValue::from_str(k), &JsValue::from_f64(v));
    };
    set(&options, "start", start);
    set(&options, "end", end);
    set(&detail, "busy_ms", busy_ms);
    let _ = js_sys::Reflect::set(&options, &JsValue::from_str("detail"), &detail);
    if let Ok(f) = js_sys::Reflect::get(&p, &JsValue::from_str("measure"))
        .and_then(|f| f.dyn_into::<js_sys::Function>())
    {
        let _ = f.call2(&p, &JsValue::from_str(name), &options);
    }
}

/// Opens the browser's print dialog.
pub fn print() {
    if let Some(w) = web_sys::window() {
        let _ = w.print();
    }
}

/// Fetches `url` (same origin) as text; an HTTP error status is an error.
pub async fn fetch_text(url: &str) -> Result<String, String> {
    let window = web_sys::window().ok_or("no window")?;
    let resp = wasm_bindgen_futures::JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(|e| format!("{url}: network error ({})", js_text(&e)))?;
    let resp: web_sys::Response = resp
        .dyn_into()
        .map_err(|_| format!("{url}: not a response"))?;
    if !resp.ok() {
        return Err(format!(
            "{url}: HTTP {} {}",
            resp.status(),
            resp.status_text()
        ));
    }
    let text = resp.text().map_err(|e| format!("{url}: {}", js_text(&e)))?;
    let text = wasm_bindgen_futures::JsFuture::from(text)
        .await
        .map_err(|e| format!("{url}: {}", js_text(&e)))?;
    text.as_string().ok_or_else(|| format!("{url}: not text"))
}

fn js_text(v: &JsValue) -> String {
    v.as_string()
        .or_else(|| js_sys::JSON::stringify(v).ok().and_then(|s| s.as_string()))
        .unwrap_or_else(|| "unknown error".into())
}
