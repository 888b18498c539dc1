//! `fieldwork seed --scale`: a coherent company, the same from the same seed, with every
//! index back after the load, that the app reads like any other data.

use crate::common::{fresh_db, spawn_app};
use fieldwork_server::db::{Db, Engine};
use fieldwork_server::seed::scale::{self, Plan, DOMAIN, PASSWORD};
use serde_json::Value;

async fn count(db: &Db, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(db.pool()).await.unwrap_or_else(|e| panic!("{sql}: {e}"))
}

async fn index_count(db: &Db) -> i64 {
    let sql = match db.engine() {
        Engine::Sqlite => "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index'",
        Engine::Postgres => "SELECT COUNT(*) FROM pg_indexes WHERE schemaname = current_schema()",
    };
    count(db, sql).await
}

#[tokio::test]
async fn a_scaled_company_is_coherent_complete_and_keeps_its_indexes() {
    let app = spawn_app().await;
    let indexes = index_count(&app.db).await;
    // Big enough that every table is written in several statements (a child row's statement
    // must never go before its parent's).
    let plan = Plan::new(20_000, 5);
    let report = scale::seed(&app.db, plan).await.unwrap();
    assert_eq!(index_count(&app.db).await, indexes, "every dropped index is built again");
    if app.db.engine() == Engine::Sqlite {
        // Row counts for the planner, but no sampled values (they make SQLite prepare again).
        assert!(count(&app.db, "SELECT COUNT(*) FROM sqlite_stat1").await > 0);
        let stat4 = count(&app.db, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'sqlite_stat4'").await;
        if stat4 > 0 {
            assert_eq!(count(&app.db, "SELECT COUNT(*) FROM sqlite_stat4").await, 0);
        }
    }

    // Proportions: a rep per 5,000 contacts, a manager, an office user, an admin; 2 territories.
    let db = &app.db;
    assert_eq!(count(db, "SELECT COUNT(*) FROM contacts").await, 20_000);
    assert_eq!(count(db, "SELECT COUNT(*) FROM users WHERE role = 'rep'").await, 4);
    assert_eq!(count(db, "SELECT COUNT(*) FROM users").await, 7);
    assert_eq!(count(db, "SELECT COUNT(*) FROM territories").await, 2);
    assert_eq!(count(db, "SELECT COUNT(*) FROM deals").await, 2_000);
    assert_eq!(count(db, "SELECT COUNT(*) FROM appointments").await, 6_667);
    assert_eq!(count(db, "SELECT COUNT(*) FROM listings").await, 400);
    let activities = count(db, "SELECT COUNT(*) FROM activities").await;
    assert!((60_000..=140_000).contains(&activities), "3–7 per contact: {activities}");
    assert_eq!(report.counts.iter().find(|(t, _)| *t == "activities").map(|c| c.1 as i64), Some(activities));

    // Coherence: a contact's owner works its territory, and its position is inside it.
    assert_eq!(
        count(
            db,
            "SELECT COUNT(*) FROM contacts c WHERE c.territory_id IS NOT NULL AND NOT EXISTS \
             (SELECT 1 FROM territory_assignments a WHERE a.territory_id = c.territory_id AND a.user_id = c.owner_id)"
        )
        .await,
        0
    );
    let placed: Vec<(f64, f64, String)> =
        sqlx::query_as("SELECT c.lat, c.lon, t.geometry FROM contacts c JOIN territories t ON t.id = c.territory_id")
            .fetch_all(db.pool())
            .await
            .unwrap();
    assert!(placed.len() > 18_000, "most contacts have a position: {}", placed.len());
    for (lat, lon, geometry) in placed {
        let g: Value = serde_json::from_str(&geometry).unwrap();
        let ring: Vec<(f64, f64)> = g["coordinates"][0]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| (p[0].as_f64().unwrap(), p[1].as_f64().unwrap()))
            .collect();
        let (west, east) = ring.iter().fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.0), b.max(p.0)));
        let (south, north) = ring.iter().fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.1), b.max(p.1)));
        assert!((west..=east).contains(&lon) && (south..=north).contains(&lat), "{lat},{lon} outside {geometry}");
    }
    // A visit is the doing of a done meeting, after its contact existed; no survey without a visit.
    assert_eq!(
        count(
            db,
            "SELECT COUNT(*) FROM visits v JOIN appointments a ON a.id = v.appointment_id WHERE a.status <> 'done'"
        )
        .await,
        0
    );
    assert_eq!(count(db, "SELECT COUNT(*) FROM visits v WHERE v.appointment_id IS NULL").await, 0);
    assert_eq!(
        count(db, "SELECT COUNT(*) FROM activities a JOIN contacts c ON c.id = a.contact_id WHERE a.occurred_at < c.created_at")
            .await,
        0
    );
    assert_eq!(
        count(db, "SELECT COUNT(*) FROM contacts c WHERE c.last_activity_at <> (SELECT MAX(a.occurred_at) FROM activities a WHERE a.contact_id = c.id)")
            .await,
        0
    );
    assert_eq!(count(db, "SELECT COUNT(*) FROM feedback f WHERE f.visit_id IS NULL").await, 0);
    // Every deal's history starts with an inquiry and ends in the stage it is in.
    assert_eq!(
        count(
            db,
            "SELECT COUNT(*) FROM deals d WHERE NOT EXISTS (SELECT 1 FROM deal_stage_history h WHERE h.deal_id = d.id \
             AND h.to_stage = d.stage AND h.at = d.stage_changed_at)"
        )
        .await,
        0
    );

    // The app reads it: a generated manager signs in and sees the dashboard, a rep finds a
    // contact by name through the search index.
    let client = app.browser();
    let r = client
        .post(app.url("/api/v1/auth/login"))
        .json(&serde_json::json!({"email": format!("manager1@{DOMAIN}"), "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let today = chrono::Utc::now().date_naive();
    let from = today - chrono::Duration::days(89);
    let r = client.get(app.url(&format!("/api/v1/dashboard/manager?from={from}&to={today}"))).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let d: Value = r.json().await.unwrap();
    let reps = d["tables"][0]["rows"].as_array().unwrap();
    assert_eq!(reps.len(), 4, "the manager's team");
    let name: String =
        sqlx::query_scalar("SELECT name FROM contacts ORDER BY id LIMIT 1").fetch_one(db.pool()).await.unwrap();
    let r = client.get(app.url("/api/v1/contacts")).query(&[("q", name.as_str())]).send().await.unwrap();
    let page: Value = r.json().await.unwrap();
    let found: Vec<&str> = page["items"].as_array().unwrap().iter().filter_map(|c| c["name"].as_str()).collect();
    assert!(found.contains(&name.as_str()), "{name} in {found:?}");
}

#[tokio::test]
async fn the_same_seed_makes_the_same_company_and_a_full_database_is_refused() {
    let (a, b) = (fresh_db().await, fresh_db().await);
    scale::seed(&a, Plan::new(500, 9)).await.unwrap();
    scale::seed(&b, Plan::new(500, 9)).await.unwrap();
    let people = |db: Db| async move {
        let rows: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT name, primary_phone, lifecycle FROM contacts ORDER BY created_at, name, primary_phone",
        )
        .fetch_all(db.pool())
        .await
        .unwrap();
        rows
    };
    let (first, second) = (people(a.clone()).await, people(b).await);
    assert_eq!(first.len(), 500);
    assert_eq!(first, second);
    let refused = scale::seed(&a, Plan::new(500, 9)).await.map(|_| ()).unwrap_err().to_string();
    assert!(refused.contains("500 contacts"), "{refused}");
}
