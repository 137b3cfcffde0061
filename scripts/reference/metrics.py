#!/usr/bin/env python3
"""Reference values of src/core/metrics/tests.rs:

- `sklearn_reference_scores_with_ties`: ROC AUC, average precision, Brier score and log loss
  on the 41 scores RP / labels RY (rounded to one decimal: many ties), and log loss with
  clipping of 0 and 1 predictions;
- `sklearn_reference_scores_without_ties`: the same four on 25 untied scores;
- `sklearn_reference_curves`: roc_curve (drop_intermediate=False) and precision_recall_curve
  on RY / RP, reversed to decreasing thresholds;
- `sklearn_reference_calibration_curves`: calibration_curve for 5 and 10 bins, uniform and
  quantile strategies, and the per-bin counts;
- `wilson_interval_known_values`: scipy's Wilson interval for 5 / 10 and 0 / 10.

Also checks that the generated data equal the test's constants RY, RP (and y2, p2).

Versions the tests' values came from: Python 3.11.7, numpy 2.4.6, scikit-learn 1.9.1,
scipy 1.17.1. Tolerances of the tests: 1e-12 (absolute) throughout, 1e-9 for the Wilson
interval (asserted to 10 digits). Run: python3 scripts/reference/metrics.py
"""

import numpy as np
from scipy.stats import binomtest
from sklearn.calibration import calibration_curve
from sklearn.metrics import (
    average_precision_score,
    brier_score_loss,
    log_loss,
    precision_recall_curve,
    roc_auc_score,
    roc_curve,
)

from _check import check, done

T, F = True, False
RY = [
    T, F, F, F, T, T, F, F, F, F, T, F, F, F, T, F, F, F, F, T, F, F, T, F, F, T, F, T, F,
    T, T, T, F, T, T, F, F, F, T, F, F,
]
RP = [
    0.3, 0.1, 0.1, 0.0, 0.4, 0.5, 0.2, 0.0, 0.2, 0.1, 0.8, 0.0, 0.2, 0.1, 0.7, 0.0, 0.4, 0.0,
    0.0, 0.4, 0.2, 0.0, 0.4, 0.2, 0.2, 0.7, 0.3, 0.6, 0.4, 0.7, 0.3, 1.0, 0.2, 0.4, 0.6, 0.1,
    0.3, 0.0, 0.7, 0.0, 0.3,
]

rng = np.random.default_rng(20240611)
n = 41
y = rng.random(n) < 0.35
p = np.round(np.clip(0.3 + 0.35 * (y - 0.35) + rng.normal(0, 0.2, n), 0, 1), 1)
check("data: y == RY", y.tolist(), RY)
check("data: p == RP", p.tolist(), RP)

# sklearn_reference_scores_with_ties
check("roc_auc", roc_auc_score(y, p), 0.9717948717948718, 1e-12)
check("average_precision", average_precision_score(y, p), 0.9311111111111111, 1e-12)
check("brier", brier_score_loss(y, p), 0.1051219512195122, 1e-12)
check("log_loss", log_loss(y, p), 0.33215204410113025, 1e-12)
check(
    "log_loss([1, 0, 1, 0], [0, 1, 1, 0])",
    log_loss([1, 0, 1, 0], [0.0, 1.0, 1.0, 0.0]),
    18.021826694558577,
    1e-12,
)

# sklearn_reference_scores_without_ties
rng = np.random.default_rng(99)
m = 25
y2 = rng.random(m) < 0.4
p2 = np.round(1 / (1 + np.exp(-(1.2 * (2 * y2 - 1) + rng.normal(0, 1.3, m)))), 9)
check(
    "data: y2",
    y2.tolist(),
    [F, F, F, F, F, F, T, F, F, F, F, T, T, T, T, T, F, T, F, T, T, F, F, F, F],
)
check(
    "data: p2",
    p2.tolist(),
    [
        0.040196495, 0.089611578, 0.633657386, 0.275182022, 0.213204969, 0.513199674,
        0.898087745, 0.220838584, 0.115474138, 0.794001306, 0.425053143, 0.300762057,
        0.908154367, 0.900161599, 0.905346351, 0.662607684, 0.671004247, 0.556655827,
        0.592540182, 0.829255837, 0.96790832, 0.153787937, 0.426866135, 0.474592163,
        0.165082319,
    ],
)
check("untied roc_auc", roc_auc_score(y2, p2), 0.9027777777777777, 1e-12)
check("untied average_precision", average_precision_score(y2, p2), 0.8859840232389251, 1e-12)
check("untied brier", brier_score_loss(y2, p2), 0.15183578805951745, 1e-12)
check("untied log_loss", log_loss(y2, p2), 0.4524191629083781, 1e-12)

