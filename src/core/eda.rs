//! Exploratory data analysis: pure functions from a [`Dataset`] to statistics that the CLI
//! prints and the browser app charts.
//!
//! Conventions (all functions):
//! - statistics use every row, valid or not, and only cells whose state is
//!   [`Cell::Present`] (blank, "not measured", out-of-range and invalid cells are counted
//!   separately and never enter a statistic);
//! - quantiles use linear interpolation between order statistics (numpy's default method);
//! - undefined statistics are `None`, never `NaN` or infinity, so every result serialises to
//!   JSON;
//! - nothing here names a column: everything is driven by the dataset's [`Schema`].
//!
//! [`Schema`]: crate::core::schema::Schema

use crate::core::num;
use serde::{Deserialize, Serialize};

use super::dataset::{Cell, Dataset};
use super::schema::{Column, ColumnKind};
use super::stats::{mean, quantile_sorted, sample_sd};
use super::{Error, Result};

/// Largest number of histogram bins a caller may ask for.
pub const MAX_BINS: usize = 10_000;

/// Bounds of the Freedman–Diaconis default bin count.
const MIN_DEFAULT_BINS: usize = 5;
const MAX_DEFAULT_BINS: usize = 40;

/// Summary statistics of one feature column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnSummary {
    /// Canonical column name.
    pub name: String,
    /// Human-readable label.
    pub label: String,
    /// Unit ("" when unitless).
    pub unit: String,
    /// Numeric, binary or categorical.
    pub kind: ColumnKind,
    /// Number of present (usable) values.
    pub count: usize,
    /// Explicit missing tokens plus cells of an absent optional column.
    pub blank: usize,
    /// Values the schema declares as "not measured" (e.g. zeros).
    pub disguised: usize,
    /// Values outside the plausible range.
    pub out_of_range: usize,
    /// Values that could not be parsed.
    pub invalid: usize,
    /// Fraction of rows without a present value; `None` when the dataset has no rows.
    pub missing_fraction: Option<f64>,
    /// Mean of the present values.
    pub mean: Option<f64>,
    /// Sample standard deviation (`n - 1` denominator); needs at least two values.
    pub sd: Option<f64>,
    /// Smallest present value.
    pub min: Option<f64>,
    /// First quartile (linear interpolation).
    pub q1: Option<f64>,
    /// Median.
    pub median: Option<f64>,
    /// Third quartile (linear interpolation).
    pub q3: Option<f64>,
    /// Largest present value.
    pub max: Option<f64>,
    /// Number of distinct present values.
    pub distinct: usize,
}

/// Label counts over all rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassBalance {
    /// Rows with a positive label.
    pub positive: usize,
    /// Rows with a negative label.
    pub negative: usize,
    /// Rows whose label is blank or unrecognised.
    pub unlabeled: usize,
    /// `positive / (positive + negative)`. A `ClassBalance` exists only when at least one
    /// row is labelled, so this is always defined.
    pub positive_fraction: f64,
}

/// Histogram of one feature column, split by label.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Histogram {
    /// Column name.
    pub column: String,
    /// Bin edges, `bins + 1` of them, ascending. Bin `i` is `[edges[i], edges[i+1])`; the last
    /// bin includes its right edge. Empty when the column has no present value.
    pub edges: Vec<f64>,
    /// Counts of all present values per bin.
    pub all: Vec<usize>,
    /// Counts of rows labelled positive.
    pub positive: Vec<usize>,
    /// Counts of rows labelled negative.
    pub negative: Vec<usize>,
    /// Counts of rows without a label.
    pub unlabeled: Vec<usize>,
}

/// Box-plot statistics (Tukey): whiskers reach the most extreme values within 1.5 IQR of the
/// quartiles; values beyond are outliers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BoxStats {
    /// First quartile.
    pub q1: f64,
    /// Median.
    pub median: f64,
    /// Third quartile.
    pub q3: f64,
    /// Smallest value `>= q1 - 1.5 IQR`.
    pub whisker_low: f64,
    /// Largest value `<= q3 + 1.5 IQR`.
    pub whisker_high: f64,
    /// Number of values outside the whiskers.
    pub outliers: usize,
    /// Number of values.
    pub count: usize,
}

/// Pearson correlation matrix over pairwise-complete present values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Correlation {
    /// Row and column names: the schema features, then (when included) the label column.
    pub names: Vec<String>,
    /// Square, symmetric matrix; `None` where fewer than 3 complete pairs exist, a variance is
    /// zero, or a column is categorical with more than two levels (codes of unordered
    /// levels have no meaningful linear correlation).
    pub values: Vec<Vec<Option<f64>>>,
}

/// Everything the EDA screen and the `eda` command show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EdaReport {
    /// Where the data came from.
    pub source: String,
    /// Name of the schema the data was validated against.
    pub schema: String,
    /// Number of rows (records).
    pub rows: usize,
    /// Rows without errors.
    pub valid_rows: usize,
    /// Number of error issues.
    pub errors: usize,
    /// Number of warning issues.
    pub warnings: usize,
    /// One summary per schema feature, in schema order.
    pub columns: Vec<ColumnSummary>,
    /// Label counts; `None` without a label column or without any labelled row.
    pub class_balance: Option<ClassBalance>,
    /// Correlations of the features (and the label, when the file has one).
    pub correlation: Correlation,
    /// One default histogram per schema feature, in schema order.
    pub histograms: Vec<Histogram>,
}

