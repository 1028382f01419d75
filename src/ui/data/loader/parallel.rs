//! Large files in parallel: the page plans from the first bytes (header,
//! delimiter, column types), cuts the rest at line breaks into one part per
//! worker, and each worker ingests its part on its own. The page then joins
//! the parts column by column and renumbers lines in warnings and errors.
//!
//! Files whose quoted fields hold line breaks cannot be cut at a line, so
//! they, small files, and pages without workers take the one-thread path.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::{Array, Uint8Array};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::chunks::{js_text, pump, Chunks, Pace};
use super::{Failure, Loaded, PROGRESS_EVERY_MS};
use crate::core::data::concat::concat_column;
use crate::core::data::ingest::{
    merge_warnings, Finished, Flow, Ingest, IngestError, IngestOptions, IngestWarning, Plan,
};
use crate::core::data::summary::{
    column_stats, keys_from_bytes, keys_to_bytes, merge_stats, summarize_column,
    summary_from_stats, ColumnStats,
};
use crate::core::data::table::{ColumnType, Table};
use crate::ui::browser::js_table::{column_from_js, header_from_js, table_to_js, transfer_list};
use crate::ui::browser::perf;
use crate::ui::browser::worker::{self, get, get_f64, get_str, object};
use crate::ui::state::{AppState, LoadPhase, LoadProgress};

/// Smaller files are quicker on one thread than with workers.
const PARALLEL_MIN_BYTES: f64 = 24.0 * 1024.0 * 1024.0;
/// Bytes read to plan: the header and well over the type-inference sample.
const PREFIX_BYTES: f64 = 4.0 * 1024.0 * 1024.0;
/// The planner's bytes per slice of the page's time (a few ms each).
const PLAN_SLICE_BYTES: usize = 256 * 1024;
/// Bytes searched for a line break at each cut.
const PROBE_BYTES: f64 = 256.0 * 1024.0;
/// Retries when a part finds a value its planned type cannot hold.
const MAX_ATTEMPTS: usize = 3;

async fn read_range(file: &web_sys::File, start: f64, end: f64) -> Result<Vec<u8>, Failure> {
    let blob = file
        .slice_with_f64_and_f64(start, end)
        .map_err(|e| Failure::Read(js_text(&e)))?;
    let buffer = JsFuture::from(blob.array_buffer())
        .await
        .map_err(|e| Failure::Read(js_text(&e)))?;
    Ok(Uint8Array::new(&buffer).to_vec())
}

fn worker_count() -> usize {
    worker::cores().clamp(1, 4)
}

/// One part's answer.
enum PartOutcome {
    Done {
        table: Array,
        stats: Vec<ColumnStats>,
        warnings: Vec<IngestWarning>,
        lines: u64,
        rows: usize,
    },
    Restart(Vec<Option<ColumnType>>),
    Failed(IngestError),
}

fn json<T: serde::de::DeserializeOwned>(value: &JsValue, key: &str) -> Result<T, Failure> {
    let text = get_str(value, key)
        .ok_or_else(|| Failure::Read(format!("a worker's answer lacks {key}")))?;
    serde_json::from_str(&text)
        .map_err(|e| Failure::Read(format!("a worker's answer is malformed: {e}")))
}

fn outcome(result: &JsValue) -> Result<PartOutcome, Failure> {
    if get(result, "error").is_string() {
        return Ok(PartOutcome::Failed(json(result, "error")?));
    }
    if get(result, "restart").is_string() {
        return Ok(PartOutcome::Restart(json(result, "restart")?));
    }
    let table: Array = get(result, "table")
        .dyn_into()
        .map_err(|_| Failure::Read("a worker sent no table".into()))?;
    let keys: Array = get(result, "keys")
        .dyn_into()
        .map_err(|_| Failure::Read("a worker sent no summary".into()))?;
    let mut stats: Vec<ColumnStats> = json(result, "stats")?;
    for (s, k) in stats.iter_mut().zip(keys.iter()) {
        s.keys = k
            .dyn_into::<Uint8Array>()
            .map(|b| keys_from_bytes(&b.to_vec()))
            .unwrap_or_default();
    }
    Ok(PartOutcome::Done {
        table,
        stats,
        warnings: json(result, "warnings")?,
        lines: get_f64(result, "lines").unwrap_or(0.0) as u64,
        rows: get_f64(result, "rows").unwrap_or(0.0) as usize,
    })
}

