//! The fuzz targets' harness (`cargo xtask fuzz`): the real router, in process, over a scratch
//! SQLite database holding an admin, a rep and a public lead form. Each target sends libFuzzer's
//! bytes to one endpoint as the user who would send them; a 5xx, a panic anywhere (libfuzzer-sys
//! turns it into an abort, spawned tasks included) or an import that never finishes is a crash.
//! The endpoints' own body limits bound what one input can make the server hold.

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::Router;
use fieldwork_server::config::Settings;
use fieldwork_server::db::Db;
use fieldwork_server::AppState;
use http::{header, Method, Request};
use serde_json::Value;
use std::net::SocketAddr;
use std::sync::OnceLock;
use std::time::{Duration, Instant};
use tower::ServiceExt;

const PASSWORD: &str = "a long fuzzing password";

/// Who sends a request: a signed-in office admin, a signed-in rep, or a website visitor.
#[derive(Clone, Copy)]
enum Who {
    Office,
    Rep,
    Visitor,
}

struct Harness {
    rt: tokio::runtime::Runtime,
    router: Router,
    office: String,
    rep: String,
    /// `/api/v1/forms/{id}/submissions` of the lead form.
    form: String,
}

fn harness() -> &'static Harness {
    static HARNESS: OnceLock<Harness> = OnceLock::new();
    HARNESS.get_or_init(Harness::new)
}

impl Harness {
    fn new() -> Harness {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
        let path = std::env::temp_dir().join(format!("fw_test_fuzz_{}.db", std::process::id()));
        let _ = std::fs::remove_file(&path);
        let url = format!("sqlite://{}", path.display());
        let (router, admin) = rt.block_on(async {
            let db = Db::connect(&url).await.expect("scratch database");
            fieldwork_server::startup::prepare(&db).await.expect("prepare");
            let mut settings = Settings::for_tests(&url);
            // Every input comes from one address; the per-address limit is not what is fuzzed.
            settings.form_rate_per_minute = u32::MAX;
            let zone = fieldwork_server::config::Settings::for_tests("").time_zone;
            let admin =
                fieldwork_server::seed::add_user(&db, &zone, "admin@fuzz.example", "Fuzz Admin", "admin", PASSWORD)
                    .await
                    .expect("admin");
            fieldwork_server::seed::add_user(&db, &zone, "rep@fuzz.example", "Fuzz Rep", "rep", PASSWORD)
                .await
                .expect("rep");
            (fieldwork_server::router(AppState::new(db, settings)), admin)
        });
        let mut h = Harness { rt, router, office: String::new(), rep: String::new(), form: String::new() };
        h.office = h.sign_in("admin@fuzz.example");
        h.rep = h.sign_in("rep@fuzz.example");
        let form = serde_json::json!({"name": "Website", "fields": ["name", "email", "phone", "message"],
                                      "required": ["name"], "owner_id": admin.id});
        let form = h.json(Method::POST, "/api/v1/forms", Who::Office, Some(form));
        h.form = format!("/api/v1/forms/{}/submissions", form["id"].as_str().expect("the form was created"));
        h
    }

    /// The session cookie a sign-in sets.
    fn sign_in(&self, email: &str) -> String {
        let body = serde_json::json!({"email": email, "password": PASSWORD}).to_string();
        let request = self.request(Method::POST, "/api/v1/auth/login", Who::Visitor, "application/json", body.into());
        let response = self.rt.block_on(self.router.clone().oneshot(request)).expect("infallible");
        assert_eq!(response.status(), 200, "sign in {email}");
        let cookies: Vec<&str> = response
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .filter_map(|c| c.split(';').next())
            .collect();
        cookies.join("; ")
    }

    fn request(&self, method: Method, path: &str, who: Who, content_type: &str, body: Vec<u8>) -> Request<Body> {
        let mut builder = Request::builder().method(method).uri(path).header(header::CONTENT_TYPE, content_type);
        let cookie = match who {
            Who::Office => self.office.as_str(),
            Who::Rep => self.rep.as_str(),
            Who::Visitor => "",
        };
        if !cookie.is_empty() {
            builder = builder.header(header::COOKIE, cookie);
        }
        let mut request = builder.body(Body::from(body)).expect("a request the harness built");
        request.extensions_mut().insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 40_000))));
        request
    }

    /// Sends a request; a 5xx is a crash. Answers the status and the body.
    fn send(&self, method: Method, path: &str, who: Who, content_type: &str, body: Vec<u8>) -> (u16, Vec<u8>) {
        let what = format!("{method} {path}");
        let request = self.request(method, path, who, content_type, body);
        self.rt.block_on(async {
            let response = self.router.clone().oneshot(request).await.expect("infallible");
            let status = response.status().as_u16();
            let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.expect("a readable body");
            assert!(status < 500, "{what} answered {status}: {}", String::from_utf8_lossy(&body));
            (status, body.to_vec())
        })
    }

    fn json(&self, method: Method, path: &str, who: Who, body: Option<Value>) -> Value {
        let body = body.map(|b| b.to_string().into_bytes()).unwrap_or_default();
        let (_, body) = self.send(method, path, who, "application/json", body);
        serde_json::from_slice(&body).unwrap_or(Value::Null)
    }
}

