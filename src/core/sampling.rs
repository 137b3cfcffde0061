//! Splitting and class balancing.
//!
//! - Stratified hold-out split ([`stratified_split`]) and stratified k-fold
//!   ([`stratified_kfold`]) over rows.
//! - Group-aware variants ([`group_split`], [`stratified_group_kfold`]) for patient-level ICU
//!   data: all rows of one group (patient) land on the same side of every split. A group counts
//!   as positive if any of its rows is positive, and groups are stratified by that flag.
//! - Class balancing of *training* data ([`balance`]): random over-sampling, random
//!   under-sampling and SMOTE. The caller applies it to the training part only, never to
//!   validation or test data, and imputes missing values before calling it.
//! - "Balanced" class weights ([`class_weights`], [`sample_weights`]) as an alternative to
//!   resampling.
//!
//! Every random step uses [`Rng`] created from the explicit `seed`, so results are identical
//! for the same inputs and seed on every platform. Returned index lists are sorted ascending.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::rng::Rng;
use super::{Error, Matrix, Result};

/// Default number of neighbours for SMOTE (`"smote"` on the command line).
pub const DEFAULT_SMOTE_K: usize = 5;

/// Above this many minority rows SMOTE searches neighbours among a seeded random pool of this
/// many minority rows instead of among all of them (see [`balance`]).
pub const SMOTE_EXACT_LIMIT: usize = 5000;

/// One cross-validation fold: row indices to train on and to validate on (both sorted
/// ascending, disjoint, together covering every row).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Fold {
    /// Training row indices.
    pub train: Vec<usize>,
    /// Validation row indices.
    pub valid: Vec<usize>,
}

/// Row indices of each class: `(negatives, positives)`, in ascending order.
fn class_indices(y: &[bool]) -> (Vec<usize>, Vec<usize>) {
    let mut neg = Vec::new();
    let mut pos = Vec::new();
    for (i, &label) in y.iter().enumerate() {
        if label {
            pos.push(i);
        } else {
            neg.push(i);
        }
    }
    (neg, pos)
}

fn check_fraction(test_fraction: f64) -> Result<()> {
    if !(test_fraction.is_finite() && test_fraction > 0.0 && test_fraction < 1.0) {
        return Err(Error::param(
            "test_fraction",
            format!("must lie strictly between 0 and 1, got {test_fraction}"),
        ));
    }
    Ok(())
}

fn check_k(k: usize) -> Result<()> {
    if k < 2 {
        return Err(Error::param(
            "k",
            format!("number of folds must be at least 2, got {k}"),
        ));
    }
    Ok(())
}

/// Number of test items out of `n` (`n >= 2`): `round(n * test_fraction)`, clamped so that
/// both parts keep at least one item.
fn test_count(n: usize, test_fraction: f64) -> usize {
    let t = (n as f64 * test_fraction).round() as usize;
    t.clamp(1, n - 1)
}

/// The complement of sorted `valid` in `0..n`, sorted.
fn complement(n: usize, valid: &[usize]) -> Vec<usize> {
    let mut in_valid = vec![false; n];
    for &i in valid {
        in_valid[i] = true;
    }
    (0..n).filter(|&i| !in_valid[i]).collect()
}

/// Stratified hold-out split of the rows: returns `(train, test)` row indices, each sorted
/// ascending.
///
/// Per class with `n_c` rows, `round(n_c * test_fraction)` rows (clamped to `1..=n_c - 1`, so
/// each class appears in both parts) are drawn at random for the test part, so class
/// proportions are preserved as closely as rounding allows.
///
/// Errors: `test_fraction` not strictly inside `(0, 1)` ([`Error::InvalidParameter`]); a class
/// with fewer than 2 rows, including a class that is absent ([`Error::InsufficientData`]).
pub fn stratified_split(
    y: &[bool],
    test_fraction: f64,
    seed: u64,
) -> Result<(Vec<usize>, Vec<usize>)> {
    check_fraction(test_fraction)?;
    let (neg, pos) = class_indices(y);
    for (name, rows) in [("negative", &neg), ("positive", &pos)] {
        if rows.len() < 2 {
            return Err(Error::InsufficientData(format!(
                "a stratified split needs at least 2 {name} rows, found {}",
                rows.len()
            )));
        }
    }
    let mut rng = Rng::new(seed);
    let mut test = Vec::new();
    for mut rows in [neg, pos] {
        rng.shuffle(&mut rows);
        let t = test_count(rows.len(), test_fraction);
        test.extend_from_slice(&rows[..t]);
    }
    test.sort_unstable();
    let train = complement(y.len(), &test);
    Ok((train, test))
}

/// Stratified k-fold cross-validation over rows.
///
/// Each class is shuffled and dealt round-robin over the folds (the positives continue where
/// the negatives stopped), so every row is in exactly one validation fold, per-class counts
/// of the validation folds differ by at most 1, and so do the fold sizes.
///
/// Errors: `k < 2` ([`Error::InvalidParameter`]); a class with fewer than `k` rows, including
/// a class that is absent ([`Error::InsufficientData`]).
pub fn stratified_kfold(y: &[bool], k: usize, seed: u64) -> Result<Vec<Fold>> {
    check_k(k)?;
    let (neg, pos) = class_indices(y);
    for (name, rows) in [("negative", &neg), ("positive", &pos)] {
        if rows.len() < k {
            return Err(Error::InsufficientData(format!(
                "{k}-fold stratified cross-validation needs at least {k} {name} rows, found {}",
                rows.len()
            )));
        }
    }
    let mut rng = Rng::new(seed);
    let mut valid: Vec<Vec<usize>> = vec![Vec::new(); k];
    let mut position = 0usize;
    for mut rows in [neg, pos] {
        rng.shuffle(&mut rows);
        for i in rows {
            valid[position % k].push(i);
            position += 1;
        }
    }
    Ok(valid
        .into_iter()
        .map(|mut v| {
            v.sort_unstable();
            Fold {
                train: complement(y.len(), &v),
                valid: v,
            }
        })
        .collect())
}

/// A group of rows: its row indices (ascending) and whether any row is positive.
struct Group {
    rows: Vec<usize>,
    positive: bool,
}

