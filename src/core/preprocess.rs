//! A serialisable preprocessing pipeline, fitted on training data only and applied unchanged
//! to validation, test and scoring data (in the CLI and in the browser).
//!
//! Input: one column per schema feature, `NaN` (or any non-finite value) meaning missing;
//! categorical values are level indices stored as `f64`.
//!
//! Per input column the pipeline learns:
//! - an impute value: the median or mean of the observed values for numeric columns, the most
//!   frequent observed value (ties: the lowest) for binary and categorical columns. A column
//!   with no observed value in training is imputed with 0 (numeric, binary) or level 0
//!   (categorical), and a note is recorded in [`Pipeline::notes`];
//! - optionally a missing-indicator column (only for columns with at least one missing value
//!   in training);
//! - for numeric columns, optionally standardisation with the mean and population standard
//!   deviation of the *imputed* training column (as `SimpleImputer` followed by
//!   `StandardScaler` in scikit-learn); a zero deviation is replaced by 1. Binary columns,
//!   one-hot columns, categorical codes and indicators are never scaled;
//! - for categorical columns, optionally one-hot columns (one per schema level); a value that
//!   is not a level index at transform time gives all zeros.
//!
//! Output columns: for each schema feature in order its value (or its one-hot columns), then
//! all missing indicators in schema order.

use serde::{Deserialize, Serialize};

use super::schema::{ColumnKind, Schema};
use super::stats::{mean, median};
use super::{Error, Matrix, Result};

/// How missing numeric values are filled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Impute {
    /// Median of the observed training values.
    #[default]
    Median,
    /// Mean of the observed training values.
    Mean,
}

/// Preprocessing options.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PreprocessConfig {
    /// Impute statistic for numeric columns.
    pub numeric_impute: Impute,
    /// Add a 0/1 "was missing" column for each column with missing training values.
    pub missing_indicators: bool,
    /// Standardise numeric columns.
    pub scale: bool,
    /// One-hot encode categorical columns (otherwise the level index is passed through).
    pub one_hot: bool,
}

impl Default for PreprocessConfig {
    fn default() -> Self {
        PreprocessConfig {
            numeric_impute: Impute::Median,
            missing_indicators: true,
            scale: true,
            one_hot: true,
        }
    }
}

impl PreprocessConfig {
    /// Sets the numeric impute statistic.
    pub fn with_numeric_impute(mut self, impute: Impute) -> Self {
        self.numeric_impute = impute;
        self
    }

    /// Enables or disables missing indicators.
    pub fn with_missing_indicators(mut self, on: bool) -> Self {
        self.missing_indicators = on;
        self
    }

    /// Enables or disables standardisation.
    pub fn with_scale(mut self, on: bool) -> Self {
        self.scale = on;
        self
    }

    /// Enables or disables one-hot encoding.
    pub fn with_one_hot(mut self, on: bool) -> Self {
        self.one_hot = on;
        self
    }
}

/// How one input column is encoded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", try_from = "EncodingRepr")]
pub enum Encoding {
    /// One output: `(value - center) / scale` (center 0 and scale 1 when not standardised).
    Numeric {
        /// Subtracted (training mean after imputation, or 0).
        center: f64,
        /// Divisor (training standard deviation, or 1; never 0).
        scale: f64,
    },
    /// One output: the value as it is.
    Passthrough,
    /// One output per level: 1 for the value's level, 0 otherwise.
    OneHot {
        /// Level names (for output names).
        levels: Vec<String>,
    },
}

/// The serial form of an [`Encoding`] when reading (`crate::core::tagged`: no buffering, any
/// field order).
#[derive(Deserialize)]
struct EncodingRepr {
    #[serde(rename = "type")]
    kind: String,
    center: Option<f64>,
    scale: Option<f64>,
    levels: Option<Vec<String>>,
}

impl TryFrom<EncodingRepr> for Encoding {
    type Error = String;

