//! The demo agency's past: each deal's way through the stages, and six weeks of field work
//! (visits with their planned meetings, calls, and the customers' feedback), so dashboards and
//! reports have something to show on a first look.

use crate::db::WriteTx;
use anyhow::Context;
use chrono::{Datelike, Duration, NaiveDate, TimeZone, Utc};
use fieldwork_app::common::{AppointmentId, UserId};
use rand::rngs::StdRng;
use rand::Rng;

const DAY_MS: i64 = 86_400_000;
const OPEN: [&str; 4] = ["inquiry", "proposal", "negotiation", "won"];

/// Gives every deal the stages it went through to reach its current one, a few days apart,
/// ending when it entered its stage; a lost deal was lost from one of the open stages.
pub async fn deal_stages(tx: &mut WriteTx, rng: &mut StdRng) -> anyhow::Result<()> {
    let deals: Vec<(String, String, i64, Option<String>)> =
        sqlx::query_as("SELECT id, stage, stage_changed_at, owner_id FROM deals ORDER BY id")
            .fetch_all(tx.conn())
            .await?;
    for (id, stage, entered, owner) in deals {
        let path: Vec<&str> = if let Some(i) = OPEN.iter().position(|s| *s == stage) {
            OPEN[..=i].to_vec()
        } else {
            let reached = rng.gen_range(1..=3);
            let mut p = OPEN[..reached].to_vec();
            p.push("lost");
            p
        };
        let gaps: Vec<i64> =
            (1..path.len()).map(|_| rng.gen_range(2..15) * DAY_MS + rng.gen_range(0..DAY_MS)).collect();
        let mut at = entered - gaps.iter().sum::<i64>();
        sqlx::query("UPDATE deals SET created_at = $2 WHERE id = $1").bind(&id).bind(at).execute(tx.conn()).await?;
        let mut from: Option<(&str, i64)> = None;
        for (i, step) in path.iter().enumerate() {
            sqlx::query(
                "INSERT INTO deal_stage_history (id, deal_id, from_stage, to_stage, at, from_entered_at, by_user_id) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(uuid::Uuid::now_v7().to_string())
            .bind(&id)
            .bind(from.map(|(s, _)| s))
            .bind(*step)
            .bind(at)
            .bind(from.map(|(_, t)| t))
            .bind(owner.clone())
            .execute(tx.conn())
            .await
            .context("demo deal history")?;
            from = Some((step, at));
            at += gaps.get(i).copied().unwrap_or(0);
        }
    }
    Ok(())
}

/// Six weeks of working days before `today`: per rep two to four planned visits (most carried
/// out, a few far from the address), a handful of calls, and feedback on some visits.
pub async fn field_work(
    tx: &mut WriteTx,
    rng: &mut StdRng,
    reps: &[UserId],
    today: NaiveDate,
) -> anyhow::Result<usize> {
    let zone = chrono_tz::Asia::Dhaka;
    let mut visits = 0;
    for rep in reps {
        let contacts: Vec<(String, Option<f64>, Option<f64>)> =
            sqlx::query_as("SELECT id, lat, lon FROM contacts WHERE owner_id = $1 ORDER BY id LIMIT 60")
                .bind(rep.to_string())
                .fetch_all(tx.conn())
                .await?;
        if contacts.is_empty() {
            continue;
        }
        for back in 1..=42 {
            let day = today - Duration::days(back);
            // Friday is the weekend in Bangladesh.
            if day.weekday() == chrono::Weekday::Fri {
                continue;
            }
            let at = |hour: u32, minute: u32| {
                zone.from_local_datetime(&day.and_hms_opt(hour, minute, 0).unwrap_or_default())
                    .single()
                    .map(|t| t.with_timezone(&Utc).timestamp_millis())
                    .unwrap_or_default()
            };
            for slot in 0..rng.gen_range(2..=4) {
                let (contact, lat, lon) = &contacts[rng.gen_range(0..contacts.len())];
                let starts = at(10 + slot * 2, 0);
                let carried_out = rng.gen_bool(0.85);
                let appointment = AppointmentId::new().to_string();
                let version = tx.next_version().await?;
                sqlx::query(
                    "INSERT INTO appointments (id, kind, title, starts_at, ends_at, time_zone, assignee_id, contact_id, status, \
                     created_at, updated_at, version) VALUES ($1, 'meeting', 'Client visit', $2, $3, 'Asia/Dhaka', $4, $5, $6, $7, $7, $8)",
                )
                .bind(&appointment)
                .bind(starts)
                .bind(starts + 45 * 60_000)
                .bind(rep.to_string())
                .bind(contact)
                .bind(if carried_out { "done" } else { "no_show" })
                .bind(starts - 3 * DAY_MS)
                .bind(version)
                .execute(tx.conn())
                .await
                .context("demo past appointments")?;
                if !carried_out {
                    continue;
                }
                let far = rng.gen_bool(0.1);
                let distance = if far { rng.gen_range(400.0..2500.0) } else { rng.gen_range(5.0..120.0) };
                let check_in = starts + rng.gen_range(-10..15) * 60_000;
                let visit = uuid::Uuid::now_v7().to_string();
                let version = tx.next_version().await?;
                sqlx::query(
                    "INSERT INTO visits (id, rep_id, contact_id, appointment_id, check_in_at, check_in_lat, check_in_lon, \
                     check_in_accuracy_m, distance_m, far, check_out_at, outcome, created_at, updated_at, version) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, 12, $8, $9, $10, $11, $5, $10, $12)",
                )
                .bind(&visit)
                .bind(rep.to_string())
                .bind(contact)
                .bind(&appointment)
                .bind(check_in)
                .bind(lat.unwrap_or(23.78))
                .bind(lon.unwrap_or(90.41))
                .bind(distance)
                .bind(i64::from(far))
                .bind(check_in + rng.gen_range(20..60) * 60_000)
                .bind(["Interested", "Order taken", "Call back later", "Not interested"][rng.gen_range(0..4)])
                .bind(version)
                .execute(tx.conn())
                .await
                .context("demo past visits")?;
                visits += 1;
                if rng.gen_bool(0.4) {
                    let answered = check_in + rng.gen_range(2..30) * 3_600_000;
                    let csat: i64 = [5, 5, 4, 4, 4, 3, 2][rng.gen_range(0..7)];
                    let nps: i64 = [10, 10, 9, 9, 8, 7, 6, 3][rng.gen_range(0..8)];
                    let version = tx.next_version().await?;
                    sqlx::query(
                        "INSERT INTO feedback (id, contact_id, visit_id, csat, nps, sent_at, expires_at, answered_at, \
                         created_at, updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $6, $8, $9)",
                    )
                    .bind(uuid::Uuid::now_v7().to_string())
                    .bind(contact)
                    .bind(&visit)
                    .bind(csat)
                    .bind(nps)
                    .bind(check_in + 3_600_000)
                    .bind(check_in + 14 * DAY_MS)
                    .bind(answered)
                    .bind(version)
                    .execute(tx.conn())
                    .await
                    .context("demo feedback")?;
                }
            }
            for call in 0..rng.gen_range(2..=6) {
                let (contact, _, _) = &contacts[rng.gen_range(0..contacts.len())];
                let occurred = at(9, 30) + i64::from(call) * 50 * 60_000;
                let version = tx.next_version().await?;
                sqlx::query(
                    "INSERT INTO activities (id, contact_id, author_id, kind, occurred_at, direction, duration_s, result, body, \
                     created_at, updated_at, version) VALUES ($1, $2, $3, 'call', $4, 'outbound', $5, 'answered', '', $4, $4, $6)",
                )
                .bind(uuid::Uuid::now_v7().to_string())
                .bind(contact)
                .bind(rep.to_string())
                .bind(occurred)
                .bind(rng.gen_range(60..900_i64))
                .bind(version)
                .execute(tx.conn())
                .await
                .context("demo calls")?;
            }
        }
    }
    Ok(visits)
}