/// Collects the groups (in ascending order of group id), split into `(negative, positive)`
/// groups.
fn collect_groups<G: Ord>(y: &[bool], groups: &[G]) -> Result<(Vec<Group>, Vec<Group>)> {
    if groups.len() != y.len() {
        return Err(Error::param(
            "groups",
            format!(
                "has {} entries but there are {} labels",
                groups.len(),
                y.len()
            ),
        ));
    }
    let mut map: BTreeMap<&G, Group> = BTreeMap::new();
    for (i, (g, &label)) in groups.iter().zip(y).enumerate() {
        let entry = map.entry(g).or_insert_with(|| Group {
            rows: Vec::new(),
            positive: false,
        });
        entry.rows.push(i);
        entry.positive |= label;
    }
    Ok(map.into_values().partition(|g| !g.positive))
}

/// Group-aware stratified k-fold cross-validation (patient-level splits).
///
/// All rows sharing a group id are in the same validation fold, so no group is ever in both
/// the training and the validation part of a fold. A group is positive if any of its rows is
/// positive. Positive groups and negative groups are each shuffled, ordered by size (largest
/// first, ties in random order) and assigned greedily to the fold that currently holds the
/// fewest rows of that stratum (ties: fewest rows overall, then lowest fold index). This gives
/// every fold at least one positive and one negative group and keeps the row counts per
/// stratum, and hence the fold sizes, about equal as far as the group sizes allow.
///
/// `groups[i]` is the group (e.g. patient id) of row `i`; any ordered type works (`u64`,
/// `usize`, `String`, ...).
///
/// Errors: `k < 2` or `groups.len() != y.len()` ([`Error::InvalidParameter`]); fewer than `k`
/// positive groups or fewer than `k` negative groups ([`Error::InsufficientData`]).
pub fn stratified_group_kfold<G: Ord>(
    y: &[bool],
    groups: &[G],
    k: usize,
    seed: u64,
) -> Result<Vec<Fold>> {
    check_k(k)?;
    let (neg, pos) = collect_groups(y, groups)?;
    for (name, gs) in [("negative", &neg), ("positive", &pos)] {
        if gs.len() < k {
            return Err(Error::InsufficientData(format!(
                "{k}-fold group cross-validation needs at least {k} {name} groups, found {}",
                gs.len()
            )));
        }
    }
    let mut rng = Rng::new(seed);
    let mut valid: Vec<Vec<usize>> = vec![Vec::new(); k];
    let mut total_rows = vec![0usize; k];
    // Positives first: they are the scarce stratum, so they get the cleanest spread.
    for mut stratum in [pos, neg] {
        rng.shuffle(&mut stratum);
        // Stable sort keeps the random order among equally sized groups.
        stratum.sort_by_key(|g| std::cmp::Reverse(g.rows.len()));
        let mut stratum_rows = vec![0usize; k];
        for g in stratum {
            let f = (0..k)
                .min_by_key(|&f| (stratum_rows[f], total_rows[f], f))
                .unwrap_or(0);
            stratum_rows[f] += g.rows.len();
            total_rows[f] += g.rows.len();
            valid[f].extend_from_slice(&g.rows);
        }
    }
    Ok(valid
        .into_iter()
        .map(|mut v| {
            v.sort_unstable();
            Fold {
                train: complement(y.len(), &v),
                valid: v,
            }
        })
        .collect())
}

/// Group-aware stratified hold-out split: returns `(train, test)` row indices, each sorted
/// ascending, with every group entirely on one side.
///
/// Groups are stratified by their flag (positive if any row is positive). Within each stratum
/// the groups are shuffled and walked once; a group goes to the test part when that brings the
/// stratum's test row count closer to `test_fraction` of the stratum's rows, otherwise to the
/// training part. Each stratum keeps at least one group on each side.
///
/// Errors: `test_fraction` not strictly inside `(0, 1)` or `groups.len() != y.len()`
/// ([`Error::InvalidParameter`]); fewer than 2 positive or 2 negative groups
/// ([`Error::InsufficientData`]).
pub fn group_split<G: Ord>(
    y: &[bool],
    groups: &[G],
    test_fraction: f64,
    seed: u64,
) -> Result<(Vec<usize>, Vec<usize>)> {
    check_fraction(test_fraction)?;
    let (neg, pos) = collect_groups(y, groups)?;
    for (name, gs) in [("negative", &neg), ("positive", &pos)] {
        if gs.len() < 2 {
            return Err(Error::InsufficientData(format!(
                "a group split needs at least 2 {name} groups, found {}",
                gs.len()
            )));
        }
    }
    let mut rng = Rng::new(seed);
    let mut test = Vec::new();
    for mut stratum in [neg, pos] {
        rng.shuffle(&mut stratum);
        let n_rows: usize = stratum.iter().map(|g| g.rows.len()).sum();
        let target = n_rows as f64 * test_fraction;
        let mut in_test = vec![false; stratum.len()];
        let mut test_rows = 0usize;
        for (j, g) in stratum.iter().enumerate() {
            let with = (test_rows + g.rows.len()) as f64;
            if (with - target).abs() < (test_rows as f64 - target).abs() {
                in_test[j] = true;
                test_rows += g.rows.len();
            }
        }
        // Keep at least one group on each side.
        if !in_test.iter().any(|&t| t) {
            in_test[0] = true;
        } else if in_test.iter().all(|&t| t) {
            in_test[stratum.len() - 1] = false;
        }
        for (g, t) in stratum.iter().zip(in_test) {
            if t {
                test.extend_from_slice(&g.rows);
            }
        }
    }
    test.sort_unstable();
    let train = complement(y.len(), &test);
    Ok((train, test))
}

/// How to balance the classes of the training data (see [`balance`]).
///
/// Command-line names (parsed by [`FromStr`], printed by [`Display`](fmt::Display)):
/// `"none"`, `"over"`, `"under"`, `"under:R"` (keep at most `R` majority rows per minority
/// row), `"smote"` (k = 5) and `"smote:K"` for another `K`.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Balance {
    /// Leave the data as it is.
    #[default]
    None,
    /// Random over-sampling of the minority class with replacement.
    Over,
    /// Random under-sampling of the majority class without replacement.
    Under,
    /// Random under-sampling of the majority class without replacement to at most `ratio`
    /// majority rows per minority row (`ratio` 1 is [`Balance::Under`]). Suits very rare
    /// positives (e.g. 2 % of ICU hours), where 1:1 would discard most of the data.
    UnderRatio {
        /// Majority rows kept per minority row.
        ratio: usize,
    },
    /// SMOTE synthetic minority over-sampling.
    Smote {
        /// Number of nearest minority neighbours to interpolate towards.
        k: usize,
    },
}

