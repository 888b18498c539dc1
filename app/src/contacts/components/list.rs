//! The contact list: one search box (results as you type), a stage filter, and rows with
//! one-tap call and email (on a desk, a table: see [`super::table`]). Office staff also export
//! what they see.

use super::bulk::BulkStatus;
use super::table::{self, ContactTable};
use super::{NewLeadButton, NewLeadPanel};
use crate::common::{ApiError, Page};
use crate::contacts::bulk::BulkJob;
use crate::contacts::{ContactQuery, ContactSummary, Lifecycle};
use crate::fields::RecordType;
use crate::i18n::*;
use crate::ui::{ClientOnly, EmptyState, ErrorState, Icon, Loading};
use crate::views::ListName;
use leptos::prelude::*;
use leptos_router::components::A;

pub fn lifecycle_label(i18n: leptos_i18n::I18nContext<Locale>, l: Lifecycle) -> &'static str {
    match l {
        Lifecycle::Lead => t_string!(i18n, lifecycle.lead),
        Lifecycle::Prospect => t_string!(i18n, lifecycle.prospect),
        Lifecycle::Customer => t_string!(i18n, lifecycle.customer),
        Lifecycle::Inactive => t_string!(i18n, lifecycle.inactive),
    }
}

/// The "stale" view: contacts with no call, note or visit for this long (about a quarter of
/// contact data goes stale within a year).
const STALE_MONTHS: i64 = 6;

/// How long typing must pause before the search runs.
const DEBOUNCE_MS: u64 = 200;

