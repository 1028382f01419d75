//! The visual filter builder's model, and its two-way link with the SQL
//! WHERE clause: a tree of conditions grouped with AND/OR (each group or
//! condition may be negated) that writes SQL, and is read back from SQL
//! when the clause has that shape.

use serde::{Deserialize, Serialize};
use sqlparser::ast::{self, BinaryOperator, UnaryOperator, Value};
use sqlparser::dialect::GenericDialect;
use sqlparser::parser::Parser;

use crate::data::table::{ColumnType, Table};
use crate::query::engine::parse_select;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Join {
    And,
    Or,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FilterOp {
    Eq,
    NotEq,
    Lt,
    LtEq,
    Gt,
    GtEq,
    Between,
    In,
    NotIn,
    Like,
    IsNull,
    IsNotNull,
}

impl FilterOp {
    pub const ALL: [FilterOp; 12] = [
        FilterOp::Eq,
        FilterOp::NotEq,
        FilterOp::Lt,
        FilterOp::LtEq,
        FilterOp::Gt,
        FilterOp::GtEq,
        FilterOp::Between,
        FilterOp::In,
        FilterOp::NotIn,
        FilterOp::Like,
        FilterOp::IsNull,
        FilterOp::IsNotNull,
    ];

    /// What the operator is called in SQL (and in the builder's menu).
    pub fn label(self) -> &'static str {
        match self {
            FilterOp::Eq => "=",
            FilterOp::NotEq => "<>",
            FilterOp::Lt => "<",
            FilterOp::LtEq => "<=",
            FilterOp::Gt => ">",
            FilterOp::GtEq => ">=",
            FilterOp::Between => "between",
            FilterOp::In => "in",
            FilterOp::NotIn => "not in",
            FilterOp::Like => "like",
            FilterOp::IsNull => "is null",
            FilterOp::IsNotNull => "is not null",
        }
    }

    pub fn parse(label: &str) -> Option<FilterOp> {
        FilterOp::ALL.into_iter().find(|o| o.label() == label)
    }

    /// Operators that make sense for a column of this type.
    pub fn for_type(ty: ColumnType) -> Vec<FilterOp> {
        use FilterOp::*;
        match ty {
            ColumnType::Integer | ColumnType::Float => vec![Eq, NotEq, Lt, LtEq, Gt, GtEq, Between, In, NotIn, IsNull, IsNotNull],
            ColumnType::Categorical | ColumnType::Text => vec![Eq, NotEq, In, NotIn, Like, IsNull, IsNotNull],
            ColumnType::Boolean => vec![Eq, NotEq, IsNull, IsNotNull],
        }
    }

    /// How many values the operator takes (`None`: one or more).
    pub fn arity(self) -> Option<usize> {
        match self {
            FilterOp::IsNull | FilterOp::IsNotNull => Some(0),
            FilterOp::Between => Some(2),
            FilterOp::In | FilterOp::NotIn => None,
            _ => Some(1),
        }
    }
}

/// One `column op value(s)` test.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Condition {
    pub column: String,
    pub op: FilterOp,
    /// Values as the user typed or picked them; numbers are written bare.
    pub values: Vec<String>,
    pub negated: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum FilterNode {
    Condition(Condition),
    Group { join: Join, negated: bool, children: Vec<FilterNode> },
}

impl FilterNode {
    pub fn empty() -> FilterNode {
        FilterNode::Group { join: Join::And, negated: false, children: Vec::new() }
    }

    pub fn is_empty(&self) -> bool {
        matches!(self, FilterNode::Group { children, .. } if children.iter().all(FilterNode::is_empty))
    }
}

