//! "Do it for me": a step's actions (`core::labs::actions`) carried out
//! through the same functions the app's controls call, one after another,
//! each waiting for the last (a load, a training run, a simulation) to end.
//! The panel shows the action under way; the first that fails stops the
//! rest and says why. Jobs (`ui::jobs::runner`) run their steps through
//! [`act`] too, with their own [`Ctx`]: a job's query result is its own,
//! never the SQL page's.

use leptos::prelude::*;
use serde_json::Value;

use crate::core::chart::dashboard::{Dashboard, Visual};
use crate::core::chart::spec::{add_to_shelf, ChartSpec, Shelf};
use crate::core::data::fields::FieldEdit;
use crate::core::data::table::Table;
use crate::core::explain::endpoint::{Method, WORKSHOP_EXAMPLE};
use crate::core::jobs::history::{Output, OutputKind};
use crate::core::labs::actions::Action;
use crate::core::labs::format::{LabData, LabFile, Step};
use crate::core::model::config::TrainConfig;
use crate::core::model::defaults::default_config;
use crate::core::ops::scenario::Scenario;
use crate::core::ops::simulate::SimSettings;
use crate::ui::browser::held::Ticket;
use crate::ui::data::datasets;
use crate::ui::data::loader::load_url;
use crate::ui::explain::endpoint::call_explain;
use crate::ui::jobs::steps;
use crate::ui::model::training;
use crate::ui::ops::simulations;
use crate::ui::query::sql;
use crate::ui::state::{new_id, AppState};

/// What a list of actions carries from one to the next.
pub struct Ctx {
    pub seed: u64,
    /// What `open-data` without an address opens.
    pub data: LabData,
    /// A lab's queries go through the SQL page's editor, as the learner's
    /// do; a job keeps its result here.
    pub editor: bool,
    pub result: Option<(String, Table)>,
    /// What the actions made.
    pub outputs: Vec<Output>,
    /// What the last action did, in words, for a job's log.
    pub note: Option<String>,
}

impl Ctx {
    pub fn new(seed: u64, data: LabData, editor: bool) -> Ctx {
        Ctx {
            seed,
            data,
            editor,
            result: None,
            outputs: Vec::new(),
            note: None,
        }
    }

    fn made(&mut self, kind: OutputKind, name: impl Into<String>) {
        self.outputs.push(Output {
            kind,
            name: name.into(),
        });
    }
}

/// Brings the app to the state `step` asks for.
pub async fn do_step(state: AppState, lab: &LabFile, step: &Step) {
    let labs = state.labs;
    if labs.doing.get_untracked().is_some() {
        return;
    }
    labs.do_error.set(None);
    let mut ctx = Ctx::new(lab.seed, lab.data.clone(), true);
    for (i, action) in step.actions.iter().enumerate() {
        labs.doing.set(Some(format!(
            "{} ({} of {})",
            action.describe(),
            i + 1,
            step.actions.len()
        )));
        state.idle().await;
        if let Err(e) = act(state, &mut ctx, action).await {
            labs.do_error
                .set(Some(format!("{}: {e}", action.describe())));
            break;
        }
    }
    labs.doing.set(None);
}

