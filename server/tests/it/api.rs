//! The API as a whole: health, the `OpenAPI` document against the router, the error shape,
//! scope on the first read endpoints, and server rendering.

use crate::common::spawn_app;
use serde_json::{json, Value};

#[tokio::test]
async fn healthz_is_200_when_the_database_answers() {
    let app = spawn_app().await;
    let r = reqwest::get(app.url("/healthz")).await.unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn every_documented_operation_exists_on_the_router() {
    let app = spawn_app().await;
    let doc: Value = reqwest::get(app.url("/api/v1/openapi.json")).await.unwrap().json().await.unwrap();
    let paths = doc["paths"].as_object().expect("paths");
    assert!(paths.len() >= 10, "{:?}", paths.keys());
    let client = reqwest::Client::new();
    let id = uuid::Uuid::now_v7().to_string();
    let mut checked = 0;
    for (path, item) in paths {
        if path.contains("{file}") || path.contains("{token}") || path.ends_with("/submissions") {
            // Calendar feeds, shared listings, feedback links and public form posts answer 404 to
            // any unknown token or form by design; the scheduling, listing and mail tests cover them.
            continue;
        }
        for method in item.as_object().unwrap().keys() {
            let url = app.url(&path.replace("{id}", &id));
            let request = match method.as_str() {
                "get" => client.get(&url),
                "post" => client.post(&url).json(&json!({})),
                "patch" => client.patch(&url).json(&json!({})),
                "put" => client.put(&url).json(&json!({})),
                "delete" => client.delete(&url),
                other => panic!("unexpected method {other}"),
            };
            let status = request.send().await.unwrap().status().as_u16();
            // Unauthenticated calls are refused or validated, but the route must exist.
            assert!(![404, 405].contains(&status), "{method} {path} answered {status}");
            checked += 1;
        }
    }
    assert!(checked >= 14, "only {checked} operations documented");
}

#[tokio::test]
async fn unknown_api_paths_are_404_in_the_error_shape() {
    let app = spawn_app().await;
    let r = reqwest::get(app.url("/api/v1/no-such-thing")).await.unwrap();
    assert_eq!(r.status(), 404);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "not_found");
}

#[tokio::test]
async fn security_headers_are_on_every_response() {
    let app = spawn_app().await;
    let r = reqwest::get(app.url("/healthz")).await.unwrap();
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    assert!(r.headers()["content-security-policy"].to_str().unwrap().contains("frame-ancestors 'none'"));
}

#[tokio::test]
async fn pages_allow_only_their_own_scripts_and_inline_ones_with_a_fresh_nonce() {
    let app = spawn_app().await;
    let nonce_of = |policy: &str| -> String {
        let start = policy.find("'nonce-").expect("a nonce in the script policy") + "'nonce-".len();
        policy[start..].split('\'').next().unwrap().to_string()
    };
    let mut nonces = Vec::new();
    for path in ["/no-such-page", "/no-such-page", "/app-shell"] {
        let r = reqwest::get(app.url(path)).await.unwrap();
        let policy = r.headers()["content-security-policy"].to_str().unwrap().to_string();
        assert!(policy.contains("script-src 'self' 'nonce-"), "{path}: {policy}");
        assert!(policy.contains("frame-ancestors 'none'") && policy.contains("object-src 'none'"), "{policy}");
        assert!(!policy.contains("unsafe-inline") && !policy.contains("'unsafe-eval'"), "{policy}");
        let nonce = nonce_of(&policy);
        let html = r.text().await.unwrap();
        // Each inline script with something to run carries the nonce (leptos_i18n leaves an
        // empty `<script></script>` placeholder, which browsers never run).
        let inline: Vec<(&str, &str)> = html
            .split("<script")
            .skip(1)
            .map(|s| {
                let (attributes, rest) = s.split_once('>').unwrap();
                (attributes, rest.split("</script>").next().unwrap())
            })
            .filter(|(attributes, code)| !code.trim().is_empty() && !attributes.contains("src="))
            .collect();
        assert!(inline.len() >= 2, "{path} has its hydration and data scripts");
        for (attributes, code) in inline {
            assert!(
                attributes.contains(&format!("nonce=\"{nonce}\"")),
                "{path}: <script{attributes}>{code:.80} runs without the nonce"
            );
        }
        nonces.push(nonce);
    }
    assert_ne!(nonces[0], nonces[1], "each response has its own nonce");
    // The API's answers have no page scripts to allow.
    let r = reqwest::get(app.url("/healthz")).await.unwrap();
    assert!(!r.headers()["content-security-policy"].to_str().unwrap().contains("script-src"));
}

