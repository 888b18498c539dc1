//! The filter bar shared by the dashboard and the report page: a period (a preset or two
//! dates), a rep, a territory and — on the report page — a segment tag and a listing kind.

use crate::fields::components::CustomFilter;
use crate::fields::RecordType;
use crate::i18n::*;
use crate::listings::ListingKind;
use crate::reports::{Preset, ReportQuery};
use leptos::prelude::*;

/// Today in the reader's own time zone: report periods are their local dates.
fn today() -> chrono::NaiveDate {
    let zone = crate::session::current_user().with_untracked(|u| u.time_zone.as_str().to_string());
    crate::locale::today_in(&zone)
}

fn preset_label(i18n: leptos_i18n::I18nContext<Locale>, p: Preset) -> String {
    match p {
        Preset::Last7 => t_string!(i18n, reports.last_7),
        Preset::Last30 => t_string!(i18n, reports.last_30),
        Preset::Last90 => t_string!(i18n, reports.last_90),
        Preset::ThisMonth => t_string!(i18n, reports.this_month),
        Preset::LastMonth => t_string!(i18n, reports.last_month),
        Preset::ThisYear => t_string!(i18n, reports.this_year),
    }
    .to_string()
}

#[component]
pub fn Filters(query: RwSignal<ReportQuery>, #[prop(optional)] extended: bool) -> impl IntoView {
    let i18n = use_i18n();
    let reps = LocalResource::new(crate::territories::api::reps);
    let territories = LocalResource::new(crate::territories::api::list);
    let preset = RwSignal::new("30d".to_string());
    // The segment by contacts' own fields, as the contact list picks it.
    let custom = RwSignal::new(String::new());
    Effect::new(move || {
        let picked = Some(custom.get()).filter(|c| !c.is_empty());
        if query.with_untracked(|q| q.custom != picked) {
            query.update(|q| q.custom = picked);
        }
    });
    let set_preset = move |value: String| {
        preset.set(value.clone());
        if let Some(p) = Preset::parse(&value) {
            let period = p.period(today());
            query.update(|q| {
                q.from = Some(period.from.to_string());
                q.to = Some(period.to.to_string());
            });
        }
    };
    let set_date = move |from: bool, value: String| {
        preset.set(String::new());
        query.update(|q| {
            let v = Some(value).filter(|v| !v.is_empty());
            if from {
                q.from = v;
            } else {
                q.to = v;
            }
        });
    };
    view! {
        <form class="card report-filters no-print" on:submit=|ev| ev.prevent_default() aria-label=move || t_string!(i18n, reports.filters)>
            <div class="filter-row">
                <label class="field">
                    <span>{t!(i18n, reports.period)}</span>
                    <select name="preset" prop:value=preset on:change=move |ev| set_preset(event_target_value(&ev))>
                        {Preset::ALL.into_iter().map(|p| view! { <option value=p.as_str()>{move || preset_label(i18n, p)}</option> }).collect_view()}
                        <option value="">{t!(i18n, reports.custom)}</option>
                    </select>
                </label>
                <label class="field">
                    <span>{t!(i18n, reports.from)}</span>
                    <input type="date" name="from" prop:value=move || query.with(|q| q.from.clone().unwrap_or_default())
                        on:change=move |ev| set_date(true, event_target_value(&ev))/>
                </label>
                <label class="field">
                    <span>{t!(i18n, reports.to)}</span>
                    <input type="date" name="to" prop:value=move || query.with(|q| q.to.clone().unwrap_or_default())
                        on:change=move |ev| set_date(false, event_target_value(&ev))/>
                </label>
                <label class="field">
                    <span>{t!(i18n, reports.rep)}</span>
                    <select name="rep" on:change=move |ev| query.update(|q| q.rep = Some(event_target_value(&ev)).filter(|v| !v.is_empty()))>
                        <option value="">{t!(i18n, reports.all_reps)}</option>
                        {move || reps.get().and_then(Result::ok).map(|list| list.into_iter().map(|r| view! {
                            <option value=r.id.to_string()>{r.name}</option>
                        }).collect_view())}
                    </select>
                </label>
                <label class="field">
                    <span>{t!(i18n, reports.territory)}</span>
                    <select name="territory" on:change=move |ev| query.update(|q| q.territory = Some(event_target_value(&ev)).filter(|v| !v.is_empty()))>
                        <option value="">{t!(i18n, reports.all_territories)}</option>
                        {move || territories.get().and_then(Result::ok).map(|list| list.into_iter().map(|t| view! {
                            <option value=t.id.to_string()>{t.name}</option>
                        }).collect_view())}
                    </select>
                </label>
                {extended.then(|| view! {
                    <label class="field">
                        <span>{t!(i18n, reports.tag)}</span>
                        <input type="text" name="tag" on:change=move |ev| query.update(|q| q.tag = Some(event_target_value(&ev)).filter(|v| !v.trim().is_empty()))/>
                    </label>
                    <CustomFilter record_type=RecordType::Contact custom
                        label=Signal::derive(move || t_string!(i18n, reports.contact_field).to_string())/>
                    <label class="field">
                        <span>{t!(i18n, reports.listing_kind)}</span>
                        <select name="listing_kind" on:change=move |ev| query.update(|q| q.listing_kind = Some(event_target_value(&ev)).filter(|v| !v.is_empty()))>
                            <option value="">{t!(i18n, reports.any_kind)}</option>
                            {ListingKind::ALL.into_iter().map(|k| view! { <option value=k.as_str()>{move || crate::listings::components::kind_label(i18n, k)}</option> }).collect_view()}
                        </select>
                    </label>
                })}
            </div>
        </form>
    }
}

/// The starting query: the last 30 days up to today.
pub fn initial() -> ReportQuery {
    let period = Preset::Last30.period(today());
    ReportQuery { from: Some(period.from.to_string()), to: Some(period.to.to_string()), ..ReportQuery::default() }
}
