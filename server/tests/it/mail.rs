//! Email, notifications, templates, lead-capture forms and feedback, with the file mailer:
//! the worker is driven by hand (`jobs::run_once` at a chosen instant) and the `.eml` files it
//! writes are read back.

use crate::common::{error_fields, spawn_app, TestApp};
use chrono::{Duration, TimeZone, Utc};
use fieldwork_server::jobs::run_once;
use fieldwork_server::mail::{self, outbox, transport::Envelope, worker};
use serde_json::{json, Value};

async fn json_of(r: reqwest::Response) -> (u16, Value) {
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

/// Every email the file mailer wrote, as text.
fn emails(app: &TestApp) -> Vec<String> {
    let Ok(dir) = std::fs::read_dir(&app.state.settings.mail_dir) else { return Vec::new() };
    let mut files: Vec<_> =
        dir.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "eml")).collect();
    files.sort();
    // Long lines come quoted-printable: undo the soft line breaks and the escaped `=`.
    files.iter().map(|p| std::fs::read_to_string(p).unwrap().replace("=\r\n", "").replace("=3D", "=")).collect()
}

/// The emails whose subject line starts with `prefix`.
fn with_subject(app: &TestApp, prefix: &str) -> Vec<String> {
    emails(app).into_iter().filter(|e| e.contains(&format!("\nSubject: {prefix}"))).collect()
}

