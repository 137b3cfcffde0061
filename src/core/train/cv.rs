//! Stage 3, search: every family's candidates cross-validated on the same folds, each fold's
//! preprocessing fitted on its training part only (and balancing applied to it only); then
//! the family to ship is selected and all families are compared out of fold.

use crate::core::bundle::FamilyComparison;
use crate::core::config::{Selection, TrainConfig};
use crate::core::metrics;
use crate::core::models::tree::{Binned, MAX_BINS};
use crate::core::models::{Family, Hyperparameters};
use crate::core::preprocess::{Pipeline, PreprocessConfig};
use crate::core::rng::Rng;
use crate::core::sampling::{self, Balance, Fold};
use crate::core::schema::Schema;
use crate::core::search::{self, FamilySearch, FoldData, FoldTrain, SearchShare, SearchSpace};
use crate::core::utility::UtilityParams;
use crate::core::{Error, Matrix, Result};

use super::Progress;
use super::operating::best_utility;
use super::split::Development;

/// The preprocessing used for a family: tree ensembles are invariant to monotone rescaling, so
/// they get unscaled inputs (split thresholds stay in clinical units, which keeps bundles small
/// and readable); logistic regression gets standardised inputs.
pub fn preprocess_for(family: Family, base: &PreprocessConfig) -> PreprocessConfig {
    match family {
        Family::Logistic => base.clone(),
        Family::Forest | Family::Boosting => base.clone().with_scale(false),
    }
}

/// One fold of the development rows `dev_rows` of `x` (with their labels `y`), preprocessed
/// (fitted on its training part) and balanced (training part only), as row indices into `x`
/// (see [`FoldData`]); `binned` keeps the training part as `u8` codes for the tree families.
#[allow(clippy::too_many_arguments)]
pub fn prepare_fold<'a>(
    x: &'a Matrix,
    dev_rows: &[usize],
    y: &[bool],
    fold: &Fold,
    schema: &Schema,
    pre: &PreprocessConfig,
    balance: Balance,
    fold_seed: u64,
    binned: bool,
) -> Result<FoldData<'a>> {
    let train: Vec<usize> = fold.train.iter().map(|&k| dev_rows[k]).collect();
    let yt: Vec<bool> = fold.train.iter().map(|&k| y[k]).collect();
    let pipeline = Pipeline::fit_rows(x, &train, schema, pre)?;
    let (train, y_train) = match sampling::balance_rows(&yt, balance, fold_seed)? {
        Some(kept) => {
            let rows: Vec<usize> = kept.iter().map(|&k| train[k]).collect();
            let labels = kept.iter().map(|&k| yt[k]).collect();
            if binned {
                let xb = pipeline.transform_rows(x, &rows)?;
                let codes = Binned::new(&xb, MAX_BINS)?;
                (FoldTrain::Binned(rows, codes), labels)
            } else {
                (FoldTrain::Rows(rows), labels)
            }
        }
        None => {
            let xt = pipeline.transform_rows(x, &train)?;
            let (xb, labels) = sampling::balance(&xt, &yt, balance, fold_seed)?;
            (FoldTrain::Matrix(xb), labels)
        }
    };
    Ok(FoldData {
        source: x,
        pipeline,
        train,
        y_train,
        valid_rows: fold.valid.iter().map(|&k| dev_rows[k]).collect(),
        y_valid: fold.valid.iter().map(|&k| y[k]).collect(),
        valid_index: fold.valid.clone(),
    })
}

/// Every fold of `dev` prepared with `pre` (binned for the tree families). Seeds:
/// `derive(seed, 100 + fold)`.
fn prepare_folds<'a>(
    x: &'a Matrix,
    dev: &Development,
    schema: &Schema,
    (pre, binned): (&PreprocessConfig, bool),
    config: &TrainConfig,
    progress: &mut dyn FnMut(&Progress),
) -> Result<Vec<FoldData<'a>>> {
    let mut out = Vec::with_capacity(dev.folds.len());
    for (i, f) in dev.folds.iter().enumerate() {
        progress(&Progress::new("preparing folds", i, dev.folds.len()));
        out.push(prepare_fold(
            x,
            &dev.dev,
            &dev.y,
            f,
            schema,
            pre,
            config.balance,
            Rng::derive(config.seed, 100 + i as u64),
            binned,
        )?);
    }
    Ok(out)
}

