//! Hyperparameter search (grid or random) with stratified k-fold cross-validation.
//!
//! The caller prepares the folds once ([`FoldData`]: preprocessing fitted on each training
//! fold only, balancing applied to the training part only); every candidate of every family
//! is then scored on exactly the same folds, so their scores are comparable.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::core::metrics;
use crate::core::models::boosting::GradientBoosting;
use crate::core::models::forest::RandomForest;
use crate::core::models::tree::Binned;
use crate::core::models::{Family, Hyperparameter, Hyperparameters, Model, ModelParams, hyper};
use crate::core::num;
use crate::core::parallel;
use crate::core::preprocess::Pipeline;
use crate::core::rng::Rng;
use crate::core::{Error, Matrix, Result};

/// The metric optimised by the search (higher is better after [`Metric::score`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// Area under the ROC curve.
    #[default]
    RocAuc,
    /// Average precision (area under the precision-recall curve).
    PrAuc,
    /// Brier score (scored as its negative).
    Brier,
    /// Log loss (scored as its negative).
    LogLoss,
}

impl Metric {
    /// The metric's value; for losses, its negative, so that higher is always better.
    pub fn score(self, y: &[bool], p: &[f64]) -> Result<f64> {
        Ok(match self {
            Metric::RocAuc => metrics::roc_auc(y, p)?,
            Metric::PrAuc => metrics::average_precision(y, p)?,
            Metric::Brier => -metrics::brier(y, p)?,
            Metric::LogLoss => -metrics::log_loss(y, p)?,
        })
    }

    /// Machine name.
    pub fn key(self) -> &'static str {
        match self {
            Metric::RocAuc => "roc_auc",
            Metric::PrAuc => "pr_auc",
            Metric::Brier => "brier",
            Metric::LogLoss => "log_loss",
        }
    }
}

impl fmt::Display for Metric {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

impl Metric {
    /// The canonical names `FromStr` reads (it also takes `auc`, `auroc`, `auprc`,
    /// `average_precision` and `logloss`).
    pub const NAMES: &'static [&'static str] = &["roc_auc", "pr_auc", "brier", "log_loss"];
}

impl FromStr for Metric {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "roc_auc" | "auc" | "auroc" => Ok(Metric::RocAuc),
            "pr_auc" | "auprc" | "average_precision" => Ok(Metric::PrAuc),
            "brier" => Ok(Metric::Brier),
            "log_loss" | "logloss" => Ok(Metric::LogLoss),
            other => Err(Error::param(
                "metric",
                format!("unknown metric `{other}` (expected roc_auc, pr_auc, brier or log_loss)"),
            )),
        }
    }
}

/// How the candidates of a space are chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", try_from = "StrategyRepr")]
pub enum Strategy {
    /// Every combination of the grid values.
    Grid,
    /// `n_iter` draws from the space's distributions (duplicates removed).
    Random {
        /// Number of draws.
        n_iter: usize,
    },
}

/// The serial form of a [`Strategy`] when reading (`crate::core::tagged`: no buffering, any
/// field order).
#[derive(Deserialize)]
struct StrategyRepr {
    kind: String,
    n_iter: Option<usize>,
}

impl TryFrom<StrategyRepr> for Strategy {
    type Error = String;

    fn try_from(r: StrategyRepr) -> std::result::Result<Self, String> {
        Ok(match r.kind.as_str() {
            "grid" => Strategy::Grid,
            "random" => Strategy::Random {
                n_iter: r.n_iter.ok_or("missing field `n_iter`")?,
            },
            other => return Err(format!("unknown search strategy `{other}`")),
        })
    }
}

/// One hyperparameter's range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Dimension {
    /// A fixed list of values (grid search uses all; random search picks one).
    Values {
        /// The values.
        values: Vec<f64>,
    },
    /// A log-uniform range (random search draws from it; grid search uses `grid` values).
    LogUniform {
        /// Lower bound (> 0).
        low: f64,
        /// Upper bound.
        high: f64,
        /// Values used by grid search.
        grid: Vec<f64>,
    },
    /// Whole numbers in `low..=high` (random draws uniformly; grid uses `grid`).
    Integer {
        /// Lower bound.
        low: u32,
        /// Upper bound.
        high: u32,
        /// Values used by grid search.
        grid: Vec<f64>,
    },
}