/// `Some(v)` when `v` is finite.
fn fin(v: f64) -> Option<f64> {
    v.is_finite().then_some(v)
}

fn check_column(ds: &Dataset, j: usize) -> Result<()> {
    let n = ds.schema.features.len();
    if j >= n {
        return Err(Error::param(
            "column",
            format!("index {j} is out of range (the schema has {n} features)"),
        ));
    }
    Ok(())
}

/// Present value of feature `j` in `row`, if any.
fn present(row: &super::dataset::Row, j: usize) -> Option<f64> {
    match (row.cells.get(j), row.values.get(j)) {
        (Some(Cell::Present), Some(&v)) if v.is_finite() => Some(v),
        _ => None,
    }
}

/// Present values of feature `j`, with the row labels.
fn present_values(ds: &Dataset, j: usize) -> Vec<(f64, Option<bool>)> {
    ds.rows
        .iter()
        .filter_map(|r| present(r, j).map(|v| (v, r.label)))
        .collect()
}

fn sorted(mut v: Vec<f64>) -> Vec<f64> {
    v.sort_unstable_by(f64::total_cmp);
    v
}

/// Summary of feature `j`. Errors when `j` is out of range.
pub fn column_summary(ds: &Dataset, j: usize) -> Result<ColumnSummary> {
    check_column(ds, j)?;
    let col = &ds.schema.features[j];
    let (mut blank, mut disguised, mut out_of_range, mut invalid) = (0, 0, 0, 0);
    for r in &ds.rows {
        match r.cells.get(j) {
            Some(Cell::Blank | Cell::Absent) => blank += 1,
            Some(Cell::Disguised) => disguised += 1,
            Some(Cell::OutOfRange) => out_of_range += 1,
            Some(Cell::Invalid) | None => invalid += 1,
            Some(Cell::Present) => {}
        }
    }
    let values: Vec<f64> = ds.rows.iter().filter_map(|r| present(r, j)).collect();
    let s = sorted(values);
    let n = ds.rows.len();
    // A `Present` cell holding a non-finite value cannot come out of validation; should a
    // hand-built dataset contain one, it counts as missing here.
    let missing_fraction = (n > 0).then(|| (n - s.len()) as f64 / n as f64);
    let distinct = s.windows(2).filter(|w| w[0] != w[1]).count() + usize::from(!s.is_empty());
    Ok(ColumnSummary {
        name: col.name.clone(),
        label: col.label.clone(),
        unit: col.unit.clone(),
        kind: col.kind.clone(),
        count: s.len(),
        blank,
        disguised,
        out_of_range,
        invalid,
        missing_fraction,
        mean: mean(&s),
        sd: sample_sd(&s),
        min: s.first().copied(),
        q1: quantile_sorted(&s, 0.25),
        median: quantile_sorted(&s, 0.5),
        q3: quantile_sorted(&s, 0.75),
        max: s.last().copied(),
        distinct,
    })
}

/// Label counts over all rows; `None` when the file has no label column or no row carries a
/// recognised label.
pub fn class_balance(ds: &Dataset) -> Option<ClassBalance> {
    if !ds.has_label_column {
        return None;
    }
    let positive = ds.rows.iter().filter(|r| r.label == Some(true)).count();
    let negative = ds.rows.iter().filter(|r| r.label == Some(false)).count();
    let labelled = positive + negative;
    (labelled > 0).then(|| ClassBalance {
        positive,
        negative,
        unlabeled: ds.rows.len() - labelled,
        positive_fraction: positive as f64 / labelled as f64,
    })
}

/// Default number of bins for numeric values: Freedman–Diaconis (`width = 2 IQR / n^(1/3)`),
/// clamped to 5..=40. When the IQR is zero, Sturges' rule (`ceil(log2 n) + 1`) is used
/// instead, with the same clamp.
fn default_bins(s: &[f64]) -> usize {
    let n = s.len() as f64;
    let (Some(q1), Some(q3), Some(lo), Some(hi)) = (
        quantile_sorted(s, 0.25),
        quantile_sorted(s, 0.75),
        s.first(),
        s.last(),
    ) else {
        return MIN_DEFAULT_BINS;
    };
    let width = 2.0 * (q3 - q1) / num::cbrt(n);
    let raw = if width > 0.0 && width.is_finite() {
        ((hi - lo) / width).ceil()
    } else {
        num::log2(n).ceil() + 1.0
    };
    if raw.is_finite() {
        (raw as usize).clamp(MIN_DEFAULT_BINS, MAX_DEFAULT_BINS)
    } else {
        MAX_DEFAULT_BINS
    }
}

