//! The workshop's lab file, as compiled into the app: it reads, every check
//! names a documented fact, and every step has a page and a reason.

use churnlab::core::labs::format::{LabData, LabFile};

#[test]
fn the_workshop_lab_reads_and_every_step_says_where_and_why() {
    let lab = LabFile::parse(include_str!("../labs/workshop.md")).unwrap_or_else(|e| panic!("labs/workshop.md, {e}"));
    assert_eq!(lab.id, "churn-workshop");
    assert_eq!(lab.data, LabData::Default);
    assert_eq!(lab.steps.len(), 10);
    for step in &lab.steps {
        assert!(step.page.is_some(), "{} has no page", step.id);
        assert!(!step.checks.is_empty(), "{} checks nothing", step.id);
        assert!(step.text.len() > 120, "{} does not say why", step.id);
    }
    let labs: Vec<&str> = lab.steps.iter().map(|s| s.lab.as_str()).fold(Vec::new(), |mut v, l| {
        if v.last() != Some(&l) {
            v.push(l);
        }
        v
    });
    assert_eq!(labs.len(), 6);
}
