//! The listing page, gallery first so it works in the field on a phone: large photos, the
//! price and key facts, status actions, the map, owner and agent, showings with feedback,
//! matching buyers, the status history, and sharing/printing.

use super::gallery::{Gallery, PhotoManager};
use super::labels::{feature_label, kind_label, status_action, status_label, transaction_label, Reasons};
use super::list::KeyFacts;
use super::map::ListingMap;
use super::picker::ContactPicker;
use crate::appointments::components::{ScheduleActions, Scheduling, StartAndLength};
use crate::appointments::{AppointmentForCreate, AppointmentKind};
use crate::common::{ApiError, ErrorCode, FieldErrors, ListingId};
use crate::deals::{DealForCreate, MoneyInput};
use crate::i18n::*;
use crate::listings::{Listing, ListingForUpdate, ListingStatus, Showing};
use crate::locale::{format_instant, format_money, Style};
use crate::session::current_user;
use crate::ui::{confirm, error_text, ClientOnly, ErrorState, Icon, Loading};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ListingPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| ListingId::parse(&id)));
    // Bumped after every change made on the page, so the parts that depend on it reload.
    let changes = RwSignal::new(0u32);
    // Upload problems outlive the reload that follows the upload.
    let photo_error = RwSignal::new(None::<String>);
    let listing = LocalResource::new(move || {
        changes.track();
        let id = id();
        async move {
            match id {
                Some(id) => crate::listings::api::get(id).await,
                None => Err(ApiError::new(ErrorCode::NotFound, "no such listing")),
            }
        }
    });
    view! {
        <section class="page listing-page">
            <ClientOnly><Transition fallback=Loading>
                {move || listing.get().map(|result| match result {
                    Ok(l) => view! { <ListingView listing=l changes photo_error/> }.into_any(),
                    Err(error) => view! { <ErrorState error on_retry=move |()| listing.refetch()/> }.into_any(),
                })}
            </Transition></ClientOnly>
        </section>
    }
}

