//! The soak: 200 simulated reps' devices working offline-first against the real router for a
//! bounded time (`FIELDWORK_SOAK_SECONDS`, default 600; `cargo xtask soak --minutes N`).
//!
//! Each device queues its work as sync mutations (new leads, edits of its contacts, logged
//! calls), drops off the network now and then for a few seconds, and when online pushes its
//! queue and pulls the change feed into its local copy. At the end every device comes online,
//! pushes and pulls; then the run checks that nothing was lost or applied twice (every mutation
//! acknowledged once, every created record on the server exactly once, each device's counter
//! equal to the server's) and that every device holds exactly what a fresh sync of its user
//! gets — and prints the figures. Loopback only; one fresh company of 20,000 contacts per run.

use fieldwork_server::db::Db;
use fieldwork_server::seed::scale::{Plan, DOMAIN, PASSWORD};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};
use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

mod support;

const DEVICES: usize = 200;
const CONTACTS: usize = 20_000;

/// One rep's device: its local copy of its contacts (id → record), its queue of mutations.
struct Device {
    client: reqwest::Client,
    id: String,
    cursor: String,
    contacts: HashMap<String, Value>,
    outbox: Vec<Value>,
    next_mutation: i64,
    created: Vec<(String, &'static str)>,
    offline_until: Option<Instant>,
    stats: Stats,
}

#[derive(Default, Clone, Copy)]
struct Stats {
    queued: u64,
    applied: u64,
    conflicts: u64,
    rejected: u64,
    duplicates: u64,
    pushes: u64,
    pulls: u64,
    offline_periods: u64,
    failed_requests: u64,
}

impl Stats {
    fn plus(self, o: Stats) -> Stats {
        Stats {
            queued: self.queued + o.queued,
            applied: self.applied + o.applied,
            conflicts: self.conflicts + o.conflicts,
            rejected: self.rejected + o.rejected,
            duplicates: self.duplicates + o.duplicates,
            pushes: self.pushes + o.pushes,
            pulls: self.pulls + o.pulls,
            offline_periods: self.offline_periods + o.offline_periods,
            failed_requests: self.failed_requests + o.failed_requests,
        }
    }
}

impl Device {
    fn queue(&mut self, entity: &str, id: &str, op: &str, fields: Value, base_version: Option<i64>) {
        let mut m = json!({"mutation_id": self.next_mutation, "entity": entity, "id": id, "op": op, "fields": fields});
        if let Some(v) = base_version {
            m["base_version"] = json!(v);
        }
        self.next_mutation += 1;
        self.stats.queued += 1;
        self.outbox.push(m);
    }

    /// One thing a rep does in the field, queued as the app queues it.
    fn work(&mut self, rng: &mut StdRng) {
        let mine: Vec<String> = self.contacts.keys().cloned().collect();
        match rng.gen_range(0..10) {
            0..2 => {
                let id = uuid::Uuid::now_v7().to_string();
                let name = format!("Soak lead {} {}", &self.id[..8], self.next_mutation);
                self.queue("contact", &id, "create", json!({"kind": "person", "name": name}), None);
                self.created.push((id, "contact"));
            }
            2..6 if !mine.is_empty() => {
                let contact = &mine[rng.gen_range(0..mine.len())];
                let version = self.contacts[contact]["version"].as_i64();
                let notes = format!("Visited on round {}", self.next_mutation);
                self.queue("contact", contact, "update", json!({"notes": notes}), version);
            }
            _ if !mine.is_empty() => {
                let contact = mine[rng.gen_range(0..mine.len())].clone();
                let id = uuid::Uuid::now_v7().to_string();
                let call = json!({"contact_id": contact, "kind": "call", "direction": "outbound", "duration_s": 60,
                                  "result": "connected", "body": "Soak call"});
                self.queue("activity", &id, "create", call, None);
                self.created.push((id, "activity"));
            }
            _ => {}
        }
    }

