//! Sign-in, sessions, throttling, API keys and cross-site protection, through HTTP.

use crate::common::{spawn_app, PASSWORD};
use serde_json::{json, Value};

#[tokio::test]
async fn signing_in_sets_an_httponly_session_cookie_and_me_answers() {
    let app = spawn_app().await;
    let user = app.user("rep").await;
    let client = app.browser();

    let response = client
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"email": user.email.as_str().to_uppercase(), "password": PASSWORD}))
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), 200);
    let cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("fieldwork_session="))
        .expect("session cookie");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"), "{cookie}");
    let me: Value = client.get(app.url("/api/v1/me")).send().await.unwrap().json().await.unwrap();
    assert_eq!(me["email"], user.email.as_str());
    assert_eq!(me["role"], "rep");
    assert!(me.get("password_hash").is_none());
}

#[tokio::test]
async fn a_wrong_password_is_401_in_the_error_shape() {
    let app = spawn_app().await;
    let user = app.user("office").await;

    let response = app
        .browser()
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"email": user.email, "password": "not the password"}))
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), 401);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "unauthenticated");
}

#[tokio::test]
async fn repeated_failures_are_rate_limited_even_with_the_right_password() {
    let app = spawn_app().await;
    let user = app.user("rep").await;
    let client = app.browser();
    for _ in 0..5 {
        let r = client
            .post(app.url("/api/v1/auth/login"))
            .json(&json!({"email": user.email, "password": "wrong wrong"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401);
    }

    let response = client
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"email": user.email, "password": PASSWORD}))
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), 429);
    assert!(response.headers().contains_key("retry-after"));
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "rate_limited");
}

#[tokio::test]
async fn signing_out_ends_the_session_on_the_server() {
    let app = spawn_app().await;
    let (client, _) = app.signed_in("manager").await;

    let out = client.post(app.url("/api/v1/auth/logout")).send().await.unwrap();

    assert_eq!(out.status(), 204);
    assert_eq!(client.get(app.url("/api/v1/me")).send().await.unwrap().status(), 401);
}

#[tokio::test]
async fn a_deactivated_user_is_signed_out_at_once_and_cannot_sign_in() {
    let app = spawn_app().await;
    let (admin, _) = app.signed_in("admin").await;
    let (rep, rep_user) = app.signed_in("rep").await;

    let r = admin
        .patch(app.url(&format!("/api/v1/users/{}", rep_user.id)))
        .json(&json!({"active": false}))
        .send()
        .await
        .unwrap();

    assert_eq!(r.status(), 200);
    assert_eq!(rep.get(app.url("/api/v1/me")).send().await.unwrap().status(), 401);
    let again = app
        .browser()
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"email": rep_user.email, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 401);
}

