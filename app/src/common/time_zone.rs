use super::FieldError;
use serde::{Deserialize, Serialize};

/// An IANA time zone name (`Asia/Dhaka`).
///
/// On the server the name is checked against the full tz database (chrono-tz) and the parsed
/// zone is kept ([`TimeZone::tz`]), so server code never parses it again or falls back to a
/// guess. The browser build checks the shape only, to keep the tz database out of the phone's
/// wasm; the server's answer is authoritative and the form shows its field error.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema), schema(value_type = String, example = "Asia/Dhaka"))]
pub struct TimeZone(Zone);

/// What a [`TimeZone`] holds: its name, and on the server the zone itself.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Zone {
    name: String,
    #[cfg(feature = "ssr")]
    tz: chrono_tz::Tz,
}

impl TimeZone {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let v = raw.trim();
        if v.is_empty() {
            return Err(FieldError::Required);
        }
        #[cfg(feature = "ssr")]
        {
            let tz = v.parse::<chrono_tz::Tz>().map_err(|_| FieldError::InvalidTimeZone)?;
            Ok(Self(Zone { name: v.to_string(), tz }))
        }
        #[cfg(not(feature = "ssr"))]
        {
            has_shape(v).then(|| Self(Zone { name: v.to_string() })).ok_or(FieldError::InvalidTimeZone)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0.name
    }

    /// The zone itself, for local dates and times on the server.
    #[cfg(feature = "ssr")]
    pub fn tz(&self) -> chrono_tz::Tz {
        self.0.tz
    }
}

/// The tz database's names that are not `Area/Place`: old aliases the server still accepts.
#[cfg(any(not(feature = "ssr"), test))]
const NAMES_WITHOUT_AREA: [&str; 44] = [
    "CET",
    "CST6CDT",
    "Cuba",
    "EET",
    "EST",
    "EST5EDT",
    "Egypt",
    "Eire",
    "GB",
    "GB-Eire",
    "GMT",
    "GMT+0",
    "GMT-0",
    "GMT0",
    "Greenwich",
    "HST",
    "Hongkong",
    "Iceland",
    "Iran",
    "Israel",
    "Jamaica",
    "Japan",
    "Kwajalein",
    "Libya",
    "MET",
    "MST",
    "MST7MDT",
    "NZ",
    "NZ-CHAT",
    "Navajo",
    "PRC",
    "PST8PDT",
    "Poland",
    "Portugal",
    "ROC",
    "ROK",
    "Singapore",
    "Turkey",
    "UCT",
    "UTC",
    "Universal",
    "W-SU",
    "WET",
    "Zulu",
];

/// What the browser checks: `Area/Place` in the characters zone names use, or one of
/// [`NAMES_WITHOUT_AREA`]. Every name the server accepts has this shape (see the tests), so a
/// zone the server sends is never refused by the browser, whose decode goes through here too.
#[cfg(any(not(feature = "ssr"), test))]
fn has_shape(v: &str) -> bool {
    (v.contains('/') && v.chars().all(|c| c.is_ascii_alphanumeric() || "/_-+".contains(c)))
        || NAMES_WITHOUT_AREA.contains(&v)
}

impl TryFrom<String> for TimeZone {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Self::parse(&s).map_err(|e| e.message())
    }
}

impl From<TimeZone> for String {
    fn from(v: TimeZone) -> String {
        v.0.name
    }
}

impl std::fmt::Display for TimeZone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iana_names_parse_and_nonsense_does_not() {
        assert!(TimeZone::parse("Asia/Dhaka").is_ok());
        assert!(TimeZone::parse("Europe/London").is_ok());
        assert_eq!(TimeZone::parse(""), Err(FieldError::Required));
        assert_eq!(TimeZone::parse("not a zone"), Err(FieldError::InvalidTimeZone));
        assert_eq!(TimeZone::parse("Dhaka"), Err(FieldError::InvalidTimeZone));
    }

    #[test]
    fn json_holds_the_name_and_the_old_names_read_back() {
        for name in ["Asia/Dhaka", "America/Argentina/Buenos_Aires", "Etc/GMT+6", "GMT", "Japan", "UTC"] {
            let json = format!("\"{name}\"");
            let zone: TimeZone = serde_json::from_str(&json).expect(name);
            assert_eq!(serde_json::to_string(&zone).unwrap(), json);
        }
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn every_zone_the_server_accepts_has_the_shape_the_browser_checks() {
        for tz in chrono_tz::TZ_VARIANTS {
            assert!(has_shape(tz.name()), "{}", tz.name());
        }
        for name in NAMES_WITHOUT_AREA {
            assert!(TimeZone::parse(name).is_ok(), "{name}");
        }
        assert!(!has_shape("Dhaka") && !has_shape("Asia Dhaka"));
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn the_server_keeps_the_parsed_zone() {
        assert_eq!(TimeZone::parse(" Europe/London ").unwrap().tz(), chrono_tz::Europe::London);
    }
}
