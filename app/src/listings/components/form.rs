//! Create and edit a listing. The form parses with the same `ListingForCreate::validate` the
//! server runs, so most mistakes show before anything is sent. A new listing is saved as a
//! draft or published at once; photos are added on the listing page.

use super::labels::{feature_label, kind_label, transaction_label};
use super::picker::ContactPicker;
use crate::common::{ApiError, ContactId, ErrorCode, FieldErrors, ListingId, UserId};
use crate::contacts::LatLon;
use crate::deals::MoneyInput;
use crate::fields::components::CustomInputs;
use crate::i18n::*;
use crate::listings::{Listing, ListingForCreate, ListingForUpdate, ListingKind, Transaction, FEATURES, RENT_PERIODS};
use crate::session::current_user;
use crate::ui::{field_error_text, ClientOnly, ErrorState, Loading};
use crate::users::Role;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};

#[component]
pub fn NewListingPage() -> impl IntoView {
    view! { <section class="page narrow"><ClientOnly><ListingForm existing=None/></ClientOnly></section> }
}

#[component]
pub fn EditListingPage() -> impl IntoView {
    let params = use_params_map();
    let listing = LocalResource::new(move || {
        let id = params.with(|p| p.get("id").and_then(|id| ListingId::parse(&id)));
        async move {
            match id {
                Some(id) => crate::listings::api::get(id).await,
                None => Err(ApiError::new(ErrorCode::NotFound, "no such listing")),
            }
        }
    });
    view! {
        <section class="page narrow">
            <ClientOnly><Transition fallback=Loading>
                {move || listing.get().map(|r| match r {
                    Ok(l) => view! { <ListingForm existing=Some(l)/> }.into_any(),
                    Err(error) => view! { <ErrorState error on_retry=move |()| listing.refetch()/> }.into_any(),
                })}
            </Transition></ClientOnly>
        </section>
    }
}

use crate::common::money::minor_units;

fn number<T: std::str::FromStr>(raw: &str) -> Option<T> {
    raw.trim().parse().ok()
}

/// The form's state, shared by its sections: a signal per field, the errors shown under the
/// fields, and the message above the buttons.
#[derive(Clone, Copy)]
struct ListingFields {
    title: RwSignal<String>,
    reference: RwSignal<String>,
    kind: RwSignal<ListingKind>,
    transaction: RwSignal<Transaction>,
    price: RwSignal<String>,
    currency: RwSignal<String>,
    rent_period: RwSignal<String>,
    area: RwSignal<String>,
    bedrooms: RwSignal<String>,
    bathrooms: RwSignal<String>,
    floor: RwSignal<String>,
    year_built: RwSignal<String>,
    features: RwSignal<Vec<String>>,
    description: RwSignal<String>,
    address: RwSignal<String>,
    lat: RwSignal<String>,
    lon: RwSignal<String>,
    owner: RwSignal<Option<(ContactId, String)>>,
    agent: RwSignal<String>,
    /// The business's own fields, as the API takes them.
    custom: RwSignal<serde_json::Map<String, serde_json::Value>>,
    errors: RwSignal<FieldErrors>,
    server_error: RwSignal<Option<String>>,
}

impl ListingFields {
    /// The fields of `existing`, or a new listing's (an apartment for sale, priced in BDT).
    fn new(existing: Option<&Listing>) -> ListingFields {
        let e = existing;
        let text = |f: fn(&Listing) -> String| RwSignal::new(e.map(f).unwrap_or_default());
        let show = |v: Option<i32>| v.map(|v| v.to_string()).unwrap_or_default();
        ListingFields {
            title: text(|l| l.title.clone()),
            reference: text(|l| l.reference.clone()),
            kind: RwSignal::new(e.map_or(ListingKind::Apartment, |l| l.kind)),
            transaction: RwSignal::new(e.map_or(Transaction::Sale, |l| l.transaction)),
            price: text(|l| l.price.major_units().to_string()),
            currency: RwSignal::new(e.map_or_else(|| "BDT".to_string(), |l| l.price.currency().to_string())),
            rent_period: RwSignal::new(e.and_then(|l| l.rent_period.clone()).unwrap_or_else(|| "month".into())),
            area: text(|l| l.area_m2.map(|a| a.to_string()).unwrap_or_default()),
            bedrooms: RwSignal::new(e.map(|l| show(l.bedrooms)).unwrap_or_default()),
            bathrooms: RwSignal::new(e.map(|l| show(l.bathrooms)).unwrap_or_default()),
            floor: RwSignal::new(e.map(|l| show(l.floor)).unwrap_or_default()),
            year_built: RwSignal::new(e.map(|l| show(l.year_built)).unwrap_or_default()),
            features: RwSignal::new(e.map(|l| l.features.clone()).unwrap_or_default()),
            description: text(|l| l.description.clone().unwrap_or_default()),
            address: text(|l| l.address.clone().unwrap_or_default()),
            lat: text(|l| l.location.map(|p| p.lat().to_string()).unwrap_or_default()),
            lon: text(|l| l.location.map(|p| p.lon().to_string()).unwrap_or_default()),
            owner: RwSignal::new(e.and_then(|l| l.owner_contact_id.zip(l.owner_name.clone()))),
            agent: RwSignal::new(e.and_then(|l| l.agent_id).map(|a| a.to_string()).unwrap_or_default()),
            custom: RwSignal::new(e.map(|l| l.custom.clone().into_iter().collect()).unwrap_or_default()),
            errors: RwSignal::new(FieldErrors::new()),
            server_error: RwSignal::new(None::<String>),
        }
    }

