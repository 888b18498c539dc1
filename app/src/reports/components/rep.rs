//! A rep's own numbers, phone first: big tappable cards, each opening the records behind it.

use crate::i18n::*;
use crate::reports::RepDashboard;
use crate::ui::{ErrorState, Icon, Loading};
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
fn Stat(
    href: &'static str,
    icon: &'static str,
    value: String,
    #[prop(into)] label: Signal<String>,
    #[prop(optional)] warn: bool,
) -> impl IntoView {
    view! {
        <A href=href attr:class=if warn { "stat-card warn" } else { "stat-card" }>
            <Icon name=icon size=20/>
            <strong class="stat-value">{value}</strong>
            <span class="stat-label">{label}</span>
        </A>
    }
}

#[component]
pub fn RepNumbers() -> impl IntoView {
    let i18n = use_i18n();
    let data = LocalResource::new(crate::reports::api::mine);
    view! {
        <Transition fallback=Loading>
            {move || data.get().map(|result| match result {
                Ok(d) => view! { <Cards d/> }.into_any(),
                Err(error) => view! { <ErrorState error on_retry=move |()| data.refetch()/> }.into_any(),
            })}
        </Transition>
        <p class="muted small">{t!(i18n, reports.rep_hint)}</p>
    }
}

#[component]
fn Cards(d: RepDashboard) -> impl IntoView {
    let i18n = use_i18n();
    let percent = |v: Option<f64>| v.map_or("—".to_string(), |v| format!("{v:.0}%"));
    let score = |v: Option<f64>| v.map_or("—".to_string(), |v| format!("{v:+.0}"));
    let value = if d.open_value.is_empty() {
        "0".to_string()
    } else {
        d.open_value
            .iter()
            .map(|m| crate::locale::format_money(m, i18n.get_locale_untracked()))
            .collect::<Vec<_>>()
            .join(" + ")
    };
    let (csat_n, nps_n) = (d.csat_answers, d.nps_answers);
    let overdue = d.follow_ups_overdue > 0;
    view! {
        <div class="stat-cards">
            <Stat href="/" icon="today" value=format!("{} / {}", d.visits_done, d.visits_planned)
                label=Signal::derive(move || t_string!(i18n, reports.visits_today).to_string())/>
            <Stat href="/tasks" icon="tasks" value=d.follow_ups_due.to_string()
                label=Signal::derive(move || t_string!(i18n, reports.follow_ups_due).to_string())/>
            <Stat href="/tasks" icon="alert" value=d.follow_ups_overdue.to_string() warn=overdue
                label=Signal::derive(move || t_string!(i18n, reports.follow_ups_overdue).to_string())/>
            <Stat href="/contacts?lifecycle=lead" icon="contacts" value=d.new_leads_week.to_string()
                label=Signal::derive(move || t_string!(i18n, reports.new_leads_week).to_string())/>
            <Stat href="/pipeline" icon="pipeline" value=d.open_deals.to_string()
                label=Signal::derive(move || t_string!(i18n, reports.open_deals).to_string())/>
            <Stat href="/pipeline" icon="pipeline" value=value
                label=Signal::derive(move || t_string!(i18n, reports.open_value).to_string())/>
            <Stat href="/contacts" icon="star" value=percent(d.csat)
                label=Signal::derive(move || t_string!(i18n, reports.my_csat, count = csat_n).to_string())/>
            <Stat href="/contacts" icon="star" value=score(d.nps)
                label=Signal::derive(move || t_string!(i18n, reports.my_nps, count = nps_n).to_string())/>
        </div>
    }
}
