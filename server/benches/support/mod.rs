//! What the benchmarks share: the real server on a free local port, signed-in clients, and
//! the figures each measurement records for `cargo xtask bench`'s table.

// Each bench binary compiles this module and uses part of it.
#![allow(dead_code)]

use fieldwork_server::config::Settings;
use fieldwork_server::db::Db;
use fieldwork_server::AppState;
use sqlx::Connection;
use std::time::{Duration, Instant};

/// The password of every benchmark user.
pub const PASSWORD: &str = "benchmark password";

/// The organisation's time zone the benches' users are added in (the default setting's).
pub fn zone() -> fieldwork_app::common::TimeZone {
    Settings::for_tests("").time_zone
}

/// Starts the server over `db` (opened from `url`); answers its base URL.
pub async fn serve(db: &Db, url: &str) -> anyhow::Result<String> {
    let state = AppState::new(db.clone(), Settings::for_tests(url));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    tokio::spawn(fieldwork_server::serve(state, listener));
    Ok(base)
}

/// A client signed in as `email` (with [`PASSWORD`]) that keeps its session cookie.
pub async fn sign_in(base: &str, email: &str) -> anyhow::Result<reqwest::Client> {
    sign_in_with(base, email, PASSWORD).await
}

/// A client signed in as `email` with `password` that keeps its session cookie.
pub async fn sign_in_with(base: &str, email: &str, password: &str) -> anyhow::Result<reqwest::Client> {
    let client = reqwest::Client::builder().cookie_store(true).build()?;
    let r = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&serde_json::json!({"email": email, "password": password}))
        .send()
        .await?;
    anyhow::ensure!(r.status().is_success(), "sign-in of {email}: {}", r.status());
    Ok(client)
}

/// A database for benchmark `name` on `engine` (`sqlite`: a file under `target/bench`, kept
/// between runs; `postgres`: a database at `FIELDWORK_TEST_POSTGRES_URL`, created when missing).
pub async fn database_url(engine: &str, name: &str) -> anyhow::Result<String> {
    Ok(match engine {
        "sqlite" => {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/bench");
            std::fs::create_dir_all(&dir)?;
            format!("sqlite://{}/{name}.db", dir.display())
        }
        "postgres" => {
            let base = std::env::var("FIELDWORK_TEST_POSTGRES_URL")
                .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
            sqlx::any::install_default_drivers();
            let mut admin = sqlx::AnyConnection::connect(&base).await?;
            let name = format!("fw_bench_{name}");
            let exists: Option<i32> = sqlx::query_scalar("SELECT 1 FROM pg_database WHERE datname = $1")
                .bind(&name)
                .fetch_optional(&mut admin)
                .await?;
            if exists.is_none() {
                sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut admin).await?;
            }
            let (prefix, _) = base.rsplit_once('/').unwrap_or((&base, ""));
            format!("{prefix}/{name}")
        }
        other => anyhow::bail!("unknown engine {other}: use sqlite or postgres"),
    })
}

/// The database of a company `fieldwork seed --scale` makes from `plan` on `engine`, seeded on
/// first use and kept for later runs (delete it to seed again).
pub async fn scaled(engine: &str, plan: fieldwork_server::seed::scale::Plan) -> anyhow::Result<(Db, String)> {
    let url = database_url(engine, &format!("scale_{}_{}_{}", plan.contacts, plan.reps, plan.seed)).await?;
    let db = Db::connect(&url).await?;
    fieldwork_server::startup::prepare(&db).await?;
    let have: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM contacts").fetch_one(db.pool()).await?;
    if have == 0 {
        println!("seeding {} contacts and {} reps on {engine} (once; later runs reuse it)", plan.contacts, plan.reps);
        println!("{}", fieldwork_server::seed::scale::seed(&db, plan).await?);
    } else {
        anyhow::ensure!(
            usize::try_from(have).is_ok_and(|have| have == plan.contacts),
            "{url} holds {have} contacts, not {}: delete it",
            plan.contacts
        );
    }
    Ok((db, url))
}

/// Runs `request` 20 times to warm up, then `runs` times, prints the label with p50 and p95,
/// and records the figures under the engine and size of the last [`measuring`].
pub async fn report<F, Fut>(label: &str, runs: usize, request: F) -> anyhow::Result<()>
where
    F: Fn(usize) -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<()>>,
{
    for i in 0..20 {
        request(i).await?;
    }
    let mut times: Vec<Duration> = Vec::with_capacity(runs);
    for i in 0..runs {
        let started = Instant::now();
        request(i).await?;
        times.push(started.elapsed());
    }
    times.sort();
    let ms = |share: f64| percentile(&times, share).as_secs_f64() * 1000.0;
    println!("{label:<48} {:>9.2} {:>9.2}", ms(0.5), ms(0.95));
    let (engine, n) = CONTEXT.lock().map(|c| c.clone()).unwrap_or_default();
    record(label, &engine, n, &times, None);
    Ok(())
}

static CONTEXT: std::sync::Mutex<(String, u64)> = std::sync::Mutex::new((String::new(), 0));

/// Names the engine and data size that the next [`report`]s measure.
pub fn measuring(engine: &str, n: u64) {
    if let Ok(mut c) = CONTEXT.lock() {
        *c = (engine.to_string(), n);
    }
}

/// The time under which `share` (0–1) of `sorted` fall (nearest rank).
pub fn percentile(sorted: &[Duration], share: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // a share (0 to 1) of the count
    let rank = (share * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// The most memory this process has held (resident), in bytes (Linux; 0 elsewhere).
pub fn peak_memory() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}

/// Records one measurement for `cargo xtask bench`: its name, engine (or `-`), size, the
/// percentiles of `times`, throughput (operations per second; by default one operation per
/// timing, in sequence) and this process's peak memory so far. Written as a tab-separated line
/// (bench, name, engine, n, p50 ms, p95 ms, p99 ms, per second, peak bytes) to the file
/// `FIELDWORK_BENCH_OUT` names, when it names one.
pub fn record(name: &str, engine: &str, n: u64, times: &[Duration], per_second: Option<f64>) {
    let Ok(path) = std::env::var("FIELDWORK_BENCH_OUT") else { return };
    let mut sorted = times.to_vec();
    sorted.sort();
    let ms = |share: f64| percentile(&sorted, share).as_secs_f64() * 1000.0;
    let total: f64 = sorted.iter().map(Duration::as_secs_f64).sum();
    let per_second = per_second.unwrap_or(if total > 0.0 { sorted.len() as f64 / total } else { 0.0 });
    let bench = std::env::args()
        .next()
        .and_then(|a| a.rsplit('/').next().and_then(|b| b.split('-').next()).map(str::to_string))
        .unwrap_or_default();
    let engine = if engine.is_empty() { "-" } else { engine };
    let line = format!(
        "{bench}\t{}\t{engine}\t{n}\t{:.3}\t{:.3}\t{:.3}\t{per_second:.3}\t{}",
        name.replace('\t', " "),
        ms(0.50),
        ms(0.95),
        ms(0.99),
        peak_memory()
    );
    use std::io::Write;
    let written =
        std::fs::OpenOptions::new().create(true).append(true).open(&path).and_then(|mut f| writeln!(f, "{line}"));
    if let Err(e) = written {
        eprintln!("could not record a figure in {path}: {e}");
    }
}
