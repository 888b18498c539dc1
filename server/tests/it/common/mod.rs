//! Test helpers: a fresh database per test on the engine chosen by `FIELDWORK_TEST_ENGINE`
//! (`sqlite`, the default, or `postgres` at `FIELDWORK_TEST_POSTGRES_URL`), and the real
//! router served on an ephemeral port.

use fieldwork_app::users::User;
use fieldwork_server::config::Settings;
use fieldwork_server::db::Db;
use fieldwork_server::AppState;
use sqlx::Connection;

pub const PASSWORD: &str = "a long test password";

/// The organisation's time zone the tests' users are added in (the demo agency's).
pub fn zone() -> fieldwork_app::common::TimeZone {
    Settings::for_tests("").time_zone
}

pub fn engine() -> String {
    std::env::var("FIELDWORK_TEST_ENGINE").unwrap_or_else(|_| "sqlite".into())
}

/// A URL of a new, empty database.
pub async fn fresh_database_url() -> String {
    let name = format!("fw_test_{}", uuid::Uuid::now_v7().simple());
    if engine() == "postgres" {
        let base = std::env::var("FIELDWORK_TEST_POSTGRES_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
        sqlx::any::install_default_drivers();
        let mut admin = sqlx::AnyConnection::connect(&base).await.expect("PostgreSQL is reachable");
        sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut admin).await.expect("create test database");
        let (prefix, _) = base.rsplit_once('/').expect("URL has a database name");
        format!("{prefix}/{name}")
    } else {
        let path = std::env::temp_dir().join(format!("{name}.db"));
        format!("sqlite://{}", path.display())
    }
}

pub async fn fresh_db() -> Db {
    let db = Db::connect(&fresh_database_url().await).await.expect("connect");
    fieldwork_server::startup::prepare(&db).await.expect("prepare");
    db
}

pub struct TestApp {
    pub base: String,
    pub db: Db,
    /// The served app's state: its settings (where the file mailer writes) and its jobs.
    pub state: AppState,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A client that keeps cookies, like a browser.
    #[allow(clippy::unused_self)] // a client of this app, though it needs none of it yet
    pub fn browser(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client")
    }

    /// A user of `role` with [`PASSWORD`].
    pub async fn user(&self, role: &str) -> User {
        let email = format!("{role}-{}@example.com", uuid::Uuid::now_v7().simple());
        fieldwork_server::seed::add_user(
            &self.db,
            &crate::common::zone(),
            &email,
            &format!("Test {role}"),
            role,
            PASSWORD,
        )
        .await
        .expect("add user")
    }

    /// A signed-in browser for a new user of `role`.
    pub async fn signed_in(&self, role: &str) -> (reqwest::Client, User) {
        let user = self.user(role).await;
        let client = self.browser();
        let response = client
            .post(self.url("/api/v1/auth/login"))
            .json(&serde_json::json!({"email": user.email, "password": PASSWORD}))
            .send()
            .await
            .expect("login request");
        assert_eq!(response.status(), 200, "login of a fresh {role}");
        (client, user)
    }
}

pub async fn spawn_app() -> TestApp {
    let url = fresh_database_url().await;
    let db = Db::connect(&url).await.expect("connect");
    fieldwork_server::startup::prepare(&db).await.expect("prepare");
    let state = AppState::new(db.clone(), Settings::for_tests(&url));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(fieldwork_server::serve(state.clone(), listener));
    TestApp { base: format!("http://{addr}"), db, state }
}

/// A browser-like client (cookies kept) signed in as `email` at the server at `base`.
pub async fn sign_in_at(base: &str, email: &str, password: &str) -> reqwest::Client {
    let client = reqwest::Client::builder().cookie_store(true).build().expect("client");
    let r = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&serde_json::json!({"email": email, "password": password}))
        .send()
        .await
        .expect("login request");
    assert_eq!(r.status(), 200, "sign in {email}");
    client
}

/// How many audit entries record `action`.
pub async fn audited(db: &Db, action: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = $1")
        .bind(action)
        .fetch_one(db.pool())
        .await
        .expect("audit count")
}

/// The names of the fields a 400 answer says are wrong, in order.
pub fn error_fields(body: &serde_json::Value) -> Vec<String> {
    body["error"]["fields"].as_object().map(|f| f.keys().cloned().collect()).unwrap_or_default()
}

/// `GET url` as `client`, answered as JSON.
pub async fn get_json(client: &reqwest::Client, url: &str) -> serde_json::Value {
    client.get(url).send().await.expect("request").json().await.expect("JSON body")
}
