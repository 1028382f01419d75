"""The monitoring statistics by their reference libraries: scipy (KS,
chi-square, Jensen-Shannon, binomial test), scikit-learn (isotonic
regression), numpy (PSI with reference deciles) and NannyML 0.13 (CBPE).

Usage: ops_parity.py <in.json> <out.json>
in.json: {"ks": [[a, b], ...], "chi2": [table, ...], "js": [[p, q], ...],
          "binom": [[k, n], ...], "psi": [[reference, block], ...],
          "isotonic": {"x": [...], "y": [...], "at": [...]},
          "cbpe": {"reference": {"scores", "labels"}, "blocks": [[scores], ...], "block_size": n}}
"""
import json
import os
import sys
import warnings

os.environ.setdefault("NML_DISABLE_USAGE_LOGGING", "1")
warnings.filterwarnings("ignore")

import numpy as np
import pandas as pd
from scipy import stats
from scipy.spatial import distance
from sklearn.isotonic import IsotonicRegression

data = json.load(open(sys.argv[1]))
out = {}

out["ks"] = []
for a, b in data["ks"]:
    r = stats.ks_2samp(a, b)
    out["ks"].append([float(r.statistic), float(r.pvalue)])

out["chi2"] = []
for table in data["chi2"]:
    t = np.array(table, dtype=float)
    t = t[:, t.sum(axis=0) > 0]
    r = stats.chi2_contingency(t)
    out["chi2"].append([float(r.statistic), float(r.pvalue)])

out["js"] = [float(distance.jensenshannon(p, q)) for p, q in data["js"]]
out["binom"] = [float(stats.binomtest(k, n, 0.5).pvalue) for k, n in data["binom"]]


def psi(reference, block):
    edges = np.quantile(np.asarray(reference, dtype=float), np.arange(1, 10) / 10)
    # Bin i holds (edge[i-1], edge[i]]: numpy's searchsorted on the left side.
    r = np.bincount(np.searchsorted(edges, reference, side="left"), minlength=10) / len(reference)
    b = np.bincount(np.searchsorted(edges, block, side="left"), minlength=10) / len(block)
    r = np.where(r == 0, 1e-4, r)
    b = np.where(b == 0, 1e-4, b)
    return float(np.sum((b - r) * np.log(b / r)))


out["psi"] = [psi(r, b) for r, b in data["psi"]]

iso = data["isotonic"]
model = IsotonicRegression(out_of_bounds="clip").fit(iso["x"], iso["y"])
out["isotonic"] = model.predict(iso["at"]).tolist()

import nannyml as nml  # noqa: E402  (slow to import: only here)

c = data["cbpe"]
ref_scores = np.asarray(c["reference"]["scores"], dtype=float)
reference = pd.DataFrame({"p": ref_scores, "y_pred": (ref_scores >= 0.5).astype(int), "y": np.asarray(c["reference"]["labels"], dtype=int)})
scores = np.concatenate([np.asarray(b, dtype=float) for b in c["blocks"]])
analysis = pd.DataFrame({"p": scores, "y_pred": (scores >= 0.5).astype(int)})
estimator = nml.CBPE(y_pred_proba="p", y_pred="y_pred", y_true="y", problem_type="classification_binary", metrics=["accuracy"], chunk_size=c["block_size"])
estimator.fit(reference)
result = estimator.estimate(analysis).filter(period="analysis").to_df()
acc = result["accuracy"]
out["cbpe"] = {
    "needs_calibration": bool(estimator.needs_calibration),
    "value": acc["value"].tolist(),
    "sampling_error": acc["sampling_error"].tolist(),
    "lower_confidence": acc["lower_confidence_boundary"].tolist(),
    "upper_confidence": acc["upper_confidence_boundary"].tolist(),
    "lower_threshold": [None if pd.isna(v) else float(v) for v in acc["lower_threshold"].tolist()],
    "alert": [bool(v) for v in acc["alert"].tolist()],
}
json.dump(out, open(sys.argv[2], "w"))
