//! The split search of one node: node values, the forced-leaf rules, split scoring
//! ([`Objective`]) and the histogram scan.

use super::grow::{Criterion, TreeParams};
use super::{Binner, HESSIAN_EPS, MIN_HESSIAN};

/// Histogram cell: sums of the two per-row statistics and the row count.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Bin {
    pub(super) g: f64,
    pub(super) h: f64,
    pub(super) n: u32,
}

/// A candidate split of a node: its score, where it cuts (non-missing bins
/// `<= bin` of `feature` go left), where NaN goes, and the left child's sums.
#[derive(Debug, Clone, Copy)]
pub(super) struct Split {
    pub(super) score: f64,
    pub(super) feature: usize,
    pub(super) bin: usize,
    pub(super) missing_left: bool,
    pub(super) gl: f64,
    pub(super) hl: f64,
    pub(super) nl: u32,
}

/// What the split search of one tree needs besides the histograms.
pub(super) struct Ctx<'a> {
    pub(super) criterion: Criterion,
    pub(super) params: &'a TreeParams,
    pub(super) value_scale: f64,
}

/// Weighted Gini impurity from the positive weight `g` and total weight `h`, in the form
/// scikit-learn uses (`1 - sum_k count_k² / n²`).
#[inline]
fn gini(g: f64, h: f64) -> f64 {
    let neg = h - g;
    1.0 - (g * g + neg * neg) / (h * h)
}

impl Ctx<'_> {
    /// The value of a node with sums `g`, `h` (see [`Criterion`]).
    #[inline]
    pub(super) fn value(&self, g: f64, h: f64) -> f64 {
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

    /// Whether a node with `n` rows and sums `g`, `h` at `depth` stays a leaf: the depth and
    /// row limits, and a pure (Gini) or hessian-starved (gradient) node.
    pub(super) fn forced_leaf(&self, n: u32, g: f64, h: f64, depth: usize) -> bool {
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

    /// The gain of split `s` of a node with sums `g`, `h`: the weighted impurity decrease
    /// (Gini, at least 0) or the loss reduction (gradient).
    pub(super) fn gain(&self, s: &Split, g: f64, h: f64) -> f64 {
        match self.criterion {
            Criterion::Gini => (h * gini(g, h) + s.score).max(0.0),
            Criterion::Gradient { .. } => s.score,
        }
    }

    /// Scans the histogram `hist` of feature `f` in a node with sums `g`, `h` and `n` rows,
    /// replacing `best` by any strictly better split.
    pub(super) fn scan(
        &self,
        hist: &[Bin],
        f: usize,
        g: f64,
        h: f64,
        n: u32,
        best: &mut Option<Split>,
    ) {
        let msl = self.params.min_samples_leaf.min(u32::MAX as usize) as u32;
        let mut pass = Pass {
            f,
            g,
            h,
            n,
            best_score: best.map_or(f64::NEG_INFINITY, |b| b.score),
            best,
        };
        match self.criterion {
            Criterion::Gini => pass.scan(&GiniObjective { msl }, hist),
            Criterion::Gradient { l2 } => {
                let c = l2 + HESSIAN_EPS;
                let obj = GradientObjective {
                    msl,
                    c,
                    parent: g * (-g / (h + c)),
                };
                pass.scan(&obj, hist)
            }
        }
    }

    /// The real-valued threshold of a split after bin `b` of feature `f` (non-missing bins
    /// `<= b` go left). Splits with every non-missing value left get `+inf`. Gradient trees
    /// (and Gini trees on quantile bins) use the bin threshold, as scikit-learn's histogram
    /// trees do; Gini trees on exact bins use the midpoint between the largest value left and
    /// the smallest value right *in the node*, as scikit-learn's CART does.
    pub(super) fn threshold(&self, binner: &Binner, hist: &[Bin], f: usize, b: usize) -> f64 {
        let nb = hist.len() - 1;
        let hi = (b + 1..nb).find(|&i| hist[i].n > 0);
        let Some(hi) = hi else {
            return f64::INFINITY;
        };
        let exact = match (&self.criterion, binner.exact_values(f)) {
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
            None => binner.thresholds(f)[b],
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

/// One feature's scan state: the node's totals and the best split so far (over the earlier
/// features and, in the right-to-left pass, the left-to-right one, which wins ties).
struct Pass<'a> {
    f: usize,
    g: f64,
    h: f64,
    n: u32,
    best_score: f64,
    best: &'a mut Option<Split>,
}

impl Pass<'_> {
    /// Scans one feature's histogram, mirroring scikit-learn's histogram splitter: left to
    /// right with NaN going right (including the "all values left, NaN right" split), then,
    /// when the node has NaN, right to left with NaN going left. Only a strictly better score
    /// replaces `best`, so earlier features and bins win ties. Empty bins are skipped: they
    /// repeat the previous candidate's score.
    fn scan<O: Objective>(&mut self, obj: &O, hist: &[Bin]) {
        let nb = hist.len() - 1;
        let has_missing = hist[nb].n > 0;
        let end = if has_missing { nb } else { nb - 1 };
        self.run(obj, hist[..end].iter().copied().enumerate(), false);
        if !has_missing || nb < 2 {
            return;
        }
        self.run(obj, (0..nb - 1).rev().map(|b| (b, hist[b + 1])), true);
    }

    /// One direction of the scan. `cells` yields `(b, cell)` in scan order, where `b` is the
    /// candidate's split bin (non-missing bins `<= b` go left) and `cell` the bin that moves
    /// to the near side: the left one when `missing_left` is false (NaN goes right), the
    /// right one when it is true. The near side accumulates its sums cell by cell and the far
    /// side is the node's totals minus them; a candidate whose near side fails the leaf
    /// constraints is skipped, and the pass stops at the first whose far side fails them.
    #[inline(always)]
    fn run<O: Objective>(
        &mut self,
        obj: &O,
        cells: impl Iterator<Item = (usize, Bin)>,
        missing_left: bool,
    ) {
        let (mut g_near, mut h_near, mut n_near) = (0.0, 0.0, 0u32);
        for (b, c) in cells {
            if c.n == 0 {
                continue;
            }
            g_near += c.g;
            h_near += c.h;
            n_near += c.n;
            let (g_far, h_far, n_far) = (self.g - g_near, self.h - h_near, self.n - n_near);
            if !obj.side_ok(n_near, h_near) {
                continue;
            }
            if !obj.side_ok(n_far, h_far) {
                break;
            }
            let (gl, hl, nl, gr, hr) = if missing_left {
                (g_far, h_far, n_far, g_near, h_near)
            } else {
                (g_near, h_near, n_near, g_far, h_far)
            };
            let s = obj.score(gl, hl, gr, hr);
            if s > self.best_score {
                self.best_score = s;
                *self.best = Some(Split {
                    score: s,
                    feature: self.f,
                    bin: b,
                    missing_left,
                    gl,
                    hl,
                    nl,
                });
            }
        }
    }
}
