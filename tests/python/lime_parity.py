"""Python lime's LimeTabularExplainer on Churnlab's model and training rows.

Usage: lime_parity.py <in.json> <out.json>
in.json: {"columns": [{"name", "categories": [...] or null}], "train": [[...]],
          "instance": [...], "coef": [...], "intercept": b, "means": [...],
          "scales": [...], "seed": s,
          "neighbourhood": {"rows": [[0/1 per column]], "probability": [...],
                            "distances": [...]}}
Categorical values are category indices. Writes {"weights": [per column]}
from lime's own sampling, and {"same_samples": {"weights", "intercept",
"score"}}: lime's fit (LimeBase, every feature, its kernel and Ridge) on
Churnlab's samples.
"""
import json
import sys

import numpy as np
from lime.lime_base import LimeBase
from lime.lime_tabular import LimeTabularExplainer

d = json.load(open(sys.argv[1]))
cols = d["columns"]
train = np.array(d["train"], dtype=float)
coef, means, scales = np.array(d["coef"]), np.array(d["means"]), np.array(d["scales"])
categorical = [i for i, c in enumerate(cols) if c["categories"] is not None]


def predict(rows):
    parts = []
    for i, c in enumerate(cols):
        if c["categories"] is None:
            parts.append(rows[:, i : i + 1])
        else:
            k = len(c["categories"])
            onehot = np.zeros((len(rows), k))
            onehot[np.arange(len(rows)), rows[:, i].astype(int)] = 1.0
            parts.append(onehot)
    x = (np.hstack(parts) - means) / scales
    p = 1.0 / (1.0 + np.exp(-(x @ coef + d["intercept"])))
    return np.column_stack([1 - p, p])


explainer = LimeTabularExplainer(
    train,
    feature_names=[c["name"] for c in cols],
    categorical_features=categorical,
    categorical_names={i: cols[i]["categories"] for i in categorical},
    discretize_continuous=True,
    discretizer="quartile",
    random_state=d["seed"],
)
exp = explainer.explain_instance(np.array(d["instance"], dtype=float), predict, num_features=len(cols), num_samples=5000, labels=(1,))
weights = [0.0] * len(cols)
for i, w in exp.as_map()[1]:
    weights[i] = w

# The same samples through lime's own fitting step, with the kernel that
# LimeTabularExplainer uses (width 0.75·√columns).
nb = d["neighbourhood"]
width = np.sqrt(len(cols)) * 0.75
base = LimeBase(lambda dist: np.sqrt(np.exp(-(dist**2) / width**2)), random_state=d["seed"])
p = np.array(nb["probability"])
intercept, local, score, _ = base.explain_instance_with_data(
    np.array(nb["rows"], dtype=float), np.column_stack([1 - p, p]), np.array(nb["distances"]), 1, len(cols), feature_selection="none"
)
same = [0.0] * len(cols)
for i, w in local:
    same[i] = float(w)
json.dump({"weights": weights, "same_samples": {"weights": same, "intercept": float(intercept), "score": float(score)}}, open(sys.argv[2], "w"))
