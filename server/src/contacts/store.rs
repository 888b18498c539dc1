//! SQL for contacts. Every read applies the caller's [`Scope`].

use crate::db::{parse_col, parse_id, parse_opt_id, Db, StoreError, StoreResult};
use crate::scope::Scope;
use fieldwork_app::common::{GeoPoint, Page};
use fieldwork_app::contacts::{ContactKind, ContactSummary, Lifecycle};

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: String,
    kind: String,
    name: String,
    lifecycle: String,
    phones: String,
    emails: String,
    tags: String,
    address: Option<String>,
    lat: Option<f64>,
    lon: Option<f64>,
    territory_id: Option<String>,
    owner_id: Option<String>,
    version: i64,
}

impl TryFrom<SummaryRow> for ContactSummary {
    type Error = StoreError;
    fn try_from(r: SummaryRow) -> StoreResult<ContactSummary> {
        let first = |json: &str| serde_json::from_str::<Vec<String>>(json).ok().and_then(|v| v.into_iter().next());
        Ok(ContactSummary {
            id: parse_id(&r.id, "contacts.id")?,
            kind: if r.kind == "company" { ContactKind::Company } else { ContactKind::Person },
            name: r.name,
            lifecycle: parse_col(Lifecycle::parse(&r.lifecycle).ok_or("unknown"), "contacts.lifecycle")?,
            phone: first(&r.phones),
            email: first(&r.emails),
            tags: serde_json::from_str(&r.tags).unwrap_or_default(),
            address: r.address,
            location: r.lat.zip(r.lon).and_then(|(lat, lon)| GeoPoint::new(lat, lon).ok()),
            territory_id: parse_opt_id(r.territory_id.as_deref(), "contacts.territory_id")?,
            owner_id: parse_opt_id(r.owner_id.as_deref(), "contacts.owner_id")?,
            version: r.version,
        })
    }
}

/// One page of contacts in the caller's scope, by name (keyset on name, id).
pub async fn list(
    db: &Db,
    scope: &Scope,
    limit: i64,
    after: Option<(String, String)>,
) -> StoreResult<Page<ContactSummary>> {
    let (scope_sql, scope_binds) = scope.predicate("owner_id", Some("territory_id"), 4);
    let sql = format!(
        "SELECT id, kind, name, lifecycle, phones, emails, tags, address, lat, lon, territory_id, owner_id, version \
         FROM contacts WHERE deleted = 0 AND archived = 0 AND (name > $1 OR (name = $1 AND id > $2)) AND {scope_sql} \
         ORDER BY name, id LIMIT $3"
    );
    let (after_name, after_id) = after.unwrap_or_default();
    let mut query = sqlx::query_as::<_, SummaryRow>(&sql).bind(after_name).bind(after_id).bind(limit + 1);
    for value in scope_binds {
        query = query.bind(value);
    }
    let rows = query.fetch_all(db.pool()).await?;
    let mut items: Vec<ContactSummary> = rows.into_iter().map(TryInto::try_into).collect::<StoreResult<_>>()?;
    let next_cursor = if items.len() as i64 > limit {
        items.truncate(usize::try_from(limit).unwrap_or(0));
        items.last().map(|c| crate::cursor::encode(&[&c.name, &c.id.to_string()]))
    } else {
        None
    };
    Ok(Page { items, next_cursor })
}
