//! On a contact's page: what they are looking for to buy or rent, and the listings that suit
//! them, best first, with why.

use super::labels::{feature_label, kind_label, Reasons};
use crate::common::{ContactId, TerritoryId};
use crate::deals::MoneyInput;
use crate::i18n::*;
use crate::listings::{ListingKind, Requirement, RequirementForPut, Transaction, FEATURES};
use crate::locale::{format_count, format_money};
use crate::ui::{confirm, error_text, Icon};
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn BuyerRequirements(contact: ContactId) -> impl IntoView {
    let i18n = use_i18n();
    let changes = RwSignal::new(0u32);
    let requirements = LocalResource::new(move || {
        changes.track();
        crate::listings::api::requirements(contact)
    });
    let matches = LocalResource::new(move || {
        changes.track();
        crate::listings::api::contact_matches(contact)
    });
    let editing = RwSignal::new(None::<Option<Requirement>>);
    let error = RwSignal::new(None::<String>);
    let remove =
        crate::ui::browser_action(move |t: &Transaction| crate::listings::api::delete_requirement(contact, t.as_str()));
    Effect::new(move || match remove.value().get() {
        Some(Ok(())) => changes.update(|n| *n += 1),
        Some(Err(e)) => error.set(Some(error_text(i18n, &e))),
        None => {}
    });
    let saved = Callback::new(move |()| {
        editing.set(None);
        changes.update(|n| *n += 1);
    });
    let has = move || requirements.get().and_then(Result::ok).unwrap_or_default();
    view! {
        <section class="card requirements">
            <header class="card-header">
                <h2>{t!(i18n, requirements.title)}</h2>
                <Show when=move || editing.get().is_none() && has().len() < 2>
                    <button type="button" class="button secondary" on:click=move |_| editing.set(Some(None))>
                        <Icon name="plus" size=18/><span>{t!(i18n, requirements.add)}</span>
                    </button>
                </Show>
            </header>
            {move || match editing.get() {
                Some(current) => view! { <RequirementForm contact current on_saved=saved on_cancel=move |()| editing.set(None)/> }.into_any(),
                None => view! {
                    {move || (has().is_empty()).then(|| view! { <p class="muted">{t!(i18n, requirements.none)}</p> })}
                    <ul class="record-list">
                        {move || has().into_iter().map(|r| {
                            let t = r.transaction;
                            let edit = r.clone();
                            view! {
                                <li class="record">
                                    <div class="record-main">
                                        <strong>{move || match t {
                                            Transaction::Sale => t_string!(i18n, requirements.looking_buy),
                                            Transaction::Rent => t_string!(i18n, requirements.looking_rent),
                                        }}</strong>
                                        <p class="small">{summary(i18n, &r)}</p>
                                    </div>
                                    <button type="button" class="button secondary" on:click=move |_| editing.set(Some(Some(edit.clone())))>{t!(i18n, contact_page.edit)}</button>
                                    <button type="button" class="icon-button danger" aria-label=move || t_string!(i18n, requirements.remove)
                                        on:click=move |_| if confirm(t_string!(i18n, requirements.remove_confirm)) { remove.dispatch(t); }>
                                        <Icon name="trash" size=18/></button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
            <p class="form-error" role="alert">{move || error.get()}</p>
            <Show when=move || !has().is_empty()>
                <h3>{t!(i18n, requirements.matching)}</h3>
                {move || matches.get().map(|r| match r {
                    Ok(list) if list.is_empty() => view! { <p class="muted">{t!(i18n, requirements.no_matches)}</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="record-list">
                            {list.into_iter().map(|m| {
                                let price = m.listing.price.clone();
                                view! {
                                    <li class="record match-row">
                                        <span class="score" title=move || t_string!(i18n, listing_page.score)>{m.score}</span>
                                        <div class="record-main">
                                            <A href=format!("/listings/{}", m.listing.id)><strong>{m.listing.title.clone()}</strong></A>
                                            <span class="muted small">" · "{move || format_money(&price, i18n.get_locale())}</span>
                                            <Reasons reasons=m.reasons.clone()/>
                                        </div>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => view! { <p class="form-error">{error_text(i18n, &e)}</p> }.into_any(),
                })}
            </Show>
        </section>
    }
}

/// "Apartment or house · up to ৳1,20,00,000 · 3+ bedrooms · lift".
fn summary(i18n: leptos_i18n::I18nContext<Locale>, r: &Requirement) -> String {
    let locale = i18n.get_locale();
    let mut parts: Vec<String> = Vec::new();
    if !r.kinds.is_empty() {
        parts.push(r.kinds.iter().map(|k| kind_label(i18n, *k)).collect::<Vec<_>>().join(" / "));
    }
    match (&r.price_min, &r.price_max) {
        (Some(min), Some(max)) => parts.push(format!("{} – {}", format_money(min, locale), format_money(max, locale))),
        (None, Some(max)) => {
            parts.push(t_string!(i18n, requirements.up_to, price = format_money(max, locale)).to_string());
        }
        (Some(min), None) => {
            parts.push(t_string!(i18n, requirements.from, price = format_money(min, locale)).to_string());
        }
        (None, None) => {}
    }
    if let Some(b) = r.min_bedrooms {
        parts.push(t_string!(i18n, requirements.bedrooms_plus, n = format_count(i64::from(b), locale)).to_string());
    }
    if let Some(a) = r.min_area_m2 {
        #[allow(clippy::cast_possible_truncation)]
        parts.push(t_string!(i18n, requirements.area_plus, n = format_count(a.round() as i64, locale)).to_string());
    }
    parts.extend(r.features.iter().map(|f| feature_label(i18n, f).to_string()));
    if !r.wanted_territories.is_empty() {
        parts.push(t_string!(i18n, requirements.areas_n, n = r.wanted_territories.len()).to_string());
    }
    if parts.is_empty() {
        t_string!(i18n, requirements.anything).to_string()
    } else {
        parts.join(" · ")
    }
}

#[component]
fn RequirementForm(
    contact: ContactId,
    current: Option<Requirement>,
    on_saved: Callback<()>,
    #[prop(into)] on_cancel: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let c = current.clone();
    let transaction = RwSignal::new(c.as_ref().map_or(Transaction::Sale, |r| r.transaction));
    let kinds = RwSignal::new(c.as_ref().map(|r| r.kinds.clone()).unwrap_or_default());
    let whole = |m: &Option<crate::common::Money>| m.as_ref().map(|m| m.major_units().to_string()).unwrap_or_default();
    let price_min = RwSignal::new(c.as_ref().map(|r| whole(&r.price_min)).unwrap_or_default());
    let price_max = RwSignal::new(c.as_ref().map(|r| whole(&r.price_max)).unwrap_or_default());
    let currency =
        RwSignal::new(c.as_ref().and_then(|r| r.currency().map(str::to_string)).unwrap_or_else(|| "BDT".into()));
    let bedrooms = RwSignal::new(c.as_ref().and_then(|r| r.min_bedrooms).map(|b| b.to_string()).unwrap_or_default());
    let area = RwSignal::new(c.as_ref().and_then(|r| r.min_area_m2).map(|a| a.to_string()).unwrap_or_default());
    let features = RwSignal::new(c.as_ref().map(|r| r.features.clone()).unwrap_or_default());
    let areas = RwSignal::new(c.as_ref().map(|r| r.wanted_territories.clone()).unwrap_or_default());
    let territories = LocalResource::new(crate::territories::api::list);
    let error = RwSignal::new(None::<String>);
    let save = crate::ui::browser_action(move |body: &RequirementForPut| {
        crate::listings::api::put_requirement(contact, body.clone())
    });
    Effect::new(move || match save.value().get() {
        Some(Ok(_)) => on_saved.run(()),
        Some(Err(e)) => error.set(Some(error_text(i18n, &e))),
        None => {}
    });
    let money = move |raw: String| {
        let raw = raw.trim().replace([',', ' '], "");
        (!raw.is_empty()).then(|| MoneyInput {
            amount: raw.parse::<i64>().map_or(-1, |v| v.saturating_mul(100)),
            currency: currency.get(),
        })
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = RequirementForPut {
            transaction: transaction.get().as_str().into(),
            kinds: kinds.get().iter().map(|k| k.as_str().to_string()).collect(),
            price_min: money(price_min.get()),
            price_max: money(price_max.get()),
            min_bedrooms: bedrooms.get().trim().parse().ok(),
            min_area_m2: area.get().trim().parse().ok(),
            wanted_territories: areas.get(),
            features: features.get(),
        };
        match body.validate() {
            Ok(_) => {
                save.dispatch(body);
            }
            Err(fields) => error.set(Some(
                fields
                    .0
                    .iter()
                    .map(|(f, e)| format!("{f}: {}", crate::ui::field_error_text(i18n, e)))
                    .collect::<Vec<_>>()
                    .join("; "),
            )),
        }
    };
    let input = |s: RwSignal<String>| move |ev: leptos::ev::Event| s.set(event_target_value(&ev));
    let editing_existing = current.is_some();
    view! {
        <form class="quick-form requirement-form" on:submit=submit>
            <fieldset class="field">
                <legend>{t!(i18n, requirements.looking_to)}</legend>
                <div class="segmented">
                    {Transaction::ALL.into_iter().map(|t| view! {
                        <label><input type="radio" name="req_transaction" disabled=editing_existing prop:checked=move || transaction.get() == t
                            on:change=move |_| transaction.set(t)/>{move || match t {
                                Transaction::Sale => t_string!(i18n, requirements.buy),
                                Transaction::Rent => t_string!(i18n, requirements.rent),
                            }}</label>
                    }).collect_view()}
                </div>
            </fieldset>
            <fieldset class="field">
                <legend>{t!(i18n, requirements.kinds)}</legend>
                <div class="chips">
                    {ListingKind::ALL.into_iter().map(|k| view! {
                        <label class="chip-check"><input type="checkbox" name="req_kinds" value=k.as_str()
                            prop:checked=move || kinds.with(|ks| ks.contains(&k))
                            on:change=move |ev| { let on = event_target_checked(&ev); kinds.update(|ks| { ks.retain(|x| *x != k); if on { ks.push(k); } }); }/>
                            <span>{move || kind_label(i18n, k)}</span></label>
                    }).collect_view()}
                </div>
            </fieldset>
            <div class="form-grid">
                <label class="field"><span>{t!(i18n, requirements.price_min)}</span>
                    <input name="req_price_min" inputmode="numeric" prop:value=price_min on:input=input(price_min)/></label>
                <label class="field"><span>{t!(i18n, requirements.price_max)}</span>
                    <span class="input-with-unit">
                        <input name="req_price_max" inputmode="numeric" prop:value=price_max on:input=input(price_max)
                            aria-label=move || t_string!(i18n, requirements.price_max)/>
                        <select name="req_currency" aria-label=move || t_string!(i18n, listing_form.currency) on:change=input(currency)>
                            {["BDT", "USD", "EUR", "GBP", "INR"].into_iter().map(|c| view! { <option value=c selected=move || currency.get() == c>{c}</option> }).collect_view()}
                        </select>
                    </span></label>
                <label class="field"><span>{t!(i18n, requirements.min_bedrooms)}</span>
                    <input name="req_bedrooms" type="number" min="0" max="20" inputmode="numeric" prop:value=bedrooms on:input=input(bedrooms)/></label>
                <label class="field"><span>{t!(i18n, requirements.min_area)}</span>
                    <input name="req_area" inputmode="decimal" prop:value=area on:input=input(area)/></label>
            </div>
            <fieldset class="field">
                <legend>{t!(i18n, requirements.must_have)}</legend>
                <div class="chips">
                    {FEATURES.into_iter().map(|f| view! {
                        <label class="chip-check"><input type="checkbox" name="req_features" value=f
                            prop:checked=move || features.with(|fs| fs.iter().any(|x| x == f))
                            on:change=move |ev| { let on = event_target_checked(&ev); features.update(|fs| { fs.retain(|x| x != f); if on { fs.push(f.to_string()); } }); }/>
                            <span>{move || feature_label(i18n, f)}</span></label>
                    }).collect_view()}
                </div>
            </fieldset>
            {move || {
                let list = territories.get().and_then(Result::ok).unwrap_or_default();
                (!list.is_empty()).then(|| view! {
                    <fieldset class="field">
                        <legend>{t!(i18n, requirements.areas)}</legend>
                        <div class="chips">
                            {list.into_iter().map(|t| {
                                let tid: TerritoryId = t.id;
                                view! {
                                    <label class="chip-check"><input type="checkbox" name="req_areas"
                                        prop:checked=move || areas.with(|a| a.contains(&tid))
                                        on:change=move |ev| { let on = event_target_checked(&ev); areas.update(|a| { a.retain(|x| *x != tid); if on { a.push(tid); } }); }/>
                                        <span>{t.name.clone()}</span></label>
                                }
                            }).collect_view()}
                        </div>
                    </fieldset>
                })
            }}
            <p class="form-error" role="alert">{move || error.get()}</p>
            <div class="form-actions">
                <button type="button" class="button secondary" on:click=move |_| on_cancel.run(())>{t!(i18n, common.cancel)}</button>
                <button type="submit" class="button primary" disabled=move || save.pending().get()>{t!(i18n, requirements.save)}</button>
            </div>
        </form>
    }
}
