//! The workshop's lab file, as compiled into the app: it reads, every check
//! names a documented fact, and every step has a page and a reason.

use churnlab::core::labs::format::{LabData, LabFile};

#[test]
fn the_workshop_lab_reads_and_every_step_says_where_and_why() {
    let lab = LabFile::parse(include_str!("../labs/workshop.md"))
        .unwrap_or_else(|e| panic!("labs/workshop.md, {e}"));
    assert_eq!(lab.id, "churn-workshop");
    assert_eq!(lab.data, LabData::Default);
    assert_eq!(lab.steps.len(), 11);
    for step in &lab.steps {
        assert!(step.page.is_some(), "{} has no page", step.id);
        assert!(!step.checks.is_empty(), "{} checks nothing", step.id);
        assert!(step.text.len() > 120, "{} does not say why", step.id);
        assert!(!step.actions.is_empty(), "{} has no Do it for me", step.id);
    }
    let labs: Vec<&str> = lab
        .steps
        .iter()
        .map(|s| s.lab.as_str())
        .fold(Vec::new(), |mut v, l| {
            if v.last() != Some(&l) {
                v.push(l);
            }
            v
        });
    assert_eq!(labs.len(), 7);
}

/// The example in `docs/labs.md` is a lab that reads.
#[test]
fn the_documented_example_reads() {
    let doc = include_str!("../docs/labs.md");
    let start = doc
        .find("```markdown\n")
        .expect("docs/labs.md has a markdown example")
        + "```markdown\n".len();
    // The example holds no fence of its own, so the next fence at a line start ends it.
    let end = start + doc[start..].find("\n```\n").expect("the example is closed") + 1;
    let lab =
        LabFile::parse(&doc[start..end]).unwrap_or_else(|e| panic!("docs/labs.md example, {e}"));
    assert_eq!(lab.id, "seniors-lab");
    assert_eq!(lab.data, LabData::Url("data/telco.csv".into()));
    assert_eq!(
        lab.steps.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(),
        ["open-data", "save-seniors"]
    );
}