    /// What the fields say, as the body of a create: published (`available`) or a draft.
    fn body(self, publish: bool) -> ListingForCreate {
        let ListingFields {
            title,
            reference,
            kind,
            transaction,
            price,
            currency,
            rent_period,
            area,
            bedrooms,
            bathrooms,
            floor,
            year_built,
            features,
            description,
            address,
            lat,
            lon,
            owner,
            agent,
            custom,
            ..
        } = self;
        let opt = |s: String| (!s.trim().is_empty()).then_some(s);
        let location = match (number::<f64>(&lat.get()), number::<f64>(&lon.get())) {
            (Some(lat), Some(lon)) => Some(LatLon { lat, lon }),
            _ => None,
        };
        let rent = transaction.get() == Transaction::Rent;
        ListingForCreate {
            id: None,
            reference: opt(reference.get()),
            title: title.get(),
            kind: kind.get().as_str().into(),
            transaction: transaction.get().as_str().into(),
            status: Some(if publish { "available" } else { "draft" }.into()),
            price: MoneyInput { amount: minor_units(&price.get()), currency: currency.get() },
            rent_period: rent.then(|| rent_period.get()),
            area_m2: number(&area.get()),
            bedrooms: number(&bedrooms.get()),
            bathrooms: number(&bathrooms.get()),
            floor: number(&floor.get()),
            year_built: number(&year_built.get()),
            features: features.get(),
            description: opt(description.get()),
            address: opt(address.get()),
            location,
            owner_contact_id: owner.get().map(|(id, _)| id),
            agent_id: UserId::parse(&agent.get()),
            custom: custom.get(),
        }
    }

    /// The message under `field`, in the reader's language, while it has one.
    fn error(self, field: &'static str) -> impl Fn() -> Option<String> + Copy + Send + Sync + 'static {
        let (i18n, errors) = (use_i18n(), self.errors);
        move || errors.with(|e| e.get(field).map(|fe| field_error_text(i18n, fe)))
    }
}

/// The edit that saves `body` over version `version` of a listing: every field the form shows.
fn update(body: ListingForCreate, version: i64) -> ListingForUpdate {
    ListingForUpdate {
        base_version: Some(version),
        reference: body.reference,
        title: Some(body.title),
        kind: Some(body.kind),
        transaction: Some(body.transaction),
        price: Some(body.price),
        rent_period: Some(body.rent_period),
        area_m2: Some(body.area_m2),
        bedrooms: Some(body.bedrooms),
        bathrooms: Some(body.bathrooms),
        floor: Some(body.floor),
        year_built: Some(body.year_built),
        features: Some(body.features),
        description: Some(body.description),
        address: Some(body.address),
        location: Some(body.location),
        owner_contact_id: Some(body.owner_contact_id),
        agent_id: body.agent_id.map(Some),
        custom: Some(body.custom),
        ..Default::default()
    }
}

/// An input's handler that keeps `signal` at what was typed.
fn input(signal: RwSignal<String>) -> impl Fn(leptos::ev::Event) + Copy + 'static {
    move |ev: leptos::ev::Event| signal.set(event_target_value(&ev))
}

