//! Stage 3, search: every family's candidates cross-validated on the same folds, each fold's
//! preprocessing fitted on its training part only (and balancing applied to it only); then
//! the family to ship is selected and all families are compared out of fold.

use crate::core::bundle::FamilyComparison;
use crate::core::config::{Selection, TrainConfig};
use crate::core::metrics;
use crate::core::models::Family;
use crate::core::preprocess::{Pipeline, PreprocessConfig};
use crate::core::rng::Rng;
use crate::core::sampling::{self, Balance, Fold};
use crate::core::schema::Schema;
use crate::core::search::{self, FamilySearch, FoldData, SearchSpace};
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

/// One fold, preprocessed (fitted on its training part) and balanced (training part only).
pub fn prepare_fold(
    x: &Matrix,
    y: &[bool],
    fold: &Fold,
    schema: &Schema,
    pre: &PreprocessConfig,
    balance: Balance,
    fold_seed: u64,
) -> Result<FoldData> {
    let xt = x.select_rows(&fold.train);
    let yt: Vec<bool> = fold.train.iter().map(|&i| y[i]).collect();
    let pipe = Pipeline::fit(&xt, schema, pre)?;
    let xt = pipe.transform(&xt)?;
    let (x_train, y_train) = sampling::balance(&xt, &yt, balance, fold_seed)?;
    let x_valid = pipe.transform(&x.select_rows(&fold.valid))?;
    Ok(FoldData {
        x_train,
        y_train,
        x_valid,
        y_valid: fold.valid.iter().map(|&i| y[i]).collect(),
        valid_index: fold.valid.clone(),
    })
}

/// Every fold of `dev` prepared with `pre`. Seeds: `derive(seed, 100 + fold)`.
fn prepare_folds(
    dev: &Development,
    schema: &Schema,
    pre: &PreprocessConfig,
    config: &TrainConfig,
    progress: &mut dyn FnMut(&Progress),
) -> Result<Vec<FoldData>> {
    let mut out = Vec::with_capacity(dev.folds.len());
    for (i, f) in dev.folds.iter().enumerate() {
        progress(&Progress::new("preparing folds", i, dev.folds.len()));
        out.push(prepare_fold(
            &dev.x,
            &dev.y,
            f,
            schema,
            pre,
            config.balance,
            Rng::derive(config.seed, 100 + i as u64),
        )?);
    }
    Ok(out)
}

/// Searches every family of `config` on the same folds (the declared time-series spaces for
/// time-series data). Folds are prepared once per distinct preprocessing (see
/// [`preprocess_for`]). Seeds: `derive(seed, 1000 + family)`.
pub fn search_families(
    dev: &Development,
    schema: &Schema,
    config: &TrainConfig,
    progress: &mut dyn FnMut(&Progress),
) -> Result<Vec<FamilySearch>> {
    let mut variants: Vec<(PreprocessConfig, Vec<FoldData>)> = Vec::new();
    let mut searches = Vec::with_capacity(config.families.len());
    for &family in &config.families {
        let pre = preprocess_for(family, &config.preprocess);
        let slot = match variants.iter().position(|(c, _)| *c == pre) {
            Some(k) => k,
            None => {
                let folds = prepare_folds(dev, schema, &pre, config, progress)?;
                variants.push((pre, folds));
                variants.len() - 1
            }
        };
        let space = if dev.series.is_some() {
            SearchSpace::time_series_for(family)
        } else {
            SearchSpace::default_for(family)
        };
        let stage = format!("searching {}", family.title().to_lowercase());
        searches.push(search::search(
            &space,
            config.strategy,
            &variants[slot].1,
            dev.y.len(),
            config.metric,
            Rng::derive(config.seed, 1000 + family as u64),
            &mut |done, total| progress(&Progress::new(&stage, done, total)),
        )?);
    }
    Ok(searches)
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
