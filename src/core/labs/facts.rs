//! The facts a lab's checks may read: a documented, fixed set of paths
//! into the JSON document the app builds from its state. A lab naming a
//! fact that is not here, or comparing it with a value of another kind, is
//! refused when it is loaded, not when the learner reaches the step.

use crate::labs::check::{Check, Condition, Op};

/// What kind of value a fact holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Number,
    Text,
    Flag,
    /// A list of texts (`contains` looks for one).
    Texts,
    /// A list of items, read with `has`.
    List,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Number => "a number",
            Kind::Text => "text",
            Kind::Flag => "true or false",
            Kind::Texts => "a list of texts",
            Kind::List => "a list",
        }
    }
}

/// Every fact: its path (`list[].field` for a list's items), kind and meaning.
pub const FACTS: &[(&str, Kind, &str)] = &[
    ("project.name", Kind::Text, "the project's name"),
    ("dataset.name", Kind::Text, "the active dataset's name"),
    ("dataset.rows", Kind::Number, "its rows"),
    ("dataset.columns", Kind::Number, "its columns"),
    (
        "dataset.origin",
        Kind::Text,
        "where it came from: default, file, url or saved",
    ),
    ("fields", Kind::List, "the active dataset's fields"),
    ("fields[].name", Kind::Text, "a field's name"),
    (
        "fields[].type",
        Kind::Text,
        "its type: integer, float, boolean, categorical or text",
    ),
    (
        "fields[].role",
        Kind::Text,
        "its role: dimension or measure",
    ),
    ("fields[].hidden", Kind::Flag, "whether it is hidden"),
    (
        "dataset_fields",
        Kind::List,
        "the fields of the active dataset and of each saved one",
    ),
    ("dataset_fields[].dataset", Kind::Text, "the dataset's name"),
    ("dataset_fields[].name", Kind::Text, "the field's name"),
    ("dataset_fields[].type", Kind::Text, "its type"),
    (
        "dataset_fields[].role",
        Kind::Text,
        "its role: dimension or measure",
    ),
    ("saved", Kind::List, "the saved datasets"),
    ("saved[].name", Kind::Text, "a saved dataset's name"),
    ("saved[].rows", Kind::Number, "its rows"),
    ("saved[].sql", Kind::Text, "the SQL that made it"),
    ("sql.text", Kind::Text, "the SQL page's query"),
    (
        "sql.result_rows",
        Kind::Number,
        "the rows of the SQL page's last result",
    ),
    (
        "queries",
        Kind::List,
        "the SQL page's history, newest first",
    ),
    ("queries[].sql", Kind::Text, "a query that ran"),
    ("visuals", Kind::List, "the visuals of the saved dashboards"),
    (
        "visuals[].dashboard",
        Kind::Text,
        "the title of its dashboard",
    ),
    (
        "visuals[].type",
        Kind::Text,
        "its chart type (bar, hbar, line, pie, …)",
    ),
    ("visuals[].dataset", Kind::Text, "the dataset it shows"),
    ("visuals[].dimensions", Kind::Texts, "its dimensions"),
    (
        "visuals[].measures",
        Kind::Texts,
        "its measures (Record Count, SUM(x), …)",
    ),
    ("runs", Kind::List, "the experiment runs"),
    ("runs[].mode", Kind::Text, "plain or cv"),
    ("runs[].features", Kind::Texts, "the features it used"),
    (
        "runs[].test_accuracy",
        Kind::Number,
        "accuracy on the test split",
    ),
    ("runs[].test_auc", Kind::Number, "ROC AUC on the test split"),
    ("models", Kind::List, "the saved models"),
    ("models[].name", Kind::Text, "a model's name"),
    (
        "models[].version",
        Kind::Number,
        "its version under its name",
    ),
    ("models[].test_auc", Kind::Number, "its test ROC AUC"),
    ("deployed.name", Kind::Text, "the deployed model's name"),
    (
        "deployed.calls",
        Kind::Number,
        "explain and predict calls it answered",
    ),
    (
        "deployed.answered_example",
        Kind::Flag,
        "whether it answered the workshop's example customer",
    ),
    ("simulations", Kind::List, "the operations simulations"),
    ("simulations[].calls", Kind::Number, "its calls"),
    (
        "simulations[].scenario",
        Kind::Text,
        "its scenario: none, label-corruption, feature-drift or churn-rate",
    ),
    ("jobs", Kind::List, "the jobs"),
    ("jobs[].name", Kind::Text, "a job's name"),
    (
        "jobs[].trigger",
        Kind::Text,
        "what starts it: manual, every, daily or after",
    ),
    (
        "jobs[].after",
        Kind::Text,
        "the job it runs after (empty if none)",
    ),
    ("jobs[].text", Kind::Text, "its steps, as do: lines"),
    ("jobs[].succeeded", Kind::Number, "its runs that succeeded"),
];

