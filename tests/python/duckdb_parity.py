"""Runs SQL queries in DuckDB on the real churn CSV and writes their results
as JSON, for tests/sql_parity.rs to compare with Churnlab's engine.

    python duckdb_parity.py DATA.csv QUERIES.json OUT.json

The table is typed the way Churnlab types it: Yes/No columns stay text
(read_csv_auto would make them BOOLEAN), TotalCharges' blank cells are NULL
and the column is DOUBLE (read_csv_auto would make it VARCHAR).
Floats are written with repr(), the shortest text that reads back exactly.
"""
import json
import sys

import duckdb

from jsoncell import cell


def main(data, queries_path, out_path):
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE churn AS SELECT * REPLACE ("
        "CAST(SeniorCitizen AS BIGINT) AS SeniorCitizen, CAST(tenure AS BIGINT) AS tenure, "
        "CAST(MonthlyCharges AS DOUBLE) AS MonthlyCharges, "
        "CAST(NULLIF(TRIM(TotalCharges), '') AS DOUBLE) AS TotalCharges) "
        f"FROM read_csv('{data}', header = true, all_varchar = true)"
    )
    with open(queries_path) as f:
        queries = json.load(f)
    results = []
    for q in queries:
        try:
            rel = con.execute(q)
            rows = rel.fetchall()
            types = [str(d[1]) for d in rel.description]
            results.append({"types": types, "rows": [[cell(v) for v in row] for row in rows]})
        except Exception as e:  # the Rust side reports which query failed
            results.append({"error": str(e)})
    with open(out_path, "w") as f:
        json.dump(results, f)


if __name__ == "__main__":
    main(*sys.argv[1:4])
