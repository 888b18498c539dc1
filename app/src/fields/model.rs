//! Field definitions: the fields a business adds to its records, what each may hold, and the
//! checks an admin's definition passes before it is stored.

use crate::common::validation::{optional_text, required_text};
use crate::common::{Currency, FieldError, FieldErrors, FieldId};
use crate::contacts::ContactKind;
use serde::{Deserialize, Serialize};

/// Fields one record type may carry (a form longer than this is not filled in the field).
pub const MAX_FIELDS: usize = 50;
/// Choices one field may offer.
pub const MAX_CHOICES: usize = 100;
/// The longest key, label, help text and section name.
pub const MAX_KEY: usize = 40;
pub const MAX_LABEL: usize = 80;
pub const MAX_HELP: usize = 300;
pub const MAX_SECTION: usize = 60;

/// The records a business can add fields to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum RecordType {
    Contact,
    Deal,
    Listing,
    Appointment,
    Visit,
}

impl RecordType {
    pub const ALL: [RecordType; 5] = [Self::Contact, Self::Deal, Self::Listing, Self::Appointment, Self::Visit];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Contact => "contact",
            Self::Deal => "deal",
            Self::Listing => "listing",
            Self::Appointment => "appointment",
            Self::Visit => "visit",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        Self::ALL.into_iter().find(|t| t.as_str() == raw.trim()).ok_or(FieldError::NotAllowed)
    }
}

/// What a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum FieldKind {
    /// One line, up to 200 characters.
    Text,
    /// Several lines, up to 5,000 characters.
    LongText,
    /// A number, with the definition's unit (`sqft`, `kg`) when it has one.
    Number,
    /// Minor units (poisha, cents) of the definition's currency, as every amount in the API.
    Money,
    /// `YYYY-MM-DD`.
    Date,
    /// `true` or `false`.
    YesNo,
    /// One of the definition's choice keys.
    Choice,
    /// Several of the definition's choice keys.
    Choices,
    Phone,
    Email,
    /// An `http://` or `https://` address.
    Url,
    /// The id of a contact, listing or user (the definition's `link_to`).
    Link,
}

impl FieldKind {
    pub const ALL: [FieldKind; 12] = [
        Self::Text,
        Self::LongText,
        Self::Number,
        Self::Money,
        Self::Date,
        Self::YesNo,
        Self::Choice,
        Self::Choices,
        Self::Phone,
        Self::Email,
        Self::Url,
        Self::Link,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::LongText => "long_text",
            Self::Number => "number",
            Self::Money => "money",
            Self::Date => "date",
            Self::YesNo => "yes_no",
            Self::Choice => "choice",
            Self::Choices => "choices",
            Self::Phone => "phone",
            Self::Email => "email",
            Self::Url => "url",
            Self::Link => "link",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        Self::ALL.into_iter().find(|k| k.as_str() == raw.trim()).ok_or(FieldError::NotAllowed)
    }

    pub fn has_choices(self) -> bool {
        matches!(self, Self::Choice | Self::Choices)
    }

    /// Filtered by a range (`min..max`) rather than by equal values.
    pub fn is_ranged(self) -> bool {
        matches!(self, Self::Number | Self::Money | Self::Date)
    }
}

/// What a link field points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum LinkTarget {
    Contact,
    Listing,
    User,
}

/// Who may change a field's value (everyone in scope sees it).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum EditableBy {
    #[default]
    All,
    /// Office staff, managers and admins; reps see the value only.
    OfficeAndUp,
}

/// A label in the app's two languages; Bengali falls back to English when not given.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Label {
    pub en: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bn: Option<String>,
}

impl Label {
    /// The label in `language` (`bn` or anything else for English).
    pub fn in_language(&self, language: &str) -> &str {
        match (&self.bn, language) {
            (Some(bn), "bn") => bn,
            _ => &self.en,
        }
    }
}

/// One answer a choice field offers. Its `key` is what records store, so renaming the label
/// keeps every value; a retired choice is no longer offered but the records that hold it keep it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Choice {
    pub key: String,
    pub label: Label,
    #[serde(default)]
    pub retired: bool,
}

