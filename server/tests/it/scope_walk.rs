//! The scope walk: every operation of the router — read from the `OpenAPI` document the router is
//! built from, so a new route is walked without anyone adding it here — called by everyone who
//! must get nothing: no session, a deactivated user, a revoked session, an API key whose owner
//! lost the admin role, and a rep of another territory asking for the first rep's records.
//! Each gets 401/403/404, no record data, and no write happens.

use crate::common::spawn_app;
use fieldwork_server::db::{Db, Engine};
use reqwest::{Client, Method};
use serde_json::{json, Value};

/// Operations anyone may call: signing in and out, health, the document itself, and links
/// that carry their own secret (calendar feeds, shared listings, survey and unsubscribe links,
/// public lead forms).
fn is_public(path: &str) -> bool {
    path.starts_with("/api/v1/auth/")
        || path.starts_with("/api/v1/public/")
        || path.starts_with("/api/v1/calendar/")
        || path.ends_with("/submissions")
        || path == "/healthz"
        || path == "/api/v1/openapi.json"
}

/// A fingerprint of everything a write could change: row counts of every table, the change
/// sequence, the audit log.
async fn fingerprint(db: &Db) -> Vec<(String, i64)> {
    let tables: Vec<String> = match db.engine() {
        Engine::Sqlite => sqlx::query_scalar(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
             AND name NOT LIKE 'contacts_fts_%' ORDER BY name",
        ),
        Engine::Postgres => sqlx::query_scalar(
            "SELECT CAST(table_name AS TEXT) FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
        ),
    }
    .fetch_all(db.pool())
    .await
    .unwrap();
    let mut out = Vec::new();
    for table in tables {
        let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(db.pool()).await.unwrap();
        out.push((table, n));
    }
    let sequence: i64 =
        sqlx::query_scalar("SELECT value FROM change_sequence WHERE id = 1").fetch_one(db.pool()).await.unwrap();
    out.push(("change_sequence.value".into(), sequence));
    out
}

