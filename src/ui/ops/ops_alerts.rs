//! The Operations page's alerts: the rules (edited and applied), the
//! alerts they raised, and the scenario's answer key.

use leptos::prelude::*;

use crate::ui::ops::alert_rules::AlertRules;
use crate::ui::ops::alerts_raised::AlertsRaised;
use crate::ui::ops::answer_key::AnswerKey;

#[component]
pub fn OpsAlerts(as_of: Memo<usize>) -> impl IntoView {
    view! {
        <section class="ops-alerts" aria-label="Alerts">
            <AlertRules />
            <AlertsRaised as_of />
            <AnswerKey />
        </section>
    }
}
