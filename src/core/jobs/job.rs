//! A job: a name, steps written as the labs' `do:` lines (one language,
//! one parser: [`Action::parse`]), a trigger, and when it was saved. A job
//! is checked as a whole before it is kept: every line reads, the steps
//! make sense in their order, the name is free, and a job it runs after
//! exists and does not (through others) run after it.

use serde::{Deserialize, Serialize};

use super::trigger::Trigger;
use crate::labs::actions::Action;

/// Longest job name.
pub const MAX_NAME: usize = 40;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Job {
    pub id: u64,
    pub name: String,
    /// Its steps, one `do:` line each (blank lines and `#` notes allowed).
    pub text: String,
    #[serde(default)]
    pub trigger: Trigger,
    /// When it was saved: a repeating job counts its periods from here.
    pub saved_ms: f64,
}

/// A line of a job's text that is refused, and why; line 0 is the job as
/// a whole (its name, its trigger), said without a line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineError {
    /// 1-based; 0 for the whole job.
    pub line: usize,
    pub problem: String,
}

impl std::fmt::Display for LineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            0 => f.write_str(&self.problem),
            n => write!(f, "line {n}: {}", self.problem),
        }
    }
}

/// Every refused line, in one sentence.
pub fn describe(errors: &[LineError]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// A step: its line in the text and its action.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    pub line: usize,
    pub action: Action,
}

/// Reads a job's text into steps, or every line that is refused.
pub fn parse_steps(text: &str) -> Result<Vec<Step>, Vec<LineError>> {
    let mut steps = Vec::new();
    let mut errors = Vec::new();
    let mut has_result = false;
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let trimmed = raw.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let Some(rest) = trimmed.strip_prefix("do:") else {
            errors.push(LineError {
                line,
                problem: format!(
                    "{:?} is not a step: write each step as do: <action> (or # for a note)",
                    first_words(trimmed)
                ),
            });
            continue;
        };
        match Action::parse(rest) {
            Ok(action) => {
                if let Some(problem) = order_problem(&action, has_result) {
                    errors.push(LineError { line, problem });
                }
                match &action {
                    Action::Sql(_) => has_result = true,
                    Action::OpenData { .. } => has_result = false,
                    _ => {}
                }
                steps.push(Step { line, action });
            }
            Err(problem) => errors.push(LineError { line, problem }),
        }
    }
    if steps.is_empty() && errors.is_empty() {
        errors.push(LineError {
            line: 1,
            problem: "a job needs at least one step, like do: open-data".into(),
        });
    }
    if errors.is_empty() {
        Ok(steps)
    } else {
        Err(errors)
    }
}

fn first_words(line: &str) -> String {
    let words: Vec<&str> = line.split_whitespace().take(3).collect();
    words.join(" ")
}

/// What a job cannot do at this point of its steps.
fn order_problem(action: &Action, has_result: bool) -> Option<String> {
    match action {
        Action::SaveDataset { .. } if !has_result => {
            Some("save-dataset keeps the result of a sql step: put a do: sql line above it".into())
        }
        Action::SaveJob { .. } | Action::RunJob { .. } => Some(format!(
            "{} is for labs: a job starts another with its trigger (after=)",
            action.verb()
        )),
        _ => None,
    }
}

/// Checks `name` for a new or renamed job among `others`.
pub fn check_name(name: &str, others: &[Job], except: Option<u64>) -> Result<String, String> {
    let name = name.trim();
    if name.is_empty() {
        return Err("Give the job a name.".into());
    }
    if name.chars().count() > MAX_NAME {
        return Err(format!("A job's name has at most {MAX_NAME} characters."));
    }
    if !name
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | ' '))
    {
        return Err(format!(
            "\"{name}\": a job's name has letters, digits, spaces, - and _ only."
        ));
    }
    if others
        .iter()
        .any(|j| Some(j.id) != except && j.name.eq_ignore_ascii_case(name))
    {
        return Err(format!("There is already a job called \"{name}\"."));
    }
    Ok(name.to_owned())
}