#[component]
fn ListingForm(existing: Option<Listing>) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let fields = ListingFields::new(existing.as_ref());
    let (errors, server_error) = (fields.errors, fields.server_error);
    let defs = LocalResource::new(|| crate::fields::api::list(crate::fields::RecordType::Listing));
    let office = current_user().with_untracked(|u| u.role != Role::Rep);
    let held = StoredValue::new(existing.as_ref().map(|l| l.custom.clone()));
    let current = existing.clone();
    let save = crate::ui::browser_action(move |body: &ListingForCreate| {
        let (body, current) = (body.clone(), current.clone());
        async move {
            match current {
                None => crate::listings::api::create(body).await,
                Some(l) => crate::listings::api::update(l.id, update(body, l.version)).await,
            }
        }
    });
    Effect::new(move || match save.value().get() {
        Some(Ok(saved)) => navigate(&format!("/listings/{}", saved.id), Default::default()),
        Some(Err(e)) if !e.fields.is_empty() => {
            server_error.set(Some(t_string!(i18n, contact_form.fix_fields).to_string()));
            errors.set(e.field_errors());
        }
        Some(Err(e)) if e.code == ErrorCode::Network => {
            server_error.set(Some(t_string!(i18n, common.network).to_string()));
        }
        Some(Err(e)) => server_error.set(Some(e.message)),
        None => {}
    });
    let is_edit = existing.is_some();
    let submit = move |publish: bool| {
        server_error.set(None);
        let mut body = fields.body(publish);
        if is_edit {
            body.status = None;
        }
        // The same checks the server runs: built-in fields, then the custom ones.
        let mut found = body.validate().err().unwrap_or_default();
        let known = defs.get_untracked().and_then(Result::ok);
        let custom = held
            .with_value(|h| crate::fields::components::mistakes(known.as_deref(), h.as_ref(), &body.custom, office));
        found.0.extend(custom.0);
        if found.is_empty() {
            errors.set(FieldErrors::new());
            save.dispatch(body);
        } else {
            server_error.set(Some(t_string!(i18n, contact_form.fix_fields).to_string()));
            errors.set(found);
        }
    };
    let cancel_href = existing.as_ref().map_or("/listings".to_string(), |l| format!("/listings/{}", l.id));
    view! {
        <header class="page-header">
            <h1>{move || if is_edit { t_string!(i18n, listing_form.edit_title) } else { t_string!(i18n, listing_form.new_title) }}</h1>
        </header>
        <form class="card listing-form" novalidate on:submit=move |ev| { ev.prevent_default(); submit(!is_edit); }>
            <WhatIsOffered fields/>
            <div class="form-grid">
                <KindAndPrice fields/>
                <SizeAndRooms fields/>
            </div>
            <Features fields/>
            <Description fields/>
            <Place fields/>
            {move || defs.get().and_then(Result::ok).filter(|d| !d.is_empty()).map(|defs| view! {
                <CustomInputs defs values=fields.custom errors office/>
            })}
            <OwnerAgentAndReference fields/>
            <p class="form-error" role="alert">{move || server_error.get()}</p>
            <div class="form-actions">
                <a class="button secondary" href=cancel_href>{t!(i18n, common.cancel)}</a>
                {(!is_edit).then(|| view! {
                    <button type="button" class="button secondary" disabled=move || save.pending().get() on:click=move |_| submit(false)>
                        {t!(i18n, listing_form.save_draft)}
                    </button>
                })}
                <button type="submit" class="button primary" disabled=move || save.pending().get()>
                    {move || if save.pending().get() {
                        t_string!(i18n, common.saving)
                    } else if is_edit {
                        t_string!(i18n, common.save)
                    } else {
                        t_string!(i18n, listing_form.publish)
                    }}
                </button>
            </div>
        </form>
    }
}

/// What is offered: the title, and for sale or for rent.
#[component]
fn WhatIsOffered(fields: ListingFields) -> impl IntoView {
    let i18n = use_i18n();
    let ListingFields { title, transaction, .. } = fields;
    let err = |field| fields.error(field);
    view! {
        <label class="field"><span>{t!(i18n, listing_form.title)}</span>
            <input name="title" required maxlength="200" autocomplete="off" prop:value=title on:input=input(title)
                placeholder=move || t_string!(i18n, listing_form.title_hint)/>
            <span class="field-error">{err("title")}</span>
        </label>
        <fieldset class="field">
            <legend>{t!(i18n, listings.transaction)}</legend>
            <div class="segmented">
                {Transaction::ALL.into_iter().map(|t| view! {
                    <label><input type="radio" name="transaction" value=t.as_str() prop:checked=move || transaction.get() == t
                        on:change=move |_| transaction.set(t)/>{move || transaction_label(i18n, t)}</label>
                }).collect_view()}
            </div>
        </fieldset>
    }
}

