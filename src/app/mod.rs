//! The browser app: a Leptos single-page app around the core.
//!
//! Two halves:
//! - plain logic on plain structs, compiled for every target and unit-tested natively
//!   ([`model`], [`state`], [`results`], [`bedside`], [`threshold`], [`chart_spec`],
//!   [`format`]); none of it imports leptos, and none of it re-implements parsing,
//!   statistics or prediction: it calls the core;
//! - the Leptos components and pages (wasm32 only): `app` (router, shared state), `pages/*`,
//!   `components/*`, and `web` (browser helpers: downloads, file reading, the panic banner).

pub mod bedside;
pub mod chart_spec;
pub mod format;
pub mod icu_bedside;
pub mod model;
pub mod results;
pub mod state;
pub mod threshold;
pub mod timeline;

// `app::app` follows the Leptos template layout (src/app.rs holds the root component).
#[cfg(target_arch = "wasm32")]
#[allow(missing_docs, clippy::module_inception)]
pub mod app;
#[cfg(target_arch = "wasm32")]
#[allow(missing_docs)]
pub mod components;
#[cfg(target_arch = "wasm32")]
#[allow(missing_docs)]
pub mod pages;
#[cfg(target_arch = "wasm32")]
pub mod web;
