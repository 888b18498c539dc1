//! Changing many contacts at once through the HTTP API: in batches with progress, scoped,
//! audited per contact, undone for the contacts nobody changed since, and carried on by another
//! round of the background worker when the server working on it stopped.

use crate::common::{audited, error_fields, spawn_app, TestApp};
use reqwest::Client;
use serde_json::{json, Value};

async fn create_for(app: &TestApp, client: &Client, owner: &str, name: &str) -> String {
    let r = client
        .post(app.url("/api/v1/contacts"))
        .json(&json!({"name": name, "owner_id": owner, "tags": ["buyer"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201, "create {name}");
    r.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string()
}

/// Follows a run until it is no longer at work.
async fn settled(app: &TestApp, client: &Client, run: &Value) -> Value {
    let url = app.url(&format!("/api/v1/contacts/bulk/{}", run["id"].as_str().unwrap()));
    for _ in 0..400 {
        let now: Value = client.get(&url).send().await.unwrap().json().await.unwrap();
        if !matches!(now["state"].as_str(), Some("running" | "undoing")) {
            return now;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("the run did not finish: {run}");
}

async fn owners(app: &TestApp, client: &Client, ids: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for id in ids {
        let c: Value =
            client.get(app.url(&format!("/api/v1/contacts/{id}"))).send().await.unwrap().json().await.unwrap();
        out.push(c["owner_id"].as_str().unwrap_or_default().to_string());
    }
    out
}

#[tokio::test]
async fn office_gives_a_reps_contacts_to_another_in_batches_and_undoes_it_where_nobody_changed_them() {
    let app = spawn_app().await;
    let (office, _) = app.signed_in("office").await;
    let (from, to, third) = (app.user("rep").await, app.user("rep").await, app.user("rep").await);
    let (from_id, to_id) = (from.id.to_string(), to.id.to_string());
    let mut ids = Vec::new();
    for i in 0..130 {
        ids.push(create_for(&app, &office, &from_id, &format!("Bulk Buyer {i:03}")).await);
    }
    let updates_before = audited(&app.db, "update").await;

    let r = office
        .post(app.url("/api/v1/contacts/bulk"))
        .json(&json!({"selection": {"matching": {"owner": from_id}}, "change": {"action": "assign_owner", "owner_id": to_id}}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 202);
    let run: Value = r.json().await.unwrap();
    assert_eq!(run["total"], 130, "every contact the filter matches, more than one batch");
    let done = settled(&app, &office, &run).await;
    assert_eq!(
        (done["state"].as_str(), done["done"].as_i64(), done["changed"].as_i64()),
        (Some("done"), Some(130), Some(130))
    );
    assert!(done["undo_until"].is_string());
    assert_eq!(audited(&app.db, "update").await - updates_before, 130, "an audit entry per contact");
    let list: Value = office
        .get(app.url("/api/v1/contacts"))
        .query(&[("owner", to_id.as_str()), ("total", "true")])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 130);

    // Someone gives one of them to a third rep before the undo: it keeps that owner.
    let moved = &ids[7];
    let r = office
        .patch(app.url(&format!("/api/v1/contacts/{moved}")))
        .json(&json!({"owner_id": third.id}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);

    let undo_url = app.url(&format!("/api/v1/contacts/bulk/{}/undo", run["id"].as_str().unwrap()));
    let r = office.post(&undo_url).send().await.unwrap();
    assert_eq!(r.status(), 202);
    let undone = settled(&app, &office, &r.json().await.unwrap()).await;
    assert_eq!((undone["state"].as_str(), undone["restored"].as_i64()), (Some("undone"), Some(129)));
    let now = owners(&app, &office, &ids).await;
    assert_eq!(now.iter().filter(|o| **o == from_id).count(), 129, "back with the rep they came from");
    assert_eq!(now[7], third.id.to_string(), "the contact changed since keeps its new owner");
    assert_eq!(office.post(&undo_url).send().await.unwrap().status(), 409, "undone once");

    // Nobody else follows or undoes the run.
    let (other, _) = app.signed_in("office").await;
    let run_url = app.url(&format!("/api/v1/contacts/bulk/{}", run["id"].as_str().unwrap()));
    assert_eq!(other.get(&run_url).send().await.unwrap().status(), 404);
    assert_eq!(other.post(&undo_url).send().await.unwrap().status(), 404);
}

#[tokio::test]
async fn bulk_work_is_for_the_desk_within_scope_and_names_what_is_wrong() {
    let app = spawn_app().await;
    let (office, _) = app.signed_in("office").await;
    let (rep, me) = app.signed_in("rep").await;
    let mine = create_for(&app, &office, &me.id.to_string(), "Scoped Buyer").await;
    let bulk = |client: &Client, body: Value| client.post(app.url("/api/v1/contacts/bulk")).json(&body).send();

    let archive = json!({"selection": {"ids": [mine]}, "change": {"action": "archive"}});
    assert_eq!(bulk(&rep, archive.clone()).await.unwrap().status(), 403, "reps change contacts one at a time");

    let r = bulk(&office, json!({"selection": {"ids": []}, "change": {"action": "add_tags", "tags": [" "]}}))
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(error_fields(&r.json().await.unwrap()), ["change.tags", "selection"]);
    let r = bulk(
        &office,
        json!({"selection": {"ids": [mine]}, "change": {"action": "assign_owner", "owner_id": uuid::Uuid::now_v7()}}),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(error_fields(&r.json().await.unwrap()), ["change.owner_id"]);
    let r = bulk(&office, json!({"selection": {"ids": [mine, uuid::Uuid::now_v7()]}, "change": {"action": "archive"}}))
        .await
        .unwrap();
    assert_eq!(r.status(), 404, "every contact must be one the caller may change");
    let r = bulk(&office, json!({"selection": {"matching": {"lifecycle": "vip"}}, "change": {"action": "archive"}}))
        .await
        .unwrap();
    assert_eq!(error_fields(&r.json().await.unwrap()), ["selection.lifecycle"]);
    let r = bulk(&office, json!({"selection": {"ids": [mine]}, "change": {"action": "paint"}})).await.unwrap();
    assert_eq!(r.status(), 400);

    // A stage a contact may not move to leaves it as it was; the run says so.
    let r = bulk(
        &office,
        json!({"selection": {"ids": [mine]}, "change": {"action": "set_lifecycle", "lifecycle": "customer"}}),
    )
    .await
    .unwrap();
    let won = settled(&app, &office, &r.json().await.unwrap()).await;
    assert_eq!((won["changed"].as_i64(), won["unchanged"].as_i64()), (Some(1), Some(0)));
    let r = bulk(
        &office,
        json!({"selection": {"ids": [mine]}, "change": {"action": "set_lifecycle", "lifecycle": "prospect"}}),
    )
    .await
    .unwrap();
    let done = settled(&app, &office, &r.json().await.unwrap()).await;
    assert_eq!(
        (done["changed"].as_i64(), done["unchanged"].as_i64()),
        (Some(0), Some(1)),
        "a customer is not moved back"
    );
    // Undoing the first run puts the stage back, though an edit never moves a customer back.
    let r = office
        .post(app.url(&format!("/api/v1/contacts/bulk/{}/undo", won["id"].as_str().unwrap())))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 202);
    settled(&app, &office, &r.json().await.unwrap()).await;
    let c: Value = office.get(app.url(&format!("/api/v1/contacts/{mine}"))).send().await.unwrap().json().await.unwrap();
    assert_eq!(c["lifecycle"], "lead");
}

#[tokio::test]
async fn a_run_whose_server_stopped_is_carried_on_by_the_next_round_of_the_worker() {
    let app = spawn_app().await;
    let (office, me) = app.signed_in("office").await;
    let owner = app.user("rep").await.id.to_string();
    let mut ids = Vec::new();
    for i in 0..3 {
        ids.push(create_for(&app, &office, &owner, &format!("Stalled Buyer {i}")).await);
    }
    // A run as a server that stopped mid-way leaves it: running, quiet for long, items pending.
    let run = uuid::Uuid::now_v7().to_string();
    sqlx::query(
        "INSERT INTO bulk_runs (id, user_id, change, selection, state, total, heartbeat, created_at) \
         VALUES ($1, $2, '{\"action\":\"add_tags\",\"tags\":[\"stalled\"]}', '{\"ids\":[]}', 'running', 3, 0, 0)",
    )
    .bind(&run)
    .bind(me.id.to_string())
    .execute(app.db.pool())
    .await
    .unwrap();
    for (seq, id) in ids.iter().enumerate() {
        sqlx::query("INSERT INTO bulk_items (run_id, seq, contact_id, status) VALUES ($1, $2, $3, 'pending')")
            .bind(&run)
            .bind(seq as i64)
            .bind(id)
            .execute(app.db.pool())
            .await
            .unwrap();
    }
    let round = fieldwork_server::jobs::run_once(&app.state, chrono::Utc::now()).await.unwrap();
    assert_eq!(round.bulk_taken, 1);
    let done = settled(&app, &office, &json!({"id": run})).await;
    assert_eq!((done["state"].as_str(), done["changed"].as_i64()), (Some("done"), Some(3)));
    let c: Value =
        office.get(app.url(&format!("/api/v1/contacts/{}", ids[0]))).send().await.unwrap().json().await.unwrap();
    assert_eq!(c["tags"], json!(["buyer", "stalled"]));
    let again = fieldwork_server::jobs::run_once(&app.state, chrono::Utc::now()).await.unwrap();
    assert_eq!(again.bulk_taken, 0, "a finished run is nobody's to take");
}