/// Searches every family of `config` on the same folds (the declared time-series spaces for
/// time-series data), reading the development rows of `x`: every candidate of every family,
/// in order ([`Searches`]). Seeds: `derive(seed, 1000 + family)`.
pub fn search_families(
    x: &Matrix,
    dev: &Development,
    schema: &Schema,
    config: &TrainConfig,
    progress: &mut dyn FnMut(&Progress),
) -> Result<Vec<FamilySearch>> {
    let mut searches = Searches::new(x, dev, schema, config)?;
    for (k, total) in searches.totals().into_iter().enumerate() {
        let stage = format!("searching {}", config.families[k].title().to_lowercase());
        for i in 0..total {
            searches.run(k, i, progress)?;
            progress(&Progress::new(&stage, i + 1, total));
        }
    }
    searches
        .into_parts()
        .into_iter()
        .map(|s| search::merge_shares(vec![s]))
        .collect()
}

/// The preprocessing and form of a family's folds (binned for the tree families).
type Variant = (PreprocessConfig, bool);

/// A training's searches, one candidate at a time in any order and split between workers in
/// any way: each worker runs the candidates it is given ([`Searches::run`]) and hands its
/// parts to the worker that merges them ([`search::merge_shares`]). A candidate's result
/// depends only on the data, the configuration (its seed), the family and the candidate, so
/// the merged parts equal one run of [`search_families`] however the candidates were dealt.
/// Folds are prepared when a family first needs them, once per distinct preprocessing and
/// form ([`preprocess_for`]; binned for the tree families, row indices for logistic
/// regression), and dropped when a family that does not need them starts: candidates taken
/// family by family prepare each form once.
pub struct Searches<'a> {
    x: &'a Matrix,
    dev: &'a Development,
    schema: &'a Schema,
    config: &'a TrainConfig,
    /// Per family of `config`: its space, its candidates and the search's seed.
    spaces: Vec<(SearchSpace, Vec<Hyperparameters>, u64)>,
    variants: Vec<(Variant, Vec<FoldData<'a>>)>,
    parts: Vec<SearchShare>,
}

impl<'a> Searches<'a> {
    /// The searches of `config`'s families on the development rows `dev` of `x`, nothing run.
    pub fn new(
        x: &'a Matrix,
        dev: &'a Development,
        schema: &'a Schema,
        config: &'a TrainConfig,
    ) -> Result<Self> {
        let mut spaces = Vec::with_capacity(config.families.len());
        for &family in &config.families {
            let space = if dev.series.is_some() {
                SearchSpace::time_series_for(family)
            } else {
                SearchSpace::default_for(family)
            }
            .with_fixed(&config.fixed);
            let seed = Rng::derive(config.seed, 1000 + family as u64);
            let candidates = space.candidates(config.strategy, seed)?;
            spaces.push((space, candidates, seed));
        }
        let parts = spaces
            .iter()
            .map(|(space, c, _)| SearchShare::empty(space.family, c.len()))
            .collect();
        Ok(Searches {
            x,
            dev,
            schema,
            config,
            spaces,
            variants: Vec::new(),
            parts,
        })
    }

    /// How many candidates each family has (in `config.families` order).
    pub fn totals(&self) -> Vec<usize> {
        self.spaces.iter().map(|(_, c, _)| c.len()).collect()
    }

