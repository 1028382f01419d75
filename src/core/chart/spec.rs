//! A chart as plain, serialisable data: what is on which shelf, the visual
//! type, each measure's aggregation and the Filters shelf; which visual
//! types fit the shelves, and how adding a field changes the spec.

use serde::{Deserialize, Serialize};

use crate::data::table::{ColumnData, ColumnType, Table};
use crate::query::filter::{quote_ident, Condition, FilterNode, FilterOp};
use crate::query::SqlError;

/// The measure that counts rows.
pub const RECORD_COUNT: &str = "Record Count";
/// The label of a missing category.
pub const EMPTY_LABEL: &str = "(empty)";
/// Most points a scatter plot draws (evenly sampled beyond that).
pub const MAX_POINTS: usize = 5_000;
/// Most rows the table visual shows.
pub const MAX_TABLE_ROWS: usize = 1_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChartKind {
    Table,
    Bar,
    Hbar,
    StackedBar,
    GroupedBar,
    Line,
    Area,
    Scatter,
    Histogram,
    Box,
    Pie,
    Heatmap,
}

impl ChartKind {
    pub const ALL: [ChartKind; 12] = [
        ChartKind::Table,
        ChartKind::Bar,
        ChartKind::Hbar,
        ChartKind::StackedBar,
        ChartKind::GroupedBar,
        ChartKind::Line,
        ChartKind::Area,
        ChartKind::Scatter,
        ChartKind::Histogram,
        ChartKind::Box,
        ChartKind::Pie,
        ChartKind::Heatmap,
    ];

    /// The id used in test hooks and saved dashboards.
    pub fn id(self) -> &'static str {
        match self {
            ChartKind::Table => "table",
            ChartKind::Bar => "bar",
            ChartKind::Hbar => "hbar",
            ChartKind::StackedBar => "stacked-bar",
            ChartKind::GroupedBar => "grouped-bar",
            ChartKind::Line => "line",
            ChartKind::Area => "area",
            ChartKind::Scatter => "scatter",
            ChartKind::Histogram => "histogram",
            ChartKind::Box => "box",
            ChartKind::Pie => "pie",
            ChartKind::Heatmap => "heatmap",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ChartKind::Table => "Table",
            ChartKind::Bar => "Bars",
            ChartKind::Hbar => "Horizontal bars",
            ChartKind::StackedBar => "Stacked bars",
            ChartKind::GroupedBar => "Grouped bars",
            ChartKind::Line => "Line",
            ChartKind::Area => "Area",
            ChartKind::Scatter => "Scatter",
            ChartKind::Histogram => "Histogram",
            ChartKind::Box => "Box plot",
            ChartKind::Pie => "Pie",
            ChartKind::Heatmap => "Heat map",
        }
    }

    pub fn from_id(id: &str) -> Option<ChartKind> {
        ChartKind::ALL.into_iter().find(|k| k.id() == id)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Agg {
    Sum,
    Avg,
    Count,
    CountDistinct,
    Min,
    Max,
}

impl Agg {
    pub const ALL: [Agg; 6] = [
        Agg::Sum,
        Agg::Avg,
        Agg::Count,
        Agg::CountDistinct,
        Agg::Min,
        Agg::Max,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Agg::Sum => "sum",
            Agg::Avg => "avg",
            Agg::Count => "count",
            Agg::CountDistinct => "count-distinct",
            Agg::Min => "min",
            Agg::Max => "max",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Agg::Sum => "sum",
            Agg::Avg => "average",
            Agg::Count => "count",
            Agg::CountDistinct => "count distinct",
            Agg::Min => "minimum",
            Agg::Max => "maximum",
        }
    }

    pub fn from_id(id: &str) -> Option<Agg> {
        Agg::ALL.into_iter().find(|a| a.id() == id)
    }

    /// The aggregate a field gets when first dropped on Measures.
    pub fn default_for(ty: ColumnType) -> Agg {
        if ty.is_numeric() {
            Agg::Sum
        } else {
            Agg::CountDistinct
        }
    }
}

/// A field on the Measures shelf with its aggregation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MeasureSpec {
    pub field: String,
    pub agg: Agg,
}

