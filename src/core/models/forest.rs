//! Random forest classifier (binary) on histogram-binned data, with probability output as in
//! scikit-learn (mean of the trees' leaf positive fractions), path attributions in probability
//! space and impurity-decrease importances.

use serde::{Deserialize, Serialize};

use super::tree::{
    Binned, Binner, ClassWeight, Criterion, Grower, MAX_BINS, MaxFeatures, TrainData, Tree,
    TreeParams, check_importances, check_width, training_weights, training_weights_for,
};
use crate::core::parallel;
use crate::core::rng::Rng;
use crate::core::{Error, Matrix, Result};

/// Hyper-parameters of [`RandomForest`]. Defaults follow scikit-learn's
/// `RandomForestClassifier` except `n_trees` (200).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ForestParams {
    /// Number of trees (>= 1). Default 200.
    pub n_trees: usize,
    /// Maximum tree depth (>= 1), or `None` for fully grown trees. Default `None`.
    pub max_depth: Option<usize>,
    /// Minimum rows per leaf (>= 1). Default 1.
    pub min_samples_leaf: usize,
    /// Minimum rows in a node to split it (>= 2). Default 2.
    pub min_samples_split: usize,
    /// Candidate features per split. Default [`MaxFeatures::Sqrt`].
    pub max_features: MaxFeatures,
    /// Whether each tree sees a bootstrap sample (as weights = draw counts). Default `true`.
    pub bootstrap: bool,
    /// Non-missing bins per feature, `2..=255`. Default 255.
    pub max_bins: usize,
    /// Class re-weighting on top of sample weights. Default [`ClassWeight::None`].
    pub class_weight: ClassWeight,
}

impl Default for ForestParams {
    fn default() -> Self {
        ForestParams {
            n_trees: 200,
            max_depth: None,
            min_samples_leaf: 1,
            min_samples_split: 2,
            max_features: MaxFeatures::Sqrt,
            bootstrap: true,
            max_bins: MAX_BINS,
            class_weight: ClassWeight::None,
        }
    }
}

impl ForestParams {
    /// Sets `n_trees`.
    pub fn with_n_trees(mut self, n: usize) -> Self {
        self.n_trees = n;
        self
    }
    /// Sets `max_depth`.
    pub fn with_max_depth(mut self, d: Option<usize>) -> Self {
        self.max_depth = d;
        self
    }
    /// Sets `min_samples_leaf`.
    pub fn with_min_samples_leaf(mut self, n: usize) -> Self {
        self.min_samples_leaf = n;
        self
    }
    /// Sets `min_samples_split`.
    pub fn with_min_samples_split(mut self, n: usize) -> Self {
        self.min_samples_split = n;
        self
    }
    /// Sets `max_features`.
    pub fn with_max_features(mut self, m: MaxFeatures) -> Self {
        self.max_features = m;
        self
    }
    /// Sets `bootstrap`.
    pub fn with_bootstrap(mut self, b: bool) -> Self {
        self.bootstrap = b;
        self
    }
    /// Sets `max_bins`.
    pub fn with_max_bins(mut self, b: usize) -> Self {
        self.max_bins = b;
        self
    }
    /// Sets `class_weight`.
    pub fn with_class_weight(mut self, c: ClassWeight) -> Self {
        self.class_weight = c;
        self
    }

    fn tree_params(&self) -> TreeParams {
        TreeParams {
            max_depth: self.max_depth,
            min_samples_leaf: self.min_samples_leaf,
            min_samples_split: self.min_samples_split,
            max_features: self.max_features,
            min_gain: 0.0,
        }
    }

    /// Checks every parameter for `n_features` features.
    pub fn validate(&self, n_features: usize) -> Result<()> {
        if self.n_trees == 0 {
            return Err(Error::param("n_trees", "must be at least 1"));
        }
        if !(2..=MAX_BINS).contains(&self.max_bins) {
            return Err(Error::param(
                "max_bins",
                format!("must be in 2..={MAX_BINS}, got {}", self.max_bins),
            ));
        }
        self.tree_params().validate(n_features)
    }
}

