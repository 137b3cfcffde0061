//! Stages 6 and 7, final fit and evaluate: the selected family refitted on all development
//! rows (preprocessing fitted on them, balancing applied to them), then scored on the
//! held-out test rows; feature importances folded back onto the model's input features.

use crate::core::bundle::FeatureImportance;
use crate::core::calibration::Calibrator;
use crate::core::config::TrainConfig;
use crate::core::metrics::{self, Metrics};
use crate::core::models::{Model, ModelParams};
use crate::core::preprocess::Pipeline;
use crate::core::rng::Rng;
use crate::core::sampling;
use crate::core::schema::Schema;
use crate::core::utility::{self, IcuEvaluation, UtilityParams};
use crate::core::{Matrix, Result};

use super::cv::preprocess_for;
use super::rows::per_patient;
use super::split::HeldOut;

/// The fitted preprocessing and model.
#[derive(Debug, Clone, PartialEq)]
pub struct Fitted {
    /// Preprocessing fitted on the development rows.
    pub pipeline: Pipeline,
    /// The model fitted on them (after balancing).
    pub model: Model,
}

/// Fits `params` on the development rows `dev_rows` of `x` (labels `y`), reading them through
/// their indices: only the balanced rows are preprocessed into a matrix (for SMOTE, all
/// development rows). Seeds: `derive(seed, 3)` for balancing, `derive(seed, 4)` for the model.
pub fn final_fit(
    x: &Matrix,
    dev_rows: &[usize],
    y: &[bool],
    schema: &Schema,
    params: &ModelParams,
    config: &TrainConfig,
) -> Result<Fitted> {
    let pre = preprocess_for(params.family(), &config.preprocess);
    let pipeline = Pipeline::fit_rows(x, dev_rows, schema, &pre)?;
    let seed = Rng::derive(config.seed, 3);
    let (xb, yb) = match sampling::balance_rows(y, config.balance, seed)? {
        Some(kept) => {
            let rows: Vec<usize> = kept.iter().map(|&k| dev_rows[k]).collect();
            let labels: Vec<bool> = kept.iter().map(|&k| y[k]).collect();
            (pipeline.transform_rows(x, &rows)?, labels)
        }
        None => {
            let xt = pipeline.transform_rows(x, dev_rows)?;
            sampling::balance(&xt, y, config.balance, seed)?
        }
    };
    let model = Model::fit(params, &xb, &yb, Rng::derive(config.seed, 4))?;
    Ok(Fitted { pipeline, model })
}

/// What the held-out test rows give at `threshold`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TestEvaluation {
    /// Row-level metrics (`None` without test rows).
    pub metrics: Option<Metrics>,
    /// Time-series data only: patient-level evaluation.
    pub icu: Option<IcuEvaluation>,
}

/// Scores the held-out rows of `x` (with their patients and hours for time-series data), one
/// row at a time through a reused buffer.
pub fn evaluate_test(
    fitted: &Fitted,
    calibrator: &Calibrator,
    x: &Matrix,
    HeldOut { rows, y, series }: HeldOut,
    threshold: f64,
    uparams: &UtilityParams,
) -> Result<TestEvaluation> {
    if y.is_empty() {
        return Ok(TestEvaluation::default());
    }
    let mut buf = Vec::with_capacity(fitted.pipeline.n_outputs());
    let p = rows
        .iter()
        .map(|&i| {
            fitted.pipeline.transform_row_into(x.row(i), &mut buf)?;
            Ok(calibrator.apply(fitted.model.predict_row(&buf)?))
        })
        .collect::<Result<Vec<f64>>>()?;
    let icu = match &series {
        Some((patient, hours)) => {
            let parts = per_patient(patient, &y, &p, hours);
            Some(utility::evaluate_icu(&parts, threshold, uparams)?)
        }
        None => None,
    };
    Ok(TestEvaluation {
        metrics: Some(metrics::evaluate(&y, &p, threshold)?),
        icu,
    })
}

/// The model's importances folded back onto the model's input features (one-hot and
/// indicator columns summed into their source column).
pub fn feature_importances(fitted: &Fitted, schema: &Schema) -> Vec<FeatureImportance> {
    let mut imp = vec![0.0; schema.features.len()];
    for (j, v) in fitted.model.feature_importances().iter().enumerate() {
        imp[fitted.pipeline.source_column(j)] += v;
    }
    schema
        .features
        .iter()
        .zip(imp)
        .map(|(c, importance)| FeatureImportance {
            column: c.name.clone(),
            label: c.label.clone(),
            importance,
        })
        .collect()
}
