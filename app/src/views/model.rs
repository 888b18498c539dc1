//! The saved layout of a list and the columns each list offers.

use crate::common::{FieldError, FieldErrors};
use serde::{Deserialize, Serialize};

/// The lists a layout can be saved for (the path segment of `/me/views/{list}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum ListName {
    Contacts,
}

impl ListName {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Contacts => "contacts",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [Self::Contacts].into_iter().find(|l| l.as_str() == raw)
    }

    /// The built-in columns this list offers, in the order the chooser shows them.
    pub fn columns(self) -> &'static [BuiltIn] {
        match self {
            Self::Contacts => CONTACT_COLUMNS,
        }
    }

    /// The layout a user has before choosing one.
    pub fn default_view(self) -> ListView {
        let keys: &[&str] = match self {
            Self::Contacts => &["name", "lifecycle", "phone", "email", "owner", "last_activity"],
        };
        ListView {
            columns: keys.iter().map(|k| ViewColumn { key: (*k).to_string(), width: None }).collect(),
            sort: None,
        }
    }

    /// Whether `sort` is an order this list can be read in.
    fn sort_is_known(self, sort: &str) -> bool {
        match self {
            Self::Contacts => crate::contacts::ContactSort::parse(sort).is_ok(),
        }
    }
}

/// A column every record of a list has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BuiltIn {
    pub key: &'static str,
    /// The list's `sort` value that orders by this column, ascending (`-` before it for
    /// descending); none when the list cannot be sorted by it.
    pub sort: Option<&'static str>,
}

const CONTACT_COLUMNS: &[BuiltIn] = &[
    BuiltIn { key: "name", sort: Some("name") },
    BuiltIn { key: "lifecycle", sort: None },
    BuiltIn { key: "phone", sort: None },
    BuiltIn { key: "email", sort: None },
    BuiltIn { key: "company", sort: None },
    BuiltIn { key: "address", sort: None },
    BuiltIn { key: "owner", sort: None },
    BuiltIn { key: "territory", sort: None },
    BuiltIn { key: "tags", sort: None },
    BuiltIn { key: "last_activity", sort: Some("last_activity") },
    BuiltIn { key: "updated", sort: Some("updated") },
    BuiltIn { key: "created", sort: None },
];

/// What names a custom field's column: `custom.` and the field's key.
pub const CUSTOM_PREFIX: &str = "custom.";

/// Most columns a layout holds.
pub const MAX_COLUMNS: usize = 40;
/// The narrowest and widest a column may be made, in CSS pixels.
pub const WIDTHS: std::ops::RangeInclusive<u16> = 48..=960;

/// One column of a layout.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ViewColumn {
    /// A built-in column (`name`, `last_activity`…) or `custom.<field key>`.
    pub key: String,
    /// Its width in CSS pixels; the table's own when none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<u16>,
}

impl ViewColumn {
    /// The custom field's key, for a custom field's column.
    pub fn custom_key(&self) -> Option<&str> {
        self.key.strip_prefix(CUSTOM_PREFIX)
    }
}

/// A list's layout (`GET`/`PUT /api/v1/me/views/{list}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ListView {
    /// Left to right. The name column always stays.
    pub columns: Vec<ViewColumn>,
    /// The list's `sort` value it opens with; the list's own order when none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort: Option<String>,
}

impl ListView {
    /// Checks a layout for `list`: known built-in columns, custom columns named by a key in
    /// the custom fields' form, no column twice, the name column present, widths in range,
    /// a known sort. A custom field deleted later only drops out of the table; it is not an
    /// error in a saved layout.
    pub fn validate(&self, list: ListName) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::new();
        if self.columns.len() > MAX_COLUMNS {
            e.add("columns", FieldError::TooMany { max: MAX_COLUMNS });
        }
        if !self.columns.iter().any(|c| c.key == "name") {
            e.add("columns", FieldError::Required);
        }
        for (i, column) in self.columns.iter().enumerate() {
            let field = format!("columns[{i}].key");
            let known = match column.custom_key() {
                Some(key) => crate::fields::parse_key(key).is_ok_and(|k| k == key),
                None => list.columns().iter().any(|b| b.key == column.key),
            };
            if !known {
                e.add(&field, FieldError::UnknownField);
            } else if self.columns[..i].iter().any(|c| c.key == column.key) {
                e.add(&field, FieldError::Taken);
            }
            if column.width.is_some_and(|w| !WIDTHS.contains(&w)) {
                e.add(&format!("columns[{i}].width"), FieldError::NotAllowed);
            }
        }
        if self.sort.as_deref().is_some_and(|s| !list.sort_is_known(s)) {
            e.add("sort", FieldError::NotAllowed);
        }
        e.into_result(|| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(keys: &[&str]) -> ListView {
        ListView { columns: keys.iter().map(|k| ViewColumn { key: (*k).into(), width: None }).collect(), sort: None }
    }

    #[test]
    fn the_default_layouts_are_valid() {
        assert_eq!(ListName::Contacts.default_view().validate(ListName::Contacts), Ok(()));
    }

    #[test]
    fn a_bad_layout_names_each_wrong_column() {
        let mut bad = view(&["name", "salary", "phone", "phone", "custom.budget", "custom.Not A Key"]);
        bad.columns[2].width = Some(4000);
        bad.sort = Some("-salary".into());
        let e = bad.validate(ListName::Contacts).unwrap_err();
        let fields: Vec<&str> = e.0.keys().map(String::as_str).collect();
        assert_eq!(fields, ["columns[1].key", "columns[2].width", "columns[3].key", "columns[5].key", "sort"]);
        assert_eq!(e.get("columns[3].key"), Some(&FieldError::Taken));
    }

    #[test]
    fn the_name_column_stays_and_layouts_are_bounded() {
        assert_eq!(
            view(&["phone"]).validate(ListName::Contacts).unwrap_err().get("columns"),
            Some(&FieldError::Required)
        );
        let many: Vec<String> = (0..=MAX_COLUMNS).map(|i| format!("custom.f{i}")).collect();
        let mut keys: Vec<&str> = many.iter().map(String::as_str).collect();
        keys.push("name");
        assert_eq!(
            view(&keys).validate(ListName::Contacts).unwrap_err().get("columns"),
            Some(&FieldError::TooMany { max: MAX_COLUMNS })
        );
    }
}
