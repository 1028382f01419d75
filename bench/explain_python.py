"""Times Python lime and shap on a Churnlab model, for bench/run.

Usage: explain_python.py <telco.csv> <model.json> <instance.json>
Prints JSON: {"lime_ms": median ms of one explain_instance (5,000 samples),
"shap_ms": ms for SHAP LinearExplainer values of every complete row}.
The model's own pipeline (categories, scaler, coefficients) is replayed in
numpy, so both libraries explain exactly Churnlab's model.
"""
import json
import os
import sys
import time

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import shap  # noqa: E402
from lime.lime_tabular import LimeTabularExplainer  # noqa: E402

csv, model_path, instance_path = sys.argv[1:4]
m = json.load(open(model_path))
instance = json.load(open(instance_path))
cols = m["encoder"]["columns"]
df = pd.read_csv(csv, keep_default_na=False, na_values=["", " "])
df["TotalCharges"] = pd.to_numeric(df["TotalCharges"], errors="coerce")
df = df.dropna()
coef, intercept = np.array(m["model"]["coef"]), m["model"]["intercept"]
means, scales = np.array(m["scaler"]["means"]), np.array(m["scaler"]["scales"])


def codes(frame):
    out = []
    for c in cols:
        if c["kind"] == "numeric":
            out.append(frame[c["column"]].astype(float).to_numpy())
        else:
            cats = c["categories"]
            out.append(frame[c["column"]].astype(str).map({k: i for i, k in enumerate(cats)}).fillna(0).to_numpy(dtype=float))
    return np.column_stack(out)


def design(rows):
    parts = []
    for i, c in enumerate(cols):
        if c["kind"] == "numeric":
            parts.append(rows[:, i : i + 1])
        else:
            onehot = np.zeros((len(rows), len(c["categories"])))
            onehot[np.arange(len(rows)), rows[:, i].astype(int)] = 1.0
            parts.append(onehot)
    return (np.hstack(parts) - means) / scales


def predict(rows):
    p = 1.0 / (1.0 + np.exp(-(design(rows) @ coef + intercept)))
    return np.column_stack([1 - p, p])


data = codes(df)
categorical = [i for i, c in enumerate(cols) if c["kind"] != "numeric"]
explainer = LimeTabularExplainer(data, categorical_features=categorical, discretize_continuous=True, discretizer="quartile", random_state=1)
row = codes(pd.DataFrame([{c["column"]: instance.get(c["column"], 0) for c in cols}]).replace({"SeniorCitizen": {"No": "0", "Yes": "1"}}))[0]
times = []
for _ in range(7):
    start = time.perf_counter()
    explainer.explain_instance(row, predict, num_features=len(cols), num_samples=5000, labels=(1,))
    times.append((time.perf_counter() - start) * 1000)
X = design(data)
masker = shap.maskers.Independent(X, max_samples=len(X))
linear = shap.LinearExplainer((coef, intercept), masker)
start = time.perf_counter()
linear.shap_values(X)
shap_ms = (time.perf_counter() - start) * 1000
print(json.dumps({"lime_ms": float(np.median(times)), "shap_ms": shap_ms}))
