//! A report's period: local dates, both ends included, in the viewer's time zone. A visit at
//! 23:30 local time belongs to that local day, whatever the UTC date; the server turns the
//! dates into UTC instants with the zone's rules (DST included).

use crate::common::{FieldError, FieldErrors};
use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};

/// The longest period a report covers (a year, leap day included).
pub const MAX_DAYS: i64 = 366;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    /// The `days` days that end with `today`.
    pub fn last_days(today: NaiveDate, days: i64) -> Period {
        Period { from: today - Duration::days(days.max(1) - 1), to: today }
    }

    /// The period a query asks for: both dates, or the last 30 days up to `to` (or today). `to`
    /// before `from`, or more than [`MAX_DAYS`] days, is refused on `to`.
    pub fn parse(from: Option<NaiveDate>, to: Option<NaiveDate>, today: NaiveDate) -> Result<Period, FieldErrors> {
        let to_date = to.unwrap_or(today);
        let period = Period { from: from.unwrap_or_else(|| Period::last_days(to_date, 30).from), to: to_date };
        let mut e = FieldErrors::new();
        if period.to < period.from {
            e.add("to", FieldError::Invalid { reason: "must not be before from".into() });
        } else if period.days() > MAX_DAYS {
            e.add("to", FieldError::Invalid { reason: format!("a period covers at most {MAX_DAYS} days") });
        }
        e.into_result(|| period)
    }

    /// How many days the period holds.
    pub fn days(&self) -> i64 {
        (self.to - self.from).num_days() + 1
    }

    /// The same number of days just before this period (for "compared with").
    pub fn previous(&self) -> Period {
        let days = self.days();
        Period { from: self.from - Duration::days(days), to: self.from - Duration::days(1) }
    }

    /// The period cut into the buckets a trend shows: days up to five weeks, weeks (Monday to
    /// Sunday, the first and last cut to the period) beyond that.
    pub fn buckets(&self) -> Vec<Period> {
        let mut out = Vec::new();
        let mut start = self.from;
        while start <= self.to {
            let end = if self.days() <= 35 {
                start
            } else {
                let to_sunday = 6 - i64::from(start.weekday().num_days_from_monday());
                (start + Duration::days(to_sunday)).min(self.to)
            };
            out.push(Period { from: start, to: end });
            start = end + Duration::days(1);
        }
        out
    }
}

/// The periods the report pages offer in one tap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    Last7,
    Last30,
    Last90,
    ThisMonth,
    LastMonth,
    ThisYear,
}

impl Preset {
    pub const ALL: [Preset; 6] =
        [Preset::Last7, Preset::Last30, Preset::Last90, Preset::ThisMonth, Preset::LastMonth, Preset::ThisYear];

    pub fn as_str(self) -> &'static str {
        match self {
            Preset::Last7 => "7d",
            Preset::Last30 => "30d",
            Preset::Last90 => "90d",
            Preset::ThisMonth => "month",
            Preset::LastMonth => "last_month",
            Preset::ThisYear => "year",
        }
    }

    pub fn parse(raw: &str) -> Option<Preset> {
        Self::ALL.into_iter().find(|p| p.as_str() == raw)
    }

    pub fn period(self, today: NaiveDate) -> Period {
        let first_of_month = today.with_day(1).unwrap_or(today);
        match self {
            Preset::Last7 => Period::last_days(today, 7),
            Preset::Last30 => Period::last_days(today, 30),
            Preset::Last90 => Period::last_days(today, 90),
            Preset::ThisMonth => Period { from: first_of_month, to: today },
            Preset::LastMonth => {
                let end = first_of_month - Duration::days(1);
                Period { from: end.with_day(1).unwrap_or(end), to: end }
            }
            Preset::ThisYear => Period { from: today.with_ordinal(1).unwrap_or(today), to: today },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn the_default_period_is_the_last_thirty_days_up_to_today() {
        let p = Period::parse(None, None, d("2026-12-02")).unwrap();
        assert_eq!((p.from, p.to, p.days()), (d("2026-11-03"), d("2026-12-02"), 30));
    }

    #[test]
    fn a_period_ending_before_it_starts_or_longer_than_a_year_is_refused_on_to() {
        let backwards = Period::parse(Some(d("2026-12-02")), Some(d("2026-12-01")), d("2026-12-02")).unwrap_err();
        assert!(backwards.get("to").is_some());
        let long = Period::parse(Some(d("2025-01-01")), Some(d("2026-12-01")), d("2026-12-02")).unwrap_err();
        assert!(long.get("to").is_some());
        assert!(Period::parse(Some(d("2026-01-01")), Some(d("2026-12-31")), d("2026-12-02")).is_ok());
    }

    #[test]
    fn short_periods_trend_by_day_and_long_ones_by_monday_weeks_cut_to_the_period() {
        let week = Period { from: d("2026-11-26"), to: d("2026-12-02") };
        assert_eq!(week.buckets().len(), 7);
        let quarter = Period { from: d("2026-09-03"), to: d("2026-12-02") }; // Thursday to Wednesday
        let buckets = quarter.buckets();
        assert_eq!(buckets[0], Period { from: d("2026-09-03"), to: d("2026-09-06") });
        assert_eq!(buckets[1], Period { from: d("2026-09-07"), to: d("2026-09-13") });
        assert_eq!(buckets.last().unwrap(), &Period { from: d("2026-11-30"), to: d("2026-12-02") });
        assert_eq!(buckets.iter().map(Period::days).sum::<i64>(), quarter.days());
    }

    #[test]
    fn presets_give_calendar_periods() {
        let today = d("2026-03-15");
        assert_eq!(Preset::LastMonth.period(today), Period { from: d("2026-02-01"), to: d("2026-02-28") });
        assert_eq!(Preset::ThisMonth.period(today), Period { from: d("2026-03-01"), to: today });
        assert_eq!(Preset::ThisYear.period(today).from, d("2026-01-01"));
        assert_eq!(Preset::Last7.period(today).days(), 7);
        assert_eq!(
            Period { from: d("2026-03-01"), to: d("2026-03-10") }.previous(),
            Period { from: d("2026-02-19"), to: d("2026-02-28") }
        );
    }
}
