"""Drift of the same blocks by Python's monitoring tools, natively, for
`bench/run ops`: Evidently's data-drift preset on each block, and NannyML's
univariate drift calculator over all blocks (KS for numbers, chi-square and
Jensen-Shannon for categories).

Usage: drift_python.py <reference.csv> <current.csv> <block size> <numeric columns, comma-separated>
Prints JSON: {"evidently_ms", "nannyml_ms", "blocks", "features"}.
"""
import json
import os
import sys
import time
import warnings

os.environ.setdefault("NML_DISABLE_USAGE_LOGGING", "1")
os.environ.setdefault("DO_NOT_TRACK", "1")
warnings.filterwarnings("ignore")

import pandas as pd  # noqa: E402

reference = pd.read_csv(sys.argv[1])
current = pd.read_csv(sys.argv[2])
block = int(sys.argv[3])
numeric = [c for c in sys.argv[4].split(",") if c]
features = list(reference.columns)
categorical = [c for c in features if c not in numeric]
for c in categorical:
    reference[c] = reference[c].astype(str)
    current[c] = current[c].astype(str)
current = current[features]
blocks = [current.iloc[i : i + block] for i in range(0, len(current), block)]

from evidently import DataDefinition, Dataset, Report  # noqa: E402
from evidently.presets import DataDriftPreset  # noqa: E402

definition = DataDefinition(numerical_columns=numeric, categorical_columns=categorical)
ref_ds = Dataset.from_pandas(reference, data_definition=definition)
t = time.perf_counter()
for b in blocks:
    Report([DataDriftPreset()]).run(current_data=Dataset.from_pandas(b, data_definition=definition), reference_data=ref_ds)
evidently_ms = (time.perf_counter() - t) * 1000

import nannyml as nml  # noqa: E402

t = time.perf_counter()
calc = nml.UnivariateDriftCalculator(
    column_names=features,
    treat_as_categorical=categorical,
    chunk_size=block,
    continuous_methods=["kolmogorov_smirnov"],
    categorical_methods=["chi2", "jensen_shannon"],
)
calc.fit(reference)
calc.calculate(current)
nannyml_ms = (time.perf_counter() - t) * 1000
print(json.dumps({"evidently_ms": evidently_ms, "nannyml_ms": nannyml_ms, "blocks": len(blocks), "features": len(features)}))
