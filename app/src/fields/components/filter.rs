//! A list's filter on one custom field: pick a field, then a value (a choice, yes or no) or a
//! range (a number, an amount, a date).

use crate::common::money::minor_units;
use crate::fields::filter::{to_query, Test};
use crate::fields::{FieldDef, FieldKind, RecordType};
use crate::i18n::*;
use leptos::prelude::*;

/// The condition the picked field and what was typed make: `None` while nothing narrows.
fn test_of(def: &FieldDef, value: &str, low: &str, high: &str) -> Option<Test> {
    let end = |raw: &str| -> Option<f64> {
        let raw = raw.trim();
        match def.kind {
            _ if raw.is_empty() => None,
            // Amounts are typed in whole units and filtered in minor ones.
            #[allow(clippy::cast_precision_loss)] // whole units under 1e13
            FieldKind::Money => Some(minor_units(raw)).filter(|m| *m >= 0).map(|m| m as f64),
            _ => raw.replace(',', "").parse().ok(),
        }
    };
    let date = |raw: &str| Some(raw.trim().to_string()).filter(|d| !d.is_empty());
    match def.kind {
        FieldKind::Number | FieldKind::Money => {
            let (min, max) = (end(low), end(high));
            (min.is_some() || max.is_some()).then_some(Test::Between(min, max))
        }
        FieldKind::Date => {
            let (min, max) = (date(low), date(high));
            (min.is_some() || max.is_some()).then_some(Test::DatesBetween(min, max))
        }
        _ => (!value.is_empty()).then(|| Test::OneOf(vec![value.to_string()])),
    }
}

/// Sets `custom` (the list query's `custom`) to the condition on the field picked; shows
/// nothing while the record type has no field to filter by (nor its `label`, given one: a form
/// of filters shows no title over an empty place).
#[component]
pub fn CustomFilter(
    record_type: RecordType,
    custom: RwSignal<String>,
    #[prop(optional, into)] label: Option<Signal<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let lang = super::language(i18n);
    let defs = LocalResource::new(move || crate::fields::api::list(record_type));
    let field = RwSignal::new(String::new());
    let value = RwSignal::new(String::new());
    let (low, high) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let filterable = move || -> Vec<FieldDef> {
        defs.get()
            .and_then(Result::ok)
            .map(|d| {
                d.into_iter()
                    .filter(|d| d.kind.has_choices() || d.kind == FieldKind::YesNo || d.kind.is_ranged())
                    .collect()
            })
            .unwrap_or_default()
    };
    Effect::new(move || {
        let key = field.get();
        let picked = filterable().into_iter().find(|d| d.key == key);
        let test = picked.and_then(|d| test_of(&d, &value.get(), &low.get(), &high.get()));
        let query = test.map(|t| to_query(&[(key, t)])).unwrap_or_default();
        if custom.get_untracked() != query {
            custom.set(query);
        }
    });
    move || {
        let list = filterable();
        (!list.is_empty()).then(|| {
            let picked = list.iter().find(|d| d.key == field.get()).cloned();
            let ranged = picked.as_ref().map(|d| d.kind).filter(|k| k.is_ranged());
            let values: Vec<(String, String)> = match picked {
                Some(d) if d.kind == FieldKind::YesNo => vec![
                    ("yes".into(), t_string!(i18n, fields.yes).to_string()),
                    ("no".into(), t_string!(i18n, fields.no).to_string()),
                ],
                Some(d) if d.kind.has_choices() => {
                    d.choices.iter().map(|c| (c.key.clone(), c.label.in_language(lang).to_string())).collect()
                }
                _ => vec![],
            };
            let pick = move |ev| {
                value.set(String::new());
                low.set(String::new());
                high.set(String::new());
                field.set(event_target_value(&ev));
            };
            let controls = view! {
                <label class="visually-hidden" for="custom-field">{t!(i18n, fields.filter)}</label>
                <select id="custom-field" name="custom_field" on:change=pick>
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
                {ranged.map(|kind| {
                    let input = if kind == FieldKind::Date { "date" } else { "number" };
                    view! {
                        <input type=input id="custom-from" name="custom_from" inputmode="decimal"
                            aria-label=move || t_string!(i18n, fields.range_from) placeholder=move || t_string!(i18n, fields.range_from)
                            prop:value=low on:change=move |ev| low.set(event_target_value(&ev))/>
                        <input type=input id="custom-to" name="custom_to" inputmode="decimal"
                            aria-label=move || t_string!(i18n, fields.range_to) placeholder=move || t_string!(i18n, fields.range_to)
                            prop:value=high on:change=move |ev| high.set(event_target_value(&ev))/>
                    }
                })}
            };
            match label {
                Some(label) => view! {
                    <div class="field custom-segment">
                        <span>{move || label.get()}</span>
                        <div class="inline-fields">{controls}</div>
                    </div>
                }
                .into_any(),
                None => controls.into_any(),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::{FieldDefInput, Label};

    fn def(kind: &str) -> FieldDef {
        let input = FieldDefInput {
            record_type: "contact".into(),
            key: "budget".into(),
            label: Label { en: "Budget".into(), bn: None },
            kind: kind.into(),
            ..Default::default()
        };
        input.validate().unwrap().defined(crate::common::FieldId::new(), 0)
    }

    #[test]
    fn a_range_typed_in_whole_units_filters_in_minor_ones() {
        assert_eq!(test_of(&def("money"), "", "1,000", ""), Some(Test::Between(Some(100_000.0), None)));
        assert_eq!(test_of(&def("number"), "", "", "12.5"), Some(Test::Between(None, Some(12.5))));
        assert_eq!(
            test_of(&def("date"), "", "2026-01-01", "2026-12-31"),
            Some(Test::DatesBetween(Some("2026-01-01".into()), Some("2026-12-31".into())))
        );
        assert_eq!(test_of(&def("money"), "", " ", ""), None, "nothing typed narrows nothing");
    }
}
