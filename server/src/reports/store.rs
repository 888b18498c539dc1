//! SQL for the reports: each query counts one kind of record over a [`Frame`] and groups it in
//! the database (indexed ranges, no row leaves the database that a count could replace).
//! Percentages and scores are computed from these counts in `build.rs`, never here.

use super::frame::Frame;
use crate::db::{Db, Sql, StoreResult};
use crate::scope::Scope;
use fieldwork_app::common::{Money, UserId};
use fieldwork_app::reports::metrics::Scores;
use std::collections::HashMap;

/// `(…)` with a placeholder per id; `(NULL)` (matches nothing) for none.
fn in_list<T: ToString>(sql: &mut Sql, ids: &[T]) -> String {
    if ids.is_empty() {
        return "(NULL)".into();
    }
    let list: Vec<String> = ids.iter().map(|id| sql.arg(id.to_string())).collect();
    format!("({})", list.join(", "))
}

/// ` AND col IN (…)` when the frame counts only some users' work.
fn attributed(sql: &mut Sql, f: &Frame, col: &str) {
    if let Some(ids) = &f.attributed {
        let list = in_list(sql, ids);
        sql.push(&format!(" AND {col} IN {list}"));
    }
}

/// The territory and segment filters, on contacts aliased `c`.
fn contact_filter(sql: &mut Sql, f: &Frame) {
    if let Some(t) = &f.territory {
        let p = sql.arg(t.as_str());
        sql.push(&format!(" AND c.territory_id = {p}"));
    }
    tag_filter(sql, f);
}

/// The segment filter, on contacts aliased `c`.
fn tag_filter(sql: &mut Sql, f: &Frame) {
    if let Some(tag) = &f.tag {
        // Tags are a JSON array of lower-case strings.
        let p = sql.arg(format!("%{}%", serde_json::Value::String(tag.clone())));
        sql.push(&format!(" AND c.tags LIKE {p}"));
    }
}

fn filters_contacts(f: &Frame) -> bool {
    f.territory.is_some() || f.tag.is_some()
}

/// ` JOIN contacts c ON c.id = d.contact_id` when a figure about deals needs their contacts
/// (a filter, or a scope by territory); the whole company's figures skip a million lookups.
fn deal_contacts(f: &Frame) -> &'static str {
    if filters_contacts(f) || f.scope != Scope::All {
        " JOIN contacts c ON c.id = d.contact_id"
    } else {
        ""
    }
}

/// ` AND <scope>` over an owner column and a territory column.
fn scoped(sql: &mut Sql, scope: &Scope, owner: &str, territory: &str) {
    let (text, binds) = scope.predicate(owner, Some(territory), sql.next_index());
    sql.push(" AND ");
    sql.push_with(&text, binds);
}

fn range(sql: &mut Sql, col: &str, from: i64, to: i64) {
    let (a, b) = (sql.arg(from), sql.arg(to));
    sql.push(&format!(" AND {col} >= {a} AND {col} < {b}"));
}

/// `user id → count` from `(id, count)` rows.
fn by_key(rows: Vec<(String, i64)>) -> HashMap<String, i64> {
    rows.into_iter().collect()
}

/// Visits checked in during the frame, and how many of those were far from their target, per rep.
pub async fn visits_done(db: &Db, f: &Frame, reps: &[UserId]) -> StoreResult<HashMap<String, (i64, i64)>> {
    let mut sql = Sql::new(
        "SELECT v.rep_id, CAST(COUNT(*) AS BIGINT), CAST(SUM(v.far) AS BIGINT) FROM visits v \
         LEFT JOIN contacts c ON c.id = v.contact_id WHERE v.deleted = 0",
    );
    range(&mut sql, "v.check_in_at", f.from, f.to);
    let list = in_list(&mut sql, reps);
    sql.push(&format!(" AND v.rep_id IN {list}"));
    contact_filter(&mut sql, f);
    sql.push(" GROUP BY v.rep_id");
    let rows: Vec<(String, i64, Option<i64>)> = sql.query_as().fetch_all(db.pool()).await?;
    Ok(rows.into_iter().map(|(id, n, far)| (id, (n, far.unwrap_or(0)))).collect())
}

const PLANNED: &str = " AND a.kind IN ('meeting', 'showing') AND a.status <> 'cancelled'";

