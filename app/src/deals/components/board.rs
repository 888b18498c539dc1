//! The pipeline: a board of stage columns (drag a card on desktop, or pick a stage from the
//! card's menu on any device, keyboard included) and a list view, with each stage's totals.

use super::DealEditor;
use crate::common::{ApiError, DealId, ErrorCode};
use crate::deals::{Deal, DealBoard, DealForUpdate, DealStage, StageTotal};
use crate::fields::components::CustomFacts;
use crate::fields::FieldDef;
use crate::i18n::*;
use crate::locale::format_money;
use crate::ui::{prompt, ClientOnly, EmptyState, ErrorState, Icon, Loading};
use leptos::prelude::*;
use leptos_router::components::A;

pub fn stage_label(i18n: leptos_i18n::I18nContext<Locale>, s: DealStage) -> &'static str {
    match s {
        DealStage::Inquiry => t_string!(i18n, pipeline.inquiry),
        DealStage::Proposal => t_string!(i18n, pipeline.proposal),
        DealStage::Negotiation => t_string!(i18n, pipeline.negotiation),
        DealStage::Won => t_string!(i18n, pipeline.won),
        DealStage::Lost => t_string!(i18n, pipeline.lost),
    }
}

#[component]
pub fn PipelinePage() -> impl IntoView {
    let i18n = use_i18n();
    let board = LocalResource::new(crate::deals::api::board);
    let as_list = RwSignal::new(false);
    view! {
        <section class="page wide">
            <header class="page-header">
                <h1>{t!(i18n, pipeline.title)}</h1>
                <div class="segmented" role="group" aria-label=move || t_string!(i18n, pipeline.view)>
                    <button class="chip" aria-pressed=move || (!as_list.get()).to_string() on:click=move |_| as_list.set(false)>{t!(i18n, pipeline.board)}</button>
                    <button class="chip" aria-pressed=move || as_list.get().to_string() on:click=move |_| as_list.set(true)>{t!(i18n, pipeline.list)}</button>
                </div>
            </header>
            <ClientOnly><Transition fallback=Loading>
                {move || board.get().map(|result| match result {
                    Ok(b) if b.items.is_empty() => view! {
                        <EmptyState icon="listings" title=move || t!(i18n, pipeline.empty) hint=move || t!(i18n, pipeline.empty_hint)/>
                    }.into_any(),
                    Ok(b) => view! { <Pipeline board=b as_list on_changed=move |()| board.refetch()/> }.into_any(),
                    Err(error) => view! { <ErrorState error on_retry=move |()| board.refetch()/> }.into_any(),
                })}
            </Transition></ClientOnly>
        </section>
    }
}

/// The business's own deal fields, for the cards and the list's columns (none while they load).
#[derive(Clone, Copy)]
struct DealFields(Signal<Vec<FieldDef>>);

#[component]
fn Pipeline(board: DealBoard, as_list: RwSignal<bool>, #[prop(into)] on_changed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let defs = LocalResource::new(|| crate::fields::api::list(crate::fields::RecordType::Deal));
    provide_context(DealFields(Signal::derive(move || defs.get().and_then(Result::ok).unwrap_or_default())));
    let deals = RwSignal::new(board.items);
    let totals = board.totals;
    let dragged = RwSignal::new(None::<DealId>);
    let error = RwSignal::new(None::<String>);
    let mover = crate::ui::browser_action(move |(id, body): &(DealId, DealForUpdate)| {
        crate::deals::api::update(*id, body.clone())
    });
    Effect::new(move || match mover.value().get() {
        Some(Ok(deal)) => {
            deals.update(|all| {
                if let Some(d) = all.iter_mut().find(|d| d.id == deal.id) {
                    *d = deal;
                }
            });
            on_changed.run(());
        }
        Some(Err(e)) => error.set(Some(move_error(i18n, &e))),
        None => {}
    });
    let move_to = Callback::new(move |(id, to): (DealId, DealStage)| {
        error.set(None);
        let current = deals.with_untracked(|all| all.iter().find(|d| d.id == id).map(|d| d.stage));
        if current == Some(to) {
            return;
        }
        let lost_reason = if to == DealStage::Lost {
            match prompt(t_string!(i18n, pipeline.lost_reason_prompt)) {
                Some(reason) if !reason.trim().is_empty() => Some(reason),
                Some(_) => {
                    error.set(Some(t_string!(i18n, pipeline.lost_reason_required).to_string()));
                    return;
                }
                None => return,
            }
        } else {
            None
        };
        mover.dispatch((id, DealForUpdate { stage: Some(to.as_str().into()), lost_reason, ..Default::default() }));
    });
    view! {
        <p class="form-error" role="alert">{move || error.get()}</p>
        <p class="saved" role="status">{move || mover.pending().get().then(|| t_string!(i18n, common.saving))}</p>
        {move || if as_list.get() {
            view! { <DealTable deals/> }.into_any()
        } else {
            let totals = totals.clone();
            view! {
                <div class="board">
                    {DealStage::ALL.into_iter().map(|stage| {
                        let stage_totals: Vec<StageTotal> = totals.iter().filter(|t| t.stage == stage).cloned().collect();
                        view! { <Column stage totals=stage_totals deals dragged move_to/> }
                    }).collect_view()}
                </div>
            }.into_any()
        }}
    }
}

