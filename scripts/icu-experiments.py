#!/usr/bin/env python3
"""Feature and sampling experiments behind docs/decisions.md D11 ("Why the AUROC stays near
0.83"): scikit-learn's HistGradientBoostingClassifier as a fast stand-in for our boosting, on
the features `core::temporal` computes, two patient-level folds of the five.

    cargo run --release --example export_icu_features -- \
        ../shared/data/physionet2019/training_setA target/icu-export/a
    python3 scripts/icu-experiments.py target/icu-export/a [EXPERIMENT...]

Needs numpy, pandas and scikit-learn. Without experiment names it runs all of them (about
25 minutes on 2 cores). Nothing here is part of the product or its tests.
"""
import sys
import time

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score

prefix = sys.argv[1]
wanted = set(sys.argv[2:])
names = open(f"{prefix}.features.txt").read().split("\n")
raw_names = open(f"{prefix}.raw.txt").read().split("\n")
X = np.fromfile(f"{prefix}.features.f32", dtype=np.float32).reshape(-1, len(names))
R = np.fromfile(f"{prefix}.raw.f32", dtype=np.float32).reshape(-1, len(raw_names))
rows = np.loadtxt(f"{prefix}.rows.csv", delimiter=",", dtype=np.int64)
pid, y = rows[:, 0], rows[:, 1]
assert (y >= 0).all(), "every row needs a label"
# Columns that are never measured in the data (EtCO2 in set A) have one value: drop them.
keep = [j for j in range(X.shape[1]) if len(np.unique(X[:200_000, j][np.isfinite(X[:200_000, j])])) > 1]
X, names = X[:, keep], [names[j] for j in keep]

npat = pid.max() + 1
septic = np.zeros(npat, bool)
np.logical_or.at(septic, pid, y == 1)
rng = np.random.RandomState(0)
fold_of = np.zeros(npat, int)
for group in (np.where(septic)[0], np.where(~septic)[0]):
    g = rng.permutation(group)
    fold_of[g] = np.arange(len(g)) % 5
row_fold = fold_of[pid]
FOLDS = (0, 1)
BASE = dict(max_depth=3, learning_rate=0.05, min_samples_leaf=50, l2_regularization=1.0)
WIDE = dict(max_depth=5, learning_rate=0.05, min_samples_leaf=1000, l2_regularization=1.0)


def under(idx, ratio, seed, labels=y):
    if ratio is None:
        return idx
    r = np.random.RandomState(seed)
    pos, neg = idx[labels[idx] == 1], idx[labels[idx] == 0]
    k = min(len(neg), ratio * int((y[idx] == 1).sum()))
    return np.sort(np.concatenate([pos, r.choice(neg, k, replace=False)]))


def curve(label, Xm, params, rounds=(100, 150, 200, 300), sample=None, train_y=y):
    """Mean validation AUROC over FOLDS after each number of rounds in `rounds`."""
    t = time.time()
    res = np.zeros((len(FOLDS), len(rounds)))
    for i, f in enumerate(FOLDS):
        tr = np.where(row_fold != f)[0]
        tr = sample(tr, f) if sample else under(tr, 10, f, train_y)
        va = np.where(row_fold == f)[0]
        m = HistGradientBoostingClassifier(random_state=0, max_iter=max(rounds), early_stopping=False, **params)
        m.fit(Xm[tr], train_y[tr])
        for k, d in enumerate(m.staged_decision_function(Xm[va])):
            if k + 1 in rounds:
                res[i, rounds.index(k + 1)] = roc_auc_score(y[va], d)
    cells = " ".join(f"{n}:{v:.4f}" for n, v in zip(rounds, res.mean(0)))
    print(f"{label}: {cells} [{time.time() - t:.0f} s]", flush=True)


