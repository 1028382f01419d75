//! Offline use: the service worker (registered by `public/boot.js`) says
//! when a new build waits, and "Reload to update" hands over to it; the
//! one-file copy is made by `public/onefile.js` (served app) or is the
//! page itself (one-file app); storage that is not there is said once.

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::ui::browser::json::error_text;
use crate::ui::browser::{download, storage};
use crate::ui::state::AppState;

fn window_value(name: &str) -> JsValue {
    web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w, &name.into()).ok())
        .unwrap_or(JsValue::UNDEFINED)
}

/// Follows the service worker's news and the storage's availability.
pub fn watch(state: AppState) {
    if window_value("churnlabUpdateReady").is_truthy() {
        state.share.update_ready.set(true);
    }
    let handle = window_event_listener_untyped("churnlab-update-ready", move |_| {
        state.share.update_ready.set(true)
    });
    on_cleanup(move || handle.remove());
    leptos::task::spawn_local(async move {
        if !storage::persistent().await {
            state.share.in_memory.set(true);
        }
    });
}

/// "Reload to update": the waiting build takes over and the page reloads once.
pub fn apply_update() {
    let apply = window_value("churnlabApplyUpdate");
    if let Some(f) = apply.dyn_ref::<js_sys::Function>() {
        let _ = f.call0(&JsValue::NULL);
    }
}

/// Downloads `churnlab.html`, the whole app in one file.
pub async fn save_offline_copy() -> Result<usize, String> {
    let make = window_value("churnlabOfflineCopy");
    let make = make
        .dyn_ref::<js_sys::Function>()
        .ok_or("this page cannot make an offline copy (it was not started by boot.js)")?;
    let promise: js_sys::Promise = make
        .call0(&JsValue::NULL)
        .map_err(|e| error_text(&e))?
        .dyn_into()
        .map_err(|e| error_text(&e))?;
    let html = JsFuture::from(promise)
        .await
        .map_err(|e| error_text(&e))?
        .as_string()
        .ok_or("the offline copy is not text")?;
    download::download("churnlab.html", "text/html;charset=utf-8", html.as_bytes())?;
    Ok(html.len())
}
