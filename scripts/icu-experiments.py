#!/usr/bin/env python3
"""Feature and sampling experiments behind docs/decisions.md D11 ("Why the AUROC stays near
0.83"): scikit-learn's HistGradientBoostingClassifier as a fast stand-in for our boosting, on
the features `core::temporal` computes, two patient-level folds of the five.

    cargo run --release --example export_icu_features -- \
        ../shared/data/physionet2019/training_setA target/icu-export/a
    python3 scripts/icu-experiments.py target/icu-export/a [EXPERIMENT...]

Needs numpy, pandas and scikit-learn; the "decomposed" experiment also needs lightgbm, "gru"
needs torch (both skip themselves without). Without experiment names it runs all of them
(about 50 minutes on 2 cores). Nothing here is part of the product or its tests.
"""
import sys
import time
import warnings

import numpy as np
import pandas as pd
from scipy.stats import rankdata
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


def wide_model(tr, Xm=None, labels=y, params=WIDE, seed=0):
    """The depth-5 boosting model (150 rounds) fitted on rows `tr`."""
    m = HistGradientBoostingClassifier(random_state=seed, max_iter=150, early_stopping=False, **params)
    Xm = X if Xm is None else Xm
    return m.fit(Xm[tr], labels[tr])


def patients_part(f, fraction, seed):
    """Rows of a random `fraction` of the training patients of fold `f` (and their count)."""
    patients = np.unique(pid[row_fold != f])
    k = int(fraction * len(patients))
    chosen = np.zeros(npat, bool)
    chosen[np.random.RandomState(seed).choice(patients, k, replace=False)] = True
    return np.where((row_fold != f) & chosen[pid])[0], k


def ranks(v):
    return rankdata(v) / len(v)


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
        p[va] = wide_model(tr).decision_function(X[va])
    va = np.isfinite(p)
    between = va & ((y == 1) | ~septic[pid])
    print(f"all hours {roc_auc_score(y[va], p[va]):.4f}; positive vs never-septic hours "
          f"{roc_auc_score(y[between], p[between]):.4f}; within septic stays {within_septic(p, va):.4f}")


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
            total = total + wide_model(tr, seed=b).decision_function(X[va])
        aucs.append(roc_auc_score(y[va], total))
    print(f"{models} models averaged: {np.mean(aucs):.4f}")


def patient_bagging(models=6, fraction=0.6):
    """Average of boosting models, each fitted on a random part of the training patients."""
    aucs, single = [], []
    for f in FOLDS:
        va = np.where(row_fold == f)[0]
        total = 0
        for b in range(models):
            tr = under(patients_part(f, fraction, 1000 * f + b)[0], 10, 1000 * f + b)
            d = wide_model(tr, seed=b).decision_function(X[va])
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


def within_septic(p, mask):
    """Pair-weighted AUROC of positive against negative hours inside each septic stay."""
    s = septic[pid] & mask
    conc = pairs = 0.0
    for _, g in pd.DataFrame(dict(pid=pid[s], y=y[s], p=p[s])).groupby("pid"):
        n_pos, n_neg = int(g.y.sum()), int((g.y == 0).sum())
        if n_pos and n_neg:
            conc += roc_auc_score(g.y, g.p) * n_pos * n_neg
            pairs += n_pos * n_neg
    return conc / pairs


def score_history(s):
    """The stay so far of an hourly score: running max and mean, exponential average, change
    over 6 hours and since the first hour (past and present hours only)."""
    g = pd.DataFrame(dict(pid=pid, s=s)).groupby("pid").s
    mean = g.expanding().mean().reset_index(level=0, drop=True).sort_index().values
    lag6 = g.shift(6).values
    return np.column_stack([s, g.cummax().values, mean, g.transform(lambda v: v.ewm(halflife=6).mean()).values,
                            s - np.where(np.isnan(lag6), s, lag6), s - mean, s - g.transform("first").values]).astype(np.float32)


def on_rows(v, idx):
    """Scores `v` of rows `idx` as a full-length array (zeros elsewhere)."""
    z = np.zeros(len(y))
    z[idx] = v
    return z


