"""Runs SQL in Spark SQL (PySpark's local mode) over CSV files read as a
user reads them, `spark.read.csv(header=True, inferSchema=True)`, each as
the view `churn`, and writes the rows as JSON. Runs in the PySpark venv.

    python spark_query.py IN.json OUT.json

IN.json: [{"data": path, "queries": [sql, ...]}, ...]. Doubles are written
with repr() (Python's shortest text that reads back exactly).
"""
import json
import sys

from pyspark.sql import SparkSession


def cell(v):
    if isinstance(v, float):
        return {"float": repr(v)}
    return v


def main(in_path, out_path):
    with open(in_path) as f:
        payload = json.load(f)
    spark = (
        SparkSession.builder.master("local[2]")
        .appName("churnlab-export-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    results = []
    for item in payload:
        spark.read.csv(item["data"], header=True, inferSchema=True).createOrReplaceTempView("churn")
        for q in item["queries"]:
            try:
                rows = spark.sql(q).collect()
                results.append({"rows": [[cell(v) for v in row] for row in rows]})
            except Exception as e:  # the Rust side says which query failed
                results.append({"error": str(e)})
    spark.stop()
    with open(out_path, "w") as f:
        json.dump(results, f)


if __name__ == "__main__":
    main(*sys.argv[1:3])
