#!/usr/bin/env python3
"""Reference values of src/core/models/logistic.rs, test `matches_scikit_learn`
(constants SKLEARN_COEF, SKLEARN_INTERCEPT, SKLEARN_PROBA): L2 logistic regression, C = 1,
on the test's 40-row toy data (`toy()`).

Versions the test's values came from: Python 3.11.7, numpy 2.4.6, scikit-learn 1.9.1.
Tolerances of the test: coefficients and intercept 1e-4, probabilities 1e-5 (both solvers
stop at a gradient tolerance, not at the exact optimum); with the versions above the
printed values equal the constants digit for digit.
Run: python3 scripts/reference/logistic.py
"""

import numpy as np
from sklearn.linear_model import LogisticRegression

from _check import check, done

i = np.arange(40)
a = np.sin(i * 0.37) * 2
b = ((i * 7 % 11) - 5) / 3
y = (a + 0.5 * b + ((i * 13 % 5) - 2) * 0.4 > 0).astype(int)
m = LogisticRegression(C=1.0, tol=1e-10, max_iter=10000).fit(np.c_[a, b], y)
proba = m.predict_proba([[0.3, -0.2], [-1.0, 1.5]])[:, 1]

COEF = [1.9837247013848902, 0.8596109304932044]
INTERCEPT = 0.5732324617080209
PROBA = [0.7303556396051821, 0.46976796185644426]
check("SKLEARN_COEF", m.coef_[0].tolist(), COEF, 1e-4)
check("SKLEARN_INTERCEPT", m.intercept_[0], INTERCEPT, 1e-4)
check("SKLEARN_PROBA", proba.tolist(), PROBA, 1e-5)

done()
