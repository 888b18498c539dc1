//! The sync engine: pushes the signed-in user's outbox, then pulls the feed until it is
//! current. It runs on start, when the network returns, when the page comes back into view,
//! every few minutes while open, when the service worker relays a Background Sync, after each
//! local change, and on "Sync now". Failures back off exponentially with jitter.
//!
//! One run at a time; a request for a run during one makes one more run afterwards.

use super::local;
use crate::common::{ApiError, ErrorCode, UserId};
use crate::sync::{Change, ChangeOp, Entity, MutationResult, Op, Outcome};
use leptos::prelude::*;

/// What the frame shows about sync.
#[derive(Debug, Clone, Default, PartialEq)]
#[allow(clippy::struct_excessive_bools)] // independent facts the sync chip shows, not a state machine
pub struct SyncState {
    pub online: bool,
    /// Mutations of this user not yet acknowledged by the server.
    pub waiting: usize,
    pub syncing: bool,
    pub last_synced: Option<chrono::DateTime<chrono::Utc>>,
    /// Conflicts waiting for the user's choice.
    pub conflicts: usize,
    /// Why the last run failed, in a sentence; cleared by a good run.
    pub problem: Option<String>,
    /// Changes the server refused (their messages), newest last.
    pub refused: Vec<String>,
    /// The session ended: the outbox waits for the same user's next sign-in.
    pub signed_out: bool,
    /// A new version of the app is installed and waits for the user.
    pub update_ready: bool,
    /// The local store holds a synced copy of the user's records.
    pub ready: bool,
}

/// The engine's handle, provided to the signed-in frame.
#[derive(Clone, Copy)]
pub struct Sync {
    pub state: RwSignal<SyncState>,
    /// Bumped whenever the local records change (a pull, a local edit): pages that read the
    /// local store refetch on it.
    pub changed: RwSignal<u64>,
}

pub fn use_sync() -> Option<Sync> {
    use_context::<Sync>()
}

#[cfg(feature = "hydrate")]
mod runner {
    use std::cell::{Cell, RefCell};
    use std::collections::HashMap;

    thread_local! {
        pub static USER: Cell<Option<crate::common::UserId>> = const { Cell::new(None) };
        pub static HANDLE: Cell<Option<super::Sync>> = const { Cell::new(None) };
        pub static RUNNING: Cell<bool> = const { Cell::new(false) };
        pub static AGAIN: Cell<bool> = const { Cell::new(false) };
        pub static FAILURES: Cell<u32> = const { Cell::new(0) };
        pub static RETRY_AT: Cell<f64> = const { Cell::new(0.0) };
        /// Runs begun and runs ended (each pass of the loop in `run_until_idle`).
        pub static STARTED: Cell<u64> = const { Cell::new(0) };
        pub static FINISHED: Cell<u64> = const { Cell::new(0) };
        /// Results of recent pushes by mutation id, for the page that waits on its change.
        pub static RESULTS: RefCell<HashMap<i64, crate::sync::MutationResult>> = RefCell::new(HashMap::new());
    }
}

/// The user whose changes this page records (None before the frame starts the engine).
pub fn current_user() -> Option<UserId> {
    #[cfg(feature = "hydrate")]
    {
        runner::USER.with(std::cell::Cell::get)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        None
    }
}

/// The running engine's handle, outside the component tree (None before it starts).
pub fn handle() -> Option<Sync> {
    #[cfg(feature = "hydrate")]
    {
        runner::HANDLE.with(std::cell::Cell::get)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        None
    }
}

