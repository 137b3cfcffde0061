//! Exploratory data analysis of the loaded data.

use std::sync::Arc;

use leptos::prelude::*;

use crate::app::app::AppState;
use crate::app::chart_spec::ChartSpec;
use crate::app::components::chart::Chart;
use crate::app::components::need_data::NeedData;
use crate::app::components::summary_table::SummaryTable;
use crate::app::model;
use crate::app::state::Loaded;
use crate::core::eda;

/// The Explore page: summary statistics, class balance, missing values, per-feature histogram
/// and box plots by label, correlation heatmap, and a scatter plot of two chosen features.
#[component]
pub fn ExplorePage() -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <h1>"Explore the data"</h1>
        {move || match state.data.get() {
            Some(d) => view! { <Explore data=d/> }.into_any(),
            None => view! { <NeedData/> }.into_any(),
        }}
    }
}

fn axis_label(d: &Loaded, j: usize) -> String {
    let c = &d.dataset.schema.features[j];
    if c.unit.is_empty() {
        c.label.clone()
    } else {
        format!("{} ({})", c.label, c.unit)
    }
}

/// A `<select>` of the schema features, labelled.
#[component]
fn FeaturePicker(
    id: &'static str,
    #[prop(into)] label: String,
    names: Vec<String>,
    selected: RwSignal<usize>,
) -> impl IntoView {
    view! {
        <div class="picker">
            <label for=id>{label}</label>
            <select
                id=id
                data-testid=id
                on:change=move |ev| {
                    if let Ok(j) = event_target_value(&ev).parse::<usize>() {
                        selected.set(j);
                    }
                }
            >
                {names
                    .into_iter()
                    .enumerate()
                    .map(|(j, n)| view! { <option value=j.to_string() selected=move || selected.get() == j>{n}</option> })
                    .collect_view()}
            </select>
        </div>
    }
}

#[component]
fn Explore(data: Arc<Loaded>) -> impl IntoView {
    let schema = &data.dataset.schema;
    let names: Vec<String> = schema
        .features
        .iter()
        .map(|c| format!("{} ({})", c.label, c.name))
        .collect();
    // Start with the model's most important features (schema order without a model).
    let mut top: Vec<usize> = model::seed_bundle()
        .map(|b| {
            let mut f = b.feature_importances.clone();
            f.sort_by(|a, b| b.importance.total_cmp(&a.importance));
            f.iter()
                .filter_map(|f| schema.feature_index(&f.column))
                .collect()
        })
        .unwrap_or_default();
    top.extend(0..names.len());
    let feature = RwSignal::new(top[0]);
    let sx = RwSignal::new(top[0]);
    let sy = RwSignal::new(top.iter().copied().find(|&j| j != top[0]).unwrap_or(top[0]));

    let balance = ChartSpec::ClassBalance(data.eda.class_balance.clone());
    let missing = ChartSpec::Missing(Arc::new(data.eda.columns.clone()));
    let corr = ChartSpec::Correlation(Arc::new(data.eda.correlation.clone()));

    let hist = {
        let d = data.clone();
        Signal::derive(move || {
            let j = feature.get();
            ChartSpec::Histogram {
                hist: d.eda.histograms[j].clone(),
                title: format!("Distribution of {}", d.dataset.schema.features[j].label),
                x_label: axis_label(&d, j),
            }
        })
    };
    let boxes = {
        let d = data.clone();
        Signal::derive(move || {
            let j = feature.get();
            let (positive, negative, _) =
                eda::box_by_label(&d.dataset, j).unwrap_or((None, None, None));
            ChartSpec::Boxes {
                title: format!("{} by label", d.dataset.schema.features[j].label),
                y_label: axis_label(&d, j),
                positive,
                negative,
            }
        })
    };
    let scatter = {
        let d = data.clone();
        Signal::derive(move || {
            let (j, k) = (sx.get(), sy.get());
            ChartSpec::Scatter {
                points: Arc::new(eda::scatter(&d.dataset, j, k).unwrap_or_default()),
                x_label: axis_label(&d, j),
                y_label: axis_label(&d, k),
            }
        })
    };
    let has_label = data.dataset.has_label_column;

    view! {
        <p class="lead">
            {format!("{} — {} rows, {} of them can be scored.", data.file_name, data.eda.rows, data.eda.valid_rows)}
            " Statistics use present values only: blanks, “not measured” zeros, out-of-range and
            unreadable values are counted apart."
        </p>
        <section aria-labelledby="summary-h">
            <h2 id="summary-h">"Summary statistics"</h2>
            <SummaryTable data=data.clone()/>
        </section>
        <div class="grid-2">
            <section aria-labelledby="balance-h">
                <h2 id="balance-h">"Class balance"</h2>
                {if has_label {
                    view! { <Chart spec=Signal::stored(balance) name="class-balance" label="Class balance bar chart"/> }.into_any()
                } else {
                    view! { <p>"The file has no label column."</p> }.into_any()
                }}
            </section>
            <section aria-labelledby="missing-h">
                <h2 id="missing-h">"Missing values"</h2>
                <Chart spec=Signal::stored(missing) name="missing-values" label="Missing values per column: blanks, not measured, out of range, invalid"/>
            </section>
        </div>
        <section aria-labelledby="feature-h">
            <h2 id="feature-h">"One feature by label"</h2>
            <FeaturePicker id="feature-picker" label="Feature" names=names.clone() selected=feature/>
            <div class="grid-2">
                <Chart spec=hist name="histogram" label="Histogram of the chosen feature by label"/>
                <Chart spec=boxes name="box-plots" label="Box plots of the chosen feature by label"/>
            </div>
        </section>
        <div class="grid-2">
            <section aria-labelledby="corr-h">
                <h2 id="corr-h">"Correlations"</h2>
                <Chart spec=Signal::stored(corr) name="correlation" label="Correlation heatmap of the features and the label"/>
            </section>
            <section aria-labelledby="scatter-h">
                <h2 id="scatter-h">"Two features"</h2>
                <div class="pickers">
                    <FeaturePicker id="scatter-x" label="Horizontal axis" names=names.clone() selected=sx/>
                    <FeaturePicker id="scatter-y" label="Vertical axis" names=names selected=sy/>
                </div>
                <Chart spec=scatter name="scatter" label="Scatter plot of the two chosen features by label"/>
            </section>
        </div>
    }
}
