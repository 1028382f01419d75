//! The lab panel's state: whether it is open, the step shown, and the
//! learner's progress.

use leptos::prelude::*;

use crate::core::labs::progress::Progress;

#[derive(Clone, Copy)]
pub struct LabState {
    pub open: RwSignal<bool>,
    /// The index of the step shown.
    pub selected: RwSignal<usize>,
    pub progress: RwSignal<Progress>,
}

impl LabState {
    pub fn new() -> LabState {
        LabState { open: RwSignal::new(false), selected: RwSignal::new(0), progress: RwSignal::new(Progress::default()) }
    }
}

impl Default for LabState {
    fn default() -> Self {
        Self::new()
    }
}