impl fmt::Display for Balance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Balance::None => f.write_str("none"),
            Balance::Over => f.write_str("over"),
            Balance::Under => f.write_str("under"),
            Balance::UnderRatio { ratio } => write!(f, "under:{ratio}"),
            Balance::Smote { k } if *k == DEFAULT_SMOTE_K => f.write_str("smote"),
            Balance::Smote { k } => write!(f, "smote:{k}"),
        }
    }
}

impl FromStr for Balance {
    type Err = Error;

    /// Parses `none`, `over`, `under`, `smote` or `smote:K` (case-insensitive, `K >= 1`).
    fn from_str(s: &str) -> Result<Self> {
        let lower = s.trim().to_ascii_lowercase();
        match lower.as_str() {
            "none" => Ok(Balance::None),
            "over" => Ok(Balance::Over),
            "under" => Ok(Balance::Under),
            "smote" => Ok(Balance::Smote { k: DEFAULT_SMOTE_K }),
            other => {
                if let Some(r) = other.strip_prefix("under:") {
                    return match r.trim().parse::<usize>() {
                        Ok(ratio) if ratio >= 1 => Ok(Balance::UnderRatio { ratio }),
                        _ => Err(Error::param(
                            "balance",
                            format!(
                                "the under-sampling ratio must be a positive integer, got `{r}`"
                            ),
                        )),
                    };
                }
                if let Some(k) = other.strip_prefix("smote:") {
                    match k.trim().parse::<usize>() {
                        Ok(k) if k >= 1 => Ok(Balance::Smote { k }),
                        _ => Err(Error::param(
                            "balance",
                            format!("SMOTE neighbour count must be a positive integer, got `{k}`"),
                        )),
                    }
                } else {
                    Err(Error::param(
                        "balance",
                        format!(
                            "unknown method `{}` (expected none, over, under, smote or smote:K)",
                            s.trim()
                        ),
                    ))
                }
            }
        }
    }
}

/// Balances the two classes of a *training* set. Returns the new feature matrix and labels.
///
/// - [`Balance::None`]: an unchanged copy.
/// - [`Balance::Over`]: the original rows in their order, followed by minority rows drawn
///   uniformly with replacement until both classes have the majority count.
/// - [`Balance::Under`]: the minority rows plus a uniform sample without replacement of the
///   majority rows of the minority's size, all in their original order.
/// - [`Balance::Smote`] (Chawla et al. 2002): the original rows, followed by
///   `majority - minority` synthetic minority rows. Each minority row serves as anchor
///   `floor(need / m)` times, plus one more time for `need mod m` anchors drawn without
///   replacement (`m` minority rows, `need` synthetic rows). For each use, a neighbour is drawn
///   uniformly from the anchor's `k` nearest minority neighbours (Euclidean distance, ties
///   broken by lower row index, `k` capped at `m - 1`) and the synthetic row is
///   `x + u * (neighbour - x)` with `u ~ U[0, 1)` drawn per row. The neighbour search is exact
///   and costs `O(m * m * d)` in the worst case (only anchors actually used are searched).
///   When `m > `[`SMOTE_EXACT_LIMIT`], the neighbours are searched among a seeded random pool
///   of [`SMOTE_EXACT_LIMIT`] minority rows (approximate nearest neighbours, bounded
///   `O(m * 5000 * d)` cost); synthetic rows still lie between two minority rows.
///
/// If the classes are already equal the data are returned unchanged. The "minority" is the
/// class with fewer rows (positives when tied, which is then a no-op).
///
/// Errors: `y.len() != x.rows()` ([`Error::InvalidParameter`]); for every method other than
/// `None`, a class with no rows ([`Error::InsufficientData`]); for SMOTE, `k == 0` or a
/// non-finite value (NaN or infinity) anywhere in `x` ([`Error::InvalidParameter`]; impute
/// first), or fewer than 2 minority rows ([`Error::InsufficientData`]).
pub fn balance(x: &Matrix, y: &[bool], method: Balance, seed: u64) -> Result<(Matrix, Vec<bool>)> {
    if y.len() != x.rows() {
        return Err(Error::param(
            "y",
            format!(
                "has {} labels but the feature matrix has {} rows",
                y.len(),
                x.rows()
            ),
        ));
    }
    if let Balance::Smote { k } = method {
        return smote_balance(x, y, k, seed);
    }
    let rows = balance_rows(y, method, seed)?.unwrap_or_else(|| (0..y.len()).collect());
    let labels = rows.iter().map(|&i| y[i]).collect();
    Ok((x.select_rows(&rows), labels))
}

/// [`class_indices`], or an error when a class has no rows (balancing needs both).
fn both_classes(y: &[bool]) -> Result<(Vec<usize>, Vec<usize>)> {
    let (neg, pos) = class_indices(y);
    if neg.is_empty() || pos.is_empty() {
        return Err(Error::InsufficientData(format!(
            "balancing needs both classes, found {} negative and {} positive rows",
            neg.len(),
            pos.len()
        )));
    }
    Ok((neg, pos))
}

/// The rows [`balance`] keeps (in order, repeated for over-sampling), without touching the
/// features: `Some(rows)` for every method that only selects rows, `None` for SMOTE (which
/// makes new rows, so it needs the matrix). The same draws as [`balance`], so
/// `x.select_rows(&rows)` is exactly its matrix.
pub fn balance_rows(y: &[bool], method: Balance, seed: u64) -> Result<Option<Vec<usize>>> {
    let all = || Ok(Some((0..y.len()).collect()));
    if method == Balance::None {
        return all();
    }
    if matches!(method, Balance::Smote { .. }) {
        return Ok(None);
    }
    let (neg, pos) = both_classes(y)?;
    if neg.len() == pos.len() {
        return all();
    }
    let (minority, majority) = if pos.len() < neg.len() {
        (pos, neg)
    } else {
        (neg, pos)
    };
    let mut rng = Rng::new(seed);
    match method {
        Balance::Over => {
            let need = majority.len() - minority.len();
            let mut rows: Vec<usize> = (0..y.len()).collect();
            rows.extend((0..need).map(|_| minority[rng.below(minority.len())]));
            Ok(Some(rows))
        }
        Balance::Under | Balance::UnderRatio { .. } => {
            let ratio = match method {
                Balance::UnderRatio { ratio } => ratio.max(1),
                _ => 1,
            };
            let kept = minority.len().saturating_mul(ratio);
            if kept >= majority.len() {
                return all();
            }
            let mut keep = vec![false; y.len()];
            for &i in &minority {
                keep[i] = true;
            }
            for j in rng.sample_indices(majority.len(), kept) {
                keep[majority[j]] = true;
            }
            Ok(Some((0..y.len()).filter(|&i| keep[i]).collect()))
        }
        Balance::None | Balance::Smote { .. } => Ok(None),
    }
}

