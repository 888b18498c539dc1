//! Offline sync benchmarks through the real router over loopback, on `SQLite` and `PostgreSQL`.
//!
//! `cargo bench -p fieldwork-server --bench sync` seeds (once; later runs reuse it) one rep's
//! scope of 5,000 contacts, 1,000 listings and 20,000 activities, among 45,000 contacts of 9
//! other reps (so the scope filter has work to do), then prints:
//! - the **initial sync**: every pull page from nothing until `more` is false, end to end
//!   (requests, JSON and the transfer), with the payload size raw and gzipped;
//! - an **incremental sync of 100 changes** (100 of the rep's records written one by one, then
//!   one pull from the cursor);
//! - the **shell a phone downloads**: raw, gzip and brotli sizes of every wasm part, JS and CSS
//!   file, of what the sign-in page and Today download first, and of every precached file, read
//!   from the built site (`cargo xtask run` builds it; `FIELDWORK_SITE_ROOT`).
//!
//! Targets (issue 7): initial sync under 3 s, incremental under 150 ms.
//! `FIELDWORK_BENCH_ENGINES=sqlite,postgres` picks the engines; `PostgreSQL` is at
//! `FIELDWORK_TEST_POSTGRES_URL` (default <postgres://postgres@127.0.0.1:5432/postgres>).

use fieldwork_app::common::UserId;
use fieldwork_server::db::{Db, WriteTx};
use fieldwork_server::seed;
use std::io::Write;
use std::time::{Duration, Instant};
use support::{sign_in, PASSWORD};

mod support;

const CONTACTS: usize = 5_000;
const LISTINGS: usize = 1_000;
const ACTIVITIES: usize = 20_000;
const OTHER_REPS: usize = 9;
const REP: &str = "rep@sync.bench";
const RUNS: usize = 5;
const INCREMENTAL_RUNS: usize = 20;
/// Rows per multi-row INSERT.
const BATCH: usize = 500;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let engines = std::env::var("FIELDWORK_BENCH_ENGINES").unwrap_or_else(|_| "sqlite,postgres".into());
    for engine in engines.split(',') {
        let url = support::database_url(engine.trim(), "sync_v1").await?;
        let db = Db::connect(&url).await?;
        fieldwork_server::startup::prepare(&db).await?;
        let rep = prepare(&db).await?;
        let base = support::serve(&db, &url).await?;
        let client = sign_in(&base, REP).await?;
        println!("\n{engine}: a rep's scope of {CONTACTS} contacts, {LISTINGS} listings, {ACTIVITIES} activities");

        let mut times = Vec::new();
        let mut last = None;
        for _ in 0..RUNS {
            let started = Instant::now();
            let synced = pull_everything(&client, &base, None).await?;
            times.push(started.elapsed());
            last = Some(synced);
        }
        let synced = last.expect("at least one run");
        let gzipped = gzip_len(&synced.body);
        times.sort();
        support::record("initial sync of a rep's scope", engine, synced.records as u64, &times, None);
        println!(
            "{:<52} {:>9.0} ms (best {:.0}, worst {:.0}) · {} pages · {} records · {:.1} MB JSON, {:.1} MB gzip",
            "initial sync, p50 of 5",
            ms(times[RUNS / 2]),
            ms(times[0]),
            ms(times[RUNS - 1]),
            synced.pages,
            synced.records,
            synced.body.len() as f64 / 1e6,
            gzipped as f64 / 1e6,
        );

        let mut cursor = synced.cursor;
        let mut times = Vec::new();
        let mut bytes = 0;
        for run in 0..INCREMENTAL_RUNS {
            change_records(&db, rep, run, 100).await?;
            let started = Instant::now();
            let synced = pull_everything(&client, &base, Some(&cursor)).await?;
            times.push(started.elapsed());
            anyhow::ensure!(synced.records == 100, "incremental pull saw {} changes, not 100", synced.records);
            cursor = synced.cursor;
            bytes = synced.body.len();
        }
        times.sort();
        support::record("incremental sync of 100 changes", engine, 100, &times, None);
        println!(
            "{:<52} {:>9.1} ms p50, {:.1} ms p95 · {:.0} KB JSON",
            "incremental sync of 100 changes",
            ms(times[INCREMENTAL_RUNS / 2]),
            ms(times[INCREMENTAL_RUNS * 95 / 100]),
            bytes as f64 / 1e3,
        );
        db.close().await;
    }
    shell_sizes();
    Ok(())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn gzip_len(bytes: &[u8]) -> usize {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    let _ = encoder.write_all(bytes);
    encoder.finish().map_or(0, |v| v.len())
}

