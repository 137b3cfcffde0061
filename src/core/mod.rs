//! The I/O-free core: everything the CLI and the browser app share.
//!
//! Nothing in here reads files, clocks or system randomness, and nothing imports leptos or
//! web-sys: callers hand in bytes, seeds and (for long work) a progress callback. The module
//! compiles for native targets and for `wasm32-unknown-unknown`.

pub mod bundle;
pub mod calibration;
pub mod config;
pub mod csv;
pub mod dataset;
pub mod demo;
pub mod eda;
pub mod error;
pub mod files;
pub mod format;
pub mod lineage;
pub mod matrix;
pub mod metrics;
pub mod models;
pub mod num;
pub mod parallel;
pub mod predict;
pub mod preprocess;
pub mod rng;
pub mod roles;
pub mod sampling;
pub mod schema;
pub mod search;
pub mod stats;
pub(crate) mod tagged;
pub mod temporal;
pub mod train;
pub mod utility;

pub use error::{Error, Result};
pub use matrix::Matrix;
