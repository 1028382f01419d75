//! Getting a CSV into the app: from a picked or dropped file, or a URL.
//!
//! Bytes arrive in chunks (file slices or network reads) and go straight
//! into the core's streaming ingest, with progress after every chunk and a
//! Cancel checked between chunks, so the page never freezes. The dataset
//! the user had stays active until the new one is complete.

use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::core::data::ingest::{
    Finished, Flow, Ingest, IngestError, IngestOptions, IngestWarning,
};
use crate::core::data::summary::{summarize_column, ColumnSummary};
use crate::core::data::table::Table;
use crate::ui::browser::{perf, storage};
use crate::ui::data::datasets;
use crate::ui::state::{
    AppState, Dataset, LoadPhase, LoadProgress, NoticeKind, Origin, LOAD_TOPIC,
};

/// Progress is redrawn at most this often.
pub(crate) const PROGRESS_EVERY_MS: f64 = 100.0;
/// Files bigger than this many times the memory budget are refused unread.
const FILE_TO_BUDGET_RATIO: u64 = 2;

mod chunks;
mod parallel;

thread_local! {
    static ENDED: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// How many loads have ended since the page opened, the start-up restore
/// included (`window.churnlab.loadsEnded()`): a caller that starts a load
/// waits for this to pass its count, not merely for no load to be running.
pub fn loads_ended() -> u32 {
    ENDED.with(std::cell::Cell::get)
}

fn note_ended() {
    ENDED.with(|n| n.set(n.get() + 1));
}

/// File loading's kind of job, for its workers.
pub const LOADING: &str = "loading";

/// Registers the worker side of a parallel load (one part of a file).
pub fn register_worker_tasks() {
    crate::ui::browser::worker::register("ingest-part", |request| {
        Box::pin(async move { parallel::ingest_part(&request).await })
    });
}

use chunks::{js_text, pump, Chunks, Pace};

pub enum Source {
    File(web_sys::File),
    Url(String),
}

pub(crate) enum Failure {
    Cancelled,
    Ingest(IngestError),
    Read(String),
}

/// A table read from a source, with summaries when they were worked out on the way.
pub(crate) struct Loaded {
    pub table: Table,
    warnings: Vec<IngestWarning>,
    summaries: Option<Vec<ColumnSummary>>,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Cancelled => f.write_str("cancelled"),
            Failure::Ingest(e) => write!(f, "{e}"),
            Failure::Read(msg) => f.write_str(msg),
        }
    }
}

impl From<IngestError> for Failure {
    fn from(e: IngestError) -> Self {
        Failure::Ingest(e)
    }
}

/// The dataset name for a file or URL: its last path segment without extension.
pub fn dataset_name(path: &str) -> String {
    let last = path
        .split(['?', '#'])
        .next()
        .unwrap_or(path)
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(path);
    let stem = match last.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem,
        _ => last,
    };
    if stem.trim().is_empty() {
        "dataset".to_owned()
    } else {
        stem.to_owned()
    }
}

/// Loads a CSV of this site as the data and waits for it; an error if it
/// did not become the data (the loader's own message says why).
pub async fn load_url(state: AppState, url: &str) -> Result<(), String> {
    // After the saved data is restored, or the load would be refused.
    state.idle().await;
    start_load(state, Source::Url(url.to_owned()));
    TimeoutFuture::new(0).await;
    state.idle().await;
    let loaded = state
        .base
        .with_untracked(|b| matches!(&b.origin, Origin::Url { url: u } if u == url));
    loaded
        .then_some(())
        .ok_or_else(|| format!("{url} could not be loaded (see the message above)."))
}

/// Starts loading `source` unless a load is already running.
pub fn start_load(state: AppState, source: Source) {
    if state.is_loading() {
        let restoring = state
            .load
            .with_untracked(|l| l.as_ref().is_some_and(|p| p.phase == LoadPhase::Restoring));
        let message = if restoring {
            "Your saved work is still being restored; open the file again in a moment."
        } else {
            "A file is already loading; cancel it first."
        };
        state.notify(NoticeKind::Info, message, Vec::new());
        return;
    }
    spawn_local(async move { load(state, source).await });
}

