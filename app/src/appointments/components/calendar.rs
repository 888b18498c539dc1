//! Calendar: agenda (phones and desktop), day and week views on desktop. In the day view
//! managers and office staff see each rep in a column of their own, to find a free slot.
//! Below: the private feed address for Google Calendar, Outlook or Apple Calendar.

use super::agenda_card::AgendaCard;
use super::schedule::ScheduleDialog;
use crate::appointments::{grid, AgendaItem};
use crate::i18n::*;
use crate::locale::{format_instant, local_date, local_midnight, local_minutes, Style};
use crate::territories::RepOption;
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
    // Office staff and managers see every rep in scope in the day grid, free ones too.
    let reps = LocalResource::new(move || async move {
        if show_assignee {
            crate::territories::api::reps().await.unwrap_or_default()
        } else {
            Vec::new()
        }
    });
    let defs = LocalResource::new(|| crate::fields::api::list(crate::fields::RecordType::Appointment));
    provide_context(super::agenda_card::AppointmentFields(Signal::derive(move || {
        defs.get().and_then(Result::ok).unwrap_or_default()
    })));
    let me = StoredValue::new(RepOption { id: user.id, name: user.name.clone() });
    let adding = RwSignal::new(false);
    let status = RwSignal::new(None::<String>);
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
            <header class="page-header with-action">
                <div>
                    <h1>{t!(i18n, calendar.title)}</h1>
                    <ClientOnly><p class="muted">{range}</p></ClientOnly>
                </div>
                <button class="button primary" aria-expanded=move || adding.get().to_string() on:click=move |_| {
                    status.set(None);
                    adding.update(|a| *a = !*a);
                }>{t!(i18n, calendar.new_appointment)}</button>
            </header>
            <p class="saved" role="status">{move || status.get()}</p>
            <Show when=move || adding.get()>
                <ScheduleDialog choose_assignee=show_assignee
                    on_done=move |message: String| {
                        adding.set(false);
                        status.set(Some(message));
                        items.refetch();
                    }
                    on_cancel=move |()| adding.set(false)/>
            </Show>
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
                                        <AgendaCard item time_zone=tz.clone() show_assignee style=Style::DateTime on_changed=Callback::new(move |()| items.refetch())/>
                                    }).collect_view()}
                                </ol>
                            }.into_any(),
                            View::Day => {
                                let mut columns: Vec<RepOption> = if show_assignee {
                                    reps.get().unwrap_or_default()
                                } else {
                                    vec![me.get_value()]
                                };
                                for item in &list {
                                    if !columns.iter().any(|c| c.id == item.assignee_id) {
                                        columns.push(RepOption { id: item.assignee_id, name: item.assignee_name.clone() });
                                    }
                                }
                                view! { <DayGrid items=list columns time_zone=tz.clone() show_names=show_assignee/> }.into_any()
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

/// One column per person, hours down the side, each appointment a block at its time: free
/// slots are the gaps.
#[component]
fn DayGrid(items: Vec<AgendaItem>, columns: Vec<RepOption>, time_zone: String, show_names: bool) -> impl IntoView {
    let i18n = use_i18n();
    let spans: Vec<(i64, i64)> = items
        .iter()
        .map(|i| {
            let start = local_minutes(i.starts_at);
            let end = if local_date(i.ends_at) == local_date(i.starts_at) { local_minutes(i.ends_at) } else { 24 * 60 };
            (start, end.max(start))
        })
        .collect();
    let (first, last) = grid::hours(&spans);
    let height = (last - first) * 60;
    let labels: Vec<(i64, String)> = (first..last).map(|h| (h, format!("{h:02}:00"))).collect();
    view! {
        <div class="day-grid" style=format!("--grid-height: {height}px")>
            <div class="hour-labels" aria-hidden="true">
                {labels.into_iter().map(|(h, label)| view! {
                    <span class="hour-label" style=format!("top: {}px", (h - first) * 60)>{label}</span>
                }).collect_view()}
            </div>
            <div class="grid-columns">
                {columns.into_iter().map(|column| {
                    let mine: Vec<(AgendaItem, (i64, i64))> = items.iter().zip(&spans)
                        .filter(|(i, _)| i.assignee_id == column.id)
                        .map(|(i, s)| (i.clone(), *s))
                        .collect();
                    let blocks = grid::blocks(&mine.iter().map(|(_, s)| *s).collect::<Vec<_>>(), first);
                    let free = mine.is_empty();
                    let tz = time_zone.clone();
                    view! {
                        <section class="grid-column" aria-label=column.name.clone()>
                            <h2 class:hidden=!show_names>{column.name.clone()}</h2>
                            <div class="grid-body">
                                {free.then(|| view! { <p class="free muted">{t!(i18n, calendar.free_day)}</p> })}
                                {mine.into_iter().zip(blocks).map(|((item, _), b)| {
                                    let when = format!(
                                        "{}–{}",
                                        format_instant(item.starts_at, &tz, i18n.get_locale(), Style::Time),
                                        format_instant(item.ends_at, &tz, i18n.get_locale(), Style::Time)
                                    );
                                    let style = format!(
                                        "top: {}px; height: {}px; left: calc({} * 100% / {}); width: calc(100% / {} - 4px)",
                                        b.top, b.height, b.lane, b.lanes, b.lanes
                                    );
                                    let class = format!("grid-block kind-{}", item.kind.as_str());
                                    let with = item.contact_name.clone();
                                    let tip = format!("{when} {}", item.title);
                                    view! {
                                        <div class=class style=style title=tip>
                                            <strong>{when}</strong>
                                            <span>{item.title.clone()}</span>
                                            {with.map(|w| view! { <span class="muted">{w}</span> })}
                                        </div>
                                    }
                                }).collect_view()}
                            </div>
                        </section>
                    }
                }).collect_view()}
            </div>
        </div>
    }
}

/// The private feed address, a copy button, and making a new address.
#[component]
fn FeedCard() -> impl IntoView {
    let i18n = use_i18n();
    let feed = LocalResource::new(crate::appointments::api::calendar_feed);
    let rotate = crate::ui::browser_action(|(): &()| crate::appointments::api::rotate_calendar_feed());
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
