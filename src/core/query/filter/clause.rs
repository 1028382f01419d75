//! The WHERE clause in a query's text: where it is (by tokens, so the
//! rest of the query keeps its layout), reading and replacing it, and the
//! table and row counts the builder shows next to it.

use sqlparser::ast;
use sqlparser::dialect::GenericDialect;

use crate::query::engine::parse_select;

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
    let tokens = Tokenizer::new(&GenericDialect {}, sql)
        .tokenize_with_location()
        .ok()?;
    const ENDS: [&str; 9] = [
        "GROUP", "HAVING", "ORDER", "LIMIT", "OFFSET", "QUALIFY", "WINDOW", "UNION", "FETCH",
    ];
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
        Some(start) => WhereSpan {
            clause: Some(start..end),
            condition: Some(start + 5..end),
            insert_at: end,
        },
        None => WhereSpan {
            clause: None,
            condition: None,
            insert_at: end,
        },
    })
}

/// Queries counting the rows a SELECT reads and the rows its WHERE keeps:
/// `(total, kept)`, for the builder's live count.
pub fn count_queries(sql: &str) -> Option<(String, String)> {
    let query = parse_select(sql).ok()?;
    let ast::SetExpr::Select(select) = query.body.as_ref() else {
        return None;
    };
    let [from] = select.from.as_slice() else {
        return None;
    };
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
    let ast::SetExpr::Select(select) = query.body.as_ref() else {
        return None;
    };
    match &select.from.first()?.relation {
        ast::TableFactor::Table { name, .. } => name.0.last()?.as_ident().map(|i| i.value.clone()),
        _ => None,
    }
}

/// The WHERE condition of `sql`, as written.
pub fn where_text(sql: &str) -> Option<String> {
    let span = where_span(sql)?;
    Some(
        span.condition
            .map(|r| sql[r].trim().to_owned())
            .unwrap_or_default(),
    )
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
        Some(range) => format!(
            "{}WHERE {condition}{}",
            &sql[..range.start],
            &sql[range.end..]
        ),
        None if condition.is_empty() => sql.to_owned(),
        None => format!(
            "{} WHERE {condition}{}",
            &sql[..span.insert_at],
            &sql[span.insert_at..]
        ),
    })
}