/// Starts the engine for `user` (once per page) and provides its handle.
pub fn start(user: UserId) -> Sync {
    let sync =
        Sync { state: RwSignal::new(SyncState { online: true, ..Default::default() }), changed: RwSignal::new(0) };
    provide_context(sync);
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::closure::Closure;
        runner::USER.with(|u| u.set(Some(user)));
        runner::HANDLE.with(|h| h.set(Some(sync)));
        sync.state.update(|s| s.online = local::online());
        let on_network = Closure::<dyn FnMut(bool)>::new(move |online: bool| {
            sync.state.update(|s| s.online = online);
            if online {
                kick();
            }
        });
        local::on_network(&on_network);
        on_network.forget();
        let on_update = Closure::<dyn FnMut()>::new(move || sync.state.update(|s| s.update_ready = true));
        local::register_worker(&on_update);
        on_update.forget();
        let on_worker_sync = Closure::<dyn FnMut()>::new(kick);
        local::on_worker_sync(&on_worker_sync);
        on_worker_sync.forget();
        let _ = set_interval_with_handle(kick, std::time::Duration::from_mins(3));
        // Keep the local store through storage pressure (the answer shows on More). Not awaited
        // before syncing: a browser may take its time to decide, or never answer.
        leptos::task::spawn_local(async {
            let _ = local::persist().await;
        });
        leptos::task::spawn_local(async move {
            adopt(user).await;
            // What check-out offers, kept for when there is no network.
            let _ = crate::visits::api::outcomes().await;
            // The business's own fields and check-out questions, likewise.
            for record_type in crate::fields::RecordType::ALL {
                let _ = crate::fields::api::list(record_type).await;
            }
            refresh_counts(sync, user).await;
            kick();
        });
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = user;
    }
    sync
}

/// The records in the local store belong to one user: when another signs in on this browser,
/// theirs are dropped (the previous user's unsent mutations stay and wait for them).
#[cfg(feature = "hydrate")]
async fn adopt(user: UserId) {
    let me = user.to_string();
    match local::meta("owner").await.ok().flatten() {
        Some(owner) if owner == me => {}
        // Someone else's records: drop them. (A fresh store has nothing to drop, and wiping it
        // would race with the pages of this first visit that are already caching what they read.)
        Some(_) => {
            let _ = local::wipe(false).await;
            let _ = local::set_meta("owner", &me).await;
        }
        None => {
            let _ = local::set_meta("owner", &me).await;
        }
    }
}

/// This browser's client id for `user`, made once.
pub async fn client_id(user: UserId) -> Result<String, ApiError> {
    let key = format!("client_id:{user}");
    if let Some(id) = local::meta(&key).await.map_err(local_error)? {
        return Ok(id);
    }
    let id = uuid::Uuid::now_v7().to_string();
    local::set_meta(&key, &id).await.map_err(local_error)?;
    Ok(id)
}

fn local_error(e: local::LocalError) -> ApiError {
    ApiError::new(ErrorCode::Internal, e.to_string())
}

/// Asks for a run now (or right after the current one).
pub fn kick() {
    #[cfg(feature = "hydrate")]
    {
        let Some(sync) = runner::HANDLE.with(std::cell::Cell::get) else { return };
        let Some(user) = runner::USER.with(std::cell::Cell::get) else { return };
        if runner::RUNNING.with(std::cell::Cell::get) {
            // A change saved while a run is in flight: counted now, pushed by the next run.
            runner::AGAIN.with(|a| a.set(true));
            leptos::task::spawn_local(refresh_counts(sync, user));
            return;
        }
        leptos::task::spawn_local(run_until_idle(sync, user));
    }
}

/// "Sync now": forgets the backoff and runs.
pub fn sync_now() {
    #[cfg(feature = "hydrate")]
    runner::RETRY_AT.with(|r| r.set(0.0));
    kick();
}

