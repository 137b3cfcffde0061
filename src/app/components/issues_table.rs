//! The table of row-level problems of an upload.

use std::sync::Arc;

use leptos::prelude::*;

use crate::app::components::table::{CellKind, Column, Region, Table};
use crate::app::state::Loaded;
use crate::core::dataset::{RowIssue, Severity};

/// Rows shown before "Show all".
const FIRST: usize = 500;

/// Every problem of the upload: line, column, severity, reason and value
/// (`data-testid="issues-table"`). Long lists show the first 500 rows until "Show all".
#[component]
pub fn IssuesTable(
    /// The upload.
    data: Arc<Loaded>,
) -> impl IntoView {
    let total = data.dataset.issues.len();
    let show_all = RwSignal::new(false);
    let (errors, warnings) = data.dataset.issue_counts();
    let shown_rows = {
        let data = data.clone();
        Signal::derive(move || {
            let n = if show_all.get() {
                total
            } else {
                total.min(FIRST)
            };
            data.dataset.issues[..n].to_vec()
        })
    };
    let columns = vec![
        Column::num("Row (line)", |i: &RowIssue| i.line),
        Column::text("Column", |i: &RowIssue| {
            i.column.clone().unwrap_or_else(|| "–".into())
        }),
        Column::text("Severity", |i: &RowIssue| severity(i).1),
        Column::text("Reason", |i: &RowIssue| i.reason.clone()),
        Column::new("Value", CellKind::Class("value"), |i: &RowIssue| {
            i.value.clone().unwrap_or_default()
        }),
    ];
    let class = Arc::new(|i: &RowIssue| severity(i).0);
    view! {
        <section aria-labelledby="issues-h">
            <h2 id="issues-h">"Problems in the file"</h2>
            <p>
                {format!(
                    "{errors} error{} (the row cannot be scored) and {warnings} warning{} (the value is treated as missing or ignored). No row is dropped.",
                    if errors == 1 { "" } else { "s" },
                    if warnings == 1 { "" } else { "s" },
                )}
            </p>
            <Table testid="issues-table" columns rows=shown_rows
                region=Region::labelled_by("issues-h").tall() row_class=class empty="No problems found."/>
            {move || (total > FIRST && !show_all.get()).then(|| view! {
                <button type="button" on:click=move |_| show_all.set(true)>
                    {format!("Show all {total} problems")}
                </button>
            })}
        </section>
    }
}

/// The row class and the word of an issue's severity.
fn severity(i: &RowIssue) -> (&'static str, &'static str) {
    match i.severity {
        Severity::Error => ("sev-error", "error"),
        Severity::Warning => ("sev-warning", "warning"),
    }
}
