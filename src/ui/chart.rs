//! The chart stage: dashboards of visuals built on shelves (the Visuals
//! page and its chart builder) and the exploration notebook as clicks (the
//! Explore page).

pub mod chart_builder;
pub mod explore_jobs;
pub mod explore_page;
pub mod explore_sections;
pub mod field_pills;
pub mod shelf_box;
pub mod visual_card;
pub mod visual_jobs;
pub mod visuals_page;
