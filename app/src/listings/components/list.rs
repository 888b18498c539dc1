//! The listing list: title, status, price, size, place.

use crate::i18n::*;
use crate::listings::{ListingStatus, ListingSummary, Transaction};
use crate::locale::{format_count, format_money};
use crate::ui::{ClientOnly, EmptyState, ErrorState, Icon, Loading};
use leptos::prelude::*;

fn status_label(i18n: leptos_i18n::I18nContext<Locale>, s: ListingStatus) -> &'static str {
    match s {
        ListingStatus::Draft => t_string!(i18n, listing_status.draft),
        ListingStatus::Available => t_string!(i18n, listing_status.available),
        ListingStatus::UnderOffer => t_string!(i18n, listing_status.under_offer),
        ListingStatus::Sold => t_string!(i18n, listing_status.sold),
        ListingStatus::Rented => t_string!(i18n, listing_status.rented),
        ListingStatus::Withdrawn => t_string!(i18n, listing_status.withdrawn),
    }
}

#[component]
pub fn ListingsPage() -> impl IntoView {
    let i18n = use_i18n();
    let listings = LocalResource::new(|| crate::listings::api::list(Default::default()));
    view! {
        <section class="page">
            <header class="page-header"><h1>{t!(i18n, listings.title)}</h1></header>
            <ClientOnly><Transition fallback=Loading>
                {move || listings.get().map(|result| match result {
                    Ok(page) if page.items.is_empty() => view! {
                        <EmptyState icon="listings" title=move || t!(i18n, listings.empty) hint=move || t!(i18n, listings.empty_hint)/>
                    }.into_any(),
                    Ok(page) => view! {
                        <ul class="card-grid">
                            {page.items.into_iter().map(|listing| view! { <ListingCard listing/> }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(error) => view! { <ErrorState error on_retry=move |()| listings.refetch()/> }.into_any(),
                })}
            </Transition></ClientOnly>
        </section>
    }
}

#[component]
fn ListingCard(listing: ListingSummary) -> impl IntoView {
    let i18n = use_i18n();
    let status = listing.status;
    let price = listing.price.clone();
    let transaction = listing.transaction;
    let bedrooms = listing.bedrooms;
    #[allow(clippy::cast_possible_truncation)] // whole square metres for display
    let area = listing.area_m2.map(|a| a.round() as i64);
    view! {
        <li class="listing-card">
            <div class="listing-top">
                <span class=format!("badge status-{}", status.as_str())>{move || status_label(i18n, status)}</span>
                <small class="muted">{listing.reference.clone()}</small>
            </div>
            <h2>{listing.title.clone()}</h2>
            <p class="price">
                {move || format_money(&price, i18n.get_locale())}
                <small class="muted">" · "{move || match transaction {
                    Transaction::Sale => t_string!(i18n, listings.for_sale),
                    Transaction::Rent => t_string!(i18n, listings.for_rent),
                }}</small>
            </p>
            <p class="facts muted">
                {bedrooms.map(|b| view! { <span>{move || t_string!(i18n, listings.bedrooms, count = format_count(i64::from(b), i18n.get_locale()))}</span> })}
                {area.map(|a| view! { <span>{move || t_string!(i18n, listings.area, area = format_count(a, i18n.get_locale()))}</span> })}
            </p>
            {listing.address.clone().map(|a| view! { <p class="address small"><Icon name="pin" size=16/>{a}</p> })}
        </li>
    }
}
