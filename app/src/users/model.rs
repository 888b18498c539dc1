//! Users, roles, and the signed-in user's profile.

use crate::common::validation::required_text;
use crate::common::{Email, FieldError, FieldErrors, TimeZone, UserId};
use serde::{Deserialize, Serialize};

/// What a user may do. Scope (which records) follows from the role: see `server/src/scope.rs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum Role {
    Admin,
    Manager,
    Office,
    Rep,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Admin, Role::Manager, Role::Office, Role::Rep];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Manager => "manager",
            Role::Office => "office",
            Role::Rep => "rep",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        Self::ALL.into_iter().find(|r| r.as_str() == raw.trim()).ok_or(FieldError::NotAllowed)
    }

    /// Users, settings, API keys and forms.
    pub fn can_administer(self) -> bool {
        self == Role::Admin
    }

    /// Sees every record, not only a team's or a territory's.
    pub fn sees_everything(self) -> bool {
        matches!(self, Role::Admin | Role::Office)
    }
}

/// The interface language. Every user-visible string exists in each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum Language {
    #[default]
    En,
    Bn,
}

impl Language {
    pub fn as_str(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Bn => "bn",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        match raw.trim() {
            "en" => Ok(Language::En),
            "bn" => Ok(Language::Bn),
            _ => Err(FieldError::NotAllowed),
        }
    }
}

/// A user as the API shows it. The password hash never leaves the server's row type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct User {
    pub id: UserId,
    pub email: Email,
    pub name: String,
    pub role: Role,
    pub manager_id: Option<UserId>,
    pub language: Language,
    pub time_zone: TimeZone,
    pub active: bool,
    pub version: i64,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// `POST /api/v1/users` (admin).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct UserForCreate {
    pub email: String,
    pub name: String,
    pub role: String,
    #[serde(default)]
    pub manager_id: Option<UserId>,
    #[serde(default)]
    pub language: Option<Language>,
    #[serde(default)]
    pub time_zone: Option<String>,
    pub password: String,
}

/// A [`UserForCreate`] whose every field parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct NewUser {
    pub email: Email,
    pub name: String,
    pub role: Role,
    pub manager_id: Option<UserId>,
    pub language: Language,
    /// `None`: the organisation's zone (the server's `FIELDWORK_TIME_ZONE`).
    pub time_zone: Option<TimeZone>,
    pub password: Password,
}

impl UserForCreate {
    pub fn validate(&self) -> Result<NewUser, FieldErrors> {
        let mut e = FieldErrors::new();
        let email = e.check("email", Email::parse(&self.email));
        let name = e.check("name", required_text(&self.name, 120));
        let role = e.check("role", Role::parse(&self.role));
        let time_zone =
            self.time_zone.as_deref().map_or(Some(None), |z| e.check("time_zone", TimeZone::parse(z)).map(Some));
        let password = e.check("password", Password::parse(&self.password));
        e.into_result(|| NewUser {
            email: email.unwrap(),
            name: name.unwrap(),
            role: role.unwrap(),
            manager_id: self.manager_id,
            language: self.language.unwrap_or_default(),
            time_zone: time_zone.unwrap(),
            password: password.unwrap(),
        })
    }
}

/// `PATCH /api/v1/users/{id}` (admin) and `PATCH /api/v1/me` (own profile: name, language,
/// time zone only). Absent fields are left unchanged.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct UserForUpdate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(default, with = "crate::common::double_option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub manager_id: Option<Option<UserId>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<Language>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
}

/// A [`UserForUpdate`] whose present fields parsed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UserChanges {
    pub email: Option<Email>,
    pub name: Option<String>,
    pub role: Option<Role>,
    pub manager_id: Option<Option<UserId>>,
    pub language: Option<Language>,
    pub time_zone: Option<TimeZone>,
    pub active: Option<bool>,
}

impl UserForUpdate {
    pub fn validate(&self) -> Result<UserChanges, FieldErrors> {
        let mut e = FieldErrors::new();
        let changes = UserChanges {
            email: self.email.as_deref().and_then(|v| e.check("email", Email::parse(v))),
            name: self.name.as_deref().and_then(|v| e.check("name", required_text(v, 120))),
            role: self.role.as_deref().and_then(|v| e.check("role", Role::parse(v))),
            manager_id: self.manager_id,
            language: self.language,
            time_zone: self.time_zone.as_deref().and_then(|v| e.check("time_zone", TimeZone::parse(v))),
            active: self.active,
        };
        e.into_result(|| changes)
    }

    /// True when only the fields a user may change on their own profile are present.
    pub fn is_profile_only(&self) -> bool {
        self.email.is_none() && self.role.is_none() && self.manager_id.is_none() && self.active.is_none()
    }
}

