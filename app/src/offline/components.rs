//! What the frame shows about offline work: the sync status (online or not, changes waiting,
//! last sync, conflicts, "Sync now"), the offer of a new version, conflicts on a record, and
//! the local data card on More (size, persistence, what signing out does with it).

use super::engine::{self, Sync};
use super::local;
use crate::i18n::*;
use crate::locale::{format_instant, Style};
use crate::sync::{Conflict, Entity, Op};
use crate::ui::{mounted, Icon};
use leptos::prelude::*;

/// The status chip in the frame; it opens the details and "Sync now".
#[component]
pub fn SyncStatus() -> impl IntoView {
    let i18n = use_i18n();
    let Some(sync) = engine::use_sync() else { return ().into_any() };
    let open = RwSignal::new(false);
    let state = sync.state;
    // Rendered on the server as "synced" would be a lie: say nothing until the browser knows.
    let mounted = mounted();
    let label = move || {
        let s = state.get();
        if !mounted.get() {
            String::new()
        } else if s.signed_out {
            t_string!(i18n, sync.signed_out).to_string()
        } else if !s.online {
            if s.waiting > 0 {
                t_string!(i18n, sync.offline_waiting, count = s.waiting).to_string()
            } else {
                t_string!(i18n, sync.offline).to_string()
            }
        } else if s.syncing {
            t_string!(i18n, sync.syncing).to_string()
        } else if s.waiting > 0 {
            t_string!(i18n, sync.waiting, count = s.waiting).to_string()
        } else if s.last_synced.is_none() {
            t_string!(i18n, sync.syncing).to_string()
        } else {
            t_string!(i18n, sync.synced).to_string()
        }
    };
    let class = move || {
        let s = state.get();
        let tone = if !s.online || s.signed_out {
            "offline"
        } else if s.conflicts > 0 || !s.refused.is_empty() {
            "attention"
        } else if s.waiting > 0 || s.syncing {
            "busy"
        } else {
            "ok"
        };
        format!("sync-status {tone}")
    };
    let zone = StoredValue::new(crate::session::current_user().get_untracked().time_zone.to_string());
    view! {
        <div class="sync">
            <button type="button" class=class aria-expanded=move || open.get().to_string() on:click=move |_| open.update(|o| *o = !*o)
                data-online=move || state.get().online.to_string() data-waiting=move || state.get().waiting.to_string()>
                <span class="sync-dot" aria-hidden="true"></span>
                <span class="sync-label" role="status">{label}</span>
                <Show when=move || { state.get().conflicts > 0 }>
                    <span class="sync-conflicts">{move || t_string!(i18n, sync.conflicts, count = state.get().conflicts)}</span>
                </Show>
            </button>
            <Show when=move || open.get()>
                <div class="sync-panel" role="dialog" aria-label=move || t_string!(i18n, sync.title)>
                    <p>{move || match state.get().last_synced {
                        Some(at) => t_string!(i18n, sync.last_synced, at = format_instant(at, &zone.get_value(), i18n.get_locale(), Style::DateTime)).to_string(),
                        None => t_string!(i18n, sync.never).to_string(),
                    }}</p>
                    <Show when=move || { state.get().waiting > 0 }>
                        <p>{move || t_string!(i18n, sync.waiting_hint, count = state.get().waiting)}</p>
                    </Show>
                    {move || state.get().problem.map(|p| view! { <p class="muted small">{p}</p> })}
                    {move || {
                        let refused = state.get().refused;
                        (!refused.is_empty()).then(|| view! {
                            <div class="sync-refused">
                                <strong>{t!(i18n, sync.refused)}</strong>
                                <ul>{refused.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}</ul>
                            </div>
                        })
                    }}
                    <button type="button" class="button primary" disabled=move || state.get().syncing
                        on:click=move |_| { sync.state.update(|s| s.refused.clear()); engine::sync_now(); }>
                        <Icon name="refresh" size=18/><span>{t!(i18n, sync.now)}</span>
                    </button>
                </div>
            </Show>
        </div>
    }
    .into_any()
}

