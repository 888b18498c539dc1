//! Quick actions on the contact page: log a call, add a note, schedule an appointment, set a
//! follow-up. One form is
//! open at a time; saving closes it and the timeline reloads with the new entry.

use crate::activities::{ActivityForCreate, CallResult};
use crate::appointments::components::{ScheduleActions, Scheduling, StartAndLength};
use crate::appointments::{AppointmentForCreate, AppointmentKind};
use crate::contacts::Contact;
use crate::i18n::*;
use crate::tasks::TaskForCreate;
use crate::ui::{error_text, field_error_text, Icon};
use leptos::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Open {
    None,
    Call,
    Note,
    Schedule,
    FollowUp,
}

fn call_result_label(i18n: leptos_i18n::I18nContext<Locale>, r: CallResult) -> &'static str {
    match r {
        CallResult::Connected => t_string!(i18n, quick.result_connected),
        CallResult::NoAnswer => t_string!(i18n, quick.result_no_answer),
        CallResult::Busy => t_string!(i18n, quick.result_busy),
        CallResult::Voicemail => t_string!(i18n, quick.result_voicemail),
        CallResult::WrongNumber => t_string!(i18n, quick.result_wrong_number),
    }
}

#[component]
pub fn QuickActions(contact: Contact, #[prop(into)] on_logged: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let open = RwSignal::new(Open::None);
    let status = RwSignal::new(None::<String>);
    let done = Callback::new(move |message: String| {
        open.set(Open::None);
        status.set(Some(message));
        on_logged.run(());
    });
    let toggle = move |which: Open| {
        status.set(None);
        open.update(|o| *o = if *o == which { Open::None } else { which });
    };
    let id = contact.id;
    let name = contact.name.clone();
    view! {
        <div class="quick-actions" role="group" aria-label=move || t_string!(i18n, quick.title)>
            <button class="button secondary" aria-expanded=move || (open.get() == Open::Call).to_string() on:click=move |_| toggle(Open::Call)>
                <Icon name="phone" size=20/><span>{t!(i18n, quick.log_call)}</span>
            </button>
            <button class="button secondary" aria-expanded=move || (open.get() == Open::Note).to_string() on:click=move |_| toggle(Open::Note)>
                <Icon name="today" size=20/><span>{t!(i18n, quick.add_note)}</span>
            </button>
            <button class="button secondary" aria-expanded=move || (open.get() == Open::Schedule).to_string() on:click=move |_| toggle(Open::Schedule)>
                <Icon name="calendar" size=20/><span>{t!(i18n, quick.schedule)}</span>
            </button>
            <button class="button secondary" aria-expanded=move || (open.get() == Open::FollowUp).to_string() on:click=move |_| toggle(Open::FollowUp)>
                <Icon name="clock" size=20/><span>{t!(i18n, quick.follow_up)}</span>
            </button>
        </div>
        <p class="saved" role="status">{move || status.get()}</p>
        {move || match open.get() {
            Open::Call => view! { <CallForm id done on_cancel=move |()| open.set(Open::None)/> }.into_any(),
            Open::Note => view! { <NoteForm id done on_cancel=move |()| open.set(Open::None)/> }.into_any(),
            Open::Schedule => view! { <ScheduleForm id name=name.clone() done on_cancel=move |()| open.set(Open::None)/> }.into_any(),
            Open::FollowUp => view! { <FollowUpForm id name=name.clone() done on_cancel=move |()| open.set(Open::None)/> }.into_any(),
            Open::None => ().into_any(),
        }}
    }
}

