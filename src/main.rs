//! The browser app's entry point (built for wasm32 with `trunk build`): installs the panic
//! hook that shows an error banner, mounts the app, then registers the service worker that
//! keeps it for offline use.

#[cfg(target_arch = "wasm32")]
fn main() {
    sepsis_risk::app::web::install_panic_hook();
    leptos::mount::mount_to_body(sepsis_risk::app::app::App);
    sepsis_risk::app::service_worker::register();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    println!(
        "sepsis-risk-web is the browser app: build it with `trunk build --release` (output in dist/)."
    );
}
