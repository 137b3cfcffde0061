//! Model families.

pub mod boosting;
pub mod forest;
pub mod tree;