/// The kind of property and its price: currency, and the period a rent is for.
#[component]
fn KindAndPrice(fields: ListingFields) -> impl IntoView {
    let i18n = use_i18n();
    let ListingFields { kind, transaction, price, currency, rent_period, .. } = fields;
    let err = |field| fields.error(field);
    view! {
        <label class="field"><span>{t!(i18n, listings.kind)}</span>
            <select name="kind" on:change=move |ev| if let Some(k) = ListingKind::parse(&event_target_value(&ev)) { kind.set(k) }>
                {ListingKind::ALL.into_iter().map(|k| view! {
                    <option value=k.as_str() selected=move || kind.get() == k>{move || kind_label(i18n, k)}</option>
                }).collect_view()}
            </select>
            <span class="field-error">{err("kind")}</span>
        </label>
        <label class="field"><span>{t!(i18n, listing_form.price)}</span>
            <span class="input-with-unit">
                <input name="price" required inputmode="numeric" prop:value=price on:input=input(price)
                    aria-label=move || t_string!(i18n, listing_form.price)/>
                <select name="currency" aria-label=move || t_string!(i18n, listing_form.currency) on:change=input(currency)>
                    {["BDT", "USD", "EUR", "GBP", "INR"].into_iter().map(|c| view! {
                        <option value=c selected=move || currency.get() == c>{c}</option>
                    }).collect_view()}
                </select>
            </span>
            <span class="field-error">{err("price")}</span>
        </label>
        <Show when=move || transaction.get() == Transaction::Rent>
            <label class="field"><span>{t!(i18n, listing_form.rent_period)}</span>
                <select name="rent_period" on:change=input(rent_period)>
                    {RENT_PERIODS.into_iter().map(|p| view! {
                        <option value=p selected=move || rent_period.get() == p>{move || if p == "month" {
                            t_string!(i18n, listing_form.per_month)
                        } else {
                            t_string!(i18n, listing_form.per_year)
                        }}</option>
                    }).collect_view()}
                </select>
            </label>
        </Show>
    }
}

/// How big: area, bedrooms, bathrooms, floor and the year it was built.
#[component]
fn SizeAndRooms(fields: ListingFields) -> impl IntoView {
    let i18n = use_i18n();
    let ListingFields { area, bedrooms, bathrooms, floor, year_built, .. } = fields;
    let err = |field| fields.error(field);
    view! {
        <label class="field"><span>{t!(i18n, listing_form.area)}</span>
            <input name="area_m2" inputmode="decimal" prop:value=area on:input=input(area)/>
            <span class="field-error">{err("area_m2")}</span>
        </label>
        <label class="field"><span>{t!(i18n, listing_form.bedrooms)}</span>
            <input name="bedrooms" type="number" min="0" max="100" inputmode="numeric" prop:value=bedrooms on:input=input(bedrooms)/>
            <span class="field-error">{err("bedrooms")}</span>
        </label>
        <label class="field"><span>{t!(i18n, listing_form.bathrooms)}</span>
            <input name="bathrooms" type="number" min="0" max="100" inputmode="numeric" prop:value=bathrooms on:input=input(bathrooms)/>
            <span class="field-error">{err("bathrooms")}</span>
        </label>
        <label class="field"><span>{t!(i18n, listing_form.floor)}</span>
            <input name="floor" type="number" min="-10" max="300" inputmode="numeric" prop:value=floor on:input=input(floor)/>
            <span class="field-error">{err("floor")}</span>
        </label>
        <label class="field"><span>{t!(i18n, listing_form.year_built)}</span>
            <input name="year_built" type="number" min="1000" max="2100" inputmode="numeric" prop:value=year_built on:input=input(year_built)/>
            <span class="field-error">{err("year_built")}</span>
        </label>
    }
}

