//! Saving the last run's pipeline as a named model, with a description,
//! for deployment and explanations.

use leptos::prelude::*;

use crate::ui::model::training::save_model;
use crate::ui::state::use_app;

#[component]
pub fn SaveModel() -> impl IntoView {
    let state = use_app();
    let model_name = RwSignal::new(crate::core::model::pipeline::DEFAULT_MODEL_NAME.to_owned());
    let description = RwSignal::new(crate::core::model::pipeline::DEFAULT_DESCRIPTION.to_owned());
    let saved = RwSignal::new(None::<Result<String, String>>);
    view! {
        <div class="save-model">
            <h3>"Save the model"</h3>
            <p class="muted">
                "Saves the whole pipeline (categories, scaling, coefficients, training statistics) under a name, for deployment and explanations."
            </p>
            <div class="save-form">
                <input
                    type="text"
                    data-testid="model-name-input"
                    aria-label="Model name"
                    prop:value=model_name
                    on:input=move |ev| model_name.set(event_target_value(&ev))
                />
                <input
                    type="text"
                    class="grow"
                    data-testid="model-description-input"
                    aria-label="Description"
                    prop:value=description
                    on:input=move |ev| description.set(event_target_value(&ev))
                />
                <button
                    class="button primary"
                    data-testid="save-model"
                    on:click=move |_| {
                        saved
                            .set(
                                Some(
                                    save_model(
                                        state,
                                        &model_name.get_untracked(),
                                        &description.get_untracked(),
                                    ),
                                ),
                            )
                    }
                >
                    "Save model"
                </button>
            </div>
            {move || {
                saved
                    .get()
                    .map(|r| match r {
                        Ok(name) => {
                            view! {
                                <p class="saved-note" data-testid="save-model-done">
                                    {format!("Saved as \"{name}\".")}
                                </p>
                            }
                                .into_any()
                        }
                        Err(e) => {
                            view! {
                                <p class="form-error" role="alert">
                                    {e}
                                </p>
                            }
                                .into_any()
                        }
                    })
            }}
        </div>
    }
}