impl Dimension {
    fn grid(&self) -> &[f64] {
        match self {
            Dimension::Values { values } => values,
            Dimension::LogUniform { grid, .. } | Dimension::Integer { grid, .. } => grid,
        }
    }

    fn draw(&self, rng: &mut Rng) -> f64 {
        match self {
            Dimension::Values { values } => values[rng.below(values.len())],
            Dimension::LogUniform { low, high, .. } => {
                let v = num::exp(num::ln(*low) + rng.next_f64() * (num::ln(*high) - num::ln(*low)));
                // Three significant digits keep bundles readable and candidates distinct.
                let mag = 10f64.powi(num::log10(v).floor() as i32 - 2);
                (v / mag).round() * mag
            }
            Dimension::Integer { low, high, .. } => {
                f64::from(*low + rng.below((*high - *low + 1) as usize) as u32)
            }
        }
    }

    fn validate(&self, name: &str) -> Result<()> {
        let ok = match self {
            Dimension::Values { values } => !values.is_empty(),
            Dimension::LogUniform { low, high, grid } => {
                *low > 0.0 && low <= high && !grid.is_empty()
            }
            Dimension::Integer { low, high, grid } => low <= high && !grid.is_empty(),
        };
        if ok {
            Ok(())
        } else {
            Err(Error::param(name, "empty or inverted search range"))
        }
    }
}

/// The search space of one family.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchSpace {
    /// The family searched.
    pub family: Family,
    /// Named dimensions (see [`Hyperparameter::parse`] for the names and their numbers).
    pub dims: BTreeMap<String, Dimension>,
}

fn values(v: &[f64]) -> Dimension {
    Dimension::Values { values: v.to_vec() }
}

impl SearchSpace {
    /// The default, declared search space of a family, sized so that the whole search on a
    /// few hundred rows takes seconds.
    pub fn default_for(family: Family) -> SearchSpace {
        let mut dims = BTreeMap::new();
        match family {
            Family::Logistic => {
                dims.insert(
                    "c".into(),
                    Dimension::LogUniform {
                        low: 1e-3,
                        high: 1e2,
                        grid: vec![0.001, 0.01, 0.1, 1.0, 10.0, 100.0],
                    },
                );
            }
            Family::Forest => {
                dims.insert("n_trees".into(), values(&[150.0]));
                dims.insert(
                    "max_depth".into(),
                    Dimension::Integer {
                        low: 3,
                        high: 12,
                        grid: vec![4.0, 8.0],
                    },
                );
                dims.insert(
                    "min_samples_leaf".into(),
                    Dimension::Integer {
                        low: 1,
                        high: 20,
                        grid: vec![2.0, 5.0, 10.0],
                    },
                );
                dims.insert("max_features".into(), values(&[0.0, 0.5]));
            }
            Family::Boosting => {
                dims.insert(
                    "n_estimators".into(),
                    Dimension::Integer {
                        low: 50,
                        high: 400,
                        grid: vec![100.0, 200.0],
                    },
                );
                dims.insert(
                    "learning_rate".into(),
                    Dimension::LogUniform {
                        low: 0.01,
                        high: 0.3,
                        grid: vec![0.03, 0.1],
                    },
                );
                dims.insert(
                    "max_depth".into(),
                    Dimension::Integer {
                        low: 1,
                        high: 5,
                        grid: vec![2.0, 3.0],
                    },
                );
                dims.insert(
                    "min_samples_leaf".into(),
                    Dimension::Integer {
                        low: 5,
                        high: 40,
                        grid: vec![10.0, 20.0],
                    },
                );
                dims.insert("subsample".into(), values(&[0.8]));
            }
        }
        SearchSpace { family, dims }
    }