impl MeasureSpec {
    pub fn record_count() -> MeasureSpec {
        MeasureSpec {
            field: RECORD_COUNT.to_owned(),
            agg: Agg::Count,
        }
    }

    pub fn is_record_count(&self) -> bool {
        self.field == RECORD_COUNT
    }

    /// The SQL aggregate.
    pub fn sql(&self) -> String {
        if self.is_record_count() {
            return "COUNT(*)".to_owned();
        }
        let f = quote_ident(&self.field);
        match self.agg {
            Agg::Sum => format!("SUM({f})"),
            Agg::Avg => format!("AVG({f})"),
            Agg::Count => format!("COUNT({f})"),
            Agg::CountDistinct => format!("COUNT(DISTINCT {f})"),
            Agg::Min => format!("MIN({f})"),
            Agg::Max => format!("MAX({f})"),
        }
    }

    /// The axis or legend name: "sum of tenure", "Record Count".
    pub fn title(&self) -> String {
        if self.is_record_count() {
            RECORD_COUNT.to_owned()
        } else {
            format!("{} of {}", self.agg.label(), self.field)
        }
    }
}

/// What is on which shelf, and how to draw it. Missing fields read as
/// their defaults, so a spec can be written by hand.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ChartSpec {
    pub kind: ChartKind,
    pub dimensions: Vec<String>,
    pub measures: Vec<MeasureSpec>,
    /// The Colour/Split shelf.
    pub color: Option<String>,
    /// The Filters shelf, as the filter builder's tree.
    pub filter: FilterNode,
    /// Histogram bins.
    pub bins: usize,
    /// The user picked `kind`: keep it while it fits, rather than suggest one.
    pub kind_chosen: bool,
}

impl Default for ChartSpec {
    fn default() -> Self {
        ChartSpec {
            kind: ChartKind::Table,
            dimensions: Vec::new(),
            measures: Vec::new(),
            color: None,
            filter: FilterNode::empty(),
            bins: 20,
            kind_chosen: false,
        }
    }
}

/// Why a spec cannot be drawn.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ChartError {
    #[error("{0}")]
    Shelves(String),
    #[error("there is no field \"{0}\"")]
    MissingField(String),
    #[error("{0} needs a number field")]
    NotNumeric(String),
    #[error("{0}")]
    Query(#[from] SqlError),
}

pub(crate) fn field_type(table: &Table, name: &str) -> Result<ColumnType, ChartError> {
    table
        .column(name)
        .map(|c| c.column_type())
        .ok_or_else(|| ChartError::MissingField(name.to_owned()))
}

/// Whether a measure's values are numbers: counts always are; other
/// aggregates need a number field.
fn numeric_measure(table: &Table, m: &MeasureSpec) -> bool {
    m.is_record_count()
        || matches!(m.agg, Agg::Count | Agg::CountDistinct)
        || table
            .column(&m.field)
            .is_some_and(|c| c.column_type().is_numeric())
}

/// The visual types that fit what is on the shelves, in picker order.
pub fn fitting_kinds(spec: &ChartSpec, table: &Table) -> Vec<ChartKind> {
    let dims = spec.dimensions.len();
    let measures = spec.measures.len();
    let split = spec.color.is_some() || measures > 1;
    let numeric = spec.measures.iter().all(|m| numeric_measure(table, m));
    let raw_numeric = |m: &MeasureSpec| {
        !m.is_record_count()
            && table
                .column(&m.field)
                .is_some_and(|c| c.column_type().is_numeric())
    };
    let mut kinds = Vec::new();
    if dims + measures > 0 {
        kinds.push(ChartKind::Table);
    }
    if dims == 1 && measures >= 1 && numeric {
        kinds.extend([ChartKind::Bar, ChartKind::Hbar]);
        if split {
            kinds.extend([ChartKind::StackedBar, ChartKind::GroupedBar]);
        }
        kinds.extend([ChartKind::Line, ChartKind::Area]);
        if measures == 1 && spec.color.is_none() {
            kinds.push(ChartKind::Pie);
        }
    }
    if measures == 2 && dims <= 1 && spec.measures.iter().all(|m| numeric_measure(table, m)) {
        kinds.push(ChartKind::Scatter);
    }
    if dims == 0 && measures == 1 && raw_numeric(&spec.measures[0]) {
        kinds.push(ChartKind::Histogram);
    }
    if dims == 1 && measures == 1 && raw_numeric(&spec.measures[0]) {
        kinds.push(ChartKind::Box);
    }
    if dims == 2 && measures <= 1 && numeric {
        kinds.push(ChartKind::Heatmap);
    }
    kinds
}

