//! Scope on writes: for every entity devices sync, a record outside the caller's scope cannot
//! be changed — through its REST route (the same 404 as a read) nor through a sync push (the
//! mutation is rejected) — and the record stays exactly as it was. Deals, which devices do not
//! sync, are checked through REST.

use crate::common::{spawn_app, TestApp};
use reqwest::Client;
use serde_json::{json, Value};

/// A record as the database holds it, to compare before and after.
async fn row(app: &TestApp, table: &str, id: &str) -> String {
    let version: i64 = sqlx::query_scalar(&format!("SELECT version FROM {table} WHERE id = $1"))
        .bind(id)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    format!("{table} {id} at version {version}")
}

async fn count(app: &TestApp, sql: &str, id: &str) -> i64 {
    sqlx::query_scalar(sql).bind(id).fetch_one(app.db.pool()).await.unwrap()
}

async fn created(client: &Client, url: String, body: Value) -> Value {
    let r = client.post(url).json(&body).send().await.unwrap();
    let status = r.status();
    let body: Value = r.json().await.unwrap();
    assert_eq!(status, 201, "{body}");
    body
}

/// `outsider` pushes one mutation; the server's answer to it.
async fn pushed(app: &TestApp, outsider: &Client, mutation: Value) -> Value {
    let r = outsider
        .post(app.url("/api/v1/sync/push"))
        .json(&json!({"client_id": uuid::Uuid::now_v7().to_string(), "mutations": [mutation]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    body["results"][0].clone()
}

fn assert_refused_as_not_found(result: &Value) {
    assert_eq!(result["outcome"], "rejected", "{result}");
    assert_eq!(result["message"], "the record does not exist or is not yours to change", "{result}");
}

#[tokio::test]
async fn another_reps_records_cannot_be_changed_by_rest_or_by_sync() {
    let app = spawn_app().await;
    let (owner, _) = app.signed_in("rep").await;
    let (outsider, _) = app.signed_in("rep").await;
    let base = |path: &str| app.url(&format!("/api/v1{path}"));

    let contact = created(&owner, base("/contacts"), json!({"name": "Karim Traders"})).await;
    let contact_id = contact["id"].as_str().unwrap().to_string();
    let task = created(
        &owner,
        base("/tasks"),
        json!({"title": "Call back", "contact_id": contact_id, "due_at": chrono::Utc::now().to_rfc3339()}),
    )
    .await;
    let starts = chrono::Utc::now() + chrono::Duration::days(1);
    let appointment = created(
        &owner,
        base("/appointments"),
        json!({"kind": "meeting", "title": "Order review", "contact_id": contact_id, "starts_at": starts.to_rfc3339()}),
    )
    .await;
    let listing = created(
        &owner,
        base("/listings"),
        json!({"title": "Flat in Banani", "kind": "apartment", "transaction": "sale", "status": "draft",
            "price": {"amount": 9_000_000, "currency": "BDT"}, "address": "Road 11, Banani"}),
    )
    .await;
    let visit = created(&owner, base("/visits"), json!({"contact_id": contact_id})).await;
    let ids = |v: &Value| v["id"].as_str().unwrap().to_string();
    let (task_id, appointment_id, listing_id, visit_id) = (ids(&task), ids(&appointment), ids(&listing), ids(&visit));
    let before = [
        row(&app, "contacts", &contact_id).await,
        row(&app, "tasks", &task_id).await,
        row(&app, "appointments", &appointment_id).await,
        row(&app, "listings", &listing_id).await,
        row(&app, "visits", &visit_id).await,
    ];

    // Through REST: each answers 404, as a read of the record does.
    let rest = [
        outsider.patch(base(&format!("/contacts/{contact_id}"))).json(&json!({"name": "Mine now"})),
        outsider.delete(base(&format!("/contacts/{contact_id}"))),
        outsider.post(base(&format!("/contacts/{contact_id}/activities"))).json(&json!({"kind": "note", "body": "hi"})),
        outsider.patch(base(&format!("/tasks/{task_id}"))).json(&json!({"done": true})),
        outsider.patch(base(&format!("/appointments/{appointment_id}"))).json(&json!({"status": "cancelled"})),
        outsider.delete(base(&format!("/appointments/{appointment_id}"))),
        outsider.patch(base(&format!("/listings/{listing_id}"))).json(&json!({"title": "Mine now"})),
        outsider.post(base(&format!("/visits/{visit_id}/checkout"))).json(&json!({"outcome": "Interested"})),
    ];
    for request in rest {
        let r = request.send().await.unwrap();
        let (url, status) = (r.url().path().to_string(), r.status());
        assert_eq!(status, 404, "{url}: {}", r.text().await.unwrap());
    }

    // Through a sync push: each mutation is rejected as a record that is not the caller's.
    let update = |entity: &str, id: &str, fields: Value| json!({"mutation_id": 1, "entity": entity, "id": id, "op": "update", "base_version": 1, "fields": fields});
    let mutations = [
        update("contact", &contact_id, json!({"name": "Mine now"})),
        json!({"mutation_id": 1, "entity": "contact", "id": contact_id, "op": "delete"}),
        json!({"mutation_id": 1, "entity": "activity", "id": uuid::Uuid::now_v7().to_string(), "op": "create",
            "fields": {"contact_id": contact_id, "kind": "note", "body": "hi"}}),
        update("task", &task_id, json!({"done": true})),
        update("appointment", &appointment_id, json!({"status": "cancelled"})),
        json!({"mutation_id": 1, "entity": "appointment", "id": appointment_id, "op": "delete"}),
        update("listing", &listing_id, json!({"title": "Mine now"})),
        update("visit", &visit_id, json!({"outcome": "Interested"})),
    ];
    for mutation in mutations {
        assert_refused_as_not_found(&pushed(&app, &outsider, mutation).await);
    }

    let after = [
        row(&app, "contacts", &contact_id).await,
        row(&app, "tasks", &task_id).await,
        row(&app, "appointments", &appointment_id).await,
        row(&app, "listings", &listing_id).await,
        row(&app, "visits", &visit_id).await,
    ];
    assert_eq!(before, after, "nothing changed");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM activities WHERE contact_id = $1", &contact_id).await, 0);
}

#[tokio::test]
async fn another_teams_deal_cannot_be_changed_or_deleted_by_rest() {
    let app = spawn_app().await;
    let (owner, _) = app.signed_in("manager").await;
    let (other_manager, _) = app.signed_in("manager").await;
    let (other_rep, _) = app.signed_in("rep").await;
    let base = |path: &str| app.url(&format!("/api/v1{path}"));

    let contact = created(&owner, base("/contacts"), json!({"name": "Karim Traders"})).await;
    let deal = created(
        &owner,
        base("/deals"),
        json!({"contact_id": contact["id"], "title": "Warehouse lease", "value": {"amount": 500_000, "currency": "BDT"}}),
    )
    .await;
    let deal_id = deal["id"].as_str().unwrap().to_string();
    let url = base(&format!("/deals/{deal_id}"));
    let history = "SELECT COUNT(*) FROM deal_stage_history WHERE deal_id = $1";
    let before = (row(&app, "deals", &deal_id).await, count(&app, history, &deal_id).await);

    for outsider in [&other_manager, &other_rep] {
        let changes = [
            outsider.patch(&url).json(&json!({"title": "Mine now"})),
            outsider.patch(&url).json(&json!({"stage": "won"})),
            outsider.patch(&url).json(&json!({"stage": "lost", "lost_reason": "Went elsewhere"})),
            outsider.delete(&url),
        ];
        for request in changes {
            let r = request.send().await.unwrap();
            let (path, status) = (r.url().path().to_string(), r.status());
            assert_eq!(status, 404, "{path}: {}", r.text().await.unwrap());
        }
    }

    let after = (row(&app, "deals", &deal_id).await, count(&app, history, &deal_id).await);
    assert_eq!(before, after, "the deal and its stage history are unchanged");
    let kept = count(&app, "SELECT COUNT(*) FROM deals WHERE id = $1 AND deleted = 0", &deal_id).await;
    assert_eq!(kept, 1, "the deal is still there");
    let r = owner.patch(&url).json(&json!({"stage": "won"})).send().await.unwrap();
    assert_eq!(r.status(), 200, "its owner still moves it: the refusals were scope, not the requests");
}

#[tokio::test]
async fn another_users_conflict_cannot_be_settled_by_sync() {
    let app = spawn_app().await;
    let (_, owner) = app.signed_in("rep").await;
    let (outsider, _) = app.signed_in("rep").await;
    let record = uuid::Uuid::now_v7().to_string();
    let (mine, theirs) = (json!("Karim & Sons"), json!("Karim Traders"));
    let mut tx = app.db.begin_write().await.unwrap();
    let lost = fieldwork_server::sync::conflicts::Lost {
        user: owner.id,
        entity: fieldwork_app::sync::Entity::Contact,
        record_id: &record,
        field: "name",
        mine: &mine,
        theirs: &theirs,
    };
    let conflict = fieldwork_server::sync::conflicts::insert(&mut tx, &lost).await.unwrap();
    tx.commit().await.unwrap();

    let result = pushed(
        &app,
        &outsider,
        json!({"mutation_id": 1, "entity": "conflict", "id": conflict.id, "op": "update", "fields": {"resolution": "mine"}}),
    )
    .await;
    assert_refused_as_not_found(&result);
    let open =
        count(&app, "SELECT COUNT(*) FROM sync_conflicts WHERE id = $1 AND resolution IS NULL", &conflict.id).await;
    assert_eq!(open, 1, "the conflict is still open");
}