/// Histogram of feature `j`, counts split by label.
///
/// Bins:
/// - `bins = Some(b)`: `b` equal-width bins over the present min..max (1..=[`MAX_BINS`]);
/// - default for numeric columns: Freedman–Diaconis, clamped to 5..=40, over min..max;
/// - default for binary columns: 2 bins over 0..1 (edges `[0, 0.5, 1]`);
/// - default for categorical columns: one bin per level, centred on the level index
///   (edges `-0.5, 0.5, ..., levels - 0.5`);
/// - a column whose present values are all equal gets one bin with equal edges `[v, v]`
///   (numeric columns and explicit `bins`).
///
/// A column without present values yields empty edges and counts. Bin assignment matches
/// `numpy.histogram` (half-open bins, last bin closed). Errors when `j` is out of range, `b`
/// is 0 or above [`MAX_BINS`], or the range is too wide for `f64`.
pub fn histogram(ds: &Dataset, j: usize, bins: Option<usize>) -> Result<Histogram> {
    check_column(ds, j)?;
    if let Some(b) = bins
        && !(1..=MAX_BINS).contains(&b)
    {
        return Err(Error::param(
            "bins",
            format!("must be between 1 and {MAX_BINS}, got {b}"),
        ));
    }
    histogram_of(&ds.schema.features[j], &present_values(ds, j), bins)
}

/// [`histogram`] of given `(value, label)` pairs of a column like `col` (bins checked by the
/// caller).
fn histogram_of(
    col: &Column,
    data: &[(f64, Option<bool>)],
    bins: Option<usize>,
) -> Result<Histogram> {
    let mut h = Histogram {
        column: col.name.clone(),
        edges: Vec::new(),
        all: Vec::new(),
        positive: Vec::new(),
        negative: Vec::new(),
        unlabeled: Vec::new(),
    };
    if data.is_empty() {
        return Ok(h);
    }
    let s = sorted(data.iter().map(|d| d.0).collect());
    let (min, max) = (s[0], s[s.len() - 1]);
    let (lo, hi, nb) = match (bins, &col.kind) {
        (Some(b), _) => (min, max, b),
        (None, ColumnKind::Binary) => (0.0f64.min(min), 1.0f64.max(max), 2),
        (None, ColumnKind::Categorical { levels }) => (
            (-0.5f64).min(min),
            (levels.len() as f64 - 0.5).max(max),
            levels.len(),
        ),
        (None, ColumnKind::Numeric) => (min, max, default_bins(&s)),
    };
    let nb = if lo == hi { 1 } else { nb };
    let width = hi - lo;
    if !width.is_finite() {
        return Err(Error::Numerical(format!(
            "column `{}`: the value range {lo}..{hi} is too wide for a histogram",
            col.name
        )));
    }
    h.edges = (0..=nb)
        .map(|i| {
            if i == nb {
                hi
            } else {
                lo + width * (i as f64 / nb as f64)
            }
        })
        .collect();
    h.all = vec![0; nb];
    h.positive = vec![0; nb];
    h.negative = vec![0; nb];
    h.unlabeled = vec![0; nb];
    for &(v, label) in data {
        let Some(b) = bin_index(&h.edges, v) else {
            continue;
        };
        h.all[b] += 1;
        match label {
            Some(true) => h.positive[b] += 1,
            Some(false) => h.negative[b] += 1,
            None => h.unlabeled[b] += 1,
        }
    }
    Ok(h)
}

/// Bin of `v` for ascending `edges` (half-open bins, last one closed); `None` outside.
fn bin_index(edges: &[f64], v: f64) -> Option<usize> {
    let nb = edges.len().checked_sub(1)?;
    let (lo, hi) = (edges[0], edges[nb]);
    if nb == 0 || v < lo || v > hi {
        return None;
    }
    if hi == lo {
        return Some(0);
    }
    // Estimate, then correct against the actual edges (as numpy does).
    let mut b = (((v - lo) / (hi - lo)) * nb as f64) as usize;
    b = b.min(nb - 1);
    if v < edges[b] {
        b = b.saturating_sub(1);
    } else if b + 1 < nb && v >= edges[b + 1] {
        b += 1;
    }
    Some(b)
}

/// Tukey box statistics of `values`; `None` when empty.
pub fn box_stats(values: &[f64]) -> Option<BoxStats> {
    let s = sorted(values.iter().copied().filter(|v| v.is_finite()).collect());
    let q1 = quantile_sorted(&s, 0.25)?;
    let median = quantile_sorted(&s, 0.5)?;
    let q3 = quantile_sorted(&s, 0.75)?;
    let iqr = q3 - q1;
    let (lo_fence, hi_fence) = (q1 - 1.5 * iqr, q3 + 1.5 * iqr);
    let inside = |v: &&f64| **v >= lo_fence && **v <= hi_fence;
    // The quartiles lie within the data's range, so at least one value is inside the fences
    // unless the fences are not finite (overflow): then there are no whiskers to draw.
    let whisker_low = *s.iter().find(inside)?;
    let whisker_high = *s.iter().rev().find(inside)?;
    let outliers = s.iter().filter(|v| !inside(v)).count();
    Some(BoxStats {
        q1,
        median,
        q3,
        whisker_low,
        whisker_high,
        outliers,
        count: s.len(),
    })
}

