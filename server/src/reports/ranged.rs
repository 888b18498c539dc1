//! The counts over a period, from the daily rollups where they can be: the whole UTC days of
//! the period are summed from `report_days`, the hours before the first and after the last
//! UTC midnight (a period in Dhaka starts at 18:00 UTC) are counted from the rows, and a
//! segment (tag) filter, which the rollups do not know, counts everything from the rows.
//! Each function answers exactly what its namesake in `store/` answers.

use super::frame::Frame;
use super::rollup::{DAY_MS, NOW};
use super::store::{self, Rolled};
use crate::db::{Db, StoreResult};
use fieldwork_app::common::UserId;
use fieldwork_app::reports::metrics::Scores;
use std::collections::HashMap;

/// The whole UTC days `[first, last)` inside `[from, to)` (`(0, 0)` for none), and the spans
/// of hours around them, in order.
fn whole_days(from: i64, to: i64) -> ((i64, i64), Vec<(i64, i64)>) {
    let (first, last) = (from.div_euclid(DAY_MS) + i64::from(from.rem_euclid(DAY_MS) != 0), to.div_euclid(DAY_MS));
    if first >= last {
        return ((0, 0), vec![(from, to)]);
    }
    let edges = [(from, first * DAY_MS), (last * DAY_MS, to)].into_iter().filter(|(a, b)| a < b).collect();
    ((first, last), edges)
}

/// The whole UTC days of the frame, and frames for the hours around them; None when the
/// rollups cannot answer (a segment filter).
fn split(f: &Frame) -> Option<((i64, i64), Vec<Frame>)> {
    if f.segmented() {
        return None;
    }
    let (days, edges) = whole_days(f.from, f.to);
    Some((days, edges.into_iter().map(|(from, to)| Frame { from, to, ..f.clone() }).collect()))
}

type Sums = HashMap<(String, String, String), (i64, i64)>;

/// The count of `metric` per key.
fn counts(sums: &Sums, metric: &str) -> HashMap<String, i64> {
    let mut out: HashMap<String, i64> = HashMap::new();
    for ((key, m, _), (n, _)) in sums {
        if m == metric {
            *out.entry(key.clone()).or_default() += n;
        }
    }
    out
}

fn add(into: &mut HashMap<String, i64>, from: HashMap<String, i64>) {
    for (k, n) in from {
        *into.entry(k).or_default() += n;
    }
}

fn per_user<'a>(metrics: &'a [&'a str], days: (i64, i64), reps: &'a [UserId]) -> Rolled<'a> {
    Rolled { metrics, days, by: "user_id", users: Some(reps), scoped: false }
}

/// See [`store::visits_done`].
pub async fn visits_done(db: &Db, f: &Frame, reps: &[UserId]) -> StoreResult<HashMap<String, (i64, i64)>> {
    let Some((days, edges)) = split(f) else { return store::visits_done(db, f, reps).await };
    let sums = store::rolled(db, f, per_user(&["visits", "visits_far"], days, reps)).await?;
    let (done, far) = (counts(&sums, "visits"), counts(&sums, "visits_far"));
    let mut out: HashMap<String, (i64, i64)> =
        done.into_iter().map(|(k, n)| (k.clone(), (n, far.get(&k).copied().unwrap_or(0)))).collect();
    for edge in edges {
        for (k, (n, far)) in store::visits_done(db, &edge, reps).await? {
            let e = out.entry(k).or_default();
            (e.0, e.1) = (e.0 + n, e.1 + far);
        }
    }
    Ok(out)
}

/// The per-user counts that are one metric each.
#[derive(Debug, Clone, Copy)]
enum Count {
    PlannedOnce,
    Calls,
    NewContacts,
}

