//! Duplicates: groups of contacts that share a phone number or email address, or have very
//! similar names at one company, and merging a
//! group into the contact chosen to keep (its history gains everything of the others).

use crate::common::ContactId;
use crate::contacts::DuplicateGroup;
use crate::i18n::*;
use crate::ui::{confirm, ClientOnly, EmptyState, ErrorState, Loading};
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn DuplicatesPage() -> impl IntoView {
    let i18n = use_i18n();
    let groups = LocalResource::new(crate::contacts::api::duplicates);
    view! {
        <section class="page narrow">
            <header class="page-header">
                <p class="eyebrow"><A href="/contacts">{t!(i18n, contacts.title)}</A></p>
                <h1>{t!(i18n, duplicates.title)}</h1>
                <p class="summary">{t!(i18n, duplicates.intro)}</p>
            </header>
            <ClientOnly><Transition fallback=Loading>
                {move || groups.get().map(|result| match result {
                    Ok(list) if list.is_empty() => view! {
                        <EmptyState icon="contacts" title=move || t!(i18n, duplicates.none) hint=move || t!(i18n, duplicates.none_hint)/>
                    }.into_any(),
                    Ok(list) => list.into_iter().map(|group| view! {
                        <Group group on_merged=move |()| groups.refetch()/>
                    }).collect_view().into_any(),
                    Err(error) => view! { <ErrorState error on_retry=move |()| groups.refetch()/> }.into_any(),
                })}
            </Transition></ClientOnly>
        </section>
    }
}

#[component]
fn Group(group: DuplicateGroup, #[prop(into)] on_merged: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let ids: Vec<ContactId> = group.contacts.iter().map(|c| c.id).collect();
    let keep = RwSignal::new(ids.first().copied());
    let error = RwSignal::new(None::<String>);
    let merge = crate::ui::browser_action(move |(into, from): &(ContactId, Vec<ContactId>)| {
        crate::contacts::api::merge(*into, from.clone())
    });
    Effect::new(move || match merge.value().get() {
        Some(Ok(_)) => on_merged.run(()),
        Some(Err(e)) => error.set(Some(e.message)),
        None => {}
    });
    let name = format!("dup-{}", ids.first().map(ToString::to_string).unwrap_or_default());
    let on_merge = move |_| {
        let Some(into) = keep.get_untracked() else { return };
        let from: Vec<ContactId> = ids.iter().copied().filter(|id| *id != into).collect();
        if confirm(t_string!(i18n, duplicates.confirm)) {
            merge.dispatch((into, from));
        }
    };
    view! {
        <div class="card duplicate-group">
            <h2>{match group.reason.as_str() {
                "phone" => t_string!(i18n, duplicates.same_phone),
                "email" => t_string!(i18n, duplicates.same_email),
                _ => t_string!(i18n, duplicates.same_name),
            }}
                " " <span class="muted">{group.value.clone()}</span></h2>
            <ul class="record-list">
                {group.contacts.into_iter().map(|c| {
                    let id = c.id;
                    view! {
                        <li class="record">
                            <label class="checkbox">
                                <input type="radio" name=name.clone() checked=move || keep.get() == Some(id) on:change=move |_| keep.set(Some(id))/>
                                <span class="record-main">
                                    <strong>{c.name.clone()}</strong>
                                    <span class="muted small">{[c.phone.clone(), c.email.clone()].into_iter().flatten().collect::<Vec<_>>().join(" · ")}</span>
                                </span>
                            </label>
                            <A href=format!("/contacts/{id}") attr:class="small">{t!(i18n, duplicates.open)}</A>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <p class="form-error" role="alert">{move || error.get()}</p>
            <div class="form-actions">
                <button class="button primary" on:click=on_merge disabled=move || merge.pending().get()>{t!(i18n, duplicates.merge)}</button>
            </div>
        </div>
    }
}