#[tokio::test]
async fn an_api_key_works_as_a_bearer_token_until_it_is_revoked() {
    let app = spawn_app().await;
    let (admin, _) = app.signed_in("admin").await;
    let created: Value = admin
        .post(app.url("/api/v1/api-keys"))
        .json(&json!({"name": "ERP"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let secret = created["secret"].as_str().unwrap().to_string();
    assert!(secret.starts_with("fwk_"));
    let listed: Value = admin.get(app.url("/api/v1/api-keys")).send().await.unwrap().json().await.unwrap();
    assert!(!listed.to_string().contains(&secret), "the secret is shown only once");

    let bearer = reqwest::Client::new();
    let me = bearer.get(app.url("/api/v1/me")).bearer_auth(&secret).send().await.unwrap();
    assert_eq!(me.status(), 200);

    let id = created["key"]["id"].as_str().unwrap();
    assert_eq!(admin.delete(app.url(&format!("/api/v1/api-keys/{id}"))).send().await.unwrap().status(), 204);
    assert_eq!(bearer.get(app.url("/api/v1/me")).bearer_auth(&secret).send().await.unwrap().status(), 401);
}

#[tokio::test]
async fn a_cross_site_request_cannot_change_data_with_the_session_cookie() {
    let app = spawn_app().await;
    let (client, _) = app.signed_in("rep").await;

    let forged = client
        .patch(app.url("/api/v1/me"))
        .header("sec-fetch-site", "cross-site")
        .json(&json!({"name": "Hacked"}))
        .send()
        .await
        .unwrap();
    let same_site = client
        .patch(app.url("/api/v1/me"))
        .header("sec-fetch-site", "same-origin")
        .json(&json!({"name": "Renamed"}))
        .send()
        .await
        .unwrap();

    assert_eq!(forged.status(), 403);
    assert_eq!(same_site.status(), 200);
    let me: Value = client.get(app.url("/api/v1/me")).send().await.unwrap().json().await.unwrap();
    assert_eq!(me["name"], "Renamed");
}

#[tokio::test]
async fn simultaneous_guesses_count_against_each_other() {
    let app = spawn_app().await;
    let user = app.user("rep").await;
    let client = app.browser();

    let guesses = (0..12).map(|i| {
        let request = client
            .post(app.url("/api/v1/auth/login"))
            .json(&json!({"email": user.email, "password": format!("guess {i}")}));
        async move { request.send().await.unwrap().status().as_u16() }
    });
    let statuses = futures_join_all(guesses).await;

    let unauthorised = statuses.iter().filter(|s| **s == 401).count();
    let limited = statuses.iter().filter(|s| **s == 429).count();
    assert_eq!((unauthorised, limited), (5, 7), "exactly five passwords are checked: {statuses:?}");
}

/// `join_all` without a futures dependency: spawn each and await in order.
async fn futures_join_all<F>(futures: impl Iterator<Item = F>) -> Vec<u16>
where
    F: std::future::Future<Output = u16> + Send + 'static,
{
    let handles: Vec<_> = futures.map(tokio::spawn).collect();
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.unwrap());
    }
    out
}

#[tokio::test]
async fn an_api_key_stops_working_when_its_owner_is_no_longer_an_admin() {
    let app = spawn_app().await;
    let (owner, owner_user) = app.signed_in("admin").await;
    let (other_admin, _) = app.signed_in("admin").await;
    let created: Value = owner
        .post(app.url("/api/v1/api-keys"))
        .json(&json!({"name": "Website"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let secret = created["secret"].as_str().unwrap().to_string();

    let demoted = other_admin
        .patch(app.url(&format!("/api/v1/users/{}", owner_user.id)))
        .json(&json!({"role": "office"}))
        .send()
        .await
        .unwrap();

    assert_eq!(demoted.status(), 200);
    let me = reqwest::Client::new().get(app.url("/api/v1/me")).bearer_auth(&secret).send().await.unwrap();
    assert_eq!(me.status(), 401);
}

#[tokio::test]
async fn signing_out_with_an_expired_session_still_clears_the_cookie() {
    let app = spawn_app().await;
    let client = app.browser();

    let r =
        client.post(app.url("/api/v1/auth/logout")).header("cookie", "fieldwork_session=stale").send().await.unwrap();

    assert_eq!(r.status(), 204);
    let cleared =
        r.headers().get_all("set-cookie").iter().any(|c| c.to_str().unwrap().starts_with("fieldwork_session=;"));
    assert!(cleared);
}

#[tokio::test]
async fn a_body_that_is_not_json_is_415_in_the_error_shape() {
    let app = spawn_app().await;
    let r = app
        .browser()
        .post(app.url("/api/v1/auth/login"))
        .header("content-type", "text/plain")
        .body("email=a")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 415);
    let body: Value = r.json().await.unwrap();
    assert!(body["error"]["message"].is_string());
}

async fn sessions_of(app: &crate::common::TestApp, user: &fieldwork_app::users::User) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE user_id = $1")
        .bind(user.id.to_string())
        .fetch_one(app.db.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn signing_in_again_ends_the_browsers_old_session_and_another_site_cannot_sign_anyone_in_or_out() {
    let app = spawn_app().await;
    let (browser, user) = app.signed_in("rep").await;
    assert_eq!(sessions_of(&app, &user).await, 1);
    let login = json!({"email": user.email, "password": PASSWORD});
    let r = browser.post(app.url("/api/v1/auth/login")).json(&login).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(sessions_of(&app, &user).await, 1, "the old session was replaced, not kept beside the new one");

    let forged = app
        .browser()
        .post(app.url("/api/v1/auth/login"))
        .header("sec-fetch-site", "cross-site")
        .json(&login)
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403, "login CSRF");
    let forged =
        browser.post(app.url("/api/v1/auth/logout")).header("origin", "https://evil.example").send().await.unwrap();
    assert_eq!(forged.status(), 403);
    assert_eq!(browser.get(app.url("/api/v1/me")).send().await.unwrap().status(), 200, "still signed in");

    let wrong = app
        .browser()
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"email": user.email, "password": "not the one at all"}));
    assert_eq!(wrong.send().await.unwrap().status(), 401);
    assert_eq!(browser.post(app.url("/api/v1/auth/logout")).send().await.unwrap().status(), 204);
    assert_eq!(
        (
            crate::common::audited(&app.db, "sign_in").await,
            crate::common::audited(&app.db, "sign_in_failed").await,
            crate::common::audited(&app.db, "sign_out").await
        ),
        (2, 1, 1),
        "sign-ins, the failed one and the sign-out are in the audit log"
    );
}

