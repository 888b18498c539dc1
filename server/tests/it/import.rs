//! CSV import through the HTTP API: preview and mapping, per-row validation with a report of
//! rejected rows, duplicates left out, and nothing for reps.

use crate::common::spawn_app;
use serde_json::Value;
use std::fmt::Write as _;

fn file(rows: usize) -> String {
    let mut csv = String::from("First Name,Last Name,Email,Phone Number,City,Tags\n");
    for i in 0..rows {
        let _ = writeln!(csv, "Amina{i},Khatun,amina{i}@example.com,0171{i:07},Dhaka,\"vip;buyer\"");
    }
    csv.push_str(",,no-name@example.com,,Dhaka,\n"); // no name
    csv.push_str("Bad,Phone,bad@example.com,12,Dhaka,\n"); // bad phone
    csv.push_str("Amina0,Again,amina0@example.com,,Dhaka,\n"); // duplicate of the first row by email
    csv
}

#[tokio::test]
async fn office_staff_import_a_csv_with_a_mapping_and_get_a_report_of_rejected_rows() {
    let app = spawn_app().await;
    let (office, _) = app.signed_in("office").await;
    let existing = office
        .post(app.url("/api/v1/contacts"))
        .json(&serde_json::json!({"name": "Already Here", "phones": ["01710000005"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(existing.status(), 201);
    let csv = file(300);

    let preview: Value = office
        .post(app.url("/api/v1/contacts/import/preview"))
        .header("content-type", "text/csv")
        .body(csv[..2000].to_string())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(preview["mapping"], serde_json::json!(["first_name", "last_name", "email", "phone", "city", "tags"]));
    assert_eq!(preview["rows"][0][0], "Amina0");

    let r = office
        .post(app.url("/api/v1/contacts/import?mapping=first_name,last_name,email,phone,city,tags"))
        .header("content-type", "text/csv")
        .body(csv)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 202);
    let id = r.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string();
    let mut status = Value::Null;
    for _ in 0..200 {
        status =
            office.get(app.url(&format!("/api/v1/contacts/import/{id}"))).send().await.unwrap().json().await.unwrap();
        if status["state"] != "running" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(status["state"], "done", "{status}");
    assert_eq!(status["rows"], 303);
    assert_eq!(status["imported"], 299, "{status}");
    assert_eq!(status["duplicates"], 2, "row 5 has the existing contact's phone; the last row repeats row 1's email");
    assert_eq!(status["rejected"], 2);

    let report = office
        .get(app.url(&format!("/api/v1/contacts/import/{id}/rejected")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let mut reader = csv::Reader::from_reader(report.as_bytes());
    let reasons: Vec<String> = reader.records().map(|r| r.unwrap()[1].to_string()).collect();
    assert_eq!(reasons.len(), 4, "{report}");
    assert!(reasons.iter().any(|r| r.contains("name is required")), "{reasons:?}");
    assert!(reasons.iter().any(|r| r.contains("phones.0")), "{reasons:?}");
    assert!(reasons.iter().any(|r| r.contains("Already Here")), "{reasons:?}");

    let found: Value = office.get(app.url("/api/v1/contacts?q=amina12")).send().await.unwrap().json().await.unwrap();
    assert_eq!(found["items"][0]["name"], "Amina12 Khatun");
    assert_eq!(found["items"][0]["tags"], serde_json::json!(["vip", "buyer"]));

    let (other_office, _) = app.signed_in("office").await;
    let r = other_office.get(app.url(&format!("/api/v1/contacts/import/{id}"))).send().await.unwrap();
    assert_eq!(r.status(), 404, "an import is seen by the user who started it");
}

/// Starts an import and waits for it to end; answers its last status.
async fn import(app: &crate::common::TestApp, client: &reqwest::Client, query: &str, csv: &str) -> Value {
    let r = client
        .post(app.url(&format!("/api/v1/contacts/import?{query}")))
        .header("content-type", "text/csv")
        .body(csv.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 202, "{}", r.text().await.unwrap());
    let id = r.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string();
    for _ in 0..400 {
        let status: Value =
            client.get(app.url(&format!("/api/v1/contacts/import/{id}"))).send().await.unwrap().json().await.unwrap();
        if status["state"] != "running" {
            return status;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("the import did not end");
}

async fn find(app: &crate::common::TestApp, client: &reqwest::Client, q: &str) -> Vec<Value> {
    let page: Value =
        client.get(app.url("/api/v1/contacts")).query(&[("q", q)]).send().await.unwrap().json().await.unwrap();
    page["items"].as_array().unwrap().clone()
}

#[tokio::test]
async fn company_columns_link_rows_to_their_company_and_similar_names_there_are_duplicates() {
    let app = spawn_app().await;
    let (office, _) = app.signed_in("office").await;
    let r = office
        .post(app.url("/api/v1/contacts"))
        .json(&serde_json::json!({"name": "Padma Traders", "kind": "company"}))
        .send()
        .await
        .unwrap();
    let padma: Value = r.json().await.unwrap();
    let r = office
        .post(app.url("/api/v1/contacts"))
        .json(&serde_json::json!({"name": "Rahim Uddin", "company_id": padma["id"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    // Positions on some rows and not others: PostgreSQL must take a float after a NULL one.
    let csv = [
        "Name,Company,Phone,Lat,Lon",
        "Rahim Udin,PADMA TRADERS,01711-000001,,",
        "Karim Uddin,Padma Traders,01711-000002,,",
        "Nusrat Jahan,Meghna Foods,01711-000003,23.7806,90.4193",
        "Nusrat  Jahan,meghna foods,01711-000004,,",
    ]
    .join("\n");
    let status = import(&app, &office, "mapping=name,company,phone,lat,lon", &csv).await;
    assert_eq!(status["state"], "done", "{status}");
    assert_eq!(status["imported"], 2, "{status}");
    assert_eq!(status["duplicates"], 2, "Rahim Udin is Rahim Uddin; the second Nusrat repeats the first: {status}");

    let full = |found: Vec<Value>| {
        let (office, url) =
            (office.clone(), app.url(&format!("/api/v1/contacts/{}", found[0]["id"].as_str().unwrap())));
        async move { office.get(url).send().await.unwrap().json::<Value>().await.unwrap() }
    };
    let karim = full(find(&app, &office, "karim").await).await;
    assert_eq!(karim["company_id"], padma["id"], "linked to the existing company, case ignored");
    let nusrat = full(find(&app, &office, "nusrat").await).await;
    assert_eq!(nusrat["company_name"], "Meghna Foods", "a missing company is created");
    assert_eq!(nusrat["location"]["lat"], 23.7806);
    let companies = find(&app, &office, "meghna").await;
    assert_eq!(companies.iter().filter(|c| c["kind"] == "company").count(), 1, "created once: {companies:?}");
}

#[tokio::test]
async fn duplicates_can_be_merged_into_the_existing_contact_on_import() {
    let app = spawn_app().await;
    let (office, _) = app.signed_in("office").await;
    let r = office
        .post(app.url("/api/v1/contacts"))
        .json(&serde_json::json!({"name": "Habib Sarkar", "phones": ["01712-000111"], "tags": ["buyer"]}))
        .send()
        .await
        .unwrap();
    let habib: Value = r.json().await.unwrap();
    let csv = "Name,Phone,Email,Tags,City\nHabib S.,+8801712000111,habib@example.com,vip,Banani\nNew Person,01712-000999,,,\n";
    let status = import(&app, &office, "mapping=name,phone,email,tags,city&duplicates=merge", csv).await;
    assert_eq!(status["state"], "done", "{status}");
    assert_eq!((status["imported"].as_u64(), status["merged"].as_u64()), (Some(1), Some(1)), "{status}");

    let id = habib["id"].as_str().unwrap();
    let merged: Value =
        office.get(app.url(&format!("/api/v1/contacts/{id}"))).send().await.unwrap().json().await.unwrap();
    assert_eq!(merged["name"], "Habib Sarkar", "nothing is overwritten");
    assert_eq!(merged["emails"], serde_json::json!(["habib@example.com"]));
    assert_eq!(merged["tags"], serde_json::json!(["buyer", "vip"]));
    assert_eq!(merged["address"], "Banani", "an empty field is filled");
    let timeline: Value =
        office.get(app.url(&format!("/api/v1/contacts/{id}/timeline"))).send().await.unwrap().json().await.unwrap();
    assert!(
        timeline["items"].as_array().unwrap().iter().any(|e| e["title"] == "import_merge"),
        "the merge is in the contact's history: {timeline}"
    );

    let r = office
        .post(app.url("/api/v1/contacts/import?mapping=name&duplicates=overwrite"))
        .header("content-type", "text/csv")
        .body("name\nX\n")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().contains("duplicates"));
}

#[tokio::test]
async fn reps_cannot_import_and_a_mapping_must_name_something() {
    let app = spawn_app().await;
    let (rep, _) = app.signed_in("rep").await;
    let r = rep
        .post(app.url("/api/v1/contacts/import?mapping=name"))
        .header("content-type", "text/csv")
        .body("name\nX\n")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let (office, _) = app.signed_in("office").await;
    for mapping in ["ignore", "nonsense", ""] {
        let r = office
            .post(app.url(&format!("/api/v1/contacts/import?mapping={mapping}")))
            .header("content-type", "text/csv")
            .body("name\nX\n")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 400, "{mapping}");
    }
}

/// Pulls every page from `cursor` on, `limit` changes a page; answers the changes and the cursor.
async fn pull(
    app: &crate::common::TestApp,
    device: &reqwest::Client,
    cursor: Option<String>,
    limit: usize,
) -> (Vec<Value>, String) {
    let client = "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
    let (mut changes, mut cursor) = (Vec::new(), cursor);
    loop {
        let mut query = vec![("client_id", client.to_string()), ("limit", limit.to_string())];
        if let Some(c) = &cursor {
            query.push(("cursor", c.clone()));
        }
        let r = device.get(app.url("/api/v1/sync/pull")).query(&query).send().await.unwrap();
        assert_eq!(r.status(), 200);
        let page: Value = r.json().await.unwrap();
        changes.extend(page["changes"].as_array().unwrap().iter().cloned());
        cursor = Some(page["cursor"].as_str().unwrap().to_string());
        if !page["more"].as_bool().unwrap() {
            return (changes, cursor.unwrap());
        }
    }
}

#[tokio::test]
async fn a_synced_device_gets_every_imported_contact_once_even_across_pages() {
    let app = spawn_app().await;
    // A manager's import is theirs, so their device keeps it (office staff's devices keep only
    // their own records).
    let (manager, _) = app.signed_in("manager").await;
    let (_, cursor) = pull(&app, &manager, None, 500).await;

    let status = import(&app, &manager, "mapping=first_name,last_name,email,phone,city,tags", &file(40)).await;
    assert_eq!(status["state"], "done", "{status}");
    assert_eq!(status["imported"], 40);

    // Seven a page: the import's records (one bulk write) come over several pages.
    let (changes, cursor) = pull(&app, &manager, Some(cursor), 7).await;
    let mut names: Vec<&str> = changes
        .iter()
        .filter(|c| c["entity"] == "contact" && c["op"] == "put")
        .map(|c| c["record"]["name"].as_str().unwrap())
        .collect();
    names.sort_unstable();
    let mut expected: Vec<String> = (0..40).map(|i| format!("Amina{i} Khatun")).collect();
    expected.sort_unstable();
    assert_eq!(names, expected, "each imported contact exactly once");
    // One import is one bulk write, so the pages above ended inside one version.
    let versions: std::collections::BTreeSet<i64> =
        changes.iter().filter(|c| c["entity"] == "contact").map(|c| c["version"].as_i64().unwrap()).collect();
    assert_eq!(versions.len(), 1, "{versions:?}");

    // And nothing is left to pull after them.
    let (after, _) = pull(&app, &manager, Some(cursor), 7).await;
    assert!(after.iter().all(|c| c["entity"] != "contact"), "{after:?}");
}

#[tokio::test]
async fn the_businesss_own_columns_import_as_an_export_writes_them_and_a_bad_value_is_named() {
    let app = spawn_app().await;
    let (admin, _) = app.signed_in("admin").await;
    let (office, _) = app.signed_in("office").await;
    for body in [
        serde_json::json!({"record_type": "contact", "key": "budget", "label": {"en": "Budget (BDT)"}, "kind": "money"}),
        serde_json::json!({"record_type": "contact", "key": "preferred_area", "label": {"en": "Preferred area"},
            "kind": "choices", "choices": [{"key": "gulshan", "label": {"en": "Gulshan"}}, {"key": "banani", "label": {"en": "Banani"}}]}),
    ] {
        assert_eq!(admin.post(app.url("/api/v1/fields")).json(&body).send().await.unwrap().status(), 201);
    }
    let csv =
        "Name,Budget (BDT),Preferred area\nKarim,\"2,500,000.00\",Gulshan; Banani\nRahim,lots,Gulshan\nSalma,,Mirpur\n";
    let preview: Value = office
        .post(app.url("/api/v1/contacts/import/preview"))
        .header("content-type", "text/csv")
        .body(csv)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(preview["mapping"], serde_json::json!(["name", "custom.budget", "custom.preferred_area"]), "by label");

    let status = import(&app, &office, "mapping=name,custom.budget,custom.preferred_area", csv).await;
    assert_eq!((status["imported"].as_i64(), status["rejected"].as_i64()), (Some(1), Some(2)), "{status}");
    let id = status["id"].as_str().unwrap();
    let report = office.get(app.url(&format!("/api/v1/contacts/import/{id}/rejected"))).send().await.unwrap();
    let report = report.text().await.unwrap();
    assert!(report.contains("custom.budget") && report.contains("custom.preferred_area"), "{report}");

    let found: Value = office
        .get(app.url("/api/v1/contacts"))
        .query(&[("custom", "preferred_area=banani")])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(found["items"].as_array().unwrap().len(), 1, "{found}");
    assert_eq!(found["items"][0]["name"], "Karim");
    let url = app.url(&format!("/api/v1/contacts/{}", found["items"][0]["id"].as_str().unwrap()));
    let karim: Value = office.get(url).send().await.unwrap().json().await.unwrap();
    assert_eq!(karim["custom"], serde_json::json!({"budget": 250_000_000, "preferred_area": ["gulshan", "banani"]}));
    let r =
        office.post(app.url("/api/v1/contacts/import?mapping=name,custom.")).body("Name\nX\n").send().await.unwrap();
    assert_eq!(r.status(), 400, "a column mapped to no field");

    // A row merged into a contact fills the own fields it has none of; the ones it holds stay.
    let body = serde_json::json!({"name": "Habib", "phones": ["+8801711000555"], "custom": {"budget": 10_000}});
    assert_eq!(office.post(app.url("/api/v1/contacts")).json(&body).send().await.unwrap().status(), 201);
    let csv = "Name,Phone,Budget,Area\nHabib S.,01711000555,999,Banani\n";
    let status =
        import(&app, &office, "mapping=name,phone,custom.budget,custom.preferred_area&duplicates=merge", csv).await;
    assert_eq!(status["merged"].as_i64(), Some(1), "{status}");
    let found: Value = office
        .get(app.url("/api/v1/contacts"))
        .query(&[("custom", "preferred_area=banani")])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut names: Vec<&str> = found["items"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    names.sort_unstable();
    assert_eq!(names, ["Habib", "Karim"], "the filled value is filtered on: {found}");
    let habib = found["items"].as_array().unwrap().iter().find(|c| c["name"] == "Habib").unwrap();
    let url = app.url(&format!("/api/v1/contacts/{}", habib["id"].as_str().unwrap()));
    let habib: Value = office.get(url).send().await.unwrap().json().await.unwrap();
    assert_eq!(habib["custom"], serde_json::json!({"budget": 10_000, "preferred_area": ["banani"]}));
}
