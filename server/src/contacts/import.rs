//! CSV import: a preview of the file's start with the suggested column mapping, then the
//! import itself. The upload is spooled to a temporary file as it arrives (never held in
//! memory), parsed on a blocking thread, and written in **one** transaction: every valid row
//! goes in, or — on any failure — nothing does. Rows that do not validate are listed with
//! their reasons in a downloadable report; rows matching an existing contact's email or phone
//! (or an earlier row) are counted as duplicates and skipped unless the caller asks otherwise.
//!
//! Progress lives in memory ([`Imports`]): an import is one request's work, atomic in the
//! database, so a restart loses only the progress of an import that is rolled back anyway.

use super::store::{self, Matches};
use super::write;
use crate::auth::Ctx;
use crate::db::StoreError;
use crate::error::{AppError, AppResult};
use crate::scope::Scope;
use crate::{audit, AppState};
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use fieldwork_app::common::{ErrorBody, UserId};
use fieldwork_app::contacts::import::{
    parse_mapping_param, row_to_contact, suggest_all, ImportField, ImportPreview, ImportState, ImportStatus,
};
use fieldwork_app::contacts::search::{words, SearchQuery, Term};
use fieldwork_app::contacts::{Archived, ContactFilter, NewContact};
use fieldwork_app::users::Role;
use futures::StreamExt;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use tokio::io::AsyncWriteExt;
use utoipa_axum::{router::OpenApiRouter, routes};

/// The largest file accepted (a 100,000-row export is about 20 MB).
const MAX_BYTES: u64 = 200 * 1024 * 1024;
/// Rows handed from the parser to the writer at a time.
const BATCH: usize = 500;

#[derive(Default)]
struct Job {
    owner: Option<UserId>,
    status: Option<ImportStatus>,
    rejected_csv: Vec<u8>,
}

/// The imports of this server process, by id.
#[derive(Clone, Default)]
pub struct Imports(Arc<Mutex<HashMap<String, Job>>>);

impl Imports {
    fn update(&self, id: &str, f: impl FnOnce(&mut Job)) {
        if let Ok(mut jobs) = self.0.lock() {
            if let Some(job) = jobs.get_mut(id) {
                f(job);
            }
        }
    }
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(preview_import))
        .routes(routes!(start_import))
        .routes(routes!(import_status))
        .routes(routes!(rejected_rows))
}

/// The header row, the suggested mapping and the first rows of a CSV file (send its first
/// 64 KB or so; a cut-off last line is ignored).
#[utoipa::path(post, path = "/contacts/import/preview", tag = "contacts", request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = ImportPreview), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn preview_import(ctx: Ctx, body: String) -> AppResult<Json<ImportPreview>> {
    ctx.require_not_rep()?;
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(body.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| AppError::BadRequest(format!("the file is not CSV: {e}")))?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_string())
        .collect();
    if headers.iter().all(|h| h.trim().is_empty()) {
        return Err(AppError::BadRequest("the file has no header row".into()));
    }
    let rows =
        reader.records().take(10).filter_map(Result::ok).map(|r| r.iter().map(str::to_string).collect()).collect();
    Ok(Json(ImportPreview { mapping: suggest_all(&headers), headers, rows }))
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
struct ImportParams {
    /// The field of each column, comma-separated, in column order (see the preview).
    mapping: String,
    /// `skip` (default) or `create`: what to do with rows matching an existing contact.
    duplicates: Option<String>,
}

/// Start importing a CSV file (the request body). Answers 202 with the import's status; poll
/// `GET /contacts/import/{id}` for progress.
#[utoipa::path(post, path = "/contacts/import", tag = "contacts", params(ImportParams),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 202, body = ImportStatus), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 413, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn start_import(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(params): Query<ImportParams>,
    body: Body,
) -> AppResult<impl IntoResponse> {
    ctx.require_not_rep()?;
    let mapping = parse_mapping_param(&params.mapping)
        .filter(|m| m.iter().any(|f| *f != ImportField::Ignore))
        .ok_or_else(|| AppError::BadRequest("mapping must name a field for at least one column".into()))?;
    let create_duplicates = match params.duplicates.as_deref() {
        None | Some("skip") => false,
        Some("create") => true,
        Some(_) => return Err(AppError::BadRequest("duplicates must be skip or create".into())),
    };
    let id = uuid::Uuid::now_v7().to_string();
    let path = std::env::temp_dir().join(format!("fieldwork-import-{id}.csv"));
    let size = spool(body, &path).await.inspect_err(|_| {
        let _ = std::fs::remove_file(&path);
    })?;
    let status = ImportStatus {
        id: id.clone(),
        state: ImportState::Running,
        bytes_done: 0,
        bytes_total: size,
        rows: 0,
        imported: 0,
        duplicates: 0,
        rejected: 0,
        error: None,
    };
    if let Ok(mut jobs) = state.imports.0.lock() {
        jobs.insert(
            id.clone(),
            Job { owner: Some(ctx.user_id()), status: Some(status.clone()), rejected_csv: Vec::new() },
        );
    }
    tokio::spawn(async move {
        let outcome = run(&state, &ctx, &id, &path, &mapping, create_duplicates).await;
        let _ = tokio::fs::remove_file(&path).await;
        state.imports.update(&id, |job| {
            if let Some(s) = job.status.as_mut() {
                match outcome {
                    Ok(()) => s.state = ImportState::Done,
                    Err(e) => {
                        tracing::warn!(error = %e, "import failed");
                        s.state = ImportState::Failed;
                        s.imported = 0;
                        s.error = Some(e);
                    }
                }
            }
        });
    });
    Ok((StatusCode::ACCEPTED, Json(status)))
}