impl Count {
    fn metric(self) -> &'static str {
        match self {
            Count::PlannedOnce => "planned",
            Count::Calls => "calls",
            Count::NewContacts => "new_contacts",
        }
    }

    async fn raw(self, db: &Db, f: &Frame, reps: &[UserId]) -> StoreResult<HashMap<String, i64>> {
        match self {
            Count::PlannedOnce => store::planned_once(db, f, reps).await,
            Count::Calls => store::calls(db, f, reps).await,
            Count::NewContacts => store::new_contacts(db, f, reps).await,
        }
    }

    async fn per_user(self, db: &Db, f: &Frame, reps: &[UserId]) -> StoreResult<HashMap<String, i64>> {
        let Some((days, edges)) = split(f) else { return self.raw(db, f, reps).await };
        let mut out = counts(&store::rolled(db, f, per_user(&[self.metric()], days, reps)).await?, self.metric());
        for edge in edges {
            add(&mut out, self.raw(db, &edge, reps).await?);
        }
        Ok(out)
    }
}

/// See [`store::visits_planned`]: one-off appointments rolled up, series expanded.
pub async fn visits_planned(db: &Db, f: &Frame, reps: &[UserId]) -> StoreResult<HashMap<String, i64>> {
    let mut out = Count::PlannedOnce.per_user(db, f, reps).await?;
    add(&mut out, store::planned_series(db, f, reps).await?);
    Ok(out)
}

/// See [`store::calls`].
pub async fn calls(db: &Db, f: &Frame, reps: &[UserId]) -> StoreResult<HashMap<String, i64>> {
    Count::Calls.per_user(db, f, reps).await
}

/// See [`store::new_contacts`].
pub async fn new_contacts(db: &Db, f: &Frame, reps: &[UserId]) -> StoreResult<HashMap<String, i64>> {
    Count::NewContacts.per_user(db, f, reps).await
}

type ClosedRow = (Option<String>, String, String, i64, i64);

/// See [`store::closed_deals`]: `(owner, stage, currency, count, value)` rows.
pub async fn closed_deals(db: &Db, f: &Frame, owners: Option<&[UserId]>) -> StoreResult<Vec<ClosedRow>> {
    let Some((days, edges)) = split(f) else { return store::closed_deals(db, f, owners).await };
    let rolled = match owners {
        Some(ids) => Rolled { metrics: &["won", "lost"], days, by: "user_id", users: Some(ids), scoped: false },
        None => Rolled { metrics: &["won", "lost"], days, by: "user_id", users: f.attributed.as_deref(), scoped: true },
    };
    let mut sums: HashMap<(Option<String>, String, String), (i64, i64)> = HashMap::new();
    for ((owner, stage, currency), (n, value)) in store::rolled(db, f, rolled).await? {
        let e = sums.entry(((!owner.is_empty()).then_some(owner), stage, currency)).or_default();
        (e.0, e.1) = (e.0 + n, e.1 + value);
    }
    for edge in edges {
        for (owner, stage, currency, n, value) in store::closed_deals(db, &edge, owners).await? {
            let e = sums.entry((owner, stage, currency)).or_default();
            (e.0, e.1) = (e.0 + n, e.1 + value);
        }
    }
    Ok(sums.into_iter().filter(|(_, (n, _))| *n != 0).map(|((o, s, c), (n, v))| (o, s, c, n, v)).collect())
}

const SCORE_METRICS: [&str; 5] = ["csat_answers", "satisfied", "nps_answers", "promoters", "detractors"];

/// See [`store::scores_by_rep`].
pub async fn scores_by_rep(db: &Db, f: &Frame, reps: &[UserId]) -> StoreResult<HashMap<String, Scores>> {
    let Some((days, edges)) = split(f) else { return store::scores_by_rep(db, f, reps).await };
    let sums = store::rolled(db, f, per_user(&SCORE_METRICS, days, reps)).await?;
    let mut out: HashMap<String, Scores> = HashMap::new();
    for ((rep, metric, _), (n, _)) in sums {
        add_score(out.entry(rep).or_default(), &metric, n);
    }
    for edge in edges {
        for (rep, s) in store::scores_by_rep(db, &edge, reps).await? {
            let e = out.entry(rep).or_default();
            *e = e.plus(s);
        }
    }
    Ok(out)
}

fn add_score(s: &mut Scores, metric: &str, n: i64) {
    match metric {
        "csat_answers" => s.csat_answers += n,
        "satisfied" => s.satisfied += n,
        "nps_answers" => s.nps_answers += n,
        "promoters" => s.promoters += n,
        _ => s.detractors += n,
    }
}