def extra_features():
    """The added feature groups, from the raw variables, past and present rows only."""
    df = pd.DataFrame(R.astype(np.float64), columns=raw_names)
    vitals = ["HR", "O2Sat", "Temp", "SBP", "MAP", "DBP", "Resp"]
    labs = [c for c in raw_names[7:34] if c != "EtCO2"]
    ff = df[vitals + labs].groupby(pid).ffill()
    out = {}
    g = ff.groupby(pid)
    out["cum"] = np.column_stack([g[c].cummax() for c in vitals + labs] + [g[c].cummin() for c in vitals + labs])
    dprev = []
    for c in labs:
        s = df[c]
        before = s.groupby(pid).shift(1).groupby(pid).ffill()
        dprev.append((s - before).where(s.notna()).groupby(pid).ffill())
    out["dprev"] = np.column_stack(dprev)
    meas = df[labs].notna().astype(np.float32)
    n24 = meas.groupby(pid).rolling(24, min_periods=1).sum().reset_index(level=0, drop=True).sort_index()
    n6 = meas.groupby(pid).rolling(6, min_periods=1).sum().reset_index(level=0, drop=True).sort_index()
    out["counts"] = np.column_stack([n24.values, n24.sum(axis=1).values, n6.sum(axis=1).values])
    sofa = pd.cut(ff["Platelets"], [-np.inf, 20, 50, 100, 150, np.inf], labels=[4, 3, 2, 1, 0]).astype(float).fillna(0)
    sofa += pd.cut(ff["Bilirubin_total"], [-np.inf, 1.2, 2, 6, 12, np.inf], labels=[0, 1, 2, 3, 4], right=False).astype(float).fillna(0)
    sofa += pd.cut(ff["Creatinine"], [-np.inf, 1.2, 2, 3.5, 5, np.inf], labels=[0, 1, 2, 3, 4], right=False).astype(float).fillna(0)
    sofa += (ff["MAP"] < 70).astype(float)
    out["scores"] = np.column_stack([
        ff["HR"] / ff["SBP"], ff["BUN"] / ff["Creatinine"], ff["SBP"] - ff["DBP"], ff["O2Sat"] / ff["FiO2"],
        (ff["Resp"] >= 22).astype(float) + (ff["SBP"] <= 100).astype(float), sofa,
    ])
    running = df[vitals].groupby(pid).expanding().mean().reset_index(level=0, drop=True).sort_index()
    r72 = df[vitals].groupby(pid).rolling(72, min_periods=1).mean().reset_index(level=0, drop=True).sort_index()
    ewm = [df[vitals].groupby(pid).transform(lambda s, h=h: s.ewm(halflife=h, ignore_na=True).mean()) for h in (3, 12)]
    out["deviation"] = np.column_stack([ff[vitals] - running, ff[vitals] - r72, ewm[0], ewm[1], ewm[0] - ewm[1]])
    return {k: v.astype(np.float32) for k, v in out.items()}


def decomposition():
    """The hour-level AUROC split by the kind of negative hour (out of fold, FOLDS)."""
    p = np.full(len(y), np.nan)
    for f in FOLDS:
        tr = under(np.where(row_fold != f)[0], 10, f)
        va = np.where(row_fold == f)[0]
        m = HistGradientBoostingClassifier(random_state=0, max_iter=150, early_stopping=False, **WIDE)
        p[va] = m.fit(X[tr], y[tr]).decision_function(X[va])
    va = np.isfinite(p)
    s = septic[pid]
    between = va & ((y == 1) | ~s)
    conc = pairs = 0.0
    frame = pd.DataFrame(dict(pid=pid[va & s], y=y[va & s], p=p[va & s]))
    for _, g in frame.groupby("pid"):
        n_pos, n_neg = int(g.y.sum()), int((g.y == 0).sum())
        if n_pos and n_neg:
            conc += roc_auc_score(g.y, g.p) * n_pos * n_neg
            pairs += n_pos * n_neg
    print(f"all hours {roc_auc_score(y[va], p[va]):.4f}; positive vs never-septic hours "
          f"{roc_auc_score(y[between], p[between]):.4f}; within septic stays {conc / pairs:.4f}")


def leaky():
    """Hours split at random, ignoring patients (what not to do)."""
    fold = np.random.RandomState(0).randint(0, 5, len(y))
    tr, va = under(np.where(fold != 0)[0], 10, 0), np.where(fold == 0)[0]
    for label, params in (("same model", BASE), ("depth 8", dict(BASE, max_depth=8, learning_rate=0.1, min_samples_leaf=20))):
        m = HistGradientBoostingClassifier(random_state=0, max_iter=300, early_stopping=False, **params)
        print(f"random hour split, {label}: {roc_auc_score(y[va], m.fit(X[tr], y[tr]).decision_function(X[va])):.4f}")


