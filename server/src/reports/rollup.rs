//! Daily rollups: what the reports count per period, summed per UTC day, user, territory and
//! currency in `report_days`, so a dashboard over a million contacts reads a few thousand
//! rows instead of counting millions.
//!
//! The database keeps them exact itself: triggers on every source table add a row's
//! contribution when it is written and take the old one away when it changes or goes, from
//! any path (API, sync, import, jobs, SQL by hand). A contact that moves to another territory
//! moves the contributions of its visits, calls, appointments, deals and answers with it.
//! Each [`Source`] below is written once and turned into the backfill, the `SQLite` triggers
//! and the `PostgreSQL` trigger functions.
//!
//! A period in the reader's zone rarely starts at a UTC midnight: the whole UTC days inside
//! it come from here, the hours at each end are counted from the rows (see `ranged.rs`).
//!
//! The same triggers keep summaries on contacts and listings (see [`SUMMARIES`]): when a
//! contact was last visited (territory coverage) and first became a customer (retention), when
//! a listing first went on the market and was first sold or rented (days on market).

use crate::db::{Db, Engine, StoreResult};

/// Bump when a source or metric changes: the next start rebuilds the rollups and triggers.
pub const VERSION: i64 = 2;

pub const DAY_MS: i64 = 86_400_000;

/// A figure counted from one source table.
struct Metric {
    name: &'static str,
    /// Which live rows it counts.
    when: &'static str,
    n: &'static str,
    amount: &'static str,
}

/// A table the reports count rows of, over `v` (the row) and `c` (its contact).
struct Source {
    /// Names its triggers (a table may feed several sources).
    name: &'static str,
    table: &'static str,
    /// The columns the expressions read (a trigger copies them from OLD or NEW).
    columns: &'static [&'static str],
    /// The column naming the contact whose territory the row counts under; None when the row
    /// is the contact.
    contact: Option<&'static str>,
    at: &'static str,
    user: &'static str,
    currency: &'static str,
    /// Rows that count at all.
    live: &'static str,
    /// An update of any of these columns may change what the row counts.
    watched: &'static [&'static str],
    metrics: &'static [Metric],
}

const fn metric(name: &'static str, when: &'static str) -> Metric {
    Metric { name, when, n: "1", amount: "0" }
}