    /// Pushes the queue (in pages the server takes), then pulls the feed to its end.
    async fn sync(&mut self, base: &str) -> anyhow::Result<()> {
        while !self.outbox.is_empty() {
            let take = self.outbox.len().min(200);
            let batch: Vec<Value> = self.outbox[..take].to_vec();
            let r = self
                .client
                .post(format!("{base}/api/v1/sync/push"))
                .json(&json!({"client_id": self.id, "mutations": batch}))
                .send()
                .await?;
            self.stats.pushes += 1;
            let status = r.status();
            anyhow::ensure!(status.is_success(), "push answered {status}: {}", r.text().await.unwrap_or_default());
            let body: Value = r.json().await?;
            for result in body["results"].as_array().into_iter().flatten() {
                match result["outcome"].as_str() {
                    Some("applied") => self.stats.applied += 1,
                    Some("conflict") => self.stats.conflicts += 1,
                    Some("rejected") => self.stats.rejected += 1,
                    Some("duplicate") => self.stats.duplicates += 1,
                    other => anyhow::bail!("unknown outcome {other:?}"),
                }
            }
            self.outbox.drain(..take);
        }
        loop {
            let page = pull(&self.client, base, &self.id, &self.cursor).await?;
            self.stats.pulls += 1;
            if page["reset"] == true {
                self.contacts.clear();
            }
            apply(&mut self.contacts, &page);
            self.cursor = page["cursor"].as_str().unwrap_or_default().to_string();
            if page["more"] != true {
                return Ok(());
            }
        }
    }
}

async fn pull(client: &reqwest::Client, base: &str, device: &str, cursor: &str) -> anyhow::Result<Value> {
    let mut query = vec![("client_id", device), ("limit", "500")];
    if !cursor.is_empty() {
        query.push(("cursor", cursor));
    }
    let r = client.get(format!("{base}/api/v1/sync/pull")).query(&query).send().await?;
    let status = r.status();
    anyhow::ensure!(status.is_success(), "pull answered {status}: {}", r.text().await.unwrap_or_default());
    Ok(r.json().await?)
}

/// A page of the feed into a local copy of contacts.
fn apply(contacts: &mut HashMap<String, Value>, page: &Value) {
    for change in page["changes"].as_array().into_iter().flatten() {
        if change["entity"] != "contact" {
            continue;
        }
        let id = change["id"].as_str().unwrap_or_default().to_string();
        match change["op"].as_str() {
            Some("put") => {
                contacts.insert(id, change["record"].clone());
            }
            _ => {
                contacts.remove(&id);
            }
        }
    }
}

/// Removes the run's database (a file on `SQLite`, a database on `PostgreSQL`).
async fn drop_database(url: &str) {
    if let Some(path) = url.strip_prefix("sqlite://") {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{path}{suffix}"));
        }
    } else if let Some((server, name)) = url.rsplit_once('/') {
        use sqlx::Connection;
        if let Ok(mut admin) = sqlx::AnyConnection::connect(&format!("{server}/postgres")).await {
            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut admin).await;
        }
    }
}