#[component]
fn CallForm(
    id: crate::common::ContactId,
    done: Callback<String>,
    #[prop(into)] on_cancel: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let direction = RwSignal::new("outbound".to_string());
    let result = RwSignal::new("connected".to_string());
    let minutes = RwSignal::new(String::new());
    let notes = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let save =
        crate::ui::browser_action(move |body: &ActivityForCreate| crate::contacts::api::log_activity(id, body.clone()));
    Effect::new(move || match save.value().get() {
        Some(Ok(_)) => done.run(t_string!(i18n, quick.call_logged).to_string()),
        Some(Err(e)) => error.set(Some(error_text(i18n, &e))),
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        #[allow(clippy::cast_possible_truncation)] // saturates: a call's length typed in minutes
        let duration_s = minutes.get().trim().parse::<f64>().ok().map(|m| (m * 60.0).round() as i64);
        save.dispatch(ActivityForCreate {
            kind: "call".into(),
            direction: Some(direction.get()),
            result: Some(result.get()),
            duration_s,
            body: notes.get(),
            ..Default::default()
        });
    };
    view! {
        <form class="card quick-form" on:submit=submit>
            <h2>{t!(i18n, quick.log_call)}</h2>
            <fieldset class="field">
                <legend>{t!(i18n, quick.direction)}</legend>
                <div class="segmented">
                    <label><input type="radio" name="direction" value="outbound" checked on:change=move |_| direction.set("outbound".into())/>{t!(i18n, quick.outbound)}</label>
                    <label><input type="radio" name="direction" value="inbound" on:change=move |_| direction.set("inbound".into())/>{t!(i18n, quick.inbound)}</label>
                </div>
            </fieldset>
            <div class="form-grid">
                <label class="field"><span>{t!(i18n, quick.result)}</span>
                    <select name="result" on:change=move |ev| result.set(event_target_value(&ev))>
                        {CallResult::ALL.into_iter().map(|r| view! { <option value=r.as_str()>{move || call_result_label(i18n, r)}</option> }).collect_view()}
                    </select>
                </label>
                <label class="field"><span>{t!(i18n, quick.minutes)}</span>
                    <input type="number" name="minutes" min="0" max="1440" step="0.5" inputmode="decimal" prop:value=minutes on:input=move |ev| minutes.set(event_target_value(&ev))/>
                </label>
            </div>
            <label class="field"><span>{t!(i18n, quick.notes)}</span>
                <textarea name="notes" rows="3" prop:value=notes on:input=move |ev| notes.set(event_target_value(&ev))></textarea>
            </label>
            <p class="form-error" role="alert">{move || error.get()}</p>
            <div class="form-actions">
                <button type="button" class="button secondary" on:click=move |_| on_cancel.run(())>{t!(i18n, common.cancel)}</button>
                <button type="submit" class="button primary" disabled=move || save.pending().get()>{t!(i18n, quick.save_call)}</button>
            </div>
        </form>
    }
}

#[component]
fn NoteForm(
    id: crate::common::ContactId,
    done: Callback<String>,
    #[prop(into)] on_cancel: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let body = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let save = crate::ui::browser_action(move |text: &String| {
        crate::contacts::api::log_activity(
            id,
            ActivityForCreate { kind: "note".into(), body: text.clone(), ..Default::default() },
        )
    });
    Effect::new(move || match save.value().get() {
        Some(Ok(_)) => done.run(t_string!(i18n, quick.note_added).to_string()),
        Some(Err(e)) if e.fields.contains_key("body") => {
            error.set(Some(field_error_text(i18n, &crate::common::FieldError::Required)));
        }
        Some(Err(e)) => error.set(Some(error_text(i18n, &e))),
        None => {}
    });
    view! {
        <form class="card quick-form" on:submit=move |ev| { ev.prevent_default(); save.dispatch(body.get()); }>
            <h2>{t!(i18n, quick.add_note)}</h2>
            <label class="field"><span>{t!(i18n, quick.note)}</span>
                <textarea name="note" rows="4" required prop:value=body on:input=move |ev| body.set(event_target_value(&ev))></textarea>
            </label>
            <p class="form-error" role="alert">{move || error.get()}</p>
            <div class="form-actions">
                <button type="button" class="button secondary" on:click=move |_| on_cancel.run(())>{t!(i18n, common.cancel)}</button>
                <button type="submit" class="button primary" disabled=move || save.pending().get()>{t!(i18n, quick.save_note)}</button>
            </div>
        </form>
    }
}

