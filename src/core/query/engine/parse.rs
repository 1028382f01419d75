//! One SELECT parsed, and nothing else. The app runs only queries, so it
//! asks sqlparser for a query rather than for any statement: the grammar of
//! every other statement (CREATE, INSERT, ALTER, …) is then never called,
//! and the build leaves it out of the wasm. Also here, shared by the engine
//! and the export: the name a result column takes from its expression, and
//! the arguments of a function call.

use sqlparser::ast::{self, Query};
use sqlparser::dialect::GenericDialect;
use sqlparser::keywords::Keyword;
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::Token;

use super::error::SqlError;

/// Words that begin a statement the app does not run, named in the error.
const OTHER_STATEMENTS: [&str; 24] = [
    "ALTER",
    "ANALYZE",
    "ATTACH",
    "CALL",
    "COPY",
    "CREATE",
    "DEALLOCATE",
    "DELETE",
    "DESCRIBE",
    "DETACH",
    "DROP",
    "EXECUTE",
    "EXPLAIN",
    "GRANT",
    "INSERT",
    "MERGE",
    "PRAGMA",
    "PREPARE",
    "REPLACE",
    "REVOKE",
    "SET",
    "SHOW",
    "TRUNCATE",
    "UPDATE",
];

/// The one query in `sql` (semicolons around it allowed), or an error that
/// says what is wrong and where: empty text, another kind of statement, two
/// statements, or the parser's own message.
pub fn parse_select(sql: &str) -> Result<Box<Query>, SqlError> {
    let mut parser = Parser::new(&GenericDialect {})
        .try_with_sql(sql)
        .map_err(|e| SqlError::from_parser(&e))?;
    while parser.consume_token(&Token::SemiColon) {}
    let first = parser.peek_token();
    match &first.token {
        Token::EOF => return Err(SqlError::new("the query is empty; write a SELECT")),
        Token::LParen => {}
        Token::Word(w)
            if matches!(
                w.keyword,
                Keyword::SELECT | Keyword::WITH | Keyword::VALUES | Keyword::FROM
            ) => {}
        Token::Word(w)
            if w.quote_style.is_none()
                && OTHER_STATEMENTS.contains(&w.value.to_ascii_uppercase().as_str()) =>
        {
            return Err(SqlError::new(format!(
                "only SELECT queries run here; {} is not supported",
                w.value.to_ascii_uppercase()
            )));
        }
        _ => {
            return Err(SqlError::from_parser(&expected(
                &parser,
                "an SQL statement",
                first,
            )))
        }
    }
    let query = parser
        .parse_query()
        .map_err(|e| SqlError::from_parser(&e))?;
    let mut separated = false;
    while parser.consume_token(&Token::SemiColon) {
        separated = true;
    }
    match parser.peek_token() {
        t if t.token == Token::EOF => Ok(query),
        _ if separated => Err(SqlError::new("run one query at a time")),
        t => Err(SqlError::from_parser(&expected(
            &parser,
            "end of statement",
            t,
        ))),
    }
}

fn expected(
    parser: &Parser<'_>,
    what: &str,
    found: sqlparser::tokenizer::TokenWithSpan,
) -> ParserError {
    match parser.expected::<()>(what, found) {
        Err(e) => e,
        Ok(()) => ParserError::ParserError(format!("Expected: {what}")),
    }
}

/// The name a result column gets for an unnamed select item: a column's
/// own spelling (`spelled` finds it), else the expression as written.
pub fn result_name(e: &ast::Expr, spelled: &dyn Fn(&str) -> Option<String>) -> String {
    match e {
        ast::Expr::Identifier(i) => spelled(&i.value).unwrap_or_else(|| i.value.clone()),
        ast::Expr::CompoundIdentifier(parts) => {
            let last = parts.last().map(|i| i.value.clone()).unwrap_or_default();
            spelled(&last).unwrap_or(last)
        }
        other => other.to_string(),
    }
}

