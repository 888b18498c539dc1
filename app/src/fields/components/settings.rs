//! Admin: *Settings → Fields* — the business's own fields per record type: add one, change its
//! label, help, choices and order, retire a choice, delete a field (asked first).

use crate::common::{FieldErrors, FieldId};
use crate::contacts::ContactKind;
use crate::fields::{AskWhen, Choice, EditableBy, FieldDef, FieldDefInput, FieldKind, Label, RecordType};
use crate::i18n::*;
use crate::ui::{confirm, field_error_text, ClientOnly, EmptyState, ErrorState, Loading};
use leptos::prelude::*;

fn type_label(i18n: leptos_i18n::I18nContext<Locale>, t: RecordType) -> String {
    match t {
        RecordType::Contact => t_string!(i18n, fields.type_contact),
        RecordType::Deal => t_string!(i18n, fields.type_deal),
        RecordType::Listing => t_string!(i18n, fields.type_listing),
        RecordType::Appointment => t_string!(i18n, fields.type_appointment),
        RecordType::Visit => t_string!(i18n, fields.type_visit),
    }
    .to_string()
}

fn kind_label(i18n: leptos_i18n::I18nContext<Locale>, k: FieldKind) -> String {
    match k {
        FieldKind::Text => t_string!(i18n, fields.kind_text),
        FieldKind::LongText => t_string!(i18n, fields.kind_long_text),
        FieldKind::Number => t_string!(i18n, fields.kind_number),
        FieldKind::Money => t_string!(i18n, fields.kind_money),
        FieldKind::Date => t_string!(i18n, fields.kind_date),
        FieldKind::YesNo => t_string!(i18n, fields.kind_yes_no),
        FieldKind::Choice => t_string!(i18n, fields.kind_choice),
        FieldKind::Choices => t_string!(i18n, fields.kind_choices),
        FieldKind::Phone => t_string!(i18n, fields.kind_phone),
        FieldKind::Email => t_string!(i18n, fields.kind_email),
        FieldKind::Url => t_string!(i18n, fields.kind_url),
        FieldKind::Link => t_string!(i18n, fields.kind_link),
    }
    .to_string()
}

#[component]
pub fn FieldsPage() -> impl IntoView {
    let i18n = use_i18n();
    let record_type = RwSignal::new(RecordType::Contact);
    let fields = LocalResource::new(move || crate::fields::api::list(record_type.get()));
    let editing = RwSignal::new(None::<FieldDef>);
    let saved = move || {
        editing.set(None);
        fields.refetch();
    };
    view! {
        <section class="page narrow">
            <header class="page-header">
                <h1>{t!(i18n, fields.title)}</h1>
                <p class="muted">{t!(i18n, fields.intro)}</p>
            </header>
            <div class="segmented record-types" role="tablist">
                {RecordType::ALL.into_iter().map(|t| view! {
                    <button type="button" role="tab" aria-selected=move || (record_type.get() == t).to_string()
                        on:click=move |_| { editing.set(None); record_type.set(t); }>{move || type_label(i18n, t)}</button>
                }).collect_view()}
            </div>
            <ClientOnly>
                {move || {
                    let t = record_type.get();
                    let existing = editing.get();
                    view! { <FieldEditor record_type=t existing on_saved=move |()| saved() on_cancel=move |()| editing.set(None)/> }
                }}
                <Transition fallback=Loading>
                    {move || fields.get().map(|result| match result {
                        Ok(list) if list.is_empty() => view! {
                            <EmptyState icon="form" title=move || t!(i18n, fields.empty) hint=move || t!(i18n, fields.empty_hint)/>
                        }.into_any(),
                        Ok(list) => {
                            let rows: Vec<_> = list.iter().enumerate().map(|(i, def)| {
                                let above = i.checked_sub(1).and_then(|j| list.get(j)).cloned();
                                let below = list.get(i + 1).cloned();
                                view! { <FieldRow def=def.clone() above below editing on_changed=move || fields.refetch()/> }
                            }).collect();
                            view! { <ul class="record-list fields-list">{rows}</ul> }.into_any()
                        }
                        Err(error) => view! { <ErrorState error on_retry=move |()| fields.refetch()/> }.into_any(),
                    })}
                </Transition>
            </ClientOnly>
        </section>
    }
}

