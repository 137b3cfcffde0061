//! Shared machinery of the tree ensembles ([`super::forest`], [`super::boosting`]).
//!
//! - [`Binner`] maps each feature to at most 255 ordered bins plus one bin for NaN, so growth
//!   works on a compact column-major `u8` matrix with per-node histograms.
//! - [`Tree`] is a flat vector of [`Node`]s. Prediction walks raw `f64` rows (thresholds are
//!   real values, not bin numbers), so a fitted tree does not need the binner.
//! - Growth is depth-first and deterministic, with two split criteria: weighted Gini (random
//!   forest; node value = weighted fraction of positives) and the second-order gradient gain
//!   `G²/(H+λ)` (gradient boosting; node value = `-G/(H+λ)`). Each split learns where NaN goes.
//! - [`Tree::contributions`] gives path ("Saabas") attributions; growth also returns the
//!   impurity decrease (or loss reduction) per feature, from which the ensembles compute their
//!   feature importances once (trees do not store per-node gains or covers: bundles are
//!   embedded in the browser build).

use serde::{Deserialize, Serialize};

use crate::core::rng::Rng;
use crate::core::{Error, Matrix, Result};

/// Largest number of non-missing bins per feature (the NaN bin comes on top, so every bin
/// index fits in a `u8`).
pub const MAX_BINS: usize = 255;

/// Minimum hessian sum on each side of a gradient split (scikit-learn's
/// `min_hessian_to_split`).
const MIN_HESSIAN: f64 = 1e-3;

/// Guard added to `H + λ` in gradient node values, as scikit-learn does.
const HESSIAN_EPS: f64 = 1e-15;

// ---------------------------------------------------------------------------------------------
// Shared parameter types
// ---------------------------------------------------------------------------------------------

/// How many features are candidates at each split.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub enum MaxFeatures {
    /// Every feature at every split.
    #[default]
    All,
    /// `max(1, floor(sqrt(n_features)))` features per split.
    Sqrt,
    /// `max(1, floor(fraction * n_features))` features per split; `fraction` in `(0, 1]`.
    Fraction(f64),
}

impl MaxFeatures {
    /// Number of candidate features per split for `n_features` features; errors on a fraction
    /// outside `(0, 1]`.
    pub fn resolve(&self, n_features: usize) -> Result<usize> {
        let k = match *self {
            MaxFeatures::All => n_features,
            MaxFeatures::Sqrt => (n_features as f64).sqrt().floor() as usize,
            MaxFeatures::Fraction(f) => {
                if !(f > 0.0 && f <= 1.0) {
                    return Err(Error::param(
                        "max_features",
                        format!("fraction must be in (0, 1], got {f}"),
                    ));
                }
                (f * n_features as f64).floor() as usize
            }
        };
        Ok(k.clamp(1, n_features.max(1)))
    }
}

/// Class re-weighting applied on top of any sample weights.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum ClassWeight {
    /// Sample weights are used as given.
    #[default]
    None,
    /// Each class gets weight `n / (2 * n_class)` (scikit-learn's `"balanced"`, computed from
    /// row counts), multiplied into the sample weights.
    Balanced,
}

/// Validates training inputs shared by both ensembles and returns the effective per-row
/// weights (sample weights times class weights).
pub(crate) fn training_weights(
    x: &Matrix,
    y: &[bool],
    weights: Option<&[f64]>,
    class_weight: ClassWeight,
) -> Result<Vec<f64>> {
    let n = x.rows();
    if n == 0 {
        return Err(Error::InsufficientData("no training rows".into()));
    }
    if x.cols() == 0 {
        return Err(Error::InsufficientData("no features".into()));
    }
    if n > u32::MAX as usize {
        return Err(Error::InsufficientData(format!(
            "{n} rows exceed the supported maximum of {}",
            u32::MAX
        )));
    }
    if y.len() != n {
        return Err(Error::param(
            "y",
            format!("{} labels for {n} rows", y.len()),
        ));
    }
    let mut w = match weights {
        Some(w) => {
            if w.len() != n {
                return Err(Error::param(
                    "weights",
                    format!("{} weights for {n} rows", w.len()),
                ));
            }
            if let Some(bad) = w.iter().find(|v| !(v.is_finite() && **v >= 0.0)) {
                return Err(Error::param(
                    "weights",
                    format!("weights must be finite and non-negative, got {bad}"),
                ));
            }
            w.to_vec()
        }
        None => vec![1.0; n],
    };
    let n_pos = y.iter().filter(|&&v| v).count();
    if n_pos == 0 || n_pos == n {
        return Err(Error::InsufficientData(
            "training labels contain a single class".into(),
        ));
    }
    if class_weight == ClassWeight::Balanced {
        let wp = n as f64 / (2.0 * n_pos as f64);
        let wn = n as f64 / (2.0 * (n - n_pos) as f64);
        for (wi, &yi) in w.iter_mut().zip(y) {
            *wi *= if yi { wp } else { wn };
        }
    }
    let (mut sp, mut sn) = (0.0, 0.0);
    for (&wi, &yi) in w.iter().zip(y) {
        if yi {
            sp += wi;
        } else {
            sn += wi;
        }
    }
    if !(sp > 0.0 && sn > 0.0 && (sp + sn).is_finite()) {
        return Err(Error::InsufficientData(
            "both classes need a positive (finite) total weight".into(),
        ));
    }
    Ok(w)
}

/// Checks the stored feature importances of an ensemble read from JSON: one finite,
/// non-negative value per feature.
pub(crate) fn check_importances(importances: &[f64], n_features: usize) -> Result<()> {
    if importances.len() != n_features {
        return Err(Error::Bundle(format!(
            "{} feature importances for {n_features} features",
            importances.len()
        )));
    }
    if importances.iter().any(|v| !(v.is_finite() && *v >= 0.0)) {
        return Err(Error::Bundle(
            "feature importances must be finite and non-negative".into(),
        ));
    }
    Ok(())
}

/// Checks that `row` has `expected` entries.
pub(crate) fn check_width(expected: usize, got: usize) -> Result<()> {
    if expected == got {
        Ok(())
    } else {
        Err(Error::ShapeMismatch { expected, got })
    }
}

