//! The sharing stage in the browser: working offline and the one-file copy
//! ([`offline`]), the project file ([`project_io`]), share links
//! ([`link`]), and embedding in another page ([`embed`]); state in
//! [`types`]; the Overview page (the project's README and what it holds),
//! the Share page, the rebuild and update status, and the page an embedded
//! view shows.

pub mod embed;
pub mod embedded_page;
pub mod link;
pub mod offline;
pub mod overview_page;
pub mod project_io;
pub mod share_page;
pub mod share_status;
pub mod types;