/// Box statistics of feature `j` for rows labelled positive, negative, and all rows (in that
/// order); each is `None` when the group has no present value. Errors when `j` is out of
/// range.
#[allow(clippy::type_complexity)]
pub fn box_by_label(
    ds: &Dataset,
    j: usize,
) -> Result<(Option<BoxStats>, Option<BoxStats>, Option<BoxStats>)> {
    check_column(ds, j)?;
    let data = present_values(ds, j);
    let group = |want: Option<bool>| -> Vec<f64> {
        data.iter()
            .filter(|(_, l)| want.is_none() || *l == want)
            .map(|d| d.0)
            .collect()
    };
    Ok((
        box_stats(&group(Some(true))),
        box_stats(&group(Some(false))),
        box_stats(&group(None)),
    ))
}

/// Pearson correlation of the complete pairs of `a` and `b`.
fn pearson(a: &[Option<f64>], b: &[Option<f64>]) -> Option<f64> {
    let pairs: Vec<(f64, f64)> = a
        .iter()
        .zip(b)
        .filter_map(|(x, y)| Some(((*x)?, (*y)?)))
        .collect();
    if pairs.len() < 3 {
        return None;
    }
    let n = pairs.len() as f64;
    let mx = pairs.iter().map(|p| p.0).sum::<f64>() / n;
    let my = pairs.iter().map(|p| p.1).sum::<f64>() / n;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for &(x, y) in &pairs {
        let (dx, dy) = (x - mx, y - my);
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    if !(sxx > 0.0 && syy > 0.0) {
        return None;
    }
    fin(sxy / (sxx.sqrt() * syy.sqrt())).map(|r| r.clamp(-1.0, 1.0))
}

/// Pearson correlation of all schema features (over all rows, pairwise-complete present
/// values). With `include_label` and a label column in the file, the label (positive = 1,
/// negative = 0, unlabelled rows skipped) is added as the last row and column, named after
/// the schema's label column. The diagonal is 1.0 wherever the correlation is defined.
pub fn correlation(ds: &Dataset, include_label: bool) -> Correlation {
    let mut names = Vec::new();
    let mut series: Vec<Option<Vec<Option<f64>>>> = Vec::new();
    for (j, col) in ds.schema.features.iter().enumerate() {
        names.push(col.name.clone());
        let usable = match &col.kind {
            ColumnKind::Categorical { levels } => levels.len() <= 2,
            _ => true,
        };
        series.push(usable.then(|| ds.rows.iter().map(|r| present(r, j)).collect()));
    }
    if include_label && ds.has_label_column {
        names.push(ds.schema.label.name.clone());
        series.push(Some(
            ds.rows
                .iter()
                .map(|r| r.label.map(|l| if l { 1.0 } else { 0.0 }))
                .collect(),
        ));
    }
    let k = names.len();
    let mut values = vec![vec![None; k]; k];
    for a in 0..k {
        for b in a..k {
            let r = match (&series[a], &series[b]) {
                (Some(x), Some(y)) => pearson(x, y),
                _ => None,
            };
            // The diagonal is defined exactly when the self-correlation is (>= 3 values,
            // non-zero variance); report it as exactly 1.
            let r = if a == b { r.map(|_| 1.0) } else { r };
            values[a][b] = r;
            values[b][a] = r;
        }
    }
    Correlation { names, values }
}

/// Points `(value j, value k, label)` of the rows where both features are present, in row
/// order. Errors when `j` or `k` is out of range.
pub fn scatter(ds: &Dataset, j: usize, k: usize) -> Result<Vec<(f64, f64, Option<bool>)>> {
    check_column(ds, j)?;
    check_column(ds, k)?;
    Ok(ds
        .rows
        .iter()
        .filter_map(|r| Some((present(r, j)?, present(r, k)?, r.label)))
        .collect())
}

/// The full EDA report: column summaries, class balance, correlation (with the label when the
/// file has one) and one default histogram per feature.
pub fn summarize(ds: &Dataset) -> EdaReport {
    let n = ds.schema.features.len();
    let (errors, warnings) = ds.issue_counts();
    EdaReport {
        source: ds.source.clone(),
        schema: ds.schema.name.clone(),
        rows: ds.rows.len(),
        valid_rows: ds.valid_rows().count(),
        errors,
        warnings,
        // Indices are in range by construction, so these never fail; a histogram whose value
        // range overflows `f64` is left out.
        columns: (0..n).filter_map(|j| column_summary(ds, j).ok()).collect(),
        class_balance: class_balance(ds),
        correlation: correlation(ds, true),
        histograms: (0..n).filter_map(|j| histogram(ds, j, None).ok()).collect(),
    }
}

/// How often one measured variable of time-series data is measured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeasuredFraction {
    /// Canonical column name.
    pub column: String,
    /// Human-readable label.
    pub label: String,
    /// Present values / rows (patient-hours), over all rows.
    pub fraction: f64,
    /// The same over the rows of patients with a positive label; `None` without such rows.
    pub septic: Option<f64>,
    /// The same over the rows of labelled patients without a positive label.
    pub non_septic: Option<f64>,
}

