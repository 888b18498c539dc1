//! Campaigns: pick a template and a segment, see how many it reaches (and how many are left out
//! for lack of consent), send after a confirmation, and follow the counts; and the public page an
//! unsubscribe link opens.

use crate::campaigns::{Audience, Campaign, CampaignInput, Segment};
use crate::contacts::Lifecycle;
use crate::i18n::*;
use crate::ui::{confirm, error_text, ClientOnly, EmptyState, ErrorState, Icon, Loading};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn CampaignsPage() -> impl IntoView {
    let i18n = use_i18n();
    let campaigns = LocalResource::new(crate::campaigns::api::list);
    view! {
        <section class="page narrow">
            <header class="page-header">
                <h1>{t!(i18n, campaigns.title)}</h1>
                <p class="muted">{t!(i18n, campaigns.intro)}</p>
            </header>
            <ClientOnly>
                <NewCampaign on_sent=move || campaigns.refetch()/>
                <Transition fallback=Loading>
                    {move || campaigns.get().map(|result| match result {
                        Ok(list) if list.is_empty() => view! {
                            <EmptyState icon="mail" title=move || t!(i18n, campaigns.empty) hint=move || t!(i18n, campaigns.empty_hint)/>
                        }.into_any(),
                        Ok(list) => view! {
                            <ul class="record-list">{list.into_iter().map(|c| view! { <CampaignRow campaign=c/> }).collect_view()}</ul>
                            <button class="button small" on:click=move |_| campaigns.refetch()>
                                <Icon name="refresh" size=16/><span>{t!(i18n, campaigns.refresh)}</span>
                            </button>
                        }.into_any(),
                        Err(error) => view! { <ErrorState error on_retry=move |()| campaigns.refetch()/> }.into_any(),
                    })}
                </Transition>
            </ClientOnly>
        </section>
    }
}

#[component]
fn CampaignRow(campaign: Campaign) -> impl IntoView {
    let i18n = use_i18n();
    let c = campaign;
    let (sent, pending, failed, unsubscribed, skipped) =
        (c.sent, c.pending, c.failed, c.unsubscribed, c.skipped_no_consent);
    view! {
        <li class="record campaign-record">
            <div class="record-main">
                <strong>{c.name.clone()}</strong>
                <p class="muted small">{c.template_name.clone()}" · "{move || t_string!(i18n, campaigns.recipients, count = c.recipients)}</p>
                <p class="campaign-counts">
                    <span class="chip">{move || t_string!(i18n, campaigns.sent, count = sent)}</span>
                    <span class="chip">{move || t_string!(i18n, campaigns.pending, count = pending)}</span>
                    <span class="chip">{move || t_string!(i18n, campaigns.failed, count = failed)}</span>
                    <span class="chip">{move || t_string!(i18n, campaigns.unsubscribed, count = unsubscribed)}</span>
                    <span class="chip muted">{move || t_string!(i18n, campaigns.skipped, count = skipped)}</span>
                </p>
            </div>
        </li>
    }
}

