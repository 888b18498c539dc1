//! What a client sends to create or change a contact, and the parse that turns it into
//! [`NewContact`] / [`ContactChanges`]. The same parse runs in the browser form and on the server.

use super::{Channel, Consent, ContactKind, Lifecycle};
use crate::common::validation::{optional_text, required_text};
use crate::common::{ContactId, Email, FieldError, FieldErrors, GeoPoint, Phone, TimeZone, UserId};
use serde::{Deserialize, Serialize};

/// The most tags, phones or emails one contact carries.
pub const MAX_ITEMS: usize = 20;
const MAX_TAG: usize = 40;

/// A position on the wire; checked into a [`GeoPoint`] by the parse, so a bad value is a
/// field error on `location`, not a JSON error.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LatLon {
    pub lat: f64,
    pub lon: f64,
}

/// `POST /api/v1/contacts`. Only `name` is required; a new contact is a `person` and a `lead`
/// unless told otherwise, and is owned by its creator unless `owner_id` says who.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ContactForCreate {
    /// Optional client-generated `UUIDv7` (a phone creates records offline).
    #[serde(default)]
    pub id: Option<ContactId>,
    #[serde(default)]
    pub kind: Option<String>,
    pub name: String,
    #[serde(default)]
    pub company_id: Option<ContactId>,
    #[serde(default)]
    pub lifecycle: Option<String>,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub phones: Vec<String>,
    #[serde(default)]
    pub emails: Vec<String>,
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub location: Option<LatLon>,
    #[serde(default)]
    pub owner_id: Option<UserId>,
    #[serde(default)]
    pub preferred_channel: Option<String>,
    #[serde(default)]
    pub language: Option<String>,
    #[serde(default)]
    pub time_zone: Option<String>,
    #[serde(default)]
    pub consent: Option<Consent>,
    #[serde(default)]
    pub notes: Option<String>,
    /// Values of the business's own fields, by key (checked against their definitions).
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub custom: serde_json::Map<String, serde_json::Value>,
}

/// A [`ContactForCreate`] whose every field parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct NewContact {
    pub id: ContactId,
    pub kind: ContactKind,
    pub name: String,
    pub company_id: Option<ContactId>,
    pub lifecycle: Lifecycle,
    pub source: Option<String>,
    pub tags: Vec<String>,
    pub phones: Vec<Phone>,
    pub emails: Vec<Email>,
    pub address: Option<String>,
    pub location: Option<GeoPoint>,
    pub owner_id: Option<UserId>,
    pub preferred_channel: Option<Channel>,
    pub language: Option<String>,
    pub time_zone: Option<TimeZone>,
    pub consent: Consent,
    pub notes: Option<String>,
    /// As sent: only the server knows every definition to check them against.
    pub custom: serde_json::Map<String, serde_json::Value>,
}

impl NewContact {
    /// The contact as this device shows it before the server has it (no territory yet: the
    /// server places it; version 0).
    pub fn to_local(&self, owner: Option<UserId>, now: chrono::DateTime<chrono::Utc>) -> super::Contact {
        super::Contact {
            id: self.id,
            kind: self.kind,
            name: self.name.clone(),
            company_id: self.company_id,
            company_name: None,
            lifecycle: self.lifecycle,
            source: self.source.clone(),
            tags: self.tags.clone(),
            phones: self.phones.clone(),
            emails: self.emails.clone(),
            address: self.address.clone(),
            location: self.location,
            territory_id: None,
            owner_id: self.owner_id.or(owner),
            preferred_channel: self.preferred_channel,
            language: self.language.clone(),
            time_zone: self.time_zone.clone(),
            consent: self.consent,
            notes: self.notes.clone(),
            archived: false,
            version: 0,
            created_at: now,
            updated_at: now,
            last_activity_at: None,
            custom: self.custom.clone().into_iter().filter(|(_, v)| !v.is_null()).collect(),
        }
    }
}

impl ContactForCreate {
    /// A lead taken in the field: a person with a name and, when given, one phone number.
    pub fn lead(name: &str, phone: &str) -> ContactForCreate {
        let phone = phone.trim();
        ContactForCreate {
            id: Some(ContactId::new()),
            name: name.to_string(),
            phones: if phone.is_empty() { vec![] } else { vec![phone.to_string()] },
            ..Default::default()
        }
    }