    fn try_from(r: EncodingRepr) -> std::result::Result<Self, String> {
        let need = |f: &str| format!("missing field `{f}`");
        Ok(match r.kind.as_str() {
            "numeric" => Encoding::Numeric {
                center: r.center.ok_or_else(|| need("center"))?,
                scale: r.scale.ok_or_else(|| need("scale"))?,
            },
            "passthrough" => Encoding::Passthrough,
            "one_hot" => Encoding::OneHot {
                levels: r.levels.ok_or_else(|| need("levels"))?,
            },
            other => return Err(format!("unknown encoding `{other}`")),
        })
    }
}

/// What the pipeline learnt about one input column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnTransform {
    /// Schema feature name.
    pub name: String,
    /// Value used for missing inputs, in input units (a level index for categorical columns).
    pub impute: f64,
    /// Whether a missing-indicator output is added.
    pub indicator: bool,
    /// The encoding.
    pub encoding: Encoding,
}

impl ColumnTransform {
    fn width(&self) -> usize {
        match &self.encoding {
            Encoding::OneHot { levels } => levels.len(),
            _ => 1,
        }
    }
}

/// The serialised form; deserialisation checks it and rebuilds the derived fields.
#[derive(Serialize, Deserialize)]
struct PipelineData {
    config: PreprocessConfig,
    columns: Vec<ColumnTransform>,
    #[serde(default)]
    notes: Vec<String>,
}

/// A fitted preprocessing pipeline. Serialises to JSON and back exactly (transform results
/// are bit-identical after a round trip); deserialisation rejects inconsistent pipelines.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(into = "PipelineData", try_from = "PipelineData")]
pub struct Pipeline {
    config: PreprocessConfig,
    columns: Vec<ColumnTransform>,
    notes: Vec<String>,
    output_names: Vec<String>,
    sources: Vec<usize>,
}

impl From<Pipeline> for PipelineData {
    fn from(p: Pipeline) -> Self {
        PipelineData {
            config: p.config,
            columns: p.columns,
            notes: p.notes,
        }
    }
}

impl TryFrom<PipelineData> for Pipeline {
    type Error = Error;

    fn try_from(d: PipelineData) -> Result<Self> {
        Pipeline::assemble(d.config, d.columns, d.notes)
    }
}

/// Most frequent value (ties: the lowest); `None` when empty.
fn mode(values: &mut [f64]) -> Option<f64> {
    values.sort_unstable_by(f64::total_cmp);
    let mut best: Option<(f64, usize)> = None;
    let mut i = 0;
    while i < values.len() {
        let v = values[i];
        let run = values[i..].iter().take_while(|&&w| w == v).count();
        if best.is_none_or(|(_, c)| run > c) {
            best = Some((v, run));
        }
        i += run;
    }
    best.map(|b| b.0)
}

/// The level index `v` encodes, if it is one.
fn level_index(v: f64, levels: usize) -> Option<usize> {
    (v.is_finite() && v >= 0.0 && v.fract() == 0.0 && v < levels as f64).then_some(v as usize)
}

impl Pipeline {
    /// Fits the pipeline on training data `x` (one column per schema feature, rows = training
    /// rows). Errors when the width differs from the schema or there are no rows.
    pub fn fit(x: &Matrix, schema: &Schema, config: &PreprocessConfig) -> Result<Pipeline> {
        Self::fit_columns((x.rows(), x.cols()), &|j| x.column(j), schema, config)
    }

    /// [`Pipeline::fit`] on the rows `rows` of `x` (in that order), without copying them:
    /// the same pipeline as fitting on `x.select_rows(rows)`.
    pub fn fit_rows(
        x: &Matrix,
        rows: &[usize],
        schema: &Schema,
        config: &PreprocessConfig,
    ) -> Result<Pipeline> {
        Self::fit_columns(
            (rows.len(), x.cols()),
            &|j| rows.iter().map(|&i| x.get(i, j)).collect(),
            schema,
            config,
        )
    }

