//! SQL for custom field definitions, and for the filter index of the values records hold.

use crate::db::{now_ms, parse_col, parse_id, StoreError, StoreResult, WriteTx};
use fieldwork_app::common::FieldId;
use fieldwork_app::contacts::ContactKind;
use fieldwork_app::fields::values::index_rows;
use fieldwork_app::fields::{
    CustomValues, EditableBy, FieldDef, FieldKind, Label, LinkTarget, NewFieldDef, RecordType,
};

const COLUMNS: &str = "id, record_type, field_key, label_en, label_bn, kind, unit, link_to, required, help, choices, \
    section, position, editable_by, ask_when, contact_kind, version";

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    record_type: String,
    field_key: String,
    label_en: String,
    label_bn: Option<String>,
    kind: String,
    unit: Option<String>,
    link_to: Option<String>,
    required: i64,
    help: Option<String>,
    choices: String,
    section: Option<String>,
    position: i64,
    editable_by: String,
    ask_when: Option<String>,
    contact_kind: Option<String>,
    version: i64,
}

impl TryFrom<Row> for FieldDef {
    type Error = StoreError;
    fn try_from(r: Row) -> StoreResult<FieldDef> {
        let text = |v: &str| serde_json::Value::String(v.to_string());
        Ok(FieldDef {
            id: parse_id(&r.id, "custom_fields.id")?,
            record_type: parse_col(RecordType::parse(&r.record_type), "custom_fields.record_type")?,
            key: r.field_key,
            label: Label { en: r.label_en, bn: r.label_bn },
            kind: parse_col(FieldKind::parse(&r.kind), "custom_fields.kind")?,
            unit: r.unit,
            link_to: r
                .link_to
                .map(|l| parse_col(serde_json::from_value::<LinkTarget>(text(&l)), "custom_fields.link_to"))
                .transpose()?,
            required: r.required != 0,
            help: r.help,
            choices: parse_col(serde_json::from_str(&r.choices), "custom_fields.choices")?,
            section: r.section,
            position: r.position,
            editable_by: parse_col(
                serde_json::from_value::<EditableBy>(text(&r.editable_by)),
                "custom_fields.editable_by",
            )?,
            ask_when: r.ask_when.map(|w| parse_col(serde_json::from_str(&w), "custom_fields.ask_when")).transpose()?,
            contact_kind: r
                .contact_kind
                .map(|k| parse_col(ContactKind::parse(&k), "custom_fields.contact_kind"))
                .transpose()?,
            version: r.version,
        })
    }
}

/// The live fields of `record_type` (every type when `None`), in their order on the page.
pub async fn list(conn: &mut sqlx::AnyConnection, record_type: Option<RecordType>) -> StoreResult<Vec<FieldDef>> {
    let of_type = if record_type.is_some() { "AND record_type = $1" } else { "AND $1 = ''" };
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM custom_fields WHERE deleted = 0 {of_type} ORDER BY record_type, position, field_key"
    ))
    .bind(record_type.map_or("", RecordType::as_str))
    .fetch_all(conn)
    .await?;
    rows.into_iter().map(TryInto::try_into).collect()
}

pub async fn get(conn: &mut sqlx::AnyConnection, id: FieldId) -> StoreResult<FieldDef> {
    let row: Option<Row> =
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM custom_fields WHERE id = $1 AND deleted = 0"))
            .bind(id.to_string())
            .fetch_optional(conn)
            .await?;
    row.ok_or(StoreError::NotFound)?.try_into()
}

/// How many live fields `record_type` has, and the next free position after them.
pub(super) async fn count(tx: &mut WriteTx, record_type: RecordType) -> StoreResult<(i64, i64)> {
    let (count, last): (i64, Option<i64>) =
        sqlx::query_as("SELECT COUNT(*), MAX(position) FROM custom_fields WHERE deleted = 0 AND record_type = $1")
            .bind(record_type.as_str())
            .fetch_one(tx.conn())
            .await?;
    Ok((count, last.map_or(1, |p| p + 1)))
}

/// The columns an admin's definition sets, in the order [`bind_definition`] binds them.
const SET: [&str; 12] = [
    "label_en",
    "label_bn",
    "kind",
    "unit",
    "link_to",
    "required",
    "help",
    "choices",
    "section",
    "editable_by",
    "ask_when",
    "contact_kind",
];

type Query<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

/// Binds [`SET`]'s columns of `def`, in order.
fn bind_definition<'q>(q: Query<'q>, def: &'q NewFieldDef) -> Query<'q> {
    q.bind(&def.label.en)
        .bind(def.label.bn.as_deref())
        .bind(def.kind.as_str())
        .bind(def.unit.as_deref())
        .bind(def.link_to.map(link_name))
        .bind(i64::from(def.required))
        .bind(def.help.as_deref())
        .bind(serde_json::to_string(&def.choices).unwrap_or_else(|_| "[]".into()))
        .bind(def.section.as_deref())
        .bind(editable_name(def.editable_by))
        .bind(def.ask_when.as_ref().and_then(|w| serde_json::to_string(w).ok()))
        .bind(def.contact_kind.map(ContactKind::as_str))
}

