"""Scores customers with the exported Churnlab model on DuckDB.

    python score_duckdb.py INPUT.csv  OUTPUT.csv      (or .parquet for either)

A CSV is read and typed exactly as Churnlab typed the file it was trained
on (datasets_duckdb.sql, which also recreates the saved datasets); a
Parquet file is read with its own types. Then scoring.sql runs unchanged
and the scores are written with the customer ID first. Needs only the
`duckdb` package (pip install duckdb).
"""
import json
import pathlib
import sys
import time

import duckdb

HERE = pathlib.Path(__file__).resolve().parent
JOB = json.loads((HERE / "job.json").read_text(encoding="utf-8"))


def text(value):
    return "'" + value.replace("'", "''") + "'"


def main(source, target):
    started = time.perf_counter()
    con = duckdb.connect()
    if source.lower().endswith(".parquet"):
        con.execute(f"CREATE VIEW churn AS SELECT * FROM read_parquet({text(source)})")
    else:
        script = (HERE / "datasets_duckdb.sql").read_text(encoding="utf-8")
        con.execute(script.replace(text(JOB["csv_placeholder"]), text(source)))
    scoring = (HERE / "scoring.sql").read_text(encoding="utf-8")
    fmt = "PARQUET" if target.lower().endswith(".parquet") else "CSV, HEADER"
    con.execute(f"COPY ({scoring}) TO {text(target)} (FORMAT {fmt})")
    rows = con.execute(f"SELECT COUNT(*) FROM churn").fetchone()[0]
    print(f"scored {rows} rows with {JOB['model']} v{JOB['version']} in {time.perf_counter() - started:.2f} s -> {target}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
