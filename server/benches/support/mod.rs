//! What the HTTP benchmarks share: the real server on a free local port, and signed-in clients.

use fieldwork_server::config::Settings;
use fieldwork_server::db::Db;
use fieldwork_server::AppState;

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