/// Meetings and showings (not cancelled) starting in the frame, per assignee: one-off ones
/// counted in SQL, occurrences of repeating series expanded by their rule.
pub async fn visits_planned(db: &Db, f: &Frame, reps: &[UserId]) -> StoreResult<HashMap<String, i64>> {
    let mut counts = planned_once(db, f, reps).await?;
    for (assignee, n) in planned_series(db, f, reps).await? {
        *counts.entry(assignee).or_default() += n;
    }
    Ok(counts)
}

/// One-off meetings and showings (not cancelled) starting in the frame, per assignee.
pub async fn planned_once(db: &Db, f: &Frame, reps: &[UserId]) -> StoreResult<HashMap<String, i64>> {
    let mut sql = Sql::new(
        "SELECT a.assignee_id, CAST(COUNT(*) AS BIGINT) FROM appointments a \
         LEFT JOIN contacts c ON c.id = a.contact_id WHERE a.deleted = 0 AND a.recurrence IS NULL",
    );
    sql.push(PLANNED);
    range(&mut sql, "a.starts_at", f.from, f.to);
    let list = in_list(&mut sql, reps);
    sql.push(&format!(" AND a.assignee_id IN {list}"));
    contact_filter(&mut sql, f);
    sql.push(" GROUP BY a.assignee_id");
    Ok(by_key(sql.query_as().fetch_all(db.pool()).await?))
}

/// Occurrences of repeating meetings and showings in the frame, per assignee, expanded by
/// their rule.
pub async fn planned_series(db: &Db, f: &Frame, reps: &[UserId]) -> StoreResult<HashMap<String, i64>> {
    let mut counts: HashMap<String, i64> = HashMap::new();
    let mut sql = Sql::new(
        "SELECT a.assignee_id, a.starts_at, a.ends_at, a.time_zone, a.recurrence, a.recurrence_exceptions \
         FROM appointments a LEFT JOIN contacts c ON c.id = a.contact_id \
         WHERE a.deleted = 0 AND a.recurrence IS NOT NULL",
    );
    sql.push(PLANNED);
    let (a, b) = (sql.arg(f.from), sql.arg(f.to));
    sql.push(&format!(" AND a.starts_at < {b} AND (a.series_ends_at IS NULL OR a.series_ends_at > {a})"));
    let list = in_list(&mut sql, reps);
    sql.push(&format!(" AND a.assignee_id IN {list}"));
    contact_filter(&mut sql, f);
    type SeriesRow = (String, i64, i64, String, Option<String>, Option<String>);
    let rows: Vec<SeriesRow> = sql.query_as().fetch_all(db.pool()).await?;
    for (assignee, starts, ends, zone, rule, exceptions) in rows {
        let (Some(Ok(rule)), Ok(zone)) = (
            rule.map(|r| serde_json::from_str::<fieldwork_app::appointments::Recurrence>(&r)),
            zone.parse::<chrono_tz::Tz>(),
        ) else {
            continue;
        };
        let exceptions: Vec<chrono::NaiveDate> =
            exceptions.and_then(|e| serde_json::from_str(&e).ok()).unwrap_or_default();
        let series = crate::appointments::recurrence::Series {
            starts_at: crate::db::from_ms(starts),
            ends_at: crate::db::from_ms(ends),
            zone,
            rule: &rule,
            exceptions: &exceptions,
        };
        let (window_from, window_to) = (crate::db::from_ms(f.from), crate::db::from_ms(f.to));
        let n = series.between(window_from, window_to).iter().filter(|(s, _)| *s >= window_from).count();
        *counts.entry(assignee).or_default() += i64::try_from(n).unwrap_or(i64::MAX);
    }
    Ok(counts)
}

/// Calls logged in the frame, per author.
pub async fn calls(db: &Db, f: &Frame, reps: &[UserId]) -> StoreResult<HashMap<String, i64>> {
    let mut sql = Sql::new("SELECT a.author_id, CAST(COUNT(*) AS BIGINT) FROM activities a");
    if filters_contacts(f) {
        sql.push(" JOIN contacts c ON c.id = a.contact_id");
    }
    sql.push(" WHERE a.deleted = 0 AND a.kind = 'call'");
    let list = in_list(&mut sql, reps);
    sql.push(&format!(" AND a.author_id IN {list}"));
    range(&mut sql, "a.occurred_at", f.from, f.to);
    contact_filter(&mut sql, f);
    sql.push(" GROUP BY a.author_id");
    Ok(by_key(sql.query_as().fetch_all(db.pool()).await?))
}