/// When a visit question is asked at check-out: at showings only, for one outcome only, or
/// both; always when neither is set. Visit fields only.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AskWhen {
    /// Only at a showing (a visit to a listing).
    #[serde(default)]
    pub showing: bool,
    /// Only when the check-out's outcome is this one (`Order taken`).
    #[serde(default)]
    pub outcome: Option<String>,
}

impl AskWhen {
    /// Whether a check-out at a showing or not, with `outcome`, asks the question.
    pub fn holds(&self, showing: bool, outcome: &str) -> bool {
        (!self.showing || showing)
            && self.outcome.as_deref().is_none_or(|o| o.trim().eq_ignore_ascii_case(outcome.trim()))
    }
}

/// The questions a visit's check-out asks: the visit fields whose [`AskWhen`] holds for it.
pub fn asked(defs: &[FieldDef], showing: bool, outcome: &str) -> Vec<FieldDef> {
    defs.iter().filter(|d| d.ask_when.as_ref().is_none_or(|w| w.holds(showing, outcome))).cloned().collect()
}

/// A field a business added to one record type (`GET /api/v1/fields`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FieldDef {
    pub id: FieldId,
    pub record_type: RecordType,
    /// Stable: the name of the value in `"custom": {"key": value}`; never changes.
    pub key: String,
    pub label: Label,
    pub kind: FieldKind,
    /// A number's unit, or a money field's ISO 4217 currency.
    pub unit: Option<String>,
    pub link_to: Option<LinkTarget>,
    pub required: bool,
    pub help: Option<String>,
    /// In the order they are offered.
    pub choices: Vec<Choice>,
    /// The heading it is shown under on the record's page ("Details" when none).
    pub section: Option<String>,
    /// Its place among the record type's fields, smallest first.
    pub position: i64,
    pub editable_by: EditableBy,
    /// Visit fields: when check-out asks it (always when none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ask_when: Option<AskWhen>,
    /// Contact fields: asked of people only or of companies only (of both when none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_kind: Option<ContactKind>,
    pub version: i64,
}

impl FieldDef {
    /// The definition as a `PUT` sends it back, at `position`.
    pub fn as_input(&self, position: i64) -> FieldDefInput {
        FieldDefInput {
            record_type: self.record_type.as_str().into(),
            key: self.key.clone(),
            label: self.label.clone(),
            kind: self.kind.as_str().into(),
            unit: self.unit.clone(),
            link_to: self.link_to,
            required: self.required,
            help: self.help.clone(),
            choices: self.choices.clone(),
            section: self.section.clone(),
            position: Some(position),
            editable_by: self.editable_by,
            ask_when: self.ask_when.clone(),
            contact_kind: self.contact_kind,
        }
    }

    /// Whether a contact of `kind` has this field (every other record type has all its fields).
    pub fn applies_to(&self, kind: ContactKind) -> bool {
        self.contact_kind.is_none_or(|k| k == kind)
    }

    /// The choice `key`, retired or not.
    pub fn choice(&self, key: &str) -> Option<&Choice> {
        self.choices.iter().find(|c| c.key == key)
    }
}

/// `POST /api/v1/fields` and `PUT /api/v1/fields/{id}`. A field's `record_type` and `key`
/// are set once; a `PUT` that changes them is refused.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FieldDefInput {
    pub record_type: String,
    pub key: String,
    pub label: Label,
    pub kind: String,
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(default)]
    pub link_to: Option<LinkTarget>,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub help: Option<String>,
    #[serde(default)]
    pub choices: Vec<Choice>,
    #[serde(default)]
    pub section: Option<String>,
    #[serde(default)]
    pub position: Option<i64>,
    #[serde(default)]
    pub editable_by: EditableBy,
    /// Visit fields only: when check-out asks it.
    #[serde(default)]
    pub ask_when: Option<AskWhen>,
    /// Contact fields only: asked of people only or of companies only (of both when none).
    #[serde(default)]
    pub contact_kind: Option<ContactKind>,
}

