//! The contact page: who they are, how to reach them, quick actions, and the timeline.

use super::list::lifecycle_label;
use super::quick::QuickActions;
use super::timeline::Timeline;
use crate::common::ContactId;
use crate::contacts::{Contact, ContactForUpdate};
use crate::fields::components::CustomFacts;
use crate::i18n::*;
use crate::listings::components::BuyerRequirements;
use crate::offline::components::RecordConflicts;
use crate::ui::{confirm, ClientOnly, ErrorState, Icon, Loading};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ContactPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| ContactId::parse(&id)));
    let contact = LocalResource::new(move || async move {
        match id() {
            Some(id) => crate::contacts::api::get(id).await,
            None => Err(crate::common::ApiError::new(crate::common::ErrorCode::NotFound, "no such contact")),
        }
    });
    let can_manage = crate::session::current_user().with_untracked(|u| u.role != crate::users::Role::Rep);
    // Bumped after every quick action, so the timeline reloads with the new entry on top.
    let changes = RwSignal::new(0u32);
    view! {
        <section class="page narrow">
            <ClientOnly><Transition fallback=Loading>
                {move || contact.get().map(|result| match result {
                    Ok(c) => view! { <ContactCard contact=c.clone() on_saved=move |()| contact.refetch()/>
                        <RecordConflicts entity=crate::sync::Entity::Contact record=c.clone() on_resolved=move |()| contact.refetch()/>
                        <QuickActions contact=c.clone() on_logged=move |()| changes.update(|n| *n += 1)/>
                        {(!c.emails.is_empty()).then(|| view! {
                            <crate::templates::components::SendTemplateCard contact=c.id on_sent=move |()| changes.update(|n| *n += 1)/>
                        })}
                        <BuyerRequirements contact=c.id/>
                        <Timeline id=c.id changes/>
                        {can_manage.then(|| view! { <super::privacy::PrivacyCard contact=c.id name=c.name.clone()/> })} }.into_any(),
                    Err(error) => view! { <ErrorState error on_retry=move |()| contact.refetch()/> }.into_any(),
                })}
            </Transition></ClientOnly>
        </section>
    }
}

#[component]
fn ContactCard(contact: Contact, #[prop(into)] on_saved: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let lifecycle = contact.lifecycle;
    let maps = maps_url(&contact);
    let archive = crate::ui::browser_action(move |archived: &bool| {
        crate::contacts::api::update(contact.id, ContactForUpdate { archived: Some(*archived), ..Default::default() })
    });
    Effect::new(move || {
        if let Some(Ok(_)) = archive.value().get() {
            on_saved.run(());
        }
    });
    let archived = contact.archived;
    let (custom, kind) = (contact.custom.clone(), contact.kind);
    let defs = LocalResource::new(|| crate::fields::api::list(crate::fields::RecordType::Contact));
    let toggle_archive = move |_| {
        let message = if archived {
            t_string!(i18n, contact_page.confirm_restore)
        } else {
            t_string!(i18n, contact_page.confirm_archive)
        };
        if confirm(message) {
            archive.dispatch(!archived);
        }
    };
    view! {
        <header class="page-header contact-header">
            <div>
                <p class="eyebrow">{contact.company_name.clone()}</p>
                <h1 lang=if contact.name.is_ascii() { "en" } else { "bn" }>{contact.name.clone()}</h1>
                <span class=format!("badge lifecycle-{}", lifecycle.as_str())>{move || lifecycle_label(i18n, lifecycle)}</span>
                {archived.then(|| view! { <span class="badge">{t!(i18n, contact_page.archived)}</span> })}
            </div>
            <div class="header-actions">
                <A href=format!("/contacts/{}/edit", contact.id) attr:class="button secondary">{t!(i18n, contact_page.edit)}</A>
                <button class="button secondary" on:click=toggle_archive disabled=move || archive.pending().get()>
                    {move || if archived { t!(i18n, contact_page.restore).into_any() } else { t!(i18n, contact_page.archive).into_any() }}
                </button>
            </div>
        </header>
        <div class="contact-reach">
            {contact.phones.first().map(|p| view! {
                <a class="button primary" href=format!("tel:{p}")><Icon name="phone" size=20/><span>{t!(i18n, contact_page.call)}</span></a>
            })}
            {contact.emails.first().map(|e| view! {
                <a class="button secondary" href=format!("mailto:{e}")><Icon name="mail" size=20/><span>{t!(i18n, contact_page.email)}</span></a>
            })}
            {maps.map(|url| view! {
                <a class="button secondary" href=url target="_blank" rel="noopener"><Icon name="pin" size=20/><span>{t!(i18n, today.open_in_maps)}</span></a>
            })}
        </div>
        <dl class="card facts contact-facts">
            {(!contact.phones.is_empty()).then(|| view! {
                <div><dt>{t!(i18n, contact_form.phones)}</dt>
                <dd>{contact.phones.iter().map(|p| view! { <a href=format!("tel:{p}")>{p.to_string()}</a>" " }).collect_view()}</dd></div>
            })}
            {(!contact.emails.is_empty()).then(|| view! {
                <div><dt>{t!(i18n, contact_form.emails)}</dt>
                <dd>{contact.emails.iter().map(|e| view! { <a href=format!("mailto:{e}")>{e.to_string()}</a>" " }).collect_view()}</dd></div>
            })}
            {contact.address.clone().map(|a| view! { <div><dt>{t!(i18n, contact_form.address)}</dt><dd>{a}</dd></div> })}
            {(!contact.tags.is_empty()).then(|| view! {
                <div><dt>{t!(i18n, contact_form.tags)}</dt>
                <dd>{contact.tags.iter().map(|t| view! { <span class="tag">{t.clone()}</span> }).collect_view()}</dd></div>
            })}
            {contact.source.clone().map(|s| view! { <div><dt>{t!(i18n, contact_form.source)}</dt><dd>{s}</dd></div> })}
            {contact.notes.clone().map(|n| view! { <div class="wide"><dt>{t!(i18n, contact_form.notes)}</dt><dd class="pre">{n}</dd></div> })}
            {move || defs.get().and_then(Result::ok).map(|defs| {
                let defs = crate::fields::for_contact(&defs, kind);
                view! { <CustomFacts defs values=custom.clone()/> }
            })}
        </dl>
    }
}

/// A maps link: the position when known, else the address.
fn maps_url(contact: &Contact) -> Option<String> {
    match (contact.location, &contact.address) {
        (Some(p), _) => Some(format!("https://www.google.com/maps/search/?api=1&query={},{}", p.lat(), p.lon())),
        (None, Some(a)) => {
            Some(format!("https://www.google.com/maps/search/?api=1&query={}", crate::client::encode(a)))
        }
        (None, None) => None,
    }
}