/// The shelves a field can go on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shelf {
    Dimensions,
    Measures,
    Color,
    Filters,
}

impl Shelf {
    pub const ALL: [Shelf; 4] = [
        Shelf::Dimensions,
        Shelf::Measures,
        Shelf::Color,
        Shelf::Filters,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Shelf::Dimensions => "dimensions",
            Shelf::Measures => "measures",
            Shelf::Color => "color",
            Shelf::Filters => "filters",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Shelf::Dimensions => "Dimensions",
            Shelf::Measures => "Measures",
            Shelf::Color => "Colour / Split",
            Shelf::Filters => "Filters",
        }
    }

    pub fn from_id(id: &str) -> Option<Shelf> {
        Shelf::ALL.into_iter().find(|s| s.id() == id)
    }
}

/// `spec` with `field` put on `shelf`, then a fitting visual type.
pub fn add_to_shelf(spec: &ChartSpec, table: &Table, field: &str, shelf: Shelf) -> ChartSpec {
    let mut next = spec.clone();
    let record_count = field == RECORD_COUNT;
    match shelf {
        Shelf::Dimensions if !record_count && !next.dimensions.iter().any(|d| d == field) => {
            next.dimensions.push(field.to_owned());
        }
        Shelf::Measures => {
            let measure = if record_count {
                MeasureSpec::record_count()
            } else {
                let ty = table
                    .column(field)
                    .map_or(ColumnType::Text, |c| c.column_type());
                MeasureSpec {
                    field: field.to_owned(),
                    agg: Agg::default_for(ty),
                }
            };
            if !next.measures.contains(&measure) {
                next.measures.push(measure);
            }
        }
        Shelf::Color if !record_count => next.color = Some(field.to_owned()),
        Shelf::Filters if !record_count => {
            if let (Some(condition), FilterNode::Group { children, .. }) =
                (first_condition(table, field), &mut next.filter)
            {
                children.push(condition);
            }
        }
        _ => {}
    }
    fit_kind(&mut next, table);
    next
}

/// Keeps a visual type the user chose while it fits; otherwise suggests
/// the one that reads best: bars for one dimension, a heat map for two, a
/// scatter for two measures, a histogram for one number, else the table.
pub fn fit_kind(spec: &mut ChartSpec, table: &Table) {
    let fitting = fitting_kinds(spec, table);
    if spec.kind_chosen && fitting.contains(&spec.kind) {
        return;
    }
    spec.kind_chosen = false;
    let preferred = [
        ChartKind::Bar,
        ChartKind::Heatmap,
        ChartKind::Scatter,
        ChartKind::Histogram,
    ];
    spec.kind = preferred
        .into_iter()
        .find(|k| fitting.contains(k))
        .or(fitting.first().copied())
        .unwrap_or(ChartKind::Table);
}

/// A filter condition on `field` that is valid at once: equal to its first
/// label, or at least zero for numbers.
fn first_condition(table: &Table, field: &str) -> Option<FilterNode> {
    let column = table.column(field)?;
    let value = match &column.data {
        ColumnData::Categorical(_) => {
            let mut labels: Vec<&str> = column.data.categories()?.iter().flatten().collect();
            labels.sort();
            labels.first()?.to_string()
        }
        ColumnData::Boolean(_) => "true".to_owned(),
        _ if column.column_type().is_numeric() => "0".to_owned(),
        _ => String::new(),
    };
    let op = if column.column_type().is_numeric() {
        FilterOp::GtEq
    } else {
        FilterOp::Eq
    };
    Some(FilterNode::Condition(Condition {
        column: column.name.clone(),
        op,
        values: vec![value],
        negated: false,
    }))
}