    /// The search space for time-series data (hundreds of thousands of patient-hours with
    /// ~180 time-aware features): a few candidates per family, each trained in minutes on
    /// 2 cores, with trees kept shallow enough for a bundle the browser can load.
    pub fn time_series_for(family: Family) -> SearchSpace {
        let mut dims = BTreeMap::new();
        match family {
            Family::Logistic => {
                dims.insert(
                    "c".into(),
                    Dimension::LogUniform {
                        low: 1e-3,
                        high: 1e1,
                        grid: vec![0.01, 0.1, 1.0],
                    },
                );
            }
            Family::Forest => {
                dims.insert("n_trees".into(), values(&[100.0]));
                dims.insert(
                    "max_depth".into(),
                    Dimension::Integer {
                        low: 4,
                        high: 12,
                        grid: vec![8.0, 10.0],
                    },
                );
                dims.insert("min_samples_leaf".into(), values(&[50.0]));
                dims.insert("max_features".into(), values(&[0.0]));
            }
            Family::Boosting => {
                dims.insert("n_estimators".into(), values(&[300.0]));
                dims.insert("learning_rate".into(), values(&[0.05]));
                dims.insert(
                    "max_depth".into(),
                    Dimension::Integer {
                        low: 2,
                        high: 8,
                        grid: vec![3.0, 4.0],
                    },
                );
                dims.insert(
                    "min_samples_leaf".into(),
                    Dimension::Integer {
                        low: 20,
                        high: 400,
                        grid: vec![50.0, 200.0],
                    },
                );
                dims.insert("l2_regularization".into(), values(&[1.0]));
                dims.insert("subsample".into(), values(&[0.8]));
            }
        }
        SearchSpace { family, dims }
    }

    /// This space with every name of `fixed` that the family has reduced to that one value
    /// ([`crate::core::config::TrainConfig::fixed`]); other names are left to other families.
    pub fn with_fixed(mut self, fixed: &BTreeMap<String, f64>) -> SearchSpace {
        for (name, &v) in fixed {
            if hyper::names(self.family).contains(&name.as_str()) {
                self.dims.insert(name.clone(), values(&[v]));
            }
        }
        self
    }

    /// The candidates to try, in a deterministic order. Every candidate is checked by
    /// building its [`ModelParams`].
    pub fn candidates(&self, strategy: Strategy, seed: u64) -> Result<Vec<Hyperparameters>> {
        for (name, d) in &self.dims {
            d.validate(name)?;
        }
        let mut out: Vec<Hyperparameters> = Vec::new();
        match strategy {
            Strategy::Grid => {
                out.push(Hyperparameters::new());
                for (name, d) in &self.dims {
                    let mut next = Vec::with_capacity(out.len() * d.grid().len());
                    for partial in &out {
                        for &v in d.grid() {
                            let mut c = partial.clone();
                            c.set(Hyperparameter::parse(name, v)?);
                            next.push(c);
                        }
                    }
                    out = next;
                }
            }
            Strategy::Random { n_iter } => {
                if n_iter == 0 {
                    return Err(Error::param(
                        "n_iter",
                        "random search needs at least one draw",
                    ));
                }
                let mut rng = Rng::new(seed);
                for _ in 0..n_iter {
                    let drawn: Vec<(&str, f64)> = self
                        .dims
                        .iter()
                        .map(|(n, d)| (n.as_str(), d.draw(&mut rng)))
                        .collect();
                    let c = Hyperparameters::from_numbers(drawn)?;
                    if !out.contains(&c) {
                        out.push(c);
                    }
                }
            }
        }
        for c in &out {
            ModelParams::from_hyperparameters(self.family, c)?;
        }
        Ok(out)
    }
}

