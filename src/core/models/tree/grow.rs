//! Tree growth: the split [`Criterion`], structural [`TreeParams`] and the [`Grower`], which
//! grows trees depth-first on binned data with pooled histogram buffers.

use std::ops::Range;

use super::split::{Bin, Ctx, Split};
use super::{Binner, MaxFeatures, Node, Tree};
use crate::core::parallel;
use crate::core::rng::Rng;
use crate::core::{Error, Result};

/// Histogram updates (node rows x features) below which a node's histograms are built on one
/// thread: starting threads costs tens of microseconds.
const PARALLEL_HISTOGRAM_WORK: usize = 1 << 20;

/// Blocks of at least this many rows build their histograms in four lanes
/// ([`Grower::build_features_into`]).
const LANE_ROWS: usize = 1024;

/// Rows per block when building histograms: their statistics (16 bytes a row) stay in the
/// processor's second-level cache while every feature reads them.
const BLOCK_ROWS: usize = 8192;

/// Histogram cells per feature the lanes hold: every bin of [`super::MAX_BINS`] plus the
/// missing-value bin.
const LANE_BINS: usize = super::MAX_BINS + 1;

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

/// A node waiting to be split: its rows `rows[start..end]` of the [`Grower`], its depth and
/// sums and, when it was derived from its parent's, its histogram.
struct Pending {
    node: usize,
    start: usize,
    end: usize,
    depth: usize,
    g: f64,
    h: f64,
    hist: Option<Vec<Bin>>,
}

/// A tree being grown: its nodes (root first), their split gains and the nodes still to be
/// split (a stack: depth-first, left child first).
struct Growth {
    nodes: Vec<Node>,
    /// Split gain per node (0 for leaves), parallel to `nodes`.
    node_gain: Vec<f64>,
    stack: Vec<Pending>,
    /// Whether every feature is a candidate at every split (children's histograms are then
    /// derived from their parent's).
    full: bool,
}

impl Growth {
    /// The total split gain per feature, summed in node order.
    fn feature_gains(&self, n_features: usize) -> Vec<f64> {
        let mut gains = vec![0.0; n_features];
        let splits = self.nodes.iter().zip(&self.node_gain);
        for (n, g) in splits.filter(|(n, _)| !n.is_leaf()) {
            gains[n.feature as usize] += g;
        }
        gains
    }
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

/// Adds `stats[i]` to lane `i % 4` at bin `code(i)`, for `stats.len()` (a multiple of 4) rows.
#[inline(always)]
fn add_quads(lanes: &mut [[Bin; LANE_BINS]; 4], stats: &[[f64; 2]], code: impl Fn(usize) -> u8) {
    for (q, s4) in stats.chunks_exact(4).enumerate() {
        for (k, (lane, s)) in lanes.iter_mut().zip(s4).enumerate() {
            let b = &mut lane[code(q * 4 + k) as usize];
            b.g += s[0];
            b.h += s[1];
            b.n += 1;
        }
    }
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
        let base = self.offsets[f];
        let part = &mut hist[base..self.offsets[f + 1]];
        self.build_features_into(part, base, data, f..f + 1, start, end);
    }