/// A fitted random forest for binary classification.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "ForestRepr")]
pub struct RandomForest {
    n_features: usize,
    /// Impurity-decrease importances, computed from the trees' split gains when fitting
    /// (stored once instead of a gain per node).
    feature_importances: Vec<f64>,
    trees: Vec<Tree>,
}

#[derive(Deserialize)]
struct ForestRepr {
    n_features: usize,
    feature_importances: Vec<f64>,
    trees: Vec<Tree>,
}

impl TryFrom<ForestRepr> for RandomForest {
    type Error = Error;

    fn try_from(r: ForestRepr) -> Result<Self> {
        if r.trees.is_empty() {
            return Err(Error::Bundle("random forest without trees".into()));
        }
        if r.trees.iter().any(|t| t.n_features() != r.n_features) {
            return Err(Error::Bundle(
                "random forest trees disagree on the number of features".into(),
            ));
        }
        check_importances(&r.feature_importances, r.n_features)?;
        Ok(RandomForest {
            n_features: r.n_features,
            feature_importances: r.feature_importances,
            trees: r.trees,
        })
    }
}

impl RandomForest {
    /// Fits a forest on `x` (NaN allowed) and labels `y`, with optional non-negative sample
    /// weights. Tree `t` draws its bootstrap sample and feature subsets from
    /// `Rng::derive(seed, t)`, so the result depends only on the inputs and `seed`.
    pub fn fit(
        x: &Matrix,
        y: &[bool],
        weights: Option<&[f64]>,
        params: &ForestParams,
        seed: u64,
    ) -> Result<Self> {
        params.validate(x.cols())?;
        let w = training_weights(x, y, weights, params.class_weight)?;
        let binned = Binned::new(x, params.max_bins)?;
        Self::fit_weighted(&binned, y, &w, params, seed)
    }

    /// [`RandomForest::fit`] on training rows already binned with `params.max_bins` (the same
    /// forest as fitting on the rows they were binned from).
    pub fn fit_binned(
        data: &Binned,
        y: &[bool],
        weights: Option<&[f64]>,
        params: &ForestParams,
        seed: u64,
    ) -> Result<Self> {
        params.validate(data.cols())?;
        data.check_max_bins(params.max_bins)?;
        let w = training_weights_for((data.rows(), data.cols()), y, weights, params.class_weight)?;
        Self::fit_weighted(data, y, &w, params, seed)
    }

    fn fit_weighted(
        data: &Binned,
        y: &[bool],
        w: &[f64],
        params: &ForestParams,
        seed: u64,
    ) -> Result<Self> {
        let binner = data.binner();
        let bins = data.codes();
        let n = data.rows();
        let cols = data.cols();
        let positive: Vec<u32> = (0..n as u32).filter(|&i| w[i as usize] > 0.0).collect();
        let tree_params = params.tree_params();
        // Trees are independent (tree `t` draws from its own seed), so they grow in parallel
        // natively; results come back in tree order and importances are summed in that order,
        // so the forest is the same for any thread count.
        let grown = parallel::map(
            params.n_trees,
            || TreeScratch::new(binner, n, positive.len()),
            |t, s| {
                let mut rng = Rng::new(Rng::derive(seed, t as u64));
                s.sample.clear();
                if params.bootstrap {
                    // Draw among the rows with positive weight; multiplicity becomes a weight.
                    s.counts.fill(0);
                    for _ in 0..positive.len() {
                        s.counts[positive[rng.below(positive.len())] as usize] += 1;
                    }
                    let counts = &s.counts;
                    s.sample
                        .extend(positive.iter().copied().filter(|&i| counts[i as usize] > 0));
                    for &i in &s.sample {
                        let i = i as usize;
                        s.tree_w[i] = w[i] * s.counts[i] as f64;
                    }
                } else {
                    s.sample.extend_from_slice(&positive);
                    for &i in &s.sample {
                        s.tree_w[i as usize] = w[i as usize];
                    }
                }
                for &i in &s.sample {
                    let i = i as usize;
                    s.stats[i] = [if y[i] { s.tree_w[i] } else { 0.0 }, s.tree_w[i]];
                }
                let train = TrainData {
                    binner,
                    bins,
                    n_rows: n,
                    stats: &s.stats,
                };
                s.grower.grow(
                    &train,
                    &s.sample,
                    Criterion::Gini,
                    &tree_params,
                    1.0,
                    &mut rng,
                )
            },
        );
        let mut trees = Vec::with_capacity(params.n_trees);
        let mut importances = vec![0.0; cols];
        for (tree, g) in grown {
            trees.push(tree);
            // Each tree's gains are normalised first, then averaged, as in scikit-learn.
            let s: f64 = g.iter().sum();
            if s > 0.0 {
                for (o, v) in importances.iter_mut().zip(g) {
                    *o += v / s;
                }
            }
        }
        let s: f64 = importances.iter().sum();
        if s > 0.0 {
            importances.iter_mut().for_each(|v| *v /= s);
        }
        Ok(RandomForest {
            n_features: cols,
            feature_importances: importances,
            trees,
        })
    }