/// [`balance`] by SMOTE: the rows of `x` followed by synthetic minority rows.
fn smote_balance(x: &Matrix, y: &[bool], k: usize, seed: u64) -> Result<(Matrix, Vec<bool>)> {
    if k == 0 {
        return Err(Error::param("k", "SMOTE needs at least 1 neighbour"));
    }
    if let Some(pos) = x.as_slice().iter().position(|v| !v.is_finite()) {
        let cols = x.cols().max(1);
        return Err(Error::param(
            "x",
            format!(
                "SMOTE needs finite features, found {} at row {}, column {} (impute first)",
                x.as_slice()[pos],
                pos / cols,
                pos % cols
            ),
        ));
    }
    let (neg, pos) = both_classes(y)?;
    if neg.len() == pos.len() {
        return Ok((x.clone(), y.to_vec()));
    }
    let minority_label = pos.len() < neg.len();
    let (minority, majority) = if minority_label {
        (pos, neg)
    } else {
        (neg, pos)
    };
    if minority.len() < 2 {
        return Err(Error::InsufficientData(format!(
            "SMOTE needs at least 2 minority rows, found {}",
            minority.len()
        )));
    }
    let mut rng = Rng::new(seed);
    let need = majority.len() - minority.len();
    let synthetic = smote(x, &minority, k, need, &mut rng);
    let mut out = x.clone();
    let mut labels = y.to_vec();
    for s in &synthetic {
        out.push_row(&s.row)?;
        labels.push(minority_label);
    }
    Ok((out, labels))
}

/// One synthetic SMOTE row and where it came from (row indices into the full matrix). The
/// provenance fields are only read by the tests.
#[derive(Debug, Clone)]
#[cfg_attr(not(test), allow(dead_code))]
struct Synthetic {
    anchor: usize,
    neighbour: usize,
    u: f64,
    row: Vec<f64>,
}

fn squared_distance(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(p, q)| (p - q) * (p - q)).sum()
}

/// The `k` nearest rows to `anchor` among `candidates` (excluding `anchor` itself), by
/// Euclidean distance with ties broken by lower row index. Returns row indices.
fn nearest(x: &Matrix, anchor: usize, candidates: &[usize], k: usize) -> Vec<usize> {
    let a = x.row(anchor);
    let mut d: Vec<(f64, usize)> = candidates
        .iter()
        .filter(|&&j| j != anchor)
        .map(|&j| (squared_distance(a, x.row(j)), j))
        .collect();
    let k = k.min(d.len());
    let cmp = |p: &(f64, usize), q: &(f64, usize)| p.0.total_cmp(&q.0).then(p.1.cmp(&q.1));
    if k > 0 && k < d.len() {
        d.select_nth_unstable_by(k - 1, cmp);
        d.truncate(k);
    }
    d.sort_unstable_by(cmp);
    d.into_iter().map(|(_, j)| j).collect()
}

/// Generates `need` SMOTE rows from the `minority` rows (`minority.len() >= 2`, finite `x`).
fn smote(x: &Matrix, minority: &[usize], k: usize, need: usize, rng: &mut Rng) -> Vec<Synthetic> {
    let m = minority.len();
    let k = k.min(m - 1).max(1);
    // Neighbour pool: all minority rows, or a seeded random subset for large minorities.
    let pool: Vec<usize> = if m > SMOTE_EXACT_LIMIT {
        let mut p: Vec<usize> = rng
            .sample_indices(m, SMOTE_EXACT_LIMIT)
            .into_iter()
            .map(|j| minority[j])
            .collect();
        p.sort_unstable();
        p
    } else {
        minority.to_vec()
    };
    // How many synthetic rows each minority row anchors (Chawla et al.: N/100 each, the
    // remainder on a random subset).
    let mut uses = vec![need / m; m];
    for j in rng.sample_indices(m, need % m) {
        uses[j] += 1;
    }
    let mut out = Vec::with_capacity(need);
    for (j, &count) in uses.iter().enumerate() {
        if count == 0 {
            continue;
        }
        let anchor = minority[j];
        let neighbours = nearest(x, anchor, &pool, k);
        if neighbours.is_empty() {
            // Unreachable with at least 2 minority rows and a pool of them; stay panic-free.
            continue;
        }
        let a = x.row(anchor);
        for _ in 0..count {
            let neighbour = neighbours[rng.below(neighbours.len())];
            let u = rng.next_f64();
            let b = x.row(neighbour);
            let row = a.iter().zip(b).map(|(p, q)| p + u * (q - p)).collect();
            out.push(Synthetic {
                anchor,
                neighbour,
                u,
                row,
            });
        }
    }
    out
}

/// "Balanced" class weights `(w_negative, w_positive)` = `(n / (2 n_neg), n / (2 n_pos))`,
/// as in scikit-learn's `class_weight="balanced"`: each class then carries half of the total
/// weight. If a class has no rows (or `y` is empty) there is nothing to balance and both
/// weights are `1.0`.
pub fn class_weights(y: &[bool]) -> (f64, f64) {
    let n = y.len();
    let n_pos = y.iter().filter(|&&b| b).count();
    let n_neg = n - n_pos;
    if n_pos == 0 || n_neg == 0 {
        return (1.0, 1.0);
    }
    (
        n as f64 / (2.0 * n_neg as f64),
        n as f64 / (2.0 * n_pos as f64),
    )
}

/// Per-row weights from [`class_weights`]: row `i` gets the weight of its class.
pub fn sample_weights(y: &[bool]) -> Vec<f64> {
    let (w_neg, w_pos) = class_weights(y);
    y.iter().map(|&b| if b { w_pos } else { w_neg }).collect()
}

#[cfg(test)]
#[allow(clippy::needless_range_loop)] // index loops read clearer in assertions
mod tests {
    use super::*;

    /// Labels with `n_pos` positives spread among `n` rows.
    fn labels(n: usize, n_pos: usize) -> Vec<bool> {
        (0..n)
            .map(|i| i * n_pos / n != (i + 1) * n_pos / n)
            .collect()
    }

