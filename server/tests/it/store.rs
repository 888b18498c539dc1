//! The data-access layer on its own: the same queries on `SQLite` and `PostgreSQL`.

use crate::common::fresh_db;
use fieldwork_server::scope::Scope;

#[tokio::test]
async fn versions_come_from_one_increasing_sequence() {
    let db = fresh_db().await;
    let mut seen = Vec::new();
    for _ in 0..3 {
        let mut tx = db.begin_write().await.unwrap();
        seen.push(tx.next_version().await.unwrap());
        seen.push(tx.next_version().await.unwrap());
        tx.commit().await.unwrap();
    }
    assert!(seen.windows(2).all(|w| w[1] == w[0] + 1), "{seen:?}");
}

#[tokio::test]
async fn a_rolled_back_write_leaves_nothing_behind() {
    let db = fresh_db().await;
    {
        let mut tx = db.begin_write().await.unwrap();
        tx.next_version().await.unwrap();
        sqlx::query("INSERT INTO login_failures (id, email, ip, at) VALUES ('x', 'a@b.c', '1.2.3.4', 1)")
            .execute(tx.conn())
            .await
            .unwrap();
        // dropped without commit
    }
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM login_failures").fetch_one(db.pool()).await.unwrap();
    let (version,): (i64,) = sqlx::query_as("SELECT value FROM change_sequence").fetch_one(db.pool()).await.unwrap();
    assert_eq!((n, version), (0, 0));
}

#[tokio::test]
async fn users_round_trip_through_the_store() {
    let db = fresh_db().await;
    let created = fieldwork_server::seed::add_user(
        &db,
        &crate::common::zone(),
        "Nadia@Example.com",
        "Nadia Islam",
        "manager",
        "a long password",
    )
    .await
    .unwrap();

    let by_id = fieldwork_server::users::store::by_id(&db, created.id).await.unwrap();
    let (by_email, hash) =
        fieldwork_server::users::store::by_email_with_hash(&db, "nadia@example.com").await.unwrap().unwrap();

    assert_eq!(by_id, created);
    assert_eq!(by_email.id, created.id);
    assert!(hash.starts_with("$argon2id$"));
    assert!(fieldwork_server::seed::add_user(
        &db,
        &crate::common::zone(),
        "nadia@example.com",
        "Twin",
        "rep",
        "a long password"
    )
    .await
    .is_err());
}

#[tokio::test]
async fn the_demo_seed_fills_every_first_screen_and_ensure_does_not_duplicate_it() {
    let db = fresh_db().await;
    fieldwork_server::seed::demo::seed(&db).await.unwrap();
    let count = |table: &'static str| {
        let db = db.clone();
        async move {
            let (n,): (i64,) =
                sqlx::query_as(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(db.pool()).await.unwrap();
            n
        }
    };
    assert_eq!(count("users").await, 6);
    assert!(count("contacts").await >= 300);
    assert!(count("listings").await >= 40);
    let appointments = count("appointments").await;
    assert!(appointments >= 3 * 5 * 3, "three reps, three days");

    assert_eq!(fieldwork_server::seed::demo::ensure(&db).await.unwrap(), "");
    assert_eq!(count("appointments").await, appointments);
}

#[tokio::test]
async fn a_reps_scope_covers_their_territories_and_their_own_records() {
    let db = fresh_db().await;
    fieldwork_server::seed::demo::seed(&db).await.unwrap();
    let (rep,): (String,) =
        sqlx::query_as("SELECT id FROM users WHERE email = 'rep3@fieldwork.demo'").fetch_one(db.pool()).await.unwrap();
    let rep = fieldwork_app::common::UserId::parse(&rep).unwrap();
    // Hand one contact from another territory to rep3: ownership alone puts it in scope.
    let (foreign,): (String,) = sqlx::query_as(
        "SELECT c.id FROM contacts c JOIN users u ON u.id = c.owner_id WHERE u.email = 'rep1@fieldwork.demo' LIMIT 1",
    )
    .fetch_one(db.pool())
    .await
    .unwrap();
    let mut tx = db.begin_write().await.unwrap();
    sqlx::query("UPDATE contacts SET owner_id = $1 WHERE id = $2")
        .bind(rep.to_string())
        .bind(&foreign)
        .execute(tx.conn())
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let page = fieldwork_server::contacts::store::list(
        &db,
        &Scope::Users(vec![rep], chrono::Utc::now().date_naive()),
        &Default::default(),
        None,
        1000,
        None,
    )
    .await
    .unwrap();

    let (expected,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM contacts c WHERE c.owner_id = $1 OR c.territory_id IN \
         (SELECT territory_id FROM territory_assignments WHERE user_id = $1)",
    )
    .bind(rep.to_string())
    .fetch_one(db.pool())
    .await
    .unwrap();
    assert_eq!(page.items.len() as i64, expected);
    assert!(page.items.iter().any(|c| c.id.to_string() == foreign));
    let all =
        fieldwork_server::contacts::store::list(&db, &Scope::All, &Default::default(), None, 1000, None).await.unwrap();
    assert!(all.items.len() > page.items.len());
}

#[tokio::test]
async fn the_demo_is_never_seeded_into_a_database_with_real_users() {
    let db = fresh_db().await;
    fieldwork_server::seed::add_user(
        &db,
        &crate::common::zone(),
        "owner@agency.example",
        "Owner",
        "admin",
        "a long password",
    )
    .await
    .unwrap();

    let refused = fieldwork_server::seed::demo::seed(&db).await;

    assert!(refused.is_err());
    assert!(!fieldwork_server::seed::demo::is_present(&db).await.unwrap());
    assert_eq!(fieldwork_server::seed::demo::ensure(&db).await.unwrap(), "");
}
