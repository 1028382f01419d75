//! The few pieces several stages show: a note of work under way, a chart
//! on a canvas, the datasets
//! a select offers, the virtual
//! table grid, the filter editor, the Embed button and the note of an
//! embedded view with nothing to show, a box that scrolls a wide table,
//! the one number field, and Markdown as elements.

pub mod busy_note;
pub mod chart_view;
pub mod dataset_options;
pub mod embed_button;
pub mod embed_notice;
pub mod filter_editor;
pub mod markdown_view;
pub mod number_field;
pub mod scroll_region;
pub mod table_grid;
