//! App-wide state: the active dataset, the load in progress and the notices
//! shown to the user. Provided once by `App` and read with [`use_app`].

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use leptos::prelude::*;

pub use crate::core::chart::dashboard::{Dashboard, Visual};
use crate::core::data::catalog::BaseHistory;
pub use crate::core::data::catalog::{ActiveRef, Origin};
use crate::core::data::ingest::DEFAULT_MEMORY_BUDGET_BYTES;
use crate::core::data::summary::{summarize_table, ColumnSummary};
use crate::core::data::synth::{self, DEFAULT_SEED};
use crate::core::data::table::Table;
pub use crate::core::model::run::Run;

/// A table with what the views need alongside it.
#[derive(Clone, Debug)]
pub struct Dataset {
    pub table: Table,
    pub summaries: Arc<Vec<ColumnSummary>>,
    pub origin: Origin,
    /// Changes whenever the table does, so keyed views re-render.
    pub generation: u64,
    /// The base's field edits since it was loaded and its fields as loaded
    /// (what the dataset export reads the file as); a saved dataset keeps
    /// its edits in `SavedDataset`.
    pub history: BaseHistory,
}

static GENERATION: AtomicU64 = AtomicU64::new(1);

pub fn next_generation() -> u64 {
    GENERATION.fetch_add(1, Ordering::Relaxed)
}

impl Dataset {
    pub fn new(table: Table, summaries: Vec<ColumnSummary>, origin: Origin) -> Dataset {
        let history = BaseHistory {
            edits: Vec::new(),
            loaded: table
                .columns()
                .iter()
                .map(|c| (c.name.clone(), c.column_type()))
                .collect(),
        };
        Dataset {
            table,
            summaries: Arc::new(summaries),
            origin,
            generation: next_generation(),
            history,
        }
    }

    /// The base with its kept history; a record from before the history
    /// was kept (no fields as loaded) keeps its table as loaded.
    pub fn with_history(self, history: BaseHistory) -> Dataset {
        if history.loaded.is_empty() {
            return self;
        }
        Dataset { history, ..self }
    }

    /// The embedded synthetic customers.
    pub fn synthetic() -> Dataset {
        let table = synth::default_dataset();
        crate::ui::browser::perf::timeline_mark("churnlab:default-data");
        let summaries = summarize_table(&table);
        crate::ui::browser::perf::timeline_mark("churnlab:summaries");
        Dataset::new(table, summaries, Origin::Synthetic { seed: DEFAULT_SEED })
    }

    pub fn is_synthetic(&self) -> bool {
        matches!(self.origin, Origin::Synthetic { .. })
    }
}

/// What a load is doing now.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadProgress {
    pub label: String,
    pub phase: LoadPhase,
    pub bytes_done: u64,
    pub bytes_total: Option<u64>,
    pub rows: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoadPhase {
    Reading,
    /// Reading again: a column's type had to change after the sample.
    Rereading,
    Summarising {
        done: usize,
        total: usize,
    },
    Restoring,
}

impl LoadProgress {
    /// Completed share in 0..=1, when it is known.
    pub fn fraction(&self) -> Option<f64> {
        match self.phase {
            LoadPhase::Summarising { done, total } => Some(done as f64 / total.max(1) as f64),
            _ => self
                .bytes_total
                .filter(|t| *t > 0)
                .map(|t| (self.bytes_done as f64 / t as f64).min(1.0)),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoticeKind {
    Error,
    Warning,
    Info,
}

/// A message about something the user did, shown until dismissed, or
/// until what it describes changes (its topic).
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub id: u64,
    pub kind: NoticeKind,
    pub title: String,
    pub details: Vec<String>,
    /// What the message is about ("" for nothing that goes stale).
    pub topic: &'static str,
}

/// The topic of messages about a failed or cancelled load, which name the
/// data still in use: they go when the data changes.
pub const LOAD_TOPIC: &str = "load";

/// Settings read once from the page URL.
#[derive(Clone, Copy, Debug)]
pub struct Settings {
    /// The most memory a loaded table may take (`?memory_budget_mb=`).
    pub memory_budget_bytes: usize,
    /// Whether large files may be read by background workers (`?workers=0` turns it off).
    pub use_workers: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            memory_budget_bytes: DEFAULT_MEMORY_BUDGET_BYTES,
            use_workers: true,
        }
    }
}