#[component]
fn FollowUpForm(
    id: crate::common::ContactId,
    name: String,
    done: Callback<String>,
    #[prop(into)] on_cancel: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let title = RwSignal::new(t_string!(i18n, quick.follow_up_default, name = name.clone()).to_string());
    let due = RwSignal::new(crate::locale::local_input_in(1, 10));
    let error = RwSignal::new(None::<String>);
    let save = crate::ui::browser_action(move |body: &TaskForCreate| crate::tasks::api::create(body.clone()));
    Effect::new(move || match save.value().get() {
        Some(Ok(_)) => done.run(t_string!(i18n, quick.follow_up_set).to_string()),
        Some(Err(e)) => error.set(Some(error_text(i18n, &e))),
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(due_at) = crate::locale::parse_local_input(&due.get()) else {
            error.set(Some(t_string!(i18n, quick.due_required).to_string()));
            return;
        };
        save.dispatch(TaskForCreate { title: title.get(), due_at, contact_id: Some(id), ..Default::default() });
    };
    view! {
        <form class="card quick-form" on:submit=submit>
            <h2>{t!(i18n, quick.follow_up)}</h2>
            <label class="field"><span>{t!(i18n, quick.what)}</span>
                <input name="title" required maxlength="200" prop:value=title on:input=move |ev| title.set(event_target_value(&ev))/>
            </label>
            <label class="field"><span>{t!(i18n, quick.due)}</span>
                <input name="due" type="datetime-local" required prop:value=due on:input=move |ev| due.set(event_target_value(&ev))/>
            </label>
            <div class="segmented">
                <button type="button" class="chip" on:click=move |_| due.set(crate::locale::local_input_in(0, 17))>{t!(i18n, quick.later_today)}</button>
                <button type="button" class="chip" on:click=move |_| due.set(crate::locale::local_input_in(1, 10))>{t!(i18n, quick.tomorrow)}</button>
                <button type="button" class="chip" on:click=move |_| due.set(crate::locale::local_input_in(7, 10))>{t!(i18n, quick.next_week)}</button>
            </div>
            <p class="form-error" role="alert">{move || error.get()}</p>
            <div class="form-actions">
                <button type="button" class="button secondary" on:click=move |_| on_cancel.run(())>{t!(i18n, common.cancel)}</button>
                <button type="submit" class="button primary" disabled=move || save.pending().get()>{t!(i18n, quick.save_follow_up)}</button>
            </div>
        </form>
    }
}

#[component]
fn ScheduleForm(
    id: crate::common::ContactId,
    name: String,
    done: Callback<String>,
    #[prop(into)] on_cancel: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let kind = RwSignal::new(AppointmentKind::Meeting);
    let title = RwSignal::new(t_string!(i18n, quick.schedule_default, name = name.clone()).to_string());
    let starts = RwSignal::new(crate::locale::local_input_in(1, 10));
    let minutes = RwSignal::new(crate::appointments::DEFAULT_MINUTES);
    let notes = RwSignal::new(String::new());
    let scheduling = Scheduling::new(done);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(starts_at) = crate::locale::parse_local_input(&starts.get()) else {
            scheduling.error.set(Some(t_string!(i18n, quick.start_required).to_string()));
            return;
        };
        scheduling.dispatch(AppointmentForCreate {
            kind: kind.get().as_str().into(),
            title: title.get(),
            starts_at,
            ends_at: Some(starts_at + chrono::Duration::minutes(minutes.get())),
            contact_id: Some(id),
            notes: Some(notes.get()),
            ..Default::default()
        });
    };
    let kinds = [AppointmentKind::Meeting, AppointmentKind::Call, AppointmentKind::Showing];
    view! {
        <form class="card quick-form" on:submit=submit>
            <h2>{t!(i18n, quick.schedule)}</h2>
            <fieldset class="field">
                <legend>{t!(i18n, quick.kind)}</legend>
                <div class="segmented">
                    {kinds.into_iter().map(|k| view! {
                        <label><input type="radio" name="kind" value=k.as_str() checked=move || kind.get() == k on:change=move |_| kind.set(k)/>
                            {move || crate::appointments::components::kind_label(i18n, k)}</label>
                    }).collect_view()}
                </div>
            </fieldset>
            <label class="field"><span>{t!(i18n, quick.what)}</span>
                <input name="title" required maxlength="200" prop:value=title on:input=move |ev| title.set(event_target_value(&ev))/>
            </label>
            <div class="form-grid">
                <StartAndLength scheduling starts minutes/>
            </div>
            <label class="field"><span>{t!(i18n, quick.notes)}</span>
                <textarea name="notes" rows="2" prop:value=notes on:input=move |ev| notes.set(event_target_value(&ev))></textarea>
            </label>
            <ScheduleActions scheduling on_cancel/>
        </form>
    }
}
