#!/usr/bin/env python3
"""scikit-learn's side of scripts/bench-upload-browser.sh: the seed model's pipeline
(median imputation with missing indicators, standard scaling, logistic regression: what
assets/models/seed.json holds) on a seed-schema CSV, timing the scoring step alone
(in-process `predict_proba`, best of 5) and the whole job (pandas reading the CSV, the "0 = not
measured" cells as missing, predict_proba, the results CSV written), as the page's
sepsis-risk:upload-score measure and its whole upload are timed.

    python3 scripts/bench/sklearn_predict.py FILE.csv
"""
import io
import sys
import time

import numpy as np
import pandas as pd
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

FEATURES = ["PRG", "PL", "PR", "SK", "TS", "M11", "BD2", "Age", "Insurance"]
ZERO_IS_MISSING = ["PL", "PR", "SK", "TS", "M11"]


def features(frame):
    x = frame[FEATURES].astype(float)
    x[ZERO_IS_MISSING] = x[ZERO_IS_MISSING].replace(0.0, np.nan)
    return x.to_numpy()


path = sys.argv[1]
frame = pd.read_csv(path)
y = frame["Sepssis"].astype(str).isin(["Positive", "1", "yes", "true"]).to_numpy()
model = make_pipeline(
    SimpleImputer(strategy="median", add_indicator=True),
    StandardScaler(),
    LogisticRegression(max_iter=1000),
)
model.fit(features(frame), y)

x = features(frame)
best = float("inf")
for _ in range(5):
    started = time.perf_counter()
    model.predict_proba(x)
    best = min(best, time.perf_counter() - started)

started = time.perf_counter()
frame = pd.read_csv(path)
p = model.predict_proba(features(frame))[:, 1]
out = pd.DataFrame({"ID": frame["ID"], "probability": p, "predicted": p >= 0.5})
out.to_csv(io.StringIO(), index=False)
whole = time.perf_counter() - started
print(
    f"sklearn {len(frame)} rows ({path}): predict_proba {best * 1000:.1f} ms (best of 5); "
    f"read, predict and write the results {whole * 1000:.0f} ms"
)
