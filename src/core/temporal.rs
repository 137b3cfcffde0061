//! Time-aware features for time-series schemas (one row per patient and hour, such as the
//! PhysioNet 2019 ICU data), computed per patient from past and present rows only.
//!
//! What is computed is data: the schema's [`TemporalSpec`](super::schema::TemporalSpec) names the time column, the static
//! columns and the trend columns with their windows; no column is named here. One
//! implementation serves training, batch prediction and the bedside form.
//!
//! # Rows and time
//!
//! A patient's rows are processed in order. Each row has a *clock*: the largest finite value
//! of the time column seen so far in the patient (0 while none has been seen), so the clock
//! never goes back and a blank or repeated time means "no time has passed". Features of row
//! `t` depend only on rows `..=t` of the same patient, never on later rows or other patients.
//!
//! # Output columns, in order
//!
//! 1. each static column (spec order), under its own name: its last observed value;
//! 2. for each measured variable (every feature that is neither static nor the time column),
//!    in schema order:
//!    - `{v}_last`: last observed value (forward fill), NaN if never observed;
//!    - `{v}_hours_since`: clock minus the clock of the last observation, NaN if never;
//!    - `{v}_measured`: 1 if observed in this row, else 0;
//!    - `{v}_measured_frac`: observed rows so far / rows so far;
//! 3. for each window `w` (hours) and each trend column `v` (spec order):
//!    - `{v}_delta_{w}h`: `{v}_last` minus the last value observed at a clock at or before
//!      `clock - w`; NaN if either is unknown;
//!    - `{v}_mean_{w}h`, `{v}_min_{w}h`, `{v}_max_{w}h`, `{v}_sd_{w}h`: mean, minimum, maximum
//!      and population standard deviation of the values observed at clocks in
//!      `(clock - w, clock]`; NaN when there are none (the deviation of one value is 0).
//!
//! Unknown outputs are NaN; the preprocessing pipeline imputes them later.
//!
//! # Speed
//!
//! One pass per patient; windows keep small ring buffers, and state is reused across patients,
//! so there is no allocation per row. Output goes straight into the result matrix.

use std::collections::{HashMap, VecDeque};
use std::ops::Range;

use super::dataset::Dataset;
use super::schema::{Column, ColumnKind, ResolvedTemporal, Schema};
use super::{Error, Matrix, Result};

/// Output columns per measured variable.
const PER_MEASURED: usize = 4;
/// Output columns per trend column and window.
const PER_TREND: usize = 5;

/// The resolved layout of a schema's temporal features.
#[derive(Debug, Clone, PartialEq)]
struct Layout {
    r: ResolvedTemporal,
    n_inputs: usize,
}

impl Layout {
    fn new(schema: &Schema) -> Result<Self> {
        Ok(Layout {
            r: schema.resolve_temporal()?,
            n_inputs: schema.features.len(),
        })
    }

    fn n_outputs(&self) -> usize {
        self.r.statics.len()
            + PER_MEASURED * self.r.measured.len()
            + PER_TREND * self.r.trends.len() * self.r.windows.len()
    }
}

/// Observations of one trend column within one window.
#[derive(Debug, Clone, Default)]
struct Ring {
    /// `(clock, value)` of the observations with clock in `(now - w, now]`, oldest first.
    buf: VecDeque<(f64, f64)>,
    /// Last value observed at a clock at or before `now - w`.
    before: f64,
}

/// Per-patient running state, reused across patients.
#[derive(Debug, Clone)]
struct State {
    layout: Layout,
    /// Per schema feature: last observed value, its clock, number of observed rows.
    last: Vec<f64>,
    last_clock: Vec<f64>,
    count: Vec<u32>,
    /// One ring per (window, trend column), window-major.
    rings: Vec<Ring>,
    clock: f64,
    rows: usize,
}

impl State {
    fn new(layout: Layout) -> Self {
        let n = layout.n_inputs;
        let rings = vec![Ring::default(); layout.r.trends.len() * layout.r.windows.len()];
        let mut s = State {
            layout,
            last: vec![f64::NAN; n],
            last_clock: vec![f64::NAN; n],
            count: vec![0; n],
            rings,
            clock: f64::NEG_INFINITY,
            rows: 0,
        };
        s.reset();
        s
    }

    fn reset(&mut self) {
        self.last.fill(f64::NAN);
        self.last_clock.fill(f64::NAN);
        self.count.fill(0);
        for r in &mut self.rings {
            r.buf.clear();
            r.before = f64::NAN;
        }
        self.clock = f64::NEG_INFINITY;
        self.rows = 0;
    }