// ---------------------------------------------------------------------------------------------
// Binner
// ---------------------------------------------------------------------------------------------

/// Per-feature binning of a training matrix.
///
/// For each feature, with `m` distinct non-NaN values: if `m <= max_bins`, every distinct value
/// gets its own bin and the thresholds are the midpoints between consecutive distinct values
/// (scikit-learn's `_BinMapper`, whose `max_bins` also excludes the missing bin); otherwise the
/// thresholds are the `k / max_bins` percentiles (`k = 1..max_bins-1`, numpy's "midpoint"
/// method), de-duplicated. A value `x` falls into bin `#{thresholds < x}`, so
/// `bin <= b` exactly when `x <= thresholds[b]`. NaN goes to its own bin, numbered
/// [`Binner::n_bins`] (one past the last value bin).
#[derive(Debug, Clone, PartialEq)]
pub struct Binner {
    thresholds: Vec<Vec<f64>>,
    /// The distinct values per feature when each has its own bin (exact mode).
    values: Vec<Option<Vec<f64>>>,
}

impl Binner {
    /// Fits the bins on `x`. `max_bins` (non-missing bins per feature) must be in `2..=255`.
    pub fn fit(x: &Matrix, max_bins: usize) -> Result<Binner> {
        if !(2..=MAX_BINS).contains(&max_bins) {
            return Err(Error::param(
                "max_bins",
                format!("must be in 2..={MAX_BINS}, got {max_bins}"),
            ));
        }
        if x.rows() == 0 || x.cols() == 0 {
            return Err(Error::InsufficientData(
                "binning needs at least one row and one column".into(),
            ));
        }
        let mut thresholds = Vec::with_capacity(x.cols());
        let mut values = Vec::with_capacity(x.cols());
        let mut col = Vec::with_capacity(x.rows());
        for j in 0..x.cols() {
            col.clear();
            col.extend(x.iter_rows().map(|r| r[j]).filter(|v| !v.is_nan()));
            col.sort_unstable_by(f64::total_cmp);
            let mut distinct = col.clone();
            distinct.dedup_by(|a, b| *a == *b);
            if distinct.len() <= max_bins {
                let t = distinct
                    .windows(2)
                    .map(|w| {
                        let mid = (w[0] + w[1]) * 0.5;
                        // Keep `a <= t < b` even when rounding or overflow breaks the midpoint.
                        if mid >= w[0] && mid < w[1] { mid } else { w[0] }
                    })
                    .collect();
                thresholds.push(t);
                values.push(Some(distinct));
            } else {
                let n = col.len();
                let mut t: Vec<f64> = (1..max_bins)
                    .map(|k| {
                        let idx = k as f64 * (n - 1) as f64 / max_bins as f64;
                        let lo = col[idx.floor() as usize];
                        let hi = col[(idx.ceil() as usize).min(n - 1)];
                        if idx.fract() == 0.0 {
                            lo
                        } else {
                            let mid = hi - (hi - lo) * 0.5;
                            if mid.is_finite() { mid } else { lo }
                        }
                    })
                    .collect();
                t.dedup_by(|a, b| *a == *b);
                thresholds.push(t);
                values.push(None);
            }
        }
        Ok(Binner { thresholds, values })
    }

    /// Number of features.
    pub fn n_features(&self) -> usize {
        self.thresholds.len()
    }

    /// Number of non-missing bins of `feature`; also the index of its NaN bin. Panics if
    /// `feature >= n_features()` (an index, not user data).
    pub fn n_bins(&self, feature: usize) -> usize {
        self.thresholds[feature].len() + 1
    }

    /// The bin thresholds of `feature` (ascending; bin `b` holds `thresholds[b-1] < x <=
    /// thresholds[b]`). Panics if `feature >= n_features()`.
    pub fn thresholds(&self, feature: usize) -> &[f64] {
        &self.thresholds[feature]
    }

    /// The bin of value `x` for `feature`. Panics if `feature >= n_features()`.
    pub fn bin(&self, feature: usize, x: f64) -> u8 {
        let t = &self.thresholds[feature];
        if x.is_nan() {
            t.len() as u8 + 1
        } else {
            t.partition_point(|&v| v < x) as u8
        }
    }

    /// Bins `x` into a column-major matrix (`out[feature * rows + row]`).
    pub fn transform(&self, x: &Matrix) -> Result<Vec<u8>> {
        check_width(self.n_features(), x.cols())?;
        let n = x.rows();
        let mut out = vec![0u8; n * x.cols()];
        for (j, col) in out.chunks_exact_mut(n.max(1)).enumerate().take(x.cols()) {
            for (i, slot) in col.iter_mut().enumerate().take(n) {
                *slot = self.bin(j, x.get(i, j));
            }
        }
        Ok(out)
    }
}

// ---------------------------------------------------------------------------------------------
// Tree
// ---------------------------------------------------------------------------------------------

/// One node of a [`Tree`]. Leaves have `left == right == Node::LEAF`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Node {
    /// Split feature (unused in leaves).
    pub feature: u32,
    /// A non-NaN `x` goes left when `x <= threshold` (may be `+inf`: everything but NaN left).
    #[serde(with = "nonfinite_f64")]
    pub threshold: f64,
    /// Where NaN goes: the side that gave the better gain in training, or, if the node saw no
    /// NaN in training, the side that received more training rows.
    pub missing_left: bool,
    /// Index of the left child, or [`Node::LEAF`].
    pub left: u32,
    /// Index of the right child, or [`Node::LEAF`].
    pub right: u32,
    /// The node's prediction (also for internal nodes; used by path attributions).
    pub value: f64,
}

impl Node {
    /// Child-index sentinel marking a leaf.
    pub const LEAF: u32 = u32::MAX;

    /// Whether this node is a leaf.
    pub fn is_leaf(&self) -> bool {
        self.left == Self::LEAF
    }

    fn leaf(value: f64) -> Node {
        Node {
            feature: 0,
            threshold: 0.0,
            missing_left: false,
            left: Self::LEAF,
            right: Self::LEAF,
            value,
        }
    }

    #[inline]
    fn next(&self, row: &[f64]) -> usize {
        let x = row[self.feature as usize];
        let go_left = if x.is_nan() {
            self.missing_left
        } else {
            x <= self.threshold
        };
        if go_left {
            self.left as usize
        } else {
            self.right as usize
        }
    }
}