/// What one sync from a cursor (None: from nothing) brought.
struct Synced {
    pages: usize,
    records: usize,
    body: Vec<u8>,
    cursor: String,
}

/// Pulls until no more pages wait, as the app's engine does (with a client id of its own).
async fn pull_everything(client: &reqwest::Client, base: &str, cursor: Option<&str>) -> anyhow::Result<Synced> {
    let device = uuid::Uuid::now_v7().to_string();
    let mut synced = Synced { pages: 0, records: 0, body: Vec::new(), cursor: cursor.unwrap_or_default().to_string() };
    loop {
        let r = client
            .get(format!("{base}/api/v1/sync/pull"))
            .query(&[("cursor", synced.cursor.as_str()), ("client_id", &device)])
            .send()
            .await?;
        anyhow::ensure!(r.status().is_success(), "pull: {}", r.status());
        let body = r.bytes().await?;
        let page: fieldwork_app::sync::PullPage = serde_json::from_slice(&body)?;
        synced.pages += 1;
        synced.records += page.changes.len();
        synced.body.extend_from_slice(&body);
        synced.cursor = page.cursor;
        if !page.more {
            return Ok(synced);
        }
    }
}

/// `n` versions in a row for a batch (one change each, as separate writes would have).
async fn versions(tx: &mut WriteTx, n: usize) -> anyhow::Result<i64> {
    let last: i64 = sqlx::query_scalar("UPDATE change_sequence SET value = value + $1 WHERE id = 1 RETURNING value")
        .bind(n as i64)
        .fetch_one(tx.conn())
        .await?;
    Ok(last - n as i64 + 1)
}