/// Patient-level view of time-series data (one row per patient and hour, schema with a
/// temporal section): what the ICU part of the Explore page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PatientSummary {
    /// Distinct patient IDs (all rows are one patient without an ID column).
    pub patients: usize,
    /// Patients with at least one positive label.
    pub septic_patients: usize,
    /// Patients without any recognised label.
    pub unlabelled_patients: usize,
    /// Rows (hours) per patient, by patient label: positive = septic patient, negative =
    /// labelled and never positive.
    pub hours: Histogram,
    /// ICU hour (time column) of onset per septic patient: the hour of the first positive
    /// label plus 6 (the challenge's labels start 6 hours before onset), in patient order.
    pub onset_hours: Vec<f64>,
    /// Every measured variable (neither static nor the time column), most often measured
    /// first (ties in schema order).
    pub measured: Vec<MeasuredFraction>,
}

/// Hours the challenge's labels precede onset (see [`PatientSummary::onset_hours`]).
pub const LABEL_LEAD_HOURS: f64 = 6.0;

/// The patient-level summary of time-series data; `None` when the schema has no (valid)
/// temporal section or the dataset has no rows.
pub fn patient_summary(ds: &Dataset) -> Option<PatientSummary> {
    let t = ds.schema.resolve_temporal().ok()?;
    if ds.rows.is_empty() {
        return None;
    }
    // Patients in order of first appearance.
    let mut index: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    let mut of_row = Vec::with_capacity(ds.rows.len());
    let mut rows_of: Vec<usize> = Vec::new();
    let mut label_of: Vec<Option<bool>> = Vec::new();
    let mut first_pos: Vec<Option<f64>> = Vec::new();
    for r in &ds.rows {
        let id = r.id.as_deref().unwrap_or("");
        let p = *index.entry(id).or_insert_with(|| {
            rows_of.push(0);
            label_of.push(None);
            first_pos.push(None);
            rows_of.len() - 1
        });
        of_row.push(p);
        rows_of[p] += 1;
        if let Some(l) = r.label {
            label_of[p] = Some(label_of[p].unwrap_or(false) || l);
            if l && first_pos[p].is_none() {
                first_pos[p] = present(r, t.time);
            }
        }
    }
    let n = rows_of.len();
    let septic_patients = label_of.iter().filter(|l| **l == Some(true)).count();
    let hours_data: Vec<(f64, Option<bool>)> = rows_of
        .iter()
        .zip(&label_of)
        .map(|(&h, &l)| (h as f64, l))
        .collect();
    let hours_col = Column {
        name: "hours".into(),
        label: "Hours per patient".into(),
        unit: "hours".into(),
        ..ds.schema.features[t.time].clone()
    };
    let hours = histogram_of(&hours_col, &hours_data, None).ok()?;
    let onset_hours = first_pos
        .iter()
        .zip(&label_of)
        .filter(|(_, l)| **l == Some(true))
        .filter_map(|(h, _)| h.map(|h| h + LABEL_LEAD_HOURS))
        .collect();
    let group_rows = |want: bool| {
        of_row
            .iter()
            .filter(|&&p| label_of[p] == Some(want))
            .count()
    };
    let (rows_pos, rows_neg) = (group_rows(true), group_rows(false));
    let mut measured: Vec<MeasuredFraction> = t
        .measured
        .iter()
        .map(|&j| {
            let (mut all, mut pos, mut neg) = (0usize, 0usize, 0usize);
            for (r, &p) in ds.rows.iter().zip(&of_row) {
                if present(r, j).is_some() {
                    all += 1;
                    match label_of[p] {
                        Some(true) => pos += 1,
                        Some(false) => neg += 1,
                        None => {}
                    }
                }
            }
            let frac = |k: usize, of: usize| (of > 0).then(|| k as f64 / of as f64);
            let col = &ds.schema.features[j];
            MeasuredFraction {
                column: col.name.clone(),
                label: col.label.clone(),
                fraction: all as f64 / ds.rows.len() as f64,
                septic: frac(pos, rows_pos),
                non_septic: frac(neg, rows_neg),
            }
        })
        .collect();
    measured.sort_by(|a, b| b.fraction.total_cmp(&a.fraction));
    Some(PatientSummary {
        patients: n,
        septic_patients,
        unlabelled_patients: label_of.iter().filter(|l| l.is_none()).count(),
        hours,
        onset_hours,
        measured,
    })
}

#[cfg(test)]
mod patient_tests {
    use super::*;
    use crate::core::csv::parse;
    use crate::core::schema;