    pub fn validate(&self) -> Result<NewContact, FieldErrors> {
        let mut e = FieldErrors::new();
        let kind = e.check("kind", self.kind.as_deref().map_or(Ok(ContactKind::Person), ContactKind::parse));
        let name = e.check("name", required_text(&self.name, 200));
        let lifecycle = e.check("lifecycle", self.lifecycle.as_deref().map_or(Ok(Lifecycle::Lead), parse_lifecycle));
        let common = Common::parse(
            &mut e,
            &CommonInput {
                source: self.source.as_deref(),
                tags: Some(&self.tags),
                phones: Some(&self.phones),
                emails: Some(&self.emails),
                address: self.address.as_deref(),
                location: self.location,
                preferred_channel: self.preferred_channel.as_deref(),
                language: self.language.as_deref(),
                time_zone: self.time_zone.as_deref(),
                notes: self.notes.as_deref(),
            },
        );
        e.into_result(|| NewContact {
            id: self.id.unwrap_or_default(),
            kind: kind.unwrap(),
            name: name.unwrap(),
            company_id: self.company_id,
            lifecycle: lifecycle.unwrap(),
            source: common.source.flatten(),
            tags: common.tags.unwrap_or_default(),
            phones: common.phones.unwrap_or_default(),
            emails: common.emails.unwrap_or_default(),
            address: common.address.flatten(),
            location: common.location.flatten(),
            owner_id: self.owner_id,
            preferred_channel: common.preferred_channel.flatten(),
            language: common.language.flatten(),
            time_zone: common.time_zone.flatten(),
            consent: self.consent.unwrap_or(Consent { email: false, sms: false, calls: true }),
            notes: common.notes.flatten(),
            custom: self.custom.clone(),
        })
    }
}

/// `PATCH /api/v1/contacts/{id}`: absent fields stay as they are; `null` clears a field that
/// may be empty. `base_version`, when sent, must equal the stored version (else 409).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ContactForUpdate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_version: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, with = "crate::common::double_option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub company_id: Option<Option<ContactId>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lifecycle: Option<String>,
    #[serde(default, with = "crate::common::double_option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub source: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phones: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub emails: Option<Vec<String>>,
    #[serde(default, with = "crate::common::double_option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub address: Option<Option<String>>,
    #[serde(default, with = "crate::common::double_option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<LatLon>))]
    pub location: Option<Option<LatLon>>,
    #[serde(default, with = "crate::common::double_option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub owner_id: Option<Option<UserId>>,
    #[serde(default, with = "crate::common::double_option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub preferred_channel: Option<Option<String>>,
    #[serde(default, with = "crate::common::double_option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub language: Option<Option<String>>,
    #[serde(default, with = "crate::common::double_option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub time_zone: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent: Option<Consent>,
    #[serde(default, with = "crate::common::double_option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub notes: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archived: Option<bool>,
    /// The custom values to change, by key (`null` clears one); keys left out stay as they are.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<Object>))]
    pub custom: Option<serde_json::Map<String, serde_json::Value>>,
}

/// A [`ContactForUpdate`] whose present fields parsed. `Some(None)` clears a field.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ContactChanges {
    pub base_version: Option<i64>,
    pub kind: Option<ContactKind>,
    pub name: Option<String>,
    pub company_id: Option<Option<ContactId>>,
    pub lifecycle: Option<Lifecycle>,
    pub source: Option<Option<String>>,
    pub tags: Option<Vec<String>>,
    pub phones: Option<Vec<Phone>>,
    pub emails: Option<Vec<Email>>,
    pub address: Option<Option<String>>,
    pub location: Option<Option<GeoPoint>>,
    pub owner_id: Option<Option<UserId>>,
    pub preferred_channel: Option<Option<Channel>>,
    pub language: Option<Option<String>>,
    pub time_zone: Option<Option<TimeZone>>,
    pub consent: Option<Consent>,
    pub notes: Option<Option<String>>,
    pub archived: Option<bool>,
    pub custom: Option<serde_json::Map<String, serde_json::Value>>,
}