/// See [`store::scores_by_bucket`]: each bucket's whole UTC days from the rollups; the hours
/// around them (a bucket in Dhaka starts at 18:00 UTC) from the rows, one query per run of
/// adjacent hours, which the raw query sorts into buckets itself.
pub async fn scores_by_bucket(db: &Db, f: &Frame) -> StoreResult<HashMap<usize, Scores>> {
    if f.segmented() {
        return store::scores_by_bucket(db, f).await;
    }
    let mut days_of: Vec<((i64, i64), usize)> = Vec::new();
    let mut windows: Vec<(i64, i64)> = Vec::new();
    for (i, (_, from, to)) in f.buckets.iter().enumerate() {
        let (days, edges) = whole_days(*from, *to);
        if days.0 < days.1 {
            days_of.push((days, i));
        }
        for (from, to) in edges {
            match windows.last_mut() {
                Some(last) if last.1 == from => last.1 = to,
                _ => windows.push((from, to)),
            }
        }
    }
    let mut out: HashMap<usize, Scores> = HashMap::new();
    if let (Some(first), Some(last)) = (days_of.first(), days_of.last()) {
        let rolled = Rolled {
            metrics: &SCORE_METRICS,
            days: (first.0 .0, last.0 .1),
            by: "day",
            users: f.attributed.as_deref(),
            scoped: true,
        };
        for ((day, metric, _), (n, _)) in store::rolled(db, f, rolled).await? {
            let Ok(day) = day.parse::<i64>() else { continue };
            if let Some((_, i)) = days_of.iter().find(|((a, b), _)| (*a..*b).contains(&day)) {
                add_score(out.entry(*i).or_default(), &metric, n);
            }
        }
    }
    for (from, to) in windows {
        for (i, s) in store::scores_by_bucket(db, &Frame { from, to, ..f.clone() }).await? {
            let e = out.entry(i).or_default();
            *e = e.plus(s);
        }
    }
    Ok(out)
}

/// See [`store::territory_period`]: `(visits, new contacts)` per territory.
pub async fn territory_period(db: &Db, f: &Frame, ids: &[String]) -> StoreResult<HashMap<String, (i64, i64)>> {
    let Some((days, edges)) = split(f) else { return store::territory_period(db, f, ids).await };
    let rolled = Rolled {
        metrics: &["visits", "new_contacts"],
        days,
        by: "territory_id",
        users: f.attributed.as_deref(),
        scoped: false,
    };
    let mut out: HashMap<String, (i64, i64)> = HashMap::new();
    for ((territory, metric, _), (n, _)) in store::rolled(db, f, rolled).await? {
        if !ids.contains(&territory) {
            continue;
        }
        let e = out.entry(territory).or_default();
        if metric == "visits" {
            e.0 += n;
        } else {
            e.1 += n;
        }
    }
    for edge in edges {
        for (territory, (visits, new)) in store::territory_period(db, &edge, ids).await? {
            let e = out.entry(territory).or_default();
            (e.0, e.1) = (e.0 + visits, e.1 + new);
        }
    }
    Ok(out)
}

/// See [`store::referrals`]: contacts created in the frame, and those that came by referral.
pub async fn referrals(db: &Db, f: &Frame) -> StoreResult<(i64, i64)> {
    let Some((days, edges)) = split(f) else { return store::referrals(db, f).await };
    let rolled = Rolled {
        metrics: &["new_contacts", "referrals"],
        days,
        by: "metric",
        users: f.attributed.as_deref(),
        scoped: true,
    };
    let sums = store::rolled(db, f, rolled).await?;
    let total = |m: &str| counts(&sums, m).values().sum::<i64>();
    let (mut created, mut referred) = (total("new_contacts"), total("referrals"));
    for edge in edges {
        let (c, r) = store::referrals(db, &edge).await?;
        (created, referred) = (created + c, referred + r);
    }
    Ok((created, referred))
}

/// See [`store::territory_visited`]: from each contact's last visit when the frame counts
/// everyone's visits.
pub async fn territory_visited(db: &Db, f: &Frame, ids: &[String]) -> StoreResult<HashMap<String, i64>> {
    if f.attributed.is_some() {
        return store::territory_visited(db, f, ids).await;
    }
    store::territory_visited_by_anyone(db, f, ids).await
}

