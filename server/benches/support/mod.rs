//! What the HTTP benchmarks share: the real server on a free local port, and signed-in clients.

use fieldwork_server::config::Settings;
use fieldwork_server::db::Db;
use fieldwork_server::AppState;
use sqlx::Connection;
use std::time::{Duration, Instant};

/// The password of every benchmark user.
pub const PASSWORD: &str = "benchmark password";

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
    let client = reqwest::Client::builder().cookie_store(true).build()?;
    let r = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&serde_json::json!({"email": email, "password": PASSWORD}))
        .send()
        .await?;
    anyhow::ensure!(r.status().is_success(), "sign-in of {email}: {}", r.status());
    Ok(client)
}

/// A database for benchmark `name` on `engine` (`sqlite`: a file under `target/bench`, kept
/// between runs; `postgres`: a database at `FIELDWORK_TEST_POSTGRES_URL`, created when missing).
#[allow(dead_code)] // each bench binary compiles this module and uses part of it
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

/// Runs `request` 20 times to warm up, then `runs` times, and prints the label with p50 and p95.
#[allow(dead_code)] // each bench binary compiles this module and uses part of it
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
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!("{label:<48} {:>9.2} {:>9.2}", ms(times[runs / 2]), ms(times[runs * 95 / 100]));
    Ok(())
}
