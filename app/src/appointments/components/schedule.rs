//! New appointment from the calendar: for yourself, or (office staff, managers) for a rep in
//! your scope; once or repeating weekly or monthly; with a reminder. An overlap with the
//! assignee's other appointments is named and can be kept anyway. Every form that schedules
//! asks the business's own appointment fields (see [`ScheduleActions`]).

use crate::appointments::{Appointment, AppointmentForCreate, AppointmentKind, Frequency, Recurrence};
use crate::common::{ApiError, ErrorCode, FieldErrors, UserId};
use crate::fields::FieldDef;
use crate::i18n::*;
use crate::ui::error_text;
use leptos::prelude::*;

/// Saving a new appointment, for every form that schedules one: a 409 overlap shows the clash
/// and turns the next save into "Schedule anyway" (sent with `allow_overlap`).
#[derive(Clone, Copy)]
pub struct Scheduling {
    save: Action<AppointmentForCreate, Result<Appointment, ApiError>>,
    allow: RwSignal<bool>,
    /// What went wrong, for the form's alert line (forms also put their own checks here).
    pub error: RwSignal<Option<String>>,
    /// The business's own appointment fields as the form fills them, and their errors.
    custom: RwSignal<serde_json::Map<String, serde_json::Value>>,
    custom_errors: RwSignal<FieldErrors>,
    /// Those fields' definitions, once [`ScheduleActions`] has them.
    defs: RwSignal<Vec<FieldDef>>,
    i18n: leptos_i18n::I18nContext<Locale>,
}

impl Scheduling {
    /// `on_done` runs with the confirmation message once the appointment is saved.
    pub fn new(on_done: Callback<String>) -> Scheduling {
        let i18n = use_i18n();
        let save =
            crate::ui::browser_action(|body: &AppointmentForCreate| crate::appointments::api::create(body.clone()));
        let (allow, error) = (RwSignal::new(false), RwSignal::new(None::<String>));
        let (custom, custom_errors) = (RwSignal::new(serde_json::Map::new()), RwSignal::new(FieldErrors::new()));
        Effect::new(move || match save.value().get() {
            Some(Ok(_)) => on_done.run(t_string!(i18n, quick.scheduled).to_string()),
            Some(Err(e)) => {
                allow.set(e.code == ErrorCode::Conflict);
                error.set(Some(error_text(i18n, &e)));
                let mut fe = e.field_errors();
                fe.0.retain(|f, _| f.starts_with("custom."));
                custom_errors.set(fe);
            }
            None => {}
        });
        let defs = RwSignal::new(Vec::new());
        Scheduling { save, allow, error, custom, custom_errors, defs, i18n }
    }

    /// Saves `body` with the custom values the form holds, once they pass the checks this
    /// device can run (the server runs them again).
    pub fn dispatch(&self, body: AppointmentForCreate) {
        let custom = self.custom.get_untracked();
        let office = crate::session::current_user().with_untracked(|u| u.role != crate::users::Role::Rep);
        let found = self.defs.with_untracked(|d| crate::fields::components::mistakes(Some(d), None, &custom, office));
        self.custom_errors.set(found.clone());
        if !found.is_empty() {
            let i18n = self.i18n;
            self.error.set(Some(t_string!(i18n, contact_form.fix_fields).to_string()));
            return;
        }
        self.save.dispatch(AppointmentForCreate { allow_overlap: self.allow.get_untracked(), custom, ..body });
    }

    /// A new time is a new question: the overlap must be confirmed again.
    pub fn reset_overlap(&self) {
        self.allow.set(false);
    }
}