/// Writes the request body to `path` as it arrives; refuses more than [`MAX_BYTES`].
async fn spool(body: Body, path: &std::path::Path) -> AppResult<u64> {
    let mut file = tokio::fs::File::create(path).await.map_err(|e| AppError::Internal(e.into()))?;
    let mut stream = body.into_data_stream();
    let mut size = 0u64;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| AppError::BadRequest(format!("the upload broke off: {e}")))?;
        size += chunk.len() as u64;
        if size > MAX_BYTES {
            return Err(AppError::PayloadTooLarge);
        }
        file.write_all(&chunk).await.map_err(|e| AppError::Internal(e.into()))?;
    }
    file.flush().await.map_err(|e| AppError::Internal(e.into()))?;
    Ok(size)
}

/// A parsed batch: (line number, cells) pairs and the byte position reached.
type Batch = (Vec<(u64, Vec<String>)>, u64);

/// Parses on a blocking thread and writes in one transaction; an error rolls everything back.
async fn run(
    state: &AppState,
    ctx: &Ctx,
    id: &str,
    path: &std::path::Path,
    mapping: &[ImportField],
    create_duplicates: bool,
) -> Result<(), String> {
    let (sender, mut batches) = tokio::sync::mpsc::channel::<Result<Batch, String>>(4);
    let file = path.to_path_buf();
    let parser = tokio::task::spawn_blocking(move || parse(&file, &sender));
    let owner = matches!(ctx.role(), Role::Manager).then_some(ctx.user_id());
    let mut tx = state.db.begin_write().await.map_err(|e| e.to_string())?;
    let mut seen: HashSet<String> = HashSet::new();
    let mut report = csv::Writer::from_writer(Vec::new());
    let _ = report.write_record(["line", "reason", "row"]);
    let (mut rows, mut imported, mut duplicates, mut rejected) = (0u64, 0u64, 0u64, 0u64);
    while let Some(batch) = batches.recv().await {
        let (records, position) = batch?;
        for (line, cells) in records {
            rows += 1;
            let cells_ref: Vec<&str> = cells.iter().map(String::as_str).collect();
            let reject = |reason: String, report: &mut csv::Writer<Vec<u8>>| {
                let _ = report.write_record([line.to_string(), reason, cells.join(",")]);
            };
            let contact = match row_to_contact(mapping, &cells_ref).validate() {
                Ok(c) => c,
                Err(errors) => {
                    rejected += 1;
                    let reason =
                        errors.0.iter().map(|(f, e)| format!("{f} {}", e.message())).collect::<Vec<_>>().join("; ");
                    reject(reason, &mut report);
                    continue;
                }
            };
            if !create_duplicates {
                if let Some(reason) = duplicate_of(state, &contact, &mut seen).await.map_err(|e| e.to_string())? {
                    duplicates += 1;
                    reject(reason, &mut report);
                    continue;
                }
            }
            write::insert(&mut tx, &contact, owner, None).await.map_err(|e| match e {
                StoreError::Conflict(m) => format!("line {line}: {m}"),
                other => other.to_string(),
            })?;
            imported += 1;
        }
        state.imports.update(id, |job| {
            if let Some(s) = job.status.as_mut() {
                (s.rows, s.imported, s.duplicates, s.rejected, s.bytes_done) =
                    (rows, imported, duplicates, rejected, position);
            }
        });
    }
    parser.await.map_err(|e| e.to_string())??;
    audit::record(
        &mut tx,
        Some(ctx.user_id()),
        "contact",
        id,
        "import",
        serde_json::json!({"rows": rows, "imported": imported, "duplicates": duplicates, "rejected": rejected}),
    )
    .await
    .map_err(|e| e.to_string())?;
    tx.commit().await.map_err(|e| e.to_string())?;
    let report = report.into_inner().unwrap_or_default();
    state.imports.update(id, |job| {
        job.rejected_csv = report;
        if let Some(s) = job.status.as_mut() {
            s.bytes_done = s.bytes_total;
        }
    });
    Ok(())
}

