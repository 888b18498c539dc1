//! Beside the map: the territories with their workload (the rebalancing aid), or the selected
//! territory's counts and reps, or the drawing and import forms.

use super::forms::{DrawForm, ImportForm, OutlineEditor};
use super::page::MapState;
use crate::common::{ErrorCode, TerritoryId, UserId};
use crate::i18n::*;
use crate::locale::format_count;
use crate::territories::map::rings;
use crate::territories::{Load, TerritoryLoad};
use crate::ui::{confirm, EmptyState, ErrorState, Loading};
use leptos::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Mode {
    List,
    Draw,
    Import,
    Selected(TerritoryId),
}

#[component]
pub(super) fn Panel(state: MapState) -> impl IntoView {
    let mode = Memo::new(move |_| {
        if state.drawing.with(Option::is_some) {
            Mode::Draw
        } else if state.importing.get() {
            Mode::Import
        } else if let Some(id) = state.selected.get() {
            Mode::Selected(id)
        } else {
            Mode::List
        }
    });
    move || match mode.get() {
        Mode::Draw => view! { <DrawForm state/> }.into_any(),
        Mode::Import => view! { <ImportForm state/> }.into_any(),
        Mode::Selected(id) => view! { <TerritoryDetails state id/> }.into_any(),
        Mode::List => view! { <TerritoryList state/> }.into_any(),
    }
}

pub(super) fn load_label(i18n: leptos_i18n::I18nContext<Locale>, load: Load) -> &'static str {
    match load {
        Load::Over => t_string!(i18n, territories.load_over),
        Load::Under => t_string!(i18n, territories.load_under),
        Load::Even => t_string!(i18n, territories.load_even),
        Load::Unstaffed => t_string!(i18n, territories.load_unstaffed),
    }
}

