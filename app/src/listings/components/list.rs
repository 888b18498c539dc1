//! The listings page: filters, then the listings as photo cards or on a map; more load on demand.

use super::labels::{kind_label, status_label, transaction_label};
use super::map::ListingMap;
use crate::i18n::*;
use crate::listings::{ListingKind, ListingQuery, ListingStatus, ListingSummary, Transaction};
use crate::locale::{format_count, format_money};
use crate::ui::{ClientOnly, EmptyState, ErrorState, Icon, Loading};
use leptos::prelude::*;
use leptos_router::components::A;

/// What the filter form holds (prices in whole units, as people type them).
#[derive(Debug, Clone, Default, PartialEq)]
struct Filters {
    q: String,
    transaction: String,
    kind: String,
    status: String,
    price_min: String,
    price_max: String,
    bedrooms: String,
    /// The custom-field condition picked (`facing=south`), applied as soon as it is picked.
    custom: String,
}

impl Filters {
    fn query(&self) -> ListingQuery {
        let text = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        let money = |s: &str| s.trim().replace([',', ' '], "").parse::<i64>().ok().map(|v| v.saturating_mul(100));
        ListingQuery {
            q: text(&self.q),
            transaction: text(&self.transaction),
            kind: text(&self.kind),
            status: text(&self.status),
            price_min: money(&self.price_min),
            price_max: money(&self.price_max),
            bedrooms: self.bedrooms.parse().ok(),
            custom: text(&self.custom),
            limit: Some(48),
            ..Default::default()
        }
    }
}

#[component]
pub fn ListingsPage() -> impl IntoView {
    let i18n = use_i18n();
    let filters = RwSignal::new(Filters::default());
    let applied = RwSignal::new(Filters::default());
    let as_map = RwSignal::new(false);
    let extra = RwSignal::new(Vec::<ListingSummary>::new());
    let next = RwSignal::new(None::<String>);
    let listings = LocalResource::new(move || {
        let q = applied.get().query();
        async move { crate::listings::api::list(q).await }
    });
    Effect::new(move || {
        if let Some(Ok(page)) = listings.get() {
            extra.set(Vec::new());
            next.set(page.next_cursor.clone());
        }
    });
    let more = crate::ui::browser_action(move |cursor: &String| {
        let q = ListingQuery { cursor: Some(cursor.clone()), ..applied.get_untracked().query() };
        async move { crate::listings::api::list(q).await }
    });
    Effect::new(move || {
        if let Some(Ok(page)) = more.value().get() {
            extra.update(|e| e.extend(page.items.clone()));
            next.set(page.next_cursor.clone());
        }
    });
    let custom = RwSignal::new(String::new());
    Effect::new(move || {
        let picked = custom.get();
        filters.update(|f| f.custom.clone_from(&picked));
        applied.update(|f| f.custom = picked);
    });
    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        applied.set(filters.get());
    };
    // Clears the form's filters; a custom-field condition stays while its pickers show it.
    let clear = move |_| {
        let kept = Filters { custom: custom.get_untracked(), ..Filters::default() };
        filters.set(kept.clone());
        applied.set(kept);
    };
    let set = move |f: fn(&mut Filters, String)| {
        move |ev: leptos::ev::Event| filters.update(|x| f(x, event_target_value(&ev)))
    };
    let all =
        move || listings.get().and_then(Result::ok).map(|p| p.items.into_iter().chain(extra.get()).collect::<Vec<_>>());
    view! {
        <section class="page">
            <header class="page-header">
                <h1>{t!(i18n, listings.title)}</h1>
                <div class="header-actions">
                    <A href="/listings/new" attr:class="button primary"><Icon name="plus" size=20/><span>{t!(i18n, listings.new_listing)}</span></A>
                </div>
            </header>
            <form class="card filters listing-filters" on:submit=apply role="search">
                <label class="field grow"><span>{t!(i18n, listings.search)}</span>
                    <input type="search" name="q" prop:value=move || filters.get().q on:input=set(|f, v| f.q = v)
                        placeholder=move || t_string!(i18n, listings.search_hint)/>
                </label>
                <label class="field"><span>{t!(i18n, listings.transaction)}</span>
                    <select name="transaction" prop:value=move || filters.get().transaction on:change=set(|f, v| f.transaction = v)>
                        <option value="">{t!(i18n, listings.any)}</option>
                        {Transaction::ALL.into_iter().map(|t| view! { <option value=t.as_str()>{move || transaction_label(i18n, t)}</option> }).collect_view()}
                    </select>
                </label>
                <label class="field"><span>{t!(i18n, listings.kind)}</span>
                    <select name="kind" prop:value=move || filters.get().kind on:change=set(|f, v| f.kind = v)>
                        <option value="">{t!(i18n, listings.any)}</option>
                        {ListingKind::ALL.into_iter().map(|k| view! { <option value=k.as_str()>{move || kind_label(i18n, k)}</option> }).collect_view()}
                    </select>
                </label>
                <label class="field"><span>{t!(i18n, common.status)}</span>
                    <select name="status" prop:value=move || filters.get().status on:change=set(|f, v| f.status = v)>
                        <option value="">{t!(i18n, listings.any)}</option>
                        <option value="available,under_offer">{t!(i18n, listings.on_market)}</option>
                        {ListingStatus::ALL.into_iter().map(|s| view! { <option value=s.as_str()>{move || status_label(i18n, s)}</option> }).collect_view()}
                    </select>
                </label>
                <label class="field narrow-field"><span>{t!(i18n, listings.price_min)}</span>
                    <input name="price_min" inputmode="numeric" prop:value=move || filters.get().price_min on:input=set(|f, v| f.price_min = v)/>
                </label>
                <label class="field narrow-field"><span>{t!(i18n, listings.price_max)}</span>
                    <input name="price_max" inputmode="numeric" prop:value=move || filters.get().price_max on:input=set(|f, v| f.price_max = v)/>
                </label>
                <label class="field narrow-field"><span>{t!(i18n, listings.min_bedrooms)}</span>
                    <select name="bedrooms" prop:value=move || filters.get().bedrooms on:change=set(|f, v| f.bedrooms = v)>
                        <option value="">{t!(i18n, listings.any)}</option>
                        {(1..=5).map(|n| view! { <option value=n.to_string()>{format!("{n}+")}</option> }).collect_view()}
                    </select>
                </label>
                <ClientOnly><crate::fields::components::CustomFilter record_type=crate::fields::RecordType::Listing custom/></ClientOnly>
                <div class="filter-actions">
                    <button type="submit" class="button primary">{t!(i18n, listings.apply)}</button>
                    <button type="button" class="button secondary" on:click=clear>{t!(i18n, listings.clear)}</button>
                </div>
            </form>
            <div class="segmented view-toggle" role="group" aria-label=move || t_string!(i18n, listings.view)>
                <button type="button" aria-pressed=move || (!as_map.get()).to_string() on:click=move |_| as_map.set(false)>
                    <Icon name="list" size=18/>{t!(i18n, listings.as_list)}</button>
                <button type="button" aria-pressed=move || as_map.get().to_string() on:click=move |_| as_map.set(true)>
                    <Icon name="map" size=18/>{t!(i18n, listings.as_map)}</button>
            </div>
            <ClientOnly><Transition fallback=Loading>
                {move || listings.get().map(|result| match result {
                    Err(error) => view! { <ErrorState error on_retry=move |()| listings.refetch()/> }.into_any(),
                    Ok(page) if page.items.is_empty() && applied.get() != Filters::default() => view! {
                        <EmptyState icon="listings" title=move || t!(i18n, listings.none_match) hint=move || t!(i18n, listings.none_match_hint)/>
                    }.into_any(),
                    Ok(page) if page.items.is_empty() => view! {
                        <EmptyState icon="listings" title=move || t!(i18n, listings.empty) hint=move || t!(i18n, listings.empty_hint)/>
                    }.into_any(),
                    Ok(_) if as_map.get() => view! { <ListingMap listings=Signal::derive(move || all().unwrap_or_default())/> }.into_any(),
                    Ok(_) => view! {
                        <ul class="listing-grid">
                            <For each=move || all().unwrap_or_default() key=|l| l.id let:listing>
                                <ListingCard listing/>
                            </For>
                        </ul>
                        <Show when=move || next.get().is_some()>
                            <button class="button secondary load-more" disabled=move || more.pending().get()
                                on:click=move |_| { if let Some(c) = next.get() { more.dispatch(c); } }>
                                {t!(i18n, common.load_more)}
                            </button>
                        </Show>
                    }.into_any(),
                })}
            </Transition></ClientOnly>
        </section>
    }
}

