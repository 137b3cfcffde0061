//! Tests of the metrics module: hand-worked examples, scikit-learn reference values and
//! properties, shared by all of its concepts.

use super::*;
use crate::core::stats::mean_sd;

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol
}

macro_rules! assert_close {
    ($a:expr, $b:expr) => {
        assert_close!($a, $b, 1e-12)
    };
    ($a:expr, $b:expr, $tol:expr) => {{
        let (a, b): (f64, f64) = ($a, $b);
        assert!(close(a, b, $tol), "{a} != {b} (tol {})", $tol);
    }};
}

fn assert_all_close(a: &[f64], b: &[f64]) {
    assert_eq!(a.len(), b.len(), "{a:?} vs {b:?}");
    for (x, y) in a.iter().zip(b) {
        assert_close!(*x, *y);
    }
}

// Hand-worked example: ten patients, sorted by score.
//
//   score  0.9  0.8  0.7  0.6  0.55 0.4  0.3  0.2  0.1  0.05
//   label   P    P    N    P    N    P    N    N    N    N
//
// At threshold 0.5 (alert iff score >= 0.5) the alerts are 0.9 0.8 0.7 0.6 0.55:
//   tp = 3 (0.9, 0.8, 0.6), fp = 2 (0.7, 0.55), fn = 1 (0.4), tn = 4 (0.3 .. 0.05).
//   sensitivity 3/4, specificity 4/6, precision 3/5, npv 4/5, accuracy 7/10,
//   F1 = 2*3 / (2*3 + 2 + 1) = 6/9, F2 = 5*3 / (5*3 + 4*1 + 2) = 15/21.
// AUC = P(score of a positive > score of a negative) over 4*6 = 24 pairs:
//   0.9 beats 6, 0.8 beats 6, 0.6 beats 5 (not 0.7), 0.4 beats 4 -> 21/24 = 0.875.
// Average precision: positives reached at ranks 1, 2, 4, 6 with precision 1, 1, 3/4, 4/6,
//   each adding recall 1/4 -> (1 + 1 + 3/4 + 2/3) / 4 = 41/48.
// Brier: (0.1^2 + 0.2^2 + 0.7^2 + 0.4^2 + 0.55^2 + 0.6^2 + 0.3^2 + 0.2^2 + 0.1^2
//   + 0.05^2) = (0.01 + 0.04 + 0.49 + 0.16 + 0.3025 + 0.36 + 0.09 + 0.04 + 0.01
//   + 0.0025) / 10 = 1.505 / 10 = 0.1505.
const HY: [bool; 10] = [
    true, true, false, true, false, true, false, false, false, false,
];
const HP: [f64; 10] = [0.9, 0.8, 0.7, 0.6, 0.55, 0.4, 0.3, 0.2, 0.1, 0.05];

#[test]
fn hand_worked_confusion_and_rates() {
    let c = confusion_at(&HY, &HP, 0.5).unwrap();
    assert_eq!(
        c,
        Confusion {
            tp: 3,
            fp: 2,
            tn: 4,
            fn_: 1
        }
    );
    assert_eq!(
        (c.n(), c.alerts(), c.positives(), c.negatives()),
        (10, 5, 4, 6)
    );
    assert_close!(c.sensitivity(), 0.75);
    assert_close!(c.specificity(), 4.0 / 6.0);
    assert_close!(c.precision(), 0.6);
    assert_close!(c.npv(), 0.8);
    assert_close!(c.accuracy(), 0.7);
    assert_close!(c.f1(), 6.0 / 9.0);
    assert_close!(c.f_beta(2.0), 15.0 / 21.0);
    assert_close!(c.f_beta(0.0), c.precision());
    assert_close!(c.f_beta(f64::INFINITY), c.sensitivity());
    assert_eq!(c.f_beta(f64::NAN), 0.0);
    // Threshold equal to a score alerts on it.
    assert_eq!(confusion_at(&HY, &HP, 0.55).unwrap().fp, 2);
    assert_eq!(confusion_at(&HY, &HP, 0.5500001).unwrap().fp, 1);
}

#[test]
fn hand_worked_areas_and_scores() {
    assert_close!(roc_auc(&HY, &HP).unwrap(), 0.875);
    assert_close!(average_precision(&HY, &HP).unwrap(), 41.0 / 48.0);
    assert_close!(brier(&HY, &HP).unwrap(), 0.1505);
    let m = evaluate(&HY, &HP, 0.5).unwrap();
    assert_eq!((m.n, m.positives, m.confusion.tp), (10, 4, 3));
    assert_close!(m.f2, 15.0 / 21.0);
    assert_close!(m.pr_auc, 41.0 / 48.0);
    assert_eq!(m.threshold, 0.5);
}

