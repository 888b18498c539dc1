//! A leaving rep's book through the HTTP API: a manager moves all of it — contacts, open deals,
//! open follow-ups, coming appointments — to two reps split by territory, in one audited step,
//! and the leaving rep's phone drops it on its next sync.

use crate::common::{audited, error_fields, spawn_app, TestApp};
use reqwest::Client;
use serde_json::{json, Value};

fn square(x: f64, y: f64, size: f64) -> Value {
    json!([[[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]])
}

async fn post(client: &Client, url: String, body: Value) -> Value {
    let r = client.post(&url).json(&body).send().await.unwrap();
    assert!(r.status().is_success(), "{url} {body}: {}", r.status());
    r.json().await.unwrap()
}

async fn team_of(app: &TestApp, manager: &str, reps: &[&str]) {
    for rep in reps {
        sqlx::query("UPDATE users SET manager_id = $2 WHERE id = $1")
            .bind(*rep)
            .bind(manager)
            .execute(app.db.pool())
            .await
            .unwrap();
    }
}

/// Every change the device is sent after `cursor` (from the start for none), and the cursor after.
async fn pull(app: &TestApp, device: &Client, client: &str, cursor: Option<&str>) -> (Vec<Value>, String) {
    let (mut changes, mut cursor) = (Vec::new(), cursor.map(str::to_string));
    loop {
        let mut query = vec![("client_id", client.to_string())];
        if let Some(c) = &cursor {
            query.push(("cursor", c.clone()));
        }
        let page: Value =
            device.get(app.url("/api/v1/sync/pull")).query(&query).send().await.unwrap().json().await.unwrap();
        changes.extend(page["changes"].as_array().unwrap().iter().cloned());
        cursor = Some(page["cursor"].as_str().unwrap().to_string());
        if !page["more"].as_bool().unwrap() {
            return (changes, cursor.unwrap());
        }
    }
}

#[tokio::test]
async fn a_manager_moves_a_leaving_reps_book_to_two_reps_by_territory_and_the_phone_drops_it() {
    let app = spawn_app().await;
    let (manager, boss) = app.signed_in("manager").await;
    let (phone, leaving) = app.signed_in("rep").await;
    let (north, south, outsider) = (app.user("rep").await, app.user("rep").await, app.user("rep").await);
    let ids = [leaving.id.to_string(), north.id.to_string(), south.id.to_string()];
    team_of(&app, &boss.id.to_string(), &ids.iter().map(String::as_str).collect::<Vec<_>>()).await;

    // North belongs to `north`, South to `south`.
    for (name, y, rep) in [("North", 23.84, &north), ("South", 23.60, &south)] {
        let t = post(
            &manager,
            app.url("/api/v1/territories"),
            json!({"name": name, "geometry": {"type": "Polygon", "coordinates": square(90.35, y, 0.1)}}),
        )
        .await;
        let url = app.url(&format!("/api/v1/territories/{}/assignees", t["id"].as_str().unwrap()));
        let r = manager.put(url).json(&json!({"assignees": [{"user_id": rep.id}]})).send().await.unwrap();
        assert_eq!(r.status(), 200);
    }
    // The leaving rep's book: a contact in each territory and one in neither, a deal on the
    // South one, a follow-up on the North one, and an appointment next week with the third.
    let contact =
        |name: &str, lat: f64| json!({"name": name, "owner_id": leaving.id, "location": {"lat": lat, "lon": 90.4}});
    let in_north = post(&manager, app.url("/api/v1/contacts"), contact("Nabila North", 23.87)).await;
    let in_south = post(&manager, app.url("/api/v1/contacts"), contact("Sakib South", 23.63)).await;
    let nowhere = post(&manager, app.url("/api/v1/contacts"), contact("Nadia Nowhere", 22.0)).await;
    let deal = post(
        &manager,
        app.url("/api/v1/deals"),
        json!({"contact_id": in_south["id"], "title": "Flat in the south",
        "value": {"amount": 500_000_000, "currency": "BDT"}, "owner_id": leaving.id}),
    )
    .await;
    let task = post(
        &manager,
        app.url("/api/v1/tasks"),
        json!({"title": "Call back", "contact_id": in_north["id"],
        "assignee_id": leaving.id, "due_at": (chrono::Utc::now() + chrono::Duration::days(1)).to_rfc3339()}),
    )
    .await;
    let start = chrono::Utc::now() + chrono::Duration::days(7);
    let meeting = post(
        &manager,
        app.url("/api/v1/appointments"),
        json!({"kind": "meeting", "title": "Site visit",
        "starts_at": start.to_rfc3339(), "ends_at": (start + chrono::Duration::hours(1)).to_rfc3339(),
        "contact_id": nowhere["id"], "assignee_id": leaving.id}),
    )
    .await;

    let device = uuid::Uuid::now_v7().to_string();
    let (held, cursor) = pull(&app, &phone, &device, None).await;
    let mine: Vec<&str> = held.iter().filter(|c| c["op"] == "put").map(|c| c["id"].as_str().unwrap()).collect();
    for record in [&in_north, &in_south, &nowhere, &task, &meeting] {
        assert!(mine.contains(&record["id"].as_str().unwrap()), "the phone holds {record}");
    }

    let book_url = app.url(&format!("/api/v1/users/{}/book", leaving.id));
    let book: Value = manager.get(&book_url).send().await.unwrap().json().await.unwrap();
    assert_eq!(book, json!({"contacts": 3, "open_deals": 1, "open_tasks": 1, "upcoming_appointments": 1}));

    // Bad moves are refused whole, naming the rep that is wrong.
    let move_url = format!("{book_url}/move");
    let r = manager.post(&move_url).json(&json!({"to": [south.id, leaving.id]})).send().await.unwrap();
    assert_eq!((r.status().as_u16(), error_fields(&r.json().await.unwrap())), (400, vec!["to[1]".to_string()]));
    let r = manager.post(&move_url).json(&json!({"to": [outsider.id]})).send().await.unwrap();
    assert_eq!(r.status(), 400, "a rep outside the manager's team");
    assert_eq!(phone.post(&move_url).json(&json!({"to": [north.id]})).send().await.unwrap().status(), 403);

    let audits = audited(&app.db, "move_book").await;
    let r = manager.post(&move_url).json(&json!({"to": [south.id, north.id]})).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let moved: Value = r.json().await.unwrap();
    assert_eq!(
        moved["to"][0],
        json!({"rep_id": south.id, "contacts": 2, "open_deals": 1, "open_tasks": 0, "upcoming_appointments": 1}),
        "the first rep takes their territory and what lies in none"
    );
    assert_eq!(
        moved["to"][1],
        json!({"rep_id": north.id, "contacts": 1, "open_deals": 0, "open_tasks": 1, "upcoming_appointments": 0})
    );
    assert_eq!(audited(&app.db, "move_book").await, audits + 1, "one step, audited");

    let owner = |v: &Value| v["owner_id"].as_str().unwrap_or_default().to_string();
    let get = |path: String| {
        let manager = manager.clone();
        let url = app.url(&path);
        async move { manager.get(url).send().await.unwrap().json::<Value>().await.unwrap() }
    };
    assert_eq!(
        owner(&get(format!("/api/v1/contacts/{}", in_north["id"].as_str().unwrap())).await),
        north.id.to_string()
    );
    assert_eq!(
        owner(&get(format!("/api/v1/contacts/{}", nowhere["id"].as_str().unwrap())).await),
        south.id.to_string()
    );
    assert_eq!(owner(&get(format!("/api/v1/deals/{}", deal["id"].as_str().unwrap())).await), south.id.to_string());
    let task_assignee: String = sqlx::query_scalar("SELECT assignee_id FROM tasks WHERE id = $1")
        .bind(task["id"].as_str().unwrap())
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(task_assignee, north.id.to_string());
    let moved_meeting = get(format!("/api/v1/appointments/{}", meeting["id"].as_str().unwrap())).await;
    assert_eq!(moved_meeting["assignee_id"], json!(south.id));
    let empty: Value = manager.get(&book_url).send().await.unwrap().json().await.unwrap();
    assert_eq!(empty, json!({"contacts": 0, "open_deals": 0, "open_tasks": 0, "upcoming_appointments": 0}));

    // The leaving rep's phone is told to drop all of it.
    let (after, _) = pull(&app, &phone, &device, Some(&cursor)).await;
    for record in [&in_north, &in_south, &nowhere, &task, &meeting] {
        let id = record["id"].as_str().unwrap();
        assert!(after.iter().any(|c| c["id"] == id && c["op"] == "remove"), "the phone drops {id}: {after:?}");
    }
    assert!(after.iter().all(|c| c["op"] == "remove"), "and is sent nothing of it");
}