def two_stage():
    """Stage 2 sees stage 1's score history; stage-1 scores of training hours are out of fold
    (3 inner patient folds), so stage 2 learns from honest scores."""
    for f in FOLDS:
        train = row_fold != f
        va = np.where(~train)[0]
        inner = np.zeros(npat, int)
        patients = np.unique(pid[train])
        inner[np.random.RandomState(f).permutation(patients)] = np.arange(len(patients)) % 3
        s1 = np.zeros(len(y))
        for k in range(3):
            part = np.where(train & (inner[pid] == k))[0]
            s1[part] = wide_model(under(np.where(train & (inner[pid] != k))[0], 10, 10 * f + k)).decision_function(X[part])
        s1[va] = wide_model(under(np.where(train)[0], 10, f)).decision_function(X[va])
        X2 = np.hstack([X, score_history(s1)])
        s2 = np.zeros(len(y))
        s2[va] = wide_model(under(np.where(train)[0], 10, f), X2).decision_function(X2[va])
        print(f"fold {f}: one stage {roc_auc_score(y[va], s1[va]):.4f} (within septic stays "
              f"{within_septic(s1, ~train):.4f}); two stages {roc_auc_score(y[va], s2[va]):.4f} "
              f"(within {within_septic(s2, ~train):.4f})", flush=True)


def decomposed():
    """Hour risk from separate parts: a model of "this patient becomes septic" (all hours of
    septic patients against never-septic hours), a model trained on septic stays only, and a
    within-stay ranker (LightGBM lambdarank, one query per septic stay), each added to the
    usual model or to the first one."""
    try:
        import lightgbm
    except ImportError:
        print("skipped: needs lightgbm")
        return
    ever = septic[pid].astype(int)
    for f in FOLDS:
        train = row_fold != f
        va = np.where(~train)[0]
        usual = wide_model(under(np.where(train)[0], 10, f)).decision_function(X[va])
        stays = np.where(train & septic[pid])[0]
        stay_model = wide_model(stays, params=dict(WIDE, min_samples_leaf=200)).decision_function(X[va])
        never = np.where(train & ~septic[pid])[0]
        chosen = np.random.RandomState(f).choice(never, 3 * len(stays), replace=False)
        becomes = wide_model(np.sort(np.concatenate([stays, chosen])), labels=ever).decision_function(X[va])
        queries = pd.Series(pid[stays]).value_counts(sort=False).reindex(pd.unique(pid[stays])).values
        ranker = lightgbm.LGBMRanker(objective="lambdarank", n_estimators=150, learning_rate=0.05, min_child_samples=200,
                                     lambdarank_truncation_level=10_000, random_state=0, verbose=-1)
        rank = ranker.fit(X[stays], y[stays], group=queries).predict(X[va])
        rank = (rank - rank.mean()) / rank.std() * usual.std()
        full = lambda v: on_rows(v, va)
        print(f"fold {f}: within septic stays: usual {within_septic(full(usual), ~train):.4f}, septic stays only "
              f"{within_septic(full(stay_model), ~train):.4f}, ranker {within_septic(full(rank), ~train):.4f}", flush=True)
        for name, base in (("usual", usual), ("becomes septic", becomes)):
            for other_name, other in (("septic-stay model", stay_model), ("ranker", rank)):
                cells = " ".join(f"{w}:{roc_auc_score(y[va], base + w * other):.4f}" for w in (0.1, 0.25, 0.5, 1.0))
                print(f"  {name} + weight x {other_name}: {cells}", flush=True)


