//! The words for listing values, in the user's language.

use crate::i18n::*;
use crate::listings::{ListingKind, ListingStatus, Reason, Transaction};

type I18n = leptos_i18n::I18nContext<Locale>;

pub fn status_label(i18n: I18n, s: ListingStatus) -> &'static str {
    match s {
        ListingStatus::Draft => t_string!(i18n, listing_status.draft),
        ListingStatus::Available => t_string!(i18n, listing_status.available),
        ListingStatus::UnderOffer => t_string!(i18n, listing_status.under_offer),
        ListingStatus::Sold => t_string!(i18n, listing_status.sold),
        ListingStatus::Rented => t_string!(i18n, listing_status.rented),
        ListingStatus::Withdrawn => t_string!(i18n, listing_status.withdrawn),
    }
}

/// The button that moves a listing from `from` to `to` ("Publish", "Offer fell through", …).
pub fn status_action(i18n: I18n, from: ListingStatus, to: ListingStatus) -> &'static str {
    match to {
        ListingStatus::Draft => t_string!(i18n, listing_status.draft),
        ListingStatus::Available => match from {
            ListingStatus::UnderOffer => t_string!(i18n, listing_page.offer_fell_through),
            ListingStatus::Withdrawn => t_string!(i18n, listing_page.relist),
            _ => t_string!(i18n, listing_page.to_available),
        },
        ListingStatus::UnderOffer => t_string!(i18n, listing_page.to_under_offer),
        ListingStatus::Sold => t_string!(i18n, listing_page.to_sold),
        ListingStatus::Rented => t_string!(i18n, listing_page.to_rented),
        ListingStatus::Withdrawn => t_string!(i18n, listing_page.to_withdrawn),
    }
}

pub fn kind_label(i18n: I18n, k: ListingKind) -> &'static str {
    match k {
        ListingKind::Apartment => t_string!(i18n, listing_kind.apartment),
        ListingKind::House => t_string!(i18n, listing_kind.house),
        ListingKind::Land => t_string!(i18n, listing_kind.land),
        ListingKind::Commercial => t_string!(i18n, listing_kind.commercial),
        ListingKind::Office => t_string!(i18n, listing_kind.office),
    }
}

pub fn transaction_label(i18n: I18n, t: Transaction) -> &'static str {
    match t {
        Transaction::Sale => t_string!(i18n, listings.for_sale),
        Transaction::Rent => t_string!(i18n, listings.for_rent),
    }
}

pub fn feature_label(i18n: I18n, f: &str) -> &'static str {
    match f {
        "parking" => t_string!(i18n, listing_feature.parking),
        "lift" => t_string!(i18n, listing_feature.lift),
        "garden" => t_string!(i18n, listing_feature.garden),
        "balcony" => t_string!(i18n, listing_feature.balcony),
        "furnished" => t_string!(i18n, listing_feature.furnished),
        "air_conditioning" => t_string!(i18n, listing_feature.air_conditioning),
        "generator" => t_string!(i18n, listing_feature.generator),
        "security" => t_string!(i18n, listing_feature.security),
        "pool" => t_string!(i18n, listing_feature.pool),
        "gym" => t_string!(i18n, listing_feature.gym),
        "pets_allowed" => t_string!(i18n, listing_feature.pets_allowed),
        _ => t_string!(i18n, listing_feature.sea_view),
    }
}

/// One reason of a match, as a short phrase.
pub fn reason_text(i18n: I18n, r: &Reason) -> String {
    let count = |n: i64| crate::locale::format_count(n, i18n.get_locale());
    match r {
        Reason::Kind { kind } => t_string!(i18n, matches.kind, kind = kind_label(i18n, *kind)).to_string(),
        Reason::PriceInBudget => t_string!(i18n, matches.price_in_budget).to_string(),
        Reason::PriceOverBudget { percent } => {
            t_string!(i18n, matches.price_over_budget, percent = count(i64::from(*percent))).to_string()
        }
        Reason::PriceBelowRange => t_string!(i18n, matches.price_below_range).to_string(),
        Reason::Bedrooms { has, wanted } => {
            t_string!(i18n, matches.bedrooms, has = count(i64::from(*has)), wanted = count(i64::from(*wanted)))
                .to_string()
        }
        Reason::BedroomsShort { has, wanted } => {
            t_string!(i18n, matches.bedrooms_short, has = count(i64::from(*has)), wanted = count(i64::from(*wanted)))
                .to_string()
        }
        Reason::BedroomsUnknown => t_string!(i18n, matches.bedrooms_unknown).to_string(),
        Reason::Area { has, wanted } => {
            t_string!(i18n, matches.area, has = count(*has), wanted = count(*wanted)).to_string()
        }
        Reason::AreaShort { has, wanted } => {
            t_string!(i18n, matches.area_short, has = count(*has), wanted = count(*wanted)).to_string()
        }
        Reason::AreaUnknown => t_string!(i18n, matches.area_unknown).to_string(),
        Reason::Features { features } => {
            let names: Vec<&str> = features.iter().map(|f| feature_label(i18n, f)).collect();
            t_string!(i18n, matches.features, features = names.join(", ")).to_string()
        }
        Reason::InWantedArea => t_string!(i18n, matches.in_wanted_area).to_string(),
    }
}

/// The reasons of a match as chips: what fits, then (marked) what falls short.
#[leptos::component]
pub fn Reasons(reasons: Vec<Reason>) -> impl leptos::IntoView {
    use leptos::prelude::*;
    let i18n = use_i18n();
    view! {
        <ul class="reasons">
            {reasons.into_iter().map(|r| {
                let class = if r.is_shortfall() { "reason short" } else { "reason" };
                view! { <li class=class>{move || reason_text(i18n, &r)}</li> }
            }).collect_view()}
        </ul>
    }
}