# sklearn_reference_curves
fpr, tpr, thr = roc_curve(y, p, drop_intermediate=False)
SK_TPR = [
    0.0, 0.06666666666666667, 0.13333333333333333, 0.4, 0.5333333333333333, 0.6,
    0.8666666666666667, 1.0, 1.0, 1.0, 1.0,
]
check(
    "roc fpr",
    fpr.tolist(),
    [
        0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.07692307692307693, 0.19230769230769232,
        0.46153846153846156, 0.6538461538461539, 1.0,
    ],
    1e-12,
)
check("roc tpr", tpr.tolist(), SK_TPR, 1e-12)
check("roc thresholds[0] (ours: the next f64 above 1)", thr[0], float("inf"))
check(
    "roc thresholds[1:]",
    thr[1:].tolist(),
    [1.0, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.0],
    1e-12,
)
prec, rec, pr_thr = precision_recall_curve(y, p)
check(
    "pr precision (decreasing thresholds)",
    prec[::-1].tolist(),
    [
        1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.8666666666666667, 0.75, 0.5555555555555556, 0.46875,
        0.36585365853658536,
    ],
    1e-12,
)
check("pr recall (decreasing thresholds)", rec[::-1].tolist(), SK_TPR, 1e-12)
check("pr thresholds == roc thresholds[1:]", pr_thr[::-1].tolist(), thr[1:].tolist())

# sklearn_reference_calibration_curves: (strategy, bins, observed, mean predicted)
CAL = [
    (
        "uniform",
        5,
        [0.0, 0.5454545454545454, 1.0, 1.0, 1.0],
        [0.09047619047619049, 0.35454545454545444, 0.5666666666666668, 0.7200000000000001, 1.0],
    ),
    (
        "uniform",
        10,
        [0.0, 0.0, 0.4, 0.6666666666666666, 1.0, 1.0, 1.0, 1.0, 1.0],
        [
            0.03571428571428571, 0.19999999999999998, 0.3, 0.39999999999999997, 0.5, 0.6,
            0.7, 0.8, 1.0,
        ],
    ),
    (
        "quantile",
        5,
        [0.0, 0.0, 0.4, 0.7142857142857143, 1.0],
        [0.0, 0.15833333333333335, 0.3, 0.41428571428571426, 0.725],
    ),
    (
        "quantile",
        10,
        [0.0, 0.0, 0.0, 0.4, 0.6666666666666666, 1.0, 1.0, 1.0],
        [
            0.0, 0.1, 0.19999999999999998, 0.3, 0.39999999999999997, 0.5, 0.6666666666666666,
            0.9,
        ],
    ),
]
for strategy, nb, observed, predicted in CAL:
    prob_true, prob_pred = calibration_curve(y, p, n_bins=nb, strategy=strategy)
    check(f"calibration {strategy} {nb}: observed", prob_true.tolist(), observed, 1e-12)
    check(f"calibration {strategy} {nb}: mean predicted", prob_pred.tolist(), predicted, 1e-12)


def counts(strategy, nb):
    if strategy == "uniform":
        bins = np.linspace(0.0, 1.0, nb + 1)
    else:
        bins = np.percentile(p, np.linspace(0, 1, nb + 1) * 100)
    return np.bincount(np.searchsorted(bins[1:-1], p), minlength=nb).tolist(), bins


c, _ = counts("uniform", 5)
check("calibration uniform 5: counts", c, [21, 11, 3, 5, 1])
c, bins = counts("quantile", 5)
check("calibration quantile 5: counts", c, [9, 12, 5, 7, 8])
check("calibration quantile 5: edges", bins.tolist(), [0.0, 0.0, 0.2, 0.3, 0.5, 1.0], 1e-12)

# wilson_interval_known_values (the test asserts 10 digits: tolerance 1e-9)
ci = binomtest(5, 10).proportion_ci(method="wilson")
check("wilson 5/10", [ci.low, ci.high], [0.2365930905, 0.7634069095], 1e-9)
ci = binomtest(0, 10).proportion_ci(method="wilson")
check("wilson 0/10", [ci.low, ci.high], [0.0, 0.2775327999], 1e-9)

done()
