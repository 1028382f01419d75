"""Unzips an exported job folder, runs one of its jobs on a data file, and
writes the scores it produced as JSON, for tests/export_job.rs.

    python run_job.py JOB.zip DATA.csv IN.json OUT.json

IN.json: {"job": "score_duckdb.py" | "score_spark.py", "python": the
interpreter to run it with, "output": "scores.csv" | "scores_dir"}.
OUT.json: {"rows": [[id, probability repr, class], ...], "seconds": ...}.
"""
import json
import pathlib
import subprocess
import sys
import tempfile
import time
import zipfile

import duckdb


def main(job_zip, data, in_path, out_path):
    with open(in_path) as f:
        payload = json.load(f)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        with zipfile.ZipFile(job_zip) as z:
            bad = z.testzip()
            if bad is not None:
                raise SystemExit(f"damaged entry {bad}")
            z.extractall(tmp)
        (folder,) = [p for p in tmp.iterdir() if p.is_dir()]
        output = tmp / payload["output"]
        started = time.perf_counter()
        subprocess.run([payload["python"], str(folder / payload["job"]), data, str(output)], check=True, cwd=tmp)
        seconds = time.perf_counter() - started
        con = duckdb.connect()
        if output.is_dir():
            source = f"read_parquet('{output}/*.parquet')"
        else:
            source = f"read_csv('{output}', header = true, all_varchar = true)"
        rows = con.execute(f"SELECT * FROM {source}").fetchall()
        columns = [d[0] for d in con.description]
    with open(out_path, "w") as f:
        json.dump({"columns": columns, "rows": [[str(v) if not isinstance(v, float) else repr(v) for v in r] for r in rows], "seconds": seconds}, f)


if __name__ == "__main__":
    main(*sys.argv[1:5])
