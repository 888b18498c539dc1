//! Acting on the contacts selected in the desk's table: the bar of actions over the table, and
//! the run's progress with *Undo* once it is done (see [`crate::contacts::bulk`]).

use super::list::lifecycle_label;
use crate::common::ApiError;
use crate::contacts::bulk::{BulkChange, BulkJob, BulkRequest, BulkState, Selection};
use crate::contacts::Lifecycle;
use crate::i18n::*;
use crate::locale::format_count;
use leptos::prelude::*;

/// How often a running change is asked how far it has got.
const POLL_MS: u32 = 400;

/// Follows the run until it is done, then calls `finished` (the list reads its contacts
/// again).
pub fn follow(run: RwSignal<Option<BulkJob>>, error: RwSignal<Option<ApiError>>, finished: Callback<()>) {
    leptos::task::spawn_local(async move {
        loop {
            let Some(job) = run.get_untracked() else { return };
            if !job.state.working() {
                finished.run(());
                return;
            }
            crate::ui::pause(POLL_MS).await;
            match crate::contacts::api::bulk_run(job.id).await {
                Ok(now) => run.set(Some(now)),
                Err(e) => {
                    error.set(Some(e));
                    return;
                }
            }
        }
    });
}

/// The actions over the selected contacts: give them to a rep, add or remove a tag, move their
/// stage, archive them.
#[component]
pub fn BulkBar(
    /// What is selected (none: the bar hides).
    selection: Signal<Option<Selection>>,
    /// How many contacts that is.
    count: Signal<i64>,
    run: RwSignal<Option<BulkJob>>,
    error: RwSignal<Option<ApiError>>,
    finished: Callback<()>,
    clear: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let reps = LocalResource::new(crate::territories::api::reps);
    let owner = RwSignal::new(String::new());
    let tag = RwSignal::new(String::new());
    let stage = RwSignal::new(String::new());
    let busy = move || run.with(|r| r.as_ref().is_some_and(|j| j.state.working()));
    let go = move |change: BulkChange| {
        let Some(selection) = selection.get_untracked() else { return };
        error.set(None);
        leptos::task::spawn_local(async move {
            match crate::contacts::api::bulk(&BulkRequest { selection, change }).await {
                Ok(job) => {
                    run.set(Some(job));
                    follow(run, error, finished);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let assign = move |_| {
        if let Some(owner_id) = crate::common::UserId::parse(&owner.get_untracked()) {
            go(BulkChange::AssignOwner { owner_id });
        }
    };
    let add_tag = move |_| {
        let t = tag.get_untracked();
        if !t.trim().is_empty() {
            go(BulkChange::AddTags { tags: vec![t] });
        }
    };
    let remove_tag = move |_| {
        let t = tag.get_untracked();
        if !t.trim().is_empty() {
            go(BulkChange::RemoveTags { tags: vec![t] });
        }
    };
    let set_stage = move |_| {
        if let Some(lifecycle) = Lifecycle::parse(&stage.get_untracked()) {
            go(BulkChange::SetLifecycle { lifecycle });
        }
    };
    let archive = move |_| {
        let n = format_count(count.get_untracked(), i18n.get_locale());
        if crate::ui::confirm(&t_string!(i18n, contacts.bulk.archive_confirm, count = n)) {
            go(BulkChange::Archive);
        }
    };
    view! {
        <Show when=move || selection.with(Option::is_some)>
            <div class="bulk-bar" role="region" aria-label=move || t_string!(i18n, contacts.bulk.region)>
                <strong data-testid="selected-count">
                    {move || t_string!(i18n, contacts.bulk.selected, count = format_count(count.get(), i18n.get_locale())).to_string()}
                </strong>
                <span class="bulk-group">
                    <label class="visually-hidden" for="bulk-owner">{t!(i18n, contacts.bulk.owner)}</label>
                    <select id="bulk-owner" prop:value=owner on:change=move |ev| owner.set(event_target_value(&ev))>
                        <option value="">{t!(i18n, contacts.bulk.owner_pick)}</option>
                        {move || reps.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|r| view! {
                            <option value=r.id.to_string()>{r.name}</option>
                        }).collect_view()}
                    </select>
                    <button type="button" class="button secondary small" disabled=move || busy() || owner.with(String::is_empty) on:click=assign>
                        {t!(i18n, contacts.bulk.assign)}
                    </button>
                </span>
                <span class="bulk-group">
                    <label class="visually-hidden" for="bulk-tag">{t!(i18n, contacts.bulk.tag)}</label>
                    <input id="bulk-tag" type="text" autocomplete="off" placeholder=move || t_string!(i18n, contacts.bulk.tag)
                        prop:value=tag on:input=move |ev| tag.set(event_target_value(&ev))/>
                    <button type="button" class="button secondary small" disabled=move || busy() || tag.with(|t| t.trim().is_empty()) on:click=add_tag>
                        {t!(i18n, contacts.bulk.add_tag)}
                    </button>
                    <button type="button" class="button secondary small" disabled=move || busy() || tag.with(|t| t.trim().is_empty()) on:click=remove_tag>
                        {t!(i18n, contacts.bulk.remove_tag)}
                    </button>
                </span>
                <span class="bulk-group">
                    <label class="visually-hidden" for="bulk-stage">{t!(i18n, contacts.bulk.stage)}</label>
                    <select id="bulk-stage" prop:value=stage on:change=move |ev| stage.set(event_target_value(&ev))>
                        <option value="">{t!(i18n, contacts.bulk.stage_pick)}</option>
                        {Lifecycle::ALL.into_iter().map(|l| view! {
                            <option value=l.as_str()>{move || lifecycle_label(i18n, l)}</option>
                        }).collect_view()}
                    </select>
                    <button type="button" class="button secondary small" disabled=move || busy() || stage.with(String::is_empty) on:click=set_stage>
                        {t!(i18n, contacts.bulk.set_stage)}
                    </button>
                </span>
                <button type="button" class="button danger-outline small" disabled=busy on:click=archive>{t!(i18n, contacts.bulk.archive)}</button>
                <button type="button" class="button secondary small" on:click=move |_| clear.run(())>{t!(i18n, contacts.bulk.clear)}</button>
            </div>
        </Show>
    }
}

/// A run's progress, then what it did, with *Undo* while it may be undone.
#[component]
pub fn BulkStatus(
    run: RwSignal<Option<BulkJob>>,
    error: RwSignal<Option<ApiError>>,
    finished: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let undo = move |_| {
        let Some(job) = run.get_untracked() else { return };
        error.set(None);
        leptos::task::spawn_local(async move {
            match crate::contacts::api::bulk_undo(job.id).await {
                Ok(job) => {
                    run.set(Some(job));
                    follow(run, error, finished);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let n = move |v: i64| format_count(v, i18n.get_locale());
    view! {
        {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e.message}</p> })}
        {move || run.get().map(|job| {
            let line = match job.state {
                BulkState::Running => t_string!(i18n, contacts.bulk.running, done = n(job.done), total = n(job.total)).to_string(),
                BulkState::Done => t_string!(i18n, contacts.bulk.done, changed = n(job.changed), unchanged = n(job.unchanged)).to_string(),
                BulkState::Undoing => t_string!(i18n, contacts.bulk.undoing).to_string(),
                BulkState::Undone => t_string!(i18n, contacts.bulk.undone, restored = n(job.restored)).to_string(),
            };
            let can_undo = job.state == BulkState::Done && job.changed > 0
                && job.undo_until.is_some_and(|until| until > chrono::Utc::now());
            view! {
                <div class="bulk-status" role="status" data-state=job.state.as_str()>
                    {job.state.working().then(|| view! { <progress max=job.total.max(1) value=job.done></progress> })}
                    <span>{line}</span>
                    {can_undo.then(|| view! { <button type="button" class="button secondary small" on:click=undo>{t!(i18n, contacts.bulk.undo)}</button> })}
                    {(!job.state.working()).then(|| view! {
                        <button type="button" class="icon-button small" aria-label=move || t_string!(i18n, common.close) on:click=move |_| run.set(None)>"×"</button>
                    })}
                </div>
            }
        })}
    }
}