/// A [`FieldDefInput`] whose every part checked out (the key's uniqueness is the store's).
#[derive(Debug, Clone, PartialEq)]
pub struct NewFieldDef {
    pub record_type: RecordType,
    pub key: String,
    pub label: Label,
    pub kind: FieldKind,
    pub unit: Option<String>,
    pub link_to: Option<LinkTarget>,
    pub required: bool,
    pub help: Option<String>,
    pub choices: Vec<Choice>,
    pub section: Option<String>,
    pub position: Option<i64>,
    pub editable_by: EditableBy,
    pub ask_when: Option<AskWhen>,
    pub contact_kind: Option<ContactKind>,
}

impl NewFieldDef {
    /// The definition as stored under `id` at `position`, at its first version.
    pub fn defined(self, id: FieldId, position: i64) -> FieldDef {
        FieldDef {
            id,
            record_type: self.record_type,
            key: self.key,
            label: self.label,
            kind: self.kind,
            unit: self.unit,
            link_to: self.link_to,
            required: self.required,
            help: self.help,
            choices: self.choices,
            section: self.section,
            position,
            editable_by: self.editable_by,
            ask_when: self.ask_when,
            contact_kind: self.contact_kind,
            version: 1,
        }
    }
}

/// The fields a contact of `kind` has, of a contact type's `defs`.
pub fn for_contact(defs: &[FieldDef], kind: ContactKind) -> Vec<FieldDef> {
    defs.iter().filter(|d| d.applies_to(kind)).cloned().collect()
}

impl FieldDefInput {
    pub fn validate(&self) -> Result<NewFieldDef, FieldErrors> {
        let mut e = FieldErrors::new();
        let record_type = e.check("record_type", RecordType::parse(&self.record_type));
        let key = e.check("key", parse_key(&self.key));
        let label = e.check("label", parse_label(&self.label));
        let kind = e.check("kind", FieldKind::parse(&self.kind));
        let unit = match kind {
            Some(FieldKind::Money) => e
                .check("unit", Currency::parse(self.unit.as_deref().unwrap_or("BDT")))
                .map(|c| Some(c.as_str().to_string())),
            Some(FieldKind::Number) => e.check("unit", optional_text(self.unit.as_deref().unwrap_or(""), 12)),
            _ => Some(None),
        };
        let link_to = match (kind, self.link_to) {
            (Some(FieldKind::Link), None) => {
                e.add("link_to", FieldError::Required);
                None
            }
            (Some(FieldKind::Link), to) => to,
            _ => None,
        };
        let choices = match kind {
            Some(k) if k.has_choices() => e.check("choices", parse_choices(&self.choices)),
            _ => Some(vec![]),
        };
        let help = e.check("help", optional_text(self.help.as_deref().unwrap_or(""), MAX_HELP));
        let section = e.check("section", optional_text(self.section.as_deref().unwrap_or(""), MAX_SECTION));
        let ask_when = match (&self.ask_when, record_type) {
            (Some(w), Some(RecordType::Visit)) => {
                let outcome = e.check("ask_when", optional_text(w.outcome.as_deref().unwrap_or(""), 60));
                Some(AskWhen { showing: w.showing, outcome: outcome.flatten() })
                    .filter(|w| w.showing || w.outcome.is_some())
            }
            (Some(w), _) if w.showing || w.outcome.is_some() => {
                e.add("ask_when", FieldError::Invalid { reason: "only visit fields are asked at check-out".into() });
                None
            }
            _ => None,
        };
        let contact_kind = match (self.contact_kind, record_type) {
            (Some(kind), Some(RecordType::Contact)) => Some(kind),
            (Some(_), _) => {
                e.add(
                    "contact_kind",
                    FieldError::Invalid { reason: "only contact fields are for people or companies only".into() },
                );
                None
            }
            (None, _) => None,
        };
        e.into_result(|| NewFieldDef {
            record_type: record_type.unwrap(),
            key: key.unwrap(),
            label: label.unwrap(),
            kind: kind.unwrap(),
            unit: unit.unwrap(),
            link_to,
            required: self.required,
            help: help.unwrap(),
            choices: choices.unwrap(),
            section: section.unwrap(),
            position: self.position,
            editable_by: self.editable_by,
            ask_when,
            contact_kind,
        })
    }
}