#[component]
fn ListingView(listing: Listing, changes: RwSignal<u32>, photo_error: RwSignal<Option<String>>) -> impl IntoView {
    let i18n = use_i18n();
    let changed = Callback::new(move |()| changes.update(|n| *n += 1));
    let id = listing.id;
    let price = listing.price.clone();
    let (status, transaction, kind) = (listing.status, listing.transaction, listing.kind);
    let rent_period = listing.rent_period.clone();
    let summary = listing.summary();
    let maps = listing.location.map(|p| crate::appointments::today::directions_url(None, p));
    let photos = listing.photos.clone();
    let custom = listing.custom.clone();
    let defs = LocalResource::new(|| crate::fields::api::list(crate::fields::RecordType::Listing));
    let print = move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    view! {
        <A href="/listings" attr:class="text-link back-link no-print"><Icon name="left" size=18/>{t!(i18n, listings.title)}</A>
        <Gallery photos=photos.clone() url=move |p, size| crate::listings::api::photo_url(id, p, size)/>
        <header class="page-header listing-header">
            <div>
                <p class="eyebrow">
                    <span class=format!("badge status-{}", status.as_str())>{move || status_label(i18n, status)}</span>
                    " "{move || kind_label(i18n, kind)}" · "{move || transaction_label(i18n, transaction)}" · "{listing.reference.clone()}
                </p>
                <h1>{listing.title.clone()}</h1>
                <p class="price big">
                    {move || format_money(&price, i18n.get_locale())}
                    {rent_period.clone().map(|p| view! { <small class="muted">{move || if p == "year" {
                        t_string!(i18n, listing_form.per_year)
                    } else {
                        t_string!(i18n, listing_form.per_month)
                    }}</small> })}
                </p>
                <KeyFacts bedrooms=listing.bedrooms area_m2=listing.area_m2/>
                {listing.address.clone().map(|a| view! { <p class="address"><Icon name="pin" size=18/>{a}</p> })}
            </div>
            <div class="header-actions no-print">
                {maps.map(|url| view! {
                    <a class="button secondary" href=url target="_blank" rel="noopener"><Icon name="map" size=20/><span>{t!(i18n, today.open_in_maps)}</span></a>
                })}
                <A href=format!("/listings/{id}/edit") attr:class="button secondary">{t!(i18n, contact_page.edit)}</A>
                <button type="button" class="button secondary" on:click=print><Icon name="print" size=20/><span>{t!(i18n, listing_page.print)}</span></button>
            </div>
        </header>
        <crate::offline::components::RecordConflicts entity=crate::sync::Entity::Listing record=listing.clone() on_resolved=changed/>
        <StatusActions listing=listing.clone() changed/>
        <div class="listing-columns">
            <div class="listing-main">
                <dl class="card listing-facts">
                    {listing.bathrooms.map(|b| view! { <div><dt>{t!(i18n, listing_form.bathrooms)}</dt><dd>{b}</dd></div> })}
                    {listing.floor.map(|f| view! { <div><dt>{t!(i18n, listing_form.floor)}</dt><dd>{f}</dd></div> })}
                    {listing.year_built.map(|y| view! { <div><dt>{t!(i18n, listing_form.year_built)}</dt><dd>{y}</dd></div> })}
                    {(!listing.features.is_empty()).then(|| view! {
                        <div class="wide"><dt>{t!(i18n, listing_form.features)}</dt>
                        <dd class="chips">{listing.features.iter().map(|f| {
                            let f = f.clone();
                            view! { <span class="chip">{move || feature_label(i18n, &f)}</span> }
                        }).collect_view()}</dd></div>
                    })}
                    {listing.description.clone().map(|d| view! { <div class="wide"><dt>{t!(i18n, listing_form.description)}</dt><dd class="pre">{d}</dd></div> })}
                    <div><dt>{t!(i18n, listing_form.owner)}</dt><dd>{match (listing.owner_contact_id, listing.owner_name.clone()) {
                        (Some(c), Some(name)) => view! { <A href=format!("/contacts/{c}")>{name}</A> }.into_any(),
                        _ => view! { <span class="muted">{t!(i18n, common.none)}</span> }.into_any(),
                    }}</dd></div>
                    <div><dt>{t!(i18n, listing_form.agent)}</dt><dd>{listing.agent_name.clone().unwrap_or_else(|| "—".into())}</dd></div>
                    {move || defs.get().and_then(Result::ok).map(|defs| view! {
                        <crate::fields::components::CustomFacts defs values=custom.clone()/>
                    })}
                </dl>
                <Showings listing=listing.clone() changes/>
                <Matches id changes/>
            </div>
            <aside class="listing-side">
                <ListingMap listings=Signal::derive(move || vec![summary.clone()]) compact=true/>
                <PhotoManager id photos=photos changed error=photo_error/>
                <ShareCard id token=listing.share_token.clone() changed/>
                <History id changes/>
            </aside>
        </div>
        <p class="print-only small">{t!(i18n, listing_page.printed_from)}" · "{listing.agent_name.clone().unwrap_or_default()}</p>
    }
}

/// The status buttons the state machine allows from here; the final ones ask first.
#[component]
fn StatusActions(listing: Listing, changed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let error = RwSignal::new(None::<String>);
    let (id, version) = (listing.id, listing.version);
    let change = crate::ui::browser_action(move |to: &ListingStatus| {
        let body =
            ListingForUpdate { base_version: Some(version), status: Some(to.as_str().into()), ..Default::default() };
        crate::listings::api::update(id, body)
    });
    Effect::new(move || match change.value().get() {
        Some(Ok(_)) => changed.run(()),
        Some(Err(e)) => error.set(Some(error_text(i18n, &e))),
        None => {}
    });
    let from = listing.status;
    let next = from.next(listing.transaction);
    (!next.is_empty()).then(|| view! {
        <div class="status-actions no-print" role="group" aria-label=move || t_string!(i18n, listing_page.change_status)>
            {next.into_iter().map(|to| {
                let class = if to == ListingStatus::Withdrawn { "button secondary" } else { "button primary" };
                view! {
                    <button type="button" class=class disabled=move || change.pending().get() on:click=move |_| {
                        let final_step = matches!(to, ListingStatus::Sold | ListingStatus::Rented | ListingStatus::Withdrawn);
                        if !final_step || confirm(&t_string!(i18n, listing_page.confirm_status, status = status_label(i18n, to))) {
                            change.dispatch(to);
                        }
                    }>{move || status_action(i18n, from, to)}</button>
                }
            }).collect_view()}
            <p class="form-error" role="alert">{move || error.get()}</p>
        </div>
    })
}

