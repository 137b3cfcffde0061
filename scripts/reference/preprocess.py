#!/usr/bin/env python3
"""Reference values of src/core/preprocess.rs, test `matches_scikit_learn`:
median and mean imputation followed by standard scaling, fitted on `tr`, applied to `te`.

Versions the test's values came from: Python 3.11.7, numpy 2.4.6, scikit-learn 1.9.1.
Tolerance of the test: 1e-12 (absolute). Run: python3 scripts/reference/preprocess.py
"""

import numpy as np
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from _check import check, done

nan = np.nan
tr = np.array(
    [
        [148.0, 72.0],
        [85.0, nan],
        [183.0, 64.0],
        [nan, 66.0],
        [89.0, nan],
        [137.0, 40.0],
        [116.0, 74.0],
        [78.0, 50.0],
    ]
)
te = np.array([[nan, 80.0], [197.0, nan], [100.0, 30.0]])

# The test's expectations: (imputation, imputed values, transformed test rows).
TEST = {
    "median": (
        [116.0, 65.0],
        [
            [-0.0893633203101749, 1.6877060313785834],
            [2.323446328064547, 0.28128433856309726],
            [-0.5659676952977744, -3.0003662780063705],
        ],
    ),
    "mean": (
        [119.42857142857143, 61.0],
        [
            [0.0, 1.8054344849532036],
            [2.3119993137295705, 0.0],
            [-0.5790642848383455, -2.9457088965025955],
        ],
    ),
}

for strategy, (stats, rows) in TEST.items():
    pipe = make_pipeline(SimpleImputer(strategy=strategy), StandardScaler()).fit(tr)
    check(f"{strategy}: impute values", pipe[0].statistics_.tolist(), stats, 1e-12)
    check(f"{strategy}: transform(te)", pipe.transform(te).tolist(), rows, 1e-12)

done()