/// A CSV file: previewed, then imported (name, email, phone) until the import finishes.
pub fn csv_import(data: &[u8]) {
    let h = harness();
    h.send(Method::POST, "/api/v1/contacts/import/preview", Who::Office, "text/csv", data.to_vec());
    let (status, body) = h.send(
        Method::POST,
        "/api/v1/contacts/import?mapping=name,email,phone&duplicates=merge",
        Who::Office,
        "text/csv",
        data.to_vec(),
    );
    if status != 202 {
        return;
    }
    let started: Value = serde_json::from_slice(&body).expect("202 answers the import's status");
    let id = started["id"].as_str().expect("an import id");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let status = h.json(Method::GET, &format!("/api/v1/contacts/import/{id}"), Who::Office, None);
        match status["state"].as_str() {
            Some("running") => {
                assert!(Instant::now() < deadline, "the import never finished: {status}");
                std::thread::sleep(Duration::from_millis(2));
            }
            Some(_) => return,
            None => panic!("no import status: {status}"),
        }
    }
}

/// A GeoJSON FeatureCollection to import as territories, and a geometry to draw one; what is
/// created is deleted again so the territory index stays small.
pub fn geojson_import(data: &[u8]) {
    let h = harness();
    let text = String::from_utf8_lossy(data);
    let import = format!("{{\"name_property\":\"name\",\"collection\":{text}}}");
    let (status, body) =
        h.send(Method::POST, "/api/v1/territories/import", Who::Office, "application/json", import.into());
    let mut created: Vec<String> = Vec::new();
    if status == 200 {
        let result: Value = serde_json::from_slice(&body).expect("200 answers the import result");
        created.extend(
            result["created"].as_array().into_iter().flatten().filter_map(|t| t["id"].as_str()).map(Into::into),
        );
    }
    let draw = format!("{{\"name\":\"Fuzzed\",\"geometry\":{text}}}");
    let (status, body) = h.send(Method::POST, "/api/v1/territories", Who::Office, "application/json", draw.into());
    if status == 201 || status == 200 {
        let territory: Value = serde_json::from_slice(&body).expect("a created territory");
        created.extend(territory["id"].as_str().map(Into::into));
    }
    for id in created {
        h.send(Method::DELETE, &format!("/api/v1/territories/{id}"), Who::Office, "application/json", Vec::new());
    }
}

/// A sync push body, as a rep's device sends it.
pub fn sync_push(data: &[u8]) {
    harness().send(Method::POST, "/api/v1/sync/push", Who::Rep, "application/json", data.to_vec());
}

/// A website visitor's post to the lead form: the first byte picks the content type (JSON,
/// form-encoded, none, or another), the rest is the body.
pub fn form_submission(data: &[u8]) {
    let h = harness();
    let (kind, body) = data.split_first().map_or((0, data), |(k, rest)| (*k, rest));
    let content_type = match kind % 4 {
        0 => "application/json",
        1 => "application/x-www-form-urlencoded",
        2 => "",
        _ => "text/plain",
    };
    h.send(Method::POST, &h.form, Who::Visitor, content_type, body.to_vec());
}

/// Contact search text, as a rep and as the office type it.
pub fn search_query(data: &[u8]) {
    let h = harness();
    let q: String = form_urlencoded_byte_serialize(data);
    for who in [Who::Rep, Who::Office] {
        h.send(Method::GET, &format!("/api/v1/contacts?q={q}"), who, "", Vec::new());
    }
}

/// Percent-encodes every byte but unreserved ones, so any bytes reach the handler as `q`.
fn form_urlencoded_byte_serialize(data: &[u8]) -> String {
    data.iter()
        .map(|&b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    //! Every committed seed of every target passes through its target: the harness works and
    //! the seeds are not crashes. (`cargo xtask fuzz` then searches beyond them.)

    fn seeds(target: &str) -> Vec<Vec<u8>> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds").join(target);
        let mut files: Vec<_> =
            std::fs::read_dir(&dir).expect("seed directory").map(|e| e.expect("entry").path()).collect();
        files.sort();
        assert!(!files.is_empty(), "{target} has seeds");
        files.iter().map(|f| std::fs::read(f).expect("seed")).collect()
    }

    #[test]
    fn every_seed_goes_through_its_target() {
        type Target = fn(&[u8]);
        let targets: [(&str, Target); 5] = [
            ("csv_import", super::csv_import),
            ("geojson_import", super::geojson_import),
            ("sync_push", super::sync_push),
            ("form_submission", super::form_submission),
            ("search_query", super::search_query),
        ];
        for (name, target) in targets {
            for seed in seeds(name) {
                target(&seed);
            }
        }
    }
}
