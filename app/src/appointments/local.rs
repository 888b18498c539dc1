//! The agenda as this device knows it without a network: the server's last answer for a range,
//! with the user's own one-off appointments from the local store laid over it — those made,
//! moved, cancelled or deleted on this device, or synced since the range was fetched. A
//! repeating series is expanded by the server only (it needs the zone database), so its
//! occurrences are the ones last fetched. Pure: the API layer reads the store.

use super::{AgendaItem, Appointment, NewAppointment};
use crate::common::{TimeZone, UserId};
use chrono::{DateTime, Utc};

impl NewAppointment {
    /// The appointment as this device shows it before the server has it; `zone` is the one it
    /// gets when the form gave none.
    pub fn to_local(&self, assignee: UserId, zone: &TimeZone) -> Appointment {
        Appointment {
            id: self.id,
            kind: self.kind,
            title: self.title.clone(),
            starts_at: self.starts_at,
            ends_at: self.ends_at,
            time_zone: self.time_zone.clone().unwrap_or_else(|| zone.clone()),
            assignee_id: self.assignee_id.unwrap_or(assignee),
            contact_id: self.contact_id,
            listing_id: self.listing_id,
            address: self.address.clone(),
            location: self.location,
            status: super::AppointmentStatus::Scheduled,
            reminder_minutes: self.reminder_minutes,
            notes: self.notes.clone(),
            recurrence: self.recurrence.clone(),
            exceptions: Vec::new(),
            custom: self.custom.clone().into_iter().filter(|(_, v)| !v.is_null()).collect(),
            version: 0,
        }
    }
}

/// Names an agenda entry shows beside the appointment's own fields.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Names {
    pub assignee: String,
    pub contact: Option<String>,
    pub listing: Option<String>,
}

impl Appointment {
    /// The appointment as one entry of an agenda (a one-off: a series comes from the server).
    pub fn agenda_item(&self, names: Names) -> AgendaItem {
        AgendaItem {
            id: self.id,
            kind: self.kind,
            title: self.title.clone(),
            starts_at: self.starts_at,
            ends_at: self.ends_at,
            time_zone: self.time_zone.clone(),
            status: self.status,
            assignee_id: self.assignee_id,
            assignee_name: names.assignee,
            contact_id: self.contact_id,
            contact_name: names.contact,
            listing_id: self.listing_id,
            listing_title: names.listing,
            address: self.address.clone(),
            location: self.location,
            recurring: false,
            reminder_minutes: self.reminder_minutes,
            custom: self.custom.clone(),
        }
    }
}

/// `fetched` (possibly empty) with `own` — every appointment of `me` the device holds — laid
/// over it for the window `[from, to)` (appointments that start in it). `complete` says the
/// device has synced the user's appointments at least once: only then does an own one-off
/// missing from the store mean it was deleted. `names` gives an entry's names (it is asked
/// with the entry fetched for the same appointment, if any).
pub fn lay_over(
    fetched: Vec<AgendaItem>,
    own: &[Appointment],
    me: UserId,
    (from, to): (DateTime<Utc>, DateTime<Utc>),
    complete: bool,
    names: impl Fn(&Appointment, Option<&AgendaItem>) -> Names,
) -> Vec<AgendaItem> {
    let one_offs: Vec<&Appointment> = own.iter().filter(|a| a.recurrence.is_none() && a.assignee_id == me).collect();
    let held = |id| own.iter().any(|a| a.id == id);
    let mut items: Vec<AgendaItem> = Vec::with_capacity(fetched.len() + one_offs.len());
    let mut replaced = Vec::new();
    for item in fetched {
        // An own one-off the synced store no longer holds was deleted.
        let deleted = complete && item.assignee_id == me && !item.recurring && !held(item.id);
        if one_offs.iter().any(|a| a.id == item.id) {
            replaced.push(item);
        } else if !deleted {
            items.push(item);
        }
    }
    for a in one_offs.into_iter().filter(|a| from <= a.starts_at && a.starts_at < to) {
        let before = replaced.iter().find(|i| i.id == a.id);
        items.push(a.agenda_item(names(a, before)));
    }
    items.sort_by(|a, b| a.starts_at.cmp(&b.starts_at).then_with(|| a.title.cmp(&b.title)));
    items
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::appointments::{AppointmentForCreate, AppointmentStatus};

    fn at(h: u32) -> DateTime<Utc> {
        chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap().and_hms_opt(h, 0, 0).unwrap().and_utc()
    }

    fn made(me: UserId, title: &str, h: u32) -> Appointment {
        AppointmentForCreate { kind: "meeting".into(), title: title.into(), starts_at: at(h), ..Default::default() }
            .validate()
            .unwrap()
            .to_local(me, &TimeZone::parse("Asia/Dhaka").unwrap())
    }

    fn names(a: &Appointment, before: Option<&AgendaItem>) -> Names {
        Names {
            assignee: "Me".into(),
            contact: before.and_then(|b| b.contact_name.clone()).or_else(|| a.contact_id.map(|_| "Shop".into())),
            listing: None,
        }
    }

    #[test]
    fn what_the_device_changed_replaces_what_was_fetched_and_deleted_ones_go() {
        let me = UserId::default();
        let someone = UserId::default();
        let kept = made(me, "Kept as fetched", 5);
        let mut moved = made(me, "Moved offline", 6);
        let deleted = made(me, "Deleted since", 7);
        let theirs = made(someone, "Someone else's", 8).agenda_item(Names::default());
        let mut series = made(me, "Weekly round", 9);
        series.recurrence = Some(crate::appointments::Recurrence {
            frequency: crate::appointments::Frequency::Weekly,
            interval: 1,
            until: None,
            count: None,
        });
        let mut fetched = vec![
            kept.agenda_item(Names::default()),
            moved.agenda_item(Names { contact: Some("Tea stall".into()), ..Names::default() }),
        ];
        fetched.push(deleted.agenda_item(Names::default()));
        fetched.push(theirs.clone());
        fetched.push(AgendaItem { recurring: true, ..series.agenda_item(Names::default()) });
        moved.starts_at = at(10);
        moved.ends_at = at(11);
        moved.status = AppointmentStatus::Scheduled;
        let new = made(me, "Made offline", 4);
        let mut late = made(me, "Tomorrow", 5);
        late.starts_at += chrono::Duration::days(1); // outside the window below
        let own = vec![kept.clone(), moved.clone(), new.clone(), series.clone(), late];
        let day = (at(0), at(23));

        let shown = lay_over(fetched.clone(), &own, me, day, true, names);
        let titles: Vec<&str> = shown.iter().map(|i| i.title.as_str()).collect();
        assert_eq!(titles, ["Made offline", "Kept as fetched", "Someone else's", "Weekly round", "Moved offline"]);
        let moved_item = shown.iter().find(|i| i.id == moved.id).unwrap();
        assert_eq!((moved_item.starts_at, moved_item.contact_name.as_deref()), (at(10), Some("Tea stall")));

        // Before the first sync the store is not the whole truth: nothing fetched is dropped.
        let shown = lay_over(fetched, &own, me, day, false, names);
        assert!(shown.iter().any(|i| i.title == "Deleted since"));
    }
}