/// Contacts created in the frame, per owner.
pub async fn new_contacts(db: &Db, f: &Frame, reps: &[UserId]) -> StoreResult<HashMap<String, i64>> {
    let mut sql = Sql::new("SELECT c.owner_id, CAST(COUNT(*) AS BIGINT) FROM contacts c WHERE c.deleted = 0");
    let list = in_list(&mut sql, reps);
    sql.push(&format!(" AND c.owner_id IN {list}"));
    range(&mut sql, "c.created_at", f.from, f.to);
    contact_filter(&mut sql, f);
    sql.push(" GROUP BY c.owner_id");
    Ok(by_key(sql.query_as().fetch_all(db.pool()).await?))
}

/// Deals closed in the frame: `(owner, stage, currency) → (count, value)`.
pub async fn closed_deals(
    db: &Db,
    f: &Frame,
    owners: Option<&[UserId]>,
) -> StoreResult<Vec<(Option<String>, String, String, i64, i64)>> {
    let mut sql = Sql::new(
        "SELECT d.owner_id, d.stage, d.value_currency, CAST(COUNT(*) AS BIGINT), CAST(SUM(d.value_amount) AS BIGINT) \
         FROM deals d JOIN contacts c ON c.id = d.contact_id WHERE d.deleted = 0 AND d.stage IN ('won', 'lost')",
    );
    range(&mut sql, "d.stage_changed_at", f.from, f.to);
    match owners {
        Some(ids) => {
            let list = in_list(&mut sql, ids);
            sql.push(&format!(" AND d.owner_id IN {list}"));
        }
        None => deal_scope(&mut sql, f),
    }
    contact_filter(&mut sql, f);
    sql.push(" GROUP BY d.owner_id, d.stage, d.value_currency");
    Ok(sql.query_as().fetch_all(db.pool()).await?)
}

/// The deals a company-level figure reads: the caller's scope, and the rep filter.
fn deal_scope(sql: &mut Sql, f: &Frame) {
    scoped(sql, &f.scope, "d.owner_id", "c.territory_id");
    attributed(sql, f, "d.owner_id");
}

const SCORES: &str = "CAST(SUM(CASE WHEN f.csat IS NOT NULL THEN 1 ELSE 0 END) AS BIGINT), \
     CAST(SUM(CASE WHEN f.csat >= 4 THEN 1 ELSE 0 END) AS BIGINT), \
     CAST(SUM(CASE WHEN f.nps IS NOT NULL THEN 1 ELSE 0 END) AS BIGINT), \
     CAST(SUM(CASE WHEN f.nps >= 9 THEN 1 ELSE 0 END) AS BIGINT), \
     CAST(SUM(CASE WHEN f.nps <= 6 THEN 1 ELSE 0 END) AS BIGINT)";

type ScoreRow = (String, Option<i64>, Option<i64>, Option<i64>, Option<i64>, Option<i64>);

fn scores((_, a, b, c, d, e): &ScoreRow) -> Scores {
    let n = |v: &Option<i64>| v.unwrap_or(0);
    Scores { csat_answers: n(a), satisfied: n(b), nps_answers: n(c), promoters: n(d), detractors: n(e) }
}

/// Feedback answered in the frame about these reps' visits, per rep.
pub async fn scores_by_rep(db: &Db, f: &Frame, reps: &[UserId]) -> StoreResult<HashMap<String, Scores>> {
    let mut sql = Sql::new(&format!(
        "SELECT v.rep_id, {SCORES} FROM feedback f JOIN visits v ON v.id = f.visit_id \
         JOIN contacts c ON c.id = f.contact_id WHERE f.deleted = 0"
    ));
    range(&mut sql, "f.answered_at", f.from, f.to);
    let list = in_list(&mut sql, reps);
    sql.push(&format!(" AND v.rep_id IN {list}"));
    contact_filter(&mut sql, f);
    sql.push(" GROUP BY v.rep_id");
    let rows: Vec<ScoreRow> = sql.query_as().fetch_all(db.pool()).await?;
    Ok(rows.iter().map(|r| (r.0.clone(), scores(r))).collect())
}