    /// Cross-validates candidate `index` of family `family` (its position in
    /// `config.families`). `progress` hears the folds being prepared.
    pub fn run(
        &mut self,
        family: usize,
        index: usize,
        progress: &mut dyn FnMut(&Progress),
    ) -> Result<()> {
        let Some((space, candidates, seed)) = self.spaces.get(family) else {
            return Err(Error::param(
                "search",
                format!("there is no family {family} to search"),
            ));
        };
        let Some(h) = candidates.get(index) else {
            return Err(Error::param(
                "search",
                format!(
                    "{} has no candidate {index} (it has {})",
                    space.family.title(),
                    candidates.len()
                ),
            ));
        };
        self.parts[family].check_new(index)?;
        let variant = |f: Family| {
            (
                preprocess_for(f, &self.config.preprocess),
                f != Family::Logistic,
            )
        };
        let key = variant(space.family);
        let ahead = &self.config.families[family..];
        self.variants
            .retain(|(v, _)| ahead.iter().any(|&f| variant(f) == *v));
        let slot = match self.variants.iter().position(|(v, _)| *v == key) {
            Some(slot) => slot,
            None => {
                let folds = prepare_folds(
                    self.x,
                    self.dev,
                    self.schema,
                    (&key.0, key.1),
                    self.config,
                    progress,
                )?;
                self.variants.push((key, folds));
                self.variants.len() - 1
            }
        };
        let (result, oof) = search::cross_validate_candidate(
            space.family,
            h.clone(),
            (
                &self.variants[slot].1,
                self.dev.y.len(),
                self.config.metric,
                *seed,
            ),
        )?;
        self.parts[family].add(index, result, oof)
    }

    /// What was run: one part per family of `config`, in its order.
    pub fn into_parts(self) -> Vec<SearchShare> {
        self.parts
    }
}

/// Simplicity rank of a family (lower is simpler: fewer parameters, exact explanations).
fn simplicity(f: Family) -> u8 {
    match f {
        Family::Logistic => 0,
        Family::Boosting => 1,
        Family::Forest => 2,
    }
}

/// Index of the family to ship (see [`Selection`]); ties go to the earlier search.
pub fn select_family(searches: &[FamilySearch], rule: Selection, folds: usize) -> Result<usize> {
    let best = searches
        .iter()
        .enumerate()
        .fold(None::<(usize, f64)>, |best, (i, s)| {
            let m = s.best_candidate().mean;
            match best {
                Some((_, bm)) if bm >= m => best,
                _ => Some((i, m)),
            }
        })
        .ok_or_else(|| Error::param("families", "nothing was searched"))?;
    match rule {
        Selection::Best => Ok(best.0),
        Selection::OneStandardError => {
            let top = searches[best.0].best_candidate();
            let bar = top.mean - top.sd / (folds as f64).sqrt();
            Ok(searches
                .iter()
                .enumerate()
                .filter(|(_, s)| s.best_candidate().mean >= bar)
                .min_by_key(|(i, s)| (simplicity(s.family), *i))
                .map_or(best.0, |(i, _)| i))
        }
    }
}

