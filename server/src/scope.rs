//! Scope: which records a caller may see. Roles decide *what*; scope decides *which*.
//!
//! - admin, office: everything;
//! - manager: records owned by or assigned to them or their team, and in their team's territories;
//! - rep: records they own or that lie in territories currently assigned to them.
//!
//! Store functions turn a [`Scope`] into a SQL predicate with bound parameters, so no query
//! that reads records can be written without deciding its scope.

use crate::auth::Ctx;
use crate::db::{Db, StoreResult};
use crate::error::AppError;
use crate::users;
use fieldwork_app::common::FieldError;
use fieldwork_app::common::UserId;
use fieldwork_app::users::Role;

/// One branch of a users' scope: records with this owner, or in this territory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Owner,
    Territory,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Scope {
    All,
    /// Records of these users (the caller, and a manager's team), with territory assignments
    /// current on `today` (the caller's local date: assignments change at local midnight).
    Users(Vec<UserId>, chrono::NaiveDate),
}

impl Scope {
    /// The caller's scope; read it through [`Ctx::scope`], which works it out once per request.
    pub(crate) async fn of(db: &Db, ctx: &Ctx) -> StoreResult<Scope> {
        let today = ctx.today();
        Ok(match ctx.role() {
            Role::Admin | Role::Office => Scope::All,
            Role::Manager => {
                let mut ids = users::store::team_of(db, ctx.user_id()).await?;
                ids.push(ctx.user_id());
                Scope::Users(ids, today)
            }
            Role::Rep => Scope::Users(vec![ctx.user_id()], today),
        })
    }

    /// The caller's own records only, whatever their role: what only the one who made it may
    /// touch (the visit a rep checked in at, the appointment they are assigned).
    pub fn own(ctx: &Ctx) -> Scope {
        Scope::Users(vec![ctx.user_id()], ctx.today())
    }

    /// True when records owned by `user` are in this scope (who a rep or manager may hand a
    /// record to).
    pub fn covers_user(&self, user: UserId) -> bool {
        match self {
            Scope::All => true,
            Scope::Users(ids, _) => ids.contains(&user),
        }
    }

    /// The owners and current territories of a users' scope, one by one (None for everything).
    /// A sorted list runs one index-ordered branch per value and merges them, instead of
    /// sorting every row an `OR` over all of them matches.
    pub async fn parts(&self, db: &Db) -> StoreResult<Option<Vec<(Part, String)>>> {
        let Scope::Users(ids, today) = self else { return Ok(None) };
        let mut parts: Vec<(Part, String)> = ids.iter().map(|id| (Part::Owner, id.to_string())).collect();
        let list: Vec<String> = (0..ids.len()).map(|i| format!("${}", i + 2)).collect();
        let sql = format!(
            "SELECT DISTINCT territory_id FROM territory_assignments WHERE deleted = 0 AND starts_on <= $1 \
             AND (ends_on IS NULL OR ends_on > $1) AND user_id IN ({})",
            list.join(", ")
        );
        let query = ids.iter().fold(sqlx::query_scalar(&sql).bind(today.to_string()), |q, id| q.bind(id.to_string()));
        let territories: Vec<String> = query.fetch_all(db.pool()).await?;
        parts.extend(territories.into_iter().map(|t| (Part::Territory, t)));
        Ok(Some(parts))
    }

    /// A predicate over a record's owner column and, where it has one, its territory column.
    /// Placeholders start at `$first`; the returned values are bound in order after the
    /// query's own parameters.
    pub fn predicate(&self, owner_col: &str, territory_col: Option<&str>, first: usize) -> (String, Vec<String>) {
        let Some((owners, territories, mut binds)) = self.halves(first) else { return ("1 = 1".into(), vec![]) };
        let Some(territory_col) = territory_col else {
            binds.pop(); // today: no territories to ask about
            return (format!("{owner_col} IN ({owners})"), binds);
        };
        (format!("({owner_col} IN ({owners}) OR {territory_col} IN ({territories}))"), binds)
    }