    /// Consumes the next row of the patient (`row.len() == n_inputs`, checked by callers)
    /// and writes its features into `out` (`out.len() == n_outputs`).
    fn step(&mut self, row: &[f64], out: &mut [f64]) {
        let r = &self.layout.r;
        let t = row[r.time];
        self.clock = if t.is_finite() {
            self.clock.max(t)
        } else if self.clock == f64::NEG_INFINITY {
            0.0
        } else {
            self.clock
        };
        let now = self.clock;
        self.rows += 1;
        for (j, &v) in row.iter().enumerate() {
            if v.is_finite() {
                self.last[j] = v;
                self.last_clock[j] = now;
                self.count[j] = self.count[j].saturating_add(1);
            }
        }
        let mut k = 0;
        for &j in &r.statics {
            out[k] = self.last[j];
            k += 1;
        }
        let rows = self.rows as f64;
        for &j in &r.measured {
            let measured = row[j].is_finite();
            out[k] = self.last[j];
            out[k + 1] = now - self.last_clock[j];
            out[k + 2] = if measured { 1.0 } else { 0.0 };
            out[k + 3] = f64::from(self.count[j]) / rows;
            k += PER_MEASURED;
        }
        let mut ring = 0;
        for &w in &r.windows {
            let start = now - w as f64;
            for &j in &r.trends {
                let rg = &mut self.rings[ring];
                ring += 1;
                let v = row[j];
                if v.is_finite() {
                    rg.buf.push_back((now, v));
                }
                while let Some(&(c, old)) = rg.buf.front() {
                    if c > start {
                        break;
                    }
                    rg.before = old;
                    rg.buf.pop_front();
                }
                out[k] = self.last[j] - rg.before;
                let n = rg.buf.len();
                if n == 0 {
                    out[k + 1..k + PER_TREND].fill(f64::NAN);
                } else {
                    let (mut sum, mut lo, mut hi) = (0.0, f64::INFINITY, f64::NEG_INFINITY);
                    for &(_, x) in &rg.buf {
                        sum += x;
                        lo = lo.min(x);
                        hi = hi.max(x);
                    }
                    let mean = sum / n as f64;
                    let ss: f64 = rg.buf.iter().map(|&(_, x)| (x - mean) * (x - mean)).sum();
                    out[k + 1] = mean;
                    out[k + 2] = lo;
                    out[k + 3] = hi;
                    out[k + 4] = (ss / n as f64).sqrt();
                }
                k += PER_TREND;
            }
        }
    }
}

/// Names of the time-aware feature columns of `schema`, in output order (see the module
/// documentation). Empty when the schema has no valid temporal section.
pub fn feature_names(schema: &Schema) -> Vec<String> {
    feature_columns(schema)
        .map(|cols| cols.into_iter().map(|c| c.name).collect())
        .unwrap_or_default()
}