/// The business's own appointment fields, the alert line and the form's buttons: cancel, and
/// save (or "Schedule anyway").
#[component]
pub fn ScheduleActions(scheduling: Scheduling, #[prop(into)] on_cancel: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let Scheduling { save, allow, error, custom, custom_errors, defs: known, .. } = scheduling;
    let defs = LocalResource::new(|| crate::fields::api::list(crate::fields::RecordType::Appointment));
    Effect::new(move || {
        if let Some(Ok(d)) = defs.get() {
            known.set(d);
        }
    });
    let office = crate::session::current_user().with_untracked(|u| u.role != crate::users::Role::Rep);
    view! {
        {move || defs.get().and_then(Result::ok).filter(|d| !d.is_empty()).map(|defs| view! {
            <crate::fields::components::CustomInputs defs values=custom errors=custom_errors office/>
        })}
        <p class="form-error" role="alert">{move || error.get()}</p>
        <div class="form-actions">
            <button type="button" class="button secondary" on:click=move |_| on_cancel.run(())>{t!(i18n, common.cancel)}</button>
            <button type="submit" class="button primary" disabled=move || save.pending().get()>
                {move || if allow.get() { t_string!(i18n, quick.schedule_anyway) } else { t_string!(i18n, quick.save_appointment) }}
            </button>
        </div>
    }
}

/// The start and length of a new appointment, for every form that schedules one. A new start is
/// a new question: a confirmed overlap must be confirmed again.
#[component]
pub fn StartAndLength(scheduling: Scheduling, starts: RwSignal<String>, minutes: RwSignal<i64>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label class="field"><span>{t!(i18n, quick.starts)}</span>
            <input name="starts" type="datetime-local" required prop:value=starts on:input=move |ev| {
                scheduling.reset_overlap();
                starts.set(event_target_value(&ev));
            }/>
        </label>
        <label class="field"><span>{t!(i18n, quick.duration)}</span>
            <select name="length" on:change=move |ev| if let Ok(m) = event_target_value(&ev).parse() { minutes.set(m) }>
                {crate::appointments::DURATION_CHOICES.into_iter().map(|m| view! {
                    <option value=m.to_string() selected=move || minutes.get() == m>{move || t_string!(i18n, quick.minutes_n, n = m)}</option>
                }).collect_view()}
            </select>
        </label>
    }
}

/// Reminder choices, in minutes before the start.
const REMINDERS: [i32; 4] = [10, 30, 60, 24 * 60];

