"""The workshop's pipeline in scikit-learn on exactly the rows Churnlab used.

Usage: sklearn_parity.py <telco.csv> <split.json> <out.json>
split.json: {"train": [row, ...], "test": [row, ...], "features": [...],
             "categorical": [...], "target": "Churn", "positive": "Yes",
             "c": 1.0, "max_iter": 100, "folds": 5, "cv_c": 2.78}
(cv_c, optional: the C Churnlab's cross-validation chose, also fitted to convergence;
without it, the C scikit-learn chose)
Rows are 0-based data rows of the CSV. Writes plain and CV results, each
with the fitted coefficients by feature name ("tenure", "Contract_Two year")
and intercept, at scikit-learn's defaults and fitted to convergence
(tol 1e-10) with the same C.
"""
import json
import sys
import time

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression, LogisticRegressionCV
from sklearn.metrics import accuracy_score, roc_auc_score
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

csv, split_path, out_path = sys.argv[1:4]
split = json.load(open(split_path))
df = pd.read_csv(csv, keep_default_na=False, na_values=["", " "])
if "TotalCharges" in df:
    df["TotalCharges"] = pd.to_numeric(df["TotalCharges"], errors="coerce")
cats = split["categorical"]
for c in cats:
    df[c] = df[c].astype(str)
X = df[split["features"]]
y = (df[split["target"]].astype(str) == split["positive"]).astype(int).to_numpy()
tr, te = np.array(split["train"]), np.array(split["test"])


def coefficients(p):
    names = [n.split("__", 1)[1] for n in p.named_steps["encode"].get_feature_names_out()]
    m = p.named_steps["model"]
    return dict(zip(names, m.coef_[0].tolist())), float(m.intercept_[0])


def pipeline(model):
    encode = ColumnTransformer([("onehot", OneHotEncoder(handle_unknown="ignore"), cats)], remainder="passthrough")
    return Pipeline([("encode", encode), ("scale", StandardScaler()), ("model", model)])


out = {}
for mode, model in [
    ("plain", LogisticRegression(C=split["c"], max_iter=split["max_iter"])),
    ("cv", LogisticRegressionCV(Cs=10, cv=split["folds"], max_iter=split["max_iter"])),
]:
    p = pipeline(model)
    start = time.perf_counter()
    p.fit(X.iloc[tr], y[tr])
    seconds = time.perf_counter() - start
    proba = p.predict_proba(X.iloc[te])[:, 1]
    r = {
        "train_accuracy": accuracy_score(y[tr], p.predict(X.iloc[tr])),
        "test_accuracy": accuracy_score(y[te], p.predict(X.iloc[te])),
        "auc": roc_auc_score(y[te], proba),
        "seconds": seconds,
    }
    if mode == "cv":
        m = p.named_steps["model"]
        scores = m.scores_[1]  # folds x Cs
        best = int(np.argmax(scores.mean(axis=0)))
        r["c"] = float(m.C_[0])
        r["cv_accuracy"] = float(scores.mean(axis=0)[best])
        r["cv_mean"] = scores.mean(axis=0).tolist()
    r["coef"], r["intercept"] = coefficients(p)
    # The solver's iterations per fit (for CV, folds x Cs in order).
    r["n_iter"] = np.asarray(p.named_steps["model"].n_iter_).ravel().tolist()
    c = split["c"] if mode == "plain" else split.get("cv_c", r["c"])
    converged = pipeline(LogisticRegression(C=c, tol=1e-10, max_iter=100_000)).fit(X.iloc[tr], y[tr])
    r["converged_coef"], r["converged_intercept"] = coefficients(converged)
    r["converged_iter"] = int(converged.named_steps["model"].n_iter_[0])
    out[mode] = r
# Which fold each training row is tested in, as LogisticRegressionCV splits.
fold_of = np.zeros(len(tr), dtype=int)
for f, (_, test_rows) in enumerate(StratifiedKFold(split["folds"]).split(np.zeros(len(tr)), y[tr])):
    fold_of[test_rows] = f
out["folds"] = fold_of.tolist()
json.dump(out, open(out_path, "w"))
