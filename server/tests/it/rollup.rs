//! The report rollups stay exact whatever writes the rows: after inserts, edits, deletions,
//! deals changing stage and contacts changing territory — through the API and by plain SQL —
//! `report_days` holds exactly what counting every row from scratch gives.

use crate::common::spawn_app;
use fieldwork_server::db::Db;
use fieldwork_server::reports::rollup;
use serde_json::json;

type Day = (String, i64, String, String, String, i64, i64);

async fn rollups(db: &Db) -> Vec<Day> {
    sqlx::query_as(
        "SELECT metric, day, user_id, territory_id, currency, n, amount FROM report_days \
         WHERE n <> 0 OR amount <> 0 ORDER BY metric, day, user_id, territory_id, currency",
    )
    .fetch_all(db.pool())
    .await
    .unwrap()
}

async fn run(db: &Db, sql: &str) -> u64 {
    sqlx::query(sql).execute(db.pool()).await.unwrap_or_else(|e| panic!("{sql}: {e}")).rows_affected()
}

#[tokio::test]
async fn the_rollups_equal_a_recount_after_every_kind_of_write() {
    let app = spawn_app().await;
    let db = &app.db;
    fieldwork_server::seed::demo::seed(db).await.unwrap();
    let (rep, _) = app.signed_in("rep").await;

    // Through the API: a contact, a visit to it, a call.
    let c: serde_json::Value = rep
        .post(app.url("/api/v1/contacts"))
        .json(&json!({"name": "Rollup Test", "source": "Referral"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = c["id"].as_str().unwrap();
    let r = rep.post(app.url("/api/v1/visits")).json(&json!({"contact_id": id})).send().await.unwrap();
    assert_eq!(r.status(), 201);
    let call = json!({"kind": "call", "direction": "inbound", "duration_s": 20, "result": "connected", "body": "x"});
    let r = rep.post(app.url(&format!("/api/v1/contacts/{id}/activities"))).json(&call).send().await.unwrap();
    assert_eq!(r.status(), 201);

    // By plain SQL, as an import, a job or a person with a database shell would.
    let territories: Vec<String> =
        sqlx::query_scalar("SELECT id FROM territories ORDER BY id").fetch_all(db.pool()).await.unwrap();
    assert!(territories.len() >= 2);
    run(
        db,
        "INSERT INTO visits (id, rep_id, contact_id, check_in_at, created_at, updated_at, version, deleted, far) \
             SELECT 'v-' || id, owner_id, id, created_at + 3600000, created_at, created_at, 1, 0, 1 FROM contacts \
             WHERE owner_id IS NOT NULL",
    )
    .await;
    run(db, "INSERT INTO activities (id, contact_id, author_id, kind, occurred_at, body, created_at, updated_at, version, deleted) \
             SELECT 'a-' || id, id, owner_id, 'call', created_at + 7200000, 'hello', created_at, created_at, 1, 0 FROM contacts").await;
    run(db, "INSERT INTO feedback (id, contact_id, visit_id, csat, nps, answered_at, created_at, updated_at, version, deleted) \
             SELECT 'f-' || id, contact_id, id, 5, 10, check_in_at + 60000, check_in_at, check_in_at, 1, 0 FROM visits").await;
    let won = run(
        db,
        "UPDATE deals SET stage = 'won', stage_changed_at = stage_changed_at + 86400000 \
                       WHERE stage = 'negotiation'",
    )
    .await;
    let lost = run(db, "UPDATE deals SET stage = 'lost' WHERE stage = 'proposal'").await;
    assert!(won + lost > 0, "the demo has open deals to close");
    run(db, "UPDATE deals SET value_amount = value_amount * 2 WHERE stage = 'won'").await;
    run(db, "UPDATE feedback SET nps = 3 WHERE id IN (SELECT id FROM feedback ORDER BY id LIMIT 3)").await;
    run(db, "UPDATE visits SET deleted = 1 WHERE id IN (SELECT id FROM visits ORDER BY id LIMIT 2)").await;
    run(
        db,
        "UPDATE appointments SET status = 'cancelled' WHERE id IN (SELECT id FROM appointments ORDER BY id LIMIT 2)",
    )
    .await;
    run(db, "DELETE FROM activities WHERE id IN (SELECT id FROM activities ORDER BY id LIMIT 3)").await;
    run(db, "UPDATE contacts SET source = 'referral' WHERE id IN (SELECT id FROM contacts ORDER BY id LIMIT 4)").await;
    // Contacts change territory: their visits, calls, meetings, deals and answers move too.
    let moved = sqlx::query(
        "UPDATE contacts SET territory_id = $1 WHERE territory_id = $2 AND id IN (SELECT id FROM contacts ORDER BY id LIMIT 20)",
    )
    .bind(&territories[1])
    .bind(&territories[0])
    .execute(db.pool())
    .await
    .unwrap()
    .rows_affected();
    run(db, "UPDATE contacts SET territory_id = NULL WHERE id IN (SELECT id FROM contacts ORDER BY id DESC LIMIT 3)")
        .await;
    run(db, "UPDATE contacts SET last_activity_at = 1 WHERE 1 = 1").await;
    let r = rep.delete(app.url(&format!("/api/v1/contacts/{id}"))).send().await.unwrap();
    assert!(r.status().is_client_error(), "reps archive instead: {}", r.status());

    let kept = rollups(db).await;
    let metrics: std::collections::BTreeSet<&str> = kept.iter().map(|d| d.0.as_str()).collect();
    for m in [
        "visits",
        "visits_far",
        "planned",
        "calls",
        "new_contacts",
        "referrals",
        "won",
        "lost",
        "csat_answers",
        "detractors",
    ] {
        assert!(metrics.contains(m), "{m} is rolled up: {metrics:?}");
    }
    assert!(moved > 0, "some contacts changed territory");
    rollup::rebuild(db).await.unwrap();
    let recounted = rollups(db).await;
    assert_eq!(kept.len(), recounted.len());
    for (k, r) in kept.iter().zip(&recounted) {
        assert_eq!(k, r);
    }
}
