//! A deal's details, edited in place on its pipeline card (phone and desktop): title, value,
//! expected close and the business's own deal fields, checked on the device and again by the
//! deal's action.

use crate::common::money::minor_units;
use crate::common::{ErrorCode, FieldErrors};
use crate::deals::{Deal, DealForUpdate, MoneyInput};
use crate::fields::components::{mistakes, CustomInputs};
use crate::fields::FieldDef;
use crate::i18n::*;
use crate::ui::field_error_text;
use leptos::prelude::*;

#[component]
pub fn DealEditor(
    deal: Deal,
    defs: Vec<FieldDef>,
    #[prop(into)] on_saved: Callback<Deal>,
    #[prop(into)] on_cancel: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let office = crate::session::current_user().with_untracked(|u| u.role != crate::users::Role::Rep);
    let title = RwSignal::new(deal.title.clone());
    let value = RwSignal::new(deal.value.major_units().to_string());
    let close = RwSignal::new(deal.expected_close.map(|d| d.to_string()).unwrap_or_default());
    let custom = RwSignal::new(deal.custom.clone().into_iter().collect::<serde_json::Map<_, _>>());
    let errors = RwSignal::new(FieldErrors::new());
    let failure = RwSignal::new(None::<String>);
    let (id, version, currency) = (deal.id, deal.version, deal.value.currency().to_string());
    let held = deal.custom.clone();
    let save = crate::ui::browser_action(move |body: &DealForUpdate| crate::deals::api::update(id, body.clone()));
    Effect::new(move || match save.value().get() {
        Some(Ok(saved)) => on_saved.run(saved),
        Some(Err(e)) if !e.fields.is_empty() => errors.set(e.field_errors()),
        Some(Err(e)) if e.code == ErrorCode::Network => failure.set(Some(t_string!(i18n, common.network).to_string())),
        Some(Err(e)) => failure.set(Some(crate::ui::error_text(i18n, &e))),
        None => {}
    });
    let check_defs = defs.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        failure.set(None);
        let expected_close = match close.get_untracked().trim() {
            "" => Some(None),
            d => d.parse().ok().map(Some),
        };
        let body = DealForUpdate {
            base_version: Some(version),
            title: Some(title.get_untracked()),
            value: Some(MoneyInput { amount: minor_units(&value.get_untracked()), currency: currency.clone() }),
            expected_close: expected_close.or(Some(None)),
            custom: Some(custom.get_untracked()),
            ..Default::default()
        };
        let mut found = mistakes(Some(&check_defs), Some(&held), &custom.get_untracked(), office);
        if title.get_untracked().trim().is_empty() {
            found.add("title", crate::common::FieldError::Required);
        }
        if minor_units(&value.get_untracked()) < 0 {
            found.add("value", crate::common::FieldError::MustBe { expected: crate::common::Expected::Number });
        }
        errors.set(found.clone());
        if found.is_empty() {
            save.dispatch(body);
        }
    };
    let err = move |field: &'static str| move || errors.with(|e| e.get(field).map(|fe| field_error_text(i18n, fe)));
    view! {
        <form class="deal-editor" on:submit=submit novalidate>
            <label class="field"><span>{t!(i18n, pipeline.deal)}</span>
                <input name="title" maxlength="200" prop:value=title on:input=move |ev| title.set(event_target_value(&ev))/>
                <span class="field-error">{err("title")}</span>
            </label>
            <label class="field"><span>{move || format!("{} ({})", t_string!(i18n, pipeline.value), deal.value.currency())}</span>
                <input name="value" inputmode="numeric" prop:value=value on:input=move |ev| value.set(event_target_value(&ev))/>
                <span class="field-error">{err("value")}</span>
            </label>
            <label class="field"><span>{t!(i18n, pipeline.expected_close)}</span>
                <input type="date" name="expected_close" prop:value=close on:input=move |ev| close.set(event_target_value(&ev))/>
            </label>
            {(!defs.is_empty()).then(|| view! { <CustomInputs defs values=custom errors office/> })}
            <p class="form-error" role="alert">{move || failure.get()}</p>
            <div class="form-actions">
                <button type="button" class="button secondary" on:click=move |_| on_cancel.run(())>{t!(i18n, common.cancel)}</button>
                <button type="submit" class="button primary" disabled=move || save.pending().get()>
                    {move || if save.pending().get() { t_string!(i18n, common.saving) } else { t_string!(i18n, common.save) }}
                </button>
            </div>
        </form>
    }
}