fn parse(path: &std::path::Path, sender: &tokio::sync::mpsc::Sender<Result<Batch, String>>) -> Result<(), String> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_path(path).map_err(|e| e.to_string())?;
    reader.headers().map_err(|e| format!("the file is not CSV: {e}"))?;
    let mut batch = Vec::with_capacity(BATCH);
    for record in reader.records() {
        let record = record.map_err(|e| format!("the file is not valid CSV: {e}"))?;
        let line = record.position().map_or(0, csv::Position::line);
        batch.push((line, record.iter().map(str::to_string).collect()));
        if batch.len() == BATCH {
            let position = record.position().map_or(0, csv::Position::byte);
            if sender.blocking_send(Ok((std::mem::take(&mut batch), position))).is_err() {
                return Ok(()); // the writer stopped; its error is reported
            }
        }
    }
    let _ = sender.blocking_send(Ok((batch, 0)));
    Ok(())
}

/// Why `contact` is a duplicate, if it is: an earlier row of the file, or an existing contact,
/// with the same email address or phone number.
async fn duplicate_of(
    state: &AppState,
    contact: &NewContact,
    seen: &mut HashSet<String>,
) -> Result<Option<String>, StoreError> {
    let keys: Vec<String> = contact
        .emails
        .iter()
        .map(|e| format!("e:{}", e.as_str()))
        .chain(contact.phones.iter().map(|p| format!("p:{}", p.as_str())))
        .collect();
    if let Some(key) = keys.iter().find(|k| seen.contains(*k)) {
        return Ok(Some(format!("duplicate of an earlier row ({})", &key[2..])));
    }
    seen.extend(keys);
    let filter = ContactFilter { archived: Archived::All, ..Default::default() };
    let mut queries: Vec<SearchQuery> = contact
        .phones
        .iter()
        .map(|p| {
            let digits = p.as_str().trim_start_matches('+').to_string();
            SearchQuery { terms: vec![Term { alternatives: vec![digits.clone()], word: digits, is_phone: true }] }
        })
        .collect();
    queries.extend(contact.emails.iter().map(|e| {
        SearchQuery {
            terms: words(e.as_str())
                .into_iter()
                .map(|w| Term {
                    alternatives: vec![fieldwork_app::contacts::search::token(&w)],
                    word: w,
                    is_phone: false,
                })
                .collect(),
        }
    }));
    for query in queries {
        let found = store::list(&state.db, &Scope::All, &filter, Some((&query, Matches::Top)), 20, None).await?;
        let hit = found.items.iter().find(|c| {
            c.phones.iter().any(|p| contact.phones.contains(p)) || c.emails.iter().any(|e| contact.emails.contains(e))
        });
        if let Some(existing) = hit {
            return Ok(Some(format!("duplicate of {} ({})", existing.name, existing.id)));
        }
    }
    Ok(None)
}

fn job_of<T>(state: &AppState, ctx: &Ctx, id: &str, f: impl FnOnce(&Job) -> T) -> AppResult<T> {
    let jobs = state.imports.0.lock().map_err(|_| AppError::Internal(anyhow::anyhow!("import registry poisoned")))?;
    match jobs.get(id) {
        Some(job) if job.owner == Some(ctx.user_id()) => Ok(f(job)),
        _ => Err(AppError::NotFound),
    }
}

/// How far an import has come (the user who started it only).
#[utoipa::path(get, path = "/contacts/import/{id}", tag = "contacts", params(("id" = String, Path)),
    responses((status = 200, body = ImportStatus), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn import_status(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> AppResult<Json<ImportStatus>> {
    job_of(&state, &ctx, &id, |job| job.status.clone())?.map(Json).ok_or(AppError::NotFound)
}

/// The rows an import left out, with the reason for each, as CSV.
#[utoipa::path(get, path = "/contacts/import/{id}/rejected", tag = "contacts", params(("id" = String, Path)),
    responses((status = 200, content_type = "text/csv", description = "line, reason, row"), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn rejected_rows(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    let csv = job_of(&state, &ctx, &id, |job| job.rejected_csv.clone())?;
    Ok((
        [
            (http::header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (http::header::CONTENT_DISPOSITION, format!("attachment; filename=\"rejected-rows-{id}.csv\"")),
        ],
        csv,
    )
        .into_response())
}