    /// [`Scope::predicate`] as a semi-join: `key` is the id of a row of `table` whose `owner`
    /// and `territory` columns decide the record's scope (the record's own row, or its
    /// contact's), and the ids come from each half of the scope apart — the owners' index, then
    /// the territories'. `PostgreSQL` cannot tell how many rows `owner OR territory IN (…)` keeps
    /// (it took a rep's 1,961 contacts of 200,000 for 160,000 and read every activity to find
    /// theirs); each half it can.
    pub fn semi_join(
        &self,
        key: &str,
        table: &str,
        (owner, territory): (&str, &str),
        first: usize,
    ) -> (String, Vec<String>) {
        let Some((owners, territories, binds)) = self.halves(first) else { return ("1 = 1".into(), vec![]) };
        let sql = format!(
            "{key} IN (SELECT s.id FROM {table} s WHERE s.{owner} IN ({owners}) \
             UNION ALL SELECT s.id FROM {table} s WHERE s.{territory} IN ({territories}))"
        );
        (sql, binds)
    }

    /// A users' scope as the placeholder list of its users and a query of their territories
    /// current today, with the values to bind from `$first` on (None for everything).
    fn halves(&self, first: usize) -> Option<(String, String, Vec<String>)> {
        let Scope::Users(ids, today_date) = self else { return None };
        let placeholders: Vec<String> = (0..ids.len()).map(|i| format!("${}", first + i)).collect();
        let list = placeholders.join(", ");
        let mut binds: Vec<String> = ids.iter().map(ToString::to_string).collect();
        let today = format!("${}", first + ids.len());
        binds.push(today_date.to_string());
        let territories = format!(
            "SELECT a.territory_id FROM territory_assignments a WHERE a.user_id IN ({list}) AND a.deleted = 0 \
             AND a.starts_on <= {today} AND (a.ends_on IS NULL OR a.ends_on > {today})"
        );
        Some((list, territories, binds))
    }
}

/// A user the caller may hand a record to (as its owner or assignee): active and in scope.
/// Anyone else is a validation error on `field`.
pub async fn check_user(db: &Db, scope: &Scope, user: UserId, field: &str) -> Result<UserId, AppError> {
    if scope.covers_user(user) && matches!(users::store::by_id(db, user).await, Ok(u) if u.active) {
        return Ok(user);
    }
    Err(AppError::invalid(field, FieldError::NotAllowed))
}

/// The owner of a record the caller creates: the one asked for (when the caller may hand it
/// over), else the caller for reps and managers, else nobody (office staff, admins).
pub async fn owner_of_new(
    db: &Db,
    scope: &Scope,
    ctx: &Ctx,
    asked: Option<UserId>,
) -> Result<Option<UserId>, AppError> {
    Ok(match asked {
        Some(owner) => Some(check_user(db, scope, owner, "owner_id").await?),
        None if matches!(ctx.role(), Role::Rep | Role::Manager) => Some(ctx.user_id()),
        None => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn everything_in_scope_needs_no_parameters() {
        assert_eq!(Scope::All.predicate("owner_id", Some("territory_id"), 1), ("1 = 1".into(), vec![]));
    }

    #[test]
    fn a_users_scope_binds_each_user_then_today() {
        let (a, b) = (UserId::new(), UserId::new());
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let (sql, binds) = Scope::Users(vec![a, b], today).predicate("c.owner_id", Some("c.territory_id"), 3);
        assert!(sql.starts_with("(c.owner_id IN ($3, $4) OR c.territory_id IN"));
        assert!(sql.contains("a.starts_on <= $5"));
        assert_eq!(binds.len(), 3);
        assert_eq!((binds[0].as_str(), binds[2].as_str()), (a.to_string().as_str(), "2026-11-23"));
        let (sql, binds) = Scope::Users(vec![a], today).predicate("assignee_id", None, 1);
        assert_eq!((sql.as_str(), binds.len()), ("assignee_id IN ($1)", 1));
    }

    #[test]
    fn a_semi_join_asks_each_half_of_the_scope_for_ids_with_the_same_values() {
        let rep = UserId::new();
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let scope = Scope::Users(vec![rep], today);
        let (sql, binds) = scope.semi_join("c.id", "contacts", ("owner_id", "territory_id"), 4);
        assert!(sql.starts_with("c.id IN (SELECT s.id FROM contacts s WHERE s.owner_id IN ($4) UNION ALL"), "{sql}");
        assert!(sql
            .contains("s.territory_id IN (SELECT a.territory_id FROM territory_assignments a WHERE a.user_id IN ($4)"));
        assert_eq!(binds, scope.predicate("c.owner_id", Some("c.territory_id"), 4).1);
        assert_eq!(Scope::All.semi_join("c.id", "contacts", ("owner_id", "territory_id"), 1), ("1 = 1".into(), vec![]));
    }
}
