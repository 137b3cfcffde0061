//! One page per route.

pub mod bedside;
pub mod explore;
pub mod model;
pub mod not_found;
pub mod patient;
pub mod predict;
pub mod recalibrate;
pub mod train;
pub mod upload;