/// A query result kept under a name, with the SQL that made it.
#[derive(Clone, Debug)]
pub struct SavedDataset {
    pub name: String,
    pub sql: String,
    pub created_ms: f64,
    pub table: Table,
    /// What `churn` meant when it was saved.
    pub churn: ActiveRef,
    /// Its field edits since, in order.
    pub edits: Vec<crate::core::data::fields::EditStep>,
}

impl SavedDataset {
    /// Its record for storage, the project file and the export.
    pub fn entry(&self) -> crate::core::data::catalog::SavedEntry {
        crate::core::data::catalog::SavedEntry {
            name: self.name.clone(),
            sql: self.sql.clone(),
            created_ms: self.created_ms,
            churn: self.churn.clone(),
            edits: self.edits.clone(),
        }
    }

    pub fn from_entry(e: crate::core::data::catalog::SavedEntry, table: Table) -> SavedDataset {
        SavedDataset {
            name: e.name,
            sql: e.sql,
            created_ms: e.created_ms,
            table,
            churn: e.churn,
            edits: e.edits,
        }
    }
}

/// A query's result, kept while the user looks at it.
#[derive(Clone, Debug)]
pub struct QueryOutcome {
    pub sql: String,
    pub table: Table,
    pub elapsed_ms: f64,
    /// Run in the held tables' worker (the data is large), not on the page.
    pub background: bool,
    pub generation: u64,
}

/// The SQL page's state, kept while the user visits other pages.
#[derive(Clone, Copy)]
pub struct SqlState {
    pub text: RwSignal<String>,
    pub history: RwSignal<Vec<String>>,
    pub result: RwSignal<Option<QueryOutcome>>,
    pub error: RwSignal<Option<crate::core::query::SqlError>>,
}

/// The visuals page's state, kept while the user visits other pages.
#[derive(Clone, Copy)]
pub struct VisualsState {
    /// Saved dashboards.
    pub dashboards: RwSignal<Vec<Dashboard>>,
    /// The dashboard being edited (a copy until saved).
    pub open: RwSignal<Option<Dashboard>>,
    /// The visual whose shelves are shown.
    pub editing: RwSignal<Option<u64>>,
    /// A click on one visual filters the others: (source visual, field, value).
    pub cross_filter: RwSignal<Option<(u64, String, String)>>,
}

/// A finished run with everything the training page shows.
#[derive(Clone, Debug)]
pub struct RunOutcome {
    pub run: Run,
    pub evaluation: crate::core::model::train::Evaluation,
    pub cv: Option<crate::core::model::train::CvResult>,
    /// The pipeline, ready to save under a name.
    pub model: crate::core::model::pipeline::SavedModel,
    pub dropped: usize,
}

/// Training in progress: fits done of the total, for one run of a batch.
#[derive(Clone, Debug, PartialEq)]
pub struct TrainProgress {
    pub done: usize,
    pub total: usize,
    pub run: usize,
    pub runs: usize,
}

/// The training and experiments pages' state.
#[derive(Clone, Copy)]
pub struct TrainingState {
    pub progress: RwSignal<Option<TrainProgress>>,
    pub cancel: RwSignal<bool>,
    pub last: RwSignal<Option<RunOutcome>>,
    pub error: RwSignal<Option<String>>,
    pub runs: RwSignal<Vec<Run>>,
    pub models: RwSignal<Vec<crate::core::model::pipeline::SavedModel>>,
    /// The build id of the model behind the endpoint.
    pub deployed: RwSignal<Option<String>>,
    /// Calls the endpoint answered in this session, and whether one was the workshop's example.
    pub answered: RwSignal<(usize, bool)>,
}

/// A new id, unique across visits.
pub fn new_id() -> u64 {
    (js_sys::Date::now() as u64)
        .wrapping_mul(1_000)
        .wrapping_add(next_generation() % 1_000)
}

/// The query the SQL page starts with: the workshop's first.
pub const FIRST_QUERY: &str = "SELECT\n  COUNT(DISTINCT internetservice) AS internetservice,\n  COUNT(DISTINCT multiplelines) AS multiplelines,\n  COUNT(DISTINCT contract) AS contract,\n  COUNT(DISTINCT paymentmethod) AS paymentmethod\nFROM churn";

