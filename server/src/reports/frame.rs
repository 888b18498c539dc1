//! [`Frame`]: what a report counts — the period as UTC instants in the reader's time zone, the
//! reps it covers, the scope of the records, and the filters — decided once per request from
//! who asks, so no query can forget it.

use crate::auth::Ctx;
use crate::db::{parse_id, Db, StoreResult};
use crate::error::{AppError, AppResult};
use crate::scope::Scope;
use chrono::{NaiveDate, Utc};
use fieldwork_app::common::{FieldError, UserId};
use fieldwork_app::fields::filter::Condition;
use fieldwork_app::fields::RecordType;
use fieldwork_app::listings::ListingKind;
use fieldwork_app::reports::{Period, ReportFilter};
use fieldwork_app::users::{Language, Role};

/// Where local date `date` starts in `zone`, in ms (the earliest valid instant when a DST
/// change skips midnight).
pub fn start_of(date: NaiveDate, zone: chrono_tz::Tz) -> i64 {
    let midnight = date.and_hms_opt(0, 0, 0).unwrap_or_default();
    midnight
        .and_local_timezone(zone)
        .earliest()
        .or_else(|| (midnight + chrono::Duration::hours(1)).and_local_timezone(zone).earliest())
        .map_or_else(|| midnight.and_utc().timestamp_millis(), |t| t.with_timezone(&Utc).timestamp_millis())
}

/// `[start, end)` in ms of a period of local dates.
pub fn bounds(period: Period, zone: chrono_tz::Tz) -> (i64, i64) {
    (start_of(period.from, zone), start_of(period.to + chrono::Duration::days(1), zone))
}

/// The trend's buckets of a period (days, or weeks for a long one) with their `[start, end)`.
pub fn buckets(period: Period, zone: chrono_tz::Tz) -> Vec<(Period, i64, i64)> {
    period
        .buckets()
        .into_iter()
        .map(|b| {
            let (s, e) = bounds(b, zone);
            (b, s, e)
        })
        .collect()
}

#[derive(Debug, Clone)]
pub struct Frame {
    pub period: Period,
    pub from: i64,
    pub to: i64,
    pub language: Language,
    /// The reps the per-rep table lists (id, name), by name.
    pub reps: Vec<(UserId, String)>,
    /// Whose work the figures count: None for the whole company (office and admins without a
    /// rep filter), else these users.
    pub attributed: Option<Vec<UserId>>,
    /// Which records (contacts, deals, listings) the company-level figures read.
    pub scope: Scope,
    pub territory: Option<String>,
    pub tag: Option<String>,
    /// Conditions on contacts' own fields: with the tag, the segment.
    pub custom: Vec<Condition>,
    pub listing_kind: Option<ListingKind>,
    /// Coverage counts visits from here to [`Frame::to`].
    pub coverage_from: i64,
    /// The trend's buckets with their bounds.
    pub buckets: Vec<(Period, i64, i64)>,
}

impl Frame {
    /// Whether the figures are of a segment of contacts (a tag, or their own fields), which
    /// the daily rollups do not keep.
    pub fn segmented(&self) -> bool {
        self.tag.is_some() || !self.custom.is_empty()
    }

    /// The frame of `filter` for the caller: office staff and admins see the whole company,
    /// managers their team, reps are refused (they have their own dashboard). A rep filter
    /// naming someone outside the caller's reps is refused on `rep`.
    pub async fn of(db: &Db, ctx: &Ctx, filter: &ReportFilter) -> AppResult<Frame> {
        if ctx.role() == Role::Rep {
            return Err(AppError::Forbidden);
        }
        let zone = ctx.zone();
        let reps = reps_of(db, ctx).await?;
        if let Some(rep) = filter.rep {
            if !reps.iter().any(|(id, _)| *id == rep) {
                return Err(AppError::invalid("rep", FieldError::NotAllowed));
            }
        }
        let reps: Vec<_> = reps.into_iter().filter(|(id, _)| filter.rep.is_none_or(|r| r == *id)).collect();
        let scope = ctx.scope(db).await?.clone();
        let attributed = match (filter.rep, ctx.role()) {
            (Some(rep), _) => Some(vec![rep]),
            (None, Role::Manager) => {
                let mut team: Vec<UserId> = reps.iter().map(|(id, _)| *id).collect();
                team.push(ctx.user_id());
                Some(team)
            }
            (None, _) => None,
        };
        let (from, to) = bounds(filter.period, zone);
        let coverage_start = filter.period.to - chrono::Duration::days(filter.coverage_days - 1);
        Ok(Frame {
            period: filter.period,
            from,
            to,
            language: ctx.user.language,
            reps,
            attributed,
            scope,
            territory: filter.territory.map(|t| t.to_string()),
            tag: filter.tag.clone(),
            custom: crate::fields::actions::conditions(db, RecordType::Contact, filter.custom.as_deref()).await?,
            listing_kind: filter.listing_kind,
            coverage_from: start_of(coverage_start, zone),
            buckets: buckets(filter.period, zone),
        })
    }
}

/// The reps a caller reports on: every rep for office staff and admins, a manager's team.
async fn reps_of(db: &Db, ctx: &Ctx) -> StoreResult<Vec<(UserId, String)>> {
    let rows: Vec<(String, String)> = if ctx.role() == Role::Manager {
        sqlx::query_as("SELECT id, name FROM users WHERE deleted = 0 AND manager_id = $1 ORDER BY name, id")
            .bind(ctx.user_id().to_string())
            .fetch_all(db.pool())
            .await?
    } else {
        sqlx::query_as("SELECT id, name FROM users WHERE deleted = 0 AND role = 'rep' ORDER BY name, id")
            .fetch_all(db.pool())
            .await?
    };
    rows.into_iter().map(|(id, name)| Ok((parse_id(&id, "users.id")?, name))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dhaka_period_runs_from_1800_utc_before_its_first_day_to_1800_utc_on_its_last() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let (from, to) = bounds(Period { from: d("2026-11-01"), to: d("2026-11-30") }, chrono_tz::Asia::Dhaka);
        assert_eq!(crate::db::from_ms(from).to_rfc3339(), "2026-10-31T18:00:00+00:00");
        assert_eq!(crate::db::from_ms(to).to_rfc3339(), "2026-11-30T18:00:00+00:00");
        // New York leaves DST on 2026-11-01: that day is 25 hours long.
        let (from, to) = bounds(Period { from: d("2026-11-01"), to: d("2026-11-01") }, chrono_tz::America::New_York);
        assert_eq!(to - from, 25 * 3_600_000);
    }
}