def bagging(models=4):
    """Average of boosting models fitted on different under-samples."""
    aucs = []
    for f in FOLDS:
        va = np.where(row_fold == f)[0]
        total = 0
        for b in range(models):
            tr = under(np.where(row_fold != f)[0], 10, 100 * f + b)
            m = HistGradientBoostingClassifier(random_state=b, max_iter=150, early_stopping=False, **WIDE)
            total = total + m.fit(X[tr], y[tr]).decision_function(X[va])
        aucs.append(roc_auc_score(y[va], total))
    print(f"{models} models averaged: {np.mean(aucs):.4f}")


def patient_bagging(models=6, fraction=0.6):
    """Average of boosting models, each fitted on a random part of the training patients."""
    aucs, single = [], []
    for f in FOLDS:
        va = np.where(row_fold == f)[0]
        train_patients = np.unique(pid[row_fold != f])
        total = 0
        for b in range(models):
            r = np.random.RandomState(1000 * f + b)
            chosen = np.zeros(npat, bool)
            chosen[r.choice(train_patients, int(fraction * len(train_patients)), replace=False)] = True
            tr = under(np.where((row_fold != f) & chosen[pid])[0], 10, 1000 * f + b)
            m = HistGradientBoostingClassifier(random_state=b, max_iter=150, early_stopping=False, **WIDE)
            d = m.fit(X[tr], y[tr]).decision_function(X[va])
            if b == 0:
                single.append(roc_auc_score(y[va], d))
            total = total + d
        aucs.append(roc_auc_score(y[va], total))
    print(f"one model on {fraction:.0%} of the patients: {np.mean(single):.4f}; {models} averaged: {np.mean(aucs):.4f}")


def widened(hours):
    d = pd.DataFrame(dict(pid=pid, y=y))
    d["pos"] = d.groupby("pid").cumcount()
    first = d[d.y == 1].groupby("pid").pos.min()
    rel = (d.pos - d.pid.map(first)).to_numpy(dtype=float)
    return ((y == 1) | (np.nan_to_num(rel, nan=-1e9) >= -hours)).astype(int)


def septic_kept(idx, seed):
    r = np.random.RandomState(seed)
    pos = idx[y[idx] == 1]
    neg_s, neg_n = idx[(y[idx] == 0) & septic[pid[idx]]], idx[(y[idx] == 0) & ~septic[pid[idx]]]
    return np.sort(np.concatenate([pos, neg_s, r.choice(neg_n, 20 * len(pos) - len(neg_s), replace=False)]))


def drop(cols):
    return X[:, [j for j, n in enumerate(names) if n not in cols]]


EXPERIMENTS = {
    "baseline": lambda: curve("baseline", X, BASE, rounds=(300,)),
    "capacity": lambda: (curve("1000 rounds", X, BASE, rounds=(1000,)),
                         curve("31 leaves", X, dict(BASE, max_depth=None, max_leaf_nodes=31), rounds=(500,))),
    "wide": lambda: (curve("depth 5 leaf 1000", X, WIDE), curve("+ 30 % features", X, dict(WIDE, max_features=0.3))),
    "sampling": lambda: (curve("all negatives", X, BASE, rounds=(300,), sample=lambda i, f: i),
                         curve("5 per positive", X, WIDE, sample=lambda i, f: under(i, 5, f)),
                         curve("septic patients' hours kept", X, WIDE, sample=septic_kept)),
    "bagging": bagging,
    "patient-bagging": patient_bagging,
    "features": lambda: [curve(f"+ {k}", np.hstack([X, v]), WIDE) for k, v in FEATURES().items()]
    + [curve("+ all", np.hstack([X, *FEATURES().values()]), WIDE)],
    "combined": lambda: curve("depth 5, leaf 1000, 30 % features, + lab changes and counts",
                              np.hstack([X, FEATURES()["dprev"], FEATURES()["counts"]]), dict(WIDE, max_features=0.3)),
    "labels": lambda: [curve(f"label widened {h} h", X, WIDE, train_y=widened(h)) for h in (3, 6, 12)],
    "ablation": lambda: (curve("no demographics", drop({"Age", "Gender", "Unit1", "Unit2", "HospAdmTime"}), WIDE),
                         curve("no measurement features", drop({n for n in names if n.endswith(("_measured", "_measured_frac", "_hours_since"))}), WIDE)),
    "decomposition": decomposition,
    "leaky": leaky,
}
_features = {}


def FEATURES():
    if not _features:
        _features.update(extra_features())
    return _features


for name, run in EXPERIMENTS.items():
    if not wanted or name in wanted:
        print(f"== {name}", flush=True)
        run()
