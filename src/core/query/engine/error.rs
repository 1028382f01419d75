//! Query errors that say what went wrong and where (line and column), with
//! the closest column names when a name is unknown.

use std::fmt;

/// A position in the SQL text, 1-based, as the editor shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Position {
    pub line: u64,
    pub column: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SqlError {
    pub message: String,
    pub position: Option<Position>,
    /// Names the user may have meant (for an unknown column or table).
    pub suggestions: Vec<String>,
}

impl SqlError {
    pub fn new(message: impl Into<String>) -> SqlError {
        SqlError {
            message: message.into(),
            position: None,
            suggestions: Vec::new(),
        }
    }

    pub fn at(message: impl Into<String>, position: Option<Position>) -> SqlError {
        SqlError {
            message: message.into(),
            position,
            suggestions: Vec::new(),
        }
    }

    pub fn with_suggestions(mut self, suggestions: Vec<String>) -> SqlError {
        self.suggestions = suggestions;
        self
    }

    /// From a sqlparser error, whose text ends with "at Line: L, Column: C".
    pub fn from_parser(error: &sqlparser::parser::ParserError) -> SqlError {
        let text = match error {
            sqlparser::parser::ParserError::TokenizerError(t)
            | sqlparser::parser::ParserError::ParserError(t) => t.clone(),
            sqlparser::parser::ParserError::RecursionLimitExceeded => {
                "the query is nested too deeply".to_owned()
            }
        };
        let (message, position) = match text.rfind(" at Line: ") {
            Some(i) => (
                text[..i].to_owned(),
                parse_position(&text[i + " at Line: ".len()..]),
            ),
            None => (text, None),
        };
        SqlError::at(friendly(&message), position)
    }
}

fn parse_position(s: &str) -> Option<Position> {
    let (line, rest) = s.split_once(", Column: ")?;
    let column: String = rest.chars().take_while(char::is_ascii_digit).collect();
    Some(Position {
        line: line.trim().parse().ok()?,
        column: column.parse().ok()?,
    })
}

/// sqlparser's "Expected: X, found: Y" reads better as "expected X but found Y".
fn friendly(message: &str) -> String {
    let m = message.trim();
    match m
        .strip_prefix("Expected: ")
        .or_else(|| m.strip_prefix("Expected "))
    {
        Some(rest) => match rest.split_once(", found: ") {
            Some((expected, found)) => format!("expected {expected} but found \"{found}\""),
            None => format!("expected {rest}"),
        },
        None => m.to_owned(),
    }
}

impl fmt::Display for SqlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(p) = self.position {
            write!(f, "Line {}, column {}: ", p.line, p.column)?;
        }
        f.write_str(&self.message)?;
        if !self.suggestions.is_empty() {
            let quoted: Vec<String> = self
                .suggestions
                .iter()
                .map(|s| format!("\"{s}\""))
                .collect();
            write!(f, ". Did you mean {}?", quoted.join(" or "))?;
        }
        Ok(())
    }
}

impl std::error::Error for SqlError {}

/// Edit distance between two strings, ignoring letter case.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Up to three candidates closest to `name`: near in spelling, or containing it.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let lower = name.to_lowercase();
    let mut scored: Vec<(usize, &str)> = candidates
        .into_iter()
        .filter_map(|c| {
            let d = distance(name, c);
            let contains = lower.len() >= 3
                && (c.to_lowercase().contains(&lower) || lower.contains(&c.to_lowercase()));
            (d <= (name.chars().count() / 3).max(1) || contains)
                .then_some((if contains { d.min(1) } else { d }, c))
        })
        .collect();
    scored.sort();
    scored
        .into_iter()
        .take(3)
        .map(|(_, c)| c.to_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_near_names() {
        let names = ["tenure", "TotalCharges", "MonthlyCharges", "Contract"];
        assert_eq!(closest("tenur", names), vec!["tenure"]);
        assert_eq!(closest("tenur", ["tenure", "gender"]), vec!["tenure"]);
        assert_eq!(closest("totalcharge", names), vec!["TotalCharges"]);
        assert_eq!(
            closest("charges", names),
            vec!["MonthlyCharges", "TotalCharges"]
        );
        assert!(closest("zzzzzz", names).is_empty());
    }

    #[test]
    fn reads_parser_positions() {
        let e = sqlparser::parser::ParserError::ParserError(
            "Expected: an SQL statement, found: SELEC at Line: 2, Column: 5".into(),
        );
        let s = SqlError::from_parser(&e);
        assert_eq!(s.position, Some(Position { line: 2, column: 5 }));
        assert_eq!(
            s.to_string(),
            "Line 2, column 5: expected an SQL statement but found \"SELEC\""
        );
    }

    #[test]
    fn errors_travel_as_json_unchanged() {
        let e = SqlError::at(
            "unknown column \"tenur\"",
            Some(Position { line: 3, column: 8 }),
        )
        .with_suggestions(vec!["tenure".into()]);
        let text = serde_json::to_string(&e).unwrap();
        assert_eq!(serde_json::from_str::<SqlError>(&text).unwrap(), e);
        assert!(serde_json::from_str::<SqlError>(r#"{"position":null,"suggestions":[]}"#).is_err());
    }
}
