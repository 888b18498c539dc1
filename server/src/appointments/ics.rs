//! iCalendar (RFC 5545) for calendar feeds and single-appointment downloads.
//!
//! Times are written in the appointment's own zone (`DTSTART;TZID=Asia/Dhaka:…`) with a
//! `VTIMEZONE` for each zone used, so a recurring 09:00 visit stays at 09:00 local time in
//! Google Calendar, Outlook and Apple Calendar across DST changes. No crate writes `VTIMEZONE`
//! from the IANA database, so this module does, with the transitions `chrono-tz` knows.

use chrono::{DateTime, Datelike, Duration, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::{OffsetComponents, OffsetName, Tz};
use fieldwork_app::appointments::{Appointment, AppointmentStatus};
use std::collections::BTreeMap;
use std::fmt::Write;

/// One appointment in a calendar, with the contact's name for the description.
pub struct Entry<'a> {
    pub appointment: &'a Appointment,
    pub contact_name: Option<&'a str>,
}

/// A whole VCALENDAR. `name` shows as the calendar's name where clients support it.
pub fn calendar(name: &str, entries: &[Entry<'_>], now: DateTime<Utc>) -> String {
    let mut out = String::new();
    line(&mut out, "BEGIN:VCALENDAR");
    line(&mut out, "VERSION:2.0");
    line(&mut out, "PRODID:-//Fieldwork//Fieldwork CRM//EN");
    line(&mut out, "CALSCALE:GREGORIAN");
    line(&mut out, "METHOD:PUBLISH");
    line(&mut out, &format!("X-WR-CALNAME:{}", text(name)));
    // One VTIMEZONE per zone, in the order of their names.
    let zones: BTreeMap<&str, Tz> =
        entries.iter().map(|e| (e.appointment.time_zone.as_str(), e.appointment.time_zone.tz())).collect();
    let first_year = entries.iter().map(|e| e.appointment.starts_at.year()).min().unwrap_or(now.year());
    let last_year =
        now.year().max(entries.iter().map(|e| e.appointment.ends_at.year()).max().unwrap_or(now.year())) + 5;
    for zone in zones.into_values() {
        vtimezone(&mut out, zone, first_year - 1, last_year);
    }
    for entry in entries {
        vevent(&mut out, entry, now);
    }
    line(&mut out, "END:VCALENDAR");
    out
}

fn vevent(out: &mut String, entry: &Entry<'_>, now: DateTime<Utc>) {
    let a = entry.appointment;
    let zone = a.time_zone.tz();
    let local = |t: DateTime<Utc>| t.with_timezone(&zone).format("%Y%m%dT%H%M%S").to_string();
    line(out, "BEGIN:VEVENT");
    line(out, &format!("UID:{}@fieldwork", a.id));
    line(out, &format!("DTSTAMP:{}", now.format("%Y%m%dT%H%M%SZ")));
    line(out, &format!("SEQUENCE:{}", a.version));
    line(out, &format!("DTSTART;TZID={}:{}", zone.name(), local(a.starts_at)));
    line(out, &format!("DTEND;TZID={}:{}", zone.name(), local(a.ends_at)));
    if let Some(rule) = &a.recurrence {
        let series = super::recurrence::Series {
            starts_at: a.starts_at,
            ends_at: a.ends_at,
            zone,
            rule,
            exceptions: &a.exceptions,
        };
        line(out, &format!("RRULE:{}", series.rrule()));
        let time = a.starts_at.with_timezone(&zone).time();
        for date in &a.exceptions {
            line(out, &format!("EXDATE;TZID={}:{}", zone.name(), date.and_time(time).format("%Y%m%dT%H%M%S")));
        }
    }
    line(out, &format!("SUMMARY:{}", text(&a.title)));
    let mut description = Vec::new();
    if let Some(name) = entry.contact_name {
        description.push(format!("With {name}"));
    }
    if let Some(notes) = &a.notes {
        description.push(notes.clone());
    }
    if !description.is_empty() {
        line(out, &format!("DESCRIPTION:{}", text(&description.join("\n\n"))));
    }
    if let Some(address) = &a.address {
        line(out, &format!("LOCATION:{}", text(address)));
    }
    if let Some(p) = a.location {
        line(out, &format!("GEO:{:.6};{:.6}", p.lat(), p.lon()));
    }
    line(out, &format!("CATEGORIES:{}", a.kind.as_str().to_uppercase()));
    let status = if a.status == AppointmentStatus::Cancelled { "CANCELLED" } else { "CONFIRMED" };
    line(out, &format!("STATUS:{status}"));
    if let (Some(minutes), AppointmentStatus::Scheduled) = (a.reminder_minutes, a.status) {
        line(out, "BEGIN:VALARM");
        line(out, "ACTION:DISPLAY");
        line(out, &format!("DESCRIPTION:{}", text(&a.title)));
        line(out, &format!("TRIGGER:-PT{minutes}M"));
        line(out, "END:VALARM");
    }
    line(out, "END:VEVENT");
}

/// The zone's offsets and every change between `from_year` and `to_year`, each as a STANDARD or
/// DAYLIGHT observance whose DTSTART is the local time just before the change.
fn vtimezone(out: &mut String, zone: Tz, from_year: i32, to_year: i32) {
    let Some(from) = Utc.with_ymd_and_hms(from_year, 1, 1, 0, 0, 0).single() else { return };
    let Some(to) = Utc.with_ymd_and_hms(to_year + 1, 1, 1, 0, 0, 0).single() else { return };
    line(out, "BEGIN:VTIMEZONE");
    line(out, &format!("TZID:{}", zone.name()));
    let first = zone.offset_from_utc_datetime(&from.naive_utc());
    observance(out, &first, &first, NaiveDateTime::new(from.date_naive(), chrono::NaiveTime::MIN));
    let mut day = from;
    while day < to {
        let next = day + Duration::days(1);
        let (before, after) = (offset_seconds(zone, day), offset_seconds(zone, next));
        if before != after {
            // The change lies within this day: narrow it to the second.
            let (mut lo, mut hi) = (day.timestamp(), next.timestamp());
            while hi - lo > 1 {
                let mid = lo + (hi - lo) / 2;
                if offset_seconds(zone, DateTime::from_timestamp(mid, 0).unwrap_or(day)) == before {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            let instant = DateTime::from_timestamp(hi, 0).unwrap_or(next);
            let old = zone.offset_from_utc_datetime(&DateTime::from_timestamp(lo, 0).unwrap_or(day).naive_utc());
            let new = zone.offset_from_utc_datetime(&instant.naive_utc());
            let local_before = instant.naive_utc() + Duration::seconds(i64::from(before));
            observance(out, &old, &new, local_before);
        }
        day = next;
    }
    line(out, "END:VTIMEZONE");
}

fn offset_seconds(zone: Tz, at: DateTime<Utc>) -> i32 {
    zone.offset_from_utc_datetime(&at.naive_utc()).fix().local_minus_utc()
}

fn observance(
    out: &mut String,
    from: &<Tz as TimeZone>::Offset,
    to: &<Tz as TimeZone>::Offset,
    local_start: NaiveDateTime,
) {
    let kind = if to.dst_offset().num_seconds() != 0 { "DAYLIGHT" } else { "STANDARD" };
    line(out, &format!("BEGIN:{kind}"));
    line(out, &format!("DTSTART:{}", local_start.format("%Y%m%dT%H%M%S")));
    line(out, &format!("TZOFFSETFROM:{}", utc_offset(from.fix().local_minus_utc())));
    line(out, &format!("TZOFFSETTO:{}", utc_offset(to.fix().local_minus_utc())));
    if let Some(name) = to.abbreviation().filter(|n| !n.starts_with(['+', '-'])) {
        line(out, &format!("TZNAME:{}", text(name)));
    }
    line(out, &format!("END:{kind}"));
}

/// `+0600`, `-0330`, `+053000` when seconds matter.
fn utc_offset(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let s = seconds.unsigned_abs();
    let (h, m, sec) = (s / 3600, s / 60 % 60, s % 60);
    if sec == 0 {
        format!("{sign}{h:02}{m:02}")
    } else {
        format!("{sign}{h:02}{m:02}{sec:02}")
    }
}

/// A TEXT value: backslash, semicolon, comma and newlines escaped.
fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends a content line, folded at 75 octets (never inside a UTF-8 character), ending CRLF.
fn line(out: &mut String, content: &str) {
    let mut width = 0;
    for c in content.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    let _ = write!(out, "\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_a_character() {
        let mut out = String::new();
        line(&mut out, &format!("SUMMARY:{}", "ঢাকা".repeat(20)));
        for l in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{} octets: {l}", l.len());
        }
        assert_eq!(out.replace("\r\n ", "").trim_end(), format!("SUMMARY:{}", "ঢাকা".repeat(20)));
    }

    #[test]
    fn text_escapes_what_rfc_5545_reserves() {
        assert_eq!(text("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    }

    #[test]
    fn london_has_its_march_and_october_changes_and_dhaka_none() {
        let mut out = String::new();
        vtimezone(&mut out, chrono_tz::Europe::London, 2027, 2027);
        assert!(
            out.contains(
                "BEGIN:DAYLIGHT\r\nDTSTART:20270328T010000\r\nTZOFFSETFROM:+0000\r\nTZOFFSETTO:+0100\r\nTZNAME:BST"
            ),
            "{out}"
        );
        assert!(
            out.contains("BEGIN:STANDARD\r\nDTSTART:20271031T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0000"),
            "{out}"
        );
        let mut out = String::new();
        vtimezone(&mut out, chrono_tz::Asia::Dhaka, 2027, 2027);
        assert_eq!(out.matches("BEGIN:STANDARD").count(), 1);
        assert!(out.contains("TZOFFSETTO:+0600"));
        assert!(out.starts_with("BEGIN:VTIMEZONE\r\nTZID:Asia/Dhaka\r\n"));
    }
}