#[component]
pub fn ContactsPage() -> impl IntoView {
    let i18n = use_i18n();
    let typed = RwSignal::new(String::new());
    // `?lifecycle=lead` (the dashboard's "new leads" card) opens the list filtered.
    let asked = leptos_router::hooks::use_query_map().with_untracked(|q| q.get("lifecycle").unwrap_or_default());
    let lifecycle = RwSignal::new(Lifecycle::parse(&asked).map(|l| l.as_str().to_string()).unwrap_or_default());
    let stale = RwSignal::new(false);
    let custom = RwSignal::new(String::new());
    let query = RwSignal::new(ContactQuery::default());
    // On a desk, a table in the user's own layout (its sort too) with the number of matches.
    let wide = crate::ui::media_matches(table::WIDE);
    let layout = RwSignal::new(ListName::Contacts.default_view());
    let sort = RwSignal::new(None::<String>);
    let defs = LocalResource::new(move || crate::fields::api::list(RecordType::Contact));
    let layout_read = LocalResource::new(move || crate::views::api::get(ListName::Contacts));
    Effect::new(move || {
        if let Some(Ok(saved)) = layout_read.get() {
            sort.set(saved.sort.clone());
            layout.set(saved);
        }
    });
    // Typing restarts a short timer; only the last keystroke's text is searched.
    let generation = StoredValue::new(0u64);
    Effect::new(move || {
        let text = typed.get();
        let stage = lifecycle.get();
        let stale_months = stale.get().then_some(STALE_MONTHS);
        let custom = custom.get();
        let (sort, total) = (sort.get(), wide.get());
        generation.update_value(|g| *g += 1);
        let mine = generation.get_value();
        let apply = move || {
            if generation.get_value() == mine {
                query.set(ContactQuery {
                    q: Some(text.clone()),
                    lifecycle: Some(stage.clone()),
                    stale_months,
                    custom: Some(custom.clone()),
                    sort: sort.clone(),
                    total: Some(total),
                    ..Default::default()
                });
            }
        };
        set_timeout(apply, std::time::Duration::from_millis(DEBOUNCE_MS));
    });
    let results = LocalResource::new(move || crate::contacts::api::list(query.get()));
    // A change on many contacts (the desk's table): its progress and *Undo* stay over the list
    // while the list is read again.
    let run = RwSignal::new(None::<BulkJob>);
    let run_error = RwSignal::new(None::<crate::common::ApiError>);
    let finished = Callback::new(move |()| results.refetch());
    // The box is in the server's HTML: what was typed before the app woke up is searched too.
    let search_box = NodeRef::<leptos::html::Input>::new();
    Effect::new(move || {
        #[cfg(feature = "hydrate")]
        if let Some(input) = search_box.get() {
            let early = input.value();
            if !early.is_empty() {
                typed.set(early);
            }
        }
    });
    let new_lead = RwSignal::new(false);
    let can_export = move || !crate::session::current_user().get().role.eq(&crate::users::Role::Rep);
    view! {
        <section class="page">
            <header class="page-header">
                <h1>{t!(i18n, contacts.title)}</h1>
                <div class="header-actions">
                    {move || can_export().then(|| view! {
                        <A href="/contacts/duplicates" attr:class="button secondary">{t!(i18n, contacts.duplicates)}</A>
                        <A href="/contacts/import" attr:class="button secondary">{t!(i18n, contacts.import_csv)}</A>
                        <a class="button secondary" href=move || crate::contacts::api::export_url(&query.get(), "csv") download="">
                            {t!(i18n, contacts.export_csv)}
                        </a>
                        <a class="button secondary" href=move || crate::contacts::api::export_url(&query.get(), "xlsx") download="">
                            {t!(i18n, contacts.export_xlsx)}
                        </a>
                    })}
                    <A href="/contacts/new" attr:class="button secondary">{t!(i18n, contacts.add)}</A>
                    <NewLeadButton open=new_lead/>
                </div>
            </header>
            <NewLeadPanel open=new_lead/>
            <div class="search-bar" role="search">
                <label class="visually-hidden" for="contact-search">{t!(i18n, contacts.search_label)}</label>
                <input id="contact-search" type="search" inputmode="search" autocomplete="off"
                    placeholder=move || t_string!(i18n, contacts.search_placeholder)
                    node_ref=search_box on:input=move |ev| typed.set(event_target_value(&ev))/>
                <label class="visually-hidden" for="contact-stage">{t!(i18n, contacts.stage_filter)}</label>
                <select id="contact-stage" prop:value=lifecycle on:change=move |ev| lifecycle.set(event_target_value(&ev))>
                    <option value="">{t!(i18n, contacts.all_stages)}</option>
                    {Lifecycle::ALL.into_iter().map(|l| view! {
                        <option value=l.as_str()>{move || lifecycle_label(i18n, l)}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="list-filters">
                <label class="checkbox"><input type="checkbox" name="stale" prop:checked=stale on:change=move |ev| stale.set(event_target_checked(&ev))/>
                    {t!(i18n, contacts.stale, months = STALE_MONTHS)}</label>
                <ClientOnly><crate::fields::components::CustomFilter record_type=crate::fields::RecordType::Contact custom/></ClientOnly>
            </div>
            <ClientOnly><BulkStatus run error=run_error finished/></ClientOnly>
            <ClientOnly><Transition fallback=Loading>
                {move || results.get().map(|result| match result {
                    Ok(page) if page.items.is_empty() && !query.with(narrowed) => view! {
                        <EmptyState icon="contacts" title=move || t!(i18n, contacts.empty) hint=move || t!(i18n, contacts.empty_hint)/>
                    }.into_any(),
                    Ok(page) if page.items.is_empty() => view! {
                        <EmptyState icon="contacts" title=move || t!(i18n, contacts.no_match) hint=move || t!(i18n, contacts.no_match_hint)/>
                    }.into_any(),
                    Ok(page) if wide.get_untracked() => {
                        let defs = defs.get().and_then(Result::ok).unwrap_or_default();
                        view! { <ContactTable page query=query.get_untracked() layout defs sort run run_error finished/> }.into_any()
                    }
                    Ok(page) => view! { <ContactList page query=query.get_untracked()/> }.into_any(),
                    Err(error) => view! { <ErrorState error on_retry=move |()| results.refetch()/> }.into_any(),
                })}
            </Transition></ClientOnly>
        </section>
    }
}

#[component]
fn ContactList(page: Page<ContactSummary>, query: ContactQuery) -> impl IntoView {
    let i18n = use_i18n();
    let items = RwSignal::new(page.items);
    let cursor = RwSignal::new(page.next_cursor);
    let more = crate::ui::browser_action(move |c: &String| {
        crate::contacts::api::list(ContactQuery { cursor: Some(c.clone()), ..query.clone() })
    });
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
        <ul class="record-list" aria-live="polite">
            <For each=move || items.get() key=|c| (c.id, c.version) let:contact>
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
    let secondary = contact.phone.clone().or_else(|| contact.email.clone()).or_else(|| contact.address.clone());
    view! {
        <li class="record">
            <A href=format!("/contacts/{}", contact.id) attr:class="record-main record-link">
                <strong lang=if name.is_ascii() { "en" } else { "bn" }>{name.clone()}</strong>
                <span class=format!("badge lifecycle-{}", lifecycle.as_str())>{move || lifecycle_label(i18n, lifecycle)}</span>
                {secondary.map(|s| view! { <p class="muted small">{s}</p> })}
            </A>
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

/// Whether a query narrows the list (a search, a stage, a tag, an own field, no recent
/// activity): an empty answer then means nothing matches, not that there are no contacts.
fn narrowed(q: &crate::contacts::ContactQuery) -> bool {
    let set = |v: &Option<String>| v.as_deref().is_some_and(|s| !s.trim().is_empty());
    set(&q.q) || set(&q.lifecycle) || set(&q.tag) || set(&q.custom) || q.stale_months.is_some()
}
