"""The workshop's pipeline in scikit-learn on exactly the rows Churnlab used.

Usage: sklearn_parity.py <telco.csv> <split.json> <out.json>
split.json: {"train": [row, ...], "test": [row, ...], "features": [...],
             "categorical": [...], "target": "Churn", "positive": "Yes",
             "c": 1.0, "max_iter": 100, "folds": 5}
Rows are 0-based data rows of the CSV. Writes plain and CV results.
"""
import json
import sys
import time

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression, LogisticRegressionCV
from sklearn.metrics import accuracy_score, roc_auc_score
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
    out[mode] = r
json.dump(out, open(out_path, "w"))