#[tokio::test]
async fn changing_your_password_checks_the_old_one_refuses_common_ones_and_ends_your_other_sessions() {
    let app = spawn_app().await;
    let (phone, user) = app.signed_in("rep").await;
    let laptop = app.browser();
    let login = |password: &str| json!({"email": user.email, "password": password});
    assert_eq!(laptop.post(app.url("/api/v1/auth/login")).json(&login(PASSWORD)).send().await.unwrap().status(), 200);
    let change = |current: &str, new: &str| {
        phone
            .post(app.url("/api/v1/me/password"))
            .json(&json!({"current_password": current, "new_password": new}))
            .send()
    };

    let r = change("a wrong old password", "mango tractor velvet 42").await.unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(crate::common::error_fields(&r.json().await.unwrap()), ["current_password"]);
    for common in ["password123", "qwertyuiop1", "1234567890"] {
        let r = change(PASSWORD, common).await.unwrap();
        assert_eq!(r.status(), 400, "{common}");
        assert_eq!(crate::common::error_fields(&r.json().await.unwrap()), ["new_password"]);
    }
    let r = change(PASSWORD, "mango tractor velvet 42").await.unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(phone.get(app.url("/api/v1/me")).send().await.unwrap().status(), 200, "this browser stays signed in");
    assert_eq!(laptop.get(app.url("/api/v1/me")).send().await.unwrap().status(), 401, "the other session ended");
    assert_eq!(sessions_of(&app, &user).await, 1);
    assert_eq!(
        app.browser().post(app.url("/api/v1/auth/login")).json(&login(PASSWORD)).send().await.unwrap().status(),
        401
    );
    let r =
        app.browser().post(app.url("/api/v1/auth/login")).json(&login("mango tractor velvet 42")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(crate::common::audited(&app.db, "change_password").await, 1);
}

#[tokio::test]
async fn an_admin_cannot_give_a_user_a_common_password_either() {
    let app = spawn_app().await;
    let (admin, _) = app.signed_in("admin").await;
    let r = admin
        .post(app.url("/api/v1/users"))
        .json(&json!({"email": "sadia@example.com", "name": "Sadia Islam", "role": "rep", "password": "sadia.islam1"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400, "built from the user's own name");
    assert_eq!(crate::common::error_fields(&r.json().await.unwrap()), ["password"]);
    let rep = app.user("rep").await;
    let r = admin
        .post(app.url(&format!("/api/v1/users/{}/password", rep.id)))
        .json(&json!({"password": "password1234"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
}

#[tokio::test]
async fn over_tls_every_response_tells_browsers_to_use_https_only() {
    let url = crate::common::fresh_database_url().await;
    let db = fieldwork_server::db::Db::connect(&url).await.unwrap();
    fieldwork_server::startup::prepare(&db).await.unwrap();
    let mut settings = fieldwork_server::config::Settings::for_tests(&url);
    settings.secure_cookies = true;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(fieldwork_server::serve(fieldwork_server::AppState::new(db, settings), listener));
    let response = reqwest::get(format!("http://{addr}/healthz")).await.unwrap();
    assert_eq!(response.headers()["strict-transport-security"], "max-age=31536000; includeSubDomains");
    let plain = crate::common::spawn_app().await;
    let response = reqwest::get(plain.url("/healthz")).await.unwrap();
    assert!(response.headers().get("strict-transport-security").is_none(), "not over plain HTTP");
}

/// Posts the sign-in page's form as a browser without the app does.
async fn post_form(client: &reqwest::Client, url: String, fields: &[(&str, &str)], site: &str) -> reqwest::Response {
    client
        .post(url)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("sec-fetch-site", site)
        .body(serde_urlencoded::to_string(fields).unwrap())
        .send()
        .await
        .unwrap()
}

fn location(response: &reqwest::Response) -> String {
    response.headers().get("location").map(|l| l.to_str().unwrap().to_string()).unwrap_or_default()
}

#[tokio::test]
async fn the_sign_in_page_is_plain_html_whose_form_signs_in_and_goes_to_today() {
    let app = spawn_app().await;
    let user = app.user("rep").await;
    let client = app.browser();
    let page = client.get(app.url("/login")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains(r#"action="/login""#), "the form posts natively: {page}");
    assert!(!page.contains(".wasm") && !page.contains("/pkg/fieldwork.js"), "no app to download: {page}");

    let email = user.email.as_str().to_uppercase();
    let response =
        post_form(&client, app.url("/login"), &[("email", &email), ("password", PASSWORD)], "same-origin").await;

    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/");
    let me: Value = client.get(app.url("/api/v1/me")).send().await.unwrap().json().await.unwrap();
    assert_eq!(me["email"], user.email.as_str());
    // Signed in, the sign-in page sends the user on to Today.
    let again = client.get(app.url("/login")).send().await.unwrap();
    assert_eq!((again.status().as_u16(), location(&again)), (303, "/".to_string()));
}

#[tokio::test]
async fn a_refused_sign_in_form_comes_back_saying_why_with_the_email_typed() {
    let app = spawn_app().await;
    let user = app.user("office").await;
    let client = app.browser();
    let wrong = [("email", user.email.as_str()), ("password", "not the password")];

    let response = post_form(&client, app.url("/login"), &wrong, "same-origin").await;

    assert_eq!(response.status(), 303);
    let back = location(&response);
    assert_eq!(
        back,
        format!(
            "/login?{}",
            serde_urlencoded::to_string([("error", "wrong"), ("email", user.email.as_str())]).unwrap()
        )
    );
    let page = client.get(app.url(&back)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("The email or password is wrong."), "{page}");
    assert!(page.contains(&format!(r#"value="{}""#, user.email.as_str())), "the email is kept");
    assert!(client.get(app.url("/api/v1/me")).send().await.unwrap().status() == 401, "not signed in");

    // An empty form is refused the same way, and enough failures are throttled.
    let empty = post_form(&client, app.url("/login"), &[], "same-origin").await;
    assert!(location(&empty).starts_with("/login?error=wrong"), "{}", location(&empty));
    for _ in 0..4 {
        post_form(&client, app.url("/login"), &wrong, "same-origin").await;
    }
    let right = [("email", user.email.as_str()), ("password", PASSWORD)];
    let throttled = post_form(&client, app.url("/login"), &right, "same-origin").await;
    assert!(location(&throttled).starts_with("/login?error=throttled"), "{}", location(&throttled));
    let page = client.get(app.url(&location(&throttled))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Too many attempts"), "{page}");
}

#[tokio::test]
async fn another_site_cannot_post_the_sign_in_form() {
    let app = spawn_app().await;
    let user = app.user("rep").await;
    let client = app.browser();

    let forged =
        post_form(&client, app.url("/login"), &[("email", user.email.as_str()), ("password", PASSWORD)], "cross-site")
            .await;

    assert_eq!(forged.status(), 403);
    assert!(forged
        .headers()
        .get_all("set-cookie")
        .iter()
        .all(|c| !c.to_str().unwrap().starts_with("fieldwork_session")));
    assert_eq!(client.get(app.url("/api/v1/me")).send().await.unwrap().status(), 401);
}

#[tokio::test]
async fn the_sign_in_pages_language_buttons_work_without_the_app() {
    let app = spawn_app().await;
    let client = app.browser();

    let response = post_form(&client, app.url("/login/language"), &[("lang", "bn")], "same-origin").await;

    assert_eq!((response.status().as_u16(), location(&response)), (303, "/login".to_string()));
    let page = client.get(app.url("/login")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains(r#"lang="bn""#) && page.contains("ইমেইল"), "the page in Bengali: {page}");
    post_form(&client, app.url("/login/language"), &[("lang", "en")], "same-origin").await;
    let page = client.get(app.url("/login")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains(r#"lang="en""#), "and back in English");
}