/// Offers the new version when one is installed; it takes over only when the user accepts.
#[component]
pub fn UpdateBanner() -> impl IntoView {
    let i18n = use_i18n();
    let Some(sync) = engine::use_sync() else { return ().into_any() };
    view! {
        <Show when=move || sync.state.get().update_ready>
            <div class="banner update" role="status">
                <span>{t!(i18n, sync.update_ready)}</span>
                <button type="button" class="button primary" on:click=move |_| {
                    #[cfg(feature = "hydrate")]
                    local::apply_update();
                }>{t!(i18n, sync.update)}</button>
            </div>
        </Show>
    }
    .into_any()
}

/// The display name of a synced field.
fn field_label(i18n: leptos_i18n::I18nContext<Locale>, field: &str) -> String {
    match field {
        "name" => t_string!(i18n, common.name).to_string(),
        "phones" => t_string!(i18n, contact_form.phones).to_string(),
        "emails" => t_string!(i18n, contact_form.emails).to_string(),
        "notes" => t_string!(i18n, contact_form.notes).to_string(),
        "address" => t_string!(i18n, contact_form.address).to_string(),
        "title" => t_string!(i18n, listing_form.title).to_string(),
        "price" => t_string!(i18n, listing_form.price).to_string(),
        "bedrooms" => t_string!(i18n, listing_form.bedrooms).to_string(),
        "status" => t_string!(i18n, common.status).to_string(),
        "starts_at" => t_string!(i18n, quick.starts).to_string(),
        other => other.replace('_', " "),
    }
}

/// A JSON value as the user typed it: lists joined, text unquoted, a price as money.
fn shown(value: &serde_json::Value, locale: Locale) -> String {
    if let Ok(money) = serde_json::from_value::<crate::common::Money>(value.clone()) {
        return crate::locale::format_money(&money, locale);
    }
    match value {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Array(items) => items.iter().map(|v| shown(v, locale)).collect::<Vec<_>>().join(", "),
        serde_json::Value::Null => "—".into(),
        other => other.to_string(),
    }
}

/// The conflicts on one record (a contact, a listing…) that wait for the user: whose edit
/// stayed, and the choice. `record` is the record as this device holds it.
#[component]
pub fn RecordConflicts<T: serde::Serialize + Clone + Send + std::marker::Sync + 'static>(
    entity: Entity,
    record: T,
    #[prop(into)] on_resolved: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let Some(sync) = engine::use_sync() else { return ().into_any() };
    let current = serde_json::to_value(&record).unwrap_or_default();
    let id = current.get("id").and_then(|v| v.as_str()).unwrap_or_default().to_string();
    let held = StoredValue::new(current);
    let conflicts = LocalResource::new(move || {
        sync.changed.track();
        let id = id.clone();
        async move {
            local::all::<Conflict>(Entity::Conflict)
                .await
                .map(|all| all.into_iter().filter(|c| c.record_id == id && c.resolution.is_none()).collect::<Vec<_>>())
                .unwrap_or_default()
        }
    });
    let zone = StoredValue::new(crate::session::current_user().get_untracked().time_zone.to_string());
    let choose = crate::ui::browser_action(move |(conflict, keep_mine): &(Conflict, bool)| {
        let (conflict, keep_mine) = (conflict.clone(), *keep_mine);
        let current = held.get_value();
        async move {
            if keep_mine {
                restore_mine(entity, &current, &conflict).await?;
            }
            let resolution = if keep_mine { "mine" } else { "theirs" };
            let mut resolved = conflict.clone();
            resolved.resolution = Some(resolution.to_string());
            let body = serde_json::json!({"resolution": resolution});
            let change = super::outbox::Change {
                entity: Entity::Conflict,
                id: conflict.id.clone(),
                op: Op::Update,
                body: &body,
                base: Default::default(),
                base_version: Some(conflict.version),
            };
            super::outbox::record(change, &resolved).await.map(|_| ())
        }
    });
    Effect::new(move || {
        if let Some(Ok(())) = choose.value().get() {
            on_resolved.run(());
        }
    });
    view! {
        {move || conflicts.get().filter(|c| !c.is_empty()).map(|list| view! {
            <section class="card conflicts" aria-labelledby="conflicts-title">
                <h2 id="conflicts-title">{t!(i18n, sync.conflicts_title)}</h2>
                <ul class="record-list">
                    {list.into_iter().map(|c| {
                        let at = format_instant(c.theirs_at, &zone.get_value(), i18n.get_locale(), Style::Time);
                        let by = c.theirs_by.clone().unwrap_or_else(|| t_string!(i18n, sync.someone).to_string());
                        let text = t_string!(i18n, sync.conflict_line, field = field_label(i18n, &c.field), by = by, at = at).to_string();
                        let (mine, theirs) = (shown(&c.mine, i18n.get_locale()), shown(&c.theirs, i18n.get_locale()));
                        let (keep, keep_theirs) = (c.clone(), c);
                        view! {
                            <li class="record conflict">
                                <div class="record-main">
                                    <p>{text}</p>
                                    <p class="small">{t!(i18n, sync.yours)}": "<strong>{mine}</strong>" · "{t!(i18n, sync.theirs)}": "<strong>{theirs}</strong></p>
                                </div>
                                <div class="record-actions">
                                    <button type="button" class="button secondary" on:click=move |_| { choose.dispatch((keep.clone(), true)); }>{t!(i18n, sync.keep_mine)}</button>
                                    <button type="button" class="button secondary" on:click=move |_| { choose.dispatch((keep_theirs.clone(), false)); }>{t!(i18n, sync.keep_theirs)}</button>
                                </div>
                            </li>
                        }
                    }).collect_view()}
                </ul>
                {move || choose.value().get().and_then(Result::err).map(|e| view! { <p class="form-error">{crate::ui::error_text(i18n, &e)}</p> })}
            </section>
        })}
    }
    .into_any()
}

