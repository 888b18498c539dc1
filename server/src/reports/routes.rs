//! `/api/v1/dashboard/*` and `/api/v1/reports/{name}`: the rep's own numbers, the manager's
//! dashboard, and each report as JSON, CSV or XLSX. Reports are for office staff, managers
//! (their team) and admins; every export is written to the audit log.

use super::build::{build, figures};
use super::frame::Frame;
use crate::auth::Ctx;
use crate::error::{AppError, AppResult};
use crate::{audit, state::AppState};
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use fieldwork_app::common::{ErrorBody, FieldError};
use fieldwork_app::reports::{ManagerDashboard, RepDashboard, ReportName, ReportQuery, Table};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(my_dashboard)).routes(routes!(manager_dashboard)).routes(routes!(report))
}

/// The caller's own numbers for today (in their time zone): visits done and planned, follow-ups
/// due and overdue, new leads this week, open deals and their value, CSAT and NPS of the last
/// 90 days.
#[utoipa::path(get, path = "/dashboard/me", tag = "reports",
    responses((status = 200, body = RepDashboard), (status = 401, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn my_dashboard(State(state): State<AppState>, ctx: Ctx) -> AppResult<Json<RepDashboard>> {
    Ok(Json(super::rep::dashboard(&state.db, &ctx).await?))
}

/// Every report for one filter, with the headline figures: per rep, per territory, the
/// pipeline, listings, feedback over time and the customer metrics.
#[utoipa::path(get, path = "/dashboard/manager", tag = "reports", params(ReportQuery),
    responses((status = 200, body = ManagerDashboard), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn manager_dashboard(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(query): Query<ReportQuery>,
) -> AppResult<Json<ManagerDashboard>> {
    let filter = query.filter(ctx.today()).map_err(AppError::Validation)?;
    let frame = Frame::of(&state.db, &ctx, &filter).await?;
    // The six reports read the database at once, each on a connection of its own.
    let tables =
        futures::future::try_join_all(ReportName::ON_DASHBOARD.map(|name| build(&state.db, &frame, name))).await?;
    let figures = tables.iter().find(|t| t.name == ReportName::Customers.as_str()).map(figures).unwrap_or_default();
    Ok(Json(ManagerDashboard { period: frame.period, query: ReportQuery::of(&filter), figures, tables }))
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
struct FormatParam {
    /// `json` (default), `csv` or `xlsx`.
    format: Option<String>,
}

/// One report (`reps`, `territories`, `pipeline`, `listings`, `feedback`, `customers`,
/// `visit_answers`, `by_field`) as a table; `format=csv` or `format=xlsx` downloads it as a
/// file. `custom` narrows every figure to contacts whose own fields pass it, as the contact
/// list's `custom` does.
#[utoipa::path(get, path = "/reports/{name}", tag = "reports", params(("name" = String, Path), ReportQuery, FormatParam),
    responses((status = 200, body = Table, description = "JSON, or CSV / XLSX with `format`"), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn report(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(name): Path<String>,
    Query(query): Query<ReportQuery>,
    Query(format): Query<FormatParam>,
) -> AppResult<Response> {
    let name = ReportName::parse(&name).ok_or(AppError::NotFound)?;
    let format = format.format.unwrap_or_else(|| "json".into());
    if !["json", "csv", "xlsx"].contains(&format.as_str()) {
        return Err(AppError::invalid("format", FieldError::NotAllowed));
    }
    let filter = query.filter(ctx.today()).map_err(AppError::Validation)?;
    let frame = Frame::of(&state.db, &ctx, &filter).await?;
    let table = build(&state.db, &frame, name).await?;
    if format == "json" {
        return Ok(Json(table).into_response());
    }
    let (body, content_type) = if format == "csv" {
        (super::export::csv(&table)?, "text/csv; charset=utf-8")
    } else {
        (super::export::xlsx(&table)?, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    };
    let mut tx = state.db.begin_write().await?;
    let detail = serde_json::json!({"report": name.as_str(), "format": format, "query": ReportQuery::of(&filter).to_query_string()});
    audit::record(&mut tx, Some(ctx.user_id()), "report", name.as_str(), "export", detail).await?;
    tx.commit().await?;
    let file = format!("{}-{}-{}.{format}", name.as_str(), filter.period.from, filter.period.to);
    Ok((
        [
            (http::header::CONTENT_TYPE, content_type.to_string()),
            (http::header::CONTENT_DISPOSITION, format!("attachment; filename=\"{file}\"")),
        ],
        body,
    )
        .into_response())
}