    fn count_pos(y: &[bool], idx: &[usize]) -> usize {
        idx.iter().filter(|&&i| y[i]).count()
    }

    fn is_sorted(v: &[usize]) -> bool {
        v.windows(2).all(|w| w[0] < w[1])
    }

    fn assert_partition(n: usize, folds: &[Fold]) {
        let mut seen = vec![0usize; n];
        for f in folds {
            assert!(is_sorted(&f.train) && is_sorted(&f.valid));
            assert_eq!(f.train.len() + f.valid.len(), n);
            let mut all: Vec<usize> = f.train.iter().chain(&f.valid).copied().collect();
            all.sort_unstable();
            assert_eq!(all, (0..n).collect::<Vec<_>>());
            for &i in &f.valid {
                seen[i] += 1;
            }
        }
        assert!(
            seen.iter().all(|&c| c == 1),
            "each row validated exactly once"
        );
    }

    #[test]
    fn labels_helper() {
        let y = labels(100, 10);
        assert_eq!(y.iter().filter(|&&b| b).count(), 10);
    }

    #[test]
    fn stratified_split_preserves_proportions() {
        let y = labels(1000, 70);
        let (train, test) = stratified_split(&y, 0.2, 1).unwrap();
        assert!(is_sorted(&train) && is_sorted(&test));
        assert_eq!(train.len() + test.len(), 1000);
        assert_eq!(test.len(), 200);
        assert_eq!(count_pos(&y, &test), 14);
        assert_eq!(count_pos(&y, &train), 56);
        let mut all: Vec<usize> = train.iter().chain(&test).copied().collect();
        all.sort_unstable();
        assert_eq!(all, (0..1000).collect::<Vec<_>>());
    }

    #[test]
    fn stratified_split_keeps_each_class_on_both_sides() {
        // 2 positives, tiny fraction: still one positive in each part.
        let y = labels(50, 2);
        let (train, test) = stratified_split(&y, 0.05, 3).unwrap();
        assert_eq!(count_pos(&y, &test), 1);
        assert_eq!(count_pos(&y, &train), 1);
        let (train, test) = stratified_split(&y, 0.95, 3).unwrap();
        assert_eq!(count_pos(&y, &test), 1);
        assert!(train.len() >= 2);
    }

    #[test]
    fn split_is_deterministic_and_seed_dependent() {
        let y = labels(300, 40);
        assert_eq!(
            stratified_split(&y, 0.3, 9).unwrap(),
            stratified_split(&y, 0.3, 9).unwrap()
        );
        assert_ne!(
            stratified_split(&y, 0.3, 9).unwrap(),
            stratified_split(&y, 0.3, 10).unwrap()
        );
        assert_eq!(
            stratified_kfold(&y, 5, 9).unwrap(),
            stratified_kfold(&y, 5, 9).unwrap()
        );
        assert_ne!(
            stratified_kfold(&y, 5, 9).unwrap(),
            stratified_kfold(&y, 5, 10).unwrap()
        );
    }

    #[test]
    fn split_errors() {
        let y = labels(100, 10);
        for f in [0.0, 1.0, -0.1, 1.5, f64::NAN, f64::INFINITY] {
            assert!(matches!(
                stratified_split(&y, f, 0),
                Err(Error::InvalidParameter { .. })
            ));
        }
        assert!(matches!(
            stratified_split(&[true; 10], 0.2, 0),
            Err(Error::InsufficientData(_))
        ));
        let mut one_pos = vec![false; 10];
        one_pos[3] = true;
        assert!(stratified_split(&one_pos, 0.2, 0).is_err());
        assert!(stratified_split(&[], 0.2, 0).is_err());
    }

    #[test]
    fn kfold_partitions_and_balances() {
        let y = labels(103, 17);
        let folds = stratified_kfold(&y, 5, 42).unwrap();
        assert_eq!(folds.len(), 5);
        assert_partition(103, &folds);
        let pos: Vec<usize> = folds.iter().map(|f| count_pos(&y, &f.valid)).collect();
        let sizes: Vec<usize> = folds.iter().map(|f| f.valid.len()).collect();
        assert!(pos.iter().max().unwrap() - pos.iter().min().unwrap() <= 1);
        assert!(sizes.iter().max().unwrap() - sizes.iter().min().unwrap() <= 1);
    }

    #[test]
    fn kfold_errors() {
        let y = labels(100, 10);
        assert!(matches!(
            stratified_kfold(&y, 1, 0),
            Err(Error::InvalidParameter { .. })
        ));
        assert!(stratified_kfold(&y, 0, 0).is_err());
        assert!(matches!(
            stratified_kfold(&y, 11, 0),
            Err(Error::InsufficientData(_))
        ));
        assert!(stratified_kfold(&[false; 20], 2, 0).is_err());
        assert!(stratified_kfold(&[], 2, 0).is_err());
    }

    /// 60 patients with 1..=12 rows each; every 4th patient turns positive in its last row.
    fn icu_data() -> (Vec<bool>, Vec<u64>) {
        let mut y = Vec::new();
        let mut g = Vec::new();
        for p in 0..60u64 {
            let len = 1 + (p * 7 % 12) as usize;
            for r in 0..len {
                g.push(1000 + p);
                y.push(p % 4 == 0 && r + 1 == len);
            }
        }
        // Interleave rows so groups are not contiguous.
        let mut order: Vec<usize> = (0..y.len()).collect();
        Rng::new(5).shuffle(&mut order);
        (
            order.iter().map(|&i| y[i]).collect(),
            order.iter().map(|&i| g[i]).collect(),
        )
    }

    fn groups_of(groups: &[u64], idx: &[usize]) -> std::collections::BTreeSet<u64> {
        idx.iter().map(|&i| groups[i]).collect()
    }

