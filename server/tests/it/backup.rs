//! `fieldwork backup` / `restore`: a backup taken while reps write is whole, and restoring it
//! into the running server puts exactly that data back, under a new server epoch.

use crate::common::spawn_app;
use fieldwork_server::db::backup;
use secrecy::ExposeSecret;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// Counts that must agree in any consistent copy: contacts, the users who own them, the
/// newest contact version and the change sequence (which must be ahead of every version).
async fn counts(db: &fieldwork_server::db::Db) -> (i64, i64, i64, i64) {
    let contacts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM contacts").fetch_one(db.pool()).await.unwrap();
    let owned: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM contacts c JOIN users u ON u.id = c.owner_id")
        .fetch_one(db.pool())
        .await
        .unwrap();
    let newest: i64 = sqlx::query_scalar("SELECT CAST(COALESCE(MAX(version), 0) AS BIGINT) FROM contacts")
        .fetch_one(db.pool())
        .await
        .unwrap();
    let sequence: i64 =
        sqlx::query_scalar("SELECT value FROM change_sequence WHERE id = 1").fetch_one(db.pool()).await.unwrap();
    (contacts, owned, newest, sequence)
}

fn scratch_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("fw_test_backup_{}", uuid::Uuid::now_v7().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[tokio::test]
async fn a_backup_taken_while_reps_write_restores_whole_into_the_running_server() {
    let app = spawn_app().await;
    let (rep, _) = app.signed_in("rep").await;
    let epoch = |db: fieldwork_server::db::Db| async move {
        sqlx::query_scalar::<_, String>("SELECT server_epoch FROM change_sequence").fetch_one(db.pool()).await.unwrap()
    };
    let epoch_before = epoch(app.db.clone()).await;

    // Two reps' worth of writers keep creating contacts until told to stop.
    let stop = Arc::new(AtomicBool::new(false));
    let mut writers = Vec::new();
    for w in 0..2 {
        let (rep, url, stop) = (rep.clone(), app.url("/api/v1/contacts"), stop.clone());
        writers.push(tokio::spawn(async move {
            let mut made = 0;
            while !stop.load(Ordering::Relaxed) {
                let body =
                    json!({"kind": "person", "name": format!("Writer {w} contact {made}"), "phones": ["01711-000000"]});
                let r = rep.post(&url).json(&body).send().await.unwrap();
                assert_eq!(r.status(), 201);
                made += 1;
            }
            made
        }));
    }
    while counts(&app.db).await.0 < 20 {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let dir = scratch_dir();
    let file = dir.join("fieldwork.backup");
    let url = app.state.settings.database_url.expose_secret().to_string();
    let bytes = backup::backup(&app.db, &url, &file).await.expect("backup under load");
    assert!(bytes > 0 && file.exists() && !dir.join("fieldwork.backup.partial").exists());
    let again = backup::backup(&app.db, &url, &file).await;
    assert!(again.unwrap_err().to_string().contains("already exists"), "a backup never overwrites a file");

    while counts(&app.db).await.0 < 40 {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    stop.store(true, Ordering::Relaxed);
    let mut made = 0;
    for w in writers {
        made += w.await.unwrap();
    }
    let live = counts(&app.db).await;
    assert_eq!(live.0, made);

    let new_epoch = fieldwork_server::startup::restore(&app.db, &url, &file).await.expect("restore");
    let restored = counts(&app.db).await;
    assert!(restored.0 >= 20 && restored.0 < live.0, "the backup holds what was there when it was taken: {restored:?}");
    assert_eq!(restored.1, restored.0, "every contact with its owner: {restored:?}");
    assert!(restored.3 >= restored.2, "the change sequence is ahead of every version: {restored:?}");
    if app.db.engine() == fieldwork_server::db::Engine::Sqlite {
        let search: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM contacts_fts").fetch_one(app.db.pool()).await.unwrap();
        assert_eq!(search, restored.0, "search rows came back with their contacts");
    }
    assert_eq!(epoch(app.db.clone()).await, new_epoch);
    assert_ne!(new_epoch, epoch_before, "devices learn that the server went back in time");

    // The running server serves the restored data and takes new writes after it.
    let page: Value = rep.get(app.url("/api/v1/contacts?limit=200")).send().await.unwrap().json().await.unwrap();
    assert_eq!(page["items"].as_array().unwrap().len() as i64, restored.0);
    let r = rep
        .post(app.url("/api/v1/contacts"))
        .json(&json!({"kind": "person", "name": "After the restore"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let c: Value = r.json().await.unwrap();
    assert!(c["version"].as_i64().unwrap() > restored.2);
}

#[tokio::test]
async fn a_file_that_is_not_a_fieldwork_backup_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let (rep, _) = app.signed_in("rep").await;
    let r =
        rep.post(app.url("/api/v1/contacts")).json(&json!({"kind": "person", "name": "Kept"})).send().await.unwrap();
    assert_eq!(r.status(), 201);
    let dir = scratch_dir();
    let junk = dir.join("notes.txt");
    std::fs::write(&junk, "not a database").unwrap();
    let url = app.state.settings.database_url.expose_secret().to_string();
    let error = fieldwork_server::startup::restore(&app.db, &url, &junk).await.unwrap_err();
    assert!(!format!("{error:#}").is_empty());
    let missing = fieldwork_server::startup::restore(&app.db, &url, &dir.join("absent.backup")).await.unwrap_err();
    assert!(missing.to_string().contains("is not a file"), "{missing}");
    assert_eq!(counts(&app.db).await.0, 1, "the live data is untouched");
}
