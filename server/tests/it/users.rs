//! User administration and the profile, through HTTP.

use crate::common::spawn_app;
use serde_json::{json, Value};

#[tokio::test]
async fn an_admin_creates_a_user_who_can_then_sign_in() {
    let app = spawn_app().await;
    let (admin, _) = app.signed_in("admin").await;

    let r = admin
        .post(app.url("/api/v1/users"))
        .json(&json!({"email": "Karim@Example.com", "name": "Karim Uddin", "role": "rep", "password": "karim's password", "language": "bn"}))
        .send()
        .await
        .unwrap();

    assert_eq!(r.status(), 201);
    let user: Value = r.json().await.unwrap();
    assert_eq!(user["email"], "karim@example.com");
    assert_eq!(user["language"], "bn");
    let login = app
        .browser()
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"email": "karim@example.com", "password": "karim's password"}))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 200);
}

#[tokio::test]
async fn invalid_fields_are_400_with_a_message_per_field_and_nothing_is_written() {
    let app = spawn_app().await;
    let (admin, _) = app.signed_in("admin").await;
    let before: Vec<Value> = admin.get(app.url("/api/v1/users")).send().await.unwrap().json().await.unwrap();

    let r = admin
        .post(app.url("/api/v1/users"))
        .json(&json!({"email": "nope", "name": "", "role": "boss", "password": "short", "time_zone": "Mars/Olympus"}))
        .send()
        .await
        .unwrap();

    assert_eq!(r.status(), 400);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "validation");
    for field in ["email", "name", "role", "password", "time_zone"] {
        assert!(body["error"]["fields"][field].is_string(), "missing message for {field}: {body}");
    }
    let after: Vec<Value> = admin.get(app.url("/api/v1/users")).send().await.unwrap().json().await.unwrap();
    assert_eq!(before.len(), after.len());
}

#[tokio::test]
async fn a_duplicate_email_is_a_409_conflict() {
    let app = spawn_app().await;
    let (admin, admin_user) = app.signed_in("admin").await;

    let r = admin
        .post(app.url("/api/v1/users"))
        .json(&json!({"email": admin_user.email, "name": "Twin", "role": "rep", "password": "another password"}))
        .send()
        .await
        .unwrap();

    assert_eq!(r.status(), 409);
}

#[tokio::test]
async fn malformed_json_is_a_400_in_the_error_shape_not_a_500() {
    let app = spawn_app().await;
    let (admin, _) = app.signed_in("admin").await;

    let r = admin
        .post(app.url("/api/v1/users"))
        .header("content-type", "application/json")
        .body("{\"email\": ")
        .send()
        .await
        .unwrap();

    assert_eq!(r.status(), 400);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "bad_request");
}

#[tokio::test]
async fn only_admins_manage_users_and_keys() {
    let app = spawn_app().await;
    for role in ["rep", "manager", "office"] {
        let (client, me) = app.signed_in(role).await;
        assert_eq!(client.get(app.url("/api/v1/users")).send().await.unwrap().status(), 403, "{role} lists users");
        let create = client
            .post(app.url("/api/v1/users"))
            .json(&json!({"email": "x@example.com", "name": "X", "role": "admin", "password": "a long password"}))
            .send()
            .await
            .unwrap();
        assert_eq!(create.status(), 403, "{role} creates a user");
        let promote = client
            .patch(app.url(&format!("/api/v1/users/{}", me.id)))
            .json(&json!({"role": "admin"}))
            .send()
            .await
            .unwrap();
        assert_eq!(promote.status(), 403, "{role} promotes themself");
        assert_eq!(client.get(app.url("/api/v1/api-keys")).send().await.unwrap().status(), 403, "{role} lists keys");
    }
}

#[tokio::test]
async fn a_user_saves_language_and_time_zone_but_not_their_own_role() {
    let app = spawn_app().await;
    let (client, _) = app.signed_in("rep").await;

    let ok = client
        .patch(app.url("/api/v1/me"))
        .json(&json!({"language": "bn", "time_zone": "Europe/London"}))
        .send()
        .await
        .unwrap();
    let cookie =
        ok.headers().get_all("set-cookie").iter().any(|c| c.to_str().unwrap().starts_with("i18n_pref_locale=bn"));
    let sneaky = client.patch(app.url("/api/v1/me")).json(&json!({"role": "admin"})).send().await.unwrap();

    assert_eq!(ok.status(), 200);
    assert!(cookie, "the interface language cookie follows the profile");
    assert_eq!(sneaky.status(), 403);
    let me: Value = client.get(app.url("/api/v1/me")).send().await.unwrap().json().await.unwrap();
    assert_eq!(
        (me["language"].as_str(), me["time_zone"].as_str(), me["role"].as_str()),
        (Some("bn"), Some("Europe/London"), Some("rep"))
    );
}

#[tokio::test]
async fn an_admin_password_reset_ends_the_users_sessions() {
    let app = spawn_app().await;
    let (admin, _) = app.signed_in("admin").await;
    let (rep, rep_user) = app.signed_in("rep").await;

    let r = admin
        .post(app.url(&format!("/api/v1/users/{}/password", rep_user.id)))
        .json(&json!({"password": "brand new password"}))
        .send()
        .await
        .unwrap();

    assert_eq!(r.status(), 204);
    assert_eq!(rep.get(app.url("/api/v1/me")).send().await.unwrap().status(), 401);
    let login = app
        .browser()
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"email": rep_user.email, "password": "brand new password"}))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 200);
}

#[tokio::test]
async fn a_manager_can_neither_read_nor_edit_a_user_outside_their_team() {
    let app = spawn_app().await;
    let (manager, _) = app.signed_in("manager").await;
    let other = app.user("rep").await;
    let url = app.url(&format!("/api/v1/users/{}", other.id));

    let read = manager.get(&url).send().await.unwrap().status().as_u16();
    let edit =
        manager.patch(&url).json(&json!({"name": "Renamed", "active": false})).send().await.unwrap().status().as_u16();

    assert_eq!((read, edit), (403, 403), "users are the admins' to manage");
    let (admin, _) = app.signed_in("admin").await;
    let after: Value = admin.get(&url).send().await.unwrap().json().await.unwrap();
    assert_eq!((after["name"].as_str(), after["active"].as_bool()), (Some(other.name.as_str()), Some(true)));
}

#[tokio::test]
async fn a_language_the_app_does_not_speak_is_refused() {
    let app = spawn_app().await;
    let (client, _) = app.signed_in("rep").await;

    let r = client.patch(app.url("/api/v1/me")).json(&json!({"language": "fr"})).send().await.unwrap();

    assert_eq!(r.status(), 400);
    let me: Value = client.get(app.url("/api/v1/me")).send().await.unwrap().json().await.unwrap();
    assert_eq!(me["language"], "en");
}
