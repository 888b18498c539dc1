//! The `OpenAPI` document at `/api/v1/openapi.json`. Routes are registered through
//! `utoipa_axum::routes!`, which adds each handler to the router and to the document together,
//! so a route cannot exist without its description.

use crate::state::AppState;
use axum::routing::get;
use axum::{Json, Router};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(OpenApi)]
#[openapi(
    info(title = "Fieldwork CRM API", description = "Field-sales CRM. Browser sessions use the `fieldwork_session` \
        cookie; integrations send `Authorization: Bearer fwk_…`. Errors: `{\"error\": {\"code\", \"message\", \"fields\"}}`; \
        lists: `{\"items\": [...], \"next_cursor\": \"…\"|null}`."),
    modifiers(&Security),
    paths(openapi_json),
)]
struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new("fieldwork_session"))),
        );
        components.add_security_scheme(
            "api_key",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// This document.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "meta", responses((status = 200, description = "OpenAPI 3.1 document")))]
#[allow(dead_code)] // documentation only: the document is served by the closure in `routes`.
async fn openapi_json() {}

/// Every documented route (the `/api/v1` API and `/healthz`), and the document describing them.
pub fn routes() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let api = OpenApiRouter::new()
        .merge(crate::auth::routes::router())
        .merge(crate::users::routes::router())
        .merge(crate::api_keys::routes::router())
        .merge(crate::contacts::routes::router())
        .merge(crate::activities::routes::router())
        .merge(crate::tasks::routes::router())
        .merge(crate::deals::routes::router())
        .merge(crate::listings::routes::router())
        .merge(crate::listings::photo_routes::router())
        .merge(crate::listings::requirement_routes::router())
        .merge(crate::notifications::routes::router())
        .merge(crate::views::routes::router())
        .merge(crate::feedback::routes::router())
        .merge(crate::forms::routes::router())
        .merge(crate::fields::routes::router())
        .merge(crate::templates::routes::router())
        .merge(crate::campaigns::routes::router())
        .merge(crate::appointments::routes::router())
        .merge(crate::appointments::feed::router())
        .merge(crate::visits::routes::router())
        .merge(crate::reports::routes::router())
        .merge(crate::sync::router())
        .merge(crate::territories::routes::router())
        .merge(crate::territories::map::router());
    let (router, doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .nest("/api/v1", api)
        .routes(routes!(crate::health::healthz))
        .split_for_parts();
    let served = doc.clone();
    let router = router.route("/api/v1/openapi.json", get(move || async move { Json(served) }));
    (router, doc)
}
