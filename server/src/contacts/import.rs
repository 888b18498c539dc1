//! CSV import: a preview of the file's start with the suggested column mapping, then the
//! import itself. The upload is spooled to a temporary file as it arrives (never held in
//! memory), parsed on a blocking thread, and written in **one** transaction: every valid row
//! goes in, or — on any failure — nothing does. Rows that do not validate are listed with
//! their reasons in a downloadable report. A row matching an existing contact or an earlier
//! row (same email or phone, or a very similar name at the same company) is left out, merged
//! into that contact, or imported anyway, as the caller chooses ([`DuplicatePolicy`]). A
//! row's company column links it to the company of that name, created when missing.
//!
//! Progress lives in memory ([`Imports`]): an import is one request's work, atomic in the
//! database, so a restart loses only the progress of an import that is rolled back anyway.

use super::store::{self, Matches};
use super::write;
use crate::auth::Ctx;
use crate::db::{StoreError, WriteTx};
use crate::error::{AppError, AppResult};
use crate::scope::Scope;
use crate::{audit, state::AppState};
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use fieldwork_app::common::{ContactId, ErrorBody, FieldError, UserId};
use fieldwork_app::contacts::dedupe::{self, Incoming};
use fieldwork_app::contacts::import::{
    parse_mapping_param, row_to_contact, suggest_all, Column, DuplicatePolicy, ImportField, ImportPreview, ImportRow,
    ImportState, ImportStatus,
};
use fieldwork_app::contacts::search::{self, words, SearchQuery, Term};
use fieldwork_app::contacts::{Archived, ContactFilter, ContactForCreate, ContactKind, NewContact};
use fieldwork_app::fields::CustomValues;
use fieldwork_app::users::Role;
use futures::StreamExt;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::io::AsyncWriteExt;
use utoipa_axum::{router::OpenApiRouter, routes};

