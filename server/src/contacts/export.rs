//! `GET /api/v1/contacts/export`: the filtered list as CSV or XLSX, streamed page by page so
//! a million-row export never sits in memory. The same scope and filters as the list apply.
//! XLSX is written by `rust_xlsxwriter` in its constant-memory mode (rows go to a temporary
//! file as they come) on a blocking thread, and the finished workbook is streamed out as it
//! is zipped.

use super::store;
use crate::auth::Ctx;
use crate::error::{AppError, AppResult};
use crate::scope::Scope;
use crate::state::AppState;
use axum::body::Body;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use fieldwork_app::common::{ErrorBody, FieldError, FieldErrors};
use fieldwork_app::contacts::search::SearchQuery;
use fieldwork_app::contacts::{Contact, ContactFilter, ContactQuery};
use fieldwork_app::fields::{FieldDef, FieldKind, RecordType};
use futures::{Stream, StreamExt, TryStreamExt};
use std::sync::Arc;
use tokio::sync::mpsc;

/// Rows fetched per step of the stream.
const BATCH: i64 = 500;
/// The rows a worksheet holds below its header (Excel's limit is 1,048,576 in all).
const XLSX_MAX_ROWS: u32 = 1_048_575;
/// The longest text an Excel cell holds.
const XLSX_MAX_TEXT: usize = 32_767;
/// The columns written as numbers in XLSX (lat, lon).
const NUMERIC: [usize; 2] = [11, 12];

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

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
pub(super) struct ExportParams {
    /// `csv` (default) or `xlsx`.
    format: Option<String>,
}