/// Feedback answered since `since` about `rep`'s visits.
pub async fn rep_scores(db: &Db, rep: UserId, since: i64) -> StoreResult<Scores> {
    let sql = format!(
        "SELECT '' AS rep, {SCORES} FROM feedback f JOIN visits v ON v.id = f.visit_id \
         WHERE f.deleted = 0 AND v.rep_id = $1 AND f.answered_at >= $2"
    );
    let row: ScoreRow = sqlx::query_as(&sql).bind(rep.to_string()).bind(since).fetch_one(db.pool()).await?;
    Ok(scores(&row))
}

/// Feedback answered in each of the frame's buckets (index → scores), about the visits of the
/// reps the frame counts and the contacts it filters.
pub async fn scores_by_bucket(db: &Db, f: &Frame) -> StoreResult<HashMap<usize, Scores>> {
    let mut sql = Sql::new("SELECT CASE");
    for (i, (_, _, end)) in f.buckets.iter().enumerate() {
        let p = sql.arg(*end);
        sql.push(&format!(" WHEN f.answered_at < {p} THEN '{i}'"));
    }
    sql.push(&format!(" END AS bucket, {SCORES} FROM feedback f"));
    // The whole company's answers need neither their visit nor their contact (every answer
    // has a contact): a range of one index instead of two lookups per answer.
    let all = f.scope == Scope::All;
    if !all || filters_contacts(f) {
        sql.push(" JOIN contacts c ON c.id = f.contact_id");
    }
    if !all || f.attributed.is_some() {
        sql.push(" LEFT JOIN visits v ON v.id = f.visit_id");
    }
    sql.push(" WHERE f.deleted = 0");
    range(&mut sql, "f.answered_at", f.from, f.to);
    scoped(&mut sql, &f.scope, "v.rep_id", "c.territory_id");
    attributed(&mut sql, f, "v.rep_id");
    contact_filter(&mut sql, f);
    sql.push(" GROUP BY 1");
    let rows: Vec<ScoreRow> = sql.query_as().fetch_all(db.pool()).await?;
    Ok(rows.iter().filter_map(|r| r.0.parse::<usize>().ok().map(|i| (i, scores(r)))).collect())
}

/// Per territory: contacts, contacts visited since `coverage_from`, visits and new contacts in
/// the frame, listings on the market.
#[derive(Debug, Default, Clone, Copy)]
pub struct TerritoryCounts {
    pub contacts: i64,
    pub visited: i64,
    pub visits: i64,
    pub new_contacts: i64,
    pub listings: i64,
}

/// The territories a frame reports on, by name: the caller's (all for a company-wide scope),
/// or the one filtered.
pub async fn territories(db: &Db, f: &Frame) -> StoreResult<Vec<(String, String)>> {
    let mut sql = Sql::new("SELECT t.id, t.name FROM territories t WHERE t.deleted = 0");
    if let Some(t) = &f.territory {
        let p = sql.arg(t.as_str());
        sql.push(&format!(" AND t.id = {p}"));
    }
    if let Some(parts) = f.scope.parts(db).await? {
        let ids: Vec<String> =
            parts.into_iter().filter(|(p, _)| *p == crate::scope::Part::Territory).map(|(_, id)| id).collect();
        let list: Vec<String> = ids.into_iter().map(|id| sql.arg(id)).collect();
        sql.push(&format!(" AND t.id IN ({})", if list.is_empty() { "NULL".into() } else { list.join(", ") }));
    }
    sql.push(" ORDER BY t.name, t.id");
    Ok(sql.query_as().fetch_all(db.pool()).await?)
}

/// Live (not archived) contacts per territory.
pub async fn territory_contacts(db: &Db, f: &Frame, ids: &[String]) -> StoreResult<HashMap<String, i64>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let sql = Sql::new(
        "SELECT c.territory_id, CAST(COUNT(*) AS BIGINT) FROM contacts c WHERE c.deleted = 0 AND c.archived = 0",
    );
    per_territory(db, sql, f, ids, None).await
}