impl From<&FieldDef> for FieldDefInput {
    fn from(d: &FieldDef) -> FieldDefInput {
        FieldDefInput {
            record_type: d.record_type.as_str().into(),
            key: d.key.clone(),
            label: d.label.clone(),
            kind: d.kind.as_str().into(),
            unit: d.unit.clone(),
            link_to: d.link_to,
            required: d.required,
            help: d.help.clone(),
            choices: d.choices.clone(),
            section: d.section.clone(),
            position: Some(d.position),
            editable_by: d.editable_by,
            ask_when: d.ask_when.clone(),
            contact_kind: d.contact_kind,
        }
    }
}

/// A key: a lower-case letter, then letters, digits or `_` (`budget`, `nid_verified`).
pub fn parse_key(raw: &str) -> Result<String, FieldError> {
    let key = raw.trim();
    let mut chars = key.chars();
    let Some(first) = chars.next() else { return Err(FieldError::Required) };
    if key.len() > MAX_KEY {
        return Err(FieldError::TooLong { max: MAX_KEY });
    }
    if first.is_ascii_lowercase() && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') {
        Ok(key.to_string())
    } else {
        Err(FieldError::Invalid {
            reason: "must start with a lower-case letter and hold only a–z, 0–9 and _".into()
        })
    }
}

fn parse_label(label: &Label) -> Result<Label, FieldError> {
    Ok(Label {
        en: required_text(&label.en, MAX_LABEL)?,
        bn: optional_text(label.bn.as_deref().unwrap_or(""), MAX_LABEL)?,
    })
}

fn parse_choices(choices: &[Choice]) -> Result<Vec<Choice>, FieldError> {
    if choices.iter().all(|c| c.retired) {
        return Err(FieldError::Invalid { reason: "offer at least one choice".into() });
    }
    if choices.len() > MAX_CHOICES {
        return Err(FieldError::TooMany { max: MAX_CHOICES });
    }
    let mut parsed: Vec<Choice> = Vec::with_capacity(choices.len());
    for choice in choices {
        let key = parse_key(&choice.key)
            .map_err(|e| FieldError::Invalid { reason: format!("choice {:?}: key {}", choice.key, e.message()) })?;
        let label = parse_label(&choice.label)
            .map_err(|e| FieldError::Invalid { reason: format!("choice {key:?}: label {}", e.message()) })?;
        if parsed.iter().any(|c| c.key == key) {
            return Err(FieldError::Invalid { reason: format!("choice {key:?} is listed twice") });
        }
        parsed.push(Choice { key, label, retired: choice.retired });
    }
    Ok(parsed)
}

