//! What the sharing stage shows: a new build waiting, storage kept in
//! memory only, a rebuild from a share link under way, and the embedded
//! view when the app runs inside another page.

use leptos::prelude::*;

use crate::core::share::embed::View;

#[derive(Clone, Copy)]
pub struct ShareState {
    /// A newer build is installed and waits for "Reload to update".
    pub update_ready: RwSignal<bool>,
    /// The browser gives no storage: work lives in memory until exported.
    pub in_memory: RwSignal<bool>,
    /// What a share link's rebuild is doing (None when idle).
    pub rebuilding: RwSignal<Option<String>>,
    /// `?embed=`: the one view shown, without the app's chrome.
    pub embed: StoredValue<Option<View>>,
}

impl ShareState {
    pub fn new(embed: Option<View>) -> ShareState {
        ShareState {
            update_ready: RwSignal::new(false),
            in_memory: RwSignal::new(false),
            rebuilding: RwSignal::new(None),
            embed: StoredValue::new(embed),
        }
    }
}