/// The largest file accepted (a 100,000-row export is about 20 MB).
const MAX_BYTES: u64 = 200 * 1024 * 1024;
/// Rows handed from the parser to the writer at a time.
const BATCH: usize = 500;
/// The most people of one company a row's name is compared with.
const MAX_COMPANY_PEOPLE: i64 = 2000;

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
async fn preview_import(State(state): State<AppState>, ctx: Ctx, body: String) -> AppResult<Json<ImportPreview>> {
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
    let own = crate::fields::actions::listed(&state.db, fieldwork_app::fields::RecordType::Contact).await?;
    Ok(Json(ImportPreview { mapping: suggest_all(&headers, &own), headers, rows }))
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
struct ImportParams {
    /// The field of each column, comma-separated, in column order (see the preview).
    mapping: String,
    /// `skip` (default), `merge` or `create`: what to do with rows matching an existing
    /// contact (same email or phone, or a very similar name at the same company).
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
        .filter(|m| m.iter().any(|c| *c != Column::Field(ImportField::Ignore)))
        .ok_or_else(|| AppError::BadRequest("mapping must name a field for at least one column".into()))?;
    let policy = match params.duplicates.as_deref() {
        None => DuplicatePolicy::default(),
        Some(raw) => {
            DuplicatePolicy::parse(raw).ok_or_else(|| AppError::invalid("duplicates", FieldError::NotAllowed))?
        }
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
        merged: 0,
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
        let outcome = run(&state, &ctx, &id, &path, &mapping, policy).await;
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
    mapping: &[Column],
    policy: DuplicatePolicy,
) -> Result<(), String> {
    let custom = crate::fields::actions::listed(&state.db, fieldwork_app::fields::RecordType::Contact)
        .await
        .map_err(|e| e.to_string())?;
    let (sender, mut batches) = tokio::sync::mpsc::channel::<Result<Batch, String>>(4);
    let file = path.to_path_buf();
    let parser = tokio::task::spawn_blocking(move || parse(&file, &sender));
    let mut tx = state.db.begin_write().await.map_err(|e| e.to_string())?;
    tx.bulk().await.map_err(|e| e.to_string())?;
    let mut importer = Importer {
        state,
        ctx,
        id,
        scope: ctx.scope(&state.db).await.map_err(|e| e.to_string())?.clone(),
        owner: matches!(ctx.role(), Role::Manager).then_some(ctx.user_id()),
        mapping,
        custom,
        policy,
        seen: HashMap::new(),
        companies: HashMap::new(),
        people: HashMap::new(),
        report: csv::Writer::from_writer(Vec::new()),
        counts: Counts::default(),
    };
    let _ = importer.report.write_record(["line", "reason", "row"]);
    while let Some(batch) = batches.recv().await {
        let (records, position) = batch?;
        for (line, cells) in records {
            importer.row(&mut tx, line, &cells).await.map_err(|e| match e {
                StoreError::Conflict(m) => format!("line {line}: {m}"),
                other => other.to_string(),
            })?;
        }
        let c = importer.counts;
        state.imports.update(id, |job| {
            if let Some(s) = job.status.as_mut() {
                (s.rows, s.imported, s.duplicates, s.merged, s.rejected, s.bytes_done) =
                    (c.rows, c.imported, c.duplicates, c.merged, c.rejected, position);
            }
        });
    }
    parser.await.map_err(|e| e.to_string())??;
    let c = importer.counts;
    audit::record(
        &mut tx,
        Some(ctx.user_id()),
        "contact",
        id,
        "import",
        serde_json::json!({"rows": c.rows, "imported": c.imported, "duplicates": c.duplicates,
            "merged": c.merged, "rejected": c.rejected, "companies_created": c.companies}),
    )
    .await
    .map_err(|e| e.to_string())?;
    tx.commit().await.map_err(|e| e.to_string())?;
    let report = importer.report.into_inner().unwrap_or_default();
    state.imports.update(id, |job| {
        job.rejected_csv = report;
        if let Some(s) = job.status.as_mut() {
            s.bytes_done = s.bytes_total;
        }
    });
    Ok(())
}

#[derive(Debug, Default, Clone, Copy)]
struct Counts {
    rows: u64,
    imported: u64,
    duplicates: u64,
    merged: u64,
    rejected: u64,
    companies: u64,
}

/// A contact a row repeats: an existing one, or one an earlier row of the file created.
struct Found {
    id: String,
    /// What they share, for the report.
    why: String,
}

/// The state of one import as it goes through the rows.
struct Importer<'a> {
    state: &'a AppState,
    ctx: &'a Ctx,
    id: &'a str,
    scope: Scope,
    owner: Option<UserId>,
    mapping: &'a [Column],
    /// The business's own contact fields, which custom columns are read and checked against.
    custom: Vec<fieldwork_app::fields::FieldDef>,
    policy: DuplicatePolicy,
    /// Email addresses and phone numbers of rows already written (`e:`/`p:` + value), with
    /// the contact each went to.
    seen: HashMap<String, String>,
    /// Companies by lower-cased name: the existing or created record, or none yet.
    companies: HashMap<String, Option<String>>,
    /// The (id, name) of the people of each company met so far, existing and imported.
    people: HashMap<String, Vec<(String, String)>>,
    report: csv::Writer<Vec<u8>>,
    counts: Counts,
}

impl Importer<'_> {
    async fn row(&mut self, tx: &mut WriteTx, line: u64, cells: &[String]) -> Result<(), StoreError> {
        self.counts.rows += 1;
        let cells_ref: Vec<&str> = cells.iter().map(String::as_str).collect();
        let ImportRow { contact, company } = row_to_contact(self.mapping, &cells_ref, &self.custom);
        let writer = fieldwork_app::fields::Writer { office_and_up: self.ctx.role() != Role::Rep };
        let kind = contact.kind.as_deref().map_or(Ok(ContactKind::Person), ContactKind::parse);
        let asked = kind.map_or_else(|_| self.custom.clone(), |k| fieldwork_app::fields::for_contact(&self.custom, k));
        let own = fieldwork_app::fields::apply(&asked, None, &contact.custom, writer);
        let (mut contact, own) = match (contact.validate(), own) {
            (Ok(c), Ok(own)) => (c, own),
            (built_in, own) => {
                let mut errors = built_in.err().unwrap_or_default();
                errors.0.extend(own.err().unwrap_or_default().0);
                self.counts.rejected += 1;
                let reason =
                    errors.0.iter().map(|(f, e)| format!("{f} {}", e.message())).collect::<Vec<_>>().join("; ");
                self.reject(line, reason, cells);
                return Ok(());
            }
        };
        let company_key = company.as_deref().map(str::to_lowercase);
        let existing_company = match &company_key {
            Some(key) => self.existing_company(tx, key).await?,
            None => None,
        };
        if self.policy != DuplicatePolicy::Create {
            if let Some(found) = self.duplicate_of(tx, &contact, existing_company.as_deref()).await? {
                return self.repeat(tx, line, cells, (&contact, &own), found, company.as_deref()).await;
            }
        }
        if let Some(name) = &company {
            match self.company(tx, name).await {
                Ok(id) => contact.company_id = Some(id),
                Err(StoreError::Invalid(errors)) => {
                    self.counts.rejected += 1;
                    let reason = errors.0.values().map(|e| format!("company {}", e.message())).collect::<Vec<_>>();
                    self.reject(line, reason.join("; "), cells);
                    return Ok(());
                }
                Err(e) => return Err(e),
            }
        }
        let territory = self.state.territories.locate(contact.location);
        let created = write::insert(tx, &contact, self.owner, territory, &own).await?;
        crate::fields::store::index(tx, &created.id.to_string(), &self.custom, &own).await?;
        self.remember(&created.id.to_string(), &contact);
        self.counts.imported += 1;
        Ok(())
    }

    fn reject(&mut self, line: u64, reason: String, cells: &[String]) {
        let _ = self.report.write_record([line.to_string(), reason, cells.join(",")]);
    }

    /// A row that repeats `found`: left out, or folded into it.
    async fn repeat(
        &mut self,
        tx: &mut WriteTx,
        line: u64,
        cells: &[String],
        (contact, own): (&NewContact, &CustomValues),
        found: Found,
        company: Option<&str>,
    ) -> Result<(), StoreError> {
        // Only a contact in the caller's scope is named, or merged into.
        let target = match store::get(tx.conn(), &self.scope, &found.id).await {
            Ok(c) => Some(c),
            Err(StoreError::NotFound) => None,
            Err(e) => return Err(e),
        };
        match (self.policy, target) {
            (DuplicatePolicy::Merge, Some(target)) => {
                let mut changes = dedupe::fold(&target, &[Incoming::from(contact)]);
                if let (None, Some(name)) = (target.company_id, company) {
                    changes.company_id = Some(Some(self.company(tx, name).await?));
                }
                let territory = self.state.territories.locate(changes.location.unwrap_or(target.location));
                // The row's own-field values fill those the contact has none of; a value it
                // holds stays, as its built-in fields do.
                let filled = fieldwork_app::fields::fill_gaps(&target.custom, own);
                let merged =
                    write::update(tx, &target, &changes, territory, filled.as_ref(), write::Stages::Forward).await?;
                if let Some(custom) = &filled {
                    crate::fields::store::index(tx, &found.id, &self.custom, custom).await?;
                }
                audit::record(
                    tx,
                    Some(self.ctx.user_id()),
                    "contact",
                    &found.id,
                    "import_merge",
                    serde_json::json!({"import": self.id, "line": line, "diff": audit::diff(&target, &merged)}),
                )
                .await?;
                self.remember(&found.id, contact);
                self.counts.merged += 1;
            }
            (_, target) => {
                let whom = target
                    .map_or_else(|| "a contact outside your scope".to_string(), |t| format!("{} ({})", t.name, t.id));
                self.counts.duplicates += 1;
                self.reject(line, format!("duplicate of {whom}: {}", found.why), cells);
            }
        }
        Ok(())
    }

    /// The company record named `key` (lower-case) before this import, if any.
    async fn existing_company(&mut self, tx: &mut WriteTx, key: &str) -> Result<Option<String>, StoreError> {
        if let Some(known) = self.companies.get(key) {
            return Ok(known.clone());
        }
        let found = store::company_named(tx.conn(), key).await?;
        self.companies.insert(key.to_string(), found.clone());
        Ok(found)
    }

    /// The company named `name`, created (owned like the rows) when there is none.
    async fn company(&mut self, tx: &mut WriteTx, name: &str) -> Result<ContactId, StoreError> {
        let key = name.to_lowercase();
        if let Some(id) = self.existing_company(tx, &key).await? {
            return ContactId::parse(&id).ok_or_else(|| StoreError::Corrupt(format!("contacts.id {id}")));
        }
        let form = ContactForCreate {
            kind: Some("company".into()),
            name: name.to_string(),
            source: Some("import".into()),
            ..Default::default()
        };
        let company = form.validate().map_err(StoreError::Invalid)?;
        let created = write::insert(tx, &company, self.owner, None, &CustomValues::new()).await?;
        self.companies.insert(key, Some(created.id.to_string()));
        self.counts.companies += 1;
        Ok(created.id)
    }

    /// Notes what a written row holds, so later rows repeating it are found.
    fn remember(&mut self, id: &str, contact: &NewContact) {
        for key in keys_of(contact) {
            self.seen.entry(key).or_insert_with(|| id.to_string());
        }
        if let Some(company) = contact.company_id {
            self.people.entry(company.to_string()).or_default().push((id.to_string(), contact.name.clone()));
        }
    }

    /// The contact `contact` repeats, if any: the same email address or phone number as an
    /// earlier row or an existing contact, or a very similar name at the same company.
    async fn duplicate_of(
        &mut self,
        tx: &mut WriteTx,
        contact: &NewContact,
        company: Option<&str>,
    ) -> Result<Option<Found>, StoreError> {
        for key in keys_of(contact) {
            if let Some(id) = self.seen.get(&key) {
                return Ok(Some(Found { id: id.clone(), why: format!("the same {} as an earlier row", &key[2..]) }));
            }
        }
        if let Some(company) = company {
            if !self.people.contains_key(company) {
                let people = store::people_of(tx.conn(), &Scope::All, company, MAX_COMPANY_PEOPLE).await?;
                self.people.insert(company.to_string(), people);
            }
            let people = self.people.get(company).map(Vec::as_slice).unwrap_or_default();
            if let Some((id, name)) = people.iter().find(|(_, name)| dedupe::similar_names(name, &contact.name)) {
                return Ok(Some(Found { id: id.clone(), why: format!("a name like {name} at the same company") }));
            }
        }
        let filter = ContactFilter { archived: Archived::All, ..Default::default() };
        let mut queries: Vec<(SearchQuery, String)> = contact
            .phones
            .iter()
            .map(|p| {
                let digits = p.as_str().trim_start_matches('+').to_string();
                let term = Term { alternatives: vec![digits.clone()], word: digits, is_phone: true };
                (SearchQuery { terms: vec![term] }, format!("phone {}", p.as_str()))
            })
            .collect();
        queries.extend(contact.emails.iter().map(|e| {
            let terms = words(e.as_str())
                .into_iter()
                .map(|w| Term { alternatives: vec![search::token(&w)], word: w, is_phone: false })
                .collect();
            (SearchQuery { terms }, format!("email {}", e.as_str()))
        }));
        for (query, why) in queries {
            let found =
                store::list(&self.state.db, &Scope::All, &filter, Some((&query, Matches::Top)), 20, None).await?;
            let hit = found.items.iter().find(|c| {
                c.phones.iter().any(|p| contact.phones.contains(p))
                    || c.emails.iter().any(|e| contact.emails.contains(e))
            });
            if let Some(existing) = hit {
                return Ok(Some(Found { id: existing.id.to_string(), why: format!("the same {why}") }));
            }
        }
        Ok(None)
    }
}

/// The email addresses and phone numbers of a contact, as keys of [`Importer::seen`].
fn keys_of(contact: &NewContact) -> Vec<String> {
    contact
        .emails
        .iter()
        .map(|e| format!("e:{}", e.as_str()))
        .chain(contact.phones.iter().map(|p| format!("p:{}", p.as_str())))
        .collect()
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