#[tokio::test]
async fn the_sign_in_page_is_server_rendered_and_the_app_redirects_strangers_to_it() {
    let app = spawn_app().await;
    let client = app.browser();

    let login = client.get(app.url("/login")).send().await.unwrap();
    assert_eq!(login.status(), 200);
    let html = login.text().await.unwrap();
    assert!(html.contains("<form") && html.contains("Sign in"), "{html}");
    // Every other page loads the app.
    let shell = client.get(app.url("/app-shell")).send().await.unwrap().text().await.unwrap();
    assert!(shell.contains("/pkg/fieldwork.js"), "{shell}");

    let home = client.get(app.url("/")).header("accept", "text/html").send().await.unwrap();
    assert_eq!(home.status(), 302);
    assert_eq!(home.headers()["location"], "/login");

    // As a browser asks for it: compressed. The page's body is read to its end (a body stream
    // polled once more after its end once broke every compressed page).
    for encoding in ["gzip", "br", "zstd"] {
        let page = client.get(app.url("/login")).header("accept-encoding", encoding).send().await.unwrap();
        assert_eq!(page.status(), 200, "{encoding}");
        let body = page.bytes().await.unwrap_or_else(|e| panic!("the {encoding} page was cut off: {e}"));
        assert!(!body.is_empty(), "{encoding}: an empty page");
    }
}

#[tokio::test]
async fn a_signed_in_page_renders_the_shell_with_the_users_name_and_language() {
    let app = spawn_app().await;
    let (client, user) = app.signed_in("rep").await;
    client.patch(app.url("/api/v1/me")).json(&json!({"language": "bn"})).send().await.unwrap();

    let html = client.get(app.url("/")).send().await.unwrap().text().await.unwrap();

    assert!(html.contains(&user.name), "the shell names the user");
    assert!(html.contains("lang=\"bn\""), "rendered in the saved language");
    assert!(html.contains("আজ"), "Bengali navigation");
    // Pages whose parts load in the browser still render their frame and their page on the
    // server: the `<main>` that holds the page is sent, not left behind a pending chunk (the
    // user's name alone proves nothing: it is also in the session data the page carries).
    for path in [
        "/more",
        "/listings",
        "/listings/new",
        "/contacts",
        "/contacts/new",
        "/contacts/import",
        "/calendar",
        "/tasks",
        "/pipeline",
        "/territories",
    ] {
        let page = client.get(app.url(path)).send().await.unwrap();
        assert_eq!(page.status(), 200, "{path}");
        let html = page.text().await.unwrap();
        assert!(html.contains("<main id=\"main\""), "{path} renders the frame and its page: {html}");
        assert!(html.contains(&format!("<strong>{}", user.name)), "{path} names the user in the frame");
    }
}

#[tokio::test]
async fn a_rep_sees_only_their_own_agenda_and_a_manager_sees_their_team() {
    let app = spawn_app().await;
    fieldwork_server::seed::demo::seed(&app.db).await.unwrap();
    let login = |email: &'static str| {
        let client = app.browser();
        let url = app.url("/api/v1/auth/login");
        async move {
            let r = client.post(url).json(&json!({"email": email, "password": "fieldwork-demo"})).send().await.unwrap();
            assert_eq!(r.status(), 200, "{email}");
            client
        }
    };
    let rep1 = login("rep1@fieldwork.demo").await;
    let manager = login("manager@fieldwork.demo").await;

    let mine: Value = rep1.get(app.url("/api/v1/today")).send().await.unwrap().json().await.unwrap();
    let team: Value = manager.get(app.url("/api/v1/today")).send().await.unwrap().json().await.unwrap();

    let names = |v: &Value| {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["assignee_name"].as_str().unwrap().to_string())
            .collect::<std::collections::BTreeSet<_>>()
    };
    assert_eq!(names(&mine).into_iter().collect::<Vec<_>>(), vec!["Rafiq Islam".to_string()]);
    assert_eq!(names(&team).len(), 3, "the manager sees all three reps");
    assert!(mine["items"].as_array().unwrap().len() >= 5);
    // The demo gives each rep follow-ups to fit into the route and a weekly key-account visit.
    assert!(mine["follow_ups"].as_array().unwrap().len() >= 2, "{mine}");
    assert!(mine["items"].as_array().unwrap().iter().any(|i| i["recurring"] == true), "{mine}");
}

