//! One appointment in a list: when, what, with whom, where, and a way to get there.

use crate::appointments::{AgendaItem, AppointmentKind, AppointmentStatus};
use crate::fields::components::CustomFacts;
use crate::fields::FieldDef;
use crate::i18n::*;
use crate::locale::{format_instant, Style};
use crate::ui::Icon;
use leptos::prelude::*;

pub fn kind_label(i18n: leptos_i18n::I18nContext<Locale>, kind: AppointmentKind) -> &'static str {
    match kind {
        AppointmentKind::Meeting => t_string!(i18n, kinds.meeting),
        AppointmentKind::Showing => t_string!(i18n, kinds.showing),
        AppointmentKind::Call => t_string!(i18n, kinds.call),
        AppointmentKind::Task => t_string!(i18n, kinds.task),
    }
}

pub fn status_label(i18n: leptos_i18n::I18nContext<Locale>, status: AppointmentStatus) -> &'static str {
    match status {
        AppointmentStatus::Scheduled => t_string!(i18n, appointment_status.scheduled),
        AppointmentStatus::Done => t_string!(i18n, appointment_status.done),
        AppointmentStatus::Cancelled => t_string!(i18n, appointment_status.cancelled),
        AppointmentStatus::NoShow => t_string!(i18n, appointment_status.no_show),
    }
}

/// The business's appointment fields, provided by a page whose agenda cards show their values
/// (cards under a page that provides none show none).
#[derive(Clone, Copy)]
pub struct AppointmentFields(pub Signal<Vec<FieldDef>>);

/// `time_zone` is the viewer's; `show_assignee` for managers and office staff. With
/// `on_changed`, a scheduled single appointment offers *Cancel* (after a confirmation).
#[component]
pub fn AgendaCard(
    item: AgendaItem,
    time_zone: String,
    show_assignee: bool,
    #[prop(default = Style::Time)] style: Style,
    #[prop(optional)] on_changed: Option<Callback<()>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let (starts, ends, tz) = (item.starts_at, item.ends_at, time_zone.clone());
    let when = move || {
        let locale = i18n.get_locale();
        format!("{} – {}", format_instant(starts, &tz, locale, style), format_instant(ends, &tz, locale, Style::Time))
    };
    let maps = item.location.map(|p| crate::appointments::today::directions_url(None, p));
    let kind = item.kind;
    let status = item.status;
    let id = item.id;
    let ics = crate::appointments::api::ics_url(id);
    let cancel = crate::ui::browser_action(move |(): &()| {
        crate::appointments::api::update(
            id,
            crate::appointments::AppointmentForUpdate { status: Some("cancelled".into()), ..Default::default() },
        )
    });
    let cancel_error = RwSignal::new(None::<String>);
    Effect::new(move || match cancel.value().get() {
        Some(Ok(_)) => {
            if let Some(done) = on_changed {
                done.run(());
            }
        }
        Some(Err(e)) => cancel_error.set(Some(crate::ui::error_text(i18n, &e))),
        None => {}
    });
    let can_cancel = on_changed.is_some() && status == AppointmentStatus::Scheduled && !item.recurring;
    let title_for_confirm = item.title.clone();
    let kind_class = format!("badge kind-{}", kind.as_str());
    let facts = use_context::<AppointmentFields>().map(|AppointmentFields(defs)| {
        let custom = item.custom.clone();
        move || {
            let defs = defs.get();
            (!custom.is_empty() && !defs.is_empty()).then(
                || view! { <dl class="deal-custom agenda-custom small"><CustomFacts defs values=custom.clone()/></dl> },
            )
        }
    });
    view! {
        <li class="agenda-card" class:done=status != AppointmentStatus::Scheduled>
            <div class="agenda-time">
                <Icon name="clock" size=16/>
                <time datetime=starts.to_rfc3339()>{when}</time>
            </div>
            <div class="agenda-body">
                <div class="agenda-title">
                    <span class=kind_class>{move || kind_label(i18n, kind)}</span>
                    <strong>{item.title.clone()}</strong>
                </div>
                {item.contact_name.clone().map(|name| view! { <p class="muted">{t!(i18n, today.with, name = name.clone())}</p> })}
                {item.address.clone().map(|a| view! { <p class="address"><Icon name="pin" size=16/>{a}</p> })}
                {facts}
                {show_assignee.then(|| view! { <p class="assignee muted"><Icon name="users" size=16/>{item.assignee_name.clone()}</p> })}
                {(status != AppointmentStatus::Scheduled).then(|| view! { <span class="badge">{move || status_label(i18n, status)}</span> })}
                <div class="agenda-actions">
                    <a class="text-link" href=ics download>{t!(i18n, calendar.add_to_calendar)}</a>
                    {can_cancel.then(|| view! {
                        <button type="button" class="text-link danger" disabled=move || cancel.pending().get() on:click=move |_| {
                            if crate::ui::confirm(&t_string!(i18n, calendar.cancel_confirm, title = title_for_confirm.clone()).to_string()) {
                                cancel.dispatch(());
                            }
                        }>{t!(i18n, calendar.cancel)}</button>
                    })}
                </div>
                <p class="form-error" role="alert">{move || cancel_error.get()}</p>
            </div>
            {maps.map(|href| view! { <MapsButton href/> })}
        </li>
    }
}

/// The round pin button that opens directions in the maps app.
#[component]
pub fn MapsButton(href: String) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <a class="icon-button maps" href=href target="_blank" rel="noopener"
            aria-label=move || t_string!(i18n, today.open_in_maps) title=move || t_string!(i18n, today.open_in_maps)>
            <Icon name="pin"/>
        </a>
    }
}