/// The kind of a fact, if it is one.
pub fn kind_of(path: &str) -> Option<Kind> {
    FACTS
        .iter()
        .find(|(p, _, _)| *p == path)
        .map(|(_, k, _)| *k)
}

fn fits(kind: Kind, c: &Condition) -> bool {
    match (kind, c.op) {
        (Kind::Number, Op::Contains) | (Kind::Flag, Op::Contains) | (Kind::List, _) => false,
        (Kind::Number, _) => c.value.is_number(),
        (Kind::Text, Op::Eq | Op::Ne | Op::Contains) | (Kind::Texts, Op::Contains) => {
            c.value.is_string()
        }
        (Kind::Flag, Op::Eq | Op::Ne) => c.value.is_boolean(),
        _ => false,
    }
}

/// The lists, by name.
fn lists() -> String {
    FACTS
        .iter()
        .filter(|(_, k, _)| *k == Kind::List)
        .map(|(p, _, _)| *p)
        .collect::<Vec<_>>()
        .join(", ")
}

fn check_condition(path: &str, c: &Condition) -> Result<(), String> {
    let kind = kind_of(path).ok_or_else(|| {
        let known: Vec<&str> = FACTS
            .iter()
            .filter(|(p, k, _)| !p.contains("[]") && *k != Kind::List)
            .map(|(p, _, _)| *p)
            .collect();
        format!(
            "there is no fact {path:?} (facts: {}, and the items of the lists {})",
            known.join(", "),
            lists()
        )
    })?;
    if fits(kind, c) {
        Ok(())
    } else {
        Err(format!(
            "{} is {}, which cannot be compared with {} {}",
            c.fact,
            kind.name(),
            c.op.text(),
            c.value
        ))
    }
}

/// Whether every fact a check reads exists and is compared with a value of its kind.
pub fn validate(check: &Check) -> Result<(), String> {
    match check {
        Check::Fact(c) => check_condition(&c.fact, c),
        Check::Has { list, conditions } => {
            if kind_of(list) != Some(Kind::List) {
                return Err(format!(
                    "{list:?} is not a list of the facts (lists: {})",
                    lists()
                ));
            }
            conditions
                .iter()
                .try_for_each(|c| check_condition(&format!("{list}[].{}", c.fact), c))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_facts_and_wrong_kinds_are_refused() {
        let v = |t: &str| validate(&Check::parse(t).unwrap());
        assert_eq!(
            v("saved has rows = 1142, sql contains \"SeniorCitizen\""),
            Ok(())
        );
        assert_eq!(
            v("visuals has type = \"hbar\", dimensions contains \"PaymentMethod\""),
            Ok(())
        );
        assert_eq!(v("deployed.answered_example = true"), Ok(()));
        assert!(v("dataset.size > 3")
            .unwrap_err()
            .starts_with("there is no fact \"dataset.size\" (facts: project.name, dataset.name,"));
        assert_eq!(
            v("dataset.rows = \"many\""),
            Err("dataset.rows is a number, which cannot be compared with = \"many\"".into())
        );
        assert_eq!(
            v("saved has rows contains 3"),
            Err("rows is a number, which cannot be compared with contains 3".into())
        );
        assert_eq!(v("dataset has rows = 3"), Err("\"dataset\" is not a list of the facts (lists: fields, dataset_fields, saved, queries, visuals, runs, models, simulations, jobs)".into()));
        assert_eq!(
            v("deployed.answered_example > 1"),
            Err(
                "deployed.answered_example is true or false, which cannot be compared with > 1"
                    .into()
            )
        );
    }

    #[test]
    fn every_list_item_fact_belongs_to_a_listed_list() {
        for (path, _, _) in FACTS {
            if let Some((list, _)) = path.split_once("[].") {
                assert_eq!(kind_of(list), Some(Kind::List), "{path}");
            }
        }
    }
}
