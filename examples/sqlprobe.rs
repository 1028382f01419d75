use sqlparser::dialect::*;
use sqlparser::parser::Parser;
fn main() {
    let qs = [
        "SELECT COUNT(DISTINCT internetservice) as 'internetservice', COUNT(DISTINCT multiplelines) as 'multiplelines' FROM default.churn_prototype;",
        "SELECT * FROM churn WHERE seniorcitizen = \"1\"",
        "SELECT Contract, COUNT(*) FILTER (WHERE Churn = 'Yes') AS n FROM churn GROUP BY 1 ORDER BY 2 DESC NULLS FIRST LIMIT 3 OFFSET 1",
        "SELECT CAST(tenure AS DOUBLE), x ILIKE 'a%', y NOT BETWEEN 1 AND 2, CASE WHEN a THEN 1 ELSE 2 END FROM (SELECT * FROM churn) t",
        "SELECT a FROM churn WHERE b IN ('x', 'y') AND c IS NOT NULL",
        "SELECT ROUND(AVG(MonthlyCharges), 2) FROM churn",
        "SELEC * FROM churn",
        "SELECT a, FROM churn",
    ];
    let dialects: Vec<(&str, Box<dyn Dialect>)> = vec![
        ("generic", Box::new(GenericDialect {})),
        ("mysql", Box::new(MySqlDialect {})),
        ("hive", Box::new(HiveDialect {})),
        ("duckdb", Box::new(DuckDbDialect {})),
    ];
    for q in qs {
        println!("=== {q}");
        for (n, d) in &dialects {
            match Parser::parse_sql(d.as_ref(), q) {
                Ok(ast) => println!("{n}: OK {}", ast[0]),
                Err(e) => println!("{n}: ERR {e}"),
            }
        }
    }
    let ast = Parser::parse_sql(&MySqlDialect {}, qs[1]).unwrap();
    println!("{:#?}", ast[0]);
}
