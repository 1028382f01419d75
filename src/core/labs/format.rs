//! The lab file: Markdown with a front matter. Labs are data, never code:
//! a step's checks are read by [`crate::labs::check`] over the documented
//! facts ([`crate::labs::facts`]), and its text is shown as text.
//!
//! ```text
//! ---
//! id: churn-workshop
//! title: The churn workshop
//! version: 1
//! data: default            (or a CSV of the same site: data/telco.csv)
//! seed: 42
//! ---
//! Text before the first lab: the introduction.
//!
//! # Lab 1: The data
//! ## Load the customers {#load-data}
//! page: data
//! highlight: file-input
//! check: dataset.rows >= 7043
//!
//! Why this step matters, in Markdown.
//! ```
//!
//! A `#` heading starts a lab, a `##` heading with `{#id}` a step. The
//! lines right after a step's heading, up to the first blank line, are its
//! settings: `page:` (where the step happens), `highlight:` (the
//! `data-testid` of the control it talks about), any number of `check:`
//! and any number of `do:` ("Do it for me", [`crate::labs::actions`]).
//! Every problem is refused with its line.

use crate::labs::actions::Action;
use crate::labs::check::{Check, CheckError};
use crate::labs::facts;

/// Where a teacher's lab came from, with its text (kept, so it opens again
/// after a reload without the file).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LabSource {
    /// "file" or "url".
    pub kind: String,
    /// The file's name or the address.
    pub name: String,
    pub text: String,
}

/// The pages a step can take the learner to.
pub const PAGES: [&str; 12] = [
    "overview",
    "data",
    "sql",
    "visuals",
    "explore",
    "train",
    "experiments",
    "deploy",
    "customers",
    "operations",
    "jobs",
    "share",
];

#[derive(Clone, Debug, PartialEq)]
pub enum LabData {
    /// The app's own synthetic customers.
    Default,
    /// A CSV of the same site, by its relative address.
    Url(String),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    pub id: String,
    pub title: String,
    /// The lab (`#` heading) it belongs to.
    pub lab: String,
    pub page: Option<String>,
    pub highlight: Option<String>,
    pub checks: Vec<(String, Check)>,
    /// What "Do it for me" does, in order.
    pub actions: Vec<Action>,
    /// Its Markdown text.
    pub text: String,
    /// The line of its heading (1-based).
    pub line: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub struct LabFile {
    pub id: String,
    pub title: String,
    pub version: u32,
    pub data: LabData,
    pub seed: u64,
    pub intro: String,
    pub steps: Vec<Step>,
}

#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("line {line}: {problem}")]
pub struct LabError {
    pub line: usize,
    pub problem: String,
}

fn bad(line: usize, problem: impl Into<String>) -> LabError {
    LabError {
        line,
        problem: problem.into(),
    }
}

fn is_id(text: &str) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !text.starts_with('-')
}

/// Reads `key: value`.
fn setting(line: &str) -> Option<(&str, &str)> {
    let (k, v) = line.split_once(':')?;
    let k = k.trim();
    (!k.is_empty() && k.chars().all(|c| c.is_ascii_alphabetic())).then_some((k, v.trim()))
}

struct Front {
    id: Option<String>,
    title: Option<String>,
    version: u32,
    data: LabData,
    seed: u64,
}

fn front_matter(lines: &[&str]) -> Result<(Front, usize), LabError> {
    if lines.first().map(|l| l.trim()) != Some("---") {
        return Err(bad(1, "a lab starts with a front matter: a line \"---\", then id:, title: and version:, then \"---\""));
    }
    let mut front = Front {
        id: None,
        title: None,
        version: 0,
        data: LabData::Default,
        seed: 42,
    };
    for (i, raw) in lines.iter().enumerate().skip(1) {
        let n = i + 1;
        let line = raw.trim();
        if line == "---" {
            let id = front
                .id
                .as_ref()
                .ok_or_else(|| bad(n, "the front matter has no id:"))?;
            front
                .title
                .as_ref()
                .ok_or_else(|| bad(n, format!("the lab {id} has no title:")))?;
            if front.version == 0 {
                return Err(bad(
                    n,
                    format!("the lab {id} has no version: (a whole number from 1)"),
                ));
            }
            return Ok((front, i + 1));
        }
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (key, value) = setting(line)
            .ok_or_else(|| bad(n, format!("{line:?} is not a setting: write key: value")))?;
        match key {
            "id" if is_id(value) => front.id = Some(value.to_owned()),
            "id" => {
                return Err(bad(
                    n,
                    format!("the id {value:?} may have only lower-case letters, digits and -"),
                ))
            }
            "title" if !value.is_empty() => front.title = Some(value.to_owned()),
            "title" => return Err(bad(n, "the title is empty")),
            "version" => {
                front.version = value.parse().ok().filter(|v| *v > 0).ok_or_else(|| {
                    bad(
                        n,
                        format!("the version {value:?} is not a whole number from 1"),
                    )
                })?
            }
            "seed" => {
                front.seed = value
                    .parse()
                    .map_err(|_| bad(n, format!("the seed {value:?} is not a whole number")))?
            }
            "data" => {
                front.data = match value {
                    "default" => LabData::Default,
                    url if url.contains(':') || url.starts_with('/') || url.is_empty() => {
                        return Err(bad(n, format!("data: is default or a CSV of the same site by its relative address, not {url:?}")));
                    }
                    url => LabData::Url(url.to_owned()),
                }
            }
            other => {
                return Err(bad(
                    n,
                    format!(
                    "the front matter has no setting {other:?} (id, title, version, data, seed)"
                ),
                ))
            }
        }
    }
    Err(bad(
        lines.len(),
        "the front matter is not closed with \"---\"",
    ))
}