    /// Builds the histograms of `features` over `rows[start..end]` into `part`, which holds
    /// their bins from offset `base` on.
    ///
    /// Rows are taken in blocks of [`BLOCK_ROWS`] (their statistics stay in cache while every
    /// feature of the group reads them; the codes are read once). Within a block of
    /// [`LANE_ROWS`] rows or more, row `i` is summed into lane `i % 4` (each lane a histogram
    /// on the stack) and the block adds `(lane0 + lane1) + (lane2 + lane3)` to the histogram:
    /// consecutive rows that fall into the same bin (most rows of a feature with few values)
    /// then update four independent sums instead of waiting on one another. The order of
    /// every sum depends only on the node's rows, so histograms are the same on every target
    /// and for any thread count.
    fn build_features_into(
        &self,
        part: &mut [Bin],
        base: usize,
        data: &TrainData,
        features: Range<usize>,
        start: usize,
        end: usize,
    ) {
        part.fill(Bin::default());
        let rows = &self.rows[start..end];
        let stats = &self.ordered[start..end];
        if rows.is_empty() {
            return;
        }
        // The node's rows are ascending and distinct: when they are a contiguous range (a
        // root fitted on every row), its codes are read as slices, without the gather.
        let (first, last) = (rows[0] as usize, rows[rows.len() - 1] as usize);
        let contiguous = last - first + 1 == rows.len();
        let mut lanes = [[Bin::default(); LANE_BINS]; 4];
        for lo in (0..rows.len()).step_by(BLOCK_ROWS) {
            let hi = (lo + BLOCK_ROWS).min(rows.len());
            let (r, st) = (&rows[lo..hi], &stats[lo..hi]);
            for f in features.clone() {
                let hist = &mut part[self.offsets[f] - base..self.offsets[f + 1] - base];
                let col = &data.bins[f * data.n_rows..(f + 1) * data.n_rows];
                let codes = contiguous.then(|| &col[first + lo..first + hi]);
                if r.len() < LANE_ROWS || hist.len() > LANE_BINS {
                    for (i, s) in st.iter().enumerate() {
                        let c = codes.map_or_else(|| col[r[i] as usize], |c| c[i]);
                        let b = &mut hist[c as usize];
                        b.g += s[0];
                        b.h += s[1];
                        b.n += 1;
                    }
                    continue;
                }
                for lane in &mut lanes {
                    lane[..hist.len()].fill(Bin::default());
                }
                let quads = r.len() / 4 * 4;
                match codes {
                    Some(c) => add_quads(&mut lanes, &st[..quads], |i| c[i]),
                    None => add_quads(&mut lanes, &st[..quads], |i| col[r[i] as usize]),
                }
                for (k, s) in st[quads..].iter().enumerate() {
                    let i = quads + k;
                    let c = codes.map_or_else(|| col[r[i] as usize], |c| c[i]);
                    let b = &mut lanes[k][c as usize];
                    b.g += s[0];
                    b.h += s[1];
                    b.n += 1;
                }
                let [l0, l1, l2, l3] = &lanes;
                for (k, out) in hist.iter_mut().enumerate() {
                    let (a, b, c, d) = (l0[k], l1[k], l2[k], l3[k]);
                    out.g += (a.g + b.g) + (c.g + d.g);
                    out.h += (a.h + b.h) + (c.h + d.h);
                    out.n += (a.n + b.n) + (c.n + d.n);
                }
            }
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
        let (g, h) = self.start(data, sample, n_features);
        let ctx = Ctx {
            criterion,
            params,
            value_scale,
        };
        let mut growth = Growth {
            nodes: vec![Node::leaf(ctx.value(g, h))],
            node_gain: vec![0.0],
            stack: vec![Pending {
                node: 0,
                start: 0,
                end: self.rows.len(),
                depth: 0,
                g,
                h,
                hist: None,
            }],
            full: k >= n_features,
        };
        while let Some(mut p) = growth.stack.pop() {
            let n = (p.end - p.start) as u32;
            if ctx.forced_leaf(n, p.g, p.h, p.depth) {
                if let Some(b) = p.hist {
                    self.pool.push(b);
                }
                continue;
            }
            let (hist, best) = self.find_split(&ctx, data, &mut p, k, rng);
            match best {
                Some(split) => self.split_node(&ctx, data, &mut growth, &p, hist, &split),
                None => self.pool.push(hist),
            }
        }
        let gains = growth.feature_gains(n_features);
        (Tree::from_grown(n_features, growth.nodes), gains)
    }

    /// Resets the rows to `sample` and the feature permutation to the identity; returns the
    /// sample's sums `(G, H)`.
    fn start(&mut self, data: &TrainData, sample: &[u32], n_features: usize) -> (f64, f64) {
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
        (g, h)
    }

    /// Builds the histograms of every feature over `rows[start..end]`: natively on
    /// [`parallel::threads`] threads, each building a contiguous group of features, when the
    /// node is large enough to pay for them (each feature's histogram is the same either way).
    fn build_all(&mut self, hist: &mut [Bin], data: &TrainData, start: usize, end: usize) {
        self.fill_ordered(data, start, end);
        let n_features = data.binner.n_features();
        let threads = parallel::threads().min(n_features);
        if threads <= 1 || (end - start) * n_features < PARALLEL_HISTOGRAM_WORK {
            self.build_features_into(hist, 0, data, 0..n_features, start, end);
            return;
        }
        let per = n_features.div_ceil(threads);
        let groups: Vec<Range<usize>> = (0..n_features)
            .step_by(per)
            .map(|f| f..(f + per).min(n_features))
            .collect();
        let ends: Vec<usize> = groups.iter().map(|g| self.offsets[g.end]).collect();
        let this = &*self;
        parallel::for_each_part(hist, &ends, |k, part| {
            let base = this.offsets[groups[k].start];
            this.build_features_into(part, base, data, groups[k].clone(), start, end);
        });
    }

    /// The best split of node `p` among `k` candidate features (`None` if no candidate
    /// satisfies the leaf constraints), with the node's histogram buffer. When every feature
    /// is a candidate, the histogram is the one `p` carries or is built here for all
    /// features. Otherwise features are drawn one at a time (a lazy Fisher-Yates shuffle of
    /// `perm`), only drawn features are built, and drawing stops after `k` features that are
    /// not constant in the node.
    fn find_split(
        &mut self,
        ctx: &Ctx,
        data: &TrainData,
        p: &mut Pending,
        k: usize,
        rng: &mut Rng,
    ) -> (Vec<Bin>, Option<Split>) {
        let n_features = data.binner.n_features();
        let n = (p.end - p.start) as u32;
        let mut best: Option<Split> = None;
        if k >= n_features {
            let hist = match p.hist.take() {
                Some(b) => b,
                None => {
                    let mut b = self.take_buf();
                    self.build_all(&mut b, data, p.start, p.end);
                    b
                }
            };
            for f in 0..n_features {
                let hf = &hist[self.offsets[f]..self.offsets[f + 1]];
                ctx.scan(hf, f, p.g, p.h, n, &mut best);
            }
            return (hist, best);
        }
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
        (b, best)
    }

    /// Applies `split` to node `p` if its gain reaches `min_gain`: the node becomes internal
    /// with two leaf children, its rows are partitioned, and the children are queued, with
    /// their histograms when they need them. `hist` (the node's histogram) is recycled or
    /// reused for a child.
    fn split_node(
        &mut self,
        ctx: &Ctx,
        data: &TrainData,
        growth: &mut Growth,
        p: &Pending,
        hist: Vec<Bin>,
        split: &Split,
    ) {
        let n = (p.end - p.start) as u32;
        let (gl, hl, nl) = (split.gl, split.hl, split.nl);
        let (gr, hr, nr) = (p.g - gl, p.h - hl, n - nl);
        let gain = ctx.gain(split, p.g, p.h);
        let keep = match ctx.criterion {
            Criterion::Gini => gain >= ctx.params.min_gain,
            Criterion::Gradient { .. } => gain > ctx.params.min_gain,
        };
        if !keep {
            self.pool.push(hist);
            return;
        }

        let f = split.feature;
        let hf = &hist[self.offsets[f]..self.offsets[f + 1]];
        let threshold = ctx.threshold(data.binner, hf, f, split.bin);
        let missing_left = if hf[data.binner.n_bins(f)].n > 0 {
            split.missing_left
        } else {
            nl > nr
        };
        let mid = self.partition(data, split, p.start, p.end);
        debug_assert_eq!((mid - p.start) as u32, nl);

        let li = growth.nodes.len();
        growth.nodes.push(Node::leaf(ctx.value(gl, hl)));
        growth.nodes.push(Node::leaf(ctx.value(gr, hr)));
        growth.node_gain.extend([0.0, 0.0]);
        let node = &mut growth.nodes[p.node];
        node.feature = f as u32;
        node.threshold = threshold;
        node.missing_left = missing_left;
        node.left = li as u32;
        node.right = li as u32 + 1;
        growth.node_gain[p.node] = gain;

        let d = p.depth + 1;
        let need_l = growth.full && !ctx.forced_leaf(nl, gl, hl, d);
        let need_r = growth.full && !ctx.forced_leaf(nr, gr, hr, d);
        let [hist_l, hist_r] = if need_l || need_r {
            let left_small = nl < nr;
            let small = if left_small { p.start..mid } else { mid..p.end };
            self.child_hists(data, hist, small, left_small, [need_l, need_r])
        } else {
            self.pool.push(hist);
            [None, None]
        };
        let child = |node, start, end, g, h, hist| Pending {
            node,
            start,
            end,
            depth: d,
            g,
            h,
            hist,
        };
        growth.stack.push(child(li + 1, mid, p.end, gr, hr, hist_r));
        growth.stack.push(child(li, p.start, mid, gl, hl, hist_l));
    }

    /// Partitions `rows[start..end]` by `split`, left rows first (stable, so each child's
    /// rows stay ascending); returns where the right child's rows start.
    fn partition(&mut self, data: &TrainData, split: &Split, start: usize, end: usize) -> usize {
        let f = split.feature;
        let missing_bin = data.binner.n_bins(f);
        let col = &data.bins[f * data.n_rows..(f + 1) * data.n_rows];
        self.scratch.clear();
        let mut w = start;
        for i in start..end {
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
        self.rows[w..end].copy_from_slice(&self.scratch);
        w
    }

    /// The children's histograms from their parent's: the smaller child's (`small` rows,
    /// the left one when `left_small`) is built, the larger one's is the parent's minus it,
    /// in place. Returns `[left, right]`, each only if `need`ed (otherwise recycled).
    fn child_hists(
        &mut self,
        data: &TrainData,
        mut parent: Vec<Bin>,
        small: Range<usize>,
        left_small: bool,
        need: [bool; 2],
    ) -> [Option<Vec<Bin>>; 2] {
        let mut hist = self.take_buf();
        self.build_all(&mut hist, data, small.start, small.end);
        for (a, b) in parent.iter_mut().zip(&hist) {
            a.g -= b.g;
            a.h -= b.h;
            a.n -= b.n;
        }
        let (l, r) = if left_small {
            (hist, parent)
        } else {
            (parent, hist)
        };
        let mut keep = |hist: Vec<Bin>, need: bool| {
            if need {
                Some(hist)
            } else {
                self.pool.push(hist);
                None
            }
        };
        [keep(l, need[0]), keep(r, need[1])]
    }
}
