//! Typed configuration: safe defaults, then environment variables. Loaded once at start-up.

use fieldwork_app::common::TimeZone;
use secrecy::SecretString;
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, Clone)]
pub struct Settings {
    /// `DATABASE_URL`: `sqlite://data/fieldwork.db` (default) or `postgres://…`. It may hold a
    /// password, so `Debug` shows `[REDACTED]`; read it with `expose_secret()`, and print it
    /// only through `main`'s `redact`.
    pub database_url: SecretString,
    /// `FIELDWORK_ADDR`: where to listen (default `127.0.0.1:3000`).
    pub addr: SocketAddr,
    /// `FIELDWORK_SITE_ROOT`: the built wasm, JS, CSS and public assets (default `target/site`).
    pub site_root: PathBuf,
    /// `FIELDWORK_SECURE_COOKIES`: mark cookies `Secure` (set `true` behind HTTPS). Default false.
    pub secure_cookies: bool,
    /// `FIELDWORK_SESSION_DAYS`: how long a session lasts without use (default 30).
    pub session_days: i64,
    /// `FIELDWORK_LOGIN_MAX_FAILURES`: failed sign-ins per account or address within
    /// 15 minutes before further attempts get 429 (default 5).
    pub login_max_failures: i64,
    /// `FIELDWORK_TILE_URL`: a `{z}/{x}/{y}` raster tile URL template (`https://…`) drawn under
    /// the map. Default none: the map draws territories and points on a plain background.
    pub tile_url: Option<String>,
    /// `FIELDWORK_TILE_ATTRIBUTION`: the credit line the tile provider asks for.
    pub tile_attribution: Option<String>,
    /// `FIELDWORK_PUBLIC_URL`: the address users reach the app at (`https://crm.example.com`),
    /// used in links that leave the app, such as calendar feed URLs. Default: taken from the
    /// request's `Host` header.
    pub public_url: Option<String>,
    /// `FIELDWORK_TIME_ZONE`: the organisation's time zone, an IANA name (default `Asia/Dhaka`):
    /// a user created without a zone of their own is given it.
    pub time_zone: TimeZone,
    /// `FIELDWORK_VISIT_OUTCOMES`: the outcomes a rep picks from at check-out, comma-separated.
    /// Default: Interested, Order taken, Not interested, Not at home, Call back later, Showing done.
    pub visit_outcomes: Vec<String>,
    /// `FIELDWORK_PHOTO_DIR`: where listing photos (originals and resized copies) are kept
    /// (default `data/photos`).
    pub photo_dir: PathBuf,
    /// `FIELDWORK_PHOTO_MAX_MB`: the largest photo accepted, in megabytes (default 15).
    pub photo_max_bytes: usize,
    /// `FIELDWORK_SMTP_URL`: send email over SMTP, e.g. `smtps://user:password@smtp.example.com`
    /// (TLS) or `smtp://user:password@smtp.example.com:587?tls=required` (STARTTLS). Default none:
    /// every email is written as an `.eml` file into `FIELDWORK_MAIL_DIR` and nothing leaves the machine.
    /// Held as a secret like `database_url`: it usually holds the SMTP password.
    pub smtp_url: Option<SecretString>,
    /// `FIELDWORK_MAIL_DIR`: where the file mailer writes (default `data/outbox`).
    pub mail_dir: PathBuf,
    /// `FIELDWORK_MAIL_FROM`: the sender of every email (default `Fieldwork <no-reply@fieldwork.invalid>`).
    pub mail_from: String,
    /// `FIELDWORK_JOBS_INTERVAL_MS`: how often the background worker looks for due reminders,
    /// agendas and emails (default 5000). `0` turns the worker off (tests drive it by hand).
    pub jobs_interval_ms: u64,
    /// `FIELDWORK_FORM_RATE`: submissions one address may post to one public form per minute
    /// (default 10); more get 429.
    pub form_rate_per_minute: u32,
    /// `FIELDWORK_CAMPAIGN_RATE`: campaign emails sent per minute at most (default 120); a
    /// campaign's emails are spread out at this pace.
    pub campaign_rate_per_minute: u32,
}

