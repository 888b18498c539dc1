//! The public page a share link opens (`/share/{token}`): photos and facts, nothing private,
//! no sign-in. Prints as a one-page sheet.

use super::gallery::Gallery;
use super::labels::{feature_label, kind_label, status_label, transaction_label};
use super::list::KeyFacts;
use crate::i18n::*;
use crate::locale::format_money;
use crate::ui::{ClientOnly, ErrorState, Icon, Loading};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn SharedListingPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let token = move || params.with(|p| p.get("token").unwrap_or_default());
    let listing = LocalResource::new(move || crate::listings::api::public(token()));
    view! {
        <main class="page shared-listing" id="main">
            <p class="brand-line"><strong>{t!(i18n, app_name)}</strong></p>
            <ClientOnly><Transition fallback=Loading>
                {move || listing.get().map(|r| match r {
                    Ok(l) => {
                        let token = StoredValue::new(token());
                        let (price, status, kind, transaction) = (l.price.clone(), l.status, l.kind, l.transaction);
                        view! {
                            <Gallery photos=l.photos.clone() url=move |p, size| token.with_value(|t| crate::listings::api::public_photo_url(t, p, size))/>
                            <header class="page-header">
                                <div>
                                    <p class="eyebrow"><span class=format!("badge status-{}", status.as_str())>{move || status_label(i18n, status)}</span>
                                        " "{move || kind_label(i18n, kind)}" · "{move || transaction_label(i18n, transaction)}" · "{l.reference.clone()}</p>
                                    <h1>{l.title.clone()}</h1>
                                    <p class="price big">{move || format_money(&price, i18n.get_locale())}</p>
                                    <KeyFacts bedrooms=l.bedrooms area_m2=l.area_m2/>
                                    {l.address.clone().map(|a| view! { <p class="address"><Icon name="pin" size=18/>{a}</p> })}
                                </div>
                            </header>
                            <dl class="card listing-facts">
                                {l.bathrooms.map(|b| view! { <div><dt>{t!(i18n, listing_form.bathrooms)}</dt><dd>{b}</dd></div> })}
                                {l.floor.map(|f| view! { <div><dt>{t!(i18n, listing_form.floor)}</dt><dd>{f}</dd></div> })}
                                {l.year_built.map(|y| view! { <div><dt>{t!(i18n, listing_form.year_built)}</dt><dd>{y}</dd></div> })}
                                {(!l.features.is_empty()).then(|| view! {
                                    <div class="wide"><dt>{t!(i18n, listing_form.features)}</dt>
                                    <dd class="chips">{l.features.iter().map(|f| {
                                        let f = f.clone();
                                        view! { <span class="chip">{move || feature_label(i18n, &f)}</span> }
                                    }).collect_view()}</dd></div>
                                })}
                                {l.description.clone().map(|d| view! { <div class="wide"><dt>{t!(i18n, listing_form.description)}</dt><dd class="pre">{d}</dd></div> })}
                            </dl>
                        }.into_any()
                    }
                    Err(error) => view! { <ErrorState error on_retry=move |()| listing.refetch()/> }.into_any(),
                })}
            </Transition></ClientOnly>
        </main>
    }
}