const SOURCES: [Source; 8] = [
    Source {
        name: "visits",
        table: "visits",
        columns: &["id", "rep_id", "contact_id", "check_in_at", "far", "deleted"],
        contact: Some("contact_id"),
        at: "v.check_in_at",
        user: "v.rep_id",
        currency: "''",
        live: "v.deleted = 0",
        watched: &["rep_id", "contact_id", "check_in_at", "far", "deleted"],
        metrics: &[metric("visits", "1 = 1"), metric("visits_far", "v.far = 1")],
    },
    Source {
        name: "appointments",
        table: "appointments",
        columns: &["id", "assignee_id", "contact_id", "starts_at", "kind", "status", "recurrence", "deleted"],
        contact: Some("contact_id"),
        at: "v.starts_at",
        user: "v.assignee_id",
        currency: "''",
        // Repeating series are expanded by their rule when read, not rolled up.
        live: "v.deleted = 0 AND v.recurrence IS NULL AND v.kind IN ('meeting', 'showing') AND v.status <> 'cancelled'",
        watched: &["assignee_id", "contact_id", "starts_at", "kind", "status", "recurrence", "deleted"],
        metrics: &[metric("planned", "1 = 1")],
    },
    Source {
        name: "activities",
        table: "activities",
        columns: &["id", "author_id", "contact_id", "occurred_at", "kind", "deleted"],
        contact: Some("contact_id"),
        at: "v.occurred_at",
        user: "v.author_id",
        currency: "''",
        live: "v.deleted = 0 AND v.kind = 'call'",
        watched: &["author_id", "contact_id", "occurred_at", "kind", "deleted"],
        metrics: &[metric("calls", "1 = 1")],
    },
    Source {
        name: "contacts",
        table: "contacts",
        columns: &["id", "owner_id", "territory_id", "created_at", "source", "deleted"],
        contact: None,
        at: "v.created_at",
        user: "v.owner_id",
        currency: "''",
        live: "v.deleted = 0",
        watched: &["owner_id", "territory_id", "created_at", "source", "deleted"],
        metrics: &[metric("new_contacts", "1 = 1"), metric("referrals", "LOWER(v.source) = 'referral'")],
    },
    Source {
        name: "deals",
        table: "deals",
        columns: &[
            "id",
            "owner_id",
            "contact_id",
            "stage_changed_at",
            "stage",
            "value_currency",
            "value_amount",
            "deleted",
        ],
        contact: Some("contact_id"),
        at: "v.stage_changed_at",
        user: "v.owner_id",
        currency: "v.value_currency",
        live: "v.deleted = 0 AND v.stage IN ('won', 'lost')",
        watched: &["owner_id", "contact_id", "stage_changed_at", "stage", "value_currency", "value_amount", "deleted"],
        metrics: &[
            Metric { name: "won", when: "v.stage = 'won'", n: "1", amount: "v.value_amount" },
            Metric { name: "lost", when: "v.stage = 'lost'", n: "1", amount: "v.value_amount" },
        ],
    },
    Source {
        name: "feedback",
        table: "feedback",
        columns: &["id", "visit_id", "contact_id", "answered_at", "csat", "nps", "deleted"],
        contact: Some("contact_id"),
        at: "v.answered_at",
        // Answers count for the rep of the visit they are about (no one's when about no visit).
        user: "(SELECT w.rep_id FROM visits w WHERE w.id = v.visit_id)",
        currency: "''",
        live: "v.deleted = 0 AND v.answered_at IS NOT NULL",
        watched: &["visit_id", "contact_id", "answered_at", "csat", "nps", "deleted"],
        metrics: &[
            metric("csat_answers", "v.csat IS NOT NULL"),
            metric("satisfied", "v.csat >= 4"),
            metric("nps_answers", "v.nps IS NOT NULL"),
            metric("promoters", "v.nps >= 9"),
            metric("detractors", "v.nps <= 6"),
        ],
    },
    // States now rather than events of a day: kept under day 0.
    Source {
        name: "contacts_live",
        table: "contacts",
        columns: &["id", "owner_id", "territory_id", "archived", "deleted"],
        contact: None,
        at: "0",
        user: "v.owner_id",
        currency: "''",
        live: "v.deleted = 0 AND v.archived = 0",
        watched: &["owner_id", "territory_id", "archived", "deleted"],
        metrics: &[metric("live_contacts", "1 = 1")],
    },
    Source {
        name: "deals_open",
        table: "deals",
        columns: &["id", "owner_id", "contact_id", "stage", "value_currency", "value_amount", "deleted"],
        contact: Some("contact_id"),
        at: "0",
        user: "v.owner_id",
        currency: "v.value_currency",
        live: "v.deleted = 0",
        watched: &["owner_id", "contact_id", "stage", "value_currency", "value_amount", "deleted"],
        metrics: &[
            Metric { name: "open_inquiry", when: "v.stage = 'inquiry'", n: "1", amount: "v.value_amount" },
            Metric { name: "open_proposal", when: "v.stage = 'proposal'", n: "1", amount: "v.value_amount" },
            Metric { name: "open_negotiation", when: "v.stage = 'negotiation'", n: "1", amount: "v.value_amount" },
        ],
    },
];

/// A column of `target` summarising the target row's rows of another table (whose `key`
/// names it), kept by triggers.
struct Summary {
    target: &'static str,
    column: &'static str,
    table: &'static str,
    key: &'static str,
    /// The summary over the contact's rows `w` that [`Summary::live`] selects.
    value: &'static str,
    live: &'static str,
    /// The columns of `table` whose change may change the summary.
    watched: &'static str,
}