/// One field in the list: edit, delete (asked first), and move it above or below its
/// neighbour (the two swap places on the record's page and form).
#[component]
fn FieldRow(
    def: FieldDef,
    above: Option<FieldDef>,
    below: Option<FieldDef>,
    editing: RwSignal<Option<FieldDef>>,
    on_changed: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let lang = super::inputs::language(i18n);
    let failure = RwSignal::new(None::<String>);
    let id: FieldId = def.id;
    let label = def.label.in_language(lang).to_string();
    let (def_for_move, label_for_move) = (def.clone(), label.clone());
    let remove = {
        let (label, on_deleted) = (label.clone(), on_changed.clone());
        move |_| {
            if !confirm(&t_string!(i18n, fields.confirm_delete, label = label.clone()).to_string()) {
                return;
            }
            let on_deleted = on_deleted.clone();
            leptos::task::spawn_local(async move {
                match crate::fields::api::delete(id).await {
                    Ok(()) => on_deleted(),
                    Err(e) => failure.set(Some(crate::ui::error_text(i18n, &e))),
                }
            });
        }
    };
    // Swaps this field's place with `other`'s (one place apart when they share a position).
    let swap = move |other: FieldDef| {
        let (this, on_moved) = (def_for_move.clone(), on_changed.clone());
        move |_| {
            let (this, other, on_moved) = (this.clone(), other.clone(), on_moved.clone());
            let (mine, theirs) = if this.position == other.position {
                (other.position + if other.position < this.position { -1 } else { 1 }, this.position)
            } else {
                (other.position, this.position)
            };
            leptos::task::spawn_local(async move {
                let moved = async {
                    crate::fields::api::update(this.id, &this.as_input(mine)).await?;
                    crate::fields::api::update(other.id, &other.as_input(theirs)).await
                };
                match moved.await {
                    Ok(_) => on_moved(),
                    Err(e) => failure.set(Some(crate::ui::error_text(i18n, &e))),
                }
            });
        }
    };
    let edit_def = def.clone();
    let choices = def
        .choices
        .iter()
        .filter(|c| !c.retired)
        .map(|c| c.label.in_language(lang).to_string())
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <li class="record-row field-row" data-key=def.key.clone()>
            <div class="grow">
                <strong>{label}</strong>
                {def.required.then(|| view! { <span class="badge">{t!(i18n, fields.required)}</span> })}
                {def.contact_kind.map(|k| view! {
                    <span class="badge">{match k {
                        ContactKind::Person => t_string!(i18n, fields.asked_of_people),
                        ContactKind::Company => t_string!(i18n, fields.asked_of_companies),
                    }}</span>
                })}
                <p class="muted small">
                    <code>{def.key.clone()}</code>" · "{kind_label(i18n, def.kind)}
                    {def.unit.clone().map(|u| format!(" ({u})"))}
                    {(!choices.is_empty()).then(|| format!(" · {choices}"))}
                </p>
                <p class="form-error">{move || failure.get()}</p>
            </div>
            <div class="row-actions">
                {above.map(|other| {
                    let name = t_string!(i18n, fields.move_up, label = label_for_move.clone()).to_string();
                    view! { <button type="button" class="icon-button" aria-label=name.clone() title=name on:click=swap(other)>"↑"</button> }
                })}
                {below.map(|other| {
                    let name = t_string!(i18n, fields.move_down, label = label_for_move.clone()).to_string();
                    view! { <button type="button" class="icon-button" aria-label=name.clone() title=name on:click=swap(other)>"↓"</button> }
                })}
                <button type="button" class="button secondary" on:click=move |_| editing.set(Some(edit_def.clone()))>{t!(i18n, fields.edit)}</button>
                <button type="button" class="button danger-outline" on:click=remove>{t!(i18n, fields.delete)}</button>
            </div>
        </li>
    }
}

/// Choices as the editor writes them: one per line, `Label` or `Label | বাংলা`; a line that
/// starts with `-` is retired. Keys come from the labels and never change once a choice exists.
fn parse_choice_lines(text: &str, before: &[Choice]) -> Vec<Choice> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|line| {
            let (retired, line) = match line.strip_prefix('-') {
                Some(rest) => (true, rest.trim()),
                None => (false, line),
            };
            let (en, bn) = match line.split_once('|') {
                Some((en, bn)) => (en.trim(), Some(bn.trim().to_string()).filter(|b| !b.is_empty())),
                None => (line, None),
            };
            let key = before
                .iter()
                .find(|c| c.label.en.eq_ignore_ascii_case(en) || c.key == key_from(en))
                .map_or_else(|| key_from(en), |c| c.key.clone());
            Choice { key, label: Label { en: en.to_string(), bn }, retired }
        })
        .collect()
}