/// One prepared cross-validation fold: its preprocessing (fitted on its training part only)
/// and its balanced training rows, as row indices into the shared, untransformed source
/// matrix wherever possible, so every fold and family reads one copy of the features.
///
/// The training part is held in the most compact form its family can fit from: tree
/// families keep only the binned `u8` codes of the preprocessed training rows
/// ([`FoldTrain::Binned`]); logistic regression keeps the row indices and materialises the
/// preprocessed rows for the duration of one fit ([`FoldTrain::Rows`]); SMOTE, which makes
/// new rows, keeps its preprocessed, balanced matrix ([`FoldTrain::Matrix`]). Validation rows
/// are preprocessed one at a time when scored. Fitting and scoring give exactly the models and
/// probabilities of fitting on the materialised matrices.
#[derive(Debug, Clone, PartialEq)]
pub struct FoldData<'a> {
    /// The untransformed inputs the row indices point into.
    pub source: &'a Matrix,
    /// Preprocessing fitted on the fold's training rows.
    pub pipeline: Pipeline,
    /// The balanced training part.
    pub train: FoldTrain,
    /// Training labels (after balancing), one per training row.
    pub y_train: Vec<bool>,
    /// Rows of `source` validated on (never balanced).
    pub valid_rows: Vec<usize>,
    /// Validation labels.
    pub y_valid: Vec<bool>,
    /// Positions of the validation rows in the full development set.
    pub valid_index: Vec<usize>,
}

/// The balanced training part of a [`FoldData`].
#[derive(Debug, Clone, PartialEq)]
pub enum FoldTrain {
    /// Rows of the source matrix (in order, repeated for over-sampling), preprocessed when a
    /// model is fitted.
    Rows(Vec<usize>),
    /// Those rows preprocessed and binned once for the tree families (the row list is kept
    /// for a candidate whose `max_bins` differs from the codes').
    Binned(Vec<usize>, Binned),
    /// A preprocessed, balanced matrix (SMOTE's synthetic rows live only here).
    Matrix(Matrix),
}

impl FoldData<'_> {
    /// Fits `params` on the fold's training part with `seed`: the same model as
    /// [`Model::fit`] on the preprocessed, balanced training matrix.
    pub fn fit(&self, params: &ModelParams, seed: u64) -> Result<Model> {
        let y = &self.y_train;
        match (&self.train, params) {
            (FoldTrain::Matrix(x), _) => Model::fit(params, x, y, seed),
            (FoldTrain::Binned(_, b), ModelParams::Boosting(p)) if b.max_bins() == p.max_bins => {
                Ok(Model::Boosting(GradientBoosting::fit_binned(
                    b, y, None, p, seed,
                )?))
            }
            (FoldTrain::Binned(_, b), ModelParams::Forest(p)) if b.max_bins() == p.max_bins => Ok(
                Model::Forest(RandomForest::fit_binned(b, y, None, p, seed)?),
            ),
            (FoldTrain::Rows(rows) | FoldTrain::Binned(rows, _), _) => {
                let x = self.pipeline.transform_rows(self.source, rows)?;
                Model::fit(params, &x, y, seed)
            }
        }
    }

    /// `model`'s probabilities for the validation rows (in their order), each row
    /// preprocessed into one reused buffer: identical to `predict_proba` on the preprocessed
    /// validation matrix.
    pub fn predict_valid(&self, model: &Model) -> Result<Vec<f64>> {
        let mut buf = Vec::with_capacity(self.pipeline.n_outputs());
        self.valid_rows
            .iter()
            .map(|&i| {
                self.pipeline
                    .transform_row_into(self.source.row(i), &mut buf)?;
                model.predict_row(&buf)
            })
            .collect()
    }
}

/// The cross-validated result of one candidate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CandidateResult {
    /// The candidate's hyperparameters.
    pub hyperparameters: Hyperparameters,
    /// Metric per fold.
    pub fold_scores: Vec<f64>,
    /// Mean over folds.
    pub mean: f64,
    /// Sample standard deviation over folds.
    pub sd: f64,
}

/// Result of searching one family.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FamilySearch {
    /// The family.
    pub family: Family,
    /// Every candidate tried, in order.
    pub candidates: Vec<CandidateResult>,
    /// Index of the best candidate (highest mean; ties: the earlier one).
    pub best: usize,
    /// Out-of-fold probabilities of the best candidate, one per development row.
    pub best_oof: Vec<f64>,
}