fn move_error(i18n: leptos_i18n::I18nContext<Locale>, e: &ApiError) -> String {
    match e.code {
        ErrorCode::Network => t_string!(i18n, common.network).to_string(),
        ErrorCode::Validation => t_string!(i18n, pipeline.cannot_move).to_string(),
        _ => e.message.clone(),
    }
}

#[component]
fn Column(
    stage: DealStage,
    totals: Vec<StageTotal>,
    deals: RwSignal<Vec<Deal>>,
    dragged: RwSignal<Option<DealId>>,
    move_to: Callback<(DealId, DealStage)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let over = RwSignal::new(false);
    let count = move || deals.with(|all| all.iter().filter(|d| d.stage == stage).count());
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        over.set(false);
        if let Some(id) = dragged.get_untracked() {
            dragged.set(None);
            move_to.run((id, stage));
        }
    };
    view! {
        <section class="board-column" class=("drop-target", move || over.get()) data-stage=stage.as_str()
            aria-label=move || stage_label(i18n, stage)
            on:dragover=move |ev| { ev.prevent_default(); over.set(true); }
            on:dragleave=move |_| over.set(false)
            on:drop=on_drop>
            <header class=format!("board-column-head stage-{}", stage.as_str())>
                <h2>{move || stage_label(i18n, stage)}<span class="count">{count}</span></h2>
                <p class="muted small">{move || totals.iter().map(|t| money(i18n, t.amount, &t.currency)).collect::<Vec<_>>().join(" · ")}</p>
            </header>
            <ul class="board-cards">
                <For each=move || in_stage(deals, stage) key=|d| (d.id, d.version) let:deal>
                    <DealCard deal deals dragged move_to/>
                </For>
            </ul>
        </section>
    }
}

fn in_stage(deals: RwSignal<Vec<Deal>>, stage: DealStage) -> Vec<Deal> {
    deals.with(|all| all.iter().filter(|d| d.stage == stage).cloned().collect())
}

fn money(i18n: leptos_i18n::I18nContext<Locale>, amount: i64, currency: &str) -> String {
    crate::common::Money::new(amount, currency).map(|m| format_money(&m, i18n.get_locale())).unwrap_or_default()
}