/// Where each part starts: the first data byte, then the byte after the
/// first line break past each even share of the rest. `None` when a cut
/// finds no line break nearby (very long lines).
async fn cut_points(
    file: &web_sys::File,
    data_offset: f64,
    parts: usize,
) -> Result<Option<Vec<f64>>, Failure> {
    let size = file.size();
    let mut starts = vec![data_offset];
    for k in 1..parts {
        let target = data_offset + (size - data_offset) * k as f64 / parts as f64;
        let probe = read_range(file, target, (target + PROBE_BYTES).min(size)).await?;
        let Some(at) = probe.iter().position(|&b| b == b'\n') else {
            return Ok(None);
        };
        let start = target + at as f64 + 1.0;
        if start <= *starts.last().unwrap_or(&0.0) || start >= size {
            return Ok(None);
        }
        starts.push(start);
    }
    Ok(Some(starts))
}

/// Reads `file` with one worker per part, or returns `None` to ask for the
/// one-thread path.
pub(super) async fn read_file(
    state: AppState,
    file: &web_sys::File,
    label: &str,
    options: &IngestOptions,
) -> Result<Option<Loaded>, Failure> {
    let size = file.size();
    let parts = worker_count();
    if size < PARALLEL_MIN_BYTES || parts < 2 {
        return Ok(None);
    }
    // The planner sees only the prefix: reserve for that, not the file.
    let mut planner_options = options.clone();
    planner_options.size_hint_bytes = Some(PREFIX_BYTES as u64);
    let mut planner = Ingest::new(planner_options);
    // Fed a slice at a time, with the page's turn once one took a frame:
    // reading 4 MB at once held the page for about 80 ms.
    let prefix = read_range(file, 0.0, PREFIX_BYTES.min(size)).await?;
    let mut slices = perf::Slices::new();
    for piece in prefix.chunks(PLAN_SLICE_BYTES) {
        slices.turn().await;
        planner.feed(piece)?;
    }
    let Some(plan) = planner.plan()? else {
        return Ok(None);
    };
    if plan.multiline_fields {
        return Ok(None);
    }
    // As many parts as workers the lease gives: fewer when other jobs hold
    // the cores, and on the page's thread when only one is free.
    let pool = match worker::lease(super::LOADING, parts).await {
        Ok(pool) => pool,
        Err(_) if state.cancel_requested.get_untracked() => return Err(Failure::Cancelled),
        Err(_) => return Ok(None),
    };
    let parts = pool.size();
    if parts < 2 {
        return Ok(None);
    }
    let Some(starts) = cut_points(file, plan.data_offset as f64, parts).await? else {
        return Ok(None);
    };
    perf::mark("plan");

    let mut plan = plan;
    for attempt in 0..MAX_ATTEMPTS {
        if state.cancel_requested.get_untracked() {
            return Err(Failure::Cancelled);
        }
        let phase = if attempt == 0 {
            LoadPhase::Reading
        } else {
            LoadPhase::Rereading
        };
        let progress = Rc::new(RefCell::new(vec![(0.0, 0.0); parts]));
        let shown_at = Rc::new(Cell::new(0.0));
        let mut pending = Vec::with_capacity(parts);
        for k in 0..parts {
            let end = starts.get(k + 1).copied().unwrap_or(size);
            let plan_json =
                serde_json::to_string(&plan).map_err(|e| Failure::Read(e.to_string()))?;
            let forced_json = serde_json::to_string(&options.forced_types)
                .map_err(|e| Failure::Read(e.to_string()))?;
            let request = object(&[
                ("kind", "ingest-part".into()),
                ("file", file.into()),
                ("start", starts[k].into()),
                ("end", end.into()),
                ("name", options.name.clone().into()),
                ("plan", plan_json.into()),
                ("forced", forced_json.into()),
                (
                    "budget",
                    ((options.memory_budget_bytes / parts) as f64).into(),
                ),
            ]);
            let (progress, shown_at, label) =
                (progress.clone(), shown_at.clone(), label.to_owned());
            let on_progress = move |bytes: f64, rows: f64| {
                progress.borrow_mut()[k] = (bytes, rows);
                if perf::now_ms() - shown_at.get() < PROGRESS_EVERY_MS {
                    return;
                }
                shown_at.set(perf::now_ms());
                let (bytes, rows) = progress
                    .borrow()
                    .iter()
                    .fold((0.0, 0.0), |a, p| (a.0 + p.0, a.1 + p.1));
                state.load.set(Some(LoadProgress {
                    label: label.clone(),
                    phase,
                    bytes_done: plan.data_offset + bytes as u64,
                    bytes_total: Some(size as u64),
                    rows: rows as usize,
                }));
            };
            pending.push(
                pool.call(k, &request, &Array::new(), on_progress)
                    .map_err(Failure::Read)?,
            );
        }
        let mut outcomes = Vec::with_capacity(parts);
        for answer in pending {
            match answer.await {
                Ok(result) => outcomes.push(outcome(&result)?),
                Err(_) if state.cancel_requested.get_untracked() => return Err(Failure::Cancelled),
                Err(e) => return Err(Failure::Read(format!("a worker failed: {}", js_text(&e)))),
            }
        }
        if state.cancel_requested.get_untracked() {
            return Err(Failure::Cancelled);
        }
        perf::mark("parts");
        // A later value did not fit a planned type: re-plan every part.
        let restarts: Vec<&Vec<Option<ColumnType>>> = outcomes
            .iter()
            .filter_map(|o| {
                if let PartOutcome::Restart(t) = o {
                    Some(t)
                } else {
                    None
                }
            })
            .collect();
        if !restarts.is_empty() {
            for types in restarts {
                for (planned, found) in plan.types.iter_mut().zip(types) {
                    if found != planned && found.is_some() {
                        *planned = *found;
                    }
                }
            }
            continue;
        }
        perf::note_parts(parts);
        return join(planner, &plan, outcomes, &options.name)
            .await
            .map(Some);
    }
    Ok(None)
}

