//! Hash routes (`#/data`): they work from any folder, from `file://` and when
//! embedded, with no server rewrite rules.

use leptos::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    Overview,
    Data,
    Sql,
    Visuals,
    Explore,
    Train,
    Experiments,
    Deploy,
    Customers,
    Operations,
    Jobs,
    Share,
}

impl Page {
    pub const ALL: [Page; 12] = [
        Page::Overview,
        Page::Data,
        Page::Sql,
        Page::Visuals,
        Page::Explore,
        Page::Train,
        Page::Experiments,
        Page::Deploy,
        Page::Customers,
        Page::Operations,
        Page::Jobs,
        Page::Share,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Page::Overview => "overview",
            Page::Data => "data",
            Page::Sql => "sql",
            Page::Visuals => "visuals",
            Page::Explore => "explore",
            Page::Train => "train",
            Page::Experiments => "experiments",
            Page::Deploy => "deploy",
            Page::Customers => "customers",
            Page::Operations => "operations",
            Page::Jobs => "jobs",
            Page::Share => "share",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Page::Overview => "Overview",
            Page::Data => "Data",
            Page::Sql => "SQL",
            Page::Visuals => "Visuals",
            Page::Explore => "Explore",
            Page::Train => "Train",
            Page::Experiments => "Experiments",
            Page::Deploy => "Deploy",
            Page::Customers => "Customers",
            Page::Operations => "Operations",
            Page::Jobs => "Jobs",
            Page::Share => "Share",
        }
    }

    pub fn href(self) -> String {
        format!("#/{}", self.slug())
    }

    /// The page a location hash names; the data page by default.
    pub fn from_hash(hash: &str) -> Page {
        let slug = hash.trim_start_matches('#').trim_start_matches('/');
        let slug = slug.split(['/', '?']).next().unwrap_or_default();
        Page::ALL
            .into_iter()
            .find(|p| p.slug() == slug)
            .unwrap_or(Page::Data)
    }
}

/// The current page, following `hashchange`.
pub fn use_page() -> ReadSignal<Page> {
    let (page, set_page) = signal(Page::from_hash(&location_hash().unwrap_or_default()));
    let handle = window_event_listener(leptos::ev::hashchange, move |_| {
        set_page.set(Page::from_hash(&location_hash().unwrap_or_default()));
    });
    on_cleanup(move || handle.remove());
    page
}