async fn set_zone(app: &TestApp, client: &reqwest::Client, zone: &str) {
    let r = client.patch(app.url("/api/v1/me")).json(&json!({"time_zone": zone})).send().await.unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn a_reminder_is_written_once_at_its_instant_in_the_recipients_time_zone() {
    let app = spawn_app().await;
    let (office, _) = app.signed_in("office").await;
    let (rep_client, rep) = app.signed_in("rep").await;
    set_zone(&app, &rep_client, "America/New_York").await;
    // 15:00 UTC is 10:00 in New York (EST) and 21:00 in Dhaka, where the appointment is.
    let starts_at = Utc.with_ymd_and_hms(2031, 1, 15, 15, 0, 0).unwrap();
    let body = json!({"kind": "meeting", "title": "Quote review", "starts_at": starts_at, "time_zone": "Asia/Dhaka",
        "assignee_id": rep.id, "reminder_minutes": 45});
    let (status, appointment) =
        json_of(office.post(app.url("/api/v1/appointments")).json(&body).send().await.unwrap()).await;
    assert_eq!(status, 201, "{appointment}");

    let due = starts_at - Duration::minutes(45);
    let round = run_once(&app.state, due - Duration::seconds(1)).await.unwrap();
    assert_eq!(round.given.reminders, 0, "not a second early");
    assert!(with_subject(&app, "Reminder").is_empty());
    assert_eq!(with_subject(&app, "New appointment: Quote review").len(), 1, "the rep was told it was scheduled");

    let round = run_once(&app.state, due).await.unwrap();
    assert_eq!(round.given.reminders, 1);
    let reminders = with_subject(&app, "Reminder");
    assert_eq!(reminders.len(), 1);
    assert!(reminders[0].contains("Subject: Reminder: Quote review at 10:00"), "{}", reminders[0]);
    assert!(reminders[0].contains("Wed 15 Jan 2031, 10:00 (America/New_York)"), "{}", reminders[0]);
    assert!(reminders[0].contains(&format!("To: {}", rep.email.as_str())), "{}", reminders[0]);
    assert!(reminders[0].contains(appointment["id"].as_str().unwrap()), "the email links to the appointment");

    // Later rounds (and a restarted worker) find nothing new.
    for later in [due + Duration::seconds(5), due + Duration::minutes(30)] {
        assert_eq!(run_once(&app.state, later).await.unwrap().given.reminders, 0);
    }
    assert_eq!(with_subject(&app, "Reminder").len(), 1);
    // The rep sees it in the app too.
    let inbox: Value = rep_client.get(app.url("/api/v1/me/notifications")).send().await.unwrap().json().await.unwrap();
    let kinds: Vec<&str> = inbox["items"].as_array().unwrap().iter().map(|n| n["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["reminder", "appointment"]);
}

#[tokio::test]
async fn the_agenda_goes_out_once_at_seven_in_the_reps_zone_and_email_can_be_turned_off() {
    let app = spawn_app().await;
    let (rep_client, rep) = app.signed_in("rep").await;
    set_zone(&app, &rep_client, "Asia/Dhaka").await;
    // 09:30 Dhaka on 2031-03-04 is 03:30 UTC.
    let starts_at = Utc.with_ymd_and_hms(2031, 3, 4, 3, 30, 0).unwrap();
    let body = json!({"kind": "showing", "title": "Gulshan flat", "starts_at": starts_at});
    assert_eq!(rep_client.post(app.url("/api/v1/appointments")).json(&body).send().await.unwrap().status(), 201);
    assert!(with_subject(&app, "New appointment").is_empty(), "nobody is told about what they scheduled themselves");

    let at = |h: u32, m: u32| Utc.with_ymd_and_hms(2031, 3, 4, h, m, 0).unwrap() - Duration::hours(6);
    assert_eq!(run_once(&app.state, at(6, 59)).await.unwrap().given.agendas, 0, "not before 07:00 Dhaka");
    assert_eq!(run_once(&app.state, at(7, 0)).await.unwrap().given.agendas, 1);
    assert_eq!(run_once(&app.state, at(7, 5)).await.unwrap().given.agendas, 0, "once a day");
    let agenda = with_subject(&app, "Your day");
    assert_eq!(agenda.len(), 1);
    assert!(agenda[0].contains("09:30  Gulshan flat"), "{}", agenda[0]);
    let _ = rep;

    // Turned off, the next morning's agenda is not emailed (and the agenda is never in the inbox).
    let off = json!([{"kind": "agenda", "email": false}]);
    let (status, settings) =
        json_of(rep_client.put(app.url("/api/v1/me/notification-settings")).json(&off).send().await.unwrap()).await;
    assert_eq!(status, 200);
    assert!(settings.as_array().unwrap().iter().any(|s| s["kind"] == "agenda" && s["email"] == false), "{settings}");
    assert!(settings.as_array().unwrap().iter().any(|s| s["kind"] == "reminder" && s["email"] == true), "{settings}");
    let next_day = starts_at + Duration::days(1);
    let body = json!({"kind": "showing", "title": "Banani flat", "starts_at": next_day});
    assert_eq!(rep_client.post(app.url("/api/v1/appointments")).json(&body).send().await.unwrap().status(), 201);
    assert_eq!(run_once(&app.state, at(7, 0) + Duration::days(1)).await.unwrap().given.agendas, 1);
    assert_eq!(with_subject(&app, "Your day").len(), 1, "no second agenda email");
    let bad = json!([{"kind": "spam", "email": false}]);
    assert_eq!(
        rep_client.put(app.url("/api/v1/me/notification-settings")).json(&bad).send().await.unwrap().status(),
        400
    );
}

fn queued(key: &str, to: &str) -> mail::Mail {
    mail::Mail {
        key: key.into(),
        kind: "test".into(),
        to: to.into(),
        subject: format!("About {key}"),
        text: "Body".into(),
        contact_id: None,
        campaign_id: None,
        not_before: None,
    }
}

#[tokio::test]
async fn a_worker_killed_between_sending_and_recording_does_not_send_twice() {
    let app = spawn_app().await;
    let db = &app.db;
    let mut tx = db.begin_write().await.unwrap();
    assert!(mail::enqueue(&mut tx, &queued("sent-then-killed", "a@example.com")).await.unwrap().is_some());
    assert!(mail::enqueue(&mut tx, &queued("killed-before-sending", "b@example.com")).await.unwrap().is_some());
    assert!(
        mail::enqueue(&mut tx, &queued("sent-then-killed", "a@example.com")).await.unwrap().is_none(),
        "one per key"
    );
    tx.commit().await.unwrap();

    // A worker claims both, sends the first… and dies before recording anything.
    let now = Utc::now().timestamp_millis();
    let claimed = outbox::claim(db, now, worker::STALE_MS, 10).await.unwrap();
    assert_eq!(claimed.len(), 2);
    let first = claimed.iter().find(|c| c.idempotency_key == "sent-then-killed").unwrap();
    let envelope = Envelope { id: &first.id, to: &first.to_address, subject: &first.subject, text: &first.body_text };
    app.state.mailer.transport.send(&app.state.mailer.from, &envelope).await.unwrap();
    assert_eq!(emails(&app).len(), 1);

    // While the claim is fresh, another worker leaves them alone.
    let round = worker::deliver_due(db, &app.state.mailer, now + 1000).await.unwrap();
    assert_eq!(round, worker::Round::default());
    // Once it is stale, the next worker recovers both: the first is recorded without a second
    // send, the second is sent.
    let later = now + worker::STALE_MS + 1;
    let round = worker::deliver_due(db, &app.state.mailer, later).await.unwrap();
    assert_eq!((round.sent, round.recovered, round.failed), (2, 1, 0));
    let all = emails(&app);
    assert_eq!(all.len(), 2, "each email exactly once");
    assert_eq!(all.iter().filter(|e| e.contains("To: a@example.com")).count(), 1);
    assert_eq!(outbox::counts(db).await.unwrap(), vec![("sent".to_string(), 2)]);
    let outcomes: Vec<(String, i64)> =
        sqlx::query_as("SELECT outcome, COUNT(*) FROM email_attempts GROUP BY outcome ORDER BY outcome")
            .fetch_all(db.pool())
            .await
            .unwrap();
    assert_eq!(outcomes, vec![("already_sent".to_string(), 1), ("sent".to_string(), 1)]);
    assert_eq!(
        worker::deliver_due(db, &app.state.mailer, later + worker::STALE_MS * 2).await.unwrap(),
        worker::Round::default()
    );
}

#[tokio::test]
async fn a_failed_send_is_retried_with_backoff_and_a_bad_address_is_given_up() {
    let app = spawn_app().await;
    let db = &app.db;
    let mut tx = db.begin_write().await.unwrap();
    mail::enqueue(&mut tx, &queued("bad-address", "not an address")).await.unwrap();
    tx.commit().await.unwrap();
    let now = Utc::now().timestamp_millis();
    let round = worker::deliver_due(db, &app.state.mailer, now).await.unwrap();
    assert_eq!(round.failed, 1);
    assert_eq!(outbox::counts(db).await.unwrap(), vec![("failed".to_string(), 1)], "a bad address is not retried");

    // A folder that cannot be written is a temporary failure: retried after the backoff.
    let blocked = std::env::temp_dir().join(format!("fw-blocked-{}", uuid::Uuid::now_v7()));
    std::fs::write(&blocked, "a file where the folder should be").unwrap();
    let mailer = worker::Mailer {
        transport: fieldwork_server::mail::transport::Transport::Files(blocked.clone()),
        from: app.state.mailer.from.clone(),
    };
    let mut tx = db.begin_write().await.unwrap();
    mail::enqueue(&mut tx, &queued("retry-me", "c@example.com")).await.unwrap();
    tx.commit().await.unwrap();
    let now = Utc::now().timestamp_millis();
    assert_eq!(worker::deliver_due(db, &mailer, now).await.unwrap().failed, 1);
    let next: i64 = sqlx::query_scalar("SELECT next_attempt_at FROM email_outbox WHERE idempotency_key = 'retry-me'")
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(next, now + worker::backoff_ms(1));
    assert_eq!(worker::deliver_due(db, &app.state.mailer, next - 1).await.unwrap(), worker::Round::default());
    assert_eq!(worker::deliver_due(db, &app.state.mailer, next).await.unwrap().sent, 1, "the retry goes out");
    std::fs::remove_file(blocked).unwrap();
}

async fn contact(app: &TestApp, client: &reqwest::Client, name: &str, email: &str, consent: bool) -> Value {
    let body = json!({"name": name, "emails": [email], "consent": {"email": consent, "sms": false, "calls": true},
        "location": {"lat": 23.7940, "lon": 90.4043}});
    let (status, contact) = json_of(client.post(app.url("/api/v1/contacts")).json(&body).send().await.unwrap()).await;
    assert_eq!(status, 201, "{contact}");
    contact
}

#[tokio::test]
async fn templates_refuse_unknown_placeholders_and_sending_one_logs_it_on_the_contact() {
    let app = spawn_app().await;
    let (office, _) = app.signed_in("office").await;
    let (rep, _) = app.signed_in("rep").await;
    let templates = app.url("/api/v1/templates");
    let bad =
        json!({"name": "Welcome", "subject": "Hello {{contact.first_name}}", "body": "Dear {{contact.nickname}}"});
    let (status, body) = json_of(office.post(&templates).json(&bad).send().await.unwrap()).await;
    assert_eq!((status, error_fields(&body)), (400, vec!["body".to_string()]), "{body}");
    assert!(body["error"]["fields"]["body"].as_str().unwrap().contains("{{contact.nickname}}"), "{body}");
    let broken = json!({"name": "Welcome", "subject": "Hello {{ contact.name", "body": "x"});
    let (status, body) = json_of(office.post(&templates).json(&broken).send().await.unwrap()).await;
    assert_eq!((status, error_fields(&body)), (400, vec!["subject".to_string()]), "{body}");
    let good = json!({"name": "Welcome", "subject": "Welcome, {{contact.first_name}}",
        "body": "Dear {{ contact.first_name }},\nthank you for your time today.\n{{ sender.name }}"});
    assert_eq!(
        rep.post(&templates).json(&good).send().await.unwrap().status(),
        403,
        "reps use templates, not write them"
    );
    let (status, template) = json_of(office.post(&templates).json(&good).send().await.unwrap()).await;
    assert_eq!(status, 201, "{template}");
    let id = template["id"].as_str().unwrap();
    let listing_template = json!({"name": "New flat", "subject": "{{listing.title}}", "body": "{{listing.price}}"});
    let (_, listing_template) = json_of(office.post(&templates).json(&listing_template).send().await.unwrap()).await;

    let nadia = contact(&app, &office, "Nadia Rahman", "nadia@example.com", false).await;
    let (status, preview) = json_of(
        office
            .post(app.url(&format!("/api/v1/templates/{id}/preview")))
            .json(&json!({"contact_id": nadia["id"]}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200, "{preview}");
    assert_eq!(preview["subject"], "Welcome, Nadia");
    assert!(preview["body"].as_str().unwrap().starts_with("Dear Nadia,\n"), "{preview}");
    assert_eq!(preview["to"], "nadia@example.com");
    // A rep cannot render a template against someone else's contact.
    let (status, _) = json_of(
        rep.post(app.url(&format!("/api/v1/templates/{id}/preview")))
            .json(&json!({"contact_id": nadia["id"]}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 400);

    let send = app.url(&format!("/api/v1/contacts/{}/emails", nadia["id"].as_str().unwrap()));
    let (status, body) =
        json_of(office.post(&send).json(&json!({"template_id": listing_template["id"]})).send().await.unwrap()).await;
    assert_eq!((status, error_fields(&body)), (400, vec!["listing_id".to_string()]), "{body}");
    assert_eq!(rep.post(&send).json(&json!({"template_id": id})).send().await.unwrap().status(), 404);
    let (status, queued) = json_of(office.post(&send).json(&json!({"template_id": id})).send().await.unwrap()).await;
    assert_eq!(status, 201, "{queued}");
    let timeline: Value = office
        .get(app.url(&format!("/api/v1/contacts/{}/timeline", nadia["id"].as_str().unwrap())))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let first = &timeline["items"][0];
    assert_eq!(
        (first["kind"].as_str(), first["title"].as_str()),
        (Some("email"), Some("Welcome, Nadia")),
        "{timeline}"
    );
    run_once(&app.state, Utc::now()).await.unwrap();
    let sent = with_subject(&app, "Welcome, Nadia");
    assert_eq!(sent.len(), 1);
    assert!(
        sent[0].contains("To: nadia@example.com") && sent[0].contains("thank you for your time today"),
        "{}",
        sent[0]
    );
}

async fn form(app: &TestApp, admin: &reqwest::Client, owner: &Value) -> Value {
    let body = json!({"name": "Website", "fields": ["name", "email", "phone", "message"], "required": ["name"],
        "owner_id": owner, "thank_you": "Thanks, we will call you today."});
    let (status, form) = json_of(admin.post(app.url("/api/v1/forms")).json(&body).send().await.unwrap()).await;
    assert_eq!(status, 201, "{form}");
    form
}

#[tokio::test]
async fn a_form_submission_creates_or_updates_a_lead_logs_it_and_tells_the_owner() {
    let app = spawn_app().await;
    let (admin, _) = app.signed_in("admin").await;
    let (rep, owner) = app.signed_in("rep").await;
    assert_eq!(rep.post(app.url("/api/v1/forms")).json(&json!({"name": "x"})).send().await.unwrap().status(), 403);
    let bad = json!({"name": "x", "fields": ["name", "message"]});
    let (status, body) = json_of(admin.post(app.url("/api/v1/forms")).json(&bad).send().await.unwrap()).await;
    assert_eq!((status, error_fields(&body)), (400, vec!["fields".to_string()]));
    let form = form(&app, &admin, &json!(owner.id)).await;
    let submit = app.url(&format!("/api/v1/forms/{}/submissions", form["id"].as_str().unwrap()));
    let anonymous = reqwest::Client::new();

    // A plain HTML form post (form-encoded, from another site) gets a page back.
    let r = anonymous
        .post(&submit)
        .header("origin", "https://www.example-agency.com")
        .form(&[
            ("name", "Karim Ahmed"),
            ("email", "Karim@Example.com"),
            ("message", "3-bed flat in Gulshan?"),
            ("website", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    assert_eq!(r.headers()["access-control-allow-origin"], "*");
    assert!(r.text().await.unwrap().contains("Thanks, we will call you today."));

    let leads: Value = rep.get(app.url("/api/v1/contacts?q=Karim")).send().await.unwrap().json().await.unwrap();
    assert_eq!(leads["items"].as_array().unwrap().len(), 1, "{leads}");
    let lead = &leads["items"][0];
    let lead_id = lead["id"].as_str().unwrap();
    let timeline: Value =
        rep.get(app.url(&format!("/api/v1/contacts/{lead_id}/timeline"))).send().await.unwrap().json().await.unwrap();
    assert_eq!(timeline["items"][0]["title"], "Web form: Website", "{timeline}");
    assert!(timeline["items"][0]["detail"].as_str().unwrap().contains("Message: 3-bed flat in Gulshan?"));
    let inbox: Value = rep.get(app.url("/api/v1/me/notifications")).send().await.unwrap().json().await.unwrap();
    assert_eq!(inbox["items"][0]["title"], "New lead from Website: Karim Ahmed", "{inbox}");

    // The same email again (JSON this time) updates that lead instead of making another.
    let r = anonymous
        .post(&submit)
        .json(&json!({"name": "Karim A.", "email": "karim@example.com", "message": "Any news?"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    assert_eq!(r.json::<Value>().await.unwrap()["message"], "Thanks, we will call you today.");
    let leads: Value = rep.get(app.url("/api/v1/contacts?q=karim")).send().await.unwrap().json().await.unwrap();
    assert_eq!(leads["items"].as_array().unwrap().len(), 1, "deduplicated by email: {leads}");
    let timeline: Value =
        rep.get(app.url(&format!("/api/v1/contacts/{lead_id}/timeline"))).send().await.unwrap().json().await.unwrap();
    assert!(timeline["items"][0]["detail"].as_str().unwrap().contains("Any news?"), "{timeline}");

    // A bot fills in the honeypot: thanked, and nothing is stored.
    let r = anonymous
        .post(&submit)
        .form(&[("name", "Cheap pills"), ("email", "bot@spam.example"), ("website", "http://spam")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let spam: Value = rep.get(app.url("/api/v1/contacts?q=pills")).send().await.unwrap().json().await.unwrap();
    assert!(spam["items"].as_array().unwrap().is_empty());
    // A bad field names itself; an unknown form is 404; a browser may ask before posting JSON.
    let (status, body) = json_of(anonymous.post(&submit).json(&json!({"email": "nobody"})).send().await.unwrap()).await;
    assert_eq!((status, error_fields(&body)), (400, vec!["email".to_string(), "name".to_string()]), "{body}");
    let unknown = app.url(&format!("/api/v1/forms/{}/submissions", uuid::Uuid::now_v7()));
    assert_eq!(
        anonymous.post(&unknown).json(&json!({"name": "x", "email": "x@example.com"})).send().await.unwrap().status(),
        404
    );
    let preflight = anonymous.request(reqwest::Method::OPTIONS, &submit).send().await.unwrap();
    assert_eq!(preflight.status(), 204);
    assert_eq!(preflight.headers()["access-control-allow-origin"], "*");
    // Too big is refused before it is read.
    let huge = "x".repeat(20_000);
    assert_eq!(anonymous.post(&submit).form(&[("name", huge.as_str())]).send().await.unwrap().status(), 413);

    // The owner's email went out with the worker.
    run_once(&app.state, Utc::now()).await.unwrap();
    assert_eq!(with_subject(&app, "New lead from Website: Karim Ahmed").len(), 1);
    let listed: Value = admin.get(app.url("/api/v1/forms")).send().await.unwrap().json().await.unwrap();
    assert_eq!(listed[0]["submissions"], 2, "{listed}");
}

#[tokio::test]
async fn posting_a_form_too_often_from_one_address_gets_429() {
    let app = spawn_app().await;
    let (admin, admin_user) = app.signed_in("admin").await;
    let form = form(&app, &admin, &json!(admin_user.id)).await;
    let submit = app.url(&format!("/api/v1/forms/{}/submissions", form["id"].as_str().unwrap()));
    let client = reqwest::Client::new();
    let mut statuses = Vec::new();
    for i in 0..20 {
        let email = format!("visitor{i}@example.com");
        let r = client.post(&submit).form(&[("name", "Visitor"), ("email", email.as_str())]).send().await.unwrap();
        statuses.push(r.status().as_u16());
    }
    let limit = app.state.settings.form_rate_per_minute as usize;
    assert!(statuses[..limit].iter().all(|s| *s == 201), "{statuses:?}");
    assert!(statuses[limit..].iter().all(|s| *s == 429), "{statuses:?}");
    let leads: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM form_submissions").fetch_one(app.db.pool()).await.unwrap();
    assert_eq!(leads, limit as i64);
}

#[tokio::test]
async fn reps_cannot_create_change_or_delete_templates_and_only_admins_create_or_delete_forms() {
    let app = spawn_app().await;
    let (admin, admin_user) = app.signed_in("admin").await;
    let (office, _) = app.signed_in("office").await;
    let (rep, _) = app.signed_in("rep").await;
    let templates = app.url("/api/v1/templates");
    let good =
        json!({"name": "Welcome", "subject": "Welcome, {{contact.first_name}}", "body": "Dear {{ contact.name }}"});
    let (status, template) = json_of(office.post(&templates).json(&good).send().await.unwrap()).await;
    assert_eq!(status, 201, "{template}");
    let template_url = app.url(&format!("/api/v1/templates/{}", template["id"].as_str().unwrap()));
    let form = form(&app, &admin, &json!(admin_user.id)).await;
    let form_url = app.url(&format!("/api/v1/forms/{}", form["id"].as_str().unwrap()));
    let new_form = json!({"name": "Another", "fields": ["name", "email"], "required": ["name"]});

    let refused = [
        rep.post(&templates).json(&good).send().await.unwrap().status(),
        rep.put(&template_url)
            .json(&json!({"name": "Mine", "subject": "x", "body": "y"}))
            .send()
            .await
            .unwrap()
            .status(),
        rep.delete(&template_url).send().await.unwrap().status(),
        rep.post(app.url("/api/v1/forms")).json(&new_form).send().await.unwrap().status(),
        rep.delete(&form_url).send().await.unwrap().status(),
        office.post(app.url("/api/v1/forms")).json(&new_form).send().await.unwrap().status(),
        office.delete(&form_url).send().await.unwrap().status(),
    ];

    assert!(refused.iter().all(|s| *s == 403), "{refused:?}");
    let kept: Vec<Value> = rep.get(&templates).send().await.unwrap().json().await.unwrap();
    assert_eq!((kept.len(), kept[0]["name"].as_str()), (1, Some("Welcome")));
    let forms: Vec<Value> = admin.get(app.url("/api/v1/forms")).send().await.unwrap().json().await.unwrap();
    assert_eq!(forms.len(), 1);
    assert_eq!(crate::common::audited(&app.db, "delete").await, 0);
}

/// The feedback link in the email the worker wrote for `to`.
fn feedback_link(app: &TestApp, to: &str) -> Option<String> {
    emails(app).into_iter().filter(|e| e.contains(&format!("To: {to}"))).find_map(|e| {
        let start = e.find("/feedback/fwf_")?;
        let token: String =
            e[start + "/feedback/".len()..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
        Some(token)
    })
}

#[tokio::test]
async fn a_checked_out_visit_sends_a_one_time_feedback_link_and_the_answer_lands_on_the_contact() {
    let app = spawn_app().await;
    let (rep, _) = app.signed_in("rep").await;
    let asked = contact(&app, &rep, "Salma Begum", "salma@example.com", true).await;
    let not_asked = contact(&app, &rep, "Rubel Hossain", "rubel@example.com", false).await;
    for c in [&asked, &not_asked] {
        let (status, visit) =
            json_of(rep.post(app.url("/api/v1/visits")).json(&json!({"contact_id": c["id"]})).send().await.unwrap())
                .await;
        assert_eq!(status, 201, "{visit}");
        let checkout = app.url(&format!("/api/v1/visits/{}/checkout", visit["id"].as_str().unwrap()));
        assert_eq!(rep.post(&checkout).json(&json!({"outcome": "Interested"})).send().await.unwrap().status(), 200);
    }
    run_once(&app.state, Utc::now()).await.unwrap();
    assert!(feedback_link(&app, "rubel@example.com").is_none(), "no email without consent");
    let token = feedback_link(&app, "salma@example.com").expect("a feedback email to Salma");

    let anonymous = reqwest::Client::new();
    let survey_url = app.url(&format!("/api/v1/public/feedback/{token}"));
    let (status, survey) = json_of(anonymous.get(&survey_url).send().await.unwrap()).await;
    assert_eq!(status, 200, "{survey}");
    assert_eq!((survey["first_name"].as_str(), survey["language"].as_str()), (Some("Salma"), Some("en")));
    let (status, body) = json_of(anonymous.post(&survey_url).json(&json!({"csat": 9})).send().await.unwrap()).await;
    assert_eq!((status, error_fields(&body)), (400, vec!["csat".to_string()]));
    let answer = json!({"csat": 5, "nps": 9, "comment": "Very helpful, on time."});
    assert_eq!(anonymous.post(&survey_url).json(&answer).send().await.unwrap().status(), 204);
    assert_eq!(anonymous.post(&survey_url).json(&answer).send().await.unwrap().status(), 409, "a link works once");
    assert_eq!(crate::common::audited(&app.db, "answer").await, 1, "the answer is audited once");
    assert_eq!(anonymous.get(&survey_url).send().await.unwrap().status(), 409);
    let wrong = app.url("/api/v1/public/feedback/fwf_0000");
    assert_eq!(anonymous.get(&wrong).send().await.unwrap().status(), 404);

    let timeline: Value = rep
        .get(app.url(&format!("/api/v1/contacts/{}/timeline", asked["id"].as_str().unwrap())))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let feedback =
        timeline["items"].as_array().unwrap().iter().find(|i| i["kind"] == "feedback").expect("on the timeline");
    assert_eq!(
        (feedback["title"].as_str(), feedback["detail"].as_str()),
        (Some("CSAT 5/5 · NPS 9/10"), Some("Very helpful, on time.")),
        "{feedback}"
    );

    // An expired link says so.
    sqlx::query("UPDATE feedback SET expires_at = 1, answered_at = NULL").execute(app.db.pool()).await.unwrap();
    assert_eq!(anonymous.get(&survey_url).send().await.unwrap().status(), 422);
}

#[tokio::test]
async fn a_rep_assigned_a_territory_is_told_once() {
    let app = spawn_app().await;
    let (manager, _) = app.signed_in("admin").await;
    let (rep_client, rep) = app.signed_in("rep").await;
    let square = json!({"type": "Polygon", "coordinates": [[[90.0, 23.0], [90.1, 23.0], [90.1, 23.1], [90.0, 23.1], [90.0, 23.0]]]});
    let (status, territory) = json_of(
        manager
            .post(app.url("/api/v1/territories"))
            .json(&json!({"name": "Gulshan", "geometry": square}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 201, "{territory}");
    let url = app.url(&format!("/api/v1/territories/{}/assignees", territory["id"].as_str().unwrap()));
    let body = json!({"assignees": [{"user_id": rep.id}]});
    for _ in 0..2 {
        assert_eq!(manager.put(&url).json(&body).send().await.unwrap().status(), 200);
    }
    let inbox: Value = rep_client.get(app.url("/api/v1/me/notifications")).send().await.unwrap().json().await.unwrap();
    let titles: Vec<&str> = inbox["items"].as_array().unwrap().iter().map(|n| n["title"].as_str().unwrap()).collect();
    assert_eq!(titles, ["You were assigned territory Gulshan"]);
    run_once(&app.state, Utc::now()).await.unwrap();
    assert_eq!(with_subject(&app, "You were assigned territory Gulshan").len(), 1);
}

#[tokio::test]
async fn a_campaign_reaches_only_consenting_contacts_of_its_segment_at_a_steady_pace_and_unsubscribing_works() {
    let app = spawn_app().await;
    let (office, _) = app.signed_in("office").await;
    let (rep, _) = app.signed_in("rep").await;
    let template = json!({"name": "Eid", "subject": "Eid offer for {{contact.first_name}}", "body": "Dear {{contact.name}},\nour Eid offer."});
    let (_, template) = json_of(office.post(app.url("/api/v1/templates")).json(&template).send().await.unwrap()).await;
    for (name, email, consent, tags) in [
        ("Asha Roy", "asha@example.com", true, json!(["vip"])),
        ("Bilal Khan", "bilal@example.com", true, json!(["VIP", "retail"])),
        ("Chandra Das", "chandra@example.com", false, json!(["vip"])),
        ("Dina Akter", "dina@example.com", true, json!(["retail"])),
    ] {
        let body = json!({"name": name, "emails": [email], "tags": tags,
            "consent": {"email": consent, "sms": false, "calls": true}});
        assert_eq!(office.post(app.url("/api/v1/contacts")).json(&body).send().await.unwrap().status(), 201);
    }
    let segment = json!({"tag": " VIP "});
    assert_eq!(rep.post(app.url("/api/v1/campaigns/audience")).json(&segment).send().await.unwrap().status(), 403);
    let (status, audience) =
        json_of(office.post(app.url("/api/v1/campaigns/audience")).json(&segment).send().await.unwrap()).await;
    assert_eq!(status, 200, "{audience}");
    assert_eq!(audience, json!({"recipients": 2, "without_consent": 1}));

    let send = json!({"name": "Eid 2031", "template_id": template["id"], "segment": segment});
    assert_eq!(rep.post(app.url("/api/v1/campaigns")).json(&send).send().await.unwrap().status(), 403);
    let (status, campaign) = json_of(office.post(app.url("/api/v1/campaigns")).json(&send).send().await.unwrap()).await;
    assert_eq!(status, 201, "{campaign}");
    assert_eq!((campaign["recipients"].as_i64(), campaign["skipped_no_consent"].as_i64()), (Some(2), Some(1)));
    assert_eq!((campaign["pending"].as_i64(), campaign["sent"].as_i64()), (Some(2), Some(0)));
    // The throttle: at 120 a minute the second email waits half a second after the first.
    let due: Vec<i64> = sqlx::query_scalar(
        "SELECT next_attempt_at FROM email_outbox WHERE campaign_id IS NOT NULL ORDER BY next_attempt_at",
    )
    .fetch_all(app.db.pool())
    .await
    .unwrap();
    assert_eq!(due[1] - due[0], 500);
    run_once(&app.state, Utc::now() + Duration::seconds(2)).await.unwrap();
    let sent = with_subject(&app, "Eid offer for");
    assert_eq!(sent.len(), 2);
    assert!(sent.iter().any(|e| e.contains("To: asha@example.com") && e.contains("Dear Asha Roy,")));
    assert!(!sent.iter().any(|e| e.contains("chandra@example.com")), "no consent, no email");

    // Bilal unsubscribes from the link in his email, without signing in.
    let bilal = sent.iter().find(|e| e.contains("To: bilal@example.com")).unwrap();
    let start = bilal.find("/unsubscribe/fwu_").unwrap() + "/unsubscribe/".len();
    let token: String = bilal[start..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
    let anonymous = reqwest::Client::new();
    let url = app.url(&format!("/api/v1/public/unsubscribe/{token}"));
    let (status, info) = json_of(anonymous.get(&url).send().await.unwrap()).await;
    assert_eq!((status, info), (200, json!({"email": "bilal@example.com", "done": false})));
    for _ in 0..2 {
        let (status, done) = json_of(anonymous.post(&url).send().await.unwrap()).await;
        assert_eq!((status, done["done"].as_bool()), (200, Some(true)));
    }
    assert_eq!(anonymous.get(app.url("/api/v1/public/unsubscribe/fwu_nope")).send().await.unwrap().status(), 404);
    let (_, list) = json_of(office.get(app.url("/api/v1/campaigns")).send().await.unwrap()).await;
    assert_eq!((list[0]["sent"].as_i64(), list[0]["unsubscribed"].as_i64()), (Some(2), Some(1)), "{list}");
    let (_, audience) =
        json_of(office.post(app.url("/api/v1/campaigns/audience")).json(&segment).send().await.unwrap()).await;
    assert_eq!(audience, json!({"recipients": 1, "without_consent": 2}), "Bilal is out of the next campaign");
    // Each email is on its contact's timeline.
    let (_, asha) = json_of(office.get(app.url("/api/v1/contacts?q=asha")).send().await.unwrap()).await;
    let timeline: Value = office
        .get(app.url(&format!("/api/v1/contacts/{}/timeline", asha["items"][0]["id"].as_str().unwrap())))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(timeline["items"][0]["title"], "Eid offer for Asha", "{timeline}");
    // A segment nobody agreed to is refused before anything is queued.
    let none = json!({"name": "x", "template_id": template["id"], "segment": {"tag": "nobody"}});
    assert_eq!(office.post(app.url("/api/v1/campaigns")).json(&none).send().await.unwrap().status(), 422);
}
