//! A record's custom fields on its form (one input per field, by kind) and on its page.

use crate::common::FieldErrors;
use crate::fields::values::path;
use crate::fields::{display, EditableBy, FieldDef, FieldKind};
use crate::i18n::*;
use crate::ui::field_error_text;
use leptos::prelude::*;
use serde_json::{Map, Value};

/// The reader's language, for labels: `bn` or `en`.
pub fn language(i18n: leptos_i18n::I18nContext<Locale>) -> &'static str {
    match i18n.get_locale_untracked() {
        Locale::bn => "bn",
        Locale::en => "en",
    }
}

/// The custom values a record shows, as facts (`<dt>` label, `<dd>` value), in field order.
#[component]
pub fn CustomFacts(defs: Vec<FieldDef>, values: crate::fields::CustomValues) -> impl IntoView {
    let i18n = use_i18n();
    let lang = language(i18n);
    defs.into_iter()
        .filter_map(|def| {
            let value = values.get(&def.key)?;
            let shown = display(&def, value, lang);
            let wide = def.kind == FieldKind::LongText;
            Some(view! {
                <div class:wide=wide data-field=def.key.clone()>
                    <dt>{def.label.in_language(lang).to_string()}</dt>
                    <dd class:pre=wide>{shown}</dd>
                </div>
            })
        })
        .collect_view()
}

/// The inputs of a record's custom fields, grouped by section. `values` holds what the form
/// will send (as the API takes it); `office` says whether office-only fields may be changed.
#[component]
pub fn CustomInputs(
    defs: Vec<FieldDef>,
    values: RwSignal<Map<String, Value>>,
    errors: RwSignal<FieldErrors>,
    office: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let lang = language(i18n);
    let mut sections: Vec<(Option<String>, Vec<FieldDef>)> = Vec::new();
    for def in defs {
        match sections.iter_mut().find(|(s, _)| *s == def.section) {
            Some((_, list)) => list.push(def),
            None => sections.push((def.section.clone(), vec![def])),
        }
    }
    sections
        .into_iter()
        .map(|(section, defs)| {
            view! {
                <fieldset class="field custom-fields">
                    <legend>{section.unwrap_or_else(|| t_string!(i18n, fields.details).to_string())}</legend>
                    <div class="form-grid">
                        {defs.into_iter().map(|def| view! { <CustomInput def values errors office lang/> }).collect_view()}
                    </div>
                </fieldset>
            }
        })
        .collect_view()
}

