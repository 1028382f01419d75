import pathlib
import sys
import time

import duckdb

HERE = pathlib.Path(__file__).resolve().parent.parent
FACTS = json.loads((HERE / "job.json").read_text(encoding="utf-8"))


def text(value):
    return "'" + value.replace("'", "''") + "'"


def name(value):
    return '"' + value.replace('"', '""') + '"'


def main(source, out_dir):
    started = time.perf_counter()
    out = pathlib.Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    # The data as the app typed it, and every dataset as a view over it.
    script = (HERE / "datasets_duckdb.sql").read_text(encoding="utf-8")
    con.execute(script.replace(text(FACTS["csv_placeholder"]), text(source)))
    for step in JOB["steps"]:
        line, kind = step["line"], step["do"]
        if kind == "open":
            rows = con.execute("SELECT COUNT(*) FROM churn").fetchone()[0]
            print(f"line {line}: {source}: {rows} rows" + (f" ({step['note']})" if step.get("note") else ""))
        elif kind == "query":
            print(f"line {line}: the query runs as the view of the dataset it saves")
        elif kind == "keep":
            target = out / f"{step['dataset']}.csv"
            con.execute(f"COPY (SELECT * FROM {name(step['dataset'])}) TO {text(str(target))} (FORMAT CSV, HEADER)")
            rows = con.execute(f"SELECT COUNT(*) FROM {name(step['dataset'])}").fetchone()[0]
            print(f"line {line}: {step['dataset']}: {rows} rows -> {target}")
        elif kind == "score":
            target = out / f"{step['output']}.csv"
            query = step["sql"].strip().rstrip(";")
            con.execute(f"COPY ({query}) TO {text(str(target))} (FORMAT CSV, HEADER)")
            rows = con.execute(f"SELECT COUNT(*) FROM {name(step['dataset'])}").fetchone()[0]
            print(f"line {line}: scored {rows} rows of {step['dataset']} with {FACTS['model']} v{FACTS['model_version']} -> {target}")
    print(f"{JOB['job']}: done in {time.perf_counter() - started:.2f} s")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
