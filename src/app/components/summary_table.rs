//! The EDA summary statistics table.

use std::sync::Arc;

use leptos::prelude::*;

use crate::app::format::number;
use crate::app::state::Loaded;

/// One row per feature: counts of present, blank, "not measured", out-of-range and invalid
/// cells, then mean, SD, min, quartiles and max (all from the core's EDA report).
#[component]
pub fn SummaryTable(
    /// The upload.
    data: Arc<Loaded>,
) -> impl IntoView {
    let rows = data
        .eda
        .columns
        .iter()
        .map(|c| {
            let d = if c.max.is_some_and(|m| m.abs() < 10.0) { 3 } else { 1 };
            view! {
                <tr>
                    <th scope="row">{c.label.clone()} <span class="colname">{format!(" ({})", c.name)}</span></th>
                    <td>{c.unit.clone()}</td>
                    <td class="num">{c.count}</td>
                    <td class="num">{c.blank}</td>
                    <td class="num">{c.disguised}</td>
                    <td class="num">{c.out_of_range}</td>
                    <td class="num">{c.invalid}</td>
                    <td class="num">{number(c.mean, d)}</td>
                    <td class="num">{number(c.sd, d)}</td>
                    <td class="num">{number(c.min, d)}</td>
                    <td class="num">{number(c.q1, d)}</td>
                    <td class="num">{number(c.median, d)}</td>
                    <td class="num">{number(c.q3, d)}</td>
                    <td class="num">{number(c.max, d)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-scroll" role="region" aria-labelledby="summary-h" tabindex="0">
            <table data-testid="summary-table">
                <thead>
                    <tr>
                        <th scope="col">"Feature"</th>
                        <th scope="col">"Unit"</th>
                        <th scope="col">"Present"</th>
                        <th scope="col">"Blank"</th>
                        <th scope="col">"Not measured"</th>
                        <th scope="col">"Out of range"</th>
                        <th scope="col">"Invalid"</th>
                        <th scope="col">"Mean"</th>
                        <th scope="col">"SD"</th>
                        <th scope="col">"Min"</th>
                        <th scope="col">"Q1"</th>
                        <th scope="col">"Median"</th>
                        <th scope="col">"Q3"</th>
                        <th scope="col">"Max"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}