/// The counts of `sql` (a `SELECT c.territory_id, COUNT …` over contacts `c` with its own
/// conditions) for the territories `ids`, attributed to the frame's users by `user_col`, in the
/// frame's segment, per territory.
async fn per_territory(
    db: &Db,
    mut sql: Sql,
    f: &Frame,
    ids: &[String],
    user_col: Option<&str>,
) -> StoreResult<HashMap<String, i64>> {
    let l = in_list(&mut sql, ids);
    sql.push(&format!(" AND c.territory_id IN {l}"));
    if let Some(col) = user_col {
        attributed(&mut sql, f, col);
    }
    tag_filter(&mut sql, f);
    sql.push(" GROUP BY c.territory_id");
    Ok(by_key(sql.query_as().fetch_all(db.pool()).await?))
}

/// Per territory: contacts visited in `[coverage_from, to)` by the frame's users.
pub async fn territory_visited(db: &Db, f: &Frame, ids: &[String]) -> StoreResult<HashMap<String, i64>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let mut sql = Sql::new(
        "SELECT c.territory_id, CAST(COUNT(DISTINCT v.contact_id) AS BIGINT) FROM visits v \
         JOIN contacts c ON c.id = v.contact_id WHERE v.deleted = 0 AND c.deleted = 0",
    );
    range(&mut sql, "v.check_in_at", f.coverage_from, f.to);
    per_territory(db, sql, f, ids, Some("v.rep_id")).await
}

/// [`territory_visited`] for a frame that counts everyone's visits, from each contact's last
/// visit (kept by the rollups' triggers): those last visited in the window, and those last
/// visited after it that were also visited in it — index ranges, not a join per visit.
pub async fn territory_visited_by_anyone(db: &Db, f: &Frame, ids: &[String]) -> StoreResult<HashMap<String, i64>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let mut sql = Sql::new("SELECT c.territory_id, CAST(COUNT(*) AS BIGINT) FROM contacts c WHERE c.deleted = 0");
    range(&mut sql, "c.last_visit_at", f.coverage_from, f.to);
    let mut out = per_territory(db, sql, f, ids, None).await?;
    let mut sql = Sql::new(
        "SELECT c.territory_id, CAST(COUNT(*) AS BIGINT) FROM contacts c WHERE c.deleted = 0 \
         AND EXISTS (SELECT 1 FROM visits v WHERE v.contact_id = c.id AND v.deleted = 0",
    );
    range(&mut sql, "v.check_in_at", f.coverage_from, f.to);
    let to = sql.arg(f.to);
    sql.push(&format!(") AND c.last_visit_at >= {to}"));
    for (id, n) in per_territory(db, sql, f, ids, None).await? {
        *out.entry(id).or_default() += n;
    }
    Ok(out)
}

/// Per territory: listings on the market.
pub async fn territory_listings(db: &Db, f: &Frame, ids: &[String]) -> StoreResult<HashMap<String, i64>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let mut sql = Sql::new(
        "SELECT l.territory_id, CAST(COUNT(*) AS BIGINT) FROM listings l \
         WHERE l.deleted = 0 AND l.status IN ('available', 'under_offer')",
    );
    let l = in_list(&mut sql, ids);
    sql.push(&format!(" AND l.territory_id IN {l}"));
    attributed(&mut sql, f, "l.agent_id");
    if let Some(kind) = f.listing_kind {
        let p = sql.arg(kind.as_str());
        sql.push(&format!(" AND l.kind = {p}"));
    }
    sql.push(" GROUP BY l.territory_id");
    Ok(by_key(sql.query_as().fetch_all(db.pool()).await?))
}

/// Per territory: visits and new contacts in the frame (the period's counts of
/// [`TerritoryCounts`]).
pub async fn territory_period(db: &Db, f: &Frame, ids: &[String]) -> StoreResult<HashMap<String, (i64, i64)>> {
    let mut out: HashMap<String, (i64, i64)> = HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let mut sql = Sql::new(
        "SELECT c.territory_id, CAST(COUNT(*) AS BIGINT) FROM visits v JOIN contacts c ON c.id = v.contact_id \
         WHERE v.deleted = 0",
    );
    range(&mut sql, "v.check_in_at", f.from, f.to);
    for (id, n) in per_territory(db, sql, f, ids, Some("v.rep_id")).await? {
        out.entry(id).or_default().0 = n;
    }
    let mut sql = Sql::new("SELECT c.territory_id, CAST(COUNT(*) AS BIGINT) FROM contacts c WHERE c.deleted = 0");
    range(&mut sql, "c.created_at", f.from, f.to);
    for (id, n) in per_territory(db, sql, f, ids, Some("c.owner_id")).await? {
        out.entry(id).or_default().1 = n;
    }
    Ok(out)
}

