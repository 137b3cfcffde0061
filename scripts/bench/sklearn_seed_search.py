#!/usr/bin/env python3
"""scikit-learn's side of scripts/bench-seed-search.sh: GridSearchCV over the same candidates
as `sepsis-risk train --schema seed` (src/core/search.rs SearchSpace::default_for), on the same
kind of split: a stratified 80/20 split, then stratified 5-fold CV on the development part,
refit of each family's best candidate, AUROC on the test part. Prints one JSON line.

    python3 scripts/bench/sklearn_seed_search.py SEED_CSV THREADS

Pipeline per candidate: median imputation with missing-value indicators (zeros in PL, PR, SK,
TS and M11 mean "not measured", as in the seed schema), standard scaling, then
- LogisticRegression(C in 0.001..100, 6 values)                            6 candidates
- RandomForestClassifier(150 trees, depth 4|8, leaf 2|5|10, max_features sqrt|0.5)  12
- GradientBoostingClassifier(100|200 rounds, learning rate 0.03|0.1, depth 2|3,
  leaf 10|20, subsample 0.8; exact splits: the candidates use row subsampling, which
  HistGradientBoostingClassifier does not offer)                          16
Ours does more in the same run (out-of-fold predictions of every candidate, Platt
calibration, threshold choice, test metrics, curves, the bundle): the ratio is conservative.
"""
import json
import sys
import time

started = time.perf_counter()
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from sklearn.ensemble import GradientBoostingClassifier, RandomForestClassifier  # noqa: E402
from sklearn.impute import SimpleImputer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import roc_auc_score  # noqa: E402
from sklearn.model_selection import GridSearchCV, StratifiedKFold, train_test_split  # noqa: E402
from sklearn.pipeline import Pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

path, threads = sys.argv[1], int(sys.argv[2])
df = pd.read_csv(path)
features = ["PRG", "PL", "PR", "SK", "TS", "M11", "BD2", "Age", "Insurance"]
X = df[features].astype(float)
for c in ["PL", "PR", "SK", "TS", "M11"]:
    X.loc[X[c] == 0, c] = np.nan
y = (df["Sepssis"].astype(str).str.lower().isin(["positive", "1"])).to_numpy()
X_dev, X_test, y_dev, y_test = train_test_split(
    X.to_numpy(), y, test_size=0.2, stratify=y, random_state=42)
cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=42)

def pipe(model):
    return Pipeline([("impute", SimpleImputer(strategy="median", add_indicator=True)),
                     ("scale", StandardScaler()), ("model", model)])

searches = {
    "logistic": (LogisticRegression(max_iter=1000),
                 {"model__C": [0.001, 0.01, 0.1, 1.0, 10.0, 100.0]}),
    "forest": (RandomForestClassifier(n_estimators=150, random_state=0),
               {"model__max_depth": [4, 8], "model__min_samples_leaf": [2, 5, 10],
                "model__max_features": ["sqrt", 0.5]}),
    "boosting": (GradientBoostingClassifier(subsample=0.8, random_state=0),
                 {"model__n_estimators": [100, 200], "model__learning_rate": [0.03, 0.1],
                  "model__max_depth": [2, 3], "model__min_samples_leaf": [10, 20]}),
}
t = time.perf_counter()
out = {"engine": "scikit-learn", "candidates": 0, "families": {}}
for name, (model, grid) in searches.items():
    s = GridSearchCV(pipe(model), grid, scoring="roc_auc", cv=cv, n_jobs=threads, refit=True)
    s.fit(X_dev, y_dev)
    out["candidates"] += len(s.cv_results_["params"])
    out["families"][name] = {
        "cv_mean": float(s.best_score_),
        "test_roc_auc": float(roc_auc_score(y_test, s.predict_proba(X_test)[:, 1])),
    }
out["search_seconds"] = time.perf_counter() - t
out["process_seconds"] = time.perf_counter() - started
print(json.dumps(out))