impl ContactForUpdate {
    pub fn validate(&self) -> Result<ContactChanges, FieldErrors> {
        let mut e = FieldErrors::new();
        let kind = self.kind.as_deref().and_then(|v| e.check("kind", ContactKind::parse(v)));
        let name = self.name.as_deref().and_then(|v| e.check("name", required_text(v, 200)));
        let lifecycle = self.lifecycle.as_deref().and_then(|v| e.check("lifecycle", parse_lifecycle(v)));
        let common = Common::parse(
            &mut e,
            &CommonInput {
                source: flat(self.source.as_ref()),
                tags: self.tags.as_deref(),
                phones: self.phones.as_deref(),
                emails: self.emails.as_deref(),
                address: flat(self.address.as_ref()),
                location: None,
                preferred_channel: flat(self.preferred_channel.as_ref()),
                language: flat(self.language.as_ref()),
                time_zone: flat(self.time_zone.as_ref()),
                notes: flat(self.notes.as_ref()),
            },
        );
        let location = self.location.map(|loc| loc.and_then(|p| e.check("location", GeoPoint::new(p.lat, p.lon))));
        e.into_result(|| ContactChanges {
            base_version: self.base_version,
            kind,
            name,
            company_id: self.company_id,
            lifecycle,
            source: common.source,
            tags: common.tags,
            phones: common.phones,
            emails: common.emails,
            address: common.address,
            location,
            owner_id: self.owner_id,
            preferred_channel: common.preferred_channel,
            language: common.language,
            time_zone: common.time_zone,
            consent: self.consent,
            notes: common.notes,
            archived: self.archived,
            custom: self.custom.clone(),
        })
    }
}

/// A PATCH text field as the shared parse takes it: absent → None, null → blank.
fn flat(v: Option<&Option<String>>) -> Option<&str> {
    v.as_ref().map(|inner| inner.as_deref().unwrap_or(""))
}

fn parse_lifecycle(raw: &str) -> Result<Lifecycle, FieldError> {
    Lifecycle::parse(raw.trim()).ok_or(FieldError::NotAllowed)
}

/// The fields create and update share; `None` = absent, `Some(None)` = empty.
struct CommonInput<'a> {
    source: Option<&'a str>,
    tags: Option<&'a [String]>,
    phones: Option<&'a [String]>,
    emails: Option<&'a [String]>,
    address: Option<&'a str>,
    location: Option<LatLon>,
    preferred_channel: Option<&'a str>,
    language: Option<&'a str>,
    time_zone: Option<&'a str>,
    notes: Option<&'a str>,
}

#[derive(Default)]
struct Common {
    source: Option<Option<String>>,
    tags: Option<Vec<String>>,
    phones: Option<Vec<Phone>>,
    emails: Option<Vec<Email>>,
    address: Option<Option<String>>,
    location: Option<Option<GeoPoint>>,
    preferred_channel: Option<Option<Channel>>,
    language: Option<Option<String>>,
    time_zone: Option<Option<TimeZone>>,
    notes: Option<Option<String>>,
}

impl Common {
    fn parse(e: &mut FieldErrors, input: &CommonInput<'_>) -> Common {
        let text = |e: &mut FieldErrors, field: &str, v: Option<&str>, max| {
            v.map(|v| e.check(field, optional_text(v, max)).flatten())
        };
        Common {
            source: text(e, "source", input.source, 80),
            tags: input.tags.and_then(|t| e.check("tags", parse_tags(t))),
            phones: input.phones.and_then(|p| parse_list(e, "phones", p, Phone::parse)),
            emails: input.emails.and_then(|m| parse_list(e, "emails", m, Email::parse)),
            address: text(e, "address", input.address, 300),
            location: input.location.map(|p| e.check("location", GeoPoint::new(p.lat, p.lon))),
            preferred_channel: input.preferred_channel.map(|v| {
                if v.trim().is_empty() {
                    None
                } else {
                    e.check("preferred_channel", Channel::parse(v))
                }
            }),
            language: text(e, "language", input.language, 35),
            time_zone: input.time_zone.map(|v| {
                if v.trim().is_empty() {
                    None
                } else {
                    e.check("time_zone", TimeZone::parse(v))
                }
            }),
            notes: text(e, "notes", input.notes, 10_000),
        }
    }
}

