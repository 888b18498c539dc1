//! Follow-ups: what is due today (overdue first), what is open, what is done. Ticking one off
//! is one tap.

use crate::common::TaskId;
use crate::i18n::*;
use crate::locale::{format_instant, Style};
use crate::tasks::{Task, TaskForUpdate};
use crate::ui::{ClientOnly, EmptyState, ErrorState, Loading};
use leptos::prelude::*;
use leptos_router::components::A;

const TABS: [&str; 3] = ["today", "open", "done"];

#[component]
pub fn TasksPage() -> impl IntoView {
    let i18n = use_i18n();
    let tab = RwSignal::new("today");
    let tasks = LocalResource::new(move || crate::tasks::api::list(tab.get()));
    let label = move |t: &str| match t {
        "today" => t_string!(i18n, tasks.today),
        "open" => t_string!(i18n, tasks.open),
        _ => t_string!(i18n, tasks.done),
    };
    view! {
        <section class="page narrow">
            <header class="page-header"><h1>{t!(i18n, tasks.title)}</h1></header>
            <div class="segmented" role="tablist">
                {TABS.into_iter().map(|t| view! {
                    <button class="chip" role="tab" aria-selected=move || (tab.get() == t).to_string() on:click=move |_| tab.set(t)>
                        {move || label(t)}
                    </button>
                }).collect_view()}
            </div>
            <ClientOnly><Transition fallback=Loading>
                {move || tasks.get().map(|result| match result {
                    Ok(page) if page.items.is_empty() => view! {
                        <EmptyState icon="today" title=move || t!(i18n, tasks.empty) hint=move || t!(i18n, tasks.empty_hint)/>
                    }.into_any(),
                    Ok(page) => view! {
                        <ul class="record-list task-list">
                            {page.items.into_iter().map(|task| view! { <TaskRow task on_changed=move |()| tasks.refetch()/> }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(error) => view! { <ErrorState error on_retry=move |()| tasks.refetch()/> }.into_any(),
                })}
            </Transition></ClientOnly>
        </section>
    }
}

#[component]
fn TaskRow(task: Task, #[prop(into)] on_changed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let id: TaskId = task.id;
    let overdue = task.is_overdue(chrono::Utc::now());
    let toggle = crate::ui::browser_action(move |done: &bool| {
        crate::tasks::api::update(id, TaskForUpdate { done: Some(*done), ..Default::default() })
    });
    Effect::new(move || {
        if let Some(Ok(_)) = toggle.value().get() {
            on_changed.run(());
        }
    });
    let zone = crate::session::current_user().get_untracked().time_zone.as_str().to_string();
    let due = task.due_at;
    let done = task.done;
    let title = task.title.clone();
    view! {
        <li class="record task" class:overdue=overdue class:done=done>
            <label class="task-check">
                <input type="checkbox" checked=done disabled=move || toggle.pending().get()
                    on:change=move |ev| { toggle.dispatch(event_target_checked(&ev)); }/>
                <span class="visually-hidden">{move || t_string!(i18n, tasks.mark_done, title = title.clone())}</span>
            </label>
            <div class="record-main">
                <strong>{task.title.clone()}</strong>
                {task.contact_id.map(|c| view! {
                    <A href=format!("/contacts/{c}") attr:class="small">{task.contact_name.clone().unwrap_or_default()}</A>
                })}
                <p class="muted small">
                    {overdue.then(|| view! { <span class="badge overdue">{t!(i18n, tasks.overdue)}</span>" " })}
                    <time datetime=due.to_rfc3339()>{move || format_instant(due, &zone, i18n.get_locale(), Style::DateTime)}</time>
                </p>
            </div>
        </li>
    }
}