impl FamilySearch {
    /// The best candidate.
    pub fn best_candidate(&self) -> &CandidateResult {
        &self.candidates[self.best]
    }
}

/// Cross-validates one parameter set: returns per-fold scores and out-of-fold probabilities
/// (`n_rows` long, in development-set order). Fold `i` uses seed `Rng::derive(seed, i)`.
pub fn cross_validate(
    params: &ModelParams,
    folds: &[FoldData],
    n_rows: usize,
    metric: Metric,
    seed: u64,
) -> Result<(Vec<f64>, Vec<f64>)> {
    let mut oof = vec![f64::NAN; n_rows];
    let mut scores = Vec::with_capacity(folds.len());
    let fit_fold = |i: usize, f: &FoldData| -> Result<Vec<f64>> {
        let model = f.fit(params, Rng::derive(seed, i as u64))?;
        f.predict_valid(&model)
    };
    let fold_predictions = map_folds(folds, &fit_fold)?;
    for (f, p) in folds.iter().zip(fold_predictions) {
        scores.push(metric.score(&f.y_valid, &p)?);
        for (&row, &v) in f.valid_index.iter().zip(&p) {
            if row >= n_rows {
                return Err(Error::ShapeMismatch {
                    expected: n_rows,
                    got: row + 1,
                });
            }
            oof[row] = v;
        }
    }
    if oof.iter().any(|v| v.is_nan()) {
        return Err(Error::InsufficientData(
            "the folds do not cover every development row".into(),
        ));
    }
    Ok((scores, oof))
}

/// Applies `fit` to every fold, in fold order. Natively the folds run on up to
/// [`parallel::threads`] threads (each fold has its own seed, so the results do not depend
/// on the thread count); in the browser they run one after another.
fn map_folds(
    folds: &[FoldData],
    fit: &(dyn Fn(usize, &FoldData) -> Result<Vec<f64>> + Sync),
) -> Result<Vec<Vec<f64>>> {
    parallel::map(folds.len(), || (), |i, _| fit(i, &folds[i]))
        .into_iter()
        .collect()
}

/// Cross-validates one candidate (`h`, of `family`) on `data` (the folds, the number of
/// development rows, the metric and the search's seed): its result and its out-of-fold
/// probabilities. The result depends only on these, never on which worker runs it or when.
pub fn cross_validate_candidate(
    family: Family,
    h: Hyperparameters,
    (folds, n_rows, metric, seed): (&[FoldData], usize, Metric, u64),
) -> Result<(CandidateResult, Vec<f64>)> {
    let params = ModelParams::from_hyperparameters(family, &h)?;
    let (fold_scores, oof) = cross_validate(&params, folds, n_rows, metric, seed)?;
    let (mean, sd) = crate::core::stats::mean_sd(&fold_scores)?;
    Ok((
        CandidateResult {
            hyperparameters: h,
            fold_scores,
            mean,
            sd,
        },
        oof,
    ))
}

/// A part of a family's search: any of its candidates, cross-validated (by one worker of
/// several that take the candidates as they come free; [`merge_shares`] puts the parts back
/// together).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchShare {
    /// The family.
    pub family: Family,
    /// Candidates in the whole search.
    pub total: usize,
    /// The part's candidates: index in the whole search, result (ascending by index).
    pub candidates: Vec<(usize, CandidateResult)>,
    /// The part's best candidate (as a search in index order would choose among them):
    /// index, out-of-fold probabilities.
    pub best: Option<(usize, Vec<f64>)>,
}

impl SearchShare {
    /// No candidates yet of a search of `family` with `total` candidates.
    pub fn empty(family: Family, total: usize) -> Self {
        SearchShare {
            family,
            total,
            candidates: Vec::new(),
            best: None,
        }
    }

