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
    // Listings change status (and a history row is corrected by hand).
    run(
        db,
        "INSERT INTO listing_status_history (id, listing_id, from_status, to_status, at) \
         SELECT 'sold-' || id, id, status, 'sold', created_at + 86400000 FROM listings",
    )
    .await;
    run(db, "UPDATE listing_status_history SET at = at - 3600000 WHERE id IN (SELECT id FROM listing_status_history ORDER BY id LIMIT 2)").await;
    run(db, "DELETE FROM listing_status_history WHERE id IN (SELECT id FROM listing_status_history WHERE to_status = 'available' ORDER BY id LIMIT 1)").await;
    let (kept_listings, counted_listings) = listing_summaries(db).await;
    assert_eq!(kept_listings, counted_listings, "each listing's first day on the market and first sale");
    assert!(kept_listings.iter().any(|(_, listed, sold)| listed.is_some() && sold.is_some()));
    let (kept_summaries, counted_summaries) = summaries(db).await;
    assert_eq!(kept_summaries, counted_summaries, "each contact's last live visit and first won deal");
    assert!(kept_summaries.iter().any(|(_, visit, _)| visit.is_some()), "some contacts were visited");
    assert!(kept_summaries.iter().any(|(_, _, won)| won.is_some()), "some contacts won a deal");
    rollup::rebuild(db).await.unwrap();
    assert_eq!(summaries(db).await.0, kept_summaries, "the rebuild counts the same summaries");
    assert_eq!(listing_summaries(db).await.0, kept_listings, "and the same listings' days");
    let recounted = rollups(db).await;
    assert_eq!(kept.len(), recounted.len());
    for (k, r) in kept.iter().zip(&recounted) {
        assert_eq!(k, r);
    }
}

type Summaries = Vec<(String, Option<i64>, Option<i64>)>;

/// Each contact's last visit and first won deal, as kept by the triggers and as counted from
/// the visits and deals.
async fn summaries(db: &Db) -> (Summaries, Summaries) {
    let kept = sqlx::query_as("SELECT id, last_visit_at, first_won_at FROM contacts ORDER BY id")
        .fetch_all(db.pool())
        .await
        .unwrap();
    let counted = sqlx::query_as(
        "SELECT c.id, (SELECT MAX(w.check_in_at) FROM visits w WHERE w.contact_id = c.id AND w.deleted = 0), \
         (SELECT MIN(d.stage_changed_at) FROM deals d WHERE d.contact_id = c.id AND d.deleted = 0 AND d.stage = 'won') \
         FROM contacts c ORDER BY c.id",
    )
    .fetch_all(db.pool())
    .await
    .unwrap();
    (kept, counted)
}

/// Each listing's first day on the market and first sale or rental, as kept by the triggers
/// and as counted from its status history.
async fn listing_summaries(db: &Db) -> (Summaries, Summaries) {
    let kept =
        sqlx::query_as("SELECT id, listed_at, closed_at FROM listings ORDER BY id").fetch_all(db.pool()).await.unwrap();
    let counted = sqlx::query_as(
        "SELECT l.id, (SELECT MIN(h.at) FROM listing_status_history h WHERE h.listing_id = l.id AND h.to_status = 'available'), \
         (SELECT MIN(h.at) FROM listing_status_history h WHERE h.listing_id = l.id AND h.to_status IN ('sold', 'rented')) \
         FROM listings l ORDER BY l.id",
    )
    .fetch_all(db.pool())
    .await
    .unwrap();
    (kept, counted)
}

