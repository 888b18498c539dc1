use super::Icon;
use crate::common::{ApiError, ErrorCode, Expected, FieldError};
use crate::i18n::*;
use leptos::prelude::*;

/// A skeleton list while data loads (announced to screen readers).
#[component]
pub fn Loading() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="loading" role="status" aria-live="polite">
            <span class="visually-hidden">{t!(i18n, common.loading)}</span>
            <div class="skeleton"></div>
            <div class="skeleton"></div>
            <div class="skeleton short"></div>
        </div>
    }
}

/// Nothing to show yet, with a hint of what will appear here.
#[component]
pub fn EmptyState(icon: &'static str, #[prop(into)] title: ViewFn, #[prop(into)] hint: ViewFn) -> impl IntoView {
    view! {
        <div class="empty-state">
            <Icon name=icon size=40/>
            <h2>{title.run()}</h2>
            <p>{hint.run()}</p>
        </div>
    }
}

/// A failed load, in words the user can act on, with a retry button.
#[component]
pub fn ErrorState(error: ApiError, #[prop(into)] on_retry: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let message = move || match error.code {
        ErrorCode::Network => t_string!(i18n, common.network).to_string(),
        ErrorCode::Forbidden => t_string!(i18n, common.forbidden).to_string(),
        _ => t_string!(i18n, common.error).to_string(),
    };
    view! {
        <div class="error-state" role="alert">
            <Icon name="alert" size=32/>
            <p>{message}</p>
            <button class="button" on:click=move |_| on_retry.run(())>{t!(i18n, common.retry)}</button>
        </div>
    }
}

/// The translated message for a field error.
pub fn field_error_text(i18n: leptos_i18n::I18nContext<Locale>, error: &FieldError) -> String {
    match error {
        FieldError::Required => t_string!(i18n, field_errors.required).to_string(),
        FieldError::TooLong { max } => t_string!(i18n, field_errors.too_long, max = *max),
        FieldError::TooShort { min } => t_string!(i18n, field_errors.too_short, min = *min),
        FieldError::TooMany { max } => t_string!(i18n, field_errors.too_many, max = *max),
        FieldError::InvalidEmail => t_string!(i18n, field_errors.invalid_email).to_string(),
        FieldError::InvalidPhone => t_string!(i18n, field_errors.invalid_phone).to_string(),
        FieldError::InvalidTimeZone => t_string!(i18n, field_errors.invalid_time_zone).to_string(),
        FieldError::InvalidLocation => t_string!(i18n, field_errors.invalid_location).to_string(),
        FieldError::InvalidCurrency => t_string!(i18n, field_errors.invalid_currency).to_string(),
        FieldError::Negative => t_string!(i18n, field_errors.negative).to_string(),
        FieldError::NotAllowed => t_string!(i18n, field_errors.not_allowed).to_string(),
        FieldError::Taken => t_string!(i18n, field_errors.taken).to_string(),
        FieldError::UnknownField => t_string!(i18n, field_errors.unknown_field).to_string(),
        FieldError::OfficeOnly => t_string!(i18n, field_errors.office_only).to_string(),
        FieldError::MustBe { expected } => match expected {
            Expected::Text => t_string!(i18n, field_errors.must_be_text),
            Expected::Number => t_string!(i18n, field_errors.must_be_number),
            Expected::WholeMinorUnits => t_string!(i18n, field_errors.must_be_money),
            Expected::Date => t_string!(i18n, field_errors.must_be_date),
            Expected::YesNo => t_string!(i18n, field_errors.must_be_yes_no),
            Expected::ChoiceKey => t_string!(i18n, field_errors.must_be_choice),
            Expected::ChoiceKeys => t_string!(i18n, field_errors.must_be_choices),
            Expected::Phone => t_string!(i18n, field_errors.must_be_phone),
            Expected::Email => t_string!(i18n, field_errors.must_be_email),
            Expected::WebAddress => t_string!(i18n, field_errors.must_be_url),
            Expected::RecordId => t_string!(i18n, field_errors.must_be_record),
        }
        .to_string(),
        // Says where a shape goes wrong (coordinates, ring numbers): shown as the server wrote it.
        FieldError::InvalidShape { reason } | FieldError::Invalid { reason } => reason.clone(),
    }
}

/// False on the server and while hydrating, true once the browser has taken over the page: what
/// only the browser can draw (its clock, its `Intl`) waits for it, so hydration matches the
/// server's HTML.
pub fn mounted() -> ReadSignal<bool> {
    let (mounted, set_mounted) = signal(false);
    Effect::new(move || set_mounted.set(true));
    mounted
}

/// Renders its children only in the browser, after hydration; the skeleton until then (on the
/// server and while hydrating, so both render the same HTML).
///
/// Data pages load through `LocalResource`s, which never resolve on the server; hydrating a
/// `Transition` over one from server HTML does not line up in Leptos 0.8 and stops the app on a
/// page that was loaded directly (rather than navigated to).
#[component]
pub fn ClientOnly(children: ChildrenFn) -> impl IntoView {
    let mounted = mounted();
    move || if mounted.get() { children().into_any() } else { view! { <Loading/> }.into_any() }
}

/// A readable message for a failed save: offline, else the first field error, else the error.
pub fn error_text(i18n: leptos_i18n::I18nContext<Locale>, e: &crate::common::ApiError) -> String {
    if e.code == crate::common::ErrorCode::Network {
        return t_string!(i18n, common.network).to_string();
    }
    e.fields.iter().next().map_or_else(|| e.message.clone(), |(field, message)| format!("{field}: {message}"))
}