#[test]
fn hand_worked_threshold_choice() {
    // Sensitivity by candidate: 0.9 -> 1/4, 0.8 -> 2/4, 0.6 -> 3/4, 0.4 -> 4/4.
    let c = threshold_for_sensitivity(&HY, &HP, 0.75).unwrap();
    assert_eq!(c.threshold, 0.6);
    assert_close!(c.sensitivity, 0.75);
    assert_close!(c.specificity, 5.0 / 6.0);
    assert_close!(c.precision, 0.75);
    assert_close!(c.alert_rate, 0.4);
    assert_eq!(
        threshold_for_sensitivity(&HY, &HP, 0.76).unwrap().threshold,
        0.4
    );
    assert_eq!(
        threshold_for_sensitivity(&HY, &HP, 1.0).unwrap().threshold,
        0.4
    );
    assert_eq!(
        threshold_for_sensitivity(&HY, &HP, 0.1).unwrap().threshold,
        0.9
    );
    for bad in [0.0, -0.1, 1.01, f64::NAN] {
        assert!(threshold_for_sensitivity(&HY, &HP, bad).is_err());
    }
    assert!(threshold_for_sensitivity(&[false, false], &[0.1, 0.2], 0.5).is_err());
}

#[test]
fn confusion_conventions_and_json() {
    let empty = Confusion::default();
    for v in [
        empty.sensitivity(),
        empty.specificity(),
        empty.precision(),
        empty.npv(),
        empty.f1(),
        empty.f_beta(2.0),
        empty.accuracy(),
    ] {
        assert_eq!(v, 0.0);
    }
    let c = Confusion {
        tp: 1,
        fp: 2,
        tn: 3,
        fn_: 4,
    };
    let json = serde_json::to_string(&c).unwrap();
    assert_eq!(json, r#"{"tp":1,"fp":2,"tn":3,"fn":4}"#);
    assert_eq!(serde_json::from_str::<Confusion>(&json).unwrap(), c);
}

#[test]
fn invalid_input_is_an_error_not_a_panic() {
    let y = [true, false];
    assert!(roc_auc(&y, &[0.1]).is_err());
    assert!(roc_auc(&[], &[]).is_err());
    assert!(roc_auc(&y, &[0.1, f64::NAN]).is_err());
    assert!(roc_auc(&y, &[0.1, f64::INFINITY]).is_err());
    assert!(matches!(
        roc_auc(&[true, true], &[0.1, 0.2]),
        Err(Error::InsufficientData(_))
    ));
    assert!(roc_curve(&[false, false], &[0.1, 0.2]).is_err());
    assert!(average_precision(&[false, false], &[0.1, 0.2]).is_err());
    assert!(pr_curve(&[false], &[0.1]).is_err());
    assert!(brier(&y, &[0.1, 1.5]).is_err());
    assert!(log_loss(&y, &[-0.1, 0.5]).is_err());
    assert!(confusion_at(&y, &[0.1, 0.2], f64::NAN).is_err());
    assert!(calibration_curve(&y, &[0.1, 0.2], 0, BinStrategy::Uniform).is_err());
    assert!(threshold_table(&y, &[0.1, 0.2], &[0.5, f64::INFINITY]).is_err());
    assert!(threshold_grid(0).is_err());
    assert!(evaluate(&[true, true], &[0.1, 0.2], 0.5).is_err());
    assert!(risk_bands(&y, &[0.1, 0.2], 0.0, 0.95).is_err());
    assert!(risk_bands(&y, &[0.1, 0.2], 0.5, 1.5).is_err());
    assert!(mean_sd(&[]).is_err());
    assert!(mean_sd(&[1.0, f64::NAN]).is_err());
    assert!(downsample_curve::<RocPoint>(&[], 1).is_err());
    // One class is fine where the metric is defined.
    assert_close!(brier(&[true], &[1.0]).unwrap(), 0.0);
    assert_close!(average_precision(&[true, true], &[0.3, 0.4]).unwrap(), 1.0);
}

// Reference values from scikit-learn. The data and numbers were produced by
// `scripts/reference/metrics.py` (see scripts/reference/README.md), essentially:
//
//   import numpy as np
//   from sklearn.metrics import (roc_auc_score, average_precision_score,
//       brier_score_loss, log_loss, roc_curve, precision_recall_curve)
//   from sklearn.calibration import calibration_curve
//   rng = np.random.default_rng(20240611); n = 41
//   y = rng.random(n) < 0.35
//   p = np.round(np.clip(0.3 + 0.35 * (y - 0.35) + rng.normal(0, 0.2, n), 0, 1), 1)
//   roc_auc_score(y, p); average_precision_score(y, p); brier_score_loss(y, p)
//   log_loss(y, p); roc_curve(y, p, drop_intermediate=False)
//   precision_recall_curve(y, p)          # reversed to decreasing thresholds
//   calibration_curve(y, p, n_bins=nb, strategy=s)  # nb in (5, 10), both strategies
//   # counts: np.bincount(np.searchsorted(bins[1:-1], p), minlength=nb)
//
// Python 3.11.7, numpy 2.4.6, scikit-learn 1.9.1. Tolerance 1e-12 throughout.
// Scores are rounded to one decimal, so there are many ties (and 0.0 / 1.0 occur),
// and several scores sit exactly on bin edges.
const RY: [bool; 41] = [
    true, false, false, false, true, true, false, false, false, false, true, false, false, false,
    true, false, false, false, false, true, false, false, true, false, false, true, false, true,
    false, true, true, true, false, true, true, false, false, false, true, false, false,
];
const RP: [f64; 41] = [
    0.3, 0.1, 0.1, 0.0, 0.4, 0.5, 0.2, 0.0, 0.2, 0.1, 0.8, 0.0, 0.2, 0.1, 0.7, 0.0, 0.4, 0.0, 0.0,
    0.4, 0.2, 0.0, 0.4, 0.2, 0.2, 0.7, 0.3, 0.6, 0.4, 0.7, 0.3, 1.0, 0.2, 0.4, 0.6, 0.1, 0.3, 0.0,
    0.7, 0.0, 0.3,
];

#[test]
fn sklearn_reference_scores_with_ties() {
    assert_close!(roc_auc(&RY, &RP).unwrap(), 0.9717948717948718);
    assert_close!(average_precision(&RY, &RP).unwrap(), 0.9311111111111111);
    assert_close!(brier(&RY, &RP).unwrap(), 0.1051219512195122);
    assert_close!(log_loss(&RY, &RP).unwrap(), 0.33215204410113025);
    // log_loss([1, 0, 1, 0], [0, 1, 1, 0]) with eps clipping.
    assert_close!(
        log_loss(&[true, false, true, false], &[0.0, 1.0, 1.0, 0.0]).unwrap(),
        18.021826694558577
    );
}

#[test]
fn sklearn_reference_scores_without_ties() {
    // rng = np.random.default_rng(99); m = 25; y2 = rng.random(m) < 0.4
    // p2 = np.round(1 / (1 + np.exp(-(1.2 * (2*y2 - 1) + rng.normal(0, 1.3, m)))), 9)
    let y2 = [
        false, false, false, false, false, false, true, false, false, false, false, true, true,
        true, true, true, false, true, false, true, true, false, false, false, false,
    ];
    let p2 = [
        0.040196495,
        0.089611578,
        0.633657386,
        0.275182022,
        0.213204969,
        0.513199674,
        0.898087745,
        0.220838584,
        0.115474138,
        0.794001306,
        0.425053143,
        0.300762057,
        0.908154367,
        0.900161599,
        0.905346351,
        0.662607684,
        0.671004247,
        0.556655827,
        0.592540182,
        0.829255837,
        0.96790832,
        0.153787937,
        0.426866135,
        0.474592163,
        0.165082319,
    ];
    assert_close!(roc_auc(&y2, &p2).unwrap(), 0.9027777777777777);
    assert_close!(average_precision(&y2, &p2).unwrap(), 0.8859840232389251);
    assert_close!(brier(&y2, &p2).unwrap(), 0.15183578805951745);
    assert_close!(log_loss(&y2, &p2).unwrap(), 0.4524191629083781);
}

#[test]
fn sklearn_reference_curves() {
    let roc = roc_curve(&RY, &RP).unwrap();
    let fpr: Vec<f64> = roc.iter().map(|r| r.fpr).collect();
    let tpr: Vec<f64> = roc.iter().map(|r| r.tpr).collect();
    let thr: Vec<f64> = roc.iter().map(|r| r.threshold).collect();
    #[rustfmt::skip]
    assert_all_close(&fpr, &[0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.07692307692307693,
        0.19230769230769232, 0.46153846153846156, 0.6538461538461539, 1.0]);
    #[rustfmt::skip]
    let sk_tpr = [0.0, 0.06666666666666667, 0.13333333333333333, 0.4, 0.5333333333333333,
        0.6, 0.8666666666666667, 1.0, 1.0, 1.0, 1.0];
    assert_all_close(&tpr, &sk_tpr);
    // sklearn's first threshold is +inf; ours is the next f64 above 1.0.
    assert_eq!(thr[0], 1.0 + f64::EPSILON);
    assert_all_close(
        &thr[1..],
        &[1.0, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.0],
    );

    let pr = pr_curve(&RY, &RP).unwrap();
    let prec: Vec<f64> = pr.iter().map(|r| r.precision).collect();
    let rec: Vec<f64> = pr.iter().map(|r| r.recall).collect();
    #[rustfmt::skip]
    assert_all_close(&prec, &[1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.8666666666666667, 0.75,
        0.5555555555555556, 0.46875, 0.36585365853658536]);
    assert_all_close(&rec, &sk_tpr);
    assert_eq!(pr[0].threshold, thr[0]);
    assert_eq!(
        pr[1..].iter().map(|r| r.threshold).collect::<Vec<_>>(),
        thr[1..]
    );

    // No infinities or NaN reach JSON.
    let json = serde_json::to_string(&(roc, pr)).unwrap();
    assert!(!json.contains("null") && !json.contains("inf"));
}

#[test]
fn sklearn_reference_calibration_curves() {
    type Case = (BinStrategy, usize, &'static [f64], &'static [f64]);
    #[rustfmt::skip]
    let cases: [Case; 4] = [
        (BinStrategy::Uniform, 5, &[0.0, 0.5454545454545454, 1.0, 1.0, 1.0],
            &[0.09047619047619049, 0.35454545454545444, 0.5666666666666668,
              0.7200000000000001, 1.0]),
        (BinStrategy::Uniform, 10,
            &[0.0, 0.0, 0.4, 0.6666666666666666, 1.0, 1.0, 1.0, 1.0, 1.0],
            &[0.03571428571428571, 0.19999999999999998, 0.3, 0.39999999999999997, 0.5,
              0.6, 0.7, 0.8, 1.0]),
        (BinStrategy::Quantile, 5, &[0.0, 0.0, 0.4, 0.7142857142857143, 1.0],
            &[0.0, 0.15833333333333335, 0.3, 0.41428571428571426, 0.725]),
        (BinStrategy::Quantile, 10,
            &[0.0, 0.0, 0.0, 0.4, 0.6666666666666666, 1.0, 1.0, 1.0],
            &[0.0, 0.1, 0.19999999999999998, 0.3, 0.39999999999999997, 0.5,
              0.6666666666666666, 0.9]),
    ];
    for (strategy, nb, observed, predicted) in cases {
        let c = calibration_curve(&RY, &RP, nb, strategy).unwrap();
        let o: Vec<f64> = c.iter().map(|b| b.observed_rate).collect();
        let m: Vec<f64> = c.iter().map(|b| b.mean_predicted).collect();
        assert_all_close(&o, observed);
        assert_all_close(&m, predicted);
        assert_eq!(c.iter().map(|b| b.count).sum::<usize>(), RY.len());
        for b in &c {
            assert!(b.count > 0);
            assert!(b.lower <= b.observed_rate && b.observed_rate <= b.upper);
            assert!(b.lower >= 0.0 && b.upper <= 1.0);
        }
    }
    // Bin counts from np.bincount(np.searchsorted(bins[1:-1], p)).
    let counts = |s| -> Vec<usize> {
        calibration_curve(&RY, &RP, 5, s)
            .unwrap()
            .iter()
            .map(|b| b.count)
            .collect()
    };
    assert_eq!(counts(BinStrategy::Uniform), [21, 11, 3, 5, 1]);
    // Quantile edges are [0, 0, 0.2, 0.3, 0.5, 1]: scores of exactly 0 fill bin 0.
    assert_eq!(counts(BinStrategy::Quantile), [9, 12, 5, 7, 8]);
}

#[test]
fn wilson_interval_known_values() {
    // Reference: scipy 1.17.1 `binomtest(k, 10).proportion_ci(method="wilson")` gives
    // (0.236593090512564, 0.7634069094874361) for k = 5 and (0.0, 0.27753279986288926)
    // for k = 0 (tolerance 1e-9: scipy's z differs in the last digits). By hand for
    // 5 / 10 the centre is (0.5 + z^2/20) / (1 + z^2/10) = 0.5.
    let (lo, hi) = wilson_interval(5, 10);
    assert_close!(lo, 0.236_593_090_5, 1e-9);
    assert_close!(hi, 0.763_406_909_5, 1e-9);
    let (lo, hi) = wilson_interval(0, 10);
    assert_eq!(lo, 0.0);
    assert_close!(hi, 0.277_532_799_9, 1e-9);
    assert_eq!(wilson_interval(0, 0), (0.0, 1.0));
}

#[test]
fn threshold_table_and_grid() {
    let rows = threshold_table(&HY, &HP, &[0.5, 0.0, 2.0]).unwrap();
    assert_eq!(rows[0].confusion(), confusion_at(&HY, &HP, 0.5).unwrap());
    assert_close!(rows[0].alerts_per_100, 50.0);
    assert_close!(rows[0].npv, 0.8);
    assert_eq!(
        (rows[1].tp, rows[1].fp, rows[1].alerts_per_100),
        (4, 6, 100.0)
    );
    assert_eq!((rows[2].tp, rows[2].fp, rows[2].npv), (0, 0, 0.6));
    assert_eq!(rows[2].precision, 0.0);
    let grid = threshold_grid(GRID_STEPS).unwrap();
    assert_eq!(grid.len(), 101);
    assert_eq!(
        (grid[0], grid[1], grid[37], grid[100]),
        (0.0, 0.01, 0.37, 1.0)
    );
    let sweep = threshold_sweep(&RY, &RP).unwrap();
    assert_eq!(sweep.len(), 101);
    for row in &sweep {
        assert_eq!(
            row.confusion(),
            confusion_at(&RY, &RP, row.threshold).unwrap()
        );
    }
    let json = serde_json::to_value(sweep[0]).unwrap();
    assert!(json.get("fn").is_some() && json.get("fn_").is_none());
}

#[test]
fn check_bands_rejects_bands_that_disagree_with_the_threshold() {
    let band = |name: &str, lower: f64, upper: f64| RiskBand {
        name: name.into(),
        lower,
        upper,
        observed_rate: 0.0,
        fraction: 0.0,
        count: 0,
    };
    let good = vec![
        band("low", 0.0, 0.1),
        band("moderate", 0.1, 0.3),
        band("high", 0.3, 1.0),
    ];
    assert!(check_bands(&good, 0.3).is_ok());
    assert!(check_bands(&[band("high", 1.0, 1.0)][..0], 1.0).is_err());
    assert!(check_bands(&[band("low", 0.0, 1.0), band("high", 1.0, 1.0)], 1.0).is_ok());
    let cases: Vec<(Vec<RiskBand>, f64, &str)> = vec![
        (good.clone(), 0.2, "alert threshold is 0.2"),
        (vec![], 0.3, "no risk bands"),
        (
            vec![band("low", 0.0, 0.3), band("moderate", 0.3, 1.0)],
            0.3,
            "the last band is `moderate`",
        ),
        (
            vec![band("high", 0.0, 0.3), band("low", 0.3, 1.0)],
            0.3,
            "order low, moderate, high",
        ),
        (
            vec![band("low", 0.0, 0.2), band("high", 0.3, 1.0)],
            0.3,
            "must be contiguous",
        ),
        (
            vec![band("low", 0.1, 0.3), band("high", 0.3, 1.0)],
            0.3,
            "cover 0.1–1",
        ),
        (
            vec![band("low", 0.0, f64::NAN), band("high", 0.3, 1.0)],
            0.3,
            "finite bounds",
        ),
        (
            vec![band("low", 0.0, 0.3), band("urgent", 0.3, 1.0)],
            0.3,
            "named `urgent`",
        ),
    ];
    for (bands, threshold, expected) in cases {
        let e = check_bands(&bands, threshold).unwrap_err().to_string();
        assert!(e.contains(expected), "{e} / {expected}");
    }
}

#[test]
fn risk_bands_hand_worked() {
    // Rule-out at 75% sensitivity: low cut = 0.6 (see hand_worked_threshold_choice);
    // alert threshold 0.8 -> low [0, 0.6), moderate [0.6, 0.8), high [0.8, 1].
    let bands = risk_bands(&HY, &HP, 0.8, 0.75).unwrap();
    let names: Vec<&str> = bands.iter().map(|b| b.name.as_str()).collect();
    assert_eq!(names, ["low", "moderate", "high"]);
    assert_eq!(
        bands.iter().map(|b| (b.lower, b.upper)).collect::<Vec<_>>(),
        [(0.0, 0.6), (0.6, 0.8), (0.8, 1.0)]
    );
    // low: 0.55 0.4 0.3 0.2 0.1 0.05 (1 positive); moderate: 0.7 0.6; high: 0.9 0.8.
    assert_eq!(bands.iter().map(|b| b.count).collect::<Vec<_>>(), [6, 2, 2]);
    assert_close!(bands[0].observed_rate, 1.0 / 6.0);
    assert_close!(bands[1].observed_rate, 0.5);
    assert_close!(bands[2].observed_rate, 1.0);
    assert_close!(bands[0].fraction, 0.6);
    assert_eq!(band_for(&bands, 0.6).unwrap().name, "moderate");
    assert_eq!(band_for(&bands, 0.5999).unwrap().name, "low");
    assert_eq!(band_for(&bands, 1.0).unwrap().name, "high");
    assert_eq!(band_for(&bands, 1.5).unwrap().name, "high");
    assert_eq!(band_for(&bands, -0.5).unwrap().name, "low");
    assert!(band_for(&bands, f64::NAN).is_none());
    assert!(band_for(&[], 0.5).is_none());

    // Low cut above the alert threshold: two bands.
    let two = risk_bands(&HY, &HP, 0.5, 0.75).unwrap();
    assert_eq!(
        two.iter()
            .map(|b| (b.name.as_str(), b.lower, b.upper))
            .collect::<Vec<_>>(),
        [("low", 0.0, 0.5), ("high", 0.5, 1.0)]
    );
    // A positive at score 0 makes rule-out impossible: no empty "low" band.
    let none = risk_bands(&[true, false, true], &[0.0, 0.3, 0.9], 0.5, 0.95).unwrap();
    assert_eq!(
        none.iter().map(|b| b.name.as_str()).collect::<Vec<_>>(),
        ["moderate", "high"]
    );
    assert_eq!(none[0].lower, 0.0);
}

#[test]
fn mean_sd_sample() {
    let (m, s) = mean_sd(&[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]).unwrap();
    assert_close!(m, 5.0);
    assert_close!(s, (32.0f64 / 7.0).sqrt());
    assert_eq!(mean_sd(&[3.0]).unwrap(), (3.0, 0.0));
}

#[test]
fn downsample_keeps_ends_order_and_corners() {
    // A ROC-like step: 1000 points on the left edge, then 1000 on the top edge.
    let mut pts = Vec::new();
    for i in 0..=1000 {
        pts.push(RocPoint {
            threshold: 2.0 - i as f64 / 1000.0,
            fpr: 0.0,
            tpr: i as f64 / 1000.0,
        });
    }
    for i in 1..=1000 {
        pts.push(RocPoint {
            threshold: 1.0 - i as f64 / 1000.0,
            fpr: i as f64 / 1000.0,
            tpr: 1.0,
        });
    }
    let d = downsample_curve(&pts, 50).unwrap();
    assert_eq!(d.len(), 50);
    assert_eq!(d[0], pts[0]);
    assert_eq!(d[49], pts[pts.len() - 1]);
    assert!(d.windows(2).all(|w| w[0].threshold > w[1].threshold));
    // The corner (0, 1) is the shape-defining point and must survive.
    assert!(d.iter().any(|p| p.fpr == 0.0 && p.tpr == 1.0));
    assert_eq!(
        downsample_curve(&pts[..10], 50).unwrap(),
        pts[..10].to_vec()
    );
    assert_eq!(downsample_curve(&pts, 2).unwrap(), vec![pts[0], pts[2000]]);
}

#[test]
fn ranking_areas_count_negative_zero_as_zero_and_check_their_input() {
    let y = [true, false, true, false, true];
    let p = [0.0, -0.0, 0.5, 0.5, 1.0];
    let (auc, ap) = ranking_areas(&y, p.to_vec()).unwrap();
    assert_eq!(auc.to_bits(), roc_auc(&y, &p).unwrap().to_bits());
    assert_eq!(ap.to_bits(), average_precision(&y, &p).unwrap().to_bits());
    // Hand-worked, positives {0, 0.5, 1} against negatives {-0, 0.5}: 0 vs -0 ties (0.5),
    // 0 vs 0.5 loses, 0.5 vs -0 wins, 0.5 vs 0.5 ties (0.5), 1 beats both: 4 of 6 pairs.
    assert_close!(auc, 4.0 / 6.0);
    assert!(ranking_areas(&y, vec![0.1, 0.2, 1.5, 0.3, 0.4]).is_err());
    assert!(ranking_areas(&y, vec![0.1, f64::NAN, 0.5, 0.3, 0.4]).is_err());
    assert!(ranking_areas(&[true, true], vec![0.1, 0.2]).is_err());
    assert!(ranking_areas(&y, vec![0.1]).is_err());
}

#[cfg(not(target_arch = "wasm32"))]
mod props {
    use super::super::*;
    use proptest::prelude::*;

    /// Labels with both classes and scores from a coarse grid (so ties occur).
    fn labelled(tied: bool) -> impl Strategy<Value = (Vec<bool>, Vec<f64>)> {
        (2usize..60).prop_flat_map(move |n| {
            let score = if tied {
                (0u32..=10).prop_map(|k| k as f64 / 10.0).boxed()
            } else {
                (0.0f64..=1.0).boxed()
            };
            (
                proptest::collection::vec(any::<bool>(), n).prop_filter("both classes", |y| {
                    y.iter().any(|&b| b) && !y.iter().all(|&b| b)
                }),
                proptest::collection::vec(score, n),
            )
        })
    }

    /// Brute-force AUC: P(pos > neg) + 0.5 P(pos == neg).
    fn pairwise_auc(y: &[bool], p: &[f64]) -> f64 {
        let (mut s, mut pairs) = (0.0, 0.0);
        for i in 0..y.len() {
            for j in 0..y.len() {
                if y[i] && !y[j] {
                    pairs += 1.0;
                    s += if p[i] > p[j] {
                        1.0
                    } else if p[i] == p[j] {
                        0.5
                    } else {
                        0.0
                    };
                }
            }
        }
        s / pairs
    }

    proptest! {
        #[test]
        fn auc_in_unit_interval_matches_pairs_and_flips((y, p) in labelled(true)) {
            let auc = roc_auc(&y, &p).unwrap();
            prop_assert!((0.0..=1.0).contains(&auc));
            prop_assert!((auc - pairwise_auc(&y, &p)).abs() < 1e-12);
            // 1 - p reverses the order exactly for these grid scores (ties stay ties).
            let q: Vec<f64> = p.iter().map(|v| 1.0 - v).collect();
            prop_assert!((roc_auc(&y, &q).unwrap() - (1.0 - auc)).abs() < 1e-12);
            let ap = average_precision(&y, &p).unwrap();
            prop_assert!((0.0..=1.0).contains(&ap));
        }

        #[test]
        fn owned_evaluation_is_the_same_bit_for_bit(
            (y, p) in labelled(true),
            (y2, p2) in labelled(false),
            threshold in 0.0f64..=1.0,
        ) {
            for (y, p) in [(y, p), (y2, p2)] {
                let m = evaluate(&y, &p, threshold).unwrap();
                let ece = expected_calibration_error(&y, &p, 10).unwrap();
                let (owned, owned_ece) = evaluate_owned(&y, p.clone(), threshold, 10).unwrap();
                prop_assert_eq!(owned.roc_auc.to_bits(), m.roc_auc.to_bits());
                prop_assert_eq!(owned.pr_auc.to_bits(), m.pr_auc.to_bits());
                prop_assert_eq!(owned_ece.to_bits(), ece.to_bits());
                prop_assert_eq!(format!("{owned:?}"), format!("{m:?}"));
            }
        }

        #[test]
        fn auc_flip_without_ties((y, p) in labelled(false)) {
            let auc = roc_auc(&y, &p).unwrap();
            let q: Vec<f64> = p.iter().map(|v| 1.0 - v).collect();
            prop_assert!((roc_auc(&y, &q).unwrap() - (1.0 - auc)).abs() < 1e-12);
        }

        #[test]
        fn curves_are_monotone_and_end_at_one((y, p) in labelled(true)) {
            let roc = roc_curve(&y, &p).unwrap();
            prop_assert_eq!((roc[0].fpr, roc[0].tpr), (0.0, 0.0));
            let last = roc[roc.len() - 1];
            prop_assert_eq!((last.fpr, last.tpr), (1.0, 1.0));
            for w in roc.windows(2) {
                prop_assert!(w[0].threshold > w[1].threshold);
                prop_assert!(w[0].fpr <= w[1].fpr && w[0].tpr <= w[1].tpr);
            }
            let pr = pr_curve(&y, &p).unwrap();
            prop_assert_eq!(pr.len(), roc.len());
            for (a, b) in pr.iter().zip(&roc) {
                prop_assert_eq!(a.threshold, b.threshold);
                prop_assert_eq!(a.recall, b.tpr);
            }
        }

        #[test]
        fn threshold_for_sensitivity_is_tight(
            (y, p) in labelled(true),
            target in 0.01f64..=1.0,
        ) {
            let c = threshold_for_sensitivity(&y, &p, target).unwrap();
            let at = confusion_at(&y, &p, c.threshold).unwrap();
            prop_assert!(at.sensitivity() >= target);
            prop_assert_eq!(at.sensitivity(), c.sensitivity);
            prop_assert!(p.contains(&c.threshold));
            // The next higher candidate misses the target.
            let next = p.iter().copied().filter(|&v| v > c.threshold).fold(f64::NAN, f64::min);
            if !next.is_nan() {
                prop_assert!(confusion_at(&y, &p, next).unwrap().sensitivity() < target);
            }
        }

        #[test]
        fn risk_bands_partition_unit_interval(
            (y, p) in labelled(true),
            alert in 0.01f64..=1.0,
            rule_out in 0.5f64..=1.0,
        ) {
            let bands = risk_bands(&y, &p, alert, rule_out).unwrap();
            prop_assert!(!bands.is_empty() && bands.len() <= 3);
            prop_assert_eq!(bands[0].lower, 0.0);
            prop_assert_eq!(bands[bands.len() - 1].upper, 1.0);
            prop_assert_eq!(bands[bands.len() - 1].name.as_str(), "high");
            prop_assert_eq!(bands[bands.len() - 1].lower, alert);
            prop_assert!(check_bands(&bands, alert).is_ok());
            for w in bands.windows(2) {
                prop_assert_eq!(w[0].upper, w[1].lower);
                prop_assert!(w[0].lower < w[0].upper);
            }
            prop_assert_eq!(bands.iter().map(|b| b.count).sum::<usize>(), y.len());
            let frac: f64 = bands.iter().map(|b| b.fraction).sum();
            prop_assert!((frac - 1.0).abs() < 1e-12);
            // Every score lands in exactly one band, the one band_for reports.
            for &v in &p {
                let hits: Vec<usize> = (0..bands.len())
                    .filter(|&i| bands[i].lower <= v
                        && (v < bands[i].upper || (i == bands.len() - 1 && v <= 1.0)))
                    .collect();
                prop_assert_eq!(hits.len(), 1);
                prop_assert_eq!(band_index(&bands, v), Some(hits[0]));
            }
            // The low band holds at most (1 - rule_out) of the positives.
            if bands[0].name == "low" {
                let pos = y.iter().filter(|&&b| b).count() as f64;
                let low_pos = y.iter().zip(&p)
                    .filter(|&(&yi, &pi)| yi && pi < bands[0].upper).count() as f64;
                prop_assert!(low_pos / pos <= 1.0 - rule_out + 1e-12);
            }
        }

        #[test]
        fn downsample_bounds(n in 0usize..300, max in 2usize..40) {
            let pts: Vec<PrPoint> = (0..n)
                .map(|i| PrPoint { threshold: -(i as f64), precision: (i as f64).sin().abs(), recall: i as f64 })
                .collect();
            let d = downsample_curve(&pts, max).unwrap();
            prop_assert_eq!(d.len(), n.min(max));
            if n > 0 {
                prop_assert_eq!(d[0], pts[0]);
                prop_assert_eq!(d[d.len() - 1], pts[n - 1]);
            }
            prop_assert!(d.windows(2).all(|w| w[0].threshold > w[1].threshold));
        }
    }
}

#[test]
fn expected_calibration_error_by_hand() {
    // Bins of width 0.1: [0.1, 0.1, 0.1] (observed 1/3) and [0.9, 0.9] (observed 1/2).
    let y = [true, false, false, true, false];
    let p = [0.1, 0.1, 0.1, 0.9, 0.9];
    let ece = expected_calibration_error(&y, &p, 10).unwrap();
    let expected = 3.0 / 5.0 * (0.1f64 - 1.0 / 3.0).abs() + 2.0 / 5.0 * (0.9f64 - 0.5).abs();
    assert!((ece - expected).abs() < 1e-12, "{ece} vs {expected}");
    // Perfectly calibrated bins give zero; bad inputs are errors.
    assert_eq!(
        expected_calibration_error(&[true, false], &[0.5, 0.5], 10).unwrap(),
        0.0
    );
    assert!(expected_calibration_error(&y, &p, 0).is_err());
    assert!(expected_calibration_error(&y, &[0.1, 0.2, 0.3, 0.4, 1.5], 10).is_err());
}
