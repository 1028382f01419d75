// Baselines the benchmark compares Churnlab with, run in the same browser:
// PapaParse (CSV parsing in JS) and DuckDB-wasm (read_csv_auto and SQL).
import * as duckdb from '/node_modules/@duckdb/duckdb-wasm/dist/duckdb-browser.mjs';

const file = () => document.getElementById('file').files[0];
let db = null;
let conn = null;

async function duckdbReady() {
  if (conn) return conn;
  const dist = '/node_modules/@duckdb/duckdb-wasm/dist/';
  const worker = new Worker(dist + 'duckdb-browser-eh.worker.js');
  db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
  await db.instantiate(dist + 'duckdb-eh.wasm');
  conn = await db.connect();
  return conn;
}

window.baselines = {
  /** Cold start: DuckDB-wasm fetched, instantiated and answering its first
   * query; times in ms from navigation, and when its files had arrived. */
  async duckdbCold() {
    const c = await duckdbReady();
    await c.query('SELECT COUNT(*) FROM range(7043)');
    const answered = performance.now();
    const files = performance.getEntriesByType('resource').filter((e) => /duckdb/.test(e.name)).map((e) => e.responseEnd);
    return { filesArrived: Math.max(...files), answered };
  },
  /** Parses the picked file with PapaParse (header row, typed values). */
  papaparse() {
    return new Promise((resolve, reject) => {
      const t0 = performance.now();
      let rows = 0;
      Papa.parse(file(), {
        header: true,
        dynamicTyping: true,
        skipEmptyLines: true,
        chunk: (results) => { rows += results.data.length; },
        complete: () => resolve({ ms: performance.now() - t0, rows }),
        error: reject,
      });
    });
  },
  /** Starts DuckDB-wasm (not timed). */
  async duckdbStart() {
    await duckdbReady();
    return true;
  },
  /** Loads the picked file into table `churn` with read_csv_auto. */
  async duckdbLoad(name) {
    const c = await duckdbReady();
    await db.registerFileHandle(name, file(), duckdb.DuckDBDataProtocol.BROWSER_FILEREADER, true);
    const t0 = performance.now();
    await c.query(`CREATE OR REPLACE TABLE churn AS SELECT * FROM read_csv_auto('${name}')`);
    const ms = performance.now() - t0;
    const n = await c.query('SELECT COUNT(*)::INTEGER AS n FROM churn');
    return { ms, rows: n.toArray()[0].n };
  },
  /** Loads the picked file typed as Churnlab types it (Yes/No as text, blank TotalCharges as NULL). */
  async duckdbLoadTyped(name) {
    const c = await duckdbReady();
    await db.registerFileHandle(name, file(), duckdb.DuckDBDataProtocol.BROWSER_FILEREADER, true);
    await c.query(
      "CREATE OR REPLACE TABLE churn AS SELECT * REPLACE (" +
        'CAST(SeniorCitizen AS BIGINT) AS SeniorCitizen, CAST(tenure AS BIGINT) AS tenure, ' +
        'CAST(MonthlyCharges AS DOUBLE) AS MonthlyCharges, ' +
        "CAST(NULLIF(TRIM(TotalCharges), '') AS DOUBLE) AS TotalCharges) " +
        `FROM read_csv('${name}', header = true, all_varchar = true)`,
    );
    return true;
  },
  /** Runs one query on table `churn`; returns its time and row count. */
  async duckdbQuery(sql) {
    const c = await duckdbReady();
    const t0 = performance.now();
    const result = await c.query(sql);
    return { ms: performance.now() - t0, rows: result.numRows };
  },
};
window.baselinesReady = true;
