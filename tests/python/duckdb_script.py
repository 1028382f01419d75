"""Runs a Churnlab dataset script (core::export::datasets_sql) in DuckDB and
writes every view's rows as JSON, for tests/export_datasets.rs to compare
with the app's own results.

    python duckdb_script.py IN.json OUT.json

IN.json is {"script": "...", "views": ["churn", "seniors", ...]}; OUT.json is
{"views": {name: {"columns": [...], "types": [...], "rows": [[...], ...]}}},
or {"error": "..."} when DuckDB refuses the script. A view that fails on its
own is {"error": "..."} in its place. Floats are written with repr(), the
shortest text that reads back exactly.
"""
import json
import sys

import duckdb

from jsoncell import cell


def main(in_path, out_path):
    with open(in_path) as f:
        job = json.load(f)
    con = duckdb.connect()
    try:
        con.execute(job["script"])
    except Exception as e:  # the Rust side shows the script with the error
        with open(out_path, "w") as f:
            json.dump({"error": str(e)}, f)
        return
    views = {}
    for name in job["views"]:
        quoted = '"' + name.replace('"', '""') + '"'
        try:
            rel = con.execute(f"SELECT * FROM {quoted}")
            rows = rel.fetchall()
            views[name] = {
                "columns": [d[0] for d in rel.description],
                "types": [str(d[1]) for d in rel.description],
                "rows": [[cell(v) for v in row] for row in rows],
            }
        except Exception as e:
            views[name] = {"error": str(e)}
    with open(out_path, "w") as f:
        json.dump({"views": views}, f)


if __name__ == "__main__":
    main(*sys.argv[1:3])