    /// Checks that candidate `i` is in the search and not yet here (before the work of
    /// cross-validating it); its position among the part's candidates.
    pub fn check_new(&self, i: usize) -> Result<usize> {
        match self.candidates.binary_search_by_key(&i, |(k, _)| *k) {
            _ if i >= self.total => Err(format!(
                "candidate {i} is not one of the search's {}",
                self.total
            )),
            Ok(_) => Err(format!("candidate {i} was searched twice")),
            Err(at) => Ok(at),
        }
        .map_err(|why| Error::param("search share", why))
    }

    /// Adds candidate `i`'s result and out-of-fold probabilities (in any order): the
    /// part's best stays the one a search in index order would choose among its candidates,
    /// and only its probabilities are kept. An error when `i` is not in the search or is
    /// already here ([`SearchShare::check_new`]).
    pub fn add(&mut self, i: usize, result: CandidateResult, oof: Vec<f64>) -> Result<()> {
        let at = self.check_new(i)?;
        let best = self.best.as_ref().and_then(|(b, _)| {
            self.candidates
                .iter()
                .find(|(k, _)| k == b)
                .map(|(k, c)| (*k, c.mean))
        });
        let replaces = best.is_none_or(|b| wins((i, result.mean), b));
        self.candidates.insert(at, (i, result));
        if replaces {
            self.best = Some((i, oof));
        }
        Ok(())
    }
}

/// Whether a candidate with mean `mean` replaces the best so far (`best`) when the candidates
/// are taken in order: the first highest mean wins, and a mean that is not a number never
/// beats one that is. Taken over any part, the winner of the whole is its part's winner.
fn better(mean: f64, best: Option<f64>) -> bool {
    match best {
        None => true,
        Some(b) => !mean.is_nan() && (b.is_nan() || mean > b),
    }
}

/// Whether candidate `a` (index, mean) beats candidate `b` whatever order they came in: the
/// choice [`better`] makes when they are taken in index order.
fn wins(a: (usize, f64), b: (usize, f64)) -> bool {
    if a.0 < b.0 {
        !better(b.1, Some(a.1))
    } else {
        better(a.1, Some(b.1))
    }
}

