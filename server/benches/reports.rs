//! The manager dashboard at scale, through the real router over HTTP, on `SQLite` and `PostgreSQL`.
//!
//! `cargo bench -p fieldwork-server --bench reports` seeds (once; later runs reuse it) the
//! company `fieldwork seed --scale` makes of `FIELDWORK_BENCH_CONTACTS` contacts (default
//! 1,000,000: about five million activities, 200 reps under 10 managers in 100 territories, a
//! meeting per three contacts with its visit, a deal per ten with its stage history, a survey
//! answer per seven visits, over two years); then prints p50/p95 of
//! `GET /api/v1/dashboard/manager` (all six reports) for the last 30 and 90 days, as office
//! staff (the whole company, 200 reps) and as a manager (a team of 20).
//!
//! `FIELDWORK_BENCH_ENGINES=sqlite,postgres` picks the engines.

use fieldwork_server::seed::scale::{Plan, DOMAIN, PASSWORD};
use std::time::{Duration, Instant};

mod support;

const RUNS: usize = 10;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    // `FIELDWORK_LOG=sqlx::query=debug` shows every statement with its time.
    if let Ok(filter) = tracing_subscriber::EnvFilter::try_from_env("FIELDWORK_LOG") {
        tracing_subscriber::fmt().with_env_filter(filter).init();
    }
    let n: usize = std::env::var("FIELDWORK_BENCH_CONTACTS").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    let engines = std::env::var("FIELDWORK_BENCH_ENGINES").unwrap_or_else(|_| "sqlite,postgres".into());
    for engine in engines.split(',') {
        let plan = Plan::new(n, 7);
        let (db, url) = support::scaled(engine.trim(), plan).await?;
        let counts: (i64, i64, i64) = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM contacts), (SELECT COUNT(*) FROM activities), (SELECT COUNT(*) FROM visits)",
        )
        .fetch_one(db.pool())
        .await?;
        let base = support::serve(&db, &url).await?;
        println!("\n{engine}: {} contacts, {} activities, {} visits, {} reps", counts.0, counts.1, counts.2, plan.reps);
        println!("{:<52} {:>9} {:>9}", "request", "p50 ms", "p95 ms");
        for (who, email) in [
            (format!("office ({} reps)", plan.reps), format!("office1@{DOMAIN}")),
            (format!("manager ({} reps)", plan.reps.div_ceil(plan.managers)), format!("manager1@{DOMAIN}")),
        ] {
            let client = support::sign_in_with(&base, &email, PASSWORD).await?;
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
                let label = format!("{who}: manager dashboard, last {days} days");
                println!(
                    "{label:<52} {:>9.1} {:>9.1}",
                    ms(support::percentile(&times, 0.5)),
                    ms(support::percentile(&times, 0.95))
                );
                support::record(&label, engine, n as u64, &times, None);
            }
        }
        db.close().await;
    }
    Ok(())
}
