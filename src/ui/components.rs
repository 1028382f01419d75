//! Components shared by several pages, one public component per file.

pub mod column_summary_card;
pub mod data_grid;
pub mod drop_overlay;
pub mod header;
pub mod load_progress;
pub mod notices;

pub use column_summary_card::ColumnSummaryCard;
pub use data_grid::DataGrid;
pub use drop_overlay::DropOverlay;
pub use header::Header;
pub use load_progress::LoadProgressBar;
pub use notices::Notices;
