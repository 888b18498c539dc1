//! Calendar: the agenda of the next seven days (day and week grids come with scheduling).

use super::agenda_card::AgendaCard;
use crate::i18n::*;
use crate::locale::Style;
use crate::ui::{ClientOnly, EmptyState, ErrorState, Loading};
use crate::users::Role;
use leptos::prelude::*;

#[component]
pub fn CalendarPage() -> impl IntoView {
    let i18n = use_i18n();
    let user = crate::session::current_user().get_untracked();
    let week = LocalResource::new(|| {
        let from = chrono::Utc::now();
        crate::appointments::api::between(from, from + chrono::Duration::days(7))
    });
    let show_assignee = user.role != Role::Rep;
    let tz = StoredValue::new(user.time_zone.as_str().to_string());
    view! {
        <section class="page">
            <header class="page-header">
                <h1>{t!(i18n, calendar.title)}</h1>
                <p class="muted">{t!(i18n, calendar.subtitle)}</p>
            </header>
            <ClientOnly><Transition fallback=Loading>
                {move || week.get().map(|result| match result {
                    Ok(items) if items.is_empty() => view! {
                        <EmptyState icon="calendar" title=move || t!(i18n, calendar.empty) hint=move || t!(i18n, today.empty_hint)/>
                    }.into_any(),
                    Ok(items) => {
                        let tz = tz.get_value();
                        view! {
                            <ol class="agenda">
                                {items.into_iter().map(|item| view! {
                                    <AgendaCard item time_zone=tz.clone() show_assignee style=Style::DateTime/>
                                }).collect_view()}
                            </ol>
                        }.into_any()
                    }
                    Err(error) => view! { <ErrorState error on_retry=move |()| week.refetch()/> }.into_any(),
                })}
            </Transition></ClientOnly>
        </section>
    }
}