    fn fit_columns(
        (n_rows, n_cols): (usize, usize),
        column: &dyn Fn(usize) -> Vec<f64>,
        schema: &Schema,
        config: &PreprocessConfig,
    ) -> Result<Pipeline> {
        let n = schema.features.len();
        if n_cols != n {
            return Err(Error::ShapeMismatch {
                expected: n,
                got: n_cols,
            });
        }
        if n_rows == 0 {
            return Err(Error::InsufficientData(
                "the preprocessing pipeline needs at least one training row".into(),
            ));
        }
        let mut notes = Vec::new();
        let mut columns = Vec::with_capacity(n);
        for (j, col) in schema.features.iter().enumerate() {
            let raw = column(j);
            let mut observed: Vec<f64> = raw.iter().copied().filter(|v| v.is_finite()).collect();
            let has_missing = observed.len() < raw.len();
            let learnt = match &col.kind {
                ColumnKind::Numeric => match config.numeric_impute {
                    Impute::Median => median(&mut observed),
                    Impute::Mean => mean(&observed),
                },
                ColumnKind::Binary => mode(&mut observed),
                ColumnKind::Categorical { levels } => {
                    // Only valid level indices count; others are encoded as "unknown".
                    let mut lv: Vec<f64> = observed
                        .iter()
                        .copied()
                        .filter(|&v| level_index(v, levels.len()).is_some())
                        .collect();
                    mode(&mut lv)
                }
            };
            let impute = learnt.unwrap_or_else(|| {
                notes.push(format!(
                    "column `{}` has no observed value in the training data; missing values \
                     are imputed as 0{}",
                    col.name,
                    if matches!(col.kind, ColumnKind::Categorical { .. }) {
                        " (the first level)"
                    } else {
                        ""
                    }
                ));
                0.0
            });
            let encoding = match &col.kind {
                ColumnKind::Numeric if config.scale => {
                    let filled: Vec<f64> = raw
                        .iter()
                        .map(|&v| if v.is_finite() { v } else { impute })
                        .collect();
                    let center = mean(&filled).unwrap_or(0.0);
                    let var = filled
                        .iter()
                        .map(|v| (v - center) * (v - center))
                        .sum::<f64>()
                        / filled.len() as f64;
                    let sd = var.sqrt();
                    let scale = if sd > 0.0 && sd.is_finite() {
                        sd
                    } else {
                        if !sd.is_finite() {
                            notes.push(format!(
                                "column `{}`: the standard deviation overflows; not scaled",
                                col.name
                            ));
                        }
                        1.0
                    };
                    Encoding::Numeric { center, scale }
                }
                ColumnKind::Numeric | ColumnKind::Binary => Encoding::Passthrough,
                ColumnKind::Categorical { levels } if config.one_hot => Encoding::OneHot {
                    levels: levels.clone(),
                },
                ColumnKind::Categorical { .. } => Encoding::Passthrough,
            };
            columns.push(ColumnTransform {
                name: col.name.clone(),
                impute,
                indicator: config.missing_indicators && has_missing,
                encoding,
            });
        }
        Pipeline::assemble(config.clone(), columns, notes)
    }

    /// Checks the learnt parameters and derives output names and sources.
    fn assemble(
        config: PreprocessConfig,
        columns: Vec<ColumnTransform>,
        notes: Vec<String>,
    ) -> Result<Pipeline> {
        let bad = |what: String| Error::Bundle(format!("preprocessing pipeline: {what}"));
        let mut output_names = Vec::new();
        let mut sources = Vec::new();
        for (j, c) in columns.iter().enumerate() {
            if !c.impute.is_finite() {
                return Err(bad(format!(
                    "column `{}` has a non-finite impute value",
                    c.name
                )));
            }
            match &c.encoding {
                Encoding::Numeric { center, scale } => {
                    if !(center.is_finite() && scale.is_finite() && *scale != 0.0) {
                        return Err(bad(format!("column `{}` has invalid scaling", c.name)));
                    }
                    output_names.push(c.name.clone());
                }
                Encoding::Passthrough => output_names.push(c.name.clone()),
                Encoding::OneHot { levels } => {
                    if levels.is_empty() {
                        return Err(bad(format!("column `{}` has no levels", c.name)));
                    }
                    output_names.extend(levels.iter().map(|l| format!("{}={l}", c.name)));
                }
            }
            sources.extend(std::iter::repeat_n(j, c.width()));
        }
        for (j, c) in columns.iter().enumerate() {
            if c.indicator {
                output_names.push(format!("{}_missing", c.name));
                sources.push(j);
            }
        }
        Ok(Pipeline {
            config,
            columns,
            notes,
            output_names,
            sources,
        })
    }

