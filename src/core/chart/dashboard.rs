//! Dashboards as plain data: a title, a subtitle, a number of columns and
//! the visuals, each a chart spec over a dataset named as in SQL.

use serde::{Deserialize, Serialize};

use crate::chart::spec::ChartSpec;

/// One chart on a dashboard, over a dataset named as in SQL (`churn` is
/// whichever dataset is active).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Visual {
    pub id: u64,
    pub title: String,
    pub dataset: String,
    pub spec: ChartSpec,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    pub id: u64,
    pub title: String,
    pub subtitle: String,
    /// Visuals per row, 1 to 3.
    pub columns: u8,
    pub visuals: Vec<Visual>,
}