/// "Keep mine": writes the device's value again, against the record as it is now.
async fn restore_mine(
    entity: Entity,
    current: &serde_json::Value,
    conflict: &Conflict,
) -> Result<(), crate::common::ApiError> {
    use crate::sync::{get_path, set_path};
    let mut fields = serde_json::Map::new();
    set_path(&mut fields, &conflict.field, conflict.mine.clone());
    let body = serde_json::Value::Object(fields.clone());
    let mut base = serde_json::Map::new();
    set_path(&mut base, &conflict.field, get_path(current, &conflict.field).cloned().unwrap_or_default());
    let mut local = current.clone();
    if let Some(obj) = local.as_object_mut() {
        set_path(obj, &conflict.field, conflict.mine.clone());
    }
    let change = super::outbox::Change {
        entity,
        id: conflict.record_id.clone(),
        op: Op::Update,
        body: &body,
        base,
        base_version: current.get("version").and_then(serde_json::Value::as_i64),
    };
    super::outbox::record(change, &local).await.map(|_| ())
}

/// On More: how much this device keeps, whether the browser promised to keep it, and "Sync now".
#[component]
pub fn LocalDataCard() -> impl IntoView {
    let i18n = use_i18n();
    let info = LocalResource::new(local::storage);
    let sync: Option<Sync> = engine::use_sync();
    view! {
        <section class="card local-data" id="local-data">
            <h2>{t!(i18n, sync.local_title)}</h2>
            <p>{move || info.get().map(|i| match i.usage {
                Some(bytes) => t_string!(i18n, sync.local_size, size = format_bytes(bytes)).to_string(),
                None => t_string!(i18n, sync.local_unknown).to_string(),
            })}</p>
            <p class="muted small">{move || info.get().map(|i| if i.persisted {
                t_string!(i18n, sync.persisted).to_string()
            } else {
                t_string!(i18n, sync.not_persisted).to_string()
            })}</p>
            {sync.map(|s| view! {
                <p class="small">{move || t_string!(i18n, sync.waiting_hint, count = s.state.get().waiting)}</p>
            })}
        </section>
    }
}

