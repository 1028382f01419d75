//! The deployed model's `explain` endpoint on the Deploy page (and in an
//! embedded view): the model it serves, a console to call it with a
//! customer's JSON (LIME or exact contributions), and how to call it from a
//! page that embeds the app.

use leptos::prelude::*;

use crate::core::explain::endpoint::{Method, WORKSHOP_EXAMPLE};
use crate::core::model::pipeline::SavedModel;
use crate::ui::browser::perf::now_ms;
use crate::ui::explain::endpoint::call_explain;
use crate::ui::state::use_app;
use crate::ui::widgets::embed_button::EmbedButton;

/// When a model was made, in the browser's time zone, to the minute.
pub fn created(ms: f64) -> String {
    let d = js_sys::Date::new(&ms.into());
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date(),
        d.get_hours(),
        d.get_minutes()
    )
}

#[component]
pub fn EndpointPanel(model: SavedModel) -> impl IntoView {
    let state = use_app();
    let input = RwSignal::new(WORKSHOP_EXAMPLE.to_owned());
    let method = RwSignal::new(Method::Lime);
    let output = RwSignal::new(None::<Result<(String, f64), String>>);
    let test = move |_| {
        let start = now_ms();
        let result = serde_json::from_str::<serde_json::Value>(&input.get_untracked())
            .map_err(|e| format!("the input is not valid JSON: {e}"))
            .and_then(|v| call_explain(state, &v, method.get_untracked()));
        let ms = now_ms() - start;
        output.set(Some(result.map(|v| {
            (serde_json::to_string_pretty(&v).unwrap_or_default(), ms)
        })));
    };
    let fields = model
        .stats
        .iter()
        .map(|s| s.column().to_owned())
        .collect::<Vec<_>>()
        .join(", ");
    let howto = "// From a page that embeds Churnlab (same origin):\nconst r = await window.churnlab.explain({ tenure: 29, Contract: \"Month-to-month\" });\n// r = { data: {…all 19 fields…}, probability: 0.…, explanation: { tenure: …, … } }\nconst p = await window.churnlab.predict({ tenure: 29 });\n// Exact contributions instead of LIME:\nawait window.churnlab.explain(customer, \"exact\");\n// Bad input rejects with an Error naming the field.".to_string();
    view! {
        <section class="endpoint" aria-label="Explain endpoint">
            <div class="runs-bar">
                <h3>{format!("Endpoint: {} v{}", model.name, model.model_version)}</h3>
                <EmbedButton query="embed=endpoint" what="the endpoint console" />
            </div>
            <p class="muted">
                {format!(
                    "{} · build {} · created {}",
                    model.description,
                    model.build_id,
                    created(model.created_ms),
                )}
            </p>
            <div class="endpoint-grid">
                <div class="console">
                    <label for="endpoint-input">
                        "Input: one customer as JSON (missing fields get defaults: the first category, or the median)"
                    </label>
                    <textarea
                        id="endpoint-input"
                        data-testid="endpoint-input"
                        spellcheck="false"
                        rows="22"
                        prop:value=input
                        on:input=move |ev| input.set(event_target_value(&ev))
                    ></textarea>
                    <div class="form-actions">
                        <label>
                            "Explanation "
                            <select
                                data-testid="explain-method"
                                on:change=move |ev| {
                                    method
                                        .set(
                                            Method::from_id(&event_target_value(&ev))
                                                .unwrap_or(Method::Lime),
                                        )
                                }
                            >
                                <option value="lime" selected=true>
                                    "LIME (as in the workshop)"
                                </option>
                                <option value="exact">"exact contributions"</option>
                            </select>
                        </label>
                        <button class="button primary" data-testid="endpoint-test" on:click=test>
                            "Test"
                        </button>
                        <button
                            class="button"
                            on:click=move |_| input.set(WORKSHOP_EXAMPLE.to_owned())
                        >
                            "Workshop example"
                        </button>
                    </div>
                </div>
                <div class="response">
                    <span class="label">"Response"</span>
                    {move || match output.get() {
                        None => {
                            view! { <p class="muted">"Press Test to call the endpoint."</p> }
                                .into_any()
                        }
                        Some(Ok((text, ms))) => {
                            view! {
                                <p class="muted" data-testid="endpoint-time">
                                    {format!("Answered in {ms:.1} ms")}
                                </p>
                                <pre class="json" data-testid="endpoint-output">
                                    {text}
                                </pre>
                            }
                                .into_any()
                        }
                        Some(Err(e)) => {
                            view! {
                                <p class="form-error" role="alert" data-testid="endpoint-error">
                                    {e}
                                </p>
                            }
                                .into_any()
                        }
                    }}
                </div>
            </div>
            <details class="howto" data-testid="endpoint-howto" open>
                <summary>"How to call it"</summary>
                <p>
                    {format!(
                        "Fields: {fields}. Numbers may be given as strings; categories must be one of the model's. Unknown fields are rejected.",
                    )}
                </p>
                <pre class="json">{howto}</pre>
            </details>
        </section>
    }
}
