//! Which contacts a list shows, and in what order: the query string of `GET /api/v1/contacts`
//! and of the export, built by the list page and parsed by the server.

use super::Lifecycle;
use crate::common::{FieldError, FieldErrors, TerritoryId, UserId};
use serde::{Deserialize, Serialize};

/// The raw query string (every field optional text, so a bad value is a field error).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams, utoipa::ToSchema))]
pub struct ContactQuery {
    /// Search: name, company, phone in any format, email, tags (prefix, typo-tolerant).
    pub q: Option<String>,
    /// `lead`, `prospect`, `customer` or `inactive`.
    pub lifecycle: Option<String>,
    /// One segment tag.
    pub tag: Option<String>,
    /// Owner's user id.
    pub owner: Option<String>,
    /// Territory id.
    pub territory: Option<String>,
    /// `name` (default), `-name`, `updated` (oldest change first), `-updated` (newest first),
    /// `last_activity` (longest untouched first) or `-last_activity` (most recently called,
    /// noted or visited first; never touched counts as oldest).
    pub sort: Option<String>,
    /// `active` (default), `archived` or `all`.
    pub archived: Option<String>,
    /// Only contacts with no activity for this many months (the "stale" view).
    pub stale_months: Option<i64>,
    /// Conditions on custom fields: `area=gulshan|banani;budget~1000..5000;nid_verified=`
    /// (one of; a range of numbers, minor units or dates; empty), separated by `;`.
    pub custom: Option<String>,
    /// Page size, 1–200 (default 50).
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// `true`: the first page also says how many contacts match (`total`). A search answers
    /// its best matches and no total.
    pub total: Option<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ContactSort {
    #[default]
    Name,
    NameDesc,
    Updated,
    UpdatedDesc,
    LastActivity,
    LastActivityDesc,
}

impl ContactSort {
    /// Whether the list runs from the highest key down.
    pub fn descending(self) -> bool {
        matches!(self, Self::NameDesc | Self::UpdatedDesc | Self::LastActivityDesc)
    }

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        match raw {
            "name" => Ok(Self::Name),
            "-name" => Ok(Self::NameDesc),
            "updated" => Ok(Self::Updated),
            "-updated" => Ok(Self::UpdatedDesc),
            "last_activity" => Ok(Self::LastActivity),
            "-last_activity" => Ok(Self::LastActivityDesc),
            _ => Err(FieldError::NotAllowed),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Archived {
    #[default]
    Active,
    Archived,
    All,
}

/// A [`ContactQuery`] whose fields parsed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ContactFilter {
    pub q: Option<String>,
    pub lifecycle: Option<Lifecycle>,
    pub tag: Option<String>,
    pub owner: Option<UserId>,
    pub territory: Option<TerritoryId>,
    pub sort: ContactSort,
    pub archived: Archived,
    pub stale_months: Option<i64>,
    /// Conditions on custom fields, checked against their definitions by the server (the
    /// query's `custom` is parsed there, see [`crate::fields::filter`]).
    pub custom: Vec<crate::fields::filter::Condition>,
}

impl ContactQuery {
    pub fn filter(&self) -> Result<ContactFilter, FieldErrors> {
        let mut e = FieldErrors::new();
        let text = |v: &Option<String>| v.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_string);
        let filter = ContactFilter {
            q: text(&self.q),
            lifecycle: text(&self.lifecycle)
                .and_then(|v| e.check("lifecycle", Lifecycle::parse(&v).ok_or(FieldError::NotAllowed))),
            tag: text(&self.tag).map(|t| t.to_lowercase()),
            owner: text(&self.owner).and_then(|v| e.check("owner", UserId::parse(&v).ok_or(FieldError::NotAllowed))),
            territory: text(&self.territory)
                .and_then(|v| e.check("territory", TerritoryId::parse(&v).ok_or(FieldError::NotAllowed))),
            sort: text(&self.sort).and_then(|v| e.check("sort", ContactSort::parse(&v))).unwrap_or_default(),
            archived: match text(&self.archived).as_deref() {
                None | Some("active") => Archived::Active,
                Some("archived") => Archived::Archived,
                Some("all") => Archived::All,
                Some(_) => {
                    e.add("archived", FieldError::NotAllowed);
                    Archived::Active
                }
            },
            stale_months: self.stale_months.and_then(|m| {
                e.check("stale_months", if (1..=120).contains(&m) { Ok(m) } else { Err(FieldError::NotAllowed) })
            }),
            custom: vec![],
        };
        e.into_result(|| filter)
    }

    /// The query string (without `?`), leaving out empty fields.
    pub fn to_query_string(&self) -> String {
        let pairs = [
            ("q", self.q.clone()),
            ("lifecycle", self.lifecycle.clone()),
            ("tag", self.tag.clone()),
            ("owner", self.owner.clone()),
            ("territory", self.territory.clone()),
            ("sort", self.sort.clone()),
            ("archived", self.archived.clone()),
            ("stale_months", self.stale_months.map(|m| m.to_string())),
            ("custom", self.custom.clone()),
            ("limit", self.limit.map(|m| m.to_string())),
            ("cursor", self.cursor.clone()),
            ("total", self.total.filter(|t| *t).map(|_| "true".to_string())),
        ];
        pairs
            .into_iter()
            .filter_map(|(k, v)| v.filter(|v| !v.is_empty()).map(|v| format!("{k}={}", crate::client::encode(&v))))
            .collect::<Vec<_>>()
            .join("&")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_parses_and_names_its_bad_fields() {
        let q = ContactQuery {
            q: Some(" rahim ".into()),
            sort: Some("-updated".into()),
            tag: Some("VIP".into()),
            ..Default::default()
        };
        let f = q.filter().unwrap();
        assert_eq!((f.q.as_deref(), f.sort, f.tag.as_deref()), (Some("rahim"), ContactSort::UpdatedDesc, Some("vip")));
        let bad = ContactQuery {
            lifecycle: Some("vip".into()),
            owner: Some("me".into()),
            sort: Some("age".into()),
            ..Default::default()
        };
        let e = bad.filter().unwrap_err();
        assert_eq!(e.0.keys().map(String::as_str).collect::<Vec<_>>(), ["lifecycle", "owner", "sort"]);
    }

    #[test]
    fn the_query_string_skips_empty_fields() {
        let q = ContactQuery {
            q: Some("01711 23".into()),
            lifecycle: Some(String::new()),
            limit: Some(20),
            ..Default::default()
        };
        assert_eq!(q.to_query_string(), "q=01711%2023&limit=20");
    }
}