async fn load(state: AppState, source: Source) {
    let started = perf::now_ms();
    let (label, origin) = match &source {
        Source::File(f) => (
            f.name(),
            Origin::File {
                file_name: f.name(),
            },
        ),
        Source::Url(u) => (u.clone(), Origin::Url { url: u.clone() }),
    };
    state.cancel_requested.set(false);
    state.load.set(Some(LoadProgress {
        label: label.clone(),
        phase: LoadPhase::Reading,
        bytes_done: 0,
        bytes_total: None,
        rows: 0,
    }));
    perf::note_parts(1);
    perf::reset_marks();
    let result = read_table(state, &source, &label).await;
    perf::mark("read");
    let read_ms = perf::now_ms() - started;
    let result = match result {
        Ok(Loaded {
            table,
            warnings,
            summaries: Some(s),
        }) => Ok((table, warnings, s)),
        Ok(Loaded {
            table,
            warnings,
            summaries: None,
        }) => summarise(state, &label, &table)
            .await
            .map(|s| (table, warnings, s)),
        Err(e) => Err(e),
    };
    perf::mark("summary");
    state.load.set(None);
    note_ended();
    match result {
        Ok((table, warnings, summaries)) => {
            let bytes = match &source {
                Source::File(f) => f.size() as u64,
                Source::Url(_) => 0,
            };
            perf::record_load(perf::LoadFigures {
                elapsed_ms: perf::now_ms() - started,
                read_ms,
                rows: table.num_rows(),
                file_bytes: bytes,
                table_bytes: table.memory_size_bytes(),
                parts: perf::take_parts(),
                phases: perf::phases(),
            });
            if !warnings.is_empty() {
                let title = format!(
                    "Loaded {label} with {} warning{}",
                    warnings.len(),
                    if warnings.len() == 1 { "" } else { "s" }
                );
                state.notify(
                    NoticeKind::Warning,
                    title,
                    warnings.iter().map(IngestWarning::to_string).collect(),
                );
            }
            datasets::set_base(state, Dataset::new(table, summaries, origin), true);
        }
        Err(Failure::Cancelled) => state.notify_about(
            LOAD_TOPIC,
            NoticeKind::Info,
            format!("Loading {label} was cancelled. Your data is unchanged."),
            Vec::new(),
        ),
        Err(Failure::Ingest(e)) => state.notify_about(
            LOAD_TOPIC,
            NoticeKind::Error,
            format!("Could not load {label}"),
            vec![e.to_string(), kept_note(state)],
        ),
        Err(Failure::Read(msg)) => state.notify_about(
            LOAD_TOPIC,
            NoticeKind::Error,
            format!("Could not read {label}"),
            vec![msg, kept_note(state)],
        ),
    }
}

fn kept_note(state: AppState) -> String {
    let name = state.dataset.with_untracked(|d| d.table.name().to_owned());
    format!("Still using \"{name}\".")
}

async fn open_chunks(source: &Source) -> Result<(Chunks, Option<u64>), Failure> {
    match source {
        Source::File(file) => Ok((Chunks::from_blob(file), Some(file.size() as u64))),
        Source::Url(url) => {
            let window = web_sys::window().ok_or_else(|| Failure::Read("no window".into()))?;
            let response = JsFuture::from(window.fetch_with_str(url)).await.map_err(|e| {
                Failure::Read(format!(
                    "the request for {url} failed ({}). Only files served from this site can be loaded by URL; otherwise download the file and open it.",
                    js_text(&e)
                ))
            })?;
            let response: web_sys::Response = response.unchecked_into();
            if !response.ok() {
                return Err(Failure::Read(format!(
                    "{url} answered HTTP {} {}",
                    response.status(),
                    response.status_text()
                )));
            }
            let total = response
                .headers()
                .get("content-length")
                .ok()
                .flatten()
                .and_then(|v| v.parse().ok());
            let body = response
                .body()
                .ok_or_else(|| Failure::Read(format!("{url} returned no body")))?;
            Ok((Chunks::from_body(&body), total))
        }
    }
}

/// Reads the whole source into a table: large files in parallel parts
/// when workers are available, everything else here in chunks.
async fn read_table(state: AppState, source: &Source, label: &str) -> Result<Loaded, Failure> {
    let budget = state.settings.get_value().memory_budget_bytes;
    let mut options = IngestOptions::new(dataset_name(label));
    options.memory_budget_bytes = budget;
    if let Source::File(file) = source {
        let size = file.size() as u64;
        if size > budget as u64 * FILE_TO_BUDGET_RATIO {
            return Err(Failure::Ingest(IngestError::FileTooLarge {
                size_bytes: size,
                budget_bytes: budget,
            }));
        }
        options.size_hint_bytes = Some(size);
        if state.settings.get_value().use_workers {
            if let Some(done) = parallel::read_file(state, file, label, &options).await? {
                return Ok(done);
            }
        }
    }
    let mut shown_at = 0.0;
    let is_url = matches!(source, Source::Url(_));
    stream_table(source, options, |ingest, phase, total| {
        if state.cancel_requested.get_untracked() {
            return Err(Failure::Cancelled);
        }
        if is_url
            && ingest.bytes_read()
                > total
                    .unwrap_or(u64::MAX)
                    .max(budget as u64 * FILE_TO_BUDGET_RATIO)
        {
            return Err(Failure::Ingest(IngestError::FileTooLarge {
                size_bytes: ingest.bytes_read(),
                budget_bytes: budget,
            }));
        }
        if perf::now_ms() - shown_at < PROGRESS_EVERY_MS {
            return Ok(false);
        }
        shown_at = perf::now_ms();
        state.load.set(Some(LoadProgress {
            label: label.to_owned(),
            phase,
            bytes_done: ingest.bytes_read(),
            bytes_total: total,
            rows: ingest.rows_read(),
        }));
        Ok(true)
    })
    .await
}