/// What the reports read from rollups (and from contacts' summaries) equals what counting
/// the rows gives: periods in UTC and in Dhaka, ending today, in the future or weeks ago, with
/// daily and weekly buckets, visits dated ahead by a wrong clock, moved and deleted, answers
/// about no visit, and deals won, deleted and moved.
#[tokio::test]
async fn what_the_reports_read_from_rollups_equals_counting_the_rows() {
    use fieldwork_app::reports::Period;
    use fieldwork_server::reports::frame::{bounds, buckets, start_of, Frame};
    use fieldwork_server::reports::{ranged, store};

    let app = spawn_app().await;
    let db = &app.db;
    fieldwork_server::seed::demo::seed(db).await.unwrap();
    const HOUR: i64 = 3_600_000;
    let now = chrono::Utc::now().timestamp_millis();
    for k in 0..3 {
        run(
            db,
            &format!(
                "INSERT INTO visits (id, rep_id, contact_id, check_in_at, created_at, updated_at, version, deleted, far) \
                 SELECT 'v{k}-' || x.id, x.owner_id, x.id, {now} - (x.n * 17 + {k} * 300) * {HOUR}, {now}, {now}, 1, 0, 0 \
                 FROM (SELECT id, owner_id, ROW_NUMBER() OVER (ORDER BY id) AS n FROM contacts WHERE owner_id IS NOT NULL) x"
            ),
        )
        .await;
    }
    let future = 50 * HOUR;
    run(db, &format!("UPDATE visits SET check_in_at = {now} + {future} WHERE id IN (SELECT id FROM visits WHERE id LIKE 'v0-%' ORDER BY id LIMIT 3)")).await;
    run(
        db,
        "UPDATE visits SET deleted = 1 WHERE id IN (SELECT id FROM visits WHERE id LIKE 'v1-%' ORDER BY id LIMIT 5)",
    )
    .await;
    run(db, "UPDATE visits SET contact_id = (SELECT MIN(id) FROM contacts) WHERE id IN (SELECT id FROM visits WHERE id LIKE 'v2-%' ORDER BY id LIMIT 2)").await;
    run(
        db,
        "INSERT INTO feedback (id, contact_id, visit_id, csat, nps, answered_at, created_at, updated_at, version, deleted) \
         SELECT 'f-' || id, contact_id, id, 1 + LENGTH(id) % 5, LENGTH(id) % 11, check_in_at + 5 * 3600000, check_in_at, check_in_at, 1, 0 \
         FROM visits WHERE id LIKE 'v%'",
    )
    .await;
    run(
        db,
        &format!(
            "INSERT INTO feedback (id, contact_id, visit_id, csat, nps, answered_at, created_at, updated_at, version, deleted) \
             SELECT 'g-' || id, id, NULL, 4, 9, {now} - 70 * {HOUR}, {now}, {now}, 1, 0 FROM contacts WHERE owner_id IS NOT NULL"
        ),
    )
    .await;
    // Deals won over the last weeks, one of them deleted, one moved to another contact.
    run(
        db,
        &format!(
            "UPDATE deals SET stage = 'won', stage_changed_at = {now} - CAST(LENGTH(title) AS BIGINT) * 40 * {HOUR} \
             WHERE stage IN ('negotiation', 'proposal')"
        ),
    )
    .await;
    run(db, "UPDATE deals SET deleted = 1 WHERE id IN (SELECT id FROM deals WHERE stage = 'won' ORDER BY id LIMIT 1)")
        .await;
    run(
        db,
        "UPDATE deals SET contact_id = (SELECT MAX(id) FROM contacts) \
         WHERE id IN (SELECT id FROM deals WHERE stage = 'won' AND deleted = 0 ORDER BY id DESC LIMIT 1)",
    )
    .await;
    run(db, "UPDATE contacts SET lifecycle = 'inactive' WHERE id IN (SELECT contact_id FROM deals WHERE stage = 'won' ORDER BY id LIMIT 2)").await;
    let (kept, counted) = summaries(db).await;
    assert_eq!(kept, counted, "each contact's last live visit and first won deal");

    let territories: Vec<String> = sqlx::query_scalar("SELECT id FROM territories WHERE deleted = 0 ORDER BY id")
        .fetch_all(db.pool())
        .await
        .unwrap();
    let (mut visited, mut answers, mut customers) = (0, 0, 0);
    for zone in [chrono_tz::UTC, chrono_tz::Asia::Dhaka] {
        let today = chrono::Utc::now().with_timezone(&zone).date_naive();
        for (days, ends_before_today) in [(30, 0), (30, -2), (30, 40), (90, 0), (7, 3)] {
            let period = Period::last_days(today - chrono::Duration::days(ends_before_today), days);
            let (from, to) = bounds(period, zone);
            let f = Frame {
                period,
                from,
                to,
                language: fieldwork_app::users::Language::En,
                reps: vec![],
                attributed: None,
                scope: fieldwork_server::scope::Scope::All,
                territory: None,
                tag: None,
                custom: vec![],
                listing_kind: None,
                coverage_from: start_of(period.to - chrono::Duration::days(29), zone),
                buckets: buckets(period, zone),
            };
            let what = format!("{days} days ending {ends_before_today} days before today in {zone}");
            let raw = store::territory_visited(db, &f, &territories).await.unwrap();
            assert_eq!(ranged::territory_visited(db, &f, &territories).await.unwrap(), raw, "coverage, {what}");
            visited += raw.values().sum::<i64>();
            let raw = store::scores_by_bucket(db, &f).await.unwrap();
            assert_eq!(ranged::scores_by_bucket(db, &f).await.unwrap(), raw, "answers per bucket, {what}");
            answers += raw.values().map(|s| s.csat_answers).sum::<i64>();
            let raw = store::customers(db, &f).await.unwrap();
            assert_eq!(ranged::customers(db, &f).await.unwrap(), raw, "customers, {what}");
            customers += raw.1;
        }
    }
    assert!(
        visited > 0 && answers > 0 && customers > 0,
        "the frames count something: {visited} visited, {answers} answers, {customers} customers"
    );
}