/// Waits (up to `timeout_ms`) for the server's answer to mutation `id`: Some(result) once a
/// push carried it, None when it is still queued — offline, the server slow, or the first run
/// that could carry it ended without an answer (a failed push: the retry comes later, and the
/// page need not wait for it).
pub async fn result_of(id: i64, timeout_ms: u32) -> Option<MutationResult> {
    #[cfg(feature = "hydrate")]
    {
        use std::cell::Cell;
        let started = js_sys::Date::now();
        // The next run to begin starts after this change was written, so its push carries it.
        let next_run = runner::STARTED.with(Cell::get) + 1;
        sync_now();
        loop {
            if let Some(found) = runner::RESULTS.with(|r| r.borrow_mut().remove(&id)) {
                return Some(found);
            }
            let idle = !runner::RUNNING.with(Cell::get);
            let carried = runner::FINISHED.with(Cell::get) >= next_run;
            if js_sys::Date::now() - started > f64::from(timeout_ms) || (idle && !local::online()) || carried {
                return runner::RESULTS.with(|r| r.borrow_mut().remove(&id));
            }
            super::read::sleep(50).await;
        }
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (id, timeout_ms);
        None
    }
}

#[cfg(feature = "hydrate")]
async fn run_until_idle(sync: Sync, user: UserId) {
    use std::cell::Cell;
    if runner::RUNNING.with(Cell::get) {
        return;
    }
    if js_sys::Date::now() < runner::RETRY_AT.with(Cell::get) {
        return;
    }
    runner::RUNNING.with(|r| r.set(true));
    sync.state.update(|s| s.syncing = true);
    loop {
        runner::AGAIN.with(|a| a.set(false));
        runner::STARTED.with(|n| n.set(n.get() + 1));
        let outcome = run(sync, user).await;
        runner::FINISHED.with(|n| n.set(n.get() + 1));
        refresh_counts(sync, user).await;
        match outcome {
            Ok(()) => {
                runner::FAILURES.with(|f| f.set(0));
                sync.state.update(|s| {
                    s.problem = None;
                    s.signed_out = false;
                    s.online = true;
                    s.last_synced = Some(chrono::Utc::now());
                    s.ready = true;
                });
            }
            Err(e) => {
                let failures = runner::FAILURES.with(|f| {
                    f.set(f.get() + 1);
                    f.get()
                });
                let signed_out = e.code == ErrorCode::Unauthenticated;
                sync.state.update(|s| {
                    s.signed_out = signed_out;
                    // Too old for the server: the outbox waits for the new version.
                    s.update_ready |= e.code == ErrorCode::UpdateRequired;
                    s.problem = Some(e.message.clone());
                    if e.code == ErrorCode::Network {
                        s.online = false;
                    }
                });
                if !signed_out {
                    let delay = backoff_ms(failures, js_sys::Math::random());
                    runner::RETRY_AT.with(|r| r.set(js_sys::Date::now() + delay));
                    // The timer is the retry: it runs even if it fires a little early.
                    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // 2 s to 5 min
                    let _ = set_timeout_with_handle(sync_now, std::time::Duration::from_millis(delay as u64));
                }
                break;
            }
        }
        if !runner::AGAIN.with(Cell::get) {
            break;
        }
    }
    runner::RUNNING.with(|r| r.set(false));
    sync.state.update(|s| s.syncing = false);
}

/// The wait before retry `n` (1, 2, …): doubling from 2 s up to 5 minutes, times a jitter
/// factor between 0.5 and 1.5 (`random` in [0, 1)) so devices do not retry in step.
pub fn backoff_ms(n: u32, random: f64) -> f64 {
    let base = (2_000.0 * 2f64.powi(n.saturating_sub(1).min(16) as i32)).min(300_000.0);
    base * (0.5 + random)
}

#[cfg(feature = "hydrate")]
async fn refresh_counts(sync: Sync, user: UserId) {
    let waiting = local::waiting().await.ok().and_then(|w| w.get(&user.to_string()).copied()).unwrap_or(0);
    let conflicts = local::all::<crate::sync::Conflict>(Entity::Conflict)
        .await
        .map_or(0, |c| c.iter().filter(|c| c.resolution.is_none()).count());
    let ready = local::meta(&format!("cursor:{user}")).await.ok().flatten().is_some();
    sync.state.update(|s| {
        s.waiting = waiting;
        s.conflicts = conflicts;
        s.ready |= ready;
    });
}