    /// Appends the transformed `row` (already width-checked) to `out`.
    fn transform_into(&self, row: &[f64], out: &mut Vec<f64>) {
        for (c, &v) in self.columns.iter().zip(row) {
            let v = if v.is_finite() { v } else { c.impute };
            match &c.encoding {
                Encoding::Numeric { center, scale } => out.push((v - center) / scale),
                Encoding::Passthrough => out.push(v),
                Encoding::OneHot { levels } => {
                    let hit = level_index(v, levels.len());
                    out.extend((0..levels.len()).map(|i| f64::from(u8::from(hit == Some(i)))));
                }
            }
        }
        for (c, &v) in self.columns.iter().zip(row) {
            if c.indicator {
                out.push(f64::from(u8::from(!v.is_finite())));
            }
        }
    }

    /// Transforms a matrix (one column per schema feature). Errors on a wrong width.
    pub fn transform(&self, x: &Matrix) -> Result<Matrix> {
        self.check_width(x.cols())?;
        let mut data = Vec::with_capacity(x.rows() * self.n_outputs());
        for row in x.iter_rows() {
            self.transform_into(row, &mut data);
        }
        Matrix::new(x.rows(), self.n_outputs(), data)
    }

    /// Transforms the rows `rows` of `x` (in that order; they may repeat): the same matrix as
    /// `transform(&x.select_rows(rows))`, without the intermediate copy.
    pub fn transform_rows(&self, x: &Matrix, rows: &[usize]) -> Result<Matrix> {
        self.check_width(x.cols())?;
        let mut data = Vec::with_capacity(rows.len() * self.n_outputs());
        for &i in rows {
            self.transform_into(x.row(i), &mut data);
        }
        Matrix::new(rows.len(), self.n_outputs(), data)
    }

    /// Transforms `row` (already width-checked by the caller's [`Pipeline::n_inputs`]) into
    /// `out`, replacing its contents: for scoring many rows with one buffer.
    pub fn transform_row_into(&self, row: &[f64], out: &mut Vec<f64>) -> Result<()> {
        self.check_width(row.len())?;
        out.clear();
        self.transform_into(row, out);
        Ok(())
    }

    /// Transforms one row; identical to the corresponding row of [`Pipeline::transform`].
    pub fn transform_row(&self, row: &[f64]) -> Result<Vec<f64>> {
        self.check_width(row.len())?;
        let mut out = Vec::with_capacity(self.n_outputs());
        self.transform_into(row, &mut out);
        Ok(out)
    }

    fn check_width(&self, got: usize) -> Result<()> {
        if got != self.n_inputs() {
            return Err(Error::ShapeMismatch {
                expected: self.n_inputs(),
                got,
            });
        }
        Ok(())
    }

    /// Names of the output columns (e.g. `PL`, `Unit=MICU`, `PL_missing`).
    pub fn output_names(&self) -> &[String] {
        &self.output_names
    }

    /// The schema feature (input index) output column `output_j` derives from. Panics when
    /// `output_j >= n_outputs()` (an internal invariant, like slice indexing); use
    /// [`Pipeline::sources`] for checked access.
    pub fn source_column(&self, output_j: usize) -> usize {
        self.sources[output_j]
    }

    /// For each output column, the input it derives from.
    pub fn sources(&self) -> &[usize] {
        &self.sources
    }

    /// Number of input columns (schema features).
    pub fn n_inputs(&self) -> usize {
        self.columns.len()
    }

    /// Number of output columns.
    pub fn n_outputs(&self) -> usize {
        self.output_names.len()
    }

    /// Impute value of each input column in input units (level index for categorical ones).
    pub fn impute_values(&self) -> Vec<f64> {
        self.columns.iter().map(|c| c.impute).collect()
    }

    /// What was learnt per input column.
    pub fn columns(&self) -> &[ColumnTransform] {
        &self.columns
    }

    /// The configuration the pipeline was fitted with.
    pub fn config(&self) -> &PreprocessConfig {
        &self.config
    }