    /// Number of features the forest was fitted on.
    pub fn n_features(&self) -> usize {
        self.n_features
    }

    /// The fitted trees.
    pub fn trees(&self) -> &[Tree] {
        &self.trees
    }

    /// Probability of the positive class for every row of `x`.
    pub fn predict_proba(&self, x: &Matrix) -> Result<Vec<f64>> {
        check_width(self.n_features, x.cols())?;
        Ok(x.iter_rows().map(|r| self.proba_unchecked(r)).collect())
    }

    /// Probability of the positive class for one row.
    pub fn predict_row(&self, row: &[f64]) -> Result<f64> {
        check_width(self.n_features, row.len())?;
        Ok(self.proba_unchecked(row))
    }

    fn proba_unchecked(&self, row: &[f64]) -> f64 {
        let s: f64 = self.trees.iter().map(|t| t.predict_unchecked(row)).sum();
        s / self.trees.len() as f64
    }

    /// Path attributions in probability space, averaged over trees: `(base, contributions)`
    /// with `base` the mean root value and `base + sum(contributions) == predict_row(row)` up
    /// to rounding.
    pub fn contributions(&self, row: &[f64]) -> Result<(f64, Vec<f64>)> {
        check_width(self.n_features, row.len())?;
        let mut out = vec![0.0; self.n_features];
        let mut base = 0.0;
        for t in &self.trees {
            base += t.add_contributions(row, &mut out);
        }
        let k = self.trees.len() as f64;
        out.iter_mut().for_each(|v| *v /= k);
        Ok((base / k, out))
    }

    /// Impurity-decrease importances, normalised to sum to 1 (each tree's are normalised
    /// first, then averaged, as in scikit-learn); all zeros if no tree has a split.
    pub fn feature_importances(&self) -> Vec<f64> {
        self.feature_importances.clone()
    }
}

/// One thread's buffers for growing forest trees (reused from tree to tree).
struct TreeScratch {
    grower: Grower,
    tree_w: Vec<f64>,
    stats: Vec<[f64; 2]>,
    counts: Vec<u32>,
    sample: Vec<u32>,
}

