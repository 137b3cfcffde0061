//! The batch results table: sortable by clicking the column headers, filterable.

use std::sync::Arc;

use leptos::prelude::*;

use crate::app::format::{count, percent};
use crate::app::results::{self, Filter, ResultRow, SortDir, SortKey};

/// Rows rendered before "Show all".
const FIRST: usize = 1000;

fn title(key: SortKey) -> &'static str {
    match key {
        SortKey::Line => "Row (line)",
        SortKey::Id => "ID",
        SortKey::Probability => "Probability",
        SortKey::Band => "Risk band",
        SortKey::Problems => "Problems",
    }
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
    let show_all = RwSignal::new(false);
    let order = {
        let rows = rows.clone();
        Memo::new(move |_| {
            let (k, d) = sort.get();
            results::arrange(&rows, filter.get(), k, d)
        })
    };

    let header = move |key: SortKey| {
        let aria = move || {
            let (k, d) = sort.get();
            if k == key { d.aria() } else { "none" }
        };
        let arrow = move || {
            let (k, d) = sort.get();
            match (k == key, d) {
                (false, _) => "",
                (true, SortDir::Ascending) => " ▲",
                (true, SortDir::Descending) => " ▼",
            }
        };
        let click = move |_| {
            sort.update(|(k, d)| {
                if *k == key {
                    *d = d.flip();
                } else {
                    *k = key;
                    // Risk is most useful highest first.
                    *d = if key == SortKey::Probability || key == SortKey::Band {
                        SortDir::Descending
                    } else {
                        SortDir::Ascending
                    };
                }
            })
        };
        view! {
            <th scope="col" aria-sort=aria>
                <button type="button" class="sort" data-sort=format!("{key:?}").to_lowercase() on:click=click>
                    {title(key)} <span aria-hidden="true">{arrow}</span>
                </button>
            </th>
        }
    };

    let body = {
        let rows = rows.clone();
        move || {
            let idx = order.get();
            let n = if show_all.get() {
                idx.len()
            } else {
                idx.len().min(FIRST)
            };
            idx[..n]
                .iter()
                .map(|&i| {
                    let r = &rows[i];
                    let class = match r.predicted {
                        Some(true) => "alert",
                        Some(false) => "",
                        None => "unscored",
                    };
                    view! {
                        <tr class=class data-line=r.line>
                            <td class="num">{r.line}</td>
                            {has_id.then(|| view! { <td>{r.id.clone().unwrap_or_default()}</td> })}
                            <td class="num" data-probability=r.probability.map(|p| p.to_string())>
                                {r.probability.map_or_else(|| "not scored".to_string(), percent)}
                            </td>
                            <td>{match r.predicted {
                                Some(true) => "at or above threshold",
                                Some(false) => "below threshold",
                                None => "–",
                            }}</td>
                            <td>{r.band_name.clone()}</td>
                            <td class="problems">{r.problems.clone()}</td>
                        </tr>
                    }
                })
                .collect_view()
        }
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
        <div class="table-scroll tall" role="region" aria-label="Results (scrollable)" tabindex="0">
            <table data-testid="results-table">
                <thead>
                    <tr>
                        {header(SortKey::Line)}
                        {has_id.then(|| header(SortKey::Id))}
                        {header(SortKey::Probability)}
                        <th scope="col">"Predicted"</th>
                        {header(SortKey::Band)}
                        {header(SortKey::Problems)}
                    </tr>
                </thead>
                <tbody>{body}</tbody>
            </table>
        </div>
        {move || (shown() > FIRST && !show_all.get()).then(|| view! {
            <button type="button" on:click=move |_| show_all.set(true)>
                {format!("Show all {} rows", count(shown()))}
            </button>
        })}
    }
}