/// Segment tags: trimmed, lower-case, without repeats, at most [`MAX_ITEMS`] of 40 characters.
pub fn parse_tags(raw: &[String]) -> Result<Vec<String>, FieldError> {
    let mut tags: Vec<String> = Vec::new();
    for tag in raw {
        let tag = tag.trim().to_lowercase();
        if tag.is_empty() || tags.contains(&tag) {
            continue;
        }
        if tag.chars().count() > MAX_TAG {
            return Err(FieldError::TooLong { max: MAX_TAG });
        }
        tags.push(tag);
    }
    if tags.len() > MAX_ITEMS {
        return Err(FieldError::TooMany { max: MAX_ITEMS });
    }
    Ok(tags)
}

/// Parses each entry (blank ones are skipped), dropping repeats; the first stays primary.
/// An error names the entry: `phones.1`.
fn parse_list<T: PartialEq>(
    e: &mut FieldErrors,
    field: &str,
    raw: &[String],
    parse: impl Fn(&str) -> Result<T, FieldError>,
) -> Option<Vec<T>> {
    let mut items = Vec::new();
    let mut ok = true;
    for (i, value) in raw.iter().enumerate() {
        if value.trim().is_empty() {
            continue;
        }
        match parse(value) {
            Ok(item) if !items.contains(&item) => items.push(item),
            Ok(_) => {}
            Err(err) => {
                e.add(&format!("{field}.{i}"), err);
                ok = false;
            }
        }
    }
    if items.len() > MAX_ITEMS {
        e.add(field, FieldError::TooMany { max: MAX_ITEMS });
        ok = false;
    }
    ok.then_some(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn create(json: &str) -> Result<NewContact, FieldErrors> {
        serde_json::from_str::<ContactForCreate>(json).expect("json").validate()
    }

    #[test]
    fn the_documented_create_shape_parses_with_defaults() {
        let c = create(
            r#"{"kind": "person", "name": " Rahim Uddin ", "phones": ["01711-234567", "+8801711234567"],
               "emails": ["Rahim@Example.com"], "location": {"lat": 23.78, "lon": 90.41}, "tags": ["VIP", "vip", " buyer "]}"#,
        )
        .unwrap();
        assert_eq!(c.name, "Rahim Uddin");
        assert_eq!(c.lifecycle, Lifecycle::Lead);
        assert_eq!(c.phones.iter().map(Phone::as_str).collect::<Vec<_>>(), ["+8801711234567"]);
        assert_eq!(c.emails[0].as_str(), "rahim@example.com");
        assert_eq!(c.tags, ["vip", "buyer"]);
        assert!(c.consent.calls && !c.consent.email);
    }

    #[test]
    fn each_bad_field_is_named() {
        let e = create(
            r#"{"name": "", "kind": "robot", "phones": ["12", "call me"], "emails": ["x@"],
               "location": {"lat": 123, "lon": 0}, "lifecycle": "vip", "preferred_channel": "fax"}"#,
        )
        .unwrap_err();
        let fields: Vec<&str> = e.0.keys().map(String::as_str).collect();
        assert_eq!(
            fields,
            ["emails.0", "kind", "lifecycle", "location", "name", "phones.0", "phones.1", "preferred_channel"]
        );
    }

    #[test]
    fn an_update_tells_absent_from_null() {
        let u: ContactForUpdate = serde_json::from_str(r#"{"address": null, "notes": "gate code 42"}"#).unwrap();
        let c = u.validate().unwrap();
        assert_eq!(c.address, Some(None));
        assert_eq!(c.notes, Some(Some("gate code 42".into())));
        assert_eq!(c.name, None);
        assert_eq!(c.source, None);
        let back: ContactForUpdate = serde_json::from_value(serde_json::to_value(&u).unwrap()).unwrap();
        assert_eq!(back, u);
    }

    #[test]
    fn too_many_tags_are_refused() {
        let tags: Vec<String> = (0..=MAX_ITEMS).map(|i| format!("t{i}")).collect();
        assert_eq!(parse_tags(&tags), Err(FieldError::TooMany { max: MAX_ITEMS }));
    }
}