/// The contacts matching the list's filters (`limit` and `cursor` are ignored), as CSV or XLSX.
#[utoipa::path(get, path = "/contacts/export", tag = "contacts", params(ContactQuery, ExportParams),
    responses((status = 200, content_type = "text/csv", description = "UTF-8 CSV with a header row, or an XLSX workbook with `format=xlsx`"),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
pub(super) async fn export_contacts(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(query): Query<ContactQuery>,
    Query(params): Query<ExportParams>,
) -> AppResult<Response> {
    let mut errors = FieldErrors::new();
    let xlsx = match params.format.as_deref() {
        None | Some("csv") => false,
        Some("xlsx") => true,
        Some(_) => {
            errors.add("format", FieldError::NotAllowed);
            false
        }
    };
    let filter = query.filter();
    if let Err(e) = &filter {
        errors.0.extend(e.0.clone());
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let mut filter = filter.map_err(AppError::Validation)?;
    filter.custom = crate::fields::actions::conditions(&state.db, RecordType::Contact, query.custom.as_deref()).await?;
    let columns = Arc::new(Columns { custom: crate::fields::actions::listed(&state.db, RecordType::Contact).await? });
    let scope = ctx.scope(&state.db).await?.clone();
    // Who took the customer list, when, and which part of it.
    let mut tx = state.db.begin_write().await?;
    let detail = serde_json::json!({"format": if xlsx { "xlsx" } else { "csv" }, "filter": serde_json::to_value(&query).unwrap_or_default()});
    crate::audit::record(&mut tx, Some(ctx.user_id()), "contacts", "", "export", detail).await?;
    tx.commit().await?;
    let rows = pages(state, scope, filter);
    let date = chrono::Utc::now().format("%Y-%m-%d");
    let (content_type, file, body) = if xlsx {
        (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            format!("contacts-{date}.xlsx"),
            xlsx_body(rows, columns),
        )
    } else {
        let first = columns.clone();
        let header = futures::stream::once(async move { rows_to_csv(&first, &[], true) });
        let rows = rows.and_then(move |page| {
            let columns = columns.clone();
            async move { rows_to_csv(&columns, &page, false) }
        });
        let body = Body::from_stream(header.chain(rows));
        ("text/csv; charset=utf-8", format!("contacts-{date}.csv"), body)
    };
    Ok((
        [
            (http::header::CONTENT_TYPE, content_type.to_string()),
            (http::header::CONTENT_DISPOSITION, format!("attachment; filename=\"{file}\"")),
        ],
        body,
    )
        .into_response())
}

/// Every contact of the filtered list, a page at a time.
fn pages(state: AppState, scope: Scope, filter: ContactFilter) -> impl Stream<Item = AppResult<Vec<Contact>>> + Send {
    let search = filter.q.as_deref().and_then(SearchQuery::parse);
    // A search text with no searchable word matches nothing.
    let nothing = filter.q.is_some() && search.is_none();
    futures::stream::try_unfold((None, nothing), move |(after, done)| {
        let (state, scope, filter, search) = (state.clone(), scope.clone(), filter.clone(), search.clone());
        async move {
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
            Ok(Some((page.items, (next, finished))))
        }
    })
}

/// The columns of an export: the built-in ones ([`HEADER`]), then one per custom field.
struct Columns {
    custom: Vec<FieldDef>,
}

impl Columns {
    fn header(&self) -> Vec<String> {
        HEADER.iter().map(|h| (*h).to_string()).chain(self.custom.iter().map(|d| d.label.en.clone())).collect()
    }

    /// A contact's row: [`cells`], then its custom values as people read them (money in
    /// whole units with decimals, choices by their labels joined by `; `).
    fn row(&self, c: &Contact) -> Vec<String> {
        let custom = self.custom.iter().map(|d| match (d.kind, c.custom.get(&d.key)) {
            (_, None) => String::new(),
            (FieldKind::Money, Some(v)) => {
                v.as_i64().map(|minor| format!("{}.{:02}", minor / 100, minor % 100)).unwrap_or_default()
            }
            (FieldKind::Choices, Some(v)) => fieldwork_app::fields::display(d, v, "en").replace(", ", "; "),
            (_, Some(v)) => fieldwork_app::fields::display(d, v, "en"),
        });
        cells(c).into_iter().chain(custom).collect()
    }

    /// Whether column `i` holds numbers (written as numbers in XLSX).
    fn numeric(&self, i: usize) -> bool {
        NUMERIC.contains(&i)
            || i.checked_sub(HEADER.len())
                .and_then(|i| self.custom.get(i))
                .is_some_and(|d| matches!(d.kind, FieldKind::Number | FieldKind::Money))
    }
}

/// The cells of one contact, in [`HEADER`] order.
fn cells(c: &Contact) -> [String; 24] {
    let join = |items: Vec<&str>| items.join("; ");
    let flag = |b: bool| if b { "yes" } else { "no" }.to_string();
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    [
        c.id.to_string(),
        c.kind.as_str().to_string(),
        c.name.clone(),
        text(&c.company_name),
        c.lifecycle.as_str().to_string(),
        c.emails.first().map(|e| e.as_str().to_string()).unwrap_or_default(),
        join(c.emails.iter().map(fieldwork_app::common::Email::as_str).collect()),
        c.phones.first().map(|p| p.as_str().to_string()).unwrap_or_default(),
        join(c.phones.iter().map(fieldwork_app::common::Phone::as_str).collect()),
        join(c.tags.iter().map(String::as_str).collect()),
        text(&c.address),
        c.location.map(|l| l.lat().to_string()).unwrap_or_default(),
        c.location.map(|l| l.lon().to_string()).unwrap_or_default(),
        c.owner_id.map(|o| o.to_string()).unwrap_or_default(),
        c.territory_id.map(|t| t.to_string()).unwrap_or_default(),
        text(&c.source),
        c.preferred_channel.map(|p| p.as_str().to_string()).unwrap_or_default(),
        text(&c.language),
        c.time_zone.as_ref().map(|z| z.as_str().to_string()).unwrap_or_default(),
        flag(c.consent.email),
        flag(c.consent.sms),
        flag(c.consent.calls),
        text(&c.notes),
        c.updated_at.to_rfc3339(),
    ]
}

fn rows_to_csv(columns: &Columns, rows: &[Contact], header: bool) -> AppResult<Bytes> {
    let mut out = csv::WriterBuilder::new().has_headers(false).from_writer(Vec::new());
    let fail = |e: csv::Error| AppError::Internal(e.into());
    if header {
        out.write_record(columns.header()).map_err(fail)?;
    }
    for c in rows {
        out.write_record(columns.row(c)).map_err(fail)?;
    }
    let bytes = out.into_inner().map_err(|e| AppError::Internal(anyhow::anyhow!("csv buffer: {e}")))?;
    Ok(Bytes::from(bytes))
}

type Chunk = Result<Bytes, std::io::Error>;

/// The body of an XLSX export: pages are fetched here and written to the workbook on a
/// blocking thread, which then streams the zipped workbook out. A failure on either side
/// breaks the download off (a half workbook is never presented as whole).
fn xlsx_body(rows: impl Stream<Item = AppResult<Vec<Contact>>> + Send + 'static, columns: Arc<Columns>) -> Body {
    let (page_tx, page_rx) = mpsc::channel::<Result<Vec<Contact>, String>>(2);
    let (chunk_tx, mut chunk_rx) = mpsc::channel::<Chunk>(8);
    tokio::spawn(async move {
        let mut rows = std::pin::pin!(rows);
        while let Some(page) = rows.next().await {
            let failed = page.is_err();
            if page_tx.send(page.map_err(|e| e.to_string())).await.is_err() || failed {
                break;
            }
        }
    });
    tokio::task::spawn_blocking(move || {
        if let Err(e) = write_xlsx(&columns, page_rx, &chunk_tx) {
            tracing::warn!(error = %e, "xlsx export failed");
            let _ = chunk_tx.blocking_send(Err(std::io::Error::other(e)));
        }
    });
    Body::from_stream(futures::stream::poll_fn(move |cx| chunk_rx.poll_recv(cx)))
}

fn write_xlsx(
    columns: &Columns,
    mut pages: mpsc::Receiver<Result<Vec<Contact>, String>>,
    out: &mpsc::Sender<Chunk>,
) -> Result<(), String> {
    use rust_xlsxwriter::{Format, Workbook};
    let fail = |e: rust_xlsxwriter::XlsxError| e.to_string();
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet_with_constant_memory().map_err(fail)?;
    sheet.set_name("Contacts").map_err(fail)?;
    let bold = Format::new().set_bold();
    for (col, title) in (0u16..).zip(columns.header()) {
        let width = match title.as_str() {
            "id" | "owner_id" | "territory_id" => 38,
            "name" | "company" | "emails" | "address" | "notes" => 28,
            "email" | "phones" | "tags" | "updated_at" => 22,
            _ => 12,
        };
        sheet.set_column_width(col, width).map_err(fail)?;
        sheet.write_string_with_format(0, col, &title, &bold).map_err(fail)?;
    }
    sheet.set_freeze_panes(1, 0).map_err(fail)?;
    let mut row = 0u32;
    'pages: while let Some(page) = pages.blocking_recv() {
        for contact in page? {
            if row == XLSX_MAX_ROWS {
                break 'pages;
            }
            row += 1;
            for (col, (i, cell)) in (0u16..).zip(columns.row(&contact).into_iter().enumerate()) {
                if cell.is_empty() {
                    continue;
                }
                match cell.parse::<f64>() {
                    Ok(n) if columns.numeric(i) => sheet.write_number(row, col, n),
                    _ => sheet.write_string(row, col, truncate(cell, XLSX_MAX_TEXT)),
                }
                .map_err(fail)?;
            }
        }
    }
    let mut writer = ChunkWriter { out, buf: Vec::new() };
    workbook.save_to_writer(&mut writer).map_err(fail)?;
    std::io::Write::flush(&mut writer).map_err(|e| e.to_string())
}

/// At most `max` characters of `text`.
fn truncate(mut text: String, max: usize) -> String {
    if let Some((cut, _)) = text.char_indices().nth(max) {
        text.truncate(cut);
    }
    text
}

/// Sends what is written to the response body in chunks of 64 KiB.
struct ChunkWriter<'a> {
    out: &'a mpsc::Sender<Chunk>,
    buf: Vec<u8>,
}

impl std::io::Write for ChunkWriter<'_> {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= 64 * 1024 {
            self.flush()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::take(&mut self.buf));
        self.out
            .blocking_send(Ok(chunk))
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "the download was cancelled"))
    }
}
