//! `GET /api/v1/contacts/{id}/timeline`: everything that happened with a contact, newest
//! first, in one keyset-paged query over every table that refers to it (one `UNION ALL`, no
//! query per entry).

use super::store;
use crate::auth::Ctx;
use crate::cursor::PageParams;
use crate::db::{from_ms, Db, StoreResult};
use crate::error::AppResult;
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::Json;
use fieldwork_app::common::{ContactId, ErrorBody, Page};
use fieldwork_app::contacts::{TimelineEntry, TimelineKind};
use fieldwork_app::fields::{display, CustomValues, FieldDef, RecordType};

/// Each branch yields: kind, id, at, three texts, two numbers, and the actor's name.
const BRANCHES: &str = "
    SELECT a.kind AS kind, a.id AS id, a.occurred_at AS at, a.subject AS t1, a.body AS t2,
           COALESCE(a.direction, '') || ' ' || COALESCE(a.result, '') AS t3, a.duration_s AS n1,
           CAST(NULL AS BIGINT) AS n2, u.name AS by_name
      FROM activities a LEFT JOIN users u ON u.id = a.author_id WHERE a.contact_id = $1 AND a.deleted = 0
    UNION ALL
    SELECT 'visit', v.id, v.check_in_at, v.outcome, COALESCE(v.notes, v.next_step), v.custom, v.check_out_at,
           CAST(NULL AS BIGINT), u.name
      FROM visits v LEFT JOIN users u ON u.id = v.rep_id WHERE v.contact_id = $1 AND v.deleted = 0
    UNION ALL
    SELECT 'appointment', p.id, p.starts_at, p.title, p.notes, p.status, p.ends_at, CAST(NULL AS BIGINT), u.name
      FROM appointments p LEFT JOIN users u ON u.id = p.assignee_id WHERE p.contact_id = $1 AND p.deleted = 0
    UNION ALL
    SELECT 'deal', d.id, d.created_at, d.title, d.lost_reason, d.stage || ' ' || d.value_currency, d.value_amount,
           CAST(NULL AS BIGINT), u.name
      FROM deals d LEFT JOIN users u ON u.id = d.owner_id WHERE d.contact_id = $1 AND d.deleted = 0
    UNION ALL
    SELECT 'feedback', f.id, COALESCE(f.answered_at, f.sent_at, f.created_at), f.comment, NULL, NULL, f.csat, f.nps, NULL
      FROM feedback f WHERE f.contact_id = $1 AND f.deleted = 0
    UNION ALL
    SELECT 'task', t.id, t.created_at, t.title, NULL, NULL, t.due_at, t.done, u.name
      FROM tasks t LEFT JOIN users u ON u.id = t.assignee_id WHERE t.contact_id = $1 AND t.deleted = 0
    UNION ALL
    SELECT 'change', l.id, l.at, l.action, l.changes, NULL, NULL, NULL, u.name
      FROM audit_log l LEFT JOIN users u ON u.id = l.actor_id WHERE l.entity = 'contact' AND l.entity_id = $1";

#[derive(sqlx::FromRow)]
struct EntryRow {
    kind: String,
    id: String,
    at: i64,
    t1: Option<String>,
    t2: Option<String>,
    t3: Option<String>,
    n1: Option<i64>,
    n2: Option<i64>,
    by_name: Option<String>,
}

/// The contact's timeline, newest first, one page at a time.
#[utoipa::path(get, path = "/contacts/{id}/timeline", tag = "contacts", params(("id" = String, Path), PageParams),
    responses((status = 200, body = Page<TimelineEntry>), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
pub(super) async fn contact_timeline(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<ContactId>,
    Query(params): Query<PageParams>,
) -> AppResult<Json<Page<TimelineEntry>>> {
    let limit = params.limit()?;
    let before = crate::cursor::decode_ms_id(params.cursor_str(), i64::MAX)?;
    let scope = ctx.scope(&state.db).await?.clone();
    store::get(state.db.pool(), &scope, &id.to_string()).await?;
    let questions = crate::fields::actions::listed(&state.db, RecordType::Visit).await?;
    let answers = Answers { questions: &questions, language: ctx.user.language.as_str() };
    Ok(Json(timeline(&state.db, id, limit, before, &answers).await?))
}

/// How a visit's check-out answers read on the timeline: `Label: value`, a line each, in the
/// reader's language.
pub struct Answers<'a> {
    pub questions: &'a [FieldDef],
    pub language: &'a str,
}

