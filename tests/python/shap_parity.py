"""SHAP's LinearExplainer (interventional) on Churnlab's coefficients and data.

Usage: shap_parity.py <in.json> <out.json>
in.json: {"coef": [...], "intercept": b, "background": [[...], ...], "rows": [[...], ...]}
Writes the SHAP values of `rows` (one list per row), with the whole
background as the masker's data (no subsampling).
"""
import json
import sys

import numpy as np
import shap

data = json.load(open(sys.argv[1]))
coef = np.array(data["coef"])
background = np.array(data["background"])
rows = np.array(data["rows"])
masker = shap.maskers.Independent(background, max_samples=len(background))
explainer = shap.LinearExplainer((coef, data["intercept"]), masker)
values = explainer.shap_values(rows)
json.dump({"values": np.asarray(values).tolist(), "expected": float(np.ravel(explainer.expected_value)[0])}, open(sys.argv[2], "w"))