/// `1.2 MB`, `340 KB`.
pub fn format_bytes(bytes: f64) -> String {
    if bytes >= 1_000_000.0 {
        format!("{:.1} MB", bytes / 1_000_000.0)
    } else {
        format!("{} KB", (bytes / 1_000.0).ceil())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn sizes_read_as_kilobytes_or_megabytes() {
        assert_eq!(super::format_bytes(1_234_567.0), "1.2 MB");
        assert_eq!(super::format_bytes(340_100.0), "341 KB");
    }

    #[test]
    fn values_show_as_typed() {
        use crate::i18n::Locale;
        assert_eq!(
            super::shown(&serde_json::json!(["+8801711000002", "+8801711000003"]), Locale::en),
            "+8801711000002, +8801711000003"
        );
        assert_eq!(super::shown(&serde_json::json!("gate 12"), Locale::en), "gate 12");
        let price = serde_json::json!({"amount": 110_000_000, "currency": "BDT"});
        let money: crate::common::Money = serde_json::from_value(price.clone()).unwrap();
        assert_eq!(super::shown(&price, Locale::en), crate::locale::format_money(&money, Locale::en));
        assert!(!super::shown(&price, Locale::en).contains('{'), "a price reads as money");
    }
}

/// Asks the frame to open the sign-out dialog.
#[derive(Clone, Copy)]
pub struct SignOutRequest(pub RwSignal<bool>);

pub fn request_sign_out() {
    if let Some(SignOutRequest(open)) = use_context::<SignOutRequest>() {
        open.set(true);
    }
}

/// Signing out: keep the local data (the app opens without a signal after the next sign-in)
/// or remove it — never unsent changes without a second, explicit confirmation.
#[component]
pub fn SignOutDialog() -> impl IntoView {
    let i18n = use_i18n();
    let Some(SignOutRequest(open)) = use_context::<SignOutRequest>() else { return ().into_any() };
    let really = RwSignal::new(false);
    let waiting = move || engine::use_sync().map_or(0, |s| s.state.get().waiting);
    let leave = move |wipe: bool| {
        leptos::task::spawn_local(async move {
            if wipe {
                let _ = local::wipe(true).await;
            }
            crate::users::components::sign_out().await;
        });
    };
    let close = move || {
        open.set(false);
        really.set(false);
    };
    view! {
        <Show when=move || open.get()>
            <div class="modal-backdrop" on:click=move |_| close()></div>
            <div class="modal card" role="dialog" aria-modal="true" aria-labelledby="sign-out-title"
                on:keydown=move |e| if e.key() == "Escape" { close() }>
                <h2 id="sign-out-title">{t!(i18n, sync.sign_out_title)}</h2>
                <Show when=move || { waiting() > 0 }>
                    <p class="banner warning">{move || t_string!(i18n, sync.sign_out_unsent, count = waiting())}</p>
                </Show>
                <p class="muted">{t!(i18n, sync.sign_out_hint)}</p>
                <Show when=move || really.get() fallback=move || view! {
                    <div class="form-actions stacked">
                        <button type="button" class="button primary" autofocus on:click=move |_| leave(false)>{t!(i18n, sync.sign_out_keep)}</button>
                        <button type="button" class="button danger-outline" on:click=move |_| {
                            if waiting() > 0 { really.set(true) } else { leave(true) }
                        }>{t!(i18n, sync.sign_out_wipe)}</button>
                        <button type="button" class="button secondary" on:click=move |_| close()>{t!(i18n, common.cancel)}</button>
                    </div>
                }>
                    <p class="form-error">{t!(i18n, sync.sign_out_wipe_confirm)}</p>
                    <div class="form-actions stacked">
                        <button type="button" class="button danger" on:click=move |_| leave(true)>{t!(i18n, sync.sign_out_wipe_really)}</button>
                        <button type="button" class="button secondary" on:click=move |_| close()>{t!(i18n, common.cancel)}</button>
                    </div>
                </Show>
            </div>
        </Show>
    }
    .into_any()
}