/// One run: push everything waiting, then pull until current (pushing again between pages
/// when the user changed something meanwhile, so a save never waits behind a long pull).
#[cfg(feature = "hydrate")]
async fn run(sync: Sync, user: UserId) -> Result<(), ApiError> {
    use crate::sync::PullPage;
    let client_id = client_id(user).await?;
    push_all(sync, user, &client_id).await?;
    let mut cursor = local::meta(&format!("cursor:{user}")).await.map_err(local_error)?.filter(|c| !c.is_empty());
    loop {
        let protocol = crate::sync::PROTOCOL.to_string();
        let query = crate::client::query(&[
            ("cursor", cursor.as_deref().unwrap_or("")),
            ("client_id", &client_id),
            ("protocol", &protocol),
        ]);
        let page: PullPage = crate::client::get(&format!("/sync/pull{query}")).await?;
        let meta = [
            (format!("cursor:{user}"), page.cursor.clone()),
            ("server_epoch".to_string(), page.server_epoch.clone()),
            (format!("last_synced:{user}"), chrono::Utc::now().to_rfc3339()),
        ];
        local::apply(user, &page.changes, page.last_mutation_id, page.reset, &meta).await.map_err(local_error)?;
        if !page.changes.is_empty() || page.reset {
            sync.changed.update(|n| *n += 1);
        }
        push_all(sync, user, &client_id).await?;
        if !page.more {
            return Ok(());
        }
        // A refused change may have asked for a fresh copy: start over from the stored cursor.
        cursor = local::meta(&format!("cursor:{user}")).await.map_err(local_error)?.filter(|c| !c.is_empty());
    }
}

/// Sends the user's outbox, oldest first, in pushes of at most [`crate::sync::MAX_PUSH`].
#[cfg(feature = "hydrate")]
async fn push_all(sync: Sync, user: UserId, client_id: &str) -> Result<(), ApiError> {
    use crate::sync::{PushRequest, PushResponse, MAX_PUSH};
    loop {
        let pending = local::outbox(user).await.map_err(local_error)?;
        if pending.is_empty() {
            return Ok(());
        }
        let batch: Vec<_> = pending.into_iter().take(MAX_PUSH).collect();
        let sent_up_to = batch.last().map_or(0, |m| m.mutation_id);
        let by_id: std::collections::HashMap<i64, (Entity, String, Op)> =
            batch.iter().map(|m| (m.mutation_id, (m.entity, m.id.clone(), m.op))).collect();
        let pushed_under = format!("push_epoch:{user}");
        let body = PushRequest {
            client_id: client_id.to_string(),
            mutations: batch,
            protocol: Some(crate::sync::PROTOCOL),
            server_epoch: local::meta(&pushed_under).await.map_err(local_error)?,
        };
        let answer: PushResponse = crate::client::send(crate::client::Method::Post, "/sync/push", &body).await?;
        let (changes, resync) = after_push(&answer.results, &by_id);
        let meta = [(pushed_under, answer.server_epoch.clone())];
        local::apply(user, &changes, answer.last_mutation_id, false, &meta).await.map_err(local_error)?;
        if resync {
            // A refused change left a record as this device imagined it: fetch everything again.
            let _ = local::set_meta(&format!("cursor:{user}"), "").await;
        }
        let refused: Vec<String> = answer.results.iter().filter_map(refusal).collect();
        runner::RESULTS.with(|r| r.borrow_mut().extend(answer.results.into_iter().map(|r| (r.mutation_id, r))));
        sync.state.update(|s| s.refused.extend(refused));
        sync.changed.update(|n| *n += 1);
        if answer.last_mutation_id < sent_up_to {
            return Err(ApiError::new(ErrorCode::Conflict, "the server is missing an earlier change from this device"));
        }
    }
}

