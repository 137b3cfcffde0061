#!/usr/bin/env python3
"""Reference values of src/core/calibration.rs:

- `platt_matches_python_reference`: Platt scaling fitted on 30 generated (score, label)
  pairs (the test's PP, PY) by Lin, Lin & Weng's Algorithm 1 ("A note on Platt's
  probabilistic outputs for support vector machines", 2007), written out below as the Rust
  implementation follows it, on f = logit(clip(p, 1e-12)); then scikit-learn's own
  `calibration._sigmoid_calibration(f, y)` (L-BFGS on the same objective); then the fitted
  map 1 / (1 + exp(A * logit(clip(q)) + B)) at seven points.
- `isotonic_matches_sklearn`: IsotonicRegression(out_of_bounds="clip") knots and predictions.

Also checks that the generated data equal the test's constants PY, PP.

Versions the tests' values came from: Python 3.11.7, numpy 2.4.6, scipy 1.17.1,
scikit-learn 1.9.1. Tolerances of the tests: 1e-9 against the algorithm (A, B and the map),
1e-5 against scikit-learn's A, B, 1e-12 for isotonic.
Run: python3 scripts/reference/calibration.py
"""

import math

import numpy as np
from sklearn.calibration import _sigmoid_calibration
from sklearn.isotonic import IsotonicRegression

from _check import check, done

CLIP = 1e-12

T, F = True, False
PY = [
    F, F, F, T, T, F, T, F, F, F, T, T, T, F, F, F, F, F, F, F, T, T, F, T, T, F, F, F, F, F,
]
PP = [
    0.011564, 0.059278, 0.027501, 0.669486, 0.975813, 0.035845, 0.875225, 0.357788, 0.05051,
    0.101677, 0.898141, 0.891102, 0.509976, 0.132599, 0.54342, 0.011257, 0.348648, 0.140755,
    0.046249, 0.768643, 0.961566, 0.520273, 0.1323, 0.948957, 0.845267, 0.287544, 0.108474,
    0.282437, 0.574842, 0.043895,
]

rng = np.random.default_rng(7)
n = 30
y = rng.random(n) < 0.4
z = 2.5 * (2 * y - 1) * 0.8 + rng.normal(0, 1.6, n)
p = np.round(1 / (1 + np.exp(-z)), 6)
check("data: y == PY", y.tolist(), PY)
check("data: p == PP", p.tolist(), PP)


def logit(q):
    q = min(max(q, CLIP), 1 - CLIP)
    return math.log(q / (1 - q))


def platt(deci, label, maxiter=100, minstep=1e-10, sigma=1e-12, eps=1e-5):
    """Lin, Lin & Weng (2007), Algorithm 1. Returns (A, B, Newton steps taken)."""
    prior1 = sum(label)
    prior0 = len(label) - prior1
    hi, lo = (prior1 + 1) / (prior1 + 2), 1 / (prior0 + 2)
    t = [hi if yi else lo for yi in label]

    def objective(a, b):
        s = 0.0
        for fi, ti in zip(deci, t):
            fapb = fi * a + b
            if fapb >= 0:
                s += ti * fapb + math.log1p(math.exp(-fapb))
            else:
                s += (ti - 1) * fapb + math.log1p(math.exp(fapb))
        return s

    a, b = 0.0, math.log((prior0 + 1) / (prior1 + 1))
    fval = objective(a, b)
    for it in range(maxiter):
        h11 = h22 = sigma
        h21 = g1 = g2 = 0.0
        for fi, ti in zip(deci, t):
            fapb = fi * a + b
            if fapb >= 0:
                e = math.exp(-fapb)
                pp, qq = e / (1 + e), 1 / (1 + e)
            else:
                e = math.exp(fapb)
                pp, qq = 1 / (1 + e), e / (1 + e)
            d2 = pp * qq
            h11 += fi * fi * d2
            h22 += d2
            h21 += fi * d2
            d1 = ti - pp
            g1 += fi * d1
            g2 += d1
        if abs(g1) < eps and abs(g2) < eps:
            return a, b, it
        det = h11 * h22 - h21 * h21
        da = -(h22 * g1 - h21 * g2) / det
        db = -(-h21 * g1 + h11 * g2) / det
        gd = g1 * da + g2 * db
        step = 1.0
        while step >= minstep:
            na, nb = a + step * da, b + step * db
            nf = objective(na, nb)
            if nf < fval + 1e-4 * step * gd:
                a, b, fval = na, nb, nf
                break
            step /= 2
        else:
            raise RuntimeError("line search fails")
    raise RuntimeError("no convergence")


f = [logit(q) for q in PP]
a, b, steps = platt(f, PY)
check("Algorithm 1: A", a, -1.0200046344374585, 1e-9)
check("Algorithm 1: B", b, 0.5996955823458477, 1e-9)
check("Algorithm 1: Newton steps", steps, 5)
sa, sb = _sigmoid_calibration(np.array(f), np.array(PY, dtype=int))
check("scikit-learn _sigmoid_calibration: A", sa, -1.0200049086397078, 1e-5)
check("scikit-learn _sigmoid_calibration: B", sb, 0.5996957754109339, 1e-5)
q = [0.0, 0.01, 0.2, 0.5, 0.8, 0.99, 1.0]
check(
    "Platt map at q",
    [1 / (1 + math.exp(a * logit(x) + b)) for x in q],
    [
        3.158638353966833e-13,
        0.00503277074262753,
        0.11776968494899481,
        0.3544133428237168,
        0.693031664755206,
        0.9834933567268138,
        0.999999999998952,
    ],
    1e-9,
)

# isotonic_matches_sklearn
xs = [0.1, 0.2, 0.2, 0.3, 0.35, 0.5, 0.5, 0.6, 0.7, 0.8, 0.9, 0.9]
ys = [F, T, F, F, T, F, T, T, F, T, T, T]
ir = IsotonicRegression(out_of_bounds="clip").fit(xs, np.array(ys, dtype=float))
check("isotonic X_thresholds_", ir.X_thresholds_.tolist(), [0.1, 0.2, 0.3, 0.35, 0.7, 0.8, 0.9])
third = 0.3333333333333333
check(
    "isotonic y_thresholds_",
    ir.y_thresholds_.tolist(),
    [0.0, third, third, 0.6, 0.6, 1.0, 1.0],
    1e-12,
)
t = [0.0, 0.1, 0.15, 0.2, 0.25, 0.33, 0.4, 0.55, 0.65, 0.75, 0.85, 0.9, 1.0]
check(
    "isotonic predict(t)",
    ir.predict(t).tolist(),
    [
        0.0,
        0.0,
        0.1666666666666666,
        0.3333333333333333,
        0.3333333333333333,
        0.4933333333333335,
        0.6,
        0.6,
        0.6,
        0.8,
        1.0,
        1.0,
        1.0,
    ],
    1e-12,
)

done()
