//! The interface language and locale-aware formatting of instants, numbers and money.
//!
//! Data screens render in the browser (they read the API, and later the offline store), so the
//! formatting uses the browser's `Intl`, which knows every time zone and Bengali digits without
//! adding a tz database to the wasm. The server, which draws Today, formats with chrono-tz.

use crate::i18n::Locale;
use crate::users::Language;

/// The cookie the i18n layer reads and writes (`leptos_i18n`'s default name).
pub const LOCALE_COOKIE: &str = "i18n_pref_locale";

pub fn to_locale(language: Language) -> Locale {
    match language {
        Language::En => Locale::en,
        Language::Bn => Locale::bn,
    }
}

pub fn to_language(locale: Locale) -> Language {
    match locale {
        Locale::en => Language::En,
        Locale::bn => Language::Bn,
    }
}

#[cfg(feature = "hydrate")]
/// BCP 47 tag for `Intl`: Bangladesh conventions for both languages.
fn intl_tag(locale: Locale) -> &'static str {
    match locale {
        Locale::en => "en-GB",
        Locale::bn => "bn-BD",
    }
}

/// Which parts of an instant to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `10:30`
    Time,
    /// `Sunday 23 November`
    LongDate,
    /// `Sun 23 Nov, 10:30`
    DateTime,
    /// `Sun 23 Nov`
    Date,
}

#[cfg(feature = "hydrate")]
pub fn format_instant(at: chrono::DateTime<chrono::Utc>, time_zone: &str, locale: Locale, style: Style) -> String {
    use js_sys::{Array, Object, Reflect};
    use wasm_bindgen::JsValue;
    let options = Object::new();
    let set = |k: &str, v: &str| {
        let _ = Reflect::set(&options, &JsValue::from_str(k), &JsValue::from_str(v));
    };
    set("timeZone", time_zone);
    match style {
        Style::Time => {
            set("hour", "numeric");
            set("minute", "2-digit");
        }
        Style::LongDate => {
            set("weekday", "long");
            set("day", "numeric");
            set("month", "long");
        }
        Style::DateTime => {
            set("weekday", "short");
            set("day", "numeric");
            set("month", "short");
            set("hour", "numeric");
            set("minute", "2-digit");
        }
        Style::Date => {
            set("weekday", "short");
            set("day", "numeric");
            set("month", "short");
        }
    }
    let locales = Array::of1(&JsValue::from_str(intl_tag(locale)));
    let format = js_sys::Intl::DateTimeFormat::new(&locales, &options);
    // milliseconds since 1970 fit a double exactly until year 287,396
    let date = js_sys::Date::new(&JsValue::from_f64(at.timestamp_millis() as f64));
    format.format().call1(&JsValue::NULL, &date).ok().and_then(|v| v.as_string()).unwrap_or_default()
}

/// On the server (pages it draws, such as Today): the patterns `Intl` uses for `en-GB`, in
/// the user's time zone, with the locale's digits. The browser redraws with its own `Intl`.
#[cfg(not(feature = "hydrate"))]
pub fn format_instant(at: chrono::DateTime<chrono::Utc>, time_zone: &str, locale: Locale, style: Style) -> String {
    #[cfg(feature = "ssr")]
    let at = at.with_timezone(&time_zone.parse::<chrono_tz::Tz>().unwrap_or(chrono_tz::UTC)).naive_local();
    #[cfg(not(feature = "ssr"))]
    let (at, _) = (at.naive_utc(), time_zone);
    let text = match style {
        Style::Time => at.format("%H:%M"),
        Style::LongDate => at.format("%A %-d %B"),
        Style::DateTime => at.format("%a %-d %b, %H:%M"),
        Style::Date => at.format("%a %-d %b"),
    };
    native_digits(&text.to_string(), locale)
}

/// Money in whole units with the locale's digits and grouping (`৳১,২৫,০০০`).
#[cfg(feature = "hydrate")]
pub fn format_money(money: &crate::common::Money, locale: Locale) -> String {
    use js_sys::{Array, Object, Reflect};
    use wasm_bindgen::JsValue;
    let options = Object::new();
    let _ = Reflect::set(&options, &"style".into(), &"currency".into());
    let _ = Reflect::set(&options, &"currency".into(), &money.currency().as_str().into());
    let _ = Reflect::set(&options, &"maximumFractionDigits".into(), &JsValue::from_f64(0.0));
    let locales = Array::of1(&JsValue::from_str(intl_tag(locale)));
    let format = js_sys::Intl::NumberFormat::new(&locales, &options);
    let amount = JsValue::from_f64(money.amount() as f64 / 100.0);
    format.format().call1(&JsValue::NULL, &amount).ok().and_then(|v| v.as_string()).unwrap_or_default()
}

#[cfg(not(feature = "hydrate"))]
pub fn format_money(money: &crate::common::Money, _locale: Locale) -> String {
    format!("{} {}", money.currency().as_str(), money.major_units())
}

