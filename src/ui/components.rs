//! Components shared by several pages, one public component per file.

pub mod chart_builder;
pub mod chart_view;
pub mod column_summary_card;
pub mod dataset_list;
pub mod drop_overlay;
pub mod field_editor;
pub mod filter_builder;
pub mod filter_editor;
pub mod header;
pub mod load_progress;
pub mod notices;
pub mod ops_alerts;
pub mod ops_drift;
pub mod ops_retrain;
pub mod ops_run;
pub mod ops_simulation_list;
pub mod sql_editor;
pub mod table_grid;

pub use chart_builder::ChartBuilder;
pub use chart_view::ChartView;
pub use column_summary_card::ColumnSummaryCard;
pub use dataset_list::DatasetList;
pub use drop_overlay::DropOverlay;
pub use field_editor::FieldEditor;
pub use filter_builder::FilterBuilder;
pub use filter_editor::FilterEditor;
pub use header::Header;
pub use load_progress::LoadProgressBar;
pub use notices::Notices;
pub use ops_alerts::OpsAlerts;
pub use ops_drift::OpsDrift;
pub use ops_retrain::OpsRetrain;
pub use ops_run::OpsRun;
pub use ops_simulation_list::OpsSimulationList;
pub use sql_editor::SqlEditor;
pub use table_grid::{TableGrid, DATA_GRID, RESULT_GRID};
