//! Today's plan for one rep: which appointments and follow-ups are still to do, in driving
//! order from where the rep is, and what is done. Pure: the page only draws it.

use super::route::{self, Stop};
use super::{AgendaItem, AppointmentStatus, FollowUpStop, Today};
use crate::common::{ContactId, GeoPoint, UserId};
use crate::visits::Visit;
use chrono::{DateTime, Utc};

/// How long a flexible visit (a follow-up at a contact) is planned to take.
pub const FOLLOW_UP_MINUTES: i64 = 15;

/// Something to do today.
#[derive(Debug, Clone, PartialEq)]
pub enum Task {
    Appointment(AgendaItem),
    FollowUp(FollowUpStop),
}

impl Task {
    pub fn key(&self) -> String {
        match self {
            Task::Appointment(a) => a.key(),
            Task::FollowUp(f) => format!("task-{}", f.id),
        }
    }

    pub fn location(&self) -> Option<GeoPoint> {
        match self {
            Task::Appointment(a) => a.location,
            Task::FollowUp(f) => f.location,
        }
    }

    pub fn contact_id(&self) -> Option<ContactId> {
        match self {
            Task::Appointment(a) => a.contact_id,
            Task::FollowUp(f) => f.contact_id,
        }
    }

    pub fn title(&self) -> &str {
        match self {
            Task::Appointment(a) => &a.title,
            Task::FollowUp(f) => &f.title,
        }
    }

    pub fn address(&self) -> Option<&str> {
        match self {
            Task::Appointment(a) => a.address.as_deref(),
            Task::FollowUp(f) => f.address.as_deref(),
        }
    }

    pub fn contact_name(&self) -> Option<&str> {
        match self {
            Task::Appointment(a) => a.contact_name.as_deref(),
            Task::FollowUp(f) => f.contact_name.as_deref(),
        }
    }
}