/// The time-aware feature columns of `schema` as schema columns (name, label, unit,
/// description, kind): statics keep their column, `_measured` indicators are binary, the rest
/// numeric; no ranges (the values are computed, not read).
pub fn feature_columns(schema: &Schema) -> Result<Vec<Column>> {
    let layout = Layout::new(schema)?;
    let r = &layout.r;
    let mut cols = Vec::with_capacity(layout.n_outputs());
    let derived = |name: String, label: String, unit: &str, description: String, kind| Column {
        name,
        aliases: Vec::new(),
        label,
        unit: unit.to_string(),
        description,
        kind,
        range: None,
        missing_values: Vec::new(),
        required: false,
    };
    for &j in &r.statics {
        let c = &schema.features[j];
        cols.push(derived(
            c.name.clone(),
            c.label.clone(),
            &c.unit,
            format!("{} (last known value)", c.description.trim_end_matches('.')),
            c.kind.clone(),
        ));
    }
    for &j in &r.measured {
        let c = &schema.features[j];
        let (n, l) = (&c.name, &c.label);
        cols.push(derived(
            format!("{n}_last"),
            format!("{l}, last value"),
            &c.unit,
            format!(
                "Last observed {l} up to this hour (carried forward); unknown if never measured."
            ),
            c.kind.clone(),
        ));
        cols.push(derived(
            format!("{n}_hours_since"),
            format!("{l}, hours since measured"),
            "hours",
            format!("Hours since {l} was last measured (0 if measured this hour); unknown if never measured."),
            ColumnKind::Numeric,
        ));
        cols.push(derived(
            format!("{n}_measured"),
            format!("{l} measured this hour"),
            "0/1",
            format!("1 if {l} was measured in this hour, 0 otherwise."),
            ColumnKind::Binary,
        ));
        cols.push(derived(
            format!("{n}_measured_frac"),
            format!("{l}, fraction of hours measured"),
            "fraction",
            format!("Fraction of this patient's rows so far in which {l} was measured."),
            ColumnKind::Numeric,
        ));
    }
    for &w in &r.windows {
        for &j in &r.trends {
            let c = &schema.features[j];
            let (n, l, u) = (&c.name, &c.label, c.unit.as_str());
            let stat = |s: &str, what: &str| {
                derived(
                    format!("{n}_{s}_{w}h"),
                    format!("{l}, {what} over {w} h"),
                    u,
                    format!(
                        "{} of the {l} values measured in the last {w} hours (this hour included); unknown if none.",
                        capitalise(what)
                    ),
                    ColumnKind::Numeric,
                )
            };
            cols.push(derived(
                format!("{n}_delta_{w}h"),
                format!("{l}, change over {w} h"),
                u,
                format!("Last {l} minus the last {l} measured {w} or more hours earlier; unknown if either is unknown."),
                ColumnKind::Numeric,
            ));
            cols.push(stat("mean", "mean"));
            cols.push(stat("min", "minimum"));
            cols.push(stat("max", "maximum"));
            cols.push(stat("sd", "standard deviation"));
        }
    }
    Ok(cols)
}

