"""Unzips an exported job folder, runs one of its jobs on a data file, and
writes the scores it produced as JSON, for tests/export_job.rs.

    python run_job.py JOB.zip DATA.csv IN.json OUT.json

IN.json: {"job": "score_duckdb.py" | "score_spark.py" (or "pipeline": the
app's job scripts to run in turn, each given the data and the "output"
folder, and "read": the file they wrote to return), "python": the
interpreter to run it with, "output": "scores.csv" | "scores.parquet" |
"scores_dir", "rows": false to return only the count}.
OUT.json: {"columns": [...], "count": n, "rows": [[id, probability repr,
class, ...], ...], "seconds": the job's run, process start included}.
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
        if "pipeline" in payload:
            # The app's jobs, one after the other as their crontab line runs them.
            for script in payload["pipeline"]:
                subprocess.run([payload["python"], str(folder / script), data, str(output)], check=True, cwd=folder)
            output = tmp / payload["read"]
            crontab = (folder / "jobs" / "crontab").read_text(encoding="utf-8")
        else:
            subprocess.run([payload["python"], str(folder / payload["job"]), data, str(output)], check=True, cwd=tmp)
            crontab = None
        seconds = time.perf_counter() - started
        con = duckdb.connect()
        if output.is_dir():
            source = f"read_parquet('{output}/*.parquet')"
        elif output.suffix == ".parquet":
            source = f"read_parquet('{output}')"
        else:
            source = f"read_csv('{output}', header = true, all_varchar = true)"
        count = con.execute(f"SELECT COUNT(*) FROM {source}").fetchone()[0]
        rel = con.execute(f"SELECT * FROM {source}" + ("" if payload.get("rows", True) else " LIMIT 0"))
        rows = rel.fetchall()
        columns = [d[0] for d in rel.description]
    with open(out_path, "w") as f:
        json.dump({"columns": columns, "count": count, "rows": [[str(v) if not isinstance(v, float) else repr(v) for v in r] for r in rows], "seconds": seconds, "crontab": crontab}, f)


if __name__ == "__main__":
    main(*sys.argv[1:5])