/// Showings so far with the buyers' reactions, a form to book one, and a deal from a showing.
#[component]
fn Showings(listing: Listing, changes: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let id = listing.id;
    let showings = LocalResource::new(move || {
        changes.track();
        crate::listings::api::showings(id)
    });
    // The business's own deal fields, read once for every row's "Open a deal".
    let deal_fields = LocalResource::new(|| crate::fields::api::list(crate::fields::RecordType::Deal));
    let deal_fields = Signal::derive(move || deal_fields.get().and_then(Result::ok).unwrap_or_default());
    let open = RwSignal::new(false);
    let saved = RwSignal::new(None::<String>);
    let on_market = listing.status.on_market();
    let facts =
        StoredValue::new((listing.title.clone(), listing.price.clone(), listing.location, listing.address.clone()));
    view! {
        <section class="card showings">
            <header class="card-header">
                <h2>{t!(i18n, listing_page.showings)}</h2>
                {on_market.then(|| view! {
                    <button type="button" class="button primary no-print" aria-expanded=move || open.get().to_string()
                        on:click=move |_| { saved.set(None); open.update(|o| *o = !*o); }>
                        <Icon name="calendar" size=20/><span>{t!(i18n, listing_page.schedule_showing)}</span>
                    </button>
                })}
            </header>
            <p class="saved" role="status">{move || saved.get()}</p>
            <Show when=move || open.get()>
                <ShowingForm id title=facts.with_value(|f| f.0.clone()) location=facts.with_value(|f| f.2) address=facts.with_value(|f| f.3.clone())
                    on_done=move |message: String| { open.set(false); saved.set(Some(message)); changes.update(|n| *n += 1); }
                    on_cancel=move |()| open.set(false)/>
            </Show>
            {move || showings.get().map(|r| match r {
                Ok(list) if list.is_empty() => view! { <p class="muted">{t!(i18n, listing_page.no_showings)}</p> }.into_any(),
                Ok(list) => {
                    let (title, price) = facts.with_value(|f| (f.0.clone(), f.1.clone()));
                    view! {
                        <ul class="record-list">
                            {list.into_iter().map(|s| view! { <ShowingRow showing=s listing=id title=title.clone() price=price.clone() deal_fields/> }).collect_view()}
                        </ul>
                    }.into_any()
                }
                Err(error) => view! { <ErrorState error on_retry=move |()| showings.refetch()/> }.into_any(),
            })}
        </section>
    }
}

