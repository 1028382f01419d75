//! Thin wrappers over the browser platform, with no knowledge of pages:
//! IndexedDB ([`storage`]), Web Workers ([`worker`]) and the one that
//! holds a table ([`held`]), tables as JS values
//! ([`js_table`]), JSON and errors across the JS boundary ([`json`]), the
//! address's parameters ([`location`]), the screen's media queries
//! ([`device`]), downloads, the visible panic message
//! and timing figures ([`perf`]), other tabs and leaving the page ([`tabs`]).

pub mod device;
pub mod download;
pub mod held;
pub mod js_table;
pub mod json;
pub mod location;
pub mod panic;
pub mod perf;
pub mod storage;
pub mod tabs;
pub mod worker;
