//! A list's filter on one custom field: pick a field with choices (or yes/no), then a value.

use crate::fields::filter::{to_query, Test};
use crate::fields::{FieldDef, FieldKind, RecordType};
use crate::i18n::*;
use leptos::prelude::*;

/// Sets `custom` (the list query's `custom`) to `key=value` for the field and value picked;
/// shows nothing while the record type has no field to filter by.
#[component]
pub fn CustomFilter(record_type: RecordType, custom: RwSignal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let lang = super::language(i18n);
    let defs = LocalResource::new(move || crate::fields::api::list(record_type));
    let field = RwSignal::new(String::new());
    let value = RwSignal::new(String::new());
    let filterable = move || -> Vec<FieldDef> {
        defs.get()
            .and_then(Result::ok)
            .map(|d| d.into_iter().filter(|d| d.kind.has_choices() || d.kind == FieldKind::YesNo).collect())
            .unwrap_or_default()
    };
    Effect::new(move || {
        let (key, v) = (field.get(), value.get());
        custom.set(if key.is_empty() || v.is_empty() {
            String::new()
        } else {
            to_query(&[(key, Test::OneOf(vec![v]))])
        });
    });
    move || {
        let list = filterable();
        (!list.is_empty()).then(|| {
            let picked = list.iter().find(|d| d.key == field.get()).cloned();
            let values: Vec<(String, String)> = match picked {
                Some(d) if d.kind == FieldKind::YesNo => vec![
                    ("yes".into(), t_string!(i18n, fields.yes).to_string()),
                    ("no".into(), t_string!(i18n, fields.no).to_string()),
                ],
                Some(d) => d.choices.iter().map(|c| (c.key.clone(), c.label.in_language(lang).to_string())).collect(),
                None => vec![],
            };
            view! {
                <label class="visually-hidden" for="custom-field">{t!(i18n, fields.filter)}</label>
                <select id="custom-field" name="custom_field" on:change=move |ev| { value.set(String::new()); field.set(event_target_value(&ev)); }>
                    <option value="">{t!(i18n, fields.filter)}</option>
                    {list.into_iter().map(|d| {
                        let selected = d.key == field.get_untracked();
                        view! { <option value=d.key.clone() selected=selected>{d.label.in_language(lang).to_string()}</option> }
                    }).collect_view()}
                </select>
                {(!values.is_empty()).then(|| view! {
                    <label class="visually-hidden" for="custom-value">{t!(i18n, fields.filter_value)}</label>
                    <select id="custom-value" name="custom_value" on:change=move |ev| value.set(event_target_value(&ev))>
                        <option value="">"—"</option>
                        {values.into_iter().map(|(k, label)| {
                            let selected = k == value.get_untracked();
                            view! { <option value=k selected=selected>{label}</option> }
                        }).collect_view()}
                    </select>
                })}
            }
        })
    }
}