#[component]
fn CustomInput(
    def: FieldDef,
    values: RwSignal<Map<String, Value>>,
    errors: RwSignal<FieldErrors>,
    office: bool,
    lang: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let key = def.key.clone();
    let name = path(&key);
    let locked = def.editable_by == EditableBy::OfficeAndUp && !office;
    let label = format!("{}{}", def.label.in_language(lang), if def.required { " *" } else { "" });
    let error_key = name.clone();
    let error = move || errors.with(|e| e.get(&error_key).map(|fe| field_error_text(i18n, fe)));
    let held = {
        let key = key.clone();
        move || values.with(|v| v.get(&key).cloned().unwrap_or(Value::Null))
    };
    let set = {
        let key = key.clone();
        move |value: Value| {
            values.update(|v| {
                v.insert(key.clone(), value);
            });
        }
    };
    let text_of = move |v: Value| match v {
        Value::String(s) => s,
        Value::Null => String::new(),
        other => other.to_string(),
    };
    let help = def.help.clone().map(|h| view! { <small class="muted">{h}</small> });
    let input = match def.kind {
        FieldKind::LongText => {
            let set = set.clone();
            view! {
                <textarea name=name.clone() rows="3" disabled=locked maxlength="5000"
                    prop:value=move || text_of(held()) on:input=move |ev| set(Value::String(event_target_value(&ev)))></textarea>
            }
            .into_any()
        }
        FieldKind::YesNo => {
            let set = set.clone();
            let is = move |b: Option<bool>| {
                let held = held.clone();
                move || held().as_bool() == b
            };
            view! {
                <select name=name.clone() disabled=locked on:change=move |ev| set(match event_target_value(&ev).as_str() {
                    "true" => Value::Bool(true),
                    "false" => Value::Bool(false),
                    _ => Value::Null,
                })>
                    <option value="" selected=is(None)>"—"</option>
                    <option value="true" selected=is(Some(true))>{t!(i18n, fields.yes)}</option>
                    <option value="false" selected=is(Some(false))>{t!(i18n, fields.no)}</option>
                </select>
            }
            .into_any()
        }
        FieldKind::Choice => {
            let set = set.clone();
            let now = held().as_str().map(str::to_string);
            let offered: Vec<_> =
                def.choices.iter().filter(|c| !c.retired || now.as_deref() == Some(c.key.as_str())).cloned().collect();
            view! {
                <select name=name.clone() disabled=locked on:change=move |ev| {
                    let v = event_target_value(&ev);
                    set(if v.is_empty() { Value::Null } else { Value::String(v) });
                }>
                    <option value="" selected=now.is_none()>"—"</option>
                    {offered.into_iter().map(|c| {
                        let selected = now.as_deref() == Some(c.key.as_str());
                        view! { <option value=c.key.clone() selected=selected>{c.label.in_language(lang).to_string()}</option> }
                    }).collect_view()}
                </select>
            }
            .into_any()
        }
        FieldKind::Choices => {
            let held_now: Vec<String> = held()
                .as_array()
                .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
                .unwrap_or_default();
            let offered: Vec<_> =
                def.choices.iter().filter(|c| !c.retired || held_now.contains(&c.key)).cloned().collect();
            let key = key.clone();
            view! {
                <div class="segmented wrap" role="group">
                    {offered.into_iter().map(|c| {
                        let key = key.clone();
                        let choice = c.key.clone();
                        let checked = held_now.contains(&c.key);
                        view! {
                            <label><input type="checkbox" name=path(&key) value=c.key.clone() disabled=locked prop:checked=checked
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    values.update(|v| {
                                        let mut list: Vec<Value> = v.get(&key).and_then(Value::as_array).cloned().unwrap_or_default();
                                        list.retain(|x| x.as_str() != Some(choice.as_str()));
                                        if on {
                                            list.push(Value::String(choice.clone()));
                                        }
                                        v.insert(key.clone(), Value::Array(list));
                                    });
                                }/>
                            {c.label.in_language(lang).to_string()}</label>
                        }
                    }).collect_view()}
                </div>
            }
            .into_any()
        }
        FieldKind::Money => {
            let set = set.clone();
            // Typed in whole units (taka); held, as the API takes it, in minor units (poisha).
            let shown = move || match held() {
                Value::Number(n) => n
                    .as_i64()
                    .map(|m| if m % 100 == 0 { (m / 100).to_string() } else { format!("{}.{:02}", m / 100, m % 100) })
                    .unwrap_or_default(),
                other => text_of(other),
            };
            view! {
                <div class="input-with-unit">
                    <input name=name.clone() inputmode="decimal" disabled=locked prop:value=shown
                        on:change=move |ev| {
                            let raw = event_target_value(&ev);
                            let typed = raw.trim().replace(',', "");
                            set(match typed.parse::<f64>() {
                                _ if typed.is_empty() => Value::Null,
                                #[allow(clippy::cast_possible_truncation)] // checked by the field's parse, server and client
                                Ok(n) if n.is_finite() => Value::from((n * 100.0).round() as i64),
                                _ => Value::String(raw),
                            });
                        }/>
                    <span class="unit">{def.unit.clone().unwrap_or_else(|| "BDT".into())}</span>
                </div>
            }
            .into_any()
        }
        kind => {
            let set = set.clone();
            let (kind_attr, mode) = match kind {
                FieldKind::Number => ("text", "decimal"),
                FieldKind::Date => ("date", "none"),
                FieldKind::Phone => ("tel", "tel"),
                FieldKind::Email => ("email", "email"),
                FieldKind::Url => ("url", "url"),
                _ => ("text", "text"),
            };
            let unit = (kind == FieldKind::Number).then(|| def.unit.clone()).flatten();
            view! {
                <div class="input-with-unit">
                    <input name=name.clone() type=kind_attr inputmode=mode disabled=locked prop:value=move || text_of(held())
                        on:input=move |ev| set(Value::String(event_target_value(&ev)))/>
                    {unit.map(|u| view! { <span class="unit">{u}</span> })}
                </div>
            }
            .into_any()
        }
    };
    // Several choices are checkboxes with labels of their own: a group, not one label.
    if def.kind == FieldKind::Choices {
        view! {
            <div class="field wide" data-field=key>
                <span>{label}</span>
                {input}
                {help}
                <span class="field-error">{error}</span>
            </div>
        }
        .into_any()
    } else {
        view! {
            <label class="field" class:wide=def.kind == FieldKind::LongText data-field=key>
                <span>{label}</span>
                {input}
                {help}
                <span class="field-error">{error}</span>
            </label>
        }
        .into_any()
    }
}

/// The mistakes in the custom values a form sends, against the definitions this device knows
/// (none while they load): the checks the server runs again. `held`: the record's values
/// before the edit (`None` for a new record).
pub fn mistakes(
    defs: Option<&[FieldDef]>,
    held: Option<&crate::fields::CustomValues>,
    sent: &Map<String, Value>,
    office: bool,
) -> FieldErrors {
    let writer = crate::fields::Writer { office_and_up: office };
    defs.and_then(|defs| crate::fields::apply(defs, held, sent, writer).err()).unwrap_or_default()
}
