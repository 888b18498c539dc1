//! SQL that reads contacts. Every read applies the caller's [`Scope`]; a contact outside it
//! does not exist for the caller (404, never 403, so ids cannot be probed).

use crate::db::{from_ms, parse_col, parse_id, parse_opt_id, Db, Sql, StoreError, StoreResult};
use crate::scope::{Part, Scope};
use fieldwork_app::common::{Email, GeoPoint, Page, Phone, TimeZone};
use fieldwork_app::contacts::search::SearchQuery;
use fieldwork_app::contacts::{
    Archived, Channel, Consent, Contact, ContactFilter, ContactKind, ContactSort, Lifecycle,
};
use std::collections::HashMap;

pub(super) const COLUMNS: &str = "c.id, c.kind, c.name, c.company_id, c.lifecycle, c.source, c.tags, c.phones, \
    c.emails, c.address, c.lat, c.lon, c.territory_id, c.owner_id, c.preferred_channel, c.language, c.time_zone, \
    c.consent_email, c.consent_sms, c.consent_calls, c.notes, c.archived, c.version, c.created_at, c.updated_at, \
    c.last_activity_at, c.custom, (SELECT x.name FROM contacts x WHERE x.id = c.company_id) AS company_name";

#[derive(sqlx::FromRow)]
pub(super) struct ContactRow {
    id: String,
    kind: String,
    name: String,
    company_id: Option<String>,
    lifecycle: String,
    source: Option<String>,
    tags: String,
    phones: String,
    emails: String,
    address: Option<String>,
    lat: Option<f64>,
    lon: Option<f64>,
    territory_id: Option<String>,
    owner_id: Option<String>,
    preferred_channel: Option<String>,
    language: Option<String>,
    time_zone: Option<String>,
    consent_email: i64,
    consent_sms: i64,
    consent_calls: i64,
    notes: Option<String>,
    archived: i64,
    version: i64,
    created_at: i64,
    updated_at: i64,
    last_activity_at: Option<i64>,
    custom: String,
    company_name: Option<String>,
}

fn json_list(raw: &str, column: &str) -> StoreResult<Vec<String>> {
    parse_col(serde_json::from_str(raw), column)
}

impl TryFrom<ContactRow> for Contact {
    type Error = StoreError;
    fn try_from(r: ContactRow) -> StoreResult<Contact> {
        let phones = json_list(&r.phones, "contacts.phones")?;
        let emails = json_list(&r.emails, "contacts.emails")?;
        Ok(Contact {
            id: parse_id(&r.id, "contacts.id")?,
            kind: parse_col(ContactKind::parse(&r.kind), "contacts.kind")?,
            name: r.name,
            company_id: parse_opt_id(r.company_id.as_deref(), "contacts.company_id")?,
            lifecycle: parse_col(Lifecycle::parse(&r.lifecycle).ok_or("unknown"), "contacts.lifecycle")?,
            source: r.source,
            tags: json_list(&r.tags, "contacts.tags")?,
            phones: phones.iter().map(|p| parse_col(Phone::parse(p), "contacts.phones")).collect::<StoreResult<_>>()?,
            emails: emails.iter().map(|e| parse_col(Email::parse(e), "contacts.emails")).collect::<StoreResult<_>>()?,
            address: r.address,
            location: r.lat.zip(r.lon).and_then(|(lat, lon)| GeoPoint::new(lat, lon).ok()),
            territory_id: parse_opt_id(r.territory_id.as_deref(), "contacts.territory_id")?,
            owner_id: parse_opt_id(r.owner_id.as_deref(), "contacts.owner_id")?,
            preferred_channel: r.preferred_channel.as_deref().and_then(|c| Channel::parse(c).ok()),
            language: r.language,
            time_zone: r.time_zone.map(|z| parse_col(TimeZone::parse(&z), "contacts.time_zone")).transpose()?,
            consent: Consent { email: r.consent_email != 0, sms: r.consent_sms != 0, calls: r.consent_calls != 0 },
            notes: r.notes,
            archived: r.archived != 0,
            version: r.version,
            created_at: from_ms(r.created_at),
            updated_at: from_ms(r.updated_at),
            last_activity_at: r.last_activity_at.map(from_ms),
            company_name: r.company_name,
            custom: parse_col(serde_json::from_str(&r.custom), "contacts.custom")?,
        })
    }
}

