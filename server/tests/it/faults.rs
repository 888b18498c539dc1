//! Faults: the real `fieldwork` server process killed with SIGKILL while reps write, an import
//! runs and a device's sync push is in flight, then started again on the same database.
//! Nothing acknowledged is lost, nothing is half-written, and what a client retries after
//! the crash (the import, the push) ends up there exactly once. Killed while it sends email,
//! no message is cut in half, none is lost and none already delivered goes out again.

use crate::common::{fresh_database_url, PASSWORD};
use fieldwork_server::db::{Db, Engine};
use reqwest::Client;
use serde_json::{json, Value};
use std::fmt::Write as _;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// The server binary running on `url`.
struct Server {
    child: Child,
    base: String,
}

impl Server {
    async fn start(url: &str, scratch: &std::path::Path) -> Server {
        Server::start_with_jobs(url, scratch, 0).await
    }

    /// With the background worker (reminders, the email outbox) every `jobs_ms` (0: off).
    async fn start_with_jobs(url: &str, scratch: &std::path::Path, jobs_ms: u64) -> Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new(env!("CARGO_BIN_EXE_fieldwork"))
            .arg("serve")
            .env("DATABASE_URL", url)
            .env("FIELDWORK_ADDR", format!("127.0.0.1:{port}"))
            .env("FIELDWORK_JOBS_INTERVAL_MS", jobs_ms.to_string())
            .env("FIELDWORK_MAIL_DIR", scratch.join("mail"))
            .env("FIELDWORK_PHOTO_DIR", scratch.join("photos"))
            .env("FIELDWORK_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("the fieldwork binary starts");
        let server = Server { child, base: format!("http://127.0.0.1:{port}") };
        for _ in 0..600 {
            if reqwest::get(server.url("/healthz")).await.is_ok_and(|r| r.status() == 200) {
                return server;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the server did not answer /healthz within a minute");
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// SIGKILL: no shutdown, no flush, no goodbye.
    fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn sign_in(server: &Server, email: &str) -> Client {
    crate::common::sign_in_at(&server.base, email, PASSWORD).await
}

const IMPORTED: usize = 10_000;
const PUSHED: i64 = 150;

fn import_file() -> String {
    let mut csv = String::from("Name,Email\n");
    for i in 0..IMPORTED {
        let _ = writeln!(csv, "Imported Person {i},imported{i}@example.com");
    }
    csv
}

fn push_body(client_id: &str) -> Value {
    let mutations: Vec<Value> = (1..=PUSHED)
        .map(|n| {
            json!({"mutation_id": n, "entity": "contact", "id": uuid::Uuid::now_v7().to_string(), "op": "create",
                   "fields": {"name": format!("Pushed offline {n}")}})
        })
        .collect();
    json!({"client_id": client_id, "mutations": mutations})
}

async fn count(db: &Db, like: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM contacts WHERE name LIKE $1")
        .bind(like)
        .fetch_one(db.pool())
        .await
        .unwrap()
}

async fn import(server: &Server, office: &Client) -> String {
    let r = office
        .post(server.url("/api/v1/contacts/import?mapping=name,email"))
        .header("content-type", "text/csv")
        .body(import_file())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 202);
    r.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn a_server_killed_mid_write_mid_import_and_mid_push_loses_nothing_acknowledged_and_doubles_nothing() {
    let url = fresh_database_url().await;
    let scratch = std::env::temp_dir().join(format!("fw_test_faults_{}", uuid::Uuid::now_v7().simple()));
    let db = Db::connect(&url).await.unwrap();
    fieldwork_server::startup::prepare(&db).await.unwrap();
    let office_user = fieldwork_server::seed::add_user(
        &db,
        &crate::common::zone(),
        "office@faults.example",
        "Office",
        "office",
        PASSWORD,
    )
    .await
    .unwrap();
    fieldwork_server::seed::add_user(&db, &crate::common::zone(), "rep@faults.example", "Rep", "rep", PASSWORD)
        .await
        .unwrap();
    let _ = office_user;

    let server = Server::start(&url, &scratch).await;
    let office = sign_in(&server, "office@faults.example").await;
    let rep = sign_in(&server, "rep@faults.example").await;

    // A rep keeps writing; every contact the server acknowledged is remembered.
    let acknowledged = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let writer = {
        let (rep, url, acknowledged) = (rep.clone(), server.url("/api/v1/contacts"), acknowledged.clone());
        tokio::spawn(async move {
            for i in 0.. {
                let Ok(r) = rep.post(&url).json(&json!({"name": format!("Written live {i}")})).send().await else {
                    break;
                };
                if r.status() != 201 {
                    break;
                }
                let Ok(body) = r.json::<Value>().await else { break };
                acknowledged.lock().unwrap().push(body["id"].as_str().unwrap().to_string());
            }
        })
    };
    // An import of 10,000 rows, running when the server dies.
    let job = import(&server, &office).await;
    loop {
        let status: Value = office
            .get(server.url(&format!("/api/v1/contacts/import/{job}")))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_ne!(status["state"], "failed", "{status}");
        if status["state"] == "running" || status["state"] == "done" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // A device's push of 150 mutations, in flight when the server dies.
    let device = uuid::Uuid::now_v7().to_string();
    let body = push_body(&device);
    let push = {
        let (rep, url, body) = (rep.clone(), server.url("/api/v1/sync/push"), body.clone());
        tokio::spawn(async move { rep.post(&url).json(&body).send().await.map(|r| r.status().as_u16()) })
    };
    while acknowledged.lock().unwrap().len() < 20 {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    tokio::time::sleep(Duration::from_millis(30)).await;
    server.kill();
    writer.await.unwrap();
    let push_answered = push.await.unwrap();
    let acknowledged = acknowledged.lock().unwrap().clone();

    // The database is whole: SQLite's own check, and every version behind the sequence.
    if db.engine() == Engine::Sqlite {
        let check: String = sqlx::query_scalar("PRAGMA integrity_check").fetch_one(db.pool()).await.unwrap();
        assert_eq!(check, "ok");
    }
    let (newest, sequence): (i64, i64) = sqlx::query_as(
        "SELECT CAST(COALESCE(MAX(version), 0) AS BIGINT), (SELECT value FROM change_sequence WHERE id = 1) FROM contacts",
    )
    .fetch_one(db.pool())
    .await
    .unwrap();
    assert!(sequence >= newest);
    let imported_before = count(&db, "Imported Person %").await;
    assert!(
        imported_before == 0 || imported_before == IMPORTED as i64,
        "an import is all or nothing: {imported_before}"
    );
    let pushed_before = count(&db, "Pushed offline %").await;
    assert!(pushed_before == 0 || pushed_before == PUSHED, "a push is all or nothing: {pushed_before}");

    // Started again: everything acknowledged is there; the client retries what did not finish.
    let server = Server::start(&url, &scratch).await;
    let office = sign_in(&server, "office@faults.example").await;
    let rep = sign_in(&server, "rep@faults.example").await;
    for id in &acknowledged {
        let r = rep.get(server.url(&format!("/api/v1/contacts/{id}"))).send().await.unwrap();
        assert_eq!(r.status(), 200, "acknowledged contact {id} survived the kill");
    }
    let r = rep.post(server.url("/api/v1/sync/push")).json(&body).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(count(&db, "Pushed offline %").await, PUSHED, "the retried push applied each mutation once");
    if imported_before == 0 {
        let job = import(&server, &office).await;
        for _ in 0..1200 {
            let status: Value = office
                .get(server.url(&format!("/api/v1/contacts/import/{job}")))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            if status["state"] != "running" {
                assert_eq!(status["state"], "done", "{status}");
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    assert_eq!(count(&db, "Imported Person %").await, IMPORTED as i64, "the import is there once");
    server.kill();
    println!(
        "faults: killed with {} writes acknowledged, import {} at the kill, push {}; after restart nothing lost or doubled",
        acknowledged.len(),
        if imported_before == 0 { "rolled back" } else { "committed" },
        match push_answered {
            Ok(status) => format!("answered {status}"),
            Err(_) => "cut off".into(),
        }
    );
    db.close().await;
    let _ = std::fs::remove_dir_all(&scratch);
}

const EMAILS: usize = 3_000;

/// The `.eml` files in `dir`: name → (size, modified), the messages the file mailer delivered.
fn delivered(dir: &std::path::Path) -> std::collections::BTreeMap<String, (u64, std::time::SystemTime)> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Default::default() };
    entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let meta = e.metadata().ok()?;
            let modified = meta.modified().ok()?;
            std::path::Path::new(&name)
                .extension()
                .is_some_and(|ext| ext.eq_ignore_ascii_case("eml"))
                .then_some((name, (meta.len(), modified)))
        })
        .collect()
}

#[tokio::test]
async fn a_server_killed_while_sending_email_cuts_no_message_loses_none_and_sends_none_twice() {
    use fieldwork_server::mail::{self, outbox, transport::Transport, worker};
    let url = fresh_database_url().await;
    let scratch = std::env::temp_dir().join(format!("fw_test_mail_faults_{}", uuid::Uuid::now_v7().simple()));
    let mail_dir = scratch.join("mail");
    let db = Db::connect(&url).await.unwrap();
    fieldwork_server::startup::prepare(&db).await.unwrap();
    let mut tx = db.begin_write().await.unwrap();
    for i in 0..EMAILS {
        let queued = mail::Mail {
            key: format!("fault-{i}"),
            kind: "test".into(),
            to: format!("person{i}@example.com"),
            subject: format!("Message {i}"),
            text: format!("Body of message {i}, which must arrive whole.\n").repeat(20),
            contact_id: None,
            campaign_id: None,
            not_before: None,
        };
        assert!(mail::enqueue(&mut tx, &queued).await.unwrap().is_some());
    }
    tx.commit().await.unwrap();

    // The worker sends a batch every few milliseconds; it dies part-way through.
    let server = Server::start_with_jobs(&url, &scratch, 5).await;
    let deadline = std::time::Instant::now() + Duration::from_mins(2);
    while delivered(&mail_dir).len() < EMAILS / 5 {
        assert!(std::time::Instant::now() < deadline, "the worker sent too little: {}", delivered(&mail_dir).len());
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    server.kill();
    let at_kill = delivered(&mail_dir);
    assert!(at_kill.len() < EMAILS, "killed before it finished ({} sent)", at_kill.len());
    let whole = |name: &str| {
        let text = std::fs::read_to_string(mail_dir.join(name)).unwrap();
        text.contains("Subject: Message ") && text.trim_end().ends_with("which must arrive whole.")
    };
    assert!(at_kill.keys().all(|name| whole(name)), "no delivered message is cut short");
    let counts = outbox::counts(&db).await.unwrap();

    // Started again, the worker sends the rest; the messages a dead worker had claimed are
    // picked up once their claim is stale (here: a worker run ten minutes on).
    let server = Server::start_with_jobs(&url, &scratch, 5).await;
    let pending = || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM email_outbox WHERE status = 'pending'")
            .fetch_one(db.pool())
            .await
            .unwrap()
    };
    while pending().await > 0 {
        assert!(std::time::Instant::now() < deadline, "the restarted worker did not send the rest");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    server.kill();
    let mailer = worker::Mailer {
        transport: Transport::Files(mail_dir.clone()),
        from: fieldwork_server::config::Settings::for_tests(&url).mail_from,
    };
    // Both servers died holding claims (a batch each at most): the stale ones take as many
    // rounds as a worker would need.
    let later = chrono::Utc::now().timestamp_millis() + worker::STALE_MS + 1;
    let mut recovered = worker::Round::default();
    loop {
        let round = worker::deliver_due(&db, &mailer, later).await.unwrap();
        if round.sent + round.failed == 0 {
            break;
        }
        recovered.sent += round.sent;
        recovered.failed += round.failed;
        recovered.recovered += round.recovered;
    }

    assert_eq!(outbox::counts(&db).await.unwrap(), vec![("sent".to_string(), EMAILS as i64)], "every message sent");
    let ids: Vec<String> = sqlx::query_scalar("SELECT id FROM email_outbox").fetch_all(db.pool()).await.unwrap();
    let after = delivered(&mail_dir);
    assert_eq!(after.len(), EMAILS, "one file per message");
    assert!(ids.iter().all(|id| after.contains_key(&format!("{id}.eml"))), "each message delivered under its own id");
    assert!(after.keys().all(|name| whole(name)));
    for (name, before) in &at_kill {
        assert_eq!(after.get(name), Some(before), "{name}, delivered before the kill, was not sent again");
    }
    let sends: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM email_attempts WHERE outcome = 'sent'")
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(
        usize::try_from(sends).unwrap() + recovered.recovered,
        EMAILS,
        "each message sent once or found delivered, never both"
    );
    println!(
        "faults: killed after {} of {EMAILS} emails (outbox then {counts:?}); after restart {} claimed ones found \
         already delivered, {} sent late; all {EMAILS} delivered once, none cut short",
        at_kill.len(),
        recovered.recovered,
        recovered.sent - recovered.recovered
    );
    db.close().await;
    let _ = std::fs::remove_dir_all(&scratch);
}