/// A fitted binary tree stored as a flat node vector (root at index 0, children always after
/// their parent). Deserialization validates the structure, so a tree from untrusted JSON
/// cannot make prediction panic or loop.
///
/// In JSON a tree is stored column-wise ([`TreeRepr`]), which is about four times smaller than
/// one object per node: bundles are embedded in the browser build.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "TreeRepr", into = "TreeRepr")]
pub struct Tree {
    n_features: usize,
    nodes: Vec<Node>,
}

/// A threshold, serialised with infinities as strings (JSON has no infinity).
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
struct Threshold(#[serde(with = "nonfinite_f64")] f64);

/// Column-wise serial form of a [`Tree`]: one array per node field, index = node.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct TreeRepr {
    n_features: usize,
    /// Split feature; -1 marks a leaf.
    feature: Vec<i64>,
    /// Split threshold (0 for leaves).
    threshold: Vec<Threshold>,
    /// 1 when NaN goes left.
    missing_left: Vec<u8>,
    /// Left child (0 for leaves: the root is nobody's child).
    left: Vec<u32>,
    /// Right child (0 for leaves).
    right: Vec<u32>,
    /// Node value.
    value: Vec<f64>,
}

impl From<Tree> for TreeRepr {
    fn from(t: Tree) -> TreeRepr {
        let n = t.nodes.len();
        let mut r = TreeRepr {
            n_features: t.n_features,
            feature: Vec::with_capacity(n),
            threshold: Vec::with_capacity(n),
            missing_left: Vec::with_capacity(n),
            left: Vec::with_capacity(n),
            right: Vec::with_capacity(n),
            value: Vec::with_capacity(n),
        };
        for node in &t.nodes {
            let leaf = node.is_leaf();
            r.feature
                .push(if leaf { -1 } else { i64::from(node.feature) });
            r.threshold
                .push(Threshold(if leaf { 0.0 } else { node.threshold }));
            r.missing_left.push(u8::from(!leaf && node.missing_left));
            r.left.push(if leaf { 0 } else { node.left });
            r.right.push(if leaf { 0 } else { node.right });
            r.value.push(node.value);
        }
        r
    }
}

impl TryFrom<TreeRepr> for Tree {
    type Error = Error;

    fn try_from(r: TreeRepr) -> Result<Tree> {
        let bad = |msg: String| Err(Error::Bundle(format!("invalid tree: {msg}")));
        let len = r.feature.len();
        if len == 0 {
            return bad("no nodes".into());
        }
        let lens = [
            r.threshold.len(),
            r.missing_left.len(),
            r.left.len(),
            r.right.len(),
            r.value.len(),
        ];
        if lens.iter().any(|&l| l != len) {
            return bad("node arrays of different lengths".into());
        }
        let mut nodes = Vec::with_capacity(len);
        for i in 0..len {
            let node = if r.feature[i] < 0 {
                if r.left[i] != 0 || r.right[i] != 0 {
                    return bad(format!("leaf {i} has children"));
                }
                Node::leaf(r.value[i])
            } else {
                let (l, rt) = (r.left[i] as usize, r.right[i] as usize);
                if l <= i || rt <= i || l >= len || rt >= len || l == rt {
                    return bad(format!("node {i} has invalid children {l}, {rt}"));
                }
                let feature = r.feature[i];
                if feature as u64 >= r.n_features as u64 {
                    return bad(format!("node {i} splits on feature {feature}"));
                }
                let threshold = r.threshold[i].0;
                if threshold.is_nan() {
                    return bad(format!("node {i} has a NaN threshold"));
                }
                Node {
                    feature: feature as u32,
                    threshold,
                    missing_left: r.missing_left[i] != 0,
                    left: r.left[i],
                    right: r.right[i],
                    value: r.value[i],
                }
            };
            nodes.push(node);
        }
        Ok(Tree {
            n_features: r.n_features,
            nodes,
        })
    }
}

impl Tree {
    /// Number of features the tree was fitted on.
    pub fn n_features(&self) -> usize {
        self.n_features
    }

    /// The nodes (root first).
    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    /// Number of leaves.
    pub fn n_leaves(&self) -> usize {
        self.nodes.iter().filter(|n| n.is_leaf()).count()
    }

    /// Depth (edges on the longest root-to-leaf path).
    pub fn depth(&self) -> usize {
        let mut depth = vec![0usize; self.nodes.len()];
        let mut max = 0;
        for (i, n) in self.nodes.iter().enumerate() {
            if !n.is_leaf() {
                let d = depth[i] + 1;
                depth[n.left as usize] = d;
                depth[n.right as usize] = d;
                max = max.max(d);
            }
        }
        max
    }

    /// Index of the leaf that `row` falls into.
    pub fn leaf_index(&self, row: &[f64]) -> Result<usize> {
        check_width(self.n_features, row.len())?;
        Ok(self.leaf_unchecked(row))
    }

    /// The tree's prediction (leaf value) for `row`.
    pub fn predict_row(&self, row: &[f64]) -> Result<f64> {
        check_width(self.n_features, row.len())?;
        Ok(self.predict_unchecked(row))
    }

    /// Path attribution for `row`: `(root value, per-feature contributions)`, where each split
    /// on the path credits `value(child) - value(parent)` to its feature, so
    /// `base + sum(contributions) == leaf value` up to rounding.
    pub fn contributions(&self, row: &[f64]) -> Result<(f64, Vec<f64>)> {
        check_width(self.n_features, row.len())?;
        let mut out = vec![0.0; self.n_features];
        let base = self.add_contributions(row, &mut out);
        Ok((base, out))
    }

    #[inline]
    pub(crate) fn leaf_unchecked(&self, row: &[f64]) -> usize {
        let mut i = 0;
        loop {
            let n = &self.nodes[i];
            if n.is_leaf() {
                return i;
            }
            i = n.next(row);
        }
    }

    #[inline]
    pub(crate) fn predict_unchecked(&self, row: &[f64]) -> f64 {
        self.nodes[self.leaf_unchecked(row)].value
    }