/// A function call's arguments: plain expressions, whether DISTINCT was
/// written, whether `*` was, and whether clauses (ORDER BY, LIMIT, …) follow.
pub struct CallArgs<'a> {
    pub args: Vec<&'a ast::Expr>,
    pub distinct: bool,
    pub star: bool,
    pub clauses: bool,
}

/// Why a call's arguments were not read.
#[derive(Debug, PartialEq)]
pub enum CallArgsError {
    /// `f(SELECT …)`.
    Subquery,
    /// A named argument or a qualified wildcard.
    Unsupported,
}

/// The arguments of the call `f`.
pub fn call_args(f: &ast::Function) -> Result<CallArgs<'_>, CallArgsError> {
    let list = match &f.args {
        ast::FunctionArguments::None => {
            return Ok(CallArgs {
                args: Vec::new(),
                distinct: false,
                star: false,
                clauses: false,
            })
        }
        ast::FunctionArguments::Subquery(_) => return Err(CallArgsError::Subquery),
        ast::FunctionArguments::List(list) => list,
    };
    let mut out = CallArgs {
        args: Vec::new(),
        distinct: matches!(
            list.duplicate_treatment,
            Some(ast::DuplicateTreatment::Distinct)
        ),
        star: false,
        clauses: !list.clauses.is_empty(),
    };
    for a in &list.args {
        match a {
            ast::FunctionArg::Unnamed(ast::FunctionArgExpr::Expr(e)) => out.args.push(e),
            ast::FunctionArg::Unnamed(ast::FunctionArgExpr::Wildcard) => out.star = true,
            _ => return Err(CallArgsError::Unsupported),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_one_query_is_taken() {
        assert!(parse_select("SELECT 1").is_ok());
        assert!(parse_select(";; WITH t AS (SELECT 1) SELECT * FROM t;").is_ok());
        assert!(parse_select("(SELECT 1)").is_ok());
        assert_eq!(
            parse_select("  ").unwrap_err().message,
            "the query is empty; write a SELECT"
        );
        assert_eq!(
            parse_select("delete from churn").unwrap_err().message,
            "only SELECT queries run here; DELETE is not supported"
        );
        assert_eq!(
            parse_select("SELECT 1; SELECT 2").unwrap_err().message,
            "run one query at a time"
        );
        let e = parse_select("SELECT 1 garbage x").unwrap_err();
        assert!(
            e.message.contains("end of statement") && e.message.contains('x'),
            "{e}"
        );
        let e = parse_select("SELEC 1").unwrap_err();
        assert!(
            e.message.contains("SQL statement") && e.position.is_some(),
            "{e}"
        );
    }

    fn first_call(sql: &str) -> ast::Function {
        let q = parse_select(sql).unwrap();
        let ast::SetExpr::Select(s) = *q.body else {
            panic!("not a select")
        };
        match &s.projection[0] {
            ast::SelectItem::UnnamedExpr(ast::Expr::Function(f)) => f.clone(),
            other => panic!("not a call: {other}"),
        }
    }

    #[test]
    fn call_arguments_are_read_once_for_the_engine_and_the_export() {
        let f = first_call("SELECT COUNT(DISTINCT a) FROM t");
        let c = call_args(&f).unwrap();
        assert_eq!(
            (c.args.len(), c.distinct, c.star, c.clauses),
            (1, true, false, false)
        );
        let f = first_call("SELECT COUNT(*) FROM t");
        let c = call_args(&f).unwrap();
        assert_eq!((c.args.len(), c.distinct, c.star), (0, false, true));
        let f = first_call("SELECT STRING_AGG(a, ',' ORDER BY a) FROM t");
        assert!(call_args(&f).unwrap().clauses);
        assert_eq!(
            call_args(&first_call("SELECT f(x => 1)")).err(),
            Some(CallArgsError::Unsupported)
        );
        assert_eq!(
            call_args(&first_call("SELECT ARRAY(SELECT 1)")).err(),
            Some(CallArgsError::Subquery)
        );
    }
}