    #[test]
    fn patient_summary_of_a_small_icu_table() {
        let icu = schema::builtin("icu").unwrap();
        // Two patients: a has 3 hours (HR measured twice, positive from hour 2); b has 1.
        let text = "patient_id,ICULOS,HR,Temp,Age,SepsisLabel\n\
                    a,1,80,NaN,60,0\n\
                    a,2,NaN,NaN,60,1\n\
                    a,3,90,37,60,1\n\
                    b,1,70,NaN,50,0\n";
        let ds = Dataset::from_table(&parse(text.as_bytes()).unwrap(), &icu, "t").unwrap();
        let s = patient_summary(&ds).unwrap();
        assert_eq!(
            (s.patients, s.septic_patients, s.unlabelled_patients),
            (2, 1, 0)
        );
        assert_eq!(s.onset_hours, vec![8.0]);
        assert_eq!(s.hours.positive.iter().sum::<usize>(), 1);
        assert_eq!(s.hours.negative.iter().sum::<usize>(), 1);
        let hr = s.measured.iter().find(|m| m.column == "HR").unwrap();
        assert_eq!(hr.fraction, 0.75);
        assert_eq!(hr.septic, Some(2.0 / 3.0));
        assert_eq!(hr.non_septic, Some(1.0));
        assert_eq!(s.measured[0].column, "HR", "most measured first");
        assert!(
            s.measured
                .iter()
                .all(|m| m.column != "Age" && m.column != "ICULOS")
        );
        assert_eq!(s.measured.len(), 34);
        let seed = schema::builtin("seed").unwrap();
        let t = parse(b"PRG,PL,PR,SK,TS,M11,BD2,Age\n1,150,70,20,0,30,0.5,40\n").unwrap();
        assert!(patient_summary(&Dataset::from_table(&t, &seed, "s").unwrap()).is_none());
    }
}

#[cfg(test)]
mod tests {
    //! Reference values come from `scripts/reference/eda.py` (numpy 2.4.6, pandas 3.1.1): the
    //! same 14 rows as `fixture()`, with `np.quantile` (linear), `np.std(ddof=1)`,
    //! `np.histogram(bins=6, range=(min, max))` and `DataFrame.corr(min_periods=3)`.
    //! Tolerance 1e-12 (relative) for floating-point statistics; counts are exact.
    //!
    //! ```python
    //! A = {2:12,3:15,8:7,9:22.5,10:15,11:40,12:3.25,13:9,14:18,15:11}   # line -> value
    //! B = {2:1,3:0,4:1,6:0,7:1,8:0,9:1,10:0,11:1,12:0,13:1,14:0,15:1}
    //! Y = {2:1,3:0,4:1,5:0,7:1,8:0,9:1,10:0,11:1,13:0,14:1,15:0}
    //! df = pd.DataFrame({k: [d.get(l, np.nan) for l in range(2, 16)] for k, d in ...})
    //! a = df.A.dropna().to_numpy(); a.mean(), a.std(ddof=1), np.quantile(a, [.25,.5,.75])
    //! np.histogram(df.A[mask].dropna(), bins=6, range=(a.min(), a.max()))
    //! df[["A","B","y"]].corr(min_periods=3)
    //! ```
    use super::*;
    use crate::core::csv::{CsvTable, LineEnding, Record};
    use crate::core::schema::Schema;

