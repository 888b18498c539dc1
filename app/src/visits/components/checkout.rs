//! Check-out: the outcome (from the configured list), notes, the buyer's reaction at a
//! showing, and the next step — a follow-up or the next appointment.

use crate::common::VisitId;
use crate::i18n::*;
use crate::ui::error_text;
use crate::visits::{BuyerReaction, NextStep, VisitForCheckOut};
use leptos::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Next {
    Nothing,
    FollowUp,
    Appointment,
}

pub fn reaction_label(i18n: leptos_i18n::I18nContext<Locale>, r: BuyerReaction) -> &'static str {
    match r {
        BuyerReaction::Loved => t_string!(i18n, visits.reaction_loved),
        BuyerReaction::Liked => t_string!(i18n, visits.reaction_liked),
        BuyerReaction::Neutral => t_string!(i18n, visits.reaction_neutral),
        BuyerReaction::Disliked => t_string!(i18n, visits.reaction_disliked),
    }
}

/// `name`: whom the visit was with (for the default titles); `showing`: ask for the buyer's
/// reaction. `on_done` runs with the confirmation message once saved.
#[component]
pub fn CheckOutForm(
    id: VisitId,
    name: String,
    showing: bool,
    #[prop(into)] on_done: Callback<String>,
    #[prop(into)] on_cancel: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let outcomes = LocalResource::new(crate::visits::api::outcomes);
    let outcome = RwSignal::new(String::new());
    let notes = RwSignal::new(String::new());
    let reaction = RwSignal::new(String::new());
    let next = RwSignal::new(Next::Nothing);
    let follow_up_title = t_string!(i18n, visits.follow_up_default, name = name.clone()).to_string();
    let appointment_title = t_string!(i18n, visits.appointment_default, name = name.clone()).to_string();
    let title = RwSignal::new(follow_up_title.clone());
    let when = RwSignal::new(crate::locale::local_input_in(1, 10));
    let error = RwSignal::new(None::<String>);
    // The business's check-out questions (kept on the device, so they are asked offline too).
    let questions = LocalResource::new(|| crate::fields::api::list(crate::fields::RecordType::Visit));
    let answers = RwSignal::new(serde_json::Map::new());
    let answer_errors = RwSignal::new(crate::common::FieldErrors::new());
    let office = crate::session::current_user().with_untracked(|u| u.role != crate::users::Role::Rep);
    // The questions this check-out asks: at a showing or not, for the outcome chosen; every
    // question may be answered, those that apply and are required must be.
    let asked = move || -> Vec<crate::fields::FieldDef> {
        let defs = questions.get().and_then(Result::ok).unwrap_or_default();
        crate::fields::asked(&defs, showing, &outcome.get())
    };
    let save =
        crate::ui::browser_action(move |body: &VisitForCheckOut| crate::visits::api::check_out(id, body.clone()));
    Effect::new(move || match save.value().get() {
        Some(Ok(_)) => on_done.run(t_string!(i18n, visits.checked_out).to_string()),
        Some(Err(e)) => {
            let mut fe = e.field_errors();
            fe.0.retain(|f, _| f.starts_with("custom."));
            answer_errors.set(fe);
            error.set(Some(error_text(i18n, &e)));
        }
        None => {}
    });
    let choose = StoredValue::new(move |which: Next| {
        next.set(which);
        match which {
            Next::FollowUp => title.set(follow_up_title.clone()),
            Next::Appointment => title.set(appointment_title.clone()),
            Next::Nothing => {}
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if outcome.get().is_empty() {
            error.set(Some(t_string!(i18n, visits.outcome_required).to_string()));
            return;
        }
        let writer = crate::fields::Writer { office_and_up: office };
        let answered = answers.get();
        if let Err(e) = crate::fields::apply(&asked(), None, &answered, writer) {
            answer_errors.set(e);
            error.set(Some(t_string!(i18n, visits.answer_questions).to_string()));
            return;
        }
        answer_errors.set(crate::common::FieldErrors::new());
        let at = crate::locale::parse_local_input(&when.get());
        let next_step = match (next.get(), at) {
            (Next::Nothing, _) => None,
            (_, None) => {
                error.set(Some(t_string!(i18n, quick.due_required).to_string()));
                return;
            }
            (Next::FollowUp, Some(due_at)) => Some(NextStep::FollowUp { title: title.get(), due_at }),
            (Next::Appointment, Some(starts_at)) => {
                Some(NextStep::Appointment { title: title.get(), starts_at, ends_at: None })
            }
        };
        save.dispatch(VisitForCheckOut {
            outcome: outcome.get(),
            notes: Some(notes.get()).filter(|n| !n.trim().is_empty()),
            buyer_reaction: Some(reaction.get()).filter(|r| !r.is_empty()),
            next_step,
            custom: answered.into_iter().filter(|(_, v)| !v.is_null()).collect(),
            ..Default::default()
        });
    };
    let radio = move |which: Next, label: &'static str| {
        view! {
            <label class="chip-radio">
                <input type="radio" name="next" checked=move || next.get() == which on:change=move |_| choose.with_value(|f| f(which))/>
                <span>{label}</span>
            </label>
        }
    };
    view! {
        <form class="card quick-form checkout" on:submit=submit>
            <h2>{t!(i18n, visits.check_out)}</h2>
            <label class="field"><span>{t!(i18n, visits.outcome)}</span>
                <select name="outcome" required on:change=move |ev| outcome.set(event_target_value(&ev))>
                    <option value="" selected>{t!(i18n, visits.choose_outcome)}</option>
                    {move || outcomes.get().and_then(Result::ok).unwrap_or_default().into_iter()
                        .map(|o| view! { <option value=o.clone()>{o.clone()}</option> }).collect_view()}
                </select>
            </label>
            {showing.then(|| view! {
                <label class="field"><span>{t!(i18n, visits.reaction)}</span>
                    <select name="reaction" on:change=move |ev| reaction.set(event_target_value(&ev))>
                        <option value="">"—"</option>
                        {BuyerReaction::ALL.into_iter().map(|r| view! { <option value=r.as_str()>{move || reaction_label(i18n, r)}</option> }).collect_view()}
                    </select>
                </label>
            })}
            {move || {
                let asked = asked();
                (!asked.is_empty()).then(|| view! {
                    <crate::fields::components::CustomInputs defs=asked values=answers errors=answer_errors office/>
                })
            }}
            <label class="field"><span>{t!(i18n, visits.notes)}</span>
                <textarea name="notes" rows="3" prop:value=notes on:input=move |ev| notes.set(event_target_value(&ev))></textarea>
            </label>
            <fieldset class="field">
                <legend>{t!(i18n, visits.next_step)}</legend>
                <div class="segmented">
                    {radio(Next::Nothing, t_string!(i18n, visits.next_none))}
                    {radio(Next::FollowUp, t_string!(i18n, visits.next_follow_up))}
                    {radio(Next::Appointment, t_string!(i18n, visits.next_appointment))}
                </div>
            </fieldset>
            <Show when=move || next.get() != Next::Nothing>
                <label class="field"><span>{t!(i18n, visits.next_title)}</span>
                    <input name="next_title" required maxlength="200" prop:value=title on:input=move |ev| title.set(event_target_value(&ev))/>
                </label>
                <label class="field"><span>{t!(i18n, visits.when)}</span>
                    <input name="when" type="datetime-local" required prop:value=when on:input=move |ev| when.set(event_target_value(&ev))/>
                </label>
                <div class="segmented">
                    <button type="button" class="chip" on:click=move |_| when.set(crate::locale::local_input_in(0, 17))>{t!(i18n, quick.later_today)}</button>
                    <button type="button" class="chip" on:click=move |_| when.set(crate::locale::local_input_in(1, 10))>{t!(i18n, quick.tomorrow)}</button>
                    <button type="button" class="chip" on:click=move |_| when.set(crate::locale::local_input_in(7, 10))>{t!(i18n, quick.next_week)}</button>
                </div>
            </Show>
            <p class="form-error" role="alert">{move || error.get()}</p>
            <div class="form-actions">
                <button type="button" class="button secondary" on:click=move |_| on_cancel.run(())>{t!(i18n, common.cancel)}</button>
                <button type="submit" class="button primary" disabled=move || save.pending().get()>{t!(i18n, visits.save)}</button>
            </div>
        </form>
    }
}
