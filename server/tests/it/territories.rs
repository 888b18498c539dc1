//! Territories through the HTTP API: `GeoJSON` import with a hole, a nested region and a broken
//! polygon; automatic placement of contacts inside, outside, in a hole and on a border; reshape
//! and delete; assignment of reps, who then see the contacts inside; stats.

use crate::common::{spawn_app, TestApp};
use reqwest::Client;
use serde_json::{json, Value};

fn square(x: f64, y: f64, size: f64) -> Value {
    json!([[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]])
}

fn feature(name: &str, geometry: Value) -> Value {
    json!({"type": "Feature", "properties": {"area_name": name}, "geometry": geometry})
}

async fn contact_at(app: &TestApp, client: &Client, name: &str, lon: f64, lat: f64) -> Value {
    let r = client
        .post(app.url("/api/v1/contacts"))
        .json(&json!({"name": name, "location": {"lat": lat, "lon": lon}}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    r.json().await.unwrap()
}

async fn territory_of(app: &TestApp, client: &Client, contact: &Value) -> Value {
    let url = app.url(&format!("/api/v1/contacts/{}", contact["id"].as_str().unwrap()));
    client.get(url).send().await.unwrap().json::<Value>().await.unwrap()["territory_id"].clone()
}

#[tokio::test]
async fn imported_territories_place_contacts_by_the_documented_rules() {
    let app = spawn_app().await;
    let (manager, _) = app.signed_in("manager").await;
    // Contacts that exist before the territories do.
    let inside = contact_at(&app, &manager, "Inside Gulshan", 90.2, 23.2).await;
    let in_hole = contact_at(&app, &manager, "In the lake", 90.5, 23.5).await;
    let on_border = contact_at(&app, &manager, "On the border", 91.0, 23.5).await;
    let region_only = contact_at(&app, &manager, "Region only", 91.5, 24.5).await;
    let outside = contact_at(&app, &manager, "Far away", 95.0, 30.0).await;

    let collection = json!({"type": "FeatureCollection", "features": [
        feature("Dhaka region", json!({"type": "Polygon", "coordinates": [square(90.0, 23.0, 2.0)]})),
        feature("Gulshan", json!({"type": "Polygon", "coordinates": [square(90.0, 23.0, 1.0), square(90.4, 23.4, 0.2)]})),
        feature("Banani", json!({"type": "Polygon", "coordinates": [square(91.0, 23.0, 1.0)]})),
        feature("Bow tie", json!({"type": "Polygon", "coordinates": [[[90.0, 23.0], [91.0, 24.0], [91.0, 23.0], [90.0, 24.0], [90.0, 23.0]]]})),
        {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [square(93.0, 23.0, 1.0)]}},
    ]});
    let r = manager
        .post(app.url("/api/v1/territories/import"))
        .json(&json!({"name_property": "area_name", "collection": collection}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let result: Value = r.json().await.unwrap();
    let created = result["created"].as_array().unwrap();
    let names: Vec<&str> = created.iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Dhaka region", "Gulshan", "Banani"]);
    let rejected = result["rejected"].as_array().unwrap();
    assert_eq!(rejected.len(), 2, "{rejected:?}");
    assert_eq!(rejected[0]["index"], 3);
    assert_eq!(rejected[0]["reason"], "outer ring: crosses itself near [90.5, 23.5]");
    assert_eq!(rejected[1]["reason"], "has no area_name property");
    let id_of = |name: &str| created.iter().find(|t| t["name"] == name).unwrap()["id"].clone();
    let (region, gulshan, banani) = (id_of("Dhaka region"), id_of("Gulshan"), id_of("Banani"));

    assert_eq!(territory_of(&app, &manager, &inside).await, gulshan, "the smallest territory holding it");
    assert_eq!(territory_of(&app, &manager, &in_hole).await, region, "a hole belongs to what holds it");
    assert_eq!(territory_of(&app, &manager, &on_border).await, gulshan, "a border point goes to the smaller neighbour");
    assert_eq!(territory_of(&app, &manager, &region_only).await, region);
    assert_eq!(territory_of(&app, &manager, &outside).await, Value::Null, "outside all");

    // A contact created later is placed as it is written; moving it moves it.
    let later = contact_at(&app, &manager, "Banani shop", 91.5, 23.5).await;
    assert_eq!(later["territory_id"], banani);
    let moved: Value = manager
        .patch(app.url(&format!("/api/v1/contacts/{}", later["id"].as_str().unwrap())))
        .json(&json!({"location": {"lat": 23.2, "lon": 90.2}}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(moved["territory_id"], gulshan);

    // Reshaping Gulshan to its western half leaves the border point to Banani, and deleting
    // Banani leaves it to the region.
    let gulshan_url = app.url(&format!("/api/v1/territories/{}", gulshan.as_str().unwrap()));
    let r = manager
        .patch(&gulshan_url)
        .json(&json!({"geometry": {"type": "Polygon", "coordinates": [[[90.0, 23.0], [90.5, 23.0], [90.5, 24.0], [90.0, 24.0], [90.0, 23.0]]]}}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(territory_of(&app, &manager, &on_border).await, banani);
    let r = manager.delete(app.url(&format!("/api/v1/territories/{}", banani.as_str().unwrap()))).send().await.unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(territory_of(&app, &manager, &on_border).await, region);
    let list: Value = manager.get(app.url("/api/v1/territories")).send().await.unwrap().json().await.unwrap();
    assert_eq!(list.as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn a_broken_shape_is_refused_with_where_and_reps_cannot_draw() {
    let app = spawn_app().await;
    let (manager, _) = app.signed_in("manager").await;
    let r = manager
        .post(app.url("/api/v1/territories"))
        .json(&json!({"name": "", "colour": "blue", "geometry": {"type": "Polygon", "coordinates": [[[90.0, 23.0], [91.0, 23.0], [91.0, 24.0], [90.0, 24.0]]]}}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let body: Value = r.json().await.unwrap();
    let fields = &body["error"]["fields"];
    assert_eq!(fields["geometry"], "outer ring: is not closed: it starts at [90, 23] and ends at [90, 24]");
    assert!(fields["name"].is_string() && fields["colour"].is_string(), "{body}");
    let list: Value = manager.get(app.url("/api/v1/territories")).send().await.unwrap().json().await.unwrap();
    assert!(list.as_array().unwrap().is_empty(), "nothing stored");

    let (rep, _) = app.signed_in("rep").await;
    let r = rep
        .post(app.url("/api/v1/territories"))
        .json(&json!({"name": "Mine", "geometry": {"type": "Polygon", "coordinates": [square(90.0, 23.0, 1.0)]}}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
}

#[tokio::test]
async fn an_assigned_rep_sees_the_contacts_inside_and_no_others() {
    let app = spawn_app().await;
    let (office, _) = app.signed_in("office").await;
    let (rep, rep_user) = app.signed_in("rep").await;
    let inside = contact_at(&app, &office, "Inside Uttara", 90.4, 23.87).await;
    contact_at(&app, &office, "Outside Uttara", 90.9, 23.5).await;
    let r = office
        .post(app.url("/api/v1/territories"))
        .json(&json!({"name": "Uttara", "geometry": {"type": "Polygon", "coordinates": [square(90.35, 23.84, 0.1)]}}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let uttara: Value = r.json().await.unwrap();
    let id = uttara["id"].as_str().unwrap();
    assert!(uttara["colour"].as_str().unwrap().starts_with('#'), "a colour is chosen");

    let names = |page: Value| -> Vec<String> {
        page["items"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap().to_string()).collect()
    };
    let before: Value = rep.get(app.url("/api/v1/contacts")).send().await.unwrap().json().await.unwrap();
    assert!(names(before).is_empty());

    let r = office
        .put(app.url(&format!("/api/v1/territories/{id}/assignees")))
        .json(&json!({"assignees": [{"user_id": rep_user.id}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let assignees: Value = r.json().await.unwrap();
    assert_eq!(assignees[0]["user_id"], json!(rep_user.id));

    let after: Value = rep.get(app.url("/api/v1/contacts")).send().await.unwrap().json().await.unwrap();
    assert_eq!(names(after), ["Inside Uttara"]);
    let url = app.url(&format!("/api/v1/contacts/{}", inside["id"].as_str().unwrap()));
    assert_eq!(rep.get(&url).send().await.unwrap().status(), 200);

    let stats: Value =
        office.get(app.url(&format!("/api/v1/territories/{id}/stats"))).send().await.unwrap().json().await.unwrap();
    assert_eq!(stats["contacts"], 1);
    assert_eq!(stats["reps"][0]["name"], json!(rep_user.name));

    // Unassigned (nobody listed): the assignment ends today and the rep sees nothing again.
    let r = office
        .put(app.url(&format!("/api/v1/territories/{id}/assignees")))
        .json(&json!({"assignees": []}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let again: Value = rep.get(app.url("/api/v1/contacts")).send().await.unwrap().json().await.unwrap();
    assert!(names(again).is_empty());

    // Only reps can be assigned.
    let r = office
        .put(app.url(&format!("/api/v1/territories/{id}/assignees")))
        .json(&json!({"assignees": [{"user_id": uttara["id"]}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
}

#[tokio::test]
async fn workload_flags_overloaded_and_unstaffed_territories() {
    let app = spawn_app().await;
    let (office, _) = app.signed_in("office").await;
    let (_, rep_a) = app.signed_in("rep").await;
    let (_, rep_b) = app.signed_in("rep").await;
    let mut ids = Vec::new();
    for (i, name) in ["Busy", "Quiet", "Nobody"].iter().enumerate() {
        let x = 90.0 + i as f64;
        let r = office
            .post(app.url("/api/v1/territories"))
            .json(&json!({"name": name, "geometry": {"type": "Polygon", "coordinates": [square(x, 23.0, 1.0)]}}))
            .send()
            .await
            .unwrap();
        ids.push(r.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string());
    }
    for (i, count) in [(0usize, 6), (1, 2), (2, 1)] {
        for k in 0..count {
            contact_at(&app, &office, &format!("C{i}-{k}"), 90.5 + i as f64, 23.1 + f64::from(k) * 0.1).await;
        }
    }
    for (territory, rep) in [(&ids[0], &rep_a), (&ids[1], &rep_b)] {
        let r = office
            .put(app.url(&format!("/api/v1/territories/{territory}/assignees")))
            .json(&json!({"assignees": [{"user_id": rep.id}]}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
    }
    let w: Value = office.get(app.url("/api/v1/territories/workload")).send().await.unwrap().json().await.unwrap();
    let rows: Vec<(String, String, i64)> = w["territories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (t["name"].as_str().unwrap().into(), t["load"].as_str().unwrap().into(), t["contacts"].as_i64().unwrap())
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("Nobody".into(), "unstaffed".into(), 1),
            ("Busy".into(), "over".into(), 6),
            ("Quiet".into(), "under".into(), 2)
        ]
    );
    assert_eq!(w["mean_contacts_per_rep"], 4.0);
    let reps: Value = office.get(app.url("/api/v1/territories/reps")).send().await.unwrap().json().await.unwrap();
    assert!(reps.as_array().unwrap().len() >= 2);
    let (rep, _) = app.signed_in("rep").await;
    assert_eq!(rep.get(app.url("/api/v1/territories/workload")).send().await.unwrap().status(), 403);
}

#[tokio::test]
async fn the_map_shows_the_points_in_scope_inside_the_box_and_names_a_bad_side() {
    let app = spawn_app().await;
    let (office, _) = app.signed_in("office").await;
    let (rep, _) = app.signed_in("rep").await;
    let mine = rep
        .post(app.url("/api/v1/contacts"))
        .json(&json!({"name": "Rep's own", "location": {"lat": 23.8, "lon": 90.4}}))
        .send()
        .await
        .unwrap();
    assert_eq!(mine.status(), 201);
    contact_at(&app, &office, "Office's, nearby", 90.41, 23.81).await;
    contact_at(&app, &office, "Office's, far", 91.8, 22.3).await;
    office.post(app.url("/api/v1/contacts")).json(&json!({"name": "Nowhere"})).send().await.unwrap();

    let names = |points: &Value| -> Vec<String> {
        let mut n: Vec<String> =
            points["contacts"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap().to_string()).collect();
        n.sort();
        n
    };
    let all: Value = office.get(app.url("/api/v1/map/points")).send().await.unwrap().json().await.unwrap();
    assert_eq!(names(&all), ["Office's, far", "Office's, nearby", "Rep's own"], "no position, no point");
    assert_eq!(all["truncated"], false);
    let dhaka: Value = office
        .get(app.url("/api/v1/map/points?west=90.3&south=23.7&east=90.5&north=23.9"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(names(&dhaka), ["Office's, nearby", "Rep's own"]);
    let reps: Value = rep.get(app.url("/api/v1/map/points")).send().await.unwrap().json().await.unwrap();
    assert_eq!(names(&reps), ["Rep's own"], "a rep's map holds only their scope");

    let r = office.get(app.url("/api/v1/map/points?west=91&south=23.7&east=90.5&north=23.9")).send().await.unwrap();
    assert_eq!(r.status(), 400);
    let body: Value = r.json().await.unwrap();
    assert!(body["error"]["fields"]["east"].is_string(), "{body}");
    let r = office.get(app.url("/api/v1/map/points?west=90&south=95")).send().await.unwrap();
    let body: Value = r.json().await.unwrap();
    assert!(body["error"]["fields"]["south"].is_string() && body["error"]["fields"]["north"].is_string(), "{body}");

    let settings: Value = rep.get(app.url("/api/v1/map/settings")).send().await.unwrap().json().await.unwrap();
    assert_eq!(settings["tile_url"], Value::Null, "no tiles unless configured");
}
