//! Custom fields through the HTTP API: admins define them; contacts hold their values, checked
//! field by field; lists filter on them and exports carry them; sync merges them one at a time.

use crate::common::{spawn_app, TestApp};
use reqwest::Client;
use serde_json::{json, Value};

async fn define(app: &TestApp, admin: &Client, body: Value) -> Value {
    let r = admin.post(app.url("/api/v1/fields")).json(&body).send().await.unwrap();
    let status = r.status();
    let body: Value = r.json().await.unwrap();
    assert_eq!(status, 201, "{body}");
    body
}

/// "Budget (BDT)" (money), "Preferred area" (several choices) and "NID verified" (yes/no,
/// office only) on contacts.
async fn contact_fields(app: &TestApp, admin: &Client) -> (Value, Value) {
    let budget = define(
        app,
        admin,
        json!({"record_type": "contact", "key": "budget", "label": {"en": "Budget (BDT)", "bn": "বাজেট (টাকা)"}, "kind": "money"}),
    )
    .await;
    let area = define(
        app,
        admin,
        json!({"record_type": "contact", "key": "preferred_area", "label": {"en": "Preferred area"}, "kind": "choices",
               "choices": [{"key": "gulshan", "label": {"en": "Gulshan"}}, {"key": "banani", "label": {"en": "Banani"}},
                           {"key": "uttara", "label": {"en": "Uttara"}}]}),
    )
    .await;
    define(
        app,
        admin,
        json!({"record_type": "contact", "key": "nid_verified", "label": {"en": "NID verified"}, "kind": "yes_no",
               "editable_by": "office_and_up"}),
    )
    .await;
    (budget, area)
}

async fn create_contact(app: &TestApp, client: &Client, body: Value) -> (u16, Value) {
    let r = client.post(app.url("/api/v1/contacts")).json(&body).send().await.unwrap();
    (r.status().as_u16(), r.json().await.unwrap())
}

async fn names(app: &TestApp, client: &Client, custom: &str) -> (u16, Vec<String>) {
    let r =
        client.get(app.url("/api/v1/contacts")).query(&[("custom", custom), ("limit", "100")]).send().await.unwrap();
    let status = r.status().as_u16();
    let page: Value = r.json().await.unwrap();
    let mut names: Vec<String> = page["items"]
        .as_array()
        .map(|items| items.iter().map(|c| c["name"].as_str().unwrap().to_string()).collect())
        .unwrap_or_default();
    names.sort();
    (status, names)
}