    /// Remarks made while fitting (e.g. a column with no observed value).
    pub fn notes(&self) -> &[String] {
        &self.notes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAN: f64 = f64::NAN;

    /// PL numeric, Ins binary, Unit categorical (MICU, SICU).
    fn schema() -> Schema {
        Schema::from_json(
            r#"{
            "name": "toy", "title": "Toy",
            "label": { "name": "y", "positive": ["1"], "negative": ["0"] },
            "features": [
                { "name": "PL", "label": "Glucose", "kind": { "type": "numeric" } },
                { "name": "Ins", "label": "Insured", "kind": { "type": "binary" } },
                { "name": "Unit", "label": "Unit", "kind": { "type": "categorical",
                  "levels": ["MICU", "SICU"] } }
            ]
        }"#,
        )
        .unwrap()
    }

    fn train() -> Matrix {
        Matrix::from_rows(&[
            vec![100.0, 1.0, 0.0],
            vec![NAN, 0.0, 1.0],
            vec![120.0, NAN, 1.0],
            vec![140.0, 1.0, NAN],
        ])
        .unwrap()
    }

    #[test]
    fn hand_worked_example() {
        let p = Pipeline::fit(&train(), &schema(), &PreprocessConfig::default()).unwrap();
        // PL: median of {100, 120, 140} = 120; imputed column 100, 120, 120, 140 has mean 120
        // and population variance (400 + 0 + 0 + 400) / 4 = 200. Ins: mode 1. Unit: mode 1.
        assert_eq!(p.impute_values(), [120.0, 1.0, 1.0]);
        assert_eq!(
            p.output_names(),
            [
                "PL",
                "Ins",
                "Unit=MICU",
                "Unit=SICU",
                "PL_missing",
                "Ins_missing",
                "Unit_missing"
            ]
        );
        assert_eq!(p.sources(), [0, 1, 2, 2, 0, 1, 2]);
        assert_eq!((p.n_inputs(), p.n_outputs()), (3, 7));
        assert_eq!(p.source_column(3), 2);
        let t = p.transform(&train()).unwrap();
        let s = 200f64.sqrt();
        assert_eq!(t.row(0), [-20.0 / s, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0]);
        assert_eq!(t.row(1), [0.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0]);
        assert_eq!(t.row(2), [0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0]);
        assert_eq!(t.row(3), [20.0 / s, 1.0, 0.0, 1.0, 0.0, 0.0, 1.0]);
        assert!(p.notes().is_empty());
    }

    #[test]
    fn row_indexed_fit_and_transform_equal_the_copied_rows() {
        let x = train();
        let rows = [3, 1, 1, 0];
        let cfg = PreprocessConfig::default();
        let copied = x.select_rows(&rows);
        let p = Pipeline::fit_rows(&x, &rows, &schema(), &cfg).unwrap();
        assert_eq!(p, Pipeline::fit(&copied, &schema(), &cfg).unwrap());
        let t = p.transform_rows(&x, &rows).unwrap();
        assert_eq!(t, p.transform(&copied).unwrap());
        let mut buf = vec![9.0; 20];
        for (k, &i) in rows.iter().enumerate() {
            p.transform_row_into(x.row(i), &mut buf).unwrap();
            assert_eq!(buf, t.row(k));
        }
        assert!(p.transform_row_into(&[1.0], &mut buf).is_err());
        assert!(Pipeline::fit_rows(&x, &[], &schema(), &cfg).is_err());
    }

    #[test]
    fn test_rows_use_training_statistics_and_unknown_levels_are_zero() {
        let p = Pipeline::fit(&train(), &schema(), &PreprocessConfig::default()).unwrap();
        // A very different test set must not move any statistic.
        let test = Matrix::from_rows(&[vec![160.0, NAN, 5.0], vec![NAN, 0.0, 0.5]]).unwrap();
        let t = p.transform(&test).unwrap();
        let s = 200f64.sqrt();
        // Unit 5 and 0.5 are not level indices: all zeros, and not "missing".
        assert_eq!(t.row(0), [40.0 / s, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0]);
        assert_eq!(t.row(1), [0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0]);
        // Infinity counts as missing, like NaN.
        let r = p.transform_row(&[f64::INFINITY, 0.0, 0.0]).unwrap();
        assert_eq!(r, [0.0, 0.0, 1.0, 0.0, 1.0, 0.0, 0.0]);
    }