/// The features it has (parking, lift…), as chips to tick.
#[component]
fn Features(fields: ListingFields) -> impl IntoView {
    let i18n = use_i18n();
    let features = fields.features;
    let err = |field| fields.error(field);
    view! {
        <fieldset class="field">
            <legend>{t!(i18n, listing_form.features)}</legend>
            <div class="chips">
                {FEATURES.into_iter().map(|f| view! {
                    <label class="chip-check"><input type="checkbox" name="features" value=f
                        prop:checked=move || features.with(|fs| fs.iter().any(|x| x == f))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            features.update(|fs| { fs.retain(|x| x != f); if on { fs.push(f.to_string()); } });
                        }/>
                        <span>{move || feature_label(i18n, f)}</span></label>
                }).collect_view()}
            </div>
            <span class="field-error">{err("features")}</span>
        </fieldset>
    }
}

/// The description, in the agent's words.
#[component]
fn Description(fields: ListingFields) -> impl IntoView {
    let i18n = use_i18n();
    let description = fields.description;
    let err = |field| fields.error(field);
    view! {
        <label class="field"><span>{t!(i18n, listing_form.description)}</span>
            <textarea name="description" rows="4" maxlength="5000" prop:value=description on:input=input(description)></textarea>
            <span class="field-error">{err("description")}</span>
        </label>
    }
}

/// Where it is: the address and the position, typed or taken from the device.
#[component]
fn Place(fields: ListingFields) -> impl IntoView {
    let i18n = use_i18n();
    let ListingFields { address, lat, lon, server_error, .. } = fields;
    let err = |field| fields.error(field);
    let locating = RwSignal::new(false);
    let locate = move |_| {
        locating.set(true);
        leptos::task::spawn_local(async move {
            if let Some(fix) = crate::visits::geolocation::current(60_000).await {
                lat.set(format!("{:.6}", fix.position.lat()));
                lon.set(format!("{:.6}", fix.position.lon()));
            } else {
                server_error.set(Some(t_string!(i18n, listing_form.no_fix).to_string()));
            }
            locating.set(false);
        });
    };
    view! {
        <label class="field"><span>{t!(i18n, contact_form.address)}</span>
            <input name="address" autocomplete="street-address" prop:value=address on:input=input(address)/>
            <span class="field-error">{err("address")}</span>
        </label>
        <div class="form-grid location-row">
            <label class="field"><span>{t!(i18n, contact_form.lat)}</span>
                <input name="lat" inputmode="decimal" prop:value=lat on:input=input(lat)/>
                <span class="field-error">{err("location")}</span>
            </label>
            <label class="field"><span>{t!(i18n, contact_form.lon)}</span>
                <input name="lon" inputmode="decimal" prop:value=lon on:input=input(lon)/>
            </label>
            <button type="button" class="button secondary" on:click=locate disabled=move || locating.get()>
                {move || if locating.get() { t_string!(i18n, listing_form.locating) } else { t_string!(i18n, listing_form.here) }}
            </button>
        </div>
    }
}

/// Who: the owner (a contact), the listing agent (chosen by office staff, managers and admins),
/// and the agency's own reference.
#[component]
fn OwnerAgentAndReference(fields: ListingFields) -> impl IntoView {
    let i18n = use_i18n();
    let me = current_user();
    let ListingFields { owner, agent, reference, .. } = fields;
    let err = |field| fields.error(field);
    let choose_agent = matches!(me.get_untracked().role, Role::Admin | Role::Office | Role::Manager);
    let reps = LocalResource::new(move || async move {
        if choose_agent {
            crate::territories::api::reps().await.unwrap_or_default()
        } else {
            Vec::new()
        }
    });
    view! {
        <div class="form-grid">
            <ContactPicker chosen=owner name="owner" label=Signal::derive(move || t_string!(i18n, listing_form.owner).to_string())/>
            {choose_agent.then(|| view! {
                <label class="field"><span>{t!(i18n, listing_form.agent)}</span>
                    <select name="agent" on:change=input(agent)>
                        <option value="">{t!(i18n, common.none)}</option>
                        {move || reps.get().unwrap_or_default().into_iter().map(|r| {
                            let id = r.id.to_string();
                            let selected = agent.get_untracked() == id;
                            view! { <option value=id selected=selected>{r.name.clone()}</option> }
                        }).collect_view()}
                    </select>
                    <span class="field-error">{err("agent_id")}</span>
                </label>
            })}
            <label class="field"><span>{t!(i18n, listing_form.reference)}</span>
                <input name="reference" maxlength="40" autocomplete="off" prop:value=reference on:input=input(reference)
                    placeholder=move || t_string!(i18n, listing_form.reference_hint)/>
                <span class="field-error">{err("reference")}</span>
            </label>
        </div>
    }
}