/// Deals in scope now, per stage and currency: `(stage, currency, count, value)`. Open stages
/// count every open deal; won and lost count those closed in the frame.
pub async fn deals_now(db: &Db, f: &Frame) -> StoreResult<Vec<(String, String, i64, i64)>> {
    let mut sql = Sql::new(
        "SELECT d.stage, d.value_currency, CAST(COUNT(*) AS BIGINT), CAST(SUM(d.value_amount) AS BIGINT) \
         FROM deals d JOIN contacts c ON c.id = d.contact_id WHERE d.deleted = 0",
    );
    let (a, b) = (sql.arg(f.from), sql.arg(f.to));
    sql.push(&format!(
        " AND (d.stage NOT IN ('won', 'lost') OR (d.stage_changed_at >= {a} AND d.stage_changed_at < {b}))"
    ));
    deal_scope(&mut sql, f);
    contact_filter(&mut sql, f);
    sql.push(" GROUP BY d.stage, d.value_currency");
    Ok(sql.query_as().fetch_all(db.pool()).await?)
}

/// The rank of a stage along the pipeline (lost is off it).
fn rank(col: &str) -> String {
    format!(
        "(CASE {col} WHEN 'inquiry' THEN 0 WHEN 'proposal' THEN 1 WHEN 'negotiation' THEN 2 WHEN 'won' THEN 3 ELSE -1 END)"
    )
}

/// Per stage: deals that entered it in the frame, how many of those have reached a later stage
/// since, and the time (ms) spent in it by deals that left it in the frame, with their count.
/// `CROSS JOIN` keeps SQLite reading the period's stage changes first (an index range) rather
/// than every deal of a team's owners; to PostgreSQL it is the same inner join.
pub async fn stage_flow(db: &Db, f: &Frame) -> StoreResult<HashMap<String, (i64, i64, i64, i64)>> {
    let mut out: HashMap<String, (i64, i64, i64, i64)> = HashMap::new();
    let mut sql = Sql::new(&format!(
        "SELECT h.to_stage, CAST(COUNT(DISTINCT h.deal_id) AS BIGINT), CAST(COUNT(DISTINCT CASE WHEN EXISTS (\
         SELECT 1 FROM deal_stage_history n WHERE n.deal_id = h.deal_id AND n.at >= h.at AND {} > {}) \
         THEN h.deal_id END) AS BIGINT) \
         FROM deal_stage_history h CROSS JOIN deals d{} WHERE d.id = h.deal_id AND d.deleted = 0",
        rank("n.to_stage"),
        rank("h.to_stage"),
        deal_contacts(f)
    ));
    range(&mut sql, "h.at", f.from, f.to);
    deal_scope(&mut sql, f);
    contact_filter(&mut sql, f);
    sql.push(" GROUP BY h.to_stage");
    for (stage, entered, moved) in sql.query_as::<(String, i64, i64)>().fetch_all(db.pool()).await? {
        let e = out.entry(stage).or_default();
        (e.0, e.1) = (entered, moved);
    }
    let mut sql = Sql::new(&format!(
        "SELECT h.from_stage, CAST(SUM(h.at - h.from_entered_at) AS BIGINT), CAST(COUNT(*) AS BIGINT) \
         FROM deal_stage_history h CROSS JOIN deals d{} \
         WHERE d.id = h.deal_id AND d.deleted = 0 AND h.from_stage IS NOT NULL AND h.from_entered_at IS NOT NULL",
        deal_contacts(f)
    ));
    range(&mut sql, "h.at", f.from, f.to);
    deal_scope(&mut sql, f);
    contact_filter(&mut sql, f);
    sql.push(" GROUP BY h.from_stage");
    for (stage, total, n) in sql.query_as::<(String, Option<i64>, i64)>().fetch_all(db.pool()).await? {
        let e = out.entry(stage).or_default();
        (e.2, e.3) = (total.unwrap_or(0), n);
    }
    Ok(out)
}