/// The parts' tables joined column by column (in the page's turns, a turn
/// at most every 16 ms: a million rows would freeze it otherwise), with their summaries
/// merged and warnings and errors renumbered to the file's lines.
async fn join(
    planner: Ingest,
    plan: &Plan,
    outcomes: Vec<PartOutcome>,
    name: &str,
) -> Result<Loaded, Failure> {
    let mut shift = plan.data_line - 1;
    let mut tables = Vec::with_capacity(outcomes.len());
    let mut part_stats = Vec::with_capacity(outcomes.len());
    let mut warnings = vec![planner.header_warnings()];
    let mut rows = 0;
    for outcome in outcomes {
        match outcome {
            PartOutcome::Failed(e) => return Err(Failure::Ingest(e.shift_lines(shift))),
            PartOutcome::Restart(_) => {
                return Err(Failure::Read(
                    "a part could not settle its column types".into(),
                ))
            }
            PartOutcome::Done {
                table,
                stats,
                warnings: w,
                lines,
                rows: r,
            } => {
                part_stats.push(stats);
                warnings.push(w.into_iter().map(|w| w.shift_lines(shift)).collect());
                shift += lines;
                rows += r;
                tables.push(table);
            }
        }
    }
    let warnings = merge_warnings(warnings);
    if rows == 0 {
        let skipped = warnings
            .iter()
            .map(|w| {
                if let IngestWarning::RaggedRows { skipped, .. } = w {
                    *skipped
                } else {
                    0
                }
            })
            .sum();
        return Err(Failure::Ingest(IngestError::NoDataRows {
            skipped_rows: skipped,
        }));
    }
    let headers = tables
        .iter()
        .map(header_from_js)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| Failure::Read(e.to_string()))?;
    let mut columns = Vec::with_capacity(plan.header.len());
    let mut summaries = Vec::with_capacity(plan.header.len());
    let mut slices = perf::Slices::new();
    for i in 0..plan.header.len() {
        // A turn may come before each part's piece and before the join: a
        // column of a million distinct texts is tens of ms at each step.
        let mut pieces = Vec::with_capacity(tables.len());
        for (t, h) in tables.iter().zip(&headers) {
            slices.turn().await;
            pieces.push(column_from_js(t, h, i).map_err(|e| Failure::Read(e.to_string()))?);
        }
        slices.turn().await;
        let Some(column) = concat_column(&pieces) else {
            continue;
        };
        let stats: Vec<ColumnStats> = part_stats
            .iter_mut()
            .filter_map(|p| p.get_mut(i).map(take_stats))
            .collect();
        // Parts whose types were unified need their stats worked out again.
        let summary = match merge_stats(stats).filter(|s| s.column_type == column.column_type()) {
            Some(merged) => summary_from_stats(merged, &column),
            None => summarize_column(&column),
        };
        summaries.push(summary);
        columns.push(column);
    }
    let table = Table::try_new(name, columns).map_err(|e| Failure::Read(e.to_string()))?;
    Ok(Loaded {
        table,
        warnings,
        summaries: Some(summaries),
    })
}

