//! Admin: users — list, add, edit, deactivate/reactivate, reset password.

use crate::common::{ApiError, ErrorCode, FieldError, UserId};
use crate::i18n::*;
use crate::ui::role_label;
use crate::ui::{confirm, field_error_text, ClientOnly, ErrorState, Icon, Loading};
use crate::users::{Role, User, UserForCreate, UserForUpdate};
use leptos::prelude::*;

/// Which panel is open above the list.
#[derive(Debug, Clone, PartialEq)]
enum Panel {
    Closed,
    Add,
    Edit(User),
    Password(User),
}

#[component]
pub fn UsersPage() -> impl IntoView {
    let i18n = use_i18n();
    let users = LocalResource::new(crate::users::api::list);
    let panel = RwSignal::new(Panel::Closed);
    let notice = RwSignal::new(None::<String>);
    let done = Callback::new(move |message: String| {
        panel.set(Panel::Closed);
        notice.set(Some(message));
        users.refetch();
    });

    view! {
        <section class="page">
            <header class="page-header with-action">
                <div>
                    <h1>{t!(i18n, users.title)}</h1>
                    <p class="muted">{t!(i18n, users.intro)}</p>
                </div>
                <button class="button primary" on:click=move |_| panel.set(Panel::Add)>{t!(i18n, users.add)}</button>
            </header>
            <p class="notice" role="status">{move || notice.get()}</p>
            {move || match panel.get() {
                Panel::Closed => ().into_any(),
                Panel::Add => view! { <UserForm existing=None on_done=done on_cancel=move || panel.set(Panel::Closed)/> }.into_any(),
                Panel::Edit(u) => view! { <UserForm existing=Some(u) on_done=done on_cancel=move || panel.set(Panel::Closed)/> }.into_any(),
                Panel::Password(u) => view! { <PasswordForm user=u on_done=done on_cancel=move || panel.set(Panel::Closed)/> }.into_any(),
            }}
            <ClientOnly><Transition fallback=Loading>
                {move || users.get().map(|result| match result {
                    Ok(list) => view! { <UserList users=list panel on_changed=done/> }.into_any(),
                    Err(error) => view! { <ErrorState error on_retry=move |()| users.refetch()/> }.into_any(),
                })}
            </Transition></ClientOnly>
        </section>
    }
}

