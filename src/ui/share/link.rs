//! Share links: the state's recipe (`core::share::recipe`) in the page's
//! fragment, and opening such a link — the data loaded, the saved queries
//! run again, the dashboards added, the model trained with the same seed
//! and deployed — with the steps shown as they happen.

use leptos::prelude::*;

use crate::core::common::numfmt::plural;
use crate::core::data::catalog::Origin;
use crate::core::share::recipe::{
    DataSource, Recipe, RecipeError, SavedQuery, TrainStep, FRAGMENT_KEY, RECIPE_VERSION,
};
use crate::ui::browser::held::Ticket;
use crate::ui::data::datasets;
use crate::ui::data::loader::load_url;
use crate::ui::model::training;
use crate::ui::query::sql;
use crate::ui::state::{AppState, NoticeKind};

/// The recipe of the current state, or why there cannot be one.
pub fn recipe(state: AppState) -> Result<Recipe, String> {
    let base = state.base.get_untracked();
    let data = match &base.origin {
        Origin::Synthetic { .. } => DataSource::Default,
        Origin::Url { url } if !url.contains("://") && !url.starts_with("//") => DataSource::Url { url: url.clone() },
        Origin::Url { url } => return Err(format!("The data came from {url}, another site; a share link can only name the default data or a file of this site. Export the project instead.")),
        Origin::File { file_name } => return Err(format!("The data came from {file_name} on this computer, which a link cannot carry. Export the project instead (it holds the data).")),
        Origin::Saved { .. } => DataSource::Default,
    };
    let queries = state
        .saved
        .get_untracked()
        .into_iter()
        .map(|d| SavedQuery {
            name: d.name,
            sql: d.sql,
        })
        .collect();
    let models = state.training.models.get_untracked();
    let deployed = state.training.deployed.get_untracked();
    let model = models
        .iter()
        .find(|m| Some(&m.build_id) == deployed.as_ref())
        .or(models.last());
    let train = model.map(|m| {
        let dataset = m.run_id.and_then(|id| {
            state
                .training
                .runs
                .with_untracked(|r| r.iter().find(|r| r.id == id).map(|r| r.dataset.clone()))
        });
        let dataset = dataset
            .filter(|d| {
                state
                    .saved
                    .with_untracked(|s| s.iter().any(|x| &x.name == d))
            })
            .unwrap_or_else(|| "churn".into());
        TrainStep {
            dataset,
            config: m.config.clone(),
            name: m.name.clone(),
            description: m.description.clone(),
            deploy: Some(&m.build_id) == deployed.as_ref(),
        }
    });
    let recipe = Recipe {
        v: RECIPE_VERSION,
        name: base.table.name().to_owned(),
        data,
        queries,
        dashboards: state.visuals.dashboards.get_untracked(),
        train,
        readme: state.project.with_untracked(|p| p.readme.clone()),
    };
    recipe.check().map_err(|e| e.to_string())?;
    Ok(recipe)
}

/// The page's address with `recipe` as its fragment.
pub fn link(recipe: &Recipe) -> String {
    let location = web_sys::window().map(|w| w.location());
    // Not the query: `?data=` and the like would act beside the recipe.
    let here = location
        .and_then(|l| Some(format!("{}{}", l.origin().ok()?, l.pathname().ok()?)))
        .unwrap_or_default();
    let here = if here.starts_with("null") {
        String::new()
    } else {
        here
    };
    format!("{here}#{FRAGMENT_KEY}{}", recipe.encode())
}

/// The recipe in this page's address, if it has one.
pub fn from_location() -> Option<Result<Recipe, RecipeError>> {
    let hash = web_sys::window()?.location().hash().ok()?;
    hash.contains(FRAGMENT_KEY)
        .then(|| Recipe::from_fragment(&hash))
}

fn step(state: AppState, label: impl Into<String>) {
    state.share.rebuilding.set(Some(label.into()));
}

/// Rebuilds the state a share link describes.
pub async fn rebuild(state: AppState, recipe: Recipe) -> Result<String, String> {
    state.idle().await;
    match &recipe.data {
        DataSource::Default => {
            step(state, "Loading the default data");
            datasets::reset_to_default(state);
        }
        DataSource::Url { url } => {
            step(state, format!("Loading {url}"));
            load_url(state, url).await?;
        }
    }
    for q in &recipe.queries {
        step(state, format!("Saving the dataset {}", q.name));
        let (table, _) = sql::run(state, &q.sql, &|_, _| {}, &Ticket::new())
            .await
            .map_err(|e| format!("The query for {} fails: {e}", q.name))?;
        datasets::replace_saved(state, &q.name, &q.sql, &table)?;
    }
    if !recipe.readme.is_empty() {
        crate::ui::share::project_io::set_info(
            state,
            crate::core::share::project::ProjectInfo {
                readme: recipe.readme.clone(),
                ..state.project.get_untracked()
            },
        );
    }
    if !recipe.dashboards.is_empty() {
        state.visuals.dashboards.update(|all| {
            for d in &recipe.dashboards {
                all.retain(|x| x.id != d.id);
                all.push(d.clone());
            }
        });
        datasets::persist_dashboards(state);
    }
    let mut summary = format!(
        "Rebuilt from the share link: {}, {}",
        plural(recipe.queries.len(), "dataset"),
        plural(recipe.dashboards.len(), "dashboard")
    );
    if let Some(t) = &recipe.train {
        step(
            state,
            format!("Training {} (seed {})", t.name, t.config.seed),
        );
        let table = datasets::table_named(state, &t.dataset)
            .ok_or_else(|| format!("There is no dataset {} to train on.", t.dataset))?;
        training::train_one(state, t.dataset.clone(), table, t.config.clone()).await?;
        training::save_model(state, &t.name, &t.description)?;
        summary.push_str(&format!(", {} trained", t.name));
        if t.deploy {
            training::deploy_newest(state);
            summary.push_str(" and deployed");
        }
    }
    summary.push('.');
    Ok(summary)
}

/// At start-up: a share link in the address is opened, then removed from it.
pub fn open_from_location(state: AppState) {
    let Some(result) = from_location() else {
        return;
    };
    let page = match &result {
        Ok(r) if r.train.as_ref().is_some_and(|t| t.deploy) => "#/deploy",
        Ok(r) if !r.dashboards.is_empty() => "#/visuals",
        _ => "#/data",
    };
    if let Some(w) = web_sys::window() {
        let _ = w.location().set_hash(page);
    }
    match result {
        Err(e) => state.notify(
            NoticeKind::Error,
            "This share link cannot be opened",
            vec![e.to_string(), "Nothing was changed.".into()],
        ),
        Ok(recipe) => leptos::task::spawn_local(async move {
            let outcome = rebuild(state, recipe).await;
            state.share.rebuilding.set(None);
            match outcome {
                Ok(summary) => state.notify(NoticeKind::Info, summary, Vec::new()),
                Err(e) => state.notify(
                    NoticeKind::Error,
                    "The share link was opened only in part",
                    vec![e],
                ),
            }
        }),
    }
}
