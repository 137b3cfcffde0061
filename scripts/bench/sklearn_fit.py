#!/usr/bin/env python3
"""scikit-learn's side of scripts/bench-engine.sh: one fit on a matrix exported by
examples/export_icu_features.rs, the same rows and held-out patient fold as
`sepsis-risk fit --matrix PREFIX --holdout-fold K`, printing the same JSON fields.

    python3 scripts/bench/sklearn_fit.py PREFIX boosting|forest HOLDOUT_FOLD THREADS

boosting: HistGradientBoostingClassifier(max_iter=300, max_depth=3, learning_rate=0.05,
min_samples_leaf=50, l2_regularization=1.0, max_bins=255, early_stopping=False);
forest: RandomForestClassifier(n_estimators=100, max_depth=10, min_samples_leaf=50,
max_features="sqrt"), exact splits, which cannot take NaN in older versions: scikit-learn
1.4+ handles missing values in RandomForestClassifier natively. THREADS is n_jobs / OpenMP's
thread count (set OMP_NUM_THREADS too, as the shell script does).
"""
import json
import sys
import time

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.metrics import roc_auc_score

prefix, family, holdout, threads = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
started = time.perf_counter()
cols = len(open(f"{prefix}.features.txt").read().split("\n"))
rows = pd.read_csv(f"{prefix}.rows.csv", header=None, names=["patient", "label", "fold"])
X = np.fromfile(f"{prefix}.features.f32", dtype=np.float32).reshape(-1, cols)
label, fold = rows["label"].to_numpy(), rows["fold"].to_numpy()
train = (label >= 0) & (fold != holdout)
test = (label >= 0) & (fold == holdout)
X_train, y_train = X[train], label[train] == 1
X_test, y_test = X[test], label[test] == 1
del X
# scikit-learn 1.9.1's binning fails on a column with no value at all (EtCO2 is never measured
# in set A); as a constant it is the same model (never split on), as in our engine, where such
# a column has only its missing-value bin.
empty = np.isnan(X_train).all(axis=0)
X_train[:, empty] = 0.0
X_test[:, empty] = 0.0
load = time.perf_counter() - started

if family == "boosting":
    model = HistGradientBoostingClassifier(
        max_iter=300, max_depth=3, learning_rate=0.05, min_samples_leaf=50,
        l2_regularization=1.0, max_bins=255, early_stopping=False, random_state=0)
    hyper = "max_iter=300, max_depth=3, learning_rate=0.05, min_samples_leaf=50, l2_regularization=1.0"
elif family == "forest":
    model = RandomForestClassifier(
        n_estimators=100, max_depth=10, min_samples_leaf=50, max_features="sqrt",
        n_jobs=threads, random_state=0)
    hyper = "n_estimators=100, max_depth=10, min_samples_leaf=50, max_features=sqrt"
else:
    sys.exit(f"unknown family {family}")
t = time.perf_counter()
model.fit(X_train, y_train)
fit = time.perf_counter() - t
t = time.perf_counter()
p = model.predict_proba(X_test)[:, 1]
predict = time.perf_counter() - t
print(json.dumps({
    "family": family,
    "hyperparameters": hyper,
    "train_rows": int(train.sum()),
    "test_rows": int(test.sum()),
    "columns": cols,
    "threads": threads,
    "load_seconds": load,
    "fit_seconds": fit,
    "predict_seconds": predict,
    "test_roc_auc": float(roc_auc_score(y_test, p)),
}, indent=2))
