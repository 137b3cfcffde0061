//! The model page's threshold slider as plain data: a slider position is an index into the
//! bundle's out-of-fold threshold table (`curves.thresholds`, computed by the core at training
//! time); nothing is recomputed here.

use crate::core::metrics::ThresholdRow;

/// What the page shows for one slider position.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SliderStats {
    /// The threshold on the calibrated probability.
    pub threshold: f64,
    /// Sensitivity at the threshold.
    pub sensitivity: f64,
    /// Specificity at the threshold.
    pub specificity: f64,
    /// Positive predictive value (precision) at the threshold.
    pub ppv: f64,
    /// Alerts per 100 patients.
    pub alerts_per_100: f64,
    /// The confusion counts behind the rates.
    pub tp: usize,
    /// False positives.
    pub fp: usize,
    /// True negatives.
    pub tn: usize,
    /// False negatives.
    pub fn_: usize,
}

/// The statistics at slider position `index`; `None` when out of range.
pub fn stats_at(rows: &[ThresholdRow], index: usize) -> Option<SliderStats> {
    let r = rows.get(index)?;
    Some(SliderStats {
        threshold: r.threshold,
        sensitivity: r.sensitivity,
        specificity: r.specificity,
        ppv: r.precision,
        alerts_per_100: r.alerts_per_100,
        tp: r.tp,
        fp: r.fp,
        tn: r.tn,
        fn_: r.fn_,
    })
}

/// The slider position whose threshold is closest to `threshold` (the first of ties); 0 for an
/// empty table.
pub fn nearest_index(rows: &[ThresholdRow], threshold: f64) -> usize {
    rows.iter()
        .enumerate()
        .min_by(|a, b| {
            (a.1.threshold - threshold)
                .abs()
                .total_cmp(&(b.1.threshold - threshold).abs())
        })
        .map_or(0, |(i, _)| i)
}

/// Parses a slider's `value` text into a valid index (clamped to the table).
pub fn parse_index(rows: &[ThresholdRow], value: &str) -> usize {
    let i = value.trim().parse::<f64>().unwrap_or(0.0);
    let i = if i.is_finite() && i > 0.0 {
        i as usize
    } else {
        0
    };
    i.min(rows.len().saturating_sub(1))
}

/// The out-of-fold normalized utility at the curve point nearest to `threshold` (time-series
/// bundles: `time_series.utility_curve`); `None` for an empty curve.
pub fn utility_at(curve: &[(f64, f64)], threshold: f64) -> Option<f64> {
    curve
        .iter()
        .min_by(|a, b| (a.0 - threshold).abs().total_cmp(&(b.0 - threshold).abs()))
        .map(|p| p.1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::model::seed_bundle;

    #[test]
    fn slider_reads_the_bundle_table() {
        let b = seed_bundle().unwrap();
        let rows = &b.curves.thresholds;
        let i = nearest_index(rows, b.threshold);
        let s = stats_at(rows, i).unwrap();
        assert!((s.threshold - b.threshold).abs() <= 0.01);
        assert_eq!(s.tp, rows[i].tp);
        assert_eq!(s.ppv, rows[i].precision);
        assert!(stats_at(rows, rows.len()).is_none());
        // Lower threshold: at least as sensitive, no more specific.
        let lo = stats_at(rows, 0).unwrap();
        assert!(lo.sensitivity >= s.sensitivity && lo.specificity <= s.specificity);
        assert_eq!(lo.alerts_per_100, 100.0);
    }

    #[test]
    fn parsing_clamps() {
        let b = seed_bundle().unwrap();
        let rows = &b.curves.thresholds;
        assert_eq!(parse_index(rows, "3"), 3);
        assert_eq!(parse_index(rows, "-1"), 0);
        assert_eq!(parse_index(rows, "x"), 0);
        assert_eq!(parse_index(rows, "100000"), rows.len() - 1);
        assert_eq!(parse_index(&[], "5"), 0);
        assert_eq!(nearest_index(&[], 0.5), 0);
    }

    #[test]
    fn utility_comes_from_the_icu_curve() {
        let b = crate::app::model::test_icu_bundle();
        let curve = &b.time_series.as_ref().unwrap().utility_curve;
        let u = utility_at(curve, b.threshold).unwrap();
        assert!(u.is_finite() && u <= 1.0);
        assert_eq!(utility_at(&[(0.1, 0.2), (0.5, 0.4)], 0.4), Some(0.4));
        assert_eq!(utility_at(&[], 0.4), None);
    }
}
