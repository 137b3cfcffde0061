//! The batch results table: sortable by clicking the column headers, filterable.

use std::sync::Arc;

use leptos::prelude::*;

use crate::app::components::table::{CellKind, Column, Region, Table};
use crate::app::results::{self, Filter, ResultRow, SortDir, SortKey};
use crate::core::format::{count, percent};

/// The columns of the results table (rows are indices into `rows`).
fn columns(rows: &Arc<Vec<ResultRow>>, has_id: bool) -> Vec<Column<usize>> {
    let r = Arc::clone(rows);
    let mut cols = vec![
        Column::num(SortKey::Line.title(), move |&i: &usize| r[i].line).sorted_by(SortKey::Line),
    ];
    if has_id {
        let r = Arc::clone(rows);
        cols.push(
            Column::text(SortKey::Id.title(), move |&i: &usize| {
                r[i].id.clone().unwrap_or_default()
            })
            .sorted_by(SortKey::Id),
        );
    }
    let r = Arc::clone(rows);
    cols.push(
        Column::num(SortKey::Probability.title(), move |&i: &usize| {
            let p = r[i].probability;
            view! {
                <span data-probability=p.map(|p| p.to_string())>
                    {p.map_or_else(|| "not scored".to_string(), percent)}
                </span>
            }
        })
        .sorted_by(SortKey::Probability),
    );
    let r = Arc::clone(rows);
    cols.push(Column::text("Predicted", move |&i: &usize| {
        match r[i].predicted {
            Some(true) => "at or above threshold",
            Some(false) => "below threshold",
            None => "–",
        }
    }));
    let r = Arc::clone(rows);
    cols.push(
        Column::text(SortKey::Band.title(), move |&i: &usize| {
            r[i].band_name.clone()
        })
        .sorted_by(SortKey::Band),
    );
    let r = Arc::clone(rows);
    cols.push(
        Column::new(
            SortKey::Problems.title(),
            CellKind::Class("problems"),
            move |&i: &usize| r[i].problems.clone(),
        )
        .sorted_by(SortKey::Problems),
    );
    cols
}

/// Every row with probability, predicted class, risk band and problems
/// (`data-testid="results-table"`). Header buttons sort (click again to reverse); the filter
/// shows all rows, high-risk rows or rows with problems.
#[component]
pub fn ResultsTable(
    /// The table rows from [`results::build_rows`].
    rows: Arc<Vec<ResultRow>>,
    /// Whether the file has an ID column.
    has_id: bool,
) -> impl IntoView {
    let filter = RwSignal::new(Filter::All);
    let sort = RwSignal::new((SortKey::Line, SortDir::Ascending));
    let order = {
        let rows = rows.clone();
        Memo::new(move |_| {
            let (k, d) = sort.get();
            results::arrange(&rows, filter.get(), k, d)
        })
    };
    let class = {
        let rows = rows.clone();
        Arc::new(move |&i: &usize| match rows[i].predicted {
            Some(true) => "alert",
            Some(false) => "",
            None => "unscored",
        })
    };
    let line = {
        let rows = rows.clone();
        Arc::new(move |&i: &usize| rows[i].line)
    };
    let total = rows.len();
    let shown = move || order.with(|o| o.len());

    view! {
        <div class="table-tools">
            <label for="results-filter">"Show"</label>
            <select
                id="results-filter"
                data-testid="results-filter"
                on:change=move |ev| {
                    if let Some(f) = Filter::from_key(&event_target_value(&ev)) {
                        filter.set(f);
                    }
                }
            >
                {Filter::ALL
                    .into_iter()
                    .map(|f| view! { <option value=f.key() selected=move || filter.get() == f>{f.title()}</option> })
                    .collect_view()}
            </select>
            <span class="count" data-testid="results-count" aria-live="polite">
                {move || format!("{} of {} rows", count(shown()), count(total))}
            </span>
        </div>
        <Table testid="results-table" columns=columns(&rows, has_id) rows=order
            region=Region::label("Results (scrollable)").long() row_class=class row_line=line sort/>
    }
}
