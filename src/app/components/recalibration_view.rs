//! What a recalibration did: its record (parent, local data, method) and the figures before
//! and after side by side, with the calibration curves of both. Shown on the Recalibrate page
//! for a new result and on the Model page for a recalibrated model.

use std::sync::Arc;

use leptos::prelude::*;

use crate::app::chart_spec::{ChartSpec, cal_points};
use crate::app::components::chart::Chart;
use crate::app::components::table::{Column, Region, Table};
use crate::core::lineage::{ComparisonRow, Recalibration};

/// The record of `r` (`data-testid="recalibration"`): one sentence on parent, method and local
/// data; the comparison table (`recalibration-table`: threshold, ECE, Brier, mean risk,
/// sensitivity, specificity, PPV, ROC AUC, and for ICU data alerts per patient-day and
/// utility); the calibration chart of both.
#[component]
pub fn RecalibrationView(r: &'static Recalibration) -> impl IntoView {
    let columns = vec![
        Column::row_header("On the local data", |row: &ComparisonRow| row.name),
        Column::num("Before (the model as it was)", |row: &ComparisonRow| {
            row.before.clone()
        }),
        Column::num(
            "After (recalibrated, cross-fitted)",
            |row: &ComparisonRow| row.after.clone(),
        ),
    ];
    let spec = ChartSpec::Recalibration {
        after: Arc::new(cal_points(&r.after.calibration)),
        before: Arc::new(cal_points(&r.before.calibration)),
    };
    view! {
        <section aria-labelledby="recal-h" class="card" data-testid="recalibration">
            <h2 id="recal-h">"Recalibration on local data"</h2>
            <p data-testid="recalibration-summary">{r.summary()}</p>
            <p>
                "The model's scores, hence its ranking of patients, are those of the parent model.
                The figures after recalibration are cross-fitted: each row's risk comes from a
                calibrator fitted without it (without that patient, for ICU data), so they are
                honest estimates for new patients; the ROC AUC can differ a little from the
                parent's because each fold has its own calibrator (and isotonic regression merges
                close scores into ties). "
                {r.local.dates.clone().unwrap_or_else(|| "The data records no dates, so the period it covers is not known.".into())}
            </p>
            <Table testid="recalibration-table" columns rows=Signal::stored(r.comparison())
                region=Region::label("Before and after recalibration")/>
            <Chart spec=Signal::stored(spec) name="recalibration-calibration"
                label="Calibration on the local data before and after recalibration"/>
        </section>
    }
}
