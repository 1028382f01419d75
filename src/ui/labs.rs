//! The guided-labs stage in the browser: the lab open ([`source`]: the
//! workshop's, compiled in from `labs/workshop.md`, or a teacher's from a
//! file or `?lab=`), its checks evaluated live over the app's facts and the
//! learner's progress kept in storage ([`live`]), "Do it for me"
//! ([`doit`]); state in [`types`]; the lab panel and its tools (records,
//! other labs, the teacher's table).

pub mod doit;
pub mod lab_panel;
pub mod lab_tools;
pub mod live;
pub mod source;
pub mod types;
