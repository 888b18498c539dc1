//! A person's data rights over HTTP: the export of everything about one contact, and erasure
//! that removes the person's details and words but keeps the records reports count. Both only
//! for office staff and admins, both audited; contacts exports are audited too.

use crate::common::spawn_app;
use serde_json::{json, Value};

#[tokio::test]
async fn office_staff_export_a_contacts_data_and_erase_it_keeping_the_records_reports_count() {
    let app = spawn_app().await;
    let (rep, _) = app.signed_in("rep").await;
    let (manager, _) = app.signed_in("manager").await;
    let (office, _) = app.signed_in("office").await;
    let r = rep
        .post(app.url("/api/v1/contacts"))
        .json(&json!({"name": "Rahima Khatun", "phones": ["01711-234567"], "emails": ["rahima@example.com"],
                      "address": "House 9, Road 2, Banani", "notes": "Prefers evenings"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let c: Value = r.json().await.unwrap();
    let id = c["id"].as_str().unwrap().to_string();
    let r = rep
        .post(app.url(&format!("/api/v1/contacts/{id}/activities")))
        .json(&json!({"kind": "call", "direction": "outbound", "duration_s": 60, "result": "connected",
                      "body": "Rahima wants a 3-bed flat near her mother"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);

    let data_url = app.url(&format!("/api/v1/contacts/{id}/personal-data"));
    let erase_url = app.url(&format!("/api/v1/contacts/{id}/erase"));
    for (who, client) in [("rep", &rep), ("manager", &manager)] {
        assert_eq!(client.get(&data_url).send().await.unwrap().status(), 403, "{who} export");
        assert_eq!(client.post(&erase_url).send().await.unwrap().status(), 403, "{who} erase");
    }
    assert_eq!(app.browser().get(&data_url).send().await.unwrap().status(), 401);
    let unknown = app.url(&format!("/api/v1/contacts/{}/personal-data", uuid::Uuid::now_v7()));
    assert_eq!(office.get(&unknown).send().await.unwrap().status(), 404);

    let r = office.get(&data_url).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-disposition"].to_str().unwrap().contains(&format!("contact-{id}.json")));
    let data: Value = r.json().await.unwrap();
    assert_eq!(data["contact"]["name"], "Rahima Khatun");
    assert_eq!(data["contact"]["phones"], json!(["+8801711234567"]));
    assert_eq!(data["contact"]["notes"], "Prefers evenings");
    assert!(data["contact"].get("search_doc").is_none(), "bookkeeping is left out");
    assert_eq!(data["activities"][0]["body"], "Rahima wants a 3-bed flat near her mother");
    assert_eq!(data["history"][0]["action"], "create");
    assert_eq!(crate::common::audited(&app.db, "personal_data_export").await, 1);

    let calls = || async {
        sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM activities WHERE contact_id = $1 AND kind = 'call' AND duration_s = 60",
        )
        .bind(&id)
        .fetch_one(app.db.pool())
        .await
        .unwrap()
    };
    assert_eq!(calls().await, 1);
    let r = office.post(&erase_url).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let erased: Value = r.json().await.unwrap();
    assert_eq!(erased["activities"], 1);
    assert_eq!(crate::common::audited(&app.db, "erase").await, 1);

    // Gone for every user and from search; what happened is still counted.
    assert_eq!(rep.get(app.url(&format!("/api/v1/contacts/{id}"))).send().await.unwrap().status(), 404);
    let found: Value = office.get(app.url("/api/v1/contacts?q=Rahima")).send().await.unwrap().json().await.unwrap();
    assert_eq!(found["items"], json!([]));
    assert_eq!(calls().await, 1, "the call stays, without its words");
    let data: Value = office.get(&data_url).send().await.unwrap().json().await.unwrap();
    assert_eq!(data["contact"]["name"], "Erased contact");
    assert_eq!(data["contact"]["phones"], json!([]));
    assert_eq!(data["contact"]["address"], Value::Null);
    assert_eq!(data["activities"][0]["body"], "");
    let text = data.to_string();
    for secret in ["Rahima", "rahima@example.com", "1711234567", "Banani", "evenings", "mother"] {
        assert!(!text.contains(secret), "{secret} is still stored: {text}");
    }
    let leftovers: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE changes LIKE '%Rahima%' OR changes LIKE '%Banani%'")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert_eq!(leftovers, 0, "the history keeps no old details");
}

#[tokio::test]
async fn every_contacts_export_is_audited_with_who_and_what() {
    let app = spawn_app().await;
    let (office, user) = app.signed_in("office").await;
    let r = office.get(app.url("/api/v1/contacts/export?format=csv&lifecycle=lead")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    r.bytes().await.unwrap();
    let (actor, changes): (String, String) =
        sqlx::query_as("SELECT actor_id, changes FROM audit_log WHERE entity = 'contacts' AND action = 'export'")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert_eq!(actor, user.id.to_string());
    let changes: Value = serde_json::from_str(&changes).unwrap();
    assert_eq!((changes["format"].as_str(), changes["filter"]["lifecycle"].as_str()), (Some("csv"), Some("lead")));
    let r = office.get(app.url("/api/v1/contacts/export?format=pdf")).send().await.unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(crate::common::audited(&app.db, "export").await, 1, "a refused export is not one");
}