#[component]
fn TerritoryList(state: MapState) -> impl IntoView {
    let i18n = use_i18n();
    let start_drawing = move |_| {
        state.selected.set(None);
        state.drawing.set(Some(Vec::new()));
    };
    let regions = move || {
        let all = state.territory_list();
        let parents: Vec<TerritoryId> = all.iter().filter_map(|t| t.parent_id).collect();
        all.into_iter().filter(|t| parents.contains(&t.id)).collect::<Vec<_>>()
    };
    view! {
        <div class="panel-head">
            <h2>{move || if state.can_manage { t_string!(i18n, territories.list_title) } else { t_string!(i18n, territories.title) }}</h2>
            {state.can_manage.then(|| view! {
                <div class="panel-actions">
                    <button class="button primary" on:click=start_drawing>{t!(i18n, territories.draw)}</button>
                    <button class="button secondary" on:click=move |_| state.importing.set(true)>{t!(i18n, territories.import)}</button>
                </div>
            })}
        </div>
        {move || match state.territories.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(error)) => view! { <ErrorState error on_retry=move |()| state.territories.refetch()/> }.into_any(),
            Some(Ok(list)) if list.is_empty() => view! {
                <EmptyState icon="map" title=move || t!(i18n, territories.empty) hint=move || t!(i18n, territories.empty_hint)/>
            }.into_any(),
            Some(Ok(list)) if !state.can_manage => view! {
                <ul class="territory-rows">
                    {list.into_iter().map(|t| {
                        let id = t.id;
                        view! {
                            <li><button class="territory-row" on:click=move |_| state.focus(id)>
                                <span class="swatch" style=format!("background:{}", t.colour)></span>
                                <span class="row-name">{t.name}</span>
                            </button></li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any(),
            Some(Ok(_)) => view! {
                {move || (!regions().is_empty()).then(|| view! {
                    <label class="field compact">
                        <span>{t!(i18n, territories.region)}</span>
                        <select on:change=move |ev| state.region.set(TerritoryId::parse(&event_target_value(&ev)))>
                            <option value="">{t!(i18n, territories.all_regions)}</option>
                            {regions().into_iter().map(|r| view! { <option value=r.id.to_string()>{r.name}</option> }).collect_view()}
                        </select>
                    </label>
                })}
                <Workloads state/>
                <crate::users::components::RepBooks/>
            }.into_any(),
        }}
    }
}

/// Each territory's contacts and visits per rep against the mean: the rebalancing aid.
#[component]
fn Workloads(state: MapState) -> impl IntoView {
    let i18n = use_i18n();
    let colour_of = move |id: TerritoryId| state.territory(id).map(|t| t.colour).unwrap_or_default();
    move || match state.workload.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Err(error)) => view! { <ErrorState error on_retry=move |()| state.workload.refetch()/> }.into_any(),
        Some(Ok(w)) => {
            let locale = i18n.get_locale();
            #[allow(clippy::cast_possible_truncation)] // means of counts, rounded for display
            let mean = t_string!(
                i18n,
                territories.mean,
                contacts = format_count(w.mean_contacts_per_rep.round() as i64, locale),
                visits = format_count(w.mean_visits_per_rep.round() as i64, locale)
            );
            view! {
                <p class="small muted">{mean}</p>
                <ul class="territory-rows">
                    {w.territories.into_iter().map(|t: TerritoryLoad| {
                        let id = t.territory_id;
                        let load = t.load;
                        let counts = t_string!(i18n, territories.counts,
                            contacts = format_count(t.contacts, locale),
                            visits = format_count(t.visits_30_days, locale),
                            reps = format_count(t.reps, locale));
                        view! {
                            <li><button class="territory-row" on:click=move |_| state.focus(id) data-territory=id.to_string()>
                                <span class="swatch" style=format!("background:{}", colour_of(id))></span>
                                <span class="row-name">{t.name}</span>
                                <span class=format!("badge load-{}", load_class(load))>{move || load_label(i18n, load)}</span>
                                <span class="row-counts small muted">{counts}</span>
                            </button></li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any()
        }
    }
}

fn load_class(load: Load) -> &'static str {
    match load {
        Load::Over => "over",
        Load::Under => "under",
        Load::Even => "even",
        Load::Unstaffed => "unstaffed",
    }
}

/// One territory: its counts, its reps (which a manager changes here), and its outline.
#[component]
fn TerritoryDetails(state: MapState, id: TerritoryId) -> impl IntoView {
    let i18n = use_i18n();
    let stats = LocalResource::new(move || crate::territories::api::stats(id));
    let error = RwSignal::new(None::<String>);
    let back = move |_| {
        state.editing.set(None);
        state.selected.set(None);
    };
    let zoom_to = move |_| state.focus(id);
    let remove = move |_| {
        let Some(t) = state.territory(id) else { return };
        if !confirm(&t_string!(i18n, territories.delete_confirm, name = t.name.clone())) {
            return;
        }
        leptos::task::spawn_local(async move {
            match crate::territories::api::delete(id).await {
                Ok(()) => {
                    state.selected.set(None);
                    state.reload();
                }
                Err(e) => error.set(Some(e.message)),
            }
        });
    };
    let edit = move |_| {
        let open = state.territory(id).map(|t| {
            rings(&t.geometry)
                .into_iter()
                .map(|mut r| {
                    if r.len() > 1 && r.first() == r.last() {
                        r.pop();
                    }
                    r
                })
                .collect::<Vec<_>>()
        });
        state.editing.set(open);
    };
    view! {
        <div class="panel-head">
            <button class="button link" on:click=back>{t!(i18n, territories.back)}</button>
            {move || state.territory(id).map(|t| view! {
                <h2><span class="swatch" style=format!("background:{}", t.colour)></span>{t.name}</h2>
            })}
        </div>
        {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
        {move || match stats.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) if e.code == ErrorCode::NotFound => view! { <p>{t!(i18n, territories.gone)}</p> }.into_any(),
            Some(Err(e)) if e.code == ErrorCode::Forbidden => {
                view! { <p class="muted">{t!(i18n, territories.not_yours)}</p> }.into_any()
            }
            Some(Err(error)) => view! { <ErrorState error on_retry=move |()| stats.refetch()/> }.into_any(),
            Some(Ok(s)) => {
                let locale = i18n.get_locale();
                view! {
                    <dl class="stat-grid">
                        <div><dt>{t!(i18n, territories.stat_contacts)}</dt><dd>{format_count(s.contacts, locale)}</dd></div>
                        <div><dt>{t!(i18n, territories.stat_listings)}</dt><dd>{format_count(s.listings, locale)}</dd></div>
                        <div><dt>{t!(i18n, territories.stat_deals)}</dt><dd>{format_count(s.open_deals, locale)}</dd></div>
                        <div><dt>{t!(i18n, territories.stat_visits)}</dt><dd>{format_count(s.visits_30_days, locale)}</dd></div>
                    </dl>
                    {(!state.can_manage).then(|| view! {
                        <h3>{t!(i18n, territories.reps)}</h3>
                        <p>{if s.reps.is_empty() { t_string!(i18n, territories.no_reps).to_string() } else { s.reps.iter().map(|r| r.name.clone()).collect::<Vec<_>>().join(", ") }}</p>
                    })}
                }.into_any()
            }
        }}
        {state.can_manage.then(|| view! { <Assignees state id on_saved=move |()| stats.refetch()/> })}
        {move || if state.editing.with(Option::is_some) {
            view! { <OutlineEditor state id/> }.into_any()
        } else {
            view! {
                <div class="panel-actions">
                    <button class="button secondary" on:click=zoom_to>{t!(i18n, territories.zoom_to)}</button>
                    {state.can_manage.then(|| view! {
                        <button class="button secondary" on:click=edit>{t!(i18n, territories.edit_outline)}</button>
                        <button class="button danger-outline" on:click=remove>{t!(i18n, territories.delete)}</button>
                    })}
                </div>
            }.into_any()
        }}
    }
}

/// Who covers the territory: a checkbox per rep the manager may assign, saved together.
#[component]
fn Assignees(state: MapState, id: TerritoryId, #[prop(into)] on_saved: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let reps = LocalResource::new(crate::territories::api::reps);
    let current = LocalResource::new(move || crate::territories::api::assignees(id));
    let chosen = RwSignal::new(Vec::<UserId>::new());
    Effect::new(move || {
        if let Some(Ok(list)) = current.get() {
            chosen.set(list.iter().map(|a| a.user_id).collect());
        }
    });
    let message = RwSignal::new(None::<Result<String, String>>);
    let save =
        crate::ui::browser_action(move |reps: &Vec<UserId>| crate::territories::api::set_assignees(id, reps.clone()));
    Effect::new(move || match save.value().get() {
        Some(Ok(_)) => {
            message.set(Some(Ok(t_string!(i18n, territories.assigned).to_string())));
            on_saved.run(());
            state.reload();
        }
        Some(Err(e)) => message.set(Some(Err(if e.code == ErrorCode::Network {
            t_string!(i18n, common.network).to_string()
        } else {
            e.message
        }))),
        None => {}
    });
    let toggle = move |rep: UserId, on: bool| {
        message.set(None);
        chosen.update(|c| {
            c.retain(|r| *r != rep);
            if on {
                c.push(rep);
            }
        });
    };
    view! {
        <fieldset class="assignees">
            <legend>{t!(i18n, territories.reps)}</legend>
            {move || match reps.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(error)) => view! { <ErrorState error on_retry=move |()| reps.refetch()/> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! { <p class="muted">{t!(i18n, territories.no_team)}</p> }.into_any(),
                Some(Ok(list)) => list.into_iter().map(|rep| {
                    let rep_id = rep.id;
                    view! {
                        <label class="check">
                            <input type="checkbox" prop:checked=move || chosen.with(|c| c.contains(&rep_id))
                                on:change=move |ev| toggle(rep_id, event_target_checked(&ev))/>
                            <span>{rep.name}</span>
                        </label>
                    }
                }).collect_view().into_any(),
            }}
            <button class="button primary" disabled=move || save.pending().get() on:click=move |_| { save.dispatch(chosen.get_untracked()); }>
                {move || if save.pending().get() { t_string!(i18n, common.saving) } else { t_string!(i18n, territories.save_reps) }}
            </button>
            {move || message.get().map(|m| match m {
                Ok(text) => view! { <p class="saved" role="status">{text}</p> }.into_any(),
                Err(text) => view! { <p class="form-error" role="alert">{text}</p> }.into_any(),
            })}
        </fieldset>
    }
}
