//! The manager dashboard at scale, through the real router over HTTP, on SQLite and PostgreSQL.
//!
//! `cargo bench -p fieldwork-server --bench reports` seeds (once; later runs reuse it) a company
//! of `FIELDWORK_BENCH_CONTACTS` contacts (default 1,000,000), five activities per contact,
//! 200 reps under 10 managers in 100 territories, a visit and a planned meeting per three
//! contacts, a deal per ten (with its stage history) and an answered survey per twenty, spread
//! over the last year; then prints p50/p95 of `GET /api/v1/dashboard/manager` (all six reports)
//! for the last 30 and 90 days, as office staff (the whole company, 200 reps) and as a manager
//! (a team of 20).
//!
//! `FIELDWORK_BENCH_ENGINES=sqlite,postgres` picks the engines.

use fieldwork_app::common::UserId;
use fieldwork_server::db::Db;
use fieldwork_server::seed;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::time::{Duration, Instant};
use support::{sign_in, PASSWORD};

mod support;

const REPS: usize = 200;
const MANAGERS: usize = 10;
const TERRITORIES: usize = 100;
const DAY: i64 = 86_400_000;
const YEAR: i64 = 365 * DAY;
const RUNS: usize = 10;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let n: usize = std::env::var("FIELDWORK_BENCH_CONTACTS").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    let engines = std::env::var("FIELDWORK_BENCH_ENGINES").unwrap_or_else(|_| "sqlite,postgres".into());
    for engine in engines.split(',') {
        let url = support::database_url(engine.trim(), &format!("reports_{n}")).await?;
        let db = Db::connect(&url).await?;
        db.migrate().await?;
        prepare(&db, n).await?;
        let counts: (i64, i64, i64) = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM contacts), (SELECT COUNT(*) FROM activities), (SELECT COUNT(*) FROM visits)",
        )
        .fetch_one(db.pool())
        .await?;
        let base = support::serve(&db, &url).await?;
        println!("\n{engine}: {} contacts, {} activities, {} visits, {REPS} reps", counts.0, counts.1, counts.2);
        println!("{:<52} {:>9} {:>9}", "request", "p50 ms", "p95 ms");
        for (who, email) in
            [("office (200 reps)", "office@reports.bench"), ("manager (20 reps)", "manager0@reports.bench")]
        {
            let client = sign_in(&base, email).await?;
            for days in [30, 90] {
                let today = chrono::Utc::now().date_naive();
                let from = today - chrono::Duration::days(days - 1);
                let path = format!("/api/v1/dashboard/manager?from={from}&to={today}");
                let mut times = Vec::with_capacity(RUNS);
                for i in 0..RUNS + 2 {
                    let started = Instant::now();
                    let r = client.get(format!("{base}{path}")).send().await?;
                    anyhow::ensure!(r.status().is_success(), "{path}: {}", r.status());
                    r.bytes().await?;
                    if i >= 2 {
                        times.push(started.elapsed());
                    }
                }
                times.sort();
                let ms = |d: Duration| d.as_secs_f64() * 1000.0;
                println!(
                    "{:<52} {:>9.1} {:>9.1}",
                    format!("{who}: manager dashboard, last {days} days"),
                    ms(times[RUNS / 2]),
                    ms(times[RUNS * 95 / 100])
                );
            }
        }
        db.close().await;
    }
    Ok(())
}

enum V {
    T(String),
    I(i64),
}

/// Inserts `rows` of `columns` into `table` in multi-row statements, a transaction per batch.
async fn bulk(db: &Db, table: &str, columns: &[&str], rows: impl Iterator<Item = Vec<V>>) -> anyhow::Result<usize> {
    let per = 30_000 / columns.len();
    let mut rows = rows.peekable();
    let mut written = 0;
    while rows.peek().is_some() {
        let batch: Vec<Vec<V>> = rows.by_ref().take(per).collect();
        let values: Vec<String> = (0..batch.len())
            .map(|r| {
                let p: Vec<String> = (1..=columns.len()).map(|k| format!("${}", r * columns.len() + k)).collect();
                format!("({})", p.join(", "))
            })
            .collect();
        let sql = format!("INSERT INTO {table} ({}) VALUES {}", columns.join(", "), values.join(", "));
        let mut q = sqlx::query(&sql);
        for row in &batch {
            for v in row {
                q = match v {
                    V::T(t) => q.bind(t.as_str()),
                    V::I(i) => q.bind(*i),
                };
            }
        }
        let mut tx = db.begin_write().await?;
        q.execute(tx.conn()).await?;
        tx.commit().await?;
        written += batch.len();
    }
    Ok(written)
}