#[derive(Clone, Copy)]
pub struct AppState {
    /// The active dataset: the base or a saved one.
    pub dataset: RwSignal<Dataset>,
    /// The loaded file, or the default data.
    pub base: RwSignal<Dataset>,
    pub saved: RwSignal<Vec<SavedDataset>>,
    pub active: RwSignal<ActiveRef>,
    pub sql: SqlState,
    pub visuals: VisualsState,
    pub training: TrainingState,
    pub ops: crate::ui::ops::types::OpsState,
    pub share: crate::ui::share::types::ShareState,
    pub labs: crate::ui::labs::types::LabState,
    pub jobs: crate::ui::jobs::types::JobsState,
    /// The project's name and description (header, project file, labs).
    pub project: RwSignal<crate::core::share::project::ProjectInfo>,
    pub load: RwSignal<Option<LoadProgress>>,
    pub cancel_requested: RwSignal<bool>,
    pub notices: RwSignal<Vec<Notice>>,
    pub settings: StoredValue<Settings>,
}

impl AppState {
    pub fn new(settings: Settings, embed: Option<crate::core::share::embed::View>) -> AppState {
        let base = Dataset::synthetic();
        AppState {
            dataset: RwSignal::new(base.clone()),
            base: RwSignal::new(base),
            saved: RwSignal::new(Vec::new()),
            active: RwSignal::new(ActiveRef::Base),
            sql: SqlState {
                text: RwSignal::new(FIRST_QUERY.to_owned()),
                history: RwSignal::new(Vec::new()),
                result: RwSignal::new(None),
                error: RwSignal::new(None),
            },
            visuals: VisualsState {
                dashboards: RwSignal::new(Vec::new()),
                open: RwSignal::new(None),
                editing: RwSignal::new(None),
                cross_filter: RwSignal::new(None),
            },
            training: TrainingState {
                progress: RwSignal::new(None),
                cancel: RwSignal::new(false),
                last: RwSignal::new(None),
                error: RwSignal::new(None),
                runs: RwSignal::new(Vec::new()),
                models: RwSignal::new(Vec::new()),
                deployed: RwSignal::new(None),
                answered: RwSignal::new((0, false)),
            },
            ops: crate::ui::ops::types::OpsState::new(),
            share: crate::ui::share::types::ShareState::new(embed),
            labs: crate::ui::labs::types::LabState::new(),
            jobs: crate::ui::jobs::types::JobsState::new(),
            project: RwSignal::new(Default::default()),
            load: RwSignal::new(None),
            cancel_requested: RwSignal::new(false),
            notices: RwSignal::new(Vec::new()),
            settings: StoredValue::new(settings),
        }
    }

    pub fn notify(&self, kind: NoticeKind, title: impl Into<String>, details: Vec<String>) {
        self.notify_about("", kind, title, details);
    }

    /// A message that goes when `topic` changes ([`AppState::forget`]).
    pub fn notify_about(
        &self,
        topic: &'static str,
        kind: NoticeKind,
        title: impl Into<String>,
        details: Vec<String>,
    ) {
        let notice = Notice {
            id: next_generation(),
            kind,
            title: title.into(),
            details,
            topic,
        };
        self.notices.update(|n| {
            // A new error replaces older messages about loading; keep the list short.
            n.retain(|old| old.kind != NoticeKind::Info);
            n.push(notice);
            if n.len() > 4 {
                n.remove(0);
            }
        });
    }

    /// Removes the messages about `topic`: what they said is no longer so.
    pub fn forget(&self, topic: &'static str) {
        if self
            .notices
            .with_untracked(|n| n.iter().any(|x| x.topic == topic))
        {
            self.notices.update(|n| n.retain(|x| x.topic != topic));
        }
    }

    pub fn dismiss(&self, id: u64) {
        self.notices.update(|n| n.retain(|x| x.id != id));
    }

    pub fn is_loading(&self) -> bool {
        self.load.with_untracked(Option::is_some)
    }

    /// Waits until no file is loading and no model is training.
    pub async fn idle(&self) {
        while self.is_loading() || self.training.progress.with_untracked(Option::is_some) {
            gloo_timers::future::TimeoutFuture::new(50).await;
        }
    }
}

pub fn provide_app(settings: Settings, embed: Option<crate::core::share::embed::View>) -> AppState {
    let state = AppState::new(settings, embed);
    provide_context(state);
    state
}

pub fn use_app() -> AppState {
    expect_context::<AppState>()
}