/// Seeds the rep's scope and the others' contacts unless an earlier run did; answers the rep.
async fn prepare(db: &Db) -> anyhow::Result<UserId> {
    let found: Option<String> =
        sqlx::query_scalar("SELECT id FROM users WHERE email = $1").bind(REP).fetch_optional(db.pool()).await?;
    if let Some(id) = found {
        return Ok(id.parse()?);
    }
    let started = Instant::now();
    let rep = seed::add_user(db, &support::zone(), REP, "Sync Bench Rep", "rep", PASSWORD).await?.id;
    let mut others = Vec::new();
    for i in 0..OTHER_REPS {
        others.push(
            seed::add_user(
                db,
                &support::zone(),
                &format!("other{i}@sync.bench"),
                &format!("Other {i}"),
                "rep",
                PASSWORD,
            )
            .await?
            .id,
        );
    }
    seed::bulk::insert_contacts(db, seed::bulk::generate(11, CONTACTS, std::slice::from_ref(&rep))).await?;
    seed::bulk::insert_contacts(db, seed::bulk::generate(12, CONTACTS * OTHER_REPS, &others)).await?;
    let contacts: Vec<String> = sqlx::query_scalar("SELECT id FROM contacts WHERE owner_id = $1 ORDER BY id")
        .bind(rep.to_string())
        .fetch_all(db.pool())
        .await?;
    let now = chrono::Utc::now().timestamp_millis();
    for chunk in (0..ACTIVITIES).collect::<Vec<_>>().chunks(BATCH) {
        let mut tx = db.begin_write().await?;
        let first = versions(&mut tx, chunk.len()).await?;
        let rows: Vec<String> = chunk
            .iter()
            .enumerate()
            .map(|(k, i)| {
                let (kind, extra) = if i % 3 == 0 {
                    ("note", "NULL, NULL, NULL")
                } else {
                    ("call", "'outbound', 180, 'connected'")
                };
                format!(
                    "('{}', '{}', '{rep}', '{kind}', {}, {extra}, NULL, 'Talked about the order for next month, call {i}', \
                     {now}, {now}, {}, 0)",
                    uuid::Uuid::now_v7(),
                    contacts[i % contacts.len()],
                    now - (*i as i64) * 60_000,
                    first + k as i64,
                )
            })
            .collect();
        sqlx::query(&format!(
            "INSERT INTO activities (id, contact_id, author_id, kind, occurred_at, direction, duration_s, result, subject, \
             body, created_at, updated_at, version, deleted) VALUES {}",
            rows.join(", ")
        ))
        .execute(tx.conn())
        .await?;
        tx.commit().await?;
    }
    for chunk in (0..LISTINGS).collect::<Vec<_>>().chunks(BATCH) {
        let mut tx = db.begin_write().await?;
        let first = versions(&mut tx, chunk.len()).await?;
        let rows: Vec<String> = chunk
            .iter()
            .enumerate()
            .map(|(k, i)| {
                format!(
                    "('{}', 'S-{i}', 'Flat {i} in Gulshan', 'apartment', 'sale', 'available', {}, 'BDT', NULL, 120, 3, \
                     '[\"lift\",\"parking\"]', 'Road {i}, Gulshan', 23.79, 90.41, '{rep}', {now}, {now}, {}, 0)",
                    uuid::Uuid::now_v7(),
                    (5_000_000 + i * 10_000) * 100,
                    first + k as i64,
                )
            })
            .collect();
        sqlx::query(&format!(
            "INSERT INTO listings (id, reference, title, kind, transaction_type, status, price_amount, price_currency, \
             rent_period, area_m2, bedrooms, features, address, lat, lon, agent_id, created_at, updated_at, version, \
             deleted) VALUES {}",
            rows.join(", ")
        ))
        .execute(tx.conn())
        .await?;
        tx.commit().await?;
    }
    for table in ["contacts", "activities", "listings"] {
        sqlx::query(&format!("ANALYZE {table}")).execute(db.pool()).await?;
    }
    println!("seeded in {:.1} s", started.elapsed().as_secs_f64());
    Ok(rep)
}

/// Writes `n` of the rep's contacts, each in a transaction and a version of its own (a note
/// changes), as `n` edits from the app would.
async fn change_records(db: &Db, rep: UserId, run: usize, n: usize) -> anyhow::Result<()> {
    let ids: Vec<String> =
        sqlx::query_scalar("SELECT id FROM contacts WHERE owner_id = $1 ORDER BY id LIMIT $2 OFFSET $3")
            .bind(rep.to_string())
            .bind(n as i64)
            .bind((run * n % CONTACTS) as i64)
            .fetch_all(db.pool())
            .await?;
    for id in ids {
        let mut tx = db.begin_write().await?;
        let version = tx.next_version().await?;
        sqlx::query("UPDATE contacts SET notes = $1, version = $2 WHERE id = $3")
            .bind(format!("Edited in run {run}"))
            .bind(version)
            .bind(id)
            .execute(tx.conn())
            .await?;
        tx.commit().await?;
    }
    Ok(())
}