    /// Adds the path attributions of `row` to `out` and returns the root value.
    pub(crate) fn add_contributions(&self, row: &[f64], out: &mut [f64]) -> f64 {
        let mut i = 0;
        loop {
            let n = &self.nodes[i];
            if n.is_leaf() {
                break;
            }
            let next = n.next(row);
            out[n.feature as usize] += self.nodes[next].value - n.value;
            i = next;
        }
        self.nodes[0].value
    }
}

/// Serializes non-finite floats (JSON has no infinity) as the strings `"inf"` / `"-inf"`.
mod nonfinite_f64 {
    use serde::de::{self, Visitor};
    use serde::{Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
        if v.is_finite() {
            s.serialize_f64(*v)
        } else if *v == f64::INFINITY {
            s.serialize_str("inf")
        } else if *v == f64::NEG_INFINITY {
            s.serialize_str("-inf")
        } else {
            s.serialize_str("nan")
        }
    }

    /// A number, or one of the strings above (a visitor, not an untagged enum, which would
    /// buffer every threshold: `crate::core::tagged`).
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = f64;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a number or \"inf\", \"-inf\", \"nan\"")
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<f64, E> {
                Ok(v)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<f64, E> {
                Ok(v as f64)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<f64, E> {
                Ok(v as f64)
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<f64, E> {
                match s {
                    "inf" => Ok(f64::INFINITY),
                    "-inf" => Ok(f64::NEG_INFINITY),
                    "nan" => Ok(f64::NAN),
                    other => Err(E::custom(format!("bad float `{other}`"))),
                }
            }
        }
        d.deserialize_any(V)
    }
}

// ---------------------------------------------------------------------------------------------
// Growth
// ---------------------------------------------------------------------------------------------

/// Split criterion.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Criterion {
    /// Weighted Gini; per-row stats are `(w * y, w)`; node value = weighted positive fraction.
    Gini,
    /// Second-order gain; per-row stats are `(w * grad, w * hess)`; node value `-G/(H+l2)`.
    Gradient {
        /// L2 regularisation of leaf values.
        l2: f64,
    },
}

/// Structural parameters of one tree.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct TreeParams {
    /// Maximum depth (edges from the root); `None` for unlimited.
    pub max_depth: Option<usize>,
    /// Minimum rows in each child.
    pub min_samples_leaf: usize,
    /// Minimum rows in a node for it to be split.
    pub min_samples_split: usize,
    /// Candidate features per split.
    pub max_features: MaxFeatures,
    /// Gini: a split is kept when its weighted impurity decrease is `>= min_gain` (so with 0,
    /// zero-gain splits of impure nodes are kept, as in scikit-learn); gradient: when its gain
    /// is `> min_gain` (scikit-learn's `min_gain_to_split`).
    pub min_gain: f64,
}

impl TreeParams {
    pub(crate) fn validate(&self, n_features: usize) -> Result<()> {
        if self.max_depth == Some(0) {
            return Err(Error::param("max_depth", "must be at least 1"));
        }
        if self.min_samples_leaf == 0 {
            return Err(Error::param("min_samples_leaf", "must be at least 1"));
        }
        if self.min_samples_split < 2 {
            return Err(Error::param("min_samples_split", "must be at least 2"));
        }
        if !(self.min_gain.is_finite() && self.min_gain >= 0.0) {
            return Err(Error::param("min_gain", "must be finite and >= 0"));
        }
        self.max_features.resolve(n_features)?;
        Ok(())
    }
}

/// Histogram cell: sums of the two per-row statistics and the row count.
#[derive(Debug, Clone, Copy, Default)]
struct Bin {
    g: f64,
    h: f64,
    n: u32,
}

/// The binned training data and per-row statistics one tree is grown on.
pub(crate) struct TrainData<'a> {
    /// Bin layout of the features.
    pub binner: &'a Binner,
    /// Column-major binned matrix from [`Binner::transform`].
    pub bins: &'a [u8],
    /// Rows of the binned matrix.
    pub n_rows: usize,
    /// Per-row `(g, h)` statistics (see [`Criterion`]).
    pub stats: &'a [[f64; 2]],
}

#[derive(Debug, Clone, Copy)]
struct Split {
    score: f64,
    feature: usize,
    bin: usize,
    missing_left: bool,
    gl: f64,
    hl: f64,
    nl: u32,
}

struct Pending {
    node: usize,
    start: usize,
    end: usize,
    depth: usize,
    g: f64,
    h: f64,
    hist: Option<Vec<Bin>>,
}

/// Reusable buffers for growing many trees on the same binned data.
pub(crate) struct Grower {
    offsets: Vec<usize>,
    rows: Vec<u32>,
    scratch: Vec<u32>,
    ordered: Vec<[f64; 2]>,
    pool: Vec<Vec<Bin>>,
    perm: Vec<u32>,
}

impl Grower {
    /// Buffers for `binner`'s layout.
    pub(crate) fn new(binner: &Binner) -> Grower {
        let mut offsets = Vec::with_capacity(binner.n_features() + 1);
        let mut total = 0;
        offsets.push(0);
        for f in 0..binner.n_features() {
            total += binner.n_bins(f) + 1;
            offsets.push(total);
        }
        Grower {
            offsets,
            rows: Vec::new(),
            scratch: Vec::new(),
            ordered: Vec::new(),
            pool: Vec::new(),
            perm: Vec::new(),
        }
    }

    fn take_buf(&mut self) -> Vec<Bin> {
        let total = *self.offsets.last().unwrap_or(&0);
        self.pool
            .pop()
            .unwrap_or_else(|| vec![Bin::default(); total])
    }

    fn fill_ordered(&mut self, data: &TrainData, start: usize, end: usize) {
        for (o, &r) in self.ordered[start..end]
            .iter_mut()
            .zip(&self.rows[start..end])
        {
            *o = data.stats[r as usize];
        }
    }

    fn build_feature(
        &self,
        hist: &mut [Bin],
        data: &TrainData,
        f: usize,
        start: usize,
        end: usize,
    ) {
        let hist = &mut hist[self.offsets[f]..self.offsets[f + 1]];
        hist.fill(Bin::default());
        let col = &data.bins[f * data.n_rows..(f + 1) * data.n_rows];
        for (&r, s) in self.rows[start..end].iter().zip(&self.ordered[start..end]) {
            let b = &mut hist[col[r as usize] as usize];
            b.g += s[0];
            b.h += s[1];
            b.n += 1;
        }
    }

