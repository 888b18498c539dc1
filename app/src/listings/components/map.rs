//! Listings on a map drawn from our own data (the territory map's projection): territory
//! outlines under price pins; a pin opens its listing. Without a tile server the outlines are
//! the landmarks, so the map fits the listings and the territories around them.

use super::labels::status_label;
use crate::i18n::*;
use crate::listings::ListingSummary;
use crate::locale::format_money;
use crate::territories::map::{path, rings, Bounds, View};
use leptos::prelude::*;

const WIDTH: f64 = 800.0;
const HEIGHT: f64 = 480.0;

/// The listings with a position, on a map that fits them.
#[component]
pub fn ListingMap(
    #[prop(into)] listings: Signal<Vec<ListingSummary>>,
    #[prop(optional)] compact: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = leptos_router::hooks::use_navigate();
    let territories = LocalResource::new(crate::territories::api::list);
    let placed = move || listings.get().into_iter().filter(|l| l.location.is_some()).collect::<Vec<_>>();
    let view_of = move || {
        let points: Vec<(f64, f64)> = placed().iter().filter_map(|l| l.location.map(|p| (p.lon(), p.lat()))).collect();
        let bounds = Bounds::around(points)?;
        // A lone listing (or a tight cluster) still shows its streets: at least ~1.5 km across.
        let pad = 0.007;
        let bounds = Bounds {
            west: bounds.west.min(bounds.east - pad) - 0.002,
            east: bounds.east.max(bounds.west + pad) + 0.002,
            south: bounds.south.min(bounds.north - pad) - 0.002,
            north: bounds.north.max(bounds.south + pad) + 0.002,
        };
        Some(View::fit(bounds, WIDTH, HEIGHT, 36.0))
    };
    let unplaced = move || listings.get().iter().filter(|l| l.location.is_none()).count();
    view! {
        <figure class=if compact { "listing-map compact" } else { "listing-map card" }>
            {move || match view_of() {
                None => view! { <p class="muted map-empty">{t!(i18n, listings.no_positions)}</p> }.into_any(),
                Some(v) => {
                    let navigate = navigate.clone();
                    view! {
                        <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-label=move || t_string!(i18n, listings.map_label)>
                            <rect width=WIDTH height=HEIGHT class="map-water"/>
                            {move || territories.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|t| view! {
                                <path d=path(&v, &rings(&t.geometry)) class="map-territory" style=format!("--territory: {}", t.colour)>
                                    <title>{t.name.clone()}</title>
                                </path>
                            }).collect_view()}
                            {placed().into_iter().map(|l| {
                                let p = l.location.expect("placed");
                                let (x, y) = v.project(p.lon(), p.lat());
                                let href = format!("/listings/{}", l.id);
                                let navigate = navigate.clone();
                                let price = l.price.clone();
                                let status = l.status;
                                let title = l.title.clone();
                                view! {
                                    <g class=format!("map-pin status-{}", status.as_str()) transform=format!("translate({x:.1} {y:.1}) scale({})", if compact { 2.4 } else { 1.0 })
                                        tabindex=if compact { "-1" } else { "0" } role=if compact { "presentation" } else { "link" }
                                        on:click={ let (navigate, href) = (navigate.clone(), href.clone()); move |_| if !compact { navigate(&href, Default::default()) } }
                                        on:keydown=move |ev: leptos::ev::KeyboardEvent| if !compact && ev.key() == "Enter" { navigate(&href, Default::default()) }>
                                        <title>{move || format!("{title} — {} ({})", format_money(&price, i18n.get_locale()), status_label(i18n, status))}</title>
                                        <path d="M0 0c-6-9-11-13-11-20a11 11 0 0 1 22 0c0 7-5 11-11 20z"/>
                                        <circle cy="-20" r="4"/>
                                    </g>
                                }
                            }).collect_view()}
                        </svg>
                    }.into_any()
                }
            }}
            <Show when=move || { unplaced() > 0 && !compact }>
                <figcaption class="muted small">{move || t_string!(i18n, listings.unplaced, count = unplaced())}</figcaption>
            </Show>
        </figure>
    }
}