/// See [`store::customers`]: from each contact's first won deal when the frame counts the
/// whole company's deals.
pub async fn customers(db: &Db, f: &Frame) -> StoreResult<(i64, i64, i64)> {
    if f.scope != crate::scope::Scope::All || f.attributed.is_some() {
        return store::customers(db, f).await;
    }
    store::customers_of_everyone(db, f).await
}

/// See [`store::territory_contacts`]: live contacts per territory now.
pub async fn territory_contacts(db: &Db, f: &Frame, ids: &[String]) -> StoreResult<HashMap<String, i64>> {
    if split(f).is_none() {
        return store::territory_contacts(db, f, ids).await;
    }
    let rolled = Rolled { metrics: &["live_contacts"], days: NOW, by: "territory_id", users: None, scoped: false };
    let all = counts(&store::rolled(db, f, rolled).await?, "live_contacts");
    Ok(all.into_iter().filter(|(t, _)| ids.contains(t)).collect())
}

/// See [`store::deals_now`]: open deals in scope now, and those closed in the frame, as
/// `(stage, currency, count, value)`.
pub async fn deals_now(db: &Db, f: &Frame) -> StoreResult<Vec<(String, String, i64, i64)>> {
    if split(f).is_none() {
        return store::deals_now(db, f).await;
    }
    let open = Rolled {
        metrics: &["open_inquiry", "open_proposal", "open_negotiation"],
        days: NOW,
        by: "metric",
        users: f.attributed.as_deref(),
        scoped: true,
    };
    let mut sums: HashMap<(String, String), (i64, i64)> = HashMap::new();
    for ((metric, _, currency), (n, value)) in store::rolled(db, f, open).await? {
        let e = sums.entry((metric.trim_start_matches("open_").to_string(), currency)).or_default();
        (e.0, e.1) = (e.0 + n, e.1 + value);
    }
    for (_, stage, currency, n, value) in closed_deals(db, f, None).await? {
        let e = sums.entry((stage, currency)).or_default();
        (e.0, e.1) = (e.0 + n, e.1 + value);
    }
    Ok(sums.into_iter().filter(|(_, (n, _))| *n != 0).map(|((s, c), (n, v))| (s, c, n, v)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(from: i64, to: i64, tag: Option<&str>) -> Frame {
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
        Frame {
            period: fieldwork_app::reports::Period { from: day, to: day },
            from,
            to,
            language: fieldwork_app::users::Language::En,
            reps: vec![],
            attributed: None,
            scope: crate::scope::Scope::All,
            territory: None,
            tag: tag.map(str::to_string),
            custom: Vec::new(),
            listing_kind: None,
            coverage_from: from,
            buckets: vec![],
        }
    }

    #[test]
    fn a_dhaka_month_is_whole_utc_days_with_the_evening_before_and_the_day_after_counted_from_rows() {
        // 2026-11-01..30 in Dhaka: 2026-10-31T18:00Z to 2026-11-30T18:00Z.
        let (from, to) = (1_761_933_600_000, 1_764_525_600_000);
        let ((first, last), edges) = split(&frame(from, to, None)).unwrap();
        assert_eq!(
            (first * DAY_MS, last * DAY_MS),
            (1_761_955_200_000, 1_764_460_800_000),
            "Nov 1 to Nov 30 00:00 UTC"
        );
        let edges: Vec<(i64, i64)> = edges.iter().map(|e| (e.from, e.to)).collect();
        assert_eq!(edges, [(from, first * DAY_MS), (last * DAY_MS, to)]);
    }

    #[test]
    fn a_period_of_whole_utc_days_needs_no_rows_and_a_short_one_or_a_segment_only_rows() {
        let ((first, last), edges) = split(&frame(0, 3 * DAY_MS, None)).unwrap();
        assert_eq!(((first, last), edges.len()), ((0, 3), 0));
        let (days, edges) = split(&frame(DAY_MS + 5, 2 * DAY_MS - 5, None)).unwrap();
        assert_eq!((days, edges.len(), edges[0].from), ((0, 0), 1, DAY_MS + 5));
        assert!(split(&frame(0, 3 * DAY_MS, Some("vip"))).is_none());
    }
}
