//! The contact list: name, stage, and one-tap call and email, a page at a time.

use crate::common::ApiError;
use crate::contacts::{ContactSummary, Lifecycle};
use crate::i18n::*;
use crate::ui::{EmptyState, ErrorState, Icon, Loading};
use leptos::prelude::*;

pub fn lifecycle_label(i18n: leptos_i18n::I18nContext<Locale>, l: Lifecycle) -> &'static str {
    match l {
        Lifecycle::Lead => t_string!(i18n, lifecycle.lead),
        Lifecycle::Prospect => t_string!(i18n, lifecycle.prospect),
        Lifecycle::Customer => t_string!(i18n, lifecycle.customer),
        Lifecycle::Inactive => t_string!(i18n, lifecycle.inactive),
    }
}

#[component]
pub fn ContactsPage() -> impl IntoView {
    let i18n = use_i18n();
    let first = LocalResource::new(|| crate::contacts::api::list(None));
    view! {
        <section class="page">
            <header class="page-header"><h1>{t!(i18n, contacts.title)}</h1></header>
            <Transition fallback=Loading>
                {move || first.get().map(|result| match result {
                    Ok(page) if page.items.is_empty() => view! {
                        <EmptyState icon="contacts" title=move || t!(i18n, contacts.empty) hint=move || t!(i18n, contacts.empty_hint)/>
                    }.into_any(),
                    Ok(page) => view! { <ContactList initial=page.items cursor=page.next_cursor/> }.into_any(),
                    Err(error) => view! { <ErrorState error on_retry=move |()| first.refetch()/> }.into_any(),
                })}
            </Transition>
        </section>
    }
}

#[component]
fn ContactList(initial: Vec<ContactSummary>, cursor: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    let items = RwSignal::new(initial);
    let cursor = RwSignal::new(cursor);
    let more = Action::new_local(move |c: &String| crate::contacts::api::list(Some(c.clone())));
    let error = RwSignal::new(None::<ApiError>);
    Effect::new(move || match more.value().get() {
        Some(Ok(page)) => {
            items.update(|list| list.extend(page.items));
            cursor.set(page.next_cursor);
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    view! {
        <ul class="record-list">
            <For each=move || items.get() key=|c| c.id let:contact>
                <ContactRow contact/>
            </For>
        </ul>
        {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e.message}</p> })}
        {move || cursor.get().map(|c| view! {
            <button class="button block" disabled=move || more.pending().get() on:click=move |_| { more.dispatch(c.clone()); }>
                {t!(i18n, common.load_more)}
            </button>
        })}
    }
}

#[component]
fn ContactRow(contact: ContactSummary) -> impl IntoView {
    let i18n = use_i18n();
    let lifecycle = contact.lifecycle;
    let name = contact.name.clone();
    let (call_name, mail_name) = (name.clone(), name.clone());
    view! {
        <li class="record">
            <div class="record-main">
                <strong lang=if name.is_ascii() { "en" } else { "bn" }>{name.clone()}</strong>
                <span class=format!("badge lifecycle-{}", lifecycle.as_str())>{move || lifecycle_label(i18n, lifecycle)}</span>
                {contact.address.clone().map(|a| view! { <p class="muted small">{a}</p> })}
            </div>
            <div class="record-actions">
                {contact.phone.clone().map(|p| view! {
                    <a class="icon-button" href=format!("tel:{p}") aria-label=move || t_string!(i18n, contacts.call, name = call_name.clone())>
                        <Icon name="phone"/>
                    </a>
                })}
                {contact.email.clone().map(|e| view! {
                    <a class="icon-button" href=format!("mailto:{e}") aria-label=move || t_string!(i18n, contacts.email, name = mail_name.clone())>
                        <Icon name="mail"/>
                    </a>
                })}
            </div>
        </li>
    }
}
