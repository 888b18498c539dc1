//! The inbox card (on the More page) and the bell with the unread count (in the frame).

use crate::i18n::*;
use crate::locale::{format_instant, Style};
use crate::ui::{error_text, mounted, ClientOnly, Icon};
use leptos::prelude::*;
use leptos_router::components::A;

/// The bell in the frame: the unread count, linking to the inbox.
#[component]
pub fn Bell() -> impl IntoView {
    let i18n = use_i18n();
    let inbox = LocalResource::new(crate::notifications::api::inbox);
    // The frame renders on the server too, where the inbox is never read (it loads in the browser).
    let mounted = mounted();
    let unread = move || if mounted.get() { inbox.get().and_then(Result::ok).map_or(0, |i| i.unread) } else { 0 };
    view! {
        <A href="/more#notifications" attr:class="icon-button bell" attr:aria-label=move || t_string!(i18n, notifications.bell, count = unread())>
            <Icon name="bell" size=22/>
            <Show when=move || { unread() > 0 }>
                <span class="bell-count" aria-hidden="true">{unread}</span>
            </Show>
        </A>
    }
}

#[component]
pub fn InboxCard() -> impl IntoView {
    let i18n = use_i18n();
    let zone = StoredValue::new(crate::session::current_user().get_untracked().time_zone.to_string());
    let inbox = LocalResource::new(crate::notifications::api::inbox);
    let read = crate::ui::browser_action(|(): &()| crate::notifications::api::mark_all_read());
    Effect::new(move || {
        if let Some(Ok(())) = read.value().get() {
            inbox.refetch();
        }
    });
    // The inbox loads in the browser only: read on the server, it would hold the page's frame
    // back for good, and the server would send the page without it.
    let mounted = crate::ui::mounted();
    view! {
        <section class="card inbox" id="notifications">
            <header class="card-header">
                <h2>{t!(i18n, notifications.title)}</h2>
                <Show when=move || mounted.get() && inbox.get().and_then(Result::ok).is_some_and(|i| i.unread > 0)>
                    <button type="button" class="button secondary" disabled=move || read.pending().get() on:click=move |_| { read.dispatch(()); }>
                        {t!(i18n, notifications.mark_read)}
                    </button>
                </Show>
            </header>
            <ClientOnly>{move || inbox.get().map(|r| match r {
                Ok(i) if i.items.is_empty() => view! { <p class="muted">{t!(i18n, notifications.empty)}</p> }.into_any(),
                Ok(i) => {
                    let zone = zone.get_value();
                    view! {
                        <ul class="record-list">
                            {i.items.into_iter().map(|n| {
                                let (at, zone) = (n.created_at, zone.clone());
                                let class = if n.read { "record notification" } else { "record notification unread" };
                                view! {
                                    <li class=class>
                                        <div class="record-main">
                                            {match n.link.clone() {
                                                Some(href) => view! { <A href=href><strong>{n.title.clone()}</strong></A> }.into_any(),
                                                None => view! { <strong>{n.title.clone()}</strong> }.into_any(),
                                            }}
                                            <p class="small">{n.body.clone()}</p>
                                            <p class="muted small"><time datetime=at.to_rfc3339()>{move || format_instant(at, &zone, i18n.get_locale(), Style::DateTime)}</time></p>
                                        </div>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }
                Err(e) => view! { <p class="form-error">{error_text(i18n, &e)}</p> }.into_any(),
            })}</ClientOnly>
        </section>
    }
}

fn kind_label(i18n: leptos_i18n::I18nContext<Locale>, kind: crate::notifications::NotificationKind) -> String {
    use crate::notifications::NotificationKind as K;
    match kind {
        K::Reminder => t_string!(i18n, notifications.kind_reminder),
        K::Agenda => t_string!(i18n, notifications.kind_agenda),
        K::Appointment => t_string!(i18n, notifications.kind_appointment),
        K::Territory => t_string!(i18n, notifications.kind_territory),
        K::ListingMatches => t_string!(i18n, notifications.kind_listing_matches),
        K::NewLead => t_string!(i18n, notifications.kind_new_lead),
    }
    .to_string()
}

/// Which notifications also come by email: one switch per kind, saved as it is flipped.
#[component]
pub fn EmailSettingsCard() -> impl IntoView {
    let i18n = use_i18n();
    let settings = LocalResource::new(crate::notifications::api::email_settings);
    let status = RwSignal::new(None::<String>);
    let flip = move |kind, email: bool| {
        status.set(None);
        leptos::task::spawn_local(async move {
            let change = vec![crate::notifications::EmailSetting { kind, email }];
            match crate::notifications::api::save_email_settings(change).await {
                Ok(_) => status.set(Some(t_string!(i18n, common.saved).to_string())),
                Err(e) => {
                    status.set(Some(error_text(i18n, &e)));
                    settings.refetch();
                }
            }
        });
    };
    view! {
        <div class="card" id="email-settings">
            <h2>{t!(i18n, notifications.email_title)}</h2>
            <p class="muted small">{t!(i18n, notifications.email_hint)}</p>
            <ClientOnly>
                {move || settings.get().and_then(Result::ok).map(|list| view! {
                    <ul class="switch-list">
                        {list.into_iter().map(|s| view! {
                            <li>
                                <label class="switch">
                                    <input type="checkbox" name=format!("email_{}", s.kind.as_str()) prop:checked=s.email
                                        on:change=move |ev| flip(s.kind, event_target_checked(&ev))/>
                                    <span>{move || kind_label(i18n, s.kind)}</span>
                                </label>
                            </li>
                        }).collect_view()}
                    </ul>
                })}
            </ClientOnly>
            <p class="saved" role="status">{move || status.get()}</p>
        </div>
    }
}