#[tokio::test]
async fn admins_define_fields_and_bad_definitions_name_what_is_wrong() {
    let app = spawn_app().await;
    let (admin, _) = app.signed_in("admin").await;
    let (rep, _) = app.signed_in("rep").await;
    let (budget, area) = contact_fields(&app, &admin).await;
    assert_eq!((budget["unit"].as_str(), budget["kind"].as_str()), (Some("BDT"), Some("money")));

    let r = rep
        .post(app.url("/api/v1/fields"))
        .json(&json!({"record_type": "contact", "key": "x", "label": {"en": "X"}, "kind": "text"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403, "only admins define fields");
    let listed: Value =
        rep.get(app.url("/api/v1/fields?record_type=contact")).send().await.unwrap().json().await.unwrap();
    let keys: Vec<&str> = listed.as_array().unwrap().iter().map(|f| f["key"].as_str().unwrap()).collect();
    assert_eq!(keys, ["budget", "preferred_area", "nid_verified"], "everyone reads them, in their order");

    let bad = admin
        .post(app.url("/api/v1/fields"))
        .json(
            &json!({"record_type": "contact", "key": "budget", "label": {"en": " "}, "kind": "choice", "choices": []}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
    let body: Value = bad.json().await.unwrap();
    let fields: Vec<&str> = body["error"]["fields"].as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(fields, ["choices", "label"], "{body}");
    let taken = admin
        .post(app.url("/api/v1/fields"))
        .json(&json!({"record_type": "contact", "key": "budget", "label": {"en": "Budget again"}, "kind": "text"}))
        .send()
        .await
        .unwrap();
    assert_eq!(taken.status(), 400);
    assert_eq!(taken.json::<Value>().await.unwrap()["error"]["fields"]["key"], "is already in use");

    // Renaming keeps values; dropping a held choice is refused; retiring it is not.
    let (status, rahim) =
        create_contact(&app, &rep, json!({"name": "Rahim", "custom": {"preferred_area": ["uttara"]}})).await;
    assert_eq!(status, 201, "{rahim}");
    let url = app.url(&format!("/api/v1/fields/{}", area["id"].as_str().unwrap()));
    let mut changed = area.clone();
    changed["label"] = json!({"en": "Area", "bn": "এলাকা"});
    changed["choices"] =
        json!([{"key": "gulshan", "label": {"en": "Gulshan"}}, {"key": "banani", "label": {"en": "Banani"}}]);
    let r = admin.put(&url).json(&changed).send().await.unwrap();
    assert_eq!(r.status(), 400, "a choice is retired, not removed");
    changed["choices"] = json!([{"key": "gulshan", "label": {"en": "Gulshan"}}, {"key": "banani", "label": {"en": "Banani"}},
                                {"key": "uttara", "label": {"en": "Uttara"}, "retired": true}]);
    let r = admin.put(&url).json(&changed).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let contact_url = app.url(&format!("/api/v1/contacts/{}", rahim["id"].as_str().unwrap()));
    let kept: Value = rep.get(&contact_url).send().await.unwrap().json().await.unwrap();
    assert_eq!(kept["custom"]["preferred_area"], json!(["uttara"]), "a retired choice stays where it is held");

    // A kind the held values do not fit is refused, naming them.
    let mut as_number = changed.clone();
    as_number["kind"] = json!("number");
    let r = admin.put(&url).json(&as_number).send().await.unwrap();
    assert_eq!(r.status(), 400);
    let reason = r.json::<Value>().await.unwrap()["error"]["fields"]["kind"].as_str().unwrap().to_string();
    assert!(reason.contains("1 held values do not fit") && reason.contains("uttara"), "{reason}");

    // Deleting takes it off the list; the record keeps its value in its history.
    assert_eq!(admin.delete(&url).send().await.unwrap().status(), 204);
    let listed: Value =
        rep.get(app.url("/api/v1/fields?record_type=contact")).send().await.unwrap().json().await.unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 2);
    let r = admin
        .post(app.url("/api/v1/fields"))
        .json(&json!({"record_type": "contact", "key": "preferred_area", "label": {"en": "Again"}, "kind": "text"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400, "a deleted field's key is not given to another");
    let r = admin.get(app.url("/api/v1/fields?record_type=invoice")).send().await.unwrap();
    assert_eq!(r.status(), 400);
}

#[tokio::test]
async fn a_record_type_holds_at_most_fifty_fields() {
    let app = spawn_app().await;
    let (admin, _) = app.signed_in("admin").await;
    for i in 0..50 {
        define(&app, &admin, json!({"record_type": "visit", "key": format!("q{i}"), "label": {"en": format!("Question {i}")}, "kind": "yes_no"})).await;
    }
    let r = admin
        .post(app.url("/api/v1/fields"))
        .json(&json!({"record_type": "visit", "key": "q50", "label": {"en": "One too many"}, "kind": "yes_no"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let body: Value = r.json().await.unwrap();
    assert!(body["error"]["fields"]["record_type"].as_str().unwrap().contains("50 fields"), "{body}");
    let listed: Value =
        admin.get(app.url("/api/v1/fields?record_type=visit")).send().await.unwrap().json().await.unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 50, "the refused one was not half written");
}

#[tokio::test]
async fn values_are_checked_against_their_fields_and_a_bad_one_writes_nothing() {
    let app = spawn_app().await;
    let (admin, _) = app.signed_in("admin").await;
    let (rep, _) = app.signed_in("rep").await;
    let (office, _) = app.signed_in("office").await;
    contact_fields(&app, &admin).await;
    define(
        &app,
        &admin,
        json!({"record_type": "contact", "key": "floor", "label": {"en": "Floor"}, "kind": "number", "required": true}),
    )
    .await;

    let (status, body) = create_contact(
        &app,
        &rep,
        json!({"name": "", "custom": {"budget": -5, "preferred_area": ["mirpur"], "colour": "red"}}),
    )
    .await;
    assert_eq!(status, 400);
    let fields: Vec<&str> = body["error"]["fields"].as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        fields,
        ["custom.budget", "custom.colour", "custom.floor", "custom.preferred_area", "name"],
        "built-in and custom fields are named together: {body}"
    );
    assert_eq!(names(&app, &office, "").await.1.len(), 0, "nothing was written");

    let (status, c) = create_contact(
        &app,
        &rep,
        json!({"name": "Karim", "custom": {"budget": "250000000", "preferred_area": ["banani", "gulshan"], "floor": "3"}}),
    )
    .await;
    assert_eq!(status, 201, "{c}");
    assert_eq!(c["custom"], json!({"budget": 250_000_000, "preferred_area": ["gulshan", "banani"], "floor": 3}));
    let url = app.url(&format!("/api/v1/contacts/{}", c["id"].as_str().unwrap()));
    let r = rep.patch(&url).json(&json!({"custom": {"nid_verified": true}})).send().await.unwrap();
    assert_eq!(r.status(), 400, "a rep may not change an office-only field");
    let r = rep.patch(&url).json(&json!({"custom": {"floor": null}})).send().await.unwrap();
    assert_eq!(r.status(), 400, "a required field is not cleared");
    let r = office.patch(&url).json(&json!({"custom": {"nid_verified": "yes", "budget": null}})).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let changed: Value = r.json().await.unwrap();
    assert_eq!(changed["custom"], json!({"preferred_area": ["gulshan", "banani"], "floor": 3, "nid_verified": true}));

    // The change history names each custom field that changed.
    let timeline: Value = office.get(format!("{url}/timeline")).send().await.unwrap().json().await.unwrap();
    let text = timeline.to_string();
    assert!(text.contains("custom.nid_verified") && text.contains("custom.budget"), "{text}");
}

#[tokio::test]
async fn lists_filter_on_custom_fields_within_scope_and_exports_carry_them() {
    let app = spawn_app().await;
    let (admin, _) = app.signed_in("admin").await;
    let (rep, _) = app.signed_in("rep").await;
    let (other_rep, _) = app.signed_in("rep").await;
    let (office, _) = app.signed_in("office").await;
    contact_fields(&app, &admin).await;
    for (client, name, custom) in [
        (&rep, "Asha", json!({"budget": 100_000, "preferred_area": ["gulshan"]})),
        (&rep, "Bilal", json!({"budget": 500_000, "preferred_area": ["banani", "uttara"]})),
        (&rep, "Chandra", json!({})),
        (&other_rep, "Dipu", json!({"budget": 300_000, "preferred_area": ["gulshan"]})),
    ] {
        let (status, body) = create_contact(&app, client, json!({"name": name, "custom": custom})).await;
        assert_eq!(status, 201, "{body}");
    }
    assert_eq!(names(&app, &office, "preferred_area=gulshan").await.1, ["Asha", "Dipu"]);
    assert_eq!(names(&app, &office, "preferred_area=uttara|gulshan").await.1, ["Asha", "Bilal", "Dipu"]);
    assert_eq!(names(&app, &office, "budget~200000..").await.1, ["Bilal", "Dipu"]);
    assert_eq!(names(&app, &office, "budget~..300000;preferred_area=gulshan").await.1, ["Asha", "Dipu"]);
    assert_eq!(names(&app, &office, "budget=").await.1, ["Chandra"]);
    assert_eq!(names(&app, &rep, "preferred_area=gulshan").await.1, ["Asha"], "a rep's filter stays in scope");
    let (status, _) = names(&app, &office, "preferred_area=mirpur").await;
    assert_eq!(status, 400);
    let r = office.get(app.url("/api/v1/contacts")).query(&[("custom", "colour=red")]).send().await.unwrap();
    let body: Value = r.json().await.unwrap();
    assert!(body["error"]["fields"]["custom"].as_str().unwrap().contains("colour"), "{body}");

    let r = office
        .get(app.url("/api/v1/contacts/export"))
        .query(&[("custom", "preferred_area=gulshan"), ("sort", "name")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let csv = r.text().await.unwrap();
    let mut lines = csv.lines();
    let header = lines.next().unwrap();
    assert!(header.ends_with(",Budget (BDT),Preferred area,NID verified"), "{header}");
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 2, "{csv}");
    assert!(rows[0].contains("Asha") && rows[0].ends_with(",1000.00,Gulshan,"), "{}", rows[0]);
}

#[tokio::test]
async fn sync_merges_custom_values_one_field_at_a_time() {
    let app = spawn_app().await;
    let (admin, _) = app.signed_in("admin").await;
    let (rep, _) = app.signed_in("rep").await;
    let (office, _) = app.signed_in("office").await;
    contact_fields(&app, &admin).await;
    let (_, c) =
        create_contact(&app, &rep, json!({"name": "Farid", "custom": {"budget": 100, "preferred_area": ["gulshan"]}}))
            .await;
    let id = c["id"].as_str().unwrap();
    let version = c["version"].clone();
    // The office changes the budget while the rep's phone is offline.
    let url = app.url(&format!("/api/v1/contacts/{id}"));
    assert_eq!(office.patch(&url).json(&json!({"custom": {"budget": 300}})).send().await.unwrap().status(), 200);

    let push = json!({"client_id": uuid::Uuid::now_v7().to_string(), "mutations": [
        {"mutation_id": 1, "entity": "contact", "id": id, "op": "update", "base_version": version,
         "fields": {"custom": {"budget": 500, "preferred_area": ["banani"]}},
         "base": {"custom": {"budget": 100, "preferred_area": ["gulshan"]}}}]});
    let r = rep.post(app.url("/api/v1/sync/push")).json(&push).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    let result = &body["results"][0];
    assert_eq!(result["outcome"], "conflict", "{body}");
    assert_eq!(
        result["record"]["custom"],
        json!({"budget": 300, "preferred_area": ["banani"]}),
        "the untouched field applied"
    );
    let conflicts = result["conflicts"].as_array().unwrap();
    assert_eq!(conflicts.len(), 1);
    assert_eq!((conflicts[0]["field"].as_str(), &conflicts[0]["mine"]), (Some("custom.budget"), &json!(500)));

    // A built-in field that is wrong refuses the change whole, as by REST.
    let now = result["record"]["version"].clone();
    let push = json!({"client_id": uuid::Uuid::now_v7().to_string(), "mutations": [
        {"mutation_id": 1, "entity": "contact", "id": id, "op": "update", "base_version": now,
         "fields": {"name": "", "custom": {"preferred_area": ["mirpur"]}}}]});
    let body: Value = rep.post(app.url("/api/v1/sync/push")).json(&push).send().await.unwrap().json().await.unwrap();
    assert_eq!(body["results"][0]["outcome"], "rejected", "{body}");
    assert!(body["results"][0]["fields"].get("custom.preferred_area").is_some(), "{body}");
}

#[tokio::test]
async fn a_definition_changed_while_a_phone_was_offline_keeps_the_phones_values_as_conflicts() {
    let app = spawn_app().await;
    let (admin, _) = app.signed_in("admin").await;
    let (rep, _) = app.signed_in("rep").await;
    let (_, mut area) = contact_fields(&app, &admin).await;
    let (_, c) =
        create_contact(&app, &rep, json!({"name": "Farid", "custom": {"budget": 100, "preferred_area": ["gulshan"]}}))
            .await;
    let (id, version) = (c["id"].as_str().unwrap(), c["version"].clone());

    // While the rep's phone is offline, the admin retires Uttara and makes the budget office-only.
    area["choices"][2]["retired"] = json!(true);
    let r = admin.put(app.url(&format!("/api/v1/fields/{}", area["id"].as_str().unwrap()))).json(&area).send().await;
    assert_eq!(r.unwrap().status(), 200);
    let fields: Value =
        admin.get(app.url("/api/v1/fields?record_type=contact")).send().await.unwrap().json().await.unwrap();
    let mut budget = fields.as_array().unwrap().iter().find(|f| f["key"] == "budget").unwrap().clone();
    budget["editable_by"] = json!("office_and_up");
    let r =
        admin.put(app.url(&format!("/api/v1/fields/{}", budget["id"].as_str().unwrap()))).json(&budget).send().await;
    assert_eq!(r.unwrap().status(), 200);

    let new_id = uuid::Uuid::now_v7().to_string();
    let push = json!({"client_id": uuid::Uuid::now_v7().to_string(), "mutations": [
        {"mutation_id": 1, "entity": "contact", "id": id, "op": "update", "base_version": version,
         "fields": {"notes": "Wants a lake view", "custom": {"budget": 500, "preferred_area": ["uttara"]}},
         "base": {"notes": null, "custom": {"budget": 100, "preferred_area": ["gulshan"]}}},
        {"mutation_id": 2, "entity": "contact", "id": new_id, "op": "create",
         "fields": {"name": "Hena", "custom": {"preferred_area": ["uttara", "banani"]}}}]});
    let body: Value = rep.post(app.url("/api/v1/sync/push")).json(&push).send().await.unwrap().json().await.unwrap();
    let (edit, create) = (&body["results"][0], &body["results"][1]);
    assert_eq!((edit["outcome"].as_str(), create["outcome"].as_str()), (Some("conflict"), Some("conflict")), "{body}");
    assert_eq!(edit["record"]["notes"], "Wants a lake view", "the rest of the edit applied: {body}");
    assert_eq!(edit["record"]["custom"], json!({"budget": 100, "preferred_area": ["gulshan"]}));
    let mut kept: Vec<(String, Value, Value)> = edit["conflicts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["field"].as_str().unwrap().to_string(), c["mine"].clone(), c["theirs"].clone()))
        .collect();
    kept.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        kept,
        [
            ("custom.budget".to_string(), json!(500), json!(100)),
            ("custom.preferred_area".to_string(), json!(["uttara"]), json!(["gulshan"]))
        ]
    );
    assert_eq!(create["record"]["name"], "Hena", "the contact made offline is kept: {body}");
    assert_eq!(create["record"]["custom"], json!({}));
    assert_eq!(create["conflicts"][0]["mine"], json!(["uttara", "banani"]), "{body}");

    // The conflicts wait for the rep, and a REST write of a retired choice is still refused.
    for (record, waiting) in [(id, 2), (new_id.as_str(), 1)] {
        let url = app.url(&format!("/api/v1/sync/conflicts/{record}"));
        let open: Value = rep.get(url).send().await.unwrap().json().await.unwrap();
        assert_eq!(open.as_array().map_or(0, Vec::len), waiting, "{open}");
    }
    let r =
        rep.patch(app.url(&format!("/api/v1/contacts/{id}"))).json(&json!({"custom": {"preferred_area": ["uttara"]}}));
    assert_eq!(r.send().await.unwrap().status(), 400);
}

#[tokio::test]
async fn check_out_asks_the_visit_questions_that_apply_and_refuses_a_missing_answer() {
    let app = spawn_app().await;
    let (admin, _) = app.signed_in("admin").await;
    let (rep, _) = app.signed_in("rep").await;
    define(
        &app,
        &admin,
        json!({"record_type": "visit", "key": "shelf_photo", "label": {"en": "Shelf photo taken?", "bn": "তাকের ছবি তোলা হয়েছে?"},
               "kind": "yes_no", "required": true}),
    )
    .await;
    define(
        &app,
        &admin,
        json!({"record_type": "visit", "key": "order_value", "label": {"en": "Order value"}, "kind": "money", "required": true,
               "ask_when": {"outcome": "Order taken"}}),
    )
    .await;
    let r = admin
        .post(app.url("/api/v1/fields"))
        .json(&json!({"record_type": "contact", "key": "x", "label": {"en": "X"}, "kind": "text", "ask_when": {"showing": true}}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400, "only visit fields are asked at check-out");

    let (_, contact) = create_contact(&app, &rep, json!({"name": "Shop one"})).await;
    let check_in = || async {
        let r = rep.post(app.url("/api/v1/visits")).json(&json!({"contact_id": contact["id"]})).send().await.unwrap();
        assert_eq!(r.status(), 201);
        r.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string()
    };
    let visit = check_in().await;
    let out = app.url(&format!("/api/v1/visits/{visit}/checkout"));
    let r = rep.post(&out).json(&json!({"outcome": "Interested"})).send().await.unwrap();
    assert_eq!(r.status(), 400);
    let body: Value = r.json().await.unwrap();
    let fields: Vec<&str> = body["error"]["fields"].as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(fields, ["custom.shelf_photo"], "only the question that applies is asked: {body}");
    let r =
        rep.post(&out).json(&json!({"outcome": "order taken", "custom": {"shelf_photo": true}})).send().await.unwrap();
    let body: Value = r.json().await.unwrap();
    assert_eq!(
        body["error"]["fields"].as_object().unwrap().keys().collect::<Vec<_>>(),
        ["custom.order_value"],
        "{body}"
    );
    let r =
        rep.post(&out).json(&json!({"outcome": "Interested", "custom": {"shelf_photo": "yes"}})).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let done: Value = r.json().await.unwrap();
    assert_eq!(done["visit"]["custom"], json!({"shelf_photo": true}), "{done}");
    let timeline: Value = rep
        .get(app.url(&format!("/api/v1/contacts/{}/timeline", contact["id"].as_str().unwrap())))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let visit_entry = timeline["items"].as_array().unwrap().iter().find(|e| e["kind"] == "visit").unwrap();
    assert_eq!(visit_entry["detail"], "Shelf photo taken?: Yes", "the answers show on the contact's timeline");

    // The same refusal when the check-out comes from a phone's queue.
    let visit = check_in().await;
    let push = json!({"client_id": uuid::Uuid::now_v7().to_string(), "mutations": [
        {"mutation_id": 1, "entity": "visit", "id": visit, "op": "update", "fields": {"outcome": "Interested"}},
        {"mutation_id": 2, "entity": "visit", "id": visit, "op": "update",
         "fields": {"outcome": "Interested", "custom": {"shelf_photo": false}}}]});
    let body: Value = rep.post(app.url("/api/v1/sync/push")).json(&push).send().await.unwrap().json().await.unwrap();
    let outcomes: Vec<&str> =
        body["results"].as_array().unwrap().iter().map(|r| r["outcome"].as_str().unwrap()).collect();
    assert_eq!(outcomes, ["rejected", "applied"], "{body}");
    assert!(body["results"][0]["fields"].get("custom.shelf_photo").is_some(), "{body}");
    assert_eq!(body["results"][1]["record"]["custom"], json!({"shelf_photo": false}));
}

#[tokio::test]
async fn templates_fill_a_contacts_custom_values_and_refuse_an_unknown_one() {
    let app = spawn_app().await;
    let (admin, _) = app.signed_in("admin").await;
    let (office, _) = app.signed_in("office").await;
    contact_fields(&app, &admin).await;
    let r = office
        .post(app.url("/api/v1/templates"))
        .json(&json!({"name": "Budget", "subject": "Hi", "body": "Your budget: {{contact.custom.floor}}"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400, "a field nobody added is no placeholder");
    let r = office
        .post(app.url("/api/v1/templates"))
        .json(&json!({"name": "Budget", "subject": "Hi", "body": "Your budget: {{contact.custom.budget}}; areas: {{contact.custom.preferred_area}}."}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let template: Value = r.json().await.unwrap();
    let (_, c) = create_contact(
        &app,
        &office,
        json!({"name": "Gias", "custom": {"budget": 250_000_000, "preferred_area": ["gulshan", "uttara"]}}),
    )
    .await;
    let preview = |contact: Value| {
        let url = app.url(&format!("/api/v1/templates/{}/preview", template["id"].as_str().unwrap()));
        let office = office.clone();
        async move {
            office.post(url).json(&json!({"contact_id": contact})).send().await.unwrap().json::<Value>().await.unwrap()
        }
    };
    let rendered = preview(c["id"].clone()).await;
    assert_eq!(rendered["body"], "Your budget: BDT 2500000; areas: Gulshan, Uttara.", "{rendered}");
    let (_, empty) = create_contact(&app, &office, json!({"name": "Hena"})).await;
    assert_eq!(preview(empty["id"].clone()).await["body"], "Your budget: ; areas: .", "no value reads as nothing");
}

/// A flat for sale in Gulshan, as a rep lists it, with `custom` values.
fn flat(custom: Value) -> Value {
    json!({"title": "3-bed in Gulshan", "kind": "apartment", "transaction": "sale", "status": "available",
        "price": {"amount": 1_250_000_000, "currency": "BDT"}, "bedrooms": 3,
        "location": {"lat": 23.7925, "lon": 90.4078}, "custom": custom})
}

#[tokio::test]
async fn listings_hold_their_own_fields_checked_on_write_and_merged_one_at_a_time() {
    let app = spawn_app().await;
    let (admin, _) = app.signed_in("admin").await;
    let (rep, _) = app.signed_in("rep").await;
    let (office, _) = app.signed_in("office").await;
    define(
        &app,
        &admin,
        json!({"record_type": "listing", "key": "facing", "label": {"en": "Facing", "bn": "মুখ"}, "kind": "choice",
               "choices": [{"key": "north", "label": {"en": "North"}}, {"key": "south", "label": {"en": "South"}},
                           {"key": "east", "label": {"en": "East"}}]}),
    )
    .await;
    define(
        &app,
        &admin,
        json!({"record_type": "listing", "key": "gas", "label": {"en": "Gas connection"}, "kind": "yes_no", "required": true}),
    )
    .await;
    let contact_fields: Value =
        rep.get(app.url("/api/v1/fields?record_type=contact")).send().await.unwrap().json().await.unwrap();
    assert_eq!(contact_fields, json!([]), "a listing's fields are its own");

    // A facing not in the list and a required answer left out: both named, nothing written.
    let r = rep.post(app.url("/api/v1/listings")).json(&flat(json!({"facing": "up"}))).send().await.unwrap();
    assert_eq!(r.status(), 400);
    let body: Value = r.json().await.unwrap();
    let named: Vec<&str> = body["error"]["fields"].as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(named, ["custom.facing", "custom.gas"], "{body}");
    let listed: Value = office.get(app.url("/api/v1/listings")).send().await.unwrap().json().await.unwrap();
    assert_eq!(listed["items"], json!([]), "a refused listing is not half written");

    let r = rep
        .post(app.url("/api/v1/listings"))
        .json(&flat(json!({"facing": "south", "gas": true})))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let listing: Value = r.json().await.unwrap();
    assert_eq!(listing["custom"], json!({"facing": "south", "gas": true}));
    let id = listing["id"].as_str().unwrap();
    let url = app.url(&format!("/api/v1/listings/{id}"));

    // A change names only the keys it changes; clearing a required one is refused.
    let r = office.patch(&url).json(&json!({"custom": {"facing": "north"}})).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let changed: Value = r.json().await.unwrap();
    assert_eq!(changed["custom"], json!({"facing": "north", "gas": true}), "the other key stays");
    let r = office.patch(&url).json(&json!({"custom": {"gas": null}})).send().await.unwrap();
    assert_eq!(r.status(), 400);
    assert!(r.json::<Value>().await.unwrap()["error"]["fields"].get("custom.gas").is_some());

    // The rep's phone changed both while offline: the facing the office changed since is a
    // conflict on that field only; the gas answer applies.
    let push = json!({"client_id": uuid::Uuid::now_v7().to_string(), "mutations": [
        {"mutation_id": 1, "entity": "listing", "id": id, "op": "update", "base_version": listing["version"],
         "fields": {"custom": {"facing": "east", "gas": false}},
         "base": {"custom": {"facing": "south", "gas": true}}}]});
    let body: Value = rep.post(app.url("/api/v1/sync/push")).json(&push).send().await.unwrap().json().await.unwrap();
    let result = &body["results"][0];
    assert_eq!(result["outcome"], "conflict", "{body}");
    assert_eq!(result["record"]["custom"], json!({"facing": "north", "gas": false}));
    let conflicts = result["conflicts"].as_array().unwrap();
    assert_eq!(conflicts.len(), 1, "{body}");
    assert_eq!((conflicts[0]["field"].as_str(), &conflicts[0]["mine"]), (Some("custom.facing"), &json!("east")));

    // The listings list filters on them; an unknown key is named.
    let found = |custom: &'static str| {
        let office = office.clone();
        let url = app.url("/api/v1/listings");
        async move {
            let r = office.get(url).query(&[("custom", custom)]).send().await.unwrap();
            let status = r.status().as_u16();
            let page: Value = r.json().await.unwrap();
            (status, page["items"].as_array().map_or(0, Vec::len))
        }
    };
    assert_eq!(found("facing=north").await, (200, 1));
    assert_eq!(found("facing=south|east").await, (200, 0));
    assert_eq!(found("gas=no").await, (200, 1));
    assert_eq!(found("floor=2").await.0, 400);
}

#[tokio::test]
async fn the_visit_answers_report_counts_choices_and_averages_numbers_per_rep() {
    let app = spawn_app().await;
    let (admin, _) = app.signed_in("admin").await;
    let (office, _) = app.signed_in("office").await;
    let (first, one) = app.signed_in("rep").await;
    let (second, two) = app.signed_in("rep").await;
    define(
        &app,
        &admin,
        json!({"record_type": "visit", "key": "shelf_photo", "label": {"en": "Shelf photo taken?"}, "kind": "yes_no"}),
    )
    .await;
    define(
        &app,
        &admin,
        json!({"record_type": "visit", "key": "order_value", "label": {"en": "Order value"}, "kind": "money"}),
    )
    .await;
    define(
        &app,
        &admin,
        json!({"record_type": "visit", "key": "stock", "label": {"en": "Stock"}, "kind": "choice",
               "choices": [{"key": "full", "label": {"en": "Full"}}, {"key": "low", "label": {"en": "Low"}},
                           {"key": "empty", "label": {"en": "Empty"}}]}),
    )
    .await;
    define(&app, &admin, json!({"record_type": "visit", "key": "remarks", "label": {"en": "Remarks"}, "kind": "text"}))
        .await;
    let visit = |rep: Client, answers: Value| {
        let app = &app;
        async move {
            let (_, contact) = create_contact(app, &rep, json!({"name": "Shop"})).await;
            let r =
                rep.post(app.url("/api/v1/visits")).json(&json!({"contact_id": contact["id"]})).send().await.unwrap();
            let id = r.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string();
            let out = app.url(&format!("/api/v1/visits/{id}/checkout"));
            let r = rep.post(out).json(&json!({"outcome": "Interested", "custom": answers})).send().await.unwrap();
            assert_eq!(r.status(), 200);
        }
    };
    // Order values 1,000 and 3,000 BDT: an average of 2,000.
    visit(first.clone(), json!({"shelf_photo": true, "order_value": 100_000, "stock": "low", "remarks": "ok"})).await;
    visit(first.clone(), json!({"shelf_photo": false, "order_value": 300_000, "stock": "low"})).await;
    visit(second.clone(), json!({"shelf_photo": true, "stock": "full"})).await;

    let r = office.get(app.url("/api/v1/reports/visit_answers?format=csv")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let text = r.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header, ["Question", "Answer", "Rep", "Answers", "Share of answers", "Average"]);
    let rows: Vec<String> = reader.records().map(|r| r.unwrap().iter().collect::<Vec<_>>().join(" | ")).collect();
    let (a, b) = (one.name.as_str(), two.name.as_str());
    let expected = [
        "Shelf photo taken? | Yes | All reps | 2 | 66.7% | —".to_string(),
        format!("Shelf photo taken? | Yes | {a} | 1 | 50.0% | —"),
        format!("Shelf photo taken? | Yes | {b} | 1 | 100.0% | —"),
        "Shelf photo taken? | No | All reps | 1 | 33.3% | —".to_string(),
        format!("Shelf photo taken? | No | {a} | 1 | 50.0% | —"),
        "Order value | — | All reps | 2 | — | 2,000 BDT".to_string(),
        format!("Order value | — | {a} | 2 | — | 2,000 BDT"),
        "Stock | Full | All reps | 1 | 33.3% | —".to_string(),
        format!("Stock | Full | {b} | 1 | 100.0% | —"),
        "Stock | Low | All reps | 2 | 66.7% | —".to_string(),
        format!("Stock | Low | {a} | 2 | 100.0% | —"),
        "Stock | Empty | All reps | 0 | 0.0% | —".to_string(),
    ];
    assert_eq!(rows, expected, "text answers are read on the visit, not summed");

    // One rep's answers only; reps do not read reports.
    let r = office.get(app.url(&format!("/api/v1/reports/visit_answers?rep={}", two.id))).send().await.unwrap();
    let table: Value = r.json().await.unwrap();
    let answers: i64 = table["rows"].as_array().unwrap().iter().filter_map(|r| r["cells"][3]["value"].as_i64()).sum();
    // Yes (all reps, theirs), Full (all reps, theirs); the other rows count nobody.
    assert_eq!(answers, 4, "{table}");
    assert_eq!(first.get(app.url("/api/v1/reports/visit_answers")).send().await.unwrap().status(), 403);
}

#[tokio::test]
async fn deals_hold_their_own_fields_checked_on_open_and_change() {
    let app = spawn_app().await;
    let (admin, _) = app.signed_in("admin").await;
    let (rep, _) = app.signed_in("rep").await;
    define(
        &app,
        &admin,
        json!({"record_type": "deal", "key": "source_campaign", "label": {"en": "Source campaign"}, "kind": "choice",
               "required": true, "choices": [{"key": "eid_fair", "label": {"en": "Eid fair"}},
                                             {"key": "facebook", "label": {"en": "Facebook"}}]}),
    )
    .await;
    define(
        &app,
        &admin,
        json!({"record_type": "deal", "key": "loan_approved", "label": {"en": "Loan approved"}, "kind": "yes_no",
               "editable_by": "office_and_up"}),
    )
    .await;
    let (_, buyer) = create_contact(&app, &rep, json!({"name": "Nasrin"})).await;
    let deal = |custom: Value| {
        json!({"contact_id": buyer["id"], "title": "3-bed in Banani", "value": {"amount": 900_000_000, "currency": "BDT"},
               "custom": custom})
    };
    let r = rep.post(app.url("/api/v1/deals")).json(&deal(json!({"loan_approved": true}))).send().await.unwrap();
    assert_eq!(r.status(), 400);
    let body: Value = r.json().await.unwrap();
    let named: Vec<&str> = body["error"]["fields"].as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(named, ["custom.loan_approved", "custom.source_campaign"], "office-only and required: {body}");
    let board: Value = rep.get(app.url("/api/v1/deals")).send().await.unwrap().json().await.unwrap();
    assert_eq!(board["items"], json!([]), "a refused deal is not half written");

    let r =
        rep.post(app.url("/api/v1/deals")).json(&deal(json!({"source_campaign": "eid_fair"}))).send().await.unwrap();
    assert_eq!(r.status(), 201);
    let opened: Value = r.json().await.unwrap();
    assert_eq!(opened["custom"], json!({"source_campaign": "eid_fair"}));
    let url = app.url(&format!("/api/v1/deals/{}", opened["id"].as_str().unwrap()));
    let r =
        admin.patch(&url).json(&json!({"custom": {"loan_approved": true}, "stage": "proposal"})).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let changed: Value = r.json().await.unwrap();
    assert_eq!(changed["custom"], json!({"source_campaign": "eid_fair", "loan_approved": true}));
    assert_eq!(changed["stage"], "proposal");
    let r = rep.patch(&url).json(&json!({"custom": {"source_campaign": "tv"}})).send().await.unwrap();
    assert_eq!(r.status(), 400);
    assert!(r.json::<Value>().await.unwrap()["error"]["fields"].get("custom.source_campaign").is_some());
    let board: Value = rep.get(app.url("/api/v1/deals")).send().await.unwrap().json().await.unwrap();
    assert_eq!(board["items"][0]["custom"], changed["custom"], "the board reads them");
}

#[tokio::test]
async fn appointments_hold_their_own_fields_by_rest_and_by_sync() {
    let app = spawn_app().await;
    let (admin, _) = app.signed_in("admin").await;
    let (rep, _) = app.signed_in("rep").await;
    define(
        &app,
        &admin,
        json!({"record_type": "appointment", "key": "purpose", "label": {"en": "Purpose"}, "kind": "choice", "required": true,
               "choices": [{"key": "site_visit", "label": {"en": "Site visit"}}, {"key": "signing", "label": {"en": "Signing"}}]}),
    )
    .await;
    let starts = (chrono::Utc::now() + chrono::Duration::days(2)).to_rfc3339();
    let meeting = |custom: Value| json!({"kind": "meeting", "title": "Meet Karim", "starts_at": starts, "allow_overlap": true, "custom": custom});
    let r = rep.post(app.url("/api/v1/appointments")).json(&meeting(json!({}))).send().await.unwrap();
    assert_eq!(r.status(), 400);
    let body: Value = r.json().await.unwrap();
    assert!(body["error"]["fields"].get("custom.purpose").is_some(), "{body}");

    let r = rep
        .post(app.url("/api/v1/appointments"))
        .json(&meeting(json!({"purpose": "site_visit"})))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let made: Value = r.json().await.unwrap();
    assert_eq!(made["custom"], json!({"purpose": "site_visit"}));
    let url = app.url(&format!("/api/v1/appointments/{}", made["id"].as_str().unwrap()));
    let r = rep
        .patch(&url)
        .json(&json!({"custom": {"purpose": "signing"}, "title": "Sign with Karim"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let changed: Value = r.json().await.unwrap();
    assert_eq!((&changed["custom"], &changed["title"]), (&json!({"purpose": "signing"}), &json!("Sign with Karim")));
    let (from, to) = (chrono::Utc::now(), chrono::Utc::now() + chrono::Duration::days(3));
    let agenda: Value = rep
        .get(app.url("/api/v1/appointments"))
        .query(&[("from", from.to_rfc3339()), ("to", to.to_rfc3339())])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let listed: Vec<&Value> = agenda["items"].as_array().unwrap().iter().map(|a| &a["custom"]).collect();
    assert_eq!(listed, [&json!({"purpose": "signing"})], "the agenda carries the values: {agenda}");
    let r = rep.patch(&url).json(&json!({"custom": {"purpose": "lunch"}})).send().await.unwrap();
    assert_eq!(r.status(), 400, "a choice not offered");

    // Made on a phone offline: the same checks when its mutation arrives.
    let (id, other) = (uuid::Uuid::now_v7().to_string(), uuid::Uuid::now_v7().to_string());
    let push = json!({"client_id": uuid::Uuid::now_v7().to_string(), "mutations": [
        {"mutation_id": 1, "entity": "appointment", "id": id, "op": "create", "fields": meeting(json!({"purpose": "signing"}))},
        {"mutation_id": 2, "entity": "appointment", "id": other, "op": "create", "fields": meeting(json!({}))}]});
    let body: Value = rep.post(app.url("/api/v1/sync/push")).json(&push).send().await.unwrap().json().await.unwrap();
    let outcomes: Vec<&str> =
        body["results"].as_array().unwrap().iter().map(|r| r["outcome"].as_str().unwrap()).collect();
    assert_eq!(outcomes, ["applied", "rejected"], "{body}");
    assert_eq!(body["results"][0]["record"]["custom"], json!({"purpose": "signing"}));
}

#[tokio::test]
async fn search_finds_a_contact_by_the_text_of_its_own_fields() {
    let app = spawn_app().await;
    let (admin, _) = app.signed_in("admin").await;
    let (rep, _) = app.signed_in("rep").await;
    define(
        &app,
        &admin,
        json!({"record_type": "contact", "key": "landmark", "label": {"en": "Landmark"}, "kind": "text"}),
    )
    .await;
    define(
        &app,
        &admin,
        json!({"record_type": "contact", "key": "story", "label": {"en": "Story"}, "kind": "long_text"}),
    )
    .await;
    let (_, c) = create_contact(
        &app,
        &rep,
        json!({"name": "Karim", "custom": {"landmark": "Opposite Jamuna Future Park", "story": "Met at the Baridhara fair"}}),
    )
    .await;
    create_contact(&app, &rep, json!({"name": "Rahim"})).await;
    let found = |q: &'static str| {
        let rep = rep.clone();
        let url = app.url("/api/v1/contacts");
        async move {
            let page: Value = rep.get(url).query(&[("q", q)]).send().await.unwrap().json().await.unwrap();
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["name"].as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(found("jamuna").await, ["Karim"], "a text field's words are searched");
    assert!(found("baridhara").await.is_empty(), "a long text is read on the record, not searched");
    // A change replaces the words: the old landmark no longer finds them.
    let url = app.url(&format!("/api/v1/contacts/{}", c["id"].as_str().unwrap()));
    let r = rep.patch(&url).json(&json!({"custom": {"landmark": "Behind Bashundhara City"}})).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(found("jamuna").await.is_empty());
    assert_eq!(found("bashundhara").await, ["Karim"]);
}

#[tokio::test]
async fn a_contact_field_can_be_asked_of_people_only_or_companies_only() {
    let app = spawn_app().await;
    let (admin, _) = app.signed_in("admin").await;
    let (rep, _) = app.signed_in("rep").await;
    let born = define(
        &app,
        &admin,
        json!({"record_type": "contact", "key": "born", "label": {"en": "Date of birth"}, "kind": "date",
               "required": true, "contact_kind": "person"}),
    )
    .await;
    assert_eq!(born["contact_kind"], "person", "{born}");
    define(
        &app,
        &admin,
        json!({"record_type": "contact", "key": "trade_licence", "label": {"en": "Trade licence"}, "kind": "text",
               "required": true, "contact_kind": "company"}),
    )
    .await;
    let r = admin
        .post(app.url("/api/v1/fields"))
        .json(
            &json!({"record_type": "deal", "key": "x", "label": {"en": "X"}, "kind": "text", "contact_kind": "person"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert!(r.json::<Value>().await.unwrap()["error"]["fields"].get("contact_kind").is_some());

    let (status, company) = create_contact(
        &app,
        &rep,
        json!({"kind": "company", "name": "Karim Traders", "custom": {"trade_licence": "TL-42"}}),
    )
    .await;
    assert_eq!(status, 201, "a company is not asked a person's date of birth: {company}");
    let (status, body) = create_contact(
        &app,
        &rep,
        json!({"name": "Rahim", "custom": {"trade_licence": "TL-43", "born": "1990-02-30"}}),
    )
    .await;
    assert_eq!(status, 400);
    let codes = &body["error"]["codes"];
    assert_eq!(codes["custom.trade_licence"]["code"], "unknown_field", "a person has no trade licence: {body}");
    assert_eq!(
        (codes["custom.born"]["code"].as_str(), codes["custom.born"]["expected"].as_str()),
        (Some("must_be"), Some("date")),
        "each error carries a code the app shows in its user's language: {body}"
    );
    assert_eq!(body["error"]["fields"]["custom.born"], "must be a date as YYYY-MM-DD");
    let (status, body) = create_contact(&app, &rep, json!({"name": "Rahim"})).await;
    assert_eq!((status, body["error"]["codes"]["custom.born"]["code"].as_str()), (400, Some("required")), "{body}");

    // A company that becomes a person is asked a person's fields from then on; its licence stays.
    let id = company["id"].as_str().unwrap();
    let r = rep
        .patch(app.url(&format!("/api/v1/contacts/{id}")))
        .json(&json!({"kind": "person", "custom": {"born": "1980-05-01"}, "base_version": company["version"]}))
        .send()
        .await
        .unwrap();
    let status = r.status();
    let person: Value = r.json().await.unwrap();
    assert_eq!(status, 200, "{person}");
    assert_eq!(person["custom"], json!({"born": "1980-05-01", "trade_licence": "TL-42"}));
}

#[tokio::test]
async fn a_lead_form_asks_the_businesss_own_fields_and_the_lead_holds_the_answers() {
    let app = spawn_app().await;
    let (admin, _) = app.signed_in("admin").await;
    let (office, _) = app.signed_in("office").await;
    contact_fields(&app, &admin).await;
    define(
        &app,
        &admin,
        json!({"record_type": "contact", "key": "agent", "label": {"en": "Agent"}, "kind": "link", "link_to": "user"}),
    )
    .await;
    let r = admin
        .post(app.url("/api/v1/forms"))
        .json(&json!({"name": "Website", "custom_fields": ["budget", "agent", "colour"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let body: Value = r.json().await.unwrap();
    let named: Vec<&str> = body["error"]["fields"].as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(named, ["custom_fields.1", "custom_fields.2"], "a link to a record and an unknown key: {body}");

    let r = admin
        .post(app.url("/api/v1/forms"))
        .json(&json!({"name": "Website", "fields": ["name", "phone"], "custom_fields": ["preferred_area", "budget"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let form: Value = r.json().await.unwrap();
    assert_eq!(form["custom_fields"], json!(["preferred_area", "budget"]));
    let submit = app.url(&format!("/api/v1/forms/{}/submissions", form["id"].as_str().unwrap()));
    let visitor = Client::new();

    // The boxes of several choices post one value each; money is typed in whole taka.
    let r = visitor
        .post(&submit)
        .form(&[
            ("name", "Nadia Islam"),
            ("phone", "01711000111"),
            ("custom.preferred_area", "mirpur"),
            ("custom.budget", "lots"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400, "a choice not offered and a budget that is not a number are refused");
    assert_eq!(names(&app, &office, "").await.1.len(), 0, "nothing was written");
    let r = visitor
        .post(&submit)
        .form(&[
            ("name", "Nadia Islam"),
            ("phone", "01711000111"),
            ("custom.preferred_area", "uttara"),
            ("custom.preferred_area", "gulshan"),
            ("custom.budget", "2500000"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let (_, found) = names(&app, &office, "preferred_area=uttara").await;
    assert_eq!(found, ["Nadia Islam"], "the lead is found by the filter on its answer");
    let page: Value = office.get(app.url("/api/v1/contacts?q=Nadia")).send().await.unwrap().json().await.unwrap();
    let id = page["items"][0]["id"].as_str().unwrap();
    let lead: Value =
        office.get(app.url(&format!("/api/v1/contacts/{id}"))).send().await.unwrap().json().await.unwrap();
    assert_eq!(lead["custom"], json!({"budget": 250_000_000, "preferred_area": ["gulshan", "uttara"]}), "{lead}");
    let timeline: Value =
        office.get(app.url(&format!("/api/v1/contacts/{id}/timeline"))).send().await.unwrap().json().await.unwrap();
    let detail = timeline["items"][0]["detail"].as_str().unwrap();
    assert!(
        detail.contains("Preferred area: Gulshan, Uttara") && detail.contains("Budget (BDT): BDT 2500000"),
        "{detail}"
    );
    let r = office.get(app.url("/api/v1/reports/by_field?format=csv")).send().await.unwrap();
    let text = r.text().await.unwrap();
    assert!(text.contains("Contact · Preferred area,Uttara,1,100.0%"), "the lead counts by its answer: {text}");

    // The same person answers again: the answers fill what the lead has no value for, and
    // what it holds stays.
    let r = office
        .patch(app.url(&format!("/api/v1/contacts/{id}")))
        .json(&json!({"custom": {"budget": null}}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let r = visitor
        .post(&submit)
        .form(&[
            ("name", "Nadia Islam"),
            ("phone", "01711000111"),
            ("custom.preferred_area", "gulshan"),
            ("custom.budget", "3000000"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    assert_eq!(names(&app, &office, "").await.1, ["Nadia Islam"], "the same lead, not a second one");
    let lead: Value =
        office.get(app.url(&format!("/api/v1/contacts/{id}"))).send().await.unwrap().json().await.unwrap();
    assert_eq!(lead["custom"], json!({"budget": 300_000_000, "preferred_area": ["gulshan", "uttara"]}), "{lead}");
    let (_, found) = names(&app, &office, "budget~300000000..").await;
    assert_eq!(found, ["Nadia Islam"], "the filled value is indexed for filters");
}

#[tokio::test]
async fn reports_segment_by_a_contact_field_and_count_leads_and_deals_by_each_answer() {
    let app = spawn_app().await;
    let (admin, _) = app.signed_in("admin").await;
    let (office, _) = app.signed_in("office").await;
    let (rep, me) = app.signed_in("rep").await;
    contact_fields(&app, &admin).await;
    define(
        &app,
        &admin,
        json!({"record_type": "deal", "key": "source_campaign", "label": {"en": "Source campaign"}, "kind": "choice",
               "choices": [{"key": "eid_fair", "label": {"en": "Eid fair"}}, {"key": "facebook", "label": {"en": "Facebook"}}]}),
    )
    .await;
    let (_, both) =
        create_contact(&app, &rep, json!({"name": "Anika", "custom": {"preferred_area": ["gulshan", "banani"]}})).await;
    create_contact(&app, &rep, json!({"name": "Babul", "custom": {"preferred_area": ["gulshan"]}})).await;
    create_contact(&app, &rep, json!({"name": "Chaity"})).await;
    let deal = json!({"contact_id": both["id"], "title": "3-bed in Banani", "value": {"amount": 900_000_000, "currency": "BDT"},
                      "custom": {"source_campaign": "facebook"}});
    let r = rep.post(app.url("/api/v1/deals")).json(&deal).send().await.unwrap();
    assert_eq!(r.status(), 201);
    let id = r.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string();
    let r = office.patch(app.url(&format!("/api/v1/deals/{id}"))).json(&json!({"stage": "won"})).send().await.unwrap();
    assert_eq!(r.status(), 200);

    let r = office.get(app.url("/api/v1/reports/by_field?format=csv")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let text = r.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header, ["Field", "Answer", "New in period", "Share of answers", "Deals won", "Won value"]);
    let rows: Vec<String> = reader.records().map(|r| r.unwrap().iter().collect::<Vec<_>>().join(" | ")).collect();
    let expected = [
        "Contact · Preferred area | Gulshan | 2 | 100.0% | 1 | 9,000,000 BDT",
        "Contact · Preferred area | Banani | 1 | 50.0% | 1 | 9,000,000 BDT",
        "Contact · Preferred area | Uttara | 0 | 0.0% | 0 | 0",
        "Contact · NID verified | Yes | 0 | — | 0 | 0",
        "Contact · NID verified | No | 0 | — | 0 | 0",
        "Deal · Source campaign | Eid fair | 0 | 0.0% | 0 | 0",
        "Deal · Source campaign | Facebook | 1 | 100.0% | 1 | 9,000,000 BDT",
    ];
    assert_eq!(rows, expected, "{text}");

    // Any report narrows to the contacts whose own field holds an answer.
    let leads = |custom: &'static str| {
        let office = office.clone();
        let url = app.url("/api/v1/reports/reps");
        let rep = me.id.to_string();
        async move {
            let r = office.get(url).query(&[("custom", custom), ("rep", rep.as_str())]).send().await.unwrap();
            let status = r.status().as_u16();
            let table: Value = r.json().await.unwrap();
            (status, table["rows"][0]["cells"][5]["value"].clone())
        }
    };
    assert_eq!(leads("").await, (200, json!(3)), "new leads of the rep, all of them");
    assert_eq!(leads("preferred_area=banani").await, (200, json!(1)));
    assert_eq!(leads("preferred_area=gulshan").await, (200, json!(2)));
    assert_eq!(leads("colour=red").await.0, 400, "an unknown field is named");
    let r = rep.get(app.url("/api/v1/reports/by_field")).send().await.unwrap();
    assert_eq!(r.status(), 403, "reps have their own dashboard");
}