fn take_stats(stats: &mut ColumnStats) -> ColumnStats {
    std::mem::replace(
        stats,
        ColumnStats {
            name: String::new(),
            column_type: stats.column_type,
            null_count: 0,
            value_count: 0,
            range: None,
            label_counts: Vec::new(),
            keys: Vec::new(),
        },
    )
}

fn answer(fields: &[(&str, JsValue)]) -> JsValue {
    object(fields).into()
}

fn to_json<T: serde::Serialize>(value: &T) -> JsValue {
    serde_json::to_string(value)
        .map(JsValue::from)
        .unwrap_or(JsValue::NULL)
}

/// In a worker: ingests the bytes `start..end` of a file with a plan.
pub async fn ingest_part(request: &JsValue) -> Result<JsValue, JsValue> {
    let bad = |what: &str| JsValue::from_str(&format!("ingest-part: {what}"));
    let id = get_f64(request, "id").ok_or_else(|| bad("no id"))?;
    let file: web_sys::File = get(request, "file")
        .dyn_into()
        .map_err(|_| bad("no file"))?;
    let start = get_f64(request, "start").ok_or_else(|| bad("no start"))?;
    let end = get_f64(request, "end").ok_or_else(|| bad("no end"))?;
    let plan: Plan = get_str(request, "plan")
        .and_then(|p| serde_json::from_str(&p).ok())
        .ok_or_else(|| bad("no plan"))?;
    let forced: Vec<(String, ColumnType)> = get_str(request, "forced")
        .and_then(|f| serde_json::from_str(&f).ok())
        .unwrap_or_default();
    let mut options = IngestOptions::for_part(get_str(request, "name").unwrap_or_default(), plan);
    options.forced_types = forced;
    options.memory_budget_bytes = get_f64(request, "budget").unwrap_or(f64::MAX) as usize;
    options.size_hint_bytes = Some((end - start) as u64);

    let blob = file
        .slice_with_f64_and_f64(start, end)
        .map_err(|_| bad("cannot slice the file"))?;
    let mut chunks = Chunks::from_blob(&blob);
    let mut ingest = Ingest::new(options);
    let mut shown_at = 0.0;
    let flow = pump(&mut ingest, &mut chunks, Pace::WORKER, |ingest| {
        if perf::now_ms() - shown_at > PROGRESS_EVERY_MS {
            shown_at = perf::now_ms();
            worker::post_progress(id, ingest.bytes_read() as f64, ingest.rows_read() as f64);
        }
        Ok(false)
    })
    .await;
    let finished = match flow {
        Ok(Flow::Restart) => return Ok(answer(&[("restart", to_json(&ingest.column_types()))])),
        Ok(Flow::Continue) => ingest.finish(),
        Err(Failure::Ingest(e)) => Err(e),
        Err(Failure::Read(message)) => return Err(JsValue::from_str(&message)),
        Err(Failure::Cancelled) => return Err(JsValue::from_str("cancelled")),
    };
    match finished {
        Ok(Finished::Done(done)) => {
            // Summaries are worked out here too, in parallel, and merged by the page.
            let stats: Vec<ColumnStats> = done.table.columns().iter().map(column_stats).collect();
            let keys: Array = stats
                .iter()
                .map(|s| JsValue::from(Uint8Array::from(keys_to_bytes(&s.keys).as_slice())))
                .collect();
            let table = table_to_js(&done.table);
            let transfer = transfer_list(&table);
            for k in keys.iter() {
                if let Ok(bytes) = k.dyn_into::<Uint8Array>() {
                    transfer.push(&bytes.buffer());
                }
            }
            Ok(answer(&[
                ("table", table.into()),
                ("stats", to_json(&stats)),
                ("keys", keys.into()),
                ("transfer", transfer.into()),
                ("warnings", to_json(&done.warnings)),
                ("lines", (done.lines as f64).into()),
                ("rows", (done.table.num_rows() as f64).into()),
            ]))
        }
        Ok(Finished::Restart(next)) => Ok(answer(&[("restart", to_json(&next.planned_types()))])),
        Err(e) => Ok(answer(&[("error", to_json(&e))])),
    }
}