const SUMMARIES: [Summary; 4] = [
    Summary {
        target: "contacts",
        column: "last_visit_at",
        table: "visits",
        key: "contact_id",
        value: "MAX(w.check_in_at)",
        live: "w.deleted = 0",
        watched: "contact_id, check_in_at, deleted",
    },
    Summary {
        target: "contacts",
        column: "first_won_at",
        table: "deals",
        key: "contact_id",
        value: "MIN(w.stage_changed_at)",
        live: "w.deleted = 0 AND w.stage = 'won'",
        watched: "contact_id, stage, stage_changed_at, deleted",
    },
    Summary {
        target: "listings",
        column: "listed_at",
        table: "listing_status_history",
        key: "listing_id",
        value: "MIN(w.at)",
        live: "w.to_status = 'available'",
        watched: "listing_id, to_status, at",
    },
    Summary {
        target: "listings",
        column: "closed_at",
        table: "listing_status_history",
        key: "listing_id",
        value: "MIN(w.at)",
        live: "w.to_status IN ('sold', 'rented')",
        watched: "listing_id, to_status, at",
    },
];

impl Summary {
    /// Recounts the summary of the target rows `which` names (a condition on the target).
    fn update(&self, which: &str) -> String {
        format!(
            "UPDATE {target} SET {col} = (SELECT {value} FROM {table} w WHERE w.{key} = {target}.id AND {live}) \
             WHERE {which}",
            target = self.target,
            col = self.column,
            value = self.value,
            table = self.table,
            key = self.key,
            live = self.live,
        )
    }

    /// Recounts the summary of the target row that trigger row `which` (`OLD` or `NEW`) names.
    fn update_for(&self, which: &str) -> String {
        self.update(&format!("id = {which}.{}", self.key))
    }

    /// The summary from scratch: cleared, then counted for the target rows that have rows.
    fn backfill(&self) -> [String; 2] {
        [
            format!("UPDATE {} SET {col} = NULL WHERE {col} IS NOT NULL", self.target, col = self.column),
            self.update(&format!("id IN (SELECT w.{} FROM {} w WHERE {})", self.key, self.table, self.live)),
        ]
    }
}

/// The day state metrics (`contacts_live`, `deals_open`) are kept under.
pub const NOW: (i64, i64) = (0, 1);

const COLUMNS: &str = "day, user_id, territory_id, currency, metric, n, amount";
const UPSERT: &str = " ON CONFLICT (metric, day, user_id, territory_id, currency) DO UPDATE SET \
     n = report_days.n + excluded.n, amount = report_days.amount + excluded.amount";

impl Source {
    /// The territory a row counts under: its contact's (or its own, for contacts).
    fn territory(&self) -> &'static str {
        if self.contact.is_some() {
            "c.territory_id"
        } else {
            "v.territory_id"
        }
    }

    /// `(day, user, territory, currency, metric, n, amount)` rows of the contributions of the
    /// rows of `from` (aliased `v`), times `sign`, counted under `territory`.
    fn contributions(&self, from: &str, territory: &str, sign: i64, extra: &str) -> String {
        let join = match self.contact {
            Some(col) => format!(" LEFT JOIN contacts c ON c.id = v.{col}"),
            None => String::new(),
        };
        self.metrics
            .iter()
            .map(|m| {
                format!(
                    "SELECT CAST({at} / {DAY_MS} AS BIGINT) AS d, COALESCE({user}, '') AS u, \
                     COALESCE({territory}, '') AS t, COALESCE({currency}, '') AS cur, CAST('{name}' AS TEXT) AS m, \
                     CAST({sign} * ({n}) AS BIGINT) AS n, CAST({sign} * ({amount}) AS BIGINT) AS a \
                     FROM {from}{join} WHERE {live} AND ({when}){extra}",
                    at = self.at,
                    user = self.user,
                    currency = self.currency,
                    name = m.name,
                    n = m.n,
                    amount = m.amount,
                    live = self.live,
                    when = m.when,
                )
            })
            .collect::<Vec<_>>()
            .join(" UNION ALL ")
    }

    /// The row `OLD` or `NEW` of a trigger as a one-row table `v`.
    fn trigger_row(&self, which: &str) -> String {
        let cols: Vec<String> = self.columns.iter().map(|c| format!("{which}.{c} AS {c}")).collect();
        format!("(SELECT {}) v", cols.join(", "))
    }

    /// Adds (`sign` 1) or takes away (-1) the contribution of trigger row `which`.
    fn apply_row(&self, which: &str, sign: i64) -> String {
        let select = self.contributions(&self.trigger_row(which), self.territory(), sign, "");
        format!(
            "INSERT INTO report_days ({COLUMNS}) SELECT d, u, t, cur, m, n, a FROM ({select}) x WHERE 1 = 1{UPSERT}"
        )
    }

    /// Moves the contributions of this table's rows about contact `NEW.id` from territory
    /// `OLD.territory_id` to `NEW.territory_id` (a contact changed territory).
    fn move_for_contact(&self, sign: i64, territory: &str) -> Option<String> {
        let col = self.contact?;
        let select =
            self.contributions(&format!("{} v", self.table), territory, sign, &format!(" AND v.{col} = NEW.id"));
        Some(format!(
            "INSERT INTO report_days ({COLUMNS}) SELECT d, u, t, cur, m, SUM(n), SUM(a) FROM ({select}) x \
             WHERE 1 = 1 GROUP BY d, u, t, cur, m{UPSERT}"
        ))
    }
}