#[component]
pub fn ScheduleDialog(
    /// Whether to offer the reps in scope as assignees.
    choose_assignee: bool,
    #[prop(into)] on_done: Callback<String>,
    #[prop(into)] on_cancel: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let reps = LocalResource::new(move || async move {
        if choose_assignee {
            crate::territories::api::reps().await.unwrap_or_default()
        } else {
            Vec::new()
        }
    });
    let kind = RwSignal::new(AppointmentKind::Meeting);
    let title = RwSignal::new(String::new());
    let starts = RwSignal::new(crate::locale::local_input_in(1, 10));
    let minutes = RwSignal::new(crate::appointments::DEFAULT_MINUTES);
    let assignee = RwSignal::new(String::new());
    let repeat = RwSignal::new(String::new());
    let until = RwSignal::new(String::new());
    let reminder = RwSignal::new(String::new());
    let address = RwSignal::new(String::new());
    let notes = RwSignal::new(String::new());
    let scheduling = Scheduling::new(on_done);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(starts_at) = crate::locale::parse_local_input(&starts.get()) else {
            scheduling.error.set(Some(t_string!(i18n, quick.start_required).to_string()));
            return;
        };
        let (frequency, interval) = match repeat.get().as_str() {
            "weekly" => (Some(Frequency::Weekly), 1),
            "fortnightly" => (Some(Frequency::Weekly), 2),
            "monthly" => (Some(Frequency::Monthly), 1),
            _ => (None, 1),
        };
        let recurrence = frequency.map(|frequency| Recurrence {
            frequency,
            interval,
            until: chrono::NaiveDate::parse_from_str(&until.get(), "%Y-%m-%d").ok(),
            count: None,
        });
        scheduling.dispatch(AppointmentForCreate {
            kind: kind.get().as_str().into(),
            title: title.get(),
            starts_at,
            ends_at: Some(starts_at + chrono::Duration::minutes(minutes.get())),
            assignee_id: UserId::parse(&assignee.get()),
            address: Some(address.get()).filter(|a| !a.trim().is_empty()),
            reminder_minutes: reminder.get().parse().ok(),
            notes: Some(notes.get()).filter(|n| !n.trim().is_empty()),
            recurrence,
            ..Default::default()
        });
    };
    view! {
        <form class="card quick-form schedule-dialog" on:submit=submit>
            <h2>{t!(i18n, calendar.new_appointment)}</h2>
            <div class="form-grid">
                <label class="field"><span>{t!(i18n, quick.kind)}</span>
                    <select name="kind" on:change=move |ev| {
                        if let Some(k) = AppointmentKind::parse(&event_target_value(&ev)) { kind.set(k) }
                    }>
                        {AppointmentKind::ALL.into_iter().map(|k| view! {
                            <option value=k.as_str() selected=move || kind.get() == k>{move || super::kind_label(i18n, k)}</option>
                        }).collect_view()}
                    </select>
                </label>
                {choose_assignee.then(|| view! {
                    <label class="field"><span>{t!(i18n, calendar.assignee)}</span>
                        <select name="assignee" on:change=move |ev| assignee.set(event_target_value(&ev))>
                            <option value="">{t!(i18n, calendar.me)}</option>
                            {move || reps.get().unwrap_or_default().into_iter().map(|r| view! {
                                <option value=r.id.to_string()>{r.name.clone()}</option>
                            }).collect_view()}
                        </select>
                    </label>
                })}
            </div>
            <label class="field"><span>{t!(i18n, quick.what)}</span>
                <input name="title" required maxlength="200" prop:value=title on:input=move |ev| title.set(event_target_value(&ev))/>
            </label>
            <div class="form-grid">
                <StartAndLength scheduling starts minutes/>
                <label class="field"><span>{t!(i18n, calendar.repeat)}</span>
                    <select name="repeat" on:change=move |ev| repeat.set(event_target_value(&ev))>
                        <option value="">{t!(i18n, calendar.repeat_none)}</option>
                        <option value="weekly">{t!(i18n, calendar.repeat_weekly)}</option>
                        <option value="fortnightly">{t!(i18n, calendar.repeat_fortnightly)}</option>
                        <option value="monthly">{t!(i18n, calendar.repeat_monthly)}</option>
                    </select>
                </label>
                <Show when=move || !repeat.get().is_empty()>
                    <label class="field"><span>{t!(i18n, calendar.until)}</span>
                        <input name="until" type="date" prop:value=until on:input=move |ev| until.set(event_target_value(&ev))/>
                    </label>
                </Show>
                <label class="field"><span>{t!(i18n, calendar.reminder)}</span>
                    <select name="reminder" on:change=move |ev| reminder.set(event_target_value(&ev))>
                        <option value="">{t!(i18n, calendar.reminder_none)}</option>
                        {REMINDERS.into_iter().map(|m| view! {
                            <option value=m.to_string()>{move || if m == 24 * 60 {
                                t_string!(i18n, calendar.reminder_day).to_string()
                            } else {
                                t_string!(i18n, calendar.reminder_before, n = m).to_string()
                            }}</option>
                        }).collect_view()}
                    </select>
                </label>
            </div>
            <label class="field"><span>{t!(i18n, calendar.place)}</span>
                <input name="address" maxlength="500" prop:value=address on:input=move |ev| address.set(event_target_value(&ev))/>
            </label>
            <label class="field"><span>{t!(i18n, quick.notes)}</span>
                <textarea name="notes" rows="2" prop:value=notes on:input=move |ev| notes.set(event_target_value(&ev))></textarea>
            </label>
            <ScheduleActions scheduling on_cancel/>
        </form>
    }
}
