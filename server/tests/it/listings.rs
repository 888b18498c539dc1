//! Real-estate listings through the real router: the status machine and its history, filters
//! and scope, photos checked by content, buyer matching and notifications, showings, and the
//! public share link.

use crate::common::{error_fields as fields, get_json, spawn_app, TestApp};
use serde_json::{json, Value};

async fn json_of(r: reqwest::Response) -> (u16, Value) {
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

fn flat(title: &str, price: i64, bedrooms: i64) -> Value {
    json!({"title": title, "kind": "apartment", "transaction": "sale", "status": "available",
        "price": {"amount": price, "currency": "BDT"}, "bedrooms": bedrooms, "area_m2": 120,
        "features": ["parking", "lift"], "address": "Road 27, Gulshan 1",
        "location": {"lat": 23.7925, "lon": 90.4078}})
}

async fn create(app: &TestApp, client: &reqwest::Client, body: &Value) -> Value {
    let (status, listing) = json_of(client.post(app.url("/api/v1/listings")).json(body).send().await.unwrap()).await;
    assert_eq!(status, 201, "{listing}");
    listing
}

fn png(width: u32, height: u32) -> Vec<u8> {
    let picture = image::DynamicImage::new_rgb8(width, height);
    let mut out = std::io::Cursor::new(Vec::new());
    picture.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

#[tokio::test]
async fn status_changes_follow_the_machine_and_the_history_keeps_each_step() {
    let app = spawn_app().await;
    let (office, me) = app.signed_in("office").await;
    let mut draft = flat("3-bed in Gulshan", 12_500_000, 3);
    draft["status"] = Value::Null;
    let listing = create(&app, &office, &draft).await;
    assert_eq!(listing["status"], "draft");
    assert!(listing["reference"].as_str().unwrap().starts_with('L'), "{listing}");
    assert!(listing["version"].as_i64().is_some() && listing["id"].is_string());
    let url = app.url(&format!("/api/v1/listings/{}", listing["id"].as_str().unwrap()));

    let (status, body) = json_of(office.patch(&url).json(&json!({"status": "sold"})).send().await.unwrap()).await;
    assert_eq!(status, 409, "a draft cannot be sold: {body}");
    assert!(body["error"]["message"].as_str().unwrap().contains("available"), "{body}");
    let stale = office.patch(&url).json(&json!({"title": "x", "base_version": 1})).send().await.unwrap();
    assert_eq!(stale.status(), 409, "a change against an old version is refused");
    for step in ["available", "under_offer", "sold"] {
        let (status, body) = json_of(office.patch(&url).json(&json!({"status": step})).send().await.unwrap()).await;
        assert_eq!((status, body["status"].as_str()), (200, Some(step)), "{body}");
    }
    let (status, _) = json_of(office.patch(&url).json(&json!({"status": "available"})).send().await.unwrap()).await;
    assert_eq!(status, 409, "sold is final");

    let history: Vec<Value> = office.get(format!("{url}/history")).send().await.unwrap().json().await.unwrap();
    let steps: Vec<(Value, Value)> = history.iter().map(|h| (h["from"].clone(), h["to"].clone())).collect();
    assert_eq!(
        steps,
        vec![
            (Value::Null, json!("draft")),
            (json!("draft"), json!("available")),
            (json!("available"), json!("under_offer")),
            (json!("under_offer"), json!("sold")),
        ]
    );
    assert!(history.iter().all(|h| h["by"] == me.id.to_string() && h["by_name"] == me.name));

    // A rental is rented, never sold.
    let mut rental = flat("Flat to let", 4_500_000, 2);
    rental["transaction"] = json!("rent");
    let rental = create(&app, &office, &rental).await;
    assert_eq!(rental["rent_period"], "month");
    let rental_url = app.url(&format!("/api/v1/listings/{}", rental["id"].as_str().unwrap()));
    assert_eq!(office.patch(&rental_url).json(&json!({"status": "sold"})).send().await.unwrap().status(), 409);
    assert_eq!(office.patch(&rental_url).json(&json!({"status": "rented"})).send().await.unwrap().status(), 200);
}

#[tokio::test]
async fn bad_listings_are_refused_field_by_field_and_references_are_unique() {
    let app = spawn_app().await;
    let (office, _) = app.signed_in("office").await;
    let url = app.url("/api/v1/listings");
    let bad = json!({"title": "", "kind": "castle", "transaction": "sale", "status": "sold",
        "price": {"amount": -5, "currency": "BDT"}, "bedrooms": -1, "features": ["moat"],
        "location": {"lat": 123.0, "lon": 90.0}});
    let (status, body) = json_of(office.post(&url).json(&bad).send().await.unwrap()).await;
    assert_eq!(status, 400);
    assert_eq!(fields(&body), ["bedrooms", "features", "kind", "location", "price", "status", "title"]);
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM listings").fetch_one(app.db.pool()).await.unwrap();
    assert_eq!(count, 0, "nothing half-written");

    let mut first = flat("One", 1_000, 1);
    first["reference"] = json!("gul-001");
    assert_eq!(create(&app, &office, &first).await["reference"], "GUL-001");
    let (status, _) = json_of(office.post(&url).json(&first).send().await.unwrap()).await;
    assert_eq!(status, 409, "a reference is unique");
    let owner = json!({"title": "Two", "kind": "house", "transaction": "sale",
        "price": {"amount": 1, "currency": "BDT"}, "owner_contact_id": uuid::Uuid::now_v7()});
    let (status, body) = json_of(office.post(&url).json(&owner).send().await.unwrap()).await;
    assert_eq!((status, fields(&body)), (400, vec!["owner_contact_id".to_string()]));
}

#[tokio::test]
async fn the_list_filters_and_pages_and_a_rep_sees_only_their_own() {
    let app = spawn_app().await;
    let (rep, _) = app.signed_in("rep").await;
    let (other, _) = app.signed_in("rep").await;
    for (title, price, bedrooms) in
        [("Cheap studio", 2_000_000, 1), ("Family flat", 9_000_000, 3), ("Penthouse", 40_000_000, 5)]
    {
        create(&app, &rep, &flat(title, price, bedrooms)).await;
    }
    let mut far_house = flat("House in Sylhet", 8_000_000, 4);
    far_house["kind"] = json!("house");
    far_house["location"] = json!({"lat": 24.8949, "lon": 91.8687});
    far_house["address"] = json!("Zindabazar, Sylhet");
    create(&app, &rep, &far_house).await;
    let theirs = create(&app, &other, &flat("Not yours", 9_000_000, 3)).await;

    let titles = |page: &Value| -> Vec<String> {
        page["items"].as_array().unwrap().iter().map(|l| l["title"].as_str().unwrap().to_string()).collect()
    };
    let list = |q: &str| {
        let (client, url) = (rep.clone(), app.url(&format!("/api/v1/listings{q}")));
        async move { get_json(&client, &url).await }
    };
    assert_eq!(titles(&list("").await), ["House in Sylhet", "Penthouse", "Family flat", "Cheap studio"]);
    assert_eq!(
        titles(&list("?price_min=5000000&price_max=10000000&bedrooms=3").await),
        ["House in Sylhet", "Family flat"]
    );
    assert_eq!(titles(&list("?kind=apartment&bedrooms=3").await), ["Penthouse", "Family flat"]);
    assert_eq!(titles(&list("?bbox=90.3,23.7,90.5,23.9&q=flat").await), ["Family flat"]);
    assert_eq!(titles(&list("?q=sylhet").await), ["House in Sylhet"]);
    assert_eq!(titles(&list("?status=draft").await), Vec::<String>::new());
    let first = list("?limit=3").await;
    assert_eq!(titles(&first).len(), 3);
    let cursor = first["next_cursor"].as_str().unwrap();
    assert_eq!(titles(&list(&format!("?limit=3&cursor={cursor}")).await), ["Cheap studio"]);
    let (status, body) = json_of(rep.get(app.url("/api/v1/listings?kind=castle&bbox=1,2")).send().await.unwrap()).await;
    assert_eq!((status, fields(&body)), (400, vec!["bbox".to_string(), "kind".to_string()]));

    let their_url = app.url(&format!("/api/v1/listings/{}", theirs["id"].as_str().unwrap()));
    assert_eq!(rep.get(&their_url).send().await.unwrap().status(), 404);
    assert_eq!(rep.patch(&their_url).json(&json!({"title": "Mine now"})).send().await.unwrap().status(), 404);
    assert_eq!(rep.get(format!("{their_url}/matches")).send().await.unwrap().status(), 404);
    for sub in ["/history", "/showings"] {
        assert_eq!(rep.get(format!("{their_url}{sub}")).send().await.unwrap().status(), 404, "{sub}");
    }
    assert_eq!(rep.post(format!("{their_url}/share")).send().await.unwrap().status(), 404);
    assert_eq!(rep.post(format!("{their_url}/photos")).body(png(8, 8)).send().await.unwrap().status(), 404);
    assert_eq!(other.delete(&their_url).send().await.unwrap().status(), 403, "agents withdraw, they do not delete");
    let (admin, _) = app.signed_in("admin").await;
    assert_eq!(admin.delete(&their_url).send().await.unwrap().status(), 204);
    assert_eq!(other.get(&their_url).send().await.unwrap().status(), 404);
}

#[tokio::test]
async fn photos_are_checked_by_their_bytes_resized_reordered_and_given_a_cover() {
    let app = spawn_app().await;
    let (office, _) = app.signed_in("office").await;
    let listing = create(&app, &office, &flat("With photos", 12_500_000, 3)).await;
    let photos_url = app.url(&format!("/api/v1/listings/{}/photos", listing["id"].as_str().unwrap()));

    let mut gallery = Value::Null;
    for (w, h) in [(2000, 1500), (800, 600), (1200, 1600)] {
        let r = office.post(&photos_url).header("content-type", "image/png").body(png(w, h)).send().await.unwrap();
        let (status, body) = json_of(r).await;
        assert_eq!(status, 201, "{body}");
        gallery = body;
    }
    let photos = gallery.as_array().unwrap();
    assert_eq!(photos.len(), 3);
    assert_eq!((photos[0]["is_cover"].as_bool(), photos[0]["width"].as_i64()), (Some(true), Some(2000)));

    // A PDF named like a photo, and bytes claiming to be JPEG, are refused by their content.
    let r =
        office.post(&photos_url).header("content-type", "image/jpeg").body("%PDF-1.7 brochure").send().await.unwrap();
    let (status, body) = json_of(r).await;
    assert_eq!((status, fields(&body)), (400, vec!["photo".to_string()]));
    assert!(body["error"]["fields"]["photo"].as_str().unwrap().contains("JPEG, PNG or WebP"), "{body}");

    let id = |i: usize| photos[i]["id"].as_str().unwrap().to_string();
    let thumb = office.get(format!("{photos_url}/{}?size=thumb", id(0))).send().await.unwrap();
    assert_eq!(thumb.headers()["content-type"], "image/jpeg");
    let thumb = image::load_from_memory(&thumb.bytes().await.unwrap()).unwrap();
    assert_eq!((thumb.width(), thumb.height()), (480, 360));
    let original = office.get(format!("{photos_url}/{}?size=original", id(1))).send().await.unwrap();
    assert_eq!(original.headers()["content-type"], "image/png");
    let (other, _) = app.signed_in("rep").await;
    assert_eq!(other.get(format!("{photos_url}/{}", id(0))).send().await.unwrap().status(), 404);

    let order = json!({"photo_ids": [id(2), id(0), id(1)]});
    let (status, reordered) =
        json_of(office.put(format!("{photos_url}/order")).json(&order).send().await.unwrap()).await;
    assert_eq!(status, 200, "{reordered}");
    let (status, body) =
        json_of(office.put(format!("{photos_url}/order")).json(&json!({"photo_ids": [id(0)]})).send().await.unwrap())
            .await;
    assert_eq!((status, fields(&body)), (400, vec!["photo_ids".to_string()]));
    let (_, covered) = json_of(office.post(format!("{photos_url}/{}/cover", id(2))).send().await.unwrap()).await;
    let ids: Vec<&str> = covered.as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [id(2), id(0), id(1)], "the cover first, then the chosen order");
    let list = get_json(&office, &app.url("/api/v1/listings")).await;
    assert_eq!(list["items"][0]["cover_photo_id"], id(2).as_str());

    assert_eq!(office.delete(format!("{photos_url}/{}", id(2))).send().await.unwrap().status(), 204);
    let after = get_json(&office, &app.url(&format!("/api/v1/listings/{}", listing["id"].as_str().unwrap()))).await;
    assert_eq!(after["photos"].as_array().unwrap().len(), 2);
    assert_eq!(
        (after["photos"][0]["id"].as_str(), after["photos"][0]["is_cover"].as_bool()),
        (Some(id(0).as_str()), Some(true))
    );
    assert_eq!(office.get(format!("{photos_url}/{}", id(2))).send().await.unwrap().status(), 404);
}

#[tokio::test]
async fn buyers_are_matched_with_reasons_both_ways_and_their_owner_is_told() {
    let app = spawn_app().await;
    let (rep, me) = app.signed_in("rep").await;
    let (office, _) = app.signed_in("office").await;
    let contact = |name: &str| {
        let client = rep.clone();
        let url = app.url("/api/v1/contacts");
        let body = json!({"kind": "person", "name": name});
        async move { client.post(url).json(&body).send().await.unwrap().json::<Value>().await.unwrap() }
    };
    let buyer = contact("Karim Buyer").await;
    let picky = contact("Picky Buyer").await;
    let elsewhere = contact("Elsewhere Buyer").await;
    let req_url = |c: &Value| app.url(&format!("/api/v1/contacts/{}/requirements", c["id"].as_str().unwrap()));
    let wants = json!({"transaction": "sale", "kinds": ["apartment"], "price_min": {"amount": 5_000_000, "currency": "BDT"},
        "price_max": {"amount": 12_000_000, "currency": "BDT"}, "min_bedrooms": 3, "features": ["lift"]});
    let (status, saved) = json_of(rep.put(req_url(&buyer)).json(&wants).send().await.unwrap()).await;
    assert_eq!(status, 200, "{saved}");
    let mut garden = wants.clone();
    garden["features"] = json!(["garden"]);
    assert_eq!(rep.put(req_url(&picky)).json(&garden).send().await.unwrap().status(), 200);
    let mut far = wants.clone();
    far["wanted_territories"] = json!([uuid::Uuid::now_v7()]);
    assert_eq!(rep.put(req_url(&elsewhere)).json(&far).send().await.unwrap().status(), 200);
    let (status, body) = json_of(
        rep.put(req_url(&buyer)).json(&json!({"transaction": "swap", "kinds": ["castle"]})).send().await.unwrap(),
    )
    .await;
    assert_eq!((status, fields(&body)), (400, vec!["kinds".to_string(), "transaction".to_string()]));
    let (other, _) = app.signed_in("rep").await;
    assert_eq!(other.put(req_url(&buyer)).json(&wants).send().await.unwrap().status(), 404, "not their contact");

    // 12.5 M is 4.2 % over the buyer's 12 M: still shown, with a lower score. The office makes
    // the rep its agent, so the rep can open it from the notification.
    let mut body = flat("3-bed in Gulshan", 12_500_000, 3);
    body["agent_id"] = json!(me.id);
    let listing = create(&app, &office, &body).await;
    let matches: Vec<Value> =
        get_json(&office, &app.url(&format!("/api/v1/listings/{}/matches", listing["id"].as_str().unwrap())))
            .await
            .as_array()
            .unwrap()
            .clone();
    assert_eq!(matches.len(), 1, "the garden-lover and the buyer wanting another area are left out: {matches:?}");
    let m = &matches[0];
    assert_eq!(m["contact_id"], buyer["id"]);
    let codes: Vec<&str> = m["reasons"].as_array().unwrap().iter().map(|r| r["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["kind", "bedrooms", "features", "price_over_budget"]);
    assert!(m["score"].as_i64().unwrap() < 100 && m["summary"].as_str().unwrap().contains("5% over budget"), "{m}");
    // The agent (a rep) sees the same match among their own buyers.
    let theirs =
        get_json(&rep, &app.url(&format!("/api/v1/listings/{}/matches", listing["id"].as_str().unwrap()))).await;
    assert_eq!(
        (theirs[0]["contact_id"].clone(), theirs[0]["score"].clone()),
        (buyer["id"].clone(), m["score"].clone())
    );
    assert_eq!(
        get_json(&other, &app.url(&format!("/api/v1/listings/{}/matches", listing["id"].as_str().unwrap()))).await
            ["error"]["code"],
        "not_found"
    );

    body = flat("Cheaper 3-bed", 9_000_000, 3);
    body["agent_id"] = json!(me.id);
    create(&app, &office, &body).await;
    // Nobody's agent: the rep cannot open it, so it is neither matched for them nor notified.
    create(&app, &office, &flat("Office stock", 9_500_000, 3)).await;
    let for_buyer =
        get_json(&rep, &app.url(&format!("/api/v1/contacts/{}/matches", buyer["id"].as_str().unwrap()))).await;
    let ranked: Vec<&str> =
        for_buyer.as_array().unwrap().iter().map(|m| m["listing"]["title"].as_str().unwrap()).collect();
    assert_eq!(ranked, ["Cheaper 3-bed", "3-bed in Gulshan"], "in budget first, in the rep's scope only");
    assert_eq!(for_buyer[0]["score"], 100);
    let everything =
        get_json(&office, &app.url(&format!("/api/v1/contacts/{}/matches", buyer["id"].as_str().unwrap()))).await;
    assert_eq!(everything.as_array().unwrap().len(), 3);

    let inbox = get_json(&rep, &app.url("/api/v1/me/notifications")).await;
    assert_eq!(inbox["unread"], 2, "one per new listing that suits the rep's buyer: {inbox}");
    assert!(inbox["items"][1]["title"].as_str().unwrap().contains("Karim Buyer"), "{inbox}");
    assert!(inbox["items"][1]["link"].as_str().unwrap().starts_with("/listings/"));
    assert_eq!(rep.post(app.url("/api/v1/me/notifications/read")).send().await.unwrap().status(), 204);
    assert_eq!(get_json(&rep, &app.url("/api/v1/me/notifications")).await["unread"], 0);
    assert_eq!(get_json(&other, &app.url("/api/v1/me/notifications")).await["unread"], 0, "{}", me.id);

    assert_eq!(rep.delete(format!("{}/sale", req_url(&buyer))).send().await.unwrap().status(), 204);
    assert_eq!(get_json(&rep, &req_url(&buyer)).await, json!([]));
}

#[tokio::test]
async fn a_showing_is_carried_out_as_a_visit_and_its_feedback_shows_on_the_listing() {
    let app = spawn_app().await;
    let (rep, _) = app.signed_in("rep").await;
    let listing = create(&app, &rep, &flat("Shown flat", 9_000_000, 3)).await;
    let buyer: Value = rep
        .post(app.url("/api/v1/contacts"))
        .json(&json!({"kind": "person", "name": "Rahim Buyer"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let start = chrono::Utc::now() + chrono::Duration::minutes(10);
    let showing = json!({"kind": "showing", "title": "Show the flat", "starts_at": start,
        "contact_id": buyer["id"], "listing_id": listing["id"]});
    let (status, appointment) =
        json_of(rep.post(app.url("/api/v1/appointments")).json(&showing).send().await.unwrap()).await;
    assert_eq!(status, 201, "{appointment}");
    let check_in =
        json!({"appointment_id": appointment["id"], "position": {"lat": 23.7926, "lon": 90.4078}, "accuracy_m": 10.0});
    let (status, visit) = json_of(rep.post(app.url("/api/v1/visits")).json(&check_in).send().await.unwrap()).await;
    assert_eq!(status, 201, "{visit}");
    assert_eq!(visit["listing_id"], listing["id"]);
    assert!(visit["distance_m"].as_f64().unwrap() < 30.0, "measured from the listing: {visit}");
    let checkout = app.url(&format!("/api/v1/visits/{}/checkout", visit["id"].as_str().unwrap()));
    let body = json!({"outcome": "Interested", "buyer_reaction": "loved", "notes": "Wants to bring her husband"});
    assert_eq!(rep.post(&checkout).json(&body).send().await.unwrap().status(), 200);

    let showings =
        get_json(&rep, &app.url(&format!("/api/v1/listings/{}/showings", listing["id"].as_str().unwrap()))).await;
    let s = &showings[0];
    assert_eq!(
        (s["contact_name"].as_str(), s["status"].as_str(), s["buyer_reaction"].as_str(), s["notes"].as_str()),
        (Some("Rahim Buyer"), Some("done"), Some("loved"), Some("Wants to bring her husband"))
    );
    // A deal opened from the showing carries the listing.
    let deal = json!({"contact_id": buyer["id"], "listing_id": listing["id"], "title": "Shown flat — Rahim",
        "value": {"amount": 9_000_000, "currency": "BDT"}});
    let (status, deal) = json_of(rep.post(app.url("/api/v1/deals")).json(&deal).send().await.unwrap()).await;
    assert_eq!((status, deal["listing_id"].clone()), (201, listing["id"].clone()));
}

#[tokio::test]
async fn the_public_share_link_shows_no_private_field_and_can_be_turned_off() {
    let app = spawn_app().await;
    let (office, _) = app.signed_in("office").await;
    let owner: Value = office
        .post(app.url("/api/v1/contacts"))
        .json(&json!({"kind": "person", "name": "Secret Seller", "phones": ["+8801711000000"]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut body = flat("Shared flat", 12_500_000, 3);
    body["owner_contact_id"] = owner["id"].clone();
    let listing = create(&app, &office, &body).await;
    assert_eq!(listing["owner_name"], "Secret Seller");
    let url = app.url(&format!("/api/v1/listings/{}", listing["id"].as_str().unwrap()));
    office.post(format!("{url}/photos")).body(png(640, 480)).send().await.unwrap();

    let (status, link) = json_of(office.post(format!("{url}/share")).send().await.unwrap()).await;
    assert_eq!(status, 200, "{link}");
    let token = link["token"].as_str().unwrap().to_string();
    assert!(link["url"].as_str().unwrap().ends_with(&format!("/share/{token}")));
    let (_, again) = json_of(office.post(format!("{url}/share")).send().await.unwrap()).await;
    assert_eq!(again["token"], link["token"], "sharing twice keeps the one link");

    let public = reqwest::get(app.url(&format!("/api/v1/public/listings/{token}"))).await.unwrap();
    assert_eq!(public.status(), 200);
    let text = public.text().await.unwrap();
    for secret in ["Secret Seller", "owner", "agent", "share_token", owner["id"].as_str().unwrap(), &token, "+880"] {
        assert!(!text.contains(secret), "the public listing shows {secret:?}: {text}");
    }
    let public: Value = serde_json::from_str(&text).unwrap();
    let mut keys: Vec<&str> = public.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "address",
            "area_m2",
            "bathrooms",
            "bedrooms",
            "description",
            "features",
            "floor",
            "kind",
            "location",
            "photos",
            "price",
            "reference",
            "rent_period",
            "status",
            "title",
            "transaction",
            "year_built"
        ]
    );
    let photo = public["photos"][0]["id"].as_str().unwrap();
    let bytes =
        reqwest::get(app.url(&format!("/api/v1/public/listings/{token}/photos/{photo}?size=original"))).await.unwrap();
    assert_eq!(bytes.headers()["content-type"], "image/jpeg", "the public never gets the original file");

    assert_eq!(office.delete(format!("{url}/share")).send().await.unwrap().status(), 204);
    assert_eq!(reqwest::get(app.url(&format!("/api/v1/public/listings/{token}"))).await.unwrap().status(), 404);
    assert_eq!(
        reqwest::get(app.url(&format!("/api/v1/public/listings/{token}/photos/{photo}"))).await.unwrap().status(),
        404
    );
    assert_eq!(reqwest::get(app.url("/api/v1/public/listings/fws_guess")).await.unwrap().status(), 404);
}