    /// Grows one tree on the rows `sample` (each must have positive weight). Node values are
    /// multiplied by `value_scale` (the learning rate for boosting). `params` must have been
    /// validated for `data.binner.n_features()` features.
    ///
    /// Also returns the tree's total split gain per feature (weighted impurity decrease for
    /// Gini trees, loss reduction for gradient trees; summed in node order, not normalised).
    pub(crate) fn grow(
        &mut self,
        data: &TrainData,
        sample: &[u32],
        criterion: Criterion,
        params: &TreeParams,
        value_scale: f64,
        rng: &mut Rng,
    ) -> (Tree, Vec<f64>) {
        let n_features = data.binner.n_features();
        let k = params
            .max_features
            .resolve(n_features)
            .unwrap_or(n_features);
        let full = k >= n_features;
        self.rows.clear();
        self.rows.extend_from_slice(sample);
        self.ordered.resize(self.rows.len(), [0.0; 2]);
        self.perm.clear();
        self.perm.extend(0..n_features as u32);

        let (mut g, mut h) = (0.0, 0.0);
        for &r in &self.rows {
            let s = data.stats[r as usize];
            g += s[0];
            h += s[1];
        }
        let ctx = Ctx {
            criterion,
            params,
            value_scale,
        };
        let mut nodes = vec![Node::leaf(ctx.value(g, h))];
        // Split gain per node (0 for leaves), parallel to `nodes`.
        let mut node_gain = vec![0.0];
        let mut stack = vec![Pending {
            node: 0,
            start: 0,
            end: self.rows.len(),
            depth: 0,
            g,
            h,
            hist: None,
        }];

        while let Some(p) = stack.pop() {
            let n = (p.end - p.start) as u32;
            if ctx.forced_leaf(n, p.g, p.h, p.depth) {
                if let Some(b) = p.hist {
                    self.pool.push(b);
                }
                continue;
            }
            let mut best: Option<Split> = None;
            let hist = if full {
                let hist = match p.hist {
                    Some(b) => b,
                    None => {
                        let mut b = self.take_buf();
                        self.fill_ordered(data, p.start, p.end);
                        for f in 0..n_features {
                            self.build_feature(&mut b, data, f, p.start, p.end);
                        }
                        b
                    }
                };
                for f in 0..n_features {
                    let hf = &hist[self.offsets[f]..self.offsets[f + 1]];
                    ctx.scan(hf, f, p.g, p.h, n, &mut best);
                }
                hist
            } else {
                let mut b = self.take_buf();
                self.fill_ordered(data, p.start, p.end);
                let mut evaluated = 0;
                for i in 0..n_features {
                    if evaluated == k {
                        break;
                    }
                    let j = i + rng.below(n_features - i);
                    self.perm.swap(i, j);
                    let f = self.perm[i] as usize;
                    self.build_feature(&mut b, data, f, p.start, p.end);
                    let hf = &b[self.offsets[f]..self.offsets[f + 1]];
                    if hf.iter().filter(|c| c.n > 0).take(2).count() < 2 {
                        continue; // constant in this node: does not count
                    }
                    evaluated += 1;
                    ctx.scan(hf, f, p.g, p.h, n, &mut best);
                }
                b
            };

            let Some(split) = best else {
                self.pool.push(hist);
                continue;
            };
            let (gl, hl, nl) = (split.gl, split.hl, split.nl);
            let (gr, hr, nr) = (p.g - gl, p.h - hl, n - nl);
            let gain = ctx.gain(&split, p.g, p.h);
            let keep = match criterion {
                Criterion::Gini => gain >= params.min_gain,
                Criterion::Gradient { .. } => gain > params.min_gain,
            };
            if !keep {
                self.pool.push(hist);
                continue;
            }

            // Partition the node's rows (stable, so each child's rows stay ascending).
            let f = split.feature;
            let hf = &hist[self.offsets[f]..self.offsets[f + 1]];
            let threshold = ctx.threshold(data.binner, hf, f, split.bin);
            let missing_bin = data.binner.n_bins(f);
            let missing_left = if hf[missing_bin].n > 0 {
                split.missing_left
            } else {
                nl > nr
            };
            let col = &data.bins[f * data.n_rows..(f + 1) * data.n_rows];
            self.scratch.clear();
            let mut w = p.start;
            for i in p.start..p.end {
                let r = self.rows[i];
                let b = col[r as usize] as usize;
                let left = if b == missing_bin {
                    split.missing_left
                } else {
                    b <= split.bin
                };
                if left {
                    self.rows[w] = r;
                    w += 1;
                } else {
                    self.scratch.push(r);
                }
            }
            let mid = w;
            self.rows[mid..p.end].copy_from_slice(&self.scratch);
            debug_assert_eq!((mid - p.start) as u32, nl);

            let li = nodes.len();
            nodes.push(Node::leaf(ctx.value(gl, hl)));
            nodes.push(Node::leaf(ctx.value(gr, hr)));
            node_gain.extend([0.0, 0.0]);
            let node = &mut nodes[p.node];
            node.feature = f as u32;
            node.threshold = threshold;
            node.missing_left = missing_left;
            node.left = li as u32;
            node.right = li as u32 + 1;
            node_gain[p.node] = gain;

            // Children's histograms: build the smaller, subtract for the larger.
            let d = p.depth + 1;
            let need_l = full && !ctx.forced_leaf(nl, gl, hl, d);
            let need_r = full && !ctx.forced_leaf(nr, gr, hr, d);
            let (mut hist_l, mut hist_r) = (None, None);
            if need_l || need_r {
                let mut parent = hist;
                let mut small = self.take_buf();
                let left_small = nl < nr;
                let (s, e) = if left_small {
                    (p.start, mid)
                } else {
                    (mid, p.end)
                };
                self.fill_ordered(data, s, e);
                for f in 0..n_features {
                    self.build_feature(&mut small, data, f, s, e);
                }
                for (a, b) in parent.iter_mut().zip(&small) {
                    a.g -= b.g;
                    a.h -= b.h;
                    a.n -= b.n;
                }
                let (l, r) = if left_small {
                    (small, parent)
                } else {
                    (parent, small)
                };
                if need_l {
                    hist_l = Some(l);
                } else {
                    self.pool.push(l);
                }
                if need_r {
                    hist_r = Some(r);
                } else {
                    self.pool.push(r);
                }
            } else {
                self.pool.push(hist);
            }
            stack.push(Pending {
                node: li + 1,
                start: mid,
                end: p.end,
                depth: d,
                g: gr,
                h: hr,
                hist: hist_r,
            });
            stack.push(Pending {
                node: li,
                start: p.start,
                end: mid,
                depth: d,
                g: gl,
                h: hl,
                hist: hist_l,
            });
        }
        let mut gains = vec![0.0; n_features];
        for (n, g) in nodes.iter().zip(&node_gain).filter(|(n, _)| !n.is_leaf()) {
            gains[n.feature as usize] += g;
        }
        (Tree { n_features, nodes }, gains)
    }
}

