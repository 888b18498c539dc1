//! Scheduling and field visits through the real router: overlaps, rescheduling, recurring
//! series across DST, scope, check-in/out with the next step, Today, and calendar feeds.

use crate::common::{error_fields as fields, get_json, spawn_app, TestApp};
use serde_json::{json, Value};

async fn contact_at(app: &TestApp, client: &reqwest::Client, name: &str, lat: f64, lon: f64) -> Value {
    let r = client
        .post(app.url("/api/v1/contacts"))
        .json(&json!({"kind": "person", "name": name, "location": {"lat": lat, "lon": lon}, "address": "Road 11, Banani"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    r.json().await.unwrap()
}

async fn json_of(r: reqwest::Response) -> (u16, Value) {
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn overlaps_are_refused_unless_allowed_and_appointments_reschedule_and_cancel() {
    let app = spawn_app().await;
    let (rep, _) = app.signed_in("rep").await;
    let url = app.url("/api/v1/appointments");
    let first = json!({"kind": "meeting", "title": "Quarterly review", "starts_at": "2026-12-03T04:00:00Z", "ends_at": "2026-12-03T05:00:00Z"});
    let (status, first) = json_of(rep.post(&url).json(&first).send().await.unwrap()).await;
    assert_eq!(status, 201);
    let clash = json!({"kind": "call", "title": "Call the bank", "starts_at": "2026-12-03T04:30:00Z"});
    let (status, body) = json_of(rep.post(&url).json(&clash).send().await.unwrap()).await;
    assert_eq!(status, 409);
    assert!(body["error"]["message"].as_str().unwrap().contains("Quarterly review"), "{body}");
    let mut allowed = clash.clone();
    allowed["allow_overlap"] = json!(true);
    let (status, second) = json_of(rep.post(&url).json(&allowed).send().await.unwrap()).await;
    assert_eq!(status, 201, "{second}");
    // Touching ends are not an overlap.
    let after = json!({"kind": "task", "title": "Write it up", "starts_at": "2026-12-03T05:00:00Z"});
    assert_eq!(rep.post(&url).json(&after).send().await.unwrap().status(), 201);

    let one = app.url(&format!("/api/v1/appointments/{}", first["id"].as_str().unwrap()));
    // Moving the first onto a free hour keeps its length.
    let (status, moved) = json_of(
        rep.patch(&one)
            .json(&json!({"starts_at": "2026-12-03T08:00:00Z", "version": first["version"]}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200, "{moved}");
    assert_eq!(moved["ends_at"], "2026-12-03T09:00:00Z");
    let stale = rep.patch(&one).json(&json!({"title": "x", "version": first["version"]})).send().await.unwrap();
    assert_eq!(stale.status(), 409, "a change against an old version is refused");
    let back = rep.patch(&one).json(&json!({"starts_at": "2026-12-03T04:15:00Z"})).send().await.unwrap();
    assert_eq!(back.status(), 409, "moving onto another appointment is warned about");

    let (status, cancelled) =
        json_of(rep.patch(&one).json(&json!({"status": "cancelled"})).send().await.unwrap()).await;
    assert_eq!((status, cancelled["status"].as_str()), (200, Some("cancelled")));
    let (status, body) = json_of(rep.patch(&one).json(&json!({"status": "done"})).send().await.unwrap()).await;
    assert_eq!((status, fields(&body)), (400, vec!["status".to_string()]), "cancelled is final");

    let (other, _) = app.signed_in("rep").await;
    assert_eq!(other.get(&one).send().await.unwrap().status(), 404);
    assert_eq!(other.patch(&one).json(&json!({"title": "mine now"})).send().await.unwrap().status(), 404);
    assert_eq!(other.delete(&one).send().await.unwrap().status(), 404);
    assert_eq!(other.get(format!("{one}/ics")).send().await.unwrap().status(), 404);

    let ics = rep.get(format!("{one}/ics")).send().await.unwrap();
    assert_eq!(ics.headers()["content-type"], "text/calendar; charset=utf-8");
    let ics = ics.text().await.unwrap();
    assert!(ics.contains(&format!("UID:{}@fieldwork", first["id"].as_str().unwrap())), "{ics}");
    assert!(ics.contains("STATUS:CANCELLED") && ics.contains("DTSTART;TZID=Asia/Dhaka:20261203T140000"), "{ics}");

    assert_eq!(rep.delete(&one).send().await.unwrap().status(), 204);
    assert_eq!(rep.get(&one).send().await.unwrap().status(), 404);
}

#[tokio::test]
async fn a_weekly_london_visit_stays_at_0900_local_across_the_march_change_and_skips_a_date() {
    let app = spawn_app().await;
    let (rep, _) = app.signed_in("rep").await;
    let body = json!({"kind": "meeting", "title": "Key account visit", "starts_at": "2027-03-18T09:00:00Z",
        "ends_at": "2027-03-18T10:00:00Z", "time_zone": "Europe/London",
        "recurrence": {"frequency": "weekly", "count": 4}});
    let (status, series) = json_of(rep.post(app.url("/api/v1/appointments")).json(&body).send().await.unwrap()).await;
    assert_eq!(status, 201, "{series}");
    let agenda = |rep: reqwest::Client| {
        let url = app.url("/api/v1/appointments?from=2027-03-01T00:00:00Z&to=2027-04-30T00:00:00Z");
        async move {
            let page = get_json(&rep, &url).await;
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["starts_at"].as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        agenda(rep.clone()).await,
        ["2027-03-18T09:00:00Z", "2027-03-25T09:00:00Z", "2027-04-01T08:00:00Z", "2027-04-08T08:00:00Z"]
    );
    let url = app.url(&format!("/api/v1/appointments/{}", series["id"].as_str().unwrap()));
    let (status, skipped) =
        json_of(rep.patch(&url).json(&json!({"skip_date": "2027-03-25"})).send().await.unwrap()).await;
    assert_eq!(status, 200, "{skipped}");
    assert_eq!(skipped["exceptions"], json!(["2027-03-25"]));
    assert_eq!(agenda(rep.clone()).await, ["2027-03-18T09:00:00Z", "2027-04-01T08:00:00Z", "2027-04-08T08:00:00Z"]);
    // An occurrence of the series is an overlap too.
    let clash = json!({"kind": "call", "title": "Clash", "starts_at": "2027-04-01T08:30:00Z"});
    assert_eq!(rep.post(app.url("/api/v1/appointments")).json(&clash).send().await.unwrap().status(), 409);
    // A bad rule names the field.
    let bad = json!({"kind": "meeting", "title": "x", "starts_at": "2027-03-18T09:00:00Z",
        "recurrence": {"frequency": "weekly", "interval": 0}});
    let (status, body) = json_of(rep.post(app.url("/api/v1/appointments")).json(&bad).send().await.unwrap()).await;
    assert_eq!((status, fields(&body)), (400, vec!["recurrence".to_string()]));
}

#[tokio::test]
async fn a_rep_checks_in_near_a_contact_and_checks_out_with_a_follow_up_that_shows_on_today() {
    let app = spawn_app().await;
    let (rep, me) = app.signed_in("rep").await;
    let contact = contact_at(&app, &rep, "Nasrin Sultana", 23.7940, 90.4043).await;
    let visits = app.url("/api/v1/visits");
    // About 55 m north of the contact, with a 20 m fix.
    let check_in =
        json!({"contact_id": contact["id"], "position": {"lat": 23.7945, "lon": 90.4043}, "accuracy_m": 20.0});
    let (status, visit) = json_of(rep.post(&visits).json(&check_in).send().await.unwrap()).await;
    assert_eq!(status, 201, "{visit}");
    let distance = visit["distance_m"].as_f64().unwrap();
    assert!((50.0..60.0).contains(&distance), "{distance}");
    assert_eq!(visit["far"], false);
    assert_eq!(visit["rep_id"], me.id.to_string());
    let (status, body) = json_of(rep.post(&visits).json(&check_in).send().await.unwrap()).await;
    assert_eq!(status, 409, "one open visit at a time: {body}");

    let checkout = app.url(&format!("/api/v1/visits/{}/checkout", visit["id"].as_str().unwrap()));
    let (other, _) = app.signed_in("rep").await;
    assert_eq!(other.post(&checkout).json(&json!({"outcome": "Interested"})).send().await.unwrap().status(), 404);
    let one = app.url(&format!("/api/v1/visits/{}", visit["id"].as_str().unwrap()));
    assert_eq!(other.get(&one).send().await.unwrap().status(), 404, "another rep's visit is not theirs to read");
    assert_eq!(rep.get(&one).send().await.unwrap().status(), 200);
    assert_eq!(reqwest::get(app.url("/api/v1/visits/outcomes")).await.unwrap().status(), 401);
    assert_eq!(reqwest::get(app.url("/api/v1/today")).await.unwrap().status(), 401);
    let (status, body) = json_of(rep.post(&checkout).json(&json!({"outcome": "Maybe"})).send().await.unwrap()).await;
    assert_eq!((status, fields(&body)), (400, vec!["outcome".to_string()]));
    let outcomes: Vec<String> = rep.get(app.url("/api/v1/visits/outcomes")).send().await.unwrap().json().await.unwrap();
    assert!(outcomes.contains(&"Interested".to_string()));

    // Due now: on Today at any hour (half an hour ahead is tomorrow after 23:30 in the rep's zone).
    let due = chrono::Utc::now();
    let body = json!({"outcome": "Interested", "notes": "Wants a quote for 40 units",
        "next_step": {"kind": "follow_up", "title": "Send the quote", "due_at": due}});
    let (status, done) = json_of(rep.post(&checkout).json(&body).send().await.unwrap()).await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(done["visit"]["outcome"], "Interested");
    assert!(done["visit"]["check_out_at"].is_string());
    assert!(done["follow_up_id"].is_string());
    assert_eq!(rep.post(&checkout).json(&json!({"outcome": "Interested"})).send().await.unwrap().status(), 409);

    let (status, today) = json_of(rep.get(app.url("/api/v1/today")).send().await.unwrap()).await;
    assert_eq!(status, 200);
    let follow_up = &today["follow_ups"][0];
    assert_eq!(
        (follow_up["title"].as_str(), follow_up["contact_name"].as_str()),
        (Some("Send the quote"), Some("Nasrin Sultana"))
    );
    assert_eq!(follow_up["location"]["lat"], 23.794);
    assert_eq!(today["visits"][0]["id"], done["visit"]["id"]);

    // Two kilometres away is flagged.
    let far = json!({"contact_id": contact["id"], "position": {"lat": 23.8120, "lon": 90.4043}, "accuracy_m": 15.0});
    let (status, visit) = json_of(rep.post(&visits).json(&far).send().await.unwrap()).await;
    assert_eq!((status, visit["far"].as_bool()), (201, Some(true)), "{visit}");
    // Another rep's contact is not to be visited.
    let theirs = contact_at(&app, &other, "Not Mine", 23.79, 90.40).await;
    let (status, body) =
        json_of(other.post(&visits).json(&json!({"contact_id": contact["id"]})).send().await.unwrap()).await;
    assert_eq!((status, fields(&body)), (400, vec!["contact_id".to_string()]));
    let (status, _) =
        json_of(other.post(&visits).json(&json!({"contact_id": theirs["id"]})).send().await.unwrap()).await;
    assert_eq!(status, 201);
}

#[tokio::test]
async fn today_arrives_drawn_by_the_server_with_the_reps_own_day_only() {
    let app = spawn_app().await;
    let (rep, _) = app.signed_in("rep").await;
    let (other, _) = app.signed_in("rep").await;
    let now = chrono::Utc::now().to_rfc3339();
    for (client, title) in [(&rep, "Drawn on the server"), (&other, "Another rep stop")] {
        let body = json!({"kind": "meeting", "title": title, "starts_at": now, "allow_overlap": true});
        assert_eq!(client.post(app.url("/api/v1/appointments")).json(&body).send().await.unwrap().status(), 201);
    }

    let page = rep.get(app.url("/")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();

    // The stop itself, not a loading state: the first screen needs no wasm to show the day.
    assert!(html.contains("Drawn on the server"), "{html}");
    assert!(html.contains("class=\"route\""), "the route list is drawn: {html}");
    assert!(!html.contains("Another rep stop"), "another rep's day stays out of the page");
}

#[tokio::test]
async fn checking_out_of_an_appointment_marks_it_done_and_books_the_next_one() {
    let app = spawn_app().await;
    let (rep, _) = app.signed_in("rep").await;
    let contact = contact_at(&app, &rep, "Farhana Yasmin", 23.7806, 90.4193).await;
    let start = chrono::Utc::now() + chrono::Duration::minutes(5);
    let body = json!({"kind": "showing", "title": "Show flat 4B", "starts_at": start, "contact_id": contact["id"]});
    let (_, appointment) = json_of(rep.post(app.url("/api/v1/appointments")).json(&body).send().await.unwrap()).await;
    let (status, visit) = json_of(
        rep.post(app.url("/api/v1/visits")).json(&json!({"appointment_id": appointment["id"]})).send().await.unwrap(),
    )
    .await;
    assert_eq!(status, 201, "{visit}");
    assert_eq!(visit["contact_id"], contact["id"], "the appointment's contact");
    assert!(visit["distance_m"].is_null(), "no position, no distance");
    let next = chrono::Utc::now() + chrono::Duration::days(2);
    let body = json!({"outcome": "Showing done", "buyer_reaction": "liked",
        "next_step": {"kind": "appointment", "title": "Second showing", "starts_at": next}});
    let url = app.url(&format!("/api/v1/visits/{}/checkout", visit["id"].as_str().unwrap()));
    let (status, done) = json_of(rep.post(&url).json(&body).send().await.unwrap()).await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(done["visit"]["buyer_reaction"], "liked");
    let visited =
        get_json(&rep, &app.url(&format!("/api/v1/appointments/{}", appointment["id"].as_str().unwrap()))).await;
    assert_eq!(visited["status"], "done");
    let booked =
        get_json(&rep, &app.url(&format!("/api/v1/appointments/{}", done["appointment_id"].as_str().unwrap()))).await;
    assert_eq!(
        (booked["title"].as_str(), booked["contact_id"].as_str()),
        (Some("Second showing"), contact["id"].as_str())
    );
}

#[tokio::test]
async fn a_private_calendar_feed_serves_the_users_appointments_until_its_token_is_rotated() {
    let app = spawn_app().await;
    let (rep, _) = app.signed_in("rep").await;
    let body = json!({"kind": "meeting", "title": "Weekly stand-up, Gulshan office", "starts_at": "2027-03-18T09:00:00Z",
        "time_zone": "Europe/London", "reminder_minutes": 15, "recurrence": {"frequency": "weekly", "until": "2027-06-30"}});
    let (_, series) = json_of(rep.post(app.url("/api/v1/appointments")).json(&body).send().await.unwrap()).await;
    let body = json!({"kind": "call", "title": "Cancelled call", "starts_at": "2027-01-10T04:00:00Z"});
    let (_, call) = json_of(rep.post(app.url("/api/v1/appointments")).json(&body).send().await.unwrap()).await;
    let call_url = app.url(&format!("/api/v1/appointments/{}", call["id"].as_str().unwrap()));
    rep.patch(&call_url).json(&json!({"status": "cancelled"})).send().await.unwrap();
    let url = app.url(&format!("/api/v1/appointments/{}", series["id"].as_str().unwrap()));
    rep.patch(&url).json(&json!({"skip_date": "2027-04-01"})).send().await.unwrap();

    let feed = get_json(&rep, &app.url("/api/v1/me/calendar-feed")).await;
    let feed_url = feed["url"].as_str().unwrap().to_string();
    assert!(
        feed_url.starts_with(&app.base)
            && std::path::Path::new(&feed_url).extension().is_some_and(|ext| ext.eq_ignore_ascii_case("ics")),
        "{feed_url}"
    );
    let again = get_json(&rep, &app.url("/api/v1/me/calendar-feed")).await;
    assert_eq!(again["url"], feed_url.as_str(), "the URL stays until rotated");

    // A calendar app fetches it without a session.
    let r = reqwest::get(&feed_url).await.unwrap();
    assert_eq!(r.status(), 200);
    let text = r.text().await.unwrap();
    for expected in [
        "BEGIN:VCALENDAR\r\n",
        "BEGIN:VTIMEZONE\r\nTZID:Europe/London\r\n",
        "DTSTART;TZID=Europe/London:20270318T090000",
        "RRULE:FREQ=WEEKLY;INTERVAL=1;UNTIL=20270630T225959Z",
        "EXDATE;TZID=Europe/London:20270401T090000",
        "SUMMARY:Weekly stand-up\\, Gulshan office",
        "TRIGGER:-PT15M",
        "STATUS:CANCELLED",
        &format!("UID:{}@fieldwork", series["id"].as_str().unwrap()),
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
    assert!(text.lines().all(|l| l.len() <= 75), "lines are folded");

    let (other, _) = app.signed_in("rep").await;
    let theirs = get_json(&other, &app.url("/api/v1/me/calendar-feed")).await;
    let their_feed = reqwest::get(theirs["url"].as_str().unwrap()).await.unwrap().text().await.unwrap();
    assert!(!their_feed.contains("Weekly stand-up"), "each feed holds only its user's appointments");

    let rotated: Value =
        rep.post(app.url("/api/v1/me/calendar-feed/rotate")).send().await.unwrap().json().await.unwrap();
    assert_ne!(rotated["url"], feed_url.as_str());
    assert_eq!(reqwest::get(&feed_url).await.unwrap().status(), 404, "the old URL stops working");
    assert_eq!(reqwest::get(rotated["url"].as_str().unwrap()).await.unwrap().status(), 200);
    assert_eq!(reqwest::get(app.url("/api/v1/calendar/fwc_guess.ics")).await.unwrap().status(), 404);
}