#[component]
fn DealCard(
    deal: Deal,
    deals: RwSignal<Vec<Deal>>,
    dragged: RwSignal<Option<DealId>>,
    move_to: Callback<(DealId, DealStage)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let editing = RwSignal::new(false);
    let editable = deal.clone();
    let id = deal.id;
    let stage = deal.stage;
    let on_dragstart = move |ev: leptos::ev::DragEvent| {
        dragged.set(Some(id));
        #[cfg(feature = "hydrate")]
        if let Some(dt) = ev.data_transfer() {
            let _ = dt.set_data("text/plain", &id.to_string());
            dt.set_effect_allowed("move");
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    let value = format_money(&deal.value, i18n.get_locale());
    let DealFields(defs) = expect_context::<DealFields>();
    let custom = deal.custom.clone();
    let facts = move || {
        let defs = defs.get();
        (!custom.is_empty() && !defs.is_empty())
            .then(|| view! { <dl class="deal-custom small"><CustomFacts defs values=custom.clone()/></dl> })
    };
    let title = deal.title.clone();
    let editor = move || {
        editing.get().then(|| {
            let on_saved = move |saved: Deal| {
                editing.set(false);
                deals.update(|all| {
                    if let Some(d) = all.iter_mut().find(|d| d.id == saved.id) {
                        *d = saved;
                    }
                });
            };
            view! { <DealEditor deal=editable.clone() defs=defs.get() on_saved on_cancel=move |()| editing.set(false)/> }
        })
    };
    view! {
        <li class="deal-card" draggable=if stage.is_open() { "true" } else { "false" } on:dragstart=on_dragstart data-deal=id.to_string()>
            <div class="deal-card-head">
                <strong>{deal.title.clone()}</strong>
                <button type="button" class="icon-button small no-print" aria-expanded=move || editing.get().to_string()
                    aria-label=move || t_string!(i18n, pipeline.edit_deal, title = title.clone()) on:click=move |_| editing.update(|e| *e = !*e)>
                    <Icon name="edit" size=18/>
                </button>
            </div>
            {editor}
            <A href=format!("/contacts/{}", deal.contact_id) attr:class="muted small">{deal.contact_name.clone()}</A>
            <p class="price">{value}</p>
            {deal.lost_reason.clone().map(|r| view! { <p class="muted small">{r}</p> })}
            {facts}
            {stage.is_open().then(|| view! {
                <label class="stage-picker">
                    <span class="visually-hidden">{move || t_string!(i18n, pipeline.move_to)}</span>
                    <select on:change=move |ev| {
                        if let Some(to) = DealStage::parse(&event_target_value(&ev)) { move_to.run((id, to)); }
                    }>
                        <option value="" selected>{t!(i18n, pipeline.move_to)}</option>
                        {DealStage::ALL.into_iter().filter(|s| stage.can_become(*s)).map(|s| view! {
                            <option value=s.as_str()>{move || stage_label(i18n, s)}</option>
                        }).collect_view()}
                    </select>
                </label>
            })}
        </li>
    }
}

#[component]
fn DealTable(deals: RwSignal<Vec<Deal>>) -> impl IntoView {
    let i18n = use_i18n();
    let lang = crate::fields::components::language(i18n);
    let DealFields(defs) = expect_context::<DealFields>();
    view! {
        <div class="table-wrap card">
            <table class="data-table">
                <thead><tr>
                    <th>{t!(i18n, pipeline.deal)}</th><th>{t!(i18n, pipeline.contact)}</th>
                    <th>{t!(i18n, pipeline.stage)}</th><th class="num">{t!(i18n, pipeline.value)}</th><th>{t!(i18n, pipeline.expected_close)}</th>
                    {move || defs.get().into_iter().map(|d| view! { <th data-field=d.key.clone()>{d.label.in_language(lang).to_string()}</th> }).collect_view()}
                </tr></thead>
                <tbody>
                    <For each=move || deals.get() key=|d| (d.id, d.version) let:deal>
                        {
                            let stage = deal.stage;
                            view! {
                                <tr>
                                    <td>{deal.title.clone()}</td>
                                    <td><A href=format!("/contacts/{}", deal.contact_id)>{deal.contact_name.clone()}</A></td>
                                    <td><span class=format!("badge stage-{}", stage.as_str())>{move || stage_label(i18n, stage)}</span></td>
                                    <td class="num">{format_money(&deal.value, i18n.get_locale())}</td>
                                    <td>{deal.expected_close.map(|d| d.to_string()).unwrap_or_default()}</td>
                                    {move || defs.get().into_iter().map(|d| {
                                        let shown = deal.custom.get(&d.key).map(|v| crate::fields::display(&d, v, lang)).unwrap_or_default();
                                        view! { <td data-field=d.key.clone()>{shown}</td> }
                                    }).collect_view()}
                                </tr>
                            }
                        }
                    </For>
                </tbody>
            </table>
        </div>
    }
}
