//! Local days: where a day in a time zone starts and ends in UTC.

use crate::auth::Ctx;
use crate::error::AppResult;
use crate::state::AppState;
use chrono::{DateTime, Utc};
use fieldwork_app::appointments::Today;

/// The local date of `now` in `zone`, and the UTC instants where that day starts and ends
/// (23 or 25 hours apart across a DST change).
pub fn local_day(now: DateTime<Utc>, zone: chrono_tz::Tz) -> (chrono::NaiveDate, DateTime<Utc>, DateTime<Utc>) {
    let date = now.with_timezone(&zone).date_naive();
    let start = |d: chrono::NaiveDate| {
        let midnight = d.and_hms_opt(0, 0, 0).unwrap_or_default();
        // A zone may skip midnight on a DST day; the earliest valid instant of the day is then 01:00.
        midnight
            .and_local_timezone(zone)
            .earliest()
            .or_else(|| (midnight + chrono::Duration::hours(1)).and_local_timezone(zone).earliest())
            .map_or(now, |t| t.with_timezone(&Utc))
    };
    let next = date.succ_opt().unwrap_or(date);
    (date, start(date), start(next))
}

/// The caller's day (`GET /today`'s answer, which the server also draws into the Today page
/// it renders): their scope's appointments, their due follow-ups and their visits.
pub async fn today(state: &AppState, ctx: &Ctx) -> AppResult<Today> {
    let zone = ctx.zone();
    let (date, from, to) = local_day(Utc::now(), zone);
    let scope = ctx.scope(&state.db).await?.clone();
    let (from, to) = (from.timestamp_millis(), to.timestamp_millis());
    let mut items = super::store::agenda(&state.db, &scope, from, to, None).await?;
    items.truncate(super::store::AGENDA_LIMIT);
    let follow_ups = crate::tasks::store::due_stops(&state.db, ctx.user_id(), to).await?;
    let mut visits = crate::visits::store::of_rep(&state.db, ctx.user_id(), from, to).await?;
    // A visit left open since an earlier day still needs its check-out.
    if let Some(open) = crate::visits::store::open_of(state.db.pool(), ctx.user_id()).await? {
        if !visits.iter().any(|v| v.id == open.id) {
            visits.insert(0, open);
        }
    }
    Ok(Today { date, time_zone: ctx.user.time_zone.clone(), items, follow_ups, visits })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_dhaka_day_starts_at_1800_utc_the_evening_before() {
        let now = Utc.with_ymd_and_hms(2026, 11, 22, 20, 0, 0).unwrap(); // 02:00 on the 23rd in Dhaka
        let (date, from, to) = local_day(now, chrono_tz::Asia::Dhaka);
        assert_eq!(date.to_string(), "2026-11-23");
        assert_eq!(from, Utc.with_ymd_and_hms(2026, 11, 22, 18, 0, 0).unwrap());
        assert_eq!(to - from, chrono::Duration::hours(24));
    }

    #[test]
    fn a_london_day_in_march_is_23_hours_long() {
        let now = Utc.with_ymd_and_hms(2026, 3, 29, 12, 0, 0).unwrap();
        let (_, from, to) = local_day(now, chrono_tz::Europe::London);
        assert_eq!(to - from, chrono::Duration::hours(23));
    }
}
