"""Runs SQL queries in PostgreSQL on a CSV loaded as a user would, and writes
their results as JSON, for the export tests to compare with Churnlab's.

    python postgres_query.py DATA.csv QUERIES.json OUT.json

A throwaway cluster: initdb in a temporary folder, started by pg_ctl on a
Unix socket in that folder (no TCP), stopped and removed at the end. The
CSV goes into a table `churn` of text columns named by its header, with
COPY (an unquoted empty field is NULL, everything else text as written).
Floats come back as PostgreSQL prints them (the shortest text that reads
back exactly) and are passed on as text, like jsoncell's {"float": ...}.
"""
import csv
import glob
import json
import os
import pwd
import shutil
import subprocess
import sys
import tempfile


def pg_bin(name):
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        raise SystemExit(f"{name} is not installed: scripts/setup --test installs Debian's postgresql")
    return found[-1]


def main(data, queries_path, out_path):
    with open(queries_path) as f:
        queries = json.load(f)
    with open(data, newline="", encoding="utf-8-sig") as f:
        header = next(csv.reader(f))
    root = tempfile.mkdtemp(prefix="churnlab-pg-")
    run_as = []
    if os.geteuid() == 0:
        # initdb refuses to run as root: the cluster belongs to postgres.
        pw = pwd.getpwnam("postgres")
        os.chown(root, pw.pw_uid, pw.pw_gid)
        run_as = ["runuser", "-u", "postgres", "--"]
    cluster, socket = os.path.join(root, "data"), root
    env = dict(os.environ, LC_ALL="C.UTF-8", PGHOST=socket, PGDATABASE="postgres")
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.PIPE, "env": env, "check": True}
    try:
        subprocess.run(run_as + [pg_bin("initdb"), "-D", cluster, "-A", "trust", "-E", "UTF8", "--no-instructions"], **quiet)
        options = f"-k {socket} -c listen_addresses='' -c fsync=off"
        subprocess.run(run_as + [pg_bin("pg_ctl"), "-D", cluster, "-o", options, "-l", os.path.join(root, "log"), "-w", "start"], **quiet)
        psql = run_as + ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-U", "postgres"]
        columns = ", ".join('"' + name.replace('"', '""') + '" text' for name in header)
        subprocess.run(psql + ["-c", f"CREATE TABLE churn ({columns})"], **quiet)
        # The file goes in on standard input: the server need not read the path.
        with open(data, "rb") as f:
            subprocess.run(psql + ["-c", "COPY churn FROM STDIN WITH (FORMAT csv, HEADER true)"], stdin=f, **quiet)
        results = []
        for query in queries:
            out = subprocess.run(
                psql + ["-c", f"COPY ({query.rstrip().rstrip(';')}) TO STDOUT WITH (FORMAT csv, NULL '\\N')"],
                env=env, text=True, capture_output=True,
            )
            if out.returncode != 0:
                results.append({"error": out.stderr.strip()})
                continue
            rows = [[None if v == "\\N" else v for v in row] for row in csv.reader(out.stdout.splitlines())]
            results.append({"rows": rows})
    finally:
        subprocess.run(run_as + [pg_bin("pg_ctl"), "-D", cluster, "-m", "immediate", "stop"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(root, ignore_errors=True)
    with open(out_path, "w") as f:
        json.dump(results, f)


if __name__ == "__main__":
    main(*sys.argv[1:4])