/// For each time-aware feature column (in [`feature_names`] order), the index of the schema
/// feature it is computed from: a static column's own index, a measured variable's index for
/// its four columns, a trend column's index for its window statistics.
pub fn feature_sources(schema: &Schema) -> Result<Vec<usize>> {
    let layout = Layout::new(schema)?;
    let r = &layout.r;
    let mut out = Vec::with_capacity(layout.n_outputs());
    out.extend(r.statics.iter().copied());
    for &j in &r.measured {
        out.extend(std::iter::repeat_n(j, PER_MEASURED));
    }
    for _ in &r.windows {
        for &j in &r.trends {
            out.extend(std::iter::repeat_n(j, PER_TREND));
        }
    }
    Ok(out)
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// The schema of the time-aware features: `schema` with its features replaced by
/// [`feature_columns`] and no temporal section (ID, label, model-card text unchanged). Use it
/// wherever a schema describes the model's inputs (preprocessing, bundle, explanations).
pub fn feature_schema(schema: &Schema) -> Result<Schema> {
    let mut s = schema.clone();
    s.features = feature_columns(schema)?;
    s.temporal = None;
    // The evidence rule is about the measured variables: the data schema applies it.
    s.evidence = None;
    s.validate()?;
    Ok(s)
}

/// Time-aware features of one patient. `rows` are the patient's rows in time order, each
/// with one value per schema feature in schema order (NaN = missing). Returns one output row
/// per input row (columns: [`feature_names`]). Errors when the schema has no valid temporal
/// section or a row has the wrong width.
pub fn patient_features(schema: &Schema, rows: &[&[f64]]) -> Result<Matrix> {
    let layout = Layout::new(schema)?;
    let (n_in, n_out) = (layout.n_inputs, layout.n_outputs());
    if let Some(bad) = rows.iter().find(|r| r.len() != n_in) {
        return Err(Error::ShapeMismatch {
            expected: n_in,
            got: bad.len(),
        });
    }
    let mut data = vec![f64::NAN; rows.len() * n_out];
    let mut state = State::new(layout);
    for (row, out) in rows.iter().zip(data.chunks_exact_mut(n_out.max(1))) {
        state.step(row, &mut out[..n_out]);
    }
    Matrix::new(rows.len(), n_out, data)
}

/// Features of the last row only: the bedside case, where `rows` are the previous hours (any
/// number, possibly none) followed by the current hour. Errors as [`patient_features`], and
/// when `rows` is empty.
pub fn latest_features(schema: &Schema, rows: &[&[f64]]) -> Result<Vec<f64>> {
    if rows.is_empty() {
        return Err(Error::InsufficientData(
            "time-aware features need at least the current row".into(),
        ));
    }
    let m = patient_features(schema, rows)?;
    Ok(m.row(m.rows() - 1).to_vec())
}

/// One patient's block of output rows in [`dataset_features`].
#[derive(Debug, Clone, PartialEq)]
pub struct PatientRange {
    /// The patient ID (the value of the ID column; empty when the dataset has none).
    pub id: String,
    /// The patient's output rows (and positions in the row-index vector).
    pub rows: Range<usize>,
    /// Whether the patient's rows were not in time order in the dataset and were reordered
    /// (stably, by time; a row with a blank time stays after the row before it).
    pub reordered: bool,
}

/// Time-aware features of a whole dataset. Rows are grouped by the ID column (patients in
/// order of first appearance, each patient's rows in dataset order; without an ID column the
/// whole dataset is one patient), each patient's rows are put in time order (a stable sort,
/// needed only when they are not already), and [`patient_features`] is applied per patient.
///
/// Returns the feature matrix, for each output row the index of its row in
/// [`Dataset::rows`], and the patients' output ranges. Every row is included, also rows with
/// errors (their unreadable cells count as missing); callers decide which rows to score or
/// train on by the row index.
pub fn dataset_features(ds: &Dataset) -> Result<(Matrix, Vec<usize>, Vec<PatientRange>)> {
    dataset_features_for(&ds.schema, ds)
}

/// [`dataset_features`] with the temporal section of `schema` instead of the dataset's own,
/// e.g. a model bundle's (whose windows may differ from the built-in schema the data was read
/// with). Errors unless `schema` has the same variables, in the same order, as the dataset.
pub fn dataset_features_for(
    schema: &Schema,
    ds: &Dataset,
) -> Result<(Matrix, Vec<usize>, Vec<PatientRange>)> {
    if schema.feature_names() != ds.schema.feature_names() {
        return Err(Error::Header(format!(
            "{}: the data's variables (schema `{}`) differ from the model's (schema `{}`)",
            ds.source, ds.schema.name, schema.name
        )));
    }
    let layout = Layout::new(schema)?;
    let (n_in, n_out, time) = (layout.n_inputs, layout.n_outputs(), layout.r.time);
    if let Some(bad) = ds.rows.iter().find(|r| r.values.len() != n_in) {
        return Err(Error::ShapeMismatch {
            expected: n_in,
            got: bad.values.len(),
        });
    }
    let (order, patients) = patient_order(ds, time);
    let mut data = vec![f64::NAN; ds.rows.len() * n_out];
    let mut state = State::new(layout);
    for p in &patients {
        state.reset();
        for o in p.rows.clone() {
            let at = o * n_out;
            state.step(&ds.rows[order[o]].values, &mut data[at..at + n_out]);
        }
    }
    let m = Matrix::new(order.len(), n_out, data)?;
    Ok((m, order, patients))
}

/// The patients of a dataset and their rows in time order, as [`dataset_features`] orders its
/// output: rows grouped by the ID column (patients in order of first appearance; without an ID
/// column one patient), each patient's rows stably sorted by the time column (`time`, a
/// feature index), carried forward over blanks. Returns the row indices in output order and
/// the patients' ranges in it.
pub fn patient_order(ds: &Dataset, time: usize) -> (Vec<usize>, Vec<PatientRange>) {
    let mut groups: Vec<(&str, Vec<usize>)> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, row) in ds.rows.iter().enumerate() {
        let id = row.id.as_deref().unwrap_or("");
        let g = *index.entry(id).or_insert_with(|| {
            groups.push((id, Vec::new()));
            groups.len() - 1
        });
        groups[g].1.push(i);
    }
    let mut order = Vec::with_capacity(ds.rows.len());
    let mut patients = Vec::with_capacity(groups.len());
    let mut keys: Vec<f64> = Vec::new();
    for (id, mut idx) in groups {
        // Sort key: the time, carried forward over blanks (so a blank stays in place).
        keys.clear();
        let mut k = f64::NEG_INFINITY;
        for &i in &idx {
            let t = ds.rows[i].values.get(time).copied().unwrap_or(f64::NAN);
            if t.is_finite() {
                k = t;
            }
            keys.push(k);
        }
        let reordered = keys.windows(2).any(|w| w[1] < w[0]);
        if reordered {
            let mut pairs: Vec<(f64, usize)> = keys.iter().copied().zip(idx).collect();
            pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
            idx = pairs.into_iter().map(|p| p.1).collect();
        }
        let start = order.len();
        order.extend(idx);
        patients.push(PatientRange {
            id: id.to_string(),
            rows: start..order.len(),
            reordered,
        });
    }
    (order, patients)
}

