//! Which lab is open: the workshop's own (compiled in), or one a teacher
//! hands out as a file or as a same-origin address (`?lab=labs/x.md`). A
//! lab that does not read is refused with its line, and the lab open stays.
//! A teacher's lab is kept (its text) so a reload opens it again; a lab
//! with its own data loads that data when it opens.

use std::sync::Arc;

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::core::data::catalog::Origin;
use crate::core::labs::format::{LabData, LabFile};
use crate::core::labs::progress::Progress;
use crate::ui::browser::location::query_param;
use crate::ui::browser::storage;
use crate::ui::data::datasets::persist;
use crate::ui::data::loader::load_url;
use crate::ui::labs::live::{keep, workshop};
use crate::ui::labs::types::LabSource;
use crate::ui::state::{AppState, NoticeKind};

/// Opens `lab` (from `source`, None for the workshop's) with its kept progress.
async fn open(state: AppState, lab: LabFile, source: Option<LabSource>, fresh: bool) {
    let labs = state.labs;
    let progress = match storage::load_lab_progress(&lab.id).await {
        Ok(kept) => kept.unwrap_or_default(),
        Err(e) => {
            state.notify(
                NoticeKind::Warning,
                "Your progress in the lab could not be restored",
                vec![e.to_string()],
            );
            Progress::default()
        }
    };
    labs.progress.set(progress.for_lab(&lab));
    labs.error.set(None);
    labs.do_error.set(None);
    labs.records.set(Vec::new());
    if fresh {
        labs.selected.set(0);
        let kept = source.clone();
        persist(state, "The lab you opened", async move {
            storage::save_lab_source(kept.as_ref()).await
        });
    }
    labs.source.set(source);
    let data = lab.data.clone();
    labs.lab.set(Some(Arc::new(lab)));
    if let LabData::Url(url) = data {
        state.idle().await;
        let loaded = state
            .base
            .with_untracked(|b| matches!(&b.origin, Origin::Url { url: u } if *u == url));
        if !loaded {
            if let Err(e) = load_url(state, &url).await {
                labs.error.set(Some(format!("The lab's data: {e}")));
            }
        }
    }
}

/// Reads a teacher's lab, or says where it is wrong (the lab open stays).
async fn open_text(state: AppState, source: LabSource) {
    match LabFile::parse(&source.text) {
        Ok(lab) => {
            open(state, lab, Some(source), true).await;
            state.labs.open.set(true);
        }
        Err(e) => {
            state
                .labs
                .error
                .set(Some(format!("{} was not opened: {e}.", source.name)));
            state.labs.open.set(true);
        }
    }
}

/// Why `url` is not an address of this site's lab files.
fn same_site(url: &str) -> Result<(), String> {
    let url = url.trim();
    if url.is_empty() || url.contains(':') || url.starts_with("//") || url.starts_with('\\') {
        return Err(format!("{url:?} is not a lab of this site: give its address relative to the app, e.g. labs/my-lab.md"));
    }
    Ok(())
}

/// Fetches and opens the lab at `url` (same origin only).
pub async fn load_from_url(state: AppState, url: String) {
    if let Err(e) = same_site(&url) {
        state.labs.error.set(Some(e));
        state.labs.open.set(true);
        return;
    }
    match fetch_text(&url).await {
        Ok(text) => {
            open_text(
                state,
                LabSource {
                    kind: "url".into(),
                    name: url,
                    text,
                },
            )
            .await
        }
        Err(e) => {
            state
                .labs
                .error
                .set(Some(format!("{url} was not opened: {e}.")));
            state.labs.open.set(true);
        }
    }
}

async fn fetch_text(url: &str) -> Result<String, String> {
    let window = web_sys::window().ok_or("no window")?;
    let response = JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(|e| {
            format!(
                "the request failed ({})",
                crate::ui::browser::json::error_text(&e)
            )
        })?;
    let response: web_sys::Response = response.unchecked_into();
    if !response.ok() {
        return Err(format!(
            "the site answered HTTP {} {}",
            response.status(),
            response.status_text()
        ));
    }
    let text = JsFuture::from(response.text().map_err(|_| "no text")?)
        .await
        .map_err(|_| "the answer is not text")?;
    text.as_string()
        .ok_or_else(|| "the answer is not text".into())
}

/// Opens a lab file the teacher chose.
pub async fn load_from_file(state: AppState, file: web_sys::File) {
    let name = file.name();
    match JsFuture::from(file.text())
        .await
        .ok()
        .and_then(|t| t.as_string())
    {
        Some(text) => {
            open_text(
                state,
                LabSource {
                    kind: "file".into(),
                    name,
                    text,
                },
            )
            .await
        }
        None => state
            .labs
            .error
            .set(Some(format!("{name} could not be read as text."))),
    }
}

/// Back to the workshop's own lab (the teacher's lab's progress is kept).
pub async fn open_workshop(state: AppState, fresh: bool) {
    if let Some(lab) = workshop() {
        open(state, lab.clone(), None, fresh).await;
    }
}

/// At start-up: `?lab=` first, else the lab kept by an earlier visit, else
/// the workshop's. An embedded view has no lab panel, and opens none.
pub async fn restore(state: AppState) {
    if state.share.embed.with_value(Option::is_some) {
        return;
    }
    if let Some(url) = query_param("lab") {
        load_from_url(state, url).await;
        if state.labs.lab.with_untracked(Option::is_some) {
            return;
        }
    }
    let kept = match storage::load_lab_source().await {
        Ok(kept) => kept,
        Err(e) => {
            state.notify(
                NoticeKind::Warning,
                "The lab you opened earlier could not be restored",
                vec![e.to_string(), "The workshop's lab is open instead.".into()],
            );
            None
        }
    };
    if let Some(source) = kept {
        if let Ok(lab) = LabFile::parse(&source.text) {
            open(state, lab, Some(source), false).await;
            return;
        }
    }
    open_workshop(state, false).await;
}

/// Starts the lab over (with "Reset project"): the workshop's, from its first step.
pub fn reset_progress(state: AppState) {
    let Some(lab) = workshop() else { return };
    state.labs.selected.set(0);
    state.labs.source.set(None);
    state.labs.lab.set(Some(Arc::new(lab.clone())));
    keep(state, Progress::new(&lab.id, lab.version));
    persist(state, "The lab you opened", async move {
        storage::save_lab_source(None).await
    });
}