#[tokio::test]
async fn a_rep_lists_only_contacts_they_own_or_in_their_territories() {
    let app = spawn_app().await;
    fieldwork_server::seed::demo::seed(&app.db).await.unwrap();
    let client = app.browser();
    client
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"email": "rep2@fieldwork.demo", "password": "fieldwork-demo"}))
        .send()
        .await
        .unwrap();
    let me: Value = client.get(app.url("/api/v1/me")).send().await.unwrap().json().await.unwrap();

    let mut seen = 0;
    let mut cursor: Option<String> = None;
    loop {
        let url = match &cursor {
            Some(c) => app.url(&format!("/api/v1/contacts?limit=100&cursor={c}")),
            None => app.url("/api/v1/contacts?limit=100"),
        };
        let page: Value = client.get(url).send().await.unwrap().json().await.unwrap();
        for c in page["items"].as_array().unwrap() {
            assert_eq!(c["owner_id"], me["id"], "{c}");
            seen += 1;
        }
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_string()),
            None => break,
        }
    }
    let (sql_count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM contacts WHERE owner_id = $1")
        .bind(me["id"].as_str().unwrap())
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(seen, sql_count, "every page of the rep's own contacts, and no one else's");
    assert!(seen > 50);
}

#[tokio::test]
async fn a_bad_agenda_window_names_the_wrong_field() {
    let app = spawn_app().await;
    let (client, _) = app.signed_in("rep").await;
    let r = client.get(app.url("/api/v1/appointments?from=yesterday&to=2026-11-30T00:00:00Z")).send().await.unwrap();
    assert_eq!(r.status(), 400);
    let body: Value = r.json().await.unwrap();
    assert!(body["error"]["fields"]["from"].is_string(), "{body}");
}

#[tokio::test]
async fn a_bad_page_size_or_cursor_is_a_400_on_every_list() {
    let app = spawn_app().await;
    let (client, _) = app.signed_in("office").await;
    for list in ["contacts", "listings"] {
        for query in ["limit=0", "limit=201", "cursor=not-hex", "cursor=611f621f63"] {
            let r = client.get(app.url(&format!("/api/v1/{list}?{query}"))).send().await.unwrap();
            assert_eq!(r.status(), 400, "{list}?{query}");
            let body: Value = r.json().await.unwrap();
            assert_eq!(body["error"]["code"], "bad_request");
        }
    }
}

#[tokio::test]
async fn a_rep_sees_neither_another_reps_listings_nor_their_agenda_nor_their_profile() {
    let app = spawn_app().await;
    fieldwork_server::seed::demo::seed(&app.db).await.unwrap();
    let client = app.browser();
    client
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"email": "rep1@fieldwork.demo", "password": "fieldwork-demo"}))
        .send()
        .await
        .unwrap();
    let me: Value = client.get(app.url("/api/v1/me")).send().await.unwrap().json().await.unwrap();
    let (other,): (String,) = sqlx::query_as("SELECT id FROM users WHERE email = 'rep2@fieldwork.demo'")
        .fetch_one(app.db.pool())
        .await
        .unwrap();

    let listings: Value = client.get(app.url("/api/v1/listings?limit=200")).send().await.unwrap().json().await.unwrap();
    let from = chrono::Utc::now() - chrono::Duration::days(1);
    let window =
        format!("from={}&to={}&assignee={other}", from.to_rfc3339(), (from + chrono::Duration::days(7)).to_rfc3339())
            .replace('+', "%2B");
    let agenda: Value =
        client.get(app.url(&format!("/api/v1/appointments?{window}"))).send().await.unwrap().json().await.unwrap();
    let profile = client.get(app.url(&format!("/api/v1/users/{other}"))).send().await.unwrap();

    let items = listings["items"].as_array().unwrap();
    assert!(!items.is_empty());
    assert!(items.iter().all(|l| l["agent_id"] == me["id"]), "only rep1's listings: {listings}");
    assert_eq!(agenda["items"].as_array().unwrap().len(), 0, "rep2's appointments are out of scope");
    assert_eq!(profile.status(), 403);
}

#[tokio::test]
async fn an_admin_cannot_revoke_another_admins_key() {
    let app = spawn_app().await;
    let (owner, _) = app.signed_in("admin").await;
    let (other, _) = app.signed_in("admin").await;
    let created: Value = owner
        .post(app.url("/api/v1/api-keys"))
        .json(&json!({"name": "ERP"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = created["key"]["id"].as_str().unwrap();

    let revoke = other.delete(app.url(&format!("/api/v1/api-keys/{id}"))).send().await.unwrap();

    assert_eq!(revoke.status(), 404);
    let me = reqwest::Client::new()
        .get(app.url("/api/v1/me"))
        .bearer_auth(created["secret"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 200, "the key still works");
}