/// Carries out one action; `ctx` carries what the next one needs.
pub async fn act(state: AppState, ctx: &mut Ctx, action: &Action) -> Result<(), String> {
    ctx.note = None;
    match action {
        Action::OpenData { url: Some(url) } => {
            load_url(state, url)
                .await
                .map_err(|e| steps::with_notice(state, e))?;
            ctx.note = Some(steps::rows_note(state));
            Ok(())
        }
        Action::OpenData { url: None } => {
            match &ctx.data {
                LabData::Default => datasets::reset_to_default(state),
                LabData::Url(url) => load_url(state, &url.clone()).await?,
            }
            ctx.note = Some(steps::rows_note(state));
            Ok(())
        }
        Action::Sql(query) if ctx.editor => {
            state.sql.text.set(query.clone());
            sql::run_editor(state, &|_, _| {}, &Ticket::new()).await;
            match state.sql.error.get_untracked() {
                Some(e) => Err(e.to_string()),
                None => Ok(()),
            }
        }
        Action::Sql(query) => {
            let (table, ms) = sql::run(state, query, &|_, _| {}, &Ticket::new())
                .await
                .map_err(|e| e.to_string())?;
            ctx.note = Some(format!(
                "{} in {ms:.0} ms",
                crate::core::common::numfmt::plural(table.num_rows(), "row")
            ));
            ctx.result = Some((query.clone(), table));
            Ok(())
        }
        Action::SaveDataset { name } => {
            let (sql, table) = if ctx.editor {
                let result = state
                    .sql
                    .result
                    .get_untracked()
                    .ok_or("the SQL page has no result to save")?;
                (result.sql, result.table)
            } else {
                ctx.result
                    .clone()
                    .ok_or("there is no query result to save")?
            };
            let saved = datasets::replace_saved(state, name, &sql, &table)?;
            ctx.made(OutputKind::Dataset, saved);
            Ok(())
        }
        Action::RerunDataset { name } => {
            let rows = datasets::rerun_saved(state, name).await?;
            ctx.note = Some(crate::core::common::numfmt::plural(rows, "row"));
            ctx.made(OutputKind::Dataset, name.clone());
            Ok(())
        }
        Action::Score {
            dataset,
            save,
            download,
        } => {
            let made = steps::score(state, dataset, save.as_deref(), download.as_deref()).await?;
            ctx.note = Some(made.note);
            for (kind, name) in made.outputs {
                ctx.made(kind, name);
            }
            Ok(())
        }
        Action::ExportProduction => {
            let file = crate::ui::export::model_export::download_production(state)?;
            ctx.made(OutputKind::File, file);
            Ok(())
        }
        Action::SaveJob {
            name,
            trigger,
            steps: lines,
        } => steps::save_job(state, name, trigger, lines),
        Action::RunJob { name } => steps::run_job_and_wait(state, name).await,
        Action::EditField {
            dataset,
            field,
            clone,
            role,
            ty,
        } => {
            if !state
                .saved
                .with_untracked(|s| s.iter().any(|d| &d.name == dataset))
            {
                return Err(format!("there is no saved dataset {dataset}"));
            }
            datasets::open_saved(state, dataset);
            let mut target = field.clone();
            if let Some(name) = clone {
                let made = datasets::edit_active_field(state, field, FieldEdit::Clone)
                    .map_err(|e| e.to_string())?
                    .field;
                target = if state
                    .dataset
                    .with_untracked(|d| d.table.column(name).is_some())
                {
                    made
                } else {
                    datasets::edit_active_field(
                        state,
                        &made,
                        FieldEdit::Rename { to: name.clone() },
                    )
                    .map_err(|e| e.to_string())?
                    .field
                };
            }
            if let Some(ty) = ty {
                let outcome = datasets::edit_active_field(state, &target, FieldEdit::Retype(*ty))
                    .map_err(|e| e.to_string())?;
                datasets::report_retype(state, &target, ty.label(), &outcome);
            }
            if let Some(role) = role {
                datasets::edit_active_field(state, &target, FieldEdit::SetRole(*role))
                    .map_err(|e| e.to_string())?;
            }
            Ok(())
        }
        Action::Dashboard {
            title,
            dataset,
            chart,
            dimension,
            measure,
        } => {
            let table = datasets::table_named(state, dataset)
                .ok_or_else(|| format!("there is no dataset {dataset}"))?;
            let spec = add_to_shelf(&ChartSpec::default(), &table, dimension, Shelf::Dimensions);
            let mut spec = add_to_shelf(&spec, &table, measure, Shelf::Measures);
            if spec.dimensions.is_empty() || spec.measures.is_empty() {
                return Err(format!("{dataset} has no field {dimension} or {measure}"));
            }
            spec.kind = *chart;
            spec.kind_chosen = true;
            let visual = Visual {
                id: new_id(),
                title: String::new(),
                dataset: dataset.clone(),
                spec,
            };
            let dashboard = Dashboard {
                id: new_id(),
                title: title.clone(),
                subtitle: String::new(),
                columns: 2,
                visuals: vec![visual],
            };
            state.visuals.dashboards.update(|all| all.push(dashboard));
            datasets::persist_dashboards(state);
            Ok(())
        }
        Action::Train { mode, dataset } => {
            let name = match dataset {
                Some(name) => name.clone(),
                None => {
                    datasets::open_base(state);
                    "churn".to_owned()
                }
            };
            let table = datasets::table_named(state, &name)
                .ok_or_else(|| format!("there is no dataset {name}"))?;
            let config = TrainConfig {
                mode: *mode,
                seed: ctx.seed,
                ..default_config(&table)
            };
            training::train_one(state, name, table, config).await?;
            ctx.note = state.training.last.with_untracked(|l| {
                l.as_ref().map(|l| {
                    format!(
                        "AUC {:.3}, accuracy {:.3}",
                        l.run.metrics.auc, l.run.metrics.test_accuracy
                    )
                })
            });
            Ok(())
        }
        Action::Deploy { name, better } => {
            let saved = training::save_model(state, name, "")?;
            ctx.made(OutputKind::Model, saved.clone());
            match better.and_then(|b| steps::not_better(state, b)) {
                Some(why) => ctx.note = Some(format!("saved {saved}, not deployed: {why}")),
                None => {
                    training::deploy_newest(state);
                    ctx.note = Some(format!("deployed {saved}"));
                }
            }
            Ok(())
        }
        Action::CallExample => {
            let example: Value =
                serde_json::from_str(WORKSHOP_EXAMPLE).map_err(|e| e.to_string())?;
            call_explain(state, &example, Method::Lime).map(|_| ())
        }
        Action::Simulate { scenario, calls } => {
            if let Some(why) = simulations::not_ready(state) {
                return Err(why);
            }
            if state.ops.progress.get_untracked().is_some() {
                return Err("a job is running on the Operations page: one at a time there; wait for it or cancel it".into());
            }
            let before = state.ops.simulations.with_untracked(Vec::len);
            let settings = SimSettings {
                calls: *calls,
                seed: ctx.seed,
                scenario: Scenario {
                    kind: *scenario,
                    ..Scenario::default()
                },
                ..SimSettings::default()
            };
            simulations::start(state, settings).await;
            let done = state.ops.simulations.with_untracked(Vec::len) > before;
            done.then_some(())
                .ok_or_else(|| "the simulation did not finish (see the Operations page)".into())
        }
    }
}
