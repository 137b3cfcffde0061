//! Per-feature histogram binning ([`Binner`]).

use super::{MAX_BINS, check_width};
use crate::core::{Error, Matrix, Result, parallel};

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
        // One feature per work item, on every core natively (results in feature order).
        let per_feature = parallel::map(x.cols(), Vec::new, |j, col: &mut Vec<f64>| {
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
                (t, Some(distinct))
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
                (t, None)
            }
        });
        let (thresholds, values) = per_feature.into_iter().unzip();
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

    /// The distinct values of `feature`, one per non-missing bin, when each has its own bin
    /// (`None` for quantile bins). Panics if `feature >= n_features()`.
    pub(super) fn exact_values(&self, feature: usize) -> Option<&[f64]> {
        self.values[feature].as_deref()
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
        let (n, cols) = (x.rows(), x.cols());
        let mut out = vec![0u8; n * cols];
        // Contiguous groups of columns, one per thread natively.
        let per = cols.div_ceil(parallel::threads().max(1)).max(1);
        let ends: Vec<usize> = (per..cols + per)
            .step_by(per)
            .map(|e| e.min(cols) * n)
            .collect();
        parallel::for_each_part(&mut out, &ends, |k, part| {
            // Blocks of rows, so the rows read stay in cache across the group's columns.
            const BLOCK: usize = 512;
            for lo in (0..n).step_by(BLOCK) {
                let hi = (lo + BLOCK).min(n);
                for (dj, col) in part.chunks_exact_mut(n.max(1)).enumerate() {
                    let j = k * per + dj;
                    for (i, slot) in col[lo..hi].iter_mut().enumerate() {
                        *slot = self.bin(j, x.get(lo + i, j));
                    }
                }
            }
        });
        Ok(out)
    }
}

/// Training rows binned once: the [`Binner`] fitted on them and their column-major codes
/// (`codes[feature * rows + row]`). Every tree candidate fitted on the same rows with the same
/// `max_bins` can share one `Binned` (cross-validation bins each fold once, not once per
/// candidate), and growth never needs the `f64` matrix again.
#[derive(Debug, Clone, PartialEq)]
pub struct Binned {
    binner: Binner,
    codes: Vec<u8>,
    rows: usize,
    max_bins: usize,
}

impl Binned {
    /// Fits a [`Binner`] with `max_bins` on `x` and bins `x` with it.
    pub fn new(x: &Matrix, max_bins: usize) -> Result<Binned> {
        let binner = Binner::fit(x, max_bins)?;
        let codes = binner.transform(x)?;
        Ok(Binned {
            binner,
            codes,
            rows: x.rows(),
            max_bins,
        })
    }

    /// The binner.
    pub fn binner(&self) -> &Binner {
        &self.binner
    }

    /// Column-major codes, `rows()` per feature.
    pub fn codes(&self) -> &[u8] {
        &self.codes
    }

    /// Number of rows.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Number of features.
    pub fn cols(&self) -> usize {
        self.binner.n_features()
    }

    /// The `max_bins` the binner was fitted with.
    pub fn max_bins(&self) -> usize {
        self.max_bins
    }

    /// Errors unless these codes were binned with `max_bins` (a model's parameter).
    pub(crate) fn check_max_bins(&self, max_bins: usize) -> Result<()> {
        if self.max_bins == max_bins {
            Ok(())
        } else {
            Err(Error::param(
                "max_bins",
                format!(
                    "the binned training data has {} bins per feature, the model asks for {max_bins}",
                    self.max_bins
                ),
            ))
        }
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
}
