//! The EDA summary statistics table.

use std::sync::Arc;

use leptos::prelude::*;

use crate::app::components::table::{Column, Region, Table};
use crate::app::state::Loaded;
use crate::core::eda::ColumnSummary;
use crate::core::format::number;

/// Decimals of a column's statistics: 3 for small values, else 1.
fn decimals(c: &ColumnSummary) -> usize {
    if c.max.is_some_and(|m| m.abs() < 10.0) {
        3
    } else {
        1
    }
}

/// A numeric column of a statistic, with the column's decimals.
fn stat(header: &'static str, f: fn(&ColumnSummary) -> Option<f64>) -> Column<ColumnSummary> {
    Column::num(header, move |c: &ColumnSummary| number(f(c), decimals(c)))
}

/// One row per feature: counts of present, blank, "not measured", out-of-range and invalid
/// cells, then mean, SD, min, quartiles and max (all from the core's EDA report).
#[component]
pub fn SummaryTable(
    /// The upload.
    data: Arc<Loaded>,
) -> impl IntoView {
    let columns = vec![
        Column::row_header("Feature", |c: &ColumnSummary| {
            view! { {c.label.clone()} <span class="colname">{format!(" ({})", c.name)}</span> }
        }),
        Column::text("Unit", |c: &ColumnSummary| c.unit.clone()),
        Column::num("Present", |c: &ColumnSummary| c.count),
        Column::num("Blank", |c: &ColumnSummary| c.blank),
        Column::num("Not measured", |c: &ColumnSummary| c.disguised),
        Column::num("Out of range", |c: &ColumnSummary| c.out_of_range),
        Column::num("Invalid", |c: &ColumnSummary| c.invalid),
        stat("Mean", |c| c.mean),
        stat("SD", |c| c.sd),
        stat("Min", |c| c.min),
        stat("Q1", |c| c.q1),
        stat("Median", |c| c.median),
        stat("Q3", |c| c.q3),
        stat("Max", |c| c.max),
    ];
    view! {
        <Table testid="summary-table" columns rows=Signal::stored(data.eda.columns.clone())
            region=Region::labelled_by("summary-h")/>
    }
}