impl Answers<'_> {
    fn lines(&self, raw: &str) -> Option<String> {
        let values: CustomValues = serde_json::from_str(raw).ok()?;
        let lines: Vec<String> = self
            .questions
            .iter()
            .filter_map(|q| {
                let value = values.get(&q.key)?;
                Some(format!("{}: {}", q.label.in_language(self.language), display(q, value, self.language)))
            })
            .collect();
        (!lines.is_empty()).then(|| lines.join("\n"))
    }
}

pub async fn timeline(
    db: &Db,
    id: ContactId,
    limit: i64,
    before: Option<(i64, String)>,
    answers: &Answers<'_>,
) -> StoreResult<Page<TimelineEntry>> {
    let (before_at, before_id) = before.unwrap_or((i64::MAX, String::new()));
    let sql = format!(
        "SELECT kind, id, at, t1, t2, t3, n1, n2, by_name FROM ({BRANCHES}) t \
         WHERE (t.at < $2 OR (t.at = $2 AND t.id < $3)) ORDER BY t.at DESC, t.id DESC LIMIT $4"
    );
    let rows: Vec<EntryRow> = sqlx::query_as(&sql)
        .bind(id.to_string())
        .bind(before_at)
        .bind(if before_id.is_empty() { "\u{10FFFF}".to_string() } else { before_id })
        .bind(limit + 1)
        .fetch_all(db.pool())
        .await?;
    let mut items: Vec<TimelineEntry> = rows.into_iter().filter_map(|r| entry(r, answers)).collect();
    let next_cursor = if items.len() as i64 > limit {
        items.truncate(usize::try_from(limit).unwrap_or(0));
        items.last().map(|e| crate::cursor::encode(&[&e.at.timestamp_millis().to_string(), &e.id]))
    } else {
        None
    };
    Ok(Page { items, next_cursor, total: None })
}

/// A readable entry from a row; rows of an unknown kind are skipped.
fn entry(r: EntryRow, answers: &Answers<'_>) -> Option<TimelineEntry> {
    let kind = TimelineKind::parse(&r.kind)?;
    let text = |t: &Option<String>| t.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(str::to_string);
    let (title, detail) = match kind {
        TimelineKind::Call => {
            let minutes = r.n1.map(|s| format!("{}:{:02}", s / 60, s % 60));
            let summary = [text(&r.t3), minutes].into_iter().flatten().collect::<Vec<_>>().join(" · ");
            (text(&r.t1).unwrap_or_else(|| summary.replace('_', " ")), text(&r.t2))
        }
        TimelineKind::Visit => {
            let answered = r.t3.as_deref().and_then(|raw| answers.lines(raw));
            let detail = [text(&r.t2), answered].into_iter().flatten().collect::<Vec<_>>().join("\n");
            (text(&r.t1).unwrap_or_else(|| "visit".into()), Some(detail).filter(|d| !d.is_empty()))
        }
        TimelineKind::Appointment => (text(&r.t1).unwrap_or_default(), text(&r.t3)),
        TimelineKind::Deal => {
            let value = r.n1.map(|minor| format!("{}", minor / 100)).unwrap_or_default();
            let stage_currency = text(&r.t3).unwrap_or_default();
            let (stage, currency) = stage_currency.split_once(' ').unwrap_or((&stage_currency, ""));
            (text(&r.t1).unwrap_or_default(), Some(format!("{stage} · {value} {currency}")))
        }
        TimelineKind::Feedback => {
            let scores = [r.n1.map(|c| format!("CSAT {c}/5")), r.n2.map(|n| format!("NPS {n}/10"))];
            let title = scores.into_iter().flatten().collect::<Vec<_>>().join(" · ");
            let title = if title.is_empty() { "Feedback requested, no answer yet".to_string() } else { title };
            (title, text(&r.t1))
        }
        TimelineKind::Task => {
            let done = if r.n2 == Some(1) { " ✓" } else { "" };
            (format!("{}{done}", text(&r.t1).unwrap_or_default()), r.n1.map(|due| from_ms(due).to_rfc3339()))
        }
        TimelineKind::Change => (text(&r.t1).unwrap_or_default(), text(&r.t2).map(|c| changed_fields(&c))),
        TimelineKind::Email | TimelineKind::Sms | TimelineKind::Chat | TimelineKind::Social | TimelineKind::Note => {
            (text(&r.t1).unwrap_or_default(), text(&r.t2))
        }
    };
    Some(TimelineEntry { kind, id: r.id, at: from_ms(r.at), title, detail, by: r.by_name })
}

/// `{"name": ["a", "b"], …}` → `name, …` (the fields an edit changed).
fn changed_fields(changes: &str) -> String {
    serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(changes)
        .map(|m| m.keys().cloned().collect::<Vec<_>>().join(", "))
        .unwrap_or_default()
}