#[component]
fn ShowingRow(
    showing: Showing,
    listing: ListingId,
    title: String,
    price: crate::common::Money,
    deal_fields: Signal<Vec<crate::fields::FieldDef>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let zone = current_user().get_untracked().time_zone.to_string();
    let at = showing.starts_at;
    let status = showing.status;
    let deal = crate::ui::browser_action(move |body: &DealForCreate| crate::deals::api::create(body.clone()));
    let navigate = leptos_router::hooks::use_navigate();
    let error = RwSignal::new(None::<String>);
    // The business's own deal fields are asked before the deal opens (a required one must be).
    let asking = RwSignal::new(false);
    let (custom, custom_errors) = (RwSignal::new(serde_json::Map::new()), RwSignal::new(FieldErrors::new()));
    let office = current_user().with_untracked(|u| u.role != crate::users::Role::Rep);
    Effect::new(move || match deal.value().get() {
        Some(Ok(_)) => navigate("/pipeline", Default::default()),
        Some(Err(e)) => {
            let mut fe = e.field_errors();
            fe.0.retain(|f, _| f.starts_with("custom."));
            asking.set(asking.get_untracked() || !fe.is_empty());
            custom_errors.set(fe);
            error.set(Some(error_text(i18n, &e)));
        }
        None => {}
    });
    let buyer = showing.contact_id.zip(showing.contact_name.clone());
    let open_deal = buyer.clone().map(|(contact, name)| {
        let body = DealForCreate {
            custom: serde_json::Map::new(),
            id: None,
            contact_id: contact,
            listing_id: Some(listing),
            title: format!("{title} — {name}"),
            stage: None,
            lost_reason: None,
            value: MoneyInput { amount: price.amount(), currency: price.currency().to_string() },
            expected_close: None,
            owner_id: None,
        };
        move |_| {
            let defs = deal_fields.get_untracked();
            if !defs.is_empty() && !asking.get_untracked() {
                asking.set(true);
                return;
            }
            let found = crate::fields::components::mistakes(Some(&defs), None, &custom.get_untracked(), office);
            custom_errors.set(found.clone());
            if found.is_empty() {
                deal.dispatch(DealForCreate { custom: custom.get_untracked(), ..body.clone() });
            }
        }
    });
    view! {
        <li class="record showing-row">
            <div class="record-main">
                <strong>{match buyer {
                    Some((c, name)) => view! { <A href=format!("/contacts/{c}")>{name}</A> }.into_any(),
                    None => view! { <span>{t!(i18n, listing_page.no_buyer)}</span> }.into_any(),
                }}</strong>
                <p class="muted small">
                    <time datetime=at.to_rfc3339()>{move || format_instant(at, &zone, i18n.get_locale(), Style::DateTime)}</time>
                    " · "{move || crate::appointments::components::status_label(i18n, status)}
                    {showing.assignee_name.clone().map(|n| view! { " · "{n} })}
                </p>
                {showing.buyer_reaction.map(|r| view! {
                    <p><span class=format!("badge reaction-{}", r.as_str())>{move || crate::visits::components::reaction_label(i18n, r)}</span>
                    {showing.outcome.clone().map(|o| view! { " "<span class="muted small">{o}</span> })}</p>
                })}
                {showing.notes.clone().map(|n| view! { <p class="small pre">{n}</p> })}
                {move || asking.get().then(|| {
                    let defs = deal_fields.get();
                    view! {
                        <div class="deal-fields">
                            <p class="muted small">{t!(i18n, listing_page.deal_fields)}</p>
                            <crate::fields::components::CustomInputs defs values=custom errors=custom_errors office/>
                        </div>
                    }
                })}
                <p class="form-error" role="alert">{move || error.get()}</p>
            </div>
            {open_deal.map(|on_click| view! {
                <button type="button" class="button secondary no-print" disabled=move || deal.pending().get() on:click=on_click>
                    {t!(i18n, listing_page.open_deal)}
                </button>
            })}
        </li>
    }
}

#[component]
fn ShowingForm(
    id: ListingId,
    title: String,
    location: Option<crate::common::GeoPoint>,
    address: Option<String>,
    #[prop(into)] on_done: Callback<String>,
    #[prop(into)] on_cancel: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let buyer = RwSignal::new(None::<(crate::common::ContactId, String)>);
    let starts = RwSignal::new(crate::locale::local_input_in(1, 11));
    let minutes = RwSignal::new(crate::appointments::DEFAULT_MINUTES);
    let scheduling = Scheduling::new(on_done);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some((contact, name)) = buyer.get() else {
            scheduling.error.set(Some(t_string!(i18n, listing_page.buyer_required).to_string()));
            return;
        };
        let Some(starts_at) = crate::locale::parse_local_input(&starts.get()) else {
            scheduling.error.set(Some(t_string!(i18n, quick.start_required).to_string()));
            return;
        };
        scheduling.dispatch(AppointmentForCreate {
            kind: AppointmentKind::Showing.as_str().into(),
            title: t_string!(i18n, listing_page.showing_title, title = title.clone(), name = name).to_string(),
            starts_at,
            ends_at: Some(starts_at + chrono::Duration::minutes(minutes.get())),
            contact_id: Some(contact),
            listing_id: Some(id),
            location,
            address: address.clone(),
            ..Default::default()
        });
    };
    view! {
        <form class="quick-form showing-form" on:submit=submit>
            <ContactPicker chosen=buyer name="buyer" label=Signal::derive(move || t_string!(i18n, listing_page.buyer).to_string())/>
            <div class="form-grid">
                <StartAndLength scheduling starts minutes/>
            </div>
            <ScheduleActions scheduling on_cancel/>
        </form>
    }
}