/// id → version of a local copy.
fn versions(contacts: &HashMap<String, Value>) -> HashMap<String, i64> {
    contacts.iter().map(|(id, c)| (id.clone(), c["version"].as_i64().unwrap_or(-1))).collect()
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let seconds: u64 = std::env::var("FIELDWORK_SOAK_SECONDS").ok().and_then(|v| v.parse().ok()).unwrap_or(600);
    let engines = std::env::var("FIELDWORK_BENCH_ENGINES").unwrap_or_else(|_| "sqlite".into());
    for engine in engines.split(',').map(str::trim) {
        let name = format!("soak_{}", uuid::Uuid::now_v7().simple());
        let url = support::database_url(engine, &name).await?;
        let db = Db::connect(&url).await?;
        fieldwork_server::startup::prepare(&db).await?;
        let plan = Plan::with_reps(CONTACTS, DEVICES, 11);
        fieldwork_server::seed::scale::seed(&db, plan).await?;
        let base = support::serve(&db, &url).await?;
        println!("\n{engine}: {DEVICES} devices, {CONTACTS} contacts, {seconds} s");

        let mut devices = Vec::with_capacity(DEVICES);
        for r in 1..=DEVICES {
            let client = support::sign_in_with(&base, &format!("rep{r}@{DOMAIN}"), PASSWORD).await?;
            let mut device = Device {
                client,
                id: uuid::Uuid::now_v7().to_string(),
                cursor: String::new(),
                contacts: HashMap::new(),
                outbox: Vec::new(),
                next_mutation: 1,
                created: Vec::new(),
                offline_until: None,
                stats: Stats::default(),
            };
            device.sync(&base).await?;
            devices.push(device);
        }

        let deadline = Instant::now() + Duration::from_secs(seconds);
        let started = Instant::now();
        let mut tasks = Vec::new();
        for (i, mut device) in devices.into_iter().enumerate() {
            let base = base.clone();
            tasks.push(tokio::spawn(async move {
                let mut rng = StdRng::seed_from_u64(i as u64);
                while Instant::now() < deadline {
                    device.work(&mut rng);
                    let offline = device.offline_until.is_some_and(|t| Instant::now() < t);
                    if !offline {
                        device.offline_until = None;
                        if rng.gen_bool(0.05) {
                            // Into a basement, a lift, the countryside: 2–15 s without signal.
                            device.offline_until =
                                Some(Instant::now() + Duration::from_millis(rng.gen_range(2_000..15_000)));
                            device.stats.offline_periods += 1;
                        } else if rng.gen_bool(0.5) {
                            if let Err(e) = device.sync(&base).await {
                                // The app keeps its queue and tries again later.
                                if device.stats.failed_requests == 0 {
                                    eprintln!("device {i}: {e:#}");
                                }
                                device.stats.failed_requests += 1;
                            }
                        }
                    }
                    tokio::time::sleep(Duration::from_millis(rng.gen_range(100..600))).await;
                }
                device
            }));
        }
        let mut devices = Vec::with_capacity(DEVICES);
        for t in tasks {
            devices.push(t.await?);
        }
        // Everyone back online: every queue pushed, then every device pulls what the others
        // pushed (two reps share each territory).
        for _ in 0..2 {
            for device in &mut devices {
                device.sync(&base).await?;
            }
        }
        let elapsed = started.elapsed().as_secs_f64();

        // Nothing lost, nothing doubled, every device equal to a fresh sync of its user.
        let total = devices.iter().fold(Stats::default(), |s, d| s.plus(d.stats));
        let acknowledged = total.applied + total.conflicts + total.rejected + total.duplicates;
        let mut lost = total.queued - acknowledged.min(total.queued);
        let doubled = total.duplicates;
        let mut mismatched = 0;
        for device in &devices {
            let counter: Option<i64> =
                sqlx::query_scalar("SELECT last_mutation_id FROM sync_clients WHERE client_id = $1")
                    .bind(&device.id)
                    .fetch_optional(db.pool())
                    .await?;
            // A device that never pushed has no row yet: its counter is 0.
            if counter.unwrap_or(0) != device.next_mutation - 1 {
                lost += 1;
            }
            for (id, entity) in &device.created {
                let table = if *entity == "contact" { "contacts" } else { "activities" };
                let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table} WHERE id = $1"))
                    .bind(id)
                    .fetch_one(db.pool())
                    .await?;
                if n != 1 {
                    lost += 1;
                }
            }
            let fresh_id = uuid::Uuid::now_v7().to_string();
            let (mut fresh, mut cursor) = (HashMap::new(), String::new());
            loop {
                let page = pull(&device.client, &base, &fresh_id, &cursor).await?;
                apply(&mut fresh, &page);
                cursor = page["cursor"].as_str().unwrap_or_default().to_string();
                if page["more"] != true {
                    break;
                }
            }
            if versions(&fresh) != versions(&device.contacts) {
                mismatched += 1;
            }
        }
        let created: HashSet<&String> = devices.iter().flat_map(|d| d.created.iter().map(|(id, _)| id)).collect();
        println!(
            "{:.0} s: {} mutations queued offline-first, {} applied, {} merged with a conflict, {} refused, \
             {} pushes, {} pulls, {} offline periods, {} failed requests retried",
            elapsed,
            total.queued,
            total.applied,
            total.conflicts,
            total.rejected,
            total.pushes,
            total.pulls,
            total.offline_periods,
            total.failed_requests
        );
        println!(
            "{} records created on devices; lost {lost}, applied twice {doubled}, devices differing from the server {mismatched}",
            created.len()
        );
        support::record(
            &format!("soak: {DEVICES} devices offline-first"),
            engine,
            total.queued,
            &[Duration::from_secs_f64(elapsed)],
            Some((total.pushes + total.pulls) as f64 / elapsed),
        );
        db.close().await;
        drop_database(&url).await;
        anyhow::ensure!(lost == 0 && doubled == 0 && mismatched == 0, "the soak lost, doubled or diverged");
    }
    Ok(())
}