/// The contact with this id, when it is in the caller's scope.
pub async fn get<'e>(
    exec: impl sqlx::Executor<'e, Database = sqlx::Any>,
    scope: &Scope,
    id: &str,
) -> StoreResult<Contact> {
    let mut sql = Sql::new(&format!("SELECT {COLUMNS} FROM contacts c WHERE c.deleted = 0 AND c.id = "));
    let id = sql.arg(id);
    sql.push(&id).push(" AND ");
    let (scope_sql, binds) = scope.predicate("c.owner_id", Some("c.territory_id"), sql.next_index());
    sql.push_with(&scope_sql, binds);
    let row: Option<ContactRow> = sql.query_as().fetch_optional(exec).await?;
    row.ok_or(StoreError::NotFound)?.try_into()
}

/// The live contacts among `ids`, whatever their scope (the sync feed has chosen them), in
/// no particular order; one statement for many (at most a page of the feed).
pub async fn get_many(conn: &mut sqlx::AnyConnection, ids: &[String]) -> StoreResult<Vec<Contact>> {
    let select = format!("SELECT {COLUMNS} FROM contacts c WHERE c.deleted = 0 AND c.id IN");
    crate::db::by_ids::<ContactRow, _>(conn, &select, ids).await
}

/// Where a list page starts: the sort key and id of the previous page's last row.
pub type After = Option<(String, String)>;

/// How a search's matches are returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Matches {
    /// Every match in the filter's order, page by page (exports).
    All,
    /// The first `limit` matches the index yields, best first, in one page (search as you
    /// type): a common prefix can match a sizeable share of a million contacts, and sorting
    /// them all to show fifty would cost more than the rest of the request.
    Top,
}

/// The column (or expression) a sort reads, whether it runs downwards, and whether it is a
/// number (an instant) rather than text.
fn sort_key(sort: ContactSort) -> (&'static str, bool, bool) {
    let key = match sort {
        ContactSort::Name | ContactSort::NameDesc => "c.name",
        ContactSort::Updated | ContactSort::UpdatedDesc => "c.updated_at",
        // Never touched sorts as the oldest; `contacts_activity_order` indexes this expression.
        ContactSort::LastActivity | ContactSort::LastActivityDesc => "COALESCE(c.last_activity_at, 0)",
    };
    (key, sort.descending(), key != "c.name")
}

/// `SELECT {select} FROM` the contacts matching `filter` (and the search), without the caller's
/// scope, a page's start or an order: what a list page and its count share.
fn matching(db: &Db, select: &str, filter: &ContactFilter, search: Option<&SearchQuery>) -> Sql {
    let dialect = db.dialect();
    let mut sql = Sql::new(&format!("SELECT {select} FROM "));
    match search {
        Some(query) => {
            sql.push(dialect.search_from).push(" WHERE ");
            let expression = match db.engine() {
                crate::db::Engine::Sqlite => query.fts5(),
                crate::db::Engine::Postgres => query.tsquery(),
            };
            let q = sql.arg(expression);
            sql.push(&dialect.search_match.replace("{q}", &q)).push(" AND ");
        }
        None => {
            sql.push("contacts c WHERE ");
        }
    }
    sql.push("c.deleted = 0");
    match filter.archived {
        Archived::Active => sql.push(" AND c.archived = 0"),
        Archived::Archived => sql.push(" AND c.archived = 1"),
        Archived::All => &mut sql,
    };
    if let Some(lifecycle) = filter.lifecycle {
        let p = sql.arg(lifecycle.as_str());
        sql.push(&format!(" AND c.lifecycle = {p}"));
    }
    if let Some(tag) = &filter.tag {
        // Tags are stored as a JSON array of lower-case strings.
        let p = sql.arg(format!("%{}%", serde_json::Value::String(tag.clone())));
        sql.push(&format!(" AND c.tags LIKE {p}"));
    }
    if let Some(owner) = filter.owner {
        let p = sql.arg(owner.to_string());
        sql.push(&format!(" AND c.owner_id = {p}"));
    }
    if let Some(territory) = filter.territory {
        let p = sql.arg(territory.to_string());
        sql.push(&format!(" AND c.territory_id = {p}"));
    }
    for condition in &filter.custom {
        crate::fields::filter::push(&mut sql, "c.id", condition);
    }
    if let Some(months) = filter.stale_months {
        let cutoff = (chrono::Utc::now() - chrono::Duration::days(30 * months)).timestamp_millis();
        let p = sql.arg(cutoff);
        sql.push(&format!(" AND c.created_at < {p} AND (c.last_activity_at IS NULL OR c.last_activity_at < {p})"));
    }
    sql
}

