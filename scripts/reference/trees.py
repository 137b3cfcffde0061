#!/usr/bin/env python3
"""Reference values of the tree models, on the parity data of
src/core/models/tree/test_data.rs (`parity_data` and `parity_queries`):

- src/core/models/forest.rs, test `parity_with_sklearn_random_forest_cart`:
  RandomForestClassifier (CART, no bootstrap, all features) probabilities and the first
  tree's node count; also checks that every tree, and DecisionTreeClassifier for
  random_state 0..19, predicts the same (no feature ties decide the structure).
- src/core/models/boosting.rs, test `parity_with_sklearn_hist_gradient_boosting`:
  HistGradientBoostingClassifier probabilities for three (l2, weights) settings.
- src/core/models/tree/binner.rs, test `binner_quantiles_when_many_values`: numpy's "midpoint"
  percentiles, the histogram binner's thresholds.

Versions the tests' values came from: Python 3.11.7, numpy 2.4.6, scikit-learn 1.9.1.
Tolerances of the tests: forest 1e-12, boosting 1e-8 (scikit-learn keeps gradients and
hessians in float32), binner exact. Run: python3 scripts/reference/trees.py
"""

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.tree import DecisionTreeClassifier

from _check import check, done

X, y, w = [], [], []
for i in range(64):
    a, b, c = (i * 37) % 61, (i * 23 + 5) % 47, (i * i * 7 + 3) % 29
    X.append([a / 4, b / 8, c / 2])
    y.append((a + 2 * b - 3 * c + 11 * (i % 5 == 0) > 20) != (i % 9 == 0))
    w.append((16 + (i * 13) % 17) / 16)
X, y, w = np.array(X), np.array(y, dtype=int), np.array(w)
Q = np.array(
    [
        [3.3, 2.1, 7.0],
        [10.0, 4.0, 1.5],
        [7.3, 5.55, 12.2],
        [14.9, 0.3, 3.1],
        [1.1, 1.1, 1.1],
        [12.6, 3.4, 9.9],
    ]
)

# forest.rs
rf = RandomForestClassifier(
    n_estimators=5,
    bootstrap=False,
    max_features=None,
    criterion="gini",
    min_samples_leaf=4,
    random_state=0,
).fit(X, y, sample_weight=w)
proba = rf.predict_proba(Q)[:, 1]
check(
    "forest: predict_proba(Q)",
    proba.tolist(),
    [
        0.7032967032967034,
        1.0,
        0.6717557251908397,
        0.0,
        0.16666666666666666,
        0.8089887640449438,
    ],
    1e-12,
)
check("forest: first tree's node count", rf.estimators_[0].tree_.node_count, 19)
same = all(
    np.array_equal(t.predict_proba(Q)[:, 1], proba) for t in rf.estimators_
) and all(
    np.array_equal(
        DecisionTreeClassifier(min_samples_leaf=4, random_state=rs)
        .fit(X, y, sample_weight=w)
        .predict_proba(Q)[:, 1],
        proba,
    )
    for rs in range(20)
)
check("forest: every tree and random_state gives the same tree (1 = yes)", int(same), 1)

# boosting.rs
BOOSTING = [
    (
        0.0,
        None,
        [
            0.7980275815555361,
            0.9725068578037005,
            0.732357877474356,
            0.05072604270569846,
            0.46809638494622646,
            0.8439415343257992,
        ],
    ),
    (
        1.0,
        None,
        [
            0.808580387368522,
            0.94235234301472,
            0.6839030651245263,
            0.19420922222586906,
            0.47046997954945097,
            0.7241702280521761,
        ],
    ),
    (
        0.0,
        w,
        [
            0.8300268564507494,
            0.9780886123049097,
            0.7198976156133344,
            0.06439156580712778,
            0.44827764415908994,
            0.926495494362401,
        ],
    ),
]
for l2, sw, want in BOOSTING:
    hgb = HistGradientBoostingClassifier(
        max_iter=15,
        learning_rate=0.2,
        max_depth=3,
        max_leaf_nodes=None,
        min_samples_leaf=6,
        l2_regularization=l2,
        early_stopping=False,
        max_bins=255,
    ).fit(X, y, sample_weight=sw)
    name = f"boosting l2={l2} {'weighted' if sw is not None else 'unweighted'}"
    check(f"{name}: predict_proba(Q)", hgb.predict_proba(Q)[:, 1].tolist(), want, 1e-8)

# tree/binner.rs: thresholds 0 and 4 of 10 bins over 0..999.
t = np.percentile(np.arange(1000), np.linspace(0, 100, 11)[1:-1], method="midpoint")
check("binner: thresholds[0], thresholds[4]", [t[0], t[4]], [99.5, 499.5])

done()
