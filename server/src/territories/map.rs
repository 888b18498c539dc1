//! `/api/v1/map`: what the map page draws besides the territories — the contacts and listings
//! in the caller's scope inside the box on screen, and the tile layer, if one is configured.

use super::store::{self, Placed};
use crate::auth::Ctx;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::Json;
use fieldwork_app::common::{ErrorBody, FieldError, FieldErrors};
use fieldwork_app::territories::{MapPoints, MapSettings, MAX_MAP_POINTS};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(map_points)).routes(routes!(map_settings))
}

/// The box on screen; all four or none (the whole world).
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
struct BoxParams {
    west: Option<f64>,
    south: Option<f64>,
    east: Option<f64>,
    north: Option<f64>,
}

impl BoxParams {
    /// `[west, south, east, north]`, checked: each in range, west ≤ east, south ≤ north.
    fn bounds(&self) -> Result<[f64; 4], FieldErrors> {
        let mut e = FieldErrors::new();
        let sides = [
            ("west", self.west, 180.0),
            ("south", self.south, 90.0),
            ("east", self.east, 180.0),
            ("north", self.north, 90.0),
        ];
        if sides.iter().all(|(_, v, _)| v.is_none()) {
            return Ok([-180.0, -90.0, 180.0, 90.0]);
        }
        let mut out = [0.0; 4];
        for (i, (name, value, limit)) in sides.into_iter().enumerate() {
            match value {
                None => e.add(name, FieldError::Required),
                Some(v) if !v.is_finite() || v.abs() > limit => e.add(name, FieldError::NotAllowed),
                Some(v) => out[i] = v,
            }
        }
        if e.is_empty() && out[0] > out[2] {
            e.add("east", FieldError::NotAllowed);
        }
        if e.is_empty() && out[1] > out[3] {
            e.add("north", FieldError::NotAllowed);
        }
        e.into_result(|| out)
    }
}

/// Contacts and listings with a position inside the box, in the caller's scope: at most
/// 5,000 of each (`truncated` says there were more; the page asks again when zoomed in).
#[utoipa::path(get, path = "/map/points", tag = "territories", params(BoxParams),
    responses((status = 200, body = MapPoints), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn map_points(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(params): Query<BoxParams>,
) -> AppResult<Json<MapPoints>> {
    let bounds = params.bounds().map_err(AppError::Validation)?;
    let scope = ctx.scope(&state.db).await?.clone();
    let mut contacts = store::points(&state.db, &scope, Placed::Contacts, bounds, MAX_MAP_POINTS + 1).await?;
    let mut listings = store::points(&state.db, &scope, Placed::Listings, bounds, MAX_MAP_POINTS + 1).await?;
    let limit = usize::try_from(MAX_MAP_POINTS).unwrap_or(usize::MAX);
    let truncated = contacts.len() > limit || listings.len() > limit;
    contacts.truncate(limit);
    listings.truncate(limit);
    Ok(Json(MapPoints { contacts, listings, truncated }))
}

/// The tile layer to draw under the map, if the server has one configured.
#[utoipa::path(get, path = "/map/settings", tag = "territories",
    responses((status = 200, body = MapSettings), (status = 401, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn map_settings(State(state): State<AppState>, _ctx: Ctx) -> AppResult<Json<MapSettings>> {
    Ok(Json(MapSettings {
        tile_url: state.settings.tile_url.clone(),
        tile_attribution: state.settings.tile_attribution.clone(),
    }))
}