struct Ctx<'a> {
    criterion: Criterion,
    params: &'a TreeParams,
    value_scale: f64,
}

/// Weighted Gini impurity from the positive weight `g` and total weight `h`, in the form
/// scikit-learn uses (`1 - sum_k count_k² / n²`).
#[inline]
fn gini(g: f64, h: f64) -> f64 {
    let neg = h - g;
    1.0 - (g * g + neg * neg) / (h * h)
}

impl Ctx<'_> {
    #[inline]
    fn value(&self, g: f64, h: f64) -> f64 {
        match self.criterion {
            Criterion::Gini => {
                if h > 0.0 {
                    g / h
                } else {
                    0.0
                }
            }
            Criterion::Gradient { l2 } => (-g / (h + l2 + HESSIAN_EPS)) * self.value_scale,
        }
    }

    fn forced_leaf(&self, n: u32, g: f64, h: f64, depth: usize) -> bool {
        let p = self.params;
        let n = n as usize;
        if self.params.max_depth.is_some_and(|d| depth >= d)
            || n < p.min_samples_split
            || n < 2 * p.min_samples_leaf
        {
            return true;
        }
        match self.criterion {
            Criterion::Gini => h.is_nan() || h <= 0.0 || gini(g, h) <= f64::EPSILON,
            Criterion::Gradient { .. } => h.is_nan() || h < MIN_HESSIAN,
        }
    }

    fn gain(&self, s: &Split, g: f64, h: f64) -> f64 {
        match self.criterion {
            Criterion::Gini => (h * gini(g, h) + s.score).max(0.0),
            Criterion::Gradient { .. } => s.score,
        }
    }

    fn scan(&self, hist: &[Bin], f: usize, g: f64, h: f64, n: u32, best: &mut Option<Split>) {
        let msl = self.params.min_samples_leaf.min(u32::MAX as usize) as u32;
        match self.criterion {
            Criterion::Gini => scan(&GiniObjective { msl }, hist, f, g, h, n, best),
            Criterion::Gradient { l2 } => {
                let c = l2 + HESSIAN_EPS;
                let obj = GradientObjective {
                    msl,
                    c,
                    parent: g * (-g / (h + c)),
                };
                scan(&obj, hist, f, g, h, n, best)
            }
        }
    }

    /// The real-valued threshold of a split after bin `b` of feature `f` (non-missing bins
    /// `<= b` go left). Splits with every non-missing value left get `+inf`. Gradient trees
    /// (and Gini trees on quantile bins) use the bin threshold, as scikit-learn's histogram
    /// trees do; Gini trees on exact bins use the midpoint between the largest value left and
    /// the smallest value right *in the node*, as scikit-learn's CART does.
    fn threshold(&self, binner: &Binner, hist: &[Bin], f: usize, b: usize) -> f64 {
        let nb = hist.len() - 1;
        let hi = (b + 1..nb).find(|&i| hist[i].n > 0);
        let Some(hi) = hi else {
            return f64::INFINITY;
        };
        let exact = match (&self.criterion, &binner.values[f]) {
            (Criterion::Gini, Some(values)) => (0..=b)
                .rev()
                .find(|&i| hist[i].n > 0)
                .map(|lo| (values[lo], values[hi])),
            _ => None,
        };
        match exact {
            Some((a, c)) => {
                // scikit-learn's CART: sum of halves, falling back to the lower value.
                let t = a / 2.0 + c / 2.0;
                if t == c || !t.is_finite() || t < a {
                    a
                } else {
                    t
                }
            }
            None => binner.thresholds[f][b],
        }
    }
}

/// Split scoring of one criterion (monomorphised into the scan loop).
trait Objective {
    /// Comparison score of a candidate (larger is better).
    fn score(&self, gl: f64, hl: f64, gr: f64, hr: f64) -> f64;
    /// Whether one side of a candidate satisfies the leaf constraints.
    fn side_ok(&self, n: u32, h: f64) -> bool;
}

/// Gini: scikit-learn's proxy `-(H_R·I_R) - H_L·I_L` (the parent's term is constant per node).
struct GiniObjective {
    msl: u32,
}

impl Objective for GiniObjective {
    #[inline(always)]
    fn score(&self, gl: f64, hl: f64, gr: f64, hr: f64) -> f64 {
        -(hr * gini(gr, hr)) - hl * gini(gl, hl)
    }
    #[inline(always)]
    fn side_ok(&self, n: u32, h: f64) -> bool {
        n >= self.msl && h > 0.0
    }
}

/// Gradient gain in scikit-learn's form `loss(parent) - G_L·v_L - G_R·v_R`, `v = -G/(H+c)`.
struct GradientObjective {
    msl: u32,
    c: f64,
    parent: f64,
}

impl Objective for GradientObjective {
    #[inline(always)]
    fn score(&self, gl: f64, hl: f64, gr: f64, hr: f64) -> f64 {
        let vl = -gl / (hl + self.c);
        let vr = -gr / (hr + self.c);
        self.parent - gl * vl - gr * vr
    }
    #[inline(always)]
    fn side_ok(&self, n: u32, h: f64) -> bool {
        n >= self.msl && h >= MIN_HESSIAN
    }
}