impl TreeScratch {
    fn new(binner: &Binner, n: usize, positives: usize) -> Self {
        TreeScratch {
            grower: Grower::new(binner),
            tree_w: vec![0.0; n],
            stats: vec![[0.0; 2]; n],
            counts: vec![0u32; n],
            sample: Vec::with_capacity(positives),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::models::tree::test_data::{
        assert_learns_signal_and_nan_routing, parity_data, parity_queries, synthetic,
    };

    // scikit-learn parity, CART case. Reference values from scikit-learn 1.9.1 (numpy 2.4.6),
    // computed by scripts/reference/trees.py: a `RandomForestClassifier(n_estimators=5,
    // bootstrap=False, max_features=None, min_samples_leaf=4, random_state=0)` on the weighted
    // data of `parity_data` (models/tree/test_data.rs), predicting `parity_queries`. All 5
    // trees, and `DecisionTreeClassifier(min_samples_leaf=4)` for 20 random states, give
    // identical predictions: no feature ties decide the structure.
    //
    // The (non-integer) sample weights make split scores distinct; with unit weights, ties
    // between features are common and scikit-learn breaks them at random. All values are
    // exact in float32 (scikit-learn's tree dtype), thresholds are midpoints of the node's
    // values as in CART, so the trees are identical and the tolerance is rounding only.
    #[test]
    fn parity_with_sklearn_random_forest_cart() {
        let (x, y, w) = parity_data();
        let params = ForestParams::default()
            .with_n_trees(5)
            .with_bootstrap(false)
            .with_max_features(MaxFeatures::All)
            .with_min_samples_leaf(4);
        let rf = RandomForest::fit(&x, &y, Some(&w), &params, 0).unwrap();
        let expected = [
            0.7032967032967034,
            1.0,
            0.6717557251908397,
            0.0,
            0.16666666666666666,
            0.8089887640449438,
        ];
        let got = rf.predict_proba(&parity_queries()).unwrap();
        for (g, e) in got.iter().zip(expected) {
            assert!((g - e).abs() < 1e-12, "{got:?} vs {expected:?}");
        }
        assert_eq!(rf.trees()[0].nodes().len(), 19);
    }

    fn small_forest(seed: u64) -> (RandomForest, Matrix, Vec<bool>) {
        let (x, y) = synthetic(300, 6, 11);
        let params = ForestParams::default()
            .with_n_trees(30)
            .with_min_samples_leaf(3);
        (
            RandomForest::fit(&x, &y, None, &params, seed).unwrap(),
            x,
            y,
        )
    }

    #[test]
    fn determinism_and_seed_sensitivity() {
        let (a, _, _) = small_forest(1);
        let (b, _, _) = small_forest(1);
        let (c, _, _) = small_forest(2);
        let ja = serde_json::to_string(&a).unwrap();
        assert_eq!(ja, serde_json::to_string(&b).unwrap());
        assert_ne!(ja, serde_json::to_string(&c).unwrap());
    }

    #[test]
    fn serde_round_trip_is_bit_exact() {
        let (rf, x, _) = small_forest(5);
        let json = serde_json::to_string(&rf).unwrap();
        let back: RandomForest = serde_json::from_str(&json).unwrap();
        assert_eq!(back, rf);
        let p1 = rf.predict_proba(&x).unwrap();
        let p2 = back.predict_proba(&x).unwrap();
        assert!(p1.iter().zip(&p2).all(|(a, b)| a.to_bits() == b.to_bits()));
        assert!(
            serde_json::from_str::<RandomForest>(
                r#"{"n_features":2,"feature_importances":[0,0],"trees":[]}"#
            )
            .is_err()
        );
        // The stored importances must have one finite, non-negative value per feature.
        let long = json.replacen(
            "\"feature_importances\":[",
            "\"feature_importances\":[0.5,",
            1,
        );
        assert!(serde_json::from_str::<RandomForest>(&long).is_err());
        let negative = json.replacen(
            "\"feature_importances\":[",
            "\"feature_importances\":[-1,",
            1,
        );
        assert!(serde_json::from_str::<RandomForest>(&negative).is_err());
    }

    #[test]
    fn learns_signal_and_nan_routing() {
        let (rf, _, _) = small_forest(3);
        assert_learns_signal_and_nan_routing(
            |x| rf.predict_proba(x),
            |r| rf.predict_row(r),
            &rf.feature_importances(),
        );
    }

    #[test]
    fn nan_only_signal_is_learned() {
        // The label is exactly "feature 0 is missing"; feature 1 is noise.
        let rows: Vec<Vec<f64>> = (0..100)
            .map(|i| {
                let v = if i % 3 == 0 { f64::NAN } else { (i % 7) as f64 };
                vec![v, ((i * 13) % 11) as f64]
            })
            .collect();
        let y: Vec<bool> = (0..100).map(|i| i % 3 == 0).collect();
        let x = Matrix::from_rows(&rows).unwrap();
        let params = ForestParams::default()
            .with_n_trees(10)
            .with_bootstrap(false)
            .with_max_features(MaxFeatures::All);
        let rf = RandomForest::fit(&x, &y, None, &params, 0).unwrap();
        assert_eq!(rf.predict_row(&[f64::NAN, 3.0]).unwrap(), 1.0);
        assert_eq!(rf.predict_row(&[2.0, 3.0]).unwrap(), 0.0);
        assert_eq!(rf.predict_row(&[1e9, 3.0]).unwrap(), 0.0);
    }

    #[test]
    fn errors_instead_of_panics() {
        let (x, y) = synthetic(50, 3, 1);
        let p = ForestParams::default().with_n_trees(3);
        assert!(RandomForest::fit(&x, &[true; 50], None, &p, 0).is_err());
        assert!(RandomForest::fit(&x, &y[..10], None, &p, 0).is_err());
        assert!(RandomForest::fit(&Matrix::zeros(0, 3), &[], None, &p, 0).is_err());
        for bad in [
            p.clone().with_n_trees(0),
            p.clone().with_max_depth(Some(0)),
            p.clone().with_min_samples_leaf(0),
            p.clone().with_min_samples_split(1),
            p.clone().with_max_bins(1),
            p.clone().with_max_bins(256),
            p.clone().with_max_features(MaxFeatures::Fraction(0.0)),
        ] {
            assert!(matches!(
                RandomForest::fit(&x, &y, None, &bad, 0),
                Err(Error::InvalidParameter { .. })
            ));
        }
        let rf = RandomForest::fit(&x, &y, None, &p, 0).unwrap();
        assert!(matches!(
            rf.predict_row(&[1.0]),
            Err(Error::ShapeMismatch {
                expected: 3,
                got: 1
            })
        ));
        assert!(rf.predict_proba(&Matrix::zeros(2, 4)).is_err());
        assert!(rf.contributions(&[0.0; 2]).is_err());
    }

    #[test]
    fn class_weight_balanced_shifts_probabilities_up() {
        let (x, y) = synthetic(300, 4, 8);
        // Keep only a few positives to make the data imbalanced.
        let keep: Vec<usize> = (0..300).filter(|&i| !y[i] || i % 4 == 0).collect();
        let xs = x.select_rows(&keep);
        let ys: Vec<bool> = keep.iter().map(|&i| y[i]).collect();
        let p = ForestParams::default()
            .with_n_trees(20)
            .with_min_samples_leaf(5);
        let plain = RandomForest::fit(&xs, &ys, None, &p, 0).unwrap();
        let bal = RandomForest::fit(
            &xs,
            &ys,
            None,
            &p.with_class_weight(ClassWeight::Balanced),
            0,
        )
        .unwrap();
        let m = |f: &RandomForest| f.predict_proba(&xs).unwrap().iter().sum::<f64>();
        assert!(m(&bal) > m(&plain));
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod props {
        use super::*;
        use proptest::prelude::*;
        use std::sync::OnceLock;

        fn model() -> &'static RandomForest {
            static M: OnceLock<RandomForest> = OnceLock::new();
            M.get_or_init(|| small_forest(7).0)
        }

        fn cell() -> impl Strategy<Value = f64> {
            prop_oneof![3 => -1.5f64..1.5, 1 => Just(f64::NAN)]
        }

        proptest! {
            #[test]
            fn contributions_sum_to_prediction(row in proptest::collection::vec(cell(), 6)) {
                let m = model();
                let (base, c) = m.contributions(&row).unwrap();
                let p = m.predict_row(&row).unwrap();
                prop_assert!((base + c.iter().sum::<f64>() - p).abs() < 1e-9);
                for t in m.trees() {
                    let (b, c) = t.contributions(&row).unwrap();
                    prop_assert!((b + c.iter().sum::<f64>() - t.predict_row(&row).unwrap()).abs() < 1e-9);
                }
            }
        }
    }

    /// Timing on 500 x 10 (run with `cargo test --release -- --ignored --nocapture`).
    #[test]
    #[ignore]
    fn timing_forest() {
        let (x, y) = synthetic(500, 10, 1);
        let mut dt = Vec::new();
        let mut rf = None;
        for _ in 0..5 {
            let t0 = std::time::Instant::now();
            rf = Some(RandomForest::fit(&x, &y, None, &ForestParams::default(), 0).unwrap());
            dt.push(t0.elapsed());
        }
        let rf = rf.unwrap();
        let nodes: usize = rf.trees().iter().map(|t| t.nodes().len()).sum();
        println!("forest 200 trees on 500x10: {dt:?} ({nodes} nodes)");
    }
}
