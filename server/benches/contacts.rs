//! Contact benchmarks at scale, through the real router over HTTP, on `SQLite` and `PostgreSQL`.
//!
//! `cargo bench -p fieldwork-server --bench contacts` uses (and on first use seeds) the company
//! `fieldwork seed --scale` makes of `FIELDWORK_BENCH_CONTACTS` contacts (default 1,000,000,
//! 200 reps: a rep sees 5,000), gives one contact 200 timeline entries, then prints p50/p95 of:
//! the first page of the contact list, a search by name prefix, a search by phone fragment,
//! and the contact page (the contact and its first timeline page) — for office staff (who see
//! everything) and for a rep (who sees their own).
//!
//! `FIELDWORK_BENCH_ENGINES=sqlite,postgres` picks the engines; `PostgreSQL` is at
//! `FIELDWORK_TEST_POSTGRES_URL` (default <postgres://postgres@127.0.0.1:5432/postgres>).

use fieldwork_app::activities::ActivityForCreate;
use fieldwork_app::common::{ContactId, UserId};
use fieldwork_server::db::Db;
use fieldwork_server::seed::scale::{Plan, DOMAIN, PASSWORD};
use support::report;

mod support;
const RUNS: usize = 200;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let n: usize = std::env::var("FIELDWORK_BENCH_CONTACTS").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    let engines = std::env::var("FIELDWORK_BENCH_ENGINES").unwrap_or_else(|_| "sqlite,postgres".into());
    for engine in engines.split(',') {
        let (db, url) = support::scaled(engine.trim(), Plan::new(n, 7)).await?;
        let (office, rep, page_contact) = prepare(&db).await?;
        let (area, budget) = custom_fields(&db).await?;
        let base = support::serve(&db, &url).await?;
        println!("\n{engine}: {n} contacts");
        support::measuring(engine, n as u64);
        println!("{:<44} {:>9} {:>9}", "request", "p50 ms", "p95 ms");
        let phones: Vec<String> =
            sqlx::query_scalar("SELECT phones FROM contacts WHERE deleted = 0 LIMIT 200").fetch_all(db.pool()).await?;
        let fragments: Vec<String> =
            phones.iter().map(|p| p.chars().filter(char::is_ascii_digit).skip(5).take(6).collect()).collect();
        let prefixes =
            ["rah", "kar", "fat", "tan", "nus", "sad", "ari", "mah", "shi", "raf", "far", "imr", "sab", "kam"];
        for (who, email) in [("office", &office), ("rep", &rep)] {
            let client = support::sign_in_with(&base, email, PASSWORD).await?;
            let get = |path: String| {
                let (client, base) = (client.clone(), base.clone());
                async move {
                    let r = client.get(format!("{base}{path}")).send().await?;
                    anyhow::ensure!(r.status().is_success(), "{path}: {}", r.status());
                    r.bytes().await?;
                    Ok(())
                }
            };
            report(&format!("{who}: contact list, first page (50)"), RUNS, |_| get("/api/v1/contacts?limit=50".into()))
                .await?;
            report(&format!("{who}: search by name prefix"), RUNS, |i| {
                get(format!("/api/v1/contacts?q={}", prefixes[i % prefixes.len()]))
            })
            .await?;
            report(&format!("{who}: search by phone fragment (6 digits)"), RUNS, |i| {
                get(format!("/api/v1/contacts?q={}", fragments[i % fragments.len()]))
            })
            .await?;
            report(&format!("{who}: filter on a custom choice (1 in 16)"), RUNS, |i| {
                get(format!("/api/v1/contacts?limit=50&custom={area}%3D{}", AREAS[i % AREAS.len()]))
            })
            .await?;
            report(&format!("{who}: filter on a custom number range"), RUNS, |i| {
                let low = 1_000_000 * (1 + i % 20);
                get(format!("/api/v1/contacts?limit=50&custom={budget}~{low}..{}", low + 2_000_000))
            })
            .await?;
            report(&format!("{who}: map points, all in scope (≤5,000)"), RUNS, |_| get("/api/v1/map/points".into()))
                .await?;
            report(&format!("{who}: map points, a 2 km box"), RUNS, |_| {
                get("/api/v1/map/points?west=90.40&south=23.78&east=90.42&north=23.80".into())
            })
            .await?;
        }
        let client = support::sign_in_with(&base, &office, PASSWORD).await?;
        report("office: contact page (200-entry timeline)", RUNS, |_| {
            let (client, base) = (client.clone(), base.clone());
            async move {
                let a = client.get(format!("{base}/api/v1/contacts/{page_contact}")).send();
                let b = client.get(format!("{base}/api/v1/contacts/{page_contact}/timeline?limit=50"));
                let (a, b) = tokio::join!(a, b.send());
                anyhow::ensure!(a?.status().is_success() && b?.status().is_success(), "contact page failed");
                Ok(())
            }
        })
        .await?;
        report("office: whole 200-entry timeline in one page", RUNS, |_| {
            let (client, base) = (client.clone(), base.clone());
            async move {
                let r = client.get(format!("{base}/api/v1/contacts/{page_contact}/timeline?limit=200")).send().await?;
                let entries: serde_json::Value = r.json().await?;
                anyhow::ensure!(entries["items"].as_array().map_or(0, Vec::len) >= 200, "timeline is short");
                Ok(())
            }
        })
        .await?;
        db.close().await;
    }
    Ok(())
}