/// How many contacts in the caller's scope match `filter` (no search: a search answers its
/// best matches, not a count).
pub async fn count(db: &Db, scope: &Scope, filter: &ContactFilter) -> StoreResult<i64> {
    let mut sql = matching(db, "COUNT(*)", filter, None);
    sql.push(" AND ");
    let (scope_sql, binds) = scope.predicate("c.owner_id", Some("c.territory_id"), sql.next_index());
    sql.push_with(&scope_sql, binds);
    Ok(sql.query_scalar().fetch_one(db.pool()).await?)
}

/// The ids of up to `limit` contacts in the caller's scope matching `filter` (its search text
/// aside): what a bulk run over "all matching" works through.
pub async fn ids_matching(db: &Db, scope: &Scope, filter: &ContactFilter, limit: i64) -> StoreResult<Vec<String>> {
    let mut sql = matching(db, "c.id", filter, None);
    sql.push(" AND ");
    let (scope_sql, binds) = scope.predicate("c.owner_id", Some("c.territory_id"), sql.next_index());
    sql.push_with(&scope_sql, binds);
    let l = sql.arg(limit);
    sql.push(&format!(" ORDER BY c.id LIMIT {l}"));
    Ok(sql.query_scalar().fetch_all(db.pool()).await?)
}

/// One page of contacts matching `filter` in the caller's scope, in the filter's order.
/// With a search text, `search` is the parsed query (possibly widened by typo candidates).
pub async fn list(
    db: &Db,
    scope: &Scope,
    filter: &ContactFilter,
    search: Option<(&SearchQuery, Matches)>,
    limit: i64,
    after: After,
) -> StoreResult<Page<Contact>> {
    let top = matches!(search, Some((_, Matches::Top)));
    let search = search.map(|(q, _)| q);
    let (key, desc, numeric) = sort_key(filter.sort);
    let mut sql = matching(db, &format!("{COLUMNS}, {key} AS sort_key"), filter, search);
    if let Some((after_key, after_id)) = after {
        let k = if numeric {
            sql.arg(after_key.parse::<i64>().map_err(|_| StoreError::Invalid(Default::default()))?)
        } else {
            sql.arg(after_key)
        };
        let i = sql.arg(after_id);
        let op = if desc { "<" } else { ">" };
        sql.push(&format!(" AND ({key} {op} {k} OR ({key} = {k} AND c.id {op} {i}))"));
    }
    let dir = if desc { "DESC" } else { "ASC" };
    let parts = if top { None } else { scope.parts(db).await?.filter(|p| p.len() <= MAX_BRANCHES) };
    if let Some(parts) = parts {
        // One branch per owner and territory, each read in index order up to the limit, then
        // merged: a rep's or a team's first page without sorting all of their contacts.
        let base = sql.text().to_string();
        let l = sql.arg(limit + 1);
        let mut branches = Vec::new();
        for (i, (part, value)) in parts.into_iter().enumerate() {
            let column = match part {
                Part::Owner => "c.owner_id",
                Part::Territory => "c.territory_id",
            };
            let p = sql.arg(value);
            branches.push(format!(
                "SELECT * FROM ({base} AND {column} = {p} ORDER BY {key} {dir}, c.id {dir} LIMIT {l}) b{i}"
            ));
        }
        let text = if branches.is_empty() {
            "SELECT * FROM contacts WHERE 1 = 0".to_string()
        } else {
            format!("{} ORDER BY sort_key {dir}, id {dir} LIMIT {l}", branches.join(" UNION "))
        };
        let mut union = sql.clone();
        union.replace_text(&text);
        let rows: Vec<ContactRow> = union.query_as().fetch_all(db.pool()).await?;
        return page_of(rows, limit, filter.sort);
    }
    sql.push(" AND ");
    let (scope_sql, binds) = scope.predicate("c.owner_id", Some("c.territory_id"), sql.next_index());
    sql.push_with(&scope_sql, binds);
    if top {
        let l = sql.arg(limit);
        sql.push(&format!(" LIMIT {l}"));
        let rows: Vec<ContactRow> = sql.query_as().fetch_all(db.pool()).await?;
        let mut items: Vec<Contact> = rows.into_iter().map(TryInto::try_into).collect::<StoreResult<_>>()?;
        let first_word = search.and_then(|q| q.terms.first()).map(|t| t.word.clone()).unwrap_or_default();
        items.sort_by_cached_key(|c| {
            let name = c.name.to_lowercase();
            (!name.starts_with(&first_word), name, c.id)
        });
        return Ok(Page { items, next_cursor: None, total: None });
    }
    let l = sql.arg(limit + 1);
    sql.push(&format!(" ORDER BY {key} {dir}, c.id {dir} LIMIT {l}"));
    let rows: Vec<ContactRow> = sql.query_as().fetch_all(db.pool()).await?;
    page_of(rows, limit, filter.sort)
}

