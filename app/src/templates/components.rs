//! Email templates: the page where office staff write them (placeholders listed, errors shown
//! on the field), and the card on a contact's page that previews one for the contact and sends it.

use crate::common::{ApiError, ContactId, ErrorCode};
use crate::i18n::*;
use crate::templates::{EmailTemplate, RenderRequest, Rendered, SendEmail, TemplateInput, PLACEHOLDERS};
use crate::ui::{confirm, error_text, field_error_text, ClientOnly, EmptyState, ErrorState, Icon, Loading};
use leptos::prelude::*;

/// A server refusal as one line per wrong field, or its message.
fn refusal(i18n: leptos_i18n::I18nContext<Locale>, e: &ApiError) -> String {
    if e.code == ErrorCode::Validation && !e.fields.is_empty() {
        e.fields.values().cloned().collect::<Vec<_>>().join(" · ")
    } else {
        error_text(i18n, e)
    }
}

#[component]
pub fn TemplatesPage() -> impl IntoView {
    let i18n = use_i18n();
    let templates = LocalResource::new(crate::templates::api::list);
    let editing = RwSignal::new(None::<EmailTemplate>);
    view! {
        <section class="page narrow">
            <header class="page-header">
                <h1>{t!(i18n, templates.title)}</h1>
                <p class="muted">{t!(i18n, templates.intro)}</p>
            </header>
            <ClientOnly>
                {move || view! { <TemplateEditor template=editing.get() on_saved=move || { editing.set(None); templates.refetch(); }/> }}
                <Transition fallback=Loading>
                    {move || templates.get().map(|result| match result {
                        Ok(list) if list.is_empty() => view! {
                            <EmptyState icon="mail" title=move || t!(i18n, templates.empty) hint=move || t!(i18n, templates.empty_hint)/>
                        }.into_any(),
                        Ok(list) => view! {
                            <ul class="record-list">
                                {list.into_iter().map(|tpl| {
                                    let (id, name) = (tpl.id, tpl.name.clone());
                                    let edit = { let tpl = tpl.clone(); move |_| editing.set(Some(tpl.clone())) };
                                    let delete = move |_| {
                                        if confirm(&t_string!(i18n, templates.confirm_delete, name = name.clone())) {
                                            leptos::task::spawn_local(async move {
                                                if crate::templates::api::delete(id).await.is_ok() {
                                                    templates.refetch();
                                                }
                                            });
                                        }
                                    };
                                    view! {
                                        <li class="record template-record">
                                            <div class="record-main">
                                                <strong>{tpl.name.clone()}</strong>
                                                <p class="muted small">{tpl.subject.clone()}</p>
                                            </div>
                                            <button class="button small" on:click=edit>{t!(i18n, templates.edit)}</button>
                                            <button class="button small danger-outline" on:click=delete>{t!(i18n, templates.delete)}</button>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(error) => view! { <ErrorState error on_retry=move |()| templates.refetch()/> }.into_any(),
                    })}
                </Transition>
            </ClientOnly>
        </section>
    }
}

#[component]
fn TemplateEditor(template: Option<EmailTemplate>, #[prop(into)] on_saved: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let id = template.as_ref().map(|t| t.id);
    let name = RwSignal::new(template.as_ref().map(|t| t.name.clone()).unwrap_or_default());
    let subject = RwSignal::new(template.as_ref().map(|t| t.subject.clone()).unwrap_or_default());
    let body = RwSignal::new(template.as_ref().map(|t| t.body.clone()).unwrap_or_default());
    let errors = RwSignal::new(std::collections::BTreeMap::<String, String>::new());
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input =
            TemplateInput { name: name.get_untracked(), subject: subject.get_untracked(), body: body.get_untracked() };
        if let Err(e) = input.validate() {
            errors.set(e.0.iter().map(|(f, e)| (f.clone(), field_error_text(i18n, e))).collect());
            return;
        }
        errors.set(Default::default());
        busy.set(true);
        leptos::task::spawn_local(async move {
            let saved = match id {
                Some(id) => crate::templates::api::update(id, &input).await,
                None => crate::templates::api::create(&input).await,
            };
            match saved {
                Ok(_) => on_saved.run(()),
                Err(e) if !e.fields.is_empty() => errors.set(e.fields),
                Err(e) => errors.set([("form".to_string(), error_text(i18n, &e))].into()),
            }
            busy.set(false);
        });
    };
    let error_of = move |f: &'static str| errors.with(|e| e.get(f).cloned());
    view! {
        <form class="card template-editor" on:submit=submit>
            <h2>{if id.is_some() { t!(i18n, templates.edit_title).into_any() } else { t!(i18n, templates.new_title).into_any() }}</h2>
            <label class="field">
                <span>{t!(i18n, templates.name)}</span>
                <input type="text" name="template_name" prop:value=name on:input=move |ev| name.set(event_target_value(&ev))/>
                <small class="field-error" role="alert">{move || error_of("name")}</small>
            </label>
            <label class="field">
                <span>{t!(i18n, templates.subject)}</span>
                <input type="text" name="subject" prop:value=subject on:input=move |ev| subject.set(event_target_value(&ev))/>
                <small class="field-error" role="alert">{move || error_of("subject")}</small>
            </label>
            <label class="field">
                <span>{t!(i18n, templates.body)}</span>
                <textarea name="body" rows="8" prop:value=body on:input=move |ev| body.set(event_target_value(&ev))></textarea>
                <small class="field-error" role="alert">{move || error_of("body")}</small>
            </label>
            <details class="placeholders">
                <summary>{t!(i18n, templates.placeholders)}</summary>
                <dl>
                    {PLACEHOLDERS.iter().map(|(p, what)| view! { <div><dt><code>{format!("{{{{{p}}}}}")}</code></dt><dd>{*what}</dd></div> }).collect_view()}
                </dl>
            </details>
            <p class="field-error" role="alert">{move || error_of("form")}</p>
            <button type="submit" class="button primary" prop:disabled=busy>{t!(i18n, templates.save)}</button>
        </form>
    }
}

/// On a contact with an email address: pick a template, see it filled in for the contact, send.
#[component]
pub fn SendTemplateCard(contact: ContactId, #[prop(into)] on_sent: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let templates = LocalResource::new(crate::templates::api::list);
    let chosen = RwSignal::new(String::new());
    let preview = RwSignal::new(None::<Rendered>);
    let message = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let choose = move |raw: String| {
        chosen.set(raw.clone());
        preview.set(None);
        message.set(None);
        let Some(id) = crate::common::TemplateId::parse(&raw) else { return };
        leptos::task::spawn_local(async move {
            match crate::templates::api::preview(id, &RenderRequest { contact_id: Some(contact), listing_id: None })
                .await
            {
                Ok(r) => preview.set(Some(r)),
                Err(e) => message.set(Some(refusal(i18n, &e))),
            }
        });
    };
    let send = move |_| {
        let Some(template_id) = crate::common::TemplateId::parse(&chosen.get_untracked()) else { return };
        busy.set(true);
        leptos::task::spawn_local(async move {
            match crate::templates::api::send_to(contact, &SendEmail { template_id, listing_id: None }).await {
                Ok(_) => {
                    message.set(Some(t_string!(i18n, templates.sent).to_string()));
                    preview.set(None);
                    chosen.set(String::new());
                    on_sent.run(());
                }
                Err(e) => message.set(Some(refusal(i18n, &e))),
            }
            busy.set(false);
        });
    };
    view! {
        <div class="card send-template">
            <h2><Icon name="mail" size=20/>" "{t!(i18n, templates.send_title)}</h2>
            <label class="field">
                <span>{t!(i18n, templates.choose)}</span>
                <select name="template" prop:value=chosen on:change=move |ev| choose(event_target_value(&ev))>
                    <option value="">{t!(i18n, templates.none_chosen)}</option>
                    {move || templates.get().and_then(Result::ok).map(|list| list.into_iter().map(|t| view! {
                        <option value=t.id.to_string()>{t.name.clone()}</option>
                    }).collect_view())}
                </select>
            </label>
            {move || preview.get().map(|r| view! {
                <div class="email-preview" aria-label=move || t_string!(i18n, templates.preview)>
                    <p class="muted small">{t!(i18n, templates.to)}" "{r.to.clone().unwrap_or_default()}</p>
                    <p><strong>{r.subject.clone()}</strong></p>
                    <p class="pre">{r.body.clone()}</p>
                    <button type="button" class="button primary" on:click=send prop:disabled=busy>
                        <Icon name="mail" size=18/><span>{t!(i18n, templates.send)}</span>
                    </button>
                </div>
            })}
            <p class="saved" role="status">{move || message.get()}</p>
        </div>
    }
}