/// Scans one feature's histogram, mirroring scikit-learn's histogram splitter: left to
/// right with NaN going right (including the "all values left, NaN right" split), then,
/// when the node has NaN, right to left with NaN going left. Only a strictly better score
/// replaces `best`, so earlier features and bins win ties. Empty bins are skipped: they
/// repeat the previous candidate's score.
fn scan<O: Objective>(
    obj: &O,
    hist: &[Bin],
    f: usize,
    g: f64,
    h: f64,
    n: u32,
    best: &mut Option<Split>,
) {
    let nb = hist.len() - 1;
    let has_missing = hist[nb].n > 0;
    let end = if has_missing { nb } else { nb - 1 };
    let mut best_score = best.map_or(f64::NEG_INFINITY, |b| b.score);
    let (mut gl, mut hl, mut nl) = (0.0, 0.0, 0u32);
    for (b, c) in hist[..end].iter().enumerate() {
        if c.n == 0 {
            continue;
        }
        gl += c.g;
        hl += c.h;
        nl += c.n;
        let (gr, hr, nr) = (g - gl, h - hl, n - nl);
        if !obj.side_ok(nl, hl) {
            continue;
        }
        if !obj.side_ok(nr, hr) {
            break;
        }
        let s = obj.score(gl, hl, gr, hr);
        if s > best_score {
            best_score = s;
            *best = Some(Split {
                score: s,
                feature: f,
                bin: b,
                missing_left: false,
                gl,
                hl,
                nl,
            });
        }
    }
    if !has_missing || nb < 2 {
        return;
    }
    let (mut gr, mut hr, mut nr) = (0.0, 0.0, 0u32);
    for b in (0..nb - 1).rev() {
        let c = hist[b + 1];
        if c.n == 0 {
            continue;
        }
        gr += c.g;
        hr += c.h;
        nr += c.n;
        let (gl, hl, nl) = (g - gr, h - hr, n - nr);
        if !obj.side_ok(nr, hr) {
            continue;
        }
        if !obj.side_ok(nl, hl) {
            break;
        }
        let s = obj.score(gl, hl, gr, hr);
        if s > best_score {
            best_score = s;
            *best = Some(Split {
                score: s,
                feature: f,
                bin: b,
                missing_left: true,
                gl,
                hl,
                nl,
            });
        }
    }
}

/// Deterministic datasets shared by the ensembles' tests.
#[cfg(test)]
pub(crate) mod test_data {
    use crate::core::rng::Rng;
    use crate::core::{Matrix, Result};

    /// Shared deterministic dataset of the scikit-learn parity tests (see the script below).
    pub(crate) fn parity_data() -> (Matrix, Vec<bool>, Vec<f64>) {
        let mut rows = Vec::new();
        let mut y = Vec::new();
        let mut w = Vec::new();
        for i in 0..64i64 {
            let a = (i * 37) % 61;
            let b = (i * 23 + 5) % 47;
            let c = (i * i * 7 + 3) % 29;
            rows.push(vec![a as f64 / 4.0, b as f64 / 8.0, c as f64 / 2.0]);
            let s = a + 2 * b - 3 * c + if i % 5 == 0 { 11 } else { 0 };
            y.push((s > 20) != (i % 9 == 0));
            w.push((16 + (i * 13) % 17) as f64 / 16.0);
        }
        (Matrix::from_rows(&rows).unwrap(), y, w)
    }

    pub(crate) fn parity_queries() -> Matrix {
        Matrix::from_rows(&[
            vec![3.3, 2.1, 7.0],
            vec![10.0, 4.0, 1.5],
            vec![7.3, 5.55, 12.2],
            vec![14.9, 0.3, 3.1],
            vec![1.1, 1.1, 1.1],
            vec![12.6, 3.4, 9.9],
        ])
        .unwrap()
    }

    /// Noisy but learnable synthetic problem with a NaN-predictive feature.
    pub(crate) fn synthetic(n: usize, p: usize, seed: u64) -> (Matrix, Vec<bool>) {
        let mut rng = Rng::new(seed);
        let mut rows = Vec::with_capacity(n);
        let mut y = Vec::with_capacity(n);
        for _ in 0..n {
            let mut r: Vec<f64> = (0..p).map(|_| rng.next_f64() * 2.0 - 1.0).collect();
            let logit = 2.5 * r[0] - 2.0 * r[1] + 1.5 * r[2] * r[3 % p];
            let label = rng.next_f64() < 1.0 / (1.0 + (-logit).exp());
            if p > 4 && (rng.next_f64() < 0.1 || (label && rng.next_f64() < 0.3)) {
                r[4] = f64::NAN; // missingness of feature 4 is predictive
            }
            rows.push(r);
            y.push(label);
        }
        (Matrix::from_rows(&rows).unwrap(), y)
    }