/// The choices of the benchmark's "area" field: a contact's is the 30th character of its id
/// (random hex in a `UUIDv7`), so each holds about one contact in 16.
const AREAS: [&str; 16] =
    ["a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9", "aa", "ab", "ac", "ad", "ae", "af"];

/// A several-choice "area" and a money "budget" field on contacts, every contact holding an
/// area and a budget (written straight into the filter index on first use, as a bulk load
/// would); the two fields' keys.
async fn custom_fields(db: &Db) -> anyhow::Result<(String, String)> {
    let (area, budget) = ("bench_area".to_string(), "bench_price".to_string());
    let have: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM custom_fields WHERE field_key IN ($1, $2)")
        .bind(&area)
        .bind(&budget)
        .fetch_one(db.pool())
        .await?;
    if have == 2 {
        return Ok((area, budget));
    }
    sqlx::query("DELETE FROM custom_values").execute(db.pool()).await?;
    sqlx::query("DELETE FROM custom_fields WHERE field_key LIKE 'bench_%'").execute(db.pool()).await?;
    println!("giving every contact two custom values (once; later runs reuse them)");
    let choices: Vec<serde_json::Value> =
        AREAS.iter().map(|k| serde_json::json!({"key": k, "label": {"en": format!("Area {k}")}})).collect();
    let defs = [
        serde_json::json!({"record_type": "contact", "key": area, "label": {"en": "Area"}, "kind": "choices", "choices": choices}),
        serde_json::json!({"record_type": "contact", "key": budget, "label": {"en": "Budget"}, "kind": "money"}),
    ];
    let admin: String = sqlx::query_scalar("SELECT id FROM users WHERE role = 'admin' ORDER BY id LIMIT 1")
        .fetch_one(db.pool())
        .await?;
    let mut ids = Vec::new();
    for def in defs {
        let input: fieldwork_app::fields::FieldDefInput = serde_json::from_value(def)?;
        ids.push(fieldwork_server::fields::actions::define(db, &input, admin.parse()?).await?);
    }
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO custom_values (field_id, record_id, text_value, num_value) \
         SELECT $1, id, 'a' || substr(id, 30, 1), NULL FROM contacts WHERE deleted = 0",
    )
    .bind(ids[0].to_string())
    .execute(tx.conn())
    .await?;
    // A budget of 1 to 41 million (minor units), in 40 even steps by the position, then by the
    // name's length: a range of 2 million holds about one contact in 20.
    sqlx::query(
        "INSERT INTO custom_values (field_id, record_id, text_value, num_value) \
         SELECT $1, id, NULL, CAST((CAST(ABS(COALESCE(lon, 0)) * 100000 AS BIGINT) % 40 + 1) * 1000000 \
         + length(name) * 1000 AS DOUBLE PRECISION) FROM contacts WHERE deleted = 0",
    )
    .bind(ids[1].to_string())
    .execute(tx.conn())
    .await?;
    tx.commit().await?;
    sqlx::query("ANALYZE custom_values").execute(db.pool()).await?;
    Ok((area, budget))
}

/// The office and rep logins and the contact whose page is measured: the first rep's, given
/// 200 calls and notes on first use.
async fn prepare(db: &Db) -> anyhow::Result<(String, String, ContactId)> {
    let (office, rep) = (format!("office1@{DOMAIN}"), format!("rep1@{DOMAIN}"));
    let long: Option<String> =
        sqlx::query_scalar("SELECT contact_id FROM activities GROUP BY contact_id HAVING COUNT(*) >= 200 LIMIT 1")
            .fetch_optional(db.pool())
            .await?;
    if let Some(id) = long {
        return Ok((office, rep, id.parse()?));
    }
    let owner: String =
        sqlx::query_scalar("SELECT id FROM users WHERE email = $1").bind(&rep).fetch_one(db.pool()).await?;
    let owner: UserId = owner.parse()?;
    let id: String = sqlx::query_scalar("SELECT id FROM contacts WHERE owner_id = $1 ORDER BY id LIMIT 1")
        .bind(owner.to_string())
        .fetch_one(db.pool())
        .await?;
    let contact: ContactId = id.parse()?;
    let mut tx = db.begin_write().await?;
    let now = chrono::Utc::now();
    for i in 0..200 {
        let kind = if i % 3 == 0 { "note" } else { "call" };
        let a = ActivityForCreate {
            kind: kind.into(),
            occurred_at: Some(now - chrono::Duration::hours(i)),
            body: format!("entry {i}: talked about the flat in Gulshan"),
            duration_s: (kind == "call").then_some(60 + i),
            ..Default::default()
        }
        .validate(now)
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        fieldwork_server::activities::actions::record(&mut tx, contact, owner, &a).await?;
    }
    tx.commit().await?;
    Ok((office, rep, contact))
}