    #[test]
    fn matches_scikit_learn() {
        // scripts/reference/preprocess.py (scikit-learn 1.9.1, numpy 2.4.6):
        // make_pipeline(SimpleImputer(strategy=s), StandardScaler()).fit(tr).transform(te)
        // Tolerance 1e-12.
        let schema = Schema::from_json(
            r#"{ "name": "t", "title": "t",
                 "label": { "name": "y", "positive": ["1"], "negative": ["0"] },
                 "features": [
                   { "name": "a", "label": "a", "kind": { "type": "numeric" } },
                   { "name": "b", "label": "b", "kind": { "type": "numeric" } } ] }"#,
        )
        .unwrap();
        let tr = Matrix::from_rows(&[
            vec![148.0, 72.0],
            vec![85.0, NAN],
            vec![183.0, 64.0],
            vec![NAN, 66.0],
            vec![89.0, NAN],
            vec![137.0, 40.0],
            vec![116.0, 74.0],
            vec![78.0, 50.0],
        ])
        .unwrap();
        let te =
            Matrix::from_rows(&[vec![NAN, 80.0], vec![197.0, NAN], vec![100.0, 30.0]]).unwrap();
        let cases = [
            (
                Impute::Median,
                [116.0, 65.0],
                [
                    [-0.0893633203101749, 1.6877060313785834],
                    [2.323446328064547, 0.28128433856309726],
                    [-0.5659676952977744, -3.0003662780063705],
                ],
            ),
            (
                Impute::Mean,
                [119.428_571_428_571_43, 61.0],
                [
                    [0.0, 1.8054344849532036],
                    [2.3119993137295705, 0.0],
                    [-0.5790642848383455, -2.9457088965025955],
                ],
            ),
        ];
        for (impute, stats, want) in cases {
            let cfg = PreprocessConfig::default()
                .with_numeric_impute(impute)
                .with_missing_indicators(false);
            let p = Pipeline::fit(&tr, &schema, &cfg).unwrap();
            for (g, w) in p.impute_values().iter().zip(stats) {
                assert!((g - w).abs() < 1e-12, "{impute:?}: impute {g} vs {w}");
            }
            let t = p.transform(&te).unwrap();
            for (i, row) in want.iter().enumerate() {
                for (j, w) in row.iter().enumerate() {
                    let g = t.get(i, j);
                    assert!((g - w).abs() < 1e-12, "{impute:?} ({i},{j}): {g} vs {w}");
                }
            }
        }
    }

    #[test]
    fn options_change_the_layout() {
        let cfg = PreprocessConfig::default()
            .with_scale(false)
            .with_one_hot(false)
            .with_missing_indicators(false);
        let p = Pipeline::fit(&train(), &schema(), &cfg).unwrap();
        assert_eq!(p.output_names(), ["PL", "Ins", "Unit"]);
        let t = p.transform(&train()).unwrap();
        assert_eq!(t.row(1), [120.0, 0.0, 1.0]);
        assert_eq!(t.row(3), [140.0, 1.0, 1.0]);
        // Indicators only for columns with missing training values.
        let full = Matrix::from_rows(&[vec![1.0, 0.0, 0.0], vec![3.0, 1.0, 1.0]]).unwrap();
        let p = Pipeline::fit(&full, &schema(), &PreprocessConfig::default()).unwrap();
        assert_eq!(p.output_names(), ["PL", "Ins", "Unit=MICU", "Unit=SICU"]);
        // Ties go to the lowest value.
        assert_eq!(p.impute_values(), [2.0, 0.0, 0.0]);
    }

    #[test]
    fn degenerate_training_data() {
        let x = Matrix::from_rows(&[vec![NAN, NAN, NAN], vec![NAN, NAN, 7.0]]).unwrap();
        let p = Pipeline::fit(&x, &schema(), &PreprocessConfig::default()).unwrap();
        assert_eq!(p.impute_values(), [0.0, 0.0, 0.0]);
        assert_eq!(p.notes().len(), 3, "{:?}", p.notes());
        let t = p.transform(&x).unwrap();
        assert!(t.as_slice().iter().all(|v| v.is_finite()));
        // Constant column: sd 0 is replaced by 1.
        let c = Matrix::from_rows(&[vec![5.0, 1.0, 0.0], vec![5.0, 1.0, 0.0]]).unwrap();
        let p = Pipeline::fit(&c, &schema(), &PreprocessConfig::default()).unwrap();
        assert_eq!(p.transform_row(&[7.0, 1.0, 0.0]).unwrap()[0], 2.0);
        // Errors, not panics.
        assert!(
            Pipeline::fit(
                &Matrix::zeros(0, 3),
                &schema(),
                &PreprocessConfig::default()
            )
            .is_err()
        );
        assert!(
            Pipeline::fit(
                &Matrix::zeros(2, 2),
                &schema(),
                &PreprocessConfig::default()
            )
            .is_err()
        );
        assert!(p.transform(&Matrix::zeros(1, 4)).is_err());
        assert!(p.transform_row(&[1.0]).is_err());
        assert_eq!(p.transform(&Matrix::zeros(0, 3)).unwrap().rows(), 0);
    }

    #[test]
    fn serde_round_trip_is_exact() {
        let tr = Matrix::from_rows(&[
            vec![0.1, 1.0, 0.0],
            vec![NAN, 0.0, 1.0],
            vec![1.0 / 3.0, NAN, 1.0],
            vec![2.0f64.sqrt(), 1.0, NAN],
        ])
        .unwrap();
        let p = Pipeline::fit(&tr, &schema(), &PreprocessConfig::default()).unwrap();
        let json = serde_json::to_string(&p).unwrap();
        let back: Pipeline = serde_json::from_str(&json).unwrap();
        assert_eq!(back, p);
        let te = Matrix::from_rows(&[vec![0.7, NAN, 1.0], vec![NAN, 1.0, 0.0]]).unwrap();
        let (a, b) = (p.transform(&te).unwrap(), back.transform(&te).unwrap());
        let bits = |m: &Matrix| m.as_slice().iter().map(|v| v.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&a), bits(&b));
        // Inconsistent pipelines are rejected on load.
        let bad = json.replace("\"levels\":[\"MICU\",\"SICU\"]", "\"levels\":[]");
        assert_ne!(bad, json);
        assert!(serde_json::from_str::<Pipeline>(&bad).is_err());
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod props {
        use super::*;
        use proptest::prelude::*;

        fn cell() -> impl Strategy<Value = f64> {
            prop_oneof![
                1 => Just(NAN),
                1 => (0u8..4).prop_map(f64::from),
                3 => -1e6f64..1e6,
            ]
        }

        fn matrix(rows: std::ops::Range<usize>) -> impl Strategy<Value = Matrix> {
            prop::collection::vec(prop::collection::vec(cell(), 3), rows)
                .prop_map(|r| Matrix::new(r.len(), 3, r.concat()).unwrap())
        }

        proptest! {
            #[test]
            fn single_row_equals_batch(
                tr in matrix(1..20),
                te in matrix(0..20),
                mean in any::<bool>(),
                ind in any::<bool>(),
                scale in any::<bool>(),
                one_hot in any::<bool>(),
            ) {
                let cfg = PreprocessConfig::default()
                    .with_numeric_impute(if mean { Impute::Mean } else { Impute::Median })
                    .with_missing_indicators(ind)
                    .with_scale(scale)
                    .with_one_hot(one_hot);
                let p = Pipeline::fit(&tr, &schema(), &cfg).unwrap();
                let t = p.transform(&te).unwrap();
                prop_assert_eq!(t.cols(), p.n_outputs());
                prop_assert_eq!(p.sources().len(), p.n_outputs());
                for (i, row) in te.iter_rows().enumerate() {
                    let r = p.transform_row(row).unwrap();
                    let a: Vec<u64> = r.iter().map(|v| v.to_bits()).collect();
                    let b: Vec<u64> = t.row(i).iter().map(|v| v.to_bits()).collect();
                    prop_assert_eq!(a, b);
                    prop_assert!(r.iter().all(|v| v.is_finite()));
                }
            }
        }
    }
}
