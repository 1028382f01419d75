//! Other tabs of the app, and leaving the page: every save is announced on
//! a `BroadcastChannel` so another tab of the same site can say its view is
//! out of date (rather than overwrite the newer work unawares), and closing
//! or reloading the page while a save is still being written asks first.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

const CHANNEL: &str = "churnlab-saves";

thread_local! {
    static OPEN: RefCell<Option<web_sys::BroadcastChannel>> = const { RefCell::new(None) };
    /// This tab, so it does not hear itself.
    static TAB: String = format!("{:x}", (js_sys::Math::random() * 1e15) as u64);
}

fn channel() -> Option<web_sys::BroadcastChannel> {
    OPEN.with_borrow_mut(|c| {
        if c.is_none() {
            *c = web_sys::BroadcastChannel::new(CHANNEL).ok();
        }
        c.clone()
    })
}

/// Tells the other tabs that `what` was saved.
pub fn announce_save(what: &str) {
    let Some(channel) = channel() else { return };
    let message = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&message, &"tab".into(), &TAB.with(|t| JsValue::from_str(t)));
    let _ = js_sys::Reflect::set(&message, &"what".into(), &JsValue::from_str(what));
    let _ = channel.post_message(&message);
}

/// Calls `heard` with what another tab saved.
pub fn listen(heard: impl Fn(String) + 'static) {
    let Some(channel) = channel() else { return };
    let me = TAB.with(Clone::clone);
    let on_message =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            let data = e.data();
            let from = js_sys::Reflect::get(&data, &"tab".into())
                .ok()
                .and_then(|v| v.as_string());
            let what = js_sys::Reflect::get(&data, &"what".into())
                .ok()
                .and_then(|v| v.as_string());
            if let (Some(from), Some(what)) = (from, what) {
                if from != me {
                    heard(what);
                }
            }
        });
    channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
}

/// Asks before the page goes while `pending()` says a save is unfinished.
pub fn guard_unload(pending: fn() -> bool) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let on_unload =
        Closure::<dyn Fn(web_sys::BeforeUnloadEvent)>::new(move |e: web_sys::BeforeUnloadEvent| {
            if pending() {
                e.prevent_default();
                e.set_return_value("Churnlab is still saving your work.");
            }
        });
    let _ =
        window.add_event_listener_with_callback("beforeunload", on_unload.as_ref().unchecked_ref());
    on_unload.forget();
}

/// Calls `held` once this tab holds the lock `name`, which it keeps while
/// it is open (Web Locks): of the open tabs one at a time holds it, the
/// next when that one closes. Without Web Locks, at once.
pub fn hold_lock(name: &str, held: impl FnOnce() + 'static) {
    let locks = web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w.navigator(), &"locks".into()).ok())
        .filter(|l| !l.is_undefined() && !l.is_null());
    let request = locks.as_ref().and_then(|l| {
        js_sys::Reflect::get(l, &"request".into())
            .ok()
            .and_then(|r| r.dyn_into::<js_sys::Function>().ok())
    });
    let (Some(locks), Some(request)) = (locks, request) else {
        held();
        return;
    };
    let on_held = Closure::once(move |_lock: JsValue| -> js_sys::Promise {
        held();
        // A promise that never settles: the lock is held until the tab goes.
        js_sys::Promise::new(&mut |_, _| {})
    });
    let _ = request.call2(
        &locks,
        &JsValue::from_str(name),
        on_held.as_ref().unchecked_ref(),
    );
    on_held.forget();
}
