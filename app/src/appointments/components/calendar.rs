//! Calendar: agenda (phones and desktop), day and week views on desktop. In the day view
//! managers and office staff see each rep in a column of their own, to find a free slot.
//! Below: the private feed address for Google Calendar, Outlook or Apple Calendar.

use super::agenda_card::AgendaCard;
use crate::appointments::AgendaItem;
use crate::i18n::*;
use crate::locale::{format_instant, local_date, local_midnight, Style};
use crate::ui::{confirm, ClientOnly, EmptyState, ErrorState, Loading};
use crate::users::Role;
use chrono::{Datelike, Duration, NaiveDate};
use leptos::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum View {
    Agenda,
    Day,
    Week,
}

/// The first and last+1 local dates a view shows around `anchor`.
fn window(view: View, anchor: NaiveDate) -> (NaiveDate, NaiveDate) {
    match view {
        View::Agenda => (anchor, anchor + Duration::days(7)),
        View::Day => (anchor, anchor + Duration::days(1)),
        View::Week => {
            let monday = anchor - Duration::days(i64::from(anchor.weekday().num_days_from_monday()));
            (monday, monday + Duration::days(7))
        }
    }
}

/// Items grouped by a key, keeping first-seen order.
fn group_by<K: PartialEq + Clone>(items: &[AgendaItem], key: impl Fn(&AgendaItem) -> K) -> Vec<(K, Vec<AgendaItem>)> {
    let mut groups: Vec<(K, Vec<AgendaItem>)> = Vec::new();
    for item in items {
        let k = key(item);
        match groups.iter_mut().find(|(g, _)| *g == k) {
            Some((_, list)) => list.push(item.clone()),
            None => groups.push((k, vec![item.clone()])),
        }
    }
    groups
}

