//! The script's text: the opening comment (what is where, and every place
//! where the app and the engine read the SQL differently), `churn` read
//! from the CSV and typed, then each dataset's view with its fields' final
//! select list.

use super::dialect::Engine;
use super::fields::projection;
use super::input::{DatasetToExport, ScriptOptions, BASE_VIEW};
use super::views::Views;

fn comment(text: &str) -> String {
    text.lines()
        .map(|l| format!("-- {l}").trim_end().to_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The script for the views worked out in `views`.
pub(super) fn render(entries: &[DatasetToExport], options: &ScriptOptions, views: Views) -> String {
    let engine = options.engine;
    let Views {
        base_fields,
        base_notes,
        order,
        written,
        hidden_used,
        sorted,
    } = views;
    let kept = |view: usize| -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for (_, n) in hidden_used.iter().filter(|(v, _)| *v == view) {
            if !names.iter().any(|k| k.eq_ignore_ascii_case(n)) {
                names.push(n.clone());
            }
        }
        names
    };

    // The opening comment: what is where, and every difference.
    let mut differences: Vec<String> = base_notes
        .iter()
        .map(|n| format!("{BASE_VIEW}: {n}"))
        .collect();
    for &i in &order {
        if let Some(w) = &written[i] {
            differences.extend(w.notes.iter().map(|n| format!("{}: {n}", entries[i].name)));
        }
    }
    for (view, name) in std::iter::once((0, BASE_VIEW))
        .chain(order.iter().map(|&i| (i + 1, entries[i].name.as_str())))
    {
        for field in kept(view) {
            differences.push(format!("{name}: the field {field} is hidden in the app (left out of *) but a later dataset names it; kept in the view"));
        }
    }
    if sorted {
        differences.push(format!("ORDER BY: each key is written with the app's NULL placement (last unless the query says NULLS FIRST); rows that tie on every key keep file order in the app, not necessarily in {}", engine.label()));
    }
    if engine == Engine::SparkSql {
        differences.push("Spark SQL 3.4 or later, default settings: with spark.sql.ansi.enabled (Spark 4's default) a failed CAST or a division by zero stops the query instead of giving NULL".into());
    }
    let view_list: Vec<String> = order.iter().map(|&i| entries[i].name.clone()).collect();
    let mut script = vec![
        format!("-- Churnlab: the table {BASE_VIEW} and {} saved dataset{} as {} views.", entries.len(), if entries.len() == 1 { "" } else { "s" }, engine.label()),
        format!("-- {BASE_VIEW} is read from {} and typed as the app typed it; then, each after those it reads: {}.", one_line(&options.csv_path), if view_list.is_empty() { "(none)".to_owned() } else { view_list.join(", ") }),
        match engine {
            Engine::DuckDb => "-- Run it with: duckdb churnlab.duckdb < this.sql".to_owned(),
            Engine::SparkSql => "-- Run it with: spark-sql -f this.sql (temporary views: they last for the session)".to_owned(),
        },
        "--".to_owned(),
        format!("-- Where the app's SQL and {} differ, and what this script wrote instead:", engine.label()),
    ];
    if differences.is_empty() {
        script.push("-- (nothing: every query means the same in both)".into());
    }
    script.extend(differences.iter().map(|d| format!("-- * {}", one_line(d))));
    script.push(String::new());

    // churn
    let types: Vec<String> = base_fields
        .iter()
        .filter(|f| !f.hidden)
        .map(|f| format!("{} {}", f.name, engine.type_name(Engine::sql_type(f.ty))))
        .collect();
    script.push(comment(&format!("{BASE_VIEW}: {}", types.join(", "))));
    let base_select = projection(engine, &base_fields, &kept(0)).join(",\n  ");
    let path = engine.text(&options.csv_path);
    let delimiter = engine.text(&options.delimiter.to_string());
    match engine {
        Engine::DuckDb => {
            let names: Vec<String> = options
                .columns
                .iter()
                .map(|c| engine.text(&c.name))
                .collect();
            script.push(format!(
                "{} {} AS\nSELECT\n  {base_select}\nFROM read_csv({path}, header = true, all_varchar = true, delim = {delimiter}, quote = '\"', escape = '\"',\n  names = [{}]);\n",
                engine.create_view(),
                engine.ident(BASE_VIEW),
                names.join(", ")
            ));
        }
        Engine::SparkSql => {
            let raw = (1..)
                .map(|n| {
                    if n == 1 {
                        "churn_csv".to_owned()
                    } else {
                        format!("churn_csv_{n}")
                    }
                })
                .find(|n| !entries.iter().any(|e| e.name.eq_ignore_ascii_case(n)))
                .unwrap_or_default();
            let schema: Vec<String> = options
                .columns
                .iter()
                .map(|c| format!("{} STRING", engine.ident(&c.name)))
                .collect();
            script.push(format!(
                "{} {} ({})\nUSING csv\nOPTIONS (path {path}, header 'true', sep {delimiter}, quote '\"', escape '\"', multiLine 'true');\n",
                engine.create_view(),
                engine.ident(&raw),
                schema.join(", ")
            ));
            script.push(format!(
                "{} {} AS\nSELECT\n  {base_select}\nFROM {};\n",
                engine.create_view(),
                engine.ident(BASE_VIEW),
                engine.ident(&raw)
            ));
        }
    }

    // The datasets.
    for &i in &order {
        let Some(w) = &written[i] else { continue };
        let entry = &entries[i];
        script.push(comment(&format!("{}: {}", entry.name, entry.sql.trim())));
        let keep = kept(i + 1);
        let list = projection(engine, &w.fields, &keep);
        // No edit that changes the SQL: the query is the view.
        let identity = list.len() == w.fields.len()
            && list
                .iter()
                .zip(&w.fields)
                .all(|(s, f)| *s == engine.ident(&f.name))
            && w.fields
                .iter()
                .map(|f| &f.name)
                .eq(w.table.columns().iter().map(|c| &c.name));
        let body = if identity {
            w.query.clone()
        } else {
            let query = w
                .query
                .lines()
                .map(|l| format!("  {l}"))
                .collect::<Vec<_>>()
                .join("\n");
            format!(
                "SELECT\n  {}\nFROM (\n{query}\n) AS {}",
                list.join(",\n  "),
                engine.ident("saved")
            )
        };
        script.push(format!(
            "{} {} AS\n{body};\n",
            engine.create_view(),
            engine.ident(&entry.name)
        ));
    }
    script.join("\n")
}