/// The whole search from all of its parts (any order, each candidate in exactly one): every
/// candidate in order, and the best one: the highest mean, the earlier one on ties (a mean
/// that is not a number is never better than one that is). Errors when the parts are
/// not those of one search.
pub fn merge_shares(shares: Vec<SearchShare>) -> Result<FamilySearch> {
    let bad = |why: &str| Err(Error::param("search shares", why.to_string()));
    let Some(first) = shares.first() else {
        return bad("there are none");
    };
    let (family, total) = (first.family, first.total);
    if shares
        .iter()
        .any(|s| s.family != family || s.total != total)
    {
        return bad("they are not the parts of one family's search");
    }
    let mut all: Vec<(usize, CandidateResult)> = Vec::with_capacity(total);
    let mut oofs = Vec::new();
    for s in shares {
        all.extend(s.candidates);
        oofs.extend(s.best);
    }
    all.sort_by_key(|(i, _)| *i);
    if all.iter().enumerate().any(|(k, (i, _))| k != *i) || all.len() != total {
        return bad("their candidates are not those of the search (one is missing or twice)");
    }
    let mut best: Option<(usize, f64)> = None;
    for (i, c) in &all {
        if better(c.mean, best.map(|b| b.1)) {
            best = Some((*i, c.mean));
        }
    }
    let Some((best, _)) = best else {
        return Err(Error::param("search space", "no candidates to try"));
    };
    let Some((_, best_oof)) = oofs.into_iter().find(|(i, _)| *i == best) else {
        return bad("the best candidate's part did not choose it");
    };
    Ok(FamilySearch {
        family,
        candidates: all.into_iter().map(|(_, c)| c).collect(),
        best,
        best_oof,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_is_the_cartesian_product() {
        let s = SearchSpace::default_for(Family::Boosting);
        let c = s.candidates(Strategy::Grid, 0).unwrap();
        let expected: usize = s.dims.values().map(|d| d.grid().len()).product();
        assert_eq!(c.len(), expected);
        let mut dedup = c.clone();
        dedup.dedup();
        assert_eq!(dedup.len(), c.len());
    }

    #[test]
    fn random_search_is_seeded_and_within_bounds() {
        let s = SearchSpace::default_for(Family::Boosting);
        let a = s.candidates(Strategy::Random { n_iter: 15 }, 7).unwrap();
        let b = s.candidates(Strategy::Random { n_iter: 15 }, 7).unwrap();
        let c = s.candidates(Strategy::Random { n_iter: 15 }, 8).unwrap();
        assert_eq!(a, b);
        assert_ne!(a, c);
        for h in &a {
            let number = |name| h.number(name).unwrap();
            assert!((0.01..=0.3).contains(&number("learning_rate")), "{h:?}");
            assert!((1.0..=5.0).contains(&number("max_depth")));
        }
        assert!(s.candidates(Strategy::Random { n_iter: 0 }, 7).is_err());
    }

    #[test]
    fn invalid_spaces_are_errors() {
        let mut s = SearchSpace::default_for(Family::Logistic);
        s.dims.insert("c".into(), values(&[-1.0]));
        assert!(s.candidates(Strategy::Grid, 0).is_err());
        s.dims.insert("depth".into(), values(&[1.0]));
        assert!(s.candidates(Strategy::Grid, 0).is_err());
        s.dims.insert("c".into(), values(&[]));
        assert!(s.candidates(Strategy::Grid, 0).is_err());
    }

    #[test]
    fn parts_taken_in_any_order_choose_the_best_as_one_search_does() {
        let c = |mean: f64| CandidateResult {
            hyperparameters: Hyperparameters::new(),
            fold_scores: vec![mean],
            mean,
            sd: 0.0,
        };
        let means = [0.5, f64::NAN, 0.7, 0.7, 0.6, f64::NAN];
        let mut whole = SearchShare::empty(Family::Logistic, means.len());
        for (i, &m) in means.iter().enumerate() {
            whole.add(i, c(m), vec![i as f64]).unwrap();
        }
        let whole = merge_shares(vec![whole]).unwrap();
        assert_eq!((whole.best, whole.best_oof.clone()), (2, vec![2.0]));
        // Dealt backwards to two parts: each keeps the one the whole would choose among its own.
        let (mut a, mut b) = (
            SearchShare::empty(Family::Logistic, means.len()),
            SearchShare::empty(Family::Logistic, means.len()),
        );
        for i in (0..means.len()).rev() {
            let part = if i % 3 == 0 { &mut a } else { &mut b };
            part.add(i, c(means[i]), vec![i as f64]).unwrap();
        }
        assert_eq!(a.best.as_ref().map(|b| b.0), Some(3));
        assert_eq!(b.best.as_ref().map(|b| b.0), Some(2));
        assert!(a.candidates.windows(2).all(|w| w[0].0 < w[1].0));
        let merged = merge_shares(vec![b.clone(), a.clone()]).unwrap();
        assert_eq!((merged.best, merged.best_oof), (2, vec![2.0]));
        assert_eq!(merged.candidates.len(), means.len());
        assert!(a.add(3, c(0.9), vec![]).is_err(), "twice");
        assert!(a.add(6, c(0.9), vec![]).is_err(), "not in the search");
        assert!(merge_shares(vec![a.clone()]).is_err(), "a part missing");
        assert!(merge_shares(vec![a.clone(), a, b]).is_err(), "a part twice");
        // Only numbers that are not: the first one, whatever the order.
        let mut nan = SearchShare::empty(Family::Forest, 2);
        nan.add(1, c(f64::NAN), vec![1.0]).unwrap();
        nan.add(0, c(f64::NAN), vec![0.0]).unwrap();
        assert_eq!(merge_shares(vec![nan]).unwrap().best, 0);
    }

    #[test]
    fn metric_names_parse() {
        assert_eq!("AUROC".parse::<Metric>().unwrap(), Metric::RocAuc);
        assert!("accuracy".parse::<Metric>().is_err());
    }
}
