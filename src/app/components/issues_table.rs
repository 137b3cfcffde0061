//! The table of row-level problems of an upload.

use std::sync::Arc;

use leptos::prelude::*;

use crate::app::components::table::{CellKind, Column, Region, Table};
use crate::app::state::Loaded;
use crate::core::dataset::{RowIssue, Severity};

/// Every problem of the upload: line, column, severity, reason and value
/// (`data-testid="issues-table"`); only the rows in view are drawn, however many there are.
#[component]
pub fn IssuesTable(
    /// The upload.
    data: Arc<Loaded>,
) -> impl IntoView {
    let total = data.dataset.issues.len();
    let (errors, warnings) = data.dataset.issue_counts();
    // The rows are indices into the upload's issues (no copy of them).
    let indices = Signal::stored((0..total).collect::<Vec<usize>>());
    let at = |f: fn(&RowIssue) -> String| {
        let data = data.clone();
        move |&i: &usize| f(&data.dataset.issues[i])
    };
    let columns = vec![
        Column::num("Row (line)", at(|i| i.line.to_string())),
        Column::text(
            "Column",
            at(|i| i.column.clone().unwrap_or_else(|| "–".into())),
        ),
        Column::text("Severity", at(|i| severity(i).1.to_string())),
        Column::text("Reason", at(|i| i.reason.clone())),
        Column::new(
            "Value",
            CellKind::Class("value"),
            at(|i| i.value.clone().unwrap_or_default()),
        ),
    ];
    let class = {
        let data = data.clone();
        Arc::new(move |&i: &usize| severity(&data.dataset.issues[i]).0)
    };
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
            <Table testid="issues-table" columns rows=indices
                region=Region::labelled_by("issues-h").long() row_class=class empty="No problems found."/>
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
