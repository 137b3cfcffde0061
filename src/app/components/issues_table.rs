//! The table of row-level problems of an upload.

use std::sync::Arc;

use leptos::prelude::*;

use crate::app::state::Loaded;
use crate::core::dataset::Severity;

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
    let rows = {
        let data = data.clone();
        move || {
            let n = if show_all.get() {
                total
            } else {
                total.min(FIRST)
            };
            data.dataset.issues[..n]
                .iter()
                .map(|i| {
                    let (class, sev) = match i.severity {
                        Severity::Error => ("sev-error", "error"),
                        Severity::Warning => ("sev-warning", "warning"),
                    };
                    view! {
                        <tr class=class>
                            <td class="num">{i.line}</td>
                            <td>{i.column.clone().unwrap_or_else(|| "–".into())}</td>
                            <td>{sev}</td>
                            <td>{i.reason.clone()}</td>
                            <td class="value">{i.value.clone().unwrap_or_default()}</td>
                        </tr>
                    }
                })
                .collect_view()
        }
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
            <div class="table-scroll tall" role="region" aria-labelledby="issues-h" tabindex="0">
                <table data-testid="issues-table">
                    <thead>
                        <tr>
                            <th scope="col">"Row (line)"</th>
                            <th scope="col">"Column"</th>
                            <th scope="col">"Severity"</th>
                            <th scope="col">"Reason"</th>
                            <th scope="col">"Value"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || (total == 0).then(|| view! {
                            <tr><td colspan="5">"No problems found."</td></tr>
                        })}
                        {rows}
                    </tbody>
                </table>
            </div>
            {move || (total > FIRST && !show_all.get()).then(|| view! {
                <button type="button" on:click=move |_| show_all.set(true)>
                    {format!("Show all {total} problems")}
                </button>
            })}
        </section>
    }
}
