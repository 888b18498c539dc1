//! Reps' books on the manager's map: what each rep holds, and moving all of it to other reps
//! when one leaves (see [`crate::users::book`]).

use crate::common::{ApiError, UserId};
use crate::i18n::*;
use crate::locale::format_count;
use crate::territories::RepOption;
use crate::ui::{confirm, ErrorState, Loading};
use crate::users::book::BookMoved;
use leptos::prelude::*;

#[component]
pub fn RepBooks() -> impl IntoView {
    let i18n = use_i18n();
    let reps = LocalResource::new(crate::territories::api::reps);
    let open = RwSignal::new(None::<UserId>);
    let notice = RwSignal::new(None::<String>);
    view! {
        <section class="rep-books" aria-labelledby="rep-books-title">
            <h3 id="rep-books-title">{t!(i18n, book.title)}</h3>
            <p class="small muted">{t!(i18n, book.intro)}</p>
            <p class="notice" role="status">{move || notice.get()}</p>
            {move || reps.get().map(|result| match result {
                Ok(list) => {
                    let all = list.clone();
                    view! {
                        <ul class="rep-rows">
                            {list.into_iter().map(|rep| {
                                let id = rep.id;
                                let all = all.clone();
                                let name = rep.name.clone();
                                view! {
                                    <li data-rep=id.to_string()>
                                        <div class="rep-row">
                                            <span>{rep.name.clone()}</span>
                                            <button type="button" class="button secondary small" aria-expanded=move || (open.get() == Some(id)).to_string()
                                                aria-label=move || t_string!(i18n, book.move_label, name = name.clone()).to_string()
                                                on:click=move |_| open.update(|o| *o = if *o == Some(id) { None } else { Some(id) })>
                                                {t!(i18n, book.move_button)}
                                            </button>
                                        </div>
                                        {move || (open.get() == Some(id)).then(|| view! {
                                            <MoveBook from=rep.clone() reps=all.clone() open notice/>
                                        })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }
                Err(error) => view! { <ErrorState error on_retry=move |()| reps.refetch()/> }.into_any(),
            })}
        </section>
    }
}

/// The form under a rep: what they hold, and the reps to give it to.
#[component]
fn MoveBook(
    from: RepOption,
    reps: Vec<RepOption>,
    open: RwSignal<Option<UserId>>,
    notice: RwSignal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let from_id = from.id;
    let book = LocalResource::new(move || crate::users::api::book(from_id));
    let chosen = RwSignal::new(Vec::<UserId>::new());
    let error = RwSignal::new(None::<ApiError>);
    let pending = RwSignal::new(false);
    let names = StoredValue::new(reps.clone());
    let n = move |v: i64| format_count(v, i18n.get_locale());
    let from_name = from.name.clone();
    let summary = move |moved: &BookMoved| {
        let parts: Vec<String> = moved
            .to
            .iter()
            .map(|t| {
                let name = names
                    .with_value(|r| r.iter().find(|r| r.id == t.rep_id).map(|r| r.name.clone()).unwrap_or_default());
                t_string!(
                    i18n,
                    book.moved_to,
                    name = name,
                    contacts = n(t.book.contacts),
                    deals = n(t.book.open_deals),
                    tasks = n(t.book.open_tasks),
                    appointments = n(t.book.upcoming_appointments)
                )
                .to_string()
            })
            .collect();
        t_string!(i18n, book.moved, name = from.name.clone(), parts = parts.join("; ")).to_string()
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let to = chosen.get_untracked();
        if to.is_empty() || !confirm(&t_string!(i18n, book.confirm, name = from_name.clone())) {
            return;
        }
        pending.set(true);
        error.set(None);
        let summary = summary.clone();
        leptos::task::spawn_local(async move {
            match crate::users::api::move_book(from_id, to).await {
                Ok(moved) => {
                    notice.set(Some(summary(&moved)));
                    open.set(None);
                }
                Err(e) => error.set(Some(e)),
            }
            pending.set(false);
        });
    };
    let others: Vec<RepOption> = reps.into_iter().filter(|r| r.id != from_id).collect();
    view! {
        <form class="move-book" on:submit=submit>
            {move || match book.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Ok(b)) => view! {
                    <p data-testid="book-holds">{t_string!(i18n, book.holds, contacts = n(b.contacts), deals = n(b.open_deals),
                        tasks = n(b.open_tasks), appointments = n(b.upcoming_appointments)).to_string()}</p>
                }.into_any(),
                Some(Err(error)) => view! { <ErrorState error on_retry=move |()| book.refetch()/> }.into_any(),
            }}
            <fieldset class="field">
                <legend>{t!(i18n, book.give_to)}</legend>
                {others.into_iter().map(|r| {
                    let id = r.id;
                    view! {
                        <label class="checkbox">
                            <input type="checkbox" on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                chosen.update(|c| if on { c.push(id) } else { c.retain(|x| *x != id) });
                            }/>
                            {r.name}
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            <p class="small muted">{t!(i18n, book.rule)}</p>
            {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e.message}</p> })}
            <div class="form-actions">
                <button type="submit" class="button primary" disabled=move || pending.get() || chosen.with(Vec::is_empty)>
                    {t!(i18n, book.submit)}
                </button>
                <button type="button" class="button secondary" on:click=move |_| open.set(None)>{t!(i18n, common.cancel)}</button>
            </div>
        </form>
    }
}