/// Why an edit to a definition is refused, beyond its own checks: what was set once changed,
/// or a choice that records hold was dropped rather than retired.
pub fn check_edit(before: &FieldDef, after: &NewFieldDef) -> Result<(), FieldErrors> {
    let mut e = FieldErrors::new();
    if after.record_type != before.record_type {
        e.add("record_type", FieldError::Invalid { reason: "is set once; add a new field instead".into() });
    }
    if after.key != before.key {
        e.add("key", FieldError::Invalid { reason: "is set once; add a new field instead".into() });
    }
    if after.kind.has_choices() {
        let dropped: Vec<&str> = before
            .choices
            .iter()
            .filter(|c| after.choices.iter().all(|a| a.key != c.key))
            .map(|c| c.key.as_str())
            .collect();
        if !dropped.is_empty() && before.kind.has_choices() {
            e.add(
                "choices",
                FieldError::Invalid {
                    reason: format!("retire a choice rather than remove it (removed: {})", dropped.join(", ")),
                },
            );
        }
    }
    e.into_result(|| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(kind: &str) -> FieldDefInput {
        FieldDefInput {
            record_type: "contact".into(),
            key: "preferred_area".into(),
            label: Label { en: "Preferred area".into(), bn: Some("পছন্দের এলাকা".into()) },
            kind: kind.into(),
            choices: vec![
                Choice { key: "gulshan".into(), label: Label { en: "Gulshan".into(), bn: None }, retired: false },
                Choice { key: "banani".into(), label: Label { en: "Banani".into(), bn: None }, retired: false },
            ],
            ..Default::default()
        }
    }

    #[test]
    fn a_definition_parses_and_names_each_bad_part() {
        let def = input("choices").validate().unwrap();
        assert_eq!((def.kind, def.choices.len()), (FieldKind::Choices, 2));
        let bad = FieldDefInput {
            record_type: "invoice".into(),
            key: "Budget BDT".into(),
            label: Label { en: "  ".into(), bn: None },
            kind: "colour".into(),
            ..Default::default()
        };
        let e = bad.validate().unwrap_err();
        assert_eq!(e.0.keys().map(String::as_str).collect::<Vec<_>>(), ["key", "kind", "label", "record_type"]);
    }

    #[test]
    fn choices_must_be_offered_once_each_and_money_has_a_currency() {
        let mut twice = input("choice");
        twice.choices[1].key = "gulshan".into();
        assert!(matches!(twice.validate().unwrap_err().get("choices"), Some(FieldError::Invalid { .. })));
        let mut none = input("choice");
        none.choices.clear();
        assert!(none.validate().unwrap_err().get("choices").is_some());
        let money = FieldDefInput { key: "budget".into(), ..input("money") }.validate().unwrap();
        assert_eq!((money.unit.as_deref(), money.choices.len()), (Some("BDT"), 0));
        let bad = FieldDefInput { unit: Some("taka".into()), ..input("money") };
        assert_eq!(bad.validate().unwrap_err().get("unit"), Some(&FieldError::InvalidCurrency));
        let link = FieldDefInput { key: "agent".into(), ..input("link") };
        assert_eq!(link.validate().unwrap_err().get("link_to"), Some(&FieldError::Required));
    }

    #[test]
    fn check_out_asks_the_questions_whose_condition_holds() {
        let question = |key: &str, ask_when: Option<AskWhen>| {
            let mut d = FieldDefInput { record_type: "visit".into(), key: key.into(), ask_when, ..input("yes_no") }
                .validate()
                .unwrap();
            d.choices.clear();
            d
        };
        let always = question("shelf_photo", None);
        let order = question("order_value", Some(AskWhen { showing: false, outcome: Some("Order taken".into()) }));
        let showing = question("liked_kitchen", Some(AskWhen { showing: true, outcome: None }));
        assert_eq!(
            (always.ask_when, order.ask_when.clone().map(|w| w.showing), showing.ask_when.clone().map(|w| w.showing)),
            (None, Some(false), Some(true))
        );
        let when =
            |w: &Option<AskWhen>, showing: bool, outcome: &str| w.as_ref().is_none_or(|w| w.holds(showing, outcome));
        assert!(when(&order.ask_when, false, "Order taken") && !when(&order.ask_when, false, "Interested"));
        assert!(when(&showing.ask_when, true, "Interested") && !when(&showing.ask_when, false, "Interested"));
        let on_contact = FieldDefInput { ask_when: Some(AskWhen { showing: true, outcome: None }), ..input("choices") };
        assert!(on_contact.validate().unwrap_err().get("ask_when").is_some());
    }

    #[test]
    fn an_edit_keeps_the_key_and_retires_choices_rather_than_dropping_them() {
        let new = input("choices").validate().unwrap();
        let before = FieldDef {
            id: FieldId::new(),
            record_type: new.record_type,
            key: new.key.clone(),
            label: new.label.clone(),
            kind: new.kind,
            unit: None,
            link_to: None,
            required: false,
            help: None,
            choices: new.choices.clone(),
            section: None,
            position: 1,
            editable_by: EditableBy::All,
            ask_when: None,
            contact_kind: None,
            version: 1,
        };
        let mut renamed = input("choices");
        renamed.label.en = "Area".into();
        renamed.choices[1].retired = true;
        assert_eq!(check_edit(&before, &renamed.validate().unwrap()), Ok(()));
        let mut dropped = input("choices");
        dropped.choices.pop();
        dropped.key = "area".into();
        let e = check_edit(&before, &dropped.validate().unwrap()).unwrap_err();
        assert_eq!(e.0.keys().map(String::as_str).collect::<Vec<_>>(), ["choices", "key"]);
    }
}