/// One id of a record of `sql` (`$1` = the first rep's id).
async fn one(db: &Db, sql: &str, rep: &str) -> String {
    sqlx::query_scalar(sql).bind(rep).fetch_one(db.pool()).await.unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// The first rep's records, by the path they appear under.
struct Records {
    contact: String,
    second_contact: String,
    contact_name: String,
    appointment: String,
    deal: String,
    listing: String,
    task: String,
    visit: String,
    activity: String,
    territory: String,
    user: String,
    template: String,
    form: String,
    key: String,
    field: String,
}

impl Records {
    /// `path` with every parameter replaced by the record it names.
    fn fill(&self, path: &str) -> String {
        let section = path.trim_start_matches("/api/v1/").split('/').next().unwrap_or_default();
        let id = match section {
            _ if !path.contains("{id}") => String::new(),
            "contacts" if path.contains("/import/") => uuid::Uuid::now_v7().to_string(),
            "contacts" => self.contact.clone(),
            "appointments" => self.appointment.clone(),
            "deals" => self.deal.clone(),
            "listings" => self.listing.clone(),
            "tasks" => self.task.clone(),
            "visits" => self.visit.clone(),
            "territories" => self.territory.clone(),
            "users" => self.user.clone(),
            "templates" => self.template.clone(),
            "forms" => self.form.clone(),
            "api-keys" => self.key.clone(),
            "fields" => self.field.clone(),
            other => panic!("the scope walk does not know whose record {{id}} is under /{other}: add it to Records"),
        };
        path.replace("{id}", &id)
            .replace("{record_id}", &self.contact)
            .replace("{photo_id}", &uuid::Uuid::now_v7().to_string())
            .replace("{transaction}", "sale")
            .replace("{name}", "reps")
            .replace("{token}", "fwt_not_a_real_token")
            .replace("{file}", "fwc_not_a_real_feed.ics")
            .replace("{list}", "contacts")
    }

    /// Strings that must never reach someone outside the first rep's scope.
    fn markers(&self) -> [&str; 8] {
        [
            &self.contact,
            &self.contact_name,
            &self.appointment,
            &self.deal,
            &self.listing,
            &self.task,
            &self.visit,
            &self.activity,
        ]
    }
}

/// A body that passes validation for the writes on a record's path, so a refusal can only
/// come from scope; `{}` elsewhere. A new write route that needs a body gets a 400 from the
/// walk until it has one here.
fn body_for(method: &str, path: &str, records: &Records) -> Value {
    let path = path.trim_start_matches("/api/v1");
    match (method, path) {
        ("post", "/contacts/{id}/activities") => {
            json!({"kind": "call", "direction": "outbound", "duration_s": 10, "result": "connected", "body": "Walk"})
        }
        ("post", "/contacts/{id}/emails") => json!({"template_id": records.template}),
        ("post", "/contacts/{id}/merge") => json!({"from": [records.second_contact]}),
        ("put", "/contacts/{id}/requirements") => json!({"transaction": "sale"}),
        ("put", "/listings/{id}/photos/order") => json!({"photo_ids": []}),
        ("put", "/templates/{id}") => json!({"name": "Walked", "subject": "Walked", "body": "Walked"}),
        ("put", "/fields/{id}") => {
            json!({"record_type": "contact", "key": "walk", "label": {"en": "Walked"}, "kind": "text"})
        }
        ("put", "/territories/{id}/assignees") => json!({"assignees": []}),
        ("post", "/users/{id}/password") => json!({"password": "mango tractor velvet 42"}),
        ("post", "/visits/{id}/checkout") => json!({"outcome": "interested"}),
        ("post", "/users/{id}/book/move") => json!({"to": [uuid::Uuid::now_v7()]}),
        _ => json!({}),
    }
}

/// Routes with an id that any rep may read, because what they answer is company-wide or the
/// caller's own: email templates (reps send them), and the caller's own sync conflicts about a
/// record id. They must still show none of the first rep's records, and write nothing.
fn readable_by_any_rep(method: &str, path: &str) -> bool {
    matches!(
        (method, path.trim_start_matches("/api/v1")),
        ("get", "/templates/{id}" | "/sync/conflicts/{record_id}") | ("post", "/templates/{id}/preview")
    )
}

async fn call(client: &Client, method: &str, url: &str, bearer: Option<&str>, body: &Value) -> (u16, String) {
    let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
    let mut request = client.request(method.clone(), url);
    if method != Method::GET && method != Method::DELETE {
        request = request.json(body);
    }
    if let Some(secret) = bearer {
        request = request.bearer_auth(secret);
    }
    let response = request.send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

async fn sign_in(app: &crate::common::TestApp, email: &str, password: &str) -> Client {
    crate::common::sign_in_at(&app.base, email, password).await
}

/// A client that sends this fixed session cookie (the browser of someone whose session ended).
fn with_cookie(cookie: &str) -> Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(reqwest::header::COOKIE, cookie.parse().unwrap());
    Client::builder().default_headers(headers).build().unwrap()
}

async fn session_cookie_of(app: &crate::common::TestApp, email: &str, password: &str) -> String {
    let r = Client::new()
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let set = r.headers().get_all("set-cookie").iter().find_map(|v| {
        let v = v.to_str().ok()?;
        v.starts_with("fieldwork_session=").then(|| v.split(';').next().unwrap().to_string())
    });
    set.expect("a session cookie")
}

#[tokio::test]
async fn every_route_refuses_strangers_and_other_territories_reps_and_writes_nothing() {
    use fieldwork_server::seed::demo::PASSWORD as DEMO;
    let app = spawn_app().await;
    fieldwork_server::seed::demo::seed(&app.db).await.unwrap();
    let rep1 = sign_in(&app, "rep1@fieldwork.demo", DEMO).await;
    let rep2 = sign_in(&app, "rep2@fieldwork.demo", DEMO).await;
    let admin = sign_in(&app, "admin@fieldwork.demo", DEMO).await;
    let me: Value = rep1.get(app.url("/api/v1/me")).send().await.unwrap().json().await.unwrap();
    let rep = me["id"].as_str().unwrap().to_string();
    let db = &app.db;

    // The first rep's records: seeded ones, and a visit and a call of their own.
    let contact = one(db, "SELECT id FROM contacts WHERE owner_id = $1 ORDER BY id LIMIT 1", &rep).await;
    let contact_name = one(db, "SELECT name FROM contacts WHERE owner_id = $1 ORDER BY id LIMIT 1", &rep).await;
    let visit: Value = rep1
        .post(app.url("/api/v1/visits"))
        .json(&json!({"contact_id": contact}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let activity: Value = rep1
        .post(app.url(&format!("/api/v1/contacts/{contact}/activities")))
        .json(
            &json!({"kind": "call", "direction": "outbound", "duration_s": 30, "result": "connected", "body": "Walk"}),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let key: Value = admin
        .post(app.url("/api/v1/api-keys"))
        .json(&json!({"name": "Walk"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let field: Value = admin
        .post(app.url("/api/v1/fields"))
        .json(&json!({"record_type": "contact", "key": "walk", "label": {"en": "Walk"}, "kind": "text"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let second_contact = one(db, "SELECT id FROM contacts WHERE owner_id = $1 ORDER BY id DESC LIMIT 1", &rep).await;
    let records = Records {
        contact,
        second_contact,
        contact_name,
        appointment: one(db, "SELECT id FROM appointments WHERE assignee_id = $1 ORDER BY id LIMIT 1", &rep).await,
        deal: one(db, "SELECT id FROM deals WHERE owner_id = $1 ORDER BY id LIMIT 1", &rep).await,
        listing: one(db, "SELECT id FROM listings WHERE agent_id = $1 ORDER BY id LIMIT 1", &rep).await,
        task: one(db, "SELECT id FROM tasks WHERE assignee_id = $1 ORDER BY id LIMIT 1", &rep).await,
        visit: visit["id"].as_str().expect("a visit").to_string(),
        activity: activity["id"].as_str().expect("a call").to_string(),
        territory: one(
            db,
            "SELECT territory_id FROM territory_assignments WHERE user_id = $1 ORDER BY territory_id LIMIT 1",
            &rep,
        )
        .await,
        user: rep.clone(),
        template: one(db, "SELECT id FROM email_templates WHERE $1 <> '' ORDER BY id LIMIT 1", &rep).await,
        form: one(db, "SELECT id FROM lead_forms WHERE $1 <> '' ORDER BY id LIMIT 1", &rep).await,
        key: key["key"]["id"].as_str().unwrap().to_string(),
        field: field["id"].as_str().expect("a custom field").to_string(),
    };

    // Strangers: no session; a deactivated user's browser; a session that was signed out; the
    // key of an admin who is an admin no more.
    let leaver = app.user("rep").await;
    let leaver_cookie = session_cookie_of(&app, leaver.email.as_str(), crate::common::PASSWORD).await;
    let r = admin.patch(app.url(&format!("/api/v1/users/{}", leaver.id))).json(&json!({"active": false})).send().await;
    assert_eq!(r.unwrap().status(), 200);
    let signed_out = app.user("rep").await;
    let old_cookie = session_cookie_of(&app, signed_out.email.as_str(), crate::common::PASSWORD).await;
    assert_eq!(with_cookie(&old_cookie).post(app.url("/api/v1/auth/logout")).send().await.unwrap().status(), 204);
    let (former_admin, former) = app.signed_in("admin").await;
    let former_key: Value = former_admin
        .post(app.url("/api/v1/api-keys"))
        .json(&json!({"name": "Old"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let former_secret = former_key["secret"].as_str().unwrap().to_string();
    let r = admin.patch(app.url(&format!("/api/v1/users/{}", former.id))).json(&json!({"role": "rep"})).send().await;
    assert_eq!(r.unwrap().status(), 200);
    let strangers: [(&str, Client, Option<&str>); 4] = [
        ("no session", Client::new(), None),
        ("a deactivated user", with_cookie(&leaver_cookie), None),
        ("a signed-out session", with_cookie(&old_cookie), None),
        ("the key of a former admin", Client::new(), Some(&former_secret)),
    ];

    let doc: Value = reqwest::get(app.url("/api/v1/openapi.json")).await.unwrap().json().await.unwrap();
    let mut operations: Vec<(String, String)> = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            operations.push((path.clone(), method.clone()));
        }
    }
    let (mut walked, mut calls, mut failures) = (0, 0, Vec::new());
    for (path, method) in &operations {
        if is_public(path) {
            continue;
        }
        walked += 1;
        let url = app.url(&records.fill(path));
        let sent = body_for(method, path, &records);
        for (who, client, bearer) in &strangers {
            let before = fingerprint(db).await;
            let (status, body) = call(client, method, &url, *bearer, &sent).await;
            calls += 1;
            if status != 401 {
                failures.push(format!("{who}: {method} {path} answered {status}: {body:.200}"));
            }
            if fingerprint(db).await != before {
                failures.push(format!("{who}: {method} {path} wrote to the database"));
            }
        }
        // A rep of another territory, asking for the first rep's record. The caller's own
        // settings (`/me/…`) name no one else's record, so there is nothing to ask for there.
        if path.contains('{') && !path.starts_with("/api/v1/me/") {
            let before = fingerprint(db).await;
            let (status, body) = call(&rep2, method, &url, None, &sent).await;
            calls += 1;
            let refused = [403, 404].contains(&status) || (readable_by_any_rep(method, path) && status == 200);
            if !refused {
                failures.push(format!("another rep: {method} {path} answered {status}: {body:.200}"));
            }
            if let Some(m) = records.markers().iter().find(|m| body.contains(**m)) {
                failures.push(format!("another rep: {method} {path} showed {m}"));
            }
            if fingerprint(db).await != before {
                failures.push(format!("another rep: {method} {path} wrote to the database"));
            }
        } else if method == "get" {
            let (_, body) = call(&rep2, method, &url, None, &sent).await;
            calls += 1;
            if let Some(m) = records.markers().iter().find(|m| body.contains(**m)) {
                failures.push(format!("another rep: GET {path} listed {m}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {calls} calls over {walked} operations failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(walked >= 100, "only {walked} operations walked");
    println!("scope walk: {walked} operations, {calls} calls, 0 failures");
}
