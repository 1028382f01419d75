"""Times the workshop's pipeline in scikit-learn, for bench/run.

Usage: train_sklearn.py <csv> <mode: plain|cv|plain-all|cv-all> [repeats]
plain and cv run on 1 thread (1 BLAS thread); the "-all" modes use every
core (BLAS as it comes, and LogisticRegressionCV's folds over n_jobs=-1).
Prints JSON: {"seconds": median fit seconds, "iterations": mean solver
iterations per fit (n_iter_), "fits", "test_accuracy": ..., "auc": ...}.
Cleaning as in the workshop: blank TotalCharges rows dropped, customerID
left out, SeniorCitizen categorical; 75/25 split with random_state=42.
"""
import json
import os
import sys
import time

csv, mode = sys.argv[1], sys.argv[2]
all_cores = mode.endswith("-all")
mode = mode.removesuffix("-all")
if not all_cores:
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = "1"

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from sklearn.compose import ColumnTransformer  # noqa: E402
from sklearn.linear_model import LogisticRegression, LogisticRegressionCV  # noqa: E402
from sklearn.metrics import accuracy_score, roc_auc_score  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402
from sklearn.pipeline import Pipeline  # noqa: E402
from sklearn.preprocessing import OneHotEncoder, StandardScaler  # noqa: E402

repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 5
df = pd.read_csv(csv, keep_default_na=False, na_values=["", " "])
df["TotalCharges"] = pd.to_numeric(df["TotalCharges"], errors="coerce")
df = df.dropna().drop(columns=["customerID"])
df["SeniorCitizen"] = df["SeniorCitizen"].astype(str)
y = (df.pop("Churn") == "Yes").astype(int)
cats = [c for c in df.columns if df[c].dtype == object]
X_train, X_test, y_train, y_test = train_test_split(df, y, test_size=0.25, random_state=42)
times = []
for _ in range(repeats):
    model = LogisticRegression(C=1.0, max_iter=100) if mode == "plain" else LogisticRegressionCV(Cs=10, cv=5, max_iter=100, n_jobs=-1 if all_cores else None)
    encode = ColumnTransformer([("onehot", OneHotEncoder(handle_unknown="ignore"), cats)], remainder="passthrough")
    pipe = Pipeline([("encode", encode), ("scale", StandardScaler()), ("model", model)])
    start = time.perf_counter()
    pipe.fit(X_train, y_train)
    times.append(time.perf_counter() - start)
proba = pipe.predict_proba(X_test)[:, 1]
n_iter = np.asarray(pipe.named_steps["model"].n_iter_).ravel()
print(json.dumps({"seconds": float(np.median(times)), "iterations": float(n_iter.mean()), "fits": int(n_iter.size), "test_accuracy": accuracy_score(y_test, pipe.predict(X_test)), "auc": roc_auc_score(y_test, proba)}))