/// Buyers and tenants this listing suits, best first, with why.
#[component]
fn Matches(id: ListingId, changes: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let matches = LocalResource::new(move || {
        changes.track();
        crate::listings::api::matches(id)
    });
    view! {
        <section class="card matches no-print">
            <h2>{t!(i18n, listing_page.matches)}</h2>
            {move || matches.get().map(|r| match r {
                Ok(list) if list.is_empty() => view! { <p class="muted">{t!(i18n, listing_page.no_matches)}</p> }.into_any(),
                Ok(list) => view! {
                    <ul class="record-list">
                        {list.into_iter().map(|m| view! {
                            <li class="record match-row">
                                <span class="score" title=move || t_string!(i18n, listing_page.score)>{m.score}</span>
                                <div class="record-main">
                                    <A href=format!("/contacts/{}", m.contact_id)><strong>{m.contact_name.clone()}</strong></A>
                                    <Reasons reasons=m.reasons.clone()/>
                                </div>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any(),
                Err(error) => view! { <ErrorState error on_retry=move |()| matches.refetch()/> }.into_any(),
            })}
        </section>
    }
}

/// Every status the listing has had, with who and when.
#[component]
fn History(id: ListingId, changes: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let zone = current_user().get_untracked().time_zone.to_string();
    let history = LocalResource::new(move || {
        changes.track();
        crate::listings::api::history(id)
    });
    view! {
        <section class="card history no-print">
            <h2>{t!(i18n, listing_page.history)}</h2>
            {move || history.get().and_then(Result::ok).map(|steps| {
                let zone = zone.clone();
                view! {
                    <ol class="history-list">
                        {steps.into_iter().rev().map(|s| {
                            let (at, to, zone) = (s.at, s.to, zone.clone());
                            view! {
                                <li>
                                    <span class=format!("badge status-{}", to.as_str())>{move || status_label(i18n, to)}</span>
                                    <span class="muted small">
                                        <time datetime=at.to_rfc3339()>{move || format_instant(at, &zone, i18n.get_locale(), Style::DateTime)}</time>
                                        {s.by_name.clone().map(|n| view! { " · "{n} })}
                                    </span>
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                }
            })}
        </section>
    }
}

/// The public link: make it, copy it, or turn it off.
#[component]
fn ShareCard(id: ListingId, token: Option<String>, changed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let link = RwSignal::new(None::<String>);
    let copied = RwSignal::new(false);
    let share = crate::ui::browser_action(move |(): &()| crate::listings::api::share(id));
    let stop = crate::ui::browser_action(move |(): &()| crate::listings::api::stop_sharing(id));
    let error = RwSignal::new(None::<String>);
    if token.is_some() {
        share.dispatch(());
    }
    Effect::new(move || match share.value().get() {
        Some(Ok(l)) => link.set(Some(l.url)),
        Some(Err(e)) => error.set(Some(error_text(i18n, &e))),
        None => {}
    });
    Effect::new(move || {
        if let Some(Ok(())) = stop.value().get() {
            link.set(None);
            changed.run(());
        }
    });
    let copy = move |_| {
        #[cfg(feature = "hydrate")]
        if let (Some(url), Some(w)) = (link.get(), web_sys::window()) {
            let _ = w.navigator().clipboard().write_text(&url);
            copied.set(true);
        }
    };
    view! {
        <section class="card share-card no-print">
            <h2>{t!(i18n, listing_page.share)}</h2>
            {move || match link.get() {
                None => view! {
                    <p class="muted small">{t!(i18n, listing_page.share_hint)}</p>
                    <button type="button" class="button secondary" disabled=move || share.pending().get() on:click=move |_| { share.dispatch(()); }>
                        <Icon name="share" size=20/><span>{t!(i18n, listing_page.share_make)}</span>
                    </button>
                }.into_any(),
                Some(url) => view! {
                    <input class="share-url" readonly prop:value=url.clone() aria-label=move || t_string!(i18n, listing_page.share)/>
                    <div class="form-actions">
                        <a class="button secondary" href=url target="_blank" rel="noopener">{t!(i18n, listing_page.share_open)}</a>
                        <button type="button" class="button secondary" on:click=copy>
                            {move || if copied.get() { t_string!(i18n, listing_page.copied) } else { t_string!(i18n, listing_page.copy) }}
                        </button>
                        <button type="button" class="button danger-outline" disabled=move || stop.pending().get() on:click=move |_| {
                            if confirm(t_string!(i18n, listing_page.share_stop_confirm)) { stop.dispatch(()); }
                        }>{t!(i18n, listing_page.share_stop)}</button>
                    </div>
                }.into_any(),
            }}
            <p class="form-error" role="alert">{move || error.get()}</p>
        </section>
    }
}
