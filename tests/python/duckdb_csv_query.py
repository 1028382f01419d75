"""Runs SQL in DuckDB over a CSV file, as a table named in the payload, and
writes the rows as JSON.

    python duckdb_csv_query.py DATA.csv IN.json OUT.json

IN.json: {"table": name, "queries": [sql, ...], "read": "text" | "auto"}:
every column as text (the default), or as a user reads the file with
read_csv_auto (types sniffed: a number column with a blank or a word in it
is VARCHAR). Floats are written with repr(), the shortest text that reads
back exactly.
"""
import json
import sys

import duckdb

from jsoncell import cell


def main(data, in_path, out_path):
    with open(in_path) as f:
        payload = json.load(f)
    con = duckdb.connect()
    if payload.get("read", "text") == "auto":
        con.execute("CREATE TABLE t AS SELECT * FROM read_csv_auto(?)", [data])
    else:
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