/// Listings in scope per status: count, and (for those on the market or sold/rented) the total
/// ms on the market up to the frame's end and how many that total covers — from when each first
/// went on the market and was first sold or rented (kept from its status history by the
/// rollups' triggers).
pub async fn listings_by_status(db: &Db, f: &Frame) -> StoreResult<Vec<(String, i64, i64, i64)>> {
    let mut sql = Sql::new("SELECT l.status, CAST(COUNT(*) AS BIGINT), ");
    let end = sql.arg(f.to);
    sql.push(&format!(
        "CAST(SUM(CASE WHEN l.listed_at IS NOT NULL AND l.status IN ('available', 'under_offer', 'sold', 'rented') \
         THEN COALESCE(l.closed_at, {end}) - l.listed_at ELSE 0 END) AS BIGINT), \
         CAST(SUM(CASE WHEN l.listed_at IS NOT NULL AND l.status IN ('available', 'under_offer', 'sold', 'rented') \
         THEN 1 ELSE 0 END) AS BIGINT) \
         FROM listings l WHERE l.deleted = 0 AND l.created_at < {end}"
    ));
    scoped(&mut sql, &f.scope, "l.agent_id", "l.territory_id");
    attributed(&mut sql, f, "l.agent_id");
    if let Some(t) = &f.territory {
        let p = sql.arg(t.as_str());
        sql.push(&format!(" AND l.territory_id = {p}"));
    }
    if let Some(kind) = f.listing_kind {
        let p = sql.arg(kind.as_str());
        sql.push(&format!(" AND l.kind = {p}"));
    }
    sql.push(" GROUP BY l.status");
    let rows: Vec<(String, i64, Option<i64>, Option<i64>)> = sql.query_as().fetch_all(db.pool()).await?;
    Ok(rows.into_iter().map(|(s, n, ms, k)| (s, n, ms.unwrap_or(0), k.unwrap_or(0))).collect())
}

/// Customers (contacts with a won deal up to the frame's end): at its start, at its end (not
/// inactive), and won during it (not inactive).
pub async fn customers(db: &Db, f: &Frame) -> StoreResult<(i64, i64, i64)> {
    let mut inner = Sql::new(
        "SELECT d.contact_id, MIN(d.stage_changed_at) AS first_won, \
         MAX(CASE WHEN c.lifecycle = 'inactive' THEN 1 ELSE 0 END) AS inactive \
         FROM deals d JOIN contacts c ON c.id = d.contact_id WHERE d.deleted = 0 AND c.deleted = 0 AND d.stage = 'won'",
    );
    let to = inner.arg(f.to);
    inner.push(&format!(" AND d.stage_changed_at < {to}"));
    deal_scope(&mut inner, f);
    contact_filter(&mut inner, f);
    inner.push(" GROUP BY d.contact_id");
    let from = inner.arg(f.from);
    let text = format!(
        "SELECT CAST(COALESCE(SUM(CASE WHEN w.first_won < {from} THEN 1 ELSE 0 END), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN w.inactive = 0 THEN 1 ELSE 0 END), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN w.first_won >= {from} AND w.inactive = 0 THEN 1 ELSE 0 END), 0) AS BIGINT) \
         FROM ({}) w",
        inner.text()
    );
    inner.replace_text(&text);
    Ok(inner.query_as().fetch_one(db.pool()).await?)
}

/// [`customers`] for the whole company, from each contact's first won deal (kept by the
/// rollups' triggers): one range of an index of contacts instead of a join per won deal.
pub async fn customers_of_everyone(db: &Db, f: &Frame) -> StoreResult<(i64, i64, i64)> {
    let mut sql = Sql::new("");
    let from = sql.arg(f.from);
    let active = "CASE WHEN c.lifecycle = 'inactive' THEN 0 ELSE 1 END";
    sql.push(&format!(
        "SELECT CAST(COALESCE(SUM(CASE WHEN c.first_won_at < {from} THEN 1 ELSE 0 END), 0) AS BIGINT), \
         CAST(COALESCE(SUM({active}), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN c.first_won_at >= {from} THEN {active} ELSE 0 END), 0) AS BIGINT) \
         FROM contacts c WHERE c.deleted = 0"
    ));
    let to = sql.arg(f.to);
    sql.push(&format!(" AND c.first_won_at < {to}"));
    contact_filter(&mut sql, f);
    Ok(sql.query_as().fetch_one(db.pool()).await?)
}

