//! Local validation on an upload with labels.

use std::sync::Arc;

use leptos::prelude::*;

use crate::app::chart_spec::ChartSpec;
use crate::app::components::chart::Chart;
use crate::app::state::Validation;
use crate::core::format::{number, percent};

/// Confusion matrix, sensitivity, specificity, PPV and the ROC curve with its AUC, on the
/// upload's valid labelled rows at the model's threshold.
#[component]
pub fn ValidationPanel(
    /// The core's metrics and ROC curve.
    validation: Arc<Validation>,
) -> impl IntoView {
    let m = &validation.metrics;
    let c = m.confusion;
    let spec = ChartSpec::Roc {
        points: Arc::new(validation.roc.iter().map(|p| (p.fpr, p.tpr)).collect()),
        auc: Some(m.roc_auc),
        operating_point: Some((1.0 - m.specificity, m.sensitivity)),
    };
    view! {
        <section aria-labelledby="validation-h" data-testid="validation-panel">
            <h2 id="validation-h">"Local validation"</h2>
            <p>
                {format!(
                    "On the {} valid labelled rows of this file ({} positive), at the model's threshold of {}.",
                    m.n, m.positives, percent(m.threshold)
                )}
                " A small or unrepresentative file gives unreliable estimates."
            </p>
            <div class="grid-2">
                <div>
                    <div class="table-scroll">
                        <table class="confusion" data-testid="confusion-matrix">
                            <caption>"Confusion matrix (rows: label, columns: prediction)"</caption>
                            <thead>
                                <tr>
                                    <td></td>
                                    <th scope="col">"Predicted positive"</th>
                                    <th scope="col">"Predicted negative"</th>
                                </tr>
                            </thead>
                            <tbody>
                                <tr>
                                    <th scope="row">"Label positive"</th>
                                    <td class="num">{c.tp} " (TP)"</td>
                                    <td class="num">{c.fn_} " (FN)"</td>
                                </tr>
                                <tr>
                                    <th scope="row">"Label negative"</th>
                                    <td class="num">{c.fp} " (FP)"</td>
                                    <td class="num">{c.tn} " (TN)"</td>
                                </tr>
                            </tbody>
                        </table>
                    </div>
                    <dl class="stats">
                        <dt>"Sensitivity"</dt><dd data-testid="val-sensitivity">{percent(m.sensitivity)}</dd>
                        <dt>"Specificity"</dt><dd data-testid="val-specificity">{percent(m.specificity)}</dd>
                        <dt>"PPV (precision)"</dt><dd data-testid="val-ppv">{percent(m.precision)}</dd>
                        <dt>"NPV"</dt><dd>{percent(m.npv)}</dd>
                        <dt>"ROC AUC"</dt><dd data-testid="val-auc">{number(Some(m.roc_auc), 3)}</dd>
                        <dt>"Brier score"</dt><dd>{number(Some(m.brier), 3)}</dd>
                    </dl>
                </div>
                <Chart spec=Signal::stored(spec) name="validation-roc" label="ROC curve on this file"/>
            </div>
        </section>
    }
}
