#!/usr/bin/env python3
"""Reference values of src/core/eda.rs (the `tests` module), on the 14 rows of its
`fixture()`: the values of column A, binary B and categorical C (level index) and the label y
that the schema accepts, keyed by CSV line (2..=15). Rejected cells are missing: A's 0
(declared "not measured"), NA, 150 (out of range) and abc (invalid); y's blank and "maybe".

- `column_summary_matches_numpy`: count, mean, sample sd, min, quartiles (numpy's linear
  quantiles), max and distinct values of A; count, mean, sd, q1 and median of B;
- `histogram_matches_numpy_fd`: A's Freedman-Diaconis bins (6 over [min, max]) overall and
  per label, A in 2 bins, B in 2 bins over [0, 1], C in one bin per level;
- `box_by_label_matches_numpy`: quartiles, Tukey whiskers (the furthest values within
  1.5 IQR of the quartiles) and outlier counts of A, overall and per label;
- `correlation_matches_pandas`: pairwise-complete Pearson correlation of A, B and y.

Versions the tests' values came from: Python 3.11.7, numpy 2.4.6, pandas 3.1.1.
Tolerance of the tests: 1e-12 relative (|got - want| <= 1e-12 * max(|want|, 1)); counts
exact. Run: python3 scripts/reference/eda.py
"""

import numpy as np
import pandas as pd

from _check import check, done

A = {2: 12, 3: 15, 8: 7, 9: 22.5, 10: 15, 11: 40, 12: 3.25, 13: 9, 14: 18, 15: 11}
B = {2: 1, 3: 0, 4: 1, 6: 0, 7: 1, 8: 0, 9: 1, 10: 0, 11: 1, 12: 0, 13: 1, 14: 0, 15: 1}
C = {2: 0, 3: 1, 4: 0, 5: 2, 6: 1, 7: 0, 8: 2, 9: 0, 10: 1, 12: 0, 13: 1, 14: 2, 15: 0}
Y = {2: 1, 3: 0, 4: 1, 5: 0, 7: 1, 8: 0, 9: 1, 10: 0, 11: 1, 13: 0, 14: 1, 15: 0}
lines = range(2, 16)
df = pd.DataFrame(
    {k: [d.get(line, np.nan) for line in lines] for k, d in [("A", A), ("B", B), ("C", C), ("y", Y)]}
)


def close(name, got, want):
    check(name, got, want, 1e-12, relative=True)


# column_summary_matches_numpy
a = df.A.dropna().to_numpy()
check("A count", len(a), 10)
close("A missing fraction", df.A.isna().mean(), 4 / 14)
close("A mean", a.mean(), 15.275)
close("A sd", a.std(ddof=1), 10.287836669258185)
close("A min", a.min(), 3.25)
close("A q1, median, q3", np.quantile(a, [0.25, 0.5, 0.75]).tolist(), [9.5, 13.5, 17.25])
close("A max", a.max(), 40.0)
check("A distinct", len(np.unique(a)), 9)
b = df.B.dropna().to_numpy()
check("B count", len(b), 13)
close("B mean", b.mean(), 0.5384615384615384)
close("B sd", b.std(ddof=1), 0.5188745216627708)
close("B q1, median", np.quantile(b, [0.25, 0.5]).tolist(), [0.0, 1.0])
check("C count, distinct", [df.C.notna().sum(), df.C.nunique()], [13, 3])

# histogram_matches_numpy_fd
edges = np.histogram_bin_edges(a, bins="fd")
close("A edges (Freedman-Diaconis)", edges.tolist(), [3.25, 9.375, 15.5, 21.625, 27.75, 33.875, 40.0])
rng = (a.min(), a.max())
for name, mask, want in [
    ("all", df.A.notna(), [3, 4, 1, 1, 0, 1]),
    ("positive", df.y == 1, [0, 1, 1, 1, 0, 1]),
    ("negative", df.y == 0, [2, 3, 0, 0, 0, 0]),
    ("unlabelled", df.y.isna(), [1, 0, 0, 0, 0, 0]),
]:
    counts, _ = np.histogram(df.A[mask].dropna(), bins=6, range=rng)
    check(f"A histogram, {name}", counts.tolist(), want)
counts, e2 = np.histogram(a, bins=2, range=rng)
close("A in 2 bins: edges", e2.tolist(), [3.25, 21.625, 40.0])
check("A in 2 bins: counts", counts.tolist(), [8, 2])
counts, eb = np.histogram(b, bins=2, range=(0, 1))
check("B histogram", [eb.tolist(), counts.tolist()], [[0.0, 0.5, 1.0], [6, 7]])
counts, ec = np.histogram(df.C.dropna(), bins=3, range=(-0.5, 2.5))
check("C histogram", [ec.tolist(), counts.tolist()], [[-0.5, 0.5, 1.5, 2.5], [6, 4, 3]])


# box_by_label_matches_numpy
def box(v):
    q1, med, q3 = np.quantile(v, [0.25, 0.5, 0.75])
    lo, hi = q1 - 1.5 * (q3 - q1), q3 + 1.5 * (q3 - q1)
    inside = v[(v >= lo) & (v <= hi)]
    return [q1, med, q3, inside.min(), inside.max(), int(len(v) - len(inside)), len(v)]


# [q1, median, q3, whisker_low, whisker_high, outliers, count]
check("box A, all", box(a), [9.5, 13.5, 17.25, 3.25, 22.5, 1, 10])
check("box A, positive", box(df.A[df.y == 1].dropna().to_numpy()), [16.5, 20.25, 26.875, 12.0, 40.0, 0, 4])
check("box A, negative", box(df.A[df.y == 0].dropna().to_numpy()), [9.0, 11.0, 15.0, 7.0, 15.0, 0, 5])

# correlation_matches_pandas
corr = df[["A", "B", "y"]].corr(min_periods=3)
close("corr(A, B)", corr.loc["A", "B"], 0.3714177847957918)
close("corr(A, y)", corr.loc["A", "y"], 0.6211185070528522)
close("corr(B, y)", corr.loc["B", "y"], 0.4485426135725304)

done()