impl Settings {
    pub fn from_env() -> Result<Settings, String> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let addr = var("FIELDWORK_ADDR").unwrap_or_else(|| "127.0.0.1:3000".into());
        Ok(Settings {
            database_url: var("DATABASE_URL").unwrap_or_else(|| "sqlite://data/fieldwork.db".into()).into(),
            addr: addr.parse().map_err(|_| format!("FIELDWORK_ADDR: {addr:?} is not host:port"))?,
            site_root: var("FIELDWORK_SITE_ROOT").unwrap_or_else(|| "target/site".into()).into(),
            secure_cookies: var("FIELDWORK_SECURE_COOKIES").is_some_and(|v| v == "true" || v == "1"),
            session_days: parse_num(var("FIELDWORK_SESSION_DAYS"), 30, "FIELDWORK_SESSION_DAYS")?,
            login_max_failures: parse_num(var("FIELDWORK_LOGIN_MAX_FAILURES"), 5, "FIELDWORK_LOGIN_MAX_FAILURES")?,
            tile_url: var("FIELDWORK_TILE_URL").map(parse_tile_url).transpose()?,
            tile_attribution: var("FIELDWORK_TILE_ATTRIBUTION"),
            public_url: var("FIELDWORK_PUBLIC_URL").map(|u| u.trim_end_matches('/').to_string()),
            time_zone: parse_zone(var("FIELDWORK_TIME_ZONE"))?,
            visit_outcomes: var("FIELDWORK_VISIT_OUTCOMES").map_or_else(default_outcomes, |v| parse_list(&v)),
            photo_dir: var("FIELDWORK_PHOTO_DIR").unwrap_or_else(|| "data/photos".into()).into(),
            photo_max_bytes: usize::try_from(parse_num(var("FIELDWORK_PHOTO_MAX_MB"), 15, "FIELDWORK_PHOTO_MAX_MB")?)
                .map_err(|_| "FIELDWORK_PHOTO_MAX_MB must be positive".to_string())?
                * 1024
                * 1024,
            smtp_url: var("FIELDWORK_SMTP_URL").map(check_smtp_url).transpose()?.map(SecretString::from),
            mail_dir: var("FIELDWORK_MAIL_DIR").unwrap_or_else(|| "data/outbox".into()).into(),
            mail_from: var("FIELDWORK_MAIL_FROM").unwrap_or_else(default_from),
            jobs_interval_ms: u64::try_from(parse_num(
                var("FIELDWORK_JOBS_INTERVAL_MS"),
                5000,
                "FIELDWORK_JOBS_INTERVAL_MS",
            )?)
            .map_err(|_| "FIELDWORK_JOBS_INTERVAL_MS must not be negative".to_string())?,
            form_rate_per_minute: u32::try_from(parse_num(var("FIELDWORK_FORM_RATE"), 10, "FIELDWORK_FORM_RATE")?)
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| "FIELDWORK_FORM_RATE must be a positive number".to_string())?,
            campaign_rate_per_minute: u32::try_from(parse_num(
                var("FIELDWORK_CAMPAIGN_RATE"),
                120,
                "FIELDWORK_CAMPAIGN_RATE",
            )?)
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| "FIELDWORK_CAMPAIGN_RATE must be a positive number".to_string())?,
        })
    }

    /// The address links in emails start with: `FIELDWORK_PUBLIC_URL`, else the listening address.
    pub fn link_base(&self) -> String {
        self.public_url.clone().unwrap_or_else(|| format!("http://{}", self.addr))
    }

    /// Settings for tests: a given database, an ephemeral port, defaults otherwise.
    pub fn for_tests(database_url: &str) -> Settings {
        Settings {
            database_url: database_url.into(),
            addr: "127.0.0.1:0".parse().expect("valid address"),
            site_root: "target/site".into(),
            secure_cookies: false,
            session_days: 30,
            login_max_failures: 5,
            tile_url: None,
            tile_attribution: None,
            public_url: None,
            time_zone: parse_zone(None).expect("the default zone is in the tz database"),
            visit_outcomes: default_outcomes(),
            photo_dir: std::env::temp_dir().join(format!("fieldwork-test-photos-{}", uuid::Uuid::now_v7())),
            photo_max_bytes: 15 * 1024 * 1024,
            smtp_url: None,
            mail_dir: std::env::temp_dir().join(format!("fieldwork-test-mail-{}", uuid::Uuid::now_v7())),
            mail_from: default_from(),
            jobs_interval_ms: 0,
            form_rate_per_minute: 10,
            campaign_rate_per_minute: 120,
        }
    }
}