/// Raw, gzip and brotli sizes of every file of the shell a phone downloads (the wasm parts, JS and
/// CSS), of what the sign-in page (the CSS) and Today download first — the main wasm, the JS, the
/// CSS and the parts of its page group (`pkg/__wasm_split_manifest.json`: split point → parts) — and of
/// everything the service worker precaches.
fn shell_sizes() {
    let root = std::path::PathBuf::from(
        std::env::var("FIELDWORK_SITE_ROOT")
            .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../target/site").to_string()),
    );
    let build = fieldwork_server::pwa::Build::scan(&root);
    if build.assets.is_empty() {
        println!("\nshell sizes: no built site at {} (run `cargo xtask run` or `cargo leptos build --release --split` first)", root.display());
        return;
    }
    println!("\nthe precached shell ({})", root.display());
    println!("{:<64} {:>10} {:>10} {:>10}", "file", "raw KB", "gzip KB", "brotli KB");
    let mut sizes = std::collections::BTreeMap::new();
    let mut all = (0, 0);
    for asset in &build.assets {
        let bytes = std::fs::read(root.join(asset.trim_start_matches('/'))).unwrap_or_default();
        let (r, g) = (bytes.len(), gzip_len(&bytes));
        all = (all.0 + r, all.1 + g);
        if std::path::Path::new(asset).extension().is_some_and(|ext| ext.eq_ignore_ascii_case("wasm"))
            || std::path::Path::new(asset).extension().is_some_and(|ext| ext.eq_ignore_ascii_case("js"))
            || std::path::Path::new(asset).extension().is_some_and(|ext| ext.eq_ignore_ascii_case("css"))
        {
            let b = brotli_len(&bytes);
            println!("{asset:<64} {:>10.1} {:>10.1} {:>10.1}", r as f64 / 1e3, g as f64 / 1e3, b as f64 / 1e3);
            sizes.insert(asset.clone(), (r, g, b));
        }
    }
    let manifest: std::collections::HashMap<String, Vec<String>> =
        std::fs::read_to_string(root.join("pkg/__wasm_split_manifest.json"))
            .ok()
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default();
    // The files of the split points whose names contain `group` (all of them: None).
    let parts = |group: Option<&str>| -> std::collections::HashSet<String> {
        manifest
            .iter()
            .filter(|(split, _)| group.is_none_or(|g| split.contains(g)))
            .flat_map(|(_, parts)| parts.iter().map(|p| format!("/pkg/{p}.wasm")))
            .collect()
    };
    let every_part = parts(None);
    // The sign-in page is plain HTML (`shell::PLAIN_PAGES`): it downloads the CSS only.
    for (screen, group) in [("the sign-in page", None), ("Today", Some("today_pages"))] {
        let its_parts = group.map(|g| parts(Some(g)));
        let files: Vec<&(usize, usize, usize)> = sizes
            .iter()
            .filter(|(name, _)| match &its_parts {
                Some(its_parts) => !every_part.contains(*name) || its_parts.contains(*name),
                None => std::path::Path::new(name).extension().is_some_and(|ext| ext.eq_ignore_ascii_case("css")),
            })
            .map(|(_, size)| size)
            .collect();
        let total = files.iter().fold((0, 0, 0), |t, s| (t.0 + s.0, t.1 + s.1, t.2 + s.2));
        println!(
            "{:<64} {:>10.1} {:>10.1} {:>10.1}",
            format!("{screen} first: wasm + JS + CSS ({} files)", files.len()),
            total.0 as f64 / 1e3,
            total.1 as f64 / 1e3,
            total.2 as f64 / 1e3
        );
    }
    println!(
        "{:<64} {:>10.1} {:>10.1}",
        format!("all {} precached files", build.assets.len()),
        all.0 as f64 / 1e3,
        all.1 as f64 / 1e3
    );
}

/// The size of `bytes` compressed by brotli at its best quality (what a precompressed file is).
fn brotli_len(bytes: &[u8]) -> usize {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams { quality: 11, lgwin: 22, ..Default::default() };
    brotli::BrotliCompress(&mut std::io::Cursor::new(bytes), &mut out, &params).map_or(0, |_| out.len())
}
