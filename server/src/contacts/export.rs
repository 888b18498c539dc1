//! `GET /api/v1/contacts/export`: the filtered list as CSV, streamed page by page so a
//! million-row export never sits in memory. The same scope and filters as the list apply.

use super::store;
use crate::auth::Ctx;
use crate::error::{AppError, AppResult};
use crate::scope::Scope;
use crate::AppState;
use axum::body::Body;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use fieldwork_app::common::ErrorBody;
use fieldwork_app::contacts::search::SearchQuery;
use fieldwork_app::contacts::{Contact, ContactQuery};

/// Rows fetched per step of the stream.
const BATCH: i64 = 500;

const HEADER: [&str; 24] = [
    "id",
    "kind",
    "name",
    "company",
    "lifecycle",
    "email",
    "emails",
    "phone",
    "phones",
    "tags",
    "address",
    "lat",
    "lon",
    "owner_id",
    "territory_id",
    "source",
    "preferred_channel",
    "language",
    "time_zone",
    "consent_email",
    "consent_sms",
    "consent_calls",
    "notes",
    "updated_at",
];

/// The contacts matching the list's filters (`limit` and `cursor` are ignored), as CSV.
#[utoipa::path(get, path = "/contacts/export", tag = "contacts", params(ContactQuery),
    responses((status = 200, content_type = "text/csv", description = "UTF-8 CSV with a header row"),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
pub(super) async fn export_contacts(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(query): Query<ContactQuery>,
) -> AppResult<Response> {
    let filter = query.filter().map_err(AppError::Validation)?;
    let search = filter.q.as_deref().and_then(SearchQuery::parse);
    let scope = Scope::of(&state.db, &ctx).await?;
    let nothing = filter.q.is_some() && search.is_none();
    let first = Some(rows_to_csv(&[], true)?);
    let stream = futures::stream::try_unfold((first, None, nothing), move |(header, after, done)| {
        let (state, scope, filter, search) = (state.clone(), scope.clone(), filter.clone(), search.clone());
        async move {
            if let Some(header) = header {
                return Ok(Some((header, (None, after, done))));
            }
            if done {
                return Ok::<_, AppError>(None);
            }
            let page = store::list(
                &state.db,
                &scope,
                &filter,
                search.as_ref().map(|q| (q, store::Matches::All)),
                BATCH,
                after,
            )
            .await?;
            let next = page.next_cursor.as_deref().and_then(|c| crate::cursor::decode(c, 2)).map(|mut p| {
                let id = p.pop().unwrap_or_default();
                (p.pop().unwrap_or_default(), id)
            });
            let finished = next.is_none();
            Ok(Some((rows_to_csv(&page.items, false)?, (None, next, finished))))
        }
    });
    let date = chrono::Utc::now().format("%Y-%m-%d");
    Ok((
        [
            (http::header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (http::header::CONTENT_DISPOSITION, format!("attachment; filename=\"contacts-{date}.csv\"")),
        ],
        Body::from_stream(stream),
    )
        .into_response())
}

fn rows_to_csv(rows: &[Contact], header: bool) -> AppResult<bytes::Bytes> {
    let mut out = csv::WriterBuilder::new().has_headers(false).from_writer(Vec::new());
    let fail = |e: csv::Error| AppError::Internal(e.into());
    if header {
        out.write_record(HEADER).map_err(fail)?;
    }
    for c in rows {
        let join = |items: Vec<&str>| items.join("; ");
        let flag = |b: bool| if b { "yes" } else { "no" };
        out.write_record([
            c.id.to_string().as_str(),
            c.kind.as_str(),
            &c.name,
            c.company_name.as_deref().unwrap_or(""),
            c.lifecycle.as_str(),
            c.emails.first().map(|e| e.as_str()).unwrap_or(""),
            &join(c.emails.iter().map(|e| e.as_str()).collect()),
            c.phones.first().map(|p| p.as_str()).unwrap_or(""),
            &join(c.phones.iter().map(|p| p.as_str()).collect()),
            &join(c.tags.iter().map(String::as_str).collect()),
            c.address.as_deref().unwrap_or(""),
            &c.location.map(|l| l.lat().to_string()).unwrap_or_default(),
            &c.location.map(|l| l.lon().to_string()).unwrap_or_default(),
            &c.owner_id.map(|o| o.to_string()).unwrap_or_default(),
            &c.territory_id.map(|t| t.to_string()).unwrap_or_default(),
            c.source.as_deref().unwrap_or(""),
            c.preferred_channel.map(|p| p.as_str()).unwrap_or(""),
            c.language.as_deref().unwrap_or(""),
            c.time_zone.as_deref().unwrap_or(""),
            flag(c.consent.email),
            flag(c.consent.sms),
            flag(c.consent.calls),
            c.notes.as_deref().unwrap_or(""),
            &c.updated_at.to_rfc3339(),
        ])
        .map_err(fail)?;
    }
    let bytes = out.into_inner().map_err(|e| AppError::Internal(anyhow::anyhow!("csv buffer: {e}")))?;
    Ok(bytes::Bytes::from(bytes))
}
