//! The inbox card (on the More page) and the bell with the unread count (in the frame).

use crate::i18n::*;
use crate::locale::{format_instant, Style};
use crate::ui::{error_text, ClientOnly, Icon};
use leptos::prelude::*;
use leptos_router::components::A;

/// The bell in the frame: the unread count, linking to the inbox.
#[component]
pub fn Bell() -> impl IntoView {
    let i18n = use_i18n();
    let inbox = LocalResource::new(crate::notifications::api::inbox);
    // The frame renders on the server too, where the inbox is never read (it loads in the browser).
    let mounted = RwSignal::new(false);
    Effect::new(move || mounted.set(true));
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
    let read = Action::new_local(|(): &()| crate::notifications::api::mark_all_read());
    Effect::new(move || {
        if let Some(Ok(())) = read.value().get() {
            inbox.refetch();
        }
    });
    view! {
        <section class="card inbox" id="notifications">
            <header class="card-header">
                <h2>{t!(i18n, notifications.title)}</h2>
                <Show when=move || inbox.get().and_then(Result::ok).is_some_and(|i| i.unread > 0)>
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