fn id() -> String {
    uuid::Uuid::now_v7().to_string()
}

async fn prepare(db: &Db, n: usize) -> anyhow::Result<()> {
    let have: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM contacts").fetch_one(db.pool()).await?;
    if have as usize >= n {
        return Ok(());
    }
    let started = Instant::now();
    let now = fieldwork_server::db::now_ms();
    seed::add_user(db, "office@reports.bench", "Bench Office", "office", PASSWORD).await?;
    let mut managers = Vec::new();
    for m in 0..MANAGERS {
        managers.push(
            seed::add_user(db, &format!("manager{m}@reports.bench"), &format!("Manager {m}"), "manager", PASSWORD)
                .await?
                .id,
        );
    }
    let mut reps: Vec<UserId> = Vec::new();
    for r in 0..REPS {
        let rep =
            seed::add_user(db, &format!("rep{r}@reports.bench"), &format!("Rep {r:03}"), "rep", PASSWORD).await?.id;
        sqlx::query("UPDATE users SET manager_id = $2 WHERE id = $1")
            .bind(rep.to_string())
            .bind(managers[r % MANAGERS].to_string())
            .execute(db.pool())
            .await?;
        reps.push(rep);
    }
    let territories: Vec<String> = (0..TERRITORIES).map(|_| id()).collect();
    let square =
        r#"{"type":"Polygon","coordinates":[[[90.0,23.0],[90.01,23.0],[90.01,23.01],[90.0,23.01],[90.0,23.0]]]}"#;
    bulk(
        db,
        "territories",
        &["id", "name", "colour", "geometry", "created_at", "updated_at", "version"],
        territories.iter().enumerate().map(|(i, t)| {
            vec![
                V::T(t.clone()),
                V::T(format!("Territory {i:03}")),
                V::T("#0f766e".into()),
                V::T(square.into()),
                V::I(now),
                V::I(now),
                V::I(1),
            ]
        }),
    )
    .await?;
    bulk(
        db,
        "territory_assignments",
        &["id", "territory_id", "user_id", "starts_on", "created_at", "updated_at", "version"],
        reps.iter().enumerate().map(|(i, r)| {
            vec![
                V::T(id()),
                V::T(territories[i / 2].clone()),
                V::T(r.to_string()),
                V::T("2020-01-01".into()),
                V::I(now),
                V::I(now),
                V::I(1),
            ]
        }),
    )
    .await?;
    let written = seed::bulk::insert_contacts(db, seed::bulk::generate(11, n, &reps)).await?;
    println!("seeded {written} contacts in {:.0} s", started.elapsed().as_secs_f64());
    // Contacts were made over the last year, in their owner's territory.
    let contacts: Vec<(String, String)> =
        sqlx::query_as("SELECT id, owner_id FROM contacts ORDER BY id").fetch_all(db.pool()).await?;
    let mut rng = StdRng::seed_from_u64(3);
    let mut tx = db.begin_write().await?;
    for (i, chunk) in contacts.chunks(5_000).enumerate() {
        let created = now - YEAR + (i as i64 * 5_000 * YEAR / n as i64);
        let ids: Vec<String> = (0..chunk.len()).map(|k| format!("${}", k + 2)).collect();
        let sql = format!("UPDATE contacts SET created_at = $1 WHERE id IN ({})", ids.join(", "));
        let mut q = sqlx::query(&sql).bind(created);
        for (c, _) in chunk {
            q = q.bind(c.as_str());
        }
        q.execute(tx.conn()).await?;
    }
    for (r, rep) in reps.iter().enumerate() {
        sqlx::query("UPDATE contacts SET territory_id = $2 WHERE owner_id = $1")
            .bind(rep.to_string())
            .bind(territories[r / 2].as_str())
            .execute(tx.conn())
            .await?;
    }
    tx.commit().await?;
    println!("placed and dated the contacts at {:.0} s", started.elapsed().as_secs_f64());

    let kinds = ["call", "call", "call", "note", "email", "sms"];
    let activities = bulk(
        db,
        "activities",
        &["id", "contact_id", "author_id", "kind", "occurred_at", "body", "created_at", "updated_at", "version"],
        (0..contacts.len() * 5).map(|i| {
            let (c, owner) = &contacts[(i * 7919) % contacts.len()];
            let at = now - (i as i64 * 104_729) % YEAR;
            vec![
                V::T(id()),
                V::T(c.clone()),
                V::T(owner.clone()),
                V::T(kinds[i % kinds.len()].into()),
                V::I(at),
                V::T(String::new()),
                V::I(at),
                V::I(at),
                V::I(1),
            ]
        }),
    )
    .await?;
    println!("seeded {activities} activities at {:.0} s", started.elapsed().as_secs_f64());

    let visits: Vec<(String, String, String, i64)> = contacts
        .iter()
        .step_by(3)
        .enumerate()
        .map(|(i, (c, owner))| (id(), c.clone(), owner.clone(), now - (i as i64 * 7_777_777) % YEAR))
        .collect();
    bulk(
        db,
        "appointments",
        &[
            "id",
            "kind",
            "title",
            "starts_at",
            "ends_at",
            "time_zone",
            "assignee_id",
            "contact_id",
            "status",
            "created_at",
            "updated_at",
            "version",
        ],
        visits.iter().map(|(_, c, owner, at)| {
            vec![
                V::T(id()),
                V::T("meeting".into()),
                V::T("Visit".into()),
                V::I(*at),
                V::I(at + 1_800_000),
                V::T("Asia/Dhaka".into()),
                V::T(owner.clone()),
                V::T(c.clone()),
                V::T("done".into()),
                V::I(*at),
                V::I(*at),
                V::I(1),
            ]
        }),
    )
    .await?;
    bulk(
        db,
        "visits",
        &["id", "rep_id", "contact_id", "check_in_at", "far", "check_out_at", "created_at", "updated_at", "version"],
        visits.iter().enumerate().map(|(i, (v, c, owner, at))| {
            vec![
                V::T(v.clone()),
                V::T(owner.clone()),
                V::T(c.clone()),
                V::I(*at),
                V::I(i64::from(i % 20 == 0)),
                V::I(at + 2_400_000),
                V::I(*at),
                V::I(*at),
                V::I(1),
            ]
        }),
    )
    .await?;
    bulk(
        db,
        "feedback",
        &["id", "contact_id", "visit_id", "csat", "nps", "answered_at", "created_at", "updated_at", "version"],
        visits.iter().step_by(7).map(|(v, c, _, at)| {
            let csat = rng.gen_range(1..=5);
            let nps = rng.gen_range(0..=10);
            vec![
                V::T(id()),
                V::T(c.clone()),
                V::T(v.clone()),
                V::I(csat),
                V::I(nps),
                V::I(at + 7_200_000),
                V::I(*at),
                V::I(*at),
                V::I(1),
            ]
        }),
    )
    .await?;
    println!(
        "seeded {} visits and their meetings and surveys at {:.0} s",
        visits.len(),
        started.elapsed().as_secs_f64()
    );

    let stages = ["inquiry", "proposal", "negotiation", "won", "lost"];
    let deals: Vec<(String, String, String, usize, i64)> = contacts
        .iter()
        .step_by(10)
        .enumerate()
        .map(|(i, (c, owner))| (id(), c.clone(), owner.clone(), i % stages.len(), now - (i as i64 * 3_333_333) % YEAR))
        .collect();
    bulk(
        db,
        "deals",
        &[
            "id",
            "contact_id",
            "title",
            "stage",
            "value_amount",
            "value_currency",
            "owner_id",
            "stage_changed_at",
            "created_at",
            "updated_at",
            "version",
        ],
        deals.iter().map(|(d, c, owner, s, at)| {
            vec![
                V::T(d.clone()),
                V::T(c.clone()),
                V::T("Deal".into()),
                V::T(stages[*s].into()),
                V::I(1_000_000),
                V::T("BDT".into()),
                V::T(owner.clone()),
                V::I(*at),
                V::I(at - 20 * DAY),
                V::I(*at),
                V::I(1),
            ]
        }),
    )
    .await?;
    bulk(
        db,
        "deal_stage_history",
        &["id", "deal_id", "to_stage", "at"],
        deals
            .iter()
            .map(|(d, _, _, _, at)| vec![V::T(id()), V::T(d.clone()), V::T("inquiry".into()), V::I(at - 20 * DAY)]),
    )
    .await?;
    bulk(
        db,
        "deal_stage_history",
        &["id", "deal_id", "from_stage", "to_stage", "at", "from_entered_at"],
        deals.iter().filter(|(_, _, _, s, _)| *s > 0).map(|(d, _, _, s, at)| {
            vec![
                V::T(id()),
                V::T(d.clone()),
                V::T("inquiry".into()),
                V::T(stages[*s].into()),
                V::I(*at),
                V::I(at - 20 * DAY),
            ]
        }),
    )
    .await?;
    println!("seeded {} deals at {:.0} s", deals.len(), started.elapsed().as_secs_f64());
    Ok(())
}
