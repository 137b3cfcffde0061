//! Exploratory data analysis of the loaded data.

use std::sync::Arc;

use leptos::prelude::*;

use crate::app::chart_spec::ChartSpec;
use crate::app::components::chart::Chart;
use crate::app::components::need_data::WithData;
use crate::app::components::summary_table::SummaryTable;
use crate::app::components::table::{Column, Region, Table};
use crate::app::context::AppState;
use crate::app::state::Loaded;
use crate::core::eda::{self, ClassBalance, MeasuredFraction, PatientSummary};
use crate::core::format::{count, percent};

/// The Explore page: summary statistics, class balance, missing values, per-feature histogram
/// and box plots by label, correlation heatmap, and a scatter plot of two chosen features.
#[component]
pub fn ExplorePage() -> impl IntoView {
    view! {
        <h1>"Explore the data"</h1>
        <WithData let:data>
            <Explore data/>
        </WithData>
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
    let state = expect_context::<AppState>();
    let mut top: Vec<usize> = state
        .bundle_for(&data.model)
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

    let icu = data
        .patients
        .clone()
        .map(|p| view! { <PatientOverview summary=Arc::new(p) hours_total=data.eda.rows/> });
    view! {
        {icu}
        <p class="lead">
            {format!("{} — {} rows, {} of them can be scored.", data.file_name, count(data.eda.rows), count(data.eda.valid_rows))}
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

/// Time-series data (ICU): patients by label, hours per patient, and how often each variable
/// is measured (overall, and in septic vs other patients' hours).
#[component]
fn PatientOverview(summary: Arc<PatientSummary>, hours_total: usize) -> impl IntoView {
    let p = &summary;
    let labelled = p.patients - p.unlabelled_patients;
    let balance = ChartSpec::PatientBalance(ClassBalance {
        positive: p.septic_patients,
        negative: labelled - p.septic_patients,
        unlabeled: p.unlabelled_patients,
        positive_fraction: if labelled > 0 {
            p.septic_patients as f64 / labelled as f64
        } else {
            0.0
        },
    });
    let hours = ChartSpec::Histogram {
        hist: p.hours.clone(),
        title: "Hours per patient".into(),
        x_label: "Hours (rows) per patient".into(),
    };
    let measured = ChartSpec::MeasuredFraction(Arc::new(
        p.measured
            .iter()
            .map(|m| (m.label.clone(), m.fraction))
            .collect(),
    ));
    let pct = |v: Option<f64>| v.map_or_else(|| "–".to_string(), percent);
    let columns = vec![
        Column::row_header("Variable", |m: &MeasuredFraction| {
            format!("{} ({})", m.label, m.column)
        }),
        Column::num("All hours", move |m: &MeasuredFraction| {
            pct(Some(m.fraction))
        }),
        Column::num("Hours of septic patients", move |m: &MeasuredFraction| {
            pct(m.septic)
        }),
        Column::num("Hours of other patients", move |m: &MeasuredFraction| {
            pct(m.non_septic)
        }),
    ];
    view! {
        <section aria-labelledby="icu-h" data-testid="icu-overview">
            <h2 id="icu-h">"ICU stays: patients and measurements"</h2>
            <p class="lead">
                {format!(
                    "{} patients, {} of them septic (a positive label at some hour){}; {} patient-hours in all. Most laboratory values are missing in most hours: how often a variable is measured reflects the care process, and the model sees it.",
                    count(p.patients),
                    count(p.septic_patients),
                    if p.unlabelled_patients > 0 { format!(", {} without labels", count(p.unlabelled_patients)) } else { String::new() },
                    count(hours_total)
                )}
            </p>
            <Chart spec=Signal::stored(measured) name="measured-fraction"
                label="Fraction of patient-hours in which each variable is measured, most measured first"/>
            <div class="grid-2">
                <section aria-labelledby="pbal-h">
                    <h3 id="pbal-h">"Patients by label"</h3>
                    <Chart spec=Signal::stored(balance) name="patients-by-label" label="Septic and other patients"/>
                </section>
                <section aria-labelledby="phours-h">
                    <h3 id="phours-h">"Length of stay"</h3>
                    <Chart spec=Signal::stored(hours) name="hours-per-patient" label="Histogram of hours per patient, septic and other patients"/>
                </section>
            </div>
            <details>
                <summary>"Measured fraction by patient label (table)"</summary>
                <Table testid="measured-table" columns rows=Signal::stored(p.measured.clone())
                    region=Region::label("Measured fraction by patient label")/>
            </details>
            <h2>"Every variable (hour by hour)"</h2>
        </section>
    }
}