    #[test]
    fn group_kfold_never_splits_a_group_and_spreads_positives() {
        let (y, g) = icu_data();
        let k = 5;
        let folds = stratified_group_kfold(&y, &g, k, 7).unwrap();
        assert_eq!(folds.len(), k);
        assert_partition(y.len(), &folds);
        let n_pos_groups = groups_of(&g, &(0..y.len()).filter(|&i| y[i]).collect::<Vec<_>>());
        for f in &folds {
            let tr = groups_of(&g, &f.train);
            let va = groups_of(&g, &f.valid);
            assert!(tr.is_disjoint(&va));
            let pos_groups = va.intersection(&n_pos_groups).count();
            // 15 positive groups over 5 folds: exactly 3 each after size-greedy at worst 2..4.
            assert!((2..=4).contains(&pos_groups), "{pos_groups}");
            assert!(count_pos(&y, &f.valid) >= 1);
            assert!(f.valid.iter().any(|&i| !y[i]));
        }
        let sizes: Vec<usize> = folds.iter().map(|f| f.valid.len()).collect();
        let (lo, hi) = (*sizes.iter().min().unwrap(), *sizes.iter().max().unwrap());
        assert!(hi - lo <= 12, "{sizes:?}");
        assert_eq!(folds, stratified_group_kfold(&y, &g, k, 7).unwrap());
        assert_ne!(folds, stratified_group_kfold(&y, &g, k, 8).unwrap());
    }