/// Every source's contributions over its whole table, grouped (the rollups from scratch), and
/// every contact's summaries.
fn backfill() -> Vec<String> {
    SUMMARIES
        .iter()
        .flat_map(Summary::backfill)
        .chain(SOURCES.iter().map(|s| {
            format!(
                "INSERT INTO report_days ({COLUMNS}) SELECT d, u, t, cur, m, SUM(n), SUM(a) FROM ({}) x \
                 GROUP BY d, u, t, cur, m",
                s.contributions(&format!("{} v", s.table), s.territory(), 1, "")
            )
        }))
        .collect()
}

/// A row-level trigger of the rollups: on `table`, what an old row takes away and a new row
/// adds, and (`SQLite`) what an update does.
struct RowTrigger {
    name: &'static str,
    table: &'static str,
    watched: String,
    old: String,
    new: String,
    update: String,
}

impl RowTrigger {
    /// The statements that create it on `engine`: three triggers on `SQLite`, a function and a
    /// trigger on `PostgreSQL`.
    fn create(&self, engine: Engine) -> Vec<String> {
        let RowTrigger { name, table: t, watched, old, new, update } = self;
        match engine {
            Engine::Sqlite => vec![
                format!("CREATE TRIGGER report_{name}_insert AFTER INSERT ON {t} BEGIN {new}; END"),
                format!("CREATE TRIGGER report_{name}_update AFTER UPDATE OF {watched} ON {t} BEGIN {update}; END"),
                format!("CREATE TRIGGER report_{name}_delete AFTER DELETE ON {t} BEGIN {old}; END"),
            ],
            Engine::Postgres => vec![
                format!(
                    "CREATE OR REPLACE FUNCTION report_{name}() RETURNS trigger LANGUAGE plpgsql AS $fn$ BEGIN \
                     IF TG_OP IN ('UPDATE', 'DELETE') THEN {old}; END IF; \
                     IF TG_OP IN ('INSERT', 'UPDATE') THEN {new}; END IF; RETURN NULL; END $fn$"
                ),
                format!(
                    "CREATE TRIGGER report_{name} AFTER INSERT OR DELETE OR UPDATE OF {watched} ON {t} \
                     FOR EACH ROW EXECUTE FUNCTION report_{name}()"
                ),
            ],
        }
    }

    /// The statements that remove it from `engine`.
    fn drop(&self, engine: Engine) -> Vec<String> {
        let (name, t) = (self.name, self.table);
        match engine {
            Engine::Sqlite => ["insert", "update", "delete"]
                .map(|event| format!("DROP TRIGGER IF EXISTS report_{name}_{event}"))
                .into(),
            Engine::Postgres => vec![format!("DROP TRIGGER IF EXISTS report_{name} ON {t}")],
        }
    }
}

