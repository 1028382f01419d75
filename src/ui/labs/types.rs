//! The lab panel's state: the lab open (the workshop's, or one a teacher
//! handed out), whether the panel is open, the step shown, the learner's
//! progress, what "Do it for me" is doing, and the records a teacher opened.

use std::sync::Arc;

use leptos::prelude::*;

use crate::core::labs::format::LabFile;
use crate::core::labs::progress::Progress;
use crate::core::labs::record::Record;

pub use crate::core::labs::format::LabSource;

#[derive(Clone, Copy)]
pub struct LabState {
    /// None until start-up has read which lab is open; then the lab.
    pub lab: RwSignal<Option<Arc<LabFile>>>,
    /// None for the workshop's own lab.
    pub source: RwSignal<Option<LabSource>>,
    pub open: RwSignal<bool>,
    /// The index of the step shown.
    pub selected: RwSignal<usize>,
    pub progress: RwSignal<Progress>,
    /// What "Do it for me" is doing now.
    pub doing: RwSignal<Option<String>>,
    /// Why "Do it for me" stopped.
    pub do_error: RwSignal<Option<String>>,
    /// Why a lab or a record was refused.
    pub error: RwSignal<Option<String>>,
    /// Completion records a teacher opened.
    pub records: RwSignal<Vec<Record>>,
}

impl LabState {
    pub fn new() -> LabState {
        LabState {
            lab: RwSignal::new(None),
            source: RwSignal::new(None),
            open: RwSignal::new(false),
            selected: RwSignal::new(0),
            progress: RwSignal::new(Progress::default()),
            doing: RwSignal::new(None),
            do_error: RwSignal::new(None),
            error: RwSignal::new(None),
            records: RwSignal::new(Vec::new()),
        }
    }
}

impl Default for LabState {
    fn default() -> Self {
        Self::new()
    }
}
