//! Reusable pieces of the pages.

pub mod backend;
pub mod chart;
pub mod drop_zone;
pub mod error_banner;
pub mod field_input;
pub mod footer;
pub mod held_out_view;
pub mod issues_table;
pub mod job_progress;
pub mod model_library;
pub mod model_picker;
pub mod nav;
pub mod need_data;
pub mod notice;
pub mod privacy_note;
pub mod recalibration_view;
pub mod results_table;
pub mod role_mapper;
pub mod roles_table;
pub mod summary_table;
pub mod table;
pub mod train_options;
pub mod trainer;
pub mod update_notice;
pub mod validation_panel;
pub mod with_model;