/// Checks the whole job among the others (which may include an older
/// version of it, by id): its name, its steps and its trigger.
pub fn check_job(job: &Job, others: &[Job]) -> Result<Vec<Step>, Vec<LineError>> {
    let fail = |problem: String| vec![LineError { line: 0, problem }];
    check_name(&job.name, others, Some(job.id)).map_err(fail)?;
    let steps = parse_steps(&job.text)?;
    if let Trigger::After { job: upstream } = &job.trigger {
        if upstream.eq_ignore_ascii_case(&job.name) {
            return Err(fail("A job cannot run after itself.".into()));
        }
        let mut seen = vec![job.name.to_lowercase()];
        let mut at = upstream.clone();
        loop {
            let Some(up) = others
                .iter()
                .find(|j| j.id != job.id && j.name.eq_ignore_ascii_case(&at))
            else {
                if seen.len() == 1 {
                    return Err(fail(format!(
                        "There is no job called \"{at}\" to run after."
                    )));
                }
                break;
            };
            if seen.contains(&up.name.to_lowercase()) {
                return Err(fail(format!(
                    "{} would run after itself: {} runs after {}.",
                    job.name, up.name, at
                )));
            }
            seen.push(up.name.to_lowercase());
            match &up.trigger {
                Trigger::After { job: next } if next.eq_ignore_ascii_case(&job.name) => {
                    return Err(fail(format!(
                        "{} would run after itself: {} runs after {}.",
                        job.name, up.name, job.name
                    )));
                }
                Trigger::After { job: next } => at = next.clone(),
                _ => break,
            }
        }
    }
    Ok(steps)
}

/// The job called `name` (names are told apart ignoring case).
pub fn named<'a>(jobs: &'a [Job], name: &str) -> Option<&'a Job> {
    jobs.iter().find(|j| j.name.eq_ignore_ascii_case(name))
}

/// The jobs that start when `name` succeeds.
pub fn dependants<'a>(jobs: &'a [Job], name: &str) -> Vec<&'a Job> {
    jobs.iter()
        .filter(|j| matches!(&j.trigger, Trigger::After { job } if job.eq_ignore_ascii_case(name)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(id: u64, name: &str, trigger: Trigger) -> Job {
        Job {
            id,
            name: name.into(),
            text: "do: open-data".into(),
            trigger,
            saved_ms: 0.0,
        }
    }

    #[test]
    fn steps_read_with_their_lines() {
        let text = "# reload\ndo: open-data\n\ndo: sql SELECT * FROM churn WHERE seniorcitizen = \"1\"\ndo: save-dataset name=senior\n";
        let steps = parse_steps(text).unwrap();
        assert_eq!(
            steps.iter().map(|s| s.line).collect::<Vec<_>>(),
            vec![2, 4, 5]
        );
        assert_eq!(
            steps[2].action,
            Action::SaveDataset {
                name: "senior".into()
            }
        );
    }

    #[test]
    fn every_bad_line_is_refused_with_its_reason() {
        let errors = parse_steps(
            "do: open-data\nrm -rf /\ndo: save-dataset name=x\ndo: train mode=fast\ndo: run-job name=a",
        )
        .unwrap_err();
        let text: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        assert_eq!(
            text,
            vec![
                "line 2: \"rm -rf /\" is not a step: write each step as do: <action> (or # for a note)",
                "line 3: save-dataset keeps the result of a sql step: put a do: sql line above it",
                "line 4: mode=\"fast\" is not cv or plain",
                "line 5: run-job is for labs: a job starts another with its trigger (after=)",
            ]
        );
        assert_eq!(
            parse_steps("# nothing\n").unwrap_err()[0].problem,
            "a job needs at least one step, like do: open-data"
        );
    }

    #[test]
    fn names_and_chains_are_checked() {
        let a = job(1, "refresh", Trigger::Daily { minute: 360 });
        let b = job(
            2,
            "score",
            Trigger::After {
                job: "refresh".into(),
            },
        );
        let all = vec![a.clone(), b.clone()];
        assert!(check_job(&b, &all).is_ok());
        assert_eq!(
            check_name("Refresh", &all, None).unwrap_err(),
            "There is already a job called \"Refresh\"."
        );
        assert!(check_name("a/b", &all, None)
            .unwrap_err()
            .contains("letters"));
        let c = job(3, "c", Trigger::After { job: "nope".into() });
        assert_eq!(
            check_job(&c, &all).unwrap_err()[0].problem,
            "There is no job called \"nope\" to run after."
        );
        let looped = job(
            1,
            "refresh",
            Trigger::After {
                job: "score".into(),
            },
        );
        assert_eq!(
            check_job(&looped, &all).unwrap_err()[0].problem,
            "refresh would run after itself: score runs after refresh."
        );
        let own = job(4, "me", Trigger::After { job: "me".into() });
        // A problem of the whole job is said without a line.
        assert_eq!(
            describe(&check_job(&own, &all).unwrap_err()),
            "A job cannot run after itself."
        );
        assert_eq!(dependants(&all, "REFRESH").len(), 1);
    }
}
