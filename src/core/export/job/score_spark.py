"""Scores customers with the exported Churnlab model on Apache Spark.

    python score_spark.py INPUT.csv OUTPUT_DIR            (local, every core)
    spark-submit score_spark.py INPUT.csv OUTPUT_DIR      (a cluster)

INPUT may be a CSV file (typed exactly as Churnlab typed its file, by
datasets_spark.sql, which also recreates the saved datasets) or Parquet
(read with its own types). scoring_spark.sql runs unchanged; the scores are
written as Parquet to OUTPUT_DIR (or as CSV when OUTPUT_DIR ends in .csv).
Needs PySpark (pip install pyspark) and Java 17.
"""
import json
import pathlib
import sys
import time

from pyspark.sql import SparkSession

HERE = pathlib.Path(__file__).resolve().parent
JOB = json.loads((HERE / "job.json").read_text(encoding="utf-8"))


def text(value):
    """A Spark SQL string literal (backslash escapes)."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def statements(script):
    """The script's statements: each ends with ';' at the end of a line."""
    out, current = [], []
    for line in script.splitlines():
        if line.startswith("--") and not current:
            continue
        current.append(line)
        if line.rstrip().endswith(";"):
            out.append("\n".join(current).rstrip().rstrip(";"))
            current = []
    if "".join(current).strip():
        out.append("\n".join(current))
    return out


def main(source, target):
    started = time.perf_counter()
    spark = SparkSession.builder.appName(f"churnlab-score-{JOB['model']}").getOrCreate()
    if source.lower().endswith(".parquet"):
        spark.read.parquet(source).createOrReplaceTempView("churn")
    else:
        script = (HERE / "datasets_spark.sql").read_text(encoding="utf-8")
        for statement in statements(script.replace(text(JOB["csv_placeholder"]), text(str(pathlib.Path(source).resolve())))):
            spark.sql(statement)
    scores = spark.sql((HERE / "scoring_spark.sql").read_text(encoding="utf-8"))
    if target.lower().endswith(".csv"):
        scores.write.mode("overwrite").option("header", "true").csv(target)
    else:
        scores.write.mode("overwrite").parquet(target)
    print(f"scored with {JOB['model']} v{JOB['version']} in {time.perf_counter() - started:.2f} s -> {target}")
    spark.stop()


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
