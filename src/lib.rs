//! sepsis-risk: sepsis risk prediction that runs in the browser, plus the native CLI that
//! trains the embedded models.
//!
//! Layers (see `docs/architecture.md`):
//! - [`core`]: I/O-free domain logic (schema, CSV ingestion, EDA, preprocessing, models,
//!   metrics, explanations, model bundle, training pipeline). Builds for native and wasm32.
//! - [`charts`]: plotters chart functions over any drawing backend (canvas, SVG).
//! - [`app`]: the browser app (Leptos, wasm32) and its plain, natively tested logic.
//! - `cli`: the native command-line shell around the core (not built for wasm32).
#![warn(missing_docs)]

pub mod app;
pub mod charts;
pub mod core;

#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