#[component]
pub fn CalendarPage() -> impl IntoView {
    let i18n = use_i18n();
    let user = crate::session::current_user().get_untracked();
    let view_kind = RwSignal::new(View::Agenda);
    let anchor = RwSignal::new(local_date(chrono::Utc::now()));
    let items = LocalResource::new(move || {
        let (first, last) = window(view_kind.get(), anchor.get());
        crate::appointments::api::between(local_midnight(first), local_midnight(last))
    });
    let show_assignee = user.role != Role::Rep;
    let tz = StoredValue::new(user.time_zone.as_str().to_string());
    let step = move |forward: bool| {
        let days = match view_kind.get_untracked() {
            View::Day => 1,
            View::Agenda | View::Week => 7,
        };
        anchor.update(|a| *a += Duration::days(if forward { days } else { -days }));
    };
    let range = move || {
        let (first, last) = window(view_kind.get(), anchor.get());
        let locale = i18n.get_locale();
        let fmt = |d: NaiveDate| {
            format_instant(local_midnight(d) + Duration::hours(12), &tz.get_value(), locale, Style::LongDate)
        };
        if last - first == Duration::days(1) {
            fmt(first)
        } else {
            format!("{} – {}", fmt(first), fmt(last - Duration::days(1)))
        }
    };
    let tab = move |which: View, label: &'static str| {
        view! {
            <button class="chip" role="tab" aria-selected=move || (view_kind.get() == which).to_string()
                on:click=move |_| view_kind.set(which)>{label}</button>
        }
    };
    view! {
        <section class="page calendar">
            <header class="page-header">
                <h1>{t!(i18n, calendar.title)}</h1>
                <p class="muted">{range}</p>
            </header>
            <div class="calendar-bar">
                <div class="calendar-views" role="tablist">
                    {tab(View::Agenda, t_string!(i18n, calendar.agenda))}
                    {tab(View::Day, t_string!(i18n, calendar.day))}
                    {tab(View::Week, t_string!(i18n, calendar.week))}
                </div>
                <div class="calendar-nav">
                    <button class="button secondary" on:click=move |_| step(false) aria-label=move || t_string!(i18n, calendar.previous)>"‹"</button>
                    <button class="button secondary" on:click=move |_| anchor.set(local_date(chrono::Utc::now()))>{t!(i18n, calendar.today)}</button>
                    <button class="button secondary" on:click=move |_| step(true) aria-label=move || t_string!(i18n, calendar.next)>"›"</button>
                </div>
            </div>
            <ClientOnly><Transition fallback=Loading>
                {move || items.get().map(|result| match result {
                    Ok(list) => {
                        let tz = tz.get_value();
                        match view_kind.get() {
                            View::Agenda if list.is_empty() => view! {
                                <EmptyState icon="calendar" title=move || t!(i18n, calendar.empty) hint=move || t!(i18n, today.empty_hint)/>
                            }.into_any(),
                            View::Agenda => view! {
                                <ol class="agenda">
                                    {list.into_iter().map(|item| view! {
                                        <AgendaCard item time_zone=tz.clone() show_assignee style=Style::DateTime/>
                                    }).collect_view()}
                                </ol>
                            }.into_any(),
                            View::Day => {
                                let columns = group_by(&list, |i| i.assignee_name.clone());
                                view! {
                                    <div class="day-columns">
                                        {if columns.is_empty() {
                                            view! { <p class="muted">{t!(i18n, calendar.empty_day)}</p> }.into_any()
                                        } else {
                                            columns.into_iter().map(|(name, items)| view! {
                                                <section class="day-column" aria-label=name.clone()>
                                                    {show_assignee.then(|| view! { <h2>{name.clone()}</h2> })}
                                                    <ol class="agenda">
                                                        {items.into_iter().map(|item| view! { <AgendaCard item time_zone=tz.clone() show_assignee=false/> }).collect_view()}
                                                    </ol>
                                                </section>
                                            }).collect_view().into_any()
                                        }}
                                    </div>
                                }.into_any()
                            }
                            View::Week => {
                                let (first, _) = window(View::Week, anchor.get_untracked());
                                let by_day = group_by(&list, |i| local_date(i.starts_at));
                                view! {
                                    <div class="week-grid">
                                        {(0..7).map(|d| {
                                            let date = first + Duration::days(d);
                                            let items = by_day.iter().find(|(k, _)| *k == date).map(|(_, v)| v.clone()).unwrap_or_default();
                                            let heading = format_instant(local_midnight(date) + Duration::hours(12), &tz, i18n.get_locale(), Style::Date);
                                            view! {
                                                <section class="week-day" class:today=date == local_date(chrono::Utc::now())>
                                                    <h2>{heading}</h2>
                                                    <ol class="agenda">
                                                        {items.into_iter().map(|item| view! { <AgendaCard item time_zone=tz.clone() show_assignee/> }).collect_view()}
                                                    </ol>
                                                </section>
                                            }
                                        }).collect_view()}
                                    </div>
                                }.into_any()
                            }
                        }
                    }
                    Err(error) => view! { <ErrorState error on_retry=move |()| items.refetch()/> }.into_any(),
                })}
            </Transition></ClientOnly>
            <ClientOnly><FeedCard/></ClientOnly>
        </section>
    }
}

/// The private feed address, a copy button, and making a new address.
#[component]
fn FeedCard() -> impl IntoView {
    let i18n = use_i18n();
    let feed = LocalResource::new(crate::appointments::api::calendar_feed);
    let rotate = Action::new_local(|_: &()| crate::appointments::api::rotate_calendar_feed());
    let copied = RwSignal::new(false);
    let url = move || {
        rotate.value().get().and_then(Result::ok).or_else(|| feed.get().and_then(Result::ok)).unwrap_or_default()
    };
    let copy = move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(window) = web_sys::window() {
            let _ = window.navigator().clipboard().write_text(&url());
        }
        copied.set(true);
    };
    view! {
        <section class="card feed-card">
            <h2>{t!(i18n, calendar.feed)}</h2>
            <p class="muted">{t!(i18n, calendar.feed_hint)}</p>
            <div class="feed-row">
                <input readonly aria-label=move || t_string!(i18n, calendar.feed) prop:value=url on:focus=|ev| {
                    #[cfg(feature = "hydrate")]
                    {
                        use wasm_bindgen::JsCast;
                        if let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                            input.select();
                        }
                    }
                    #[cfg(not(feature = "hydrate"))]
                    let _ = ev;
                }/>
                <button class="button secondary" on:click=copy>
                    {move || if copied.get() { t_string!(i18n, calendar.copied) } else { t_string!(i18n, calendar.copy) }}
                </button>
            </div>
            <button class="button danger-outline" disabled=move || rotate.pending().get() on:click=move |_| {
                if confirm(t_string!(i18n, calendar.rotate_confirm)) {
                    copied.set(false);
                    rotate.dispatch(());
                }
            }>{t!(i18n, calendar.rotate)}</button>
        </section>
    }
}
