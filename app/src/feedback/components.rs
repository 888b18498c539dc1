//! The survey a feedback link opens (`/feedback/{token}`): no sign-in, in the contact's
//! language, big targets for a thumb; one answer per link.

use super::FeedbackAnswer;
use crate::common::ErrorCode;
use crate::i18n::*;
use crate::locale::to_locale;
use crate::ui::{ClientOnly, Icon, Loading};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn SurveyPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let token = move || params.with(|p| p.get("token").unwrap_or_default());
    let survey = LocalResource::new(move || super::api::survey(token()));
    let csat = RwSignal::new(None::<i32>);
    let nps = RwSignal::new(None::<i32>);
    let comment = RwSignal::new(String::new());
    let sent = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    Effect::new(move || {
        if let Some(Ok(s)) = survey.get() {
            i18n.set_locale(to_locale(s.language));
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let answer = FeedbackAnswer {
            csat: csat.get_untracked(),
            nps: nps.get_untracked(),
            comment: Some(comment.get_untracked()),
        };
        if answer.validate().is_err() {
            error.set(Some(t_string!(i18n, survey.pick_a_score).to_string()));
            return;
        }
        error.set(None);
        busy.set(true);
        leptos::task::spawn_local(async move {
            match super::api::answer(token(), answer).await {
                Ok(()) => sent.set(true),
                Err(e) if e.code == ErrorCode::Conflict => sent.set(true),
                Err(e) if e.code == ErrorCode::Network => error.set(Some(t_string!(i18n, common.network).to_string())),
                Err(e) => error.set(Some(e.message)),
            }
            busy.set(false);
        });
    };
    view! {
        <main class="page narrow survey" id="main">
            <p class="brand-line"><strong>{t!(i18n, app_name)}</strong></p>
            <ClientOnly><Transition fallback=Loading>
                {move || survey.get().map(|result| match result {
                    _ if sent.get() => view! {
                        <div class="card survey-done" role="status">
                            <Icon name="check" size=40/>
                            <h1>{t!(i18n, survey.thanks)}</h1>
                            <p class="muted">{t!(i18n, survey.thanks_hint)}</p>
                        </div>
                    }.into_any(),
                    Ok(s) => {
                        let (first_name, rep_name, day) = (s.first_name.clone(), s.rep_name.clone(), s.visited_on.format("%Y-%m-%d").to_string());
                        view! {
                            <form class="card survey-form" on:submit=submit>
                                <h1>{move || t_string!(i18n, survey.greeting, name = first_name.clone())}</h1>
                                <p class="muted">{move || t_string!(i18n, survey.intro, rep = rep_name.clone(), day = day.clone())}</p>
                                <fieldset class="field">
                                    <legend>{t!(i18n, survey.csat_question)}</legend>
                                    <div class="score-row csat" role="radiogroup">
                                        {(1..=5).map(|n| view! {
                                            <label class="score">
                                                <input type="radio" name="csat" value=n.to_string() prop:checked=move || csat.get() == Some(n)
                                                    on:change=move |_| csat.set(Some(n))/>
                                                <span>{n}</span>
                                            </label>
                                        }).collect_view()}
                                    </div>
                                    <p class="score-ends muted small"><span>{t!(i18n, survey.csat_low)}</span><span>{t!(i18n, survey.csat_high)}</span></p>
                                </fieldset>
                                <fieldset class="field">
                                    <legend>{t!(i18n, survey.nps_question)}</legend>
                                    <div class="score-row nps" role="radiogroup">
                                        {(0..=10).map(|n| view! {
                                            <label class="score">
                                                <input type="radio" name="nps" value=n.to_string() prop:checked=move || nps.get() == Some(n)
                                                    on:change=move |_| nps.set(Some(n))/>
                                                <span>{n}</span>
                                            </label>
                                        }).collect_view()}
                                    </div>
                                    <p class="score-ends muted small"><span>{t!(i18n, survey.nps_low)}</span><span>{t!(i18n, survey.nps_high)}</span></p>
                                </fieldset>
                                <label class="field">
                                    <span>{t!(i18n, survey.comment)}</span>
                                    <textarea name="comment" rows="4" maxlength="2000" prop:value=comment
                                        on:input=move |ev| comment.set(event_target_value(&ev))></textarea>
                                </label>
                                <p class="field-error" role="alert">{move || error.get()}</p>
                                <button type="submit" class="button primary block" prop:disabled=busy>{t!(i18n, survey.send)}</button>
                            </form>
                        }.into_any()
                    }
                    Err(e) => {
                        let message = match e.code {
                            ErrorCode::Conflict => t_string!(i18n, survey.used).to_string(),
                            ErrorCode::Unprocessable => t_string!(i18n, survey.expired).to_string(),
                            ErrorCode::Network => t_string!(i18n, common.network).to_string(),
                            _ => t_string!(i18n, survey.unknown).to_string(),
                        };
                        view! {
                            <div class="card survey-done" role="alert">
                                <Icon name="alert" size=40/>
                                <h1>{message}</h1>
                            </div>
                        }.into_any()
                    }
                })}
            </Transition></ClientOnly>
        </main>
    }
}