    /// Checks a model fitted on `synthetic(_, 6, _)`: it separates the classes of a fresh
    /// sample, its importances sum to 1 and rank the signal features above noise, and the
    /// predictive missingness of feature 4 raises the risk.
    pub(crate) fn assert_learns_signal_and_nan_routing(
        predict_proba: impl Fn(&Matrix) -> Result<Vec<f64>>,
        predict_row: impl Fn(&[f64]) -> Result<f64>,
        importances: &[f64],
    ) {
        let (xt, yt) = synthetic(400, 6, 99);
        let p = predict_proba(&xt).unwrap();
        let mean = |want: bool| {
            let v: Vec<f64> = p
                .iter()
                .zip(&yt)
                .filter(|(_, y)| **y == want)
                .map(|(p, _)| *p)
                .collect();
            v.iter().sum::<f64>() / v.len() as f64
        };
        assert!(
            mean(true) - mean(false) > 0.25,
            "{} vs {}",
            mean(true),
            mean(false)
        );
        assert!((importances.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        assert!(
            importances[0] > importances[5] && importances[1] > importances[5],
            "{importances:?}"
        );
        let mut row = vec![0.0; 6];
        let p_obs = predict_row(&row).unwrap();
        row[4] = f64::NAN;
        let p_nan = predict_row(&row).unwrap();
        assert!(p_nan > p_obs + 0.05, "{p_nan} vs {p_obs}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(rows: &[Vec<f64>]) -> Matrix {
        Matrix::from_rows(rows).unwrap()
    }

    #[test]
    fn binner_exact_midpoints_and_nan_bin() {
        let x = m(&[vec![1.0], vec![3.0], vec![f64::NAN], vec![3.0], vec![2.0]]);
        let b = Binner::fit(&x, 255).unwrap();
        assert_eq!(b.thresholds(0), &[1.5, 2.5]);
        assert_eq!(b.n_bins(0), 3);
        assert_eq!(b.transform(&x).unwrap(), vec![0, 2, 3, 2, 1]);
        assert_eq!(b.bin(0, 1.5), 0);
        assert_eq!(b.bin(0, 1.6), 1);
        assert_eq!(b.bin(0, 100.0), 2);
    }

    #[test]
    fn binner_quantiles_when_many_values() {
        let rows: Vec<Vec<f64>> = (0..1000).map(|i| vec![(i * 7 % 1000) as f64]).collect();
        let x = m(&rows);
        let b = Binner::fit(&x, 10).unwrap();
        assert_eq!(b.n_bins(0), 10);
        // numpy (scripts/reference/trees.py):
        // np.percentile(np.arange(1000), np.linspace(0,100,11)[1:-1], method="midpoint")
        assert_eq!(b.thresholds(0)[0], 99.5);
        assert_eq!(b.thresholds(0)[4], 499.5);
        let bins = b.transform(&x).unwrap();
        let mut counts = [0usize; 11];
        for v in bins {
            counts[v as usize] += 1;
        }
        assert!(counts[..10].iter().all(|&c| c == 100), "{counts:?}");
    }

    #[test]
    fn binner_rejects_bad_input() {
        let x = m(&[vec![1.0]]);
        assert!(Binner::fit(&x, 1).is_err());
        assert!(Binner::fit(&x, 256).is_err());
        assert!(Binner::fit(&Matrix::zeros(0, 2), 10).is_err());
        let b = Binner::fit(&x, 10).unwrap();
        assert!(b.transform(&Matrix::zeros(1, 2)).is_err());
        // All-NaN and infinite columns still bin consistently.
        let x = m(&[
            vec![f64::NAN, f64::INFINITY],
            vec![f64::NAN, f64::NEG_INFINITY],
        ]);
        let b = Binner::fit(&x, 10).unwrap();
        assert_eq!(b.n_bins(0), 1);
        assert_eq!(b.transform(&x).unwrap(), vec![1, 1, 1, 0]);
    }

    #[test]
    fn tree_json_validation_rejects_cycles_and_bad_features() {
        let good = r#"{"n_features":1,"feature":[0,-1,-1],"threshold":["inf",0,0],
            "missing_left":[0,0,0],"left":[1,0,0],"right":[2,0,0],"value":[0.5,0.0,1.0]}"#;
        let t: Tree = serde_json::from_str(good).unwrap();
        assert_eq!(t.nodes()[0].threshold, f64::INFINITY);
        assert_eq!(t.predict_row(&[1e300]).unwrap(), 0.0);
        assert_eq!(t.predict_row(&[f64::NAN]).unwrap(), 1.0);
        assert!(t.predict_row(&[1.0, 2.0]).is_err());
        let back: Tree = serde_json::from_str(&serde_json::to_string(&t).unwrap()).unwrap();
        assert_eq!(back, t);
        let cyclic = good.replace(r#""left":[1,0,0]"#, r#""left":[0,0,0]"#);
        assert!(serde_json::from_str::<Tree>(&cyclic).is_err());
        let bad_feature = good.replace(r#""feature":[0,-1,-1]"#, r#""feature":[3,-1,-1]"#);
        assert!(serde_json::from_str::<Tree>(&bad_feature).is_err());
        let leaf_with_child = good.replace(r#""right":[2,0,0]"#, r#""right":[2,0,1]"#);
        assert!(serde_json::from_str::<Tree>(&leaf_with_child).is_err());
        let ragged = good.replace(r#""value":[0.5,0.0,1.0]"#, r#""value":[0.5,0.0]"#);
        assert!(serde_json::from_str::<Tree>(&ragged).is_err());
        let empty = r#"{"n_features":1,"feature":[],"threshold":[],"missing_left":[],"left":[],"right":[],"value":[]}"#;
        assert!(serde_json::from_str::<Tree>(empty).is_err());
    }

    #[test]
    fn max_features_resolution() {
        assert_eq!(MaxFeatures::All.resolve(10).unwrap(), 10);
        assert_eq!(MaxFeatures::Sqrt.resolve(10).unwrap(), 3);
        assert_eq!(MaxFeatures::Sqrt.resolve(1).unwrap(), 1);
        assert_eq!(MaxFeatures::Fraction(0.05).resolve(10).unwrap(), 1);
        assert_eq!(MaxFeatures::Fraction(0.5).resolve(10).unwrap(), 5);
        assert!(MaxFeatures::Fraction(0.0).resolve(10).is_err());
        assert!(MaxFeatures::Fraction(f64::NAN).resolve(10).is_err());
        assert!(MaxFeatures::Fraction(1.5).resolve(10).is_err());
    }

    #[test]
    fn training_weights_validation() {
        let x = m(&[vec![1.0], vec![2.0], vec![3.0], vec![4.0]]);
        let y = [true, false, false, false];
        let w = training_weights(&x, &y, None, ClassWeight::Balanced).unwrap();
        assert_eq!(w, vec![2.0, 2.0 / 3.0, 2.0 / 3.0, 2.0 / 3.0]);
        assert!(training_weights(&x, &[true; 4], None, ClassWeight::None).is_err());
        assert!(training_weights(&x, &y[..3], None, ClassWeight::None).is_err());
        assert!(training_weights(&x, &y, Some(&[1.0; 3]), ClassWeight::None).is_err());
        assert!(training_weights(&x, &y, Some(&[1.0, 1.0, -1.0, 1.0]), ClassWeight::None).is_err());
        assert!(training_weights(&x, &y, Some(&[0.0, 1.0, 1.0, 1.0]), ClassWeight::None).is_err());
        assert!(training_weights(&Matrix::zeros(0, 1), &[], None, ClassWeight::None).is_err());
    }
}
