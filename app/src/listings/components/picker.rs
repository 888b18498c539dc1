//! Picking a contact by typing part of their name or phone (owner of a listing, buyer at a
//! showing): the first matches show under the box; choosing one shows it as a chip.

use crate::common::ContactId;
use crate::contacts::ContactQuery;
use crate::i18n::*;
use leptos::prelude::*;

#[component]
pub fn ContactPicker(
    /// The chosen contact (id and name), shared with the form.
    chosen: RwSignal<Option<(ContactId, String)>>,
    #[prop(into)] label: Signal<String>,
    #[prop(into)] name: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let text = RwSignal::new(String::new());
    let found = LocalResource::new(move || {
        let q = text.get();
        async move {
            if q.trim().chars().count() < 2 {
                return Vec::new();
            }
            let query = ContactQuery { q: Some(q), limit: Some(6), ..Default::default() };
            crate::contacts::api::list(query).await.map(|p| p.items).unwrap_or_default()
        }
    });
    view! {
        <div class="field contact-picker">
            <span>{move || label.get()}</span>
            {move || if let Some((_, who)) = chosen.get() { view! {
                <p class="chip-line">
                    <span class="chip">{who}</span>
                    <button type="button" class="text-link" on:click=move |_| chosen.set(None)>{t!(i18n, listing_form.change)}</button>
                </p>
            }.into_any() } else {
                let name = name.clone();
                view! {
                    <input type="search" name=name autocomplete="off" prop:value=text aria-label=move || label.get()
                        placeholder=move || t_string!(i18n, listing_form.find_contact)
                        on:input=move |ev| text.set(event_target_value(&ev))/>
                    <ul class="picker-results" role="listbox">
                        {move || found.get().unwrap_or_default().into_iter().map(|c| {
                            let (id, who) = (c.id, c.name.clone());
                            view! {
                                <li role="option"><button type="button" on:click=move |_| { chosen.set(Some((id, who.clone()))); text.set(String::new()); }>
                                    <strong>{c.name.clone()}</strong>
                                    {c.phone.clone().map(|p| view! { <small class="muted">" · "{p}</small> })}
                                </button></li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </div>
    }
}
