//! The one field for a number, everywhere the app asks for one: the text
//! stays as typed and is checked as it is typed; text the field's rule does
//! not take marks the field, says under it what is wrong and what it takes,
//! and is listed in the form's [`Invalid`] so the button it blocks can say
//! why. A value it takes is passed on when the field is left (or Enter is
//! pressed). Nothing typed is silently replaced by an old value.

use leptos::prelude::*;

use crate::core::common::number_rule::NumberRule;

/// The fields of one form that hold no valid number, each with why.
#[derive(Clone, Copy)]
pub struct Invalid(RwSignal<Vec<(u64, String)>>);

impl Invalid {
    pub fn new() -> Invalid {
        Invalid(RwSignal::new(Vec::new()))
    }

    fn set(&self, field: u64, problem: Option<String>) {
        // `try_`: a field may outlive its form by a moment when both go.
        self.0.try_update(|list| {
            list.retain(|(f, _)| *f != field);
            if let Some(p) = problem {
                list.push((field, p));
            }
        });
    }

    /// Whether every field holds a valid number (tracked).
    pub fn is_clear(&self) -> bool {
        self.0.with(Vec::is_empty)
    }

    /// Why a button that needs the form is off: the first field's problem.
    pub fn reason(&self) -> Option<String> {
        self.0.with(|list| match list.as_slice() {
            [] => None,
            [(_, p)] => Some(p.clone()),
            [(_, p), rest @ ..] => Some(format!(
                "{p} ({} more field{} to mend.)",
                rest.len(),
                if rest.len() == 1 { "" } else { "s" }
            )),
        })
    }
}

impl Default for Invalid {
    fn default() -> Self {
        Invalid::new()
    }
}

/// `value` as the field first shows it.
fn shown(value: f64) -> String {
    format!("{value}")
}

#[component]
pub fn NumberField(
    /// The field's name: before it, and in its messages ("Max iterations").
    #[prop(into)]
    label: String,
    testid: &'static str,
    rule: NumberRule,
    /// The value now; the field shows it again when it changes elsewhere.
    #[prop(into)]
    value: Signal<f64>,
    /// Called with a value the rule takes, when the field is left.
    on_value: Callback<f64>,
    /// The form this field belongs to.
    invalid: Invalid,
    /// Text after the field (a unit: "%").
    #[prop(optional)]
    unit: &'static str,
    /// A narrower field.
    #[prop(optional)]
    short: bool,
    /// The name for screen readers only (a field in a table row, under a
    /// column header that says it).
    #[prop(optional)]
    quiet_label: bool,
) -> impl IntoView {
    // Each field's own key in the form's list (two rows may share a label).
    static NEXT_KEY: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    let key = NEXT_KEY.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let name = StoredValue::new(label.clone());
    let text = RwSignal::new(shown(value.get_untracked()));
    let problem = RwSignal::new(None::<String>);
    // A value set elsewhere (a reset, "Do it for me") replaces the text,
    // unless the text already says it; a signal that only fires again with
    // the same value (another setting of the form changed) leaves the text
    // as typed.
    Effect::new(move |previous: Option<f64>| {
        let v = value.get();
        let changed = previous.is_some_and(|p| p.to_bits() != v.to_bits());
        let same = name
            .with_value(|n| rule.read(n, &text.get_untracked()))
            .is_ok_and(|t| t == v);
        if changed && !same {
            text.set(shown(v));
            problem.set(None);
            invalid.set(key, None);
        }
        v
    });
    on_cleanup(move || invalid.set(key, None));
    let error_id = format!("{testid}-error");
    let check = move |typed: &str| match name.with_value(|n| rule.read(n, typed)) {
        Ok(v) => {
            problem.set(None);
            invalid.set(key, None);
            Some(v)
        }
        Err(e) => {
            problem.set(Some(e.clone()));
            invalid.set(key, Some(e));
            None
        }
    };
    let on_input = move |ev: leptos::ev::Event| {
        let typed = event_target_value(&ev);
        check(&typed);
        text.set(typed);
    };
    let on_change = move |ev: leptos::ev::Event| {
        if let Some(v) = check(&event_target_value(&ev)) {
            on_value.run(v);
        }
    };
    view! {
        <span class="number-field" class:invalid=move || problem.with(Option::is_some)>
            <label>
                <span class:visually-hidden=quiet_label>{label}" "</span>
                <input
                    type="text"
                    inputmode=if rule.whole && rule.min.is_some_and(|m| m.value >= 0.0) {
                        "numeric"
                    } else {
                        "decimal"
                    }
                    class:short=short
                    data-testid=testid
                    aria-invalid=move || problem.with(Option::is_some).to_string()
                    aria-describedby=error_id.clone()
                    prop:value=move || text.get()
                    on:input=on_input
                    on:change=on_change
                />
                {(!unit.is_empty()).then(|| format!(" {unit}"))}
            </label>
            <FieldError id=error_id testid problem />
        </span>
    }
}

/// A list of numbers the same way (a grid of values to try): the text
/// stays as typed; every value is checked with `rule` as it is typed and
/// the first that is not taken marks the field, is said under it and
/// blocks the form's button with the reason. `text` is the list as typed.
#[component]
pub fn NumberListField(
    /// The field's name: before it, and in its messages ("Grid of C").
    #[prop(into)]
    label: String,
    testid: &'static str,
    rule: NumberRule,
    text: RwSignal<String>,
    invalid: Invalid,
    /// Its name in messages, when the label is a symbol ("max_iter ∈").
    #[prop(optional, into)]
    named: Option<String>,
) -> impl IntoView {
    static NEXT_KEY: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1 << 32);
    let key = NEXT_KEY.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let name = StoredValue::new(named.unwrap_or_else(|| label.clone()));
    let problem = Memo::new(move |_| {
        text.with(|t| name.with_value(|n| rule.read_list(n, t)))
            .err()
    });
    // The form's list follows the field's problem, whoever changed the text.
    Effect::new(move |_| invalid.set(key, problem.get()));
    on_cleanup(move || invalid.set(key, None));
    let error_id = format!("{testid}-error");
    view! {
        <span class="number-field" class:invalid=move || problem.with(Option::is_some)>
            <label>
                {label}" "
                <input
                    type="text"
                    data-testid=testid
                    aria-invalid=move || problem.with(Option::is_some).to_string()
                    aria-describedby=error_id.clone()
                    prop:value=move || text.get()
                    on:input=move |ev| text.set(event_target_value(&ev))
                />
            </label>
            <FieldError id=error_id testid problem />
        </span>
    }
}

/// What is wrong with a field's text, under it (empty when nothing is).
#[component]
fn FieldError(
    id: String,
    testid: &'static str,
    #[prop(into)] problem: Signal<Option<String>>,
) -> impl IntoView {
    view! {
        <span class="field-error" id=id data-testid=format!("{testid}-error") role="alert">
            {move || problem.get()}
        </span>
    }
}
