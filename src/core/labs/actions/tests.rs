use super::*;

#[test]
fn every_action_reads() {
    assert_eq!(
        Action::parse("open-data"),
        Ok(Action::OpenData { url: None })
    );
    assert_eq!(
        Action::parse("sql SELECT * FROM churn WHERE a = \"1\""),
        Ok(Action::Sql("SELECT * FROM churn WHERE a = \"1\"".into()))
    );
    assert_eq!(
        Action::parse("save-dataset name=senior"),
        Ok(Action::SaveDataset {
            name: "senior".into()
        })
    );
    assert_eq!(
        Action::parse(
            "edit-field dataset=senior field=Churn clone=\"churn flag\" role=measure type=integer"
        ),
        Ok(Action::EditField {
            dataset: "senior".into(),
            field: "Churn".into(),
            clone: Some("churn flag".into()),
            role: Some(Role::Measure),
            ty: Some(ColumnType::Integer)
        })
    );
    assert_eq!(
        Action::parse("dashboard title=\"Seniors by payment\" dataset=senior chart=hbar dimension=PaymentMethod measure=\"Record Count\""),
        Ok(Action::Dashboard { title: "Seniors by payment".into(), dataset: "senior".into(), chart: ChartKind::Hbar, dimension: "PaymentMethod".into(), measure: "Record Count".into() })
    );
    assert_eq!(
        Action::parse("train mode=plain"),
        Ok(Action::Train {
            mode: Mode::Plain,
            dataset: None
        })
    );
    assert_eq!(
        Action::parse("deploy name=churn-model"),
        Ok(Action::Deploy {
            name: "churn-model".into(),
            better: None
        })
    );
    assert_eq!(Action::parse("call-example"), Ok(Action::CallExample));
    assert_eq!(
        Action::parse("simulate calls=2000"),
        Ok(Action::Simulate {
            scenario: ScenarioKind::LabelCorruption,
            calls: 2000
        })
    );
}

#[test]
fn every_problem_is_named() {
    let e = |t: &str| Action::parse(t).unwrap_err();
    assert_eq!(e("rm -rf"), "there is no action \"rm\" (actions: open-data, sql, save-dataset, edit-field, dashboard, train, deploy, call-example, simulate, rerun-dataset, score, export-production, save-job, run-job)");
    assert_eq!(e("sql"), "sql needs a query after it");
    assert_eq!(e("save-dataset"), "save-dataset needs name=");
    assert_eq!(
        e("save-dataset name=\"x"),
        "the value of name has no closing \""
    );
    assert_eq!(
        e("save-dataset senior"),
        "\"senior\" is not a setting: write key=value"
    );
    assert_eq!(e("save-dataset name=a name=b"), "name is set twice");
    assert_eq!(
        e("save-dataset name=a colour=red"),
        "save-dataset has no setting \"colour\" (name)"
    );
    assert_eq!(
        e("edit-field dataset=s field=Churn role=metric"),
        "role=\"metric\" is not measure or dimension"
    );
    assert_eq!(
        e("edit-field dataset=s field=Churn"),
        "edit-field needs clone=, role= or type="
    );
    assert_eq!(
        e("dashboard title=t dimension=d chart=donut"),
        "chart=\"donut\" is not a chart kind (bar, hbar, line, pie, …)"
    );
    assert_eq!(e("train mode=fast"), "mode=\"fast\" is not cv or plain");
    assert_eq!(
        e("simulate calls=5"),
        "calls=\"5\" is not a number of calls from 100 to 100000"
    );
    assert_eq!(
        e("call-example now=1"),
        "call-example has no setting \"now\" (none)"
    );
}

#[test]
fn the_jobs_actions_read() {
    assert_eq!(
        Action::parse("open-data url=\"data/telco churn.csv\""),
        Ok(Action::OpenData {
            url: Some("data/telco churn.csv".into())
        })
    );
    assert_eq!(
        Action::parse("rerun-dataset name=senior"),
        Ok(Action::RerunDataset {
            name: "senior".into()
        })
    );
    assert_eq!(
        Action::parse("score dataset=senior"),
        Ok(Action::Score {
            dataset: "senior".into(),
            save: Some("senior_scores".into()),
            download: None
        })
    );
    assert_eq!(
        Action::parse("score dataset=senior download=scores.csv"),
        Ok(Action::Score {
            dataset: "senior".into(),
            save: None,
            download: Some("scores.csv".into())
        })
    );
    assert_eq!(
        Action::parse("deploy name=m metric=auc margin=0.01"),
        Ok(Action::Deploy {
            name: "m".into(),
            better: Some(Better {
                metric: Metric::Auc,
                margin: 0.01
            })
        })
    );
    assert_eq!(
        Action::parse(
            "save-job name=refresh daily=06:00 steps=\"open-data | rerun-dataset name=senior\""
        ),
        Ok(Action::SaveJob {
            name: "refresh".into(),
            trigger: Trigger::Daily { minute: 360 },
            steps: vec!["open-data".into(), "rerun-dataset name=senior".into()]
        })
    );
    assert_eq!(
        Action::parse("run-job name=refresh"),
        Ok(Action::RunJob {
            name: "refresh".into()
        })
    );
    let e = |t: &str| Action::parse(t).unwrap_err();
    assert_eq!(e("deploy name=m margin=0.1"), "margin= goes with metric=");
    assert_eq!(
        e("deploy name=m metric=speed"),
        "metric=\"speed\" is not auc, accuracy or f1"
    );
    assert_eq!(
        e("save-job name=a steps=open-data every=5 daily=06:00"),
        "save-job takes one of every=, daily= or after="
    );
    assert_eq!(e("score save=x"), "score needs dataset=");
    for verb in VERBS {
        let line = match verb {
            "sql" => "sql SELECT 1".to_owned(),
            "save-dataset" | "rerun-dataset" | "run-job" | "deploy" => format!("{verb} name=x"),
            "edit-field" => format!("{verb} dataset=d field=f role=measure"),
            "dashboard" => format!("{verb} title=t dimension=d"),
            "score" => format!("{verb} dataset=d"),
            "save-job" => format!("{verb} name=n steps=open-data"),
            _ => verb.to_owned(),
        };
        assert_eq!(Action::parse(&line).unwrap().verb(), verb);
    }
}
