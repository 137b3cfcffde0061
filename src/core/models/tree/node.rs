//! The fitted tree ([`Tree`], [`Node`]): prediction, path attributions and the column-wise
//! JSON form.

use serde::{Deserialize, Serialize};

use super::{Binned, check_width};
use crate::core::{Error, Result};

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

    pub(super) fn leaf(value: f64) -> Node {
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
    /// A tree from grown nodes (root first, children after their parent; not re-validated).
    pub(super) fn from_grown(n_features: usize, nodes: Vec<Node>) -> Tree {
        Tree { n_features, nodes }
    }

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

    /// The tree in bin space for the codes of `binned`: per node, the largest bin that goes
    /// left. Exact when every split threshold is one of the binner's thresholds or `+inf`
    /// (gradient trees: `x <= thresholds[b]` exactly when `bin(x) <= b`); errors otherwise.
    pub(crate) fn in_bins(&self, binned: &Binned) -> Result<BinnedTree> {
        let binner = binned.binner();
        let mut nodes = Vec::with_capacity(self.nodes.len());
        for n in &self.nodes {
            if n.is_leaf() {
                nodes.push(BinNode {
                    feature: 0,
                    cut: 0,
                    missing: 0,
                    missing_left: false,
                    left: Node::LEAF,
                    right: Node::LEAF,
                    value: n.value,
                });
                continue;
            }
            let f = n.feature as usize;
            let t = binner.thresholds(f);
            let cut = if n.threshold == f64::INFINITY {
                u16::MAX
            } else {
                let b = t.partition_point(|&v| v < n.threshold);
                if t.get(b) != Some(&n.threshold) {
                    return Err(Error::Numerical(format!(
                        "split threshold {} of feature {f} is not a bin threshold",
                        n.threshold
                    )));
                }
                b as u16
            };
            nodes.push(BinNode {
                feature: n.feature,
                cut,
                missing: binner.n_bins(f) as u16,
                missing_left: n.missing_left,
                left: n.left,
                right: n.right,
                value: n.value,
            });
        }
        Ok(BinnedTree { nodes })
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

/// One node of a [`BinnedTree`].
#[derive(Debug, Clone, Copy)]
struct BinNode {
    feature: u32,
    cut: u16,
    missing: u16,
    missing_left: bool,
    left: u32,
    right: u32,
    value: f64,
}

/// A tree whose splits compare bin codes instead of values ([`Tree::in_bins`]): predicts the
/// rows of the binned training data exactly as [`Tree`] predicts their values.
#[derive(Debug, Clone)]
pub(crate) struct BinnedTree {
    nodes: Vec<BinNode>,
}

impl BinnedTree {
    /// The leaf value of row `i` of column-major `codes` with `rows` rows per feature.
    #[inline]
    pub(crate) fn predict(&self, codes: &[u8], rows: usize, i: usize) -> f64 {
        let mut k = 0;
        loop {
            let n = &self.nodes[k];
            if n.left == Node::LEAF {
                return n.value;
            }
            let c = u16::from(codes[n.feature as usize * rows + i]);
            let left = if c == n.missing {
                n.missing_left
            } else {
                c <= n.cut
            };
            k = if left { n.left } else { n.right } as usize;
        }
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
