"""Checks an exported ONNX model with onnx, runs it in ONNX Runtime on a CSV
file and writes each row's outputs as JSON, for tests/export_onnx.rs to
compare with Churnlab's batch scoring.

    python onnx_parity.py DATA.csv IN.json OUT.json

IN.json is {"model": "path/to/model.onnx"}. Each graph input is fed from the
CSV column of the same name, typed the way Churnlab types it: a
tensor(double) input gets the cell as a number, a blank cell as NaN (the
file's blank TotalCharges); a tensor(string) input gets the cell's text as
written (SeniorCitizen's "0"/"1": the default model treats it as a
category), a blank cell as "". Every input is shaped [N, 1].

OUT.json: {"inputs": [[name, type], ...], "outputs": [name, ...],
"metadata": {...}, "probability": [repr, ...], "logit": [repr, ...],
"label": [text, ...]}; floats are written with repr(), the shortest text that
reads back exactly.
"""
import csv
import json
import math
import sys

import numpy as np
import onnx
import onnxruntime as ort


def main(data, in_path, out_path):
    with open(in_path) as f:
        payload = json.load(f)
    model = onnx.load(payload["model"])
    onnx.checker.check_model(model, full_check=True)
    with open(data, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header, rows = rows[0], rows[1:]
    options = ort.SessionOptions()
    options.log_severity_level = 3
    session = ort.InferenceSession(model.SerializeToString(), options, providers=["CPUExecutionProvider"])
    feeds = {}
    for i in session.get_inputs():
        k = header.index(i.name)
        cells = [r[k] for r in rows]
        if i.type == "tensor(double)":
            values = [float(c) if c.strip() else math.nan for c in cells]
            feeds[i.name] = np.array(values, dtype=np.float64).reshape(-1, 1)
        elif i.type == "tensor(string)":
            feeds[i.name] = np.array(cells, dtype=object).reshape(-1, 1)
        else:
            raise ValueError(f"input {i.name!r} has type {i.type}")
    names = [o.name for o in session.get_outputs()]
    out = dict(zip(names, session.run(None, feeds)))
    p, logit = out["churn_probability"], out["logit"]
    assert p.dtype == np.float64 and p.shape == (len(rows), 1), (p.dtype, p.shape)
    result = {
        "inputs": [[i.name, i.type] for i in session.get_inputs()],
        "outputs": names,
        "metadata": {m.key: m.value for m in model.metadata_props},
        "producer": model.producer_name,
        "probability": [repr(float(v)) for v in p[:, 0]],
        "logit": [repr(float(v)) for v in logit[:, 0]],
        "label": [str(v) for v in out["predicted_label"][:, 0]],
    }
    with open(out_path, "w") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main(*sys.argv[1:4])