/// Reads `source` into a table here, chunk by chunk: `tick` runs after
/// every chunk with the ingest so far, the phase and the total size when
/// known; it may stop the read with an error, and returns whether it
/// redrew something (then the page gets a turn to paint).
pub(crate) async fn stream_table(
    source: &Source,
    mut options: IngestOptions,
    mut tick: impl FnMut(&Ingest, LoadPhase, Option<u64>) -> Result<bool, Failure>,
) -> Result<Loaded, Failure> {
    let (mut chunks, total) = open_chunks(source).await?;
    let budget = options.memory_budget_bytes;
    if let Some(size) = total {
        if size > budget as u64 * FILE_TO_BUDGET_RATIO {
            return Err(Failure::Ingest(IngestError::FileTooLarge {
                size_bytes: size,
                budget_bytes: budget,
            }));
        }
    }
    options.size_hint_bytes = total;
    let mut ingest = Ingest::new(options);
    let mut phase = LoadPhase::Reading;
    loop {
        let flow = pump(&mut ingest, &mut chunks, Pace::PAGE, |ingest| {
            tick(ingest, phase, total)
        })
        .await?;
        let next = match flow {
            Flow::Restart => ingest.restarted(),
            Flow::Continue => match ingest.finish()? {
                Finished::Done(done) => {
                    return Ok(Loaded {
                        table: done.table,
                        warnings: done.warnings,
                        summaries: None,
                    })
                }
                Finished::Restart(next) => next,
            },
        };
        ingest = next;
        phase = LoadPhase::Rereading;
        chunks.rewind();
    }
}

/// Column summaries, one column per step so large tables stay responsive.
async fn summarise(
    state: AppState,
    label: &str,
    table: &Table,
) -> Result<Vec<ColumnSummary>, Failure> {
    let total = table.num_columns();
    let mut out = Vec::with_capacity(total);
    for (i, column) in table.columns().iter().enumerate() {
        if state.cancel_requested.get_untracked() {
            return Err(Failure::Cancelled);
        }
        if table.num_rows() > 50_000 {
            state.load.set(Some(LoadProgress {
                label: label.to_owned(),
                phase: LoadPhase::Summarising { done: i, total },
                bytes_done: 0,
                bytes_total: None,
                rows: table.num_rows(),
            }));
            TimeoutFuture::new(0).await;
        }
        out.push(summarize_column(column));
    }
    Ok(out)
}

/// On start: the saved datasets and SQL text come back; then a `?data=`
/// URL wins, otherwise the dataset loaded last time, if any.
pub fn startup(state: AppState, data_url: Option<String>) {
    // Shown at once, so nothing acts on the default data before it is replaced.
    state.load.set(Some(LoadProgress {
        label: "your saved data".into(),
        phase: LoadPhase::Restoring,
        bytes_done: 0,
        bytes_total: None,
        rows: 0,
    }));
    spawn_local(async move {
        let restored = if data_url.is_some() {
            Ok(None)
        } else {
            storage::load_base().await
        };
        let result = match restored {
            Ok(Some((table, origin, history))) => {
                let label = table.name().to_owned();
                match summarise(state, &label, &table).await {
                    // Entries from before the edits were kept: as loaded = as now.
                    Ok(summaries) => Ok(Some(
                        Dataset::new(table, summaries, origin).with_history(history),
                    )),
                    Err(_) => Ok(None),
                }
            }
            Ok(None) => Ok(None),
            Err(e) => Err(e),
        };
        match result {
            Ok(Some(dataset)) => datasets::set_base(state, dataset, false),
            Ok(None) => {}
            Err(e) => {
                state.notify(
                    NoticeKind::Warning,
                    "Your saved dataset could not be restored",
                    vec![e.to_string(), "Showing the default data.".into()],
                );
                let _ = storage::clear_base().await;
            }
        }
        datasets::restore_saved(state).await;
        state.load.set(None);
        match data_url {
            // The load that follows is the one that ends the start-up.
            Some(url) => start_load(state, Source::Url(url)),
            None => note_ended(),
        }
    });
}
