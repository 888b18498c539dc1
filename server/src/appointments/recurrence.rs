//! Recurring appointments: the RFC 5545 rule of a series and its occurrences, expanded in the
//! appointment's own zone (by the `rrule` crate) so a 09:00 visit stays at 09:00 local time
//! when the zone's offset changes.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use fieldwork_app::appointments::Recurrence;
use std::fmt::Write as _;

/// The most occurrences one series yields for one window (a weekly series over the 62-day
/// agenda window has nine).
const MAX_OCCURRENCES: u16 = 400;

/// A series as stored: the first occurrence, its length, zone, rule and skipped dates.
#[derive(Debug, Clone)]
pub struct Series<'a> {
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub zone: chrono_tz::Tz,
    pub rule: &'a Recurrence,
    pub exceptions: &'a [NaiveDate],
}

impl Series<'_> {
    fn local_start(&self) -> DateTime<rrule::Tz> {
        self.starts_at.with_timezone(&rrule::Tz::Tz(self.zone))
    }

    /// `UNTIL` as RFC 5545 wants it with a zoned start: the end of the last local day, in UTC.
    pub fn until_utc(&self) -> Option<DateTime<Utc>> {
        self.rule.until.and_then(|date| {
            let next = date.succ_opt()?.and_hms_opt(0, 0, 0)?;
            let end = self.zone.from_local_datetime(&next).earliest()? - chrono::Duration::seconds(1);
            Some(end.with_timezone(&Utc))
        })
    }

    /// The rule as an `RRULE` value, e.g. `FREQ=WEEKLY;INTERVAL=1;UNTIL=20270331T225959Z`.
    pub fn rrule(&self) -> String {
        let mut rule = self.rule.rule_base();
        if let Some(until) = self.until_utc() {
            let _ = write!(rule, ";UNTIL={}", until.format("%Y%m%dT%H%M%SZ"));
        }
        rule
    }

    fn set(&self) -> Result<rrule::RRuleSet, rrule::RRuleError> {
        let start = self.local_start();
        let rule: rrule::RRule<rrule::Unvalidated> = self.rrule().parse()?;
        let local_time = start.time();
        let exdates = self.exceptions.iter().filter_map(|d| {
            self.zone
                .from_local_datetime(&d.and_time(local_time))
                .earliest()
                .map(|t| t.with_timezone(&start.timezone()))
        });
        Ok(rule.build(start)?.set_exdates(exdates.collect()))
    }

    /// Occurrences `(start, end)` that overlap `[from, to)`, in time order.
    pub fn between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
        let length = self.ends_at - self.starts_at;
        let Ok(set) = self.set() else { return Vec::new() };
        let tz = rrule::Tz::Tz(self.zone);
        let after = (from - length - chrono::Duration::seconds(1)).with_timezone(&tz);
        set.after(after)
            .before(to.with_timezone(&tz))
            .all(MAX_OCCURRENCES)
            .dates
            .into_iter()
            .map(|start| start.with_timezone(&Utc))
            .filter(|start| *start < to && *start + length > from)
            .map(|start| (start, start + length))
            .collect()
    }

    /// When the last occurrence ends; `None` for a series without an end.
    pub fn ends(&self) -> Option<DateTime<Utc>> {
        if self.rule.until.is_none() && self.rule.count.is_none() {
            return None;
        }
        let length = self.ends_at - self.starts_at;
        let set = self.set().ok()?;
        let last = set.all(MAX_OCCURRENCES + 100).dates.into_iter().last()?;
        Some(last.with_timezone(&Utc) + length)
    }

    /// The rule parses and the first occurrence is an occurrence.
    pub fn is_valid(&self) -> bool {
        self.set().is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fieldwork_app::appointments::Frequency;

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
    }

    #[test]
    fn a_weekly_0900_london_visit_moves_an_hour_in_utc_when_the_clocks_go_forward() {
        // Thursday 18 March 2027, 09:00 GMT; BST starts on Sunday 28 March.
        let rule = Recurrence { frequency: Frequency::Weekly, interval: 1, until: None, count: Some(4) };
        let series = Series {
            starts_at: utc(2027, 3, 18, 9, 0),
            ends_at: utc(2027, 3, 18, 10, 0),
            zone: chrono_tz::Europe::London,
            rule: &rule,
            exceptions: &[],
        };
        let starts: Vec<_> =
            series.between(utc(2027, 3, 1, 0, 0), utc(2027, 5, 1, 0, 0)).into_iter().map(|o| o.0).collect();
        assert_eq!(
            starts,
            [utc(2027, 3, 18, 9, 0), utc(2027, 3, 25, 9, 0), utc(2027, 4, 1, 8, 0), utc(2027, 4, 8, 8, 0)]
        );
        assert_eq!(series.ends(), Some(utc(2027, 4, 8, 9, 0)));
    }

    #[test]
    fn in_october_it_moves_back_and_a_dhaka_visit_never_moves() {
        let rule = Recurrence { frequency: Frequency::Weekly, interval: 1, until: None, count: None };
        let london = Series {
            starts_at: utc(2027, 10, 21, 8, 0), // 09:00 BST; GMT from 31 October
            ends_at: utc(2027, 10, 21, 9, 0),
            zone: chrono_tz::Europe::London,
            rule: &rule,
            exceptions: &[],
        };
        let starts: Vec<_> =
            london.between(utc(2027, 10, 20, 0, 0), utc(2027, 11, 5, 0, 0)).into_iter().map(|o| o.0).collect();
        assert_eq!(starts, [utc(2027, 10, 21, 8, 0), utc(2027, 10, 28, 8, 0), utc(2027, 11, 4, 9, 0)]);
        assert_eq!(london.ends(), None);
        let dhaka = Series {
            zone: chrono_tz::Asia::Dhaka,
            starts_at: utc(2027, 10, 21, 3, 0),
            ends_at: utc(2027, 10, 21, 4, 0),
            ..london
        };
        let starts: Vec<_> =
            dhaka.between(utc(2027, 10, 20, 0, 0), utc(2027, 11, 5, 0, 0)).into_iter().map(|o| o.0).collect();
        assert_eq!(starts, [utc(2027, 10, 21, 3, 0), utc(2027, 10, 28, 3, 0), utc(2027, 11, 4, 3, 0)]);
    }

    #[test]
    fn skipped_dates_and_until_bound_a_monthly_series() {
        let rule = Recurrence {
            frequency: Frequency::Monthly,
            interval: 1,
            until: Some(NaiveDate::from_ymd_opt(2027, 4, 5).unwrap()),
            count: None,
        };
        let skipped = [NaiveDate::from_ymd_opt(2027, 2, 5).unwrap()];
        let series = Series {
            starts_at: utc(2027, 1, 5, 4, 0),
            ends_at: utc(2027, 1, 5, 5, 0),
            zone: chrono_tz::Asia::Dhaka,
            rule: &rule,
            exceptions: &skipped,
        };
        let starts: Vec<_> =
            series.between(utc(2026, 12, 1, 0, 0), utc(2027, 12, 1, 0, 0)).into_iter().map(|o| o.0).collect();
        assert_eq!(starts, [utc(2027, 1, 5, 4, 0), utc(2027, 3, 5, 4, 0), utc(2027, 4, 5, 4, 0)]);
        assert!(series.rrule().ends_with(";UNTIL=20270405T175959Z"), "{}", series.rrule());
        // An occurrence already under way at the window's start is in it.
        let during = series.between(utc(2027, 3, 5, 4, 30), utc(2027, 3, 6, 0, 0));
        assert_eq!(during, [(utc(2027, 3, 5, 4, 0), utc(2027, 3, 5, 5, 0))]);
    }
}
