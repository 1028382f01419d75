//! A share link's recipe: not the learner's results but how to make them
//! again — which data (the default, or a same-origin URL), the saved
//! queries, the dashboards, the training configuration with its seed, and
//! whether to deploy the model. Opening the link rebuilds the same state
//! (the model retrains; the same seed gives the same coefficients).
//!
//! In the link it is JSON, compressed with DEFLATE, in URL-safe base64,
//! after a version number: `1.` + payload. Fragments carry it, since servers
//! cap query strings near 8 KB.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};

use crate::chart::dashboard::Dashboard;
use crate::model::config::TrainConfig;

/// The recipe version this app writes and reads.
pub const RECIPE_VERSION: u32 = 1;
/// The fragment key of a share link: `#share=1.…`.
pub const FRAGMENT_KEY: &str = "share=";
/// Inflated recipes larger than this are refused (a crafted link could
/// otherwise inflate to gigabytes).
pub const MAX_INFLATED_BYTES: usize = 1 << 20;

/// Where the data comes from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum DataSource {
    /// The embedded synthetic customers.
    Default,
    /// A CSV served by the same site, by its address relative to the app.
    Url { url: String },
}

/// A saved dataset, made again by running its SQL.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SavedQuery {
    pub name: String,
    pub sql: String,
}

/// Training and deploying a model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrainStep {
    /// The dataset to train on, by its SQL name (`churn`: the active one).
    pub dataset: String,
    pub config: TrainConfig,
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub deploy: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Recipe {
    pub v: u32,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    pub data: DataSource,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub queries: Vec<SavedQuery>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dashboards: Vec<Dashboard>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub train: Option<TrainStep>,
    /// The project's README (Markdown), shown on the Overview page.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub readme: String,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RecipeError {
    #[error("this is not a Churnlab share link (it has no \"#share=\" part)")]
    NotALink,
    #[error("this share link is damaged: {0}")]
    Damaged(String),
    #[error("this share link was made by a newer Churnlab (recipe version {0}; this one reads version {RECIPE_VERSION}): open it in the newer version")]
    Newer(u32),
    #[error("this share link's recipe is not valid: {0}")]
    Invalid(String),
}

impl Recipe {
    /// Checks what serde cannot: a same-origin URL, names, references.
    pub fn check(&self) -> Result<(), RecipeError> {
        let bad = |m: String| Err(RecipeError::Invalid(m));
        if let DataSource::Url { url } = &self.data {
            let lower = url.trim().to_ascii_lowercase();
            if lower.is_empty()
                || lower.contains("://")
                || lower.starts_with("//")
                || lower.starts_with("javascript:")
                || lower.starts_with("data:")
            {
                return bad(format!("the data must be a file of this site, given by a relative address, not {url:?}"));
            }
        }
        let mut names: Vec<&str> = Vec::new();
        for (i, q) in self.queries.iter().enumerate() {
            if q.name.trim().is_empty() || q.sql.trim().is_empty() {
                return bad(format!("query {} needs a name and SQL", i + 1));
            }
            if names.iter().any(|n| n.eq_ignore_ascii_case(&q.name)) {
                return bad(format!("two queries are called {:?}", q.name));
            }
            names.push(&q.name);
        }
        let known = |d: &str| {
            d.eq_ignore_ascii_case("churn") || names.iter().any(|n| n.eq_ignore_ascii_case(d))
        };
        for d in &self.dashboards {
            for v in &d.visuals {
                if !known(&v.dataset) {
                    return bad(format!(
                        "the dashboard {:?} shows a dataset {:?} that the recipe does not make",
                        d.title, v.dataset
                    ));
                }
            }
            if !(1..=3).contains(&d.columns) {
                return bad(format!(
                    "the dashboard {:?} has {} columns (1 to 3)",
                    d.title, d.columns
                ));
            }
        }
        if let Some(t) = &self.train {
            if !known(&t.dataset) {
                return bad(format!(
                    "the model trains on a dataset {:?} that the recipe does not make",
                    t.dataset
                ));
            }
        }
        Ok(())
    }

    /// The link's fragment payload: `1.` + base64url(deflate(JSON)).
    pub fn encode(&self) -> String {
        let json = serde_json::to_vec(self).unwrap_or_default();
        let packed = miniz_oxide::deflate::compress_to_vec(&json, 9);
        format!("{RECIPE_VERSION}.{}", URL_SAFE_NO_PAD.encode(packed))
    }