/// Facts in a line: "3 bedrooms · 120 m²".
#[component]
pub fn KeyFacts(bedrooms: Option<i32>, area_m2: Option<f64>) -> impl IntoView {
    let i18n = use_i18n();
    #[allow(clippy::cast_possible_truncation)] // whole square metres for display
    let area = area_m2.map(|a| a.round() as i64);
    view! {
        <p class="facts muted">
            {bedrooms.map(|b| view! { <span>{move || t_string!(i18n, listings.bedrooms, count = format_count(i64::from(b), i18n.get_locale()))}</span> })}
            {area.map(|a| view! { <span>{move || t_string!(i18n, listings.area, area = format_count(a, i18n.get_locale()))}</span> })}
        </p>
    }
}

#[component]
pub fn ListingCard(listing: ListingSummary) -> impl IntoView {
    let i18n = use_i18n();
    let status = listing.status;
    let price = listing.price.clone();
    let transaction = listing.transaction;
    let kind = listing.kind;
    let href = format!("/listings/{}", listing.id);
    let cover = listing.cover_photo_id.map(|p| crate::listings::api::photo_url(listing.id, p, "thumb"));
    view! {
        <li class="listing-card">
            <A href=href attr:class="listing-link">
                <div class="listing-photo">
                    {match cover {
                        Some(src) => view! { <img src=src alt="" loading="lazy"/> }.into_any(),
                        None => view! { <span class="no-photo"><Icon name="listings" size=40/></span> }.into_any(),
                    }}
                    <span class=format!("badge status-{}", status.as_str())>{move || status_label(i18n, status)}</span>
                </div>
                <div class="listing-body">
                    <p class="price">
                        {move || format_money(&price, i18n.get_locale())}
                        <small class="muted">" · "{move || transaction_label(i18n, transaction)}</small>
                    </p>
                    <h2>{listing.title.clone()}</h2>
                    <p class="muted small">{move || kind_label(i18n, kind)}" · "{listing.reference.clone()}</p>
                    <KeyFacts bedrooms=listing.bedrooms area_m2=listing.area_m2/>
                    {listing.address.clone().map(|a| view! { <p class="address small"><Icon name="pin" size=16/>{a}</p> })}
                </div>
            </A>
        </li>
    }
}
