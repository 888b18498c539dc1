//! Admin: lead-capture forms — build one (fields, required, where leads go, thank-you), copy
//! its embeddable HTML, see how many submissions it took, delete it.

use crate::fields::{FieldDef, RecordType};
use crate::forms::{askable, embed_snippet, FormField, LeadForm, LeadFormInput};
use crate::i18n::*;
use crate::ui::{confirm, field_error_text, ClientOnly, EmptyState, ErrorState, Icon, Loading};
use leptos::prelude::*;

fn field_label(i18n: leptos_i18n::I18nContext<Locale>, field: FormField) -> String {
    match field {
        FormField::Name => t_string!(i18n, forms.field_name),
        FormField::Email => t_string!(i18n, forms.field_email),
        FormField::Phone => t_string!(i18n, forms.field_phone),
        FormField::Company => t_string!(i18n, forms.field_company),
        FormField::Address => t_string!(i18n, forms.field_address),
        FormField::Message => t_string!(i18n, forms.field_message),
    }
    .to_string()
}

/// Where the app is reached, for the snippet's `action`.
fn origin() -> String {
    #[cfg(feature = "hydrate")]
    {
        web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        String::new()
    }
}

#[component]
pub fn FormsPage() -> impl IntoView {
    let i18n = use_i18n();
    let forms = LocalResource::new(crate::forms::api::list);
    // The business's own contact fields a form may ask too.
    let custom = LocalResource::new(|| crate::fields::api::list(RecordType::Contact));
    let askable_fields = move || {
        custom.get().and_then(Result::ok).unwrap_or_default().into_iter().filter(askable).collect::<Vec<FieldDef>>()
    };
    let created = RwSignal::new(None::<LeadForm>);
    view! {
        <section class="page narrow">
            <header class="page-header">
                <h1>{t!(i18n, forms.title)}</h1>
                <p class="muted">{t!(i18n, forms.intro)}</p>
            </header>
            <ClientOnly>
                <NewFormCard custom=Signal::derive(askable_fields) on_created=move |form: LeadForm| { created.set(Some(form)); forms.refetch(); }/>
                <Transition fallback=Loading>
                    {move || forms.get().map(|result| match result {
                        Ok(list) if list.is_empty() => view! {
                            <EmptyState icon="form" title=move || t!(i18n, forms.empty) hint=move || t!(i18n, forms.empty_hint)/>
                        }.into_any(),
                        Ok(list) => view! {
                            <ul class="record-list forms-list">
                                {list.into_iter().map(|form| {
                                    let open = created.with_untracked(|c| c.as_ref().is_some_and(|c| c.id == form.id));
                                    let defs = askable_fields();
                                    let asked: Vec<FieldDef> = form.custom_fields.iter()
                                        .filter_map(|key| defs.iter().find(|d| &d.key == key).cloned())
                                        .collect();
                                    view! { <FormRow form asked open on_deleted=move || forms.refetch()/> }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(error) => view! { <ErrorState error on_retry=move |()| forms.refetch()/> }.into_any(),
                    })}
                </Transition>
            </ClientOnly>
        </section>
    }
}

#[component]
fn NewFormCard(custom: Signal<Vec<FieldDef>>, #[prop(into)] on_created: Callback<LeadForm>) -> impl IntoView {
    let i18n = use_i18n();
    let lang = crate::fields::components::language(i18n);
    let custom_asked = RwSignal::new(Vec::<String>::new());
    let name = RwSignal::new(String::new());
    let asked = RwSignal::new(vec![FormField::Name, FormField::Email, FormField::Phone, FormField::Message]);
    let required = RwSignal::new(vec![FormField::Name, FormField::Email]);
    let owner = RwSignal::new(String::new());
    let territory = RwSignal::new(String::new());
    let thank_you = RwSignal::new(String::new());
    let errors = RwSignal::new(crate::common::FieldErrors::new());
    let failure = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let users = LocalResource::new(crate::users::api::list);
    let territories = LocalResource::new(crate::territories::api::list);
    let toggle = move |list: RwSignal<Vec<FormField>>, field: FormField, on: bool| {
        list.update(|l| {
            l.retain(|f| *f != field);
            if on {
                l.push(field);
                l.sort();
            }
        });
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let fields = asked.get_untracked();
        let input = LeadFormInput {
            name: name.get_untracked(),
            required: Some(
                required
                    .get_untracked()
                    .into_iter()
                    .filter(|f| fields.contains(f))
                    .map(|f| f.as_str().into())
                    .collect(),
            ),
            fields: Some(fields.iter().map(|f| f.as_str().into()).collect()),
            owner_id: crate::common::UserId::parse(&owner.get_untracked()),
            territory_id: crate::common::TerritoryId::parse(&territory.get_untracked()),
            thank_you: Some(thank_you.get_untracked()),
            // In the order the business's fields are shown.
            custom_fields: custom
                .get_untracked()
                .into_iter()
                .filter(|d| custom_asked.with_untracked(|a| a.contains(&d.key)))
                .map(|d| d.key)
                .collect(),
        };
        if let Err(e) = input.validate() {
            errors.set(e);
            return;
        }
        errors.set(Default::default());
        failure.set(None);
        busy.set(true);
        leptos::task::spawn_local(async move {
            match crate::forms::api::create(&input).await {
                Ok(form) => {
                    name.set(String::new());
                    thank_you.set(String::new());
                    custom_asked.set(vec![]);
                    on_created.run(form);
                }
                Err(e) if !e.fields.is_empty() => {
                    failure
                        .set(Some(e.fields.iter().map(|(f, m)| format!("{f}: {m}")).collect::<Vec<_>>().join(" · ")));
                }
                Err(e) => failure.set(Some(e.message)),
            }
            busy.set(false);
        });
    };
    let error_of = move |field: &'static str| errors.with(|e| e.get(field).map(|e| field_error_text(i18n, e)));
    view! {
        <form class="card form-builder" on:submit=submit>
            <h2>{t!(i18n, forms.new_form)}</h2>
            <label class="field">
                <span>{t!(i18n, forms.name)}</span>
                <input type="text" name="form_name" placeholder="Website contact form" prop:value=name
                    on:input=move |ev| name.set(event_target_value(&ev))/>
                <small class="field-error" role="alert">{move || error_of("name")}</small>
            </label>
            <fieldset class="field">
                <legend>{t!(i18n, forms.fields)}</legend>
                <table class="field-table">
                    <thead><tr><th>{t!(i18n, forms.field)}</th><th>{t!(i18n, forms.asked)}</th><th>{t!(i18n, forms.required)}</th></tr></thead>
                    <tbody>
                        {FormField::ALL.into_iter().map(|field| view! {
                            <tr>
                                <td>{move || field_label(i18n, field)}</td>
                                <td><input type="checkbox" name=format!("ask_{}", field.as_str())
                                    aria-label=move || format!("{} {}", t_string!(i18n, forms.asked), field_label(i18n, field))
                                    prop:checked=move || asked.with(|l| l.contains(&field))
                                    on:change=move |ev| toggle(asked, field, event_target_checked(&ev))/></td>
                                <td><input type="checkbox" name=format!("require_{}", field.as_str())
                                    aria-label=move || format!("{} {}", t_string!(i18n, forms.required), field_label(i18n, field))
                                    prop:checked=move || required.with(|l| l.contains(&field)) && asked.with(|l| l.contains(&field))
                                    prop:disabled=move || !asked.with(|l| l.contains(&field))
                                    on:change=move |ev| toggle(required, field, event_target_checked(&ev))/></td>
                            </tr>
                        }).collect_view()}
                        // The business's own fields: required on the form where the field is.
                        {move || custom.get().into_iter().map(|def| {
                            let key = def.key.clone();
                            let label = def.label.in_language(lang).to_string();
                            let (on, toggle_key) = (key.clone(), key.clone());
                            view! {
                                <tr data-custom=key.clone()>
                                    <td>{label.clone()}</td>
                                    <td><input type="checkbox" name=format!("ask_custom_{key}")
                                        aria-label=format!("{} {label}", t_string!(i18n, forms.asked))
                                        prop:checked=move || custom_asked.with(|a| a.contains(&on))
                                        on:change=move |ev| {
                                            let checked = event_target_checked(&ev);
                                            custom_asked.update(|a| {
                                                a.retain(|k| *k != toggle_key);
                                                if checked { a.push(toggle_key.clone()); }
                                            });
                                        }/></td>
                                    <td><input type="checkbox" disabled prop:checked=def.required
                                        title=move || t_string!(i18n, forms.required_by_field)/></td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
                <small class="field-error" role="alert">{move || error_of("fields").or_else(|| error_of("required"))}</small>
                <Show when=move || !custom.with(Vec::is_empty)>
                    <small class="muted">{t!(i18n, forms.custom_hint)}</small>
                </Show>
            </fieldset>
            <div class="field-row">
                <label class="field">
                    <span>{t!(i18n, forms.owner)}</span>
                    <select name="owner_id" on:change=move |ev| owner.set(event_target_value(&ev))>
                        <option value="">{t!(i18n, forms.no_owner)}</option>
                        {move || users.get().and_then(Result::ok).map(|list| list.into_iter().filter(|u| u.active).map(|u| view! {
                            <option value=u.id.to_string()>{u.name.clone()}</option>
                        }).collect_view())}
                    </select>
                </label>
                <label class="field">
                    <span>{t!(i18n, forms.territory)}</span>
                    <select name="territory_id" on:change=move |ev| territory.set(event_target_value(&ev))>
                        <option value="">{t!(i18n, forms.no_territory)}</option>
                        {move || territories.get().and_then(Result::ok).map(|list| list.into_iter().map(|t| view! {
                            <option value=t.id.to_string()>{t.name.clone()}</option>
                        }).collect_view())}
                    </select>
                </label>
            </div>
            <label class="field">
                <span>{t!(i18n, forms.thank_you)}</span>
                <input type="text" name="thank_you" placeholder=crate::forms::DEFAULT_THANK_YOU prop:value=thank_you
                    on:input=move |ev| thank_you.set(event_target_value(&ev))/>
                <small class="field-error" role="alert">{move || error_of("thank_you")}</small>
            </label>
            <p class="field-error" role="alert">{move || failure.get()}</p>
            <button type="submit" class="button primary" prop:disabled=busy>
                <Icon name="plus" size=18/><span>{t!(i18n, forms.create)}</span>
            </button>
        </form>
    }
}

#[component]
fn FormRow(form: LeadForm, asked: Vec<FieldDef>, open: bool, #[prop(into)] on_deleted: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let lang = crate::fields::components::language(i18n);
    let snippet = embed_snippet(&form, &asked, &origin());
    let asked_labels: Vec<String> = asked.iter().map(|d| d.label.in_language(lang).to_string()).collect();
    let copied = RwSignal::new(false);
    let delete = {
        let (id, name) = (form.id, form.name.clone());
        move |_| {
            if confirm(&t_string!(i18n, forms.confirm_delete, name = name.clone())) {
                leptos::task::spawn_local(async move {
                    if crate::forms::api::delete(id).await.is_ok() {
                        on_deleted.run(());
                    }
                });
            }
        }
    };
    let copy = {
        let snippet = snippet.clone();
        move |_| {
            #[cfg(feature = "hydrate")]
            if let Some(w) = web_sys::window() {
                let _ = w.navigator().clipboard().write_text(&snippet);
            }
            #[cfg(not(feature = "hydrate"))]
            let _ = &snippet;
            copied.set(true);
        }
    };
    let submissions = form.submissions;
    let fields = form.fields.clone();
    view! {
        <li class="record form-record" data-form-id=form.id.to_string()>
            <div class="record-main">
                <strong>{form.name.clone()}</strong>
                <p class="muted small">
                    {move || fields.iter().map(|f| field_label(i18n, *f)).chain(asked_labels.iter().cloned()).collect::<Vec<_>>().join(" · ")}
                    " · "{move || t_string!(i18n, forms.submissions, count = submissions)}
                </p>
                <details open=open>
                    <summary>{t!(i18n, forms.embed)}</summary>
                    <p class="muted small">{t!(i18n, forms.embed_hint)}</p>
                    <textarea class="snippet" readonly rows="8" aria-label=move || t_string!(i18n, forms.embed)>{snippet.clone()}</textarea>
                    <button type="button" class="button small" on:click=copy>
                        {move || if copied.get() { t_string!(i18n, forms.copied) } else { t_string!(i18n, forms.copy) }}
                    </button>
                </details>
            </div>
            <button class="button small danger-outline" on:click=delete>{t!(i18n, forms.delete)}</button>
        </li>
    }
}