def gru(epochs=10):
    """A recurrent network over each stay (PyTorch GRU; the 212 features or the raw values with
    measured indicators), on fold 0, then rank-averaged with the boosting model."""
    try:
        import torch
    except ImportError:
        print("skipped: needs torch")
        return
    torch.manual_seed(0)
    f = 0
    train = row_fold != f
    va = np.where(~train)[0]
    starts = np.r_[0, np.where(np.diff(pid) != 0)[0] + 1]
    stays = list(zip(starts, np.r_[starts[1:], len(pid)]))
    train_stays = [s for s in stays if row_fold[s[0]] != f]
    val_stays = [s for s in stays if row_fold[s[0]] == f]
    df = pd.DataFrame(R.astype(np.float64), columns=raw_names)
    raw = df.groupby(pid).ffill().values
    inputs = {"212 features": X.astype(np.float64),
              "raw values": np.hstack([raw, df.iloc[:, :34].notna().values, np.isnan(raw[:, :34])])}
    boosting = wide_model(under(np.where(train)[0], 10, f)).decision_function(X[va])
    for label, A in inputs.items():
        with warnings.catch_warnings():  # EtCO2 is never measured in set A
            warnings.simplefilter("ignore", RuntimeWarning)
            mu, sd = np.nanmean(A[train], 0), np.nanstd(A[train], 0) + 1e-6
        F = np.clip(np.nan_to_num((A - mu) / sd), -6, 6).astype(np.float32)

        class Net(torch.nn.Module):
            def __init__(self, d, h=96):
                super().__init__()
                self.inp = torch.nn.Sequential(torch.nn.Linear(d, h), torch.nn.ReLU())
                self.gru = torch.nn.GRU(h, h, batch_first=True)
                self.out = torch.nn.Sequential(torch.nn.Linear(2 * h, h), torch.nn.ReLU(), torch.nn.Dropout(0.2),
                                               torch.nn.Linear(h, 1))

            def forward(self, x):
                e = self.inp(x)
                return self.out(torch.cat([self.gru(e)[0], e], -1)).squeeze(-1)

        def batch(group):
            n = max(b - a for a, b in group)
            xb, yb, mb = (np.zeros((len(group), n) + t, np.float32) for t in ((F.shape[1],), (), ()))
            for i, (a, b) in enumerate(group):
                xb[i, : b - a], yb[i, : b - a], mb[i, : b - a] = F[a:b], y[a:b], 1
            return torch.from_numpy(xb), torch.from_numpy(yb), torch.from_numpy(mb)

        net = Net(F.shape[1])
        opt = torch.optim.Adam(net.parameters(), lr=1e-3, weight_decay=1e-5)
        loss = torch.nn.BCEWithLogitsLoss(reduction="none", pos_weight=torch.tensor(5.0))
        r = np.random.RandomState(0)
        for epoch in range(epochs):
            net.train()
            order = sorted(train_stays, key=lambda s: s[1] - s[0] + 8 * r.rand())
            chunks = [order[k:k + 32] for k in range(0, len(order), 32)]
            r.shuffle(chunks)
            for chunk in chunks:
                xb, yb, mb = batch(chunk)
                l = (loss(net(xb), yb) * mb).sum() / mb.sum()
                opt.zero_grad()
                l.backward()
                torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
                opt.step()
            net.eval()
            with torch.no_grad():
                p = np.concatenate([net(batch([s])[0])[0].numpy() for s in val_stays])
            blend = roc_auc_score(y[va], 0.65 * ranks(boosting) + 0.35 * ranks(p))
            print(f"GRU over {label}, epoch {epoch + 1}: {roc_auc_score(y[va], p):.4f}; rank average with "
                  f"boosting ({roc_auc_score(y[va], boosting):.4f}) 0.35: {blend:.4f}", flush=True)


def families():
    """Boosting, random forest and logistic regression (the three families, scikit-learn
    versions with the shipped settings), rank-averaged."""
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    filled = np.nan_to_num(X)
    for f in FOLDS:
        tr, va = under(np.where(row_fold != f)[0], 10, f), np.where(row_fold == f)[0]
        gb = wide_model(tr).decision_function(X[va])
        rf = RandomForestClassifier(100, max_depth=10, min_samples_leaf=50, n_jobs=2, random_state=0)
        rf = rf.fit(filled[tr], y[tr]).predict_proba(filled[va])[:, 1]
        lr = make_pipeline(SimpleImputer(), StandardScaler(), LogisticRegression(C=0.01, max_iter=300))
        lr = lr.fit(X[tr], y[tr]).decision_function(X[va])
        blend = 0.6 * ranks(gb) + 0.25 * ranks(rf) + 0.15 * ranks(lr)
        print(f"fold {f}: boosting {roc_auc_score(y[va], gb):.4f}, forest {roc_auc_score(y[va], rf):.4f}, "
              f"logistic {roc_auc_score(y[va], lr):.4f}; rank average 0.6/0.25/0.15 {roc_auc_score(y[va], blend):.4f}", flush=True)


def learning_curve():
    """The same model on a growing share of the training patients: is more data the lever?"""
    for fraction in (0.25, 0.5, 0.75, 1.0):
        aucs, counts = [], []
        for f in FOLDS:
            va = np.where(row_fold == f)[0]
            rows_part, k = patients_part(f, fraction, f)
            aucs.append(roc_auc_score(y[va], wide_model(under(rows_part, 10, f)).decision_function(X[va])))
            counts.append(k)
        n = f"{min(counts):,}" if min(counts) == max(counts) else f"{min(counts):,}-{max(counts):,}"
        print(f"{fraction:.0%} of the training patients ({n}): {np.mean(aucs):.4f}", flush=True)


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
    "two-stage": two_stage,
    "decomposed": decomposed,
    "gru": gru,
    "families": families,
    "learning-curve": learning_curve,
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