/// Revenue from deals won up to the frame's end, and the customers it came from, per currency.
pub async fn lifetime_value(db: &Db, f: &Frame) -> StoreResult<Vec<(String, i64, i64)>> {
    let mut sql = Sql::new(&format!(
        "SELECT d.value_currency, CAST(SUM(d.value_amount) AS BIGINT), CAST(COUNT(DISTINCT d.contact_id) AS BIGINT) \
         FROM deals d{} WHERE d.deleted = 0 AND d.stage = 'won'",
        deal_contacts(f)
    ));
    let to = sql.arg(f.to);
    sql.push(&format!(" AND d.stage_changed_at < {to}"));
    deal_scope(&mut sql, f);
    contact_filter(&mut sql, f);
    sql.push(" GROUP BY d.value_currency ORDER BY d.value_currency");
    Ok(sql.query_as().fetch_all(db.pool()).await?)
}

/// Contacts created in the frame, and those of them that came by referral.
pub async fn referrals(db: &Db, f: &Frame) -> StoreResult<(i64, i64)> {
    let mut sql = Sql::new(
        "SELECT CAST(COUNT(*) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN LOWER(c.source) = 'referral' THEN 1 ELSE 0 END), 0) AS BIGINT) \
         FROM contacts c WHERE c.deleted = 0",
    );
    range(&mut sql, "c.created_at", f.from, f.to);
    scoped(&mut sql, &f.scope, "c.owner_id", "c.territory_id");
    attributed(&mut sql, f, "c.owner_id");
    contact_filter(&mut sql, f);
    Ok(sql.query_as().fetch_one(db.pool()).await?)
}

/// Which rolled-up rows a [`rolled`] sum reads.
pub struct Rolled<'a> {
    pub metrics: &'a [&'a str],
    /// Whole UTC days `[from, to)` (see `rollup::DAY_MS`).
    pub days: (i64, i64),
    /// The column the sums are grouped by: `user_id`, `territory_id`, `metric` or `day`.
    pub by: &'static str,
    /// Only these users' rows (None: everyone's).
    pub users: Option<&'a [UserId]>,
    /// Only the rows the caller's scope covers (company-level figures).
    pub scoped: bool,
}

/// `(key, metric, currency) → (count, amount)` from the daily rollups, with the frame's
/// territory filter. The frame must have no segment filter (tags are not rolled up).
pub async fn rolled(db: &Db, f: &Frame, r: Rolled<'_>) -> StoreResult<HashMap<(String, String, String), (i64, i64)>> {
    let mut sql = Sql::new(&format!(
        "SELECT CAST(r.{by} AS TEXT), r.metric, r.currency, CAST(SUM(r.n) AS BIGINT), CAST(SUM(r.amount) AS BIGINT) \
         FROM report_days r WHERE ",
        by = r.by
    ));
    let metrics = in_list(&mut sql, r.metrics);
    sql.push(&format!("r.metric IN {metrics}"));
    range(&mut sql, "r.day", r.days.0, r.days.1);
    if let Some(users) = r.users {
        let list = in_list(&mut sql, users);
        sql.push(&format!(" AND r.user_id IN {list}"));
    }
    if let Some(t) = &f.territory {
        let p = sql.arg(t.as_str());
        sql.push(&format!(" AND r.territory_id = {p}"));
    }
    if r.scoped {
        scoped(&mut sql, &f.scope, "r.user_id", "r.territory_id");
    }
    sql.push(&format!(" GROUP BY r.{}, r.metric, r.currency", r.by));
    let rows: Vec<(String, String, String, i64, i64)> = sql.query_as().fetch_all(db.pool()).await?;
    Ok(rows.into_iter().map(|(k, m, c, n, a)| ((k, m, c), (n, a))).collect())
}

/// The money of `(currency, amount)` rows, summed per currency, in currency order.
pub fn money(rows: impl IntoIterator<Item = (String, i64)>) -> Vec<Money> {
    let mut sums: std::collections::BTreeMap<String, i64> = std::collections::BTreeMap::new();
    for (currency, amount) in rows {
        *sums.entry(currency).or_default() += amount;
    }
    sums.into_iter().filter_map(|(c, a)| Money::new(a, &c).ok()).collect()
}