pub(super) async fn insert(tx: &mut WriteTx, def: &NewFieldDef, position: i64) -> StoreResult<FieldId> {
    let id = FieldId::new();
    let version = tx.next_version().await?;
    let n = SET.len();
    let places: Vec<String> = (4..4 + n).map(|i| format!("${i}")).collect();
    let sql = format!(
        "INSERT INTO custom_fields (id, record_type, field_key, {}, position, created_at, updated_at, version, deleted) \
         VALUES ($1, $2, $3, {}, ${position}, ${now}, ${now}, ${version}, 0)",
        SET.join(", "),
        places.join(", "),
        position = n + 4,
        now = n + 5,
        version = n + 6,
    );
    let q = sqlx::query(&sql).bind(id.to_string()).bind(def.record_type.as_str()).bind(&def.key);
    bind_definition(q, def)
        .bind(position)
        .bind(now_ms())
        .bind(version)
        .execute(tx.conn())
        .await
        .map_err(|e| StoreError::unique(e, "key"))?;
    Ok(id)
}

pub(super) async fn update(tx: &mut WriteTx, id: FieldId, def: &NewFieldDef, position: i64) -> StoreResult<()> {
    let version = tx.next_version().await?;
    let n = SET.len();
    let sets: Vec<String> = SET.iter().enumerate().map(|(i, c)| format!("{c} = ${}", i + 2)).collect();
    let sql = format!(
        "UPDATE custom_fields SET {}, position = ${}, updated_at = ${}, version = ${} WHERE id = $1 AND deleted = 0",
        sets.join(", "),
        n + 2,
        n + 3,
        n + 4,
    );
    bind_definition(sqlx::query(&sql).bind(id.to_string()), def)
        .bind(position)
        .bind(now_ms())
        .bind(version)
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// Deletes a field: a tombstone (devices drop it); the values records hold stay in them, and
/// its filter rows go.
pub(super) async fn delete(tx: &mut WriteTx, id: FieldId) -> StoreResult<()> {
    crate::db::tombstone(tx, "custom_fields", &id.to_string()).await?;
    sqlx::query("DELETE FROM custom_values WHERE field_id = $1").bind(id.to_string()).execute(tx.conn()).await?;
    Ok(())
}

/// Every value records of `record_type` hold for `key`: `(record id, value)`.
pub(super) async fn values_of(
    tx: &mut WriteTx,
    record_type: RecordType,
    key: &str,
) -> StoreResult<Vec<(String, serde_json::Value)>> {
    let table = table(record_type);
    let needle = format!("%{}:%", serde_json::Value::String(key.to_string()));
    let rows: Vec<(String, String)> =
        sqlx::query_as(&format!("SELECT id, custom FROM {table} WHERE deleted = 0 AND custom LIKE $1"))
            .bind(needle)
            .fetch_all(tx.conn())
            .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, custom)| {
            let mut values: CustomValues = serde_json::from_str(&custom).ok()?;
            values.remove(key).map(|v| (id, v))
        })
        .collect())
}

/// Replaces a record's rows in the filter index with those of `values`.
pub(crate) async fn index(
    tx: &mut WriteTx,
    record_id: &str,
    defs: &[FieldDef],
    values: &CustomValues,
) -> StoreResult<()> {
    sqlx::query("DELETE FROM custom_values WHERE record_id = $1").bind(record_id).execute(tx.conn()).await?;
    let rows: Vec<(String, Option<String>, Option<f64>)> = defs
        .iter()
        .filter_map(|d| values.get(&d.key).map(|v| (d, v)))
        .flat_map(|(d, v)| index_rows(d, v).into_iter().map(|(t, n)| (d.id.to_string(), t, n)))
        .collect();
    if rows.is_empty() {
        return Ok(());
    }
    let places: Vec<String> = (0..rows.len())
        .map(|i| format!("(${}, ${}, ${}, CAST(${} AS DOUBLE PRECISION))", 4 * i + 1, 4 * i + 2, 4 * i + 3, 4 * i + 4))
        .collect();
    let sql =
        format!("INSERT INTO custom_values (field_id, record_id, text_value, num_value) VALUES {}", places.join(", "));
    rows.iter()
        .fold(sqlx::query(&sql), |q, (field, text, number)| {
            q.bind(field).bind(record_id).bind(text.as_deref()).bind(crate::db::float_param(*number))
        })
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// The table that holds `record_type`'s records (and their `custom` column).
pub(crate) fn table(record_type: RecordType) -> &'static str {
    match record_type {
        RecordType::Contact => "contacts",
        RecordType::Deal => "deals",
        RecordType::Listing => "listings",
        RecordType::Appointment => "appointments",
        RecordType::Visit => "visits",
    }
}

fn link_name(to: LinkTarget) -> &'static str {
    match to {
        LinkTarget::Contact => "contact",
        LinkTarget::Listing => "listing",
        LinkTarget::User => "user",
    }
}

fn editable_name(by: EditableBy) -> &'static str {
    match by {
        EditableBy::All => "all",
        EditableBy::OfficeAndUp => "office_and_up",
    }
}