/// An SMTP URL lettre can use (checked at start-up, not at the first email).
fn check_smtp_url(url: String) -> Result<String, String> {
    lettre::AsyncSmtpTransport::<lettre::Tokio1Executor>::from_url(&url)
        .map(|_| url)
        .map_err(|e| format!("FIELDWORK_SMTP_URL is not a usable SMTP URL: {e}"))
}

fn default_from() -> String {
    "Fieldwork <no-reply@fieldwork.invalid>".into()
}

fn default_outcomes() -> Vec<String> {
    fieldwork_app::visits::DEFAULT_OUTCOMES.iter().map(std::string::ToString::to_string).collect()
}

/// A comma-separated list, trimmed, empty items dropped.
fn parse_list(raw: &str) -> Vec<String> {
    raw.split(',').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect()
}

/// A tile URL template must be an http(s) address with `{z}`, `{x}` and `{y}` in it.
fn parse_tile_url(raw: String) -> Result<String, String> {
    let ok = (raw.starts_with("https://") || raw.starts_with("http://"))
        && ["{z}", "{x}", "{y}"].iter().all(|part| raw.contains(part));
    if ok {
        Ok(raw)
    } else {
        Err(format!("FIELDWORK_TILE_URL: {raw:?} is not an http(s) URL with {{z}}, {{x}} and {{y}}"))
    }
}

fn parse_zone(value: Option<String>) -> Result<TimeZone, String> {
    let name = value.unwrap_or_else(|| "Asia/Dhaka".into());
    TimeZone::parse(&name)
        .map_err(|_| format!("FIELDWORK_TIME_ZONE: {name:?} is not an IANA time zone such as Asia/Dhaka"))
}

fn parse_num(value: Option<String>, default: i64, name: &str) -> Result<i64, String> {
    value.map_or(Ok(default), |v| v.parse().map_err(|_| format!("{name}: {v:?} is not a number")))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_tile_url_needs_a_scheme_and_all_three_placeholders() {
        assert!(super::parse_tile_url("https://tile.example.org/{z}/{x}/{y}.png".into()).is_ok());
        assert!(super::parse_tile_url("tile.example.org/{z}/{x}/{y}.png".into()).is_err());
        assert!(super::parse_tile_url("https://tile.example.org/{z}/{x}.png".into()).unwrap_err().contains("{y}"));
    }

    #[test]
    fn the_organisations_zone_must_be_a_real_one() {
        assert_eq!(super::parse_zone(None).unwrap().as_str(), "Asia/Dhaka");
        assert_eq!(super::parse_zone(Some("Europe/London".into())).unwrap().as_str(), "Europe/London");
        assert!(super::parse_zone(Some("Mars/Olympus".into())).unwrap_err().contains("FIELDWORK_TIME_ZONE"));
    }

    #[test]
    fn settings_never_print_the_passwords_in_their_urls() {
        let mut settings = super::Settings::for_tests("postgres://app:db-hunter2@db.internal/crm");
        settings.smtp_url = Some("smtps://mailer:smtp-hunter2@smtp.example.com".to_string().into());
        let printed = format!("{settings:?} {settings:#?}");
        assert!(!printed.contains("hunter2"), "{printed}");
        assert!(printed.contains("database_url"), "the field is still shown, redacted: {printed}");
    }
}