/// A stop on the route and the drive to it from the one before (or from the rep).
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedStop {
    pub task: Task,
    pub leg_m: f64,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct DayPlan {
    /// In driving order.
    pub route: Vec<PlannedStop>,
    pub total_m: f64,
    /// Appointments on the route the rep will reach after they start.
    pub late: usize,
    /// To do, but without a position (calls, tasks at no address).
    pub elsewhere: Vec<Task>,
    /// The visit the rep is checked in at, if any.
    pub open_visit: Option<Visit>,
    /// Visits checked out today, latest first.
    pub done: Vec<Visit>,
    /// The rep's own appointments of the day that are over, visited, done or called off.
    pub earlier: Vec<AgendaItem>,
}

/// Plans `me`'s day from `from` (the rep's position; else the first stop) at `now`.
/// Appointments that are not `scheduled`, have ended, or were visited drop off; a follow-up
/// stays until it is ticked off.
pub fn plan_day(day: &Today, me: UserId, from: Option<GeoPoint>, now: DateTime<Utc>) -> DayPlan {
    let visited: Vec<_> = day.visits.iter().filter_map(|v| v.appointment_id).collect();
    let to_do = |a: &AgendaItem| {
        a.status == AppointmentStatus::Scheduled && a.ends_at > now && (a.recurring || !visited.contains(&a.id))
    };
    let mine = day.items.iter().filter(|a| a.assignee_id == me);
    let earlier: Vec<AgendaItem> = mine.clone().filter(|a| !to_do(a)).cloned().collect();
    let mut tasks: Vec<Task> = mine.filter(|a| to_do(a)).cloned().map(Task::Appointment).collect();
    tasks.extend(day.follow_ups.iter().cloned().map(Task::FollowUp));
    let (placed, elsewhere): (Vec<Task>, Vec<Task>) = tasks.into_iter().partition(|t| t.location().is_some());
    let stops: Vec<Stop> = placed
        .iter()
        .map(|t| {
            let at = t.location().unwrap_or_else(|| GeoPoint::new(0.0, 0.0).expect("valid"));
            match t {
                Task::Appointment(a) => Stop::fixed(at, a.starts_at, a.ends_at),
                Task::FollowUp(_) => Stop::flexible(at, FOLLOW_UP_MINUTES),
            }
        })
        .collect();
    let start = from.or_else(|| first_stop(&placed, &stops));
    let (route, total_m, late) = match start {
        Some(start) if !stops.is_empty() => {
            let planned = route::plan(start, now, &stops);
            let mut at = start;
            let route = planned
                .order
                .iter()
                .map(|&i| {
                    let leg_m = at.distance_m(&stops[i].position);
                    at = stops[i].position;
                    PlannedStop { task: placed[i].clone(), leg_m }
                })
                .collect();
            (route, planned.metres, planned.late)
        }
        _ => (Vec::new(), 0.0, 0),
    };
    let open_visit = day.visits.iter().find(|v| v.is_open()).cloned();
    let mut done: Vec<Visit> = day.visits.iter().filter(|v| !v.is_open()).cloned().collect();
    done.sort_by_key(|v| std::cmp::Reverse(v.check_out_at));
    DayPlan { route, total_m, late, elsewhere, open_visit, done, earlier }
}

/// Without the rep's position, the route starts at the earliest appointment (else any stop).
fn first_stop(tasks: &[Task], stops: &[Stop]) -> Option<GeoPoint> {
    let earliest = tasks.iter().zip(stops).filter_map(|(t, s)| match t {
        Task::Appointment(a) => Some((a.starts_at, s.position)),
        Task::FollowUp(_) => None,
    });
    earliest.min_by_key(|(t, _)| *t).map(|(_, p)| p).or_else(|| stops.first().map(|s| s.position))
}

/// A Google Maps directions link to `to` (from `from` when known): opens the maps app on phones.
/// The day as fetched earlier, with this device's visits laid over it: a visit it changed
/// replaces the fetched copy, and visits checked in on the day (by the device's clock) that
/// the fetched day does not know are added.
pub fn with_local_visits(mut day: Today, local: &[Visit]) -> Today {
    for visit in local {
        match day.visits.iter_mut().find(|v| v.id == visit.id) {
            Some(fetched) if visit.version == 0 || visit.version >= fetched.version => *fetched = visit.clone(),
            Some(_) => {}
            None if visit.check_in_at.with_timezone(&chrono::Local).date_naive() == day.date => {
                day.visits.push(visit.clone());
            }
            None => {}
        }
    }
    day.visits.sort_by_key(|v| v.check_in_at);
    day
}

pub fn directions_url(from: Option<GeoPoint>, to: GeoPoint) -> String {
    let origin = from.map(|f| format!("&origin={:.6},{:.6}", f.lat(), f.lon())).unwrap_or_default();
    format!(
        "https://www.google.com/maps/dir/?api=1{origin}&destination={:.6},{:.6}&travelmode=driving",
        to.lat(),
        to.lon()
    )
}

/// "850 m", "12.4 km".
#[allow(clippy::cast_possible_truncation)] // a distance on Earth, rounded for display
pub fn format_distance(metres: f64) -> String {
    if metres < 1000.0 {
        format!("{} m", (metres / 10.0).round() as i64 * 10)
    } else {
        format!("{:.1} km", metres / 1000.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::appointments::AppointmentKind;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 24, 4, 0, 0).unwrap()
    }

    fn at(lon: f64) -> GeoPoint {
        GeoPoint::new(23.78, lon).unwrap()
    }

    fn dhaka() -> crate::common::TimeZone {
        crate::common::TimeZone::parse("Asia/Dhaka").unwrap()
    }

    fn appointment(me: UserId, title: &str, lon: f64, in_hours: i64) -> AgendaItem {
        AgendaItem {
            id: Default::default(),
            kind: AppointmentKind::Meeting,
            title: title.into(),
            starts_at: now() + chrono::Duration::hours(in_hours),
            ends_at: now() + chrono::Duration::hours(in_hours) + chrono::Duration::minutes(30),
            time_zone: dhaka(),
            status: AppointmentStatus::Scheduled,
            assignee_id: me,
            assignee_name: "Rep".into(),
            contact_id: None,
            contact_name: None,
            listing_id: None,
            listing_title: None,
            address: None,
            location: Some(at(lon)),
            recurring: false,
            reminder_minutes: None,
            custom: Default::default(),
        }
    }

    fn follow_up(title: &str, lon: Option<f64>) -> FollowUpStop {
        FollowUpStop {
            id: Default::default(),
            title: title.into(),
            due_at: now(),
            contact_id: None,
            contact_name: None,
            address: None,
            location: lon.map(at),
        }
    }

    #[test]
    fn the_day_runs_past_the_nearest_follow_up_to_the_appointment_and_on_to_the_rest() {
        let me = UserId::default();
        let mut cancelled = appointment(me, "Cancelled", 90.401, 1);
        cancelled.status = AppointmentStatus::Cancelled;
        let someone_elses = appointment(UserId::default(), "Not mine", 90.402, 1);
        let day = Today {
            date: now().date_naive(),
            time_zone: dhaka(),
            items: vec![appointment(me, "Meeting at B", 90.42, 2), cancelled, someone_elses],
            follow_ups: vec![
                follow_up("Far C", Some(90.44)),
                follow_up("Near A", Some(90.403)),
                follow_up("Call D", None),
            ],
            visits: vec![],
        };
        let plan = plan_day(&day, me, Some(at(90.40)), now());
        let titles: Vec<&str> = plan.route.iter().map(|s| s.task.title()).collect();
        assert_eq!(titles, ["Near A", "Meeting at B", "Far C"]);
        assert_eq!(plan.elsewhere.len(), 1);
        let earlier: Vec<&str> = plan.earlier.iter().map(|a| a.title.as_str()).collect();
        assert_eq!(earlier, ["Cancelled"], "called off, so not on the route but still in the day");
        let legs: f64 = plan.route.iter().map(|s| s.leg_m).sum();
        assert!((legs - plan.total_m).abs() < 1.0);
        assert!((plan.total_m - at(90.40).distance_m(&at(90.44))).abs() < 1.0);
        assert_eq!(plan.late, 0);
    }

    #[test]
    fn the_day_and_its_appointments_carry_their_zone_by_name() {
        let me = UserId::default();
        let day = Today {
            date: now().date_naive(),
            time_zone: dhaka(),
            items: vec![appointment(me, "Meeting", 90.41, 1)],
            follow_ups: vec![],
            visits: vec![],
        };
        let json = serde_json::to_value(&day).unwrap();
        assert_eq!(json["time_zone"], "Asia/Dhaka");
        assert_eq!(json["items"][0]["time_zone"], "Asia/Dhaka");
        assert_eq!(serde_json::from_value::<Today>(json).unwrap(), day, "as kept on the device, it reads back");
    }

    #[test]
    fn without_a_position_the_route_starts_at_the_first_appointment() {
        let me = UserId::default();
        let day = Today {
            date: now().date_naive(),
            time_zone: dhaka(),
            items: vec![appointment(me, "Later", 90.45, 3), appointment(me, "First", 90.41, 1)],
            follow_ups: vec![],
            visits: vec![],
        };
        let plan = plan_day(&day, me, None, now());
        assert_eq!(plan.route[0].task.title(), "First");
        assert_eq!(plan.route[0].leg_m, 0.0);
    }

    #[test]
    fn distances_read_in_metres_then_kilometres() {
        assert_eq!(format_distance(54.6), "50 m");
        assert_eq!(format_distance(12_430.0), "12.4 km");
        assert!(directions_url(None, at(90.4)).ends_with("destination=23.780000,90.400000&travelmode=driving"));
    }

    fn visit(rep: UserId, at: DateTime<Utc>, version: i64, outcome: Option<&str>) -> Visit {
        Visit {
            id: Default::default(),
            rep_id: rep,
            contact_id: None,
            listing_id: None,
            appointment_id: None,
            check_in_at: at,
            check_in_position: None,
            check_in_accuracy_m: None,
            distance_m: None,
            far: false,
            check_out_at: outcome.map(|_| at),
            outcome: outcome.map(String::from),
            notes: None,
            next_step: None,
            buyer_reaction: None,
            version,
            custom: Default::default(),
        }
    }

    #[test]
    fn the_devices_visits_replace_or_join_the_fetched_day() {
        let me = UserId::new();
        let today = now().with_timezone(&chrono::Local).date_naive();
        let fetched = visit(me, now(), 5, None);
        let day =
            Today { date: today, time_zone: dhaka(), items: vec![], follow_ups: vec![], visits: vec![fetched.clone()] };
        // Checked out on the device (not yet sent), and a new visit made offline today.
        let checked_out =
            Visit { version: 0, check_out_at: Some(now()), outcome: Some("Interested".into()), ..fetched.clone() };
        let new = visit(me, now() + chrono::Duration::minutes(30), 0, None);
        let yesterday = visit(me, now() - chrono::Duration::days(2), 0, None);
        let merged = with_local_visits(day.clone(), &[checked_out, new.clone(), yesterday]);
        assert_eq!(merged.visits.len(), 2);
        assert_eq!(merged.visits[0].outcome.as_deref(), Some("Interested"));
        assert_eq!(merged.visits[1].id, new.id);
        // An older copy on the device does not hide what the server says now.
        let stale = Visit { version: 3, outcome: Some("Old".into()), ..fetched };
        assert_eq!(with_local_visits(day, &[stale]).visits[0].outcome, None);
    }
}
