//! The desk's contact table through the HTTP API: each user's own saved layout (checked, kept,
//! never another's), and the list it reads — sorted by last activity, paged by key, counted.

use crate::common::{spawn_app, TestApp};
use reqwest::Client;
use serde_json::{json, Value};

async fn create(app: &TestApp, client: &Client, body: Value) -> String {
    let r = client.post(app.url("/api/v1/contacts")).json(&body).send().await.unwrap();
    assert_eq!(r.status(), 201, "create {body}");
    r.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string()
}

async fn note(app: &TestApp, client: &Client, id: &str, days_ago: i64) {
    let at = (chrono::Utc::now() - chrono::Duration::days(days_ago)).to_rfc3339();
    let r = client
        .post(app.url(&format!("/api/v1/contacts/{id}/activities")))
        .json(&json!({"kind": "note", "body": "visited", "occurred_at": at}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
}

async fn page(app: &TestApp, client: &Client, query: &[(&str, &str)]) -> Value {
    let r = client.get(app.url("/api/v1/contacts")).query(query).send().await.unwrap();
    assert_eq!(r.status(), 200, "{query:?}");
    r.json().await.unwrap()
}

fn names(page: &Value) -> Vec<String> {
    page["items"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn a_layout_is_each_users_own_checked_and_kept() {
    let app = spawn_app().await;
    let (office, _) = app.signed_in("office").await;
    let (rep, _) = app.signed_in("rep").await;
    let url = app.url("/api/v1/me/views/contacts");

    let default: Value = office.get(&url).send().await.unwrap().json().await.unwrap();
    assert_eq!(default["columns"][0]["key"], "name", "the list's own layout until one is saved");

    let mine = json!({"columns": [{"key": "name", "width": 300}, {"key": "last_activity"}, {"key": "custom.budget"}],
                      "sort": "-last_activity"});
    let r = office.put(&url).json(&mine).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(office.get(&url).send().await.unwrap().json::<Value>().await.unwrap(), mine);
    assert_eq!(rep.get(&url).send().await.unwrap().json::<Value>().await.unwrap(), default, "not another user's");

    let bad = json!({"columns": [{"key": "name"}, {"key": "salary"}, {"key": "phone", "width": 5000}, {"key": "phone"}],
                     "sort": "-salary"});
    let r = office.put(&url).json(&bad).send().await.unwrap();
    assert_eq!(r.status(), 400);
    let body: Value = r.json().await.unwrap();
    let mut fields: Vec<&str> = body["error"]["fields"].as_object().unwrap().keys().map(String::as_str).collect();
    fields.sort_unstable();
    assert_eq!(fields, ["columns[1].key", "columns[2].width", "columns[3].key", "sort"]);
    let r = office.put(&url).json(&json!({"columns": [{"key": "phone"}]})).send().await.unwrap();
    assert_eq!(r.status(), 400, "the name column stays");
    assert_eq!(office.get(&url).send().await.unwrap().json::<Value>().await.unwrap(), mine, "nothing half-saved");

    let r = office.get(app.url("/api/v1/me/views/salaries")).send().await.unwrap();
    assert_eq!(r.status(), 400);
    assert!(r.json::<Value>().await.unwrap()["error"]["fields"]["list"].is_string());
    assert_eq!(app.browser().get(&url).send().await.unwrap().status(), 401);
}

#[tokio::test]
async fn the_table_sorts_by_last_activity_pages_by_key_and_counts_its_matches() {
    let app = spawn_app().await;
    let (rep, me) = app.signed_in("rep").await;
    let mut ids = Vec::new();
    for name in ["Asha", "Bokul", "Chaya", "Dipu", "Esha"] {
        ids.push(create(&app, &rep, json!({"name": name, "phones": ["01711-000000"]})).await);
    }
    // Chaya most recently, then Asha, then Esha; Bokul and Dipu never.
    note(&app, &rep, &ids[2], 1).await;
    note(&app, &rep, &ids[0], 3).await;
    note(&app, &rep, &ids[4], 9).await;

    let (office, _) = app.signed_in("office").await;
    let owner = me.id.to_string();
    for (who, client) in [("rep", &rep), ("office", &office)] {
        let first =
            page(&app, client, &[("sort", "-last_activity"), ("limit", "2"), ("total", "true"), ("owner", &owner)])
                .await;
        assert_eq!(names(&first), ["Chaya", "Asha"], "{who}: most recent first");
        assert_eq!(first["total"], 5, "{who}: the first page counts every match");
        assert_eq!(first["items"][0]["owner_name"], "Test rep", "{who}: the owner by name");
        assert!(first["items"][0]["last_activity_at"].is_string());
        let cursor = first["next_cursor"].as_str().unwrap().to_string();
        let second = page(
            &app,
            client,
            &[("sort", "-last_activity"), ("limit", "2"), ("total", "true"), ("owner", &owner), ("cursor", &cursor)],
        )
        .await;
        assert_eq!(second["items"][0]["name"], "Esha", "{who}");
        assert!(second.get("total").is_none(), "{who}: only a first page is counted");
        let cursor = second["next_cursor"].as_str().unwrap().to_string();
        let third =
            page(&app, client, &[("sort", "-last_activity"), ("limit", "2"), ("owner", &owner), ("cursor", &cursor)])
                .await;
        let mut rest = names(&second)[1..].to_vec();
        rest.extend(names(&third));
        rest.sort();
        assert_eq!(rest, ["Bokul", "Dipu"], "{who}: never-touched contacts last, none lost or repeated across pages");
        assert!(third["next_cursor"].is_null());

        let oldest = page(&app, client, &[("sort", "last_activity"), ("limit", "5"), ("owner", &owner)]).await;
        assert_eq!(names(&oldest)[2..], ["Esha", "Asha", "Chaya"], "{who}: longest untouched first");
    }
    let searched = page(&app, &rep, &[("q", "asha"), ("total", "true")]).await;
    assert_eq!(names(&searched), ["Asha"]);
    assert!(searched.get("total").is_none(), "a search answers its best matches, not a count");
    let small = page(&app, &rep, &[("total", "true"), ("lifecycle", "customer")]).await;
    assert_eq!(small["total"], 0);
    let r = rep.get(app.url("/api/v1/contacts?sort=-age")).send().await.unwrap();
    assert_eq!(r.status(), 400);
}