/// Every family's best candidate with its out-of-fold metrics (uncalibrated), for the model
/// card's comparison table.
pub fn compare_families(
    searches: &[FamilySearch],
    selected: usize,
    dev: &Development,
    uparams: &UtilityParams,
) -> Result<Vec<FamilyComparison>> {
    let y = &dev.y;
    let mut comparison = Vec::with_capacity(searches.len());
    for (i, s) in searches.iter().enumerate() {
        let b = s.best_candidate();
        let oof_utility = match dev.patient_parts(&s.best_oof) {
            Some(parts) => Some(best_utility(&parts, &s.best_oof, uparams)?.score.normalized),
            None => None,
        };
        comparison.push(FamilyComparison {
            family: s.family,
            hyperparameters: b.hyperparameters.clone(),
            cv_mean: b.mean,
            cv_sd: b.sd,
            fold_scores: b.fold_scores.clone(),
            candidates: s.candidates.len(),
            oof_roc_auc: metrics::roc_auc(y, &s.best_oof)?,
            oof_pr_auc: metrics::average_precision(y, &s.best_oof)?,
            oof_brier: metrics::brier(y, &s.best_oof)?,
            selected: i == selected,
            oof_utility,
        });
    }
    Ok(comparison)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::models::boosting::BoostingParams;
    use crate::core::models::forest::ForestParams;
    use crate::core::models::logistic::LogisticParams;
    use crate::core::models::{Model, ModelParams};

    fn schema() -> Schema {
        Schema::from_json(
            r#"{
            "name": "toy", "title": "Toy",
            "label": { "name": "y", "positive": ["1"], "negative": ["0"] },
            "features": [
                { "name": "a", "label": "A", "kind": { "type": "numeric" } },
                { "name": "b", "label": "B", "kind": { "type": "numeric" } },
                { "name": "c", "label": "C", "kind": { "type": "binary" } }
            ]
        }"#,
        )
        .unwrap()
    }

    /// 120 source rows; the development rows are every row but a few, out of order.
    fn data() -> (Matrix, Vec<usize>, Vec<bool>) {
        let mut rng = Rng::new(5);
        let rows: Vec<Vec<f64>> = (0..120)
            .map(|i| {
                let a = if i % 7 == 0 {
                    f64::NAN
                } else {
                    rng.next_f64() * 10.0
                };
                vec![a, (i as f64 * 0.3).sin() * 5.0, (i % 2) as f64]
            })
            .collect();
        let x = Matrix::from_rows(&rows).unwrap();
        let dev: Vec<usize> = (0..120).rev().filter(|i| i % 11 != 3).collect();
        let y = dev
            .iter()
            .map(|&i| i % 5 == 0 || x.get(i, 1) > 4.0)
            .collect();
        (x, dev, y)
    }

    /// The fold materialised the way training did before row indices: copies of the rows,
    /// preprocessing fitted and applied to them, the balanced copy, then `Model::fit`.
    fn copied_fit(
        (x, dev, y): &(Matrix, Vec<usize>, Vec<bool>),
        fold: &Fold,
        pre: &PreprocessConfig,
        balance: Balance,
        params: &ModelParams,
    ) -> Vec<f64> {
        let xd = x.select_rows(dev);
        let xt = xd.select_rows(&fold.train);
        let yt: Vec<bool> = fold.train.iter().map(|&i| y[i]).collect();
        let pipe = Pipeline::fit(&xt, &schema(), pre).unwrap();
        let (xb, yb) = sampling::balance(&pipe.transform(&xt).unwrap(), &yt, balance, 9).unwrap();
        let model = Model::fit(params, &xb, &yb, 3).unwrap();
        let xv = pipe.transform(&xd.select_rows(&fold.valid)).unwrap();
        model.predict_proba(&xv).unwrap()
    }

    #[test]
    fn index_folds_fit_exactly_the_models_of_copied_folds() {
        let d = data();
        let folds = sampling::stratified_kfold(&d.2, 3, 1).unwrap();
        let params = [
            ModelParams::Logistic(LogisticParams::default()),
            ModelParams::Forest(ForestParams::default().with_n_trees(5)),
            ModelParams::Boosting(BoostingParams::default().with_n_estimators(10)),
            ModelParams::Boosting(
                BoostingParams::default()
                    .with_n_estimators(5)
                    .with_max_bins(16),
            ),
        ];
        for balance in [
            Balance::None,
            Balance::Under,
            Balance::Over,
            Balance::Smote { k: 3 },
        ] {
            for p in &params {
                let pre = preprocess_for(p.family(), &PreprocessConfig::default());
                let fold = &folds[1];
                let binned = p.family() != Family::Logistic;
                let f = prepare_fold(&d.0, &d.1, &d.2, fold, &schema(), &pre, balance, 9, binned)
                    .unwrap();
                let got = f.predict_valid(&f.fit(p, 3).unwrap()).unwrap();
                assert_eq!(
                    got,
                    copied_fit(&d, fold, &pre, balance, p),
                    "{balance} {p:?}"
                );
                assert_eq!(f.y_valid.len(), fold.valid.len());
            }
        }
    }
}
