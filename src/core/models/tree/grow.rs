//! Tree growth: the split [`Criterion`], structural [`TreeParams`] and the [`Grower`], which
//! grows trees depth-first on binned data with pooled histogram buffers.

use super::split::{Bin, Ctx, Split};
use super::{Binner, MaxFeatures, Node, Tree};
use crate::core::rng::Rng;
use crate::core::{Error, Result};

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
        (Tree::from_grown(n_features, nodes), gains)
    }
}