/// ICU hour of each of `rows` (one patient's rows in time order): the time column's value,
/// carried forward over blanks and never decreasing (0 before the first known time), as the
/// utility evaluation needs.
pub fn patient_hours<'a>(rows: impl IntoIterator<Item = &'a [f64]>, time: usize) -> Vec<f64> {
    let mut hour = 0.0_f64;
    rows.into_iter()
        .map(|r| {
            if let Some(&t) = r.get(time).filter(|t| t.is_finite()) {
                hour = hour.max(t);
            }
            hour
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::csv;
    use crate::core::schema;

    const TOY: &str = r#"{
        "name": "toy", "title": "Toy time series",
        "id": { "name": "pid" },
        "label": { "name": "label", "positive": ["1"], "negative": ["0"] },
        "features": [
            { "name": "T", "label": "Time", "unit": "hours", "kind": { "type": "numeric" } },
            { "name": "A", "label": "Age", "unit": "years", "kind": { "type": "numeric" } },
            { "name": "X", "label": "Pulse", "unit": "bpm", "kind": { "type": "numeric" } },
            { "name": "Y", "label": "Lab", "unit": "mg", "kind": { "type": "numeric" } }
        ],
        "temporal": { "time_column": "T", "static_columns": ["A", "T"],
                      "trend_columns": ["X"], "windows": [2] }
    }"#;

    fn toy() -> Schema {
        Schema::from_json(TOY).unwrap()
    }

    const N: f64 = f64::NAN;

    /// Bitwise equality with NaN equal to NaN (any payload).
    fn same(a: f64, b: f64) -> bool {
        (a.is_nan() && b.is_nan()) || a.to_bits() == b.to_bits()
    }

    fn assert_rows(m: &Matrix, want: &[&[f64]]) {
        assert_eq!(m.rows(), want.len());
        for (i, w) in want.iter().enumerate() {
            assert_eq!(m.row(i).len(), w.len());
            for (j, (&g, &e)) in m.row(i).iter().zip(w.iter()).enumerate() {
                assert!(
                    same(g, e) || (g - e).abs() < 1e-12,
                    "row {i}, column {} ({j}): got {g}, want {e}",
                    feature_names(&toy())[j]
                );
            }
        }
    }

    #[test]
    fn names_follow_the_spec() {
        assert_eq!(
            feature_names(&toy()),
            [
                "A",
                "T",
                "X_last",
                "X_hours_since",
                "X_measured",
                "X_measured_frac",
                "Y_last",
                "Y_hours_since",
                "Y_measured",
                "Y_measured_frac",
                "X_delta_2h",
                "X_mean_2h",
                "X_min_2h",
                "X_max_2h",
                "X_sd_2h"
            ]
        );
        assert!(feature_names(&schema::builtin("seed").unwrap()).is_empty());
    }

    #[test]
    fn hand_computed_tiny_patient() {
        // T, A, X, Y. Row 3 skips an hour; row 4 has a blank time (no time passes).
        let rows: [&[f64]; 6] = [
            &[1.0, 50.0, 10.0, N],
            &[2.0, N, N, 5.0],
            &[3.0, 50.0, 14.0, N],
            &[5.0, 50.0, N, N],
            &[N, 50.0, 20.0, 7.0],
            &[6.0, 50.0, 22.0, N],
        ];
        let m = patient_features(&toy(), &rows).unwrap();
        #[rustfmt::skip]
        let want: [&[f64]; 6] = [
            // A, T | X last, since, measured, frac | Y ... | X delta, mean, min, max, sd (2 h)
            &[50.0, 1.0, 10.0, 0.0, 1.0, 1.0, N, N, 0.0, 0.0, N, 10.0, 10.0, 10.0, 0.0],
            &[50.0, 2.0, 10.0, 1.0, 0.0, 0.5, 5.0, 0.0, 1.0, 0.5, N, 10.0, 10.0, 10.0, 0.0],
            &[50.0, 3.0, 14.0, 0.0, 1.0, 2.0 / 3.0, 5.0, 1.0, 0.0, 1.0 / 3.0,
              4.0, 14.0, 14.0, 14.0, 0.0],
            &[50.0, 5.0, 14.0, 2.0, 0.0, 0.5, 5.0, 3.0, 0.0, 0.25, 0.0, N, N, N, N],
            &[50.0, 5.0, 20.0, 0.0, 1.0, 0.6, 7.0, 0.0, 1.0, 0.4, 6.0, 20.0, 20.0, 20.0, 0.0],
            &[50.0, 6.0, 22.0, 0.0, 1.0, 4.0 / 6.0, 7.0, 1.0, 0.0, 2.0 / 6.0,
              8.0, 21.0, 20.0, 22.0, 1.0],
        ];
        assert_rows(&m, &want);
        let last = latest_features(&toy(), &rows).unwrap();
        assert_eq!(last.len(), 15);
        assert!(same(last[14], 1.0));
        assert!(latest_features(&toy(), &[]).is_err());
    }

    #[test]
    fn the_clock_never_goes_back_and_bad_input_does_not_panic() {
        // Time 3 after 5 is treated as 5; infinities count as missing.
        let rows: [&[f64]; 3] = [
            &[5.0, 50.0, 10.0, N],
            &[3.0, 50.0, f64::INFINITY, N],
            &[N, N, N, f64::NEG_INFINITY],
        ];
        let m = patient_features(&toy(), &rows).unwrap();
        assert_eq!(m.get(1, 3), 0.0, "no time has passed");
        assert_eq!(m.get(1, 2), 10.0, "infinity is not an observation");
        assert!(m.get(2, 6).is_nan());
        // A blank first time starts the clock at 0.
        let m = patient_features(&toy(), &[&[N, N, 1.0, N], &[4.0, N, N, N]]).unwrap();
        assert_eq!(m.get(1, 3), 4.0);
        // Wrong widths are errors; no rows is an empty matrix.
        assert!(patient_features(&toy(), &[&[1.0, 2.0]]).is_err());
        assert_eq!(patient_features(&toy(), &[]).unwrap().rows(), 0);
        assert!(patient_features(&schema::builtin("seed").unwrap(), &[]).is_err());
    }

    #[test]
    fn dataset_features_group_by_patient_and_order_by_time() {
        let text = "pid,T,A,X,Y,label\n\
                    p1,1,50,10,NaN,0\n\
                    p2,1,70,80,1,0\n\
                    p1,3,50,14,NaN,0\n\
                    p1,2,50,NaN,5,1\n\
                    p2,2,70,82,NaN,1\n";
        let t = csv::parse(text.as_bytes()).unwrap();
        let ds = Dataset::from_table(&t, &toy(), "toy.csv").unwrap();
        // The step back in time is reported, and no duplicate-ID warnings are given.
        assert_eq!(ds.issues.len(), 1, "{:?}", ds.issues);
        assert!(
            ds.issues[0].reason.contains("not later than"),
            "{}",
            ds.issues[0]
        );
        let (m, order, patients) = dataset_features(&ds).unwrap();
        assert_eq!(order, [0, 3, 2, 1, 4]);
        assert_eq!(
            patients,
            [
                PatientRange {
                    id: "p1".into(),
                    rows: 0..3,
                    reordered: true
                },
                PatientRange {
                    id: "p2".into(),
                    rows: 3..5,
                    reordered: false
                },
            ]
        );
        // p1 in time order: rows at T = 1, 2, 3 equal the patient computation.
        let p1: Vec<&[f64]> = [0, 3, 2]
            .iter()
            .map(|&i| ds.rows[i].values.as_slice())
            .collect();
        let alone = patient_features(&toy(), &p1).unwrap();
        for i in 0..3 {
            assert!(m.row(i).iter().zip(alone.row(i)).all(|(&a, &b)| same(a, b)));
        }
        assert_eq!(m.get(2, 10), 4.0, "X change over 2 h at T = 3: 14 - 10");
    }

    #[test]
    fn icu_feature_schema_is_valid() {
        let icu = schema::builtin("icu").unwrap();
        let names = feature_names(&icu);
        // 6 static, 34 measured variables x 4, 7 vital signs x 5 statistics x 2 windows.
        assert_eq!(names.len(), 6 + 34 * 4 + 7 * 5 * 2);
        let fs = feature_schema(&icu).unwrap();
        assert_eq!(fs.feature_names(), names);
        assert!(fs.temporal.is_none());
        assert_eq!(fs.features[0].name, "Age");
        let hr = fs.feature_index("HR_measured").unwrap();
        assert_eq!(fs.features[hr].kind, ColumnKind::Binary);
        // Every feature maps back to the variable it is computed from.
        let sources = feature_sources(&icu).unwrap();
        assert_eq!(sources.len(), names.len());
        for (name, &src) in names.iter().zip(&sources) {
            let var = &icu.features[src].name;
            assert!(
                name == var || name.starts_with(&format!("{var}_")),
                "{name} from {var}"
            );
        }
    }
}