/// A password that meets the policy: 10 to 128 characters, not all one character.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    pub const MIN_LEN: usize = 10;

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let n = raw.chars().count();
        if n == 0 {
            Err(FieldError::Required)
        } else if n < Self::MIN_LEN {
            Err(FieldError::TooShort { min: Self::MIN_LEN })
        } else if n > 128 {
            Err(FieldError::TooLong { max: 128 })
        } else if raw.chars().all(|c| raw.starts_with(c)) {
            Err(FieldError::NotAllowed)
        } else {
            Ok(Self(raw.to_string()))
        }
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(…)")
    }
}

/// `POST /api/v1/users/{id}/password` (admin reset).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PasswordReset {
    pub password: String,
}

/// `POST /api/v1/me/password`: change your own password.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PasswordChange {
    pub current_password: String,
    pub new_password: String,
}

/// `POST /api/v1/auth/login`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

/// Why the sign-in page's form was refused, as the server writes it into the page's address
/// (`/login?error=wrong`) for a browser that posted the form without the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginRefusal {
    /// No such active user, or the wrong password (which of the two is not said).
    Wrong,
    /// Too many failed attempts for the account or the address.
    Throttled,
}

impl LoginRefusal {
    pub fn as_str(self) -> &'static str {
        match self {
            LoginRefusal::Wrong => "wrong",
            LoginRefusal::Throttled => "throttled",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [LoginRefusal::Wrong, LoginRefusal::Throttled].into_iter().find(|r| r.as_str() == s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> UserForCreate {
        UserForCreate {
            email: "Rep@Example.com".into(),
            name: "Karim Hossain".into(),
            role: "rep".into(),
            password: "correct horse battery".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_valid_user_parses_with_defaults() {
        let u = valid().validate().unwrap();
        assert_eq!(u.email.as_str(), "rep@example.com");
        assert_eq!(u.role, Role::Rep);
        assert_eq!(u.language, Language::En);
        assert_eq!(u.time_zone, None, "the organisation's zone, chosen by the server");
    }

    #[test]
    fn every_invalid_field_is_reported_by_name() {
        let bad = UserForCreate {
            email: "x".into(),
            name: " ".into(),
            role: "boss".into(),
            password: "short".into(),
            ..valid()
        };
        let errors = bad.validate().unwrap_err();
        assert_eq!(errors.get("email"), Some(&FieldError::InvalidEmail));
        assert_eq!(errors.get("name"), Some(&FieldError::Required));
        assert_eq!(errors.get("role"), Some(&FieldError::NotAllowed));
        assert_eq!(errors.get("password"), Some(&FieldError::TooShort { min: 10 }));
    }

    #[test]
    fn an_update_serialises_only_the_fields_it_changes() {
        let language_only = UserForUpdate { language: Some(Language::Bn), ..Default::default() };
        let json = serde_json::to_string(&language_only).unwrap();
        assert_eq!(json, r#"{"language":"bn"}"#);
        let back: UserForUpdate = serde_json::from_str(&json).unwrap();
        assert!(back.is_profile_only());
        let clear_manager = UserForUpdate { manager_id: Some(None), ..Default::default() };
        assert_eq!(serde_json::to_string(&clear_manager).unwrap(), r#"{"manager_id":null}"#);
    }

    #[test]
    fn a_language_travels_as_its_code_and_an_unknown_one_is_refused() {
        let create: UserForCreate = serde_json::from_str(
            r#"{"email": "a@b.com", "name": "A", "role": "rep", "password": "x", "language": "bn"}"#,
        )
        .unwrap();
        assert_eq!(create.language, Some(Language::Bn));
        assert_eq!(serde_json::to_value(&create).unwrap()["language"], "bn");
        let update: UserForUpdate = serde_json::from_str(r#"{"language": "en"}"#).unwrap();
        assert_eq!(update.validate().unwrap().language, Some(Language::En));
        assert!(serde_json::from_str::<UserForUpdate>(r#"{"language": "fr"}"#).is_err());
    }

    #[test]
    fn a_patch_distinguishes_absent_from_null() {
        let absent: UserForUpdate = serde_json::from_str("{}").unwrap();
        let null: UserForUpdate = serde_json::from_str(r#"{"manager_id": null}"#).unwrap();
        assert_eq!(absent.manager_id, None);
        assert_eq!(null.manager_id, Some(None));
        assert!(absent.is_profile_only());
        assert!(!null.is_profile_only());
    }

    #[test]
    fn roles_round_trip_and_only_admins_administer() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Ok(r));
            assert_eq!(r.can_administer(), r == Role::Admin);
        }
        assert!(Password::parse("aaaaaaaaaaaa").is_err());
    }
}