/// A count with the locale's digits (`১২` in Bengali).
pub fn format_count(n: i64, locale: Locale) -> String {
    native_digits(&n.to_string(), locale)
}

/// The text with its ASCII digits written in the locale's own.
fn native_digits(text: &str, locale: Locale) -> String {
    match locale {
        Locale::en => text.to_string(),
        Locale::bn => {
            text.chars().map(|c| c.to_digit(10).and_then(|d| char::from_u32(0x09E6 + d)).unwrap_or(c)).collect()
        }
    }
}

/// The instant a `<input type="datetime-local">` value (`2026-11-24T10:00`) names in the
/// device's time zone.
#[cfg(feature = "hydrate")]
pub fn parse_local_input(value: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    let ms = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(value)).get_time();
    #[allow(clippy::cast_possible_truncation)] // a valid date is a whole number of milliseconds
    (!ms.is_nan()).then(|| chrono::DateTime::from_timestamp_millis(ms as i64)).flatten()
}

#[cfg(not(feature = "hydrate"))]
pub fn parse_local_input(value: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    chrono::NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M").ok().map(|n| n.and_utc())
}

/// A `datetime-local` value `days` from today at `hour`:00 on the device's clock.
#[cfg(feature = "hydrate")]
pub fn local_input_in(days: u32, hour: u32) -> String {
    let d = js_sys::Date::new_0();
    d.set_date(d.get_date() + days);
    d.set_hours(hour);
    d.set_minutes(0);
    format!("{:04}-{:02}-{:02}T{:02}:00", d.get_full_year(), d.get_month() + 1, d.get_date(), hour)
}

#[cfg(not(feature = "hydrate"))]
pub fn local_input_in(days: u32, hour: u32) -> String {
    let day = chrono::Utc::now().date_naive() + chrono::Duration::days(i64::from(days));
    format!("{day}T{hour:02}:00")
}

/// Today's date in `time_zone` (the user's own, which report periods are in), whatever zone the
/// device's clock is set to.
#[cfg(feature = "hydrate")]
pub fn today_in(time_zone: &str) -> chrono::NaiveDate {
    use js_sys::{Array, Object, Reflect};
    use wasm_bindgen::JsValue;
    let options = Object::new();
    for (k, v) in [("timeZone", time_zone), ("year", "numeric"), ("month", "2-digit"), ("day", "2-digit")] {
        let _ = Reflect::set(&options, &JsValue::from_str(k), &JsValue::from_str(v));
    }
    // `en-CA` writes a date as YYYY-MM-DD.
    let format = js_sys::Intl::DateTimeFormat::new(&Array::of1(&JsValue::from_str("en-CA")), &options);
    let text = format.format().call1(&JsValue::NULL, &js_sys::Date::new_0()).ok().and_then(|v| v.as_string());
    text.and_then(|t| t.parse().ok()).unwrap_or_else(|| chrono::Local::now().date_naive())
}

#[cfg(all(feature = "ssr", not(feature = "hydrate")))]
pub fn today_in(time_zone: &str) -> chrono::NaiveDate {
    let zone = time_zone.parse::<chrono_tz::Tz>().unwrap_or(chrono_tz::UTC);
    chrono::Utc::now().with_timezone(&zone).date_naive()
}

#[cfg(not(any(feature = "ssr", feature = "hydrate")))]
pub fn today_in(_time_zone: &str) -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}

/// The device's local date of an instant (what a calendar grid groups by).
#[cfg(feature = "hydrate")]
pub fn local_date(at: chrono::DateTime<chrono::Utc>) -> chrono::NaiveDate {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(at.timestamp_millis() as f64));
    chrono::NaiveDate::from_ymd_opt(d.get_full_year() as i32, d.get_month() + 1, d.get_date()).unwrap_or_default()
}

#[cfg(not(feature = "hydrate"))]
pub fn local_date(at: chrono::DateTime<chrono::Utc>) -> chrono::NaiveDate {
    at.date_naive()
}

/// Minutes since the device's local midnight (for placing an appointment on a day grid).
#[cfg(feature = "hydrate")]
pub fn local_minutes(at: chrono::DateTime<chrono::Utc>) -> i64 {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(at.timestamp_millis() as f64));
    i64::from(d.get_hours()) * 60 + i64::from(d.get_minutes())
}

#[cfg(not(feature = "hydrate"))]
pub fn local_minutes(at: chrono::DateTime<chrono::Utc>) -> i64 {
    use chrono::Timelike;
    i64::from(at.hour()) * 60 + i64::from(at.minute())
}

/// The instant the device's local day `date` starts.
pub fn local_midnight(date: chrono::NaiveDate) -> chrono::DateTime<chrono::Utc> {
    parse_local_input(&format!("{date}T00:00"))
        .unwrap_or_else(|| date.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bengali_counts_use_bengali_digits() {
        assert_eq!(format_count(2026, Locale::bn), "২০২৬");
        assert_eq!(format_count(-15, Locale::en), "-15");
    }
}
