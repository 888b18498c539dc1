//! The contact's timeline, newest first, a page at a time.

use crate::common::ContactId;
use crate::contacts::{TimelineEntry, TimelineKind};
use crate::i18n::*;
use crate::locale::{format_instant, Style};
use crate::ui::{ErrorState, Icon, Loading};
use leptos::prelude::*;

fn kind_label(i18n: leptos_i18n::I18nContext<Locale>, kind: TimelineKind) -> &'static str {
    match kind {
        TimelineKind::Call => t_string!(i18n, timeline.call),
        TimelineKind::Email => t_string!(i18n, timeline.email),
        TimelineKind::Sms => t_string!(i18n, timeline.sms),
        TimelineKind::Chat => t_string!(i18n, timeline.chat),
        TimelineKind::Social => t_string!(i18n, timeline.social),
        TimelineKind::Note => t_string!(i18n, timeline.note),
        TimelineKind::Visit => t_string!(i18n, timeline.visit),
        TimelineKind::Appointment => t_string!(i18n, timeline.appointment),
        TimelineKind::Deal => t_string!(i18n, timeline.deal),
        TimelineKind::Feedback => t_string!(i18n, timeline.feedback),
        TimelineKind::Task => t_string!(i18n, timeline.task),
        TimelineKind::Change => t_string!(i18n, timeline.change),
    }
}

fn kind_icon(kind: TimelineKind) -> &'static str {
    match kind {
        TimelineKind::Call => "phone",
        TimelineKind::Email | TimelineKind::Sms | TimelineKind::Chat | TimelineKind::Social => "mail",
        TimelineKind::Visit => "pin",
        TimelineKind::Appointment => "calendar",
        TimelineKind::Task => "clock",
        TimelineKind::Note | TimelineKind::Deal | TimelineKind::Feedback | TimelineKind::Change => "today",
    }
}

/// The detail line; a follow-up's is its due time, shown in the user's zone.
fn detail_text(entry: &TimelineEntry, zone: &str, locale: Locale) -> Option<String> {
    let detail = entry.detail.clone()?;
    if entry.kind == TimelineKind::Task {
        if let Ok(due) = chrono::DateTime::parse_from_rfc3339(&detail) {
            return Some(format_instant(due.with_timezone(&chrono::Utc), zone, locale, Style::DateTime));
        }
    }
    Some(detail)
}

#[component]
pub fn Timeline(id: ContactId, changes: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let first = LocalResource::new(move || {
        changes.track();
        crate::contacts::api::timeline(id, None)
    });
    view! {
        <section class="card timeline-card" aria-labelledby="timeline-title">
            <h2 id="timeline-title">{t!(i18n, timeline.title)}</h2>
            <Transition fallback=Loading>
                {move || first.get().map(|result| match result {
                    Ok(page) if page.items.is_empty() => view! { <p class="muted">{t!(i18n, timeline.empty)}</p> }.into_any(),
                    Ok(page) => view! { <Entries initial=page.items cursor=page.next_cursor id/> }.into_any(),
                    Err(error) => view! { <ErrorState error on_retry=move |()| first.refetch()/> }.into_any(),
                })}
            </Transition>
        </section>
    }
}

#[component]
fn Entries(initial: Vec<TimelineEntry>, cursor: Option<String>, id: ContactId) -> impl IntoView {
    let i18n = use_i18n();
    let items = RwSignal::new(initial);
    let cursor = RwSignal::new(cursor);
    let more = crate::ui::browser_action(move |c: &String| crate::contacts::api::timeline(id, Some(c.clone())));
    Effect::new(move || {
        if let Some(Ok(page)) = more.value().get() {
            items.update(|list| list.extend(page.items));
            cursor.set(page.next_cursor);
        }
    });
    let zone = crate::session::current_user().get_untracked().time_zone.as_str().to_string();
    view! {
        <ol class="timeline">
            <For each=move || items.get() key=|e| (e.id.clone(), e.kind) let:entry>
                {
                    let zone = zone.clone();
                    let kind = entry.kind;
                    view! {
                        <li class=format!("timeline-entry entry-{}", serde_json::to_value(kind).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default())>
                            <span class="timeline-icon"><Icon name=kind_icon(kind) size=18/></span>
                            <div>
                                <p class="timeline-head">
                                    <strong>{move || kind_label(i18n, kind)}</strong>
                                    {(!entry.title.is_empty()).then(|| view! { <span>" · "{entry.title.clone()}</span> })}
                                </p>
                                {detail_text(&entry, &zone, i18n.get_locale()).map(|d| view! { <p class="pre">{d}</p> })}
                                <p class="muted small">
                                    <time datetime=entry.at.to_rfc3339()>{move || format_instant(entry.at, &zone, i18n.get_locale(), Style::DateTime)}</time>
                                    {entry.by.clone().map(|b| view! { <span>" · "{b}</span> })}
                                </p>
                            </div>
                        </li>
                    }
                }
            </For>
        </ol>
        {move || cursor.get().map(|c| view! {
            <button class="button block" disabled=move || more.pending().get() on:click=move |_| { more.dispatch(c.clone()); }>
                {t!(i18n, common.load_more)}
            </button>
        })}
    }
}
