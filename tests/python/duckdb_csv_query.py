"""Runs SQL in DuckDB over a CSV file read as text (the scoring SQL casts
what it reads; DuckDB would read Yes/No columns as BOOLEAN), as a table
named in the payload, and writes the rows as JSON.

    python duckdb_csv_query.py DATA.csv IN.json OUT.json

IN.json: {"table": name, "queries": [sql, ...]}. Floats are written with
repr(), the shortest text that reads back exactly.
"""
import json
import sys

import duckdb

from jsoncell import cell


def main(data, in_path, out_path):
    with open(in_path) as f:
        payload = json.load(f)
    con = duckdb.connect()
    con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?, header = true, all_varchar = true)", [data])
    quoted = '"' + payload["table"].replace('"', '""') + '"'
    con.execute(f"ALTER TABLE t RENAME TO {quoted}")
    results = []
    for q in payload["queries"]:
        try:
            results.append({"rows": [[cell(v) for v in row] for row in con.execute(q).fetchall()]})
        except Exception as e:  # the Rust side says which query failed
            results.append({"error": str(e)})
    with open(out_path, "w") as f:
        json.dump(results, f)


if __name__ == "__main__":
    main(*sys.argv[1:4])