#[component]
fn NewCampaign(#[prop(into)] on_sent: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let templates = LocalResource::new(crate::templates::api::list);
    let territories = LocalResource::new(crate::territories::api::list);
    let name = RwSignal::new(String::new());
    let template = RwSignal::new(String::new());
    let tag = RwSignal::new(String::new());
    let lifecycle = RwSignal::new(String::new());
    let territory = RwSignal::new(String::new());
    let audience = RwSignal::new(None::<Audience>);
    let message = RwSignal::new(None::<String>);
    let queued = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let segment = move || Segment {
        tag: Some(tag.get_untracked()),
        lifecycle: Lifecycle::parse(&lifecycle.get_untracked()),
        territory_id: crate::common::TerritoryId::parse(&territory.get_untracked()),
        owner_id: None,
    };
    let count = move || {
        let segment = segment();
        leptos::task::spawn_local(async move {
            match crate::campaigns::api::audience(&segment).await {
                Ok(a) => audience.set(Some(a)),
                Err(e) => message.set(Some(error_text(i18n, &e))),
            }
        });
    };
    Effect::new(move || {
        // Recount whenever the segment changes.
        let _ = (tag.get(), lifecycle.get(), territory.get());
        audience.set(None);
        count();
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        message.set(None);
        queued.set(false);
        let Some(template_id) = crate::common::TemplateId::parse(&template.get_untracked()) else {
            message.set(Some(t_string!(i18n, campaigns.choose_template).to_string()));
            return;
        };
        let input = CampaignInput { name: name.get_untracked(), template_id, segment: segment() };
        if let Err(e) = input.validate() {
            message.set(e.get("name").map(|e| crate::ui::field_error_text(i18n, e)));
            return;
        }
        let reach = audience.get_untracked().map_or(0, |a| a.recipients);
        if !confirm(&t_string!(i18n, campaigns.confirm, count = reach)) {
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            match crate::campaigns::api::send(&input).await {
                Ok(_) => {
                    name.set(String::new());
                    queued.set(true);
                    on_sent.run(());
                }
                Err(e) if !e.fields.is_empty() => {
                    message.set(Some(e.fields.values().cloned().collect::<Vec<_>>().join(" · ")));
                }
                Err(e) => message.set(Some(error_text(i18n, &e))),
            }
            busy.set(false);
        });
    };
    view! {
        <form class="card campaign-form" on:submit=submit>
            <h2>{t!(i18n, campaigns.new_campaign)}</h2>
            <div class="field-row">
                <label class="field">
                    <span>{t!(i18n, campaigns.name)}</span>
                    <input type="text" name="campaign_name" prop:value=name on:input=move |ev| name.set(event_target_value(&ev))/>
                </label>
                <label class="field">
                    <span>{t!(i18n, campaigns.template)}</span>
                    <select name="template" on:change=move |ev| template.set(event_target_value(&ev))>
                        <option value="">{t!(i18n, templates.none_chosen)}</option>
                        {move || templates.get().and_then(Result::ok).map(|list| list.into_iter().map(|t| view! {
                            <option value=t.id.to_string()>{t.name.clone()}</option>
                        }).collect_view())}
                    </select>
                </label>
            </div>
            <fieldset class="field">
                <legend>{t!(i18n, campaigns.segment)}</legend>
                <div class="field-row">
                    <label class="field">
                        <span>{t!(i18n, campaigns.tag)}</span>
                        <input type="text" name="tag" prop:value=tag on:change=move |ev| tag.set(event_target_value(&ev))/>
                    </label>
                    <label class="field">
                        <span>{t!(i18n, campaigns.lifecycle)}</span>
                        <select name="lifecycle" on:change=move |ev| lifecycle.set(event_target_value(&ev))>
                            <option value="">{t!(i18n, campaigns.any)}</option>
                            {Lifecycle::ALL.into_iter().map(|l| view! {
                                <option value=l.as_str()>{move || crate::contacts::components::lifecycle_label(i18n, l)}</option>
                            }).collect_view()}
                        </select>
                    </label>
                    <label class="field">
                        <span>{t!(i18n, campaigns.territory)}</span>
                        <select name="territory" on:change=move |ev| territory.set(event_target_value(&ev))>
                            <option value="">{t!(i18n, campaigns.any)}</option>
                            {move || territories.get().and_then(Result::ok).map(|list| list.into_iter().map(|t| view! {
                                <option value=t.id.to_string()>{t.name.clone()}</option>
                            }).collect_view())}
                        </select>
                    </label>
                </div>
            </fieldset>
            <p class="audience" role="status">
                {move || audience.get().map(|a| t_string!(i18n, campaigns.audience, count = a.recipients, left_out = a.without_consent).to_string())}
            </p>
            <p class="field-error" role="alert">{move || message.get()}</p>
            <p class="saved" role="status">{move || queued.get().then(|| t_string!(i18n, campaigns.queued))}</p>
            <button type="submit" class="button primary" prop:disabled=move || busy.get() || audience.get().is_none_or(|a| a.recipients == 0)>
                <Icon name="mail" size=18/><span>{t!(i18n, campaigns.send)}</span>
            </button>
        </form>
    }
}

/// The page an unsubscribe link opens: says which address, asks once, confirms.
#[component]
pub fn UnsubscribePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let token = move || params.with(|p| p.get("token").unwrap_or_default());
    let info = LocalResource::new(move || crate::campaigns::api::unsubscribe_info(token()));
    let done = RwSignal::new(false);
    let failure = RwSignal::new(None::<String>);
    let go = move |_| {
        leptos::task::spawn_local(async move {
            match crate::campaigns::api::unsubscribe(token()).await {
                Ok(_) => done.set(true),
                Err(e) => failure.set(Some(error_text(i18n, &e))),
            }
        });
    };
    view! {
        <main class="page narrow survey" id="main">
            <p class="brand-line"><strong>{t!(i18n, app_name)}</strong></p>
            <ClientOnly><Transition fallback=Loading>
                {move || info.get().map(|r| match r {
                    Ok(u) if u.done || done.get() => view! {
                        <div class="card survey-done" role="status">
                            <Icon name="check" size=40/>
                            <h1>{t!(i18n, campaigns.unsubscribed_title)}</h1>
                            <p class="muted">{move || t_string!(i18n, campaigns.unsubscribed_hint, email = u.email.clone())}</p>
                        </div>
                    }.into_any(),
                    Ok(u) => view! {
                        <div class="card survey-done">
                            <h1>{t!(i18n, campaigns.unsubscribe_title)}</h1>
                            <p>{move || t_string!(i18n, campaigns.unsubscribe_question, email = u.email.clone())}</p>
                            <button class="button primary block" on:click=go>{t!(i18n, campaigns.unsubscribe)}</button>
                            <p class="field-error" role="alert">{move || failure.get()}</p>
                        </div>
                    }.into_any(),
                    Err(_) => view! {
                        <div class="card survey-done" role="alert"><Icon name="alert" size=40/><h1>{t!(i18n, survey.unknown)}</h1></div>
                    }.into_any(),
                })}
            </Transition></ClientOnly>
        </main>
    }
}