    const SCHEMA: &str = r#"{
        "name": "toy", "title": "Toy",
        "id": { "name": "ID" },
        "label": { "name": "y", "positive": ["1"], "negative": ["0"] },
        "features": [
            { "name": "A", "label": "Alpha", "unit": "mg", "kind": { "type": "numeric" },
              "range": { "min": 0, "max": 100 }, "missing_values": [0] },
            { "name": "B", "label": "Beta", "kind": { "type": "binary" } },
            { "name": "C", "label": "Ward", "kind": { "type": "categorical",
              "levels": ["MICU", "SICU", "CCU"] } },
            { "name": "F", "label": "Optional", "kind": { "type": "numeric" }, "required": false }
        ]
    }"#;

    fn assert_close(got: Option<f64>, want: f64) {
        let g = got.unwrap_or_else(|| panic!("expected {want}, got None"));
        assert!(
            (g - want).abs() <= 1e-12 * want.abs().max(1.0),
            "got {g}, want {want}"
        );
    }

    fn table(header: &[&str], rows: &[&[&str]]) -> CsvTable {
        CsvTable {
            delimiter: b',',
            had_bom: false,
            line_ending: LineEnding::Lf,
            header: header.iter().map(|s| s.to_string()).collect(),
            records: rows
                .iter()
                .enumerate()
                .map(|(i, r)| Record {
                    line: i + 2,
                    fields: r.iter().map(|s| s.to_string()).collect(),
                })
                .collect(),
        }
    }

    fn fixture() -> Dataset {
        let schema = Schema::from_json(SCHEMA).unwrap();
        let t = table(
            &["ID", "A", "B", "C", "y"],
            &[
                &["1", "12", "1", "MICU", "1"],
                &["2", "15", "0", "SICU", "0"],
                &["3", "0", "1", "MICU", "1"],
                &["4", "NA", "", "CCU", "0"],
                &["5", "150", "0", "SICU", ""],
                &["6", "abc", "1", "MICU", "1"],
                &["7", "7", "0", "ccu", "0"],
                &["8", "22.5", "yes", "MICU", "1"],
                &["9", "15", "0", "SICU", "0"],
                &["10", "40", "1", "", "1"],
                &["11", "3.25", "0", "MICU", "maybe"],
                &["12", "9", "1", "SICU", "0"],
                &["13", "18", "0", "CCU", "1"],
                &["14", "11", "1", "MICU", "0"],
            ],
        );
        Dataset::from_table(&t, &schema, "toy.csv").unwrap()
    }

    #[test]
    fn column_summary_matches_numpy() {
        let ds = fixture();
        let a = column_summary(&ds, 0).unwrap();
        assert_eq!(
            (a.name.as_str(), a.label.as_str(), a.unit.as_str()),
            ("A", "Alpha", "mg")
        );
        assert_eq!(a.kind, ColumnKind::Numeric);
        assert_eq!(
            (a.count, a.blank, a.disguised, a.out_of_range, a.invalid),
            (10, 1, 1, 1, 1)
        );
        assert_close(a.missing_fraction, 4.0 / 14.0);
        assert_close(a.mean, 15.275);
        assert_close(a.sd, 10.287836669258185);
        assert_close(a.min, 3.25);
        assert_close(a.q1, 9.5);
        assert_close(a.median, 13.5);
        assert_close(a.q3, 17.25);
        assert_close(a.max, 40.0);
        assert_eq!(a.distinct, 9, "15 appears twice");

        let b = column_summary(&ds, 1).unwrap();
        assert_eq!((b.count, b.blank, b.distinct), (13, 1, 2));
        assert_close(b.mean, 0.538_461_538_461_538_4);
        assert_close(b.sd, 0.518_874_521_662_770_8);
        assert_close(b.q1, 0.0);
        assert_close(b.median, 1.0);

        // Categorical: level indices; "ccu" matches case-insensitively.
        let c = column_summary(&ds, 2).unwrap();
        assert_eq!((c.count, c.blank, c.distinct), (13, 1, 3));

        // Optional column absent from the file: every cell is blank, no statistics.
        let f = column_summary(&ds, 3).unwrap();
        assert_eq!((f.count, f.blank), (0, 14));
        assert_close(f.missing_fraction, 1.0);
        assert!(f.mean.is_none() && f.sd.is_none() && f.median.is_none() && f.max.is_none());
        assert!(column_summary(&ds, 4).is_err());
    }

    #[test]
    fn hand_computed_small_cases() {
        // Quantiles and the sample sd themselves are tested in core::stats.
        // Box of 1..=9 plus 100: q1 3.25, q3 7.75, fences -3.5..14.5, 100 is the outlier.
        let mut v: Vec<f64> = (1..=9).map(f64::from).collect();
        v.push(100.0);
        let b = box_stats(&v).unwrap();
        assert_eq!((b.q1, b.median, b.q3), (3.25, 5.5, 7.75));
        assert_eq!(
            (b.whisker_low, b.whisker_high, b.outliers, b.count),
            (1.0, 9.0, 1, 10)
        );
        assert_eq!(box_stats(&[]), None);
    }

    #[test]
    fn class_balance_counts_all_rows() {
        let ds = fixture();
        let cb = class_balance(&ds).unwrap();
        assert_eq!((cb.positive, cb.negative, cb.unlabeled), (6, 6, 2));
        assert_eq!(cb.positive_fraction, 0.5);
        let mut no_label = fixture();
        no_label.has_label_column = false;
        assert_eq!(class_balance(&no_label), None);
    }

    #[test]
    fn histogram_matches_numpy_fd() {
        let ds = fixture();
        let h = histogram(&ds, 0, None).unwrap();
        assert_eq!(h.column, "A");
        let edges = [3.25, 9.375, 15.5, 21.625, 27.75, 33.875, 40.0];
        assert_eq!(h.edges.len(), edges.len());
        for (g, w) in h.edges.iter().zip(edges) {
            assert_close(Some(*g), w);
        }
        assert_eq!(h.all, [3, 4, 1, 1, 0, 1]);
        assert_eq!(h.positive, [0, 1, 1, 1, 0, 1]);
        assert_eq!(h.negative, [2, 3, 0, 0, 0, 0]);
        assert_eq!(h.unlabeled, [1, 0, 0, 0, 0, 0]);

        // Explicit bins; the maximum lands in the last (closed) bin.
        let h = histogram(&ds, 0, Some(2)).unwrap();
        assert_eq!(h.edges, [3.25, 21.625, 40.0]);
        assert_eq!(h.all, [8, 2]);
        assert!(histogram(&ds, 0, Some(0)).is_err());
        assert!(histogram(&ds, 0, Some(MAX_BINS + 1)).is_err());
        assert!(histogram(&ds, 9, None).is_err());

        // Binary: two bins over 0..1. Categorical: one bin per level.
        let b = histogram(&ds, 1, None).unwrap();
        assert_eq!(
            (b.edges.as_slice(), b.all.as_slice()),
            (&[0.0, 0.5, 1.0][..], &[6, 7][..])
        );
        let c = histogram(&ds, 2, None).unwrap();
        assert_eq!(c.edges, [-0.5, 0.5, 1.5, 2.5]);
        assert_eq!(c.all, [6, 4, 3]);
        assert_eq!(c.all.iter().sum::<usize>(), 13);

        // No values: empty histogram.
        let f = histogram(&ds, 3, None).unwrap();
        assert!(f.edges.is_empty() && f.all.is_empty());
    }

    #[test]
    fn constant_and_wide_columns() {
        let mut ds = fixture();
        for r in &mut ds.rows {
            r.values[0] = 5.0;
            r.cells[0] = Cell::Present;
        }
        let h = histogram(&ds, 0, None).unwrap();
        assert_eq!(
            (h.edges.as_slice(), h.all.as_slice()),
            (&[5.0, 5.0][..], &[14][..])
        );
        let h = histogram(&ds, 0, Some(7)).unwrap();
        assert_eq!(h.all, [14]);
        let s = column_summary(&ds, 0).unwrap();
        assert_eq!((s.sd, s.distinct), (Some(0.0), 1));
        // A range that overflows f64 is an error, not a panic or an infinite edge.
        ds.rows[0].values[0] = -f64::MAX;
        ds.rows[1].values[0] = f64::MAX;
        assert!(histogram(&ds, 0, None).is_err());
        let report = summarize(&ds);
        assert_eq!(report.histograms.len(), 3);
        serde_json::to_string(&report).unwrap();
        ds.rows[0].values[0] = f64::MAX;
        let report = summarize(&ds);
        assert_eq!(
            report.columns[0].mean, None,
            "the sum overflows: undefined, not inf"
        );
        assert_eq!(report.columns[0].sd, None);
        serde_json::to_string(&report).unwrap();
    }

    #[test]
    fn box_by_label_matches_numpy() {
        let ds = fixture();
        let (pos, neg, all) = box_by_label(&ds, 0).unwrap();
        let all = all.unwrap();
        assert_eq!((all.q1, all.median, all.q3), (9.5, 13.5, 17.25));
        assert_eq!((all.whisker_low, all.whisker_high), (3.25, 22.5));
        assert_eq!((all.outliers, all.count), (1, 10));
        let pos = pos.unwrap();
        assert_eq!((pos.q1, pos.median, pos.q3), (16.5, 20.25, 26.875));
        assert_eq!(
            (pos.whisker_low, pos.whisker_high, pos.outliers, pos.count),
            (12.0, 40.0, 0, 4)
        );
        let neg = neg.unwrap();
        assert_eq!((neg.q1, neg.median, neg.q3), (9.0, 11.0, 15.0));
        assert_eq!(
            (neg.whisker_low, neg.whisker_high, neg.outliers, neg.count),
            (7.0, 15.0, 0, 5)
        );
        assert_eq!(box_by_label(&ds, 3).unwrap(), (None, None, None));
        assert!(box_by_label(&ds, 4).is_err());
    }

    #[test]
    fn correlation_matches_pandas() {
        let ds = fixture();
        let c = correlation(&ds, true);
        assert_eq!(c.names, ["A", "B", "C", "F", "y"]);
        let v = &c.values;
        assert_close(v[0][1], 0.371_417_784_795_791_8);
        assert_close(v[1][0], 0.371_417_784_795_791_8);
        assert_close(v[0][4], 0.621_118_507_052_852_2);
        assert_close(v[1][4], 0.448_542_613_572_530_4);
        for k in [0, 1, 4] {
            assert_eq!(v[k][k], Some(1.0));
        }
        // Three-level categorical and an empty column: undefined everywhere.
        assert!(v[2].iter().chain(&v[3]).all(Option::is_none));
        assert!(v.iter().all(|row| row[2].is_none() && row[3].is_none()));
        let c = correlation(&ds, false);
        assert_eq!(c.names.len(), 4);

        // Fewer than three pairs, or zero variance: None.
        let mut few = fixture();
        few.rows.truncate(2);
        assert_eq!(correlation(&few, false).values[0][1], None);
        assert_eq!(correlation(&few, false).values[0][0], None);
    }

    #[test]
    fn scatter_keeps_complete_pairs() {
        let ds = fixture();
        let pts = scatter(&ds, 0, 1).unwrap();
        assert_eq!(pts.len(), 10);
        assert_eq!(pts[0], (12.0, 1.0, Some(true)));
        assert_eq!(pts[6], (3.25, 0.0, None));
        assert!(scatter(&ds, 0, 3).unwrap().is_empty());
        assert!(scatter(&ds, 0, 4).is_err());
    }

    #[test]
    fn summarize_collects_everything_and_serialises() {
        let ds = fixture();
        let r = summarize(&ds);
        assert_eq!((r.source.as_str(), r.schema.as_str()), ("toy.csv", "toy"));
        assert_eq!((r.rows, r.valid_rows), (14, 13));
        assert_eq!(
            (r.errors, r.warnings),
            (1, 3),
            "invalid A; out of range, 2 labels"
        );
        assert_eq!(r.columns.len(), 4);
        assert_eq!(r.histograms.len(), 4);
        assert_eq!(r.correlation.names.last().map(String::as_str), Some("y"));
        let json = serde_json::to_string(&r).unwrap();
        let back: EdaReport = serde_json::from_str(&json).unwrap();
        assert_eq!(back, r);
    }

    #[test]
    fn empty_dataset_is_fine() {
        let mut ds = fixture();
        ds.rows.clear();
        let r = summarize(&ds);
        assert_eq!(r.columns[0].missing_fraction, None);
        assert_eq!(r.class_balance, None);
        assert!(r.histograms.iter().all(|h| h.edges.is_empty()));
        serde_json::to_string(&r).unwrap();
    }
}
