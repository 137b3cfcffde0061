//! The browser app: a Leptos single-page app around the core.
//!
//! Two halves:
//! - plain logic on plain structs, compiled for every target and unit-tested natively
//!   ([`model`], [`state`], [`results`], [`timeline`], [`bedside`], [`icu_bedside`],
//!   [`threshold`], [`chart_spec`], [`format`], [`links`], [`library`]: the user's own
//!   models, [`recalibration`]: the Recalibrate page's form,
//!   [`training`]: the Train page's form, data format and held-out comparison, [`jobs`]: the work
//!   the page's Web Worker runs and its messages, [`searching`]: a training's candidates
//!   dealt to parallel workers), [`virtual_rows`]: which rows of a long table to draw); none
//!   of it imports leptos, and
//!   none of it re-implements parsing, statistics or prediction: it calls the core;
//! - the Leptos side (wasm32 only): `context` (the shared state in context and the one
//!   loading path of the ICU model), `app` (layout and router only), `pages/*` and
//!   `components/*` (which use `context`, never `app`), and `web` (browser helpers:
//!   downloads, file reading, the panic banner), `worker` (jobs in the Web Worker: start,
//!   events, cancel), `storage` (the user's models in IndexedDB)
//!   and `service_worker` (offline use: the
//!   service worker's registration and the "new version available" notice).

pub mod bedside;
pub mod chart_spec;
pub mod format;
pub mod icu_bedside;
pub mod jobs;
pub mod library;
pub mod links;
pub mod model;
pub mod recalibration;
pub mod results;
pub mod role_mapping;
pub mod searching;
pub mod state;
pub mod threshold;
pub mod timeline;
pub mod training;
pub mod virtual_rows;

// `app::app` follows the Leptos template layout (src/app.rs holds the root component).
#[cfg(target_arch = "wasm32")]
#[allow(missing_docs, clippy::module_inception)]
pub mod app;
#[cfg(target_arch = "wasm32")]
#[allow(missing_docs)]
pub mod components;
#[cfg(target_arch = "wasm32")]
pub mod context;
#[cfg(target_arch = "wasm32")]
#[allow(missing_docs)]
pub mod pages;
#[cfg(target_arch = "wasm32")]
pub mod service_worker;
#[cfg(target_arch = "wasm32")]
pub mod storage;
#[cfg(target_arch = "wasm32")]
pub mod web;
#[cfg(target_arch = "wasm32")]
pub mod worker;