/// `Title {#id}` → (title, id).
fn heading_id(text: &str) -> Option<(&str, &str)> {
    let text = text.trim_end();
    let open = text.rfind("{#")?;
    let id = text[open + 2..].strip_suffix('}')?;
    Some((text[..open].trim(), id))
}

impl LabFile {
    /// Reads a lab file; the first problem is named with its line.
    pub fn parse(text: &str) -> Result<LabFile, LabError> {
        let lines: Vec<&str> = text.lines().collect();
        let (front, body) = front_matter(&lines)?;
        let mut intro = String::new();
        let mut steps: Vec<Step> = Vec::new();
        let mut lab = String::new();
        let mut in_settings = false;
        let mut in_code = false;
        for (i, raw) in lines.iter().enumerate().skip(body) {
            let n = i + 1;
            let line = raw.trim_end();
            if line.trim_start().starts_with("```") {
                in_code = !in_code;
            }
            if !in_code && line.starts_with("# ") {
                lab = line[2..].trim().to_owned();
                in_settings = false;
                continue;
            }
            if !in_code && line.starts_with("## ") {
                let (title, id) = heading_id(&line[3..]).ok_or_else(|| {
                    bad(
                        n,
                        "a step's heading ends with its id, e.g. ## Load the data {#load-data}",
                    )
                })?;
                if !is_id(id) {
                    return Err(bad(
                        n,
                        format!(
                            "the step id {id:?} may have only lower-case letters, digits and -"
                        ),
                    ));
                }
                if title.is_empty() {
                    return Err(bad(n, format!("the step {id} has no title")));
                }
                if let Some(other) = steps.iter().find(|s| s.id == id) {
                    return Err(bad(
                        n,
                        format!("the step id {id} is used twice (also line {})", other.line),
                    ));
                }
                if lab.is_empty() {
                    return Err(bad(
                        n,
                        "a step comes before any lab: start the lab with a # heading",
                    ));
                }
                steps.push(Step {
                    id: id.to_owned(),
                    title: title.to_owned(),
                    lab: lab.clone(),
                    page: None,
                    highlight: None,
                    checks: Vec::new(),
                    actions: Vec::new(),
                    text: String::new(),
                    line: n,
                });
                in_settings = true;
                continue;
            }
            let Some(step) = steps.last_mut() else {
                if !lab.is_empty() && !line.trim().is_empty() {
                    return Err(bad(
                        n,
                        format!(
                            "text in the lab {lab:?} comes before its first step (a ## heading)"
                        ),
                    ));
                }
                intro.push_str(line);
                intro.push('\n');
                continue;
            };
            if in_settings && line.trim().is_empty() {
                in_settings = false;
                continue;
            }
            if in_settings {
                let (key, value) = setting(line).ok_or_else(|| bad(n, format!("{:?} is not a setting of the step {} (page:, highlight:, check: or do:); leave a blank line before its text", line.trim(), step.id)))?;
                match key {
                    "page" if PAGES.contains(&value) => step.page = Some(value.to_owned()),
                    "page" => return Err(bad(n, format!("there is no page {value:?} (pages: {})", PAGES.join(", ")))),
                    "highlight" if !value.is_empty() && value.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') => step.highlight = Some(value.to_owned()),
                    "highlight" => return Err(bad(n, format!("highlight: names a control by its data-testid (letters, digits and -), not {value:?}"))),
                    "check" => {
                        let check = Check::parse(value).map_err(|CheckError { column, problem }| bad(n, format!("check, column {}: {problem}", column + raw.find(value).unwrap_or(0))))?;
                        facts::validate(&check).map_err(|e| bad(n, e))?;
                        step.checks.push((value.to_owned(), check));
                    }
                    "do" => step.actions.push(Action::parse(value).map_err(|e| bad(n, format!("do: {e}")))?),
                    other => return Err(bad(n, format!("a step has no setting {other:?} (page, highlight, check, do)"))),
                }
                continue;
            }
            step.text.push_str(line);
            step.text.push('\n');
        }
        if in_code {
            return Err(bad(lines.len(), "a code block (```) is not closed"));
        }
        if steps.is_empty() {
            return Err(bad(
                lines.len().max(1),
                "the lab has no steps (## headings with {#id})",
            ));
        }
        for s in &mut steps {
            s.text = s.text.trim().to_owned();
            if s.highlight.is_some() && s.page.is_none() {
                return Err(bad(
                    s.line,
                    format!("the step {} highlights a control but says no page:", s.id),
                ));
            }
        }
        let Front {
            id,
            title,
            version,
            data,
            seed,
        } = front;
        Ok(LabFile {
            id: id.unwrap_or_default(),
            title: title.unwrap_or_default(),
            version,
            data,
            seed,
            intro: intro.trim().to_owned(),
            steps,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LAB: &str = "---\nid: demo\ntitle: A demo lab\nversion: 2\ndata: data/telco.csv\nseed: 7\n---\nWelcome.\n\n# Lab 1: Data\n## Load it {#load}\npage: data\nhighlight: file-input\ncheck: dataset.rows >= 7043\n\nWhy: a model needs data.\n\n```sql\n## not a step\n```\n## Save seniors {#seniors}\npage: sql\ncheck: saved has rows = 1142, sql contains \"SeniorCitizen\"\n";

    #[test]
    fn a_lab_reads_into_steps_with_checks() {
        let lab = LabFile::parse(LAB).unwrap();
        assert_eq!(
            (lab.id.as_str(), lab.title.as_str(), lab.version, lab.seed),
            ("demo", "A demo lab", 2, 7)
        );
        assert_eq!(lab.data, LabData::Url("data/telco.csv".into()));
        assert_eq!(lab.intro, "Welcome.");
        assert_eq!(lab.steps.len(), 2);
        let s = &lab.steps[0];
        assert_eq!(
            (
                s.id.as_str(),
                s.title.as_str(),
                s.lab.as_str(),
                s.page.as_deref(),
                s.highlight.as_deref(),
                s.line
            ),
            (
                "load",
                "Load it",
                "Lab 1: Data",
                Some("data"),
                Some("file-input"),
                11
            )
        );
        assert_eq!(
            s.text,
            "Why: a model needs data.\n\n```sql\n## not a step\n```"
        );
        assert_eq!(lab.steps[1].checks.len(), 1);
    }

    #[test]
    fn every_problem_is_named_with_its_line() {
        let e = |text: &str| LabFile::parse(text).unwrap_err();
        let with = |extra: &str| LAB.replace("highlight: file-input\n", extra);
        assert_eq!(e("# no front matter").line, 1);
        assert_eq!(
            e("---\nid: x\ntitle: t\n---\n").problem,
            "the lab x has no version: (a whole number from 1)"
        );
        assert_eq!(
            e("---\nid: X y\n").problem,
            "the id \"X y\" may have only lower-case letters, digits and -"
        );
        assert_eq!(
            e("---\nid: x\ntitle: t\nversion: 1\nauthor: me\n---\n"),
            LabError {
                line: 5,
                problem:
                    "the front matter has no setting \"author\" (id, title, version, data, seed)"
                        .into()
            }
        );
        assert_eq!(
            e("---\nid: x\ntitle: t\nversion: 1\ndata: https://x.org/a.csv\n---\n").line,
            5
        );
        assert_eq!(e(&with("page: settings\n")), LabError { line: 13, problem: "there is no page \"settings\" (pages: overview, data, sql, visuals, explore, train, experiments, deploy, customers, operations, jobs, share)".into() });
        assert_eq!(e(&with("check: dataset.size > 1\n")).line, 13);
        assert!(e(&with("check: dataset.rows > \"x\"\n"))
            .problem
            .contains("cannot be compared"));
        assert_eq!(
            e(&with("check: dataset.rows ~ 1\n")).problem,
            "check, column 21: \"~\" is not an operator: use =, !=, <, <=, >, >= or contains"
        );
        assert_eq!(e(&with("oops\n")).problem, "\"oops\" is not a setting of the step load (page:, highlight:, check: or do:); leave a blank line before its text");
        assert_eq!(
            e(&with("do: train mode=fast\n")),
            LabError {
                line: 13,
                problem: "do: mode=\"fast\" is not cv or plain".into()
            }
        );
        assert_eq!(
            e(&LAB.replace("{#seniors}", "{#load}")).problem,
            "the step id load is used twice (also line 11)"
        );
        assert_eq!(e(&LAB.replace("## Load it {#load}", "## Load it")).line, 11);
        assert_eq!(
            e(&LAB.replace("# Lab 1: Data\n", "")).problem,
            "a step comes before any lab: start the lab with a # heading"
        );
        assert_eq!(
            e(&LAB.replace("page: data\n", "")).problem,
            "the step load highlights a control but says no page:"
        );
        assert_eq!(
            e(&format!("{LAB}\nMore:\n```\n")).problem,
            "a code block (```) is not closed"
        );
        assert_eq!(
            e("---\nid: x\ntitle: t\nversion: 1\n---\n# Lab\n").problem,
            "the lab has no steps (## headings with {#id})"
        );
    }
}
