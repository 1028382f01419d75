//! The Operations page's state: the saved simulations (their settings,
//! rules and challenger comparisons; logs are stored apart), the one that
//! is open with its log and report, and the progress of a job.

use std::sync::Arc;

use leptos::prelude::*;

use crate::core::data::table::Table;
use crate::core::ops::report::Report;

pub use crate::core::ops::saved::SavedSimulation;

/// Blocks the run's tables show at a time (a run may have 1,000).
pub const WINDOW: usize = 40;

/// The open simulation: its log as a table and its report.
#[derive(Clone, Debug)]
pub struct OpenSimulation {
    pub meta: SavedSimulation,
    pub log: Table,
    pub report: Arc<Report>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct OpsProgress {
    pub label: String,
    pub done: f64,
    pub total: f64,
}

#[derive(Clone, Copy)]
pub struct OpsState {
    pub simulations: RwSignal<Vec<SavedSimulation>>,
    pub open: RwSignal<Option<OpenSimulation>>,
    pub progress: RwSignal<Option<OpsProgress>>,
    pub error: RwSignal<Option<String>>,
    /// What the page shows as known: after this call (`usize::MAX`: all).
    pub as_of: RwSignal<usize>,
}

impl OpsState {
    pub fn new() -> OpsState {
        OpsState {
            simulations: RwSignal::new(Vec::new()),
            open: RwSignal::new(None),
            progress: RwSignal::new(None),
            error: RwSignal::new(None),
            as_of: RwSignal::new(usize::MAX),
        }
    }
}

impl Default for OpsState {
    fn default() -> Self {
        OpsState::new()
    }
}
