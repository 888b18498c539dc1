//! A rep's book: the contacts they own, their open deals, their open follow-ups and their
//! coming appointments. When a rep leaves, a manager moves the whole book to one or several
//! reps (`POST /api/v1/users/{id}/book/move`), split by territory.

use crate::common::{FieldError, FieldErrors, UserId};
use serde::{Deserialize, Serialize};

/// Most reps one book is split between.
pub const MAX_TARGETS: usize = 10;

/// How much a rep holds (`GET /api/v1/users/{id}/book`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Book {
    pub contacts: i64,
    /// Deals not won or lost.
    pub open_deals: i64,
    /// Follow-ups not done.
    pub open_tasks: i64,
    /// Scheduled appointments still to come.
    pub upcoming_appointments: i64,
}

/// `POST /api/v1/users/{id}/book/move`: the reps the book goes to. A contact goes to the first
/// of them assigned to its territory today, otherwise to the first of them; its open deals,
/// follow-ups and coming appointments go with it. Follow-ups and appointments with no contact
/// go to the first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BookMove {
    pub to: Vec<UserId>,
}

impl BookMove {
    /// Checks the list of reps: at least one, at most [`MAX_TARGETS`], none twice, not the rep
    /// whose book it is.
    pub fn validate(&self, from: UserId) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::new();
        if self.to.is_empty() {
            e.add("to", FieldError::Required);
        } else if self.to.len() > MAX_TARGETS {
            e.add("to", FieldError::TooMany { max: MAX_TARGETS });
        }
        for (i, rep) in self.to.iter().enumerate() {
            if *rep == from || self.to[..i].contains(rep) {
                e.add(&format!("to[{i}]"), FieldError::NotAllowed);
            }
        }
        e.into_result(|| ())
    }
}

/// What went where.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BookMoved {
    /// Per rep it went to, in the order asked.
    pub to: Vec<MovedTo>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MovedTo {
    pub rep_id: UserId,
    #[serde(flatten)]
    pub book: Book,
}

impl BookMoved {
    /// Everything moved, added up.
    pub fn total(&self) -> Book {
        self.to.iter().fold(Book::default(), |sum, t| Book {
            contacts: sum.contacts + t.book.contacts,
            open_deals: sum.open_deals + t.book.open_deals,
            open_tasks: sum.open_tasks + t.book.open_tasks,
            upcoming_appointments: sum.upcoming_appointments + t.book.upcoming_appointments,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: u8) -> UserId {
        UserId::parse(&format!("0190d0c4-7c1e-7000-8000-0000000000{n:02x}")).unwrap()
    }

    #[test]
    fn a_move_names_each_wrong_rep() {
        let from = id(1);
        assert_eq!(BookMove { to: vec![] }.validate(from).unwrap_err().get("to"), Some(&FieldError::Required));
        let e = BookMove { to: vec![id(2), from, id(2)] }.validate(from).unwrap_err();
        assert_eq!(e.0.keys().map(String::as_str).collect::<Vec<_>>(), ["to[1]", "to[2]"]);
        assert_eq!(BookMove { to: vec![id(2), id(3)] }.validate(from), Ok(()));
    }
}