/// Most owner and territory branches a sorted list merges (beyond, one `OR` query is used).
const MAX_BRANCHES: usize = 40;

/// A page from `limit + 1` rows: the last one only says whether there is a next page.
fn page_of(rows: Vec<ContactRow>, limit: i64, sort: ContactSort) -> StoreResult<Page<Contact>> {
    let mut items: Vec<Contact> = rows.into_iter().map(TryInto::try_into).collect::<StoreResult<_>>()?;
    let next_cursor = if items.len() as i64 > limit {
        items.truncate(usize::try_from(limit).unwrap_or(0));
        items.last().map(|c| {
            let key = match sort {
                ContactSort::Name | ContactSort::NameDesc => c.name.clone(),
                ContactSort::Updated | ContactSort::UpdatedDesc => c.updated_at.timestamp_millis().to_string(),
                ContactSort::LastActivity | ContactSort::LastActivityDesc => {
                    c.last_activity_at.map_or(0, |t| t.timestamp_millis()).to_string()
                }
            };
            crate::cursor::encode(&[&key, &c.id.to_string()])
        })
    } else {
        None
    };
    Ok(Page { items, next_cursor, total: None })
}

/// The names of the users and territories with these ids (a list page's owners and
/// territories), by id; two statements whatever the page's size.
pub async fn names(
    db: &Db,
    users: &[String],
    territories: &[String],
) -> StoreResult<(HashMap<String, String>, HashMap<String, String>)> {
    async fn of(db: &Db, table: &str, ids: &[String]) -> StoreResult<HashMap<String, String>> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let list: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
        let sql = format!("SELECT id, name FROM {table} WHERE id IN ({})", list.join(", "));
        let query = ids.iter().fold(sqlx::query_as::<_, (String, String)>(&sql), sqlx::query::QueryAs::bind);
        Ok(query.fetch_all(db.pool()).await?.into_iter().collect())
    }
    Ok((of(db, "users", users).await?, of(db, "territories", territories).await?))
}

/// Vocabulary words starting with `head` (the candidates for typo correction).
pub async fn vocabulary(db: &Db, head: &str) -> StoreResult<Vec<String>> {
    Ok(sqlx::query_scalar("SELECT term FROM search_terms WHERE head = $1 LIMIT 5000")
        .bind(head)
        .fetch_all(db.pool())
        .await?)
}

/// The names of the companies with these ids (for the contact page and search documents).
pub async fn name_of<'e>(exec: impl sqlx::Executor<'e, Database = sqlx::Any>, id: &str) -> StoreResult<Option<String>> {
    Ok(sqlx::query_scalar("SELECT name FROM contacts WHERE id = $1 AND deleted = 0")
        .bind(id)
        .fetch_optional(exec)
        .await?)
}

/// The (id, name) of up to `limit` people of a company in the caller's scope, oldest first.
pub async fn people_of<'e>(
    exec: impl sqlx::Executor<'e, Database = sqlx::Any>,
    scope: &Scope,
    company: &str,
    limit: i64,
) -> StoreResult<Vec<(String, String)>> {
    let mut sql = Sql::new("SELECT c.id, c.name FROM contacts c WHERE c.deleted = 0 AND c.company_id = ");
    let company = sql.arg(company);
    sql.push(&company).push(" AND ");
    let (scope_sql, binds) = scope.predicate("c.owner_id", Some("c.territory_id"), sql.next_index());
    sql.push_with(&scope_sql, binds);
    let limit = sql.arg(limit);
    sql.push(" ORDER BY c.created_at, c.id LIMIT ").push(&limit);
    Ok(sql.query_as().fetch_all(exec).await?)
}

/// The company record with this name (case ignored), if there is one: how an import links
/// a row's company column to the company.
pub async fn company_named<'e>(
    exec: impl sqlx::Executor<'e, Database = sqlx::Any>,
    name: &str,
) -> StoreResult<Option<String>> {
    // `lower(name)` on both sides, so each engine compares with its own case folding (and
    // the partial index on `lower(name)` of companies answers it).
    Ok(sqlx::query_scalar(
        "SELECT id FROM contacts WHERE kind = 'company' AND deleted = 0 AND lower(name) = lower($1) \
         ORDER BY created_at, id LIMIT 1",
    )
    .bind(name)
    .fetch_optional(exec)
    .await?)
}