    #[test]
    fn group_kfold_accepts_string_groups_and_errors() {
        let y = vec![true, false, true, false, false, true, false, false];
        let g: Vec<String> = ["a", "a", "b", "c", "d", "e", "f", "f"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        // Positive groups: a, b, e; negative: c, d, f.
        let folds = stratified_group_kfold(&y, &g, 3, 1).unwrap();
        assert_partition(8, &folds);
        assert!(matches!(
            stratified_group_kfold(&y, &g, 4, 1),
            Err(Error::InsufficientData(_))
        ));
        assert!(stratified_group_kfold(&y, &g, 1, 1).is_err());
        assert!(stratified_group_kfold(&y, &g[..7], 2, 1).is_err());
        assert!(stratified_group_kfold(&[true; 4], &[1u64, 2, 3, 4], 2, 1).is_err());
    }

    #[test]
    fn group_split_keeps_groups_whole() {
        let (y, g) = icu_data();
        let (train, test) = group_split(&y, &g, 0.25, 3).unwrap();
        assert!(is_sorted(&train) && is_sorted(&test));
        assert_eq!(train.len() + test.len(), y.len());
        assert!(groups_of(&g, &train).is_disjoint(&groups_of(&g, &test)));
        assert!(count_pos(&y, &test) >= 1 && count_pos(&y, &train) >= 1);
        let frac = test.len() as f64 / y.len() as f64;
        assert!((0.15..0.35).contains(&frac), "{frac}");
        assert_eq!(
            (train.clone(), test.clone()),
            group_split(&y, &g, 0.25, 3).unwrap()
        );
        assert_ne!((train, test), group_split(&y, &g, 0.25, 4).unwrap());
        assert!(group_split(&y, &g, 0.0, 3).is_err());
        assert!(group_split(&y, &g, 1.0, 3).is_err());
        assert!(group_split(&[true, false], &[1u64, 1], 0.5, 3).is_err());
    }

    #[test]
    fn balance_names_round_trip() {
        for b in [
            Balance::None,
            Balance::Over,
            Balance::Under,
            Balance::Smote { k: 5 },
            Balance::Smote { k: 3 },
        ] {
            assert_eq!(b.to_string().parse::<Balance>().unwrap(), b);
        }
        assert_eq!("smote".parse::<Balance>().unwrap(), Balance::Smote { k: 5 });
        assert_eq!(" Over ".parse::<Balance>().unwrap(), Balance::Over);
        assert!("smote:0".parse::<Balance>().is_err());
        assert_eq!(
            "under:4".parse::<Balance>().unwrap(),
            Balance::UnderRatio { ratio: 4 }
        );
        assert!("under:0".parse::<Balance>().is_err());
        assert!("under:x".parse::<Balance>().is_err());
        assert!("smote:x".parse::<Balance>().is_err());
        assert!("adasyn".parse::<Balance>().is_err());
        let json = serde_json::to_string(&Balance::Smote { k: 4 }).unwrap();
        assert_eq!(
            serde_json::from_str::<Balance>(&json).unwrap(),
            Balance::Smote { k: 4 }
        );
    }

    /// `n` rows of 2 features; row `i` is `(i, 2i % 7)`, so rows are distinct.
    fn features(n: usize) -> Matrix {
        let rows: Vec<Vec<f64>> = (0..n)
            .map(|i| vec![i as f64, ((2 * i) % 7) as f64])
            .collect();
        Matrix::from_rows(&rows).unwrap()
    }

    #[test]
    fn oversampling_adds_copies_of_minority_rows() {
        let y = labels(40, 6);
        let x = features(40);
        let (xb, yb) = balance(&x, &y, Balance::Over, 11).unwrap();
        let n_pos = yb.iter().filter(|&&b| b).count();
        assert_eq!(n_pos, 34);
        assert_eq!(yb.len(), 68);
        // Original rows first, unchanged.
        assert_eq!(&xb.as_slice()[..80], x.as_slice());
        assert_eq!(&yb[..40], &y[..]);
        // Additions are copies of original minority rows.
        for i in 40..68 {
            assert!(yb[i]);
            assert!((0..40).any(|j| y[j] && x.row(j) == xb.row(i)));
        }
        assert_eq!((xb, yb), balance(&x, &y, Balance::Over, 11).unwrap());
        assert_ne!(
            balance(&x, &y, Balance::Over, 11).unwrap(),
            balance(&x, &y, Balance::Over, 12).unwrap()
        );
    }

    #[test]
    fn undersampling_keeps_original_rows_in_order() {
        // Here negatives are the minority.
        let y: Vec<bool> = labels(40, 6).into_iter().map(|b| !b).collect();
        let x = features(40);
        let (xb, yb) = balance(&x, &y, Balance::Under, 2).unwrap();
        assert_eq!(yb.len(), 12);
        assert_eq!(yb.iter().filter(|&&b| b).count(), 6);
        // Every output row is an original row, and in original order.
        let mut last = None;
        for i in 0..xb.rows() {
            let j = (0..40).find(|&j| x.row(j) == xb.row(i)).unwrap();
            assert_eq!(y[j], yb[i]);
            assert!(last.is_none_or(|l| j > l));
            last = Some(j);
        }
        assert_ne!(
            balance(&x, &y, Balance::Under, 2).unwrap(),
            balance(&x, &y, Balance::Under, 3).unwrap()
        );
    }

    #[test]
    fn ratio_undersampling_keeps_at_most_ratio_majority_rows_per_minority_row() {
        // 40 rows, 6 positive: ratio 3 keeps the 6 positives and 18 of the 34 negatives.
        let y = labels(40, 6);
        let x = features(40);
        let (xb, yb) = balance(&x, &y, Balance::UnderRatio { ratio: 3 }, 2).unwrap();
        assert_eq!(yb.len(), 24);
        assert_eq!(yb.iter().filter(|&&b| b).count(), 6);
        // Ratio 1 is plain under-sampling; a ratio beyond the data keeps everything.
        assert_eq!(
            balance(&x, &y, Balance::UnderRatio { ratio: 1 }, 2).unwrap(),
            balance(&x, &y, Balance::Under, 2).unwrap()
        );
        let (xa, ya) = balance(&x, &y, Balance::UnderRatio { ratio: 10 }, 2).unwrap();
        assert_eq!((xa, ya), (x.clone(), y.clone()));
        assert!(xb.rows() < x.rows());
    }

    #[test]
    fn balance_none_and_already_balanced_are_identity() {
        let x = features(6);
        let y = vec![true, false, true, false, true, false];
        for m in [
            Balance::None,
            Balance::Over,
            Balance::Under,
            Balance::Smote { k: 5 },
        ] {
            assert_eq!(balance(&x, &y, m, 0).unwrap(), (x.clone(), y.clone()));
        }
    }

    #[test]
    fn balance_errors() {
        let x = features(6);
        let all_pos = vec![true; 6];
        for m in [Balance::Over, Balance::Under, Balance::Smote { k: 5 }] {
            assert!(matches!(
                balance(&x, &all_pos, m, 0),
                Err(Error::InsufficientData(_))
            ));
        }
        let y = vec![true, false, false, false, false, false];
        assert!(matches!(
            balance(&x, &y, Balance::Smote { k: 5 }, 0),
            Err(Error::InsufficientData(_))
        ));
        assert!(balance(&x, &y, Balance::Over, 0).is_ok());
        let y = vec![true, true, false, false, false, false];
        assert!(matches!(
            balance(&x, &y, Balance::Smote { k: 0 }, 0),
            Err(Error::InvalidParameter { .. })
        ));
        assert!(balance(&x, &y[..5], Balance::Over, 0).is_err());
        let mut xn = x.clone();
        xn.set(4, 1, f64::NAN);
        assert!(matches!(
            balance(&xn, &y, Balance::Smote { k: 1 }, 0),
            Err(Error::InvalidParameter { .. })
        ));
        // k larger than m - 1 is capped, not an error.
        assert!(balance(&x, &y, Balance::Smote { k: 50 }, 0).is_ok());
    }

    /// Brute-force k nearest minority neighbours with ties by index.
    fn brute_knn(x: &Matrix, minority: &[usize], anchor: usize, k: usize) -> Vec<usize> {
        let mut d: Vec<(f64, usize)> = minority
            .iter()
            .filter(|&&j| j != anchor)
            .map(|&j| (squared_distance(x.row(anchor), x.row(j)), j))
            .collect();
        d.sort_by(|p, q| p.0.partial_cmp(&q.0).unwrap().then(p.1.cmp(&q.1)));
        d.into_iter().take(k).map(|(_, j)| j).collect()
    }

    fn smote_data() -> (Matrix, Vec<bool>) {
        // 12 minority rows on an irregular cloud (with a duplicate and distance ties), 40
        // majority rows far away.
        let mut rows = Vec::new();
        let mut y = Vec::new();
        let mut r = Rng::new(77);
        for i in 0..52 {
            if i % 4 == 1 && i < 48 {
                let v = if i == 5 {
                    vec![1.0, 1.0, 1.0] // duplicate of row 1
                } else {
                    vec![
                        (r.below(5)) as f64,
                        r.next_f64() * 3.0,
                        (i as f64 * 0.37).sin(),
                    ]
                };
                rows.push(if i == 1 { vec![1.0, 1.0, 1.0] } else { v });
                y.push(true);
            } else {
                rows.push(vec![100.0 + i as f64, -50.0, 20.0]);
                y.push(false);
            }
        }
        (Matrix::from_rows(&rows).unwrap(), y)
    }

    #[test]
    fn balance_rows_selects_exactly_the_rows_balance_copies() {
        let y = labels(60, 9);
        let rows: Vec<Vec<f64>> = (0..60).map(|i| vec![i as f64, (i * i) as f64]).collect();
        let x = Matrix::from_rows(&rows).unwrap();
        for method in [
            Balance::None,
            Balance::Over,
            Balance::Under,
            Balance::UnderRatio { ratio: 3 },
        ] {
            let kept = balance_rows(&y, method, 7).unwrap().unwrap();
            let (xb, yb) = balance(&x, &y, method, 7).unwrap();
            assert_eq!(xb, x.select_rows(&kept), "{method}");
            assert_eq!(
                yb,
                kept.iter().map(|&i| y[i]).collect::<Vec<_>>(),
                "{method}"
            );
        }
        assert_eq!(balance_rows(&y, Balance::Smote { k: 3 }, 7).unwrap(), None);
        assert!(balance_rows(&[false; 4], Balance::Under, 7).is_err());
    }

    #[test]
    fn smote_points_lie_on_segments_to_nearest_minority_neighbours() {
        let (x, y) = smote_data();
        let minority: Vec<usize> = (0..y.len()).filter(|&i| y[i]).collect();
        assert_eq!(minority.len(), 12);
        let k = 3;
        // By construction: provenance of every synthetic row.
        let mut rng = Rng::new(5);
        let synth = smote(&x, &minority, k, 28, &mut rng);
        assert_eq!(synth.len(), 28);
        for s in &synth {
            assert!(y[s.anchor] && y[s.neighbour]);
            assert!(brute_knn(&x, &minority, s.anchor, k).contains(&s.neighbour));
            assert!((0.0..1.0).contains(&s.u));
            for ((v, a), b) in s.row.iter().zip(x.row(s.anchor)).zip(x.row(s.neighbour)) {
                assert!((v - (a + s.u * (b - a))).abs() < 1e-12);
            }
        }
        // Each minority row anchors 28 / 12 = 2 or 3 synthetic rows.
        for &a in &minority {
            let c = synth.iter().filter(|s| s.anchor == a).count();
            assert!((2..=3).contains(&c));
        }

        // Through the public API: same output, appended after the originals, inside the box.
        let (xb, yb) = balance(&x, &y, Balance::Smote { k }, 5).unwrap();
        assert_eq!(yb.len(), 80);
        assert_eq!(yb.iter().filter(|&&b| b).count(), 40);
        assert_eq!(&xb.as_slice()[..x.as_slice().len()], x.as_slice());
        for (i, s) in (52..80).zip(&synth) {
            assert!(yb[i]);
            assert_eq!(xb.row(i), &s.row[..]);
            for c in 0..3 {
                let col: Vec<f64> = minority.iter().map(|&j| x.get(j, c)).collect();
                let lo = col.iter().copied().fold(f64::INFINITY, f64::min);
                let hi = col.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                let v = xb.get(i, c);
                assert!(v >= lo - 1e-12 && v <= hi + 1e-12);
            }
            // Geometrically: on the segment from some minority row to one of its k nearest.
            let on_some_segment = minority.iter().any(|&a| {
                brute_knn(&x, &minority, a, k).iter().any(|&b| {
                    let (pa, pb, p) = (x.row(a), x.row(b), xb.row(i));
                    let dd = squared_distance(pa, pb);
                    if dd == 0.0 {
                        return squared_distance(pa, p) < 1e-20;
                    }
                    let t: f64 = (0..3)
                        .map(|c| (p[c] - pa[c]) * (pb[c] - pa[c]))
                        .sum::<f64>()
                        / dd;
                    let proj: Vec<f64> = (0..3).map(|c| pa[c] + t * (pb[c] - pa[c])).collect();
                    (-1e-9..=1.0 + 1e-9).contains(&t) && squared_distance(&proj, p) < 1e-18
                })
            });
            assert!(
                on_some_segment,
                "synthetic row {i} not on a neighbour segment"
            );
        }
        assert_eq!(
            balance(&x, &y, Balance::Smote { k }, 5).unwrap(),
            (xb.clone(), yb.clone())
        );
        assert_ne!(balance(&x, &y, Balance::Smote { k }, 6).unwrap().0, xb);
    }

    #[test]
    fn smote_with_two_minority_rows_interpolates_between_them() {
        let x = Matrix::from_rows(&[
            vec![0.0, 0.0],
            vec![5.0, 5.0],
            vec![1.0, 2.0],
            vec![5.0, 5.0],
            vec![3.0, 4.0],
            vec![5.0, 5.0],
        ])
        .unwrap();
        let y = vec![false, true, true, false, false, false];
        let (xb, yb) = balance(&x, &y, Balance::Smote { k: 5 }, 1).unwrap();
        assert_eq!(yb.len(), 8);
        for i in 6..8 {
            assert!(yb[i]);
            let (a, b) = (xb.get(i, 0), xb.get(i, 1));
            // On the segment (5,5)-(1,2): b = 5 + (a - 5) * 3/4.
            assert!((1.0..=5.0).contains(&a));
            assert!((b - (5.0 + (a - 5.0) * 0.75)).abs() < 1e-12);
        }
    }

    #[test]
    fn smote_large_minority_uses_pool_and_stays_in_box() {
        let n_min = SMOTE_EXACT_LIMIT + 50;
        let mut rows = Vec::with_capacity(n_min + n_min + 100);
        let mut y = Vec::new();
        let mut r = Rng::new(3);
        for _ in 0..n_min {
            rows.push(vec![r.next_f64(), r.next_f64()]);
            y.push(true);
        }
        for _ in 0..n_min + 20 {
            rows.push(vec![10.0 + r.next_f64(), 10.0]);
            y.push(false);
        }
        let x = Matrix::from_rows(&rows).unwrap();
        let (xb, yb) = balance(&x, &y, Balance::Smote { k: 5 }, 9).unwrap();
        assert_eq!(yb.len(), 2 * (n_min + 20));
        for i in x.rows()..xb.rows() {
            assert!(yb[i]);
            assert!((0.0..=1.0).contains(&xb.get(i, 0)) && (0.0..=1.0).contains(&xb.get(i, 1)));
        }
    }

    #[test]
    fn class_and_sample_weights() {
        let y = labels(100, 20);
        let (wn, wp) = class_weights(&y);
        assert!((wn - 100.0 / 160.0).abs() < 1e-12);
        assert!((wp - 100.0 / 40.0).abs() < 1e-12);
        let sw = sample_weights(&y);
        assert_eq!(sw.len(), 100);
        let total_pos: f64 = sw.iter().zip(&y).filter(|(_, b)| **b).map(|(w, _)| w).sum();
        let total: f64 = sw.iter().sum();
        assert!((total_pos - 50.0).abs() < 1e-9 && (total - 100.0).abs() < 1e-9);
        assert_eq!(class_weights(&[true, true]), (1.0, 1.0));
        assert_eq!(class_weights(&[]), (1.0, 1.0));
        assert!(sample_weights(&[]).is_empty());
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod props {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(200))]

            #[test]
            fn kfold_partition_invariants(
                y in proptest::collection::vec(any::<bool>(), 0..120),
                k in 0usize..9,
                seed in any::<u64>(),
            ) {
                let n_pos = y.iter().filter(|&&b| b).count();
                let n_neg = y.len() - n_pos;
                match stratified_kfold(&y, k, seed) {
                    Ok(folds) => {
                        prop_assert!(k >= 2 && n_pos >= k && n_neg >= k);
                        prop_assert_eq!(folds.len(), k);
                        assert_partition(y.len(), &folds);
                        let pos: Vec<usize> =
                            folds.iter().map(|f| count_pos(&y, &f.valid)).collect();
                        let neg: Vec<usize> = folds
                            .iter()
                            .map(|f| f.valid.len() - count_pos(&y, &f.valid))
                            .collect();
                        for c in [pos, neg] {
                            prop_assert!(c.iter().max().unwrap() - c.iter().min().unwrap() <= 1);
                        }
                    }
                    Err(_) => prop_assert!(k < 2 || n_pos < k || n_neg < k),
                }
            }

            #[test]
            fn group_kfold_invariants(
                rows in proptest::collection::vec((0u64..25, any::<bool>()), 0..150),
                k in 2usize..6,
                seed in any::<u64>(),
            ) {
                let (g, y): (Vec<u64>, Vec<bool>) = rows.into_iter().unzip();
                if let Ok(folds) = stratified_group_kfold(&y, &g, k, seed) {
                    prop_assert_eq!(folds.len(), k);
                    assert_partition(y.len(), &folds);
                    for f in &folds {
                        prop_assert!(groups_of(&g, &f.train).is_disjoint(&groups_of(&g, &f.valid)));
                        prop_assert!(count_pos(&y, &f.valid) >= 1);
                    }
                }
            }
        }
    }
}