/// Every source's and every summary's row trigger.
fn row_triggers() -> Vec<RowTrigger> {
    let sources = SOURCES.iter().map(|s| {
        let (old, new) = (s.apply_row("OLD", -1), s.apply_row("NEW", 1));
        RowTrigger {
            name: s.name,
            table: s.table,
            watched: s.watched.join(", "),
            update: format!("{old}; {new}"),
            old,
            new,
        }
    });
    let summaries = SUMMARIES.iter().map(|m| RowTrigger {
        name: m.column,
        table: m.table,
        watched: m.watched.into(),
        old: m.update_for("OLD"),
        new: m.update_for("NEW"),
        // One statement for both rows (the same one when the key did not change).
        update: m.update(&format!("id IN (OLD.{key}, NEW.{key})", key = m.key)),
    });
    sources.chain(summaries).collect()
}

/// The statements that create the triggers keeping `report_days` and the summaries exact, for
/// `engine`.
fn triggers(engine: Engine) -> Vec<String> {
    let moves: Vec<String> = SOURCES
        .iter()
        .flat_map(|s| [s.move_for_contact(-1, "OLD.territory_id"), s.move_for_contact(1, "NEW.territory_id")])
        .flatten()
        .collect();
    let mut out: Vec<String> = row_triggers().iter().flat_map(|t| t.create(engine)).collect();
    match engine {
        Engine::Sqlite => out.push(format!(
            "CREATE TRIGGER report_contacts_move AFTER UPDATE OF territory_id ON contacts \
             WHEN OLD.territory_id IS NOT NEW.territory_id BEGIN {}; END",
            moves.join("; ")
        )),
        Engine::Postgres => {
            out.push(format!(
                "CREATE OR REPLACE FUNCTION report_contacts_move() RETURNS trigger LANGUAGE plpgsql AS $fn$ BEGIN \
                 {}; RETURN NULL; END $fn$",
                moves.join("; ")
            ));
            out.push(
                "CREATE TRIGGER report_contacts_move AFTER UPDATE OF territory_id ON contacts FOR EACH ROW \
                 WHEN (OLD.territory_id IS DISTINCT FROM NEW.territory_id) EXECUTE FUNCTION report_contacts_move()"
                    .into(),
            );
        }
    }
    out
}

/// The statements that remove those triggers (for a bulk load, or before a rebuild).
fn drop_triggers(engine: Engine) -> Vec<String> {
    let mut out: Vec<String> = row_triggers().iter().flat_map(|t| t.drop(engine)).collect();
    out.push(match engine {
        Engine::Sqlite => "DROP TRIGGER IF EXISTS report_contacts_move".into(),
        Engine::Postgres => "DROP TRIGGER IF EXISTS report_contacts_move ON contacts".into(),
    });
    out
}

/// Builds the rollups and their triggers when this version has not yet (on start, after the
/// migrations). Returns whether it rebuilt.
pub async fn ensure(db: &Db) -> StoreResult<bool> {
    let built: i64 = sqlx::query_scalar("SELECT version FROM report_rollups WHERE id = 1").fetch_one(db.pool()).await?;
    if built == VERSION {
        return Ok(false);
    }
    rebuild(db).await?;
    Ok(true)
}

/// Counts the rollups from scratch and (re)creates their triggers, in one write transaction.
pub async fn rebuild(db: &Db) -> StoreResult<()> {
    let mut tx = db.begin_write().await?;
    for statement in drop_triggers(db.engine()) {
        sqlx::query(&statement).execute(tx.conn()).await?;
    }
    sqlx::query("DELETE FROM report_days").execute(tx.conn()).await?;
    for statement in backfill() {
        sqlx::query(&statement).execute(tx.conn()).await?;
    }
    for statement in triggers(db.engine()) {
        sqlx::query(&statement).execute(tx.conn()).await?;
    }
    sqlx::query("UPDATE report_rollups SET version = $1 WHERE id = 1").bind(VERSION).execute(tx.conn()).await?;
    tx.commit().await?;
    Ok(())
}

/// Removes the triggers for a bulk load that calls [`rebuild`] when it is done.
pub async fn pause(db: &Db) -> StoreResult<()> {
    let mut tx = db.begin_write().await?;
    for statement in drop_triggers(db.engine()) {
        sqlx::query(&statement).execute(tx.conn()).await?;
    }
    sqlx::query("UPDATE report_rollups SET version = 0 WHERE id = 1").execute(tx.conn()).await?;
    tx.commit().await?;
    Ok(())
}
