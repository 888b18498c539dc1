//! Today: the signed-in user's appointments for their local day.

use super::agenda_card::AgendaCard;
use crate::i18n::*;
use crate::locale::{format_count, format_instant, Style};
use crate::ui::{ClientOnly, EmptyState, ErrorState, Loading};
use crate::users::Role;
use leptos::prelude::*;

#[component]
pub fn TodayPage() -> impl IntoView {
    let i18n = use_i18n();
    let user = crate::session::current_user().get_untracked();
    let today = LocalResource::new(crate::appointments::api::today);
    let show_assignee = user.role != Role::Rep;
    let tz = StoredValue::new(user.time_zone.as_str().to_string());
    let first_name = user.name.split_whitespace().next().unwrap_or_default().to_string();
    let date = {
        let tz = tz.get_value();
        move || format_instant(chrono::Utc::now(), &tz, i18n.get_locale(), Style::LongDate)
    };
    view! {
        <section class="page">
            <header class="page-header">
                <p class="eyebrow">{date}</p>
                <h1>{t!(i18n, today.greeting, name = first_name.clone())}</h1>
            </header>
            <ClientOnly><Transition fallback=Loading>
                {move || today.get().map(|result| match result {
                    Ok(day) if day.items.is_empty() => view! {
                        <EmptyState icon="today" title=move || t!(i18n, today.empty) hint=move || t!(i18n, today.empty_hint)/>
                    }.into_any(),
                    Ok(day) => {
                        let count = day.items.len() as i64;
                        let tz = tz.get_value();
                        view! {
                            <p class="summary">{move || t_string!(i18n, today.count, count = format_count(count, i18n.get_locale()))}</p>
                            <ol class="agenda">
                                {day.items.into_iter().map(|item| view! { <AgendaCard item time_zone=tz.clone() show_assignee/> }).collect_view()}
                            </ol>
                        }.into_any()
                    }
                    Err(error) => view! { <ErrorState error on_retry=move |()| today.refetch()/> }.into_any(),
                })}
            </Transition></ClientOnly>
        </section>
    }
}