/// What a push's answers change locally: the server's record for each applied change, the
/// removal of a refused creation; and whether a refused change to an existing record needs a
/// fresh copy of everything.
#[allow(clippy::implicit_hasher)] // the engine's own map, always the default hasher
pub fn after_push(
    results: &[MutationResult],
    sent: &std::collections::HashMap<i64, (Entity, String, Op)>,
) -> (Vec<Change>, bool) {
    let mut changes = Vec::new();
    let mut resync = false;
    for r in results {
        let Some((entity, id, op)) = sent.get(&r.mutation_id) else { continue };
        match (r.outcome, &r.record) {
            (Outcome::Applied | Outcome::Conflict, Some(record)) => {
                let version = record.get("version").and_then(serde_json::Value::as_i64).unwrap_or_default();
                changes.push(Change {
                    entity: *entity,
                    id: id.clone(),
                    op: ChangeOp::Put,
                    version,
                    record: Some(record.clone()),
                });
                for c in &r.conflicts {
                    changes.push(Change {
                        entity: Entity::Conflict,
                        id: c.id.clone(),
                        op: ChangeOp::Put,
                        version: c.version,
                        record: serde_json::to_value(c).ok(),
                    });
                }
            }
            (Outcome::Applied, None) if *op == Op::Delete => {
                changes.push(Change {
                    entity: *entity,
                    id: id.clone(),
                    op: ChangeOp::Remove,
                    version: 0,
                    record: None,
                });
            }
            (Outcome::Rejected, _) if *op == Op::Create => {
                changes.push(Change {
                    entity: *entity,
                    id: id.clone(),
                    op: ChangeOp::Remove,
                    version: 0,
                    record: None,
                });
            }
            (Outcome::Rejected, _) => resync = true,
            _ => {}
        }
    }
    (changes, resync)
}

/// The message of a refused change, for the sync panel.
pub fn refusal(r: &MutationResult) -> Option<String> {
    (r.outcome == Outcome::Rejected).then(|| r.message.clone().unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::collections::HashMap;

    #[test]
    fn backoff_doubles_up_to_five_minutes_with_jitter() {
        assert_eq!(backoff_ms(1, 0.5), 2_000.0);
        assert_eq!(backoff_ms(2, 0.5), 4_000.0);
        assert_eq!(backoff_ms(30, 0.5), 300_000.0);
        assert_eq!(backoff_ms(1, 0.0), 1_000.0);
        assert!(backoff_ms(1, 0.999) < 3_000.0);
    }

    fn result(id: i64, outcome: Outcome, record: Option<serde_json::Value>) -> MutationResult {
        MutationResult { mutation_id: id, outcome, record, conflicts: vec![], message: Some("no".into()), fields: None }
    }

    #[test]
    fn applied_changes_take_the_servers_record_and_refused_creations_disappear() {
        let sent: HashMap<i64, (Entity, String, Op)> = [
            (1, (Entity::Contact, "a".to_string(), Op::Create)),
            (2, (Entity::Activity, "b".to_string(), Op::Create)),
            (3, (Entity::Visit, "c".to_string(), Op::Update)),
        ]
        .into();
        let results = [
            result(1, Outcome::Applied, Some(json!({"id": "a", "version": 7}))),
            result(2, Outcome::Rejected, None),
            result(9, Outcome::Applied, Some(json!({}))),
        ];
        let (changes, resync) = after_push(&results, &sent);
        assert_eq!(changes.len(), 2);
        assert_eq!((changes[0].op, changes[0].version), (ChangeOp::Put, 7));
        assert_eq!((changes[1].id.as_str(), changes[1].op), ("b", ChangeOp::Remove));
        assert!(!resync);
        let (_, resync) = after_push(&[result(3, Outcome::Rejected, None)], &sent);
        assert!(resync, "a refused change to a record asks for a fresh copy");
        assert_eq!(refusal(&results[1]).as_deref(), Some("no"));
    }
}