fn choice_lines(choices: &[Choice]) -> String {
    choices
        .iter()
        .map(|c| {
            let bn = c.label.bn.as_ref().map(|b| format!(" | {b}")).unwrap_or_default();
            format!("{}{}{bn}", if c.retired { "- " } else { "" }, c.label.en)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A key from a label: `Budget (BDT)` → `budget_bdt`.
pub fn key_from(label: &str) -> String {
    let mut key = String::new();
    for c in label.trim().to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            key.push(c);
        } else if !key.ends_with('_') && !key.is_empty() {
            key.push('_');
        }
    }
    let key = key.trim_end_matches('_').to_string();
    let key = if key.starts_with(|c: char| c.is_ascii_digit()) { format!("f_{key}") } else { key };
    key.chars().take(crate::fields::MAX_KEY).collect()
}

#[component]
fn FieldEditor(
    record_type: RecordType,
    existing: Option<FieldDef>,
    #[prop(into)] on_saved: Callback<()>,
    #[prop(into)] on_cancel: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let e = existing.clone();
    let label_en = RwSignal::new(e.as_ref().map(|d| d.label.en.clone()).unwrap_or_default());
    let label_bn = RwSignal::new(e.as_ref().and_then(|d| d.label.bn.clone()).unwrap_or_default());
    let key = RwSignal::new(e.as_ref().map(|d| d.key.clone()).unwrap_or_default());
    let key_typed = RwSignal::new(e.is_some());
    let kind = RwSignal::new(e.as_ref().map_or(FieldKind::Text, |d| d.kind));
    let unit = RwSignal::new(e.as_ref().and_then(|d| d.unit.clone()).unwrap_or_default());
    let required = RwSignal::new(e.as_ref().is_some_and(|d| d.required));
    let office_only = RwSignal::new(e.as_ref().is_some_and(|d| d.editable_by == EditableBy::OfficeAndUp));
    let help = RwSignal::new(e.as_ref().and_then(|d| d.help.clone()).unwrap_or_default());
    let section = RwSignal::new(e.as_ref().and_then(|d| d.section.clone()).unwrap_or_default());
    let choices = RwSignal::new(e.as_ref().map(|d| choice_lines(&d.choices)).unwrap_or_default());
    let link_to = RwSignal::new(e.as_ref().and_then(|d| d.link_to).unwrap_or(crate::fields::LinkTarget::Contact));
    let ask_showing = RwSignal::new(e.as_ref().and_then(|d| d.ask_when.as_ref()).is_some_and(|w| w.showing));
    let ask_outcome =
        RwSignal::new(e.as_ref().and_then(|d| d.ask_when.as_ref()).and_then(|w| w.outcome.clone()).unwrap_or_default());
    let contact_kind = RwSignal::new(e.as_ref().and_then(|d| d.contact_kind));
    let outcomes = LocalResource::new(crate::visits::api::outcomes);
    let errors = RwSignal::new(FieldErrors::new());
    let failure = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let before = e.as_ref().map(|d| d.choices.clone()).unwrap_or_default();
    let position = e.as_ref().map(|d| d.position);
    let editing = existing.as_ref().map(|d| d.id);
    let err = move |field: &'static str| move || errors.with(|e| e.get(field).map(|fe| field_error_text(i18n, fe)));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let k = kind.get_untracked();
        let opt = |s: String| (!s.trim().is_empty()).then_some(s);
        let input = FieldDefInput {
            record_type: record_type.as_str().into(),
            key: key.get_untracked(),
            label: Label { en: label_en.get_untracked(), bn: opt(label_bn.get_untracked()) },
            kind: k.as_str().into(),
            unit: opt(unit.get_untracked()),
            link_to: (k == FieldKind::Link).then(|| link_to.get_untracked()),
            required: required.get_untracked(),
            help: opt(help.get_untracked()),
            choices: if k.has_choices() { parse_choice_lines(&choices.get_untracked(), &before) } else { vec![] },
            section: opt(section.get_untracked()),
            position,
            editable_by: if office_only.get_untracked() { EditableBy::OfficeAndUp } else { EditableBy::All },
            ask_when: (record_type == RecordType::Visit)
                .then(|| AskWhen { showing: ask_showing.get_untracked(), outcome: opt(ask_outcome.get_untracked()) }),
            contact_kind: contact_kind.get_untracked().filter(|_| record_type == RecordType::Contact),
        };
        if let Err(e) = input.validate() {
            errors.set(e);
            return;
        }
        errors.set(FieldErrors::new());
        failure.set(None);
        busy.set(true);
        leptos::task::spawn_local(async move {
            let done = match editing {
                Some(id) => crate::fields::api::update(id, &input).await,
                None => crate::fields::api::create(&input).await,
            };
            busy.set(false);
            match done {
                Ok(_) => on_saved.run(()),
                Err(e) if !e.fields.is_empty() => {
                    errors.set(e.field_errors());
                }
                Err(e) => failure.set(Some(crate::ui::error_text(i18n, &e))),
            }
        });
    };
    let is_edit = existing.is_some();
    view! {
        <form class="card field-editor" on:submit=submit novalidate>
            <h2>{move || if is_edit { t_string!(i18n, fields.edit_title) } else { t_string!(i18n, fields.new_title) }}</h2>
            <div class="form-grid">
                <label class="field"><span>{t!(i18n, fields.label_en)}</span>
                    <input name="label_en" maxlength="80" prop:value=label_en on:input=move |ev| {
                        let v = event_target_value(&ev);
                        if !key_typed.get_untracked() { key.set(key_from(&v)); }
                        label_en.set(v);
                    }/>
                    <span class="field-error">{err("label")}</span>
                </label>
                <label class="field"><span>{t!(i18n, fields.label_bn)}</span>
                    <input name="label_bn" lang="bn" maxlength="80" prop:value=label_bn on:input=move |ev| label_bn.set(event_target_value(&ev))/>
                </label>
                <label class="field"><span>{t!(i18n, fields.kind)}</span>
                    <select name="kind" on:change=move |ev| if let Ok(k) = FieldKind::parse(&event_target_value(&ev)) { kind.set(k) }>
                        {FieldKind::ALL.into_iter().map(|k| view! {
                            <option value=k.as_str() selected=move || kind.get() == k>{move || kind_label(i18n, k)}</option>
                        }).collect_view()}
                    </select>
                    <span class="field-error">{err("kind")}</span>
                </label>
                <label class="field"><span>{t!(i18n, fields.key)}</span>
                    <input name="key" maxlength="40" disabled=is_edit prop:value=key on:input=move |ev| { key_typed.set(true); key.set(event_target_value(&ev)); }/>
                    <small class="muted">{t!(i18n, fields.key_hint)}</small>
                    <span class="field-error">{err("key")}</span>
                </label>
                <Show when=move || matches!(kind.get(), FieldKind::Number | FieldKind::Money)>
                    <label class="field"><span>{move || if kind.get() == FieldKind::Money { t_string!(i18n, fields.currency) } else { t_string!(i18n, fields.unit) }}</span>
                        <input name="unit" maxlength="12" placeholder=move || if kind.get() == FieldKind::Money { "BDT" } else { "" } prop:value=unit on:input=move |ev| unit.set(event_target_value(&ev))/>
                        <span class="field-error">{err("unit")}</span>
                    </label>
                </Show>
                <Show when=move || kind.get() == FieldKind::Link>
                    <label class="field"><span>{t!(i18n, fields.link_to)}</span>
                        <select name="link_to" on:change=move |ev| link_to.set(match event_target_value(&ev).as_str() {
                            "listing" => crate::fields::LinkTarget::Listing,
                            "user" => crate::fields::LinkTarget::User,
                            _ => crate::fields::LinkTarget::Contact,
                        })>
                            <option value="contact">{t!(i18n, fields.type_contact)}</option>
                            <option value="listing">{t!(i18n, fields.type_listing)}</option>
                            <option value="user">{t!(i18n, fields.link_user)}</option>
                        </select>
                    </label>
                </Show>
            </div>
            <Show when=move || kind.get().has_choices()>
                <label class="field"><span>{t!(i18n, fields.choices)}</span>
                    <textarea name="choices" rows="5" prop:value=choices on:input=move |ev| choices.set(event_target_value(&ev))></textarea>
                    <small class="muted">{t!(i18n, fields.choices_hint)}</small>
                    <span class="field-error">{err("choices")}</span>
                </label>
            </Show>
            <div class="form-grid">
                <label class="field"><span>{t!(i18n, fields.help)}</span>
                    <input name="help" maxlength="300" prop:value=help on:input=move |ev| help.set(event_target_value(&ev))/>
                    <span class="field-error">{err("help")}</span>
                </label>
                <label class="field"><span>{t!(i18n, fields.section)}</span>
                    <input name="section" maxlength="60" prop:value=section on:input=move |ev| section.set(event_target_value(&ev))/>
                </label>
            </div>
            {(record_type == RecordType::Contact).then(|| view! {
                <label class="field"><span>{t!(i18n, fields.asked_of)}</span>
                    <select name="contact_kind" on:change=move |ev| contact_kind.set(ContactKind::parse(&event_target_value(&ev)).ok())>
                        <option value="" selected=move || contact_kind.get().is_none()>{t!(i18n, fields.asked_of_all)}</option>
                        <option value="person" selected=move || contact_kind.get() == Some(ContactKind::Person)>{t!(i18n, fields.asked_of_people)}</option>
                        <option value="company" selected=move || contact_kind.get() == Some(ContactKind::Company)>{t!(i18n, fields.asked_of_companies)}</option>
                    </select>
                    <span class="field-error">{err("contact_kind")}</span>
                </label>
            })}
            {(record_type == RecordType::Visit).then(|| view! {
                <fieldset class="field">
                    <legend>{t!(i18n, fields.ask_when)}</legend>
                    <label class="checkbox"><input type="checkbox" name="ask_showing" prop:checked=ask_showing on:change=move |ev| ask_showing.set(event_target_checked(&ev))/>
                        {t!(i18n, fields.ask_showing)}</label>
                    <label class="field"><span>{t!(i18n, fields.ask_outcome)}</span>
                        <select name="ask_outcome" on:change=move |ev| ask_outcome.set(event_target_value(&ev))>
                            <option value="">{t!(i18n, fields.any_outcome)}</option>
                            {move || outcomes.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|o| {
                                let selected = o == ask_outcome.get_untracked();
                                view! { <option value=o.clone() selected=selected>{o.clone()}</option> }
                            }).collect_view()}
                        </select>
                    </label>
                    <span class="field-error">{err("ask_when")}</span>
                </fieldset>
            })}
            <label class="checkbox"><input type="checkbox" name="required" prop:checked=required on:change=move |ev| required.set(event_target_checked(&ev))/>
                {t!(i18n, fields.required_hint)}</label>
            <label class="checkbox"><input type="checkbox" name="office_only" prop:checked=office_only on:change=move |ev| office_only.set(event_target_checked(&ev))/>
                {t!(i18n, fields.office_only)}</label>
            <p class="form-error" role="alert">{move || failure.get()}</p>
            <p class="form-error">{err("record_type")}</p>
            <div class="form-actions">
                {is_edit.then(|| view! { <button type="button" class="button secondary" on:click=move |_| on_cancel.run(())>{t!(i18n, common.cancel)}</button> })}
                <button type="submit" class="button primary" disabled=move || busy.get()>
                    {move || if is_edit { t_string!(i18n, common.save) } else { t_string!(i18n, fields.add) }}
                </button>
            </div>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_come_from_labels_and_choices_keep_theirs() {
        assert_eq!(key_from("Budget (BDT)"), "budget_bdt");
        assert_eq!(key_from("  NID verified? "), "nid_verified");
        assert_eq!(key_from("2nd phone"), "f_2nd_phone");
        let first = parse_choice_lines("Gulshan | গুলশান\nBanani", &[]);
        assert_eq!((first[0].key.as_str(), first[0].label.bn.as_deref()), ("gulshan", Some("গুলশান")));
        let renamed = parse_choice_lines("Gulshan\n- Banani\nUttara", &first);
        assert_eq!(
            renamed.iter().map(|c| (c.key.as_str(), c.retired)).collect::<Vec<_>>(),
            [("gulshan", false), ("banani", true), ("uttara", false)]
        );
        assert_eq!(choice_lines(&renamed), "Gulshan\n- Banani\nUttara");
    }
}
