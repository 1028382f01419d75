//! The sharing stage in the browser: working offline and the one-file copy
//! ([`offline`]), the project file ([`project_io`]), share links
//! ([`link`]), and embedding in another page ([`embed`]); state in
//! [`types`].

pub mod embed;
pub mod link;
pub mod offline;
pub mod project_io;
pub mod types;