/// A column name as SQL: bare when it is a plain word, quoted otherwise.
pub fn quote_ident(name: &str) -> String {
    let plain = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if plain {
        name.to_owned()
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}

fn quote_text(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

fn literal(value: &str, numeric: bool) -> String {
    if numeric && value.trim().parse::<f64>().is_ok() {
        value.trim().to_owned()
    } else if matches!(value, "true" | "false") && !numeric {
        value.to_owned()
    } else {
        quote_text(value)
    }
}

/// The SQL for a condition; `numeric` says whether values are numbers.
fn condition_sql(c: &Condition, numeric: bool, boolean: bool) -> String {
    let col = quote_ident(&c.column);
    let v = |i: usize| {
        let raw = c.values.get(i).map(String::as_str).unwrap_or("");
        if boolean && matches!(raw, "true" | "false") {
            raw.to_owned()
        } else {
            literal(raw, numeric)
        }
    };
    let sql = match c.op {
        FilterOp::IsNull => format!("{col} IS NULL"),
        FilterOp::IsNotNull => format!("{col} IS NOT NULL"),
        FilterOp::Between => format!("{col} BETWEEN {} AND {}", v(0), v(1)),
        FilterOp::In | FilterOp::NotIn => {
            let list: Vec<String> = (0..c.values.len().max(1)).map(v).collect();
            format!("{col} {} ({})", if c.op == FilterOp::In { "IN" } else { "NOT IN" }, list.join(", "))
        }
        FilterOp::Like => format!("{col} LIKE {}", quote_text(c.values.first().map(String::as_str).unwrap_or(""))),
        op => format!("{col} {} {}", op.label(), v(0)),
    };
    if c.negated {
        format!("NOT ({sql})")
    } else {
        sql
    }
}

/// The WHERE clause for `node` (empty when there is nothing to filter).
/// `type_of` gives a column's type, to write numbers bare and text quoted.
pub fn to_sql(node: &FilterNode, type_of: &dyn Fn(&str) -> Option<ColumnType>) -> String {
    fn go(node: &FilterNode, type_of: &dyn Fn(&str) -> Option<ColumnType>, nested: bool) -> String {
        match node {
            FilterNode::Condition(c) if !is_complete(c) => String::new(),
            FilterNode::Condition(c) => {
                let ty = type_of(&c.column);
                condition_sql(c, ty.is_some_and(ColumnType::is_numeric), ty == Some(ColumnType::Boolean))
            }
            FilterNode::Group { join, negated, children } => {
                let parts: Vec<String> =
                    children.iter().filter(|c| !c.is_empty()).map(|c| go(c, type_of, true)).filter(|p| !p.is_empty()).collect();
                if parts.is_empty() {
                    return String::new();
                }
                let sep = if *join == Join::And { " AND " } else { " OR " };
                let body = parts.join(sep);
                if *negated {
                    format!("NOT ({body})")
                } else if nested && parts.len() > 1 {
                    format!("({body})")
                } else {
                    body
                }
            }
        }
    }
    go(node, type_of, false)
}

/// Why a WHERE clause cannot be shown in the builder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotRepresentable(pub String);

fn value_text(e: &ast::Expr) -> Option<String> {
    match e {
        ast::Expr::Value(v) => match &v.value {
            Value::Number(n, _) => Some(n.clone()),
            Value::SingleQuotedString(s) | Value::DoubleQuotedString(s) => Some(s.clone()),
            Value::Boolean(b) => Some(b.to_string()),
            _ => None,
        },
        ast::Expr::UnaryOp { op: UnaryOperator::Minus, expr } => value_text(expr).map(|v| format!("-{v}")),
        // The workshop's "1": a quoted word that is not a column is a value.
        ast::Expr::Identifier(i) if i.quote_style == Some('"') => Some(i.value.clone()),
        _ => None,
    }
}

fn column_name(e: &ast::Expr, columns: &[String]) -> Option<String> {
    let name = match e {
        ast::Expr::Identifier(i) => &i.value,
        ast::Expr::CompoundIdentifier(parts) => &parts.last()?.value,
        _ => return None,
    };
    columns.iter().find(|c| c.eq_ignore_ascii_case(name)).cloned()
}

fn flip(op: FilterOp) -> FilterOp {
    match op {
        FilterOp::Lt => FilterOp::Gt,
        FilterOp::LtEq => FilterOp::GtEq,
        FilterOp::Gt => FilterOp::Lt,
        FilterOp::GtEq => FilterOp::LtEq,
        other => other,
    }
}

fn from_expr(e: &ast::Expr, columns: &[String]) -> Result<FilterNode, NotRepresentable> {
    let no = |why: &str| Err(NotRepresentable(why.to_owned()));
    match e {
        ast::Expr::Nested(inner) => from_expr(inner, columns),
        ast::Expr::BinaryOp { left, op: op @ (BinaryOperator::And | BinaryOperator::Or), right } => {
            let join = if *op == BinaryOperator::And { Join::And } else { Join::Or };
            let mut children = Vec::new();
            for side in [left, right] {
                match from_expr(side, columns)? {
                    // a AND b AND c arrives as (a AND b) AND c: flatten it.
                    FilterNode::Group { join: j, negated: false, children: c } if j == join && !matches!(side.as_ref(), ast::Expr::Nested(_)) => {
                        children.extend(c)
                    }
                    other => children.push(other),
                }
            }
            Ok(FilterNode::Group { join, negated: false, children })
        }
        ast::Expr::UnaryOp { op: UnaryOperator::Not, expr } => match from_expr(expr, columns)? {
            FilterNode::Group { join, negated, children } => Ok(FilterNode::Group { join, negated: !negated, children }),
            FilterNode::Condition(mut c) => {
                c.negated = !c.negated;
                Ok(FilterNode::Condition(c))
            }
        },
        ast::Expr::BinaryOp { left, op, right } => {
            let op = match op {
                BinaryOperator::Eq => FilterOp::Eq,
                BinaryOperator::NotEq => FilterOp::NotEq,
                BinaryOperator::Lt => FilterOp::Lt,
                BinaryOperator::LtEq => FilterOp::LtEq,
                BinaryOperator::Gt => FilterOp::Gt,
                BinaryOperator::GtEq => FilterOp::GtEq,
                _ => return no("only comparisons, AND, OR and NOT fit the builder"),
            };
            let (column, value, op) = match (column_name(left, columns), value_text(right)) {
                (Some(c), Some(v)) => (c, v, op),
                _ => match (column_name(right, columns), value_text(left)) {
                    (Some(c), Some(v)) => (c, v, flip(op)),
                    _ => return no("the builder compares a column with a value"),
                },
            };
            Ok(FilterNode::Condition(Condition { column, op, values: vec![value], negated: false }))
        }
        ast::Expr::IsNull(inner) | ast::Expr::IsNotNull(inner) => {
            let column = column_name(inner, columns).ok_or_else(|| NotRepresentable("IS NULL needs a column".into()))?;
            let op = if matches!(e, ast::Expr::IsNull(_)) { FilterOp::IsNull } else { FilterOp::IsNotNull };
            Ok(FilterNode::Condition(Condition { column, op, values: Vec::new(), negated: false }))
        }
        ast::Expr::Between { expr, negated, low, high } => {
            let column = column_name(expr, columns).ok_or_else(|| NotRepresentable("BETWEEN needs a column".into()))?;
            let values = vec![
                value_text(low).ok_or_else(|| NotRepresentable("BETWEEN needs values".into()))?,
                value_text(high).ok_or_else(|| NotRepresentable("BETWEEN needs values".into()))?,
            ];
            Ok(FilterNode::Condition(Condition { column, op: FilterOp::Between, values, negated: *negated }))
        }
        ast::Expr::In { expr, target: ast::InTarget::List(list), negated, .. } => {
            let column = column_name(expr, columns).ok_or_else(|| NotRepresentable("IN needs a column".into()))?;
            let values = list.iter().map(value_text).collect::<Option<Vec<_>>>().ok_or_else(|| NotRepresentable("IN needs a list of values".into()))?;
            let op = if *negated { FilterOp::NotIn } else { FilterOp::In };
            Ok(FilterNode::Condition(Condition { column, op, values, negated: false }))
        }
        ast::Expr::Like { negated, expr, pattern, escape_char: None, any: false } => {
            let column = column_name(expr, columns).ok_or_else(|| NotRepresentable("LIKE needs a column".into()))?;
            let value = value_text(pattern).ok_or_else(|| NotRepresentable("LIKE needs a pattern".into()))?;
            Ok(FilterNode::Condition(Condition { column, op: FilterOp::Like, values: vec![value], negated: *negated }))
        }
        _ => no("this condition can be edited only as SQL"),
    }
}

/// The builder's tree for a WHERE clause, when it has the builder's shape.
pub fn from_sql(clause: &str, columns: &[String]) -> Result<FilterNode, NotRepresentable> {
    if clause.trim().is_empty() {
        return Ok(FilterNode::empty());
    }
    let expr = Parser::new(&GenericDialect {})
        .try_with_sql(clause)
        .and_then(|mut p| p.parse_expr())
        .map_err(|_| NotRepresentable("the WHERE clause does not parse".into()))?;
    match from_expr(&expr, columns)? {
        group @ FilterNode::Group { .. } => Ok(group),
        condition => Ok(FilterNode::Group { join: Join::And, negated: false, children: vec![condition] }),
    }
}

/// Where a query's WHERE clause is, as byte ranges of the SQL text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WhereSpan {
    /// The whole `WHERE …` (keyword included), when there is one.
    pub clause: Option<std::ops::Range<usize>>,
    /// Just the condition.
    pub condition: Option<std::ops::Range<usize>>,
    /// Where a new WHERE would go (after FROM) when there is none.
    pub insert_at: usize,
}

fn offset_of(sql: &str, loc: sqlparser::tokenizer::Location) -> Option<usize> {
    if loc.line == 0 {
        return None;
    }
    let mut line = 1;
    let mut col = 1;
    for (i, ch) in sql.char_indices() {
        if line == loc.line && col == loc.column {
            return Some(i);
        }
        if ch == '\n' {
            line += 1;
            col = 1;
        } else {
            col += 1;
        }
    }
    (line == loc.line && col == loc.column).then_some(sql.len())
}

/// Finds the WHERE clause of the outer SELECT from its tokens: it runs from
/// the top-level WHERE to the next top-level clause (GROUP BY, ORDER BY, …).
/// Returns `None` when the text is not a single SELECT … FROM.
pub fn where_span(sql: &str) -> Option<WhereSpan> {
    use sqlparser::tokenizer::{Token, Tokenizer};
    let query = parse_select(sql).ok()?;
    if !matches!(query.body.as_ref(), ast::SetExpr::Select(s) if !s.from.is_empty()) {
        return None;
    }
    let tokens = Tokenizer::new(&GenericDialect {}, sql).tokenize_with_location().ok()?;
    const ENDS: [&str; 9] = ["GROUP", "HAVING", "ORDER", "LIMIT", "OFFSET", "QUALIFY", "WINDOW", "UNION", "FETCH"];
    let mut depth = 0i32;
    let (mut where_at, mut from_seen) = (None, false);
    let mut clause_end = None;
    let mut last_end = 0;
    for t in &tokens {
        match &t.token {
            Token::LParen => depth += 1,
            Token::RParen => depth -= 1,
            Token::Word(w) if depth == 0 => {
                let word = w.value.to_ascii_uppercase();
                if word == "FROM" {
                    from_seen = true;
                } else if word == "WHERE" && from_seen {
                    where_at = Some(offset_of(sql, t.span.start)?);
                } else if from_seen && ENDS.contains(&word.as_str()) && w.quote_style.is_none() {
                    clause_end = Some(offset_of(sql, t.span.start)?);
                    break;
                }
            }
            Token::SemiColon if depth == 0 => {
                clause_end = Some(offset_of(sql, t.span.start)?);
                break;
            }
            _ => {}
        }
        if !matches!(t.token, Token::Whitespace(_)) {
            last_end = offset_of(sql, t.span.end)?;
        }
    }
    // The clause ends before the whitespace that precedes the next clause.
    let end = clause_end.map_or(last_end, |e| e.min(sql.len()));
    let end = sql[..end].trim_end().len();
    Some(match where_at {
        Some(start) => WhereSpan { clause: Some(start..end), condition: Some(start + 5..end), insert_at: end },
        None => WhereSpan { clause: None, condition: None, insert_at: end },
    })
}

/// Queries counting the rows a SELECT reads and the rows its WHERE keeps:
/// `(total, kept)`, for the builder's live count.
pub fn count_queries(sql: &str) -> Option<(String, String)> {
    let query = parse_select(sql).ok()?;
    let ast::SetExpr::Select(select) = query.body.as_ref() else { return None };
    let [from] = select.from.as_slice() else { return None };
    let total = format!("SELECT COUNT(*) FROM {}", from.relation);
    let kept = match &select.selection {
        Some(w) => format!("{total} WHERE {w}"),
        None => total.clone(),
    };
    Some((total, kept))
}

/// The table a SELECT reads, when it names one.
pub fn from_table(sql: &str) -> Option<String> {
    let query = parse_select(sql).ok()?;
    let ast::SetExpr::Select(select) = query.body.as_ref() else { return None };
    match &select.from.first()?.relation {
        ast::TableFactor::Table { name, .. } => name.0.last()?.as_ident().map(|i| i.value.clone()),
        _ => None,
    }
}

/// Whether a condition has every value its operator needs.
pub fn is_complete(c: &Condition) -> bool {
    let filled = c.values.iter().filter(|v| !v.trim().is_empty()).count();
    match c.op.arity() {
        Some(n) => filled >= n,
        None => filled >= 1,
    }
}

/// The WHERE condition of `sql`, as written.
pub fn where_text(sql: &str) -> Option<String> {
    let span = where_span(sql)?;
    Some(span.condition.map(|r| sql[r].trim().to_owned()).unwrap_or_default())
}

/// `sql` with its WHERE clause replaced by `condition` (removed when empty).
pub fn replace_where(sql: &str, condition: &str) -> Option<String> {
    let span = where_span(sql)?;
    let condition = condition.trim();
    Some(match span.clause {
        Some(range) if condition.is_empty() => {
            let before = sql[..range.start].trim_end();
            format!("{before}{}", &sql[range.end..])
        }
        Some(range) => format!("{}WHERE {condition}{}", &sql[..range.start], &sql[range.end..]),
        None if condition.is_empty() => sql.to_owned(),
        None => format!("{} WHERE {condition}{}", &sql[..span.insert_at], &sql[span.insert_at..]),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn columns() -> Vec<String> {
        ["Contract", "tenure", "SeniorCitizen", "PaymentMethod", "Monthly Charges"].iter().map(|s| s.to_string()).collect()
    }

    fn type_of(name: &str) -> Option<ColumnType> {
        match name {
            "tenure" | "SeniorCitizen" | "Monthly Charges" => Some(ColumnType::Integer),
            _ => Some(ColumnType::Categorical),
        }
    }

    fn cond(column: &str, op: FilterOp, values: &[&str]) -> FilterNode {
        FilterNode::Condition(Condition { column: column.into(), op, values: values.iter().map(|v| v.to_string()).collect(), negated: false })
    }

    #[test]
    fn writes_sql_for_nested_groups() {
        let tree = FilterNode::Group {
            join: Join::And,
            negated: false,
            children: vec![
                cond("Contract", FilterOp::Eq, &["Month-to-month"]),
                FilterNode::Group {
                    join: Join::Or,
                    negated: true,
                    children: vec![cond("tenure", FilterOp::Lt, &["12"]), cond("PaymentMethod", FilterOp::In, &["Mailed check", "O'Brien"])],
                },
                cond("Monthly Charges", FilterOp::Between, &["20", "70"]),
            ],
        };
        assert_eq!(
            to_sql(&tree, &type_of),
            "Contract = 'Month-to-month' AND NOT (tenure < 12 OR PaymentMethod IN ('Mailed check', 'O''Brien')) AND \"Monthly Charges\" BETWEEN 20 AND 70"
        );
    }

    #[test]
    fn reads_back_what_it_writes() {
        let sql = "Contract = 'Month-to-month' AND NOT (tenure < 12 OR PaymentMethod IN ('Mailed check', 'x')) AND \"Monthly Charges\" BETWEEN 20 AND 70";
        let tree = from_sql(sql, &columns()).unwrap();
        assert_eq!(to_sql(&tree, &type_of), sql);
    }

    #[test]
    fn reads_workshop_and_flipped_conditions() {
        let tree = from_sql("seniorcitizen = \"1\"", &columns()).unwrap();
        assert_eq!(tree, FilterNode::Group { join: Join::And, negated: false, children: vec![cond("SeniorCitizen", FilterOp::Eq, &["1"])] });
        let tree = from_sql("12 > tenure", &columns()).unwrap();
        assert_eq!(to_sql(&tree, &type_of), "tenure < 12");
        assert_eq!(to_sql(&from_sql("tenure IS NOT NULL AND Contract LIKE 'M%'", &columns()).unwrap(), &type_of), "tenure IS NOT NULL AND Contract LIKE 'M%'");
    }

    #[test]
    fn says_when_a_clause_does_not_fit() {
        assert!(from_sql("tenure * 2 > 10", &columns()).is_err());
        assert!(from_sql("tenure > MonthlyCharges", &columns()).is_err());
        assert!(from_sql("nosuch = 1", &columns()).is_err());
        assert!(from_sql("tenure >", &columns()).is_err());
        assert_eq!(from_sql("  ", &columns()), Ok(FilterNode::empty()));
    }

    #[test]
    fn incomplete_conditions_write_nothing() {
        let tree = FilterNode::Group {
            join: Join::Or,
            negated: false,
            children: vec![cond("tenure", FilterOp::Between, &["1", ""]), cond("Contract", FilterOp::Eq, &["x"])],
        };
        assert_eq!(to_sql(&tree, &type_of), "Contract = 'x'");
    }

    #[test]
    fn counts_what_the_where_keeps() {
        let (total, kept) = count_queries("SELECT a, COUNT(*) FROM churn WHERE tenure > 3 GROUP BY a").unwrap();
        assert_eq!(total, "SELECT COUNT(*) FROM churn");
        assert_eq!(kept, "SELECT COUNT(*) FROM churn WHERE tenure > 3");
        assert_eq!(from_table("SELECT * FROM default.churn t").as_deref(), Some("churn"));
    }

    #[test]
    fn finds_and_replaces_the_where_clause() {
        let sql = "SELECT *\nFROM churn\nWHERE (tenure > 3) AND Contract = 'x'\nORDER BY 1";
        assert_eq!(where_text(sql).as_deref(), Some("(tenure > 3) AND Contract = 'x'"));
        assert_eq!(replace_where(sql, "tenure < 5").unwrap(), "SELECT *\nFROM churn\nWHERE tenure < 5\nORDER BY 1");
        assert_eq!(replace_where(sql, "").unwrap(), "SELECT *\nFROM churn\nORDER BY 1");
        let plain = "SELECT * FROM churn ORDER BY tenure";
        assert_eq!(replace_where(plain, "tenure > 1").unwrap(), "SELECT * FROM churn WHERE tenure > 1 ORDER BY tenure");
        assert_eq!(where_text("SELECT * FROM churn WHERE (a = 1)").as_deref(), Some("(a = 1)"));
        assert_eq!(where_text("SELEC"), None);
    }
}

/// The rows of `table` a filter tree keeps, in order (all rows for an
/// empty tree), evaluated by the query engine so a filter means here what
/// it means on the SQL page.
pub fn matching_rows(table: &Table, tree: &FilterNode) -> Result<Vec<usize>, crate::query::SqlError> {
    let type_of = |name: &str| table.column(name).map(|c| c.column_type());
    let condition = to_sql(tree, &type_of);
    if condition.is_empty() {
        return Ok((0..table.num_rows()).collect());
    }
    const ROW: &str = "__churnlab_row";
    let mut columns: Vec<crate::data::table::Column> = table.columns().to_vec();
    let numbers: arrow_array::Int64Array = (0..table.num_rows() as i64).collect();
    columns.push(crate::data::table::Column::new(ROW, crate::data::table::ColumnData::Integer(numbers)));
    let with_rows = Table::try_new(table.name(), columns).map_err(|e| crate::query::SqlError::new(e.to_string()))?;
    let result = crate::query::run_sql(&format!("SELECT {ROW} FROM data WHERE {condition}"), &crate::query::Catalog::new().with("data", &with_rows))?;
    let rows = result.columns().first().map(|c| (0..c.data.len()).filter_map(|r| c.data.number(r)).map(|v| v as usize).collect()).unwrap_or_default();
    Ok(rows)
}

#[cfg(test)]
mod matching_tests {
    use super::*;

    #[test]
    fn a_filter_tree_selects_rows_as_sql_does() {
        let t = crate::data::synth::generate(500, 2);
        assert_eq!(matching_rows(&t, &FilterNode::empty()).unwrap().len(), 500);
        let names: Vec<String> = t.columns().iter().map(|c| c.name.clone()).collect();
        let tree = from_sql("Contract = 'Two year' AND tenure > 24", &names).unwrap();
        let rows = matching_rows(&t, &tree).unwrap();
        let contract = &t.column("Contract").unwrap().data;
        let tenure = &t.column("tenure").unwrap().data;
        let want: Vec<usize> = (0..500).filter(|&r| contract.str_value(r) == Some("Two year") && tenure.number(r).is_some_and(|v| v > 24.0)).collect();
        assert!(!want.is_empty());
        assert_eq!(rows, want);
    }
}
