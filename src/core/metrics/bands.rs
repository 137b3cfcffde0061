//! Risk bands: low / intermediate / high ranges of the calibrated risk around the alert
//! threshold.

use serde::{Deserialize, Serialize};

use super::{check_probabilities, ratio, threshold_for_sensitivity};
use crate::core::{Error, Result};

/// A probability band with the outcome rate observed in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RiskBand {
    /// `"low"`, `"moderate"` or `"high"`.
    pub name: String,
    /// Inclusive lower bound.
    pub lower: f64,
    /// Exclusive upper bound (inclusive for the last band, whose upper bound is `1.0`).
    pub upper: f64,
    /// Fraction of positives among the samples in the band (`0.0` if empty).
    pub observed_rate: f64,
    /// Fraction of all samples in the band.
    pub fraction: f64,
    /// Number of samples in the band.
    pub count: usize,
}

impl RiskBand {
    /// Whether `p` falls in this band (`last` marks the final band, closed above).
    fn contains(&self, p: f64, last: bool) -> bool {
        p >= self.lower && (p < self.upper || (last && p <= self.upper))
    }
}

/// Splits `[0, 1]` into risk bands:
/// - `"low"`: `[0, low_cut)`, where `low_cut` is the threshold chosen by
///   [`threshold_for_sensitivity`] with `rule_out_sensitivity` (so at most a
///   `1 - rule_out_sensitivity` share of the positives score there);
/// - `"moderate"`: `[low_cut, alert_threshold)`;
/// - `"high"`: `[alert_threshold, 1]`.
///
/// If `low_cut >= alert_threshold` there are only `"low"` `[0, alert_threshold)` and
/// `"high"`. If `low_cut == 0` (no score is low enough to rule out) the empty-width
/// `"low"` band is omitted and `"moderate"` starts at 0. The bands are contiguous, ordered,
/// start at 0 and end at 1. Each band reports the samples of `(y, p)` falling in it.
///
/// Errors unless `alert_threshold` is in `(0, 1]` and `rule_out_sensitivity` in `(0, 1]`,
/// if there are no positives, or if scores are not probabilities.
pub fn risk_bands(
    y: &[bool],
    p: &[f64],
    alert_threshold: f64,
    rule_out_sensitivity: f64,
) -> Result<Vec<RiskBand>> {
    check_probabilities(y, p)?;
    if !(alert_threshold > 0.0 && alert_threshold <= 1.0) {
        return Err(Error::param(
            "alert_threshold",
            format!("must be in (0, 1], got {alert_threshold}"),
        ));
    }
    if !(rule_out_sensitivity > 0.0 && rule_out_sensitivity <= 1.0) {
        return Err(Error::param(
            "rule_out_sensitivity",
            format!("must be in (0, 1], got {rule_out_sensitivity}"),
        ));
    }
    let low_cut = threshold_for_sensitivity(y, p, rule_out_sensitivity)?.threshold;
    let mut cuts: Vec<(&str, f64, f64)> = Vec::with_capacity(3);
    if low_cut >= alert_threshold {
        cuts.push(("low", 0.0, alert_threshold));
    } else {
        if low_cut > 0.0 {
            cuts.push(("low", 0.0, low_cut));
        }
        cuts.push(("moderate", low_cut, alert_threshold));
    }
    cuts.push(("high", alert_threshold, 1.0));
    let last = cuts.len() - 1;
    let mut bands: Vec<RiskBand> = cuts
        .into_iter()
        .map(|(name, lower, upper)| RiskBand {
            name: name.to_string(),
            lower,
            upper,
            observed_rate: 0.0,
            fraction: 0.0,
            count: 0,
        })
        .collect();
    let mut positives = vec![0usize; bands.len()];
    for (&yi, &pi) in y.iter().zip(p) {
        if let Some(i) = (0..bands.len()).find(|&i| bands[i].contains(pi, i == last)) {
            bands[i].count += 1;
            positives[i] += usize::from(yi);
        }
    }
    let n = y.len() as f64;
    for (band, &pos) in bands.iter_mut().zip(&positives) {
        band.observed_rate = ratio(pos as f64, band.count as f64);
        band.fraction = band.count as f64 / n;
    }
    Ok(bands)
}

/// Checks bands read from a file against the threshold they go with, as [`risk_bands`] makes
/// them: at least one band; bounds finite, each band wider than zero; contiguous from 0 to 1;
/// names `low`, `moderate`, `high`, each at most once and in that order; the last band is
/// `high` and starts at `threshold` (so a prediction above the threshold is always "high",
/// and never below it). The error says what is wrong.
pub fn check_bands(bands: &[RiskBand], threshold: f64) -> Result<()> {
    let bad = |msg: String| Err(Error::Bundle(msg));
    let (Some(first), Some(last)) = (bands.first(), bands.last()) else {
        return bad("no risk bands".into());
    };
    const ORDER: [&str; 3] = ["low", "moderate", "high"];
    let mut rank = None;
    for (i, b) in bands.iter().enumerate() {
        // Only the last band may be a point (`high` from a threshold of 1).
        let wide_enough = b.lower < b.upper || (i + 1 == bands.len() && b.lower == b.upper);
        if !(b.lower.is_finite() && b.upper.is_finite() && wide_enough) {
            return bad(format!(
                "band {} (`{}`) has bounds {}–{}: expected finite bounds, lower below upper",
                i + 1,
                crate::core::format::clip(&b.name),
                b.lower,
                b.upper
            ));
        }
        let Some(r) = ORDER.iter().position(|n| *n == b.name) else {
            return bad(format!(
                "band {} is named `{}`: expected low, moderate or high",
                i + 1,
                crate::core::format::clip(&b.name)
            ));
        };
        if rank.is_some_and(|prev| r <= prev) {
            return bad(format!(
                "band `{}` comes after a band it should precede (expected the order low, moderate, high)",
                b.name
            ));
        }
        rank = Some(r);
        if let Some(next) = bands.get(i + 1)
            && next.lower != b.upper
        {
            return bad(format!(
                "band `{}` ends at {} but the next band starts at {}: bands must be contiguous",
                b.name, b.upper, next.lower
            ));
        }
    }
    if first.lower != 0.0 || last.upper != 1.0 {
        return bad(format!(
            "the bands cover {}–{}, expected 0–1",
            first.lower, last.upper
        ));
    }
    if last.name != "high" || last.lower != threshold {
        return bad(format!(
            "the last band is `{}` from {}, but the alert threshold is {threshold}: expected `high` from the threshold",
            last.name, last.lower
        ));
    }
    Ok(())
}

/// Index of the band containing `p`: `lower <= p < upper`, the last band also taking
/// `p == upper`. Scores below the first band go to the first band and scores above the last
/// to the last. `None` for an empty band list or a `NaN` score.
pub fn band_index(bands: &[RiskBand], p: f64) -> Option<usize> {
    if bands.is_empty() || p.is_nan() {
        return None;
    }
    let last = bands.len() - 1;
    Some(
        (0..bands.len())
            .find(|&i| bands[i].contains(p, i == last))
            .unwrap_or(if p < bands[0].lower { 0 } else { last }),
    )
}

/// The band containing `p` (see [`band_index`]).
pub fn band_for(bands: &[RiskBand], p: f64) -> Option<&RiskBand> {
    band_index(bands, p).map(|i| &bands[i])
}
