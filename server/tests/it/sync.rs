//! Offline sync through the real router: a device's mutations apply exactly once (also when
//! the answer to a push is lost and the device sends it again), a refused mutation does not
//! block the queue, two devices' offline edits of one contact merge field by field with the
//! loser kept as a conflict, and the pulled feed follows scope (removals, reset).

use crate::common::{spawn_app, TestApp};
use reqwest::Client;
use serde_json::{json, Value};

fn client_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

fn id() -> String {
    uuid::Uuid::now_v7().to_string()
}

async fn push(app: &TestApp, device: &Client, client: &str, mutations: Value) -> (u16, Value) {
    let r = device
        .post(app.url("/api/v1/sync/push"))
        .json(&json!({"client_id": client, "mutations": mutations}))
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

/// Every page from `cursor` on: the changes, and the cursor after the last page.
async fn pull_all(app: &TestApp, device: &Client, client: &str, cursor: Option<&str>) -> (Vec<Value>, String, bool) {
    let (mut changes, mut cursor, mut reset) = (Vec::new(), cursor.map(str::to_string), None);
    loop {
        let mut query = vec![("client_id", client.to_string())];
        if let Some(c) = &cursor {
            query.push(("cursor", c.clone()));
        }
        let r = device.get(app.url("/api/v1/sync/pull")).query(&query).send().await.unwrap();
        assert_eq!(r.status(), 200);
        let page: Value = r.json().await.unwrap();
        reset.get_or_insert(page["reset"].as_bool().unwrap());
        changes.extend(page["changes"].as_array().unwrap().iter().cloned());
        cursor = Some(page["cursor"].as_str().unwrap().to_string());
        if !page["more"].as_bool().unwrap() {
            return (changes, cursor.unwrap(), reset.unwrap());
        }
    }
}

fn outcomes(body: &Value) -> Vec<String> {
    body["results"].as_array().unwrap().iter().map(|r| r["outcome"].as_str().unwrap().to_string()).collect()
}

async fn count(app: &TestApp, table: &str, id: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table} WHERE id = $1"))
        .bind(id)
        .fetch_one(app.db.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn a_days_field_work_made_offline_applies_once_even_when_the_answer_is_lost() {
    let app = spawn_app().await;
    let (rep, _) = app.signed_in("rep").await;
    let device = client_id();
    let (lead, call, visit, follow_up) = (id(), id(), id(), id());
    let day = json!([
        {"mutation_id": 1, "entity": "contact", "id": lead, "op": "create",
         "fields": {"kind": "person", "name": "Shirin Akter", "phones": ["+8801711000111"], "location": {"lat": 23.79, "lon": 90.40}}},
        {"mutation_id": 2, "entity": "activity", "id": call, "op": "create",
         "fields": {"contact_id": lead, "kind": "call", "direction": "outbound", "duration_s": 180, "result": "connected", "body": "Wants a visit"}},
        {"mutation_id": 3, "entity": "visit", "id": visit, "op": "create",
         "fields": {"contact_id": lead, "position": {"lat": 23.7901, "lon": 90.4001}, "accuracy_m": 12.0}},
        {"mutation_id": 4, "entity": "visit", "id": visit, "op": "update",
         "fields": {"outcome": "Interested", "notes": "Showed the catalogue"}},
        {"mutation_id": 5, "entity": "task", "id": follow_up, "op": "create",
         "fields": {"title": "Send the price list", "contact_id": lead, "due_at": "2026-12-01T04:00:00Z"}},
    ]);
    let (status, first) = push(&app, &rep, &device, day.clone()).await;
    assert_eq!(status, 200, "{first}");
    assert_eq!(outcomes(&first), ["applied"; 5], "{first}");
    assert_eq!(first["last_mutation_id"], 5);
    assert_eq!(first["results"][0]["record"]["name"], "Shirin Akter");
    assert_eq!(first["results"][3]["record"]["outcome"], "Interested");

    // The answer never reached the phone: it sends the same push again. Nothing changes.
    let (status, again) = push(&app, &rep, &device, day).await;
    assert_eq!(status, 200);
    assert_eq!(outcomes(&again), ["duplicate"; 5], "{again}");
    for (table, id) in [("contacts", &lead), ("activities", &call), ("visits", &visit), ("tasks", &follow_up)] {
        assert_eq!(count(&app, table, id).await, 1, "{table} holds one copy");
    }
    let calls: Value =
        rep.get(app.url(&format!("/api/v1/contacts/{lead}/activities"))).send().await.unwrap().json().await.unwrap();
    assert_eq!(calls["items"].as_array().unwrap().len(), 1);

    // What the device pulls afterwards is what it made, and its last mutation.
    let (changes, _, reset) = pull_all(&app, &rep, &device, None).await;
    assert!(reset, "a first pull replaces what the device holds");
    for id in [&lead, &call, &visit, &follow_up] {
        let found: Vec<&Value> = changes.iter().filter(|c| &c["id"] == id).collect();
        assert_eq!(found.len(), 1, "{id} once in the feed");
        assert_eq!(found[0]["op"], "put");
    }
    let versions: Vec<i64> = changes.iter().map(|c| c["version"].as_i64().unwrap()).collect();
    assert!(versions.windows(2).all(|w| w[0] < w[1]), "in version order: {versions:?}");
    let page: Value = rep
        .get(app.url("/api/v1/sync/pull"))
        .query(&[("client_id", device.as_str())])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(page["last_mutation_id"], 5);
    assert!(page["server_epoch"].is_string());

    // Later the follow-up is ticked off on the device: only `done` goes, merged field by field.
    let tick = json!([{"mutation_id": 6, "entity": "task", "id": follow_up, "op": "update",
        "base_version": first["results"][4]["record"]["version"], "fields": {"done": true}, "base": {"done": false}}]);
    let (_, body) = push(&app, &rep, &device, tick).await;
    assert_eq!(outcomes(&body), ["applied"], "{body}");
    let task = &body["results"][0]["record"];
    assert_eq!((task["done"].as_bool(), task["title"].as_str()), (Some(true), Some("Send the price list")));
}

#[tokio::test]
async fn a_refused_mutation_moves_the_queue_on_a_gap_stops_it_and_a_device_is_never_someone_elses() {
    let app = spawn_app().await;
    let (rep, _) = app.signed_in("rep").await;
    let (other, _) = app.signed_in("rep").await;
    let device = client_id();
    let (bad, good, later) = (id(), id(), id());
    let (status, body) = push(
        &app,
        &rep,
        &device,
        json!([
            {"mutation_id": 1, "entity": "contact", "id": bad, "op": "create", "fields": {"name": "  ", "emails": ["nope"]}},
            {"mutation_id": 2, "entity": "contact", "id": good, "op": "create", "fields": {"name": "Karim Traders", "kind": "company"}},
            {"mutation_id": 4, "entity": "contact", "id": later, "op": "create", "fields": {"name": "After a gap"}},
        ]),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(outcomes(&body), ["rejected", "applied"], "the push stops at the gap: {body}");
    let fields = body["results"][0]["fields"].as_object().unwrap();
    assert!(fields.contains_key("name") && fields.contains_key("emails.0"), "{fields:?}");
    assert_eq!(body["last_mutation_id"], 2);
    assert_eq!((count(&app, "contacts", &bad).await, count(&app, "contacts", &good).await), (0, 1));
    assert_eq!(count(&app, "contacts", &later).await, 0);

    // Reps may not delete; the refusal is the mutation's result, not a failed push.
    let (_, body) =
        push(&app, &rep, &device, json!([{"mutation_id": 3, "entity": "contact", "id": good, "op": "delete"}])).await;
    assert_eq!(outcomes(&body), ["rejected"]);
    assert_eq!(count(&app, "contacts", &good).await, 1);

    // Another user signed in on the same install cannot send its queue.
    let (status, body) = push(
        &app,
        &other,
        &device,
        json!([{"mutation_id": 4, "entity": "contact", "id": later, "op": "create", "fields": {"name": "Not mine"}}]),
    )
    .await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(count(&app, "contacts", &later).await, 0);
    // Someone else's contact does not exist for this rep, by sync either.
    let (_, body) = push(
        &app,
        &other,
        &client_id(),
        json!([{"mutation_id": 1, "entity": "contact", "id": good, "op": "update", "base_version": 1, "fields": {"name": "Mine now"}}]),
    )
    .await;
    assert_eq!(outcomes(&body), ["rejected"]);
    let (status, _) = push(&app, &rep, "not-a-uuid", json!([])).await;
    assert_eq!(status, 400);
    // An app older than the server's oldest sync contract is told to update, not given data.
    let r = rep
        .post(app.url("/api/v1/sync/push"))
        .json(&json!({"client_id": client_id(), "mutations": [], "protocol": 0}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 426);
    assert_eq!(r.json::<Value>().await.unwrap()["error"]["code"], "update_required");
    let r = rep.get(app.url("/api/v1/sync/pull?protocol=0")).send().await.unwrap();
    assert_eq!(r.status(), 426);
}

#[tokio::test]
async fn two_devices_editing_one_contact_offline_merge_field_by_field_and_keep_what_lost() {
    let app = spawn_app().await;
    let (rep, _) = app.signed_in("rep").await;
    let (phone, tablet) = (client_id(), client_id());
    let contact = id();
    let (_, body) = push(
        &app,
        &rep,
        &phone,
        json!([{"mutation_id": 1, "entity": "contact", "id": contact, "op": "create",
                "fields": {"name": "Rahim Uddin", "phones": ["+8801711000001"], "notes": "gate code 12"}}]),
    )
    .await;
    let version = body["results"][0]["record"]["version"].clone();
    // Both devices go offline holding this version. The tablet changes the phone number and
    // reaches the server first; the phone changes the phone number and the notes.
    let (_, body) = push(
        &app,
        &rep,
        &tablet,
        json!([{"mutation_id": 1, "entity": "contact", "id": contact, "op": "update", "base_version": version,
                "fields": {"phones": ["+8801711000002"]}, "base": {"phones": ["+8801711000001"]}}]),
    )
    .await;
    assert_eq!(outcomes(&body), ["applied"]);
    let (_, body) = push(
        &app,
        &rep,
        &phone,
        json!([{"mutation_id": 2, "entity": "contact", "id": contact, "op": "update", "base_version": version,
                "fields": {"phones": ["+8801711000099"], "notes": "prefers mornings"},
                "base": {"phones": ["+8801711000001"], "notes": "gate code 12"}}]),
    )
    .await;
    assert_eq!(outcomes(&body), ["conflict"], "{body}");
    let result = &body["results"][0];
    assert_eq!(result["record"]["phones"], json!(["+8801711000002"]), "the edit that reached the server first stays");
    assert_eq!(result["record"]["notes"], "prefers mornings", "a field nobody else changed applies");
    let conflict = &result["conflicts"][0];
    assert_eq!((conflict["field"].as_str(), conflict["mine"].clone()), (Some("phones"), json!(["+8801711000099"])));
    assert_eq!(conflict["theirs"], json!(["+8801711000002"]));
    assert_eq!(conflict["theirs_by"], "Test rep");

    // The conflict is on the record for the user, on every device.
    let open: Value =
        rep.get(app.url(&format!("/api/v1/sync/conflicts/{contact}"))).send().await.unwrap().json().await.unwrap();
    assert_eq!(open.as_array().unwrap().len(), 1);
    // A conflict is its user's alone; without a session there is no sync at all.
    let (other, _) = app.signed_in("rep").await;
    let theirs: Value =
        other.get(app.url(&format!("/api/v1/sync/conflicts/{contact}"))).send().await.unwrap().json().await.unwrap();
    assert!(theirs.as_array().unwrap().is_empty());
    let (status, refused) = push(
        &app,
        &other,
        &client_id(),
        json!([{"mutation_id": 1, "entity": "conflict", "id": conflict["id"],
        "op": "update", "fields": {"resolution": "theirs"}}]),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(outcomes(&refused), ["rejected"], "someone else's conflict is not theirs to resolve");
    let stranger = app.browser();
    assert_eq!(stranger.get(app.url("/api/v1/sync/pull")).send().await.unwrap().status(), 401);
    let (status, _) = push(&app, &stranger, &client_id(), json!([])).await;
    assert_eq!(status, 401);
    assert_eq!(stranger.get(app.url(&format!("/api/v1/sync/conflicts/{contact}"))).send().await.unwrap().status(), 401);
    let (changes, _, _) = pull_all(&app, &rep, &tablet, None).await;
    assert!(changes.iter().any(|c| c["entity"] == "conflict" && c["record"]["field"] == "phones"));

    // "Keep mine": the phone restores its value against the current version and closes the conflict.
    let current = result["record"]["version"].clone();
    let (_, body) = push(
        &app,
        &rep,
        &phone,
        json!([
            {"mutation_id": 3, "entity": "contact", "id": contact, "op": "update", "base_version": current,
             "fields": {"phones": ["+8801711000099"]}, "base": {"phones": ["+8801711000002"]}},
            {"mutation_id": 4, "entity": "conflict", "id": conflict["id"], "op": "update", "fields": {"resolution": "mine"}},
        ]),
    )
    .await;
    assert_eq!(outcomes(&body), ["applied", "applied"], "{body}");
    let stored: Value =
        rep.get(app.url(&format!("/api/v1/contacts/{contact}"))).send().await.unwrap().json().await.unwrap();
    assert_eq!(stored["phones"], json!(["+8801711000099"]));
    assert_eq!(stored["notes"], "prefers mornings");
    let open: Value =
        rep.get(app.url(&format!("/api/v1/sync/conflicts/{contact}"))).send().await.unwrap().json().await.unwrap();
    assert!(open.as_array().unwrap().is_empty());
}

#[tokio::test]
async fn the_feed_follows_scope_deletions_and_reassignment_and_resets_when_the_scope_changes() {
    let app = spawn_app().await;
    let (office, _) = app.signed_in("office").await;
    let (rep, rep_user) = app.signed_in("rep").await;
    let (_, other_user) = app.signed_in("rep").await;
    let device = client_id();
    let contact = |name: &str, owner: &str| json!({"kind": "person", "name": name, "owner_id": owner});
    let create = |body: Value| {
        let office = office.clone();
        let url = app.url("/api/v1/contacts");
        async move {
            let r = office.post(url).json(&body).send().await.unwrap();
            assert_eq!(r.status(), 201);
            r.json::<Value>().await.unwrap()
        }
    };
    let mine = create(contact("Mine", &rep_user.id.to_string())).await;
    let moved = create(contact("Moves away", &rep_user.id.to_string())).await;
    let gone = create(contact("Gets deleted", &rep_user.id.to_string())).await;
    let theirs = create(contact("Someone else's", &other_user.id.to_string())).await;

    let (changes, cursor, reset) = pull_all(&app, &rep, &device, None).await;
    assert!(reset);
    let ids: Vec<&Value> = changes.iter().map(|c| &c["id"]).collect();
    for c in [&mine, &moved, &gone] {
        assert!(ids.contains(&&c["id"]), "{} pulled", c["name"]);
    }
    assert!(!ids.contains(&&theirs["id"]), "another rep's contact never reaches this device");

    // Nothing changed: an empty page, same place.
    let (changes, same, reset) = pull_all(&app, &rep, &device, Some(&cursor)).await;
    assert!(changes.is_empty() && !reset);
    assert_eq!(same, cursor);

    let one = |c: &Value| app.url(&format!("/api/v1/contacts/{}", c["id"].as_str().unwrap()));
    let r = office.patch(one(&moved)).json(&json!({"owner_id": other_user.id})).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(office.delete(one(&gone)).send().await.unwrap().status(), 204);
    let r = office.patch(one(&mine)).json(&json!({"notes": "VIP"})).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let r = office.patch(one(&theirs)).json(&json!({"notes": "secret"})).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let (changes, cursor, reset) = pull_all(&app, &rep, &device, Some(&cursor)).await;
    assert!(!reset);
    let op_of = |c: &Value| {
        changes.iter().filter(|x| x["id"] == c["id"]).map(|x| x["op"].as_str().unwrap().to_string()).collect::<Vec<_>>()
    };
    assert_eq!(op_of(&mine), ["put"]);
    assert_eq!(changes.iter().find(|x| x["id"] == mine["id"]).unwrap()["record"]["notes"], "VIP");
    assert_eq!(op_of(&moved), ["remove"], "a contact handed to someone else leaves the device");
    assert_eq!(op_of(&gone), ["remove"], "deletes reach the device");
    for c in &changes {
        if c["op"] == "remove" {
            assert!(c.get("record").is_none(), "a removal carries no data: {c}");
        }
    }

    // A new territory for the rep changes the scope: the device starts over from a snapshot.
    let r = office
        .post(app.url("/api/v1/territories"))
        .json(&json!({"name": "Uttara", "geometry": {"type": "Polygon", "coordinates": [[[90.35, 23.84], [90.45, 23.84], [90.45, 23.94], [90.35, 23.94], [90.35, 23.84]]]}}))
        .send()
        .await
        .unwrap();
    let territory: Value = r.json().await.unwrap();
    let r = office
        .put(app.url(&format!("/api/v1/territories/{}/assignees", territory["id"].as_str().unwrap())))
        .json(&json!({"assignees": [{"user_id": rep_user.id}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let (changes, _, reset) = pull_all(&app, &rep, &device, Some(&cursor)).await;
    assert!(reset, "a changed scope resets the device");
    let ids: Vec<&Value> = changes.iter().map(|c| &c["id"]).collect();
    assert!(ids.contains(&&mine["id"]) && !ids.contains(&&moved["id"]) && !ids.contains(&&gone["id"]));
}

#[tokio::test]
async fn a_pull_running_beside_concurrent_writers_never_skips_a_change() {
    let app = spawn_app().await;
    let (rep, _) = app.signed_in("rep").await;
    let device = client_id();
    // Eight writers create contacts at once while the device pulls again and again.
    let writers: Vec<_> = (0..8)
        .map(|w| {
            let (rep, url) = (rep.clone(), app.url("/api/v1/contacts"));
            tokio::spawn(async move {
                let mut ids = Vec::new();
                for i in 0..15 {
                    let r =
                        rep.post(&url).json(&json!({"name": format!("Writer {w} contact {i}")})).send().await.unwrap();
                    assert_eq!(r.status(), 201);
                    ids.push(r.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string());
                }
                ids
            })
        })
        .collect();
    let mut seen = std::collections::HashSet::new();
    let mut cursor: Option<String> = None;
    let mut pulls = 0;
    loop {
        let done = writers.iter().all(tokio::task::JoinHandle::is_finished);
        let (changes, next, _) = pull_all(&app, &rep, &device, cursor.as_deref()).await;
        seen.extend(changes.iter().filter(|c| c["entity"] == "contact").map(|c| c["id"].as_str().unwrap().to_string()));
        cursor = Some(next);
        pulls += 1;
        if done {
            break;
        }
    }
    let mut written = Vec::new();
    for w in writers {
        written.extend(w.await.unwrap());
    }
    assert_eq!(written.len(), 120);
    let missed: Vec<&String> = written.iter().filter(|id| !seen.contains(*id)).collect();
    assert!(missed.is_empty(), "{} of 120 changes never reached the device over {pulls} pulls", missed.len());
}

/// What a device holds after applying `changes` in order to `held` (entity/id → record).
fn apply(held: &mut std::collections::HashMap<String, Value>, changes: &[Value]) {
    for c in changes {
        let key = format!("{}/{}", c["entity"].as_str().unwrap(), c["id"].as_str().unwrap());
        match c["op"].as_str().unwrap() {
            "put" => held.insert(key, c["record"].clone()),
            _ => held.remove(&key),
        };
    }
}

/// One page from `cursor`.
async fn pull_page(app: &TestApp, device: &Client, client: &str, cursor: Option<&str>) -> Value {
    let mut query = vec![("client_id", client.to_string())];
    if let Some(c) = cursor {
        query.push(("cursor", c.to_string()));
    }
    let r = device.get(app.url("/api/v1/sync/pull")).query(&query).send().await.unwrap();
    assert_eq!(r.status(), 200);
    r.json().await.unwrap()
}

/// Gives every contact of `owner` one new version in one transaction, as a bulk write does.
async fn touch_all_of(app: &TestApp, owner: &str) {
    let mut tx = app.db.begin_write().await.unwrap();
    let version = tx.next_version().await.unwrap();
    sqlx::query("UPDATE contacts SET version = $1 WHERE owner_id = $2")
        .bind(version)
        .bind(owner)
        .execute(tx.conn())
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn a_bulk_write_sharing_one_version_pages_whole_and_a_snapshot_never_keeps_what_was_deleted_meanwhile() {
    let app = spawn_app().await;
    let (office, _) = app.signed_in("office").await;
    let (rep, rep_user) = app.signed_in("rep").await;
    let owner = rep_user.id.to_string();
    let generated = fieldwork_server::seed::bulk::generate(3, 700, std::slice::from_ref(&rep_user.id));
    fieldwork_server::seed::bulk::insert_contacts(&app.db, generated).await.unwrap();
    // 700 rows, one version: more than a page (500) shares one version.
    touch_all_of(&app, &owner).await;

    let contacts = |held: &std::collections::HashMap<String, Value>| {
        held.keys().filter(|k| k.starts_with("contact/")).cloned().collect::<std::collections::BTreeSet<_>>()
    };
    let device = client_id();
    let mut held = std::collections::HashMap::new();
    let first = pull_page(&app, &rep, &device, None).await;
    assert!(first["reset"].as_bool().unwrap() && first["more"].as_bool().unwrap());
    apply(&mut held, first["changes"].as_array().unwrap());
    let on_first_page = contacts(&held);
    assert_eq!(on_first_page.len(), 500);

    // Half-way through the snapshot, one contact it already delivered and one it has not yet
    // are deleted.
    let all: Vec<String> = sqlx::query_scalar("SELECT id FROM contacts WHERE owner_id = $1")
        .bind(&owner)
        .fetch_all(app.db.pool())
        .await
        .unwrap();
    let delivered = all.iter().find(|id| on_first_page.contains(&format!("contact/{id}"))).unwrap().clone();
    let pending = all.iter().find(|id| !on_first_page.contains(&format!("contact/{id}"))).unwrap().clone();
    for id in [&delivered, &pending] {
        let r = office.delete(app.url(&format!("/api/v1/contacts/{id}"))).send().await.unwrap();
        assert_eq!(r.status(), 204);
    }
    let mut cursor = first["cursor"].as_str().unwrap().to_string();
    loop {
        let page = pull_page(&app, &rep, &device, Some(&cursor)).await;
        assert!(!page["reset"].as_bool().unwrap());
        apply(&mut held, page["changes"].as_array().unwrap());
        cursor = page["cursor"].as_str().unwrap().to_string();
        if !page["more"].as_bool().unwrap() {
            break;
        }
    }
    let expected: std::collections::BTreeSet<String> =
        all.iter().filter(|id| **id != delivered && **id != pending).map(|id| format!("contact/{id}")).collect();
    assert_eq!(contacts(&held), expected, "the device holds exactly the 698 live contacts");

    // Another bulk write: every change arrives although the page ends inside one version.
    touch_all_of(&app, &owner).await;
    let (changes, _, reset) = pull_all(&app, &rep, &device, Some(&cursor)).await;
    assert!(!reset);
    let ids: std::collections::BTreeSet<String> =
        changes.iter().filter(|c| c["op"] == "put").map(|c| format!("contact/{}", c["id"].as_str().unwrap())).collect();
    assert_eq!(ids, expected, "698 puts over two pages of one version");
}

#[tokio::test]
async fn a_territory_handed_to_another_rep_leaves_the_first_device_and_reaches_the_second() {
    let app = spawn_app().await;
    let (office, _) = app.signed_in("office").await;
    let (first, first_user) = app.signed_in("rep").await;
    let (second, second_user) = app.signed_in("rep").await;
    let r = office
        .post(app.url("/api/v1/territories"))
        .json(&json!({"name": "Uttara", "geometry": {"type": "Polygon", "coordinates": [[[90.35, 23.84], [90.45, 23.84], [90.45, 23.94], [90.35, 23.94], [90.35, 23.84]]]}}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let territory = r.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string();
    let assign = |user: String| {
        let (office, url) = (office.clone(), app.url(&format!("/api/v1/territories/{territory}/assignees")));
        async move {
            let r = office.put(url).json(&json!({"assignees": [{"user_id": user}]})).send().await.unwrap();
            assert_eq!(r.status(), 200);
        }
    };
    assign(first_user.id.to_string()).await;
    let mut inside = Vec::new();
    for i in 0..3 {
        let r = office
            .post(app.url("/api/v1/contacts"))
            .json(&json!({"name": format!("Uttara shop {i}"), "location": {"lat": 23.87, "lon": 90.40 + f64::from(i) / 100.0}}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
        inside.push(format!("contact/{}", r.json::<Value>().await.unwrap()["id"].as_str().unwrap()));
    }
    let r = first.post(app.url("/api/v1/contacts")).json(&json!({"name": "Own contact"})).send().await.unwrap();
    let own = format!("contact/{}", r.json::<Value>().await.unwrap()["id"].as_str().unwrap());

    let (first_device, second_device) = (client_id(), client_id());
    let (mut first_held, mut second_held) = (std::collections::HashMap::new(), std::collections::HashMap::new());
    let (changes, first_cursor, _) = pull_all(&app, &first, &first_device, None).await;
    apply(&mut first_held, &changes);
    let (changes, second_cursor, _) = pull_all(&app, &second, &second_device, None).await;
    apply(&mut second_held, &changes);
    assert!(inside.iter().all(|c| first_held.contains_key(c)) && first_held.contains_key(&own));
    assert!(inside.iter().all(|c| !second_held.contains_key(c)));

    assign(second_user.id.to_string()).await;
    let (changes, _, reset) = pull_all(&app, &first, &first_device, Some(&first_cursor)).await;
    if reset {
        first_held.clear();
    }
    apply(&mut first_held, &changes);
    assert!(inside.iter().all(|c| !first_held.contains_key(c)), "the territory's contacts left the first rep's device");
    assert!(first_held.contains_key(&own), "what the rep owns stays");
    let (changes, _, reset) = pull_all(&app, &second, &second_device, Some(&second_cursor)).await;
    if reset {
        second_held.clear();
    }
    apply(&mut second_held, &changes);
    assert!(inside.iter().all(|c| second_held.contains_key(c)), "and reached the second rep's device");
}

/// Two devices edit one contact's phone offline; the one whose push reaches the server first
/// keeps the field whatever the devices' clocks say. Answers (outcomes, stored phones).
async fn clock_race(skew_minutes: i64) -> (Vec<String>, Value) {
    let app = spawn_app().await;
    let (rep, _) = app.signed_in("rep").await;
    let (early, late) = (client_id(), client_id());
    let contact = id();
    let (_, body) = push(
        &app,
        &rep,
        &early,
        json!([{"mutation_id": 1, "entity": "contact", "id": contact, "op": "create",
                "fields": {"name": "Clock test", "phones": ["+8801711000001"]}}]),
    )
    .await;
    let version = body["results"][0]["record"]["version"].clone();
    let now = chrono::Utc::now();
    // The early device's clock runs behind and the late one's ahead by `skew_minutes`.
    let ts = |offset: i64| (now + chrono::Duration::minutes(offset)).to_rfc3339();
    let mut answers = Vec::new();
    for (device, mutation, phone, at) in
        [(&early, 2, "+8801711000002", ts(-skew_minutes)), (&late, 1, "+8801711000003", ts(1 + skew_minutes))]
    {
        let (_, body) = push(
            &app,
            &rep,
            device,
            json!([{"mutation_id": mutation, "entity": "contact", "id": contact, "op": "update", "base_version": version,
                    "fields": {"phones": [phone]}, "base": {"phones": ["+8801711000001"]}, "client_ts": at}]),
        )
        .await;
        answers.extend(outcomes(&body));
    }
    let stored: Value =
        rep.get(app.url(&format!("/api/v1/contacts/{contact}"))).send().await.unwrap().json().await.unwrap();
    (answers, stored["phones"].clone())
}

#[tokio::test]
async fn a_device_clock_an_hour_wrong_changes_no_outcome() {
    let honest = clock_race(0).await;
    assert_eq!(honest, (vec!["applied".to_string(), "conflict".to_string()], json!(["+8801711000002"])));
    assert_eq!(clock_race(60).await, honest, "an hour of clock skew either way orders nothing");
}

#[tokio::test]
async fn a_server_restored_from_an_older_backup_takes_the_outbox_again_and_the_device_converges() {
    let app = spawn_app().await;
    let (rep, _) = app.signed_in("rep").await;
    let device = client_id();
    let (kept, lost, later) = (id(), id(), id());
    let create = |n: i64, id: &str, name: &str| json!({"mutation_id": n, "entity": "contact", "id": id, "op": "create", "fields": {"name": name}});
    let (_, body) = push(&app, &rep, &device, json!([create(1, &kept, "Before the backup")])).await;
    let before_restore = body["server_epoch"].as_str().unwrap().to_string();
    let (_, cursor, _) = pull_all(&app, &rep, &device, None).await;
    let (_, body) = push(&app, &rep, &device, json!([create(2, &lost, "After the backup")])).await;
    assert_eq!(outcomes(&body), ["applied"]);

    // The server is restored from a backup taken between mutations 1 and 2: the second
    // contact and the device's counter past 1 are gone, and the restore starts a new epoch.
    sqlx::query("DELETE FROM contacts WHERE id = $1").bind(&lost).execute(app.db.pool()).await.unwrap();
    sqlx::query("UPDATE sync_clients SET last_mutation_id = 1 WHERE client_id = $1")
        .bind(&device)
        .execute(app.db.pool())
        .await
        .unwrap();
    let restored = app.db.begin_new_epoch().await.unwrap();
    assert_ne!(restored, before_restore);

    // Mutation 3 waited in the outbox. Without saying which server it last pushed to, the
    // device would be stuck at the gap; saying it, its outbox is taken.
    let (_, stuck) = push(&app, &rep, &device, json!([create(3, &later, "Made after the restore")])).await;
    assert!(outcomes(&stuck).is_empty(), "a gap stops an ordinary push: {stuck}");
    let r = rep
        .post(app.url("/api/v1/sync/push"))
        .json(&json!({"client_id": device, "server_epoch": before_restore,
                      "mutations": [create(3, &later, "Made after the restore")]}))
        .send()
        .await
        .unwrap();
    let body: Value = r.json().await.unwrap();
    assert_eq!(outcomes(&body), ["applied"], "{body}");
    assert_eq!((body["last_mutation_id"].as_i64(), body["server_epoch"].as_str()), (Some(3), Some(restored.as_str())));
    // Pushed again, it is a duplicate: exactly once still holds after the restore.
    let (_, again) = push(&app, &rep, &device, json!([create(3, &later, "Made after the restore")])).await;
    assert_eq!(outcomes(&again), ["duplicate"]);
    assert_eq!(count(&app, "contacts", &later).await, 1);

    // The device's old cursor names the old epoch: it starts over and holds what the server holds.
    let (changes, _, reset) = pull_all(&app, &rep, &device, Some(&cursor)).await;
    assert!(reset, "a new epoch resets the device");
    let mut held = std::collections::HashMap::new();
    apply(&mut held, &changes);
    let contacts: std::collections::BTreeSet<&str> = held.keys().filter_map(|k| k.strip_prefix("contact/")).collect();
    assert_eq!(contacts, [kept.as_str(), later.as_str()].into_iter().collect());
}

#[tokio::test]
async fn appointments_made_and_changed_offline_apply_once_and_their_status_only_moves_forward() {
    let app = spawn_app().await;
    let (rep, _) = app.signed_in("rep").await;
    let (phone, tablet) = (client_id(), client_id());
    let (meeting, clash) = (id(), id());
    let create = |n: i64, id: &str, title: &str, allow: bool| {
        json!({"mutation_id": n, "entity": "appointment", "id": id, "op": "create",
               "fields": {"kind": "meeting", "title": title, "starts_at": "2026-12-02T04:00:00Z", "allow_overlap": allow}})
    };
    let (_, body) = push(&app, &rep, &phone, json!([create(1, &meeting, "Meet the owner", false)])).await;
    assert_eq!(outcomes(&body), ["applied"], "{body}");
    let version = body["results"][0]["record"]["version"].clone();
    assert_eq!(body["results"][0]["record"]["ends_at"], "2026-12-02T04:30:00Z");
    // The same time again: refused as online (the overlap named), unless the rep said keep both.
    let (_, body) = push(&app, &rep, &phone, json!([create(2, &clash, "Double booked", false)])).await;
    assert_eq!(outcomes(&body), ["rejected"]);
    assert!(body["results"][0]["message"].as_str().unwrap().contains("overlaps “Meet the owner”"), "{body}");
    let (_, body) = push(&app, &rep, &phone, json!([create(3, &clash, "Double booked", true)])).await;
    assert_eq!(outcomes(&body), ["applied"]);

    // Offline on two devices: the tablet moves the meeting, the phone renames it and moves it too.
    let update = |n: i64, fields: Value, base: Value| {
        json!({"mutation_id": n, "entity": "appointment", "id": meeting, "op": "update",
               "base_version": version, "fields": fields, "base": base})
    };
    let (_, body) = push(
        &app,
        &rep,
        &tablet,
        json!([update(1, json!({"starts_at": "2026-12-02T06:00:00Z"}), json!({"starts_at": "2026-12-02T04:00:00Z"}))]),
    )
    .await;
    assert_eq!(outcomes(&body), ["applied"], "{body}");
    assert_eq!(body["results"][0]["record"]["ends_at"], "2026-12-02T06:30:00Z", "a move keeps the length");
    let (_, body) = push(
        &app,
        &rep,
        &phone,
        json!([update(
            4,
            json!({"title": "Meet the owner and his son", "starts_at": "2026-12-02T08:00:00Z"}),
            json!({"title": "Meet the owner", "starts_at": "2026-12-02T04:00:00Z"})
        )]),
    )
    .await;
    assert_eq!(outcomes(&body), ["conflict"], "{body}");
    let record = &body["results"][0]["record"];
    assert_eq!(
        (record["title"].as_str(), record["starts_at"].as_str()),
        (Some("Meet the owner and his son"), Some("2026-12-02T06:00:00Z"))
    );
    assert_eq!(body["results"][0]["conflicts"][0]["field"], "starts_at");

    // Done is final: a device that still thinks it scheduled cannot move it back.
    let current = record["version"].clone();
    let status = |n: i64, to: &str, from: &str| {
        json!({"mutation_id": n, "entity": "appointment", "id": meeting, "op": "update",
               "base_version": current, "fields": {"status": to}, "base": {"status": from}})
    };
    let (_, body) = push(&app, &rep, &phone, json!([status(5, "done", "scheduled")])).await;
    assert_eq!(outcomes(&body), ["applied"]);
    let (_, body) = push(&app, &rep, &tablet, json!([status(2, "cancelled", "scheduled")])).await;
    assert_eq!(outcomes(&body), ["conflict"], "the later status change keeps the first: {body}");
    assert_eq!(body["results"][0]["record"]["status"], "done");
    let (_, body) = push(&app, &rep, &phone, json!([status(6, "scheduled", "done")])).await;
    assert_eq!(outcomes(&body), ["rejected"], "{body}");
    assert!(!body["results"][0]["fields"]["status"].is_null(), "the refusal names the status: {body}");

    // Deleting the double booking; sent twice, it is gone once.
    let delete = json!([{"mutation_id": 7, "entity": "appointment", "id": clash, "op": "delete"}]);
    let (_, body) = push(&app, &rep, &phone, delete.clone()).await;
    assert_eq!(outcomes(&body), ["applied"]);
    let (_, body) = push(&app, &rep, &phone, delete).await;
    assert_eq!(outcomes(&body), ["duplicate"]);
    let r = rep.get(app.url(&format!("/api/v1/appointments/{clash}"))).send().await.unwrap();
    assert_eq!(r.status(), 404);
    assert_eq!(count(&app, "appointments", &meeting).await, 1);

    // Another rep's device can neither change nor delete it.
    let (stranger, _) = app.signed_in("rep").await;
    let (_, body) = push(
        &app,
        &stranger,
        &client_id(),
        json!([{"mutation_id": 1, "entity": "appointment", "id": meeting, "op": "update",
                "fields": {"title": "Taken over"}, "base": {"title": "Meet the owner and his son"}},
               {"mutation_id": 2, "entity": "appointment", "id": meeting, "op": "delete"}]),
    )
    .await;
    assert_eq!(outcomes(&body), ["rejected", "rejected"], "{body}");
    let kept: Value =
        rep.get(app.url(&format!("/api/v1/appointments/{meeting}"))).send().await.unwrap().json().await.unwrap();
    assert_eq!(kept["title"], "Meet the owner and his son");
}

#[tokio::test]
async fn listings_made_and_changed_offline_apply_once_and_take_only_allowed_status_steps() {
    let app = spawn_app().await;
    let (rep, rep_user) = app.signed_in("rep").await;
    let (phone, laptop) = (client_id(), client_id());
    let flat = id();
    let create = json!([{"mutation_id": 1, "entity": "listing", "id": flat, "op": "create",
        "fields": {"title": "Flat in Gulshan", "kind": "apartment", "transaction": "sale",
                   "price": {"amount": 120_000_000, "currency": "BDT"}, "bedrooms": 3}}]);
    let (_, body) = push(&app, &rep, &phone, create.clone()).await;
    assert_eq!(outcomes(&body), ["applied"], "{body}");
    let record = &body["results"][0]["record"];
    assert_eq!(
        (record["status"].as_str(), record["agent_id"].as_str()),
        (Some("draft"), Some(rep_user.id.to_string().as_str()))
    );
    assert!(!record["reference"].as_str().unwrap().is_empty(), "the server gives the reference");
    let version = record["version"].clone();
    let (_, again) = push(&app, &rep, &phone, create).await;
    assert_eq!(outcomes(&again), ["duplicate"]);
    assert_eq!(count(&app, "listings", &flat).await, 1);

    // Offline: the laptop lowers the price and publishes it; the phone changes the price and
    // the bedrooms. The laptop reaches the server first.
    let update = |n: i64, fields: Value, base: Value| {
        json!([{"mutation_id": n, "entity": "listing", "id": flat, "op": "update",
                "base_version": version, "fields": fields, "base": base}])
    };
    let price = |amount: i64| json!({"amount": amount, "currency": "BDT"});
    let (_, body) = push(
        &app,
        &rep,
        &laptop,
        update(
            1,
            json!({"price": price(110_000_000), "status": "available"}),
            json!({"price": price(120_000_000), "status": "draft"}),
        ),
    )
    .await;
    assert_eq!(outcomes(&body), ["applied"], "{body}");
    let (_, body) = push(
        &app,
        &rep,
        &phone,
        update(
            2,
            json!({"price": price(125_000_000), "bedrooms": 4}),
            json!({"price": price(120_000_000), "bedrooms": 3}),
        ),
    )
    .await;
    assert_eq!(outcomes(&body), ["conflict"], "{body}");
    let record = &body["results"][0]["record"];
    assert_eq!((record["price"]["amount"].as_i64(), record["bedrooms"].as_i64()), (Some(110_000_000), Some(4)));
    assert_eq!(record["status"], "available");
    assert_eq!(body["results"][0]["conflicts"][0]["field"], "price");

    // A step the status machine does not allow is refused with the steps it does.
    let current = record["version"].clone();
    let (_, body) = push(
        &app,
        &rep,
        &phone,
        json!([{"mutation_id": 3, "entity": "listing", "id": flat, "op": "update", "base_version": current,
                "fields": {"status": "draft"}, "base": {"status": "available"}}]),
    )
    .await;
    assert_eq!(outcomes(&body), ["rejected"], "{body}");
    assert!(body["results"][0]["message"].as_str().unwrap().contains("can become"), "{body}");
    let stored: Value =
        rep.get(app.url(&format!("/api/v1/listings/{flat}"))).send().await.unwrap().json().await.unwrap();
    assert_eq!(stored["status"], "available");
    let history: Value =
        rep.get(app.url(&format!("/api/v1/listings/{flat}/history"))).send().await.unwrap().json().await.unwrap();
    let steps: Vec<&str> = history.as_array().unwrap().iter().map(|h| h["to"].as_str().unwrap_or("?")).collect();
    assert_eq!(steps, ["draft", "available"]);

    // Another rep's device cannot change it: refused, nothing written.
    let (stranger, _) = app.signed_in("rep").await;
    let (_, body) = push(
        &app,
        &stranger,
        &client_id(),
        json!([{"mutation_id": 1, "entity": "listing", "id": flat, "op": "update", "base_version": stored["version"],
                "fields": {"title": "Mine now"}, "base": {"title": "Flat in Gulshan"}}]),
    )
    .await;
    assert_eq!(outcomes(&body), ["rejected"], "{body}");
    let after: Value =
        rep.get(app.url(&format!("/api/v1/listings/{flat}"))).send().await.unwrap().json().await.unwrap();
    assert_eq!((after["title"].as_str(), &after["version"]), (Some("Flat in Gulshan"), &stored["version"]));
}
