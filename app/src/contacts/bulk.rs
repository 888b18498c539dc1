//! Work on many contacts at once, from the desk's table: which contacts, what changes on each,
//! how far a run has got, and what undoing it puts back (`POST /api/v1/contacts/bulk`).
//!
//! A run changes each contact through the same edit as a single change (scope, rules, audit,
//! sync), remembering the values it replaced. *Undo* puts those back on every contact whose
//! changed fields still hold what the run set; a contact someone changed since keeps their
//! change.

use super::{Contact, ContactForUpdate, ContactQuery, Lifecycle};
use crate::common::{ContactId, FieldError, FieldErrors, UserId};
use serde::{Deserialize, Serialize};

/// Most contacts one run may name by id (a larger selection is sent as the list's filter).
pub const MAX_IDS: usize = 1_000;
/// Most tags one run adds or removes.
pub const MAX_TAGS: usize = 20;
/// How long after it finished a run can be undone, in minutes.
pub const UNDO_MINUTES: i64 = 60;

/// What a run changes on each contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum BulkChange {
    /// Gives the contacts to this user.
    AssignOwner {
        owner_id: UserId,
    },
    AddTags {
        tags: Vec<String>,
    },
    RemoveTags {
        tags: Vec<String>,
    },
    /// Moves the contacts to this stage (those that may not move there are left as they are).
    SetLifecycle {
        lifecycle: Lifecycle,
    },
    Archive,
}

/// Which contacts a run changes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum Selection {
    /// These contacts (each must be in the caller's scope).
    Ids(Vec<ContactId>),
    /// Every contact the list's filter matches in the caller's scope (its search, sort and
    /// paging are ignored).
    Matching(Box<ContactQuery>),
}

/// `POST /api/v1/contacts/bulk`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BulkRequest {
    pub selection: Selection,
    pub change: BulkChange,
}

/// Where a run is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum BulkState {
    Running,
    Done,
    Undoing,
    Undone,
}

impl BulkState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Running => "running",
            Self::Done => "done",
            Self::Undoing => "undoing",
            Self::Undone => "undone",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [Self::Running, Self::Done, Self::Undoing, Self::Undone].into_iter().find(|s| s.as_str() == raw)
    }

    /// Whether the run is still at work (changing or putting back).
    pub fn working(self) -> bool {
        matches!(self, Self::Running | Self::Undoing)
    }
}

/// A run and how far it has got (`GET /api/v1/contacts/bulk/{id}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BulkJob {
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub id: uuid::Uuid,
    pub change: BulkChange,
    pub state: BulkState,
    /// Contacts selected.
    pub total: i64,
    /// Contacts looked at so far.
    pub done: i64,
    /// Contacts the run changed.
    pub changed: i64,
    /// Contacts left as they were: already so, or the change is not allowed for them (a
    /// stage they may not move to).
    pub unchanged: i64,
    /// Contacts put back by *Undo*; those changed by someone since are not.
    pub restored: i64,
    /// Until when *Undo* is offered (once the run is done).
    pub undo_until: Option<chrono::DateTime<chrono::Utc>>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

impl BulkRequest {
    /// Checks the request's shape (each contact's own rules are checked as it is changed).
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::new();
        match &self.selection {
            Selection::Ids(ids) if ids.is_empty() => e.add("selection", FieldError::Required),
            Selection::Ids(ids) if ids.len() > MAX_IDS => e.add("selection", FieldError::TooMany { max: MAX_IDS }),
            Selection::Ids(_) => {}
            Selection::Matching(query) => {
                if let Err(errors) = query.filter() {
                    for (field, error) in errors.0 {
                        e.add(&format!("selection.{field}"), error);
                    }
                }
            }
        }
        if let BulkChange::AddTags { tags } | BulkChange::RemoveTags { tags } = &self.change {
            if tags.iter().all(|t| t.trim().is_empty()) {
                e.add("change.tags", FieldError::Required);
            } else if tags.len() > MAX_TAGS {
                e.add("change.tags", FieldError::TooMany { max: MAX_TAGS });
            }
        }
        e.into_result(|| ())
    }
}

/// What a run does to one contact: the edit, and the edit that undoes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Step {
    pub after: ContactForUpdate,
    pub before: ContactForUpdate,
}

fn tag_key(t: &str) -> String {
    t.trim().to_lowercase()
}

impl BulkChange {
    /// The edit this change makes to `c`, or none when `c` is already so (or may not move to
    /// the stage asked).
    pub fn step(&self, c: &Contact) -> Option<Step> {
        let empty = ContactForUpdate::default;
        match self {
            Self::AssignOwner { owner_id } => (c.owner_id != Some(*owner_id)).then(|| Step {
                after: ContactForUpdate { owner_id: Some(Some(*owner_id)), ..empty() },
                before: ContactForUpdate { owner_id: Some(c.owner_id), ..empty() },
            }),
            Self::AddTags { tags } => {
                let mut next = c.tags.clone();
                for tag in tags.iter().map(|t| tag_key(t)).filter(|t| !t.is_empty()) {
                    if !next.contains(&tag) {
                        next.push(tag);
                    }
                }
                Self::tags_step(c, next)
            }
            Self::RemoveTags { tags } => {
                let gone: Vec<String> = tags.iter().map(|t| tag_key(t)).collect();
                let next = c.tags.iter().filter(|t| !gone.contains(t)).cloned().collect();
                Self::tags_step(c, next)
            }
            Self::SetLifecycle { lifecycle } => {
                (c.lifecycle != *lifecycle && c.lifecycle.can_become(*lifecycle)).then(|| Step {
                    after: ContactForUpdate { lifecycle: Some(lifecycle.as_str().into()), ..empty() },
                    before: ContactForUpdate { lifecycle: Some(c.lifecycle.as_str().into()), ..empty() },
                })
            }
            Self::Archive => (!c.archived).then(|| Step {
                after: ContactForUpdate { archived: Some(true), ..empty() },
                before: ContactForUpdate { archived: Some(false), ..empty() },
            }),
        }
    }

