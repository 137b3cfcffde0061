//! The shipped model and a model trained on the upload, side by side on the same held-out
//! part of the upload (or why there is no comparison).

use leptos::prelude::*;

use crate::app::components::table::{Column, Region, Table};
use crate::app::training::HeldOutComparison;
use crate::core::lineage::ComparisonRow;

/// The comparison on the held-out part, or why there is none.
#[component]
pub fn HeldOutView(comparison: Result<Box<HeldOutComparison>, String>) -> impl IntoView {
    match comparison {
        Err(why) => view! {
            <section class="card" data-testid="held-out-comparison">
                <h2>"Compared with the shipped model"</h2>
                <p data-testid="held-out-none">{why}</p>
            </section>
        }
        .into_any(),
        Ok(c) => {
            let columns = vec![
                Column::row_header("On the held-out part", |row: &ComparisonRow| row.name),
                Column::num(c.other_title.clone(), |row: &ComparisonRow| {
                    row.before.clone()
                }),
                Column::num("Trained on your data", |row: &ComparisonRow| {
                    row.after.clone()
                }),
            ];
            let part = match c.patients {
                Some(p) => format!("{} rows of {p} patients", c.rows),
                None => format!("{} rows", c.rows),
            };
            view! {
                <section class="card" data-testid="held-out-comparison">
                    <h2>"Compared with the shipped model"</h2>
                    <p>{format!(
                        "Both models scored on the same held-out part of your data ({part}), which the \
                         new model never saw in training; each at its own alert threshold."
                    )}</p>
                    <Table testid="held-out-table" columns rows=Signal::stored(c.rows())
                        region=Region::label("The shipped model and the trained one on the held-out part")/>
                </section>
            }
            .into_any()
        }
    }
}
