//! CSV import through the HTTP API: preview and mapping, per-row validation with a report of
//! rejected rows, duplicates left out, and nothing for reps.

use crate::common::spawn_app;
use serde_json::Value;

fn file(rows: usize) -> String {
    let mut csv = String::from("First Name,Last Name,Email,Phone Number,City,Tags\n");
    for i in 0..rows {
        csv.push_str(&format!("Amina{i},Khatun,amina{i}@example.com,0171{i:07},Dhaka,\"vip;buyer\"\n"));
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
