//! The app shell: provides state, reads the page URL, and lays out the
//! header, load progress, notices and the current page — or, embedded in
//! another page (`?embed=`), the one view asked for without the chrome.

pub mod header;
pub mod notices;

use leptos::prelude::*;

use crate::ui::browser::location::query_param;
use crate::ui::browser::storage;
use crate::ui::chart::explore_page::ExplorePage;
use crate::ui::chart::visuals_page::VisualsPage;
use crate::ui::data::data_page::DataPage;
use crate::ui::data::drop_overlay::DropOverlay;
use crate::ui::data::load_progress::LoadProgressBar;
use crate::ui::data::loader;
use crate::ui::explain::customers_page::CustomersPage;
use crate::ui::explain::deploy_page::DeployPage;
use crate::ui::jobs::jobs_page::JobsPage;
use crate::ui::labs::lab_panel::LabPanel;
use crate::ui::model::experiments_page::ExperimentsPage;
use crate::ui::model::train_page::TrainPage;
use crate::ui::ops::operations_page::OperationsPage;
use crate::ui::query::sql_page::SqlPage;
use crate::ui::routes::{use_page, Page};
use crate::ui::share::embedded_page::EmbeddedPage;
use crate::ui::share::overview_page::OverviewPage;
use crate::ui::share::share_page::SharePage;
use crate::ui::share::share_status::ShareStatus;
use crate::ui::share::{embed, link, offline};
use crate::ui::state::{provide_app, NoticeKind, Settings};
use header::Header;
use notices::Notices;

fn settings_from_url() -> Settings {
    let mut settings = Settings::default();
    if let Some(mb) = query_param("memory_budget_mb")
        .and_then(|v| v.parse::<f64>().ok())
        .filter(|v| *v > 0.0)
    {
        settings.memory_budget_bytes = (mb * 1_000_000.0) as usize;
    }
    if query_param("workers").as_deref() == Some("0") {
        settings.use_workers = false;
    }
    settings
}

#[component]
pub fn App() -> impl IntoView {
    let (embedded, embed_error) = match embed::view_from_url() {
        None => (None, None),
        Some(Ok(view)) => (Some(view), None),
        Some(Err(e)) => (None, Some(e)),
    };
    // A view embedded with its share link is rebuilt from the link alone and
    // leaves the browser's storage of this site untouched.
    if embedded.is_some() && link::from_location().is_some() {
        storage::use_memory();
    }
    let state = provide_app(settings_from_url(), embedded.clone());
    crate::ui::js_api::install_with_state(state);
    loader::startup(state, query_param("data"));
    leptos::task::spawn_local(crate::ui::ops::simulations::restore(state));
    leptos::task::spawn_local(crate::ui::ops::tracking::restore(state));
    leptos::task::spawn_local(crate::ui::labs::source::restore(state));
    if embedded.is_none() {
        leptos::task::spawn_local(crate::ui::jobs::store::restore(state));
        crate::ui::jobs::runner::start(state);
    }
    leptos::task::spawn_local(crate::ui::share::project_io::restore_info(state));
    offline::watch(state);
    if embedded.is_none() {
        crate::ui::browser::tabs::guard_unload(|| crate::ui::browser::perf::saves_pending() > 0);
        crate::ui::browser::tabs::listen(move |what| {
            state.notify_about(
                "tabs",
                NoticeKind::Warning,
                "Churnlab is open in another tab, which saved changes",
                vec![format!("{what} was saved there. Reload this tab to see it: what you save here would otherwise replace it.")],
            )
        });
    }
    link::open_from_location(state);

    if let Some(error) = embed_error {
        return view! {
            <div class="app embedded">
                <p class="notice error embed-error" data-testid="embed-error" role="alert">
                    {format!("This address asks for a view that cannot be embedded: {error}.")}
                </p>
            </div>
        }
        .into_any();
    }
    if let Some(view) = embedded {
        embed::start(state, view.clone());
        return view! {
            <div class="app embedded" data-testid="embedded-app">
                <LoadProgressBar />
                <ShareStatus />
                <Notices />
                <main class="page" id="main">
                    // Each view names itself for screen readers; its own headings follow.
                    <h1 class="visually-hidden">{view.title()}</h1>
                    <EmbeddedPage view />
                </main>
            </div>
        }
        .into_any();
    }

    let page = use_page();
    view! {
        <div class="app">
            <Header page />
            <LoadProgressBar />
            <ShareStatus />
            <Notices />
            <div class="workspace" class:with-lab=move || state.labs.open.get()>
                <main class="page" id="main" data-page=move || page.get().slug()>
                    // Every page is named by one heading for screen readers; the
                    // pages' own titles and sections follow as h2 and h3.
                    <h1 class="visually-hidden">
                        {move || format!("Churnlab: {}", page.get().title())}
                    </h1>
                    {move || match page.get() {
                        Page::Overview => view! { <OverviewPage /> }.into_any(),
                        Page::Data => view! { <DataPage /> }.into_any(),
                        Page::Sql => view! { <SqlPage /> }.into_any(),
                        Page::Visuals => view! { <VisualsPage /> }.into_any(),
                        Page::Explore => view! { <ExplorePage /> }.into_any(),
                        Page::Train => view! { <TrainPage /> }.into_any(),
                        Page::Experiments => view! { <ExperimentsPage /> }.into_any(),
                        Page::Deploy => view! { <DeployPage /> }.into_any(),
                        Page::Customers => view! { <CustomersPage /> }.into_any(),
                        Page::Operations => view! { <OperationsPage /> }.into_any(),
                        Page::Jobs => view! { <JobsPage /> }.into_any(),
                        Page::Share => view! { <SharePage /> }.into_any(),
                    }}
                </main>
                <Show when=move || state.labs.open.get()>
                    <LabPanel />
                </Show>
            </div>
            <DropOverlay />
        </div>
    }
    .into_any()
}