#[component]
fn UserList(users: Vec<User>, panel: RwSignal<Panel>, on_changed: Callback<String>) -> impl IntoView {
    let i18n = use_i18n();
    let managers: Vec<(UserId, String)> = users.iter().map(|u| (u.id, u.name.clone())).collect();
    view! {
        <div class="table-wrap">
            <table class="data-table">
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, common.name)}</th>
                        <th scope="col">{t!(i18n, common.role)}</th>
                        <th scope="col">{t!(i18n, users.manager)}</th>
                        <th scope="col">{t!(i18n, common.status)}</th>
                        <th scope="col"><span class="visually-hidden">{t!(i18n, common.actions)}</span></th>
                    </tr>
                </thead>
                <tbody>
                    {users.into_iter().map(|user| {
                        let manager = user.manager_id.and_then(|m| managers.iter().find(|(id, _)| *id == m).map(|(_, n)| n.clone()));
                        let (edit, reset, toggle) = (user.clone(), user.clone(), user.clone());
                        let name_for_label = user.name.clone();
                        view! {
                            <tr class:inactive=!user.active>
                                <td><strong>{user.name.clone()}</strong><br/><small class="muted">{user.email.to_string()}</small></td>
                                <td>{move || role_label(i18n, user.role)}</td>
                                <td>{manager.unwrap_or_else(|| "—".into())}</td>
                                <td>{move || if user.active { t_string!(i18n, common.active) } else { t_string!(i18n, common.inactive) }}</td>
                                <td class="row-actions">
                                    <button class="button small" on:click=move |_| panel.set(Panel::Edit(edit.clone()))
                                        aria-label=move || t_string!(i18n, users.edit, name = name_for_label.clone())>
                                        {t!(i18n, users.edit, name = "")}
                                    </button>
                                    <button class="button small" on:click=move |_| panel.set(Panel::Password(reset.clone()))>
                                        {t!(i18n, users.reset_password)}
                                    </button>
                                    <ActiveToggle user=toggle on_changed/>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// Deactivate (after confirmation) or reactivate a user.
#[component]
fn ActiveToggle(user: User, on_changed: Callback<String>) -> impl IntoView {
    let i18n = use_i18n();
    let error = RwSignal::new(None::<String>);
    let active = user.active;
    let act = move |_| {
        let confirmed = !active || confirm(&t_string!(i18n, users.confirm_deactivate, name = user.name.clone()));
        if !confirmed {
            return;
        }
        let id = user.id;
        leptos::task::spawn_local(async move {
            let changes = UserForUpdate { active: Some(!active), ..Default::default() };
            match crate::users::api::update(id, changes).await {
                Ok(_) => on_changed.run(t_string!(i18n, users.updated).to_string()),
                Err(e) => error.set(Some(e.message)),
            }
        });
    };
    view! {
        <button class=if active { "button small danger-outline" } else { "button small" } on:click=act>
            {move || if active { t_string!(i18n, users.deactivate) } else { t_string!(i18n, users.activate) }}
        </button>
        <small class="field-error" role="alert">{move || error.get()}</small>
    }
}

#[component]
fn UserForm(existing: Option<User>, on_done: Callback<String>, #[prop(into)] on_cancel: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let is_new = existing.is_none();
    let base = existing.clone();
    let name = RwSignal::new(base.as_ref().map(|u| u.name.clone()).unwrap_or_default());
    let email = RwSignal::new(base.as_ref().map(|u| u.email.to_string()).unwrap_or_default());
    let role = RwSignal::new(base.as_ref().map_or("rep", |u| u.role.as_str()).to_string());
    let password = RwSignal::new(String::new());
    let errors = RwSignal::new(std::collections::BTreeMap::<String, String>::new());

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let existing = existing.clone();
        let form = UserForCreate {
            email: email.get_untracked(),
            name: name.get_untracked(),
            role: role.get_untracked(),
            password: if existing.is_some() { "unchanged-placeholder".into() } else { password.get_untracked() },
            ..Default::default()
        };
        // The same validation as the server, before the request.
        if let Err(fields) = form.validate() {
            errors.set(fields.0.iter().map(|(k, v)| (k.clone(), field_error_text(i18n, v))).collect());
            return;
        }
        errors.set(Default::default());
        leptos::task::spawn_local(async move {
            let result = match existing {
                None => crate::users::api::create(form).await.map(|_| t_string!(i18n, users.created).to_string()),
                Some(u) => {
                    let changes = UserForUpdate {
                        email: Some(form.email),
                        name: Some(form.name),
                        role: Some(form.role),
                        ..Default::default()
                    };
                    crate::users::api::update(u.id, changes).await.map(|_| t_string!(i18n, users.updated).to_string())
                }
            };
            match result {
                Ok(message) => on_done.run(message),
                Err(e) => errors.set(server_errors(i18n, &e)),
            }
        });
    };
    let error_of = move |field: &'static str| move || errors.get().get(field).cloned();

    view! {
        <form class="card panel" on:submit=submit>
            <h2>{move || if is_new { t_string!(i18n, users.add).to_string() } else { t_string!(i18n, users.edit, name = name.get_untracked()) }}</h2>
            <div class="form-grid">
                <label class="field">
                    <span>{t!(i18n, common.name)}</span>
                    <input type="text" name="name" prop:value=name on:input=move |ev| name.set(event_target_value(&ev))/>
                    <small class="field-error">{error_of("name")}</small>
                </label>
                <label class="field">
                    <span>{t!(i18n, common.email)}</span>
                    <input type="email" name="email" prop:value=email on:input=move |ev| email.set(event_target_value(&ev))/>
                    <small class="field-error">{error_of("email")}</small>
                </label>
                <label class="field">
                    <span>{t!(i18n, common.role)}</span>
                    <select name="role" on:change=move |ev| role.set(event_target_value(&ev))>
                        {Role::ALL.into_iter().map(|r| view! {
                            <option value=r.as_str() selected=move || role.get() == r.as_str()>{move || role_label(i18n, r)}</option>
                        }).collect_view()}
                    </select>
                </label>
                {is_new.then(|| view! {
                    <label class="field">
                        <span>{t!(i18n, users.initial_password)}</span>
                        <input type="password" name="password" autocomplete="new-password" aria-describedby="pw-hint"
                            prop:value=password on:input=move |ev| password.set(event_target_value(&ev))/>
                        <small id="pw-hint" class="muted">{t!(i18n, users.password_hint)}</small>
                        <small class="field-error">{error_of("password")}</small>
                    </label>
                })}
            </div>
            <p class="form-error" role="alert">{error_of("_")}</p>
            <div class="form-actions">
                <button type="button" class="button" on:click=move |_| on_cancel.run(())>{t!(i18n, common.cancel)}</button>
                <button type="submit" class="button primary">{move || if is_new { t_string!(i18n, users.create) } else { t_string!(i18n, common.save) }}</button>
            </div>
        </form>
    }
}

#[component]
fn PasswordForm(user: User, on_done: Callback<String>, #[prop(into)] on_cancel: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let id = user.id;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Err(e) = crate::users::Password::parse(&password.get_untracked()) {
            error.set(Some(field_error_text(i18n, &e)));
            return;
        }
        leptos::task::spawn_local(async move {
            match crate::users::api::reset_password(id, password.get_untracked()).await {
                Ok(()) => on_done.run(t_string!(i18n, users.password_done).to_string()),
                Err(e) => error.set(Some(e.message)),
            }
        });
    };
    view! {
        <form class="card panel" on:submit=submit>
            <h2>{t!(i18n, users.reset_password)}": "{user.name.clone()}</h2>
            <label class="field">
                <span>{t!(i18n, users.new_password)}</span>
                <input type="password" name="new_password" autocomplete="new-password"
                    prop:value=password on:input=move |ev| password.set(event_target_value(&ev))/>
                <small class="muted">{t!(i18n, users.password_hint)}</small>
                <small class="field-error" role="alert">{move || error.get()}</small>
            </label>
            <div class="form-actions">
                <button type="button" class="button" on:click=move |_| on_cancel.run(())>{t!(i18n, common.cancel)}</button>
                <button type="submit" class="button primary"><Icon name="key" size=18/><span>{t!(i18n, users.reset_password)}</span></button>
            </div>
        </form>
    }
}

/// Field errors from the server, translated where the code is known; `_` holds the rest.
fn server_errors(i18n: leptos_i18n::I18nContext<Locale>, e: &ApiError) -> std::collections::BTreeMap<String, String> {
    let mut out: std::collections::BTreeMap<String, String> = e.fields.clone();
    match e.code {
        ErrorCode::Conflict => {
            out.insert("email".into(), t_string!(i18n, users.email_taken).to_string());
        }
        ErrorCode::Validation => {
            for value in out.values_mut() {
                if value == &FieldError::InvalidEmail.message() {
                    *value = field_error_text(i18n, &FieldError::InvalidEmail);
                }
            }
        }
        _ => {
            out.insert("_".into(), e.message.clone());
        }
    }
    out
}