    fn tags_step(c: &Contact, next: Vec<String>) -> Option<Step> {
        (next != c.tags).then(|| Step {
            after: ContactForUpdate { tags: Some(next), ..ContactForUpdate::default() },
            before: ContactForUpdate { tags: Some(c.tags.clone()), ..ContactForUpdate::default() },
        })
    }
}

impl Step {
    /// Whether `c` still holds what the run set on it (so *Undo* may put the old values back).
    pub fn still_set(&self, c: &Contact) -> bool {
        let a = &self.after;
        a.owner_id.is_none_or(|o| o == c.owner_id)
            && a.tags.as_ref().is_none_or(|t| *t == c.tags)
            && a.lifecycle.as_deref().is_none_or(|l| l == c.lifecycle.as_str())
            && a.archived.is_none_or(|x| x == c.archived)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contact() -> Contact {
        let json = serde_json::json!({
            "id": "0190d0c4-7c1e-7000-8000-000000000001", "kind": "person", "name": "Asha",
            "company_id": null, "company_name": null, "lifecycle": "prospect", "source": null,
            "tags": ["vip", "buyer"], "phones": [], "emails": [], "address": null, "location": null,
            "territory_id": null, "owner_id": "0190d0c4-7c1e-7000-8000-0000000000aa",
            "preferred_channel": null, "language": null, "time_zone": null,
            "consent": {"email": true, "sms": true, "calls": true}, "notes": null, "archived": false,
            "version": 3, "created_at": "2026-12-01T00:00:00Z", "updated_at": "2026-12-01T00:00:00Z",
            "last_activity_at": null
        });
        serde_json::from_value(json).expect("a contact")
    }

    #[test]
    fn a_step_changes_only_what_differs_and_remembers_what_it_replaced() {
        let c = contact();
        let other = UserId::parse("0190d0c4-7c1e-7000-8000-0000000000bb").unwrap();
        let step = BulkChange::AssignOwner { owner_id: other }.step(&c).unwrap();
        assert_eq!(step.after.owner_id, Some(Some(other)));
        assert_eq!(step.before.owner_id, Some(c.owner_id));
        assert!(BulkChange::AssignOwner { owner_id: c.owner_id.unwrap() }.step(&c).is_none(), "already theirs");

        let add = BulkChange::AddTags { tags: vec![" Investor ".into(), "VIP".into()] }.step(&c).unwrap();
        assert_eq!(add.after.tags.as_deref(), Some(&["vip".to_string(), "buyer".into(), "investor".into()][..]));
        assert_eq!(add.before.tags, Some(c.tags.clone()));
        assert!(BulkChange::RemoveTags { tags: vec!["seller".into()] }.step(&c).is_none());
        assert_eq!(
            BulkChange::RemoveTags { tags: vec!["VIP".into()] }.step(&c).unwrap().after.tags,
            Some(vec!["buyer".into()])
        );

        assert!(
            BulkChange::SetLifecycle { lifecycle: Lifecycle::Lead }.step(&c).is_none(),
            "a prospect does not go back"
        );
        let won = BulkChange::SetLifecycle { lifecycle: Lifecycle::Customer }.step(&c).unwrap();
        assert_eq!(won.before.lifecycle.as_deref(), Some("prospect"));
        assert!(BulkChange::Archive.step(&c).is_some());
    }

    #[test]
    fn undo_applies_only_where_the_run_is_still_what_the_contact_holds() {
        let mut c = contact();
        let step = BulkChange::AddTags { tags: vec!["investor".into()] }.step(&c).unwrap();
        c.tags = step.after.tags.clone().unwrap();
        assert!(step.still_set(&c));
        c.tags.push("hot".into());
        assert!(!step.still_set(&c), "someone changed the tags since");
    }

    #[test]
    fn a_request_names_what_is_wrong_with_it() {
        let none = BulkRequest { selection: Selection::Ids(vec![]), change: BulkChange::Archive };
        assert_eq!(none.validate().unwrap_err().get("selection"), Some(&FieldError::Required));
        let bad = BulkRequest {
            selection: Selection::Matching(Box::new(ContactQuery {
                lifecycle: Some("vip".into()),
                ..Default::default()
            })),
            change: BulkChange::AddTags { tags: vec![" ".into()] },
        };
        let e = bad.validate().unwrap_err();
        assert_eq!(e.0.keys().map(String::as_str).collect::<Vec<_>>(), ["change.tags", "selection.lifecycle"]);
    }
}