    /// Reads a payload written by [`Recipe::encode`].
    pub fn decode(payload: &str) -> Result<Recipe, RecipeError> {
        let payload = payload.trim();
        let (version, data) = payload
            .split_once('.')
            .ok_or_else(|| RecipeError::Damaged("it has no version".into()))?;
        let version: u32 = version
            .parse()
            .map_err(|_| RecipeError::Damaged(format!("{version:?} is not a version number")))?;
        if version > RECIPE_VERSION {
            return Err(RecipeError::Newer(version));
        }
        if version == 0 {
            return Err(RecipeError::Damaged("version 0 does not exist".into()));
        }
        let packed = URL_SAFE_NO_PAD
            .decode(data.trim_end_matches('='))
            .map_err(|e| RecipeError::Damaged(format!("it is not base64: {e}")))?;
        let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_INFLATED_BYTES)
            .map_err(|e| RecipeError::Damaged(format!("it does not inflate ({:?})", e.status)))?;
        // From text, as everywhere else: another reader would compile the
        // nested types' deserializers again into the wasm.
        let text = std::str::from_utf8(&json).map_err(|e| RecipeError::Damaged(e.to_string()))?;
        let recipe: Recipe =
            serde_json::from_str(text).map_err(|e| RecipeError::Damaged(e.to_string()))?;
        if recipe.v != version {
            return Err(RecipeError::Damaged(format!(
                "it says version {} inside and {version} outside",
                recipe.v
            )));
        }
        recipe.check()?;
        Ok(recipe)
    }

    /// The recipe in a location fragment (`#share=…`, maybe after a route).
    pub fn from_fragment(fragment: &str) -> Result<Recipe, RecipeError> {
        let i = fragment.find(FRAGMENT_KEY).ok_or(RecipeError::NotALink)?;
        let rest = &fragment[i + FRAGMENT_KEY.len()..];
        Recipe::decode(rest.split('&').next().unwrap_or(rest))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::dashboard::Visual;
    use crate::chart::{Agg, ChartKind, ChartSpec, MeasureSpec};

    /// The workshop's state as a recipe: its two queries' saved dataset, the
    /// seniors dashboard with two visuals, and the CV training of lab 5.
    pub(crate) fn workshop() -> Recipe {
        let visual = |id, dim: &str| Visual {
            id,
            title: format!("Seniors by {dim}"),
            dataset: "senior".into(),
            spec: ChartSpec {
                kind: ChartKind::Hbar,
                dimensions: vec![dim.into()],
                measures: vec![MeasureSpec {
                    field: "Record Count".into(),
                    agg: Agg::Count,
                }],
                ..ChartSpec::default()
            },
        };
        Recipe {
            v: RECIPE_VERSION,
            name: "Customer churn workshop".into(),
            data: DataSource::Default,
            queries: vec![SavedQuery {
                name: "senior".into(),
                sql: "SELECT * FROM churn WHERE seniorcitizen = \"1\"".into(),
            }],
            dashboards: vec![Dashboard {
                id: 1,
                title: "Senior citizens".into(),
                subtitle: "How seniors pay and what contracts they hold".into(),
                columns: 2,
                visuals: vec![visual(11, "PaymentMethod"), visual(12, "Contract")],
            }],
            train: Some(TrainStep {
                dataset: "churn".into(),
                config: TrainConfig::default(),
                name: crate::model::pipeline::DEFAULT_MODEL_NAME.into(),
                description: crate::model::pipeline::DEFAULT_DESCRIPTION.into(),
                deploy: true,
            }),
            readme: "# Customer churn\n\nThe workshop, **shared** as a link.".into(),
        }
    }

    #[test]
    fn the_workshop_recipe_round_trips_in_under_2_kb() {
        let r = workshop();
        let link = r.encode();
        assert!(link.starts_with("1."));
        assert!(link.len() < 2048, "{} characters", link.len());
        assert!(
            link.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)),
            "URL-safe: {link}"
        );
        assert_eq!(Recipe::decode(&link).unwrap(), r);
        assert_eq!(
            Recipe::from_fragment(&format!("#/visuals&{FRAGMENT_KEY}{link}")).unwrap(),
            r
        );
    }

    #[test]
    fn damaged_newer_and_invalid_links_say_why() {
        let link = workshop().encode();
        assert_eq!(
            Recipe::from_fragment("#/data").unwrap_err(),
            RecipeError::NotALink
        );
        assert!(matches!(
            Recipe::decode(&link[..link.len() - 9]),
            Err(RecipeError::Damaged(_))
        ));
        assert!(
            matches!(Recipe::decode("1.!!!"), Err(RecipeError::Damaged(m)) if m.starts_with("it is not base64"))
        );
        assert_eq!(
            Recipe::decode(&format!("2{}", &link[1..])).unwrap_err(),
            RecipeError::Newer(2)
        );
        let mut r = workshop();
        r.data = DataSource::Url {
            url: "https://evil.example/x.csv".into(),
        };
        assert!(
            matches!(Recipe::decode(&r.encode()), Err(RecipeError::Invalid(m)) if m.contains("relative address"))
        );
        let mut r = workshop();
        r.queries.clear();
        assert!(
            matches!(Recipe::decode(&r.encode()), Err(RecipeError::Invalid(m)) if m.contains("\"senior\""))
        );
        // A bomb: a megabyte of zeros inflates past the limit.
        let bomb = format!(
            "1.{}",
            URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(
                &vec![b' '; MAX_INFLATED_BYTES + 10],
                9
            ))
        );
        assert!(
            matches!(Recipe::decode(&bomb), Err(RecipeError::Damaged(m)) if m.contains("does not inflate"))
        );
    }
}
