//! The rep's own dashboard: today's visits, follow-ups, this week's leads, open deals and the
//! rep's CSAT/NPS — all in the rep's own time zone.

use super::frame::start_of;
use crate::auth::Ctx;
use crate::db::{Db, StoreResult};
use chrono::Datelike;
use fieldwork_app::reports::RepDashboard;

pub async fn dashboard(db: &Db, ctx: &Ctx) -> StoreResult<RepDashboard> {
    let zone = ctx.zone();
    let me = ctx.user_id().to_string();
    let today = ctx.today();
    let (day_start, day_end) = (start_of(today, zone), start_of(today + chrono::Duration::days(1), zone));
    let monday = today - chrono::Duration::days(i64::from(today.weekday().num_days_from_monday()));
    let now = crate::db::now_ms();
    let count = |sql: &'static str, a: i64, b: i64| {
        let me = me.clone();
        async move { sqlx::query_scalar::<_, i64>(sql).bind(me).bind(a).bind(b).fetch_one(db.pool()).await }
    };
    let visits_done = count(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM visits WHERE deleted = 0 AND rep_id = $1 AND check_in_at >= $2 AND check_in_at < $3",
        day_start,
        day_end,
    )
    .await?;
    let follow_ups_due = count(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM tasks WHERE deleted = 0 AND done = 0 AND assignee_id = $1 AND due_at >= $2 AND due_at < $3",
        now,
        day_end,
    )
    .await?;
    let follow_ups_overdue = count(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM tasks WHERE deleted = 0 AND done = 0 AND assignee_id = $1 AND due_at >= $2 AND due_at < $3",
        0,
        now,
    )
    .await?;
    let new_leads_week = count(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM contacts WHERE deleted = 0 AND owner_id = $1 AND created_at >= $2 AND created_at < $3",
        start_of(monday, zone),
        day_end,
    )
    .await?;
    let open: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT value_currency, CAST(COUNT(*) AS BIGINT), CAST(SUM(value_amount) AS BIGINT) FROM deals \
         WHERE deleted = 0 AND owner_id = $1 AND stage IN ('inquiry', 'proposal', 'negotiation') GROUP BY value_currency",
    )
    .bind(&me)
    .fetch_all(db.pool())
    .await?;
    let since = start_of(today - chrono::Duration::days(89), zone);
    let scores = super::store::rep_scores(db, ctx.user_id(), since).await?;
    let planned = planned_today(db, ctx, day_start, day_end).await?;
    Ok(RepDashboard {
        today,
        visits_done,
        visits_planned: planned,
        follow_ups_due,
        follow_ups_overdue,
        new_leads_week,
        open_deals: open.iter().map(|r| r.1).sum(),
        open_value: super::store::money(open.into_iter().map(|(c, _, v)| (c, v))),
        csat: scores.csat(),
        csat_answers: scores.csat_answers,
        nps: scores.nps(),
        nps_answers: scores.nps_answers,
    })
}

/// Today's meetings and showings of the rep, through the same count as the manager's report.
async fn planned_today(db: &Db, ctx: &Ctx, from: i64, to: i64) -> StoreResult<i64> {
    let today = ctx.today();
    let frame = super::frame::Frame {
        period: fieldwork_app::reports::Period { from: today, to: today },
        from,
        to,
        language: ctx.user.language,
        reps: Vec::new(),
        attributed: None,
        scope: crate::scope::Scope::All,
        territory: None,
        tag: None,
        custom: Vec::new(),
        listing_kind: None,
        coverage_from: from,
        buckets: Vec::new(),
    };
    let counts = super::ranged::visits_planned(db, &frame, &[ctx.user_id()]).await?;
    Ok(counts.values().sum())
}
