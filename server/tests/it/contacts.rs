//! Contacts through the HTTP API: create, read, change, archive, delete; search; filters;
//! export; timeline; and scope (a rep never sees another rep's contact, by any route).

use crate::common::{spawn_app, TestApp};
use reqwest::Client;
use serde_json::{json, Value};

async fn create(app: &TestApp, client: &Client, body: Value) -> Value {
    let r = client.post(app.url("/api/v1/contacts")).json(&body).send().await.unwrap();
    assert_eq!(r.status(), 201, "create {body}");
    r.json().await.unwrap()
}

async fn search(app: &TestApp, client: &Client, q: &str) -> Vec<String> {
    let r = client.get(app.url("/api/v1/contacts")).query(&[("q", q)]).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let page: Value = r.json().await.unwrap();
    page["items"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn a_contact_is_created_normalised_read_changed_archived_and_restored() {
    let app = spawn_app().await;
    let (rep, me) = app.signed_in("rep").await;
    let c = create(
        &app,
        &rep,
        json!({"kind": "person", "name": " Rahim Uddin ", "phones": ["01711-234567", "+44 20 7946 0958"],
               "emails": ["Rahim@Example.COM"], "location": {"lat": 23.78, "lon": 90.41}, "tags": ["VIP", "buyer"]}),
    )
    .await;
    assert_eq!(c["name"], "Rahim Uddin");
    assert_eq!(c["phones"], json!(["+8801711234567", "+442079460958"]));
    assert_eq!(c["emails"], json!(["rahim@example.com"]));
    assert_eq!(c["lifecycle"], "lead");
    assert_eq!(c["owner_id"], json!(me.id));
    assert!(c["territory_id"].is_null() && c["version"].as_i64().unwrap() > 0);
    let url = app.url(&format!("/api/v1/contacts/{}", c["id"].as_str().unwrap()));

    let r = rep
        .patch(&url)
        .json(&json!({"lifecycle": "prospect", "address": "House 12, Road 5, Gulshan"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let changed: Value = r.json().await.unwrap();
    assert_eq!(
        (changed["lifecycle"].as_str(), changed["address"].as_str()),
        (Some("prospect"), Some("House 12, Road 5, Gulshan"))
    );
    assert_eq!(changed["tags"], json!(["vip", "buyer"]), "absent fields stay");
    assert!(changed["version"].as_i64() > c["version"].as_i64());

    let r = rep.patch(&url).json(&json!({"lifecycle": "lead"})).send().await.unwrap();
    assert_eq!(r.status(), 400, "a prospect does not go back to lead");
    let r = rep.patch(&url).json(&json!({"name": "R. Uddin", "base_version": c["version"]})).send().await.unwrap();
    assert_eq!(r.status(), 409, "an edit based on an old version is refused");

    let r = rep.patch(&url).json(&json!({"archived": true})).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(search(&app, &rep, "rahim").await.is_empty(), "archived contacts leave the list");
    let r = rep.get(app.url("/api/v1/contacts?archived=archived")).send().await.unwrap();
    assert_eq!(r.json::<Value>().await.unwrap()["items"].as_array().unwrap().len(), 1);
    rep.patch(&url).json(&json!({"archived": false})).send().await.unwrap();
    assert_eq!(search(&app, &rep, "rahim").await, ["Rahim Uddin"]);

    let timeline: Value = rep.get(format!("{url}/timeline")).send().await.unwrap().json().await.unwrap();
    let actions: Vec<&str> =
        timeline["items"].as_array().unwrap().iter().map(|e| e["title"].as_str().unwrap()).collect();
    assert_eq!(actions, ["restore", "archive", "update", "create"], "every change is audited, newest first");

    assert_eq!(rep.delete(&url).send().await.unwrap().status(), 403, "reps archive, they do not delete");
    let (office, _) = app.signed_in("office").await;
    assert_eq!(office.delete(&url).send().await.unwrap().status(), 204);
    assert_eq!(office.get(&url).send().await.unwrap().status(), 404);
}

#[tokio::test]
async fn bad_input_names_each_wrong_field_and_writes_nothing() {
    let app = spawn_app().await;
    let (office, _) = app.signed_in("office").await;
    let r = office
        .post(app.url("/api/v1/contacts"))
        .json(&json!({"name": "", "phones": ["12"], "emails": ["nope"], "location": {"lat": 100, "lon": 0},
                      "owner_id": uuid::Uuid::now_v7()}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let body: Value = r.json().await.unwrap();
    let fields = body["error"]["fields"].as_object().unwrap();
    for field in ["name", "phones.0", "emails.0", "location"] {
        assert!(fields.contains_key(field), "{field} missing from {fields:?}");
    }
    let r = office
        .post(app.url("/api/v1/contacts"))
        .json(&json!({"name": "X", "owner_id": uuid::Uuid::now_v7()}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400, "an unknown owner is a field error");
    let r = office.get(app.url("/api/v1/contacts?sort=age&lifecycle=vip")).send().await.unwrap();
    assert_eq!(r.status(), 400);
    let page: Value = office.get(app.url("/api/v1/contacts")).send().await.unwrap().json().await.unwrap();
    assert!(page["items"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn search_finds_names_by_prefix_and_typo_phones_by_any_fragment_and_emails() {
    let app = spawn_app().await;
    let (office, _) = app.signed_in("office").await;
    let company = create(&app, &office, json!({"kind": "company", "name": "Padma Properties Ltd"})).await;
    create(&app, &office, json!({"name": "Rahim Uddin", "phones": ["01711-234567"], "company_id": company["id"]}))
        .await;
    create(&app, &office, json!({"name": "Karim Chowdhury", "emails": ["karim@bay.example"], "tags": ["investor"]}))
        .await;
    create(&app, &office, json!({"name": "রহিম মিয়া", "phones": ["+8801899000111"]})).await;

    assert_eq!(search(&app, &office, "rah").await, ["Rahim Uddin"]);
    assert_eq!(search(&app, &office, "Uddin Rah").await, ["Rahim Uddin"], "words in any order");
    assert_eq!(search(&app, &office, "rahm").await, ["Rahim Uddin"], "one typo");
    assert_eq!(search(&app, &office, "chowdhry").await, ["Karim Chowdhury"]);
    assert_eq!(search(&app, &office, "1234").await, ["Rahim Uddin"], "a fragment from the middle of the number");
    assert_eq!(search(&app, &office, "017 11-23").await, ["Rahim Uddin"], "national format with punctuation");
    assert_eq!(search(&app, &office, "+880 1711").await, ["Rahim Uddin"]);
    assert_eq!(search(&app, &office, "karim@bay").await, ["Karim Chowdhury"]);
    assert_eq!(search(&app, &office, "investor").await, ["Karim Chowdhury"]);
    assert_eq!(search(&app, &office, "padma").await, ["Padma Properties Ltd", "Rahim Uddin"], "by company");
    assert_eq!(search(&app, &office, "রহি").await, ["রহিম মিয়া"]);
    assert!(search(&app, &office, "zzzz").await.is_empty());
}

#[tokio::test]
async fn lists_filter_sort_and_page_with_a_cursor() {
    let app = spawn_app().await;
    let (office, _) = app.signed_in("office").await;
    for (name, lifecycle, tag) in
        [("Amina", "lead", "vip"), ("Babul", "customer", "vip"), ("Chandni", "lead", "renter")]
    {
        create(&app, &office, json!({"name": name, "lifecycle": lifecycle, "tags": [tag]})).await;
    }
    let names = |page: &Value| -> Vec<String> {
        page["items"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap().to_string()).collect()
    };
    let get = |q: &'static str| {
        let (office, app) = (&office, &app);
        async move {
            office.get(app.url(&format!("/api/v1/contacts?{q}"))).send().await.unwrap().json::<Value>().await.unwrap()
        }
    };
    assert_eq!(names(&get("lifecycle=lead").await), ["Amina", "Chandni"]);
    assert_eq!(names(&get("tag=VIP").await), ["Amina", "Babul"]);
    assert_eq!(names(&get("sort=-name").await), ["Chandni", "Babul", "Amina"]);
    let first = get("limit=2").await;
    assert_eq!(names(&first), ["Amina", "Babul"]);
    let cursor = first["next_cursor"].as_str().unwrap();
    let second: Value = office
        .get(app.url("/api/v1/contacts"))
        .query(&[("limit", "2"), ("cursor", cursor)])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(names(&second), ["Chandni"]);
    assert!(second["next_cursor"].is_null());
}

#[tokio::test]
async fn a_rep_gets_404_for_another_reps_contact_by_id_search_export_and_timeline() {
    let app = spawn_app().await;
    let (rep_a, _) = app.signed_in("rep").await;
    let (rep_b, _) = app.signed_in("rep").await;
    let theirs = create(&app, &rep_b, json!({"name": "Shirin Sultana", "phones": ["01911-555666"]})).await;
    create(&app, &rep_a, json!({"name": "Shafiq Rahman"})).await;
    let url = app.url(&format!("/api/v1/contacts/{}", theirs["id"].as_str().unwrap()));

    assert_eq!(rep_a.get(&url).send().await.unwrap().status(), 404);
    assert_eq!(rep_a.patch(&url).json(&json!({"name": "x"})).send().await.unwrap().status(), 404);
    assert_eq!(rep_a.get(format!("{url}/timeline")).send().await.unwrap().status(), 404);
    assert_eq!(rep_a.get(format!("{url}/activities")).send().await.unwrap().status(), 404);
    let r = rep_a.post(format!("{url}/activities")).json(&json!({"kind": "note", "body": "hi"})).send().await.unwrap();
    assert_eq!(r.status(), 404);
    assert_eq!(search(&app, &rep_a, "shi").await, Vec::<String>::new());
    assert_eq!(search(&app, &rep_a, "555666").await, Vec::<String>::new());
    assert_eq!(search(&app, &rep_a, "sha").await, ["Shafiq Rahman"]);
    let csv = rep_a.get(app.url("/api/v1/contacts/export")).send().await.unwrap().text().await.unwrap();
    assert!(csv.contains("Shafiq Rahman") && !csv.contains("Shirin"), "{csv}");
    let r = rep_a
        .post(app.url("/api/v1/tasks"))
        .json(&json!({"title": "x", "due_at": "2026-12-01T10:00:00Z", "contact_id": theirs["id"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400, "a task cannot link a contact out of scope");
    let (office, _) = app.signed_in("office").await;
    assert_eq!(office.get(&url).send().await.unwrap().status(), 200, "office staff see everyone's");
}

#[tokio::test]
async fn export_streams_the_filtered_list_as_csv() {
    let app = spawn_app().await;
    let (office, _) = app.signed_in("office").await;
    create(&app, &office, json!({"name": "Jamal \"JB\" Bhuiyan", "tags": ["vip"], "phones": ["01711000000"], "notes": "line one\nline two"})).await;
    create(&app, &office, json!({"name": "Other"})).await;
    let r = office.get(app.url("/api/v1/contacts/export?tag=vip")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let text = r.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1);
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    assert_eq!(&rows[0][col("name")], "Jamal \"JB\" Bhuiyan");
    assert_eq!(&rows[0][col("phone")], "+8801711000000");
    assert_eq!(&rows[0][col("notes")], "line one\nline two");
}

#[tokio::test]
async fn a_logged_call_and_a_follow_up_show_on_the_timeline_and_the_due_list() {
    let app = spawn_app().await;
    let (rep, _) = app.signed_in("rep").await;
    let c = create(&app, &rep, json!({"name": "Nazma Begum"})).await;
    let id = c["id"].as_str().unwrap();
    let r = rep
        .post(app.url(&format!("/api/v1/contacts/{id}/activities")))
        .json(&json!({"kind": "call", "direction": "outbound", "duration_s": 125, "result": "connected", "body": "Wants a 3-bed flat"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let r = rep
        .post(app.url(&format!("/api/v1/contacts/{id}/activities")))
        .json(&json!({"kind": "call", "result": "great"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let due = (chrono::Utc::now() - chrono::Duration::minutes(5)).to_rfc3339();
    let r = rep
        .post(app.url("/api/v1/tasks"))
        .json(&json!({"title": "Send floor plans", "due_at": due, "contact_id": id}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let task: Value = r.json().await.unwrap();

    let timeline: Value =
        rep.get(app.url(&format!("/api/v1/contacts/{id}/timeline"))).send().await.unwrap().json().await.unwrap();
    let kinds: Vec<&str> = timeline["items"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert!(kinds.contains(&"call") && kinds.contains(&"task") && kinds.contains(&"change"), "{kinds:?}");
    let call = timeline["items"].as_array().unwrap().iter().find(|e| e["kind"] == "call").unwrap();
    assert_eq!(call["detail"], "Wants a 3-bed flat");

    let due_today: Value = rep.get(app.url("/api/v1/tasks?due=today")).send().await.unwrap().json().await.unwrap();
    assert_eq!(due_today["items"][0]["title"], "Send floor plans");
    assert_eq!(due_today["items"][0]["contact_name"], "Nazma Begum");
    let overdue: Value = rep.get(app.url("/api/v1/tasks?due=overdue")).send().await.unwrap().json().await.unwrap();
    assert_eq!(overdue["items"].as_array().unwrap().len(), 1);
    let r = rep
        .patch(app.url(&format!("/api/v1/tasks/{}", task["id"].as_str().unwrap())))
        .json(&json!({"done": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let due_today: Value = rep.get(app.url("/api/v1/tasks")).send().await.unwrap().json().await.unwrap();
    assert!(due_today["items"].as_array().unwrap().is_empty());

    let (other_rep, _) = app.signed_in("rep").await;
    let theirs: Value = other_rep.get(app.url("/api/v1/tasks?due=done")).send().await.unwrap().json().await.unwrap();
    assert!(theirs["items"].as_array().unwrap().is_empty(), "tasks are per user");
    let r = other_rep
        .patch(app.url(&format!("/api/v1/tasks/{}", task["id"].as_str().unwrap())))
        .json(&json!({"done": false}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let stale: Value = rep.get(app.url("/api/v1/contacts?stale_months=1")).send().await.unwrap().json().await.unwrap();
    assert!(stale["items"].as_array().unwrap().is_empty(), "a new contact with a call is not stale");
}

#[tokio::test]
async fn a_rep_schedules_a_meeting_with_a_contact_and_it_is_on_the_timeline_and_agenda() {
    let app = spawn_app().await;
    let (rep, me) = app.signed_in("rep").await;
    let (other_rep, other) = app.signed_in("rep").await;
    let contact = create(&app, &rep, json!({"name": "Parvin Akter"})).await;
    let theirs = create(&app, &other_rep, json!({"name": "Not Mine"})).await;
    let url = app.url("/api/v1/appointments");
    let body = json!({"kind": "meeting", "title": "Show the flat plans", "starts_at": "2026-12-02T04:00:00Z",
        "contact_id": contact["id"], "notes": "Bring the brochure"});
    let r = rep.post(&url).json(&body).send().await.unwrap();
    assert_eq!(r.status(), 201);
    let appointment: Value = r.json().await.unwrap();
    assert_eq!(appointment["ends_at"], "2026-12-02T04:30:00Z", "half an hour unless told");
    assert_eq!(appointment["assignee_id"], me.id.to_string());
    assert_eq!(appointment["status"], "scheduled");
    assert_eq!(appointment["time_zone"], "Asia/Dhaka", "the assignee's zone");

    let id = contact["id"].as_str().unwrap();
    let timeline: Value =
        rep.get(app.url(&format!("/api/v1/contacts/{id}/timeline"))).send().await.unwrap().json().await.unwrap();
    assert!(
        timeline["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["kind"] == "appointment" && e["title"] == "Show the flat plans"),
        "{timeline}"
    );
    let agenda: Value = rep
        .get(app.url("/api/v1/appointments?from=2026-12-02T00:00:00Z&to=2026-12-03T00:00:00Z"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(agenda["items"][0]["contact_name"], "Parvin Akter");

    let field_of = |r: Value| crate::common::error_fields(&r);
    let r = rep
        .post(&url)
        .json(&json!({"kind": "meeting", "title": "x", "starts_at": "2026-12-02T04:00:00Z", "assignee_id": other.id}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400, "a rep schedules only for themselves");
    assert_eq!(field_of(r.json().await.unwrap()), ["assignee_id"]);
    let r = rep
        .post(&url)
        .json(
            &json!({"kind": "meeting", "title": "x", "starts_at": "2026-12-02T04:00:00Z", "contact_id": theirs["id"]}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400, "another rep's contact is not in scope");
    assert_eq!(field_of(r.json().await.unwrap()), ["contact_id"]);
    let r = rep
        .post(&url)
        .json(&json!({"kind": "party", "title": "", "starts_at": "2026-12-02T04:00:00Z", "ends_at": "2026-12-02T03:00:00Z"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(field_of(r.json().await.unwrap()), ["ends_at", "kind", "title"]);
}

#[tokio::test]
async fn deals_move_through_the_pipeline_and_lost_needs_a_reason() {
    let app = spawn_app().await;
    let (manager, _) = app.signed_in("manager").await;
    let c = create(&app, &manager, json!({"name": "Tahmina Akhter"})).await;
    let body = json!({"contact_id": c["id"], "title": "Flat in Banani", "value": {"amount": 1_250_000_000, "currency": "BDT"}});
    let r = manager.post(app.url("/api/v1/deals")).json(&body).send().await.unwrap();
    assert_eq!(r.status(), 201);
    let deal: Value = r.json().await.unwrap();
    assert_eq!((deal["stage"].as_str(), deal["contact_name"].as_str()), (Some("inquiry"), Some("Tahmina Akhter")));
    let url = app.url(&format!("/api/v1/deals/{}", deal["id"].as_str().unwrap()));
    let r = manager.patch(&url).json(&json!({"stage": "lost"})).send().await.unwrap();
    assert_eq!(r.status(), 400);
    assert!(r.json::<Value>().await.unwrap()["error"]["fields"]["lost_reason"].is_string());
    let r = manager.patch(&url).json(&json!({"stage": "won"})).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let r = manager.patch(&url).json(&json!({"stage": "negotiation"})).send().await.unwrap();
    assert_eq!(r.status(), 400, "a won deal stays won");
    let board: Value = manager.get(app.url("/api/v1/deals")).send().await.unwrap().json().await.unwrap();
    assert_eq!(board["items"][0]["stage"], "won");
    assert_eq!(board["totals"], json!([{"stage": "won", "currency": "BDT", "count": 1, "amount": 1_250_000_000}]));

    let (rep, _) = app.signed_in("rep").await;
    assert_eq!(rep.get(&url).send().await.unwrap().status(), 404, "a rep outside the team does not see the deal");
    let board: Value = rep.get(app.url("/api/v1/deals")).send().await.unwrap().json().await.unwrap();
    assert!(board["items"].as_array().unwrap().is_empty() && board["totals"].as_array().unwrap().is_empty());
}

/// The text of the first worksheet of an XLSX workbook.
fn worksheet_xml(bytes: &[u8]) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("an xlsx is a zip archive");
    let mut sheet = archive.by_name("xl/worksheets/sheet1.xml").expect("a first worksheet");
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut sheet, &mut xml).unwrap();
    xml
}

#[tokio::test]
async fn export_as_xlsx_holds_the_filtered_list_in_scope() {
    let app = spawn_app().await;
    let (office, _) = app.signed_in("office").await;
    create(&app, &office, json!({"name": "Jamal Bhuiyan", "tags": ["vip"], "location": {"lat": 23.78, "lon": 90.41}}))
        .await;
    create(&app, &office, json!({"name": "Other Person"})).await;
    let r = office.get(app.url("/api/v1/contacts/export?tag=vip&format=xlsx")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    assert!(r.headers()["content-disposition"].to_str().unwrap().contains(".xlsx"));
    let xml = worksheet_xml(&r.bytes().await.unwrap());
    assert!(xml.contains("Jamal Bhuiyan") && !xml.contains("Other Person"), "{xml}");
    assert!(xml.contains("<v>23.78</v>"), "coordinates are numbers: {xml}");

    let (rep_a, _) = app.signed_in("rep").await;
    let (rep_b, _) = app.signed_in("rep").await;
    create(&app, &rep_a, json!({"name": "Shafiq Rahman"})).await;
    create(&app, &rep_b, json!({"name": "Shirin Sultana"})).await;
    let bytes = rep_a.get(app.url("/api/v1/contacts/export?format=xlsx")).send().await.unwrap().bytes().await.unwrap();
    let xml = worksheet_xml(&bytes);
    assert!(xml.contains("Shafiq Rahman") && !xml.contains("Shirin") && !xml.contains("Jamal"), "{xml}");

    let r = office.get(app.url("/api/v1/contacts/export?format=pdf")).send().await.unwrap();
    assert_eq!(r.status(), 400);
    let body: Value = r.json().await.unwrap();
    assert!(body.to_string().contains("format"), "{body}");
}

#[tokio::test]
async fn duplicates_include_very_similar_names_at_one_company() {
    let app = spawn_app().await;
    let (office, _) = app.signed_in("office").await;
    let padma = create(&app, &office, json!({"name": "Padma Traders", "kind": "company"})).await;
    let meghna = create(&app, &office, json!({"name": "Meghna Foods", "kind": "company"})).await;
    let at = |company: &Value, name: &str| json!({"name": name, "company_id": company["id"]});
    create(&app, &office, at(&padma, "Rahim Uddin")).await;
    create(&app, &office, at(&padma, "Uddin, Rahim")).await;
    create(&app, &office, at(&padma, "Karim Uddin")).await; // another person
    create(&app, &office, at(&meghna, "Rahim Udin")).await; // another company
    let groups: Value = office.get(app.url("/api/v1/contacts/duplicates")).send().await.unwrap().json().await.unwrap();
    let groups = groups.as_array().unwrap();
    assert_eq!(groups.len(), 1, "{groups:?}");
    assert_eq!(groups[0]["reason"], "name");
    assert_eq!(groups[0]["value"], "Padma Traders");
    let names: Vec<&str> =
        groups[0]["contacts"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Rahim Uddin", "Uddin, Rahim"]);
}

#[tokio::test]
async fn duplicates_are_found_by_phone_and_merged_keeping_everything_and_the_history() {
    let app = spawn_app().await;
    let (office, _) = app.signed_in("office").await;
    let keep =
        create(&app, &office, json!({"name": "Habib Sarkar", "phones": ["01712-000111"], "tags": ["buyer"]})).await;
    let other = create(
        &app,
        &office,
        json!({"name": "Habib S.", "phones": ["+8801712000111"], "emails": ["habib@example.com"], "tags": ["vip"], "address": "Road 11, Banani"}),
    )
    .await;
    create(&app, &office, json!({"name": "Someone Else", "phones": ["01799-999999"]})).await;
    let other_id = other["id"].as_str().unwrap();
    let keep_id = keep["id"].as_str().unwrap();
    let r = office
        .post(app.url(&format!("/api/v1/contacts/{other_id}/activities")))
        .json(&json!({"kind": "note", "body": "Prefers evening calls"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);

    let groups: Value = office.get(app.url("/api/v1/contacts/duplicates")).send().await.unwrap().json().await.unwrap();
    let groups = groups.as_array().unwrap();
    assert_eq!(groups.len(), 1, "{groups:?}");
    assert_eq!(groups[0]["reason"], "phone");
    let names: Vec<&str> =
        groups[0]["contacts"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Habib Sarkar", "Habib S."], "oldest first");

    let r = office
        .post(app.url(&format!("/api/v1/contacts/{keep_id}/merge")))
        .json(&json!({"from": [other_id]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let merged: Value = r.json().await.unwrap();
    assert_eq!(merged["name"], "Habib Sarkar");
    assert_eq!(merged["phones"], json!(["+8801712000111"]));
    assert_eq!(merged["emails"], json!(["habib@example.com"]));
    assert_eq!(merged["tags"], json!(["buyer", "vip"]));
    assert_eq!(merged["address"], "Road 11, Banani", "an empty field is filled from the merged contact");
    assert_eq!(office.get(app.url(&format!("/api/v1/contacts/{other_id}"))).send().await.unwrap().status(), 404);

    let timeline: Value = office
        .get(app.url(&format!("/api/v1/contacts/{keep_id}/timeline")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let entries = timeline["items"].as_array().unwrap();
    assert!(
        entries.iter().any(|e| e["kind"] == "note" && e["detail"] == "Prefers evening calls"),
        "the note moved: {entries:?}"
    );
    assert!(entries.iter().any(|e| e["kind"] == "change" && e["title"] == "merge"), "the merge is in the history");
    let groups: Value = office.get(app.url("/api/v1/contacts/duplicates")).send().await.unwrap().json().await.unwrap();
    assert!(groups.as_array().unwrap().is_empty());

    let (rep, _) = app.signed_in("rep").await;
    assert_eq!(rep.get(app.url("/api/v1/contacts/duplicates")).send().await.unwrap().status(), 403);
    let r = office
        .post(app.url(&format!("/api/v1/contacts/{keep_id}/merge")))
        .json(&json!({"from": [keep_id]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400, "a contact is not merged into itself");
}
